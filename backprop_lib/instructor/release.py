"""Release: generate ``lessons/`` from ``solutions/`` with nbgrader's generate_assignment."""

from __future__ import annotations

import contextlib
import io
import logging

from nbgrader.apps import NbGraderAPI
from nbgrader.coursedir import CourseDirectory

__all__ = ["ReleaseError", "release"]


class ReleaseError(RuntimeError):
    """nbgrader could not generate an assignment; the message carries its log."""


def nbgrader_api(course):
    """An :class:`nbgrader.apps.NbGraderAPI` bound to ``course``'s configuration."""
    coursedir = CourseDirectory(config=course.config)
    api = NbGraderAPI(coursedir=coursedir, config=course.config)
    api.log.setLevel(logging.WARNING)
    return api


def release(course, assignments=None):
    """Regenerate the released notebooks of ``assignments`` (all by default).

    Solution regions become stubs, hidden tests disappear, outputs are
    cleared, and the gradebook learns each assignment's cells.

    Parameters
    ----------
    course : backprop_lib.instructor.course.Course
    assignments : sequence of str, optional

    Returns
    -------
    list of pathlib.Path
        The released notebooks.
    """
    api = nbgrader_api(course)
    names = list(assignments or course.assignments())
    unknown = sorted(set(names) - set(course.assignments()))
    if unknown:
        raise ReleaseError(
            f"no such assignment in {course.source}: {', '.join(unknown)} "
            f"(known: {', '.join(course.assignments())})"
        )
    written = []
    for name in names:
        with contextlib.redirect_stdout(io.StringIO()):
            result = api.generate_assignment(name, force=True, create=True)
        if not result["success"]:
            raise ReleaseError(f"generating {name} failed:\n{result.get('error') or result['log']}")
        written += sorted((course.release / name).glob("*.ipynb"))
    return written
