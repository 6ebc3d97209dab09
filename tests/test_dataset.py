"""Consolidating several workbooks: duplicates, conflicts, order, the reference date."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from builders import WORKFORCE_HEADER, person, write_workbook
from kpi_tritue.io.dataset import load_dataset
from kpi_tritue.io.inputs import expand_inputs
from kpi_tritue.model.issues import Severity
from kpi_tritue.model.sources import AsOfSource


def info(year: int | None = None, as_of: object = None) -> list[list[object]]:
    rows: list[list[object]] = [["Mục", "Giá trị"]]
    if year is not None:
        rows.append(["Năm báo cáo", year])
    if as_of is not None:
        rows.append(["Ngày số liệu", as_of])
    return rows


def staff(path: Path, *ids: str, **sheets: list[list[object]]) -> Path:
    return write_workbook(path, {**sheets, "NhanSu": [WORKFORCE_HEADER, *(person(i) for i in ids)]})


def codes(dataset) -> list[tuple[str, str | None, str | None]]:  # type: ignore[no-untyped-def]
    return [(i.code, i.file and Path(i.file).name, i.cell) for i in dataset.issues]


def test_rows_of_several_files_are_concatenated(tmp_path: Path) -> None:
    a = staff(tmp_path / "a.xlsx", "A1", "A2", ThongTin=info(2024))
    b = staff(tmp_path / "b.xlsx", "B1", ThongTin=info(2024))
    dataset = load_dataset([str(a), str(b)])
    frame = dataset.tables["workforce"].frame
    assert list(frame["id"]) == ["A1", "A2", "B1"]
    assert list(frame["_file"]) == [0, 0, 1]
    assert [s.path for s in dataset.sources] == [a.as_posix(), b.as_posix()]
    assert not dataset.has_errors


def test_the_order_of_files_does_not_matter(tmp_path: Path) -> None:
    a = staff(tmp_path / "a.xlsx", "A1", "X1")
    b = staff(tmp_path / "b.xlsx", "B1", "X1")
    forward = load_dataset([str(a), str(b)])
    backward = load_dataset([str(b), str(a)])
    assert forward.issues == backward.issues
    assert forward.tables["workforce"].frame.equals(backward.tables["workforce"].frame)


def test_the_same_person_in_two_files_names_both_places(tmp_path: Path) -> None:
    a = staff(tmp_path / "a.xlsx", "A1", "X1")
    b = staff(tmp_path / "b.xlsx", "B1", "x1")
    dataset = load_dataset([str(b), str(a)])
    (issue,) = [i for i in dataset.issues if i.code == "duplicate_id"]
    assert (Path(issue.file or "").name, issue.cell) == ("b.xlsx", "A3")
    assert f"{a.as_posix()} › NhanSu!A3" in issue.message("en")
    assert issue.severity is Severity.ERROR


@pytest.mark.parametrize("bad", ["first", "second", "both"])
def test_a_repeated_id_is_an_error_whatever_else_is_wrong_with_the_rows(
    tmp_path: Path, bad: str
) -> None:
    # One run reports every problem: the rows' own errors do not hide the duplicate.
    first = person("HT1", level="Trung ương" if bad != "second" else "Tỉnh")
    second = person(
        "HT1", name="Trần Thị Bình", birth_date="31/02/1980" if bad != "first" else "15/03/1985"
    )
    path = write_workbook(
        tmp_path / "a.xlsx", {"NhanSu": [WORKFORCE_HEADER, person("HT0"), first, second]}
    )
    dataset = load_dataset([str(path)])
    (issue,) = [i for i in dataset.issues if i.code == "duplicate_id"]
    assert (issue.severity, issue.sheet, issue.cell) == (Severity.ERROR, "NhanSu", "A4")
    assert "NhanSu!A3" in issue.message("vi")
    for name in ("Nguyễn Văn An", "Trần Thị Bình"):
        assert name not in issue.message("vi") and name not in issue.message("en")
    other = {"first": {"bad_enum"}, "second": {"bad_date"}, "both": {"bad_enum", "bad_date"}}
    assert {i.code for i in dataset.issues if i.severity is Severity.ERROR} == {
        "duplicate_id",
        *other[bad],
    }


def test_a_repeated_id_in_another_file_is_reported_though_the_row_has_errors(
    tmp_path: Path,
) -> None:
    a = staff(tmp_path / "a.xlsx", "A1", "X1")
    b = write_workbook(
        tmp_path / "b.xlsx", {"NhanSu": [WORKFORCE_HEADER, person("X1", category="Khách")]}
    )
    dataset = load_dataset([str(a), str(b)])
    (issue,) = [i for i in dataset.issues if i.code == "duplicate_id"]
    assert (Path(issue.file or "").name, issue.cell) == ("b.xlsx", "A2")
    assert f"{a.as_posix()} › NhanSu!A3" in issue.message("en")


def test_a_folder_means_every_workbook_in_it(tmp_path: Path) -> None:
    (tmp_path / "huyen").mkdir()
    staff(tmp_path / "a.xlsx", "A1")
    staff(tmp_path / "huyen" / "b.xlsx", "B1")
    (tmp_path / "~$a.xlsx").write_bytes(b"lock file")
    (tmp_path / "notes.txt").write_text("not a workbook")
    files, issues = expand_inputs([str(tmp_path)])
    assert [Path(p).name for p, _ in files] == ["a.xlsx", "b.xlsx"]
    assert issues == []


def test_an_empty_folder_and_a_missing_path_are_errors(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    _, issues = expand_inputs([str(tmp_path / "empty"), str(tmp_path / "nope.xlsx")])
    assert [i.code for i in issues] == ["no_workbooks_in_folder", "file_not_found"]


def test_reference_date_precedence(tmp_path: Path) -> None:
    both = staff(tmp_path / "a.xlsx", "A1", ThongTin=info(2024, datetime(2024, 6, 30)))
    year_only = staff(tmp_path / "b.xlsx", "B1", ThongTin=info(2023))
    nothing = staff(tmp_path / "c.xlsx", "C1")
    today = date(2026, 11, 25)
    option = load_dataset([str(both)], as_of=date(2025, 1, 1), today=today).reference
    assert (option.as_of, option.source) == (date(2025, 1, 1), AsOfSource.OPTION)
    sheet = load_dataset([str(both)], today=today).reference
    assert (sheet.as_of, sheet.source) == (date(2024, 6, 30), AsOfSource.SHEET)
    year = load_dataset([str(year_only)], today=today).reference
    assert (year.as_of, year.source) == (date(2023, 12, 31), AsOfSource.YEAR)
    fallback = load_dataset([str(nothing)], today=today).reference
    assert (fallback.as_of, fallback.source) == (today, AsOfSource.TODAY)


def test_files_of_different_report_years_are_not_combined(tmp_path: Path) -> None:
    a = staff(tmp_path / "a.xlsx", "A1", ThongTin=info(2023))
    b = staff(tmp_path / "b.xlsx", "B1", ThongTin=info(2024))
    dataset = load_dataset([str(a), str(b)])
    assert [i.code for i in dataset.issues if i.severity is Severity.ERROR] == [
        "report_years_differ"
    ]


def test_years_after_the_report_year_are_errors(tmp_path: Path) -> None:
    rows = [WORKFORCE_HEADER, person("A1", birth_date=None, birth_year=2024)]
    path = write_workbook(tmp_path / "a.xlsx", {"ThongTin": info(2023), "NhanSu": rows})
    dataset = load_dataset([str(path)])
    assert [(i.code, i.cell) for i in dataset.issues if i.severity is Severity.ERROR] == [
        ("year_out_of_range", "H2")
    ]


FIGURES_HEADER = ["Chỉ tiêu", "Giá trị", "Năm", "Địa bàn"]


def test_equal_figures_in_two_files_count_once_and_different_ones_conflict(
    tmp_path: Path,
) -> None:
    a = staff(
        tmp_path / "a.xlsx",
        "A1",
        SoLieu=[FIGURES_HEADER, ["Dân số", 1320000, 2024, None], ["Số lớp THPT", 900, 2024, None]],
    )
    b = staff(
        tmp_path / "b.xlsx",
        "B1",
        SoLieu=[FIGURES_HEADER, ["Dân số", 1320000, 2024, None], ["Số lớp THPT", 901, 2024, None]],
    )
    dataset = load_dataset([str(a), str(b)], as_of=date(2024, 12, 31))
    found = [(i.code, i.severity, Path(i.file or "").name, i.cell) for i in dataset.issues]
    assert ("repeated_row_merged", Severity.INFO, "b.xlsx", "A2") in found
    assert ("conflicting_row", Severity.ERROR, "b.xlsx", "A3") in found
    figures = dataset.tables["figures"].frame
    assert len(figures[figures["metric"] == "population"]) == 1


def test_units_merge_attributes_and_refuse_conflicts(tmp_path: Path) -> None:
    units_header = ["Đơn vị", "Cấp", "Địa bàn"]
    a = staff(
        tmp_path / "a.xlsx",
        "A1",
        DonVi=[units_header, ["Sở Y tế", "Tỉnh", None], ["UBND xã A", "Xã", "Kỳ Anh"]],
    )
    b = staff(
        tmp_path / "b.xlsx",
        "B1",
        DonVi=[units_header, ["SỞ Y TẾ", None, "Toàn tỉnh"], ["UBND xã A", "Huyện", None]],
    )
    dataset = load_dataset([str(a), str(b)])
    units = dataset.tables["units"].frame
    first = units[units["unit"] == "Sở Y tế"].iloc[0]
    assert (first["level"], first["area"]) == ("province", "Toàn tỉnh")
    assert [(i.code, i.cell) for i in dataset.issues if i.severity is Severity.ERROR] == [
        ("conflicting_row", "A3")
    ]


def test_a_unit_is_merged_in_the_order_of_its_rows(tmp_path: Path) -> None:
    # A repeated unit is compared with the first row as merged so far: a row in conflict
    # fills nothing, a later row fills a blank, and a row after it must agree with that.
    units_header = ["Đơn vị", "Cấp", "Lĩnh vực"]
    path = staff(
        tmp_path / "a.xlsx",
        "A1",
        DonVi=[
            units_header,
            ["Sở Y tế", None, "Y tế"],
            ["Sở Y tế", "Huyện", "Giáo dục"],  # conflicts on the sector: fills no level
            ["SỞ Y TẾ", "Xã", None],  # fills the level
            ["Sở Y tế", "Tỉnh", None],  # conflicts with the level just filled
            ["sở y tế", "Xã", "Y tế"],
        ],
    )
    dataset = load_dataset([str(path)])
    found = [
        (i.code, i.cell)
        for i in dataset.issues
        if i.code in {"conflicting_row", "repeated_row_merged"}
    ]
    # Errors first, then the rest: each in the order of the rows.
    assert found == [
        ("conflicting_row", "A3"),
        ("conflicting_row", "A5"),
        ("repeated_row_merged", "A4"),
        ("repeated_row_merged", "A6"),
    ]
    units = dataset.tables["units"].frame
    assert list(units["_row"]) == [2, 3, 5]
    assert list(units["level"].astype(object)) == ["commune", "district", "province"]
    assert [str(v) for v in units["sector"].astype(object).fillna("")] == [
        "health",
        "education",
        "",
    ]
    assert list(units["_invalid"]) == [False, True, True]


@pytest.mark.parametrize("sheet", ["DonVi", "NhanSu"])
def test_a_million_repeats_build_a_hundred_issues_and_count_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sheet: str
) -> None:
    # Every repeated row is judged and acted on; only the issues kept are built.
    from kpi_tritue.io import duplicates as module

    built: list[int] = []
    key_text = module._key_text

    def counted(table: module.Table, index: int) -> str:
        built.append(index)
        return key_text(table, index)

    monkeypatch.setattr(module, "_key_text", counted)
    rows = 1200
    if sheet == "DonVi":
        # Every other row agrees with the first (merged), the others conflict.
        units = [["Sở Y tế", "Tỉnh" if n % 2 == 0 else "Xã"] for n in range(rows)]
        path = staff(tmp_path / "a.xlsx", "A1", DonVi=[["Đơn vị", "Cấp"], *units])
        expected = {"repeated_row_merged": rows // 2 - 1, "conflicting_row": rows // 2}
    else:
        people = [person(f"HT{n % (rows // 2)}") for n in range(rows)]
        path = write_workbook(tmp_path / "a.xlsx", {"NhanSu": [WORKFORCE_HEADER, *people]})
        expected = {"duplicate_id": rows // 2}
    dataset = load_dataset([str(path)])
    counts = dict.fromkeys(expected, 0)
    for issue in dataset.issues:
        code = str(issue.params.get("code")) if issue.code == "more_issues" else issue.code
        if code in counts:
            counts[code] += issue.weight
    assert counts == expected
    assert len(built) == 100 * len(expected)
    table = dataset.tables["units" if sheet == "DonVi" else "workforce"]
    errors = expected.get("conflicting_row", expected.get("duplicate_id", 0))
    assert int(table.frame["_invalid"].sum()) == errors
    assert len(table.frame) == rows - expected.get("repeated_row_merged", 0)


def test_without_invalid_rows_says_how_many_were_left_out(tmp_path: Path) -> None:
    rows = [WORKFORCE_HEADER, person("A1"), person("A2", level="??"), person("A3")]
    dataset = load_dataset([str(write_workbook(tmp_path / "a.xlsx", {"NhanSu": rows}))])
    clean, dropped = dataset.without_invalid_rows()
    assert dropped == 1
    assert list(clean.tables["workforce"].frame["id"]) == ["A1", "A3"]


def test_registered_units_without_staff_are_reported(tmp_path: Path) -> None:
    units = [
        ["Đơn vị", "Cấp"],
        ["Sở Y tế", "Tỉnh"],
        ["UBND xã Kỳ Tân", "Xã"],
        ["Sở Tư pháp", "Tỉnh"],
    ]
    path = staff(tmp_path / "a.xlsx", "A1", "A2", DonVi=units, ThongTin=info(2024))
    dataset = load_dataset([str(path)])
    assert dataset.completeness is not None
    assert dataset.completeness.registered == 3
    assert dataset.completeness.reporting == 1
    assert dataset.completeness.rate == pytest.approx(100 / 3)
    assert dataset.completeness.missing_units == ("Sở Tư pháp", "UBND xã Kỳ Tân")
    warnings = [(i.code, i.cell) for i in dataset.issues if i.severity is Severity.WARNING]
    assert warnings == [("unit_without_staff", "A3"), ("unit_without_staff", "A4")]
    assert any("Sở Tư pháp" in i.message("vi") for i in dataset.issues)


def test_each_unregistered_unit_is_noted_at_its_first_row_whatever_its_case(
    tmp_path: Path,
) -> None:
    units = ["Sở A", "sở b", "Sở B", "Sở C", "Sở A", "SỞ C", "Sở D", "sở a"]
    rows = [WORKFORCE_HEADER, *(person(f"P{i}", unit=u) for i, u in enumerate(units))]
    path = write_workbook(tmp_path / "a.xlsx", {"DonVi": [["Đơn vị"], ["sở a"]], "NhanSu": rows})
    dataset = load_dataset([str(path)])
    noted = [(i.code, i.cell) for i in dataset.issues if i.code == "unit_not_registered"]
    # Rows 2..9 hold the people; "Sở B" and "SỞ C" repeat units first met in rows 3 and 5.
    assert noted == [("unit_not_registered", f"C{row}") for row in (3, 5, 8)]
    assert dataset.completeness is not None and dataset.completeness.reporting == 1


def test_staff_of_unregistered_units_are_noted_once_per_unit(tmp_path: Path) -> None:
    units = [["Đơn vị"], ["Sở Nội vụ"]]
    path = staff(tmp_path / "a.xlsx", "A1", "A2", DonVi=units)  # both in "Sở Y tế"
    dataset = load_dataset([str(path)])
    assert [(i.code, i.cell) for i in dataset.issues if i.code == "unit_not_registered"] == [
        ("unit_not_registered", "C2")
    ]


def test_no_registry_means_no_completeness(tmp_path: Path) -> None:
    assert load_dataset([str(staff(tmp_path / "a.xlsx", "A1"))]).completeness is None


def test_figures_without_a_year_column_are_of_the_report_year(tmp_path: Path) -> None:
    path = staff(
        tmp_path / "a.xlsx",
        "A1",
        ThongTin=info(2024),
        SoLieu=[["Chỉ tiêu", "Giá trị"], ["Dân số", 1320000]],
    )
    figures = load_dataset([str(path)]).tables["figures"].frame
    assert list(figures["year"]) == [2024]


def test_a_unit_change_may_take_effect_after_the_reference_date(tmp_path: Path) -> None:
    changes = [
        ["Đơn vị cũ", "Đơn vị mới", "Ngày hiệu lực"],
        ["UBND huyện Can Lộc", "UBND xã Can Lộc", datetime(2025, 7, 1)],
    ]
    path = staff(
        tmp_path / "a.xlsx",
        "A1",
        ThongTin=info(2025, datetime(2025, 6, 30)),
        ChuyenDoiDonVi=changes,
    )
    dataset = load_dataset([str(path)])
    assert not dataset.has_errors


def test_thongtin_without_a_value_column_is_an_error_at_its_header(tmp_path: Path) -> None:
    path = staff(tmp_path / "a.xlsx", "A1", ThongTin=[["Mục", "Nội dung"], ["Năm báo cáo", 2024]])
    dataset = load_dataset([str(path)])
    (issue,) = [i for i in dataset.issues if i.severity is Severity.ERROR]
    assert (issue.code, issue.sheet, issue.cell) == ("info_value_column_missing", "ThongTin", "B1")
    assert "Giá trị" in issue.message("vi") and "Giá trị" in issue.message("en")
    assert list(dataset.tables["workforce"].frame["id"]) == ["A1"]


def _export(source: Path, output: Path, lang: str) -> Path:
    from typer.testing import CliRunner

    from kpi_tritue.cli import app

    result = CliRunner().invoke(app, ["export", str(source), "-o", str(output), "--lang", lang])
    assert result.exit_code == 0, result.output
    return output


@pytest.fixture
def reports(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A folder holding a workbook and the reports `kpi export` wrote of it, in vi and en."""
    folder = tmp_path / "in"
    folder.mkdir()
    good = staff(folder / "a.xlsx", "A1", "A2", ThongTin=info(2024, datetime(2024, 12, 31)))
    _export(good, tmp_path / "vi.xlsx", "vi").rename(folder / "bao_cao.xlsx")
    _export(good, tmp_path / "en.xlsx", "en").rename(folder / "report.xlsx")
    return folder, folder / "bao_cao.xlsx", folder / "report.xlsx"


