"""Progress toward the target year: every indicator over the report years (`kpi trend`).

the datasets of the years (`io/series.py`) → `compute` per year (units mapped for
`by="unit"`) → per indicator and group: the yearly points, each with its 95 % interval
and small-denominator mark → the method of `compute/progress.py` → `TrendResult`.

Decisions where the method is silent:

- The engine's fallback to an earlier year's figure is the method of `compute`; in a trend
  it would repeat a value. An indicator computed from figures only has no value in a year
  unless every figure it needs is of that year itself. Where rows are counted too (doctors
  over the population), the count is the year's own and the fallback stays, noted.
- A zero denominator stays no_data; where the indicator's level (such as `Huyện`) has no
  rows at all that year, the note says so, and that the district level was abolished on
  1 July 2025 where that is why — the value did not fall to zero, its population is gone.
  Where the catalog says so (`applies_until`), such a year is `not_applicable` already
  (compute/applicability.py): the series ends before it, and no class is judged.
- A 95 % Wilson interval (`ci95`) is given for percentages whose denominator counts
  people (a count of `NhanSu` rows, or in its place the figures of people the catalog's
  override uses: talents among new recruits); values over fewer than 30 people are marked.
- `ChuyenDoiDonVi` maps old units onto new ones for `by="unit"` only: rows of a year
  whose reference date is before a change's effective date count under the new unit
  (changes chain). Province values are computed without it: a mapping never changes them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date

import pandas as pd

from kpi_tritue.catalog.measures import (
    CountMeasure,
    FigureMeasure,
    Measure,
    SubsetMeasure,
    enum_code,
    iter_measures,
)
from kpi_tritue.catalog.model import Catalog, Indicator, TrendSettings
from kpi_tritue.compute.applicability import DISTRICT_LEVEL_ABOLISHED
from kpi_tritue.compute.engine import Computation, GroupBy, compute
from kpi_tritue.compute.progress import assess_progress
from kpi_tritue.compute.stats import SMALL_DENOMINATOR, wilson_interval
from kpi_tritue.contract.normalize import unit_key, unit_keys
from kpi_tritue.contract.schema import LEVEL, UNITS, WORKFORCE
from kpi_tritue.i18n.numbers import plain_number
from kpi_tritue.io.dataset import Dataset
from kpi_tritue.io.series import UnitChange, YearData, YearlyData, without_repeats
from kpi_tritue.model.issues import Issue, sorted_issues
from kpi_tritue.model.results import IndicatorResult, Measurement, Note, Status
from kpi_tritue.model.trend import (
    GroupTrend,
    IndicatorTrend,
    ReportYear,
    Thresholds,
    TrendResult,
    YearPoint,
)


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
        thresholds=Thresholds(catalog.trend.on_track, catalog.trend.needs_acceleration),
        years=years,
        sources=yearly.sources,
        indicators=tuple(indicators),
        small_denominator=SMALL_DENOMINATOR,
        issues=tuple(without_repeats(sorted_issues(issues))),
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
            {"year": data.year, "last_year": last.year, "count": plain_number(last.denominator)},
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
    # A year in which the indicator no longer applies: so for every group of it.
    ended = {
        data.year: result.measurement
        for data, result in results
        if result.measurement.status is Status.NOT_APPLICABLE
    }
    people = indicator.factor if counts_people(indicator) else None
    groups = []
    for key in order:
        points = tuple(
            _point(indicator, year, by_key[key][year])
            if year in by_key[key]
            else _point(indicator, year, ended[year])
            if year in ended
            else YearPoint(year, None, Status.NO_DATA)
            for year in years
        )
        progress = assess_progress(
            points, indicator.target_result, indicator.unit, settings, people_factor=people
        )
        groups.append(GroupTrend(labels[key], points, progress))
    return tuple(groups)


# ---------------------------------------------------------------------------------------
# Units that changed


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


# ---------------------------------------------------------------------------------------
# What the catalog says about an indicator


def figures_only(indicator: Indicator) -> bool:
    """An indicator whose own measures are `SoLieu` figures alone (no rows counted)."""
    if indicator.kind != "ratio" or indicator.numerator is None:
        return False
    tops = (indicator.numerator, indicator.denominator)
    return all(isinstance(m, FigureMeasure) for t in tops if t for m in iter_measures(t))


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


__all__ = [
    "DISTRICT_LEVEL_ABOLISHED",
    "compute_trend",
    "counts_people",
    "figures_only",
    "share_of_people",
    "unit_mapping",
]
