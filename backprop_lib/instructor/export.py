"""Export grades as CSV: one row per student, one column per exercise, and a total.

:class:`ExerciseCsvExport` is an nbgrader export plugin, so it also works
as ``nbgrader export --exporter=backprop_lib.instructor.export.ExerciseCsvExport``.
Columns: ``student``, each exercise of each assignment (in lesson order),
``<assignment> total`` when several assignments are exported, ``total``,
and ``status`` (what the grader noticed: empty when all went well).
"""

from __future__ import annotations

import csv
from pathlib import Path

from nbgrader.coursedir import CourseDirectory
from nbgrader.plugins import ExportPlugin

from .gradebook import GradebookError, open_gradebook
from .scores import score_table
from .status import StatusBook

__all__ = ["ExerciseCsvExport", "export_grades", "DEFAULT_OUTPUT"]

DEFAULT_OUTPUT = "grades.csv"


def _number(value):
    return f"{value:g}"


class ExerciseCsvExport(ExportPlugin):
    """nbgrader export plugin writing the course's per-exercise grade sheet."""

    def export(self, gradebook):
        coursedir = CourseDirectory(config=self.config)
        assignments = [str(a) for a in self.assignment] or [a.name for a in gradebook.assignments]
        tables = [score_table(gradebook, a, coursedir.source_directory) for a in assignments]
        books = [StatusBook(coursedir.root, a) for a in assignments]
        students = sorted({s for t in tables for s in t.students})
        if self.student:
            students = [s for s in students if s in {str(x) for x in self.student}]
        several = len(tables) > 1
        header = ["student"]
        for table in tables:
            header += table.exercises + ([f"{table.assignment} total"] if several else [])
        header += ["total", "status"]
        rows = []
        for student in students:
            row, total, notes = [student], 0.0, []
            for table, book in zip(tables, books):
                scores = table.scores.get(student)
                if scores is None:
                    notes.append(
                        f"{table.assignment}: no submission" if several else "no submission"
                    )
                    scores = dict.fromkeys(table.exercises, 0.0)
                row += [_number(scores[e]) for e in table.exercises]
                subtotal = sum(scores.values())
                row += [_number(subtotal)] if several else []
                total += subtotal
                status = book.get(student)
                if status is not None and status.problems:
                    prefix = f"{table.assignment}: " if several else ""
                    codes = ", ".join(dict.fromkeys(status.codes))
                    notes.append(f"{prefix}{status.state} ({codes})")
            rows.append([*row, _number(total), "; ".join(notes)])
        destination = Path(self.to or DEFAULT_OUTPUT)
        destination.parent.mkdir(parents=True, exist_ok=True)
        with destination.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(rows)
        self.log.info("Wrote %d students to %s", len(rows), destination)
        return destination, len(rows)


def export_grades(course, assignments=(), output=DEFAULT_OUTPUT):
    """Write the grade sheet of ``assignments`` (all by default) to ``output``.

    Returns
    -------
    destination : pathlib.Path
    rows : int
        Number of students written.
    """
    plugin = ExerciseCsvExport(config=course.config, to=str(output), assignment=list(assignments))
    with open_gradebook(course) as gradebook:
        known = [a.name for a in gradebook.assignments]
        unknown = [a for a in assignments if a not in known]
        if unknown or not known:
            raise GradebookError(
                f"no grades for {', '.join(unknown) or 'any assignment'} in {course.root}: "
                "autograde first (assignments with grades: "
                f"{', '.join(known) or 'none'})"
            )
        return plugin.export(gradebook)
