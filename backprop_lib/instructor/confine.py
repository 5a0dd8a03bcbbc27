"""Start a command with resource limits and write confinement: the jail of a student's kernel.

Used, run as a script, as a prefix of the kernel command::

    python -E -s -S .../confine.py --memory 2147483648 --cpu 330 \\
        --file-size 104857600 --writable /tmp/grade-x1 -- python -m ipykernel_launcher ...

It sets the limits on itself, confines writes with Landlock when the system
has it, and replaces itself with the command (same process, so the kernel
manager still tracks and kills it). Run as a script it imports only the
standard library (not the whole ``backprop_lib``), so it adds little more
than an interpreter start-up to the kernel's.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys

try:
    from .landlock import restrict_writes
except ImportError:  # run as a script, next to landlock.py
    from landlock import restrict_writes

__all__ = ["confine", "main"]


def _set_limit(kind, value):
    if value and value > 0:
        resource.setrlimit(kind, (value, value))


def confine(memory=0, cpu=0, file_size=0, writable=(), writable_files=()):
    """Apply limits to the current process (and so to what it runs next).

    Parameters
    ----------
    memory : int
        Address-space limit in bytes (``RLIMIT_AS``); 0 for none.
    cpu : int
        CPU-time limit in seconds (``RLIMIT_CPU``); 0 for none.
    file_size : int
        Largest file the process may write, in bytes (``RLIMIT_FSIZE``); 0 for none.
    writable, writable_files : sequences of path-like
        With Landlock, the only folders and files the process may write.
        Empty: writes are not confined.

    Returns
    -------
    int
        The Landlock ABI version used for write confinement, 0 if none.
    """
    _set_limit(resource.RLIMIT_AS, memory)
    _set_limit(resource.RLIMIT_CPU, cpu)
    _set_limit(resource.RLIMIT_FSIZE, file_size)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if not writable:
        return 0
    return restrict_writes(writable, writable_files)


def main(argv=None):
    """Parse the options, confine this process, then exec the command after ``--``."""
    parser = argparse.ArgumentParser(prog="confine.py")
    parser.add_argument("--memory", type=int, default=0, help="address-space limit, bytes")
    parser.add_argument("--cpu", type=int, default=0, help="CPU-time limit, seconds")
    parser.add_argument("--file-size", type=int, default=0, help="largest file written, bytes")
    parser.add_argument("--writable", action="append", default=[], help="folder left writable")
    parser.add_argument("--writable-file", action="append", default=[], help="file left writable")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- then the command to run")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command given after --")
    confine(args.memory, args.cpu, args.file_size, args.writable, args.writable_file)
    os.execv(command[0], command)


if __name__ == "__main__":
    sys.exit(main())
