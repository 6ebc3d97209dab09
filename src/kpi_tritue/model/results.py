"""What a computation produces: one frozen result per indicator, renderer-ready.

Every number a report shows is here, computed in `compute/`: the renderers only format
(the 95 % interval and the small-sample mark of a share of people, the change since a
baseline included).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
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
    # After the catalog's `applies_until`, an indicator whose population is gone (districts
    # since 1 July 2025): neither met nor not met, never failed by `kpi check`.
    NOT_APPLICABLE = "not_applicable"


# The breakdown group of rows with no value for its column (a unit without an area).
NO_GROUP = "—"


@dataclass(frozen=True)
class StatusTally:
    """How many indicators are in each status: the first line of every report.

    A band overshoot (`above_range`) is counted on its own, not as not met; tracked figures
    and indicators that no longer apply (`not_applicable`) are not scored.
    """

    counts: Mapping[Status, int]

    def __getitem__(self, status: Status) -> int:
        return self.counts.get(status, 0)

    @property
    def scored(self) -> int:
        """The indicators with a target: all but the tracked figures."""
        return sum(self.counts.values()) - self[Status.TRACKED] - self[Status.NOT_APPLICABLE]


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
    # For a share of people (`Indicator.is_share_of_people`): the 95 % Wilson interval of
    # the value, in percent, and whether fewer than `compute.stats.SMALL_DENOMINATOR`
    # people stand behind it (`compute.stats.share_of_people`). None and False otherwise.
    ci95: tuple[float, float] | None = None
    small: bool = False


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
    # value − the baseline's value, with `--baseline` (`compute.baseline.with_deltas`);
    # None without one, or when either value is missing.
    delta: float | None = None

    def name(self, lang: str) -> str:
        return self.name_vi if lang == "vi" else self.name_en


@dataclass(frozen=True)
class Baseline:
    """A previous result (`--baseline`): its file, its date, and each indicator's value."""

    path: str
    as_of: date | None
    values: Mapping[str, float | None]
