"""The Excel gap report: opened again with openpyxl (and LibreOffice), cell by cell."""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from builders import WORKFORCE_HEADER, person, write_workbook
from kpi_tritue import __version__
from kpi_tritue.catalog.reading import load_catalog
from kpi_tritue.compute.engine import compute
from kpi_tritue.compute.stats import wilson_interval
from kpi_tritue.compute.summary import tally
from kpi_tritue.errors import OutputError
from kpi_tritue.io.dataset import load_dataset
from kpi_tritue.model.issues import sorted_issues
from kpi_tritue.model.results import IndicatorResult, Status
from kpi_tritue.render.report import ReportContext, group_label
from kpi_tritue.render.xlsx_formats import STATUS_COLOURS
from kpi_tritue.render.xlsx_report import build_gap_report, write_gap_report

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
RUN_TIME = datetime(2025, 1, 15, 9, 30)
NAMES = ("Nguyễn Thị Bích Ngọc", "Phạm Quang Khải", "Hoàng Minh Trâm", "Đặng Văn Lực")
FORMULA_UNITS = ('=HYPERLINK("http://x")', "+1", "@x", "-2")

Result = tuple[list[IndicatorResult], ReportContext]


def _context(paths: list[Path], by: str | None = None, skip_invalid: bool = False) -> Result:
    """What `kpi export` computes before writing."""
    dataset = load_dataset([str(p) for p in paths])
    skipped = 0
    if skip_invalid:
        dataset, skipped = dataset.without_invalid_rows()
    catalog = load_catalog()
    computation = compute(dataset, catalog, by)  # type: ignore[arg-type]
    context = ReportContext(
        dataset=dataset,
        catalog_id=catalog.id,
        catalog_target_year=2030,
        issues=sorted_issues([*dataset.issues, *computation.issues]),
        tally=tally(computation.results),
        skipped_rows=skipped,
        by=by,
    )
    return computation.results, context


@pytest.fixture
def source(tmp_path: Path) -> Path:
    """A small report with names, formula-like unit names and one row with a bad Cấp."""
    rows: list[list[Any]] = [[*WORKFORCE_HEADER, "Phù hợp vị trí việc làm"]]
    for index, unit in enumerate(FORMULA_UNITS):
        rows.append([*person(f"F{index}", name=NAMES[index], unit=unit), "x"])
    rows.append(
        [
            *person(
                "T1", name=NAMES[2], sector="Giáo dục", profession="Giáo viên", school_level="THCS"
            ),
            "x",
        ]
    )
    rows.append([*person("B1", name=NAMES[3], level="Trung ương"), None])
    path = write_workbook(
        tmp_path / "bao_cao.xlsx",
        {
            "ThongTin": [["Mục", "Giá trị"], ["Ngày số liệu", datetime(2024, 12, 31)]],
            "NhanSu": rows,
            "SoLieu": [
                ["Chỉ tiêu", "Giá trị", "Năm"],
                ["Dân số", 1_320_000, 2024],
                ["Số lớp THCS", 1, 2024],
            ],
        },
    )
    # openpyxl would store `=HYPERLINK(…)` as a formula; a person typed it as text.
    workbook = load_workbook(path)
    for row in workbook["NhanSu"].iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
    workbook.save(path)
    return path


@pytest.fixture
def sample() -> Path:
    return Path(__file__).parents[1] / "data" / "samples" / "ha_tinh_2024.xlsx"


@pytest.fixture
def report(tmp_path: Path, source: Path) -> Path:
    results, context = _context([source], by="unit", skip_invalid=True)
    out = tmp_path / "out" / "gap_report.xlsx"
    out.parent.mkdir()
    write_gap_report(out, results, context, "vi", run_time=RUN_TIME)
    return out


def _cells(workbook: Workbook) -> Iterator[tuple[Worksheet, Any]]:
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    yield sheet, cell


ID_COLUMN = 10  # the summary's last column, beyond the printed ones


def _rows_by_id(sheet: Worksheet) -> dict[str, int]:
    return {
        str(sheet.cell(row, ID_COLUMN).value): row
        for row in range(1, sheet.max_row + 1)
        if sheet.cell(row, ID_COLUMN).value
    }


# ---------------------------------------------------------------------------------------
# The summary


