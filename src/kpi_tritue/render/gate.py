"""The CI gate's verdict shown: JUnit XML for CI servers, JSON, the summary line.

Which indicators fail is decided once, in compute/gate.py, and comes here as a
`GateVerdict`. Each indicator is a test case: a failed one shows its value, target and
shortfall, a skipped one (`no_data` not in `fail_on`) its note, the others pass.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from xml.etree import ElementTree

from kpi_tritue.i18n import Lang, text
from kpi_tritue.i18n.numbers import format_number, printable
from kpi_tritue.model.gate import GateVerdict
from kpi_tritue.model.results import IndicatorResult
from kpi_tritue.render.notes import note_message
from kpi_tritue.render.report import ReportContext, format_target, format_value, results_json
from kpi_tritue.render.terminal import dumps


def failure_text(result: IndicatorResult, lang: Lang, horizon: int | None = None) -> str:
    """`11,40 / ≥ 14 — cần thêm 343` : value, target and shortfall in one line."""
    measurement = result.measurement
    parts = [
        f"{format_value(result, measurement.value, lang)} / {format_target(result, lang, horizon)}"
    ]
    if measurement.shortfall:
        needed = format_number(measurement.shortfall, 0, lang)
        parts.append(f"{text('report.col.shortfall', lang).lower()} {needed}")
    if measurement.note is not None:
        parts.append(note_message(measurement.note, lang))
    return " — ".join(parts)


def junit_xml(
    results: Sequence[IndicatorResult],
    verdict: GateVerdict,
    context: ReportContext,
    lang: Lang,
) -> str:
    """JUnit XML, one test case per indicator; deterministic (no clock, no host name)."""
    failures, skipped, fail_on = verdict.failed, verdict.skipped, verdict.fail_on
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


def gate_summary(verdict: GateVerdict, lang: Lang) -> str:
    """One line for the terminal: passed, or how many failed and which."""
    statuses = ", ".join(sorted(status.value for status in verdict.fail_on))
    if verdict.passed:
        return text("gate.passed", lang, fail_on=statuses)
    ids = ", ".join(result.id for result in verdict.failed)
    return text("gate.failed", lang, count=len(verdict.failed), fail_on=statuses, ids=ids)


def gate_json(
    results: Sequence[IndicatorResult],
    verdict: GateVerdict,
    context: ReportContext,
    lang: Lang,
) -> str:
    """compute's JSON plus `gate`: what fails it, which failed, whether it passed."""
    document = json.loads(results_json(results, context, lang))
    document["gate"] = {
        "fail_on": sorted(status.value for status in verdict.fail_on),
        "failed": [result.id for result in verdict.failed],
        "passed": verdict.passed,
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
