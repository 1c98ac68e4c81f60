"""The linked-data service: the app factory (create_app) over the built release.

The parts (each a package; tests/test_serve_structure.py keeps their imports free of cycles):

* http/   the HTTP layer: the blueprints (BLUEPRINTS), pages, negotiation, the WSGI runners;
* query/  the query engine: policy, worker pool, embedded store, sandbox,
          resource descriptions;
* remote/ the remote backend (`--backend URL`): answers from a SPARQL store instead.

formats.py, the one format table (media types, extensions, pyoxigraph formats), is shared by all
three; cli_support.py holds the library functions behind `gcm-graph serve` and `gcm-graph query`.
The factory applies CORS to every route (the data is public and read-only) and the `compress`
extension (http/compression.py), which views opt into with ``@compress.compressed()``.
"""

from __future__ import annotations

import atexit
import importlib
import os
from typing import TYPE_CHECKING, Any

from .. import config as project_config
from . import formats

if TYPE_CHECKING:  # Flask is imported where an app is made: query workers never import it
    from flask import Flask

DEFAULT_CONFIG: dict[str, Any] = {
    "RELEASE_DIR": str(project_config.BUILD_DIR),
    "BASE_URI": None,  # None: $GCM_BASE_URI, else https://w3id.org/gcm/ (config.base_uri)
    "QUERY_DEADLINE_S": 10.0,  # a query running longer is stopped (its worker killed): 504
    "QUEUE_TIMEOUT_S": 10.0,  # extra wait for a free worker before answering 503
    "MAX_QUERY_LENGTH": 20_000,  # characters
    "MAX_RESULT_BYTES": 64 * 1024 * 1024,  # serialised answers above this: 422, never truncated
    "MAX_CONTENT_LENGTH": 1024 * 1024,  # request bodies (Flask): 413 above
    "WORKERS": max(2, min(4, os.cpu_count() or 2)),  # query worker processes
    "THREADS": 16,  # HTTP threads of the WSGI server (http/wsgi.py)
    "SANDBOX_WORKERS": True,  # seccomp: query workers cannot open Internet sockets
    "WORKER_MEMORY_MB": 1024,  # address-space cap of a query worker (None: no cap)
    "WORKER_MAX_QUERIES": 1000,  # a worker is replaced after answering this many queries
    "WORKER_RECYCLE_MB": 256,  # ... or once its resident memory grew this much (None: never)
    "CACHE_MAX_AGE": 300,  # seconds, Cache-Control on query results
    "START_QUERY_POOL": True,  # False: pages/dumps-only apps (e.g. their unit tests)
    "BACKEND_URL": None,  # SPARQL endpoint to answer from instead of the embedded store (remote/)
    "FAST_LANE_SLOTS": 1,  # the fast lane's own query workers (query/fairness.py)
    "CLIENT_BUDGET_S": 60.0,  # query seconds per client per window: 429 past it
    "CLIENT_BUDGET_WINDOW_S": 60.0,
    "LIGHT_CLIENT_S": 1.0,  # a known client whose queries all took less may use the fast lane
    "CLIENT_MAX_PARALLEL": 6,  # queries running or waiting per client: 429 past it
    "ANSWER_CACHE_BYTES": 64 * 1024 * 1024,  # query answers kept in memory (0: no cache)
    "TRUSTED_PROXY": None,  # address of a proxy whose client-address header is believed
    "TRUSTED_PROXY_HEADER": "x-forwarded-for",  # or "forwarded" (http/wsgi.py)
    "COMPRESS_REGISTER": False,  # compression is opt-in per view (@compress.compressed())
    "COMPRESS_MIMETYPES": sorted(
        {f.media_type for f in formats.FORMATS if f.kind != "file" or f.name == "jsonfile"}
        | {"text/css", "text/plain", "application/javascript"}
    ),
    "COMPRESS_ALGORITHM": ["gzip"],
}

BLUEPRINTS = (  # the modules of the HTTP layer with a blueprint (`bp`), registered in this order
    "gcm_graph.serve.http.sparql",
    "gcm_graph.serve.http.pages",
    "gcm_graph.serve.http.dumps",
    "gcm_graph.serve.http.health",
    "gcm_graph.serve.http.analysis_page",
    "gcm_graph.serve.http.search",  # issue 12 §3: /search
    "gcm_graph.serve.http.harvest",
)


def create_app(config: dict | None = None) -> Flask:
    """The app for a release directory; `config` overrides DEFAULT_CONFIG keys."""
    from flask import Flask
    from flask_cors import CORS

    from .http.compression import compress
    from .http.security import install_security_headers
    from .query import admission
    from .query.admission import POOLS_EXTENSION
    from .query.jobs import ENGINE_EXTENSION
    from .query.store import open_release

    app = Flask(__name__)
    app.config.update(DEFAULT_CONFIG)
    app.config.update(config or {})
    app.config["BASE_URI"] = project_config.base_uri(app.config["BASE_URI"])
    if app.config["BACKEND_URL"]:  # answer from a remote SPARQL store (published release)
        from .remote.client import install_backend

        install_backend(app)
    else:
        release = open_release(str(app.config["RELEASE_DIR"]))  # ReleaseNotFound if not built
        app.config["RELEASE_DIR"] = str(release.directory)
        app.config["RELEASE_FINGERPRINT"] = release.fingerprint
        if app.config["START_QUERY_POOL"]:  # first: they load the release while the rest is set up
            app.extensions[POOLS_EXTENSION] = _start_query_pools(app)

    CORS(
        app,
        origins="*",
        methods=["GET", "HEAD", "POST", "OPTIONS"],
        allow_headers=["Accept", "Content-Type", "If-None-Match", "If-Modified-Since"],
        expose_headers=["ETag", "Last-Modified", "Content-Type", "Link", "Location"],
        max_age=86400,
    )
    compress.init_app(app)
    for module_name in BLUEPRINTS:
        app.register_blueprint(importlib.import_module(module_name).bp)

    if POOLS_EXTENSION in app.extensions:  # warming now: the app answers at once (issue 11)
        pools = app.extensions[POOLS_EXTENSION]
        app.extensions[ENGINE_EXTENSION] = pools[0]
        admission.install(app, pools[0], app.config["WORKERS"], *pools[1:])
    elif app.config["BACKEND_URL"]:  # the backend's connections are shared by both lanes
        connections = int(app.config.get("BACKEND_CONNECTIONS") or 16)
        engine = app.extensions[ENGINE_EXTENSION]
        admission.install(app, engine, connections - app.config["FAST_LANE_SLOTS"])
    install_security_headers(app)
    return app


def _start_query_pools(app: Flask) -> list:
    """The general lane's pool and the fast lane's own (query/fairness.py), starting."""
    pools = [_query_pool(app, app.config["WORKERS"])]
    if app.config["FAST_LANE_SLOTS"] > 0:
        pools.append(_query_pool(app, app.config["FAST_LANE_SLOTS"]))
    return pools


def _query_pool(app: Flask, workers: int):
    from .query.pool import QueryPool

    pool = QueryPool(
        app.config["RELEASE_DIR"],
        workers,
        sandbox=app.config["SANDBOX_WORKERS"],
        memory_mb=app.config["WORKER_MEMORY_MB"],
        max_queries=app.config["WORKER_MAX_QUERIES"],
        recycle_mb=app.config["WORKER_RECYCLE_MB"],
    )
    atexit.register(pool.close)
    return pool
