"""Linux Landlock: let a process write only inside the folders it is given.

Landlock (Linux 5.13 and later) lets an unprivileged process give up rights
for itself and every process it starts. The grader uses it on each
student's kernel: reading stays allowed everywhere, writing only in the
kernel's own working folder, and (Linux 6.12 and later) signals cannot reach
processes outside the kernel, so a submission can neither edit the gradebook
or another student's files nor kill the grader.

Only the few constants and structures needed here are bound, with ctypes.
"""

from __future__ import annotations

import ctypes
import os
import sys

__all__ = ["abi_version", "restrict_writes"]

_SYSCALLS = {"x86_64": (444, 445, 446), "aarch64": (444, 445, 446)}
_CREATE_RULESET_VERSION = 1 << 0
_RULE_PATH_BENEATH = 1
_PR_SET_NO_NEW_PRIVS = 38

# Filesystem rights (ABI 1, then REFER in ABI 2 and TRUNCATE in ABI 3).
_WRITE_FILE = 1 << 1
_WRITES_ABI1 = sum(1 << bit for bit in (1, 4, 5, 6, 7, 8, 9, 10, 11, 12))
_REFER = 1 << 13
_TRUNCATE = 1 << 14
_SCOPE_SIGNAL = 1 << 1  # ABI 6


class _RulesetAttr(ctypes.Structure):
    _fields_ = [
        ("handled_access_fs", ctypes.c_uint64),
        ("handled_access_net", ctypes.c_uint64),
        ("scoped", ctypes.c_uint64),
    ]


class _PathBeneathAttr(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def _libc():
    return ctypes.CDLL(None, use_errno=True)


def abi_version():
    """The Landlock ABI version of this system, or 0 when Landlock is unavailable."""
    numbers = _SYSCALLS.get(os.uname().machine) if sys.platform == "linux" else None
    if numbers is None:
        return 0
    version = _libc().syscall(numbers[0], None, ctypes.c_size_t(0), _CREATE_RULESET_VERSION)
    return max(int(version), 0)


def _write_rights(abi):
    rights = _WRITES_ABI1
    if abi >= 2:
        rights |= _REFER
    if abi >= 3:
        rights |= _TRUNCATE
    return rights


def restrict_writes(writable_dirs=(), writable_files=()):
    """Allow this process and its children to write only under ``writable_dirs``.

    Parameters
    ----------
    writable_dirs : iterable of path-like
        Folders (and everything below them) that stay writable.
    writable_files : iterable of path-like
        Single files that stay writable (``/dev/null``, say).

    Returns
    -------
    int
        The Landlock ABI version used, or 0 if Landlock is unavailable (then
        nothing is restricted).
    """
    abi = abi_version()
    if abi == 0:
        return 0
    create, add_rule, restrict_self = _SYSCALLS[os.uname().machine]
    libc = _libc()
    rights = _write_rights(abi)
    attr = _RulesetAttr(rights, 0, _SCOPE_SIGNAL if abi >= 6 else 0)
    size = ctypes.sizeof(_RulesetAttr) if abi >= 6 else ctypes.sizeof(ctypes.c_uint64)
    ruleset = libc.syscall(create, ctypes.byref(attr), ctypes.c_size_t(size), 0)
    if ruleset < 0:
        raise OSError(ctypes.get_errno(), "landlock_create_ruleset failed")
    try:
        file_rights = _WRITE_FILE | (_TRUNCATE if abi >= 3 else 0)
        for paths, allowed in ((writable_dirs, rights), (writable_files, file_rights)):
            for path in paths:
                _allow(libc, add_rule, ruleset, path, allowed)
        if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS) failed")
        if libc.syscall(restrict_self, ruleset, 0) != 0:
            raise OSError(ctypes.get_errno(), "landlock_restrict_self failed")
    finally:
        os.close(ruleset)
    return abi


def _allow(libc, add_rule, ruleset, path, allowed):
    fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    try:
        rule = _PathBeneathAttr(allowed, fd)
        if libc.syscall(add_rule, ruleset, _RULE_PATH_BENEATH, ctypes.byref(rule), 0) != 0:
            raise OSError(ctypes.get_errno(), f"landlock_add_rule failed for {path}")
    finally:
        os.close(fd)
