"""Tests for backprop_lib.data: shapes, types, seeding, splits, argument checks."""

import numpy as np
import pytest

from backprop_lib.data import (
    DigitsSplit,
    load_digits_split,
    make_circles,
    make_moons,
    make_regression_1d,
    make_spirals,
    make_xor,
    train_val_split,
)

CLASSIFICATION = {
    "spirals": make_spirals,
    "moons": make_moons,
    "circles": make_circles,
    "xor": make_xor,
}
ALL_MAKERS = {**CLASSIFICATION, "regression_1d": make_regression_1d}


@pytest.mark.parametrize("name", sorted(CLASSIFICATION))
def test_classification_sets_have_documented_shapes_and_types(name):
    """Does every toy classification set give float64 X of shape (N, 2) and int64 labels (N,)?"""
    X, y = CLASSIFICATION[name](n_samples=101, seed=0)
    assert X.shape == (101, 2)
    assert X.dtype == np.float64
    assert y.shape == (101,)
    assert y.dtype == np.int64
    assert set(np.unique(y)) == set(range(y.max() + 1))


def test_spirals_have_one_class_per_arm_shared_evenly():
    """Does make_spirals split n_samples as evenly as possible over n_classes?"""
    _, y = make_spirals(n_samples=100, n_classes=3)
    np.testing.assert_array_equal(np.bincount(y), [34, 33, 33])


def test_xor_labels_follow_the_sign_rule_without_noise():
    """Without noise, is the XOR label 1 exactly where x0 and x1 have opposite signs?"""
    X, y = make_xor(n_samples=40, noise=0.0)
    np.testing.assert_array_equal(y, (X[:, 0] * X[:, 1] < 0).astype(np.int64))


def test_regression_targets_are_a_noisy_sine_shaped_like_mlp_output():
    """Does make_regression_1d give sorted X (N, 1) and targets (N, 1) near sin(X)?"""
    X, y = make_regression_1d(n_samples=50, noise=0.05)
    assert X.shape == y.shape == (50, 1)
    assert np.all(np.diff(X[:, 0]) >= 0)
    assert np.abs(y - np.sin(X)).max() < 0.05 * 5


@pytest.mark.parametrize("name", sorted(ALL_MAKERS))
def test_datasets_are_deterministic_under_a_seed(name):
    """Does the same seed give identical data and another seed different data?"""
    make = ALL_MAKERS[name]
    X, y = make(seed=3)
    X_again, y_again = make(seed=3)
    X_other, _ = make(seed=4)
    np.testing.assert_array_equal(X, X_again)
    np.testing.assert_array_equal(y, y_again)
    assert not np.array_equal(X, X_other)


@pytest.mark.parametrize("name", sorted(ALL_MAKERS))
@pytest.mark.parametrize(
    "bad",
    [{"n_samples": -5}, {"n_samples": 0}, {"n_samples": 2.5}, {"noise": -0.1}, {"seed": -1}],
    ids=["negative-size", "zero-size", "float-size", "negative-noise", "negative-seed"],
)
def test_datasets_reject_bad_arguments(name, bad):
    """Does every maker raise a ValueError naming the bad argument?"""
    with pytest.raises(ValueError, match=next(iter(bad))):
        ALL_MAKERS[name](**bad)


def test_circles_and_regression_reject_bad_shape_arguments():
    """Do make_circles and make_regression_1d refuse an out-of-range factor or an empty interval?"""
    with pytest.raises(ValueError, match="factor"):
        make_circles(factor=1.5)
    with pytest.raises(ValueError, match="x_range"):
        make_regression_1d(x_range=(1.0, 1.0))


def test_train_val_split_partitions_the_samples():
    """Does train_val_split hold out round(fraction * N) samples and keep every sample once?"""
    X = np.arange(20.0).reshape(10, 2)
    y = np.arange(10)
    X_train, y_train, X_val, y_val = train_val_split(X, y, val_fraction=0.3, seed=1)
    assert len(y_val) == 3
    assert len(y_train) == 7
    np.testing.assert_array_equal(np.sort(np.concatenate([y_train, y_val])), y)
    np.testing.assert_array_equal(X_train[:, 0], 2 * y_train)
    np.testing.assert_array_equal(X_val[:, 0], 2 * y_val)


