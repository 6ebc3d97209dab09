"""`kpi export`, `kpi compute --xlsx` and `kpi template` through Typer's CliRunner."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from builders import WORKFORCE_HEADER, person, write_workbook
from kpi_tritue.cli import app
from kpi_tritue.dataset import load_dataset
from kpi_tritue.template import DEFAULT_NAME

runner = CliRunner()


@pytest.fixture
def good(tmp_path: Path) -> Path:
    return write_workbook(
        tmp_path / "good.xlsx",
        {
            "ThongTin": [["Mục", "Giá trị"], ["Năm báo cáo", 2024]],
            "NhanSu": [WORKFORCE_HEADER, person("A1"), person("A2", level="Xã", unit="UBND xã")],
            "SoLieu": [["Chỉ tiêu", "Giá trị", "Năm"], ["Dân số", 1_320_000, 2024]],
        },
    )


@pytest.fixture
def bad(tmp_path: Path) -> Path:
    rows = [WORKFORCE_HEADER, person("A1"), person("A2", level="Trung ương")]
    return write_workbook(tmp_path / "bad.xlsx", {"NhanSu": rows})


def test_export_writes_the_report(good: Path, tmp_path: Path) -> None:
    out = tmp_path / "gap_report.xlsx"
    result = runner.invoke(app, ["export", str(good), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "Đã ghi" in result.stderr and "gap_report.xlsx" in result.stderr
    workbook = load_workbook(out)
    assert workbook.sheetnames == ["Tổng hợp", "Biểu đồ", "Vấn đề dữ liệu", "Thông tin"]
    summary = workbook["Tổng hợp"]
    ids = [summary.cell(r, 10).value for r in range(1, summary.max_row + 1)]
    row = ids.index("doctors_per_10k") + 1
    assert summary.cell(row, 3).value == pytest.approx(2 / 1_320_000 * 10_000)


def test_export_by_level_in_english(good: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.xlsx"
    result = runner.invoke(
        app, ["export", str(good), "--output", str(out), "--by", "level", "--lang", "en"]
    )
    assert result.exit_code == 0, result.output
    assert "Wrote" in result.stderr
    assert "By level" in load_workbook(out).sheetnames


def test_export_needs_an_output(good: Path) -> None:
    result = runner.invoke(app, ["export", str(good)])
    assert result.exit_code == 2
    assert "--output" in result.output


def test_export_refuses_to_write_over_its_input(good: Path, tmp_path: Path) -> None:
    before = good.read_bytes()
    for spelling in (str(good), str(tmp_path / "." / "good.xlsx")):
        result = runner.invoke(app, ["export", str(good), "-o", spelling])
        assert result.exit_code == 2, result.output
        assert "tệp đầu vào" in result.stderr
    folder_input = runner.invoke(app, ["export", str(tmp_path), "-o", str(good)])
    assert folder_input.exit_code == 2
    assert good.read_bytes() == before


def test_export_refuses_a_bad_output_name(good: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["export", str(good), "-o", str(tmp_path / "r.csv")])
    assert result.exit_code == 2
    assert ".xlsx" in result.stderr
    result = runner.invoke(app, ["export", str(good), "-o", str(tmp_path / "no" / "r.xlsx")])
    assert result.exit_code == 2
    assert "không tồn tại" in result.stderr
    assert "Traceback" not in result.output


def test_export_stops_on_input_errors_without_writing(bad: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.xlsx"
    result = runner.invoke(app, ["export", str(bad), "-o", str(out)])
    assert result.exit_code == 3
    assert not out.exists()
    result = runner.invoke(app, ["export", str(bad), "-o", str(out), "--skip-invalid"])
    assert result.exit_code == 0, result.output
    info = load_workbook(out)["Thông tin"]
    values = {info.cell(r, 1).value: info.cell(r, 2).value for r in range(1, info.max_row + 1)}
    assert values["Số dòng có lỗi đã bỏ qua (--skip-invalid)"] == 1


def test_compute_xlsx_prints_the_table_and_writes_the_report(good: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.xlsx"
    result = runner.invoke(app, ["compute", str(good), "--xlsx", str(out), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("{")
    assert out.exists() and "Đã ghi" in result.stderr


def test_compute_xlsx_refuses_an_input_before_printing(good: Path) -> None:
    before = good.read_bytes()
    result = runner.invoke(app, ["compute", str(good), "--xlsx", str(good)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert good.read_bytes() == before


def test_template_default_name_and_force(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    first = runner.invoke(app, ["template"])
    assert first.exit_code == 0, first.output
    assert (tmp_path / DEFAULT_NAME).exists()
    again = runner.invoke(app, ["template"])
    assert again.exit_code == 2
    assert "--force" in again.stderr
    forced = runner.invoke(app, ["template", "--force", "--lang", "en"])
    assert forced.exit_code == 0, forced.output
    assert load_workbook(tmp_path / DEFAULT_NAME).sheetnames[0] == "Instructions"


def test_template_then_validate(tmp_path: Path) -> None:
    out = tmp_path / "mau.xlsx"
    assert runner.invoke(app, ["template", "-o", str(out)]).exit_code == 0
    workbook = load_workbook(out)
    sheet = workbook["NhanSu"]
    headers = {cell.value: cell.column for cell in sheet[1]}
    row = {
        "Mã": "X1",
        "Đơn vị": "Sở Nội vụ",
        "Cấp": "Tỉnh",
        "Lĩnh vực": "Quản lý nhà nước",
        "Loại": "Công chức",
        "Năm sinh": 1980,
        "Trình độ chuyên môn": "Đại học",
    }
    for header, value in row.items():
        sheet.cell(2, headers[header], value)
    info = workbook["ThongTin"]
    info["B2"], info["B3"], info["B4"] = 2024, "31/12/2024", "Sở Nội vụ"
    workbook.save(out)
    result = runner.invoke(app, ["validate", str(out)])
    assert result.exit_code == 0, result.output
    assert not load_dataset([str(out)]).has_errors


def test_new_commands_have_examples() -> None:
    for name in ("export", "template"):
        result = runner.invoke(app, [name, "--help"])
        assert result.exit_code == 0
        assert "Example:" in result.stdout, name


def test_export_of_several_years_adds_a_trend_sheet_with_line_charts(tmp_path: Path) -> None:
    from openpyxl import load_workbook
    from openpyxl.chart import LineChart

    from builders import WORKFORCE_HEADER, person, write_workbook

    header = [*WORKFORCE_HEADER, "Phù hợp vị trí việc làm"]
    for year, doctors in ((2022, 10), (2023, 11), (2024, 12)):
        rows = [header, *([*person(f"{year}-{i}"), "x"] for i in range(doctors))]
        write_workbook(
            tmp_path / f"bao_cao_{year}.xlsx",
            {
                "ThongTin": [["Mục", "Giá trị"], ["Năm báo cáo", year]],
                "NhanSu": rows,
                "SoLieu": [["Chỉ tiêu", "Giá trị"], ["Dân số", 10000]],
            },
        )
    output = tmp_path / "out" / "report.xlsx"
    output.parent.mkdir()
    result = CliRunner().invoke(app, ["export", str(tmp_path), "-o", str(output)])
    assert result.exit_code == 0, result.output
    workbook = load_workbook(output)
    assert "Xu hướng" in workbook.sheetnames
    sheet = workbook["Xu hướng"]
    assert [c.value for c in sheet[3]][:5] == ["Mã", "Chỉ tiêu", "2022", "2023", "2024"]
    doctors = next(row for row in sheet.iter_rows(min_row=4) if row[0].value == "doctors_per_10k")
    assert [c.value for c in doctors[2:6]] == [10, 11, 12, 14]
    assert doctors[8].value == "on_track"
    charts = sheet._charts
    assert charts
    assert all(isinstance(chart, LineChart) for chart in charts)
    assert all(len(chart.series) == 2 for chart in charts)  # the values and the target line
    # The summary is of the latest year.
    assert workbook["Tổng hợp"]["A1"].value is not None
    assert any("2024" in str(cell) for row in workbook["Thông tin"].values for cell in row)
