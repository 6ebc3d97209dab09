"""Progress toward the target year: every indicator over the report years (`kpi trend`).

files → grouped by report year (each file's `Ngày số liệu`, else `Năm báo cáo`) → one
`Dataset` per year, with the `SoLieu` figures of every file available to every year →
`compute` per year → per indicator: base and latest value, a least-squares line through
the yearly values evaluated at the target year, the progress ratio and its class, and the
pace still needed. The method is `spec/progress.md`; the thresholds are the catalog's
`[trend]` settings (UN Statistics Division, SDG Progress Chart).

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
- The engine's fallback to an earlier year's figure is the method of `compute`; in a trend
  it would repeat a value. An indicator computed from figures only has no value in a year
  unless every figure it needs is of that year itself. Where rows are counted too (doctors
  over the population), the count is the year's own and the fallback stays, noted.
- A zero denominator stays no_data; where the indicator's level (such as `Huyện`) has no
  rows at all that year, the note says so, and that the district level was abolished on
  1 July 2025 where that is why — the value did not fall to zero, its population is gone.
- Classes are decided on the years with a value: the latest value meeting the target is
  `achieved` (even in a single year); above a band it is `above_range`, with the run of
  years it has been so; with fewer than two values it is `insufficient_data`; otherwise
  the ratio decides. When the base already met the target (or lay beyond it) and the
  latest does not, the ratio has no meaning: the class is `stagnating_or_regressing`.
- Projections are clamped to 0–100 for percentages, to 0–1 for milestones and to ≥ 0
  otherwise. Milestones follow the method on their 0/1 values; they have no pace.
  Tracked figures (no target) get their yearly values and slope, and no class.
- The required pace is 0 once achieved, and none once the target year is reached. For
  indicators whose numerator counts people, it is also given in people per year:
  pace × the latest year's denominator ÷ factor (the denominator held as it is now,
  as the shortfall does).
- A 95 % Wilson interval (`ci95`) is given for percentages whose denominator counts
  people (a count of `NhanSu` rows, or in its place the figures of people the catalog's
  override uses: talents among new recruits); values over fewer than 30 people are marked.
- A report without `NhanSu` (its year's `SoLieu` only) is accepted in a trend, and a
  workbook holding only `ChuyenDoiDonVi` needs no year.
- `ChuyenDoiDonVi` maps old units onto new ones for `by="unit"` only: rows of a year
  whose reference date is before a change's effective date count under the new unit
  (changes chain). Province values are computed without it: a mapping never changes them.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

import pandas as pd

from kpi_tritue.catalog.model import (
    Catalog,
    CountMeasure,
    FigureMeasure,
    Indicator,
    Measure,
    SubsetMeasure,
    TrendSettings,
    enum_code,
    iter_measures,
    metric_code,
)
from kpi_tritue.compute.engine import TOLERANCE, Computation, GroupBy, compute
from kpi_tritue.compute.stats import wilson_interval
from kpi_tritue.contract.normalize import unit_key, unit_keys
from kpi_tritue.contract.privacy import KnownNames, redact_issues
from kpi_tritue.contract.schema import (
    CONTRACT,
    FIGURES,
    INFO,
    LEVEL,
    METRIC,
    UNIT_CHANGES,
    UNITS,
    WORKFORCE,
    Contract,
)
from kpi_tritue.contract.values import Bounds
from kpi_tritue.i18n import Lang
from kpi_tritue.io.dataset import (
    FILE,
    AsOfSource,
    Dataset,
    ProgressCallback,
    ReferenceDate,
    Source,
    Table,
    expand_inputs,
    load_dataset,
    nothing_but_reports,
)
from kpi_tritue.io.frames import at, is_missing
from kpi_tritue.io.workbook import INVALID, ROW, OpenedWorkbook, open_workbook, read_tables
from kpi_tritue.model.issues import Issue, Severity, sorted_issues
from kpi_tritue.model.results import (
    IndicatorResult,
    Measurement,
    Note,
    Status,
    Target,
    Unit,
)

# The district level of local government ended on this date (Law on the Organisation of
# Local Government 2025): district populations are gone from then on, not zero.
DISTRICT_LEVEL_ABOLISHED = date(2025, 7, 1)
# Below this many people a percentage is marked: "20 % of 5" is not a census figure.
SMALL_DENOMINATOR = 30
# Dates in `ChuyenDoiDonVi` may lie after a file's reference date: a change announced.
_LOOSE = Bounds(report_year=9999, as_of=date(9999, 12, 31))


class TrendClass(StrEnum):
    """Where an indicator is heading (spec/progress.md)."""

    ACHIEVED = "achieved"
    ABOVE_RANGE = "above_range"
    ON_TRACK = "on_track"
    NEEDS_ACCELERATION = "needs_acceleration"
    STAGNATING_OR_REGRESSING = "stagnating_or_regressing"
    INSUFFICIENT_DATA = "insufficient_data"


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
class FileSource:
    """A file given, and the report year it states (None: a mapping-only file)."""

    path: str
    sha256: str
    year: int | None


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
    has_workforce: bool
    has_data: bool


def load_series(
    inputs: Sequence[str],
    *,
    catalog: Catalog,
    as_of_override: date | None = None,
    progress: ProgressCallback | None = None,
) -> YearlyData:
    """Read workbooks of several report years into one dataset per year. Never raises for
    bad input: see `issues`. The order of `inputs` changes nothing."""
    files, issues = expand_inputs(inputs)
    total = 3 * len(files)
    sources: list[FileSource] = []
    opened: list[_Opened] = []
    changes: list[_ChangeRow] = []
    for step, (path, display) in enumerate(files):
        if progress:
            progress(step, total, display)
        result = open_workbook(path, display)
        if isinstance(result, list):
            issues.extend(result)
            continue
        found = _classify(result, as_of_override)
        changes.extend(_read_changes(result, issues))
        sources.append(FileSource(display, result.sha256, found.year))
        if not found.has_data:
            # A mapping-only workbook needs no year and no workforce sheet; a workbook
            # with no sheet of the form at all keeps its missing-NhanSu error.
            if UNIT_CHANGES.key in result.sheet_names:
                issues.extend(_without_workforce_error(result.issues, result.display))
            else:
                issues.extend(result.issues)
            continue
        if found.year is None:
            issues.extend(result.issues)
            issues.append(
                Issue(
                    Severity.ERROR,
                    "trend_year_unknown",
                    file=display,
                    sheet=result.sheet_names.get(INFO.key),
                )
            )
            continue
        opened.append(found)
    if not sources:
        issues += nothing_but_reports(issues)

    groups: dict[int, list[_Opened]] = defaultdict(list)
    for found in opened:
        assert found.year is not None
        groups[found.year].append(found)
    step = len(files)
    loaded: dict[int, Dataset] = {}
    for year in sorted(groups):
        members = groups[year]
        option = as_of_override if as_of_override and as_of_override.year == year else None
        offset = step

        def report(done: int, _total: int, label: str, offset: int = offset) -> None:
            if progress:
                progress(min(offset + done, total), total, label)

        dataset = load_dataset(
            [m.workbook.display for m in members],
            as_of=option,
            today=date(year, 12, 31),
            progress=report if progress else None,
        )
        step += 2 * len(members)
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
        issues=tuple(_unique(sorted_issues(issues))),
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
        has_workforce=WORKFORCE.key in matched,
        has_data=bool(matched & _DATA_SHEETS),
    )


def _without_workforce_error(issues: Iterable[Issue], file: str) -> list[Issue]:
    return [i for i in issues if not (i.code == "missing_workforce_sheet" and i.file == file)]


def _drop_trend_sheets(dataset: Dataset, members: Sequence[_Opened]) -> Dataset:
    """The year's dataset without `ChuyenDoiDonVi` (read once, for all years, by
    `_read_changes`), and without the missing-`NhanSu` error of a file that has other
    sheets of the form: in a trend, a `SoLieu`-only report lends what it has."""
    mapping_sheets = {
        (m.workbook.display, m.workbook.sheet_names[UNIT_CHANGES.key])
        for m in members
        if UNIT_CHANGES.key in m.workbook.sheet_names
    }
    figures_only = {m.workbook.display for m in members if not m.has_workforce}
    issues = [
        issue
        for issue in dataset.issues
        if (issue.file, issue.sheet) not in mapping_sheets
        and not (issue.code == "missing_workforce_sheet" and issue.file in figures_only)
    ]
    tables = {k: t for k, t in dataset.tables.items() if k != UNIT_CHANGES.key}
    return replace(dataset, tables=tables, issues=issues)


def _unique(issues: Iterable[Issue]) -> list[Issue]:
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


def unit_mapping(changes: Iterable[UnitChange], as_of: date) -> dict[str, str]:
    """Old unit key → the unit it is part of for data dated `as_of`.

    A change applies to data dated before its effective date; changes chain (A → B in
    2020, B → C in 2025: data of 2019 on A counts under C). Of several changes of one old
    name, the first still to come applies (a name may be reused by a new unit).
    """
    upcoming: dict[str, UnitChange] = {}
    for change in sorted(changes, key=lambda c: (c.old_key, c.effective)):
        if as_of < change.effective:
            upcoming.setdefault(change.old_key, change)
    mapping: dict[str, str] = {}
    for key, change in upcoming.items():
        seen = {key}
        target = change
        while (next_change := upcoming.get(unit_key(target.new_unit))) is not None:
            if next_change.old_key in seen or next_change.effective < target.effective:
                break  # a loop, or a change that was already past: stop here
            seen.add(next_change.old_key)
            target = next_change
        mapping[key] = target.new_unit
    return mapping


def _mapped_dataset(dataset: Dataset, changes: Sequence[UnitChange]) -> Dataset:
    """The dataset with the units of `NhanSu` and `DonVi` replaced by the units they became."""
    mapping = unit_mapping(changes, dataset.as_of)
    if not mapping:
        return dataset
    tables = dict(dataset.tables)
    for key in (WORKFORCE.key, UNITS.key):
        table = tables.get(key)
        if table is None or "unit" not in table.frame:
            continue
        frame = table.frame.copy()
        units = frame["unit"]
        new = unit_keys(units).map(mapping)
        frame["unit"] = pd.Series(
            [n if isinstance(n, str) else u for n, u in zip(new, units, strict=True)],
            index=frame.index,
            dtype=units.dtype,
        )
        tables[key] = replace(table, frame=frame)
    return replace(dataset, tables=tables)


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
                        "value": _number_text(other.value),
                        "used": _number_text(chosen.value),
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


# ---------------------------------------------------------------------------------------
# What the catalog says about an indicator


def figures_only(indicator: Indicator) -> bool:
    """An indicator whose own measures are `SoLieu` figures alone (no rows counted)."""
    if indicator.kind != "ratio" or indicator.numerator is None:
        return False
    tops = (indicator.numerator, indicator.denominator)
    return all(isinstance(m, FigureMeasure) for t in tops if t for m in iter_measures(t))


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


def counts_people(indicator: Indicator) -> bool:
    """Whether the numerator counts people (rows of `NhanSu`): the pace has a head count."""
    if indicator.kind != "ratio" or indicator.numerator is None:
        return False
    for measure in iter_measures(indicator.numerator):
        if isinstance(measure, CountMeasure) and measure.sheet == WORKFORCE.key:
            return True
        if isinstance(measure, SubsetMeasure) and _is_people(indicator.denominator):
            return True
    return False


def share_of_people(indicator: Indicator) -> bool:
    """A percentage of a number of people: its value has a Wilson interval."""
    return indicator.is_share_of_people


def _is_people(measure: Measure | None) -> bool:
    return isinstance(measure, CountMeasure) and measure.sheet == WORKFORCE.key


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


def _denominator_levels(indicator: Indicator) -> frozenset[str]:
    """The levels (`Cấp`) an indicator's people must belong to, if its filter says so."""
    measure = indicator.denominator
    if not isinstance(measure, CountMeasure) or measure.sheet != WORKFORCE.key:
        return frozenset()
    levels: set[str] = set()
    for condition in measure.where:
        if condition.column == "level" and condition.in_ is not None:
            codes = (enum_code(LEVEL, str(v)) for v in condition.in_)
            levels |= {c for c in codes if c is not None}
    return frozenset(levels)


