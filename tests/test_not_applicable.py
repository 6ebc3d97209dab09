"""Two-level local government since 1 July 2025 (official-lists.md, section 4; settled 12):
`applies_until` in the catalog, the status `not_applicable`, and the `Huyện` warning."""

from __future__ import annotations

import csv
import io
import json
import tomllib
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from builders import write_workbook
from engine_fixtures import CATALOG, Book, person, run
from kpi_tritue.catalog.model import CatalogError
from kpi_tritue.catalog.reading import parse_catalog
from kpi_tritue.cli import app
from kpi_tritue.compute.applicability import applicability, not_applicable_note
from kpi_tritue.compute.engine import data_issues
from kpi_tritue.compute.gate import judge
from kpi_tritue.compute.progress import assess_progress
from kpi_tritue.compute.summary import tally
from kpi_tritue.io.dataset import load_dataset
from kpi_tritue.model.gate import GateCondition
from kpi_tritue.model.results import GroupResult, Measurement, Note, Status
from kpi_tritue.model.trend import YearPoint
from kpi_tritue.render.report import summary_line

ID = "district_key_leaders_under_40"
SHIPPED = Path(__file__).parents[1] / "src" / "kpi_tritue" / "catalog" / "ha_tinh_2030.toml"
AFTER = date(2026, 9, 30)
runner = CliRunner()


def commune_leaders(count: int = 3) -> list[dict[str, Any]]:
    return [
        person(
            level="Xã",
            unit="UBND xã Thạch Hà",
            sector="Quản lý nhà nước",
            category="Công chức",
            is_key_leader=True,
        )
        for _ in range(count)
    ]


def district_leaders(young: int, total: int) -> list[dict[str, Any]]:
    return [
        person(
            level="Huyện",
            unit="Huyện ủy Can Lộc",
            sector="Quản lý nhà nước",
            category="Cán bộ",
            is_key_leader=True,
            birth_date="01/01/1995" if i < young else "01/01/1970",
        )
        for i in range(total)
    ]


def report(folder: Path, people: list[dict[str, Any]], as_of: str = "30/09/2026") -> Path:
    """A report with its reference date in ThongTin, so that the CLI needs no --as-of."""
    sheets = Book(people=people).sheets()
    sheets["ThongTin"] = [["Mục", "Giá trị"], ["Ngày số liệu", as_of]]
    return write_workbook(folder / "bao_cao.xlsx", sheets)


# ---------------------------------------------------------------------------------------
# The catalog


def test_the_shipped_catalog_ends_district_key_leaders_on_30_june_2025() -> None:
    indicator = CATALOG.indicator(ID)
    assert indicator.applies_until == date(2025, 6, 30)
    assert "01/07/2025" in (indicator.applies_until_reason("vi") or "")
    assert "1 July 2025" in (indicator.applies_until_reason("en") or "")
    others = [i.id for i in CATALOG.indicators if i.applies_until is not None]
    assert others == [ID]


@pytest.mark.parametrize(
    "drop", ["applies_until_reason_vi", "applies_until_reason_en", "applies_until"]
)
def test_applies_until_and_its_reasons_go_together(drop: str) -> None:
    data = tomllib.loads(SHIPPED.read_text(encoding="utf-8"))
    entry = next(i for i in data["indicators"] if i["id"] == ID)
    del entry[drop]
    with pytest.raises(CatalogError) as caught:
        parse_catalog(data)
    assert any("applies_until" in message for _, message in caught.value.errors)


def test_applies_until_must_be_a_date() -> None:
    data = tomllib.loads(SHIPPED.read_text(encoding="utf-8"))
    entry = next(i for i in data["indicators"] if i["id"] == ID)
    entry["applies_until"] = "sometime"
    with pytest.raises(CatalogError):
        parse_catalog(data)


# ---------------------------------------------------------------------------------------
# The status


def test_no_district_rows_after_the_reform_is_not_applicable(tmp_path: Path) -> None:
    computation = run(tmp_path, Book(people=commune_leaders()), as_of=AFTER)
    measurement = computation.result(ID).measurement
    assert measurement.status is Status.NOT_APPLICABLE
    assert measurement.value is None and measurement.gap is None
    assert measurement.shortfall is None
    assert measurement.note is not None and measurement.note.code == "not_applicable"
    assert measurement.note.params["until"] == "30/06/2025"
    # Nothing else ends: the provincial leaders are computed as always.
    others = [r for r in computation.results if r.id != ID]
    assert all(r.measurement.status is not Status.NOT_APPLICABLE for r in others)
    codes = {issue.code for issue in computation.issues}
    assert "indicator_level_abolished" not in codes
    assert "district_level_abolished" not in codes


