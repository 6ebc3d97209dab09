"""The indicators computed: numerators, denominators, status, gap and shortfall.

Each catalog measure becomes a boolean mask over a sheet (cached, so the same filter is
evaluated once) or a `SoLieu` figure chosen for the report year. Anything an indicator
needs that the input does not have — a sheet, a column, a figure, a milestone row — makes
it `no_data` with a `Note` that says what is missing, never 0 %. The definitions are
`spec/indicators.md`; the figure choice is `spec/input-format.md`.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache, reduce
from typing import Any, Literal, get_args

import numpy as np
import pandas as pd

from kpi_tritue.catalog.model import (
    UNIT_PREFIX,
    Catalog,
    Condition,
    CountMeasure,
    FigureMeasure,
    Indicator,
    Measure,
    SubsetMeasure,
    SumMeasure,
    UnitNorm,
    Where,
    enum_code,
    iter_measures,
    metric_code,
    resolve_operand,
    vocabulary,
)
from kpi_tritue.compute.explain import (
    bilingual,
    count_text,
    counted_rows,
    figure_text,
    milestone_conditions,
    unit_norm_conditions,
)
from kpi_tritue.compute.stats import with_people_share_stats
from kpi_tritue.contract.normalize import fold, unit_key
from kpi_tritue.contract.schema import (
    FIGURES,
    LEVEL,
    METRIC,
    MILESTONES,
    POSTGRADUATE,
    SECTOR,
    UNITS,
    WORKFORCE,
    ValueType,
)
from kpi_tritue.errors import UnknownIndicator
from kpi_tritue.i18n import Lang
from kpi_tritue.io.dataset import FILE, Dataset, Table
from kpi_tritue.io.workbook import ROW
from kpi_tritue.model.explanation import (
    Bilingual,
    Conditions,
    Explanation,
    FigureUsed,
    MilestoneRow,
    Side,
)
from kpi_tritue.model.issues import Issue, ParamValue, Severity, sorted_issues
from kpi_tritue.model.results import (
    GroupResult,
    IndicatorResult,
    Measurement,
    Note,
    Status,
    Target,
)

GroupBy = Literal["unit", "level", "sector", "area"]
GROUP_BY: tuple[GroupBy, ...] = get_args(GroupBy)
# Comparisons allow this much floating error (spec/indicators.md).
TOLERANCE = 1e-9
# The group of rows that have no value for the breakdown column (a unit without an area).
NO_GROUP = "—"


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
    engine = _Engine(dataset, catalog, by)
    results = [engine.result(indicator) for indicator in catalog.indicators]
    return Computation(results=results, issues=sorted_issues(engine.issues))


def explain(dataset: Dataset, catalog: Catalog, indicator_id: str) -> Explanation:
    """The rows and `SoLieu` figures behind one indicator, from the masks `compute` uses.

    The rows counted in the numerator (denominator) are exactly as many as the result's
    row-count part of it, and the figures listed make up the rest. An id the catalog does
    not have raises `UnknownIndicator`, whose message lists the ids it has.
    """
    ids = [indicator.id for indicator in catalog.indicators]
    if indicator_id not in ids:
        raise UnknownIndicator(indicator_id, ids)
    return _Engine(dataset, catalog, None).explain(catalog.indicator(indicator_id))


# ---------------------------------------------------------------------------------------
# Status, gap and shortfall


def assess(
    target: Target | None,
    numerator: float,
    denominator: float | None,
    factor: float,
    note: Note | None = None,
) -> Measurement:
    """value = numerator × factor ÷ denominator (× factor alone without a denominator).

    Status, gap and shortfall exactly as spec/indicators.md says: the shortfall is
    `ceil(t × denominator ÷ factor − numerator − 1e-9)`, at least 0, with the denominator
    held as it is; a band counts against its lower bound.
    """
    if denominator is not None and denominator == 0:
        return no_data(Note("zero_denominator"), numerator, denominator)
    value = numerator * factor / denominator if denominator is not None else numerator * factor
    if target is None:
        return Measurement(value, Status.TRACKED, None, None, numerator, denominator, note)
    held = 1.0 if denominator is None else denominator

    def shortfall(bound: float) -> int:
        return max(0, math.ceil(bound * held / factor - numerator - TOLERANCE))

    def measurement(status: Status, gap: float, missing: int) -> Measurement:
        return Measurement(value, status, gap, missing, numerator, denominator, note)

    if target.op == ">=":
        assert target.value is not None
        if value >= target.value - TOLERANCE:
            return measurement(Status.MET, 0.0, 0)
        return measurement(Status.NOT_MET, target.value - value, shortfall(target.value))
    if target.op == "==":
        # `= 100 %` is met only when the numerator equals the denominator: compare counts,
        # not a rounded percentage.
        assert target.value is not None
        needed = target.value * held / factor
        if abs(numerator - needed) <= TOLERANCE:
            return measurement(Status.MET, 0.0, 0)
        if numerator < needed:
            return measurement(Status.NOT_MET, target.value - value, shortfall(target.value))
        return measurement(Status.ABOVE_RANGE, value - target.value, 0)
    assert target.min is not None
    assert target.max is not None
    if value < target.min - TOLERANCE:
        return measurement(Status.NOT_MET, target.min - value, shortfall(target.min))
    if value > target.max + TOLERANCE:
        return measurement(Status.ABOVE_RANGE, value - target.max, 0)
    return measurement(Status.MET, 0.0, 0)


def no_data(
    note: Note, numerator: float | None = None, denominator: float | None = None
) -> Measurement:
    return Measurement(None, Status.NO_DATA, None, None, numerator, denominator, note)


def milestone_measurement(target: Target | None, done: bool) -> Measurement:
    """A milestone: value 1 when done, else 0; no gap, shortfall, numerator or denominator."""
    status = Status.TRACKED if target is None else Status.MET if done else Status.NOT_MET
    return Measurement(1.0 if done else 0.0, status, None, None, None, None)


# ---------------------------------------------------------------------------------------
# SoLieu figures


class _Missing(Exception):
    """Something an indicator needs is not in the input; the note says what."""

    def __init__(self, note: Note) -> None:
        super().__init__(note.code)
        self.note = note


@dataclass(frozen=True)
class _FigureRow:
    """One `SoLieu` row behind a figure: where it is and what it says."""

    file: int
    row: int
    area: str | None
    value: float


@dataclass(frozen=True)
class _Figure:
    """A figure chosen for the report year: its value and the rows it was taken from."""

    value: float
    year: int
    parts: tuple[_FigureRow, ...]

    @property
    def file(self) -> int:
        return self.parts[0].file

    @property
    def row(self) -> int:
        return self.parts[0].row


class _Figures:
    """The `SoLieu` rows, and the choice of a figure for the report year.

    Province row of year Y; else the sum of the area rows of Y; else the same for the
    latest earlier year that has either.
    """

    def __init__(self, dataset: Dataset) -> None:
        self.year = dataset.report_year
        self.table = dataset.table(FIGURES.key)
        columns = ["metric", "value", "year", "area", "area_key", "file", "row"]
        if self.table is None or self.table.frame.empty:
            self.rows = pd.DataFrame(columns=columns)
            return
        frame = self.table.frame
        area = (
            frame["area"].astype("object")
            if "area" in frame
            else pd.Series(pd.NA, index=frame.index, dtype="object")
        )
        rows = pd.DataFrame(
            {
                "metric": frame["metric"].astype("object"),
                "value": frame["value"].astype("Float64"),
                "year": frame["year"].astype("Int64"),
                "area": area,
                "area_key": _keys(area).fillna(""),
                "file": frame[FILE],
                "row": frame[ROW],
            }
        )
        usable = rows["metric"].notna() & rows["value"].notna() & rows["year"].notna()
        rows = rows[usable.to_numpy(dtype=bool)]
        rows = rows.astype({"value": "float64", "year": "int64"})
        rows = rows[rows["year"] <= self.year]
        # The same metric, year and area twice is an error already reported: use the first.
        rows = rows.drop_duplicates(["metric", "year", "area_key"], keep="first")
        self.rows = rows.sort_values(["metric", "year", "area_key"], kind="stable")

    def _of(self, metric: str, earlier: bool) -> pd.DataFrame:
        rows = self.rows[self.rows["metric"] == metric]
        return rows if earlier else rows[rows["year"] == self.year]

    def province(self, metric: str, earlier: bool) -> _Figure | None:
        rows = self._of(metric, earlier)
        if rows.empty:
            return None
        year = int(rows["year"].max())
        rows = rows[rows["year"] == year]
        whole = rows[rows["area_key"] == ""]
        chosen = whole if not whole.empty else rows
        # fsum: the sum of area rows does not depend on their order.
        total = math.fsum(float(v) for v in chosen["value"])
        return _Figure(total, year, _figure_rows(chosen))

    def area(self, metric: str, key: str, earlier: bool) -> _Figure | None:
        rows = self._of(metric, earlier)
        rows = rows[rows["area_key"] == key]
        if rows.empty:
            return None
        latest = rows.sort_values("year", kind="stable").iloc[[-1]]
        return _Figure(
            float(latest["value"].iloc[0]), int(latest["year"].iloc[0]), _figure_rows(latest)
        )

    def area_keys(self, metric: str, earlier: bool) -> set[str]:
        keys = self._of(metric, earlier)["area_key"]
        return {str(key) for key in keys if key}

    def mismatches(self, dataset: Dataset) -> list[Issue]:
        """A province row that differs from the sum of its area rows: a warning."""
        if self.table is None or self.rows.empty:
            return []
        by_year = ["metric", "year"]
        areas = self.rows[self.rows["area_key"] != ""].groupby(by_year)["value"].sum()
        whole = self.rows[self.rows["area_key"] == ""].set_index(by_year)
        both = whole.join(areas.rename("total"), how="inner")
        scale = np.maximum(1.0, both["value"].abs())
        differs = both[(both["value"] - both["total"]).abs() > TOLERANCE * scale]
        issues = []
        for record in differs.reset_index().to_dict("records"):
            issues.append(
                self.issue(
                    dataset,
                    Severity.WARNING,
                    "figure_total_differs",
                    int(record["file"]),
                    int(record["row"]),
                    metric=METRIC.label(str(record["metric"]), "vi"),
                    year=int(record["year"]),
                    value=_number_text(float(record["value"])),
                    total=_number_text(float(record["total"])),
                )
            )
        return issues

    def issue(
        self,
        dataset: Dataset,
        severity: Severity,
        code: str,
        file: int,
        row: int,
        **params: ParamValue,
    ) -> Issue:
        assert self.table is not None
        return Issue(
            severity,
            code,
            file=dataset.sources[file].path if file < len(dataset.sources) else None,
            sheet=self.table.sheet_names.get(file),
            row=row,
            column=FIGURES.column("value").header,
            cell=self.table.cell(file, "value", row),
            params=params,
        )


# ---------------------------------------------------------------------------------------
# The engine


@dataclass(frozen=True)
class _FigureUse:
    """A figure measure as it went into an amount: the figure found, or its default."""

    metric: str
    weight: float
    figure: _Figure | None
    default: float | None


@dataclass
class _Trace:
    """The figures that went into one measurement, and those of an earlier year."""

    earlier: list[tuple[str, _Figure]] = field(default_factory=list)
    used: list[_FigureUse] = field(default_factory=list)

    def note(self) -> Note | None:
        if not self.earlier:
            return None
        used = list(dict.fromkeys((metric, figure.year) for metric, figure in self.earlier))
        return Note(
            "figure_earlier_year",
            {
                "metrics": ",".join(metric for metric, _ in used),
                "years": ",".join(str(year) for _, year in used),
            },
        )


Pair = tuple[float, float | None, _Trace]


class _Engine:
    def __init__(self, dataset: Dataset, catalog: Catalog, by: GroupBy | None) -> None:
        self.dataset = dataset
        self.catalog = catalog
        self.by = by
        self.year = dataset.report_year
        self.as_of = dataset.as_of
        self.issues: list[Issue] = []
        self.figures = _Figures(dataset)
        self.issues.extend(self.figures.mismatches(dataset))
        self._columns: dict[tuple[str, str], pd.Series] = {}
        self._distinct: dict[tuple[str, str], tuple[np.ndarray[Any, Any], list[str]]] = {}
        self._masks: dict[tuple[str, Where], pd.Series] = {}
        self._conditions: dict[tuple[str, Condition], pd.Series] = {}
        self._group_counts: dict[tuple[str, Where], pd.Series] = {}
        self._earlier_reported: set[str] = set()
        self._area_warned = False
        self._units_lookup: pd.DataFrame | None = None
        self._unit_positions: np.ndarray[Any, Any] | None = None
        self._person_units: tuple[np.ndarray[Any, Any], pd.Index] | None = None
        self._codes: tuple[np.ndarray[Any, Any], pd.Index] | None = None
        self._milestone_states = self._read_milestones()

    # -- one indicator ------------------------------------------------------------------

    def result(self, indicator: Indicator) -> IndicatorResult:
        if indicator.kind == "milestone":
            measurement, breakdown = self._milestone(indicator), None
        elif indicator.kind == "unit_norm":
            measurement, breakdown = self._unit_norm(indicator)
        else:
            measurement, breakdown = self._ratio(indicator)
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

    def _ratio(self, indicator: Indicator) -> tuple[Measurement, tuple[GroupResult, ...] | None]:
        numerator, denominator, override_note = self._measures(indicator)
        target = indicator.target_result
        try:
            n, d, trace = self._pair(numerator, denominator, None)
        except _Missing as missing:
            return no_data(missing.note), None
        self._report_earlier(trace)
        measurement = assess(target, n, d, indicator.factor, override_note or trace.note())
        breakdown = self._ratio_breakdown(indicator, numerator, denominator)
        return measurement, breakdown

    def _measures(self, indicator: Indicator) -> tuple[Measure, Measure | None, Note | None]:
        """The numerator and denominator used: the override's when it is available.

        The note says so when the override is used.
        """
        assert indicator.numerator is not None
        override = indicator.override
        if override is not None:
            try:
                self._pair(override.numerator, override.denominator, None)
            except _Missing:
                pass
            else:
                metrics = _figure_codes(override.numerator, override.denominator)
                note = Note("override_figures", {"metrics": ",".join(metrics), "year": self.year})
                return override.numerator, override.denominator, note
        return indicator.numerator, indicator.denominator, None

    def _pair(self, numerator: Measure, denominator: Measure | None, group: str | None) -> Pair:
        trace = _Trace()
        d = None if denominator is None else self._amount(denominator, None, group, trace)
        n = self._amount(numerator, denominator, group, trace)
        return n, d, trace

    def _ratio_breakdown(
        self, indicator: Indicator, numerator: Measure, denominator: Measure | None
    ) -> tuple[GroupResult, ...] | None:
        groups = self._ratio_groups(numerator, denominator)
        if groups is None:
            return None
        target = indicator.target_result
        results = []
        for key in groups:
            try:
                n, d, trace = self._pair(numerator, denominator, key)
                measurement = assess(target, n, d, indicator.factor, trace.note())
            except _Missing as missing:
                measurement = no_data(missing.note)
            results.append(GroupResult(self._labels.get(key, key), measurement))
        return tuple(results)

    def _ratio_groups(self, numerator: Measure, denominator: Measure | None) -> list[str] | None:
        """The groups of a breakdown, or None where the indicator cannot be broken down."""
        if self.by is None:
            return None
        leaves = [m for top in (numerator, denominator) if top for m in iter_measures(top)]
        counts = [_count_of(m, denominator) for m in leaves if _is_count(m)]
        figures = [m for m in leaves if isinstance(m, FigureMeasure)]
        if any(sheet != WORKFORCE.key for sheet, _ in counts):
            return None  # specialist teams have no unit, level, sector or area
        if figures and self.by != "area":
            return None  # figures exist for the province and its areas only
        needed = [m for m in figures if m.default is None]
        if needed:
            keys: set[str] = set()
            for figure in needed:
                keys |= self.figures.area_keys(_metric(figure), figure.earlier_years)
            return self._sorted(keys) if keys else None
        try:
            keys = set()
            for sheet, where in counts:
                counted = self._counts_by_group(sheet, where)
                keys |= {str(k) for k in counted.index[counted.to_numpy() > 0]}
        except _Missing:
            self._warn_no_area()
            return None
        return self._sorted(keys)

    # -- explanations -------------------------------------------------------------------

    def explain(self, indicator: Indicator) -> Explanation:
        result = self.result(indicator)
        common: dict[str, Any] = {
            "result": result,
            "kind": indicator.kind,
            "catalog": self.catalog.id,
            "as_of": self.as_of,
            "report_year": self.year,
            "sources": tuple(self.dataset.sources),
        }
        if indicator.kind == "milestone":
            assert indicator.milestone is not None
            spec = self.catalog.milestone(indicator.milestone)
            return Explanation(
                **common,
                conditions=milestone_conditions(
                    Bilingual(spec.name_vi, spec.name_en), indicator.milestone
                ),
                rows=counted_rows([]),
                milestone=self._milestone_row(indicator.milestone),
            )
        if indicator.kind == "unit_norm":
            assert indicator.unit_norm is not None
            units = self._explain_units(indicator.unit_norm)
            return Explanation(
                **common,
                conditions=unit_norm_conditions(indicator.unit_norm, self.year),
                rows=counted_rows([] if units is None else [self._unit_rows(units)]),
                sheets=(UNITS.key,),
                units=units,
            )
        numerator, denominator, override = self._measures(indicator)
        rows, sheets = self._counted_rows(numerator, denominator)
        return Explanation(
            **common,
            conditions=Conditions(
                numerator=bilingual(lambda lang: self._describe(numerator, denominator, lang)),
                denominator=None
                if denominator is None
                else bilingual(lambda lang: self._describe(denominator, None, lang)),
            ),
            rows=rows,
            sheets=sheets,
            figures=(
                *self._figures_used("numerator", numerator),
                *self._figures_used("denominator", denominator),
            ),
            override=override is not None,
        )

    def _describe(self, measure: Measure, denominator: Measure | None, lang: Lang) -> str:
        """A measure as a sentence, resolved as `_amount` resolves it."""
        if isinstance(measure, SumMeasure):
            return " + ".join(self._describe(part, denominator, lang) for part in measure.sum)
        if isinstance(measure, FigureMeasure):
            return figure_text(measure, self.catalog.weight(measure), self.year, lang)
        sheet, where = _count_of(measure, denominator)
        return count_text(sheet, where, self.year, lang)

    def _counted_rows(
        self, numerator: Measure, denominator: Measure | None
    ) -> tuple[pd.DataFrame, tuple[str, ...]]:
        """Every row that a count of the numerator or the denominator takes.

        A row that two counts of one side both take (a sum of overlapping counts) is
        listed twice, so the lines always add up to the amounts. A count that cannot be
        evaluated (a sheet or column absent) lists nothing: the result's note says why.
        """
        times: dict[str, dict[Side, np.ndarray[Any, Any]]] = {}
        sides: tuple[tuple[Side, Measure | None, Measure | None], ...] = (
            ("numerator", numerator, denominator),
            ("denominator", denominator, None),
        )
        for side, top, context in sides:
            if top is None:
                continue
            for leaf in iter_measures(top):
                if not _is_count(leaf):
                    continue
                sheet, where = _count_of(leaf, context)
                try:
                    mask = self._mask(sheet, where).to_numpy(dtype=bool)
                except _Missing:
                    continue
                counts = times.setdefault(sheet, {})
                counts[side] = counts.get(side, 0) + mask.astype(np.int64)
        frames = [self._sheet_rows(sheet, counts) for sheet, counts in times.items()]
        return counted_rows(frames), tuple(times)

    def _sheet_rows(self, sheet: str, times: dict[Side, np.ndarray[Any, Any]]) -> pd.DataFrame:
        """The rows of one sheet counted `times[side]` times in each side."""
        table = self._table(sheet)
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
        key = table.spec.row_key[0]
        return pd.DataFrame(
            {
                **self._places(table, picked),
                "id": picked[key].astype("object").to_numpy(),
                "unit": picked["unit"].astype("object").to_numpy()
                if "unit" in picked
                else np.full(len(picked), None, dtype=object),
                "counted_in": counted_in,
            }
        )

    def _places(self, table: Table, picked: pd.DataFrame) -> dict[str, Any]:
        """`file`, `sheet` and `row` columns for rows of `table`."""
        paths = np.array([source.path for source in self.dataset.sources], dtype=object)
        files = picked[FILE].to_numpy(dtype=np.int64)
        return {
            "file": paths[files],
            "sheet": picked[FILE].map(table.sheet_names).to_numpy(dtype=object),
            "row": picked[ROW].to_numpy(dtype=np.int64),
        }

    def _figures_used(self, side: Side, top: Measure | None) -> list[FigureUsed]:
        """Each `SoLieu` row (or default) behind the figures of one side, as `_figure` chose."""
        used: list[FigureUsed] = []
        figures = [m for m in iter_measures(top) if isinstance(m, FigureMeasure)] if top else []
        for measure in figures:
            trace = _Trace()
            try:
                self._figure(measure, None, trace)
            except _Missing:
                continue
            for use in trace.used:
                used.extend(self._figure_lines(side, use))
        return used

    def _figure_lines(self, side: Side, use: _FigureUse) -> list[FigureUsed]:
        if use.figure is None:
            assert use.default is not None
            return [FigureUsed(side, use.metric, use.default, use.weight, default=True)]
        table = self.figures.table
        assert table is not None
        return [
            FigureUsed(
                counted_in=side,
                metric=use.metric,
                value=part.value,
                weight=use.weight,
                year=use.figure.year,
                area=part.area,
                file=self.dataset.sources[part.file].path,
                sheet=table.sheet_names[part.file],
                row=part.row,
                cell=table.cell(part.file, "value", part.row),
            )
            for part in sorted(use.figure.parts, key=lambda part: (part.file, part.row))
        ]

    def _explain_units(self, spec: UnitNorm) -> pd.DataFrame | None:
        """The units of a `unit_norm` indicator with their arithmetic, as `_unit_norm` counts."""
        try:
            units = self._units_against_norm(spec)
        except _Missing:
            return None
        table = self._table(UNITS.key)
        picked = table.frame.loc[units.index]
        frame = pd.DataFrame(
            {
                **self._places(table, picked),
                "unit": picked["unit"].astype("object").to_numpy(),
                "people": units["staff"].to_numpy(dtype=np.int64),
                "qualifying": units["qualified"].to_numpy(dtype=np.int64),
                "share": units["share"].to_numpy(dtype=np.float64),
                "norm": units["norm"].to_numpy(dtype=np.float64),
                "meets": units["meets"].to_numpy(dtype=bool),
            }
        )
        return frame.sort_values(["file", "sheet", "row"], kind="stable", ignore_index=True)

    @staticmethod
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

    def _milestone_row(self, milestone: str) -> MilestoneRow | None:
        found = (self._milestone_states or {}).get(milestone)
        if found is None:
            return None
        state, index = found
        table = self._table(MILESTONES.key)
        file_index, sheet, row = table.where(index)
        path = self.dataset.sources[file_index].path
        return MilestoneRow(milestone=milestone, state=state, file=path, sheet=sheet, row=row)

    # -- measures -----------------------------------------------------------------------

    def _amount(
        self, measure: Measure, denominator: Measure | None, group: str | None, trace: _Trace
    ) -> float:
        if isinstance(measure, SumMeasure):
            return sum((self._amount(part, denominator, group, trace) for part in measure.sum), 0.0)
        if isinstance(measure, FigureMeasure):
            return self._figure(measure, group, trace) * self.catalog.weight(measure)
        sheet, where = _count_of(measure, denominator)
        if group is None:
            return float(self._mask(sheet, where).sum())
        counted = self._counts_by_group(sheet, where)
        return float(counted.get(group, 0))

    def _figure(self, measure: FigureMeasure, group: str | None, trace: _Trace) -> float:
        metric = _metric(measure)
        if group is None:
            figure = self.figures.province(metric, measure.earlier_years)
        else:
            figure = self.figures.area(metric, group, measure.earlier_years)
        weight = self.catalog.weight(measure)
        if figure is None:
            if measure.default is not None:
                trace.used.append(_FigureUse(metric, weight, None, measure.default))
                return measure.default
            if group is not None:
                label = self._labels.get(group, group)
                raise _Missing(
                    Note(
                        "missing_area_figure", {"metric": metric, "area": label, "year": self.year}
                    )
                )
            code = "missing_figure" if measure.earlier_years else "missing_figure_year"
            raise _Missing(Note(code, {"metric": metric, "year": self.year}))
        if figure.year < self.year:
            trace.earlier.append((metric, figure))
        trace.used.append(_FigureUse(metric, weight, figure, None))
        return figure.value

    def _report_earlier(self, trace: _Trace) -> None:
        """An `info` issue per figure taken from an earlier year, naming the year used."""
        for metric, figure in trace.earlier:
            if metric in self._earlier_reported:
                continue
            self._earlier_reported.add(metric)
            self.issues.append(
                self.figures.issue(
                    self.dataset,
                    Severity.INFO,
                    "figure_earlier_year",
                    figure.file,
                    figure.row,
                    metric=METRIC.label(metric, "vi"),
                    year=figure.year,
                    report_year=self.year,
                )
            )

    # -- filters ------------------------------------------------------------------------

    def _table(self, sheet: str) -> Table:
        table = self.dataset.table(sheet)
        if table is None:
            raise _Missing(Note("missing_sheet", {"sheet": sheet}))
        return table

    def _mask(self, sheet: str, where: Where) -> pd.Series:
        """Rows of `sheet` passing every condition (plain bool; NA never passes)."""
        key = (sheet, where)
        if key not in self._masks:
            table = self._table(sheet)
            parts = [self._condition_once(sheet, condition) for condition in where]
            everyone = pd.Series(True, index=table.frame.index)
            self._masks[key] = reduce(operator.and_, parts, everyone)
        return self._masks[key]

    def _condition_once(self, sheet: str, condition: Condition) -> pd.Series:
        """`_condition`, computed once: many indicators share "active", "leader", a level."""
        key = (sheet, condition)
        found = self._conditions.get(key)
        if found is None:
            found = self._conditions[key] = self._condition(sheet, condition)
        return found

    def _condition(self, sheet: str, condition: Condition) -> pd.Series:
        if condition.any_ is not None:
            # Every branch must be evaluable: an absent column is not reported, not "no".
            parts = [self._condition(sheet, part) for part in condition.any_]
            return reduce(operator.or_, parts)
        assert condition.column is not None
        info = vocabulary(sheet)[condition.column]
        values = self._column(sheet, condition.column)
        op = condition.operator
        operand = condition.operand(op)
        if op == "is":
            return _flags(values.astype("boolean") == bool(operand))
        if op == "prefix":
            prefixes = tuple(fold(str(p)) for p in operand)
            return self._text_test(sheet, condition.column, lambda text: text.startswith(prefixes))
        if op in ("in", "not_in") and info.type is ValueType.TEXT:
            texts = {fold(str(v)) for v in operand}
            hit = self._text_test(sheet, condition.column, lambda text: text in texts)
            if op == "in":
                return hit
            codes, _ = self._distinct_text(sheet, condition.column)
            return pd.Series((codes >= 0) & ~hit.to_numpy(dtype=bool), index=values.index)
        if op in ("in", "not_in"):
            hay = values
            needles: list[object]
            if info.type is ValueType.ENUM:
                assert info.enum is not None
                needles = [enum_code(info.enum, str(v)) for v in operand]
            else:
                needles = [resolve_operand(v, self.year) for v in operand]
            known = hay.notna().to_numpy(dtype=bool)
            found = _isin(hay, needles) & known
            return pd.Series(found if op == "in" else known & ~found, index=values.index)
        bound = resolve_operand(operand, self.year)
        numbers = values.astype("Float64")
        compare: Callable[[Any, Any], Any] = getattr(operator, op)
        return _flags(compare(numbers, bound))

    def _column(self, sheet: str, name: str) -> pd.Series:
        """A column of `sheet` by its catalog name, derived or joined as needed."""
        key = (sheet, name)
        if key in self._columns:
            return self._columns[key]
        table = self._table(sheet)
        if name.startswith(UNIT_PREFIX):
            series = self._unit_attribute(name.removeprefix(UNIT_PREFIX))
        else:
            info = vocabulary(sheet)[name]
            if info.needs and not any(need in table.present for need in info.needs):
                raise _Missing(
                    Note("missing_column", {"sheet": sheet, "column": "|".join(info.needs)})
                )
            series = self._derive(table, name)
        self._columns[key] = series
        return series

    def _derive(self, table: Table, name: str) -> pd.Series:
        frame = table.frame
        if name == "age":
            return self._age(frame)
        if name == "postgraduate":
            return pd.Series(frame["qualification"].isin(POSTGRADUATE), index=frame.index)
        if name == "leader":
            leader = _flags(frame["is_manager"])
            if "is_key_leader" in table.present:
                leader |= _flags(frame["is_key_leader"])
            return leader
        if name not in frame:
            # Present in `present` but not in this frame cannot happen; absent means blank.
            return pd.Series(pd.NA, index=frame.index, dtype="object")
        return frame[name]

    def _age(self, frame: pd.DataFrame) -> pd.Series:
        """Full years at `as_of` from the birth date; `Y − birth year` when only that is known."""
        born = pd.to_datetime(frame["birth_date"])
        month, day = born.dt.month, born.dt.day
        before_birthday = (month > self.as_of.month) | (
            (month == self.as_of.month) & (day > self.as_of.day)
        )
        years = self.year - frame["birth_year"].astype("Int64")
        return years - before_birthday.fillna(False).astype("int64")

    def _text_test(self, sheet: str, name: str, test: Callable[[str], bool]) -> pd.Series:
        """`test` on the folded text of a column, evaluated once per distinct value."""
        codes, folded = self._distinct_text(sheet, name)
        passed = np.array([test(text) for text in folded] + [False], dtype=bool)
        return pd.Series(passed[codes], index=self._table(sheet).frame.index)

    def _distinct_text(self, sheet: str, name: str) -> tuple[np.ndarray[Any, Any], list[str]]:
        """A text column as codes (-1 for blank) into its distinct values, folded."""
        key = (sheet, name)
        if key not in self._distinct:
            codes, uniques = pd.factorize(self._column(sheet, name), use_na_sentinel=True)
            self._distinct[key] = (np.asarray(codes), [fold(str(u)) for u in uniques])
        return self._distinct[key]

    def _unit_attribute(self, column: str) -> pd.Series:
        """A `DonVi` column for each person, matched on the unit name."""
        units = self._table(UNITS.key)
        if column not in units.present:
            raise _Missing(Note("missing_column", {"sheet": UNITS.key, "column": column}))
        lookup = self._units_by_key()[column]
        people = self._unit_keys(WORKFORCE.key)
        if self._unit_positions is None:
            # What `people.map(lookup)` does, with the matching done once for every column.
            index = self._units_by_key().index
            self._unit_positions = np.asarray(index.get_indexer(pd.Index(people)))
        joined = pd.Series(
            lookup.array.take(self._unit_positions, allow_fill=True), index=people.index
        )
        if UNITS.column(column).type is ValueType.BOOL:
            return joined.astype("boolean")
        return joined

    def _units_by_key(self) -> pd.DataFrame:
        """DonVi rows indexed by unit key (the first row of a key wins)."""
        if self._units_lookup is None:
            frame = self._table(UNITS.key).frame.copy()
            frame.index = pd.Index(self._unit_keys(UNITS.key))
            self._units_lookup = frame[frame.index.notna()].loc[
                lambda f: ~f.index.duplicated(keep="first")
            ]
        return self._units_lookup

    def _unit_keys(self, sheet: str) -> pd.Series:
        key = (sheet, "unit#key")
        if key not in self._columns:
            units = self._table(sheet).frame["unit"]
            self._columns[key] = _keys(units)
        return self._columns[key]

    def _count_by_unit(self, mask: pd.Series) -> pd.Series:
        """`mask.groupby(unit keys).sum()`: rows passing `mask` per unit key of NhanSu."""
        if self._person_units is None:
            codes, uniques = pd.factorize(self._unit_keys(WORKFORCE.key), use_na_sentinel=True)
            self._person_units = (np.asarray(codes), pd.Index(uniques))
        codes, uniques = self._person_units
        counted = codes[mask.to_numpy(dtype=bool) & (codes >= 0)]
        return pd.Series(np.bincount(counted, minlength=len(uniques)), index=uniques)

    # -- groups -------------------------------------------------------------------------

    @cached_property
    def _labels(self) -> dict[str, str]:
        """Group labels, worked out only when a breakdown or a note needs one."""
        return self._group_labels()

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
        key = (WORKFORCE.key, f"group#{self.by}")
        if key in self._columns:
            return self._columns[key]
        frame = self._table(WORKFORCE.key).frame
        if self.by == "unit":
            keys = self._unit_keys(WORKFORCE.key)
        elif self.by == "area":
            keys = _keys(self._unit_attribute("area"))
        else:
            assert self.by is not None
            keys = frame[self.by].astype("object")
        keys = keys.fillna(NO_GROUP).astype("object")
        self._columns[key] = keys
        return keys

    def _group_codes(self) -> tuple[np.ndarray[Any, Any], pd.Index]:
        """Each person's group as a number into the distinct group keys."""
        if self._codes is None:
            codes, groups = pd.factorize(self._group_keys())
            self._codes = (np.asarray(codes), pd.Index(groups))
        return self._codes

    def _counts_by_group(self, sheet: str, where: Where) -> pd.Series:
        key = (sheet, where)
        if key not in self._group_counts:
            mask = self._mask(sheet, where).to_numpy(dtype=bool)
            codes, groups = self._group_codes()
            counts = np.bincount(codes[mask], minlength=len(groups))
            self._group_counts[key] = pd.Series(counts, index=groups)
        return self._group_counts[key]

    def _sorted(self, keys: Iterable[str]) -> list[str]:
        order: dict[str, int] = {}
        if self.by in ("level", "sector"):
            codes = (LEVEL if self.by == "level" else SECTOR).codes
            order = {code: number for number, code in enumerate(codes)}

        def sort_key(key: str) -> tuple[int, int, str, str]:
            label = self._labels.get(key, key)
            return (key == NO_GROUP, order.get(key, len(order)), fold(label), label)

        return sorted(set(keys), key=sort_key)

    def _warn_no_area(self) -> None:
        if not self._area_warned:
            self._area_warned = True
            self.issues.append(Issue(Severity.INFO, "breakdown_without_area"))

    # -- units against their norm -------------------------------------------------------

    def _unit_norm(
        self, indicator: Indicator
    ) -> tuple[Measurement, tuple[GroupResult, ...] | None]:
        spec = indicator.unit_norm
        assert spec is not None
        target = indicator.target_result
        try:
            units = self._units_against_norm(spec)
        except _Missing as missing:
            return no_data(missing.note), None
        n, d = float(units["meets"].sum()), float(len(units))
        if d == 0:
            return no_data(Note("no_units_with_norm"), n, d), None
        measurement = assess(target, n, d, indicator.factor)
        if self.by is None:
            return measurement, None
        try:
            groups = self._unit_groups(units)
        except _Missing:
            return measurement, None
        breakdown = []
        for key in self._sorted(groups):
            members = units[(groups == key).to_numpy(dtype=bool)]
            counted = assess(
                target, float(members["meets"].sum()), float(len(members)), indicator.factor
            )
            breakdown.append(GroupResult(self._labels.get(key, key), counted))
        return measurement, tuple(breakdown)

    def _units_against_norm(self, spec: UnitNorm) -> pd.DataFrame:
        """The indicator's units (rows of DonVi) with their key and whether they meet the norm.

        A unit counts when it passes `where`, has a norm (0 is a norm) and has people; it
        meets the norm when the share (%) of its people who qualify is at least the norm.
        """
        norms = self._column(UNITS.key, spec.norm).astype("Float64")
        eligible = self._mask(UNITS.key, spec.where)
        keys = self._unit_keys(UNITS.key)
        candidates = eligible & _flags(norms.notna()) & _flags(keys.notna())
        candidates &= ~keys.duplicated(keep="first")
        people = self._mask(WORKFORCE.key, spec.people)
        qualifying = self._mask(WORKFORCE.key, spec.people + spec.qualifying)
        staff = self._count_by_unit(people)
        qualified = self._count_by_unit(qualifying)
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

    def _unit_groups(self, units: pd.DataFrame) -> pd.Series:
        """Each unit's group for `by`, from its own DonVi row (units have no people's columns)."""
        if self.by == "unit":
            groups = units["key"]
        else:
            assert self.by is not None
            column = self._column(UNITS.key, self.by).loc[units.index]
            groups = _keys(column) if self.by == "area" else column.astype("object")
        return groups.fillna(NO_GROUP).astype("object")

    # -- milestones ---------------------------------------------------------------------

    def _read_milestones(self) -> dict[str, tuple[str, int]] | None:
        """Each milestone's state and the index of its row (the first row of it wins)."""
        table = self.dataset.table(MILESTONES.key)
        if table is None:
            return None
        spellings = {s: m.id for m in self.catalog.milestones for s in m.spellings}
        frame = table.frame
        folded = _map_distinct(frame["milestone"], fold)
        ids = folded.map(spellings)
        unknown = folded.notna() & ids.isna()
        expected = ", ".join(m.id for m in self.catalog.milestones)
        for index in frame.index[unknown.to_numpy(dtype=bool)]:
            file_index, sheet, row = table.where(index)
            self.issues.append(
                Issue(
                    Severity.WARNING,
                    "unknown_milestone",
                    file=self.dataset.sources[file_index].path,
                    sheet=sheet,
                    row=row,
                    column=MILESTONES.column("milestone").header,
                    cell=table.cell(file_index, "milestone", row),
                    params={"value": str(frame.at[index, "milestone"]), "expected": expected},
                )
            )
        states: dict[str, tuple[str, int]] = {}
        for index, milestone, state in zip(frame.index, ids, frame["state"], strict=True):
            if isinstance(milestone, str) and isinstance(state, str):
                states.setdefault(milestone, (state, int(index)))
        return states

    def _milestone(self, indicator: Indicator) -> Measurement:
        assert indicator.milestone is not None
        if self._milestone_states is None:
            return no_data(Note("missing_sheet", {"sheet": MILESTONES.key}))
        found = self._milestone_states.get(indicator.milestone)
        if found is None:
            return no_data(Note("missing_milestone", {"milestone": indicator.milestone}))
        return milestone_measurement(indicator.target_result, found[0] == "done")


