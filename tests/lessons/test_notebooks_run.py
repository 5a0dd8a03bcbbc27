"""Solutions run clean from a fresh kernel; untouched lessons fail only with NotImplementedError."""

from __future__ import annotations

import time

import nbformat
import pytest
from nbclient import NotebookClient

from .course import LESSONS, SOLUTIONS, assignments, notebook_name

ASSIGNMENTS = assignments()
NOT_DONE = {"NotImplementedError", "NotDoneYet"}


def _run(path, allow_errors):
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=120,
        kernel_name="python3",
        allow_errors=allow_errors,
        resources={"metadata": {"path": str(path.parent)}},
    )
    started = time.perf_counter()
    client.execute()
    return notebook, time.perf_counter() - started


def _outputs(notebook, kind):
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if output.output_type == kind:
                yield cell, output


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_solution_runs_without_errors_or_stderr(assignment):
    """Does the solution notebook run top to bottom with no error and nothing on stderr?"""
    notebook, seconds = _run(SOLUTIONS / assignment / notebook_name(assignment), False)
    stderr = [
        (cell.get("id"), output.text[:300])
        for cell, output in _outputs(notebook, "stream")
        if output.name == "stderr"
    ]
    assert not stderr, f"stderr output in {assignment}: {stderr}"
    print(f"{assignment}: {seconds:.1f} s")


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_untouched_lesson_fails_only_with_not_implemented(assignment):
    """Does every error in an untouched lesson come from an unwritten exercise?"""
    notebook, _ = _run(LESSONS / assignment / notebook_name(assignment), True)
    strange = [
        (cell.get("id"), output.ename, output.evalue[:200])
        for cell, output in _outputs(notebook, "error")
        if output.ename not in NOT_DONE
    ]
    assert not strange, f"unexpected errors in the untouched {assignment}: {strange}"
