"""Checks of lesson 08: build_and_train on the 8x8 digits."""

from __future__ import annotations

import numpy as np
import pytest

import backprop_lib as bl
from backprop_lib.checks.capstone import digits_split

from .references import REFERENCES
from .util import assert_named, failure


def _untrained(X_train, y_train, X_val, y_val):
    return bl.init_mlp([64, 16, 10], np.random.default_rng(0)), {}


def _standardising(X_train, y_train, X_val, y_val):
    """Trains on standardised pixels but returns params meant for standardised input."""
    mean, std = X_train.mean(axis=0), X_train.std(axis=0) + 1e-3
    train = REFERENCES["build_and_train"]
    return train((X_train - mean) / std, y_train, (X_val - mean) / std, y_val)


WRONG_IMPLEMENTATIONS = {
    ("build_and_train", "no learning (accuracy at chance level)"): _untrained,
    ("build_and_train", "inputs standardised inside build_and_train"): _standardising,
}


@pytest.mark.parametrize("key", sorted(WRONG_IMPLEMENTATIONS), ids=" / ".join)
def test_mistake_is_named(key):
    """Is each known mistake of lesson 08 caught, and named by its title?"""
    assert_named(key[0], WRONG_IMPLEMENTATIONS[key], key[1])


def test_splits_are_disjoint_and_scaled():
    """Are the train, validation and held-out splits disjoint, with pixels in [0, 1]?"""
    X_train, y_train, X_val, y_val, X_test, y_test = digits_split(0, 1000, 300)
    assert len(X_train) + len(X_val) + len(X_test) == 1797
    assert X_train.min() >= 0 and X_train.max() <= 1 and X_test.shape[1] == 64
    rows = {row.tobytes() for row in X_test}
    assert not any(row.tobytes() in rows for row in X_train[:50])
    assert set(y_test) == set(range(10))


def test_params_must_fit_together():
    """Is a network whose layers do not chain told which weight has the wrong shape?"""

    def transposed_last(*split):
        params, history = REFERENCES["build_and_train"](*split)
        params["W2"] = params["W2"].T
        return params, history

    message = failure("build_and_train", transposed_last)
    assert "params['W2'] has shape (10, 32), expected (32, 10)" in message


def test_params_must_be_a_dict_of_layers():
    """Is a build_and_train that returns something else than a params dict told what to return?"""
    message = failure("build_and_train", lambda *split: ([np.zeros((64, 10))], {}))
    assert "params should be a dict" in message


def test_diverged_training_is_explained():
    """Is a network with nan weights told that training probably diverged?"""

    def diverged(*split):
        params = bl.init_mlp([64, 8, 10], np.random.default_rng(0))
        params["W1"][0, 0] = np.nan
        return params, {}

    assert "did training diverge?" in failure("build_and_train", diverged)
