#!/bin/sh
# Build the whole release on an emulated older CPU and compare every byte with build/.
#
# tests/test_release_machines.py varies what can be varied on this CPU (OpenBLAS kernels, numpy's
# SIMD targets); this goes further: under qemu-user with `-cpu Nehalem` (no AVX, AVX2 or FMA)
# every library picks its older code paths — glibc's libm and string functions, numpy's
# loops, OpenBLAS's kernels, Pillow's zlib-ng. Slow (about 8 minutes), so not part of `make
# test`; run it after changing how figures or dumps are made. Installs Debian's qemu-user
# (needs root or sudo) unless present. Usage: scripts/check-release-on-old-cpu.sh [CPU]
set -eu

CPU="${1:-Nehalem}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PYTHON="$ROOT/.venv/bin/python"

if ! command -v qemu-x86_64 >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends qemu-user
fi

OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
cd "$ROOT"
# In two steps: qemu-user emulates one process, and the build's analysis runs in another
# (an exec it does not follow); `analyze` runs the same analysis in-process.
qemu-x86_64 -cpu "$CPU" "$PYTHON" -m gcm_graph.cli build --no-analysis --out "$OUT/build" >/dev/null
qemu-x86_64 -cpu "$CPU" "$PYTHON" -m gcm_graph.cli analyze --release "$OUT/build" >/dev/null
if diff -rq "$OUT/build" "$ROOT/build"; then
    echo "the release built on an emulated $CPU CPU is identical to build/"
else
    echo "the release built on an emulated $CPU CPU differs from build/ (files above)" >&2
    exit 1
fi
