"""The engine behind every student check.

A *verifier* tests one graded function on one case (a seed and some shapes)
through a :class:`Trial`, in the order type -> shape -> values -> gradient ->
side effects, and stops at the first failure. When a result is wrong, the
trial compares it with the function's known wrong implementations
(:class:`Mistake`) run on the same inputs, and on *probe* inputs chosen so
that a mistake which crashes on the main inputs (a transpose on non-square
shapes, say) gives a comparable answer. A match names the mistake.

The student's code is only ever *run*, never read.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import traceback
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..gradcheck import rel_error

__all__ = [
    "CheckFailed",
    "NotDoneYet",
    "Failure",
    "Mistake",
    "Trial",
    "Verifier",
    "VERIFIERS",
    "verifier",
    "run_check",
    "run_cases",
    "grading_mode",
    "MISTAKE_MARKER",
    "GRADING_ENV",
]

#: Environment variable the grader sets: checks then print failures instead of raising.
GRADING_ENV = "BACKPROP_COURSE_GRADING"
#: Every named mistake appears after this marker, so reports can count them.
MISTAKE_MARKER = "Likely mistake:"

PASS, FAIL = "\u2713", "\u2717"
_DEFAULT_TOL = 1e-5


def grading_mode():
    """True when running under the autograder (checks report instead of raising)."""
    return os.environ.get(GRADING_ENV, "") not in ("", "0")


class CheckFailed(AssertionError):
    """A check found a problem. In a notebook it shows only its message, no traceback."""

    def __init__(self, name, lines):
        self.name = name
        self.lines = list(lines)
        super().__init__("\n".join(self.lines))

    def _render_traceback_(self):
        return [f"\x1b[0;31m{line}\x1b[0m" if i == 0 else line for i, line in enumerate(self.lines)]


class NotDoneYet(CheckFailed, NotImplementedError):
    """The exercise is still the stub: a check failure that is also a NotImplementedError."""


@dataclass(frozen=True)
class Mistake:
    """A known wrong way to write a graded function.

    Parameters
    ----------
    title : str
        The catalog's name for it, e.g. ``"dW transposed"``.
    hint : str
        One or two kind sentences: what it looks like and how to fix it.
    wrong : callable
        Takes the graded function's arguments and returns what the mistaken
        version returns for ``output``.
    output : str
        Which named output the mistake shows up in (``"Z"``, ``"dW"``, ...).
    """

    title: str
    hint: str
    wrong: Callable[..., Any]
    output: str

    def describe(self):
        return f"{MISTAKE_MARKER} {self.title}. {self.hint}"


class _StepFailed(Exception):
    """Internal: a step failed; carries the lines to show."""

    def __init__(self, step, message, mistake=None, not_done=False):
        self.step = step
        self.message = message
        self.mistake = mistake
        self.not_done = not_done
        super().__init__(message)

    def lines(self):
        first, *rest = self.message.split("\n")
        out = [f"{FAIL} {self.step}: {first}"] + [f"  {line}" for line in rest]
        if self.mistake is not None:
            out.append(f"  {self.mistake.describe()}")
        return out


@dataclass
class _Call:
    """What happened when the student's function ran once."""

    value: Any = None
    error: BaseException | None = None
    where: str = ""
    warnings: list = field(default_factory=list)


def _copy_inputs(args):
    """Deep-enough copy of arguments to detect in-place changes later."""

    def copy(value):
        if isinstance(value, np.ndarray):
            return value.copy()
        if isinstance(value, dict):
            return {key: copy(item) for key, item in value.items()}
        if isinstance(value, list):
            return [copy(item) for item in value]
        if isinstance(value, tuple):
            return tuple(copy(item) for item in value)
        return value

    return [copy(arg) for arg in args]


