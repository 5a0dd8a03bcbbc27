"""What happened to each submission when it was graded, kept next to the gradebook.

The gradebook holds the scores; this record holds what nbgrader has no
place for: that a notebook was not valid JSON, that a kernel died, that
deleted cells were restored. One JSON file per assignment,
``<course>/grading_status/<assignment>.json``, rewritten atomically after
every submission, so it is also the mark that a submission is finished: a
batch stopped midway and run again grades exactly the ones not marked.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

__all__ = ["Problem", "SubmissionStatus", "StatusBook", "OK", "PROBLEMS", "NOT_GRADED"]

#: Graded normally.
OK = "ok"
#: Graded as far as possible; see the problems.
PROBLEMS = "graded with problems"
#: Nothing could be run; every exercise scored zero.
NOT_GRADED = "not graded"


@dataclass(frozen=True)
class Problem:
    """Something unusual about a submission.

    Parameters
    ----------
    code : str
        A stable identifier: ``invalid_json``, ``empty_file``, ``empty_notebook``,
        ``missing_notebook``, ``wrong_name``, ``restored_cells``,
        ``edited_locked_cells``, ``cell_timeout``, ``notebook_timeout``,
        ``kernel_died``, ``kernel_unresponsive``, ``memory_error``,
        ``output_flood``, ``kernel_start_failed``, ``grading_error``, ``worker_died``,
        ``worker_timeout``.
    message : str
        One sentence for the instructor.
    """

    code: str
    message: str


@dataclass
class SubmissionStatus:
    """The outcome of grading one student's submission of one assignment."""

    student: str
    state: str
    problems: list = field(default_factory=list)
    fingerprint: str = ""
    seconds: float = 0.0

    @property
    def codes(self):
        """The problem codes, in order."""
        return [problem.code for problem in self.problems]

    def summary(self):
        """The problems as one line (empty when there were none)."""
        return "; ".join(problem.message for problem in self.problems)

    def to_json(self):
        data = asdict(self)
        data["seconds"] = round(self.seconds, 2)
        return data

    @classmethod
    def from_json(cls, data):
        problems = [Problem(**p) for p in data.get("problems", [])]
        return cls(**{**data, "problems": problems})


class StatusBook:
    """The statuses of one assignment's submissions, stored as JSON in the course."""

    def __init__(self, course_root, assignment):
        self.path = Path(course_root) / "grading_status" / f"{assignment}.json"
        self.assignment = assignment
        self.statuses = {}
        if self.path.is_file():
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
                for student, entry in data.get("students", {}).items():
                    self.statuses[student] = SubmissionStatus.from_json(entry)
            except (ValueError, TypeError, KeyError):
                self.statuses = {}  # unreadable: everything is graded again

    def get(self, student):
        """The recorded status of ``student``, or None."""
        return self.statuses.get(student)

    def record(self, status):
        """Record ``status`` and save the whole book atomically."""
        self.statuses[status.student] = status
        self.save()

    def forget(self, student):
        """Drop ``student``'s status (before regrading), and save."""
        if self.statuses.pop(student, None) is not None:
            self.save()

    def save(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {
            "assignment": self.assignment,
            "students": {s: self.statuses[s].to_json() for s in sorted(self.statuses)},
        }
        temporary = self.path.with_suffix(".json.tmp")
        temporary.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, self.path)
