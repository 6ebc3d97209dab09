"""Indicators that no longer apply, and rows of a level that no longer exists
(official-lists.md, section 4 and settled detail 12).

Since 1 July 2025 local government has two levels: the district level (`Huyện`) is gone.
A catalog indicator may say so (`applies_until`, with its reason in both languages):

- after that date, the indicator and each `--by` group whose value would be `no_data`
  (a denominator of 0 included) is `not_applicable`, with a note giving the reason;
- after that date, an indicator that still has a population is computed as before, with
  one warning that its level was abolished;
- whatever the catalog says, rows of level `Huyện` in data as of 1 July 2025 or later
  get one warning per file, at the first such cell, with their count (`kpi validate`
  shows it too, through `engine.data_issues`).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np

from kpi_tritue.catalog.model import Indicator
from kpi_tritue.contract.bookkeeping import ROW
from kpi_tritue.contract.schema import WORKFORCE
from kpi_tritue.io.dataset import Dataset
from kpi_tritue.io.tables import FILE
from kpi_tritue.model.issues import Issue, Severity
from kpi_tritue.model.results import GroupResult, Measurement, Note, Status

# The district level of local government ended on this date (Law on the Organisation of
# Local Government 2025): district populations are gone from then on, not zero.
DISTRICT_LEVEL_ABOLISHED = date(2025, 7, 1)
DISTRICT = "district"
# A breakdown's line of people in no area shown says something else: it stays as it is.
_KEPT_NOTES = frozenset({"outside_areas"})


def ended(indicator: Indicator, as_of: date) -> bool:
    """Whether `as_of` is after the last day the indicator applies."""
    return indicator.applies_until is not None and as_of > indicator.applies_until


def _day(value: date) -> str:
    return value.strftime("%d/%m/%Y")


def not_applicable_note(indicator: Indicator) -> Note:
    """Why the indicator does not apply: the catalog's reason, in both languages."""
    assert indicator.applies_until is not None
    return Note(
        "not_applicable",
        {
            "until": _day(indicator.applies_until),
            "reason_vi": indicator.applies_until_reason_vi,
            "reason_en": indicator.applies_until_reason_en,
        },
    )


def not_applicable(note: Note, measurement: Measurement | None = None) -> Measurement:
    """A `not_applicable` measurement; the counts of `measurement` kept (a 0 denominator)."""
    numerator = None if measurement is None else measurement.numerator
    denominator = None if measurement is None else measurement.denominator
    return Measurement(None, Status.NOT_APPLICABLE, None, None, numerator, denominator, note)


def applicability(
    indicator: Indicator,
    as_of: date,
    measurement: Measurement,
    breakdown: tuple[GroupResult, ...] | None,
    issues: list[Issue],
) -> tuple[Measurement, tuple[GroupResult, ...] | None]:
    """The measurement and breakdown as they stand on `as_of`: `no_data` becomes
    `not_applicable` after `applies_until`; a value computed then comes with a warning."""
    if not ended(indicator, as_of):
        return measurement, breakdown
    note = not_applicable_note(indicator)
    if measurement.status is Status.NO_DATA:
        measurement = not_applicable(note, measurement)
    else:
        assert indicator.applies_until is not None
        issues.append(
            Issue(
                Severity.WARNING,
                "indicator_level_abolished",
                params={
                    "indicator": indicator.id,
                    "until": _day(indicator.applies_until),
                    "as_of": _day(as_of),
                    "reason_vi": indicator.applies_until_reason_vi,
                    "reason_en": indicator.applies_until_reason_en,
                },
            )
        )
    if breakdown is not None:
        breakdown = tuple(
            replace(group, measurement=not_applicable(note, group.measurement))
            if group.measurement.status is Status.NO_DATA
            and (group.measurement.note is None or group.measurement.note.code not in _KEPT_NOTES)
            else group
            for group in breakdown
        )
    return measurement, breakdown


def district_rows(dataset: Dataset) -> list[Issue]:
    """One warning per file with rows of level `Huyện` in data as of 1 July 2025 or later:
    at its first such cell, with how many rows there are."""
    if dataset.as_of < DISTRICT_LEVEL_ABOLISHED:
        return []
    table = dataset.table(WORKFORCE.key)
    if table is None or "level" not in table.frame or table.frame.empty:
        return []
    frame = table.frame
    district = (frame["level"].astype("object") == DISTRICT).to_numpy(dtype=bool, na_value=False)
    if not district.any():
        return []
    files = frame[FILE].to_numpy()[district]
    rows = frame[ROW].to_numpy()[district]
    issues = []
    for file in sorted({int(f) for f in files}):
        in_file = rows[files == file]
        first = int(np.min(in_file))
        issues.append(
            Issue(
                Severity.WARNING,
                "district_level_abolished",
                file=dataset.sources[file].path if file < len(dataset.sources) else None,
                sheet=table.sheet_names.get(file),
                row=first,
                column=WORKFORCE.column("level").header,
                cell=table.cell(file, "level", first),
                params={
                    "count": len(in_file),
                    "as_of": _day(dataset.as_of),
                    "abolished": _day(DISTRICT_LEVEL_ABOLISHED),
                },
            )
        )
    return issues


__all__ = [
    "DISTRICT_LEVEL_ABOLISHED",
    "applicability",
    "district_rows",
    "ended",
    "not_applicable",
    "not_applicable_note",
]
