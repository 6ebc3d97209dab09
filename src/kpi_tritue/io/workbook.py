"""Open one workbook: its sheets matched to the contract and its `ThongTin` read; then its tables.

`open_workbook` tells what a workbook is (its sheets, the report year and reference date it
states, or that it is a report `kpi export` wrote) before any data sheet is read;
`read_tables` then reads each sheet of the contract (`sheet.read_table`) with the dataset's
reference date.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from kpi_tritue.contract.bookkeeping import ROW
from kpi_tritue.contract.normalize import fold, unit_key
from kpi_tritue.contract.privacy import QUOTE_LENGTH, quote
from kpi_tritue.contract.schema import (
    CATEGORY,
    CONTRACT,
    INFO,
    UNITS,
    WORKFORCE,
    Contract,
    SheetSpec,
)
from kpi_tritue.contract.values import Bounds, clean_column, parse_date, parse_year
from kpi_tritue.io import read_ahead
from kpi_tritue.io.data_rows import drop_unit_headings
from kpi_tritue.io.headers import Cells, HeaderFit, find_header, header_fit
from kpi_tritue.io.load_ahead import PartsAhead
from kpi_tritue.io.reader import Workbook
from kpi_tritue.io.sheet import (
    SheetHead,
    Taken,
    lacks_ids,
    parse_taken,
    sheet_cells,
    take_head,
    take_rows,
)
from kpi_tritue.io.sheet_table import Reporter, SheetTable
from kpi_tritue.io.sheet_xml import UnreadableWorkbook
from kpi_tritue.io.workbook_file import sha256_of
from kpi_tritue.model.issues import Issue, Severity, column_letter


@dataclass(frozen=True)
class ReportInfo:
    """What a workbook's `ThongTin` sheet says about itself."""

    report_year: int | None = None
    as_of: date | None = None
    reporting_unit: str | None = None
    # `Loại`: the category of every row of a list without that column (a code of CATEGORY).
    category: str | None = None


@dataclass
class OpenedWorkbook:
    """A workbook whose sheets are matched to the contract and whose `ThongTin` is read."""

    path: Path
    display: str
    sha256: str
    workbook: Workbook
    sheet_names: dict[str, str]
    info: ReportInfo
    issues: list[Issue] = field(default_factory=list)
    info_table: SheetTable | None = None

    def __getstate__(self) -> dict[str, Any]:
        # Sent to another process (`io/shards.py`) without its reader, which holds the
        # file and cannot cross: there its sheets have been read already.
        return {**self.__dict__, "workbook": None}


@dataclass
class LoadedWorkbook:
    """One workbook read: its tables by sheet key, and every issue found in it."""

    display: str
    sha256: str
    tables: dict[str, SheetTable]
    issues: list[Issue]


