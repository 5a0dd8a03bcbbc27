"""Checks of lesson 02: mse_loss, softmax, cross_entropy_loss."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import log_softmax, logsumexp
from scipy.special import softmax as scipy_softmax

import backprop_lib as bl

from .util import assert_named, cases_pass, passes


def _naive_softmax(Z, axis=1):
    E = np.exp(Z)
    return E / E.sum(axis=axis, keepdims=True)


def _stable_log_softmax(logits):
    shifted = logits - logits.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def _picked(logp, y):
    return logp[np.arange(len(y)), y]


WRONG_IMPLEMENTATIONS = {
    ("mse_loss", "sum instead of mean"): lambda y_pred, y_true: np.sum((y_pred - y_true) ** 2),
    ("mse_loss", "averaged over samples only"): lambda y_pred, y_true: (
        np.sum((y_pred - y_true) ** 2) / y_pred.shape[0]
    ),
    ("mse_loss", "errors not squared"): lambda y_pred, y_true: np.mean(y_pred - y_true),
    ("mse_loss", "square root taken (RMSE)"): lambda y_pred, y_true: np.sqrt(
        np.mean((y_pred - y_true) ** 2)
    ),
    ("softmax", "no max-subtraction (overflow on large scores)"): _naive_softmax,
    ("softmax", "normalised along the wrong axis"): lambda Z: _naive_softmax(Z, axis=0),
    ("softmax", "row sums not kept as a column"): lambda Z: np.exp(Z) / np.exp(Z).sum(axis=1),
    ("softmax", "normalised over the whole array"): lambda Z: np.exp(Z) / np.exp(Z).sum(),
    ("cross_entropy_loss", "no max-subtraction (overflow on large scores)"): lambda logits, y: (
        -np.mean(np.log(_picked(_naive_softmax(logits), y)))
    ),
    ("cross_entropy_loss", "normalised along the wrong axis"): lambda logits, y: (
        -np.mean(_picked(np.log(_naive_softmax(logits, axis=0)), y))
    ),
    ("cross_entropy_loss", "sum instead of mean"): lambda logits, y: (
        -np.sum(_picked(_stable_log_softmax(logits), y))
    ),
    ("cross_entropy_loss", "minus sign missing"): lambda logits, y: np.mean(
        _picked(_stable_log_softmax(logits), y)
    ),
    ("cross_entropy_loss", "averaged over all classes"): lambda logits, y: (
        -np.mean(_stable_log_softmax(logits))
    ),
}


@pytest.mark.parametrize("key", sorted(WRONG_IMPLEMENTATIONS), ids=" / ".join)
def test_mistake_is_named(key):
    """Is each known mistake of lesson 02 caught, and named by its title?"""
    assert_named(key[0], WRONG_IMPLEMENTATIONS[key], key[1])


def _mse_loops(y_pred, y_true):
    total = 0.0
    flat_pred, flat_true = y_pred.ravel(), y_true.ravel()
    for a, b in zip(flat_pred, flat_true):
        total += (a - b) ** 2
    return total / len(flat_pred)


def _softmax_loops(Z):
    P = np.empty_like(Z)
    for i, row in enumerate(Z):
        E = np.exp(row - row.max())
        P[i] = E / E.sum()
    return P


ALTERNATIVES = [
    ("mse_loss", _mse_loops),
    ("mse_loss", lambda y_pred, y_true: float(np.square(y_pred - y_true).mean())),
    ("mse_loss", lambda y_pred, y_true: np.float32(np.mean((y_pred - y_true) ** 2))),
    ("softmax", _softmax_loops),
    ("softmax", lambda Z: scipy_softmax(Z, axis=1)),
    ("softmax", lambda Z: np.exp(Z - logsumexp(Z, axis=1, keepdims=True))),
    (
        "cross_entropy_loss",
        lambda logits, y: -np.mean(log_softmax(logits, axis=1)[np.arange(len(y)), y]),
    ),
    (
        "cross_entropy_loss",
        lambda logits, y: float(np.mean(logsumexp(logits, axis=1) - logits[np.arange(len(y)), y])),
    ),
    (
        "cross_entropy_loss",
        lambda logits, y: (
            -np.sum(np.eye(logits.shape[1])[y] * _stable_log_softmax(logits)) / len(y)
        ),
    ),
]


@pytest.mark.parametrize("name, fn", ALTERNATIVES)
def test_correct_alternatives_pass(name, fn):
    """Does a correct solution written another way (loops, scipy, log-sum-exp, one-hot) pass?"""
    passes(name, fn)


OTHER_CASES = {
    "mse_loss": [dict(shape=(7, 2), seed=21), dict(shape=(3,), seed=22)],
    "softmax": [dict(N=6, C=2, seed=23, scale=50.0, offset=-700.0)],
    "cross_entropy_loss": [dict(N=9, C=4, seed=24, scale=500.0, offset=0.0)],
}


@pytest.mark.parametrize("name", sorted(OTHER_CASES))
def test_other_seeds_and_shapes(name):
    """Do the checks work on the hidden tests' kind of cases (other seeds, non-square shapes)?"""
    cases_pass(name, getattr(bl, name), OTHER_CASES[name])
