"""Two graded classes, shared by the tests of autograde, feedback, export and report.

Lesson 01's class holds every broken and hostile kind of submission and is
graded with two workers. Lesson 02's class is graded by a batch that is
killed midway and run again. Each is graded once per test session; tests
that use one are grouped on one xdist worker.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field

import pytest

from .classroom import Classroom
from .students import (
    LESSON01,
    LESSON02,
    NOTEBOOK,
    SETTINGS,
    lesson01_class,
    lesson02_class,
    notebook_bytes,
)

LESSON01_GROUP = pytest.mark.xdist_group("instructor_lesson01")
LESSON02_GROUP = pytest.mark.xdist_group("instructor_lesson02")


@dataclass
class GradedClass:
    """A classroom after autograde, with what was submitted and what the runs printed."""

    room: Classroom
    assignment: str
    pupils: list
    outputs: list  # stdout of each autograde run
    submitted: dict  # path -> sha256 of every submitted file, before grading
    finished_before_kill: set = field(default_factory=set)

    @property
    def notebook(self):
        return NOTEBOOK[self.assignment]

    def pupil(self, student):
        return next(p for p in self.pupils if p.student == student)


def _fill(room, assignment, pupils):
    for pupil in pupils:
        filename = pupil.filename or f"{NOTEBOOK[assignment]}.ipynb"
        room.submit(pupil.student, assignment, filename, notebook_bytes(pupil))
    return {
        str(path): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in (room.course / "submitted").rglob("*")
        if path.is_file()
    }


@pytest.fixture(scope="session")
def lesson01(tmp_path_factory):
    """Lesson 01's class, autograded with two workers."""
    room = Classroom(tmp_path_factory.mktemp("lesson01"), SETTINGS[LESSON01])
    pupils = lesson01_class(room.course)
    submitted = _fill(room, LESSON01, pupils)
    run = room.cli("autograde", LESSON01, "--workers", "2")
    return GradedClass(room, LESSON01, pupils, [run.stdout], submitted)


def _kill_after_first_finished(room, assignment, timeout=300):
    """Start autograde, SIGKILL it (and its workers) once a submission is finished."""
    command = [sys.executable, "-m", "backprop_lib.cli", "--course", str(room.course)]
    process = subprocess.Popen(
        [*command, "autograde", assignment, "--workers", "1", "--quiet"],
        cwd=room.root,
        env=room.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    status = room.course / "grading_status" / f"{assignment}.json"
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline and process.poll() is None:
            if status.is_file() and json.loads(status.read_text())["students"]:
                break
            time.sleep(0.2)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    return set(json.loads(status.read_text())["students"])


@pytest.fixture(scope="session")
def lesson02(tmp_path_factory):
    """Lesson 02's class: a batch killed after its first submission, then run again."""
    room = Classroom(tmp_path_factory.mktemp("lesson02"), SETTINGS[LESSON02])
    pupils = lesson02_class()
    submitted = _fill(room, LESSON02, pupils)
    finished_before_kill = _kill_after_first_finished(room, LESSON02)
    graded = GradedClass(room, LESSON02, pupils, [], submitted, finished_before_kill)
    graded.outputs.append(room.cli("autograde", LESSON02, "--workers", "2").stdout)
    return graded
