"""A correct solution of every graded exercise, written the way a student might."""

from __future__ import annotations

import numpy as np

import backprop_lib as bl


def iterate_minibatches(X, y, batch_size, rng):
    order = rng.permutation(len(X))
    for start in range(0, len(X), batch_size):
        batch = order[start : start + batch_size]
        yield X[batch], y[batch]


def train(params, X, y, X_val, y_val, config):
    activation = config.get("activation", "relu")
    rng = np.random.default_rng(config.get("seed", 0))
    params = {key: value.copy() for key, value in params.items()}
    history = {"train_loss": [], "val_loss": [], "val_acc": []}
    for _ in range(config["epochs"]):
        losses = []
        for X_batch, y_batch in iterate_minibatches(X, y, config["batch_size"], rng):
            scores, caches = bl.mlp_forward(X_batch, params, activation)
            losses.append(bl.cross_entropy_loss(scores, y_batch))
            dscores = bl.softmax_cross_entropy_backward(scores, y_batch)
            grads = bl.mlp_backward(dscores, caches, activation)
            for key in params:
                params[key], _ = bl.sgd(
                    params[key], grads[key], {"learning_rate": config["learning_rate"]}
                )
        history["train_loss"].append(float(np.mean(losses)))
        scores, _ = bl.mlp_forward(X_val, params, activation)
        history["val_loss"].append(bl.cross_entropy_loss(scores, y_val))
        history["val_acc"].append(float(np.mean(scores.argmax(axis=1) == y_val)))
    return params, history


def build_and_train(X_train, y_train, X_val, y_val):
    params = bl.init_mlp([64, 32, 10], np.random.default_rng(0))
    config = {"learning_rate": 0.3, "epochs": 20, "batch_size": 50, "seed": 0}
    return train(params, X_train, y_train, X_val, y_val, config)


#: Graded function name -> a correct implementation, or (implementation, *extra code).
REFERENCES = {
    "dense_forward": bl.dense_forward,
    "relu_forward": bl.relu_forward,
    "sigmoid_forward": bl.sigmoid_forward,
    "mlp_forward": bl.mlp_forward,
    "mse_loss": bl.mse_loss,
    "softmax": bl.softmax,
    "cross_entropy_loss": bl.cross_entropy_loss,
    "numerical_gradient": bl.numerical_gradient,
    "dense_backward": bl.dense_backward,
    "relu_backward": bl.relu_backward,
    "sigmoid_backward": bl.sigmoid_backward,
    "mse_backward": bl.mse_backward,
    "softmax_cross_entropy_backward": bl.softmax_cross_entropy_backward,
    "mlp_backward": bl.mlp_backward,
    "sgd": bl.sgd,
    "iterate_minibatches": iterate_minibatches,
    "train": train,
    "xavier_init": bl.xavier_init,
    "he_init": bl.he_init,
    "batchnorm_forward": bl.batchnorm_forward,
    "batchnorm_backward": (bl.batchnorm_backward, bl.batchnorm_forward),
    "momentum": bl.momentum,
    "adam": bl.adam,
    "Value": bl.Value,
    "build_and_train": build_and_train,
}
