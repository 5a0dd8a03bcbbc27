"""A throw-away class for tests: a course folder, submissions, and the real command line.

Every command runs ``python -m backprop_lib.cli --course DIR ...`` in a
subprocess, as an instructor would type it (and so nbgrader's warnings stay
out of the test process).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from backprop_lib.instructor.course import load_course
from backprop_lib.instructor.gradebook import open_gradebook
from backprop_lib.instructor.scores import score_table
from backprop_lib.instructor.status import StatusBook

REPO = Path(__file__).resolve().parents[2]


class Classroom:
    """A course folder in ``root`` (for one or more lessons) and helpers to drive it."""

    def __init__(self, root, settings=""):
        self.root = Path(root)
        self.course = self.root / "course"
        self.course.mkdir(parents=True, exist_ok=True)
        if settings:
            (self.course / "nbgrader_config.py").write_text(textwrap.dedent(settings))
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("BACKPROP_")}

    def cli(self, *args, check=True, timeout=900):
        """Run ``backprop-course --course COURSE ARGS``; return the completed process."""
        result = subprocess.run(
            [sys.executable, "-m", "backprop_lib.cli", "--course", str(self.course), *args],
            cwd=self.root,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if check and result.returncode != 0:
            raise AssertionError(
                f"backprop-course {' '.join(args)} failed ({result.returncode}):\n"
                f"{result.stdout[-3000:]}\n{result.stderr[-5000:]}"
            )
        return result

    def submit(self, student, assignment, filename, content):
        """Place one file (bytes, str or a notebook dict) in the student's submission."""
        folder = self.course / "submitted" / student / assignment
        folder.mkdir(parents=True, exist_ok=True)
        if isinstance(content, dict):
            content = json.dumps(content)
        if isinstance(content, str):
            content = content.encode()
        (folder / filename).write_bytes(content)
        return folder / filename

    def _course(self):
        return load_course(REPO, self.course)

    def scores(self, assignment):
        """``{student: {exercise: points}}`` from the gradebook."""
        course = self._course()
        with open_gradebook(course) as gradebook:
            return score_table(gradebook, assignment, course.source).scores

    def statuses(self, assignment):
        """``{student: SubmissionStatus}`` recorded by autograde."""
        return StatusBook(self.course, assignment).statuses

    def autograded(self, student, assignment, notebook):
        """The autograded notebook of a student, as a dict."""
        path = self.course / "autograded" / student / assignment / f"{notebook}.ipynb"
        return json.loads(path.read_text())

    def cell_text(self, student, assignment, notebook, grade_id):
        """All output text of one cell of a student's autograded notebook."""
        for cell in self.autograded(student, assignment, notebook)["cells"]:
            if cell["metadata"].get("nbgrader", {}).get("grade_id") == grade_id:
                parts = []
                for output in cell.get("outputs", []):
                    if output["output_type"] == "stream":
                        parts.append("".join(output["text"]))
                    elif output["output_type"] == "error":
                        parts.append(f"{output['ename']}: {output['evalue']}")
                return "\n".join(parts)
        raise KeyError(grade_id)
