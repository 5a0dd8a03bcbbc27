"""Drive a real JupyterLab in headless Chromium: a private server, notebooks, sliders.

Used by the browser tests and by ``benchmarks/widget_latency.py``. Nothing here
touches the user's Jupyter set-up: the server gets temporary config, data,
runtime, settings and workspace directories, serves a temporary copy of the
notebooks (so autosave can never write outputs into the repository), listens
on a free loopback port and requires a random token.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

#: Chromium flags for a quiet, sandbox-free headless run in a container or CI.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

#: JupyterLab user settings for the tests: every cell in the DOM, no autosave, no news.
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
}

NBGRADER_EXTENSIONS = ("assignment_list", "course_list", "formgrader", "validate_assignment")

#: Milliseconds to wait for one redraw in the browser before calling it a failure.
REDRAW_TIMEOUT_MS = 20_000


def chromium_path():
    """The Chromium executable to use, or None: ``$BACKPROP_CHROMIUM``, then the usual names."""
    candidates = [os.environ.get("BACKPROP_CHROMIUM")]
    candidates += ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
    candidates += [shutil.which(name) for name in ("chromium", "chromium-browser")]
    for candidate in candidates:
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


def browser_unavailable():
    """Why the browser tests cannot run here (a sentence), or None when they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Python Playwright is not installed (pip install playwright)"
    if chromium_path() is None:
        return (
            "no Chromium found at /usr/bin/chromium or on PATH "
            "(install Debian's chromium or set BACKPROP_CHROMIUM)"
        )
    return None


def artifacts_dir():
    """Where screenshots go: ``$BACKPROP_ARTIFACTS`` or ``artifacts/browser`` at the repo root."""
    path = Path(os.environ.get("BACKPROP_ARTIFACTS") or REPO / "artifacts" / "browser")
    path.mkdir(parents=True, exist_ok=True)
    return path


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LabServer:
    """A private JupyterLab server over a temporary copy of some notebooks.

    Parameters
    ----------
    notebooks : iterable of Path
        Notebooks to copy into the served folder (each keeps its file name).
    startup_timeout : float
        Seconds to wait for the server to answer.

    Use as a context manager; ``url(name)`` gives the address that opens a notebook.
    """

    def __init__(self, notebooks, startup_timeout=60.0):
        self.notebooks = [Path(path) for path in notebooks]
        self.startup_timeout = startup_timeout
        self.token = secrets.token_hex(16)
        self.port = None
        self.process = None
        self._tmp = None

    def __enter__(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="backprop-lab-")
        tmp = Path(self._tmp.name)
        root = tmp / "notebooks"
        root.mkdir()
        for notebook in self.notebooks:
            shutil.copy(notebook, root / notebook.name)
        settings = tmp / "lab-settings"
        for relative, values in LAB_SETTINGS.items():
            target = settings / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(values))
        config = tmp / "config"
        (config / "labconfig").mkdir(parents=True)
        # nbgrader's pages and server extensions are not needed to run a notebook.
        (config / "labconfig" / "page_config.json").write_text(
            json.dumps({"disabledExtensions": {"@jupyter/nbgrader": True}})
        )
        nbgrader_off = {f"nbgrader.server_extensions.{name}": False for name in NBGRADER_EXTENSIONS}
        (config / "jupyter_server_config.json").write_text(
            json.dumps({"ServerApp": {"jpserver_extensions": nbgrader_off}})
        )
        pythonpath = [str(REPO / "grading"), str(REPO)]
        pythonpath += [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
        env = dict(
            os.environ,
            JUPYTER_CONFIG_DIR=str(config),
            JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
            JUPYTERLAB_SETTINGS_DIR=str(settings),
            JUPYTERLAB_WORKSPACES_DIR=str(tmp / "workspaces"),
            IPYTHONDIR=str(tmp / "ipython"),
            PYTHONPATH=os.pathsep.join(dict.fromkeys(pythonpath)),
            PATH=os.pathsep.join([os.path.dirname(sys.executable), os.environ.get("PATH", "")]),
            MPLBACKEND="Agg",
        )
        env.pop("BACKPROP_COURSE_GRADING", None)
        self.port = _free_port()
        self.log = open(tmp / "server.log", "w")  # noqa: SIM115  (closed in __exit__)
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "jupyterlab",
                "--no-browser",
                "--ServerApp.ip=127.0.0.1",
                f"--ServerApp.port={self.port}",
                "--ServerApp.port_retries=0",
                f"--IdentityProvider.token={self.token}",
                f"--ServerApp.root_dir={root}",
                "--ServerApp.allow_root=True",
                "--LabApp.news_url=None",
            ],
            cwd=root,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        try:
            self._wait_until_up()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _wait_until_up(self):
        deadline = time.monotonic() + self.startup_timeout
        status = f"http://127.0.0.1:{self.port}/api/status?token={self.token}"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"JupyterLab exited early:\n{self.server_log()[-3000:]}")
            try:
                with urllib.request.urlopen(status, timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.25)
        raise RuntimeError(f"JupyterLab did not answer in time:\n{self.server_log()[-3000:]}")

    def server_log(self):
        """What the server printed so far."""
        self.log.flush()
        return (Path(self._tmp.name) / "server.log").read_text(errors="replace")

    def url(self, notebook_name):
        """Address of JupyterLab with ``notebook_name`` open."""
        # ?reset: start from an empty workspace, not the tabs a previous page left open.
        base = f"http://127.0.0.1:{self.port}/lab/tree/{notebook_name}"
        return f"{base}?reset&token={self.token}"

    def __exit__(self, *exc):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        if getattr(self, "log", None) is not None:
            self.log.close()
        if self._tmp is not None:
            self._tmp.cleanup()


