"""The SDG goals and targets of the UN SDG KOS (sources/sdg-kos/...ttl), with line numbers.

The KOS file is written predicate by predicate (all `a` statements, then all `skos:broader`, then
all `skos:prefLabel`, ...), so a concept has no single block of lines. Each Turtle statement
(`subject predicate objects .`, possibly over several lines) is located by a small scanner and
parsed on its own, so every value carries the line range of the statement it came from. Only the
concept scheme (`<http://metadata.un.org/sdg>`), goals (`sdg:{n}`) and targets (`sdg:{n}.{x}`)
are read; indicators are out of scope.

The KOS is a SKOS vocabulary of its own: one `skos:ConceptScheme`, <http://metadata.un.org/sdg>
("Sustainable Development Goals Taxonomy"), whose top concepts are the 17 goals; every goal and
target is `skos:inScheme` it; goals and targets are linked both ways (`skos:broader` and
`skos:narrower`); each has a compact code as `skos:notation` typed `sdgo:SDGCodeCompact` ("10.7")
and a zero-padded one typed `sdgo:SDGCode` ("10.07"). The reader checks that structure and stops
at the line that breaks it: a goal that is not a top concept, a target in another scheme, a
narrower list that is not the inverse of the targets' broader links, a missing compact code.

Labels are cleaned by sdg_labels.py (the file's known flaws; each cleaning is recorded).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, SKOS

from ..errors import SourceError
from ..sources import Source
from ..text import Line, numbered
from ..vocab import SDG, SDGO
from .sdg_labels import LabelCleaning, LabelIndex, StatementSpan, clean_labels

GOAL_CODE = re.compile(r"^[1-9]\d?$")
TARGET_CODE = re.compile(r"^([1-9]\d?)\.([1-9]\d?|[a-z])$")
LANGUAGES = ("en", "fr", "es")
SCHEME = URIRef("http://metadata.un.org/sdg")
"""The KOS's own concept scheme: its IRI is the dataset's, http://metadata.un.org/sdg."""
NOTATION_DATATYPE = SDGO.SDGCodeCompact
"""The datatype of the compact code ('10.7') that the graph keeps as the concepts' notation."""
_SUBJECT = re.compile(
    r"^(?:sdg:(?P<code>[1-9]\d?(?:\.(?:[1-9]\d?|[a-z]))?)|<(?P<scheme>http://metadata\.un\.org/sdg)>)\s"
)
_READ_PREDICATES = {
    RDF.type: "type",
    SKOS.prefLabel: "prefLabel",
    SKOS.altLabel: "altLabel",
    SKOS.notation: "notation",
    SKOS.broader: "broader",
    SKOS.narrower: "narrower",
    SKOS.inScheme: "inScheme",
    SKOS.topConceptOf: "topConceptOf",
    SKOS.hasTopConcept: "hasTopConcept",
    SKOS.exactMatch: "exactMatch",
}
LINK_PREDICATES = frozenset(
    {"broader", "narrower", "inScheme", "topConceptOf", "hasTopConcept", "exactMatch"}
)
"""Statements that link a concept to another resource: the model reifies each with its line."""


def code_key(code: str) -> tuple[int, int, int, str]:
    """Sort key in the UN's order: 1 < 1.1 < 1.2 < 1.10 < 1.a < 2 < 10.7 < 10.c."""
    goal, _, target = code.partition(".")
    if not target:
        return (int(goal), -1, 0, "")
    if target.isdigit():
        return (int(goal), 0, int(target), "")
    return (int(goal), 1, 0, target)


@dataclass(frozen=True)
class Link:
    """A link the KOS states from a concept or the scheme to another resource, and where."""

    predicate: str
    """A name of LINK_PREDICATES ('inScheme', 'broader', ...)."""
    target: str
    span: StatementSpan


