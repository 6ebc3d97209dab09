"""The arithmetic of every indicator, checked against values worked out by hand."""

from __future__ import annotations

import math
import random
import tempfile
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine_fixtures import (
    ALL_COLUMNS,
    CATALOG,
    Book,
    doctor,
    figures,
    leader,
    load,
    person,
    result,
    run,
    teacher,
)
from kpi_tritue.catalog.reading import parse_catalog
from kpi_tritue.compute.engine import NO_GROUP, assess, compute
from kpi_tritue.i18n import ISSUE_MESSAGES, TEXT
from kpi_tritue.io.dataset import load_dataset
from kpi_tritue.model.results import Measurement, Note, Status, Target
from kpi_tritue.render.notes import note_message


def approx(value: float) -> Any:
    return pytest.approx(value, rel=1e-12, abs=1e-12)


def check(
    measurement: Measurement,
    status: Status,
    value: float | None,
    gap: float | None,
    shortfall: int | None,
    numerator: float | None,
    denominator: float | None,
) -> None:
    assert measurement.status is status, measurement
    assert measurement.value == (None if value is None else approx(value))
    assert measurement.gap == (None if gap is None else approx(gap))
    assert measurement.shortfall == shortfall
    assert measurement.numerator == numerator
    assert measurement.denominator == denominator


# ---------------------------------------------------------------------------------------
# Health


def test_doctors_per_10k(tmp_path: Path) -> None:
    people = [
        doctor(),
        doctor(profession="Bác sĩ chuyên khoa I"),
        doctor(profession="BÁC SĨ Y học dự phòng", category="Người lao động"),
        doctor(status="Nghỉ hưu"),
        person(profession="Điều dưỡng"),
    ]
    book = Book(people, figures=figures({"population": 4000, "private_doctors": 2}))
    # (3 active doctors + 2 private) × 10 000 ÷ 4 000 = 12.5; gap 14 − 12.5 = 1.5;
    # shortfall ceil(14 × 4 000 ÷ 10 000 − 5 − 1e-9) = ceil(0.6) = 1.
    check(
        result(tmp_path, book, "doctors_per_10k").measurement,
        Status.NOT_MET,
        12.5,
        1.5,
        1,
        5,
        4000,
    )


def test_private_doctors_default_to_zero(tmp_path: Path) -> None:
    book = Book([doctor(), doctor(), doctor()], figures=figures({"population": 4000}))
    measurement = result(tmp_path, book, "doctors_per_10k").measurement
    # 3 × 10 000 ÷ 4 000 = 7.5; shortfall ceil(5.6 − 3) = 3.
    check(measurement, Status.NOT_MET, 7.5, 6.5, 3, 3, 4000)
    assert measurement.note is None


def test_shortfall_example_of_the_spec(tmp_path: Path) -> None:
    people = [doctor(unit=f"Bệnh viện {i % 7}") for i in range(1500)]
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
            "profession",
        ),
        figures=figures({"population": 1_320_000}),
    )
    measurement = result(tmp_path, book, "doctors_per_10k").measurement
    # 1 500 × 10 000 ÷ 1 320 000 = 11.3636…; ceil(14 × 1 320 000 ÷ 10 000 − 1 500) = 348.
    check(
        measurement,
        Status.NOT_MET,
        1500 * 10000 / 1_320_000,
        14 - 1500 * 10000 / 1_320_000,
        348,
        1500,
        1_320_000,
    )


def test_specialist_team_coverage(tmp_path: Path) -> None:
    teams = [("Tim mạch", 2), ("Ung bướu", 1), ("Thần kinh", 0), ("Sản", 3)]
    book = Book([person()], teams=teams)
    # 3 of 4 specialties have a team: 75 %; = 100 % → 1 more.
    check(
        result(tmp_path, book, "specialist_team_coverage").measurement,
        Status.NOT_MET,
        75.0,
        25.0,
        1,
        3,
        4,
    )


def test_postgrad_norm_units(tmp_path: Path) -> None:
    units: list[dict[str, Any]] = [
        {"unit": "Bệnh viện A", "sector": "Y tế", "postgrad_norm": 50},
        {"unit": "Trường B", "sector": "Giáo dục", "postgrad_norm": 30},
        {"unit": "Viện C", "sector": "KH&CN", "postgrad_norm": 0},
        {"unit": "Sở D", "sector": "QLNN", "postgrad_norm": 100},
        {"unit": "Trung tâm E", "sector": "Y tế"},
        {"unit": "Trạm F", "sector": "Y tế", "postgrad_norm": 10},
    ]
    people = [
        person(unit="Bệnh viện A", qualification="Thạc sĩ"),
        person(unit="BỆNH VIỆN  A", qualification="Đại học"),  # the same unit, spelt loosely
        person(unit="Trường B", sector="Giáo dục"),
        person(unit="Trường B", sector="Giáo dục"),
        person(unit="Trường B", sector="Giáo dục"),
        person(unit="Trường B", sector="Giáo dục", qualification="Tiến sĩ", status="Nghỉ hưu"),
        person(unit="Viện C", sector="KH&CN"),
        person(unit="Sở D", sector="QLNN", qualification="Thạc sĩ"),
        person(unit="Trung tâm E", qualification="Thạc sĩ"),
        person(unit="Trạm F", status="Đã nghỉ việc", qualification="Thạc sĩ"),
    ]
    book = Book(people, units=units)
    # Units counted: A (1 of 2 postgraduate = 50 % ≥ 50: meets), B (0 % < 30), C (0 % ≥ 0:
    # meets). D is another sector, E has no norm, F has no active staff.
    # 2 ÷ 3 × 100 = 66.67 %; shortfall ceil(100 × 3 ÷ 100 − 2) = 1 unit.
    check(
        result(tmp_path, book, "postgrad_norm_units").measurement,
        Status.NOT_MET,
        200 / 3,
        100 - 200 / 3,
        1,
        2,
        3,
    )


