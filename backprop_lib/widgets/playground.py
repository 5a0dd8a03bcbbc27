"""A small neural-network playground: pick data and a network, train it, watch it learn.

In the spirit of TensorFlow Playground. The model is :class:`PlaygroundModel`:
plain Python over :mod:`backprop_lib` (``init_mlp``, ``mlp_forward``,
``softmax_cross_entropy``, ``mlp_backward``, ``sgd``), configured by a plain
state dict, with ``step(epochs)``, ``reset()`` and ``snapshot()`` (everything a
drawing needs). :func:`plot_playground` draws a snapshot as a static figure;
:class:`Playground` is the thin widget: controls bound to the state dict,
Train / Step / Reset buttons, and one reused figure redrawn into an image.

An instructor pins a configuration and hides the controls students should
not touch::

    Playground(state={"dataset": "spiral", "hidden_layers": 4}, hide=("dataset",))

Training is bounded: one click on *Train* runs ``epochs_per_click`` epochs
(redrawing as it goes) and returns, so the kernel is never held for long.
"""

from __future__ import annotations

import math
import numbers
import time
from dataclasses import dataclass

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import LogLocator, NullLocator
from threadpoolctl import threadpool_limits

from ..data import make_circles, make_moons, make_spirals, make_xor, train_val_split
from ..losses import cross_entropy_loss, softmax, softmax_cross_entropy
from ..mlp import init_mlp, mlp_backward, mlp_forward
from ..optim import sgd
from ..plots import NotebookFigure
from ..training import iterate_minibatches
from ._blit import BlitRenderer

__all__ = [
    "PLAYGROUND_DATASETS",
    "DEFAULT_STATE",
    "PlaygroundSnapshot",
    "PlaygroundModel",
    "plot_playground",
    "Playground",
]

#: Datasets by name: ``name -> f(n_samples, noise, seed) -> (X, y)``.
PLAYGROUND_DATASETS = {
    "circle": lambda n, noise, seed: make_circles(n, noise=noise, factor=0.5, seed=seed),
    "xor": lambda n, noise, seed: make_xor(n, noise=noise, seed=seed),
    "spiral": lambda n, noise, seed: make_spirals(n, n_classes=2, noise=noise, seed=seed),
    "moons": lambda n, noise, seed: make_moons(n, noise=noise, seed=seed),
}
_DATASET_LABELS = {"circle": "circle", "xor": "XOR", "spiral": "spiral", "moons": "moons"}
_ACTIVATION_LABELS = {"tanh": "tanh", "relu": "ReLU", "sigmoid": "sigmoid"}
_INIT_LABELS = {"xavier": "Xavier", "he": "He", "naive": "small normal (σ = 0.01)"}
_LEARNING_RATES = (0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
_BATCH_SIZES = (1, 2, 5, 10, 20, 50, 100, 500)
_L2_RATES = (0.0, 0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0)

#: Every state key and its default. Changing a key in ``_RESET_KEYS`` starts a new run.
DEFAULT_STATE = {
    "dataset": "circle",
    "noise": 0.1,
    "n_samples": 200,
    "val_fraction": 0.3,
    "hidden_layers": 2,
    "width": 8,
    "activation": "tanh",
    "init": "xavier",
    "learning_rate": 0.03,
    "batch_size": 10,
    "l2": 0.0,
    "seed": 0,
    "epochs_per_click": 100,
}
_RESET_KEYS = frozenset(
    {
        "dataset",
        "noise",
        "n_samples",
        "val_fraction",
        "hidden_layers",
        "width",
        "activation",
        "init",
        "seed",
    }
)
_CLASS_COLORS = np.array([[0.961, 0.576, 0.133], [0.031, 0.467, 0.741], [0.173, 0.627, 0.173]])
_GRID = 60
_MARGIN = 0.3


def _check_int(state, key, low, high):
    value = state[key]
    integral = isinstance(value, numbers.Integral) and not isinstance(value, bool)
    if not integral or not low <= value <= high:
        raise ValueError(f"state[{key!r}] must be an integer from {low} to {high}, not {value!r}")
    state[key] = int(value)


def _check_real(state, key, low, high, open_low=False, open_high=False):
    value = state[key]
    bad = isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value)
    if not bad:
        bad = value < low or value > high or (open_low and value == low)
        bad = bad or (open_high and value == high)
    if bad:
        raise ValueError(f"state[{key!r}] must be a number from {low} to {high}, not {value!r}")
    state[key] = float(value)


