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

from collections.abc import Mapping, Sequence
from datetime import date
from functools import cached_property
from typing import Literal

from pydantic import Field, field_validator, model_validator

from kpi_tritue.catalog.measures import (
    CountMeasure,
    FigureMeasure,
    Frozen,
    Measure,
    Number,
    Scale,
    Where,
    iter_measures,
)
from kpi_tritue.catalog.roles import RoleRule
from kpi_tritue.contract.normalize import fold
from kpi_tritue.contract.schema import WORKFORCE
from kpi_tritue.contract.text_inputs import UnsafeInput
from kpi_tritue.errors import InputError
from kpi_tritue.i18n import Lang, text, validation_message
from kpi_tritue.model.results import Target, Unit

DEFAULT_CATALOG = "ha_tinh_2030.toml"
IndicatorField = Literal["health", "education", "cadres", "talent", "science", "milestones"]
_ID = r"^[a-z][a-z0-9_]*$"


# A catalog with a thousand problems is not read problem by problem: the first ones are
# listed, then how many more there are.
MAX_ERRORS_SHOWN = 20

# A problem as said: a sentence as it is, an i18n key and its parameters
# (`i18n/catalog.py`), or a pydantic error (its `type`, `msg` and `ctx`), each said in the
# user's language (pydantic's own words in English).
Said = str | tuple[str, Mapping[str, object]] | Mapping[str, object]


def _say(said: Said, lang: Lang) -> str:
    if isinstance(said, str):
        return said
    if isinstance(said, tuple):
        key, params = said
        return text(key, lang, **params)
    return validation_message(said, lang)


class CatalogError(InputError):
    """A catalog file that cannot be used: one `(location, message)` per problem (the first
    `MAX_ERRORS_SHOWN`; `total` counts them all), or the `problem` that kept it unread."""

    def __init__(
        self,
        path: str,
        errors: Sequence[tuple[str, Said]],
        *,
        total: int | None = None,
        problem: UnsafeInput | None = None,
    ) -> None:
        self.path = path
        self.said = list(errors)[:MAX_ERRORS_SHOWN]
        self.total = len(errors) if total is None else total
        self.problem = problem
        if problem is not None and not self.said:
            self.said = [("", problem.message("en"))]
        # In English, as the tests and the log read them.
        self.errors = [(loc, _say(said, "en")) for loc, said in self.said]
        super().__init__("catalog.invalid", path=path)

    def message(self, lang: Lang) -> str:
        """The header and the problems, in the user's language where they are ours."""
        return text("catalog.invalid", lang, path=self.path) + "\n" + self._bullets(lang)

    def _bullets(self, lang: Lang) -> str:
        if self.problem is not None:
            return f"- {self.problem.message(lang)}"
        said = [(loc, _say(message, lang)) for loc, message in self.said]
        lines = [f"- {loc}: {msg}" if loc else f"- {msg}" for loc, msg in said]
        if self.total > len(self.errors):
            more = self.total - len(self.errors)
            lines.append(text("input.more_errors", lang, count=more, shown=len(self.errors)))
        return "\n".join(lines)


# ---------------------------------------------------------------------------------------
# Indicators


class TargetSpec(Frozen):
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


class Override(Frozen):
    """Measures used instead of the indicator's own when both of them are available."""

    numerator: Measure
    denominator: Measure


class UnitNorm(Frozen):
    """Units of `DonVi` passing `where`, having a `norm` and people: share meeting the norm.

    A unit meets its norm when the share (%) of its `people` who are `qualifying` is at
    least the unit's value in the `norm` column.
    """

    norm: str
    where: Where = ()
    people: Where = ()
    qualifying: Where = Field(min_length=1)