# ---------------------------------------------------------------------------------------
# The results


@dataclass(frozen=True)
class YearPoint:
    """One indicator (or group) in one report year."""

    year: int
    value: float | None
    status: Status
    numerator: float | None = None
    denominator: float | None = None
    note: Note | None = None
    ci95: tuple[float, float] | None = None
    # The denominator counts fewer than SMALL_DENOMINATOR people.
    small: bool = False


@dataclass(frozen=True)
class Progress:
    """The method of spec/progress.md applied to one series."""

    trend_class: TrendClass | None
    base_year: int | None = None
    base: float | None = None
    latest_year: int | None = None
    latest: float | None = None
    # v*: the target value the ratio and the pace aim at (a band's nearer bound).
    goal: float | None = None
    target_year: int | None = None
    slope: float | None = None
    projection: float | None = None
    ratio: float | None = None
    required_pace: float | None = None
    required_pace_people: float | None = None
    above_range_years: tuple[int, ...] = ()


@dataclass(frozen=True)
class GroupTrend:
    group: str
    points: tuple[YearPoint, ...]
    progress: Progress


@dataclass(frozen=True)
class IndicatorTrend:
    id: str
    name_vi: str
    name_en: str
    clause: str
    field: str
    unit: Unit
    target: Target | None
    factor: float
    points: tuple[YearPoint, ...]
    progress: Progress
    # A share of people (Wilson interval, small-denominator mark); a numerator of people.
    share_of_people: bool = False
    counts_people: bool = False
    breakdown: tuple[GroupTrend, ...] | None = None

    def name(self, lang: Lang) -> str:
        return self.name_vi if lang == "vi" else self.name_en

    def point(self, year: int) -> YearPoint | None:
        for point in self.points:
            if point.year == year:
                return point
        return None


