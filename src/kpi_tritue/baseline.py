"""A previous JSON result (`--baseline`) and the change of each indicator since then."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from kpi_tritue.errors import KpiError
from kpi_tritue.results import IndicatorResult


class BaselineError(KpiError):
    """The baseline file cannot be used; the message lists why, one bullet per problem."""


class _PreviousIndicator(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)
    id: str
    value: float | None = None
    status: str | None = None


class _PreviousResult(BaseModel):
    """The part of `kpi compute --format json` that a comparison needs."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    tool: str | None = None
    as_of: date | None = None
    indicators: list[_PreviousIndicator]


@dataclass(frozen=True)
class Baseline:
    path: str
    as_of: date | None
    values: Mapping[str, float | None]

    def delta(self, result: IndicatorResult) -> float | None:
        """value − previous value; None when either is missing (or the id is new)."""
        previous = self.values.get(result.id)
        current = result.measurement.value
        if previous is None or current is None:
            return None
        return current - previous


def load_baseline(path: Path) -> Baseline:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise BaselineError(f"{path}: {error.strerror or error}") from error
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BaselineError(
            f"{path}: không phải JSON của kpi compute --format json "
            f"(not the JSON of kpi compute --format json): {error}"
        ) from error
    try:
        previous = _PreviousResult.model_validate(raw)
    except ValidationError as error:
        bullets = "\n".join(
            f"- {'.'.join(str(p) for p in e['loc']) or '(gốc)'}: {e['msg']}" for e in error.errors()
        )
        raise BaselineError(
            f"{path}: không phải JSON của kpi compute (not a kpi compute result):\n{bullets}"
        ) from error
    return Baseline(
        path=path.as_posix(),
        as_of=previous.as_of,
        values={indicator.id: indicator.value for indicator in previous.indicators},
    )


def deltas(results: Sequence[IndicatorResult], baseline: Baseline) -> dict[str, float | None]:
    return {result.id: baseline.delta(result) for result in results}
