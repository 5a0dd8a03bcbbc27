"""lessons/ is exactly what nbgrader generates from solutions/, and gives nothing away."""

from __future__ import annotations

import json

import pytest

from .course import LESSONS, REPO, SOLUTIONS, TempCourse, assignments, notebook_name
from .students import SOLUTION_MARKERS

ASSIGNMENTS = assignments()
GIVEAWAYS = (
    "BEGIN SOLUTION",
    "END SOLUTION",
    "BEGIN HIDDEN TESTS",
    "hidden_tests",
    "grade_answer(",
)


def _text(path):
    return path.read_text(encoding="utf-8")


def test_every_assignment_is_released():
    """Does lessons/ hold exactly one released folder per assignment in solutions/?"""
    released = sorted(p.name for p in LESSONS.iterdir() if p.is_dir())
    assert released == ASSIGNMENTS


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_lessons_match_a_fresh_generation(assignment, tmp_path):
    """Is the committed lesson byte-for-byte what generate_assignment makes now?"""
    fresh = TempCourse(tmp_path).generate(assignment)
    committed = LESSONS / assignment / notebook_name(assignment)
    assert _text(fresh) == _text(committed), (
        f"{committed.relative_to(REPO)} is out of date: run `make lessons`"
    )


def _solution_lines(assignment):
    """Distinctive lines written inside solution regions, and nowhere else in the source."""
    notebook = json.loads(_text(SOLUTIONS / assignment / notebook_name(assignment)))
    inside, outside = set(), set()
    for cell in notebook["cells"]:
        region = False
        for line in "".join(cell["source"]).split("\n"):
            stripped = line.strip()
            if stripped in SOLUTION_MARKERS:
                region = stripped == SOLUTION_MARKERS[0]
                continue
            (inside if region else outside).add(stripped)
    return {line for line in inside - outside if len(line) >= 12}


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_lessons_contain_no_solution_or_hidden_test(assignment):
    """Is every solution line and every trace of the hidden tests absent from the lesson?"""
    lesson = _text(LESSONS / assignment / notebook_name(assignment))
    source_lines = json.loads(lesson)
    text = "\n".join("".join(c["source"]) for c in source_lines["cells"])
    leaked = [word for word in GIVEAWAYS if word in text]
    leaked += [line for line in _solution_lines(assignment) if line in text]
    assert not leaked, f"{assignment} lesson shows: {leaked[:5]}"


@pytest.mark.parametrize(
    "path",
    sorted(SOLUTIONS.rglob("*.ipynb")) + sorted(LESSONS.rglob("*.ipynb")),
    ids=lambda path: str(path.relative_to(REPO)),
)
def test_committed_notebooks_carry_no_outputs(path):
    """Are committed notebooks free of outputs and execution counts?"""
    notebook = json.loads(_text(path))
    dirty = [
        cell.get("id")
        for cell in notebook["cells"]
        if cell["cell_type"] == "code" and (cell.get("outputs") or cell.get("execution_count"))
    ]
    assert not dirty, f"cells with outputs: {dirty}"
