"""docs/w3id.md: the .htaccess for https://w3id.org/gcm/ sends each path where the route table says.

The rules are read from the document itself (the block a maintainer copies into the w3id.org
registry) and applied as Apache applies them in a .htaccess: the path relative to RewriteBase,
first matching RewriteRule wins, `$1` substituted. Every route of the app must have a sample
here, so that a new route cannot be left out of the document.
"""

from __future__ import annotations

import re

import pytest
from conftest import FIXTURE_RELEASE, REPOSITORY

from gcm_graph.serve import create_app

DOC = REPOSITORY / "docs" / "w3id.md"
DEPLOY = "https://DEPLOY"
# Path under https://w3id.org/gcm/ -> the status w3id.org must answer (read from the table).
EXPECTED = {
    "": 302,
    "ontology": 303,
    "ontology.ttl": 302,
    "ontology.html": 302,
    "dataset": 303,
    "context.jsonld": 302,
    "sparql": 307,
    "query": 302,
    "analysis": 302,
    "analysis.json": 302,
    "analysis/network.json": 302,
    "search": 302,
    "shapes": 302,
    "shapes/core.ttl": 302,
    "assets/site.css": 302,
    "dumps": 302,
    "dumps/": 302,
    "dumps/gcm.jsonld": 302,
    "graph/booklet": 303,
    "graph/booklet.nt": 302,
    "sitemap.xml": 302,
    "sitemap/0.xml": 302,
    "openapi.yaml": 302,
    "describe": 302,
    "describe.ttl": 302,
    "objective/7": 303,
    "objective/7.jsonld": 302,
    "objective/7/action/a": 303,
    "principle/a": 303,
    "practice/booklet-1-1": 303,
    "country/ITA": 303,
    "source/resolution/lines/105-105": 303,
    "statement/abc": 303,
}
# Routes at the root of a host: w3id.org never forwards them (see the document).
ROOT_ONLY = {"/robots.txt", "/.well-known/void", "/healthz"}


def rules() -> list[tuple[re.Pattern[str], str, int]]:
    text = DOC.read_text(encoding="utf-8")
    block = re.search(r"```apache\n(.*?)```", text, re.S)
    assert block, "docs/w3id.md has no ```apache block"
    found = []
    for line in block.group(1).splitlines():
        if line.startswith("RewriteRule "):
            _, pattern, target, flags = line.split()
            status = int(re.search(r"R=(\d+)", flags).group(1))
            assert "L" in flags.strip("[]").split(","), line
            found.append((re.compile(pattern), target, status))
    return found


def redirect(path: str) -> tuple[int, str]:
    for pattern, target, status in rules():
        match = pattern.search(path)
        if match:
            return status, match.expand(re.sub(r"\$(\d)", r"\\\1", target))
    raise AssertionError(f"no rule for {path!r}")


@pytest.mark.parametrize(("path", "status"), sorted(EXPECTED.items()))
def test_each_path_gets_the_status_of_the_route_table(path: str, status: int) -> None:
    assert redirect(path) == (status, f"{DEPLOY}/{path}")


def test_every_route_of_the_app_is_in_the_table() -> None:
    app = create_app({"START_QUERY_POOL": False, "RELEASE_DIR": str(FIXTURE_RELEASE)})
    samples = {"/" + path for path in EXPECTED}
    samples_by_rule: dict[str, bool] = {}
    for rule in app.url_map.iter_rules():
        route = rule.rule
        if route in ROOT_ONLY or route == "/<path:path>" or rule.endpoint == "static":
            continue
        pattern = re.sub(r"<(?:\w+:)?\w+>", "[^/]+", route.replace(".", r"\."))
        samples_by_rule[route] = any(re.fullmatch(pattern, s) for s in samples)
    missing = sorted(route for route, covered in samples_by_rule.items() if not covered)
    assert not missing, f"routes without a sample in docs/w3id.md's table: {missing}"


def test_the_namespace_iri_of_the_ontology_is_a_resource() -> None:
    """`https://w3id.org/gcm/ontology#Objective` is requested as `ontology` (no fragment)."""
    assert redirect("ontology") == (303, f"{DEPLOY}/ontology")
