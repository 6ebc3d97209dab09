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

from kpi_tritue.frames import at
from kpi_tritue.issues import Issue, Severity
from kpi_tritue.normalize import unit_keys

if TYPE_CHECKING:
    from kpi_tritue.dataset import Source, Table


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

    issues: list[Issue] = []
    missing: list[str] = []
    for index in registered.index[~has_staff]:
        name = str(at(registered, index, "unit"))
        missing.append(name)
        issues.append(_issue(units, index, sources, "unit_without_staff", Severity.WARNING, name))
    known = set(registered_keys.dropna().unique())
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
    return completeness, issues


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
