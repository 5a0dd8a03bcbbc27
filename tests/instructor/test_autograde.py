"""backprop-course autograde on whole classes: exact scores, statuses, isolation, reruns."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys

import pytest

from backprop_lib.checks import MISTAKE_MARKER
from backprop_lib.instructor.landlock import abi_version

from .classroom import REPO, Classroom
from .conftest import LESSON01_GROUP, LESSON02_GROUP
from .students import (
    LESSON01,
    LESSON02,
    NOTEBOOK,
    Pupil,
    lesson01_class,
    lesson02_class,
    notebook_bytes,
    student_notebook,
    with_tail,
)

LESSON01_IDS = [p.student for p in lesson01_class("/course")]
LESSON02_IDS = [p.student for p in lesson02_class()]


def _graded(request, name):
    return request.getfixturevalue(name)


@pytest.mark.slow
@pytest.mark.parametrize(
    "fixture, student",
    [pytest.param("lesson01", s, marks=LESSON01_GROUP) for s in LESSON01_IDS]
    + [pytest.param("lesson02", s, marks=LESSON02_GROUP) for s in LESSON02_IDS],
)
def test_student_gets_exactly_the_expected_scores(fixture, student, request):
    """Does every simulated student get exactly the expected points in every exercise?"""
    graded = _graded(request, fixture)
    pupil = graded.pupil(student)
    assert graded.room.scores(graded.assignment)[student] == pupil.expected(graded.assignment)


@pytest.mark.slow
@pytest.mark.parametrize(
    "fixture, student",
    [pytest.param("lesson01", s, marks=LESSON01_GROUP) for s in LESSON01_IDS]
    + [pytest.param("lesson02", s, marks=LESSON02_GROUP) for s in LESSON02_IDS],
)
def test_student_gets_the_expected_status(fixture, student, request):
    """Is each submission recorded with the state and the problems it should have?"""
    graded = _graded(request, fixture)
    pupil = graded.pupil(student)
    status = graded.room.statuses(graded.assignment)[student]
    assert (status.state, set(status.codes)) == (pupil.state, set(pupil.codes)), status.summary()


@pytest.mark.slow
@pytest.mark.parametrize(
    "fixture",
    [
        pytest.param("lesson01", marks=LESSON01_GROUP),
        pytest.param("lesson02", marks=LESSON02_GROUP),
    ],
)
def test_named_mistakes_appear_in_the_graded_cells(fixture, request):
    """Does the output of the test cell that lost points name the student's mistake?"""
    graded = _graded(request, fixture)
    for pupil in graded.pupils:
        if pupil.mistake:
            (exercise,) = pupil.scores
            text = graded.room.cell_text(
                pupil.student, graded.assignment, graded.notebook, f"test_{exercise}"
            )
            assert f"{MISTAKE_MARKER} {pupil.mistake}" in text, text


@pytest.mark.slow
@LESSON01_GROUP
def test_a_hostile_submission_changes_nothing_outside_its_own_folder(lesson01):
    """Do others' files and grades survive a student who tries to overwrite them?"""
    for path, digest in lesson01.submitted.items():
        with open(path, "rb") as handle:
            assert hashlib.sha256(handle.read()).hexdigest() == digest, path
    output = lesson01.room.cell_text("vandal", LESSON01, "forward_pass", "q_weight_shape")
    assert "course folder visible: None" in output
    if abi_version():
        # Only its own connection file was writable.
        assert "files damaged: 1" in output, output
    assert lesson01.room.scores(LESSON01)["correct"] == lesson01.pupil("correct").expected(LESSON01)


