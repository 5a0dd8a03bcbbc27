"""The training loop: shuffled mini-batches, gradient steps, validation after every epoch.

``train`` strings the course together: :func:`~backprop_lib.mlp.mlp_forward`,
:func:`~backprop_lib.losses.softmax_cross_entropy`,
:func:`~backprop_lib.mlp.mlp_backward` and an update rule from
:mod:`backprop_lib.optim`, over the batches of :func:`iterate_minibatches`.
"""

from __future__ import annotations

import numbers

import numpy as np
from tqdm.auto import tqdm

from .data import _check_count, _check_same_length
from .layers import ACTIVATIONS
from .losses import cross_entropy_loss, softmax_cross_entropy
from .mlp import mlp_backward, mlp_forward, num_layers
from .optim import OPTIMIZERS

__all__ = ["iterate_minibatches", "train", "accuracy", "predict", "gradient_norms"]

#: Keys of ``train``'s config that are passed on to the update rule when present.
OPTIMIZER_KEYS = ("momentum", "beta1", "beta2", "epsilon")

_REQUIRED_KEYS = ("learning_rate", "epochs", "batch_size")
_KNOWN_KEYS = {*_REQUIRED_KEYS, "activation", "seed", "optimizer", *OPTIMIZER_KEYS}


def iterate_minibatches(X, y, batch_size, rng):
    """Shuffled mini-batches that cover every sample exactly once.

    Each call draws a fresh permutation from ``rng``, so two epochs see the
    samples in different orders. The last batch is smaller when
    ``batch_size`` does not divide N; nothing is dropped or repeated.

    Parameters
    ----------
    X : ndarray of shape (N, D)
    y : ndarray of shape (N,)
    batch_size : int
        At least 1; a batch size >= N gives one batch of everything.
    rng : numpy.random.Generator or int
        Source of the shuffle; an int is used as a seed.

    Returns
    -------
    iterator of (X_batch, y_batch)
        ``X_batch`` of shape (B, D) and ``y_batch`` of shape (B,), B <= batch_size,
        new arrays (``X`` and ``y`` are not modified).
    """
    _check_same_length(X, y)
    batch_size = _check_count("batch_size", batch_size)
    order = np.random.default_rng(rng).permutation(len(y))
    return _batches(X, y, order, batch_size)


def _batches(X, y, order, batch_size):
    for start in range(0, len(order), batch_size):
        batch = order[start : start + batch_size]
        yield X[batch], y[batch]


def accuracy(scores, y):
    """Fraction of samples whose highest score is at their label.

    Parameters
    ----------
    scores : ndarray of shape (N, C), or (N,) of predicted labels
    y : ndarray of int of shape (N,)

    Returns
    -------
    float
        In [0, 1].
    """
    scores, y = np.asarray(scores), np.asarray(y)
    labels = scores.argmax(axis=1) if scores.ndim == 2 else scores
    if labels.shape != y.shape:
        raise ValueError(f"{labels.shape[0]} predictions for {y.shape[0]} labels")
    return float(np.mean(labels == y))


def predict(params, X, activation="relu"):
    """Class labels an MLP assigns to a batch: the index of the largest score.

    Parameters
    ----------
    params : dict
        ``"W1"``, ``"b1"``, ..., ``"WL"``, ``"bL"`` as for :func:`~backprop_lib.mlp.mlp_forward`.
    X : ndarray of shape (N, D)
    activation : {"relu", "sigmoid", "tanh"}

    Returns
    -------
    ndarray of int of shape (N,)
    """
    scores, _ = mlp_forward(X, params, activation)
    return scores.argmax(axis=1)


def gradient_norms(grads):
    """Euclidean norm of each layer's weight gradient, first layer first.

    Vanishing gradients show up as norms that shrink towards the input layer,
    exploding ones as norms that grow.

    Parameters
    ----------
    grads : dict
        ``"W1"``, ..., ``"WL"`` (biases are ignored), as from
        :func:`~backprop_lib.mlp.mlp_backward`.

    Returns
    -------
    dict of str to float
        ``{"W1": ||dW1||, ..., "WL": ||dWL||}`` in layer order.
    """
    return {
        f"W{layer}": float(np.linalg.norm(grads[f"W{layer}"]))
        for layer in range(1, num_layers(grads) + 1)
    }


