"""Every query of every route goes through `answer`: the answer cache, then fair admission
(fairness.py) in front of the query pool (the embedded store's workers or the remote backend).

`install(app)` puts the scheduler and the cache next to the app's pool (create_app calls it).
Settings: FAST_LANE_SLOTS, CLIENT_BUDGET_S, CLIENT_BUDGET_WINDOW_S, LIGHT_CLIENT_S,
CLIENT_MAX_PARALLEL (fairness.py), ANSWER_CACHE_BYTES (0: no cache).
The client is the request's remote address, which waitress takes from a proxy's header only when
the server runs with a trusted proxy (http/wsgi.py, proxy_settings).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app, request

from .cache import AnswerCache, CachedAnswer, answer_key
from .fairness import FairnessSettings, FairPool, NoSlot, OverBudget, Scheduler
from .jobs import DeadlineExceeded, PoolBusy, WorkerDied

FAIR_EXTENSION = "gcm_fair_pool"
CACHE_EXTENSION = "gcm_answer_cache"


@dataclass(frozen=True)
class Answered:
    status: int
    body: bytes
    format: str | None
    cached: bool

    @property
    def message(self) -> str:
        return self.body.decode("utf-8", "replace")


class QueryNotRun(Exception):
    """The query was not answered: the HTTP status, a message for the client, Retry-After."""

    def __init__(self, status: int, message: str, retry_after: int | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.retry_after = retry_after


def install(app: Flask, pool, general_slots: int, fast_pool=None) -> None:
    """Fair admission in front of `pool` (`general_slots` queries at once) and `fast_pool` (the
    fast lane's FAST_LANE_SLOTS; None: `pool` serves both lanes), and the answer cache."""
    settings = FairnessSettings.from_config(app.config, general=max(1, general_slots))
    app.extensions[FAIR_EXTENSION] = FairPool(pool, Scheduler(settings), fast_pool)
    app.extensions[CACHE_EXTENSION] = AnswerCache(int(app.config.get("ANSWER_CACHE_BYTES", 0)))


POOLS_EXTENSION = "gcm.query_pools"  # every QueryPool of the app (warm_up, query_workers_starting)


def client_address() -> str:
    return request.remote_addr or "unknown"


def etag_of(job) -> str:
    return answer_key(
        current_app.config["RELEASE_FINGERPRINT"],
        job.query,
        job.default_graphs,
        job.named_graphs,
        job.results_format,
        job.graph_format,
    )


def answer(
    job,
    deadline: float | None = None,
    queue_timeout: float | None = None,
    use_cache: bool = True,
    known_cheap: bool = False,
) -> Answered:
    """The answer to `job` for the current request's client, from the cache if it is there.

    QueryNotRun when it could not be answered: 429 over the client's budget, 503 no free slot,
    504 past the deadline, 502 the worker died."""
    config = current_app.config
    cache: AnswerCache | None = current_app.extensions.get(CACHE_EXTENSION)
    key = etag_of(job) if use_cache and cache is not None and cache.max_bytes > 0 else None
    if key is not None:
        found = cache.get(key)
        if found is not None:
            fair = current_app.extensions.get(FAIR_EXTENSION)
            if fair is not None:
                fair.scheduler.note_answered(client_address())
            return Answered(200, found.body, found.format, cached=True)
    fair: FairPool | None = current_app.extensions.get(FAIR_EXTENSION)
    if fair is None:  # an app made with START_QUERY_POOL=False (pages-only tests)
        raise QueryNotRun(503, "This server runs without query workers.")
    deadline = config["QUERY_DEADLINE_S"] if deadline is None else deadline
    queue_timeout = config["QUEUE_TIMEOUT_S"] if queue_timeout is None else queue_timeout
    try:
        result = fair.run(job, client_address(), deadline, queue_timeout, known_cheap)
    except OverBudget as refusal:
        raise QueryNotRun(429, refusal.message, refusal.retry_after) from refusal
    except (NoSlot, PoolBusy) as error:
        message = "All query workers are busy; retry in a few seconds."
        raise QueryNotRun(503, message, 5) from error
    except DeadlineExceeded as error:
        message = (
            f"The query did not finish within the {deadline:g} s deadline and was stopped. "
            "Narrow it (more specific patterns, a LIMIT) and retry."
        )
        raise QueryNotRun(504, message) from error
    except WorkerDied as error:  # the pool says how it died (its memory limit, a signal)
        raise QueryNotRun(error.STATUS, error.explain()) from error
    if key is not None and result.status == 200 and result.format is not None:
        cache.put(key, CachedAnswer(result.body, result.format))
    return Answered(result.status, result.body, result.format, cached=False)


def warm_up(app: Flask, timeout: float = 120.0) -> None:
    """Wait until the app's query workers are warm (RuntimeError after `timeout` seconds).
    create_app does not wait: the server listens, and answers pages and /healthz ("starting"),
    while the workers load the release; queries wait for them in the queue."""
    for pool in app.extensions.get(POOLS_EXTENSION, ()):
        pool.warm_up(timeout)


def query_workers_starting(app: Flask) -> bool:
    """True until every query pool of the app has been warm once."""
    return not all(pool.is_warm for pool in app.extensions.get(POOLS_EXTENSION, ()))
