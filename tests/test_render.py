"""The renderers on their own: model objects built here, no workbook read, no CLI.

Each test hands a renderer results or issues it made itself and reads what comes out: a
rich table printed at a fixed width, JUnit XML parsed back, an .xlsx opened with openpyxl.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from openpyxl import load_workbook
from rich.console import Console

from kpi_tritue.compute.gate import DEFAULT_FAIL_ON, judge
from kpi_tritue.compute.stats import with_people_share_stats
from kpi_tritue.compute.summary import tally
from kpi_tritue.i18n import Lang
from kpi_tritue.io.dataset import Dataset
from kpi_tritue.model.issues import Issue, Severity
from kpi_tritue.model.results import (
    GroupResult,
    IndicatorResult,
    Measurement,
    Note,
    Status,
    Target,
)
from kpi_tritue.model.sources import AsOfSource, ReferenceDate, Source
from kpi_tritue.render.gate import junit_xml
from kpi_tritue.render.report import ReportContext, results_table
from kpi_tritue.render.terminal import issues_summary, issues_table, location
from kpi_tritue.render.xlsx_report import build_gap_report

RUN_TIME = datetime(2025, 1, 15, 9, 30)


def printed(renderable: Any, width: int) -> str:
    stream = io.StringIO()
    console = Console(file=stream, width=width, color_system=None, highlight=False, markup=False)
    console.print(renderable)
    return stream.getvalue()


def measurement(
    value: float | None,
    status: Status,
    numerator: float | None = None,
    denominator: float | None = None,
    **extra: Any,
) -> Measurement:
    met = status in (Status.MET, Status.TRACKED)
    return Measurement(
        value=value,
        status=status,
        gap=None if value is None else (0.0 if met else 10.0),
        shortfall=None if value is None else (0 if met else 4),
        numerator=numerator,
        denominator=denominator,
        **extra,
    )


def result(
    id_: str,
    measured: Measurement,
    *,
    field: str = "cadres",
    unit: str = "percent",
    breakdown: tuple[GroupResult, ...] | None = None,
) -> IndicatorResult:
    return IndicatorResult(
        id=id_,
        name_vi=f"Tỷ lệ {id_}",
        name_en=f"Share {id_}",
        clause="II.2",
        field=field,
        unit=unit,  # type: ignore[arg-type]
        target=Target(op=">=", year=2030, value=60.0),
        measurement=measured,
        breakdown=breakdown,
    )


RESULTS = [
    result("met_share", measurement(75.0, Status.MET, 75, 100)),
    result(
        "short_share",
        measurement(50.0, Status.NOT_MET, 10, 20),
        breakdown=(GroupResult("Sở Y tế", measurement(40.0, Status.NOT_MET, 4, 10)),),
    ),
    result(
        "no_figures",
        measurement(None, Status.NO_DATA, note=Note("missing_sheet", {"sheet": "SoLieu"})),
        field="health",
    ),
]


def as_shares_of_people(ids: frozenset[str]) -> list[IndicatorResult]:
    """RESULTS, those of `ids` shares of people: with the interval and the small-sample
    mark that compute puts on them."""
    return [with_people_share_stats(r) if r.id in ids else r for r in RESULTS]


def context(*, files: int = 1) -> ReportContext:
    dataset = Dataset(
        sources=[Source(f"bao_cao_{i}.xlsx", "0" * 64) for i in range(files)],
        reference=ReferenceDate(date(2024, 12, 31), AsOfSource.SHEET),
        tables={},
    )
    return ReportContext(
        dataset=dataset,
        catalog_id="ha-tinh-2030",
        catalog_target_year=2030,
        issues=[],
        tally=tally(RESULTS),
        by="unit",
    )


# ---------------------------------------------------------------------------------------
# render/terminal.py: the issues


def issue(code: str = "required_blank", file: str | None = "a.xlsx", **where: Any) -> Issue:
    where = {"sheet": "NhanSu", "row": 5, "cell": "C5", **where}
    params = {"field": "Đơn vị", "id": "HT000001"}
    return Issue(Severity.ERROR, code, file=file, params=params, **where)


def test_an_issue_is_located_as_far_as_it_is_known() -> None:
    assert location(issue()) == "a.xlsx › NhanSu!C5"
    assert location(issue(), with_file=False) == "NhanSu!C5"
    assert location(issue(cell=None)) == "a.xlsx › NhanSu!5:5"
    assert location(issue(file=None, sheet=None)) == "—"


def test_the_issues_of_one_file_name_it_once_in_the_title() -> None:
    output = printed(issues_table([issue(), issue(row=9, cell="D9")], "en"), 160)
    assert "Validation result: a.xlsx" in output
    assert "a.xlsx ›" not in output
    assert [line for line in output.splitlines() if "[required_blank]" in line] == [
        line for line in output.splitlines() if "Đơn vị is blank (ID HT000001)" in line
    ]
    assert "NhanSu!C5" in output and "NhanSu!D9" in output
    assert output.count("[required_blank]") == 2


def test_the_issues_of_several_files_name_the_file_on_each_row() -> None:
    output = printed(issues_table([issue(), issue(file="b.xlsx")], "vi"), 160)
    assert "Kết quả kiểm tra dữ liệu" in output and "Kết quả kiểm tra dữ liệu:" not in output
    assert "a.xlsx › NhanSu!C5" in output and "b.xlsx › NhanSu!C5" in output
    assert "Chưa điền Đơn vị (mã HT000001)" in output


def test_the_issues_of_several_files_of_one_folder_name_it_once_in_the_title() -> None:
    issues = [
        issue(file="reports/2024/a.xlsx"),
        issue(file="reports/2024/xa/b.xlsx"),
        Issue(Severity.WARNING, "run_wide", file=None),
        issue(file="reports/2024/empty", sheet=None, cell=None),  # a folder without workbooks
    ]
    for lang, title in (
        ("vi", "Kết quả kiểm tra dữ liệu (các tệp trong reports/2024)"),
        ("en", "Validation result (files in reports/2024)"),
    ):
        output = printed(issues_table(issues, lang), 160)
        assert title in output
        assert "│ a.xlsx › NhanSu!C5" in output and "│ xa/b.xlsx › NhanSu!C5" in output
        assert "reports/2024/a.xlsx" not in output and "│ empty " in output
    assert location(issues[1], folder="reports/2024") == "xa/b.xlsx › NhanSu!C5"
    assert location(issues[1], folder="reports/20") == "reports/2024/xa/b.xlsx › NhanSu!C5"
    # Files in no one folder (`/` is none) are named whole.
    output = printed(issues_table([issue(file="/a.xlsx"), issue(file="/b.xlsx")], "en"), 160)
    assert "files in" not in output and "│ /a.xlsx › NhanSu!C5" in output


def test_past_fifty_issues_of_one_code_only_a_count_is_shown() -> None:
    issues = [issue(row=row, cell=f"C{row}") for row in range(6, 6 + 53)]
    output = printed(issues_table(issues, "en"), 200)
    assert output.count("[required_blank]") == 50
    assert "… and 3 more required_blank issue(s) (see more with --format json)." in output
    assert "NhanSu!C55" in output and "NhanSu!C56" not in output


def test_the_summary_counts_each_severity() -> None:
    issues = [issue(), issue(), Issue(Severity.WARNING, "x"), Issue(Severity.INFO, "y")]
    assert issues_summary(issues, 2, "en") == "2 error(s), 1 warning(s), 1 info in 2 file(s)."
    assert issues_summary([], 1, "vi") == "0 lỗi, 0 cảnh báo, 0 thông tin trong 1 tệp."


# ---------------------------------------------------------------------------------------
# render/report.py: the results table at 80 and 140 columns


def test_the_results_table_at_140_columns_has_every_column() -> None:
    output = printed(results_table(RESULTS, context(), "en"), 140)
    lines = output.splitlines()
    header = next(line for line in lines if "Indicator" in line)
    for column in ("Clause", "Value", "Target", "Gap", "Shortfall", "Status"):
        assert column in header
    assert "Progress on the targets to 2030" in output
    row = next(line for line in lines if "Share short_share" in line)
    assert "II.2" in row and "50.0 %" in row and "≥ 60 %" in row and "Not met" in row
    assert next(line for line in lines if "Share met_share" in line).count("Met") == 1
    # Health comes before cadres, each under its field's heading.
    assert output.index("Health") < output.index("Share no_figures") < output.index("Cadres")
    assert "  └ Sở Y tế" in output
    assert max(len(line) for line in lines) <= 140


def test_the_results_table_at_80_columns_drops_clause_and_gap_but_no_status() -> None:
    output = printed(results_table(RESULTS, context(), "vi"), 80)
    lines = output.splitlines()
    assert max(len(line) for line in lines) <= 80
    header = next(line for line in lines if "Chỉ tiêu" in line)
    assert "Mục " not in header.replace("Mục tiêu", "") and "Khoảng cách" not in header
    row = next(line for line in lines if "Tỷ lệ short_share" in line)
    assert "50,0 %" in row and "Chưa đạt" in row and "II.2" not in row
    assert "Tỷ lệ met_share" in output and "Đạt" in output


def test_a_no_data_note_is_a_numbered_footnote() -> None:
    output = printed(results_table(RESULTS, context(), "en"), 140)
    row = next(line for line in output.splitlines() if "Share no_figures" in line)
    assert "No data [1]" in row and "—" in row
    assert "[1] There is no SoLieu sheet, so this cannot be computed." in output


def test_a_share_of_few_people_is_marked_and_explained() -> None:
    shares = frozenset({"met_share", "short_share"})
    output = printed(results_table(as_shares_of_people(shares), context(), "en"), 140)
    lines = output.splitlines()
    assert "50.0 %*" in next(line for line in lines if "Share short_share" in line)  # 20 people
    assert "75.0 %*" not in output  # 100 people
    assert "* Fewer than 30 people in the denominator: read with care." in output
    plain = printed(results_table(RESULTS, context(), "en"), 140)
    assert "*" not in plain


# ---------------------------------------------------------------------------------------
# render/gate.py: JUnit XML


def test_junit_of_a_passing_gate_has_no_failure_and_a_line_per_indicator() -> None:
    passing = [r for r in RESULTS if r.measurement.status is not Status.NOT_MET]
    root = ElementTree.fromstring(
        junit_xml(passing, judge(passing, DEFAULT_FAIL_ON), context(), "en")
    )
    assert (root.get("tests"), root.get("failures"), root.get("skipped")) == ("2", "0", "1")
    outs = [out.text for out in root.iter("system-out")]
    assert outs == ["met: 75.0 % / ≥ 60 %"]
    (skipped,) = root.iter("skipped")
    assert skipped.get("message", "").startswith("no_data: — / ≥ 60 % — There is no SoLieu")


def test_junit_stays_valid_xml_whatever_the_names_hold() -> None:
    strange = result("x\x1b[31m\x07", measurement(10.0, Status.NOT_MET, 1, 10))
    xml = junit_xml([strange], judge([strange], DEFAULT_FAIL_ON), context(), "vi")
    root = ElementTree.fromstring(xml)  # a raw ESC or BEL would not parse
    (case,) = root.iter("testcase")
    assert "\x1b" not in xml and "\x07" not in xml
    assert case.find("failure") is not None
    assert xml.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="kpi"')


# ---------------------------------------------------------------------------------------
# render/xlsx_report.py: the workbook, read back


def _saved(tmp_path: Path, lang: Lang, results: list[IndicatorResult] = RESULTS) -> Any:
    workbook = build_gap_report(results, context(), lang, run_time=RUN_TIME)
    path = tmp_path / f"report.{lang}.xlsx"
    workbook.save(path)
    return load_workbook(path)


def _summary_rows(sheet: Any) -> dict[str, tuple[Any, ...]]:
    """Summary rows by indicator id (column 10): clause, name, value … note."""
    return {
        row[9]: row[:9]
        for row in sheet.iter_rows(values_only=True)
        if len(row) >= 10 and isinstance(row[9], str)
    }


def test_the_report_has_its_sheets_in_order(tmp_path: Path) -> None:
    assert _saved(tmp_path, "vi").sheetnames == [
        "Tổng hợp",
        "Biểu đồ",
        "Theo đơn vị",
        "Vấn đề dữ liệu",
        "Thông tin",
    ]
    assert _saved(tmp_path, "en").sheetnames[0] == "Summary"


def test_the_summary_holds_numbers_statuses_and_notes(tmp_path: Path) -> None:
    sheet = _saved(tmp_path, "en")["Summary"]
    rows = _summary_rows(sheet)
    assert sorted(rows) == ["Indicator id", "met_share", "no_figures", "short_share"]
    clause, name, value, ci95, target, gap, shortfall, status, note = rows["short_share"]
    assert (clause, name, value, target, gap, shortfall, status) == (
        "II.2",
        "Share short_share",
        50.0,
        "≥ 60 %",
        10.0,
        4,
        "Not met",
    )
    assert ci95 is None and note is None  # not a share of people; no note
    assert rows["no_figures"][2] is None and rows["no_figures"][7] == "No data"
    assert rows["no_figures"][8].startswith("There is no SoLieu sheet")
    assert sheet["A1"].value == "Progress on the targets to 2030"


def test_a_share_of_people_gets_its_interval_and_a_small_mark(tmp_path: Path) -> None:
    shares = frozenset({"met_share", "short_share"})
    sheet = _saved(tmp_path, "vi", as_shares_of_people(shares))["Tổng hợp"]
    rows = _summary_rows(sheet)
    assert rows["met_share"][3] == "65,7–82,5"  # Wilson, 75 of 100
    # The mark is in the number format: the cell stays a number that sorts and sums.
    assert rows["short_share"][2] == 50 and isinstance(rows["short_share"][2], int | float)
    formats = {cell.value: cell.number_format for cell in sheet["C"] if cell.value in (50, 75)}
    assert '"*"' in formats[50] and '"*"' not in formats[75]
