"""Verifiers for lesson 06: momentum and adam.

Both follow ``rule(w, dw, config=None) -> (next_w, config)`` and keep their
state in the returned config. A check takes one step, then chains several
steps for two parameters updated in turn, each with its own config, feeding
back whatever config the rule returned: state kept anywhere but in config
shows up there. Either velocity convention passes, as does a config updated
in place (as long as it is returned); a changed ``w`` or ``dw`` never does.
"""

from __future__ import annotations

import numpy as np

from .. import optim
from ._core import Mistake, verifier
from ._helpers import Broken, driving, mismatch, outputs
from .training import expect_config

__all__ = ["MOMENTUM_MISTAKES", "ADAM_MISTAKES"]

_DEFAULTS = {
    "momentum": {"learning_rate": 1e-2, "momentum": 0.9},
    "adam": {"learning_rate": 1e-3, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8},
}


def _chain(rule, ws, dws, config):
    """Update the parameters ``ws`` in turn with the gradients ``dws[k]`` of each step.

    Each parameter has its own config, starting from a copy of ``config`` and then
    whatever the rule returned. Returns the parameters after every step, shape
    ``(steps, len(ws)) + w.shape``, or :class:`Broken` saying what went wrong.
    """
    current = [np.array(w, dtype=np.float64) for w in ws]
    configs = [None if config is None else dict(config) for _ in ws]
    trail = []
    for step, grads in enumerate(dws, start=1):
        for j, dw in enumerate(grads):
            out = rule(current[j].copy(), np.array(dw), configs[j])
            if not isinstance(out, (tuple, list)) or len(out) != 2:
                return Broken(f"at step {step} returned {type(out).__name__}, not (next_w, config)")
            next_w, configs[j] = out
            if not isinstance(configs[j], dict):
                return Broken(
                    f"at step {step} returned a config of type {type(configs[j]).__name__}, "
                    "not a dict"
                )
            next_w = np.asarray(next_w, dtype=np.float64)
            if next_w.shape != current[j].shape:
                return Broken(f"at step {step} returned next_w of shape {next_w.shape}")
            current[j] = next_w.copy()
        trail.append(np.stack(current))
    return np.stack(trail)


def _problem(seed, shape, steps):
    rng = np.random.default_rng(seed)
    w = rng.standard_normal(shape)
    # Gradients bounded away from 0, so that every entry of an Adam step is well defined.
    magnitude = 0.2 + np.abs(rng.standard_normal((steps, 2, *shape)))
    dws = magnitude * rng.choice([-1.0, 1.0], (steps, 2, *shape))
    ws = np.stack([w, rng.standard_normal(shape)])
    return ws, dws


def _settings(config, name):
    """Hyperparameters given in ``config``, defaults for the rest."""
    return {key: (config or {}).get(key, value) for key, value in _DEFAULTS[name].items()}


# -- momentum ----------------------------------------------------------------------------------


def _momentum_variant(flaw=None):
    def rule(w, dw, config=None):
        config = dict(config or {})
        settings = _settings(None if flaw == "ignore config" else config, "momentum")
        velocity = config.get("velocity")
        if velocity is None or flaw == "no state":
            velocity = np.zeros_like(w)
        if flaw == "late velocity":
            next_w = w + velocity
        velocity = settings["momentum"] * velocity - settings["learning_rate"] * dw
        config["velocity"] = velocity
        if flaw == "late velocity":
            return next_w, config
        return (w - velocity if flaw == "wrong direction" else w + velocity), config

    return rule


def _first(rule):
    return lambda w, dw, config=None: rule(
        np.array(w), dw, None if config is None else dict(config)
    )[0]


def _chained(rule):
    return lambda ws, dws, config: _chain(rule, ws, dws, config)


