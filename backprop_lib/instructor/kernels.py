"""Kernels for grading: one per notebook, each in its own temporary folder and jail.

A :class:`ConfinedKernelManager` starts the kernel through
:mod:`~backprop_lib.instructor.confine`: a memory cap, a CPU-time cap, a
largest-file cap, and (with Landlock) writes allowed only in its own folder.
Its environment says nothing about the course: no course or release folder,
a private temporary folder, no byte-code written anywhere.

:func:`start_kernel` starts a kernel and waits until it answers, so a worker
can start the next one while it still runs the current notebook.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import ensure_async
from traitlets import Bool, Integer, List

from . import confine
from .zygote import ForkingProvisioner

__all__ = [
    "ConfinedKernelManager",
    "Kernel",
    "KernelStartError",
    "start_kernel",
    "kernel_environment",
    "remove_orphaned_folders",
]

#: Kernel folders are ``<temp>/backprop-grade-*``; their ``owner`` file names the worker.
FOLDER_PREFIX = "backprop-grade-"

#: Environment variables a student's kernel must not see (they point at class data).
HIDDEN_VARIABLES = ("BACKPROP_COURSE_DIR", "BACKPROP_RELEASE_DIR")


class ConfinedKernelManager(AsyncKernelManager):
    """An :class:`~jupyter_client.manager.AsyncKernelManager` whose kernels run confined.

    Configure it like any nbgrader or Jupyter class, e.g. in
    ``nbgrader_config.py``: ``c.ConfinedKernelManager.memory_limit = 2 * 1024**3``.
    """

    memory_limit = Integer(
        2 * 1024**3, help="Address space a kernel may use, in bytes (0: no limit)."
    ).tag(config=True)
    cpu_time_limit = Integer(
        0, help="CPU seconds a kernel may use before the system stops it (0: no limit)."
    ).tag(config=True)
    max_file_size = Integer(
        100 * 1024**2, help="Largest file a kernel may write, in bytes (0: no limit)."
    ).tag(config=True)
    confine_writes = Bool(
        True,
        help="Allow a kernel to write only inside its own folder (needs Linux Landlock; "
        "without it kernels still run in their own temporary folder).",
    ).tag(config=True)
    writable = List([], help="Folders the kernel may write in (set per kernel by the grader).")
    preload = List(
        ["ipykernel.ipkernel", "numpy", "matplotlib.figure", "backprop_lib", "hidden_tests"],
        help="Modules a worker's kernel zygote imports once, so that kernels forked from it "
        "start without importing them again (empty: launch every kernel afresh).",
    ).tag(config=True)

    def limits(self):
        """This manager's limits, as keyword arguments of :func:`.confine.confine`."""
        limits = dict(memory=self.memory_limit, cpu=self.cpu_time_limit)
        limits["file_size"] = self.max_file_size
        if self.confine_writes and self.writable:
            limits["writable"] = [str(folder) for folder in self.writable]
            limits["writable_files"] = [str(self.connection_file), os.devnull]
        return limits

    def format_kernel_cmd(self, extra_arguments=None):
        """The kernel command, prefixed by :mod:`confine` with this manager's limits."""
        command = super().format_kernel_cmd(extra_arguments)
        limits = self.limits()
        prefix = [sys.executable, "-E", "-s", "-S", confine.__file__]
        prefix += ["--memory", str(limits["memory"]), "--cpu", str(limits["cpu"])]
        prefix += ["--file-size", str(limits["file_size"])]
        for folder in limits.get("writable", []):
            prefix += ["--writable", folder]
        for path in limits.get("writable_files", []):
            prefix += ["--writable-file", path]
        return [*prefix, "--", *command]


def kernel_environment(tmpdir):
    """The environment of a grading kernel: this process's, minus course paths.

    Parameters
    ----------
    tmpdir : path-like
        The kernel's private temporary folder (``TMPDIR``).

    Returns
    -------
    dict
    """
    env = {k: v for k, v in os.environ.items() if k not in HIDDEN_VARIABLES}
    env.update(TMPDIR=str(tmpdir), PYTHONDONTWRITEBYTECODE="1")
    return env


