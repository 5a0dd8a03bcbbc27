"""Grading throughput: sequential ``nbgrader autograde`` against ``backprop-course autograde``.

The same class of simulated submissions of one lesson (by default 40 of
lesson 01: correct ones, each catalog mistake, correct alternatives, the
untouched lesson) is graded twice, each time in a fresh course folder with
the course's configuration: once by ``nbgrader autograde`` (one notebook
after another), once by ``backprop-course autograde --workers N``. The
script prints submissions per minute for both, the ratio, and whether every
student got the same score in every test cell.

Run with ``python benchmarks/grading_throughput.py [--submissions 40] [--workers 2]``.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from nbgrader.api import Gradebook  # noqa: E402

from tests.lessons.students import lesson_notebook, student_notebook  # noqa: E402


def class_of(assignment, size):
    """``size`` submissions: the solution, the untouched lesson, each simulated variant, in turn."""
    variants = importlib.import_module(f"tests.lessons.lesson{assignment[:2]}_students").VARIANTS
    kinds = [student_notebook(assignment), lesson_notebook(assignment)]
    kinds += [student_notebook(assignment, variant) for variant in variants]
    return [kinds[i % len(kinds)] for i in range(size)]


def prepare(course, release, assignment, notebooks, env):
    """A course folder that knows ``assignment`` and holds the submissions."""
    (name,) = [p.name for p in (REPO / "solutions" / assignment).glob("*.ipynb")]
    for number, notebook in enumerate(notebooks):
        folder = course / "submitted" / f"student{number:03d}" / assignment
        folder.mkdir(parents=True)
        (folder / name).write_text(json.dumps(notebook))
    nbgrader(["generate_assignment", assignment, "--force"], course, release, env)


def nbgrader(arguments, course, release, env):
    subprocess.run(
        [sys.executable, "-m", "nbgrader", *arguments],
        cwd=REPO,
        env=dict(env, BACKPROP_COURSE_DIR=str(course), BACKPROP_RELEASE_DIR=str(release)),
        check=True,
        capture_output=True,
    )


def timed(command, course, release, env):
    """Run ``command``; return its wall-clock seconds."""
    started = time.perf_counter()
    subprocess.run(
        command,
        cwd=REPO,
        env=dict(env, BACKPROP_COURSE_DIR=str(course), BACKPROP_RELEASE_DIR=str(release)),
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def scores(course, assignment):
    """``{student: {test cell: score}}`` from a course's gradebook."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
            return {
                submission.student.id: {
                    grade.name: grade.score for nb in submission.notebooks for grade in nb.grades
                }
                for submission in gradebook.assignment_submissions(assignment)
            }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--assignment", default="01_forward_pass")
    parser.add_argument("--submissions", type=int, default=40)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    env = {k: v for k, v in os.environ.items() if not k.startswith("BACKPROP_")}
    notebooks = class_of(args.assignment, args.submissions)
    with tempfile.TemporaryDirectory(prefix="grading-throughput-") as scratch:
        root = Path(scratch)
        release = root / "release"
        sequential, parallel = root / "sequential", root / "parallel"
        for course in (sequential, parallel):
            prepare(course, release, args.assignment, notebooks, env)
        print(
            f"grading {args.submissions} submissions of {args.assignment} on "
            f"{os.cpu_count()} cores ...",
            flush=True,
        )
        seconds = {
            "nbgrader autograde (sequential)": timed(
                [sys.executable, "-m", "nbgrader", "autograde", args.assignment],
                sequential,
                release,
                env,
            ),
            f"backprop-course autograde --workers {args.workers}": timed(
                [
                    sys.executable,
                    "-m",
                    "backprop_lib.cli",
                    "--course",
                    str(parallel),
                    "autograde",
                    args.assignment,
                    "--workers",
                    str(args.workers),
                    "--quiet",
                ],
                parallel,
                release,
                env,
            ),
        }
        same = scores(sequential, args.assignment) == scores(parallel, args.assignment)
    rates = {}
    for name, elapsed in seconds.items():
        rates[name] = 60 * args.submissions / elapsed
        print(f"{name:40s} {elapsed:7.1f} s  {rates[name]:6.1f} submissions/minute")
    first, second = rates.values()
    print(f"{'ratio':40s} {second / first:7.2f}")
    print(f"{'identical scores':40s} {'yes' if same else 'NO'}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
