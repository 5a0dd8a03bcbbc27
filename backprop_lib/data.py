"""Small seeded datasets that need no download.

Two-dimensional toy problems (spirals, moons, circles, XOR) to watch a
decision boundary form, a noisy 1-D curve for regression, and scikit-learn's
bundled 8x8 handwritten digits split into train, validation and test sets.
Every function is deterministic under its ``seed`` and returns ``X`` as
float64 and class labels as int64.
"""

from __future__ import annotations

import numbers
from typing import NamedTuple

import numpy as np

__all__ = [
    "make_spirals",
    "make_moons",
    "make_circles",
    "make_xor",
    "make_regression_1d",
    "train_val_split",
    "DigitsSplit",
    "load_digits_split",
]


def _sklearn_datasets():
    # Imported on first use: scikit-learn takes most of a second to import.
    from sklearn import datasets

    return datasets


def _check_count(name, value, minimum=1):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, not {value!r}")
    return int(value)


def _check_same_length(X, y):
    if np.ndim(X) == 0 or np.ndim(y) == 0 or len(X) != len(y):
        raise ValueError(
            f"X and y need the same number of samples along axis 0, got shapes "
            f"{np.shape(X)} and {np.shape(y)}"
        )


def _check_noise(noise):
    if not isinstance(noise, numbers.Real) or not np.isfinite(noise) or noise < 0:
        raise ValueError(f"noise must be a finite number >= 0, not {noise!r}")
    return float(noise)


def _check_seed(seed):
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ValueError(f"seed must be an integer >= 0, not {seed!r}")
    return int(seed)


def _check_fraction(name, value):
    if not isinstance(value, numbers.Real) or not 0 < value < 1:
        raise ValueError(f"{name} must be a number strictly between 0 and 1, not {value!r}")
    return float(value)


def _samples_per_class(n_samples, n_classes):
    base, extra = divmod(n_samples, n_classes)
    return [base + (label < extra) for label in range(n_classes)]


def _shuffled(X, y, rng):
    order = rng.permutation(len(y))
    return X[order], y[order]


def make_spirals(n_samples=300, n_classes=3, noise=0.2, seed=0):
    """Interleaved spiral arms, one per class: not separable by any straight line.

    Parameters
    ----------
    n_samples : int
        Total number of points, shared as evenly as possible between classes.
    n_classes : int
        Number of arms (and classes), at least 2.
    noise : float
        Standard deviation of the jitter added to each point's angle.
    seed : int

    Returns
    -------
    X : ndarray of shape (n_samples, 2), float64
    y : ndarray of shape (n_samples,), int64
        Labels in ``range(n_classes)``.
    """
    n_classes = _check_count("n_classes", n_classes, minimum=2)
    n_samples = _check_count("n_samples", n_samples, minimum=n_classes)
    noise = _check_noise(noise)
    rng = np.random.default_rng(_check_seed(seed))
    turn = 2 * np.pi / n_classes
    points, labels = [], []
    for label, count in enumerate(_samples_per_class(n_samples, n_classes)):
        radius = np.linspace(0.05, 1.0, count)
        angle = label * turn + 2 * np.pi * radius + noise * rng.standard_normal(count)
        points.append(np.column_stack([radius * np.sin(angle), radius * np.cos(angle)]))
        labels.append(np.full(count, label, dtype=np.int64))
    return _shuffled(np.concatenate(points), np.concatenate(labels), rng)


def make_moons(n_samples=200, noise=0.1, seed=0):
    """Two interleaving half circles (scikit-learn's ``make_moons``).

    Parameters
    ----------
    n_samples : int
        Total number of points, at least 2.
    noise : float
        Standard deviation of Gaussian noise added to every coordinate.
    seed : int

    Returns
    -------
    X : ndarray of shape (n_samples, 2), float64
    y : ndarray of shape (n_samples,), int64
        Labels 0 and 1.
    """
    X, y = _sklearn_datasets().make_moons(
        n_samples=_check_count("n_samples", n_samples, minimum=2),
        noise=_check_noise(noise),
        random_state=_check_seed(seed),
    )
    return X.astype(np.float64), y.astype(np.int64)


def make_circles(n_samples=200, noise=0.05, factor=0.5, seed=0):
    """A small circle inside a large one (scikit-learn's ``make_circles``).

    Parameters
    ----------
    n_samples : int
        Total number of points, at least 2.
    noise : float
        Standard deviation of Gaussian noise added to every coordinate.
    factor : float
        Radius of the inner circle relative to the outer one, in (0, 1).
    seed : int

    Returns
    -------
    X : ndarray of shape (n_samples, 2), float64
    y : ndarray of shape (n_samples,), int64
        0 for the outer circle, 1 for the inner one.
    """
    X, y = _sklearn_datasets().make_circles(
        n_samples=_check_count("n_samples", n_samples, minimum=2),
        noise=_check_noise(noise),
        factor=_check_fraction("factor", factor),
        random_state=_check_seed(seed),
    )
    return X.astype(np.float64), y.astype(np.int64)


