"""Verifiers for lesson 05: xavier_init, he_init, batchnorm_forward, batchnorm_backward.

Initialisers are random, so they are checked statistically on a large layer
drawn from a seeded generator: shape, mean near 0, standard deviation within
2% of the target (normal or uniform, both fine), the same weights from the
same seed, and np.random's global state left alone. A wrong standard
deviation is named by drawing each known mistake from the same seed and
comparing statistics, never values.
"""

from __future__ import annotations

import numpy as np

from .. import batchnorm
from ._core import Mistake, _close, quiet_call, verifier
from ._helpers import (
    copies,
    driving,
    expect_arrays,
    expect_gradient,
    numeric_input_gradient,
    outputs,
)

__all__ = [
    "XAVIER_INIT_MISTAKES",
    "HE_INIT_MISTAKES",
    "BATCHNORM_FORWARD_MISTAKES",
    "BATCHNORM_BACKWARD_MISTAKES",
]

_STD_TOL = 0.02


# -- initialisers ----------------------------------------------------------------------------


def _normal(std):
    return lambda fan_in, fan_out, rng: (
        std(fan_in, fan_out) * rng.standard_normal((fan_in, fan_out))
    )


def _xavier_std(fan_in, fan_out):
    return np.sqrt(2.0 / (fan_in + fan_out))


def _he_std(fan_in, fan_out):
    return np.sqrt(2.0 / fan_in)


def _transposed(std):
    return lambda fan_in, fan_out, rng: (
        std(fan_in, fan_out) * rng.standard_normal((fan_out, fan_in))
    )


def _uniform_limit_is_std(std):
    return lambda fan_in, fan_out, rng: rng.uniform(
        -std(fan_in, fan_out), std(fan_in, fan_out), (fan_in, fan_out)
    )


def _not_centred(std):
    return lambda fan_in, fan_out, rng: std(fan_in, fan_out) * rng.random((fan_in, fan_out))


def _global(std):
    return lambda fan_in, fan_out, rng: (
        std(fan_in, fan_out) * np.random.standard_normal((fan_in, fan_out))
    )


def _fixed_seed(std):
    return lambda fan_in, fan_out, rng: _normal(std)(fan_in, fan_out, np.random.default_rng(0))


def _init_mistakes(std, formula):
    """Mistakes both initialisers share; ``std`` is the right standard deviation."""
    return (
        Mistake(
            "shape transposed",
            f"W maps fan_in inputs to fan_out units, so its shape is (fan_in, fan_out): "
            f"rng.standard_normal((fan_in, fan_out)) * {formula}.",
            _transposed(std),
            "shape",
        ),
        Mistake(
            "variance used as std",
            f"{formula} is the standard deviation; the variance would be its square. Multiply "
            "standard normal draws by the standard deviation, not by the variance.",
            _normal(lambda fan_in, fan_out: std(fan_in, fan_out) ** 2),
            "std",
        ),
        Mistake(
            "uniform limit set to the standard deviation",
            f"U(-a, a) has standard deviation a / sqrt(3). For uniform weights use a = sqrt(3) "
            f"* {formula}, or draw normal ones.",
            _uniform_limit_is_std(std),
            "std",
        ),
        Mistake(
            "weights not centred on zero",
            "rng.random draws from [0, 1): the weights must have mean 0. Use "
            "rng.standard_normal, or rng.uniform(-a, a).",
            _not_centred(std),
            "mean",
        ),
        Mistake(
            "global np.random used instead of rng",
            "Draw from the generator you are given, rng.standard_normal(...), not "
            "np.random.randn: then the same seed gives the same weights.",
            _global(std),
            "behaviour",
        ),
        Mistake(
            "rng argument not used",
            "Draw from the generator you are given; a generator of your own (with a fixed "
            "seed or none) ignores the caller's seed.",
            _fixed_seed(std),
            "behaviour",
        ),
    )


