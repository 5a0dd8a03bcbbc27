"""A kernel fork server: import the heavy modules once, fork every kernel from there.

Most of the CPU a small lesson notebook costs goes into starting Python and
importing ipykernel, NumPy, Matplotlib and ``backprop_lib``, again for every
student. A *zygote* is a process that imports them once; each kernel is a
``fork()`` of it that then becomes exactly what a freshly launched kernel
would be: its own session and process group, working folder, environment,
file descriptors, limits and Landlock jail (:func:`.confine.confine`), fresh
random seeds, and then ``ipykernel``'s own ``launch_new_instance``.

The zygote only imports modules (no kernel, no threads, no Matplotlib
backend) and sets ``MPLBACKEND`` the way ipykernel does (the inline backend,
unless the environment names one) before Matplotlib is imported, so a forked
kernel runs a notebook exactly as a launched one.

Protocol, one JSON object per line: the worker writes a request
``{"argv", "cwd", "env", "stderr", "limits"}``; the zygote answers
``{"forked": pid}`` (or ``{"error": message}``) and later reports
``{"exited": pid, "code": n}`` for each kernel that ends.

:class:`Zygote` is the worker's side; :class:`ForkingProvisioner` plugs it
into jupyter_client, so nbclient, interrupts and kills work unchanged.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import json
import os
import selectors
import signal
import subprocess
import sys
import threading
import time

from jupyter_client.provisioning import LocalProvisioner

__all__ = ["Zygote", "ForkingProvisioner", "ForkedProcess", "main", "INLINE_BACKEND"]

#: The backend ipykernel selects (through ``MPLBACKEND``) when none is set.
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"


# -- the zygote process ------------------------------------------------------


def _child(request, channels):
    """In the forked child: become the requested kernel. Never returns."""
    code = 1
    try:
        for fd in channels:
            os.close(fd)
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        os.setsid()
        null = os.open(os.devnull, os.O_RDWR)
        log = os.open(request["stderr"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        for fd, target in ((0, null), (1, null), (2, log)):
            os.dup2(target, fd)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        sys.path[0] = request["cwd"]  # as `python -m ipykernel_launcher` in that folder
        import tempfile

        tempfile.tempdir = None
        if "numpy" in sys.modules:
            sys.modules["numpy"].random.seed()  # a launched kernel seeds from the OS
        from . import confine

        confine.confine(**request["limits"])
        sys.argv = ["ipykernel_launcher", *request["argv"]]
        from ipykernel import kernelapp

        kernelapp.launch_new_instance()
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 0
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        os._exit(code)


def _reap(output):
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        _say(output, {"exited": pid, "code": os.waitstatus_to_exitcode(status)})


def _say(output, message):
    output.write(json.dumps(message) + "\n")
    output.flush()


def serve(preload):
    """Import ``preload``, then fork kernels on request until stdin closes."""
    if not os.environ.get("MPLBACKEND"):  # Matplotlib would pick another backend than ipykernel
        _say(sys.stdout, {"error": "MPLBACKEND must be set before a zygote starts"})
        return
    for name in preload:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
    output = sys.stdout
    if threading.active_count() > 1:  # forking would copy a half-held lock
        _say(output, {"error": "the zygote started threads while importing"})
        return
    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_write, False)
    signal.set_wakeup_fd(wake_write)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    selector = selectors.DefaultSelector()
    selector.register(sys.stdin, selectors.EVENT_READ)
    selector.register(wake_read, selectors.EVENT_READ)
    _say(output, {"ready": os.getpid()})
    while True:
        for key, _ in selector.select():
            if key.fileobj is sys.stdin:
                line = sys.stdin.readline()
                if not line:
                    return
                request = json.loads(line)
                pid = os.fork()
                if pid == 0:
                    _child(request, (wake_read, wake_write, selector.fileno(), 1))
                _say(output, {"forked": pid})
            else:
                with contextlib.suppress(BlockingIOError):
                    os.read(wake_read, 4096)
            _reap(output)


def main():
    """``python -m backprop_lib.instructor.zygote MODULE ...``"""
    serve(sys.argv[1:])


# -- the worker's side -------------------------------------------------------


class Zygote:
    """A running zygote, seen from the worker: fork kernels, learn when they exit."""

    def __init__(self, process):
        self.process = process
        self.exits = {}  # pid -> exit code
        self._replies = asyncio.Queue()
        self._lock = asyncio.Lock()
        self._reader = asyncio.ensure_future(self._read())

    @classmethod
    async def start(cls, env, preload, startup_timeout=120):
        """Start a zygote with environment ``env`` that imports ``preload``."""
        # As ipykernel does, unless already set; and before Python starts: running this
        # module imports backprop_lib, and so Matplotlib, which reads MPLBACKEND on import.
        env = {"MPLBACKEND": INLINE_BACKEND, **env}
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "backprop_lib.instructor.zygote",
            *preload,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            start_new_session=True,
        )
        zygote = cls(process)
        reply = await asyncio.wait_for(zygote._replies.get(), startup_timeout)
        if "ready" not in reply:
            await zygote.close()
            raise RuntimeError(f"the kernel zygote could not start: {reply.get('error')}")
        return zygote

    async def _read(self):
        while line := await self.process.stdout.readline():
            message = json.loads(line)
            if "exited" in message:
                self.exits[message["exited"]] = message["code"]
            else:
                await self._replies.put(message)
        await self._replies.put({"error": "the kernel zygote stopped"})

    @property
    def alive(self):
        return self.process.returncode is None and not self._reader.done()

    async def fork(self, request):
        """Fork a kernel as described by ``request``; return its pid."""
        async with self._lock:
            self.process.stdin.write((json.dumps(request) + "\n").encode())
            await self.process.stdin.drain()
            reply = await self._replies.get()
        if "forked" not in reply:
            raise RuntimeError(reply.get("error", "the kernel zygote did not fork"))
        return reply["forked"]

    async def close(self):
        """Stop the zygote (its kernels are stopped by their managers)."""
        with contextlib.suppress(Exception):
            self.process.stdin.close()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.process.wait(), 5)
        if self.process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self.process.kill()
            await self.process.wait()
        self._reader.cancel()


class ForkedProcess:
    """The part of :class:`subprocess.Popen` jupyter_client uses, for a forked kernel."""

    stdin = stdout = stderr = None

    def __init__(self, pid, zygote):
        self.pid, self.zygote, self.returncode = pid, zygote, None

    def poll(self):
        if self.returncode is None:
            self.returncode = self.zygote.exits.pop(self.pid, None)
            if self.returncode is None and not self.zygote.alive and not _running(self.pid):
                self.returncode = -signal.SIGKILL  # orphaned when the zygote died, now gone
        return self.returncode

    def wait(self, timeout=None):
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(f"kernel {self.pid}", timeout)
            time.sleep(0.05)
        return self.returncode

    def send_signal(self, signum):
        if self.poll() is None:
            os.kill(self.pid, signum)

    def kill(self):
        self.send_signal(signal.SIGKILL)

    def terminate(self):
        self.send_signal(signal.SIGTERM)


def _running(pid):
    """Whether process ``pid`` exists and is not a zombie (for kernels the zygote left)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


