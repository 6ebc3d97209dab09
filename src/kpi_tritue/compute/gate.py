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


def parse_fail_on(text: str) -> frozenset[Status]:
    """`not_met,above_range` → statuses; raises ValueError naming what is not one."""
    chosen: set[Status] = set()
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        try:
            status = Status(part)
        except ValueError:
            allowed = ", ".join(s.value for s in GATE_STATUSES)
            raise ValueError(f"{part!r} (allowed: {allowed})") from None
        if status not in GATE_STATUSES:
            allowed = ", ".join(s.value for s in GATE_STATUSES)
            raise ValueError(f"{part!r} (allowed: {allowed})")
        chosen.add(status)
    if not chosen:
        raise ValueError("empty")
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


__all__ = ["DEFAULT_FAIL_ON", "GATE_STATUSES", "gate_failures", "judge", "parse_fail_on"]
