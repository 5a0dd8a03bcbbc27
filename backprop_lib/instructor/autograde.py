"""Autograde every submission of an assignment, in parallel, into nbgrader's gradebook.

The design, in one paragraph: this process is the only one that touches the
gradebook. For each submission it runs nbgrader's own steps before
execution (record the submission, copy its files, sanitize the notebook),
hands the sanitized notebook to one of N worker processes, and when the
executed notebook comes back runs nbgrader's own steps after execution
(``SaveAutoGrades``, late penalties) and writes the autograded notebook.
Workers only execute, each notebook in a fresh confined kernel in its own
temporary folder, forked from a zygote that imported the heavy modules once,
with the next kernel already starting while the current notebook runs (see
:mod:`.pipeline`, :mod:`.pool`, :mod:`.worker`, :mod:`.zygote`). So the
gradebook is written by one process, one submission at a time, with exactly
nbgrader's code: the grades are those of ``nbgrader autograde``.

A submission is finished when its status is recorded (:mod:`.status`),
right after its grades are committed: a batch stopped at any point and run
again grades only what is not finished, and running it twice changes nothing.
"""

from __future__ import annotations

import logging
import os
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from .gradebook import ensure_assignment, notebook_names, open_gradebook
from .pipeline import AutogradePipeline
from .pool import WorkerPool
from .progress import progress_bar
from .status import NOT_GRADED, OK, PROBLEMS, Problem, StatusBook, SubmissionStatus
from .submissions import find_submissions, read_notebook
from .worker import Task

__all__ = ["AutogradeError", "AutogradeSummary", "autograde", "default_workers"]


class AutogradeError(RuntimeError):
    """Autograding cannot start (no such assignment, no submissions...)."""


@dataclass
class AutogradeSummary:
    """What an autograde run did."""

    assignment: str
    graded: list = field(default_factory=list)  # SubmissionStatus, in the order finished
    skipped: list = field(default_factory=list)  # students already graded
    seconds: float = 0.0
    workers: int = 0
    log_path: Path | None = None


def default_workers():
    """One worker per core this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def _logger(course, assignment):
    folder = course.root / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"autograde-{assignment}.log"
    log = logging.getLogger(f"backprop_course.autograde.{assignment}")
    log.handlers.clear()
    handler = logging.FileHandler(path)
    handler.setFormatter(logging.Formatter("%(asctime)s grader %(levelname)s %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False
    return log, path


def _kernel_name(course, assignment):
    for path in sorted((course.source / assignment).glob("*.ipynb")):
        spec = nbformat.read(path, as_version=4).metadata.get("kernelspec", {})
        return spec.get("name", "python3")
    return "python3"


class _Batch:
    """The state of one run: what is left to prepare, what is running, what is done."""

    def __init__(self, course, assignment, pipeline, book, log):
        self.course, self.assignment = course, assignment
        self.pipeline, self.book, self.log = pipeline, book, log
        self.running = {}  # task id -> (submission, problems before execution, resources)
        self.kernel_name = _kernel_name(course, assignment)

    def is_finished(self, submission):
        """Whether ``submission`` is graded already, from exactly these files."""
        status = self.book.get(submission.student)
        if status is None or status.fingerprint != submission.fingerprint:
            return False
        destination = self.pipeline.destination(submission.student)
        if status.state != NOT_GRADED and not all(
            (destination / f"{name}.ipynb").is_file() for name in submission.notebooks
        ):
            return False
        with open_gradebook(self.course) as gradebook:
            try:
                gradebook.find_submission(self.assignment, submission.student)
            except Exception:
                return False
        return True

    def prepare(self, submission, task_id):
        """nbgrader's steps before execution; a Task, or None if nothing can run."""
        try:
            return self._prepare(submission, task_id)
        except Exception as error:  # one submission's trouble never stops the batch
            self.log.exception("preparing %s failed", submission.student)
            problem = Problem("grading_error", f"nbgrader could not prepare it: {error}")
            self.finish(submission, [*submission.problems, problem], {}, [], 0.0)
            return None

    def _prepare(self, submission, task_id):
        self.book.forget(submission.student)
        self.pipeline.begin(submission)
        problems, notebooks, resources = list(submission.problems), [], {}
        for name, path in submission.notebooks.items():
            if path is None:
                continue
            notebook, problem = read_notebook(path)
            if problem is not None:
                problems.append(problem)
            if notebook is None:
                continue
            try:
                text, resources[name], found = self.pipeline.sanitize(
                    submission.student, name, notebook
                )
            except Exception as error:
                self.log.exception("sanitizing %s of %s failed", name, submission.student)
                problems.append(
                    Problem("invalid_notebook", f"nbgrader could not read {name}: {error}")
                )
                continue
            problems += found
            notebooks.append((name, text, resources[name]))
        if not notebooks:
            self.finish(submission, problems, {}, [], 0.0)
            return None
        self.running[task_id] = (submission, problems, resources)
        folder = str(self.pipeline.destination(submission.student))
        return Task(task_id, notebooks, folder, self.kernel_name)

    def complete(self, task, result):
        """nbgrader's steps after execution, for a task that came back."""
        submission, problems, resources = self.running.pop(task.task_id)
        return self.finish(submission, problems, resources, result.notebooks, result.seconds)

    def finish(self, submission, problems, resources, results, seconds):
        """Write grades (or zeros) and notebooks, then record the status."""
        executed = {}
        for result in results:
            problems = problems + result.problems
            if result.notebook is not None:
                try:
                    self.pipeline.finish(
                        submission.student, result.name, result.notebook, resources[result.name]
                    )
                    executed[result.name] = True
                except Exception as error:
                    self.log.exception("saving %s of %s failed", result.name, submission.student)
                    problems.append(Problem("grading_error", f"saving the grades failed: {error}"))
        for name in submission.notebooks:
            if name not in executed:
                try:
                    self.pipeline.zero(submission.student, name)
                except Exception:  # not in the gradebook at all: nothing to zero
                    self.log.exception("zeroing %s of %s failed", name, submission.student)
        if self.pipeline.destination(submission.student).is_dir():
            self.pipeline.seal(submission.student)
        state = NOT_GRADED if not executed else PROBLEMS if problems else OK
        status = SubmissionStatus(
            submission.student, state, problems, submission.fingerprint, seconds
        )
        self.book.record(status)
        for problem in problems:
            self.log.warning("%s: %s", submission.student, problem.message)
        return status


