"""A table whose rows are kept in a frame shared with other files' tables
(`io/sheet_table.SheetTable.shared`, `io/column_batch.SharedRows`): it reads as the table
with its own frame would, and its frame, once asked for, is its own."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kpi_tritue.contract.schema import WORKFORCE
from kpi_tritue.io.column_batch import SharedRows, stored_array
from kpi_tritue.io.sheet_table import SheetTable


def _whole() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "_row": np.arange(4, 10, dtype="int64"),
            "unit": pd.array(["Sở Y tế", "Sở Y tế", None, "UBND", "UBND", "Sở GD"], dtype="str"),
            "level": pd.Categorical(["tinh", "xa", None, "xa", "xa", "tinh"]),
            "n": pd.array([1, None, 3, 4, 5, 6], dtype="Int64"),
        }
    )


def _tables(whole: pd.DataFrame) -> list[SheetTable]:
    """Two files' tables: rows 0-2 and 3-5 of `whole`, each on its own grid rows."""
    return [
        SheetTable(
            WORKFORCE,
            "NhanSu",
            None,
            {},
            {},
            shared=SharedRows(whole, start, start + 3, pd.RangeIndex(3, 6)),
        )
        for start in (0, 3)
    ]


def test_shared_rows_read_as_the_tables_own_frame() -> None:
    whole = _whole()
    first, second = _tables(whole)
    expected = whole.iloc[3:6].set_axis(pd.RangeIndex(3, 6))
    assert second.height == 3
    assert list(second.columns) == list(whole.columns)
    assert second.has_column("level") and not second.has_column("sex")
    for key in whole.columns:
        got = second.column_array(key)
        want = stored_array(expected, key)
        assert type(got) is type(want)
        pd.testing.assert_extension_array_equal(pd.array(got), pd.array(want))
    assert second.shared is not None  # nothing read made a frame
    pd.testing.assert_frame_equal(second.frame, expected)
    assert second.shared is None and first.shared is not None


def test_a_shared_column_cannot_be_written_through() -> None:
    (first, _) = _tables(_whole())
    rows = first.column_array("_row")
    with pytest.raises(ValueError, match="read-only"):
        rows[0] = 99


def test_a_tables_frame_once_asked_for_is_its_own() -> None:
    whole = _whole()
    first, second = _tables(whole)
    frame = first.frame
    frame.loc[3, "n"] = 99
    frame["unit"] = "đổi"
    assert first.frame is frame and first.frame.loc[3, "n"] == 99
    assert whole["n"].tolist()[0] == 1 and whole["unit"].tolist()[0] == "Sở Y tế"
    assert second.frame["unit"].tolist() == ["UBND", "UBND", "Sở GD"]


def test_a_frame_set_replaces_the_shared_rows() -> None:
    (first, _) = _tables(_whole())
    replaced = pd.DataFrame({"_row": [7]})
    first.frame = replaced
    assert first.shared is None and first.frame is replaced and first.height == 1
    first.share(SharedRows(_whole(), 0, 2, pd.RangeIndex(2)))
    assert first.height == 2 and first.frame["_row"].tolist() == [4, 5]


def test_a_table_has_a_frame_or_shared_rows() -> None:
    frame = pd.DataFrame({"_row": [1]})
    rows = SharedRows(frame, 0, 1, pd.RangeIndex(1))
    with pytest.raises(ValueError, match="either its own frame or shared rows"):
        SheetTable(WORKFORCE, "NhanSu", None, {}, {})
    with pytest.raises(ValueError, match="either its own frame or shared rows"):
        SheetTable(WORKFORCE, "NhanSu", frame, {}, {}, shared=rows)
