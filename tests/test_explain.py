"""`explain`: the rows and figures behind an indicator add up to exactly its result."""

from __future__ import annotations

import io
import json
import math
import random
import tempfile
import tomllib
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from builders import csv_rows
from engine_fixtures import (
    ALL_COLUMNS,
    CATALOG,
    Book,
    doctor,
    figures,
    leader,
    load,
    person,
    teacher,
)
from kpi_tritue.catalog.reading import parse_catalog
from kpi_tritue.compute.engine import compute, explain
from kpi_tritue.errors import KpiError, UnknownIndicator
from kpi_tritue.i18n import LANGS, Lang
from kpi_tritue.io.dataset import Dataset, load_dataset
from kpi_tritue.model.explanation import ROW_COLUMNS, UNIT_COLUMNS, Explanation, Side
from kpi_tritue.model.results import Status
from kpi_tritue.render.explain import (
    TABLE_ROWS,
    explanation_csv,
    explanation_json,
    explanation_table,
)
from kpi_tritue.render.report import result_dict

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "samples" / "ha_tinh_2024.xlsx"
needs_sample = pytest.mark.skipif(not SAMPLE.exists(), reason="the sample workbook is not there")
# People are written from row 2, under the header.
FIRST_ROW = 2


def approx(value: Any) -> Any:
    return pytest.approx(value, rel=1e-12, abs=1e-9)


def rendered(expl: Explanation, lang: Lang = "vi") -> str:
    console = Console(width=160, record=True, file=io.StringIO())
    console.print(explanation_table(expl, lang))
    return console.export_text()


def dataset_of(folder: Path, book: Book, name: str = "data.xlsx") -> Dataset:
    dataset = load(book.write(folder / name))
    assert not dataset.has_errors, [i.message("en") for i in dataset.issues]
    return dataset


def ids(expl: Explanation, side: str) -> list[str]:
    rows = expl.rows
    return list(rows.loc[rows["counted_in"].str.contains(side, regex=False), "id"])


def assert_adds_up(expl: Explanation) -> None:
    """Rows counted plus figures used make up the result's numerator and denominator."""
    measurement = expl.result.measurement
    sides: tuple[tuple[Side, float | None], ...] = (
        ("numerator", measurement.numerator),
        ("denominator", measurement.denominator),
    )
    for side, amount in sides:
        if amount is not None:
            total = expl.counted(side) + expl.figure_amount(side)
            assert total == approx(amount), (expl.result.id, side)


# ---------------------------------------------------------------------------------------
# The sample workbook


@pytest.fixture(scope="module")
def sample() -> Dataset:
    if not SAMPLE.exists():
        pytest.skip("the sample workbook is not there")
    dataset = load_dataset([str(SAMPLE)])
    assert not dataset.has_errors
    return dataset


@needs_sample
def test_every_indicator_of_the_sample_adds_up(sample: Dataset) -> None:
    computation = compute(sample, CATALOG)
    assert len(CATALOG.indicators) > 20
    for indicator in CATALOG.indicators:
        expl = explain(sample, CATALOG, indicator.id)
        assert expl.result == computation.result(indicator.id)
        assert tuple(expl.rows.columns) == ROW_COLUMNS
        assert set(expl.rows["counted_in"]) <= {
            "numerator+denominator",
            "numerator",
            "denominator",
        }
        assert expl.rows.equals(expl.rows.sort_values(["file", "sheet", "row"], ignore_index=True))
        if indicator.kind == "milestone":
            assert expl.rows.empty
            continue
        assert_adds_up(expl)


