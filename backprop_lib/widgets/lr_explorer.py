"""The learning-rate explorer: gradient descent on a long, narrow valley.

The model is pure and needs no browser. :func:`lr_descent` runs plain
gradient descent on :class:`QuadraticBowl`, a two-dimensional quadratic loss
that is ten times steeper across its valley than along it, and returns an
:class:`LRTrace`: the path of the weights, the loss at every step and a
regime label from :func:`classify_regime`. The view,
:class:`LearningRateExplorer`, only wires two sliders to that function and
redraws one figure: the loss curve (log scale) beside the path on the contour
plot of the loss.

Why four regimes? Along an axis of curvature ``lam`` one step multiplies the
distance to the minimum by ``1 - learning_rate * lam``. With the default bowl
(curvatures 1 and 10, 100 steps from ``(-4.5, 2)``):

- below about 0.03, ``"too slow"``: every factor is close to 1, the path crawls;
- about 0.03 to 0.12, ``"converging"``: reaches the minimum with no bouncing to speak of;
- about 0.12 to 0.2, ``"oscillating"``: ``1 - lr * 10 < -0.2``, the path hops across the valley;
- above 0.2, ``"diverging"``: ``|1 - lr * 10| > 1``, every hop is bigger than the last.
"""

from __future__ import annotations

import base64
import math
import numbers
from dataclasses import dataclass, field

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ..plots import NotebookFigure
from ._blit import BlitRenderer

__all__ = [
    "REGIMES",
    "QuadraticBowl",
    "LRTrace",
    "lr_descent",
    "classify_regime",
    "plot_lr_regimes",
    "LearningRateExplorer",
    "learning_rate_explorer",
]

#: The four labels of :func:`classify_regime`, from the smallest learning rate to the largest.
REGIMES = ("too slow", "converging", "oscillating", "diverging")


@dataclass(frozen=True)
class QuadraticBowl:
    """An axis-aligned quadratic loss ``0.5 * sum(curvatures * (w - center) ** 2)``.

    Parameters
    ----------
    curvatures : tuple of 2 floats
        Second derivative along each axis, both > 0. Unequal values make an
        ill-conditioned valley: steep across, shallow along.
    center : tuple of 2 floats
        Where the minimum (loss 0) is.
    """

    curvatures: tuple = (1.0, 10.0)
    center: tuple = (0.0, 0.0)

    def __post_init__(self):
        curvatures = tuple(float(c) for c in self.curvatures)
        center = tuple(float(c) for c in self.center)
        if len(curvatures) != 2 or len(center) != 2:
            raise ValueError("curvatures and center need exactly two entries each")
        if not all(math.isfinite(c) and c > 0 for c in curvatures):
            raise ValueError(f"curvatures must be finite and > 0, not {self.curvatures!r}")
        object.__setattr__(self, "curvatures", curvatures)
        object.__setattr__(self, "center", center)

    #: Loss at the minimum.
    minimum = 0.0

    @property
    def steep_axis(self):
        """Index (0 or 1) of the axis with the larger curvature."""
        return int(np.argmax(self.curvatures))

    @property
    def oscillation_rate(self):
        """Learning rate above which steps overshoot across the valley: ``1 / max curvature``."""
        return 1.0 / max(self.curvatures)

    @property
    def divergence_rate(self):
        """Learning rate above which the steps grow without bound: ``2 / max curvature``."""
        return 2.0 / max(self.curvatures)

    def loss(self, w):
        """Loss at points ``w`` of shape (..., 2); returns shape (...)."""
        d = np.asarray(w, dtype=np.float64) - self.center
        return 0.5 * np.sum(np.asarray(self.curvatures) * d * d, axis=-1)

    def gradient(self, w):
        """Gradient at points ``w`` of shape (..., 2); returns the same shape."""
        return np.asarray(self.curvatures) * (np.asarray(w, dtype=np.float64) - self.center)


#: The bowl the explorer uses: ten times steeper along w2 than along w1.
BOWL = QuadraticBowl()
#: Where the explorer's descent starts.
START = (-4.5, 2.0)


