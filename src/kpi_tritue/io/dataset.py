"""Several workbooks and folders consolidated into one dataset for one reference date.

files → `open_inputs` (each opened once: sheets matched, `ThongTin` read) → one reference
date for all → `read_tables` → rows concatenated, duplicates and conflicts reported
(`duplicates`) → `Dataset`.
Files are taken in the order of their paths, so the order on the command line never
changes a result.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date

import pandas as pd

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
from kpi_tritue.io.completeness import Completeness, assess_completeness
from kpi_tritue.io.duplicates import check_duplicates
from kpi_tritue.io.inputs import OpenedInputs, ProgressCallback, nothing_but_reports, open_inputs
from kpi_tritue.io.personal_names import hide_ids, hide_names, known_names
from kpi_tritue.io.sheet_table import SheetTable
from kpi_tritue.io.tables import FILE, Table
from kpi_tritue.io.workbook import OpenedWorkbook, read_all_tables
from kpi_tritue.model.issues import (
    MAX_ISSUES_PER_CODE,
    Issue,
    Severity,
    capped,
    has_errors,
    sorted_issues,
)
from kpi_tritue.model.sources import AsOfSource, ReferenceDate, Source


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


def load_dataset(
    inputs: Sequence[str] | OpenedInputs,
    *,
    as_of: date | None = None,
    today: date | None = None,
    contract: Contract = CONTRACT,
    progress: ProgressCallback | None = None,
) -> Dataset:
    """Read, validate and consolidate workbooks. Never raises for bad input: see `issues`.

    `inputs`: the files and folders given, or the workbooks `open_inputs` opened from them
    (then `contract` is the one they were opened with).
    """
    if not isinstance(inputs, OpenedInputs):

        def opening(step: int, found: int, name: str) -> None:
            if progress:
                progress(step, 2 * found, name)

        inputs = open_inputs(inputs, contract=contract, progress=opening)
    contract = inputs.contract
    opened = list(inputs.workbooks)
    issues = list(inputs.issues)
    total = inputs.found * 2

    if not opened:
        issues += nothing_but_reports(issues)

    reference, date_issues = resolve_reference_date(opened, as_of, today or date.today())
    issues.extend(date_issues)
    bounds = Bounds(
        report_year=reference.report_year,
        as_of=reference.as_of,
        max_number=Limits.from_environment().max_number,
    )

    def reading(step: int, name: str) -> None:
        if progress:
            progress(inputs.found + step, total, name)

    loaded = read_all_tables(opened, bounds, contract, reading)
    if progress:
        progress(total, total, "")
    # Names are hidden once every file is read: a name in one file's NhanSu is hidden in
    # another file's DonVi too.
    names = known_names(t for w in loaded for t in w.tables.values())
    for done in loaded:
        for table in done.tables.values():
            done.issues.extend(hide_names(table, names, done.display))

    sources = [Source(path=w.display, sha256=w.sha256) for w in loaded]
    limit = Limits.from_environment().max_issues_per_code
    tables: dict[str, Table] = {}
    for spec in contract.sheets:
        if spec.key == INFO.key:
            continue
        parts = [(i, w.tables[spec.key]) for i, w in enumerate(loaded) if spec.key in w.tables]
        if parts:
            tables[spec.key] = _concat(spec, parts, sources, issues, reference, limit)
    for done in loaded:
        issues.extend(done.issues)
    completeness, completeness_issues = assess_completeness(
        tables.get(UNITS.key), tables.get(WORKFORCE.key), sources
    )
    issues.extend(completeness_issues)
    if WORKFORCE.key in tables:
        hide_ids(tables[WORKFORCE.key].frame, names)
    return Dataset(
        sources=sources,
        reference=reference,
        tables=tables,
        issues=sorted_issues(redact_issues(capped(issues, limit), names)),
        completeness=completeness,
        names=names,
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
    limit: int = MAX_ISSUES_PER_CODE,
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
    check_duplicates(result, sources, issues, limit)
    return result