XAVIER_INIT_MISTAKES = (
    *_init_mistakes(_xavier_std, "sqrt(2 / (fan_in + fan_out))"),
    Mistake(
        "wrong fan used",
        "Xavier averages both fans: std = sqrt(2 / (fan_in + fan_out)), not sqrt(1 / fan_in).",
        _normal(lambda fan_in, fan_out: np.sqrt(1.0 / fan_in)),
        "std",
    ),
    Mistake(
        "He formula used instead of Xavier",
        "sqrt(2 / fan_in) is He initialisation, for ReLU; Xavier is sqrt(2 / (fan_in + fan_out)).",
        _normal(_he_std),
        "std",
    ),
)

HE_INIT_MISTAKES = (
    *_init_mistakes(_he_std, "sqrt(2 / fan_in)"),
    Mistake(
        "wrong fan used",
        "He initialisation divides by the number of *inputs*: std = sqrt(2 / fan_in), "
        "not sqrt(2 / fan_out).",
        _normal(lambda fan_in, fan_out: np.sqrt(2.0 / fan_out)),
        "std",
    ),
    Mistake(
        "factor 2 missing",
        "ReLU zeroes half its inputs, and the 2 makes up for it: std = sqrt(2 / fan_in), "
        "not sqrt(1 / fan_in).",
        _normal(lambda fan_in, fan_out: np.sqrt(1.0 / fan_in)),
        "std",
    ),
    Mistake(
        "Xavier formula used instead of He",
        "sqrt(2 / (fan_in + fan_out)) is Xavier initialisation; He is sqrt(2 / fan_in).",
        _normal(_xavier_std),
        "std",
    ),
)


def _by_title(mistakes, title):
    return next(mistake for mistake in mistakes if mistake.title == title)


def _std_tolerance(fan_in, fan_out):
    """2%, or five standard errors of a sample standard deviation for small layers."""
    return max(_STD_TOL, 5.0 / np.sqrt(2.0 * fan_in * fan_out))


def _statistically(mistakes, output, statistic, got, seed, fan_in, fan_out):
    """The mistake whose draw from the same seed has the ``statistic`` closest to ``got``
    (within the tolerance), or None."""
    if not got:
        return None
    best, best_gap = None, _std_tolerance(fan_in, fan_out)
    for mistake in mistakes:
        if mistake.output != output:
            continue
        sample = quiet_call(mistake.wrong, fan_in, fan_out, np.random.default_rng(seed))
        if sample.error is None:
            gap = abs(statistic(sample.value) / got - 1)
            if gap < best_gap:
                best, best_gap = mistake, gap
    return best


def _same_global_state(before, after):
    return before[0] == after[0] and np.array_equal(before[1], after[1]) and before[2:] == after[2:]


def _verify_init(t, name, std, formula, mistakes, fan_in, fan_out, seed):
    target = std(fan_in, fan_out)
    t.diagnose_with(_normal(std), mistakes)
    before = np.random.get_state()
    W = t.call(fan_in, fan_out, np.random.default_rng(seed))
    touched = not _same_global_state(before, np.random.get_state())
    t.expect_array(W, "W")
    t.passed("type", "returns an ndarray")
    if W.shape != (fan_in, fan_out):
        t.fail(
            "shape",
            f"W has shape {W.shape}, expected (fan_in, fan_out) = {(fan_in, fan_out)}: one row "
            "per input, one column per unit.",
            _by_title(mistakes, "shape transposed") if W.shape == (fan_out, fan_in) else None,
        )
    t.passed("shape", f"W has shape {(fan_in, fan_out)}")

    mean, spread = float(W.mean()), float(W.std())
    if not np.all(np.isfinite(W)):
        t.fail("values", "W contains inf or nan values.")
    if abs(mean) > 5 * target / np.sqrt(W.size):
        t.fail(
            "values",
            f"the weights average {mean:.3g}; they should be centred on 0.",
            _by_title(mistakes, "weights not centred on zero"),
        )
    if abs(spread / target - 1) > _std_tolerance(fan_in, fan_out):
        t.fail(
            "values",
            f"the weights have standard deviation {spread:.4g}; {name} should give "
            f"{formula} = {target:.4g} for fan_in={fan_in}, fan_out={fan_out}.",
            _statistically(mistakes, "std", np.std, spread, seed, fan_in, fan_out),
        )
    t.passed(
        "values", f"mean {mean:.1e} and standard deviation {spread:.4g} (expected {target:.4g})"
    )

    if touched:
        t.fail(
            "randomness",
            f"{name} changed np.random's global state.",
            _by_title(mistakes, "global np.random used instead of rng"),
        )
    again = t.call(fan_in, fan_out, np.random.default_rng(seed))
    other = t.call(fan_in, fan_out, np.random.default_rng(seed + 1))
    ignored = _by_title(mistakes, "rng argument not used")
    if not (isinstance(again, np.ndarray) and np.array_equal(again, W)):
        t.fail("randomness", "two generators with the same seed gave different weights.", ignored)
    if isinstance(other, np.ndarray) and np.array_equal(other, W):
        t.fail("randomness", "generators with different seeds gave the same weights.", ignored)
    t.passed("randomness", "the same seed gives the same W, another seed another W")


