"""Small-number statistics: how far a share counted over few people can be trusted."""

from __future__ import annotations

import math
from dataclasses import replace

from kpi_tritue.model.results import IndicatorResult, Measurement

# A share of people counted over fewer people than this is marked: it moves a lot with
# one person more or less, and should not be over-read.
SMALL_DENOMINATOR = 30

# The two-sided 95 % normal quantile, Φ⁻¹(0.975).
Z95 = 1.959963984540054


def wilson_interval(k: float, n: float, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of the proportion k/n, in percent (0–100).

    Wilson rather than the textbook `p ± z·√(p(1−p)/n)`: it stays inside 0–100 and does
    not collapse to a single point at 0 of 5 or 5 of 5, which is where small denominators
    mislead. The result is exactly mirrored under k → n − k.
    """
    if not (math.isfinite(k) and math.isfinite(n) and math.isfinite(z)):
        raise ValueError("k, n and z must be finite numbers")
    if n <= 0:
        raise ValueError(f"n must be positive, not {n!r}")
    if not 0 <= k <= n:
        raise ValueError(f"k must be between 0 and n ({n!r}), not {k!r}")
    if z <= 0:
        raise ValueError(f"z must be positive, not {z!r}")
    if k > n - k:
        # Computed from the smaller count and mirrored, so the symmetry holds to the bit.
        low, high = wilson_interval(n - k, n, z)
        return 100.0 - high, 100.0 - low
    p = k / n
    z2 = z * z
    denominator = 1.0 + z2 / n
    centre = (p + z2 / (2.0 * n)) / denominator
    half = z * math.sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n)) / denominator
    if 2 * k == n:
        # p = ½: the interval is centred on 50 %, whatever rounding does to `centre`.
        low = 100.0 * max(0.0, 0.5 - half)
        return low, 100.0 - low
    low = 0.0 if k == 0 else max(0.0, min(p, centre - half))
    high = min(1.0, max(p, centre + half))
    return 100.0 * low, 100.0 * high


def people_share(measurement: Measurement) -> Measurement:
    """The measurement of a share of people (a percentage of rows of `NhanSu`), with the
    95 % Wilson interval of its value (`ci95`, None when there is no count to read it
    from) and the mark of a denominator under `SMALL_DENOMINATOR` people (`small`)."""
    k, n = measurement.numerator, measurement.denominator
    interval = None
    if k is not None and n is not None and n > 0 and 0 <= k <= n:
        interval = wilson_interval(k, n)
    small = n is not None and 0 < n < SMALL_DENOMINATOR
    return replace(measurement, ci95=interval, small=small)


def with_people_share_stats(result: IndicatorResult) -> IndicatorResult:
    """`result`, a share of people, with `people_share` applied to it and to each group."""
    breakdown = result.breakdown
    if breakdown is not None:
        breakdown = tuple(
            replace(group, measurement=people_share(group.measurement)) for group in breakdown
        )
    return replace(result, measurement=people_share(result.measurement), breakdown=breakdown)


__all__ = [
    "SMALL_DENOMINATOR",
    "Z95",
    "people_share",
    "wilson_interval",
    "with_people_share_stats",
]
