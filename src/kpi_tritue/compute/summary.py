"""What a report says first: how many indicators are in each status."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from kpi_tritue.model.results import IndicatorResult, Status, StatusTally


def tally(results: Iterable[IndicatorResult]) -> StatusTally:
    """The number of `results` in each status (every status present, 0 where none)."""
    found = Counter(result.measurement.status for result in results)
    return StatusTally({status: found[status] for status in Status})


__all__ = ["tally"]
