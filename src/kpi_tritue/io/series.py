"""The report years of `kpi trend`: workbooks of several years read into one dataset per
year, and the `ChuyenDoiDonVi` sheets read into unit changes.

files → `open_inputs` (each opened once) → grouped by report year (each file's
`Ngày số liệu`, else `Năm báo cáo`) → one `Dataset` per year, read from the workbooks
already opened, with the `SoLieu` figures of every file available to every year. What is
computed from them is `compute/trend.py`; the method is `spec/progress.md`.

Decisions where the method is silent:

- A file states its year in `ThongTin`; a file that does not is an error, since its year
  cannot be guessed. `as_of_override` (`--as-of`) is the reference date of the files that
  state no year, and of every file of its own year; other years keep their own dates
  (overriding them all would fold every year into one).
- `SoLieu` rows are pooled over all files: a figure of year Y counts for year Y whichever
  file gives it. When two files give different values, the report of year Y itself wins,
  else the latest report (a warning names both). Years that only `SoLieu` rows give (no
  report file of that year) are kept when they let an indicator that uses nothing but
  figures be computed; the indicators that need staff rows have no value there.
- `NhanSu` is required of the run, not of each year or file: a report without it (its
  year's `SoLieu` only) is accepted in a trend, and a workbook holding only
  `ChuyenDoiDonVi` needs no year.
- `ChuyenDoiDonVi` is read once for all years, without the year's date bounds (a change
  may be announced ahead); one change per old unit and date, a different new unit for
  the same is an error.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

import pandas as pd

from kpi_tritue.catalog.measures import FigureMeasure, Measure, iter_measures, metric_code
from kpi_tritue.catalog.model import Catalog, Indicator
from kpi_tritue.contract.bookkeeping import INVALID, ROW
from kpi_tritue.contract.normalize import unit_key
from kpi_tritue.contract.privacy import KnownNames, redact_issues
from kpi_tritue.contract.schema import (
    CONTRACT,
    FIGURES,
    INFO,
    METRIC,
    UNIT_CHANGES,
    WORKFORCE,
    Contract,
)
from kpi_tritue.contract.values import Bounds
from kpi_tritue.i18n import Amount
from kpi_tritue.io.dataset import Dataset, load_dataset
from kpi_tritue.io.frames import at, is_missing
from kpi_tritue.io.inputs import (
    OpenedInputs,
    ProgressCallback,
    missing_workforce,
    open_inputs,
)
from kpi_tritue.io.load_ahead import PartsAhead
from kpi_tritue.io.tables import FILE, Table
from kpi_tritue.io.workbook import OpenedWorkbook, read_tables
from kpi_tritue.model.issues import Issue, Severity, sorted_issues
from kpi_tritue.model.sources import AsOfSource, ReferenceDate, Source
from kpi_tritue.model.targets import TOLERANCE
from kpi_tritue.model.trend import FileSource

# Dates in `ChuyenDoiDonVi` may lie after a file's reference date: a change announced.
_LOOSE = Bounds(report_year=9999, as_of=date(9999, 12, 31))


# ---------------------------------------------------------------------------------------
# The input: one dataset per report year


@dataclass(frozen=True)
class UnitChange:
    """One row of `ChuyenDoiDonVi`: `old_unit` is part of `new_unit` from `effective`."""

    old_unit: str
    new_unit: str
    effective: date

    @property
    def old_key(self) -> str:
        return unit_key(self.old_unit)


@dataclass(frozen=True)
class YearData:
    """One report year: its dataset. `dataset.sources[:own_sources]` are the year's own
    reports; later sources only lent it `SoLieu` figures of this or earlier years."""

    year: int
    dataset: Dataset
    own_sources: int

    @property
    def as_of(self) -> date:
        return self.dataset.as_of

    @property
    def has_workforce(self) -> bool:
        return self.dataset.table(WORKFORCE.key) is not None

    @property
    def sources(self) -> tuple[Source, ...]:
        return tuple(self.dataset.sources[: self.own_sources])

    @property
    def figure_sources(self) -> tuple[Source, ...]:
        return tuple(self.dataset.sources[self.own_sources :])


@dataclass(frozen=True)
class YearlyData:
    """Everything `load_series` read: the years in order, the unit changes, the issues."""

    years: tuple[YearData, ...]
    sources: tuple[FileSource, ...]
    unit_changes: tuple[UnitChange, ...] = ()
    issues: tuple[Issue, ...] = ()
    invalid_unit_changes: int = 0

    @property
    def has_errors(self) -> bool:
        return any(issue.severity is Severity.ERROR for issue in self.issues)

    def year(self, year: int) -> YearData:
        for data in self.years:
            if data.year == year:
                return data
        raise KeyError(year)

    def without_invalid_rows(self) -> tuple[YearlyData, int]:
        """Every row with an error left out, and how many rows of the files that was."""
        years: list[YearData] = []
        dropped = self.invalid_unit_changes
        for data in self.years:
            cleaned, _ = data.dataset.without_invalid_rows()
            for table in data.dataset.tables.values():
                # Lent figures are counted in the year that owns them only.
                frame = table.frame
                own = frame[FILE] < data.own_sources
                dropped += int((own & frame[INVALID]).sum())
            years.append(replace(data, dataset=cleaned))
        return replace(self, years=tuple(years), invalid_unit_changes=0), dropped


@dataclass
class _Opened:
    workbook: OpenedWorkbook
    year: int | None
    has_data: bool


def load_series(
    inputs: Sequence[str] | OpenedInputs,
    *,
    catalog: Catalog,
    as_of_override: date | None = None,
    progress: ProgressCallback | None = None,
    contract: Contract = CONTRACT,
) -> YearlyData:
    """Read workbooks of several report years into one dataset per year. Never raises for
    bad input: see `issues`. The order of `inputs` changes nothing.

    `inputs`: the files and folders given, or the workbooks `open_inputs` opened from
    them; either way each workbook is opened once. `contract`: the one to open them with
    (workbooks already opened keep theirs).
    """
    if not isinstance(inputs, OpenedInputs):

        def opening(step: int, found: int, name: str) -> None:
            if progress:
                progress(step, 2 * found, name)

        inputs = open_inputs(inputs, contract=contract, progress=opening)
    total = 2 * inputs.found
    issues = list(inputs.issues)
    sources: list[FileSource] = []
    opened: list[_Opened] = []
    changes: list[_ChangeRow] = []
    for workbook in inputs.workbooks:
        found = _classify(workbook, as_of_override)
        changes.extend(_read_changes(workbook, issues))
        sources.append(FileSource(workbook.display, workbook.sha256, found.year))
        if not found.has_data:
            # A mapping-only workbook needs no year; a workbook with no sheet of the form
            # at all has its error (`no_contract_sheet`).
            issues.extend(workbook.issues)
            continue
        if found.year is None:
            issues.extend(workbook.issues)
            issues.append(
                Issue(
                    Severity.ERROR,
                    "trend_year_unknown",
                    file=workbook.display,
                    sheet=workbook.sheet_names.get(INFO.key),
                )
            )
            continue
        opened.append(found)
    # `NhanSu` is required of the run (all its years), not of each year or file.
    issues += missing_workforce(inputs)

    groups: dict[int, list[_Opened]] = defaultdict(list)
    for found in opened:
        assert found.year is not None
        groups[found.year].append(found)
    step = inputs.found
    loaded: dict[int, Dataset] = {}
    in_order = sorted(groups)
    # Each year's first workbook loaded while the year before it is read (`PartsAhead`).
    with PartsAhead([groups[y][0].workbook for y in in_order], inputs.contract) as ahead:
        for part, year in enumerate(in_order):
            ahead.take(part)
            members = groups[year]
            option = as_of_override if as_of_override and as_of_override.year == year else None
            offset = step - len(members)  # the year's files are opened: its steps are reads

            def report(done: int, _total: int, label: str, offset: int = offset) -> None:
                if progress:
                    progress(min(offset + done, total), total, label)

            year_inputs = OpenedInputs(
                len(members), tuple(m.workbook for m in members), (), inputs.contract
            )
            dataset = load_dataset(
                year_inputs,
                as_of=option,
                today=date(year, 12, 31),
                progress=report if progress else None,
                require_workforce=False,
                roles=catalog.roles,
            )
            step += len(members)
            loaded[year] = _drop_trend_sheets(dataset, members)
    if progress:
        progress(total, total, "")

    unit_changes, change_issues, invalid_changes = _consolidate_changes(changes)
    issues.extend(change_issues)
    pool, pool_issues = _pool_figures(loaded)
    issues.extend(pool_issues)
    years = _year_datasets(loaded, pool, catalog)
    for data in years:
        issues.extend(data.dataset.issues)
    # The names of every year hide what the files that were not read as a year quote.
    issues = redact_issues(issues, KnownNames.union(d.names for d in loaded.values()))
    return YearlyData(
        years=tuple(years),
        sources=tuple(sorted(sources, key=lambda s: s.path)),
        unit_changes=unit_changes,
        issues=tuple(without_repeats(sorted_issues(issues))),
        invalid_unit_changes=invalid_changes,
    )


_DATA_SHEETS = frozenset(
    spec.key for spec in CONTRACT.sheets if spec.key not in (INFO.key, UNIT_CHANGES.key)
)


def _classify(workbook: OpenedWorkbook, as_of_override: date | None) -> _Opened:
    info = workbook.info
    year = info.as_of.year if info.as_of is not None else info.report_year
    if year is None and as_of_override is not None:
        year = as_of_override.year
    matched = set(workbook.sheet_names)
    return _Opened(
        workbook=workbook,
        year=year,
        has_data=bool(matched & _DATA_SHEETS),
    )


def _drop_trend_sheets(dataset: Dataset, members: Sequence[_Opened]) -> Dataset:
    """The year's dataset without `ChuyenDoiDonVi` (read once, for all years, by
    `_read_changes`)."""
    mapping_sheets = {
        (m.workbook.display, m.workbook.sheet_names[UNIT_CHANGES.key])
        for m in members
        if UNIT_CHANGES.key in m.workbook.sheet_names
    }
    issues = [issue for issue in dataset.issues if (issue.file, issue.sheet) not in mapping_sheets]
    tables = {k: t for k, t in dataset.tables.items() if k != UNIT_CHANGES.key}
    return replace(dataset, tables=tables, issues=issues)


def without_repeats(issues: Iterable[Issue]) -> list[Issue]:
    """Issues without repeats (a lent figure is checked in every year that sees it)."""
    seen: set[tuple[object, ...]] = set()
    kept: list[Issue] = []
    for issue in issues:
        key = (*issue.sort_key(), issue.column, tuple(sorted(issue.params.items())))
        if key not in seen:
            seen.add(key)
            kept.append(issue)
    return kept


# -- ChuyenDoiDonVi ---------------------------------------------------------------------


@dataclass(frozen=True)
class _ChangeRow:
    change: UnitChange | None  # None: the row has an error
    file: str
    sheet: str
    row: int
    cell: str | None


def _read_changes(workbook: OpenedWorkbook, issues: list[Issue]) -> list[_ChangeRow]:
    """The `ChuyenDoiDonVi` rows of one workbook, read without the year's date bounds."""
    if UNIT_CHANGES.key not in workbook.sheet_names:
        return []
    before = len(workbook.issues)
    loaded = read_tables(workbook, _LOOSE, Contract(sheets=(UNIT_CHANGES,)))
    issues.extend(loaded.issues[before:])
    table = loaded.tables.get(UNIT_CHANGES.key)
    if table is None:
        return []
    frame = table.frame
    rows: list[_ChangeRow] = []
    keys = [k for k in ("old_unit", "new_unit", "effective_date") if k in frame]
    for index in frame.index:
        row = int(at(frame, index, ROW))
        values = [at(frame, index, key) for key in keys]
        change: UnitChange | None = None
        if (
            len(values) == 3
            and not bool(at(frame, index, INVALID))
            and not any(is_missing(v) for v in values)
        ):
            old, new, when = values
            change = UnitChange(str(old), str(new), pd.Timestamp(when).date())
        rows.append(
            _ChangeRow(change, workbook.display, table.sheet_name, row, table.cell("new_unit", row))
        )
    return rows