def open_workbook(
    path: Path, display: str, contract: Contract = CONTRACT, *, info: bool = True
) -> OpenedWorkbook | list[Issue]:
    """Open a workbook, match its sheets to the contract and read its `ThongTin` (unless
    `info` is False: then `read_infos` reads it, with the others of the run).

    Returns the issues instead when the file cannot be used at all.
    """
    reporter = Reporter(display, None)
    try:
        workbook = read_ahead.opened(path)
        digest = workbook.digest or sha256_of(path)
        names = workbook.sheet_names
    except UnreadableWorkbook as error:
        reporter.add(Severity.ERROR, error.reason, params={"detail": error.detail, **error.params})
        return reporter.issues
    except OSError as error:
        reporter.add(Severity.ERROR, "unreadable_file", detail=error.strerror or str(error))
        return reporter.issues

    report_sheet = _own_report_sheet(workbook, names, contract)
    if report_sheet is not None:
        reporter.add(
            Severity.INFO, "own_report_skipped", sheet=report_sheet, sheets=", ".join(names)
        )
        return reporter.issues

    matched: dict[str, str] = {}
    unknown: list[str] = []
    for name in names:
        spec = contract.match_sheet(name)
        if spec is None:
            unknown.append(name)
        elif spec.key in matched:
            reporter.add(
                Severity.WARNING,
                "duplicate_sheet",
                sheet=name,
                name=name,
                other=matched[spec.key],
                expected=spec.name,
            )
        else:
            matched[spec.key] = name
    if WORKFORCE.key not in matched:
        unknown = _find_list(workbook, unknown, matched, contract, reporter)
    if not matched and not any(i.code == "header_not_found" for i in reporter.issues):
        # `NhanSu` is required of the run, not of every file (`inputs.missing_workforce`);
        # a file with no sheet of the contract at all is an error of its own, which lists
        # its sheets (so no `unknown_sheet` beside it).
        reporter.add(
            Severity.ERROR,
            "no_contract_sheet",
            sheets=listed(names),
            expected=", ".join(spec.name for spec in contract.sheets),
        )
    for position, name in enumerate(unknown if matched else ()):
        # Each is in a sheet of its own: the limit of issues is counted over the file.
        if position < reporter.log.limit:
            reporter.add(Severity.INFO, "unknown_sheet", sheet=name, name=name)
        else:
            reporter.log.omit(Severity.INFO, "unknown_sheet", display, None, 1, None)

    opened = OpenedWorkbook(
        path=path,
        display=display,
        sha256=digest,
        workbook=workbook,
        sheet_names=matched,
        info=ReportInfo(),
        issues=reporter.issues,
    )
    if info:
        read_infos([opened], contract)
    return opened


def _find_list(
    workbook: Workbook,
    unknown: list[str],
    matched: dict[str, str],
    contract: Contract,
    reporter: Reporter,
) -> list[str]:
    """The `NhanSu` of a file that has none by name, found by its header (official-lists.md,
    settled 11): among the visible sheets whose names match no sheet of the contract, the
    one whose first rows hold the headers of a list (unit, qualification, a birth header,
    `Mã` or `Họ và tên`) is taken, with an `info`; two are an error naming both. A file
    with no data sheet of the contract and no such sheet gets `header_not_found` for the
    sheet that comes closest (one that holds at least one header of a list).

    The sheets looked at are read once: the one taken is kept for `take_head`. Returns
    the sheets left unknown.
    """
    spec = next((s for s in contract.sheets if s.key == WORKFORCE.key), None)
    hidden = workbook.hidden_sheets
    candidates = [name for name in unknown if name not in hidden]
    if spec is None or not candidates:
        return unknown
    fits: dict[str, tuple[HeaderFit, Cells]] = {}
    for name in candidates:
        try:
            raw = workbook.read_sheet(name, keep=True)
        except UnreadableWorkbook:
            continue
        cells = sheet_cells(raw)
        fits[name] = (header_fit(cells, spec), cells)
    lists = [name for name, (fit, _) in fits.items() if fit.complete]
    for name in fits:
        if name not in lists[:1] or len(lists) > 1:
            workbook.release(name)
    if len(lists) == 1:
        (name,) = lists
        matched[WORKFORCE.key] = name
        reporter.add(Severity.INFO, "workforce_sheet_by_content", sheet=name, name=name)
        return [n for n in unknown if n != name]
    if len(lists) > 1:
        reporter.add(Severity.ERROR, "workforce_sheets_ambiguous", sheets=listed(lists))
        return [n for n in unknown if n not in lists]
    data_sheets = set(matched) - {INFO.key}
    closest = max(fits, key=lambda name: fits[name][0].count, default=None)
    if data_sheets or closest is None or fits[closest][0].count == 0:
        return unknown
    reporter.log.extend(_not_found_at(fits[closest][1], spec, reporter.file, closest))
    return [n for n in unknown if n != closest]


def _not_found_at(cells: Cells, spec: SheetSpec, display: str, name: str) -> list[Issue]:
    """`find_header`'s `header_not_found` for the sheet `name`, as its own reporter says it."""
    found = Reporter(display, name)
    find_header(cells, spec, found)
    return found.issues


LISTED = 10