def test_kpi_s_own_reports_in_an_input_folder_are_skipped(
    reports: tuple[Path, Path, Path],
) -> None:
    folder, vi, _ = reports
    dataset = load_dataset([str(folder)])
    assert not dataset.has_errors
    others = {
        (Path(i.file or "").name, i.code, i.severity)
        for i in dataset.issues
        if Path(i.file or "").name != "a.xlsx"
    }
    assert others == {
        ("bao_cao.xlsx", "own_report_skipped", Severity.INFO),
        ("report.xlsx", "own_report_skipped", Severity.INFO),
    }
    assert [s.path for s in dataset.sources] == [(folder / "a.xlsx").as_posix()]
    assert list(dataset.tables["workforce"].frame["id"]) == ["A1", "A2"]
    # Given by name beside the data, a report is skipped the same way.
    named = load_dataset([str(folder / "a.xlsx"), str(vi)])
    assert not named.has_errors and len(named.sources) == 1


def test_a_run_of_nothing_but_kpi_reports_has_no_workforce_sheet(
    reports: tuple[Path, Path, Path],
) -> None:
    _, vi, en = reports
    dataset = load_dataset([str(vi), str(en)])
    # One error for the run (`NhanSu` is required of the run), naming the reports.
    assert sorted((Path(i.file or "").name, i.code) for i in dataset.issues) == [
        ("", "missing_workforce_sheet"),
        ("bao_cao.xlsx", "own_report_skipped"),
        ("report.xlsx", "own_report_skipped"),
    ]
    (missing,) = [i for i in dataset.issues if i.code == "missing_workforce_sheet"]
    assert missing.params["files"] == f"{vi.as_posix()}, {en.as_posix()}"
    assert dataset.has_errors
    # A trend of them says the same.
    from kpi_tritue.catalog.reading import load_catalog
    from kpi_tritue.io.series import load_series

    yearly = load_series([str(vi)], catalog=load_catalog())
    assert [i.code for i in yearly.issues if i.severity is Severity.ERROR] == [
        "missing_workforce_sheet"
    ]