def test_on_the_last_day_it_still_applies(tmp_path: Path) -> None:
    computation = run(tmp_path, Book(people=commune_leaders()), as_of=date(2025, 6, 30))
    assert computation.result(ID).measurement.status is Status.NO_DATA


def test_a_missing_column_after_the_reform_is_not_applicable_too(tmp_path: Path) -> None:
    """`would be no_data`: a list without the flag columns gives no population either."""
    columns = [c for c in Book().columns if c not in ("is_key_leader", "is_standing_committee")]
    book = Book(people=commune_leaders(), columns=columns)
    measurement = run(tmp_path, book, as_of=AFTER).result(ID).measurement
    assert measurement.status is Status.NOT_APPLICABLE


def test_district_rows_after_the_reform_are_computed_with_warnings(tmp_path: Path) -> None:
    people = commune_leaders() + district_leaders(young=1, total=4)
    computation = run(tmp_path, Book(people=people), as_of=AFTER)
    measurement = computation.result(ID).measurement
    assert measurement.status is Status.MET  # 1 of 4: 25 %, in the 20–25 % band
    assert measurement.value == pytest.approx(25.0)
    assert (measurement.numerator, measurement.denominator) == (1, 4)
    ended = [i for i in computation.issues if i.code == "indicator_level_abolished"]
    assert len(ended) == 1 and ended[0].severity == "warning"
    assert "30/06/2025" in ended[0].message("en") and ID in ended[0].message("vi")
    rows = [i for i in computation.issues if i.code == "district_level_abolished"]
    # One warning for the file, not one per row: at the first Huyện cell, with the count.
    assert len(rows) == 1
    assert rows[0].severity == "warning"
    assert rows[0].cell == "C5"  # header row 1, three commune rows, then the first Huyện
    assert rows[0].params["count"] == 4
    assert "4" in rows[0].message("vi") and "01/07/2025" in rows[0].message("vi")


def test_the_huyen_warning_is_one_per_file_and_validate_shows_it(tmp_path: Path) -> None:
    first = Book(people=district_leaders(0, 2) + commune_leaders(1)).write(tmp_path / "a.xlsx")
    second = Book(people=commune_leaders(1) + district_leaders(0, 3)).write(tmp_path / "b.xlsx")
    dataset = load_dataset([str(first), str(second)], as_of=date(2025, 7, 1))
    found = [i for i in data_issues(dataset, CATALOG) if i.code == "district_level_abolished"]
    assert [(Path(i.file or "").name, i.cell, i.params["count"]) for i in found] == [
        ("a.xlsx", "C2", 2),
        ("b.xlsx", "C3", 3),
    ]
    before = load_dataset([str(first), str(second)], as_of=date(2025, 6, 30))
    assert not [i for i in data_issues(before, CATALOG) if i.code == "district_level_abolished"]


def test_validate_reports_the_huyen_rows_once(tmp_path: Path) -> None:
    path = report(tmp_path, commune_leaders(2) + district_leaders(0, 5))
    result = runner.invoke(app, ["validate", str(path), "--format", "json"])
    document = json.loads(result.stdout)
    found = [i for i in document["issues"] if i["code"] == "district_level_abolished"]
    assert len(found) == 1
    assert found[0]["cell"] == "C4" and found[0]["severity"] == "warning"


def test_each_group_of_a_breakdown_is_not_applicable_where_it_would_be_no_data() -> None:
    indicator = CATALOG.indicator(ID)
    empty = Measurement(None, Status.NO_DATA, None, None, 0.0, 0.0, Note("zero_denominator"))
    counted = Measurement(50.0, Status.ABOVE_RANGE, 25.0, 0, 1.0, 2.0)
    outside = Measurement(None, Status.NO_DATA, None, None, 3.0, None, Note("outside_areas"))
    breakdown = (
        GroupResult("Can Lộc", empty),
        GroupResult("Hương Sơn", counted),
        GroupResult("—", outside),
    )
    issues: list[Any] = []
    province, groups = applicability(indicator, AFTER, counted, breakdown, issues)
    assert province is counted  # rows exist: computed as before, with a warning
    assert [i.code for i in issues] == ["indicator_level_abolished"]
    assert groups is not None
    assert [g.measurement.status for g in groups] == [
        Status.NOT_APPLICABLE,
        Status.ABOVE_RANGE,
        Status.NO_DATA,
    ]
    assert groups[0].measurement.note == not_applicable_note(indicator)
    assert groups[0].measurement.denominator == 0.0
    # Before the date nothing changes.
    kept = applicability(indicator, date(2025, 6, 30), empty, breakdown, issues)
    assert kept == (empty, breakdown)


