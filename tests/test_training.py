"""Tests for backprop_lib.training: mini-batches, the training loop, its helpers."""

import numpy as np
import pytest

from backprop_lib.data import make_moons, train_val_split
from backprop_lib.losses import softmax_cross_entropy
from backprop_lib.mlp import init_mlp, mlp_backward, mlp_forward
from backprop_lib.optim import sgd
from backprop_lib.training import (
    accuracy,
    gradient_norms,
    iterate_minibatches,
    predict,
    train,
)


def labelled_rows(N=10, D=3):
    """X whose first column equals the label, so a batch shows whether rows and labels match."""
    y = np.arange(N)
    X = np.column_stack([y.astype(float), np.ones((N, D - 1))])
    return X, y


def test_minibatches_cover_every_sample_once_and_keep_the_last_partial_batch():
    """With N = 10 and batch_size = 4, are the batches 4, 4, 2 and every sample seen once?"""
    X, y = labelled_rows()
    batches = list(iterate_minibatches(X, y, 4, np.random.default_rng(0)))
    assert [len(y_batch) for _, y_batch in batches] == [4, 4, 2]
    np.testing.assert_array_equal(np.sort(np.concatenate([b for _, b in batches])), y)
    for X_batch, y_batch in batches:
        np.testing.assert_array_equal(X_batch[:, 0], y_batch)


def test_minibatches_are_shuffled_afresh_on_every_call():
    """Is the order shuffled, and different on the next call with the same generator?"""
    X, y = labelled_rows(N=30)
    rng = np.random.default_rng(0)
    first = np.concatenate([b for _, b in iterate_minibatches(X, y, 7, rng)])
    second = np.concatenate([b for _, b in iterate_minibatches(X, y, 7, rng)])
    assert not np.array_equal(first, y)
    assert not np.array_equal(first, second)


def test_minibatches_are_deterministic_under_a_seed():
    """Do two generators with the same seed give the same batches?"""
    X, y = labelled_rows(N=30)
    first = [b for _, b in iterate_minibatches(X, y, 8, np.random.default_rng(5))]
    again = [b for _, b in iterate_minibatches(X, y, 8, np.random.default_rng(5))]
    for batch, batch_again in zip(first, again, strict=True):
        np.testing.assert_array_equal(batch, batch_again)


def test_minibatches_leave_inputs_untouched():
    """Are X and y unchanged after iterating, even if a batch is modified?"""
    X, y = labelled_rows()
    X_before, y_before = X.copy(), y.copy()
    for X_batch, y_batch in iterate_minibatches(X, y, 3, np.random.default_rng(0)):
        X_batch[:] = -1
        y_batch[:] = -1
    np.testing.assert_array_equal(X, X_before)
    np.testing.assert_array_equal(y, y_before)


def test_minibatch_larger_than_the_data_is_one_batch():
    """Does a batch size above N give a single batch with every sample?"""
    X, y = labelled_rows(N=5)
    batches = list(iterate_minibatches(X, y, 64, np.random.default_rng(0)))
    assert len(batches) == 1
    assert len(batches[0][1]) == 5


@pytest.mark.parametrize("batch_size", [0, -2, 2.5])
def test_minibatches_reject_bad_batch_sizes(batch_size):
    """Is a batch size that is not a positive integer refused at call time?"""
    X, y = labelled_rows()
    with pytest.raises(ValueError, match="batch_size"):
        iterate_minibatches(X, y, batch_size, np.random.default_rng(0))


def test_minibatches_reject_mismatched_lengths():
    """Are X and y of different lengths refused?"""
    with pytest.raises(ValueError, match="same number of samples"):
        iterate_minibatches(np.zeros((4, 2)), np.zeros(3), 2, np.random.default_rng(0))


@pytest.fixture(scope="module")
def moons():
    X, y = make_moons(n_samples=200, noise=0.1, seed=0)
    return train_val_split(X, y, val_fraction=0.25, seed=0)


@pytest.fixture
def params():
    return init_mlp([2, 16, 2], np.random.default_rng(0))


CONFIG = {"learning_rate": 0.5, "epochs": 15, "batch_size": 32}


@pytest.mark.parametrize(
    "optimizer_config",
    [
        {},
        {"optimizer": "momentum", "learning_rate": 0.1},
        {"optimizer": "adam", "learning_rate": 0.02},
    ],
    ids=["sgd", "momentum", "adam"],
)
def test_train_reduces_the_loss_on_a_seeded_problem(moons, params, optimizer_config):
    """Does training on the moons lower the loss and classify most validation points?"""
    _, history = train(params, *moons, {**CONFIG, **optimizer_config}, progress=False)
    assert history["train_loss"][-1] < 0.6 * history["train_loss"][0]
    assert history["val_loss"][-1] < history["val_loss"][0]
    assert history["val_acc"][-1] > 0.8


