"""Feedback: one HTML page per student, made by nbgrader's ``generate_feedback``.

The page shows every cell with the student's outputs and the score of each
test cell. The course configures nbgrader's ``GenerateFeedback`` steps
(``grading/nbgrader_config.py``) so that it also opens with the grader's
notes and never shows hidden-test code, in sources or in error messages.
A student whose notebook could not be run at all gets a short page that
says why.
"""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass, field
from pathlib import Path

from nbgrader.converters import GenerateFeedback
from nbgrader.coursedir import CourseDirectory

from .gradebook import notebook_names
from .progress import progress_bar
from .status import NOT_GRADED, StatusBook

__all__ = ["FeedbackError", "FeedbackSummary", "feedback"]


class FeedbackError(RuntimeError):
    """Feedback cannot be generated (nothing autograded yet...)."""


@dataclass
class FeedbackSummary:
    """The feedback pages written, by student, and the students it failed for."""

    pages: dict = field(default_factory=dict)
    failed: list = field(default_factory=list)
    log_path: Path | None = None


def _logger(course, assignment):
    folder = course.root / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"feedback-{assignment}.log"
    log = logging.getLogger(f"backprop_course.feedback.{assignment}")
    log.handlers[:] = [logging.FileHandler(path)]
    log.setLevel(logging.INFO)
    log.propagate = False
    return log, path


def _folder(course, student, assignment):
    return course.root / "feedback" / student / assignment


def _unrunnable_page(student, assignment, status):
    problems = "".join(f"<li>{html.escape(p.message)}</li>" for p in status.problems)
    return (
        "<!DOCTYPE html>\n<html><head><meta charset='utf-8'>"
        f"<title>{html.escape(assignment)}: feedback for {html.escape(student)}</title></head>"
        "<body style='font-family: sans-serif; max-width: 40em; margin: 2em auto'>"
        f"<h1>{html.escape(assignment)}</h1><p>Your submission could not be run, "
        f"so every exercise scored 0:</p><ul>{problems}</ul>"
        "<p>Please check the file you handed in and talk to your instructor.</p>"
        "</body></html>\n"
    )


def feedback(course, assignment, students=None, progress=True):
    """Write the feedback pages of ``assignment`` into ``<course>/feedback/``.

    Parameters
    ----------
    course : backprop_lib.instructor.course.Course
    assignment : str
    students : sequence of str, optional
        Only these students.
    progress : bool
        Show a progress bar.

    Returns
    -------
    FeedbackSummary
    """
    log, log_path = _logger(course, assignment)
    coursedir = CourseDirectory(config=course.config, log=log)
    coursedir.assignment_id = assignment
    autograded = course.root / "autograded"
    book = StatusBook(course.root, assignment)
    graded = sorted(
        p.parent.name for p in autograded.glob(f"*/{assignment}") if any(p.glob("*.ipynb"))
    )
    unrunnable = sorted(s for s, st in book.statuses.items() if st.state == NOT_GRADED)
    if students:
        graded = [s for s in graded if s in students]
        unrunnable = [s for s in unrunnable if s in students]
    if not graded and not unrunnable:
        raise FeedbackError(
            f"nothing autograded for {assignment} in {autograded}: "
            f"run `backprop-course autograde {assignment}` first"
        )
    summary = FeedbackSummary(log_path=log_path)
    converter = GenerateFeedback(coursedir=coursedir, config=course.config, log=log)
    converter.force = True
    with progress_bar(len(graded), f"feedback {assignment}", progress, unit="student") as bar:
        for student in graded:
            coursedir.student_id = student
            try:
                converter.start()
                summary.pages[student] = sorted(_folder(course, student, assignment).glob("*.html"))
            except Exception:
                log.exception("feedback for %s failed", student)
                summary.failed.append(student)
            bar.update(1)
    for student in unrunnable:
        folder = _folder(course, student, assignment)
        folder.mkdir(parents=True, exist_ok=True)
        pages = []
        for name in notebook_names(course, assignment) or [assignment]:
            page = folder / f"{name}.html"
            page.write_text(_unrunnable_page(student, assignment, book.get(student)), "utf-8")
            pages.append(page)
        summary.pages[student] = pages
    return summary
