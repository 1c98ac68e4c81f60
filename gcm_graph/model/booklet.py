"""RDF of the booklet's practices, in the booklet's named graph, and the cross-check of its
"Associated actions" against the resolution.

A practice `<base>practice/{id}` is a gcm:Practice with a title, its full text, the objective(s)
it illustrates (its section, and any objective its text names), the countries, organisations and
years it names and the footnotes it cites. Each link is reified with the line it was read from.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD

from ..compare import SUBSTANTIVE, TRIVIAL, classify_wording, similarity, word_changes, wording_key
from ..context import BuildContext
from ..extract.booklet import Booklet, BookletSection, Practice, clean, parse_booklet
from ..extract.countries import country_codes
from ..extract.mentions import objective_numbers, organisations, years
from ..report import Discrepancy
from ..vocab import GCM
from .base import SourceGraph, english, plain
from .mentions import describe_country, describe_footnote, describe_organisation

SOURCE_ID = "booklet"
RESOLUTION = "resolution"
# A resolution action is "merged" into a booklet action that contains this share of its words.
MERGED_SHARE = 0.8


def build(ctx: BuildContext) -> None:
    booklet = ctx.parsed(parse_booklet, SOURCE_ID)
    graph = ctx.source_graph(SOURCE_ID)
    add_practices(graph, booklet, ctx.report.add)
    for section in booklet.sections:
        objective = ctx.resolution.objective(section.objective)
        findings = check_actions(
            section.objective,
            [(a.letter, a.text) for a in section.actions],
            [(a.letter, a.text) for a in objective.actions],
            {a.letter: a.line for a in section.actions},
            {a.letter: a.first_line for a in objective.actions},
        )
        for finding in findings:
            ctx.report.add(finding)


def add_practices(
    graph: SourceGraph, booklet: Booklet, report: Callable[[Discrepancy], None]
) -> None:
    lines = graph.source.lines()
    for section in booklet.sections:
        footnote_lines = {
            n
            for note in section.footnotes.values()
            for n in range(note.first_line, note.last_line + 1)
        }
        for practice in section.practices:
            text_lines = [
                (n, clean(lines[n - 1]))
                for n in range(practice.first_line, practice.last_line + 1)
                if n not in footnote_lines and lines[n - 1].strip()
            ]
            add_practice(graph, section, practice, text_lines, report)


def add_practice(
    graph: SourceGraph,
    section: BookletSection,
    practice: Practice,
    text_lines: list[tuple[int, str]],
    report: Callable[[Discrepancy], None],
) -> URIRef:
    iris = graph.iris
    iri = iris.practice(practice.id)
    first, last = practice.first_line, practice.last_line
    graph.add(iri, RDF.type, GCM.Practice)
    graph.add(iri, DCTERMS.identifier, plain(practice.id))
    graph.add(iri, DCTERMS.title, english(practice.title))
    graph.add(iri, RDFS.label, english(practice.title))
    graph.add(iri, DCTERMS.description, english(practice.text))
    graph.add(iri, DCTERMS.source, graph.source_iri)
    graph.derived(iri, first, last)

    graph.link(iri, GCM.illustrates, iris.objective(practice.objective), first, last)
    for number, line in _first_lines(text_lines, objective_numbers):
        graph.link(iri, GCM.illustrates, iris.objective(number), line, line)
    for alpha3, line in _first_lines(text_lines, country_codes):
        graph.link(iri, GCM.namesCountry, describe_country(graph, alpha3, line), line, line)
    for org, line in _first_lines(text_lines, organisations):
        graph.link(iri, GCM.namesOrganisation, describe_organisation(graph, org, line), line, line)
    for year, _ in _first_lines(text_lines, years):
        graph.add(iri, GCM.namesYear, Literal(str(year), datatype=XSD.gYear))

    for number in practice.footnotes:
        note = section.footnotes.get(number)
        if note is None:
            report(_missing_footnote(practice, number))
            continue
        footnote = describe_footnote(graph, number, note.text, note.first_line, note.last_line)
        graph.link(iri, GCM.citesFootnote, footnote, first, last)
    return iri


def _first_lines(
    text_lines: list[tuple[int, str]], finder: Callable[[str], Iterable]
) -> list[tuple]:
    """(value, first line naming it) for each value `finder` reads from the practice's lines.

    Read line by line so that each link can point at its line; a value that only a line wrap
    reveals is attributed to the line it ends on.
    """
    seen: dict = {}
    for number, text in text_lines:
        for value in finder(text):
            seen.setdefault(value, number)
    joined = " ".join(text for _, text in text_lines)
    for value in finder(joined):
        seen.setdefault(value, text_lines[-1][0])
    return sorted(seen.items(), key=lambda item: (item[1], str(item[0])))


def _missing_footnote(practice: Practice, number: int) -> Discrepancy:
    return Discrepancy(
        "booklet-footnote-missing",
        "info",
        f"practice {practice.id}",
        f"the practice cites footnote {number}, which the booklet does not print",
        {SOURCE_ID: f"lines {practice.first_line}-{practice.last_line}"},
        {"footnote": number},
    )


# -- the booklet's associated actions against the resolution -------------------------------


def check_actions(
    objective: int,
    booklet: Sequence[tuple[str, str]],
    resolution: Sequence[tuple[str, str]],
    booklet_lines: Mapping[str, int] | None = None,
    resolution_lines: Mapping[str, int] | None = None,
) -> list[Discrepancy]:
    """Compare one objective's actions, as lists of (letter, text); the resolution is right.

    A resolution action missing from the booklet is 'merged' when a booklet action contains most
    of its words (two actions printed as one item), else 'missing'. Shared letters are compared
    for wording; bare numbers the booklet adds and the resolution lacks are page numbers the PDF
    extraction left in the text, and count as trivial.
    """
    ours = dict(booklet)
    theirs = dict(resolution)
    where_b = booklet_lines or {}
    where_r = resolution_lines or {}
    findings: list[Discrepancy] = []
    absorbed: dict[str, list[str]] = {}
    for letter in [letter for letter, _ in resolution if letter not in ours]:
        host = _merged_into(theirs[letter], booklet)
        locations = _locations(where_b.get(host or ""), where_r.get(letter))
        subject = f"objective {objective} action ({letter})"
        if host is None:
            findings.append(
                Discrepancy(
                    "booklet-action-missing",
                    SUBSTANTIVE,
                    subject,
                    "the booklet lacks this action of the resolution",
                    locations,
                    {"resolution": theirs[letter]},
                )
            )
        else:
            absorbed.setdefault(host, []).append(letter)
            findings.append(
                Discrepancy(
                    "booklet-action-merged",
                    SUBSTANTIVE,
                    subject,
                    f"the booklet prints this action inside its action ({host})",
                    locations,
                    {"resolution": theirs[letter], "booklet": ours[host], "booklet_letter": host},
                )
            )
    for letter, text in booklet:
        if letter not in theirs:
            findings.append(
                Discrepancy(
                    "booklet-action-extra",
                    SUBSTANTIVE,
                    f"objective {objective} action ({letter})",
                    "the booklet has an action letter the resolution does not have",
                    _locations(where_b.get(letter), None),
                    {"booklet": text},
                )
            )
            continue
        reference = " ".join([theirs[letter], *(theirs[m] for m in absorbed.get(letter, []))])
        finding = _wording_finding(
            objective, letter, reference, text, _locations(where_b.get(letter), where_r.get(letter))
        )
        if finding is not None:
            findings.append(finding)
    return findings


def _merged_into(text: str, booklet: Sequence[tuple[str, str]]) -> str | None:
    wanted = wording_key(text)
    best, share = None, 0.0
    for letter, other in booklet:
        covered = _covered_share(wanted, wording_key(other))
        if covered > share:
            best, share = letter, covered
    return best if share >= MERGED_SHARE else None


def _covered_share(wanted: tuple[str, ...], container: tuple[str, ...]) -> float:
    from difflib import SequenceMatcher

    if not wanted:
        return 0.0
    blocks = SequenceMatcher(a=wanted, b=container, autojunk=False).get_matching_blocks()
    return sum(b.size for b in blocks) / len(wanted)


def _wording_finding(
    objective: int, letter: str, reference: str, text: str, locations: dict[str, str]
) -> Discrepancy | None:
    reference_words = set(wording_key(reference))
    page_numbers = [w for w in wording_key(text) if w.isdigit() and w not in reference_words]
    cleaned = " ".join(w for w in text.split() if w.strip(",.;") not in page_numbers)
    kind = classify_wording(reference, cleaned)
    if kind == SUBSTANTIVE and _squashed(reference) == _squashed(cleaned):
        kind = TRIVIAL  # only spacing inside words differs: "slow onset" / "slow-onset"
    if kind == "same" and not page_numbers:
        return None
    kind = TRIVIAL if kind == "same" else kind
    details: dict = {"resolution": reference, "booklet": text}
    if page_numbers:
        details["page_numbers_in_text"] = page_numbers
    if kind == SUBSTANTIVE:
        details["changes"] = word_changes(reference, cleaned)
        details["similarity"] = round(similarity(reference, cleaned), 3)
    message = f"wording differs from the resolution ({kind})"
    if page_numbers:
        message += f"; page number(s) {', '.join(page_numbers)} left in the text"
    return Discrepancy(
        "booklet-action-wording",
        kind,
        f"objective {objective} action ({letter})",
        message,
        locations,
        details,
    )


def _squashed(text: str) -> str:
    return "".join(wording_key(text))


def _locations(booklet_line: int | None, resolution_line: int | None) -> dict[str, str]:
    locations = {}
    if booklet_line is not None:
        locations[SOURCE_ID] = f"line {booklet_line}"
    if resolution_line is not None:
        locations[RESOLUTION] = f"line {resolution_line}"
    return locations
