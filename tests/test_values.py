import math
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kpi_tritue.contract.schema import (
    FIGURES,
    SPECIALIST_TEAMS,
    UNIT_CHANGES,
    UNITS,
    WORKFORCE,
    SheetSpec,
)
from kpi_tritue.contract.values import (
    BAD_BOOL,
    BAD_DATE,
    BAD_ENUM,
    BAD_NUMBER,
    BAD_YEAR,
    BELOW_MINIMUM,
    DATE_IS_NUMBER,
    FUTURE_DATE,
    NOT_WHOLE,
    NUMBER_TOO_LARGE,
    YEAR_OUT_OF_RANGE,
    Bounds,
    parse_bool,
    parse_column,
    parse_date,
    parse_year,
)
from kpi_tritue.model.issues import Severity

BOUNDS = Bounds(report_year=2025, as_of=date(2025, 12, 31))


@pytest.mark.parametrize(
    "text", ["x", "X", "✓", "có", "Có", "CÓ", "yes", "1", "TRUE", "true", "đạt"]
)
def test_true_words(text: str) -> None:
    assert parse_bool(text) == (True, None)


@pytest.mark.parametrize("text", ["không", "Không", "no", "0", "FALSE", "chưa đạt", "Chưa Đạt"])
def test_false_words(text: str) -> None:
    assert parse_bool(text) == (False, None)


@pytest.mark.parametrize("text", ["có lẽ", "maybe", "2", "xx"])
def test_other_bool_words_are_errors(text: str) -> None:
    assert parse_bool(text) == (None, BAD_BOOL)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-12-31", date(2025, 12, 31)),
        ("1985-03-15 00:00:00", date(1985, 3, 15)),
        ("15/03/1985", date(1985, 3, 15)),
        ("5/3/1985", date(1985, 3, 5)),
        ("05.03.1985", date(1985, 3, 5)),
        ("05-03-1985", date(1985, 3, 5)),
    ],
)
def test_dates_in_vietnamese_order(text: str, expected: date) -> None:
    assert parse_date(text, BOUNDS) == (expected, None)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("31/02/1980", BAD_DATE),
        ("13/13/1980", BAD_DATE),
        ("03/15/1985", BAD_DATE),  # mm/dd is never guessed
        ("1985", DATE_IS_NUMBER),
        ("31161", DATE_IS_NUMBER),
        ("ngày 5 tháng 3", BAD_DATE),
        ("01/01/2026", FUTURE_DATE),
        ("01/01/1850", BAD_DATE),
    ],
)
def test_bad_dates(text: str, problem: str) -> None:
    assert parse_date(text, BOUNDS) == (None, problem)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1985", 1985), ("1985.0", 1985), ("1985-03-15 00:00:00", 1985), ("15/03/1985", 1985)],
)
def test_years(text: str, expected: int) -> None:
    assert parse_year(text, BOUNDS) == (expected, None)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("1985.5", BAD_YEAR),
        ("năm 85", BAD_YEAR),
        ("2031", YEAR_OUT_OF_RANGE),
        ("1899", YEAR_OUT_OF_RANGE),
    ],
)
def test_bad_years(text: str, problem: str) -> None:
    assert parse_year(text, BOUNDS) == (None, problem)


def _column(
    values: list[object], spec_column: str, sheet=WORKFORCE
) -> tuple[list[object], list[object]]:
    raw = pd.Series(values, dtype="object")
    parsed = parse_column(raw, sheet.column(spec_column), BOUNDS)
    return parsed.values.tolist(), parsed.problems.tolist()


def test_enum_synonyms_and_normalisation() -> None:
    values, problems = _column(
        ["Tỉnh", "cấp huyện", "PHƯỜNG", "Thị trấn", "Province", "xa", "Trung ương", None], "level"
    )
    assert values[:6] == ["province", "district", "commune", "commune", "province", "commune"]
    assert problems[6] == BAD_ENUM
    assert pd.isna(values[7]) and problems[7] is None