# ---------------------------------------------------------------------------------------
# Small helpers


def _flags(values: pd.Series) -> pd.Series:
    """A boolean-like Series as plain bool, NA as False."""
    return pd.Series(values.to_numpy(dtype=bool, na_value=False), index=values.index)


def _isin(values: pd.Series, needles: list[object]) -> np.ndarray[Any, Any]:
    """`values.isin(needles)` as plain bool (NA as False); a category column by its codes."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        # What `Categorical.isin` does, with a lookup table in place of a hash table.
        categories = values.cat.categories
        wanted = np.asarray(categories.get_indexer_for(pd.Index(needles, dtype=object)))
        missing = np.asarray(pd.isna(np.asarray(needles, dtype=object)), dtype=bool)
        table = np.zeros(len(categories) + 1, dtype=bool)
        table[wanted[missing | (wanted >= 0)]] = True  # -1 (NA) is the last entry
        found: np.ndarray[Any, Any] = table[values.cat.codes.to_numpy()]
        return found
    return _flags(values.isin(needles)).to_numpy(dtype=bool)


def _map_distinct(values: pd.Series, function: Callable[[str], str]) -> pd.Series:
    """`function` applied once per distinct text of a column; NA stays NA."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    # `tolist` hands over Python strings at once; iterating an Arrow-backed index does not.
    mapped = np.array([function(str(u)) for u in uniques.tolist()] + [None], dtype=object)
    return pd.Series(mapped[codes], index=values.index, dtype="object")