# ---------------------------------------------------------------------------------------
# Education


def test_teacher_staffing_preschool(tmp_path: Path) -> None:
    people = [teacher("Mầm non") for _ in range(9)] + [
        teacher("Mẫu giáo", profession="Giáo viên mầm non hạng III"),
        teacher("Mầm non", status="Nghỉ hưu"),
        teacher("Tiểu học"),
        person(sector="Giáo dục", profession="Nhân viên", school_level="Mầm non"),
    ]
    book = Book(people, figures=figures({"nursery_groups": 2, "kindergarten_classes": 3}))
    # 10 ÷ (2 × 2.5 + 3 × 2.2 = 11.6) × 100 = 86.21 %; shortfall ceil(11.6 − 10) = 2.
    check(
        result(tmp_path, book, "teacher_staffing_preschool").measurement,
        Status.NOT_MET,
        1000 / 11.6,
        100 - 1000 / 11.6,
        2,
        10,
        2 * 2.5 + 3 * 2.2,
    )


def test_teacher_staffing_primary(tmp_path: Path) -> None:
    book = Book([teacher("Tiểu học") for _ in range(7)], figures=figures({"primary_classes": 4}))
    # 7 ÷ (4 × 1.5) × 100 = 116.67 % ≥ 100.
    check(
        result(tmp_path, book, "teacher_staffing_primary").measurement,
        Status.MET,
        700 / 6,
        0.0,
        0,
        7,
        6,
    )


def test_teacher_staffing_lower_secondary(tmp_path: Path) -> None:
    book = Book(
        [teacher("THCS") for _ in range(11)], figures=figures({"lower_secondary_classes": 6})
    )
    # 6 × 1.9 = 11.399999999999999; 11 ÷ 11.4 × 100 = 96.49 %; ceil(11.4 − 11) = 1.
    check(
        result(tmp_path, book, "teacher_staffing_lower_secondary").measurement,
        Status.NOT_MET,
        1100 / (6 * 1.9),
        100 - 1100 / (6 * 1.9),
        1,
        11,
        6 * 1.9,
    )


def test_teacher_staffing_upper_secondary(tmp_path: Path) -> None:
    book = Book(
        [teacher("Trung học phổ thông") for _ in range(9)],
        figures=figures({"upper_secondary_classes": 4}),
    )
    # 9 ÷ (4 × 2.25 = 9) × 100 = 100 % exactly: met.
    check(
        result(tmp_path, book, "teacher_staffing_upper_secondary").measurement,
        Status.MET,
        100.0,
        0.0,
        0,
        9,
        9,
    )


def test_floating_error_is_absorbed(tmp_path: Path) -> None:
    # 25 × 2.2 = 55.00000000000001: 55 teachers are enough, and none is short.
    book = Book(
        [teacher("Mầm non") for _ in range(55)],
        figures=figures({"nursery_groups": 0, "kindergarten_classes": 25}),
    )
    measurement = result(tmp_path, book, "teacher_staffing_preschool").measurement
    assert measurement.value is not None
    assert measurement.value < 100
    assert measurement.status is Status.MET
    assert measurement.shortfall == 0


def test_education_staff_trained(tmp_path: Path) -> None:
    edu = {"sector": "Giáo dục", "unit": "Trường THPT Phan Đình Phùng"}
    people = [
        teacher("THPT", meets_training_standard=True, **edu),
        teacher("THPT", meets_training_standard=True, **edu),
        teacher("THPT", **edu),
        person(profession="Giảng viên chính", meets_training_standard=True, **edu),
        leader(profession="Chuyên viên", **edu),
        person(profession="Kế toán", meets_training_standard=True, **edu),
        teacher("THPT", meets_training_standard=True, sector="Y tế"),
        teacher("THPT", status="Nghỉ hưu", **edu),
    ]
    # Denominator: 3 teachers, 1 lecturer, 1 leader of the education sector = 5;
    # 3 meet the standard: 60 %; = 100 % → 2 more.
    check(
        result(tmp_path, Book(people), "education_staff_trained").measurement,
        Status.NOT_MET,
        60.0,
        40.0,
        2,
        3,
        5,
    )


def test_certified_labour_share(tmp_path: Path) -> None:
    book = Book([person()], figures=figures({"certified_labour": 450_000, "labour_force": 800_000}))
    # 450 000 ÷ 800 000 × 100 = 56.25 % ≥ 50.
    check(
        result(tmp_path, book, "certified_labour_share").measurement,
        Status.MET,
        56.25,
        0.0,
        0,
        450_000,
        800_000,
    )


# ---------------------------------------------------------------------------------------
# Cadres


def test_foreign_affairs_leaders_language(tmp_path: Path) -> None:
    units = [
        {"unit": "Sở Ngoại vụ", "foreign_affairs": True},
        {"unit": "Sở Y tế", "foreign_affairs": False},
    ]
    people = [
        leader(unit="Sở Ngoại vụ", foreign_language=True),
        leader(unit="SỞ NGOẠI VỤ"),
        person(unit="Sở Ngoại vụ", is_key_leader=True, foreign_language=True),
        person(unit="Sở Ngoại vụ", foreign_language=True),
        leader(unit="Sở Y tế", foreign_language=True),
        leader(unit="Ban Quản lý", foreign_language=True),  # not in DonVi
    ]
    # Leaders of foreign-affairs units: 3 (one a key leader only); 2 speak: 66.67 %.
    check(
        result(tmp_path, Book(people, units=units), "foreign_affairs_leaders_language").measurement,
        Status.NOT_MET,
        200 / 3,
        100 - 200 / 3,
        1,
        2,
        3,
    )