def test_a_workbook_with_data_is_read_whatever_its_information_sheet_says(
    tmp_path: Path,
) -> None:
    signed = [["Thông tin về báo cáo"], [], ["Mục", "Nội dung"], ["Công cụ", "kpi-tritue 0.1.0"]]
    path = staff(tmp_path / "a.xlsx", "A1", **{"Thông tin": signed})
    dataset = load_dataset([str(path)])
    assert "own_report_skipped" not in {i.code for i in dataset.issues}
    assert list(dataset.tables["workforce"].frame["id"]) == ["A1"]


# ---------------------------------------------------------------------------------------
# The root cause first, once (issue 14): one error, not its consequences


def _complete(path: Path, sheet: str | None = None, drop: tuple[str, ...] = ()) -> Path:
    """A small workbook with every sheet, that gives no issue at all; the columns headed
    `drop` left out of `sheet`, with their cells."""
    sheets: dict[str, list[list[object]]] = {
        "ThongTin": info(2024),
        "NhanSu": [WORKFORCE_HEADER, person("A1"), person("A2")],
        "DonVi": [["Đơn vị", "Cấp"], ["Sở Y tế", "Tỉnh"]],
        "SoLieu": [FIGURES_HEADER, ["Dân số", 1_320_000, 2024, None]],
        "KipChuyenSau": [["Chuyên khoa", "Số kíp"], ["Tim mạch can thiệp", 2]],
        "MocCongViec": [["Mã mốc", "Trạng thái"], ["university_merger", "Hoàn thành"]],
        "ChuyenDoiDonVi": [
            ["Đơn vị cũ", "Đơn vị mới", "Ngày hiệu lực"],
            ["UBND xã Kỳ Tân", "Sở Y tế", "01/07/2024"],
        ],
    }
    if sheet is not None:
        rows = sheets[sheet]
        keep = [i for i, text in enumerate(rows[0]) if text not in drop]
        assert len(keep) == len(rows[0]) - len(drop), drop
        sheets[sheet] = [[row[i] for i in keep] for row in rows]
    return write_workbook(path, sheets)


