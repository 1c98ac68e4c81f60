"""Forbid Internet sockets in a query worker process (Linux seccomp filter, no privileges needed).

pyoxigraph evaluates SPARQL `SERVICE` by opening an HTTP connection itself (from Rust, so nothing
in Python can intercept it). The endpoint refuses SERVICE before a query runs (see guard.py), but a
lexical check can be fooled by a query that pyoxigraph tokenises differently. This filter is the
guarantee behind it: after `deny_internet_sockets()`, `socket(AF_INET | AF_INET6, ...)` fails with
EACCES in every thread of the process, so no outbound connection can be made whatever the query
says. Unix-domain sockets and already open pipes (the pool's channels) keep working.
"""

from __future__ import annotations

import ctypes
import errno
import platform
import socket
import struct

# Linux ABI constants (linux/seccomp.h, linux/filter.h, linux/audit.h).
_PR_SET_NO_NEW_PRIVS = 38
_SECCOMP_SET_MODE_FILTER = 1
_SECCOMP_FILTER_FLAG_TSYNC = 1
_SECCOMP_RET_ALLOW = 0x7FFF0000
_SECCOMP_RET_ERRNO = 0x00050000
_BPF_LD_W_ABS = 0x20
_BPF_JEQ_K = 0x15
_BPF_RET_K = 0x06
# offsets into struct seccomp_data: int nr; u32 arch; u64 ip; u64 args[6] (little-endian low word)
_NR, _ARCH, _ARG0 = 0, 4, 16

# machine -> (audit arch, seccomp syscall number, socket syscall number)
_ARCHES = {
    "x86_64": (0xC000003E, 317, 41),
    "aarch64": (0xC00000B7, 277, 198),
}


class SandboxUnavailable(OSError):
    """The platform cannot install the filter (not Linux, unknown architecture, seccomp disabled)."""


def _stmt(code: int, k: int) -> bytes:
    return struct.pack("HBBI", code, 0, 0, k)


def _jump(k: int, if_true: int, if_false: int) -> bytes:
    return struct.pack("HBBI", _BPF_JEQ_K, if_true, if_false, k)


def _program(audit_arch: int, socket_nr: int) -> bytes:
    allow = _stmt(_BPF_RET_K, _SECCOMP_RET_ALLOW)
    deny = _stmt(_BPF_RET_K, _SECCOMP_RET_ERRNO | errno.EACCES)
    return b"".join(
        [
            _stmt(_BPF_LD_W_ABS, _ARCH),
            _jump(audit_arch, 1, 0),
            allow,  # another ABI: not ours to judge
            _stmt(_BPF_LD_W_ABS, _NR),
            _jump(socket_nr, 1, 0),
            allow,
            _stmt(_BPF_LD_W_ABS, _ARG0),  # the address family
            _jump(socket.AF_INET, 2, 0),
            _jump(socket.AF_INET6, 1, 0),
            allow,
            deny,
        ]
    )


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def deny_internet_sockets() -> None:
    """Install the filter for all threads of this process; irreversible. Raises SandboxUnavailable."""
    arch = _ARCHES.get(platform.machine())
    if platform.system() != "Linux" or arch is None:
        raise SandboxUnavailable(f"no seccomp filter for {platform.system()}/{platform.machine()}")
    audit_arch, seccomp_nr, socket_nr = arch
    code = _program(audit_arch, socket_nr)
    buffer = ctypes.create_string_buffer(code, len(code))
    fprog = _SockFprog(len(code) // 8, ctypes.addressof(buffer))
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise SandboxUnavailable(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS) failed")
    flags = _SECCOMP_FILTER_FLAG_TSYNC
    if libc.syscall(seccomp_nr, _SECCOMP_SET_MODE_FILTER, flags, ctypes.byref(fprog)) != 0:
        raise SandboxUnavailable(ctypes.get_errno(), "seccomp(SECCOMP_SET_MODE_FILTER) failed")