def test_provincial_leaders_international(tmp_path: Path) -> None:
    people = (
        [leader(international=True)]
        + [leader() for _ in range(3)]
        + [
            leader(level="Huyện", international=True),
            person(international=True),
        ]
    )
    # 1 of 4 provincial leaders: 25 %, exactly the lower bound of 25–30 %: met.
    check(
        result(tmp_path, Book(people), "provincial_leaders_international").measurement,
        Status.MET,
        25.0,
        0.0,
        0,
        1,
        4,
    )


@pytest.mark.parametrize(
    ("international", "status", "gap", "shortfall"),
    [
        (2, Status.NOT_MET, 5.0, 1),  # 20 % < 25: ceil(25 × 10 ÷ 100 − 2) = 1
        (3, Status.MET, 0.0, 0),  # 30 %: exactly the upper bound
        (4, Status.ABOVE_RANGE, 10.0, 0),  # 40 % > 30: gap 40 − 30
    ],
)
def test_band_edges(
    tmp_path: Path, international: int, status: Status, gap: float, shortfall: int
) -> None:
    people = [leader(international=i < international) for i in range(10)]
    check(
        result(tmp_path, Book(people), "provincial_leaders_international").measurement,
        status,
        international * 10.0,
        gap,
        shortfall,
        international,
        10,
    )


def test_job_position_fit(tmp_path: Path) -> None:
    people = [
        person(category="Cán bộ", fits_job_position=True),
        person(category="Công chức", fits_job_position=True),
        person(category="Viên chức", fits_job_position=True),
        person(category="Người lao động"),
        person(category="Công chức", status="Chuyển công tác"),
    ]
    check(
        result(tmp_path, Book(people), "job_position_fit").measurement,
        Status.MET,
        100.0,
        0.0,
        0,
        3,
        3,
    )


def test_equal_to_100_percent_needs_every_one(tmp_path: Path) -> None:
    people = [person(fits_job_position=i > 0) for i in range(3001)]
    columns = (
        "id",
        "unit",
        "level",
        "sector",
        "category",
        "birth_date",
        "qualification",
        "fits_job_position",
    )
    measurement = result(tmp_path, Book(people, columns=columns), "job_position_fit").measurement
    # 3 000 of 3 001 is 99.97 %: not 100 %, whatever the rounding of a table.
    check(measurement, Status.NOT_MET, 300000 / 3001, 100 - 300000 / 3001, 1, 3000, 3001)


def test_assess_equal_target_compares_counts() -> None:
    target = Target(op="==", value=100, year=2030)
    big = 10**12
    assert assess(target, big - 1, big, 100).status is Status.NOT_MET
    assert assess(target, big, big, 100).status is Status.MET
    assert assess(target, big - 1, big, 100).shortfall == 1


def test_provincial_leaders_under_40(tmp_path: Path) -> None:
    people = [
        leader(birth_date="31/12/1984"),  # 40 on the reference date: not under 40
        leader(birth_date="01/01/1985"),  # 39
        leader(birth_date=None, birth_year=1985),  # year only: 2024 − 1985 = 39
        leader(birth_date=None, birth_year=1984),  # 2024 − 1984 = 40
        leader(birth_date="01/01/1995", level="Xã"),
    ]
    # 2 of 4 provincial leaders under 40: 50 %, above the 15–20 % band by 30.
    check(
        result(tmp_path, Book(people), "provincial_leaders_under_40").measurement,
        Status.ABOVE_RANGE,
        50.0,
        30.0,
        0,
        2,
        4,
    )


@pytest.mark.parametrize(
    ("as_of", "under_40"),
    [
        (date(2025, 6, 15), False),  # the 40th birthday itself
        (date(2025, 6, 14), True),  # the day before: still 39
    ],
)
def test_age_on_the_birthday(tmp_path: Path, as_of: date, under_40: bool) -> None:
    people = [leader(birth_date="15/06/1985")]
    measurement = result(
        tmp_path, Book(people), "provincial_leaders_under_40", as_of=as_of
    ).measurement
    assert measurement.numerator == (1 if under_40 else 0)
    assert measurement.denominator == 1


def test_district_key_leaders_under_40(tmp_path: Path) -> None:
    district = {"level": "Huyện", "unit": "Huyện ủy Kỳ Anh"}
    people = [
        person(is_key_leader=True, birth_date="01/01/1990", **district),  # 34
        person(is_standing_committee=True, birth_date="01/01/1970", **district),  # 54
        person(
            is_key_leader=True,
            is_standing_committee=True,
            birth_year=1975,
            birth_date=None,
            **district,
        ),
        person(is_standing_committee=True, birth_date="01/01/1966", **district),
        person(is_key_leader=True, birth_date="01/01/1980", **district),
        leader(birth_date="01/01/1995", **district),  # a manager only: not counted
        person(is_key_leader=True, birth_date="01/01/1995"),  # provincial
    ]
    # 1 of 5 under 40: 20 %, the lower bound of 20–25 %: met.
    check(
        result(tmp_path, Book(people), "district_key_leaders_under_40").measurement,
        Status.MET,
        20.0,
        0.0,
        0,
        1,
        5,
    )


def test_commune_staff(tmp_path: Path) -> None:
    commune = {"level": "Phường", "unit": "UBND phường Bắc Hà"}
    people = [
        person(category="Cán bộ", meets_training_standard=True, standardized=True, **commune),
        person(category="Công chức", standardized=True, **commune),
        person(category="Viên chức", meets_training_standard=True, **commune),
        person(category="Người lao động", **commune),
        person(category="Công chức", meets_training_standard=True),  # provincial
    ]
    computation = run(tmp_path, Book(people))
    # Commune cadres and civil servants: 2. Trained 1 (50 %), standardised 2 (100 %).
    check(
        computation.result("commune_staff_trained").measurement,
        Status.NOT_MET,
        50.0,
        50.0,
        1,
        1,
        2,
    )
    check(
        computation.result("commune_staff_standardized").measurement,
        Status.MET,
        100.0,
        0.0,
        0,
        2,
        2,
    )


