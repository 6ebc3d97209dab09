"""The annotated copy's renderer and its model, on issues built by hand."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from kpi_tritue.i18n import ISSUE_MESSAGES, issue_message, issue_parts
from kpi_tritue.io.copies import CopySource, LegacySheet, cell_value
from kpi_tritue.model.issues import Issue, Severity, column_letter
from kpi_tritue.model.marks import cell_position, plan_marks
from kpi_tritue.render.annotate import (
    COMMENT_CHARS,
    FILLS,
    annotate,
    comment_text,
    copy_names,
    link_location,
    load_copy,
    sheets_by_name,
)

QUOTED = "Bảng 'A'"


def _issue(
    severity: Severity = Severity.ERROR,
    code: str = "required_blank",
    sheet: str | None = "NhanSu",
    cell: str | None = "C3",
    file: str | None = "a.xlsx",
    **params: str | int,
) -> Issue:
    row = cell_position(cell)[0] if cell_position(cell) else None
    return Issue(severity, code, file=file, sheet=sheet, row=row, cell=cell, params=params)


def _book() -> Workbook:
    book = Workbook()
    first = book.active
    assert first is not None
    first.title = "NhanSu"
    first["A1"] = "Mã"
    first.merge_cells("D5:E6")
    book.create_sheet(QUOTED)["B2"] = 7
    return book


def _annotated(issues: list[Issue], lang: str = "vi") -> Workbook:
    book = _book()
    plan = plan_marks("a.xlsx", issues, book.sheetnames)
    annotate(book, plan, "vi" if lang == "vi" else "en", {s.title: s for s in book.worksheets})
    return book


def _fill(book: Workbook, sheet: str, cell: str) -> str | None:
    found = book[sheet][cell]
    return str(found.fill.fgColor.rgb)[-6:] if found.fill.fill_type == "solid" else None


def test_an_error_wins_over_a_warning_on_one_cell() -> None:
    book = _annotated(
        [
            _issue(Severity.WARNING, cell="C3"),
            _issue(Severity.ERROR, cell="C3", code="bad_enum"),
            _issue(Severity.WARNING, cell="B4"),
        ]
    )
    assert _fill(book, "NhanSu", "C3") == FILLS[Severity.ERROR]
    assert _fill(book, "NhanSu", "B4") == FILLS[Severity.WARNING]
    comment = book["NhanSu"]["C3"].comment
    assert comment is not None
    # One comment lists both, the error first.
    assert comment.text.splitlines()[0].startswith("Lỗi: ")
    assert comment.text.splitlines()[1].startswith("Cảnh báo: ")


def test_a_note_is_commented_but_not_filled() -> None:
    book = _annotated([_issue(Severity.INFO, code="totals_row_skipped", cell="A9")])
    assert _fill(book, "NhanSu", "A9") is None
    assert book["NhanSu"]["A9"].comment is not None


def test_a_mark_inside_a_merged_block_goes_to_its_first_cell() -> None:
    book = _annotated([_issue(cell="E6")])
    assert _fill(book, "NhanSu", "D5") == FILLS[Severity.ERROR]
    assert book["NhanSu"]["D5"].comment is not None


def test_a_sheet_name_with_quotes_is_escaped_in_the_link(tmp_path: Path) -> None:
    assert link_location(QUOTED, "B2") == "'Bảng ''A'''!B2"
    book = _annotated([_issue(sheet=QUOTED, cell="B2")])
    path = tmp_path / "x.xlsx"
    book.save(path)
    again = load_workbook(path)
    link = again["Kết quả kiểm tra"]["D5"].hyperlink
    assert link is not None and link.location == "'Bảng ''A'''!B2"
    assert again[QUOTED]["B2"].value == 7


def test_issues_of_other_files_and_sheets_elsewhere_are_left_out() -> None:
    plan = plan_marks(
        "a.xlsx",
        [
            _issue(file="b.xlsx"),
            _issue(sheet="SoLieu", cell="A2"),  # a sheet the workbook lacks: listed only
            _issue(cell=None),
            _issue(file=None, cell=None, code="as_of_today", severity=Severity.WARNING),
            _issue(cell="ZZZZ1"),  # off Excel's grid
        ],
        ["NhanSu"],
    )
    assert plan.marks == ()
    assert len(plan.listed) == 4
    assert plan.needs_copy


def test_only_notes_or_issues_of_the_run_make_no_copy() -> None:
    notes = [
        _issue(Severity.INFO, code="totals_row_skipped"),
        _issue(Severity.WARNING, file=None, cell=None),
    ]
    assert not plan_marks("a.xlsx", notes, ["NhanSu"]).needs_copy


def test_a_comment_is_bounded_whatever_the_issues() -> None:
    long = "x" * 5000
    issues = [_issue(code="bad_enum", value=long, column="C", allowed=long)] * 40
    note = comment_text(issues, "vi", "Kết quả kiểm tra")
    assert len(note) <= COMMENT_CHARS
    assert "35 vấn đề khác" in note


def test_a_legacy_copy_is_built_from_the_cells_read() -> None:
    source = CopySource(
        display="a.xls",
        path=Path("a.xls"),
        sheet_names=("NhanSu", "a/b:c"),
        legacy=(
            LegacySheet("NhanSu", {(1, 1): "Mã", (2, 1): "=1+1", (2, 2): 3}, ((1, 1, 1, 3),)),
            LegacySheet("a/b:c", {(1, 1): 1.5}),
        ),
    )
    book = load_copy(source)
    assert book.sheetnames == ["NhanSu", "a_b_c"]
    assert book["NhanSu"]["A2"].data_type == "s"  # text that looks like a formula stays text
    assert set(map(str, book["NhanSu"].merged_cells.ranges)) == {"A1:C1"}
    assert sheets_by_name(book, source)["a/b:c"].title == "a_b_c"


def test_cell_values_come_back_as_numbers_and_dates_only_when_exact() -> None:
    assert cell_value("12") == 12 and isinstance(cell_value("12"), int)
    assert cell_value("012") == "012"
    assert cell_value("1.5") == 1.5
    assert cell_value("1.50") == "1.50"
    assert cell_value("1975-05-16 00:00:00") == datetime(1975, 5, 16)
    assert cell_value("1975-02-31") == "1975-02-31"
    assert cell_value("=SUM(A1)") == "=SUM(A1)"


def test_copy_names_never_meet_ignoring_letter_case(tmp_path: Path) -> None:
    names = copy_names(
        [("a/Bao.xlsx", tmp_path / "a" / "Bao.xlsx"), ("b/bao.ods", tmp_path / "b" / "bao.ods")],
        tmp_path / "out",
    )
    assert [p.name for p in names.values()] == ["Bao.kiem-tra.xlsx", "bao-2.kiem-tra.xlsx"]


@given(st.integers(min_value=0, max_value=16_383), st.integers(min_value=1, max_value=1_048_576))
def test_cell_positions_read_back_what_column_letters_write(column: int, row: int) -> None:
    assert cell_position(f"{column_letter(column)}{row}") == (row, column + 1)


def test_every_message_splits_into_what_is_wrong_and_how_to_fix_it() -> None:
    # A value quoted in a message (with its own `. `) never moves the cut.
    params = {"value": "Số. Hai", "path": "a. b", "count": 3}
    joined, split = [], 0
    for code in ISSUE_MESSAGES:
        for lang in ("vi", "en"):
            problem, fix = issue_parts(code, lang, params)
            split += bool(fix)
            # The cut is the template's, never inside a quoted value.
            assert not fix.startswith(("Hai", "b ")), (code, lang)
            joined.append((" ".join(part for part in (problem, fix) if part), code, lang))
    assert joined == [(issue_message(code, lang, params), code, lang) for _, code, lang in joined]
    assert split > len(ISSUE_MESSAGES)  # most messages say how to fix in a sentence of its own


def test_a_long_vietnamese_name_still_fits_a_file_name(tmp_path: Path) -> None:
    stem = "Báo cáo đội ngũ cán bộ " * 20
    (name,) = copy_names([("x", tmp_path / f"{stem}.xlsx")], tmp_path).values()
    assert len(name.name.encode()) <= 255
    assert name.name.endswith(".kiem-tra.xlsx")