def _consolidate_changes(
    rows: Sequence[_ChangeRow],
) -> tuple[tuple[UnitChange, ...], list[Issue], int]:
    """One change per old unit and date: repeats accepted once, a different new unit is
    an error (the first by file and row is kept)."""
    kept: dict[tuple[str, date], _ChangeRow] = {}
    issues: list[Issue] = []
    invalid = 0
    for row in sorted(rows, key=lambda r: (r.file, r.row)):
        if row.change is None:
            invalid += 1
            continue
        change = row.change
        if unit_key(change.old_unit) == unit_key(change.new_unit):
            continue
        key = (change.old_key, change.effective)
        first = kept.get(key)
        if first is None:
            kept[key] = row
            continue
        assert first.change is not None
        if unit_key(first.change.new_unit) != unit_key(change.new_unit):
            where = f"{first.sheet}!{first.cell or first.row}"
            issues.append(
                Issue(
                    Severity.ERROR,
                    "conflicting_row",
                    file=row.file,
                    sheet=row.sheet,
                    row=row.row,
                    column=UNIT_CHANGES.column("new_unit").header,
                    cell=row.cell,
                    params={
                        "key": f"{change.old_unit} / {change.effective.strftime('%d/%m/%Y')}",
                        "other": where if first.file == row.file else f"{first.file} › {where}",
                    },
                )
            )
    changes = sorted(
        (r.change for r in kept.values() if r.change is not None),
        key=lambda c: (c.old_key, c.effective, unit_key(c.new_unit)),
    )
    return tuple(changes), issues, invalid


