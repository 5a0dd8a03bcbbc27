"""Checks of lesson 06: momentum and adam."""

from __future__ import annotations

import copy

import numpy as np
import pytest

import backprop_lib as bl

from .util import assert_named, cases_pass, failure, passes


def _momentum(flaw=None):
    def momentum(w, dw, config=None):
        config = dict(config or {})
        lr = 1e-2 if flaw == "ignore" else config.setdefault("learning_rate", 1e-2)
        mu = 0.9 if flaw == "ignore" else config.setdefault("momentum", 0.9)
        v = config.get("velocity", np.zeros_like(w))
        if flaw == "no state":
            v = np.zeros_like(w)
        if flaw == "late":
            next_w = w + v
            config["velocity"] = mu * v - lr * dw
            return next_w, config
        v = mu * v - lr * dw
        config["velocity"] = v
        return (w - v if flaw == "direction" else w + v), config

    return momentum


def _momentum_in_place(w, dw, config=None):
    next_w, config = bl.momentum(w, dw, config)
    w[...] = next_w
    return w, config


def _adam(flaw=None):
    def adam(w, dw, config=None):
        if config is None:
            config = {}
        defaults = dict(learning_rate=1e-3, beta1=0.9, beta2=0.999, epsilon=1e-8)
        for key, value in defaults.items():
            config.setdefault(key, value)
        source = defaults if flaw == "ignore" else config
        lr, b1, b2, eps = (source[key] for key in ("learning_rate", "beta1", "beta2", "epsilon"))
        keep = flaw != "no state"
        m = config.get("m", 0) if keep else 0
        v = config.get("v", 0) if keep else 0
        t = config.get("t", 0) if keep and flaw != "no step count" else 0
        if flaw != "t at zero":
            t += 1
        m = b1 * m + (1 - b1) * dw
        v = b2 * v + (1 - b2) * dw**2
        if flaw == "no correction":
            m_hat, v_hat = m, v
        else:
            m_hat, v_hat = m / (1 - b1**t), v / (1 - b2**t)
        if flaw == "t at zero":
            t += 1
        config.update(m=m, v=v, t=t)
        denominator = v_hat + eps if flaw == "no sqrt" else np.sqrt(v_hat) + eps
        step = lr * m_hat / denominator
        return (w + step if flaw == "direction" else w - step), config

    return adam


def _adam_in_place(w, dw, config=None):
    next_w, config = bl.adam(w, dw, config)
    w -= w - next_w
    return w, config


WRONG_IMPLEMENTATIONS = {
    ("momentum", "step in the wrong direction"): _momentum("direction"),
    ("momentum", "hyperparameters in config ignored"): _momentum("ignore"),
    ("momentum", "velocity used before it is updated"): _momentum("late"),
    ("momentum", "state not kept in config"): _momentum("no state"),
    ("momentum", "w updated in place"): _momentum_in_place,
    ("adam", "step in the wrong direction"): _adam("direction"),
    ("adam", "Adam without bias correction"): _adam("no correction"),
    ("adam", "bias correction with t = 0"): _adam("t at zero"),
    ("adam", "square root of v missing"): _adam("no sqrt"),
    ("adam", "hyperparameters in config ignored"): _adam("ignore"),
    ("adam", "state not kept in config"): _adam("no state"),
    ("adam", "step count not kept in config"): _adam("no step count"),
    ("adam", "w updated in place"): _adam_in_place,
}


@pytest.mark.parametrize("key", sorted(WRONG_IMPLEMENTATIONS), ids=" / ".join)
def test_mistake_is_named(key):
    """Is each known mistake of lesson 06 caught, and named by its title?"""
    assert_named(key[0], WRONG_IMPLEMENTATIONS[key], key[1])


# -- correct alternatives ------------------------------------------------------------------------


def _momentum_other_convention(w, dw, config=None):
    """v = mu v + dw; w - lr v: the same w as v = mu v - lr dw; w + v."""
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    v = config["momentum"] * config.get("v", 0.0) + dw
    config["v"] = v
    return w - config["learning_rate"] * v, config


def _momentum_deepcopy(w, dw, config=None):
    config = copy.deepcopy(config) if config is not None else {}
    return bl.momentum(w.astype(np.float32), dw.astype(np.float32), config)


def _adam_eps_inside(w, dw, config=None):
    config = {} if config is None else dict(config)
    get = config.get
    lr, b1, b2 = get("learning_rate", 1e-3), get("beta1", 0.9), get("beta2", 0.999)
    eps = get("epsilon", 1e-8)
    t = get("t", 0) + 1
    m = b1 * get("m", np.zeros_like(w)) + (1 - b1) * dw
    v = b2 * get("v", np.zeros_like(w)) + (1 - b2) * dw * dw
    config.update(m=m, v=v, t=t)
    m_hat = m / (1 - b1**t)
    v_hat = v / (1 - b2**t)
    return w - lr * m_hat / np.sqrt(v_hat + eps), config


ALTERNATIVES = [
    ("momentum", _momentum_other_convention),
    ("momentum", _momentum_deepcopy),
    ("momentum", _momentum()),
    ("adam", _adam()),
    ("adam", _adam_eps_inside),
]


@pytest.mark.parametrize("name, fn", ALTERNATIVES)
def test_correct_alternatives_pass(name, fn):
    """Does a correct rule written another way (the other velocity convention, a config
    updated in place or deep-copied, float32, eps inside the root) pass?"""
    passes(name, fn)


OTHER_CASES = {
    "momentum": [
        dict(shape=(2, 5), seed=71, steps=6, config={"learning_rate": 0.03, "momentum": 0.5}),
        dict(shape=(4, 1), seed=72, steps=2, config=None),
    ],
    "adam": [
        dict(shape=(7,), seed=73, steps=5, config={"learning_rate": 0.2, "beta1": 0.5}),
        dict(shape=(3, 2), seed=74, steps=4, config=None),
    ],
}


@pytest.mark.parametrize("name", sorted(OTHER_CASES))
def test_other_seeds_and_shapes(name):
    """Do the checks work on the hidden tests' kind of cases (other seeds, shapes, configs)?"""
    cases_pass(name, getattr(bl, name), OTHER_CASES[name])


def test_state_shared_between_parameters_is_caught():
    """Is a rule that keeps its velocity outside config (shared by all parameters) caught?"""
    state = {}

    def momentum(w, dw, config=None):
        config = dict(config or {})
        lr, mu = config.get("learning_rate", 1e-2), config.get("momentum", 0.9)
        state["v"] = mu * state.get("v", 0.0) - lr * dw
        return w + state["v"], config

    message = failure("momentum", momentum)
    assert "each parameter's state must live in its own config" in message


def test_rule_returning_no_config_later_is_explained():
    """Is a rule whose later steps return something unusable told which step did?"""

    def momentum(w, dw, config=None):
        if config and "velocity" in config:
            return w
        return bl.momentum(w, dw, config)

    assert "at step 2 returned ndarray, not (next_w, config)" in failure("momentum", momentum)
