"""`Cấp` and `Lĩnh vực` from the units registry, `Loại` for a whole file (official-lists.md,
section 1; settled details 7, 8 and 13): through `load_dataset` and the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from builders import WORKFORCE_HEADER, person, write_workbook
from kpi_tritue.cli import app
from kpi_tritue.contract.schema import Contract
from kpi_tritue.io.dataset import Dataset, load_dataset
from kpi_tritue.model.issues import Issue, Severity

runner = CliRunner()
SAMPLE = Path(__file__).parents[1] / "data" / "samples" / "ha_tinh_2024.xlsx"


def _without(rows: list[list[Any]], *headers: str) -> list[list[Any]]:
    keep = [i for i, text in enumerate(rows[0]) if text not in headers]
    assert len(keep) == len(rows[0]) - len(headers), headers
    return [[row[i] for i in keep] for row in rows]


def _info(year: int = 2024, category: str | None = None) -> list[list[Any]]:
    rows: list[list[Any]] = [["Mục", "Giá trị"], ["Năm báo cáo", year]]
    if category is not None:
        rows.append(["Loại", category])
    return rows


def _list(
    path: Path, *people: list[Any], drop: tuple[str, ...] = ("Cấp", "Lĩnh vực"), **more: Any
) -> Path:
    """A unit's list without the columns `drop` (by default Cấp and Lĩnh vực): its rows
    are Excel rows 2, 3, ...; `Đơn vị` is column C."""
    sheets: dict[str, Any] = {"ThongTin": _info(), **more}
    sheets["NhanSu"] = _without([WORKFORCE_HEADER, *people], *drop)
    return write_workbook(path, sheets)


def _registry(
    path: Path, *rows: list[Any], header: tuple[str, ...] = ("Đơn vị", "Cấp", "Lĩnh vực")
) -> Path:
    return write_workbook(path, {"DonVi": [list(header), *rows]})


def _load(*paths: Path, contract: Contract | None = None) -> Dataset:
    if contract is None:
        return load_dataset([str(p) for p in paths])
    return load_dataset([str(p) for p in paths], contract=contract)


def _places(issues: list[Issue], code: str) -> list[tuple[Severity, str, str | None, str | None]]:
    return [
        (i.severity, Path(i.file or "").name, i.sheet, i.cell) for i in issues if i.code == code
    ]


def _codes(dataset: Dataset) -> list[str]:
    return [i.code for i in dataset.issues]


def _column(dataset: Dataset, key: str) -> list[Any]:
    values = dataset.tables["workforce"].frame[key].astype("object")
    return [None if v != v or v is None else v for v in values]


# ---------------------------------------------------------------------------------------
# Cấp and Lĩnh vực


def test_level_and_sector_come_from_the_registry_of_another_file(tmp_path: Path) -> None:
    registry = _registry(
        tmp_path / "donvi.xlsx",
        ["Sở Y tế", "Tỉnh", "Y tế"],
        ["UBND xã Kỳ Tân", "Xã", "Quản lý nhà nước"],
    )
    report = _list(
        tmp_path / "a.xlsx",
        person("A1"),
        # Matched as units are everywhere: case and spacing do not matter.
        person("A2", unit="ubnd  xã KỲ TÂN"),
    )
    dataset = _load(registry, report)
    assert dataset.issues == []
    assert _column(dataset, "level") == ["province", "commune"]
    assert _column(dataset, "sector") == ["health", "state_management"]
    assert dataset.derived == {str(report): {"level": "DonVi", "sector": "DonVi"}}
    # Derived columns count as present: the indicators that need them are computed.
    assert {"level", "sector"} <= dataset.tables["workforce"].present


def test_a_unit_missing_from_the_registry_is_an_error_at_its_unit_cell(tmp_path: Path) -> None:
    registry = _registry(
        tmp_path / "donvi.xlsx", ["Sở Y tế", "Tỉnh", "Y tế"], ["Sở Tư pháp", "Tỉnh", None]
    )
    report = _list(
        tmp_path / "a.xlsx",
        person("A1"),
        person("A2", unit="Sở Tư pháp"),  # its DonVi row leaves Lĩnh vực blank
        person("A3", unit="Sở Xây dựng"),  # no DonVi row
    )
    dataset = _load(registry, report)
    missing = [i for i in dataset.issues if i.code == "unit_attribute_missing"]
    assert [(i.severity, i.sheet, i.row, i.column, i.cell, i.params["field"]) for i in missing] == [
        (Severity.ERROR, "NhanSu", 3, "Đơn vị", "C3", "Lĩnh vực"),
        # A unit missing from the registry: one error naming both attributes.
        (Severity.ERROR, "NhanSu", 4, "Đơn vị", "C4", "Cấp, Lĩnh vực"),
    ]
    message = missing[0].message("vi")
    assert "Sở Tư pháp" in message and "DonVi" in message
    assert "registry" in missing[0].message("en")
    assert list(dataset.tables["workforce"].frame["_invalid"]) == [False, True, True]
    # Only what the registry gives is given.
    assert _column(dataset, "level") == ["province", "province", None]


def test_a_blank_cell_is_filled_from_the_registry_and_a_present_cell_wins(tmp_path: Path) -> None:
    registry = _registry(tmp_path / "donvi.xlsx", ["Sở Y tế", "Tỉnh", "Y tế"])
    report = _list(
        tmp_path / "a.xlsx",
        person("A1", level=None),  # type: ignore[arg-type]
        person("A2", level="Huyện"),  # says other than DonVi: kept, with a warning
        person("A3"),
        drop=(),
    )
    dataset = _load(registry, report)
    assert _codes(dataset) == ["unit_attribute_differs"]
    (warning,) = dataset.issues
    assert (warning.severity, warning.sheet, warning.row, warning.cell) == (
        Severity.WARNING,
        "NhanSu",
        3,
        "D3",
    )
    # It names both cells: its own, and the registry's (in another file).
    assert warning.params["other"] == f"{registry} › DonVi!B2"
    # The registry's cell is the other end: its file's annotated copy marks it (settled 14).
    assert warning.related is not None
    assert (warning.related.file, warning.related.sheet, warning.related.cell) == (
        str(registry),
        "DonVi",
        "B2",
    )
    assert "Huyện" in warning.message("vi") and "Tỉnh" in warning.message("vi")
    assert _column(dataset, "level") == ["province", "district", "province"]
    # A column the sheet has is read, not derived (some blank cells filled is not that).
    assert dataset.derived == {}


def test_a_bad_value_is_its_own_error_and_is_not_filled(tmp_path: Path) -> None:
    registry = _registry(tmp_path / "donvi.xlsx", ["Sở Y tế", "Tỉnh", "Y tế"])
    report = _list(tmp_path / "a.xlsx", person("A1", level="Trung ương"), drop=())
    for paths in ((registry, report), (report,)):
        dataset = _load(*paths)
        assert _places(dataset.issues, "bad_enum") == [(Severity.ERROR, "a.xlsx", "NhanSu", "D2")]
        assert [i.code for i in dataset.issues if i.severity is Severity.ERROR] == ["bad_enum"]
        assert _column(dataset, "level") == [None]


def test_a_blank_cell_without_any_registry_is_blank_as_before(tmp_path: Path) -> None:
    report = _list(tmp_path / "a.xlsx", person("A1", level=None), drop=())  # type: ignore[arg-type]
    dataset = _load(report)
    assert _places(dataset.issues, "required_blank") == [(Severity.ERROR, "a.xlsx", "NhanSu", "D2")]


def test_without_any_registry_a_list_without_level_is_one_error_for_the_file(
    tmp_path: Path,
) -> None:
    report = _list(tmp_path / "a.xlsx", *(person(f"A{n}") for n in range(30)))
    dataset = _load(report)
    assert [(i.severity, i.code, i.sheet, i.row) for i in dataset.issues] == [
        (Severity.ERROR, "unit_attributes_unavailable", "NhanSu", None)
    ]
    message = dataset.issues[0].message("en")
    assert "Cấp, Lĩnh vực" in message and "donvi.xlsx" in message
    assert dataset.tables["workforce"].frame["_invalid"].all()


def test_a_registry_without_the_column_is_the_same_one_error(tmp_path: Path) -> None:
    # DonVi gives Cấp but no Lĩnh vực: the list lacks only what nothing can give.
    registry = _registry(tmp_path / "donvi.xlsx", ["Sở Y tế", "Tỉnh"], header=("Đơn vị", "Cấp"))
    report = _list(tmp_path / "a.xlsx", person("A1"), person("A2"))
    dataset = _load(registry, report)
    assert [(i.code, Path(i.file or "").name, i.row) for i in dataset.issues] == [
        ("unit_attributes_unavailable", "a.xlsx", None)
    ]
    assert "Lĩnh vực" in dataset.issues[0].message("vi")
    assert "Cấp" not in dataset.issues[0].params["fields"]  # type: ignore[operator]
    assert _column(dataset, "level") == ["province", "province"]


def test_registry_rows_that_disagree_supply_nothing_with_one_error_per_unit_and_attribute(
    tmp_path: Path,
) -> None:
    first = _registry(tmp_path / "a_donvi.xlsx", ["Sở Y tế", "Tỉnh", "Y tế"])
    second = _registry(tmp_path / "b_donvi.xlsx", ["Sở Y tế", "Huyện", "Y tế"])
    report = _list(tmp_path / "c.xlsx", *(person(f"A{n}") for n in range(3)))
    dataset = _load(first, second, report)
    disputed = [i for i in dataset.issues if i.code == "unit_attribute_disputed"]
    assert [(i.severity, Path(i.file or "").name, i.sheet, i.row, i.cell) for i in disputed] == [
        (Severity.ERROR, "a_donvi.xlsx", "DonVi", 2, "B2")
    ]
    assert disputed[0].params["count"] == 3
    assert disputed[0].params["other"] == f"{second} › DonVi!B2"
    related = disputed[0].related
    assert related is not None and (related.file, related.cell) == (str(second), "B2")
    assert "3" in disputed[0].message("en")
    # No error per row: the one above is the cause. The sector, agreed, is given.
    assert "unit_attribute_missing" not in _codes(dataset)
    assert _column(dataset, "level") == [None, None, None]
    assert _column(dataset, "sector") == ["health"] * 3
    assert dataset.tables["workforce"].frame["_invalid"].all()


def test_registry_rows_that_disagree_in_one_file_count_rows_of_every_list(tmp_path: Path) -> None:
    registry = _registry(
        tmp_path / "donvi.xlsx", ["Sở Y tế", "Tỉnh", "Y tế"], ["Sở Y tế", "Tỉnh", "Giáo dục"]
    )
    a = _list(tmp_path / "a.xlsx", person("A1"))
    b = _list(tmp_path / "b.xlsx", person("B1"), person("B2"))
    dataset = _load(registry, a, b)
    assert _places(dataset.issues, "unit_attribute_disputed") == [
        (Severity.ERROR, "donvi.xlsx", "DonVi", "C2")
    ]
    (issue,) = [i for i in dataset.issues if i.code == "unit_attribute_disputed"]
    assert issue.params["count"] == 3 and issue.params["other"] == "DonVi!C3"
    assert issue.related is None  # both cells are in the one file's copy


def test_defaults_come_after_the_registry(tmp_path: Path) -> None:
    contract = Contract(defaults={"workforce": {"level": "Xã", "sector": "Giáo dục"}})
    registry = _registry(tmp_path / "donvi.xlsx", ["Sở Y tế", "Tỉnh", None])
    report = _list(tmp_path / "a.xlsx", person("A1"), person("A2", unit="Trường THCS Kỳ Tân"))
    dataset = _load(registry, report, contract=contract)
    assert [c for c in _codes(dataset) if c != "unit_not_registered"] == []
    assert _column(dataset, "level") == ["province", "commune"]
    assert _column(dataset, "sector") == ["education", "education"]
    assert dataset.derived == {str(report): {"level": "DonVi", "sector": "defaults"}}


# ---------------------------------------------------------------------------------------
# Loại


def test_the_category_of_a_file_is_its_own_thong_tin_s(tmp_path: Path) -> None:
    contract = Contract(defaults={"workforce": {"category": "Viên chức"}})
    a = _list(
        tmp_path / "a.xlsx", person("A1"), drop=("Loại",), ThongTin=_info(category="Công chức")
    )
    b = _list(tmp_path / "b.xlsx", person("B1"), drop=("Loại",))
    dataset = _load(a, b, contract=contract)
    assert dataset.issues == []
    assert _column(dataset, "category") == ["civil_servant", "public_employee"]
    assert dataset.derived == {str(a): {"category": "ThongTin"}, str(b): {"category": "defaults"}}


def test_a_file_with_no_way_to_its_category_is_refused_with_one_error(tmp_path: Path) -> None:
    # Another file's ThongTin says nothing of this one's rows.
    a = _list(
        tmp_path / "a.xlsx", person("A1"), drop=("Loại",), ThongTin=_info(category="Công chức")
    )
    b = _list(tmp_path / "b.xlsx", person("B1"), person("B2"), drop=("Loại",))
    dataset = _load(a, b)
    assert [
        (i.severity, i.code, Path(i.file or "").name, i.sheet, i.row) for i in dataset.issues
    ] == [(Severity.ERROR, "category_unavailable", "b.xlsx", "NhanSu", None)]
    for lang, ways in (
        ("vi", ("ThongTin", "[NhanSu.defaults]")),
        ("en", ("ThongTin", "--columns")),
    ):
        message = dataset.issues[0].message(lang)  # type: ignore[arg-type]
        assert all(way in message for way in ways), message
    assert list(dataset.tables["workforce"].frame["_invalid"]) == [False, True, True]


def test_a_present_category_column_ignores_thong_tin_and_defaults(tmp_path: Path) -> None:
    contract = Contract(defaults={"workforce": {"category": "Viên chức"}})
    report = _list(
        tmp_path / "a.xlsx",
        person("A1", category="Cán bộ"),
        person("A2", category=None),  # type: ignore[arg-type]
        drop=(),
        ThongTin=_info(category="Công chức"),
    )
    dataset = _load(report, contract=contract)
    assert _places(dataset.issues, "required_blank") == [(Severity.ERROR, "a.xlsx", "NhanSu", "F3")]
    assert _column(dataset, "category") == ["cadre", None]
    assert dataset.derived == {}


def test_a_bad_category_in_thong_tin_is_an_error_at_its_cell(tmp_path: Path) -> None:
    report = _list(tmp_path / "a.xlsx", person("A1"), drop=(), ThongTin=_info(category="Hợp đồng"))
    dataset = _load(report)
    assert _places(dataset.issues, "bad_category") == [(Severity.ERROR, "a.xlsx", "ThongTin", "B3")]
    assert "Công chức" in dataset.issues[0].message("en")


# ---------------------------------------------------------------------------------------
# The command line


def _invoke(*args: str) -> Any:
    return runner.invoke(app, list(args))


def test_a_refused_category_stops_compute_even_with_skip_invalid(tmp_path: Path) -> None:
    registry = _registry(tmp_path / "donvi.xlsx", ["Sở Y tế", "Tỉnh", "Y tế"])
    a = _list(tmp_path / "a.xlsx", person("A1"), drop=("Cấp", "Lĩnh vực", "Loại"))
    for command in (["validate"], ["compute"], ["compute", "--skip-invalid"]):
        result = _invoke(*command, str(registry), str(a), "--format", "json")
        assert result.exit_code == 3, (command, result.output)
        said = result.stdout if command == ["validate"] else result.stderr
        assert said.count("category_unavailable") == 1, command


def test_a_list_without_level_and_no_registry_is_one_error_in_every_command(tmp_path: Path) -> None:
    a = _list(tmp_path / "a.xlsx", *(person(f"A{n}") for n in range(3)))
    for command in (["validate"], ["compute"], ["compute", "--skip-invalid"]):
        result = _invoke(*command, str(a), "--format", "json")
        assert result.exit_code == 3, command
        said = result.stdout if command == ["validate"] else result.stderr
        assert said.count("unit_attributes_unavailable") == 1, command
        if command == ["validate"]:
            issues = json.loads(said)["issues"]
            assert [i["code"] for i in issues] == ["unit_attributes_unavailable"]
        # Leaving bad rows out cannot help: the option is not advised.
        assert "dùng --skip-invalid" not in said, command


def test_json_says_what_was_derived_in_compute_and_validate(tmp_path: Path) -> None:
    registry = _registry(tmp_path / "donvi.xlsx", ["Sở Y tế", "Tỉnh", "Y tế"])
    a = _list(
        tmp_path / "a.xlsx",
        person("A1"),
        drop=("Cấp", "Lĩnh vực", "Loại"),
        ThongTin=_info(category="Viên chức"),
    )
    expected = {a.as_posix(): {"category": "ThongTin", "level": "DonVi", "sector": "DonVi"}}
    for command in ("validate", "compute"):
        result = _invoke(command, str(registry), str(a), "--format", "json")
        assert result.exit_code == 0, result.output
        document = json.loads(result.stdout)
        assert document["derived"] == expected
        assert list(document["derived"][a.as_posix()]) == sorted(expected[a.as_posix()])
    # Nothing derived: an empty mapping, not a missing key.
    plain = _list(tmp_path / "b.xlsx", person("B1"), drop=())
    assert json.loads(_invoke("validate", str(plain), "--format", "json").stdout)["derived"] == {}


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_report_s_information_sheet_says_what_was_derived(tmp_path: Path, lang: str) -> None:
    registry = _registry(tmp_path / "donvi.xlsx", ["Sở Y tế", "Tỉnh", "Y tế"])
    a = _list(
        tmp_path / "a.xlsx",
        person("A1"),
        drop=("Cấp", "Loại"),
        ThongTin=_info(category="Viên chức"),
    )
    out = tmp_path / "report.xlsx"
    result = _invoke("export", str(registry), str(a), "-o", str(out), "--lang", lang)
    assert result.exit_code == 0, result.output
    sheet = load_workbook(out)["Thông tin" if lang == "vi" else "Information"]
    rows = [tuple(c for c in row if c is not None) for row in sheet.iter_rows(values_only=True)]
    title = "Cột NhanSu được suy ra" if lang == "vi" else "NhanSu columns derived"
    (start,) = [n for n, row in enumerate(rows) if row and str(row[0]).startswith(title)]
    lines = [row[1] for row in rows[start:] if len(row) == 2 and row[0] == str(a)]
    if lang == "vi":
        assert lines == [
            "Loại: lấy từ mục Loại trong trang ThongTin của tệp",
            "Cấp: lấy từ danh mục đơn vị (trang DonVi) theo đơn vị của từng dòng",
        ]
    else:
        assert lines == [
            "Category: taken from the Loại item of the file’s ThongTin sheet",
            "Level: taken from the units registry (the DonVi sheet), by each row’s unit",
        ]


def test_the_sample_without_level_and_sector_gives_the_same_results_with_its_registry(
    tmp_path: Path,
) -> None:
    workbook = load_workbook(SAMPLE)
    sheet = workbook["NhanSu"]
    header = [cell.value for cell in sheet[4]]
    level = header.index("Cấp") + 1
    sheet.delete_cols(level, 2)  # Cấp, Lĩnh vực
    stripped = tmp_path / "danh_sach.xlsx"
    workbook.save(stripped)
    original = _invoke("compute", str(SAMPLE), "--format", "json")
    derived = _invoke("compute", str(stripped), "--format", "json")
    assert original.exit_code == derived.exit_code == 0, derived.output
    before, after = json.loads(original.stdout), json.loads(derived.stdout)
    assert after["indicators"] == before["indicators"]
    assert after["derived"] == {stripped.as_posix(): {"level": "DonVi", "sector": "DonVi"}}

    def where(issues: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
        return [(i["code"], i["sheet"], i["row"]) for i in issues]

    assert where(after["issues"]) == where(before["issues"])
