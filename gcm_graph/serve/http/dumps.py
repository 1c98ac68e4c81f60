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
from pathlib import Path

from flask import Blueprint, Response, current_app, request, send_file
from pyoxigraph import NamedNode

from .. import formats
from . import site
from .pages import resource_document
from .release_files import (
    VOID_FILE,
    file_inside_release,
    release_files,
    void_triples,
)
from .responses import (
    finish,
    html,
    negotiated,
    not_acceptable,
    not_found,
    rdf_document,
)

bp = Blueprint("dumps", __name__)

DUMP_MAX_AGE = 3600
_lock = threading.Lock()
_hashes: dict[tuple[str, int, int], str] = {}


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
    files = release_files()
    key = "|".join(f"{f['name']}:{f['bytes']}:{f['modified']}" for f in files)
    return finish(html("dumps.html", files=files), "dumps", key)


@bp.get("/dumps")
def listing_redirect() -> Response:
    return Response(status=301, headers={"Location": f"{request.script_root}/dumps/"})


@bp.get("/dumps/<path:name>")
def dump(name: str) -> Response:
    path = file_inside_release(name)
    if path is None:
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


@bp.get("/.well-known/void")
def void() -> Response:
    """Turtle by default; other RDF formats by Accept or ?format=; HTML for browsers."""
    fmt = negotiated()
    if fmt is None:
        return not_acceptable()
    s = site.current()
    prefix = f"{request.script_root}/.well-known/void"
    triples, _store = void_triples()
    if not triples:
        return not_found(f"This release has no {VOID_FILE}: rebuild it with `gcm-graph build`.")
    if fmt.kind == "page":
        dataset = s.base_uri + "dataset"
        if any(t.subject == NamedNode(dataset) for t in triples):
            response = resource_document(dataset, fmt, lambda e: f"{prefix}?format={e}")
            response.headers["Vary"] = "Accept"
            return response
        fmt = formats.by_name("ttl", ["graph"])
    response = rdf_document(triples, fmt, "void")
    response.headers["Vary"] = "Accept"
    return response
