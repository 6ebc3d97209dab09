"""The indicator catalog: a plan's targets as data, loaded from TOML and validated.

An indicator's numerator and denominator are *measures* written as structured filters
over the input sheets (never code): a count of rows, a `SoLieu` figure, or a weighted sum
of those. Three kinds of indicator exist:

- `ratio` (the default): value = numerator × factor ÷ denominator, or numerator × factor
  when there is no denominator (a tracked figure);
- `unit_norm`: the share of `DonVi` units whose people meet the unit's own norm;
- `milestone`: a row of `MocCongViec`, done or not.

Column names are checked against the input contract (`schema.py`) plus the derived
columns the engine adds, so a typo in a catalog is an error at load time, with its place.
See `docs/catalog.md` for the format with examples.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StrictBool,
    Tag,
    ValidationError,
    field_validator,
    model_validator,
)

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
from kpi_tritue.contract.text_inputs import (
    INDICATORS_LIMIT,
    VALUES_LIMIT,
    UnsafeInput,
    check_toml_structure,
    count_values,
    shorten,
)
from kpi_tritue.errors import InputError
from kpi_tritue.i18n import Lang, text
from kpi_tritue.model.results import Target, Unit

DEFAULT_CATALOG = "ha_tinh_2030.toml"
IndicatorField = Literal["health", "education", "cadres", "talent", "science", "milestones"]
# Sheets whose rows a count measure may count.
CountSheet = Literal["workforce", "specialist_teams"]
# A `DonVi` attribute of a person's unit is named `unit.<column>` in a workforce filter.
UNIT_PREFIX = "unit."
_SYMBOL = re.compile(r"^report_year\s*(?:([+-])\s*(\d+))?$")
_ID = r"^[a-z][a-z0-9_]*$"


# A catalog with a thousand problems is not read problem by problem: the first ones are
# listed, then how many more there are.
MAX_ERRORS_SHOWN = 20


class CatalogError(InputError):
    """A catalog file that cannot be used: one `(location, message)` per problem (the first
    `MAX_ERRORS_SHOWN`; `total` counts them all), or the `problem` that kept it unread."""

    def __init__(
        self,
        path: str,
        errors: Sequence[tuple[str, str]],
        *,
        total: int | None = None,
        problem: UnsafeInput | None = None,
    ) -> None:
        self.path = path
        self.errors = list(errors)[:MAX_ERRORS_SHOWN]
        self.total = len(errors) if total is None else total
        self.problem = problem
        if problem is not None and not self.errors:
            self.errors = [("", problem.message("en"))]
        super().__init__("catalog.invalid", path=path)

    def message(self, lang: Lang) -> str:
        """The header and the problems, in the user's language where they are ours."""
        return text("catalog.invalid", lang, path=self.path) + "\n" + self._bullets(lang)

    def _bullets(self, lang: Lang) -> str:
        if self.problem is not None:
            return f"- {self.problem.message(lang)}"
        lines = [f"- {loc}: {msg}" if loc else f"- {msg}" for loc, msg in self.errors]
        if self.total > len(self.errors):
            more = self.total - len(self.errors)
            lines.append(text("input.more_errors", lang, count=more, shown=len(self.errors)))
        return "\n".join(lines)


class _Frozen(BaseModel):
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
_COMPARISONS = ("eq", "lt", "le", "ge", "gt")


class Condition(_Frozen):
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


class CountMeasure(_Frozen):
    """The number of rows of a sheet that pass every condition of `where`."""

    sheet: CountSheet
    where: Where = ()


class FigureMeasure(_Frozen):
    """A `SoLieu` figure for the report year, times `weight` (a number or a norm's name).

    `default` stands in when the figure is absent; `earlier_years = false` refuses the
    fallback to an earlier year.
    """

    figure: str
    weight: Scale | str = 1.0
    default: Number | None = None
    earlier_years: bool = True


class SumMeasure(_Frozen):
    """The sum of several measures (doctors counted plus private doctors reported)."""

    sum: tuple[Measure, ...] = Field(min_length=1)


class SubsetMeasure(_Frozen):
    """The denominator's rows that also pass `subset`: the numerator of a share."""

    subset: Where = Field(min_length=1)


# The key that says which kind of measure a table is → the union tag (kept out of locations).
_MEASURE_TAGS = {
    "sheet": "count measure",
    "figure": "figure measure",
    "sum": "sum measure",
    "subset": "subset measure",
}


