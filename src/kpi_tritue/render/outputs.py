"""Writing output files safely: never over an input, never half-written.

Every file `kpi` writes (the gap report, the template, JUnit XML) goes through here: the
path is checked before any work is done, and the bytes go to a temporary file in the
same folder that is renamed into place only once complete. An error, Ctrl-C, SIGTERM or
SIGHUP on the way removes the temporary file and leaves any earlier file as it was.
"""

from __future__ import annotations

import errno
import os
import signal
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import BinaryIO

from kpi_tritue.errors import OutputError, Terminated
from kpi_tritue.i18n import Lang, text
from kpi_tritue.io.safe_files import shown_path

# What most file systems allow for one name, when the folder's own limit cannot be asked.
NAME_MAX_FALLBACK = 255
# The temporary file's name keeps this many characters of the output's stem (at most
# 4 bytes each), so that it fits wherever the output's own name fits.
_TEMPORARY_STEM_CHARS = 40

_REASONS = {
    errno.ENOSPC: "no_space",
    errno.EDQUOT: "no_space",
    errno.EFBIG: "no_space",
    errno.EACCES: "permission",
    errno.EPERM: "permission",
    errno.EROFS: "read_only",
    errno.ENAMETOOLONG: "name_too_long",
    errno.EBADF: "closed",
    errno.EPIPE: "closed",
    errno.EIO: "io",
}


def os_reason(error: OSError, lang: Lang) -> str:
    """Why a write failed, in the user's language when the cause is a common one."""
    key = _REASONS.get(error.errno or 0)
    if key is not None:
        return text(f"output.reason.{key}", lang)
    return error.strerror or str(error)


def write_failed(path: Path, error: OSError, lang: Lang) -> str:
    """The message for a file that could not be written: why, and what to do when the
    likely cause is the file being open in another program."""
    key = "write_locked" if error.errno in (errno.EACCES, errno.EPERM, errno.EBUSY) else "write"
    return text(f"output.{key}", lang, path=shown_path(path), reason=os_reason(error, lang))


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return False


def _name_max(folder: Path) -> int:
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError):
        return NAME_MAX_FALLBACK


def check_output(
    path: Path, inputs: Iterable[Path], lang: Lang, *, suffixes: Sequence[str] = (".xlsx",)
) -> None:
    """Refuse an output path that is an input, a folder, a name too long, or in a folder
    that cannot be written."""
    shown = shown_path(path)
    if path.suffix.lower() not in suffixes:
        raise OutputError(text("output.suffix", lang, path=shown, suffixes=", ".join(suffixes)))
    try:
        _check_place(path, inputs, lang)
    except OSError as error:  # a path the system refuses to look at (too long, a loop…)
        raise OutputError(write_failed(path, error, lang)) from error


def _check_place(path: Path, inputs: Iterable[Path], lang: Lang) -> None:
    shown = shown_path(path)
    length, limit = len(os.fsencode(path.name)), _name_max(path.absolute().parent)
    if length > limit:
        raise OutputError(
            text("output.name_too_long", lang, path=shown, length=length, limit=limit)
        )
    if path.is_dir():
        raise OutputError(text("output.is_folder", lang, path=shown))
    target = path.resolve()
    for given in inputs:
        if target == given.resolve() or _same_file(path, given):
            raise OutputError(text("output.is_input", lang, path=shown))
    folder = target.parent
    if not folder.is_dir():
        folder_shown = shown_path(path.parent)
        raise OutputError(text("output.no_folder", lang, path=shown, folder=folder_shown))
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(text("output.not_writable", lang, folder=shown_path(path.parent)))


def _new_file_mode(path: Path) -> int:
    """The mode the file would get if opened normally: its own, or 0o666 less the umask."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


# The signals that end a process politely; SIGHUP is POSIX only.
_STOP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)
)


@contextmanager
def _stop_signals_as_exceptions() -> Iterator[None]:
    """While a file is written, SIGTERM and SIGHUP raise `Terminated` instead of ending
    the process on the spot, so that the temporary file is removed on the way out.

    A signal the parent chose to ignore (`nohup`) stays ignored; a second one while the
    first is being handled is ignored too, so that the clean-up runs to its end. Python
    handles signals in the main thread only: elsewhere, nothing changes.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    stopped: list[int] = []

    def stop(number: int, frame: FrameType | None) -> None:
        if not stopped:
            stopped.append(number)
            raise Terminated(number)

    previous: dict[int, object] = {}
    for number in _STOP_SIGNALS:
        if signal.getsignal(number) == signal.SIG_DFL:
            previous[number] = signal.signal(number, stop)
    try:
        yield
    finally:
        with _signals_deferred():
            for number, handler in previous.items():
                signal.signal(number, handler)  # type: ignore[arg-type]


@contextmanager
def _signals_deferred() -> Iterator[None]:
    """Hold SIGTERM and SIGHUP back for a few steps that must not be cut in two (a file
    created but not yet known to the clean-up); they are delivered right after."""
    if not hasattr(signal, "pthread_sigmask") or not _STOP_SIGNALS:
        yield
        return
    held = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def write_atomically(path: Path, write: Callable[[BinaryIO], object], lang: Lang) -> None:
    """Write through `write` to a temporary file in the same folder, then rename it over `path`.

    An error, Ctrl-C, SIGTERM or SIGHUP on the way leaves neither a partial file nor the
    temporary one; an existing `path` stays as it was until the rename replaces it whole.
    """
    folder = path.absolute().parent
    temporary: Path | None = None
    with _stop_signals_as_exceptions():
        try:
            with _signals_deferred():
                handle, temporary_name = tempfile.mkstemp(
                    prefix=f".{path.stem[:_TEMPORARY_STEM_CHARS]}.", suffix=".tmp", dir=folder
                )
                temporary = Path(temporary_name)
            with os.fdopen(handle, "wb") as stream:
                write(stream)
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(temporary, _new_file_mode(path))
            os.replace(temporary, path)
        except BaseException as error:
            if temporary is not None:
                with _signals_deferred():
                    temporary.unlink(missing_ok=True)
            if not isinstance(error, OSError):
                raise
            if temporary is None and error.errno in (errno.EACCES, errno.EPERM):
                message = text("output.not_writable", lang, folder=str(path.parent))
            else:
                message = write_failed(path, error, lang)
            raise OutputError(message) from error
