"""Issue 16: a person listed twice in lists without `Mã`, found by name, birth date and sex
(official-lists.md, section 1 "No ID column", settled details 2, 3 and 14).

Workbooks are built here with openpyxl; names never reach any output.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook
from typer.testing import CliRunner

from builders import WORKFORCE_HEADER, person, write_workbook
from kpi_tritue.app import validate_annotated
from kpi_tritue.cli import app
from kpi_tritue.contract.privacy import fold
from kpi_tritue.io.dataset import load_dataset
from kpi_tritue.io.identity import (
    IDENTITY,
    identity_codes,
    identity_matches,
    identity_matches_plain,
    name_key,
)
from kpi_tritue.model.issues import Issue, Location, Severity
from kpi_tritue.model.marks import plan_marks
from kpi_tritue.render.annotate import FILLS

runner = CliRunner()

# An official list: `STT`, no `Mã`. The name is in column B.
HEADER = [
    "STT",
    "Họ và tên",
    "Đơn vị",
    "Cấp",
    "Lĩnh vực",
    "Loại",
    "Ngày sinh",
    "Năm sinh",
    "Giới tính",
    "Trình độ chuyên môn",
]
INFO = [["Mục", "Giá trị"], ["Năm báo cáo", 2024]]


def row(
    number: int,
    name: str | None,
    birth_date: Any = "15/03/1985",
    *,
    year: Any = None,
    sex: str | None = "Nam",
    unit: str = "Sở Y tế",
) -> list[Any]:
    return [number, name, unit, "Tỉnh", "Y tế", "Viên chức", birth_date, year, sex, "Đại học"]


def listing(path: Path, *rows: list[Any]) -> Path:
    return write_workbook(path, {"ThongTin": INFO, "NhanSu": [HEADER, *rows]})


def found(*paths: Path) -> list[Issue]:
    dataset = load_dataset([str(p) for p in paths])
    return [i for i in dataset.issues if i.code.startswith("duplicate_person")]


def where(issues: list[Issue]) -> list[tuple[str, str | None, str | None, object]]:
    return [(i.code, i.sheet, i.cell, i.params.get("other")) for i in issues]


# ---------------------------------------------------------------------------------------
# The name as compared


def test_a_name_is_compared_nfc_case_folded_with_its_diacritics() -> None:
    assert name_key("Nguyễn Văn Hùng") != name_key("Nguyễn Văn Hưng")
    assert name_key("NGUYỄN  VĂN HÙNG ") == name_key("nguyễn văn hùng")
    decomposed = unicodedata.normalize("NFD", "Nguyễn Văn Hùng")
    assert decomposed != "Nguyễn Văn Hùng"
    assert name_key(decomposed) == name_key("Nguyễn Văn Hùng")
    assert name_key(None) == name_key(float("nan")) == name_key("  ") == ""


@given(
    st.lists(
        st.sampled_from(["Hùng", "HÙNG", "Hu\u0300ng", "Hưng", " hùng ", "", None]), max_size=12
    )
)
def test_names_have_equal_identities_exactly_when_their_keys_are_equal(
    names: list[str | None],
) -> None:
    codes = identity_codes(pd.Series(names, dtype="object"))
    keys = [name_key(name) for name in names]
    assert codes.isna().tolist() == [key == "" for key in keys]
    for i, a in enumerate(keys):
        for j, b in enumerate(keys):
            if a and b:
                assert (codes.iloc[i] == codes.iloc[j]) == (a == b)


# ---------------------------------------------------------------------------------------
# The rule, in workbooks


def test_the_same_name_and_birth_date_is_an_error_at_the_later_name_cell(tmp_path: Path) -> None:
    path = listing(
        tmp_path / "a.xlsx",
        row(1, "Nguyễn Văn Hùng"),
        row(2, "Nguyễn Văn Hưng"),  # another name: diacritics count
        row(3, "NGUYỄN VĂN HÙNG"),
    )
    dataset = load_dataset([str(path)])
    issues = [i for i in dataset.issues if i.code.startswith("duplicate_person")]
    assert where(issues) == [("duplicate_person", "NhanSu", "B4", "NhanSu!B2")]
    assert issues[0].severity is Severity.ERROR and issues[0].row == 4
    assert issues[0].column == "Họ và tên"
    assert set(issues[0].params) == {"other"}
    assert "The same person as NhanSu!B2 (same name and birth date)" in issues[0].message("en")
    assert "NhanSu!B2" in issues[0].message("vi")
    frame = dataset.tables["workforce"].frame
    assert frame["_invalid"].tolist() == [False, False, True]  # the later row only
    assert IDENTITY not in frame.columns  # the identities are dropped once checked


def test_the_year_alone_is_a_warning(tmp_path: Path) -> None:
    path = listing(
        tmp_path / "a.xlsx",
        row(1, "Lê Thị Hoa", None, year=1990, sex="Nữ"),
        row(2, "Lê Thị Hoa", "01/02/1990", sex="Nữ"),  # a date against a year: the year
        row(3, "Trần Văn Bình", "01/02/1990"),
        row(4, "Trần Văn Bình", "02/02/1990"),  # two full dates that differ: two people
    )
    issues = found(path)
    assert where(issues) == [("duplicate_person_year", "NhanSu", "B3", "NhanSu!B2")]
    assert issues[0].severity is Severity.WARNING
    assert "same name and birth year" in issues[0].message("en")
    frame = load_dataset([str(path)]).tables["workforce"].frame
    assert not frame["_invalid"].any()  # a warning invalidates nothing


def test_sex_is_compared_only_where_both_rows_have_it(tmp_path: Path) -> None:
    path = listing(
        tmp_path / "a.xlsx",
        row(1, "Phạm Minh Anh", sex="Nam"),
        row(2, "Phạm Minh Anh", sex="Nữ"),  # another person
        row(3, "Phạm Minh Anh", sex=None),  # either of them: the first
    )
    assert where(found(path)) == [("duplicate_person", "NhanSu", "B4", "NhanSu!B2")]


def test_rows_without_a_name_or_a_birth_year_are_not_compared(tmp_path: Path) -> None:
    path = listing(
        tmp_path / "a.xlsx",
        row(1, None),
        row(2, None),
        row(3, "Võ Văn Tâm", None),
        row(4, "Võ Văn Tâm", None),
    )
    assert found(path) == []


def test_an_error_match_wins_over_an_earlier_warning_one(tmp_path: Path) -> None:
    path = listing(
        tmp_path / "a.xlsx",
        row(1, "Đỗ Thu Hà", None, year=1985, sex="Nữ"),
        row(2, "Đỗ Thu Hà", sex="Nữ"),
        row(3, "Đỗ Thu Hà", sex="Nữ"),
    )
    assert where(found(path)) == [
        ("duplicate_person", "NhanSu", "B4", "NhanSu!B3"),
        ("duplicate_person_year", "NhanSu", "B3", "NhanSu!B2"),
    ]


def test_across_files_the_other_file_is_cited_by_its_shown_name(tmp_path: Path) -> None:
    a = listing(tmp_path / "a.xlsx", row(1, "Hồ Văn Nam"), row(2, "Lý Thị Mai", sex="Nữ"))
    b = listing(tmp_path / "b.xlsx", row(1, "Lý Thị Mai", sex="Nữ"))
    issues = found(a, b)
    assert len(issues) == 1
    issue = issues[0]
    assert (issue.file, issue.cell) == (str(b), "B2")
    assert issue.params["other"] == f"{a} › NhanSu!B3"
    assert issue.related == Location(str(a), "NhanSu", 3, "Họ và tên", "B3")


def test_rows_that_both_have_an_id_are_compared_by_id_only(tmp_path: Path) -> None:
    with_ids = [*WORKFORCE_HEADER, "Giới tính"]
    a = write_workbook(
        tmp_path / "a.xlsx",
        {"ThongTin": INFO, "NhanSu": [with_ids, [*person("A1"), "Nam"], [*person("A2"), "Nam"]]},
    )
    b = write_workbook(
        tmp_path / "b.xlsx", {"ThongTin": INFO, "NhanSu": [with_ids, [*person("B1"), "Nam"]]}
    )
    # Three rows of one name and birth date, with three IDs: three people.
    assert found(a, b) == []
    # A list without `Mã`: its row is compared by name with the rows that have one.
    c = listing(tmp_path / "c.xlsx", row(1, "Nguyễn Văn An"))
    assert where(found(a, c)) == [("duplicate_person", "NhanSu", "B2", f"{a} › NhanSu!B2")]


def test_many_repeats_are_a_few_issues_and_a_count(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KPI_MAX_ISSUES_PER_CODE", "3")
    path = listing(tmp_path / "a.xlsx", *(row(n, "Bùi Văn Long") for n in range(1, 11)))
    dataset = load_dataset([str(path)])
    issues = [i for i in dataset.issues if "duplicate_person" in (i.code, i.params.get("code"))]
    assert [i.code for i in issues] == ["duplicate_person"] * 3 + ["more_issues"]
    assert issues[-1].weight == 6
    assert dataset.tables["workforce"].frame["_invalid"].sum() == 9  # every later row


# ---------------------------------------------------------------------------------------
# The fast matches follow the rule

_ROWS = st.lists(
    st.tuples(
        st.integers(-1, 2),  # name (-1: none)
        st.sampled_from([-1, 1980, 1981]),  # year (-1: none)
        st.sampled_from([0, 1, 2]),  # day of a full date (0: the year alone)
        st.integers(-1, 1),  # sex (-1: blank)
        st.booleans(),  # the sheet has `Mã`
    ),
    max_size=30,
)


@given(_ROWS)
def test_the_fast_matches_are_the_rules(generated: list[tuple[int, int, int, int, bool]]) -> None:
    rows = pd.DataFrame(
        {
            "name": [r[0] for r in generated],
            "date": [r[1] * 10 + r[2] if r[1] >= 0 and r[2] else -1 for r in generated],
            "year": [r[1] for r in generated],
            "sex": [r[3] for r in generated],
            "with_id": [r[4] for r in generated],
        },
        dtype="int64",
    ).astype({"with_id": bool})
    fast, plain = identity_matches(rows), identity_matches_plain(rows)
    order = np.argsort(fast[0], kind="stable")
    assert [found[order].tolist() for found in fast] == [found.tolist() for found in plain]


# ---------------------------------------------------------------------------------------
# No name in any output

NAMES = ("Nguyễn Văn Hùng", "Lê Thị Hoa", "Trần Quốc Tuấn")


def test_no_name_reaches_validate_or_compute(tmp_path: Path) -> None:
    a = listing(
        tmp_path / "a.xlsx",
        row(1, NAMES[0]),
        row(2, NAMES[0]),
        row(3, NAMES[1], None, year=1990, sex="Nữ"),
        row(4, NAMES[1], "03/04/1990", sex="Nữ"),
    )
    b = listing(tmp_path / "b.xlsx", row(1, NAMES[2], "05/06/1979"), row(2, NAMES[0]))
    texts: list[str] = []
    for lang in ("vi", "en"):
        for command in (["validate"], ["compute", "--skip-invalid"]):
            for fmt in ("table", "json"):
                args = [*command, str(a), str(b), "--format", fmt, "--lang", lang]
                result = runner.invoke(app, args)
                assert result.exit_code in (0, 1, 3), result.output
                texts.append(result.output)
    validated = json.loads(
        runner.invoke(app, ["validate", str(a), str(b), "--format", "json"]).stdout
    )
    codes = [i["code"] for i in validated["issues"]]
    assert codes.count("duplicate_person") == 2 and codes.count("duplicate_person_year") == 1
    whole = "\n".join(texts)
    folded = fold(whole)
    for name in NAMES:
        assert name not in whole and name.upper() not in whole
        assert fold(name) not in folded


# ---------------------------------------------------------------------------------------
# --annotate: each file's copy marks its own cell


def test_a_person_in_two_files_is_marked_in_each_copy(tmp_path: Path) -> None:
    a = listing(tmp_path / "a.xlsx", row(1, "Hồ Văn Nam"), row(2, "Lý Thị Mai", sex="Nữ"))
    b = listing(tmp_path / "b.xlsx", row(1, "Lý Thị Mai", sex="Nữ"))
    _, done = validate_annotated([str(a), str(b)], tmp_path / "out", "en")
    copies = dict(done.written)
    assert set(copies) == {str(a), str(b)}
    for path, cell, other in ((b, "B2", f"{a} › NhanSu!B3"), (a, "B3", f"{b} › NhanSu!B2")):
        sheet = load_workbook(copies[str(path)])["NhanSu"]
        marked = {c.coordinate for r in sheet.iter_rows() for c in r if c.comment is not None}
        assert marked == {cell}, path
        assert sheet[cell].fill.start_color.rgb.endswith(FILLS[Severity.ERROR])
        assert other in sheet[cell].comment.text


def test_an_id_repeated_in_two_files_is_marked_in_each_copy(tmp_path: Path) -> None:
    a = write_workbook(
        tmp_path / "a.xlsx", {"ThongTin": INFO, "NhanSu": [WORKFORCE_HEADER, person("X1")]}
    )
    b = write_workbook(
        tmp_path / "b.xlsx",
        {"ThongTin": INFO, "NhanSu": [WORKFORCE_HEADER, person("Y1"), person("X1")]},
    )
    _, done = validate_annotated([str(a), str(b)], tmp_path / "out", "en")
    copies = dict(done.written)
    for path, cell in ((a, "A2"), (b, "A3")):
        sheet = load_workbook(copies[str(path)])["NhanSu"]
        assert sheet[cell].comment is not None, path


def test_an_issue_without_a_cell_is_listed_only() -> None:
    related = Issue(
        Severity.ERROR,
        "duplicate_person",
        file="b.xlsx",
        sheet="NhanSu",
        row=2,
        cell="B2",
        params={"other": "a.xlsx › NhanSu!B5"},
        related=Location("a.xlsx", "DS", 5, "Họ và tên", "B5"),
    )
    sheetless = Issue(Severity.ERROR, "header_not_found", file="a.xlsx", sheet="DS")
    plan = plan_marks("a.xlsx", [related, sheetless], ["DS"])
    assert [(m.sheet, m.row, m.column) for m in plan.marks] == [("DS", 5, 2)]
    (mark,) = plan.marks
    assert mark.issues[0].params["other"] == "b.xlsx › NhanSu!B2"
    assert mark.issues[0].file == "a.xlsx" and mark.issues[0].cell == "B5"
    assert sheetless in plan.listed and len(plan.listed) == 2
    # The first file's own copy is unchanged: its issue at its cell.
    other = plan_marks("b.xlsx", [related], ["NhanSu"])
    assert [(m.sheet, m.row, m.column) for m in other.marks] == [("NhanSu", 2, 2)]


# ---------------------------------------------------------------------------------------
# An official list: the birth date split into `Nam` / `Nữ`, which give the sex

OFFICIAL_HEADER = [
    ["STT", "Họ và tên", "Ngày tháng năm sinh", None, "Đơn vị công tác"],
    [None, None, "Nam", "Nữ", None],
]
OFFICIAL_HEADER[0] += ["Trình độ chuyên môn cao nhất", "Cấp", "Lĩnh vực", "Loại"]
OFFICIAL_HEADER[1] += [None, None, None, None]


def official(number: int, name: str, male: Any = None, female: Any = None) -> list[Any]:
    return [number, name, male, female, "Sở Nội vụ", "Đại học", "Tỉnh", "Quản lý nhà nước"] + [
        "Công chức"
    ]


def test_an_official_list_takes_the_sex_from_the_birth_columns(tmp_path: Path) -> None:
    rows = [
        *OFFICIAL_HEADER,
        list(range(1, 10)),
        official(1, "Nguyễn Văn An", male="15/03/1985"),  # row 4
        official(2, "Trần Thị Bích", female="02/05/1990"),
        official(3, "Nguyễn Văn An", male="15/03/1985"),  # the same person as row 4
        official(4, "Nguyễn Văn An", female="15/03/1985"),  # a woman: another person
        official(5, "Trần Thị Bích", male="02/05/1990"),  # a man: another person
    ]
    merges = ["C1:D1", "A1:A2", "B1:B2", "E1:E2", "F1:F2", "G1:G2", "H1:H2", "I1:I2"]
    path = write_workbook(
        tmp_path / "ds.xlsx", {"Sheet1": rows, "ThongTin": INFO}, {"Sheet1": merges}
    )
    assert where(found(path)) == [
        ("duplicate_person", "Sheet1", "B6", "Sheet1!B4"),
    ]
