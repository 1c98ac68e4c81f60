"""The vendored reference tables that link the graph to the world (sources/countries/, and
sources/organisation-wikidata.csv), read row by row with their line numbers and checked.

- countries.csv: one country or territory per line: ISO 3166-1 alpha-3, UN M49 code, the UN
  short names (UNTERM) in the six UN languages, its M49 region / sub-region / intermediate
  region, its LDC / LLDC / SIDS flags, its GeoNames and Wikidata ids (columns in
  sources/countries/README.md).
- regions.csv: the M49 hierarchy the country table uses (world, regions, sub-regions,
  intermediate regions, each with its parent).
- organisation-wikidata.csv: Wikidata items of organisations of the gazetteer, each line naming
  the public tables that agree on it.

Names: the UNTERM short form marks the definite article a name takes in running text in
parentheses at its end ("Philippines (the)", "France (la)", "Afghanistan (l')"). A label is the
name without that mark; any other parenthesis stays ("Bolivia (Plurinational State of)"). Where
UNTERM has no English name (54 rows, e.g. TUR, CIV), the table's `name_en` is the English one and
the other languages are left out. A table that breaks its own rules (an unknown region code, a
name that disagrees with the region table, a flag that is not true/false, an id of the wrong
form, a repeated code) stops the build at its line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import SourceError
from ..sources import Source
from .mentions import organisation_table

UN_LANGUAGES = ("ar", "zh", "en", "es", "fr", "ru")
GROUPS = ("ldc", "lldc", "sids")
COUNTRY_COLUMNS = (
    "iso3", "iso2", "m49", "name_en", "name_ar", "name_zh", "name_en_unterm", "name_es",
    "name_fr", "name_ru", "region_code", "region_name", "subregion_code", "subregion_name",
    "intermediate_region_code", "intermediate_region_name", "ldc", "lldc", "sids", "geonames_id",
    "wikidata", "code_status",
)  # fmt: skip
REGION_COLUMNS = ("code", "name", "level", "parent_code")
ORGANISATION_COLUMNS = ("organisation", "wikidata", "name", "evidence")
# level -> the level of its parent
LEVELS = {"world": None, "region": "world", "subregion": "region", "intermediate": "subregion"}
# The definite articles UNTERM appends in parentheses, by language.
_ARTICLES = {"en": {"the"}, "fr": {"le", "la", "l'", "les"}, "es": {"el", "la", "los", "las"}}
_TRAILING_PARENTHESIS = re.compile(r"^(?P<name>.*\S)\s*\((?P<inside>[^()]*)\)$")
_ALPHA3 = re.compile(r"^[A-Z]{3}$")
_M49 = re.compile(r"^\d{3}$")
_GEONAMES = re.compile(r"^[1-9]\d*$")
_WIKIDATA = re.compile(r"^Q[1-9]\d*$")
_FLAGS = {"true": True, "false": False, "": None}


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    level: str
    """'world', 'region', 'subregion' or 'intermediate'."""
    parent: str | None
    line: int


@dataclass(frozen=True)
class CountryRow:
    alpha3: str
    m49: str | None
    names: tuple[tuple[str, str], ...]
    """(language, label) in UN_LANGUAGES order, the article mark removed; empty names left out."""
    regions: tuple[str, ...]
    """M49 codes of its region, sub-region and intermediate region (those the row has)."""
    groups: tuple[str, ...]
    """Of GROUPS, those whose flag is true."""
    geonames: str | None
    wikidata: str | None
    line: int

    def name(self, language: str) -> str | None:
        return dict(self.names).get(language)


@dataclass(frozen=True)
class OrganisationLink:
    slug: str
    wikidata: str
    name: str
    evidence: str
    line: int


def label_of(name: str, language: str) -> str:
    """A UNTERM short name without the article mark: 'Philippines (the)' -> 'Philippines'."""
    match = _TRAILING_PARENTHESIS.match(name.strip())
    if match and match["inside"].strip() in _ARTICLES.get(language, set()):
        return match["name"]
    return " ".join(name.split())


def read_regions(source: Source) -> dict[str, Region]:
    """code -> region, the hierarchy checked: one world, each level under the one above."""
    regions: dict[str, Region] = {}
    for line, row in source.csv_rows(REGION_COLUMNS):
        code, name, level, parent = row["code"], row["name"], row["level"], row["parent_code"]
        if not _M49.match(code) or code in regions:
            raise SourceError(source.path, line, "a new three-digit M49 code", code)
        if level not in LEVELS or not name:
            raise SourceError(source.path, line, f"a name and a level of {', '.join(LEVELS)}")
        regions[code] = Region(code, name, level, parent or None, line)
    for region in regions.values():
        parent = regions.get(region.parent or "")
        if (parent.level if parent else None) != LEVELS[region.level] or (
            region.parent and parent is None
        ):
            expected = f"a parent of level {LEVELS[region.level]} for {region.level} {region.code}"
            raise SourceError(source.path, region.line, expected, region.parent or "none")
    worlds = [r for r in regions.values() if r.level == "world"]
    if len(worlds) != 1:
        raise SourceError(source.path, 2, "one row of level world", str(len(worlds)))
    return regions


def read_countries(source: Source, regions: dict[str, Region]) -> dict[str, CountryRow]:
    """alpha-3 code -> its row, every field checked against its form and the region table."""
    countries: dict[str, CountryRow] = {}
    for line, row in source.csv_rows(COUNTRY_COLUMNS):
        alpha3 = row["iso3"]
        if not _ALPHA3.match(alpha3) or alpha3 in countries:
            raise SourceError(source.path, line, "a new ISO 3166-1 alpha-3 code", alpha3)
        _check_form(source, line, "an M49 code of three digits", row["m49"], _M49)
        _check_form(source, line, "a GeoNames id", row["geonames_id"], _GEONAMES)
        _check_form(source, line, "a Wikidata id Q…", row["wikidata"], _WIKIDATA)
        countries[alpha3] = CountryRow(
            alpha3=alpha3,
            m49=row["m49"] or None,
            names=_names(row),
            regions=_region_codes(source, line, row, regions),
            groups=_groups(source, line, row),
            geonames=row["geonames_id"] or None,
            wikidata=row["wikidata"] or None,
            line=line,
        )
    return countries


def read_organisation_links(source: Source) -> list[OrganisationLink]:
    """The organisation -> Wikidata lines, each slug and name checked against the gazetteer."""
    gazetteer = {entry.slug: entry.name for entry in organisation_table().values()}
    links: list[OrganisationLink] = []
    for line, row in source.csv_rows(ORGANISATION_COLUMNS):
        slug = row["organisation"]
        if gazetteer.get(slug) != row["name"] or slug in {x.slug for x in links}:
            expected = "a new organisation of the gazetteer, with the gazetteer's name"
            raise SourceError(source.path, line, expected, f"{slug}: {row['name']}")
        if not _WIKIDATA.match(row["wikidata"]) or not row["evidence"]:
            raise SourceError(source.path, line, "a Wikidata id Q… and its evidence")
        links.append(OrganisationLink(slug, row["wikidata"], row["name"], row["evidence"], line))
    return links


def _check_form(source: Source, line: int, expected: str, value: str, form: re.Pattern) -> None:
    if value and not form.match(value):
        raise SourceError(source.path, line, expected, value)


def _names(row: dict[str, str]) -> tuple[tuple[str, str], ...]:
    names = []
    for language in UN_LANGUAGES:
        column = "name_en_unterm" if language == "en" else f"name_{language}"
        name = row[column] or (row["name_en"] if language == "en" else "")
        if name:
            names.append((language, label_of(name, language)))
    return tuple(names)


def _region_codes(
    source: Source, line: int, row: dict[str, str], regions: dict[str, Region]
) -> tuple[str, ...]:
    codes = []
    columns = (
        ("region", "region"),
        ("subregion", "subregion"),
        ("intermediate", "intermediate_region"),
    )
    for level, prefix in columns:
        code, name = row[f"{prefix}_code"], row[f"{prefix}_name"]
        if not code and not name:
            continue
        region = regions.get(code)
        if region is None or region.level != level or region.name != name:
            expected = f"the {level} of regions.csv with code {code or '(none)'} and its name"
            raise SourceError(source.path, line, expected, f"{code} {name}")
        if codes and region.parent != codes[-1]:
            expected = f"{level} {code} under {codes[-1]}, as regions.csv has it"
            raise SourceError(source.path, line, expected, region.parent or "none")
        codes.append(code)
    return tuple(codes)


def _groups(source: Source, line: int, row: dict[str, str]) -> tuple[str, ...]:
    groups = []
    for group in GROUPS:
        if row[group] not in _FLAGS:
            raise SourceError(source.path, line, f"{group} true, false or empty", row[group])
        if _FLAGS[row[group]]:
            groups.append(group)
    return tuple(groups)
