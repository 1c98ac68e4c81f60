"""The full-text index (gcm_graph.search) over the committed release and over hand-made stores.

Golden facts read by eye from the vendored documents (sources/):
- un-ga-resolution-A-RES-73-195-gcm.txt line 516: "# Objective 20: Promote faster, safer and
  cheaper transfer of remittances and foster financial inclusion of migrants"; its actions
  (a)-(h) (lines 522-534) say "remittance(s)", (i) (line 535) does not; the only other actions
  saying it are Objective 1 (j) (line 185) and Objective 14 (f) (line 423): 10 actions in all.
- line 150ff: the guiding principles; "People-centred" is the first (paragraph 15 (a)).
- countries/countries.csv line 144: MEX is "Mexico", "Mexique (le)" in French, "México" in
  Spanish, "墨西哥" in Chinese, "Мексика" in Russian.
- iom-idm-33-gcm-implementation-in-practice.txt: the practice "Issuing Consular ID for Irregular
  Migrants Abroad" (a Mexican consular ID).
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, Store

from gcm_graph import search
from gcm_graph.search import (
    FullTextUnavailable,
    SearchIndex,
    SearchQueryError,
    fts_query,
    snippet_html,
    store_select,
)

BASE = "https://w3id.org/gcm/"
OBJECTIVE_20 = BASE + "objective/20"
HOSTILE = ['"', '""', "AND", "OR", "NOT", "*", "NEAR(", "NEAR(a b, 2)", "title:x", "^x", "(((", ")"]


@pytest.fixture(scope="module")
def index(built_release) -> SearchIndex:
    """The index of the committed release, loaded as its N-Quads say (named graphs only)."""
    store = Store()
    store.bulk_load(path=str(built_release / "gcm.nq"), format=RdfFormat.N_QUADS)
    return SearchIndex(store_select(store))


def iris(results) -> list[str]:
    return [hit.iri for hit in results.hits]


# --- ranking and recall over the release ---------------------------------------------------


def test_remittances_ranks_objective_20_first_among_objectives(index):
    found = index.search("remittances", kinds=["objective"])
    assert found.hits[0].iri == OBJECTIVE_20
    assert found.hits[0].label == (
        "Objective 20: Promote faster, safer and cheaper transfer of remittances "
        "and foster financial inclusion of migrants"
    )


def test_the_objective_comes_before_the_examples_of_all_kinds(index):
    assert index.search("remittances").hits[0].iri == OBJECTIVE_20


def test_the_actions_that_say_remittance_are_the_ten_of_the_resolution(index):
    found = index.search("remittances", kinds=["action"], limit=50)
    expected = {f"{OBJECTIVE_20}/action/{letter}" for letter in "abcdefgh"}
    expected |= {BASE + "objective/1/action/j", BASE + "objective/14/action/f"}
    assert set(iris(found)) == expected
    assert found.total == 10 == found.kinds["action"]


@pytest.mark.parametrize("text", ["remittance", "Remittances", "REMITTANCES", "remit"])
def test_stemming_case_and_prefix_find_the_same_objective(index, text):
    assert index.search(text, kinds=["objective"]).hits[0].iri == OBJECTIVE_20


def test_the_last_term_is_a_prefix_only_when_the_text_ends_inside_it(index):
    assert index.search("remit", kinds=["objective"]).total >= 1
    assert index.search("remit ", kinds=["objective"]).total == 0  # no word "remit"


@pytest.mark.parametrize("name", ["Mexique", "México", "Mexico", "mexico", "墨西哥", "Мексика"])
def test_a_country_is_found_by_its_name_in_any_un_language(index, name):
    found = index.search(name, kinds=["country"])
    assert found.hits[0].iri == BASE + "country/MEX"
    assert found.hits[0].label == "Mexico"  # the English label is shown


def test_a_phrase_in_quotes_must_be_adjacent(index):
    loose = index.search("financial migrants inclusion", kinds=["objective"])
    phrase = index.search('"financial inclusion of migrants"', kinds=["objective"])
    assert OBJECTIVE_20 in iris(phrase)
    assert index.search('"inclusion financial"', kinds=["objective"]).total == 0
    assert loose.total >= phrase.total


def test_a_target_is_found_by_its_code(index):
    found = index.search("10.c", kinds=["target"])
    assert iris(found) == ["http://metadata.un.org/sdg/10.c"]
    assert found.hits[0].label.startswith("10.c ")


def test_guiding_principles_and_instruments_are_indexed(index):
    assert index.search("people-centred", kinds=["principle"]).hits[0].iri == BASE + "principle/a"
    found = index.search("2030 Agenda for Sustainable Development", kinds=["instrument"])
    assert BASE + "instrument/agenda-2030" in iris(found)


# --- filters and facets ---------------------------------------------------------------------


def test_objective_filter_keeps_the_objective_and_its_actions(index):
    found = index.search("remittances", objective=20, limit=50)
    assert OBJECTIVE_20 in iris(found)
    assert BASE + "objective/1/action/j" not in iris(found)
    actions = [i for i in iris(found) if "/action/" in i]
    assert actions and all(i.startswith(OBJECTIVE_20 + "/action/") for i in actions)


def test_source_filter(index):
    found = index.search("consular", source="idm", limit=50)
    assert found.hits and {h.kind for h in found.hits} == {"practice"}
    assert any(h.label == "Issuing Consular ID for Irregular Migrants Abroad" for h in found.hits)
    assert all("/practice/idm-" in i for i in iris(found))
    assert "idm" in index.sources and "Dialogue on Migration" in index.sources["idm"]


def test_facets_count_every_kind_whatever_the_kind_filter(index):
    everything = index.search("remittances")
    only = index.search("remittances", kinds=["practice"])
    assert only.kinds == everything.kinds
    assert only.total == everything.kinds["practice"]
    assert everything.total == sum(everything.kinds.values())


def test_pages_do_not_overlap(index):
    first = index.search("migrants", limit=20)
    second = index.search("migrants", limit=20, offset=20)
    assert first.total > 40
    assert len(first.hits) == len(second.hits) == 20
    assert not set(iris(first)) & set(iris(second))
    scores = [h.score for h in first.hits + second.hits]
    assert scores == sorted(scores, reverse=True)


# --- hostile input --------------------------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE)
def test_fts_syntax_typed_by_users_is_never_interpreted(index, text):
    query = fts_query(text)
    term = r'"[\w ]+"\*?|\("\w+"\*( OR "\w+")*\)'
    assert re.fullmatch(rf"(({term})( AND )?)*", query), query
    assert re.fullmatch(rf"(({term})( AND )?)*", fts_query(text, index.completions)), query
    index.search(text)  # no sqlite3.OperationalError


def test_too_long_a_text_is_refused_with_a_message():
    with pytest.raises(SearchQueryError, match="too long"):
        fts_query("x" * 10_000)
    with pytest.raises(SearchQueryError, match="terms"):
        fts_query("a " * 100)


def test_query_examples():
    assert fts_query("remit") == '"remit"*'
    assert fts_query("remittances ") == '"remittances"'
    assert fts_query('"safe orderly" migr') == '"safe orderly" AND "migr"*'
    assert fts_query("10.c") == '"10 c"*'
    assert fts_query('a AND "b') == '"a" AND "AND" AND "b"*'
    assert fts_query("  ?! ") == ""
    words = {"migrati": ["migration", "migrations"]}
    assert fts_query("safe migrati", words.get) == (
        '"safe" AND ("migrati"* OR "migration" OR "migrations")'
    )


@pytest.mark.parametrize("partial", ["remitta", "remittanc", "migrati", "Méxiq", "墨西"])
def test_a_partial_word_finds_what_the_whole_word_finds(index, partial):
    """The Porter stem of a partial word need not begin the whole word's stem ("remittanc" vs
    "remitt"): the last word is also matched against the indexed words it begins."""
    whole = {"remitta": "remittances", "remittanc": "remittance", "migrati": "migration"}
    whole |= {"Méxiq": "Mexique", "墨西": "墨西哥"}
    found = set(iris(index.search(partial, limit=1000)))
    assert found >= set(iris(index.search(whole[partial] + " ", limit=1000)))  # not a prefix
    completions = index.completions("MIGRATI")
    assert {"migrating", "migration"} <= set(completions)
    assert all(word.startswith("migrati") for word in completions)


# --- snippets: escaped text, our marks only -------------------------------------------------


@pytest.fixture(scope="module")
def tiny() -> SearchIndex:
    """An index of one practice whose text is full of markup."""
    graph = NamedNode(BASE + "graph/test")
    practice = NamedNode(BASE + "practice/p1")
    store = Store()
    store.extend(
        [
            Quad(
                practice,
                NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                NamedNode(search.GCM + "Practice"),
                graph,
            ),
            Quad(
                practice,
                NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
                Literal("<b>Bold</b> & co", language="en"),
                graph,
            ),
            Quad(
                practice,
                NamedNode("http://purl.org/dc/terms/description"),
                Literal('Remittances <script>alert("x")</script> \ue000 & "quotes"'),
                graph,
            ),
        ]
    )
    return SearchIndex(store_select(store))


def test_snippets_escape_the_text_and_mark_the_matches(tiny):
    hit = tiny.search("alert").hits[0]
    assert "<script>" not in hit.snippet
    assert "&lt;script&gt;<mark>alert</mark>" in hit.snippet  # unicode61 splits at "("
    assert "&quot;quotes&quot;" in hit.snippet
    assert "\ue000" not in hit.snippet  # the sentinel in the data was removed before indexing
    assert tiny.search("bold").hits[0].label == "<b>Bold</b> & co"  # raw: templates escape it
    assert tiny.sources == {"test": "test"}


def test_snippet_html_escapes_before_marking():
    marked = f"a {search.MARK_OPEN}<i>{search.MARK_CLOSE} b{search.ELLIPSIS}"
    assert snippet_html(marked) == "a <mark>&lt;i&gt;</mark> b…"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_any_text_searches_or_is_refused(tiny, text):
    try:
        found = tiny.search(text)
    except SearchQueryError:
        return
    assert found.total in (0, 1)


# --- no FTS5 --------------------------------------------------------------------------------


def test_without_fts5_the_index_says_so(monkeypatch):
    monkeypatch.setattr(search, "TOKENIZER", "no_such_tokenizer")
    with pytest.raises(FullTextUnavailable, match="FTS5"):
        SearchIndex(lambda query: [])
