"""Student checks: one ``check_<name>(your_function)`` per graded exercise.

Each check runs your function on small seeded cases and tests, in order,
type -> shape -> values -> gradient -> side effects. It prints one line per
passed step and stops at the first problem with a message that says what
was expected, what came back and, when it recognises a common mistake,
which one. Use ``check("dense_forward", dense_forward)`` or the named form.
"""

from __future__ import annotations

from . import (  # noqa: F401  (registers the verifiers)
    autodiff,
    backward,
    capstone,
    deep,
    forward,
    losses,
    optimizers,
    training,
)
from ._core import GRADING_ENV, MISTAKE_MARKER, VERIFIERS, CheckFailed, grading_mode, run_check
from .answers import check_choice, check_number

__all__ = [
    "check",
    "check_choice",
    "check_number",
    "CheckFailed",
    "VERIFIERS",
    "MISTAKE_MARKER",
    "GRADING_ENV",
    "grading_mode",
    "check_dense_forward",
    "check_relu_forward",
    "check_sigmoid_forward",
    "check_mlp_forward",
    "check_mse_loss",
    "check_softmax",
    "check_cross_entropy_loss",
    "check_numerical_gradient",
    "check_dense_backward",
    "check_relu_backward",
    "check_sigmoid_backward",
    "check_mse_backward",
    "check_softmax_cross_entropy_backward",
    "check_mlp_backward",
    "check_sgd",
    "check_iterate_minibatches",
    "check_train",
    "check_xavier_init",
    "check_he_init",
    "check_batchnorm_forward",
    "check_batchnorm_backward",
    "check_momentum",
    "check_adam",
    "check_Value",
    "check_build_and_train",
]


def check(name, fn, *extra):
    """Run the student check of graded function ``name`` on ``fn``."""
    run_check(name, fn, *extra)


def check_dense_forward(dense_forward):
    """Check your ``dense_forward``; prints each passed step."""
    run_check("dense_forward", dense_forward)


def check_relu_forward(relu_forward):
    """Check your ``relu_forward``; prints each passed step."""
    run_check("relu_forward", relu_forward)


def check_sigmoid_forward(sigmoid_forward):
    """Check your ``sigmoid_forward``; prints each passed step."""
    run_check("sigmoid_forward", sigmoid_forward)


def check_mlp_forward(mlp_forward):
    """Check your ``mlp_forward``; prints each passed step."""
    run_check("mlp_forward", mlp_forward)


def check_mse_loss(mse_loss):
    """Check your ``mse_loss``; prints each passed step."""
    run_check("mse_loss", mse_loss)


def check_softmax(softmax):
    """Check your ``softmax``; prints each passed step."""
    run_check("softmax", softmax)


def check_cross_entropy_loss(cross_entropy_loss):
    """Check your ``cross_entropy_loss``; prints each passed step."""
    run_check("cross_entropy_loss", cross_entropy_loss)


def check_numerical_gradient(numerical_gradient):
    """Check your ``numerical_gradient``; prints each passed step."""
    run_check("numerical_gradient", numerical_gradient)


def check_dense_backward(dense_backward):
    """Check your ``dense_backward``; prints each passed step."""
    run_check("dense_backward", dense_backward)


def check_relu_backward(relu_backward):
    """Check your ``relu_backward``; prints each passed step."""
    run_check("relu_backward", relu_backward)


def check_sigmoid_backward(sigmoid_backward):
    """Check your ``sigmoid_backward``; prints each passed step."""
    run_check("sigmoid_backward", sigmoid_backward)


def check_mse_backward(mse_backward):
    """Check your ``mse_backward``; prints each passed step."""
    run_check("mse_backward", mse_backward)


def check_softmax_cross_entropy_backward(softmax_cross_entropy_backward):
    """Check your ``softmax_cross_entropy_backward``; prints each passed step."""
    run_check("softmax_cross_entropy_backward", softmax_cross_entropy_backward)


def check_mlp_backward(mlp_backward):
    """Check your ``mlp_backward``; prints each passed step."""
    run_check("mlp_backward", mlp_backward)


def check_sgd(sgd):
    """Check your ``sgd``; prints each passed step."""
    run_check("sgd", sgd)


def check_iterate_minibatches(iterate_minibatches):
    """Check your ``iterate_minibatches``; prints each passed step."""
    run_check("iterate_minibatches", iterate_minibatches)


def check_train(train):
    """Check your ``train``; prints each passed step."""
    run_check("train", train)


def check_xavier_init(xavier_init):
    """Check your ``xavier_init``; prints each passed step."""
    run_check("xavier_init", xavier_init)


def check_he_init(he_init):
    """Check your ``he_init``; prints each passed step."""
    run_check("he_init", he_init)


def check_batchnorm_forward(batchnorm_forward):
    """Check your ``batchnorm_forward``; prints each passed step."""
    run_check("batchnorm_forward", batchnorm_forward)


def check_batchnorm_backward(batchnorm_backward, batchnorm_forward=None):
    """Check your ``batchnorm_backward``, run on the cache of your ``batchnorm_forward``."""
    run_check("batchnorm_backward", batchnorm_backward, batchnorm_forward)


def check_momentum(momentum):
    """Check your ``momentum``; prints each passed step."""
    run_check("momentum", momentum)


def check_adam(adam):
    """Check your ``adam``; prints each passed step."""
    run_check("adam", adam)


def check_Value(Value):
    """Check your ``Value``; prints each passed step."""
    run_check("Value", Value)


def check_build_and_train(build_and_train):
    """Check your ``build_and_train``; prints each passed step."""
    run_check("build_and_train", build_and_train)
