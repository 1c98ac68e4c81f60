"""The front door over a started server on the real release (build/): the query editor at
/sparql and /query (content negotiation, config, vendored assets, CSP), queries without PREFIX
lines, objective pages with their actions, SKOS hierarchy pages, quoted source lines on span pages
and provenance grouped by document.

Golden facts read in the documents: the resolution (sources/un-ga-resolution-A-RES-73-195-gcm.txt)
has "#### Objective 7: Address and reduce vulnerabilities in migration" at line 289 and
Objective 7's actions (a) to (l) at lines 295-311, (b) beginning "Establish comprehensive
policies"; SDG 10 has targets 10.1-10.7 and 10.a-10.c (UN SDG KOS); the implementation booklet
lists 10.c (remittance costs) under Objective 20.
"""

from __future__ import annotations

import hashlib
import html as html_lib
import json
import re
from pathlib import Path

import requests
from conftest import LiveServer

from gcm_graph.catalogue import catalogue
from gcm_graph.serve.http.hierarchy import code_key

TIMEOUT = 30
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"
VENDOR = Path(__file__).parent.parent / "gcm_graph" / "serve" / "http" / "static" / "vendor"


def get(server: LiveServer, path: str, accept: str | None = BROWSER, **params) -> requests.Response:
    headers = {"Accept": accept} if accept else {}
    return requests.get(
        server.url.rstrip("/") + path,
        headers=headers,
        params=params,
        timeout=TIMEOUT,
        allow_redirects=False,
    )


def editor_config(page: str) -> dict:
    match = re.search(r'<div id="yasgui" data-config="([^"]*)"', page)
    assert match, "the editor's configuration attribute"
    return json.loads(html_lib.unescape(match.group(1)))


def test_sparql_gives_browsers_the_editor_and_clients_the_protocol(built_server: LiveServer):
    page = get(built_server, "/sparql")
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    csp = page.headers["Content-Security-Policy"]
    assert "script-src 'self';" in csp and "connect-src 'self'" in csp
    assert "default-src 'none'" in csp and "unsafe-eval" not in csp
    assert "Accept" in page.headers["Vary"]
    # Scripts only from our origin, none inline.
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page.text, re.DOTALL)
    assert scripts and all(body.strip() == "" for _attrs, body in scripts)
    sources = [re.search(r'src="([^"]+)"', attrs).group(1) for attrs, _ in scripts]
    assert "/assets/vendor/yasgui/yasgui.min.js" in sources
    assert all(src.startswith("/assets/") for src in sources)
    config = editor_config(page.text)
    assert config["endpoint"] == built_server.sparql
    assert config["prefixes"]["gcm"] == "https://w3id.org/gcm/ontology#"
    titles = [e["title"] for e in config["examples"]]
    assert titles == [q.title for q in catalogue()]
    # The no-script fallback: the plain form is on the page.
    assert '<form class="query" method="get" action="/query">' in page.text

    # Protocol clients are answered as before.
    sd = get(built_server, "/sparql", accept="text/turtle")
    assert sd.status_code == 200 and sd.headers["Content-Type"].startswith("text/turtle")
    assert "ServiceDescription" in sd.text or "sd:Service" in sd.text
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?o a gcm:Objective }"
    for accept in (None, "*/*", "application/sparql-results+json"):
        answer = get(built_server, "/sparql", accept=accept, query=query)
        assert answer.status_code == 200, answer.text
        assert answer.json()["results"]["bindings"][0]["n"]["value"] == "23"
    forced = get(built_server, "/sparql", query=query, format="csv")  # browser Accept + format
    assert forced.status_code == 200 and forced.text.splitlines() == ["n", "23"]


def test_sparql_with_a_query_shows_it_in_the_editor(built_server: LiveServer):
    query = "SELECT ?o WHERE { ?o a gcm:Objective } LIMIT 3"
    page = get(built_server, "/sparql", query=query)
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    config = editor_config(page.text)
    assert config["query"] == query and config["run"] is True
    assert 'id="results-table"' in page.text  # also run for the no-script table
    example = get(built_server, "/query", example="objective-targets")
    assert editor_config(example.text)["query"].startswith("# title: Targets of an objective")