@dataclass(frozen=True)
class ReportYear:
    year: int
    as_of: date
    as_of_source: AsOfSource
    sources: tuple[Source, ...]
    figure_sources: tuple[Source, ...]
    has_workforce: bool


@dataclass(frozen=True)
class TrendResult:
    catalog_id: str
    settings: TrendSettings
    years: tuple[ReportYear, ...]
    sources: tuple[FileSource, ...]
    indicators: tuple[IndicatorTrend, ...]
    issues: tuple[Issue, ...] = ()
    by: GroupBy | None = None

    @property
    def year_numbers(self) -> tuple[int, ...]:
        return tuple(year.year for year in self.years)

    @property
    def horizon(self) -> int | None:
        """The target year most indicators share (the plan's horizon)."""
        years = Counter(i.target.year for i in self.indicators if i.target is not None)
        if not years:
            return None
        return min(years, key=lambda y: (-years[y], y))

    def indicator(self, id_: str) -> IndicatorTrend:
        for indicator in self.indicators:
            if indicator.id == id_:
                return indicator
        raise KeyError(id_)


# ---------------------------------------------------------------------------------------
# Computing


def compute_trend(
    yearly: YearlyData, catalog: Catalog, *, by: GroupBy | None = None
) -> TrendResult:
    """Every indicator of `catalog` over the years of `yearly`, assessed against its target."""
    computed: list[tuple[YearData, Computation, Computation | None]] = []
    issues: list[Issue] = list(yearly.issues)
    for data in yearly.years:
        grouped: Computation | None = None
        mapped = data.dataset
        if by == "unit" and data.has_workforce:
            mapped = _mapped_dataset(data.dataset, yearly.unit_changes)
        if by is not None:
            grouped = compute(mapped, catalog, by=by)
        # A breakdown leaves the province's results as they are, unless units were mapped.
        if grouped is not None and mapped is data.dataset:
            province = grouped
        else:
            province = compute(data.dataset, catalog)
        issues.extend(province.issues)
        computed.append((data, province, grouped))

    levels = {data.year: _levels_present(data) for data in yearly.years}
    indicators = []
    for indicator in catalog.indicators:
        points = _series(
            indicator,
            [(data, province.result(indicator.id)) for data, province, _ in computed],
            levels,
        )
        breakdown = None
        if by is not None:
            breakdown = _breakdown(
                indicator,
                [(data, grouped.result(indicator.id)) for data, _, grouped in computed if grouped],
                catalog.trend,
            )
        indicators.append(
            IndicatorTrend(
                id=indicator.id,
                name_vi=indicator.name_vi,
                name_en=indicator.name_en,
                clause=indicator.clause,
                field=indicator.field,
                unit=indicator.unit,
                target=indicator.target_result,
                factor=indicator.factor,
                points=points,
                progress=assess_progress(
                    points,
                    indicator.target_result,
                    indicator.unit,
                    catalog.trend,
                    people_factor=indicator.factor if counts_people(indicator) else None,
                ),
                share_of_people=share_of_people(indicator),
                counts_people=counts_people(indicator),
                breakdown=breakdown,
            )
        )
    years = tuple(
        ReportYear(
            year=data.year,
            as_of=data.as_of,
            as_of_source=data.dataset.reference.source,
            sources=data.sources,
            figure_sources=data.figure_sources,
            has_workforce=data.has_workforce,
        )
        for data in yearly.years
    )
    return TrendResult(
        catalog_id=catalog.id,
        settings=catalog.trend,
        years=years,
        sources=yearly.sources,
        indicators=tuple(indicators),
        issues=tuple(_unique(sorted_issues(issues))),
        by=by,
    )