def _measure_tag(value: Any) -> str | None:
    if isinstance(value, Mapping):
        for key, tag in _MEASURE_TAGS.items():
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
        custom_error_message="a measure needs one of the keys sheet, figure, sum or subset",
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
# Indicators


class TargetSpec(_Frozen):
    op: Literal[">=", "==", "between"]
    year: int = Field(ge=2000, le=2100)
    value: Number | None = None
    min: Number | None = None
    max: Number | None = None

    @model_validator(mode="after")
    def _bounds(self) -> TargetSpec:
        if self.op == "between":
            if self.min is None or self.max is None or self.value is not None:
                raise ValueError("a `between` target needs `min` and `max`, and no `value`")
            if self.min > self.max:
                raise ValueError(f"`min` ({self.min:g}) is greater than `max` ({self.max:g})")
        elif self.value is None or self.min is not None or self.max is not None:
            raise ValueError(f"a `{self.op}` target needs `value`, and no `min` or `max`")
        return self

    def to_target(self) -> Target:
        return Target(op=self.op, year=self.year, value=self.value, min=self.min, max=self.max)


class Override(_Frozen):
    """Measures used instead of the indicator's own when both of them are available."""

    numerator: Measure
    denominator: Measure


class UnitNorm(_Frozen):
    """Units of `DonVi` passing `where`, having a `norm` and people: share meeting the norm.

    A unit meets its norm when the share (%) of its `people` who are `qualifying` is at
    least the unit's value in the `norm` column.
    """

    norm: str
    where: Where = ()
    people: Where = ()
    qualifying: Where = Field(min_length=1)


class Indicator(_Frozen):
    id: str = Field(pattern=_ID)
    name_vi: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    clause: str = Field(min_length=1)
    field: IndicatorField
    unit: Unit
    kind: Literal["ratio", "unit_norm", "milestone"] = "ratio"
    numerator: Measure | None = None
    denominator: Measure | None = None
    factor: Scale = 1.0
    override: Override | None = None
    unit_norm: UnitNorm | None = None
    milestone: str | None = None
    target: TargetSpec | None = None

    @model_validator(mode="after")
    def _kind_fields(self) -> Indicator:
        ratio = self.numerator, self.denominator, self.override
        if self.kind == "ratio":
            if self.numerator is None:
                raise ValueError("a `ratio` indicator needs a `numerator`")
            if self.unit_norm is not None or self.milestone is not None:
                raise ValueError("`unit_norm` and `milestone` belong to their own kinds")
            if self.unit == "milestone":
                raise ValueError("unit `milestone` is for indicators of kind `milestone`")
        elif self.kind == "unit_norm":
            if self.unit_norm is None:
                raise ValueError("a `unit_norm` indicator needs a `unit_norm` table")
            if any(part is not None for part in ratio) or self.milestone is not None:
                raise ValueError("a `unit_norm` indicator has no numerator, denominator, ...")
        else:
            if self.milestone is None:
                raise ValueError("a `milestone` indicator needs `milestone` (a milestone id)")
            if any(part is not None for part in ratio) or self.unit_norm is not None:
                raise ValueError("a `milestone` indicator has no numerator or denominator")
            if self.unit != "milestone":
                raise ValueError("a `milestone` indicator has unit `milestone`")
        return self

    @property
    def target_result(self) -> Target | None:
        return self.target.to_target() if self.target else None

    @property
    def is_share_of_people(self) -> bool:
        """A percentage of a number of people (rows of `NhanSu`): it has a Wilson interval,
        and a small denominator deserves a mark."""
        return (
            self.kind == "ratio"
            and self.unit == "percent"
            and self.factor == 100
            and isinstance(self.denominator, CountMeasure)
            and self.denominator.sheet == WORKFORCE.key
        )


class MilestoneSpec(_Frozen):
    id: str = Field(pattern=_ID)
    name_vi: str = Field(min_length=1)
    name_en: str = Field(min_length=1)

    @cached_property
    def spellings(self) -> frozenset[str]:
        """How a `MocCongViec` row may name it: its id or its name, folded."""
        return frozenset(fold(name) for name in (self.id, self.name_vi, self.name_en))


