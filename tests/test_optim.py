"""Tests for backprop_lib.optim: hand-computed first steps, state in config, no side effects."""

import numpy as np
import pytest

from backprop_lib.optim import OPTIMIZERS, adam, momentum, sgd

W0 = np.array([1.0, -2.0])
DW1 = np.array([0.5, -1.0])
DW2 = np.array([0.1, 0.2])


def two_steps(rule, config):
    w1, config = rule(W0, DW1, config)
    w2, config = rule(w1, DW2, config)
    return w1, w2, config


def test_sgd_first_two_steps():
    """Does sgd step against the gradient: 1 - 0.1 * 0.5 = 0.95, then 0.95 - 0.1 * 0.1 = 0.94?"""
    w1, w2, _ = two_steps(sgd, {"learning_rate": 0.1})
    np.testing.assert_allclose(w1, [0.95, -1.9])
    np.testing.assert_allclose(w2, [0.94, -1.92])


def test_momentum_first_two_steps():
    """Does momentum give v1 = -lr dw1 and v2 = mu v1 - lr dw2 (lr 0.1, mu 0.9)?"""
    w1, w2, config = two_steps(momentum, {"learning_rate": 0.1, "momentum": 0.9})
    np.testing.assert_allclose(w1, [0.95, -1.9])
    np.testing.assert_allclose(config["velocity"], [-0.055, 0.07])
    np.testing.assert_allclose(w2, [0.895, -1.83])


def test_adam_first_two_steps():
    """Does bias-corrected Adam move by about lr at step 1, then match the hand-computed step 2?"""
    w1, w2, config = two_steps(adam, {"learning_rate": 0.1})
    np.testing.assert_allclose(w1, [0.9, -1.9], rtol=1e-8)
    np.testing.assert_allclose(config["m"], [0.055, -0.07])
    np.testing.assert_allclose(config["v"], [0.00025975, 0.001039])
    assert config["t"] == 2
    np.testing.assert_allclose(w2, [0.81969590638465, -1.84889739399049], rtol=1e-12)


@pytest.mark.parametrize(
    ("rule", "defaults"),
    [
        (sgd, {"learning_rate": 1e-2}),
        (momentum, {"learning_rate": 1e-2, "momentum": 0.9}),
        (adam, {"learning_rate": 1e-3, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8}),
    ],
    ids=["sgd", "momentum", "adam"],
)
def test_rules_fill_in_defaults(rule, defaults):
    """Does every rule accept config=None and report its default hyperparameters?"""
    _, config = rule(W0, DW1)
    for key, value in defaults.items():
        assert config[key] == value


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_rules_do_not_mutate_their_inputs(name):
    """Do the rules leave w, dw and the caller's config dict untouched?"""
    rule = OPTIMIZERS[name]
    w, dw = W0.copy(), DW1.copy()
    config = {"learning_rate": 0.1}
    _, new_config = rule(w, dw, config)
    rule(w, dw, new_config)
    np.testing.assert_array_equal(w, W0)
    np.testing.assert_array_equal(dw, DW1)
    assert config == {"learning_rate": 0.1}


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_rules_decrease_a_quadratic(name):
    """Does every rule, fed its own config back, walk down f(w) = |w|^2 / 2?"""
    rule = OPTIMIZERS[name]
    w, config = W0.copy(), {"learning_rate": 0.05}
    for _ in range(50):
        w, config = rule(w, w, config)
    assert np.linalg.norm(w) < 0.5 * np.linalg.norm(W0)
