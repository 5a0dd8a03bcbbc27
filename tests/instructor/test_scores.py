"""Test cells map to exercises: test_<name> and test_<name>_<what> belong to <name>."""

from __future__ import annotations

import pytest

from backprop_lib.instructor.scores import exercise_of

EXERCISES = {"dense_forward", "dense_backward", "mlp_forward", "q_weight_shape", "softmax"}


@pytest.mark.parametrize(
    "grade_id, exercise",
    [
        ("test_dense_forward", "dense_forward"),
        ("test_dense_forward_shapes", "dense_forward"),
        ("test_q_weight_shape", "q_weight_shape"),
        ("test_softmax_stability", "softmax"),
        ("test_unknown_thing", "unknown_thing"),
        ("manual_essay", "manual_essay"),
    ],
)
def test_test_cells_belong_to_their_exercise(grade_id, exercise):
    """Is each test cell counted in the exercise it tests?"""
    assert exercise_of(grade_id, EXERCISES) == exercise