@dataclass(frozen=True, eq=False)
class LRTrace:
    """The record of one gradient-descent run (arrays are read-only).

    Attributes
    ----------
    learning_rate : float
    steps : int
    path : ndarray of shape (steps + 1, 2)
        The weights before the first step and after every step; NaN after the
        weights overflowed.
    losses : ndarray of shape (steps + 1,)
        The loss at each point of ``path`` (``inf`` once it overflowed, then NaN).
    regime : str
        One of :data:`REGIMES`, from :func:`classify_regime`.
    diverged_at : int or None
        For a diverging run, the first step whose loss is non-finite or more
        than ``blowup`` times the starting loss; otherwise None.
    overflow_at : int or None
        The first step whose loss is not a finite number, if any.
    problem : QuadraticBowl
    """

    learning_rate: float
    steps: int
    path: np.ndarray = field(repr=False)
    losses: np.ndarray = field(repr=False)
    regime: str
    diverged_at: int | None
    overflow_at: int | None
    problem: QuadraticBowl = field(repr=False)

    @property
    def final_loss(self):
        """The loss after the last step (may be ``inf`` or NaN)."""
        return float(self.losses[-1])

    def describe(self):
        """One line for a reader: the learning rate, the regime and how it ended."""
        text = f"learning rate {self.learning_rate:.3g}: {self.regime}"
        if self.regime == "diverging":
            text += f", diverged at step {self.diverged_at}"
            if self.overflow_at is not None:
                text += f" (loss overflowed to inf at step {self.overflow_at})"
        else:
            text += f", loss {self.final_loss:.3g} after {self.steps} steps"
        return text


def _positive_number(name, value):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not value > 0:
        raise ValueError(f"{name} must be a number > 0, not {value!r}")
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, not {value!r}")
    return float(value)


def _count(name, value, minimum):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, not {value!r}")
    return int(value)


def lr_descent(learning_rate, steps=100, start=START, problem=BOWL):
    """Run ``steps`` steps of gradient descent ``w <- w - learning_rate * grad`` on ``problem``.

    Never warns: overflow is computed under ``np.errstate`` and shows up as
    ``inf`` in the losses; once the weights are no longer finite the rest of
    the path and losses is NaN.

    Parameters
    ----------
    learning_rate : float
        > 0.
    steps : int
        >= 1.
    start : tuple of 2 floats
        The first weights.
    problem : QuadraticBowl
        The loss surface; the default is ten times steeper along w2 than w1.

    Returns
    -------
    LRTrace
        With ``path`` of shape (steps + 1, 2), ``losses`` of shape (steps + 1,)
        and the regime classified from the losses and the steep coordinate.
    """
    learning_rate = _positive_number("learning_rate", learning_rate)
    steps = _count("steps", steps, minimum=1)
    w = np.array(start, dtype=np.float64)
    if w.shape != (2,) or not np.all(np.isfinite(w)):
        raise ValueError(f"start must be two finite numbers, not {start!r}")
    path = np.full((steps + 1, 2), np.nan)
    path[0] = w
    with np.errstate(all="ignore"):
        for step in range(1, steps + 1):
            w = w - learning_rate * problem.gradient(w)
            if not np.all(np.isfinite(w)):
                break
            path[step] = w
        losses = problem.loss(path)
    finite = np.isfinite(losses)
    overflow_at = None
    if not finite.all():
        overflow_at = int(np.argmin(finite))
        # The first point that left the representable range is +inf, not NaN.
        losses[overflow_at] = np.inf
    regime = classify_regime(losses, path[:, problem.steep_axis], minimum=problem.minimum)
    diverged_at = _divergence_step(losses) if regime == "diverging" else None
    path.setflags(write=False)
    losses.setflags(write=False)
    return LRTrace(learning_rate, steps, path, losses, regime, diverged_at, overflow_at, problem)


def _divergence_step(losses, blowup=10.0):
    bad = ~np.isfinite(losses) | (losses > blowup * losses[0])
    return int(np.argmax(bad)) if bad.any() else len(losses) - 1


def _significant_flips(values, significant):
    """Sign changes between successive differences whose size is not negligible."""
    diffs = np.diff(np.asarray(values, dtype=np.float64))
    if diffs.size < 2:
        return 0
    scale = np.max(np.abs(diffs))
    if not scale > 0:
        return 0
    signs = np.sign(np.where(np.abs(diffs) >= significant * scale, diffs, 0.0))
    signs = signs[signs != 0]
    return int(np.count_nonzero(signs[1:] != signs[:-1]))


