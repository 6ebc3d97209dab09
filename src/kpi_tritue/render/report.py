"""Indicator results for people and machines: the rich table, JSON, CSV and Markdown.

Numbers in the Vietnamese table read the Vietnamese way (`11,40`, `1.320.000`); JSON keeps
full precision and CSV uses plain `.` decimals so spreadsheets and scripts can read it.
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

from kpi_tritue.contract.schema import LEVEL, SECTOR
from kpi_tritue.i18n import TEXT, Lang, text
from kpi_tritue.i18n.numbers import UNIT_DECIMALS as _UNIT_DECIMALS
from kpi_tritue.i18n.numbers import format_number, percent_sign, printable, spreadsheet_text
from kpi_tritue.io.dataset import Dataset
from kpi_tritue.model.issues import Issue
from kpi_tritue.model.results import (
    NO_GROUP,
    Baseline,
    GroupResult,
    IndicatorResult,
    Measurement,
    Status,
    StatusTally,
    Target,
)
from kpi_tritue.render.notes import note_message
from kpi_tritue.render.numbers import CSV_BOM
from kpi_tritue.render.numbers import format_target as _format_target
from kpi_tritue.render.terminal import dataset_header, derived_json, dumps

FIELD_ORDER = ("health", "education", "cadres", "talent", "science", "milestones")

# After a share of people counted over few (`Measurement.small`).
SMALL_MARK = "*"

_STATUS_STYLE = {
    Status.MET: "bold green",
    Status.NOT_MET: "bold red",
    Status.ABOVE_RANGE: "yellow",
    Status.NO_DATA: "dim",
    Status.TRACKED: "cyan",
    Status.NOT_APPLICABLE: "grey50",
}


def field_label(field_name: str, lang: Lang) -> str:
    """A catalog field as people read it; a field of a `--targets` file that has no label
    shows as its key."""
    key = f"report.field.{field_name}"
    return text(key, lang) if key in TEXT else field_name


def _percent_sign(unit: str) -> str:
    return percent_sign(unit)


def format_value(result: IndicatorResult, value: float | None, lang: Lang) -> str:
    if result.unit == "milestone":
        if value is None:
            return "—"
        return text("target.done" if value >= 1 else "target.not_done", lang)
    shown = format_number(value, _UNIT_DECIMALS[result.unit], lang)
    return shown if value is None else shown + _percent_sign(result.unit)


def format_target(result: IndicatorResult, lang: Lang, horizon: int | None = None) -> str:
    """The result's target as people read it (see `render.numbers.format_target`)."""
    return _format_target(result.unit, result.target, lang, horizon)


@dataclass(frozen=True)
class ReportContext:
    """What a report states besides the indicators: the dataset and what was left out."""

    dataset: Dataset
    catalog_id: str
    catalog_target_year: int
    issues: Sequence[Issue]
    # How many indicators are in each status (`compute.summary.tally` of the results).
    tally: StatusTally
    skipped_rows: int = 0
    by: str | None = None
    baseline: Baseline | None = None


# ---------------------------------------------------------------------------------------
# The terminal table


# Below this width the clause and gap columns give their room to the indicator's name:
# at 80 columns (a pipe, a CI log, a small terminal) the name would otherwise get 1.
_NARROW_BELOW = 110


def results_table(
    results: Sequence[IndicatorResult], context: ReportContext, lang: Lang
) -> ResultsView:
    """One table, grouped by field; notes of no_data rows as numbered footnotes below it.

    Laid out when printed, for the width there is.
    """
    return ResultsView(results, context, lang)


@dataclass(frozen=True)
class ResultsView:
    """The results table, which drops two columns where the width is short."""

    results: Sequence[IndicatorResult]
    context: ReportContext
    lang: Lang

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        narrow = options.max_width < _NARROW_BELOW
        yield _results_group(self.results, self.context, self.lang, narrow=narrow)


