"""Checks of lesson 05: xavier_init, he_init, batchnorm_forward, batchnorm_backward."""

from __future__ import annotations

import numpy as np
import pytest

import backprop_lib as bl
from backprop_lib.checks import check_batchnorm_backward

from .util import assert_named, cases_pass, failure, passes

# -- initialisers --------------------------------------------------------------------------------


def _normal(std, transposed=False):
    def init(fan_in, fan_out, rng):
        shape = (fan_out, fan_in) if transposed else (fan_in, fan_out)
        return rng.standard_normal(shape) * std(fan_in, fan_out)

    return init


def _xavier(fan_in, fan_out):
    return np.sqrt(2 / (fan_in + fan_out))


def _he(fan_in, fan_out):
    return np.sqrt(2 / fan_in)


def _shared(std):
    """The wrong versions both initialisers can be written as, around the right ``std``."""
    return {
        "shape transposed": _normal(std, transposed=True),
        "variance used as std": _normal(lambda i, o: std(i, o) ** 2),
        "uniform limit set to the standard deviation": lambda i, o, rng: rng.uniform(
            -std(i, o), std(i, o), size=(i, o)
        ),
        "weights not centred on zero": lambda i, o, rng: rng.random((i, o)) * std(i, o) * 2,
        "global np.random used instead of rng": lambda i, o, rng: np.random.randn(i, o) * std(i, o),
        "rng argument not used": lambda i, o, rng: _normal(std)(i, o, np.random.default_rng(1)),
    }


# -- batch normalisation ------------------------------------------------------------------------


def _bn_forward(axis=0, ddof=0, eps_where="inside", swap=False, use_eps=True, root=True):
    def batchnorm_forward(X, gamma, beta, eps=1e-5):
        eps = eps if use_eps else 0.0
        mean = X.mean(axis=axis, keepdims=True)
        var = X.var(axis=axis, ddof=ddof, keepdims=True)
        if not root:
            X_hat = (X - mean) / (var + eps)
        elif eps_where == "inside":
            X_hat = (X - mean) / np.sqrt(var + eps)
        else:
            X_hat = (X - mean) / (np.sqrt(var) + eps)
        out = beta * X_hat + gamma if swap else gamma * X_hat + beta
        return out, (X_hat, gamma, np.sqrt(var + eps))

    return batchnorm_forward


def _my_forward(X, gamma, beta, eps=1e-5):
    """A student's forward with a cache of their own design."""
    mu = X.mean(axis=0)
    var = X.var(axis=0)
    X_hat = (X - mu) / np.sqrt(var + eps)
    return gamma * X_hat + beta, {"X": X, "mu": mu, "var": var, "eps": eps, "gamma": gamma}


def _my_backward(flaw=None):
    def batchnorm_backward(dout, cache):
        X, mu, var, eps, gamma = (cache[k] for k in ("X", "mu", "var", "eps", "gamma"))
        inv_std = 1 / np.sqrt(var + eps)
        X_hat = (X - mu) * inv_std
        dX_hat = dout if flaw == "no gamma" else dout * gamma
        if flaw == "constants":
            dX = dX_hat * inv_std
        elif flaw == "variance constant":
            dX = inv_std * (dX_hat - dX_hat.mean(axis=0))
        elif flaw == "mean constant":
            dX = inv_std * (dX_hat - X_hat * np.mean(dX_hat * X_hat, axis=0))
        else:
            dX = inv_std * (dX_hat - dX_hat.mean(axis=0) - X_hat * np.mean(dX_hat * X_hat, axis=0))
        dgamma = dout * X_hat if flaw == "dgamma" else np.sum(dout * X_hat, axis=0)
        dbeta = dout if flaw == "dbeta" else np.sum(dout, axis=0)
        return dX, dgamma, dbeta

    return batchnorm_backward


WRONG_IMPLEMENTATIONS = {
    **{("xavier_init", title): fn for title, fn in _shared(_xavier).items()},
    ("xavier_init", "wrong fan used"): _normal(lambda i, o: np.sqrt(1 / i)),
    ("xavier_init", "He formula used instead of Xavier"): _normal(_he),
    **{("he_init", title): fn for title, fn in _shared(_he).items()},
    ("he_init", "wrong fan used"): _normal(lambda i, o: np.sqrt(2 / o)),
    ("he_init", "factor 2 missing"): _normal(lambda i, o: np.sqrt(1 / i)),
    ("he_init", "Xavier formula used instead of He"): _normal(_xavier),
    ("batchnorm_forward", "unbiased variance (ddof=1)"): _bn_forward(ddof=1),
    ("batchnorm_forward", "eps ignored"): _bn_forward(use_eps=False),
    ("batchnorm_forward", "eps added outside the square root"): _bn_forward(eps_where="outside"),
    ("batchnorm_forward", "variance used instead of standard deviation"): _bn_forward(root=False),
    ("batchnorm_forward", "normalised along the wrong axis"): _bn_forward(axis=1),
    ("batchnorm_forward", "gamma and beta swapped"): _bn_forward(swap=True),
    ("batchnorm_backward", "mean and variance treated as constants"): (
        _my_backward("constants"),
        _my_forward,
    ),
    ("batchnorm_backward", "variance treated as a constant"): (
        _my_backward("variance constant"),
        _my_forward,
    ),
    ("batchnorm_backward", "mean treated as a constant"): (
        _my_backward("mean constant"),
        _my_forward,
    ),
    ("batchnorm_backward", "gamma left out of dX"): (_my_backward("no gamma"), _my_forward),
    ("batchnorm_backward", "dgamma not summed over the batch"): (
        _my_backward("dgamma"),
        _my_forward,
    ),
    ("batchnorm_backward", "dbeta not summed over the batch"): (
        _my_backward("dbeta"),
        _my_forward,
    ),
}


