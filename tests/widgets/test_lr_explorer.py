"""Tests for backprop_lib.widgets.lr_explorer: the descent, the regime classifier, the widget."""

import base64

import numpy as np
import pytest

from backprop_lib.widgets import (
    LearningRateExplorer,
    LRTrace,
    QuadraticBowl,
    classify_regime,
    learning_rate_explorer,
    lr_descent,
    plot_lr_regimes,
)
from backprop_lib.widgets.lr_explorer import REGIMES

#: A learning rate well inside each regime of the default bowl (curvatures 1 and 10).
REGIME_RATES = {
    "too slow": (1e-4, 0.005, 0.02),
    "converging": (0.04, 0.06, 0.1),
    "oscillating": (0.15, 0.17, 0.19),
    "diverging": (0.25, 1.0, 10.0),
}


# --- the pure model -------------------------------------------------------------------


def test_descent_follows_the_update_rule():
    """Is every step w <- w - lr * grad(w), with the loss of each point recorded?"""
    bowl = QuadraticBowl(curvatures=(2.0, 5.0), center=(1.0, -1.0))
    trace = lr_descent(0.05, steps=7, start=(3.0, 2.0), problem=bowl)
    assert isinstance(trace, LRTrace)
    assert trace.path.shape == (8, 2) and trace.losses.shape == (8,)
    w = np.array([3.0, 2.0])
    for step in range(1, 8):
        w = w - 0.05 * np.array([2.0, 5.0]) * (w - [1.0, -1.0])
        np.testing.assert_allclose(trace.path[step], w)
    np.testing.assert_allclose(trace.losses, bowl.loss(trace.path))


def test_trace_is_frozen_and_read_only():
    """Can a caller accidentally change a trace after the fact?"""
    trace = lr_descent(0.05, steps=5)
    with pytest.raises(AttributeError):
        trace.regime = "converging"
    with pytest.raises(ValueError):
        trace.path[0, 0] = 1.0
    with pytest.raises(ValueError):
        trace.losses[0] = 1.0


@pytest.mark.parametrize(
    "regime, rate", [(regime, rate) for regime, rates in REGIME_RATES.items() for rate in rates]
)
def test_each_regime_is_reached_by_its_learning_rate(regime, rate):
    """Does gradient descent with this learning rate land in the expected regime?"""
    trace = lr_descent(rate, steps=100)
    assert trace.regime == regime
    steep = trace.path[:, trace.problem.steep_axis]
    assert classify_regime(trace.losses, steep) == regime


def test_regime_boundaries_follow_the_curvature():
    """Do oscillation and divergence start where 1 - lr * max curvature crosses -0.2 and -1?"""
    bowl = QuadraticBowl()
    assert bowl.oscillation_rate == pytest.approx(0.1)
    assert bowl.divergence_rate == pytest.approx(0.2)
    assert lr_descent(0.195).regime == "oscillating"
    assert lr_descent(0.205).regime == "diverging"


def test_the_quadratic_loss_hides_the_bouncing():
    """On a bowl, is the oscillation visible in the steep weight but not in the loss?"""
    trace = lr_descent(0.17, steps=100)
    assert np.all(np.diff(trace.losses) <= 0)
    assert classify_regime(trace.losses) != "oscillating"
    assert classify_regime(trace.losses, trace.path[:, 1]) == "oscillating"


def test_divergence_to_inf_is_recorded_without_warnings():
    """Does a huge learning rate give an inf loss, then NaN, a divergence step, and no warning?"""
    trace = lr_descent(10.0, steps=200)
    assert trace.regime == "diverging"
    assert trace.overflow_at is not None and trace.losses[trace.overflow_at] == np.inf
    assert not np.any(np.isfinite(trace.losses[trace.overflow_at :]))
    assert np.isnan(trace.losses[-1]) and np.isnan(trace.path[-1]).all()
    assert trace.diverged_at == 1
    assert "diverged at step 1" in trace.describe()


def test_diverged_at_is_the_first_step_far_above_the_start():
    """Is diverged_at the first step whose loss exceeds ten times the starting loss?"""
    trace = lr_descent(0.25, steps=50)
    k = trace.diverged_at
    assert trace.losses[k] > 10 * trace.losses[0] >= trace.losses[k - 1]
    assert trace.overflow_at is None


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(learning_rate=0.0),
        dict(learning_rate=-1.0),
        dict(learning_rate=np.inf),
        dict(learning_rate=0.1, steps=-1),
        dict(learning_rate=0.1, steps=0),
        dict(learning_rate=0.1, steps=2.5),
        dict(learning_rate=0.1, start=(1.0, np.nan)),
    ],
)
def test_descent_rejects_bad_arguments(kwargs):
    """Does lr_descent refuse a non-positive rate, a bad step count or a bad start?"""
    with pytest.raises(ValueError):
        lr_descent(**kwargs)


# --- the classifier on hand-made curves -----------------------------------------------


@pytest.mark.parametrize(
    "losses, steep, regime",
    [
        ([1.0, 0.5, 0.2, 0.05, 1e-4], None, "converging"),
        ([1.0, 0.99, 0.98, 0.97, 0.96], None, "too slow"),
        ([1.0, 1.0, 1.0], None, "too slow"),
        ([1.0, 3.0, 20.0], None, "diverging"),
        ([1.0, 2.0, np.inf, np.nan], None, "diverging"),
        ([1.0, 0.5, np.nan], None, "diverging"),
        ([1.0, 1.2, 1.5, 2.0], None, "diverging"),
        ([1.0, 0.6, 0.8, 0.5, 0.7, 0.4, 0.6], None, "oscillating"),
        ([1.0, 0.5, 0.25, 0.12, 0.06], [2.0, -1.6, 1.3, -1.0, 0.8], "oscillating"),
        ([1.0, 0.5, 0.25, 0.12, 0.06], [2.0, 1.6, 1.3, 1.0, 0.8], "too slow"),
    ],
)
def test_classifier_on_hand_made_curves(losses, steep, regime):
    """Does classify_regime label simple made-up curves the way its rules say?"""
    assert classify_regime(losses, steep) == regime


