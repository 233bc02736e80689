import pytest

from refconv.model import Name
from refconv.values.names import parse_name

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
