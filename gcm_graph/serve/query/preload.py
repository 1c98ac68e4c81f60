"""The release loaded once in the forkserver, so that query workers start warm.

The pool (pool.py) starts its workers from a forkserver and asks it to import this module first
(`set_forkserver_preload`). When the forkserver is started, the pool names the release directory
in $GCM_PRELOAD_RELEASE: importing this module then loads that release's store, and every worker
forked afterwards finds it already in memory (shared copy-on-write with its siblings: pyoxigraph's
store is Rust memory that reading queries do not write). A worker is warm in milliseconds instead
of the second or more that parsing the N-Quads takes, which is what a start, a recycled worker and
the replacement of a killed one wait for.

Anywhere else (the variable unset, another release, a failed load) nothing is kept, and the
worker loads the release itself, reporting any error then.
"""

from __future__ import annotations

import os
from pathlib import Path

from pyoxigraph import Store

from .store import NQUADS_FILE, load_store

PRELOAD_ENV = "GCM_PRELOAD_RELEASE"

_preloaded: tuple[str, Store] | None = None


def preloaded_store(release_dir: str) -> Store | None:
    """The store of `release_dir` if this process (a forkserver's child) inherited it loaded."""
    if _preloaded is not None and _preloaded[0] == release_dir:
        return _preloaded[1]
    return None


def _load_named_release() -> None:
    global _preloaded
    directory = os.environ.get(PRELOAD_ENV)
    if not directory:
        return
    try:
        _preloaded = (directory, load_store(Path(directory) / NQUADS_FILE))
    except Exception:  # the forkserver must start: each worker then loads it and reports why
        _preloaded = None


_load_named_release()
