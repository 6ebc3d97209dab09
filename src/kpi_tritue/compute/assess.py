"""Status, gap and shortfall of a measured value against its target.

`assess` is the arithmetic of spec/indicators.md, `no_data` the result of an indicator
whose input is not there, with the `Note` that says what is missing (never 0 %), and
`Missing` the exception that carries that note out of the code that found the gap.
"""

from __future__ import annotations

import math

from kpi_tritue.model.results import Measurement, Note, Status, Target
from kpi_tritue.model.targets import TOLERANCE


class Missing(Exception):
    """Something an indicator needs is not in the input; the note says what."""

    def __init__(self, note: Note) -> None:
        super().__init__(note.code)
        self.note = note


def assess(
    target: Target | None,
    numerator: float,
    denominator: float | None,
    factor: float,
    note: Note | None = None,
) -> Measurement:
    """value = numerator × factor ÷ denominator (× factor alone without a denominator).

    Status, gap and shortfall exactly as spec/indicators.md says: the shortfall is
    `ceil(t × denominator ÷ factor − numerator − 1e-9)`, at least 0, with the denominator
    held as it is; a band counts against its lower bound.
    """
    if denominator is not None and denominator == 0:
        return no_data(Note("zero_denominator"), numerator, denominator)
    value = numerator * factor / denominator if denominator is not None else numerator * factor
    if target is None:
        return Measurement(value, Status.TRACKED, None, None, numerator, denominator, note)
    held = 1.0 if denominator is None else denominator

    def shortfall(bound: float) -> int:
        return max(0, math.ceil(bound * held / factor - numerator - TOLERANCE))

    def measurement(status: Status, gap: float, missing: int) -> Measurement:
        return Measurement(value, status, gap, missing, numerator, denominator, note)

    if target.op == ">=":
        assert target.value is not None
        if value >= target.value - TOLERANCE:
            return measurement(Status.MET, 0.0, 0)
        return measurement(Status.NOT_MET, target.value - value, shortfall(target.value))
    if target.op == "==":
        # `= 100 %` is met only when the numerator equals the denominator: compare counts,
        # not a rounded percentage.
        assert target.value is not None
        needed = target.value * held / factor
        if abs(numerator - needed) <= TOLERANCE:
            return measurement(Status.MET, 0.0, 0)
        if numerator < needed:
            return measurement(Status.NOT_MET, target.value - value, shortfall(target.value))
        return measurement(Status.ABOVE_RANGE, value - target.value, 0)
    assert target.min is not None
    assert target.max is not None
    if value < target.min - TOLERANCE:
        return measurement(Status.NOT_MET, target.min - value, shortfall(target.min))
    if value > target.max + TOLERANCE:
        return measurement(Status.ABOVE_RANGE, value - target.max, 0)
    return measurement(Status.MET, 0.0, 0)


def no_data(
    note: Note, numerator: float | None = None, denominator: float | None = None
) -> Measurement:
    return Measurement(None, Status.NO_DATA, None, None, numerator, denominator, note)


def milestone_measurement(target: Target | None, done: bool) -> Measurement:
    """A milestone: value 1 when done, else 0; no gap, shortfall, numerator or denominator."""
    status = Status.TRACKED if target is None else Status.MET if done else Status.NOT_MET
    return Measurement(1.0 if done else 0.0, status, None, None, None, None)


__all__ = ["TOLERANCE", "Missing", "assess", "milestone_measurement", "no_data"]
