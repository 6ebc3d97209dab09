"""An indicator's unit and target: small and light, for `kpi indicators` as for the engine."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Unit = Literal["per_10k", "percent", "milestone", "count"]
TargetOp = Literal[">=", "==", "between"]


@dataclass(frozen=True)
class Target:
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


__all__ = ["Target", "TargetOp", "Unit"]
