"""The annotated copy of a workbook (`kpi validate --annotate DIR`): the file a unit gets back.

A copy of the workbook as validated, with every cell an issue names filled (red for an
error, yellow for a warning) and commented, and a first sheet listing every issue with a
link to its cell and a line on how to fix it. Nothing else changes: values, formulas,
formats, merged cells, data validations and the other sheets are the input's, since the
copy is the input's own bytes loaded by openpyxl (`io/copies.py` hands them over, checked
against the digest of the file validated); a legacy `.xls`/`.ods` is rebuilt as `.xlsx`
from the cells read. Macros of an `.xlsm` are left out (see `load_copy`).
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, time
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from kpi_tritue.errors import OutputError
from kpi_tritue.i18n import Lang, issue_parts, text
from kpi_tritue.i18n.numbers import printable
from kpi_tritue.io.copies import CopySource
from kpi_tritue.io.safe_files import shown_path
from kpi_tritue.model.issues import Issue, Severity, count_by_severity
from kpi_tritue.model.marks import Mark, MarkPlan, moved_to
from kpi_tritue.render.outputs import check_output, write_atomically, write_failed
from kpi_tritue.render.xlsx_cells import (
    DATE_FORMAT,
    FONT_NAME,
    FONT_SIZE,
    fit_row,
    header_row,
    print_setup,
    put,
    put_text,
    widths,
)
from kpi_tritue.render.xlsx_formats import SEVERITY_COLOURS
from kpi_tritue.render.xlsx_report import DATETIME_FORMAT

SUFFIX = ".kiem-tra.xlsx"
# The fills of a marked cell: the worst severity of its issues.
# Red and yellow, light enough for the black text on them to stay readable.
FILLS: dict[Severity, str] = {Severity.ERROR: "FF6B6B", Severity.WARNING: "FFFF00"}
# A comment lists at most this many issues of its cell, each cut to this many characters.
COMMENT_ISSUES = 5
COMMENT_MESSAGE_CHARS = 400
COMMENT_CHARS = 2400
COMMENT_AUTHOR = "kpi"
# An input's stem is kept to this many bytes (UTF-8) in its copy's name, so that the name,
# with its counter and suffix, fits the 255 bytes most file systems allow.
STEM_BYTES = 200
_WIDTHS = (11.0, 20.0, 14.0, 11.0, 62.0, 52.0)
_HEADER_ROW = 4


# ---------------------------------------------------------------------------------------
# Names and the folder


def copy_names(inputs: Sequence[tuple[str, Path]], folder: Path) -> dict[str, Path]:
    """The copy's path for each input (shown name, path), in the order given.

    `<stem>.kiem-tra.xlsx`; inputs of one stem (from different folders) get `<stem>-2…`,
    `<stem>-3…` in the order given (that of their paths), letter case ignored so that no
    copy replaces another on a file system that ignores it; a name that is an input's own
    is passed over too.
    """
    taken = {path.resolve() for _, path in inputs}
    used: set[str] = set()
    names: dict[str, Path] = {}
    for shown, path in inputs:
        stem = _safe_stem(path.stem)
        count = 1
        while True:
            name = f"{stem}{SUFFIX}" if count == 1 else f"{stem}-{count}{SUFFIX}"
            candidate = folder / name
            if name.casefold() not in used and candidate.resolve() not in taken:
                break
            count += 1
        used.add(name.casefold())
        names[shown] = candidate
    return names


def _safe_stem(stem: str) -> str:
    cleaned = re.sub(r"[\x00-\x1f\x7f/\\:*?\"<>|]", "_", stem).strip(" .") or "bang-tinh"
    while len(cleaned.encode("utf-8", "surrogateescape")) > STEM_BYTES:
        cleaned = cleaned[:-1]
    return cleaned


def prepare_folder(folder: Path, lang: Lang) -> None:
    """The folder of the copies, created if missing; `OutputError` if it cannot be."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(write_failed(folder, error, lang)) from error
    if not folder.is_dir():
        shown = shown_path(folder)
        raise OutputError(text("output.no_folder", lang, path=shown, folder=shown))
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(text("output.not_writable", lang, folder=shown_path(folder)))


# ---------------------------------------------------------------------------------------
# The copy


