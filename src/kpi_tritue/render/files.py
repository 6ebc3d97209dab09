"""One line per input file (`kpi validate`): the table that starts the output, and its
JSON (`files`). The numbers are counted in io/ (`io/file_summaries.py`); here they are
only formatted and laid out for the width there is.

Files in the order of their paths (stable from run to run, as the folder is); a file with
an error is marked, so the units that must resend stand out. Long paths lose their middle
(the end is the file's name), long units their end.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from rich import box
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.table import Table
from rich.text import Text

from kpi_tritue.i18n import Lang, text
from kpi_tritue.i18n.numbers import format_number, printable
from kpi_tritue.model.sources import FileSummaries, FileSummary

MARK = "✗"
_ELLIPSIS = "…"
# A terminal that takes ASCII only (`PYTHONIOENCODING=ascii`): what it can show instead,
# chosen here so that the layout counts the cells it will really take.
_ASCII_MARK = "x"
_ASCII_ELLIPSIS = "..."
# The columns of names: never narrower than these, whatever the width.
_MIN_FILE = 12
_MIN_UNIT = 8


def files_table(summaries: FileSummaries, lang: Lang) -> FilesView:
    """The table of the files read, laid out when printed for the width there is."""
    return FilesView(summaries, lang)


@dataclass(frozen=True)
class FilesView:
    summaries: FileSummaries
    lang: Lang

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        ascii_only = options.ascii_only
        yield _files_group(
            self.summaries,
            self.lang,
            options.max_width,
            _ASCII_MARK if ascii_only else MARK,
            _ASCII_ELLIPSIS if ascii_only else _ELLIPSIS,
        )


def files_json(summaries: FileSummaries) -> list[dict[str, Any]]:
    """`files` of `kpi validate --format json`: one object per file, sorted by path."""
    return [
        {
            "path": line.path,
            "rows": line.rows,
            "unit_rows": line.unit_rows,
            "errors": line.errors,
            "warnings": line.warnings,
            "infos": line.infos,
            "report_year": line.report_year,
            "reporting_unit": line.reporting_unit,
        }
        for line in sorted(summaries.files, key=lambda line: line.path)
    ]


def _numbers(line: FileSummary, lang: Lang) -> tuple[str, str, str, str, str]:
    return (
        format_number(line.rows, 0, lang),
        format_number(line.unit_rows, 0, lang),
        format_number(line.errors, 0, lang),
        format_number(line.warnings, 0, lang),
        "—" if line.report_year is None else str(line.report_year),
    )


def _files_group(
    summaries: FileSummaries, lang: Lang, width: int, mark: str, ellipsis: str
) -> Group:
    lines = summaries.files
    numbers = [_numbers(line, lang) for line in lines]
    headers = [
        text(f"files.col.{key}", lang) for key in ("rows", "units", "errors", "warnings", "year")
    ]
    fixed = [
        max([cell_len(header), *(cell_len(row[i]) for row in numbers)])
        for i, header in enumerate(headers)
    ]
    folder = common_folder([line.path for line in lines])
    paths = [printable(within(line.path, folder)) for line in lines]
    units = [printable(line.reporting_unit or "—") for line in lines]
    file_header, unit_header = text("files.col.file", lang), text("files.col.unit", lang)
    # Two cells between columns (a space of padding and the box's space), none outside.
    room = width - sum(fixed) - 2 * (len(fixed) + 1)
    file_width, unit_width = _share(
        room,
        max([cell_len(file_header), *(cell_len(p) + 2 for p in paths)]),
        max([cell_len(unit_header), *(cell_len(u) for u in units)]),
    )
    title = (
        text("files.title_in", lang, folder=_middle(printable(folder), max(width - 30, 10)))
        if folder
        else text("files.title", lang)
    )
    table = Table(
        title=title,
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        padding=(0, 1, 0, 0),
        collapse_padding=False,
    )
    table.add_column(file_header, width=file_width, no_wrap=True)
    for header, size in zip(headers, fixed, strict=True):
        table.add_column(header, justify="right", width=size, no_wrap=True)
    table.add_column(unit_header, width=unit_width, no_wrap=True)
    for line, path, unit, cells in zip(lines, paths, units, numbers, strict=True):
        name = Text(mark + " ", "bold red") if line.errors else Text("  ")
        name.append(_middle(path, file_width - 2, ellipsis))
        rows, unit_rows, errors, warnings, year = cells
        table.add_row(
            name,
            rows,
            unit_rows,
            Text(errors, "bold red" if line.errors else ""),
            Text(warnings, "yellow" if line.warnings else ""),
            year,
            _end(unit, unit_width, ellipsis),
        )
    notes = [Text(text("files.caption", lang, mark=mark), style="dim")]
    if summaries.run_errors or summaries.run_warnings or summaries.run_infos:
        run = text(
            "files.run_issues",
            lang,
            errors=format_number(summaries.run_errors, 0, lang),
            warnings=format_number(summaries.run_warnings, 0, lang),
            infos=format_number(summaries.run_infos, 0, lang),
        )
        notes.append(Text(run, style="dim"))
    return Group(table, *notes)


def common_folder(paths: list[str]) -> str:
    """The folder every path is in (`reports/2024`), shown once in the title so that the
    lines have room for the files' names (here and in the issues table); `` when there is
    none."""
    folders = [path.rpartition("/")[0] for path in paths]
    if not paths or not all(folders):
        return ""
    try:
        common = posixpath.commonpath(folders)
    except ValueError:  # absolute and relative paths mixed
        return ""
    return "" if common in ("", "/") else common


def within(path: str, folder: str) -> str:
    """`path` from within `folder` when it lies in it, else whole."""
    return path[len(folder) + 1 :] if folder and path.startswith(folder + "/") else path


def _share(room: int, file_need: int, unit_need: int) -> tuple[int, int]:
    """The widths of the file and unit columns in `room`: each what it needs when both
    fit; else the unit gets at most two fifths and the file the rest."""
    if file_need + unit_need <= room:
        return file_need, unit_need
    unit = max(min(unit_need, max(room - file_need, room * 2 // 5)), _MIN_UNIT)
    return max(room - unit, _MIN_FILE), unit


def _middle(value: str, width: int, ellipsis: str = _ELLIPSIS) -> str:
    """`value` in `width` cells: whole when it fits, else its start, `…` and its end (the
    end is the longer part: a path ends with the file's name)."""
    if cell_len(value) <= width:
        return value
    room = width - len(ellipsis)
    if room < 2:
        return "".join(_fitting(iter(value), width))
    head_width = room // 3
    head = "".join(_fitting(iter(value), head_width))
    tail = "".join(reversed(list(_fitting(reversed(value), room - head_width))))
    return head + ellipsis + tail


def _end(value: str, width: int, ellipsis: str = _ELLIPSIS) -> str:
    """`value` in `width` cells: whole when it fits, else its start and `…`."""
    if cell_len(value) <= width:
        return value
    room = width - len(ellipsis)
    if room < 1:
        return "".join(_fitting(iter(value), width))
    return "".join(_fitting(iter(value), room)) + ellipsis


def _fitting(chars: Iterator[str], width: int) -> Iterator[str]:
    used = 0
    for char in chars:
        used += cell_len(char)
        if used > width:
            return
        yield char


__all__ = ["MARK", "FilesView", "files_json", "files_table"]