def _results_group(
    results: Sequence[IndicatorResult], context: ReportContext, lang: Lang, *, narrow: bool
) -> Group:
    title = text("report.title", lang, year=context.catalog_target_year)
    table = Table(
        title=title,
        caption=_caption(results, context, lang),
        caption_justify="left",
        show_lines=False,
        pad_edge=False,
    )
    if not narrow:
        table.add_column(text("report.col.clause", lang), no_wrap=True, style="dim")
    table.add_column(text("report.col.indicator", lang), overflow="fold", ratio=1)
    table.add_column(text("report.col.value", lang), justify="right", no_wrap=True)
    table.add_column(text("report.col.target", lang), justify="right", no_wrap=True)
    if not narrow:
        table.add_column(text("report.col.gap", lang), justify="right", no_wrap=True)
    table.add_column(text("report.col.shortfall", lang), justify="right", no_wrap=True)
    table.add_column(text("report.col.status", lang), no_wrap=True)
    if context.baseline is not None:
        table.add_column(text("report.col.delta", lang), justify="right", no_wrap=True)
    footnotes: list[str] = []
    for field_name in _fields(results):
        members = [r for r in results if r.field == field_name]
        heading = Text(field_label(field_name, lang), style="bold")
        table.add_row(heading) if narrow else table.add_row("", heading)
        for result in members:
            rows = [(printable(result.name(lang)), result.measurement)] + [
                (f"  └ {printable(group_label(group.group, context.by, lang))}", group.measurement)
                for group in result.breakdown or ()
            ]
            for name, measurement in rows:
                _add_result_row(
                    table, result, measurement, name, lang, footnotes, context, narrow=narrow
                )
        table.add_section()
    lines = [Text(f"[{i}] {note}", style="dim") for i, note in enumerate(footnotes, start=1)]
    marked = any(
        measurement.small
        for result in results
        for measurement in (
            result.measurement,
            *(group.measurement for group in result.breakdown or ()),
        )
    )
    if marked:
        lines.append(Text(text("report.small", lang), style="dim"))
    return Group(table, *lines)


def group_label(group: str, by: str | None, lang: Lang) -> str:
    """A breakdown group as people read it: level and sector codes become their labels;
    by area, the rows of no area are said to be so."""
    if by == "area" and group == NO_GROUP:
        return text("report.group.outside_areas", lang)
    enums = {"level": LEVEL, "sector": SECTOR}
    return enums[by].label(group, lang) if by in enums else group


def _fields(results: Iterable[IndicatorResult]) -> list[str]:
    present = list(dict.fromkeys(r.field for r in results))
    return sorted(present, key=lambda f: FIELD_ORDER.index(f) if f in FIELD_ORDER else 99)


def _add_result_row(
    table: Table,
    result: IndicatorResult,
    measurement: Measurement,
    name: str,
    lang: Lang,
    footnotes: list[str],
    context: ReportContext,
    *,
    narrow: bool = False,
) -> None:
    status = Text(text(f"report.status.{measurement.status.value}", lang))
    status.stylize(_STATUS_STYLE[measurement.status])
    if measurement.note is not None:
        note = note_message(measurement.note, lang)
        if note not in footnotes:
            footnotes.append(note)
        status.append(f" [{footnotes.index(note) + 1}]", style="dim")
    is_top = not name.startswith("  └")
    extra: list[Text | str] = []
    if context.baseline is not None:
        extra.append(format_delta(result, result.delta, lang) if is_top else "")
    value = format_value(result, measurement.value, lang)
    if measurement.small:
        value += SMALL_MARK
    target = format_target(result, lang, context.catalog_target_year) if is_top else ""
    shortfall = (
        format_number(measurement.shortfall, 0, lang)
        if measurement.shortfall
        else ("0" if measurement.shortfall == 0 else "—")
    )
    if narrow:
        table.add_row(name, value, target, shortfall, status, *extra)
        return
    table.add_row(
        result.clause if is_top else "",
        name,
        value,
        target,
        _format_gap(result, measurement, lang),
        shortfall,
        status,
        *extra,
    )


def format_delta(result: IndicatorResult, delta: float | None, lang: Lang) -> Text:
    """`↑ 0,25` green when the value rose, `↓` red when it fell, `→ 0` when unchanged."""
    if delta is None:
        return Text("—", style="dim")
    decimals = _UNIT_DECIMALS[result.unit]
    if abs(delta) < 0.5 * 10**-decimals:
        return Text("→ 0", style="dim")
    arrow, style = ("↑", "green") if delta > 0 else ("↓", "red")
    return Text(f"{arrow} {format_number(abs(delta), decimals, lang)}", style=style)


