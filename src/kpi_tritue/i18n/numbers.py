"""Numbers and target bounds as people read them, Vietnamese way or English way.

Light on purpose (no pandas): `kpi indicators` uses it, and must start fast.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

from kpi_tritue.i18n import text
from kpi_tritue.i18n.grouping import exact, grouped

if TYPE_CHECKING:
    from kpi_tritue.i18n import Lang

UNIT_DECIMALS: dict[str, int] = {"per_10k": 2, "percent": 1, "count": 0, "milestone": 0}


# Control characters (C0, DEL, C1) and Excel's `_xHHHH_` escapes of them, which Excel and
# the reader turn back into the character: none may reach a terminal or a report.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]|_x(?:00[0-1][0-9A-Fa-f]|007[Ff]|00[89][0-9A-Fa-f])_")
_SPACES = frozenset("\t\n\r\x0b\x0c")
REPLACEMENT = "\ufffd"
# What a spreadsheet would take for a formula at the start of a cell (OWASP CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _replace_control(match: re.Match[str]) -> str:
    return " " if match.group() in _SPACES else REPLACEMENT


def _replace_in_lines(match: re.Match[str]) -> str:
    return match.group() if match.group() in ("\n", "\t") else _replace_control(match)


def printable(text: str, *, lines: bool = False) -> str:
    """`text` safe for a terminal: white space controls as a space (newlines and tabs
    kept with `lines`, for a whole document), other control characters (and their
    `_xHHHH_` forms) as `�`. Every renderer passes the input text it shows through here."""
    return _CONTROL.sub(_replace_in_lines if lines else _replace_control, text)


def spreadsheet_text(text: str) -> str:
    """Input text for a CSV or Markdown cell: printable, and never read as a formula: text
    starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `'` (as the xlsx report
    stores it as text)."""
    return "'" + printable(text) if text.startswith(FORMULA_START) else printable(text)


def format_number(value: float | None, decimals: int, lang: Lang) -> str:
    """`1.320.000,5` in Vietnamese, `1,320,000.5` in English; `—` for nothing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return grouped(value, decimals, lang)


def format_exact(value: float, lang: Lang, most: int = 6) -> str:
    """A number with the decimals it has (at most `most`): `2,5`, `1.320.000`, `512,9`."""
    return exact(value, lang, most)


def percent_sign(unit: str) -> str:
    return " %" if unit == "percent" else ""


def format_bounds(
    unit: str,
    op: str,
    value: float | None,
    low: float | None,
    high: float | None,
    lang: Lang,
) -> str:
    """`≥ 14`, `= 100 %`, `15–20 %`, `Hoàn thành`: a target's bounds, without its year.

    Plain values rather than a `model.targets.Target`: i18n is the lowest layer and knows no
    model type. `render.numbers.format_target` adds the year; the catalog listing, which
    shows the year in a column of its own, uses this as it is."""
    if unit == "milestone":
        return text("target.done", lang)
    bounds = [b for b in (value, low, high) if b is not None]
    decimals = 0 if all(float(b).is_integer() for b in bounds) else UNIT_DECIMALS[unit]
    sign = percent_sign(unit)
    if op == "between":
        return f"{format_number(low, decimals, lang)}–{format_number(high, decimals, lang)}{sign}"
    shown = "≥" if op == ">=" else "="
    return f"{shown} {format_number(value, decimals, lang)}{sign}"


def plain_number(value: float | None) -> str:
    """A number as a message parameter: `12` for a whole number, `12.5` (Python's shortest
    exact form) otherwise, `?` for none. The same in both languages, so that the figure
    a message quotes is the one in the input."""
    if value is None:
        return "?"
    return str(int(value)) if float(value).is_integer() else repr(value)