def _changed(before, after):
    """True when ``after`` differs from the snapshot ``before`` (arrays compared exactly)."""
    if isinstance(before, np.ndarray):
        return not (
            isinstance(after, np.ndarray)
            and after.shape == before.shape
            and np.array_equal(after, before, equal_nan=before.dtype.kind == "f")
        )
    if isinstance(before, dict):
        return (
            not isinstance(after, dict)
            or before.keys() != after.keys()
            or any(_changed(before[key], after[key]) for key in before)
        )
    if isinstance(before, (list, tuple)):
        return len(before) != len(after) or any(_changed(b, a) for b, a in zip(before, after))
    return False


def _student_frame(exc):
    """The line of the student's own code where an exception was raised, if any."""
    library = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    frames = [
        frame
        for frame in traceback.extract_tb(exc.__traceback__)
        if not frame.filename.startswith(library)
        and "site-packages" not in frame.filename
        and "/lib/python" not in frame.filename
    ]
    if not frames:
        return ""
    frame = frames[-1]
    code = (frame.line or "").strip()
    return f"in {frame.name}, at `{code}`" if code else f"in {frame.name}"


def quiet_call(fn, *args, **kwargs):
    """Run student code: capture its exception, warnings and stderr; never raise.

    Returns
    -------
    _Call
    """
    result = _Call()
    with (
        warnings.catch_warnings(record=True) as caught,
        np.errstate(all="warn", under="ignore"),
        contextlib.redirect_stderr(sys.stdout),
    ):
        warnings.simplefilter("always")
        try:
            result.value = fn(*args, **kwargs)
        except (Exception, SystemExit) as exc:  # the student's bug, reported as a message
            result.error = exc
            result.where = _student_frame(exc)
    result.warnings = [f"{w.category.__name__}: {w.message}" for w in caught]
    return result