@pytest.mark.parametrize("key", sorted(WRONG_IMPLEMENTATIONS), ids=" / ".join)
def test_mistake_is_named(key):
    """Is each known mistake of lesson 05 caught, and named by its title?"""
    assert_named(key[0], WRONG_IMPLEMENTATIONS[key], key[1])


# -- correct alternatives ------------------------------------------------------------------------


def _bn_forward_loops(X, gamma, beta, eps=1e-5):
    N, D = X.shape
    out = np.empty_like(X)
    for d in range(D):
        column = X[:, d]
        mean = sum(column) / N
        var = sum((value - mean) ** 2 for value in column) / N
        out[:, d] = gamma[d] * (column - mean) / np.sqrt(var + eps) + beta[d]
    return out, (X, gamma, eps)


def _bn_backward_graph(dout, cache):
    """The staged computational-graph backward, from the cache of _bn_forward_loops."""
    X, gamma, eps = cache
    N = X.shape[0]
    mu = X.mean(axis=0)
    xmu = X - mu
    var = (xmu**2).mean(axis=0)
    sqrtvar = np.sqrt(var + eps)
    ivar = 1 / sqrtvar
    X_hat = xmu * ivar
    dbeta = dout.sum(axis=0)
    dgamma = (dout * X_hat).sum(axis=0)
    dX_hat = dout * gamma
    divar = (dX_hat * xmu).sum(axis=0)
    dxmu1 = dX_hat * ivar
    dsqrtvar = -divar / sqrtvar**2
    dvar = 0.5 * dsqrtvar / sqrtvar
    dsq = np.ones_like(X) * dvar / N
    dxmu2 = 2 * xmu * dsq
    dx1 = dxmu1 + dxmu2
    dmu = -dx1.sum(axis=0)
    return dx1 + dmu / N, dgamma, dbeta


ALTERNATIVES = [
    ("xavier_init", lambda i, o, rng: rng.normal(0.0, np.sqrt(2 / (i + o)), size=(i, o))),
    (
        "xavier_init",
        lambda i, o, rng: rng.uniform(-np.sqrt(6 / (i + o)), np.sqrt(6 / (i + o)), (i, o)),
    ),
    ("he_init", lambda i, o, rng: rng.standard_normal((i, o)).astype(np.float32) * np.sqrt(2 / i)),
    ("he_init", lambda i, o, rng: rng.uniform(-np.sqrt(6 / i), np.sqrt(6 / i), (i, o))),
    ("batchnorm_forward", _bn_forward_loops),
    ("batchnorm_forward", _bn_forward()),
    ("batchnorm_backward", (_bn_backward_graph, _bn_forward_loops)),
    ("batchnorm_backward", (_my_backward(), _my_forward)),
]


@pytest.mark.parametrize("name, entry", ALTERNATIVES)
def test_correct_alternatives_pass(name, entry):
    """Does a correct solution written another way (uniform weights, loops, a staged graph) pass?"""
    passes(name, entry)


OTHER_CASES = {
    "xavier_init": [dict(fan_in=320, fan_out=260, seed=61), dict(fan_in=90, fan_out=700, seed=62)],
    "he_init": [dict(fan_in=640, fan_out=100, seed=63)],
    "batchnorm_forward": [dict(N=9, D=2, seed=64, eps=None), dict(N=3, D=8, seed=65, eps=0.5)],
}


@pytest.mark.parametrize("name", sorted(OTHER_CASES))
def test_other_seeds_and_shapes(name):
    """Do the checks work on the hidden tests' kind of cases (other seeds, non-square shapes)?"""
    cases_pass(name, getattr(bl, name), OTHER_CASES[name])


def test_batchnorm_backward_on_other_shapes():
    """Does the batchnorm_backward check work on other shapes, given the forward as extra code?"""
    cases_pass(
        "batchnorm_backward",
        (bl.batchnorm_backward, bl.batchnorm_forward),
        [dict(N=11, D=3, seed=66), dict(N=2, D=5, seed=67)],
    )


def test_batchnorm_backward_asks_for_the_forward():
    """Is a student who forgets to pass their forward told how to call the check?"""
    with pytest.raises(Exception, match=r"check_batchnorm_backward\(batchnorm_backward, "):
        check_batchnorm_backward(bl.batchnorm_backward)


def test_batchnorm_backward_needs_a_working_forward():
    """Does a broken forward get blamed on the forward, not on the backward?"""
    message = failure("batchnorm_backward", (bl.batchnorm_backward, _bn_forward(ddof=1)))
    assert "check_batchnorm_forward pass first" in message