def _format_gap(result: IndicatorResult, measurement: Measurement, lang: Lang) -> str:
    """The gap in the indicator's unit (percentage points for shares); 0 when met."""
    if measurement.gap is None:
        return "—"
    if measurement.gap == 0:
        return "0"
    return format_number(measurement.gap, _UNIT_DECIMALS[result.unit], lang)


def context_lines(context: ReportContext, lang: Lang) -> list[str]:
    """What every report states about its data besides the date: who reported, and the
    baseline it is compared with."""
    lines: list[str] = []
    completeness = context.dataset.completeness
    if completeness is not None and completeness.registered:
        rate = format_number(completeness.rate, 1, lang) + " %"
        lines.append(
            text(
                "report.completeness",
                lang,
                reporting=completeness.reporting,
                registered=completeness.registered,
                rate=rate,
            )
        )
    if context.baseline is not None:
        as_of = context.baseline.as_of.strftime("%d/%m/%Y") if context.baseline.as_of else "?"
        path = printable(context.baseline.path)
        lines.append(text("report.baseline", lang, path=path, as_of=as_of))
    return lines


def summary_line(tally: StatusTally, lang: Lang) -> str:
    """`4/21 chỉ tiêu đạt; 16 chưa đạt; 1 vượt khoảng; 0 thiếu số liệu.`: each status
    counted on its own (a band overshoot is not "not met"), and `; 1 không áp dụng` when
    an indicator no longer applies (not counted in the total)."""
    not_applicable = tally[Status.NOT_APPLICABLE]
    return text(
        "report.summary_not_applicable" if not_applicable else "report.summary",
        lang,
        met=tally[Status.MET],
        total=tally.scored,
        not_met=tally[Status.NOT_MET],
        above_range=tally[Status.ABOVE_RANGE],
        no_data=tally[Status.NO_DATA],
        not_applicable=not_applicable,
    )


def _caption(results: Sequence[IndicatorResult], context: ReportContext, lang: Lang) -> str:
    from kpi_tritue.render.terminal import as_of_line

    lines = [
        summary_line(context.tally, lang),
        as_of_line(context.dataset, lang),
        text(
            "report.sources",
            lang,
            files=", ".join(printable(s.path) for s in context.dataset.sources),
        ),
    ]
    lines += context_lines(context, lang)
    if context.skipped_rows:
        lines.append(text("report.skipped", lang, count=context.skipped_rows))
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------
# Machine formats


