"""Fixtures of the browser tests: one private JupyterLab and one headless Chromium per session.

Every test here is marked ``browser``. Without Python Playwright or a Chromium
executable they are skipped with the reason; CI installs Debian's chromium,
so they run there.
"""

from __future__ import annotations

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
    """``lesson -> path`` of the solution notebooks that exist and build an explorer."""
    found = {}
    for lesson, (path, markers) in EXPLORER_NOTEBOOKS.items():
        if path.exists() and any(marker in path.read_text() for marker in markers):
            found[lesson] = path
    return found


@pytest.fixture(scope="session")
def lab_server():
    """A JupyterLab server over temporary copies of the explorer notebooks."""
    reason = browser_unavailable()
    if reason:
        pytest.skip(reason)
    notebooks = notebooks_with_explorers()
    if not notebooks:
        pytest.skip("no solution notebook with an explorer exists yet")
    with LabServer(notebooks.values()) as server:
        yield server


@pytest.fixture(scope="session")
def chromium():
    """Headless Debian Chromium, driven by Playwright."""
    reason = browser_unavailable()
    if reason:
        pytest.skip(reason)
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
