#!/usr/bin/env python3
"""Set up the course and run it: ``python3 course.py lab`` or ``python3 course.py test``.

Needs nothing but Python 3.10+. Each command first makes sure a virtual
environment ``.venv`` exists with the package installed (re-installing when
``pyproject.toml`` changes), then:

- ``lab``      opens JupyterLab on ``lessons/``;
- ``test``     runs the linter and the whole test suite (library, checks,
               lessons through nbgrader, explorers, grading pipeline, notebooks
               from a fresh kernel, and the browser test when Chromium is there);
- ``lessons``  regenerates ``lessons/`` from ``solutions/``;
- ``setup``    only prepares the environment.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

REPO = Path(__file__).resolve().parent
VENV = Path(os.environ.get("BACKPROP_VENV", REPO / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
MIN_PYTHON = (3, 10)


def say(message):
    print(f"[course] {message}", flush=True)


def run(*command, **kwargs):
    """Run a command, echoing it; exit with its status if it fails."""
    say(" ".join(str(part) for part in command))
    result = subprocess.run([str(part) for part in command], **kwargs)
    if result.returncode != 0:
        sys.exit(result.returncode)


def _stamp(extras):
    digest = hashlib.sha256((REPO / "pyproject.toml").read_bytes()).hexdigest()[:16]
    return f"{digest}:{extras}"


def ensure_environment(extras="dev"):
    """Create ``.venv`` and install the package (with ``extras``) unless already up to date."""
    if sys.version_info < MIN_PYTHON:
        sys.exit(
            f"The course needs Python {'.'.join(map(str, MIN_PYTHON))} or newer; "
            f"this is {sys.version.split()[0]}."
        )
    stamp_file = VENV / ".course-installed"
    wanted = _stamp(extras)
    if stamp_file.exists() and wanted in stamp_file.read_text().split():
        return
    if not (BIN / "python").exists():
        say(f"creating a virtual environment in {VENV}")
        try:
            venv.create(VENV, with_pip=True)
        except Exception as error:  # Debian ships venv's pip bootstrap separately
            sys.exit(
                f"Could not create a virtual environment ({error}).\n"
                "On Debian or Ubuntu install the venv module first: "
                "sudo apt-get install python3-venv"
            )
    run(BIN / "python", "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    target = f".[{extras}]" if extras else "."
    run(BIN / "python", "-m", "pip", "install", "--quiet", "-e", target, cwd=REPO)
    previous = stamp_file.read_text().split() if stamp_file.exists() else []
    stamp_file.write_text("\n".join([*previous, wanted]) + "\n")


def lab(args):
    ensure_environment(extras="")
    command = [BIN / "jupyter", "lab", f"--ServerApp.root_dir={REPO / 'lessons'}"]
    if args.no_browser:
        command.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # containers often run as root
    run(*command, cwd=REPO)


def test(args):
    ensure_environment()
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    run(BIN / "ruff", "check", ".", cwd=REPO, env=env)
    workers = args.workers or str(min(os.cpu_count() or 1, 4))
    run(
        BIN / "python",
        "-m",
        "pytest",
        "tests",
        "-n",
        workers,
        "--dist",
        "loadgroup",
        *args.pytest_args,
        cwd=REPO,
        env=env,
    )
    # Restart & Run All of every solution notebook, one kernel per notebook.
    run(
        BIN / "python",
        "-m",
        "pytest",
        "--nbval-lax",
        "solutions",
        "-p",
        "no:xdist",
        *args.pytest_args,
        cwd=REPO,
        env=env,
    )


def lessons(args):
    ensure_environment(extras="")
    run(BIN / "backprop-course", "release", *args.assignments, cwd=REPO)


def setup(args):
    ensure_environment()
    say(f"ready: activate with `source {BIN / 'activate'}`")


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    lab_parser = commands.add_parser("lab", help="set up and open the lessons in JupyterLab")
    lab_parser.add_argument(
        "--no-browser", action="store_true", help="start the server without opening a browser"
    )
    lab_parser.set_defaults(run=lab)
    test_parser = commands.add_parser("test", help="set up and run the whole test suite")
    test_parser.add_argument("--workers", help="parallel test workers (default: cores, max 4)")
    test_parser.add_argument("pytest_args", nargs="*", help="extra arguments for pytest")
    test_parser.set_defaults(run=test)
    lessons_parser = commands.add_parser("lessons", help="regenerate lessons/ from solutions/")
    lessons_parser.add_argument("assignments", nargs="*", help="default: all")
    lessons_parser.set_defaults(run=lessons)
    commands.add_parser("setup", help="only create the environment").set_defaults(run=setup)
    args = parser.parse_args(argv)
    args.run(args)


if __name__ == "__main__":
    main()
