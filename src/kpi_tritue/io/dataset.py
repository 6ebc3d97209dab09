"""Several workbooks and folders consolidated into one dataset for one reference date.

files → `open_inputs` (each opened once: sheets matched, `ThongTin` read) → one reference
date for all → `read_all_tables` → rows concatenated, duplicates and conflicts reported
(`duplicates`) → `Dataset`. A run of many small files takes the same steps in several
processes (`shards.py`, `_read_in_processes`).
Files are taken in the order of their paths, so the order on the command line never
changes a result.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import pandas as pd

from kpi_tritue.catalog.roles import RoleRule
from kpi_tritue.contract.bookkeeping import INVALID
from kpi_tritue.contract.limits import Limits
from kpi_tritue.contract.privacy import KnownNames, redact_issues
from kpi_tritue.contract.schema import (
    CONTRACT,
    FIGURES,
    INFO,
    UNITS,
    WORKFORCE,
    Contract,
    SheetSpec,
    ValueType,
)
from kpi_tritue.contract.values import Bounds
from kpi_tritue.io.column_batch import SharedRows, stacked_rows
from kpi_tritue.io.completeness import Completeness, assess_completeness
from kpi_tritue.io.duplicates import check_duplicates
from kpi_tritue.io.file_summaries import summarize_files
from kpi_tritue.io.identity import check_identity
from kpi_tritue.io.inputs import (
    OpenedInputs,
    ProgressCallback,
    expand_inputs,
    missing_workforce,
)
from kpi_tritue.io.open_take import open_and_take
from kpi_tritue.io.personal_names import hide_ids, hide_names_all, known_names
from kpi_tritue.io.registry import derive_unit_attributes
from kpi_tritue.io.roles import derive_roles
from kpi_tritue.io.root_causes import (
    files_by_year,
    info_unreadable,
    same_data,
    stated_year,
    unread_sheets,
    without_copies,
    year_groups,
)
from kpi_tritue.io.shards import WorkerLost, file_sizes, processes_for, read_in_processes
from kpi_tritue.io.sheet_table import SheetTable
from kpi_tritue.io.tables import FILE, Table
from kpi_tritue.io.workbook import (
    LoadedWorkbook,
    OpenedWorkbook,
    fewer_collections,
    parse_files,
    read_all_tables,
)
from kpi_tritue.model.issues import (
    MAX_ISSUES_PER_CODE,
    Issue,
    Severity,
    capped,
    has_errors,
    sorted_issues,
)
from kpi_tritue.model.sources import AsOfSource, FileSummaries, ReferenceDate, Source


@dataclass
class Dataset:
    sources: list[Source]
    reference: ReferenceDate
    tables: dict[str, Table]
    issues: list[Issue] = field(default_factory=list)
    completeness: Completeness | None = None
    # The personal names of the run, which no output may show (privacy.py).
    names: KnownNames = field(default_factory=KnownNames)
    # One line per input file (`kpi validate`), counted from `issues`.
    files: FileSummaries = field(default_factory=FileSummaries)
    # Which NhanSu columns were derived rather than read, per file (official-lists.md, 13):
    # file as shown → column key → "position" | "DonVi" | "ThongTin" | "defaults" |
    # "birth_columns".
    derived: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def as_of(self) -> date:
        return self.reference.as_of

    @property
    def report_year(self) -> int:
        return self.reference.report_year

    @property
    def has_errors(self) -> bool:
        return has_errors(self.issues)

    def table(self, key: str) -> Table | None:
        return self.tables.get(key)

    def without_invalid_rows(self) -> tuple[Dataset, int]:
        """The dataset with every row that has an error left out, and how many were."""
        dropped = 0
        tables: dict[str, Table] = {}
        for key, table in self.tables.items():
            keep = ~table.frame[INVALID]
            dropped += int((~keep).sum())
            tables[key] = replace(table, frame=table.frame[keep])
        return replace(self, tables=tables), dropped


def load_dataset(
    inputs: Sequence[str] | OpenedInputs,
    *,
    as_of: date | None = None,
    today: date | None = None,
    contract: Contract = CONTRACT,
    progress: ProgressCallback | None = None,
    require_workforce: bool = True,
    roles: Sequence[RoleRule] | None = None,
) -> Dataset:
    """Read, validate and consolidate workbooks. Never raises for bad input: see `issues`.

    `inputs`: the files and folders given, or the workbooks `open_inputs` opened from them
    (then `contract` is the one they were opened with). `require_workforce`: whether these
    are the whole run, of which `NhanSu` is required (a trend asks it of all its years).
    `roles`: the catalog's `[[roles]]`, from which a file's missing leadership flags are
    derived (None: the packaged catalog's; `io/roles.py`).
    """
    inputs, loaded, reference, date_issues = _read(
        inputs, as_of, today or date.today(), contract, progress
    )
    contract = inputs.contract
    opened = list(inputs.workbooks)
    issues = list(inputs.issues)
    if require_workforce:
        issues += missing_workforce(inputs)
    issues.extend(date_issues)
    # Names are hidden once every file is read: a name in one file's NhanSu is hidden in
    # another file's DonVi too.
    names = known_names(t for w in loaded for t in w.tables.values())
    every = [(done, table) for done in loaded for table in done.tables.values()]
    hidden = hide_names_all([(table, done.display) for done, table in every], names)
    for (done, _), found in zip(every, hidden, strict=True):
        done.issues.extend(found)

    sources = [Source(path=w.display, sha256=w.sha256) for w in loaded]
    limit = Limits.from_environment().max_issues_per_code
    # The root cause first, once (root_causes.py): what a sheet that cannot be read, a
    # workbook given twice or files of several years would otherwise repeat is not checked.
    unread = unread_sheets(opened, loaded)
    years_differ = any(i.code == "report_years_differ" for i in date_issues)
    groups = (
        year_groups(opened, reference.report_year) if years_differ else [list(range(len(loaded)))]
    )
    copies_issues, copies = same_data(loaded, groups)
    issues.extend(copies_issues)
    without_copies(loaded, copies)
    # Cấp, Lĩnh vực from the units registry, Loại for a whole file, before the files' rows
    # are put together (registry.py; recorded on each table's `derived`, gathered below).
    _, registry_issues = derive_unit_attributes(
        opened, loaded, contract, units_unread=UNITS.key in unread
    )
    issues.extend(registry_issues)
    # The last of each file's own work, once its rows' level is known: leadership flags
    # from the position text where the file lacks their columns.
    workforce = [(d.display, d.tables[WORKFORCE.key]) for d in loaded if WORKFORCE.key in d.tables]
    # (The flags derived are recorded on each table's `derived`, gathered below.)
    _, role_issues = derive_roles(workforce, roles, names)
    issues.extend(role_issues)
    tables: dict[str, Table] = {}
    for spec in contract.sheets:
        if spec.key == INFO.key:
            continue
        by_year = []
        for group in groups:
            parts = [(i, loaded[i].tables[spec.key]) for i in group if spec.key in loaded[i].tables]
            if parts:
                year = _year_of(opened, group, reference)
                by_year.append(_concat(spec, parts, sources, issues, year, limit))
        if by_year:
            tables[spec.key] = by_year[0] if len(by_year) == 1 else _stack(spec, by_year)
    for done in loaded:
        issues.extend(done.issues)
    completeness: Completeness | None = None
    # Whether registered units have staff is judged only on every NhanSu of one year: with
    # none at all (already an error), every unit would seem to have nobody.
    judged = WORKFORCE.key in tables and not years_differ
    if judged and not unread & {UNITS.key, WORKFORCE.key}:
        completeness, completeness_issues = assess_completeness(
            tables.get(UNITS.key), tables.get(WORKFORCE.key), sources
        )
        issues.extend(completeness_issues)
    if WORKFORCE.key in tables:
        hide_ids(tables[WORKFORCE.key].frame, names)
    issues = sorted_issues(redact_issues(capped(issues, limit), names))
    derived: dict[str, dict[str, str]] = {}
    for done in loaded:
        for table in done.tables.values():
            if table.derived:
                derived.setdefault(done.display, {}).update(table.derived)
    return Dataset(
        derived=derived,
        sources=sources,
        reference=reference,
        tables=tables,
        issues=issues,
        completeness=completeness,
        names=names,
        files=summarize_files(opened, tables, issues, reference, names),
    )


_Read = tuple[OpenedInputs, list[LoadedWorkbook], ReferenceDate, list[Issue]]
_Settled = tuple[ReferenceDate, list[Issue]]


def _read(
    inputs: Sequence[str] | OpenedInputs,
    as_of: date | None,
    today: date,
    contract: Contract,
    progress: ProgressCallback | None,
) -> _Read:
    """The workbooks opened (unless they are), read and parsed: in several processes when
    they are many small files (`_read_in_processes`), else here."""
    if isinstance(inputs, OpenedInputs):
        # Opened already, here (`kpi export` and `kpi check` choose between one year and
        # a trend by their `ThongTin`; `kpi trend` reads a year at a time): read in
        # processes all the same. A worker opens its share again (an opened workbook's
        # reader cannot cross to another process); this process takes its own as opened.
        found = inputs.found

        def reading(step: int, total: int, name: str) -> None:
            # As `_read_here` says it: the files are opened, the second half is their read.
            if progress:
                progress(found + step * found // max(total, 1), 2 * found, name)

        read = _read_in_processes(
            [(workbook.path, workbook.display) for workbook in inputs.workbooks],
            inputs.issues,
            as_of,
            today,
            inputs.contract,
            reading,
            ready=inputs.workbooks,
            found=found,
        )
        return read if read is not None else _read_here(inputs, as_of, today, progress)
    files, expanded = expand_inputs(inputs)
    read = _read_in_processes(files, expanded, as_of, today, contract, progress)
    if read is not None:
        return read
    return _open_and_read_here(files, expanded, as_of, today, contract, progress)


def _open_and_read_here(
    files: Sequence[tuple[Path, str]],
    expanded: Sequence[Issue],
    as_of: date | None,
    today: date,
    contract: Contract,
    progress: ProgressCallback | None,
) -> _Read:
    """Every file opened and read in this process, its sheets loaded from the moment it
    is opened (`open_take.open_and_take`); then parsed with the run's reference date."""
    total = 2 * len(files)
    results, taken = open_and_take(files, contract, _stepping(progress, total))
    issues = list(expanded)
    for result in results:
        if isinstance(result, list):
            issues.extend(result)
    opened = [result for result in results if not isinstance(result, list)]
    inputs = OpenedInputs(len(files), tuple(opened), tuple(issues), contract)
    reference, date_issues = resolve_reference_date(opened, as_of, today)
    with fewer_collections():
        loaded = parse_files(opened, taken, _bounds(reference), contract)
    if progress:
        progress(total, total, "")
    return inputs, loaded, reference, date_issues


def _read_here(
    inputs: OpenedInputs,
    as_of: date | None,
    today: date,
    progress: ProgressCallback | None,
) -> _Read:
    """Every opened workbook read and parsed in this process (the plain way)."""
    opened = list(inputs.workbooks)
    reference, date_issues = resolve_reference_date(opened, as_of, today)
    total = inputs.found * 2
    reading = _stepping(progress, total, first=inputs.found)
    loaded = read_all_tables(opened, _bounds(reference), inputs.contract, reading)
    if progress:
        progress(total, total, "")
    return inputs, loaded, reference, date_issues


def _stepping(
    progress: ProgressCallback | None, total: int, first: int = 0
) -> Callable[[int, str], None]:
    """A reading's steps (`step`, the file's name) as the run's progress: from step
    `first` of `total`."""

    def step(number: int, name: str) -> None:
        if progress:
            progress(first + number, total, name)

    return step


def _read_in_processes(
    files: Sequence[tuple[Path, str]],
    expanded: Sequence[Issue],
    as_of: date | None,
    today: date,
    contract: Contract,
    progress: ProgressCallback | None,
    ready: Sequence[OpenedWorkbook] = (),
    found: int | None = None,
) -> _Read | None:
    """A run of many files read in several processes (`shards.py`); None when it is to
    be read here: too few files, big files, one CPU, or a worker lost (the run is then
    read again here, as if it had not been tried). `ready`: `files` opened already here
    (then `found`: the workbooks found, of which `files` are those that opened)."""
    sizes = file_sizes(files)
    processes = processes_for(sizes)
    if processes < 2:
        return None

    def settle(opened: Sequence[OpenedWorkbook]) -> tuple[Bounds, _Settled]:
        reference, date_issues = resolve_reference_date(opened, as_of, today)
        return _bounds(reference), (reference, date_issues)

    try:
        results, loaded, (reference, date_issues) = read_in_processes(
            files, sizes, contract, settle, processes, progress, ready
        )
    except WorkerLost:
        return None
    issues = list(expanded)
    for result in results:
        if isinstance(result, list):
            issues.extend(result)
    opened = tuple(r for r in results if not isinstance(r, list))
    inputs = OpenedInputs(len(files) if found is None else found, opened, tuple(issues), contract)
    return inputs, loaded, reference, date_issues


def _bounds(reference: ReferenceDate) -> Bounds:
    return Bounds(
        report_year=reference.report_year,
        as_of=reference.as_of,
        max_number=Limits.from_environment().max_number,
    )


def resolve_reference_date(
    opened: Sequence[OpenedWorkbook], option: date | None, today: date
) -> tuple[ReferenceDate, list[Issue]]:
    """`--as-of`, else `Ngày số liệu`, else 31 December of `Năm báo cáo`, else today."""
    issues: list[Issue] = []
    stated: list[tuple[date, AsOfSource, str]] = []
    for workbook in opened:
        info = workbook.info
        if info.as_of is not None:
            stated.append((info.as_of, AsOfSource.SHEET, workbook.display))
            if info.report_year is not None and info.as_of.year != info.report_year:
                issues.append(
                    Issue(
                        Severity.WARNING,
                        "info_mismatch",
                        file=workbook.display,
                        sheet=workbook.sheet_names.get(INFO.key),
                        params={
                            "value": info.as_of.strftime("%d/%m/%Y"),
                            "report_year": info.report_year,
                        },
                    )
                )
        elif info.report_year is not None:
            stated.append((date(info.report_year, 12, 31), AsOfSource.YEAR, workbook.display))
    if option is not None:
        return ReferenceDate(option, AsOfSource.OPTION), issues
    if not stated:
        if opened and not info_unreadable(opened):
            # Results then change with the calendar: a leader's age, a figure's year.
            issues.append(
                Issue(
                    Severity.WARNING,
                    "as_of_today",
                    params={"as_of": today.strftime("%d/%m/%Y")},
                )
            )
        return ReferenceDate(today, AsOfSource.TODAY), issues
    years = sorted({when.year for when, _, _ in stated})
    if len(years) > 1:
        issues.append(
            Issue(
                Severity.ERROR,
                "report_years_differ",
                params={"years": files_by_year([(when, shown) for when, _, shown in stated])},
            )
        )
    latest = max(stated, key=lambda item: (item[0], item[1] is AsOfSource.SHEET))
    dates = sorted({when for when, _, _ in stated})
    if len(years) == 1 and len(dates) > 1:
        issues.append(
            Issue(
                Severity.WARNING,
                "as_of_differs",
                params={
                    "dates": ", ".join(d.strftime("%d/%m/%Y") for d in dates),
                    "as_of": latest[0].strftime("%d/%m/%Y"),
                },
            )
        )
    return ReferenceDate(latest[0], latest[1]), issues


# ---------------------------------------------------------------------------------------
# Consolidation


def _year_of(
    opened: Sequence[OpenedWorkbook], group: list[int], reference: ReferenceDate
) -> ReferenceDate:
    """The reference of a group of workbooks of one report year: the run's, when the
    group is of its year (or the run has one group); else the 31 December of the group's."""
    for index in group:
        year = stated_year(opened[index])
        if year is not None and year != reference.report_year:
            return ReferenceDate(date(year, 12, 31), AsOfSource.YEAR)
    return reference


def _stack(spec: SheetSpec, tables: list[Table]) -> Table:
    """The tables of several report years one under the other, each checked apart."""
    present = frozenset().union(*(table.present for table in tables))
    frames = []
    for table in tables:
        frame = table.frame.copy(deep=False)
        for key in sorted(present - frozenset(frame.columns)):
            frame[key] = _typed_empty(spec, key, frame.index)
        frames.append(frame)
    return Table(
        spec=spec,
        frame=pd.concat(frames, ignore_index=True),
        present=present,
        sheet_names={i: name for t in tables for i, name in t.sheet_names.items()},
        letters={i: letters for t in tables for i, letters in t.letters.items()},
        row_letters={i: found for t in tables for i, found in t.row_letters.items()},
    )


def _typed_empty(spec: SheetSpec, key: str, index: pd.Index) -> pd.Series:
    column = spec.column(key)
    match column.type:
        case ValueType.BOOL:
            return pd.Series(pd.NA, index=index, dtype="boolean")
        case ValueType.YEAR | ValueType.INT:
            return pd.Series(pd.NA, index=index, dtype="Int64")
        case ValueType.NUMBER:
            return pd.Series(pd.NA, index=index, dtype="Float64")
        case ValueType.DATE:
            return pd.Series(pd.NaT, index=index, dtype="datetime64[ns]")
        case ValueType.ENUM:
            assert column.enum is not None
            return pd.Series(
                pd.Categorical([None] * len(index), categories=list(column.enum.codes)),
                index=index,
            )
        case ValueType.TEXT:
            return pd.Series(pd.NA, index=index, dtype="object")


def _absent_columns(spec: SheetSpec, absent: list[str], file: str, table: SheetTable) -> Issue:
    """The warning of a sheet without columns that the same sheet of other files has,
    naming them in the form's order."""
    order = {column.key: position for position, column in enumerate(spec.columns)}
    keys = sorted(absent, key=lambda key: order.get(key, len(order)))
    return Issue(
        Severity.WARNING,
        "column_absent_in_file",
        file=file,
        sheet=table.sheet_name,
        params={
            "count": len(keys),
            "fields": ", ".join(f"“{spec.column(key).header}”" for key in keys),
        },
    )


def _concat(
    spec: SheetSpec,
    parts: list[tuple[int, SheetTable]],
    sources: list[Source],
    issues: list[Issue],
    reference: ReferenceDate,
    limit: int = MAX_ISSUES_PER_CODE,
) -> Table:
    present = frozenset().union(*(table.present for _, table in parts))
    items: list[pd.DataFrame | SharedRows] = []
    for file_index, table in parts:
        # Filled without its column (`birth_date` always; Cấp, Loại... from the registry,
        # which reported what it could not fill): not blanked again.
        absent = [key for key in sorted(present - table.present) if not table.has_column(key)]
        if not absent:
            # Its rows as they are: still in a frame shared with other files', stacked
            # from there (`stacked_rows`).
            items.append(table.shared or table.frame)
            continue
        # A shallow copy: pandas copies on write, so the sheet's own frame stays as it was.
        frame = table.frame.copy(deep=False)
        for key in absent:
            frame[key] = _typed_empty(spec, key, frame.index)
        if len(parts) > 1:
            # One warning for the sheet, not one a column: a file on an older form lacks
            # a dozen columns the others have, for one reason.
            issues.append(_absent_columns(spec, absent, sources[file_index].path, table))
        items.append(frame)
    frame = stacked_rows(items, [file_index for file_index, _ in parts], FILE)
    result = Table(
        spec=spec,
        frame=frame,
        present=present,
        sheet_names={i: t.sheet_name for i, t in parts},
        letters={i: t.letters for i, t in parts},
        row_letters={i: t.row_letters for i, t in parts if t.row_letters},
    )
    if spec.key == FIGURES.key:
        # `Năm` is optional: a blank cell, or no such column, means the report year.
        if "year" not in result.frame:
            result.frame["year"] = _typed_empty(spec, "year", result.frame.index)
        result.frame["year"] = result.frame["year"].fillna(reference.report_year)
    check_duplicates(result, sources, issues, limit)
    check_identity(result, sources, issues, limit)
    return result
