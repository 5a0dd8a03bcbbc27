"""Tests for backprop_lib.plots: figures returned, drawn where asked, nothing left in pyplot."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from backprop_lib.plots import (
    NotebookFigure,
    plot_decision_boundary,
    plot_gradient_norms,
    plot_loss_curves,
    plot_regression,
)

HISTORY = {"train_loss": [1.0, 0.6, 0.4], "val_loss": [1.1, 0.7, 0.6], "val_acc": [0.5, 0.7, 0.8]}
RNG = np.random.default_rng(0)
POINTS = RNG.standard_normal((30, 2))
LABELS = (POINTS[:, 0] > 0).astype(np.int64)


def three_class_scores(P):
    return np.column_stack([P[:, 0], P[:, 1], -P[:, 0] - P[:, 1]])


FIGURE_MAKERS = {
    "loss_curves": lambda ax=None: plot_loss_curves(HISTORY, ax=ax),
    "boundary_labels": lambda ax=None: plot_decision_boundary(
        lambda P: (P[:, 0] > 0).astype(int), POINTS, LABELS, ax=ax, resolution=30
    ),
    "boundary_class_scores": lambda ax=None: plot_decision_boundary(
        three_class_scores, POINTS, LABELS, ax=ax, resolution=30
    ),
    "boundary_one_score": lambda ax=None: plot_decision_boundary(
        lambda P: P[:, 0] * P[:, 1], POINTS, LABELS, ax=ax, resolution=30
    ),
    "gradient_norm_bars": lambda ax=None: plot_gradient_norms({"W1": 1e-3, "W2": 0.5}, ax=ax),
    "gradient_norm_curves": lambda ax=None: plot_gradient_norms(
        {"W1": [1e-3, 2e-3], "W2": [0.5, 0.4]}, ax=ax
    ),
    "regression": lambda ax=None: plot_regression(
        POINTS[:, :1], np.sin(POINTS[:, 0]), predict=np.sin, ax=ax
    ),
}


@pytest.fixture(autouse=True)
def no_pyplot_figures_left():
    plt.close("all")
    yield
    assert plt.get_fignums() == [], "a plot left a figure open in pyplot"


@pytest.mark.parametrize("name", sorted(FIGURE_MAKERS))
def test_plots_return_a_figure_outside_pyplot(name):
    """Does every plot return a Figure with drawn axes, leaving no pyplot figure open?"""
    figure = FIGURE_MAKERS[name]()
    assert isinstance(figure, Figure)
    assert figure.axes
    assert any(ax.has_data() for ax in figure.axes)
    figure.canvas.draw()


@pytest.mark.parametrize("name", sorted(FIGURE_MAKERS))
def test_plots_draw_into_a_given_axes(name):
    """Given an ax, does every plot draw there and return that ax's figure?"""
    figure = Figure()
    ax = figure.add_subplot()
    assert FIGURE_MAKERS[name](ax=ax) is figure
    assert ax.has_data()


def test_loss_curves_draw_every_loss_and_accuracy_on_a_second_axis():
    """Are train and val loss curves on the main axis and val_acc on a twin axis?"""
    figure = plot_loss_curves(HISTORY)
    main, twin = figure.axes
    assert len(main.get_lines()) == 2
    np.testing.assert_array_equal(main.get_lines()[0].get_xdata(), [1, 2, 3])
    assert len(twin.get_lines()) == 1
    assert [text.get_text() for text in main.get_legend().get_texts()] == [
        "train loss",
        "val loss",
        "val acc",
    ]


def test_loss_curves_need_a_loss():
    """Does plot_loss_curves refuse a history without any loss?"""
    with pytest.raises(ValueError, match="loss"):
        plot_loss_curves({"val_acc": [0.5]})


def test_gradient_norms_use_a_log_scale():
    """Is the gradient-norm axis logarithmic, so 1e-6 and 1 fit on one picture?"""
    figure = plot_gradient_norms({"W1": 1e-6, "W2": 1.0})
    assert figure.axes[0].get_yscale() == "log"


def test_decision_boundary_asks_predict_for_a_grid_of_points():
    """Does plot_decision_boundary call predict once with (resolution**2, 2) points?"""
    shapes = []

    def predict(P):
        shapes.append(P.shape)
        return np.zeros(len(P), dtype=int)

    plot_decision_boundary(predict, POINTS, LABELS, resolution=25)
    assert shapes == [(625, 2)]


def test_decision_boundary_needs_two_features():
    """Does plot_decision_boundary refuse data that is not (N, 2)?"""
    with pytest.raises(ValueError, match=r"\(N, 2\)"):
        plot_decision_boundary(lambda P: P[:, 0], np.zeros((5, 3)), np.zeros(5, dtype=int))


def test_notebook_figure_renders_exactly_one_png():
    """Does IPython format a returned figure as one PNG even when pyplot's inline backend is off?"""
    formatters = pytest.importorskip("IPython.core.formatters")
    figure = plot_loss_curves(HISTORY)
    assert isinstance(figure, NotebookFigure)
    data, _ = formatters.DisplayFormatter().format(figure)
    assert data["image/png"].startswith(b"\x89PNG")
    assert [key for key in data if key.startswith("image/")] == ["image/png"]


def test_probability_heat_map_is_white_at_one_half():
    """Is a probability map's colour scale fixed to [0, 1], so white means undecided?"""
    X = np.array([[0.0, 0.0], [1.0, 1.0]])
    figure = plot_decision_boundary(lambda P: 0.2 + 0.1 * (P[:, 0] > 0.5), X, np.array([0, 1]))
    mesh = figure.axes[0].collections[0]
    assert (mesh.norm.vmin, mesh.norm.vmax) == (0.0, 1.0)
    assert figure.axes[1].get_ylabel() == "probability of class 1"


def test_score_heat_map_is_symmetric_around_zero():
    """Is a real-score map's colour scale centred on 0, the undecided score?"""
    X = np.array([[0.0, 0.0], [1.0, 1.0]])
    figure = plot_decision_boundary(lambda P: 3.0 * P[:, 0] - 1.0, X, np.array([0, 1]))
    mesh = figure.axes[0].collections[0]
    assert mesh.norm.vmin == -mesh.norm.vmax
