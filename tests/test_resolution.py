"""Golden facts of A/RES/73/195, read from the document (sources/un-ga-resolution-...txt) by eye.

Line numbers in comments refer to that file.
"""

from __future__ import annotations

import pytest

from gcm_graph.extract.resolution import parse_resolution
from gcm_graph.sources import load_verified


@pytest.fixture(scope="module")
def resolution():
    return parse_resolution(load_verified()["resolution"])


# Paragraph 16's list (lines 138-161), typed from the document.
LISTED_TITLES = {
    1: "Collect and utilize accurate and disaggregated data as a basis for evidence-based policies",
    2: "Minimize the adverse drivers and structural factors that compel people to leave their country of origin",
    3: "Provide accurate and timely information at all stages of migration",
    7: "Address and reduce vulnerabilities in migration",
    11: "Manage borders in an integrated, secure and coordinated manner",
    12: "Strengthen certainty and predictability in migration procedures for appropriate screening, assessment and referral",
    13: "Use migration detention only as a measure of last resort and work towards alternatives",
    17: "Eliminate all forms of discrimination and promote evidence-based public discourse to shape perceptions of migration",
    20: "Promote faster, safer and cheaper transfer of remittances and foster financial inclusion of migrants",
    23: "Strengthen international cooperation and global partnerships for safe, orderly and regular migration",
}

# The last action letter of each objective, read from the lettered items of each section.
LAST_LETTER = [
    "k",
    "l",
    "e",
    "g",
    "j",
    "l",
    "l",
    "f",
    "f",
    "j",
    "g",
    "e",
    "h",
    "f",
    "f",
    "i",
    "g",
    "l",
    "j",
    "i",
    "i",
    "c",
    "e",
]


def test_twenty_three_objectives_with_listed_titles(resolution):
    assert [o.number for o in resolution.objectives] == list(range(1, 24))
    for number, title in LISTED_TITLES.items():
        assert resolution.objective(number).title == title


def test_commitment_paragraphs_follow_the_objectives(resolution):
    # "17. We commit to strengthen the global evidence base" (line 167) ... "39." (line 570)
    assert [o.commitment_paragraph for o in resolution.objectives] == list(range(17, 40))
    assert resolution.objective(1).commitment_text.startswith(
        "We commit to strengthen the global evidence base on international migration"
    )
    assert resolution.objective(23).commitment_text.startswith(
        "We commit to support each other in the realization of the objectives"
    )


def test_letters_per_objective_and_the_total_of_187(resolution):
    for objective, last in zip(resolution.objectives, LAST_LETTER, strict=True):
        letters = [a.letter for a in objective.actions]
        assert letters == [chr(c) for c in range(ord("a"), ord(last) + 1)], objective.number
    assert len(resolution.actions) == 187


def test_objective_13_keeps_its_body_heading_variant(resolution):
    # line 393: "### Objective 13: Use immigration detention only as a measure ..."
    o13 = resolution.objective(13)
    assert o13.title.startswith("Use migration detention")
    assert o13.heading.startswith("Use immigration detention")


def test_action_split_by_a_page_header_is_rejoined(resolution):
    # Objective 20 (d), lines 525 and 529, with the header "18-22354 **29/36**" between them.
    assert resolution.objective(20).actions[3].text == (
        "Establish conducive policy and regulatory frameworks that promote a competitive and "
        "innovative remittance market, remove unwarranted obstacles to non-bank remittance "
        "service providers in accessing payment system infrastructure, apply tax exemptions or "
        "incentives to remittance transfers, promote market access to diverse service providers, "
        "incentivize the private sector to expand remittance services, and enhance the security "
        "and predictability of low-value transactions by bearing in mind de-risking concerns, and "
        "developing a methodology to distinguish remittances from illicit flows, in consultation "
        "with remittance service providers and financial regulators;"
    )


def test_action_after_a_footnote_block_and_without_a_dash(resolution):
    # Objective 10 (j), line 363, printed after the page header and footnote 22 without "- ".
    assert resolution.objective(10).actions[9].text == (
        "Invest in awareness-raising campaigns, in partnership with relevant stakeholders, for "
        "migrants and prospective migrants on the risks and dangers of trafficking in persons, and "
        "provide them with information on preventing and reporting trafficking activities."
    )
    # Objective 7 (c) is followed by footnote 21 (line 301), which must not leak into it.
    assert resolution.objective(7).actions[2].text.endswith("abuse and exploitation;")