@verifier(
    "xavier_init",
    cases=[
        dict(fan_in=500, fan_out=200, seed=0, label="a 500 x 200 layer"),
        dict(fan_in=150, fan_out=450, seed=1, label="a 150 x 450 layer"),
    ],
    catalog=XAVIER_INIT_MISTAKES,
)
def verify_xavier_init(t, fan_in, fan_out, seed):
    """Use fan_in * fan_out >= 30,000 or so: smaller layers get a looser tolerance."""
    _verify_init(
        t,
        "xavier_init",
        _xavier_std,
        "sqrt(2 / (fan_in + fan_out))",
        XAVIER_INIT_MISTAKES,
        fan_in,
        fan_out,
        seed,
    )


@verifier(
    "he_init",
    cases=[
        dict(fan_in=500, fan_out=200, seed=0, label="a 500 x 200 layer"),
        dict(fan_in=150, fan_out=450, seed=1, label="a 150 x 450 layer"),
    ],
    catalog=HE_INIT_MISTAKES,
)
def verify_he_init(t, fan_in, fan_out, seed):
    """Use fan_in * fan_out >= 30,000 or so: smaller layers get a looser tolerance."""
    _verify_init(t, "he_init", _he_std, "sqrt(2 / fan_in)", HE_INIT_MISTAKES, fan_in, fan_out, seed)


# -- batch normalisation ----------------------------------------------------------------------


def _bn_problem(seed, N, D):
    rng = np.random.default_rng(seed)
    X = rng.normal(0.0, 3.0, D) + rng.uniform(0.5, 3.0, D) * rng.standard_normal((N, D))
    gamma = rng.uniform(0.5, 2.0, D)
    beta = rng.standard_normal(D)
    dout = rng.standard_normal((N, D))
    return X, gamma, beta, dout


def _bn_variant(flaw):
    def forward(X, gamma, beta, eps=1e-5):
        axis = 1 if flaw == "axis" else 0
        mean = X.mean(axis=axis, keepdims=True)
        var = X.var(axis=axis, keepdims=True, ddof=1 if flaw == "ddof" else 0)
        if flaw == "no eps":
            scale = np.sqrt(var)
        elif flaw == "eps outside":
            scale = np.sqrt(var) + eps
        elif flaw == "variance":
            scale = var + eps
        else:
            scale = np.sqrt(var + eps)
        X_hat = (X - mean) / scale
        return beta * X_hat + gamma if flaw == "swapped" else gamma * X_hat + beta

    return forward


BATCHNORM_FORWARD_MISTAKES = (
    Mistake(
        "unbiased variance (ddof=1)",
        "Batch norm uses the batch's own variance, X.var(axis=0) (ddof=0, dividing by N), "
        "not the unbiased estimate with N - 1.",
        _bn_variant("ddof"),
        "out",
    ),
    Mistake(
        "eps ignored",
        "Add eps to the variance before the square root, np.sqrt(var + eps), using the eps "
        "you are given: it keeps a feature with tiny variance from blowing up.",
        _bn_variant("no eps"),
        "out",
    ),
    Mistake(
        "eps added outside the square root",
        "eps goes inside: (X - mean) / np.sqrt(var + eps), not / (np.sqrt(var) + eps).",
        _bn_variant("eps outside"),
        "out",
    ),
    Mistake(
        "variance used instead of standard deviation",
        "Divide by the standard deviation, np.sqrt(var + eps), not by the variance.",
        _bn_variant("variance"),
        "out",
    ),
    Mistake(
        "normalised along the wrong axis",
        "Each feature is normalised over the batch: mean and variance over axis=0, one per column.",
        _bn_variant("axis"),
        "out",
    ),
    Mistake(
        "gamma and beta swapped",
        "gamma scales and beta shifts: out = gamma * X_hat + beta.",
        _bn_variant("swapped"),
        "out",
    ),
)