@needs_sample
def test_sample_counts_of_the_row_based_indicators(sample: Dataset) -> None:
    expected = {
        "specialist_team_coverage": (9, 11),
        "education_staff_trained": (1951, 2057),
        "foreign_affairs_leaders_language": (29, 30),
        "provincial_leaders_international": (98, 302),
        "job_position_fit": (6102, 6462),
        "provincial_leaders_under_40": (50, 302),
        "district_key_leaders_under_40": (10, 107),
        "commune_staff_trained": (510, 553),
        "commune_staff_standardized": (449, 553),
        "talent_recruitment_share": (23, 304),
        "talent_retention": (35, 42),
        "postgrad_norm_units": (16, 34),
    }
    measured: dict[str, tuple[float | None, float | None]] = {}
    counted: dict[str, tuple[int, int]] = {}
    for id_ in expected:
        expl = explain(sample, CATALOG, id_)
        measurement = expl.result.measurement
        measured[id_] = (measurement.numerator, measurement.denominator)
        counted[id_] = (expl.counted("numerator"), expl.counted("denominator"))
        assert not expl.figures
        # A share's numerator is part of its denominator: no row counts in the numerator alone.
        assert "numerator" not in set(expl.rows["counted_in"])
    assert measured == expected
    assert counted == expected


@needs_sample
def test_sample_doctors_rows_and_figures(sample: Dataset) -> None:
    expl = explain(sample, CATALOG, "doctors_per_10k")
    assert expl.counted("numerator") == 1305
    assert set(expl.rows["counted_in"]) == {"numerator"}
    [private] = [f for f in expl.figures if f.counted_in == "numerator"]
    [population] = [f for f in expl.figures if f.counted_in == "denominator"]
    assert (private.metric, private.value, private.default) == ("private_doctors", 200, False)
    assert expl.counted("numerator") + private.amount == 1505 == expl.result.measurement.numerator
    assert (population.metric, population.value, population.year) == ("population", 1_320_000, 2024)
    assert (population.file, population.sheet, population.row) == (str(SAMPLE), "SoLieu", 2)
    assert population.cell == "B2"
    # Each listed row is the row of the frame with that Mã, and a doctor who is active.
    workforce = sample.table("workforce")
    assert workforce is not None
    frame = workforce.frame.set_index("_row")
    listed = frame.loc[expl.rows["row"].to_list()]
    assert listed["id"].to_list() == expl.rows["id"].to_list()
    assert (listed["status"] == "active").all()
    assert listed["profession_key"].str.startswith("bac si").all()


@needs_sample
def test_sample_teacher_staffing_denominator_is_weighted_figures(sample: Dataset) -> None:
    expl = explain(sample, CATALOG, "teacher_staffing_preschool")
    assert expl.counted("numerator") == 447
    assert expl.counted("denominator") == 0
    weights = {f.metric: (f.value, f.weight) for f in expl.figures}
    assert weights == {"nursery_groups": (45, 2.5), "kindergarten_classes": (182, 2.2)}
    assert expl.figure_amount("denominator") == approx(45 * 2.5 + 182 * 2.2)


@needs_sample
def test_sample_postgrad_norm_units_table(sample: Dataset) -> None:
    expl = explain(sample, CATALOG, "postgrad_norm_units")
    units = expl.units
    assert units is not None
    assert tuple(units.columns) == UNIT_COLUMNS
    assert (int(units["meets"].sum()), len(units)) == (16, 34)
    assert (expl.counted("numerator"), expl.counted("denominator")) == (16, 34)
    assert (units["people"] > 0).all()
    assert units["share"].to_list() == approx(
        (units["qualifying"] * 100 / units["people"]).to_list()
    )
    assert (units["meets"] == (units["share"] >= units["norm"] - 1e-9)).all()
    assert set(expl.rows["sheet"]) == {"DonVi"}
    # The rows are the DonVi rows of the units, with their verdict.
    merged = expl.rows.merge(units, on=["file", "sheet", "row", "unit"])
    assert len(merged) == 34
    assert (
        merged["counted_in"]
        == merged["meets"].map({True: "numerator+denominator", False: "denominator"})
    ).all()


@needs_sample
def test_sample_milestones_name_their_row(sample: Dataset) -> None:
    states = {}
    for id_ in ("university_merger", "intellectual_database", "science_fund"):
        expl = explain(sample, CATALOG, id_)
        assert expl.milestone is not None
        assert expl.milestone.sheet == "MocCongViec"
        states[id_] = (expl.milestone.state, expl.milestone.row)
    assert states == {
        "university_merger": ("in_progress", 2),
        "intellectual_database": ("done", 3),
        "science_fund": ("not_started", 4),
    }
    text = rendered(explain(sample, CATALOG, "intellectual_database"))
    assert "MocCongViec, dòng 3: Hoàn thành" in text