def test_history_has_one_entry_per_epoch(moons, params):
    """Does every history list hold one float per epoch?"""
    _, history = train(params, *moons, {**CONFIG, "epochs": 4}, progress=False)
    assert sorted(history) == ["train_loss", "val_acc", "val_loss"]
    for values in history.values():
        assert len(values) == 4
        assert all(isinstance(value, float) for value in values)


def test_train_does_not_mutate_its_inputs(moons, params):
    """Are params, data and config unchanged, and the returned arrays new objects?"""
    before = {name: value.copy() for name, value in params.items()}
    data_before = [array.copy() for array in moons]
    config = dict(CONFIG)
    new_params, _ = train(params, *moons, config, progress=False)
    assert config == CONFIG
    for name, value in params.items():
        np.testing.assert_array_equal(value, before[name])
        assert new_params[name] is not value
        assert new_params[name].shape == value.shape
    for array, array_before in zip(moons, data_before):
        np.testing.assert_array_equal(array, array_before)


def test_train_is_deterministic_under_its_seed(moons, params):
    """Does the same config give the same history, and another shuffle seed a different one?"""
    _, first = train(params, *moons, {**CONFIG, "epochs": 3}, progress=False)
    _, again = train(params, *moons, {**CONFIG, "epochs": 3}, progress=False)
    _, other = train(params, *moons, {**CONFIG, "epochs": 3, "seed": 1}, progress=False)
    assert first == again
    assert first["train_loss"] != other["train_loss"]


def test_full_batch_epoch_is_one_sgd_step(moons, params):
    """With batch_size >= N, is one epoch exactly one hand-written sgd step?"""
    X, y, X_val, y_val = moons
    config = {"learning_rate": 0.3, "epochs": 1, "batch_size": len(y), "activation": "tanh"}
    trained, history = train(params, X, y, X_val, y_val, config, progress=False)
    scores, caches = mlp_forward(X, params, "tanh")
    loss, dscores = softmax_cross_entropy(scores, y)
    grads = mlp_backward(dscores, caches, "tanh")
    assert history["train_loss"][0] == pytest.approx(loss, rel=1e-12)
    for name in params:
        expected, _ = sgd(params[name], grads[name], {"learning_rate": 0.3})
        np.testing.assert_allclose(trained[name], expected, rtol=1e-12, atol=1e-15)


def test_train_is_silent_without_progress(moons, params, capsys):
    """Does progress=False print nothing at all, to stdout or stderr?"""
    train(params, *moons, {**CONFIG, "epochs": 2}, progress=False)
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == ""


def test_train_shows_progress_by_default(moons, params, capsys):
    """Does the default progress bar report the epochs?"""
    train(params, *moons, {**CONFIG, "epochs": 2})
    assert "2/2" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"learning_rate": None}, "missing"),
        ({"learning_rte": 0.1}, "unknown"),
        ({"learning_rate": -0.1}, "learning_rate"),
        ({"epochs": -1}, "epochs"),
        ({"batch_size": 0}, "batch_size"),
        ({"optimizer": "rmsprop"}, "optimizer"),
        ({"activation": "softplus"}, "activation"),
        ({"activation": "softplus", "epochs": 0}, "activation"),
    ],
)
def test_train_rejects_bad_configs(moons, params, change, message):
    """Does train name the problem with a missing, misspelt or out-of-range config entry?"""
    config = {**CONFIG, **change}
    config = {key: value for key, value in config.items() if value is not None}
    with pytest.raises(ValueError, match=message):
        train(params, *moons, config, progress=False)


def test_accuracy_from_scores_and_from_labels():
    """Does accuracy take the argmax of scores, or compare labels directly?"""
    scores = np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4], [0.3, 0.7]])
    y = np.array([0, 1, 1, 1])
    assert accuracy(scores, y) == 0.75
    assert accuracy(np.array([0, 1, 0, 1]), y) == 0.75


def test_predict_returns_the_argmax_label(params):
    """Does predict give int labels of shape (N,) equal to the argmax of the scores?"""
    X = np.random.default_rng(0).standard_normal((7, 2))
    labels = predict(params, X)
    assert labels.shape == (7,)
    np.testing.assert_array_equal(labels, mlp_forward(X, params)[0].argmax(axis=1))


def test_gradient_norms_per_weight_matrix():
    """Does gradient_norms give the Frobenius norm of each dW, in layer order, ignoring biases?"""
    grads = {"W2": np.full((2, 2), 2.0), "W1": np.array([[3.0, 4.0]]), "b1": np.ones(2)}
    assert gradient_norms(grads) == {"W1": 5.0, "W2": 4.0}
    assert list(gradient_norms(grads)) == ["W1", "W2"]
