"""The few exceptions the core raises; the CLI maps each to an exit code."""

from __future__ import annotations


class KpiError(Exception):
    """Base class: something the user can fix, with a message that says how."""


class InputError(KpiError):
    """The input cannot be used (exit code 3)."""


class OutputError(KpiError):
    """An output file that cannot or must not be written (an input, an unwritable folder)."""


class UnknownIndicator(KpiError):
    """An indicator id that the catalog does not have; the message lists those it has."""

    def __init__(self, indicator_id: str, known: list[str]) -> None:
        self.indicator_id = indicator_id
        self.known = list(known)
        super().__init__(
            f"Không có chỉ tiêu \u201c{indicator_id}\u201d trong danh mục "
            f"(no indicator \u201c{indicator_id}\u201d in the catalog). "
            f"Các mã chỉ tiêu / indicator ids: {', '.join(self.known)}"
        )
