"""What is read of a workbook's file as a whole: its digest, its kind, and its bytes."""

from __future__ import annotations

import hashlib
from pathlib import Path

ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# Up to this size a workbook's file is read once, whole, and calamine reads it from memory.
# Given a path, calamine holds the file open as long as its reader lives, and a run holds
# every workbook of its folder at once: 2,000 workbooks are more files than a process may
# open by default (1,024 on Linux, 256 on macOS), and each read past that failed as an
# unreadable sheet. A bigger file keeps its file open: few runs hold many, and what it
# holds beside its sheets (pictures, say) is then not read into memory.
IN_MEMORY_UP_TO = 64 << 20


def in_memory(path: Path) -> Path | bytes:
    """The file's bytes when it is at most `IN_MEMORY_UP_TO` long (at most that and one
    byte more is read), else its path."""
    with path.open("rb") as handle:
        data = handle.read(IN_MEMORY_UP_TO + 1)
    return path if len(data) > IN_MEMORY_UP_TO else data


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
