"""The method of spec/progress.md on one series: base and latest value, a least-squares
line evaluated at the target year, the progress ratio and its class, the pace still
needed. Plain arithmetic on the yearly points; the thresholds are the catalog's `[trend]`
settings (UN Statistics Division, SDG Progress Chart).

Decisions where the method is silent:

- Classes are decided on the years with a value: the latest value meeting the target is
  `achieved` (even in a single year); above a band it is `above_range`, with the run of
  years it has been so; with fewer than two values it is `insufficient_data`; otherwise
  the ratio decides. When the base already met the target (or lay beyond it) and the
  latest does not, the ratio has no meaning: the class is `stagnating_or_regressing`.
- Projections are clamped to 0–100 for percentages, to 0–1 for milestones and to ≥ 0
  otherwise. Milestones follow the method on their 0/1 values; they have no pace.
  Tracked figures (no target) get their yearly values and slope, and no class.
- A series whose last years are `not_applicable` (its population abolished) ends before
  them: they are not points of the line, and no class is judged (`Progress.ended`).
- The required pace is 0 once achieved, and none once the target year is reached. For
  indicators whose numerator counts people, it is also given in people per year:
  pace × the latest year's denominator ÷ factor (the denominator held as it is now,
  as the shortfall does).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from kpi_tritue.catalog.model import TrendSettings
from kpi_tritue.model.results import Status, Target, Unit
from kpi_tritue.model.targets import TOLERANCE
from kpi_tritue.model.trend import Progress, TrendClass, YearPoint


def least_squares(points: Sequence[tuple[int, float]]) -> tuple[float, float]:
    """(slope, intercept at the mean year) of the least-squares line; needs two years."""
    if len({x for x, _ in points}) < 2:
        raise ValueError("a line needs at least two distinct years")
    mean_x = math.fsum(x for x, _ in points) / len(points)
    mean_y = math.fsum(y for _, y in points) / len(points)
    sxx = math.fsum((x - mean_x) ** 2 for x, _ in points)
    sxy = math.fsum((x - mean_x) * (y - mean_y) for x, y in points)
    return sxy / sxx, mean_y - (sxy / sxx) * mean_x


def _clamp(value: float, unit: Unit) -> float:
    high = {"percent": 100.0, "milestone": 1.0}.get(unit, math.inf)
    return min(max(value, 0.0), high)


def _side(difference: float) -> int:
    if abs(difference) <= TOLERANCE:
        return 0
    return 1 if difference > 0 else -1


def assess_progress(
    points: Sequence[YearPoint],
    target: Target | None,
    unit: Unit,
    settings: TrendSettings,
    *,
    people_factor: float | None = None,
) -> Progress:
    """Base, latest, projection, ratio, class and pace of one series (spec/progress.md).

    `people_factor`: the indicator's factor when its numerator counts people, so that the
    pace is also given in people per year.
    """
    valued = sorted(((p.year, p) for p in points if p.value is not None), key=lambda item: item[0])
    ended = _ended(points)
    if ended is not None:
        # The series ends where the indicator stopped applying: no class is judged.
        if not valued:
            return Progress(None, target_year=None if target is None else target.year, ended=ended)
        (base_year, base), (latest_year, latest) = valued[0], valued[-1]
        return Progress(
            None,
            base_year=base_year,
            base=base.value,
            latest_year=latest_year,
            latest=latest.value,
            target_year=None if target is None else target.year,
            ended=ended,
        )
    if not valued:
        return Progress(
            None if target is None else TrendClass.INSUFFICIENT_DATA,
            target_year=None if target is None else target.year,
        )
    (base_year, base), (latest_year, latest) = valued[0], valued[-1]
    assert base.value is not None
    assert latest.value is not None
    slope: float | None = None
    line: tuple[float, float] | None = None
    if len(valued) >= 2:
        line = least_squares([(year, float(p.value or 0.0)) for year, p in valued])
        slope = line[0]
    if target is None:
        return Progress(
            None,
            base_year=base_year,
            base=base.value,
            latest_year=latest_year,
            latest=latest.value,
            slope=slope,
        )

    goal = _goal(target, latest.value)
    projection = None if line is None else _clamp(line[1] + line[0] * target.year, unit)
    ratio: float | None = None
    if projection is not None:
        towards = _side(goal - base.value)
        if towards != 0 and towards == _side(goal - latest.value):
            # `+ 0.0`: a flat series reads 0, not -0.
            ratio = (projection - base.value) / (goal - base.value) + 0.0

    above: tuple[int, ...] = ()
    if latest.status is Status.MET:
        trend_class = TrendClass.ACHIEVED
    elif latest.status is Status.ABOVE_RANGE:
        trend_class = TrendClass.ABOVE_RANGE
        run: list[int] = []
        for year, point in reversed(valued):
            if point.status is not Status.ABOVE_RANGE:
                break
            run.append(year)
        above = tuple(sorted(run))
    elif len(valued) < 2:
        trend_class = TrendClass.INSUFFICIENT_DATA
    elif ratio is None:
        # The base met the target or lay beyond it, and the latest value does not.
        trend_class = TrendClass.STAGNATING_OR_REGRESSING
    elif ratio >= settings.on_track - TOLERANCE:
        trend_class = TrendClass.ON_TRACK
    elif ratio >= settings.needs_acceleration - TOLERANCE:
        trend_class = TrendClass.NEEDS_ACCELERATION
    else:
        trend_class = TrendClass.STAGNATING_OR_REGRESSING

    pace: float | None = None
    if trend_class is TrendClass.ACHIEVED:
        pace = 0.0
    elif unit != "milestone" and target.year > latest_year:
        pace = (goal - latest.value) / (target.year - latest_year) + 0.0
    people: float | None = None
    if pace is not None and people_factor is not None and latest.denominator is not None:
        people = pace * latest.denominator / people_factor
    return Progress(
        trend_class,
        base_year=base_year,
        base=base.value,
        latest_year=latest_year,
        latest=latest.value,
        slope=slope,
        goal=goal,
        target_year=target.year,
        projection=projection,
        ratio=ratio,
        required_pace=pace,
        required_pace_people=people,
        above_range_years=above,
    )


def _ended(points: Sequence[YearPoint]) -> int | None:
    """The first year of the `not_applicable` years that end the series, if they do."""
    ended = None
    for point in sorted(points, key=lambda p: p.year, reverse=True):
        if point.status is not Status.NOT_APPLICABLE:
            break
        ended = point.year
    return ended


def _goal(target: Target, latest: float) -> float:
    """v*: the target value; for a band, its upper bound when above it, else its lower."""
    if target.op == "between":
        assert target.min is not None
        assert target.max is not None
        return target.max if latest > target.max + TOLERANCE else target.min
    assert target.value is not None
    return target.value


__all__ = ["assess_progress", "least_squares"]
