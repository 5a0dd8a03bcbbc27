"""Verifiers for lesson 04: sgd, iterate_minibatches, train.

A student's shuffle may legitimately differ from ours, so randomness is
checked by behaviour (every sample once, a new order on each call, the same
order from the same seed), and ``train`` exactly only where the order cannot
matter: with ``batch_size >= N`` every epoch is one full-batch step.
"""

from __future__ import annotations

import itertools

import numpy as np

from .. import losses, optim
from ..gradcheck import rel_error
from ..mlp import init_mlp, mlp_backward, mlp_forward
from ._core import Mistake, verifier
from ._helpers import (
    Broken,
    copies,
    driving,
    expect_all_shapes,
    expect_dict_of_arrays,
    mismatch,
    outputs,
)

__all__ = ["SGD_MISTAKES", "ITERATE_MINIBATCHES_MISTAKES", "TRAIN_MISTAKES"]


# -- sgd ----------------------------------------------------------------------------------------


def _lr(config, default=1e-2):
    return (config or {}).get("learning_rate", default)


SGD_MISTAKES = (
    Mistake(
        "step in the wrong direction",
        "Gradient *descent* moves against the gradient: next_w = w - learning_rate * dw.",
        lambda w, dw, config=None: w + _lr(config) * dw,
        "next_w",
    ),
    Mistake(
        "learning rate left out",
        "Scale the step by the learning rate: next_w = w - learning_rate * dw.",
        lambda w, dw, config=None: w - dw,
        "next_w",
    ),
    Mistake(
        "learning_rate in config ignored",
        "Read the learning rate from config (config['learning_rate']); the default is only "
        "for when the key is missing, e.g. config.setdefault('learning_rate', 1e-2).",
        lambda w, dw, config=None: w - 1e-2 * dw,
        "next_w",
    ),
    Mistake(
        "w updated in place",
        "`w -= ...` changes the caller's array. Return a new one: next_w = w - learning_rate * dw.",
        lambda w, dw, config=None: optim.sgd(w, dw, config)[0],
        "mutated w",
    ),
)


def expect_config(t, config, name):
    """The returned config must be a dict, so the next call can continue from it."""
    if not isinstance(config, dict):
        t.fail(
            "type",
            f"{name} should return (next_w, config) with config a dict (your defaults and "
            f"state filled in, so the next call can continue from it), but config is "
            f"{type(config).__name__}.",
        )


@verifier(
    "sgd",
    cases=[
        dict(
            shape=(3, 4), seed=0, learning_rate=0.1, label="a (3, 4) array with learning_rate 0.1"
        ),
        dict(shape=(5,), seed=1, learning_rate=None, label="config=None (the default rate)"),
    ],
    catalog=SGD_MISTAKES,
)
def verify_sgd(t, shape, seed, learning_rate=None):
    """``learning_rate=None`` calls ``sgd(w, dw)`` with no config."""
    rng = np.random.default_rng(seed)
    w, dw = rng.standard_normal(shape), rng.standard_normal(shape)
    w0, dw0 = w.copy(), dw.copy()
    config = None if learning_rate is None else {"learning_rate": learning_rate}
    t.diagnose_with(optim.sgd, SGD_MISTAKES, unpack=outputs("next_w", "config"))
    named = t.unpack(t.call(w, dw, config), ["next_w", "config"])
    t.expect_array(named["next_w"], "next_w")
    expect_config(t, named["config"], "sgd")
    t.passed("type", "returns (next_w, config), an ndarray and a dict")
    t.expect_shape(named["next_w"], shape, "next_w", because="The update has the shape of w.")
    rate = learning_rate if learning_rate is not None else _lr(named["config"])
    t.expect_close(named["next_w"], w0 - rate * dw0, "next_w", against=f" w - {rate:g} * dw")
    t.expect_unchanged(["w", "dw"])


# -- iterate_minibatches -------------------------------------------------------------------------


def _no_shuffle(X, y, batch_size, rng):
    for start in range(0, len(X), batch_size):
        yield X[start : start + batch_size], y[start : start + batch_size]


def _drop_last(X, y, batch_size, rng):
    order = rng.permutation(len(X))
    for start in range(0, len(X) - batch_size + 1, batch_size):
        batch = order[start : start + batch_size]
        yield X[batch], y[batch]


