"""The course's nbgrader gradebook: opening it, and making sure it knows an assignment."""

from __future__ import annotations

import contextlib
import copy
import io
import logging
import tempfile
import warnings

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.apps import NbGraderAPI
from nbgrader.coursedir import CourseDirectory

__all__ = ["GradebookError", "open_gradebook", "ensure_assignment", "notebook_names"]


class GradebookError(RuntimeError):
    """The gradebook does not hold what a command needs."""


@contextlib.contextmanager
def open_gradebook(course):
    """nbgrader's :class:`~nbgrader.api.Gradebook` of ``course``, as a context manager."""
    with warnings.catch_warnings():
        # nbgrader's SQLAlchemy models warn about their own declarations.
        warnings.simplefilter("ignore")
        with Gradebook(course.config.CourseDirectory.db_url) as gradebook:
            yield gradebook


def notebook_names(course, assignment):
    """Names (without ``.ipynb``) of the notebooks of ``assignment`` in the gradebook."""
    with open_gradebook(course) as gradebook:
        try:
            return [nb.name for nb in gradebook.find_assignment(assignment).notebooks]
        except MissingEntry:
            return []


def ensure_assignment(course, assignment):
    """Make sure the gradebook knows ``assignment`` and its cells.

    nbgrader learns an assignment's cells when it generates the student
    version. If the gradebook has never seen ``assignment`` (a new course
    folder, say), generate it once, into a temporary folder when the
    released lesson already exists, so ``lessons/`` is left as it is.

    Raises
    ------
    GradebookError
        If ``assignment`` is not one of the course's assignments.
    """
    if notebook_names(course, assignment):
        return
    if assignment not in course.assignments():
        known = ", ".join(course.assignments())
        raise GradebookError(f"no assignment {assignment!r} in {course.source} (known: {known})")
    config = copy.deepcopy(course.config)
    released = course.release / assignment
    with tempfile.TemporaryDirectory(prefix="backprop-release-") as scratch:
        if released.is_dir():
            config.CourseDirectory.release_directory = scratch
        api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
        api.log.setLevel(logging.WARNING)
        with contextlib.redirect_stdout(io.StringIO()):
            result = api.generate_assignment(assignment, force=True, create=True)
    if not result["success"]:
        raise GradebookError(f"nbgrader could not record {assignment}:\n{result.get('error')}")