def _silently(fn, *args):
    """Run one of our own variants; ``None`` if it fails on these inputs."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            return fn(*args)
        except Exception:
            return None


def _describe_error(name, call):
    error = call.error
    if isinstance(error, NotImplementedError):
        return f"{name} is not written yet: replace `raise NotImplementedError` with your code."
    if isinstance(error, SystemExit):
        return f"{name} called exit(); a function should return its result instead."
    text = f"{name} raised {type(error).__name__}: {error}".rstrip(": ")
    if call.where:
        text += f"\nThe error happened {call.where}."
    return text


def _shape_of(value):
    return getattr(value, "shape", None)


def _fmt_shape(shape):
    return "()" if shape == () else str(tuple(shape))


def _close(a, b, tol):
    """Same shape and relative error below ``tol``; False for anything non-numeric."""
    try:
        a = np.asarray(a, dtype=np.float64)
        b = np.asarray(b, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    if a.shape != b.shape or not (np.all(np.isfinite(a)) and np.all(np.isfinite(b))):
        return False
    return rel_error(a, b) < tol


class Trial:
    """One run of a verifier against a student's function.

    Parameters
    ----------
    name : str
        The graded function's name, used in messages.
    fn : callable
        The student's function (or class).
    report : callable or None
        Called with each passed step's line; ``None`` to stay quiet.
    tol : float
        Relative error accepted for values (float32 inside a correct solution passes).
    extra : tuple
        More of the student's code a verifier needs (e.g. their own forward,
        whose cache their backward reads).
    """

    def __init__(self, name, fn, report=None, tol=_DEFAULT_TOL, extra=()):
        self.name = name
        self.fn = fn
        self.extra = tuple(extra)
        self.tol = tol
        self._report = report
        self._args = ()
        self._snapshot = None
        self._reference = None
        self._mistakes = ()
        self._probes = ()
        self._unpack = None

    # -- reporting -------------------------------------------------------
    def passed(self, step, message):
        """Record a passed step."""
        if self._report is not None:
            self._report(f"{PASS} {step}: {message}")

    def fail(self, step, message, mistake=None, not_done=False):
        """Stop the trial with a failure (optionally naming a :class:`Mistake`).

        ``not_done`` marks the failure as an exercise still left as its stub.
        """
        raise _StepFailed(step, message, mistake, not_done=not_done)

    # -- setting up diagnosis ---------------------------------------------
    def diagnose_with(self, reference, mistakes=(), probes=(), unpack=None):
        """Declare how to recognise mistakes for this case.

        Parameters
        ----------
        reference : callable
            The correct function, same arguments as the student's, returning
            outputs in the same structure.
        mistakes : sequence of Mistake
        probes : sequence of tuple
            Extra argument tuples on which mistakes that crash on the main
            inputs give comparable results (e.g. a square ``W``).
        unpack : callable
            ``unpack(raw_output) -> dict`` of named outputs, or raise.
        """
        if not all(isinstance(probe, tuple) for probe in probes):
            raise TypeError("each probe is a tuple of arguments")
        self._reference = reference
        self._mistakes = tuple(mistakes)
        self._probes = tuple(probes)
        self._unpack = unpack

    def _named(self, raw, output):
        if self._unpack is None:
            return {output: raw}
        try:
            return self._unpack(raw)
        except Exception:
            return None

    def identify(self, output, got):
        """The mistake whose result matches the student's ``got`` for ``output``, or None.

        Tries the main inputs first, then every probe.
        """
        candidates = [m for m in self._mistakes if m.output == output]
        if not candidates:
            return None
        if got is not None:
            for mistake in candidates:
                wrong = _silently(mistake.wrong, *self._snapshot)
                if wrong is not None and _close(got, wrong, self.tol):
                    return mistake
        for probe in self._probes:
            probe_args = _copy_inputs(probe)
            student = quiet_call(self.fn, *_copy_inputs(probe))
            if student.error is not None:
                continue
            named = self._named(student.value, output)
            if not named or output not in named:
                continue
            right = _silently(self._reference, *probe_args)
            right_named = self._named(right, output) if right is not None else None
            if right_named and _close(named[output], right_named[output], self.tol):
                continue
            for mistake in candidates:
                wrong = _silently(mistake.wrong, *probe_args)
                if wrong is not None and _close(named[output], wrong, self.tol):
                    return mistake
        return None

    # -- the steps ----------------------------------------------------------
    def call(self, *args, description="", context=""):
        """Run the student's function on ``args``; fail with a message if it raises.

        The arguments are snapshotted first so :meth:`expect_unchanged` can
        tell whether the function modified them. ``context`` (e.g. ``"while
        computing `a * b`"``) is added to the message when the code raises.
        """
        self._args = args
        self._snapshot = _copy_inputs(args)
        result = quiet_call(self.fn, *args)
        if result.error is not None:
            mistake = None
            if not isinstance(result.error, NotImplementedError):
                for output in dict.fromkeys(m.output for m in self._mistakes):
                    mistake = self.identify(output, None)
                    if mistake:
                        break
            message = _describe_error(self.name, result)
            if context:
                message += f"\nThis happened {context}."
            raise _StepFailed(
                "runs",
                message,
                mistake,
                not_done=isinstance(result.error, NotImplementedError),
            )
        if result.warnings:
            self.fail(
                "runs",
                f"{self.name} emitted a warning{description}: {result.warnings[0]}\n"
                "A warning usually means an overflow or a division by zero somewhere.",
                self._mistake_for_warning(),
            )
        return result.value

    def _mistake_for_warning(self):
        """An ``output="overflow"`` mistake whose variant also blows up on these inputs."""
        for mistake in self._mistakes:
            if mistake.output != "overflow":
                continue
            variant = quiet_call(mistake.wrong, *_copy_inputs(self._snapshot))
            try:
                finite = variant.error is None and bool(
                    np.all(np.isfinite(np.asarray(variant.value, dtype=float)))
                )
            except (TypeError, ValueError):
                finite = False
            if variant.warnings or not finite:
                return mistake
        return None

    def unpack(self, raw, names, what=None):
        """Split the student's return value into named outputs (the *type* step).

        Parameters
        ----------
        raw : object
            What the student's function returned.
        names : sequence of str
            Expected names; one name means a single return value.
        what : str, optional
            How to describe the return value in the message.

        Returns
        -------
        dict of str to object
        """
        names = list(names)
        if len(names) == 1:
            return {names[0]: raw}
        expected = "(" + ", ".join(names) + ")"
        if not isinstance(raw, (tuple, list)):
            self.fail(
                "type",
                f"{self.name} should return a tuple {expected}, but returned "
                f"{type(raw).__name__}" + (" (did you forget a return?)" if raw is None else "."),
            )
        if len(raw) != len(names):
            self.fail(
                "type",
                f"{self.name} should return {len(names)} values {expected}, but returned "
                f"{len(raw)}.",
            )
        return dict(zip(names, raw))

    def expect_array(self, value, what):
        """``value`` must be a floating-point ndarray."""
        if not isinstance(value, np.ndarray):
            hint = " (did you forget a return?)" if value is None else ""
            self.fail("type", f"{what} should be a NumPy array, got {type(value).__name__}{hint}.")
        if value.dtype.kind not in "fc":
            self.fail("type", f"{what} should hold floats, but its dtype is {value.dtype}.")

    def expect_scalar(self, value, what):
        """``value`` must be a real number (a float, NumPy scalar or 0-d array); returns it."""
        if isinstance(value, np.ndarray) and value.size != 1:
            mistake = self.identify(what, value)
            self.fail(
                "type",
                f"{what} should be a single number, but it is an array of shape "
                f"{_fmt_shape(value.shape)}.",
                mistake,
            )
        try:
            return float(value)
        except (TypeError, ValueError):
            self.fail("type", f"{what} should be a number, got {type(value).__name__}.")

    def expect_shape(self, value, shape, what, because=""):
        """``value.shape`` must equal ``shape``; a mismatch is checked against the mistakes."""
        actual = _shape_of(value)
        if actual != tuple(shape):
            mistake = self.identify(what, value)
            reason = f" {because}" if because else ""
            self.fail(
                "shape",
                f"{what} has shape {_fmt_shape(actual)}, expected {_fmt_shape(shape)}.{reason}",
                mistake,
            )
        self.passed("shape", f"{what} has shape {_fmt_shape(shape)}")

    def expect_close(self, value, expected, what, step="values", against="", tol=None):
        """``value`` must match ``expected`` to relative error ``tol``."""
        tol = self.tol if tol is None else tol
        got = np.asarray(value, dtype=np.float64)
        want = np.asarray(expected, dtype=np.float64)
        if got.shape != want.shape:
            self.expect_shape(value, want.shape, what)
        if not np.all(np.isfinite(got)):
            bad = int(np.size(got) - np.count_nonzero(np.isfinite(got)))
            mistake = self.identify(what, value) or self._mistake_for_warning()
            self.fail(
                step,
                f"{what} contains {bad} inf or nan value{'s' if bad > 1 else ''}; expected "
                "finite numbers.",
                mistake,
            )
        error = rel_error(got, want)
        if error >= tol:
            mistake = self.identify(what, value)
            message = f"{what} does not match{against}: relative error {error:.1e}."
            if got.ndim == 0:
                message += f" Expected {float(want):.6g}, got {float(got):.6g}."
            else:
                gap = np.abs(got - want)
                worst = np.unravel_index(int(np.argmax(gap)), gap.shape)
                index = ", ".join(str(int(i)) for i in worst)
                message += f"\nAt {what}[{index}] expected {want[worst]:.6g}, got {got[worst]:.6g}."
            self.fail(step, message, mistake)
        self.passed(step, f"{what} matches{against} (relative error {error:.0e})")

    def expect_unchanged(self, names):
        """None of the call's arguments were modified in place (the *side effects* step)."""
        for name, before, after in zip(names, self._snapshot, self._args):
            if _changed(before, after):
                mistake = None
                for candidate in self._mistakes:
                    if candidate.output == f"mutated {name}":
                        mistake = candidate
                self.fail(
                    "side effects",
                    f"{self.name} changed its input {name} in place. Graded functions must "
                    "leave their inputs untouched: work on a new array instead.",
                    mistake,
                )
        self.passed("side effects", f"inputs {', '.join(names)} are unchanged")


@dataclass(frozen=True)
class Verifier:
    """A graded function's verifier and the cases the student check runs."""

    name: str
    verify: Callable[..., None]
    cases: tuple
    catalog: tuple = ()
    tol: float = _DEFAULT_TOL
    uses: tuple = ()


#: Every graded function's verifier, by name.
VERIFIERS: dict = {}


def verifier(name, cases, catalog=(), tol=_DEFAULT_TOL, uses=()):
    """Register ``verify(trial, **case)`` as the verifier of graded function ``name``.

    Parameters
    ----------
    name : str
        Graded function name from the course contract.
    cases : sequence of dict
        The student check's cases, in order; each is passed as keyword
        arguments. An optional ``"label"`` describes the case.
    catalog : sequence of Mistake
        The mistakes the verifier can name (for documentation and tests).
    uses : sequence of str
        Other graded functions the student's version usually calls; a failure
        then suggests checking those first.
    """

    def register(verify):
        VERIFIERS[name] = Verifier(name, verify, tuple(cases), tuple(catalog), tol, tuple(uses))
        return verify

    return register


def _case_label(case):
    return case.get("label") or ", ".join(f"{k}={v}" for k, v in case.items() if k != "label")


class Failure(list):
    """The lines describing a failed case; ``not_done`` when the code is still the stub."""

    def __init__(self, lines, not_done=False):
        super().__init__(lines)
        self.not_done = not_done


def run_cases(name, fn, cases, report=None, extra=()):
    """Run a verifier over ``cases``; return ``[(case, None | failure_lines)]``.

    Never raises for anything the student's code does.
    """
    spec = VERIFIERS[name]
    outcomes = []
    for case in cases:
        trial = Trial(name, fn, report=report, tol=spec.tol, extra=extra)
        kwargs = {k: v for k, v in case.items() if k != "label"}
        try:
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                spec.verify(trial, **kwargs)
        except _StepFailed as failure:
            outcomes.append((case, Failure(failure.lines(), not_done=failure.not_done)))
        else:
            outcomes.append((case, None))
        report = None  # only the first case prints its passed steps
    return outcomes


def run_check(name, fn, *extra):
    """The student check: print each passed step; stop at the first failure.

    Outside the grader a failure raises :class:`CheckFailed` (shown as a short
    message, no traceback); under the grader it is printed instead so the
    hidden tests in the same cell still run.
    """
    if name not in VERIFIERS:
        raise KeyError(f"no check named {name!r}; known: {', '.join(sorted(VERIFIERS))}")
    spec = VERIFIERS[name]
    if not callable(fn):
        lines = [
            f"{FAIL} type: check_{name} needs your function itself, e.g. "
            f"check_{name}({name}); got {type(fn).__name__}."
        ]
        return _finish(name, lines)
    print(f"Checking {name} ...")
    stream = io.StringIO()
    with contextlib.redirect_stderr(stream):
        first = True
        for case in spec.cases:
            ((_, lines),) = run_cases(
                name, fn, [case], report=print if first else None, extra=extra
            )
            if lines:
                if spec.uses and not lines.not_done:
                    lines.append(
                        f"  (If {name} calls your {_and_list(spec.uses)}, make sure their "
                        "checks pass first: a mistake there shows up here too.)"
                    )
                if not first:
                    lines.insert(
                        0, f"Your {name} passed the first case but not {_case_label(case)}:"
                    )
                return _finish(name, lines, not_done=lines.not_done)
            if not first:
                print(f"{PASS} also right on {_case_label(case)}")
            first = False
    print(f"All checks passed for {name}. Well done!")


def _and_list(names):
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def _finish(name, lines, not_done=False):
    if grading_mode():
        print("\n".join(lines))
        return None
    raise (NotDoneYet if not_done else CheckFailed)(name, lines)
