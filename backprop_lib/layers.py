"""Layers as forward/backward pairs with an explicit cache.

Every layer is two plain functions: ``<name>_forward(...) -> (out, cache)``
and ``<name>_backward(dout, cache) -> gradients``. The cache holds exactly
what the backward needs, in the layout fixed by the course contract:
``dense_forward`` caches ``(X, W, b)``; the activations cache their input
``Z``. Nothing here modifies its arguments.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "dense_forward",
    "dense_backward",
    "relu_forward",
    "relu_backward",
    "sigmoid",
    "sigmoid_forward",
    "sigmoid_backward",
    "tanh_forward",
    "tanh_backward",
    "ACTIVATIONS",
]


def dense_forward(X, W, b):
    """Affine layer: ``Z = X @ W + b``.

    Parameters
    ----------
    X : ndarray of shape (N, D)
        A batch of N inputs with D features each.
    W : ndarray of shape (D, M)
        Weights, one column per output unit.
    b : ndarray of shape (M,)
        Biases, one per output unit.

    Returns
    -------
    Z : ndarray of shape (N, M)
        Pre-activations.
    cache : tuple
        ``(X, W, b)``, for :func:`dense_backward`.
    """
    Z = X @ W + b
    return Z, (X, W, b)


def dense_backward(dZ, cache):
    """Backward of :func:`dense_forward`.

    Parameters
    ----------
    dZ : ndarray of shape (N, M)
        Gradient of the loss with respect to the layer's output.
    cache : tuple
        ``(X, W, b)`` from the forward pass.

    Returns
    -------
    dX : ndarray of shape (N, D)
    dW : ndarray of shape (D, M)
    db : ndarray of shape (M,)
    """
    X, W, _ = cache
    dX = dZ @ W.T
    dW = X.T @ dZ
    db = dZ.sum(axis=0)
    return dX, dW, db


def relu_forward(Z):
    """Rectified linear unit, ``max(0, Z)`` elementwise.

    Parameters
    ----------
    Z : ndarray of any shape

    Returns
    -------
    A : ndarray of the shape of Z
    cache : ndarray
        ``Z`` itself.
    """
    return np.maximum(Z, 0), Z


def relu_backward(dA, cache):
    """Backward of :func:`relu_forward`: pass the gradient where ``Z > 0``.

    Parameters
    ----------
    dA : ndarray of the shape of Z
    cache : ndarray
        The forward input ``Z``.

    Returns
    -------
    dZ : ndarray of the shape of Z
    """
    Z = cache
    return dA * (Z > 0)


def sigmoid(Z):
    """Logistic function ``1 / (1 + exp(-Z))``, without overflow for any finite Z.

    Parameters
    ----------
    Z : ndarray of any shape

    Returns
    -------
    ndarray of the shape of Z, entries in [0, 1]
    """
    # exp(-|Z|) never overflows; the two branches are the same function.
    E = np.exp(-np.abs(Z))
    return np.where(Z >= 0, 1.0 / (1.0 + E), E / (1.0 + E))


def sigmoid_forward(Z):
    """Sigmoid activation, stable for ``Z = ±1000``.

    Parameters
    ----------
    Z : ndarray of any shape

    Returns
    -------
    A : ndarray of the shape of Z
    cache : ndarray
        ``Z`` itself.
    """
    return sigmoid(Z), Z


def sigmoid_backward(dA, cache):
    """Backward of :func:`sigmoid_forward`: ``dZ = dA * s * (1 - s)`` with ``s = sigmoid(Z)``.

    Parameters
    ----------
    dA : ndarray of the shape of Z
    cache : ndarray
        The forward input ``Z``.

    Returns
    -------
    dZ : ndarray of the shape of Z
    """
    S = sigmoid(cache)
    return dA * S * (1.0 - S)


def tanh_forward(Z):
    """Hyperbolic tangent activation.

    Parameters
    ----------
    Z : ndarray of any shape

    Returns
    -------
    A : ndarray of the shape of Z
    cache : ndarray
        ``Z`` itself.
    """
    return np.tanh(Z), Z


def tanh_backward(dA, cache):
    """Backward of :func:`tanh_forward`: ``dZ = dA * (1 - tanh(Z)**2)``.

    Parameters
    ----------
    dA : ndarray of the shape of Z
    cache : ndarray
        The forward input ``Z``.

    Returns
    -------
    dZ : ndarray of the shape of Z
    """
    T = np.tanh(cache)
    return dA * (1.0 - T * T)


#: Hidden activations by name: ``name -> (forward, backward)``.
ACTIVATIONS = {
    "relu": (relu_forward, relu_backward),
    "sigmoid": (sigmoid_forward, sigmoid_backward),
    "tanh": (tanh_forward, tanh_backward),
}
