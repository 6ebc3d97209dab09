"""Reading ahead across the files of a run: the next workbook's sheets loaded while the
current one is looked at (issue 14). The same `Workbook._load` that `read_sheet` runs,
started earlier in one worker thread; `read_sheet` takes each load (or its error) over.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kpi_tritue.io.reader import Workbook


class LoadAhead:
    """The sheets of the next workbook of a run loaded (`Workbook._load`: the XML scanned,
    the cells parsed by calamine, which releases the GIL) in one worker thread, while the
    caller builds the frames of the current one; `read_sheet` takes each load over as it
    takes over the one `prefetch` made, or the error it raised. Used as a context manager:
    its thread has ended when the block does.
    """

    def __init__(self) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kpi-load-ahead")
        self._pending: Any = None

    def start(self, workbook: Workbook, names: Sequence[str]) -> None:
        """Load `names` of `workbook` in the thread, once the load started before is done."""
        self.wait()
        self._pending = self._pool.submit(_load_all, workbook, list(names))

    def wait(self) -> None:
        pending, self._pending = self._pending, None
        if pending is not None:
            pending.result()

    def __enter__(self) -> LoadAhead:
        return self

    def __exit__(self, *_: object) -> None:
        try:
            self.wait()
        finally:
            self._pool.shutdown(wait=True)


def _load_all(workbook: Workbook, names: list[str]) -> None:
    for name in names:
        if name in workbook._loaded or workbook.is_kept(name):
            continue
        try:
            workbook._loaded[name] = workbook._load(name)
        except BaseException as error:  # raised by `read_sheet`, as it would
            workbook._loaded[name] = error