MOMENTUM_MISTAKES = (
    Mistake(
        "step in the wrong direction",
        "The velocity accumulates *negative* gradients: v = momentum * v - learning_rate * dw, "
        "then next_w = w + v (or v = momentum * v + dw, next_w = w - learning_rate * v).",
        _first(_momentum_variant("wrong direction")),
        "next_w",
    ),
    Mistake(
        "hyperparameters in config ignored",
        "Read learning_rate and momentum from config (config.setdefault('learning_rate', "
        "1e-2), ...); the defaults are only for keys that are missing.",
        _first(_momentum_variant("ignore config")),
        "next_w",
    ),
    Mistake(
        "velocity used before it is updated",
        "Update the velocity with this step's gradient first, then move: "
        "v = momentum * v - learning_rate * dw; next_w = w + v.",
        _first(_momentum_variant("late velocity")),
        "next_w",
    ),
    Mistake(
        "state not kept in config",
        "Store the velocity in the config you return (config['velocity'] = v) and start from "
        "config.get('velocity') on the next call; otherwise every step starts from zero "
        "velocity and momentum is just SGD.",
        _chained(_momentum_variant("no state")),
        "chain",
    ),
    Mistake(
        "w updated in place",
        "`w += v` changes the caller's array. Return a new array: next_w = w + v.",
        _first(optim.momentum),
        "mutated w",
    ),
)


# -- adam ----------------------------------------------------------------------------------


def _adam_variant(flaw=None):
    def rule(w, dw, config=None):
        config = dict(config or {})
        s = _settings(None if flaw == "ignore config" else config, "adam")
        stateless = flaw == "no state"
        m = None if stateless else config.get("m")
        v = None if stateless else config.get("v")
        m = np.zeros_like(w) if m is None else m
        v = np.zeros_like(w) if v is None else v
        t = 1 if flaw in ("no state", "no step count") else config.get("t", 0) + 1
        m = s["beta1"] * m + (1 - s["beta1"]) * dw
        v = s["beta2"] * v + (1 - s["beta2"]) * dw * dw
        if flaw == "no bias correction":
            m_hat, v_hat = m, v
        else:
            power = t - 1 if flaw == "t starts at 0" else t
            m_hat = m / (1 - s["beta1"] ** power)
            v_hat = v / (1 - s["beta2"] ** power)
        root = v_hat if flaw == "no sqrt" else np.sqrt(v_hat)
        config.update(m=m, v=v, t=t)
        step = s["learning_rate"] * m_hat / (root + s["epsilon"])
        return (w + step if flaw == "wrong direction" else w - step), config

    return rule


ADAM_MISTAKES = (
    Mistake(
        "step in the wrong direction",
        "Adam moves against the gradient: next_w = w - learning_rate * m_hat / "
        "(sqrt(v_hat) + epsilon).",
        _first(_adam_variant("wrong direction")),
        "next_w",
    ),
    Mistake(
        "Adam without bias correction",
        "m and v start at zero, so early on they are too small: divide by (1 - beta1**t) and "
        "(1 - beta2**t), with t the step count starting at 1.",
        _first(_adam_variant("no bias correction")),
        "next_w",
    ),
    Mistake(
        "bias correction with t = 0",
        "Increase the step count before using it: t = config.get('t', 0) + 1, so the first "
        "correction divides by 1 - beta1, not by 1 - beta1**0 = 0.",
        _first(_adam_variant("t starts at 0")),
        "overflow",
    ),
    Mistake(
        "square root of v missing",
        "Divide by the root of the second moment: m_hat / (np.sqrt(v_hat) + epsilon).",
        _first(_adam_variant("no sqrt")),
        "next_w",
    ),
    Mistake(
        "hyperparameters in config ignored",
        "Read learning_rate, beta1, beta2 and epsilon from config (config.setdefault(...)); "
        "the defaults are only for keys that are missing.",
        _first(_adam_variant("ignore config")),
        "next_w",
    ),
    Mistake(
        "state not kept in config",
        "Store m, v and t in the config you return and read them back on the next call; "
        "otherwise every step is a first step.",
        _chained(_adam_variant("no state")),
        "chain",
    ),
    Mistake(
        "step count not kept in config",
        "Store the step count t in config and increase it every call: the bias correction "
        "1 - beta**t must fade as t grows.",
        _chained(_adam_variant("no step count")),
        "chain",
    ),
    Mistake(
        "w updated in place",
        "`w -= ...` changes the caller's array. Return a new array: next_w = w - ....",
        _first(optim.adam),
        "mutated w",
    ),
)