# -- SoLieu over all files --------------------------------------------------------------


@dataclass(frozen=True)
class _Figure:
    metric: str
    value: float
    year: int
    area: str | None
    area_key: str
    invalid: bool
    file_year: int
    source: Source
    sheet: str
    row: int
    letters: tuple[tuple[str, str], ...]

    def rank(self) -> tuple[bool, bool, int, str, int]:
        """Valid first; then the report of the figure's own year; then the latest report."""
        return (
            self.invalid,
            self.file_year != self.year,
            -self.file_year,
            self.source.path,
            self.row,
        )

    def place(self) -> str:
        letter = dict(self.letters).get("value")
        return (
            f"{self.source.path} › {self.sheet}!{letter}{self.row}"
            if letter
            else (f"{self.source.path} › {self.sheet}!{self.row}")
        )


def _figure_rows(year: int, dataset: Dataset) -> list[_Figure]:
    table = dataset.table(FIGURES.key)
    if table is None:
        return []
    frame = table.frame
    area = frame["area"] if "area" in frame else pd.Series(pd.NA, index=frame.index)
    rows: list[_Figure] = []
    for metric, value, figure_year, where, file, row, invalid in zip(
        frame["metric"],
        frame["value"],
        frame["year"],
        area,
        frame[FILE],
        frame[ROW],
        frame[INVALID],
        strict=True,
    ):
        if pd.isna(metric) or pd.isna(value) or pd.isna(figure_year):
            continue
        name = None if pd.isna(where) else str(where)
        rows.append(
            _Figure(
                metric=str(metric),
                value=float(value),
                year=int(figure_year),
                area=name,
                area_key=unit_key(name) if name else "",
                invalid=bool(invalid),
                file_year=year,
                source=dataset.sources[int(file)],
                sheet=table.sheet_names[int(file)],
                row=int(row),
                letters=tuple(sorted(table.letters.get(int(file), {}).items())),
            )
        )
    return rows


