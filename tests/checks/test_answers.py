"""Format checks of the graded conceptual questions."""

from __future__ import annotations

import pytest

from backprop_lib.checks import GRADING_ENV, CheckFailed, check_choice, check_number
from backprop_lib.checks._core import NotDoneYet


def test_valid_choice_passes(capsys):
    """Is an answer among the options accepted, ignoring case and spaces?"""
    check_choice(" B ", "abcd", name="q1")
    assert "is a valid option" in capsys.readouterr().out


def test_invalid_choice_is_named():
    """Is an answer outside the options reported with the options listed?"""
    with pytest.raises(CheckFailed, match="not one of"):
        check_choice("e", "abcd")


@pytest.mark.parametrize("answer", [None, ...])
def test_unanswered_choice_is_not_done_yet(answer):
    """Is an unanswered question a NotImplementedError-like failure (the stub)?"""
    with pytest.raises(NotDoneYet):
        check_choice(answer, "abcd")


def test_number_passes(capsys):
    """Is a real number accepted?"""
    check_number(0.25, name="q2")
    assert "is a number" in capsys.readouterr().out


@pytest.mark.parametrize("answer", ["0.25", True, [1]])
def test_non_numbers_are_refused(answer):
    """Are strings, booleans and lists refused as numeric answers?"""
    with pytest.raises(CheckFailed, match="should be a number"):
        check_number(answer)


def test_unanswered_number():
    """Is an unanswered numeric question told to set a number?"""
    with pytest.raises(CheckFailed, match="not answered yet"):
        check_number(None)


def test_grading_mode_prints(monkeypatch, capsys):
    """Under the autograder, does a malformed answer print instead of raising?"""
    monkeypatch.setenv(GRADING_ENV, "1")
    assert check_choice("z", "abc") is None
    captured = capsys.readouterr()
    assert "not one of" in captured.out and captured.err == ""
