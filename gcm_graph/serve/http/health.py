"""/healthz for load balancers: 200 and the release sha when the store answers, else 503.

The check runs a trivial query (`ASK {}`) through the same path as every query (the embedded
store's worker pool, or the remote store with its publication record), with a short deadline,
so it fails when queries would fail: no live worker, store unreachable, no complete release.
"starting" (503 with Retry-After, at once) while the query workers load the release after a start.
The body is JSON: {"status", "release" (sha256 of the release manifest), "backend", "instance"
(process id), "seconds"}
plus "error" on 503. Never cached. HEAD works too (Flask answers HEAD for GET routes).
"""

from __future__ import annotations

import json
import os
import time

from flask import Blueprint, Response, current_app

from ..query import admission
from ..query.jobs import ENGINE_EXTENSION, QueryJob

bp = Blueprint("health", __name__)

PROBE = QueryJob(query="ASK {}", results_format="json", graph_format=None)
PROBE_DEADLINE_S = 3.0
PROBE_QUEUE_S = 2.0


@bp.get("/healthz")
def healthz() -> Response:
    config = current_app.config
    backend = config.get("BACKEND_URL") or "embedded"
    pool = current_app.extensions.get(ENGINE_EXTENSION)
    started = time.perf_counter()
    error = None
    if pool is None:
        error = "no query pool in this process"
    elif admission.query_workers_starting(current_app):  # at once: no need to wait for the probe
        return _health(
            config,
            backend,
            started,
            "the query workers are loading the release",
            status="starting",
            retry_after=1,
        )
    else:
        try:  # through fair admission (the fast lane is open to it), never from the cache
            answer = admission.answer(
                PROBE, PROBE_DEADLINE_S, PROBE_QUEUE_S, use_cache=False, known_cheap=True
            )
            if answer.status != 200:
                error = answer.message.strip()
        except admission.QueryNotRun as refusal:
            error = refusal.message
    return _health(config, backend, started, error)


def _health(
    config,
    backend: str,
    started: float,
    error: str | None,
    status: str = "unavailable",
    retry_after: int | None = None,
) -> Response:
    body = {
        "status": "ok" if error is None else status,
        "release": config.get("RELEASE_FINGERPRINT"),
        "backend": backend,
        "instance": os.getpid(),  # which replica answered (behind a load balancer)
        "seconds": round(time.perf_counter() - started, 4),
    }
    if error is not None:
        body["error"] = error
    headers = {"Cache-Control": "no-store"}
    if retry_after is not None:
        headers["Retry-After"] = str(retry_after)
    return Response(
        json.dumps(body) + "\n",
        status=200 if error is None else 503,
        content_type="application/json",
        headers=headers,
    )
