"""A previous JSON result (`--baseline`) and the change of each indicator since then."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from kpi_tritue.contract.text_inputs import INDICATORS_LIMIT, UnsafeInput, shorten
from kpi_tritue.errors import InputError
from kpi_tritue.i18n import Lang, text, validation_message
from kpi_tritue.io.option_files import read_baseline_json
from kpi_tritue.model.results import Baseline, IndicatorResult

# The problems of a JSON that is not a result: the first few say enough.
MAX_ERRORS_SHOWN = 20


class BaselineError(InputError):
    """The baseline file cannot be used: what is wrong (`problem`, or the text key `reason`
    and its `detail`), then one bullet per place, in the user's language."""

    def __init__(
        self,
        path: Path,
        *,
        problem: UnsafeInput | None = None,
        reason: str = "baseline.not_result",
        detail: str = "",
        bullets: Sequence[tuple[str, Mapping[str, object]]] = (),
        total: int = 0,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.line = line
        self.column = column
        self.path = path.as_posix()
        self.problem = problem
        self.reason = reason
        self.detail = detail
        self.bullets = list(bullets)
        self.total = total
        super().__init__("baseline.invalid", path=self.path)

    def message(self, lang: Lang) -> str:
        lines = [text("baseline.invalid", lang, path=self.path)]
        if self.problem is not None:
            lines.append(f"- {self.problem.message(lang)}")
            return "\n".join(lines)
        lines.append(
            text(self.reason, lang, detail=self.detail, line=self.line, column=self.column)
        )
        lines += [f"- {where}: {validation_message(said, lang)}" for where, said in self.bullets]
        if self.total > len(self.bullets):
            more = self.total - len(self.bullets)
            lines.append(text("input.more_errors", lang, count=more, shown=len(self.bullets)))
        return "\n".join(lines)


class _PreviousIndicator(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, allow_inf_nan=False)
    id: str
    value: float | None = None
    status: str | None = None


class _PreviousResult(BaseModel):
    """The part of `kpi compute --format json` that a comparison needs."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    tool: str | None = None
    as_of: date | None = None
    indicators: list[_PreviousIndicator]


def load_baseline(path: Path) -> Baseline:
    """A previous result, from its file (read by `io.option_files.read_baseline_json`)."""
    try:
        raw = read_baseline_json(path)
    except UnsafeInput as problem:
        raise BaselineError(path, problem=problem) from None
    except RecursionError:
        raise BaselineError(path, problem=UnsafeInput("json_too_deep")) from None
    except json.JSONDecodeError as error:
        # Where it stops being JSON, said in the user's language (json's own sentence is
        # English): line and column, as an editor shows them.
        raise BaselineError(
            path, reason="baseline.not_json_at", line=error.lineno, column=error.colno
        ) from None
    except ValueError as error:  # bad UTF-8 from json's own decoding
        raise BaselineError(path, reason="baseline.not_json", detail=shorten(error)) from None
    return baseline_from_json(raw, path)


def baseline_from_json(raw: Any, path: Path) -> Baseline:
    """A previous result from its parsed JSON: the `indicators` (at most
    `INDICATORS_LIMIT`) of a `kpi compute --format json` document."""
    indicators = raw.get("indicators") if isinstance(raw, Mapping) else None
    if isinstance(indicators, list) and len(indicators) > INDICATORS_LIMIT.value:
        raise BaselineError(path, problem=INDICATORS_LIMIT.problem(len(indicators)))
    try:
        previous = _PreviousResult.model_validate(raw)
    except ValidationError as error:
        bullets = []
        for detail in error.errors(include_url=False)[:MAX_ERRORS_SHOWN]:
            where = ".".join(shorten(p, 40) for p in detail["loc"]) or "(root)"
            said = {"type": detail["type"], "msg": detail["msg"], "ctx": detail.get("ctx")}
            bullets.append((where, said))
        raise BaselineError(path, bullets=bullets, total=error.error_count()) from None
    return Baseline(
        path=path.as_posix(),
        as_of=previous.as_of,
        values={indicator.id: indicator.value for indicator in previous.indicators},
    )


def delta(baseline: Baseline, result: IndicatorResult) -> float | None:
    """value − previous value; None when either is missing (or the id is new)."""
    previous = baseline.values.get(result.id)
    current = result.measurement.value
    if previous is None or current is None:
        return None
    change = current - previous
    # Two finite values can still be too far apart for a float (1e308 and -1e308).
    return change if math.isfinite(change) else None


def with_deltas(results: Sequence[IndicatorResult], baseline: Baseline) -> list[IndicatorResult]:
    """The results, each carrying its change since `baseline` (`IndicatorResult.delta`)."""
    return [replace(result, delta=delta(baseline, result)) for result in results]
