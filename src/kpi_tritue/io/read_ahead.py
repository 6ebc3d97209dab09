"""Reading ahead: the one speed trick of the reader (`io/reader.py`), beside the plain read
it runs earlier.

Plain: `Workbook.open(path)` then `read_sheet(name)`, in the caller's thread. Ahead
(`prefetch`): the same `Workbook(path)` and `_load(name)` of the workforce sheet, started
in a thread while the command imports pandas, pydantic and the rest (calamine, the
inflating and the gate's matcher release the GIL, so they overlap); `read_sheet` then only
builds the frame. The sheet is gated while calamine opens the workbook (`_GateAhead`,
`_Opening`). What the thread found, a workbook or an error, is handed over as found
(`opened`); tests/test_fast_paths.py checks on generated workbooks that both ways
give the same sheet, or the same error.

Nothing here interprets the contract beyond knowing which sheet is worth starting to parse
early (by its name alone, `contract.sheet_names`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from kpi_tritue.io import extent
from kpi_tritue.io.reader import WORKBOOK_SUFFIXES, LoadedSheet, Workbook
from kpi_tritue.io.scan_beside import ScanBeside
from kpi_tritue.io.sheet_xml import SheetScan


class _Opening:
    """`Workbook.open_reader` run in a thread of its own."""

    def __init__(self, workbook: Workbook) -> None:
        self._error: BaseException | None = None
        self._thread = threading.Thread(
            target=self._run, args=(workbook,), name="kpi-read-ahead-open"
        )
        self._thread.start()

    def _run(self, workbook: Workbook) -> None:
        try:
            workbook.open_reader()
        except BaseException as error:  # raised in the read-ahead's thread, by `end`
            self._error = error

    def end(self) -> BaseException | None:
        self._thread.join()
        return self._error


class _GateAhead:
    """A sheet gated (`Workbook._scan_parts`) before calamine has opened its workbook."""

    def __init__(self, workbook: Workbook, name: str) -> None:
        self._workbook = workbook
        self._name = name
        self._outcome: tuple[SheetScan, ScanBeside | None] | BaseException
        try:
            self._outcome = workbook._scan_parts(name, beside=True)
        except BaseException as error:  # raised by `read_sheet`, as it would
            self._outcome = error

    def loaded(self, name: str) -> LoadedSheet | BaseException | None:
        """The sheet `name` parsed after its gate; None (the scan dropped) when the sheet
        gated is another."""
        if name != self._name:
            self.cancel()
            return None
        if isinstance(self._outcome, BaseException):
            return self._outcome
        try:
            return self._workbook._parse_scanned(name, *self._outcome)
        except BaseException as error:  # raised by `read_sheet`, as it would
            return error

    def cancel(self) -> None:
        if not isinstance(self._outcome, BaseException) and self._outcome[1] is not None:
            self._outcome[1].cancel()


def _load_or_error(workbook: Workbook, name: str) -> LoadedSheet | BaseException:
    try:
        return workbook._load(name)
    except BaseException as error:  # raised by `read_sheet`, as it would
        return error


class _ReadAhead:
    """A workbook being opened, and its workforce sheet loaded, in a thread of its own.

    The thread is not a daemon: even if nobody waits for it, the interpreter does before it
    shuts down, as a native thread still parsing at shutdown would abort it (exit 134).
    """

    def __init__(self, path: Path, pick: Callable[[str], bool]) -> None:
        self.key = path.resolve()
        # The size and time of the file read: a file changed since is read again.
        self.signature = _signature(self.key)
        self._outcome: Workbook | BaseException | None = None
        # Set once the sheet's gate has ended, or the thread has.
        self.gated = threading.Event()
        # The thread opens the path made absolute now, as the working folder may change
        # before it runs (tests do); not resolved, so that a link keeps its own name in
        # what is said of the file, as in the plain read.
        self._thread = threading.Thread(
            target=self._run, args=(path.absolute(), pick), name="kpi-read-ahead"
        )
        self._thread.start()

    def _run(self, path: Path, pick: Callable[[str], bool]) -> None:
        try:
            workbook = Workbook(path, open_reader=False)
            self._outcome = self._gated_while_opening(workbook, pick)
        except BaseException as error:  # raised by `opened`, as `Workbook()` would
            self._outcome = error
        finally:
            self.gated.set()

    def _gated_while_opening(self, workbook: Workbook, pick: Callable[[str], bool]) -> Workbook:
        """The workbook opened by calamine in a thread of its own while the sheet picked
        is gated here (found by its name in workbook.xml), then parsed: the gate of a big
        sheet does not wait for calamine to read the shared strings first. What the
        opening raises is raised, as `Workbook()` would; the gate's outcome is used for
        the sheet calamine names alike only, else that sheet is loaded the plain way."""
        opening = _Opening(workbook)
        try:
            name = next((name for name in workbook.part_names if pick(name)), None)
            gate = None if name is None else _GateAhead(workbook, name)
            self.gated.set()
        finally:
            failed = opening.end()
        try:
            if failed is not None:
                raise failed
            for name in workbook.sheet_names:
                if pick(name):
                    loaded = gate.loaded(name) if gate is not None else None
                    gate = None
                    workbook._loaded[name] = loaded or _load_or_error(workbook, name)
                    break
        finally:
            if gate is not None:
                gate.cancel()
        return workbook

    def is_of(self, path: Path) -> bool:
        return self.key == path.resolve() and self.signature == _signature(self.key)

    def finish(self) -> Workbook | BaseException:
        """What the thread found, once it has ended."""
        self._thread.join()
        assert self._outcome is not None
        return self._outcome


# The workbooks read ahead for the command being run, if any.
_ahead: tuple[_ReadAhead, ...] = ()


def opened(path: Path) -> Workbook:
    """The workbook at `path`: the one `prefetch` read ahead, once its thread has ended,
    if it was of this file as it is now; else opened here (`Workbook(path)`).

    One read ahead is handed out as often as asked for: a command may open a workbook once
    to look at `ThongTin` and again to read it all, and the sheet parsed ahead must not be
    parsed a second time.
    """
    for ahead in _ahead:
        if ahead.is_of(path):
            outcome = ahead.finish()
            if not isinstance(outcome, BaseException):
                return outcome
            # Opened again here: what it raises is then this call's, not a stale one.
            break
    return Workbook(path)


def _signature(path: Path) -> tuple[int, int] | None:
    try:
        status = path.stat()
    except OSError:
        return None
    return status.st_size, status.st_mtime_ns


def prefetch(inputs: Sequence[str]) -> None:
    """Start reading each workbook given, and its workforce sheet, in a thread of its own.

    A command calls this before it imports pandas and the rest; it returns once each gate
    has ended, so that the imports overlap the parse. `opened` takes each over. The
    command chooses what to read: a lone file, or the first workbooks its run reads
    (`cli._prefetch`); a path that is not a workbook file (a folder) is left alone. Only
    the sheet's name is matched against the contract here. Reads started earlier are
    finished first.
    """
    global _ahead
    finish_prefetch()
    # One read a file, however many of the names given lead to it (a link beside its file).
    paths: dict[Path, Path] = {}
    for path in map(Path, inputs):
        if path.is_file() and path.suffix.lower() in WORKBOOK_SUFFIXES:
            paths.setdefault(path.resolve(), path)
    if not paths:
        return
    # Imported here, before the threads start, so that no module is imported by two threads;
    # the sheet's names come from a light module, not the pydantic contract.
    import fastexcel  # noqa: F401

    from kpi_tritue.contract.sheet_names import is_workforce_sheet

    extent.matcher_ready()
    _ahead = tuple(_ReadAhead(path, is_workforce_sheet) for path in paths.values())
    # The gates end before this thread imports the rest, `pyarrow.compute` included (the
    # gate matches with google-re2 and needs none of it): a gate holds the GIL in part, as
    # imports do, while calamine's parse after it does not (docs/benchmarks.md, rounds 9
    # and 15).
    for each in _ahead:
        each.gated.wait()


def finish_prefetch() -> None:
    """Wait for the reads started by `prefetch`, if any, and forget them.

    The command line calls this once a command has ended (one that failed early may have
    left them running), so that no thread of the reader outlives the command.
    """
    global _ahead
    ahead, _ahead = _ahead, ()
    for each in ahead:
        each.finish()