def launch_chromium(playwright):
    """Headless Debian Chromium (never a downloaded browser)."""
    return playwright.chromium.launch(
        executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
    )


def open_notebook(page, server, notebook_name, timeout_ms=60_000):
    """Open a notebook in JupyterLab and wait until its kernel is idle."""
    page.goto(server.url(notebook_name))
    page.wait_for_selector(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell", timeout=timeout_ms)
    wait_kernel_idle(page, timeout_ms)


def wait_kernel_idle(page, timeout_ms=60_000):
    """Wait until the open notebook has a kernel (not "No Kernel") and it is idle."""
    page.wait_for_function(
        """() => {
            const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
            if (!panel) return false;
            const name = panel.querySelector('.jp-Toolbar-kernelName');
            const indicator = panel.querySelector('.jp-Notebook-ExecutionIndicator');
            return name && !/No Kernel/.test(name.textContent)
                && indicator && indicator.dataset.status === 'idle';
        }""",
        timeout=timeout_ms,
    )


def run_all_cells(page, timeout_ms=120_000):
    """Run every cell from the Run menu; wait until every code cell has an execution count."""
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    page.wait_for_function(
        """() => {
            // A cell whose source is collapsed shows an empty prompt; judge the others.
            const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]
                .map(p => p.textContent.trim()).filter(text => text !== '');
            return prompts.length > 0 && prompts.every(text => /\\[\\d+\\]/.test(text));
        }""",
        timeout=timeout_ms,
    )
    wait_kernel_idle(page, timeout_ms)


def notebook_errors(page):
    """Texts of error outputs, stderr outputs and widgets that failed to display."""
    return page.evaluate(
        """() => {
            const bad = [...document.querySelectorAll(
                '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')];
            const texts = bad.map(e => e.textContent.slice(0, 300));
            for (const e of document.querySelectorAll('.jp-OutputArea-output')) {
                if (/Error displaying widget|model not found/.test(e.textContent)) {
                    texts.push(e.textContent.slice(0, 300));
                }
            }
            return texts;
        }"""
    )


def slider_handles(container):
    """The noUiSlider handles of every slider inside a widget container, in page order."""
    return container.locator(".widget-slider .noUi-handle")


def slider_label(handle):
    """The description text of the slider a handle belongs to."""
    return handle.evaluate(
        """h => {
            const box = h.closest('.widget-slider');
            const label = box && box.querySelector('.widget-label');
            return label ? label.textContent.trim() : '';
        }"""
    )


def slider_at_max(handle):
    """Whether a slider handle is at its maximum (then it must move left instead)."""
    return handle.evaluate(
        "h => h.getAttribute('aria-valuenow') === h.getAttribute('aria-valuemax')"
    )


def image_src(image):
    """The current ``src`` of an image element (a fresh blob URL after each redraw)."""
    return image.get_attribute("src")


def press_and_time_redraw(page, handle, image, key, timeout_ms=REDRAW_TIMEOUT_MS):
    """Press ``key`` on a slider handle; wait for the image to show a new picture.

    Returns
    -------
    float
        Milliseconds from the key press (a capturing keydown listener) to the
        ``load`` event of the image's new source.
    """
    image.evaluate(
        """img => {
            window.__redraw = {t0: null, t1: null, old: img.getAttribute('src')};
            window.addEventListener('keydown', () => {
                if (window.__redraw.t0 === null) window.__redraw.t0 = performance.now();
            }, {capture: true, once: true});
            const done = () => {
                if (img.getAttribute('src') !== window.__redraw.old && img.complete
                    && window.__redraw.t1 === null) {
                    window.__redraw.t1 = performance.now();
                }
            };
            img.addEventListener('load', done);
            new MutationObserver(() => { if (img.complete) done(); })
                .observe(img, {attributes: true, attributeFilter: ['src']});
        }"""
    )
    handle.focus()
    handle.press(key)
    page.wait_for_function("() => window.__redraw.t1 !== null", timeout=timeout_ms)
    return page.evaluate("() => window.__redraw.t1 - window.__redraw.t0")
