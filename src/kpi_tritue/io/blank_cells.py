"""Cells of nothing but white space read as blank: the reader's rule, applied in Arrow.

calamine (through fastexcel's `whitespace_as_null`) reads a text cell empty or made only of
white space as a blank (null). `Workbook` asks calamine for the cells as they are and
applies the same rule here, column by column, when the sheet is read (`read_sheet`, in
the command's thread: Arrow's functions import pandas, which a read ahead must not): in
calamine it cost 0.35 s of a single thread on a sheet of 1,048,575 rows (5.27–5.46 s
against 4.91–5.11 s), here about 1 ms a column of 200,000 rows, in Arrow and, for a big
sheet, on several threads (`batch_blanks_as_null`).

The plain version is calamine's own (`whitespace_as_null=True`, which the read that
reports error cells still uses); `tests/test_fast_paths.py` reads generated sheets both
ways and holds them equal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyarrow as pa

# What calamine's reader takes for white space: Rust's `char::is_whitespace`, the Unicode
# `White_Space` property (not Python's `str.isspace`, which adds `\x1c`–`\x1f`).
WHITE_SPACE = (
    "\t\n\x0b\x0c\r \x85\xa0\u1680"
    "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)


def is_blank_text(text: str) -> bool:
    """The rule, one text at a time: empty, or nothing but white space."""
    return not text.strip(WHITE_SPACE)


def blanks_as_null(array: pa.Array) -> pa.Array:
    """A text array with its blank texts (`is_blank_text`) made null; any other array, or
    one without a blank text, as it is (no copy).

    Arrow finds the texts that may be blank, without the GIL: empty ones and those its
    `utf8_is_space` calls white space (Python's `str.isspace`: the set above and
    `\\x1c`–`\\x1f`); only those are then looked at here, each distinct one once.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if array.type not in (pa.string(), pa.large_string()) or not len(array):
        return array
    maybe = pc.or_(pc.utf8_is_space(array), pc.equal(pc.binary_length(array), 0))
    positions = pc.indices_nonzero(pc.fill_null(maybe, False))
    if not len(positions):
        return array
    # Each distinct candidate looked at once (a column of a million spaces is one text).
    texts = array.take(positions)
    blanks = [text for text in pc.unique(texts).to_pylist() if is_blank_text(text)]
    if not blanks:
        return array
    hit = pc.is_in(texts, value_set=pa.array(blanks, type=array.type))
    mask = np.zeros(len(array), dtype=bool)
    mask[positions.filter(hit).to_numpy()] = True
    return pc.if_else(pa.array(mask), pa.nulls(len(array), array.type), array)


def batch_blanks_as_null(batch: pa.RecordBatch) -> pa.RecordBatch:
    """`blanks_as_null` of every column of a batch (its schema kept); a big batch's
    columns on up to four threads, as `arrow_frames.widened` widens them."""
    import os

    import pyarrow as pa

    threads = min(4, os.cpu_count() or 1, batch.num_columns)
    if batch.num_rows * batch.num_columns < _IN_THREADS_FROM or threads < 2:
        columns = [blanks_as_null(column) for column in batch.columns]
    else:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(threads, thread_name_prefix="kpi-blanks") as pool:
            columns = list(pool.map(blanks_as_null, batch.columns))
    # A column that now has blanks is one that may (as calamine's schema says it).
    fields = [
        field if column is given else field.with_nullable(True)
        for field, column, given in zip(batch.schema, columns, batch.columns, strict=True)
    ]
    return pa.RecordBatch.from_arrays(columns, schema=pa.schema(fields, batch.schema.metadata))


# A sheet whose XML declares this many bytes (about 7,000 rows of `NhanSu`) has its blank
# cells made null here; a smaller one by calamine, for which Arrow's calls (~50 µs a
# column) cost more than calamine's rule (~15 ns a cell).
IN_ARROW_FROM = 4 << 20

# From this many cells a batch's columns are looked at on several threads.
_IN_THREADS_FROM = 2_000_000