def test_first_action_and_the_page_split_in_objective_1(resolution):
    # Objective 1 (b), lines 172 and 176, split by "18-22354 7/36".
    text = resolution.objective(1).actions[1].text
    assert "a set of standards to measure migrant stocks and flows" in text
    assert text.endswith("as well as drivers and impacts of migration;")
    assert (
        resolution.objective(1)
        .actions[0]
        .text.startswith(
            "Elaborate and implement a comprehensive strategy for improving migration data"
        )
    )


def test_sub_heading_inside_an_objective_is_not_text(resolution):
    # Line 206: "## Natural disasters, the adverse effects of climate change, ..." in Objective 2.
    o2 = resolution.objective(2)
    assert len(o2.actions) == 12
    assert all("Natural disasters, the adverse effects" not in a.text for a in o2.actions)
    assert o2.actions[6].text.endswith("(Migrants in Countries in Crisis Initiative Guidelines);")
    assert o2.actions[7].text.startswith("Strengthen joint analysis and sharing of information")


def test_no_page_furniture_or_markers_in_any_text(resolution):
    texts = [a.text for a in resolution.actions] + [
        o.commitment_text for o in resolution.objectives
    ]
    texts += [p.text for p in resolution.paragraphs] + [p.text for p in resolution.principles]
    for text in texts:
        assert "22354" not in text and "/36" not in text
        assert "<sup>" not in text and "**" not in text and "#" not in text


def test_ten_guiding_principles(resolution):
    # Paragraph 15, lines 116-130.
    names = [p.name for p in resolution.principles]
    assert names == [
        "People-centred",
        "International cooperation",
        "National sovereignty",
        "Rule of law and due process",
        "Sustainable development",
        "Human rights",
        "Gender-responsive",
        "Child-sensitive",
        "Whole-of-government approach",
        "Whole-of-society approach",
    ]
    gender = resolution.principles[6]
    # (g) is split by the page footer "18-22354 5/36" (lines 122-126).
    assert gender.text.endswith(
        "in order to move away from addressing migrant women primarily through a lens of victimhood;"
    )


def test_preamble_instruments_with_their_footnotes(resolution):
    by_name = {i.name: i for i in resolution.instruments}
    assert by_name["Universal Declaration of Human Rights"].footnote == 2
    assert by_name["Universal Declaration of Human Rights"].citation == "Resolution 217 A (III)."
    # The Smuggling Protocol's marker is lost in the extraction: footnote 7 by sequence.
    smuggling = by_name["Protocol against the Smuggling of Migrants by Land, Sea and Air"]
    assert smuggling.footnote == 7 and smuggling.citation == "Ibid., vol. 2241, No. 39574."
    # "Slavery; 9 the United Nations Framework ..." : marker after the semicolon.
    assert (
        by_name[
            "Supplementary Convention on the Abolition of Slavery, the Slave Trade, and Institutions "
            "and Practices Similar to Slavery"
        ].footnote
        == 9
    )
    assert by_name["New Urban Agenda"].citation == "Resolution 71/256, annex."
    # Footnote 4 names the seven other core treaties; footnote 13 the four ILO conventions.
    assert sum(1 for i in resolution.instruments if i.footnote == 4 and i.group) == 7
    assert by_name["Domestic Workers Convention"].citation == "ILO Convention No. 189, 2011"
    assert "Charter of the United Nations" in by_name


def test_implementation_and_follow_up_paragraphs(resolution):
    numbers = [p.number for p in resolution.paragraphs if p.number >= 40]
    assert numbers == list(range(40, 55))
    by_number = {p.number: p for p in resolution.paragraphs}
    assert by_number[40].section == "Implementation"
    assert by_number[48].section == "Follow-up and review"
    # Paragraph 2 lost its number in the extraction (line 42 starts "- It also rests on").
    assert by_number[2].text.startswith("It also rests on the Universal Declaration")
    # Paragraph 53 continues after the page footer (line 630).
    assert by_number[53].text.endswith(
        "International Migration Review Forum and other relevant forums."
    )


def test_mechanisms_and_their_paragraphs(resolution):
    paragraphs = {m.slug: m.paragraph for m in resolution.mechanisms}
    assert paragraphs == {
        "capacity-building-mechanism": 43,
        "connection-hub": 43,
        "start-up-fund": 43,
        "global-knowledge-platform": 43,
        "united-nations-network-on-migration": 45,
        "international-migration-review-forum": 49,
        "regional-reviews": 50,
    }
    parts = {m.slug for m in resolution.mechanisms if m.part_of == "capacity-building-mechanism"}
    assert parts == {"connection-hub", "start-up-fund", "global-knowledge-platform"}
