"""Verifiers for lesson 03: numerical_gradient and the backward passes.

A backward function is checked twice: its *values* against the reference
backward, then its *gradient* against float64 central differences of the
reference forward, which is what "the gradient is right" means. The caches
are built by ``backprop_lib``'s own forwards, in the layout the course fixes.
"""

from __future__ import annotations

import numpy as np

from .. import layers, losses
from ..mlp import mlp_backward as _mlp_backward
from ..mlp import mlp_forward as _mlp_forward
from ._core import Mistake, verifier
from ._helpers import (
    copies,
    expect_all_close,
    expect_all_shapes,
    expect_arrays,
    expect_dict_of_arrays,
    expect_gradient,
    mlp_params,
    numeric_input_gradient,
    outputs,
)

__all__ = [
    "NUMERICAL_GRADIENT_MISTAKES",
    "DENSE_BACKWARD_MISTAKES",
    "RELU_BACKWARD_MISTAKES",
    "SIGMOID_BACKWARD_MISTAKES",
    "MSE_BACKWARD_MISTAKES",
    "SOFTMAX_CROSS_ENTROPY_BACKWARD_MISTAKES",
    "MLP_BACKWARD_MISTAKES",
]


# -- numerical_gradient ---------------------------------------------------------------------


def _gradient_problem(seed, shape):
    """A smooth, non-separable scalar function of an array, its point and exact gradient.

    ``f(x) = sum(C * sin(5 x)) + (sum(A * x))**2 / 2`` curves enough that a one-sided
    difference or an ignored ``h`` is visible, and couples the entries so that a
    point left shifted by one entry's nudge changes the next entries' differences.
    """
    rng = np.random.default_rng(seed)
    C = rng.uniform(0.5, 1.5, shape) * rng.choice([-1.0, 1.0], shape)
    A = rng.uniform(0.5, 1.0, shape)
    x = rng.uniform(-1.0, 1.0, shape)

    def f(z):
        return float(np.sum(C * np.sin(5.0 * z)) + 0.5 * np.sum(A * z) ** 2)

    def exact(z):
        return 5.0 * C * np.cos(5.0 * z) + np.sum(A * z) * A

    return f, x, exact


def _central(f, x, h):
    x = np.array(x, dtype=np.float64)
    grad = np.zeros(x.shape)
    for index in np.ndindex(x.shape):
        old = x[index]
        x[index] = old + h
        plus = f(x)
        x[index] = old - h
        minus = f(x)
        x[index] = old
        grad[index] = (plus - minus) / (2 * h)
    return grad


def _one_sided(f, x, h=1e-5):
    x = np.array(x, dtype=np.float64)
    grad = np.zeros(x.shape)
    base = f(x)
    for index in np.ndindex(x.shape):
        old = x[index]
        x[index] = old + h
        grad[index] = (f(x) - base) / h
        x[index] = old
    return grad


def _not_restored(f, x, h=1e-5):
    x = np.array(x, dtype=np.float64)
    grad = np.zeros(x.shape)
    for index in np.ndindex(x.shape):
        old = x[index]
        x[index] = old + h
        plus = f(x)
        x[index] = old - h
        grad[index] = (plus - f(x)) / (2 * h)
    return grad


def _whole_x(f, x, h=1e-5):
    x = np.array(x, dtype=np.float64)
    return np.full(x.shape, (f(x + h) - f(x - h)) / (2 * h))


X_NOT_RESTORED = Mistake(
    "x not restored",
    "After nudging x[i] to x[i] + h and x[i] - h, put the old value back (x[i] = old) "
    "before moving on: otherwise every later entry is measured at a shifted point, and "
    "the caller's x comes back changed.",
    _not_restored,
    "grad",
)

