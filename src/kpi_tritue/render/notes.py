"""What a result's note says, in Vietnamese and English: what is missing, what was used.

A `Note` carries a code and raw parameters (sheet and column keys, metric keys, years);
`note_message` turns them into a sentence with the names people see in their workbook.
"""

from __future__ import annotations

from collections.abc import Mapping

from kpi_tritue.contract.schema import CONTRACT, METRIC
from kpi_tritue.i18n import Lang
from kpi_tritue.model.results import Note

NOTE_MESSAGES: dict[str, dict[Lang, str]] = {
    "missing_sheet": {
        "vi": "Không có trang {sheet} nên chưa tính được. Thêm trang {sheet} vào bảng tính.",
        "en": "There is no {sheet} sheet, so this cannot be computed. Add a {sheet} sheet.",
    },
    "missing_column": {
        "vi": "Trang {sheet} không có cột {column} (coi là chưa báo cáo, không phải 0 %). "
        "Thêm cột này để tính chỉ tiêu.",
        "en": "The {sheet} sheet has no {column} column (not reported, which is not 0 %). "
        "Add the column to compute this indicator.",
    },
    "missing_figure": {
        "vi": "Trang SoLieu không có chỉ tiêu {metric} của năm {year} hay năm nào trước đó.",
        "en": "The SoLieu sheet gives no {metric} for {year} or any earlier year.",
    },
    "missing_figure_year": {
        "vi": "Trang SoLieu không có chỉ tiêu {metric} của năm {year}.",
        "en": "The SoLieu sheet gives no {metric} for {year}.",
    },
    "missing_area_figure": {
        "vi": "Trang SoLieu không có chỉ tiêu {metric} của địa bàn {area} (năm {year} "
        "hay trước đó).",
        "en": "The SoLieu sheet gives no {metric} for the area {area} ({year} or earlier).",
    },
    "missing_milestone": {
        "vi": "Trang MocCongViec không có dòng cho mốc {milestone}.",
        "en": "The MocCongViec sheet has no row for the milestone {milestone}.",
    },
    "zero_denominator": {
        "vi": "Mẫu số bằng 0: không có đối tượng nào để tính tỷ lệ.",
        "en": "The denominator is 0: there is no one and nothing to take a share of.",
    },
    "no_units_with_norm": {
        "vi": "Không có đơn vị nào (thuộc các lĩnh vực của chỉ tiêu) vừa có định mức "
        "trong trang DonVi vừa có người đang công tác.",
        "en": "No unit (of the indicator's sectors) has both a norm in DonVi and active staff.",
    },
    "figure_earlier_year": {
        "vi": "Dùng số liệu của năm trước: {metrics}.",
        "en": "Figures of an earlier year used: {metrics}.",
    },
    "override_figures": {
        "vi": "Tính từ trang SoLieu năm {year}: {metrics}.",
        "en": "Computed from the SoLieu figures of {year}: {metrics}.",
    },
}

# Issues the engine adds to those of the reader (codes and wording as in `i18n.py`).

_OR = {"vi": " hoặc ", "en": " or "}


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
    return _OR[lang].join(labels)


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
    template = NOTE_MESSAGES.get(note.code, {}).get(lang)
    if template is None:
        return note.code
    shown = _rendered(note.params, lang)
    return template.format_map(_Defaulting(shown))


class _Defaulting(dict[str, object]):
    def __missing__(self, key: str) -> str:
        return "?"
