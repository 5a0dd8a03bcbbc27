"""backprop-course export: one row per student, one column per exercise, a total and a status."""

from __future__ import annotations

import csv

import pytest

from .conftest import LESSON01_GROUP, LESSON02_GROUP
from .students import MAXIMUM

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(
    "fixture",
    [
        pytest.param("lesson01", marks=LESSON01_GROUP),
        pytest.param("lesson02", marks=LESSON02_GROUP),
    ],
)
def test_csv_holds_every_student_and_exercise(fixture, request, tmp_path):
    """Does the CSV hold each student's expected points per exercise, the total and a status?"""
    graded = request.getfixturevalue(fixture)
    output = tmp_path / "grades.csv"
    run = graded.room.cli("export", "-o", str(output))
    assert f"wrote {len(graded.pupils)} students" in run.stdout
    with output.open(newline="") as handle:
        rows = list(csv.reader(handle))
    exercises = list(MAXIMUM[graded.assignment])
    assert rows[0] == ["student", *exercises, "total", "status"]
    by_student = {row[0]: row for row in rows[1:]}
    assert set(by_student) == {p.student for p in graded.pupils}
    for pupil in graded.pupils:
        expected = pupil.expected(graded.assignment)
        row = by_student[pupil.student]
        assert [float(x) for x in row[1:-1]] == [*expected.values(), sum(expected.values())]
        assert bool(row[-1]) == bool(pupil.codes), row
