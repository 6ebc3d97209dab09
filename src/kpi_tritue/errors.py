"""The few exceptions the core raises; the CLI maps each to an exit code."""

from __future__ import annotations


class KpiError(Exception):
    """Base class: something the user can fix, with a message that says how."""


class InputError(KpiError):
    """The input cannot be used (exit code 3)."""
