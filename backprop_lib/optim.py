"""Update rules with one interface: ``rule(w, dw, config=None) -> (next_w, config)``.

``config`` carries hyperparameters (defaults filled in) and the rule's state
(velocity, moments, step count) from one step to the next. The caller's
arrays are never modified and the caller's dict is copied, not updated.
"""

from __future__ import annotations

import numpy as np

__all__ = ["sgd", "momentum", "adam", "OPTIMIZERS"]


def sgd(w, dw, config=None):
    """Vanilla gradient descent: ``next_w = w - learning_rate * dw``.

    Parameters
    ----------
    w, dw : ndarray of the same shape
    config : dict, optional
        ``learning_rate`` (default 1e-2).

    Returns
    -------
    next_w : ndarray of the shape of w
    config : dict
    """
    config = dict(config or {})
    config.setdefault("learning_rate", 1e-2)
    return w - config["learning_rate"] * dw, config


def momentum(w, dw, config=None):
    """SGD with momentum: ``v = mu * v - lr * dw; next_w = w + v``.

    Parameters
    ----------
    w, dw : ndarray of the same shape
    config : dict, optional
        ``learning_rate`` (1e-2), ``momentum`` (0.9), ``velocity`` (zeros).

    Returns
    -------
    next_w : ndarray of the shape of w
    config : dict
        With the new ``velocity``.
    """
    config = dict(config or {})
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    velocity = config.get("velocity")
    if velocity is None:
        velocity = np.zeros_like(w)
    velocity = config["momentum"] * velocity - config["learning_rate"] * dw
    config["velocity"] = velocity
    return w + velocity, config


def adam(w, dw, config=None):
    """Adam with bias correction.

    ``m = b1 m + (1 - b1) dw``, ``v = b2 v + (1 - b2) dw**2``, then
    ``next_w = w - lr * m_hat / (sqrt(v_hat) + eps)`` with
    ``m_hat = m / (1 - b1**t)`` and ``v_hat = v / (1 - b2**t)``.

    Parameters
    ----------
    w, dw : ndarray of the same shape
    config : dict, optional
        ``learning_rate`` (1e-3), ``beta1`` (0.9), ``beta2`` (0.999),
        ``epsilon`` (1e-8), and state ``m``, ``v`` (zeros), ``t`` (0).

    Returns
    -------
    next_w : ndarray of the shape of w
    config : dict
        With the new ``m``, ``v`` and ``t``.
    """
    config = dict(config or {})
    config.setdefault("learning_rate", 1e-3)
    config.setdefault("beta1", 0.9)
    config.setdefault("beta2", 0.999)
    config.setdefault("epsilon", 1e-8)
    m = config.get("m")
    v = config.get("v")
    m = np.zeros_like(w) if m is None else m
    v = np.zeros_like(w) if v is None else v
    t = config.get("t", 0) + 1
    b1, b2 = config["beta1"], config["beta2"]
    m = b1 * m + (1 - b1) * dw
    v = b2 * v + (1 - b2) * (dw * dw)
    m_hat = m / (1 - b1**t)
    v_hat = v / (1 - b2**t)
    config.update(m=m, v=v, t=t)
    return w - config["learning_rate"] * m_hat / (np.sqrt(v_hat) + config["epsilon"]), config


#: Update rules by name.
OPTIMIZERS = {"sgd": sgd, "momentum": momentum, "adam": adam}