def test_summary_has_every_indicator_value_as_a_number(tmp_path: Path, sample: Path) -> None:
    results, context = _context([sample])
    out = tmp_path / "r.xlsx"
    write_gap_report(out, results, context, "vi", run_time=RUN_TIME)
    sheet = load_workbook(out)["Tổng hợp"]
    rows = _rows_by_id(sheet)
    assert len(results) == 23
    for result in results:
        row = rows[result.id]
        value, gap, shortfall = (sheet.cell(row, c) for c in (3, 6, 7))
        assert sheet.cell(row, 1).value == result.clause
        assert sheet.cell(row, 2).value == result.name("vi")
        assert isinstance(value.value, float | int), result.id
        assert value.value == pytest.approx(result.measurement.value)
        assert value.data_type == "n"
        if result.measurement.gap is not None:
            assert gap.value == pytest.approx(result.measurement.gap)
        assert shortfall.value == result.measurement.shortfall
        if result.unit == "percent":
            assert value.number_format == '0.0" %"'
    doctors = rows["doctors_per_10k"]
    assert sheet.cell(doctors, 3).number_format == "0.00"
    assert sheet.cell(doctors, 5).value == "≥ 14"
    assert sheet.cell(doctors, 7).number_format == "#,##0"
    milestone = sheet.cell(rows["intellectual_database"], 3)
    assert milestone.value == 1 and "Hoàn thành" in milestone.number_format
    assert sheet.cell(rows["talent_retention"], 5).value == "= 100 % (2045)"


def test_summary_gives_the_wilson_interval_of_every_share_of_people(
    tmp_path: Path, sample: Path
) -> None:
    results, context = _context([sample])
    catalog = load_catalog()
    sheet = build_gap_report(results, context, "en", run_time=RUN_TIME)["Summary"]
    rows = _rows_by_id(sheet)
    shown = 0
    for result in results:
        interval = sheet.cell(rows[result.id], 4).value
        k, n = result.measurement.numerator, result.measurement.denominator
        if catalog.indicator(result.id).is_share_of_people and n:
            low, high = wilson_interval(k or 0, n)
            assert interval == f"{low:.1f}–{high:.1f}", result.id
            assert low <= result.measurement.value <= high  # type: ignore[operator]
            shown += 1
        else:
            assert interval is None, result.id
    # Doctors per 10,000 and the SoLieu ratios are not shares of counted people.
    assert sheet.cell(rows["doctors_per_10k"], 4).value is None
    assert shown >= 10


def test_small_denominators_are_marked_and_the_value_stays_a_number(tmp_path: Path) -> None:
    rows: list[list[Any]] = [[*WORKFORCE_HEADER, "Lãnh đạo quản lý"]]
    rows += [[*person(f"L{i}", unit=f"Sở {i % 2}"), "x"] for i in range(5)]
    path = write_workbook(tmp_path / "few.xlsx", {"NhanSu": rows})
    results, context = _context([path], by="level")
    workbook = build_gap_report(results, context, "vi", run_time=RUN_TIME)
    sheet = workbook["Tổng hợp"]
    row = _rows_by_id(sheet)["provincial_leaders_under_40"]
    value = sheet.cell(row, 3)
    assert value.data_type == "n" and value.number_format == '0.0" %""*"'
    assert sheet.cell(row, 4).value is not None
    notes = [c.value for _, c in _cells(workbook) if str(c.value).startswith("* Mẫu số")]
    assert len(notes) == 2  # under the summary and under the breakdown
    # The mark stays in the breakdown too, before the status's own mark.
    marked = [c for _, c in _cells(workbook) if c.data_type == "n" and '"*"' in c.number_format]
    assert len(marked) >= 2


def test_summary_is_grouped_by_field_like_the_table(tmp_path: Path, sample: Path) -> None:
    results, context = _context([sample])
    sheet = build_gap_report(results, context, "vi", run_time=RUN_TIME).worksheets[0]
    column_b = [sheet.cell(row, 2).value for row in range(1, sheet.max_row + 1)]
    fields = ["Y tế", "Giáo dục", "Cán bộ, công chức, viên chức", "Nhân tài"]
    positions = [column_b.index(name) for name in fields]
    assert positions == sorted(positions)
    assert sheet.cell(1, 1).value == "Tiến độ các chỉ tiêu đến năm 2030"
    texts = [sheet.cell(row, 1).value for row in range(2, 6)]
    assert any("31/12/2024" in str(t) for t in texts)