_FILLED_FROM_ELSEWHERE = {
    ("workforce", "id"),
    ("workforce", "level"),
    ("workforce", "sector"),
    ("workforce", "category"),
}


def _required() -> list[tuple[str, tuple[str, ...]]]:
    from kpi_tritue.contract.schema import CONTRACT

    found: list[tuple[str, tuple[str, ...]]] = []
    for spec in CONTRACT.sheets:
        found += [
            (spec.name, (column.header,))
            for column in spec.required_columns
            # Cấp, Lĩnh vực and Loại may be absent: they are then filled from elsewhere
            # (`test_a_column_filled_from_elsewhere_...` below, and test_registry.py).
            if (spec.key, column.key) not in _FILLED_FROM_ELSEWHERE
        ]
        found += [
            (spec.name, tuple(spec.column(key).header for key in group)) for group in spec.one_of
        ]
    return [(sheet, headers) for sheet, headers in found if sheet != "ThongTin"]


def test_the_complete_workbook_gives_no_issue(tmp_path: Path) -> None:
    dataset = load_dataset([str(_complete(tmp_path / "a.xlsx"))])
    assert dataset.issues == []
    assert dataset.completeness is not None and dataset.completeness.reporting == 1


@pytest.mark.parametrize(("sheet", "headers"), _required(), ids=lambda v: str(v))
def test_a_missing_required_column_is_one_error_and_nothing_else(
    tmp_path: Path, sheet: str, headers: tuple[str, ...]
) -> None:
    # Without NhanSu's rows every registered unit would seem to have no staff; without
    # DonVi's, every unit of the staff unregistered: consequences, not shown.
    # (One of several columns, as Ngày sinh / Năm sinh: all of them left out.)
    path = _complete(tmp_path / "a.xlsx", sheet, headers)
    dataset = load_dataset([str(path)])
    assert [(i.severity, i.code, i.sheet) for i in dataset.issues] == [
        (Severity.ERROR, "header_not_found", sheet)
    ]
    assert all(header in dataset.issues[0].message("en") for header in headers)
    if sheet in ("NhanSu", "DonVi"):
        assert dataset.completeness is None  # not judged: not "0 % of units reported"


