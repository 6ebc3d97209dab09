"""`--columns FILE.toml`: a workbook in its own layout read through a mapping file
(official-lists.md, section 3; settled detail 15)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from builders import WORKFORCE_HEADER, person, write_workbook
from kpi_tritue.cli import app
from kpi_tritue.contract.mapping import (
    MappingError,
    apply_mapping,
    check_mapping,
    location,
    read_mapping,
)
from kpi_tritue.contract.normalize import clean_text, fold
from kpi_tritue.contract.schema import CONTRACT, WORKFORCE
from kpi_tritue.errors import EXIT_INPUT, EXIT_USAGE

runner = CliRunner()

INFO = [["Mục", "Giá trị"], ["Năm báo cáo", 2024]]
FIGURES = [["Chỉ tiêu", "Giá trị"], ["Dân số", 1_000_000]]
UNITS = [["Đơn vị", "Cấp", "Lĩnh vực", "Định mức sau đại học (%)"], ["Sở Y tế", "Tỉnh", "Y tế", 20]]
OWN_UNITS = [["Tên cơ quan", "Cấp", "Lĩnh vực", "Định mức sau đại học (%)"], *UNITS[1:]]
MANAGERS = {"A1": True, "A2": True, "A3": False, "A4": False}
PEOPLE: list[dict[str, Any]] = [
    {"id_": "A1", "level": "Tỉnh", "qualification": "Thạc sĩ", "birth_date": "15/03/1990"},
    {"id_": "A2", "level": "Tỉnh", "qualification": "Đại học", "birth_date": "01/01/1970"},
    {"id_": "A3", "level": "Xã", "qualification": "Tiến sĩ", "birth_date": "02/02/1992"},
    {"id_": "A4", "level": "Huyện", "qualification": "Cao đẳng", "birth_date": "03/03/1965"},
]
# The same people in a layout of the unit's own: other headers, `Cấp` written as the
# unit's own words, the qualification abbreviated, no `Chức danh nghề nghiệp` column.
OWN_HEADER = [
    "Số hiệu CB",
    "Họ và tên",
    "Đơn vị công tác hiện nay",
    "Cấp quản lý",
    "Lĩnh vực",
    "Loại",
    "Ngày sinh",
    "Năm sinh",
    "Trình độ CM",
    "Cấp học",
]
OWN_LEVEL = {"Tỉnh": "Sở, ban, ngành", "Huyện": "Cấp huyện", "Xã": "UBND xã"}
OWN_QUALIFICATION = {"Thạc sĩ": "Th.S", "Đại học": "ĐH", "Tiến sĩ": "T.S", "Cao đẳng": "CĐ"}
MAPPING = """
[NhanSu.headers]            # the workbook's header → the contract's key
"Số hiệu CB" = "id"
"Đơn vị công tác hiện nay" = "unit"
"Cấp quản lý" = "level"
"Trình độ CM" = "qualification"
"LĐQL" = "is_manager"

[NhanSu.values.is_manager]
"Có" = true
"-" = false

[DonVi.headers]
"Tên cơ quan" = "unit"

[NhanSu.values.level]       # the workbook's value → the contract's value
"Sở, ban, ngành" = "Tỉnh"
"UBND xã" = "Xã"

[NhanSu.values.qualification]
"Th.S" = "Thạc sĩ"
"ĐH" = "Đại học"
"T.S" = "Tiến sĩ"
"CĐ" = "Cao đẳng"

