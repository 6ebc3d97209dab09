"""Renderers: rich tables and JSON for what the core produced. Nothing here reads files."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from rich.table import Table
from rich.text import Text

from kpi_tritue import __version__
from kpi_tritue.i18n import Lang, text
from kpi_tritue.i18n.numbers import printable
from kpi_tritue.io.dataset import Dataset
from kpi_tritue.model.issues import Issue, Severity, count_by_severity
from kpi_tritue.model.sources import AsOfSource
from kpi_tritue.render.files import common_folder, files_json, within

TOOL = "kpi-tritue"
ISSUES_PER_CODE = 50
_SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "dim"}
_AS_OF_TEXT = {
    AsOfSource.OPTION: "asof.option",
    AsOfSource.SHEET: "asof.sheet",
    AsOfSource.YEAR: "asof.year",
    AsOfSource.TODAY: "asof.today",
}


def location(issue: Issue, with_file: bool = True, folder: str = "") -> str:
    """`file › Sheet!F12`: as much of the place as the issue knows (printable); the file
    named from within `folder`, given, when it is in it."""
    parts = [within(issue.file, folder)] if issue.file and with_file else []
    if issue.sheet:
        place = issue.sheet
        if issue.cell:
            place += f"!{issue.cell}"
        elif issue.row is not None:
            place += f"!{issue.row}:{issue.row}"
        parts.append(place)
    return printable(" › ".join(parts)) if parts else "—"


def issues_table(issues: Sequence[Issue], lang: Lang) -> Table:
    """Every issue a row; past `ISSUES_PER_CODE` of one code, a line says how many more.

    When every issue is in one file, the file is named once, in the title; when they are
    in several files of one folder, the folder is, as in the files table, and each file
    is named from within it (a folder's path repeated on every line took a third of 80
    columns).
    """
    files = {issue.file for issue in issues}
    single = len(files) == 1 and None not in files
    folder = "" if single else common_folder(sorted(file for file in files if file))
    if single:
        title = text("issues.title_file", lang, file=printable(str(next(iter(files)))))
    elif folder:
        title = text("issues.title_in", lang, folder=printable(folder))
    else:
        title = text("issues.title", lang)
    table = Table(title=title, show_lines=False, expand=False)
    table.add_column(text("col.severity", lang), no_wrap=True)
    table.add_column(text("col.where", lang), overflow="fold")
    table.add_column(text("col.message", lang), overflow="fold", ratio=1)
    shown: Counter[str] = Counter()
    totals = Counter(issue.code for issue in issues)
    for issue in issues:
        shown[issue.code] += 1
        if shown[issue.code] > ISSUES_PER_CODE:
            continue
        message = Text(printable(issue.message(lang)))
        message.append(f" [{issue.code}]", style="dim")
        table.add_row(
            Text(text(f"severity.{issue.severity.value}", lang), _SEVERITY_STYLE[issue.severity]),
            location(issue, with_file=not single, folder=folder),
            message,
        )
    for code, total in sorted(totals.items()):
        if total > ISSUES_PER_CODE:
            more = text("issues.more", lang, count=total - ISSUES_PER_CODE, code=code)
            table.add_row("", "", Text(more, "italic"))
    return table


def issues_summary(issues: Iterable[Issue], files: int, lang: Lang) -> str:
    counts = count_by_severity(issues)
    return text(
        "issues.summary",
        lang,
        errors=counts[Severity.ERROR],
        warnings=counts[Severity.WARNING],
        infos=counts[Severity.INFO],
        files=files,
    )


def as_of_line(dataset: Dataset, lang: Lang) -> str:
    return text(
        "asof.line",
        lang,
        as_of=dataset.as_of.strftime("%d/%m/%Y"),
        report_year=dataset.report_year,
        source=text(_AS_OF_TEXT[dataset.reference.source], lang),
    )


def dataset_header(dataset: Dataset) -> dict[str, Any]:
    """The fields every JSON output starts with."""
    return {
        "tool": TOOL,
        "version": __version__,
        "as_of": dataset.as_of.isoformat(),
        "report_year": dataset.report_year,
        "sources": [{"path": s.path, "sha256": s.sha256} for s in dataset.sources],
    }


def derived_json(dataset: Dataset) -> dict[str, dict[str, str]]:
    """Which NhanSu columns were derived rather than read, in which files, and from what
    (official-lists.md, 13): file → column key → source, sorted."""
    return {
        file: dict(sorted(columns.items()))
        for file, columns in sorted(dataset.derived.items())
        if columns
    }


def validation_json(dataset: Dataset, lang: Lang) -> str:
    document = dataset_header(dataset)
    document["files"] = files_json(dataset.files)
    document["derived"] = derived_json(dataset)
    document["issues"] = [issue.to_dict(lang) for issue in dataset.issues]
    return dumps(document)


# JSON escapes C0 control characters itself; DEL and C1 (U+009B is a terminal's CSI) are
# escaped here too, so that no control character reaches a terminal that prints JSON.
_UNESCAPED_CONTROL = re.compile("[\x7f-\x9f]")


def dumps(document: dict[str, Any]) -> str:
    """Deterministic JSON: sorted keys, UTF-8 text, the same bytes for the same input.

    Strict JSON: a NaN or an infinity is a bug upstream, refused rather than printed as the
    bare `NaN`/`Infinity` that no JSON reader accepts.
    """
    encoded = (
        json.dumps(document, ensure_ascii=False, sort_keys=True, indent=2, allow_nan=False) + "\n"
    )
    return _UNESCAPED_CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", encoded)