def _levels_present(data: YearData) -> frozenset[str] | None:
    table = data.dataset.table(WORKFORCE.key)
    if table is None or "level" not in table.frame:
        return None
    return frozenset(str(level) for level in table.frame["level"].dropna().unique())


def _series(
    indicator: Indicator,
    results: Sequence[tuple[YearData, IndicatorResult]],
    levels: Mapping[int, frozenset[str] | None],
) -> tuple[YearPoint, ...]:
    points: list[YearPoint] = []
    for data, result in results:
        measurement = _trend_measurement(indicator, data, result.measurement, levels, points)
        points.append(_point(indicator, data.year, measurement))
    return tuple(points)


def _trend_measurement(
    indicator: Indicator,
    data: YearData,
    measurement: Measurement,
    levels: Mapping[int, frozenset[str] | None],
    earlier: Sequence[YearPoint],
) -> Measurement:
    """The year's measurement as a trend reads it (see the module's decisions)."""
    note = measurement.note
    if measurement.status is Status.NO_DATA:
        if note is not None and note.code == "missing_sheet" and data.own_sources == 0:
            return replace(measurement, note=Note("trend_figures_only_year", {"year": data.year}))
        if note is not None and note.code == "zero_denominator":
            gone = _population_note(indicator, data, levels.get(data.year), earlier)
            if gone is not None:
                return replace(measurement, note=gone)
        return measurement
    if note is not None and note.code == "figure_earlier_year" and figures_only(indicator):
        return Measurement(
            None,
            Status.NO_DATA,
            None,
            None,
            None,
            None,
            Note(
                "trend_earlier_figures",
                {
                    "metrics": note.params.get("metrics"),
                    "years": note.params.get("years"),
                    "year": data.year,
                },
            ),
        )
    return measurement


