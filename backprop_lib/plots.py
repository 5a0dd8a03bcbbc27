"""Pictures of learning: loss curves, decision boundaries, gradient norms, fitted curves.

Every function draws into the ``ax`` it is given, or into a new figure made
with :class:`matplotlib.figure.Figure` (never :mod:`matplotlib.pyplot`), and
returns the figure. Nothing is registered with pyplot, so no figure lingers
in global state, and a notebook cell that returns the figure shows it once.
"""

from __future__ import annotations

import io

import numpy as np
from matplotlib.colors import Normalize
from matplotlib.figure import Figure

__all__ = [
    "NotebookFigure",
    "plot_loss_curves",
    "plot_decision_boundary",
    "plot_gradient_norms",
    "plot_regression",
]

#: Class k gets the k-th tab10 colour, in the regions and the points alike.
_CLASS_COLORS = {"cmap": "tab10", "vmin": 0, "vmax": 9}


class NotebookFigure(Figure):
    """A :class:`~matplotlib.figure.Figure` that renders as PNG in a notebook.

    Jupyter shows a plain ``Figure`` as an image only after pyplot's inline
    backend has been loaded; this one shows itself either way.
    """

    def _repr_png_(self):
        buffer = io.BytesIO()
        self.savefig(buffer, format="png", bbox_inches="tight")
        return buffer.getvalue()


def _figure_and_axes(ax, figsize):
    if ax is not None:
        return ax.figure, ax
    figure = NotebookFigure(figsize=figsize, layout="constrained")
    return figure, figure.add_subplot()


def plot_loss_curves(history, ax=None, title="Learning curves", log_scale=False):
    """Training and validation loss per epoch, with validation accuracy on a second axis.

    Parameters
    ----------
    history : dict of str to sequence of float
        As returned by :func:`~backprop_lib.training.train`: every key ending
        in ``"loss"`` is drawn as a curve; ``"val_acc"``, if present, on the
        right-hand axis.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure is made when omitted.
    title : str
    log_scale : bool
        Logarithmic loss axis, useful when the loss spans orders of magnitude.

    Returns
    -------
    matplotlib.figure.Figure
    """
    figure, ax = _figure_and_axes(ax, figsize=(6, 4))
    loss_keys = [key for key in history if key.endswith("loss")]
    if not loss_keys:
        raise ValueError(f"history has no loss curve: keys are {sorted(history)}")
    for key in loss_keys:
        epochs = np.arange(1, len(history[key]) + 1)
        ax.plot(epochs, history[key], marker=".", label=key.replace("_", " "))
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss")
    if log_scale:
        ax.set_yscale("log")
    ax.set_title(title)
    handles, labels = ax.get_legend_handles_labels()
    if "val_acc" in history:
        accuracy_ax = ax.twinx()
        epochs = np.arange(1, len(history["val_acc"]) + 1)
        (line,) = accuracy_ax.plot(
            epochs, history["val_acc"], color="tab:green", linestyle="--", label="val acc"
        )
        accuracy_ax.set_ylabel("validation accuracy")
        accuracy_ax.set_ylim(0, 1.02)
        handles, labels = [*handles, line], [*labels, "val acc"]
    ax.legend(handles, labels, loc="center right")
    return figure


def _grid(X, resolution, margin):
    low = X.min(axis=0) - margin
    high = X.max(axis=0) + margin
    xs = np.linspace(low[0], high[0], resolution)
    ys = np.linspace(low[1], high[1], resolution)
    return np.meshgrid(xs, ys)


def _as_labels_or_scores(output, n_points):
    output = np.asarray(output)
    if output.ndim == 2 and output.shape[1] > 1:
        return output.argmax(axis=1), True
    output = output.reshape(n_points)
    if output.dtype.kind in "biu":
        return output.astype(np.int64), True
    return output, False


def _is_probability(values):
    return bool(np.all((values >= 0) & (values <= 1)))


def _neutral_white(values):
    """A colour scale whose white is the undecided value: 0.5 for probabilities, else 0."""
    if _is_probability(values):
        return Normalize(vmin=0.0, vmax=1.0)
    reach = max(float(np.max(np.abs(values))), 1e-12)
    return Normalize(vmin=-reach, vmax=reach)


