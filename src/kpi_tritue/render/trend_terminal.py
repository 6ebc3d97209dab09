"""A trend for people and machines: the rich table with sparklines, JSON and CSV.

The table reads like `kpi compute`'s (Vietnamese numbers, fields as sections, notes as
footnotes); JSON is deterministic (sorted keys, numbers unrounded); CSV is long, one row
per indicator (or group) and year, so its header never depends on the years given.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.table import Table
from rich.text import Text

from kpi_tritue import __version__
from kpi_tritue.contract.schema import LEVEL, METRIC
from kpi_tritue.i18n import TEXT, Lang, text
from kpi_tritue.i18n.numbers import (
    UNIT_DECIMALS,
    format_number,
    printable,
    spreadsheet_text,
)
from kpi_tritue.model.results import Note, Target, Unit
from kpi_tritue.model.trend import (
    GroupTrend,
    IndicatorTrend,
    Progress,
    TrendClass,
    TrendResult,
    YearPoint,
)
from kpi_tritue.render.notes import note_message
from kpi_tritue.render.numbers import CSV_BOM, format_target
from kpi_tritue.render.report import FIELD_ORDER, field_label, group_label
from kpi_tritue.render.terminal import TOOL, dumps

_CLASS_STYLE = {
    TrendClass.ACHIEVED: "bold green",
    TrendClass.ABOVE_RANGE: "yellow",
    TrendClass.ON_TRACK: "green",
    TrendClass.NEEDS_ACCELERATION: "bold yellow",
    TrendClass.STAGNATING_OR_REGRESSING: "bold red",
    TrendClass.INSUFFICIENT_DATA: "dim",
}
SPARKS = "▁▂▃▄▅▆▇█"
SMALL_MARK = "†"


def class_label(trend_class: TrendClass | None, lang: Lang) -> str:
    return text(f"trend.class.{trend_class.value if trend_class else 'tracked'}", lang)


def note_text(note: Note, lang: Lang) -> str:
    """A point's note as a sentence: the trend's own codes here, the engine's in notes.py."""
    key = f"trend.note.{note.code}"
    if key not in TEXT:
        return note_message(note, lang)
    params: dict[str, object] = {k: "?" if v is None else v for k, v in note.params.items()}
    if isinstance(note.params.get("levels"), str):
        codes = str(note.params["levels"]).split(",")
        params["levels"] = ", ".join(LEVEL.label(code, lang) for code in codes if code)
    if isinstance(note.params.get("metrics"), str):
        metrics = str(note.params["metrics"]).split(",")
        years = str(note.params.get("years") or "").split(",")
        params["metrics"] = ", ".join(
            f"{METRIC.label(m, lang)} {y}".strip()
            for m, y in zip(metrics, years + [""] * len(metrics), strict=False)
        )
    return text(key, lang, **params)


def sparkline(values: Sequence[float | None]) -> str:
    """One block character per year, scaled between the series' own lowest and highest
    values; a blank where a year has no value."""
    known = [v for v in values if v is not None]
    if not known:
        return " " * len(values)
    low, high = min(known), max(known)
    spread = high - low
    marks = []
    for value in values:
        if value is None:
            marks.append(" ")
        elif spread <= 1e-12 * max(1.0, abs(high)):
            marks.append(SPARKS[3])
        else:
            marks.append(SPARKS[round((value - low) / spread * (len(SPARKS) - 1))])
    return "".join(marks)


def format_value(unit: Unit, value: float | None, lang: Lang) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if unit == "milestone":
        return "✓" if value >= 1 else "✗"
    return format_number(value, UNIT_DECIMALS[unit], lang)


def _signed(value: float | None, decimals: int, lang: Lang) -> str:
    if value is None:
        return "—"
    if abs(value) < 0.5 * 10**-decimals:
        return "0"
    sign = "+" if value > 0 else "−"
    return sign + format_number(abs(value), decimals, lang)


def _pace(progress: Progress, unit: Unit, lang: Lang) -> str:
    """The pace in the indicator's unit; below it, in people, rounded away from zero
    (12.1 more a year means 13 to plan for)."""
    shown = _signed(progress.required_pace, UNIT_DECIMALS[unit], lang)
    people = progress.required_pace_people
    if people is None or abs(people) <= 1e-9:
        return shown
    whole = math.ceil(abs(people) - 1e-9)
    count = ("+" if people > 0 else "−") + format_number(whole, 0, lang)
    return f"{shown}\n" + text("trend.person" if whole == 1 else "trend.people", lang, n=count)


# ---------------------------------------------------------------------------------------
# The terminal table