# ---------------------------------------------------------------------------------------
# Talent


def test_talent_recruitment_share(tmp_path: Path) -> None:
    people = [
        person(recruited_year=2024, talent=True),
        person(recruited_year=2024, talent=True, status="Đã nghỉ việc"),  # left: still counted
        *[person(recruited_year=2024) for _ in range(8)],
        person(recruited_year=2023, talent=True),
    ]
    # 2 talents among 10 recruited in 2024: 20 % ≥ 10.
    check(
        result(tmp_path, Book(people), "talent_recruitment_share").measurement,
        Status.MET,
        20.0,
        0.0,
        0,
        2,
        10,
    )


def test_talent_recruitment_figures_of_the_year_win(tmp_path: Path) -> None:
    people = [person(recruited_year=2024, talent=True)]
    book = Book(people, figures=figures({"new_recruits": 50, "talents_recruited": 4}))
    measurement = result(tmp_path, book, "talent_recruitment_share").measurement
    # 4 ÷ 50 × 100 = 8 %; ceil(10 × 50 ÷ 100 − 4) = 1.
    check(measurement, Status.NOT_MET, 8.0, 2.0, 1, 4, 50)
    assert measurement.note is not None
    assert measurement.note.code == "override_figures"


def test_talent_recruitment_figures_of_an_earlier_year_are_not_used(tmp_path: Path) -> None:
    people = [person(recruited_year=2024, talent=True), person(recruited_year=2024)]
    book = Book(people, figures=figures({"new_recruits": 50, "talents_recruited": 4}, 2023))
    # Counted from NhanSu: 1 of 2.
    check(
        result(tmp_path, book, "talent_recruitment_share").measurement,
        Status.MET,
        50.0,
        0.0,
        0,
        1,
        2,
    )


def test_talent_retention(tmp_path: Path) -> None:
    people = [
        person(talent=True, attracted_year=2019),
        person(talent=True, attracted_year=2018, status="Nghỉ hưu"),
        person(talent=True, attracted_year=2015, status="Chuyển công tác"),
        person(talent=True, recruited_year=2019),  # attracted year from recruitment
        person(talent=True, attracted_year=2020),  # attracted less than 5 years ago
        person(talent=True, recruited_year=2012, attracted_year=2021),  # attracted year wins
        person(attracted_year=2010),  # not a talent
    ]
    # Cohort (attracted 2019 or earlier): 4; still active: 2 → 50 %; = 100 % → 2 short.
    check(
        result(tmp_path, Book(people), "talent_retention").measurement,
        Status.NOT_MET,
        50.0,
        50.0,
        2,
        2,
        4,
    )


# ---------------------------------------------------------------------------------------
# Milestones and tracked figures


def test_milestones_and_tracked(tmp_path: Path) -> None:
    milestones = [
        ("university_merger", "Hoàn thành"),
        (
            "XÂY DỰNG CƠ SỞ DỮ LIỆU đội ngũ trí thức của tỉnh ở trong và ngoài nước",
            "Đang thực hiện",
        ),
        ("Sân bay", "Hoàn thành"),
    ]
    book = Book([person()], milestones=milestones, figures=figures({"patents": 12}))
    computation = run(tmp_path, book)
    check(
        computation.result("university_merger").measurement, Status.MET, 1, None, None, None, None
    )
    check(
        computation.result("intellectual_database").measurement,
        Status.NOT_MET,
        0,
        None,
        None,
        None,
        None,
    )
    fund = computation.result("science_fund").measurement
    check(fund, Status.NO_DATA, None, None, None, None, None)
    assert fund.note is not None
    assert fund.note.code == "missing_milestone"
    check(computation.result("patents").measurement, Status.TRACKED, 12, None, None, 12, None)
    works = computation.result("scientific_works").measurement
    assert works.status is Status.NO_DATA
    assert works.note is not None
    assert works.note.params["metric"] == "scientific_works"
    unknown = [i for i in computation.issues if i.code == "unknown_milestone"]
    assert len(unknown) == 1
    assert unknown[0].cell == "A4"
    assert unknown[0].params["value"] == "Sân bay"


def test_no_milestone_sheet(tmp_path: Path) -> None:
    measurement = result(tmp_path, Book([person()]), "science_fund").measurement
    assert measurement.status is Status.NO_DATA
    assert measurement.note is not None
    assert "MocCongViec" in note_message(measurement.note, "vi")


# ---------------------------------------------------------------------------------------
# No data


def test_absent_column_is_no_data_not_zero(tmp_path: Path) -> None:
    columns = tuple(c for c in ALL_COLUMNS if c != "fits_job_position")
    book = Book([person(category="Công chức")], columns=columns)
    measurement = result(tmp_path, book, "job_position_fit").measurement
    check(measurement, Status.NO_DATA, None, None, None, None, None)
    assert measurement.note is not None
    assert measurement.note.code == "missing_column"
    assert measurement.note.params == {"sheet": "workforce", "column": "fits_job_position"}
    assert "Phù hợp vị trí việc làm" in note_message(measurement.note, "vi")
    assert "Fits job position" in note_message(measurement.note, "en")


def test_absent_column_in_one_of_the_alternatives(tmp_path: Path) -> None:
    columns = tuple(c for c in ALL_COLUMNS if c != "is_standing_committee")
    book = Book([person(level="Huyện", is_key_leader=True)], columns=columns)
    measurement = result(tmp_path, book, "district_key_leaders_under_40").measurement
    assert measurement.status is Status.NO_DATA
    assert measurement.note is not None
    assert measurement.note.params["column"] == "is_standing_committee"


