"""backprop-course feedback: a page per student, the diagnosis in it, hidden tests never."""

from __future__ import annotations

import pytest

from backprop_lib.checks import MISTAKE_MARKER

from .conftest import LESSON01_GROUP, LESSON02_GROUP

#: Text that only hidden-test code contains.
HIDDEN = ("hidden_tests", "BEGIN HIDDEN TESTS", 'grade("', "grade_answer(")

pytestmark = pytest.mark.slow


def _pages(graded):
    run = graded.room.cli("feedback", graded.assignment, "--quiet")
    folder = graded.room.course / "feedback"
    pages = {
        p.parent.parent.name: p.read_text(encoding="utf-8")
        for p in folder.glob(f"*/{graded.assignment}/{graded.notebook}.html")
    }
    return run, pages


@pytest.fixture(scope="module")
def pages01(lesson01):
    return _pages(lesson01)


@pytest.fixture(scope="module")
def pages02(lesson02):
    return _pages(lesson02)


@LESSON01_GROUP
def test_every_student_gets_a_page(pages01, lesson01):
    """Is there one feedback page per submission, unrunnable ones included?"""
    run, pages = pages01
    assert set(pages) == {p.student for p in lesson01.pupils}
    assert f"wrote {len(pages)} feedback pages" in run.stdout


@LESSON01_GROUP
def test_pages_name_the_mistakes_the_checks_found(pages01, lesson01):
    """Does each catalog mistake's page carry its diagnosis?"""
    _, pages = pages01
    for pupil in lesson01.pupils:
        if pupil.mistake:
            assert f"{MISTAKE_MARKER} {pupil.mistake}" in pages[pupil.student], pupil.student


@pytest.mark.parametrize(
    "name",
    [pytest.param("pages01", marks=LESSON01_GROUP), pytest.param("pages02", marks=LESSON02_GROUP)],
)
def test_no_page_shows_hidden_test_code(name, request):
    """Is hidden-test code absent from every page, tracebacks included?"""
    _, pages = request.getfixturevalue(name)
    for student, page in pages.items():
        for text in HIDDEN:
            assert text not in page, f"{text!r} in {student}'s feedback"


@LESSON02_GROUP
def test_an_error_in_a_test_cell_shows_only_its_message(pages02):
    """Does a NameError in a test cell show its message but not the hidden lines around it?"""
    _, pages = pages02
    assert "NameError" in pages["renamed"]
    assert "is not defined" in pages["renamed"]


@LESSON01_GROUP
def test_pages_say_what_the_grader_had_to_do(pages01):
    """Does a page open with the grader's notes, and does an unrunnable file get one saying why?"""
    _, pages = pages01
    assert "Notes from the grader" in pages["kernel_exit"]
    assert "the kernel died while running sigmoid_forward" in pages["kernel_exit"]
    assert "Notes from the grader" not in pages["correct"]
    assert "could not be run" in pages["not_json"] and "not valid JSON" in pages["not_json"]
