"""`kpi explain`'s compute side: the rows counted as one frame, the catalog's filters as
sentences.

`engine.explain` fills an `Explanation` (model/explanation.py) from the engine's own masks
and figure choice, so its rows always add up to the result's numerator and denominator;
`render/explain.py` shows it. The words are `i18n/explain.py`'s. No personal name is ever
in a frame.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import pandas as pd

from kpi_tritue.catalog.measures import (
    DERIVED,
    UNIT_PREFIX,
    Condition,
    FigureMeasure,
    Where,
    enum_code,
    metric_code,
    resolve_operand,
    vocabulary,
)
from kpi_tritue.catalog.model import UnitNorm
from kpi_tritue.catalog.roles import ROLE_FLAGS
from kpi_tritue.contract.privacy import quote
from kpi_tritue.contract.schema import (
    FIGURES,
    METRIC,
    MILESTONE_STATE,
    MILESTONES,
    SPECIALIST_TEAMS,
    UNITS,
    WORKFORCE,
    SheetSpec,
    ValueType,
)
from kpi_tritue.i18n import Lang, text
from kpi_tritue.i18n.numbers import format_exact
from kpi_tritue.io.roles import ROLES
from kpi_tritue.model.explanation import ROLE_COLUMNS, ROW_COLUMNS, Bilingual, Conditions

_SHEETS: dict[str, SheetSpec] = {
    spec.key: spec for spec in (WORKFORCE, UNITS, SPECIALIST_TEAMS, FIGURES, MILESTONES)
}


def counted_rows(frames: Iterable[pd.DataFrame]) -> pd.DataFrame:
    """Rows of several sheets as one tidy frame of `ROW_COLUMNS`, sorted by file, sheet, row;
    with `ROLE_COLUMNS` too when a row was counted through a derived flag."""
    parts = [frame for frame in frames if not frame.empty]
    if not parts:
        return _typed_rows(pd.DataFrame({column: [] for column in ROW_COLUMNS}))
    rows = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    roles = "role" in rows and bool(rows["role"].notna().any())
    columns = [*ROW_COLUMNS, *(ROLE_COLUMNS if roles else ())]
    rows = _typed_rows(rows[columns])
    return rows.sort_values(["file", "sheet", "row"], kind="stable", ignore_index=True)


# ---------------------------------------------------------------------------------------
# Rows counted through a leadership flag derived from the position (io/roles.py)

# The derived columns of the catalog that stand for flags.
_FLAG_COLUMNS: dict[str, frozenset[str]] = {"leader": frozenset({"is_manager", "is_key_leader"})}


def role_flags(wheres: Iterable[Where]) -> frozenset[str]:
    """The leadership flags that the conditions of the counts of `NhanSu` test."""
    found: set[str] = set()

    def visit(condition: Condition) -> None:
        for part in condition.any_ or ():
            visit(part)
        if condition.column in ROLE_FLAGS:
            found.add(condition.column)
        found.update(_FLAG_COLUMNS.get(condition.column or "", ()))

    for where in wheres:
        for condition in where:
            visit(condition)
    return frozenset(found)


def role_columns(picked: pd.DataFrame, flags: frozenset[str]) -> dict[str, np.ndarray[Any, Any]]:
    """`position` and `role` of the rows of `NhanSu` picked: the position text (bounded,
    printable) and the (flag, phrase) pairs of the rules that made one of `flags` yes,
    where that flag was derived; nothing for the other rows, or when no flag was."""
    if not flags or ROLES not in picked:
        return {}
    matched = picked[ROLES].to_numpy(dtype=object)
    positions = picked["position"].to_numpy(dtype=object)
    roles = np.empty(len(picked), dtype=object)
    shown = np.empty(len(picked), dtype=object)
    for i, pairs in enumerate(matched.tolist()):
        mine = tuple(pair for pair in pairs if pair[0] in flags) if isinstance(pairs, tuple) else ()
        roles[i] = mine or None
        position = positions[i]
        shown[i] = quote(str(position)) if mine and isinstance(position, str) else None
    return {"position": shown, "role": roles}


def _typed_rows(rows: pd.DataFrame) -> pd.DataFrame:
    types = {
        "file": "string",
        "sheet": "string",
        "row": "int64",
        "id": "string",
        "unit": "string",
        "counted_in": "string",
    }
    if "position" in rows:
        types["position"] = "string"
    return rows.astype(types)


# ---------------------------------------------------------------------------------------
# The catalog's filters as sentences
#
# The engine describes a measure while it builds the explanation, so the sentences are
# made here, from the catalog's own types, and carried on the model as `Bilingual`.

_COMPARISONS = {"eq": "=", "lt": "<", "le": "≤", "ge": "≥", "gt": ">"}
# Columns filled from another when blank (workbook.py): said so, or the count looks wrong.
_FALLBACK_COLUMNS = frozenset({"attracted_year"})


def bilingual(make: Callable[[Lang], str]) -> Bilingual:
    """`make(lang)` in both languages."""
    return Bilingual(vi=make("vi"), en=make("en"))


def column_label(sheet: str, name: str, lang: Lang) -> str:
    """A filter's column as the form names it: `Trạng thái`, `Đối ngoại (DonVi)`, `Tuổi`."""
    if name.startswith(UNIT_PREFIX):
        column = UNITS.column(name.removeprefix(UNIT_PREFIX))
        return f"{column.label(lang)} ({UNITS.name})"
    if name in DERIVED:
        return text(f"explain.derived.{name}", lang)
    if name in _FALLBACK_COLUMNS:
        return text(f"explain.fallback.{name}", lang)
    return _SHEETS[sheet].column(name).label(lang)


