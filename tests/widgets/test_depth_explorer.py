"""Tests for backprop_lib.widgets.depth_explorer: the probe's physics, its drawing, the widget."""

import numpy as np
import pytest

from backprop_lib import batchnorm_forward, dense_forward, he_init, sigmoid_forward
from backprop_lib.widgets import DepthExplorer, DepthProbe, depth_probe, plot_depth_probe

# --- the pure model: what the lesson claims ----------------------------------------------


def test_sigmoid_with_small_init_vanishes_with_depth():
    """Does the first/last gradient ratio of sigmoid + small init fall by 1e3 from depth 2 to 20?"""
    shallow = depth_probe(2, activation="sigmoid", init="naive")
    deep = depth_probe(20, activation="sigmoid", init="naive")
    assert deep.grad_ratio < shallow.grad_ratio / 1e3
    assert deep.grad_ratio < 1e-20
    assert deep.signal_ratio < 1e-20


@pytest.mark.parametrize("depth", [1, 2, 5, 10, 20, 30])
def test_relu_with_he_init_stays_steady(depth):
    """Do all layers' weight gradients of ReLU + He stay within 10x of each other at any depth?"""
    probe = depth_probe(depth, activation="relu", init="he")
    assert probe.grad_spread < 10


def test_relu_with_he_ratio_barely_moves_across_depths():
    """Does the first/last ratio of ReLU + He stay within 10x across depths 2 to 30?"""
    ratios = [depth_probe(d, activation="relu", init="he").grad_ratio for d in (2, 10, 20, 30)]
    assert max(ratios) / min(ratios) < 10


def test_large_init_explodes():
    """With std-1 weights, does the first layer's gradient grow by 1e3 from depth 2 to 20?"""
    for activation in ("relu", "tanh"):
        shallow = depth_probe(2, activation=activation, init="large")
        deep = depth_probe(20, activation=activation, init="large")
        assert deep.grad_norms[0] > 1e3 * shallow.grad_norms[0], activation
        assert deep.signal_ratio > 1e3 * shallow.signal_ratio, activation


def test_batchnorm_rescues_sigmoid_with_small_init():
    """Does batch norm keep sigmoid + small init's gradients within 10x across layers and depths?"""
    ratios = []
    for depth in (2, 10, 20):
        probe = depth_probe(depth, activation="sigmoid", init="naive", batchnorm=True)
        assert probe.grad_spread < 10
        ratios.append(probe.grad_ratio)
    assert max(ratios) / min(ratios) < 10


def test_small_init_collapses_activations_and_large_init_saturates_tanh():
    """Do activations shrink layer by layer with small init, and pile up at ±1 with large tanh?"""
    small = depth_probe(15, activation="tanh", init="naive")
    assert small.act_std[-1] < 1e-10 * small.act_std[0]
    large = depth_probe(15, activation="tanh", init="large")
    assert large.saturation[-1] > 0.5
    assert large.hist[-1, [0, -1]].sum() > 0.5


# --- the pure model: what it computes ----------------------------------------------------


def test_probe_matches_a_hand_built_forward_pass():
    """Is the probe's last-layer statistics what backprop_lib's own layers give on its batch?"""
    width, batch, seed = 16, 32, 3
    probe = depth_probe(
        1, width=width, activation="sigmoid", init="he", batchnorm=True, seed=seed, batch=batch
    )
    X = np.random.default_rng([seed, batch, width]).standard_normal((batch, width))
    W1 = he_init(width, width, np.random.default_rng([seed, width]))
    Z, _ = dense_forward(X, W1, np.zeros(width))
    Z, _ = batchnorm_forward(Z, np.ones(width), np.zeros(width))
    A, _ = sigmoid_forward(Z)
    assert probe.act_mean[0] == pytest.approx(A.mean())
    assert probe.act_std[0] == pytest.approx(A.std())


