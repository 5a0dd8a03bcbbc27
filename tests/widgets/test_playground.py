"""Tests for backprop_lib.widgets.playground: the model, the state dict, the widget."""

import numpy as np
import pytest

from backprop_lib.widgets import (
    DEFAULT_STATE,
    Playground,
    PlaygroundModel,
    PlaygroundSnapshot,
    plot_playground,
)

# --- the pure model ----------------------------------------------------------------------


@pytest.mark.parametrize("dataset", ["circle", "xor", "moons"])
def test_training_reduces_the_loss_on_an_easy_dataset(dataset):
    """Does training lower the training and validation loss and fit most points?"""
    model = PlaygroundModel({"dataset": dataset, "noise": 0.05, "learning_rate": 0.1})
    start = model.snapshot()
    model.step(60)
    end = model.snapshot()
    assert end.epoch == 60
    assert end.train_loss[-1] < 0.5 * start.train_loss[0]
    assert end.val_loss[-1] < start.val_loss[0]
    assert end.val_acc > 0.9


def test_snapshot_holds_what_a_drawing_needs():
    """Does a snapshot carry the grid probabilities, the split data and one loss per epoch?"""
    model = PlaygroundModel({"n_samples": 100, "val_fraction": 0.2})
    model.step(3)
    snap = model.snapshot()
    assert isinstance(snap, PlaygroundSnapshot)
    assert snap.probabilities.shape == (60, 60, 2)
    np.testing.assert_allclose(snap.probabilities.sum(axis=-1), 1.0)
    assert snap.X_train.shape == (80, 2) and snap.X_val.shape == (20, 2)
    assert snap.train_loss.shape == snap.val_loss.shape == (4,)
    x_min, x_max, y_min, y_max = snap.extent
    assert x_min < snap.X_train[:, 0].min() and snap.X_train[:, 0].max() < x_max


def test_reset_restarts_the_same_run():
    """Does reset() bring back the starting weights and clear the history, deterministically?"""
    model = PlaygroundModel()
    first = model.snapshot()
    model.step(5)
    model.reset()
    again = model.snapshot()
    assert again.epoch == 0
    np.testing.assert_array_equal(again.probabilities, first.probabilities)


def test_hyperparameter_changes_keep_the_run_but_data_changes_restart_it():
    """Does changing the learning rate keep training going, while changing the data starts over?"""
    model = PlaygroundModel()
    model.step(4)
    assert model.set(learning_rate=0.1) is False and model.epoch == 4
    assert model.set(noise=0.2) is True and model.epoch == 0


def test_l2_shrinks_the_weights():
    """Does a strong L2 penalty end with smaller weights than none, from the same start?"""
    plain, penalised = PlaygroundModel(), PlaygroundModel({"l2": 0.3})
    plain.step(20)
    penalised.step(20)
    norm = lambda params: sum(np.sum(v**2) for k, v in params.items() if k[0] == "W")  # noqa: E731
    assert norm(penalised.params) < 0.5 * norm(plain.params)


def test_a_huge_learning_rate_diverges_quietly():
    """Does a learning rate of 100 stop training with a flag instead of warnings or an error?"""
    state = {"learning_rate": 100.0, "hidden_layers": 6, "width": 32, "activation": "relu"}
    model = PlaygroundModel(state, init="he")
    model.step(100)
    snap = model.snapshot()
    assert snap.diverged and model.diverged
    assert np.all(np.isfinite(snap.probabilities))
    epoch = model.epoch
    model.step(5)
    assert model.epoch == epoch
    plot_playground(snap)._repr_png_()


def test_zero_hidden_layers_is_logistic_regression():
    """Does hidden_layers=0 give one dense layer, which cannot fit XOR?"""
    model = PlaygroundModel({"dataset": "xor", "hidden_layers": 0, "learning_rate": 0.3})
    assert set(model.params) == {"W1", "b1"}
    model.step(50)
    assert model.snapshot().val_acc < 0.75


@pytest.mark.parametrize(
    "state",
    [
        {"dataset": "mnist"},
        {"noise": -1},
        {"val_fraction": 1.0},
        {"hidden_layers": 9},
        {"learning_rate": 0},
        {"batch_size": 0},
        {"colour": "red"},
        {"activation": "gelu"},
    ],
)
def test_bad_state_is_refused(state):
    """Are unknown keys and out-of-range values refused with a ValueError?"""
    with pytest.raises(ValueError):
        PlaygroundModel(state)


# --- the drawing and the widget ----------------------------------------------------------


def test_static_plot_draws_a_snapshot():
    """Does plot_playground draw the decision map and the two loss curves?"""
    model = PlaygroundModel()
    model.step(5)
    figure = plot_playground(model.snapshot())
    map_ax, loss_ax = figure.axes
    assert len(loss_ax.lines) == 2 and len(loss_ax.lines[0].get_xdata()) == 6
    assert figure._repr_png_().startswith(b"\x89PNG")


def test_state_dict_pins_the_configuration():
    """Does Playground(state=...) start from those values, in the model and in the controls?"""
    state = {"dataset": "spiral", "hidden_layers": 4, "width": 12, "learning_rate": 0.01}
    playground = Playground(state=state)
    assert {k: playground.state[k] for k in state} == state
    assert {k: playground.controls[k].value for k in state} == state
    assert playground.state["l2"] == DEFAULT_STATE["l2"]


def test_hide_removes_controls_from_the_view():
    """Are hidden controls left out of the displayed box while the rest stay?"""
    playground = Playground(state={"dataset": "xor"}, hide=("dataset", "noise", "reset"))

    def shown(widget):
        yield widget
        for child in getattr(widget, "children", ()):
            yield from shown(child)

    on_screen = set(map(id, shown(playground.widget)))
    for name in ("dataset", "noise", "reset"):
        assert id(playground.controls[name]) not in on_screen
    for name in ("width", "learning_rate", "train"):
        assert id(playground.controls[name]) in on_screen


def test_hiding_an_unknown_control_is_refused():
    """Is a typo in hide= reported instead of silently ignored?"""
    with pytest.raises(ValueError, match="cannot hide"):
        Playground(hide=("datasets",))


@pytest.mark.parametrize(
    "control, value",
    [
        ("noise", 0.3),
        ("width", 3),
        ("hidden_layers", 1),
        ("dataset", "moons"),
        ("learning_rate", 0.3),
        ("batch_size", 50),
        ("l2", 0.01),
        ("activation", "relu"),
    ],
)
def test_moving_a_control_redraws(control, value):
    """Does setting a control's value update the state and the picture?"""
    playground = Playground()
    before = playground.image.value
    playground.controls[control].value = value
    assert playground.state[control] == value
    assert playground.image.value != before


def test_buttons_train_step_and_reset():
    """Do Train, Step and Reset move the epoch counter as their labels say, and redraw?"""
    playground = Playground(state={"epochs_per_click": 20})
    before = playground.image.value
    playground.controls["train"].click()
    assert playground.snapshot.epoch == 20
    assert playground.image.value != before
    playground.controls["step"].click()
    assert playground.snapshot.epoch == 21
    playground.controls["reset"].click()
    assert playground.snapshot.epoch == 0


def test_set_moves_controls_without_extra_redraws():
    """Does playground.set(...) change the model and the controls together?"""
    playground = Playground()
    playground.set(dataset="moons", learning_rate=0.07)
    assert playground.controls["dataset"].value == "moons"
    assert playground.controls["learning_rate"].value == 0.07
    assert playground.state["learning_rate"] == 0.07
    assert "moons" in playground.info.value
