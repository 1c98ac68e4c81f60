"""The SDG goals and targets of the UN SDG KOS (sources/sdg-kos/...ttl), with line numbers.

The KOS file is written predicate by predicate (all `a` statements, then all `skos:broader`, then
all `skos:prefLabel`, ...), so a concept has no single block of lines. Each Turtle statement
(`subject predicate objects .`, possibly over several lines) is located by a small scanner and
parsed on its own with rdflib, so every value carries the line range of the statement it came from.
Only goals (`sdg:{n}`) and targets (`sdg:{n}.{x}`) are read; indicators are out of scope.

Known flaws of the file are cleaned here, never in the file, and each cleaning is returned as a
`LabelCleaning` so the model can record it in provenance:
- whitespace runs and trailing spaces (several fr/es labels, 8.7 en);
- a stray footnote digit glued to the last word ("...negotiation3" in 14.6, all three languages);
- a missing space after a comma ("By 2030,halve" in 12.3 en);
- a second label in one language that is another concept's label ("Tableau de bord
  macroéconomique" in 12.3 is indicator 17.13.1's) or a fragment ("By 2030,d" in 12.3 en);
- a label whose ending is spliced in from another concept's label in another language (17.13 fr
  ends with "and domestic material consumption per GDP", from indicator 12.2.2): dropped, since
  the lost words cannot be recovered from the file.
The rules are generic; tests pin which concepts they touch.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, SKOS

from ..errors import SourceError
from ..sources import Source
from ..text import Line, numbered
from ..vocab import SDG, SDGO

GOAL_CODE = re.compile(r"^[1-9]\d?$")
TARGET_CODE = re.compile(r"^([1-9]\d?)\.([1-9]\d?|[a-z])$")
LANGUAGES = ("en", "fr", "es")
_SUBJECT = re.compile(r"^sdg:([1-9]\d?(?:\.(?:[1-9]\d?|[a-z]))?)\s")
_READ_PREDICATES = {
    RDF.type: "type",
    SKOS.prefLabel: "prefLabel",
    SKOS.altLabel: "altLabel",
    SKOS.notation: "notation",
    SKOS.broader: "broader",
}


def code_key(code: str) -> tuple[int, int, int, str]:
    """Sort key in the UN's order: 1 < 1.1 < 1.2 < 1.10 < 1.a < 2 < 10.7 < 10.c."""
    goal, _, target = code.partition(".")
    if not target:
        return (int(goal), -1, 0, "")
    if target.isdigit():
        return (int(goal), 0, int(target), "")
    return (int(goal), 1, 0, target)


@dataclass(frozen=True)
class StatementSpan:
    """Where one predicate of a concept is stated in the file (one Turtle statement)."""

    predicate: str
    first_line: int
    last_line: int


@dataclass(frozen=True)
class LabelCleaning:
    """One repair of the KOS labels: what was wrong, what the build did."""

    language: str
    action: str
    """'repaired' (text changed) or 'dropped' (label left out)."""
    original: str
    result: str | None
    reason: str
    first_line: int
    last_line: int

    @property
    def is_whitespace_only(self) -> bool:
        return self.result is not None and " ".join(self.original.split()) == self.result


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

    def label(self, language: str = "en") -> str:
        return dict(self.labels)[language]

    def spans(self, predicate: str) -> list[StatementSpan]:
        return [s for s in self.statements if s.predicate == predicate]

    @property
    def goal(self) -> int:
        return int(self.code.partition(".")[0])


@dataclass(frozen=True)
class SdgKos:
    goals: tuple[SdgConcept, ...]
    targets: tuple[SdgConcept, ...]

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
class _RawConcept:
    code: str
    types: set[URIRef]
    labels: list[tuple[Literal, StatementSpan]]
    short_names: list[tuple[Literal, StatementSpan]]
    broader: list[URIRef]
    notations: list[str]
    statements: list[StatementSpan]


