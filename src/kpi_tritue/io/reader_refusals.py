"""What the reader says of a sheet it does not hand to calamine, and of the legacy sheets
placed before calamine opens them (split from reader.py, which uses them)."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass

from kpi_tritue.contract.limits import LimitHit, Limits
from kpi_tritue.i18n import Amount
from kpi_tritue.io import extent
from kpi_tritue.io.sheet_xml import MergedRange, SheetScan, UnreadableWorkbook


def mended_is_safe(mended: bytes, part: str, limits: Limits) -> bool:
    """The mended sheet placed again: nothing far, nothing without `r`, within the budget."""
    import io

    with zipfile.ZipFile(io.BytesIO(mended)) as archive:
        entry = archive.getinfo(part)
        with archive.open(entry) as stream:
            again = extent.analyse(iter(lambda: stream.read(1 << 20), b""), limits)
    decision = extent.decide(again.stats, again.written, limits)
    return not again.needs_rewrite and again.far_count == 0 and decision.cut_row is None


def refused_cells(decision: extent.Decision | None) -> SheetScan:
    assert decision is not None
    return refused(
        "too_many_cells",
        cell=extent.cell_name(*decision.cell),
        value=Amount(decision.box),
        limit=Amount(decision.budget),
        setting="KPI_MAX_CELLS",
        needed=Amount(decision.needed),
    )


def refused(reason: str, detail: str = "", **params: str | float) -> SheetScan:
    return SheetScan(
        merged=[], has_errors=None, refusal=UnreadableWorkbook(reason, detail, **params)
    )


def refused_limit(hit: LimitHit) -> SheetScan:
    return SheetScan(merged=[], has_errors=None, refusal=limit_error(hit))


def limit_error(hit: LimitHit) -> UnreadableWorkbook:
    return UnreadableWorkbook(
        "limit_exceeded", setting=hit.setting, part=hit.part, value=hit.value, limit=hit.limit
    )


@dataclass(frozen=True)
class Legacy:
    """What placing an .xls or .ods sheet found before calamine opened the workbook."""

    merged: list[MergedRange] | None
    far_cells: tuple[int, str] | None
    refusal: UnreadableWorkbook | None


def legacy_refusal(
    decision: extent.Decision | None,
    repeated: tuple[int, int] | None,
    limits: Limits | None = None,
) -> UnreadableWorkbook | None:
    if repeated is not None and limits is not None:
        row, times = repeated
        return UnreadableWorkbook(
            "repeated_row",
            row=row + 1,
            value=Amount(times),
            limit=Amount(limits.max_repeats),
            setting="KPI_MAX_REPEATS",
        )
    if decision is None or not decision.refused:
        return None
    refusal = refused_cells(decision).refusal
    assert refusal is not None
    return refusal


def quiet_rust_logs() -> None:
    """calamine's warnings (\"xlsx has more than maximum number of rows\"...) reach Python's
    logging through pyo3-log, and from there stderr, raw and in English: the reader says
    what matters in its own issues, so they are dropped here."""
    import logging

    for name in ("calamine", "fastexcel", "zip", "quick_xml"):
        logger = logging.getLogger(name)
        if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
            logger.addHandler(logging.NullHandler())
        logger.propagate = False


def first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
