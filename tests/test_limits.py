"""Limits on hostile archives: declared sizes are checked against the data itself."""

from __future__ import annotations

import io
import random
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from data.make_bad_corpus import declare_sizes
from kpi_tritue.limits import ArchiveMismatch, check_declared_sizes, inflated_blocks


def _archive(path: Path, parts: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", method) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def _declare(path: Path, part: str, size: int) -> None:
    path.write_bytes(declare_sizes(path.read_bytes(), {part: size}))


@settings(max_examples=30)
@given(
    st.binary(max_size=5000) | st.text(max_size=3000).map(str.encode),
    st.sampled_from([zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED]),
)
def test_an_honest_part_inflates_to_exactly_its_bytes(data: bytes, method: int) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        archive.writestr("xl/sharedStrings.xml", data)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "a.xlsx"
        path.write_bytes(buffer.getvalue())
        with zipfile.ZipFile(path) as archive:
            entry = archive.getinfo("xl/sharedStrings.xml")
        assert b"".join(inflated_blocks(path, entry)) == data
        assert check_declared_sizes(path) is None


@pytest.mark.parametrize("declared", [10, 200_000, 2_000_000])
def test_a_part_that_inflates_to_another_size_than_declared_is_found(
    tmp_path: Path, declared: int
) -> None:
    path = _archive(tmp_path / "a.xlsx", {"xl/sharedStrings.xml": b"<sst>" + b" " * 1_000_000})
    _declare(path, "xl/sharedStrings.xml", declared)
    assert check_declared_sizes(path) == "xl/sharedStrings.xml"
    with zipfile.ZipFile(path) as archive:
        entry = archive.getinfo("xl/sharedStrings.xml")
    with pytest.raises(ArchiveMismatch):
        for _ in inflated_blocks(path, entry):
            pass


def test_a_sheet_declaring_less_than_its_compressed_data_is_refused_from_the_directory(
    tmp_path: Path,
) -> None:
    noise = random.Random(7).randbytes(200_000)  # deflate cannot shrink it
    path = _archive(tmp_path / "a.xlsx", {"xl/worksheets/sheet1.xml": noise})
    _declare(path, "xl/worksheets/sheet1.xml", 4096)
    assert check_declared_sizes(path) == "xl/worksheets/sheet1.xml"
