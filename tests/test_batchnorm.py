"""Tests for backprop_lib.batchnorm: normalisation and the gradient through batch statistics."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from backprop_lib.batchnorm import batchnorm_backward, batchnorm_forward
from backprop_lib.gradcheck import numerical_gradient_array, rel_error

GRADCHECK = settings(max_examples=25, deadline=None, derandomize=True, database=None)
THRESHOLD = 1e-7

# With two samples the normalised output is ±1 whatever X is, so dX vanishes; use three or more.
distinct_pairs = st.lists(st.integers(3, 8), min_size=2, max_size=2, unique=True)
seeds = st.integers(0, 2**32 - 1)


def test_batchnorm_forward_standardises_each_feature():
    """Does every output column have mean beta and standard deviation gamma?"""
    rng = np.random.default_rng(0)
    X = 5 + 3 * rng.standard_normal((50, 4))
    gamma, beta = np.array([1.0, 2.0, 0.5, 3.0]), np.array([0.0, -1.0, 2.0, 0.5])
    out, _ = batchnorm_forward(X, gamma, beta)
    np.testing.assert_allclose(out.mean(axis=0), beta, atol=1e-12)
    np.testing.assert_allclose(out.std(axis=0), gamma, rtol=1e-5)


@GRADCHECK
@given(shape=distinct_pairs, seed=seeds)
def test_batchnorm_backward_matches_central_differences(shape, seed):
    """Does batchnorm_backward agree with central differences for X, gamma and beta?"""
    N, D = shape
    rng = np.random.default_rng(seed)
    X = 2 + 3 * rng.standard_normal((N, D))
    gamma, beta = rng.standard_normal(D), rng.standard_normal(D)
    dout = rng.standard_normal((N, D))
    analytic = batchnorm_backward(dout, batchnorm_forward(X, gamma, beta)[1])
    numeric = [
        numerical_gradient_array(lambda v: batchnorm_forward(v, gamma, beta)[0], X, dout),
        numerical_gradient_array(lambda v: batchnorm_forward(X, v, beta)[0], gamma, dout),
        numerical_gradient_array(lambda v: batchnorm_forward(X, gamma, v)[0], beta, dout),
    ]
    for name, exact, approximate in zip(["dX", "dgamma", "dbeta"], analytic, numeric):
        assert exact.shape == approximate.shape, name
        assert rel_error(exact, approximate) < THRESHOLD, name


def test_batchnorm_gradient_sums_to_zero_over_the_batch():
    """Does dX sum to zero per feature, as it must when the batch mean is differentiated?"""
    rng = np.random.default_rng(1)
    X, dout = rng.standard_normal((6, 3)), rng.standard_normal((6, 3))
    dX, _, _ = batchnorm_backward(dout, batchnorm_forward(X, np.ones(3), np.zeros(3))[1])
    np.testing.assert_allclose(dX.sum(axis=0), np.zeros(3), atol=1e-12)


def test_batchnorm_does_not_mutate_inputs():
    """Do batchnorm_forward and batchnorm_backward leave their arguments untouched?"""
    rng = np.random.default_rng(2)
    arrays = [rng.standard_normal((5, 3)), rng.standard_normal(3), rng.standard_normal(3)]
    dout = rng.standard_normal((5, 3))
    copies = [array.copy() for array in [*arrays, dout]]
    batchnorm_backward(dout, batchnorm_forward(*arrays)[1])
    for array, copy in zip([*arrays, dout], copies):
        np.testing.assert_array_equal(array, copy)
