"""The check engine, and what every check does whatever the exercise."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import backprop_lib as bl
from backprop_lib import checks
from backprop_lib.checks import GRADING_ENV, MISTAKE_MARKER, VERIFIERS, CheckFailed, check
from backprop_lib.checks._core import Mistake, NotDoneYet, Trial, run_cases, run_check

from .references import REFERENCES
from .util import as_call, failure, passes

NAMES = sorted(VERIFIERS)


def _stub(name, error):
    """A student's unfinished or broken version of ``name`` that raises ``error``."""

    def broken(*args, **kwargs):
        raise error

    if name == "Value":

        class Value:
            def __init__(self, *args, **kwargs):
                raise error

        return Value
    if name == "batchnorm_backward":
        return (broken, bl.batchnorm_forward)
    return broken


def test_every_graded_function_has_a_check_and_a_reference():
    """Does every graded function of the course have a verifier, a check_<name> and a reference?"""
    assert set(VERIFIERS) == set(REFERENCES)
    for name in VERIFIERS:
        assert callable(getattr(checks, f"check_{name}"))
        assert f"check_{name}" in checks.__all__


@pytest.mark.parametrize("name", NAMES)
def test_reference_passes(name, capsys):
    """Does a correct solution pass every case, saying so, with nothing on stderr?"""
    passes(name, REFERENCES[name])
    captured = capsys.readouterr()
    assert f"All checks passed for {name}" in captured.out
    assert captured.err == ""


@pytest.mark.parametrize("name", NAMES)
def test_not_implemented_says_not_written_yet(name, capsys):
    """Does the untouched stub get the "not written yet" message, as a NotImplementedError?"""
    fn, extra = as_call(_stub(name, NotImplementedError()))
    with pytest.raises(NotDoneYet) as info:
        run_check(name, fn, *extra)
    assert isinstance(info.value, NotImplementedError)
    assert "is not written yet" in str(info.value)
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("name", NAMES)
def test_exception_is_reported_as_a_message_about_the_students_code(name, capsys):
    """Does an error in the student's code become a message naming it, not a traceback?"""
    message = failure(name, _stub(name, ValueError("boom")))
    assert "raised ValueError: boom" in message
    assert "The error happened in" in message
    assert "Traceback" not in message
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("name", NAMES)
def test_grading_mode_prints_instead_of_raising(name, monkeypatch, capsys):
    """Under the autograder, does a failing check print its message and return normally?"""
    monkeypatch.setenv(GRADING_ENV, "1")
    fn, extra = as_call(_stub(name, ValueError("boom")))
    assert run_check(name, fn, *extra) is None
    captured = capsys.readouterr()
    assert "raised ValueError: boom" in captured.out
    assert captured.err == ""


@pytest.mark.parametrize("name", NAMES)
def test_noisy_student_code_writes_nothing_to_stderr(name, capsys):
    """Does a check keep the student's prints to stderr and their warnings out of stderr?"""
    import sys
    import warnings

    def noisy(*args, **kwargs):
        print("debugging", file=sys.stderr)
        warnings.warn("careful", UserWarning, stacklevel=1)
        raise RuntimeError("stop")

    entry = _stub(name, RuntimeError("stop"))
    if name not in ("Value", "batchnorm_backward"):
        entry = noisy
    message = failure(name, entry)
    assert "Traceback" not in message
    assert capsys.readouterr().err == ""


def test_not_a_function_is_explained():
    """Does passing something that is not a function get a plain explanation?"""
    message = failure("dense_forward", 42)
    assert "needs your function itself" in message


def test_unknown_check_name():
    """Does asking for a check that does not exist list the ones that do?"""
    with pytest.raises(KeyError, match="known:"):
        run_check("no_such_exercise", lambda: None)


def test_check_by_name():
    """Does check("name", fn) run the same check as check_name(fn)?"""
    check("relu_forward", bl.relu_forward)
    with pytest.raises(CheckFailed):
        check("relu_forward", lambda Z: (Z, Z))


def test_failure_renders_without_traceback():
    """Does a CheckFailed show only its lines (first in red) in a notebook?"""
    error = CheckFailed("x", ["\u2717 values: wrong", "  detail"])
    rendered = error._render_traceback_()
    assert rendered[0].startswith("\x1b[0;31m")
    assert rendered[1] == "  detail"


def test_call_context_is_added_to_the_error():
    """Does Trial.call say which computation raised when given a context?"""

    def broken(x):
        raise ZeroDivisionError("no")

    trial = Trial("f", broken)
    with pytest.raises(Exception) as info:
        trial.call(1, context="while computing `f(1)`")
    assert "This happened while computing `f(1)`." in str(info.value)


def test_mistake_names_its_title_after_the_marker():
    """Does a Mistake describe itself with the marker reports count on?"""
    mistake = Mistake("a title", "a hint", lambda: None, "out")
    assert mistake.describe() == f"{MISTAKE_MARKER} a title. a hint"


