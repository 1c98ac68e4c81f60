"""Dumps and dataset metadata: /dumps/ (every file of the release) and /.well-known/void.

Files are served with the media type of formats.py, a strong ETag (sha256 of the content),
Last-Modified, 304 on revalidation (If-None-Match, If-Modified-Since) and range support. gzip is
pre-negotiated: a client that accepts gzip gets a compressed copy (`NAME.gz` from the release if
the build wrote one that is newer, else one compressed once and cached on disk), with its own
ETag and `Vary: Accept-Encoding`.

The VoID + DCAT description is the release's own `void.ttl`, written by the build
(gcm_graph/void.py, the one generator): the server serves what the build wrote, in every RDF
format, and a release without one has no description (404) rather than one made up here.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import tempfile
import threading
from datetime import UTC, datetime
from pathlib import Path

from flask import Blueprint, Response, current_app, request, send_file
from pyoxigraph import NamedNode, RdfFormat, Store, Triple, parse
from werkzeug.security import safe_join

from . import formats, site

bp = Blueprint("dumps", __name__)

VOID_FILE = "void.ttl"
DUMP_MAX_AGE = 3600
_lock = threading.Lock()
_hashes: dict[tuple[str, int, int], str] = {}
_void_cache: dict[str, tuple[list[Triple], Store]] = {}


def _release_dir() -> Path:
    return Path(current_app.config["RELEASE_DIR"]).resolve()


def _files() -> list[Path]:
    """The release's regular files: no hidden ones, and no symbolic links (to files or folders),
    whose targets may lie outside the release."""
    root = _release_dir()
    found = []
    for folder, subfolders, names in os.walk(root):  # does not descend into linked folders
        subfolders[:] = [d for d in subfolders if not d.startswith(".")]
        for name in names:
            path = Path(folder, name)
            if not name.startswith(".") and not path.is_symlink() and path.is_file():
                found.append(path)
    return sorted(found)


def _inside_release(root: Path, name: str) -> Path | None:
    """The regular file `name` of the release, or None: nothing hidden, and no symbolic link in
    any part of its path (a link inside the release folder may point anywhere)."""
    if name.startswith(".") or "/." in name:
        return None
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
    root = _release_dir()
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


def content_hash(path: Path) -> str:
    """sha256 of a file, cached by (path, size, mtime)."""
    stat = path.stat()
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    digest = _hashes.get(key)
    if digest is None:
        sha = hashlib.sha256()
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                sha.update(chunk)
        digest = _hashes[key] = sha.hexdigest()
    return digest


def _accepts_gzip() -> bool:
    return request.accept_encodings.quality("gzip") > 0


def _gzip_copy(path: Path, digest: str) -> Path:
    """The release's own NAME.gz if newer than NAME, else a copy compressed once into a cache."""
    shipped = path.with_name(path.name + ".gz")
    if shipped.is_file() and shipped.stat().st_mtime >= path.stat().st_mtime:
        return shipped
    cache = Path(current_app.config.get("DUMPS_CACHE_DIR") or tempfile.gettempdir())
    cache = cache / "gcm-graph-dumps"
    target = cache / f"{digest}.gz"
    if not target.is_file():
        with _lock:
            if not target.is_file():
                cache.mkdir(parents=True, exist_ok=True)
                partial = target.with_suffix(f".{os.getpid()}.tmp")
                with path.open("rb") as source, gzip.GzipFile(partial, "wb", 6, mtime=0) as sink:
                    for chunk in iter(lambda: source.read(1 << 20), b""):
                        sink.write(chunk)
                os.replace(partial, target)
    return target


@bp.get("/dumps/")
def listing() -> Response:
    from .pages import finish, html

    files = release_files()
    key = "|".join(f"{f['name']}:{f['bytes']}:{f['modified']}" for f in files)
    return finish(html("dumps.html", files=files), "dumps", key)


@bp.get("/dumps")
def listing_redirect() -> Response:
    return Response(status=301, headers={"Location": f"{request.script_root}/dumps/"})


@bp.get("/dumps/<path:name>")
def dump(name: str) -> Response:
    path = _inside_release(_release_dir(), name)
    if path is None:
        from .pages import not_found

        return not_found(f"No file {name} in this release; see /dumps/ for the list.")
    digest = content_hash(path)
    media_type = formats.media_type_for_path(path)
    fmt = formats.by_extension(path.suffix) if path.suffix else None
    if fmt is not None and fmt.name == "gz":
        media_type = "application/gzip"
    serve, etag, encoded = path, digest, False
    if _accepts_gzip() and media_type != "application/gzip":
        serve, etag, encoded = _gzip_copy(path, digest), f"{digest}-gzip", True
    response = send_file(
        serve,
        mimetype=media_type,
        conditional=True,
        etag=etag,
        last_modified=path.stat().st_mtime,
        max_age=DUMP_MAX_AGE,
        download_name=path.name,
    )
    if response.content_type.startswith("text/") and "charset" not in response.content_type:
        response.content_type = f"{media_type}; charset=utf-8"
    response.headers["Content-Disposition"] = f'inline; filename="{path.name}"'
    if encoded:
        response.headers["Content-Encoding"] = "gzip"
    response.headers["Vary"] = "Accept-Encoding"
    return response


# --- VoID ---------------------------------------------------------------------------------


def void_triples() -> tuple[list[Triple], Store]:
    """The release's VoID description (its void.ttl; nothing if it has none) and a store of it."""
    fingerprint = site.current().release.fingerprint
    cached = _void_cache.get(fingerprint)
    if cached is None:
        shipped = _release_dir() / VOID_FILE
        triples = []
        if shipped.is_file():
            triples = [q.triple for q in parse(path=shipped, format=RdfFormat.TURTLE)]
        store = Store()
        store.extend(_quads(triples))
        cached = _void_cache.setdefault(fingerprint, (triples, store))
    return cached


def _quads(triples: list[Triple]) -> list:
    from pyoxigraph import DefaultGraph, Quad

    return [Quad(t.subject, t.predicate, t.object, DefaultGraph()) for t in triples]


def void_store() -> Store:
    return void_triples()[1]


@bp.get("/.well-known/void")
def void() -> Response:
    """Turtle by default; other RDF formats by Accept or ?format=; HTML for browsers."""
    from .pages import negotiated, not_acceptable, resource_document

    fmt = negotiated()
    if fmt is None:
        return not_acceptable()
    s = site.current()
    prefix = f"{request.script_root}/.well-known/void"
    triples, _store = void_triples()
    if not triples:
        from .pages import not_found

        return not_found(f"This release has no {VOID_FILE}: rebuild it with `gcm-graph build`.")
    if fmt.kind == "page":
        dataset = s.base_uri + "dataset"
        if any(t.subject == NamedNode(dataset) for t in triples):
            response = resource_document(dataset, fmt, lambda e: f"{prefix}?format={e}")
            response.headers["Vary"] = "Accept"
            return response
        fmt = formats.by_name("ttl", ["graph"])
    from .pages import rdf_document

    response = rdf_document(triples, fmt, "void")
    response.headers["Vary"] = "Accept"
    return response