def test_status_cells_are_coloured(tmp_path: Path, sample: Path) -> None:
    results, context = _context([sample])
    out = tmp_path / "r.xlsx"
    write_gap_report(out, results, context, "vi", run_time=RUN_TIME)
    sheet = load_workbook(out).worksheets[0]
    rows = _rows_by_id(sheet)
    seen: set[Status] = set()
    for result in results:
        cell = sheet.cell(rows[result.id], 8)
        fill, _ = STATUS_COLOURS[result.measurement.status]
        assert cell.fill.fgColor.rgb.endswith(fill), result.id
        seen.add(result.measurement.status)
    assert {Status.MET, Status.NOT_MET, Status.ABOVE_RANGE, Status.TRACKED} <= seen
    expected = {"met": "C6EFCE", "not_met": "FFC7CE", "above_range": "FFEB9C"}
    for status, colour in expected.items():
        assert STATUS_COLOURS[Status(status)][0] == colour
    assert STATUS_COLOURS[Status.NO_DATA][0] == "E7E6E6"
    assert STATUS_COLOURS[Status.TRACKED][0] == "DDEBF7"


def test_no_data_shows_its_note(tmp_path: Path) -> None:
    bare = write_workbook(tmp_path / "bare.xlsx", {"NhanSu": [WORKFORCE_HEADER, person("A1")]})
    # No SoLieu sheet: every population-based indicator is no_data.
    results, context = _context([bare])
    sheet = build_gap_report(results, context, "en", run_time=RUN_TIME).worksheets[0]
    rows = _rows_by_id(sheet)
    row = rows["doctors_per_10k"]
    assert sheet.cell(row, 8).value == "No data"
    assert "SoLieu" in str(sheet.cell(row, 9).value)
    assert sheet.cell(row, 3).value is None


def test_header_frozen_columns_sized_and_printable(report: Path) -> None:
    sheet = load_workbook(report)["Tổng hợp"]
    header = next(r for r in range(1, 10) if sheet.cell(r, 1).value == "Mục")
    assert sheet.freeze_panes == f"C{header + 1}"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.paperSize == 9  # A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
    assert sheet.print_title_rows == f"${header}:${header}"
    assert sheet.print_area == f"'Tổng hợp'!$A$1:$I${sheet.max_row}"
    assert sheet.column_dimensions["B"].width >= 50
    assert [sheet.cell(header, c).value for c in range(1, 10)] == [
        "Mục",
        "Chỉ tiêu",
        "Hiện nay",
        "Khoảng tin cậy 95 %",
        "Mục tiêu",
        "Khoảng cách",
        "Cần thêm",
        "Đánh giá",
        "Ghi chú",
    ]


def test_english_labels(tmp_path: Path, sample: Path) -> None:
    results, context = _context([sample], by="level")
    workbook = build_gap_report(results, context, "en", run_time=RUN_TIME)
    assert workbook.sheetnames == ["Summary", "Chart", "By level", "Data issues", "Information"]
    summary = workbook["Summary"]
    assert summary.cell(1, 1).value == "Progress on the targets to 2030"
    values = {c.value for _, c in _cells(workbook)}
    assert {"Not met", "Met", "Indicator", "Shortfall"} <= values


# ---------------------------------------------------------------------------------------
# Chart, breakdown, issues, information


def test_a_native_bar_chart_of_the_percentages(tmp_path: Path, sample: Path) -> None:
    results, context = _context([sample])
    out = tmp_path / "r.xlsx"
    write_gap_report(out, results, context, "vi", run_time=RUN_TIME)
    with zipfile.ZipFile(out) as archive:
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 1
        xml = archive.read(charts[0]).decode()
    assert "<barChart>" in xml and '<barDir val="bar"' in xml
    assert xml.count("<ser>") == 2
    sheet = load_workbook(out)["Biểu đồ"]
    names = [sheet.cell(r, 2).value for r in range(1, sheet.max_row + 1)]
    shares = [r for r in results if r.unit == "percent"]
    first = names.index(shares[0].name("vi")) + 1
    for offset, result in enumerate(shares):
        assert sheet.cell(first + offset, 2).value == result.name("vi")
        assert sheet.cell(first + offset, 3).value == pytest.approx(result.measurement.value)
    band = next(r for r in shares if r.id == "provincial_leaders_under_40")
    assert sheet.cell(first + shares.index(band), 4).value == 15