def test_by_level_after_the_reform(tmp_path: Path) -> None:
    computation = run(tmp_path, Book(people=commune_leaders()), as_of=AFTER, by="level")
    result = computation.result(ID)
    assert result.measurement.status is Status.NOT_APPLICABLE
    groups = result.breakdown or ()
    assert all(g.measurement.status is Status.NOT_APPLICABLE for g in groups)


# ---------------------------------------------------------------------------------------
# Counted on its own; never failed by the gate


def test_the_tally_counts_it_on_its_own(tmp_path: Path) -> None:
    computation = run(tmp_path, Book(people=commune_leaders()), as_of=AFTER)
    counts = tally(computation.results)
    assert counts[Status.NOT_APPLICABLE] == 1
    assert sum(counts.counts.values()) == len(CATALOG.indicators)
    assert counts.scored == len(CATALOG.indicators) - 1 - counts[Status.TRACKED]
    vi = summary_line(counts, "vi")
    en = summary_line(counts, "en")
    assert vi.endswith("; 1 không áp dụng.")
    assert en.endswith("; 1 not applicable.")
    assert f"/{counts.scored} chỉ tiêu đạt" in vi
    without = replace(counts, counts={**counts.counts, Status.NOT_APPLICABLE: 0})
    assert "áp dụng" not in summary_line(without, "vi")


def test_the_gate_never_fails_it_and_skips_it(tmp_path: Path) -> None:
    computation = run(tmp_path, Book(people=commune_leaders()), as_of=AFTER)
    every = frozenset(GateCondition)
    verdict = judge(computation.results, every)
    case = verdict.case(ID)
    assert case.failures == ()
    assert case.not_judged == ()
    assert case.skipped
    assert ID not in {r.id for r in verdict.failed}


def test_check_reports_it_as_skipped_in_junit(tmp_path: Path) -> None:
    path = report(tmp_path, commune_leaders())
    junit = tmp_path / "kpi.xml"
    result = runner.invoke(
        app,
        ["check", str(path), "--fail-on", "not_met,no_data,above_range", "--junit", str(junit)],
    )
    assert result.exit_code == 1  # the other indicators have no data
    root = ElementTree.fromstring(junit.read_text(encoding="utf-8"))
    case = next(c for c in root.iter("testcase") if (c.get("name") or "").startswith(ID))
    assert case.find("failure") is None
    skipped = case.find("skipped")
    assert skipped is not None
    message = skipped.get("message") or ""
    assert message.startswith("not_applicable")
    assert "cấp huyện đã bị bãi bỏ" in message


@pytest.mark.parametrize(
    ("lang", "words"), [("vi", "không bao giờ làm cổng kiểm tra trượt"), ("en", "never fails")]
)
def test_fail_on_not_applicable_is_a_usage_error(tmp_path: Path, lang: str, words: str) -> None:
    path = report(tmp_path, commune_leaders())
    result = runner.invoke(
        app, ["check", str(path), "--fail-on", "not_met,not_applicable", "--lang", lang]
    )
    assert result.exit_code == 2
    assert words in result.stderr
    assert "not_applicable" in result.stderr


# ---------------------------------------------------------------------------------------
# The trend


def test_the_trend_ends_where_the_indicator_stops_applying() -> None:
    indicator = CATALOG.indicator(ID)
    note = not_applicable_note(indicator)
    points = [
        YearPoint(2023, 30.0, Status.ABOVE_RANGE, 3, 10),
        YearPoint(2024, 22.0, Status.MET, 2, 9),
        YearPoint(2025, None, Status.NOT_APPLICABLE, 0, 0, note),
        YearPoint(2026, None, Status.NOT_APPLICABLE, 0, 0, note),
    ]
    target = indicator.target_result
    progress = assess_progress(points, target, indicator.unit, CATALOG.trend)
    assert progress.trend_class is None  # not judged
    assert progress.ended == 2025
    assert (progress.base_year, progress.latest_year) == (2023, 2024)
    assert progress.projection is None and progress.ratio is None
    assert progress.required_pace is None
    # A not_applicable year that is not at the end is only left out of the fit.
    middle = [points[0], points[2], YearPoint(2026, 22.0, Status.MET, 2, 9)]
    resumed = assess_progress(middle, target, indicator.unit, CATALOG.trend)
    assert resumed.ended is None and resumed.trend_class is not None


