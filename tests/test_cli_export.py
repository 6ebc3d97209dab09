"""`kpi export`, `kpi compute --xlsx` and `kpi template` through Typer's CliRunner."""

from __future__ import annotations

import os
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from builders import WORKFORCE_HEADER, person, write_workbook
from kpi_tritue.cli import app
from kpi_tritue.io.dataset import load_dataset
from kpi_tritue.render.template import DEFAULT_NAME

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


def test_export_into_its_input_folder_replaces_its_own_earlier_report(
    good: Path, tmp_path: Path
) -> None:
    """CI reruns `kpi export reports/ -o reports/r.xlsx`: the earlier report is skipped as an
    input (kpi's own), so it is replaced, while the data workbook beside it stays protected."""
    out = tmp_path / "r.xlsx"
    data_before = good.read_bytes()
    first = runner.invoke(app, ["export", str(tmp_path), "-o", str(out)])
    assert first.exit_code == 0, first.output
    first_bytes = out.read_bytes()
    second = runner.invoke(app, ["export", str(tmp_path), "-o", str(out)])
    assert second.exit_code == 0, second.output
    assert out.exists() and out.read_bytes() != b""
    assert load_workbook(out).sheetnames == load_workbook(BytesIO(first_bytes)).sheetnames
    over_data = runner.invoke(app, ["export", str(tmp_path), "-o", str(good)])
    assert over_data.exit_code == 2
    assert good.read_bytes() == data_before


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
    assert [c.value for c in doctors[2:6]] == [10, 11, 12, "≥ 14"]
    assert doctors[8].value == "Đúng tiến độ"
    # Classes in words, never their ids; band targets and milestones as people read them.
    shown = [str(c.value) for row in sheet.iter_rows(min_row=4) for c in row if c.value]
    ids = ("achieved", "on_track", "needs_acceleration", "stagnating_or_regressing")
    assert [value for value in shown if value in (*ids, "insufficient_data")] == []
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=4)}
    assert rows["provincial_leaders_under_40"][5].value == "15–20 %"
    merger = rows["university_merger"]
    assert merger[5].value == "Hoàn thành" and "Chưa xong" in merger[2].number_format
    charts = workbook["Biểu đồ xu hướng"]._charts
    assert charts
    assert all(isinstance(chart, LineChart) for chart in charts)
    assert all(len(chart.series) == 2 for chart in charts)  # the values and the target line
    # One chart a printed page: a page break before every chart but the first.
    assert len(workbook["Biểu đồ xu hướng"].row_breaks.brk) == len(charts) - 1
    # The summary is of the latest year.
    assert workbook["Tổng hợp"]["A1"].value is not None
    assert any("2024" in str(cell) for row in workbook["Thông tin"].values for cell in row)


# --- Exits: signals, existing outputs, long names, failed writes ---------------------------

SAMPLE = Path(__file__).parents[1] / "data" / "samples" / "ha_tinh_2024.xlsx"

# Runs `kpi` with its last write held open: the bytes are in the temporary file, and the
# process waits in `fsync` until a signal comes. No clock is involved: the test waits for
# the line this prints, then sends the signal.
HELD_WRITE = """\
import os, sys, time

def held(fd):
    sys.__stderr__.write("KPI-TEST-WRITING\\n")
    sys.__stderr__.flush()
    time.sleep(3600)

os.fsync = held
from kpi_tritue.cli import main
sys.argv = ["kpi", *sys.argv[1:]]
main()
"""


def _terminated_while_writing(arguments: list[str], folder: Path) -> int:
    import signal
    import subprocess
    import sys

    import kpi_tritue

    # The package under test, wherever the child runs from.
    source = str(Path(kpi_tritue.__file__).parents[1])
    path = os.pathsep.join([source, *filter(None, [os.environ.get("PYTHONPATH")])])
    process = subprocess.Popen(
        [sys.executable, "-c", HELD_WRITE, *arguments],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=folder,
        env={**os.environ, "PYTHONPATH": path},
    )
    try:
        assert process.stderr is not None
        for line in process.stderr:
            if b"KPI-TEST-WRITING" in line:
                break
        else:
            raise AssertionError("kpi ended before writing")
        assert [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]  # mid-write
        process.send_signal(signal.SIGTERM)
        _, rest = process.communicate(timeout=300)  # a safety net, not a measurement
        code = process.returncode
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert b"Traceback" not in rest
    return code