class ForkingProvisioner(LocalProvisioner):
    """Launch IPython kernels as forks of a :class:`Zygote` (others as usual)."""

    zygote = None  # set by the grader before the kernel starts

    async def launch_kernel(self, cmd, **kwargs):
        manager = self.parent
        try:
            at = cmd.index("ipykernel_launcher")
        except ValueError:
            at = None
        if self.zygote is None or not self.zygote.alive or at is None or cmd[at - 1] != "-m":
            return await super().launch_kernel(cmd, **kwargs)
        stderr = kwargs.get("stderr")
        request = {
            "argv": cmd[at + 1 :],
            "cwd": str(kwargs["cwd"]),
            "env": {**kwargs["env"], "JPY_PARENT_PID": str(self.zygote.process.pid)},
            "stderr": getattr(stderr, "name", os.devnull),
            "limits": manager.limits(),
        }
        pid = await self.zygote.fork(request)
        self.process = ForkedProcess(pid, self.zygote)
        self.pid = self.pgid = pid
        self.cwd = kwargs["cwd"]
        return self.connection_info

    async def wait(self):
        """Wait for the kernel to end (a forked one has no pipes to close)."""
        while await self.poll() is None:
            await asyncio.sleep(0.05)
        code, self.process = self.process.returncode if self.process else 0, None
        return code


if __name__ == "__main__":
    from backprop_lib.instructor.zygote import main as imported_main

    imported_main()
