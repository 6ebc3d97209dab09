"""A catalog's measures and filters: the structured tests over the input sheets that an
indicator's numerator and denominator are written in (never code), and the vocabulary of
columns they may name (the input contract plus the engine's derived columns).

`catalog.model` holds the indicators and the catalog that use them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, StrictBool, Tag, model_validator

from kpi_tritue.contract.normalize import fold
from kpi_tritue.contract.schema import (
    METRIC,
    SPECIALIST_TEAMS,
    UNITS,
    WORKFORCE,
    EnumSpec,
    SheetSpec,
    ValueType,
)
from kpi_tritue.i18n import text

# Sheets whose rows a count measure may count.
CountSheet = Literal["workforce", "specialist_teams"]
# A `DonVi` attribute of a person's unit is named `unit.<column>` in a workforce filter.
UNIT_PREFIX = "unit."
_SYMBOL = re.compile(r"^report_year\s*(?:([+-])\s*(\d+))?$")


class Frozen(BaseModel):
    # No infinity or NaN anywhere: TOML has `inf` and `nan`, and a result holding one is
    # not valid JSON.
    model_config = ConfigDict(
        frozen=True, extra="forbid", populate_by_name=True, allow_inf_nan=False
    )


# Numbers of a catalog stay far from a float's range, so that no computation overflows:
# a target or a figure within ±10^12, a scale (a factor, a weight, a norm) within
# 10^-12..10^12.
MAX_NUMBER = 1e12
Number = Annotated[float, Field(ge=-MAX_NUMBER, le=MAX_NUMBER)]
Scale = Annotated[float, Field(ge=1 / MAX_NUMBER, le=MAX_NUMBER)]


# ---------------------------------------------------------------------------------------
# Filters

Operand = float | str
_OPERATORS = ("in", "not_in", "prefix", "is", "eq", "lt", "le", "ge", "gt")
COMPARISONS = ("eq", "lt", "le", "ge", "gt")


class Condition(Frozen):
    """One test on a column (`column` + one operator), or `any` of several conditions."""

    column: str | None = None
    any_: tuple[Condition, ...] | None = Field(default=None, alias="any")
    in_: tuple[Operand, ...] | None = Field(default=None, alias="in")
    not_in: tuple[Operand, ...] | None = None
    prefix: tuple[str, ...] | None = None
    is_: StrictBool | None = Field(default=None, alias="is")
    eq: Operand | None = None
    lt: Operand | None = None
    le: Operand | None = None
    ge: Operand | None = None
    gt: Operand | None = None

    @model_validator(mode="after")
    def _one_operator(self) -> Condition:
        given = [name for name in _OPERATORS if self.operand(name) is not None]
        if self.any_ is not None:
            if self.column is not None or given:
                raise ValueError("`any` stands alone: put the column tests inside it")
            if not self.any_:
                raise ValueError("`any` needs at least one condition")
            return self
        if self.column is None:
            raise ValueError("a condition needs `column` and one operator, or `any`")
        if len(given) != 1:
            raise ValueError(
                f"a condition on `{self.column}` needs exactly one operator of "
                f"{', '.join(_OPERATORS)} (found {', '.join(given) or 'none'})"
            )
        return self

    def operand(self, name: str) -> Any:
        attribute = {"in": "in_", "is": "is_"}.get(name, name)
        return getattr(self, attribute)

    @property
    def operator(self) -> str:
        """The one operator of a column condition."""
        return next(name for name in _OPERATORS if self.operand(name) is not None)


Where = tuple[Condition, ...]


# ---------------------------------------------------------------------------------------
# Measures


class CountMeasure(Frozen):
    """The number of rows of a sheet that pass every condition of `where`."""

    sheet: CountSheet
    where: Where = ()


class FigurePart(Frozen):
    """A part of a figure counted at its own weight (one-session primary classes at 1.2
    of the primary classes at 1.5): `weight × (figure − part) + part's weight × part`."""

    figure: str
    weight: Scale | str = 1.0


class FigureMeasure(Frozen):
    """A `SoLieu` figure for the report year, times `weight` (a number or a norm's name).

    `default` stands in when the figure is absent; `earlier_years = false` refuses the
    fallback to an earlier year. `parts`: optional figures counted out of this one at
    their own weight, each chosen for the report year on its own (official-lists.md §5).
    """

    figure: str
    weight: Scale | str = 1.0
    default: Number | None = None
    earlier_years: bool = True
    parts: tuple[FigurePart, ...] = ()


class SumMeasure(Frozen):
    """The sum of several measures (doctors counted plus private doctors reported)."""

    sum: tuple[Measure, ...] = Field(min_length=1)


class SubsetMeasure(Frozen):
    """The denominator's rows that also pass `subset`: the numerator of a share."""

    subset: Where = Field(min_length=1)


# The key that says which kind of measure a table is → the union tag (kept out of locations).
MEASURE_TAGS = {
    "sheet": "count measure",
    "figure": "figure measure",
    "sum": "sum measure",
    "subset": "subset measure",
}


def _measure_tag(value: Any) -> str | None:
    if isinstance(value, Mapping):
        for key, tag in MEASURE_TAGS.items():
            if key in value:
                return tag
        return None
    for model, tag in (
        (CountMeasure, "count measure"),
        (FigureMeasure, "figure measure"),
        (SumMeasure, "sum measure"),
        (SubsetMeasure, "subset measure"),
    ):
        if isinstance(value, model):
            return tag
    return None


Measure = Annotated[
    Annotated[CountMeasure, Tag("count measure")]
    | Annotated[FigureMeasure, Tag("figure measure")]
    | Annotated[SumMeasure, Tag("sum measure")]
    | Annotated[SubsetMeasure, Tag("subset measure")],
    Discriminator(
        _measure_tag,
        custom_error_type="measure",
        custom_error_message=text("catalog.measure_kind", "en"),
    ),
]
SumMeasure.model_rebuild()


def iter_measures(measure: Measure) -> Iterator[Measure]:
    """The measure and every measure inside it."""
    yield measure
    if isinstance(measure, SumMeasure):
        for part in measure.sum:
            yield from iter_measures(part)


# ---------------------------------------------------------------------------------------
# The vocabulary of columns


@dataclass(frozen=True)
class ColumnInfo:
    """What a filter may do with a column: its type, its categories, what it needs."""

    type: ValueType
    enum: EnumSpec | None = None
    # Columns of the same sheet of which at least one must be present (empty: always there).
    needs: tuple[str, ...] = ()


# Columns the engine adds to the workforce frame, and what each is made from.
DERIVED: dict[str, ColumnInfo] = {
    "age": ColumnInfo(ValueType.INT, needs=("birth_date", "birth_year")),
    "postgraduate": ColumnInfo(ValueType.BOOL, needs=("qualification",)),
    # `Lãnh đạo quản lý`, or `Lãnh đạo chủ chốt` where that column is there too.
    "leader": ColumnInfo(ValueType.BOOL, needs=("is_manager",)),
    "profession_key": ColumnInfo(ValueType.TEXT, needs=("profession",)),
}
# Contract columns that are there even when the sheet lacks them (defaults, fallbacks).
_ALWAYS = {"status": ()}
_FALLBACK = {"attracted_year": ("attracted_year", "recruited_year")}


def _contract_columns(spec: SheetSpec) -> dict[str, ColumnInfo]:
    columns: dict[str, ColumnInfo] = {}
    for column in spec.columns:
        if column.key == "full_name":
            continue  # never read: a name is personal data
        needs = _ALWAYS.get(column.key, _FALLBACK.get(column.key, (column.key,)))
        columns[column.key] = ColumnInfo(column.type, column.enum, needs=needs)
    return columns


@cache
def vocabulary(sheet: str) -> dict[str, ColumnInfo]:
    """Every column a filter over `sheet` may name (`units` for `DonVi` filters)."""
    if sheet == WORKFORCE.key:
        columns = _contract_columns(WORKFORCE) | DERIVED
        for key, info in _contract_columns(UNITS).items():
            if key != "unit":
                columns[UNIT_PREFIX + key] = info
        return columns
    if sheet == SPECIALIST_TEAMS.key:
        return _contract_columns(SPECIALIST_TEAMS)
    if sheet == UNITS.key:
        return _contract_columns(UNITS)
    raise KeyError(sheet)


def metric_code(name: str) -> str | None:
    """A `SoLieu` metric by key or Vietnamese/English label → its key."""
    return METRIC.lookup.get(fold(name))


def enum_code(enum: EnumSpec, value: str) -> str | None:
    return enum.lookup.get(fold(value))


def resolve_operand(value: Operand, report_year: int) -> float:
    """A number, or `report_year` / `report_year - N` / `report_year + N`."""
    if isinstance(value, str):
        match = _SYMBOL.match(value.strip())
        if match is None:
            raise ValueError(value)
        offset = int(match[2] or 0)
        return float(report_year - offset if match[1] == "-" else report_year + offset)
    return float(value)
