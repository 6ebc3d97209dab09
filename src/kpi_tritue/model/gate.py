"""The CI gate's verdict: which indicators fail it, which it skips, whether it passed."""

from __future__ import annotations

from dataclasses import dataclass

from kpi_tritue.model.results import IndicatorResult, Status


@dataclass(frozen=True)
class GateVerdict:
    """Decided once (compute/gate.py) and carried to every renderer of `kpi check`.

    `failed` are the results whose status is in `fail_on`, in the results' order;
    `skipped` the `no_data` ones that do not fail it (JUnit shows them as skipped).
    """

    fail_on: frozenset[Status]
    failed: tuple[IndicatorResult, ...]
    skipped: tuple[IndicatorResult, ...]

    @property
    def passed(self) -> bool:
        return not self.failed
