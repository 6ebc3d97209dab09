"""The CI gate's decision: which conditions fail it, and which indicators do, and why.

Each indicator is a test case. A status condition (`not_met`, `above_range`, `no_data`)
fails it when this year's status is that one; `off_track` when the indicator's trend class
over the report years (spec/progress.md) is `needs_acceleration` or
`stagnating_or_regressing`; `regressed` when the value is farther from the target than the
baseline's value was, by more than the tolerance. A condition that cannot be judged (one
report year only, no earlier value) fails nothing and says why. `no_data` that fails
nothing is skipped, and so is `not_applicable`, which no condition fails (an indicator
that no longer applies: official-lists.md, section 4). render/gate.py shows the verdict;
this module decides it, once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from kpi_tritue.model.gate import GateCase, GateCondition, GateFailure, GateVerdict, NotJudged
from kpi_tritue.model.results import Baseline, IndicatorResult, Status, Target
from kpi_tritue.model.targets import TOLERANCE
from kpi_tritue.model.trend import IndicatorTrend, TrendClass, TrendResult

DEFAULT_FAIL_ON = frozenset({GateCondition.NOT_MET})
GATE_CONDITIONS = tuple(GateCondition)
# The statuses a status condition stands for.
_STATUS = {
    GateCondition.NOT_MET: Status.NOT_MET,
    GateCondition.ABOVE_RANGE: Status.ABOVE_RANGE,
    GateCondition.NO_DATA: Status.NO_DATA,
}
OFF_TRACK_CLASSES = frozenset({TrendClass.NEEDS_ACCELERATION, TrendClass.STAGNATING_OR_REGRESSING})
# Statuses no condition stands for: an indicator that no longer applies is never a failure
# (`--fail-on not_applicable` is a usage error), and is skipped.
NEVER_FAILS = frozenset({Status.NOT_APPLICABLE.value})
_SKIPPED = frozenset({Status.NO_DATA, Status.NOT_APPLICABLE})


class UnknownGateStatus(ValueError):
    """A `--fail-on` word that is not a condition the gate can fail on (`value`: the word as
    given, empty when the list names none). The sentence is the caller's, in i18n."""

    def __init__(self, value: str) -> None:
        super().__init__(value)
        self.value = value


def parse_fail_on(text: str) -> frozenset[GateCondition]:
    """`not_met,off_track` → conditions; raises UnknownGateStatus for what is not one."""
    by_name = {condition.value: condition for condition in GATE_CONDITIONS}
    chosen: set[GateCondition] = set()
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        if part not in by_name:
            raise UnknownGateStatus(part)
        chosen.add(by_name[part])
    if not chosen:
        raise UnknownGateStatus("")
    return frozenset(chosen)


def gate_failures(
    results: Iterable[IndicatorResult], fail_on: frozenset[GateCondition]
) -> list[IndicatorResult]:
    """The results whose status alone fails the gate."""
    statuses = {_STATUS[c] for c in fail_on if c in _STATUS}
    return [result for result in results if result.measurement.status in statuses]


def judge(
    results: Iterable[IndicatorResult],
    fail_on: frozenset[GateCondition],
    *,
    trend: TrendResult | None = None,
    baseline: Baseline | None = None,
    tolerance: float = 0.0,
) -> GateVerdict:
    """The gate's verdict on `results` (this year's), with the trend of the report years
    for `off_track` and the baseline for `regressed`."""
    trends: Mapping[str, IndicatorTrend] = (
        {} if trend is None else {indicator.id: indicator for indicator in trend.indicators}
    )
    years = 0 if trend is None else len(trend.years)
    cases = []
    for result in results:
        failures: list[GateFailure] = []
        not_judged: list[NotJudged] = []
        for condition in sorted(fail_on, key=GATE_CONDITIONS.index):
            if result.measurement.status is Status.NOT_APPLICABLE:
                break  # nothing to fail: neither met nor not met, and no trend to judge
            if condition in _STATUS:
                if result.measurement.status is _STATUS[condition]:
                    failures.append(GateFailure(condition))
            elif condition is GateCondition.OFF_TRACK:
                _judge_trend(result, trends.get(result.id), years, failures, not_judged)
            else:
                _judge_movement(result, baseline, tolerance, failures, not_judged)
        skipped = not failures and result.measurement.status in _SKIPPED
        cases.append(GateCase(result, tuple(failures), tuple(not_judged), skipped))
    return GateVerdict(fail_on=fail_on, cases=tuple(cases), tolerance=tolerance)


def _judge_trend(
    result: IndicatorResult,
    trend: IndicatorTrend | None,
    years: int,
    failures: list[GateFailure],
    not_judged: list[NotJudged],
) -> None:
    condition = GateCondition.OFF_TRACK
    if result.target is None or result.measurement.status is Status.TRACKED:
        return  # nothing to be on track to
    if years < 2 or trend is None:
        not_judged.append(NotJudged(condition, "one_year"))
        return
    progress = trend.progress
    if progress.trend_class is TrendClass.INSUFFICIENT_DATA:
        not_judged.append(NotJudged(condition, "insufficient_data"))
    elif progress.trend_class in OFF_TRACK_CLASSES:
        failures.append(
            GateFailure(
                condition,
                trend_class=progress.trend_class,
                ratio=progress.ratio,
                projection=progress.projection,
                target_year=progress.target_year,
            )
        )


def _judge_movement(
    result: IndicatorResult,
    baseline: Baseline | None,
    tolerance: float,
    failures: list[GateFailure],
    not_judged: list[NotJudged],
) -> None:
    condition = GateCondition.REGRESSED
    if result.target is None or result.measurement.status is Status.TRACKED:
        return  # a tracked figure has no direction to move in
    previous = None if baseline is None else baseline.values.get(result.id)
    value = result.measurement.value
    if baseline is None:
        not_judged.append(NotJudged(condition, "no_baseline"))
        return
    if previous is None or value is None:
        not_judged.append(NotJudged(condition, "no_previous_value"))
        return
    farther = distance(value, result.target) - distance(previous, result.target)
    if farther > tolerance + TOLERANCE:
        failures.append(GateFailure(condition, previous=previous, farther=farther))


def distance(value: float, target: Target) -> float:
    """How far `value` is from meeting `target`, in the indicator's unit (0 when it meets
    it): below a `≥ t`; either side of a `= t`; outside a band."""
    if target.op == ">=":
        assert target.value is not None
        return max(0.0, target.value - value)
    if target.op == "==":
        assert target.value is not None
        return abs(value - target.value)
    assert target.min is not None
    assert target.max is not None
    return max(0.0, target.min - value, value - target.max)


__all__ = [
    "DEFAULT_FAIL_ON",
    "GATE_CONDITIONS",
    "NEVER_FAILS",
    "OFF_TRACK_CLASSES",
    "UnknownGateStatus",
    "distance",
    "gate_failures",
    "judge",
    "parse_fail_on",
]
