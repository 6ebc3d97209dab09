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
from datetime import date, timedelta
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from kpi_tritue.contract.limits import MAX_NUMBER
from kpi_tritue.contract.normalize import fold, value_key
from kpi_tritue.contract.qualification import QUALIFICATION_AMBIGUOUS, LeadingWords
from kpi_tritue.contract.schema import QUALIFICATION, ColumnSpec, EnumSpec, ValueType

# Problem codes (issue codes are derived from them in io/sheet.py).
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
NUMBER_TOO_LARGE = "number_too_large"
BAD_ENUM = "bad_enum"
# A qualification whose degree word is followed by a lower level (`Dược sĩ trung học`).
AMBIGUOUS_QUALIFICATION = QUALIFICATION_AMBIGUOUS
# A warning, not an error: a birth-date cell formatted as a date whose serial number is a
# year (1985 typed into a date cell shows as 07/06/1905), read as that year.
DATE_READ_AS_YEAR = "date_read_as_year"

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


class ParsedColumn:
    """Typed values (NA where blank or invalid) and, per row, a problem code or None.

    Problems and text are kept per distinct value with each row's code into them (-1:
    blank); the per-row Series are built only when asked for, which for a clean column of
    200,000 rows is never.
    """

    # A text column's cleaned text, which is also its value (see `of_text`).
    _text: pd.Series | None = None

    def __init__(
        self,
        values: pd.Series,
        codes: np.ndarray[Any, Any],
        distinct: list[str],
        distinct_problems: list[str | None],
        distinct_years: list[int | None] | None = None,
        distinct_notes: list[str | None] | None = None,
    ) -> None:
        self.values = values
        self.codes = codes
        self.distinct = distinct
        self.distinct_problems = distinct_problems
        # A birth-date column only (`birth_years`): the birth year a cell holds without a
        # date, and a warning code per distinct value (a date cell read as a year).
        self.distinct_years = distinct_years
        self.distinct_notes = distinct_notes

    @cached_property
    def years(self) -> pd.Series | None:
        """A birth-date column's years written without a date (Int64, NA elsewhere)."""
        if self.distinct_years is None:
            return None
        whole = np.array([year or 0 for year in self.distinct_years] + [0], dtype="int64")
        missing = np.array([year is None for year in self.distinct_years] + [True])
        return pd.Series(
            pd.arrays.IntegerArray(whole[self.codes], missing[self.codes]), index=self.values.index
        )

    @cached_property
    def note_mask(self) -> np.ndarray[Any, Any]:
        """The rows whose cell carries a warning (`distinct_notes`)."""
        notes = self.distinct_notes
        if notes is None or not any(note is not None for note in notes):
            return np.zeros(len(self.values), dtype=bool)
        flags = np.array([note is not None for note in notes] + [False])
        noted: np.ndarray[Any, Any] = flags[self.codes]
        return noted

    # Whether any row is invalid, carries a warning, is blank: `parse_batch` gives each
    # file's part the whole column's answer when it is no, so that no file is looked at.
    @cached_property
    def any_invalid(self) -> bool:
        return bool(self.invalid_mask.any())

    @cached_property
    def any_noted(self) -> bool:
        return bool(self.note_mask.any())

    @cached_property
    def any_blank(self) -> bool:
        return bool(self.blank_mask.any())

    def note_at(self, position: int) -> str | None:
        code = int(self.codes[position])
        if self.distinct_notes is None or code < 0:
            return None
        return self.distinct_notes[code]

    def year_at(self, position: int) -> int | None:
        code = int(self.codes[position])
        if self.distinct_years is None or code < 0:
            return None
        return self.distinct_years[code]

    @classmethod
    def of_text(cls, text: pd.Series) -> ParsedColumn:
        """A text column: the cleaned text is the value; nothing can be wrong with it."""
        parsed = cls(text, np.empty(0, dtype="int64"), [], [])
        parsed._text = text
        return parsed

    @property
    def is_text(self) -> bool:
        return self._text is not None

    def stored(self) -> Any:
        """The values as a table is built from them (`io.column_batch.framed`): here the
        Series itself; a part of a run's column gives its array alone."""
        return self.values

    def stored_years(self) -> Any:
        """`years` as a table is built from them (see `stored`); None when not a birth
        date."""
        return self.years

    @cached_property
    def invalid_mask(self) -> np.ndarray[Any, Any]:
        if self._text is not None or not any(p is not None for p in self.distinct_problems):
            return np.zeros(len(self.values), dtype=bool)
        flags = np.array([p is not None for p in self.distinct_problems] + [False])
        invalid: np.ndarray[Any, Any] = flags[self.codes]
        return invalid

    @cached_property
    def blank_mask(self) -> np.ndarray[Any, Any]:
        if self._text is not None:
            return self._text.isna().to_numpy(dtype=bool)
        return self.codes < 0

    def problem_at(self, position: int) -> str | None:
        if self._text is not None:
            return None
        code = int(self.codes[position])
        return None if code < 0 else self.distinct_problems[code]

    def text_at(self, position: int) -> str | None:
        """The cleaned text of one cell, None where blank."""
        if self._text is not None:
            value = self._text.iloc[position]
            return None if pd.isna(value) else str(value)
        code = int(self.codes[position])
        return None if code < 0 else self.distinct[code]

    @property
    def problems(self) -> pd.Series:
        if self._text is not None:
            return pd.Series(None, index=self.values.index, dtype="object")
        lookup = np.array([*self.distinct_problems, None], dtype=object)
        return pd.Series(lookup[self.codes], index=self.values.index, dtype="object")

    @property
    def blank(self) -> pd.Series:
        return pd.Series(self.blank_mask, index=self.values.index)

    @property
    def text(self) -> pd.Series:
        if self._text is not None:
            return self._text
        lookup = np.array([*self.distinct, None], dtype=object)
        return pd.Series(lookup[self.codes], index=self.values.index).astype("str")

    @property
    def invalid(self) -> pd.Series:
        return pd.Series(self.invalid_mask, index=self.values.index)


