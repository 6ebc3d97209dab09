"""The root cause first, once: what makes a run's other issues mere consequences of it.

A required column missing, the same workbook given twice, files of several report years:
each is one issue, and the checks that would only repeat it are not run (spec
input-format.md, "Problems in the input"):

- a sheet that is there but cannot be read (a required column missing, too many rows...)
  leaves the run without its rows: whether registered units have staff (`completeness`)
  is not judged, since every unit would seem to have none;
- a workbook whose bytes, or whose `NhanSu` rows, are those of a file read before it is
  one error naming both files (`same_data_as`), and its data are not consolidated again
  (each of its people would otherwise be a duplicate ID);
- files of different report years (`report_years_differ`, listing the files of each year)
  are consolidated year by year: the same person in the files of 2023 and 2024 is no
  duplicate, and a year's figures are of that year.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from kpi_tritue.contract.bookkeeping import ROW
from kpi_tritue.contract.schema import INFO, WORKFORCE
from kpi_tritue.io.workbook import LoadedWorkbook, OpenedWorkbook
from kpi_tritue.model.issues import Issue, Severity

# How many files of one report year `report_years_differ` names before it counts the rest.
NAMES_PER_YEAR = 5


def stated_year(workbook: OpenedWorkbook) -> int | None:
    """The report year a workbook states: its `Ngày số liệu`'s, else `Năm báo cáo`."""
    info = workbook.info
    if info.as_of is not None:
        return info.as_of.year
    return info.report_year


def files_by_year(stated: Sequence[tuple[date, str]]) -> str:
    """`2022: a.xlsx, b.xlsx; 2023: c.xlsx, … (+195)`: the files of each year, at most
    `NAMES_PER_YEAR` named per year, so that 600 files make a line, not a page."""
    years: dict[int, list[str]] = {}
    for when, display in sorted(stated, key=lambda item: (item[0].year, item[1])):
        names = years.setdefault(when.year, [])
        if display not in names:
            names.append(display)
    parts = []
    for year, names in years.items():
        shown = ", ".join(names[:NAMES_PER_YEAR])
        if len(names) > NAMES_PER_YEAR:
            shown += f", … (+{len(names) - NAMES_PER_YEAR})"
        parts.append(f"{year}: {shown}")
    return "; ".join(parts)


def year_groups(opened: Sequence[OpenedWorkbook], report_year: int) -> list[list[int]]:
    """The indices of the workbooks of each report year, earliest first; a workbook that
    states no year is of the run's (`report_year`)."""
    groups: dict[int, list[int]] = {}
    for index, workbook in enumerate(opened):
        year = stated_year(workbook)
        groups.setdefault(report_year if year is None else year, []).append(index)
    return [groups[year] for year in sorted(groups)]


def info_unreadable(opened: Sequence[OpenedWorkbook]) -> bool:
    """Whether a workbook has a `ThongTin` sheet with an error in it: what it says of the
    report year is unknown, so falling back to today's date is a consequence, not news."""
    for workbook in opened:
        name = workbook.sheet_names.get(INFO.key)
        if name is None:
            continue
        if any(i.severity is Severity.ERROR and i.sheet == name for i in workbook.issues):
            return True
    return False


def unread_sheets(opened: Sequence[OpenedWorkbook], loaded: Sequence[LoadedWorkbook]) -> set[str]:
    """The keys of the contract sheets that some workbook has but that could not be read
    (a required column missing, too many rows, an unreadable sheet): already an error."""
    return {
        key
        for workbook, done in zip(opened, loaded, strict=True)
        for key in workbook.sheet_names
        if key != INFO.key and key not in done.tables
    }


def same_data(
    loaded: Sequence[LoadedWorkbook], groups: Sequence[Sequence[int]]
) -> tuple[list[Issue], dict[int, str | None]]:
    """Workbooks that repeat one read before them: identical bytes, or identical `NhanSu`
    rows in a workbook of the same report year (`groups`: the same export saved twice).
    One error each, naming both files; and which data to leave out: index → None for the
    whole workbook, or the key of its `NhanSu`."""
    issues: list[Issue] = []
    copies: dict[int, str | None] = {}
    first_of: dict[str, int] = {}
    for index, done in enumerate(loaded):
        first = first_of.setdefault(done.sha256, index)
        if first != index:
            copies[index] = None
            issues.append(_same_data_issue(done, loaded[first], None))
    # The same NhanSu rows: candidates share their length, columns and first and last ID;
    # only those are compared whole, so 200 unit files cost 200 look-ups.
    year_of = {index: n for n, group in enumerate(groups) for index in group}
    seen: dict[tuple[object, ...], list[int]] = {}
    for index, done in enumerate(loaded):
        table = done.tables.get(WORKFORCE.key)
        if index in copies or table is None or not table.height or not len(table.columns):
            continue
        # A list without `Mã` (official-lists.md, section 1) is told by its length and
        # columns alone. (Read without a frame made for the table: `SheetTable.shared`.)
        ids = table.column_array("id") if table.has_column("id") else None
        key = (
            year_of.get(index),
            table.height,
            tuple(table.columns),
            "" if ids is None else str(ids[0]),
            "" if ids is None else str(ids[-1]),
        )
        earlier = seen.setdefault(key, [])
        for other in earlier:
            if _same_rows(loaded[other], done):
                copies[index] = WORKFORCE.key
                issues.append(_same_data_issue(done, loaded[other], table.sheet_name))
                break
        else:
            earlier.append(index)
    return issues, copies


def _same_rows(a: LoadedWorkbook, b: LoadedWorkbook) -> bool:
    """Whether two workbooks' `NhanSu` hold the same values (wherever the rows start)."""
    left = a.tables[WORKFORCE.key].frame.drop(columns=ROW).reset_index(drop=True)
    right = b.tables[WORKFORCE.key].frame.drop(columns=ROW).reset_index(drop=True)
    return bool(left.equals(right))


def _same_data_issue(copy: LoadedWorkbook, first: LoadedWorkbook, sheet: str | None) -> Issue:
    return Issue(
        Severity.ERROR,
        "same_data_as",
        file=copy.display,
        sheet=sheet,
        params={"file": copy.display, "other": first.display},
    )


def without_copies(loaded: list[LoadedWorkbook], copies: dict[int, str | None]) -> None:
    """Leave out what repeats an earlier workbook, and the issues found in it (they are
    the earlier workbook's too)."""
    for index, key in copies.items():
        done = loaded[index]
        if key is None:
            done.tables = {}
            done.issues = []
            continue
        table = done.tables.pop(key, None)
        if table is not None:
            done.issues = [i for i in done.issues if i.sheet != table.sheet_name]


__all__ = [
    "NAMES_PER_YEAR",
    "files_by_year",
    "info_unreadable",
    "same_data",
    "stated_year",
    "unread_sheets",
    "without_copies",
    "year_groups",
]
