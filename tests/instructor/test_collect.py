"""backprop-course collect: from a folder or an LMS zip into nbgrader's submitted/ folder."""

from __future__ import annotations

import json
import zipfile

import pytest

from .classroom import Classroom
from .students import LESSON01, lesson_notebook

NOTEBOOK = json.dumps(lesson_notebook(LESSON01))


def _submitted(room):
    folder = room.course / "submitted"
    return {
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and p.name != "timestamp.txt"
    }


@pytest.fixture
def handed_in(tmp_path):
    """A folder as students hand work in: names, LMS-style names, a folder, a stray file."""
    folder = tmp_path / "handed_in"
    (folder / "carol").mkdir(parents=True)
    for name in ("alice.ipynb", "bob_forward_pass.ipynb", "dave_Forward Pass (2).ipynb"):
        (folder / name).write_text(NOTEBOOK)
    (folder / "carol" / "forward_pass.ipynb").write_text(NOTEBOOK)
    (folder / "notes.txt").write_text("not a submission")
    return folder


def test_collects_a_folder_of_files_named_by_student(handed_in, tmp_path):
    """Is each file filed under its student and the lesson's notebook name, strays skipped?"""
    room = Classroom(tmp_path / "class")
    run = room.cli("collect", LESSON01, str(handed_in))
    assert _submitted(room) == {
        f"{s}/{LESSON01}/forward_pass.ipynb" for s in ("alice", "bob", "carol", "dave")
    }
    assert "collected 4 submissions" in run.stdout and "notes.txt" in run.stdout


def test_collecting_again_needs_force(handed_in, tmp_path):
    """Does a second collect refuse to replace submissions unless --force is given?"""
    room = Classroom(tmp_path / "class")
    room.cli("collect", LESSON01, str(handed_in))
    again = room.cli("collect", LESSON01, str(handed_in), check=False)
    assert again.returncode == 2 and "--force" in again.stderr and "Traceback" not in again.stderr
    room.cli("collect", LESSON01, str(handed_in), "--force")
    assert len(_submitted(room)) == 4


def test_collects_an_lms_zip(tmp_path):
    """Are Canvas-style names in a zip read as student ids?"""
    archive = tmp_path / "submissions.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("smithjohn_12345_67890_forward_pass.ipynb", NOTEBOOK)
        bundle.writestr("doejane_late_222_333_forward_pass-1.ipynb", NOTEBOOK)
    room = Classroom(tmp_path / "class")
    room.cli("collect", LESSON01, str(archive))
    assert _submitted(room) == {
        f"{s}/{LESSON01}/forward_pass.ipynb" for s in ("smithjohn", "doejane")
    }


def test_a_pattern_reads_other_names(tmp_path):
    """Does --pattern read student ids from another naming scheme?"""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "hw1-alice.ipynb").write_text(NOTEBOOK)
    room = Classroom(tmp_path / "class")
    room.cli("collect", LESSON01, str(folder), "--pattern", r".*/hw1-(?P<student_id>\w+)\.ipynb$")
    assert _submitted(room) == {f"alice/{LESSON01}/forward_pass.ipynb"}


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["missing_folder"], "does not exist"),
        (["notes.txt"], "neither a folder nor a zip"),
        (["in", "--pattern", "(unclosed"], "not a valid regular expression"),
        (["in", "--pattern", r".*\.ipynb"], "student_id"),
    ],
)
def test_bad_input_gets_a_one_line_error(arguments, message, tmp_path):
    """Are a missing source, a non-archive and a bad pattern reported in one line, no traceback?"""
    (tmp_path / "in").mkdir()
    (tmp_path / "notes.txt").write_text("x")
    room = Classroom(tmp_path)
    run = room.cli("collect", LESSON01, *arguments, check=False)
    assert run.returncode == 2
    assert message in run.stderr and "Traceback" not in run.stderr