# The same unit names come from NhanSu and DonVi: each is keyed once.
_unit_key = lru_cache(maxsize=1 << 16)(unit_key)


def _keys(values: pd.Series) -> pd.Series:
    """Unit or area names as matching keys (cleaned, case folded, diacritics kept)."""
    return _map_distinct(values, _unit_key)


def _is_count(measure: Measure) -> bool:
    return isinstance(measure, CountMeasure | SubsetMeasure)


def _count_of(measure: Measure, denominator: Measure | None) -> tuple[str, Where]:
    """The sheet and conditions of a count: a subset adds its conditions to the denominator's."""
    if isinstance(measure, CountMeasure):
        return measure.sheet, measure.where
    assert isinstance(measure, SubsetMeasure)
    assert isinstance(denominator, CountMeasure)
    return denominator.sheet, denominator.where + measure.subset


def _metric(measure: FigureMeasure) -> str:
    code = metric_code(measure.figure)
    assert code is not None  # checked when the catalog was loaded
    return code


def _figure_codes(*measures: Measure | None) -> list[str]:
    return [
        _metric(m)
        for top in measures
        if top is not None
        for m in iter_measures(top)
        if isinstance(m, FigureMeasure)
    ]


def _figure_rows(rows: pd.DataFrame) -> tuple[_FigureRow, ...]:
    return tuple(
        _FigureRow(int(file), int(row), None if key == "" else str(area), float(value))
        for file, row, area, key, value in zip(
            rows["file"], rows["row"], rows["area"], rows["area_key"], rows["value"], strict=True
        )
    )


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(value)


__all__ = [
    "GROUP_BY",
    "NO_GROUP",
    "TOLERANCE",
    "Computation",
    "GroupBy",
    "assess",
    "compute",
    "explain",
    "milestone_measurement",
    "no_data",
]