# ---------------------------------------------------------------------------------------
# Rows, figures and their places, on small workbooks


def test_doctors_rows_are_exactly_those_counted(tmp_path: Path) -> None:
    people = [
        doctor(),
        doctor(profession="BÁC SĨ chuyên khoa I", category="Người lao động"),
        doctor(status="Nghỉ hưu"),
        person(profession="Điều dưỡng"),
        doctor(unit="Bệnh viện Kỳ Anh"),
    ]
    book = Book(people, figures=figures({"population": 4000, "private_doctors": 2}))
    expl = explain(dataset_of(tmp_path, book), CATALOG, "doctors_per_10k")
    assert ids(expl, "numerator") == [people[i]["id"] for i in (0, 1, 4)]
    assert expl.rows["row"].to_list() == [FIRST_ROW + i for i in (0, 1, 4)]
    assert expl.rows["unit"].to_list() == ["Sở Y tế", "Sở Y tế", "Bệnh viện Kỳ Anh"]
    assert set(expl.rows["file"]) == {str(tmp_path / "data.xlsx")}
    assert expl.result.measurement.numerator == 5
    assert_adds_up(expl)
    assert expl.conditions.numerator is not None
    assert expl.conditions.numerator.vi == (
        "NhanSu: Trạng thái ∈ {Đang công tác}; Chức danh nghề nghiệp bắt đầu bằng “bac si” "
        "+ SoLieu: Bác sĩ ngoài công lập (không có thì 0)"
    )
    assert expl.conditions.numerator.en == (
        "NhanSu: Status ∈ {Active}; Professional title starts with “bac si” "
        "+ SoLieu: Doctors outside the public sector (0 when absent)"
    )
    assert expl.conditions.denominator is not None
    assert expl.conditions.denominator.vi == "SoLieu: Dân số"


def test_absent_private_doctors_list_their_default(tmp_path: Path) -> None:
    book = Book([doctor(), doctor()], figures=figures({"population": 4000}))
    expl = explain(dataset_of(tmp_path, book), CATALOG, "doctors_per_10k")
    [private] = [f for f in expl.figures if f.metric == "private_doctors"]
    assert private.default
    assert (private.value, private.file, private.row, private.year) == (0, None, None, None)
    assert_adds_up(expl)
    assert "không có: dùng mặc định" in rendered(expl)


def test_figure_made_of_area_rows_lists_each(tmp_path: Path) -> None:
    rows = [
        ("population", 9999, 2023, None),
        ("population", 2500, 2024, "Huyện Kỳ Anh"),
        ("population", 1500, 2024, "Thành phố Hà Tĩnh"),
    ]
    expl = explain(dataset_of(tmp_path, Book([doctor()], figures=rows)), CATALOG, "doctors_per_10k")
    population = [f for f in expl.figures if f.metric == "population"]
    assert [(f.area, f.value, f.row, f.cell) for f in population] == [
        ("Huyện Kỳ Anh", 2500, 3, "B3"),
        ("Thành phố Hà Tĩnh", 1500, 4, "B4"),
    ]
    assert expl.result.measurement.denominator == 4000
    assert_adds_up(expl)


def test_figure_of_an_earlier_year_says_which_year(tmp_path: Path) -> None:
    rows = [("population", 1000, 2022, None), ("population", 2000, 2023, None)]
    expl = explain(dataset_of(tmp_path, Book([doctor()], figures=rows)), CATALOG, "doctors_per_10k")
    [population] = [f for f in expl.figures if f.metric == "population"]
    assert (population.year, population.value, population.row) == (2023, 2000, 3)
    assert "2023 (năm trước)" in rendered(expl)
    assert "2023 (earlier year)" in rendered(expl, "en")
    document = json.loads(explanation_json(expl, "en"))
    [shown] = [f for f in document["figures"] if f["metric"] == "population"]
    assert (shown["year"], shown["earlier_year"]) == (2023, True)
    assert document["indicator"]["note"] == "Figures of an earlier year used: Population (2023)."