def _pool_figures(loaded: Mapping[int, Dataset]) -> tuple[list[_Figure], list[Issue]]:
    """One figure per metric, year and area over every file; a different value given by
    another year's report is a warning."""
    candidates: dict[tuple[str, int, str], list[_Figure]] = defaultdict(list)
    for year, dataset in loaded.items():
        for figure in _figure_rows(year, dataset):
            candidates[(figure.metric, figure.year, figure.area_key)].append(figure)
    pool: list[_Figure] = []
    issues: list[Issue] = []
    for key in sorted(candidates):
        ranked = sorted(candidates[key], key=_Figure.rank)
        chosen = ranked[0]
        pool.append(chosen)
        for other in ranked[1:]:
            # Within one year's files, consolidation has already said so.
            if other.file_year == chosen.file_year or other.invalid:
                continue
            if abs(other.value - chosen.value) <= TOLERANCE * max(1.0, abs(chosen.value)):
                continue
            issues.append(
                Issue(
                    Severity.WARNING,
                    "trend_figure_differs",
                    file=other.source.path,
                    sheet=other.sheet,
                    row=other.row,
                    column=FIGURES.column("value").header,
                    cell=f"{dict(other.letters)['value']}{other.row}"
                    if "value" in dict(other.letters)
                    else None,
                    params={
                        "metric": METRIC.label(other.metric, "vi"),
                        "year": other.year,
                        "value": Amount(other.value),
                        "used": Amount(chosen.value),
                        "other": chosen.place(),
                    },
                )
            )
    return pool, issues


