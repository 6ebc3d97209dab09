"""A target as people read it: its bounds (formatted in `i18n.numbers`) and its year.

Here rather than in `i18n/`, because it reads a `model.targets.Target`, and i18n, the
lowest layer, imports no model type.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kpi_tritue.i18n import text
from kpi_tritue.i18n.numbers import format_bounds

if TYPE_CHECKING:
    from kpi_tritue.i18n import Lang
    from kpi_tritue.model.targets import Target, Unit


# A CSV starts with a byte-order mark: Excel on Windows reads a CSV as UTF-8 only then
# (without it, `Số bác sĩ` shows as `Sá»‘ bÃ¡c sÄ©`); Python's csv with `utf-8-sig`, pandas
# and LibreOffice read past it.
CSV_BOM = "\ufeff"


def format_target(unit: Unit, target: Target | None, lang: Lang, horizon: int | None = None) -> str:
    """`≥ 14`, `= 100 %`, `15–20 %`, `Hoàn thành`; the year added unless it is `horizon`."""
    if target is None:
        return text("target.tracked", lang)
    year = "" if target.year == horizon else f" ({target.year})"
    bounds = format_bounds(unit, target.op, target.value, target.min, target.max, lang)
    return f"{bounds}{year}"
