"""A `--columns` mapping's `[<sheet>.defaults]`: a column that a workbook lacks altogether,
filled with one value for every row of that sheet (official-lists.md, section 3).

A column the sheet has is never touched, even where its cells are blank (a blank cell is
the workbook's own answer). `NhanSu`'s `Cấp`, `Lĩnh vực` and `Loại` are not filled here:
they have an order of their own (the row's cell, then the unit's `DonVi` row or the file's
`ThongTin`, then the mapping's default; settled details 7 and 8), kept where the units
registry is read. A filled column has a header (it is present) but no letter (no cell).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from kpi_tritue.contract.schema import WORKFORCE
from kpi_tritue.contract.values import Bounds, parse_column
from kpi_tritue.io.sheet_table import SheetTable

# Filled with the units registry, in their own order (see the module's doc).
LEFT_TO_REGISTRY: dict[str, frozenset[str]] = {
    WORKFORCE.key: frozenset({"level", "sector", "category"})
}
# What `Dataset.derived` says of a column filled from the mapping's defaults.
FROM_DEFAULTS = "defaults"


def fill_defaults(table: SheetTable, defaults: Mapping[str, str], bounds: Bounds) -> None:
    """Fill the columns `table` lacks that `defaults` has a value for (before the checks
    of its rows, which then see them as any other column)."""
    left = LEFT_TO_REGISTRY.get(table.spec.key, frozenset())
    for key, raw in sorted(defaults.items()):
        if key in table.present or key in left or key == "full_name":
            continue
        column = table.spec.column(key)
        index = table.frame.index
        parsed = parse_column(
            pd.Series([raw] * len(index), index=index, dtype=object), column, bounds
        )
        if len(index) and bool(parsed.invalid_mask.any()):
            # Checked when the mapping was read; only the report year's bounds (a year
            # after it, a date after the reference date) are left: the column stays absent.
            continue
        table.frame[key] = parsed.values
        table.headers[key] = column.header
        if table.spec.key == WORKFORCE.key:
            table.derived[key] = FROM_DEFAULTS