@pytest.mark.parametrize(
    ("header", "codes"),
    [
        # Cấp: from the workbook's own DonVi, which gives it for Sở Y tế.
        ("Cấp", []),
        # Lĩnh vực: no DonVi of the run has it, so no row can have it: one error.
        ("Lĩnh vực", [(Severity.ERROR, "unit_attributes_unavailable", "NhanSu")]),
        # Loại: neither ThongTin nor a mapping file gives it: one error.
        ("Loại", [(Severity.ERROR, "category_unavailable", "NhanSu")]),
        # Mã: a person is then known by name, birth date and sex; the workbook's two rows
        # share all three (the builder's defaults), so they are one person listed twice.
        ("Mã", [(Severity.ERROR, "duplicate_person", "NhanSu")]),
    ],
)
def test_a_column_filled_from_elsewhere_is_taken_or_one_error_and_nothing_else(
    tmp_path: Path, header: str, codes: list[tuple[Severity, str, str]]
) -> None:
    path = _complete(tmp_path / "a.xlsx", "NhanSu", (header,))
    dataset = load_dataset([str(path)])
    assert [(i.severity, i.code, i.sheet) for i in dataset.issues] == codes
    if not codes:
        original = load_dataset([str(_complete(tmp_path / "b.xlsx"))])
        frame, before = dataset.tables["workforce"].frame, original.tables["workforce"].frame
        assert frame["level"].tolist() == before["level"].tolist() == ["province", "province"]
        assert dataset.derived == {str(path): {"level": "DonVi"}}


