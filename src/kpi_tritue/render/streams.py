"""The process's standard streams as `kpi` uses them: nothing written may crash the run.

`install()` is called once by `cli.main`, before any command runs:

- A standard descriptor the caller closed (`kpi compute f.xlsx >&-`) is given /dev/null,
  so that no file opened later (an input, the temporary output) takes its number and
  receives what a library writes to "stdout" or "stderr".
- Text a stream's encoding cannot hold (`PYTHONIOENCODING=ascii`, a file name with a byte
  that is not UTF-8) is degraded, never an error: Vietnamese loses its diacritics
  ("Lỗi" → "Loi"), a stray byte of a file name becomes U+FFFD (or "?"), so JSON stays
  valid UTF-8.
- stdout carries the results: when it fails (closed, a full disk, a reader that left) the
  first failed write raises `OutputLost`, which the CLI turns into exit 2 and a message;
  what follows is dropped.
- stderr carries messages: when it fails they are dropped, and the exit code still tells.
"""

from __future__ import annotations

import codecs
import io
import os
import sys
import unicodedata
from contextlib import suppress
from typing import TextIO, cast

from kpi_tritue.errors import OutputLost

ERRORS = "kpi-degrade"

# What NFKD cannot take apart, and the punctuation the messages use.
_ASCII_FALLBACK = {
    "đ": "d",
    "Đ": "D",
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2013": "-",
    "\u2014": "-",
    "\u2026": "...",
    "\u2192": "->",
    "\u2264": "<=",
    "\u2265": ">=",
    "\u00d7": "x",
    "\u2022": "*",
}


def _encodable(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except (UnicodeError, LookupError):
        return False
    return True


def degrade(char: str, encoding: str) -> str:
    """What to write for one character `encoding` cannot hold."""
    if "\ud800" <= char <= "\udfff":  # a byte of a file name that is not UTF-8
        return "\ufffd" if _encodable("\ufffd", encoding) else "?"
    plain = _ASCII_FALLBACK.get(char)
    if plain is None:
        parts = unicodedata.normalize("NFKD", char)
        plain = "".join(part for part in parts if not unicodedata.combining(part))
    return plain if plain and _encodable(plain, encoding) else "?"


def _degrade_error(error: UnicodeError) -> tuple[str | bytes, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    failed = error.object[error.start : error.end]
    replacement = "".join(degrade(char, error.encoding) for char in failed)
    # CPython's UTF-8 encoder takes a replacement as text only if it is ASCII: U+FFFD is
    # given as its bytes.
    if replacement.isascii():
        return replacement, error.end
    return replacement.encode(error.encoding), error.end


codecs.register_error(ERRORS, _degrade_error)


class GuardedStream(io.TextIOBase):
    """stdout or stderr: writes go to `raw` (None when the descriptor was closed)."""

    def __init__(self, raw: TextIO | None, *, carries_results: bool) -> None:
        super().__init__()
        self.raw = raw
        self.carries_results = carries_results
        self.failure: OSError | None = None
        self.lost: OutputLost | None = None  # the one exception raised, once reported or not

    def write(self, text: str) -> int:
        if not isinstance(text, str):  # as a text stream does; click probes with b""
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        if self.failure is not None or not text:
            return len(text)
        if self.raw is None:
            self._failed(OSError(9, os.strerror(9)))  # EBADF: the caller closed it
            return len(text)
        try:
            return self.raw.write(text)
        except OSError as error:
            self._failed(error)
            return len(text)

    def flush(self) -> None:
        if self.raw is None:
            return
        if self.failure is not None:
            with suppress(OSError, ValueError):  # what is left goes to /dev/null now
                self.raw.flush()
            return
        try:
            self.raw.flush()
        except OSError as error:
            self._failed(error)

    def _failed(self, error: OSError) -> None:
        self.failure = error
        if self.raw is not None:
            # Later writes, and the interpreter's own flush at exit, go to /dev/null
            # instead of failing again (the remedy Python's documentation gives for EPIPE).
            with suppress(OSError, ValueError, AttributeError):
                null = os.open(os.devnull, os.O_WRONLY)
                try:
                    os.dup2(null, self.raw.fileno())
                finally:
                    os.close(null)
        if self.carries_results:
            self.lost = OutputLost(error)
            raise self.lost

    # What rich and click ask of a stream.
    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.raw, "encoding", None) or "utf-8"

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        return getattr(self.raw, "errors", None)

    def isatty(self) -> bool:
        try:
            return self.raw is not None and self.failure is None and self.raw.isatty()
        except (OSError, ValueError):
            return False

    def fileno(self) -> int:
        if self.raw is None:
            raise io.UnsupportedOperation("the stream was closed by the caller")
        return self.raw.fileno()

    def writable(self) -> bool:
        return True

    def readable(self) -> bool:
        return False

    def close(self) -> None:
        """The process's own streams are never closed from here: only flushed."""
        with suppress(OutputLost):
            self.flush()


def _descriptor_open(fd: int) -> bool:
    try:
        os.fstat(fd)
    except OSError:
        return False
    return True


def _fill_closed_descriptors() -> None:
    for fd in (0, 1, 2):
        if not _descriptor_open(fd):
            null = os.open(os.devnull, os.O_RDWR)
            if null != fd:
                os.dup2(null, fd)
                os.close(null)


def _degrading(raw: TextIO | None) -> TextIO | None:
    """`raw`, set to degrade what its encoding cannot hold (the process's own streams only)."""
    if isinstance(raw, io.TextIOWrapper) and raw in (sys.__stdout__, sys.__stderr__):
        with suppress(OSError, ValueError):
            raw.reconfigure(errors=ERRORS)
    return raw


class Installed:
    """What `install` replaced, to put it back (for tests that call `cli.main` in-process)."""

    def __init__(self, stdout: TextIO | None, stderr: TextIO | None) -> None:
        self.stdout, self.stderr = stdout, stderr

    def restore(self) -> None:
        sys.stdout, sys.stderr = cast(TextIO, self.stdout), cast(TextIO, self.stderr)


def install() -> Installed:
    """Guard sys.stdout and sys.stderr for the rest of the run (see the module's docstring)."""
    previous = Installed(sys.stdout, sys.stderr)
    _fill_closed_descriptors()
    sys.stdout = cast(TextIO, GuardedStream(_degrading(sys.stdout), carries_results=True))
    sys.stderr = cast(TextIO, GuardedStream(_degrading(sys.stderr), carries_results=False))
    return previous


def flush_results() -> OutputLost | None:
    """Flush stdout and stderr; stdout's failure if it failed at any time in the run."""
    with suppress(OutputLost):
        sys.stdout.flush()
    with suppress(OSError, ValueError):
        sys.stderr.flush()
    lost = getattr(sys.stdout, "lost", None)
    return lost if isinstance(lost, OutputLost) else None
