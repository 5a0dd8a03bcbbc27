"""Tests for backprop_lib.initializers: shapes, spreads, seeding."""

import numpy as np
import pytest

from backprop_lib.initializers import INITIALIZERS, he_init, naive_init, xavier_init


@pytest.mark.parametrize("name", sorted(INITIALIZERS))
def test_initializer_shape_is_fan_in_by_fan_out(name):
    """Does every initialiser return weights of shape (fan_in, fan_out)?"""
    W = INITIALIZERS[name](3, 5, np.random.default_rng(0))
    assert W.shape == (3, 5)
    assert W.dtype == np.float64


@pytest.mark.parametrize(
    ("init", "expected_std"),
    [
        (he_init, np.sqrt(2.0 / 400)),
        (xavier_init, np.sqrt(2.0 / (400 + 300))),
        (naive_init, 0.01),
    ],
    ids=["he", "xavier", "naive"],
)
def test_initializer_standard_deviation(init, expected_std):
    """Does each initialiser draw zero-mean weights with its documented standard deviation?"""
    W = init(400, 300, np.random.default_rng(1))
    assert W.std() == pytest.approx(expected_std, rel=0.02)
    assert abs(W.mean()) < 0.01 * expected_std * 10


def test_naive_init_scale_is_configurable():
    """Does naive_init's scale set the standard deviation?"""
    W = naive_init(200, 300, np.random.default_rng(2), scale=0.5)
    assert W.std() == pytest.approx(0.5, rel=0.02)


@pytest.mark.parametrize("name", sorted(INITIALIZERS))
def test_initializers_are_deterministic_under_a_seed(name):
    """Do equal seeds give equal weights and different seeds different ones?"""
    init = INITIALIZERS[name]
    first = init(4, 6, np.random.default_rng(7))
    again = init(4, 6, np.random.default_rng(7))
    other = init(4, 6, np.random.default_rng(8))
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, other)


def test_he_keeps_relu_activations_from_shrinking():
    """Does He init keep activations of a deep ReLU stack at scale, where a tiny scale fades?"""
    rng = np.random.default_rng(3)
    X = rng.standard_normal((500, 100))
    he_out, naive_out = X, X
    for _ in range(10):
        he_out = np.maximum(he_out @ he_init(100, 100, rng), 0)
        naive_out = np.maximum(naive_out @ naive_init(100, 100, rng), 0)
    assert 0.3 < he_out.std() < 3.0
    assert naive_out.std() < 1e-6