# Below this width only the latest year's value is shown beside the sparkline, and the
# ratio and pace columns are left to JSON and CSV: at 80 columns (a pipe, a CI log, a
# small terminal) the class would otherwise be cut off the right edge.
_NARROW_BELOW = 120


def trend_table(trend: TrendResult, lang: Lang) -> TrendView:
    """One row per indicator (and group): the yearly values, a sparkline, the projection
    to the target year, the ratio, the class and the pace still needed; laid out when
    printed, for the width there is."""
    return TrendView(trend, lang)


@dataclass(frozen=True)
class TrendView:
    trend: TrendResult
    lang: Lang

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield _trend_group(self.trend, self.lang, narrow=options.max_width < _NARROW_BELOW)


def _trend_group(trend: TrendResult, lang: Lang, *, narrow: bool) -> Group:
    horizon = trend.horizon
    table = Table(
        title=text("trend.title", lang, year=horizon or "—"),
        caption=_caption(trend, lang),
        caption_justify="left",
        pad_edge=False,
    )
    table.add_column(
        text("trend.col.indicator", lang), overflow="fold", ratio=1, min_width=14 if narrow else 18
    )
    shown = trend.year_numbers[-1:] if narrow else trend.year_numbers
    for year in shown:
        table.add_column(str(year), justify="right", no_wrap=True)
    table.add_column(text("trend.col.trend", lang), no_wrap=True)
    table.add_column(text("trend.col.target", lang), justify="right", no_wrap=True)
    table.add_column(text("trend.col.projection", lang), justify="right", no_wrap=True)
    if not narrow:
        table.add_column(text("trend.col.ratio", lang), justify="right", no_wrap=True)
    table.add_column(text("trend.col.class", lang), no_wrap=False)
    if not narrow:
        table.add_column(text("trend.col.pace", lang), justify="right")
    footnotes: list[str] = []
    for field_name in _fields(trend.indicators):
        table.add_row(Text(field_label(field_name, lang), style="bold"))
        for indicator in (i for i in trend.indicators if i.field == field_name):
            rows: list[tuple[str, Sequence[YearPoint], Progress, bool]] = [
                (printable(indicator.name(lang)), indicator.points, indicator.progress, True)
            ]
            for group in indicator.breakdown or ():
                name = f"  └ {printable(group_label(group.group, trend.by, lang))}"
                rows.append((name, group.points, group.progress, False))
            for name, points, progress, top in rows:
                marks = _footnote_marks(points, lang, footnotes)
                cells: list[str | Text] = [name]
                cells += [
                    _year_cell(indicator, p, marks.get(p.year), lang)
                    for p in points
                    if p.year in shown
                ]
                cells.append(sparkline([p.value for p in points]))
                cells.append(format_target(indicator.unit, indicator.target, lang, horizon))
                cells.append(format_value(indicator.unit, progress.projection, lang))
                if not narrow:
                    ratio = progress.ratio
                    cells.append(format_number(ratio, 2, lang) if ratio is not None else "—")
                cells.append(_class_cell(progress, indicator.target is None, lang))
                if not narrow:
                    cells.append(_pace(progress, indicator.unit, lang))
                table.add_row(*cells, style=None if top else "dim")
        table.add_section()
    lines = [Text(f"[{i}] {note}", style="dim") for i, note in enumerate(footnotes, start=1)]
    return Group(table, *lines)


def _footnote_marks(
    points: Sequence[YearPoint], lang: Lang, footnotes: list[str]
) -> dict[int, int]:
    """Year → footnote number of the note of each year without a value. A note repeated
    over several years but for the year it names becomes one footnote naming them all."""
    alike: dict[tuple[object, ...], list[YearPoint]] = {}
    for point in points:
        if point.value is None and point.note is not None:
            params = tuple(sorted((k, v) for k, v in point.note.params.items() if k != "year"))
            alike.setdefault((point.note.code, params), []).append(point)
    marks: dict[int, int] = {}
    for members in alike.values():
        note = members[0].note
        assert note is not None
        if "year" in note.params and len(members) > 1:
            years = ", ".join(str(m.note.params.get("year")) for m in members if m.note)
            note = Note(note.code, {**note.params, "year": years})
        sentence = note_text(note, lang)
        if sentence not in footnotes:
            footnotes.append(sentence)
        for member in members:
            marks[member.year] = footnotes.index(sentence) + 1
    return marks


def _year_cell(indicator: IndicatorTrend, point: YearPoint, mark: int | None, lang: Lang) -> str:
    shown = format_value(indicator.unit, point.value, lang)
    if point.small:
        shown += SMALL_MARK
    if mark is not None:
        shown += f" [{mark}]"
    return shown


