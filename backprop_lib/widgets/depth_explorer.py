"""Depth explorer: how gradients and activations fare as a network grows deeper.

The model is :func:`depth_probe`, a pure function: build an MLP of a given
depth, width, activation and initialisation (optionally with batch
normalisation before every activation), run ONE forward and backward pass
on a fixed seeded batch, and return a frozen :class:`DepthProbe` with the
norm of every layer's weight gradient and the statistics of every hidden
layer's activations. :func:`plot_depth_probe` draws a probe as a static
figure; :class:`DepthExplorer` wires sliders to the probe and redraws one
reused figure into an image widget.

Examples
--------
>>> probe = depth_probe(depth=20, width=64, activation="sigmoid", init="naive")
>>> probe.grad_ratio < 1e-20      # the first layer hears almost nothing
True
>>> DepthExplorer(depth=10)       # doctest: +SKIP
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from functools import partial

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import PowerNorm
from matplotlib.figure import Figure
from matplotlib.ticker import (
    FuncFormatter,
    LogLocator,
    MaxNLocator,
    NullLocator,
    ScalarFormatter,
)
from threadpoolctl import threadpool_limits

from ..batchnorm import batchnorm_backward, batchnorm_forward
from ..initializers import he_init, naive_init, xavier_init
from ..layers import ACTIVATIONS, dense_backward, dense_forward
from ..losses import softmax_cross_entropy
from ..plots import NotebookFigure
from ._blit import BlitRenderer

__all__ = [
    "DEPTH_ACTIVATIONS",
    "DEPTH_INITS",
    "DepthProbe",
    "depth_probe",
    "plot_depth_probe",
    "DepthExplorer",
]

#: Initialisations the explorer offers: ``name -> (label, f(fan_in, fan_out, rng))``.
DEPTH_INITS = {
    "naive": ("small normal (σ = 0.01)", partial(naive_init, scale=0.01)),
    "large": ("large normal (σ = 1)", partial(naive_init, scale=1.0)),
    "xavier": ("Xavier", xavier_init),
    "he": ("He", he_init),
}
#: Hidden activations the explorer offers: ``name -> label``.
DEPTH_ACTIVATIONS = {"sigmoid": "sigmoid", "tanh": "tanh", "relu": "ReLU"}

#: Range of the activation histograms of the bounded activations.
_HIST_RANGE = {"sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0)}
_HIST_BINS = 40
#: ReLU outputs are binned by log10 over at least this many decades.
_MIN_DECADES = 6
#: Pre-activations beyond which the activation's slope is below 5 % of its largest value.
_FLAT_BEYOND = {"sigmoid": 4.37, "tanh": 2.19}
_N_CLASSES = 10
MAX_DEPTH = 30


@dataclass(frozen=True, eq=False)
class DepthProbe:
    """What one forward/backward pass through a deep MLP looked like.

    The network has ``depth`` hidden layers of ``width`` units (dense, then
    batch norm if ``batchnorm``, then the activation) and a dense output layer
    of 10 class scores; the loss is softmax cross-entropy on random labels.
    Arrays are read-only.

    Attributes
    ----------
    depth, width, activation, init, batchnorm, seed, batch
        The settings the probe was made with.
    grad_norms : ndarray of shape (depth + 1,)
        ``||dW_l||`` for l = 1, ..., depth + 1; the last entry is the output layer.
    signal_norms : ndarray of shape (depth + 1,)
        ``||dZ_l||``, the gradient the backward pass delivers to layer l's
        pre-activations (before the dense layer turns it into ``dW_l``).
    act_mean, act_std : ndarray of shape (depth,)
        Mean and standard deviation of each hidden layer's activations.
    saturation : ndarray of shape (depth,)
        Share of each hidden layer's units whose activation is flat there
        (slope below 5 % of its maximum): saturated sigmoid/tanh units, or
        ReLU units that are off. The gradient barely passes through them.
    hist : ndarray of shape (depth, 40)
        Share of each hidden layer's activations in each bin of ``bin_edges``.
        For sigmoid and tanh the bins cover the activation's range and a row
        sums to 1. For ReLU the bins are over ``log10`` of the positive outputs
        (the zeros are the ``saturation`` share, so a row sums to 1 minus it),
        and values beyond the edges count in the end bins.
    bin_edges : ndarray of shape (41,)
        Bin edges in activation units (sigmoid, tanh) or in ``log10`` (ReLU).
    loss : float
        The cross-entropy of the pass (nan or inf never occur: the loss is stable).
    """

    depth: int
    width: int
    activation: str
    init: str
    batchnorm: bool
    seed: int
    batch: int
    grad_norms: np.ndarray
    signal_norms: np.ndarray
    act_mean: np.ndarray
    act_std: np.ndarray
    saturation: np.ndarray
    hist: np.ndarray
    bin_edges: np.ndarray
    loss: float

    @property
    def grad_ratio(self):
        """``||dW_1|| / ||dW_last||``: far below 1 is vanishing, far above 1 exploding."""
        last = self.grad_norms[-1]
        return float(self.grad_norms[0] / last) if last > 0 else float("inf")

    @property
    def signal_ratio(self):
        """``||dZ_1|| / ||dZ_last||``: how much of the output's gradient reaches layer 1."""
        last = self.signal_norms[-1]
        return float(self.signal_norms[0] / last) if last > 0 else float("inf")

    @property
    def grad_spread(self):
        """Largest over smallest layer gradient norm: 1 is perfectly steady."""
        smallest = self.grad_norms.min()
        return float(self.grad_norms.max() / smallest) if smallest > 0 else float("inf")

    def settings(self):
        """The keyword arguments that reproduce this probe with :func:`depth_probe`."""
        return dict(
            depth=self.depth,
            width=self.width,
            activation=self.activation,
            init=self.init,
            batchnorm=self.batchnorm,
            seed=self.seed,
            batch=self.batch,
        )


