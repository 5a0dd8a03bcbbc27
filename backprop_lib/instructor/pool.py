"""A pool of grading worker processes that survives anything a submission does.

Each worker (see :mod:`~backprop_lib.instructor.worker`) runs one task at a
time. The pool gives every task a hard time limit; a worker that exceeds it,
or dies (a submission may kill its kernel's parent), is killed together with
its kernels and replaced, and its task is reported as failed. The other
workers carry on.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait

from .kernels import remove_orphaned_folders
from .status import Problem
from .worker import NotebookResult, TaskResult

__all__ = ["WorkerPool"]


@dataclass
class _Slot:
    process: object
    tasks: object
    results: object
    task: object = None
    deadline: float = 0.0
    kernels: dict = field(default_factory=dict)  # pid -> folder


class WorkerPool:
    """``size`` worker processes grading the course in ``course_dir``.

    Use as a context manager; :meth:`submit` tasks to :meth:`idle` slots and
    :meth:`collect` what has finished.
    """

    def __init__(self, size, repo, course_dir, kernel_name="python3", log_path=None):
        self.size = size
        self._arguments = ["--repo", str(repo), "--course", str(course_dir)]
        self._arguments += ["--kernel", kernel_name]
        if log_path:
            self._arguments += ["--log", str(log_path)]
        self._slots = []

    def __enter__(self):
        remove_orphaned_folders()
        self._slots = [self._spawn() for _ in range(self.size)]
        return self

    def __exit__(self, *exc_info):
        self.close()

    def _spawn(self):
        """Start a worker process, talking to it over two pipes."""
        tasks_read, tasks_write = os.pipe()
        results_read, results_write = os.pipe()
        command = [sys.executable, "-m", "backprop_lib.instructor.worker"]
        command += ["--tasks", str(tasks_read), "--results", str(results_write)]
        process = subprocess.Popen(
            [*command, *self._arguments],
            pass_fds=(tasks_read, results_write),
            stdin=subprocess.DEVNULL,
        )
        os.close(tasks_read)
        os.close(results_write)
        tasks = Connection(tasks_write, readable=False)
        results = Connection(results_read, writable=False)
        return _Slot(process, tasks, results)

    @property
    def busy(self):
        """How many workers are running a task."""
        return sum(slot.task is not None for slot in self._slots)

    def idle(self):
        """The slots free for a task."""
        return [slot for slot in self._slots if slot.task is None]

    def submit(self, slot, task, time_limit):
        """Send ``task`` to the worker of ``slot``; it must finish within ``time_limit`` s."""
        if slot.process.poll() is not None:
            self._replace(slot)
            slot = self._slots[-1]
        slot.task, slot.deadline = task, time.monotonic() + time_limit
        try:
            slot.tasks.send(task)
        except OSError:
            pass  # the worker died meanwhile: collect() reports it

    def collect(self, timeout):
        """Wait up to ``timeout`` s; return the ``(task, TaskResult)`` pairs that finished."""
        busy = [slot for slot in self._slots if slot.task is not None]
        if not busy:
            return []
        soonest = min(slot.deadline for slot in busy) - time.monotonic()
        wait([s.results for s in busy], timeout=max(0.0, min(timeout, soonest)))
        finished = []
        for slot in busy:
            result = self._drain(slot)
            if result is not None:
                finished.append((slot.task, result))
                slot.task = None
            elif slot.process.poll() is not None:
                finished.append((slot.task, _failure(slot.task, "worker_died", _death(slot))))
                self._replace(slot)
            elif time.monotonic() > slot.deadline:
                message = "grading took longer than its time limit; the worker was stopped"
                finished.append((slot.task, _failure(slot.task, "worker_timeout", message)))
                self._replace(slot)
        return finished

    def _drain(self, slot):
        """Read the slot's pending messages; return its TaskResult if one arrived."""
        result = None
        with contextlib.suppress(EOFError, OSError):
            while slot.results.poll():
                kind, payload = slot.results.recv()
                if kind == "kernel":
                    pid, folder = payload
                    slot.kernels[pid] = folder
                elif kind == "kernel_stopped":
                    slot.kernels.pop(payload, None)
                elif kind == "result":
                    result = payload
        return result

    def _replace(self, slot):
        self._kill(slot)
        self._slots.remove(slot)
        self._slots.append(self._spawn())

    def _kill(self, slot):
        with contextlib.suppress(Exception):
            slot.process.kill()
            slot.process.wait(5)
        _kill_kernels(slot.kernels)
        for connection in (slot.tasks, slot.results):
            connection.close()

    def close(self):
        """Stop every worker (killing those that do not stop) and their kernels."""
        for slot in self._slots:
            with contextlib.suppress(OSError):
                slot.tasks.send(None)
        deadline = time.monotonic() + 10
        for slot in self._slots:
            with contextlib.suppress(subprocess.TimeoutExpired):
                slot.process.wait(max(0.0, deadline - time.monotonic()))
            if slot.process.poll() is None:
                self._kill(slot)
            else:
                self._drain(slot)
                _kill_kernels(slot.kernels)
                slot.tasks.close()
                slot.results.close()
        self._slots = []


def _kill_kernels(kernels):
    """Kill the kernels a worker left behind (each leads a process group); remove their folders."""
    for pid, folder in kernels.items():
        with contextlib.suppress(OSError):
            os.killpg(pid, signal.SIGKILL)
        shutil.rmtree(folder, ignore_errors=True)
    kernels.clear()


def _death(slot):
    code = slot.process.returncode
    if code is not None and code < 0:
        with contextlib.suppress(ValueError):
            return f"the grading worker was killed by {signal.Signals(-code).name}"
    return f"the grading worker stopped unexpectedly (exit code {code})"


def _failure(task, code, message):
    results = [NotebookResult(name, None, [Problem(code, message)]) for name, *_ in task.notebooks]
    return TaskResult(task.task_id, results)
