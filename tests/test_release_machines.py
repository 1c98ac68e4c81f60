"""No committed byte depends on the machine: the whole release, built by the installed command
under different BLAS kernels, numpy SIMD levels, hash seeds and thread counts, is byte-identical,
and equal to the committed build/.

OpenBLAS picks its kernels by CPU (Haswell with FMA here, SkylakeX with AVX-512 elsewhere, ...)
and numpy dispatches its loops by CPU features: both change the last bits of floating-point
results. OPENBLAS_CORETYPE and NPY_DISABLE_CPU_FEATURES make one machine behave like another.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from gcm_graph.config import BUILD_DIR

from support import differing_files, release_files

BIN = Path(sys.executable).parent


def cpu_flags() -> set[str]:
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return set()
    return {flag for line in text.splitlines() if line.startswith("flags") for flag in line.split()}


def numpy_dispatch_targets() -> str:
    """numpy's optional SIMD targets on this build (disabling them leaves the baseline loops)."""
    probe = "from numpy._core._multiarray_umath import __cpu_dispatch__; print(*__cpu_dispatch__)"
    found = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    return found.stdout.strip() if found.returncode == 0 else ""


def machines() -> dict[str, dict[str, str]]:
    """Two simulated machines: an old CPU without FMA or AVX (OpenBLAS Prescott kernels, numpy
    baseline loops, one BLAS thread) and a modern one (Haswell kernels, every numpy target)."""
    flags = cpu_flags()
    if not flags & {"sse3", "pni"}:
        pytest.skip("not an x86-64 CPU with SSE3: OPENBLAS_CORETYPE does not apply")
    modern = "Haswell" if {"avx2", "fma"} <= flags else "Sandybridge" if "avx" in flags else None
    if modern is None:
        pytest.skip("this CPU has no AVX: only one OpenBLAS kernel family to compare")
    old = {"OPENBLAS_CORETYPE": "Prescott", "OPENBLAS_NUM_THREADS": "1", "PYTHONHASHSEED": "1"}
    targets = numpy_dispatch_targets()
    if targets:
        old["NPY_DISABLE_CPU_FEATURES"] = targets
    return {
        "old CPU (Prescott)": old,
        f"modern CPU ({modern})": {"OPENBLAS_CORETYPE": modern, "PYTHONHASHSEED": "2"},
    }


def build_as(out: Path, settings: dict[str, str]) -> dict[str, bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENBLAS_", "NPY_"))}
    env.update(settings)
    done = subprocess.run(
        [str(BIN / "gcm-graph"), "build", "--out", str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, f"build with {settings} failed:\n{done.stderr}"
    return release_files(out)


@pytest.mark.slow
def test_the_release_is_the_same_on_every_machine(tmp_path):
    builds = {
        name: build_as(tmp_path / f"build-{i}", settings)
        for i, (name, settings) in enumerate(machines().items())
    }
    (first, a), (second, b) = builds.items()
    assert a.keys() == b.keys()
    assert any(name.startswith("analysis/figures/") for name in a)
    assert not differing_files(a, b), (
        f"these files differ between the {first} and the {second}; every committed byte must be "
        f"the same on every machine: {differing_files(a, b)}"
    )
    committed = release_files(BUILD_DIR)
    assert not differing_files(committed, a), (
        f"build/ differs from a release built on any machine: {differing_files(committed, a)}"
    )