def classify_regime(
    losses,
    steep=None,
    *,
    minimum=0.0,
    tol=1e-3,
    blowup=10.0,
    min_flips=3,
    significant=1e-2,
):
    """Say which of the four learning-rate regimes a loss curve shows.

    The rules, applied in this order (the first that holds wins), with
    ``L0`` the first loss and ``Lend`` the last:

    1. ``"diverging"``: some loss is inf or NaN, or ``Lend > blowup * L0``.
    2. ``"oscillating"``: the successive differences of the losses, or of
       ``steep``, change sign at least ``min_flips`` times. Only differences
       at least ``significant`` times the largest difference count, so
       rounding noise near the minimum is not mistaken for bouncing.
    3. ``"diverging"``: ``Lend > L0`` (the loss crept up without bouncing).
    4. ``"converging"``: the gap to the minimum shrank to a ``tol`` fraction,
       ``Lend - minimum <= tol * (L0 - minimum)``.
    5. ``"too slow"``: everything else: steadily down, but still far from the
       minimum after the last step.

    On a quadratic bowl the loss falls smoothly even while the weights hop
    from one side of the valley to the other (each axis contributes a
    decaying square), so pass the weight along the steep axis as ``steep``
    to see the bouncing; a network's loss curve shows it by itself.

    Parameters
    ----------
    losses : sequence of float, length >= 2
        The loss before the first step and after each step.
    steep : sequence of float, optional
        The weight along the steep axis at the same steps.
    minimum : float
        The lowest loss reachable (0 for the bowl).
    tol : float
        Fraction of the starting gap that counts as "reached the minimum".
    blowup : float
        How many times the starting loss counts as "far above the start".
    min_flips : int
        Sign changes needed to call a curve oscillating.
    significant : float
        Smallest difference, relative to the largest, that counts.

    Returns
    -------
    str
        One of ``"too slow"``, ``"converging"``, ``"oscillating"``, ``"diverging"``.
    """
    losses = np.asarray(losses, dtype=np.float64)
    if losses.ndim != 1 or losses.size < 2:
        raise ValueError(f"losses must be a 1-D sequence of at least 2 values, not {losses.shape}")
    if not np.isfinite(losses[0]):
        raise ValueError(f"the first loss must be finite, not {losses[0]}")
    first, last = losses[0], losses[-1]
    if not np.all(np.isfinite(losses)) or last > blowup * first:
        return "diverging"
    flips = _significant_flips(losses, significant)
    if steep is not None:
        steep = np.asarray(steep, dtype=np.float64)
        if steep.shape != losses.shape:
            raise ValueError(
                f"steep must have the shape of losses {losses.shape}, not {steep.shape}"
            )
        flips = max(flips, _significant_flips(steep, significant))
    if flips >= min_flips:
        return "oscillating"
    if last > first:
        return "diverging"
    if last - minimum <= tol * (first - minimum):
        return "converging"
    return "too slow"


# ---------------------------------------------------------------------------------------
# Drawing: shared by the static figure and the widget.

#: Visible window of the weight plane and of the loss axis.
W1_RANGE, W2_RANGE = (-5.0, 5.0), (-3.0, 3.0)
LOSS_RANGE = (1e-16, 1e8)
_REGIME_COLORS = {
    "too slow": "tab:blue",
    "converging": "tab:green",
    "oscillating": "tab:orange",
    "diverging": "tab:red",
}


def _draw_surface(ax, problem):
    w1 = np.linspace(*W1_RANGE, 121)
    w2 = np.linspace(*W2_RANGE, 81)
    grid = np.stack(np.meshgrid(w1, w2), axis=-1)
    levels = np.geomspace(0.05, 80, 10)
    ax.contour(w1, w2, problem.loss(grid), levels=levels, colors="0.6", linewidths=0.7)
    ax.plot(*problem.center, marker="*", color="k", markersize=11, linestyle="none")
    ax.set_xlim(*W1_RANGE)
    ax.set_ylim(*W2_RANGE)
    ax.set_aspect("equal")
    ax.set_xlabel("$w_1$ (shallow)")
    ax.set_ylabel("$w_2$ (steep)")


def _style_loss_axes(ax, steps):
    ax.set_yscale("log")
    ax.set_ylim(*LOSS_RANGE)
    ax.set_xlim(0, max(steps, 1))
    ax.set_xlabel("step")
    ax.set_ylabel("loss (log scale)")


def _inside(points):
    return (
        (points[:, 0] >= W1_RANGE[0])
        & (points[:, 0] <= W1_RANGE[1])
        & (points[:, 1] >= W2_RANGE[0])
        & (points[:, 1] <= W2_RANGE[1])
    )