def _check_choice(state, key, options):
    if state[key] not in options:
        raise ValueError(f"state[{key!r}] must be one of {sorted(options)}, not {state[key]!r}")


def validated_state(state=None, **changes):
    """``DEFAULT_STATE`` updated with ``state`` and ``changes``, checked and normalised.

    Raises
    ------
    ValueError
        For an unknown key or a value out of range.
    """
    merged = {**DEFAULT_STATE, **(state or {}), **changes}
    unknown = set(merged) - set(DEFAULT_STATE)
    if unknown:
        raise ValueError(f"unknown state keys {sorted(unknown)}; known: {sorted(DEFAULT_STATE)}")
    _check_choice(merged, "dataset", PLAYGROUND_DATASETS)
    _check_choice(merged, "activation", _ACTIVATION_LABELS)
    _check_choice(merged, "init", _INIT_LABELS)
    _check_real(merged, "noise", 0.0, 2.0)
    _check_int(merged, "n_samples", 8, 5000)
    _check_real(merged, "val_fraction", 0.0, 1.0, open_low=True, open_high=True)
    _check_int(merged, "hidden_layers", 0, 8)
    _check_int(merged, "width", 1, 64)
    _check_real(merged, "learning_rate", 0.0, 100.0, open_low=True)
    _check_int(merged, "batch_size", 1, 100_000)
    _check_real(merged, "l2", 0.0, 100.0)
    _check_int(merged, "seed", 0, 2**32 - 1)
    _check_int(merged, "epochs_per_click", 1, 100_000)
    return merged


@dataclass(frozen=True, eq=False)
class PlaygroundSnapshot:
    """Everything a drawing of the playground needs, at one moment of training.

    Attributes
    ----------
    state : dict
        A copy of the model's state.
    epoch : int
        Epochs trained since the last reset.
    extent : tuple of float
        ``(x_min, x_max, y_min, y_max)`` of the drawn region.
    probabilities : ndarray of shape (60, 60, C)
        The model's class probabilities on a grid over ``extent`` (row 0 at ``y_min``).
    X_train, y_train, X_val, y_val : ndarray
        The data, shapes (N_train, 2), (N_train,), (N_val, 2), (N_val,).
    train_loss, val_loss : ndarray of shape (epoch + 1,)
        Cross-entropy on the whole training and validation sets after each epoch
        (entry 0: before training). The L2 penalty is not included.
    train_acc, val_acc : float
        Accuracy now.
    diverged : bool
        Training blew up (a loss became inf or nan); reset to start again.
    """

    state: dict
    epoch: int
    extent: tuple
    probabilities: np.ndarray
    X_train: np.ndarray
    y_train: np.ndarray
    X_val: np.ndarray
    y_val: np.ndarray
    train_loss: np.ndarray
    val_loss: np.ndarray
    train_acc: float
    val_acc: float
    diverged: bool

    @property
    def n_classes(self):
        """Number of classes C."""
        return self.probabilities.shape[-1]


