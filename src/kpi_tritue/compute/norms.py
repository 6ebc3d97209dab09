"""`unit_norm` indicators: the share of units whose qualified staff reaches their norm.

Each unit of `DonVi` carries its own norm (the share of its people who must qualify, e.g.
the postgraduates a public service unit must have); the indicator counts the units that
reach it among those that have a norm and people. A breakdown groups units by their own `DonVi` row.
"""

from __future__ import annotations

import pandas as pd

from kpi_tritue.catalog.model import Indicator, UnitNorm
from kpi_tritue.compute.assess import Missing, assess, no_data
from kpi_tritue.compute.context import Context
from kpi_tritue.compute.groups import NO_GROUP
from kpi_tritue.compute.masks import Masks, flags, matching_keys
from kpi_tritue.contract.schema import UNITS, WORKFORCE
from kpi_tritue.model.results import GroupResult, Measurement, Note
from kpi_tritue.model.targets import TOLERANCE


def unit_norm(
    context: Context, indicator: Indicator
) -> tuple[Measurement, tuple[GroupResult, ...] | None]:
    spec = indicator.unit_norm
    assert spec is not None
    target = indicator.target_result
    try:
        units = units_against_norm(context.masks, spec)
    except Missing as missing:
        return no_data(missing.note), None
    n, d = float(units["meets"].sum()), float(len(units))
    if d == 0:
        return no_data(Note("no_units_with_norm"), n, d), None
    measurement = assess(target, n, d, indicator.factor)
    if context.by is None:
        return measurement, None
    try:
        groups = _unit_groups(context, units)
    except Missing:
        return measurement, None
    breakdown = []
    for key in context.groups.sort(groups):
        members = units[(groups == key).to_numpy(dtype=bool)]
        counted = assess(
            target, float(members["meets"].sum()), float(len(members)), indicator.factor
        )
        breakdown.append(GroupResult(context.groups.label(key), counted))
    return measurement, tuple(breakdown)


def units_against_norm(masks: Masks, spec: UnitNorm) -> pd.DataFrame:
    """The indicator's units (rows of DonVi) with their key and whether they meet the norm.

    A unit counts when it passes `where`, has a norm (0 is a norm) and has people; it
    meets the norm when the share (%) of its people who qualify is at least the norm.
    """
    norms = masks.column(UNITS.key, spec.norm).astype("Float64")
    eligible = masks.mask(UNITS.key, spec.where)
    keys = masks.unit_keys(UNITS.key)
    candidates = eligible & flags(norms.notna()) & flags(keys.notna())
    candidates &= ~keys.duplicated(keep="first")
    people = masks.mask(WORKFORCE.key, spec.people)
    qualifying = masks.mask(WORKFORCE.key, spec.people + spec.qualifying)
    staff = masks.count_by_unit(people)
    qualified = masks.count_by_unit(qualifying)
    units = pd.DataFrame(
        {
            "key": keys[candidates],
            "norm": norms[candidates].astype("float64"),
            "staff": keys[candidates].map(staff).fillna(0).astype("float64"),
            "qualified": keys[candidates].map(qualified).fillna(0).astype("float64"),
        }
    )
    units = units[units["staff"] > 0]
    units["share"] = units["qualified"] * 100 / units["staff"]
    units["meets"] = units["share"] >= units["norm"] - TOLERANCE
    return units


def _unit_groups(context: Context, units: pd.DataFrame) -> pd.Series:
    """Each unit's group for `by`, from its own DonVi row (units have no people's columns)."""
    if context.by == "unit":
        groups = units["key"]
    else:
        assert context.by is not None
        column = context.masks.column(UNITS.key, context.by).loc[units.index]
        groups = matching_keys(column) if context.by == "area" else column.astype("object")
    return groups.fillna(NO_GROUP).astype("object")


__all__ = ["unit_norm", "units_against_norm"]