def _visible_path(trace):
    """The path up to where it leaves the drawn window, ending on the window's border.

    Returns
    -------
    path : ndarray of shape (K, 2)
        Every point before the first one outside the window, then, if the
        path escapes, the point where its next segment crosses the border.
    escaped : bool
    """
    path = trace.path
    with np.errstate(invalid="ignore"):
        outside = ~_inside(path)
    if not outside.any():
        return path, False
    first_out = int(np.argmax(outside))
    kept = path[:first_out]
    if first_out == 0 or not np.all(np.isfinite(path[first_out])):
        return kept, True
    a, b = path[first_out - 1], path[first_out]
    # The largest t in [0, 1] that keeps a + t (b - a) inside the window.
    t = 1.0
    for axis, (low, high) in enumerate((W1_RANGE, W2_RANGE)):
        delta = b[axis] - a[axis]
        if b[axis] > high:
            t = min(t, (high - a[axis]) / delta)
        elif b[axis] < low:
            t = min(t, (low - a[axis]) / delta)
    return np.vstack([kept, a + t * (b - a)]), True


def _visible_losses(trace):
    """Losses as drawn: the first one above the drawn range (or inf) sits on the top
    edge, so the curve visibly leaves the plot; later ones are not drawn (NaN)."""
    with np.errstate(invalid="ignore"):
        above = ~(trace.losses <= LOSS_RANGE[1])
    losses = np.array(trace.losses)
    if above.any():
        first = int(np.argmax(above))
        losses[first] = LOSS_RANGE[1]
        losses[first + 1 :] = np.nan
    return losses


def _divergence_note(trace):
    if trace.regime != "diverging":
        return ""
    note = f"diverged at step {trace.diverged_at}"
    if trace.overflow_at is not None:
        note += f"\nloss = inf at step {trace.overflow_at}"
    return note


def plot_lr_regimes(learning_rates, steps=100, start=START, problem=BOWL):
    """One panel per learning rate: the descent path on the contour plot, regime in the title.

    Parameters
    ----------
    learning_rates : sequence of float
    steps : int
    start : tuple of 2 floats
    problem : QuadraticBowl

    Returns
    -------
    NotebookFigure
        A figure not registered with pyplot; return it as a cell's last
        expression to show it.
    """
    traces = [lr_descent(lr, steps, start, problem) for lr in learning_rates]
    columns = min(len(traces), 2)
    rows = math.ceil(len(traces) / columns)
    figure = NotebookFigure(figsize=(5.2 * columns, 3.4 * rows), layout="constrained")
    axes = figure.subplots(rows, columns, squeeze=False).ravel()
    for ax, trace in zip(axes, traces):
        _draw_surface(ax, problem)
        path, escaped = _visible_path(trace)
        color = _REGIME_COLORS[trace.regime]
        ax.plot(path[:, 0], path[:, 1], "-o", color=color, markersize=2.5, linewidth=1)
        ax.plot(*trace.path[0], "o", color="k", markersize=5)
        if escaped:
            ax.plot(*path[-1], "X", color=color, markersize=10)
        ax.set_title(f"lr = {trace.learning_rate:g}: {trace.regime}", color=color)
        note = _divergence_note(trace)
        if note:
            ax.text(0.02, 0.03, note, transform=ax.transAxes, fontsize=8, color=color)
    for ax in axes[len(traces) :]:
        ax.set_visible(False)
    return figure


# ---------------------------------------------------------------------------------------
# The widget.


