"""Calamine's cells (an Arrow batch of text columns) as `TextColumns`, and as the pandas
frame `RawSheet.cells` framed from them when it is asked for."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    import pyarrow as pa


def framed(batch: pa.RecordBatch, columns: list[int]) -> pd.DataFrame:
    """The cells as a frame: `TextColumns.frame` when the batch is text columns (see
    `text_columns`), else `framed_plain`."""
    text = text_columns(batch, columns)
    return text.frame() if text is not None else framed_plain(batch, columns)


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


@dataclass(frozen=True)
class TextColumns:
    """A sheet's cells as calamine reads them, before any pandas frame: column index →
    Arrow text column (large strings), all `height` long. What the header search and the
    data rows read (`headers`, `data_rows`), and what `RawSheet.cells` is framed from when
    something asks for the frame of all cells (issue 14: most sheets never need it)."""

    arrays: dict[int, pa.Array]
    height: int

    @property
    def columns(self) -> list[int]:
        return list(self.arrays)

    def __len__(self) -> int:
        return self.height

    def frame(self, start: int = 0, kept: np.ndarray[Any, Any] | None = None) -> pd.DataFrame:
        """The frame `framed_plain` makes of the batch, cut as `data_rows` cuts it:
        `.iloc[start:]`, then `[kept]` (a mask of the rows from `start`) when given. Each
        column is wrapped once as pandas wraps it, the index and labels made as pandas
        makes them; tests/test_fast_paths.py holds both ways equal."""
        import numpy as np
        import pandas as pd

        index = self.rows_index(start, kept)
        taken = self._taken(kept)
        wrapped = [self._wrapped(text, start, taken) for text in self.arrays.values()]
        # The indexes as an `Index` of integers, as `framed_plain` sets them (the frame
        # would make a `RangeIndex` of consecutive ones); from numpy's integers, without
        # pandas inferring the type of a list (half the cost).
        labels = pd.Index(np.fromiter(self.arrays, dtype=np.int64, count=len(self.arrays)))
        from_arrays = getattr(pd.DataFrame, "_from_arrays", None)
        if from_arrays is not None:
            # pandas' own constructor of a frame from its columns' arrays (private, in
            # pandas since 0.23), without the checks of a dict's values: each is an
            # `ArrowStringArray` of the frame's length here. A third of the cost of
            # `DataFrame(dict)`.
            frame: pd.DataFrame = from_arrays(
                wrapped, columns=labels, index=index, verify_integrity=False
            )
            return frame
        frame = pd.DataFrame(dict(zip(self.arrays, wrapped, strict=True)), index=index, copy=False)
        frame.columns = labels
        return frame

    def rows_index(self, start: int = 0, kept: np.ndarray[Any, Any] | None = None) -> pd.Index:
        """The index of `frame(start, kept)`, without the frame."""
        import numpy as np
        import pandas as pd

        index: pd.Index = pd.RangeIndex(self.height)[start:]
        if kept is not None and not kept.all():
            # As `frame[kept]` does: the index's `take` of the rows.
            index = index.take(np.flatnonzero(kept))
        return index

    def column_array(
        self, column: int, start: int = 0, kept: np.ndarray[Any, Any] | None = None
    ) -> Any:
        """The column `column` of `frame(start, kept)` as the frame stores it (an
        `ArrowStringArray`), without the frame."""
        return self._wrapped(self.arrays[column], start, self._taken(kept))

    def arrow_column(self, column: int, start: int = 0, taken: Any = None) -> pa.Array:
        """The Arrow text of `column_array(column, start, kept)`, not wrapped for pandas
        (`taken`: `_taken(kept)`, found once for a sheet's columns)."""
        text = self.arrays[column]
        if start:
            text = text.slice(start)
        return text if taken is None else text.take(taken)

    @staticmethod
    def _taken(kept: np.ndarray[Any, Any] | None) -> Any:
        """The rows `kept` keeps, as Arrow's `take` wants them; None for all."""
        import numpy as np
        import pyarrow as pa

        if kept is None or kept.all():
            return None
        return pa.array(np.flatnonzero(kept), type=pa.int64())

    @staticmethod
    def _wrapped(text: pa.Array, start: int, taken: Any) -> Any:
        """A column's rows from `start` (then those `taken`) wrapped as pandas wraps text."""
        if start:
            text = text.slice(start)
        if taken is not None:
            text = text.take(taken)
        return wrapped_text(text)


def wrapped_text(text: pa.Array) -> Any:
    """Arrow text wrapped as pandas wraps it (an `ArrowStringArray` of `to_pandas`' dtype,
    `_text_dtype`: called where that dtype applies)."""
    import pyarrow as pa
    from pandas.arrays import ArrowStringArray

    return ArrowStringArray(pa.chunked_array([text]), dtype=_text_dtype())  # type: ignore[call-arg]


def text_columns(batch: pa.RecordBatch, columns: list[int]) -> TextColumns | None:
    """The batch as `TextColumns`; None when it is not one `framed_plain` would frame as
    text (no column, a column of another type, fewer indexes than columns, the same index
    twice, pandas not keeping text as Arrow): the caller frames it the plain way."""
    import pyarrow as pa

    width = batch.num_columns
    if width == 0 or len(columns) < width or batch.schema.metadata:
        return None
    if any(kind != pa.string() for kind in batch.schema.types):
        return None
    if _text_dtype() is False:
        return None
    arrays = dict(zip(columns, widened(batch), strict=False))
    if len(arrays) < width:
        return None  # the same index twice: the plain way says what pandas does then
    return TextColumns(arrays, batch.num_rows)


# From this many cells a sheet's columns are widened on several threads (`widened`).
_WIDEN_IN_THREADS_FROM = 2_000_000


def widened(batch: pa.RecordBatch) -> list[pa.Array]:
    """Each column of the batch as large strings (`large_text`), in order.

    A big sheet's columns are widened on up to four threads: `cast` runs without the GIL,
    and on a sheet of 1,048,575 rows it writes 200 MB of new offsets, whose first touch
    is most of its cost (0.31–0.54 s on one thread, 0.15–0.27 s on two cores). A small
    one, in this thread (`widened_plain`). A property test holds both equal.
    """
    import os
    from concurrent.futures import ThreadPoolExecutor

    threads = min(4, os.cpu_count() or 1, batch.num_columns)
    if batch.num_rows * batch.num_columns < _WIDEN_IN_THREADS_FROM or threads < 2:
        return widened_plain(batch)
    with ThreadPoolExecutor(threads, thread_name_prefix="kpi-widen") as pool:
        return list(pool.map(large_text, batch.columns))


def widened_plain(batch: pa.RecordBatch) -> list[pa.Array]:
    """`widened`, one column after the other in this thread."""
    return [large_text(column) for column in batch.columns]


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
