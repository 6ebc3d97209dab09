"""Ratio indicators: a numerator and a denominator, each a count, a figure or a sum.

A count is the number of rows passing a filter (a subset adds its conditions to the
denominator's); a figure is a `SoLieu` value chosen for the report year, weighted as the
catalog says. An override (another numerator and denominator) is used when everything it
needs is in the input. A breakdown gives the same ratio per group, where the indicator can
be broken down.
"""

from __future__ import annotations

from kpi_tritue.catalog.measures import FigureMeasure, Measure, SumMeasure, iter_measures
from kpi_tritue.catalog.model import Indicator
from kpi_tritue.compute.assess import Missing, assess, no_data
from kpi_tritue.compute.context import Context
from kpi_tritue.compute.figure_parts import parts_without_total, split_amount, used_parts
from kpi_tritue.compute.figures import FigureUse, Trace, figure_codes, metric_of
from kpi_tritue.compute.masks import count_of, is_count
from kpi_tritue.contract.schema import METRIC, WORKFORCE
from kpi_tritue.model.issues import Severity
from kpi_tritue.model.results import NO_GROUP, GroupResult, Measurement, Note
from kpi_tritue.model.sources import AsOfSource

# A numerator, its denominator (None for a plain amount) and the figures behind them.
Pair = tuple[float, float | None, Trace]


def ratio(
    context: Context, indicator: Indicator
) -> tuple[Measurement, tuple[GroupResult, ...] | None]:
    numerator, denominator, override_note = measures(context, indicator)
    target = indicator.target_result
    try:
        n, d, trace = pair(context, numerator, denominator, None)
    except Missing as missing:
        return no_data(missing.note), None
    _report_earlier(context, trace)
    measurement = assess(target, n, d, indicator.factor, override_note or trace.note())
    breakdown = _ratio_breakdown(context, indicator, numerator, denominator)
    return measurement, breakdown


def measures(context: Context, indicator: Indicator) -> tuple[Measure, Measure | None, Note | None]:
    """The numerator and denominator used: the override's when it is available.

    The note says so when the override is used.
    """
    assert indicator.numerator is not None
    override = indicator.override
    if override is not None:
        try:
            pair(context, override.numerator, override.denominator, None)
        except Missing:
            pass
        else:
            metrics = figure_codes(override.numerator, override.denominator)
            note = Note("override_figures", {"metrics": ",".join(metrics), "year": context.year})
            return override.numerator, override.denominator, note
    return indicator.numerator, indicator.denominator, None


def pair(
    context: Context, numerator: Measure, denominator: Measure | None, group: str | None
) -> Pair:
    trace = Trace()
    d = None if denominator is None else amount(context, denominator, None, group, trace)
    n = amount(context, numerator, denominator, group, trace)
    return n, d, trace


def _ratio_breakdown(
    context: Context, indicator: Indicator, numerator: Measure, denominator: Measure | None
) -> tuple[GroupResult, ...] | None:
    groups = _ratio_groups(context, numerator, denominator)
    if groups is None:
        return None
    target = indicator.target_result
    results = []
    for key in groups:
        try:
            n, d, trace = pair(context, numerator, denominator, key)
            measurement = assess(target, n, d, indicator.factor, trace.note())
        except Missing as missing:
            measurement = no_data(missing.note)
        results.append(GroupResult(context.groups.label(key), measurement))
    outside = _outside_areas(context, numerator, denominator, groups)
    if outside:
        note = Note("outside_areas", {"count": outside})
        results.append(GroupResult(NO_GROUP, no_data(note, numerator=float(outside))))
    return tuple(results)


def _outside_areas(
    context: Context, numerator: Measure, denominator: Measure | None, areas: list[str]
) -> int:
    """By area, for an indicator over `SoLieu` figures of each area (doctors per 10,000
    people): the people its numerator counts in no area shown (a provincial hospital's
    doctors belong to no district). They count for the province, not for any area, so the
    areas do not add up to it; the breakdown says how many, on a line of their own."""
    if context.by != "area":
        return 0
    tops = [top for top in (numerator, denominator) if top is not None]
    if not any(isinstance(m, FigureMeasure) for top in tops for m in iter_measures(top)):
        return 0
    shown = set(areas)
    outside = 0
    try:
        for measure in iter_measures(numerator):
            if is_count(measure):
                counted = context.groups.counts(*count_of(measure, denominator))
                outside += int(sum(n for key, n in counted.items() if str(key) not in shown))
    except Missing:  # no area known for the units: the breakdown says so already
        return 0
    return outside