def test_classifier_ignores_rounding_noise_near_the_minimum():
    """Are tiny wiggles at the end of a converged curve not mistaken for oscillation?"""
    losses = np.concatenate([np.geomspace(1.0, 1e-8, 40), 1e-8 + 1e-12 * np.tile([1, -1], 20)])
    assert classify_regime(losses) == "converging"


def test_classifier_respects_a_nonzero_minimum():
    """Is 'converging' measured as the gap to the given minimum, not to zero?"""
    losses = [2.0, 1.5, 1.1, 1.0001]
    assert classify_regime(losses, minimum=1.0) == "converging"
    assert classify_regime(losses) == "too slow"


@pytest.mark.parametrize("losses", [[1.0], [[1.0, 2.0]], [np.nan, 1.0]])
def test_classifier_rejects_malformed_curves(losses):
    """Does classify_regime refuse a curve too short, 2-D, or with no finite start?"""
    with pytest.raises(ValueError):
        classify_regime(losses)


def test_regime_names():
    """Are the four labels the ones the lesson talks about, slowest first?"""
    assert REGIMES == ("too slow", "converging", "oscillating", "diverging")


# --- the static figure ----------------------------------------------------------------


def test_plot_lr_regimes_draws_one_panel_per_rate():
    """Does the static figure title each panel with its rate and regime?"""
    figure = plot_lr_regimes([0.005, 0.06, 0.17, 10.0], steps=60)
    titles = [ax.get_title() for ax in figure.axes if ax.get_visible()]
    assert titles == [
        "lr = 0.005: too slow",
        "lr = 0.06: converging",
        "lr = 0.17: oscillating",
        "lr = 10: diverging",
    ]
    assert figure._repr_png_().startswith(b"\x89PNG")


# --- the widget -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def explorer():
    return learning_rate_explorer()


def test_widget_builds_with_a_log_slider_from_1e_4_to_10(explorer):
    """Does the explorer offer a log-scale learning-rate slider over 1e-4 ... 10 and a picture?"""
    assert isinstance(explorer, LearningRateExplorer)
    slider = explorer.lr_slider
    assert type(slider).__name__ == "FloatLogSlider"
    assert (slider.base, slider.min, slider.max) == (10, -4, 1)
    assert bytes(explorer.image.value).startswith(b"\x89PNG")
    bundle = explorer._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert base64.b64decode(bundle["image/png"]).startswith(b"\x89PNG")
    assert "converging" in bundle["text/plain"]


def test_moving_the_lr_slider_changes_the_drawn_data(explorer):
    """Does a new learning rate redraw the loss curve, the path, the picture and the readout?"""
    explorer.steps_slider.value = 100
    explorer.lr_slider.value = 0.005
    before = (
        explorer.loss_line.get_ydata().copy(),
        explorer.path_line.get_xdata().copy(),
        bytes(explorer.image.value),
        explorer.readout.value,
    )
    explorer.lr_slider.value = 0.17
    assert explorer.trace.regime == "oscillating"
    assert not np.array_equal(explorer.loss_line.get_ydata(), before[0])
    assert not np.array_equal(explorer.path_line.get_xdata(), before[1])
    assert bytes(explorer.image.value) != before[2]
    assert "oscillating" in explorer.readout.value and "too slow" in before[3]


def test_moving_the_steps_slider_changes_the_drawn_data(explorer):
    """Does a new number of steps lengthen the drawn curve?"""
    explorer.lr_slider.value = 0.06
    explorer.steps_slider.value = 40
    assert len(explorer.loss_line.get_xdata()) == 41
    explorer.steps_slider.value = 200
    assert len(explorer.loss_line.get_xdata()) == 201
    assert explorer.loss_ax.get_xlim() == (0, 200)


@pytest.mark.parametrize("regime", REGIMES)
def test_every_regime_is_reachable_from_the_slider(explorer, regime):
    """Can a student reach each regime with the slider, and does each look different?"""
    explorer.steps_slider.value = 100
    explorer.lr_slider.value = REGIME_RATES[regime][1]
    assert explorer.trace.regime == regime
    assert regime in explorer.loss_ax.get_title()


def test_divergence_is_drawn_inside_the_plot(explorer):
    """Does a diverging run stay on the picture, marked 'diverged at step k'?"""
    explorer.steps_slider.value = 100
    explorer.lr_slider.value = 10.0
    x, y = explorer.path_line.get_xdata(), explorer.path_line.get_ydata()
    assert np.all(np.isfinite(x)) and np.all((-5 <= x) & (x <= 5) & (-3 <= y) & (y <= 3))
    assert len(explorer.exit_marker.get_xdata()) == 1
    assert explorer.loss_note.get_text().startswith("diverged at step 1")
    assert explorer.divergence_line.get_visible()
    losses = explorer.loss_line.get_ydata()
    assert np.nanmax(losses) <= 1e8


def test_redraw_is_fast(explorer):
    """Does a learning-rate change redraw in well under 100 ms (median of 20)?"""
    import time

    explorer.steps_slider.value = 100
    times = []
    for rate in np.geomspace(1e-3, 5.0, 20):
        started = time.perf_counter()
        explorer.lr_slider.value = float(rate)
        times.append(time.perf_counter() - started)
    assert np.median(times) < 0.1
