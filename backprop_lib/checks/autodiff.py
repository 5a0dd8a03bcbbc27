"""Verifier for lesson 07: the ``Value`` class of a scalar autodiff engine.

``check_Value(Value)`` builds small graphs with the student's class: each
operation's forward value, then the gradients after ``backward()`` on a
chain, tanh, ReLU, a node used several times and a diamond (where the order
of the backward pass matters). Known mistakes are recognised by building the
same graphs with versions of the engine that make them.
"""

from __future__ import annotations

import math
import numbers

from ..autodiff import Value as _Reference
from ._core import Mistake, quiet_call, verifier
from ._helpers import Broken, driving

__all__ = ["VALUE_MISTAKES", "SCENARIOS"]


class _Problem(Exception):
    """Internal: the student's class gave something unusable (said in the message)."""


def _number(value, what):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise _Problem(f"{what} is {type(value).__name__}; it should be a plain number (a float)")
    return float(value)


def _value(V, out, expr):
    if isinstance(out, numbers.Number) or not hasattr(out, "data"):
        raise _Problem(f"`{expr}` returned {type(out).__name__}; it should return a new Value")
    return out


def _forward(expr, build):
    def scenario(V):
        return [_number(_value(V, build(V), expr).data, f"({expr}).data")]

    return expr, ("result",), scenario


def _graph(expr, names, build):
    """``build(V)`` makes the leaves and ``L`` and returns ``(L, leaves)``."""

    def scenario(V):
        L, leaves = build(V)
        _value(V, L, expr)
        L.backward()
        return [_number(node.grad, f"{name}.grad") for name, node in zip(names, leaves)]

    return expr, tuple(f"{name}.grad" for name in names), scenario


def _chain(V):
    a, b, c = V(2.0), V(-3.0), V(10.0)
    L = (a * b + c) ** 2
    return L, (a, b, c, L)


def _tanh(V):
    a, b = V(0.5), V(-1.5)
    return (a * b).tanh(), (a, b)


def _relu(V):
    a, b, c, d = V(1.5), V(-2.0), V(0.5), V(3.0)
    return ((a * b).relu() + (c * d).relu()) * 2.0, (a, b, c, d)


# In these two graphs every value used twice receives equal contributions from its uses,
# so an engine that assigns instead of accumulating, or that recurses instead of sorting,
# gets the same wrong answer whatever order it happens to visit a node's children in.
def _reused(V):
    a, b = V(3.0), V(-2.0)
    return a * a + (b + b), (a, b)


def _diamond(V):
    a = V(0.5)
    x = a * 3.0
    return (x + 1) * (x + 1), (a, x)


def _numbers(V):
    a = V(1.5)
    return (a * 2 + 1) ** 2, (a,)


#: Every scenario, by key: (expression shown in messages, names of the numbers, run(V)).
SCENARIOS = {
    "constructor": (
        "Value(2.0)",
        ("Value(2.0).data", "Value(2.0).grad"),
        lambda V: [
            _number(V(2.0).data, "Value(2.0).data"),
            _number(V(2.0).grad, "Value(2.0).grad"),
        ],
    ),
    "add": _forward("Value(2.0) + Value(-3.5)", lambda V: V(2.0) + V(-3.5)),
    "mul": _forward("Value(2.0) * Value(-3.5)", lambda V: V(2.0) * V(-3.5)),
    "pow": _forward("Value(1.5) ** 3", lambda V: V(1.5) ** 3),
    "pow negative": _forward("Value(2.0) ** -1", lambda V: V(2.0) ** -1),
    "tanh": _forward("Value(0.7).tanh()", lambda V: V(0.7).tanh()),
    "relu negative": _forward("Value(-1.2).relu()", lambda V: V(-1.2).relu()),
    "relu positive": _forward("Value(0.8).relu()", lambda V: V(0.8).relu()),
    "add number": _forward("Value(2.0) + 1", lambda V: V(2.0) + 1),
    "mul number": _forward("Value(2.0) * 3", lambda V: V(2.0) * 3),
    "chain": _graph("L = (a * b + c) ** 2 with a=2, b=-3, c=10", "abcL", _chain),
    "tanh graph": _graph("L = (a * b).tanh() with a=0.5, b=-1.5", "ab", _tanh),
    "relu graph": _graph(
        "L = ((a * b).relu() + (c * d).relu()) * 2.0 with a=1.5, b=-2, c=0.5, d=3", "abcd", _relu
    ),
    "reused": _graph("L = a * a + (b + b) with a=3, b=-2 (a and b each used twice)", "ab", _reused),
    "diamond": _graph(
        "x = a * 3.0; L = (x + 1) * (x + 1) with a=0.5 (x reaches L along two paths)",
        "ax",
        _diamond,
    ),
    "numbers": _graph("L = (a * 2 + 1) ** 2 with a=1.5", "a", _numbers),
    "reflected": (
        "2 * a, 1 + a and L = 1 + 2 * a with a=1.5",
        ("(2 * a).data", "(1 + a).data", "a.grad"),
        lambda V: _reflected(V),
    ),
    "untouched": (
        "L = (a + b) * (a * b); L.backward() with a=2, b=-3.5",
        ("a.data", "b.data"),
        lambda V: _untouched(V),
    ),
}


