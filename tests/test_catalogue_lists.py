"""Lists inside a cell (GROUP_CONCAT) are in a defined order: numbers as numbers (objectives 1, 2,
… 10, never 1, 10, 11, 2), SDG target codes in the UN's order (10.2, 10.10, 10.a), letters
alphabetically. SPARQL 1.1 leaves GROUP_CONCAT's order to the store, so each query hands it values
already ordered by a subquery; tests/test_remote_catalogue.py checks that Virtuoso then gives
the same cells, character for character (docs/replicas.md)."""

from __future__ import annotations

import itertools
import re

import pyoxigraph as ox
import pytest
from conftest import COMMITTED_RELEASE

from gcm_graph.catalogue import catalogue

LISTS = [q for q in catalogue() if "GROUP_CONCAT" in q.text.upper()]
_CONCAT_AS = re.compile(r"GROUP_CONCAT\s*\((?:[^()]|\([^()]*\))*\)\s*AS\s*\?(\w+)", re.IGNORECASE)
_CODE = re.compile(r"^(\d+)\.(\d+|[a-z])$")
_VALUES = re.compile(r"^\s*VALUES\s+\?\w+\s*\{[^}]*\}\s*$", re.MULTILINE)


def order_key(item: str) -> tuple:
    if item.isdigit():
        return (0, int(item))
    code = _CODE.match(item)
    if code:
        goal, target = code.groups()
        return (
            (1, int(goal), 0, int(target), "") if target.isdigit() else (1, int(goal), 1, 0, target)
        )
    return (2, item)


@pytest.fixture(scope="module")
def store() -> ox.Store:
    store = ox.Store()  # the merged graph as default graph, the named graphs beside it
    store.bulk_load(path=COMMITTED_RELEASE / "gcm.nt", format=ox.RdfFormat.N_TRIPLES)
    store.bulk_load(path=COMMITTED_RELEASE / "gcm.nq", format=ox.RdfFormat.N_QUADS)
    return store


def test_the_order_key_is_the_one_people_read() -> None:
    assert sorted(["10", "2", "1", "11"], key=order_key) == ["1", "2", "10", "11"]
    assert sorted(["10.a", "10.10", "10.2", "8.8", "1.3"], key=order_key) == [
        "1.3",
        "8.8",
        "10.2",
        "10.10",
        "10.a",
    ]


def test_the_catalogue_has_lists_in_cells() -> None:
    assert len(LISTS) >= 5
    for query in LISTS:
        assert _CONCAT_AS.search(query.text), query.name


@pytest.mark.parametrize("query", LISTS, ids=lambda q: q.name)
def test_every_list_in_a_cell_is_in_order(store: ox.Store, query) -> None:
    """In order and each item once; as it is, and for every value of its parameter (its VALUES
    clause taken out), on the union of the named graphs (a triple stated by two sources is
    there twice) as on the merged graph."""
    columns = _CONCAT_AS.findall(query.text)
    checked = 0
    for text, union in itertools.product({query.text, _VALUES.sub("", query.text)}, (False, True)):
        for solution in store.query(text, use_default_graph_as_union=union):
            for column in columns:
                term = solution[column]
                items = term.value.split(" ") if term is not None and term.value else []
                assert items == sorted(set(items), key=order_key), (query.name, column, term)
                checked += len(items) > 1
    assert checked, f"{query.name}: no cell with two items or more to check"
