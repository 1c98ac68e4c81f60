"""Country mentions: names, aliases, demonyms, and the false positives the module guards against."""

from __future__ import annotations

import pycountry
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gcm_graph.extract.countries import (
    country_codes,
    country_name,
    find_countries,
    lookup,
    name_table,
    normalise_name,
)
from gcm_graph.sources import load_manifest


def codes(text: str) -> list[str]:
    return [m.alpha3 for m in find_countries(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Niger and Nigeria", ["NER", "NGA"]),
        ("Nigeria", ["NGA"]),
        ("Columbia University's School of International and Public Affairs", []),
        ("Columbia Law School", []),
        ("Papua New Guinea", ["PNG"]),
        ("Equatorial Guinea", ["GNQ"]),
        ("Guinea-Bissau", ["GNB"]),
        ("Guinea", ["GIN"]),
        ("the Gulf of Guinea", []),
        ("Atlanta, Georgia", []),
        ("Georgia (USA)", ["USA"]),
        ("Georgia State University", []),
        ("Georgia and Armenia", ["GEO", "ARM"]),
        ("Michael Jordan", []),
        ("Mr. Chad", []),
        ("In Jordan, refugees", ["JOR"]),
        ("Government of Chad", ["TCD"]),
        ("Chad granted specific ID numbers", ["TCD"]),
        ("a turkey dinner in chad", []),
        ("Turkey", ["TUR"]),
        ("Türkiye", ["TUR"]),
        ("Republic of Korea", ["KOR"]),
        ("Democratic People's Republic of Korea", ["PRK"]),
        ("Democratic People’s Republic of Korea", ["PRK"]),
        ("Korea", []),
        ("United States", ["USA"]),
        ("United States of America", ["USA"]),
        ("United States Virgin Islands", ["VIR"]),
        ("Mexico City", []),
        ("New Mexico", []),
        ("Congo", ["COG"]),
        ("Republic of the Congo", ["COG"]),
        ("Democratic Republic of the Congo", ["COD"]),
        ("DRC", ["COD"]),
        ("Northern Ireland", []),
        ("Ireland", ["IRL"]),
        ("Sudan and South Sudan", ["SDN", "SSD"]),
        ("Dominica and the Dominican Republic", ["DMA", "DOM"]),
        ("Iran (Islamic Republic of)", ["IRN"]),
        ("Venezuela (Bolivarian Republic of)", ["VEN"]),
        ("Côte d'Ivoire", ["CIV"]),
        ("Cote d’Ivoire", ["CIV"]),
        ("Holy See", ["VAT"]),
        ("Kosovo", []),
        ("the Mexico-US border", ["MEX", "USA"]),
        ("the Indian Ocean", []),
    ],
)
def test_names_and_guards(text: str, expected: list[str]) -> None:
    assert codes(text) == expected


def test_demonym_only_when_it_denotes_the_state() -> None:
    # booklet line 289: "an ID card issued by the Mexican government to Mexican citizens abroad"
    mentions = find_countries("an ID card issued by the Mexican government to Mexican citizens")
    assert [(m.alpha3, m.text, m.kind) for m in mentions] == [
        ("MEX", "Mexican government", "demonym")
    ]
    assert codes("overseas Filipino workers") == []
    # IDM line 2948: "the Philippine Embassy in the Syrian Arab Republic"
    assert codes("the Philippine Embassy in the Syrian Arab Republic") == ["PHL", "SYR"]


def test_offsets_and_line_wraps() -> None:
    text = "Both the United Kingdom of Great Britain and\nNorthern Ireland and Chad."
    mentions = find_countries(text)
    assert [m.alpha3 for m in mentions] == ["GBR", "TCD"]
    for m in mentions:
        assert text[m.start : m.end] == m.text


def test_booklet_sentences() -> None:
    # booklet line 1153: "The IOM office in Moldova, collaborating with Columbia University's ..."
    assert country_codes(
        "The IOM office in Moldova, collaborating with Columbia University's School"
    ) == ["MDA"]
    # booklet line 977: "The city of Gwangju, South Korea has focused on ..."
    assert country_codes("The city of Gwangju, South Korea has focused") == ["KOR"]
    # booklet line 1307: "Austria-Turkey, Germany-Turkey, Belgium-Morocco, and France-Morocco"
    assert country_codes("Austria-Turkey, Germany-Turkey, Belgium-Morocco, and France-Morocco") == [
        "AUT",
        "BEL",
        "DEU",
        "FRA",
        "MAR",
        "TUR",
    ]
    # booklet line 1038: "(Quito, Mexico City, Medellín and Montevideo)": cities, no country
    assert country_codes("(Quito, Mexico City, Medellín and Montevideo)") == []