@dataclass
class Kernel:
    """A running kernel, its client, and the temporary folder it owns."""

    manager: ConfinedKernelManager
    client: object
    root: Path

    @property
    def workdir(self):
        """The kernel's working directory, where the submission's files go."""
        return self.root / "work"

    @property
    def pid(self):
        """Process id of the kernel (also its process group id)."""
        return self.manager.provisioner.pid

    async def usable(self):
        """Whether the kernel is alive and will stay so (the zygote it came from, if any, lives)."""
        zygote = getattr(self.manager.provisioner, "zygote", None)
        return (zygote is None or zygote.alive) and await self.manager.is_alive()

    @property
    def kernel_name(self):
        """Name of the kernel spec this kernel was started from."""
        return self.manager.kernel_name

    async def stop(self):
        """Kill the kernel (and its process group) and delete its folder."""
        if self.client is not None:
            with contextlib.suppress(Exception):
                self.client.stop_channels()
        with contextlib.suppress(Exception):
            await self.manager.shutdown_kernel(now=True)
        with contextlib.suppress(Exception):
            await ensure_async(self.manager.cleanup_resources())
        shutil.rmtree(self.root, ignore_errors=True)


class KernelStartError(RuntimeError):
    """A kernel died or stayed silent while starting; the message ends with its last words."""


async def start_kernel(
    kernel_name, config, extra_arguments=(), startup_timeout=60, attempts=3, zygote=None
):
    """Start a confined kernel in a new temporary folder and wait until it is ready.

    The kernel talks to its client over Unix sockets in its own folder (no
    TCP ports, so kernels started side by side cannot race for a port).
    A kernel that dies while starting is started again, up to ``attempts`` times.

    Parameters
    ----------
    kernel_name : str
        Kernel spec name (``"python3"``).
    config : traitlets.config.Config
        The course configuration (``ConfinedKernelManager`` limits).
    extra_arguments : sequence of str
        Extra kernel command-line arguments (from ``Execute.extra_arguments``).
    startup_timeout : float
        Seconds to wait for the kernel to answer.
    attempts : int
        How many times to try.
    zygote : backprop_lib.instructor.zygote.Zygote, optional
        Fork the kernel from this zygote instead of launching a new interpreter.

    Returns
    -------
    Kernel
    """
    for attempt in range(1, attempts + 1):
        try:
            return await _start_once(kernel_name, config, extra_arguments, startup_timeout, zygote)
        except KernelStartError as error:
            if attempt == attempts:
                raise
            logging.getLogger(__name__).warning("kernel start failed (%s); trying again", error)


async def _start_once(kernel_name, config, extra_arguments, startup_timeout, zygote):
    root = Path(tempfile.mkdtemp(prefix=FOLDER_PREFIX))
    (root / "owner").write_text(str(os.getpid()))
    for folder in ("work", "tmp", "ipc"):
        (root / folder).mkdir()
    manager = ConfinedKernelManager(kernel_name=kernel_name, config=config)
    manager.transport, manager.ip = "ipc", str(root / "ipc" / "kernel")
    manager.connection_file = str(root / "kernel.json")
    # /dev/shm holds the semaphores of multiprocessing (joblib checks for them on import).
    shared_memory = [d for d in ("/dev/shm",) if os.path.isdir(d)]
    manager.writable = [str(root / d) for d in ("work", "tmp", "ipc")] + shared_memory
    if zygote is not None:
        manager.kernel_id = str(uuid.uuid4())
        manager.provisioner = ForkingProvisioner(
            kernel_id=manager.kernel_id, kernel_spec=manager.kernel_spec, parent=manager
        )
        manager.provisioner.zygote = zygote
    arguments = list(extra_arguments)
    if not any(a.startswith("--HistoryManager.hist_file") for a in arguments):
        arguments.append("--HistoryManager.hist_file=:memory:")
    log = root / "kernel.log"
    try:
        with log.open("wb") as stderr:
            await manager.start_kernel(
                extra_arguments=arguments,
                cwd=str(root / "work"),
                env=kernel_environment(root / "tmp"),
                stdout=subprocess.DEVNULL,
                stderr=stderr,
            )
        client = manager.client()
        client.start_channels()
        try:
            await client.wait_for_ready(timeout=startup_timeout)
        except RuntimeError as error:
            raise KernelStartError(f"{error}: {_last_line(log)}") from None
        client.allow_stdin = False
    except BaseException:
        await Kernel(manager, None, root).stop()
        raise
    return Kernel(manager, client, root)


def remove_orphaned_folders():
    """Delete kernel folders whose worker is gone (a grader killed outright leaves them)."""
    for root in Path(tempfile.gettempdir()).glob(f"{FOLDER_PREFIX}*"):
        try:
            os.kill(int((root / "owner").read_text()), 0)
        except ProcessLookupError:
            shutil.rmtree(root, ignore_errors=True)
        except (OSError, ValueError):
            pass  # no owner file, or not ours to judge


def _last_line(path):
    lines = [line for line in path.read_text(errors="replace").splitlines() if line.strip()]
    return lines[-1].strip() if lines else "no message"
