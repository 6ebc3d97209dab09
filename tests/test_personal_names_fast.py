"""`personal_names._joined_text` (a run's text column cast once) against the plain way
(each file's array cast on its own, `_text_array`, then put together)."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
from hypothesis import given
from hypothesis import strategies as st

from kpi_tritue.io.personal_names import _arrow_text, _joined_text, _text_array

_TEXTS = st.one_of(st.none(), st.sampled_from(["Nguyễn Văn An", "", "HT00123", "Sở Y tế"]))
_DTYPES = st.sampled_from(["object", "string[pyarrow]", "large_string[pyarrow]", "str"])


def _series(values: list[str | None], dtype: str) -> pd.Series:
    if dtype == "large_string[pyarrow]":
        return pd.Series(pd.array(values, dtype=pd.ArrowDtype(pa.large_string())))
    return pd.Series(values, dtype=dtype)


@given(
    st.lists(st.tuples(st.lists(_TEXTS, min_size=0, max_size=6), _DTYPES), min_size=1, max_size=5)
)
def test_a_run_column_cast_once_is_each_file_cast_on_its_own(
    parts: list[tuple[list[str | None], str]],
) -> None:
    columns = [_series(values, dtype) for values, dtype in parts]
    plain = pa.concat_arrays([_text_array(column) for column in columns])
    fast = _joined_text([_arrow_text(column) for column in columns])
    assert fast.type == pa.large_string()
    assert fast.equals(plain)
