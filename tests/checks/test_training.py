"""Checks of lesson 04: sgd, iterate_minibatches, train."""

from __future__ import annotations

import numpy as np
import pytest

import backprop_lib as bl

from .references import REFERENCES
from .references import iterate_minibatches as right_batches
from .util import assert_named, cases_pass, failure, passes

# -- sgd -----------------------------------------------------------------------------------------


def _sgd(step):
    def sgd(w, dw, config=None):
        config = dict(config or {})
        config.setdefault("learning_rate", 1e-2)
        return step(w, dw, config["learning_rate"]), config

    return sgd


def _sgd_in_place(w, dw, config=None):
    config = config or {}
    config.setdefault("learning_rate", 1e-2)
    w -= config["learning_rate"] * dw
    return w, config


# -- iterate_minibatches -------------------------------------------------------------------------


def _batches_from(order, X, y, batch_size):
    for start in range(0, len(X), batch_size):
        batch = order[start : start + batch_size]
        yield X[batch], y[batch]


def _no_shuffle(X, y, batch_size, rng):
    for start in range(0, len(X), batch_size):
        yield X[start : start + batch_size], y[start : start + batch_size]


def _drop_last(X, y, batch_size, rng):
    order = rng.permutation(len(X))
    for k in range(len(X) // batch_size):
        batch = order[k * batch_size : (k + 1) * batch_size]
        yield X[batch], y[batch]


def _with_replacement(X, y, batch_size, rng):
    yield from _batches_from(rng.choice(len(X), len(X)), X, y, batch_size)


def _empty_batch(X, y, batch_size, rng):
    order = rng.permutation(len(X))
    for k in range(len(X) // batch_size + 1):
        batch = order[k * batch_size : (k + 1) * batch_size]
        yield X[batch], y[batch]


def _separately(X, y, batch_size, rng):
    X, y = X[rng.permutation(len(X))], y[rng.permutation(len(y))]
    yield from _no_shuffle(X, y, batch_size, rng)


def _fixed_seed(X, y, batch_size, rng):
    rng = np.random.default_rng(42)
    yield from _batches_from(rng.permutation(len(X)), X, y, batch_size)


def _global(X, y, batch_size, rng):
    yield from _batches_from(np.random.permutation(len(X)), X, y, batch_size)


_OWN_RNG = np.random.default_rng(7)


def _own_rng(X, y, batch_size, rng):
    yield from _batches_from(_OWN_RNG.permutation(len(X)), X, y, batch_size)


def _in_place(X, y, batch_size, rng):
    state = rng.bit_generator.state
    rng.shuffle(X)
    rng.bit_generator.state = state
    rng.shuffle(y)
    yield from _no_shuffle(X, y, batch_size, rng)


# -- train ----------------------------------------------------------------------------------------


def _train(
    flaw=None,
    record_every_batch=False,
    percent=False,
    validate_first=False,
    seed_of=lambda config: config.get("seed", 0),
):
    """A train that is right except for ``flaw``/the flags (each one known mistake)."""

    def train(params, X, y, X_val, y_val, config):
        activation = "relu" if flaw == "activation" else config.get("activation", "relu")
        sign = -1 if flaw == "direction" else 1
        if flaw != "in place":
            params = {key: value.copy() for key, value in params.items()}
        rng = seed_of(config)
        rng = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
        history = {"train_loss": [], "val_loss": [], "val_acc": []}

        def validate():
            scores, _ = bl.mlp_forward(X_val, params, activation)
            history["val_loss"].append(bl.cross_entropy_loss(scores, y_val))
            accuracy = float(np.mean(scores.argmax(axis=1) == y_val))
            history["val_acc"].append(100 * accuracy if percent else accuracy)

        for _ in range(config["epochs"]):
            if validate_first:
                validate()
            losses = []
            batches = list(right_batches(X, y, config["batch_size"], rng))
            for X_batch, y_batch in batches[:1] if flaw == "one step" else batches:
                scores, caches = bl.mlp_forward(X_batch, params, activation)
                loss, dscores = bl.softmax_cross_entropy(scores, y_batch)
                grads = bl.mlp_backward(dscores, caches, activation)
                for key in params:
                    if flaw == "in place":
                        params[key] -= sign * config["learning_rate"] * grads[key]
                    else:
                        params[key] = params[key] - sign * config["learning_rate"] * grads[key]
                losses.append(loss)
                if record_every_batch:
                    history["train_loss"].append(loss)
                    validate()
            if not record_every_batch:
                history["train_loss"].append(float(np.mean(losses)))
                if not validate_first:
                    validate()
        return params, history

    return train


WRONG_IMPLEMENTATIONS = {
    ("sgd", "step in the wrong direction"): _sgd(lambda w, dw, lr: w + lr * dw),
    ("sgd", "learning rate left out"): _sgd(lambda w, dw, lr: w - dw),
    ("sgd", "learning_rate in config ignored"): _sgd(lambda w, dw, lr: w - 0.01 * dw),
    ("sgd", "w updated in place"): _sgd_in_place,
    ("iterate_minibatches", "no shuffling"): _no_shuffle,
    ("iterate_minibatches", "last partial batch dropped"): _drop_last,
    ("iterate_minibatches", "sampling with replacement"): _with_replacement,
    ("iterate_minibatches", "empty batch at the end"): _empty_batch,
    ("iterate_minibatches", "X and y shuffled separately"): _separately,
    ("iterate_minibatches", "same order on every call"): _fixed_seed,
    ("iterate_minibatches", "global np.random used instead of rng"): _global,
    ("iterate_minibatches", "rng argument not used"): _own_rng,
    ("iterate_minibatches", "data shuffled in place"): _in_place,
    ("train", "step in the wrong direction"): _train("direction"),
    ("train", "activation in config ignored"): _train("activation"),
    ("train", "params updated in place"): _train("in place"),
    ("train", "history recorded per mini-batch"): _train(record_every_batch=True),
    ("train", "validation measured before the epoch's updates"): _train(validate_first=True),
    ("train", "val_acc as a percentage"): _train(percent=True),
    ("train", "shuffling not seeded from config"): _train(
        seed_of=lambda config: np.random.default_rng()
    ),
    ("train", "config['seed'] ignored"): _train(seed_of=lambda config: 0),
    ("train", "only one mini-batch step per epoch"): _train("one step"),
}


@pytest.mark.parametrize("key", sorted(WRONG_IMPLEMENTATIONS), ids=" / ".join)
def test_mistake_is_named(key):
    """Is each known mistake of lesson 04 caught, and named by its title?"""
    assert_named(key[0], WRONG_IMPLEMENTATIONS[key], key[1])


# -- correct alternatives ------------------------------------------------------------------------


def _sgd_mutates_config(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    return w - config["learning_rate"] * dw, config


def _batches_as_list(X, y, batch_size, rng):
    indices = np.arange(len(X))
    rng.shuffle(indices)
    return [
        (X[indices[i : i + batch_size]], y[indices[i : i + batch_size]])
        for i in range(0, len(X), batch_size)
    ]


def _batches_by_split(X, y, batch_size, rng):
    order = rng.permutation(len(X))
    for batch in np.split(order, range(batch_size, len(X), batch_size)):
        yield np.take(X, batch, axis=0), np.take(y, batch)


def _train_after_epoch(params, X, y, X_val, y_val, config):
    """Records the training loss of the whole set after each epoch, and uses config in place."""
    config.setdefault("activation", "relu")
    config.setdefault("seed", 0)
    rng = np.random.default_rng(config["seed"])
    params = dict(params)
    history = {key: [] for key in ("train_loss", "val_loss", "val_acc")}
    for _ in range(config["epochs"]):
        for X_batch, y_batch in _batches_as_list(X, y, config["batch_size"], rng):
            scores, caches = bl.mlp_forward(X_batch, params, config["activation"])
            dscores = bl.softmax_cross_entropy_backward(scores, y_batch)
            grads = bl.mlp_backward(dscores, caches, config["activation"])
            params = {key: params[key] - config["learning_rate"] * grads[key] for key in params}
        train_scores, _ = bl.mlp_forward(X, params, config["activation"])
        history["train_loss"].append(bl.cross_entropy_loss(train_scores, y))
        val_scores, _ = bl.mlp_forward(X_val, params, config["activation"])
        history["val_loss"].append(bl.cross_entropy_loss(val_scores, y_val))
        history["val_acc"].append(np.mean(val_scores.argmax(axis=1) == y_val))
    return params, {key: np.array(values) for key, values in history.items()}


def _train_float32(params, X, y, X_val, y_val, config):
    params = {key: value.astype(np.float32) for key, value in params.items()}
    return REFERENCES["train"](
        params, X.astype(np.float32), y, X_val.astype(np.float32), y_val, config
    )


ALTERNATIVES = [
    ("sgd", _sgd_mutates_config),
    ("sgd", _sgd(lambda w, dw, lr: np.subtract(w, lr * dw))),
    ("iterate_minibatches", _batches_as_list),
    ("iterate_minibatches", _batches_by_split),
    ("train", _train_after_epoch),
    ("train", _train_float32),
]


@pytest.mark.parametrize("name, fn", ALTERNATIVES)
def test_correct_alternatives_pass(name, fn):
    """Does a correct solution written another way (a list, a config updated in place) pass?"""
    passes(name, fn)


OTHER_CASES = {
    "sgd": [dict(shape=(2, 7), seed=51, learning_rate=0.37)],
    "iterate_minibatches": [
        dict(N=31, D=2, batch_size=7, seed=52),
        dict(N=10, D=3, batch_size=1, seed=53),
        dict(N=11, D=5, batch_size=11, seed=54),
    ],
    "train": [
        dict(
            N=17,
            N_val=6,
            D=5,
            C=4,
            hidden=(3, 4),
            learning_rate=0.2,
            epochs=4,
            batch_size=40,
            seed=5,
            activation="relu",
            data_seed=55,
        ),
        dict(
            N=30,
            N_val=5,
            D=2,
            C=3,
            hidden=(7,),
            learning_rate=1e-4,
            epochs=3,
            batch_size=10,
            seed=None,
            activation="sigmoid",
            data_seed=56,
        ),
        dict(
            N=13,
            N_val=4,
            D=3,
            C=2,
            hidden=(5,),
            learning_rate=0.1,
            epochs=2,
            batch_size=4,
            seed=2,
            activation=None,
            data_seed=57,
        ),
    ],
}


@pytest.mark.parametrize("name", sorted(OTHER_CASES))
def test_other_seeds_and_shapes(name):
    """Do the checks work on the hidden tests' kind of cases (other seeds, sizes, batch sizes)?"""
    cases_pass(name, REFERENCES[name], OTHER_CASES[name])


def test_generator_that_never_stops_is_cut_short():
    """Does an iterate_minibatches that loops forever get a message instead of hanging?"""

    def forever(X, y, batch_size, rng):
        while True:
            yield X[:batch_size], y[:batch_size]

    assert "Does its loop stop?" in failure("iterate_minibatches", forever)


def test_returning_nothing_is_explained():
    """Is an iterate_minibatches that returns None told to yield pairs?"""
    message = failure("iterate_minibatches", lambda X, y, batch_size, rng: None)
    assert "should yield (X_batch, y_batch) pairs" in message


def test_sgd_without_config_must_return_one():
    """Is an sgd that returns no config told why it must?"""
    message = failure("sgd", lambda w, dw, config=None: (w - 0.01 * dw, None))
    assert "so the next call can continue from it" in message


def test_history_must_have_its_three_lists():
    """Is a train whose history lacks a list told which?"""

    def no_val_acc(*args):
        params, history = REFERENCES["train"](*args)
        del history["val_acc"]
        return params, history

    assert "history is missing val_acc" in failure("train", no_val_acc)