def test_train_val_split_is_seeded_and_leaves_inputs_alone():
    """Is the split the same for a seed, different across seeds, and are X and y unmodified?"""
    X, y = make_moons(n_samples=30)
    X_before, y_before = X.copy(), y.copy()
    first = train_val_split(X, y, seed=5)
    again = train_val_split(X, y, seed=5)
    other = train_val_split(X, y, seed=6)
    for part, part_again in zip(first, again):
        np.testing.assert_array_equal(part, part_again)
    assert not np.array_equal(first[3], other[3])
    np.testing.assert_array_equal(X, X_before)
    np.testing.assert_array_equal(y, y_before)


@pytest.mark.parametrize("fraction", [0.0, 1.0, -0.2, 1.5])
def test_train_val_split_rejects_fractions_out_of_range(fraction):
    """Does train_val_split refuse a validation fraction outside (0, 1)?"""
    X, y = make_moons(n_samples=10)
    with pytest.raises(ValueError, match="val_fraction"):
        train_val_split(X, y, val_fraction=fraction)


def test_train_val_split_rejects_mismatched_lengths():
    """Does train_val_split refuse X and y of different lengths?"""
    with pytest.raises(ValueError, match="same number of samples"):
        train_val_split(np.zeros((5, 2)), np.zeros(4))


@pytest.fixture(scope="module")
def digits():
    return load_digits_split(seed=0)


def test_digits_split_covers_every_image_once(digits):
    """Do the three parts hold all 1797 digits, as (N, 64) pixels in [0, 1] with int labels?"""
    assert isinstance(digits, DigitsSplit)
    X_train, y_train, X_val, y_val, X_test, y_test = digits
    assert len(X_train) + len(X_val) + len(X_test) == 1797
    for X, y in [(X_train, y_train), (X_val, y_val), (X_test, y_test)]:
        assert X.shape == (len(y), 64)
        assert X.dtype == np.float64
        assert y.dtype == np.int64
        assert X.min() >= 0.0
        assert X.max() <= 1.0
    assert X_train.max() == 1.0


def test_digits_split_is_stratified(digits):
    """Does every part hold the ten digits in about the same proportions as the whole?"""
    overall = np.bincount(np.concatenate([digits.y_train, digits.y_val, digits.y_test])) / 1797
    for y in (digits.y_train, digits.y_val, digits.y_test):
        np.testing.assert_allclose(np.bincount(y, minlength=10) / len(y), overall, atol=0.01)


def test_digits_split_sizes_follow_the_fractions():
    """Do val_fraction and test_fraction set the sizes of the validation and test sets?"""
    split = load_digits_split(val_fraction=0.1, test_fraction=0.2)
    assert len(split.y_test) == pytest.approx(0.2 * 1797, abs=1)
    assert len(split.y_val) == pytest.approx(0.1 * 1797, abs=1)


def test_digits_split_is_deterministic_under_a_seed(digits):
    """Does the same seed give the same split and another seed a different one?"""
    again = load_digits_split(seed=0)
    other = load_digits_split(seed=1)
    np.testing.assert_array_equal(digits.X_test, again.X_test)
    np.testing.assert_array_equal(digits.y_train, again.y_train)
    assert not np.array_equal(digits.X_test, other.X_test)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"val_fraction": 0.0}, "val_fraction"),
        ({"test_fraction": 1.0}, "test_fraction"),
        ({"val_fraction": -0.1}, "val_fraction"),
        ({"val_fraction": 0.5, "test_fraction": 0.5}, "below 1"),
        ({"seed": -3}, "seed"),
    ],
)
def test_digits_split_rejects_bad_arguments(kwargs, message):
    """Does load_digits_split refuse fractions out of range or leaving no training data?"""
    with pytest.raises(ValueError, match=message):
        load_digits_split(**kwargs)