class CopyRefused(Exception):
    """An input kpi read that openpyxl cannot load to copy (a cell past column XFD, XML it
    will not take): no copy of it is written. `detail`: what openpyxl said, its last
    cause's first line, cut."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


def load_copy(source: CopySource) -> Workbook:
    """The workbook the copy is made of: the input's bytes loaded, or its cells rebuilt.

    An `.xlsm` is loaded without its macros and written as `.xlsx`: the copy is for reading
    the problems, a macro in it would only run (or be blocked) on the analyst's and the
    unit's machines, and an `.xlsx` name with macros inside is a file Excel refuses.
    `CopyRefused` when openpyxl cannot load the input's bytes.
    """
    if source.data is not None:
        # The one place the input's workbook is parsed by openpyxl: from the bytes io/ read.
        try:
            return load_workbook(io.BytesIO(source.data), rich_text=True, keep_links=True)
        except Exception as error:  # any of openpyxl's errors on a file it will not take
            raise CopyRefused(_refusal(error)) from error
    book = Workbook()
    book.remove(book.worksheets[0])
    for legacy in source.legacy:
        sheet = book.create_sheet(_sheet_title(legacy.name, book))
        for (row, column), value in legacy.cells.items():
            cell = sheet.cell(row=row, column=column)
            if isinstance(value, str):
                put_text(cell, value)
            else:
                cell.value = value
                if isinstance(value, datetime):
                    cell.number_format = DATE_FORMAT if value.time() == time() else DATETIME_FORMAT

        for first_row, first_column, last_row, last_column in legacy.merged:
            if (first_row, first_column) != (last_row, last_column):
                sheet.merge_cells(
                    start_row=first_row,
                    start_column=first_column,
                    end_row=last_row,
                    end_column=last_column,
                )
    if not book.worksheets:
        book.create_sheet("Sheet1")
    return book


def _sheet_title(name: str, book: Workbook) -> str:
    """A sheet's own name when Excel allows it, else one made allowable and unique."""
    title = re.sub(r"[\[\]:*?/\\]", "_", printable(name))[:31].strip("'") or "Sheet"
    base, count = title, 1
    while title.casefold() in {s.casefold() for s in book.sheetnames}:
        count += 1
        title = f"{base[: 31 - len(str(count)) - 1]}~{count}"
    return title


def annotate(book: Workbook, plan: MarkPlan, lang: Lang, sheets: Mapping[str, Worksheet]) -> None:
    """Mark `book` (the copy of `plan.file`) and put the list of issues first.

    `sheets`: the sheets of `book` by the input's own sheet names (`sheets_by_name`).
    """
    marks = moved_to(plan.marks, _merged_targets(plan.marks, sheets))
    for mark in marks:
        sheet = sheets.get(mark.sheet)
        if sheet is not None:
            _mark(sheet, mark, lang)
    for sheet in book.worksheets:
        sheet.sheet_view.tabSelected = False
    first = book.create_sheet(_free_title(text("annotate.sheet", lang), book), 0)
    _results_sheet(first, plan, sheets, lang)
    book.active = 0
    first.sheet_view.tabSelected = True


def _merged_targets(
    marks: Iterable[Mark], sheets: Mapping[str, Worksheet]
) -> dict[tuple[str, int, int], tuple[int, int]]:
    """A marked cell inside a merged block → the block's first cell, which shows it."""
    targets: dict[tuple[str, int, int], tuple[int, int]] = {}
    for mark in marks:
        sheet = sheets.get(mark.sheet)
        if sheet is None:
            continue
        for block in sheet.merged_cells.ranges:
            if (
                block.min_row <= mark.row <= block.max_row
                and block.min_col <= mark.column <= block.max_col
            ):
                targets[mark.sheet, mark.row, mark.column] = (block.min_row, block.min_col)
                break
    return targets


def _mark(sheet: Worksheet, mark: Mark, lang: Lang) -> None:
    cell = sheet.cell(row=mark.row, column=mark.column)
    if isinstance(cell, MergedCell):  # (moved to its block's first cell already)
        return
    colour = FILLS.get(mark.severity)
    if colour is not None:
        cell.fill = PatternFill("solid", start_color=colour, end_color=colour)
    note = comment_text(mark.issues, lang, text("annotate.sheet", lang))
    earlier = cell.comment
    if earlier is not None and earlier.text:
        note = f"{note}\n—\n{earlier.text}"[:COMMENT_CHARS]
    lines = note.count("\n") + 1 + len(note) // 60
    cell.comment = Comment(note, COMMENT_AUTHOR, width=360, height=min(max(16 * lines, 60), 420))


