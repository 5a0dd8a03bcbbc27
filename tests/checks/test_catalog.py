"""Coverage of the mistake catalogs: every mistake a check can name is shown to be named."""

from __future__ import annotations

import pytest

from backprop_lib.checks import VERIFIERS

from . import (
    test_autodiff,
    test_backward,
    test_capstone,
    test_deep,
    test_forward,
    test_losses,
    test_optimizers,
    test_training,
)

TABLES = (
    test_forward,
    test_losses,
    test_backward,
    test_training,
    test_deep,
    test_optimizers,
    test_autodiff,
    test_capstone,
)

#: (graded function, mistake title) -> a wrong implementation, from every test module.
WRONG_IMPLEMENTATIONS = {
    key: entry for module in TABLES for key, entry in module.WRONG_IMPLEMENTATIONS.items()
}

CATALOG = sorted(
    (name, mistake.title) for name, spec in VERIFIERS.items() for mistake in spec.catalog
)

#: The mistakes the course contract says checks must name (COURSE.md), as catalog titles.
REQUIRED = [
    ("dense_forward", "W used transposed"),
    ("dense_forward", "bias forgotten"),
    ("dense_forward", "bias added on the wrong axis"),
    ("softmax", "no max-subtraction (overflow on large scores)"),
    ("softmax", "normalised along the wrong axis"),
    ("cross_entropy_loss", "no max-subtraction (overflow on large scores)"),
    ("cross_entropy_loss", "normalised along the wrong axis"),
    ("cross_entropy_loss", "sum instead of mean"),
    ("mse_loss", "sum instead of mean"),
    ("dense_backward", "dW transposed"),
    ("dense_backward", "db not summed over the batch"),
    ("dense_backward", "db summed over the wrong axis"),
    ("dense_backward", "dX computed with W instead of W.T"),
    ("relu_backward", "mask taken from dA instead of the forward input"),
    ("relu_backward", "input mutated in place"),
    ("sigmoid_backward", "derivative computed from Z instead of sigmoid(Z)"),
    ("mse_backward", "missing factor 2"),
    ("mse_backward", "missing division by the number of entries"),
    ("mse_backward", "sign flipped"),
    ("softmax_cross_entropy_backward", "missing 1/N"),
    ("softmax_cross_entropy_backward", "one-hot not subtracted"),
    ("softmax_cross_entropy_backward", "sign flipped"),
    ("numerical_gradient", "x not restored"),
    ("numerical_gradient", "one-sided difference"),
    ("numerical_gradient", "wrong denominator (h instead of 2h)"),
    ("numerical_gradient", "wrong denominator (/ 2 * h)"),
    ("sgd", "step in the wrong direction"),
    ("momentum", "step in the wrong direction"),
    ("momentum", "state not kept in config"),
    ("adam", "step in the wrong direction"),
    ("adam", "state not kept in config"),
    ("adam", "Adam without bias correction"),
    ("iterate_minibatches", "no shuffling"),
    ("iterate_minibatches", "last partial batch dropped"),
    ("iterate_minibatches", "sampling with replacement"),
    ("batchnorm_backward", "mean and variance treated as constants"),
    ("Value", "gradients assigned instead of accumulated"),
    ("Value", "wrong topological order"),
]


def test_every_catalog_mistake_has_a_wrong_implementation():
    """Is there a deliberately wrong implementation for every mistake any check can name?"""
    missing = [key for key in CATALOG if key not in WRONG_IMPLEMENTATIONS]
    assert not missing, f"mistakes without a test: {missing}"


def test_no_wrong_implementation_for_an_unknown_mistake():
    """Does every wrong implementation in the tables stand for a mistake some catalog holds?"""
    unknown = [key for key in WRONG_IMPLEMENTATIONS if key not in CATALOG]
    assert not unknown, f"not in any catalog: {unknown}"


@pytest.mark.parametrize("key", REQUIRED, ids=lambda key: f"{key[0]}: {key[1]}")
def test_course_contract_mistakes_are_in_the_catalogs(key):
    """Is each mistake the course contract requires in its check's catalog (and so tested)?"""
    assert key in CATALOG


def test_titles_are_unique_within_a_check():
    """Does each check give each of its mistakes its own title, so a report is unambiguous?"""
    for name, spec in VERIFIERS.items():
        titles = [mistake.title for mistake in spec.catalog]
        assert len(titles) == len(set(titles)), name


def test_every_mistake_has_a_hint_that_says_what_to_do():
    """Does every catalog mistake come with a hint of at least a sentence?"""
    for name, spec in VERIFIERS.items():
        for mistake in spec.catalog:
            assert len(mistake.hint) > 30 and mistake.hint.rstrip().endswith((".", ")")), (
                name,
                mistake.title,
            )
