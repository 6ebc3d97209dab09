"""One sheet's cells as the reader gives them (`reader.Workbook.read_sheet`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kpi_tritue.io.arrow_frames import TextColumns

if TYPE_CHECKING:
    import pandas as pd

    from kpi_tritue.io.sheet_xml import MergedRange


@dataclass
class RawSheet:
    """The cells of one sheet as text; `cells` columns are absolute 0-based column indexes."""

    name: str
    # The cells as read: Arrow text columns (the eager read of an .xlsx), or a frame.
    content: TextColumns | pd.DataFrame
    error_cells: dict[tuple[int, int], str] = field(default_factory=dict)
    merged: list[MergedRange] = field(default_factory=list)
    # Cells holding a formula whose value was never saved (a file written by a program,
    # not by Excel): (grid row, column) of each; calamine reads them as blank.
    unsaved_formulas: list[tuple[int, int]] = field(default_factory=list)
    # Cells left out because they lie past Excel's grid or `Limits.max_columns`: how many,
    # and the name of the first (e.g. `XFD1048576`).
    far_cells: tuple[int, str] | None = None
    _frame: pd.DataFrame | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def cells(self) -> pd.DataFrame:
        """The frame of all cells, made when first asked for: the header search and the
        data rows read `content` (issue 14: framing every sheet cost ~15% of a run)."""
        if isinstance(self.content, TextColumns):
            if self._frame is None:
                self._frame = self.content.frame()
            return self._frame
        return self.content

    @property
    def height(self) -> int:
        return len(self.content)  # `len(cells)`
