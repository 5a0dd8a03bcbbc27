"""Tests for backprop_lib.mlp: parameter layout, caches, gradients of the whole network."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backprop_lib.gradcheck import gradient_report
from backprop_lib.layers import ACTIVATIONS
from backprop_lib.losses import cross_entropy_loss, softmax_cross_entropy
from backprop_lib.mlp import init_mlp, mlp_backward, mlp_forward, num_layers

GRADCHECK = settings(max_examples=25, deadline=None, derandomize=True, database=None)
THRESHOLD = 1e-7

layer_sizes = st.lists(st.integers(2, 6), min_size=3, max_size=4, unique=True)
batch_sizes = st.integers(7, 9)
seeds = st.integers(0, 2**32 - 1)


def test_init_mlp_shapes_and_zero_biases():
    """Does init_mlp give W_l of shape (sizes[l-1], sizes[l]) and zero biases?"""
    params = init_mlp([4, 7, 3], np.random.default_rng(0))
    assert sorted(params) == ["W1", "W2", "b1", "b2"]
    assert params["W1"].shape == (4, 7)
    assert params["W2"].shape == (7, 3)
    np.testing.assert_array_equal(params["b1"], np.zeros(7))
    np.testing.assert_array_equal(params["b2"], np.zeros(3))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"layer_sizes": [3]}, "at least"), ({"layer_sizes": [3, 2], "init": "zeros"}, "init")],
)
def test_init_mlp_rejects_bad_arguments(kwargs, message):
    """Does init_mlp refuse a single layer size or an unknown initialiser?"""
    with pytest.raises(ValueError, match=message):
        init_mlp(rng=np.random.default_rng(0), **kwargs)


def test_num_layers_counts_weight_matrices():
    """Does num_layers count the W keys, and refuse a dict without W1?"""
    assert num_layers(init_mlp([2, 3, 4, 5], np.random.default_rng(0))) == 3
    with pytest.raises(ValueError, match="W1"):
        num_layers({"b1": np.zeros(2)})


def test_mlp_forward_cache_layout():
    """Does mlp_forward return raw scores and one (dense_cache, activation_cache) per layer?"""
    rng = np.random.default_rng(1)
    params = init_mlp([3, 5, 4, 2], rng)
    X = rng.standard_normal((6, 3))
    scores, caches = mlp_forward(X, params)
    assert scores.shape == (6, 2)
    assert len(caches) == 3
    assert caches[0][0][0] is X
    assert all(activation_cache is not None for _, activation_cache in caches[:-1])
    assert caches[-1][1] is None
    hidden = np.maximum(np.maximum(X @ params["W1"], 0) @ params["W2"], 0)
    np.testing.assert_allclose(scores, hidden @ params["W3"])


def test_mlp_rejects_unknown_activation():
    """Do mlp_forward and mlp_backward name the allowed activations for a typo?"""
    params = init_mlp([2, 3, 2], np.random.default_rng(0))
    with pytest.raises(ValueError, match="relu"):
        mlp_forward(np.zeros((1, 2)), params, activation="ReLu")
    with pytest.raises(ValueError, match="relu"):
        mlp_backward(np.zeros((1, 2)), [], activation="ReLu")


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
@GRADCHECK
@given(sizes=layer_sizes, N=batch_sizes, seed=seeds)
def test_mlp_backward_matches_central_differences(activation, sizes, N, seed):
    """Does mlp_backward agree with central differences for every parameter and activation?"""
    rng = np.random.default_rng(seed)
    params = init_mlp(sizes, rng, init="xavier")
    params = {
        name: value + 0.1 * rng.standard_normal(value.shape) for name, value in params.items()
    }
    X, y = rng.standard_normal((N, sizes[0])), rng.integers(0, sizes[-1], size=N)
    scores, caches = mlp_forward(X, params, activation)
    _, dscores = softmax_cross_entropy(scores, y)
    grads = mlp_backward(dscores, caches, activation)
    assert sorted(grads) == sorted(params)

    def loss(point):
        return cross_entropy_loss(mlp_forward(X, point, activation)[0], y)

    report = gradient_report(loss, params, grads, threshold=THRESHOLD)
    assert report.passed, str(report)


def test_mlp_does_not_mutate_inputs():
    """Do mlp_forward and mlp_backward leave X, params and dscores untouched?"""
    rng = np.random.default_rng(2)
    params = init_mlp([3, 4, 2], rng)
    X, dscores = rng.standard_normal((5, 3)), rng.standard_normal((5, 2))
    copies = {name: value.copy() for name, value in params.items()}
    X_before, dscores_before = X.copy(), dscores.copy()
    _, caches = mlp_forward(X, params)
    mlp_backward(dscores, caches)
    np.testing.assert_array_equal(X, X_before)
    np.testing.assert_array_equal(dscores, dscores_before)
    for name, value in params.items():
        np.testing.assert_array_equal(value, copies[name])