def test_breakdown_sheet_groups_by_indicators(tmp_path: Path, sample: Path) -> None:
    """Groups as rows under the province's row, worst first; one column an indicator, its
    value coloured and marked by its status; one page wide."""
    results, context = _context([sample], by="level")
    out = tmp_path / "r.xlsx"
    write_gap_report(out, results, context, "vi", run_time=RUN_TIME)
    sheet = load_workbook(out)["Theo cấp"]
    split = [r for r in results if r.breakdown is not None]
    column_a = [sheet.cell(r, 1).value for r in range(1, sheet.max_row + 1)]
    province = column_a.index("Toàn tỉnh") + 1
    short = {}
    for result in split:
        for group in result.breakdown or ():
            label = group_label(group.group, "level", "vi")
            short[label] = short.get(label, 0) + (group.measurement.status.value == "not_met")
    listed = column_a[province : province + len(short)]
    assert sorted(listed) == sorted(short)
    assert [short[g] for g in listed] == sorted(short.values(), reverse=True)
    for index, result in enumerate(split):
        column = 2 + index
        assert str(sheet.cell(4, column).value).endswith(result.name("vi"))
        assert sheet.cell(4, column).alignment.text_rotation == 90
        assert sheet.cell(province, column).value == pytest.approx(result.measurement.value)
        for group in result.breakdown or ():
            row = column_a.index(group_label(group.group, "level", "vi")) + 1
            cell = sheet.cell(row, column)
            if group.measurement.value is None:
                assert cell.value is None
            else:
                assert cell.value == pytest.approx(group.measurement.value)
                assert cell.data_type == "n"
            fill = STATUS_COLOURS[group.measurement.status][0]
            assert cell.fill.start_color.rgb.endswith(fill)
            if group.measurement.status.value == "not_met":
                assert cell.number_format.endswith('" ✗"')
    assert sheet.freeze_panes == f"B{province + 1}"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1
    assert any(str(v).startswith("✓ Đạt") for v in column_a if v)


def _label(key: str) -> str:
    from kpi_tritue.i18n import text

    return text(f"report.{key}", "vi")


def test_the_chart_prints_on_one_page_without_its_table(tmp_path: Path, sample: Path) -> None:
    results, context = _context([sample])
    out = tmp_path / "r.xlsx"
    write_gap_report(out, results, context, "vi", run_time=RUN_TIME)
    sheet = load_workbook(out)["Biểu đồ"]
    printed_rows = int(str(sheet.print_area).rsplit("$", 1)[1])
    assert printed_rows < sheet.max_row  # the table below the chart is for the screen
    assert sheet.row_breaks.brk == []


def test_no_breakdown_sheet_without_by(report: Path, tmp_path: Path, sample: Path) -> None:
    results, context = _context([sample])
    workbook = build_gap_report(results, context, "vi", run_time=RUN_TIME)
    assert workbook.sheetnames == ["Tổng hợp", "Biểu đồ", "Vấn đề dữ liệu", "Thông tin"]


def test_issues_sheet_lists_every_issue_with_its_cell(tmp_path: Path, source: Path) -> None:
    results, context = _context([source], skip_invalid=True)
    out = tmp_path / "r.xlsx"
    write_gap_report(out, results, context, "vi", run_time=RUN_TIME)
    sheet = load_workbook(out)["Vấn đề dữ liệu"]
    # A title, the counts, then the table, whose header repeats on every printed page.
    assert sheet["A1"].value == "Các vấn đề của dữ liệu đầu vào"
    errors = sum(i.severity == "error" for i in context.issues)
    assert str(sheet["A2"].value).startswith(f"{errors} lỗi, ")
    assert sheet.print_title_rows == "$4:$4"
    assert [c.value for c in sheet[4]] == [
        "Mức",
        "Mã",
        "Nội dung",
        "Tệp",
        "Trang",
        "Dòng",
        "Cột",
        "Ô",
    ]
    assert sheet.max_row == len(context.issues) + 4
    for row, issue in enumerate(context.issues, start=5):
        cells = [sheet.cell(row, c).value for c in range(1, 9)]
        assert cells[1:] == [
            issue.code,
            issue.message("vi"),
            issue.file,
            issue.sheet,
            issue.row,
            issue.column,
            issue.cell,
        ]
    bad = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 2).value == "bad_enum")
    assert sheet.cell(bad, 1).value == "lỗi"
    assert sheet.cell(bad, 8).value == "D7" and sheet.cell(bad, 6).value == 7
    assert sheet.freeze_panes == "A5"
    assert sheet.auto_filter.ref == f"A4:H{sheet.max_row}"


