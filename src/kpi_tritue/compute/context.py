"""What the parts of one computation share, passed to each of them explicitly.

One `Context` is built per `compute` or `explain` call: the dataset and catalog, the
breakdown asked for, the caches (masks, figures, groups) that let indicators share the
work, the milestone states, and the issues found on the way, in the order found.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from kpi_tritue.catalog.model import Catalog
from kpi_tritue.compute.applicability import district_rows
from kpi_tritue.compute.figures import Figures
from kpi_tritue.compute.groups import GroupBy, Groups
from kpi_tritue.compute.masks import Masks
from kpi_tritue.compute.milestones import MilestoneStates, read_milestones
from kpi_tritue.io.dataset import Dataset
from kpi_tritue.model.issues import Issue


@dataclass(frozen=True)
class Context:
    dataset: Dataset
    catalog: Catalog
    by: GroupBy | None
    masks: Masks
    figures: Figures
    groups: Groups
    milestones: MilestoneStates | None
    issues: list[Issue]
    # The metrics already reported as taken from an earlier year: one issue each.
    earlier_reported: set[str] = field(default_factory=set)

    @property
    def year(self) -> int:
        return self.dataset.report_year

    @property
    def as_of(self) -> date:
        return self.dataset.as_of


def context_of(dataset: Dataset, catalog: Catalog, by: GroupBy | None) -> Context:
    """The shared state of a computation, with the issues that reading figures and
    milestones finds (a province total that differs, an unknown milestone), and rows of
    an abolished level (`applicability.district_rows`)."""
    issues: list[Issue] = district_rows(dataset)
    figures = Figures(dataset)
    issues.extend(figures.mismatches(dataset))
    masks = Masks(dataset)
    groups = Groups(by, dataset, masks, figures, issues)
    milestones = read_milestones(dataset, catalog, issues)
    return Context(dataset, catalog, by, masks, figures, groups, milestones, issues)


__all__ = ["Context", "context_of"]
