"""SPARQL 1.1 Protocol details of reading a request, as pure functions (no Flask request needed).

A query sent directly as the POST body (`application/sparql-query`) is UTF-8: the protocol
(2.1.3) says so, and a body in another charset is refused with 415 (Unsupported Media Type)
rather than decoded as something the client did not mean.

Media types with parameters in Accept (`text/csv; charset=utf-8`) are handled where every route
negotiates: formats.negotiate.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..formats import is_utf8


class BodyError(Exception):
    """A request body the endpoint cannot read: HTTP status (4xx) and a message."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def decode_query_body(body: bytes, mimetype_params: Mapping[str, str]) -> str:
    """The text of a direct-POST query; BodyError 415 for a charset other than UTF-8, 400 for
    bytes that are not UTF-8."""
    charset = mimetype_params.get("charset")
    if not is_utf8(charset):
        raise BodyError(
            415,
            f"The query body is declared as {charset!r}; application/sparql-query bodies must "
            "be UTF-8 (send `Content-Type: application/sparql-query; charset=utf-8`).",
        )
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise BodyError(
            400, f"The query body is not valid UTF-8 (byte {error.start}): {error.reason}."
        ) from error