@verifier(
    "batchnorm_forward",
    cases=[
        dict(N=6, D=4, seed=0, eps=None, label="a batch of 6 samples, 4 features, default eps"),
        dict(N=5, D=3, seed=1, eps=0.1, label="5 samples with eps=0.1"),
    ],
    catalog=BATCHNORM_FORWARD_MISTAKES,
)
def verify_batchnorm_forward(t, N, D, seed, eps=None):
    """``eps=None`` calls ``batchnorm_forward(X, gamma, beta)`` and tests the default eps."""
    X, gamma, beta, _ = _bn_problem(seed, N, D)
    args = (X, gamma, beta) if eps is None else (X, gamma, beta, eps)
    square = _bn_problem(seed + 100, 4, 4)[:3]
    t.diagnose_with(
        batchnorm.batchnorm_forward,
        BATCHNORM_FORWARD_MISTAKES,
        probes=[square if eps is None else (*square, eps)],
        unpack=outputs("out", "cache"),
    )
    named = t.unpack(t.call(*copies(*args)), ["out", "cache"])
    t.expect_array(named["out"], "out")
    t.passed("type", "returns (out, cache) with out an ndarray")
    t.expect_shape(named["out"], (N, D), "out", because="Batch norm keeps the shape of X.")
    described = "" if eps is None else f", eps={eps:g}"
    t.expect_close(
        named["out"],
        batchnorm.batchnorm_forward(*args)[0],
        "out",
        against=f" gamma * (X - mean) / sqrt(var + eps) + beta{described}",
    )
    t.expect_unchanged(["X", "gamma", "beta"])


def _reference_backward(X, gamma, beta, dout):
    return batchnorm.batchnorm_backward(dout, batchnorm.batchnorm_forward(X, gamma, beta)[1])


def _bn_backward_variant(flaw):
    def backward(X, gamma, beta, dout):
        X_hat, inv_std, _ = batchnorm.batchnorm_forward(X, gamma, beta)[1]
        dX_hat = dout if flaw == "no gamma" else dout * gamma
        if flaw == "constants":
            dX = inv_std * dX_hat
        elif flaw == "variance constant":
            dX = inv_std * (dX_hat - dX_hat.mean(axis=0))
        elif flaw == "mean constant":
            dX = inv_std * (dX_hat - X_hat * (dX_hat * X_hat).mean(axis=0))
        else:
            dX = inv_std * (dX_hat - dX_hat.mean(axis=0) - X_hat * (dX_hat * X_hat).mean(axis=0))
        dgamma = dout * X_hat if flaw == "dgamma" else (dout * X_hat).sum(axis=0)
        dbeta = dout if flaw == "dbeta" else dout.sum(axis=0)
        return {"dX": dX, "dgamma": dgamma, "dbeta": dbeta}

    return backward


def _bn_mistake(title, hint, flaw, output):
    return Mistake(title, hint, lambda *args: _bn_backward_variant(flaw)(*args)[output], output)


BATCHNORM_BACKWARD_MISTAKES = (
    _bn_mistake(
        "mean and variance treated as constants",
        "The batch mean and variance depend on every sample, so dX has two more terms: "
        "dX = inv_std * (dX_hat - dX_hat.mean(axis=0) - X_hat * (dX_hat * X_hat).mean(axis=0)) "
        "with dX_hat = dout * gamma.",
        "constants",
        "dX",
    ),
    _bn_mistake(
        "variance treated as a constant",
        "You kept the mean's share but not the variance's: subtract "
        "X_hat * (dX_hat * X_hat).mean(axis=0) too.",
        "variance constant",
        "dX",
    ),
    _bn_mistake(
        "mean treated as a constant",
        "You kept the variance's share but not the mean's: subtract dX_hat.mean(axis=0) too.",
        "mean constant",
        "dX",
    ),
    _bn_mistake(
        "gamma left out of dX",
        "out = gamma * X_hat + beta, so the gradient reaching X_hat is dout * gamma.",
        "no gamma",
        "dX",
    ),
    _bn_mistake(
        "dgamma not summed over the batch",
        "gamma is shared by every sample: dgamma = (dout * X_hat).sum(axis=0), shape (D,).",
        "dgamma",
        "dgamma",
    ),
    _bn_mistake(
        "dbeta not summed over the batch",
        "beta is shared by every sample: dbeta = dout.sum(axis=0), shape (D,).",
        "dbeta",
        "dbeta",
    ),
)