def _population_note(
    indicator: Indicator,
    data: YearData,
    levels: frozenset[str] | None,
    earlier: Sequence[YearPoint],
) -> Note | None:
    """Why a denominator is zero, when the reason is that its population no longer exists."""
    wanted = _denominator_levels(indicator)
    if wanted and levels is not None and not wanted & levels:
        codes = ",".join(code for code in LEVEL.codes if code in wanted)
        abolished = "district" in wanted and data.as_of >= DISTRICT_LEVEL_ABOLISHED
        return Note(
            "trend_level_abolished" if abolished else "trend_level_absent",
            {"levels": codes, "year": data.year},
        )
    before = [p for p in earlier if p.denominator]
    if before:
        last = before[-1]
        return Note(
            "trend_population_ended",
            {"year": data.year, "last_year": last.year, "count": _number_text(last.denominator)},
        )
    return None


def _point(indicator: Indicator, year: int, measurement: Measurement) -> YearPoint:
    interval: tuple[float, float] | None = None
    small = False
    k, n = measurement.numerator, measurement.denominator
    if (
        share_of_people(indicator)
        and measurement.value is not None
        and k is not None
        and n is not None
        and n > 0
        and 0 <= k <= n
    ):
        interval = wilson_interval(k, n)
        small = n < SMALL_DENOMINATOR
    return YearPoint(
        year=year,
        value=None if measurement.value is None else float(measurement.value),
        status=measurement.status,
        numerator=k,
        denominator=n,
        note=measurement.note,
        ci95=interval,
        small=small,
    )


