"""Checks of lesson 03: numerical_gradient and the backward passes."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import expit
from scipy.special import softmax as scipy_softmax

import backprop_lib as bl

from .util import assert_named, cases_pass, failure, named_in_cases, passes

# -- numerical_gradient ------------------------------------------------------------------------


def _one_sided(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    fx = f(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        grad[i] = (f(x) - fx) / h
        x[i] = old
    return grad


def _central(denominator):
    def numerical_gradient(f, x, h=1e-5):
        grad = np.zeros(x.shape)
        for i in np.ndindex(x.shape):
            old = x[i]
            x[i] = old + h
            plus = f(x)
            x[i] = old - h
            minus = f(x)
            x[i] = old
            grad[i] = denominator(plus - minus, h)
        return grad

    return numerical_gradient


def _not_restored(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        plus = f(x)
        x[i] = old - h
        grad[i] = (plus - f(x)) / (2 * h)
    return grad


def _h_ignored(f, x, h=1e-5):
    return bl.numerical_gradient(f, x, 1e-5)


def _whole_x(f, x, h=1e-5):
    return np.full(x.shape, (f(x + h) - f(x - h)) / (2 * h))


# -- dense, relu, sigmoid ----------------------------------------------------------------------


def _dense(dX, dW, db):
    def dense_backward(dZ, cache):
        X, W, b = cache
        return dX(dZ, X, W), dW(dZ, X, W), db(dZ)

    return dense_backward


def _right_dX(dZ, X, W):
    return dZ @ W.T


def _right_dW(dZ, X, W):
    return X.T @ dZ


def _right_db(dZ):
    return dZ.sum(axis=0)


def _relu_in_place(dA, cache):
    dZ = dA
    dZ[cache <= 0] = 0
    return dZ


def _relu_mutates_cache(dA, cache):
    Z = cache
    Z[Z < 0] = 0
    return dA * (Z > 0)


def _naive_sigmoid(Z):
    return 1 / (1 + np.exp(-Z))


# -- losses ------------------------------------------------------------------------------------


def _onehot(y, C):
    return np.eye(C)[y]


def _ce_shifted_in_place(logits, y):
    logits -= logits.max(axis=1, keepdims=True)
    P = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    return (P - _onehot(y, logits.shape[1])) / len(y)


# -- mlp ---------------------------------------------------------------------------------------


def _mlp_backward(backward_of):
    def mlp_backward(dscores, caches, activation="relu"):
        grads, dA = {}, dscores
        for layer in range(len(caches), 0, -1):
            dense_cache, activation_cache = caches[layer - 1]
            dZ = dA if activation_cache is None else backward_of(activation)(dA, activation_cache)
            dA, grads[f"W{layer}"], grads[f"b{layer}"] = bl.dense_backward(dZ, dense_cache)
        return grads

    return mlp_backward


WRONG_IMPLEMENTATIONS = {
    ("numerical_gradient", "one-sided difference"): _one_sided,
    ("numerical_gradient", "wrong denominator (h instead of 2h)"): _central(lambda d, h: d / h),
    ("numerical_gradient", "wrong denominator (/ 2 * h)"): _central(lambda d, h: d / 2 * h),
    ("numerical_gradient", "x not restored"): _not_restored,
    ("numerical_gradient", "the h argument ignored"): _h_ignored,
    ("numerical_gradient", "whole x nudged at once"): _whole_x,
    ("dense_backward", "dW transposed"): _dense(_right_dX, lambda dZ, X, W: dZ.T @ X, _right_db),
    ("dense_backward", "dW divided by N"): _dense(
        _right_dX, lambda dZ, X, W: X.T @ dZ / len(X), _right_db
    ),
    ("dense_backward", "db not summed over the batch"): _dense(_right_dX, _right_dW, lambda dZ: dZ),
    ("dense_backward", "db summed over the wrong axis"): _dense(
        _right_dX, _right_dW, lambda dZ: dZ.sum(axis=1)
    ),
    ("dense_backward", "db averaged instead of summed"): _dense(
        _right_dX, _right_dW, lambda dZ: dZ.mean(axis=0)
    ),
    ("dense_backward", "dX computed with W instead of W.T"): _dense(
        lambda dZ, X, W: dZ @ W, _right_dW, _right_db
    ),
    ("dense_backward", "dX transposed"): _dense(lambda dZ, X, W: W @ dZ.T, _right_dW, _right_db),
    ("relu_backward", "mask taken from dA instead of the forward input"): lambda dA, cache: (
        dA * (dA > 0)
    ),
    ("relu_backward", "ReLU's output used instead of its derivative"): lambda dA, cache: (
        dA * np.maximum(cache, 0)
    ),
    ("relu_backward", "upstream gradient dA not multiplied in"): lambda dA, cache: (
        cache > 0
    ).astype(float),
    ("relu_backward", "input mutated in place"): _relu_in_place,
    ("relu_backward", "forward input Z mutated in place"): _relu_mutates_cache,
    ("sigmoid_backward", "derivative computed from Z instead of sigmoid(Z)"): lambda dA, cache: (
        dA * cache * (1 - cache)
    ),
    ("sigmoid_backward", "upstream gradient dA not multiplied in"): lambda dA, cache: (
        expit(cache) * (1 - expit(cache))
    ),
    ("sigmoid_backward", "sigmoid's output used instead of its derivative"): lambda dA, cache: (
        dA * expit(cache)
    ),
    ("sigmoid_backward", "exp overflow for large |Z|"): lambda dA, cache: (
        dA * _naive_sigmoid(cache) * (1 - _naive_sigmoid(cache))
    ),
    ("mse_backward", "missing factor 2"): lambda y_pred, y_true: (y_pred - y_true) / y_pred.size,
    ("mse_backward", "missing division by the number of entries"): lambda y_pred, y_true: (
        2 * (y_pred - y_true)
    ),
    ("mse_backward", "sign flipped"): lambda y_pred, y_true: 2 * (y_true - y_pred) / y_pred.size,
    ("mse_backward", "divided by the number of samples only"): lambda y_pred, y_true: (
        2 * (y_pred - y_true) / len(y_pred)
    ),
    ("softmax_cross_entropy_backward", "missing 1/N"): lambda logits, y: (
        bl.softmax(logits) - _onehot(y, logits.shape[1])
    ),
    ("softmax_cross_entropy_backward", "one-hot not subtracted"): lambda logits, y: (
        bl.softmax(logits) / len(y)
    ),
    ("softmax_cross_entropy_backward", "sign flipped"): lambda logits, y: (
        (_onehot(y, logits.shape[1]) - bl.softmax(logits)) / len(y)
    ),
    (
        "softmax_cross_entropy_backward",
        "softmax normalised along the wrong axis",
    ): lambda logits, y: (scipy_softmax(logits, axis=0) - _onehot(y, logits.shape[1])) / len(y),
    (
        "softmax_cross_entropy_backward",
        "no max-subtraction (overflow on large scores)",
    ): lambda logits, y: (
        (np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True) - _onehot(y, logits.shape[1]))
        / len(y)
    ),
    ("softmax_cross_entropy_backward", "logits shifted in place"): _ce_shifted_in_place,
    ("mlp_backward", "activation backward skipped"): _mlp_backward(
        lambda activation: lambda dA, cache: dA
    ),
    ("mlp_backward", "activation argument ignored"): _mlp_backward(
        lambda activation: bl.relu_backward
    ),
}


@pytest.mark.parametrize("key", sorted(WRONG_IMPLEMENTATIONS), ids=" / ".join)
def test_mistake_is_named(key):
    """Is each known mistake of lesson 03 caught, and named by its title?"""
    assert_named(key[0], WRONG_IMPLEMENTATIONS[key], key[1])


# -- correct alternatives ------------------------------------------------------------------------


def _nditer_gradient(f, x, h=1e-5):
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"], op_flags=["readwrite"])
    while not it.finished:
        i = it.multi_index
        old = x[i]
        x[i] = old + h
        plus = f(x)
        x[i] = old - h
        minus = f(x)
        x[i] = old
        grad[i] = (plus - minus) / (2 * h)
        it.iternext()
    return grad


def _copying_gradient(f, x, h=1e-5):
    grad = np.zeros(x.size)
    for k in range(x.size):
        step = np.zeros(x.size)
        step[k] = h
        step = step.reshape(x.shape)
        grad[k] = (f(x + step) - f(x - step)) / (2 * h)
    return grad.reshape(x.shape)


def _drifting_gradient(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    flat = x.reshape(-1)
    for k in range(flat.size):
        flat[k] += h
        plus = f(x)
        flat[k] -= 2 * h
        minus = f(x)
        flat[k] += h
        grad.flat[k] = (plus - minus) / (2 * h)
    return grad


def _dense_loops(dZ, cache):
    X, W, b = cache
    N, D = X.shape
    M = W.shape[1]
    dX, dW, db = np.zeros((N, D)), np.zeros((D, M)), np.zeros(M)
    for n in range(N):
        for m in range(M):
            db[m] += dZ[n, m]
            for d in range(D):
                dX[n, d] += dZ[n, m] * W[d, m]
                dW[d, m] += X[n, d] * dZ[n, m]
    return dX, dW, db


def _dense_float32(dZ, cache):
    X, W, _ = (a.astype(np.float32) for a in cache)
    dZ = dZ.astype(np.float32)
    return dZ @ W.T, X.T @ dZ, dZ.sum(axis=0)


def _relu_copy(dA, cache):
    dZ = dA.copy()
    dZ[cache <= 0] = 0
    return dZ


def _sigmoid_own(dA, cache):
    s = np.where(cache >= 0, 1 / (1 + np.exp(-np.abs(cache))), 0.0)
    e = np.exp(-np.abs(cache))
    s = np.where(cache >= 0, s, e / (1 + e))
    return dA * s * (1 - s)


def _ce_onehot(logits, y):
    N, C = logits.shape
    Y = np.zeros((N, C))
    Y[np.arange(N), y] = 1
    shifted = logits - logits.max(axis=1, keepdims=True)
    P = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
    return (P - Y) / N


def _ce_loops(logits, y):
    grad = np.empty_like(logits)
    for i, row in enumerate(logits):
        e = np.exp(row - row.max())
        grad[i] = e / e.sum()
        grad[i, y[i]] -= 1
    return grad / len(y)


def _mlp_own(dscores, caches, activation="relu"):
    backward = {"relu": bl.relu_backward, "sigmoid": bl.sigmoid_backward}[activation]
    grads = {}
    dA = dscores
    for layer, (dense_cache, activation_cache) in reversed(list(enumerate(caches, start=1))):
        if activation_cache is not None:
            dA = backward(dA, activation_cache)
        X, W, _ = dense_cache
        grads[f"W{layer}"] = np.einsum("nd,nm->dm", X, dA)
        grads[f"b{layer}"] = dA.sum(axis=0)
        dA = dA @ W.T
    return grads


ALTERNATIVES = [
    ("numerical_gradient", _nditer_gradient),
    ("numerical_gradient", _copying_gradient),
    ("numerical_gradient", _drifting_gradient),
    ("dense_backward", _dense_loops),
    ("dense_backward", _dense_float32),
    (
        "dense_backward",
        lambda dZ, c: (np.einsum("nm,dm->nd", dZ, c[1]), np.dot(c[0].T, dZ), np.sum(dZ, 0)),
    ),
    ("relu_backward", lambda dA, cache: np.where(cache > 0, dA, 0.0)),
    ("relu_backward", _relu_copy),
    ("relu_backward", lambda dA, cache: dA * (cache > 0).astype(np.float32)),
    ("sigmoid_backward", lambda dA, cache: dA * expit(cache) * (1 - expit(cache))),
    ("sigmoid_backward", _sigmoid_own),
    ("sigmoid_backward", lambda dA, cache: dA * bl.sigmoid_forward(cache)[0] * bl.sigmoid(-cache)),
    ("mse_backward", lambda y_pred, y_true: 2 / np.prod(y_pred.shape) * (y_pred - y_true)),
    (
        "mse_backward",
        lambda y_pred, y_true: ((y_pred - y_true) * 2 / y_pred.size).astype(np.float32),
    ),
    ("softmax_cross_entropy_backward", _ce_onehot),
    ("softmax_cross_entropy_backward", _ce_loops),
    (
        "softmax_cross_entropy_backward",
        lambda logits, y: (scipy_softmax(logits, axis=1) - np.eye(logits.shape[1])[y]) / len(y),
    ),
    ("mlp_backward", _mlp_own),
]


@pytest.mark.parametrize("name, fn", ALTERNATIVES)
def test_correct_alternatives_pass(name, fn):
    """Does a correct solution written another way (loops, einsum, copies, float32) pass?"""
    passes(name, fn)


OTHER_CASES = {
    "numerical_gradient": [dict(shape=(2, 3, 2), seed=31), dict(shape=(7,), seed=32, h=1e-4)],
    "dense_backward": [dict(N=7, D=2, M=5, seed=33), dict(N=3, D=8, M=6, seed=34)],
    "relu_backward": [dict(shape=(9, 2), seed=35)],
    "sigmoid_backward": [
        dict(shape=(2, 7), seed=36, scale=4.0),
        dict(shape=(5, 3), seed=37, scale=1e-3),
    ],
    "mse_backward": [dict(shape=(4, 6), seed=38)],
    "softmax_cross_entropy_backward": [
        dict(N=8, C=3, seed=39, scale=3.0, offset=0.0),
        dict(N=2, C=7, seed=40, scale=100.0, offset=-800.0),
    ],
    "mlp_backward": [
        dict(sizes=(6, 4, 5, 3), N=7, activation="relu", seed=41),
        dict(sizes=(3, 9, 2), N=1, activation="sigmoid", seed=42),
    ],
}


@pytest.mark.parametrize("name", sorted(OTHER_CASES))
def test_other_seeds_and_shapes(name):
    """Do the checks work on the hidden tests' kind of cases (other seeds, non-square shapes)?"""
    cases_pass(name, getattr(bl, name), OTHER_CASES[name])


