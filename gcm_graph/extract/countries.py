"""Find the countries a text names, as ISO 3166-1 alpha-3 codes with the matched string and offsets.

Names come from pycountry (ISO short name, official name, common name, plus the inverted form of
ISO's "Korea, Republic of" style and the UN's "Bolivia (Plurinational State of)" style), and from
the small alias and demonym tables below, which hold only forms the vendored documents use or
that are needed to keep a longer name from being read as a shorter one.

Decisions (each has a test in tests/test_countries.py):

- Matching is case-sensitive: country names are proper nouns ("turkey", "chad" are not countries).
  Words may be separated by any whitespace, so a name wrapped across lines is still found.
- The longest name wins at each position, and a match consumes its span: "Papua New Guinea",
  "Equatorial Guinea", "Guinea-Bissau" never also yield Guinea; "Democratic People's Republic of
  Korea" never yields the Republic of Korea; "United States Virgin Islands" never yields the USA;
  "Nigeria" never yields the Niger (word boundaries do that too).
- BLOCKED phrases are matched like names but denote no state, so they hide the country name inside
  them: cities named after their country ("Mexico City", "Guatemala City"), sub-national units
  ("New Mexico", "Northern Ireland", "New Jersey"), geographic features ("Gulf of Guinea",
  "Niger Delta"). A city is a place in a country, not a mention of the state; we do not resolve
  other city names either, so "Mexico City" -> nothing keeps the two consistent.
- "Columbia" (University, Law School, British Columbia) is simply not a country name.
- Bare "Korea" is ambiguous (two states) and is not resolved; "South Korea" / "Republic of Korea"
  -> KOR, "North Korea" / "Democratic People's Republic of Korea" -> PRK. Bare "Congo" is the
  ISO short name of the Republic of the Congo (COG); "DRC" and "Democratic Republic of the
  Congo" -> COD.
- "Turkey", "Türkiye", "Turkiye" -> TUR. "US", "U.S.", "USA", "UK" -> USA / GBR (upper case only).
- Names that are also given names (Jordan, Chad, Georgia, India, Israel) are rejected when preceded
  by a personal title or by a capitalised word that is not a function word ("Michael Jordan");
  "Georgia" is rejected when a US context follows or precedes it ("Atlanta, Georgia",
  "Georgia (USA)", "Georgia State University").
- Demonyms count only when they clearly denote the state: a demonym followed by a word for a state
  institution ("the Mexican government", "the Philippine Embassy"). "Filipino workers" or "Mexican
  citizens" name people, not the state, and are not country mentions.
- Kosovo has no ISO 3166-1 code (XKX is user-assigned) and is not resolved.
- A name that is part of a currency names money, not the state: "US $425", "US$25", "U.S. $",
  "US dollars", "Hong Kong dollar", "Singapore $" (a currency symbol or word right after it).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import pycountry

NAME = "name"
ALIAS = "alias"
DEMONYM = "demonym"


@dataclass(frozen=True)
class CountryMention:
    alpha3: str
    text: str
    """The matched string exactly as it appears in the input."""
    start: int
    end: int
    """Offsets into the input: text == input[start:end]."""
    kind: str = NAME
    """'name' (pycountry), 'alias' (our table) or 'demonym' (demonym + state institution)."""


# Forms the documents use (or that guard a longer name) that pycountry does not provide.
ALIASES: dict[str, str] = {
    "Bolivia": "BOL",
    "Cape Verde": "CPV",
    "Congo": "COG",
    "Republic of the Congo": "COG",
    "Congo-Brazzaville": "COG",
    "DRC": "COD",
    "DR Congo": "COD",
    "Congo-Kinshasa": "COD",
    "Czech Republic": "CZE",
    "Gambia": "GMB",
    "The Gambia": "GMB",
    "Holy See": "VAT",
    "Ivory Coast": "CIV",
    "Laos": "LAO",
    "Macedonia": "MKD",
    "Palestine": "PSE",
    "Russia": "RUS",
    "Swaziland": "SWZ",
    "Turkey": "TUR",
    "Turkiye": "TUR",
    "Burma": "MMR",
    "Great Britain": "GBR",
    "Britain": "GBR",
    "UK": "GBR",
    "U.K.": "GBR",
    "United States": "USA",
    "US": "USA",
    "U.S.": "USA",
    "USA": "USA",
    "U.S.A.": "USA",
    "United States Virgin Islands": "VIR",
    "UAE": "ARE",
    "Vatican": "VAT",
}

# Phrases that contain a country name but denote no state (see the module docstring).
BLOCKED: tuple[str, ...] = (
    "Mexico City",
    "New Mexico",
    "Guatemala City",
    "Panama City",
    "Kuwait City",
    "Djibouti City",
    "Vatican City",
    "Northern Ireland",
    "New Jersey",
    "New Guinea",
    "Gulf of Guinea",
    "Niger Delta",
    "Niger River",
    "River Niger",
    "Lake Chad",
    "Indian Ocean",
)

DEMONYMS: dict[str, str] = {
    "Afghan": "AFG",
    "American": "USA",
    "Argentine": "ARG",
    "Australian": "AUS",
    "Bangladeshi": "BGD",
    "Brazilian": "BRA",
    "British": "GBR",
    "Canadian": "CAN",
    "Chilean": "CHL",
    "Chinese": "CHN",
    "Colombian": "COL",
    "Dutch": "NLD",
    "Ecuadorian": "ECU",
    "Egyptian": "EGY",
    "Ethiopian": "ETH",
    "Filipino": "PHL",
    "French": "FRA",
    "German": "DEU",
    "Ghanaian": "GHA",
    "Greek": "GRC",
    "Guatemalan": "GTM",
    "Honduran": "HND",
    "Indian": "IND",
    "Indonesian": "IDN",
    "Iranian": "IRN",
    "Italian": "ITA",
    "Japanese": "JPN",
    "Jordanian": "JOR",
    "Kenyan": "KEN",
    "Lebanese": "LBN",
    "Malian": "MLI",
    "Mexican": "MEX",
    "Moldovan": "MDA",
    "Moroccan": "MAR",
    "Nepalese": "NPL",
    "Nigerian": "NGA",
    "Nigerien": "NER",
    "Pakistani": "PAK",
    "Peruvian": "PER",
    "Philippine": "PHL",
    "Portuguese": "PRT",
    "Salvadoran": "SLV",
    "Senegalese": "SEN",
    "South African": "ZAF",
    "Spanish": "ESP",
    "Sri Lankan": "LKA",
    "Swedish": "SWE",
    "Swiss": "CHE",
    "Syrian": "SYR",
    "Thai": "THA",
    "Tunisian": "TUN",
    "Turkish": "TUR",
    "Ukrainian": "UKR",
    "Venezuelan": "VEN",
}

# Words after a demonym that make it denote the state itself.
STATE_NOUNS = (
    "government",
    "Government",
    "authorities",
    "Authorities",
    "embassy",
    "Embassy",
    "embassies",
    "consulate",
    "Consulate",
    "consulates",
    "Ministry",
    "ministry",
    "President",
    "Parliament",
    "Congress",
    "State",
    "state",
    "Senate",
)

# Names that are also personal names; see _looks_like_person.
PERSON_NAME_RISK = frozenset({"Jordan", "Chad", "Georgia", "India", "Israel"})
_TITLES = frozenset({"Mr", "Mrs", "Ms", "Dr", "Prof", "Professor", "Sir", "Dame", "Saint", "St"})
_FUNCTION_WORDS_TEXT = """
    In And Or The From To Of For With By Both Between Including Like As At On Only Also Since
    Northern Southern Eastern Western Central Rural Urban Neighbouring Neighboring While
    Whereas Thus However Moreover Then Where When Unlike Within Across Through Into Via
    Government Kingdom Republic State
