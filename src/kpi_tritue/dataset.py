"""Several workbooks and folders consolidated into one dataset for one reference date.

files → `open_workbook` (sheets matched, `ThongTin` read) → one reference date for all →
`read_tables` → rows concatenated, duplicates and conflicts reported → `Dataset`.
Files are taken in the order of their paths, so the order on the command line never
changes a result.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kpi_tritue.completeness import Completeness, assess_completeness
from kpi_tritue.frames import at
from kpi_tritue.issues import Issue, Severity, capped, has_errors, sorted_issues
from kpi_tritue.limits import Limits
from kpi_tritue.normalize import unit_keys
from kpi_tritue.privacy import KnownNames, redact_issues
from kpi_tritue.reader import WORKBOOK_SUFFIXES
from kpi_tritue.safe_files import UnsafeInput, path_problem
from kpi_tritue.schema import (
    CONTRACT,
    FIGURES,
    INFO,
    METRIC,
    UNITS,
    WORKFORCE,
    Contract,
    SheetSpec,
    ValueType,
)
from kpi_tritue.values import Bounds
from kpi_tritue.workbook import (
    INVALID,
    ROW,
    LoadedWorkbook,
    OpenedWorkbook,
    SheetTable,
    hide_ids,
    hide_names,
    known_names,
    open_workbook,
    read_tables,
)

FILE = "_file"
ProgressCallback = Callable[[int, int, str], None]


class AsOfSource(StrEnum):
    """Where the reference date came from, first to last."""

    OPTION = "option"
    SHEET = "sheet"
    YEAR = "year"
    TODAY = "today"


@dataclass(frozen=True)
class ReferenceDate:
    as_of: date
    source: AsOfSource

    @property
    def report_year(self) -> int:
        return self.as_of.year


@dataclass(frozen=True)
class Source:
    path: str
    sha256: str


@dataclass
class Table:
    """One sheet over all files: typed columns by key, plus `_file`, `_row`, `_invalid`."""

    spec: SheetSpec
    frame: pd.DataFrame
    present: frozenset[str]
    sheet_names: dict[int, str]
    letters: dict[int, dict[str, str]]

    def where(self, index: int) -> tuple[int, str, int]:
        """(file index, sheet name, Excel row) of a row of the frame."""
        file_index = int(at(self.frame, index, FILE))
        return file_index, self.sheet_names[file_index], int(at(self.frame, index, ROW))

    def cell(self, file_index: int, key: str, row: int) -> str | None:
        letter = self.letters.get(file_index, {}).get(key)
        return f"{letter}{row}" if letter else None


@dataclass
class Dataset:
    sources: list[Source]
    reference: ReferenceDate
    tables: dict[str, Table]
    issues: list[Issue] = field(default_factory=list)
    completeness: Completeness | None = None
    # The personal names of the run, which no output may show (privacy.py).
    names: KnownNames = field(default_factory=KnownNames)

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


def expand_inputs(inputs: Sequence[str]) -> tuple[list[tuple[Path, str]], list[Issue]]:
    """Files and folders as given → (path, display name) of every workbook, sorted.

    Only regular files are taken (through symlinks): a device, a FIFO or a socket, given
    or met in a folder under a workbook's name, is an error and is never opened, since
    reading it may never end. Folders are walked without following symlinked folders.
    """
    found: dict[Path, str] = {}
    issues: list[Issue] = []
    for given in inputs:
        path = Path(given)
        if path.is_dir():
            workbooks, skipped = _workbooks_in(path)
            issues += skipped
            if not workbooks:
                issues.append(
                    Issue(
                        Severity.ERROR, "no_workbooks_in_folder", file=given, params={"path": given}
                    )
                )
            for workbook in workbooks:
                found.setdefault(workbook.resolve(), workbook.as_posix())
            continue
        problem = path_problem(path, folder_ok=False)
        if problem is None:
            found.setdefault(path.resolve(), path.as_posix())
        else:
            issues.append(_unreadable(given, problem))
    return sorted(found.items(), key=lambda item: item[1]), issues


def _workbooks_in(folder: Path) -> tuple[list[Path], list[Issue]]:
    """The workbooks under `folder` (regular files, hidden and lock files left out), and an
    error for each entry named as a workbook that is not a regular file (or a symlink to
    nothing). Iterative: a folder nested thousands deep costs no recursion."""
    workbooks: list[Path] = []
    skipped: list[Issue] = []
    pending = [folder]
    while pending:
        current = pending.pop()
        try:
            with os.scandir(current) as entries:
                listed = list(entries)
        except OSError:
            continue  # an unreadable folder holds nothing that can be read
        for entry in listed:
            if entry.name.startswith("."):
                continue
            child = current / entry.name
            try:
                is_folder = entry.is_dir(follow_symlinks=False)
            except OSError:
                is_folder = False
            if is_folder:
                pending.append(child)
                continue
            if entry.name.startswith("~$") or child.suffix.lower() not in WORKBOOK_SUFFIXES:
                continue
            try:
                # A regular file, through symlinks (no extra stat for a plain file).
                regular = entry.is_file()
            except OSError:
                regular = False
            if regular:
                workbooks.append(child)
                continue
            problem = path_problem(child, folder_ok=False)
            if problem is not None and (problem.code != "missing" or entry.is_symlink()):
                # (A file gone since the folder was listed was never an input.)
                skipped.append(_unreadable(child.as_posix(), problem))
    return sorted(workbooks), sorted(skipped, key=Issue.sort_key)


def _unreadable(shown: str, problem: UnsafeInput) -> Issue:
    code = {"missing": "file_not_found", "unreadable": "unreadable_path"}.get(
        problem.code, "not_a_regular_file"
    )
    detail = problem.params.get("detail")
    params = {"path": shown, "detail": None if detail is None else str(detail)}
    return Issue(Severity.ERROR, code, file=shown, params=params)


def load_dataset(
    inputs: Sequence[str],
    *,
    as_of: date | None = None,
    today: date | None = None,
    contract: Contract = CONTRACT,
    progress: ProgressCallback | None = None,
) -> Dataset:
    """Read, validate and consolidate workbooks. Never raises for bad input: see `issues`."""
    files, issues = expand_inputs(inputs)
    opened: list[OpenedWorkbook] = []
    total = len(files) * 2
    for step, (path, display) in enumerate(files):
        if progress:
            progress(step, total, display)
        result = open_workbook(path, display, contract)
        if isinstance(result, list):
            issues.extend(result)
        else:
            opened.append(result)

    if not opened:
        issues += nothing_but_reports(issues)

    reference, date_issues = resolve_reference_date(opened, as_of, today or date.today())
    issues.extend(date_issues)
    bounds = Bounds(
        report_year=reference.report_year,
        as_of=reference.as_of,
        max_number=Limits.from_environment().max_number,
    )

    loaded: list[LoadedWorkbook] = []
    for step, workbook in enumerate(opened):
        if progress:
            progress(len(files) + step, total, workbook.display)
        loaded.append(read_tables(workbook, bounds, contract))
    if progress:
        progress(total, total, "")
    # Names are hidden once every file is read: a name in one file's NhanSu is hidden in
    # another file's DonVi too.
    names = known_names(t for w in loaded for t in w.tables.values())
    for done in loaded:
        for table in done.tables.values():
            done.issues.extend(hide_names(table, names, done.display))

    sources = [Source(path=w.display, sha256=w.sha256) for w in loaded]
    tables: dict[str, Table] = {}
    for spec in contract.sheets:
        if spec.key == INFO.key:
            continue
        parts = [(i, w.tables[spec.key]) for i, w in enumerate(loaded) if spec.key in w.tables]
        if parts:
            tables[spec.key] = _concat(spec, parts, sources, issues, reference)
    for done in loaded:
        issues.extend(done.issues)
    completeness, completeness_issues = assess_completeness(
        tables.get(UNITS.key), tables.get(WORKFORCE.key), sources
    )
    issues.extend(completeness_issues)
    if WORKFORCE.key in tables:
        hide_ids(tables[WORKFORCE.key].frame, names)
    limit = Limits.from_environment().max_issues_per_code
    return Dataset(
        sources=sources,
        reference=reference,
        tables=tables,
        issues=sorted_issues(redact_issues(capped(issues, limit), names)),
        completeness=completeness,
        names=names,
    )


def nothing_but_reports(issues: Sequence[Issue]) -> list[Issue]:
    """A run whose files are all reports `kpi export` wrote has no workforce sheet: each
    report skipped says so as any workbook without `NhanSu` does."""
    return [
        Issue(
            Severity.ERROR,
            "missing_workforce_sheet",
            file=issue.file,
            params={"sheets": issue.params.get("sheets")},
        )
        for issue in issues
        if issue.code == "own_report_skipped"
    ]


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
        return ReferenceDate(today, AsOfSource.TODAY), issues
    years = sorted({when.year for when, _, _ in stated})
    if len(years) > 1:
        issues.append(
            Issue(
                Severity.ERROR,
                "report_years_differ",
                params={
                    "years": ", ".join(
                        f"{when.year} ({display})" for when, _, display in sorted(stated)
                    )
                },
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


def _concat(
    spec: SheetSpec,
    parts: list[tuple[int, SheetTable]],
    sources: list[Source],
    issues: list[Issue],
    reference: ReferenceDate,
) -> Table:
    present = frozenset().union(*(table.present for _, table in parts))
    frames = []
    for file_index, table in parts:
        # A shallow copy: pandas copies on write, so the sheet's own frame stays as it was.
        frame = table.frame.copy(deep=False)
        for key in sorted(present - table.present):
            if spec.key == WORKFORCE.key and key == "birth_date":
                continue
            frame[key] = _typed_empty(spec, key, frame.index)
            if len(parts) > 1:
                issues.append(
                    Issue(
                        Severity.WARNING,
                        "column_absent_in_file",
                        file=sources[file_index].path,
                        sheet=table.sheet_name,
                        params={"field": spec.column(key).header},
                    )
                )
        frame.insert(0, FILE, file_index)
        frames.append(frame)
    frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    frame = frame.reset_index(drop=True)
    result = Table(
        spec=spec,
        frame=frame,
        present=present,
        sheet_names={i: t.sheet_name for i, t in parts},
        letters={i: t.letters for i, t in parts},
    )
    if spec.key == FIGURES.key:
        # `Năm` is optional: a blank cell, or no such column, means the report year.
        if "year" not in result.frame:
            result.frame["year"] = _typed_empty(spec, "year", result.frame.index)
        result.frame["year"] = result.frame["year"].fillna(reference.report_year)
    _check_duplicates(result, sources, issues)
    return result


def _key_frame(table: Table) -> pd.DataFrame:
    frame = table.frame
    keys = pd.DataFrame(index=frame.index)
    for key in table.spec.row_key:
        if key not in frame:
            keys[key] = ""
            continue
        if table.spec.column(key).type is ValueType.TEXT:
            keys[key] = unit_keys(frame[key]).fillna("")
        else:
            keys[key] = frame[key].astype("object").fillna("").astype(str)
    return keys


def _may_repeat(table: Table) -> bool:
    """Whether any usable row shares its key with another: `_key_frame` without building
    a column of Python strings, so that 200,000 distinct IDs are checked in milliseconds."""
    frame = table.frame
    combined: np.ndarray[Any, Any] | None = None
    first: pd.Series | None = None
    for key in table.spec.row_key:
        if key not in frame:
            continue  # a constant "" groups nothing apart
        if table.spec.column(key).type is ValueType.TEXT:
            column = frame[key].astype("string[pyarrow]").str.lower().fillna("")
        else:
            column = frame[key].astype("object").fillna("").astype(str)
        if key == table.spec.row_key[0]:
            first = column
        codes = np.asarray(pd.factorize(column)[0], dtype="int64")
        if combined is not None:
            codes = np.asarray(pd.factorize(combined * (int(codes.max()) + 1) + codes)[0])
        combined = codes
    if combined is None or first is None:
        # No key column at all, or no first key: every row's first key is "".
        return False
    usable = (first != "").to_numpy(dtype=bool) & _comparable(table).to_numpy(dtype=bool)
    repeated = np.bincount(combined)[combined] > 1
    return bool((usable & repeated).any())


def _comparable(table: Table) -> pd.Series:
    """The rows whose key is checked for repeats.

    A person's `Mã` is checked whatever else is wrong with the row: the same ID twice is
    an error of its own, to be reported in the same run as the row's other errors. Other
    sheets compare their repeated rows' values to decide (merged, accepted once, or in
    conflict), which a row with an invalid value cannot take part in.
    """
    invalid = table.frame[INVALID]
    if table.spec.key == WORKFORCE.key:
        return pd.Series(True, index=invalid.index)
    return ~invalid


def _key_text(table: Table, index: int) -> str:
    parts: list[str] = []
    for key in table.spec.row_key:
        if key not in table.frame:
            continue
        value = at(table.frame, index, key)
        if pd.isna(value):
            continue
        if key == "metric":
            value = METRIC.label(str(value), "vi")
        parts.append(str(value))
    return " / ".join(parts)


def _where_text(table: Table, sources: list[Source], index: int, seen_from: int) -> str:
    """Where the first of a duplicated pair is: `Sheet!A12`, with the file if another one."""
    file_index, sheet, row = table.where(index)
    key = table.spec.row_key[0]
    place = f"{sheet}!{table.cell(file_index, key, row) or row}"
    return place if file_index == seen_from else f"{sources[file_index].path} › {place}"


def _check_duplicates(table: Table, sources: list[Source], issues: list[Issue]) -> None:
    """The same person, figure or unit twice: refused, merged or accepted once (see spec)."""
    frame = table.frame
    if frame.empty or not table.spec.row_key:
        return
    if not _may_repeat(table):
        return
    keys = _key_frame(table)
    usable = (keys[table.spec.row_key[0]] != "") & _comparable(table)
    repeated = usable & keys.duplicated(keep=False)
    if not repeated.any():
        return
    compared = [c for c in table.spec.columns if c.key in frame and c.key not in table.spec.row_key]
    drop: list[int] = []
    for _, group in keys[repeated].groupby(list(keys.columns), sort=False):
        first, *others = list(group.index)
        for index in others:
            code, severity = _duplicate_verdict(table, first, index, [c.key for c in compared])
            file_index, sheet, row = table.where(index)
            key = table.spec.row_key[0]
            issues.append(
                Issue(
                    severity,
                    code,
                    file=sources[file_index].path,
                    sheet=sheet,
                    row=row,
                    column=table.spec.column(key).header,
                    cell=table.cell(file_index, key, row),
                    params={
                        "id": str(at(frame, index, key)),
                        "key": _key_text(table, index),
                        "other": _where_text(table, sources, first, file_index),
                    },
                )
            )
            if severity is Severity.ERROR:
                frame.at[index, INVALID] = True
            else:
                if table.spec.key == UNITS.key:
                    _merge_unit_attributes(frame, first, index, [c.key for c in compared])
                drop.append(index)
    if drop:
        table.frame = frame.drop(index=drop).reset_index(drop=True)


def _duplicate_verdict(
    table: Table, first: int, other: int, attributes: list[str]
) -> tuple[str, Severity]:
    frame = table.frame
    if table.spec.key == WORKFORCE.key:
        return "duplicate_id", Severity.ERROR
    same_file = at(frame, first, FILE) == at(frame, other, FILE)
    differs = False
    for key in attributes:
        a, b = at(frame, first, key), at(frame, other, key)
        if pd.isna(a) or pd.isna(b):
            # Units are merged attribute by attribute; elsewhere a blank is a difference.
            differs |= table.spec.key != UNITS.key and not (pd.isna(a) and pd.isna(b))
            continue
        differs |= bool(a != b)
    if differs:
        return "conflicting_row", Severity.ERROR
    if same_file and table.spec.key != UNITS.key:
        return "duplicate_row", Severity.ERROR
    return "repeated_row_merged", Severity.INFO


def _merge_unit_attributes(frame: pd.DataFrame, first: int, other: int, keys: list[str]) -> None:
    for key in keys:
        if pd.isna(at(frame, first, key)) and pd.notna(at(frame, other, key)):
            frame.loc[first, key] = at(frame, other, key)