def _reflected(V):
    a = V(1.5)
    doubled = _value(V, 2 * a, "2 * a")
    shifted = _value(V, 1 + a, "1 + a")
    L = 1 + 2 * a
    L.backward()
    return [doubled.data, shifted.data, _number(a.grad, "a.grad")]


def _untouched(V):
    a, b = V(2.0), V(-3.5)
    L = (a + b) * (a * b)
    L.backward()
    return [_number(a.data, "a.data"), _number(b.data, "b.data")]


def _run(V, key):
    """The numbers scenario ``key`` produces with class ``V``, or :class:`Broken`."""
    try:
        return SCENARIOS[key][2](V)
    except _Problem as problem:
        return Broken(str(problem))


# -- the known mistakes, as engines that make them -------------------------------------------


def _engine(flaw):
    """A Value class like the reference, with one known mistake."""

    class FlawedValue:
        def __init__(self, data, _children=()):
            self.data = float(data)
            self.grad = 0.0
            self._backward = lambda: None
            self._prev = tuple(_children)

        def _push(self, node, local, out):
            amount = local if flaw == "no chain" else local * out.grad
            if flaw == "assign":
                node.grad = amount
            else:
                node.grad += amount

        def __add__(self, other):
            other = other if isinstance(other, FlawedValue) else FlawedValue(other)
            out = FlawedValue(self.data + other.data, (self, other))

            def _backward():
                self._push(self, 1.0, out)
                self._push(other, 1.0, out)

            out._backward = _backward
            return out

        def __mul__(self, other):
            other = other if isinstance(other, FlawedValue) else FlawedValue(other)
            out = FlawedValue(self.data * other.data, (self, other))
            swap = flaw == "mul swap"

            def _backward():
                self._push(self, self.data if swap else other.data, out)
                self._push(other, other.data if swap else self.data, out)

            out._backward = _backward
            return out

        def __pow__(self, exponent):
            out = FlawedValue(self.data**exponent, (self,))
            lowered = exponent if flaw == "pow" else exponent - 1

            def _backward():
                self._push(self, exponent * self.data**lowered, out)

            out._backward = _backward
            return out

        def tanh(self):
            t = math.tanh(self.data)
            out = FlawedValue(t, (self,))
            base = self.data if flaw == "tanh input" else t

            def _backward():
                self._push(self, 1.0 - base * base, out)

            out._backward = _backward
            return out

        def relu(self):
            out = FlawedValue(max(self.data, 0.0), (self,))

            def _backward():
                self._push(self, 1.0 if flaw == "relu leak" else float(self.data > 0), out)

            out._backward = _backward
            return out

        def __radd__(self, other):
            return self + other

        def __rmul__(self, other):
            return self * other

        def backward(self):
            if flaw == "recursive":
                self.grad = 1.0

                def propagate(node):
                    node._backward()
                    for child in node._prev:
                        propagate(child)

                propagate(self)
                return
            order, seen = [], set()

            def visit(node):
                if node not in seen:
                    seen.add(node)
                    for child in node._prev:
                        visit(child)
                    order.append(node)

            visit(self)
            if flaw != "no seed":
                self.grad = 1.0
            for node in order if flaw == "not reversed" else reversed(order):
                node._backward()

    return FlawedValue


def _engine_mistake(title, hint, flaw):
    engine = _engine(flaw)
    return Mistake(title, hint, lambda key: _run(engine, key), "grads")


