"""How the HTTP server (waitress) treats connections, so that idle or slow clients cannot keep
others out, and request bodies over the limit are refused from their headers.

waitress reads every socket in one asynchronous loop and hands a request to a worker thread only
once it has arrived whole, so a slow client costs a socket, never a thread. What remains is
configuration:

* `connection_limit` high (thousands, within the open-files limit, which `raise_open_files_limit`
  lifts to its hard limit at start): idle sockets do not lock others out (waitress' default of
  100 did);
* `asyncore_use_poll`: poll(2), not select(2), which fails on descriptors past 1024;
* `channel_timeout` short: a connection that sends nothing for that long is closed (keep-alive
  clients reconnect); `cleanup_interval` how often that is checked;
* `max_request_body_size` = the body limit: a Content-Length above it is answered 413 before one
  byte of the body is read; a chunked body is cut when it reaches it;
* `inbuf_overflow` = the body limit: a body under the limit stays in memory; nothing is spooled
  to a temporary file.

One behaviour is adjusted (`accept_in_batches`): waitress accepts one connection per turn of its
loop, and each turn walks every open connection, so a burst of a thousand connections took
seconds to accept (quadratic) while the requests of everybody else waited in the kernel's queue.
The server now accepts up to ACCEPT_BATCH waiting connections per turn, within its limit.

Not covered by waitress: a client that sends a header line every few seconds keeps its socket
(up to `max_request_header_size`); it costs one descriptor of thousands and no thread.
"""

from __future__ import annotations

import logging
import resource

log = logging.getLogger(__name__)

CONNECTION_LIMIT = 10_000
RESERVED_DESCRIPTORS = 512  # for the store, the query workers' pipes, dumps, logs
CHANNEL_TIMEOUT_S = 15
CLEANUP_INTERVAL_S = 2
ACCEPT_BATCH = 128


def raise_open_files_limit(wanted: int = CONNECTION_LIMIT + RESERVED_DESCRIPTORS) -> int:
    """Lift this process's soft open-files limit towards `wanted` (within the hard limit);
    returns the soft limit in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError) as error:
            log.warning("cannot raise the open-files limit to %d: %s", target, error)
    return soft


def waitress_settings(max_body_bytes: int, open_files: int) -> dict:
    """waitress.create_server keywords for a public endpoint (see the module's docstring)."""
    connection_limit = max(100, min(CONNECTION_LIMIT, open_files - RESERVED_DESCRIPTORS))
    return {
        "connection_limit": connection_limit,
        "backlog": 2048,
        "asyncore_use_poll": True,
        "channel_timeout": CHANNEL_TIMEOUT_S,
        "cleanup_interval": CLEANUP_INTERVAL_S,
        # waitress refuses a body when Content-Length >= max_request_body_size; the limit
        # itself is allowed (as Flask's MAX_CONTENT_LENGTH)
        "max_request_body_size": max_body_bytes + 1,
        "inbuf_overflow": max_body_bytes + 1,
    }


def accept_in_batches(server, batch: int = ACCEPT_BATCH) -> None:
    """Make waitress' `server` accept up to `batch` waiting connections each time its listening
    socket is readable (waitress' own handle_accept, repeated while it finds one), never past
    its connection limit."""
    accept_one = server.handle_accept
    limit = server.adj.connection_limit

    def handle_accept() -> None:
        for _ in range(batch):
            before = len(server._map)
            accept_one()
            if len(server._map) == before or len(server.active_channels) >= limit:
                return  # nothing was waiting (or it failed), or the limit is reached

    server.handle_accept = handle_accept
