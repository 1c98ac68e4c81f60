"""Production serving: waitress (HTTP threads) in front of the app and its query worker processes.

    python -m gcm_graph.serve.http.wsgi --port 8000 --release-dir build
    gunicorn -w 2 'gcm_graph.serve.http.wsgi:make_wsgi_app()'   # alternative: one pool per worker

The process prints `listening on http://HOST:PORT/` once the query workers are warm, so a caller
(tests, `make run`) can wait for that line; `--port 0` picks a free port.
"""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sys

from flask import Flask
from waitress import create_server

from .. import DEFAULT_CONFIG, create_app
from ..query.admission import FAIR_EXTENSION
from ..query.jobs import ENGINE_EXTENSION
from .connections import accept_in_batches, raise_open_files_limit, waitress_settings


def make_wsgi_app(**config) -> Flask:
    """The app (its query workers warm) for gunicorn or any WSGI server."""
    return create_app(config)


def run(app: Flask, host: str, port: int, threads: int, announce=print) -> None:
    """Serve until interrupted; `announce` gets the 'listening on URL' line once bound. The
    app's query pool is closed when it returns, also when the address cannot be bound."""
    server = None
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
        announce(f"listening on http://{host}:{server.effective_port}/")
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        if server is not None:
            server.close()
        for name in (ENGINE_EXTENSION, FAIR_EXTENSION):  # the query pools (fair: the fast lane's)
            pool = app.extensions.get(name)
            if pool is not None:
                pool.close()


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
