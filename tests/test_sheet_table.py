"""A table whose rows are kept in a frame shared with other files' tables
(`io/sheet_table.SheetTable.shared`, `io/column_batch.SharedRows`): it reads as the table
with its own frame would, and its frame, once asked for, is its own."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpi_tritue.contract.schema import WORKFORCE
from kpi_tritue.io.column_batch import SharedRows, framed_plain, stored_array
from kpi_tritue.io.sheet_table import Built, SheetTable, keep_together, run_columns


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


def test_a_table_has_one_of_a_frame_shared_rows_or_built_columns() -> None:
    frame = pd.DataFrame({"_row": [1]})
    rows = SharedRows(frame, 0, 1, pd.RangeIndex(1))
    built = Built({"_row": np.array([1])}, pd.RangeIndex(1))
    message = "one of its own frame, shared rows or built columns"
    with pytest.raises(ValueError, match=message):
        SheetTable(WORKFORCE, "NhanSu", None, {}, {})
    with pytest.raises(ValueError, match=message):
        SheetTable(WORKFORCE, "NhanSu", frame, {}, {}, shared=rows)
    with pytest.raises(ValueError, match=message):
        SheetTable(WORKFORCE, "NhanSu", None, {}, {}, shared=rows, built=built)


# ---------------------------------------------------------------------------------------
# Built columns (the parse's tables) and the tables of a run kept together


def _array(kind: str, size: int, seed: int) -> object:
    """A column of `size` rows of the kind the parse builds a table from (or not)."""
    rng = np.random.default_rng(seed)
    numbers = rng.integers(0, 4, size)
    missing = rng.random(size) < 0.3
    match kind:
        case "int64":
            return numbers.astype("int64")
        case "bool":
            return numbers > 1
        case "Int64":
            return pd.arrays.IntegerArray(numbers.astype("int64"), missing)
        case "category":
            return pd.Categorical.from_codes(np.where(missing, -1, numbers % 3), ["c", "a", "b"])
        case "text":
            values = [None if m else f"t{n}" for m, n in zip(missing, numbers, strict=True)]
            return pd.array(values, dtype=pd.StringDtype("pyarrow", na_value=np.nan))
        case "object":
            # Not kept as given: pandas infers text from it, the frame tells what.
            return np.array([f"o{n}" for n in numbers], dtype=object)
    raise AssertionError(kind)


_KINDS = ["int64", "bool", "Int64", "category", "text", "object"]


def _built(kinds: list[str], size: int, seed: int, first: int, as_series: bool) -> Built:
    index = pd.RangeIndex(first, first + size)
    columns: dict[str, object] = {}
    for position, kind in enumerate(kinds):
        value = _array(kind, size, seed + position)
        if as_series and kind != "object":
            value = pd.Series(value, index=index)
        columns[f"c{position}"] = value
    return Built(columns, index)


@settings(max_examples=150)
@given(
    st.lists(st.sampled_from(_KINDS), min_size=1, max_size=4),
    st.lists(
        st.tuples(st.integers(0, 5), st.integers(0, 99), st.integers(0, 9), st.booleans()),
        min_size=1,
        max_size=8,
    ),
    st.integers(1, 3),
    st.data(),
)
def test_built_tables_kept_together_read_as_their_own_frames(
    kinds: list[str],
    files: list[tuple[int, int, int, bool]],
    most: int,
    data: st.DataObject,
) -> None:
    """A table's built columns read (`column_array`) as its frame's; tables kept
    together (`keep_together`, of one layout, `most` at a time, a file of another
    layout between) have each its own frame's rows, types and index."""
    tables = []
    layouts = []
    for rows, seed, first, as_series in files:
        these = kinds if data.draw(st.booleans()) else [*kinds[:-1], "Int64"]
        built = _built(these, rows, seed, first, as_series)
        tables.append(SheetTable(WORKFORCE, "NhanSu", None, {}, {}, built=built))
        layouts.append(these)
    expected = [framed_plain(table.built.columns, table.built.index) for table in tables]  # type: ignore[union-attr]
    for table, frame in zip(tables, expected, strict=True):
        assert list(table.columns) == list(frame.columns) and table.height == len(frame)
        for key in frame.columns:
            _assert_same_array(table.column_array(str(key)), stored_array(frame, key))
    keep_together(tables, most)
    shared = [table.shared for table in tables]
    # The run's columns read at once are the tables' columns one after the other.
    common = set.intersection(*(set(map(str, table.columns)) for table in tables))
    some = tables[: data.draw(st.integers(1, len(tables)))]  # a run may end inside a frame
    for key in sorted(common) if len({tuple(layout) for layout in layouts}) == 1 else []:
        parts = run_columns(some, key)
        assert len(parts) <= len(some)
        _assert_joined(parts, [table.column_array(key) for table in some])
    for table, frame in zip(tables, expected, strict=True):
        for key in frame.columns:
            _assert_same_array(table.column_array(str(key)), stored_array(frame, key))
        pd.testing.assert_frame_equal(table.frame, frame, check_exact=True)
        assert list(table.frame.dtypes) == list(frame.dtypes)
    # Only tables of a layout framed as given are put together, at most `most` a frame.
    for rows, these in zip(shared, layouts, strict=True):
        assert rows is None or "object" not in these
    wholes = [id(rows.whole) for rows in shared if rows is not None]
    assert all(wholes.count(whole) <= most for whole in wholes)
    # The run's columns read at once are the tables' columns one after the other.
    for key in (
        [str(k) for k in tables[0].columns]
        if len({tuple(layout) for layout in layouts}) == 1
        else []
    ):
        parts = run_columns(tables, key)
        assert len(parts) <= len(tables)
        _assert_joined(parts, [table.column_array(key) for table in tables])


def _assert_joined(parts: list[object], columns: list[object]) -> None:
    got = pd.concat([pd.Series(part) for part in parts], ignore_index=True)
    want = pd.concat([pd.Series(column) for column in columns], ignore_index=True)
    pd.testing.assert_series_equal(got, want, check_exact=True)


def _assert_same_array(got: object, want: object) -> None:
    assert type(got) is type(want)
    if isinstance(want, np.ndarray):
        assert isinstance(got, np.ndarray)
        np.testing.assert_array_equal(got, want)
        assert got.dtype == want.dtype and not got.flags.writeable
    else:
        pd.testing.assert_extension_array_equal(got, want)  # type: ignore[arg-type]


def test_tables_of_one_layout_that_follow_each_other_share_one_frame() -> None:
    tables = [
        SheetTable(
            WORKFORCE, "NhanSu", None, {}, {}, built=_built(["Int64", "text"], 3, seed, 0, False)
        )
        for seed in range(5)
    ]
    keep_together(tables, 2)
    wholes = [table.shared.whole for table in tables if table.shared is not None]
    assert len(wholes) == 4  # two frames of two; the last table alone keeps its columns
    assert wholes[0] is wholes[1] and wholes[2] is wholes[3] and wholes[1] is not wholes[2]
    assert tables[4].built is not None