def comment_text(issues: Sequence[Issue], lang: Lang, listing: str) -> str:
    """The comment of a marked cell: each issue's severity and message, bounded."""
    lines = []
    for issue in issues[:COMMENT_ISSUES]:
        message = printable(issue.message(lang))
        if len(message) > COMMENT_MESSAGE_CHARS:
            message = message[: COMMENT_MESSAGE_CHARS - 1] + "…"
        label = text(f"severity.{issue.severity.value}", lang).capitalize()
        lines.append(f"{label}: {message}")
    if len(issues) > COMMENT_ISSUES:
        more = len(issues) - COMMENT_ISSUES
        lines.append(text("annotate.comment.more", lang, count=more, sheet=listing))
    return "\n".join(lines)[:COMMENT_CHARS]


def sheets_by_name(book: Workbook, source: CopySource) -> dict[str, Worksheet]:
    """The copy's sheets by the input's sheet names: the same names, but for a legacy sheet
    renamed to be allowed in `.xlsx` (the sheets were made in the input's order)."""
    if source.data is not None:
        return {sheet.title: sheet for sheet in book.worksheets}
    return {
        legacy.name: sheet for legacy, sheet in zip(source.legacy, book.worksheets, strict=False)
    }


def _free_title(title: str, book: Workbook) -> str:
    taken = {name.casefold() for name in book.sheetnames}
    candidate, count = title, 1
    while candidate.casefold() in taken:
        count += 1
        candidate = f"{title} ({count})"
    return candidate


def link_location(sheet: str, cell: str) -> str:
    """An internal link's location: `'Sheet name'!F12`, a quote in the name doubled."""
    return "'" + sheet.replace("'", "''") + "'!" + cell


def _results_sheet(
    sheet: Worksheet, plan: MarkPlan, sheets: Mapping[str, Worksheet], lang: Lang
) -> None:
    counts = count_by_severity(plan.listed)
    # The file's name, not the folder it lay in on the analyst's machine.
    name = printable(Path(plan.file).name)
    put(sheet, 1, 1, text("annotate.title", lang, file=name), bold=True, size=14)
    summary = text(
        "annotate.summary",
        lang,
        errors=counts[Severity.ERROR],
        warnings=counts[Severity.WARNING],
        infos=counts[Severity.INFO],
    )
    put(sheet, 2, 1, summary, wrap=True)
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(_WIDTHS))
    sheet.row_dimensions[2].height = 30
    headers = [
        text("col.severity", lang),
        text("xlsx.col.code", lang),
        text("xlsx.col.sheet", lang),
        text("xlsx.col.cell", lang),
        text("annotate.col.problem", lang),
        text("annotate.col.fix", lang),
    ]
    header_row(sheet, _HEADER_ROW, headers)
    widths(sheet, _WIDTHS)
    row = _HEADER_ROW
    for row, issue in enumerate(plan.listed, start=_HEADER_ROW + 1):
        _issue_row(sheet, row, issue, sheets, lang)
    last_column = get_column_letter(len(_WIDTHS))
    sheet.auto_filter.ref = f"A{_HEADER_ROW}:{last_column}{max(row, _HEADER_ROW + 1)}"
    sheet.freeze_panes = f"A{_HEADER_ROW + 1}"
    print_setup(
        sheet,
        title_rows=f"{_HEADER_ROW}:{_HEADER_ROW}",
        last_column=len(_WIDTHS),
        last_row=row,
        footer=text("annotate.sheet", lang),
        lang=lang,
    )


