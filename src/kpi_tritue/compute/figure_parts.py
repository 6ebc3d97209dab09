"""The parts of a figure counted at their own weight: teacher norms by kind of class.

A primary class needs 1.5 teachers when it studies two sessions a day and 1.2 when it
studies one; a lower-secondary class 1.9, or 2.2 in an ethnic boarding or semi-boarding
school or a school for pupils with disabilities (Thông tư 20/2023/TT-BGDĐT;
official-lists.md, section 5 and settled detail 17). The catalog says so as data: a figure
measure's `parts`, each a `SoLieu` metric with a weight of its own. The amount is

    weight × (total − Σ parts) + Σ part's weight × part

Each figure is chosen by the usual year rule on its own, then each part is compared with
its total: a part larger than its total is an error at the part's cell (and the measure
has no value); a part without its total is ignored, with an `info`; an absent part adds
nothing, so every class counts at the total's weight, as before.
"""

from __future__ import annotations

from kpi_tritue.catalog.measures import FigureMeasure, FigurePart
from kpi_tritue.compute.assess import Missing
from kpi_tritue.compute.context import Context
from kpi_tritue.compute.figures import Figure, FigureUse, Trace, metric_of
from kpi_tritue.contract.schema import METRIC
from kpi_tritue.i18n import Amount
from kpi_tritue.model.issues import Severity
from kpi_tritue.model.results import Note
from kpi_tritue.model.targets import TOLERANCE

PART_EXCEEDS_TOTAL = "figure_part_exceeds_total"
PART_WITHOUT_TOTAL = "figure_part_without_total"


def split_amount(total: float, weight: float, parts: list[tuple[float, float]]) -> float:
    """`weight × (total − Σ parts) + Σ own weight × part`, for parts (value, own weight),
    computed as written, left to right (`1.9 × (12 − 5) + 2.2 × 5` is the float that
    expression gives); a total without parts is `total × weight`, as before."""
    if not parts:
        return total * weight
    rest = total
    for value, _ in parts:
        rest -= value
    amount = weight * rest
    for value, own in parts:
        amount += own * value
    return amount


def chosen_part(
    context: Context, measure: FigureMeasure, part: FigurePart, group: str | None
) -> Figure | None:
    """A part's figure, chosen by the year rule on its own (as its total's would be)."""
    metric = metric_of(part)
    if group is None:
        return context.figures.province(metric, measure.earlier_years)
    return context.figures.area(metric, group, measure.earlier_years)


def used_parts(
    context: Context,
    measure: FigureMeasure,
    total: FigureUse,
    group: str | None,
    trace: Trace,
) -> list[tuple[float, float]]:
    """The parts of `measure` that count, as (value, own weight), beside its figure
    (`total`, as used). `Missing` when a part is larger than its total."""
    added: list[tuple[float, float]] = []
    for part in measure.parts:
        found = chosen_part(context, measure, part, group)
        if found is None:
            continue
        if total.figure is None:
            # The total is a default, not a figure of the unit: nothing to split.
            _report(context, Severity.INFO, PART_WITHOUT_TOTAL, measure, part, found)
            continue
        if found.value > total.figure.value + TOLERANCE * max(1.0, abs(total.figure.value)):
            _report(
                context,
                Severity.ERROR,
                PART_EXCEEDS_TOTAL,
                measure,
                part,
                found,
                value=Amount(found.value),
                total=Amount(total.figure.value),
            )
            raise Missing(
                Note(PART_EXCEEDS_TOTAL, {"metric": metric_of(part), "metrics": total.metric})
            )
        if found.year < context.year:
            trace.earlier.append((metric_of(part), found))
        own = context.catalog.weight(part)
        trace.used.append(
            FigureUse(
                metric_of(part),
                own,
                found,
                None,
                part_of=total.metric,
                total_weight=total.weight,
            )
        )
        added.append((found.value, own))
    return added


def parts_without_total(context: Context, measure: FigureMeasure, group: str | None) -> None:
    """An `info` for each part given when its total is not: the part is ignored."""
    for part in measure.parts:
        found = chosen_part(context, measure, part, group)
        if found is not None:
            _report(context, Severity.INFO, PART_WITHOUT_TOTAL, measure, part, found)


def _report(
    context: Context,
    severity: Severity,
    code: str,
    measure: FigureMeasure,
    part: FigurePart,
    found: Figure,
    **params: Amount,
) -> None:
    """One issue at the part's (first) `SoLieu` cell, once per computation."""
    key = (code, metric_of(part), found.file, found.row)
    if key in context.parts_reported:
        return
    context.parts_reported.add(key)
    context.issues.append(
        context.figures.issue(
            context.dataset,
            severity,
            code,
            found.file,
            found.row,
            metric=METRIC.label(metric_of(part), "vi"),
            total_metric=METRIC.label(metric_of(measure), "vi"),
            year=found.year,
            **params,
        )
    )


__all__ = [
    "PART_EXCEEDS_TOTAL",
    "PART_WITHOUT_TOTAL",
    "parts_without_total",
    "split_amount",
    "used_parts",
]