class LearningRateExplorer:
    """Two sliders (learning rate on a log scale, number of steps) and a redrawn figure.

    The figure is one Matplotlib ``Figure``, made once and rendered to PNG
    into an ``ipywidgets.Image``. The axes, ticks and contours are drawn once
    and kept as a background; a learning-rate change redraws only the lines
    and texts on top of it (a change of the number of steps also redraws the
    loss axis). Works without a browser: set ``explorer.lr_slider.value``
    and read ``explorer.trace``, the drawn lines or ``explorer.image.value``.

    Parameters
    ----------
    learning_rate : float
        Starting value of the slider, between 1e-4 and 10.
    steps : int
        Starting number of steps, between 5 and 300.
    start : tuple of 2 floats
    problem : QuadraticBowl
    dpi : int
        Resolution of the rendered picture.

    Attributes
    ----------
    lr_slider : ipywidgets.FloatLogSlider
    steps_slider : ipywidgets.IntSlider
    image : ipywidgets.Image
        The rendered PNG.
    readout : ipywidgets.HTML
        One line: regime and how the run ended.
    trace : LRTrace
        The run currently drawn.
    loss_line, path_line : matplotlib.lines.Line2D
        The drawn loss curve and path (clipped to the window).
    widget : ipywidgets.VBox
        Everything together; displaying the explorer displays this.
    """

    def __init__(self, learning_rate=0.05, steps=100, start=START, problem=BOWL, dpi=72):
        self.start = tuple(start)
        self.problem = problem
        self.dpi = dpi
        self.lr_slider = widgets.FloatLogSlider(
            value=learning_rate,
            base=10,
            min=-4,
            max=1,
            step=0.01,
            description="learning rate",
            readout_format=".3g",
            style={"description_width": "initial"},
            layout={"width": "420px"},
        )
        self.steps_slider = widgets.IntSlider(
            value=steps, min=5, max=300, step=5, description="steps", layout={"width": "320px"}
        )
        self.image = widgets.Image(format="png")
        self.readout = widgets.HTML()
        self._build_figure()
        self.lr_slider.observe(self._on_change, names="value")
        self.steps_slider.observe(self._on_change, names="value")
        self.widget = widgets.VBox(
            [widgets.HBox([self.lr_slider, self.steps_slider]), self.image, self.readout]
        )
        self.redraw()

    def _build_figure(self):
        self.figure = Figure(figsize=(10, 3.6), dpi=self.dpi, layout="constrained")
        self.canvas = FigureCanvasAgg(self.figure)
        self.loss_ax, self.path_ax = self.figure.subplots(1, 2, width_ratios=[1.0, 1.25])
        _style_loss_axes(self.loss_ax, self.steps_slider.value)
        (self.loss_line,) = self.loss_ax.plot([], [], linewidth=1.8)
        self.divergence_line = self.loss_ax.axvline(0, color="tab:red", linestyle="--", lw=1)
        self.loss_note = self.loss_ax.text(
            0.98, 0.96, "", transform=self.loss_ax.transAxes, ha="right", va="top"
        )
        _draw_surface(self.path_ax, self.problem)
        (self.path_line,) = self.path_ax.plot([], [], "-o", markersize=2.5, linewidth=1)
        (start_marker,) = self.path_ax.plot(*self.start, "o", color="k", markersize=5)
        (self.exit_marker,) = self.path_ax.plot([], [], "X", color="tab:red", markersize=10)
        for ax in (self.loss_ax, self.path_ax):
            ax.set_title("regime placeholder")  # so the layout leaves room for the titles
        self._dynamic = [
            self.loss_line,
            self.divergence_line,
            self.loss_note,
            self.loss_ax.title,
            self.path_line,
            self.exit_marker,
            self.path_ax.title,
            start_marker,
        ]
        for artist in self._dynamic:
            artist.set_animated(True)
        # Fix the layout once; later redraws change data, not the layout.
        self.canvas.draw()
        self.figure.set_layout_engine("none")
        self._renderer = BlitRenderer(self.figure, self._dynamic)

    def _on_change(self, change):
        self.redraw()

    def redraw(self):
        """Recompute the descent for the sliders' values and re-render the picture."""
        trace = lr_descent(self.lr_slider.value, self.steps_slider.value, self.start, self.problem)
        self.trace = trace
        color = _REGIME_COLORS[trace.regime]
        self.loss_line.set_data(np.arange(trace.steps + 1), _visible_losses(trace))
        path, escaped = _visible_path(trace)
        self.path_line.set_data(path[:, 0], path[:, 1])
        self.exit_marker.set_data(*(path[-1:].T if escaped and len(path) else ([], [])))
        diverged = trace.regime == "diverging"
        self.divergence_line.set_visible(diverged)
        if diverged:
            self.divergence_line.set_xdata([trace.diverged_at] * 2)
        self.loss_note.set_text(_divergence_note(trace) or f"final loss {trace.final_loss:.2e}")
        self.loss_ax.set_title(f"loss per step: {trace.regime}")
        self.path_ax.set_title(f"path, learning rate {trace.learning_rate:.3g}")
        for artist in (self.loss_line, self.path_line, self.loss_note):
            artist.set_color(color)
        for ax in (self.loss_ax, self.path_ax):
            ax.title.set_color(color)
        self.readout.value = f"<b style='color:{color}'>{trace.describe()}</b>"
        self.image.value = self._render()

    def _render(self):
        """PNG bytes of the figure: the loss axis's range follows the steps slider."""
        steps = self.steps_slider.value
        self.loss_ax.set_xlim(0, steps)
        return self._renderer.png(layout=steps)

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = self.widget._repr_mimebundle_(include=include, exclude=exclude) or {}
        # A still picture for viewers without live widgets (static HTML, nbviewer).
        bundle["image/png"] = base64.b64encode(bytes(self.image.value)).decode("ascii")
        bundle["text/plain"] = f"LearningRateExplorer({self.trace.describe()})"
        return bundle


def learning_rate_explorer(learning_rate=0.05, steps=100):
    """Build a :class:`LearningRateExplorer` on the default bowl (display it as a cell's result)."""
    return LearningRateExplorer(learning_rate=learning_rate, steps=steps)