def test_table_is_unambiguous_and_covers_every_iso_country() -> None:
    table = name_table()  # raises if one name maps to two codes
    covered = {alpha3 for alpha3, _ in table.values() if alpha3}
    assert covered == {c.alpha_3 for c in pycountry.countries}


def test_lookup_and_name() -> None:
    assert lookup("Viet Nam") == "VNM"
    assert lookup("Mexico City") is None
    assert lookup("Atlantis") is None
    assert country_name("KOR") == "South Korea"
    assert country_name("mex") == "Mexico"
    with pytest.raises(KeyError):
        country_name("XKX")


def test_resolution_names_only_morocco() -> None:
    # resolution lines 22 and 31: "the people of Morocco", "meeting in Morocco"; no other state
    text = load_manifest()["resolution"].read_text()
    assert country_codes(text) == ["MAR"]


# -- properties ---------------------------------------------------------------------------------

ISO_NAMES = sorted(
    {c.name for c in pycountry.countries if "," not in c.name}
    | {c.common_name for c in pycountry.countries if hasattr(c, "common_name")}
)
# Lower-case filler cannot form a (case-sensitive) country name or a blocking phrase.
filler = st.text(alphabet="abcdefghijklmnopqrstuvwxyz ,;:()\n", max_size=40)


@settings(max_examples=300, deadline=None)
@given(name=st.sampled_from(ISO_NAMES), left=filler, right=filler)
def test_any_iso_name_in_filler_is_found(name: str, left: str, right: str) -> None:
    text = f"{left} {name} {right}"
    mentions = find_countries(text)
    assert [m.alpha3 for m in mentions] == [lookup(name)]
    assert mentions[0].text == name
    assert text[mentions[0].start : mentions[0].end] == name


@settings(max_examples=200, deadline=None)
@given(left=filler, right=filler)
def test_nigeria_never_yields_niger(left: str, right: str) -> None:
    assert codes(f"{left} Nigeria {right}") == ["NGA"]


@settings(max_examples=200, deadline=None)
@given(left=filler, right=filler)
def test_papua_new_guinea_never_yields_guinea(left: str, right: str) -> None:
    assert codes(f"{left} Papua New Guinea {right}") == ["PNG"]


@given(st.text(max_size=60))
def test_normalise_name_is_idempotent(text: str) -> None:
    once = normalise_name(text)
    assert normalise_name(once) == once


@settings(max_examples=200, deadline=None)
@given(name=st.sampled_from(ISO_NAMES), spaces=st.sampled_from([" ", "  ", "\n", " \n "]))
def test_whitespace_inside_a_name_does_not_matter(name: str, spaces: str) -> None:
    wrapped = name.replace(" ", spaces)
    assert codes(wrapped) == [lookup(name)]


# -- currencies are not countries ---------------------------------------------------------------


def test_a_currency_amount_is_not_a_country() -> None:
    # booklet line 403: "the MOU between the Philippines and Japan clearly indicates the
    # recruitment fees that employers must pay: as of 2013, US \$425 as a processing fee, and a
    # US \$25 contribution to the Worker's Welfare Fund."
    text = load_manifest()["booklet"].lines()[402]
    assert "US \\$425" in text
    assert country_codes(text) == ["JPN", "PHL"]
    assert codes("as of 2013, US $425 as a processing fee, and a US $25 contribution") == []
    assert codes("US$25, U.S. $30, USD 3 and 40 US dollars") == []
    assert codes("in Hong Kong dollars") == []
    # the state itself is still found next to money
    assert codes("the US paid $425") == ["USA"]
    assert codes("the Mexico-US border") == ["MEX", "USA"]


CURRENCY_FORMS = st.sampled_from(
    ["{name} ${amount}", "{name}${amount}", "{name} \\${amount}", "{amount} {name} dollars",
     "{name} dollar", "{name} €{amount}", "{name} £{amount}"]
)  # fmt: skip
EVERY_NAME = sorted(name for name, (alpha3, _) in name_table().items() if alpha3)


@settings(max_examples=400, deadline=None)
@given(
    name=st.sampled_from(EVERY_NAME),
    form=CURRENCY_FORMS,
    amount=st.integers(min_value=0, max_value=10**6),
    left=filler,
)
def test_no_name_before_a_currency_is_a_country(name, form, amount, left) -> None:
    text = f"{left} " + form.format(name=name, amount=amount)
    assert codes(text) == []
