"""The standard streams' guard: text a stream cannot encode degrades, failures are told once."""

from __future__ import annotations

import errno
import io
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kpi_tritue.errors import OutputLost
from kpi_tritue.render.streams import ERRORS, GuardedStream


@given(st.text(st.characters(exclude_categories=())))
def test_any_text_encodes_to_ascii_and_to_strict_utf8(text: str) -> None:
    """Vietnamese, box drawing, lone surrogates (a file name's stray byte): never an error."""
    assert text.encode("ascii", ERRORS).isascii()
    as_utf8 = text.encode("utf-8", ERRORS)
    assert as_utf8.decode("utf-8") == as_utf8.decode("utf-8", "strict")


def test_vietnamese_loses_only_its_diacritics_in_ascii() -> None:
    sentence = "Lỗi: Không tìm thấy tệp “Đơn vị” — số liệu… ≥ 14"
    expected = b'Loi: Khong tim thay tep "Don vi" - so lieu... >= 14'
    assert sentence.encode("ascii", ERRORS) == expected


def test_a_stray_byte_of_a_file_name_becomes_a_replacement_character() -> None:
    name = b"bao_cao_\xff.xlsx".decode("utf-8", "surrogateescape")
    assert name.encode("utf-8", ERRORS).decode("utf-8") == "bao_cao_\ufffd.xlsx"
    assert name.encode("ascii", ERRORS) == b"bao_cao_?.xlsx"
    document = json.dumps({"file": name}, ensure_ascii=False)
    assert json.loads(document.encode("utf-8", ERRORS)) == {"file": "bao_cao_\ufffd.xlsx"}


class _Full(io.StringIO):
    def write(self, text: str) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")


def test_stdout_failing_is_raised_once_then_its_writes_are_dropped() -> None:
    stdout = GuardedStream(_Full(), carries_results=True)
    with pytest.raises(OutputLost) as lost:
        stdout.write("kết quả")
    assert lost.value.cause.errno == errno.ENOSPC and not lost.value.reader_left
    assert stdout.lost is lost.value
    assert stdout.write("more") == 4  # dropped, not raised again
    stdout.flush()


def test_stderr_failing_is_never_raised() -> None:
    stderr = GuardedStream(_Full(), carries_results=False)
    assert stderr.write("thông báo") == len("thông báo")
    stderr.flush()
    assert stderr.lost is None and stderr.failure is not None


def test_a_closed_stdout_fails_at_the_first_text_only() -> None:
    stdout = GuardedStream(None, carries_results=True)
    assert stdout.write("") == 0
    with pytest.raises(TypeError):
        stdout.write(b"")  # type: ignore[arg-type]  # as a text stream answers click's probe
    with pytest.raises(OutputLost) as lost:
        stdout.write("x")
    assert lost.value.cause.errno == errno.EBADF
