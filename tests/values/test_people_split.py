"""split_people: one EndNote %A / RIS AU value that holds several people (issue 15 item 3)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from refconv.model import Name
from refconv.values.names import is_corporate, is_et_al, is_suffix, parse_name, split_people
from refconv.values.vocabulary import CORPORATE_ENDINGS, CORPORATE_WORDS

N = Name


@pytest.mark.parametrize(
    ("text", "people"),
    [
        pytest.param(
            "Sanchez-Robledo, Pablo J.; Moreno, Lucia; Okoye, Chidi",
            ["Sanchez-Robledo, Pablo J.", "Moreno, Lucia", "Okoye, Chidi"],
            id="semicolons",
        ),
        pytest.param("Smith, J.;Jones, K.;", ["Smith, J.", "Jones, K."], id="semicolons_tight"),
        pytest.param(
            "Anna Berglund, Kofi Mensah, Lena Vogt",
            ["Anna Berglund", "Kofi Mensah", "Lena Vogt"],
            id="natural_commas",
        ),
        pytest.param(
            "Ludwig van Beethoven, Leonardo da Vinci, Ursula von der Leyen",
            ["Ludwig van Beethoven", "Leonardo da Vinci", "Ursula von der Leyen"],
            id="natural_commas_particles",
        ),
        pytest.param(
            "Martin Luther King, Jr., Kofi Mensah, Lena Vogt",
            ["Martin Luther King, Jr.", "Kofi Mensah", "Lena Vogt"],
            id="natural_commas_suffix",
        ),
        pytest.param("J. Smith, K. Jones", ["J. Smith", "K. Jones"], id="natural_two_initials"),
        pytest.param(
            "J. R. R. Tolkien, C. S. Lewis", ["J. R. R. Tolkien", "C. S. Lewis"], id="tolkien_lewis"
        ),
        pytest.param(
            "A. X. Last, N. B. Next, C. D. Third",
            ["A. X. Last", "N. B. Next", "C. D. Third"],
            id="parse_name_several_commas",
        ),
        pytest.param("Anna Berglund and Kofi Mensah", ["Anna Berglund", "Kofi Mensah"], id="and"),
        pytest.param("Anna Berglund & Kofi Mensah", ["Anna Berglund", "Kofi Mensah"], id="amp"),
        pytest.param(
            "Anna Berglund, Kofi Mensah, and Lena Vogt",
            ["Anna Berglund", "Kofi Mensah", "Lena Vogt"],
            id="oxford_and",
        ),
        pytest.param(
            "Anna Berglund, Kofi Mensah and Lena Vogt",
            ["Anna Berglund", "Kofi Mensah", "Lena Vogt"],
            id="list_and",
        ),
        pytest.param("Smith, J. and Jones, K.", ["Smith, J.", "Jones, K."], id="inverted_and"),
        pytest.param(
            "Pérez García, María José and López Ruiz, Ana",
            ["Pérez García, María José", "López Ruiz, Ana"],
            id="inverted_compound_and",
        ),
        pytest.param("Berglund A, Mensah K", ["Berglund A", "Mensah K"], id="pubmed_pairs"),
        pytest.param(
            "Li X, Wang Y, van Gogh V, Mooers BHM",
            ["Li X", "Wang Y", "van Gogh V", "Mooers BHM"],
            id="pubmed_list",
        ),
        pytest.param("Smith, J., Jones, K.", ["Smith, J.", "Jones, K."], id="inverted_pairs"),
        pytest.param(
            "Smith, John, Jr., van der Berg, Anna",
            ["Smith, John, Jr.", "van der Berg, Anna"],
            id="inverted_pairs_suffix_particle",
        ),
        pytest.param("Smith, J., et al.", ["Smith, J.", "et al."], id="et_al_after_inverted"),
        pytest.param("Anna Berglund et al.", ["Anna Berglund", "et al."], id="et_al_natural"),
        pytest.param("Smith J, Jones K, et al", ["Smith J", "Jones K", "et al"], id="et_al_pubmed"),
        pytest.param("Smith, J. and others", ["Smith, J.", "and others"], id="and_others"),
        pytest.param("Anna Berglund et. al.", ["Anna Berglund", "et. al."], id="et_dot_al"),
        pytest.param("Smith, J., Et Al.", ["Smith, J.", "Et Al."], id="et_al_capitalised"),
    ],
)
def test_several_people_are_split(text: str, people: list[str]) -> None:
    assert split_people(text) == people
    for person in people:  # every item is one person or a marker, never a literal of many
        name, problem = parse_name(person)
        assert problem == ""
        assert (name is None) == is_et_al(person)
        assert name is None or (name.family and not name.literal)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Smith, John", id="inverted"),
        pytest.param("Smith, J. R.", id="inverted_initials"),
        pytest.param("King, Jr., Martin Luther", id="bibtex_suffix_order"),
        pytest.param("Smith, John, Jr.", id="ris_suffix"),
        pytest.param("John Smith, Jr.", id="natural_suffix"),
        pytest.param("van der Berg, Anna", id="particle"),
        pytest.param("Gaulle, Charles de", id="dropping_particle"),
        pytest.param("Gaulle, Charles de, Jr.", id="dropping_particle_suffix"),
        pytest.param("Peyton Jones, Simon", id="compound_family"),
        # one person of the same shape as "Anna Berglund, Kofi Mensah": not split
        pytest.param("Pérez García, María José", id="spanish_two_surnames"),
        pytest.param("Anna Berglund, Kofi Mensah", id="two_natural_names_ambiguous"),
        pytest.param("Anna Berglund, Kofi Mensah, Jr.", id="ris_order_with_suffix"),
        pytest.param("Mooers, Blaine HM", id="inverted_pubmed_initials"),
        pytest.param("Nahta R", id="pubmed_one"),
        pytest.param("Sanchez-Robledo, Pablo J.", id="hyphenated"),
        pytest.param("World Health Organization, Geneva,", id="endnote_trailing_comma"),
        pytest.param("Ministry of Health,, Kenya", id="endnote_double_comma"),
        pytest.param("Department of Health, Western Australia", id="organisation_comma"),
        pytest.param("University of Oxford, Department of Zoology", id="organisation_units"),
        pytest.param("余, 敏", id="cjk_inverted"),
        pytest.param("余敏, 王芳, 李娜", id="cjk_list_kept"),
        pytest.param("Procter and Gamble", id="organisation_and"),
        pytest.param("Procter & Gamble", id="organisation_amp"),
        pytest.param("Procter &amp; Gamble", id="html_entity_semicolon"),
        pytest.param("Food and Agriculture Organization of the United Nations", id="fao"),
        pytest.param("Centers for Disease Control and Prevention", id="cdc"),
        pytest.param("Bill and Melinda Gates", id="couple_one_family"),
        pytest.param("Bill Gates and Melinda Gates Foundation", id="and_inside_organisation"),
        pytest.param("Johnson and Johnson", id="johnson_and_johnson"),
        pytest.param("Smith, John and Mary", id="inverted_and_given_only"),
        pytest.param("Plato", id="one_word"),
        pytest.param("et al.", id="et_al_alone"),
        pytest.param("Smith,, Jones", id="empty_part"),
        pytest.param("", id="empty"),
        pytest.param("Anna Etal", id="etal_family_name"),
        pytest.param("Acme, Inc.", id="company_suffix"),
        pytest.param("Google, Microsoft, Amazon", id="single_words"),
        pytest.param("Smith, John, Mary", id="inverted_then_a_given_name"),
        pytest.param("Smith AB, Jr", id="pubmed_with_suffix"),
        pytest.param("Smith; ", id="one_part_and_semicolon"),
    ],
)
def test_one_value_is_not_split(text: str) -> None:
    assert split_people(text) == [text]


def test_split_text_is_normalised_and_the_whole_value_kept_when_not_split() -> None:
    assert split_people("Anna  Berglund;\tKofi\nMensah") == ["Anna Berglund", "Kofi Mensah"]
    assert split_people("Smith,\n  John") == ["Smith,\n  John"]


_NOT_NAME = CORPORATE_WORDS | {"jr", "sr", "esq"}
_WORD = st.from_regex(r"[A-Z][a-zäöüéèíóúñçøłå]{1,9}", fullmatch=True).filter(
    lambda w: w.lower() not in _NOT_NAME and not w.lower().endswith(CORPORATE_ENDINGS)
)
_PARTICLE = st.sampled_from(["", "van", "van der", "de", "de la", "von", "da", "di", "dos", "al"])
_INITIAL = st.sampled_from(["J.", "A. B.", "K.", "M.-L."])
_SUFFIX = st.sampled_from(["", "Jr.", "Sr.", "III"])


@given(
    family=st.lists(_WORD, min_size=1, max_size=2),
    given_words=st.lists(st.one_of(_WORD, _INITIAL), min_size=1, max_size=3),
    particle=_PARTICLE,
    dropping=st.sampled_from(["", "de", "van"]),
    suffix=_SUFFIX,
)
def test_an_inverted_person_is_never_split_nor_an_organisation(
    family: list[str], given_words: list[str], particle: str, dropping: str, suffix: str
) -> None:
    """(a) "Family, Given[, Suffix]" from name words, particles and initials is one person,
    and the same person in natural order is no organisation for ``is_corporate``."""
    family_part = " ".join([particle, *family]).strip()
    given_part = " ".join([*given_words, dropping]).strip()
    text = ", ".join(filter(None, [family_part, given_part, suffix]))
    assert split_people(text) == [text]
    name, problem = parse_name(text)
    assert name is not None and not name.literal and problem == ""
    assert not is_corporate(" ".join([*given_words, family_part]))


_NATURAL = st.builds(
    lambda given_words, particle, family: " ".join([*given_words, particle, family]).split(),
    st.lists(st.one_of(_WORD, _INITIAL), min_size=1, max_size=2),
    _PARTICLE,
    _WORD,
).map(" ".join)


@given(people=st.lists(_NATURAL, min_size=2, max_size=6))
def test_natural_names_joined_by_semicolons_split_back(people: list[str]) -> None:
    """(b) N >= 2 "Given Family" names joined with "; " are those N people."""
    assert split_people("; ".join(people)) == people


@given(people=st.lists(_NATURAL, min_size=3, max_size=6))
def test_three_or_more_natural_names_joined_by_commas_split_back(people: list[str]) -> None:
    """(b) with ", ": from three names up, and with "and" before the last from two."""
    assert split_people(", ".join(people)) == people
    assert split_people(", ".join(people[:-1]) + " and " + people[-1]) == people
    assert split_people(" and ".join(people[:2])) == people[:2]


@given(people=st.lists(_NATURAL, min_size=2, max_size=2), initial=st.sampled_from(["J.", "Ø"]))
def test_two_natural_names_split_when_the_first_cannot_be_a_family_name(
    people: list[str], initial: str
) -> None:
    """Two names and one comma split only when the first holds an initial ("J. Smith, K.
    Jones"): else the value reads as "Family, Given" like "Pérez García, María José"."""
    first = f"{initial} {people[0]}"
    assert split_people(f"{first}, {people[1]}") == [first, people[1]]


@given(
    pairs=st.lists(
        st.tuples(_WORD, st.sampled_from(["A", "BHM", "JR", "K"])), min_size=2, max_size=5
    )
)
def test_pubmed_pairs_split_back(pairs: list[tuple[str, str]]) -> None:
    people = [f"{family} {initials}" for family, initials in pairs]
    assert split_people(", ".join(people)) == people


@given(st.text(st.sampled_from("Ab ,;&.-éJ余\n"), max_size=40))
def test_a_split_keeps_every_piece_of_the_value_in_order(text: str) -> None:
    """Whatever the value, nothing is lost or invented: the items are the (space-normalised)
    value itself or pieces of it in order, none empty."""
    people = split_people(text)
    if people == [text]:
        return
    flat = " ".join(text.split())
    at = 0
    for person in people:
        assert person and person == person.strip()
        found = flat.find(person, at)
        assert found >= 0, (person, flat)
        at = found + len(person)
    assert not is_suffix(people[0])