def _through_forward(forward):
    """A driver: run the student's forward, hand its cache to their backward."""

    def driver(backward, X, gamma, beta, dout):
        _, cache = forward(X, gamma, beta)
        return backward(dout, cache)

    return driver


@verifier(
    "batchnorm_backward",
    cases=[
        dict(N=6, D=4, seed=0, label="a batch of 6 samples, 4 features"),
        dict(N=5, D=7, seed=1, label="a batch of 5 samples, 7 features"),
    ],
    catalog=BATCHNORM_BACKWARD_MISTAKES,
)
def verify_batchnorm_backward(t, N, D, seed):
    """The student's ``batchnorm_forward`` comes in ``t.extra[0]``: its cache is theirs."""
    forward = t.extra[0] if t.extra else None
    if not callable(forward):
        t.fail(
            "type",
            "check_batchnorm_backward needs your batchnorm_forward too, because the cache is "
            "of your own design: check_batchnorm_backward(batchnorm_backward, batchnorm_forward).",
        )
    X, gamma, beta, dout = _bn_problem(seed, N, D)
    ran = quiet_call(forward, X.copy(), gamma.copy(), beta.copy())
    expected_out = batchnorm.batchnorm_forward(X, gamma, beta)[0]
    if isinstance(ran.error, NotImplementedError):
        t.fail(
            "runs",
            "batchnorm_forward is not written yet, and this check runs it to get the cache: "
            "write it first (replace `raise NotImplementedError`).",
            not_done=True,
        )
    if ran.error is not None or ran.warnings:
        problem = (
            f"raised {type(ran.error).__name__}: {ran.error}" if ran.error else ran.warnings[0]
        )
        t.fail(
            "runs",
            f"your batchnorm_forward {problem}. Make check_batchnorm_forward pass first: this "
            "check runs it to get the cache.",
        )
    value = ran.value
    if (
        not isinstance(value, (tuple, list))
        or len(value) != 2
        or np.shape(value[0]) != expected_out.shape
        or not _close(value[0], expected_out, t.tol)
    ):
        t.fail(
            "runs",
            "your batchnorm_forward does not give the right (out, cache) yet. Make "
            "check_batchnorm_forward pass first: this check runs it to get the cache.",
        )

    names = ["dX", "dgamma", "dbeta"]
    t.diagnose_with(_reference_backward, BATCHNORM_BACKWARD_MISTAKES, unpack=outputs(*names))
    with driving(t, _through_forward(forward)):
        named = t.unpack(t.call(*copies(X, gamma, beta, dout)), names)
    expect_arrays(t, named, names, "returns (dX, dgamma, dbeta), three ndarrays")
    t.expect_shape(named["dX"], (N, D), "dX", because="dX has the shape of X.")
    t.expect_shape(named["dgamma"], (D,), "dgamma", because="One entry per feature, like gamma.")
    t.expect_shape(named["dbeta"], (D,), "dbeta", because="One entry per feature, like beta.")
    expected = _reference_backward(X, gamma, beta, dout)
    for name, want in zip(names, expected):
        t.expect_close(
            named[name], want, name, against=" the gradient through the batch mean and variance"
        )

    def forward_out(X, gamma, beta):
        return batchnorm.batchnorm_forward(X, gamma, beta)[0]

    for index, name in enumerate(names):
        expect_gradient(
            t,
            named[name],
            numeric_input_gradient(forward_out, (X, gamma, beta), index, dout),
            name,
            " central differences of batchnorm_forward",
        )
    t.expect_unchanged(["X", "gamma", "beta", "dout"])