def _checked_config(config):
    unknown = set(config) - _KNOWN_KEYS
    if unknown:
        raise ValueError(f"unknown config keys {sorted(unknown)}; known: {sorted(_KNOWN_KEYS)}")
    missing = [key for key in _REQUIRED_KEYS if key not in config]
    if missing:
        raise ValueError(f"config is missing {missing}")
    learning_rate = config["learning_rate"]
    if not isinstance(learning_rate, numbers.Real) or not learning_rate >= 0:
        raise ValueError(f"learning_rate must be a number >= 0, not {learning_rate!r}")
    optimizer = config.get("optimizer", "sgd")
    if optimizer not in OPTIMIZERS:
        raise ValueError(f"optimizer must be one of {sorted(OPTIMIZERS)}, not {optimizer!r}")
    activation = config.get("activation", "relu")
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {sorted(ACTIVATIONS)}, not {activation!r}")
    return {
        "learning_rate": float(learning_rate),
        "epochs": _check_count("epochs", config["epochs"], minimum=0),
        "batch_size": _check_count("batch_size", config["batch_size"]),
        "activation": activation,
        "seed": config.get("seed", 0),
        "optimizer": optimizer,
        "rule_config": {
            "learning_rate": float(learning_rate),
            **{key: config[key] for key in OPTIMIZER_KEYS if key in config},
        },
    }


def _train_epoch(params, rule_states, X, y, settings, rng):
    """One pass over the training set; returns the mean mini-batch loss."""
    update = OPTIMIZERS[settings["optimizer"]]
    activation = settings["activation"]
    losses = []
    for X_batch, y_batch in iterate_minibatches(X, y, settings["batch_size"], rng):
        scores, caches = mlp_forward(X_batch, params, activation)
        loss, dscores = softmax_cross_entropy(scores, y_batch)
        grads = mlp_backward(dscores, caches, activation)
        for name, grad in grads.items():
            params[name], rule_states[name] = update(params[name], grad, rule_states[name])
        losses.append(loss)
    return float(np.mean(losses))


def train(params, X, y, X_val, y_val, config, progress=True):
    """Train an MLP classifier by mini-batch gradient descent on softmax cross-entropy.

    Parameters
    ----------
    params : dict
        Starting ``"W1"``, ``"b1"``, ..., ``"WL"``, ``"bL"``. Not modified.
    X : ndarray of shape (N, D)
    y : ndarray of int of shape (N,)
    X_val : ndarray of shape (N_val, D)
    y_val : ndarray of int of shape (N_val,)
    config : dict
        ``learning_rate`` (>= 0; 0 leaves the params unchanged), ``epochs`` (>= 0),
        ``batch_size`` (>= 1), ``activation`` (default ``"relu"``), ``seed`` of the
        shuffle (default 0), ``optimizer`` (``"sgd"`` (default), ``"momentum"`` or ``"adam"``), and
        optionally ``momentum``, ``beta1``, ``beta2``, ``epsilon`` for the update rule.
    progress : bool
        Show a progress bar (a widget in a notebook); ``False`` prints nothing.

    Returns
    -------
    params : dict
        New arrays after the last epoch, same keys and shapes as the input.
    history : dict of str to list of float
        ``"train_loss"`` (mean of the epoch's mini-batch losses), ``"val_loss"``
        and ``"val_acc"`` (with the params at the end of the epoch), one entry
        per epoch.
    """
    settings = _checked_config(config)
    _check_same_length(X, y)
    _check_same_length(X_val, y_val)
    params = {name: np.array(value, copy=True) for name, value in params.items()}
    rule_states = {name: dict(settings["rule_config"]) for name in params}
    rng = np.random.default_rng(settings["seed"])
    history = {"train_loss": [], "val_loss": [], "val_acc": []}
    epochs = tqdm(range(settings["epochs"]), desc="training", unit="epoch", disable=not progress)
    for _ in epochs:
        train_loss = _train_epoch(params, rule_states, X, y, settings, rng)
        val_scores, _ = mlp_forward(X_val, params, settings["activation"])
        history["train_loss"].append(train_loss)
        history["val_loss"].append(cross_entropy_loss(val_scores, y_val))
        history["val_acc"].append(accuracy(val_scores, y_val))
        epochs.set_postfix(
            train_loss=f"{train_loss:.3f}",
            val_loss=f"{history['val_loss'][-1]:.3f}",
            val_acc=f"{history['val_acc'][-1]:.3f}",
            refresh=False,
        )
    return params, history
