"""SPARQL 1.1 Protocol details of reading a request, as pure functions (no Flask request needed).

* A query sent directly as the POST body (`application/sparql-query`) is UTF-8: the protocol
  (2.1.3) says so, and a body in another charset is refused with 415 (Unsupported Media Type)
  rather than decoded as something the client did not mean.
* Media types in Accept may carry parameters (`text/csv; charset=utf-8`). werkzeug's
  `best_match` matches parameters exactly, so such a client got 406 although we serve exactly
  that. `accept_without_parameters` drops the parameters before negotiation; a type that asks
  for a charset other than UTF-8 (every textual answer of ours is UTF-8) is left out instead.
"""

from __future__ import annotations

from collections.abc import Mapping

from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_options_header

UTF8_NAMES = frozenset({"utf-8", "utf8"})


class BodyError(Exception):
    """A request body the endpoint cannot read: HTTP status (4xx) and a message."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def is_utf8(charset: str | None) -> bool:
    """Whether a charset parameter means UTF-8 (absent counts: the protocol's default)."""
    return charset is None or charset.strip().strip('"').lower() in UTF8_NAMES


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


def accept_without_parameters(accept: MIMEAccept) -> MIMEAccept:
    """The Accept header with media-type parameters dropped (q-values kept).

    An entry asking for a non-UTF-8 charset keeps its parameters, so that it matches none of
    our (parameter-less) media types: a client accepting only such types gets 406.
    """
    entries: dict[str, float] = {}
    for value, quality in accept:
        media_type, params = parse_options_header(value)
        key = media_type if is_utf8(params.get("charset")) else value
        entries[key] = max(quality, entries.get(key, 0))
    return MIMEAccept(list(entries.items()))
