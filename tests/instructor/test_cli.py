"""The backprop-course command line: helps a newcomer can follow, one-line errors."""

from __future__ import annotations

import pytest

from backprop_lib.cli import build_parser

from .classroom import Classroom

COMMANDS = ("release", "collect", "autograde", "feedback", "export", "report")


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_explains_itself_with_an_example(command, capsys):
    """Does `backprop-course COMMAND --help` describe the step and show an example?"""
    with pytest.raises(SystemExit) as stop:
        build_parser().parse_args([command, "--help"])
    assert stop.value.code == 0
    text = capsys.readouterr().out
    assert "example" in text and f"backprop-course {command}" in text and "--course" in text


def test_main_help_shows_the_whole_workflow(capsys):
    """Does the main help list every step in order, from collect to report?"""
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--help"])
    text = capsys.readouterr().out
    positions = [text.index(f"backprop-course {c} ") for c in COMMANDS[1:]]
    assert positions == sorted(positions)


@pytest.mark.parametrize(
    "where", [["--course", "X", "autograde", "a"], ["autograde", "a", "--course", "X"]]
)
def test_course_can_be_given_before_or_after_the_command(where):
    """Is --course read wherever it is on the line?"""
    assert build_parser().parse_args(where).course == "X"


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["autograde", "99_nothing"], "no assignment '99_nothing'"),
        (["autograde", "01_forward_pass"], "no submissions of 01_forward_pass"),
        (["autograde", "01_forward_pass", "--workers", "0"], "expected at least 1"),
        (["feedback", "01_forward_pass"], "run `backprop-course autograde 01_forward_pass` first"),
        (["report", "01_forward_pass"], "autograde it first"),
        (["export", "01_forward_pass"], "autograde first"),
    ],
)
def test_mistakes_get_one_clear_line_and_no_traceback(arguments, message, tmp_path):
    """Does a wrong assignment, an empty class or a bad option give one clear line, no traceback?"""
    run = Classroom(tmp_path).cli(*arguments, check=False)
    assert run.returncode == 2
    assert message in run.stderr, run.stderr
    assert "Traceback" not in run.stderr
