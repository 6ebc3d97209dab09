"""Lists in the Ministry of Home Affairs' layout (official-lists.md, section 1; settled
details 1, 10, 11 and 16): the list found by its content under any sheet name, the birth
date split into `Nam` / `Nữ`, group headings, and a header with no `Mã`."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from builders import write_workbook
from kpi_tritue.io import reader
from kpi_tritue.io.dataset import Dataset, load_dataset
from kpi_tritue.model.issues import Issue, Severity

INFO_SHEET = [["Mục", "Giá trị"], ["Năm báo cáo", 2024]]
# Two header rows (the birth header over Nam / Nữ), then the column codes.
HEADER = [
    ["STT", "Họ và tên", "Ngày tháng năm sinh", None, "Chức vụ", "Đơn vị công tác"],
    [None, None, "Nam", "Nữ", None, None],
]
HEADER[0] += ["Trình độ chuyên môn cao nhất", "Cấp", "Lĩnh vực", "Loại"]
HEADER[1] += [None, None, None, None]
CODES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
TITLE = [["DANH SÁCH CÁN BỘ, CÔNG CHỨC"], []]
# The header starts on Excel row 3: C3:D3 is the birth header, the others span rows 3-4.
MERGES = ["C3:D3", "A3:A4", "B3:B4", "E3:E4", "F3:F4", "G3:G4", "H3:H4", "I3:I4", "J3:J4"]
FIRST = 6  # the Excel row of the first person


def row(
    stt: Any,
    name: str | None = "Nguyễn Văn An",
    male: Any = None,
    female: Any = None,
    *,
    position: str | None = "Chuyên viên",
    unit: str | None = "Sở Nội vụ",
    qualification: str | None = "Đại học",
    level: str | None = "Tỉnh",
    sector: str | None = "Quản lý nhà nước",
    category: str | None = "Công chức",
) -> list[Any]:
    return [stt, name, male, female, position, unit, qualification, level, sector, category]


def official(
    path: Path,
    people: list[list[Any]],
    *,
    sheet: str = "Sheet1",
    header: list[list[Any]] | None = None,
    merges: list[str] | None = None,
    extra: dict[str, list[list[Any]]] | None = None,
) -> Path:
    rows = [*TITLE, *(header or HEADER), CODES, *people]
    return write_workbook(
        path,
        {sheet: rows, "ThongTin": INFO_SHEET, **(extra or {})},
        {sheet: MERGES if merges is None else merges},
    )


def codes(dataset: Dataset, severity: Severity | None = None) -> list[str]:
    return [i.code for i in dataset.issues if severity is None or i.severity is severity]


def found(dataset: Dataset, code: str) -> list[Issue]:
    return [i for i in dataset.issues if i.code == code]


def cells(dataset: Dataset, code: str) -> list[str | None]:
    return [i.cell for i in found(dataset, code)]


# -- Finding the list by its content (settled 11) ------------------------------------------


def test_a_list_under_any_sheet_name_is_read_as_nhansu_with_an_info(tmp_path: Path) -> None:
    path = official(tmp_path / "ds.xlsx", [row(1, male="15/03/1985")], sheet="DS CBCCVC")
    dataset = load_dataset([str(path)])
    (info,) = found(dataset, "workforce_sheet_by_content")
    assert info.severity is Severity.INFO and info.sheet == "DS CBCCVC"
    assert "DS CBCCVC" in info.message("en") and "DS CBCCVC" in info.message("vi")
    assert "unknown_sheet" not in codes(dataset)
    assert not dataset.has_errors, dataset.issues
    frame = dataset.tables["workforce"].frame
    assert frame["_row"].tolist() == [FIRST]
    assert dataset.tables["workforce"].sheet_names == {0: "DS CBCCVC"}


def test_a_sheet_named_nhansu_is_taken_by_its_name_not_by_content(tmp_path: Path) -> None:
    list_rows = [*TITLE, *HEADER, CODES, row(1, male="15/03/1985")]
    path = write_workbook(
        tmp_path / "a.xlsx",
        {"NhanSu": list_rows, "Sheet1": list_rows, "ThongTin": INFO_SHEET},
        {"NhanSu": MERGES, "Sheet1": MERGES},
    )
    dataset = load_dataset([str(path)])
    assert "workforce_sheet_by_content" not in codes(dataset)
    assert dataset.tables["workforce"].sheet_names == {0: "NhanSu"}
    assert [i.sheet for i in found(dataset, "unknown_sheet")] == ["Sheet1"]


def test_two_lists_without_the_name_are_one_error_naming_both(tmp_path: Path) -> None:
    list_rows = [*TITLE, *HEADER, CODES, row(1, male="15/03/1985")]
    path = write_workbook(
        tmp_path / "a.xlsx",
        {"Khối tỉnh": list_rows, "Khối xã": list_rows, "ThongTin": INFO_SHEET},
        {"Khối tỉnh": MERGES, "Khối xã": MERGES},
    )
    dataset = load_dataset([str(path)])
    (error,) = found(dataset, "workforce_sheets_ambiguous")
    assert error.severity is Severity.ERROR
    for lang in ("vi", "en"):
        assert "Khối tỉnh" in error.message(lang) and "Khối xã" in error.message(lang)
    assert "workforce" not in dataset.tables
    # Its own error, not a knock-on `missing_workforce_sheet`.
    assert codes(dataset, Severity.ERROR) == ["workforce_sheets_ambiguous"]
    assert "unknown_sheet" not in codes(dataset)


def test_a_hidden_sheet_is_no_candidate(tmp_path: Path) -> None:
    path = official(tmp_path / "a.xlsx", [row(1, male="15/03/1985")], sheet="Ẩn")
    workbook = load_workbook(path)
    workbook["Ẩn"].sheet_state = "hidden"
    workbook.save(path)
    dataset = load_dataset([str(path)])
    assert "workforce" not in dataset.tables
    assert "workforce_sheet_by_content" not in codes(dataset)
    assert "missing_workforce_sheet" in codes(dataset)


@pytest.mark.parametrize("with_info", [True, False], ids=["with-ThongTin", "alone"])
def test_a_file_with_no_list_gets_header_not_found_once(tmp_path: Path, with_info: bool) -> None:
    header = [[h for h in HEADER[0] if h != "Trình độ chuyên môn cao nhất"], HEADER[1]]
    path = write_workbook(
        tmp_path / "a.xlsx",
        {
            "Ghi chú": [["Ghi chú"], ["x"]],
            "Sheet1": [*TITLE, *header, row(1, male="15/03/1985")[:9]],
            **({"ThongTin": INFO_SHEET} if with_info else {}),
        },
    )
    dataset = load_dataset([str(path)])
    (error,) = found(dataset, "header_not_found")
    assert error.sheet == "Sheet1"
    assert "Trình độ chuyên môn" in error.message("en")
    assert codes(dataset, Severity.ERROR) == ["header_not_found"]


def test_a_registry_file_with_a_stray_sheet_gets_no_header_not_found(tmp_path: Path) -> None:
    people = official(tmp_path / "ds.xlsx", [row(1, male="15/03/1985")])
    registry = write_workbook(
        tmp_path / "donvi.xlsx",
        {
            "DonVi": [["Đơn vị", "Cấp", "Lĩnh vực"], ["Sở Nội vụ", "Tỉnh", "Quản lý nhà nước"]],
            "Ghi chú": [["Họ và tên", "Ghi chú"], ["—", "—"]],
        },
    )
    dataset = load_dataset([str(people), str(registry)])
    assert "header_not_found" not in codes(dataset)
    assert not dataset.has_errors, dataset.issues


def test_the_list_found_by_content_is_read_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = official(tmp_path / "ds.xlsx", [row(1, male="15/03/1985")])
    reads: list[str] = []
    original = reader.Workbook._read_sheet

    def counting(self: reader.Workbook, name: str) -> Any:
        reads.append(name)
        return original(self, name)

    monkeypatch.setattr(reader.Workbook, "_read_sheet", counting)
    dataset = load_dataset([str(path)])
    assert "workforce" in dataset.tables
    assert sorted(reads) == ["Sheet1", "ThongTin"]


# -- A header with no `Mã` ---------------------------------------------------------------


def test_stt_is_never_an_id_and_no_ma_is_required(tmp_path: Path) -> None:
    path = official(tmp_path / "ds.xlsx", [row(1, male="15/03/1985"), row(2, female="1/2/1990")])
    dataset = load_dataset([str(path)])
    table = dataset.tables["workforce"]
    assert "id" not in table.present
    assert not dataset.has_errors, dataset.issues


def test_a_list_with_neither_ma_nor_ho_va_ten_is_refused_naming_both(tmp_path: Path) -> None:
    header = [[None if h == "Họ và tên" else h for h in HEADER[0]], HEADER[1]]
    path = official(tmp_path / "ds.xlsx", [row(1, None, "15/03/1985")], header=header)
    dataset = load_dataset([str(path)])
    (error,) = found(dataset, "header_not_found")
    assert error.sheet == "Sheet1"
    assert "Mã / Họ và tên" in error.message("en")


# -- The birth date split by sex (section 1, settled 1 and 10) ------------------------------


def test_the_birth_date_and_sex_come_from_the_filled_sub_column(tmp_path: Path) -> None:
    people = [
        row(1, male="15/03/1985"),
        row(2, "Trần Thị Bình", female=datetime(1990, 2, 1)),
    ]
    path = official(tmp_path / "ds.xlsx", people)
    dataset = load_dataset([str(path)])
    assert not dataset.has_errors, dataset.issues
    frame = dataset.tables["workforce"].frame
    assert frame["sex"].astype(str).tolist() == ["male", "female"]
    assert [d.date().isoformat() for d in frame["birth_date"]] == ["1985-03-15", "1990-02-01"]
    assert frame["birth_year"].tolist() == [1985, 1990]
    birth = {k: v for k, v in dataset.derived[path.as_posix()].items() if v == "birth_columns"}
    assert birth == {"birth_date": "birth_columns", "sex": "birth_columns"}


def test_both_sub_columns_filled_is_an_error_at_the_right_hand_cell(tmp_path: Path) -> None:
    path = official(tmp_path / "ds.xlsx", [row(1, male="15/03/1985", female="15/03/1985")])
    dataset = load_dataset([str(path)])
    (error,) = found(dataset, "birth_both_sexes")
    assert error.severity is Severity.ERROR
    assert (error.sheet, error.cell) == ("Sheet1", f"D{FIRST}")
    assert f"C{FIRST}" in error.message("en")
    assert dataset.tables["workforce"].frame["_invalid"].tolist() == [True]


def test_a_bad_date_is_cited_at_its_own_sub_column_and_gives_no_sex(tmp_path: Path) -> None:
    people = [row(1, male="x"), row(2, female="31/02/1990"), row(3, female="1/2/1990")]
    path = official(tmp_path / "ds.xlsx", people)
    dataset = load_dataset([str(path)])
    assert cells(dataset, "bad_date") == [f"C{FIRST}", f"D{FIRST + 1}"]
    frame = dataset.tables["workforce"].frame
    assert frame["sex"].isna().tolist() == [True, True, False]


def test_neither_sub_column_filled_is_a_blank_birth_date_at_the_nam_cell(tmp_path: Path) -> None:
    path = official(tmp_path / "ds.xlsx", [row(1), row(2, female="1/2/1990")])
    dataset = load_dataset([str(path)])
    assert cells(dataset, "birth_blank") == [f"C{FIRST}"]
    assert dataset.tables["workforce"].frame["sex"].isna().tolist() == [True, False]


def test_nam_and_nu_compare_with_their_diacritics_kept(tmp_path: Path) -> None:
    # `Năm` (year) is not `Nam`: no split, the header is one row and `Năm` a data row.
    header = [HEADER[0], [None, None, "Năm", "Nữ", *[None] * 6]]
    path = official(tmp_path / "ds.xlsx", [row(1, male="15/03/1985")], header=header)
    dataset = load_dataset([str(path)])
    assert "birth_columns" not in str(dataset.derived)
    assert "sex" not in dataset.tables["workforce"].present


@pytest.mark.parametrize(
    ("sub", "merges"),
    [(["NAM", "NỮ"], MERGES), (["Nam", "Nữ"], [m for m in MERGES if m != "C3:D3"])],
    ids=["upper-case", "not-merged"],
)
def test_the_sub_columns_in_capitals_or_under_an_unmerged_header(
    tmp_path: Path, sub: list[str], merges: list[str]
) -> None:
    header = [HEADER[0], [None, None, *sub, *[None] * 6]]
    path = official(
        tmp_path / "ds.xlsx",
        [row(1, male="15/03/1985", female="1/1/1990")],
        header=header,
        merges=merges,
    )
    dataset = load_dataset([str(path)])
    assert cells(dataset, "birth_both_sexes") == [f"D{FIRST}"]


def test_a_nam_nu_row_below_a_plain_ngay_sinh_and_codes_below_it(tmp_path: Path) -> None:
    header = [
        ["STT", "Họ và tên", "Ngày sinh", None, "Đơn vị", "Trình độ chuyên môn", "Cấp"],
        [None, None, "Nam", "Nữ", None, None, None],
    ]
    header[0] += ["Lĩnh vực", "Loại"]
    header[1] += [None, None]
    people = [[1, "Lê Văn Cường", None, "1/2/1990", "Sở Nội vụ", "Thạc sĩ", "Tỉnh"]]
    people[0] += ["Quản lý nhà nước", "Công chức"]
    path = write_workbook(
        tmp_path / "a.xlsx",
        {"Sheet1": [*header, [1, 2, 3, 4, 5, 6, 7, 8, 9], *people], "ThongTin": INFO_SHEET},
    )
    dataset = load_dataset([str(path)])
    assert not dataset.has_errors, dataset.issues
    frame = dataset.tables["workforce"].frame
    assert frame["_row"].tolist() == [4]
    assert frame["sex"].astype(str).tolist() == ["female"]


def test_a_sex_column_must_agree_and_its_cell_is_cited(tmp_path: Path) -> None:
    header = [[*HEADER[0], "Giới tính"], [*HEADER[1], None]]
    people = [
        [*row(1, male="15/03/1985"), "Nữ"],  # disagrees: K6, against C6
        [*row(2, female="1/2/1990"), "Nam"],  # disagrees: K7, against D7
        [*row(3, female="1/2/1990"), None],  # blank: takes the sub-column's
        [*row(4, male="1/2/1980"), "Nam"],
        [*row(5), "Nữ"],  # no birth date: sex from Giới tính
    ]
    path = official(tmp_path / "ds.xlsx", people, header=header, merges=[*MERGES, "K3:K4"])
    dataset = load_dataset([str(path)])
    errors = found(dataset, "sex_disagrees_with_birth_column")
    assert [e.cell for e in errors] == [f"K{FIRST}", f"K{FIRST + 1}"]
    assert f"C{FIRST}" in errors[0].message("en") and f"D{FIRST + 1}" in errors[1].message("vi")
    frame = dataset.tables["workforce"].frame
    assert frame["sex"].astype(str).tolist() == ["female", "male", "female", "male", "female"]
    assert frame["_invalid"].tolist() == [True, True, False, False, True]  # the last: birth
    birth = {k: v for k, v in dataset.derived[path.as_posix()].items() if v == "birth_columns"}
    assert birth == {"birth_date": "birth_columns"}  # the sex is the Giới tính column's
    assert cells(dataset, "birth_blank") == [f"C{FIRST + 4}"]


# -- Group rows (settled 16) -------------------------------------------------------------


def _group(stt: Any, text: str) -> list[Any]:
    return [stt, text, *[None] * 8]


def test_group_headings_are_skipped_and_other_short_rows_are_people(tmp_path: Path) -> None:
    people = [
        _group("I", "Khối Đảng"),  # Roman numeral: row 6
        row(1, male="15/03/1985"),
        _group(2, "KHỐI CHÍNH QUYỀN"),  # all capitals: row 8
        _group("a)", "Văn phòng"),  # a letter: row 9
        _group(3, "Sở Nội vụ"),  # a unit of DonVi (in another file): row 10
        row(4, male="15/03/1986"),
        _group(5, "Sở Tư pháp"),  # not registered: a person with blanks, row 12
        _group(6, "Trần Thị Bình"),  # a person with blanks, row 13
    ]
    path = official(tmp_path / "ds.xlsx", people)
    registry = write_workbook(
        tmp_path / "donvi.xlsx",
        {"DonVi": [["Đơn vị", "Cấp", "Lĩnh vực"], ["Sở Nội vụ", "Tỉnh", "Quản lý nhà nước"]]},
    )
    dataset = load_dataset([str(path), str(registry)])
    skipped = found(dataset, "section_row_skipped")
    assert sorted(i.row for i in skipped if i.row is not None) == [6, 8, 9, 10]
    frame = dataset.tables["workforce"].frame
    assert frame["_row"].tolist() == [7, 11, 12, 13]
    assert frame["_invalid"].tolist() == [False, False, True, True]
    blanks = {i.cell for i in found(dataset, "required_blank")}
    assert {"F12", "G12", "F13", "G13"} <= blanks


def test_a_unit_heading_is_a_person_when_the_registry_does_not_register_it(
    tmp_path: Path,
) -> None:
    registry = {"DonVi": [["Đơn vị", "Cấp"], ["Sở Tư pháp", "Tỉnh"]]}
    path = official(
        tmp_path / "ds.xlsx", [_group(1, "Sở Nội vụ"), row(2, male="1/1/1980")], extra=registry
    )
    dataset = load_dataset([str(path)])
    assert "section_row_skipped" not in codes(dataset)
    assert dataset.tables["workforce"].frame["_row"].tolist() == [FIRST, FIRST + 1]
    assert f"F{FIRST}" in cells(dataset, "required_blank")


def test_without_any_registry_a_heading_naming_a_unit_of_the_list_is_skipped(
    tmp_path: Path,
) -> None:
    # Read as a person, `Sở Nội vụ` would be a personal name and every cell naming the
    # unit an error; with no DonVi in the run, the list's own units are the evidence.
    people = [_group(1, "Sở Nội vụ"), row(2, male="1/1/1980"), _group(3, "Sở Tư pháp")]
    dataset = load_dataset([str(official(tmp_path / "ds.xlsx", people))])
    assert [i.row for i in found(dataset, "section_row_skipped")] == [FIRST]
    assert dataset.tables["workforce"].frame["_row"].tolist() == [FIRST + 1, FIRST + 2]
    assert "name_in_text_column" not in codes(dataset)
    assert f"F{FIRST + 2}" in cells(dataset, "required_blank")


def test_nam_nu_in_the_lower_row_of_a_two_level_header(tmp_path: Path) -> None:
    # The qualification is named only in the lower row: both rows make the header, and
    # `Nam` / `Nữ` there still split the birth header above them.
    header = [
        ["STT", "Họ và tên", "Năm sinh", None, "Đơn vị", "Trình độ", None, "Cấp"],
        [None, None, "Nam", "Nữ", None, "Trình độ chuyên môn", "Lý luận chính trị", None],
    ]
    header[0] += ["Lĩnh vực", "Loại"]
    header[1] += [None, None]
    person = [1, "Lê Văn Cường", "01/01/1980", None, "Sở Nội vụ", "Thạc sĩ", "Cao cấp", "Tỉnh"]
    person += ["Quản lý nhà nước", "Công chức"]
    bad = [2, "Lê Thị Dung", "1981", "x", "Sở Nội vụ", "Thạc sĩ", "Cao cấp", "Tỉnh"]
    bad += ["Quản lý nhà nước", "Công chức"]
    merges = ["C1:D1", "F1:G1", "A1:A2", "B1:B2", "E1:E2", "H1:H2", "I1:I2", "J1:J2"]
    path = write_workbook(
        tmp_path / "a.xlsx",
        {"Sheet1": [*header, list(range(1, 11)), person, bad], "ThongTin": INFO_SHEET},
        {"Sheet1": merges},
    )
    dataset = load_dataset([str(path)])
    table = dataset.tables["workforce"]
    assert table.frame["_row"].tolist() == [4, 5]
    assert cells(dataset, "birth_both_sexes") == ["D5"]
    assert "unknown_column" in codes(dataset)  # Lý luận chính trị, not Nữ
    assert [i.cell for i in found(dataset, "unknown_column")] == ["G2"]
    assert table.frame["sex"].astype(str).tolist()[0] == "male"