def _ratio_groups(
    context: Context, numerator: Measure, denominator: Measure | None
) -> list[str] | None:
    """The groups of a breakdown, or None where the indicator cannot be broken down."""
    if context.by is None:
        return None
    leaves = [m for top in (numerator, denominator) if top for m in iter_measures(top)]
    counts = [count_of(m, denominator) for m in leaves if is_count(m)]
    figures = [m for m in leaves if isinstance(m, FigureMeasure)]
    if any(sheet != WORKFORCE.key for sheet, _ in counts):
        return None  # specialist teams have no unit, level, sector or area
    if figures and context.by != "area":
        return None  # figures exist for the province and its areas only
    needed = [m for m in figures if m.default is None]
    if needed:
        keys: set[str] = set()
        for measure in needed:
            keys |= context.figures.area_keys(metric_of(measure), measure.earlier_years)
        return context.groups.sort(keys) if keys else None
    try:
        keys = set()
        for sheet, where in counts:
            counted = context.groups.counts(sheet, where)
            keys |= {str(k) for k in counted.index[counted.to_numpy() > 0]}
    except Missing:
        context.groups.warn_no_area()
        return None
    return context.groups.sort(keys)


def amount(
    context: Context,
    measure: Measure,
    denominator: Measure | None,
    group: str | None,
    trace: Trace,
) -> float:
    """A measure's amount, for the whole input or one group; its figures go on `trace`."""
    if isinstance(measure, SumMeasure):
        parts = (amount(context, part, denominator, group, trace) for part in measure.sum)
        return sum(parts, 0.0)
    if isinstance(measure, FigureMeasure):
        return weighted_figure(context, measure, group, trace)
    sheet, where = count_of(measure, denominator)
    if group is None:
        return float(context.masks.mask(sheet, where).sum())
    counted = context.groups.counts(sheet, where)
    return float(counted.get(group, 0))


def weighted_figure(
    context: Context, measure: FigureMeasure, group: str | None, trace: Trace
) -> float:
    """A figure measure's amount: its figure × its weight, its parts (`figure_parts`) at
    their own weights; its figures go on `trace`."""
    try:
        total = figure(context, measure, group, trace)
    except Missing:
        parts_without_total(context, measure, group)
        raise
    weight = context.catalog.weight(measure)
    if not measure.parts:
        return total * weight
    parts = used_parts(context, measure, trace.used[-1], group, trace)
    return split_amount(total, weight, parts)


def figure(context: Context, measure: FigureMeasure, group: str | None, trace: Trace) -> float:
    """The figure of a measure (unweighted), or its default; `Missing` when neither is."""
    metric = metric_of(measure)
    if group is None:
        found = context.figures.province(metric, measure.earlier_years)
    else:
        found = context.figures.area(metric, group, measure.earlier_years)
    weight = context.catalog.weight(measure)
    if found is None:
        if measure.default is not None:
            trace.used.append(FigureUse(metric, weight, None, measure.default))
            return measure.default
        if group is not None:
            label = context.groups.label(group)
            raise Missing(
                Note("missing_area_figure", {"metric": metric, "area": label, "year": context.year})
            )
        code = "missing_figure" if measure.earlier_years else "missing_figure_year"
        raise Missing(Note(code, {"metric": metric, "year": context.year}))
    if found.year < context.year:
        trace.earlier.append((metric, found))
    trace.used.append(FigureUse(metric, weight, found, None))
    return found.value


def _report_earlier(context: Context, trace: Trace) -> None:
    """An `info` issue per figure taken from an earlier year, naming the year used.

    None when the report year is today's only for want of one (`as_of_today` says so):
    every figure would be "of an earlier year" because of that one cause."""
    if context.dataset.reference.source is AsOfSource.TODAY:
        return
    for metric, earlier in trace.earlier:
        if metric in context.earlier_reported:
            continue
        context.earlier_reported.add(metric)
        context.issues.append(
            context.figures.issue(
                context.dataset,
                Severity.INFO,
                "figure_earlier_year",
                earlier.file,
                earlier.row,
                metric=METRIC.label(metric, "vi"),
                year=earlier.year,
                report_year=context.year,
            )
        )


__all__ = ["Pair", "amount", "figure", "measures", "pair", "ratio", "weighted_figure"]
