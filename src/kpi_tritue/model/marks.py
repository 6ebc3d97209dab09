"""Where the issues of one workbook go in its annotated copy (`kpi validate --annotate`).

An issue that names a cell of a sheet marks that cell: red for an error, yellow for a
warning (the worst severity on a cell wins), a comment listing every message of the cell.
Every issue, marked or not, is listed on the copy's first sheet; one without a cell (a
missing sheet or column, a file-level problem) is listed there only. Pure data: the
renderer (`render/annotate.py`) turns a `MarkPlan` into a workbook.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from kpi_tritue.model.issues import SEVERITY_ORDER, Issue, Location, Severity, sorted_issues

_CELL = re.compile(r"^\$?([A-Z]{1,3})\$?([1-9][0-9]{0,6})$")
# Excel's grid: a cell outside it cannot be marked (a hostile issue could name one).
_LAST_COLUMN = 16_384
_LAST_ROW = 1_048_576


def cell_position(cell: str | None) -> tuple[int, int] | None:
    """(1-based row, 1-based column) of an address such as `F12`; None if it is none."""
    if not cell:
        return None
    found = _CELL.match(cell.strip().upper())
    if found is None:
        return None
    column = 0
    for char in found.group(1):
        column = column * 26 + ord(char) - 64
    row = int(found.group(2))
    if column > _LAST_COLUMN or row > _LAST_ROW:
        return None
    return row, column


@dataclass(frozen=True)
class Mark:
    """One cell to mark: the worst severity of its issues, and the issues, in order."""

    sheet: str
    row: int
    column: int
    issues: tuple[Issue, ...]

    @property
    def severity(self) -> Severity:
        return min((issue.severity for issue in self.issues), key=SEVERITY_ORDER.__getitem__)


@dataclass(frozen=True)
class MarkPlan:
    """The marks of one workbook's copy and the issues its first sheet lists."""

    file: str
    marks: tuple[Mark, ...]
    listed: tuple[Issue, ...]

    @property
    def needs_copy(self) -> bool:
        """A copy is worth sending back when the file has an error or a warning of its own
        (an issue of the whole run, with no file, is listed in every copy but makes none)."""
        return any(
            issue.severity is not Severity.INFO and issue.file == self.file for issue in self.listed
        )


def plan_marks(file: str, issues: Iterable[Issue], sheets: Iterable[str]) -> MarkPlan:
    """The plan for the copy of `file`, whose sheets are `sheets`, from the run's issues.

    The issues of `file` are taken, and those of the whole run (no file), errors first,
    then warnings, then notes, each in reading order. An issue of `file` marks a cell when
    it names a sheet the workbook has and a cell address on Excel's grid; the others are
    listed only. An issue of another file that involves `file` too (`Issue.related`: a
    person listed in both) is taken as `file` sees it (`mirrored`): at its own cell.
    """
    present = set(sheets)
    # Errors, warnings, notes, then by file, sheet and cell: the issues' own order.
    own = sorted_issues(
        mirrored(issue) if _only_related(issue, file) else issue
        for issue in issues
        if issue.file in (file, None) or _only_related(issue, file)
    )
    cells: dict[tuple[str, int, int], list[Issue]] = {}
    for issue in own:
        position = cell_position(issue.cell)
        if issue.file is None or issue.sheet not in present or position is None:
            continue
        cells.setdefault((issue.sheet, *position), []).append(issue)
    marks = tuple(
        Mark(sheet, row, column, tuple(found)) for (sheet, row, column), found in cells.items()
    )
    return MarkPlan(file=file, marks=marks, listed=tuple(own))


def _only_related(issue: Issue, file: str) -> bool:
    return issue.file != file and issue.related is not None and issue.related.file == file


def mirrored(issue: Issue) -> Issue:
    """An issue that involves two files (`Issue.related`) as the other file sees it: at
    its own cell, citing the first file's (`other`), so that each copy marks its cell."""
    assert issue.related is not None
    there = issue.related
    where = f"{issue.sheet}!{issue.cell or issue.row}"
    params = dict(issue.params)
    if "other" in params:
        params["other"] = f"{issue.file} › {where}"
    return replace(
        issue,
        file=there.file,
        sheet=there.sheet,
        row=there.row,
        column=there.column,
        cell=there.cell,
        params=params,
        related=Location(issue.file, issue.sheet, issue.row, issue.column, issue.cell),
    )


def moved_to(
    marks: Iterable[Mark], targets: Mapping[tuple[str, int, int], tuple[int, int]]
) -> tuple[Mark, ...]:
    """`marks` with each cell in `targets` moved to its target (a cell inside a merged block
    goes to the block's first cell), marks that land on one cell made one."""
    merged: dict[tuple[str, int, int], list[Issue]] = {}
    for mark in marks:
        row, column = targets.get((mark.sheet, mark.row, mark.column), (mark.row, mark.column))
        merged.setdefault((mark.sheet, row, column), []).extend(mark.issues)
    return tuple(
        Mark(sheet, row, column, tuple(found)) for (sheet, row, column), found in merged.items()
    )


__all__ = ["Mark", "MarkPlan", "cell_position", "mirrored", "moved_to", "plan_marks"]