def test_information_sheet(tmp_path: Path, source: Path) -> None:
    results, context = _context([source], by="unit", skip_invalid=True)
    out = tmp_path / "r.xlsx"
    write_gap_report(out, results, context, "en", run_time=RUN_TIME)
    sheet = load_workbook(out)["Information"]
    items = {sheet.cell(r, 1).value: sheet.cell(r, 2) for r in range(1, sheet.max_row + 1)}
    assert items["Tool"].value == f"kpi-tritue {__version__}"
    assert items["Run at"].value == RUN_TIME
    assert items["Data as of"].value == datetime(2024, 12, 31)
    assert items["Data as of"].number_format == "dd/mm/yyyy"
    assert items["Report year"].value == 2024
    assert items["Indicator catalog"].value == "ha-tinh-2030"
    assert items["Breakdown"].value == "unit"
    assert items["Rows with errors left out (--skip-invalid)"].value == 1
    assert items["Errors"].value == 1
    source_row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == "File")
    assert sheet.cell(source_row + 1, 1).value == source.as_posix()
    assert sheet.cell(source_row + 1, 2).value == context.dataset.sources[0].sha256
    assert len(context.dataset.sources[0].sha256) == 64


# ---------------------------------------------------------------------------------------
# Safety


def test_text_that_looks_like_a_formula_stays_text(report: Path) -> None:
    workbook = load_workbook(report)
    found: dict[str, list[str]] = {unit: [] for unit in FORMULA_UNITS}
    for sheet, cell in _cells(workbook):
        assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate}: {cell.value}"
        if cell.value in found:
            assert cell.data_type == "s"
            assert cell.quotePrefix
            found[cell.value].append(sheet.title)
    assert all("Theo đơn vị" in sheets for sheets in found.values()), found
    with zipfile.ZipFile(report) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert "<f>" not in archive.read(name).decode(), name


def test_no_personal_name_anywhere(report: Path) -> None:
    cells = list(_cells(load_workbook(report)))
    assert len(cells) > 100
    found = [
        f"{sheet.title}!{cell.coordinate}"
        for sheet, cell in cells
        for name in NAMES
        if name in str(cell.value)
    ]
    assert found == []
    with zipfile.ZipFile(report) as archive:
        members = {m: archive.read(m).decode("utf-8", errors="replace") for m in archive.namelist()}
    assert len(members) > 5
    assert [(m, name) for m, data in members.items() for name in NAMES if name in data] == []


