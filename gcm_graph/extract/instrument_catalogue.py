"""The catalogue of international instruments the sources name: one entry per instrument, so that
every document's wording of it resolves to the same `<base>instrument/{slug}`.

An entry gives the canonical name (the resolution's wording where the resolution names it), the
kind, the acronym, and two sets of patterns: `names` are full titles as the documents print them
(a match is also a claim about the instrument's name), `refs` are short references (acronyms,
nicknames) that identify it without naming it. Patterns are case-sensitive regular expressions;
a space matches any whitespace. Facts (years) are never in the catalogue: they are read from the
documents (instruments.py).

The GCM itself is not an instrument here: it is the subject (`<base>compact`) of the graph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

# Kinds: SKOS concepts gcm:{key} in the scheme gcm:InstrumentKindScheme.
KINDS: dict[str, str] = {
    "Charter": "charter of an international organization",
    "Declaration": "declaration",
    "CoreHumanRightsTreaty": "core international human rights treaty",
    "Treaty": "treaty (convention or agreement)",
    "TreatyProtocol": "protocol supplementing a treaty",
    "ILOConvention": "ILO convention",
    "ILORecommendation": "ILO recommendation",
    "Agenda": "agenda (outcome document)",
    "Framework": "framework",
    "GlobalCompact": "global compact",
    "Guidance": "guidelines, principles, toolkit or handbook",
    "PlanOfAction": "plan of action",
}


@dataclass(frozen=True)
class InstrumentEntry:
    slug: str
    name: str
    kind: str
    acronym: str | None = None
    names: tuple[str, ...] = ()
    refs: tuple[str, ...] = ()
    ilo: str | None = None
    """ILO notation ('C097', 'R202') for ILO instruments."""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown instrument kind {self.kind!r} for {self.slug}")


def _hr(slug: str, name: str, acronym: str, *refs: str) -> InstrumentEntry:
    return InstrumentEntry(
        slug, name, "CoreHumanRightsTreaty", acronym, (name,), (rf"\b{acronym}\b", *refs)
    )


CATALOGUE: tuple[InstrumentEntry, ...] = (
    InstrumentEntry(
        "charter-of-the-united-nations",
        "Charter of the United Nations",
        "Charter",
        None,
        (r"Charter of the United Nations", r"United Nations Charter"),
        (r"UN Charter",),
    ),
    InstrumentEntry(
        "udhr",
        "Universal Declaration of Human Rights",
        "Declaration",
        "UDHR",
        (r"Universal Declaration of Human Rights",),
        (r"\bUDHR\b",),
    ),
    _hr("iccpr", "International Covenant on Civil and Political Rights", "ICCPR"),
    _hr("icescr", "International Covenant on Economic, Social and Cultural Rights", "ICESCR"),
    _hr(
        "icerd",
        "International Convention on the Elimination of All Forms of Racial Discrimination",
        "ICERD",
    ),
    _hr(
        "cedaw",
        "Convention on the Elimination of All Forms of Discrimination against Women",
        "CEDAW",
    ),
    _hr(
        "cat",
        "Convention against Torture and Other Cruel, Inhuman or Degrading Treatment or Punishment",
        "CAT",
        r"\bUNCAT\b",
    ),
    _hr("crc", "Convention on the Rights of the Child", "CRC", r"\bUNCRC\b"),
    _hr(
        "icrmw",
        "International Convention on the Protection of the Rights of All Migrant "
        "Workers and Members of Their Families",
        "ICRMW",
    ),
    _hr(
        "cped",
        "International Convention for the Protection of All Persons from Enforced Disappearance",
        "CPED",
        r"\bICPPED\b",
    ),
    _hr("crpd", "Convention on the Rights of Persons with Disabilities", "CRPD"),
    InstrumentEntry(
        "untoc",
        "United Nations Convention against Transnational Organized Crime",
        "Treaty",
        "UNTOC",
        (r"(?:United Nations |UN )?Convention against Transnational Organized Crime",),
        (r"\bUNTOC\b", r"Palermo Convention"),
    ),
    InstrumentEntry(
        "trafficking-protocol",
        "Protocol to Prevent, Suppress and Punish Trafficking "
        "in Persons, Especially Women and Children",
        "TreatyProtocol",
        None,
        (
            r"Protocol to Prevent, Suppress and Punish Trafficking in Persons,? "
            r"Especially Women and Children",
            r"Protocol to Prevent, Suppress and Punish Trafficking in Persons",
        ),
    ),
    InstrumentEntry(
        "smuggling-protocol",
        "Protocol against the Smuggling of Migrants by Land, Sea and Air",
        "TreatyProtocol",
        None,
        (r"Protocol against the Smuggling of Migrants by Land, Sea and Air",),
    ),
    InstrumentEntry(
        "slavery-convention",
        "Slavery Convention",
        "Treaty",
        None,
        (r"(?<!Supplementary\s)Slavery Convention",),
    ),
    InstrumentEntry(
        "supplementary-slavery-convention",
        "Supplementary Convention on the "
        "Abolition of Slavery, the Slave Trade, and Institutions and Practices "
        "Similar to Slavery",
        "Treaty",
        None,
        (
            r"Supplementary Convention on the Abolition of Slavery, the Slave Trade,? "
            r"and Institutions and Practices Similar to Slavery",
        ),
    ),
    InstrumentEntry(
        "unfccc",
        "United Nations Framework Convention on Climate Change",
        "Treaty",
        "UNFCCC",
        (r"(?:United Nations|UN) Framework Convention on Climate Change",),
        (r"\bUNFCCC\b",),
    ),
    InstrumentEntry(
        "unccd",
        "United Nations Convention to Combat Desertification in Those "
        "Countries Experiencing Serious Drought and/or Desertification, Particularly "
        "in Africa",
        "Treaty",
        "UNCCD",
        (
            r"United Nations Convention to Combat Desertification in Those Countries "
            r"Experiencing Serious Drought and/or Desertification, Particularly in "
            r"Africa",
            r"United Nations Convention to Combat Desertification",
        ),
        (r"\bUNCCD\b",),
    ),
    InstrumentEntry(
        "paris-agreement",
        "Paris Agreement",
        "Treaty",
        None,
        (r"Paris Agreement on Climate Change", r"Paris Agreement"),
    ),
    InstrumentEntry(
        "kyoto-protocol", "Kyoto Protocol", "TreatyProtocol", None, (r"Kyoto Protocol",)
    ),
    InstrumentEntry(
        "ilo-c097",
        "Migration for Employment Convention (Revised)",
        "ILOConvention",
        None,
        (r"Migration for Employment Convention(?: \(Revised\))?",),
        (r"(?:ILO )?Convention No\. ?97\b", r"\bC0?97\b"),
        "C097",
    ),
    InstrumentEntry(
        "ilo-c143",
        "Migrant Workers (Supplementary Provisions) Convention",
        "ILOConvention",
        None,
        (r"Migrant Workers \(Supplementary Provisions\) Convention",),
        (r"(?:ILO )?Convention No\. ?143\b", r"\bC143\b"),
        "C143",
    ),
    InstrumentEntry(
        "ilo-c118",
        "Equality of Treatment (Social Security) Convention",
        "ILOConvention",
        None,
        (r"Equality of Treatment \(Social Security\) Convention",),
        (r"(?:ILO )?Convention No\. ?118\b", r"\bC118\b"),
        "C118",
    ),
    InstrumentEntry(
        "ilo-c189",
        "Domestic Workers Convention",
        "ILOConvention",
        None,
        (r"Domestic Workers Convention", r"Convention on Decent Work for Domestic Workers"),
        (r"(?:ILO )?Convention No\. ?189\b", r"\bC189\b"),
        "C189",
    ),
    InstrumentEntry(
        "ilo-r202",
        "Social Protection Floors Recommendation",
        "ILORecommendation",
        None,
        (r"Social Protection Floors Recommendation",),
        (r"ILO Recommendation(?: No\.)? ?202\b", r"\bR202\b"),
        "R202",
    ),
    InstrumentEntry(
        "agenda-2030",
        "2030 Agenda for Sustainable Development",
        "Agenda",
        None,
        (r"2030 Agenda for Sustainable Development",),
        (r"2030 Agenda\b",),
    ),
    InstrumentEntry(
        "addis-ababa-action-agenda",
        "Addis Ababa Action Agenda of the Third "
        "International Conference on Financing for Development",
        "Agenda",
        "AAAA",
        (
            r"Addis Ababa Action Agenda of the Third International Conference on "
            r"Financing for Development",
            r"Addis Ababa Action Agenda",
        ),
        (r"\bAAAA\b",),
    ),
    InstrumentEntry(
        "sendai-framework",
        "Sendai Framework for Disaster Risk Reduction 2015–2030",
        "Framework",
        "SFDRR",
        (r"Sendai Framework for Disaster Risk Reduction(?: \(?2015[-–]2030\)?)?",),
        (r"Sendai Framework", r"\bSFDRR\b"),
    ),
    InstrumentEntry("new-urban-agenda", "New Urban Agenda", "Agenda", None, (r"New Urban Agenda",)),
    InstrumentEntry("agenda-21", "Agenda 21", "Agenda", None, (r"Agenda 21\b",)),
    InstrumentEntry(
        "new-york-declaration",
        "New York Declaration for Refugees and Migrants",
        "Declaration",
        None,
        (r"New York Declaration (?:for|on) Refugees and Migrants",),
        (r"New York Declaration",),
    ),
    InstrumentEntry(
        "global-compact-on-refugees",
        "Global Compact on Refugees",
        "GlobalCompact",
        "GCR",
        (r"Global Compact (?:on|for) Refugees",),
    ),
    InstrumentEntry(
        "hld-declaration-2013",
        "Declaration of the High-level Dialogue on International Migration and Development",
        "Declaration",
        None,
        (
            r"Declaration of the High-level Dialogue on International Migration and "
            r"Development",
        ),
    ),
    InstrumentEntry(
        "micic-guidelines",
        "Guidelines to Protect Migrants in Countries Experiencing Conflict or Natural Disaster",
        "Guidance",
        None,
        (
            r"Guidelines to Protect Migrants in Countries Experiencing Conflict or "
            r"Natural Disaster",
        ),
        (
            r"Migrants in Countries in Crisis Initiative "
            r"Guidelines",
            r"MICIC Guidelines",
        ),
    ),
    InstrumentEntry(
        "nansen-protection-agenda",
        "Agenda for the Protection of Cross-Border "
        "Displaced Persons in the Context of Disasters and Climate Change",
        "Agenda",
        None,
        (
            r"Agenda for the Protection of Cross-Border Displaced Persons in the "
            r"Context of Disasters and Climate Change",
        ),
    ),
    InstrumentEntry(
        "ilo-fair-recruitment-principles",
        "General Principles and Operational Guidelines for Fair Recruitment",
        "Guidance",
        None,
        (r"General Principles and Operational Guidelines for Fair Recruitment",),
    ),
    InstrumentEntry(
        "un-guiding-principles-business-human-rights",
        "Guiding Principles on Business and Human Rights",
        "Guidance",
        "UNGPs",
        (r"Guiding Principles on Business and Human Rights",),
    ),
    InstrumentEntry(
        "gmg-principles-vulnerable-situations",
        "Principles and Guidelines, "
        "Supported by Practical Guidance, on the Human Rights Protection of Migrants "
        "in Vulnerable Situations",
        "Guidance",
        None,
        (
            r"Principles and Guidelines, Supported by Practical Guidance, on the Human "
            r"Rights Protection of Migrants in Vulnerable Situations",
        ),
    ),
    InstrumentEntry(
        "global-plan-of-action-trafficking",
        "United Nations Global Plan of Action to Combat Trafficking in Persons",
        "PlanOfAction",
        None,
        (
            r"(?:United Nations )?Global Plan of Action to Combat Trafficking in "
            r"Persons",
        ),
    ),
    InstrumentEntry(
        "unodc-toolkit-trafficking",
        "Toolkit to Combat Trafficking in Persons",
        "Guidance",
        None,
        (r"Toolkit to Combat Trafficking in Persons",),
    ),
    InstrumentEntry(
        "ohchr-border-principles",
        "Recommended Principles and Guidelines on Human Rights at International Borders",
        "Guidance",
        None,
        (
            r"Recommended Principles and Guidelines on Human Rights at International "
            r"Borders",
        ),
    ),
    InstrumentEntry(
        "who-health-framework",
        "Framework of Priorities and Guiding Principles to "
        "Promote the Health of Refugees and Migrants",
        "Framework",
        None,
        (
            r"Framework of Priorities and Guiding Principles to Promote the Health of "
            r"Refugees and Migrants",
        ),
    ),
    InstrumentEntry(
        "gmg-mainstreaming-migration-handbook",
        "Mainstreaming Migration into "
        "Development Planning: A Handbook for Policymakers and Practitioners",
        "Guidance",
        None,
        (
            r"Mainstreaming Migration into Development Planning: A Handbook for "
            r"Policy-?makers and Practitioners",
        ),
    ),
)

_BY_SLUG = {entry.slug: entry for entry in CATALOGUE}
_BY_ILO = {entry.ilo: entry for entry in CATALOGUE if entry.ilo}


def entry(slug: str) -> InstrumentEntry:
    return _BY_SLUG[slug]


def ilo_entry(kind: str, number: int) -> InstrumentEntry | None:
    """The ILO convention ('C') or recommendation ('R') with this number, if catalogued."""
    return _BY_ILO.get(f"{kind}{number:03d}")


@lru_cache(maxsize=1)
@cache
def compiled() -> tuple[tuple[re.Pattern[str], InstrumentEntry, bool], ...]:
    """(pattern, entry, is a full name) for every pattern; spaces match any whitespace."""
    result = []
    for item in CATALOGUE:
        for pattern, is_name in [(p, True) for p in item.names] + [(p, False) for p in item.refs]:
            result.append((re.compile(pattern.replace(" ", r"\s+")), item, is_name))
    return tuple(result)
