"""Column parsers: turn a column of cell text into typed values and per-cell problems.

Each parser works on the distinct values of a column (a workforce sheet of 200,000 rows has
a few thousand distinct birth dates and a dozen distinct categories), then spreads the
results back with one vectorised take. A problem is a short code; the sheet loader turns
it into an `Issue` at the right cell.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from kpi_tritue.normalize import fold
from kpi_tritue.schema import ColumnSpec, EnumSpec, ValueType

# Problem codes (issue codes are derived from them in workbook.py).
BAD_BOOL = "bad_bool"
BAD_DATE = "bad_date"
DATE_IS_NUMBER = "date_is_number"
FUTURE_DATE = "future_date"
BAD_YEAR = "bad_year"
YEAR_OUT_OF_RANGE = "year_out_of_range"
BAD_NUMBER = "bad_number"
NOT_WHOLE = "not_whole_number"
BELOW_MINIMUM = "below_minimum"
ABOVE_MAXIMUM = "above_maximum"
BAD_ENUM = "bad_enum"

TRUE_SPELLINGS = ("x", "✓", "✔", "có", "yes", "1", "TRUE", "đạt")
FALSE_SPELLINGS = ("không", "no", "0", "FALSE", "chưa đạt")
TRUE_WORDS = frozenset(fold(w) for w in TRUE_SPELLINGS)
FALSE_WORDS = frozenset(fold(w) for w in FALSE_SPELLINGS)

_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_DMY_DATE = re.compile(r"^(\d{1,2})([/.\-])(\d{1,2})\2(\d{4})$")
_PLAIN_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")
_PERCENT = re.compile(r"^([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*%$")

MIN_YEAR = 1900

ScalarResult = tuple[Any, str | None]


@dataclass(frozen=True)
class ParsedColumn:
    """Typed values (NA where blank or invalid) and, per row, a problem code or None."""

    values: pd.Series
    problems: pd.Series
    blank: pd.Series
    text: pd.Series

    @property
    def invalid(self) -> pd.Series:
        return self.problems.notna()


@dataclass(frozen=True)
class Bounds:
    """What the report year allows: no year after it, no date after the reference date."""

    report_year: int
    as_of: date


def parse_bool(text: str) -> ScalarResult:
    key = fold(text)
    if key in TRUE_WORDS:
        return True, None
    if key in FALSE_WORDS:
        return False, None
    return None, BAD_BOOL


def _number(text: str) -> float | None:
    compact = text.replace(" ", "")
    if _PLAIN_NUMBER.match(compact):
        value = float(compact)
        return value if math.isfinite(value) else None
    return None


def parse_date(text: str, bounds: Bounds) -> ScalarResult:
    found: date | None = None
    try:
        if match := _ISO_DATE.match(text):
            found = date(int(match[1]), int(match[2]), int(match[3]))
        elif match := _DMY_DATE.match(text):
            found = date(int(match[4]), int(match[3]), int(match[1]))
    except ValueError:
        return None, BAD_DATE
    if found is None:
        return None, DATE_IS_NUMBER if _number(text) is not None else BAD_DATE
    if found.year < MIN_YEAR:
        return None, BAD_DATE
    if found > bounds.as_of:
        return None, FUTURE_DATE
    return found, None


def parse_year(text: str, bounds: Bounds) -> ScalarResult:
    year: int | None = None
    if match := _ISO_DATE.match(text):
        year = int(match[1])
    elif match := _DMY_DATE.match(text):
        year = int(match[4])
    else:
        number = _number(text)
        if number is None or not number.is_integer():
            return None, BAD_YEAR
        year = int(number)
    if not MIN_YEAR <= year <= bounds.report_year:
        return None, YEAR_OUT_OF_RANGE
    return year, None


def _make_number_parser(column: ColumnSpec, whole: bool) -> Callable[[str], ScalarResult]:
    def parse(text: str) -> ScalarResult:
        number = _number(text)
        if number is None and column.maximum == 100 and (match := _PERCENT.match(text)):
            number = float(match[1])
        if number is None:
            return None, BAD_NUMBER
        if whole and not number.is_integer():
            return None, NOT_WHOLE
        if column.minimum is not None and number < column.minimum:
            return None, BELOW_MINIMUM
        if column.maximum is not None and number > column.maximum:
            return None, ABOVE_MAXIMUM
        return (int(number) if whole else number), None

    return parse


def _make_enum_parser(enum: EnumSpec) -> Callable[[str], ScalarResult]:
    lookup = enum.lookup

    def parse(text: str) -> ScalarResult:
        code = lookup.get(fold(text))
        return (code, None) if code is not None else (None, BAD_ENUM)

    return parse


# Python's `\s` for str patterns, in RE2 (Arrow's regex engine) terms.
_ARROW_WHITESPACE = r"[\s\p{Z}\x0b\x1c-\x1f\x85]+"


@dataclass(frozen=True)
class CleanText:
    """A column's cleaned text, and the same as codes into its distinct values (-1: blank)."""

    text: pd.Series
    codes: np.ndarray[Any, Any]
    distinct: list[str]


