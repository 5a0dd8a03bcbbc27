"""The kernel jail: resource limits always, write and signal confinement with Landlock."""

from __future__ import annotations

import subprocess
import sys

import pytest

from backprop_lib.instructor import confine
from backprop_lib.instructor.landlock import abi_version


def _jailed(code, *options):
    command = [sys.executable, "-E", "-s", "-S", confine.__file__, *options, "--"]
    return subprocess.run(
        [*command, sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )


def test_memory_is_capped():
    """Does allocating past the memory limit raise MemoryError instead of taking the machine?"""
    run = _jailed("bytearray(800 * 1024**2)", "--memory", str(400 * 1024**2))
    assert run.returncode == 1 and "MemoryError" in run.stderr


def test_file_size_is_capped(tmp_path):
    """Is a file larger than the limit refused?"""
    code = f"open({str(tmp_path / 'big')!r}, 'wb').write(bytes(2 * 1024**2))"
    run = _jailed(code, "--file-size", str(1024**2))
    assert run.returncode != 0 and not (tmp_path / "big").stat().st_size > 1024**2


@pytest.mark.skipif(not abi_version(), reason="Linux Landlock is not available here")
def test_writes_outside_the_jail_are_refused(tmp_path):
    """Can a confined process write in its folder but nowhere else?"""
    inside, outside = tmp_path / "inside", tmp_path / "outside"
    inside.mkdir()
    code = (
        f"open({str(inside / 'ok')!r}, 'w').write('x')\n"
        f"try:\n    open({str(outside)!r}, 'w')\nexcept PermissionError:\n    print('refused')"
    )
    run = _jailed(code, "--writable", str(inside))
    assert run.stdout.strip() == "refused" and (inside / "ok").exists()
    assert not outside.exists()


@pytest.mark.skipif(abi_version() < 6, reason="Landlock signal scoping needs Linux 6.12")
def test_signals_cannot_leave_the_jail(tmp_path):
    """Is a confined process unable to signal its parent (the grader's worker)?"""
    code = (
        "import os, signal\ntry:\n    os.kill(os.getppid(), 0)\n"
        "except PermissionError:\n    print('refused')"
    )
    run = _jailed(code, "--writable", str(tmp_path))
    assert run.stdout.strip() == "refused"
