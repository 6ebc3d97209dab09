"""Workbooks for the engine tests: people as keyword arguments, sheets as a person types them."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from builders import write_workbook
from kpi_tritue.catalog.model import Catalog
from kpi_tritue.catalog.reading import load_catalog
from kpi_tritue.compute.engine import Computation, GroupBy, compute
from kpi_tritue.contract.schema import FIGURES, MILESTONES, SPECIALIST_TEAMS, UNITS, WORKFORCE
from kpi_tritue.io.dataset import Dataset, load_dataset
from kpi_tritue.model.results import IndicatorResult

AS_OF = date(2024, 12, 31)
CATALOG = load_catalog()

# Every workforce column but the name, in the order of the form.
ALL_COLUMNS: tuple[str, ...] = tuple(c.key for c in WORKFORCE.columns if c.key != "full_name")
_ids = itertools.count(1)


def person(**values: Any) -> dict[str, Any]:
    """One row of NhanSu: an active provincial public employee of the health sector by default.

    Bool columns take True/False; True is written as `x`, False as a blank cell.
    """
    row: dict[str, Any] = {
        "id": f"P{next(_ids):05d}",
        "unit": "Sở Y tế",
        "level": "Tỉnh",
        "sector": "Y tế",
        "category": "Viên chức",
        "birth_date": "15/03/1985",
        "qualification": "Đại học",
    }
    row.update(values)
    return row


def doctor(**values: Any) -> dict[str, Any]:
    values.setdefault("profession", "Bác sĩ")
    return person(**values)


def teacher(school_level: str, **values: Any) -> dict[str, Any]:
    values.setdefault("sector", "Giáo dục")
    values.setdefault("unit", "Sở Giáo dục và Đào tạo")
    values.setdefault("profession", "Giáo viên")
    return person(school_level=school_level, **values)


def leader(**values: Any) -> dict[str, Any]:
    values.setdefault("is_manager", True)
    return person(**values)


def _cell(value: Any) -> Any:
    if value is True:
        return "x"
    if value is False:
        return None
    return value


@dataclass
class Book:
    """The sheets of one workbook; `columns` are the NhanSu columns written (others absent)."""

    people: Sequence[Mapping[str, Any]] = field(default_factory=list)
    columns: Sequence[str] = ALL_COLUMNS
    figures: Sequence[tuple[str, float, int | None, str | None]] | None = None
    units: Sequence[Mapping[str, Any]] | None = None
    unit_columns: Sequence[str] | None = None
    teams: Sequence[tuple[str, int]] | None = None
    milestones: Sequence[tuple[str, str]] | None = None

    def sheets(self) -> dict[str, list[list[Any]]]:
        header = [WORKFORCE.column(key).header for key in self.columns]
        rows = [[_cell(p.get(key)) for key in self.columns] for p in self.people]
        sheets = {WORKFORCE.name: [header, *rows]}
        if self.figures is not None:
            figure_header = [FIGURES.column(k).header for k in ("metric", "value", "year", "area")]
            sheets[FIGURES.name] = [figure_header, *[list(row) for row in self.figures]]
        if self.units is not None:
            keys = list(self.unit_columns or [c.key for c in UNITS.columns])
            unit_rows = [[_cell(u.get(key)) for key in keys] for u in self.units]
            sheets[UNITS.name] = [[UNITS.column(k).header for k in keys], *unit_rows]
        if self.teams is not None:
            sheets[SPECIALIST_TEAMS.name] = [
                [SPECIALIST_TEAMS.column(k).header for k in ("specialty", "teams")],
                *[list(row) for row in self.teams],
            ]
        if self.milestones is not None:
            sheets[MILESTONES.name] = [
                [MILESTONES.column(k).header for k in ("milestone", "state")],
                *[list(row) for row in self.milestones],
            ]
        return sheets

    def write(self, path: Path) -> Path:
        return write_workbook(path, self.sheets())


def load(paths: Path | Iterable[Path], as_of: date = AS_OF) -> Dataset:
    given = [paths] if isinstance(paths, Path) else list(paths)
    return load_dataset([str(p) for p in given], as_of=as_of)


def run(
    folder: Path,
    book: Book,
    *,
    as_of: date = AS_OF,
    by: GroupBy | None = None,
    catalog: Catalog = CATALOG,
    name: str = "data.xlsx",
) -> Computation:
    dataset = load(book.write(folder / name), as_of=as_of)
    assert not dataset.has_errors, [
        i.message("en") for i in dataset.issues if i.severity == "error"
    ]
    return compute(dataset, catalog, by=by)


def result(folder: Path, book: Book, indicator: str, **options: Any) -> IndicatorResult:
    return run(folder, book, **options).result(indicator)


def figures(
    values: Mapping[str, float], year: int | None = None
) -> list[tuple[str, float, int | None, str | None]]:
    """SoLieu rows for the whole province."""
    return [(metric, value, year, None) for metric, value in values.items()]
