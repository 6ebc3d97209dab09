"""Milestone indicators: the state of each milestone in `MocCongViec`.

A milestone row is matched to the catalog by any of its spellings (folded); a row naming
no milestone of the catalog is a warning. The first row of a milestone wins.
"""

from __future__ import annotations

from kpi_tritue.catalog.model import Catalog, Indicator
from kpi_tritue.compute.assess import milestone_measurement, no_data
from kpi_tritue.compute.masks import map_distinct
from kpi_tritue.contract.normalize import fold
from kpi_tritue.contract.schema import MILESTONES
from kpi_tritue.io.dataset import Dataset
from kpi_tritue.model.issues import Issue, Severity
from kpi_tritue.model.results import Measurement, Note

# Each milestone id: its state and the index of its row in the `MocCongViec` frame.
MilestoneStates = dict[str, tuple[str, int]]


def read_milestones(
    dataset: Dataset, catalog: Catalog, issues: list[Issue]
) -> MilestoneStates | None:
    """Each milestone's state and the index of its row (the first row of it wins).

    None when the input has no `MocCongViec` sheet; a row naming an unknown milestone
    adds a warning to `issues`.
    """
    table = dataset.table(MILESTONES.key)
    if table is None:
        return None
    spellings = {s: m.id for m in catalog.milestones for s in m.spellings}
    frame = table.frame
    folded = map_distinct(frame["milestone"], fold)
    ids = folded.map(spellings)
    unknown = folded.notna() & ids.isna()
    expected = ", ".join(m.id for m in catalog.milestones)
    for index in frame.index[unknown.to_numpy(dtype=bool)]:
        file_index, sheet, row = table.where(index)
        issues.append(
            Issue(
                Severity.WARNING,
                "unknown_milestone",
                file=dataset.sources[file_index].path,
                sheet=sheet,
                row=row,
                column=MILESTONES.column("milestone").header,
                cell=table.cell(file_index, "milestone", row),
                params={"value": str(frame.at[index, "milestone"]), "expected": expected},
            )
        )
    states: MilestoneStates = {}
    for index, milestone, state in zip(frame.index, ids, frame["state"], strict=True):
        if isinstance(milestone, str) and isinstance(state, str):
            states.setdefault(milestone, (state, int(index)))
    return states


def milestone(states: MilestoneStates | None, indicator: Indicator) -> Measurement:
    """A milestone indicator: done or not, or `no_data` when its sheet or row is missing."""
    assert indicator.milestone is not None
    if states is None:
        return no_data(Note("missing_sheet", {"sheet": MILESTONES.key}))
    found = states.get(indicator.milestone)
    if found is None:
        return no_data(Note("missing_milestone", {"milestone": indicator.milestone}))
    return milestone_measurement(indicator.target_result, found[0] == "done")


__all__ = ["MilestoneStates", "milestone", "read_milestones"]
