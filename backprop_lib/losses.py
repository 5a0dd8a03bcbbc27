"""Loss functions and their gradients.

Losses average over the batch: ``mse_loss`` over *all* entries (like
``torch.nn.MSELoss()``), ``cross_entropy_loss`` over samples (like
``torch.nn.CrossEntropyLoss()``). Softmax and cross-entropy subtract each
row's maximum first, so scores of ±1e4 neither overflow nor warn.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "mse_loss",
    "mse_backward",
    "softmax",
    "log_softmax",
    "cross_entropy_loss",
    "softmax_cross_entropy_backward",
    "softmax_cross_entropy",
]


def mse_loss(y_pred, y_true):
    """Mean squared error over all entries.

    Parameters
    ----------
    y_pred, y_true : ndarray of the same shape, e.g. (N,) or (N, K)

    Returns
    -------
    float
    """
    diff = y_pred - y_true
    return float(np.mean(diff * diff))


def mse_backward(y_pred, y_true):
    """Gradient of :func:`mse_loss` with respect to ``y_pred``: ``2 (y_pred - y_true) / size``.

    Parameters
    ----------
    y_pred, y_true : ndarray of the same shape

    Returns
    -------
    dy_pred : ndarray of the shape of y_pred
    """
    return 2.0 * (y_pred - y_true) / y_pred.size


def log_softmax(Z):
    """Row-wise log-softmax by the log-sum-exp trick.

    Parameters
    ----------
    Z : ndarray of shape (N, C)

    Returns
    -------
    ndarray of shape (N, C)
    """
    shifted = Z - Z.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def softmax(Z):
    """Row-wise softmax; every row sums to 1, stable for huge scores.

    Parameters
    ----------
    Z : ndarray of shape (N, C)

    Returns
    -------
    P : ndarray of shape (N, C)
    """
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


def cross_entropy_loss(logits, y):
    """Mean over samples of ``-log softmax(logits)[i, y_i]``.

    Parameters
    ----------
    logits : ndarray of shape (N, C)
    y : ndarray of int of shape (N,)
        Class labels in ``range(C)``.

    Returns
    -------
    float
    """
    N = logits.shape[0]
    return float(-log_softmax(logits)[np.arange(N), y].mean())


def softmax_cross_entropy_backward(logits, y):
    """Gradient of :func:`cross_entropy_loss`: ``(softmax(logits) - onehot(y)) / N``.

    Parameters
    ----------
    logits : ndarray of shape (N, C)
    y : ndarray of int of shape (N,)

    Returns
    -------
    dlogits : ndarray of shape (N, C)
    """
    N = logits.shape[0]
    dlogits = softmax(logits)
    dlogits[np.arange(N), y] -= 1.0
    return dlogits / N


def softmax_cross_entropy(logits, y):
    """Loss and gradient together, sharing one softmax.

    Parameters
    ----------
    logits : ndarray of shape (N, C)
    y : ndarray of int of shape (N,)

    Returns
    -------
    loss : float
    dlogits : ndarray of shape (N, C)
    """
    N = logits.shape[0]
    logp = log_softmax(logits)
    loss = float(-logp[np.arange(N), y].mean())
    dlogits = np.exp(logp)
    dlogits[np.arange(N), y] -= 1.0
    return loss, dlogits / N
