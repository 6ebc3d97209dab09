"""One sheet's rows over all the files of a run, and where each row came from.

Beside `dataset` so that what reads the tables (`completeness`, the engine) does not
import the loader that makes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from kpi_tritue.contract.bookkeeping import ROW
from kpi_tritue.contract.schema import SheetSpec
from kpi_tritue.io.frames import at

# The column of a table's frame that holds the index of the row's file in `sources`.
FILE = "_file"


@dataclass
class Table:
    """One sheet over all files: typed columns by key, plus `_file`, `_row`, `_invalid`."""

    spec: SheetSpec
    frame: pd.DataFrame
    present: frozenset[str]
    sheet_names: dict[int, str]
    letters: dict[int, dict[str, str]]
    # file index → key → Excel row → letter, where a row's cell is not in `letters`'
    # column (`SheetTable.row_letters`).
    row_letters: dict[int, dict[str, dict[int, str]]] = field(default_factory=dict)

    def where(self, index: int) -> tuple[int, str, int]:
        """(file index, sheet name, Excel row) of a row of the frame."""
        file_index = int(at(self.frame, index, FILE))
        return file_index, self.sheet_names[file_index], int(at(self.frame, index, ROW))

    def cell(self, file_index: int, key: str, row: int) -> str | None:
        letter = self.row_letters.get(file_index, {}).get(key, {}).get(row) or self.letters.get(
            file_index, {}
        ).get(key)
        return f"{letter}{row}" if letter else None