def parse_sdg_kos(source: Source) -> SdgKos:
    """All goals and targets of the KOS file, labels cleaned, in the UN's order."""
    lines = numbered(source.lines())
    prefixes = "\n".join(line.text for line in lines if line.text.startswith("@prefix"))
    raw: dict[str, _RawConcept] = {}
    for statement in _statements(source, lines):
        match = _SUBJECT.match(statement.text)
        if match:
            _read_statement(source, prefixes, statement, match.group(1), raw)
    index = LabelIndex(_all_labels(source))
    concepts = [_concept(source, c, index) for c in raw.values()]
    concepts.sort(key=lambda c: code_key(c.code))
    goals = tuple(c for c in concepts if c.kind == "goal")
    targets = tuple(c for c in concepts if c.kind == "target")
    return SdgKos(goals, targets)


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
    source: Source, prefixes: str, statement: _Statement, code: str, raw: dict[str, _RawConcept]
) -> None:
    # pyoxigraph parses one statement in microseconds; rdflib took 2 ms (1,823 statements).
    try:
        triples = [
            (q.predicate, _term(q.object))
            for q in ox.parse(f"{prefixes}\n{statement.text}", format=ox.RdfFormat.TURTLE)
            if q.subject == ox.NamedNode(str(SDG[code]))
        ]
    except SyntaxError as exc:
        raise SourceError(
            source.path, statement.first_line, f"a Turtle statement ({exc})"
        ) from None
    concept = raw.setdefault(code, _RawConcept(code, set(), [], [], [], [], []))
    for predicate, name in _READ_PREDICATES.items():
        values = [o for p, o in triples if p.value == str(predicate)]
        if not values:
            continue
        span = StatementSpan(name, statement.first_line, statement.last_line)
        concept.statements.append(span)
        if predicate == RDF.type:
            concept.types.update(v for v in values if isinstance(v, URIRef))
        elif predicate == SKOS.prefLabel:
            concept.labels += [(v, span) for v in values if isinstance(v, Literal)]
        elif predicate == SKOS.altLabel:
            concept.short_names += [(v, span) for v in values if isinstance(v, Literal)]
        elif predicate == SKOS.broader:
            concept.broader += [v for v in values if isinstance(v, URIRef)]
        elif predicate == SKOS.notation:
            concept.notations += [str(v) for v in values]


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


def _concept(source: Source, raw: _RawConcept, index: LabelIndex) -> SdgConcept:
    first = min(s.first_line for s in raw.statements)
    kind = _kind(source, raw, first)
    if raw.code not in raw.notations:
        raise SourceError(source.path, first, f"a skos:notation '{raw.code}' for sdg:{raw.code}")
    broader = None
    if kind == "target":
        goal = raw.code.split(".")[0]
        if raw.broader != [SDG[goal]]:
            line = next((s.first_line for s in raw.statements if s.predicate == "broader"), first)
            found = ", ".join(str(b) for b in raw.broader) or "none"
            expected = f"skos:broader sdg:{goal} (its goal) only for target {raw.code}"
            raise SourceError(source.path, line, expected, found)
        broader = goal
    labels, cleanings = clean_labels(raw.labels, index, str(SDG[raw.code]))
    missing = [lang for lang in LANGUAGES if lang not in dict(labels)]
    if "en" in missing:
        raise SourceError(source.path, first, f"an English skos:prefLabel for {raw.code}")
    short_names = tuple(sorted((n.language or "", str(n)) for n, _ in raw.short_names))
    return SdgConcept(
        code=raw.code,
        kind=kind,
        labels=labels,
        short_names=short_names,
        broader=broader,
        statements=tuple(sorted(set(raw.statements), key=lambda s: (s.first_line, s.predicate))),
        cleanings=tuple(cleanings),
    )


def _kind(source: Source, raw: _RawConcept, line: int) -> str:
    if GOAL_CODE.match(raw.code) and SDGO.Goal in raw.types:
        return "goal"
    if TARGET_CODE.match(raw.code) and SDGO.Target in raw.types:
        return "target"
    raise SourceError(source.path, line, f"sdg:{raw.code} typed sdgo:Goal or sdgo:Target")


# --- label cleaning -------------------------------------------------------------------------

_STRAY_FOOTNOTE = re.compile(r"(?<=[^\W\d_])\d$")
_COMMA_WITHOUT_SPACE = re.compile(r",(?=[^\W\d_])")
SPLICE_MIN_WORDS = 4