def _check_int(name, value, low, high):
    integral = isinstance(value, numbers.Integral) and not isinstance(value, bool)
    if not integral or not low <= value <= high:
        raise ValueError(f"{name} must be an integer from {low} to {high}, not {value!r}")
    return int(value)


def _check_choice(name, value, options):
    if value not in options:
        raise ValueError(f"{name} must be one of {sorted(options)}, not {value!r}")
    return value


def _flat_share(Z, activation):
    if activation == "relu":
        return float(np.mean(Z <= 0))
    return float(np.mean(np.abs(Z) > _FLAT_BEYOND[activation]))


def _histograms(activations, activation):
    """Per-layer shares of activations in common bins; see :class:`DepthProbe`."""
    if activation in _HIST_RANGE:
        low, high = _HIST_RANGE[activation]
        values = activations
    else:
        values = [np.log10(A[A > 0]) for A in activations]
        present = [v for v in values if v.size]
        if present:
            # Whole pairs of decades, so that nearby probes share their range.
            low = 2 * np.floor(min(np.percentile(v, 1) for v in present) / 2)
            high = 2 * np.ceil(max(np.percentile(v, 99) for v in present) / 2)
        else:
            low, high = -2.0, 2.0
        if high - low < _MIN_DECADES:
            centre = (low + high) / 2
            low = 2 * np.floor((centre - _MIN_DECADES / 2) / 2)
            high = max(high, low + _MIN_DECADES)
    edges = np.linspace(low, high, _HIST_BINS + 1)
    rows = []
    for A, v in zip(activations, values):
        counts, _ = np.histogram(np.clip(v, low, high), bins=edges)
        rows.append(counts / A.size)
    return np.array(rows).reshape(len(activations), _HIST_BINS), edges


def _readonly(array):
    array = np.asarray(array, dtype=np.float64)
    array.setflags(write=False)
    return array


