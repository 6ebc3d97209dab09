"""The CI gate's decision: which statuses fail it, and which indicators do.

Each indicator is a test case: one whose status is in `fail_on` fails, `no_data` not in
`fail_on` is skipped, others pass. render/gate.py shows the verdict (JUnit XML, JSON, the
summary line); this module decides it, once.
"""

from __future__ import annotations

from collections.abc import Iterable

from kpi_tritue.model.gate import GateVerdict
from kpi_tritue.model.results import IndicatorResult, Status

DEFAULT_FAIL_ON = frozenset({Status.NOT_MET})
GATE_STATUSES = (Status.NOT_MET, Status.ABOVE_RANGE, Status.NO_DATA)


class UnknownGateStatus(ValueError):
    """A `--fail-on` word that is not a status the gate can fail on (`value`: the word as
    given, empty when the list names none). The sentence is the caller's, in i18n."""

    def __init__(self, value: str) -> None:
        super().__init__(value)
        self.value = value


def parse_fail_on(text: str) -> frozenset[Status]:
    """`not_met,above_range` → statuses; raises UnknownGateStatus for what is not one."""
    by_name = {status.value: status for status in GATE_STATUSES}
    chosen: set[Status] = set()
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
    results: Iterable[IndicatorResult], fail_on: frozenset[Status]
) -> list[IndicatorResult]:
    return [result for result in results if result.measurement.status in fail_on]


def judge(results: Iterable[IndicatorResult], fail_on: frozenset[Status]) -> GateVerdict:
    """The gate's verdict on `results`: what fails it, what it skips."""
    listed = tuple(results)
    failed = gate_failures(listed, fail_on)
    skipped = [
        result
        for result in listed
        if result.measurement.status is Status.NO_DATA and result not in failed
    ]
    return GateVerdict(fail_on=fail_on, failed=tuple(failed), skipped=tuple(skipped))


__all__ = [
    "DEFAULT_FAIL_ON",
    "GATE_STATUSES",
    "UnknownGateStatus",
    "gate_failures",
    "judge",
    "parse_fail_on",
]
