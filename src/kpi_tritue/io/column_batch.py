"""The columns of a run's files put together and cut apart again, without pandas' per-file cost.

A sheet's column is parsed once over the rows of every file (`sheet.parse_batch`), then cut
back into each file's rows; the files' tables are stacked into the run's (`dataset._concat`).
Done with pandas' own tools (`pd.concat` of 200 Series or frames, `iloc` and `set_axis` per
file and column), that round trip cost more than the parse itself: about 70 µs per pandas
call, thousands of calls for a folder of 200 workbooks.

Each step has its plain version (what pandas gives) beside the fast one (the same arrays
taken, sliced and joined directly); tests/test_column_batch.py checks on generated columns and
frames that both give the same result. The fast one returns None where it does not apply,
and the plain one is used.

A file's table may keep its rows in a frame it shares with other files' tables
(`SharedRows`, round 14): what the workforce checks and the transfer between processes
put together stays together, and is stacked from there (`stacked_rows`), not cut into a
frame a file to be stacked again.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from kpi_tritue.contract.values import ParsedColumn


def stored_array(frame: pd.DataFrame, label: Hashable) -> Any:
    """The column `label` of `frame` as stored (an ndarray or an ExtensionArray), without a
    Series built around it (`frame[label]` costs ~30-70 µs, the array alone ~3)."""
    position = frame.columns.get_loc(label)
    direct = _direct(frame)
    if isinstance(position, int) and direct is not None:
        return direct(position)
    return frame[label].array


def _direct(frame: pd.DataFrame) -> Callable[[int], Any] | None:
    """pandas' own way to the array of the column at a position, as stored (private, in
    pandas since 1.x: without it the callers take their plain way)."""
    direct: Callable[[int], Any] | None = getattr(frame, "_get_column_array", None)
    return direct


# ---------------------------------------------------------------------------------------
# Joined: the raw columns of several files one after the other


def joined_plain(raws: Sequence[pd.Series]) -> pd.Series:
    """The raw columns one after the other, in one Arrow chunk when they are Arrow text
    (the parsers take a column as one array, as a sheet's column comes)."""
    import pyarrow as pa

    whole = pd.concat(list(raws), ignore_index=True)
    if isinstance(whole.dtype, pd.StringDtype) and whole.dtype.storage == "pyarrow":
        array = pa.array(whole, from_pandas=True)
        if isinstance(array, pa.ChunkedArray):
            whole = pd.Series(pd.array(array.combine_chunks(), dtype=whole.dtype))
    return whole


def joined_fast(arrays: Sequence[Any]) -> pd.Series | None:
    """`joined_plain` of Series holding `arrays`, when every one is Arrow text of one dtype:
    their Arrow chunks concatenated at once. None otherwise."""
    import pyarrow as pa

    if not arrays:
        return None
    dtype = arrays[0].dtype
    if not (isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"):
        return None
    chunks: list[Any] = []
    for array in arrays:
        if array.dtype != dtype or not hasattr(array, "__arrow_array__"):
            return None
        chunked = array.__arrow_array__()
        if not isinstance(chunked, pa.ChunkedArray):
            return None
        chunks.extend(chunked.chunks)
    if not chunks or any(chunk.type != chunks[0].type for chunk in chunks):
        return None
    return pd.Series(pd.array(pa.concat_arrays(chunks), dtype=dtype))


def joined_arrow(texts: Sequence[Any]) -> pd.Series:
    """`joined_fast` of the reader's text columns still in Arrow (`DataRows.arrow_column`),
    each not wrapped for pandas first: the Arrow arrays concatenated, the whole wrapped
    once (wrapping each file's column cost ~10 µs, 31,000 of them on 1,000 files)."""
    import pyarrow as pa

    from kpi_tritue.io.arrow_frames import wrapped_text

    return pd.Series(wrapped_text(pa.concat_arrays(list(texts))))


# ---------------------------------------------------------------------------------------
# Cut: the rows start…stop of a whole column, on a file's index


def cut_plain(values: pd.Series, start: int, stop: int, index: pd.Index) -> pd.Series:
    return values.iloc[start:stop].set_axis(index)


def cut_fast(values: pd.Series, start: int, stop: int, index: pd.Index) -> pd.Series:
    """`cut_plain` of a column on a `RangeIndex` from 0: its array sliced (a view, as
    `iloc` gives) and wrapped once, by pandas' own constructor from a block when it has
    one (private: `pd.Series(array)` checks and infers again what the column's array
    already is, ~40 µs a cut against ~15; a run of 2,000 files cuts 16,000 times)."""
    wrapped = _wrapped(values, values._values[start:stop], index)
    if wrapped is None:
        return pd.Series(values.array[start:stop], index=index, name=values.name, copy=False)
    if values.name is not None:
        wrapped.name = values.name
    return wrapped


def _wrapped(values: pd.Series, array: Any, index: pd.Index) -> pd.Series | None:
    try:
        internals: Any = importlib.import_module("pandas.core.internals")
    except ImportError:
        return None
    make = getattr(getattr(internals, "SingleBlockManager", None), "from_array", None)
    build = getattr(values, "_constructor_from_mgr", None)
    if make is None or build is None:
        return None
    manager = make(array, index)
    series: pd.Series = build(manager, axes=manager.axes)
    return series


class ColumnPart(ParsedColumn):
    """The rows start…stop of a column parsed over several files' rows (`parse_batch`),
    on one file's `index`: the whole column's lookups, these rows' codes. Its values
    become a Series (`cut`) only when something asks for them: a file's table is built
    from `stored`, the array alone, and on a clean sheet nothing else asks (a Series a
    file and column cost ~15 µs, some 17 columns a file: issue 14).
    `years`: the whole birth-date column's years written alone, when it is one."""

    def __init__(
        self,
        whole: ParsedColumn,
        start: int,
        stop: int,
        index: pd.Index,
        cut: Callable[[pd.Series, int, int, pd.Index], pd.Series],
        years: Any = None,
    ) -> None:
        # Not `ParsedColumn.__init__`: each attribute is the whole's, cut.
        self._whole, self._start, self._stop, self._index, self._cut = (
            whole,
            start,
            stop,
            index,
            cut,
        )
        self._years = None if years is None else years[start:stop]
        # A text column has no codes (`ParsedColumn.of_text`).
        self.codes = whole.codes if whole.is_text else whole.codes[start:stop]
        self.distinct = whole.distinct
        self.distinct_problems = whole.distinct_problems
        self.distinct_years = whole.distinct_years
        self.distinct_notes = whole.distinct_notes

    @cached_property
    def values(self) -> pd.Series:  # type: ignore[override]
        return self._cut(self._whole.values, self._start, self._stop, self._index)

    @cached_property
    def _text(self) -> pd.Series | None:  # type: ignore[override]
        return self.values if self._whole.is_text else None

    @property
    def is_text(self) -> bool:
        return self._whole.is_text

    @cached_property
    def years(self) -> pd.Series | None:
        return None if self._years is None else pd.Series(self._years, index=self._index)

    def stored(self) -> Any:
        """What `values` holds (its rows of the whole column's array), without the Series;
        the Series where that array is not one a frame keeps as it is given."""
        array = self._whole.values.array[self._start : self._stop]
        if isinstance(array, pd.api.extensions.ExtensionArray) and not isinstance(
            array, pd.arrays.NumpyExtensionArray
        ):
            return array
        return self.values

    def stored_years(self) -> Any:
        return self._years


def cuts_apply(values: pd.Series) -> bool:
    """Whether `cut_fast` gives what `cut_plain` gives for `values`: positions are labels."""
    index = values.index
    return isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1


# ---------------------------------------------------------------------------------------
# Stacked: the files' frames one under the other, the file's index first


def stacked_plain(
    frames: Sequence[pd.DataFrame], files: Sequence[int], label: str | None
) -> pd.DataFrame:
    """The frames one under the other on a fresh `RangeIndex`, each with the column `label`
    first holding its file's index (`files`); without such a column when `label` is
    None."""
    marked = []
    for frame, file_index in zip(frames, files, strict=True):
        # A shallow copy: pandas copies on write, so the sheet's own frame stays as it was.
        frame = frame.copy(deep=False)
        if label is not None:
            frame.insert(0, label, file_index)
        marked.append(frame)
    whole = pd.concat(marked, ignore_index=True) if len(marked) > 1 else marked[0]
    return whole.reset_index(drop=True)


def stacked_fast(
    frames: Sequence[pd.DataFrame], files: Sequence[int], label: str | None
) -> pd.DataFrame | None:
    """`stacked_plain` when the frames (two or more) have the same columns (unique, of
    the same dtype each, without `label`): each column's arrays joined once, as pandas
    joins them, the frame built once. None otherwise."""
    if len(frames) < 2:
        return None
    columns = frames[0].columns
    if not columns.is_unique or label in columns:
        return None
    if any(not frame.columns.equals(columns) for frame in frames[1:]):
        return None
    getters = [_direct(frame) for frame in frames]
    if any(getter is None for getter in getters):
        return None
    lengths = [len(frame) for frame in frames]
    index = pd.RangeIndex(sum(lengths))
    built: dict[Hashable, Any] = {}
    if label is not None:
        counts = np.asarray(lengths, dtype="int64")
        built[label] = np.repeat(np.asarray(files, dtype="int64"), counts)
    for position, key in enumerate(columns):
        arrays = [getter(position) for getter in getters if getter is not None]
        dtype = arrays[0].dtype
        if any(array.dtype != dtype for array in arrays):
            return None  # pandas finds a common dtype: the plain way says which
        joined = joined_arrays(arrays)
        if isinstance(joined, np.ndarray) and joined.dtype.kind == "O":
            # Kept as objects: pandas would make an object array of text `str`.
            joined = pd.Series(joined, index=index, dtype=object, copy=False)
        built[key] = joined
    return pd.DataFrame(built, index=index, copy=False)


def dtype_key(dtype: Any) -> Any:
    """What says two columns are of the same type, so that putting them together keeps it:
    a category's categories in their order (equal dtypes ignore it when unordered)."""
    if isinstance(dtype, pd.CategoricalDtype):
        categories = dtype.categories
        return ("category", dtype.ordered, repr(categories.dtype), tuple(categories))
    return dtype


def joined_arrays(arrays: list[Any]) -> Any:
    """Arrays of one dtype one after the other, as `pd.concat` joins a column's blocks."""
    first = arrays[0]
    if isinstance(first, np.ndarray):
        return np.concatenate(arrays)
    if isinstance(first, pd.Categorical) and all(
        array.dtype is first.dtype or array.categories.equals(first.categories) for array in arrays
    ):
        # The same categories in the same order: the codes mean the same in every array
        # (pandas would check each array's categories against the first's and re-encode).
        codes = np.concatenate([array.codes for array in arrays])
        return pd.Categorical.from_codes(codes, dtype=first.dtype)
    return type(first)._concat_same_type(arrays)


def stacked(
    frames: Sequence[pd.DataFrame], files: Sequence[int], label: str | None
) -> pd.DataFrame:
    fast = stacked_fast(frames, files, label)
    return fast if fast is not None else stacked_plain(frames, files, label)


# ---------------------------------------------------------------------------------------
# Shared rows: the tables of several files kept as rows of one frame


@dataclass(frozen=True)
class SharedRows:
    """A table's rows kept in a frame shared by the tables of several files (issue 14,
    round 14): rows `start` to `stop` of `whole`, on the sheet's own `index`.

    The table's own frame (a view of those rows) is made only when it is asked for
    (`SheetTable.frame`); until then nothing can have changed them, so the run stacks such
    tables from `whole` itself (`stacked_rows`) and sends them to another
    process as it is (`frame_bundle`). Whoever makes one hands `whole` over: it is not
    written again.
    """

    whole: pd.DataFrame
    start: int
    stop: int
    index: pd.Index

    def frame(self) -> pd.DataFrame:
        rows = self.whole.iloc[self.start : self.stop]
        rows.index = self.index
        return rows


Item = TypeVar("Item")


def row_runs(items: Sequence[Item | SharedRows]) -> list[Item | SharedRows]:
    """The items in order, each run of shared rows that follow each other in one shared
    frame made one (`SharedRows` over them all); anything else as it is."""
    runs: list[Item | SharedRows] = []
    for item in items:
        last = runs[-1] if runs else None
        if (
            isinstance(item, SharedRows)
            and isinstance(last, SharedRows)
            and last.whole is item.whole
            and last.stop == item.start
        ):
            runs[-1] = SharedRows(last.whole, last.start, item.stop, last.index)
        else:
            runs.append(item)
    return runs


def row_pieces(items: Sequence[pd.DataFrame | SharedRows]) -> list[pd.DataFrame]:
    """The rows of the items, in order, as few frames to be stacked: each frame as it is,
    and each run of shared rows that follow each other in their shared frame as one
    slice of it (on that frame's index: stacking gives a fresh one)."""
    return [
        run.whole.iloc[run.start : run.stop] if isinstance(run, SharedRows) else run
        for run in row_runs(items)
    ]


def height(item: pd.DataFrame | SharedRows) -> int:
    """How many rows a frame or shared rows have."""
    return item.stop - item.start if isinstance(item, SharedRows) else len(item)


def own_frame(item: pd.DataFrame | SharedRows) -> pd.DataFrame:
    """A frame, or the view shared rows make."""
    return item.frame() if isinstance(item, SharedRows) else item


def stacked_rows(
    items: Sequence[pd.DataFrame | SharedRows], files: Sequence[int], label: str
) -> pd.DataFrame:
    """`stacked` of the items' frames (a `SharedRows`' frame is the view it makes), the
    rows that follow each other in one shared frame taken from it at once
    (`row_pieces`): a run whose tables were kept together is stacked from a few frames,
    not from a frame a file. The plain version is `stacked` of each item's own frame; a
    property test holds the two equal (`tests/test_column_batch.py`)."""
    pieces = row_pieces(items)
    if len(pieces) == len(items):
        # Nothing taken at once: each item's own frame, as `stacked` stacks them.
        return stacked([own_frame(item) for item in items], files, label)
    whole = stacked(pieces, range(len(pieces)), None)
    heights = [height(item) for item in items]
    whole.insert(0, label, np.repeat(np.asarray(files, dtype="int64"), heights))
    return whole


# ---------------------------------------------------------------------------------------
# Framed: a file's table built from its parsed columns


def framed_plain(built: dict[str, Any], index: pd.Index) -> pd.DataFrame:
    """The frame of `built` (Series on `index`, or 1-D numpy arrays) as pandas builds it."""
    return pd.DataFrame(built, index=index, copy=False)


def framed_fast(built: dict[str, Any], index: pd.Index) -> pd.DataFrame | None:
    """`framed_plain` when every Series of `built` is on `index` itself and every other
    value a 1-D numpy array of numbers or booleans, or one of pandas' extension arrays
    (`ColumnPart.stored`), of its length: the arrays handed to
    pandas' block builder without a column set, one by one, checked and inferred again
    (private, as pandas' `DataFrame(dict)` calls it: ~0.25 ms a file's table against
    ~0.1). None otherwise, or when pandas has no such builder."""
    try:
        construction: Any = importlib.import_module("pandas.core.internals.construction")
    except ImportError:
        return None
    arrays_to_mgr = getattr(construction, "arrays_to_mgr", None)
    from_mgr = getattr(pd.DataFrame, "_from_mgr", None)
    if from_mgr is None or arrays_to_mgr is None:
        return None
    arrays: list[Any] = []
    for value in built.values():
        if isinstance(value, pd.Series):
            if value.index is not index:
                return None
            value = value._values
            if len(value) != len(index):
                return None
        elif not framed_keeps(value, len(index)):
            return None
        arrays.append(value)
    if not arrays:
        return None
    manager = arrays_to_mgr(
        arrays, pd.Index(list(built)), index, verify_integrity=False, consolidate=False
    )
    frame: pd.DataFrame = from_mgr(manager, axes=manager.axes)
    return frame


def framed_keeps(value: Any, length: int) -> bool:
    """Whether `framed_fast` makes `value` (not a Series) a column of `length` rows as it
    is: one of pandas' extension arrays, or a 1-D numpy array of numbers or booleans."""
    if _kept_as_given(value):
        return len(value) == length
    return (
        isinstance(value, np.ndarray)
        and value.ndim == 1
        and value.dtype.kind in "biuf"
        and len(value) == length
    )


def _kept_as_given(value: Any) -> bool:
    """An extension array (pandas' own, not a wrapped numpy array): a frame keeps it as
    its column as it is, whichever way it is built."""
    return isinstance(value, pd.api.extensions.ExtensionArray) and not isinstance(
        value, pd.arrays.NumpyExtensionArray
    )


def framed(built: dict[str, Any], index: pd.Index) -> pd.DataFrame:
    fast = framed_fast(built, index)
    return fast if fast is not None else framed_plain(built, index)