NUMERICAL_GRADIENT_MISTAKES = (
    Mistake(
        "one-sided difference",
        "(f(x + h) - f(x)) / h is only accurate to O(h). Use central differences, "
        "(f(x + h) - f(x - h)) / (2 * h), accurate to O(h**2).",
        _one_sided,
        "grad",
    ),
    Mistake(
        "wrong denominator (h instead of 2h)",
        "x + h and x - h are 2h apart, so divide f(x + h) - f(x - h) by 2 * h.",
        lambda f, x, h=1e-5: 2.0 * _central(f, x, h),
        "grad",
    ),
    Mistake(
        "wrong denominator (/ 2 * h)",
        "`/ 2 * h` divides by 2 and then multiplies by h. Write `/ (2 * h)`.",
        lambda f, x, h=1e-5: _central(f, x, h) * h * h,
        "grad",
    ),
    X_NOT_RESTORED,
    Mistake(
        "the h argument ignored",
        "Use the step size h you are given, not a fixed 1e-5: the caller may ask for another.",
        lambda f, x, h=1e-5: _central(f, x, 1e-5),
        "grad",
    ),
    Mistake(
        "whole x nudged at once",
        "Nudge one entry at a time: x + h moves every entry together and measures a single "
        "directional derivative, not one partial derivative per entry.",
        _whole_x,
        "grad",
    ),
)


@verifier(
    "numerical_gradient",
    cases=[
        dict(shape=(3, 4), h=None, seed=0, label="a (3, 4) array with the default h"),
        dict(shape=(5,), h=1e-3, seed=1, label="a vector of 5 entries with h=1e-3"),
    ],
    catalog=NUMERICAL_GRADIENT_MISTAKES,
    tol=1e-7,
)
def verify_numerical_gradient(t, shape, seed, h=None):
    """``h=None`` calls ``numerical_gradient(f, x)`` and tests the default step."""
    f, x, exact = _gradient_problem(seed, shape)
    step = 1e-5 if h is None else h
    x0 = x.copy()
    t.diagnose_with(
        reference=lambda f, x, h=1e-5: _central(f, x, h), mistakes=NUMERICAL_GRADIENT_MISTAKES
    )
    args = (f, x) if h is None else (f, x, h)
    grad = t.call(*args)
    t.expect_array(grad, "grad")
    t.passed("type", "returns an ndarray")
    t.expect_shape(grad, x.shape, "grad", because="There is one partial derivative per entry of x.")
    t.expect_close(
        grad,
        _central(f, x0, step),
        "grad",
        against=f" central differences (f(x + h) - f(x - h)) / 2h with h={step:g}",
    )
    if step <= 1e-4:
        t.expect_close(
            grad,
            exact(x0),
            "grad",
            step="gradient",
            against=" the exact derivative of f",
            tol=1e-6,
        )
    if np.array_equal(x, x0):
        t.passed("side effects", "x is restored exactly")
    elif x.shape == x0.shape and np.allclose(x, x0, rtol=0, atol=1e-12 * max(1.0, abs(x0).max())):
        t.passed(
            "side effects",
            "x is restored (up to rounding; `x[i] = old` restores it exactly)",
        )
    else:
        worst = float(np.max(np.abs(x - x0))) if x.shape == x0.shape else float("nan")
        t.fail(
            "side effects",
            f"numerical_gradient left x changed (by up to {worst:.1e}). The caller's x must "
            "come back exactly as it was.",
            X_NOT_RESTORED,
        )


# -- dense_backward ---------------------------------------------------------------------------


def _dense_problem(seed, N, D, M):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((N, D))
    W = rng.standard_normal((D, M))
    b = rng.standard_normal(M)
    dZ = rng.standard_normal((N, M))
    _, cache = layers.dense_forward(X, W, b)
    return dZ, cache


