"""RestoreDeletedCells: deleted cells come back from the released lesson, in place."""

from __future__ import annotations

import copy
import json

import nbformat
import pytest
from traitlets.config import Config

from backprop_lib.instructor.restore_cells import RestoreDeletedCells, grade_id

from .classroom import REPO

ASSIGNMENT, NOTEBOOK = "01_forward_pass", "forward_pass"
RELEASED = nbformat.reads(
    (REPO / "lessons" / ASSIGNMENT / f"{NOTEBOOK}.ipynb").read_text(), as_version=4
)
ORDER = [grade_id(c) for c in RELEASED.cells if grade_id(c)]


def _restore(notebook):
    config = Config()
    config.CourseDirectory.release_directory = str(REPO / "lessons")
    resources = {"nbgrader": {"assignment": ASSIGNMENT, "notebook": NOTEBOOK}}
    return RestoreDeletedCells(config=config).preprocess(notebook, resources)


def _without(*names):
    notebook = copy.deepcopy(RELEASED)
    notebook.cells = [c for c in notebook.cells if grade_id(c) not in names]
    return notebook


@pytest.mark.parametrize(
    "deleted",
    [
        ("setup",),
        ("dense_forward", "test_dense_forward"),
        ("title",),
        ("wrap_up", "q_linear_collapse"),
        tuple(ORDER),
    ],
)
def test_deleted_cells_come_back_in_their_place(deleted):
    """Are deleted cells (first, last, consecutive, all of them) restored in lesson order?"""
    notebook, resources = _restore(_without(*deleted))
    assert [grade_id(c) for c in notebook.cells if grade_id(c)] == ORDER
    assert sorted(resources["nbgrader"]["restored_cells"]) == sorted(deleted)


def test_student_cells_stay_where_they_were():
    """Do cells the student added keep their place among restored ones?"""
    notebook = _without("setup")
    notebook.cells.insert(3, nbformat.v4.new_code_cell("scratch = 1"))
    restored, _ = _restore(notebook)
    position = {grade_id(c) or c.source: i for i, c in enumerate(restored.cells)}
    assert position["setup"] < position["scratch = 1"]
    assert [grade_id(c) for c in restored.cells if grade_id(c)] == ORDER


def test_edited_locked_cells_are_reported_and_left_to_nbgrader():
    """Is an edited read-only cell reported (and left for OverwriteCells to restore)?"""
    notebook = copy.deepcopy(RELEASED)
    cell = next(c for c in notebook.cells if grade_id(c) == "test_relu_forward")
    cell.source = "print('fine')"
    restored, resources = _restore(notebook)
    assert resources["nbgrader"]["edited_locked_cells"] == ["test_relu_forward"]
    assert resources["nbgrader"]["restored_cells"] == []
    assert json.dumps(restored) == json.dumps(notebook)


def test_restored_cell_ids_stay_unique():
    """Does a restored cell get a fresh id when the student reused its id elsewhere?"""
    notebook = _without("setup")
    setup = next(c for c in RELEASED.cells if grade_id(c) == "setup")
    notebook.cells[0].id = setup.id
    restored, _ = _restore(notebook)
    ids = [c.id for c in restored.cells]
    assert len(ids) == len(set(ids))
