"""Limits that stop a hostile workbook before it costs much, as explicit settings.

A zip bomb (a sheet whose XML inflates to gigabytes) is recognised from the archive's
directory before any of it is inflated: by its declared size and by its compression
ratio. Each limit has a default and an environment variable; the message of an issue
names the limit that was hit, so a user with a genuinely huge file knows what to raise.
"""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

MIB = 1 << 20


@dataclass(frozen=True)
class Limits:
    max_sheet_bytes: int = 2048 * MIB
    max_ratio: float = 200.0
    max_rows: int = 1_048_576

    @classmethod
    def from_environment(cls) -> Limits:
        """Defaults, overridden by `KPI_MAX_SHEET_MB`, `KPI_MAX_RATIO`, `KPI_MAX_ROWS`."""
        defaults = cls()
        return cls(
            max_sheet_bytes=_int_env("KPI_MAX_SHEET_MB", defaults.max_sheet_bytes // MIB) * MIB,
            max_ratio=float(_int_env("KPI_MAX_RATIO", int(defaults.max_ratio))),
            max_rows=_int_env("KPI_MAX_ROWS", defaults.max_rows),
        )


def _int_env(name: str, default: int) -> int:
    try:
        value = int(os.environ.get(name, ""))
    except ValueError:
        return default
    return value if value > 0 else default


@dataclass(frozen=True)
class LimitHit:
    """Which limit a part of the archive exceeds, with the figures for the message."""

    setting: str
    part: str
    value: str
    limit: str


# Parts small or irrelevant enough not to matter: only sheets and shared strings are parsed
# into cells, and those are what a bomb inflates.
_PARSED_PARTS = ("xl/worksheets/", "xl/sharedStrings", "content.xml")


def inspect_archive(path: Path, limits: Limits) -> LimitHit | None:
    """The first limit a zip-based workbook exceeds, from its directory alone; or None."""
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError):
        return None  # the reader reports a damaged archive in its own words
    for entry in entries:
        if not entry.filename.startswith(_PARSED_PARTS):
            continue
        if entry.file_size > limits.max_sheet_bytes:
            return LimitHit(
                "KPI_MAX_SHEET_MB",
                entry.filename,
                f"{entry.file_size // MIB} MB",
                f"{limits.max_sheet_bytes // MIB} MB",
            )
        # A ratio only means something once there is something to inflate.
        if entry.file_size > 64 * MIB and entry.compress_size > 0:
            ratio = entry.file_size / entry.compress_size
            if ratio > limits.max_ratio:
                return LimitHit(
                    "KPI_MAX_RATIO", entry.filename, f"{ratio:.0f}", f"{limits.max_ratio:.0f}"
                )
    return None
