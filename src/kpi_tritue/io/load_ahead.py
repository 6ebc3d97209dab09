"""Reading ahead (issue 14): a workbook's sheets loaded (`Workbook._load`, the same load
`read_sheet` runs) in a worker thread while the caller looks at the workbook before it;
`read_sheet` takes each load (or its error) over.

`PartsAhead` hands a workbook to the caller only once its load has ended (a workbook is
never touched by two threads at once). It serves two levels: the files of one
`read_all_tables` call, and the first file of each report year of `kpi trend` (one
`load_dataset` each), so that a year's gate and parse run while the year before it is
built into frames.

`LoadsAsOpened` keeps the same promise for a run's files as they are opened
(`io/open_take.py`): a file's sheets are loaded from the moment it is opened, while the
caller opens the next ones.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from kpi_tritue.io.reader import Workbook

if TYPE_CHECKING:
    from kpi_tritue.contract.schema import Contract


class OpenedWorkbook(Protocol):
    """What is read ahead of an opened workbook (`io.workbook.OpenedWorkbook`, which
    imports this module): the workbook, and its sheets matched to the contract's."""

    @property
    def workbook(self) -> Workbook: ...

    @property
    def sheet_names(self) -> Mapping[str, str]: ...


# How many parts are loaded ahead at once, each in a thread of its own (0: none, the plain
# read in the caller's thread). Two: while the caller builds one part's frames, the next two
# are gated and parsed (issue 14, round 6, medians of 3 interleaved runs on a quiet 2-core
# machine: 200 files × 1,000 rows 11.2 → 9.4 s; `kpi trend` over 3 × 200,000 rows 18.7 →
# 15.9 s, peak memory 722 → 827 MB, one part more held; 2,000 × 100 rows ~45 → ~43 s). One
# part's load alone kept the caller waiting: its gate and parse took longer than the
# caller's work on the part before.
PARTS_AHEAD = 2


class PartsAhead:
    """Workbooks read one after another (the files of a run; the first file of each report
    year of `kpi trend`), their contract sheets loaded ahead (`Workbook._load`) in worker threads,
    up to `window` parts ahead of the one being read (`PARTS_AHEAD` unless given; 0 reads
    every part plainly, in the caller's thread). `take(i)`, called before part `i` is read,
    starts the loads of the parts up to `i + window` and waits for part `i`'s, so that its
    workbook is the caller's alone from then on: the next part is loaded while this one is
    read.
    Used as a context manager: its threads have ended when the block does.
    """

    def __init__(
        self,
        firsts: Sequence[OpenedWorkbook],
        contract: Contract,
        window: int | None = None,
    ) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self._loads: list[tuple[Workbook, list[str]] | None] = []
        seen: set[int] = set()
        for first in firsts:
            # A workbook is loaded once, by one thread: one met again is not queued.
            if id(first.workbook) in seen:
                self._loads.append(None)
                continue
            seen.add(id(first.workbook))
            self._loads.append((first.workbook, contract_sheets(first, contract)))
        self._window = PARTS_AHEAD if window is None else window
        self._pool = (
            ThreadPoolExecutor(max_workers=self._window, thread_name_prefix="kpi-parts-ahead")
            if self._window > 0
            else None
        )
        self._pending: dict[int, Any] = {}
        self._started = 0

    def take(self, part: int) -> None:
        """Before part `part` is read: the loads ahead started, and this part's ended."""
        if self._pool is None:
            return
        last = min(part + 1 + self._window, len(self._loads))
        while self._started < last:
            load = self._loads[self._started]
            if load is not None:
                self._pending[self._started] = self._pool.submit(_load_all, *load)
            self._started += 1
        pending = self._pending.pop(part, None)
        if pending is not None:
            pending.result()

    def __enter__(self) -> PartsAhead:
        return self

    def __exit__(self, *_: object) -> None:
        try:
            for pending in self._pending.values():
                pending.result()
        finally:
            self._pending.clear()
            if self._pool is not None:
                self._pool.shutdown(wait=True)


class LoadsAsOpened:
    """The workbooks of a run as they are opened (`open_take.open_and_take`): each one's
    sheets loaded (`Workbook._load`) in worker threads (`threads`, `PARTS_AHEAD` unless
    given; 0: none, each sheet then loaded plainly when read) from the moment it is added,
    in the order added, while the caller opens the next. Nothing is held back by a window:
    the run keeps every file's cells to its parse anyway, and the loads stay ahead of the
    caller only while it opens. `take(i)`, before the caller reads the `i`-th workbook
    added, waits for its loads: from then on the workbook is the caller's alone.
    Used as a context manager: its threads have ended when the block does.
    """

    def __init__(self, threads: int | None = None) -> None:
        from concurrent.futures import ThreadPoolExecutor

        count = PARTS_AHEAD if threads is None else threads
        self._pool = (
            ThreadPoolExecutor(max_workers=count, thread_name_prefix="kpi-parts-ahead")
            if count > 0
            else None
        )
        self._pending: list[Any] = []

    def add(self, workbook: Workbook, names: list[str]) -> None:
        """A workbook more, its sheets `names` loaded from now on, in this order; the
        caller does not touch it again before `take`."""
        load = None
        if self._pool is not None and names:
            load = self._pool.submit(_load_all, workbook, names)
        self._pending.append(load)

    def take(self, part: int) -> None:
        """Before the `part`-th workbook added is read: its loads ended."""
        pending, self._pending[part] = self._pending[part], None
        if pending is not None:
            pending.result()

    def __enter__(self) -> LoadsAsOpened:
        return self

    def __exit__(self, *_: object) -> None:
        # Loads not taken (the caller stopped early) are not started; those running end.
        for pending in self._pending:
            if pending is not None:
                pending.cancel()
        self._pending.clear()
        if self._pool is not None:
            self._pool.shutdown(wait=True)


def contract_sheets(workbook: OpenedWorkbook, contract: Contract) -> list[str]:
    """The sheets of `workbook` that `read_all_tables` reads: those of the contract but
    `ThongTin` (read when the workbook was opened)."""
    from kpi_tritue.contract.schema import INFO

    names = workbook.sheet_names
    keys = [spec.key for spec in contract.sheets if spec.key != INFO.key]
    return [names[key] for key in keys if key in names]


def _load_all(workbook: Workbook, names: list[str]) -> None:
    for name in names:
        if name in workbook._loaded or workbook.is_kept(name):
            continue
        try:
            workbook._loaded[name] = workbook._load(name)
        except BaseException as error:  # raised by `read_sheet`, as it would
            workbook._loaded[name] = error