def test_qualification_synonyms() -> None:
    values, _ = _column(["CKI", "CK II", "BSNT", "Thạc sỹ", "Tiến sĩ", "Đại học"], "qualification")
    assert values == ["specialist_1", "specialist_2", "resident", "master", "doctorate", "bachelor"]


def test_blank_bool_cell_means_no() -> None:
    values, problems = _column(["x", None, "   ", "không"], "talent")
    assert values == [True, False, False, False]
    assert problems == [None, None, None, None]


def test_numbers() -> None:
    values, problems = _column(["1320000", "12.5", "1.320.000", "-3", "1e3"], "value", FIGURES)
    assert values[0] == 1320000 and values[1] == 12.5 and values[4] == 1000
    assert problems[2] == BAD_NUMBER
    assert problems[3] == BELOW_MINIMUM


def test_percent_text_in_a_percentage_column() -> None:
    values, problems = _column(["30%", "30", "120"], "postgrad_norm", UNITS)
    assert values[:2] == [30, 30]
    assert problems[2] is not None


def test_int_column_refuses_fractions() -> None:
    from kpi_tritue.contract.schema import SPECIALIST_TEAMS

    values, problems = _column(["2", "2.5"], "teams", SPECIALIST_TEAMS)
    assert values[0] == 2
    assert problems[1] == NOT_WHOLE


@pytest.mark.parametrize(
    "text", ["1E+308", "1" * 5000, "-1e20", "1000000000000001", "inf", "-Infinity"]
)
@pytest.mark.parametrize(("sheet", "key"), [(FIGURES, "value"), (SPECIALIST_TEAMS, "teams")])
def test_a_number_too_large_is_a_problem_of_its_own(sheet: SheetSpec, key: str, text: str) -> None:
    values, problems = _column([text, "1000000000000000"], key, sheet)
    assert problems == [NUMBER_TOO_LARGE, None]
    assert pd.isna(values[0]) and values[1] == 10**15


def test_the_largest_number_is_a_setting_up_to_where_numbers_stay_exact(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from kpi_tritue.contract.limits import MAX_NUMBER, MAX_NUMBER_CEILING, Limits

    assert Limits.from_environment().max_number == MAX_NUMBER == 10**15
    monkeypatch.setenv("KPI_MAX_NUMBER", str(5 * 10**15))
    assert Limits.from_environment().max_number == 5 * 10**15
    monkeypatch.setenv("KPI_MAX_NUMBER", "9" * 40)
    assert Limits.from_environment().max_number == MAX_NUMBER_CEILING == 2**53
    bounds = Bounds(report_year=2025, as_of=date(2025, 12, 31), max_number=5 * 10**15)
    parsed = parse_column(pd.Series(["2e15"]), FIGURES.column("value"), bounds)
    assert parsed.values.tolist() == [2e15]


numbers_of_any_size = st.one_of(
    st.floats(allow_nan=False).map(repr),
    st.integers().map(str),
    st.integers(1, 6000).map(lambda n: "9" * n),
    st.integers(-400, 400).map(lambda e: f"1E+{e}"),
)


@pytest.mark.parametrize(
    ("sheet", "key"), [(FIGURES, "value"), (SPECIALIST_TEAMS, "teams"), (UNITS, "postgrad_norm")]
)
@given(texts=st.lists(numbers_of_any_size, max_size=8))
def test_a_parsed_number_is_finite_and_fits_in_64_bits(
    sheet: SheetSpec, key: str, texts: list[str]
) -> None:
    parsed = parse_column(pd.Series(texts, dtype="object"), sheet.column(key), BOUNDS)
    assert len(parsed.values) == len(parsed.problems) == len(texts)
    for value, problem in zip(parsed.values, parsed.problems, strict=True):
        assert (problem is None) != pd.isna(value)
        if problem is None:
            assert math.isfinite(float(value)) and abs(value) <= 10**15


@pytest.mark.parametrize("text", ["1E+308", "9" * 5000, "inf"])
def test_a_year_of_any_size_is_out_of_range_or_not_a_year(text: str) -> None:
    assert parse_year(text, BOUNDS)[1] in (YEAR_OUT_OF_RANGE, BAD_YEAR)


def test_a_long_number_is_quoted_by_its_size() -> None:
    from kpi_tritue.contract.values import number_shown

    assert number_shown("1" + "0" * 308) == "1e+308"
    assert number_shown("12345") == "12345" and number_shown("inf") == "inf"
    assert number_shown("x" * 30) == "x" * 30


cell_text = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.integers(-(10**6), 10**6).map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(str),
    st.dates().map(lambda d: d.strftime("%d/%m/%Y")),
    st.sampled_from(["x", "có", "Tỉnh", "CKII", "31/02/1980", "1e400", "nan", "inf", "\u0000"]),
)


