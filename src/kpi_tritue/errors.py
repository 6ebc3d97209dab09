"""The few exceptions the core raises, each with the exit code the CLI gives it."""

from __future__ import annotations

import errno
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kpi_tritue.i18n import Lang


class KpiError(Exception):
    """Base class: something the user can fix, with a message that says how."""

    exit_code = 3

    def message(self, lang: Lang) -> str:
        """The message in the user's language, for errors that have one in each."""
        return str(self)


class InputError(KpiError):
    """The input cannot be used (exit code 3)."""


class OutputError(KpiError):
    """An output file that cannot or must not be written (an input, an unwritable folder)."""

    exit_code = 2


class UnknownIndicator(KpiError):
    """An indicator id that the catalog does not have; the message lists those it has."""

    exit_code = 2

    def __init__(self, indicator_id: str, known: list[str]) -> None:
        self.indicator_id = indicator_id
        self.known = list(known)
        super().__init__(
            f"Không có chỉ tiêu \u201c{indicator_id}\u201d trong danh mục "
            f"(no indicator \u201c{indicator_id}\u201d in the catalog). "
            f"Các mã chỉ tiêu / indicator ids: {', '.join(self.known)}"
        )


class OutputLost(Exception):
    """Standard output failed (closed, a full disk, a reader that left): the results
    printed are incomplete (exit code 2, like an output file that cannot be written).

    Not an `OSError`, so that nothing on the way mistakes it for a closed pipe to ignore.
    """

    exit_code = 2

    def __init__(self, cause: OSError) -> None:
        super().__init__(cause.strerror or str(cause))
        self.cause = cause
        self.reported = False

    @property
    def reader_left(self) -> bool:
        """The reader of a pipe stopped reading (`kpi … | head`): nothing to tell it."""
        return self.cause.errno == errno.EPIPE


class Terminated(BaseException):
    """SIGTERM or SIGHUP arrived while a file was being written: the write is undone
    (no temporary file is left), then the process ends with 128 + the signal's number.

    A `BaseException`, as `KeyboardInterrupt` is, so that no `except Exception` stops it.
    """

    def __init__(self, signal_number: int) -> None:
        super().__init__(signal_number)
        self.signal_number = signal_number

    @property
    def exit_code(self) -> int:
        return 128 + self.signal_number