def test_talent_override_lists_the_figures_instead_of_rows(tmp_path: Path) -> None:
    people = [person(recruited_year=2024, talent=True), person(recruited_year=2024)]
    book = Book(people, figures=figures({"new_recruits": 50, "talents_recruited": 4}))
    expl = explain(dataset_of(tmp_path, book), CATALOG, "talent_recruitment_share")
    assert expl.override
    assert expl.rows.empty
    assert [(f.counted_in, f.metric, f.value) for f in expl.figures] == [
        ("numerator", "talents_recruited", 4),
        ("denominator", "new_recruits", 50),
    ]
    assert_adds_up(expl)
    assert expl.conditions.numerator is not None
    assert expl.conditions.numerator.vi == "SoLieu: Nhân tài được thu hút (chỉ số liệu năm 2024)"
    text = rendered(expl)
    assert "thay cho việc đếm các dòng NhanSu" in text
    assert "Nhân tài được thu hút" in text
    assert json.loads(explanation_json(expl, "vi"))["override"] is True


def test_talent_figures_of_an_earlier_year_leave_the_rows(tmp_path: Path) -> None:
    people = [
        person(recruited_year=2024, talent=True),
        person(recruited_year=2024, status="Đã nghỉ việc"),
        person(recruited_year=2023, talent=True),
    ]
    book = Book(people, figures=figures({"new_recruits": 50, "talents_recruited": 4}, 2023))
    expl = explain(dataset_of(tmp_path, book), CATALOG, "talent_recruitment_share")
    assert not expl.override
    assert not expl.figures
    assert expl.rows["counted_in"].to_list() == ["numerator+denominator", "denominator"]
    assert ids(expl, "denominator") == [people[0]["id"], people[1]["id"]]
    assert_adds_up(expl)


def test_specialist_teams_are_listed_by_specialty(tmp_path: Path) -> None:
    teams = [("Tim mạch", 2), ("Ung bướu", 1), ("Thần kinh", 0)]
    expl = explain(
        dataset_of(tmp_path, Book([person()], teams=teams)), CATALOG, "specialist_team_coverage"
    )
    assert expl.rows["id"].to_list() == ["Tim mạch", "Ung bướu", "Thần kinh"]
    assert expl.rows["counted_in"].to_list() == [
        "numerator+denominator",
        "numerator+denominator",
        "denominator",
    ]
    assert expl.rows["unit"].isna().all()
    assert set(expl.rows["sheet"]) == {"KipChuyenSau"}
    assert expl.sheets == ("specialist_teams",)
    assert_adds_up(expl)
    assert "Chuyên khoa" in rendered(expl)


def test_teacher_rows_count_in_the_numerator_only(tmp_path: Path) -> None:
    people = [teacher("Tiểu học"), teacher("Tiểu học", status="Nghỉ hưu"), teacher("THCS")]
    book = Book(people, figures=figures({"primary_classes": 4}))
    expl = explain(dataset_of(tmp_path, book), CATALOG, "teacher_staffing_primary")
    assert expl.rows["counted_in"].to_list() == ["numerator"]
    assert ids(expl, "numerator") == [people[0]["id"]]
    assert_adds_up(expl)