[NhanSu.defaults]           # a value for a column that a workbook lacks altogether
profession = "Bác sĩ"
"""


def _standard(path: Path) -> Path:
    rows = [[*WORKFORCE_HEADER, "Lãnh đạo quản lý"]]
    rows += [[*person(**p), "x" if MANAGERS[p["id_"]] else None] for p in PEOPLE]
    sheets = {"ThongTin": INFO, "NhanSu": rows, "DonVi": UNITS, "SoLieu": FIGURES}
    return write_workbook(path, sheets)


def _own(path: Path, header: list[str] = OWN_HEADER) -> Path:
    rows: list[list[Any]] = [[*header, "LĐQL"]]
    for p in PEOPLE:
        row = person(**p)
        row[3] = OWN_LEVEL[p["level"]]
        row[8] = OWN_QUALIFICATION[p["qualification"]]
        del row[9]  # Chức danh nghề nghiệp: from the mapping's defaults
        rows.append([*row, "Có" if MANAGERS[p["id_"]] else "-"])
    sheets = {"ThongTin": INFO, "NhanSu": rows, "DonVi": OWN_UNITS, "SoLieu": FIGURES}
    return write_workbook(path, sheets)


def _mapping(path: Path, text: str = MAPPING) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _indicators(result: Any) -> list[dict[str, Any]]:
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    return [
        {k: v for k, v in row.items() if k not in ("sources",)} for row in document["indicators"]
    ]


def test_own_layout_through_a_mapping_computes_as_the_standard_one(tmp_path: Path) -> None:
    standard = _standard(tmp_path / "chuan.xlsx")
    own = _own(tmp_path / "rieng.xlsx")
    mapping = _mapping(tmp_path / "cot.toml")
    expected = runner.invoke(app, ["compute", str(standard), "--format", "json"])
    got = runner.invoke(app, ["compute", str(own), "--columns", str(mapping), "--format", "json"])
    assert _indicators(got) == _indicators(expected)
    measured = {row["id"] for row in _indicators(got) if row["value"] is not None}
    assert {"doctors_per_10k", "postgrad_norm_units", "provincial_leaders_under_40"} <= measured
    # Without the mapping the own layout is not read at all.
    refused = runner.invoke(app, ["compute", str(own), "--format", "json"])
    assert refused.exit_code == EXIT_INPUT


def test_validate_records_the_defaults_and_reads_every_row(tmp_path: Path) -> None:
    import kpi_tritue.app as use

    own = _own(tmp_path / "rieng.xlsx")
    dataset = use.validate([str(own)], columns=_mapping(tmp_path / "cot.toml"))
    assert not dataset.has_errors, dataset.issues
    frame = dataset.tables[WORKFORCE.key].frame
    assert list(frame["level"]) == ["province", "province", "commune", "district"]
    assert list(frame["qualification"]) == ["master", "bachelor", "doctorate", "college"]
    assert list(frame["profession"]) == ["Bác sĩ"] * 4
    assert dataset.derived == {own.as_posix(): {"profession": "defaults"}}


@pytest.mark.parametrize("command", ["validate", "compute", "export", "check", "trend"])
def test_every_reading_command_takes_the_mapping(tmp_path: Path, command: str) -> None:
    own = _own(tmp_path / "rieng.xlsx")
    bad = _mapping(tmp_path / "cot.toml", '[NhanSu.headers]\n"X" = "nope"\n')
    args = [command, str(own), "--columns", str(bad)]
    if command == "export":
        args += ["-o", str(tmp_path / "out.xlsx")]
    result = runner.invoke(app, args)
    assert result.exit_code == EXIT_USAGE, result.output
    assert "NhanSu.headers.X:" in result.output
    assert not (tmp_path / "out.xlsx").exists()


def test_explain_through_a_mapping_counts_as_the_standard_one(tmp_path: Path) -> None:
    standard = _standard(tmp_path / "chuan.xlsx")
    own = _own(tmp_path / "rieng.xlsx")
    mapping = _mapping(tmp_path / "cot.toml")
    args = ["explain", "job_position_fit", "--format", "json"]
    expected = runner.invoke(app, [*args, str(standard)])
    got = runner.invoke(app, [*args, str(own), "--columns", str(mapping)])
    assert expected.exit_code == 0, expected.output
    assert got.exit_code == 0, got.output
    mine, theirs = json.loads(got.stdout), json.loads(expected.stdout)
    assert mine["counted"] == theirs["counted"]
    assert mine["indicator"] == theirs["indicator"]
    assert len(mine["rows"]) == len(theirs["rows"]) > 0


# ---------------------------------------------------------------------------------------
# Faults: exit 2, each with its place


FAULTS = [
    ('[NhanSu.headers]\n"Đơn vị" = "unit"\n[Foo]\na = 1\n', "Foo:"),
    ('[NhanSu.headers]\n"X" = "nope"\n', "NhanSu.headers.X:"),
    ('[NhanSu.headers]\n"STT" = "id"\n', "NhanSu.headers.STT:"),
    ('[NhanSu.headers]\n"Số TT" = "id"\n', 'NhanSu.headers."Số TT":'),
    ('[NhanSu.values.level]\n"Sở" = "Quận"\n', 'NhanSu.values.level."Sở":'),
    ('[NhanSu.values.levels]\n"Sở" = "Tỉnh"\n', "NhanSu.values.levels:"),
    ('[NhanSu.values.is_manager]\n"LĐ" = "maybe"\n', 'NhanSu.values.is_manager."LĐ":'),
    ("[DonVi.values.postgrad_norm]\na = 120\n", "DonVi.values.postgrad_norm.a:"),
    ('[NhanSu.defaults]\ncategory = "Công nhân"\n', "NhanSu.defaults.category:"),
    ('[NhanSu.defaults]\nid = "A1"\n', "NhanSu.defaults.id:"),
    ("[NhanSu.defaults]\nbirth_year = [1990]\n", "NhanSu.defaults.birth_year:"),
    ("[NhanSu]\nheader = {}\n", "NhanSu.header:"),
    ("NhanSu = 3\n", "NhanSu:"),
    ('[NhanSu.headers]\n"a" = "unit"\n"A" = "sex"\n', "NhanSu.headers.A:"),
    ("[NhanSu.headers\nx = 1\n", "cot.toml:1:"),
]


@pytest.mark.parametrize(("source", "where"), FAULTS)
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_fault_is_a_usage_error_with_its_place(
    tmp_path: Path, source: str, where: str, lang: str
) -> None:
    standard = _standard(tmp_path / "chuan.xlsx")
    mapping = _mapping(tmp_path / "cot.toml", source)
    result = runner.invoke(
        app, ["validate", str(standard), "--columns", str(mapping), "--lang", lang]
    )
    assert result.exit_code == EXIT_USAGE, result.output
    lines = [line.strip(" │-") for line in result.output.splitlines()]
    # `location: message`: a key path, or the file's line and column for TOML syntax.
    assert any(line.startswith(where) or f"/{where}" in line for line in lines), result.output
    head = "Không dùng được tệp --columns" if lang == "vi" else "The --columns file"
    assert head in result.output


def test_a_missing_or_too_large_mapping_file_is_usage(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    standard = _standard(tmp_path / "chuan.xlsx")
    missing = runner.invoke(
        app, ["validate", str(standard), "--columns", str(tmp_path / "none.toml")]
    )
    assert missing.exit_code == EXIT_USAGE
    monkeypatch.setenv("KPI_MAX_COLUMNS_KB", "1")
    big = _mapping(tmp_path / "big.toml", "[NhanSu.headers]\n" + '"a" = "unit"\n' * 200)
    result = runner.invoke(app, ["validate", str(standard), "--columns", str(big)])
    assert result.exit_code == EXIT_USAGE
    assert "KPI_MAX_COLUMNS_KB" in result.output


def test_the_faults_are_all_listed_in_order() -> None:
    source = '[NhanSu.headers]\n"X" = "nope"\n"STT" = "id"\n[NhanSu.values.sex]\n"M" = "?"\n'
    with pytest.raises(MappingError) as caught:
        read_mapping(source, "cot.toml")
    assert caught.value.locations == [
        "NhanSu.headers.X",
        "NhanSu.headers.STT",
        "NhanSu.values.sex.M",
    ]
    assert caught.value.exit_code == EXIT_USAGE


# ---------------------------------------------------------------------------------------
# Headers in the workbook


def test_a_mapped_and_a_canonical_header_of_one_key_is_duplicate_column(tmp_path: Path) -> None:
    header = [*OWN_HEADER, "Đơn vị"]  # `Đơn vị` is unit's own header
    rows: list[list[Any]] = [header]
    for p in PEOPLE:
        row = person(**p)
        row[3] = OWN_LEVEL[p["level"]]
        row[8] = OWN_QUALIFICATION[p["qualification"]]
        del row[9]
        rows.append([*row, "Sở Y tế"])
    both = write_workbook(tmp_path / "hai.xlsx", {"ThongTin": INFO, "NhanSu": rows})
    mapping = _mapping(tmp_path / "cot.toml")
    result = runner.invoke(
        app, ["validate", str(both), "--columns", str(mapping), "--format", "json"]
    )
    assert result.exit_code == EXIT_INPUT, result.output
    codes = [issue["code"] for issue in json.loads(result.stdout)["issues"]]
    assert "duplicate_column" in codes


def test_a_mapped_header_beats_a_built_in_alias(tmp_path: Path) -> None:
    # `Chức vụ` is position's built-in header; this unit writes its managers there.
    header = [*WORKFORCE_HEADER, "Chức vụ"]
    rows = [header, [*person("A1"), "x"], [*person("A2"), None]]
    book = write_workbook(tmp_path / "b.xlsx", {"ThongTin": INFO, "NhanSu": rows})
    mapping = _mapping(tmp_path / "cot.toml", '[NhanSu.headers]\n"Chức vụ" = "is_manager"\n')
    import kpi_tritue.app as use

    dataset = use.validate([str(book)], columns=mapping)
    frame = dataset.tables[WORKFORCE.key].frame
    assert "position" not in frame
    assert list(frame["is_manager"]) == [True, False]


def test_a_mapped_header_absent_from_a_workbook_is_an_info(tmp_path: Path) -> None:
    standard = _standard(tmp_path / "chuan.xlsx")
    mapping = _mapping(tmp_path / "cot.toml", '[NhanSu.headers]\n"Trình độ CM" = "qualification"\n')
    import kpi_tritue.app as use

    dataset = use.validate([str(standard)], columns=mapping)
    absent = [issue for issue in dataset.issues if issue.code == "mapped_header_absent"]
    assert len(absent) == 1
    assert absent[0].severity.value == "info"
    assert absent[0].file == standard.as_posix()
    assert "Trình độ CM" in str(absent[0].params["headers"])
    assert not dataset.has_errors


def test_one_of_several_headers_for_a_key_present_is_no_info(tmp_path: Path) -> None:
    own = _own(tmp_path / "rieng.xlsx")
    mapping = _mapping(
        tmp_path / "cot.toml",
        MAPPING.replace('"Trình độ CM"', '"Trình độ ĐT" = "qualification"\n"Trình độ CM"'),
    )
    import kpi_tritue.app as use

    dataset = use.validate([str(own)], columns=mapping)
    assert not [issue for issue in dataset.issues if issue.code == "mapped_header_absent"]


# ---------------------------------------------------------------------------------------
# The parser, on generated input


_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12)


@given(st.dictionaries(_TEXT, st.sampled_from([c.key for c in WORKFORCE.columns]), max_size=6))
def test_each_header_is_mapped_to_its_key_or_refused_at_its_place(headers: dict[str, str]) -> None:
    sheets, faults = check_mapping({"NhanSu": {"headers": headers}})
    places = {where for where, _ in faults}
    resolved = dict(sheets[WORKFORCE.key].headers) if WORKFORCE.key in sheets else {}
    # No header is dropped without a word: each is taken, or refused with its place.
    assert len({clean_text(h) for h in headers}) <= len(resolved) + len(faults)
    for header, key in headers.items():
        refused = location("NhanSu", "headers", header) in places
        taken = resolved.get(clean_text(header)) == key
        assert refused != taken, (header, key, resolved, places)
    if not faults:
        spec = apply_mapping(CONTRACT, sheets).match_sheet("NhanSu")
        assert spec is not None
        for header, key in resolved.items():
            # A mapped header beats every built-in name.
            assert spec.header_lookup[fold(header)].key == key


@given(st.sampled_from(["level", "sector", "category", "qualification", "sex"]), _TEXT)
def test_an_enum_value_is_taken_exactly_when_the_column_knows_it(key: str, value: str) -> None:
    column = WORKFORCE.column(key)
    assert column.enum is not None
    _, faults = check_mapping({"NhanSu": {"values": {key: {"w": value}}}})
    if key == "qualification":
        # Read by its leading degree words too (`TH S` is a master's): what the column's
        # reader reads is a value of it.
        from kpi_tritue.contract.qualification import read_qualification

        known = read_qualification(value)[0] is not None
    else:
        known = fold(value) in column.enum.lookup
    assert (not faults) == known


def test_trend_reads_every_year_through_the_mapping(tmp_path: Path) -> None:
    books = []
    for year in (2023, 2024):
        book = _own(tmp_path / f"rieng_{year}.xlsx")
        from openpyxl import load_workbook

        workbook = load_workbook(book)
        workbook["ThongTin"]["B2"] = year
        workbook.save(book)
        books.append(str(book))
    mapping = _mapping(tmp_path / "cot.toml")
    refused = runner.invoke(app, ["trend", *books, "--format", "json"])
    assert refused.exit_code == EXIT_INPUT
    result = runner.invoke(app, ["trend", *books, "--columns", str(mapping), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert "provincial_leaders_under_40" in result.stdout


def test_thongtin_headers_are_mapped_too(tmp_path: Path) -> None:
    import kpi_tritue.app as use

    info = [["Nội dung", "Số liệu"], ["Năm báo cáo", 2023]]
    rows = [WORKFORCE_HEADER, *(person(**p) for p in PEOPLE)]
    book = write_workbook(tmp_path / "b.xlsx", {"ThongTin": info, "NhanSu": rows})
    mapping = _mapping(
        tmp_path / "cot.toml", '[ThongTin.headers]\n"Nội dung" = "item"\n"Số liệu" = "value"\n'
    )
    assert use.validate([str(book)]).report_year != 2023
    assert use.validate([str(book)], columns=mapping).report_year == 2023


def test_a_value_mapping_beats_the_columns_own_values(tmp_path: Path) -> None:
    # This unit writes `Huyện` for its district-run provincial offices: all of them Tỉnh.
    import kpi_tritue.app as use

    standard = _standard(tmp_path / "chuan.xlsx")
    mapping = _mapping(tmp_path / "cot.toml", '[NhanSu.values.level]\n"Huyện" = "Tỉnh"\n')
    frame = use.validate([str(standard)], columns=mapping).tables[WORKFORCE.key].frame
    assert list(frame["level"]) == ["province", "province", "commune", "province"]
