"""Processes seen through /proc (Linux): a server's descendants, their CPU time, whether one is
working. Shared by the tests and the benchmarks."""

from __future__ import annotations

import time
from contextlib import suppress
from pathlib import Path


def _stat(pid: int) -> list[str]:
    """The fields of /proc/PID/stat after the command name (state is [0], ppid [1])."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with suppress(OSError, IndexError, ValueError):
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(stat.parent.name))
    return found


def descendants(pid: int) -> set[int]:
    result, frontier = set(), {pid}
    while frontier:
        found = set().union(*(children(p) for p in frontier))
        result |= found
        frontier = found
    return result


def cpu_ticks(pid: int) -> int:
    """User + system CPU time of the process, in clock ticks; 0 once it is gone."""
    try:
        fields = _stat(pid)
    except (OSError, IndexError):
        return 0
    return int(fields[11]) + int(fields[12])


def alive(pid: int) -> bool:
    try:
        return _stat(pid)[0] != "Z"
    except (OSError, IndexError):
        return False


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def wait_until_busy(pids: set[int], ticks: int = 20, timeout: float = 120.0) -> int:
    """The first of `pids` to have used `ticks` more clock ticks of CPU (20: 0.2 s) than when
    this was called: an event (it is working), waited for by polling; `timeout` only ends a wait
    for a process that never works. AssertionError then."""
    before = {pid: cpu_ticks(pid) for pid in pids}
    until = time.monotonic() + timeout
    while time.monotonic() < until:
        for pid in pids:
            if cpu_ticks(pid) - before[pid] >= ticks:
                return pid
        time.sleep(0.05)
    raise AssertionError(f"none of {sorted(pids)} started working")


def wait_until_gone(pid: int, timeout: float = 120.0) -> None:
    until = time.monotonic() + timeout
    while alive(pid):
        assert time.monotonic() < until, f"process {pid} is still there"
        time.sleep(0.05)