def test_a_query_without_prefix_lines_runs_and_errors_name_their_position(
    built_server: LiveServer,
):
    answer = requests.post(
        built_server.sparql,
        data={"query": "SELECT ?t WHERE { objective:x rdfs:label ?t } LIMIT 1"},
        timeout=TIMEOUT,
    )
    assert answer.status_code == 400
    assert "error at line 1, column 19: the prefix objective: is not declared" in answer.text
    assert "1 | SELECT ?t WHERE { objective:x rdfs:label ?t } LIMIT 1" in answer.text
    assert "Undeclared prefix(es): objective:" in answer.text and "\\u{" not in answer.text
    ok = requests.post(
        built_server.sparql,
        data={
            "query": "SELECT ?title WHERE {\n  <https://w3id.org/gcm/objective/7> dcterms:title ?title }"
        },
        headers={"Accept": "application/sparql-results+json"},
        timeout=TIMEOUT,
    )
    assert ok.status_code == 200, ok.text
    titles = [b["title"]["value"] for b in ok.json()["results"]["bindings"]]
    assert titles == ["Address and reduce vulnerabilities in migration"]
    bad = requests.post(
        built_server.sparql,
        data={"query": "SELECT ?x WHERE {\n  ?x rdfs:label ?y .\n  FILTER( }"},
        timeout=TIMEOUT,
    )
    assert bad.status_code == 400
    assert "error at 3:" in bad.text  # the user's line (the policy reads the text as written)
    assert "\\u{" not in bad.text


def test_vendored_files_are_served_and_match_their_recorded_digests(built_server: LiveServer):
    recorded = dict(
        re.findall(
            r"\| `([\w./-]+\.(?:js|css))` \| `([0-9a-f]{64})` \|",
            (VENDOR / "VENDORED.md").read_text(),
        )
    )
    assert set(recorded) == {
        "yasgui/yasgui.min.js",
        "yasgui/yasgui.min.css",
        "cytoscape/cytoscape.min.js",
    }
    for name, digest in recorded.items():
        assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() == digest, name
        served = get(built_server, f"/assets/vendor/{name}", accept="*/*")
        assert served.status_code == 200
        assert hashlib.sha256(served.content).hexdigest() == digest
    for library in ("yasgui", "cytoscape"):
        assert (
            "MIT" in (VENDOR / library / "LICENSE").read_text()
            or "Permission is hereby" in (VENDOR / library / "LICENSE").read_text()
        )


def test_objective_page_lists_its_actions_with_letters_and_text(built_server: LiveServer):
    page = get(built_server, "/objective/7.html")
    assert page.status_code == 200
    actions = re.findall(
        r'<li id="action-([a-z]+)"><a class="letter" href="/objective/7/action/\1">\(\1\)</a> ([^<]*)</li>',
        page.text,
    )
    assert [letter for letter, _ in actions] == list("abcdefghijkl")
    assert actions[1][1].startswith("Establish comprehensive policies")


def test_goal_page_shows_its_targets_in_code_order_with_objectives(built_server: LiveServer):
    page = get(built_server, "/describe.html", uri="http://metadata.un.org/sdg/10")
    assert page.status_code == 200
    assert re.search(r'<nav class="trail"[^>]*><a href="[^"]+">[^<]+</a> › <strong>', page.text)
    table = page.text.split('id="narrower"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r'<tr><td class="code"><a href="([^"]+)">([^<]+)</a>', table)
    codes = [code for _href, code in rows]
    expected = ["10.1", "10.2", "10.3", "10.4", "10.5", "10.6", "10.7", "10.a", "10.b", "10.c"]
    assert codes == expected
    assert rows[0][0] == "/describe?uri=http%3A%2F%2Fmetadata.un.org%2Fsdg%2F10.1"
    remittances = table.split(">10.c<", 1)[1].split("</tr>", 1)[0]
    assert 'href="/objective/20"' in remittances
    migration = table.split(">10.7<", 1)[1].split("</tr>", 1)[0]
    numbers = [int(n) for n in re.findall(r'href="/objective/\d+"[^>]*>(\d+)</a>', migration)]
    assert numbers == sorted(numbers) and len(numbers) > 5  # numeric, not 1, 10, 11, …, 2
    # the targets are listed once, in the table: not again as incoming skos:broader links
    assert ">skos:broader<" not in page.text.split('id="narrower"', 1)[1]
    assert "relevant goal" in page.text  # other incoming links stay (objectives' gcm:relevantGoal)


