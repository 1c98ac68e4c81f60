"""Production serving: waitress (HTTP threads) in front of the app and its query worker processes.

    python -m gcm_graph.serve.http.wsgi --port 8000 --release-dir build
    gunicorn -w 2 'gcm_graph.serve.http.wsgi:make_wsgi_app()'   # alternative: one pool per worker

The server answers as soon as it is bound (pages, /healthz "starting") while the query workers
load the release. The process prints `listening on http://HOST:PORT/` once the query workers are
warm, so a caller (tests, `make run`) can wait for that line; `--port 0` picks a free port.
"""

from __future__ import annotations

import _thread
import argparse
import json
import logging
import signal
import sys
import threading
from contextlib import suppress

from flask import Flask
from waitress import create_server

from .. import DEFAULT_CONFIG, create_app
from ..query.admission import FAIR_EXTENSION, warm_up
from ..query.jobs import ENGINE_EXTENSION
from ..query.store import open_release
from .connections import accept_in_batches, raise_open_files_limit, waitress_settings


def make_wsgi_app(**config) -> Flask:
    """The app for gunicorn or any WSGI server (its query workers warming: /healthz says so)."""
    return create_app(config)


def run(app: Flask, host: str, port: int, threads: int, announce=print) -> None:
    """Serve until interrupted. The server answers as soon as it is bound (pages, /healthz
    "starting") while the query workers load the release; `announce` gets the 'listening on URL'
    line once they are warm. RuntimeError if they never get warm. The app's query pool is
    closed when it returns, also when the address cannot be bound."""
    server = None
    failed_to_warm: list[RuntimeError] = []  # set by the thread that waits for the workers
    try:
        server = create_server(
            app,
            host=host,
            port=port,
            threads=threads,
            ident="gcm-graph",
            clear_untrusted_proxy_headers=True,
            **waitress_settings(app.config["MAX_CONTENT_LENGTH"], raise_open_files_limit()),
            **proxy_settings(app.config),
        )
        accept_in_batches(server)
        line = f"listening on http://{host}:{server.effective_port}/"
        if not app.config.get("BACKEND_URL"):  # the pages' store, beside the query workers'
            threading.Thread(target=_load_pages_store, args=(app,), daemon=True).start()
        waiting = (app, line, announce, failed_to_warm)
        threading.Thread(target=_announce_when_warm, args=waiting, daemon=True).start()
        server.run()
    except KeyboardInterrupt:
        if failed_to_warm:
            raise failed_to_warm[0] from None
    finally:
        if server is not None:
            server.close()
        for name in (ENGINE_EXTENSION, FAIR_EXTENSION):  # the query pools (fair: the fast lane's)
            pool = app.extensions.get(name)
            if pool is not None:
                pool.close()


def _announce_when_warm(app: Flask, line: str, announce, failed: list[RuntimeError]) -> None:
    """Say the server is ready once its query workers are warm; if they cannot get warm, keep
    the error in `failed` and stop the server (run raises it)."""
    try:
        warm_up(app)
    except RuntimeError as error:
        failed.append(error)
        _thread.interrupt_main()
        return
    announce(line)


def _load_pages_store(app: Flask) -> None:
    with suppress(Exception):  # a page that needs it reports the problem
        open_release(str(app.config["RELEASE_DIR"])).store  # noqa: B018 - loads it


def proxy_settings(config: dict) -> dict:
    """With TRUSTED_PROXY (the proxy's address), waitress takes the client's address from the
    proxy's TRUSTED_PROXY_HEADER (`x-forwarded-for` or `forwarded`); from nobody else."""
    proxy = config.get("TRUSTED_PROXY")
    if not proxy:
        return {}
    header = (config.get("TRUSTED_PROXY_HEADER") or "x-forwarded-for").lower()
    return {"trusted_proxy": proxy, "trusted_proxy_headers": {header}, "trusted_proxy_count": 1}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--release-dir", default=DEFAULT_CONFIG["RELEASE_DIR"])
    parser.add_argument("--base-uri", default=None)
    parser.add_argument("--deadline", type=float, default=DEFAULT_CONFIG["QUERY_DEADLINE_S"])
    parser.add_argument("--workers", type=int, default=DEFAULT_CONFIG["WORKERS"])
    parser.add_argument("--threads", type=int, default=DEFAULT_CONFIG["THREADS"])
    parser.add_argument(
        "--config-json", default="{}", help="extra app settings as a JSON object (tests)"
    )
    return parser.parse_args(argv)


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def stop_on_sigterm() -> None:
    """SIGTERM (`kill`, a service manager) stops the server as Ctrl-C does: pool closed, exit 0."""
    signal.signal(signal.SIGTERM, _interrupt)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    stop_on_sigterm()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    config = {
        "RELEASE_DIR": args.release_dir,
        "BASE_URI": args.base_uri,
        "QUERY_DEADLINE_S": args.deadline,
        "WORKERS": args.workers,
        "THREADS": args.threads,
        **json.loads(args.config_json),
    }
    app = make_wsgi_app(**config)
    run(app, args.host, args.port, args.threads, announce=lambda line: print(line, flush=True))


if __name__ == "__main__":
    main(sys.argv[1:])
