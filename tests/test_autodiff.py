"""Tests for backprop_lib.autodiff.Value: every operation's gradient, accumulation, order."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backprop_lib.autodiff import Value
from backprop_lib.gradcheck import numerical_gradient, rel_error

GRADCHECK = settings(max_examples=25, deadline=None, derandomize=True, database=None)
THRESHOLD = 1e-7

# Operands kept away from 0 so that division, negative powers and the ReLU kink are smooth.
operands = st.floats(0.2, 3.0).flatmap(lambda size: st.sampled_from([size, -size]))

OPERATIONS = {
    "add": lambda a, b: a + b,
    "mul": lambda a, b: a * b,
    "sub": lambda a, b: a - b,
    "truediv": lambda a, b: a / b,
    "neg": lambda a, b: -a * b,
    "pow_int": lambda a, b: a**3 + b**2,
    "pow_negative": lambda a, b: a**-2 * b,
    "pow_float": lambda a, b: (a * a) ** 1.5 + b,
    "tanh": lambda a, b: (0.3 * a * b).tanh(),
    "relu": lambda a, b: a.relu() * b,
    "radd": lambda a, b: 2.0 + a * b,
    "rsub": lambda a, b: 2.0 - a * b,
    "rmul": lambda a, b: 3.0 * a + b,
    "rtruediv": lambda a, b: 1.0 / a + b,
    "reuse": lambda a, b: a * a * b + a,
}


def value_gradients(expression, a, b):
    """d expression / d a and d b by Value.backward."""
    x, y = Value(a), Value(b)
    expression(x, y).backward()
    return np.array([x.grad, y.grad])


def numeric_gradients(expression, a, b):
    """The same derivatives by central differences on the forward values."""
    point = np.array([a, b])
    return numerical_gradient(lambda p: expression(Value(p[0]), Value(p[1])).data, point)


@pytest.mark.parametrize("name", sorted(OPERATIONS))
@GRADCHECK
@given(a=operands, b=operands)
def test_value_operations_match_central_differences(name, a, b):
    """Does Value.backward agree with central differences for every operation?"""
    expression = OPERATIONS[name]
    exact = value_gradients(expression, a, b)
    assert rel_error(exact, numeric_gradients(expression, a, b)) < THRESHOLD


def test_forward_values():
    """Do the operations compute the right numbers?"""
    a, b = Value(2.0), Value(-3.0)
    assert (a + b).data == -1.0
    assert (a * b).data == -6.0
    assert (a**3).data == 8.0
    assert (a - b).data == 5.0
    assert (a / b).data == pytest.approx(-2 / 3)
    assert b.relu().data == 0.0
    assert a.tanh().data == pytest.approx(math.tanh(2.0))


def test_gradient_accumulates_when_a_value_is_used_twice():
    """Does a node used twice receive both contributions (x + x, x * x)?"""
    x = Value(3.0)
    (x + x).backward()
    assert x.grad == 2.0
    y = Value(3.0)
    (y * y).backward()
    assert y.grad == 6.0


def test_backward_runs_in_topological_order():
    """Does a diamond graph get every path's gradient, each node's after its consumers'?"""
    a = Value(2.0)
    b = a * 3.0
    c = a + 1.0
    d = b * c
    d.backward()
    assert b.grad == c.data
    assert c.grad == b.data
    assert a.grad == 3.0 * c.data + b.data


def test_backward_handles_graphs_deeper_than_the_recursion_limit():
    """Does backward survive sum() over 5000 values, a chain deeper than the recursion limit?"""
    values = [Value(float(i)) for i in range(5000)]
    total = sum(value * value for value in values)
    total.backward()
    assert values[7].grad == 14.0
    assert values[-1].grad == 2 * 4999.0


def test_pow_rejects_a_value_exponent():
    """Does ** refuse a Value exponent with a TypeError naming what it supports?"""
    with pytest.raises(TypeError, match="int or float"):
        Value(2.0) ** Value(3.0)