"""
_FUNCTION_WORDS = frozenset(_FUNCTION_WORDS_TEXT.split())
_US_CONTEXT_AFTER = re.compile(r"^\s*(?:,\s*|\(\s*)(?:USA|US|U\.S\.|United States)\b|^\s+State\b")
_US_CONTEXT_BEFORE = re.compile(r"(?:Atlanta|Savannah|Augusta|Athens),\s*$|State of\s+$")

# A currency right after a name: a symbol ("$", "\\$" escaped, "€", "£") or a currency word.
_CURRENCY_AFTER = re.compile(
    r"^\s?(?:\\?[$€£¥]|(?:dollars?|cents?|pounds?|pesos?|francs?|rupees?)\b)", re.IGNORECASE
)

_APOSTROPHES = "'’ʼ`"


def normalise_name(name: str) -> str:
    """A name's lookup key: NFC, typographic apostrophes made plain, whitespace collapsed.

    Idempotent: normalise_name(normalise_name(x)) == normalise_name(x).
    """
    text = unicodedata.normalize("NFC", name)
    text = re.sub(f"[{_APOSTROPHES}]", "'", text)
    return re.sub(r"\s+", " ", text).strip()


def _ascii_fold(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()


def _pycountry_forms(country: object) -> set[str]:
    """The ISO short name, official and common names, and their inverted / UN-style variants."""
    forms: set[str] = set()
    for attr in ("name", "official_name", "common_name"):
        value = getattr(country, attr, None)
        if not value:
            continue
        value = re.sub(r"^[Tt]he ", "", value)
        head, sep, tail = value.partition(", ")
        if sep and ("," not in tail):
            # "Korea, Republic of" -> "Republic of Korea"; "Virgin Islands, British" -> "British
            # Virgin Islands"; also the UN style "Bolivia (Plurinational State of)".
            if re.search(r"\bof(?: the)?$", tail) or tail in {"British", "U.S."}:
                inverted = re.sub(r"^[Tt]he ", "", f"{tail} {head}")
                forms.add(inverted)
                if tail.endswith("of"):
                    forms.add(f"{head} ({tail})")
            elif "Province of" not in tail:
                forms.add(value)
            continue
        forms.add(value)
        stripped = re.sub(r"\s*\([^)]*\)$", "", value)
        if stripped != value:
            forms.add(stripped)
    return forms


@lru_cache(maxsize=1)
def name_table() -> dict[str, tuple[str | None, str]]:
    """Normalised name -> (alpha3 or None for a blocked phrase, kind). Raises on an ambiguity."""
    table: dict[str, tuple[str | None, str]] = {}

    def put(name: str, alpha3: str | None, kind: str) -> None:
        for form in {normalise_name(name), normalise_name(_ascii_fold(name))}:
            if not form:
                continue
            known = table.get(form)
            if known is not None and known[0] != alpha3:
                raise ValueError(f"country name {form!r} maps to both {known[0]} and {alpha3}")
            table[form] = (alpha3, kind)

    for country in pycountry.countries:
        for form in _pycountry_forms(country):
            put(form, country.alpha_3, NAME)
    for name, alpha3 in ALIASES.items():
        put(name, alpha3, ALIAS)
    for phrase in BLOCKED:
        put(phrase, None, ALIAS)
    return table


def _name_pattern(name: str) -> str:
    parts = []
    for word in name.split(" "):
        escaped = re.escape(word).replace("'", f"[{_APOSTROPHES}]")
        parts.append(escaped)
    return r"\s+".join(parts)


@lru_cache(maxsize=1)
def _matcher() -> re.Pattern[str]:
    names = sorted(name_table(), key=lambda n: (-len(n), n))
    demonyms = sorted(DEMONYMS, key=lambda n: (-len(n), n))
    nouns = "|".join(STATE_NOUNS)
    demonym = rf"(?P<demonym>(?:{'|'.join(_name_pattern(d) for d in demonyms)}))\s+(?:{nouns})"
    alternatives = "|".join(_name_pattern(n) for n in names)
    # \w-boundaries (not \b): "U.S." ends in a non-word character. A hyphen after a name is
    # allowed ("Mexico-US border") because hyphenated names (Guinea-Bissau) are tried first.
    return re.compile(rf"(?<![\w.])(?:{demonym}|(?P<name>{alternatives}))(?!\w)")


def find_countries(text: str) -> list[CountryMention]:
    """Every country mention in `text`, in order of appearance."""
    mentions: list[CountryMention] = []
    table = name_table()
    for match in _matcher().finditer(text):
        if match.group("demonym") is not None:
            key = normalise_name(match.group("demonym"))
            alpha3 = DEMONYMS.get(key) or DEMONYMS[_demonym_key(key)]
            kind = DEMONYM
        else:
            alpha3, kind = table[normalise_name(match.group("name"))]
            if alpha3 is None or _rejected(text, match):
                continue
        mentions.append(CountryMention(alpha3, match.group(0), match.start(), match.end(), kind))
    return mentions


def _demonym_key(key: str) -> str:
    return next(d for d in DEMONYMS if normalise_name(d) == key)


def _rejected(text: str, match: re.Match[str]) -> bool:
    name = normalise_name(match.group("name"))
    if _CURRENCY_AFTER.match(text[match.end() :]):
        return True
    if name not in PERSON_NAME_RISK:
        return False
    before = text[: match.start()]
    after = text[match.end() :]
    if name == "Georgia" and (_US_CONTEXT_AFTER.match(after) or _US_CONTEXT_BEFORE.search(before)):
        return True
    return _looks_like_person(before)


def _looks_like_person(before: str) -> bool:
    """True if the word just before is a title or a capitalised non-function word ('Michael ')."""
    match = re.search(r"(\w+)\.?[ \t]+$", before)
    if match is None:
        return False
    word = match.group(1)
    if word in _TITLES:
        return True
    return word[:1].isupper() and not word.isupper() and word not in _FUNCTION_WORDS


def country_codes(text: str) -> list[str]:
    """The distinct alpha-3 codes `text` mentions, sorted."""
    return sorted({m.alpha3 for m in find_countries(text)})


def lookup(name: str) -> str | None:
    """The alpha-3 code of an exact country name or alias (not a demonym), else None."""
    entry = name_table().get(normalise_name(name))
    return entry[0] if entry else None


def country_name(alpha3: str) -> str:
    """The ISO 3166-1 short name (common name where ISO inverts it: 'Korea, Republic of')."""
    country = pycountry.countries.get(alpha_3=alpha3.upper())
    if country is None:
        raise KeyError(f"not an ISO 3166-1 alpha-3 code: {alpha3!r}")
    return getattr(country, "common_name", None) or country.name
