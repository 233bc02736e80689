import pytest
from hypothesis import given
from hypothesis import strategies as st

from refconv.model import Name
from refconv.values.names import (
    _spell_initials,
    _split_particle,
    format_inverted,
    is_et_al,
    parse_name,
    reads_back,
)
from refconv.values.vocabulary import ET_AL_MARKERS, NAME_PARTICLES

N = Name


@pytest.mark.parametrize(
    ("text", "natural", "expected"),
    [
        pytest.param("J. A. Jones", True, N("Jones", "J. A."), id="classic_initials_first"),
        pytest.param(
            "John Smith, Jr.", True, N("Smith", "John", suffix="Jr."), id="classic_suffix"
        ),
        pytest.param("Smith, John", False, N("Smith", "John"), id="endnote_inverted"),
        pytest.param("van der Berg, Jan", False, N("Berg", "Jan", "van der"), id="particle"),
        pytest.param("Jan van der Berg", False, N("Berg", "Jan", "van der"), id="particle_natural"),
        pytest.param("de la Fuente, Ana", False, N("Fuente", "Ana", "de la"), id="de_la"),
        pytest.param(
            "Della Porta, Donatella",
            False,
            N("Della Porta", "Donatella"),
            id="capitalised_compound",
        ),
        pytest.param("Peyton Jones, Simon", False, N("Peyton Jones", "Simon"), id="peyton_jones"),
        pytest.param(
            "King, Jr., Martin Luther",
            False,
            N("King", "Martin Luther", suffix="Jr."),
            id="bibtex_suffix_order",
        ),
        pytest.param("Smith, John, III", False, N("Smith", "John", suffix="III"), id="ris_suffix"),
        pytest.param(
            "Martin Luther King Jr.",
            False,
            N("King", "Martin Luther", suffix="Jr."),
            id="natural_suffix_no_comma",
        ),
        pytest.param("余敏", False, N(literal="余敏"), id="cjk_whole"),
        pytest.param("欧阳 修", False, N(literal="欧阳 修"), id="cjk_with_space"),
        pytest.param(
            "Acme Corporation,", False, N(literal="Acme Corporation"), id="trailing_comma_corporate"
        ),
        pytest.param(
            "World Health Organization",
            False,
            N(literal="World Health Organization"),
            id="corporate_word",
        ),
        pytest.param(
            "U. S. Centers for Disease Control,,National Center for Health Statistics",
            False,
            N(literal="U. S. Centers for Disease Control, National Center for Health Statistics"),
            id="double_comma_literal",
        ),
        pytest.param("Nahta R", False, N("Nahta", "R."), id="pubmed_initials"),
        pytest.param(
            "Mooers, Blaine HM", False, N("Mooers", "Blaine H. M."), id="initials_spelled"
        ),
        pytest.param("Fisher, J.O.", False, N("Fisher", "J.O."), id="dotted_initials_kept"),
        pytest.param("Plato", False, N("Plato"), id="single_name"),
        pytest.param("Smith, Jr.", False, N("Smith", suffix="Jr."), id="family_and_suffix"),
        pytest.param("Nabokov, V", False, N("Nabokov", "V"), id="initial_v_is_not_a_suffix"),
        pytest.param("Aa, Iv", False, N("Aa", "Iv"), id="given_iv_is_not_a_suffix"),
        pytest.param("Rita  Nahta", False, N("Nahta", "Rita"), id="double_space"),
        # a lower-case particle at the END of the given part is CSL's dropping particle
        pytest.param(
            "Gaulle, Charles de",
            False,
            N("Gaulle", "Charles", dropping_particle="de"),
            id="dropping_particle",
        ),
        pytest.param(
            "Gaulle, Charles de, Jr.",
            False,
            N("Gaulle", "Charles", dropping_particle="de", suffix="Jr."),
            id="dropping_particle_suffix",
        ),
        pytest.param(
            "Poussin, Charles de la Vallée",
            False,
            N("Poussin", "Charles de la Vallée"),
            id="particle_inside_given_stays",
        ),
        pytest.param(
            "Carmen, Maria del Carmen",
            False,
            N("Carmen", "Maria del Carmen"),
            id="maria_del_carmen",
        ),
        pytest.param("van Gogh", False, N("Gogh", particle="van"), id="family_and_particle"),
        pytest.param(", Plato", False, N(given="Plato"), id="given_only"),
        pytest.param(", Jr.", False, N(given="Jr."), id="given_only_suffix_word"),
        pytest.param("余, 敏", False, N("余", "敏"), id="cjk_family_given"),
        pytest.param(
            "Qqorg, Inc.,", False, N(literal="Qqorg, Inc."), id="trailing_comma_with_comma"
        ),
    ],
)
def test_parse_name(text, natural, expected):
    name, problem = parse_name(text, natural_order=natural)
    assert name == expected
    assert problem == ""


