"""The fast ways of `io/column_batch.py` give exactly what the plain (pandas) ways give."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpi_tritue.contract.values import ParsedColumn
from kpi_tritue.io.column_batch import (
    ColumnPart,
    SharedRows,
    cut_fast,
    cut_plain,
    cuts_apply,
    framed_fast,
    framed_plain,
    joined_fast,
    joined_plain,
    own_frame,
    stacked_fast,
    stacked_plain,
    stacked_rows,
    stored_array,
)

KINDS = ["Int64", "boolean", "Float64", "datetime", "category", "str", "object", "int64", "bool"]
CATEGORIES = ["a", "b", "c"]
texts = st.one_of(st.none(), st.sampled_from(["", "a", "Nam", "Nữ", "1985", " x ", "đ"]))


def _column(kind: str, size: int, seed: int, order: list[str] | None = None) -> Any:
    """An array of `size` values of the dtype `kind`, some missing."""
    rng = np.random.default_rng(seed)
    missing = rng.random(size) < 0.3
    numbers = rng.integers(-5, 5, size)
    match kind:
        case "Int64":
            return pd.arrays.IntegerArray(numbers.astype("int64"), missing)
        case "boolean":
            return pd.arrays.BooleanArray(numbers > 0, missing)
        case "Float64":
            return pd.arrays.FloatingArray(numbers / 3, missing)
        case "datetime":
            days = (numbers + 10_000).astype("datetime64[D]").astype("datetime64[ns]")
            days[missing] = np.datetime64("NaT")
            return days
        case "category":
            codes = np.where(missing, -1, np.abs(numbers) % 3)
            return pd.Categorical.from_codes(codes, categories=order or CATEGORIES)
        case "str":
            values = [None if m else f"v{n}" for m, n in zip(missing, numbers, strict=True)]
            return pd.array(values, dtype=pd.StringDtype("pyarrow", na_value=np.nan))
        case "object":
            texts = [None if m else f"o{n}" for m, n in zip(missing, numbers, strict=True)]
            return pd.array(texts, dtype=object)
        case "int64":
            return numbers.astype("int64")
        case _:
            return numbers > 0


def _text_series(values: list[str | None], start: int) -> pd.Series:
    index = pd.RangeIndex(start, start + len(values))
    return pd.Series(values, index=index, dtype=pd.StringDtype("pyarrow", na_value=np.nan))


@given(st.lists(st.tuples(st.lists(texts, max_size=8), st.integers(0, 50)), min_size=2, max_size=6))
def test_raw_text_columns_are_joined_as_pandas_joins_them(
    parts: list[tuple[list[str | None], int]],
) -> None:
    raws = [_text_series(values, start) for values, start in parts]
    fast = joined_fast([raw.array for raw in raws])
    assert fast is not None
    pd.testing.assert_series_equal(fast, joined_plain(raws), check_exact=True)


def test_columns_not_all_arrow_text_are_joined_the_plain_way() -> None:
    text = _text_series(["a", None], 0)
    other = pd.Series(["b", None], dtype="object")
    assert joined_fast([text.array, other.array]) is None
    assert joined_fast([other.array, text.array]) is None
    assert joined_fast([]) is None


@given(
    st.sampled_from(KINDS),
    st.integers(0, 30),
    st.integers(0, 2**16),
    st.data(),
    st.sampled_from([None, "name"]),
)
def test_a_whole_column_is_cut_as_pandas_cuts_it(
    kind: str, size: int, seed: int, data: st.DataObject, name: str | None
) -> None:
    values = pd.Series(_column(kind, size, seed), name=name)
    assert cuts_apply(values)
    start = data.draw(st.integers(0, size))
    stop = data.draw(st.integers(start, size))
    first = data.draw(st.integers(0, 100))
    index = pd.Index(np.arange(first, first + 2 * (stop - start), 2), dtype="int64")
    fast = cut_fast(values, start, stop, index)
    pd.testing.assert_series_equal(fast, cut_plain(values, start, stop, index), check_exact=True)
    assert fast.name == name


def test_a_column_not_on_positions_is_not_cut_the_fast_way() -> None:
    assert not cuts_apply(pd.Series([1, 2], index=[3, 4]))
    assert not cuts_apply(pd.Series([1, 2], index=pd.RangeIndex(1, 3)))


frame_shapes = st.lists(
    st.tuples(
        st.integers(0, 12),  # rows
        st.integers(0, 2**16),  # seed
        st.integers(0, 40),  # first index label
        st.permutations(CATEGORIES),  # the order of the categories
    ),
    min_size=1,
    max_size=5,
)


def _drawn_frames(
    shapes: list[tuple[int, int, int, list[str]]],
    kinds: list[str],
    vary: bool,
    data: st.DataObject,
    *,
    missing: bool,
) -> list[pd.DataFrame]:
    """A file's frame for each shape, of the columns `kinds`; when `vary`, each file after
    the first with a column of another dtype, and (`missing`) maybe its last one missing.
    Text columns of kind `object` are kept as objects (pandas would make them `str`)."""
    frames = []
    for number, (rows, seed, first, order) in enumerate(shapes):
        these = list(kinds)
        if vary and number and these:
            these[data.draw(st.integers(0, len(these) - 1))] = data.draw(st.sampled_from(KINDS))
            if missing and data.draw(st.booleans()):
                these = these[:-1]
        built = {
            f"c{i}": _column(kind, rows, seed + i, order if vary else None)
            for i, kind in enumerate(these)
        }
        frame = pd.DataFrame(built, index=pd.RangeIndex(first, first + rows))
        kept = {f"c{i}": object for i, kind in enumerate(these) if kind == "object"}
        frames.append(frame.astype(kept) if kept else frame)
    return frames


@settings(max_examples=150)
@given(
    frame_shapes,
    st.lists(st.sampled_from(KINDS), min_size=0, max_size=5),
    st.booleans(),
    st.data(),
)
def test_frames_are_stacked_as_pandas_stacks_them(
    shapes: list[tuple[int, int, int, list[str]]],
    kinds: list[str],
    vary: bool,
    data: st.DataObject,
) -> None:
    frames = _drawn_frames(shapes, kinds, vary, data, missing=True)
    files = [data.draw(st.integers(0, 300)) for _ in frames]
    label = data.draw(st.sampled_from(["_file", None]))
    plain = stacked_plain(frames, files, label)
    fast = stacked_fast(frames, files, label)
    # Files of one shape are always stacked the fast way; others may fall back.
    assert fast is not None or vary or len(frames) == 1
    if fast is not None:
        pd.testing.assert_frame_equal(fast, plain, check_exact=True)
        assert list(fast.dtypes) == list(plain.dtypes)
        assert fast.columns.dtype == plain.columns.dtype


@settings(max_examples=150)
@given(
    frame_shapes,
    st.lists(st.sampled_from(KINDS), min_size=0, max_size=4),
    st.booleans(),
    st.data(),
)
def test_rows_kept_together_are_stacked_as_their_frames_are(
    shapes: list[tuple[int, int, int, list[str]]],
    kinds: list[str],
    vary: bool,
    data: st.DataObject,
) -> None:
    """`stacked_rows` of frames and of rows of frames they share (`SharedRows`: in the
    order they lie there or not, with rows of no one between or not) is `stacked` of
    each one's own frame."""
    frames = _drawn_frames(shapes, kinds, vary, data, missing=False)
    items: list[pd.DataFrame | SharedRows] = list(frames)
    shared = [i for i in range(len(frames)) if data.draw(st.booleans())]
    wholes = data.draw(st.integers(1, 2))
    for whole_number in range(wholes):
        members = [i for i in shared if i % wholes == whole_number]
        if not members:
            continue
        if data.draw(st.booleans()):
            members = list(reversed(members))
        pieces = [frames[i] for i in members]
        gap = data.draw(st.booleans())
        stacked_pieces = [*pieces, pieces[0]] if gap else pieces
        whole = pd.concat(stacked_pieces, ignore_index=True)
        start = 0
        for i in members:
            items[i] = SharedRows(whole, start, start + len(frames[i]), frames[i].index)
            start += len(frames[i])
    files = [data.draw(st.integers(0, 300)) for _ in frames]
    plain = stacked_plain([own_frame(item) for item in items], files, "_file")
    fast = stacked_rows(items, files, "_file")
    pd.testing.assert_frame_equal(fast, plain, check_exact=True)
    assert list(fast.dtypes) == list(plain.dtypes)


