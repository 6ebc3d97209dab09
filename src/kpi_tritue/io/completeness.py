"""Completeness of a data drop, as DHIS2 reports it: which registered units sent data.

With a `DonVi` registry, every registered unit should have rows in `NhanSu`. A unit with
none has most likely not reported yet: it is named in a warning, and the reporting rate
(units with data ÷ registered units) is stated in every output.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from kpi_tritue.contract.limits import Limits
from kpi_tritue.contract.normalize import unit_keys
from kpi_tritue.io.frames import at
from kpi_tritue.io.tables import FILE
from kpi_tritue.model.issues import Issue, IssueLog, Severity

if TYPE_CHECKING:
    from kpi_tritue.io.tables import Table
    from kpi_tritue.model.sources import Source


@dataclass(frozen=True)
class Completeness:
    registered: int
    reporting: int
    missing_units: tuple[str, ...]

    @property
    def rate(self) -> float | None:
        """Reporting rate in percent; None when nothing is registered."""
        return None if self.registered == 0 else self.reporting / self.registered * 100

    def to_dict(self) -> dict[str, object]:
        return {
            "registered_units": self.registered,
            "reporting_units": self.reporting,
            "reporting_rate": self.rate,
            "missing_units": list(self.missing_units),
        }


def assess_completeness(
    units: Table | None, workforce: Table | None, sources: Sequence[Source]
) -> tuple[Completeness | None, list[Issue]]:
    """Registered units without staff rows, and the reporting rate. None without `DonVi`."""
    if units is None or "unit" not in units.frame:
        return None, []
    registered = units.frame[units.frame["unit"].notna()]
    registered_keys = unit_keys(registered["unit"])
    staff = workforce.frame if workforce is not None and "unit" in workforce.frame else None
    # Unit keys are computed on the staff's few distinct unit names, not on every row.
    codes, distinct_units = (
        pd.factorize(staff["unit"]) if staff is not None else (np.array([], "int64"), [])
    )
    distinct_keys = unit_keys(pd.Series(distinct_units, dtype="str")).tolist()
    staffed = {key for key in distinct_keys if isinstance(key, str)}
    has_staff = registered_keys.isin(staffed).to_numpy()

    issues = IssueLog(Limits.from_environment().max_issues_per_code)
    unstaffed = registered.index[~has_staff]
    missing = registered.loc[unstaffed, "unit"].astype(str).tolist()
    # A registry of a million units none of which has staff: only the issues that will be
    # listed are made, the others counted (issues.IssueLog).
    files = registered.loc[unstaffed, FILE].to_numpy()
    for file_index in pd.unique(files).tolist():
        these = unstaffed[files == file_index]
        _, sheet, _ = units.where(these[0])
        room = issues.room(sources[file_index].path, sheet, "unit_without_staff")
        for index in these[:room]:
            name = str(at(registered, index, "unit"))
            issues.append(
                _issue(units, index, sources, "unit_without_staff", Severity.WARNING, name)
            )
        if len(these) > room:
            _, _, row = units.where(these[room])
            issues.omit(
                Severity.WARNING,
                "unit_without_staff",
                sources[file_index].path,
                sheet,
                len(these) - room,
                row,
            )
    # The staff's units that are registered: a few keys looked up in the registry.
    known = set(registered_keys[registered_keys.isin(staffed)].unique())
    if staff is not None and workforce is not None and staffed - known:
        # The first row of each unregistered unit: codes count up in order of appearance.
        present, first_positions = np.unique(codes[codes >= 0], return_index=True)
        positions = np.flatnonzero(codes >= 0)[first_positions]
        reported: set[str] = set()
        for code, position in zip(present.tolist(), positions.tolist(), strict=True):
            key = distinct_keys[code]
            if key in known or key in reported:
                continue
            reported.add(key)
            index = staff.index[position]
            name = str(at(staff, index, "unit"))
            issues.append(
                _issue(workforce, index, sources, "unit_not_registered", Severity.INFO, name)
            )
    completeness = Completeness(
        registered=len(registered),
        reporting=int(has_staff.sum()),
        missing_units=tuple(sorted(missing)),
    )
    return completeness, issues.issues


def _issue(
    table: Table,
    index: int,
    sources: Sequence[Source],
    code: str,
    severity: Severity,
    unit: str,
) -> Issue:
    file_index, sheet, row = table.where(index)
    return Issue(
        severity,
        code,
        file=sources[file_index].path,
        sheet=sheet,
        row=row,
        column=table.spec.column("unit").header,
        cell=table.cell(file_index, "unit", row),
        params={"unit": unit},
    )
