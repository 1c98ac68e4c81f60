"""Running the installed `gcm-graph` command as a user does: a subprocess, its exit code, stdout
and stderr; `serve` until it says where it listens, then Ctrl-C (SIGINT)."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

GUARD_S = 300.0  # only ends a command that hangs: nothing waits for a time


def gcm_graph(bin_dir: Path | None = None) -> str:
    """The console script pip installed next to the interpreter running the tests."""
    script = (bin_dir or Path(sys.executable).parent) / "gcm-graph"
    assert script.is_file(), f"{script}: gcm-graph is not installed (pip install -e .)"
    return str(script)


def run(
    *args: str, cwd: Path | None = None, env: dict | None = None, program: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [program or gcm_graph(), *args],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=GUARD_S,
    )


def error_line(result: subprocess.CompletedProcess[str], code: int = 2) -> str:
    """The command failed with `code`, said why in the last line of stderr (after any progress
    lines), printed no traceback and nothing on stdout."""
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode == code, (result.returncode, result.stderr[-3000:])
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert lines and result.stdout == "", (result.stdout, result.stderr)
    return lines[-1]


def one_line_error(result: subprocess.CompletedProcess[str], code: int = 2) -> str:
    """As error_line, and stderr is that one line."""
    line = error_line(result, code)
    assert result.stderr.strip() == line.strip(), result.stderr
    return line


@dataclass
class Serving:
    url: str
    process: subprocess.Popen
    stderr: list[str]


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@contextmanager
def serving(
    *args: str,
    cwd: Path | None = None,
    env: dict | None = None,
    program: str | None = None,
    stop: signal.Signals = signal.SIGINT,
) -> Iterator[Serving]:
    """`gcm-graph serve --port 0 ARGS` until the block ends; then Ctrl-C (SIGINT, `stop`), and
    exit code 0. SIGINT is given its default meaning in the child: a test run as a background
    job inherits it ignored, and a terminal's user would not."""
    process = subprocess.Popen(
        [program or gcm_graph(), "serve", "--port", "0", *args],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=_default_sigint,
    )
    lines: queue.Queue[str] = queue.Queue()
    seen: list[str] = []

    def pump() -> None:
        for line in process.stderr:
            seen.append(line)
            lines.put(line)
        lines.put("")  # stderr closed: the process ended

    threading.Thread(target=pump, daemon=True).start()
    try:
        while True:
            line = lines.get(timeout=GUARD_S)
            if "listening on http://" in line:
                url = line.split("listening on ", 1)[1].split(")", 1)[0].strip()
                break
            if line == "":
                process.wait(timeout=GUARD_S)
                raise AssertionError(f"serve exited ({process.returncode}): {''.join(seen)}")
        yield Serving(url, process, seen)
        process.send_signal(stop)
        assert process.wait(timeout=GUARD_S) == 0, "".join(seen)
    finally:
        if process.poll() is None:
            with suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=GUARD_S)
