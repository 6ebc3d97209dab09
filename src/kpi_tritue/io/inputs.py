"""The workbooks given: folders expanded, paths checked, and each workbook opened once.

`open_inputs` is the one place a command opens its workbooks: it matches their sheets and
reads `ThongTin`, which is all a command needs to choose its path (one report year or
several); the dataset of one year (`dataset.load_dataset`) and the series of several
(`series.load_series`) are then read from the same opened workbooks. A run of many small
files is read in several processes (`shards.py`): given as paths, each file is opened by
the one process that reads it; opened here first, a worker opens its share again (a
reader cannot cross to another process), this process reads its own as opened.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kpi_tritue.contract.schema import CONTRACT, WORKFORCE, Contract
from kpi_tritue.contract.text_inputs import UnsafeInput
from kpi_tritue.io.reader import WORKBOOK_SUFFIXES
from kpi_tritue.io.safe_files import path_problem, workbooks_in
from kpi_tritue.io.workbook import OpenedWorkbook, listed, open_workbook, read_infos
from kpi_tritue.model.issues import Issue, Severity

ProgressCallback = Callable[[int, int, str], None]


@dataclass(frozen=True)
class OpenedInputs:
    """Every workbook found in the inputs, opened once, in the order of their paths."""

    # How many workbooks were found (opened or not): the unit of a progress bar.
    found: int
    workbooks: tuple[OpenedWorkbook, ...]
    # Paths that are not workbooks, and workbooks that cannot be opened at all.
    issues: tuple[Issue, ...]
    contract: Contract = CONTRACT

    @property
    def stated_years(self) -> set[int]:
        """The report years the workbooks state in `ThongTin` (`Ngày số liệu` first)."""
        years: set[int] = set()
        for workbook in self.workbooks:
            info = workbook.info
            year = info.as_of.year if info.as_of is not None else info.report_year
            if year is not None:
                years.add(year)
        return years


def open_inputs(
    inputs: Sequence[str],
    *,
    contract: Contract = CONTRACT,
    progress: ProgressCallback | None = None,
) -> OpenedInputs:
    """Open every workbook of `inputs` once. Never raises for bad input: see `issues`.

    `progress` is called before each file with (files done, files found, name).
    """
    files, issues = expand_inputs(inputs)
    return open_files(files, issues, contract=contract, progress=progress)


def open_files(
    files: Sequence[tuple[Path, str]],
    issues: Sequence[Issue] = (),
    *,
    contract: Contract = CONTRACT,
    progress: ProgressCallback | None = None,
) -> OpenedInputs:
    """`open_inputs` of the files `expand_inputs` found (and the issues it met)."""
    found = list(issues)
    opened: list[OpenedWorkbook] = []
    for step, (path, display) in enumerate(files):
        if progress:
            progress(step, len(files), display)
        result = open_workbook(path, display, contract, info=False)
        if isinstance(result, list):
            found.extend(result)
        else:
            opened.append(result)
    read_infos(opened, contract)
    return OpenedInputs(len(files), tuple(opened), tuple(found), contract)


# The issue of a folder given that holds no workbook: the only issue whose file is a folder
# (a files table's line, but no file, `file_summaries`; no copy to annotate, `app`).
NO_WORKBOOKS_IN_FOLDER = "no_workbooks_in_folder"


def expand_inputs(inputs: Sequence[str]) -> tuple[list[tuple[Path, str]], list[Issue]]:
    """Files and folders as given → (path, display name) of every workbook, sorted.

    Only regular files are taken (through symlinks): a device, a FIFO or a socket, given
    or met in a folder under a workbook's name, is an error and is never opened, since
    reading it may never end. Folders are walked without following symlinked folders.
    """
    found: dict[Path, str] = {}
    issues: list[Issue] = []
    for given in inputs:
        path = Path(given)
        if path.is_dir():
            workbooks, skipped = _workbooks_in(path)
            issues += skipped
            if not workbooks:
                issues.append(
                    Issue(
                        Severity.ERROR, NO_WORKBOOKS_IN_FOLDER, file=given, params={"path": given}
                    )
                )
            for workbook in workbooks:
                found.setdefault(workbook.resolve(), workbook.as_posix())
            continue
        problem = path_problem(path, folder_ok=False)
        if problem is None:
            found.setdefault(path.resolve(), path.as_posix())
        else:
            issues.append(_unreadable(given, problem))
    return sorted(found.items(), key=lambda item: item[1]), issues


def _workbooks_in(folder: Path) -> tuple[list[Path], list[Issue]]:
    """The workbooks under `folder` (`safe_files.workbooks_in`), and an error for each entry
    named as a workbook that is not a regular file (or a symlink to nothing)."""
    workbooks, skipped = workbooks_in(folder, WORKBOOK_SUFFIXES)
    issues = [_unreadable(child.as_posix(), problem) for child, problem in skipped]
    return workbooks, sorted(issues, key=Issue.sort_key)


def _unreadable(shown: str, problem: UnsafeInput) -> Issue:
    code = {"missing": "file_not_found", "unreadable": "unreadable_path"}.get(
        problem.code, "not_a_regular_file"
    )
    detail = problem.params.get("detail")
    params = {"path": shown, "detail": None if detail is None else str(detail)}
    return Issue(Severity.ERROR, code, file=shown, params=params)


_LIST_REFUSED = frozenset({"workforce_sheets_ambiguous", "header_not_found"})


def missing_workforce(inputs: OpenedInputs) -> list[Issue]:
    """`NhanSu` is required of the run, not of every file (input-format.md, Consolidation):
    one error for the run when no workbook has it, naming the files read.

    None when a workbook has it, and none when no file could be read at all: each file
    then has an error of its own (unreadable, no sheet of the contract) that says why, and
    this one would only repeat it. A run of nothing but reports `kpi export` wrote (each
    skipped, an `info`) has no other error, so it gets this one, naming them.
    """
    if any(WORKFORCE.key in workbook.sheet_names for workbook in inputs.workbooks):
        return []
    # A file whose list was looked for by its content and refused has said why.
    read = [
        workbook.display
        for workbook in inputs.workbooks
        if workbook.sheet_names and not any(i.code in _LIST_REFUSED for i in workbook.issues)
    ]
    reports = sorted(
        {issue.file for issue in inputs.issues if issue.code == "own_report_skipped" and issue.file}
    )
    files = read or reports
    if not files:
        return []
    return [
        Issue(
            Severity.ERROR,
            "missing_workforce_sheet",
            # One file: the error is that file's (and counted on its line).
            file=files[0] if len(files) == 1 else None,
            params={"files": listed(files, paths=True), "count": len(files)},
        )
    ]


__all__ = [
    "NO_WORKBOOKS_IN_FOLDER",
    "OpenedInputs",
    "ProgressCallback",
    "expand_inputs",
    "missing_workforce",
    "open_files",
    "open_inputs",
]