def _figures_table(pool: Sequence[_Figure], sources: list[Source]) -> Table:
    """A `SoLieu` table of pooled figures; `sources` grows by the files that lent them."""
    index_of = {source.path: i for i, source in enumerate(sources)}
    sheet_names: dict[int, str] = {}
    letters: dict[int, dict[str, str]] = {}
    files: list[int] = []
    for figure in pool:
        if figure.source.path not in index_of:
            index_of[figure.source.path] = len(sources)
            sources.append(figure.source)
        file = index_of[figure.source.path]
        files.append(file)
        sheet_names.setdefault(file, figure.sheet)
        letters.setdefault(file, dict(figure.letters))
    frame = pd.DataFrame(
        {
            FILE: pd.Series(files, dtype="int64"),
            ROW: pd.Series([f.row for f in pool], dtype="int64"),
            "metric": pd.Categorical([f.metric for f in pool], categories=list(METRIC.codes)),
            "value": pd.array([f.value for f in pool], dtype="Float64"),
            "year": pd.array([f.year for f in pool], dtype="Int64"),
            "area": pd.Series([f.area for f in pool], dtype="object"),
            INVALID: pd.Series([f.invalid for f in pool], dtype="bool"),
        }
    )
    return Table(
        spec=FIGURES,
        frame=frame,
        present=frozenset({"metric", "value", "year", "area"}),
        sheet_names=sheet_names,
        letters=letters,
    )


def _year_datasets(
    loaded: Mapping[int, Dataset], pool: Sequence[_Figure], catalog: Catalog
) -> list[YearData]:
    """Each report year with the pooled figures, plus the years only figures give."""
    years: dict[int, YearData] = {}
    for year, dataset in loaded.items():
        sources = list(dataset.sources)
        own = len(sources)
        seen = [f for f in pool if f.year <= year]
        tables = dict(dataset.tables)
        if seen or FIGURES.key in tables:
            tables[FIGURES.key] = _figures_table(seen, sources)
        years[year] = YearData(year, replace(dataset, sources=sources, tables=tables), own)
    for year in sorted({f.year for f in pool} - set(loaded)):
        if not _figures_compute_something(catalog, [f for f in pool if f.year == year]):
            continue
        sources = []
        table = _figures_table([f for f in pool if f.year <= year], sources)
        dataset = Dataset(
            sources=sources,
            reference=ReferenceDate(date(year, 12, 31), AsOfSource.YEAR),
            tables={FIGURES.key: table},
        )
        years[year] = YearData(year, dataset, 0)
    return [years[year] for year in sorted(years)]


def _figures_compute_something(catalog: Catalog, figures: Sequence[_Figure]) -> bool:
    """Whether one year's own figures give a value to an indicator that figures alone can
    compute (its own measures, or its override: talents among new recruits)."""
    present = {f.metric for f in figures if not f.invalid}
    for indicator in catalog.indicators:
        for numerator, denominator in _figure_pairs(indicator):
            needed = _needed_metrics(numerator, denominator)
            if needed and needed <= present:
                return True
    return False


def _figure_pairs(indicator: Indicator) -> list[tuple[Measure, Measure | None]]:
    """The (numerator, denominator) pairs of an indicator that are figures alone."""
    if indicator.kind != "ratio" or indicator.numerator is None:
        return []
    pairs: list[tuple[Measure, Measure | None]] = [(indicator.numerator, indicator.denominator)]
    if indicator.override is not None:
        pairs.append((indicator.override.numerator, indicator.override.denominator))
    return [
        (n, d)
        for n, d in pairs
        if all(isinstance(m, FigureMeasure) for t in (n, d) if t for m in iter_measures(t))
    ]


def _needed_metrics(*tops: Measure | None) -> set[str]:
    """The figures a measure cannot do without (those with a default can)."""
    needed: set[str] = set()
    for top in tops:
        if top is None:
            continue
        for measure in iter_measures(top):
            if isinstance(measure, FigureMeasure) and measure.default is None:
                code = metric_code(measure.figure)
                if code is not None:
                    needed.add(code)
    return needed


__all__ = [
    "UnitChange",
    "YearData",
    "YearlyData",
    "load_series",
    "without_repeats",
]
