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