@pytest.mark.parametrize("key", [c.key for c in WORKFORCE.columns if c.key != "full_name"])
@given(values=st.lists(cell_text, max_size=12))
def test_any_cell_text_gives_a_value_or_a_problem(key: str, values: list[str | None]) -> None:
    raw = pd.Series(values, dtype="object")
    parsed = parse_column(raw, WORKFORCE.column(key), BOUNDS)
    assert len(parsed.values) == len(values)
    years = parsed.years if parsed.years is not None else pd.Series(pd.NA, index=raw.index)
    rows = zip(parsed.values, parsed.problems, parsed.blank, years, strict=True)
    for value, problem, blank, year in rows:
        if pd.notna(problem):
            assert not blank
        elif not blank and WORKFORCE.column(key).type.value != "bool":
            # A birth-date cell may hold a year instead (official-lists.md, section 1).
            assert pd.isna(value) != pd.isna(year)


vietnamese_text = st.text(
    alphabet=st.sampled_from(
        list("aăâbcdđeêghiklmnoôơpqrstuưvxyAĐƠ ỳýỷỹỵ\u0300\u0301\u0303\u0309\u0323")
        + [" ", "\t", "\n", "\u00a0", "\u2003", "\u3000", "\x0b", "\x85", "1", "."]
    ),
    max_size=20,
)


@given(st.lists(vietnamese_text, max_size=8))
def test_arrow_cleaning_agrees_with_python_cleaning(values: list[str]) -> None:
    from kpi_tritue.contract.normalize import clean_text
    from kpi_tritue.contract.values import clean_column

    cleaned = clean_column(pd.Series(values, dtype="object")).tolist()
    expected = [clean_text(v) or None for v in values]
    assert [None if pd.isna(c) else c for c in cleaned] == expected


# -- years in birth-date cells (official-lists.md, section 1; settled detail 9) ------------

BIRTH = WORKFORCE.column("birth_date")
UNIT_CHANGES_EFFECTIVE = UNIT_CHANGES.column("effective_date")


def _birth(texts: list[str | None]) -> tuple[list[Any], list[Any], list[Any], list[Any]]:
    from kpi_tritue.contract.values import ParsedColumn

    parsed: ParsedColumn = parse_column(pd.Series(texts, dtype="object"), BIRTH, BOUNDS)
    assert parsed.years is not None
    notes = [parsed.note_at(i) for i in range(len(texts))]
    dates = [None if pd.isna(v) else v.date() for v in parsed.values]
    years = [None if pd.isna(y) else int(y) for y in parsed.years]
    problems = [None if pd.isna(p) else p for p in parsed.problems]
    return dates, years, problems, notes


@given(st.integers(1900, BOUNDS.report_year))
def test_a_number_in_a_birth_date_cell_is_a_birth_year(year: int) -> None:
    # A number cell comes from the reader as its digits; text of four digits is the same.
    assert _birth([str(year)]) == ([None], [year], [None], [None])


