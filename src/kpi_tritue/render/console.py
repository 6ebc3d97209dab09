"""The consoles `cli.py` prints to (results to stdout, messages to stderr), and the
progress bar shown on stderr while workbooks are read, when stderr is a terminal.

rich is imported with this module, never at start-up: `kpi --help` does not need it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console as Console
from rich.markup import escape
from rich.progress import Progress

from kpi_tritue.i18n.numbers import printable


def stdout() -> Console:
    return Console(highlight=False, soft_wrap=False, markup=False)


def stderr() -> Console:
    return Console(stderr=True, highlight=False, markup=False)


@contextmanager
def progress_bar() -> Iterator[Callable[[int, int, str], None] | None]:
    """A callback told (step, total, file name) that moves a bar on stderr; None when
    stderr is not a terminal. The bar is gone once the block ends."""
    console = stderr()
    if not console.is_terminal:
        yield None
        return
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("…", total=None)

        def report(step: int, total: int, name: str) -> None:
            # The bar's text is rich markup: a file name is shown as it is, controls as `�`.
            shown = escape(printable(name))
            progress.update(task, completed=step, total=total, description=shown)

        yield report