DENSE_BACKWARD_MISTAKES = (
    Mistake(
        "dW transposed",
        "dW has the shape of W, (D, M): dW = X.T @ dZ, not dZ.T @ X.",
        lambda dZ, cache: dZ.T @ cache[0],
        "dW",
    ),
    Mistake(
        "dW divided by N",
        "dZ already carries the loss's 1/N, so dW = X.T @ dZ with no extra division.",
        lambda dZ, cache: cache[0].T @ dZ / len(dZ),
        "dW",
    ),
    Mistake(
        "db not summed over the batch",
        "Every sample contributes to the same bias, so add up the rows of dZ: "
        "db = dZ.sum(axis=0), shape (M,).",
        lambda dZ, cache: dZ,
        "db",
    ),
    Mistake(
        "db summed over the wrong axis",
        "Sum over the batch axis, axis=0 (one entry per unit), not axis=1 (one per sample).",
        lambda dZ, cache: dZ.sum(axis=1),
        "db",
    ),
    Mistake(
        "db averaged instead of summed",
        "dZ already carries the loss's 1/N: db = dZ.sum(axis=0), not dZ.mean(axis=0).",
        lambda dZ, cache: dZ.mean(axis=0),
        "db",
    ),
    Mistake(
        "dX computed with W instead of W.T",
        "dX = dZ @ W.T: dZ is (N, M) and W.T is (M, D), so dX comes out (N, D) like X.",
        lambda dZ, cache: dZ @ cache[1],
        "dX",
    ),
    Mistake(
        "dX transposed",
        "dX has the shape of X, (N, D): dX = dZ @ W.T, not W @ dZ.T.",
        lambda dZ, cache: cache[1] @ dZ.T,
        "dX",
    ),
)


@verifier(
    "dense_backward",
    cases=[
        dict(N=4, D=3, M=5, seed=0, label="a batch of 4 samples, 3 features, 5 units"),
        dict(N=1, D=6, M=2, seed=1, label="a single sample (N=1)"),
    ],
    catalog=DENSE_BACKWARD_MISTAKES,
)
def verify_dense_backward(t, N, D, M, seed):
    dZ, cache = _dense_problem(seed, N, D, M)
    X, W, b = cache
    t.diagnose_with(
        reference=layers.dense_backward,
        mistakes=DENSE_BACKWARD_MISTAKES,
        probes=[_dense_problem(seed + 100, 3, 4, 4), _dense_problem(seed + 200, 5, 2, 2)],
        unpack=outputs("dX", "dW", "db"),
    )
    names = ["dX", "dW", "db"]
    named = t.unpack(t.call(*copies(dZ, cache)), names)
    expect_arrays(t, named, names, "returns (dX, dW, db), three ndarrays")
    t.expect_shape(named["dX"], (N, D), "dX", because="dX always has the shape of X.")
    t.expect_shape(named["dW"], (D, M), "dW", because="dW has the shape of W: one per weight.")
    t.expect_shape(named["db"], (M,), "db", because="db has the shape of b, one entry per unit.")
    dX, dW, db = layers.dense_backward(dZ, cache)
    t.expect_close(named["dX"], dX, "dX", against=" dZ @ W.T")
    t.expect_close(named["dW"], dW, "dW", against=" X.T @ dZ")
    t.expect_close(named["db"], db, "db", against=" dZ.sum(axis=0)")

    def forward(X, W, b):
        return layers.dense_forward(X, W, b)[0]

    for index, name in enumerate(names):
        expect_gradient(
            t,
            named[name],
            numeric_input_gradient(forward, (X, W, b), index, dZ),
            name,
            " central differences of dense_forward",
        )
    t.expect_unchanged(["dZ", "cache"])


# -- relu_backward and sigmoid_backward ----------------------------------------------------------


def _activation_problem(seed, shape, scale, margin=0.0):
    rng = np.random.default_rng(seed)
    Z = scale * rng.standard_normal(shape)
    # Keep ReLU's inputs away from its kink, where central differences are meaningless.
    Z = np.where(Z >= 0, Z + margin, Z - margin)
    dA = rng.standard_normal(shape)
    return dA, Z


_RELU_MUTATES = (
    "`dZ = dA` makes dZ another name for the same array, so `dZ[Z <= 0] = 0` also zeroes "
    "the caller's dA. Write dZ = dA * (Z > 0), or start from dA.copy()."
)