def _class_cell(progress: Progress, tracked: bool, lang: Lang) -> Text:
    if tracked:
        return Text(class_label(None, lang), style="cyan")
    if progress.ended is not None:
        return Text(text("trend.class.ended", lang, year=progress.ended), style="grey50")
    assert progress.trend_class is not None
    cell = Text(class_label(progress.trend_class, lang), style=_CLASS_STYLE[progress.trend_class])
    if progress.above_range_years:
        years = progress.above_range_years
        cell.append(
            " (" + text("trend.above_since", lang, years=len(years), since=years[0]) + ")",
            style="dim",
        )
    return cell


def _fields(indicators: Iterable[IndicatorTrend]) -> list[str]:
    present = list(dict.fromkeys(i.field for i in indicators))
    return sorted(present, key=lambda f: FIELD_ORDER.index(f) if f in FIELD_ORDER else 99)


def _caption(trend: TrendResult, lang: Lang) -> str:
    counts = dict.fromkeys(TrendClass, 0)
    for indicator in trend.indicators:
        if indicator.progress.trend_class is not None:
            counts[indicator.progress.trend_class] += 1
    items = []
    for year in trend.years:
        files = ", ".join(printable(s.path) for s in year.sources) or text(
            "trend.figures_only", lang
        )
        items.append(
            text(
                "trend.year_item",
                lang,
                year=year.year,
                as_of=year.as_of.strftime("%d/%m/%Y"),
                files=files,
            )
        )
    lines = [
        text(
            "trend.summary",
            lang,
            achieved=counts[TrendClass.ACHIEVED],
            on_track=counts[TrendClass.ON_TRACK],
            needs=counts[TrendClass.NEEDS_ACCELERATION],
            stagnating=counts[TrendClass.STAGNATING_OR_REGRESSING],
            above=counts[TrendClass.ABOVE_RANGE],
            insufficient=counts[TrendClass.INSUFFICIENT_DATA],
        ),
        text("trend.years", lang, years="; ".join(items) or "—"),
        text(
            "trend.method",
            lang,
            on_track=format_number(trend.thresholds.on_track, 2, lang),
            needs=format_number(trend.thresholds.needs_acceleration, 2, lang),
        ),
    ]
    if trend.by is not None:
        lines.append(text("trend.by", lang, by=text(f"report.by.{trend.by}", lang)))
    if any(p.small for i in trend.indicators for p in _all_points(i)):
        lines.append(text("trend.small", lang, n=trend.small_denominator))
    return "\n".join(lines)


def _all_points(indicator: IndicatorTrend) -> Iterable[YearPoint]:
    yield from indicator.points
    for group in indicator.breakdown or ():
        yield from group.points


# ---------------------------------------------------------------------------------------
# JSON


