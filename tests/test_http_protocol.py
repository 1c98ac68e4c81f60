"""SPARQL Protocol details as pure functions: the charset of a direct POST (serve/http/protocol.py)
and media-type parameters in Accept (formats.negotiate) (issue 11, item 5)."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from gcm_graph.serve import formats
from gcm_graph.serve.formats import accept_without_parameters
from gcm_graph.serve.http.protocol import BodyError, decode_query_body

QUERY = "ASK { ?s ?p 'é' }"


@pytest.mark.parametrize(
    "params", [{}, {"charset": "utf-8"}, {"charset": "UTF-8"}, {"charset": '"utf8"'}]
)
def test_utf8_or_no_charset_is_read(params: dict[str, str]) -> None:
    assert decode_query_body(QUERY.encode("utf-8"), params) == QUERY


@pytest.mark.parametrize("charset", ["utf-16", "UTF-16LE", "iso-8859-1", "x-unknown"])
def test_another_charset_is_415(charset: str) -> None:
    with pytest.raises(BodyError) as error:
        decode_query_body(QUERY.encode("utf-16"), {"charset": charset})
    assert error.value.status == 415
    assert charset in error.value.message and "UTF-8" in error.value.message


def test_bytes_that_are_not_utf8_are_400() -> None:
    with pytest.raises(BodyError) as error:
        decode_query_body(QUERY.encode("utf-16"), {})
    assert error.value.status == 400 and "byte 0" in error.value.message


def negotiated(header: str, kinds: list[formats.Kind]) -> str | None:
    fmt = formats.negotiate(parse_accept_header(header, MIMEAccept), kinds)
    return fmt.name if fmt else None


@pytest.mark.parametrize(
    ("header", "kinds", "expected"),
    [
        ("text/csv; charset=utf-8", ["results"], "csv"),
        ("text/turtle; charset=utf-8", ["graph"], "ttl"),
        ('text/turtle;charset="UTF-8";q=0.9, application/n-triples;q=0.5', ["graph"], "ttl"),
        ("application/sparql-results+json; profile=x", ["results"], "json"),
        ("text/csv; charset=iso-8859-1, text/tab-separated-values;q=0.1", ["results"], "tsv"),
        ("text/csv; charset=iso-8859-1", ["results"], None),  # 406: we only write UTF-8
    ],
)
def test_media_type_parameters_are_accepted(header: str, kinds, expected: str | None) -> None:
    assert negotiated(header, kinds) == expected


def test_werkzeug_alone_refuses_parameters() -> None:
    """The behaviour negotiate corrects (this test fails if werkzeug starts matching them)."""
    accept = parse_accept_header("text/csv; charset=utf-8", MIMEAccept)
    assert accept.best_match(["text/csv"]) is None


def test_q_values_survive_and_duplicates_keep_the_highest() -> None:
    accept = accept_without_parameters(
        parse_accept_header("text/csv;charset=utf-8;q=0.2, text/csv;q=0.7, */*;q=0.1", MIMEAccept)
    )
    assert sorted(accept) == [("*/*", 0.1), ("text/csv", 0.7)]
