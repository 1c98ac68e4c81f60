"""What a remote SPARQL store does beyond the SPARQL 1.1 Protocol, in one place.

The remote client (backend.py, client.py, release.py) speaks the standard protocol
and asks its dialect for everything else. The dialect is chosen by configuration
(`BACKEND_DIALECT`, `gcm-graph serve --store-dialect`): `generic` (the standard only), `virtuoso`,
or `auto` (the default): one probe when the service starts (an `ASK {}` whose answer's `Server`
header names the store), retried at the next request until the store has answered once. It is
then fixed for the life of the process: never re-decided from whichever response came last.
"""

from __future__ import annotations

from collections.abc import Mapping

AUTO = "auto"


class StoreDialect:
    """A store that implements the SPARQL 1.1 Protocol and nothing more that we rely on."""

    name = "generic"

    def deadline_params(self, remaining_s: float) -> list[tuple[str, str]]:
        """Extra request parameters that make the store itself stop at our deadline."""
        return []

    def partial_answer(self, headers: Mapping[str, str]) -> str | None:
        """Why a 200 answer is incomplete (the store cut it short), or None if it is whole."""
        return None

    def describe(self, query: str) -> str:
        """A DESCRIBE query as sent, so that the store describes what the embedded store does
        (the resource's own statements, its concise bounded description)."""
        return query

    def blank_node_iri(self, label: str) -> str | None:
        """How to name, in a query, a blank node the store returned with this label; None when
        the store has no way (SPARQL blank node labels are scoped to one answer)."""
        return None


class VirtuosoDialect(StoreDialect):
    """OpenLink Virtuoso (measured on 7.2.5, tests/test_remote_*.py)."""

    name = "virtuoso"

    def deadline_params(self, remaining_s: float) -> list[tuple[str, str]]:
        # Virtuoso's `timeout` (milliseconds) makes it stop evaluating: an "anytime" query.
        return [("timeout", str(max(1, int(remaining_s * 1000))))]

    def partial_answer(self, headers: Mapping[str, str]) -> str | None:
        # An anytime query that hit its timeout answers 200 with what it has, and says so here.
        state = headers.get("X-SQL-State", "")
        return headers.get("X-SQL-Message", state) if state else None

    def describe(self, query: str) -> str:
        # Virtuoso's default DESCRIBE adds the triples pointing at the resource.
        return f'define sql:describe-mode "CBD"\n{query}'

    def blank_node_iri(self, label: str) -> str | None:
        return f"<nodeID://{label}>"  # Virtuoso names its blank nodes nodeID://b123


DIALECTS: dict[str, StoreDialect] = {d.name: d for d in (StoreDialect(), VirtuosoDialect())}
CHOICES = (AUTO, *DIALECTS)


def dialect_named(name: str) -> StoreDialect:
    try:
        return DIALECTS[name]
    except KeyError:
        raise ValueError(
            f"unknown store dialect {name!r}; use one of {', '.join(CHOICES)}"
        ) from None


def recognise(server_header: str) -> StoreDialect:
    """The dialect of a store from the `Server` header of its answer (the `auto` probe)."""
    if server_header.startswith("Virtuoso/"):
        return DIALECTS["virtuoso"]
    return DIALECTS["generic"]
