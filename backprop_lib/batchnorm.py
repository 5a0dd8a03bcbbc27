"""Batch normalisation, training mode.

Each feature is standardised over the batch, then scaled and shifted:
``out = gamma * (X - mean) / sqrt(var + eps) + beta``. The batch mean and
variance depend on every sample, so the backward must differentiate through
them too.
"""

from __future__ import annotations

import numpy as np

__all__ = ["batchnorm_forward", "batchnorm_backward"]


def batchnorm_forward(X, gamma, beta, eps=1e-5):
    """Batch normalisation over axis 0, training mode.

    Parameters
    ----------
    X : ndarray of shape (N, D)
    gamma : ndarray of shape (D,)
        Scale.
    beta : ndarray of shape (D,)
        Shift.
    eps : float
        Added to the variance for stability.

    Returns
    -------
    out : ndarray of shape (N, D)
    cache : tuple
        ``(X_hat, inv_std, gamma)``: the normalised input, ``1 / sqrt(var + eps)``
        of shape (D,), and the scale.
    """
    mean = X.mean(axis=0)
    var = X.var(axis=0)
    inv_std = 1.0 / np.sqrt(var + eps)
    X_hat = (X - mean) * inv_std
    return gamma * X_hat + beta, (X_hat, inv_std, gamma)


def batchnorm_backward(dout, cache):
    """Backward of :func:`batchnorm_forward`, through the batch mean and variance.

    Parameters
    ----------
    dout : ndarray of shape (N, D)
    cache : tuple
        From :func:`batchnorm_forward`.

    Returns
    -------
    dX : ndarray of shape (N, D)
    dgamma : ndarray of shape (D,)
    dbeta : ndarray of shape (D,)
    """
    X_hat, inv_std, gamma = cache
    dbeta = dout.sum(axis=0)
    dgamma = (dout * X_hat).sum(axis=0)
    dX_hat = dout * gamma
    # The two subtracted means are the mean's and the variance's share of the gradient.
    dX = inv_std * (dX_hat - dX_hat.mean(axis=0) - X_hat * (dX_hat * X_hat).mean(axis=0))
    return dX, dgamma, dbeta
