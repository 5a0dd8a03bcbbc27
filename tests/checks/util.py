"""Run a student check from a test and read what it says."""

from __future__ import annotations

import pytest

from backprop_lib.checks import MISTAKE_MARKER, CheckFailed
from backprop_lib.checks._core import run_cases, run_check

__all__ = ["as_call", "failure", "passes", "assert_named", "cases_pass", "named_in_cases"]


def as_call(entry):
    """A table entry is a function (or class), or a tuple ``(fn, *extra)``."""
    if isinstance(entry, tuple):
        return entry[0], entry[1:]
    return entry, ()


def failure(name, entry):
    """The message of the check of ``name`` on ``entry``, which must fail."""
    fn, extra = as_call(entry)
    with pytest.raises(CheckFailed) as info:
        run_check(name, fn, *extra)
    return str(info.value)


def passes(name, entry):
    """Run the check of ``name`` on ``entry``; it must pass (raises CheckFailed otherwise)."""
    fn, extra = as_call(entry)
    run_check(name, fn, *extra)


def assert_named(name, entry, title):
    """The check fails and names the mistake ``title``."""
    message = failure(name, entry)
    assert f"{MISTAKE_MARKER} {title}." in message, message
    assert "Traceback" not in message


def cases_pass(name, entry, cases):
    """Every one of ``cases`` (verifier keyword arguments) passes."""
    fn, extra = as_call(entry)
    for case, lines in run_cases(name, fn, cases, extra=extra):
        assert lines is None, f"{case}: {lines}"


def named_in_cases(name, entry, cases, title):
    """Every one of ``cases`` fails, naming ``title``."""
    fn, extra = as_call(entry)
    for case, lines in run_cases(name, fn, cases, extra=extra):
        assert lines is not None, f"{case} passed"
        assert any(f"{MISTAKE_MARKER} {title}." in line for line in lines), (case, lines)
