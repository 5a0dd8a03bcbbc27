"""Named mistakes are read from the test cells' output, titles with dots included."""

from __future__ import annotations

import json

from backprop_lib.instructor.mistakes import count_mistakes, mistake_titles

TEXT = """\
✗ values: A does not match max(0, Z).
  Likely mistake: np.max instead of np.maximum. Use np.maximum(0, Z).
    Likely mistake: np.max instead of np.maximum. Use np.maximum(0, Z).
Likely mistake: exp overflow for large |Z|.
"""


def test_titles_end_at_the_first_full_stop_followed_by_a_space():
    """Are titles containing dots (np.max) read whole, and each counted once?"""
    assert mistake_titles(TEXT) == ["np.max instead of np.maximum", "exp overflow for large |Z|"]


def _cell(grade_id, text, grade=True):
    return {
        "cell_type": "code",
        "metadata": {"nbgrader": {"grade_id": grade_id, "grade": grade}},
        "outputs": [{"output_type": "stream", "name": "stdout", "text": text}],
    }


def test_mistakes_are_counted_once_per_student(tmp_path):
    """Is a mistake counted per student (not per line), in graded cells only?"""
    for student, cells in {
        "ann": [_cell("test_relu_forward", TEXT), _cell("scratch", TEXT, grade=False)],
        "ben": [_cell("test_relu_forward_edge", TEXT)],
    }.items():
        folder = tmp_path / student / "01"
        folder.mkdir(parents=True)
        (folder / "nb.ipynb").write_text(json.dumps({"cells": cells}))
    counts, who = count_mistakes(tmp_path, "01", ["relu_forward"])
    assert counts[("relu_forward", "np.max instead of np.maximum")] == 2
    assert who[("relu_forward", "exp overflow for large |Z|")] == ["ann", "ben"]
