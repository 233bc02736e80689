"""Organisations without EndNote's trailing comma are literals, people with particles stay
people (issue 15 item 3: ``%A Intergovernmental Panel on Climate Change``)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from refconv.model import Name
from refconv.values.names import format_inverted, is_corporate, parse_name, reads_back
from refconv.values.vocabulary import (
    CORPORATE_ENDINGS,
    CORPORATE_WORDS,
    NAME_PARTICLES,
    ORGANISATION_JOINERS,
)

N = Name


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Intergovernmental Panel on Climate Change", id="ipcc"),
        pytest.param("Centers for Disease Control and Prevention", id="cdc"),
        pytest.param("Bundesministerium für Gesundheit", id="bmg_fuer"),
        pytest.param("Bundesministerium des Innern", id="german_compound_ending"),
        pytest.param("Statistisches Bundesamt", id="bundesamt"),
        pytest.param("Robert Koch-Institut", id="hyphenated_institut"),
        pytest.param("Instituto Nacional de Estadística", id="ine_particle_and_noun"),
        pytest.param("Istituto Superiore di Sanità", id="iss"),
        pytest.param("Ministère de la Santé", id="french_ministry"),
        pytest.param("Banco de España", id="banco"),
        pytest.param("Food and Agriculture Organization of the United Nations", id="fao"),
        pytest.param("Royal Society of Chemistry", id="rsc"),
        pytest.param("Procter and Gamble", id="procter_and_gamble"),
        pytest.param("Procter & Gamble", id="ampersand"),
        pytest.param("Friends of the Earth", id="friends_of_the_earth"),
        pytest.param("Campaign to Protect Rural England", id="to"),
        pytest.param("Médecins pour la Santé", id="pour"),
        pytest.param("Stichting voor Onderzoek", id="voor"),
        pytest.param("Myndigheten för Samhällsskydd och Beredskap", id="swedish"),
        pytest.param("United Nations", id="united_nations"),
        pytest.param("World Bank", id="world_bank"),
        pytest.param("Universidad Nacional Autónoma de México", id="unam"),
        pytest.param("Fundación para la Salud", id="para"),
        pytest.param("World Health Organization", id="noun_existing"),
        # epithets have no family name either: kept whole, and sorted as written
        pytest.param("Hildegard of Bingen", id="epithet_of"),
        pytest.param("Alfred the Great", id="epithet_the"),
    ],
)
def test_organisation_is_a_literal(text: str) -> None:
    assert is_corporate(text)
    assert parse_name(text) == (N(literal=text), "")
    assert reads_back(N(literal=text))  # written with EndNote's trailing comma, read back whole


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Ludwig van Beethoven", N("Beethoven", "Ludwig", "van"), id="van"),
        pytest.param("Charles de Gaulle", N("Gaulle", "Charles", "de"), id="de"),
        pytest.param("Maria de la Cruz", N("Cruz", "Maria", "de la"), id="de_la"),
        pytest.param("Vincent van Gogh", N("Gogh", "Vincent", "van"), id="van_gogh"),
        pytest.param("Oscar de la Hoya", N("Hoya", "Oscar", "de la"), id="de_la_hoya"),
        pytest.param("Ursula von der Leyen", N("Leyen", "Ursula", "von der"), id="von_der"),
        pytest.param("Leonardo da Vinci", N("Vinci", "Leonardo", "da"), id="da"),
        pytest.param("Abu Bakr al-Baghdadi", N("al-Baghdadi", "Abu Bakr"), id="al_hyphen"),
        pytest.param("Maria das Dores", N("Dores", "Maria", "das"), id="das"),
        pytest.param("Ibn al Haytham", N("Haytham", "Ibn", "al"), id="al"),
        pytest.param("Anna Berglund", N("Berglund", "Anna"), id="plain"),
        pytest.param("Martin Luther King Jr.", N("King", "Martin Luther", suffix="Jr."), id="jr"),
        # the same words capitalised are names, not joiners
        pytest.param("Anna For", N("For", "Anna"), id="capital_for"),
        pytest.param("Kim To Nguyen", N("Nguyen", "Kim To"), id="capital_to"),
    ],
)
def test_person_with_particles_stays_a_person(text: str, expected: Name) -> None:
    assert not is_corporate(text)
    assert parse_name(text) == (expected, "")


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("José Ortega y Gasset", id="y"),
        pytest.param("Josquin des Prez", id="des"),
        pytest.param("José María de la Cruz Ramírez", id="two_particles_two_surnames"),
        pytest.param("Sophie in 't Veld", id="in"),
        pytest.param("Smith and", id="and_at_an_end"),
    ],
)
def test_particle_words_never_make_an_organisation(text: str) -> None:
    """How these split into given and family is parse_name's business (a Spanish double
    surname is not found); they are people, not literals."""
    assert not is_corporate(text)
    name = parse_name(text)[0]
    assert name is not None and not name.literal


def test_comma_forms_are_not_decided_by_is_corporate() -> None:
    """A comma reads as "Family, Given" whatever the words: EndNote marks an organisation
    with a trailing comma, so "Panel on Climate, Intergovernmental" is a (strange) person."""
    assert parse_name("Bingen, Hildegard of") == (N("Bingen", "Hildegard of"), "")


def test_joiners_and_particles_are_disjoint() -> None:
    """A particle of people's names ("de", "y") never makes an organisation on its own."""
    assert not ORGANISATION_JOINERS & NAME_PARTICLES


_WORD = st.from_regex(r"[A-Z][a-zäöüéíóñç]{1,9}", fullmatch=True).filter(
    lambda w: w.lower() not in CORPORATE_WORDS and not w.lower().endswith(CORPORATE_ENDINGS)
)


@given(
    before=st.lists(_WORD, min_size=1, max_size=3),
    joiner=st.sampled_from(sorted(ORGANISATION_JOINERS)),
    after=st.lists(_WORD, min_size=1, max_size=3),
)
def test_words_joined_by_a_joiner_are_an_organisation(
    before: list[str], joiner: str, after: list[str]
) -> None:
    text = " ".join([*before, joiner, *after])
    assert parse_name(text) == (N(literal=text), "")
    assert parse_name(format_inverted(N(literal=text)))[0] == N(literal=text)


@given(
    given_words=st.lists(_WORD, min_size=1, max_size=3),
    particle=st.sampled_from(sorted(NAME_PARTICLES - {"st."})),
    family=_WORD,
)
def test_a_particle_alone_never_makes_an_organisation(
    given_words: list[str], particle: str, family: str
) -> None:
    text = " ".join([*given_words, particle, family])
    assert not is_corporate(text)
    name = parse_name(text)[0]
    assert name is not None and name.family == family and not name.literal