def depth_probe(
    depth, width=64, activation="sigmoid", init="naive", batchnorm=False, seed=0, batch=128
):
    """One forward and backward pass through a deep MLP on a fixed seeded batch.

    The batch ``X`` (``batch`` samples of ``width`` standard-normal features,
    random labels out of 10 classes) depends only on ``batch``, ``width`` and
    ``seed``; the weights are drawn layer by layer from ``seed``, so layer
    ``l`` has the same weights whatever the depth. Biases are zero; batch
    norm, when on, uses ``gamma = 1`` and ``beta = 0`` in training mode.

    Parameters
    ----------
    depth : int
        Number of hidden layers, 1 to 30.
    width : int
        Units per hidden layer (and input features), 2 to 512.
    activation : {"sigmoid", "tanh", "relu"}
    init : {"naive", "large", "xavier", "he"}
        Small normal (std 0.01), large normal (std 1), Xavier or He.
    batchnorm : bool
        Batch-normalise every hidden layer's pre-activations.
    seed : int
    batch : int
        Number of samples, at least 2.

    Returns
    -------
    DepthProbe
    """
    depth = _check_int("depth", depth, 1, MAX_DEPTH)
    width = _check_int("width", width, 2, 512)
    batch = _check_int("batch", batch, 2, 100_000)
    seed = _check_int("seed", seed, 0, 2**32 - 1)
    forward, backward = ACTIVATIONS[_check_choice("activation", activation, DEPTH_ACTIVATIONS)]
    initializer = DEPTH_INITS[_check_choice("init", init, DEPTH_INITS)][1]
    batchnorm = bool(batchnorm)

    data_rng = np.random.default_rng([seed, batch, width])
    X = data_rng.standard_normal((batch, width))
    y = data_rng.integers(0, _N_CLASSES, size=batch)
    weight_rng = np.random.default_rng([seed, width])
    sizes = [width] * (depth + 1) + [_N_CLASSES]

    ones, zeros = np.ones(width), np.zeros(width)
    A, caches, activations, saturation = X, [], [], []
    with np.errstate(over="ignore", under="ignore"):
        for layer, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
            W = initializer(fan_in, fan_out, weight_rng)
            Z, dense_cache = dense_forward(A, W, np.zeros(fan_out))
            if layer > depth:  # the output layer: raw scores
                caches.append((dense_cache, None, None))
                A = Z
                continue
            bn_cache = None
            if batchnorm:
                Z, bn_cache = batchnorm_forward(Z, ones, zeros)
            A, act_cache = forward(Z)
            caches.append((dense_cache, bn_cache, act_cache))
            activations.append(A)
            saturation.append(_flat_share(Z, activation))
        loss, dA = softmax_cross_entropy(A, y)
        grad_norms, signal_norms = np.empty(depth + 1), np.empty(depth + 1)
        for layer in range(depth + 1, 0, -1):
            dense_cache, bn_cache, act_cache = caches[layer - 1]
            dZ = dA if act_cache is None else backward(dA, act_cache)
            if bn_cache is not None:
                dZ, _, _ = batchnorm_backward(dZ, bn_cache)
            dA, dW, _ = dense_backward(dZ, dense_cache)
            grad_norms[layer - 1] = np.linalg.norm(dW)
            signal_norms[layer - 1] = np.linalg.norm(dZ)
        hist, edges = _histograms(activations, activation)
    return DepthProbe(
        depth=depth,
        width=width,
        activation=activation,
        init=init,
        batchnorm=batchnorm,
        seed=seed,
        batch=batch,
        grad_norms=_readonly(grad_norms),
        signal_norms=_readonly(signal_norms),
        act_mean=_readonly([A.mean() for A in activations]),
        act_std=_readonly([A.std() for A in activations]),
        saturation=_readonly(saturation),
        hist=_readonly(hist),
        bin_edges=_readonly(edges),
        loss=float(loss),
    )


