"""Text normalisation: how headers, sheet names, categories and cell text are compared."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

_WHITESPACE = re.compile(r"\s+")
# Vietnamese letters whose base letter is not recovered by stripping combining marks.
_BASE_LETTERS = str.maketrans({"đ": "d", "Đ": "d", "ð": "d"})
_COLUMN_CODE = re.compile(r"^(?:[A-Za-z]{1,2}|\d{1,3}|\((?:[A-Za-z]{1,2}|\d{1,3})\))$")
_TOTALS_PREFIXES = ("tổng cộng", "tổng số", "total")


def clean_text(value: str) -> str:
    """NFC, trimmed, inner white space folded to one space: how a text cell is kept.

    `str.split` splits at the white space `\\s` matches (both are `str.isspace`), so this
    is `re.sub(r"\\s+", " ", text).strip()` without the pattern (a property test holds
    the two equal), at less than half its cost over a run's distinct unit names."""
    return " ".join(unicodedata.normalize("NFC", value).split())


@lru_cache(maxsize=65536)
def fold(value: str) -> str:
    """The matching key of a name: NFC, case folded, no diacritics, punctuation as space.

    `Họ và tên`, `HỌ VÀ TÊN`, `Ho va ten` and a decomposed `Họ và tên` all fold to
    `ho va ten`; `GD&ĐT` folds to `gd dt`. Symbols such as `✓` are kept: they carry meaning.
    """
    text = unicodedata.normalize("NFD", value.translate(_BASE_LETTERS).casefold())
    kept: list[str] = []
    for char in text:
        category = unicodedata.category(char)
        if category == "Mn":
            continue
        if category.startswith(("P", "Z", "C")) or char.isspace():
            kept.append(" ")
        else:
            kept.append(char)
    return _WHITESPACE.sub(" ", "".join(kept).translate(_BASE_LETTERS)).strip()


def value_key(value: str) -> str:
    """How a `--columns` value mapping matches a cell: folded (`fold`), or, for a value of
    nothing but punctuation and symbols that folds to nothing (`-`, `—`), cleaned and
    case-folded, so that `-` is a value of its own and not a blank."""
    return fold(value) or clean_text(value).casefold()


# A run keys the same unit names in NhanSu, in DonVi and again in the indicators (23,301
# of them, three times, at 1,048,575 rows): each is keyed once.
@lru_cache(maxsize=1 << 16)
def unit_key(value: str) -> str:
    """How unit names (and IDs) are matched: cleaned and lower-cased, diacritics kept."""
    return clean_text(value).lower()


def unit_keys(values: pd.Series) -> pd.Series:
    """`unit_key` of a whole column of cleaned text, in Arrow; NA stays NA."""
    return values.astype("string[pyarrow]").str.lower().astype("object")


def is_column_code(value: str) -> bool:
    """A cell of the column-code row under a header: `A`, `B`, `1`, `(2)`."""
    return bool(_COLUMN_CODE.match(value.strip()))


def is_totals_label(value: str) -> bool:
    """Whether a row's first non-empty cell marks it as a totals row.

    Diacritics matter here: `Công an tỉnh` is a unit, `Cộng` is a total.
    """
    text = clean_text(value).casefold().rstrip(":").rstrip()
    return text == "cộng" or text.startswith(_TOTALS_PREFIXES)
