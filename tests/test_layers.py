"""Tests for backprop_lib.layers: forward values, cache layout, gradients, side effects."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backprop_lib.gradcheck import numerical_gradient_array, rel_error
from backprop_lib.layers import (
    ACTIVATIONS,
    dense_backward,
    dense_forward,
    relu_backward,
    relu_forward,
    sigmoid,
    sigmoid_backward,
    sigmoid_forward,
    tanh_backward,
    tanh_forward,
)

GRADCHECK = settings(max_examples=25, deadline=None, derandomize=True, database=None)
THRESHOLD = 1e-7

distinct_dims = st.lists(st.integers(2, 7), min_size=3, max_size=3, unique=True)
seeds = st.integers(0, 2**32 - 1)


def away_from_zero(rng, shape, gap=0.1):
    """Normal samples pushed at least ``gap`` away from the ReLU kink."""
    Z = rng.standard_normal(shape)
    return Z + gap * np.sign(Z)


def test_dense_forward_values():
    """Does dense_forward compute X @ W + b, bias added along the batch?"""
    X = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    W = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    b = np.array([10.0, -10.0])
    Z, _ = dense_forward(X, W, b)
    np.testing.assert_allclose(Z, [[14.0, -5.0], [20.0, 1.0]])


def test_dense_forward_cache_layout():
    """Does dense_forward cache exactly (X, W, b), as lesson 03 relies on?"""
    rng = np.random.default_rng(0)
    X, W, b = rng.standard_normal((4, 3)), rng.standard_normal((3, 5)), rng.standard_normal(5)
    _, cache = dense_forward(X, W, b)
    assert len(cache) == 3
    assert all(cached is passed for cached, passed in zip(cache, (X, W, b)))


@GRADCHECK
@given(dims=distinct_dims, seed=seeds)
def test_dense_backward_matches_central_differences(dims, seed):
    """Does dense_backward agree with central differences for X, W and b?"""
    N, D, M = dims
    rng = np.random.default_rng(seed)
    X, W, b = rng.standard_normal((N, D)), rng.standard_normal((D, M)), rng.standard_normal(M)
    dZ = rng.standard_normal((N, M))
    analytic = dense_backward(dZ, dense_forward(X, W, b)[1])
    numeric = [
        numerical_gradient_array(lambda v: dense_forward(v, W, b)[0], X, dZ),
        numerical_gradient_array(lambda v: dense_forward(X, v, b)[0], W, dZ),
        numerical_gradient_array(lambda v: dense_forward(X, W, v)[0], b, dZ),
    ]
    for name, exact, approximate in zip(["dX", "dW", "db"], analytic, numeric):
        assert rel_error(exact, approximate) < THRESHOLD, name


@pytest.mark.parametrize(
    ("forward", "backward"),
    [
        (relu_forward, relu_backward),
        (sigmoid_forward, sigmoid_backward),
        (tanh_forward, tanh_backward),
    ],
    ids=["relu", "sigmoid", "tanh"],
)
@GRADCHECK
@given(dims=distinct_dims, seed=seeds)
def test_activation_backward_matches_central_differences(forward, backward, dims, seed):
    """Does each activation's backward agree with central differences?"""
    N, D, _ = dims
    rng = np.random.default_rng(seed)
    Z = away_from_zero(rng, (N, D))
    dA = rng.standard_normal((N, D))
    dZ = backward(dA, forward(Z)[1])
    assert dZ.shape == Z.shape
    assert rel_error(dZ, numerical_gradient_array(lambda v: forward(v)[0], Z, dA)) < THRESHOLD


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_caches_its_input(name):
    """Does every activation cache its input Z itself?"""
    Z = np.array([[-1.0, 0.5, 2.0]])
    _, cache = ACTIVATIONS[name][0](Z)
    assert cache is Z


def test_relu_backward_masks_by_forward_input():
    """Does relu_backward pass the gradient where Z > 0, whatever the sign of dA?"""
    Z = np.array([[-1.0, 2.0], [3.0, -4.0]])
    dA = np.array([[5.0, -6.0], [-7.0, 8.0]])
    np.testing.assert_array_equal(relu_backward(dA, Z), [[0.0, -6.0], [-7.0, 0.0]])


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activations_do_not_mutate_inputs(name):
    """Do forward and backward of every activation leave their arguments untouched?"""
    forward, backward = ACTIVATIONS[name]
    rng = np.random.default_rng(1)
    Z, dA = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    Z_before, dA_before = Z.copy(), dA.copy()
    _, cache = forward(Z)
    backward(dA, cache)
    np.testing.assert_array_equal(Z, Z_before)
    np.testing.assert_array_equal(dA, dA_before)


def test_dense_does_not_mutate_inputs():
    """Do dense_forward and dense_backward leave X, W, b and dZ untouched?"""
    rng = np.random.default_rng(2)
    arrays = [rng.standard_normal((3, 4)), rng.standard_normal((4, 2)), rng.standard_normal(2)]
    dZ = rng.standard_normal((3, 2))
    copies = [array.copy() for array in [*arrays, dZ]]
    dense_backward(dZ, dense_forward(*arrays)[1])
    for array, copy in zip([*arrays, dZ], copies):
        np.testing.assert_array_equal(array, copy)


def test_sigmoid_is_stable_for_huge_inputs():
    """Does sigmoid saturate to exactly 0 and 1 at Z = -1000 and +1000 without warnings?"""
    A, _ = sigmoid_forward(np.array([-1000.0, 0.0, 1000.0]))
    np.testing.assert_array_equal(A, [0.0, 0.5, 1.0])
    dZ = sigmoid_backward(np.ones(3), np.array([-1000.0, 0.0, 1000.0]))
    np.testing.assert_array_equal(dZ, [0.0, 0.25, 0.0])


def test_sigmoid_matches_the_textbook_formula():
    """Does the overflow-free sigmoid equal 1 / (1 + exp(-Z)) where that formula is safe?"""
    Z = np.linspace(-20, 20, 41)
    np.testing.assert_allclose(sigmoid(Z), 1.0 / (1.0 + np.exp(-Z)), rtol=1e-12)