@dataclass(frozen=True)
class SdgConcept:
    code: str
    kind: str
    """'goal' or 'target'."""
    labels: tuple[tuple[str, str], ...]
    """(language, text) after cleaning: one per language, sorted by language."""
    short_names: tuple[tuple[str, str], ...]
    """skos:altLabel (language, text): the goals' short names ("No poverty")."""
    broader: str | None
    """The goal code of a target; None for a goal."""
    statements: tuple[StatementSpan, ...]
    cleanings: tuple[LabelCleaning, ...] = ()
    narrower: tuple[str, ...] = ()
    """The target codes of a goal, in the UN's order (a target's indicators are not read)."""
    exact_matches: tuple[str, ...] = ()
    """IRIs the KOS says are the same concept (SDGIO, Wikidata), sorted."""
    links: tuple[Link, ...] = ()
    """Every link the KOS states from the concept, with its statement (for reification)."""

    def label(self, language: str = "en") -> str:
        return dict(self.labels)[language]

    def spans(self, predicate: str) -> list[StatementSpan]:
        return [s for s in self.statements if s.predicate == predicate]

    @property
    def goal(self) -> int:
        return int(self.code.partition(".")[0])

    @property
    def is_top_concept(self) -> bool:
        return self.kind == "goal"


@dataclass(frozen=True)
class SdgScheme:
    """The KOS's concept scheme: its IRI, labels, top concepts (goal codes) and statements."""

    iri: URIRef
    labels: tuple[tuple[str, str], ...]
    top_concepts: tuple[str, ...]
    statements: tuple[StatementSpan, ...]
    links: tuple[Link, ...] = ()

    def spans(self, predicate: str) -> list[StatementSpan]:
        return [s for s in self.statements if s.predicate == predicate]


@dataclass(frozen=True)
class SdgKos:
    goals: tuple[SdgConcept, ...]
    targets: tuple[SdgConcept, ...]
    scheme: SdgScheme

    def target(self, code: str) -> SdgConcept | None:
        return next((t for t in self.targets if t.code == code), None)

    def goal(self, number: int) -> SdgConcept:
        return next(g for g in self.goals if g.code == str(number))


@dataclass(frozen=True)
class _Statement:
    first_line: int
    last_line: int
    text: str


@dataclass
class _RawResource:
    """What the file states about one subject: each value with the statement it was read from."""

    values: list[tuple[URIRef | Literal, StatementSpan]] = field(default_factory=list)
    statements: list[StatementSpan] = field(default_factory=list)

    def iris(self, predicate: str) -> list[URIRef]:
        return [v for v, s in self.values if s.predicate == predicate and isinstance(v, URIRef)]

    def literals(self, predicate: str) -> list[tuple[Literal, StatementSpan]]:
        return [
            (v, s) for v, s in self.values if s.predicate == predicate and isinstance(v, Literal)
        ]

    def links(self) -> tuple[Link, ...]:
        found = {
            Link(s.predicate, str(v), s)
            for v, s in self.values
            if s.predicate in LINK_PREDICATES and isinstance(v, URIRef)
        }
        return tuple(sorted(found, key=lambda x: (x.predicate, x.target, x.span.first_line)))

    def line(self, predicate: str, default: int) -> int:
        return next((s.first_line for s in self.statements if s.predicate == predicate), default)

    @property
    def first_line(self) -> int:
        return min(s.first_line for s in self.statements)


def parse_sdg_kos(source: Source) -> SdgKos:
    """The scheme, goals and targets of the KOS file, labels cleaned, in the UN's order."""
    lines = numbered(source.lines())
    prefixes = "\n".join(line.text for line in lines if line.text.startswith("@prefix"))
    raw: dict[str, _RawResource] = {}
    for statement in _statements(source, lines):
        match = _SUBJECT.match(statement.text)
        if match:
            subject = match.group("scheme") or str(SDG[match.group("code")])
            _read_statement(source, prefixes, statement, subject, raw)
    scheme_raw = raw.pop(str(SCHEME), None)
    index = LabelIndex(_all_labels(source))
    concepts = [_concept(source, iri, c, index) for iri, c in raw.items()]
    concepts.sort(key=lambda c: code_key(c.code))
    goals = tuple(c for c in concepts if c.kind == "goal")
    targets = tuple(c for c in concepts if c.kind == "target")
    scheme = _scheme(source, scheme_raw, goals)
    _check_narrower(source, raw, goals, targets)
    return SdgKos(goals, targets, scheme)