@pytest.mark.slow
@LESSON01_GROUP
def test_a_second_run_grades_nothing_and_changes_nothing(lesson01):
    """Is autograde idempotent: a rerun skips every unchanged submission and keeps the grades?"""
    folder = lesson01.room.course / "autograded"
    before = {p: p.stat().st_mtime_ns for p in folder.rglob("*.ipynb")}
    scores = lesson01.room.scores(LESSON01)
    run = lesson01.room.cli("autograde", LESSON01, "--quiet")
    assert f"{len(LESSON01_IDS)} already graded" in run.stdout
    assert {p: p.stat().st_mtime_ns for p in folder.rglob("*.ipynb")} == before
    assert lesson01.room.scores(LESSON01) == scores


@pytest.mark.slow
@LESSON01_GROUP
def test_force_grades_again_to_the_same_scores(lesson01):
    """Does --force regrade chosen students to exactly the same scores?"""
    scores = lesson01.room.scores(LESSON01)
    chosen = ["correct", "w_transposed", "not_json"]
    arguments = [a for s in chosen for a in ("--student", s)]
    run = lesson01.room.cli("autograde", LESSON01, "--force", "--quiet", *arguments)
    assert "autograded 3 submissions" in run.stdout
    assert lesson01.room.scores(LESSON01) == scores


@pytest.mark.slow
@LESSON02_GROUP
def test_a_killed_batch_resumes_without_losing_finished_grades(lesson02):
    """After a batch is killed midway, does a rerun grade only the rest, and grade everyone?"""
    finished = lesson02.finished_before_kill
    assert finished and len(finished) < len(LESSON02_IDS)
    rerun = lesson02.outputs[-1]
    assert f"autograded {len(LESSON02_IDS) - len(finished)} submissions" in rerun
    assert f"{len(finished)} already graded" in rerun
    statuses = lesson02.room.statuses(LESSON02)
    assert set(statuses) == set(LESSON02_IDS)


@pytest.mark.slow
@LESSON02_GROUP
def test_same_scores_as_sequential_nbgrader_autograde(lesson02, tmp_path):
    """Does plain `nbgrader autograde` give the same scores on the same submissions?"""
    room = Classroom(tmp_path)
    shutil.copytree(lesson02.room.course / "submitted", room.course / "submitted")
    normal = [p.student for p in lesson02.pupils if p.state == "ok"]
    for student in set(LESSON02_IDS) - set(normal):
        shutil.rmtree(room.course / "submitted" / student)
    env = dict(room.env, BACKPROP_COURSE_DIR=str(room.course))
    for command in (["generate_assignment", LESSON02, "--force"], ["autograde", LESSON02]):
        subprocess.run(
            [sys.executable, "-m", "nbgrader", *command],
            cwd=REPO,
            env=dict(env, BACKPROP_RELEASE_DIR=str(tmp_path / "release")),
            check=True,
            capture_output=True,
            timeout=600,
        )
    sequential = room.scores(LESSON02)
    parallel = lesson02.room.scores(LESSON02)
    assert sequential == {s: parallel[s] for s in normal}


@pytest.mark.slow
def test_a_submission_that_kills_its_kernels_parent_harms_only_itself(tmp_path):
    """Without Landlock, if a submission kills the process its kernel came from, does the
    next student still get a healthy kernel and full marks?"""
    room = Classroom(tmp_path, "c.ConfinedKernelManager.confine_writes = False\n")
    kill = "import os, signal, time\nos.kill(os.getppid(), signal.SIGKILL)\ntime.sleep(10)"
    pupils = [
        Pupil("a_killer", with_tail(LESSON02, "mse_loss", kill)),
        Pupil("b_correct", student_notebook(LESSON02)),
    ]
    for pupil in pupils:
        room.submit(pupil.student, LESSON02, f"{NOTEBOOK[LESSON02]}.ipynb", notebook_bytes(pupil))
    room.cli("autograde", LESSON02, "--workers", "1", "--quiet")
    statuses = room.statuses(LESSON02)
    assert statuses["a_killer"].codes == ["kernel_died"]
    assert statuses["b_correct"].state == "ok"
    assert sum(room.scores(LESSON02)["b_correct"].values()) == 12
