"""Verifiers for lesson 02: mse_loss, softmax, cross_entropy_loss."""

from __future__ import annotations

import numpy as np

from .. import losses
from ._core import Mistake, verifier

__all__ = ["MSE_LOSS_MISTAKES", "SOFTMAX_MISTAKES", "CROSS_ENTROPY_MISTAKES"]


def _scores(seed, N, C, scale=1.0, offset=0.0):
    rng = np.random.default_rng(seed)
    return offset + scale * rng.standard_normal((N, C))


def _labels(seed, N, C):
    return np.random.default_rng(seed + 7).integers(0, C, size=N)


MSE_LOSS_MISTAKES = (
    Mistake(
        "sum instead of mean",
        "mse_loss averages over all entries: np.mean((y_pred - y_true) ** 2), not np.sum.",
        lambda y_pred, y_true: float(np.sum((y_pred - y_true) ** 2)),
        "loss",
    ),
    Mistake(
        "averaged over samples only",
        "Divide by the number of entries (y_pred.size), not just the number of rows.",
        lambda y_pred, y_true: float(np.sum((y_pred - y_true) ** 2) / len(y_pred)),
        "loss",
    ),
    Mistake(
        "errors not squared",
        "Square each difference before averaging, or positive and negative errors cancel.",
        lambda y_pred, y_true: float(np.mean(y_pred - y_true)),
        "loss",
    ),
    Mistake(
        "square root taken (RMSE)",
        "That is the root mean squared error; mse_loss stops before the square root.",
        lambda y_pred, y_true: float(np.sqrt(np.mean((y_pred - y_true) ** 2))),
        "loss",
    ),
)


@verifier(
    "mse_loss",
    cases=[
        dict(shape=(5, 3), seed=0, label="predictions of shape (5, 3)"),
        dict(shape=(6,), seed=1, label="a vector of 6 predictions"),
    ],
    catalog=MSE_LOSS_MISTAKES,
)
def verify_mse_loss(t, shape, seed):
    rng = np.random.default_rng(seed)
    y_pred, y_true = rng.standard_normal(shape), rng.standard_normal(shape)
    t.diagnose_with(losses.mse_loss, MSE_LOSS_MISTAKES)
    value = t.expect_scalar(t.call(y_pred, y_true), "loss")
    t.passed("type", "returns a single number")
    t.expect_close(
        value, losses.mse_loss(y_pred, y_true), "loss", against=" the mean of the squared errors"
    )
    t.expect_unchanged(["y_pred", "y_true"])


def _naive_softmax(Z):
    E = np.exp(Z)
    return E / E.sum(axis=1, keepdims=True)


def _column_softmax(Z):
    """Softmax over the batch axis, shifted so it matches stable and naive versions alike."""
    E = np.exp(Z - Z.max(axis=0, keepdims=True))
    return E / E.sum(axis=0, keepdims=True)


_NO_MAX = (
    "exp overflows for large scores. Subtract each row's maximum first "
    "(Z - Z.max(axis=1, keepdims=True)): the answer is unchanged and exp never overflows."
)

SOFTMAX_MISTAKES = (
    Mistake("no max-subtraction (overflow on large scores)", _NO_MAX, _naive_softmax, "overflow"),
    Mistake(
        "normalised along the wrong axis",
        "Each row is one sample, so divide by the sum over its classes: axis=1.",
        lambda Z: _column_softmax(Z),
        "P",
    ),
    Mistake(
        "row sums not kept as a column",
        "E.sum(axis=1) has shape (N,), which broadcasts across columns; use keepdims=True "
        "(or [:, None]) so each row is divided by its own sum.",
        lambda Z: np.exp(Z) / np.exp(Z).sum(axis=1),
        "P",
    ),
    Mistake(
        "normalised over the whole array",
        "Divide by each row's own sum (axis=1, keepdims=True), not by the sum of everything.",
        lambda Z: np.exp(Z) / np.exp(Z).sum(),
        "P",
    ),
)


@verifier(
    "softmax",
    cases=[
        dict(N=4, C=3, seed=0, scale=1.0, offset=0.0, label="scores of shape (4, 3)"),
        dict(N=3, C=5, seed=1, scale=10.0, offset=1000.0, label="scores near 1000 (stability)"),
        dict(N=2, C=4, seed=2, scale=10.0, offset=-1000.0, label="scores near -1000 (stability)"),
    ],
    catalog=SOFTMAX_MISTAKES,
)
def verify_softmax(t, N, C, seed, scale, offset):
    Z = _scores(seed, N, C, scale, offset)
    t.diagnose_with(losses.softmax, SOFTMAX_MISTAKES, probes=[(_scores(seed + 50, 3, 3),)])
    P = t.call(Z, description=f" for scores near {offset:g}")
    t.expect_array(P, "P")
    t.passed("type", "returns an ndarray")
    t.expect_shape(P, (N, C), "P", because="one probability per sample and class.")
    t.expect_close(P, losses.softmax(Z), "P", against=" the softmax of each row")
    t.passed("values", "every row sums to 1")
    t.expect_unchanged(["Z"])


def _naive_cross_entropy(logits, y):
    P = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    return float(-np.mean(np.log(P[np.arange(len(y)), y])))


CROSS_ENTROPY_MISTAKES = (
    Mistake(
        "no max-subtraction (overflow on large scores)",
        _NO_MAX + " Better still, use log-sum-exp so you never take log(0).",
        _naive_cross_entropy,
        "overflow",
    ),
    Mistake(
        "normalised along the wrong axis",
        "Softmax runs over each sample's classes, axis=1, not over the batch.",
        lambda logits, y: float(-np.mean(np.log(_column_softmax(logits))[np.arange(len(y)), y])),
        "loss",
    ),
    Mistake(
        "sum instead of mean",
        "cross_entropy_loss averages over the N samples: use np.mean, or divide the sum by N.",
        lambda logits, y: float(-losses.log_softmax(logits)[np.arange(len(y)), y].sum()),
        "loss",
    ),
    Mistake(
        "minus sign missing",
        "log-probabilities are negative; the loss is -log p of the right class, so it is >= 0.",
        lambda logits, y: float(losses.log_softmax(logits)[np.arange(len(y)), y].mean()),
        "loss",
    ),
    Mistake(
        "averaged over all classes",
        "Pick each sample's own class, log_p[np.arange(N), y], then average over samples only.",
        lambda logits, y: float(-losses.log_softmax(logits).mean()),
        "loss",
    ),
)


@verifier(
    "cross_entropy_loss",
    cases=[
        dict(N=5, C=3, seed=0, scale=1.0, offset=0.0, label="5 samples, 3 classes"),
        dict(N=4, C=6, seed=1, scale=10.0, offset=1000.0, label="logits near 1000 (stability)"),
        dict(N=3, C=2, seed=2, scale=300.0, offset=0.0, label="logits of ±1000 (stability)"),
    ],
    catalog=CROSS_ENTROPY_MISTAKES,
)
def verify_cross_entropy_loss(t, N, C, seed, scale, offset):
    logits = _scores(seed, N, C, scale, offset)
    y = _labels(seed, N, C)
    t.diagnose_with(losses.cross_entropy_loss, CROSS_ENTROPY_MISTAKES)
    value = t.expect_scalar(t.call(logits, y, description=f" for logits near {offset:g}"), "loss")
    t.passed("type", "returns a single number")
    t.expect_close(
        value,
        losses.cross_entropy_loss(logits, y),
        "loss",
        against=" the mean of -log softmax(logits)[i, y_i]",
    )
    t.expect_unchanged(["logits", "y"])