@pytest.mark.parametrize(
    "title",
    ["dW transposed", "db summed over the wrong axis", "dX computed with W instead of W.T"],
)
def test_dense_mistakes_are_named_on_other_shapes(title):
    """Are the dense_backward mistakes named on other non-square shapes too?"""
    named_in_cases(
        "dense_backward",
        WRONG_IMPLEMENTATIONS[("dense_backward", title)],
        OTHER_CASES["dense_backward"],
        title,
    )


def test_restoring_up_to_rounding_is_accepted_with_a_note(capsys):
    """Is x restored with += h / -= 2h / += h accepted, with a note on restoring exactly?"""
    passes("numerical_gradient", _drifting_gradient)
    assert "up to rounding" in capsys.readouterr().out


def test_gradient_step_is_reported(capsys):
    """Does a passing backward report its agreement with central differences?"""
    passes("dense_backward", bl.dense_backward)
    assert "gradient: dW matches central differences of dense_forward" in capsys.readouterr().out


def test_missing_gradient_key_is_explained():
    """Is an mlp_backward that forgets a key told which one, and which keys it has?"""

    def forgetful(dscores, caches, activation="relu"):
        grads = bl.mlp_backward(dscores, caches, activation)
        del grads["b1"]
        return grads

    message = failure("mlp_backward", forgetful)
    assert "missing the key 'b1'" in message
