"""A birth date split by sex into `Nam` / `Nữ` sub-columns (official-lists.md, section 1 and
settled details 1 and 10).

The birth date is whichever sub-column holds a value, read as any birth date is (so a year
there is a birth year); the sex is that sub-column's. Both filled is an error at the
right-hand cell; a value that is no date (`x`) is a bad date and gives no sex; neither
filled is a blank birth date. A `Giới tính` column, where present, must agree (a blank one
never disagrees, and takes the sub-column's sex). Every issue cites the row's own cell:
the `Nam` or the `Nữ` column's.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from kpi_tritue.contract.bookkeeping import ROW
from kpi_tritue.contract.schema import SEX
from kpi_tritue.contract.values import clean_column
from kpi_tritue.io.frames import at
from kpi_tritue.io.headers import BirthSplit, Header
from kpi_tritue.io.sheet_table import Reporter, SheetTable, id_at, report_rows
from kpi_tritue.model.issues import Severity, column_letter

# What `Dataset.derived` says of the columns read from the sub-columns (settled 13).
SOURCE = "birth_columns"


def _filled(data: pd.DataFrame, col: int) -> np.ndarray[Any, Any]:
    """Which rows hold something in the column (white space is blank)."""
    if col not in data.columns:
        return np.zeros(len(data), dtype=bool)
    return clean_column(data[col]).notna().to_numpy(dtype=bool)


def chosen_raw(data: pd.DataFrame, split: BirthSplit) -> pd.Series:
    """The raw birth date of each row: the `Nam` cell where it holds a value, else the
    `Nữ` cell. Parsed as any birth-date column is."""
    male = data[split.male] if split.male in data.columns else None
    female = data[split.female] if split.female in data.columns else None
    if male is None and female is None:
        return pd.Series(pd.NA, index=data.index, dtype="object")
    if male is None:
        assert female is not None
        return female
    if female is None:
        return male
    return male.where(_filled(data, split.male), female)


def split_letters(table: SheetTable, data: pd.DataFrame, split: BirthSplit) -> None:
    """The birth date's cell, row by row: the `Nữ` column's where only it holds a value."""
    female_only = _filled(data, split.female) & ~_filled(data, split.male)
    letter = column_letter(split.female)
    rows = table.frame[ROW].to_numpy()[female_only]
    table.row_letters["birth_date"] = {int(row): letter for row in rows.tolist()}
    table.derived["birth_date"] = SOURCE


def read_split_sex(
    table: SheetTable,
    data: pd.DataFrame,
    header: Header,
    bad_birth: np.ndarray[Any, Any],
    reporter: Reporter,
) -> np.ndarray[Any, Any]:
    """Each row's sex from its sub-column, checked against `Giới tính`; the rows that are
    invalid for it (both sub-columns filled, a disagreeing `Giới tính`)."""
    split = header.split
    assert split is not None
    frame = table.frame
    male, female = _filled(data, split.male), _filled(data, split.female)
    both = male & female
    right = max(split.male, split.female)
    right_letter = column_letter(right)
    both_rows = frame[ROW].to_numpy()[both]
    ids = frame.get("id")

    def both_at(i: int) -> dict[str, Any]:
        row = int(both_rows[i])
        index = frame.index[np.flatnonzero(both)[i]]
        return {
            "row": row,
            "column": table.headers.get("birth_date"),
            "cell": f"{right_letter}{row}",
            "params": {
                "id": id_at(ids, index),
                "other": f"{column_letter(min(split.male, split.female))}{row}",
            },
        }

    reporter.add_each(Severity.ERROR, "birth_both_sexes", len(both_rows), both_at)
    codes = np.full(len(frame), None, dtype=object)
    codes[male & ~both & ~bad_birth] = "male"
    codes[female & ~both & ~bad_birth] = "female"
    from_split = pd.Series(pd.Categorical(codes, categories=list(SEX.codes)), index=frame.index)
    sub_letters = np.where(female & ~male, column_letter(split.female), column_letter(split.male))
    rows = frame[ROW].to_numpy()
    invalid: np.ndarray[Any, Any] = both.copy()
    if "sex" in frame:
        stated = frame["sex"]
        disagree = (
            stated.notna().to_numpy(dtype=bool)
            & from_split.notna().to_numpy(dtype=bool)
            & (stated.astype("object") != from_split.astype("object")).to_numpy(dtype=bool)
        )
        cells = dict(zip(rows.tolist(), sub_letters.tolist(), strict=True))

        def other(index: Any) -> dict[str, Any]:
            row = int(str(at(frame, index, ROW)))
            return {
                "other": f"{cells[row]}{row}",
                "value": SEX.label(str(at(frame, index, "sex")), "vi"),
            }

        report_rows(
            table,
            reporter,
            Severity.ERROR,
            "sex_disagrees_with_birth_column",
            pd.Series(disagree, index=frame.index),
            "sex",
            other,
        )
        invalid |= disagree
        # A blank `Giới tính` takes the sub-column's sex, and its cell is the sub-column's.
        taken = stated.isna().to_numpy(dtype=bool) & from_split.notna().to_numpy(dtype=bool)
        frame["sex"] = stated.where(~taken, from_split)
        table.row_letters["sex"] = {
            int(row): letter
            for row, letter in zip(rows[taken].tolist(), sub_letters[taken].tolist(), strict=True)
        }
    else:
        frame["sex"] = from_split
        table.headers["sex"] = table.headers.get("birth_date", "")
        table.letters["sex"] = column_letter(split.male)
        chosen = from_split.notna().to_numpy(dtype=bool)
        table.row_letters["sex"] = {
            int(row): letter
            for row, letter in zip(
                rows[chosen & female].tolist(), sub_letters[chosen & female].tolist(), strict=True
            )
        }
        table.derived["sex"] = SOURCE
    return invalid
