"""The evidence behind one indicator for `kpi explain`: its rows, figures and units.

Built from the very masks, figure choice and unit arithmetic that computed the result,
so the rows listed always add up to its numerator and denominator. The result types are
`model/explanation.py`'s; the filters as sentences and the rows frame, `compute/explain.py`'s.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from kpi_tritue.catalog.measures import FigureMeasure, Measure, SumMeasure, iter_measures
from kpi_tritue.catalog.model import Indicator, UnitNorm
from kpi_tritue.compute.assess import Missing
from kpi_tritue.compute.context import Context
from kpi_tritue.compute.explain import (
    bilingual,
    count_text,
    counted_rows,
    figure_text,
    milestone_conditions,
    role_columns,
    role_flags,
    unit_norm_conditions,
)
from kpi_tritue.compute.figures import FigureUse, Trace
from kpi_tritue.compute.masks import count_of, is_count
from kpi_tritue.compute.norms import units_against_norm
from kpi_tritue.compute.ratios import measures, weighted_figure
from kpi_tritue.contract.bookkeeping import ROW
from kpi_tritue.contract.schema import MILESTONES, UNITS, WORKFORCE
from kpi_tritue.i18n import Lang
from kpi_tritue.io.tables import FILE, Table
from kpi_tritue.model.explanation import (
    Bilingual,
    Conditions,
    Explanation,
    FigureUsed,
    MilestoneRow,
    Side,
)
from kpi_tritue.model.results import IndicatorResult


def explanation(context: Context, indicator: Indicator, result: IndicatorResult) -> Explanation:
    """The rows, figures or units behind `result`, the indicator's result on `context`."""
    catalog, year = context.catalog, context.year
    common: dict[str, Any] = {
        "result": result,
        "kind": indicator.kind,
        "catalog": catalog.id,
        "as_of": context.as_of,
        "report_year": year,
        "sources": tuple(context.dataset.sources),
    }
    if indicator.kind == "milestone":
        assert indicator.milestone is not None
        spec = catalog.milestone(indicator.milestone)
        return Explanation(
            **common,
            conditions=milestone_conditions(
                Bilingual(spec.name_vi, spec.name_en), indicator.milestone
            ),
            rows=counted_rows([]),
            milestone=_milestone_row(context, indicator.milestone),
        )
    if indicator.kind == "unit_norm":
        assert indicator.unit_norm is not None
        units = _explain_units(context, indicator.unit_norm)
        return Explanation(
            **common,
            conditions=unit_norm_conditions(indicator.unit_norm, year),
            rows=counted_rows([] if units is None else [_unit_rows(units)]),
            sheets=(UNITS.key,),
            units=units,
        )
    numerator, denominator, override = measures(context, indicator)
    rows, sheets = _counted_rows(context, numerator, denominator)
    return Explanation(
        **common,
        conditions=Conditions(
            numerator=bilingual(lambda lang: _describe(context, numerator, denominator, lang)),
            denominator=None
            if denominator is None
            else bilingual(lambda lang: _describe(context, denominator, None, lang)),
        ),
        rows=rows,
        sheets=sheets,
        figures=(
            *_figures_used(context, "numerator", numerator),
            *_figures_used(context, "denominator", denominator),
        ),
        override=override is not None,
    )


def _describe(context: Context, measure: Measure, denominator: Measure | None, lang: Lang) -> str:
    """A measure as a sentence, resolved as `ratios.amount` resolves it."""
    if isinstance(measure, SumMeasure):
        return " + ".join(_describe(context, part, denominator, lang) for part in measure.sum)
    if isinstance(measure, FigureMeasure):
        weight, catalog = context.catalog.weight(measure), context.catalog
        parts = [catalog.weight(part) for part in measure.parts]
        return figure_text(measure, weight, context.year, lang, parts)
    sheet, where = count_of(measure, denominator)
    return count_text(sheet, where, context.year, lang)


def _counted_rows(
    context: Context, numerator: Measure, denominator: Measure | None
) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """Every row that a count of the numerator or the denominator takes.

    A row that two counts of one side both take (a sum of overlapping counts) is
    listed twice, so the lines always add up to the amounts. A count that cannot be
    evaluated (a sheet or column absent) lists nothing: the result's note says why.
    """
    times: dict[str, dict[Side, np.ndarray[Any, Any]]] = {}
    wheres = []
    sides: tuple[tuple[Side, Measure | None, Measure | None], ...] = (
        ("numerator", numerator, denominator),
        ("denominator", denominator, None),
    )
    for side, top, within in sides:
        if top is None:
            continue
        for leaf in iter_measures(top):
            if not is_count(leaf):
                continue
            sheet, where = count_of(leaf, within)
            if sheet == WORKFORCE.key:
                wheres.append(where)
            try:
                mask = context.masks.mask(sheet, where).to_numpy(dtype=bool)
            except Missing:
                continue
            counts = times.setdefault(sheet, {})
            counts[side] = counts.get(side, 0) + mask.astype(np.int64)
    flags = role_flags(wheres)
    frames = [_sheet_rows(context, sheet, counts, flags) for sheet, counts in times.items()]
    return counted_rows(frames), tuple(times)