def test_unit_norm_units_on_a_small_book(tmp_path: Path) -> None:
    units: list[dict[str, Any]] = [
        {"unit": "Bệnh viện A", "sector": "Y tế", "postgrad_norm": 50},
        {"unit": "Trường B", "sector": "Giáo dục", "postgrad_norm": 30},
        {"unit": "Sở D", "sector": "QLNN", "postgrad_norm": 100},
        {"unit": "Trung tâm E", "sector": "Y tế"},
    ]
    people = [
        person(unit="Bệnh viện A", qualification="Thạc sĩ"),
        person(unit="BỆNH VIỆN  A"),
        person(unit="Trường B", sector="Giáo dục"),
        person(unit="Sở D", sector="QLNN", qualification="Thạc sĩ"),
        person(unit="Trung tâm E", qualification="Thạc sĩ"),
    ]
    expl = explain(dataset_of(tmp_path, Book(people, units=units)), CATALOG, "postgrad_norm_units")
    assert expl.units is not None
    assert expl.units[["unit", "people", "qualifying", "share", "norm", "meets"]].to_dict(
        "records"
    ) == [
        {
            "unit": "Bệnh viện A",
            "people": 2,
            "qualifying": 1,
            "share": 50.0,
            "norm": 50.0,
            "meets": True,
        },
        {
            "unit": "Trường B",
            "people": 1,
            "qualifying": 0,
            "share": 0.0,
            "norm": 30.0,
            "meets": False,
        },
    ]
    assert expl.rows[["row", "unit", "counted_in"]].to_dict("records") == [
        {"row": 2, "unit": "Bệnh viện A", "counted_in": "numerator+denominator"},
        {"row": 3, "unit": "Trường B", "counted_in": "denominator"},
    ]
    assert expl.rows["id"].isna().all()
    assert_adds_up(expl)
    text = rendered(expl)
    assert "Các đơn vị so với định mức" in text
    assert "DonVi, dòng 3" in text
    lines = csv_rows(explanation_csv(expl, "vi"))
    assert [(line["kind"], line["unit"], line["meets"]) for line in lines] == [
        ("unit", "Bệnh viện A", "true"),
        ("unit", "Trường B", "false"),
    ]


def test_rows_of_several_files_name_their_file(tmp_path: Path) -> None:
    first = [doctor(), doctor()]
    second = [doctor(unit="Bệnh viện Kỳ Anh")]
    path_b = Book(second).write(tmp_path / "b.xlsx")
    path_a = Book(first, figures=figures({"population": 1000})).write(tmp_path / "a.xlsx")
    explanations = [
        explain(load(paths), CATALOG, "doctors_per_10k")
        for paths in ([path_a, path_b], [path_b, path_a])
    ]
    for expl in explanations:
        assert list(zip(expl.rows["file"], expl.rows["row"], expl.rows["id"], strict=True)) == [
            (str(path_a), 2, first[0]["id"]),
            (str(path_a), 3, first[1]["id"]),
            (str(path_b), 2, second[0]["id"]),
        ]
    # The order of the files on the command line changes nothing.
    assert explanation_json(explanations[0], "vi") == explanation_json(explanations[1], "vi")
    text = rendered(explanations[0])
    assert "Tệp" in text
    assert f"{path_a} › SoLieu!B2" in text


def test_rows_after_skipping_invalid_ones_keep_their_excel_row(tmp_path: Path) -> None:
    people = [doctor(), doctor(level="Trung ương"), doctor(), doctor()]
    dataset = load(Book(people, figures=figures({"population": 1000})).write(tmp_path / "d.xlsx"))
    assert dataset.has_errors
    valid, dropped = dataset.without_invalid_rows()
    assert dropped == 1
    expl = explain(valid, CATALOG, "doctors_per_10k")
    assert expl.rows["row"].to_list() == [2, 4, 5]
    assert expl.rows["id"].to_list() == [people[i]["id"] for i in (0, 2, 3)]
    assert_adds_up(expl)


OVERLAP = """
id = "overlap"
name_vi = "Trùng"
name_en = "Overlap"

[[indicators]]
id = "doctors_twice"
name_vi = "a"
name_en = "a"
clause = "1"
field = "health"
unit = "count"

[[indicators.numerator.sum]]
sheet = "workforce"
where = [{ column = "profession_key", prefix = ["bac si"] }]

[[indicators.numerator.sum]]
sheet = "workforce"
where = [{ column = "unit", in = ["Sở Y tế"] }]
"""


def test_a_row_counted_twice_is_listed_twice(tmp_path: Path) -> None:
    catalog = parse_catalog(tomllib.loads(OVERLAP))
    people = [doctor(), doctor(unit="Bệnh viện A"), person(profession="Điều dưỡng")]
    expl = explain(dataset_of(tmp_path, Book(people)), catalog, "doctors_twice")
    assert expl.result.measurement.value == 4  # 2 doctors + 2 people of Sở Y tế
    assert expl.rows["row"].to_list() == [2, 2, 3, 4]
    assert set(expl.rows["counted_in"]) == {"numerator"}
    assert_adds_up(expl)


