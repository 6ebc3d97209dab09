"""How a result shows in a cell of the gap report: the colours of its status and severity,
and the number formats of its value and gap.

Shared by the report's sheets (`xlsx_summary`, `xlsx_chart`, `xlsx_breakdown`,
`xlsx_issues`), so that none of them imports another. A percentage is stored in percent
units, as in the JSON output (81.8 for 81.8 %), and shown with the format `0.0" %"`; gaps of
percentages are percentage points (`0.0`); a milestone is 1 (done) or 0, shown as its word
by the format.
"""

from __future__ import annotations

import math

from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

from kpi_tritue.i18n import Lang, text
from kpi_tritue.model.issues import Severity
from kpi_tritue.model.results import IndicatorResult, Measurement, Status, Unit
from kpi_tritue.render.report import SMALL_MARK
from kpi_tritue.render.xlsx_cells import put

STATUS_COLOURS: dict[Status, tuple[str, str]] = {
    # (fill, font): the green/red/amber of Excel's own Good/Bad/Neutral styles.
    Status.MET: ("C6EFCE", "006100"),
    Status.NOT_MET: ("FFC7CE", "9C0006"),
    Status.ABOVE_RANGE: ("FFEB9C", "9C5700"),
    Status.NO_DATA: ("E7E6E6", "595959"),
    Status.TRACKED: ("DDEBF7", "1F4E78"),
    # Grey, paler than no_data: the indicator no longer applies.
    Status.NOT_APPLICABLE: ("F2F2F2", "808080"),
}
SEVERITY_COLOURS: dict[Severity, tuple[str, str]] = {
    Severity.ERROR: STATUS_COLOURS[Status.NOT_MET],
    Severity.WARNING: STATUS_COLOURS[Status.ABOVE_RANGE],
    Severity.INFO: STATUS_COLOURS[Status.NO_DATA],
}

_VALUE_FORMATS: dict[Unit, str] = {
    "per_10k": "0.00",
    "percent": '0.0" %"',
    "count": "#,##0",
    "milestone": "0",  # replaced by the words of `_milestone_format`
}
GAP_FORMATS: dict[Unit, str] = {
    "per_10k": "0.00;-0.00;0",
    "percent": "0.0;-0.0;0",
    "count": "#,##0",
    "milestone": "0",
}
COUNT_FORMAT = "#,##0"


def status_cell(
    sheet: Worksheet, row: int, column: int, status: Status, lang: Lang, border: bool = True
) -> Cell:
    """The status as its word, in the colours of its fill and font."""
    fill, font = STATUS_COLOURS[status]
    return put(
        sheet,
        row,
        column,
        text(f"report.status.{status.value}", lang),
        bold=True,
        colour=font,
        fill=fill,
        border=border,
        horizontal="center",
    )


def cell_number(value: float | None) -> float | None:
    """A value for a number cell: none, NaN or infinity leave the cell empty."""
    if value is None or not math.isfinite(value):
        return None
    return float(value)


def _milestone_format(lang: Lang) -> str:
    """1 shows as done, 0 as not done: the value stays a number."""
    done = text("target.done", lang).replace('"', "")
    not_done = text("target.not_done", lang).replace('"', "")
    return f'"{done}";"{not_done}";"{not_done}"'


def value_format(unit: Unit, lang: Lang) -> str:
    return _milestone_format(lang) if unit == "milestone" else _VALUE_FORMATS[unit]


def marked_value_format(result: IndicatorResult, measurement: Measurement, lang: Lang) -> str:
    """The value's format, with the small-denominator mark shown after the number: the
    cell stays a number that sorts and sums."""
    fmt = value_format(result.unit, lang)
    if not measurement.small:
        return fmt
    return ";".join(f'{part}"{SMALL_MARK}"' for part in fmt.split(";"))