def test_a_missing_column_in_one_file_hides_no_unit_of_another(tmp_path: Path) -> None:
    # The registry is in a.xlsx, the staff of its unit in b.xlsx, whose NhanSu is broken.
    a = write_workbook(
        tmp_path / "a.xlsx",
        {"ThongTin": info(2024), "DonVi": [["Đơn vị", "Cấp"], ["Sở Tư pháp", "Tỉnh"]]},
    )
    b = _complete(tmp_path / "b.xlsx", "NhanSu", ("Trình độ chuyên môn",))
    dataset = load_dataset([str(a), str(b)])
    assert [i.code for i in dataset.issues if i.code != "missing_workforce_sheet"] == [
        "header_not_found"
    ]


def test_the_same_workbook_under_two_names_is_one_error_naming_both(tmp_path: Path) -> None:
    a = _complete(tmp_path / "a.xlsx")
    b = tmp_path / "b.xlsx"
    b.write_bytes(a.read_bytes())
    dataset = load_dataset([str(b), str(a)])
    assert [(i.severity, i.code, Path(i.file or "").name) for i in dataset.issues] == [
        (Severity.ERROR, "same_data_as", "b.xlsx")
    ]
    message = dataset.issues[0].message("vi")
    assert str(a) in message and str(b) in message
    # Its data are taken once: no person twice, no figure twice.
    assert list(dataset.tables["workforce"].frame["id"]) == ["A1", "A2"]
    assert len(dataset.sources) == 2