def autograde(course, assignment, workers=None, force=False, students=None, progress=True):
    """Autograde the submissions of ``assignment``.

    Parameters
    ----------
    course : backprop_lib.instructor.course.Course
    assignment : str
    workers : int, optional
        Worker processes (default: one per core).
    force : bool
        Grade again submissions that are already graded.
    students : sequence of str, optional
        Only these students.
    progress : bool
        Show a progress bar.

    Returns
    -------
    AutogradeSummary
    """
    started = time.perf_counter()
    ensure_assignment(course, assignment)
    names = notebook_names(course, assignment)
    submitted = course.root / "submitted"
    submissions = find_submissions(submitted, assignment, names, students)
    if not submissions:
        who = f" from {', '.join(students)}" if students else ""
        raise AutogradeError(
            f"no submissions of {assignment}{who} in {submitted}/<student>/{assignment}/: "
            "put them there, or use `backprop-course collect`"
        )
    log, log_path = _logger(course, assignment)
    pipeline = AutogradePipeline(course, assignment, log)
    batch = _Batch(course, assignment, pipeline, StatusBook(course.root, assignment), log)
    summary = AutogradeSummary(assignment, log_path=log_path)
    todo = deque()
    for submission in submissions:
        if not force and batch.is_finished(submission):
            summary.skipped.append(submission.student)
        else:
            todo.append(submission)
    summary.workers = max(1, min(workers or default_workers(), len(todo) or 1))
    if todo:
        _run(batch, todo, summary, progress)
    summary.seconds = time.perf_counter() - started
    return summary


def _run(batch, todo, summary, progress):
    """Prepare, dispatch and finish every submission in ``todo``."""
    from .execute import GuardedExecute

    limits = GuardedExecute(config=batch.course.config)
    pool = WorkerPool(
        summary.workers, batch.course.repo, batch.course.root, batch.kernel_name, summary.log_path
    )
    ready, task_ids = deque(), iter(range(1, 10**9))

    def prepare_one():
        while todo:
            submission = todo.popleft()
            task = batch.prepare(submission, next(task_ids))
            if task is not None:
                ready.append(task)
                return
            bar.update(1)
            summary.graded.append(batch.book.get(submission.student))

    with pool, progress_bar(len(todo), f"autograde {batch.assignment}", progress) as bar:
        while todo or ready or pool.busy:
            for slot in pool.idle():
                if not ready:
                    prepare_one()
                if not ready:
                    break
                task = ready.popleft()
                time_limit = (limits.notebook_timeout + 60) * len(task.notebooks) + 60
                pool.submit(slot, task, time_limit)
            if not ready:
                prepare_one()  # while the workers run, get the next one ready
            for task, result in pool.collect(timeout=0.5):
                summary.graded.append(batch.complete(task, result))
                bar.update(1)
