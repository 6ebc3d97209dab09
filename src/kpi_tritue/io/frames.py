"""Small typed helpers over pandas, so the rest of the code reads plainly under mypy."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import pandas as pd


def at(frame: pd.DataFrame, index: Any, key: Hashable) -> Any:
    """One cell of a frame, typed as what it is: anything (pandas-stubs says a wide union)."""
    return frame.at[index, key]


def item(series: pd.Series, index: Any) -> Any:
    return series.at[index]


def is_missing(value: Any) -> bool:
    return bool(pd.isna(value))


def head_values(column: pd.Series, count: int, start: int = 0) -> list[Any]:
    """`count` values of a column from position `start`, as Python objects (a blank cell:
    None or NaN).

    Through Arrow for the Arrow-backed text the reader gives: pandas' own `tolist` of such
    a column costs as much for twenty values as the rest of reading a small sheet.
    """
    dtype = column.dtype
    if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
        import pyarrow as pa

        values: list[Any] = pa.array(column.array)[start : start + count].to_pylist()
        return values
    return column.iloc[start : start + count].tolist()
