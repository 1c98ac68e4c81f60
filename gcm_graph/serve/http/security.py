"""Headers and redirects every answer of the service gets right, whichever view made it.

* Content-Security-Policy on every HTML answer (pages, error pages, POST /query, Flask's own
  error pages): scripts and everything else only from our origin, forms post only to us.
* `same_origin_location`: the Location of a redirect is always a path-absolute reference on this
  server's own origin (`/...`), never a network-path reference (`//host/...`) a browser would
  follow to another host. (Not an absolute URL: that would be built from the Host header, which
  a client chooses, and could be stored by a shared cache.)
"""

from __future__ import annotations

import re

from flask import Flask, Response

# Scripts from our origin only (no inline script, no eval): the editor and the network view are
# vendored under /assets/vendor/. 'unsafe-inline' styles: YASGUI (CodeMirror, DataTables, its
# column resizer) writes style attributes and a <style> element at run time; a style cannot run
# code, and nothing may be loaded from another origin either way.
CSP = (
    "default-src 'none'; script-src 'self'; connect-src 'self'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
_LEADING_SLASHES = re.compile(r"^/[/\\]+")


def install_security_headers(app: Flask) -> None:
    app.after_request(_add_security_headers)


def _add_security_headers(response: Response) -> Response:
    if response.mimetype == "text/html":
        response.headers["Content-Security-Policy"] = CSP
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    return response


def same_origin_location(path: str) -> str:
    """`path` (a local path made from an IRI, which may begin with `//`) as a path-absolute
    reference: extra leading slashes are percent-encoded, so the path stays on our origin."""
    if not path.startswith("/"):
        raise ValueError(f"not a path-absolute reference: {path!r}")
    match = _LEADING_SLASHES.match(path)
    if match:
        extra = match.group(0)[1:]
        path = "/" + extra.replace("/", "%2F").replace("\\", "%5C") + path[match.end() :]
    return path