@dataclass(frozen=True)
class Bounds:
    """What the report year allows: no year after it, no date after the reference date;
    and no number larger in size than `max_number` (`limits.MAX_NUMBER`)."""

    report_year: int
    as_of: date
    max_number: int = MAX_NUMBER


def parse_bool(text: str) -> ScalarResult:
    key = fold(text)
    if key in TRUE_WORDS:
        return True, None
    if key in FALSE_WORDS:
        return False, None
    return None, BAD_BOOL


# How calamine writes a number cell too large for a float (the XML may hold any digits).
_INFINITY = frozenset({"inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"})


def _number(text: str) -> float | None:
    """A plain number's value; infinite where it is too large for a float (`1E+999`, or
    5,000 digits: `float` reads any number of them, unlike `int`)."""
    compact = text.replace(" ", "")
    if _PLAIN_NUMBER.match(compact):
        return float(compact)
    if compact.lower() in _INFINITY:
        return math.inf
    return None


def number_shown(text: str) -> str:
    """A number too large (`NUMBER_TOO_LARGE`) as a message quotes it: a long one (`1E+308`
    as calamine writes it, 309 digits) in six significant digits, which say its size."""
    if len(text) <= 20:
        return text
    try:
        number = float(text.replace(" ", ""))
    except ValueError:
        return text  # `999…9 %` in a percentage column
    return f"{number:.6g}" if math.isfinite(number) else text


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
        if number is None or (math.isfinite(number) and not number.is_integer()):
            return None, BAD_YEAR
        if not math.isfinite(number):
            return None, YEAR_OUT_OF_RANGE
        year = int(number)
    if not MIN_YEAR <= year <= bounds.report_year:
        return None, YEAR_OUT_OF_RANGE
    return year, None


def _make_number_parser(
    column: ColumnSpec, whole: bool, bounds: Bounds
) -> Callable[[str], ScalarResult]:
    def parse(text: str) -> ScalarResult:
        number = _number(text)
        if number is None and column.maximum == 100 and (match := _PERCENT.match(text)):
            number = float(match[1])
        if number is None:
            return None, BAD_NUMBER
        if not abs(number) <= bounds.max_number:
            return None, NUMBER_TOO_LARGE
        if whole and not number.is_integer():
            return None, NOT_WHOLE
        if column.minimum is not None and number < column.minimum:
            return None, BELOW_MINIMUM
        if column.maximum is not None and number > column.maximum:
            return None, ABOVE_MAXIMUM
        return (int(number) if whole else number), None

    return parse


