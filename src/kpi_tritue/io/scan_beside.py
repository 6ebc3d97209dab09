"""A big sheet's XML scanned beside the gate and calamine's parse (issue 14).

The gate (`Workbook._gate`) inflates a sheet's part once and feeds every block to the safety
check (`extent.FastCheck`), which must end before calamine is handed the sheet, and to the
`sheet_xml.Scanner` (merged blocks, error cells, unsaved formulas), whose findings are read
only after calamine's parse. Plain: both fed in turn in the gate's thread. Beside: the gate
keeps the blocks it inflated from the first one on which the scanner must run a pattern
(the blocks before, and every block of a sheet without formulas, error values or merged
blocks, are scanned at once for a few byte searches each); once it has let the part
through, a `Scanner` goes over the blocks kept, in the same order, in a thread of its own,
while calamine parses (calamine releases the GIL;
the scanner holds it, and running it beside the gate instead would make the gate wait for
the GIL at every block). The blocks are let go once scanned, long before calamine's memory
peaks at the end of its parse.

Only for parts that pay for a thread and are not too big to hold (`pays`, by the archive's
declared size); the thread always ends before `Workbook._load` returns (`result` or
`cancel`).
tests/test_fast_paths.py checks on generated and hostile workbooks that both ways give the
same sheet, findings and errors.
"""

from __future__ import annotations

import threading

from kpi_tritue.io.sheet_xml import Scanner, SheetScan

# A part declared to inflate to at least this many bytes may be scanned beside (its patterns
# cost about 3 ms a MiB on a sheet with a formula in every row; a sheet without formulas,
# error values or merged blocks costs 0.15 ms a MiB, scanned at once); tests set it to 0 to
# run every part the threaded way.
BESIDE_FROM = 4 << 20
# ... and at most this many: its inflated blocks are held from the gate until the scanner
# has passed them, not inflated a second time (0.4 ms a MiB of CPU with zlib-ng, more with
# zlib, besides the read); a bigger part (the 1,048,575-row sheet inflates to 607 MiB) is
# scanned in the gate's thread.
BESIDE_UP_TO = 160 << 20


def pays(declared: int) -> bool:
    """Whether a part declared to inflate to `declared` bytes is scanned beside."""
    return BESIDE_FROM <= declared <= BESIDE_UP_TO


class ScanBeside:
    """A `Scanner` over the blocks fed, in the caller's thread, until `start`; then over
    them in a thread of its own. Blocks on which the scanner runs no pattern (a sheet
    without formulas, error values or merged blocks: most of them) are scanned at once,
    in the caller's thread, for the price of a few byte searches (`Scanner.feed_if_plain`);
    from the first block that needs a pattern, every block is held for the thread. They
    are copied into one buffer of what is left of the part's declared size (a part never
    inflates past it, `inflated_blocks`), which is given back whole once scanned: a
    million-byte block at a time would leave the memory they took held by the allocator
    while calamine parses (82 MB more at the peak on 200,000 rows). A sheet scanned whole
    at once takes no buffer and starts no thread (measured on 200,000 rows: the buffer of
    the whole part, 112 MiB, cost the gate 0.05 s before calamine could start)."""

    def __init__(self, declared: int) -> None:
        self._scanner = Scanner()
        self._left = declared
        self._buffer: bytearray | None = None
        self._ends: list[int] = []
        self._error: BaseException | None = None
        self._stop = False
        self._thread: threading.Thread | None = None

    def feed(self, block: bytes) -> None:
        assert self._thread is None
        if self._buffer is None:
            if self._scanner.feed_if_plain(block):
                self._left -= len(block)
                return
            self._buffer = bytearray(self._left)
        start = self._ends[-1] if self._ends else 0
        self._buffer[start : start + len(block)] = block
        self._ends.append(start + len(block))

    def start(self) -> None:
        """Scan the blocks held, in a thread of its own: none is fed after."""
        if self._buffer is None:
            return  # every block was scanned as it was fed
        self._thread = threading.Thread(target=self._run, name="kpi-scan-beside")
        self._thread.start()

    def _run(self) -> None:
        buffer, self._buffer = self._buffer, None
        assert buffer is not None
        try:
            with memoryview(buffer) as view:
                start = 0
                for end in self._ends:
                    if self._stop:
                        break
                    # The blocks as the gate inflated them, cut where they were.
                    self._scanner.feed(bytes(view[start:end]))
                    start = end
        except BaseException as error:  # raised by `result`, in the caller's thread
            self._error = error

    def _end(self) -> None:
        if self._thread is None:
            self.start()
        if self._thread is not None:
            self._thread.join()

    def result(self) -> SheetScan:
        """What the scanner found in every block fed, once its thread has ended; what it
        raised, if it did, as the plain scan would have raised it."""
        self._end()
        if self._error is not None:
            raise self._error
        return self._scanner.result()

    def cancel(self) -> None:
        """End the thread without a result (the sheet was refused, or the gate raised)."""
        self._stop = True
        if self._thread is not None:
            self._thread.join()
        self._buffer = None