def _number(value: float | None) -> float | int | None:
    """JSON numbers unrounded; whole counts as integers (1500, not 1500.0)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return int(value) if float(value).is_integer() and abs(value) < 2**53 else value


def measurement_dict(measurement: Measurement, lang: Lang) -> dict[str, Any]:
    return {
        "value": None if measurement.value is None else float(measurement.value),
        "status": measurement.status.value,
        "gap": None if measurement.gap is None else float(measurement.gap),
        "shortfall": measurement.shortfall,
        "numerator": _number(measurement.numerator),
        "denominator": _number(measurement.denominator),
        "note": None if measurement.note is None else note_message(measurement.note, lang),
    }


def result_dict(result: IndicatorResult, lang: Lang) -> dict[str, Any]:
    document: dict[str, Any] = {
        "id": result.id,
        "name": result.name(lang),
        "clause": result.clause,
        "unit": result.unit,
        "target": None if result.target is None else _target_dict(result.target),
        **measurement_dict(result.measurement, lang),
    }
    if result.breakdown is not None:
        document["breakdown"] = [_group_dict(group, lang) for group in result.breakdown]
    return document


def _target_dict(target: Target) -> dict[str, Any]:
    return {key: _number(v) if isinstance(v, float) else v for key, v in target.to_dict().items()}


def _group_dict(group: GroupResult, lang: Lang) -> dict[str, Any]:
    return {"group": group.group, **measurement_dict(group.measurement, lang)}


def _interval(measurement: Measurement) -> list[float] | None:
    return None if measurement.ci95 is None else list(measurement.ci95)


def results_json(results: Sequence[IndicatorResult], context: ReportContext, lang: Lang) -> str:
    document = dataset_header(context.dataset)
    document["catalog"] = context.catalog_id
    document["indicators"] = [result_dict(result, lang) for result in results]
    for indicator, result in zip(document["indicators"], results, strict=True):
        indicator["ci95"] = _interval(result.measurement)
        for group_document, group in zip(
            indicator.get("breakdown", []), result.breakdown or (), strict=True
        ):
            group_document["ci95"] = _interval(group.measurement)
    if context.baseline is not None:
        baseline = context.baseline
        document["baseline"] = {
            "path": baseline.path,
            "as_of": baseline.as_of.isoformat() if baseline.as_of else None,
        }
        for indicator, result in zip(document["indicators"], results, strict=True):
            indicator["delta"] = result.delta
    document["issues"] = [issue.to_dict(lang) for issue in context.issues]
    completeness = context.dataset.completeness
    document["completeness"] = None if completeness is None else completeness.to_dict()
    document["derived"] = derived_json(context.dataset)
    if context.skipped_rows:
        document["skipped_rows"] = context.skipped_rows
    return dumps(document)


CSV_COLUMNS = (
    "id",
    "group",
    "name",
    "clause",
    "unit",
    "value",
    "target",
    "status",
    "gap",
    "shortfall",
    "numerator",
    "denominator",
    "note",
)


def _csv_rows(results: Sequence[IndicatorResult], lang: Lang) -> Iterable[list[Any]]:
    for result in results:
        rows = [("", result.measurement)] + [
            (group.group, group.measurement) for group in result.breakdown or ()
        ]
        for group, measurement in rows:
            data = measurement_dict(measurement, lang)
            # Text is never read as a formula by a spreadsheet; numbers stay numbers.
            yield [
                spreadsheet_text(result.id),
                spreadsheet_text(group),
                spreadsheet_text(result.name(lang)),
                spreadsheet_text(result.clause),
                result.unit,
                "" if data["value"] is None else repr(data["value"]),
                spreadsheet_text(format_target(result, "en")),
                data["status"],
                "" if data["gap"] is None else repr(data["gap"]),
                "" if data["shortfall"] is None else data["shortfall"],
                "" if data["numerator"] is None else data["numerator"],
                "" if data["denominator"] is None else data["denominator"],
                spreadsheet_text(data["note"] or ""),
            ]


def results_csv(results: Sequence[IndicatorResult], lang: Lang) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(_csv_rows(results, lang))
    return CSV_BOM + buffer.getvalue()


def results_markdown(results: Sequence[IndicatorResult], context: ReportContext, lang: Lang) -> str:
    headers = [
        text(f"report.{key}", lang)
        for key in (
            "col.clause",
            "col.indicator",
            "col.value",
            "col.target",
            "col.gap",
            "col.shortfall",
            "col.status",
        )
    ]
    lines = [
        f"# {text('report.title', lang, year=context.catalog_target_year)}",
        "",
        _caption(results, context, lang).replace("\n", "  \n"),
        "",
        "| " + " | ".join(headers) + " |",
        "|" + "---|" * 2 + "---:|" * 4 + "---|",
    ]
    for result in results:
        rows = [(spreadsheet_text(result.name(lang)), result.measurement)] + [
            (f"↳ {spreadsheet_text(group_label(group.group, context.by, lang))}", group.measurement)
            for group in result.breakdown or ()
        ]
        for name, measurement in rows:
            cells = [
                spreadsheet_text(result.clause),
                name,
                format_value(result, measurement.value, lang),
                format_target(result, lang),
                _format_gap(result, measurement, lang),
                "—"
                if measurement.shortfall is None
                else format_number(measurement.shortfall, 0, lang),
                text(f"report.status.{measurement.status.value}", lang)
                + (f" ({note_message(measurement.note, lang)})" if measurement.note else ""),
            ]
            lines.append("| " + " | ".join(printable(c).replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines) + "\n"
