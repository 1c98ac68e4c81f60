"""Fuzz the HTTP API from its OpenAPI description (openapi.yaml) with hypothesis.

    .venv/bin/python benchmarks/fuzz_test.py [--requests 1000] [--seed 0] [--backend URL]

Every operation of openapi.yaml is exercised with its parameters drawn from their schemas and
examples, and from hostile values: malformed SPARQL, random Unicode, percent-encoding tricks,
huge values (beyond the query length limit, the body limit, the header limit), unknown or
malformed media types in Accept and Content-Type; plus odd paths that no operation describes
(dot segments, encoded NULs and slashes, very long paths). Checks for each request: no 5xx, and
the status is one the description documents for the operation (transport limits — 400, 413,
414, 431 from the HTTP server — are allowed everywhere). Afterwards the server must still answer
/healthz and a query. Exit status 1 on any violation. Loopback only; bounded by --requests.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import requests
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from serving import REPO, require_loopback, wsgi_server

SPEC = REPO / "gcm_graph" / "resources" / "openapi.yaml"
TRANSPORT_LIMITS = {400, 413, 414, 431}
ODD_PATH_STATUSES = {200, 301, 303, 304, 308, 400, 404, 405, 406, 413, 414, 431}
MEDIA_TYPES = [
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
    "text/turtle",
    "application/n-triples",
    "application/ld+json",
    "application/rdf+xml",
    "text/html",
    "application/json",
    "*/*",
    "image/png",
    "application/x-made-up",
    "text/*",
]
SPARQL_PIECES = [
    "SELECT",
    "ASK",
    "CONSTRUCT",
    "DESCRIBE",
    "*",
    "?s",
    "?p ?o",
    "WHERE",
    "{",
    "}",
    "(",
    ")",
    ".",
    ";",
    "FILTER",
    "OPTIONAL",
    "UNION",
    "GRAPH",
    "SERVICE",
    "<http://x>",
    "<not an iri",
    '"lit"',
    "'unterminated",
    "PREFIX gcm: <https://w3id.org/gcm/ontology#>",
    "gcm:Objective",
    "a",
    "LIMIT 5",
    "ORDER BY",
    "COUNT(*)",
    "INSERT DATA",
    "DELETE WHERE",
    "LOAD",
    "\\u0053",
    "#comment\n",
    "VALUES ?x { 1 }",
    "BIND(1 AS ?x)",
    "FROM <https://w3id.org/gcm/graph/booklet>",
]


@dataclass
class Operation:
    method: str
    path: str
    parameters: list[dict]
    body_types: list[str]
    statuses: set[int]


@dataclass
class Tally:
    statuses: Counter = field(default_factory=Counter)
    violations: list[str] = field(default_factory=list)
    client_errors: list[str] = field(default_factory=list)
    sent: int = 0


def load_operations(spec: dict) -> list[Operation]:
    components = spec.get("components", {})

    def resolve(item: dict) -> dict:
        if "$ref" in item:
            _, section, name = item["$ref"].lstrip("#/").split("/")
            return components[section][name]
        return item

    operations = []
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            parameters = [resolve(p) for p in operation.get("parameters", [])]
            body = operation.get("requestBody", {}).get("content", {})
            statuses = {int(code) for code in operation["responses"] if code.isdigit()}
            operations.append(Operation(method.upper(), path, parameters, list(body), statuses))
    return operations


def hostile_text() -> st.SearchStrategy[str]:
    return st.one_of(
        st.text(max_size=200),
        st.lists(st.sampled_from(SPARQL_PIECES), max_size=25).map(" ".join),
        st.integers(20_001, 300_000).map(lambda n: ("SELECT * { ?s ?p ?o } " * (n // 22 + 1))[:n]),
        st.sampled_from(["", " ", "%", "%00", "..", "/etc/passwd", "\x00", "ä€😀", "a" * 5000]),
    )


def value_for(parameter: dict) -> st.SearchStrategy:
    schema = parameter.get("schema", {})
    choices: list[st.SearchStrategy] = [hostile_text()]
    if "example" in parameter:
        choices.append(st.just(parameter["example"]))
    if "example" in schema:
        choices.append(st.just(schema["example"]))
    if "enum" in schema:
        choices.append(st.sampled_from(schema["enum"]))
    if schema.get("type") == "integer":
        choices.append(st.integers(-5, 50))
    if schema.get("type") == "array":
        choices.append(st.lists(hostile_text(), max_size=3))
    return st.one_of(*choices)


def header_safe(value: object) -> str:
    text = str(value)[:8000]
    return re.sub(r"[^\x20-\x7e]", "", text)


@st.composite
def accept_header(draw) -> str:
    parts = draw(st.lists(st.sampled_from(MEDIA_TYPES), min_size=0, max_size=4))
    rendered = [f"{p};q={draw(st.sampled_from(['1', '0.5', '0', '2', 'x']))}" for p in parts]
    return draw(st.one_of(st.just(", ".join(rendered)), st.text(max_size=40).map(header_safe)))


@st.composite
def documented_request(draw, operation: Operation) -> dict:
    path = operation.path
    params: dict[str, object] = {}
    headers: dict[str, str] = {"Accept": draw(accept_header())}
    for parameter in operation.parameters:
        required = parameter.get("required", False)
        if not required and draw(st.booleans()):
            continue
        value = draw(value_for(parameter))
        where = parameter["in"]
        if where == "path":
            segment = quote(str(value), safe="") if draw(st.booleans()) else str(value)
            segment = re.sub(r"[?#\s]", "", segment).strip(".") or "x"  # dot segments: odd paths
            path = path.replace("{" + parameter["name"] + "}", segment[:3000])
        elif where == "header":
            headers[parameter["name"]] = header_safe(value)
        else:
            params[parameter["name"]] = value
    request = {"method": operation.method, "path": path, "params": params, "headers": headers}
    if operation.method == "POST":
        content_type = draw(
            st.sampled_from(
                [
                    *operation.body_types,
                    "text/plain",
                    "application/json",
                    "application/sparql-update",
                    "multipart/form-data; boundary=x",
                ]
            )
        )
        headers["Content-Type"] = content_type
        if draw(st.booleans()):
            request["data"] = draw(hostile_text()).encode("utf-8", "surrogatepass")
        else:
            fields = {"query": draw(hostile_text())}
            if draw(st.booleans()):
                fields["update"] = draw(hostile_text())
            request["data"] = fields
            request["params"] = {}
    return request


@st.composite
def odd_request(draw) -> dict:
    segments = draw(
        st.lists(
            st.one_of(
                st.sampled_from(
                    [
                        "..",
                        ".",
                        "%2e%2e",
                        "%2F",
                        "%00",
                        "~",
                        "sparql",
                        "dumps",
                        "objective",
                        "7",
                        "describe.ttl",
                        ".well-known",
                        "x" * 3000,
                    ]
                ),
                st.text(
                    alphabet=st.characters(
                        min_codepoint=0x21, max_codepoint=0x2FF, blacklist_characters="?#/%"
                    ),
                    max_size=12,
                ).map(lambda t: quote(t, safe="")),
            ),
            min_size=1,
            max_size=8,
        )
    )
    extension = draw(st.sampled_from(["", ".ttl", ".html", ".json", ".php", ".nt.gz", ".."]))
    return {
        "method": draw(st.sampled_from(["GET", "GET", "HEAD", "POST"])),
        "path": "/" + "/".join(segments) + extension,
        "params": {},
        "headers": {"Accept": draw(accept_header())},
    }


def send(base: str, request: dict, session: requests.Session) -> requests.Response:
    return session.request(
        request["method"],
        base.rstrip("/") + request["path"],
        params=request.get("params"),
        data=request.get("data"),
        headers=request["headers"],
        timeout=60,
        allow_redirects=False,
    )


def fuzz(base: str, count: int, seed: int) -> Tally:
    require_loopback(base)
    operations = load_operations(yaml.safe_load(SPEC.read_text()))
    tally = Tally()
    session = requests.Session()
    choices = st.one_of(
        st.sampled_from(operations).flatmap(
            lambda op: documented_request(op).map(lambda request: (op, request))
        ),
        odd_request().map(lambda request: (None, request)),
    )

    @settings(
        max_examples=count + count // 10 + 10,  # room for requests the client library refuses
        phases=[Phase.generate],
        database=None,
        deadline=None,
        derandomize=False,
        suppress_health_check=list(HealthCheck),
    )
    @given(choices)
    def run(case) -> None:
        operation, request = case
        if tally.sent >= count:
            return
        label = f"{request['method']} {operation.path if operation else 'odd path'}"
        try:
            response = send(base, request, session)
        except requests.RequestException as error:  # refused by the client library itself
            tally.client_errors.append(f"{label}: {error!r}"[:200])
            return
        tally.sent += 1
        status = response.status_code
        tally.statuses[status] += 1
        allowed = (operation.statuses if operation else ODD_PATH_STATUSES) | TRANSPORT_LIMITS
        if status >= 500 or status not in allowed:
            shown = {k: (str(v)[:80] if v is not None else v) for k, v in request.items()}
            tally.violations.append(f"{label} -> {status} {response.text[:120]!r} for {shown}")

    from hypothesis import seed as hypothesis_seed

    hypothesis_seed(seed)(run)()
    return tally


def still_answering(base: str) -> bool:
    health = requests.get(base + "healthz", timeout=30)
    query = requests.get(base + "sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=30)
    return health.status_code == 200 and query.status_code == 200


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running server (loopback); default: start one")
    parser.add_argument("--release-dir", default=str(REPO / "build"))
    parser.add_argument("--backend", help="serve from this remote SPARQL endpoint")
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)

    def run(base: str) -> dict:
        tally = fuzz(base, args.requests, args.seed)
        return {
            "requests_sent": tally.sent,
            "refused_by_the_client_library": len(tally.client_errors),
            "statuses": dict(sorted(tally.statuses.items())),
            "server_errors_5xx": sum(n for s, n in tally.statuses.items() if s >= 500),
            "violations": len(tally.violations),
            "violation_samples": tally.violations[:10],
            "still_answering": still_answering(base),
        }

    if args.url:
        report = run(args.url)
    else:
        config = {"BACKEND_URL": args.backend} if args.backend else {}
        if args.backend:
            require_loopback(args.backend)
        with wsgi_server(args.release_dir, workers=2, threads=16, **config) as server:
            report = run(server.url)
    text = json.dumps(report, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n")
    ok = report["violations"] == 0 and report["still_answering"]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