RELU_BACKWARD_MISTAKES = (
    Mistake(
        "mask taken from dA instead of the forward input",
        "ReLU lets the gradient through where its *input* Z was positive: dZ = dA * (Z > 0), "
        "with Z from the cache, not where dA is positive.",
        lambda dA, Z: dA * (dA > 0),
        "dZ",
    ),
    Mistake(
        "ReLU's output used instead of its derivative",
        "The local gradient of ReLU is 1 where Z > 0 and 0 elsewhere, not max(0, Z): "
        "dZ = dA * (Z > 0).",
        lambda dA, Z: dA * np.maximum(Z, 0),
        "dZ",
    ),
    Mistake(
        "upstream gradient dA not multiplied in",
        "The chain rule multiplies the local gradient (Z > 0) by the gradient from above: "
        "dZ = dA * (Z > 0).",
        lambda dA, Z: (Z > 0).astype(float),
        "dZ",
    ),
    Mistake("input mutated in place", _RELU_MUTATES, lambda dA, Z: dA * (Z > 0), "mutated dA"),
    Mistake(
        "forward input Z mutated in place",
        "The cache is the forward's input Z, which the caller still owns: `Z[Z < 0] = 0` "
        "changes it. Compute the mask without writing into Z: (Z > 0).",
        lambda dA, Z: dA * (Z > 0),
        "mutated cache",
    ),
)


@verifier(
    "relu_backward",
    cases=[
        dict(shape=(4, 3), seed=0, label="a (4, 3) array"),
        dict(shape=(2, 5), seed=1, label="a (2, 5) array"),
    ],
    catalog=RELU_BACKWARD_MISTAKES,
)
def verify_relu_backward(t, shape, seed):
    dA, Z = _activation_problem(seed, shape, 1.0, margin=0.05)
    t.diagnose_with(layers.relu_backward, RELU_BACKWARD_MISTAKES)
    dZ = t.call(*copies(dA, Z))
    t.expect_array(dZ, "dZ")
    t.passed("type", "returns an ndarray")
    t.expect_shape(dZ, shape, "dZ", because="dZ has the shape of the forward input Z.")
    t.expect_close(dZ, dA * (Z > 0), "dZ", against=" dA * (Z > 0)")
    expect_gradient(
        t,
        dZ,
        numeric_input_gradient(lambda Z: layers.relu_forward(Z)[0], (Z,), 0, dA),
        "dZ",
        " central differences of relu_forward",
    )
    t.expect_unchanged(["dA", "cache"])


def _naive_sigmoid(Z):
    return 1.0 / (1.0 + np.exp(-Z))


SIGMOID_BACKWARD_MISTAKES = (
    Mistake(
        "derivative computed from Z instead of sigmoid(Z)",
        "sigma'(Z) = s * (1 - s) with s = sigmoid(Z): compute s from the cached Z first, "
        "then dZ = dA * s * (1 - s).",
        lambda dA, Z: dA * Z * (1.0 - Z),
        "dZ",
    ),
    Mistake(
        "upstream gradient dA not multiplied in",
        "The chain rule multiplies the local gradient by the gradient from above: "
        "dZ = dA * s * (1 - s).",
        lambda dA, Z: layers.sigmoid(Z) * (1.0 - layers.sigmoid(Z)),
        "dZ",
    ),
    Mistake(
        "sigmoid's output used instead of its derivative",
        "The local gradient is s * (1 - s), not s itself: dZ = dA * s * (1 - s).",
        lambda dA, Z: dA * layers.sigmoid(Z),
        "dZ",
    ),
    Mistake(
        "exp overflow for large |Z|",
        "1 / (1 + exp(-Z)) overflows when Z is very negative. Reuse your stable sigmoid from "
        "sigmoid_forward (exp(-|Z|) never overflows).",
        lambda dA, Z: dA * _naive_sigmoid(Z) * (1.0 - _naive_sigmoid(Z)),
        "overflow",
    ),
)


