"""Opening inputs safely: regular files only, small text files read up to a cap.

A path may name something that is not a file at all: `/dev/zero` and `/dev/urandom` never
end, a FIFO (named pipe) blocks until someone writes to it, and a symlink can lead to
either. So a path is looked at (`os.stat`, through symlinks) before anything opens it, and
only a regular file is read. The text inputs (`--targets` TOML, `--baseline` JSON) are
read up to a size limit (`io/inputs`), and their structure is bounded before a parser sees
it (`contract/text_inputs`): Python's TOML parser takes memory quadratic in the parts of a
dotted key (one key of 50,000 parts asks for 10 GB) and recurses once per level of nesting.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

# The bounds and the refusals live with the contract (parsers below io/ use them); they
# are named here too, as the readers' own.
from kpi_tritue.contract.text_inputs import TextLimit, UnsafeInput

# ---------------------------------------------------------------------------------------
# What a path names


# The longest path a file can have here (Linux's PATH_MAX). A path given on the command
# line may be far longer (up to 128 KiB an argument): it names nothing, and is shown with
# its middle cut out, so that what is said of it stays bounded.
LONGEST_PATH_SHOWN = 4096


def path_problem(path: Path, *, folder_ok: bool) -> UnsafeInput | None:
    """None when `path` (through symlinks) is a regular file, or a folder if `folder_ok`;
    else why it cannot be read. Nothing is opened."""
    shown = shown_path(path)
    try:
        mode = os.stat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return UnsafeInput("missing", path=shown)
    except OSError as error:  # no permission, a symlink loop, a name too long
        return UnsafeInput("unreadable", path=shown, detail=error.strerror or str(error))
    except ValueError as error:  # a NUL byte in the name
        return UnsafeInput("unreadable", path=shown, detail=str(error))
    if stat.S_ISREG(mode) or (folder_ok and stat.S_ISDIR(mode)):
        return None
    return UnsafeInput("not_regular", path=shown)


def shown_path(path: Path) -> str:
    """`path` as said in a message: whole, unless it is longer than any file's can be."""
    text = str(path)
    if len(text) <= LONGEST_PATH_SHOWN:
        return text
    half = LONGEST_PATH_SHOWN // 2 - 1
    return f"{text[:half]}…{text[-half:]}"


def read_capped(path: Path, limit: TextLimit) -> bytes:
    """The bytes of a regular file of at most `limit`; `UnsafeInput` otherwise.

    The path is checked before it is opened, so a FIFO is never opened; the file is opened
    without blocking (should it have been swapped for a FIFO in between) and checked again.
    """
    problem = path_problem(path, folder_ok=False)
    if problem is not None:
        raise problem
    most = limit.bytes()
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        handle = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise UnsafeInput("missing", path=str(path)) from None
    except OSError as error:
        raise UnsafeInput(
            "unreadable", path=str(path), detail=error.strerror or str(error)
        ) from None
    with os.fdopen(handle, "rb") as stream:
        if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
            raise UnsafeInput("not_regular", path=str(path))
        try:
            data = stream.read(most + 1)
        except OSError as error:
            raise UnsafeInput(
                "unreadable", path=str(path), detail=error.strerror or str(error)
            ) from None
    if len(data) > most:
        raise UnsafeInput(
            "too_big",
            limit=limit.shown(),
            setting=limit.setting,
            suggest=limit.bytes() // limit.unit * 4,
        )
    return data


def decode_utf8(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UnsafeInput("not_utf8", position=error.start) from None


def workbooks_in(
    folder: Path, suffixes: frozenset[str]
) -> tuple[list[Path], list[tuple[Path, UnsafeInput]]]:
    """The workbooks under `folder` (regular files named with one of `suffixes`, hidden and
    lock files left out), sorted; and each entry named as a workbook that is not a regular
    file (or a symlink to nothing), with what is wrong with it. Iterative: a folder nested
    thousands deep costs no recursion. Light (no pandas): the command line finds the first
    workbook of a run with it before the heavy imports."""
    workbooks: list[Path] = []
    skipped: list[tuple[Path, UnsafeInput]] = []
    pending = [folder]
    while pending:
        current = pending.pop()
        try:
            with os.scandir(current) as entries:
                listed = list(entries)
        except OSError:
            continue  # an unreadable folder holds nothing that can be read
        for entry in listed:
            if entry.name.startswith("."):
                continue
            child = current / entry.name
            try:
                is_folder = entry.is_dir(follow_symlinks=False)
            except OSError:
                is_folder = False
            if is_folder:
                pending.append(child)
                continue
            if entry.name.startswith("~$") or child.suffix.lower() not in suffixes:
                continue
            try:
                # A regular file, through symlinks (no extra stat for a plain file).
                regular = entry.is_file()
            except OSError:
                regular = False
            if regular:
                workbooks.append(child)
                continue
            problem = path_problem(child, folder_ok=False)
            if problem is not None and (problem.code != "missing" or entry.is_symlink()):
                # (A file gone since the folder was listed was never an input.)
                skipped.append((child, problem))
    return sorted(workbooks), skipped