def _describe(probe):
    bn = ", batch norm" if probe.batchnorm else ""
    return (
        f"{probe.depth} hidden layers × {probe.width}, {DEPTH_ACTIVATIONS[probe.activation]}, "
        f"{DEPTH_INITS[probe.init][0]}{bn}"
    )


def _log_limits(values, floor_span=12, step=3):
    """Log-scale y-limits around ``values``: at least ``floor_span`` decades, ends on
    multiples of ``step`` decades (so that nearby probes share their limits)."""
    positive = values[values > 0]
    if positive.size == 0:
        return 1e-6, 1e6
    low, high = np.log10(positive.min()) - 0.3, np.log10(positive.max()) + 0.3
    centre = np.clip((low + high) / 2, -floor_span / 2 + 1, floor_span / 2 - 1)
    low, high = min(low, centre - floor_span / 2), max(high, centre + floor_span / 2)
    return 10.0 ** (step * np.floor(low / step)), 10.0 ** (step * np.ceil(high / step))


class _DepthFigure:
    """One matplotlib figure whose artists are updated in place for every probe.

    With ``captions=False`` (the interactive view) the figure carries no title or
    caption boxes, and :meth:`png` blits: the axes, ticks, labels and legend are
    rendered once per layout and kept as a background; a new probe redraws only
    the bars, the line and the activation map on top of it. Text is most of a
    full redraw's cost, so the explorer shows its numbers in HTML instead.
    """

    def __init__(self, figure, captions=True):
        self.figure = figure
        self.grad_ax, self.act_ax = figure.subplots(1, 2, gridspec_kw={"width_ratios": [1.1, 1]})
        layers = np.arange(1, MAX_DEPTH + 2)
        self.bars = self.grad_ax.bar(
            layers,
            np.ones(MAX_DEPTH + 1),
            bottom=1e-300,
            width=0.8,
            color="tab:blue",
            label="‖dW‖ of the layer's weights",
        )
        (self.signal,) = self.grad_ax.plot(
            layers,
            np.ones(MAX_DEPTH + 1),
            color="black",
            marker=".",
            linewidth=1,
            label="‖dZ‖ arriving at the layer",
        )
        self.grad_ax.set_yscale("log")
        # Few ticks and no minor ones: tick labels are most of the drawing time.
        self.grad_ax.yaxis.set_major_locator(LogLocator(numticks=7))
        self.grad_ax.yaxis.set_minor_locator(NullLocator())
        self.grad_ax.axhline(1.0, color="grey", linewidth=0.6, linestyle=":")
        self.grad_ax.set_xlabel("layer (input → output; orange = output layer)")
        self.grad_ax.set_ylabel("gradient norm (log scale)")
        self.grad_ax.legend(
            loc="lower left",
            bbox_to_anchor=(0.0, 1.0),
            ncols=2,
            fontsize=8.5,
            frameon=False,
            borderaxespad=0.1,
            handlelength=1.5,
            columnspacing=1.0,
        )
        self.image = self.act_ax.imshow(
            np.zeros((_HIST_BINS, 1)),
            origin="lower",
            aspect="auto",
            cmap="magma",
            norm=PowerNorm(gamma=0.4, vmin=0.0, vmax=1.0),
            interpolation="nearest",
        )
        self.act_ax.set_facecolor("0.9")
        self.act_ax.set_xlabel("hidden layer")
        self.act_ax.set_title("Activations per layer (bright = many units)", fontsize=10)
        self.captions = captions
        if captions:
            box = dict(facecolor="white", alpha=0.85, edgecolor="none")
            self.ratio_text = self.grad_ax.text(
                0.02, 0.97, "", transform=self.grad_ax.transAxes, va="top", fontsize=9, bbox=box
            )
            self.act_text = self.act_ax.text(
                0.02, 0.97, "", transform=self.act_ax.transAxes, va="top", fontsize=9, bbox=box
            )
            self.title = figure.suptitle("", fontsize=11)
        self._dynamic = [*self.bars, self.signal, self.image]
        self._renderer = BlitRenderer(figure, self._dynamic)
        self._layout = None

    def update(self, probe):
        L = probe.depth + 1
        for index, bar in enumerate(self.bars):
            visible = index < L
            bar.set_visible(visible)
            if visible:
                bar.set_height(probe.grad_norms[index])
                bar.set_color("tab:orange" if index == L - 1 else "tab:blue")
        self.signal.set_data(np.arange(1, L + 1), probe.signal_norms)
        low, high = probe.bin_edges[0], probe.bin_edges[-1]
        self.image.set_data(probe.hist.T)
        self.image.set_extent((0.5, probe.depth + 0.5, low, high))
        # The axes' ranges move in coarse steps, so that most probes share a layout.
        grad_slots, act_slots = _slots(L), _slots(probe.depth)
        grad_limits = _log_limits(np.concatenate([probe.grad_norms, probe.signal_norms]))
        layout = (grad_slots, act_slots, grad_limits, float(low), float(high), probe.activation)
        if layout != self._layout:
            self._layout = layout
            self.grad_ax.set_xlim(0.4, grad_slots + 0.6)
            self.grad_ax.set_xticks(_layer_ticks(grad_slots))
            self.grad_ax.set_ylim(*grad_limits)
            self.act_ax.set_xlim(0.5, act_slots + 0.5)
            self.act_ax.set_xticks(_layer_ticks(act_slots))
            self.act_ax.set_ylim(low, high)
            if probe.activation == "relu":
                self.act_ax.set_ylabel("ReLU output > 0 (log scale)")
                self.act_ax.yaxis.set_major_locator(MaxNLocator(6, integer=True))
                self.act_ax.yaxis.set_major_formatter(FuncFormatter(_power_of_ten))
            else:
                self.act_ax.set_ylabel(f"{DEPTH_ACTIVATIONS[probe.activation]} output")
                self.act_ax.yaxis.set_major_locator(MaxNLocator(5))
                self.act_ax.yaxis.set_major_formatter(ScalarFormatter())
        if self.captions:
            ratio, activations = _captions(probe)
            self.ratio_text.set_text(ratio)
            self.act_text.set_text(activations)
            self.title.set_text(_describe(probe))

    def png(self):
        """The figure as PNG bytes, blitted over the cached background of its layout."""
        return self._renderer.png(self._layout)