def listed(names: Sequence[str], most: int = LISTED, *, paths: bool = False) -> str:
    """Names as a message lists them: the first `most`, each cut (`quote`; a path keeps
    its end, the file's name), then how many more (`a, b, … (+12)`); `—` for none. A
    hostile file may hold thousands of sheets."""
    if not names:
        return "—"
    cut = [_tail(name) if paths else quote(name) for name in names[:most]]
    return ", ".join(cut) + (f", … (+{len(names) - most})" if len(names) > most else "")


def _tail(path: str) -> str:
    return quote(path if len(path) <= QUOTE_LENGTH else "…" + path[1 - QUOTE_LENGTH :])


# Years in ThongTin are bounded only loosely: the report year is what is being read.
_LOOSE = Bounds(report_year=9999, as_of=date(9999, 12, 31))


def read_infos(opened: Sequence[OpenedWorkbook], contract: Contract = CONTRACT) -> None:
    """Read the `ThongTin` of each workbook that has one: the headers file by file, the
    cells parsed once for all (`parse_taken`), then what each says, in its own issues."""
    with fewer_collections():
        _read_infos(opened, contract)


def _read_infos(opened: Sequence[OpenedWorkbook], contract: Contract) -> None:
    having = [w for w in opened if INFO.key in w.sheet_names]
    infos_read(having, [info_head(workbook, contract) for workbook in having], contract)


def info_head(workbook: OpenedWorkbook, contract: Contract) -> tuple[SheetHead | None, Reporter]:
    """The first half of `read_infos`, for one workbook that has a `ThongTin`: the sheet
    read and its header found (`take_head`)."""
    spec = _info_spec(contract)
    return take_head(workbook.workbook, workbook.display, workbook.sheet_names[INFO.key], spec)


def infos_read(
    having: Sequence[OpenedWorkbook],
    found: Sequence[tuple[SheetHead | None, Reporter]],
    contract: Contract,
) -> None:
    """The second half of `read_infos`: of the workbooks `having` a `ThongTin`, with their
    `info_head` (`found`, one a workbook), the data rows picked and the cells parsed once
    for all, then what each says, in its own issues."""
    spec = _info_spec(contract)
    heads = [(w, head) for w, (head, _) in zip(having, found, strict=True) if head is not None]
    reporters = [reporter for _, reporter in found]
    taken = list(zip([w for w, _ in heads], take_rows([h for _, h in heads], spec), strict=True))
    tables = parse_taken([t for _, t in taken], spec, _LOOSE)
    by_workbook = {id(w): table for (w, _), table in zip(taken, tables, strict=True)}
    for workbook, reporter in zip(having, reporters, strict=True):
        workbook.issues.extend(reporter.issues)
        table = by_workbook.get(id(workbook))
        if table is not None:
            _read_info(workbook, table)


def _info_spec(contract: Contract) -> SheetSpec:
    return next((s for s in contract.sheets if s.key == INFO.key), INFO)


def _read_info(opened: OpenedWorkbook, table: SheetTable) -> None:
    loose = _LOOSE
    opened.info_table = table
    reporter = Reporter(opened.display, table.sheet_name)
    if "value" not in table.headers:
        _report_missing_value_column(table, reporter)
        opened.issues.extend(reporter.issues)
        return
    found: dict[str, Any] = {}
    frame = table.frame
    for entry, text, row in zip(frame["item"], frame["value"], frame[ROW], strict=True):
        if pd.isna(entry) or pd.isna(text):
            continue
        if entry == "reporting_unit":
            found[entry] = text
            continue
        if entry == "category":
            value, problem = _parse_category(str(text))
        else:
            parser = parse_year if entry == "report_year" else parse_date
            value, problem = parser(str(text), loose)
        if problem is None:
            found[entry] = value
        else:
            reporter.add(
                Severity.ERROR,
                f"bad_{entry}",
                row=int(row),
                column=table.headers.get("value"),
                cell=table.cell("value", int(row)),
                value=str(text)[:80],
                params={"expected": CATEGORY.choices("vi")} if entry == "category" else None,
            )
    opened.issues.extend(reporter.issues)
    opened.info = ReportInfo(
        report_year=found.get("report_year"),
        as_of=found.get("as_of"),
        reporting_unit=found.get("reporting_unit"),
        category=found.get("category"),
    )


