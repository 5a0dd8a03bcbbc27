"""Scores from the gradebook as a table: students by exercises.

nbgrader stores a score per test cell. An exercise is a graded function or
question, named by its solution cell; its test cells are ``test_<name>`` or
``test_<name>_<what>``, and the exercise's score is the sum of theirs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbgrader.api import MissingEntry

__all__ = ["ScoreTable", "score_table", "exercise_of"]


def exercise_of(grade_id, exercises):
    """The exercise a test cell belongs to (its grade_id minus ``test_`` when none matches)."""
    name = grade_id[len("test_") :] if grade_id.startswith("test_") else grade_id
    matches = [e for e in exercises if name == e or name.startswith(e + "_")]
    return max(matches, key=len) if matches else name


@dataclass
class ScoreTable:
    """Scores of one assignment.

    Attributes
    ----------
    exercises : list of str
        In the order of the lesson.
    maximum : dict
        Exercise -> points available.
    scores : dict
        Student -> {exercise: points}; students who submitted only.
    students : list of str
        Every student in the gradebook, submitted or not.
    """

    assignment: str
    exercises: list = field(default_factory=list)
    maximum: dict = field(default_factory=dict)
    scores: dict = field(default_factory=dict)
    students: list = field(default_factory=list)

    @property
    def total_maximum(self):
        return sum(self.maximum.values())

    def total(self, student):
        """The student's total (0 when they did not submit)."""
        return sum(self.scores.get(student, {}).values())


def _lesson_order(source_dir, assignment):
    """grade_ids of the assignment's cells, in notebook order."""
    order = []
    for path in sorted((Path(source_dir) / assignment).glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if grade_id:
                order.append(grade_id)
    return order


def score_table(gradebook, assignment, source_dir):
    """The :class:`ScoreTable` of ``assignment`` from an open nbgrader ``gradebook``."""
    record = gradebook.find_assignment(assignment)
    solutions, cells = set(), {}
    for notebook in record.notebooks:
        solutions.update(cell.name for cell in notebook.solution_cells)
        cells.update({cell.name: cell.max_score for cell in notebook.grade_cells})
    position = {name: i for i, name in enumerate(_lesson_order(source_dir, assignment))}
    table = ScoreTable(assignment, students=sorted(s.id for s in gradebook.students))
    for name in sorted(cells, key=lambda n: (position.get(n, len(position)), n)):
        exercise = exercise_of(name, solutions)
        if exercise not in table.maximum:
            table.exercises.append(exercise)
            table.maximum[exercise] = 0.0
        table.maximum[exercise] += cells[name]
    for student in table.students:
        try:
            submission = gradebook.find_submission(assignment, student)
        except MissingEntry:
            continue
        row = dict.fromkeys(table.exercises, 0.0)
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                row[exercise_of(grade.name, solutions)] += grade.score or 0.0
        table.scores[student] = row
    return table
