"""Numerical gradient checking: the everyday tool for trusting a backward pass.

Central differences in float64, ``(f(x + h) - f(x - h)) / 2h``, and the
course's relative error ``max|a - b| / max(max(|a| + |b|), 1e-8)``: a correct
float64 backward lands below 1e-7.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = [
    "numerical_gradient",
    "numerical_gradient_array",
    "rel_error",
    "ParamCheck",
    "GradientReport",
    "gradient_report",
]


def numerical_gradient(f, x, h=1e-5):
    """Gradient of a scalar function by central differences.

    Each entry of ``x`` is nudged by ``+h`` and ``-h`` in place and restored
    exactly afterwards, so ``f`` may read ``x`` from its closure.

    Parameters
    ----------
    f : callable
        ``f(x) -> float``.
    x : ndarray of any shape, floating point
        The point to differentiate at. Restored on return.
    h : float
        Step size.

    Returns
    -------
    grad : ndarray of the shape of x, float64
    """
    grad = np.zeros(x.shape, dtype=np.float64)
    for index in np.ndindex(x.shape):
        old = x[index]
        x[index] = old + h
        f_plus = float(f(x))
        x[index] = old - h
        f_minus = float(f(x))
        x[index] = old
        grad[index] = (f_plus - f_minus) / (2 * h)
    return grad


def numerical_gradient_array(f, x, dout, h=1e-5):
    """Gradient of ``sum(f(x) * dout)`` with respect to ``x``, for array-valued ``f``.

    This is what a layer's backward should return for input ``x`` when
    ``dout`` arrives from above.

    Parameters
    ----------
    f : callable
        ``f(x) -> ndarray`` of the shape of ``dout``.
    x : ndarray of any shape, floating point
        Restored on return.
    dout : ndarray
        Upstream gradient.
    h : float

    Returns
    -------
    grad : ndarray of the shape of x, float64
    """
    return numerical_gradient(lambda z: np.sum(f(z) * dout), x, h)


def rel_error(a, b):
    """The course's relative error ``max|a - b| / max(max(|a| + |b|), 1e-8)``.

    Parameters
    ----------
    a, b : array_like of the same shape

    Returns
    -------
    float
        0 when equal; below 1e-7 for a correct float64 gradient check.
    """
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.size == 0:
        return 0.0
    return float(np.max(np.abs(a - b)) / max(float(np.max(np.abs(a) + np.abs(b))), 1e-8))


@dataclass(frozen=True)
class ParamCheck:
    """Analytic against numerical gradient for one parameter."""

    name: str
    rel_error: float
    worst_index: tuple
    analytic: float
    numeric: float
    passed: bool

    def __str__(self):
        mark = "ok " if self.passed else "BAD"
        return (
            f"{mark} {self.name:>6}: relative error {self.rel_error:.1e}; worst entry "
            f"{self.name}{list(self.worst_index)}: analytic {self.analytic:+.6e}, "
            f"numeric {self.numeric:+.6e}"
        )


@dataclass(frozen=True)
class GradientReport:
    """Per-parameter gradient check, worst entry first named."""

    checks: tuple
    threshold: float

    @property
    def passed(self):
        """True when every parameter's relative error is below the threshold."""
        return all(check.passed for check in self.checks)

    @property
    def worst(self):
        """The :class:`ParamCheck` with the largest relative error."""
        return max(self.checks, key=lambda check: check.rel_error)

    def __str__(self):
        lines = [str(check) for check in self.checks]
        verdict = "all gradients agree" if self.passed else f"look at {self.worst.name} first"
        lines.append(f"threshold {self.threshold:.0e}: {verdict}")
        return "\n".join(lines)

    def _repr_pretty_(self, printer, cycle):
        printer.text(str(self))


def gradient_report(loss_fn, params, grads, h=1e-5, threshold=1e-7):
    """Compare analytic gradients with central differences, parameter by parameter.

    Parameters
    ----------
    loss_fn : callable
        ``loss_fn(params) -> float`` for a dict shaped like ``params``.
    params : dict of str to ndarray
        The point to check at. Not modified: a float64 copy is perturbed.
    grads : dict of str to ndarray
        Analytic gradients, same keys and shapes as ``params``.
    h : float
        Step size of the central differences.
    threshold : float
        Largest relative error that passes.

    Returns
    -------
    GradientReport
        ``str(report)`` prints one line per parameter with its worst entry.
    """
    point = {key: np.array(value, dtype=np.float64) for key, value in params.items()}
    checks = []
    for name in grads:
        if name not in point:
            raise KeyError(f"grads has {name!r} but params does not")
        analytic = np.asarray(grads[name], dtype=np.float64)
        if analytic.shape != point[name].shape:
            raise ValueError(
                f"grads[{name!r}] has shape {analytic.shape} but params[{name!r}] has "
                f"shape {point[name].shape}"
            )
        numeric = numerical_gradient(lambda _, p=point: loss_fn(p), point[name], h)
        gap = np.abs(analytic - numeric)
        worst = np.unravel_index(int(np.argmax(gap)), gap.shape) if gap.size else ()
        error = rel_error(analytic, numeric)
        checks.append(
            ParamCheck(
                name=name,
                rel_error=error,
                worst_index=tuple(int(i) for i in worst),
                analytic=float(analytic[worst]) if gap.size else 0.0,
                numeric=float(numeric[worst]) if gap.size else 0.0,
                passed=error < threshold,
            )
        )
    return GradientReport(checks=tuple(checks), threshold=threshold)