class TrendSettings(_Frozen):
    """Progress-ratio thresholds of `kpi trend` (UN SDG Progress Chart)."""

    on_track: float = Field(default=0.95, gt=0)
    needs_acceleration: float = Field(default=0.10, ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> TrendSettings:
        if self.needs_acceleration >= self.on_track:
            raise ValueError("`needs_acceleration` must be below `on_track`")
        return self


class Catalog(_Frozen):
    id: str = Field(min_length=1)
    name_vi: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    trend: TrendSettings = TrendSettings()
    norms: dict[str, Scale] = Field(default_factory=dict)
    milestones: tuple[MilestoneSpec, ...] = ()
    indicators: tuple[Indicator, ...]

    @field_validator("indicators")
    @classmethod
    def _some_indicators(cls, indicators: tuple[Indicator, ...]) -> tuple[Indicator, ...]:
        # A validator rather than `min_length`: that one also fires when an item is invalid.
        if not indicators:
            raise ValueError("a catalog needs at least one indicator")
        return indicators

    def indicator(self, id_: str) -> Indicator:
        for indicator in self.indicators:
            if indicator.id == id_:
                return indicator
        raise KeyError(id_)

    def milestone(self, id_: str) -> MilestoneSpec:
        for milestone in self.milestones:
            if milestone.id == id_:
                return milestone
        raise KeyError(id_)

    def weight(self, measure: FigureMeasure) -> float:
        """A figure's weight: its number, or the value of the norm it names."""
        if isinstance(measure.weight, str):
            return self.norms[measure.weight]
        return measure.weight


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


# ---------------------------------------------------------------------------------------
# Checks beyond the structure: names against the contract, references between tables

Loc = tuple[str | int, ...]


class _Checker:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.errors: list[tuple[Loc, str]] = []

    def error(self, loc: Loc, message: str) -> None:
        self.errors.append((loc, message))

    def run(self) -> list[tuple[Loc, str]]:
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
                    f"duplicate id `{shorten(id_)}` (also number {seen[id_] + 1} of [[{table}]])",
                )
            seen.setdefault(id_, number)

    def _indicator(self, loc: Loc, indicator: Indicator) -> None:
        if indicator.kind == "milestone":
            known = [m.id for m in self.catalog.milestones]
            if indicator.milestone not in known:
                self.error(
                    (*loc, "milestone"),
                    f"unknown milestone `{shorten(indicator.milestone)}`; "
                    f"the catalog's milestones are: {', '.join(known) or 'none'}",
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
            if metric_code(measure.figure) is None:
                self.error(
                    (*loc, "figure"),
                    f"unknown SoLieu figure `{shorten(measure.figure)}`; "
                    f"known: {', '.join(METRIC.codes)}",
                )
            if isinstance(measure.weight, str) and measure.weight not in self.catalog.norms:
                self.error(
                    (*loc, "weight"),
                    f"`{shorten(measure.weight)}` is neither a number nor a norm of [norms] "
                    f"({', '.join(self.catalog.norms) or 'none defined'})",
                )
        elif isinstance(measure, SumMeasure):
            for number, part in enumerate(measure.sum):
                self._measure((*loc, "sum", number), part, top=False, denominator=None)
        else:
            if not top or not isinstance(denominator, CountMeasure):
                self.error(
                    (*loc, "subset"),
                    "`subset` is a numerator whose denominator is a count "
                    "(`sheet` = ...) of the same indicator",
                )
            else:
                self._where((*loc, "subset"), measure.subset, denominator.sheet)

    def _unit_norm(self, loc: Loc, spec: UnitNorm) -> None:
        units = vocabulary(UNITS.key)
        info = units.get(spec.norm)
        if info is None or info.type is not ValueType.NUMBER:
            numeric = [k for k, v in units.items() if v.type is ValueType.NUMBER]
            self.error(
                (*loc, "norm"),
                f"`{shorten(spec.norm)}` is not a number column of DonVi ({', '.join(numeric)})",
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
                f"unknown column `{shorten(condition.column)}` of sheet {sheet}; "
                f"known: {', '.join(sorted(columns))}",
            )
            return
        operator = condition.operator
        allowed = _allowed_operators(info.type)
        if operator not in allowed:
            self.error(
                (*loc, operator),
                f"`{operator}` does not apply to `{condition.column}` "
                f"({info.type.value}); use {', '.join(allowed) or 'no operator'}",
            )
            return
        operand = condition.operand(operator)
        values = operand if isinstance(operand, tuple) else (operand,)
        for value in values:
            problem = _value_problem(info, operator, value)
            if problem:
                self.error((*loc, operator), f"{problem} for column `{condition.column}`")


def _allowed_operators(type_: ValueType) -> tuple[str, ...]:
    match type_:
        case ValueType.BOOL:
            return ("is",)
        case ValueType.ENUM:
            return ("in", "not_in")
        case ValueType.TEXT:
            return ("in", "not_in", "prefix")
        case ValueType.INT | ValueType.YEAR | ValueType.NUMBER:
            return ("in", "not_in", *_COMPARISONS)
        case ValueType.DATE:
            return ()


def _value_problem(info: ColumnInfo, operator: str, value: object) -> str | None:
    if operator == "is":
        return None
    if info.type is ValueType.ENUM:
        assert info.enum is not None
        if not isinstance(value, str) or enum_code(info.enum, value) is None:
            return f"unknown value `{shorten(value)}` (one of {', '.join(info.enum.codes)})"
        return None
    if info.type is ValueType.TEXT:
        return None if isinstance(value, str) else f"`{shorten(value)}` is not text"
    if isinstance(value, str):
        try:
            resolve_operand(value, 2000)
        except ValueError:
            return f"`{shorten(value)}` is neither a number nor report_year ± N"
    return None


# ---------------------------------------------------------------------------------------
# Loading


def _format_loc(loc: Loc, data: Any) -> str:
    """`indicators[doctors_per_10k].numerator.where[0].column` from a raw location."""
    shown = ""
    node = data
    for part in loc:
        if isinstance(part, int):
            label = str(part)
            if isinstance(node, list) and part < len(node):
                item = node[part]
                if isinstance(item, Mapping) and isinstance(item.get("id"), str):
                    label = shorten(item["id"], 40)
                node = item
            else:
                node = None
            shown += f"[{label}]"
            continue
        if part in _MEASURE_TAGS.values():
            continue  # a union tag, not a key of the file
        node = node.get(part) if isinstance(node, Mapping) else None
        key = shorten(part, 40)
        shown += f".{key}" if shown else key
    return shown


def _pydantic_errors(error: ValidationError, data: Any) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for detail in error.errors(include_url=False):
        if len(found) == MAX_ERRORS_SHOWN:
            break
        loc = tuple(p for p in detail["loc"] if isinstance(p, str | int))
        message = detail["msg"].removeprefix("Value error, ")
        found.append((_format_loc(loc, data), message))
    return found


def parse_catalog(data: Mapping[str, Any], path: str = "<catalog>") -> Catalog:
    """Validate a catalog already read from TOML; `CatalogError` lists every problem."""
    indicators = data.get("indicators")
    if isinstance(indicators, list) and len(indicators) > INDICATORS_LIMIT.value:
        raise CatalogError(path, [], problem=INDICATORS_LIMIT.problem(len(indicators)))
    values = count_values(data, VALUES_LIMIT.value)
    if values > VALUES_LIMIT.value:
        raise CatalogError(path, [], problem=VALUES_LIMIT.problem(values))
    try:
        catalog = Catalog.model_validate(data)
    except ValidationError as error:
        raise CatalogError(path, _pydantic_errors(error, data), total=error.error_count()) from None
    problems = _Checker(catalog).run()
    if problems:
        shown = problems[:MAX_ERRORS_SHOWN]
        raise CatalogError(
            path, [(_format_loc(loc, data), msg) for loc, msg in shown], total=len(problems)
        )
    return catalog


def load_catalog() -> Catalog:
    """The default catalog (Hà Tĩnh's plan), shipped in the package; a `--targets` file is
    read by `io.option_files.load_targets`, which gives its text to `read_catalog`."""
    resource = resources.files("kpi_tritue").joinpath("catalog").joinpath(DEFAULT_CATALOG)
    return parse_catalog(tomllib.loads(resource.read_text("utf-8")), DEFAULT_CATALOG)


def read_catalog(source: str, shown: str) -> Catalog:
    """The catalog in the TOML text `source` (`shown` names its file in messages).

    Its dotted keys, nesting and numbers are bounded before the TOML parser sees it (see
    `contract.text_inputs`).
    """
    try:
        check_toml_structure(source)
    except UnsafeInput as problem:
        raise CatalogError(shown, [], problem=problem) from None
    try:
        data = tomllib.loads(source)
    except (ValueError, RecursionError) as error:
        # TOMLDecodeError is a ValueError; the others are kept out by the structure check.
        raise CatalogError(shown, [("", f"not valid TOML: {error}")]) from None
    return parse_catalog(data, shown)