@pytest.mark.parametrize(
    "arguments",
    [
        ["export", str(SAMPLE), "-o", "report.xlsx"],
        ["compute", str(SAMPLE), "--xlsx", "report.xlsx"],
        ["template", "-o", "report.xlsx"],
        ["check", str(SAMPLE), "--junit", "report.xml"],
    ],
    ids=["export", "compute-xlsx", "template", "junit"],
)
def test_sigterm_while_writing_leaves_no_temporary_file(
    arguments: list[str], tmp_path: Path
) -> None:
    code = _terminated_while_writing(arguments, tmp_path)
    assert code == 128 + 15
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_sigterm_while_replacing_a_report_keeps_the_old_one(tmp_path: Path) -> None:
    report = tmp_path / "report.xlsx"
    first = runner.invoke(app, ["export", str(SAMPLE), "-o", str(report)])
    assert first.exit_code == 0, first.output
    before = report.read_bytes()
    code = _terminated_while_writing(["export", str(SAMPLE), "-o", "report.xlsx"], tmp_path)
    assert code == 128 + 15
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.xlsx"]
    assert report.read_bytes() == before


def test_export_replaces_an_existing_report_whole(good: Path, tmp_path: Path) -> None:
    """A report is a generated artifact: a CI rerun replaces it without --force (only
    `template`, whose output may hold someone's typing, asks for it)."""
    out = tmp_path / "report.xlsx"
    out.write_bytes(b"an older report, or anything")
    old_inode = out.stat().st_ino
    result = runner.invoke(app, ["export", str(good), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert load_workbook(out).sheetnames[0] == "Tổng hợp"
    assert out.stat().st_ino != old_inode  # renamed into place, never written over in place
    again = runner.invoke(app, ["compute", str(good), "--xlsx", str(out)])
    assert again.exit_code == 0, again.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["good.xlsx", "report.xlsx"]


@pytest.mark.parametrize(
    "arguments",
    [
        ["export", "{good}", "-o", "{name}.xlsx"],
        ["compute", "{good}", "--xlsx", "{name}.xlsx"],
        ["check", "{good}", "--junit", "{name}.xml"],
        ["template", "-o", "{name}.xlsx"],
    ],
    ids=["export", "compute-xlsx", "junit", "template"],
)
def test_an_output_name_too_long_is_refused_clearly(
    arguments: list[str], good: Path, tmp_path: Path
) -> None:
    longest = tmp_path / ("a" * (255 - 5))  # 255 bytes with the suffix: allowed
    fits = runner.invoke(app, [a.format(good=good, name=longest) for a in arguments])
    assert fits.exit_code in (0, 1), fits.output  # 1: the gate of `check`
    assert len([p for p in tmp_path.iterdir() if p.name.startswith("aaa")]) == 1
    too_long = tmp_path / ("b" * 300)
    refused = runner.invoke(app, [a.format(good=good, name=too_long) for a in arguments])
    assert refused.exit_code == 2
    said = " ".join(refused.stderr.replace("\u2502", " ").split())
    assert "byte" in said and "255" in said and "Chọn tên ngắn hơn" in said
    assert "Traceback" not in refused.output
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(("b", ".b"))]


def test_a_full_disk_while_writing_is_said_and_leaves_nothing(
    good: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    from openpyxl import Workbook

    def full(self: Workbook, stream: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Workbook, "save", full)
    out = tmp_path / "report.xlsx"
    result = runner.invoke(app, ["export", str(good), "-o", str(out)])
    assert result.exit_code == 2
    assert "ổ đĩa đã đầy" in result.stderr and "Excel" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["good.xlsx"]