def _parse_category(text: str) -> tuple[str | None, str | None]:
    """`Loại` in ThongTin: a value of NhanSu's `Loại` (`Công chức`, `Viên chức`...)."""
    code = CATEGORY.lookup.get(fold(text))
    return (code, None) if code is not None else (None, "bad")


def _report_missing_value_column(table: SheetTable, reporter: Reporter) -> None:
    """`ThongTin` has its `Mục` header but no `Giá trị` beside it: nothing it says is read."""
    row = table.header_row
    letter = table.letters.get("item")
    cell = f"{column_letter(_column_index(letter) + 1)}{row}" if letter and row else None
    reporter.add(
        Severity.ERROR,
        "info_value_column_missing",
        row=row,
        cell=cell,
        expected=table.spec.column("value").header,
        item=table.spec.column("item").header,
    )


def _column_index(letters: str) -> int:
    """The 0-based index of a column's letters: A → 0, AB → 27."""
    index = 0
    for char in letters:
        index = index * 26 + ord(char) - 64
    return index - 1


# What `kpi export` writes as its information sheet (xlsx_report: `sheet.info`, then an
# `info.tool` row holding `kpi-tritue <version>`), folded, in every language it speaks.
_REPORT_INFO_SHEETS = frozenset({"thong tin", "information"})
_REPORT_TOOL_LABELS = frozenset({"cong cu", "tool"})
_REPORT_TOOL = "kpi-tritue "
_REPORT_INFO_ROWS = 20


def _drop_unit_headings(
    taken: dict[str, list[tuple[int, Taken]]], registry: tuple[set[str], bool] | None = None
) -> None:
    """The `NhanSu` rows `STT | text` whose text is a unit of any `DonVi` of the run are
    group headings (settled 16): dropped before anything is parsed. `registry`: the units
    the run's `DonVi` name and whether it has any, when these are only some of its files
    (`io/shards.py`); else read from `taken`."""
    lists = [found for _, found in taken.get(WORKFORCE.key, []) if found.maybe_units]
    if not lists:
        return
    units, any_registry = registry if registry is not None else units_registered(taken)
    for found in lists:
        # Without any registry in the run (already its own error, `registry.py`), the
        # units the list itself names are the evidence: a heading `1 | <a unit of this
        # list>` read as a person would make that unit a personal name, and every cell
        # naming the unit an error.
        known = units if any_registry else _units_named([found])
        found.data = drop_unit_headings(found.data, found.maybe_units, known, found.reporter)


def units_registered(taken: dict[str, list[tuple[int, Taken]]]) -> tuple[set[str], bool]:
    """The units the `DonVi` sheets taken name, and whether there is any."""
    registry = [found for _, found in taken.get(UNITS.key, [])]
    return _units_named(registry), bool(registry)


@dataclass(frozen=True)
class RunFacts:
    """What the parse of some files of a run needs to know of the others (`io/shards.py`):
    whether a list has rows that may be group headings (then the units the run's `DonVi`
    name are needed), and whether a `NhanSu` lacks `Mã` (then people are compared by
    name in every file)."""

    headings: bool = False
    without_ids: bool = False

    def __or__(self, other: RunFacts) -> RunFacts:
        return RunFacts(self.headings or other.headings, self.without_ids or other.without_ids)


def run_facts(taken: dict[str, list[tuple[int, Taken]]]) -> RunFacts:
    """`RunFacts` of the sheets taken."""
    lists = [found for _, found in taken.get(WORKFORCE.key, [])]
    return RunFacts(any(found.maybe_units for found in lists), lacks_ids(lists))