def test_an_interrupted_write_leaves_nothing(
    tmp_path: Path, source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    results, context = _context([source], skip_invalid=True)
    folder = tmp_path / "out"
    folder.mkdir()
    existing = folder / "old.xlsx"
    existing.write_bytes(b"previous report")

    def broken_save(self: Workbook, filename: Any) -> None:
        filename.write(b"PK\x03\x04 half a zip")
        raise KeyboardInterrupt

    monkeypatch.setattr(Workbook, "save", broken_save)
    with pytest.raises(KeyboardInterrupt):
        write_gap_report(folder / "new.xlsx", results, context, "vi", run_time=RUN_TIME)
    with pytest.raises(KeyboardInterrupt):
        write_gap_report(existing, results, context, "vi", run_time=RUN_TIME)
    assert sorted(os.listdir(folder)) == ["old.xlsx"]
    assert existing.read_bytes() == b"previous report"


def test_a_failed_save_is_an_output_error(
    tmp_path: Path, source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    results, context = _context([source], skip_invalid=True)

    def full_disk(self: Workbook, filename: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Workbook, "save", full_disk)
    with pytest.raises(OutputError, match="ổ đĩa đã đầy"):  # the reason, in Vietnamese
        write_gap_report(tmp_path / "r.xlsx", results, context, "vi", run_time=RUN_TIME)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bao_cao.xlsx"]


def test_refuses_to_write_over_an_input(tmp_path: Path, source: Path) -> None:
    results, context = _context([source], skip_invalid=True)
    before = source.read_bytes()
    spellings = [source, tmp_path / "x" / ".." / source.name]
    link = tmp_path / "link.xlsx"
    os.link(source, link)
    spellings.append(link)
    for spelling in spellings:
        with pytest.raises(OutputError, match="tệp đầu vào"):
            write_gap_report(spelling, results, context, "vi", run_time=RUN_TIME)
    catalog = tmp_path / "catalog.xlsx"
    catalog.write_bytes(b"")
    with pytest.raises(OutputError, match="input file"):
        write_gap_report(catalog, results, context, "en", run_time=RUN_TIME, protected=[catalog])
    assert source.read_bytes() == before


def test_a_missing_folder_or_a_wrong_suffix_is_refused(tmp_path: Path, source: Path) -> None:
    results, context = _context([source], skip_invalid=True)
    with pytest.raises(OutputError, match="does not exist"):
        write_gap_report(tmp_path / "nope" / "r.xlsx", results, context, "en", run_time=RUN_TIME)
    with pytest.raises(OutputError, match=r"\.xlsx"):
        write_gap_report(tmp_path / "r.csv", results, context, "en", run_time=RUN_TIME)
    (tmp_path / "dir.xlsx").mkdir()
    with pytest.raises(OutputError, match="folder"):
        write_gap_report(tmp_path / "dir.xlsx", results, context, "en", run_time=RUN_TIME)


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_an_unwritable_folder_is_refused(tmp_path: Path, source: Path) -> None:
    results, context = _context([source], skip_invalid=True)
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(OutputError, match="no permission"):
            write_gap_report(locked / "r.xlsx", results, context, "en", run_time=RUN_TIME)
    finally:
        locked.chmod(0o700)


def test_the_written_file_gets_normal_permissions(report: Path) -> None:
    umask = os.umask(0)
    os.umask(umask)
    assert report.stat().st_mode & 0o777 == 0o666 & ~umask


def test_a_run_time_with_a_time_zone_is_written_as_local_time(tmp_path: Path, source: Path) -> None:
    from datetime import UTC

    results, context = _context([source], skip_invalid=True)
    aware = datetime(2025, 1, 15, 9, 30, tzinfo=UTC)
    workbook = build_gap_report(results, context, "vi", run_time=aware)
    sheet = workbook["Thông tin"]
    moment = next(
        sheet.cell(r, 2).value
        for r in range(1, sheet.max_row + 1)
        if sheet.cell(r, 1).value == "Thời điểm chạy"
    )
    assert moment == aware.astimezone().replace(tzinfo=None)


# ---------------------------------------------------------------------------------------
# LibreOffice, the real spreadsheet client


def _soffice(source: Path, target: str, out_dir: Path) -> Path:
    assert SOFFICE is not None
    profile = out_dir / "lo-profile"
    completed = subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(out_dir),
            str(source),
        ],
        capture_output=True,
        timeout=180,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    converted = out_dir / f"{source.stem}.{target.split(':')[0]}"
    assert converted.exists(), completed.stdout + completed.stderr
    return converted


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is installed by .ci/run")
def test_libreoffice_converts_the_report_to_pdf(tmp_path: Path, sample: Path) -> None:
    results, context = _context([sample], by="level")
    out = tmp_path / "gap_report.xlsx"
    write_gap_report(out, results, context, "vi", run_time=RUN_TIME)
    pdf = _soffice(out, "pdf", tmp_path / "pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    assert pdf.stat().st_size > 10_000


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is installed by .ci/run")
def test_libreoffice_keeps_formula_like_units_as_text(report: Path, tmp_path: Path) -> None:
    resaved = _soffice(report, "xlsx", tmp_path / "lo")
    workbook = load_workbook(resaved)
    texts = {cell.value: cell for _, cell in _cells(workbook) if cell.value in FORMULA_UNITS}
    assert set(texts) == set(FORMULA_UNITS)
    assert all(cell.data_type == "s" for cell in texts.values())
    assert not any(cell.data_type == "f" for _, cell in _cells(workbook))


def test_the_first_line_counts_each_status_and_the_source_is_its_file_name(
    tmp_path: Path, sample: Path
) -> None:
    """A band overshoot is "above range", not "not met"; the analyst's folders stay out."""
    results, context = _context([sample.absolute()])
    out = tmp_path / "r.xlsx"
    write_gap_report(out, results, context, "vi", run_time=RUN_TIME)
    sheet = load_workbook(out)["Tổng hợp"]
    lines = [str(sheet.cell(row, 1).value) for row in range(1, 8) if sheet.cell(row, 1).value]
    counts = {s: sum(r.measurement.status is s for r in results) for s in Status}
    assert counts[Status.ABOVE_RANGE] >= 1
    scored = len(results) - counts[Status.TRACKED]
    assert (
        f"{counts[Status.MET]}/{scored} chỉ tiêu đạt; {counts[Status.NOT_MET]} chưa đạt; "
        f"{counts[Status.ABOVE_RANGE]} vượt khoảng mục tiêu; {counts[Status.NO_DATA]} thiếu "
        "số liệu."
    ) in lines
    assert f"Nguồn: {sample.name}" in lines
    assert not any(str(sample.parent) in line for line in lines)