def _number(value: float | None) -> float | int | None:
    """Numbers unrounded; whole counts as integers (1500, not 1500.0)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return int(value) if float(value).is_integer() and abs(value) < 2**53 else float(value)


def _value(value: float | None) -> float | None:
    return None if value is None else float(value)


def _target_dict(target: Target | None) -> dict[str, Any] | None:
    if target is None:
        return None
    return {k: _number(v) if isinstance(v, float) else v for k, v in target.to_dict().items()}


def _series_dict(
    indicator: IndicatorTrend, points: Sequence[YearPoint], progress: Progress, lang: Lang
) -> dict[str, Any]:
    years = {str(p.year): p for p in points}
    return {
        "years": {y: _value(p.value) for y, p in years.items()},
        "statuses": {y: p.status.value for y, p in years.items()},
        "numerators": {y: _number(p.numerator) for y, p in years.items()},
        "denominators": {y: _number(p.denominator) for y, p in years.items()},
        "notes": {y: note_text(p.note, lang) for y, p in years.items() if p.note is not None},
        "ci95": (
            {y: None if p.ci95 is None else list(p.ci95) for y, p in years.items()}
            if indicator.share_of_people
            else None
        ),
        "small_denominator_years": [p.year for p in points if p.small],
        "base_year": progress.base_year,
        "base": _value(progress.base),
        "latest_year": progress.latest_year,
        "latest": _value(progress.latest),
        "goal": _number(progress.goal),
        "target_year": progress.target_year,
        "slope": _value(progress.slope),
        "projection": _value(progress.projection),
        "ratio": _value(progress.ratio),
        "class": None if progress.trend_class is None else progress.trend_class.value,
        "required_pace": _value(progress.required_pace),
        "required_pace_people": _value(progress.required_pace_people),
        "above_range_years": list(progress.above_range_years),
    }


def indicator_dict(indicator: IndicatorTrend, lang: Lang) -> dict[str, Any]:
    document: dict[str, Any] = {
        "id": indicator.id,
        "name": indicator.name(lang),
        "clause": indicator.clause,
        "unit": indicator.unit,
        "target": _target_dict(indicator.target),
        **_series_dict(indicator, indicator.points, indicator.progress, lang),
    }
    if indicator.breakdown is not None:
        document["breakdown"] = [_group_dict(indicator, g, lang) for g in indicator.breakdown]
    return document


def _group_dict(indicator: IndicatorTrend, group: GroupTrend, lang: Lang) -> dict[str, Any]:
    return {"group": group.group, **_series_dict(indicator, group.points, group.progress, lang)}


def trend_document(trend: TrendResult, lang: Lang) -> dict[str, Any]:
    """The trend as JSON-ready data: the header fields of `kpi compute` (`as_of` and
    `report_year` of the latest year), the years with their sources, then indicators."""
    latest = trend.years[-1] if trend.years else None
    return {
        "tool": TOOL,
        "version": __version__,
        "catalog": trend.catalog_id,
        "as_of": None if latest is None else latest.as_of.isoformat(),
        "report_year": None if latest is None else latest.year,
        "by": trend.by,
        "thresholds": {
            "on_track": trend.thresholds.on_track,
            "needs_acceleration": trend.thresholds.needs_acceleration,
        },
        "report_years": [
            {
                "year": year.year,
                "as_of": year.as_of.isoformat(),
                "as_of_source": year.as_of_source.value,
                "workforce": year.has_workforce,
                "sources": [{"path": s.path, "sha256": s.sha256} for s in year.sources],
                "figure_sources": [
                    {"path": s.path, "sha256": s.sha256} for s in year.figure_sources
                ],
            }
            for year in trend.years
        ],
        "sources": [{"path": s.path, "sha256": s.sha256, "year": s.year} for s in trend.sources],
        "indicators": [indicator_dict(indicator, lang) for indicator in trend.indicators],
        "issues": [issue.to_dict(lang) for issue in trend.issues],
    }


def trend_json(trend: TrendResult, lang: Lang) -> str:
    """Deterministic JSON: sorted keys, the same bytes for the same files in any order."""
    return dumps(trend_document(trend, lang))


# ---------------------------------------------------------------------------------------
# CSV

CSV_COLUMNS = (
    "id",
    "group",
    "name",
    "unit",
    "target",
    "year",
    "value",
    "status",
    "numerator",
    "denominator",
    "ci95_low",
    "ci95_high",
    "small_denominator",
    "note",
    "base_year",
    "base",
    "latest_year",
    "latest",
    "projection",
    "ratio",
    "class",
    "required_pace",
    "required_pace_people",
    "above_range_years",
)


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, float):
        number = _number(value)
        return repr(number) if isinstance(number, float) else number
    if isinstance(value, str):
        # Text is never read as a formula by a spreadsheet; numbers stay numbers.
        return spreadsheet_text(value)
    return value


def _csv_rows(trend: TrendResult, lang: Lang) -> Iterable[list[object]]:
    for indicator in trend.indicators:
        series: list[tuple[str, Sequence[YearPoint], Progress]] = [
            ("", indicator.points, indicator.progress)
        ]
        series += [(g.group, g.points, g.progress) for g in indicator.breakdown or ()]
        for group, points, progress in series:
            assessment = [
                progress.base_year,
                progress.base,
                progress.latest_year,
                progress.latest,
                progress.projection,
                progress.ratio,
                None if progress.trend_class is None else progress.trend_class.value,
                progress.required_pace,
                progress.required_pace_people,
                " ".join(str(y) for y in progress.above_range_years),
            ]
            for point in points:
                yield [
                    _cell(v)
                    for v in (
                        indicator.id,
                        group,
                        indicator.name(lang),
                        indicator.unit,
                        format_target(indicator.unit, indicator.target, "en", None),
                        point.year,
                        point.value,
                        point.status.value,
                        point.numerator,
                        point.denominator,
                        None if point.ci95 is None else point.ci95[0],
                        None if point.ci95 is None else point.ci95[1],
                        "yes" if point.small else "",
                        None if point.note is None else note_text(point.note, lang),
                        *assessment,
                    )
                ]


def trend_csv(trend: TrendResult, lang: Lang) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(_csv_rows(trend, lang))
    return CSV_BOM + buffer.getvalue()


__all__ = [
    "CSV_COLUMNS",
    "class_label",
    "format_value",
    "indicator_dict",
    "note_text",
    "sparkline",
    "trend_csv",
    "trend_document",
    "trend_json",
    "trend_table",
]
