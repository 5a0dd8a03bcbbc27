"""A grading worker: a process that runs the notebooks it is sent, one submission at a time.

Workers never touch the gradebook. They receive sanitized notebooks from the
grader (the parent process), run each in a fresh confined kernel in its own
temporary folder, and send back the executed notebooks and what went wrong.

Starting a kernel costs as much as running a small notebook. So a worker
forks its kernels from a zygote that imported ipykernel, NumPy, Matplotlib
and ``backprop_lib`` once (:mod:`.zygote`), always has the next kernel
starting while it runs the current notebook, and stops finished kernels in
the background: the cores never wait for a kernel, and spend little on one.

Messages to the grader are ``("kernel", (pid, folder))`` when a kernel
starts and ``("kernel_stopped", pid)`` when it is gone (so the grader can
clean up after a worker that died), and ``("result", TaskResult)``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

import nbformat

from .execute import GuardedExecute
from .kernels import ConfinedKernelManager, kernel_environment, start_kernel
from .status import Problem
from .zygote import Zygote

__all__ = ["Task", "NotebookResult", "TaskResult", "serve", "main"]


@dataclass
class Task:
    """One submission to run: its sanitized notebooks and the folder of its other files."""

    task_id: int
    notebooks: list  # of (notebook name, notebook JSON text, resources dict)
    files: str | None = None
    kernel_name: str = "python3"


@dataclass
class NotebookResult:
    """One executed notebook (JSON text, or None if it could not run) and its problems."""

    name: str
    notebook: str | None
    problems: list = field(default_factory=list)


@dataclass
class TaskResult:
    """The results of a :class:`Task`, notebook by notebook."""

    task_id: int
    notebooks: list
    seconds: float = 0.0


def serve(tasks, results, repo, course_dir, kernel_name, log_path=None):
    """Serve tasks until told to stop.

    Parameters
    ----------
    tasks, results : multiprocessing.connection.Connection
        Receives :class:`Task` objects (None to stop); sends messages back.
    repo, course_dir : str
        Where to load the course configuration from.
    kernel_name : str
        The kernel to start ahead of the first task.
    log_path : str, optional
        File to append this worker's log to.
    """
    from .course import load_course

    if log_path:
        handler = logging.FileHandler(log_path)
        handler.setFormatter(logging.Formatter("%(asctime)s worker %(levelname)s %(message)s"))
        logging.basicConfig(level=logging.INFO, handlers=[handler], force=True)
        logging.captureWarnings(True)
    config = load_course(repo, course_dir).config
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_Worker(tasks, results, config).serve(kernel_name))


class _Worker:
    def __init__(self, tasks, results, config):
        self.tasks, self.results, self.config = tasks, results, config
        self.log = logging.getLogger("backprop_course.worker")
        self.stopping = set()
        self.zygote, self.zygote_failures = None, 0
        self.zygote_lock = asyncio.Lock()

    async def _zygote(self):
        """The kernel zygote, (re)started when needed; None to launch kernels afresh."""
        async with self.zygote_lock:
            if self.zygote is not None and self.zygote.alive:
                return self.zygote
            preload = ConfinedKernelManager(config=self.config).preload
            if not preload or self.zygote_failures >= 2:
                return None
            try:
                environment = kernel_environment(tempfile.gettempdir())
                self.zygote = await Zygote.start(environment, preload)
            except Exception:
                self.log.exception("no kernel zygote: kernels are launched afresh")
                self.zygote, self.zygote_failures = None, self.zygote_failures + 1
            return self.zygote

    def _start(self, kernel_name):
        """Start a kernel in the background; the grader learns its pid and folder."""

        async def announced():
            executor = GuardedExecute(config=self.config)
            kernel = await start_kernel(
                kernel_name,
                self.config,
                executor.extra_arguments,
                executor.startup_timeout,
                zygote=await self._zygote(),
            )
            with contextlib.suppress(OSError):
                self.results.send(("kernel", (kernel.pid, str(kernel.root))))
            return kernel

        return asyncio.ensure_future(announced())

    async def serve(self, kernel_name):
        loop = asyncio.get_running_loop()
        spare = self._start(kernel_name)
        try:
            while True:
                try:
                    task = await loop.run_in_executor(None, self.tasks.recv)
                except (EOFError, OSError):
                    break  # the grader is gone
                if task is None:
                    break
                started = time.perf_counter()
                outcomes = []
                for name, text, resources in task.notebooks:
                    spare, outcome = await self._run(spare, task, name, text, resources)
                    outcomes.append(outcome)
                seconds = time.perf_counter() - started
                try:
                    self.results.send(("result", TaskResult(task.task_id, outcomes, seconds)))
                except OSError:
                    break  # the grader is gone
        finally:
            await self._discard(spare)
            if self.stopping:
                await asyncio.gather(*self.stopping, return_exceptions=True)
            if self.zygote is not None:
                await self.zygote.close()

    async def _run(self, spare, task, name, text, resources):
        """Run one notebook on the spare kernel; return the next spare and the result."""
        try:
            kernel = await spare
            if kernel.kernel_name != task.kernel_name or not await kernel.usable():
                # Another kernel or one orphaned by a zygote that a submission killed.
                self._stop_later(kernel)
                kernel = await self._start(task.kernel_name)
        except Exception as error:  # the kernel could not start: the next one might
            self.log.exception("kernel start failed")
            message = f"the kernel could not start: {type(error).__name__}: {error}"
            return self._start(task.kernel_name), NotebookResult(
                name, None, [Problem("kernel_start_failed", message)]
            )
        spare = self._start(task.kernel_name)
        try:
            _copy_files(task.files, kernel.workdir)
            notebook = nbformat.reads(text, as_version=nbformat.NO_CONVERT)
            resources = {**resources, "metadata": {**resources.get("metadata", {})}}
            resources["metadata"]["path"] = str(kernel.workdir)
            executor = GuardedExecute(config=self.config)
            notebook, problems = await executor.run(notebook, resources, kernel)
            return spare, NotebookResult(name, nbformat.writes(notebook), problems)
        except Exception as error:
            self.log.exception("running %s failed", name)
            message = f"running the notebook failed: {type(error).__name__}: {error}"
            return spare, NotebookResult(name, None, [Problem("grading_error", message)])
        finally:
            self._stop_later(kernel)

    def _stop_later(self, kernel):
        async def stop():
            await kernel.stop()
            with contextlib.suppress(OSError):
                self.results.send(("kernel_stopped", kernel.pid))

        stopping = asyncio.ensure_future(stop())
        self.stopping.add(stopping)
        stopping.add_done_callback(self.stopping.discard)

    async def _discard(self, spare):
        spare.cancel()
        with contextlib.suppress(BaseException):
            kernel = await spare
            await kernel.stop()


def main(argv=None):
    """Entry point of a worker process: ``python -m backprop_lib.instructor.worker ...``."""
    parser = argparse.ArgumentParser(prog="python -m backprop_lib.instructor.worker")
    parser.add_argument("--tasks", type=int, required=True, help="fd to read tasks from")
    parser.add_argument("--results", type=int, required=True, help="fd to write results to")
    parser.add_argument("--repo", required=True)
    parser.add_argument("--course", required=True)
    parser.add_argument("--kernel", default="python3")
    parser.add_argument("--log")
    args = parser.parse_args(argv)
    tasks = Connection(args.tasks, writable=False)
    results = Connection(args.results, readable=False)
    serve(tasks, results, args.repo, args.course, args.kernel, args.log)


def _copy_files(source, destination):
    """Copy the submission's other files (data, timestamp) into the kernel's folder."""
    if not source or not Path(source).is_dir():
        return
    shutil.copytree(
        source, destination, dirs_exist_ok=True, ignore=shutil.ignore_patterns("*.ipynb")
    )


if __name__ == "__main__":
    # Run the imported module's main, so pickled results name backprop_lib's classes.
    from backprop_lib.instructor.worker import main as imported_main

    imported_main()