@verifier(
    "sigmoid_backward",
    cases=[
        dict(shape=(4, 3), seed=0, scale=2.0, label="a (4, 3) array"),
        dict(shape=(3, 5), seed=1, scale=1000.0, label="inputs of size ±1000 (stability)"),
    ],
    catalog=SIGMOID_BACKWARD_MISTAKES,
)
def verify_sigmoid_backward(t, shape, seed, scale=2.0):
    dA, Z = _activation_problem(seed, shape, scale)
    t.diagnose_with(layers.sigmoid_backward, SIGMOID_BACKWARD_MISTAKES)
    dZ = t.call(*copies(dA, Z), description=f" for inputs of size ±{scale:g}")
    t.expect_array(dZ, "dZ")
    t.passed("type", "returns an ndarray")
    t.expect_shape(dZ, shape, "dZ", because="dZ has the shape of the forward input Z.")
    expected = layers.sigmoid_backward(dA, Z)
    t.expect_close(dZ, expected, "dZ", against=" dA * s * (1 - s)")
    expect_gradient(
        t,
        dZ,
        numeric_input_gradient(lambda Z: layers.sigmoid_forward(Z)[0], (Z,), 0, dA),
        "dZ",
        " central differences of sigmoid_forward",
    )
    t.expect_unchanged(["dA", "cache"])


# -- mse_backward and softmax_cross_entropy_backward ---------------------------------------------


MSE_BACKWARD_MISTAKES = (
    Mistake(
        "missing factor 2",
        "d/dy (y - t)**2 = 2 (y - t): dy_pred = 2 * (y_pred - y_true) / y_pred.size.",
        lambda y_pred, y_true: (y_pred - y_true) / y_pred.size,
        "dy_pred",
    ),
    Mistake(
        "missing division by the number of entries",
        "mse_loss is a mean over all entries, so its gradient carries 1 / y_pred.size: "
        "dy_pred = 2 * (y_pred - y_true) / y_pred.size.",
        lambda y_pred, y_true: 2.0 * (y_pred - y_true),
        "dy_pred",
    ),
    Mistake(
        "sign flipped",
        "The gradient points towards larger loss, away from y_true: 2 * (y_pred - y_true) / "
        "size, not (y_true - y_pred).",
        lambda y_pred, y_true: 2.0 * (y_true - y_pred) / y_pred.size,
        "dy_pred",
    ),
    Mistake(
        "divided by the number of samples only",
        "mse_loss averages over *all* entries, so divide by y_pred.size, not len(y_pred).",
        lambda y_pred, y_true: 2.0 * (y_pred - y_true) / len(y_pred),
        "dy_pred",
    ),
)


@verifier(
    "mse_backward",
    cases=[
        dict(shape=(5, 3), seed=0, label="predictions of shape (5, 3)"),
        dict(shape=(6,), seed=1, label="a vector of 6 predictions"),
    ],
    catalog=MSE_BACKWARD_MISTAKES,
)
def verify_mse_backward(t, shape, seed):
    rng = np.random.default_rng(seed)
    y_pred, y_true = rng.standard_normal(shape), rng.standard_normal(shape)
    t.diagnose_with(losses.mse_backward, MSE_BACKWARD_MISTAKES)
    grad = t.call(*copies(y_pred, y_true))
    t.expect_array(grad, "dy_pred")
    t.passed("type", "returns an ndarray")
    t.expect_shape(grad, shape, "dy_pred", because="It has the shape of y_pred.")
    t.expect_close(
        grad,
        losses.mse_backward(y_pred, y_true),
        "dy_pred",
        against=" 2 * (y_pred - y_true) / y_pred.size",
    )
    expect_gradient(
        t,
        grad,
        numeric_input_gradient(losses.mse_loss, (y_pred, y_true), 0, 1.0),
        "dy_pred",
        " central differences of mse_loss",
    )
    t.expect_unchanged(["y_pred", "y_true"])


def _onehot(y, C):
    out = np.zeros((len(y), C))
    out[np.arange(len(y)), y] = 1.0
    return out


def _naive_softmax(Z, axis=1):
    E = np.exp(Z)
    return E / E.sum(axis=axis, keepdims=True)


