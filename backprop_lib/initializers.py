"""Weight initialisers: how large the first random weights should be.

All three draw from a normal distribution with mean 0 and differ only in
the standard deviation, which decides whether signals and gradients keep
their size as they pass through many layers.
"""

from __future__ import annotations

import numpy as np

__all__ = ["naive_init", "xavier_init", "he_init", "INITIALIZERS"]


def naive_init(fan_in, fan_out, rng, scale=0.01):
    """Small normal weights with a fixed standard deviation.

    Parameters
    ----------
    fan_in, fan_out : int
        Number of inputs and outputs of the layer.
    rng : numpy.random.Generator
    scale : float
        Standard deviation of every weight.

    Returns
    -------
    W : ndarray of shape (fan_in, fan_out)
    """
    return scale * rng.standard_normal((fan_in, fan_out))


def xavier_init(fan_in, fan_out, rng):
    """Glorot/Xavier normal initialisation, ``std = sqrt(2 / (fan_in + fan_out))``.

    Keeps the variance of activations and of gradients roughly constant
    through layers with a symmetric activation such as tanh.

    Parameters
    ----------
    fan_in, fan_out : int
    rng : numpy.random.Generator

    Returns
    -------
    W : ndarray of shape (fan_in, fan_out)
    """
    std = np.sqrt(2.0 / (fan_in + fan_out))
    return std * rng.standard_normal((fan_in, fan_out))


def he_init(fan_in, fan_out, rng):
    """He (Kaiming) normal initialisation, ``std = sqrt(2 / fan_in)``.

    ReLU zeroes half of its inputs on average; the factor 2 makes up for it.

    Parameters
    ----------
    fan_in, fan_out : int
    rng : numpy.random.Generator

    Returns
    -------
    W : ndarray of shape (fan_in, fan_out)
    """
    std = np.sqrt(2.0 / fan_in)
    return std * rng.standard_normal((fan_in, fan_out))


#: Initialisers by name: ``name -> f(fan_in, fan_out, rng)``.
INITIALIZERS = {"naive": naive_init, "xavier": xavier_init, "he": he_init}
