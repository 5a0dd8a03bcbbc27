"""backprop-course report: one self-contained page with plots, mistakes and problems."""

from __future__ import annotations

import re

import pytest

from .conftest import LESSON01_GROUP

pytestmark = [pytest.mark.slow, LESSON01_GROUP]


@pytest.fixture(scope="module")
def report(lesson01, tmp_path_factory):
    path = tmp_path_factory.mktemp("report") / "report.html"
    lesson01.room.cli("report", lesson01.assignment, "-o", str(path))
    return path.read_text(encoding="utf-8")


def test_report_is_one_self_contained_page(report):
    """Does the page embed its plots and load nothing from elsewhere?"""
    assert report.count("data:image/png;base64,") == 3
    assert not re.search(r'(src|href)="(https?:)?//', report)


def test_report_counts_the_named_mistakes(report, lesson01):
    """Are the named mistakes of the class listed with their exercise?"""
    for pupil in lesson01.pupils:
        if pupil.mistake:
            (exercise,) = pupil.scores
            assert re.search(rf"<td>{exercise}</td><td>{re.escape(pupil.mistake)}</td>", report)


def test_report_lists_the_submissions_with_problems(report, lesson01):
    """Does the page list every submission the grader had trouble with, and the class size?"""
    for pupil in lesson01.pupils:
        if pupil.codes:
            assert f"<td>{pupil.student}</td>" in report
    assert f"<b>{len(lesson01.pupils)}</b>" in report