def make_xor(n_samples=200, noise=0.3, seed=0):
    """Four blobs at the corners of a square, labelled by XOR of the coordinates' signs.

    The classic problem a single neuron cannot solve but one hidden layer can.

    Parameters
    ----------
    n_samples : int
        Total number of points, at least 4, shared between the four corners.
    noise : float
        Standard deviation of each blob around its corner ``(±1, ±1)``.
    seed : int

    Returns
    -------
    X : ndarray of shape (n_samples, 2), float64
    y : ndarray of shape (n_samples,), int64
        1 where exactly one corner coordinate is negative, else 0.
    """
    n_samples = _check_count("n_samples", n_samples, minimum=4)
    noise = _check_noise(noise)
    rng = np.random.default_rng(_check_seed(seed))
    corners = np.array([[1.0, 1.0], [-1.0, 1.0], [-1.0, -1.0], [1.0, -1.0]])
    corner_index = np.repeat(np.arange(4), _samples_per_class(n_samples, 4))
    X = corners[corner_index] + noise * rng.standard_normal((n_samples, 2))
    y = (corner_index % 2).astype(np.int64)
    return _shuffled(X, y, rng)


def make_regression_1d(n_samples=100, noise=0.1, seed=0, x_range=(-3.0, 3.0)):
    """Noisy samples of ``sin(x)`` on an interval, sorted by ``x``.

    Parameters
    ----------
    n_samples : int
        Number of points, at least 1.
    noise : float
        Standard deviation of Gaussian noise added to the targets.
    seed : int
    x_range : tuple of float
        ``(low, high)`` with ``low < high``; ``x`` is drawn uniformly from it.

    Returns
    -------
    X : ndarray of shape (n_samples, 1), float64
    y : ndarray of shape (n_samples, 1), float64
        Targets shaped like the output of an MLP with one output unit, so
        ``mse_loss(scores, y)`` compares matching entries instead of broadcasting.
    """
    n_samples = _check_count("n_samples", n_samples)
    noise = _check_noise(noise)
    low, high = (float(bound) for bound in x_range)
    if not low < high:
        raise ValueError(f"x_range must be (low, high) with low < high, not {x_range!r}")
    rng = np.random.default_rng(_check_seed(seed))
    X = np.sort(rng.uniform(low, high, size=(n_samples, 1)), axis=0)
    y = np.sin(X) + noise * rng.standard_normal((n_samples, 1))
    return X, y


def train_val_split(X, y, val_fraction=0.2, seed=0):
    """Shuffle the samples and hold out a fraction of them for validation.

    Parameters
    ----------
    X : ndarray of shape (N, ...)
    y : ndarray of shape (N, ...)
    val_fraction : float
        Share of the samples held out, strictly between 0 and 1; at least one
        sample ends up on each side.
    seed : int

    Returns
    -------
    X_train : ndarray of shape (N - N_val, ...)
    y_train : ndarray of shape (N - N_val, ...)
    X_val : ndarray of shape (N_val, ...)
    y_val : ndarray of shape (N_val, ...)
        New arrays; ``X`` and ``y`` are not modified.
    """
    X, y = np.asarray(X), np.asarray(y)
    _check_same_length(X, y)
    val_fraction = _check_fraction("val_fraction", val_fraction)
    if len(y) < 2:
        raise ValueError("train_val_split needs at least 2 samples")
    n_val = min(max(round(val_fraction * len(y)), 1), len(y) - 1)
    order = np.random.default_rng(_check_seed(seed)).permutation(len(y))
    val, train = order[:n_val], order[n_val:]
    return X[train], y[train], X[val], y[val]


class DigitsSplit(NamedTuple):
    """The 8x8 digits split three ways; unpacks like a tuple in this field order.

    Images are flattened to 64 pixels scaled to [0, 1] (float64); labels are
    the digits 0-9 (int64). Reshape a row to ``(8, 8)`` to look at it.
    """

    X_train: np.ndarray
    y_train: np.ndarray
    X_val: np.ndarray
    y_val: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray


def load_digits_split(seed=0, val_fraction=0.15, test_fraction=0.15):
    """scikit-learn's bundled 8x8 handwritten digits, split stratified by class.

    Works offline: the 1797 images ship with scikit-learn.

    Parameters
    ----------
    seed : int
    val_fraction : float
        Share of all images in the validation set, in (0, 1).
    test_fraction : float
        Share of all images in the test set, in (0, 1); together with
        ``val_fraction`` below 1.

    Returns
    -------
    DigitsSplit
        ``X_*`` of shape (N_*, 64) with pixels in [0, 1], ``y_*`` of shape (N_*,).
    """
    seed = _check_seed(seed)
    val_fraction = _check_fraction("val_fraction", val_fraction)
    test_fraction = _check_fraction("test_fraction", test_fraction)
    if val_fraction + test_fraction >= 1:
        raise ValueError(
            f"val_fraction + test_fraction must be below 1 to leave training data, got "
            f"{val_fraction} + {test_fraction}"
        )
    from sklearn.model_selection import train_test_split

    digits = _sklearn_datasets().load_digits()
    X = digits.data.astype(np.float64) / 16.0
    y = digits.target.astype(np.int64)
    X_rest, X_test, y_rest, y_test = train_test_split(
        X, y, test_size=test_fraction, stratify=y, random_state=seed
    )
    X_train, X_val, y_train, y_val = train_test_split(
        X_rest,
        y_rest,
        test_size=val_fraction / (1 - test_fraction),
        stratify=y_rest,
        random_state=seed,
    )
    return DigitsSplit(X_train, y_train, X_val, y_val, X_test, y_test)