def _slots(count, step=5):
    """Layer slots an axis shows for ``count`` layers: the next multiple of ``step``."""
    return int(np.ceil(count / step) * step)


def _power_of_ten(exponent, _position):
    return f"1e{exponent:+.0f}" if exponent else "1"


def _captions(probe):
    flat = "off (output 0)" if probe.activation == "relu" else "saturated"
    return (
        f"first / last layer: ‖dW‖ {probe.grad_ratio:.1e}, ‖dZ‖ {probe.signal_ratio:.1e}",
        f"last hidden layer: std {probe.act_std[-1]:.1e}, {probe.saturation[-1]:.0%} {flat}",
    )


def _layer_ticks(count):
    step = max(1, int(np.ceil(count / 8)))
    return np.arange(1, count + 1, step)


def _new_figure(cls, dpi, captions):
    figure = cls(figsize=(9.6, 3.8 if captions else 3.3), dpi=dpi)
    top = 0.84 if captions else 0.91
    figure.subplots_adjust(left=0.08, right=0.98, bottom=0.15, top=top, wspace=0.22)
    return figure


def plot_depth_probe(probe):
    """Draw a :class:`DepthProbe`: gradient norms per layer and the activations' spread.

    Parameters
    ----------
    probe : DepthProbe

    Returns
    -------
    matplotlib.figure.Figure
        A figure that shows itself as a PNG when it is a notebook cell's value.
    """
    drawing = _DepthFigure(_new_figure(NotebookFigure, dpi=100, captions=True))
    drawing.update(probe)
    return drawing.figure


