"""The columns the reader adds to every table frame, beside the contract's own.

`ROW` is a record's row number in its sheet, as a spreadsheet shows it, and `INVALID`
whether a check found an error in it. The reader writes them, the dataset merges and
filters on them, and every issue, figure and explanation points back to the input
through `ROW` (with `io.tables.FILE`, the file a row came from). The names start with `_`
so that no header of the contract can take them.
"""

from __future__ import annotations

ROW = "_row"
INVALID = "_invalid"
# The birth years written without a date in a birth-date column (`values.birth_years`),
# beside `birth_date`, until the workforce checks fold them into `birth_year`
# (io/workforce.py) and drop the column.
BIRTH_YEAR_OF_DATE = "_birth_date_year"

__all__ = ["BIRTH_YEAR_OF_DATE", "INVALID", "ROW"]