def _operand(value: object, year: int, lang: Lang, is_year: bool) -> str:
    """A number, or a year relative to the report year shown with what it is."""
    if isinstance(value, str):
        resolved = int(resolve_operand(value, year))
        symbol = value.replace("report_year", text("explain.report_year", lang))
        symbol = " ".join(symbol.replace("-", " − ").replace("+", " + ").split())
        return f"{resolved} ({symbol})"
    assert isinstance(value, int | float)
    # A year reads 2019, never 2.019.
    return str(int(value)) if is_year and float(value).is_integer() else format_exact(value, lang)


def _value(sheet: str, column: str, value: object, year: int, lang: Lang) -> str:
    info = vocabulary(sheet)[column]
    if info.type is ValueType.ENUM:
        assert info.enum is not None
        code = enum_code(info.enum, str(value))
        return info.enum.label(code or str(value), lang)
    if info.type is ValueType.TEXT:
        return f"\u201c{value}\u201d"
    return _operand(value, year, lang, info.type is ValueType.YEAR)


def condition_text(sheet: str, condition: Condition, year: int, lang: Lang) -> str:
    """One condition: `Trạng thái ∈ {Đang công tác}`, `Chức danh … bắt đầu bằng “bac si”`."""
    if condition.any_ is not None:
        parts = [condition_text(sheet, part, year, lang) for part in condition.any_]
        return "(" + text("explain.or", lang).join(parts) + ")"
    assert condition.column is not None
    name = column_label(sheet, condition.column, lang)
    op = condition.operator
    operand = condition.operand(op)
    if op == "is":
        return f"{name} = {text('explain.yes' if operand else 'explain.no', lang)}"
    if op == "prefix":
        prefixes = text("explain.or", lang).join(f"\u201c{p}\u201d" for p in operand)
        return f"{name} {text('explain.prefix', lang)} {prefixes}"
    if op in ("in", "not_in"):
        values = ", ".join(_value(sheet, condition.column, v, year, lang) for v in operand)
        return f"{name} {'∈' if op == 'in' else '∉'} {{{values}}}"
    return f"{name} {_COMPARISONS[op]} {_value(sheet, condition.column, operand, year, lang)}"


def where_text(sheet: str, where: Where, year: int, lang: Lang) -> str:
    """Every condition, `; ` between them; `every row` when there is none."""
    if not where:
        return text("explain.every_row", lang)
    return "; ".join(condition_text(sheet, condition, year, lang) for condition in where)


def count_text(sheet: str, where: Where, year: int, lang: Lang) -> str:
    """A count: `NhanSu: Trạng thái ∈ {Đang công tác}; …`."""
    return f"{_SHEETS[sheet].name}: {where_text(sheet, where, year, lang)}"


def figure_text(measure: FigureMeasure, weight: float, year: int, lang: Lang) -> str:
    """A figure: `SoLieu: Số nhóm trẻ mầm non × 2,5`, with its default and year rule."""
    code = metric_code(measure.figure) or measure.figure
    shown = f"{FIGURES.name}: {METRIC.label(code, lang)}"
    if weight != 1:
        shown += f" × {format_exact(weight, lang)}"
    extras = []
    if measure.default is not None:
        extras.append(text("explain.default", lang, value=format_exact(measure.default, lang)))
    if not measure.earlier_years:
        extras.append(text("explain.year_only", lang, year=year))
    return shown + (f" ({'; '.join(extras)})" if extras else "")


def unit_norm_conditions(spec: UnitNorm, year: int) -> Conditions:
    """The units counted, and those meeting their norm."""

    def units(lang: Lang) -> str:
        norm = column_label(UNITS.key, spec.norm, lang)
        parts = [text("explain.units_of", lang, sheet=UNITS.name)]
        if spec.where:
            parts[0] += f": {where_text(UNITS.key, spec.where, year, lang)}"
        parts.append(text("explain.has_norm", lang, norm=norm))
        people = where_text(WORKFORCE.key, spec.people, year, lang)
        parts.append(text("explain.people", lang, where=people, sheet=WORKFORCE.name))
        return "; ".join(parts)

    def meeting(lang: Lang) -> str:
        qualifying = where_text(WORKFORCE.key, spec.qualifying, year, lang)
        norm = column_label(UNITS.key, spec.norm, lang)
        meets = text("explain.meets", lang, qualifying=qualifying, norm=norm)
        return f"{units(lang)}; {meets}"

    return Conditions(numerator=bilingual(meeting), denominator=bilingual(units))


def milestone_conditions(name: Bilingual, milestone: str) -> Conditions:
    done = bilingual(lambda lang: MILESTONE_STATE.label("done", lang))

    def sentence(lang: Lang) -> str:
        shown = f"{name.get(lang)} ({milestone})"
        return text(
            "explain.milestone_state",
            lang,
            sheet=MILESTONES.name,
            name=shown,
            state=done.get(lang),
        )

    return Conditions(numerator=bilingual(sentence), denominator=None)


__all__ = [
    "bilingual",
    "column_label",
    "condition_text",
    "count_text",
    "counted_rows",
    "figure_text",
    "milestone_conditions",
    "role_columns",
    "role_flags",
    "unit_norm_conditions",
    "where_text",
]
