"""The indicators computed: numerators, denominators, status, gap and shortfall.

Each catalog measure becomes a boolean mask over a sheet (cached, so the same filter is
evaluated once) or a `SoLieu` figure chosen for the report year. Anything an indicator
needs that the input does not have — a sheet, a column, a figure, a milestone row — makes
it `no_data` with a `Note` that says what is missing, never 0 %. The definitions are
`spec/indicators.md`; the figure choice is `spec/input-format.md`.

This module holds the entry points and sends each indicator to its kind; the work is in
the modules beside it, which share one `Context`:

  masks       rows passing a filter, columns derived or joined from DonVi
  figures     SoLieu figures and their choice for the report year
  groups      the --by breakdowns: groups, counts per group, labels, order
  ratios      ratio indicators (counts, figures, sums, overrides) and their breakdowns
  norms       unit_norm indicators: units against their own norm
  milestones  milestone indicators
  assess      status, gap and shortfall against the target; no_data
  applicability  not_applicable after the catalog's `applies_until`; Huyện rows after 2025
  evidence    the rows and figures behind one indicator, for `kpi explain`
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kpi_tritue.catalog.model import Catalog, Indicator
from kpi_tritue.compute.applicability import applicability, district_rows
from kpi_tritue.compute.assess import assess, milestone_measurement, no_data
from kpi_tritue.compute.context import Context, context_of
from kpi_tritue.compute.evidence import explanation
from kpi_tritue.compute.figures import figure_codes
from kpi_tritue.compute.groups import GROUP_BY, NO_GROUP, GroupBy
from kpi_tritue.compute.milestones import milestone
from kpi_tritue.compute.norms import unit_norm
from kpi_tritue.compute.ratios import ratio
from kpi_tritue.compute.stats import with_people_share_stats
from kpi_tritue.contract.privacy import quote
from kpi_tritue.contract.schema import FIGURES, MILESTONES
from kpi_tritue.errors import UnknownIndicator
from kpi_tritue.io.dataset import Dataset
from kpi_tritue.model.explanation import Explanation
from kpi_tritue.model.issues import Issue, sorted_issues
from kpi_tritue.model.results import IndicatorResult
from kpi_tritue.model.targets import TOLERANCE


@dataclass(frozen=True)
class Computation:
    """Every indicator's result, in catalog order, and the issues found while computing."""

    results: list[IndicatorResult]
    issues: list[Issue] = field(default_factory=list)

    def result(self, id_: str) -> IndicatorResult:
        for result in self.results:
            if result.id == id_:
                return result
        raise KeyError(id_)


def compute(dataset: Dataset, catalog: Catalog, by: GroupBy | None = None) -> Computation:
    """Compute every indicator of `catalog` on `dataset`, per group of `by` as well.

    Rows marked `_invalid` are counted like the others: dropping them is the caller's
    choice (`Dataset.without_invalid_rows`).
    """
    if by is not None and by not in GROUP_BY:
        raise ValueError(f"by must be one of {', '.join(GROUP_BY)}, not {by!r}")
    context = context_of(dataset, catalog, by)
    results = [_result(context, indicator) for indicator in catalog.indicators]
    return Computation(results=results, issues=sorted_issues(context.issues))


def data_issues(dataset: Dataset, catalog: Catalog) -> list[Issue]:
    """The issues `compute` finds in the data, and only those: a province figure that
    differs from the sum of its areas, a milestone the catalog does not know, a figure
    taken from an earlier year. `kpi validate` shows them, so that it and `compute` agree.

    They come from `SoLieu` and `MocCongViec` alone: only the indicators that take a
    figure are computed (in the same order, so the same issues are found), not the others;
    and from the levels of `NhanSu` (rows of level `Huyện` after 1 July 2025).
    """
    if dataset.table(FIGURES.key) is None and dataset.table(MILESTONES.key) is None:
        return sorted_issues(district_rows(dataset))
    with_figures = tuple(
        indicator
        for indicator in catalog.indicators
        if figure_codes(
            indicator.numerator,
            indicator.denominator,
            *(
                (indicator.override.numerator, indicator.override.denominator)
                if indicator.override is not None
                else ()
            ),
        )
    )
    context = context_of(dataset, catalog, None)
    for indicator in with_figures:
        _result(context, indicator)
    return sorted_issues(context.issues)


def explain(dataset: Dataset, catalog: Catalog, indicator_id: str) -> Explanation:
    """The rows and `SoLieu` figures behind one indicator, from the masks `compute` uses.

    The rows counted in the numerator (denominator) are exactly as many as the result's
    row-count part of it, and the figures listed make up the rest. An id the catalog does
    not have raises `UnknownIndicator`, whose message lists the ids it has.
    """
    ids = [indicator.id for indicator in catalog.indicators]
    if indicator_id not in ids:
        raise UnknownIndicator(quote(indicator_id), ids)
    indicator = catalog.indicator(indicator_id)
    context = context_of(dataset, catalog, None)
    return explanation(context, indicator, _result(context, indicator))


def _result(context: Context, indicator: Indicator) -> IndicatorResult:
    if indicator.kind == "milestone":
        measurement, breakdown = milestone(context.milestones, indicator), None
    elif indicator.kind == "unit_norm":
        measurement, breakdown = unit_norm(context, indicator)
    else:
        measurement, breakdown = ratio(context, indicator)
    measurement, breakdown = applicability(
        indicator, context.as_of, measurement, breakdown, context.issues
    )
    result = IndicatorResult(
        id=indicator.id,
        name_vi=indicator.name_vi,
        name_en=indicator.name_en,
        clause=indicator.clause,
        field=indicator.field,
        unit=indicator.unit,
        target=indicator.target_result,
        measurement=measurement,
        breakdown=breakdown,
    )
    # A share of people carries its 95 % interval and its small-sample mark.
    return with_people_share_stats(result) if indicator.is_share_of_people else result


__all__ = [
    "GROUP_BY",
    "NO_GROUP",
    "TOLERANCE",
    "Computation",
    "GroupBy",
    "assess",
    "compute",
    "data_issues",
    "explain",
    "milestone_measurement",
    "no_data",
]
