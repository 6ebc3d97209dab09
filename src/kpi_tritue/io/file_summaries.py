"""One line per input file (`kpi validate`): rows read, issues, report year and unit.

Counted once the run is read, from the dataset's final issues (capped and redacted: a
summary issue counts as the issues it stands for), so that the lines add up to what the
issues list says. An issue names at most one file: it is counted on that file's line, and
an issue of no file (the run's: report years that differ, no `NhanSu` anywhere) on none.
"""

from __future__ import annotations

from collections.abc import Sequence

from kpi_tritue.contract.privacy import REDACTED, KnownNames, quote
from kpi_tritue.contract.schema import UNITS, WORKFORCE
from kpi_tritue.i18n.numbers import printable
from kpi_tritue.io.inputs import NO_WORKBOOKS_IN_FOLDER
from kpi_tritue.io.tables import FILE, Table
from kpi_tritue.io.workbook import OpenedWorkbook
from kpi_tritue.model.issues import Issue, Severity, count_by_severity
from kpi_tritue.model.sources import FileSummaries, FileSummary, ReferenceDate


def summarize_files(
    workbooks: Sequence[OpenedWorkbook],
    tables: dict[str, Table],
    issues: Sequence[Issue],
    reference: ReferenceDate,
    names: KnownNames,
) -> FileSummaries:
    """The line of each workbook read (`workbooks[i]` is file index `i` of the tables),
    and of each path met only in an issue (a file that could not be opened, a report of
    kpi's own skipped, a folder without workbooks), sorted by path."""
    rows = _rows_by_file(tables.get(WORKFORCE.key))
    unit_rows = _rows_by_file(tables.get(UNITS.key))
    by_file: dict[str | None, list[Issue]] = {}
    for issue in issues:
        by_file.setdefault(issue.file, []).append(issue)
    units = _units([workbook.info.reporting_unit for workbook in workbooks], names)
    lines: list[FileSummary] = []
    for index, workbook in enumerate(workbooks):
        info = workbook.info
        year = info.as_of.year if info.as_of is not None else info.report_year
        mine = by_file.pop(workbook.display, [])
        # An issue's file is made printable with the rest of it (`redact_issues`).
        shown = printable(workbook.display)
        if shown != workbook.display:
            mine += by_file.pop(shown, [])
        lines.append(
            _line(
                workbook.display,
                mine,
                rows=rows.get(index, 0),
                unit_rows=unit_rows.get(index, 0),
                # Nothing read (no sheet of the form): no year either.
                report_year=(year or reference.report_year) if workbook.sheet_names else None,
                reporting_unit=units[index],
            )
        )
    run = by_file.pop(None, [])
    folders = 0
    for path, mine in by_file.items():
        assert path is not None
        lines.append(_line(path, mine, rows=0, unit_rows=0, report_year=None, reporting_unit=None))
        folders += all(issue.code == NO_WORKBOOKS_IN_FOLDER for issue in mine)
    counts = count_by_severity(run)
    return FileSummaries(
        files=tuple(sorted(lines, key=lambda line: line.path)),
        run_errors=counts[Severity.ERROR],
        run_warnings=counts[Severity.WARNING],
        run_infos=counts[Severity.INFO],
        folders=folders,
    )


def _line(
    path: str,
    issues: Sequence[Issue],
    *,
    rows: int,
    unit_rows: int,
    report_year: int | None,
    reporting_unit: str | None,
) -> FileSummary:
    counts = count_by_severity(issues)
    return FileSummary(
        path=path,
        rows=rows,
        unit_rows=unit_rows,
        errors=counts[Severity.ERROR],
        warnings=counts[Severity.WARNING],
        infos=counts[Severity.INFO],
        report_year=report_year,
        reporting_unit=reporting_unit,
    )


def _rows_by_file(table: Table | None) -> dict[int, int]:
    if table is None:
        return {}
    counts = table.frame[FILE].value_counts()
    return dict(zip(counts.index.tolist(), counts.tolist(), strict=True))


def _units(values: Sequence[object], names: KnownNames) -> list[str | None]:
    """Each file's `Đơn vị báo cáo` as it may be shown: free text from the file, so cut
    and made printable (`quote`), and `***` when it holds a person's name (privacy.py);
    the run's looked for names at once."""
    texts = ["" if value is None else str(value).strip() for value in values]
    filled = [text for text in texts if text]
    held = iter(names.holding(filled))
    return [(REDACTED if next(held) else quote(text)) if text else None for text in texts]


__all__ = ["summarize_files"]
