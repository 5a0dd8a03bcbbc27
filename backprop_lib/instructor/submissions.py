"""Finding the submissions of an assignment and reading them, whatever state they are in.

Submissions live where nbgrader expects them,
``<course>/submitted/<student>/<assignment>/<notebook>.ipynb``. A notebook
under another name is graded anyway when there is no doubt which one it is;
a file that is empty, not JSON or not a notebook is reported, not fatal.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from .status import Problem

__all__ = ["Submission", "find_submissions", "read_notebook", "fingerprint"]

IGNORED = (".ipynb_checkpoints", "__pycache__")


@dataclass
class Submission:
    """One student's submission of one assignment.

    Attributes
    ----------
    notebooks : dict
        Expected notebook name (without ``.ipynb``) -> the file to grade as
        that notebook, or None when there is none.
    problems : list of Problem
        Found before grading: a wrong file name, a missing notebook.
    """

    student: str
    assignment: str
    folder: Path
    notebooks: dict
    problems: list = field(default_factory=list)
    fingerprint: str = ""


def _files(folder):
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and not any(part in IGNORED for part in p.relative_to(folder).parts)
    )


def fingerprint(folder):
    """A digest of every file name and byte of a submission folder."""
    digest = hashlib.sha256()
    for path in _files(folder):
        digest.update(str(path.relative_to(folder)).encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _match_notebooks(folder, expected):
    notebooks, problems = {}, []
    present = [p for p in _files(folder) if p.suffix == ".ipynb" and p.parent == folder]
    strangers = [p for p in present if p.stem not in expected]
    missing = [name for name in expected if not (folder / f"{name}.ipynb").is_file()]
    for name in expected:
        notebooks[name] = folder / f"{name}.ipynb" if name not in missing else None
    if len(missing) == 1 and len(strangers) == 1:
        (name,), (path,) = missing, strangers
        notebooks[name] = path
        problems.append(
            Problem("wrong_name", f"graded {path.name!r} as {name}.ipynb (wrong file name)")
        )
    else:
        for name in missing:
            found = f" (found {', '.join(p.name for p in strangers)})" if strangers else ""
            problems.append(Problem("missing_notebook", f"no {name}.ipynb submitted{found}"))
    return notebooks, problems


def find_submissions(submitted_dir, assignment, notebook_names, students=None):
    """The submissions of ``assignment``, sorted by student.

    Parameters
    ----------
    submitted_dir : path-like
        nbgrader's ``submitted`` folder.
    assignment : str
    notebook_names : sequence of str
        The assignment's notebooks, as the gradebook knows them.
    students : sequence of str, optional
        Only these students.

    Returns
    -------
    list of Submission
    """
    root = Path(submitted_dir)
    if not root.is_dir():
        return []
    wanted = set(students) if students else None
    found = []
    for student_dir in sorted(root.iterdir()):
        folder = student_dir / assignment
        if student_dir.name.startswith(".") or not folder.is_dir():
            continue
        if wanted is not None and student_dir.name not in wanted:
            continue
        notebooks, problems = _match_notebooks(folder, list(notebook_names))
        found.append(
            Submission(
                student=student_dir.name,
                assignment=assignment,
                folder=folder,
                notebooks=notebooks,
                problems=problems,
                fingerprint=fingerprint(folder),
            )
        )
    return found


def read_notebook(path):
    """Read a submitted notebook as nbgrader would, or say why it cannot be read.

    Returns
    -------
    notebook : NotebookNode or None
    problem : Problem or None
        ``empty_file``, ``invalid_json`` or ``invalid_notebook`` when the
        notebook is None; ``empty_notebook`` when it has no cells.
    """
    name = Path(path).name
    data = Path(path).read_bytes()
    if not data.strip():
        return None, Problem("empty_file", f"{name} is empty ({len(data)} bytes)")
    try:
        text = data.decode("utf-8")
        json.loads(text)
    except (UnicodeDecodeError, ValueError) as error:
        return None, Problem("invalid_json", f"{name} is not valid JSON ({error})")
    try:
        notebook = nbformat.reads(text, as_version=4)
    except Exception as error:  # nbformat raises many kinds for non-notebooks
        reason = str(error).split("\n")[0][:200]
        return None, Problem("invalid_notebook", f"{name} is not a Jupyter notebook ({reason})")
    if not notebook.get("cells"):
        return notebook, Problem(
            "empty_notebook", f"{name} has no cells: graded as the unanswered lesson"
        )
    return notebook, None
