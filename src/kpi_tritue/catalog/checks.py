"""The checks of a catalog beyond its structure: names against the input contract,
references between its tables. Each problem is an i18n key (`i18n/catalog.py`) and its
parameters, said in the user's language by `CatalogError`."""

from __future__ import annotations

from kpi_tritue.catalog.measures import (
    COMPARISONS,
    ColumnInfo,
    Condition,
    CountMeasure,
    FigureMeasure,
    FigurePart,
    Measure,
    SumMeasure,
    Where,
    enum_code,
    metric_code,
    resolve_operand,
    vocabulary,
)
from kpi_tritue.catalog.model import Catalog, Indicator, Said, UnitNorm
from kpi_tritue.contract.schema import METRIC, UNITS, WORKFORCE, ValueType
from kpi_tritue.contract.text_inputs import shorten

# ---------------------------------------------------------------------------------------
# Checks beyond the structure: names against the contract, references between tables

Loc = tuple[str | int, ...]


class Checker:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.errors: list[tuple[Loc, Said]] = []

    def error(self, loc: Loc, key: str, **params: object) -> None:
        self.errors.append((loc, (key, params)))

    def run(self) -> list[tuple[Loc, Said]]:
        self._unique("indicators", [i.id for i in self.catalog.indicators])
        self._unique("milestones", [m.id for m in self.catalog.milestones])
        for number, indicator in enumerate(self.catalog.indicators):
            self._indicator(("indicators", number), indicator)
        return self.errors

    def _unique(self, table: str, ids: list[str]) -> None:
        seen: dict[str, int] = {}
        for number, id_ in enumerate(ids):
            if id_ in seen:
                self.error(
                    (table, number, "id"),
                    "catalog.duplicate_id",
                    id=shorten(id_),
                    number=seen[id_] + 1,
                    table=table,
                )
            seen.setdefault(id_, number)

    def _indicator(self, loc: Loc, indicator: Indicator) -> None:
        if indicator.kind == "milestone":
            known = [m.id for m in self.catalog.milestones]
            if indicator.milestone not in known:
                self.error(
                    (*loc, "milestone"),
                    "catalog.unknown_milestone" if known else "catalog.unknown_milestone_none",
                    id=shorten(indicator.milestone),
                    known=", ".join(known),
                )
            return
        if indicator.unit_norm is not None:
            self._unit_norm((*loc, "unit_norm"), indicator.unit_norm)
            return
        assert indicator.numerator is not None
        self._ratio(loc, indicator.numerator, indicator.denominator)
        if indicator.override is not None:
            self._ratio(
                (*loc, "override"),
                indicator.override.numerator,
                indicator.override.denominator,
            )

    def _ratio(self, loc: Loc, numerator: Measure, denominator: Measure | None) -> None:
        self._measure((*loc, "numerator"), numerator, top=True, denominator=denominator)
        if denominator is not None:
            self._measure((*loc, "denominator"), denominator, top=True, denominator=None)

    def _measure(
        self, loc: Loc, measure: Measure, *, top: bool, denominator: Measure | None
    ) -> None:
        if isinstance(measure, CountMeasure):
            self._where((*loc, "where"), measure.where, measure.sheet)
        elif isinstance(measure, FigureMeasure):
            self._figure(loc, measure)
            for number, split in enumerate(measure.parts):
                self._figure((*loc, "parts", number), split)
        elif isinstance(measure, SumMeasure):
            for number, part in enumerate(measure.sum):
                self._measure((*loc, "sum", number), part, top=False, denominator=None)
        else:
            if not top or not isinstance(denominator, CountMeasure):
                self.error((*loc, "subset"), "catalog.subset")
            else:
                self._where((*loc, "subset"), measure.subset, denominator.sheet)

    def _figure(self, loc: Loc, measure: FigureMeasure | FigurePart) -> None:
        if metric_code(measure.figure) is None:
            self.error(
                (*loc, "figure"),
                "catalog.unknown_figure",
                figure=shorten(measure.figure),
                known=", ".join(METRIC.codes),
            )
        if isinstance(measure.weight, str) and measure.weight not in self.catalog.norms:
            self.error(
                (*loc, "weight"),
                "catalog.weight" if self.catalog.norms else "catalog.weight_no_norms",
                weight=shorten(measure.weight),
                norms=", ".join(self.catalog.norms),
            )

    def _unit_norm(self, loc: Loc, spec: UnitNorm) -> None:
        units = vocabulary(UNITS.key)
        info = units.get(spec.norm)
        if info is None or info.type is not ValueType.NUMBER:
            numeric = [k for k, v in units.items() if v.type is ValueType.NUMBER]
            self.error(
                (*loc, "norm"),
                "catalog.norm_column",
                norm=shorten(spec.norm),
                columns=", ".join(numeric),
            )
        self._where((*loc, "where"), spec.where, UNITS.key)
        self._where((*loc, "people"), spec.people, WORKFORCE.key)
        self._where((*loc, "qualifying"), spec.qualifying, WORKFORCE.key)

    def _where(self, loc: Loc, where: Where, sheet: str) -> None:
        columns = vocabulary(sheet)
        for number, condition in enumerate(where):
            self._condition((*loc, number), condition, sheet, columns)

    def _condition(
        self, loc: Loc, condition: Condition, sheet: str, columns: dict[str, ColumnInfo]
    ) -> None:
        if condition.any_ is not None:
            for number, part in enumerate(condition.any_):
                self._condition((*loc, "any", number), part, sheet, columns)
            return
        assert condition.column is not None
        info = columns.get(condition.column)
        if info is None:
            self.error(
                (*loc, "column"),
                "catalog.unknown_column",
                column=shorten(condition.column),
                sheet=sheet,
                known=", ".join(sorted(columns)),
            )
            return
        operator = condition.operator
        allowed = _allowed_operators(info.type)
        if operator not in allowed:
            self.error(
                (*loc, operator),
                "catalog.operator" if allowed else "catalog.operator_none",
                operator=operator,
                column=condition.column,
                type=info.type.value,
                allowed=", ".join(allowed),
            )
            return
        operand = condition.operand(operator)
        values = operand if isinstance(operand, tuple) else (operand,)
        for value in values:
            problem = _value_problem(info, operator, value)
            if problem:
                self.error(
                    (*loc, operator),
                    problem,
                    value=shorten(value),
                    column=condition.column,
                    codes=", ".join(info.enum.codes) if info.enum is not None else "",
                )


def _allowed_operators(type_: ValueType) -> tuple[str, ...]:
    match type_:
        case ValueType.BOOL:
            return ("is",)
        case ValueType.ENUM:
            return ("in", "not_in")
        case ValueType.TEXT:
            return ("in", "not_in", "prefix")
        case ValueType.INT | ValueType.YEAR | ValueType.NUMBER:
            return ("in", "not_in", *COMPARISONS)
        case ValueType.DATE:
            return ()


def _value_problem(info: ColumnInfo, operator: str, value: object) -> str | None:
    """The i18n key of what is wrong with `value` in a test of the column `info`, if any."""
    if operator == "is":
        return None
    if info.type is ValueType.ENUM:
        assert info.enum is not None
        if not isinstance(value, str) or enum_code(info.enum, value) is None:
            return "catalog.unknown_value"
        return None
    if info.type is ValueType.TEXT:
        return None if isinstance(value, str) else "catalog.not_text"
    if isinstance(value, str):
        try:
            resolve_operand(value, 2000)
        except ValueError:
            return "catalog.not_operand"
    return None
