"""backprop_lib: the reference engine of the backpropagation course.

Layers are forward/backward pairs with explicit caches, losses average over
the batch, update rules share ``rule(w, dw, config) -> (next_w, config)``,
and :mod:`backprop_lib.checks` holds the student checks.
"""

from .autodiff import Value
from .batchnorm import batchnorm_backward, batchnorm_forward
from .data import (
    DigitsSplit,
    load_digits_split,
    make_circles,
    make_moons,
    make_regression_1d,
    make_spirals,
    make_xor,
    train_val_split,
)
from .fast import FastMLP
from .gradcheck import (
    gradient_report,
    numerical_gradient,
    numerical_gradient_array,
    rel_error,
)
from .initializers import he_init, naive_init, xavier_init
from .layers import (
    dense_backward,
    dense_forward,
    relu_backward,
    relu_forward,
    sigmoid,
    sigmoid_backward,
    sigmoid_forward,
    tanh_backward,
    tanh_forward,
)
from .losses import (
    cross_entropy_loss,
    log_softmax,
    mse_backward,
    mse_loss,
    softmax,
    softmax_cross_entropy,
    softmax_cross_entropy_backward,
)
from .mlp import init_mlp, mlp_backward, mlp_forward, num_layers
from .optim import adam, momentum, sgd
from .plots import (
    NotebookFigure,
    plot_decision_boundary,
    plot_gradient_norms,
    plot_loss_curves,
    plot_regression,
)
from .training import accuracy, gradient_norms, iterate_minibatches, predict, train

__version__ = "0.1.0"

__all__ = [
    "accuracy",
    "adam",
    "batchnorm_backward",
    "batchnorm_forward",
    "cross_entropy_loss",
    "dense_backward",
    "dense_forward",
    "DigitsSplit",
    "FastMLP",
    "gradient_norms",
    "gradient_report",
    "he_init",
    "init_mlp",
    "iterate_minibatches",
    "load_digits_split",
    "log_softmax",
    "make_circles",
    "make_moons",
    "make_regression_1d",
    "make_spirals",
    "make_xor",
    "mlp_backward",
    "mlp_forward",
    "momentum",
    "mse_backward",
    "mse_loss",
    "naive_init",
    "NotebookFigure",
    "num_layers",
    "numerical_gradient",
    "numerical_gradient_array",
    "plot_decision_boundary",
    "plot_gradient_norms",
    "plot_loss_curves",
    "plot_regression",
    "predict",
    "rel_error",
    "relu_backward",
    "relu_forward",
    "sgd",
    "sigmoid",
    "sigmoid_backward",
    "sigmoid_forward",
    "softmax",
    "softmax_cross_entropy",
    "softmax_cross_entropy_backward",
    "tanh_backward",
    "tanh_forward",
    "train",
    "train_val_split",
    "Value",
    "xavier_init",
]