def _make_enum_parser(enum: EnumSpec) -> Callable[[str], ScalarResult]:
    if enum.name == QUALIFICATION.name:
        # A category value first, then the leading degree words (`ThS. Luật`).
        return LeadingWords(enum).read
    lookup = enum.lookup

    def parse(text: str) -> ScalarResult:
        code = lookup.get(fold(text))
        return (code, None) if code is not None else (None, BAD_ENUM)

    return parse


# Python's `\s` for str patterns, in RE2 (Arrow's regex engine) terms.
_ARROW_WHITESPACE = r"[\s\p{Z}\x0b\x1c-\x1f\x85]+"


def clean_column(raw: pd.Series) -> pd.Series:
    """Cell text NFC-normalised, trimmed and folded (as `clean_text`); blank cells become NA.

    In Arrow, over the column's distinct values; a column whose first cells are mostly
    distinct (IDs) is cleaned as it is, since hashing it would cost more than it saves.
    """
    import pyarrow.compute as pc

    array = _arrow_strings(raw)
    if _mostly_distinct(array):
        return _arrow_text(_cleaned(array), raw.index)
    encoded = pc.dictionary_encode(array)
    cleaned = _cleaned(encoded.dictionary)
    if cleaned.equals(encoded.dictionary):
        # No distinct value changes (nor is left blank): the column is its own cleaning,
        # not a new copy of every row's text.
        return _arrow_text(array, raw.index)
    return _arrow_text(pc.take(cleaned, encoded.indices), raw.index)


def _arrow_strings(raw: pd.Series) -> Any:
    import pyarrow as pa

    if raw.dtype == object:
        raw = raw.map(lambda v: v if isinstance(v, str) else str(v), na_action="ignore")
    return pa.array(raw, type=pa.large_string(), from_pandas=True)


def _arrow_text(array: Any, index: pd.Index) -> pd.Series:
    import pyarrow as pa

    return pd.Series(array, index=index, dtype=pd.ArrowDtype(pa.large_string())).astype("str")


def clean_strings(array: Any) -> Any:
    """`clean_text` of an Arrow string array, in Arrow; a value left empty becomes null."""
    return _cleaned(array)


def _cleaned(array: Any) -> Any:
    """`clean_text` in Arrow; an empty result is blank. NFC leaves ASCII text as it is."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if pc.all(pc.string_is_ascii(array)).as_py() is not True:
        array = pc.utf8_normalize(array, form="NFC")
    array = pc.replace_substring_regex(array, pattern=_ARROW_WHITESPACE, replacement=" ")
    array = pc.utf8_trim(array, characters=" ")
    return pc.if_else(pc.equal(array, ""), pa.scalar(None, pa.large_string()), array)


def _mostly_distinct(array: Any, sample: int = 2048) -> bool:
    import pyarrow.compute as pc

    head = array.slice(0, sample).drop_null()
    return len(head) >= 64 and len(pc.unique(head)) * 2 > len(head)


def _distinct_codes(raw: pd.Series) -> tuple[np.ndarray[Any, Any], list[str], Any]:
    """Each row's code (-1: blank) into the cleaned distinct values, as text and in Arrow."""
    import pyarrow.compute as pc

    encoded = pc.dictionary_encode(_arrow_strings(raw))
    cleaned = _cleaned(encoded.dictionary)
    values = cleaned.to_pylist()
    # Each distinct value's code, -1 for one left blank (and, last, for a blank cell):
    # one lookup over the rows, whose memory is new on every column of a big sheet.
    of_value = np.array([-1 if v is None else i for i, v in enumerate(values)] + [-1])
    indices = pc.fill_null(encoded.indices, len(values)).to_numpy(zero_copy_only=False)
    codes: np.ndarray[Any, Any] = of_value.astype("int64")[indices]
    return codes, [v or "" for v in values], cleaned


