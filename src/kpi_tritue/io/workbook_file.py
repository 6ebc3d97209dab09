"""What is read of a workbook's file as a whole: its digest, its kind, and its bytes."""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path

ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# A workbook's file is read once, whole, and calamine reads it from memory, when it is at
# most `IN_MEMORY_UP_TO` long and the workbooks alive hold at most `IN_MEMORY_BUDGET` so
# with it. Given a path, calamine holds the file open as long as its reader lives, and a
# run holds every workbook of its folder at once: 2,000 workbooks are more files than a
# process may open by default (1,024 on Linux, 256 on macOS), and each read past that
# failed as an unreadable sheet. Held in memory, a file costs its size (pictures
# included) until the run ends: the budget bounds that for a folder of big files, whose
# files past it are read from their path, open as before.
IN_MEMORY_UP_TO = 64 << 20
IN_MEMORY_BUDGET = 256 << 20
_held = 0
_held_lock = threading.Lock()


def in_memory(path: Path) -> Path | bytes:
    """The file's bytes when they fit (`IN_MEMORY_UP_TO`, `IN_MEMORY_BUDGET`), counted as
    held until `release(len(bytes))`; else its path. At most the size the file had when
    opened, and one byte more, is read."""
    global _held
    with path.open("rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        with _held_lock:
            if size > IN_MEMORY_UP_TO or _held + size > IN_MEMORY_BUDGET:
                return path
            _held += size
        data = handle.read(size + 1)
    if len(data) != size:  # it changed as it was read: the path, as for a big file
        release(size)
        return path
    return data


def release(size: int) -> None:
    """What a reader held in memory (`in_memory`) is given back to the budget."""
    global _held
    with _held_lock:
        _held -= size


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def sniff_format(path: Path) -> str:
    """What the bytes say the file is: `zip`, `ole2`, or `unknown`. Never trusts the suffix."""
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(ZIP_MAGIC):
        return "zip"
    if head == OLE2_MAGIC:
        return "ole2"
    return "unknown"
