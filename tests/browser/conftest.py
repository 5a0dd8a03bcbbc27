"""Fixtures of the browser tests: one private JupyterLab and one headless Chromium per session.

Every test here is marked ``browser``. Without Python Playwright or a Chromium
executable they are skipped with the reason, unless ``BACKPROP_REQUIRE_BROWSER``
is set (CI sets it after installing Debian's chromium): then they fail.
"""

from __future__ import annotations

import os

import pytest

from .helpers import (
    REPO,
    LabServer,
    artifacts_dir,
    browser_unavailable,
    launch_chromium,
)

#: Solution notebooks that carry explorers, and the code that marks a notebook as carrying one.
EXPLORER_NOTEBOOKS = {
    "04_gradient_descent": (
        REPO / "solutions" / "04_gradient_descent" / "gradient_descent.ipynb",
        ("learning_rate_explorer(", "LearningRateExplorer("),
    ),
    "05_deep_networks": (
        REPO / "solutions" / "05_deep_networks" / "deep_networks.ipynb",
        ("DepthExplorer(", "Playground("),
    ),
}


def notebooks_with_explorers():
    """``lesson -> path`` of the solution notebooks that build explorers (all of them must)."""
    for path, markers in EXPLORER_NOTEBOOKS.values():
        missing = [marker for marker in markers if marker not in path.read_text()]
        assert len(missing) < len(markers), f"{path.name} builds none of {markers}"
    return {lesson: path for lesson, (path, _) in EXPLORER_NOTEBOOKS.items()}


def unavailable(reason):
    """Skip for want of a browser; fail instead where one is required (CI)."""
    if os.environ.get("BACKPROP_REQUIRE_BROWSER"):
        pytest.fail(f"the browser test is required here, but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def lab_server():
    """A JupyterLab server over temporary copies of the explorer notebooks."""
    reason = browser_unavailable()
    if reason:
        unavailable(reason)
    with LabServer(notebooks_with_explorers().values()) as server:
        yield server


@pytest.fixture(scope="session")
def chromium():
    """Headless Debian Chromium, driven by Playwright."""
    reason = browser_unavailable()
    if reason:
        unavailable(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    """A fresh browser page, large enough that an explorer fits on screen."""
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def artifacts():
    """The folder screenshots are saved in (``$BACKPROP_ARTIFACTS`` or artifacts/browser)."""
    return artifacts_dir()
