"""What a result's note says, in Vietnamese and English: what is missing, what was used.

A `Note` carries a code and raw parameters (sheet and column keys, metric keys, years);
`note_message` turns them into a sentence with the names people see in their workbook.
"""

from __future__ import annotations

from collections.abc import Mapping

from kpi_tritue.contract.schema import CONTRACT, METRIC
from kpi_tritue.i18n import TEXT, Lang, text
from kpi_tritue.model.results import Note


def _sheet(key: str) -> str:
    for sheet in CONTRACT.sheets:
        if sheet.key == key:
            return sheet.name
    return key


def _columns(sheet_key: str, keys: str, lang: Lang) -> str:
    labels: list[str] = []
    for key in keys.split("|"):
        label = key
        for sheet in CONTRACT.sheets:
            if sheet.key == sheet_key:
                try:
                    column = sheet.column(key)
                except KeyError:
                    break
                label = column.header if lang == "vi" else f"{column.header} ({column.en})"
        labels.append(f"\u201c{label}\u201d")
    return text("note.join.or", lang).join(labels)


def _metrics(metrics: str, years: str | None, lang: Lang) -> str:
    names = [METRIC.label(code, lang) for code in metrics.split(",") if code]
    if years is None:
        return ", ".join(names)
    return ", ".join(
        f"{name} ({year})" for name, year in zip(names, years.split(","), strict=False)
    )


def _rendered(params: Mapping[str, object], lang: Lang) -> dict[str, object]:
    shown: dict[str, object] = {k: "?" if v is None else v for k, v in params.items()}
    if isinstance(params.get("sheet"), str):
        shown["sheet"] = _sheet(str(params["sheet"]))
    if isinstance(params.get("column"), str):
        shown["column"] = _columns(str(params.get("sheet", "")), str(params["column"]), lang)
    if isinstance(params.get("metric"), str):
        shown["metric"] = METRIC.label(str(params["metric"]), lang)
    if isinstance(params.get("metrics"), str):
        years = params.get("years")
        shown["metrics"] = _metrics(
            str(params["metrics"]), str(years) if years is not None else None, lang
        )
    return shown


def note_message(note: Note, lang: Lang) -> str:
    """The note as a sentence in `lang`; an unknown code shows as itself."""
    key = f"note.{note.code}"
    if key not in TEXT:
        return note.code
    return text(key, lang, **_rendered(note.params, lang))