@pytest.mark.parametrize("text", ["et al.", "et al", "and others", " Et Al. "])
def test_et_al_is_not_a_person(text):
    assert parse_name(text) == (None, "")


def test_classic_comma_without_suffix_is_read_inverted_with_a_problem():
    name, problem = parse_name("Newman, W. H.", natural_order=True)
    assert name == N("Newman", "W. H.")
    assert "no known suffix" in problem


def test_many_commas_kept_whole_with_a_problem():
    name, problem = parse_name("A. X. Last, N. B. Next, C. D. Third")
    assert name == N(literal="A. X. Last, N. B. Next, C. D. Third")
    assert "several commas" in problem


_WORD = st.sampled_from(["Smith", "Jones", "Müller", "O'Brien", "Nguyen", "Ana", "Li"])
_GIVEN = st.lists(
    st.sampled_from(["John", "J.", "Maria", "del", "Carmen", "Jean-Paul"]), max_size=3
)
_PARTICLE = st.sampled_from(["", "van", "van der", "de la", "von"])
_DROPPING = st.sampled_from(["", "de", "van", "von"])
_SUFFIX = st.sampled_from(["", "Jr.", "III"])
_CJK_PART = st.sampled_from(["余", "欧阳", "山田", "김"])
_LITERAL = st.sampled_from(
    ["Qqorg, Inc.", "World Health Organization", "Acme", "北京大学", "A, B, C"]
)


def _person(family: str, given: list[str], particle: str, dropping: str, suffix: str) -> Name:
    text = " ".join(given)
    if text.split()[-1:] and text.split()[-1] in NAME_PARTICLES:
        text += " X."  # a given name ending in a particle word is a dropping particle
    return N(
        family, text, particle, dropping, suffix if (family and (text or not dropping)) else ""
    )


_NAMES = st.one_of(
    st.builds(_person, _WORD, _GIVEN.filter(bool), _PARTICLE, _DROPPING, _SUFFIX),
    st.builds(_person, _WORD, st.just([]), _PARTICLE, st.just(""), _SUFFIX),
    st.builds(lambda g: N(given=g), st.sampled_from(["Plato", "Jan Maria"])),
    st.builds(lambda f, g: N(f, g), _CJK_PART, _CJK_PART),
    st.builds(lambda lit: N(literal=lit), _LITERAL),
)


@given(_NAMES)
def test_every_written_name_reads_back_equal(person: Name) -> None:
    """parse_name(format_inverted(n)) == n: what the RIS, Refer and note writers write for
    a name is the name refconv reads back (a fixed point through every format)."""
    assert parse_name(format_inverted(person))[0] == person
    assert reads_back(person)