def test_kpi_trend_shows_the_end_of_the_series(tmp_path: Path) -> None:
    old = Book(people=district_leaders(3, 10)).sheets()
    old["ThongTin"] = [["Mục", "Giá trị"], ["Năm báo cáo", 2024]]
    new = Book(people=commune_leaders()).sheets()
    new["ThongTin"] = [["Mục", "Giá trị"], ["Ngày số liệu", "30/09/2026"]]
    paths = [write_workbook(tmp_path / f"{n}.xlsx", s) for n, s in (("y24", old), ("y26", new))]
    shown = runner.invoke(app, ["trend", *map(str, paths), "--lang", "en"], env={"COLUMNS": "200"})
    assert shown.exit_code == 0, shown.output
    words = " ".join(shown.stdout.split())
    assert "Not applicable from 2026" in words
    assert "Not applicable: the indicator applies until 30/06/2025" in words
    document = json.loads(
        runner.invoke(app, ["trend", *map(str, paths), "--format", "json"]).stdout
    )
    entry = next(i for i in document["indicators"] if i["id"] == ID)
    assert entry["statuses"] == {"2024": "above_range", "2026": "not_applicable"}
    assert entry["class"] is None


# ---------------------------------------------------------------------------------------
# The renderers


@pytest.fixture
def after(tmp_path: Path) -> Path:
    return report(tmp_path, commune_leaders())


def test_the_terminal_shows_it_with_its_reason(after: Path) -> None:
    result = runner.invoke(app, ["compute", str(after)])
    assert result.exit_code == 0, result.output
    words = " ".join(result.stdout.split())
    assert "19 thiếu số liệu; 1 không áp dụng." in words
    assert "Không áp dụng: chỉ tiêu chỉ áp dụng đến ngày 30/06/2025" in words
    note = next(w for w in words.split("[") if w.startswith(tuple("0123456789")) and "30/06" in w)
    assert f"Không áp dụng [{note.split(']')[0]}]" in words  # the row points at its reason
    english = " ".join(runner.invoke(app, ["compute", str(after), "--lang", "en"]).stdout.split())
    assert "1 not applicable." in english
    assert "Not applicable: the indicator applies until 30/06/2025" in english


def test_json_csv_and_markdown_carry_the_status(after: Path) -> None:
    document = json.loads(runner.invoke(app, ["compute", str(after), "--format", "json"]).stdout)
    entry = next(i for i in document["indicators"] if i["id"] == ID)
    assert entry["status"] == "not_applicable"
    assert entry["value"] is None and entry["gap"] is None and entry["shortfall"] is None
    assert "30/06/2025" in entry["note"]
    table = runner.invoke(app, ["compute", str(after), "--format", "csv"]).stdout
    rows = list(csv.DictReader(io.StringIO(table.lstrip("\ufeff"))))
    row = next(r for r in rows if ID in r.values())
    assert "not_applicable" in row.values() or "Không áp dụng" in row.values()
    markdown = runner.invoke(app, ["compute", str(after), "--format", "markdown"]).stdout
    assert "Không áp dụng" in markdown


def test_the_workbook_shows_it_in_grey(after: Path, tmp_path: Path) -> None:
    out = tmp_path / "bao_cao_kq.xlsx"
    result = runner.invoke(app, ["export", str(after), "--by", "level", "-o", str(out)])
    assert result.exit_code == 0, result.output
    book = load_workbook(out)
    found = [
        cell
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value == "Không áp dụng"
    ]
    assert found
    assert all(cell.fill.fgColor.rgb.endswith("F2F2F2") for cell in found)
    assert all(cell.font.color.rgb.endswith("808080") for cell in found)
    texts = [str(c.value) for s in book.worksheets for r in s.iter_rows() for c in r if c.value]
    assert any("1 không áp dụng" in t for t in texts)
    assert any("– Không áp dụng" in t for t in texts)  # the breakdown's legend
