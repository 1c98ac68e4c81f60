"""What the release directory holds, for the pages: its files (the /dumps/ listing, the home
page) and its VoID description (the release's own void.ttl, as triples and as a store)."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app, request
from pyoxigraph import DefaultGraph, Quad, RdfFormat, Store, Triple, parse
from werkzeug.security import safe_join

from .. import formats
from ..query.store import current_release

VOID_FILE = "void.ttl"
_void_cache: dict[str, tuple[list[Triple], Store]] = {}


def release_dir() -> Path:
    return Path(current_app.config["RELEASE_DIR"]).resolve()


def _files() -> list[Path]:
    """The release's regular files: no hidden ones, and no symbolic links (to files or folders),
    whose targets may lie outside the release."""
    root = release_dir()
    found = []
    for folder, subfolders, names in os.walk(root):  # does not descend into linked folders
        subfolders[:] = [d for d in subfolders if not d.startswith(".")]
        for name in names:
            path = Path(folder, name)
            if not name.startswith(".") and not path.is_symlink() and path.is_file():
                found.append(path)
    return sorted(found)


def file_inside_release(name: str) -> Path | None:
    """The regular file `name` of the release, or None: nothing hidden, and no symbolic link in
    any part of its path (a link inside the release folder may point anywhere)."""
    if name.startswith(".") or "/." in name:
        return None
    root = release_dir()
    joined = safe_join(str(root), name)
    if joined is None:
        return None
    path = root
    try:
        for part in Path(joined).relative_to(root).parts:
            path = path / part
            if path.is_symlink():
                return None
        return path if path.is_file() else None
    except (OSError, ValueError):  # e.g. a name longer than the file system allows
        return None


def _size(n: int) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


def release_files() -> list[dict]:
    """Every file of the release with its URL, size, media type and format label."""
    root = release_dir()
    found = []
    for path in _files():
        name = path.relative_to(root).as_posix()
        stat = path.stat()
        fmt = formats.by_extension(path.suffix) if path.suffix else None
        found.append(
            {
                "name": name,
                "href": f"{request.script_root}/dumps/{name}",
                "size": _size(stat.st_size),
                "bytes": stat.st_size,
                "media_type": formats.media_type_for_path(path),
                "label": fmt.label if fmt else "file",
                "modified": datetime.fromtimestamp(stat.st_mtime, UTC).strftime("%Y-%m-%d %H:%M"),
            }
        )
    return found


def void_triples() -> tuple[list[Triple], Store]:
    """The release's VoID description (its void.ttl; nothing if it has none) and a store of it."""
    fingerprint = current_release().fingerprint
    cached = _void_cache.get(fingerprint)
    if cached is None:
        shipped = release_dir() / VOID_FILE
        triples = []
        if shipped.is_file():
            triples = [q.triple for q in parse(path=shipped, format=RdfFormat.TURTLE)]
        store = Store()
        store.extend(_quads(triples))
        cached = _void_cache.setdefault(fingerprint, (triples, store))
    return cached


def _quads(triples: list[Triple]) -> list:
    return [Quad(t.subject, t.predicate, t.object, DefaultGraph()) for t in triples]


def void_store() -> Store:
    return void_triples()[1]