def _verify_rule(t, name, reference, mistakes, shape, seed, steps, config):
    ws, dws = _problem(seed, shape, steps)
    w, dw = ws[0].copy(), dws[0, 0].copy()

    def fresh():
        # A rule may update the config it is given in place: every call gets its own copy.
        return None if config is None else dict(config)

    t.diagnose_with(
        reference, [m for m in mistakes if m.output != "chain"], unpack=outputs("next_w", "config")
    )
    named = t.unpack(t.call(w, dw, fresh()), ["next_w", "config"])
    t.expect_array(named["next_w"], "next_w")
    expect_config(t, named["config"], name)
    t.passed("type", "returns (next_w, config), an ndarray and a dict")
    t.expect_shape(named["next_w"], shape, "next_w", because="The update has the shape of w.")
    # Hyperparameters given in config, else the defaults the rule filled in, else ours.
    settings = _settings({**named["config"], **(config or {})}, name)
    described = ", ".join(f"{key}={value:g}" for key, value in settings.items())
    first = reference(ws[0].copy(), dws[0, 0].copy(), dict(settings))[0]
    t.expect_close(named["next_w"], first, "next_w", against=f" one {name} step ({described})")

    expected = _chain(reference, ws, dws, settings)
    t.diagnose_with(
        lambda ws, dws, config: _chain(reference, ws, dws, config),
        [m for m in mistakes if m.output == "chain"],
    )
    with driving(t, _chain):
        trail = t.call(ws.copy(), dws.copy(), fresh(), context=f"during {steps} chained steps")
    if isinstance(trail, Broken):
        t.fail("type", f"{name} {trail}.")
    scale = np.abs(expected).max()
    for step, j in np.ndindex(expected.shape[:2]):
        if not np.allclose(trail[step, j], expected[step, j], rtol=0, atol=t.tol * scale):
            t.fail(
                "values",
                f"in {steps} steps on two parameters updated in turn, each with its own config, "
                f"parameter {j + 1} is wrong after step {step + 1}: "
                + mismatch("w", trail[step, j], expected[step, j])
                + "\nA single step was right, so look at what carries over from one call to the "
                "next: each parameter's state must live in its own config, and only there.",
                t.identify("chain", trail),
            )
    t.passed("values", f"{steps} chained steps on two parameters, each with its own config, match")

    t.diagnose_with(reference, mistakes, unpack=outputs("next_w", "config"))
    t.call(w.copy(), dw.copy(), fresh())
    t.expect_unchanged(["w", "dw"])


@verifier(
    "momentum",
    cases=[
        dict(
            shape=(3, 4),
            seed=0,
            steps=4,
            config={"learning_rate": 0.1, "momentum": 0.8},
            label="4 steps with learning_rate 0.1 and momentum 0.8",
        ),
        dict(shape=(5,), seed=1, steps=3, config=None, label="3 steps from config=None"),
    ],
    catalog=MOMENTUM_MISTAKES,
)
def verify_momentum(t, shape, seed, steps=4, config=None):
    """``config=None`` starts from no config (the rule's defaults)."""
    _verify_rule(t, "momentum", optim.momentum, MOMENTUM_MISTAKES, shape, seed, steps, config)


@verifier(
    "adam",
    cases=[
        dict(
            shape=(3, 4),
            seed=0,
            steps=4,
            config={"learning_rate": 0.05, "beta1": 0.8, "beta2": 0.95, "epsilon": 1e-8},
            label="4 steps with learning_rate 0.05, beta1 0.8, beta2 0.95",
        ),
        dict(shape=(5,), seed=1, steps=3, config=None, label="3 steps from config=None"),
    ],
    catalog=ADAM_MISTAKES,
)
def verify_adam(t, shape, seed, steps=4, config=None):
    """``config=None`` starts from no config (the rule's defaults)."""
    _verify_rule(t, "adam", optim.adam, ADAM_MISTAKES, shape, seed, steps, config)
