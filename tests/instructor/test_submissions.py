"""Finding submissions and reading them, whatever state they are in."""

from __future__ import annotations

import json

import pytest

from backprop_lib.instructor.submissions import find_submissions, fingerprint, read_notebook

from .students import LESSON01, lesson_notebook

NOTEBOOK = json.dumps(lesson_notebook(LESSON01))


def _hand_in(root, student, files):
    folder = root / student / LESSON01
    folder.mkdir(parents=True)
    for name, text in files.items():
        (folder / name).write_text(text)
    return folder


def test_a_notebook_with_another_name_is_graded_as_the_lesson(tmp_path):
    """Is a lone notebook with the wrong name taken as the lesson's notebook, and said so?"""
    _hand_in(tmp_path, "ann", {"My copy.ipynb": NOTEBOOK})
    (found,) = find_submissions(tmp_path, LESSON01, ["forward_pass"])
    assert found.notebooks["forward_pass"].name == "My copy.ipynb"
    assert [p.code for p in found.problems] == ["wrong_name"]


def test_a_missing_notebook_is_reported(tmp_path):
    """Is a submission without the notebook (or with two candidates) reported as missing?"""
    _hand_in(tmp_path, "ben", {"a.ipynb": NOTEBOOK, "b.ipynb": NOTEBOOK})
    _hand_in(tmp_path, "cy", {"notes.txt": "hello"})
    ben, cy = find_submissions(tmp_path, LESSON01, ["forward_pass"])
    assert ben.notebooks == {"forward_pass": None} and cy.notebooks == {"forward_pass": None}
    assert "a.ipynb, b.ipynb" in ben.problems[0].message
    assert [p.code for p in cy.problems] == ["missing_notebook"]


def test_only_chosen_students_and_this_assignment(tmp_path):
    """Are other students, other assignments and hidden folders left out?"""
    _hand_in(tmp_path, "ann", {"forward_pass.ipynb": NOTEBOOK})
    _hand_in(tmp_path, "ben", {"forward_pass.ipynb": NOTEBOOK})
    (tmp_path / ".ipynb_checkpoints" / LESSON01).mkdir(parents=True)
    (tmp_path / "cy" / "02_loss").mkdir(parents=True)
    assert [s.student for s in find_submissions(tmp_path, LESSON01, ["forward_pass"])] == [
        "ann",
        "ben",
    ]
    assert [s.student for s in find_submissions(tmp_path, LESSON01, ["x"], ["ben"])] == ["ben"]


def test_fingerprint_changes_with_any_file(tmp_path):
    """Does the fingerprint of a submission change when any of its files does?"""
    folder = _hand_in(tmp_path, "ann", {"forward_pass.ipynb": NOTEBOOK})
    before = fingerprint(folder)
    (folder / "timestamp.txt").write_text("2026-01-01 00:00:00")
    assert fingerprint(folder) != before


@pytest.mark.parametrize(
    "content, code",
    [
        (b"", "empty_file"),
        (b"  \n", "empty_file"),
        (b'{"cells": [', "invalid_json"),
        (b"\xff\xfe", "invalid_json"),
        (b"[1, 2, 3]", "invalid_notebook"),
        (b'{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}', "empty_notebook"),
        (NOTEBOOK.encode(), None),
    ],
)
def test_read_notebook_says_what_is_wrong(content, code, tmp_path):
    """Is each unreadable kind of file told apart from a good notebook?"""
    path = tmp_path / "forward_pass.ipynb"
    path.write_bytes(content)
    notebook, problem = read_notebook(path)
    assert (problem.code if problem else None) == code
    assert (notebook is None) == (code in {"empty_file", "invalid_json", "invalid_notebook"})
