"""Checks of lesson 01: dense_forward, relu_forward, sigmoid_forward, mlp_forward."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import expit

import backprop_lib as bl

from .util import assert_named, cases_pass, failure, named_in_cases, passes


def _mlp(X, params, activation="relu", hidden=True, last=False):
    forward = {"relu": bl.relu_forward, "sigmoid": bl.sigmoid_forward}[activation]
    L = len(params) // 2
    A, caches = X, []
    for layer in range(1, L + 1):
        Z = A @ params[f"W{layer}"] + params[f"b{layer}"]
        dense_cache = (A, params[f"W{layer}"], params[f"b{layer}"])
        if (layer < L and hidden) or (layer == L and last):
            A, activation_cache = forward(Z)
        else:
            A, activation_cache = Z, None
        caches.append((dense_cache, activation_cache if layer < L else None))
    return A, caches


WRONG_IMPLEMENTATIONS = {
    ("dense_forward", "W used transposed"): lambda X, W, b: (X @ W.T + b, (X, W, b)),
    ("dense_forward", "bias forgotten"): lambda X, W, b: (X @ W, (X, W, b)),
    ("dense_forward", "bias added on the wrong axis"): lambda X, W, b: (
        X @ W + b[:, None],
        (X, W, b),
    ),
    ("relu_forward", "np.max instead of np.maximum"): lambda Z: (np.max(Z, 0), Z),
    ("relu_forward", "mask returned instead of the activation"): lambda Z: (
        (Z > 0).astype(float),
        Z,
    ),
    ("sigmoid_forward", "exp overflow for large |Z|"): lambda Z: (1 / (1 + np.exp(-Z)), Z),
    ("sigmoid_forward", "sign flipped inside exp"): lambda Z: (expit(-Z), Z),
    (
        "mlp_forward",
        "activation applied after the last layer",
    ): lambda X, params, activation="relu": _mlp(X, params, activation, last=True),
    ("mlp_forward", "hidden activation skipped"): lambda X, params, activation="relu": _mlp(
        X, params, activation, hidden=False
    ),
}


@pytest.mark.parametrize("key", sorted(WRONG_IMPLEMENTATIONS), ids=" / ".join)
def test_mistake_is_named(key):
    """Is each known mistake of lesson 01 caught, and named by its title?"""
    assert_named(key[0], WRONG_IMPLEMENTATIONS[key], key[1])


def _dense_loops(X, W, b):
    N, D = X.shape
    Z = np.zeros((N, W.shape[1]))
    for n in range(N):
        for m in range(W.shape[1]):
            Z[n, m] = sum(X[n, d] * W[d, m] for d in range(D)) + b[m]
    return Z, (X, W, b)


def _stable_sigmoid(Z):
    positive = Z >= 0
    out = np.empty_like(Z)
    out[positive] = 1 / (1 + np.exp(-Z[positive]))
    E = np.exp(Z[~positive])
    out[~positive] = E / (1 + E)
    return out, Z


ALTERNATIVES = [
    ("dense_forward", lambda X, W, b: (np.einsum("nd,dm->nm", X, W) + b, (X, W, b))),
    ("dense_forward", lambda X, W, b: (np.dot(X, W) + b, (X, W, b))),
    ("dense_forward", _dense_loops),
    (
        "dense_forward",
        lambda X, W, b: (
            (X.astype(np.float32) @ W.astype(np.float32) + b).astype(np.float32),
            (X, W, b),
        ),
    ),
    ("relu_forward", lambda Z: (np.where(Z > 0, Z, 0.0), Z)),
    ("relu_forward", lambda Z: (Z * (Z > 0), Z)),
    ("relu_forward", lambda Z: (np.clip(Z, 0, None), Z)),
    ("sigmoid_forward", lambda Z: (expit(Z), Z)),
    ("sigmoid_forward", _stable_sigmoid),
    ("sigmoid_forward", lambda Z: (0.5 * (1 + np.tanh(Z / 2)), Z)),
    ("mlp_forward", lambda X, params, activation="relu": _mlp(X, params, activation)),
]


@pytest.mark.parametrize("name, fn", ALTERNATIVES)
def test_correct_alternatives_pass(name, fn):
    """Does a correct solution written another way (einsum, loops, np.where, float32) pass?"""
    passes(name, fn)


OTHER_CASES = {
    "dense_forward": [dict(N=7, D=3, M=5, seed=11), dict(N=2, D=9, M=4, seed=12)],
    "relu_forward": [dict(shape=(6, 2), seed=13)],
    "sigmoid_forward": [dict(shape=(3, 8), seed=14, scale=1000.0)],
    "mlp_forward": [dict(sizes=(5, 3, 7, 2), N=4, activation="sigmoid", seed=15)],
}


@pytest.mark.parametrize("name", sorted(OTHER_CASES))
def test_other_seeds_and_shapes(name):
    """Do the checks work on the hidden tests' kind of cases (other seeds, non-square shapes)?"""
    cases_pass(name, getattr(bl, name), OTHER_CASES[name])


def test_transposed_w_is_named_on_other_shapes():
    """Is a transposed W named on other non-square shapes too, through the probes?"""
    named_in_cases(
        "dense_forward",
        WRONG_IMPLEMENTATIONS[("dense_forward", "W used transposed")],
        OTHER_CASES["dense_forward"],
        "W used transposed",
    )


def test_cache_must_hold_the_inputs():
    """Is a forward whose cache is not (X, W, b) told what the backward will need?"""
    message = failure("dense_forward", lambda X, W, b: (X @ W + b, (X @ W + b,)))
    assert "cache should be (X, W, b)" in message
