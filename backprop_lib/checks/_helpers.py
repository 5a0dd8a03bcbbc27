"""Small pieces the verifiers of lessons 03-08 share."""

from __future__ import annotations

import contextlib

import numpy as np

from ..gradcheck import numerical_gradient, rel_error

__all__ = [
    "Broken",
    "copies",
    "driving",
    "expect_all_close",
    "expect_all_shapes",
    "expect_arrays",
    "expect_dict_of_arrays",
    "expect_gradient",
    "mismatch",
    "mlp_params",
    "numeric_input_gradient",
    "outputs",
]


def mlp_params(rng, sizes):
    """Random MLP parameters for a check case: ``"Wl"`` scaled by 1/sqrt(fan_in), small ``"bl"``.

    Parameters
    ----------
    rng : numpy.random.Generator
    sizes : sequence of int
        ``[D, H1, ..., C]``.

    Returns
    -------
    dict of str to ndarray
    """
    params = {}
    for layer, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
        params[f"W{layer}"] = rng.standard_normal((fan_in, fan_out)) / np.sqrt(fan_in)
        params[f"b{layer}"] = 0.1 * rng.standard_normal(fan_out)
    return params


def outputs(*names):
    """``unpack`` for :meth:`Trial.diagnose_with`: a tuple of ``len(names)`` values to a dict."""

    def unpack(raw):
        if len(names) == 1:
            return {names[0]: raw}
        if not isinstance(raw, (tuple, list)) or len(raw) != len(names):
            raise TypeError("unexpected structure")
        return dict(zip(names, raw))

    return unpack


@contextlib.contextmanager
def driving(t, driver):
    """Run the student's code through ``driver(fn, *args)`` while inside the block.

    Checks of stateful code (an update rule called several times, a class,
    a generator) call ``t.call(*args)`` as usual; the driver does the
    repeated calls, so exceptions, warnings and mistakes are handled once.
    """
    student = t.fn

    def run(*args):
        return driver(student, *args)

    t.fn = run
    try:
        yield
    finally:
        t.fn = student


class Broken(str):
    """What a driver returns instead of a result when the student's code returned something
    unusable; the string says what, and the verifier fails the *type* step with it."""


def expect_arrays(t, named, names, what):
    """Every ``named[name]`` must be a float ndarray; then the type step passes with ``what``."""
    for name in names:
        t.expect_array(named[name], name)
    t.passed("type", what)


def expect_dict_of_arrays(t, value, keys, what, because):
    """``value`` must be a dict holding a float ndarray under each of ``keys``."""
    if not isinstance(value, dict):
        t.fail("type", f"{what} should be a dict {because}, got {type(value).__name__}.")
    missing = [key for key in keys if key not in value]
    if missing:
        have = ", ".join(repr(key) for key in value) or "no keys"
        t.fail(
            "type",
            f"{what} is missing the key{'s' if len(missing) > 1 else ''} "
            f"{', '.join(repr(key) for key in missing)} (it has {have}); {because}.",
        )
    for key in keys:
        t.expect_array(value[key], f"{what}[{key!r}]")


def numeric_input_gradient(forward, args, index, dout, h=1e-5):
    """Central differences of ``sum(forward(*args) * dout)`` with respect to ``args[index]``.

    The differentiated argument is copied to float64, so ``args`` are untouched.
    """
    point = list(args)
    x = np.array(point[index], dtype=np.float64)

    def f(value):
        inputs = list(point)
        inputs[index] = value
        return float(np.sum(forward(*inputs) * dout))

    return numerical_gradient(f, x, h)


def _close_enough(value, expected, tol):
    try:
        value = np.asarray(value, dtype=np.float64)
        expected = np.asarray(expected, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    return (
        value.shape == expected.shape
        and bool(np.all(np.isfinite(value)))
        and rel_error(value, expected) < tol
    )


def expect_all_close(t, items, summary, step="values", against=""):
    """Compare several outputs and report one passed line for all of them.

    ``items`` is a sequence of ``(value, expected, what)``. The first mismatch
    fails exactly as :meth:`Trial.expect_close` would (naming a mistake if it can).
    """
    worst = 0.0
    for value, expected, what in items:
        if not _close_enough(value, expected, t.tol):
            t.expect_close(value, expected, what, step=step, against=against)
        worst = max(worst, rel_error(value, expected))
    t.passed(step, f"{summary} (largest relative error {worst:.0e})")


def expect_all_shapes(t, items, summary):
    """Like :func:`expect_all_close` for shapes: ``items`` of ``(value, shape, what, because)``."""
    for value, shape, what, because in items:
        if getattr(value, "shape", None) != tuple(shape):
            t.expect_shape(value, shape, what, because=because)
    t.passed("shape", summary)


def mismatch(what, got, want, against=""):
    """The message :meth:`Trial.expect_close` gives for a mismatch, for checks that name
    a mistake from a different output than the one they show."""
    got = np.asarray(got, dtype=np.float64)
    want = np.asarray(want, dtype=np.float64)
    message = f"{what} does not match{against}: relative error {rel_error(got, want):.1e}."
    if got.ndim == 0:
        return message + f" Expected {float(want):.6g}, got {float(got):.6g}."
    gap = np.abs(got - want)
    worst = np.unravel_index(int(np.argmax(gap)), gap.shape)
    index = ", ".join(str(int(i)) for i in worst)
    return message + f"\nAt {what}[{index}] expected {want[worst]:.6g}, got {got[worst]:.6g}."


def copies(*args):
    """Fresh copies of arguments (arrays inside tuples, lists and dicts too).

    Give these to the student's code and keep the originals for the expected
    values: a function that changes its inputs must not change the answer key.
    """

    def copy(value):
        if isinstance(value, np.ndarray):
            return value.copy()
        if isinstance(value, dict):
            return {key: copy(item) for key, item in value.items()}
        if isinstance(value, (list, tuple)):
            return type(value)(copy(item) for item in value)
        return value

    return tuple(copy(arg) for arg in args)


def expect_gradient(t, value, numeric, what, against):
    """The *gradient* step: ``value`` must match central differences ``numeric``.

    Where every entry of the gradient is tiny (a saturated sigmoid, batch norm of
    two samples), the relative error only measures rounding in the differences,
    so such gradients are compared absolutely instead.
    """
    numeric = np.asarray(numeric, dtype=np.float64)
    if numeric.size and np.abs(numeric).max() < 1e-5:
        try:
            gap = np.abs(np.asarray(value, dtype=np.float64) - numeric)
        except (TypeError, ValueError):
            gap = None
        if gap is not None and gap.shape == numeric.shape and np.all(gap < 1e-8):
            t.passed("gradient", f"{what} matches{against} (every entry below 1e-5)")
            return
    t.expect_close(value, numeric, what, step="gradient", against=against)