def _with_replacement(X, y, batch_size, rng):
    order = rng.choice(len(X), len(X))
    for start in range(0, len(X), batch_size):
        batch = order[start : start + batch_size]
        yield X[batch], y[batch]


def _empty_batch(X, y, batch_size, rng):
    order = rng.permutation(len(X))
    for k in range(len(X) // batch_size + 1):
        batch = order[k * batch_size : (k + 1) * batch_size]
        yield X[batch], y[batch]


def _separately(X, y, batch_size, rng):
    order_X, order_y = rng.permutation(len(X)), rng.permutation(len(X))
    for start in range(0, len(X), batch_size):
        yield X[order_X[start : start + batch_size]], y[order_y[start : start + batch_size]]


def _same_order(X, y, batch_size, rng):
    yield from _drop_nothing(X, y, batch_size, np.random.default_rng(0))


def _global_state(X, y, batch_size, rng):
    order = np.random.permutation(len(X))
    for start in range(0, len(X), batch_size):
        batch = order[start : start + batch_size]
        yield X[batch], y[batch]


def _unseeded(X, y, batch_size, rng):
    yield from _drop_nothing(X, y, batch_size, np.random.default_rng())


def _in_place(X, y, batch_size, rng):
    order = rng.permutation(len(X))
    X[:], y[:] = X[order], y[order]
    yield from _no_shuffle(X.copy(), y.copy(), batch_size, rng)


def _drop_nothing(X, y, batch_size, rng):
    order = rng.permutation(len(X))
    for start in range(0, len(X), batch_size):
        batch = order[start : start + batch_size]
        yield X[batch], y[batch]


# These mistakes are recognised by behaviour (which samples come out, in what order,
# on which calls); each ``wrong`` is an example of the mistake, for documentation and tests.
NO_SHUFFLING = Mistake(
    "no shuffling",
    "Draw a new order every call, order = rng.permutation(N), and slice batches out of it: "
    "batches in the same order every epoch make training zig-zag.",
    _no_shuffle,
    "behaviour",
)
LAST_BATCH_DROPPED = Mistake(
    "last partial batch dropped",
    "When batch_size does not divide N, the last batch is smaller; keep it, or those "
    "samples are never trained on in that epoch: range(0, N, batch_size) covers them all.",
    _drop_last,
    "behaviour",
)
WITH_REPLACEMENT = Mistake(
    "sampling with replacement",
    "rng.choice(N, N) and rng.integers draw with replacement, so some samples repeat and "
    "others are missed. Use rng.permutation(N): every sample exactly once.",
    _with_replacement,
    "behaviour",
)
EMPTY_BATCH = Mistake(
    "empty batch at the end",
    "range(N // batch_size + 1) gives one batch too many when batch_size divides N. Step "
    "through the samples with range(0, N, batch_size) instead.",
    _empty_batch,
    "behaviour",
)
SHUFFLED_SEPARATELY = Mistake(
    "X and y shuffled separately",
    "Draw one permutation and index both with it, X[batch] and y[batch], so each sample "
    "keeps its own label.",
    _separately,
    "behaviour",
)
SAME_ORDER = Mistake(
    "same order on every call",
    "Each call must draw a fresh permutation from the rng it is given; creating a new rng "
    "with a fixed seed inside the function repeats the same order every epoch.",
    _same_order,
    "behaviour",
)
GLOBAL_RANDOM = Mistake(
    "global np.random used instead of rng",
    "Shuffle with the generator you are given, rng.permutation(N), not np.random.permutation: "
    "that way a seed makes runs reproducible.",
    _global_state,
    "behaviour",
)
RNG_IGNORED = Mistake(
    "rng argument not used",
    "Shuffle with the generator you are given, rng.permutation(N); a generator of your own "
    "makes the order impossible to reproduce from the caller's seed.",
    _unseeded,
    "behaviour",
)
SHUFFLED_IN_PLACE = Mistake(
    "data shuffled in place",
    "rng.shuffle(X) reorders the caller's array. Index with a permutation instead, X[order], "
    "which makes new arrays.",
    _in_place,
    "mutated X",
)

ITERATE_MINIBATCHES_MISTAKES = (
    NO_SHUFFLING,
    LAST_BATCH_DROPPED,
    WITH_REPLACEMENT,
    EMPTY_BATCH,
    SHUFFLED_SEPARATELY,
    SAME_ORDER,
    GLOBAL_RANDOM,
    RNG_IGNORED,
    SHUFFLED_IN_PLACE,
)


def _collect(fn, X, y, batch_size, rng, limit):
    """All the batches ``fn`` yields (at most ``limit``), or what it returned if not iterable."""
    result = fn(X, y, batch_size, rng)
    if result is None or isinstance(result, (str, bytes, dict)) or not hasattr(result, "__iter__"):
        return Broken(f"returned {type(result).__name__}")
    return list(itertools.islice(result, limit))


def _same_global_state(before, after):
    return before[0] == after[0] and np.array_equal(before[1], after[1]) and before[2:] == after[2:]


def _batch_indices(t, batches, rows, y, D):
    """Which samples each batch holds, checking structure on the way."""
    indices = []
    for k, item in enumerate(batches):
        if not isinstance(item, (tuple, list)) or len(item) != 2:
            t.fail(
                "type",
                f"batch {k} is a {type(item).__name__}; every item should be a pair "
                "(X_batch, y_batch).",
            )
        X_batch, y_batch = item
        if not isinstance(X_batch, np.ndarray) or not isinstance(y_batch, np.ndarray):
            t.fail(
                "type",
                f"batch {k} holds {type(X_batch).__name__} and {type(y_batch).__name__}; "
                "X_batch and y_batch should be NumPy arrays (index X and y with an array).",
            )
        if X_batch.ndim != 2 or X_batch.shape[1] != D or y_batch.shape != (len(X_batch),):
            t.fail(
                "shape",
                f"batch {k} has X_batch of shape {X_batch.shape} and y_batch of shape "
                f"{y_batch.shape}; expected (B, {D}) and (B,) for the same B.",
            )
        index = [rows.get(row.tobytes(), -1) for row in np.asarray(X_batch, dtype=np.float64)]
        if min(index, default=0) < 0:
            t.fail(
                "values",
                f"batch {k} holds rows that are not rows of X. Take whole rows, X[batch], "
                "without changing them.",
            )
        if not np.array_equal(y_batch, y[index]):
            t.fail(
                "values",
                f"in batch {k} the labels do not belong to the rows next to them: "
                "y_batch[i] should be the label of X_batch[i].",
                SHUFFLED_SEPARATELY,
            )
        indices.append(np.asarray(index, dtype=int))
    return indices


@verifier(
    "iterate_minibatches",
    cases=[
        dict(N=23, D=3, batch_size=5, seed=0, label="23 samples in batches of 5"),
        dict(N=12, D=2, batch_size=4, seed=1, label="12 samples in batches of 4 (no remainder)"),
        dict(N=9, D=4, batch_size=16, seed=2, label="a batch size larger than N"),
    ],
    catalog=ITERATE_MINIBATCHES_MISTAKES,
)
def verify_iterate_minibatches(t, N, D, batch_size, seed):
    """Use N >= 8: with fewer samples, whether the order is shuffled is not judged."""
    data = np.random.default_rng(seed + 1000)
    X = data.standard_normal((N, D))
    y = data.permutation(N)
    rows = {row.tobytes(): i for i, row in enumerate(X)}
    full, rest = divmod(N, batch_size)
    expected_sizes = [batch_size] * full + ([rest] if rest else [])
    limit = len(expected_sizes) + 5
    t.diagnose_with(_drop_nothing, ITERATE_MINIBATCHES_MISTAKES)
    touched = []

    def run(rng):
        before = np.random.get_state()
        batches = t.call(X.copy(), y.copy(), batch_size, rng, limit)
        touched.append(not _same_global_state(before, np.random.get_state()))
        if isinstance(batches, Broken):
            t.fail(
                "type",
                f"iterate_minibatches {batches}; it should yield (X_batch, y_batch) pairs "
                "(a generator with `yield`, or a list of pairs).",
            )
        return batches

    with driving(t, _collect):
        batches = run(np.random.default_rng(seed))
        if len(batches) >= limit:
            t.fail(
                "shape",
                f"iterate_minibatches yielded more than {limit - 1} batches for N={N} and "
                f"batch_size={batch_size}; expected {len(expected_sizes)}. Does its loop stop?",
            )
        indices = _batch_indices(t, batches, rows, y, D)
        t.passed("type", "yields (X_batch, y_batch) pairs of arrays")

        sizes = [len(batch) for batch in indices]
        if sorted(sizes) != sorted(expected_sizes):
            mistake = None
            if 0 in sizes:
                mistake = EMPTY_BATCH
            elif rest and sizes == [batch_size] * full:
                mistake = LAST_BATCH_DROPPED
            t.fail(
                "shape",
                f"batch sizes are {sizes}; for N={N} and batch_size={batch_size} expected "
                f"{expected_sizes}: full batches, then the rest.",
                mistake,
            )
        t.passed("shape", f"{len(sizes)} batch{'es' if len(sizes) > 1 else ''} of sizes {sizes}")

        order = np.concatenate(indices)
        counts = np.bincount(order, minlength=N)
        if counts.max() > 1 or counts.min() < 1:
            repeated, missing = int(np.sum(counts > 1)), int(np.sum(counts == 0))
            t.fail(
                "values",
                f"{repeated} sample{'s' if repeated != 1 else ''} came out more than once and "
                f"{missing} never; every sample should appear exactly once per call.",
                WITH_REPLACEMENT if repeated else None,
            )
        t.passed("values", "every sample appears exactly once, next to its own label")

        again = run(np.random.default_rng(seed))
        replay = np.concatenate(_batch_indices(t, again, rows, y, D))
        rng = np.random.default_rng(seed + 1)
        first = run(rng)
        second = run(rng)
        first = np.concatenate(_batch_indices(t, first, rows, y, D))
        second = np.concatenate(_batch_indices(t, second, rows, y, D))

    # With fewer than 8 samples a fair shuffle repeats an order too often to judge it.
    judge_order = N >= 8
    if judge_order and np.array_equal(order, np.arange(N)) and np.array_equal(first, np.arange(N)):
        t.fail(
            "randomness", "the samples come out in their original order 0, 1, 2, ...", NO_SHUFFLING
        )
    if any(touched):
        t.fail("randomness", "iterate_minibatches changed np.random's global state.", GLOBAL_RANDOM)
    if judge_order and np.array_equal(first, second):
        t.fail(
            "randomness",
            "two calls with the same rng gave the same order; each call (each epoch) should "
            "shuffle anew.",
            SAME_ORDER,
        )
    if not np.array_equal(order, replay):
        t.fail(
            "randomness",
            "two generators with the same seed gave different orders, so runs cannot be "
            "reproduced.",
            RNG_IGNORED,
        )
    t.passed("randomness", "a new order on every call, the same order from the same seed")

    with driving(t, _collect):
        t.call(X, y, batch_size, np.random.default_rng(seed), limit)
    t.expect_unchanged(["X", "y"])


# -- train ----------------------------------------------------------------------------------------


def _accuracy(scores, y):
    return float(np.mean(np.argmax(scores, axis=1) == y))


def _reference_train(params, X, y, X_val, y_val, config, flaw=None):
    """Mini-batch SGD on softmax cross-entropy, or one of its known mistakes (``flaw``)."""
    lr = config["learning_rate"] * (-1.0 if flaw == "wrong direction" else 1.0)
    activation = "relu" if flaw == "activation ignored" else config.get("activation", "relu")
    seed = {"seed ignored": 0, "unseeded": None}.get(flaw, config.get("seed", 0))
    rng = np.random.default_rng(seed)
    if flaw != "in place":
        params = {key: value.copy() for key, value in params.items()}
    history = {"train_loss": [], "val_loss": [], "val_acc": []}

    def validate():
        scores, _ = mlp_forward(X_val, params, activation)
        history["val_loss"].append(losses.cross_entropy_loss(scores, y_val))
        accuracy = _accuracy(scores, y_val)
        history["val_acc"].append(100 * accuracy if flaw == "percent" else accuracy)

    for _ in range(config["epochs"]):
        if flaw == "validation first":
            validate()
        order = np.arange(len(X)) if flaw == "one step" else rng.permutation(len(X))
        batches = [
            order[i : i + config["batch_size"]] for i in range(0, len(X), config["batch_size"])
        ]
        batch_losses = []
        for batch in batches[:1] if flaw == "one step" else batches:
            scores, caches = mlp_forward(X[batch], params, activation)
            loss, dscores = losses.softmax_cross_entropy(scores, y[batch])
            grads = mlp_backward(dscores, caches, activation)
            for key in params:
                if flaw == "in place":
                    params[key] -= lr * grads[key]
                else:
                    params[key] = params[key] - lr * grads[key]
            batch_losses.append(loss)
            if flaw == "per batch":
                history["train_loss"].append(loss)
                validate()
        if flaw != "per batch":
            history["train_loss"].append(float(np.mean(batch_losses)))
            if flaw != "validation first":
                validate()
    return params, history


def _flat(params, keys):
    return np.concatenate([np.ravel(np.asarray(params[key], dtype=np.float64)) for key in keys])


def _train_variant(flaw):
    def wrong(params, X, y, X_val, y_val, config):
        trained, history = _reference_train(params, X, y, X_val, y_val, config, flaw)
        return _flat(trained, sorted(trained)), history

    return wrong


def _params_variant(flaw):
    return lambda *args: _train_variant(flaw)(*args)[0]


WRONG_DIRECTION = Mistake(
    "step in the wrong direction",
    "Each update is params[key] - learning_rate * grads[key]: against the gradient.",
    _params_variant("wrong direction"),
    "params",
)
ACTIVATION_IGNORED = Mistake(
    "activation in config ignored",
    "Pass config.get('activation', 'relu') to both mlp_forward and mlp_backward.",
    _params_variant("activation ignored"),
    "params",
)
PARAMS_IN_PLACE = Mistake(
    "params updated in place",
    "`params[key] -= ...` (or storing into the caller's dict) changes the params you were "
    "given. Start from a copy: params = {key: value.copy() for key, value in params.items()}.",
    _params_variant("in place"),
    "mutated params",
)
PER_BATCH_HISTORY = Mistake(
    "history recorded per mini-batch",
    "Append to history once per epoch, after the loop over that epoch's batches.",
    _train_variant("per batch"),
    "behaviour",
)
VALIDATION_FIRST = Mistake(
    "validation measured before the epoch's updates",
    "Measure val_loss and val_acc at the end of each epoch, with the params it produced.",
    _train_variant("validation first"),
    "behaviour",
)
PERCENT = Mistake(
    "val_acc as a percentage",
    "Record accuracy as a fraction between 0 and 1: np.mean(predictions == y_val).",
    _train_variant("percent"),
    "behaviour",
)
NOT_REPRODUCIBLE = Mistake(
    "shuffling not seeded from config",
    "Make one generator per run, rng = np.random.default_rng(config.get('seed', 0)), and "
    "pass it to iterate_minibatches every epoch: then the same config gives the same run.",
    _train_variant("unseeded"),
    "behaviour",
)
SEED_IGNORED = Mistake(
    "config['seed'] ignored",
    "Seed the generator with config.get('seed', 0), not a fixed number, so different seeds "
    "give different shuffles.",
    _train_variant("seed ignored"),
    "behaviour",
)
ONE_STEP = Mistake(
    "only one mini-batch step per epoch",
    "Update the params after *every* mini-batch of the epoch, not once per epoch.",
    _train_variant("one step"),
    "behaviour",
)

TRAIN_MISTAKES = (
    WRONG_DIRECTION,
    ACTIVATION_IGNORED,
    PARAMS_IN_PLACE,
    PER_BATCH_HISTORY,
    VALIDATION_FIRST,
    PERCENT,
    NOT_REPRODUCIBLE,
    SEED_IGNORED,
    ONE_STEP,
)

_HISTORY_KEYS = ("train_loss", "val_loss", "val_acc")
_SAME_SHAPES = "Training changes the values of the params, not their shapes."


def _train_problem(data_seed, N, N_val, D, C, hidden):
    rng = np.random.default_rng(data_seed)
    params = init_mlp([D, *hidden, C], rng)
    for key in params:
        if key.startswith("b"):
            params[key] = 0.1 * rng.standard_normal(params[key].shape)
    centres = 1.5 * rng.standard_normal((C, D))
    y = rng.integers(0, C, N)
    y_val = rng.integers(0, C, N_val)
    X = centres[y] + rng.standard_normal((N, D))
    X_val = centres[y_val] + rng.standard_normal((N_val, D))
    return params, X, y, X_val, y_val


def _copy(params):
    return {key: value.copy() for key, value in params.items()}


def _full_batch(params, X, y, config, activation):
    """Parameters after each full-batch step, and the training loss before each."""
    steps, before = [params], []
    for _ in range(config["epochs"]):
        scores, caches = mlp_forward(X, steps[-1], activation)
        loss, dscores = losses.softmax_cross_entropy(scores, y)
        grads = mlp_backward(dscores, caches, activation)
        steps.append(
            {key: value - config["learning_rate"] * grads[key] for key, value in steps[-1].items()}
        )
        before.append(loss)
    after = [losses.cross_entropy_loss(mlp_forward(X, p, activation)[0], y) for p in steps[1:]]
    return steps, before, after


def _history_lists(t, history, epochs, N, batch_size):
    if not isinstance(history, dict):
        t.fail(
            "type",
            f"history should be a dict with lists {', '.join(_HISTORY_KEYS)}, got "
            f"{type(history).__name__}.",
        )
    missing = [key for key in _HISTORY_KEYS if key not in history]
    if missing:
        t.fail(
            "type", f"history is missing {', '.join(missing)}; it needs {', '.join(_HISTORY_KEYS)}."
        )
    lists = {}
    for key in _HISTORY_KEYS:
        try:
            values = np.asarray(history[key], dtype=np.float64)
        except (TypeError, ValueError):
            t.fail("type", f"history[{key!r}] should be a list of numbers.")
        if values.ndim != 1:
            t.fail("type", f"history[{key!r}] should be a flat list of numbers, one per epoch.")
        lists[key] = values
    t.passed("type", "returns (params, history) with history's three lists")
    batches = -(-N // batch_size)
    for key, values in lists.items():
        if len(values) != epochs:
            per_batch = batches > 1 and len(values) == epochs * batches
            t.fail(
                "shape",
                f"history[{key!r}] has {len(values)} entries; expected {epochs}, one per epoch.",
                PER_BATCH_HISTORY if per_batch else None,
            )
    return lists


@verifier(
    "train",
    cases=[
        dict(
            N=24,
            N_val=10,
            D=4,
            C=3,
            hidden=(6,),
            learning_rate=0.5,
            epochs=3,
            batch_size=32,
            seed=None,
            activation=None,
            data_seed=0,
            label="full-batch steps (batch_size > N) with the default activation and seed",
        ),
        dict(
            N=20,
            N_val=8,
            D=3,
            C=4,
            hidden=(5,),
            learning_rate=0.3,
            epochs=2,
            batch_size=20,
            seed=3,
            activation="sigmoid",
            data_seed=1,
            label="a sigmoid network with batch_size = N",
        ),
        dict(
            N=24,
            N_val=9,
            D=4,
            C=3,
            hidden=(5,),
            learning_rate=2e-4,
            epochs=2,
            batch_size=6,
            seed=1,
            activation="relu",
            data_seed=2,
            label="mini-batches of 6 with a tiny learning rate",
        ),
        dict(
            N=23,
            N_val=7,
            D=3,
            C=3,
            hidden=(4,),
            learning_rate=0.0,
            epochs=2,
            batch_size=5,
            seed=0,
            activation="relu",
            data_seed=3,
            label="learning_rate = 0",
        ),
    ],
    catalog=TRAIN_MISTAKES,
    uses=(
        "sgd",
        "iterate_minibatches",
        "mlp_forward",
        "mlp_backward",
        "cross_entropy_loss",
        "softmax_cross_entropy_backward",
    ),
)
def verify_train(
    t,
    N,
    N_val,
    D,
    C,
    hidden,
    learning_rate,
    epochs,
    batch_size,
    seed=None,
    activation=None,
    data_seed=0,
):
    """Check ``train`` on a small generated classification problem.

    ``seed=None`` / ``activation=None`` leave those keys out of config (their
    defaults). Every case checks types, history lengths, that the last
    validation entries describe the params returned, and that the params
    given are not modified. Which kwargs allow an exact check of the params:

    - ``learning_rate=0``: the params must come back unchanged;
    - ``batch_size >= N``: every epoch is one full-batch step, so the params
      (and train_loss) must match full-batch gradient descent exactly;
    - ``N % batch_size == 0`` and ``learning_rate * epochs * N / batch_size <= 0.01``:
      to first order the params move by the per-sample gradients once per epoch.

    Any other mini-batch case (``0 < batch_size < N``) is checked for
    reproducibility and for using ``config["seed"]``, but not for its values.
    """
    params, X, y, X_val, y_val = _train_problem(data_seed, N, N_val, D, C, tuple(hidden))
    config = {"learning_rate": learning_rate, "epochs": epochs, "batch_size": batch_size}
    if seed is not None:
        config["seed"] = seed
    if activation is not None:
        config["activation"] = activation
    act = activation or "relu"
    keys = sorted(params)

    def run(config, problem=(params, X, y, X_val, y_val)):
        out = t.call(*copies(*problem), dict(config))
        named = t.unpack(out, ["params", "history"])
        expect_dict_of_arrays(
            t,
            named["params"],
            sorted(problem[0]),
            "params",
            because="with the same keys as the params given",
        )
        return named["params"], named["history"]

    t.diagnose_with(
        _reference_train,
        TRAIN_MISTAKES,
        unpack=lambda raw: {"params": _flat(raw[0], keys)},
    )
    trained, history = run(config)
    lists = _history_lists(t, history, epochs, N, batch_size)
    expect_all_shapes(
        t,
        [(trained[key], params[key].shape, f"params[{key!r}]", _SAME_SHAPES) for key in keys],
        f"params keep their shapes; history has {epochs} entries per list",
    )

    got = _flat(trained, keys)
    start = _flat(params, keys)
    previous = None
    if learning_rate == 0:
        _expect_params(t, trained, params, keys, " the params given (learning_rate is 0)")
    elif batch_size >= N:
        steps, before, after = _full_batch(params, X, y, config, act)
        _expect_params(
            t,
            trained,
            steps[-1],
            keys,
            f" {epochs} step{'s' if epochs != 1 else ''} of full-batch gradient descent",
        )
        _check_train_loss(t, lists["train_loss"], before, after)
        previous = steps[-2] if epochs else None
    elif N % batch_size == 0 and learning_rate * epochs * N / batch_size <= 0.01:
        _check_small_steps(t, got, start, params, X, y, config, act, keys)
    if epochs:
        _check_validation(t, trained, lists, X_val, y_val, act, previous)

    if learning_rate and batch_size < N:
        again, _ = run(config)
        if not np.array_equal(_flat(again, keys), got):
            t.fail(
                "randomness",
                "two runs with the same config gave different params.",
                NOT_REPRODUCIBLE,
            )
        # Whether the seed matters is asked on a problem of our own, with no dead ReLUs and
        # equal batches, where any two shuffles give different params.
        probe = _train_problem(7, 12, 4, 3, 3, (5,))
        probe_config = {"learning_rate": 0.1, "epochs": 2, "batch_size": 4, "activation": "sigmoid"}
        first, _ = run({**probe_config, "seed": 1}, probe)
        second, _ = run({**probe_config, "seed": 2}, probe)
        if np.array_equal(_flat(first, sorted(first)), _flat(second, sorted(second))):
            t.fail(
                "randomness",
                "two runs that differ only in config['seed'] gave exactly the same params, so "
                "the seed is not what shuffles the mini-batches.",
                SEED_IGNORED,
            )
        t.passed("randomness", "the same seed repeats a run; another seed shuffles differently")
    t.expect_unchanged(["params", "X", "y", "X_val", "y_val"])


def _expect_params(t, trained, expected, keys, against):
    """Every returned parameter must match; a mismatch is named from all params at once."""
    worst = 0.0
    for key in keys:
        error = rel_error(trained[key], expected[key])
        if not error < t.tol:
            t.fail(
                "values",
                mismatch(f"params[{key!r}]", trained[key], expected[key], against),
                t.identify("params", _flat(trained, keys)),
            )
        worst = max(worst, error)
    t.passed("values", f"params match{against} (largest relative error {worst:.0e})")


def _check_train_loss(t, train_loss, before, after):
    for convention, losses_ in (("before", before), ("after", after)):
        if np.allclose(train_loss, losses_, rtol=1e-5, atol=1e-12):
            t.passed("values", f"train_loss matches the loss {convention} each epoch's step")
            return
    t.fail(
        "values",
        f"history['train_loss'] is {np.round(train_loss, 6).tolist()}; with one full batch "
        f"per epoch expected the loss before each step, {np.round(before, 6).tolist()} "
        f"(or after it, {np.round(after, 6).tolist()}).",
    )


def _check_small_steps(t, got, start, params, X, y, config, activation, keys):
    """Mini-batch SGD with a tiny learning rate, checked whatever the order of the batches.

    To first order in the learning rate, every step adds -learning_rate / batch_size times
    the gradients of its batch's samples, so over E epochs the params move by
    -learning_rate / batch_size * E * (the sum of all per-sample gradients). Solving
    ``moved = -learning_rate / batch_size * G @ counts`` for the per-sample counts also
    tells how many samples' gradients each epoch really used.
    """
    epochs, batch_size, rate = config["epochs"], config["batch_size"], config["learning_rate"]
    per_sample = []
    for i in range(len(X)):
        scores, caches = mlp_forward(X[i : i + 1], params, activation)
        _, dscores = losses.softmax_cross_entropy(scores, y[i : i + 1])
        per_sample.append(_flat(mlp_backward(dscores, caches, activation), keys))
    G = np.stack(per_sample, axis=1)
    expected = -rate / batch_size * epochs * G.sum(axis=1)
    moved = got - start
    updates = epochs * len(X) // batch_size
    if np.linalg.norm(moved - expected) > 0.2 * np.linalg.norm(expected):
        message = (
            f"with a tiny learning rate, {updates} mini-batch steps ({epochs} epochs of "
            f"{len(X) // batch_size} batches) should move the params by learning_rate / "
            f"batch_size times the gradients of all {len(X)} samples, once per epoch, "
            "whatever the order."
        )
        mistake = None
        if moved @ expected < 0:
            message += " Yours moved them uphill, with the gradient."
            mistake = WRONG_DIRECTION
        else:
            target = -moved * batch_size / rate
            counts = np.linalg.lstsq(G, target, rcond=None)[0]
            if np.linalg.norm(G @ counts - target) < 0.1 * np.linalg.norm(target):
                used = float(counts.sum()) / epochs
                message += f" Yours moved them as if each epoch used about {used:.0f} samples."
                if abs(used - batch_size) < 0.25 * batch_size:
                    mistake = ONE_STEP
        t.fail("values", message, mistake)
    t.passed("values", f"params moved like {updates} small steps of mini-batch gradient descent")


def _nearly(a, b, tol=1e-5):
    return abs(a - b) <= tol * max(abs(a) + abs(b), 1e-8)


def _check_validation(t, trained, lists, X_val, y_val, activation, previous):
    """The last validation entries must describe the params returned.

    ``previous`` are the params before the last epoch, when known (full batches).
    """
    scores, _ = mlp_forward(X_val, trained, activation)
    val_loss, val_acc = losses.cross_entropy_loss(scores, y_val), _accuracy(scores, y_val)
    got_loss, got_acc = float(lists["val_loss"][-1]), float(lists["val_acc"][-1])
    if not _nearly(got_loss, val_loss):
        mistake = None
        if previous is not None:
            earlier = losses.cross_entropy_loss(mlp_forward(X_val, previous, activation)[0], y_val)
            if _nearly(got_loss, earlier):
                mistake = VALIDATION_FIRST
        t.fail(
            "values",
            f"history['val_loss'][-1] is {got_loss:.6g}, but the params you returned have "
            f"validation loss {val_loss:.6g}.",
            mistake,
        )
    t.passed("values", "val_loss[-1] is the validation loss of the params returned")
    if abs(got_acc - val_acc) > 1e-9:
        t.fail(
            "values",
            f"history['val_acc'][-1] is {got_acc:g}, but the params you returned classify a "
            f"fraction {val_acc:g} of the validation set correctly.",
            PERCENT if abs(got_acc - 100 * val_acc) < 1e-6 else None,
        )
    t.passed("values", "val_acc[-1] is the accuracy of the params returned")