def _units_named(sheets: Sequence[Taken]) -> set[str]:
    """The units written in the unit column of these sheets, as `unit_key` compares them."""
    units: set[str] = set()
    for found in sheets:
        col = found.header.columns.get("unit")
        if col is not None and col in found.data.columns:
            units.update(unit_key(str(u)) for u in clean_column(found.data[col]).dropna())
    return units


def _own_report_sheet(workbook: Workbook, names: list[str], contract: Contract) -> str | None:
    """The information sheet that shows a workbook to be a report `kpi export` wrote, if so.

    Such a report has no data sheet of the contract (its `Thông tin` sheet looks like
    `ThongTin`, without `Giá trị`); a workbook that has one is input, whatever else it holds.
    """
    for name in names:
        spec = contract.match_sheet(name)
        if spec is not None and spec.key != INFO.key:
            return None
    for name in names:
        if fold(name) not in _REPORT_INFO_SHEETS:
            continue
        try:
            cells = workbook.read_sheet(name).cells
        except UnreadableWorkbook:
            continue
        labels, values = cells.get(0), cells.get(1)
        if labels is None or values is None:
            continue
        for label, value in zip(
            labels.iloc[:_REPORT_INFO_ROWS], values.iloc[:_REPORT_INFO_ROWS], strict=True
        ):
            if (
                isinstance(label, str)
                and isinstance(value, str)
                and fold(label) in _REPORT_TOOL_LABELS
                and value.startswith(_REPORT_TOOL)
            ):
                return name
    return None


def read_tables(
    opened: OpenedWorkbook,
    bounds: Bounds,
    contract: Contract = CONTRACT,
) -> LoadedWorkbook:
    """Read every contract sheet of an opened workbook with the dataset's reference date."""
    return read_all_tables([opened], bounds, contract)[0]


def read_all_tables(
    opened: Sequence[OpenedWorkbook],
    bounds: Bounds,
    contract: Contract = CONTRACT,
    progress: Callable[[int, str], None] | None = None,
) -> list[LoadedWorkbook]:
    """Every contract sheet of every workbook of a run, with the dataset's reference date.

    File by file, only the sheets are read and their headers found (`take_head`); then the
    data rows of all files are picked at once (`take_rows`), and each sheet of the
    contract is parsed once for all files (`parse_taken`), so that what a file costs is
    its reading, not rules and a parse of its own. Each file keeps its own tables
    and issues, in the order `read_tables` gives them one file at a time.
    `progress(step, name)` is called before each file is read.
    """
    with fewer_collections():
        return _read_all_tables(opened, bounds, contract, progress)


# The cyclic garbage collector's thresholds while a run's sheets are read: Python's own
# (700, 10, 10) make it look at every object the run holds again and again as the sheets'
# frames pile up (15% of the CPU of reading 400 small files, more the more files), though
# the frames are kept to the end and reading makes little cyclic garbage.
_READING_THRESHOLDS = (10_000, 20, 20)


@contextmanager
def fewer_collections() -> Iterator[None]:
    """The collector run less often for the duration (not at all more often than it
    was; a collector turned off stays off); its thresholds put back after."""
    before = gc.get_threshold()
    if before[0] > 0:
        gc.set_threshold(*(max(b, r) for b, r in zip(before, _READING_THRESHOLDS, strict=False)))
    try:
        yield
    finally:
        gc.set_threshold(*before)


@dataclass
class TakenFiles:
    """Every contract sheet of some files taken (`take_head`, `take_rows`), not yet parsed:
    by sheet key, (file's position, what was taken); and each file's reporters by sheet
    key."""

    taken: dict[str, list[tuple[int, Taken]]]
    reporters: list[dict[str, Reporter]]

    def extend(self, more: TakenFiles) -> None:
        """`more`'s files put after these (their positions moved past them)."""
        offset = len(self.reporters)
        for key, parts in more.taken.items():
            self.taken.setdefault(key, []).extend((offset + step, found) for step, found in parts)
        self.reporters.extend(more.reporters)