class DepthExplorer:
    """Sliders for depth, width, activation, initialisation and batch norm over :func:`depth_probe`.

    Every change recomputes the probe and redraws one reused figure into an
    :class:`ipywidgets.Image`. Without a browser (an autograder, nbval) it
    builds quietly, and its controls can be driven from code.

    Parameters
    ----------
    depth, width, activation, init, batchnorm, seed, batch
        Starting settings, as for :func:`depth_probe`.

    Attributes
    ----------
    controls : dict of str to ipywidgets.Widget
        ``"depth"``, ``"width"``, ``"activation"``, ``"init"``, ``"batchnorm"``.
    image : ipywidgets.Image
        The drawing, a PNG.
    info : ipywidgets.HTML
        The settings and the numbers behind the drawing, in words.
    probe : DepthProbe
        What the drawing currently shows.
    """

    def __init__(
        self,
        depth=10,
        width=64,
        activation="sigmoid",
        init="naive",
        batchnorm=False,
        seed=0,
        batch=128,
    ):
        self._fixed = dict(seed=seed, batch=batch)
        self.probe = depth_probe(depth, width, activation, init, batchnorm, seed, batch)
        self._drawing = _DepthFigure(_new_figure(Figure, dpi=80, captions=False), captions=False)
        FigureCanvasAgg(self._drawing.figure)
        style = {"description_width": "100px"}
        self.controls = {
            "depth": widgets.IntSlider(
                value=depth,
                min=1,
                max=MAX_DEPTH,
                description="hidden layers",
                continuous_update=False,
                style=style,
            ),
            "width": widgets.IntSlider(
                value=width,
                min=8,
                max=128,
                step=8,
                description="width",
                continuous_update=False,
                style=style,
            ),
            "activation": widgets.ToggleButtons(
                options=[(label, name) for name, label in DEPTH_ACTIVATIONS.items()],
                value=activation,
                description="activation",
                style={**style, "button_width": "80px"},
            ),
            "init": widgets.Dropdown(
                options=[(label, name) for name, (label, _) in DEPTH_INITS.items()],
                value=init,
                description="initialisation",
                style=style,
            ),
            "batchnorm": widgets.Checkbox(
                value=bool(batchnorm),
                description="batch norm before each activation",
                indent=False,
            ),
        }
        # ToggleButtons put their label above the buttons; the inline class keeps it beside.
        self.controls["activation"].add_class("widget-inline-hbox")
        self.info = widgets.HTML()
        self.image = widgets.Image(format="png", layout=widgets.Layout(max_width="770px"))
        self._redraw()
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self._widget = None

    def settings(self):
        """The current settings as keyword arguments of :func:`depth_probe`."""
        return {**{name: c.value for name, c in self.controls.items()}, **self._fixed}

    def set(self, **settings):
        """Change controls from code, as moving them would (one redraw per change)."""
        for name, value in settings.items():
            self.controls[name].value = value

    def _on_change(self, change):
        # Small matrices: one BLAS thread is faster than two, and never stalls on a busy machine.
        with threadpool_limits(1, user_api="blas"):
            self.probe = depth_probe(**self.settings())
        self._redraw()

    def _redraw(self):
        self._drawing.update(self.probe)
        self.image.value = self._drawing.png()
        ratio, activations = _captions(self.probe)
        self.info.value = f"<b>{_describe(self.probe)}</b><br>{ratio} &nbsp;·&nbsp; {activations}"

    @property
    def widget(self):
        """The whole explorer as one ipywidgets box."""
        if self._widget is None:
            c = self.controls
            self._widget = widgets.VBox(
                [
                    widgets.HBox([c["depth"], c["width"]]),
                    c["activation"],
                    widgets.HBox([c["init"], c["batchnorm"]]),
                    self.info,
                    self.image,
                ]
            )
            self._widget.add_class("backprop-depth-explorer")
        return self._widget

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = self.widget._repr_mimebundle_(include=include, exclude=exclude) or {}
        bundle["text/plain"] = f"DepthExplorer: {_describe(self.probe)}"
        return bundle