class About(Frozen):
    """What an indicator means, in words, in both languages (`docs/indicators.md` and
    `kpi indicators ID`): what it measures, its numerator and denominator, and the legal
    source of the norms it uses. Words only: the arithmetic is the measures'."""

    vi: str = Field(min_length=1)
    en: str = Field(min_length=1)
    numerator_vi: str | None = None
    numerator_en: str | None = None
    denominator_vi: str | None = None
    denominator_en: str | None = None
    basis_vi: str | None = None
    basis_en: str | None = None

    @model_validator(mode="after")
    def _both_languages(self) -> About:
        for part in ("numerator", "denominator", "basis"):
            if (getattr(self, f"{part}_vi") is None) != (getattr(self, f"{part}_en") is None):
                raise ValueError(f"`{part}_vi` and `{part}_en` go together")
        return self

    def measures(self, lang: Lang) -> str:
        return self.vi if lang == "vi" else self.en

    def numerator(self, lang: Lang) -> str | None:
        return self.numerator_vi if lang == "vi" else self.numerator_en

    def denominator(self, lang: Lang) -> str | None:
        return self.denominator_vi if lang == "vi" else self.denominator_en

    def basis(self, lang: Lang) -> str | None:
        return self.basis_vi if lang == "vi" else self.basis_en


class Indicator(Frozen):
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
    about: About | None = None
    # The last day the indicator applies (its population was abolished the day after:
    # districts on 1 July 2025), and why, in both languages. After it, an indicator with
    # no population is `not_applicable` (compute/applicability.py).
    applies_until: date | None = None
    applies_until_reason_vi: str | None = Field(default=None, min_length=1)
    applies_until_reason_en: str | None = Field(default=None, min_length=1)

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
        reasons = (self.applies_until_reason_vi, self.applies_until_reason_en)
        if self.applies_until is not None and None in reasons:
            raise ValueError(
                "`applies_until` needs its reason in both languages: "
                "`applies_until_reason_vi` and `applies_until_reason_en`"
            )
        if self.applies_until is None and reasons != (None, None):
            raise ValueError("`applies_until_reason_vi` and `_en` go with `applies_until`")
        return self

    def applies_until_reason(self, lang: Lang) -> str | None:
        return self.applies_until_reason_vi if lang == "vi" else self.applies_until_reason_en

    def name(self, lang: Lang) -> str:
        return self.name_vi if lang == "vi" else self.name_en

    def norms_used(self) -> tuple[str, ...]:
        """The catalog norms its measures are weighted by, in the order they appear."""
        names: list[str] = []
        for measure in (self.numerator, self.denominator):
            if measure is None:
                continue
            for part in iter_measures(measure):
                weight = part.weight if isinstance(part, FigureMeasure) else None
                if isinstance(weight, str) and weight not in names:
                    names.append(weight)
        return tuple(names)

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


class MilestoneSpec(Frozen):
    id: str = Field(pattern=_ID)
    name_vi: str = Field(min_length=1)
    name_en: str = Field(min_length=1)

    @cached_property
    def spellings(self) -> frozenset[str]:
        """How a `MocCongViec` row may name it: its id or its name, folded."""
        return frozenset(fold(name) for name in (self.id, self.name_vi, self.name_en))


class TrendSettings(Frozen):
    """Progress-ratio thresholds of `kpi trend` (UN SDG Progress Chart)."""

    on_track: float = Field(default=0.95, gt=0)
    needs_acceleration: float = Field(default=0.10, ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> TrendSettings:
        if self.needs_acceleration >= self.on_track:
            raise ValueError("`needs_acceleration` must be below `on_track`")
        return self


class Catalog(Frozen):
    id: str = Field(min_length=1)
    name_vi: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    trend: TrendSettings = TrendSettings()
    norms: dict[str, Scale] = Field(default_factory=dict)
    milestones: tuple[MilestoneSpec, ...] = ()
    # Leadership flags derived from `Chức vụ` where a list lacks their columns
    # (`catalog/roles.py`); none: no flag is derived, and an `info` says so.
    roles: tuple[RoleRule, ...] = ()
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
