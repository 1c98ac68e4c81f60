"""Organisations named in the guidance documents: the shared gazetteer.

The gazetteer holds the intergovernmental organisations, UN entities, NGOs, foundations and
companies that the GFMD recollection and the IDM report name as actors of a practice. A name's
canonical form is the full name the documents print (with the acronym as an alternative label);
its slug is the IRI path segment (`<base>organisation/{slug}`), so the same organisation gets the
same IRI whatever the document calls it ("IOM", "International Organization for Migration").

It also lists, as classes, the regional and interregional consultative processes on migration
and the regional intergovernmental organisations, whether or not the documents name them today.

The matcher over this table (and the booklet's additions) is mentions.find_organisations:
longest name first, whole words only, case-sensitive (for a name of three words or more, only
its first word). Acronyms that are also common words or ambiguous across fields ("EPA") are not
listed. Organisations it does not list are recognised by the form of their name
(organisation_names.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..vocab import slugify


@dataclass(frozen=True)
class Organisation:
    name: str
    acronym: str | None = None

    @property
    def slug(self) -> str:
        return slugify(self.name)


# (canonical name, acronym, other names the documents use)
_GAZETTEER: tuple[tuple[str, str | None, tuple[str, ...]], ...] = (
    ("International Organization for Migration", "IOM", ()),
    ("International Labour Organization", "ILO", ("International Labor Organization",)),
    ("International Fund for Agricultural Development", "IFAD", ()),
    ("UN Women", None, ("UNWomen", "UN-Women")),
    ("World Bank", None, ()),
    ("United Nations Department of Economic and Social Affairs", "UNDESA", ("UN DESA",)),
    (
        "Office of the United Nations High Commissioner for Refugees",
        "UNHCR",
        ("United Nations High Commissioner for Refugees", "United Nations Refugee Agency"),
    ),
    ("United Nations Office on Drugs and Crime", "UNODC", ()),
    ("United Nations Development Programme", "UNDP", ()),
    ("United Nations Children's Fund", "UNICEF", ()),
    ("World Health Organization", "WHO", ()),
    (
        "Food and Agriculture Organization of the United Nations",
        "FAO",
        ("Food and Agricultural Organization of the United Nations",),
    ),
    ("Pan American Health Organization", "PAHO", ()),
    (
        "United Nations Economic Commission for Latin America and the Caribbean",
        "ECLAC",
        ("Economic Commission for Latin America and the Caribbean",),
    ),
    ("Economic Community of West African States", "ECOWAS", ()),
    ("Association of Southeast Asian Nations", "ASEAN", ()),
    ("European Union", "EU", ()),
    ("European Commission", None, ()),
    ("Council of Europe", None, ()),
    ("African Union Commission", None, ()),
    ("African Union", None, ()),
    ("International Committee of the Red Cross", "ICRC", ()),
    ("International Centre for Migration Policy Development", "ICMPD", ()),
    (
        "UN Joint Migration and Development Initiative",
        "JMDI",
        ("Joint Migration and Development Initiative",),
    ),
    ("United Nations Alliance of Civilizations", None, ("UN Alliance of Civilizations",)),
    ("UN Trust Fund for Human Security", None, ("United Nations Trust Fund for Human Security",)),
    ("Eurostat", None, ()),
    ("Netherlands Interdisciplinary Demographic Institute", "NIDI", ()),
    ("Microsoft", None, ()),
    ("World Employment Confederation", None, ()),
    (
        "Federal Office for Migration and Refugees",
        "BAMF",
        ("German Federal Office for Migration and Refugees",),
    ),
    ("Swiss Federal Commission on Migration", None, ()),
    ("Information and Communication Technology Council", "ICTC", ()),
    ("Talent Beyond Boundaries", "TBB", ()),
    ("Platform on Disaster Displacement", "PDD", ()),
    ("Quebec Farmers Association", None, ()),
    ("Vodafone", None, ()),
    ("GSMA", None, ()),
    ("WSBI", None, ()),
    ("IAMTN", None, ()),
    ("Inter-Agency Coordination Group against Trafficking in Persons", "ICAT", ()),
    ("Alliance 8.7", None, ()),
    ("Japan International Cooperation Agency", None, ()),
    ("UNAFEI", None, ()),
    ("Bill and Melinda Gates Foundation", None, ()),
    ("Coalition for Epidemic Preparedness Innovations", None, ()),
    ("FIND", None, ("FIND Diagnosis for all",)),
    ("Gavi", None, ()),
    ("Global Fund", None, ("The Global Fund",)),
    ("Unitaid", None, ()),
    ("Wellcome", None, ()),
    ("Insan Association", None, ()),
    ("Cross-Regional Center for Refugees and Migrants", None, ()),
    ("SOS Children's Villages", None, ("SOS Children's Village",)),
    ("Center for Global Development", None, ()),
    (
        "United Nations Major Group for Children and Youth",
        None,
        (
            "UN Major Group for Children and Youth",
            "United Nations Major Group on Children and Youth",
        ),
    ),
    ("One Digital World", None, ()),
    ("EMSI Burning Glass", None, ()),
    ("Afro-European Medical and Research Network", None, ()),
    (
        "United Nations Legal Identity Agenda Task Force",
        None,
        ("United Nations Legal Identity Task Force", "UN Legal Identity Agenda Task Force"),
    ),
    ("Organisation for Economic Co-operation and Development", "OECD", ()),
    # Regional and interregional consultative processes on migration and state-led global fora
    # (IOM's list of RCPs), named whether or not a sample of the documents names them.
    ("Global Forum on Migration and Development", "GFMD", ()),
    ("Abu Dhabi Dialogue", None, ()),
    ("Almaty Process", None, ()),
    ("Bali Process", None, ()),
    ("Budapest Process", None, ()),
    ("Colombo Process", None, ()),
    ("Khartoum Process", None, ()),
    ("Prague Process", None, ()),
    ("Rabat Process", None, ()),
    ("Regional Conference on Migration", None, ("Puebla Process",)),
    ("South American Conference on Migration", None, ()),
    ("Intergovernmental Consultations on Migration, Asylum and Refugees", "IGC", ()),
    ("Migration Dialogue for Southern Africa", "MIDSA", ()),
    ("Migration Dialogue for West Africa", "MIDWA", ()),
    ("Mediterranean Transit Migration Dialogue", "MTM", ()),
    ("Pacific Immigration Development Community", "PIDC", ()),
    ("Nansen Initiative", None, ()),
    # Regional intergovernmental organisations and economic communities.
    ("Intergovernmental Authority on Development", "IGAD", ()),
    ("Southern African Development Community", "SADC", ()),
    ("East African Community", "EAC", ()),
    ("Common Market for Eastern and Southern Africa", "COMESA", ()),
    ("Economic Community of Central African States", "ECCAS", ()),
    ("Central American Integration System", "SICA", ()),
    ("Andean Community", None, ()),
    ("Pacific Islands Forum", None, ()),
    ("League of Arab States", None, ("Arab League",)),
    ("Organization of American States", "OAS", ()),
    ("Organization for Security and Co-operation in Europe", "OSCE", ()),
)


@lru_cache(maxsize=1)
def name_table() -> dict[str, Organisation]:
    """Every printed form -> its organisation. Raises if a form names two organisations."""
    table: dict[str, Organisation] = {}
    for name, acronym, aliases in _GAZETTEER:
        organisation = Organisation(name, acronym)
        for form in (name, *aliases, *((acronym,) if acronym else ())):
            known = table.get(form)
            if known is not None and known != organisation:
                raise ValueError(f"organisation name {form!r} names {known.name} and {name}")
            table[form] = organisation
    return table
