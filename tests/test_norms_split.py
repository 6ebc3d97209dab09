"""Teacher norms by kind of class (official-lists.md, section 5; settled detail 17)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console

from engine_fixtures import CATALOG, Book, figures, load, result, run, teacher
from kpi_tritue.catalog.measures import FigureMeasure
from kpi_tritue.compute.engine import data_issues, explain
from kpi_tritue.compute.figure_parts import PART_EXCEEDS_TOTAL, PART_WITHOUT_TOTAL, split_amount
from kpi_tritue.i18n import Lang
from kpi_tritue.model.explanation import Explanation
from kpi_tritue.model.results import Status
from kpi_tritue.render.explain import explanation_json, explanation_table

PRIMARY = "teacher_staffing_primary"
LOWER = "teacher_staffing_lower_secondary"


def test_the_weights_are_the_catalogs_data() -> None:
    norms = CATALOG.norms
    assert (norms["primary_class"], norms["primary_class_one_session"]) == (1.5, 1.2)
    assert (norms["lower_secondary_class"], norms["lower_secondary_boarding_class"]) == (1.9, 2.2)
    for indicator, total, part, weights in (
        (PRIMARY, "primary_classes", "primary_classes_one_session", (1.5, 1.2)),
        (LOWER, "lower_secondary_classes", "lower_secondary_boarding_classes", (1.9, 2.2)),
    ):
        denominator = CATALOG.indicator(indicator).denominator
        assert isinstance(denominator, FigureMeasure)
        ((split,),) = [denominator.parts]
        assert (denominator.figure, split.figure) == (total, part)
        assert (CATALOG.weight(denominator), CATALOG.weight(split)) == weights


classes = st.integers(0, 10**6)
weights = st.sampled_from([1.2, 1.5, 1.9, 2.2, 2.25, 2.5, 1.0, 0.5])


@given(total=classes, data=st.data(), weight=weights, own=weights)
def test_the_split_is_the_spec_formula(
    total: int, data: st.DataObject, weight: float, own: float
) -> None:
    part = data.draw(st.integers(0, total))
    assert split_amount(total, weight, [(part, own)]) == weight * (total - part) + own * part


@given(total=classes, weight=weights)
def test_without_parts_every_class_counts_at_the_totals_weight(total: int, weight: float) -> None:
    assert split_amount(total, weight, []) == total * weight


@given(total=classes, data=st.data(), weight=weights)
def test_a_part_at_the_totals_weight_changes_nothing(
    total: int, data: st.DataObject, weight: float
) -> None:
    part = data.draw(st.integers(0, total))
    assert split_amount(total, weight, [(part, weight)]) == pytest.approx(total * weight)


def _book(values: dict[str, float], year: int | None = None, primary: int = 42) -> Book:
    people = [teacher("Tiểu học") for _ in range(primary)] + [teacher("THCS") for _ in range(20)]
    return Book(people, figures=figures(values, year))


SPLIT = {
    "primary_classes": 30,
    "primary_classes_one_session": 10,
    "lower_secondary_classes": 12,
    "lower_secondary_boarding_classes": 5,
}


def test_a_workbook_with_one_session_and_boarding_classes_gives_the_split_norms(
    tmp_path: Path,
) -> None:
    computation = run(tmp_path, _book(SPLIT))
    primary = computation.result(PRIMARY).measurement
    lower = computation.result(LOWER).measurement
    # 1.5 × (30 − 10) + 1.2 × 10 = 42 and 1.9 × (12 − 5) + 2.2 × 5 = 24.3.
    assert primary.denominator == 1.5 * (30 - 10) + 1.2 * 10 == 42
    assert (primary.numerator, primary.value, primary.status) == (42, 100, Status.MET)
    assert lower.denominator == 1.9 * (12 - 5) + 2.2 * 5 == pytest.approx(24.3)
    assert lower.value == pytest.approx(20 * 100 / 24.3)
    assert computation.issues == []


def test_without_the_parts_every_class_counts_as_before(tmp_path: Path) -> None:
    values = {"primary_classes": 30, "lower_secondary_classes": 12}
    computation = run(tmp_path, _book(values))
    assert computation.result(PRIMARY).measurement.denominator == 30 * 1.5
    assert computation.result(LOWER).measurement.denominator == 12 * 1.9


def _rendered(expl: Explanation, lang: Lang) -> str:
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(explanation_table(expl, lang))
    return console.export_text()


def test_explain_shows_the_split(tmp_path: Path) -> None:
    dataset = load(_book(SPLIT).write(tmp_path / "data.xlsx"))
    expl = explain(dataset, CATALOG, PRIMARY)
    lines = [(f.metric, f.value, f.weight, f.cell, f.part_of) for f in expl.figures]
    assert lines == [
        ("primary_classes", 30, 1.5, "B2", None),
        ("primary_classes_one_session", -10, 1.5, "B3", "primary_classes"),
        ("primary_classes_one_session", 10, 1.2, "B3", "primary_classes"),
    ]
    assert expl.figure_amount("denominator") == expl.result.measurement.denominator == 42
    assert expl.conditions.denominator is not None
    assert expl.conditions.denominator.en == (
        "SoLieu: (Primary classes − Primary classes studying one session a day) × 1.5"
        " + Primary classes studying one session a day × 1.2"
    )
    shown = _rendered(expl, "en")
    assert "(taken out of Primary classes)" in shown and "(at its own norm)" in shown
    assert "(trừ khỏi Số lớp tiểu học)" in _rendered(expl, "vi")
    figures_json = json.loads(explanation_json(expl, "en"))["figures"]
    assert [f.get("part_of") for f in figures_json] == [None, "primary_classes", "primary_classes"]


def test_a_part_larger_than_its_total_is_an_error_at_the_parts_cell(tmp_path: Path) -> None:
    values = {**SPLIT, "primary_classes_one_session": 31}
    path = _book(values).write(tmp_path / "data.xlsx")
    dataset = load(path)
    computation = run(tmp_path, _book(values))
    (issue,) = computation.issues
    assert (issue.code, issue.severity, issue.cell) == (PART_EXCEEDS_TOTAL, "error", "B3")
    assert "31" in issue.message("en") and "30" in issue.message("vi")
    measured = computation.result(PRIMARY).measurement
    assert measured.status is Status.NO_DATA and measured.note is not None
    assert measured.note.code == PART_EXCEEDS_TOTAL
    # The other indicator is computed as usual.
    assert computation.result(LOWER).measurement.denominator == pytest.approx(24.3)
    # `validate` runs the same checks on the data: the same one error.
    assert [(i.code, i.cell) for i in data_issues(dataset, CATALOG)] == [(PART_EXCEEDS_TOTAL, "B3")]


def test_a_part_without_its_total_is_ignored_with_an_info(tmp_path: Path) -> None:
    values = {"primary_classes_one_session": 10, "lower_secondary_classes": 12}
    computation = run(tmp_path, _book(values))
    (issue,) = computation.issues
    assert (issue.code, issue.severity, issue.cell) == (PART_WITHOUT_TOTAL, "info", "B2")
    assert computation.result(PRIMARY).measurement.status is Status.NO_DATA
    assert computation.result(PRIMARY).measurement.note.code == "missing_figure"  # type: ignore[union-attr]
    assert computation.result(LOWER).measurement.denominator == 12 * 1.9


def test_each_figure_is_chosen_for_the_report_year_on_its_own(tmp_path: Path) -> None:
    # The total of 2024, the part of 2023 only: the part's latest year is used.
    rows = [
        ("primary_classes", 30, 2024, None),
        ("primary_classes_one_session", 10, 2023, None),
        ("primary_classes_one_session", 99, 2022, None),  # an older year: unused
        ("lower_secondary_classes", 12, 2024, None),
    ]
    people = [teacher("Tiểu học") for _ in range(21)]
    computation = run(tmp_path, Book(people, figures=rows))
    measured = computation.result(PRIMARY).measurement
    assert measured.denominator == 42 and measured.value == 50
    assert [i.code for i in computation.issues] == ["figure_earlier_year"]


def test_by_area_each_area_has_its_own_split(tmp_path: Path) -> None:
    rows = [
        ("primary_classes", 20, 2024, "Huyện A"),
        ("primary_classes_one_session", 10, 2024, "Huyện A"),
        ("primary_classes", 10, 2024, "Huyện B"),
    ]
    people = [teacher("Tiểu học") for _ in range(3)]
    units = [{"unit": "Sở Giáo dục và Đào tạo", "level": "Tỉnh", "area": "Huyện A"}]
    book = Book(people, figures=rows, units=units, unit_columns=("unit", "level", "area"))
    computation = run(tmp_path, book, by="area")
    whole = computation.result(PRIMARY)
    # The province: 30 classes (sum of areas), 10 of them one session.
    assert whole.measurement.denominator == 1.5 * 20 + 1.2 * 10
    assert whole.breakdown is not None
    by_area = {group.group: group.measurement.denominator for group in whole.breakdown}
    assert by_area["Huyện A"] == 1.5 * 10 + 1.2 * 10 and by_area["Huyện B"] == 15


def test_result_helper_agrees(tmp_path: Path) -> None:
    assert result(tmp_path, _book(SPLIT), PRIMARY).measurement.value == 100