def test_the_same_staff_in_two_workbooks_is_one_error_at_the_copy_s_sheet(tmp_path: Path) -> None:
    a = _complete(tmp_path / "a.xlsx")
    # Another file, other sheets, the same NhanSu rows a row further down.
    b = write_workbook(
        tmp_path / "b.xlsx",
        {
            "ThongTin": info(2024, datetime(2024, 12, 31)),
            "NhanSu": [["Danh sách"], WORKFORCE_HEADER, person("A1"), person("A2")],
        },
    )
    dataset = load_dataset([str(a), str(b)])
    assert [(i.code, Path(i.file or "").name, i.sheet) for i in dataset.issues] == [
        ("same_data_as", "b.xlsx", "NhanSu")
    ]
    assert list(dataset.tables["workforce"].frame["id"]) == ["A1", "A2"]


def test_the_same_ids_with_other_data_are_still_duplicates(tmp_path: Path) -> None:
    a = staff(tmp_path / "a.xlsx", "A1", "A2", ThongTin=info(2024))
    rows = [WORKFORCE_HEADER, person("A1"), person("A2", unit="Sở Tư pháp")]
    b = write_workbook(tmp_path / "b.xlsx", {"ThongTin": info(2024), "NhanSu": rows})
    dataset = load_dataset([str(a), str(b)])
    assert [i.code for i in dataset.issues] == ["duplicate_id", "duplicate_id"]


def test_three_report_years_are_one_error_listing_the_files_of_each(tmp_path: Path) -> None:
    # The same people every year, the same registry and figures: no duplicate across years.
    paths = []
    for year in (2022, 2023, 2024):
        rows = [WORKFORCE_HEADER, person("A1"), person("A2"), person(f"N{year}")]
        paths.append(
            write_workbook(
                tmp_path / f"ht_{year}.xlsx",
                {
                    "ThongTin": info(year),
                    "NhanSu": rows,
                    "DonVi": [["Đơn vị", "Cấp"], ["Sở Y tế", "Tỉnh"]],
                    "SoLieu": [FIGURES_HEADER, ["Dân số", 1_320_000, None, None]],
                },
            )
        )
    dataset = load_dataset([str(tmp_path)])
    assert [(i.severity, i.code) for i in dataset.issues] == [
        (Severity.ERROR, "report_years_differ")
    ]
    years = dataset.issues[0].params["years"]
    listed = zip((2022, 2023, 2024), paths, strict=True)
    assert years == "; ".join(f"{year}: {path.as_posix()}" for year, path in listed)
    # Each year's figures are of its year, checked against that year's rows only.
    figures = dataset.tables["figures"].frame
    assert sorted(figures["year"].tolist()) == [2022, 2023, 2024]
    assert len(dataset.tables["workforce"].frame) == 9


