"""Verifier for lesson 08: ``build_and_train`` on the 8x8 handwritten digits.

The student's function gets a training and a validation split of
scikit-learn's bundled digits (pixels scaled to [0, 1]) and returns
``(params, history)``. The check runs ``mlp_forward(X, params, "relu")`` on
held-out digits it never showed them and asks for a modest accuracy. This is
the one check that takes seconds: the student's training runs inside it.
"""

from __future__ import annotations

import functools

import numpy as np

from .. import losses
from ..mlp import init_mlp, mlp_backward, mlp_forward
from ._core import Mistake, quiet_call, verifier
from ._helpers import copies, expect_all_shapes

__all__ = ["BUILD_AND_TRAIN_MISTAKES", "digits_split"]

_CLASSES = 10
_PIXELS = 64
_CHAINED = (
    "The first layer takes the 64 pixels, each layer the previous one's units, and the last "
    "gives the 10 digit scores."
)


@functools.lru_cache(maxsize=1)
def _digits():
    from sklearn.datasets import load_digits  # bundled with scikit-learn: no download

    digits = load_digits()
    return digits.data / 16.0, digits.target.astype(int)


def digits_split(seed, n_train, n_val):
    """Train, validation and held-out test splits of the digits, shuffled by ``seed``.

    Returns
    -------
    X_train, y_train, X_val, y_val, X_test, y_test : ndarrays
        X of shape (n, 64) with pixels in [0, 1], y integer labels 0-9.
    """
    X, y = _digits()
    order = np.random.default_rng(seed).permutation(len(y))
    train, val, test = np.split(order, [n_train, n_train + n_val])
    return X[train], y[train], X[val], y[val], X[test], y[test]


def _quick_train(X_train, y_train, X_val, y_val, activation="relu", standardise=False, steps=150):
    """A small MLP trained by full-batch gradient descent: a sketch of a solution."""
    mean, std = X_train.mean(axis=0), X_train.std(axis=0) + 1e-3
    X = (X_train - mean) / std if standardise else X_train
    params = init_mlp([_PIXELS, 32, _CLASSES], np.random.default_rng(0))
    history = {"train_loss": [], "val_loss": [], "val_acc": []}
    for _ in range(steps):
        scores, caches = mlp_forward(X, params, activation)
        loss, dscores = losses.softmax_cross_entropy(scores, y_train)
        grads = mlp_backward(dscores, caches, activation)
        params = {key: value - 0.5 * grads[key] for key, value in params.items()}
        history["train_loss"].append(loss)
    X_check = (X_val - mean) / std if standardise else X_val
    scores, _ = mlp_forward(X_check, params, activation)
    history["val_loss"].append(losses.cross_entropy_loss(scores, y_val))
    history["val_acc"].append(float(np.mean(scores.argmax(axis=1) == y_val)))
    return params, history


def _untrained(X_train, y_train, X_val, y_val):
    params = init_mlp([_PIXELS, 32, _CLASSES], np.random.default_rng(0))
    return params, {"train_loss": [], "val_loss": [], "val_acc": []}


CHANCE = Mistake(
    "no learning (accuracy at chance level)",
    "About 1 digit in 10 is what random weights get. Return the trained params, not the "
    "initial ones; if the loss grew instead of shrinking, lower the learning rate.",
    _untrained,
    "behaviour",
)
PREPROCESSING = Mistake(
    "inputs standardised inside build_and_train",
    "The params are used on pixels as given, in [0, 1]. Train on the data as given, or fold "
    "your standardisation into the first layer (W1 / std, b1 - (mean / std) @ W1).",
    lambda *split: _quick_train(*split, standardise=True),
    "behaviour",
)

BUILD_AND_TRAIN_MISTAKES = (CHANCE, PREPROCESSING)


def _layers(t, params):
    """Check the params dict's structure; return the number of layers."""
    if not isinstance(params, dict):
        t.fail("type", f"params should be a dict of arrays, got {type(params).__name__}.")
    L = 0
    while f"W{L + 1}" in params:
        L += 1
    if L == 0:
        have = ", ".join(repr(key) for key in params) or "no keys"
        t.fail("type", f'params should have the keys "W1", "b1", ..., "WL", "bL"; it has {have}.')
    for layer in range(1, L + 1):
        for key in (f"W{layer}", f"b{layer}"):
            if key not in params:
                t.fail("type", f"params has W{layer} but no {key}.")
            t.expect_array(params[key], f"params[{key!r}]")
    return L


def _accuracy(params, X, y, activation):
    run = quiet_call(mlp_forward, X, params, activation)
    if run.error is not None or run.warnings:
        return None
    scores = run.value[0]
    if not np.all(np.isfinite(scores)):
        return None
    return float(np.mean(scores.argmax(axis=1) == y))


@verifier(
    "build_and_train",
    cases=[
        dict(seed=0, n_train=1000, n_val=300, min_accuracy=0.85, label="the 8x8 digits"),
    ],
    catalog=BUILD_AND_TRAIN_MISTAKES,
    uses=("train",),
)
def verify_build_and_train(t, seed, n_train=1000, n_val=300, min_accuracy=0.85):
    X_train, y_train, X_val, y_val, X_test, y_test = digits_split(seed, n_train, n_val)
    t.diagnose_with(_quick_train, BUILD_AND_TRAIN_MISTAKES)
    out = t.call(*copies(X_train, y_train, X_val, y_val))
    named = t.unpack(out, ["params", "history"])
    params, history = named["params"], named["history"]
    L = _layers(t, params)
    if not isinstance(history, dict):
        t.fail("type", f"history should be a dict (of lists), got {type(history).__name__}.")
    t.passed("type", f"returns (params, history) with {L} layers' W and b")

    shapes, fan_in = [], _PIXELS
    for layer in range(1, L + 1):
        W, b = params[f"W{layer}"], params[f"b{layer}"]
        fan_out = _CLASSES if layer == L else (W.shape[1] if W.ndim == 2 else 0)
        shapes.append((W, (fan_in, fan_out), f"params['W{layer}']", _CHAINED))
        shapes.append((b, (fan_out,), f"params['b{layer}']", "One bias per unit."))
        fan_in = fan_out
    expect_all_shapes(t, shapes, f"64 pixels in, {_CLASSES} scores out, the layers in between fit")

    scores = quiet_call(mlp_forward, X_test, params, "relu")
    if scores.error is not None or not np.all(np.isfinite(scores.value[0])):
        t.fail(
            "values",
            'mlp_forward(X, params, activation="relu") gives inf or nan scores with your params; '
            "did training diverge? Try a smaller learning rate.",
        )
    accuracy = float(np.mean(scores.value[0].argmax(axis=1) == y_test))
    if accuracy < min_accuracy:
        mistake = None
        if accuracy < 0.2:
            mistake = CHANCE
        else:
            mean, std = X_train.mean(axis=0), X_train.std(axis=0)
            for eps in (0.0, 1e-8, 1e-3, 1e-2, 1.0):
                standardised = (X_test - mean) / np.where(std + eps > 0, std + eps, 1.0)
                if (_accuracy(params, standardised, y_test, "relu") or 0) >= min_accuracy:
                    mistake = PREPROCESSING
                    break
        t.fail(
            "values",
            f"your network classifies {accuracy:.1%} of {len(y_test)} held-out digits "
            f"correctly; it should reach at least {min_accuracy:.0%}. Train longer, tune the "
            "learning rate, or widen the hidden layer.",
            mistake,
        )
    t.passed("values", f"{accuracy:.1%} of {len(y_test)} held-out digits classified correctly")
    t.expect_unchanged(["X_train", "y_train", "X_val", "y_val"])
