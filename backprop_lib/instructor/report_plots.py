"""The figures of the class report, as matplotlib Figures (no display needed)."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

__all__ = ["score_distribution", "exercise_success", "frequent_mistakes"]

_BLUE, _ORANGE = "#3b6ea5", "#e07b39"


def score_distribution(totals, maximum):
    """Histogram of the students' total scores, out of ``maximum``."""
    figure = Figure(figsize=(7, 3.2), layout="constrained")
    axes = figure.subplots()
    if 0 < maximum <= 40:  # one bar per whole score
        edges = np.arange(-0.5, np.ceil(maximum) + 1.0)
    else:
        edges = np.linspace(0, max(maximum, 1), 21)
    axes.hist(totals, bins=edges, color=_BLUE, edgecolor="white")
    mean = np.mean(totals)
    axes.axvline(mean, color=_ORANGE, linestyle="--", label=f"mean {mean:.1f}")
    axes.set(xlabel=f"total score (out of {maximum:g})", ylabel="students")
    axes.set_xlim(edges[0], edges[-1])
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.legend(frameon=False)
    axes.set_title("Score distribution")
    return figure


def exercise_success(exercises, full_marks_rate, mean_fraction):
    """Per exercise: share of students with full marks (bars) and mean share of points (dots)."""
    figure = Figure(figsize=(7, 0.45 * len(exercises) + 1.2), layout="constrained")
    axes = figure.subplots()
    rows = np.arange(len(exercises))[::-1]
    axes.barh(rows, 100 * np.asarray(full_marks_rate), color=_BLUE, label="full marks")
    axes.plot(100 * np.asarray(mean_fraction), rows, "o", color=_ORANGE, label="mean points")
    axes.set_yticks(rows, exercises)
    axes.set(xlim=(0, 100), xlabel="% of students")
    axes.legend(frameon=False, loc="lower right")
    axes.set_title("Success rate per exercise")
    return figure


def frequent_mistakes(labels, counts, students):
    """The most frequent named mistakes, as horizontal bars of student counts."""
    figure = Figure(figsize=(7, 0.45 * len(labels) + 1.2), layout="constrained")
    axes = figure.subplots()
    rows = np.arange(len(labels))[::-1]
    axes.barh(rows, counts, color=_ORANGE)
    axes.set_yticks(rows, labels)
    axes.set(xlabel=f"students (of {students})", xlim=(0, max(max(counts), 1)))
    axes.xaxis.get_major_locator().set_params(integer=True)
    axes.set_title("Most frequent named mistakes")
    return figure
