"""An indicator's unit and target: small and light, for `kpi indicators` as for the engine.

`Target` is a named tuple rather than a dataclass: `kpi indicators` then does not import
`dataclasses` at all (issue 7 wants it within 1.5 x the start-up of `import typer`).
"""

from __future__ import annotations

from typing import Literal, NamedTuple

Unit = Literal["per_10k", "percent", "milestone", "count"]
TargetOp = Literal[">=", "==", "between"]
# Comparisons with a target, and of two values, allow this much floating error
# (spec/indicators.md).
TOLERANCE = 1e-9


class Target(NamedTuple):
    """`>= value`, `== value`, or `between min and max`, to be met by `year`."""

    op: TargetOp
    year: int
    value: float | None = None
    min: float | None = None
    max: float | None = None

    def to_dict(self) -> dict[str, object]:
        if self.op == "between":
            return {"op": self.op, "min": self.min, "max": self.max, "year": self.year}
        return {"op": self.op, "value": self.value, "year": self.year}


__all__ = ["TOLERANCE", "Target", "TargetOp", "Unit"]
