"""Simulated students: notebooks built from a lesson, filled in with solutions or mistakes."""

from __future__ import annotations

import copy
import json
import textwrap
from dataclasses import dataclass, field

from .course import LESSONS, SOLUTIONS, notebook_name

SOLUTION_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")


@dataclass(frozen=True)
class Variant:
    """A student who answers like the solutions except in ``cells``.

    Parameters
    ----------
    student : str
        Student id (letters, digits, underscores).
    cells : dict
        ``grade_id -> source`` of the solution cells this student wrote differently.
    lose : tuple of str
        Test cells (grade_ids) expected to lose points; every other one gets full marks.
    mistake : str or None
        The mistake title the output of each ``lose`` cell must name.
    """

    student: str
    cells: dict = field(default_factory=dict)
    lose: tuple = ()
    mistake: str | None = None


def _cells_by_id(notebook):
    return {
        c["metadata"]["nbgrader"]["grade_id"]: c
        for c in notebook["cells"]
        if "nbgrader" in c.get("metadata", {})
    }


def solution_sources(assignment):
    """``grade_id -> source`` of every solution cell, markers removed."""
    path = SOLUTIONS / assignment / notebook_name(assignment)
    sources = {}
    for grade_id, cell in _cells_by_id(json.loads(path.read_text())).items():
        if cell["metadata"]["nbgrader"].get("solution"):
            text = "".join(cell["source"])
            lines = [line for line in text.split("\n") if line.strip() not in SOLUTION_MARKERS]
            sources[grade_id] = "\n".join(lines)
    return sources


def lesson_notebook(assignment):
    """The released lesson notebook, as a dict."""
    return json.loads((LESSONS / assignment / notebook_name(assignment)).read_text())


def student_notebook(assignment, variant=None):
    """The lesson notebook completed with the solutions, then changed as ``variant`` says."""
    notebook = copy.deepcopy(lesson_notebook(assignment))
    answers = solution_sources(assignment)
    if variant is not None:
        unknown = set(variant.cells) - set(answers)
        if unknown:
            raise KeyError(f"{variant.student}: no solution cells {sorted(unknown)}")
        answers.update({k: textwrap.dedent(v).strip("\n") for k, v in variant.cells.items()})
    for grade_id, cell in _cells_by_id(notebook).items():
        if grade_id in answers:
            cell["source"] = answers[grade_id]
    return notebook