def _read_all_tables(
    opened: Sequence[OpenedWorkbook],
    bounds: Bounds,
    contract: Contract,
    progress: Callable[[int, str], None] | None,
) -> list[LoadedWorkbook]:
    return parse_files(opened, take_files(opened, contract, progress), bounds, contract)


def take_files(
    opened: Sequence[OpenedWorkbook],
    contract: Contract,
    progress: Callable[[int, str], None] | None = None,
) -> TakenFiles:
    """The first half of `read_all_tables`: each file's contract sheets taken, in order."""
    heads = FileHeads(contract)
    with PartsAhead(opened, contract) as ahead:
        for step, workbook in enumerate(opened):
            if progress:
                progress(step, workbook.display)
            # This file's sheets loaded; the next file's are read while this one's are
            # looked at.
            ahead.take(step)
            heads.take(workbook)
    return heads.rows_taken()


class FileHeads:
    """The data sheets of files taken one file after another (`take`: each sheet read and
    its header found, `take_head`), then the data rows of all at once (`rows_taken`)."""

    def __init__(self, contract: Contract) -> None:
        self._sheets = [spec for spec in contract.sheets if spec.key != INFO.key]
        self._heads: dict[str, list[tuple[int, SheetHead]]] = {s.key: [] for s in self._sheets}
        self._reporters: list[dict[str, Reporter]] = []

    def take(self, workbook: OpenedWorkbook) -> None:
        """The next file's data sheets read and their headers found."""
        step = len(self._reporters)
        mine: dict[str, Reporter] = {}
        for spec in self._sheets:
            if spec.key not in workbook.sheet_names:
                continue
            head, reporter = take_head(
                workbook.workbook, workbook.display, workbook.sheet_names[spec.key], spec
            )
            mine[spec.key] = reporter
            if head is not None:
                self._heads[spec.key].append((step, head))
        self._reporters.append(mine)

    def rows_taken(self) -> TakenFiles:
        """The data rows of each sheet of the contract, for all the files taken at once."""
        taken: dict[str, list[tuple[int, Taken]]] = {}
        for spec in self._sheets:
            heads = self._heads[spec.key]
            found = take_rows([head for _, head in heads], spec)
            taken[spec.key] = list(zip([step for step, _ in heads], found, strict=True))
        return TakenFiles(taken, self._reporters)


def parse_files(
    opened: Sequence[OpenedWorkbook],
    files: TakenFiles,
    bounds: Bounds,
    contract: Contract,
    registry: tuple[set[str], bool] | None = None,
    by_name: bool | None = None,
) -> list[LoadedWorkbook]:
    """The second half of `read_all_tables`: each sheet of the contract parsed once for all
    these files (`parse_taken`), then each file's tables and issues, in order. `registry`
    and `by_name`, when these files are only some of the run's: as `_drop_unit_headings`
    and `parse_taken` take them."""
    sheets = [spec for spec in contract.sheets if spec.key != INFO.key]
    taken, reporters = files.taken, files.reporters
    _drop_unit_headings(taken, registry)
    tables: list[dict[str, SheetTable]] = [{} for _ in opened]
    for spec in sheets:
        parts = taken.get(spec.key, [])
        if not parts:
            continue
        for (step, _), table in zip(
            parts,
            parse_taken(
                [t for _, t in parts],
                spec,
                bounds,
                contract.defaults.get(spec.key),
                by_name if spec.key == WORKFORCE.key else None,
            ),
            strict=True,
        ):
            tables[step][spec.key] = table
    loaded: list[LoadedWorkbook] = []
    for workbook, mine, own in zip(opened, reporters, tables, strict=True):
        found_tables: dict[str, SheetTable] = {}
        if workbook.info_table is not None:
            found_tables[INFO.key] = workbook.info_table
        found_tables.update(own)
        issues = list(workbook.issues)
        for reporter in mine.values():
            issues.extend(reporter.issues)
        loaded.append(
            LoadedWorkbook(
                display=workbook.display, sha256=workbook.sha256, tables=found_tables, issues=issues
            )
        )
    return loaded