def test_absent_units_sheet(tmp_path: Path) -> None:
    computation = run(tmp_path, Book([leader(foreign_language=True)]))
    for id_ in ("foreign_affairs_leaders_language", "postgrad_norm_units"):
        note = computation.result(id_).measurement.note
        assert note is not None
        assert note.code == "missing_sheet"
        assert note.params == {"sheet": "units"}


def test_zero_denominator_is_no_data(tmp_path: Path) -> None:
    book = Book([person(international=True)], figures=figures({"population": 0}))
    computation = run(tmp_path, book)
    leaders = computation.result("provincial_leaders_international").measurement
    check(leaders, Status.NO_DATA, None, None, None, 0, 0)
    assert leaders.note is not None
    assert leaders.note.code == "zero_denominator"
    assert computation.result("doctors_per_10k").measurement.status is Status.NO_DATA


def test_missing_figure(tmp_path: Path) -> None:
    book = Book([teacher("Mầm non")], figures=figures({"kindergarten_classes": 3}))
    measurement = result(tmp_path, book, "teacher_staffing_preschool").measurement
    assert measurement.status is Status.NO_DATA
    assert measurement.note is not None
    assert measurement.note.params == {"metric": "nursery_groups", "year": 2024}
    assert "Số nhóm trẻ mầm non" in note_message(measurement.note, "vi")


# ---------------------------------------------------------------------------------------
# Which SoLieu figure


def test_figure_of_an_earlier_year(tmp_path: Path) -> None:
    rows = [
        ("population", 1000, 2022, None),
        ("population", 2000, 2023, None),
        ("certified_labour", 60, 2024, None),
        ("labour_force", 100, 2024, None),
    ]
    computation = run(tmp_path, Book([doctor()], figures=rows))
    doctors = computation.result("doctors_per_10k").measurement
    # The latest earlier year, 2023: 1 × 10 000 ÷ 2 000 = 5.
    check(doctors, Status.NOT_MET, 5.0, 9.0, 2, 1, 2000)
    assert doctors.note is not None
    assert doctors.note.code == "figure_earlier_year"
    assert doctors.note.params == {"metrics": "population", "years": "2023"}
    assert "Dân số (2023)" in note_message(doctors.note, "vi")
    assert computation.result("certified_labour_share").measurement.note is None
    earlier = [i for i in computation.issues if i.code == "figure_earlier_year"]
    assert [(i.row, i.params["year"]) for i in earlier] == [(3, 2023)]


def test_figure_from_area_rows(tmp_path: Path) -> None:
    rows = [
        ("population", 1500, 2024, "Thành phố Hà Tĩnh"),
        ("population", 2500, 2024, "Huyện Kỳ Anh"),
        ("population", 9999, 2023, None),
    ]
    doctors = result(tmp_path, Book([doctor(), doctor()], figures=rows), "doctors_per_10k")
    # No province row for 2024: the sum of its area rows, 4 000 (not 2023's province row).
    assert doctors.measurement.denominator == 4000
    assert doctors.measurement.value == approx(5.0)


def test_province_row_differing_from_its_areas(tmp_path: Path) -> None:
    rows = [
        ("population", 5000, 2024, None),
        ("population", 1500, 2024, "Thành phố Hà Tĩnh"),
        ("population", 2500, 2024, "Huyện Kỳ Anh"),
        ("labour_force", 300, 2024, None),
        ("labour_force", 300, 2024, "Huyện Kỳ Anh"),
    ]
    computation = run(tmp_path, Book([doctor()], figures=rows))
    assert computation.result("doctors_per_10k").measurement.denominator == 5000
    differs = [i for i in computation.issues if i.code == "figure_total_differs"]
    assert len(differs) == 1
    assert differs[0].severity == "warning"
    assert (differs[0].cell, differs[0].params["total"]) == ("B2", 4000)
    # Numbers as people read them in each language.
    assert "(5.000)" in differs[0].message("vi") and "4.000" in differs[0].message("vi")
    assert "(5,000)" in differs[0].message("en") and "4,000" in differs[0].message("en")


# ---------------------------------------------------------------------------------------
# Breakdown


def _groups(computation: Any, id_: str) -> dict[str, tuple[float | None, Status]]:
    breakdown = computation.result(id_).breakdown
    assert breakdown is not None
    return {g.group: (g.measurement.value, g.measurement.status) for g in breakdown}


def test_breakdown_by_unit_level_and_sector(tmp_path: Path) -> None:
    people = [
        leader(unit="Sở Y tế", international=True),
        leader(unit="Sở Y tế"),
        leader(unit="Sở Nội vụ", sector="QLNN"),
        leader(unit="Sở Nội vụ", sector="QLNN"),
        leader(unit="UBND huyện Can Lộc", level="Huyện", international=True),
    ]
    path = Book(people, figures=figures({"population": 1000})).write(tmp_path / "d.xlsx")
    dataset = load(path)
    by_unit = compute(dataset, CATALOG, by="unit")
    # Provincial leaders only: Sở Nội vụ 0 of 2, Sở Y tế 1 of 2.
    assert _groups(by_unit, "provincial_leaders_international") == {
        "Sở Nội vụ": (0.0, Status.NOT_MET),
        "Sở Y tế": (50.0, Status.ABOVE_RANGE),
    }
    assert [
        g.group for g in by_unit.result("provincial_leaders_international").breakdown or ()
    ] == [
        "Sở Nội vụ",
        "Sở Y tế",
    ]
    # Population-based: no breakdown by unit.
    assert by_unit.result("doctors_per_10k").breakdown is None
    by_sector = compute(dataset, CATALOG, by="sector")
    assert _groups(by_sector, "provincial_leaders_international") == {
        "health": (50.0, Status.ABOVE_RANGE),
        "state_management": (0.0, Status.NOT_MET),
    }
    by_level = compute(dataset, CATALOG, by="level")
    assert list(_groups(by_level, "job_position_fit")) == ["province", "district"]
    # The province total is the same whatever the breakdown.
    assert (
        by_level.result("job_position_fit").measurement
        == compute(dataset, CATALOG).result("job_position_fit").measurement
    )