class PlaygroundModel:
    """An MLP classifier on a 2-D toy dataset, trained by mini-batch SGD with an L2 penalty.

    Parameters
    ----------
    state : dict, optional
        Any keys of :data:`DEFAULT_STATE`; the rest take their defaults.
    **changes
        More state keys, applied after ``state``.

    Examples
    --------
    >>> model = PlaygroundModel({"dataset": "xor", "hidden_layers": 1})
    >>> model.step(50)  # doctest: +SKIP
    >>> model.snapshot().val_acc  # doctest: +SKIP
    """

    def __init__(self, state=None, **changes):
        self._state = validated_state(state, **changes)
        self.reset()

    @property
    def state(self):
        """A copy of the current state dict."""
        return dict(self._state)

    @property
    def epoch(self):
        """Epochs trained since the last reset."""
        return len(self._train_loss) - 1

    @property
    def diverged(self):
        """Whether training blew up (the model then refuses to train until reset)."""
        return self._diverged

    @property
    def params(self):
        """A copy of the current parameters ``"W1"``, ``"b1"``, ..."""
        return {name: value.copy() for name, value in self._params.items()}

    def set(self, **changes):
        """Change state keys; data or architecture changes start a new run (``reset``).

        Returns
        -------
        bool
            Whether the model was reset.
        """
        new_state = validated_state(self._state, **changes)
        needs_reset = any(new_state[key] != self._state[key] for key in _RESET_KEYS)
        self._state = new_state
        if needs_reset:
            self.reset()
        return needs_reset

    def reset(self):
        """New data split and fresh weights from ``state["seed"]``; the history is cleared."""
        s = self._state
        X, y = PLAYGROUND_DATASETS[s["dataset"]](s["n_samples"], s["noise"], s["seed"])
        self.X_train, self.y_train, self.X_val, self.y_val = train_val_split(
            X, y, val_fraction=s["val_fraction"], seed=s["seed"]
        )
        self.n_classes = int(y.max()) + 1
        low, high = X.min(axis=0) - _MARGIN, X.max(axis=0) + _MARGIN
        self.extent = (float(low[0]), float(high[0]), float(low[1]), float(high[1]))
        xs = np.linspace(low[0], high[0], _GRID)
        ys = np.linspace(low[1], high[1], _GRID)
        grid_x, grid_y = np.meshgrid(xs, ys)
        self._grid = np.column_stack([grid_x.ravel(), grid_y.ravel()])
        sizes = [2] + [s["width"]] * s["hidden_layers"] + [self.n_classes]
        self._params = init_mlp(sizes, np.random.default_rng([s["seed"], 1]), init=s["init"])
        self._shuffle_rng = np.random.default_rng([s["seed"], 2])
        self._diverged = False
        self._train_loss, self._val_loss = [], []
        self._record()

    def _scores(self, X):
        scores, _ = mlp_forward(X, self._params, self._state["activation"])
        return scores

    def _record(self):
        with np.errstate(all="ignore"):
            train_loss = cross_entropy_loss(self._scores(self.X_train), self.y_train)
            val_loss = cross_entropy_loss(self._scores(self.X_val), self.y_val)
        self._train_loss.append(train_loss)
        self._val_loss.append(val_loss)
        if not (math.isfinite(train_loss) and math.isfinite(val_loss)):
            self._diverged = True

    def step(self, epochs=1):
        """Train for ``epochs`` passes over the training set (nothing happens once diverged).

        Returns
        -------
        float
            The training loss after the last epoch (cross-entropy, without the L2 term).
        """
        s = self._state
        activation, l2 = s["activation"], s["l2"]
        rule = {"learning_rate": s["learning_rate"]}
        for _ in range(int(epochs)):
            if self._diverged:
                break
            with np.errstate(all="ignore"):
                for X_batch, y_batch in iterate_minibatches(
                    self.X_train, self.y_train, s["batch_size"], self._shuffle_rng
                ):
                    scores, caches = mlp_forward(X_batch, self._params, activation)
                    _, dscores = softmax_cross_entropy(scores, y_batch)
                    grads = mlp_backward(dscores, caches, activation)
                    for name, grad in grads.items():
                        if l2 and name.startswith("W"):
                            grad = grad + l2 * self._params[name]
                        self._params[name], _ = sgd(self._params[name], grad, rule)
            self._record()
        return self._train_loss[-1]

    def predict_proba(self, X):
        """Class probabilities of points ``X`` of shape (M, 2), shape (M, C)."""
        with np.errstate(all="ignore"):
            return softmax(self._scores(np.asarray(X, dtype=np.float64)))

    def snapshot(self):
        """What to draw now, as a :class:`PlaygroundSnapshot`."""
        probabilities = self.predict_proba(self._grid).reshape(_GRID, _GRID, self.n_classes)
        with np.errstate(all="ignore"):
            train_acc = float(np.mean(self._scores(self.X_train).argmax(axis=1) == self.y_train))
            val_acc = float(np.mean(self._scores(self.X_val).argmax(axis=1) == self.y_val))
        return PlaygroundSnapshot(
            state=self.state,
            epoch=self.epoch,
            extent=self.extent,
            probabilities=np.nan_to_num(probabilities, nan=1.0 / self.n_classes),
            X_train=self.X_train,
            y_train=self.y_train,
            X_val=self.X_val,
            y_val=self.y_val,
            train_loss=np.array(self._train_loss),
            val_loss=np.array(self._val_loss),
            train_acc=train_acc,
            val_acc=val_acc,
            diverged=self._diverged,
        )