def parse_column(raw: pd.Series, column: ColumnSpec, bounds: Bounds) -> ParsedColumn:
    """Parse one column of cell text according to its contract type."""
    if column.type is ValueType.TEXT:
        text = clean_column(raw)
        return ParsedColumn.of_text(_translated_text(text, column) if column.value_map else text)
    codes, distinct, cleaned = _distinct_codes(raw)
    years: list[int | None] | None = None
    notes: list[str | None] | None = None
    if column.type is ValueType.DATE:
        results = _parse_dates(cleaned, distinct, _date_bounds(column, bounds))
        # The birth-date column, in which a year stands for a birth date
        # (official-lists.md, section 1 and settled detail 9).
        if column.key == "birth_date":
            results, years, notes = birth_years(distinct, results, bounds)
    else:
        parser = _scalar_parser(column, bounds)
        results = [parser(value) if value else (None, None) for value in distinct]
    if column.value_map:
        # A `--columns` value mapping: the mapped value is read in the cell's place (the
        # cell's own text is what a message quotes).
        mapped = dict(column.value_map)
        parser = _scalar_parser(column, bounds)
        for position, value in enumerate(distinct):
            if value and (instead := mapped.get(value_key(value))) is not None:
                results[position] = parser(instead)
    values = _typed([value for value, _ in results], codes, column, raw.index)
    problems = [problem for _, problem in results]
    return ParsedColumn(values, codes, distinct, problems, years, notes)


_FOUR_DIGITS = re.compile(r"^\d{4}$")
# Excel's day 0 in the 1900 date system: a date cell's serial number counts days from it.
_EXCEL_EPOCH = date(1899, 12, 30)


def excel_serial(day: date) -> int:
    """The serial number Excel stores for a date (1900 date system)."""
    return (day - _EXCEL_EPOCH).days


def birth_years(
    distinct: list[str], results: list[ScalarResult], bounds: Bounds
) -> tuple[list[ScalarResult], list[int | None], list[str | None]]:
    """A birth-date column's distinct values read again where they are years.

    A number from 1900 to the report year (a number cell, or text of exactly four digits:
    `01/1985` stays a bad date) is a birth year, not an error; four digits outside that
    range are a year out of range. A date cell whose serial number lies in that range
    (1985 typed into a date cell shows as 07/06/1905) is the year equal to the serial,
    with a warning. Returns the results (no date where a year was read), each value's
    year (None for a date or nothing) and its warning code.
    """
    years: list[int | None] = [None] * len(distinct)
    notes: list[str | None] = [None] * len(distinct)
    first = _EXCEL_EPOCH + timedelta(days=MIN_YEAR)
    last = _EXCEL_EPOCH + timedelta(days=bounds.report_year)
    read = list(results)
    for position, (text, (value, problem)) in enumerate(zip(distinct, results, strict=True)):
        if problem == DATE_IS_NUMBER and _FOUR_DIGITS.match(text):
            year = int(text)
            if MIN_YEAR <= year <= bounds.report_year:
                read[position], years[position] = (None, None), year
            else:
                read[position] = (None, YEAR_OUT_OF_RANGE)
        elif value is not None and first <= value <= last and re.match(_CELL_DATE, text):
            read[position] = (None, None)
            years[position] = excel_serial(value)
            notes[position] = DATE_READ_AS_YEAR
    return read, years, notes


def _translated_text(text: pd.Series, column: ColumnSpec) -> pd.Series:
    """A text column with a `--columns` value mapping applied, over its distinct values."""
    mapped = dict(column.value_map)
    hits = {v: mapped[k] for v in text.dropna().unique() if (k := value_key(str(v))) in mapped}
    if not hits:
        return text
    return text.where(~text.isin(list(hits)), text.map(hits))


def _scalar_parser(column: ColumnSpec, bounds: Bounds) -> Callable[[str], ScalarResult]:
    match column.type:
        case ValueType.BOOL:
            return parse_bool
        case ValueType.DATE:
            return lambda text: parse_date(text, _date_bounds(column, bounds))
        case ValueType.YEAR:
            return lambda text: parse_year(text, bounds)
        case ValueType.INT:
            return _make_number_parser(column, whole=True, bounds=bounds)
        case ValueType.NUMBER:
            return _make_number_parser(column, whole=False, bounds=bounds)
        case ValueType.ENUM:
            assert column.enum is not None
            return _make_enum_parser(column.enum)
        case ValueType.TEXT:
            raise ValueError("text columns need no parser")


def _date_bounds(column: ColumnSpec, bounds: Bounds) -> Bounds:
    if column.future_allowed:
        return Bounds(report_year=bounds.report_year, as_of=date.max)
    return bounds


