"""nbgrader's real pipeline on simulated students: full marks, zero, and one mistake at a time.

For each lesson, one temporary course receives a correct submission, the
untouched lesson, and every variant of ``tests/lessons/lessonNN_students.py``
(one catalog mistake each, or a correct solution written another way); one
``nbgrader autograde`` grades them all.
"""

from __future__ import annotations

import importlib

import pytest

from .course import SOLUTIONS, TempCourse, assignments, notebook_name
from .students import lesson_notebook, student_notebook

ASSIGNMENTS = assignments()
MARKER = "Likely mistake:"


def variants_of(assignment):
    """The simulated students of ``assignment`` (module ``lessonNN_students``), or None."""
    try:
        module = importlib.import_module(f"{__package__}.lesson{assignment[:2]}_students")
    except ModuleNotFoundError:
        return None
    return module.VARIANTS


def _variant_params():
    params = []
    for assignment in ASSIGNMENTS:
        variants = variants_of(assignment)
        if variants is None:
            params.append(pytest.param(assignment, None, id=f"{assignment}-no-students"))
        params += [
            pytest.param(assignment, v, id=f"{assignment}-{v.student}", marks=_group(assignment))
            for v in variants or ()
        ]
    return params


_GRADED = {}


def graded(assignment, tmp_path_factory):
    """Grade every simulated student of ``assignment`` once per test session."""
    if assignment not in _GRADED:
        course = TempCourse(tmp_path_factory.mktemp(assignment))
        course.generate(assignment)
        course.submit("solution", assignment, student_notebook(assignment))
        course.submit("untouched", assignment, lesson_notebook(assignment))
        for variant in variants_of(assignment) or ():
            course.submit(variant.student, assignment, student_notebook(assignment, variant))
        course.autograde(assignment)
        _GRADED[assignment] = (course, *course.scores(assignment))
    return _GRADED[assignment]


def _group(assignment):
    return pytest.mark.xdist_group(assignment)


@pytest.mark.slow
@pytest.mark.parametrize("assignment", [pytest.param(a, marks=_group(a)) for a in ASSIGNMENTS])
def test_solution_scores_full_marks(assignment, tmp_path_factory):
    """Does the solution, submitted as a student would, get every point of every cell?"""
    _, scores, maximum = graded(assignment, tmp_path_factory)
    assert scores["solution"] == maximum


@pytest.mark.slow
@pytest.mark.parametrize("assignment", [pytest.param(a, marks=_group(a)) for a in ASSIGNMENTS])
def test_untouched_lesson_scores_zero(assignment, tmp_path_factory):
    """Does the untouched lesson score 0 everywhere, graded without crashing the grader?"""
    _, scores, _ = graded(assignment, tmp_path_factory)
    assert scores["untouched"] and set(scores["untouched"].values()) == {0.0}


@pytest.mark.slow
@pytest.mark.parametrize("assignment, variant", _variant_params())
def test_variant_loses_points_exactly_where_expected(assignment, variant, tmp_path_factory):
    """Does one mistake cost points in its own exercise only, and is it named there?"""
    assert variant is not None, f"write tests/lessons/lesson{assignment[:2]}_students.py"
    course, scores, maximum = graded(assignment, tmp_path_factory)
    got = scores[variant.student]
    lost = {cell for cell, score in got.items() if score < maximum[cell]}
    assert lost == set(variant.lose), f"scores: {got}"
    if variant.mistake:
        outputs = course.outputs(variant.student, assignment)
        for cell in variant.lose:
            assert f"{MARKER} {variant.mistake}" in outputs[cell], outputs[cell]


@pytest.mark.slow
@pytest.mark.parametrize("assignment", [pytest.param(a, marks=_group(a)) for a in ASSIGNMENTS])
def test_solution_passes_nbgrader_validate(assignment, tmp_path):
    """Does `nbgrader validate` accept the solution notebook?"""
    output = TempCourse(tmp_path).nbgrader(
        "validate", str(SOLUTIONS / assignment / notebook_name(assignment))
    )
    assert "Success! Your notebook passes all the tests." in output, output[-3000:]
