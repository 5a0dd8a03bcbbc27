"""How long each explorer takes from a slider change to its finished redraw.

For every explorer of the course (lesson 04's learning-rate explorer, lesson
05's depth explorer and playground), at default settings, it times two things:

* **in-process**: setting the slider's value from Python until the observer
  has recomputed the model and put a new PNG into the image widget (the pure
  computation plus the drawing, no front end);
* **in the browser**: in a private JupyterLab in headless Chromium, from the
  key press on the slider handle to the ``load`` event of the new image (adds
  the round trip through the kernel, the widget messages and the decoding).
  Skipped, with a line saying why, when Playwright or Chromium is missing.

Each explorer's first slider moves back and forth by one step. The goal is a
median of at most 100 ms. Run with ``python benchmarks/widget_latency.py``
(``--rounds N`` for more or fewer moves, ``--no-browser`` for the first part only).
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

GOAL_MS = 100.0
WARMUP_MOVES = 3

#: name -> (notebook code that builds it at default settings, the same in Python, its first slider)
EXPLORERS = {
    "learning rate (lesson 04)": (
        "LearningRateExplorer()",
        lambda widgets: widgets.LearningRateExplorer(),
        lambda explorer: explorer.lr_slider,
    ),
    "depth (lesson 05)": (
        "DepthExplorer()",
        lambda widgets: widgets.DepthExplorer(),
        lambda explorer: explorer.controls["depth"],
    ),
    "playground (lesson 05)": (
        "Playground()",
        lambda widgets: widgets.Playground(),
        lambda explorer: explorer.controls["noise"],
    ),
}


def _neighbour(slider):
    """A value one step away from the slider's current one (inside its range)."""
    import ipywidgets as widgets

    if isinstance(slider, widgets.SelectionSlider):
        index = slider.index
        return slider.options[index + 1 if index + 1 < len(slider.options) else index - 1][1]
    if isinstance(slider, widgets.FloatLogSlider):
        exponent = math.log(slider.value, slider.base)
        step = slider.step if exponent + slider.step <= slider.max else -slider.step
        return slider.base ** (exponent + step)
    up = slider.value + slider.step
    return up if up <= slider.max else slider.value - slider.step


def in_process(rounds):
    """``name -> list of milliseconds`` per slider move, timed in this process."""
    import backprop_lib.widgets as widgets_module

    results = {}
    for name, (_, build, first_slider) in EXPLORERS.items():
        explorer = build(widgets_module)
        slider = first_slider(explorer)
        values = [slider.value, _neighbour(slider)]
        times = []
        for move in range(WARMUP_MOVES + rounds):
            started = time.perf_counter()
            slider.value = values[(move + 1) % 2]
            elapsed = (time.perf_counter() - started) * 1000
            if move >= WARMUP_MOVES:
                times.append(elapsed)
        results[name] = times
    return results


def _scratch_notebook(folder):
    import nbformat

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell(
            "from backprop_lib.widgets import DepthExplorer, LearningRateExplorer, Playground"
        )
    ]
    notebook.cells += [nbformat.v4.new_code_cell(code) for code, _, _ in EXPLORERS.values()]
    notebook.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}
    }
    path = Path(folder) / "widget_latency.ipynb"
    nbformat.write(notebook, path)
    return path


def in_browser(rounds):
    """``name -> list of milliseconds`` from key press to new image, or a reason string."""
    from tests.browser.helpers import (
        LabServer,
        browser_unavailable,
        launch_chromium,
        open_notebook,
        press_and_time_redraw,
        run_all_cells,
        slider_handles,
    )

    reason = browser_unavailable()
    if reason:
        return reason
    from playwright.sync_api import sync_playwright

    results = {}
    with tempfile.TemporaryDirectory() as folder:
        notebook = _scratch_notebook(folder)
        with LabServer([notebook]) as server, sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            open_notebook(page, server, notebook.name)
            run_all_cells(page)
            boxes = page.locator(".jp-OutputArea-output > .widget-vbox")
            for number, name in enumerate(EXPLORERS):
                box = boxes.nth(number)
                box.scroll_into_view_if_needed()
                handle, image = slider_handles(box).first, box.locator("img").first
                times = []
                for move in range(WARMUP_MOVES + rounds):
                    key = "ArrowRight" if move % 2 == 0 else "ArrowLeft"
                    elapsed = press_and_time_redraw(page, handle, image, key)
                    if move >= WARMUP_MOVES:
                        times.append(elapsed)
                results[name] = times
            browser.close()
    return results


def _row(name, times):
    median = statistics.median(times)
    p90 = sorted(times)[int(0.9 * (len(times) - 1))]
    verdict = "ok" if median <= GOAL_MS else "SLOW"
    return f"{name:<28} {median:8.1f} {p90:8.1f} {max(times):8.1f}   {verdict}"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=20, help="slider moves per explorer")
    parser.add_argument("--no-browser", action="store_true", help="skip the browser part")
    args = parser.parse_args(argv)

    header = f"{'explorer':<28} {'median':>8} {'p90':>8} {'max':>8}   (ms, goal: median <= 100)"
    print("In-process: slider value set -> new PNG in the image widget")
    print(header)
    for name, times in in_process(args.rounds).items():
        print(_row(name, times))
    print()
    if args.no_browser:
        print("Browser: skipped (--no-browser).")
        return 0
    print("Browser (JupyterLab, headless Chromium): key press on the slider -> new image loaded")
    results = in_browser(args.rounds)
    if isinstance(results, str):
        print(f"Browser: skipped, {results}.")
        return 0
    print(header)
    for name, times in results.items():
        print(_row(name, times))
    return 0


if __name__ == "__main__":
    sys.exit(main())