# ---------------------------------------------------------------------------------------
# What is missing, and unknown ids


def test_unknown_id_lists_the_ids(tmp_path: Path) -> None:
    dataset = dataset_of(tmp_path, Book([person()]))
    with pytest.raises(UnknownIndicator) as raised:
        explain(dataset, CATALOG, "doctors_per_1k")
    assert isinstance(raised.value, KpiError)
    message = str(raised.value)
    assert "doctors_per_1k" in message
    for indicator in CATALOG.indicators:
        assert indicator.id in message
    assert raised.value.known == [i.id for i in CATALOG.indicators]


def test_absent_column_gives_the_note(tmp_path: Path) -> None:
    columns = tuple(c for c in ALL_COLUMNS if c != "fits_job_position")
    book = Book([person(category="Công chức"), person(category="Người lao động")], columns=columns)
    expl = explain(dataset_of(tmp_path, book), CATALOG, "job_position_fit")
    assert expl.result.measurement.status is Status.NO_DATA
    assert expl.note is not None
    assert expl.note.code == "missing_column"
    # The denominator can still be read: who would be counted is listed.
    assert expl.rows["counted_in"].to_list() == ["denominator"]
    assert "Phù hợp vị trí việc làm" in rendered(expl)
    document = json.loads(explanation_json(expl, "en"))
    assert document["indicator"]["status"] == "no_data"
    assert "Fits job position" in document["indicator"]["note"]


@pytest.mark.parametrize(
    ("id_", "sheet"),
    [
        ("foreign_affairs_leaders_language", "units"),
        ("postgrad_norm_units", "units"),
        ("specialist_team_coverage", "specialist_teams"),
        ("science_fund", "milestones"),
        ("patents", None),
    ],
)
def test_absent_sheet_gives_the_note_and_no_rows(
    tmp_path: Path, id_: str, sheet: str | None
) -> None:
    expl = explain(dataset_of(tmp_path, Book([leader(foreign_language=True)])), CATALOG, id_)
    assert expl.result.measurement.status is Status.NO_DATA
    assert expl.note is not None
    if sheet is None:
        assert expl.note.code == "missing_figure"
    else:
        assert (expl.note.code, expl.note.params) == ("missing_sheet", {"sheet": sheet})
    assert expl.rows.empty
    assert not expl.figures
    assert expl.units is None
    assert expl.milestone is None
    for lang in LANGS:
        assert rendered(expl, lang)
        assert json.loads(explanation_json(expl, lang))["rows"] == []
        assert explanation_csv(expl, lang).count("\n") == 1


def test_zero_denominator_rows_still_add_up(tmp_path: Path) -> None:
    book = Book([person(international=True)], figures=figures({"population": 0}))
    dataset = dataset_of(tmp_path, book)
    leaders = explain(dataset, CATALOG, "provincial_leaders_international")
    assert (leaders.result.measurement.numerator, leaders.result.measurement.denominator) == (0, 0)
    assert leaders.rows.empty
    assert leaders.note is not None
    assert leaders.note.code == "zero_denominator"
    doctors = explain(dataset, CATALOG, "doctors_per_10k")
    assert doctors.result.measurement.status is Status.NO_DATA
    assert [f.value for f in doctors.figures if f.counted_in == "denominator"] == [0]


def test_milestone_row_and_state(tmp_path: Path) -> None:
    milestones = [("Sân bay", "Hoàn thành"), ("university_merger", "Đang thực hiện")]
    expl = explain(
        dataset_of(tmp_path, Book([person()], milestones=milestones)), CATALOG, "university_merger"
    )
    assert expl.milestone is not None
    assert (expl.milestone.row, expl.milestone.state) == (3, "in_progress")
    assert expl.result.measurement.status is Status.NOT_MET
    lines = csv_rows(explanation_csv(expl, "en"))
    assert lines == [
        {
            "kind": "milestone",
            "counted_in": "",
            "file": str(tmp_path / "data.xlsx"),
            "sheet": "MocCongViec",
            "row": "3",
            "id": "university_merger",
            "unit": "",
            "state": "in_progress",
        }
    ]
    missing = explain(
        dataset_of(tmp_path, Book([person()], milestones=milestones), "m.xlsx"),
        CATALOG,
        "science_fund",
    )
    assert missing.note is not None
    assert missing.note.code == "missing_milestone"
    assert missing.milestone is None


