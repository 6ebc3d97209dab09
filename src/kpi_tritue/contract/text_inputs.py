"""The text inputs' contract: how big a `--targets` TOML or a `--baseline` JSON may be,
how deep and how long its parts, and why one is refused (`UnsafeInput`).

Nothing here opens a file (that is `io/safe_files`): these are the bounds, the structure
check that runs on a TOML text before Python's parser sees it (that parser takes memory
quadratic in the parts of a dotted key, one key of 50,000 parts asks for 10 GB, and
recurses once per level of nesting), and the number readers that keep infinity, NaN and
integers of thousands of digits out of a parsed JSON or TOML. The catalog and the baseline
parse their text with these; `io/` reads the bytes.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from kpi_tritue.contract.limits import _int_env
from kpi_tritue.i18n import Lang, issue_message, text

KIB = 1 << 10
MIB = 1 << 20


@dataclass(frozen=True)
class TextLimit:
    """The most bytes one kind of text input may hold: a default and its variable."""

    setting: str
    default: int
    unit: int
    unit_name: str

    def bytes(self) -> int:
        return _int_env(self.setting, self.default) * self.unit

    def shown(self) -> str:
        return f"{self.bytes() // self.unit} {self.unit_name}"


# The plan's own catalog is 15 kB; Python's TOML parser reads 0.2-0.3 MB a second at worst.
TARGETS_LIMIT = TextLimit("KPI_MAX_TARGETS_KB", 256, KIB, "KB")
# A `--columns` mapping names a few dozen headers and values: 2 kB; 64 kB is thousands.
COLUMNS_LIMIT = TextLimit("KPI_MAX_COLUMNS_KB", 64, KIB, "KB")
# A `kpi compute --format json` result is tens of kB, 6 MB with `--by unit` at 200,000
# rows; 16 MB of the smallest JSON values (`[],`) peaks at 0.6 GB of Python objects.
BASELINE_LIMIT = TextLimit("KPI_MAX_BASELINE_MB", 16, MIB, "MB")
# Levels of `[ ]` / `{ }` and parts of a dotted key; a catalog needs fewer than ten. Kept
# well below Python's recursion limit, whatever the variable says.
NESTING_SETTING = "KPI_MAX_NESTING"
DEFAULT_NESTING = 32
_NESTING_CEILING = 200
# Digits of a number: Python refuses to read an integer of more than 4,300 digits, and no
# figure of a catalog or a result needs more than a few.
MAX_NUMBER_CHARS = 100


@dataclass(frozen=True)
class CountLimit:
    """The most items of one kind a text input may hold: a default and its variable."""

    setting: str
    default: int
    code: str

    @property
    def value(self) -> int:
        return _int_env(self.setting, self.default)

    def problem(self, count: int) -> UnsafeInput:
        return UnsafeInput(self.code, count=count, limit=self.value, setting=self.setting)


# A plan has tens of indicators (Hà Tĩnh's: 23); each costs a pass over the data, and each
# wrong one several messages.
INDICATORS_LIMIT = CountLimit("KPI_MAX_INDICATORS", 300, "too_many_indicators")
# Keys and values of a parsed catalog (the plan's: 627). Each wrong one costs the validator
# a message: 87,000 empty tables fit in 256 KB and cost 6 s.
VALUES_LIMIT = CountLimit("KPI_MAX_TARGETS_VALUES", 20_000, "too_many_values")


def count_values(data: object, most: int) -> int:
    """Tables, lists and values in parsed data, counted up to just past `most` (iteratively:
    no recursion, and no more work than the limit)."""
    count = 0
    pending = [data]
    while pending and count <= most:
        node = pending.pop()
        count += 1
        if isinstance(node, dict):
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
    return count


def max_nesting() -> int:
    return min(_int_env(NESTING_SETTING, DEFAULT_NESTING), _NESTING_CEILING)


class UnsafeInput(Exception):
    """Why an input was not read: a key of `TEXT` (`input.<code>`) with its values, and
    the line of a text file where that is known."""

    def __init__(self, code: str, *, line: int | None = None, **params: object) -> None:
        self.code = code
        self.line = line
        self.params = params
        super().__init__(self.message("en"))

    def message(self, lang: Lang) -> str:
        if self.code == "not_regular":
            return issue_message("not_a_regular_file", lang, self.params)
        if self.code == "missing":
            return issue_message("file_not_found", lang, self.params)
        if self.code == "unreadable":
            return issue_message("unreadable_path", lang, self.params)
        said = text(f"input.{self.code}", lang, **self.params)
        return said if self.line is None else text("input.line", lang, line=self.line) + said


# ---------------------------------------------------------------------------------------
# TOML: bounded before it is parsed

# The tokens that matter to nesting and to dotted keys. Strings and comments are skipped
# whole, so that a `.` or a `[` inside them counts for nothing; the string forms follow
# the TOML grammar, so the scan agrees with the parser on every valid prefix of a file
# (the parser stops at the first error, so what follows one does not matter).
_TOML_TOKEN = re.compile(
    r'(?P<string>"""(?:[^"\\]|\\[\s\S]|"{1,2}(?!"))*"{3,5}'
    r"|'''(?:[^']|'{1,2}(?!'))*'{3,5}"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'[^'\n]*')"
    r"|(?P<comment>#[^\n]*)"
    r"|(?P<word>[A-Za-z0-9_+:\-]+)"
    r"|(?P<dot>\.)"
    r"|(?P<open>[\[{])"
    r"|(?P<close>[\]}])"
    r"|(?P<blank>[ \t]+)"
    r"|(?P<other>[\s\S])"
)


def check_toml_structure(source: str) -> None:
    """`UnsafeInput` at the first dotted name of more than `max_nesting()` parts, `[ ]` or
    `{ }` nested deeper than that, or number longer than `MAX_NUMBER_CHARS`."""
    deepest = max_nesting()
    depth = 0
    dots = 0  # dots so far in the current dotted name (`a.b.c`: 2)
    after_name = False
    for token in _TOML_TOKEN.finditer(source):
        kind = token.lastgroup
        if kind == "blank":  # TOML allows blanks around the dots of a key
            continue
        if kind == "dot":
            dots = dots + 1 if after_name else 0
            after_name = False
            if dots >= deepest:
                raise UnsafeInput(
                    "too_many_parts",
                    line=_line(source, token.start()),
                    limit=deepest,
                    setting=NESTING_SETTING,
                )
            continue
        if kind in ("word", "string"):
            if after_name:
                dots = 0  # two names in a row are not one dotted name
            after_name = True
            word = token.group()
            if kind == "word" and word[0] in "0123456789+-" and len(word) > MAX_NUMBER_CHARS:
                raise UnsafeInput(
                    "number_too_long",
                    line=_line(source, token.start()),
                    limit=MAX_NUMBER_CHARS,
                    value=shorten(word),
                )
            continue
        after_name = False
        dots = 0
        if kind == "open":
            depth += 1
            if depth > deepest:
                raise UnsafeInput(
                    "too_deep",
                    line=_line(source, token.start()),
                    limit=deepest,
                    setting=NESTING_SETTING,
                )
        elif kind == "close":
            depth = max(0, depth - 1)


def _line(source: str, position: int) -> int:
    return source.count("\n", 0, position) + 1


# ---------------------------------------------------------------------------------------
# Numbers: no infinity, no NaN, no integer Python would refuse to read (over 4,300 digits)


def finite_float(literal: str) -> float:
    """A float of a TOML or JSON file (`parse_float`); `UnsafeInput` unless finite."""
    value = float(literal)
    if not math.isfinite(value):
        raise UnsafeInput("not_finite", value=shorten(literal))
    return value


def json_int(literal: str) -> int:
    """An integer of a JSON file (`parse_int`), of at most `MAX_NUMBER_CHARS` digits."""
    if len(literal) > MAX_NUMBER_CHARS:
        raise UnsafeInput("number_too_long", limit=MAX_NUMBER_CHARS, value=shorten(literal))
    return int(literal)


def json_constant(literal: str) -> Any:
    """`NaN`, `Infinity`, `-Infinity` (`parse_constant`): Python reads them, JSON has none."""
    raise UnsafeInput("not_finite", value=literal)


def shorten(value: object, most: int = 80) -> str:
    """A value quoted in a message, cut to `most` characters."""
    shown = str(value)
    return shown if len(shown) <= most else shown[: most - 1] + "…"
