"""Calamine's cells (an Arrow batch of text columns) as the pandas frame `RawSheet.cells`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa


def framed(batch: pa.RecordBatch, columns: list[int]) -> pd.DataFrame:
    """The cells as a frame: `framed_direct` when it applies, else `framed_plain`."""
    return framed_with_arrays(batch, columns)[0]


def framed_with_arrays(
    batch: pa.RecordBatch, columns: list[int]
) -> tuple[pd.DataFrame, dict[int, pa.Array] | None]:
    """`framed`, and when the direct way applies the Arrow text column (large strings)
    under each column of the frame, by its index: what the header search and the data
    rows read a sheet's cells from without a pandas Series a column (`RawSheet.arrays`)."""
    direct = _direct(batch, columns)
    return direct if direct is not None else (framed_plain(batch, columns), None)


def framed_plain(batch: pa.RecordBatch, columns: list[int]) -> pd.DataFrame:
    import pandas as pd

    cells: pd.DataFrame = batch.to_pandas()
    cells.columns = pd.Index(columns[: len(cells.columns)])
    return cells


# The speed trick of `framed` (issue 14), beside the plain version it replaces: pyarrow's
# `to_pandas` hands the columns to its thread pool, whose threads spin: about 10 ms of CPU
# for a sheet of 1,000 rows that takes 2.5 ms to wrap (a quarter of `kpi compute`'s CPU on
# 200 files), and more on a busy machine.
# Every column calamine gives here is text (`dtypes="string"`), and pandas keeps text as
# Arrow: each column is wrapped as pandas would wrap it, without the rest.
# tests/test_fast_paths.py checks on generated batches that both give the same frame.
_TEXT_DTYPE: Any = None


def _text_dtype() -> Any:
    """The dtype `to_pandas` gives a text column, when pandas keeps text as Arrow; else
    False (the direct way does not apply)."""
    global _TEXT_DTYPE
    if _TEXT_DTYPE is None:
        import pandas as pd
        import pyarrow as pa

        dtype = pa.array(["a", None], type=pa.string()).to_pandas().dtype
        arrow = isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"
        _TEXT_DTYPE = dtype if arrow else False
    return _TEXT_DTYPE


def framed_direct(batch: pa.RecordBatch, columns: list[int]) -> pd.DataFrame | None:
    """`framed_plain` for a batch of text columns, each column wrapped once; None when the
    batch is not one (no column, a column of another type, fewer indexes than columns)."""
    direct = _direct(batch, columns)
    return direct[0] if direct is not None else None


def _direct(
    batch: pa.RecordBatch, columns: list[int]
) -> tuple[pd.DataFrame, dict[int, pa.Array]] | None:
    import pyarrow as pa

    width = batch.num_columns
    if width == 0 or len(columns) < width or batch.schema.metadata:
        return None
    if any(kind != pa.string() for kind in batch.schema.types):
        return None
    dtype = _text_dtype()
    if dtype is False:
        return None
    import pandas as pd
    from pandas.arrays import ArrowStringArray

    wrapped: dict[int, Any] = {}
    arrays: dict[int, pa.Array] = {}
    for position in range(width):
        text = large_text(batch.column(position))
        arrays[columns[position]] = text
        wrapped[columns[position]] = ArrowStringArray(pa.chunked_array([text]), dtype=dtype)  # type: ignore[call-arg]
    if len(wrapped) < width:
        return None  # the same index twice: the plain way says what pandas does then
    # The indexes as an `Index` of integers, as `framed_plain` sets them (the frame would
    # make a `RangeIndex` of consecutive ones).
    labels = pd.Index(columns[:width])
    index = pd.RangeIndex(batch.num_rows)
    from_arrays = getattr(pd.DataFrame, "_from_arrays", None)
    if from_arrays is not None:
        # pandas' own constructor of a frame from its columns' arrays (private, in pandas
        # since 0.23), without the checks of a dict's values: each is an `ArrowStringArray`
        # of the frame's length here. A third of the cost of `DataFrame(dict)`.
        frame: pd.DataFrame = from_arrays(
            list(wrapped.values()), columns=labels, index=index, verify_integrity=False
        )
        return frame, arrays
    frame = pd.DataFrame(wrapped, index=index, copy=False)
    frame.columns = labels
    return frame, arrays


# Past this many rows `cast` is the faster (its kernel beats numpy's copy of the offsets).
_WIDENED_UP_TO = 4096


def large_text(text: pa.Array) -> pa.Array:
    """A string array as large strings: `cast`, or when the array has its data buffer,
    its offsets widened in numpy and the other buffers shared (pyarrow's `cast` costs
    ~20 µs a column through its Python layer, a sheet's dozen columns ~0.25 ms)."""
    import numpy as np
    import pyarrow as pa

    # Only a `string` array has 32-bit offsets to widen (a `large_string` or a column of
    # nulls alone has not): any other goes through `cast`.
    if text.type != pa.string() or len(text) > _WIDENED_UP_TO:
        return text.cast(pa.large_string())
    validity, offsets, data = text.buffers()
    if offsets is None or data is None:
        return text.cast(pa.large_string())
    wide = np.frombuffer(offsets, dtype=np.int32, count=text.offset + len(text) + 1)
    return pa.Array.from_buffers(
        pa.large_string(),
        len(text),
        [validity, pa.py_buffer(wide.astype(np.int64)), data],
        null_count=text.null_count,
        offset=text.offset,
    )