def _issue_row(
    sheet: Worksheet, row: int, issue: Issue, sheets: Mapping[str, Worksheet], lang: Lang
) -> None:
    fill, font = SEVERITY_COLOURS[issue.severity]
    problem, fix = issue_parts(issue.code, lang, issue.params)
    problem, fix = printable(problem), printable(fix)
    if not fix:
        fix = _fallback_fix(issue, lang)
    label = text(f"severity.{issue.severity.value}", lang)
    put(sheet, row, 1, label, fill=fill, colour=font, border=True, wrap=True)
    put(sheet, row, 2, issue.code, colour="595959", border=True, wrap=True)
    put(sheet, row, 3, issue.sheet, border=True, wrap=True)
    place, target = _place(issue, lang)
    cell = put(sheet, row, 4, place, border=True)
    if target is not None and issue.sheet is not None and issue.sheet in sheets:
        cell.hyperlink = Hyperlink(
            ref=cell.coordinate, location=link_location(sheets[issue.sheet].title, target)
        )
        cell.font = Font(name=FONT_NAME, size=FONT_SIZE, color="0563C1", underline="single")
    put(sheet, row, 5, problem, wrap=True, border=True)
    put(sheet, row, 6, fix, wrap=True, border=True)
    fit_row(sheet, row, [(problem, _WIDTHS[4]), (fix, _WIDTHS[5]), (issue.sheet or "", 14.0)])
    for column in range(1, len(_WIDTHS) + 1):
        sheet.cell(row=row, column=column).alignment = Alignment(wrap_text=True, vertical="top")


def _place(issue: Issue, lang: Lang) -> tuple[str | None, str | None]:
    """What the cell column shows, and the cell a link goes to."""
    if issue.cell:
        return issue.cell, issue.cell
    if issue.row is not None:
        return text("annotate.row", lang, row=issue.row), f"A{issue.row}"
    return None, None


def _fallback_fix(issue: Issue, lang: Lang) -> str:
    if issue.severity is Severity.INFO:
        return text("annotate.fix.info", lang)
    if issue.cell:
        return text("annotate.fix.cell", lang, cell=issue.cell)
    return text("annotate.fix.other", lang)


# ---------------------------------------------------------------------------------------
# Writing


def _refusal(error: BaseException) -> str:
    """What openpyxl said of a file it refused: the first line of the error it met first
    (its own error wraps it), cut to a line."""
    while error.__cause__ is not None:
        error = error.__cause__
    said = str(error).strip().splitlines()
    first = said[0] if said else type(error).__name__
    return first if len(first) <= _REFUSAL_CHARS else first[: _REFUSAL_CHARS - 1] + "…"


_REFUSAL_CHARS = 80


def write_copy(
    source: CopySource, plan: MarkPlan, path: Path, inputs: Iterable[Path], lang: Lang
) -> None:
    """Build the annotated copy of `source` and write it to `path`, atomically, never over
    an input. `CopyRefused` (nothing written) when the input cannot be loaded to copy."""
    check_output(path, inputs, lang)
    book = load_copy(source)
    annotate(book, plan, lang, sheets_by_name(book, source))
    write_atomically(path, book.save, lang)


def annotated_lines(
    written: Sequence[tuple[str, Path]],
    changed: Sequence[str],
    unopened: Sequence[str],
    uncopied: Sequence[tuple[str, str]],
    folder: Path,
    lang: Lang,
) -> list[str]:
    """What stderr says after `--annotate`: how many copies, where, and those not written
    (changed since read, not opened at all, or read but not loadable to copy: with what
    was said of it)."""
    shown = printable(str(folder))
    lines = [text("annotate.changed", lang, file=printable(name)) for name in changed]
    lines += [text("annotate.unopened", lang, file=printable(name)) for name in unopened]
    lines += [
        text("annotate.uncopied", lang, file=printable(name), detail=printable(detail))
        for name, detail in uncopied
    ]
    if not written:
        quiet = not changed and not unopened and not uncopied
        none = "annotate.none" if quiet else "annotate.none_written"
        return [*lines, text(none, lang, folder=shown)]
    lines.append(text("annotate.written", lang, count=len(written), folder=shown))
    lines += [
        text("annotate.written_one", lang, file=printable(name), path=printable(str(path)))
        for name, path in written
    ]
    return lines


__all__ = [
    "COMMENT_CHARS",
    "FILLS",
    "SUFFIX",
    "CopyRefused",
    "annotate",
    "annotated_lines",
    "comment_text",
    "copy_names",
    "link_location",
    "load_copy",
    "prepare_folder",
    "sheets_by_name",
    "write_copy",
]
