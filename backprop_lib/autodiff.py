"""A scalar reverse-mode automatic differentiation engine.

Each operation builds a new :class:`Value` and keeps, right beside its
forward computation, a closure that pushes the output's gradient to its
inputs. ``backward()`` orders the graph topologically and runs those
closures from the output back to the leaves, accumulating with ``+=`` so a
value used twice receives both contributions.
"""

from __future__ import annotations

import math

__all__ = ["Value"]


class Value:
    """A scalar that remembers how it was computed.

    Parameters
    ----------
    data : float
    _children : tuple of Value
        The values this one was computed from.
    _op : str
        The operation's symbol, for display.
    """

    def __init__(self, data, _children=(), _op=""):
        self.data = float(data)
        self.grad = 0.0
        self._backward = lambda: None
        self._prev = tuple(_children)
        self._op = _op

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += out.grad
            other.grad += out.grad

        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out

    def __pow__(self, exponent):
        if not isinstance(exponent, (int, float)):
            raise TypeError("Value ** only supports int or float exponents")
        out = Value(self.data**exponent, (self,), f"**{exponent}")

        def _backward():
            self.grad += exponent * self.data ** (exponent - 1) * out.grad

        out._backward = _backward
        return out

    def tanh(self):
        t = math.tanh(self.data)
        out = Value(t, (self,), "tanh")

        def _backward():
            self.grad += (1 - t * t) * out.grad

        out._backward = _backward
        return out

    def relu(self):
        out = Value(max(self.data, 0.0), (self,), "relu")

        def _backward():
            self.grad += (out.data > 0) * out.grad

        out._backward = _backward
        return out

    def backward(self):
        """Fill ``.grad`` of every value this one depends on with d(self)/d(value)."""
        self.grad = 1.0
        for node in reversed(self._topological_order()):
            node._backward()

    def _topological_order(self):
        """Every value this one depends on, each listed after all of its inputs.

        A depth-first search with an explicit stack rather than recursion, so
        a long chain such as ``sum(values)`` over thousands of terms works.
        """
        order, seen = [], set()
        stack = [(self, False)]
        while stack:
            node, inputs_done = stack.pop()
            if inputs_done:
                order.append(node)
            elif node not in seen:
                seen.add(node)
                stack.append((node, True))
                stack.extend((child, False) for child in node._prev)
        return order

    def __neg__(self):
        return self * -1

    def __radd__(self, other):
        return self + other

    def __sub__(self, other):
        return self + (-other)

    def __rsub__(self, other):
        return other + (-self)

    def __rmul__(self, other):
        return self * other

    def __truediv__(self, other):
        return self * other**-1

    def __rtruediv__(self, other):
        return other * self**-1

    def __repr__(self):
        return f"Value(data={self.data:.4g}, grad={self.grad:.4g})"