def _sheet_rows(
    context: Context,
    sheet: str,
    times: dict[Side, np.ndarray[Any, Any]],
    flags: frozenset[str] = frozenset(),
) -> pd.DataFrame:
    """The rows of one sheet counted `times[side]` times in each side; of `NhanSu`, with the
    position and rule of those counted through one of `flags` derived from the position."""
    table = context.masks.table(sheet)
    frame = table.frame
    none = np.zeros(len(frame), dtype=np.int64)
    n, d = times.get("numerator", none), times.get("denominator", none)
    copies = np.maximum(n, d)
    positions = np.repeat(np.arange(len(frame)), copies)
    # Which copy of its row each line is (0 for all but overlapping counts).
    copy = np.arange(len(positions)) - np.repeat(np.cumsum(copies) - copies, copies)
    in_n, in_d = copy < n[positions], copy < d[positions]
    counted_in = np.where(
        in_n & in_d, "numerator+denominator", np.where(in_n, "numerator", "denominator")
    )
    picked = frame.iloc[positions]
    return pd.DataFrame(
        {
            **_places(context, table, picked),
            # A list that keeps no `Mã` has no ID to show: the cell says which row.
            "id": _column_or_none(picked, table.spec.row_key[0]),
            "unit": _column_or_none(picked, "unit"),
            "counted_in": counted_in,
            **(role_columns(picked, flags) if sheet == WORKFORCE.key else {}),
        }
    )


def _column_or_none(picked: pd.DataFrame, key: str) -> np.ndarray[Any, Any]:
    if key in picked:
        return picked[key].astype("object").to_numpy()
    return np.full(len(picked), None, dtype=object)


def _places(context: Context, table: Table, picked: pd.DataFrame) -> dict[str, Any]:
    """`file`, `sheet` and `row` columns for rows of `table`."""
    paths = np.array([source.path for source in context.dataset.sources], dtype=object)
    files = picked[FILE].to_numpy(dtype=np.int64)
    return {
        "file": paths[files],
        "sheet": picked[FILE].map(table.sheet_names).to_numpy(dtype=object),
        "row": picked[ROW].to_numpy(dtype=np.int64),
    }


def _figures_used(context: Context, side: Side, top: Measure | None) -> list[FigureUsed]:
    """Each `SoLieu` row (or default) behind the figures of one side, as `ratios` chose."""
    used: list[FigureUsed] = []
    figures = [m for m in iter_measures(top) if isinstance(m, FigureMeasure)] if top else []
    for measure in figures:
        trace = Trace()
        try:
            weighted_figure(context, measure, None, trace)
        except Missing:
            continue
        for use in trace.used:
            used.extend(_figure_lines(context, side, use))
    return used


def _figure_lines(context: Context, side: Side, use: FigureUse) -> list[FigureUsed]:
    if use.figure is None:
        assert use.default is not None
        return [FigureUsed(side, use.metric, use.default, use.weight, default=True)]
    table = context.figures.table
    assert table is not None
    sources = context.dataset.sources
    rows = sorted(use.figure.parts, key=lambda part: (part.file, part.row))
    # A part of a figure (one-session classes of the primary classes) is two lines: its
    # value taken out of the total at the total's weight, and counted at its own.
    signs = ((-1.0, use.total_weight), (1.0, use.weight)) if use.part_of else ((1.0, use.weight),)
    return [
        FigureUsed(
            counted_in=side,
            metric=use.metric,
            value=sign * row.value,
            weight=weight,
            year=use.figure.year,
            area=row.area,
            file=sources[row.file].path,
            sheet=table.sheet_names[row.file],
            row=row.row,
            cell=table.cell(row.file, "value", row.row),
            part_of=use.part_of,
        )
        for row in rows
        for sign, weight in signs
    ]


def _explain_units(context: Context, spec: UnitNorm) -> pd.DataFrame | None:
    """The units of a `unit_norm` indicator with their arithmetic, as `norms` counts them."""
    try:
        units = units_against_norm(context.masks, spec)
    except Missing:
        return None
    table = context.masks.table(UNITS.key)
    picked = table.frame.loc[units.index]
    frame = pd.DataFrame(
        {
            **_places(context, table, picked),
            "unit": picked["unit"].astype("object").to_numpy(),
            "people": units["staff"].to_numpy(dtype=np.int64),
            "qualifying": units["qualified"].to_numpy(dtype=np.int64),
            "share": units["share"].to_numpy(dtype=np.float64),
            "norm": units["norm"].to_numpy(dtype=np.float64),
            "meets": units["meets"].to_numpy(dtype=bool),
        }
    )
    return frame.sort_values(["file", "sheet", "row"], kind="stable", ignore_index=True)


def _unit_rows(units: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "file": units["file"],
            "sheet": units["sheet"],
            "row": units["row"],
            "id": None,
            "unit": units["unit"],
            "counted_in": np.where(units["meets"], "numerator+denominator", "denominator"),
        }
    )


def _milestone_row(context: Context, milestone: str) -> MilestoneRow | None:
    found = (context.milestones or {}).get(milestone)
    if found is None:
        return None
    state, index = found
    table = context.masks.table(MILESTONES.key)
    file_index, sheet, row = table.where(index)
    path = context.dataset.sources[file_index].path
    return MilestoneRow(milestone=milestone, state=state, file=path, sheet=sheet, row=row)


__all__ = ["explanation"]
