"""A run of many files read in several processes (issue 14, round 10).

What a file costs past its reading is Python on one thread (opening it, its `ThongTin`,
taking its sheets, parsing and checking them: about 6 ms a small file, where reading it
alone takes about 2 ms); threads cannot share that (the GIL), processes can. So a run of
many files is cut into chunks of files, handed out as processes become free: this process
takes chunks too, and `processes - 1` worker processes (started afresh: no thread of
this process is copied into them) take the others. Each process keeps what it opened and
took, since the second half of the work needs the whole run:

1. **take** (a chunk at a time): each file opened (`open_workbook`), its `ThongTin` read
   (`read_infos`) and its contract sheets taken (`take_files`). What goes back is what
   the run needs of each opened file (`OpenedWorkbook`, without its reader: pickled
   without it).
2. Here, with every file's `ThongTin`: the run's reference date (`settle`), and, if a
   list has rows that may be group headings, the units the run's `DonVi` name.
3. **parse** (once each process): its files' sheets parsed (`parse_files`), their tables
   and issues sent back, put in the files' order. The tables' frames travel stacked, one
   frame per layout, not one per sheet (`frame_bundle.py`): rebuilt one by one here, they
   cost most of what the transfer did; here each table keeps its rows of the stack, its
   frame made only if asked for (`SheetTable.shared`).

The rest of `load_dataset` (names, copies, the registry, stacking, checks over the run) is
the same for both ways. `read_all_tables` (with `open_inputs`) stays the plain version:
a property test holds the two to the same dataset (`tests/test_shards.py`).

A worker that dies (killed, out of memory) makes the run read again in this process
(`WorkerLost`); an exception in a worker is raised here (`WorkerFailed`, with its trace).
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import queue
import struct
import subprocess
import sys
import threading
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, TypeVar

import pandas as pd

from kpi_tritue.contract.schema import Contract
from kpi_tritue.contract.values import Bounds
from kpi_tritue.io.column_batch import SharedRows
from kpi_tritue.io.frame_bundle import FrameBundle, bundle, unbundle
from kpi_tritue.io.workbook import (
    LoadedWorkbook,
    OpenedWorkbook,
    RunFacts,
    TakenFiles,
    fewer_collections,
    open_workbook,
    parse_files,
    read_infos,
    run_facts,
    take_files,
    units_registered,
)
from kpi_tritue.model.issues import Issue

# `KPI_PROCESSES`: how many processes read a run of many files (1: this one alone; never
# more than the CPUs this process may run on). By default, those CPUs (at most
# `MOST_PROCESSES`) for a run of small files, and this one alone for bigger files.
PROCESSES_SETTING = "KPI_PROCESSES"
MOST_PROCESSES = 8
# A run of fewer files is read in this process alone: a worker's start (its imports, about
# 0.4 s of CPU, and as long before it takes its first file) would cost more than it saves.
# Each process gets at least this many files. Measured on 2 cores (`kpi compute`, files of
# 100 rows, 3 runs each, one process against two): 300 files 2.16-2.24 s against
# 2.12-2.20 s (CPU 2.5 -> 3.2 s), 600 files 3.71-3.83 s against 3.24-3.46 s, 1,000 files
# 5.86-6.29 s against 4.65-4.81 s; and `kpi trend` over 3 years of 300 files each, a year
# at a time, 6.53-6.81 s against 6.68-6.97 s. So two processes from about 300 files on.
FEWEST_FILES = 160
# Files of at most this size on average are what the processes are for: their cost is
# per file, not per row. Measured on 2 cores (`kpi compute`, 3 runs each, the collector
# paused): 2,000 files of 100 rows (11 KB each) 12.1-13.0 s in one process, 10.4-10.7 s
# in two; 200 files of 1,000 rows (75 KB each) 2.83-2.95 s in one, 2.88-3.28 s in two
# (there the read-ahead threads already keep both cores busy, and the frames sent back
# cost what the second process saves). Sizes between were not measured.
SMALL_FILE_BYTES = 32 * 1024
# Chunks handed out per process: small enough that no process waits long for the last
# ones, large enough that each carries a few files.
CHUNKS_PER_PROCESS = 16

Settled = TypeVar("Settled")
FileResult = OpenedWorkbook | list[Issue]


class WorkerLost(Exception):
    """A worker process ended before its work was done (killed, out of memory)."""


class WorkerFailed(Exception):
    """A worker process raised: its trace, as text."""


def processes_for(sizes: Sequence[int]) -> int:
    """How many processes should read a run of files of these sizes (1: this one alone)."""
    setting = os.environ.get(PROCESSES_SETTING, "")
    try:
        wanted = int(setting)
    except ValueError:
        wanted = 0
    cpus = _usable_cpus()
    if wanted <= 0:
        small = bool(sizes) and sum(sizes) <= SMALL_FILE_BYTES * len(sizes)
        wanted = min(cpus, MOST_PROCESSES) if small else 1
    # Never more than can run at once: each costs its imports and its memory.
    return max(1, min(wanted, cpus, len(sizes) // FEWEST_FILES))


def file_sizes(files: Sequence[tuple[Path, str]]) -> list[int]:
    """Each file's size on disk (1 for a file that cannot be looked at: it is reported
    when it is opened)."""
    return [_size(path) for path, _ in files]


def _usable_cpus() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def chunks_of(
    files: Sequence[tuple[Path, str]], sizes: Sequence[int], processes: int
) -> list[list[tuple[int, Path, str]]]:
    """The files cut into runs of about equal bytes (`sizes`), in order,
    `CHUNKS_PER_PROCESS` for each process; each item (position in the run, path, shown)."""
    share = max(1, sum(sizes) // max(1, processes * CHUNKS_PER_PROCESS))
    chunks: list[list[tuple[int, Path, str]]] = [[]]
    held = 0
    for index, ((path, display), size) in enumerate(zip(files, sizes, strict=True)):
        if chunks[-1] and held + size > share:
            chunks.append([])
            held = 0
        chunks[-1].append((index, path, display))
        held += size
    return chunks


def _size(path: Path) -> int:
    try:
        return max(1, path.stat().st_size)
    except OSError:
        return 1


@dataclass
class _Shard:
    """The files one process took, kept for their parse: opened, in the order taken."""

    contract: Contract
    positions: list[int] = field(default_factory=list)
    opened: list[OpenedWorkbook] = field(default_factory=list)
    taken: TakenFiles = field(default_factory=lambda: TakenFiles({}, []))
    # Files of the run opened already in this process, by position: taken as they are,
    # not opened again.
    ready: dict[int, OpenedWorkbook] = field(default_factory=dict)

    def take(self, chunk: Sequence[tuple[int, Path, str]]) -> list[tuple[int, FileResult]]:
        results: list[tuple[int, FileResult]] = []
        opened: list[OpenedWorkbook] = []
        fresh: list[OpenedWorkbook] = []
        for index, path, display in chunk:
            ready = self.ready.pop(index, None)
            result = (
                ready
                if ready is not None
                else open_workbook(path, display, self.contract, info=False)
            )
            results.append((index, result))
            if not isinstance(result, list):
                opened.append(result)
                self.positions.append(index)
                if ready is None:
                    fresh.append(result)
        read_infos(fresh, self.contract)
        self.taken.extend(take_files(opened, self.contract))
        self.opened.extend(opened)
        return results

    def units(self) -> tuple[set[str], bool]:
        return units_registered(self.taken.taken)

    def facts(self) -> RunFacts:
        return run_facts(self.taken.taken)

    def parse(
        self, bounds: Bounds, registry: tuple[set[str], bool] | None, by_name: bool
    ) -> list[tuple[int, LoadedWorkbook]]:
        with fewer_collections():
            loaded = parse_files(self.opened, self.taken, bounds, self.contract, registry, by_name)
        return list(zip(self.positions, loaded, strict=True))


def read_in_processes(
    files: Sequence[tuple[Path, str]],
    sizes: Sequence[int],
    contract: Contract,
    settle: Callable[[Sequence[OpenedWorkbook]], tuple[Bounds, Settled]],
    processes: int,
    progress: Callable[[int, int, str], None] | None = None,
    ready: Sequence[OpenedWorkbook] = (),
) -> tuple[list[FileResult], list[LoadedWorkbook], Settled]:
    """Every file of `files` (of `sizes`) opened, taken and parsed in `processes`
    processes (this one and workers). Returns each file's result of `open_workbook` in
    order, the loaded workbooks in the order of those opened, and what `settle` made of
    the opened (the bounds to parse with, and anything else of its own). `ready`: given,
    the workbooks of `files` opened already here, one a file: those this process takes
    are not opened again (a worker opens its own).

    `progress(step, total, name)` as `load_dataset` gives it (total: twice the files).
    Raises `WorkerLost` if a worker dies before its work is done.
    """
    chunks = chunks_of(files, sizes, processes)
    replies: queue.Queue[Any] = queue.Queue()
    workers: list[_Worker] = []
    local = _Shard(contract, ready=dict(enumerate(ready)))
    results: dict[int, FileResult] = {}
    total = 2 * len(files)
    # The bar: the takes fill its first three quarters (about that share of the time, on
    # 2,000 small files), this process's parse the next eighth, the workers' the rest.
    taken_share, parsed_share = total * 3 // 4, total * 7 // 8

    def note(found: list[tuple[int, FileResult]]) -> None:
        results.update(found)
        if progress and found:
            step = taken_share * len(results) // len(files)
            progress(step, total, files[found[-1][0]][1])

    try:
        for number in range(processes - 1):
            workers.append(_Worker(number, contract, replies))
        pending = list(reversed(chunks))
        with fewer_collections():
            while pending or any(w.outstanding for w in workers):
                for worker in workers:
                    while worker.outstanding < 2 and pending:
                        worker.send(("take", pending.pop()))
                for name, found in _ready(replies, workers, wait=not pending):
                    if name == "take":
                        note(found)
                if pending:
                    note(local.take(pending.pop()))
        opened = [r for _, r in sorted(results.items()) if not isinstance(r, list)]
        bounds, settled = settle(opened)
        facts = local.facts()
        for worker in workers:
            facts |= worker.facts
        registry: tuple[set[str], bool] | None = None
        if facts.headings:
            for worker in workers:
                worker.send(("units",))
            units, any_registry = local.units()
            for _, (more, some) in _gather(replies, workers, "units"):
                units |= more
                any_registry = any_registry or some
            registry = (units, any_registry)
        for worker in workers:
            worker.send(("parse", bounds, registry, facts.without_ids))
        loaded = dict(local.parse(bounds, registry, facts.without_ids))
        if progress:
            progress(parsed_share, total, "")
        for _, sent in _gather(replies, workers, "parse"):
            loaded.update(_received_parse(sent))
        if progress:
            progress(total, total, "")
    finally:
        for worker in workers:
            worker.stop()
    ordered = [results[i] for i in range(len(files))]
    return ordered, [loaded[i] for i in sorted(loaded)], settled


class _Worker:
    """A worker process (`python -c _START`, serving `serve`) and what it has been sent.

    Not `multiprocessing`: its spawned children import the parent's `__main__` (a user's
    script without a `__name__` guard would run again in each worker). Orders and replies
    are pickles framed by their length (`_write`) on the worker's standard input and
    output; a thread here reads the replies into `replies`.
    """

    def __init__(self, number: int, contract: Contract, replies: queue.Queue[Any]) -> None:
        self.number = number
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-c", _START], stdin=subprocess.PIPE, stdout=subprocess.PIPE
            )
        except OSError as error:  # no interpreter to start, no process left to the user
            raise WorkerLost(f"worker {number}: {error}") from error
        self.outstanding = 0
        # What the parse of the others must know of the files it took.
        self.facts = RunFacts()
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        self._orders = self.process.stdin
        self._reader = threading.Thread(
            target=_read_replies,
            args=(number, self.process.stdout, replies),
            name=f"kpi-replies-{number}",
            daemon=True,
        )
        self._reader.start()
        self._put(list(sys.path))
        self._put((number, contract))

    def send(self, order: tuple[Any, ...]) -> None:
        self._put(order)
        self.outstanding += 1

    def _put(self, message: Any) -> None:
        try:
            _write(self._orders, message)
        except OSError as error:  # its end of the pipe is closed: it has ended
            raise WorkerLost(f"worker {self.number}: {error}") from error

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self._orders.close()  # the end of its input: the worker stops
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._reader.join(timeout=5)


_LENGTH = struct.Struct("<Q")


def _write(stream: IO[bytes], message: Any) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_LENGTH.pack(len(data)))
    stream.write(data)
    stream.flush()


def _read(stream: IO[bytes]) -> Any:
    """The next message on `stream`; `EOFError` at its end."""
    head = stream.read(_LENGTH.size)
    if len(head) < _LENGTH.size:
        raise EOFError
    (size,) = _LENGTH.unpack(head)
    data = stream.read(size)
    if len(data) < size:
        raise EOFError
    return pickle.loads(data)


def _read_replies(number: int, stream: IO[bytes], replies: queue.Queue[Any]) -> None:
    """Each reply of worker `number` put in `replies`, until its output ends."""
    with stream:
        while True:
            try:
                replies.put(_read(stream))
            except EOFError:
                replies.put(("ended", number, None))
                return


def _ready(
    replies: queue.Queue[Any], workers: Sequence[_Worker], *, wait: bool
) -> list[tuple[str, Any]]:
    """The replies that have come (at least one if `wait`), each counted off its worker."""
    got: list[tuple[str, Any]] = []
    while True:
        try:
            message = replies.get() if wait and not got else replies.get_nowait()
        except queue.Empty:
            return got
        got.append(_received(message, workers))


def _gather(
    replies: queue.Queue[Any], workers: Sequence[_Worker], kind: str
) -> list[tuple[int, Any]]:
    """One reply of `kind` from each worker, by worker."""
    got: list[tuple[int, Any]] = []
    while len(got) < len(workers):
        message = replies.get()
        name, payload = _received(message, workers)
        if name == kind:
            got.append((message[1], payload))
    return got


def _received(message: tuple[Any, ...], workers: Sequence[_Worker]) -> tuple[str, Any]:
    name, number, payload = message
    worker = workers[number]
    if name == "ended":
        code = worker.process.wait()
        raise WorkerLost(f"worker {number} ended (exit code {code})")
    worker.outstanding -= 1
    if name == "failed":
        raise WorkerFailed(payload)
    if name == "take":
        found, facts = payload
        worker.facts |= facts
        return name, found
    return name, payload


# What a worker runs: the parent's `sys.path` first (the package may be found only through
# it), then `serve`.
_START = (
    "import pickle, struct, sys\n"
    "size, = struct.unpack('<Q', sys.stdin.buffer.read(8))\n"
    "sys.path[:] = pickle.loads(sys.stdin.buffer.read(size))\n"
    "from kpi_tritue.io.shards import serve\n"
    "serve()\n"
)


def serve() -> None:
    """A worker's loop (`_START`): each order read from standard input done on its own
    shard, its result written to standard output, until its input ends. Anything else
    written to standard output goes to standard error, so as not to break the replies."""
    # A worker lives for one run, and its run keeps what it builds to the end: the cyclic
    # collector is paused, as in the command (`cli.main`).
    gc.disable()
    replies = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    sys.stdout = sys.stderr
    orders = sys.stdin.buffer
    try:
        number, contract = _read(orders)
        shard = _Shard(contract)
        while True:
            try:
                order = _read(orders)
            except EOFError:
                # Done: what it holds is dropped with the process, not freed object by
                # object on the way out (the parent waits for it to end).
                replies.close()
                os._exit(0)
            try:
                payload = _done(shard, order)
            except Exception:
                _write(replies, ("failed", number, traceback.format_exc()))
            else:
                _write(replies, (order[0], number, payload))
    except (KeyboardInterrupt, BrokenPipeError):
        return
    finally:
        with contextlib.suppress(OSError):
            replies.close()


def _done(shard: _Shard, order: tuple[Any, ...]) -> Any:
    if order[0] == "take":
        return shard.take(order[1]), shard.facts()
    if order[0] == "units":
        return shard.units()
    return _sent_parse(shard.parse(order[1], order[2], order[3]))


# A table's frame while it travels in its bundle (`_sent_parse`): pickled once a reply.
_IN_BUNDLE = pd.DataFrame()


def _sent_parse(
    parsed: list[tuple[int, LoadedWorkbook]],
) -> tuple[FrameBundle, list[tuple[int, LoadedWorkbook]]]:
    """A worker's parsed files as sent: their tables' frames in one bundle (a frame per
    layout, not per sheet: `frame_bundle.py`), the rest as they are. The worker's own
    tables lose their frames: the worker is done with them."""
    tables = [table for _, done in parsed for table in done.tables.values()]
    # Rows kept together (`SheetTable.shared`) travel as they are kept.
    frames = bundle([table.shared or table.frame for table in tables])
    for table in tables:
        table.frame = _IN_BUNDLE
    return frames, parsed


def _received_parse(
    sent: tuple[FrameBundle, list[tuple[int, LoadedWorkbook]]],
) -> list[tuple[int, LoadedWorkbook]]:
    """The parsed files of `_sent_parse`, each table with its frame again, or its rows of
    the stack it came in (`SharedRows`: a frame made only when asked for)."""
    frames, parsed = sent
    tables = [table for _, done in parsed for table in done.tables.values()]
    for table, frame in zip(tables, unbundle(frames), strict=True):
        if isinstance(frame, SharedRows):
            table.share(frame)
        else:
            table.frame = frame
    return parsed


__all__ = [
    "CHUNKS_PER_PROCESS",
    "FEWEST_FILES",
    "PROCESSES_SETTING",
    "WorkerFailed",
    "WorkerLost",
    "chunks_of",
    "file_sizes",
    "processes_for",
    "read_in_processes",
    "serve",
]
