"""The errors an instructor can cause and fix: shown as one line, never as a traceback."""

from __future__ import annotations

from .autograde import AutogradeError
from .collect import CollectError
from .course import CourseNotFound
from .feedback import FeedbackError
from .gradebook import GradebookError
from .release import ReleaseError

__all__ = ["USER_ERRORS"]

#: Caught by ``backprop-course`` and printed as ``backprop-course: <message>``.
USER_ERRORS = (
    AutogradeError,
    CollectError,
    CourseNotFound,
    FeedbackError,
    GradebookError,
    ReleaseError,
    OSError,
)