def test_breakdown_by_area(tmp_path: Path) -> None:
    units = [
        {"unit": "Bệnh viện Kỳ Anh", "area": "Huyện Kỳ Anh"},
        {"unit": "Bệnh viện tỉnh", "area": "Thành phố Hà Tĩnh"},
    ]
    people = [
        doctor(unit="Bệnh viện Kỳ Anh"),
        doctor(unit="Bệnh viện tỉnh"),
        doctor(unit="Bệnh viện tỉnh"),
        doctor(unit="Trạm y tế xã"),  # no area
    ]
    rows = [
        ("population", 3000, 2024, None),
        ("population", 1000, 2024, "Huyện Kỳ Anh"),
        ("population", 2000, 2024, "thành phố Hà Tĩnh"),
        ("private_doctors", 1, 2024, "Huyện Kỳ Anh"),
    ]
    computation = run(tmp_path, Book(people, figures=rows, units=units), by="area")
    # Kỳ Anh: (1 + 1 private) × 10 000 ÷ 1 000 = 20; Hà Tĩnh: 2 × 10 000 ÷ 2 000 = 10.
    # Areas are matched ignoring case; DonVi's spelling is shown.
    # The doctor of the commune station, in no area, has a line of its own saying so.
    assert _groups(computation, "doctors_per_10k") == {
        "Huyện Kỳ Anh": (approx(20.0), Status.MET),
        "Thành phố Hà Tĩnh": (approx(10.0), Status.NOT_MET),
        NO_GROUP: (None, Status.NO_DATA),
    }
    job = _groups(computation, "job_position_fit")
    assert list(job) == ["Huyện Kỳ Anh", "Thành phố Hà Tĩnh", NO_GROUP]


# ---------------------------------------------------------------------------------------
# Properties


def _book(people: list[dict[str, Any]], population: int) -> Book:
    return Book(people, figures=figures({"population": population}))


def _compute(book: Book, **options: Any) -> Any:
    with tempfile.TemporaryDirectory() as folder:
        dataset = load(book.write(Path(folder) / "data.xlsx"))
    return compute(dataset, CATALOG, **options)


person_strategy = st.fixed_dictionaries(
    {
        "level": st.sampled_from(["Tỉnh", "Huyện", "Xã"]),
        "sector": st.sampled_from(["Y tế", "Giáo dục", "QLNN"]),
        "category": st.sampled_from(["Cán bộ", "Công chức", "Viên chức", "Người lao động"]),
        "birth_date": st.dates(date(1960, 1, 1), date(2004, 12, 31)).map(
            lambda d: d.strftime("%d/%m/%Y")
        ),
        "profession": st.sampled_from(["Bác sĩ", "Giáo viên", "Chuyên viên"]),
        "school_level": st.just("THCS"),
        "status": st.sampled_from(["Đang công tác", "Đang công tác", "Nghỉ hưu"]),
        "unit": st.sampled_from(["Sở Y tế", "Sở Nội vụ", "UBND xã Thạch Hà"]),
        **{
            flag: st.booleans()
            for flag in (
                "is_manager",
                "is_key_leader",
                "is_standing_committee",
                "meets_training_standard",
                "fits_job_position",
                "standardized",
                "foreign_language",
                "international",
                "talent",
            )
        },
        "recruited_year": st.integers(2010, 2024),
    }
)
# Shares of a group: percentages that cannot exceed 100 (teacher staffing can).
SHARES = [
    i.id
    for i in CATALOG.indicators
    if i.unit == "percent" and not i.id.startswith("teacher_staffing")
]


@settings(max_examples=20)
@given(st.lists(person_strategy, min_size=1, max_size=25))
def test_shares_stay_within_0_and_100(rows: list[dict[str, Any]]) -> None:
    computation = _compute(_book([person(**row) for row in rows], 10_000), by="unit")
    measurements = [
        measurement
        for indicator in map(computation.result, SHARES)
        for measurement in [
            indicator.measurement,
            *(group.measurement for group in indicator.breakdown or ()),
        ]
    ]
    assert len(measurements) >= len(SHARES) > 0
    values = [m.value for m in measurements if m.value is not None]
    assert [value for value in values if not 0 <= value <= 100] == []


def _maker(indicator: str) -> Any:
    """A person of the indicator's denominator, qualifying for its numerator or not."""
    if indicator == "commune_staff_trained":
        return lambda ok: person(level="Xã", category="Công chức", meets_training_standard=ok)
    if indicator == "job_position_fit":
        return lambda ok: person(category="Viên chức", fits_job_position=ok)
    if indicator == "provincial_leaders_international":
        return lambda ok: leader(international=ok)
    return lambda ok: leader(birth_date="01/01/1990" if ok else "01/01/1970")


