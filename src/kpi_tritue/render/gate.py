"""The CI gate: which indicators fail it, and the same as JUnit XML for CI servers.

Each indicator is a test case: one whose status is in `fail_on` fails (with its value,
target and shortfall), `no_data` not in `fail_on` is skipped with its note, others pass.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from xml.etree import ElementTree

from kpi_tritue.i18n import Lang, text
from kpi_tritue.i18n.numbers import printable
from kpi_tritue.model.results import IndicatorResult, Status
from kpi_tritue.render.notes import note_message
from kpi_tritue.render.report import (
    ReportContext,
    format_number,
    format_target,
    format_value,
    label,
    results_json,
)
from kpi_tritue.render.terminal import dumps

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


def failure_text(result: IndicatorResult, lang: Lang, horizon: int | None = None) -> str:
    """`11,40 / ≥ 14 — cần thêm 343` : value, target and shortfall in one line."""
    measurement = result.measurement
    parts = [
        f"{format_value(result, measurement.value, lang)} / {format_target(result, lang, horizon)}"
    ]
    if measurement.shortfall:
        needed = format_number(measurement.shortfall, 0, lang)
        parts.append(f"{label('col.shortfall', lang).lower()} {needed}")
    if measurement.note is not None:
        parts.append(note_message(measurement.note, lang))
    return " — ".join(parts)


def junit_xml(
    results: Sequence[IndicatorResult],
    fail_on: frozenset[Status],
    context: ReportContext,
    lang: Lang,
) -> str:
    """JUnit XML, one test case per indicator; deterministic (no clock, no host name)."""
    failures = gate_failures(results, fail_on)
    skipped = [r for r in results if r.measurement.status is Status.NO_DATA and r not in failures]
    suites = ElementTree.Element(
        "testsuites",
        name="kpi",
        tests=str(len(results)),
        failures=str(len(failures)),
        errors="0",
        skipped=str(len(skipped)),
    )
    suite = ElementTree.SubElement(
        suites,
        "testsuite",
        name=f"{context.catalog_id} @ {context.dataset.as_of.isoformat()}",
        tests=str(len(results)),
        failures=str(len(failures)),
        errors="0",
        skipped=str(len(skipped)),
        time="0",
    )
    properties = ElementTree.SubElement(suite, "properties")
    for name, value in (
        ("as_of", context.dataset.as_of.isoformat()),
        ("report_year", str(context.dataset.report_year)),
        ("catalog", context.catalog_id),
        ("fail_on", ",".join(sorted(status.value for status in fail_on))),
        *((f"source.{i}", s.path) for i, s in enumerate(context.dataset.sources)),
    ):
        ElementTree.SubElement(properties, "property", name=name, value=value)
    for result in results:
        case = ElementTree.SubElement(
            suite,
            "testcase",
            classname=f"kpi.{result.field}",
            name=f"{result.id}: {result.name(lang)}",
            time="0",
        )
        status = result.measurement.status
        text = failure_text(result, lang, context.catalog_target_year)
        if result in failures:
            failure = ElementTree.SubElement(
                case, "failure", type=status.value, message=f"{status.value}: {text}"
            )
            failure.text = _details(result, lang)
        elif result in skipped:
            ElementTree.SubElement(case, "skipped", message=f"{status.value}: {text}")
        else:
            ElementTree.SubElement(case, "system-out").text = f"{status.value}: {text}"
    ElementTree.indent(suites)
    # Control characters of a file name or a targets file are not even valid XML.
    body = printable(ElementTree.tostring(suites, encoding="unicode"), lines=True)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


def gate_summary(
    failures: Sequence[IndicatorResult], fail_on: frozenset[Status], lang: Lang
) -> str:
    statuses = ", ".join(sorted(status.value for status in fail_on))
    if not failures:
        return text("gate.passed", lang, fail_on=statuses)
    ids = ", ".join(result.id for result in failures)
    return text("gate.failed", lang, count=len(failures), fail_on=statuses, ids=ids)


def gate_json(
    results: Sequence[IndicatorResult],
    fail_on: frozenset[Status],
    context: ReportContext,
    lang: Lang,
) -> str:
    """compute's JSON plus `gate`: what fails it, which failed, whether it passed."""
    document = json.loads(results_json(results, context, lang))
    failures = gate_failures(results, fail_on)
    document["gate"] = {
        "fail_on": sorted(status.value for status in fail_on),
        "failed": [result.id for result in failures],
        "passed": not failures,
    }
    return dumps(document)


def _details(result: IndicatorResult, lang: Lang) -> str:
    measurement = result.measurement
    lines = [
        f"id: {result.id}",
        f"clause: {result.clause}",
        f"value: {measurement.value!r}",
        f"target: {format_target(result, lang)}",
        f"gap: {measurement.gap!r}",
        f"shortfall: {measurement.shortfall!r}",
        f"numerator: {measurement.numerator!r}",
        f"denominator: {measurement.denominator!r}",
    ]
    if measurement.note is not None:
        lines.append(f"note: {note_message(measurement.note, lang)}")
    return "\n".join(lines)