@pytest.mark.parametrize(
    "person",
    [
        N("Della Porta"),
        N(given="Plato", suffix="Jr."),
        N("Smith, Jr", "Ann"),
        N("Doe", "J.", dropping_particle="Van"),  # reads back as given "J. Van"
        N("Fontaine", "Jean de", dropping_particle="la"),  # given "Jean", particle "de la"
        N("Gaulle", "Charles", dropping_particle="De la"),
    ],
    ids=[
        "multiword_family_only",
        "given_and_suffix_only",
        "comma_in_family",
        "capitalised_dropping_particle",
        "given_particle_beside_dropping_particle",
        "dropping_particle_partly_capitalised",
    ],
)
def test_names_the_inverted_form_cannot_express_are_told(person: Name) -> None:
    """Writers keep these in the note (``reads_back`` is False), never silently changed."""
    assert not reads_back(person)


@pytest.mark.parametrize(
    "person",
    [N("Mooers", "Blaine HM"), N("Aa", "Maria del"), N("Smith", "Ann\nB.")],
    ids=["initials_spelled", "given_ends_in_particle", "line_break"],
)
def test_what_parse_name_normalises_counts_as_the_same_name(person: Name) -> None:
    """The second pass writes the normalised name again: a fixed point, nothing kept."""
    assert reads_back(person)
    once = parse_name(format_inverted(person))[0]
    assert once is not None and parse_name(format_inverted(once))[0] == once


@given(person=st.builds(
    Name,
    family=st.sampled_from(["Fontaine", "Doe", "Della Porta", ""]),
    given=st.sampled_from(["", "J.", "Jean de", "Maria del", "Ann HM", "Ann\nB."]),
    particle=st.sampled_from(["", "van", "de la"]),
    dropping_particle=st.sampled_from(["", "de", "la", "Van", "de La", "von der"]),
    suffix=st.sampled_from(["", "Jr."]),
))  # fmt: skip
def test_reads_back_never_accepts_a_changed_part(person: Name) -> None:
    """``reads_back`` True: the name read back has every part the name had, only white space
    and "HM" respelled, and an empty dropping particle at most filled from the given name."""
    back = parse_name(format_inverted(person))[0]
    if not reads_back(person):
        return
    assert back is not None
    for part in ("family", "particle", "suffix", "literal"):
        assert getattr(back, part) == " ".join(getattr(person, part).split())
    if person.dropping_particle:
        assert back.dropping_particle == person.dropping_particle
    spelled = person.given.replace("HM", "H. M.")
    assert f"{back.given} {back.dropping_particle}".split() == (
        f"{spelled} {person.dropping_particle}".split()
    )


# The fast paths of issue 18 against the plain definitions they shortcut.
_MARKER_TEXT = st.one_of(
    st.sampled_from(sorted(ET_AL_MARKERS)).map(str.upper),
    st.sampled_from(sorted(ET_AL_MARKERS)),
    st.text(max_size=20),
)
_PAD = st.text(alphabet=", \t\n\u00a0\u2003\u3000\x1c\x85", max_size=3)


@given(_PAD, _MARKER_TEXT, _PAD)
def test_is_et_al_fast_path_agrees_with_definition(before: str, core: str, after: str) -> None:
    text = before + core + after
    assert is_et_al(text) == (text.strip().strip(",").strip().lower() in ET_AL_MARKERS)


_WORDS = st.lists(
    st.one_of(
        st.sampled_from(sorted(NAME_PARTICLES)),
        st.from_regex(r"[A-Z][a-z]{0,5}|[A-Z]{1,4}", fullmatch=True),
    ),
    min_size=1,
    max_size=4,
).map(" ".join)


@given(_WORDS)
def test_name_part_fast_paths_agree_with_token_rules(text: str) -> None:
    tokens = text.split()
    n = 0
    while n < len(tokens) - 1 and tokens[n].lower() in NAME_PARTICLES and tokens[n].islower():
        n += 1
    assert _split_particle(text) == (" ".join(tokens[:n]), " ".join(tokens[n:]))
    spelled = [
        " ".join(f"{c}." for c in t) if 2 <= len(t) <= 3 and t.isupper() else t for t in tokens
    ]
    assert _spell_initials(text) == " ".join(spelled)
