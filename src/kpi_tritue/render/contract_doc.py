"""The input contract written out for people, in Vietnamese and English, from `schema.py`.

`docs/input-format.md` is this text; a test keeps the two equal, so the document can
never drift from what the reader accepts.
"""

from __future__ import annotations

from kpi_tritue.contract.qualification import AMBIGUOUS_AFTER, DOCTOR_WORDS, LEADING_WORDS
from kpi_tritue.contract.schema import (
    CONTRACT,
    LEVEL,
    QUALIFICATION,
    WORKFORCE,
    ColumnSpec,
    SheetSpec,
    ValueType,
)
from kpi_tritue.contract.values import FALSE_SPELLINGS, TRUE_SPELLINGS
from kpi_tritue.i18n import Lang, text

_HEADINGS = ("column", "key", "type", "required", "aliases")


def type_text(value_type: ValueType, lang: Lang) -> str:
    """What a column holds, in a word or two (`số nguyên`, `whole number`)."""
    return text(f"contract.type.{value_type.value}", lang)


def sheet_required(required: bool, lang: Lang) -> str:
    return text("contract.sheet.required" if required else "contract.sheet.optional", lang)


def intro(lang: Lang) -> str:
    """The general rules before the sheets, as Markdown."""
    return text("contract.intro", lang, true=_words(TRUE_SPELLINGS), false=_words(FALSE_SPELLINGS))


def _words(words: tuple[str, ...]) -> str:
    return ", ".join(f"`{w}`" for w in words)


def _column_notes(column: ColumnSpec, lang: Lang) -> str:
    notes = [f"`{a}`" for a in column.aliases]
    note = column.note_vi if lang == "vi" else column.note_en
    if note:
        notes.append(note)
    if column.enum is not None:
        values = []
        for value in column.enum.values:
            synonyms = ", ".join(f"`{s}`" for s in value.synonyms)
            label = f"**{value.vi}**" if lang == "vi" else f"**{value.vi}** ({value.en})"
            values.append(f"{label} ({synonyms})" if synonyms else label)
        notes.append("; ".join(values))
    if column.minimum is not None or column.maximum is not None:
        low = "" if column.minimum is None else f"≥ {column.minimum:g}"
        high = "" if column.maximum is None else f"≤ {column.maximum:g}"
        notes.append(" ".join(part for part in (low, high) if part))
    return "; ".join(notes)


def required_text(sheet: SheetSpec, column: ColumnSpec, lang: Lang) -> str:
    """`có` for a required column, `một trong hai` for one of a pair, else blank."""
    if column.required:
        return text("contract.yes", lang)
    if any(column.key in group for group in sheet.one_of):
        return text("contract.one_of", lang)
    return ""


def render_contract(lang: Lang) -> str:
    # A workbook in a layout of its own is read through a mapping (docs/columns.md).
    lines = [intro(lang), text("contract.columns_doc", lang)]
    headings = [text(f"contract.heading.{key}", lang) for key in _HEADINGS]
    for sheet in CONTRACT.sheets:
        required = sheet.key == "workforce"
        lines.append(f"## `{sheet.name}` ({sheet.en})\n")
        aliases = ", ".join(f"`{a}`" for a in (*sheet.aliases, sheet.key))
        lines.append(
            text(
                "contract.sheet_line",
                lang,
                aliases=aliases,
                required=sheet_required(required, lang),
            )
            + "\n"
        )
        lines.append("| " + " | ".join(headings) + " |")
        lines.append("|" + " --- |" * len(headings))
        for column in sheet.columns:
            lines.append(
                f"| {column.header} | `{column.key}` | {type_text(column.type, lang)} | "
                f"{required_text(sheet, column, lang)} | {_column_notes(column, lang)} |"
            )
        lines.append("")
    lines.extend(_official_values(lang))
    return "\n".join(lines)


def _official_values(lang: Lang) -> list[str]:
    """How a qualification with its specialty and a year in a birth-date cell are read."""
    lines = [text("contract.qualification.heading", lang) + "\n"]
    doctor = ", ".join(f"`{word}`" for word in DOCTOR_WORDS)
    ambiguous = ", ".join(f"`{word}`" for word in AMBIGUOUS_AFTER)
    lines.append(
        text("contract.qualification.intro", lang, doctor=doctor, ambiguous=ambiguous) + "\n"
    )
    level, words = (text(f"contract.qualification.col.{k}", lang) for k in ("level", "words"))
    lines += [f"| {level} | {words} |", "| --- | --- |"]
    for code, phrases in LEADING_WORDS:
        label = QUALIFICATION.label(code, "vi")
        label = label if lang == "vi" else f"{label} ({QUALIFICATION.label(code, 'en')})"
        lines.append(f"| {label} | {_words(phrases)} |")
    lines += ["", text("contract.birth_years", lang), ""]
    return lines + _official_lists(lang)


def _official_lists(lang: Lang) -> list[str]:
    """The rules for a list in the Ministry's layout, and the shipped `[[roles]]`."""
    from kpi_tritue.catalog.reading import load_catalog

    lines = [text("contract.official.heading", lang) + "\n", text("contract.official.rules", lang)]
    heads = [text(f"contract.official.col.{k}", lang) for k in ("flag", "levels", "phrases")]
    lines += ["", "| " + " | ".join(heads) + " |", "| --- | --- | --- |"]
    for rule in load_catalog().roles:
        flag = WORKFORCE.column(rule.flag).label(lang)
        levels = ", ".join(LEVEL.label(level, lang) for level in rule.levels)
        shown = levels or text("contract.official.any_level", lang)
        lines.append(f"| {flag} | {shown} | {_words(rule.phrases)} |")
    lines.append("")
    return lines


def render_document() -> str:
    """Vietnamese first, then English."""
    return render_contract("vi") + "\n---\n\n" + render_contract("en")
