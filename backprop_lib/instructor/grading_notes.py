"""Feedback opens with what the grader had to do to a submission, if anything.

A student whose kernel died, whose notebook had deleted cells or a wrong
file name, should read that in the feedback rather than guess it from a
zero. This step of ``GenerateFeedback.preprocessors`` puts a note with the
problems recorded at autograding (:mod:`.status`) above the first cell.
"""

from __future__ import annotations

import nbformat
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import NbGraderPreprocessor

from .status import StatusBook

__all__ = ["AddGradingNotes", "notes_markdown"]


def notes_markdown(status):
    """The note for ``status`` as Markdown, or None when there is nothing to say."""
    if status is None or not status.problems:
        return None
    items = "\n".join(f"- {problem.message}" for problem in status.problems)
    return f"**Notes from the grader** (state: {status.state})\n\n{items}\n"


class AddGradingNotes(NbGraderPreprocessor):
    """Insert the autograding notes of the student's submission as the first cell."""

    def preprocess(self, nb, resources):
        info = resources.get("nbgrader", {})
        root = CourseDirectory(config=self.config).root
        status = StatusBook(root, info.get("assignment", "")).get(info.get("student"))
        text = notes_markdown(status)
        if text:
            cell = nbformat.v4.new_markdown_cell(text)
            if (nb.nbformat, nb.get("nbformat_minor", 0)) < (4, 5):
                del cell["id"]
            nb.cells.insert(0, cell)
        return nb, resources