def decision_image(probabilities):
    """RGB image of class probabilities: each class's colour, paler where the model is unsure.

    Parameters
    ----------
    probabilities : ndarray of shape (H, W, C)

    Returns
    -------
    ndarray of shape (H, W, 3), values in [0, 1]
    """
    C = probabilities.shape[-1]
    colors = _CLASS_COLORS[:C]
    mix = probabilities @ colors
    confidence = (probabilities.max(axis=-1) - 1.0 / C) / (1.0 - 1.0 / C)
    alpha = (0.12 + 0.6 * np.clip(confidence, 0.0, 1.0))[..., None]
    return (1.0 - alpha) + alpha * mix


class _PlaygroundFigure:
    """The decision map with the data on it, and the loss curves; updated in place.

    :meth:`png` blits: axes, ticks, labels and legends are rendered once per layout
    (axis ranges) and kept; each redraw paints only the map, the points, the curves
    and the two titles over that background.
    """

    def __init__(self, figure):
        self.figure = figure
        self.map_ax, self.loss_ax = figure.subplots(1, 2, gridspec_kw={"width_ratios": [1, 1.15]})
        self.map = self.map_ax.imshow(
            np.ones((_GRID, _GRID, 3)), origin="lower", interpolation="bilinear", aspect="auto"
        )
        self.train_points = self.map_ax.scatter(
            [], [], s=16, edgecolors="white", linewidths=0.6, label="training"
        )
        self.val_points = self.map_ax.scatter(
            [], [], s=18, facecolors="none", linewidths=1.2, label="validation"
        )
        grey = "0.35"
        self.map_ax.legend(
            handles=[
                Line2D(
                    [],
                    [],
                    linestyle="",
                    marker="o",
                    markersize=5,
                    color=grey,
                    markeredgecolor="white",
                    label="training",
                ),
                Line2D(
                    [],
                    [],
                    linestyle="",
                    marker="o",
                    markersize=5,
                    markerfacecolor="none",
                    markeredgecolor=grey,
                    markeredgewidth=1.2,
                    label="validation",
                ),
            ],
            loc="lower right",
            fontsize=8,
            framealpha=0.8,
        )
        self.map_ax.set_xticks([])
        self.map_ax.set_yticks([])
        (self.train_line,) = self.loss_ax.plot([], [], color="tab:blue", label="training loss")
        (self.val_line,) = self.loss_ax.plot(
            [], [], color="tab:red", linestyle="--", label="validation loss"
        )
        self.loss_ax.set_yscale("log")
        self.loss_ax.yaxis.set_major_locator(LogLocator(numticks=5))
        self.loss_ax.yaxis.set_minor_locator(NullLocator())
        self.loss_ax.set_xlabel("epoch")
        self.loss_ax.set_ylabel("cross-entropy (log scale)")
        self.loss_ax.legend(loc="upper right", fontsize=8)
        self.loss_ax.grid(True, which="major", alpha=0.3)
        # Drawn over the cached background in this order (legends last, on top).
        self._dynamic = [
            self.map,
            self.train_points,
            self.val_points,
            self.map_ax.get_legend(),
            self.map_ax.title,
            self.train_line,
            self.val_line,
            self.loss_ax.get_legend(),
            self.loss_ax.title,
        ]
        self._renderer = BlitRenderer(figure, self._dynamic)
        self._layout = None

    def update(self, snap):
        s = snap.state
        self.map.set_data(decision_image(snap.probabilities))
        self.map.set_extent(snap.extent)
        self.train_points.set_offsets(snap.X_train)
        self.train_points.set_facecolors(_CLASS_COLORS[snap.y_train])
        self.val_points.set_offsets(snap.X_val)
        self.val_points.set_edgecolors(_CLASS_COLORS[snap.y_val])
        status = " (diverged: reset)" if snap.diverged else ""
        self.map_ax.set_title(
            f"epoch {snap.epoch}: train acc {snap.train_acc:.0%}, val acc {snap.val_acc:.0%}"
            f"{status}",
            fontsize=10,
        )
        epochs = np.arange(len(snap.train_loss))
        marker = "." if snap.epoch < 20 else ""
        self.train_line.set_marker(marker)
        self.val_line.set_marker(marker)
        self.train_line.set_data(epochs, snap.train_loss)
        self.val_line.set_data(epochs, snap.val_loss)
        self.loss_ax.set_title(
            f"lr {s['learning_rate']:g}, batch {s['batch_size']}, L2 {s['l2']:g}", fontsize=10
        )
        # Axis ranges move in coarse steps (whole decades, 10-20-50 epochs), so that
        # most redraws, even while training, share a layout.
        losses = np.concatenate([snap.train_loss, snap.val_loss])
        losses = losses[np.isfinite(losses) & (losses > 0)]
        low, high = (losses.min(), losses.max()) if losses.size else (0.1, 1.0)
        loss_limits = (
            min(10.0 ** np.floor(np.log10(low / 1.2)), 0.1),
            max(10.0 ** np.ceil(np.log10(high * 1.2)), 1.0),
        )
        layout = (snap.extent, _nice_ceiling(snap.epoch), loss_limits)
        if layout != self._layout:
            self._layout = layout
            self.map_ax.set_xlim(snap.extent[0], snap.extent[1])
            self.map_ax.set_ylim(snap.extent[2], snap.extent[3])
            self.loss_ax.set_xlim(0, _nice_ceiling(snap.epoch))
            self.loss_ax.set_ylim(*loss_limits)

    def png(self):
        """The figure as PNG bytes, blitted over the cached background of its layout."""
        return self._renderer.png(self._layout)


