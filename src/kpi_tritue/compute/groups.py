"""The `--by` breakdowns: each person's group, counts per group, and how groups are shown.

A group is a unit key, a level or sector code, or an area key (a unit's area from
`DonVi`). Rows without a value for the breakdown form the group `NO_GROUP`. Groups are
labelled with their most frequent spelling and sorted as the contract lists the codes,
then by label, whatever the order of rows or files.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property
from typing import Any, Literal, get_args

import numpy as np
import pandas as pd

from kpi_tritue.catalog.measures import Where
from kpi_tritue.compute.figures import Figures
from kpi_tritue.compute.masks import Masks, matching_keys
from kpi_tritue.contract.normalize import fold, unit_key
from kpi_tritue.contract.schema import LEVEL, SECTOR, UNITS, WORKFORCE
from kpi_tritue.io.dataset import Dataset
from kpi_tritue.model.issues import Issue, Severity
from kpi_tritue.model.results import NO_GROUP

GroupBy = Literal["unit", "level", "sector", "area"]
GROUP_BY: tuple[GroupBy, ...] = get_args(GroupBy)


class Groups:
    """The groups of one breakdown (`by`), worked out only when something asks for them."""

    def __init__(
        self,
        by: GroupBy | None,
        dataset: Dataset,
        masks: Masks,
        figures: Figures,
        issues: list[Issue],
    ) -> None:
        self.by = by
        self.dataset = dataset
        self.masks = masks
        self.figures = figures
        self.issues = issues
        self._keys: pd.Series | None = None
        self._codes: tuple[np.ndarray[Any, Any], pd.Index] | None = None
        self._counts: dict[tuple[str, Where], pd.Series] = {}
        self._area_warned = False

    @cached_property
    def labels(self) -> dict[str, str]:
        """Group labels, worked out only when a breakdown or a note needs one."""
        return self._group_labels()

    def label(self, key: str) -> str:
        return self.labels.get(key, key)

    def _group_labels(self) -> dict[str, str]:
        """How a unit or area key is shown: its most frequent spelling, DonVi's first.

        The choice does not depend on the order of rows or files.
        """
        names: list[pd.Series] = []
        units = self.dataset.table(UNITS.key)
        if units is not None:
            names += [units.frame[c] for c in ("unit", "area") if c in units.frame]
        workforce = self.dataset.table(WORKFORCE.key)
        if workforce is not None:
            names.append(workforce.frame["unit"])
        names.append(self.figures.rows["area"])
        labels: dict[str, str] = {}
        for series in names:
            counts = series.value_counts(dropna=True)
            if counts.empty:
                continue
            spelled = pd.DataFrame(
                {
                    "key": [unit_key(str(name)) for name in counts.index],
                    "name": [str(name) for name in counts.index],
                    "n": counts.to_numpy(),
                }
            )
            spelled = spelled.sort_values(["key", "n", "name"], ascending=[True, False, True])
            for key, name in zip(spelled["key"], spelled["name"], strict=True):
                labels.setdefault(key, name)
        return labels

    def _group_keys(self) -> pd.Series:
        """Each person's group for `by`: a unit key, a level or sector code, an area key."""
        if self._keys is not None:
            return self._keys
        frame = self.masks.table(WORKFORCE.key).frame
        if self.by == "unit":
            keys = self.masks.unit_keys(WORKFORCE.key)
        elif self.by == "area":
            keys = matching_keys(self.masks.unit_attribute("area"))
        else:
            assert self.by is not None
            keys = frame[self.by].astype("object")
        self._keys = keys.fillna(NO_GROUP).astype("object")
        return self._keys

    def _group_codes(self) -> tuple[np.ndarray[Any, Any], pd.Index]:
        """Each person's group as a number into the distinct group keys."""
        if self._codes is None:
            codes, groups = pd.factorize(self._group_keys())
            self._codes = (np.asarray(codes), pd.Index(groups))
        return self._codes

    def counts(self, sheet: str, where: Where) -> pd.Series:
        """The rows of `sheet` passing `where`, counted per group."""
        key = (sheet, where)
        if key not in self._counts:
            mask = self.masks.mask(sheet, where).to_numpy(dtype=bool)
            codes, groups = self._group_codes()
            counts = np.bincount(codes[mask], minlength=len(groups))
            self._counts[key] = pd.Series(counts, index=groups)
        return self._counts[key]

    def sort(self, keys: Iterable[str]) -> list[str]:
        """Distinct group keys in the order shown: by code order, then label; none last."""
        order: dict[str, int] = {}
        if self.by in ("level", "sector"):
            codes = (LEVEL if self.by == "level" else SECTOR).codes
            order = {code: number for number, code in enumerate(codes)}

        def sort_key(key: str) -> tuple[int, int, str, str]:
            label = self.labels.get(key, key)
            return (key == NO_GROUP, order.get(key, len(order)), fold(label), label)

        return sorted(set(keys), key=sort_key)

    def warn_no_area(self) -> None:
        if not self._area_warned:
            self._area_warned = True
            self.issues.append(Issue(Severity.INFO, "breakdown_without_area"))


__all__ = ["GROUP_BY", "NO_GROUP", "GroupBy", "Groups"]
