"""Multi-layer perceptrons over a params dict ``{"W1", "b1", ..., "WL", "bL"}``.

``mlp_forward`` applies the hidden activation after every dense layer but the
last and returns raw scores; ``mlp_backward`` walks the caches in reverse.
"""

from __future__ import annotations

import numpy as np

from .initializers import INITIALIZERS
from .layers import ACTIVATIONS, dense_backward, dense_forward

__all__ = ["init_mlp", "num_layers", "mlp_forward", "mlp_backward"]


def init_mlp(layer_sizes, rng, init="he", scale=0.01):
    """Random parameters for an MLP.

    Parameters
    ----------
    layer_sizes : sequence of int
        ``[D, H1, ..., C]``: input size, hidden widths, number of outputs.
    rng : numpy.random.Generator
    init : {"he", "xavier", "naive"}
        Weight initialiser; biases start at zero.
    scale : float
        Standard deviation for ``init="naive"``.

    Returns
    -------
    params : dict
        ``"Wl"`` of shape (layer_sizes[l-1], layer_sizes[l]) and ``"bl"`` of
        shape (layer_sizes[l],) for l = 1..L.
    """
    if init not in INITIALIZERS:
        raise ValueError(f"init must be one of {sorted(INITIALIZERS)}, not {init!r}")
    if len(layer_sizes) < 2:
        raise ValueError("layer_sizes needs at least an input and an output size")
    params = {}
    for layer, (fan_in, fan_out) in enumerate(zip(layer_sizes[:-1], layer_sizes[1:]), start=1):
        if init == "naive":
            W = INITIALIZERS[init](fan_in, fan_out, rng, scale=scale)
        else:
            W = INITIALIZERS[init](fan_in, fan_out, rng)
        params[f"W{layer}"] = W
        params[f"b{layer}"] = np.zeros(fan_out)
    return params


def num_layers(params):
    """Number of dense layers L in a params dict (the largest l with a ``"Wl"`` key)."""
    layers = 0
    while f"W{layers + 1}" in params:
        layers += 1
    if layers == 0:
        raise ValueError('params has no "W1": expected keys "W1", "b1", ..., "WL", "bL"')
    return layers


def _activation(name):
    try:
        return ACTIVATIONS[name]
    except KeyError:
        raise ValueError(f"activation must be one of {sorted(ACTIVATIONS)}, not {name!r}") from None


def mlp_forward(X, params, activation="relu"):
    """Forward pass through L dense layers.

    Parameters
    ----------
    X : ndarray of shape (N, D)
    params : dict
        ``"W1"`` of shape (D, H1), ``"b1"`` of shape (H1,), ..., ``"WL"`` of
        shape (H_{L-1}, C), ``"bL"`` of shape (C,).
    activation : {"relu", "sigmoid", "tanh"}
        Applied after every layer but the last.

    Returns
    -------
    scores : ndarray of shape (N, C)
        Raw outputs of the last layer.
    caches : list of tuple
        One ``(dense_cache, activation_cache)`` per layer, with
        ``activation_cache = None`` for the last layer.
    """
    forward, _ = _activation(activation)
    L = num_layers(params)
    A = X
    caches = []
    for layer in range(1, L + 1):
        Z, dense_cache = dense_forward(A, params[f"W{layer}"], params[f"b{layer}"])
        if layer < L:
            A, activation_cache = forward(Z)
        else:
            A, activation_cache = Z, None
        caches.append((dense_cache, activation_cache))
    return A, caches


def mlp_backward(dscores, caches, activation="relu"):
    """Backward pass of :func:`mlp_forward`.

    Parameters
    ----------
    dscores : ndarray of shape (N, C)
        Gradient of the loss with respect to the scores.
    caches : list of tuple
        As returned by :func:`mlp_forward`.
    activation : {"relu", "sigmoid", "tanh"}
        The hidden activation used in the forward pass.

    Returns
    -------
    grads : dict
        ``"Wl"`` and ``"bl"`` for every layer, shaped like the params.
    """
    _, backward = _activation(activation)
    grads = {}
    dA = dscores
    for layer in range(len(caches), 0, -1):
        dense_cache, activation_cache = caches[layer - 1]
        dZ = dA if activation_cache is None else backward(dA, activation_cache)
        dA, grads[f"W{layer}"], grads[f"b{layer}"] = dense_backward(dZ, dense_cache)
    return grads