@given(st.integers(1000, 9999).filter(lambda y: not 1900 <= y <= BOUNDS.report_year))
def test_four_digits_outside_the_years_are_a_year_out_of_range(year: int) -> None:
    assert _birth([str(year)])[2] == [YEAR_OUT_OF_RANGE]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("01/1985", BAD_DATE),
        ("1985.5", DATE_IS_NUMBER),
        ("85", DATE_IS_NUMBER),
        ("1985 x", BAD_DATE),
    ],
)
def test_only_four_digits_are_a_year(text: str, problem: str) -> None:
    assert _birth([text]) == ([None], [None], [problem], [None])


@given(st.integers(1900, BOUNDS.report_year))
def test_a_date_cell_whose_serial_is_a_year_is_read_as_that_year_with_a_warning(year: int) -> None:
    from datetime import timedelta

    from kpi_tritue.contract.values import DATE_READ_AS_YEAR, excel_serial

    shown = date(1899, 12, 30) + timedelta(days=year)
    assert excel_serial(shown) == year
    cell = f"{shown.isoformat()} 00:00:00"
    assert _birth([cell]) == ([None], [year], [None], [DATE_READ_AS_YEAR])


def test_1985_typed_into_a_date_cell_shows_as_7_june_1905() -> None:
    from kpi_tritue.contract.values import DATE_READ_AS_YEAR

    assert _birth(["1905-06-07 00:00:00"]) == ([None], [1985], [None], [DATE_READ_AS_YEAR])
    # The same day typed as text is a date (if an odd one), and the days around the
    # years' serials are dates as well.
    assert _birth(["07/06/1905", "1905-03-13 00:00:00", "1985-06-07 00:00:00"])[:2] == (
        [date(1905, 6, 7), date(1905, 3, 13), date(1985, 6, 7)],
        [None, None, None],
    )


def test_years_are_read_only_in_the_birth_date_column() -> None:
    column = UNIT_CHANGES_EFFECTIVE
    parsed = parse_column(pd.Series(["1985", "1905-06-07 00:00:00"]), column, BOUNDS)
    assert parsed.years is None and parsed.problem_at(0) == DATE_IS_NUMBER
    assert parsed.values.iloc[1].date() == date(1905, 6, 7)


def test_a_year_in_the_birth_date_column_gives_the_age(tmp_path: Path) -> None:
    from datetime import datetime

    from engine_fixtures import Book, leader, load, result

    people = [
        leader(birth_date=1985),  # a number cell: 2024 − 1985 = 39, under 40
        leader(birth_date="1984"),  # text of four digits: 40
        leader(birth_date=datetime(1905, 6, 7)),  # 1985 typed into a date cell: 39
        leader(birth_date="01/01/1985"),  # 39
    ]
    book = Book(
        people,
        columns=(
            "id",
            "unit",
            "level",
            "sector",
            "category",
            "birth_date",
            "qualification",
            "is_manager",
        ),
    )
    measured = result(tmp_path, book, "provincial_leaders_under_40").measurement
    assert (measured.numerator, measured.denominator) == (3, 4)
    dataset = load(tmp_path / "data.xlsx")
    frame = dataset.tables["workforce"].frame
    assert frame["birth_year"].tolist() == [1985, 1984, 1985, 1985]
    assert "_birth_date_year" not in frame
    (warning,) = [i for i in dataset.issues if i.code == "date_read_as_year"]
    assert (warning.severity, warning.cell) == (Severity.WARNING, "F4")
    assert "07/06/1905" in warning.message("en") and "1985" in warning.message("vi")


def test_a_year_in_the_birth_date_column_is_compared_with_the_birth_year(tmp_path: Path) -> None:
    from engine_fixtures import Book, load, person

    book = Book(
        [person(birth_date=1985, birth_year=1986), person(birth_date=1985, birth_year=1985)]
    )
    dataset = load(book.write(tmp_path / "data.xlsx"))
    (mismatch,) = [i for i in dataset.issues if i.code == "birth_mismatch"]
    assert "1985" in mismatch.message("en") and mismatch.severity is Severity.WARNING
    assert dataset.tables["workforce"].frame["birth_year"].tolist() == [1985, 1985]