VALUE_MISTAKES = (
    _engine_mistake(
        "gradients assigned instead of accumulated",
        "A value used twice gets a gradient from each use, and they add up: write "
        "self.grad += ... in every _backward, not self.grad = ....",
        "assign",
    ),
    _engine_mistake(
        "wrong topological order",
        "A node may push its gradient on only after every node that uses it has pushed "
        "theirs: build the topological order (children before parents) and call _backward "
        "over it reversed, from L back to the leaves.",
        "not reversed",
    ),
    _engine_mistake(
        "no topological sort (recursive backward)",
        "Calling _backward recursively from L runs a shared node before all of its gradient "
        "has arrived, and again later. Sort the graph topologically first, then run each "
        "node's _backward once, in reverse order.",
        "recursive",
    ),
    _engine_mistake(
        "backward does not start from grad 1",
        "dL/dL = 1: set self.grad = 1.0 on the output before running the _backward closures.",
        "no seed",
    ),
    _engine_mistake(
        "local gradient not multiplied by out.grad",
        "The chain rule multiplies each local derivative by the gradient arriving from above: "
        "self.grad += other.data * out.grad, not just other.data.",
        "no chain",
    ),
    _engine_mistake(
        "multiplication gradients swapped",
        "For out = a * b, d(out)/da = b and d(out)/db = a: each input gets the *other* "
        "input's data.",
        "mul swap",
    ),
    _engine_mistake(
        "power rule without lowering the exponent",
        "d(x**n)/dx = n * x**(n - 1): lower the exponent by one.",
        "pow",
    ),
    _engine_mistake(
        "tanh derivative computed from the input",
        "d tanh(x)/dx = 1 - tanh(x)**2: use the output t, 1 - t**2, not 1 - x**2.",
        "tanh input",
    ),
    _engine_mistake(
        "ReLU passes the gradient for negative inputs",
        "ReLU's local gradient is 1 where its input was positive and 0 elsewhere: "
        "(out.data > 0) * out.grad.",
        "relu leak",
    ),
)


def _compare(t, key, got, expected, step):
    expr, names, _ = SCENARIOS[key]
    wrong = [
        (name, want, value)
        for name, want, value in zip(names, expected, got)
        if not math.isclose(value, want, rel_tol=1e-6, abs_tol=1e-9)
    ]
    if wrong:
        detail = "; ".join(
            f"{name} should be {want:.6g}, got {value:.6g}" for name, want, value in wrong
        )
        t.fail(
            step,
            f"in `{expr}`: {detail}.",
            t.identify("grads", got) if step == "gradient" else None,
        )


def _scenario(t, key, step):
    got = t.call(key, context=f"while computing `{SCENARIOS[key][0]}`")
    if isinstance(got, Broken):
        t.fail("type", f"{got}.")
    _compare(t, key, got, _run(_Reference, key), step)
    return got


_FORWARD = ("add", "mul", "pow", "pow negative", "tanh", "relu negative", "relu positive")
_GRAPHS = ("chain", "tanh graph", "relu graph", "reused", "diamond")


@verifier("Value", cases=[dict(label="small graphs")], catalog=VALUE_MISTAKES)
def verify_Value(t):
    """Takes no case arguments: the graphs are fixed, small and cheap."""
    if not isinstance(t.fn, type):
        t.fail(
            "type",
            f"check_Value needs your class itself, e.g. check_Value(Value); got "
            f"{type(t.fn).__name__}.",
        )
    t.diagnose_with(lambda key: _run(_Reference, key), VALUE_MISTAKES)
    with driving(t, _run):
        _scenario(t, "constructor", "type")
        t.passed("type", "Value(2.0) has .data 2.0 and .grad 0")
        for key in _FORWARD:
            _scenario(t, key, "values")
        t.passed("values", "+, *, ** (also negative), tanh and relu compute the right .data")
        for key in ("add number", "mul number"):
            _scenario(t, key, "values")
        t.passed("values", "plain numbers work on the right: Value(2.0) + 1, Value(2.0) * 3")
        for key in _GRAPHS:
            _scenario(t, key, "gradient")
        t.passed(
            "gradient",
            "backward() gives the right .grad on a chain, tanh, ReLU, reused values and a diamond",
        )
        _scenario(t, "numbers", "gradient")
        t.passed("gradient", "gradients flow through plain numbers: (a * 2 + 1) ** 2")

    reflected = quiet_call(_run, t.fn, "reflected")
    if isinstance(reflected.error, TypeError):
        t.passed(
            "numbers",
            "a plain number on the left (2 * a, 1 + a) is not supported yet. That is optional; "
            "micrograd adds __rmul__ and __radd__ that call self * other and self + other.",
        )
    else:
        with driving(t, _run):
            _scenario(t, "reflected", "gradient")
        t.passed("numbers", "a plain number on the left works too: 2 * a, 1 + a")

    with driving(t, _run):
        _scenario(t, "untouched", "side effects")
    t.passed("side effects", "operations and backward() leave every .data unchanged")