@settings(max_examples=25)
@given(
    st.lists(st.booleans(), min_size=1, max_size=40),
    st.sampled_from(
        [
            "commune_staff_trained",  # = 100 %
            "job_position_fit",  # = 100 %
            "provincial_leaders_international",  # 25–30 %
            "provincial_leaders_under_40",  # 15–20 %
        ]
    ),
)
def test_shortfall_people_are_enough_and_one_fewer_is_not(
    qualifying: list[bool], indicator: str
) -> None:
    """Make `shortfall` more people of the denominator qualify: the target is reached.

    The denominator is held as it is (spec: shortfall counts against the current
    denominator), so the extra qualifying people are people already counted in it.
    """
    make = _maker(indicator)
    before = _compute(_book([make(ok) for ok in qualifying], 1)).result(indicator).measurement
    shortfall = before.shortfall
    assert shortfall is not None
    if shortfall == 0:
        assert before.status in (Status.MET, Status.ABOVE_RANGE)
        return
    others = [i for i, ok in enumerate(qualifying) if not ok]
    assert shortfall <= len(others)
    for extra, reaches in ((shortfall, True), (shortfall - 1, False)):
        turned = set(others[:extra])
        flags = [ok or i in turned for i, ok in enumerate(qualifying)]
        after = _compute(_book([make(ok) for ok in flags], 1)).result(indicator).measurement
        assert after.denominator == before.denominator
        assert after.numerator == before.numerator + extra
        # Reaching a band's lower bound may overshoot it: above_range is not a failure.
        assert (after.status is not Status.NOT_MET) is reaches


@settings(max_examples=20)
@given(st.integers(0, 40), st.integers(0, 5), st.integers(1, 40_000))
def test_shortfall_doctors_are_enough_and_one_fewer_is_not(
    doctors: int, private: int, population: int
) -> None:
    def book(count: int) -> Book:
        rows = figures({"population": population, "private_doctors": private})
        return Book([doctor() for _ in range(count)], figures=rows)

    before = _compute(book(doctors)).result("doctors_per_10k").measurement
    shortfall = before.shortfall
    assert shortfall is not None
    # ceil(14 × population ÷ 10 000 − doctors − private − 1e-9), at least 0.
    assert shortfall == max(0, math.ceil(14 * population / 10_000 - doctors - private - 1e-9))
    for extra, met in ((shortfall, True), (shortfall - 1, False)):
        if extra < 0:
            continue
        after = _compute(book(doctors + extra)).result("doctors_per_10k").measurement
        assert (after.status is Status.MET) is met


UNITS = [
    {"unit": "Sở Y tế", "sector": "Y tế", "postgrad_norm": 20, "area": "Huyện Can Lộc"},
    {"unit": "Sở Nội vụ", "sector": "QLNN", "foreign_affairs": True, "area": "Huyện Kỳ Anh"},
    {"unit": "UBND xã Thạch Hà", "postgrad_norm": 0, "area": "Huyện Kỳ Anh"},
]


@settings(max_examples=15)
@given(
    st.lists(person_strategy, min_size=2, max_size=25),
    st.sampled_from([None, "unit", "level", "sector", "area"]),
    st.randoms(use_true_random=False),
)
def test_row_order_does_not_change_any_result(
    rows: list[dict[str, Any]], by: Any, shuffler: random.Random
) -> None:
    people = [person(**row) for row in rows]
    figure_rows: list[tuple[str, float, int | None, str | None]] = [
        ("population", 700, 2024, "Huyện Can Lộc"),
        ("population", 300, 2024, "Huyện Kỳ Anh"),
        ("private_doctors", 3, 2023, None),
        ("labour_force", 0.1, 2024, "Huyện Can Lộc"),
        ("labour_force", 0.2, 2024, "Huyện Kỳ Anh"),
        ("labour_force", 0.3, 2024, "Huyện Vũ Quang"),
        ("certified_labour", 0.3, 2024, None),
    ]
    first = _compute(Book(people, figures=figure_rows, units=UNITS), by=by)
    people, figure_rows, units = people[:], figure_rows[:], UNITS[:]
    shuffler.shuffle(people)
    shuffler.shuffle(figure_rows)
    shuffler.shuffle(units)
    second = _compute(Book(people, figures=figure_rows, units=units), by=by)
    assert first.results == second.results
    assert sorted(i.code for i in first.issues) == sorted(i.code for i in second.issues)


def test_shortfall_formula_matches_the_spec() -> None:
    target = Target(op=">=", value=14, year=2030)
    measurement = assess(target, 1500, 1_320_000, 10_000)
    assert measurement.shortfall == 348
    assert measurement.shortfall == math.ceil(14 * 1_320_000 / 10_000 - 1500 - 1e-9)


# ---------------------------------------------------------------------------------------
# Notes, options and the sample workbook


def test_every_note_and_engine_issue_has_both_languages() -> None:
    notes = {key: row for key, row in TEXT.items() if key.startswith("note.")}
    rows = [*notes.items(), *ISSUE_MESSAGES.items()]
    assert len(rows) > len(notes) > 0
    assert [code for code, messages in rows if set(messages) != {"vi", "en"}] == []
    assert [code for code, messages in rows if not all(messages.values())] == []


def test_notes_name_what_is_missing_in_both_languages() -> None:
    note = Note("missing_column", {"sheet": "workforce", "column": "is_manager"})
    assert note_message(note, "vi").startswith("Trang NhanSu không có cột “Lãnh đạo quản lý”")
    assert "“Lãnh đạo quản lý (Manager)”" in note_message(note, "en")
    earlier = Note(
        "figure_earlier_year", {"metrics": "population,labour_force", "years": "2023,2022"}
    )
    assert note_message(earlier, "en") == (
        "Figures of an earlier year used: Population (2023), Labour force (2022)."
    )
    assert note_message(Note("no_such_code"), "vi") == "no_such_code"


def test_breakdown_by_area_without_donvi_areas(tmp_path: Path) -> None:
    computation = run(tmp_path, Book([leader(international=True)]), by="area")
    assert computation.result("provincial_leaders_international").breakdown is None
    assert [i.code for i in computation.issues] == ["breakdown_without_area"]


def test_unknown_breakdown_is_refused(tmp_path: Path) -> None:
    dataset = load(Book([person()]).write(tmp_path / "d.xlsx"))
    with pytest.raises(ValueError, match="by must be one of"):
        compute(dataset, CATALOG, by="district")  # type: ignore[arg-type]