def test_a_year_of_many_files_names_five_and_counts_the_others(tmp_path: Path) -> None:
    for n in range(7):
        staff(tmp_path / f"x{n}.xlsx", f"X{n}", ThongTin=info(2023))
    staff(tmp_path / "y.xlsx", "Y1", ThongTin=info(2024))
    dataset = load_dataset([str(tmp_path)])
    assert [i.code for i in dataset.issues] == ["report_years_differ"]
    shown = [f"{(tmp_path / f'x{n}.xlsx').as_posix()}" for n in range(5)]
    assert dataset.issues[0].params["years"] == (
        f"2023: {', '.join(shown)}, … (+2); 2024: {(tmp_path / 'y.xlsx').as_posix()}"
    )
    for lang, word in (("vi", "tệp nữa"), ("en", "more files")):
        assert word in dataset.issues[0].message(lang)  # type: ignore[arg-type]


def test_today_s_date_as_reference_is_a_warning_that_says_how_to_fix_it(tmp_path: Path) -> None:
    path = staff(tmp_path / "a.xlsx", "A1")
    dataset = load_dataset([str(path)], today=date(2026, 11, 25))
    assert [(i.severity, i.code) for i in dataset.issues] == [(Severity.WARNING, "as_of_today")]
    for lang in ("vi", "en"):
        message = dataset.issues[0].message(lang)  # type: ignore[arg-type]
        assert "25/11/2026" in message and "--as-of" in message and "ThongTin" in message
    assert load_dataset([str(path)], as_of=date(2024, 12, 31)).issues == []


def test_an_unreadable_thongtin_is_its_own_error_not_a_date_warning(tmp_path: Path) -> None:
    path = staff(tmp_path / "a.xlsx", "A1", ThongTin=[["Mục", "Giá trị"], ["Năm báo cáo", "x"]])
    dataset = load_dataset([str(path)])
    assert [(i.severity, i.code) for i in dataset.issues] == [(Severity.ERROR, "bad_report_year")]


def test_a_registry_without_any_staff_sheet_is_not_a_list_of_units_without_staff(
    tmp_path: Path,
) -> None:
    path = write_workbook(
        tmp_path / "a.xlsx",
        {"ThongTin": info(2024), "DonVi": [["Đơn vị"], ["Sở Y tế"], ["Sở Tư pháp"]]},
    )
    dataset = load_dataset([str(path)])
    assert [i.code for i in dataset.issues] == ["missing_workforce_sheet"]
    assert dataset.completeness is None


def test_a_file_on_an_older_form_is_one_warning_naming_every_column_it_lacks(
    tmp_path: Path,
) -> None:
    """One warning for the sheet, the columns in the form's order, not one a column."""
    a = staff(tmp_path / "a.xlsx", "A1", ThongTin=info(2024))
    dropped = {"Chức danh nghề nghiệp", "Cấp học"}
    keep = [i for i, header in enumerate(WORKFORCE_HEADER) if header not in dropped]
    b = write_workbook(
        tmp_path / "b.xlsx",
        {
            "ThongTin": info(2024),
            "NhanSu": [[WORKFORCE_HEADER[i] for i in keep], [person("B1")[i] for i in keep]],
        },
    )
    dataset = load_dataset([str(a), str(b)])
    absent = [i for i in dataset.issues if i.code == "column_absent_in_file"]
    assert [(Path(i.file or "").name, i.sheet, i.severity) for i in absent] == [
        ("b.xlsx", "NhanSu", Severity.WARNING)
    ]
    assert (
        absent[0]
        .message("vi")
        .startswith("Tệp thiếu 2 cột mà tệp khác có: “Chức danh nghề nghiệp”, “Cấp học”;")
    )
    assert "2 column(s) that other files have: “Chức danh nghề nghiệp”, “Cấp học”;" in (
        absent[0].message("en")
    )
    assert not dataset.has_errors