def test_probe_shapes_and_settings_round_trip():
    """Does a probe hold one gradient per dense layer, one row per hidden layer, its settings?"""
    probe = depth_probe(7, width=24, activation="relu", init="xavier", seed=5, batch=40)
    assert isinstance(probe, DepthProbe)
    assert probe.grad_norms.shape == probe.signal_norms.shape == (8,)
    assert probe.act_mean.shape == probe.act_std.shape == probe.saturation.shape == (7,)
    assert probe.hist.shape == (7, 40) and probe.bin_edges.shape == (41,)
    np.testing.assert_allclose(probe.hist.sum(axis=1) + probe.saturation, 1.0, atol=1e-12)
    again = depth_probe(**probe.settings())
    np.testing.assert_array_equal(again.grad_norms, probe.grad_norms)


def test_same_layers_keep_their_weights_when_depth_grows():
    """Does layer 1 see the same weights and batch whatever the depth (so depths compare fairly)?"""
    shallow = depth_probe(3, activation="tanh", init="xavier")
    deep = depth_probe(12, activation="tanh", init="xavier")
    np.testing.assert_allclose(deep.act_std[:3], shallow.act_std)


def test_probe_is_frozen_and_read_only():
    """Can a caller accidentally change a probe?"""
    probe = depth_probe(3)
    with pytest.raises(AttributeError):
        probe.depth = 4
    with pytest.raises(ValueError):
        probe.grad_norms[0] = 1.0


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(depth=0),
        dict(depth=31),
        dict(depth=2.5),
        dict(depth=3, activation="softplus"),
        dict(depth=3, init="orthogonal"),
        dict(depth=3, width=1),
        dict(depth=3, batch=1),
    ],
)
def test_bad_settings_are_refused(kwargs):
    """Are out-of-range or unknown settings refused with a ValueError?"""
    with pytest.raises(ValueError):
        depth_probe(**kwargs)


def test_extreme_settings_stay_finite_and_quiet():
    """Does the deepest, widest exploding network still give finite numbers and no warning?"""
    probe = depth_probe(30, width=128, activation="relu", init="large")
    assert np.all(np.isfinite(probe.grad_norms)) and np.isfinite(probe.loss)


# --- the drawing and the widget ----------------------------------------------------------


def test_static_plot_has_two_panels_and_a_title():
    """Does plot_depth_probe draw gradient bars and activation map, titled with the settings?"""
    figure = plot_depth_probe(depth_probe(6, activation="relu", init="he"))
    grad_ax, act_ax = figure.axes
    assert sum(bar.get_visible() for bar in grad_ax.patches) == 7
    assert "6 hidden layers" in figure._suptitle.get_text()
    assert figure._repr_png_().startswith(b"\x89PNG")


def test_explorer_builds_without_a_browser():
    """Does the explorer build its controls and a PNG with no front end attached?"""
    explorer = DepthExplorer()
    assert set(explorer.controls) == {"depth", "width", "activation", "init", "batchnorm"}
    assert bytes(explorer.image.value).startswith(b"\x89PNG")
    assert "text/plain" in explorer._repr_mimebundle_()


@pytest.mark.parametrize(
    "control, value",
    [("depth", 20), ("width", 32), ("activation", "relu"), ("init", "he"), ("batchnorm", True)],
)
def test_moving_a_control_recomputes_and_redraws(control, value):
    """Does setting a control's value give a new probe and a new picture?"""
    explorer = DepthExplorer(depth=10)
    before_png, before_probe = explorer.image.value, explorer.probe
    explorer.controls[control].value = value
    assert explorer.probe is not before_probe
    assert getattr(explorer.probe, control) == value
    assert explorer.image.value != before_png
    visible = sum(bar.get_visible() for bar in explorer._drawing.bars)
    assert visible == explorer.probe.depth + 1


def test_set_drives_several_controls():
    """Does explorer.set(...) move the controls and leave the probe matching them?"""
    explorer = DepthExplorer()
    explorer.set(depth=4, activation="tanh", init="xavier")
    assert explorer.probe.settings() == {**explorer.settings()}
    assert "4 hidden layers" in explorer.info.value