SOFTMAX_CROSS_ENTROPY_BACKWARD_MISTAKES = (
    Mistake(
        "missing 1/N",
        "The loss is a mean over the N samples, so its gradient is divided by N: "
        "(softmax(logits) - onehot(y)) / N.",
        lambda logits, y: losses.softmax(logits) - _onehot(y, logits.shape[1]),
        "dlogits",
    ),
    Mistake(
        "one-hot not subtracted",
        "dlogits = (P - Y) / N: subtract 1 at each sample's true class, "
        "P[np.arange(N), y] -= 1 (on a copy of P).",
        lambda logits, y: losses.softmax(logits) / len(y),
        "dlogits",
    ),
    Mistake(
        "sign flipped",
        "It is softmax minus one-hot, (P - Y) / N: raising the true class's logit lowers the "
        "loss, so its gradient there is negative.",
        lambda logits, y: (_onehot(y, logits.shape[1]) - losses.softmax(logits)) / len(y),
        "dlogits",
    ),
    Mistake(
        "softmax normalised along the wrong axis",
        "Softmax runs over each sample's classes, axis=1, not over the batch.",
        lambda logits, y: (
            (
                _naive_softmax(logits - logits.max(axis=0, keepdims=True), axis=0)
                - _onehot(y, logits.shape[1])
            )
            / len(y)
        ),
        "dlogits",
    ),
    Mistake(
        "no max-subtraction (overflow on large scores)",
        "exp overflows for large logits. Subtract each row's maximum before exp "
        "(or reuse your stable softmax): the gradient is unchanged.",
        lambda logits, y: (_naive_softmax(logits) - _onehot(y, logits.shape[1])) / len(y),
        "overflow",
    ),
    Mistake(
        "logits shifted in place",
        "`logits -= logits.max(axis=1, keepdims=True)` changes the caller's array. Write "
        "shifted = logits - logits.max(axis=1, keepdims=True) instead.",
        losses.softmax_cross_entropy_backward,
        "mutated logits",
    ),
)


@verifier(
    "softmax_cross_entropy_backward",
    cases=[
        dict(N=5, C=3, seed=0, scale=1.0, offset=0.0, label="5 samples, 3 classes"),
        dict(N=4, C=6, seed=1, scale=10.0, offset=1000.0, label="logits near 1000 (stability)"),
    ],
    catalog=SOFTMAX_CROSS_ENTROPY_BACKWARD_MISTAKES,
)
def verify_softmax_cross_entropy_backward(t, N, C, seed, scale=1.0, offset=0.0):
    rng = np.random.default_rng(seed)
    logits = offset + scale * rng.standard_normal((N, C))
    y = rng.integers(0, C, size=N)
    t.diagnose_with(
        losses.softmax_cross_entropy_backward,
        SOFTMAX_CROSS_ENTROPY_BACKWARD_MISTAKES,
        probes=[(rng.standard_normal((3, 3)), np.array([0, 2, 1]))],
    )
    grad = t.call(*copies(logits, y), description=f" for logits near {offset:g}")
    t.expect_array(grad, "dlogits")
    t.passed("type", "returns an ndarray")
    t.expect_shape(grad, (N, C), "dlogits", because="It has the shape of logits.")
    t.expect_close(
        grad,
        losses.softmax_cross_entropy_backward(logits, y),
        "dlogits",
        against=" (softmax(logits) - onehot(y)) / N",
    )
    centred = logits - logits.max(axis=1, keepdims=True)  # same gradient, tame differences
    expect_gradient(
        t,
        grad,
        numeric_input_gradient(losses.cross_entropy_loss, (centred, y), 0, 1.0),
        "dlogits",
        " central differences of cross_entropy_loss",
    )
    t.expect_unchanged(["logits", "y"])


# -- mlp_backward ------------------------------------------------------------------------------


