"""Verifiers for lesson 01: dense_forward, relu_forward, sigmoid_forward, mlp_forward."""

from __future__ import annotations

import numpy as np

from .. import layers
from ..mlp import mlp_forward as _mlp_forward
from ._core import Mistake, verifier
from ._helpers import mlp_params

__all__ = ["DENSE_FORWARD_MISTAKES", "MLP_FORWARD_MISTAKES"]


def _normal(rng, *shape):
    return rng.standard_normal(shape)


def _pair(first, second):
    def unpack(raw):
        if not isinstance(raw, (tuple, list)) or len(raw) != 2:
            raise TypeError("not a pair")
        return {first: raw[0], second: raw[1]}

    return unpack


def expect_cache(trial, cache, expected, layout):
    """The cache must hold the forward's inputs in the contract's layout."""
    expected = tuple(expected) if isinstance(expected, (tuple, list)) else (expected,)
    items = tuple(cache) if isinstance(cache, (tuple, list)) else (cache,)
    message = (
        f"cache should be {layout}, exactly the forward's input{'s' if len(expected) > 1 else ''}, "
        "because the matching backward in lesson 03 reads it in that layout."
    )
    if len(items) != len(expected):
        trial.fail("cache", message)
    for item, want in zip(items, expected):
        if not (
            isinstance(item, np.ndarray)
            and item.shape == want.shape
            and np.allclose(item, want, rtol=0, atol=0)
        ):
            trial.fail("cache", message)
    trial.passed("cache", f"cache is {layout}")


def _dense_inputs(seed, N, D, M):
    rng = np.random.default_rng(seed)
    return _normal(rng, N, D), _normal(rng, D, M), _normal(rng, M)


DENSE_FORWARD_MISTAKES = (
    Mistake(
        "W used transposed",
        "Z = X @ W needs no transpose: X is (N, D) and W is already (D, M).",
        lambda X, W, b: X @ W.T + b,
        "Z",
    ),
    Mistake(
        "bias forgotten",
        "Add the bias: Z = X @ W + b (broadcasting adds b to every row).",
        lambda X, W, b: X @ W,
        "Z",
    ),
    Mistake(
        "bias added on the wrong axis",
        "b has one entry per output unit, shape (M,), so it is added to every row: "
        "X @ W + b, not along the batch axis.",
        lambda X, W, b: X @ W + b[:, None],
        "Z",
    ),
)


@verifier(
    "dense_forward",
    cases=[
        dict(N=4, D=3, M=5, seed=0, label="a batch of 4 samples, 3 features, 5 units"),
        dict(N=1, D=6, M=2, seed=1, label="a single sample (N=1)"),
    ],
    catalog=DENSE_FORWARD_MISTAKES,
)
def verify_dense_forward(t, N, D, M, seed):
    X, W, b = _dense_inputs(seed, N, D, M)
    expected = X @ W + b
    t.diagnose_with(
        reference=layers.dense_forward,
        mistakes=DENSE_FORWARD_MISTAKES,
        probes=[_dense_inputs(seed + 100, 4, 3, 3), _dense_inputs(seed + 200, 3, 2, 3)],
        unpack=_pair("Z", "cache"),
    )
    out = t.call(X, W, b)
    named = t.unpack(out, ["Z", "cache"])
    t.expect_array(named["Z"], "Z")
    t.passed("type", "returns (Z, cache) with Z an ndarray")
    t.expect_shape(
        named["Z"], (N, M), "Z", because="Z has one row per sample, one column per unit."
    )
    t.expect_close(named["Z"], expected, "Z", against=" X @ W + b")
    expect_cache(t, named["cache"], (X, W, b), "(X, W, b)")
    t.expect_unchanged(["X", "W", "b"])


RELU_FORWARD_MISTAKES = (
    Mistake(
        "np.max instead of np.maximum",
        "np.max(Z, 0) takes the largest entry of each column; np.maximum(Z, 0) compares every "
        "entry with 0.",
        lambda Z: np.max(Z, 0),
        "A",
    ),
    Mistake(
        "mask returned instead of the activation",
        "Return the values where Z > 0, not True/False: Z * (Z > 0) or np.maximum(Z, 0).",
        lambda Z: (Z > 0).astype(float),
        "A",
    ),
)


@verifier(
    "relu_forward",
    cases=[
        dict(shape=(4, 3), seed=0, label="a (4, 3) array"),
        dict(shape=(2, 5), seed=1, label="a (2, 5) array"),
    ],
    catalog=RELU_FORWARD_MISTAKES,
)
def verify_relu_forward(t, shape, seed):
    Z = np.random.default_rng(seed).standard_normal(shape)
    t.diagnose_with(layers.relu_forward, RELU_FORWARD_MISTAKES, unpack=_pair("A", "cache"))
    named = t.unpack(t.call(Z), ["A", "cache"])
    t.expect_array(named["A"], "A")
    t.passed("type", "returns (A, cache) with A an ndarray")
    t.expect_shape(named["A"], shape, "A", because="an activation keeps the shape of its input.")
    t.expect_close(named["A"], np.maximum(Z, 0), "A", against=" max(0, Z)")
    expect_cache(t, named["cache"], Z, "Z")
    t.expect_unchanged(["Z"])