def clean_text_column(raw: pd.Series) -> CleanText:
    """Cell text NFC-normalised, trimmed and folded (as `clean_text`); blank cells become NA.

    The column is dictionary-encoded first and only its distinct values are cleaned, in
    Arrow: an ID column has as many as it has rows, and a Python loop over those would
    cost more than reading the sheet.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    if raw.dtype == object:
        raw = raw.map(lambda v: v if isinstance(v, str) else str(v), na_action="ignore")
    encoded = pc.dictionary_encode(pa.array(raw, type=pa.large_string(), from_pandas=True))
    distinct = pc.utf8_normalize(encoded.dictionary, form="NFC")
    distinct = pc.replace_substring_regex(distinct, pattern=_ARROW_WHITESPACE, replacement=" ")
    distinct = pc.utf8_trim(distinct, characters=" ")
    distinct = pc.if_else(pc.equal(distinct, ""), pa.scalar(None, pa.large_string()), distinct)
    text = pd.Series(
        pc.take(distinct, encoded.indices),
        index=raw.index,
        dtype=pd.ArrowDtype(pa.large_string()),
    ).astype("str")
    values = distinct.to_pylist()
    blank_code = np.array([v is None for v in values] + [True])
    codes = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype("int64")
    codes = np.where(blank_code[codes], -1, codes)
    return CleanText(text=text, codes=codes, distinct=[v or "" for v in values])


def clean_column(raw: pd.Series) -> pd.Series:
    """Only the cleaned text of `clean_text_column`."""
    return clean_text_column(raw).text


def parse_column(raw: pd.Series, column: ColumnSpec, bounds: Bounds) -> ParsedColumn:
    """Parse one column of cell text according to its contract type."""
    cleaned = clean_text_column(raw)
    text = cleaned.text
    blank = text.isna()
    if column.type is ValueType.TEXT:
        no_problems = pd.Series(None, index=raw.index, dtype="object")
        return ParsedColumn(values=text, problems=no_problems, blank=blank, text=text)
    parser = _scalar_parser(column, bounds)
    results = [parser(value) if value else (None, None) for value in cleaned.distinct]
    codes = cleaned.codes
    # Index -1 (a blank cell) takes the last entry of each lookup array.
    problems = np.array([problem for _, problem in results] + [None], dtype=object)[codes]
    values = _typed([value for value, _ in results], codes, column, raw.index)
    return ParsedColumn(
        values=values,
        problems=pd.Series(problems, index=raw.index, dtype="object"),
        blank=blank,
        text=text,
    )


def _scalar_parser(column: ColumnSpec, bounds: Bounds) -> Callable[[str], ScalarResult]:
    match column.type:
        case ValueType.BOOL:
            return parse_bool
        case ValueType.DATE:
            return lambda text: parse_date(text, bounds)
        case ValueType.YEAR:
            return lambda text: parse_year(text, bounds)
        case ValueType.INT:
            return _make_number_parser(column, whole=True)
        case ValueType.NUMBER:
            return _make_number_parser(column, whole=False)
        case ValueType.ENUM:
            assert column.enum is not None
            return _make_enum_parser(column.enum)
        case ValueType.TEXT:
            raise ValueError("text columns need no parser")


def _typed(
    distinct: list[Any], codes: np.ndarray[Any, Any], column: ColumnSpec, index: pd.Index
) -> pd.Series:
    """Spread the parsed distinct values over the rows as a typed array, NA where none."""
    missing = np.array([value is None for value in distinct] + [True])[codes]
    match column.type:
        case ValueType.BOOL:
            # A blank cell in a bool column that is present means "no".
            flags = np.array([bool(value) for value in distinct] + [False])[codes]
            return pd.Series(pd.array(flags, dtype="boolean"), index=index)
        case ValueType.YEAR | ValueType.INT:
            whole = np.array([value or 0 for value in distinct] + [0], dtype="int64")[codes]
            return pd.Series(pd.arrays.IntegerArray(whole, missing), index=index)
        case ValueType.NUMBER:
            real = np.array([value or 0.0 for value in distinct] + [0.0], dtype="float64")[codes]
            return pd.Series(pd.arrays.FloatingArray(real, missing), index=index)
        case ValueType.DATE:
            days = np.array(
                [
                    np.datetime64(value, "ns") if value else np.datetime64("NaT")
                    for value in distinct
                ]
                + [np.datetime64("NaT")],
                dtype="datetime64[ns]",
            )[codes]
            return pd.Series(days, index=index)
        case ValueType.ENUM:
            assert column.enum is not None
            categories = list(column.enum.codes)
            positions = np.array(
                [categories.index(value) if value is not None else -1 for value in distinct] + [-1]
            )[codes]
            return pd.Series(
                pd.Categorical.from_codes(positions, dtype=pd.CategoricalDtype(categories)),
                index=index,
            )
        case ValueType.TEXT:
            raise ValueError("text columns are not parsed")
