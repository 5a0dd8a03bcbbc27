"""Checks of lesson 07: the Value class."""

from __future__ import annotations

import math

import pytest

import backprop_lib as bl

from .util import assert_named, failure, passes


def engine(
    assign=False,
    order="reversed",
    seed=True,
    chain=True,
    swap=False,
    lower=True,
    tanh_from_input=False,
    relu_leak=False,
    reflected=True,
):
    """A student's micrograd-style Value, right except for the flags given."""

    class Value:
        def __init__(self, data, _children=()):
            self.data = data
            self.grad = 0
            self._backward = lambda: None
            self._prev = set(_children)

        def _give(self, node, local, out):
            amount = local * out.grad if chain else local
            if assign:
                node.grad = amount
            else:
                node.grad += amount

        def __add__(self, other):
            other = other if isinstance(other, Value) else Value(other)
            out = Value(self.data + other.data, (self, other))

            def _backward():
                self._give(self, 1, out)
                self._give(other, 1, out)

            out._backward = _backward
            return out

        def __mul__(self, other):
            other = other if isinstance(other, Value) else Value(other)
            out = Value(self.data * other.data, (self, other))

            def _backward():
                self._give(self, self.data if swap else other.data, out)
                self._give(other, other.data if swap else self.data, out)

            out._backward = _backward
            return out

        def __pow__(self, n):
            assert isinstance(n, (int, float))
            out = Value(self.data**n, (self,))

            def _backward():
                self._give(self, n * self.data ** (n - 1 if lower else n), out)

            out._backward = _backward
            return out

        def tanh(self):
            t = (math.exp(2 * self.data) - 1) / (math.exp(2 * self.data) + 1)
            out = Value(t, (self,))

            def _backward():
                base = self.data if tanh_from_input else t
                self._give(self, 1 - base**2, out)

            out._backward = _backward
            return out

        def relu(self):
            out = Value(0 if self.data < 0 else self.data, (self,))

            def _backward():
                self._give(self, 1 if relu_leak else (out.data > 0), out)

            out._backward = _backward
            return out

        def backward(self):
            if seed:
                self.grad = 1
            if order == "recursive":

                def run(node):
                    node._backward()
                    for child in node._prev:
                        run(child)

                run(self)
                return
            topo, visited = [], set()

            def build(node):
                if node not in visited:
                    visited.add(node)
                    for child in node._prev:
                        build(child)
                    topo.append(node)

            build(self)
            for node in reversed(topo) if order == "reversed" else topo:
                node._backward()

    if reflected:
        Value.__radd__ = lambda self, other: self + other
        Value.__rmul__ = lambda self, other: self * other
    return Value


WRONG_IMPLEMENTATIONS = {
    ("Value", "gradients assigned instead of accumulated"): engine(assign=True),
    ("Value", "wrong topological order"): engine(order="forward"),
    ("Value", "no topological sort (recursive backward)"): engine(order="recursive"),
    ("Value", "backward does not start from grad 1"): engine(seed=False),
    ("Value", "local gradient not multiplied by out.grad"): engine(chain=False),
    ("Value", "multiplication gradients swapped"): engine(swap=True),
    ("Value", "power rule without lowering the exponent"): engine(lower=False),
    ("Value", "tanh derivative computed from the input"): engine(tanh_from_input=True),
    ("Value", "ReLU passes the gradient for negative inputs"): engine(relu_leak=True),
}


@pytest.mark.parametrize("key", sorted(WRONG_IMPLEMENTATIONS), ids=" / ".join)
def test_mistake_is_named(key):
    """Is each known mistake of lesson 07 caught, and named by its title?"""
    assert_named(key[0], WRONG_IMPLEMENTATIONS[key], key[1])


def test_reference_and_a_students_engine_pass():
    """Do the reference Value and a micrograd-style student engine pass?"""
    passes("Value", bl.Value)
    passes("Value", engine())


def test_numbers_on_the_left_are_optional(capsys):
    """Without __radd__/__rmul__, does the check pass and say kindly that they are optional?"""
    passes("Value", engine(reflected=False))
    out = capsys.readouterr().out
    assert "is not supported yet. That is optional" in out
    assert "All checks passed for Value" in out


def test_a_wrong_reflected_operation_fails():
    """Does a __rmul__ that computes the wrong thing fail rather than count as optional?"""
    Value = engine()
    Value.__rmul__ = lambda self, other: self + other
    assert "(2 * a).data should be 3, got 3.5" in failure("Value", Value)


def test_an_operation_returning_a_number_is_explained():
    """Is an operation that returns a float instead of a Value told so, naming the expression?"""
    Value = engine()
    Value.__add__ = lambda self, other: self.data + getattr(other, "data", other)
    message = failure("Value", Value)
    assert "`Value(2.0) + Value(-3.5)` returned float" in message


def test_a_missing_method_names_the_expression():
    """Does a missing method produce a message saying which computation needed it?"""
    Value = engine()
    del Value.relu
    message = failure("Value", Value)
    assert "This happened while computing `Value(-1.2).relu()`." in message


def test_operations_must_not_change_their_operands():
    """Is an __add__ that writes into its operand caught as a side effect or a wrong value?"""
    Value = engine()
    add = Value.__add__

    def sneaky(self, other):
        out = add(self, other)
        self.data = out.data
        return out

    Value.__add__ = sneaky
    assert failure("Value", Value)


def test_the_class_itself_is_needed():
    """Is a student who passes an instance instead of the class told what to pass?"""
    assert "e.g. check_Value(Value)" in failure("Value", bl.Value(1.0))
