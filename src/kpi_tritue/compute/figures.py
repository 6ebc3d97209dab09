"""The `SoLieu` figures, and the choice of one for the report year.

A figure measure takes the province row of the report year; else the sum of its area
rows of that year; else, when the catalog allows earlier years, the same for the latest
earlier year that has either (spec/input-format.md). Each figure keeps the rows it was
taken from, so that a note, an issue and `kpi explain` can point back to them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from kpi_tritue.catalog.measures import (
    FigureMeasure,
    FigurePart,
    Measure,
    iter_measures,
    metric_code,
)
from kpi_tritue.compute.masks import matching_keys
from kpi_tritue.contract.bookkeeping import ROW
from kpi_tritue.contract.schema import FIGURES, METRIC
from kpi_tritue.i18n import Amount
from kpi_tritue.io.dataset import Dataset
from kpi_tritue.io.tables import FILE
from kpi_tritue.model.issues import Issue, ParamValue, Severity
from kpi_tritue.model.results import Note
from kpi_tritue.model.targets import TOLERANCE


@dataclass(frozen=True)
class FigureRow:
    """One `SoLieu` row behind a figure: where it is and what it says."""

    file: int
    row: int
    area: str | None
    value: float


@dataclass(frozen=True)
class Figure:
    """A figure chosen for the report year: its value and the rows it was taken from."""

    value: float
    year: int
    parts: tuple[FigureRow, ...]

    @property
    def file(self) -> int:
        return self.parts[0].file

    @property
    def row(self) -> int:
        return self.parts[0].row


class Figures:
    """The `SoLieu` rows, and the choice of a figure for the report year.

    Province row of year Y; else the sum of the area rows of Y; else the same for the
    latest earlier year that has either.
    """

    def __init__(self, dataset: Dataset) -> None:
        self.year = dataset.report_year
        self.table = dataset.table(FIGURES.key)
        columns = ["metric", "value", "year", "area", "area_key", "file", "row"]
        if self.table is None or self.table.frame.empty:
            self.rows = pd.DataFrame(columns=columns)
            return
        frame = self.table.frame
        area = (
            frame["area"].astype("object")
            if "area" in frame
            else pd.Series(pd.NA, index=frame.index, dtype="object")
        )
        rows = pd.DataFrame(
            {
                "metric": frame["metric"].astype("object"),
                "value": frame["value"].astype("Float64"),
                "year": frame["year"].astype("Int64"),
                "area": area,
                "area_key": matching_keys(area).fillna(""),
                "file": frame[FILE],
                "row": frame[ROW],
            }
        )
        usable = rows["metric"].notna() & rows["value"].notna() & rows["year"].notna()
        rows = rows[usable.to_numpy(dtype=bool)]
        rows = rows.astype({"value": "float64", "year": "int64"})
        rows = rows[rows["year"] <= self.year]
        # The same metric, year and area twice is an error already reported: use the first.
        rows = rows.drop_duplicates(["metric", "year", "area_key"], keep="first")
        self.rows = rows.sort_values(["metric", "year", "area_key"], kind="stable")

    def _of(self, metric: str, earlier: bool) -> pd.DataFrame:
        rows = self.rows[self.rows["metric"] == metric]
        return rows if earlier else rows[rows["year"] == self.year]

    def province(self, metric: str, earlier: bool) -> Figure | None:
        rows = self._of(metric, earlier)
        if rows.empty:
            return None
        year = int(rows["year"].max())
        rows = rows[rows["year"] == year]
        whole = rows[rows["area_key"] == ""]
        chosen = whole if not whole.empty else rows
        # fsum: the sum of area rows does not depend on their order.
        total = math.fsum(float(v) for v in chosen["value"])
        return Figure(total, year, _figure_rows(chosen))

    def area(self, metric: str, key: str, earlier: bool) -> Figure | None:
        rows = self._of(metric, earlier)
        rows = rows[rows["area_key"] == key]
        if rows.empty:
            return None
        latest = rows.sort_values("year", kind="stable").iloc[[-1]]
        return Figure(
            float(latest["value"].iloc[0]), int(latest["year"].iloc[0]), _figure_rows(latest)
        )

    def area_keys(self, metric: str, earlier: bool) -> set[str]:
        keys = self._of(metric, earlier)["area_key"]
        return {str(key) for key in keys if key}

    def mismatches(self, dataset: Dataset) -> list[Issue]:
        """A province row that differs from the sum of its area rows: a warning."""
        if self.table is None or self.rows.empty:
            return []
        by_year = ["metric", "year"]
        areas = self.rows[self.rows["area_key"] != ""].groupby(by_year)["value"].sum()
        whole = self.rows[self.rows["area_key"] == ""].set_index(by_year)
        both = whole.join(areas.rename("total"), how="inner")
        scale = np.maximum(1.0, both["value"].abs())
        differs = both[(both["value"] - both["total"]).abs() > TOLERANCE * scale]
        issues = []
        for record in differs.reset_index().to_dict("records"):
            issues.append(
                self.issue(
                    dataset,
                    Severity.WARNING,
                    "figure_total_differs",
                    int(record["file"]),
                    int(record["row"]),
                    metric=METRIC.label(str(record["metric"]), "vi"),
                    year=int(record["year"]),
                    value=Amount(record["value"]),
                    total=Amount(record["total"]),
                )
            )
        return issues

    def issue(
        self,
        dataset: Dataset,
        severity: Severity,
        code: str,
        file: int,
        row: int,
        **params: ParamValue,
    ) -> Issue:
        assert self.table is not None
        return Issue(
            severity,
            code,
            file=dataset.sources[file].path if file < len(dataset.sources) else None,
            sheet=self.table.sheet_names.get(file),
            row=row,
            column=FIGURES.column("value").header,
            cell=self.table.cell(file, "value", row),
            params=params,
        )


def _figure_rows(rows: pd.DataFrame) -> tuple[FigureRow, ...]:
    return tuple(
        FigureRow(int(file), int(row), None if key == "" else str(area), float(value))
        for file, row, area, key, value in zip(
            rows["file"], rows["row"], rows["area"], rows["area_key"], rows["value"], strict=True
        )
    )


# ---------------------------------------------------------------------------------------
# Figures as they go into an amount


@dataclass(frozen=True)
class FigureUse:
    """A figure measure as it went into an amount: the figure found, or its default.

    A part of a figure (`part_of`: the total's metric) counts at its own `weight` instead
    of the total's `total_weight`: its amount is value × (weight − total_weight).
    """

    metric: str
    weight: float
    figure: Figure | None
    default: float | None
    part_of: str | None = None
    total_weight: float = 0.0


@dataclass
class Trace:
    """The figures that went into one measurement, and those of an earlier year."""

    earlier: list[tuple[str, Figure]] = field(default_factory=list)
    used: list[FigureUse] = field(default_factory=list)

    def note(self) -> Note | None:
        if not self.earlier:
            return None
        used = list(dict.fromkeys((metric, figure.year) for metric, figure in self.earlier))
        return Note(
            "figure_earlier_year",
            {
                "metrics": ",".join(metric for metric, _ in used),
                "years": ",".join(str(year) for _, year in used),
            },
        )


def metric_of(measure: FigureMeasure | FigurePart) -> str:
    code = metric_code(measure.figure)
    assert code is not None  # checked when the catalog was loaded
    return code


def figure_codes(*measures: Measure | None) -> list[str]:
    """The `SoLieu` metrics of every figure in `measures` (its parts after it), in order."""
    return [
        code
        for top in measures
        if top is not None
        for m in iter_measures(top)
        if isinstance(m, FigureMeasure)
        for code in (metric_of(m), *(metric_of(part) for part in m.parts))
    ]


__all__ = ["Figure", "FigureRow", "FigureUse", "Figures", "Trace", "figure_codes", "metric_of"]
