"""The inputs of the use cases (`app.py`): the command line's paths and dates checked,
the catalog, the `--columns` mapping and the workbooks read, and the errors that stop a
command before anything is computed (`UnusablePaths`: exit code 2; `InvalidRows`: 3).

Moved out of `app.py` (which re-exports every name) to keep each module under 700 lines;
the same layer as `app`, and, like it, nothing heavy is imported at module level.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from kpi_tritue.errors import InputError, UsageError

if TYPE_CHECKING:
    from kpi_tritue.catalog.model import Catalog
    from kpi_tritue.contract.schema import Contract
    from kpi_tritue.contract.text_inputs import UnsafeInput
    from kpi_tritue.i18n import Lang
    from kpi_tritue.io.dataset import Dataset
    from kpi_tritue.io.inputs import OpenedInputs
    from kpi_tritue.io.series import YearlyData
    from kpi_tritue.model.issues import Issue

# Told (step, total, file name) while workbooks are read: the command line's progress bar.
Progress = Callable[[int, int, str], None]

_AS_OF = re.compile(r"^(?:(\d{4})-(\d{1,2})-(\d{1,2})|(\d{1,2})/(\d{1,2})/(\d{4}))$")


class UnusablePaths(UsageError):
    """Paths on the command line that name nothing readable (missing, a device, a FIFO…):
    the fix is to the command, and nothing was read (exit code 2)."""

    def __init__(self, problems: Sequence[UnsafeInput]) -> None:
        # The message is the problems' own (`message`), one a line.
        super().__init__("paths", problems=len(problems))
        self.problems = list(problems)

    def message(self, lang: Lang) -> str:
        return "\n".join(problem.message(lang) for problem in self.problems)


class InvalidRows(InputError):
    """The input has errors, and they cannot be left out (no `--skip-invalid`, or an error
    that is not in a row: a file or a sheet that cannot be read). `errors` are listed before
    the message; a summary of issues past the limit counts as the errors it stands for."""

    def __init__(self, errors: Sequence[Issue]) -> None:
        # `--skip-invalid` is advised only where it helps: when every error is in a row.
        # Otherwise (a file, a sheet, a column that cannot be read) it leaves nothing out,
        # whether or not it was given.
        in_rows = all(issue.row is not None for issue in errors)
        key = "error.input" if in_rows else "error.input_not_in_rows"
        super().__init__(key, errors=sum(issue.weight for issue in errors))
        self.errors = list(errors)


def parse_as_of(value: str | None) -> date | None:
    """`--as-of`: dd/mm/yyyy or yyyy-mm-dd; `UsageError` (exit code 2) for anything else."""
    if value is None:
        return None
    match = _AS_OF.match(value.strip())
    try:
        if match and match[1]:
            return date(int(match[1]), int(match[2]), int(match[3]))
        if match:
            return date(int(match[6]), int(match[5]), int(match[4]))
    except ValueError:
        pass
    from kpi_tritue.contract.privacy import quote

    raise UsageError("errors.as_of", value=quote(value))


def check_paths(files: Sequence[str], *, folders: bool = True) -> None:
    """`UnusablePaths` (exit code 2) unless every path names a regular file (or a folder,
    where `folders`): the command line names something that cannot be read (missing, or a
    device, a FIFO...), so the fix is to the command, and nothing was read. Never opens
    anything."""
    from kpi_tritue.io.safe_files import path_problem

    problems = [path_problem(Path(f), folder_ok=folders) for f in files]
    found = [problem for problem in problems if problem is not None]
    if found:
        raise UnusablePaths(found)


def load_catalog(targets: Path | None) -> Catalog:
    """The default catalog, or a `--targets` file: a path that is not a regular file is
    usage (2), a bad catalog is input (3: `CatalogError`)."""
    if targets is None:
        from kpi_tritue.catalog.reading import load_catalog as packaged

        return packaged()
    from kpi_tritue.io.option_files import load_targets

    check_paths([str(targets)], folders=False)
    return load_targets(targets)


def load_contract(columns: Path | None) -> Contract:
    """The input contract, with a `--columns` mapping in it when one is given: a path that
    is not a regular file, or a mapping with a fault, is usage (2: `MappingError`)."""
    from kpi_tritue.contract.schema import CONTRACT

    if columns is None:
        return CONTRACT
    from kpi_tritue.io.option_files import load_columns

    check_paths([str(columns)], folders=False)
    return load_columns(Path(columns))


def load(
    files: Sequence[str],
    as_of: str | None,
    progress: Progress | None = None,
    opened: OpenedInputs | None = None,
    contract: Contract | None = None,
    catalog: Catalog | None = None,
) -> Dataset:
    """The workbooks given, read and validated (the paths and `--as-of` checked first),
    through `contract` (the default one, or with a `--columns` mapping); from the
    workbooks already `opened` from them when there are (with the contract they were
    opened with). Leadership flags are derived by the `catalog`'s `[[roles]]` (None: the
    packaged catalog's, `kpi validate`)."""
    from kpi_tritue.contract.schema import CONTRACT
    from kpi_tritue.io.dataset import load_dataset

    check_paths(files)
    reference = parse_as_of(as_of)
    roles = None if catalog is None else catalog.roles
    if opened is not None:
        return load_dataset(opened, as_of=reference, progress=progress, roles=roles)
    chosen = CONTRACT if contract is None else contract
    return load_dataset(files, as_of=reference, progress=progress, contract=chosen, roles=roles)


# What `usable` takes: one report year's data, or several years' (`kpi trend`).
_Read = TypeVar("_Read", "Dataset", "YearlyData")


def usable(data: _Read, skip_invalid: bool) -> tuple[_Read, int]:
    """The data and the number of rows left out: `InvalidRows` (exit code 3) on errors, or,
    with `--skip-invalid`, the bad rows left out."""
    errors = _errors(data.issues)
    if not errors:
        return data, 0
    # Only row errors can be left out; a file or sheet that cannot be read cannot.
    if skip_invalid and all(issue.row is not None for issue in errors):
        return data.without_invalid_rows()
    raise InvalidRows(errors)


def _errors(issues: Sequence[Issue]) -> list[Issue]:
    from kpi_tritue.model.issues import Severity

    return [issue for issue in issues if issue.severity is Severity.ERROR]
