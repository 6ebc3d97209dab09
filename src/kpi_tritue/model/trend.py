"""What `kpi trend` produces: every indicator over the report years, assessed against its
target (spec/progress.md). Frozen and renderer-ready: every number a renderer shows,
the 95 % interval and the small-denominator mark included, is computed before it gets here.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from kpi_tritue.i18n import Lang
from kpi_tritue.model.issues import Issue
from kpi_tritue.model.results import Note, Status, Target, Unit
from kpi_tritue.model.sources import AsOfSource, Source


class TrendClass(StrEnum):
    """Where an indicator is heading (spec/progress.md)."""

    ACHIEVED = "achieved"
    ABOVE_RANGE = "above_range"
    ON_TRACK = "on_track"
    NEEDS_ACCELERATION = "needs_acceleration"
    STAGNATING_OR_REGRESSING = "stagnating_or_regressing"
    INSUFFICIENT_DATA = "insufficient_data"


@dataclass(frozen=True)
class Thresholds:
    """The progress ratios that divide the classes: the catalog's `[trend]` settings."""

    on_track: float
    needs_acceleration: float


@dataclass(frozen=True)
class FileSource:
    """A file given, and the report year it states (None: a mapping-only file)."""

    path: str
    sha256: str
    year: int | None


@dataclass(frozen=True)
class YearPoint:
    """One indicator (or group) in one report year."""

    year: int
    value: float | None
    status: Status
    numerator: float | None = None
    denominator: float | None = None
    note: Note | None = None
    ci95: tuple[float, float] | None = None
    # The denominator counts fewer than `TrendResult.small_denominator` people.
    small: bool = False


@dataclass(frozen=True)
class Progress:
    """The method of spec/progress.md applied to one series."""

    trend_class: TrendClass | None
    base_year: int | None = None
    base: float | None = None
    latest_year: int | None = None
    latest: float | None = None
    # v*: the target value the ratio and the pace aim at (a band's nearer bound).
    goal: float | None = None
    target_year: int | None = None
    slope: float | None = None
    projection: float | None = None
    ratio: float | None = None
    required_pace: float | None = None
    required_pace_people: float | None = None
    above_range_years: tuple[int, ...] = ()
    # The first report year of the run-out at the end of the series in which the indicator
    # no longer applies (`not_applicable`): the series ends before it, and no class is
    # judged (trend_class None).
    ended: int | None = None


@dataclass(frozen=True)
class GroupTrend:
    group: str
    points: tuple[YearPoint, ...]
    progress: Progress


@dataclass(frozen=True)
class IndicatorTrend:
    id: str
    name_vi: str
    name_en: str
    clause: str
    field: str
    unit: Unit
    target: Target | None
    factor: float
    points: tuple[YearPoint, ...]
    progress: Progress
    # A share of people (Wilson interval, small-denominator mark); a numerator of people.
    share_of_people: bool = False
    counts_people: bool = False
    breakdown: tuple[GroupTrend, ...] | None = None

    def name(self, lang: Lang) -> str:
        return self.name_vi if lang == "vi" else self.name_en

    def point(self, year: int) -> YearPoint | None:
        for point in self.points:
            if point.year == year:
                return point
        return None


@dataclass(frozen=True)
class ReportYear:
    year: int
    as_of: date
    as_of_source: AsOfSource
    sources: tuple[Source, ...]
    figure_sources: tuple[Source, ...]
    has_workforce: bool


@dataclass(frozen=True)
class TrendResult:
    catalog_id: str
    thresholds: Thresholds
    years: tuple[ReportYear, ...]
    sources: tuple[FileSource, ...]
    indicators: tuple[IndicatorTrend, ...]
    # Below this many people a share is marked `small` (the caption says how many).
    small_denominator: int
    issues: tuple[Issue, ...] = ()
    by: str | None = None

    @property
    def year_numbers(self) -> tuple[int, ...]:
        return tuple(year.year for year in self.years)

    @property
    def horizon(self) -> int | None:
        """The target year most indicators share (the plan's horizon)."""
        years = Counter(i.target.year for i in self.indicators if i.target is not None)
        if not years:
            return None
        return min(years, key=lambda y: (-years[y], y))

    def indicator(self, id_: str) -> IndicatorTrend:
        for indicator in self.indicators:
            if indicator.id == id_:
                return indicator
        raise KeyError(id_)


__all__ = [
    "FileSource",
    "GroupTrend",
    "IndicatorTrend",
    "Progress",
    "ReportYear",
    "Thresholds",
    "TrendClass",
    "TrendResult",
    "YearPoint",
]
