"""The Wilson interval: known values, and the properties any interval of a share must have."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kpi_tritue.compute.stats import Z95, wilson_interval


@st.composite
def counts(draw: st.DrawFn) -> tuple[int, int]:
    n = draw(st.integers(min_value=1, max_value=100_000))
    k = draw(st.integers(min_value=0, max_value=n))
    return k, n


def test_known_values() -> None:
    # 1 of 5 and 0 of 5, as published tables of the Wilson score interval give them.
    low, high = wilson_interval(1, 5)
    assert low == pytest.approx(3.6224, abs=1e-4)
    assert high == pytest.approx(62.4465, abs=1e-4)
    assert wilson_interval(0, 5) == (0.0, pytest.approx(43.4482, abs=1e-4))
    assert wilson_interval(5, 5) == (pytest.approx(56.5518, abs=1e-4), 100.0)
    assert pytest.approx(1.959963984540054) == Z95


def test_a_wider_z_gives_a_wider_interval() -> None:
    narrow = wilson_interval(3, 10, z=1.0)
    wide = wilson_interval(3, 10)
    assert wide[0] < narrow[0] < 30 < narrow[1] < wide[1]


@given(counts())
def test_bounds_lie_within_0_and_100_and_contain_the_share(case: tuple[int, int]) -> None:
    k, n = case
    low, high = wilson_interval(k, n)
    assert 0.0 <= low <= 100 * k / n <= high <= 100.0


@given(counts())
def test_symmetric_when_k_becomes_n_minus_k(case: tuple[int, int]) -> None:
    k, n = case
    low, high = wilson_interval(k, n)
    mirror_low, mirror_high = wilson_interval(n - k, n)
    assert mirror_low == pytest.approx(100.0 - high, abs=1e-9)
    assert mirror_high == pytest.approx(100.0 - low, abs=1e-9)


@given(counts(), st.integers(min_value=2, max_value=50))
def test_narrows_as_n_grows_at_the_same_share(case: tuple[int, int], times: int) -> None:
    k, n = case
    low, high = wilson_interval(k, n)
    more_low, more_high = wilson_interval(k * times, n * times)
    assert more_high - more_low < high - low


@given(counts())
def test_only_a_count_of_zero_or_all_touches_the_ends(case: tuple[int, int]) -> None:
    k, n = case
    low, high = wilson_interval(k, n)
    assert (low == 0.0) == (k == 0)
    assert (high == 100.0) == (k == n)


@pytest.mark.parametrize(
    ("k", "n", "z"),
    [(1, 0, Z95), (-1, 5, Z95), (6, 5, Z95), (1, 5, 0.0), (float("nan"), 5, Z95)],
)
def test_refuses_what_is_not_a_share(k: float, n: float, z: float) -> None:
    with pytest.raises(ValueError, match="must be"):
        wilson_interval(k, n, z)