def _nice_ceiling(epoch):
    """The smallest of 10, 20, 50, 100, 200, 500, ... that is at least ``epoch``."""
    limit = 10
    while limit < epoch:
        limit = limit * 5 // 2 if str(limit)[0] == "2" else limit * 2
    return limit


def _new_figure(cls, dpi):
    figure = cls(figsize=(8.4, 3.6), dpi=dpi)
    figure.subplots_adjust(left=0.02, right=0.98, bottom=0.14, top=0.91, wspace=0.24)
    return figure


def _describe(state):
    hidden = f"{state['hidden_layers']} hidden layer{'s' * (state['hidden_layers'] != 1)}"
    if state["hidden_layers"]:
        hidden += f" of {state['width']} {_ACTIVATION_LABELS[state['activation']]} units"
    return f"{_DATASET_LABELS[state['dataset']]} data, {hidden}, {_INIT_LABELS[state['init']]}"


def plot_playground(snapshot):
    """Draw a :class:`PlaygroundSnapshot`: the decision regions with the data, and the losses.

    Parameters
    ----------
    snapshot : PlaygroundSnapshot

    Returns
    -------
    matplotlib.figure.Figure
        A figure that shows itself as a PNG when it is a notebook cell's value.
    """
    drawing = _PlaygroundFigure(_new_figure(NotebookFigure, dpi=100))
    drawing.update(snapshot)
    drawing.figure.suptitle(_describe(snapshot.state), fontsize=11)
    drawing.figure.subplots_adjust(top=0.84)
    return drawing.figure


def _slider_options(values, current):
    values = sorted({*values, current})
    return [(f"{value:g}", value) for value in values]


