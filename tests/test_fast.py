"""Tests for backprop_lib.fast: the fast SGD step agrees with the readable reference path."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backprop_lib.fast import FastMLP
from backprop_lib.layers import ACTIVATIONS
from backprop_lib.losses import softmax_cross_entropy
from backprop_lib.mlp import init_mlp, mlp_backward, mlp_forward
from backprop_lib.optim import sgd

EXAMPLES = settings(max_examples=15, deadline=None, derandomize=True, database=None)

layer_sizes = st.lists(st.integers(2, 9), min_size=2, max_size=4, unique=True)
seeds = st.integers(0, 2**32 - 1)


def reference_step(params, X, y, learning_rate, activation):
    """mlp_forward, softmax_cross_entropy, mlp_backward and sgd: the readable path."""
    scores, caches = mlp_forward(X, params, activation)
    loss, dscores = softmax_cross_entropy(scores, y)
    grads = mlp_backward(dscores, caches, activation)
    config = {"learning_rate": learning_rate}
    return loss, {name: sgd(params[name], grads[name], config)[0] for name in params}


def problem(sizes, N, seed):
    rng = np.random.default_rng(seed)
    params = init_mlp(sizes, rng, init="xavier")
    params = {
        name: value + 0.1 * rng.standard_normal(value.shape) for name, value in params.items()
    }
    X, y = rng.standard_normal((N, sizes[0])), rng.integers(0, sizes[-1], size=N)
    return params, X, y


def assert_params_close(actual, expected, rtol, atol):
    assert sorted(actual) == sorted(expected)
    for name in expected:
        np.testing.assert_allclose(actual[name], expected[name], rtol=rtol, atol=atol, err_msg=name)


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
@EXAMPLES
@given(sizes=layer_sizes, N=st.integers(1, 12), seed=seeds)
def test_fast_step_matches_reference_in_float64(activation, sizes, N, seed):
    """In float64, does one fast step give the reference loss and updated params to 1e-12?"""
    params, X, y = problem(sizes, N, seed)
    expected_loss, expected = reference_step(params, X, y, 0.3, activation)
    model = FastMLP(params, activation, dtype=np.float64)
    assert model.sgd_step(X, y, 0.3) == pytest.approx(expected_loss, rel=1e-12)
    assert_params_close(model.copy_params(), expected, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
def test_fast_steps_match_reference_in_float32(activation):
    """In float32, do ten fast steps track ten reference steps in float64 within float tolerance?"""
    params, X, y = problem([6, 9, 7, 3], 16, seed=1)
    model = FastMLP(params, activation)
    for _ in range(10):
        expected_loss, params = reference_step(params, X, y, 0.1, activation)
        assert model.sgd_step(X, y, 0.1) == pytest.approx(expected_loss, rel=1e-5)
    fast_params = model.copy_params()
    assert all(value.dtype == np.float32 for value in fast_params.values())
    assert_params_close(fast_params, params, rtol=1e-4, atol=1e-5)


def test_fast_step_handles_changing_batch_sizes():
    """Do batches of 4, 4, 2, then 4 again still match the reference step by step?"""
    params, X, y = problem([4, 5, 3], 10, seed=2)
    model = FastMLP(params, dtype=np.float64)
    for batch in (slice(0, 4), slice(4, 8), slice(8, 10), slice(0, 4)):
        expected_loss, params = reference_step(params, X[batch], y[batch], 0.2, "relu")
        assert model.sgd_step(X[batch], y[batch], 0.2) == pytest.approx(expected_loss)
    assert_params_close(model.copy_params(), params, rtol=1e-12, atol=1e-14)


def test_fast_step_leaves_its_inputs_alone():
    """Are the params dict, X and y untouched, and copy_params a fresh copy each time?"""
    params, X, y = problem([3, 4, 2], 5, seed=3)
    before = {name: value.copy() for name, value in params.items()}
    X_before, y_before = X.copy(), y.copy()
    model = FastMLP(params, dtype=np.float64)
    model.sgd_step(X, y, 0.5)
    for name, value in params.items():
        np.testing.assert_array_equal(value, before[name])
    np.testing.assert_array_equal(X, X_before)
    np.testing.assert_array_equal(y, y_before)
    copy = model.copy_params()
    copy["W1"][:] = 0
    assert np.any(model.copy_params()["W1"] != 0)


def test_fast_step_is_stable_for_huge_scores():
    """Do scores in the thousands give a finite loss and finite params, without warnings?"""
    params, X, y = problem([3, 4, 2], 6, seed=4)
    params = {name: 1e3 * value for name, value in params.items()}
    model = FastMLP(params)
    loss = model.sgd_step(X, y, 0.1)
    assert np.isfinite(loss)
    assert all(np.all(np.isfinite(value)) for value in model.copy_params().values())


def test_fast_step_rejects_bad_arguments():
    """Does FastMLP refuse an unknown activation, an integer dtype and inputs of the wrong width?"""
    params, X, y = problem([3, 4, 2], 5, seed=5)
    with pytest.raises(ValueError, match="activation"):
        FastMLP(params, activation="gelu")
    with pytest.raises(ValueError, match="dtype"):
        FastMLP(params, dtype=np.int32)
    with pytest.raises(ValueError, match=r"\(N, 3\)"):
        FastMLP(params).sgd_step(X[:, :2], y, 0.1)
