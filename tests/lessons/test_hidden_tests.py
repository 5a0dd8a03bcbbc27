"""The hidden tests agree with the notebooks that call them."""

from __future__ import annotations

import json
import re

import pytest

from hidden_tests import CASES, DEPENDS_ON, QUESTIONS, points_of

from .course import SOLUTIONS, assignments, notebook_name

CALL = re.compile(r"""grade(?:_answer)?\(\s*["'](\w+)["']""")


def _graded_cells(assignment):
    notebook = json.loads((SOLUTIONS / assignment / notebook_name(assignment)).read_text())
    for cell in notebook["cells"]:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("grade") and cell["cell_type"] == "code":
            yield meta["grade_id"], meta["points"], "".join(cell["source"])


@pytest.mark.parametrize("assignment", assignments())
def test_hidden_points_equal_the_cells_points(assignment):
    """Does every test cell's hidden part award exactly the points the cell is worth?"""
    for grade_id, points, source in _graded_cells(assignment):
        called = CALL.findall(source)
        assert len(called) == 1, f"{grade_id} should call grade(...) or grade_answer(...) once"
        assert points_of(called[0]) == points, (
            f"{grade_id}: hidden {points_of(called[0])} != {points}"
        )


def test_every_hidden_case_targets_a_known_verifier():
    """Is every hidden case, question and dependency about something that exists?"""
    import backprop_lib
    from backprop_lib.checks import VERIFIERS

    assert set(CASES) <= set(VERIFIERS)
    assert all(case.points > 0 for cases in CASES.values() for case in cases)
    assert all(q.points > 0 and q.hint for q in QUESTIONS.values())
    for name, uses in DEPENDS_ON.items():
        assert name in CASES and all(hasattr(backprop_lib, use) for use in uses), name


def test_hidden_cases_are_not_the_visible_ones():
    """Do hidden cases use fresh seeds, never the student check's own cases?"""
    from backprop_lib.checks import VERIFIERS

    for name, cases in CASES.items():
        visible = [
            {k: v for k, v in case.items() if k != "label"} for case in VERIFIERS[name].cases
        ]
        for case in cases:
            assert case.kwargs not in visible, f"{name}: hidden case {case.label!r} is visible"
