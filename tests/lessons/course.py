"""A throw-away nbgrader course for tests: release, submit, autograde, read grades.

Everything runs through nbgrader's own command line in a subprocess, with
the course's real configuration, pointed at temporary directories.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SOLUTIONS = REPO / "solutions"
LESSONS = REPO / "lessons"


def assignments():
    """Names of the course's assignments (folders of solutions/ holding a notebook)."""
    return sorted(p.name for p in SOLUTIONS.iterdir() if p.is_dir() and any(p.glob("*.ipynb")))


def notebook_name(assignment):
    """The single notebook file name of ``assignment``."""
    (path,) = sorted((SOLUTIONS / assignment).glob("*.ipynb"))
    return path.name


#: What nbgrader's log says when a kernel could not start (not the notebook's fault).
KERNEL_START_FAILURES = ("Kernel died before replying", "Address already in use", "DeadKernelError")


def _errors_first(output, context=40):
    """nbgrader's log cut to what explains a failure: the lines around each error, then the end."""
    lines = output.splitlines()
    keep = set()
    for number, line in enumerate(lines):
        if "ERROR" in line or "Traceback" in line:
            keep.update(range(max(0, number - 2), min(len(lines), number + context)))
    shown = [lines[n] for n in sorted(keep)][:400]
    return "\n".join(shown + ["...", *lines[-30:]])


class TempCourse:
    """An nbgrader course in ``root``, released to ``root / "release"``."""

    def __init__(self, root):
        self.root = Path(root)
        self.course = self.root / "course"
        self.release = self.root / "release"
        self.env = dict(
            os.environ,
            BACKPROP_COURSE_DIR=str(self.course),
            BACKPROP_RELEASE_DIR=str(self.release),
        )

    def nbgrader(self, *args, timeout=1800):
        """Run ``nbgrader ARGS`` from the repository root; return its combined output."""
        result = subprocess.run(
            [sys.executable, "-m", "nbgrader", *args],
            cwd=REPO,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        output = result.stdout + result.stderr
        if result.returncode != 0:
            raise AssertionError(f"nbgrader {' '.join(args)} failed:\n{_errors_first(output)}")
        return output

    def generate(self, assignment):
        """Release ``assignment`` into this course's release directory."""
        self.nbgrader("generate_assignment", assignment, "--force")
        return self.release / assignment / notebook_name(assignment)

    def submit(self, student, assignment, notebook):
        """Place ``notebook`` (a dict) as ``student``'s submission."""
        folder = self.course / "submitted" / student / assignment
        folder.mkdir(parents=True, exist_ok=True)
        (folder / notebook_name(assignment)).write_text(json.dumps(notebook))
        (folder / "timestamp.txt").write_text("2026-11-24 12:00:00.000000 UTC")

    def autograde(self, assignment):
        """Autograde every submission of ``assignment`` with nbgrader.

        Kernels of plain nbgrader talk over TCP ports picked at random; when
        another test process starts kernels at the same moment, a start can
        fail. Such a failure (and only such) is retried once.
        """
        try:
            return self.nbgrader("autograde", assignment, "--force")
        except AssertionError as failure:
            if not any(sign in str(failure) for sign in KERNEL_START_FAILURES):
                raise
            print(f"retrying after a kernel start failure: {failure}", file=sys.stderr)
            return self.nbgrader("autograde", assignment, "--force")

    def scores(self, assignment):
        """``{student: {grade_cell: score}}`` and ``{grade_cell: max_score}`` from the gradebook."""
        from nbgrader.api import Gradebook

        url = f"sqlite:///{self.course / 'gradebook.db'}"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Gradebook(url) as gradebook:
                result, maximum = {}, {}
                for submission in gradebook.assignment_submissions(assignment):
                    (notebook,) = submission.notebooks
                    result[submission.student.id] = {g.name: g.score for g in notebook.grades}
                    maximum = {g.name: g.max_score for g in notebook.grades}
        return result, maximum

    def outputs(self, student, assignment):
        """``{cell id or grade_id: text of its outputs}`` of an autograded notebook."""
        path = self.course / "autograded" / student / assignment / notebook_name(assignment)
        notebook = json.loads(path.read_text())
        texts = {}
        for cell in notebook["cells"]:
            key = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") or cell.get("id")
            parts = []
            for output in cell.get("outputs", []):
                if output["output_type"] == "stream":
                    parts.append("".join(output["text"]))
                elif output["output_type"] == "error":
                    parts.append("\n".join(output["traceback"]))
                elif "text/plain" in output.get("data", {}):
                    parts.append("".join(output["data"]["text/plain"]))
            texts[key] = "\n".join(parts)
        return texts