def plot_decision_boundary(
    predict, X, y, ax=None, resolution=200, margin=0.5, title="Decision boundary"
):
    """The regions a classifier assigns to each class, with the data on top.

    Parameters
    ----------
    predict : callable
        Maps points of shape (M, 2) to labels of shape (M,), class scores of
        shape (M, C) (the largest wins), or one real score per point of shape
        (M,) or (M, 1) (drawn as a continuous heat map whose white is the
        undecided value: 0.5 when every value is a probability in [0, 1], else 0).
    X : ndarray of shape (N, 2)
    y : ndarray of int of shape (N,)
    ax : matplotlib.axes.Axes, optional
    resolution : int
        Grid points along each axis.
    margin : float
        Space around the data, in data units.
    title : str

    Returns
    -------
    matplotlib.figure.Figure
    """
    X, y = np.asarray(X), np.asarray(y)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"X must have shape (N, 2) to be drawn in the plane, not {X.shape}")
    figure, ax = _figure_and_axes(ax, figsize=(5, 5))
    xx, yy = _grid(X, resolution, margin)
    grid_points = np.column_stack([xx.ravel(), yy.ravel()])
    values, is_labels = _as_labels_or_scores(predict(grid_points), len(grid_points))
    values = values.reshape(xx.shape)
    if is_labels:
        n_classes = int(max(y.max(initial=0), values.max())) + 1
        levels = np.arange(n_classes + 1) - 0.5
        ax.contourf(xx, yy, values, levels=levels, alpha=0.3, **_CLASS_COLORS)
    else:
        mesh = ax.pcolormesh(
            xx, yy, values, cmap="RdBu_r", shading="auto", alpha=0.5, norm=_neutral_white(values)
        )
        label = "probability of class 1" if _is_probability(values) else "score"
        figure.colorbar(mesh, ax=ax, label=label)
    ax.scatter(X[:, 0], X[:, 1], c=y, s=15, edgecolors="k", linewidths=0.3, **_CLASS_COLORS)
    ax.set_xlim(xx.min(), xx.max())
    ax.set_ylim(yy.min(), yy.max())
    ax.set_aspect("equal")
    ax.set_title(title)
    return figure


def plot_gradient_norms(norms, ax=None, title="Gradient norm per layer"):
    """Gradient norms per layer on a log scale: vanishing or exploding at a glance.

    Parameters
    ----------
    norms : dict of str to float or to sequence of float
        One entry per layer in order, e.g. from
        :func:`~backprop_lib.training.gradient_norms`. A float per layer
        gives a bar chart; a sequence per layer (its norm at every step)
        gives one curve per layer.
    ax : matplotlib.axes.Axes, optional
    title : str

    Returns
    -------
    matplotlib.figure.Figure
    """
    if not norms:
        raise ValueError("norms is empty: expected one entry per layer")
    figure, ax = _figure_and_axes(ax, figsize=(6, 4))
    values = [np.asarray(value, dtype=np.float64) for value in norms.values()]
    if all(value.ndim == 0 for value in values):
        ax.bar(list(norms), values, color="tab:blue")
        ax.set_xlabel("layer")
    else:
        for name, value in zip(norms, values):
            ax.plot(np.arange(1, value.size + 1), value.ravel(), label=str(name))
        ax.set_xlabel("step")
        ax.legend()
    ax.set_yscale("log")
    ax.set_ylabel("gradient norm")
    ax.set_title(title)
    return figure


def plot_regression(X, y, predict=None, ax=None, title="Regression fit", resolution=300):
    """Data points of a 1-D regression problem and, optionally, a model's curve.

    Parameters
    ----------
    X : ndarray of shape (N, 1)
    y : ndarray of shape (N,) or (N, 1)
    predict : callable, optional
        Maps inputs of shape (M, 1) to predictions of shape (M,) or (M, 1).
    ax : matplotlib.axes.Axes, optional
    title : str
    resolution : int
        Points on the drawn curve.

    Returns
    -------
    matplotlib.figure.Figure
    """
    X, y = np.asarray(X), np.asarray(y)
    if X.ndim != 2 or X.shape[1] != 1:
        raise ValueError(f"X must have shape (N, 1), not {X.shape}")
    figure, ax = _figure_and_axes(ax, figsize=(6, 4))
    ax.scatter(X[:, 0], y.reshape(len(X)), s=12, color="tab:gray", label="data")
    if predict is not None:
        line_x = np.linspace(X.min(), X.max(), resolution).reshape(-1, 1)
        line_y = np.asarray(predict(line_x)).reshape(resolution)
        ax.plot(line_x[:, 0], line_y, color="tab:red", linewidth=2, label="model")
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.set_title(title)
    ax.legend()
    return figure