def _statements(source: Source, lines: list[Line]) -> Iterator[_Statement]:
    """The file's Turtle statements with their line ranges (directives and blanks skipped)."""
    current: list[Line] = []
    for line in lines:
        if not current and (not line.text.strip() or line.text.startswith("@prefix")):
            continue
        current.append(line)
        if _ends_statement(source, line):
            yield _Statement(current[0].number, line.number, "\n".join(x.text for x in current))
            current = []
    if current:
        raise SourceError(source.path, current[0].number, "a statement ending with ' .'")


def _ends_statement(source: Source, line: Line) -> bool:
    in_string = escaped = False
    for char in line.text:
        if escaped:
            escaped = False
        elif char == "\\" and in_string:
            escaped = True
        elif char == '"':
            in_string = not in_string
    if in_string:
        raise SourceError(
            source.path, line.number, "a string literal closed on its line", line.text
        )
    return line.text.rstrip().endswith(".")


def _read_statement(
    source: Source, prefixes: str, statement: _Statement, subject: str, raw: dict[str, _RawResource]
) -> None:
    # pyoxigraph parses one statement in microseconds; rdflib took 2 ms (1,823 statements).
    try:
        triples = [
            (q.predicate.value, _term(q.object))
            for q in ox.parse(f"{prefixes}\n{statement.text}", format=ox.RdfFormat.TURTLE)
            if q.subject == ox.NamedNode(subject)
        ]
    except SyntaxError as exc:
        raise SourceError(
            source.path, statement.first_line, f"a Turtle statement ({exc})"
        ) from None
    resource = raw.setdefault(subject, _RawResource())
    for predicate, name in _READ_PREDICATES.items():
        values = [o for p, o in triples if p == str(predicate) and o is not None]
        if name == "narrower":
            values = [v for v in values if _code_of(v) is not None]  # indicators are not read
        if not values:
            continue
        span = StatementSpan(name, statement.first_line, statement.last_line)
        resource.statements.append(span)
        resource.values += [(v, span) for v in values]


def _code_of(node: URIRef | Literal) -> str | None:
    """The goal or target code of an SDG IRI ('10.7'), None for anything else (indicators)."""
    if not isinstance(node, URIRef) or not str(node).startswith(str(SDG)):
        return None
    code = str(node)[len(str(SDG)) :]
    return code if GOAL_CODE.match(code) or TARGET_CODE.match(code) else None


def _term(node: ox.NamedNode | ox.BlankNode | ox.Literal) -> URIRef | Literal | None:
    """The rdflib term of a pyoxigraph IRI or literal (blank nodes are not read)."""
    if isinstance(node, ox.NamedNode):
        return URIRef(node.value)
    if isinstance(node, ox.Literal):
        if node.language:
            return Literal(node.value, lang=node.language)
        return Literal(node.value, datatype=URIRef(node.datatype.value))
    return None


def _all_labels(source: Source) -> list[tuple[str, Literal]]:
    """Every skos:prefLabel in the file (indicators too): what a borrowed label is borrowed from."""
    pref_label = ox.NamedNode(str(SKOS.prefLabel))
    return [
        (q.subject.value, _term(q.object))
        for q in ox.parse(path=source.path, format=ox.RdfFormat.TURTLE)
        if q.predicate == pref_label and isinstance(q.object, ox.Literal)
    ]


