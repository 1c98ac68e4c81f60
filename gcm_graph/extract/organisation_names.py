"""Organisations the gazetteer does not list, recognised by the form of their name.

The gazetteer (organisations.py) knows the organisations the documents name often; a practice also
names associations, networks, institutes and universities once. Two forms identify them:

- A name introduced with its acronym, "Ibero-American Association of Public Ministries (AIAMP)",
  "Ibero-American network of specialized prosecutors ... (REDTRAM)": the words from the nearest
  capitalised word before the parenthesis (within the clause) to it, if they contain a word that
  heads an organisation's name (Association, Network, Council, Commission, Agency, Centre, ...).
- A capitalised name headed by a word that only organisations bear: University, Institute,
  Foundation, Association, Coalition, Network, Organization ("Columbia University", "West African
  Network for the Protection of Children", "Coalición LAC").

Not organisations here, as everywhere in the graph: a State's own bodies, which stand for their
country (countries.py): a name starting with National, Federal, State, Ministry, Department,
Government, ..., containing Ministry, Government or Department, naming a country, or preceded by
a country's possessive or demonym ("Argentina's Public Ministry", "the Zambian Department").
Projects, programmes, plans, funds, forums and events have none of the heads and are not read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .countries import DEMONYMS, find_countries
from .organisations import Organisation

# Words that head an organisation's name when the name comes with its acronym.
HEADS_WITH_ACRONYM = frozenset(
    [
        "Association",
        "Network",
        "Council",
        "Commission",
        "Committee",
        "Agency",
        "Centre",
        "Center",
        "Coalition",
        "Coalición",
        "Alliance",
        "Federation",
        "Union",
        "Secretariat",
        "Authority",
        "Institute",
        "Institut",
        "University",
        "Foundation",
        "Organization",
        "Organisation",
        "Organización",
        "Society",
        "Red",
        "Asociación",
        "Fundación",
        "Universidad",
    ]
)
# Words that head an organisation's name on their own (capitalised, in a capitalised name).
HEADS_ALONE = frozenset(
    [
        "University",
        "Universidad",
        "Université",
        "Institute",
        "Institut",
        "Foundation",
        "Fundación",
        "Association",
        "Asociación",
        "Coalition",
        "Coalición",
        "Network",
        "Organization",
        "Organisation",
        "Organización",
    ]
)
_STATE_FIRST = frozenset(
    [
        "National",
        "Federal",
        "State",
        "Provincial",
        "Municipal",
        "Ministry",
        "Ministries",
        "Department",
        "Government",
        "Royal",
        "Presidential",
        "Public",
        "Parliamentary",
        "Office",
        "Embassy",
    ]
)
_STATE_ANY = frozenset({"Ministry", "Government", "Department", "Embassy"})
_LINKING = frozenset({"of", "for", "on", "and", "the", "in", "against", "de", "del", "la", "y"})
# Capitalised words that start a sentence or clause, not a name.
_LEADING = frozenset(
    [
        "The",
        "A",
        "An",
        "In",
        "Through",
        "With",
        "By",
        "For",
        "From",
        "At",
        "On",
        "As",
        "Since",
        "After",
        "Before",
        "During",
        "Under",
        "This",
        "These",
        "Its",
        "Their",
        "Our",
        "Similarly",
        "Furthermore",
        "Also",
        "Moreover",
        "Both",
        "Such",
    ]
)
_TOKEN = re.compile(r"[^\W\d_][\w'’&-]*|\d[\w-]*")
_ACRONYM = re.compile(r"\(([A-Z][A-Za-z0-9&-]{1,9})\)")
_MAX_WORDS = 16
_STATE_BEFORE = re.compile(r"(?:['’]s|\b(?:" + "|".join(DEMONYMS) + r"))\s+$")


@dataclass(frozen=True)
class _Token:
    text: str
    start: int
    end: int

    @property
    def word(self) -> str:
        return re.sub(r"['’]s$", "", self.text)

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper()

    @property
    def possessive(self) -> bool:
        return bool(re.search(r"['’]s$", self.text))


def recognise_organisations(text: str) -> list[tuple[Organisation, str, int]]:
    """(organisation, name as printed, offset) for each name of the two forms, in order."""
    tokens = [_Token(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(text)]
    found: list[tuple[Organisation, str, int]] = []
    for match in _ACRONYM.finditer(text):
        if sum(c.isupper() for c in match.group(1)) < 2:
            continue
        words = _named_before(text, tokens, match.start())
        if words and _is_organisation(text, words):
            name = text[words[0].start : words[-1].end]
            found.append((Organisation(name, match.group(1)), name, words[0].start))
    taken = [(start, start + len(name)) for _, name, start in found]
    for run in _capitalised_runs(text, tokens):
        start, end = run[0].start, run[-1].end
        if any(a < end and start < b for a, b in taken):
            continue
        if any(t.word in HEADS_ALONE for t in run) and _is_organisation(text, run):
            name = text[start : run[-1].start] + run[-1].word
            found.append((Organisation(name), name, start))
    return sorted(found, key=lambda f: f[2])


def _is_head(token: _Token, heads: frozenset[str]) -> bool:
    return token.word in heads or token.word.capitalize() in heads


def _is_organisation(text: str, words: list[_Token]) -> bool:
    """Not a State's body (see the module docstring), and not too long to be a name."""
    if words[0].word in _STATE_FIRST or any(t.word in _STATE_ANY for t in words):
        return False
    if len(words) > _MAX_WORDS or find_countries(text[words[0].start : words[-1].end]):
        return False
    return not _STATE_BEFORE.search(text[: words[0].start])


def _named_before(text: str, tokens: list[_Token], limit: int) -> list[_Token] | None:
    """The name an acronym in parentheses at `limit` stands for: the words of its clause from
    the nearest capitalised run whose words up to `limit` contain a head."""
    clause: list[_Token] = []
    for token in reversed([t for t in tokens if t.end <= limit]):
        if text[token.end : clause[0].start if clause else limit].strip():
            break
        clause.insert(0, token)
    for run in reversed(_capitalised_runs(text, clause)):
        words = clause[clause.index(run[0]) :]
        if any(_is_head(t, HEADS_WITH_ACRONYM) for t in words):
            return words
    return None


def _capitalised_runs(text: str, tokens: list[_Token]) -> list[list[_Token]]:
    """Capitalised words joined by spaces and linking words ('of', 'for', 'and the', ...)."""
    runs: list[list[_Token]] = []
    current: list[_Token] = []
    for token in tokens:
        joined = current and not text[current[-1].end : token.start].strip()
        if not joined or current[-1].possessive:
            _close(current, runs)
            current = []
        if token.capitalised or (current and token.text in _LINKING):
            current.append(token)
        else:
            _close(current, runs)
            current = []
    _close(current, runs)
    return runs


def _close(run: list[_Token], runs: list[list[_Token]]) -> None:
    while run and (run[-1].text in _LINKING):
        run.pop()
    while run and run[0].word in _LEADING:
        run.pop(0)
    if run:
        runs.append(list(run))