# ---------------------------------------------------------------------------------------
# Renderers


def test_table_is_capped_and_points_to_csv(tmp_path: Path) -> None:
    people = [doctor() for _ in range(TABLE_ROWS + 5)]
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
        figures=figures({"population": 100_000}),
    )
    expl = explain(dataset_of(tmp_path, book), CATALOG, "doctors_per_10k")
    text = rendered(expl)
    assert people[TABLE_ROWS - 1]["id"] in text
    assert people[TABLE_ROWS]["id"] not in text
    assert "… và 5 dòng nữa: xem đủ với --format csv." in text
    assert "Số dòng được đếm: 205 ở tử số, 0 ở mẫu số." in text
    assert "… and 5 more rows: see them all with --format csv." in rendered(expl, "en")
    lines = csv_rows(explanation_csv(expl, "vi"))
    assert [line["kind"] for line in lines] == ["row"] * 205 + ["figure", "figure"]
    assert [line["id"] for line in lines[:205]] == [p["id"] for p in people]
    assert [(line["metric"], line["value"]) for line in lines[205:]] == [
        ("private_doctors", "0"),
        ("population", "100000"),
    ]


def test_table_header_shows_result_and_conditions(tmp_path: Path) -> None:
    people = [leader(international=True), leader(), leader(level="Huyện")]
    expl = explain(dataset_of(tmp_path, Book(people)), CATALOG, "provincial_leaders_international")
    text = rendered(expl)
    assert "Giải trình chỉ tiêu provincial_leaders_international" in text
    assert "Giá trị: 50,0 % · Mục tiêu: 25–30 % (2030) · Đánh giá: Vượt khoảng" in text
    assert "Tử số: 1 · Mẫu số: 2" in text
    assert (
        "Mẫu số = NhanSu: Trạng thái ∈ {Đang công tác}; Lãnh đạo quản lý hoặc Lãnh đạo chủ chốt "
        "= có; Cấp ∈ {Tỉnh}" in text
    )
    assert "Làm việc môi trường quốc tế = có" in text
    assert "tử số + mẫu số" in text
    english = rendered(expl, "en")
    assert "Value: 50.0 % · Target: 25–30 % (2030) · Status: Above range" in english
    assert "Level ∈ {Province}" in english


def test_json_is_deterministic_and_carries_the_result(tmp_path: Path) -> None:
    people = [doctor(), doctor(status="Nghỉ hưu")]
    book = Book(people, figures=figures({"population": 4000, "private_doctors": 1}))
    dataset = dataset_of(tmp_path, book)
    expl = explain(dataset, CATALOG, "doctors_per_10k")
    text = explanation_json(expl, "vi")
    assert text == explanation_json(explain(dataset, CATALOG, "doctors_per_10k"), "vi")
    assert "Đang công tác" in text  # not escaped
    document = json.loads(text)
    assert text == json.dumps(document, ensure_ascii=False, sort_keys=True, indent=2) + "\n"
    assert document["indicator"] == json.loads(json.dumps(result_dict(expl.result, "vi")))
    assert document["rows"] == [
        {
            "file": str(tmp_path / "data.xlsx"),
            "sheet": "NhanSu",
            "row": 2,
            "id": people[0]["id"],
            "unit": "Sở Y tế",
            "counted_in": "numerator",
        }
    ]
    assert document["counted"] == {"numerator": 1, "denominator": 0}
    assert [(f["metric"], f["value"], f["row"]) for f in document["figures"]] == [
        ("private_doctors", 1, 3),
        ("population", 4000, 2),
    ]
    assert document["conditions"]["denominator"] == "SoLieu: Dân số"
    assert document["units"] is None
    assert document["milestone"] is None


