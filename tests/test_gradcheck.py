"""Tests for backprop_lib.gradcheck: central differences, relative error, reports."""

import numpy as np
import pytest

from backprop_lib.gradcheck import (
    gradient_report,
    numerical_gradient,
    numerical_gradient_array,
    rel_error,
)


def test_numerical_gradient_of_a_quadratic():
    """Does numerical_gradient recover 2x for sum(x**2) on a non-square array?"""
    x = np.random.default_rng(0).standard_normal((2, 3))
    np.testing.assert_allclose(numerical_gradient(lambda v: np.sum(v**2), x), 2 * x, rtol=1e-8)


def test_numerical_gradient_is_central():
    """Is the difference central: exact to h**2 on x**3, where a one-sided one is off by 3h?"""
    x = np.array([1.0])
    grad = numerical_gradient(lambda v: float(v[0] ** 3), x, h=1e-3)
    assert abs(grad[0] - 3.0) < 1e-5


def test_numerical_gradient_restores_x_exactly():
    """Is x bit-for-bit unchanged after numerical_gradient, even though f reads it?"""
    x = np.random.default_rng(1).standard_normal((3, 2))
    before = x.copy()
    numerical_gradient(lambda v: np.sum(np.sin(v)), x)
    np.testing.assert_array_equal(x, before)


def test_numerical_gradient_array_weights_by_dout():
    """Is numerical_gradient_array the gradient of sum(f(x) * dout)?"""
    rng = np.random.default_rng(2)
    x, dout = rng.standard_normal(4), rng.standard_normal(4)
    np.testing.assert_allclose(numerical_gradient_array(np.tanh, x, dout), dout / np.cosh(x) ** 2)


def test_rel_error_follows_the_course_formula():
    """Is rel_error max|a - b| / max(|a| + |b|), floored at 1e-8, and 0 for equal or empty?"""
    a, b = np.array([1.0, -2.0]), np.array([1.5, -2.0])
    assert rel_error(a, b) == pytest.approx(0.5 / 4.0)
    assert rel_error(a, a) == 0.0
    assert rel_error(np.zeros(0), np.zeros(0)) == 0.0
    assert rel_error(np.zeros(2), np.full(2, 1e-9)) == pytest.approx(0.1)


def quadratic_problem():
    rng = np.random.default_rng(3)
    params = {"W1": rng.standard_normal((2, 3)), "b1": rng.standard_normal(3)}

    def loss(point):
        return float(np.sum(point["W1"] ** 2) + np.sum(point["b1"] ** 3))

    grads = {"W1": 2 * params["W1"], "b1": 3 * params["b1"] ** 2}
    return loss, params, grads


def test_gradient_report_passes_correct_gradients():
    """Does gradient_report pass correct gradients and leave params untouched?"""
    loss, params, grads = quadratic_problem()
    before = {name: value.copy() for name, value in params.items()}
    report = gradient_report(loss, params, grads)
    assert report.passed
    assert "all gradients agree" in str(report)
    for name, value in params.items():
        np.testing.assert_array_equal(value, before[name])


def test_gradient_report_names_the_wrong_parameter():
    """Does gradient_report fail a wrong gradient and point at that parameter and entry?"""
    loss, params, grads = quadratic_problem()
    grads["b1"] = grads["b1"].copy()
    grads["b1"][2] += 1.0
    report = gradient_report(loss, params, grads)
    assert not report.passed
    assert report.worst.name == "b1"
    assert report.worst.worst_index == (2,)
    assert "look at b1 first" in str(report)


def test_gradient_report_rejects_mismatched_grads():
    """Does gradient_report refuse a gradient of the wrong shape or for an unknown parameter?"""
    loss, params, grads = quadratic_problem()
    with pytest.raises(ValueError, match="shape"):
        gradient_report(loss, params, {"W1": grads["W1"].T})
    with pytest.raises(KeyError, match="W2"):
        gradient_report(loss, params, {"W2": grads["W1"]})
