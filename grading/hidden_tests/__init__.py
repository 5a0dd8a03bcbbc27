"""Instructor-only tests, run by the hidden part of each graded test cell.

Each graded function has a list of :class:`Case` objects: fresh seeds and
non-square shapes the students never see, each worth some of the cell's
points, run through the same verifiers as the student checks. A test cell's
hidden part ends with ``grade("name", fn)``; the points it returns are the
cell's output, which nbgrader reads as partial credit. Only one line per case
and the name of a recognised mistake are printed, never the test's data.
"""

from __future__ import annotations

import contextlib
import io
import warnings
from dataclasses import dataclass, field

import numpy as np

import backprop_lib
from backprop_lib.checks._core import FAIL, MISTAKE_MARKER, PASS, run_cases

__all__ = ["Case", "Question", "grade", "grade_answer", "CASES", "QUESTIONS", "points_of"]


@dataclass(frozen=True)
class Case:
    """One hidden test case: keyword arguments for a verifier and its points."""

    points: float
    label: str
    kwargs: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Question:
    """A graded conceptual question.

    Parameters
    ----------
    points : float
    accept : callable
        ``accept(answer) -> bool``.
    hint : str
        Shown when the answer is wrong: where to look again, not the answer.
    """

    points: float
    accept: object
    hint: str


#: Hidden cases of every graded function, by function name (filled below).
CASES: dict = {}
#: Graded conceptual questions, by the answer cell's grade_id (filled below).
QUESTIONS: dict = {}
#: Graded functions that call other graded functions: ``name -> names it calls``.
DEPENDS_ON: dict = {}


def points_of(grade_id):
    """Total points the hidden tests of ``grade_id`` award (a function or question)."""
    if grade_id in CASES:
        return sum(case.points for case in CASES[grade_id])
    return QUESTIONS[grade_id].points


def _points(value):
    return f"{value:g} point{'' if value == 1 else 's'}"


def _score(value, total):
    # nbgrader rejects partial credit above the cell's points: keep float sums in range.
    return float(min(round(value, 6), total))


def grade(name, fn, *extra):
    """Run the hidden cases of graded function ``name`` on the student's ``fn``.

    Prints one line per case (and the recognised mistake, if any) and returns
    the points earned, a number nbgrader reads as the cell's partial credit.
    """
    cases = CASES[name]
    total = sum(case.points for case in cases)
    if not callable(fn):
        print(f"{FAIL} {name} is not a function, so none of its hidden tests could run.")
        return _score(0.0, total)
    with (
        contextlib.redirect_stderr(io.StringIO()),
        warnings.catch_warnings(),
        _references_for(fn, DEPENDS_ON.get(name, ())),
    ):
        warnings.simplefilter("ignore")
        outcomes = run_cases(name, fn, [dict(case.kwargs) for case in cases], extra=extra)
    print(f"Hidden tests for {name}:")
    if all(lines is not None and lines.not_done for _, lines in outcomes):
        print(f"{FAIL} {name} is not written yet, so none of its {len(cases)} cases could pass.")
        print(f"{name}: 0 of {total:g} points")
        return _score(0.0, total)
    earned = 0.0
    previous = None
    for number, (case, (_, lines)) in enumerate(zip(cases, outcomes), start=1):
        worth = _points(case.points)
        if lines is None:
            earned += case.points
            print(f"{PASS} case {number}, {case.label}: passed ({worth})")
            continue
        print(f"{FAIL} case {number}, {case.label}: failed (0 of {worth})")
        named = [line.strip() for line in lines if MISTAKE_MARKER in line]
        message = lines[0][2:]
        # The same step failing with the same named mistake is said once.
        problem = (message.split(":")[0], named[:1]) if named else message
        if problem == previous:
            print("    the same problem as above")
        else:
            for line in [message, *named[:1]]:
                print(f"    {line}")
        previous = problem
    print(f"{name}: {earned:g} of {total:g} points")
    return _score(earned, total)


@contextlib.contextmanager
def _references_for(fn, names):
    """Let ``fn`` call the reference versions of the graded functions it uses.

    A mistake in ``dense_forward`` then costs points in ``dense_forward`` only,
    not again in every exercise built on it.
    """
    namespace = getattr(fn, "__globals__", None)
    if namespace is None or not names:
        yield
        return
    saved = {name: namespace[name] for name in names if name in namespace}
    try:
        for name in saved:
            namespace[name] = getattr(backprop_lib, name)
        yield
    finally:
        namespace.update(saved)


def grade_answer(question_id, answer):
    """Grade a conceptual answer; print a verdict and return the points earned."""
    question = QUESTIONS[question_id]
    try:
        with np.errstate(all="ignore"):
            right = bool(question.accept(answer))
    except Exception:
        right = False
    if right:
        print(f"{PASS} {question_id}: correct ({_points(question.points)})")
        return _score(question.points, question.points)
    print(f"{FAIL} {question_id}: not quite (0 of {_points(question.points)}). {question.hint}")
    return _score(0.0, question.points)


def choice(*accepted):
    """``accept`` for a multiple-choice answer: any of ``accepted``, case and spaces ignored."""
    wanted = {str(option).strip().lower() for option in accepted}
    return lambda answer: isinstance(answer, str) and answer.strip().lower() in wanted


def number(value, rel=1e-3, abs_tol=1e-9):
    """``accept`` for a numeric answer within a relative tolerance."""

    def accept(answer):
        if isinstance(answer, bool):
            return False
        return abs(float(answer) - value) <= max(rel * abs(value), abs_tol)

    return accept


def _collect():
    from . import lesson01, lesson02, lesson03, lesson04, lesson05

    for module in (lesson01, lesson02, lesson03, lesson04, lesson05):
        for registry, attribute in (
            (CASES, "CASES"),
            (QUESTIONS, "QUESTIONS"),
            (DEPENDS_ON, "DEPENDS_ON"),
        ):
            for key, value in getattr(module, attribute, {}).items():
                if key in registry:
                    raise ValueError(f"{key!r} is defined by two lessons")
                registry[key] = value


_collect()
