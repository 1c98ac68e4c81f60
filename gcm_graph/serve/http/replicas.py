"""Several gcm-graph instances behind one address, reloadable without dropping requests.

The service keeps no state between requests (the release is read-only; the remote store's
publication record is re-read), so instances are interchangeable. On one machine, gunicorn runs
them as workers sharing one listening socket:

    GCM_SERVE_CONFIG='{"RELEASE_DIR": "build", "WORKERS": 2}' \\
        gunicorn --config python:gcm_graph.serve.http.replicas 'gcm_graph.serve.http.replicas:create_replica()'

Each worker is one instance (one Flask app with its own query pool, or its own connections to
the remote store with BACKEND_URL). `kill -HUP <gunicorn pid>` reloads: gunicorn starts fresh
instances (which read the release directory again, so a new release is picked up) and stops the
old ones gracefully (DrainingThreadWorker) — they stop accepting, answer every connection they
have accepted, with `Connection: close`, and exit; connections arriving meanwhile wait in the
shared listen backlog for the other instances. A worker that dies is replaced by the gunicorn master. Across
machines, put the instances behind any load balancer that probes /healthz (docs/replicas.md).

The settings below are gunicorn's, overridable on its command line.
"""

from __future__ import annotations

import json
import os
import time
from contextlib import suppress

from flask import Flask
from gunicorn.workers.gthread import ThreadWorker

CONFIG_ENV = "GCM_SERVE_CONFIG"

# gunicorn settings (this module doubles as its config file: --config python:gcm_graph.serve.http.replicas)
worker_class = "gcm_graph.serve.http.replicas.DrainingThreadWorker"
workers = int(os.environ.get("GCM_REPLICAS", "2"))
threads = int(os.environ.get("GCM_REPLICA_THREADS", "16"))
bind = os.environ.get("GCM_BIND", "127.0.0.1:8000")
graceful_timeout = 30  # seconds a stopping instance may take to finish its requests
timeout = 60  # a worker silent this long is killed and replaced
keepalive = 5
backlog = 2048  # connections waiting while instances restart


class DrainingThreadWorker(ThreadWorker):
    """gunicorn's gthread worker with a stop that loses no accepted connection.

    Stock gthread, on SIGTERM, leaves its loop at once: connections it has accepted but whose
    request it has not read yet are closed unanswered (measured: 2 resets in 2,400 requests
    during a reload, tests/test_remote_replicas.py). Here SIGTERM only stops accepting (the
    listening sockets leave the poller: the other instances take new connections), makes every
    later answer close its connection, and the loop runs on until no connection is left (idle
    keep-alive ones expire after `keepalive` seconds) or graceful_timeout has passed.
    """

    draining_since: float | None = None

    def handle_exit(self, sig, frame) -> None:
        if self.draining_since is not None:
            return
        self.draining_since = time.monotonic()
        self.max_keepalived = 0  # every answer from now on carries Connection: close
        for sock in self.sockets:
            with suppress(KeyError, ValueError, OSError, AttributeError):
                self.poller.unregister(sock)

    def notify(self) -> None:  # called on every turn of the worker's loop
        super().notify()
        if self.draining_since is not None:
            drained = self.nr_conns <= 0
            late = time.monotonic() - self.draining_since > self.cfg.graceful_timeout
            if drained or late:
                self.alive = False


def replica_config() -> dict:
    """App settings from $GCM_SERVE_CONFIG (a JSON object, the keys of serve.DEFAULT_CONFIG)."""
    raw = os.environ.get(CONFIG_ENV, "{}")
    config = json.loads(raw)
    if not isinstance(config, dict):
        raise ValueError(f"${CONFIG_ENV} must be a JSON object, got {raw!r}")
    return config


def create_replica() -> Flask:
    """One instance: the app with warm query workers (or its remote store checked).

    gunicorn loads the app in the instance before the instance accepts, so waiting here keeps a
    new instance (a reload, a replaced one) off the shared socket until it can answer queries:
    the warm instances answer meanwhile."""
    from ..query.admission import warm_up
    from .wsgi import make_wsgi_app

    app = make_wsgi_app(**replica_config())
    warm_up(app, timeout / 2)  # RuntimeError before gunicorn's `timeout` would kill it
    return app


def worker_exit(server, worker) -> None:  # gunicorn hook: the instance's query pool goes too
    from ..query.jobs import ENGINE_EXTENSION

    app = getattr(worker, "wsgi", None)
    pool = getattr(app, "extensions", {}).get(ENGINE_EXTENSION) if app is not None else None
    if pool is not None:
        pool.close()


def replica_command(bind: str, instances: int, threads: int = 16) -> list[str]:
    """The gunicorn command line for `instances` replicas on `bind` (HOST:PORT)."""
    import sys

    return [
        sys.executable,
        "-m",
        "gunicorn",
        "--config",
        "python:gcm_graph.serve.http.replicas",
        "--bind",
        bind,
        "--workers",
        str(instances),
        "--threads",
        str(threads),
        "gcm_graph.serve.http.replicas:create_replica()",
    ]
