"""What can go wrong that the user can fix: each failure with its exit code and message.

Every expected failure is a `KpiError`. It carries the exit code the command ends with
(`exit_code`) and the i18n key of its message with that message's values (`key`,
`params`); `message(lang)` says it in the user's `--lang`. The command line turns them into
a message and an exit code in one place (`cli._said`); anything else that reaches it is a
bug, which exits `EXIT_INTERNAL` with a message asking to report it (docs/spec/cli.md).

This module is at the bottom of the layers (it imports nothing of `kpi` but `i18n`, and
that only when a message is said), so that every layer may raise its failures.
"""

from __future__ import annotations

import errno
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kpi_tritue.i18n import Lang

# The exit codes of `kpi` (docs/spec/cli.md).
EXIT_OK = 0
EXIT_GATE_FAILED = 1  # `kpi check`: the gate failed
EXIT_USAGE = 2  # wrong usage of the command line (and an output that cannot be written)
EXIT_INPUT = 3  # the input cannot be used
EXIT_INTERNAL = 4  # a bug


class KpiError(Exception):
    """Something the user can fix, with a message that says how.

    `key` is a key of `i18n.TEXT` and `params` its values. A kind whose sentence is made
    otherwise overrides `message` (`OutputError`: by the renderer that refused the path).
    """

    exit_code = EXIT_INPUT

    def __init__(self, key: str, /, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def message(self, lang: Lang) -> str:
        """The message in the user's language."""
        from kpi_tritue.i18n import TEXT, text

        # Saying an error must not raise another: a key missing from i18n (a bug that
        # `tests/test_errors.py` looks for in the code) is shown as it was given.
        if self.key not in TEXT:
            return self.key
        return text(self.key, lang, **self.params)

    def __str__(self) -> str:
        return self.message("en")


class UsageError(KpiError):
    """The command line asks for something that cannot be done: a path that names nothing
    readable, an option's value that means nothing (exit code 2). Nothing was read."""

    exit_code = EXIT_USAGE


class InputError(KpiError):
    """The input cannot be used: an unreadable file, a missing sheet or column, errors in
    rows, a bad `--targets` or `--baseline` file (exit code 3)."""

    exit_code = EXIT_INPUT


class OutputError(KpiError):
    """An output file that cannot or must not be written (an input, an unwritable folder).

    Its sentence is made where the path is refused, in the user's language, by the renderer
    that knows why (`render/outputs.py`): it is said as it is.
    """

    exit_code = EXIT_USAGE

    def __init__(self, sentence: str) -> None:
        super().__init__("output", sentence=sentence)
        self.sentence = sentence

    def message(self, lang: Lang) -> str:
        return self.sentence


class UnknownIndicator(UsageError):
    """An indicator id that the catalog does not have; the message lists those it has.
    `indicator_id` as typed may be of any length: the raiser quotes it
    (`contract.privacy.quote`)."""

    def __init__(self, indicator_id: str, known: list[str]) -> None:
        super().__init__("errors.unknown_indicator", indicator=indicator_id, known=", ".join(known))
        self.indicator_id = indicator_id
        self.known = list(known)


class OutputLost(Exception):
    """Standard output failed (closed, a full disk, a reader that left): the results
    printed are incomplete (exit code 2, like an output file that cannot be written).

    Not an `OSError`, so that nothing on the way mistakes it for a closed pipe to ignore.
    """

    exit_code = EXIT_USAGE

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
