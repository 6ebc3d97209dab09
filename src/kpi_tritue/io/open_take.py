"""A run's files opened and taken in one pass (issue 14, round 14).

The plain way opens every file first (`open_workbook`, then `read_infos` for their
`ThongTin`), then takes their data sheets (`take_files`), whose loads (the gate and
calamine's parse, `Workbook._load`) run ahead in reader threads: while the files are
opened, the readers wait, and while they load, the command's thread waits for them
(200 files of 1,000 rows: opening 0.22 s on one core, then 0.5 s of the 0.7 s of takes
spent waiting for the loads).

`open_and_take` hands each file to the readers as soon as it is opened
(`load_ahead.LoadsAsOpened`, its `ThongTin` loaded first), so that the loads run while the
next files are opened; then takes each file's `ThongTin` and data sheets as its loads
end. What each file is and what is taken of it are the plain way's: the same
`open_workbook`, the same heads (`info_head`, `FileHeads`), the same data rows and
`ThongTin` read for all the files at once. `tests/test_open_take.py` holds the two ways
to the same workbooks, issues and taken sheets.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from kpi_tritue.contract.schema import CONTRACT, INFO, Contract
from kpi_tritue.io.load_ahead import LoadsAsOpened, contract_sheets
from kpi_tritue.io.sheet import SheetHead
from kpi_tritue.io.sheet_table import Reporter
from kpi_tritue.io.workbook import (
    FileHeads,
    OpenedWorkbook,
    TakenFiles,
    fewer_collections,
    info_head,
    infos_read,
    open_workbook,
)
from kpi_tritue.model.issues import Issue


def open_and_take(
    files: Sequence[tuple[Path, str]],
    contract: Contract = CONTRACT,
    progress: Callable[[int, str], None] | None = None,
    threads: int | None = None,
) -> tuple[list[OpenedWorkbook | list[Issue]], TakenFiles]:
    """Each of `files` (path, name shown) opened (`open_workbook`), its `ThongTin` read
    with the others' (`read_infos`) and its data sheets taken (`take_files`).

    Returns each file's result of `open_workbook`, in order, and what was taken of those
    that opened, in their order. `progress(step, name)` before each file is opened
    (steps 0 to n - 1) and before it is taken (n to 2n - 1). `threads`: the readers'
    (`LoadsAsOpened`).
    """
    results: list[OpenedWorkbook | list[Issue]] = []
    opened: list[OpenedWorkbook] = []
    # Those opened that have a `ThongTin`, read with the others'.
    having: list[OpenedWorkbook] = []
    infos: list[tuple[SheetHead | None, Reporter]] = []
    heads = FileHeads(contract)
    with fewer_collections(), LoadsAsOpened(threads) as loads:
        for step, (path, display) in enumerate(files):
            if progress:
                progress(step, display)
            result = open_workbook(path, display, contract, info=False)
            results.append(result)
            if isinstance(result, list):
                continue
            names = contract_sheets(result, contract)
            if INFO.key in result.sheet_names:
                having.append(result)
                names.insert(0, result.sheet_names[INFO.key])
            loads.add(result.workbook, names)
            opened.append(result)
        for step, workbook in enumerate(opened):
            if progress:
                progress(len(files) + step, workbook.display)
            loads.take(step)
            if INFO.key in workbook.sheet_names:
                infos.append(info_head(workbook, contract))
            heads.take(workbook)
        infos_read(having, infos, contract)
        return results, heads.rows_taken()


__all__ = ["open_and_take"]
