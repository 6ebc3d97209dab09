"""The blank input workbook: built from the contract, and valid once filled in."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from kpi_tritue.catalog.reading import load_catalog
from kpi_tritue.compute.engine import compute
from kpi_tritue.contract.schema import CONTRACT, ColumnSpec, ValueType
from kpi_tritue.errors import OutputError
from kpi_tritue.io.dataset import load_dataset
from kpi_tritue.model.issues import Severity
from kpi_tritue.render.template import DEFAULT_NAME, LISTS_SHEET, write_template


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / DEFAULT_NAME
    write_template(path, "vi")
    return path


@pytest.fixture(scope="module")
def workbook(template: Path) -> Workbook:
    return load_workbook(template)


def _validation(sheet: Worksheet, letter: str) -> DataValidation | None:
    for validation in sheet.data_validations.dataValidation:
        if f"{letter}2" in validation.sqref:
            return validation
    return None


def _list_values(workbook: Workbook, formula: str) -> list[str]:
    sheet_name, cells = formula.split("!")
    first, last = cells.replace("$", "").split(":")
    sheet = workbook[sheet_name]
    return [str(row[0].value) for row in sheet[first:last]]


def _columns(sheet_key: str) -> tuple[ColumnSpec, ...]:
    return next(s for s in CONTRACT.sheets if s.key == sheet_key).columns


def test_every_contract_sheet_with_its_canonical_headers(workbook: Workbook) -> None:
    assert workbook.sheetnames == [
        "Hướng dẫn",
        *(sheet.name for sheet in CONTRACT.sheets),
        LISTS_SHEET,
    ]
    assert workbook[LISTS_SHEET].sheet_state == "hidden"
    assert workbook.active is not None and workbook.active.title == "Hướng dẫn"
    for spec in CONTRACT.sheets:
        sheet = workbook[spec.name]
        headers = [cell.value for cell in sheet[1]]
        assert headers == [column.header for column in spec.columns], spec.name
        assert sheet.freeze_panes in ("A2", "B2")
        for index, column in enumerate(spec.columns, start=1):
            cell = sheet.cell(1, index)
            assert cell.comment is not None and column.header in cell.comment.text
            assert cell.comment.author == "kpi-tritue"
            assert cell.font.bold


def test_drop_downs_for_every_list_and_yes_no_column(workbook: Workbook) -> None:
    checked: list[ValueType] = []
    for spec in CONTRACT.sheets:
        sheet = workbook[spec.name]
        for index, column in enumerate(spec.columns, start=1):
            letter = sheet.cell(1, index).column_letter
            validation = _validation(sheet, letter)
            if column.type is ValueType.ENUM:
                assert column.enum is not None
                assert validation is not None, (spec.name, column.header)
                assert validation.type == "list"
                assert f"{letter}2:{letter}1048576" in str(validation.sqref)
                labels = [value.vi for value in column.enum.values]
                assert _list_values(workbook, validation.formula1) == labels
                # Synonyms typed by hand are accepted by kpi: Excel only warns.
                assert validation.errorStyle == "warning"
                checked.append(column.type)
            elif column.type is ValueType.BOOL:
                assert validation is not None, (spec.name, column.header)
                assert validation.type == "list" and validation.formula1 == '"x"'
                assert validation.allow_blank
                checked.append(column.type)
    assert ValueType.ENUM in checked and ValueType.BOOL in checked


def test_solieu_metric_labels_are_a_drop_down(workbook: Workbook) -> None:
    validation = _validation(workbook["SoLieu"], "A")
    assert validation is not None
    values = _list_values(workbook, validation.formula1)
    assert "Dân số" in values and "Lao động có bằng cấp, chứng chỉ" in values
    # The 13 of input-format.md and the two parts of the teacher norm (official-lists.md §5).
    assert len(values) == 15


def test_milestones_are_a_drop_down_of_the_catalog(workbook: Workbook) -> None:
    validation = _validation(workbook["MocCongViec"], "A")
    assert validation is not None
    names = [m.name_vi for m in load_catalog().milestones]
    assert _list_values(workbook, validation.formula1) == names


def test_number_and_date_formats_and_widths(workbook: Workbook) -> None:
    expected = {
        ValueType.DATE: "dd/mm/yyyy",
        ValueType.YEAR: "0",
        ValueType.INT: "0",
        ValueType.TEXT: "@",
    }
    for spec in CONTRACT.sheets:
        sheet = workbook[spec.name]
        for index, column in enumerate(spec.columns, start=1):
            letter = sheet.cell(1, index).column_letter
            dimension = sheet.column_dimensions[letter]
            if column.type in expected:
                assert dimension.number_format == expected[column.type], column.header
            assert dimension.width >= 10
    year = _validation(workbook["NhanSu"], "H")
    assert year is not None and year.type == "whole"
    assert (year.formula1, year.formula2) == ("1900", "2100")
    norm = _validation(workbook["DonVi"], "E")
    assert norm is not None and norm.type == "decimal"
    assert (norm.formula1, norm.formula2) == ("0", "100")


def test_thongtin_items_ready_to_fill(workbook: Workbook) -> None:
    sheet = workbook["ThongTin"]
    assert [[c.value for c in row] for row in sheet.iter_rows(min_row=1, max_row=4)] == [
        ["Mục", "Giá trị"],
        ["Năm báo cáo", None],
        ["Ngày số liệu", None],
        ["Đơn vị báo cáo", None],
    ]
    assert sheet["B2"].number_format == "0"
    assert sheet["B3"].number_format == "dd/mm/yyyy"


def test_instructions_explain_every_column(workbook: Workbook) -> None:
    sheet = workbook["Hướng dẫn"]
    texts = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    text = "\n".join(texts)
    for spec in CONTRACT.sheets:
        assert f"Trang {spec.name}" in text
        for column in spec.columns:
            assert column.header in texts, column.header
    assert "Tỉnh (cũng nhận: Cấp tỉnh)" in text
    assert "31/12/2025" in text
    assert "x = có" in text


def test_english_instructions(tmp_path: Path) -> None:
    path = tmp_path / "template_en.xlsx"
    write_template(path, "en")
    workbook = load_workbook(path)
    assert workbook.sheetnames[0] == "Instructions"
    texts = [str(c.value) for row in workbook["Instructions"].iter_rows() for c in row]
    assert "Mã (ID)" in texts
    assert any("Tỉnh = Province" in t for t in texts)
    # The headers themselves stay the canonical Vietnamese ones.
    assert workbook["NhanSu"]["A1"].value == "Mã"
    comment = workbook["NhanSu"]["A1"].comment
    assert comment is not None and "unique over all input files" in comment.text


# ---------------------------------------------------------------------------------------
# Filled in under its own headers


PEOPLE: list[dict[str, Any]] = [
    {
        "Mã": "HT0001",
        "Họ và tên": "Trần Văn Bình",
        "Đơn vị": "Sở Y tế",
        "Cấp": "Tỉnh",
        "Lĩnh vực": "Y tế",
        "Loại": "Viên chức",
        "Ngày sinh": datetime(1988, 3, 15),
        "Giới tính": "Nam",
        "Trình độ chuyên môn": "Thạc sĩ",
        "Chức danh nghề nghiệp": "Bác sĩ hạng II",
        "Lãnh đạo quản lý": "x",
        "Đạt chuẩn trình độ đào tạo": "x",
        "Phù hợp vị trí việc làm": "x",
        "Giao tiếp ngoại ngữ": "x",
        "Làm việc môi trường quốc tế": "x",
        "Năm tuyển dụng": 2015,
        "Trạng thái": "Đang công tác",
    },
    {
        "Mã": "HT0002",
        "Họ và tên": "Lê Thị Hoa",
        "Đơn vị": "Trường THCS Kỳ Anh",
        "Cấp": "Huyện",
        "Lĩnh vực": "Giáo dục",
        "Loại": "Viên chức",
        "Năm sinh": 1995,
        "Giới tính": "Nữ",
        "Trình độ chuyên môn": "Đại học",
        "Chức danh nghề nghiệp": "Giáo viên THCS hạng III",
        "Cấp học": "THCS",
        "Đạt chuẩn trình độ đào tạo": "x",
        "Phù hợp vị trí việc làm": "x",
        "Nhân tài": "x",
        "Năm tuyển dụng": 2018,
        "Năm thu hút": 2018,
    },
    {
        "Mã": "HT0003",
        "Họ và tên": "Phan Văn Tài",
        "Đơn vị": "UBND xã Thạch Hà",
        "Cấp": "Xã",
        "Lĩnh vực": "Quản lý nhà nước",
        "Loại": "Công chức",
        "Ngày sinh": "05/09/1990",
        "Trình độ chuyên môn": "Đại học",
        "Lãnh đạo chủ chốt": "x",
        "Chuẩn hóa LLCT, chuyên môn, nghiệp vụ": "x",
        "Trạng thái": "Đang công tác",
    },
]
OTHER_ROWS: dict[str, list[dict[str, Any]]] = {
    "DonVi": [
        {
            "Đơn vị": "Sở Y tế",
            "Cấp": "Tỉnh",
            "Lĩnh vực": "Y tế",
            "Đối ngoại": "x",
            "Định mức sau đại học (%)": 20,
            "Địa bàn": "TP Hà Tĩnh",
        },
        {"Đơn vị": "Trường THCS Kỳ Anh", "Cấp": "Huyện", "Lĩnh vực": "Giáo dục"},
        {"Đơn vị": "UBND xã Thạch Hà", "Cấp": "Xã", "Lĩnh vực": "Quản lý nhà nước"},
    ],
    "SoLieu": [
        {"Chỉ tiêu": "Dân số", "Giá trị": 1_320_000, "Năm": 2024},
        {"Chỉ tiêu": "Lực lượng lao động", "Giá trị": 720_000},
        {"Chỉ tiêu": "Lao động có bằng cấp, chứng chỉ", "Giá trị": 230_400},
        {"Chỉ tiêu": "Số lớp THCS", "Giá trị": 1, "Địa bàn": "Kỳ Anh"},
    ],
    "KipChuyenSau": [{"Chuyên khoa": "Tim mạch", "Số kíp": 2}],
    "MocCongViec": [
        {"Mã mốc": load_catalog().milestones[0].name_vi, "Trạng thái": "Đang thực hiện"},
        {"Mã mốc": "science_fund", "Trạng thái": "Hoàn thành", "Ghi chú": "Quyết định 12"},
    ],
}


def _fill(sheet: Worksheet, records: list[dict[str, Any]]) -> None:
    """Write each record under the header the template put in row 1."""
    headers = {cell.value: cell.column for cell in sheet[1]}
    for row, record in enumerate(records, start=2):
        for header, value in record.items():
            sheet.cell(row=row, column=headers[header], value=value)


def _filled(template: Path, target: Path, info: bool = True) -> Path:
    workbook = load_workbook(template)
    _fill(workbook["NhanSu"], PEOPLE)
    for name, records in OTHER_ROWS.items():
        _fill(workbook[name], records)
    if info:
        values = {
            "Năm báo cáo": 2024,
            "Ngày số liệu": datetime(2024, 12, 31),
            "Đơn vị báo cáo": "Sở Nội vụ",
        }
        sheet = workbook["ThongTin"]
        for row in range(2, 5):
            sheet.cell(row, 2).value = values[str(sheet.cell(row, 1).value)]
    workbook.save(target)
    return target


def test_a_filled_in_template_validates_and_computes(template: Path, tmp_path: Path) -> None:
    filled = _filled(template, tmp_path / "filled.xlsx")
    dataset = load_dataset([str(filled)])
    errors = [i for i in dataset.issues if i.severity is Severity.ERROR]
    warnings = [i for i in dataset.issues if i.severity is Severity.WARNING]
    assert errors == [] and warnings == []
    assert {i.code for i in dataset.issues} <= {"unknown_sheet"}
    assert dataset.as_of == datetime(2024, 12, 31).date()
    assert len(dataset.tables["workforce"].frame) == 3
    computation = compute(dataset, load_catalog())
    results = {r.id: r for r in computation.results}
    assert results["doctors_per_10k"].measurement.value == pytest.approx(1 / 132)
    assert results["specialist_team_coverage"].measurement.value == 100
    assert results["science_fund"].measurement.value == 1
    assert results["certified_labour_share"].measurement.value == pytest.approx(32.0)


def test_a_template_with_thongtin_left_blank_validates(template: Path, tmp_path: Path) -> None:
    filled = _filled(template, tmp_path / "filled.xlsx", info=False)
    dataset = load_dataset([str(filled)], as_of=datetime(2024, 12, 31).date())
    assert not dataset.has_errors


# ---------------------------------------------------------------------------------------
# Writing


def test_refuses_an_existing_file_unless_forced(tmp_path: Path) -> None:
    path = tmp_path / DEFAULT_NAME
    path.write_bytes(b"mine")
    with pytest.raises(OutputError, match="--force"):
        write_template(path, "vi")
    assert path.read_bytes() == b"mine"
    write_template(path, "vi", force=True)
    assert load_workbook(path)["NhanSu"]["A1"].value == "Mã"


def test_an_interrupted_template_write_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_save(self: Workbook, filename: Any) -> None:
        filename.write(b"PK")
        raise KeyboardInterrupt

    monkeypatch.setattr(Workbook, "save", broken_save)
    with pytest.raises(KeyboardInterrupt):
        write_template(tmp_path / "t.xlsx", "vi")
    assert os.listdir(tmp_path) == []


def test_a_template_in_a_missing_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="không tồn tại"):
        write_template(tmp_path / "no" / "t.xlsx", "vi")
