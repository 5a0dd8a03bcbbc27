"""The explorers in a real JupyterLab: run the lesson, move every slider, see the picture change.

For each solution notebook that builds an explorer (lesson 04's learning-rate
explorer, lesson 05's depth explorer and playground) the test opens a private
JupyterLab in headless Chromium, runs all cells, then presses an arrow key on
every slider handle of every explorer and checks that the drawn image changed.
Screenshots of each step land in ``artifacts/browser/`` (or ``$BACKPROP_ARTIFACTS``).
"""

from __future__ import annotations

import re

import pytest

from .conftest import EXPLORER_NOTEBOOKS, notebooks_with_explorers
from .helpers import (
    notebook_errors,
    open_notebook,
    press_and_time_redraw,
    run_all_cells,
    slider_at_max,
    slider_handles,
    slider_label,
)

pytestmark = pytest.mark.browser

#: A widget box counts as an explorer when it is an output's top box with sliders and an image.
EXPLORER_BOXES = ".jp-OutputArea-output > .widget-vbox"


def _slug(text):
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "slider"


def explorers_on(page):
    """Locators of the explorer boxes of the open notebook, in page order."""
    boxes = page.locator(EXPLORER_BOXES).filter(has=page.locator("img"))
    return boxes.filter(has=page.locator(".widget-slider"))


def image_bytes(image):
    """What the image element shows, as PNG bytes of a screenshot of it."""
    image.scroll_into_view_if_needed()
    return image.screenshot(animations="disabled")


def move_every_slider(page, box, name, artifacts):
    """Press an arrow key on each slider of ``box``; return ``{label: milliseconds}``."""
    image = box.locator("img").first
    box.scroll_into_view_if_needed()
    box.screenshot(path=artifacts / f"{name}-00-initial.png")
    handles = slider_handles(box)
    assert handles.count() >= 1, f"{name}: no slider found"
    latencies = {}
    for index in range(handles.count()):
        handle = handles.nth(index)
        label = slider_label(handle) or f"slider {index + 1}"
        key = "ArrowLeft" if slider_at_max(handle) else "ArrowRight"
        before = image_bytes(image)
        latencies[label] = press_and_time_redraw(page, handle, image, key)
        after = image_bytes(image)
        box.screenshot(path=artifacts / f"{name}-{index + 1:02d}-{_slug(label)}.png")
        assert after != before, f"{name}: moving '{label}' ({key}) did not change the picture"
    return latencies


@pytest.mark.parametrize("lesson", sorted(EXPLORER_NOTEBOOKS))
def test_every_slider_redraws_its_explorer(lesson, lab_server, page, artifacts):
    """In JupyterLab, does every slider of every explorer of the lesson redraw its picture?"""
    path = notebooks_with_explorers()[lesson]
    try:
        open_notebook(page, lab_server, path.name)
        run_all_cells(page)
        assert notebook_errors(page) == [], f"{lesson}: error or stderr output in the notebook"
        boxes = explorers_on(page)
        boxes.first.wait_for(timeout=30_000)
        expected = 2 if lesson == "05_deep_networks" else 1
        assert boxes.count() >= expected, f"{lesson}: found {boxes.count()} explorers"
        for number in range(boxes.count()):
            latencies = move_every_slider(
                page, boxes.nth(number), f"{lesson}-explorer{number + 1}", artifacts
            )
            print(lesson, number + 1, {k: f"{v:.0f} ms" for k, v in latencies.items()})
    except Exception:
        page.screenshot(path=artifacts / f"{lesson}-failure.png", full_page=True)
        raise


def test_depth_explorer_buttons_and_playground_training(lab_server, page, artifacts):
    """Do the depth explorer's buttons redraw, and does Train run 100 epochs in the browser?"""
    path = notebooks_with_explorers()["05_deep_networks"]
    try:
        open_notebook(page, lab_server, path.name)
        run_all_cells(page)
        depth = page.locator(".backprop-depth-explorer")
        image = depth.locator("img")
        before = image_bytes(image)
        old = image.get_attribute("src")
        depth.get_by_role("button", name="ReLU", exact=True).click()
        page.wait_for_function(
            "([img, old]) => img.getAttribute('src') !== old && img.complete",
            arg=[image.element_handle(), old],
        )
        old = image.get_attribute("src")
        depth.locator("select").select_option(label="He")
        page.wait_for_function(
            "([img, old]) => img.getAttribute('src') !== old && img.complete",
            arg=[image.element_handle(), old],
        )
        depth.screenshot(path=artifacts / "05_deep_networks-depth-relu-he.png")
        assert image_bytes(image) != before
        assert "ReLU, He" in depth.inner_text()

        playground = page.locator(".backprop-playground")
        playground.scroll_into_view_if_needed()
        before = image_bytes(playground.locator("img"))
        playground.get_by_role("button", name=re.compile("Train")).click()
        playground.get_by_text(re.compile(r"epoch 100\b")).first.wait_for(timeout=60_000)
        playground.screenshot(path=artifacts / "05_deep_networks-playground-trained.png")
        assert image_bytes(playground.locator("img")) != before
    except Exception:
        page.screenshot(path=artifacts / "05_deep_networks-buttons-failure.png", full_page=True)
        raise