def _breakdown(
    indicator: Indicator,
    results: Sequence[tuple[YearData, IndicatorResult]],
    settings: TrendSettings,
) -> tuple[GroupTrend, ...] | None:
    """Per group: the same series and assessment, groups matched across years by key."""
    if all(result.breakdown is None for _, result in results):
        return None
    by_key: dict[str, dict[int, Measurement]] = defaultdict(dict)
    labels: dict[str, str] = {}
    order: list[str] = []
    for data, result in reversed(results):  # the latest year's order and spelling first
        for group in result.breakdown or ():
            key = unit_key(group.group)
            if key not in labels:
                labels[key] = group.group
                order.append(key)
            by_key[key][data.year] = group.measurement
    years = [data.year for data, _ in results]
    people = indicator.factor if counts_people(indicator) else None
    groups = []
    for key in order:
        points = tuple(
            _point(indicator, year, by_key[key][year])
            if year in by_key[key]
            else YearPoint(year, None, Status.NO_DATA)
            for year in years
        )
        progress = assess_progress(
            points, indicator.target_result, indicator.unit, settings, people_factor=people
        )
        groups.append(GroupTrend(labels[key], points, progress))
    return tuple(groups)


# ---------------------------------------------------------------------------------------
# The method


def least_squares(points: Sequence[tuple[int, float]]) -> tuple[float, float]:
    """(slope, intercept at the mean year) of the least-squares line; needs two years."""
    if len({x for x, _ in points}) < 2:
        raise ValueError("a line needs at least two distinct years")
    mean_x = math.fsum(x for x, _ in points) / len(points)
    mean_y = math.fsum(y for _, y in points) / len(points)
    sxx = math.fsum((x - mean_x) ** 2 for x, _ in points)
    sxy = math.fsum((x - mean_x) * (y - mean_y) for x, y in points)
    return sxy / sxx, mean_y - (sxy / sxx) * mean_x


def _clamp(value: float, unit: Unit) -> float:
    high = {"percent": 100.0, "milestone": 1.0}.get(unit, math.inf)
    return min(max(value, 0.0), high)


def _side(difference: float) -> int:
    if abs(difference) <= TOLERANCE:
        return 0
    return 1 if difference > 0 else -1