def test_run_cases_never_raises_for_student_code():
    """Does run_cases return failures as lines rather than raising, for the grader?"""
    outcomes = run_cases(
        "softmax", lambda Z: 1 / 0, [dict(N=2, C=3, seed=0, scale=1.0, offset=0.0)]
    )
    ((_, lines),) = outcomes
    assert lines and "ZeroDivisionError" in lines[0]


def test_warnings_do_not_escape_a_check():
    """Does a check swallow the warnings of the student's code (pytest turns them into errors)?"""
    message = failure("softmax", lambda Z: np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True))
    assert "emitted a warning" in message


def _shapes(max_dims=2):
    return st.lists(st.integers(1, 7), min_size=1, max_size=max_dims).map(tuple)


_SIZES = st.integers(1, 9)
_SEEDS = st.integers(0, 10_000)

#: Valid verifier keyword arguments of the kind hidden tests choose, per graded function.
RANDOM_CASES = {
    "dense_forward": st.fixed_dictionaries(dict(N=_SIZES, D=_SIZES, M=_SIZES, seed=_SEEDS)),
    "relu_forward": st.fixed_dictionaries(dict(shape=_shapes(), seed=_SEEDS)),
    "mse_loss": st.fixed_dictionaries(dict(shape=_shapes(), seed=_SEEDS)),
    "numerical_gradient": st.fixed_dictionaries(
        dict(shape=_shapes(3), seed=_SEEDS, h=st.sampled_from([None, 1e-4, 1e-3, 1e-2]))
    ),
    "dense_backward": st.fixed_dictionaries(dict(N=_SIZES, D=_SIZES, M=_SIZES, seed=_SEEDS)),
    "relu_backward": st.fixed_dictionaries(dict(shape=_shapes(), seed=_SEEDS)),
    "sigmoid_backward": st.fixed_dictionaries(
        dict(shape=_shapes(), seed=_SEEDS, scale=st.sampled_from([1e-3, 1.0, 8.0, 40.0, 1e3]))
    ),
    "mse_backward": st.fixed_dictionaries(dict(shape=_shapes(), seed=_SEEDS)),
    "softmax_cross_entropy_backward": st.fixed_dictionaries(
        dict(
            N=_SIZES,
            C=st.integers(2, 9),
            seed=_SEEDS,
            scale=st.sampled_from([0.1, 1.0, 30.0]),
            offset=st.sampled_from([0.0, 1e3, -1e3]),
        )
    ),
    "mlp_backward": st.fixed_dictionaries(
        dict(
            sizes=st.lists(st.integers(1, 8), min_size=2, max_size=5).map(tuple),
            N=_SIZES,
            activation=st.sampled_from(["relu", "sigmoid"]),
            seed=_SEEDS,
        )
    ),
    "sgd": st.fixed_dictionaries(
        dict(shape=_shapes(), seed=_SEEDS, learning_rate=st.sampled_from([None, 0.3, 1e-3]))
    ),
    "iterate_minibatches": st.fixed_dictionaries(
        dict(N=st.integers(1, 40), D=st.integers(1, 4), batch_size=st.integers(1, 45), seed=_SEEDS)
    ),
    "train": st.fixed_dictionaries(
        dict(
            N=st.integers(4, 30),
            N_val=st.integers(1, 8),
            D=st.integers(1, 5),
            C=st.integers(2, 4),
            hidden=st.lists(st.integers(1, 6), min_size=1, max_size=2).map(tuple),
            learning_rate=st.sampled_from([0.0, 1e-4, 0.05, 0.5]),
            epochs=st.integers(1, 3),
            batch_size=st.integers(1, 35),
            seed=st.sampled_from([None, 0, 4]),
            activation=st.sampled_from([None, "relu", "sigmoid"]),
            data_seed=_SEEDS,
        )
    ),
    "he_init": st.fixed_dictionaries(
        dict(fan_in=st.integers(1, 400), fan_out=st.integers(1, 400), seed=_SEEDS)
    ),
    "batchnorm_forward": st.fixed_dictionaries(
        dict(N=st.integers(2, 10), D=_SIZES, seed=_SEEDS, eps=st.sampled_from([None, 1e-3, 0.5]))
    ),
    "batchnorm_backward": st.fixed_dictionaries(dict(N=st.integers(2, 10), D=_SIZES, seed=_SEEDS)),
    "adam": st.fixed_dictionaries(
        dict(
            shape=_shapes(),
            seed=_SEEDS,
            steps=st.integers(1, 5),
            config=st.sampled_from([None, {"learning_rate": 0.02, "beta2": 0.9}]),
        )
    ),
}


@pytest.mark.parametrize("name", sorted(RANDOM_CASES))
def test_reference_passes_random_valid_cases(name):
    """Does the reference pass on any valid case a hidden test might choose?"""

    @settings(max_examples=12, deadline=None, derandomize=True, database=None)
    @given(case=RANDOM_CASES[name])
    def check(case):
        fn, extra = as_call(REFERENCES[name])
        ((_, lines),) = run_cases(name, fn, [case], extra=extra)
        assert lines is None, (case, lines)

    check()