class LabelIndex:
    """The labels of all concepts, to tell a borrowed or spliced label from a concept's own."""

    def __init__(self, labels: Iterable[tuple[str, Literal]]):
        self._texts: dict[str, set[str]] = {}
        self._tails: dict[tuple[str, ...], list[tuple[str, str, list[str]]]] = {}
        for subject, label in labels:
            text = normalize_label(str(label))
            self._texts.setdefault(text, set()).add(subject)
            words = text.casefold().split()
            if len(words) >= SPLICE_MIN_WORDS:
                tail = tuple(words[-SPLICE_MIN_WORDS:])
                self._tails.setdefault(tail, []).append((subject, label.language or "", words))

    def is_other_label(self, text: str, subject: str) -> bool:
        """Whether `text` is the label of a concept other than `subject`."""
        return bool(self._texts.get(text, set()) - {subject})

    def spliced_tail(self, text: str, language: str, subject: str) -> str | None:
        """The tail of `text` that ends another concept's label in another language, if any.

        A label ending in >= SPLICE_MIN_WORDS words of a label in another language is a splice of
        two labels (17.13 fr), not a translation: translations do not share runs of words.
        """
        words = text.casefold().split()
        for other, other_language, other_words in self._tails.get(
            tuple(words[-SPLICE_MIN_WORDS:]), []
        ):
            if other == subject or other_language == language:
                continue
            shared = 0
            while shared < min(len(words), len(other_words)) and (
                words[-1 - shared] == other_words[-1 - shared]
            ):
                shared += 1
            return " ".join(text.split()[-shared:])
        return None


@dataclass(frozen=True)
class _Candidate:
    original: str
    text: str
    repairs: tuple[str, ...]
    span: StatementSpan


def clean_labels(
    labels: Iterable[tuple[Literal, StatementSpan]], index: LabelIndex, subject: str
) -> tuple[tuple[tuple[str, str], ...], list[LabelCleaning]]:
    """One clean label per language, and the list of what was changed or dropped and why."""
    by_language: dict[str, list[_Candidate]] = {}
    cleanings: list[LabelCleaning] = []
    for literal, span in labels:
        language = literal.language or ""
        text, repairs = repair_label(str(literal))
        splice = index.spliced_tail(text, language, subject)
        if splice is not None:
            reason = f"its ending '{splice}' is another concept's label in another language"
            cleanings.append(_cleaning(language, "dropped", str(literal), None, reason, span))
            continue
        candidate = _Candidate(str(literal), text, tuple(repairs), span)
        by_language.setdefault(language, []).append(candidate)
    chosen: list[tuple[str, str]] = []
    for language, candidates in sorted(by_language.items()):
        keep, dropped = _choose(candidates, index, subject)
        chosen.append((language, keep.text))
        if keep.repairs:
            reason = "; ".join(keep.repairs)
            cleanings.append(
                _cleaning(language, "repaired", keep.original, keep.text, reason, keep.span)
            )
        cleanings += [
            _cleaning(language, "dropped", c.original, None, r, c.span) for c, r in dropped
        ]
    return tuple(chosen), sorted(cleanings, key=lambda c: (c.language, c.action, c.original))


def normalize_label(text: str) -> str:
    """Whitespace collapsed and trimmed."""
    return " ".join(text.split())


def repair_label(text: str) -> tuple[str, list[str]]:
    """The label with whitespace, a stray footnote digit and comma spacing repaired."""
    reasons = []
    cleaned = normalize_label(text)
    if cleaned != text:
        reasons.append("whitespace normalised")
    if _STRAY_FOOTNOTE.search(cleaned):
        reasons.append(f"stray footnote marker '{cleaned[-1]}' removed from the end")
        cleaned = cleaned[:-1]
    if _COMMA_WITHOUT_SPACE.search(cleaned):
        reasons.append("missing space after a comma inserted")
        cleaned = _COMMA_WITHOUT_SPACE.sub(", ", cleaned)
    return cleaned, reasons


def _choose(
    candidates: list[_Candidate], index: LabelIndex, subject: str
) -> tuple[_Candidate, list[tuple[_Candidate, str]]]:
    """Of several labels in one language, keep the genuine one; say why each other one went."""
    borrowed = [c for c in candidates if index.is_other_label(c.text, subject)]
    own = sorted((c for c in candidates if c not in borrowed), key=lambda c: -len(c.text))
    if not own:
        own, borrowed = borrowed, []
    dropped = [
        (c, "a second label in this language that is another concept's label") for c in borrowed
    ]
    dropped += [(c, "a second, shorter label in this language (a fragment)") for c in own[1:]]
    return own[0], dropped


def _cleaning(
    language: str, action: str, original: str, result: str | None, reason: str, span: StatementSpan
) -> LabelCleaning:
    return LabelCleaning(
        language, action, original, result, reason, span.first_line, span.last_line
    )
