"""Tests for backprop_lib.losses: values, batch averaging, stability, gradients."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backprop_lib.gradcheck import numerical_gradient, rel_error
from backprop_lib.losses import (
    cross_entropy_loss,
    log_softmax,
    mse_backward,
    mse_loss,
    softmax,
    softmax_cross_entropy,
    softmax_cross_entropy_backward,
)

GRADCHECK = settings(max_examples=25, deadline=None, derandomize=True, database=None)
THRESHOLD = 1e-7

distinct_pairs = st.lists(st.integers(2, 8), min_size=2, max_size=2, unique=True)
seeds = st.integers(0, 2**32 - 1)


def test_mse_loss_is_the_mean_over_all_entries():
    """Is mse_loss the mean of the squared differences over every entry, like MSELoss()?"""
    y_pred = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    y_true = np.array([[1.0, 0.0], [3.0, 1.0], [4.0, 6.0]])
    assert mse_loss(y_pred, y_true) == pytest.approx((4.0 + 9.0 + 1.0) / 6)
    assert isinstance(mse_loss(y_pred, y_true), float)


@GRADCHECK
@given(shape=distinct_pairs, seed=seeds)
def test_mse_backward_matches_central_differences(shape, seed):
    """Does mse_backward agree with central differences?"""
    rng = np.random.default_rng(seed)
    y_pred, y_true = rng.standard_normal(shape), rng.standard_normal(shape)
    numeric = numerical_gradient(lambda v: mse_loss(v, y_true), y_pred)
    assert rel_error(mse_backward(y_pred, y_true), numeric) < THRESHOLD


def test_softmax_rows_sum_to_one():
    """Does every row of softmax sum to 1 with entries in (0, 1)?"""
    Z = np.random.default_rng(0).standard_normal((5, 3))
    P = softmax(Z)
    np.testing.assert_allclose(P.sum(axis=1), np.ones(5))
    assert np.all((P > 0) & (P < 1))


def test_softmax_normalises_along_classes_not_batch():
    """Does softmax of one row match the formula exp(z) / sum(exp(z)) over that row?"""
    Z = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])
    expected = np.exp([1.0, 2.0, 3.0]) / np.exp([1.0, 2.0, 3.0]).sum()
    np.testing.assert_allclose(softmax(Z)[0], expected)
    np.testing.assert_allclose(softmax(Z)[1], np.full(3, 1 / 3))


@pytest.mark.parametrize("scale", [1e4, -1e4])
def test_losses_are_stable_for_huge_logits(scale):
    """Do softmax, log_softmax and cross-entropy stay finite at logits of ±1e4, warning-free?"""
    logits = scale * np.array([[1.0, -1.0, 0.5], [-1.0, 1.0, 0.0]])
    y = np.array([0, 0])
    P = softmax(logits)
    assert np.all(np.isfinite(P))
    np.testing.assert_allclose(P.sum(axis=1), [1.0, 1.0])
    assert np.all(np.isfinite(log_softmax(logits)))
    loss = cross_entropy_loss(logits, y)
    gap_to_best = logits.max(axis=1) - logits[np.arange(2), y]
    assert loss == pytest.approx(gap_to_best.mean())
    assert np.all(np.isfinite(softmax_cross_entropy_backward(logits, y)))


def test_cross_entropy_of_uniform_scores_is_log_of_classes():
    """Is the loss of all-equal scores ln C, the sanity check before training?"""
    assert cross_entropy_loss(np.zeros((4, 10)), np.arange(4)) == pytest.approx(np.log(10))


def test_cross_entropy_is_the_mean_over_samples():
    """Is cross_entropy_loss the mean over samples of -log p[i, y_i], like CrossEntropyLoss()?"""
    logits = np.array([[2.0, 0.0], [0.0, 1.0], [3.0, 3.0]])
    y = np.array([0, 0, 1])
    per_sample = [np.log1p(np.exp(-2.0)), np.log1p(np.exp(1.0)), np.log(2.0)]
    assert cross_entropy_loss(logits, y) == pytest.approx(np.mean(per_sample))


@GRADCHECK
@given(shape=distinct_pairs, seed=seeds)
def test_softmax_cross_entropy_backward_matches_central_differences(shape, seed):
    """Does softmax_cross_entropy_backward agree with central differences?"""
    N, C = shape
    rng = np.random.default_rng(seed)
    logits, y = 3 * rng.standard_normal((N, C)), rng.integers(0, C, size=N)
    numeric = numerical_gradient(lambda v: cross_entropy_loss(v, y), logits)
    assert rel_error(softmax_cross_entropy_backward(logits, y), numeric) < THRESHOLD


def test_softmax_cross_entropy_combines_loss_and_gradient():
    """Does softmax_cross_entropy equal the loss and gradient computed separately?"""
    rng = np.random.default_rng(3)
    logits, y = rng.standard_normal((6, 4)), rng.integers(0, 4, size=6)
    loss, dlogits = softmax_cross_entropy(logits, y)
    assert loss == pytest.approx(cross_entropy_loss(logits, y), rel=1e-14)
    np.testing.assert_allclose(dlogits, softmax_cross_entropy_backward(logits, y), rtol=1e-12)


def test_losses_do_not_mutate_inputs():
    """Do the losses and their gradients leave their arguments untouched?"""
    rng = np.random.default_rng(4)
    logits, y = rng.standard_normal((5, 3)), rng.integers(0, 3, size=5)
    y_pred, y_true = rng.standard_normal((5, 2)), rng.standard_normal((5, 2))
    originals = [array.copy() for array in (logits, y, y_pred, y_true)]
    softmax(logits)
    cross_entropy_loss(logits, y)
    softmax_cross_entropy_backward(logits, y)
    softmax_cross_entropy(logits, y)
    mse_loss(y_pred, y_true)
    mse_backward(y_pred, y_true)
    for array, original in zip((logits, y, y_pred, y_true), originals):
        np.testing.assert_array_equal(array, original)
