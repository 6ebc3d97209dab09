"""A `--columns` mapping's `[<sheet>.defaults]`: a column that a workbook lacks altogether,
filled with one value for every row of that sheet (official-lists.md, section 3).

A column the sheet has is never touched, even where its cells are blank (a blank cell is
the workbook's own answer). `NhanSu`'s `Cấp`, `Lĩnh vực` and `Loại` are not filled here:
they have an order of their own (the row's cell, then the unit's `DonVi` row or the file's
`ThongTin`, then the mapping's default; settled details 7 and 8), kept where the units
registry is read.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from kpi_tritue.contract.schema import WORKFORCE, Contract
from kpi_tritue.contract.values import Bounds, parse_column
from kpi_tritue.io.workbook import LoadedWorkbook

# Filled with the units registry, in their own order (see the module's doc).
LEFT_TO_REGISTRY: dict[str, frozenset[str]] = {
    WORKFORCE.key: frozenset({"level", "sector", "category"})
}
# What `Dataset.derived` says of a column filled from the mapping's defaults.
FROM_DEFAULTS = "defaults"


def fill_defaults(
    loaded: Sequence[LoadedWorkbook], contract: Contract, bounds: Bounds
) -> dict[str, dict[str, str]]:
    """Fill, in each table of `loaded`, the columns it lacks that the contract has a default
    for; what was filled, by file shown → column key (`NhanSu` only: `Dataset.derived`)."""
    derived: dict[str, dict[str, str]] = {}
    for workbook in loaded:
        for key, table in workbook.tables.items():
            defaults = contract.defaults.get(key, {})
            left = LEFT_TO_REGISTRY.get(key, frozenset())
            for column_key, raw in sorted(defaults.items()):
                if column_key in table.present or column_key in left:
                    continue
                column = table.spec.column(column_key)
                index = table.frame.index
                cells = pd.Series([raw] * len(index), index=index, dtype=object)
                parsed = parse_column(cells, column, bounds)
                if len(index) and bool(parsed.invalid_mask.any()):
                    # Checked when the mapping was read; only the report year's bounds
                    # (a year after it, a date after the reference date) are left.
                    continue
                table.frame[column_key] = parsed.values
                table.headers[column_key] = column.header
                if key == WORKFORCE.key:
                    derived.setdefault(workbook.display, {})[column_key] = FROM_DEFAULTS
    return derived