def test_frames_holding_the_label_already_are_stacked_the_plain_way() -> None:
    frames = [pd.DataFrame({"_file": [1], "a": [2]}), pd.DataFrame({"_file": [3], "a": [4]})]
    assert stacked_fast(frames, [0, 1], "_file") is None


@pytest.mark.parametrize("kind", KINDS)
def test_a_stored_column_is_the_frames_column(kind: str) -> None:
    frame = pd.DataFrame({"x": _column("int64", 4, 1), 7: _column(kind, 4, 2)}, index=[3, 5, 7, 9])
    stored = stored_array(frame, 7)
    pd.testing.assert_series_equal(
        pd.Series(stored, index=frame.index, name=7), frame[7], check_exact=True
    )


@given(
    st.lists(st.sampled_from(KINDS), min_size=0, max_size=8),
    st.integers(0, 12),
    st.integers(0, 2**16),
    st.integers(0, 40),
    st.booleans(),
    st.booleans(),
)
def test_a_files_table_is_framed_as_pandas_frames_it(
    kinds: list[str], size: int, seed: int, first: int, gaps: bool, stored: bool
) -> None:
    """`framed_fast` (the columns handed to pandas' block builder) gives `framed_plain`'s
    frame: values, dtypes, labels, index and the same blocks, one a column; with
    `stored`, the extension arrays given as they are (`ColumnPart.stored`), not in a
    Series, and the frame is the one of the Series."""
    index: pd.Index = (
        pd.Index(np.arange(first, first + 2 * size, 2), dtype="int64")
        if gaps
        else pd.RangeIndex(first, first + size)
    )
    built: dict[str, Any] = {"_row": np.arange(size, dtype=np.int64) + 1}
    for position, kind in enumerate(kinds):
        built[f"c{position}"] = pd.Series(_column(kind, size, seed + position), index=index)
    built["_invalid"] = np.zeros(size, dtype=bool)
    plain = framed_plain(built, index)
    if stored:
        built = {
            key: value.array
            if isinstance(value, pd.Series)
            and isinstance(value.dtype, pd.api.extensions.ExtensionDtype)
            else value
            for key, value in built.items()
        }
    fast = framed_fast(built, index)
    assert fast is not None
    pd.testing.assert_frame_equal(fast, plain, check_exact=True)
    assert fast.index is plain.index or fast.index.equals(plain.index)
    assert [str(d) for d in fast.dtypes] == [str(d) for d in plain.dtypes]
    blocks = [(str(b.dtype), list(b.mgr_locs.as_array)) for b in fast._mgr.blocks]
    assert blocks == [(str(b.dtype), list(b.mgr_locs.as_array)) for b in plain._mgr.blocks]