def test_no_personal_name_in_any_output(tmp_path: Path) -> None:
    name = "Trần Thị Bích Ngọc"
    people = [doctor(full_name=name), leader(full_name=name, international=True)]
    book = Book(people, columns=("full_name", *ALL_COLUMNS), figures=figures({"population": 10}))
    dataset = dataset_of(tmp_path, book)
    for id_ in ("doctors_per_10k", "provincial_leaders_international"):
        expl = explain(dataset, CATALOG, id_)
        assert not expl.rows.empty
        for lang in LANGS:
            for output in (
                rendered(expl, lang),
                explanation_csv(expl, lang),
                explanation_json(expl, lang),
            ):
                assert name not in output
                assert "Trần" not in output


# ---------------------------------------------------------------------------------------
# Properties

people_strategy = st.lists(
    st.fixed_dictionaries(
        {
            "level": st.sampled_from(["Tỉnh", "Huyện", "Xã"]),
            "category": st.sampled_from(["Cán bộ", "Công chức", "Viên chức", "Người lao động"]),
            "profession": st.sampled_from(["Bác sĩ", "Giáo viên", "Chuyên viên"]),
            "school_level": st.just("THCS"),
            "status": st.sampled_from(["Đang công tác", "Nghỉ hưu"]),
            "is_manager": st.booleans(),
            "international": st.booleans(),
            "fits_job_position": st.booleans(),
            "talent": st.booleans(),
            "recruited_year": st.integers(2015, 2024),
        }
    ),
    min_size=1,
    max_size=20,
)
PROPERTY_IDS = (
    "doctors_per_10k",
    "provincial_leaders_international",
    "job_position_fit",
    "talent_retention",
    "teacher_staffing_lower_secondary",
)


def _explanations(people: list[dict[str, Any]]) -> dict[str, Explanation]:
    rows = figures({"population": 1000, "lower_secondary_classes": 3})
    with tempfile.TemporaryDirectory() as folder:
        dataset = load(Book(people, figures=rows).write(Path(folder) / "data.xlsx"))
    return {id_: explain(dataset, CATALOG, id_) for id_ in PROPERTY_IDS}


@settings(max_examples=15)
@given(people_strategy, st.randoms(use_true_random=False))
def test_shuffling_the_rows_moves_rows_but_not_who_is_counted(
    rows: list[dict[str, Any]], shuffler: random.Random
) -> None:
    """The same people are counted, each at the Excel row where it now stands."""
    people = [person(**row) for row in rows]
    shuffled = people[:]
    shuffler.shuffle(shuffled)
    where = {p["id"]: FIRST_ROW + i for i, p in enumerate(shuffled)}
    before, after = _explanations(people), _explanations(shuffled)
    assert list(after) == list(before) == list(PROPERTY_IDS) != []
    for id_ in PROPERTY_IDS:
        assert_adds_up(after[id_])
        assert after[id_].result == before[id_].result

        def counted(expl: Explanation) -> set[tuple[str, str, str]]:
            rows = expl.rows
            files = rows["file"].map(lambda path: Path(path).name)
            return set(zip(files, rows["id"], rows["counted_in"], strict=True))

        assert counted(after[id_]) == counted(before[id_])
        listed = after[id_].rows
        assert listed["row"].to_list() == sorted(where[i] for i in listed["id"])
        assert all(where[i] == row for i, row in zip(listed["id"], listed["row"], strict=True))


def test_counted_rows_frame_has_plain_types(tmp_path: Path) -> None:
    expl = explain(
        dataset_of(tmp_path, Book([doctor()], figures=figures({"population": 1}))),
        CATALOG,
        "doctors_per_10k",
    )
    assert str(expl.rows["row"].dtype) == "int64"
    for column in ("file", "sheet", "id", "unit", "counted_in"):
        assert pd.api.types.is_string_dtype(expl.rows[column]), column
    assert math.isclose(expl.figure_amount("denominator"), 1)


def test_cells_are_text_not_markup(tmp_path: Path) -> None:
    unit = "[bold]Bệnh viện[/bold] A"
    book = Book([doctor(unit=unit)], figures=figures({"population": 1000}))
    expl = explain(dataset_of(tmp_path, book), CATALOG, "doctors_per_10k")
    assert unit in rendered(expl)