def _mlp_problem(seed, sizes, N, activation):
    rng = np.random.default_rng(seed)
    params = mlp_params(rng, sizes)
    for _ in range(50):
        X = rng.standard_normal((N, sizes[0]))
        _, caches = _mlp_forward(X, params, activation)
        hidden = [Z for _, Z in caches if Z is not None]
        # Keep ReLU's pre-activations off its kink, so central differences mean something.
        if activation != "relu" or min((np.abs(Z).min() for Z in hidden), default=1.0) > 1e-3:
            break
    dscores = rng.standard_normal((N, sizes[-1]))
    return X, params, caches, dscores


def _mlp_variant(dscores, caches, activation, backward):
    grads = {}
    dA = dscores
    for layer in range(len(caches), 0, -1):
        dense_cache, activation_cache = caches[layer - 1]
        dZ = dA if activation_cache is None else backward(dA, activation_cache)
        dA, grads[f"W{layer}"], grads[f"b{layer}"] = layers.dense_backward(dZ, dense_cache)
    return grads


_SAME_SHAPE = "Each gradient has the shape of its parameter, params[%r]."

MLP_BACKWARD_MISTAKES = (
    Mistake(
        "activation backward skipped",
        "Between two dense layers, pass the gradient through the activation's backward "
        "(with that layer's activation_cache) before the dense backward below it.",
        lambda dscores, caches, activation="relu": _mlp_variant(
            dscores, caches, activation, lambda dA, Z: dA
        )["W1"],
        "grads['W1']",
    ),
    Mistake(
        "activation argument ignored",
        "Use the backward of the activation you are given (sigmoid_backward for "
        '"sigmoid"), not always relu_backward.',
        lambda dscores, caches, activation="relu": _mlp_variant(
            dscores, caches, activation, layers.relu_backward
        )["W1"],
        "grads['W1']",
    ),
)


@verifier(
    "mlp_backward",
    cases=[
        dict(
            sizes=(3, 5, 4, 2),
            N=6,
            activation="relu",
            seed=0,
            label="a 3-5-4-2 ReLU network on 6 samples",
        ),
        dict(
            sizes=(2, 7, 3),
            N=5,
            activation="sigmoid",
            seed=1,
            label="a 2-7-3 sigmoid network on 5 samples",
        ),
    ],
    catalog=MLP_BACKWARD_MISTAKES,
    uses=("dense_backward", "relu_backward", "sigmoid_backward"),
)
def verify_mlp_backward(t, sizes, N, activation, seed):
    X, params, caches, dscores = _mlp_problem(seed, sizes, N, activation)
    L = len(sizes) - 1
    keys = [f"{kind}{layer}" for layer in range(1, L + 1) for kind in ("W", "b")]
    t.diagnose_with(
        _mlp_backward,
        MLP_BACKWARD_MISTAKES,
        unpack=lambda raw: {f"grads[{key!r}]": value for key, value in raw.items()},
    )
    grads = t.call(*copies(dscores, caches), activation)
    expect_dict_of_arrays(
        t, grads, keys, "grads", because='with the keys of params ("W1", "b1", ..., "WL", "bL")'
    )
    t.passed("type", f"returns a dict with {', '.join(keys)}")
    expect_all_shapes(
        t,
        [(grads[key], params[key].shape, f"grads[{key!r}]", _SAME_SHAPE % key) for key in keys],
        "every gradient has the shape of its parameter",
    )
    expected = _mlp_backward(dscores, caches, activation)
    expect_all_close(
        t,
        [(grads[key], expected[key], f"grads[{key!r}]") for key in keys],
        f"all {len(keys)} gradients match the {activation} network's backward pass",
        against=f" the {activation} network's backward pass",
    )

    def numeric(key):
        def scores(value):
            trial = dict(params)
            trial[key] = value
            return _mlp_forward(X, trial, activation)[0]

        return numeric_input_gradient(scores, (params[key],), 0, dscores)

    expect_all_close(
        t,
        [(grads[key], numeric(key), f"grads[{key!r}]") for key in keys],
        f"all {len(keys)} gradients match central differences of mlp_forward",
        step="gradient",
        against=" central differences of mlp_forward",
    )
    t.expect_unchanged(["dscores", "caches"])
