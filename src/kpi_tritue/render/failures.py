"""What went wrong, as the user reads it on stderr: the error panel, the report of a bug,
and the loss of standard output. `cli.py` prints them, and chooses the exit code."""

from __future__ import annotations

import traceback
from pathlib import Path

from rich.panel import Panel

from kpi_tritue.errors import OutputLost
from kpi_tritue.i18n import Lang, text
from kpi_tritue.i18n.numbers import printable
from kpi_tritue.render.outputs import os_reason


def error_panel(message: str, lang: Lang) -> Panel:
    """The message in a red panel; a control character it quotes from the command line or
    an input (an indicator id, an `--as-of` value, a path) is shown as `�`, never sent to
    the terminal."""
    return Panel(
        printable(message, lines=True), title=text("error.title", lang), border_style="red"
    )


def bug_message(error: BaseException, lang: Lang) -> str:
    """That this is a bug, and how to report it (run again with --debug).

    The message names the exception's type and the line of `kpi` it came from, never its
    text: that may quote a cell, and so a person's name.
    """
    where = "?"
    frames = traceback.extract_tb(error.__traceback__)
    ours = [frame for frame in frames if "kpi_tritue" in Path(frame.filename).parts]
    if ours or frames:
        frame = (ours or frames)[-1]
        where = f"{Path(frame.filename).name}:{frame.lineno}"
    return text("error.internal", lang, kind=type(error).__name__, where=where)


def traceback_text(error: BaseException) -> str:
    """The traceback of a bug, for --debug."""
    return "".join(traceback.format_exception(error))


def stdout_lost_message(lost: OutputLost, lang: Lang) -> str:
    """The results did not all reach stdout: why, and what to do."""
    return text("error.stdout", lang, reason=os_reason(lost.cause, lang))
