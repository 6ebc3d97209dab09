"""The CI gate's verdict: which indicators fail it and why, which it skips, whether it passed."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from kpi_tritue.model.results import IndicatorResult
from kpi_tritue.model.trend import TrendClass


class GateCondition(StrEnum):
    """What fails the gate (`--fail-on`): a status of this year's result, or a movement.

    `off_track`: the trend class (spec/progress.md) says the target will not be reached at
    the present pace; `regressed`: the value moved away from the target since `--baseline`.
    """

    NOT_MET = "not_met"
    ABOVE_RANGE = "above_range"
    NO_DATA = "no_data"
    OFF_TRACK = "off_track"
    REGRESSED = "regressed"


@dataclass(frozen=True)
class GateFailure:
    """One reason an indicator fails the gate: the condition, with what shows it."""

    condition: GateCondition
    # off_track: the class, its progress ratio r and the projection to the target year.
    trend_class: TrendClass | None = None
    ratio: float | None = None
    projection: float | None = None
    target_year: int | None = None
    # regressed: the baseline's value, and how much farther from the target it is now.
    previous: float | None = None
    farther: float | None = None


@dataclass(frozen=True)
class NotJudged:
    """A condition asked for that could not be judged for this indicator, and why (an i18n
    key under `gate.not_judged.`): never a failure, said in the JUnit case."""

    condition: GateCondition
    reason: str


@dataclass(frozen=True)
class GateCase:
    """One indicator as a test case of the gate."""

    result: IndicatorResult
    failures: tuple[GateFailure, ...] = ()
    not_judged: tuple[NotJudged, ...] = ()
    # `no_data` that no condition fails, or `not_applicable`: JUnit shows it as skipped.
    skipped: bool = False


@dataclass(frozen=True)
class GateVerdict:
    """Decided once (compute/gate.py) and carried to every renderer of `kpi check`."""

    fail_on: frozenset[GateCondition]
    cases: tuple[GateCase, ...]
    # What the movements were judged against, for the reader: the tolerance of `regressed`.
    tolerance: float = 0.0

    @property
    def failed(self) -> tuple[IndicatorResult, ...]:
        """The results that fail it, in the results' order."""
        return tuple(case.result for case in self.cases if case.failures)

    @property
    def skipped(self) -> tuple[IndicatorResult, ...]:
        return tuple(case.result for case in self.cases if case.skipped)

    @property
    def passed(self) -> bool:
        return not self.failed

    def case(self, indicator_id: str) -> GateCase:
        return next(case for case in self.cases if case.result.id == indicator_id)