SAMPLE = Path(__file__).resolve().parents[1] / "data" / "samples" / "ha_tinh_2024.xlsx"


@pytest.mark.skipif(not SAMPLE.exists(), reason="the sample workbook is not there")
def test_sample_workbook_gives_the_hand_computed_values() -> None:
    """The figures data/samples/README.md works out by hand from the file."""
    dataset = load_dataset([str(SAMPLE)])
    assert not dataset.has_errors
    computation = compute(dataset, CATALOG)
    values = {r.id: r.measurement for r in computation.results}

    def counts(id_: str) -> tuple[float | None, float | None]:
        return values[id_].numerator, values[id_].denominator

    assert values["doctors_per_10k"].value == approx((1305 + 200) * 10_000 / 1_320_000)
    assert counts("provincial_leaders_under_40") == (50, 302)
    assert values["provincial_leaders_under_40"].status is Status.MET
    assert values["provincial_leaders_international"].status is Status.ABOVE_RANGE
    assert counts("district_key_leaders_under_40") == (10, 107)
    assert counts("talent_recruitment_share") == (23, 304)
    assert counts("talent_retention") == (35, 42)
    assert values["certified_labour_share"].value == approx(32.0)
    assert values["specialist_team_coverage"].value == approx(900 / 11)
    milestones = ("university_merger", "intellectual_database", "science_fund")
    assert [values[m].value for m in milestones] == [0, 1, 0]
    assert all(m.status is not Status.NO_DATA for m in values.values())


FILTERS = """
id = "filters"
name_vi = "Bộ lọc"
name_en = "Filters"

[[indicators]]
id = "unit_in"
name_vi = "a"
name_en = "a"
clause = "1"
field = "cadres"
unit = "count"
numerator = { sheet = "workforce", where = [{ column = "unit", in = ["so y te"] }] }

[[indicators]]
id = "not_active"
name_vi = "b"
name_en = "b"
clause = "1"
field = "cadres"
unit = "count"
numerator = { sheet = "workforce", where = [{ column = "status", not_in = ["active"] }] }

[[indicators]]
id = "recruited"
name_vi = "c"
name_en = "c"
clause = "1"
field = "cadres"
unit = "count"
numerator = { sheet = "workforce", where = [
  { column = "recruited_year", in = [2020, "report_year"] },
] }

[[indicators]]
id = "health_units"
name_vi = "d"
name_en = "d"
clause = "1"
field = "cadres"
unit = "count"
numerator = { sheet = "workforce", where = [{ column = "unit.sector", in = ["Y tế"] }] }

[[indicators]]
id = "not_doctors"
name_vi = "e"
name_en = "e"
clause = "1"
field = "cadres"
unit = "count"
numerator = { sheet = "workforce", where = [{ column = "profession", not_in = ["Bác sĩ"] }] }

[[indicators]]
id = "born_after_1990"
name_vi = "f"
name_en = "f"
clause = "1"
field = "cadres"
unit = "count"
target = { op = ">=", value = 3, year = 2030 }
numerator = { sheet = "workforce", where = [{ column = "birth_year", gt = 1990 }] }
"""


def test_filter_vocabulary(tmp_path: Path) -> None:
    catalog = parse_catalog(tomllib.loads(FILTERS))
    units = [{"unit": "Sở Y tế", "sector": "Y tế"}, {"unit": "Sở Nội vụ", "sector": "QLNN"}]
    people = [
        doctor(unit="SỞ Y TẾ", recruited_year=2020, birth_date="01/01/1991"),
        person(unit="Sở Y tế", profession="Bác sĩ nội trú", recruited_year=2024),
        person(unit="Sở Nội vụ", profession=None, status="Nghỉ hưu", recruited_year=2019),
        person(unit="Sở Nội vụ", profession="Chuyên viên", status="Chuyển công tác"),
        person(unit="Sở Tài chính", profession="Kế toán", birth_date=None, birth_year=1995),
    ]
    computation = run(tmp_path, Book(people, units=units), catalog=catalog)
    counts = {r.id: r.measurement.value for r in computation.results}
    assert counts == {
        "unit_in": 2,  # folded text: "SỞ Y TẾ" and "Sở Y tế"
        "not_active": 2,  # retired and transferred
        "recruited": 2,  # 2020 and 2024
        "health_units": 2,  # both people of Sở Y tế in DonVi
        "not_doctors": 3,  # "Bác sĩ nội trú" is not "Bác sĩ"; a blank title is unknown
        "born_after_1990": 2,
    }
    born = computation.result("born_after_1990").measurement
    assert (born.status, born.shortfall, born.gap) == (Status.NOT_MET, 1, 1.0)


def test_by_area_the_doctors_of_no_area_have_their_own_line_and_say_why() -> None:
    """1,305 doctors work in the sample; those of provincial units belong to no district:
    they count for the province (with the 200 private doctors) but for no area, and a line
    of their own says so, so that the areas' 6-7 per 10,000 beside the province's 11.4 is
    not read as a mistake."""
    dataset = load_dataset([str(SAMPLE)])
    doctors = next(
        r for r in compute(dataset, CATALOG, by="area").results if r.id == "doctors_per_10k"
    )
    assert doctors.breakdown is not None
    *areas, outside = doctors.breakdown
    assert outside.group == NO_GROUP
    assert outside.measurement.note is not None
    assert outside.measurement.note.code == "outside_areas"
    counted = sum(a.measurement.numerator or 0 for a in areas)
    assert outside.measurement.numerator is not None and outside.measurement.numerator > 0
    assert counted + outside.measurement.numerator == 1305
    assert outside.measurement.note.params["count"] == outside.measurement.numerator
