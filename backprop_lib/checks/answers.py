"""Format checks for the graded conceptual questions.

These only say whether an answer is *well formed* (one of the options, a
number); whether it is *right* is decided by the hidden tests.
"""

from __future__ import annotations

import numbers

from ._core import FAIL, PASS, _finish

__all__ = ["check_choice", "check_number"]


def check_choice(answer, choices, name="answer"):
    """Check that ``answer`` is one of ``choices`` (case and spaces ignored for strings).

    Parameters
    ----------
    answer : object
        The student's answer variable.
    choices : sequence
        The allowed options, e.g. ``"abcd"`` or ``["relu", "sigmoid"]``.
    name : str
        The variable's name, for the message.
    """
    options = list(choices)
    normalised = answer.strip().lower() if isinstance(answer, str) else answer
    allowed = [c.lower() if isinstance(c, str) else c for c in options]
    if answer is None or answer is ...:
        return _finish(
            name, [f"{FAIL} {name} is not answered yet: set it to one of {options}."], not_done=True
        )
    if normalised not in allowed:
        return _finish(name, [f"{FAIL} {name} is {answer!r}, which is not one of {options}."])
    print(f"{PASS} {name} = {answer!r} is a valid option. It will be graded when you submit.")


def check_number(answer, name="answer"):
    """Check that ``answer`` is a real number (not a string, not None).

    Parameters
    ----------
    answer : object
    name : str
    """
    if answer is None or answer is ...:
        return _finish(
            name, [f"{FAIL} {name} is not answered yet: set it to a number."], not_done=True
        )
    if isinstance(answer, bool) or not isinstance(answer, numbers.Real):
        return _finish(name, [f"{FAIL} {name} should be a number, got {type(answer).__name__}."])
    print(f"{PASS} {name} = {answer!r} is a number. It will be graded when you submit.")
