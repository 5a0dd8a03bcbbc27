"""Collect submissions from a folder of files or an LMS zip into nbgrader's ``submitted/``.

This is nbgrader's ``zip_collect`` (its :class:`~nbgrader.apps.ZipCollectApp`
with the ``ExtractorPlugin`` and a ``FileNameCollectorPlugin``), pointed at
one source: the source is copied to ``<course>/downloaded/<assignment>/archive/``,
archives are extracted next to it, and every file is matched to a student.

:class:`StudentFileCollector`, the course's collector plugin, understands:

- ``alice.ipynb``, ``alice_forward_pass.ipynb``, ``alice_late_123_456_anything.ipynb``
  (the student id is the file name up to the first ``_``: plain folders, Canvas);
- ``alice/forward_pass.ipynb`` (a folder per student; the folder name up to the
  first ``_`` is the student id, as in Moodle's downloads).

A notebook under another name is stored under the assignment's notebook name
when the assignment has a single notebook. Other layouts: pass a regular
expression (``--pattern``; nbgrader's ``FileNameCollectorPlugin.named_regexp``).
"""

from __future__ import annotations

import logging
import re
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from nbgrader.apps import ZipCollectApp
from nbgrader.coursedir import CourseDirectory
from nbgrader.plugins import FileNameCollectorPlugin
from nbgrader.utils import find_all_notebooks
from traitlets import Unicode

__all__ = ["CollectError", "CollectSummary", "StudentFileCollector", "collect", "DEFAULT_PATTERN"]

#: The student id is the file name up to the first "_" (or the whole name).
DEFAULT_PATTERN = r".*/(?P<student_id>[^/_]+?)(?:_(?P<file_id>[^/]*))?\.ipynb$"


class CollectError(RuntimeError):
    """The submissions could not be collected; the message says why."""


class StudentFileCollector(FileNameCollectorPlugin):
    """nbgrader's file-name collector, with the course's file-naming rules (see module)."""

    named_regexp = Unicode(DEFAULT_PATTERN, help=FileNameCollectorPlugin.named_regexp.help).tag(
        config=True
    )

    def _released(self):
        coursedir = self.parent.coursedir
        path = coursedir.format_path(coursedir.release_directory, ".", coursedir.assignment_id)
        return [Path(name).stem for name in find_all_notebooks(path)]

    def collect(self, submitted_file):
        released = self._released()
        path = Path(submitted_file)
        if path.suffix in self.valid_ext and path.stem in released:
            info = {"student_id": path.parent.name.split("_")[0], "file_id": path.stem}
        else:
            info = super().collect(submitted_file)
        if not info:
            return None
        info = {key: value for key, value in info.items() if value is not None}
        if info.get("file_id") not in released and len(released) == 1:
            info["file_id"] = released[0]
        if not info.get("student_id") or not info.get("file_id"):
            return None
        info["student_id"] = info["student_id"].strip()
        return info


@dataclass
class CollectSummary:
    """What :func:`collect` did."""

    students: dict = field(default_factory=dict)  # student -> files stored
    skipped: list = field(default_factory=list)  # files matched to no student


class _Messages(logging.Handler):
    """Keeps the warnings and errors nbgrader logs, to show the instructor."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.lines = []

    def emit(self, record):
        self.lines.append(record.getMessage())


def _stage(source, archive):
    """Copy ``source`` (a zip file or a folder) into nbgrader's archive folder."""
    source = Path(source)
    if archive.exists():
        shutil.rmtree(archive)
    archive.mkdir(parents=True)
    if source.is_dir():
        shutil.copytree(source, archive, dirs_exist_ok=True)
    elif zipfile.is_zipfile(source):
        shutil.copy(source, archive / (source.stem + ".zip"))
    elif source.is_file():
        raise CollectError(f"{source} is neither a folder nor a zip archive")
    else:
        raise CollectError(f"{source} does not exist")


def collect(course, assignment, source, pattern=None, force=False):
    """Collect the submissions of ``assignment`` found in ``source``.

    Parameters
    ----------
    course : backprop_lib.instructor.course.Course
    assignment : str
    source : path-like
        A folder of notebooks (or of student folders), or a zip of them.
    pattern : str, optional
        A regular expression with groups ``student_id`` (and optionally
        ``file_id``, ``timestamp``), matched against each file's full path.
    force : bool
        Replace students' existing submissions.

    Returns
    -------
    CollectSummary
    """
    if assignment not in course.assignments():
        known = ", ".join(course.assignments())
        raise CollectError(f"no assignment {assignment!r} in {course.source} (known: {known})")
    if pattern is not None:
        try:
            compiled = re.compile(pattern)
        except re.error as error:
            raise CollectError(f"--pattern is not a valid regular expression: {error}") from None
        if "student_id" not in compiled.groupindex:
            raise CollectError("--pattern needs a group named student_id: (?P<student_id>...)")
    app = ZipCollectApp(config=course.config)
    app.coursedir = CourseDirectory(parent=app)
    app.coursedir.assignment_id = assignment
    app.collector_plugin = StudentFileCollector
    app.force = True  # the staging folders are ours to clear
    messages = _Messages()
    app.log.handlers[:] = [messages]  # nbgrader's messages go into the summary, not the console
    app.log.setLevel(logging.WARNING)
    app.log.propagate = False
    _stage(source, Path(app._format_collect_path(app.archive_directory)))
    try:
        app.init_plugins()
        if pattern is not None:
            app.collector_plugin_inst.named_regexp = pattern
        app.extract_archive_files()
        extracted = Path(app._format_collect_path(app.extracted_directory))
        files = sorted(str(p) for p in extracted.rglob("*") if p.is_file())
        data = app._collect_files(files)
        _refuse_overwrite(app, data, force)
        app._transfer_files(data)
    except CollectError:
        raise
    except SystemExit:
        raise CollectError("; ".join(messages.lines) or "nbgrader could not collect") from None
    except Exception as error:
        raise CollectError(f"could not extract {source}: {error}") from None
    summary = CollectSummary()
    collected = set()
    for student, entry in sorted(data.items()):
        summary.students[student] = [Path(p).name for p in entry["dest_files"]]
        collected.update(entry["src_files"])
    summary.skipped = [str(Path(f).relative_to(extracted)) for f in files if f not in collected]
    return summary


def _refuse_overwrite(app, data, force):
    """Stop before replacing anyone's earlier submission, unless forced."""
    taken = []
    for student in data:
        folder = Path(
            app.coursedir.format_path(
                app.coursedir.submitted_directory, student, app.coursedir.assignment_id
            )
        )
        if folder.is_dir() and any(folder.iterdir()):
            if not force:
                taken.append(student)
            else:
                shutil.rmtree(folder)
    if taken:
        raise CollectError(
            f"{len(taken)} student(s) already have a submission of "
            f"{app.coursedir.assignment_id} ({', '.join(sorted(taken)[:5])}"
            f"{', ...' if len(taken) > 5 else ''}): pass --force to replace them"
        )