class Playground:
    """The playground as a widget: controls over a :class:`PlaygroundModel`, drawn live.

    Parameters
    ----------
    state : dict, optional
        Starting state (keys of :data:`DEFAULT_STATE`): pins the configuration.
    hide : iterable of str
        Controls not to show: state keys (``"dataset"``, ``"noise"``,
        ``"val_fraction"``, ``"hidden_layers"``, ``"width"``, ``"activation"``,
        ``"init"``, ``"learning_rate"``, ``"batch_size"``, ``"l2"``) or buttons
        (``"train"``, ``"step"``, ``"reset"``).

    Attributes
    ----------
    model : PlaygroundModel
    controls : dict of str to ipywidgets.Widget
        Every control and button by name, shown or hidden.
    image : ipywidgets.Image
        The drawing, a PNG.
    snapshot : PlaygroundSnapshot
        What the drawing currently shows.
    """

    #: State keys that have a control, in display order.
    CONTROL_KEYS = (
        "dataset",
        "noise",
        "val_fraction",
        "hidden_layers",
        "width",
        "activation",
        "init",
        "learning_rate",
        "batch_size",
        "l2",
    )
    BUTTONS = ("train", "step", "reset")
    #: Redraw at most this often while training (seconds).
    REDRAW_EVERY = 0.15
    #: Never train longer than this on one click (seconds).
    MAX_SECONDS_PER_CLICK = 10.0

    def __init__(self, state=None, hide=()):
        self.model = PlaygroundModel(state)
        hide = (hide,) if isinstance(hide, str) else tuple(hide)
        unknown = set(hide) - set(self.CONTROL_KEYS) - set(self.BUTTONS)
        if unknown:
            raise ValueError(
                f"cannot hide {sorted(unknown)}: controls are {[*self.CONTROL_KEYS, *self.BUTTONS]}"
            )
        self.hidden = frozenset(hide)
        self._syncing = False
        self._drawing = _PlaygroundFigure(_new_figure(Figure, dpi=80))
        FigureCanvasAgg(self._drawing.figure)
        self.controls = self._make_controls()
        # ToggleButtons put their label above the buttons; the inline class keeps it beside.
        for key in ("dataset", "activation"):
            self.controls[key].add_class("widget-inline-hbox")
        self.info = widgets.HTML()
        self.image = widgets.Image(format="png", layout=widgets.Layout(max_width="680px"))
        self._redraw()
        for key in self.CONTROL_KEYS:
            self.controls[key].observe(self._on_change, names="value")
        self.controls["train"].on_click(lambda _: self.train())
        self.controls["step"].on_click(lambda _: self.step())
        self.controls["reset"].on_click(lambda _: self.reset())
        self._widget = None

    @property
    def state(self):
        """A copy of the current state dict."""
        return self.model.state

    def _make_controls(self):
        s = self.model.state
        style = {"description_width": "110px"}
        slider = dict(continuous_update=False, style=style)
        return {
            "dataset": widgets.ToggleButtons(
                options=[(label, name) for name, label in _DATASET_LABELS.items()],
                value=s["dataset"],
                description="data",
                style={**style, "button_width": "80px"},
            ),
            "noise": widgets.FloatSlider(
                value=s["noise"], min=0.0, max=0.5, step=0.05, description="noise", **slider
            ),
            "val_fraction": widgets.FloatSlider(
                value=s["val_fraction"],
                min=0.1,
                max=0.9,
                step=0.1,
                description="validation share",
                **slider,
            ),
            "hidden_layers": widgets.IntSlider(
                value=s["hidden_layers"], min=0, max=8, description="hidden layers", **slider
            ),
            "width": widgets.IntSlider(
                value=s["width"], min=1, max=32, description="units per layer", **slider
            ),
            "activation": widgets.ToggleButtons(
                options=[(label, name) for name, label in _ACTIVATION_LABELS.items()],
                value=s["activation"],
                description="activation",
                style={**style, "button_width": "80px"},
            ),
            "init": widgets.Dropdown(
                options=[(label, name) for name, label in _INIT_LABELS.items()],
                value=s["init"],
                description="initialisation",
                style=style,
            ),
            "learning_rate": widgets.SelectionSlider(
                options=_slider_options(_LEARNING_RATES, s["learning_rate"]),
                value=s["learning_rate"],
                description="learning rate",
                **slider,
            ),
            "batch_size": widgets.SelectionSlider(
                options=_slider_options(_BATCH_SIZES, s["batch_size"]),
                value=s["batch_size"],
                description="batch size",
                **slider,
            ),
            "l2": widgets.SelectionSlider(
                options=_slider_options(_L2_RATES, s["l2"]),
                value=s["l2"],
                description="L2",
                **slider,
            ),
            "train": widgets.Button(
                description=f"Train {s['epochs_per_click']} epochs",
                icon="play",
                button_style="success",
            ),
            "step": widgets.Button(description="Step 1 epoch", icon="step-forward"),
            "reset": widgets.Button(description="Reset", icon="refresh"),
        }

    def _on_change(self, change):
        if self._syncing:
            return
        key = next(k for k in self.CONTROL_KEYS if self.controls[k] is change["owner"])
        self.model.set(**{key: change["new"]})
        self._redraw()

    def set(self, **changes):
        """Change state keys from code; the controls follow, and the drawing is redone once."""
        self.model.set(**changes)
        state = self.model.state
        self._syncing = True
        try:
            for key in changes:
                control = self.controls.get(key)
                if control is None:
                    continue
                if isinstance(control, widgets.SelectionSlider):
                    values = [value for _, value in control.options]
                    if state[key] not in values:
                        control.options = _slider_options(values, state[key])
                control.value = state[key]
        finally:
            self._syncing = False
        self._redraw()

    def train(self, epochs=None):
        """Train ``epochs`` (default ``state["epochs_per_click"]``), redrawing as it goes.

        Stops early after :attr:`MAX_SECONDS_PER_CLICK` seconds or on divergence.
        """
        epochs = self.model.state["epochs_per_click"] if epochs is None else int(epochs)
        started = last_draw = time.perf_counter()
        done = 0
        while done < epochs and not self.model.diverged:
            chunk = min(epochs - done, 5)
            with threadpool_limits(1, user_api="blas"):
                self.model.step(chunk)
            done += chunk
            now = time.perf_counter()
            if now - started > self.MAX_SECONDS_PER_CLICK:
                break
            if now - last_draw > self.REDRAW_EVERY and done < epochs:
                self._redraw()
                last_draw = time.perf_counter()
        self._redraw()

    def step(self):
        """Train one epoch and redraw."""
        with threadpool_limits(1, user_api="blas"):
            self.model.step(1)
        self._redraw()

    def reset(self):
        """Fresh weights (same seed) and an empty history; redraw."""
        self.model.reset()
        self._redraw()

    def _redraw(self):
        with threadpool_limits(1, user_api="blas"):
            self.snapshot = self.model.snapshot()
        self._drawing.update(self.snapshot)
        self.image.value = self._drawing.png()
        snap = self.snapshot
        self.info.value = (
            f"<b>{_describe(snap.state)}</b> &nbsp;·&nbsp; epoch {snap.epoch} &nbsp;·&nbsp; "
            f"training loss {snap.train_loss[-1]:.3f} &nbsp;·&nbsp; "
            f"validation loss {snap.val_loss[-1]:.3f}"
        )

    @property
    def widget(self):
        """The whole playground as one ipywidgets box (hidden controls left out)."""
        if self._widget is None:

            def shown(*names):
                return [self.controls[name] for name in names if name not in self.hidden]

            rows = [
                widgets.HBox(shown("train", "step", "reset")),
                *shown("dataset"),
                widgets.HBox(shown("noise", "val_fraction")),
                widgets.HBox(shown("hidden_layers", "width")),
                widgets.HBox(shown("activation", "init")),
                widgets.HBox(shown("learning_rate", "batch_size", "l2")),
                self.info,
                self.image,
            ]
            rows = [row for row in rows if not isinstance(row, widgets.HBox) or row.children]
            self._widget = widgets.VBox(rows)
            self._widget.add_class("backprop-playground")
        return self._widget

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = self.widget._repr_mimebundle_(include=include, exclude=exclude) or {}
        bundle["text/plain"] = f"Playground: {_describe(self.model.state)}"
        return bundle