def test_a_table_with_a_column_off_its_index_is_framed_the_plain_way() -> None:
    index = pd.RangeIndex(2)
    assert framed_fast({"a": pd.Series([1, 2], index=pd.RangeIndex(2))}, index) is None
    assert framed_fast({"a": np.array(["x", "y"], dtype=object)}, index) is None
    assert framed_fast({"a": np.arange(3)}, index) is None
    assert framed_fast({"a": np.arange(2)}, index) is not None


@settings(max_examples=200)
@given(
    st.sampled_from([*KINDS, "text"]),
    st.integers(0, 12),
    st.integers(0, 2**16),
    st.booleans(),
    st.data(),
)
def test_a_part_of_a_runs_column_is_the_column_cut(
    kind: str, size: int, seed: int, birth: bool, data: st.DataObject
) -> None:
    """`ColumnPart` (a file's rows of a column parsed for the run, its Series made only
    when asked) gives what the part cut the plain way gives: its values, codes, masks,
    cells' problems and text, years; and a file's table built from its `stored` array is
    the table built from its values."""
    rng = np.random.default_rng(seed)
    if kind == "text":
        whole = ParsedColumn.of_text(pd.Series(_column("str", size, seed)))
    else:
        distinct = ["a", "b", "c"]
        codes = rng.integers(-1, 3, size)
        problems = [None, "bad_value", None]
        years = [None, 1985, None] if birth else None
        whole = ParsedColumn(pd.Series(_column(kind, size, seed)), codes, distinct, problems, years)
    start = data.draw(st.integers(0, size))
    stop = data.draw(st.integers(start, size))
    first = data.draw(st.integers(0, 40))
    index = pd.Index(np.arange(first, first + 2 * (stop - start), 2), dtype="int64")
    cut = cut_fast if data.draw(st.booleans()) else cut_plain
    years = None if whole.years is None else whole.years.array
    part = ColumnPart(whole, start, stop, index, cut, years)
    expected = cut_plain(whole.values, start, stop, index)

    pd.testing.assert_series_equal(part.values, expected, check_exact=True)
    assert part.is_text == whole.is_text
    assert np.array_equal(part.invalid_mask, whole.invalid_mask[start:stop])
    assert np.array_equal(part.blank_mask, whole.blank_mask[start:stop])
    assert np.array_equal(part.note_mask, whole.note_mask[start:stop])
    for position in range(stop - start):
        assert part.problem_at(position) == whole.problem_at(start + position)
        assert part.text_at(position) == whole.text_at(start + position)
        if not whole.is_text:  # (a text column has no codes to look a year up by)
            assert part.year_at(position) == whole.year_at(start + position)
    if whole.years is None:
        assert part.years is None and part.stored_years() is None
    else:
        pd.testing.assert_series_equal(part.years, cut_plain(whole.years, start, stop, index))
    built = {"_row": np.arange(stop - start, dtype=np.int64), "v": part.stored()}
    if part.stored_years() is not None:
        built["y"] = part.stored_years()
    plain = {"_row": built["_row"], "v": expected}
    if "y" in built:
        plain["y"] = cut_plain(whole.years, start, stop, index)  # type: ignore[arg-type]
    from_values = framed_plain(plain, index)
    for frame in (framed_plain(built, index), framed_fast(built, index)):
        assert frame is not None
        pd.testing.assert_frame_equal(frame, from_values, check_exact=True)
        assert [str(d) for d in frame.dtypes] == [str(d) for d in from_values.dtypes]
