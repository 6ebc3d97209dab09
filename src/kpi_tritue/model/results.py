"""What a computation produces: one frozen result per indicator, renderer-ready."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from kpi_tritue.model.issues import ParamValue
from kpi_tritue.model.targets import Target as Target
from kpi_tritue.model.targets import TargetOp as TargetOp
from kpi_tritue.model.targets import Unit as Unit


class Status(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    ABOVE_RANGE = "above_range"
    NO_DATA = "no_data"
    TRACKED = "tracked"


@dataclass(frozen=True)
class Note:
    """Why a value is what it is (what is missing for no_data); rendered in the user's language."""

    code: str
    params: Mapping[str, ParamValue] = field(default_factory=dict)


@dataclass(frozen=True)
class Measurement:
    """The arithmetic of one indicator over one population (the province or one group)."""

    value: float | None
    status: Status
    gap: float | None
    shortfall: int | None
    numerator: float | None
    denominator: float | None
    note: Note | None = None


@dataclass(frozen=True)
class GroupResult:
    group: str
    measurement: Measurement


@dataclass(frozen=True)
class IndicatorResult:
    id: str
    name_vi: str
    name_en: str
    clause: str
    field: str
    unit: Unit
    target: Target | None
    measurement: Measurement
    breakdown: tuple[GroupResult, ...] | None = None

    def name(self, lang: str) -> str:
        return self.name_vi if lang == "vi" else self.name_en