# A date cell as calamine writes it as text: every one of a column's distinct dates is
# parsed at once, in Arrow and numpy, exactly as `parse_date` would.
_CELL_DATE = r"^\d{4}-\d{2}-\d{2} 00:00:00$"


def _parse_dates(cleaned: Any, distinct: list[str], bounds: Bounds) -> list[ScalarResult]:
    """`parse_date` of each distinct value ("" is blank): date cells at once, others one by one."""
    import pyarrow as pa
    import pyarrow.compute as pc

    is_cell = pc.fill_null(pc.match_substring_regex(cleaned, _CELL_DATE), False)
    cells = is_cell.to_numpy(zero_copy_only=False)
    results: list[ScalarResult] = [
        (None, None) if not text or cell else parse_date(text, bounds)
        for text, cell in zip(distinct, cells, strict=True)
    ]
    positions = np.flatnonzero(cells)
    if not len(positions):
        return results
    texts = pc.filter(cleaned, is_cell)

    def number(start: int, stop: int) -> np.ndarray[Any, Any]:
        part = pc.utf8_slice_codeunits(texts, start, stop)
        return np.asarray(pc.cast(part, pa.int64()).to_numpy(zero_copy_only=False))

    year, month, day = number(0, 4), number(5, 7), number(8, 10)
    # `date(year, month, day)` raises for these; the month is clipped only to compute.
    known_month = (month >= 1) & (month <= 12)
    months = ((year - 1970) * 12 + np.clip(month, 1, 12) - 1).astype("datetime64[M]")
    first = months.astype("datetime64[D]")
    length = ((months + 1).astype("datetime64[D]") - first).astype("int64")
    valid = known_month & (day >= 1) & (day <= length) & (year >= 1)
    found = first + np.where(valid, day - 1, 0).astype("timedelta64[D]")
    problems = np.where(
        ~valid | (year < MIN_YEAR),
        BAD_DATE,
        np.where(found > np.datetime64(bounds.as_of, "D"), FUTURE_DATE, ""),
    )
    for position, value, problem in zip(
        positions.tolist(), found.astype(object), problems.tolist(), strict=True
    ):
        results[position] = (value, None) if not problem else (None, problem)
    return results


def _typed(
    distinct: list[Any], codes: np.ndarray[Any, Any], column: ColumnSpec, index: pd.Index
) -> pd.Series:
    """Spread the parsed distinct values over the rows as a typed array, NA where none.

    Each array over the rows is made once, by one lookup, in the dtype it is kept in: on a
    big sheet each is memory touched for the first time.
    """
    match column.type:
        case ValueType.BOOL:
            # A blank cell in a bool column that is present means "no".
            flags = np.array([bool(value) for value in distinct] + [False])[codes]
            return pd.Series(pd.arrays.BooleanArray(flags, np.zeros(len(flags), bool)), index=index)
        case ValueType.YEAR | ValueType.INT:
            whole = np.array([value or 0 for value in distinct] + [0], dtype="int64")[codes]
            return pd.Series(pd.arrays.IntegerArray(whole, _missing(distinct, codes)), index=index)
        case ValueType.NUMBER:
            real = np.array([value or 0.0 for value in distinct] + [0.0], dtype="float64")[codes]
            return pd.Series(pd.arrays.FloatingArray(real, _missing(distinct, codes)), index=index)
        case ValueType.DATE:
            # None becomes NaT; the index -1 of a blank cell takes the last one.
            days = np.array([*distinct, None], dtype="datetime64[D]").astype("datetime64[ns]")
            return pd.Series(days[codes], index=index)
        case ValueType.ENUM:
            assert column.enum is not None
            categories = list(column.enum.codes)
            # The codes in the dtype a Categorical keeps them in (int8 below 127 categories).
            small = np.int8 if len(categories) < 127 else np.int64
            positions = np.array(
                [categories.index(value) if value is not None else -1 for value in distinct] + [-1],
                dtype=small,
            )[codes]
            return pd.Series(
                pd.Categorical.from_codes(positions, dtype=pd.CategoricalDtype(categories)),
                index=index,
            )
        case ValueType.TEXT:
            raise ValueError("text columns are not parsed")


def _missing(distinct: list[Any], codes: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """The rows without a value (blank, or a distinct value parsed to None)."""
    missing: np.ndarray[Any, Any] = np.array([value is None for value in distinct] + [True])[codes]
    return missing