def test_code_order_is_numeric_then_letters():
    codes = ["10.a", "10.10", "10.2", "2.1", "10.1", "10.c"]
    assert sorted(codes, key=code_key) == ["2.1", "10.1", "10.2", "10.10", "10.a", "10.c"]


def test_span_page_quotes_the_lines_of_the_document(built_server: LiveServer):
    page = get(built_server, "/source/resolution/lines/289-311.html")
    assert page.status_code == 200
    assert "sources/un-ga-resolution-A-RES-73-195-gcm.txt" in page.text
    lines = dict(
        re.findall(r'<li class="(fact|context)" id="L(\d+)">', page.text)[i][::-1]
        for i in range(len(re.findall(r'<li class="(?:fact|context)" id="L\d+">', page.text)))
    )
    assert lines["289"] == "fact" and lines["311"] == "fact"
    assert lines["286"] == "context" and lines["314"] == "context" and "285" not in lines
    quoted = re.search(r'id="L289"><span class="n">289</span><span class="t">([^<]*)<', page.text)
    assert quoted.group(1) == "#### Objective 7: Address and reduce vulnerabilities in migration"
    assert "lines 289–311</h1>" in page.text


def test_provenance_is_grouped_by_document(built_server: LiveServer):
    page = get(built_server, "/objective/7.html")
    provenance = page.text.split('id="provenance"', 1)[1]
    documents = re.findall(r"<dt>(?:<a [^>]*>)?([^<]+)", provenance)
    assert documents and len(documents) == len(set(documents))
    # Spans in numeric line order within a document (line 144 before line 289).
    resolution = provenance.split("Resolution adopted", 1)[1].split("</dd>", 1)[0]
    firsts = [int(n) for n in re.findall(r">lines? (\d+)", resolution)]
    assert firsts == sorted(firsts) and len(firsts) >= 2


def test_shapes_page_is_a_table_with_the_turtle_downloadable(built_server: LiveServer):
    page = get(built_server, "/shapes")
    assert page.status_code == 200
    assert "<pre>" not in page.text  # no wall of Turtle
    core = page.text.split('id="shapes-core"', 1)[1].split("</table>", 1)[0]
    objective = core.split('id="gcmsh-ObjectiveShape"', 1)[1].split("</tbody>", 1)[0]
    assert "targetClass gcm:Objective" in objective
    number_row = re.search(
        r"<code>gcm:number</code></td><td class=\"count\">([^<]*)</td><td>(.*?)</td>", objective
    )
    assert number_row.group(1) == "1..1"
    assert "minInclusive 1" in number_row.group(2) and "maxInclusive 23" in number_row.group(2)
    assert 'href="/shapes/core.ttl"' in page.text
    turtle = get(built_server, "/shapes/core.ttl", accept="text/turtle")
    assert (
        turtle.headers["Content-Type"].startswith("text/turtle")
        and "gcmsh:ObjectiveShape" in turtle.text
    )


def test_claims_are_named_not_shown_as_paths(built_server: LiveServer):
    page = get(built_server, "/instrument/addis-ababa-action-agenda.html")
    assert page.status_code == 200
    assert ">claim/" not in page.text
    named = re.findall(r'href="/claim/[^"]+"[^>]*>([^<]+)</a>', page.text)
    assert "Adoption year 2015, per gfmd line 106" in named
    # Listed in numeric line order (line 106 < 120 < 252 < 652), not as text.
    lines = [int(m) for m in re.findall(r"per gfmd line (\d+)", " ".join(named))]
    assert lines == sorted(lines)