def _naive_sigmoid(Z):
    return 1.0 / (1.0 + np.exp(-Z))


SIGMOID_FORWARD_MISTAKES = (
    Mistake(
        "exp overflow for large |Z|",
        "1 / (1 + exp(-Z)) overflows when Z is very negative. Use exp(-|Z|), which never "
        "overflows, and pick the formula by the sign of Z (np.where).",
        _naive_sigmoid,
        "overflow",
    ),
    Mistake(
        "sign flipped inside exp",
        "sigmoid(Z) = 1 / (1 + exp(-Z)): note the minus sign.",
        lambda Z: 1.0 / (1.0 + np.exp(Z)),
        "A",
    ),
)


@verifier(
    "sigmoid_forward",
    cases=[
        dict(shape=(4, 3), seed=0, scale=2.0, label="a (4, 3) array"),
        dict(shape=(3, 2), seed=1, scale=1000.0, label="scores of size ±1000 (stability)"),
    ],
    catalog=SIGMOID_FORWARD_MISTAKES,
)
def verify_sigmoid_forward(t, shape, seed, scale):
    Z = scale * np.random.default_rng(seed).standard_normal(shape)
    t.diagnose_with(layers.sigmoid_forward, SIGMOID_FORWARD_MISTAKES, unpack=_pair("A", "cache"))
    named = t.unpack(t.call(Z, description=f" for inputs of size ±{scale:g}"), ["A", "cache"])
    t.expect_array(named["A"], "A")
    t.passed("type", "returns (A, cache) with A an ndarray")
    t.expect_shape(named["A"], shape, "A", because="an activation keeps the shape of its input.")
    t.expect_close(named["A"], layers.sigmoid(Z), "A", against=" 1 / (1 + exp(-Z))")
    expect_cache(t, named["cache"], Z, "Z")
    t.expect_unchanged(["Z"])


def _mlp_variant(X, params, activation, last=False, hidden=True):
    forward = layers.ACTIVATIONS[activation][0]
    L = sum(1 for key in params if key.startswith("W"))
    A = X
    for layer in range(1, L + 1):
        A = A @ params[f"W{layer}"] + params[f"b{layer}"]
        if (layer < L and hidden) or (layer == L and last):
            A = forward(A)[0]
    return A


MLP_FORWARD_MISTAKES = (
    Mistake(
        "activation applied after the last layer",
        "mlp_forward returns raw scores: apply the activation after every layer but the last.",
        lambda X, params, activation="relu": _mlp_variant(X, params, activation, last=True),
        "scores",
    ),
    Mistake(
        "hidden activation skipped",
        "Without an activation between layers the network is just one big linear map: "
        "apply the activation after every hidden dense layer.",
        lambda X, params, activation="relu": _mlp_variant(X, params, activation, hidden=False),
        "scores",
    ),
)


def _check_mlp_caches(t, caches, L):
    layout = "a list of L (dense_cache, activation_cache) pairs, activation_cache None for the last"
    if not isinstance(caches, (list, tuple)) or len(caches) != L:
        count = len(caches) if isinstance(caches, (list, tuple)) else type(caches).__name__
        t.fail("cache", f"caches should be {layout}; expected {L} entries, got {count}.")
    for layer, entry in enumerate(caches, start=1):
        if not isinstance(entry, (list, tuple)) or len(entry) != 2:
            t.fail(
                "cache", f"caches[{layer - 1}] should be a pair (dense_cache, activation_cache)."
            )
        if layer < L and entry[1] is None:
            t.fail("cache", f"caches[{layer - 1}][1] is None, but layer {layer} has an activation.")
    if caches[-1][1] is not None:
        t.fail("cache", "the last layer has no activation, so its activation_cache must be None.")
    t.passed("cache", f"{L} (dense_cache, activation_cache) pairs, the last without activation")


@verifier(
    "mlp_forward",
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
    catalog=MLP_FORWARD_MISTAKES,
    uses=("dense_forward", "relu_forward", "sigmoid_forward"),
)
def verify_mlp_forward(t, sizes, N, activation, seed):
    params = mlp_params(np.random.default_rng(seed), sizes)
    X = np.random.default_rng(seed + 1).standard_normal((N, sizes[0]))
    expected, _ = _mlp_forward(X, params, activation)
    t.diagnose_with(_mlp_forward, MLP_FORWARD_MISTAKES, unpack=_pair("scores", "caches"))
    named = t.unpack(t.call(X, params, activation), ["scores", "caches"])
    t.expect_array(named["scores"], "scores")
    t.passed("type", "returns (scores, caches) with scores an ndarray")
    t.expect_shape(
        named["scores"], (N, sizes[-1]), "scores", because="one row of class scores per sample."
    )
    t.expect_close(
        named["scores"], expected, "scores", against=f" the {activation} network's output"
    )
    _check_mlp_caches(t, named["caches"], len(sizes) - 1)
    t.expect_unchanged(["X", "params"])