def assess_progress(
    points: Sequence[YearPoint],
    target: Target | None,
    unit: Unit,
    settings: TrendSettings,
    *,
    people_factor: float | None = None,
) -> Progress:
    """Base, latest, projection, ratio, class and pace of one series (spec/progress.md).

    `people_factor`: the indicator's factor when its numerator counts people, so that the
    pace is also given in people per year.
    """
    valued = sorted(((p.year, p) for p in points if p.value is not None), key=lambda item: item[0])
    if not valued:
        return Progress(
            None if target is None else TrendClass.INSUFFICIENT_DATA,
            target_year=None if target is None else target.year,
        )
    (base_year, base), (latest_year, latest) = valued[0], valued[-1]
    assert base.value is not None
    assert latest.value is not None
    slope: float | None = None
    line: tuple[float, float] | None = None
    if len(valued) >= 2:
        line = least_squares([(year, float(p.value or 0.0)) for year, p in valued])
        slope = line[0]
    if target is None:
        return Progress(
            None,
            base_year=base_year,
            base=base.value,
            latest_year=latest_year,
            latest=latest.value,
            slope=slope,
        )

    goal = _goal(target, latest.value)
    projection = None if line is None else _clamp(line[1] + line[0] * target.year, unit)
    ratio: float | None = None
    if projection is not None:
        towards = _side(goal - base.value)
        if towards != 0 and towards == _side(goal - latest.value):
            # `+ 0.0`: a flat series reads 0, not -0.
            ratio = (projection - base.value) / (goal - base.value) + 0.0

    above: tuple[int, ...] = ()
    if latest.status is Status.MET:
        trend_class = TrendClass.ACHIEVED
    elif latest.status is Status.ABOVE_RANGE:
        trend_class = TrendClass.ABOVE_RANGE
        run: list[int] = []
        for year, point in reversed(valued):
            if point.status is not Status.ABOVE_RANGE:
                break
            run.append(year)
        above = tuple(sorted(run))
    elif len(valued) < 2:
        trend_class = TrendClass.INSUFFICIENT_DATA
    elif ratio is None:
        # The base met the target or lay beyond it, and the latest value does not.
        trend_class = TrendClass.STAGNATING_OR_REGRESSING
    elif ratio >= settings.on_track - TOLERANCE:
        trend_class = TrendClass.ON_TRACK
    elif ratio >= settings.needs_acceleration - TOLERANCE:
        trend_class = TrendClass.NEEDS_ACCELERATION
    else:
        trend_class = TrendClass.STAGNATING_OR_REGRESSING

    pace: float | None = None
    if trend_class is TrendClass.ACHIEVED:
        pace = 0.0
    elif unit != "milestone" and target.year > latest_year:
        pace = (goal - latest.value) / (target.year - latest_year) + 0.0
    people: float | None = None
    if pace is not None and people_factor is not None and latest.denominator is not None:
        people = pace * latest.denominator / people_factor
    return Progress(
        trend_class,
        base_year=base_year,
        base=base.value,
        latest_year=latest_year,
        latest=latest.value,
        slope=slope,
        goal=goal,
        target_year=target.year,
        projection=projection,
        ratio=ratio,
        required_pace=pace,
        required_pace_people=people,
        above_range_years=above,
    )


def _goal(target: Target, latest: float) -> float:
    """v*: the target value; for a band, its upper bound when above it, else its lower."""
    if target.op == "between":
        assert target.min is not None
        assert target.max is not None
        return target.max if latest > target.max + TOLERANCE else target.min
    assert target.value is not None
    return target.value


def _number_text(value: float | None) -> str:
    if value is None:
        return "?"
    return str(int(value)) if float(value).is_integer() else repr(value)


__all__ = [
    "DISTRICT_LEVEL_ABOLISHED",
    "SMALL_DENOMINATOR",
    "FileSource",
    "GroupTrend",
    "IndicatorTrend",
    "Progress",
    "ReportYear",
    "TrendClass",
    "TrendResult",
    "UnitChange",
    "YearData",
    "YearPoint",
    "YearlyData",
    "assess_progress",
    "compute_trend",
    "counts_people",
    "figures_only",
    "least_squares",
    "load_series",
    "share_of_people",
    "unit_mapping",
]