def _concept(source: Source, iri: str, raw: _RawResource, index: LabelIndex) -> SdgConcept:
    code = iri[len(str(SDG)) :]
    first = raw.first_line
    kind = _kind(source, code, raw, first)
    if Literal(code, datatype=NOTATION_DATATYPE) not in [v for v, _ in raw.literals("notation")]:
        expected = f"a skos:notation '{code}' (typed sdgo:SDGCodeCompact) for sdg:{code}"
        raise SourceError(source.path, raw.line("notation", first), expected)
    if raw.iris("inScheme") != [SCHEME]:
        found = ", ".join(raw.iris("inScheme")) or "none"
        expected = f"skos:inScheme <{SCHEME}> only for sdg:{code}"
        raise SourceError(source.path, raw.line("inScheme", first), expected, found)
    if raw.iris("topConceptOf") != ([SCHEME] if kind == "goal" else []):
        role = "a goal is" if kind == "goal" else "a target is not"
        expected = f"skos:topConceptOf <{SCHEME}> where {role} a top concept (sdg:{code})"
        found = ", ".join(raw.iris("topConceptOf")) or "none"
        raise SourceError(source.path, raw.line("topConceptOf", first), expected, found)
    broader = None
    if kind == "target":
        goal = code.split(".")[0]
        if raw.iris("broader") != [SDG[goal]]:
            found = ", ".join(str(b) for b in raw.iris("broader")) or "none"
            expected = f"skos:broader sdg:{goal} (its goal) only for target {code}"
            raise SourceError(source.path, raw.line("broader", first), expected, found)
        broader = goal
    labels, cleanings = clean_labels(raw.literals("prefLabel"), index, iri)
    if "en" not in dict(labels):
        raise SourceError(source.path, first, f"an English skos:prefLabel for {code}")
    return SdgConcept(
        code=code,
        kind=kind,
        labels=labels,
        short_names=tuple(sorted((n.language or "", str(n)) for n, _ in raw.literals("altLabel"))),
        broader=broader,
        statements=tuple(sorted(set(raw.statements), key=lambda s: (s.first_line, s.predicate))),
        cleanings=tuple(cleanings),
        narrower=tuple(sorted({_code_of(v) for v in raw.iris("narrower")}, key=code_key)),
        exact_matches=tuple(sorted({str(v) for v in raw.iris("exactMatch")})),
        links=raw.links(),
    )


def _kind(source: Source, code: str, raw: _RawResource, line: int) -> str:
    types = raw.iris("type")
    if GOAL_CODE.match(code) and SDGO.Goal in types:
        return "goal"
    if TARGET_CODE.match(code) and SDGO.Target in types:
        return "target"
    raise SourceError(source.path, line, f"sdg:{code} typed sdgo:Goal or sdgo:Target")


def _scheme(source: Source, raw: _RawResource | None, goals: tuple[SdgConcept, ...]) -> SdgScheme:
    """The concept scheme, checked: typed skos:ConceptScheme, the 17 goals its top concepts."""
    if raw is None or SKOS.ConceptScheme not in raw.iris("type"):
        line = raw.first_line if raw else 1
        raise SourceError(source.path, line, f"<{SCHEME}> typed skos:ConceptScheme")
    tops = {_code_of(v) for v in raw.iris("hasTopConcept")}
    expected = {g.code for g in goals}
    if tops != expected:
        found = ", ".join(sorted(str(t) for t in tops - expected)) or "none extra"
        missing = ", ".join(sorted(expected - tops, key=code_key))
        where = raw.line("hasTopConcept", raw.first_line)
        message = f"skos:hasTopConcept naming every goal (missing: {missing or 'none'})"
        raise SourceError(source.path, where, message, found)
    labels = tuple(sorted((v.language or "", str(v)) for v, _ in raw.literals("prefLabel")))
    return SdgScheme(
        iri=SCHEME,
        labels=labels,
        top_concepts=tuple(sorted(tops, key=code_key)),
        statements=tuple(sorted(set(raw.statements), key=lambda s: (s.first_line, s.predicate))),
        links=raw.links(),
    )


def _check_narrower(
    source: Source,
    raw: dict[str, _RawResource],
    goals: tuple[SdgConcept, ...],
    targets: tuple[SdgConcept, ...],
) -> None:
    """A goal's skos:narrower names exactly its targets: the inverse of their skos:broader."""
    for goal in goals:
        own = tuple(t.code for t in targets if t.broader == goal.code)
        if goal.narrower != own:
            resource = raw[str(SDG[goal.code])]
            expected = f"skos:narrower naming exactly the targets of goal {goal.code}"
            found = ", ".join(goal.narrower) or "none"
            raise SourceError(
                source.path, resource.line("narrower", resource.first_line), expected, found
            )
    for target in targets:
        if target.narrower:
            resource = raw[str(SDG[target.code])]
            expected = f"no goal or target as skos:narrower of target {target.code}"
            raise SourceError(
                source.path,
                resource.line("narrower", resource.first_line),
                expected,
                ", ".join(target.narrower),
            )
