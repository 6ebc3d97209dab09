"""`NhanSu` is required of the run, not of every file (input-format.md, Consolidation).

The sample consolidated workbook is split as the December cycle receives it: the
province's figures in one workbook (with `ThongTin`, `KipChuyenSau`, `MocCongViec`), the
units registry in another, and the staff in one workbook per group of units. Read together
they must give exactly what the consolidated file gives.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from kpi_tritue.cli import app
from kpi_tritue.io.dataset import load_dataset
from kpi_tritue.model.issues import Severity

SAMPLE = Path(__file__).parent.parent / "data" / "samples" / "ha_tinh_2024.xlsx"
FIGURE_SHEETS = ("ThongTin", "SoLieu", "KipChuyenSau", "MocCongViec")
HEADER_ROWS = 5  # NhanSu: two title rows, a blank one, the header, the column codes
UNIT_FILES = 4


def _save(path: Path, sheets: dict[str, list[tuple[Any, ...]]]) -> Path:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
    workbook.save(path)
    return path


@pytest.fixture(scope="module")
def split(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """figures.xlsx, units.xlsx and UNIT_FILES staff workbooks, each unit in one of them."""
    folder = tmp_path_factory.mktemp("split")
    source = load_workbook(SAMPLE)
    rows = {name: list(source[name].iter_rows(values_only=True)) for name in source.sheetnames}
    figures = _save(folder / "so_lieu.xlsx", {name: rows[name] for name in FIGURE_SHEETS})
    units = _save(folder / "don_vi.xlsx", {"DonVi": rows["DonVi"]})
    staff = rows["NhanSu"]
    head, people = staff[:HEADER_ROWS], staff[HEADER_ROWS:]
    unit_of = {row[2] for row in people if row[2] is not None}
    groups = sorted(unit_of)
    assert len(groups) > UNIT_FILES
    staff_files = []
    for index in range(UNIT_FILES):
        mine = set(groups[index::UNIT_FILES])
        body = [row for row in people if row[2] in mine]
        info = [*rows["ThongTin"][:3], ("Đơn vị báo cáo", f"Nhóm đơn vị {index + 1}")]
        staff_files.append(
            _save(folder / f"nhan_su_{index + 1}.xlsx", {"ThongTin": info, "NhanSu": head + body})
        )
    # Rows of no unit (the totals row) go with the last file, as in the sample.
    rest = [row for row in people if row[2] is None]
    assert rest
    workbook = load_workbook(staff_files[-1])
    for row in rest:
        workbook["NhanSu"].append(list(row))
    workbook.save(staff_files[-1])
    return {"folder": folder, "figures": figures, "units": units, "staff": staff_files}


def _compute_json(arguments: list[str]) -> dict[str, Any]:
    result = CliRunner().invoke(app, ["compute", *arguments, "--format", "json"])
    assert result.exit_code == 0, result.output
    document: dict[str, Any] = json.loads(result.stdout)
    document.pop("sources")
    # The same issues, at other places (the totals row is in another file).
    document["issues"] = sorted(issue["code"] for issue in document["issues"])
    return document


def test_figures_and_registry_files_read_with_the_unit_files_give_the_consolidated_results(
    split: dict[str, Any],
) -> None:
    consolidated = _compute_json([str(SAMPLE)])
    assert _compute_json([str(split["folder"])]) == consolidated
    dataset = load_dataset([str(split["folder"])])
    assert not dataset.has_errors, [i.code for i in dataset.issues if i.severity == "error"]
    whole = load_dataset([str(SAMPLE)])
    for key in ("workforce", "units", "figures", "specialist_teams", "milestones"):
        assert len(dataset.tables[key].frame) == len(whole.tables[key].frame), key


def test_a_run_of_a_figures_file_alone_has_one_missing_workforce_error(
    split: dict[str, Any],
) -> None:
    dataset = load_dataset([str(split["figures"])])
    errors = [i for i in dataset.issues if i.severity is Severity.ERROR]
    assert [(i.code, i.file) for i in errors] == [
        ("missing_workforce_sheet", split["figures"].as_posix())
    ]
    assert split["figures"].name in errors[0].message("en")


def test_figures_and_registry_without_staff_are_one_error_for_the_run(
    split: dict[str, Any],
) -> None:
    dataset = load_dataset([str(split["figures"]), str(split["units"])])
    errors = [i for i in dataset.issues if i.severity is Severity.ERROR]
    assert [(i.code, i.file) for i in errors] == [("missing_workforce_sheet", None)]
    message = errors[0].message("vi")
    assert "don_vi.xlsx" in message and "so_lieu.xlsx" in message


def test_the_files_named_by_the_run_error_are_bounded(tmp_path: Path) -> None:
    # Each registry its own unit: the same registry twice would be `same_data_as`.
    header = ("Đơn vị", "Cấp", "Lĩnh vực")
    paths = [
        _save(
            tmp_path / f"dv_{i:02}.xlsx",
            {"DonVi": [header, (f"Phòng Nội vụ số {i}", "Huyện", "Quản lý nhà nước")]},
        )
        for i in range(25)
    ]
    dataset = load_dataset([str(tmp_path)])
    (error,) = [i for i in dataset.issues if i.severity is Severity.ERROR]
    assert error.code == "missing_workforce_sheet"
    assert error.params["files"] == ", ".join(p.as_posix() for p in paths[:10]) + ", … (+15)"


def test_a_file_with_no_sheet_of_the_form_beside_good_ones_is_its_own_error(
    split: dict[str, Any], tmp_path: Path
) -> None:
    stray = _save(tmp_path / "ghi_chu.xlsx", {"Ghi chú": [("a",)]})
    dataset = load_dataset([str(split["folder"]), str(stray)])
    errors = [i for i in dataset.issues if i.severity is Severity.ERROR]
    assert [(i.code, i.file) for i in errors] == [("no_contract_sheet", stray.as_posix())]
    assert "Ghi chú" in errors[0].message("en")


# -- One line per file (`kpi validate`) ---------------------------------------------------


def test_each_file_of_the_split_has_its_line(split: dict[str, Any]) -> None:
    dataset = load_dataset([str(split["folder"])])
    lines = {Path(line.path).name: line for line in dataset.files.files}
    assert list(lines) == sorted(lines)
    assert sorted(lines) == sorted(
        ["so_lieu.xlsx", "don_vi.xlsx", *(p.name for p in split["staff"])]
    )
    assert lines["don_vi.xlsx"].unit_rows == 166 and lines["don_vi.xlsx"].rows == 0
    assert lines["so_lieu.xlsx"].rows == 0
    assert sum(line.rows for line in lines.values()) == 7044
    assert lines["nhan_su_2.xlsx"].reporting_unit == "Nhóm đơn vị 2"
    # `don_vi.xlsx` states no year: it is read as of the run's.
    assert {line.report_year for line in lines.values()} == {2024}
    assert lines["nhan_su_4.xlsx"].infos == 1  # the totals row
    assert sum(line.errors + line.warnings for line in lines.values()) == 0


def test_every_issue_with_a_file_is_counted_on_that_file_s_line(
    split: dict[str, Any], tmp_path: Path
) -> None:
    broken = tmp_path / "hong.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    other_year = _save(
        tmp_path / "nam_khac.xlsx",
        {"ThongTin": [("Mục", "Giá trị"), ("Năm báo cáo", 2023)], "DonVi": [("Đơn vị",)]},
    )
    dataset = load_dataset([str(split["figures"]), str(broken), str(other_year)])
    lines = {Path(line.path).name: line for line in dataset.files.files}
    assert (lines["hong.xlsx"].rows, lines["hong.xlsx"].errors) == (0, 1)
    assert lines["hong.xlsx"].report_year is None and lines["hong.xlsx"].reporting_unit is None
    assert lines["nam_khac.xlsx"].report_year == 2023
    assert lines["so_lieu.xlsx"].report_year == 2024
    run = [i for i in dataset.issues if i.file is None]
    # Report years that differ, and no NhanSu in the run: the run's, on no line.
    assert {i.code for i in run} >= {"report_years_differ", "missing_workforce_sheet"}
    errors = sum(line.errors for line in dataset.files.files) + dataset.files.run_errors
    assert errors == sum(1 for i in dataset.issues if i.severity is Severity.ERROR)
    assert dataset.files.run_errors == sum(1 for i in run if i.severity is Severity.ERROR)


def test_the_reporting_unit_is_shown_bounded_printable_and_without_a_name(
    tmp_path: Path,
) -> None:
    staff = [
        ("Mã", "Họ và tên", "Đơn vị", "Cấp", "Lĩnh vực", "Loại", "Năm sinh", "Trình độ chuyên môn"),
        ("A1", "Trần Thị Bích Ngọc", "Sở Y tế", "Tỉnh", "Y tế", "Viên chức", 1980, "Đại học"),
    ]
    named = _save(
        tmp_path / "a.xlsx",
        {
            "ThongTin": [("Mục", "Giá trị"), ("Đơn vị báo cáo", "Người lập: Trần Thị Bích Ngọc")],
            "NhanSu": staff,
        },
    )
    # An escape as Excel stores it (openpyxl refuses the raw control character).
    hostile = "Sở_x001B_[31m Y tế " + "x" * 500
    long = _save(
        tmp_path / "b.xlsx",
        {"ThongTin": [("Mục", "Giá trị"), ("Đơn vị báo cáo", hostile)], "NhanSu": staff[:1]},
    )
    dataset = load_dataset([str(named), str(long)])
    assert not dataset.has_errors, [i.code for i in dataset.issues]
    units = {Path(line.path).name: line.reporting_unit for line in dataset.files.files}
    assert units["a.xlsx"] == "***"
    shown = units["b.xlsx"]
    assert shown is not None and len(shown) <= 80 and shown.endswith("…")
    assert "\x1b" not in shown and "_x001B_" not in shown and shown.startswith("Sở")
