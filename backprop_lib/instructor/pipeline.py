"""nbgrader's autograde, split in two around the execution of the notebook.

``nbgrader autograde`` does, for each submission: record the student and
submission in the gradebook, copy the files, *sanitize* the notebook
(``Autograde.sanitize_preprocessors``: clear outputs, restore locked cells
and hidden tests...), then run ``Autograde.autograde_preprocessors``:
``Execute``, then the steps that read the outputs and write the grades
(``SaveAutoGrades``, late penalties...). :class:`AutogradePipeline` runs
the very same nbgrader objects, with the same configuration, in the grading
process, except ``Execute``, which a worker runs. Everything that touches the
gradebook therefore happens in one process, one submission after another.
"""

from __future__ import annotations

import contextlib
import functools
import os
import warnings
from pathlib import Path

import nbformat
from nbconvert.exporters import NotebookExporter
from nbgrader.converters import Autograde
from nbgrader.coursedir import CourseDirectory
from nbgrader.nbgraderformat import MetadataValidator
from nbgrader.preprocessors import Execute
from nbgrader.utils import rmtree

from .gradebook import open_gradebook
from .status import Problem

__all__ = ["AutogradePipeline"]


def _warnings_to_log(method):
    """Send the warnings nbgrader's code raises (SQLAlchemy's, mostly) to the log."""

    @functools.wraps(method)
    def logged(self, *args, **kwargs):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                return method(self, *args, **kwargs)
            finally:
                for warning in caught:
                    self.log.debug("%s: %s", warning.category.__name__, warning.message)

    return logged


class AutogradePipeline:
    """The nbgrader steps of autograding ``assignment``, minus execution.

    Parameters
    ----------
    course : backprop_lib.instructor.course.Course
    assignment : str
    log : logging.Logger
        Receives nbgrader's messages.
    """

    def __init__(self, course, assignment, log):
        self.course, self.assignment, self.log = course, assignment, log
        self.coursedir = CourseDirectory(config=course.config, log=log)
        self.coursedir.assignment_id = assignment
        self.converter = Autograde(coursedir=self.coursedir, config=course.config, log=log)
        steps = list(self.converter.autograde_preprocessors)
        at = next((i for i, s in enumerate(steps) if issubclass(s, Execute)), None)
        if at is None:
            raise ValueError("Autograde.autograde_preprocessors has no Execute step")
        self.sanitizer = self._exporter([*self.converter.sanitize_preprocessors, *steps[:at]])
        self.finisher = self._exporter(steps[at + 1 :])

    def _exporter(self, preprocessors):
        exporter = NotebookExporter(parent=self.converter, config=self.converter.config)
        for preprocessor in preprocessors:
            exporter.register_preprocessor(preprocessor)
        return exporter

    def destination(self, student):
        """The student's autograded folder."""
        return Path(
            self.coursedir.format_path(
                self.coursedir.autograded_directory, student, self.assignment
            )
        )

    @_warnings_to_log
    def begin(self, submission):
        """Clear old results, then record the submission and copy its files (nbgrader's way)."""
        destination = self.destination(submission.student)
        if destination.exists():
            rmtree(str(destination))
        self.converter.notebooks = [
            str(submission.folder / f"{name}.ipynb") for name in submission.notebooks
        ]
        self.converter.init_assignment(self.assignment, submission.student)

    def _resources(self, student, name):
        return {
            "unique_key": name,
            "output_files_dir": f"{name}_files",
            "metadata": {"name": name, "path": str(self.destination(student))},
            "nbgrader": {
                "student": student,
                "assignment": self.assignment,
                "notebook": name,
                "db_url": self.coursedir.db_url,
            },
        }

    @_warnings_to_log
    def sanitize(self, student, name, notebook):
        """nbgrader's sanitize steps on a read notebook.

        Returns
        -------
        text : str
            The sanitized notebook, as JSON, ready to execute.
        resources : dict
            nbgrader's resources, to hand back to :meth:`finish`.
        problems : list of Problem
        """
        problems = []
        try:
            text, resources = self.sanitizer.from_notebook_node(
                notebook, self._resources(student, name)
            )
        except Exception as error:
            broken = _strip_broken_metadata(notebook)
            if not broken:
                raise
            problems.append(
                Problem(
                    "invalid_metadata",
                    f"nbgrader metadata of {len(broken)} cell(s) was corrupted "
                    f"({type(error).__name__}); those cells were restored from the lesson",
                )
            )
            text, resources = self.sanitizer.from_notebook_node(
                notebook, self._resources(student, name)
            )
        info = resources["nbgrader"]
        if info.get("restored_cells"):
            restored = _some(info["restored_cells"])
            problems.append(Problem("restored_cells", f"deleted cells restored: {restored}"))
        if info.get("edited_locked_cells"):
            edited = _some(info["edited_locked_cells"])
            problems.append(
                Problem("edited_locked_cells", f"edited read-only cells restored: {edited}")
            )
        return text, _plain(resources), problems

    @_warnings_to_log
    def finish(self, student, name, text, resources):
        """nbgrader's steps after execution: grades into the gradebook, notebook to disk."""
        notebook = nbformat.reads(text, as_version=nbformat.NO_CONVERT)
        output, _ = self.finisher.from_notebook_node(notebook, resources)
        destination = self.destination(student)
        destination.mkdir(parents=True, exist_ok=True)
        target = destination / f"{name}.ipynb"
        temporary = destination / f".{name}.ipynb.partial"
        temporary.write_text(output, encoding="utf-8")
        os.replace(temporary, target)

    @_warnings_to_log
    def zero(self, student, name):
        """Score every cell of notebook ``name`` zero (it could not be run)."""
        with contextlib.suppress(FileNotFoundError):
            (self.destination(student) / f"{name}.ipynb").unlink()
        with open_gradebook(self.course) as gradebook:
            notebook = gradebook.find_submission_notebook(name, self.assignment, student)
            for grade in notebook.grades:
                grade.auto_score = 0
                grade.needs_manual_grade = False
            gradebook.db.commit()

    @_warnings_to_log
    def seal(self, student):
        """Make the student's autograded files read-only, as nbgrader does."""
        self.converter.set_permissions(self.assignment, student)


def _some(names, shown=5):
    """``a, b, c`` or ``a, b, c, d, e and 12 more``."""
    names = list(names)
    if len(names) <= shown + 1:
        return ", ".join(names)
    return f"{', '.join(names[:shown])} and {len(names) - shown} more"


def _plain(resources):
    """The part of nbgrader's resources a later step needs, as plain data."""
    return {
        "unique_key": resources["unique_key"],
        "output_files_dir": resources["output_files_dir"],
        "metadata": dict(resources["metadata"]),
        "nbgrader": dict(resources["nbgrader"]),
    }


def _strip_broken_metadata(notebook):
    """Drop nbgrader metadata that does not validate; return the cells it was dropped from."""
    validator = MetadataValidator()
    broken = []
    for cell in notebook.cells:
        if "nbgrader" not in cell.get("metadata", {}):
            continue
        try:
            validator.validate_cell(cell)
        except Exception:
            del cell.metadata["nbgrader"]
            broken.append(cell)
    return broken
