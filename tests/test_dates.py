import pytest

from refconv.model import Date
from refconv.values.dates import complete_date, parse_date

from .conftest import read_refer


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        pytest.param("2012", ((2012,),), id="year"),
        pytest.param("2012/03/15", ((2012, 3, 15),), id="ris_slashes"),
        pytest.param("2012/03/15/", ((2012, 3, 15),), id="ris_trailing_slash"),
        pytest.param("2017/04/07/online", ((2017, 4, 7),), id="ris_other_part"),
        pytest.param("2012-03-15", ((2012, 3, 15),), id="iso"),
        pytest.param("2012-03", ((2012, 3),), id="iso_month"),
        pytest.param("20151028", ((2015, 10, 28),), id="compact"),
        pytest.param("March 2012", ((2012, 3),), id="month_year"),
        pytest.param("2012 Mar 15", ((2012, 3, 15),), id="pubmed"),
        pytest.param("March 15, 2012", ((2012, 3, 15),), id="us"),
        pytest.param("15 Sept. 2012", ((2012, 9, 15),), id="sept"),
        pytest.param("1996-2004", ((1996,), (2004,)), id="range"),
        pytest.param("1814/1995", ((1814,), (1995,)), id="two_years"),
        pytest.param("1996-98", ((1996,), (1998,)), id="short_range"),
        pytest.param("2012-13", ((2012,), (2013,)), id="not_a_month"),
        pytest.param("Jan-Feb 2012", ((2012, 1), (2012, 2)), id="month_range"),
    ],
)
def test_parse_date(text, parts):
    parsed = parse_date(text)
    assert parsed.kind == "date"
    assert parsed.date.parts == parts


def test_season_and_circa():
    assert parse_date("Spring 2012").date == Date(((2012,),), season=1)
    assert parse_date("ca. 1850").date == Date(((1850,),), circa=True)


@pytest.mark.parametrize("text", ["in press", "In Press", "forthcoming", "submitted"])
def test_status_words(text):
    parsed = parse_date(text)
    assert (parsed.kind, parsed.status) == ("status", text)


@pytest.mark.parametrize("text", ["n.d.", "nd", "unknown", "", "  "])
def test_no_date(text):
    assert parse_date(text).kind == "none"


def test_unparseable_is_literal():
    parsed = parse_date("the year of the flood")
    assert parsed.kind == "literal"
    assert parsed.date == Date(literal="the year of the flood")


@pytest.mark.parametrize(
    ("base", "refine", "expected"),
    [
        pytest.param("2019", "2019-08-12", ((2019, 8, 12),), id="full_refines_year"),
        pytest.param("2012", "Mar 15", ((2012, 3, 15),), id="partial_takes_year"),
        pytest.param("2012-03-15", "2012", ((2012, 3, 15),), id="less_detail_ignored"),
    ],
)
def test_complete_date(base, refine, expected):
    assert complete_date(parse_date(base).date, parse_date(refine)).parts == expected


def test_disagreeing_years_do_not_merge():
    assert complete_date(parse_date("2019").date, parse_date("2020-01-01")) is None


@pytest.mark.parametrize(
    ("text", "parts", "leftover"),
    [
        ("1987", ((1987,),), ""),
        ("15th of March 2012", ((2012, 3, 15),), ""),
        ("Accessed June 2, 2023", ((2023, 6, 2),), ""),
        ("1987a", ((1987,),), "a"),
        ("2001 (reprint 2003)", ((2001,), (2003,)), "reprint"),
        ("2001 2003 2005", ((2001,),), "2003 2005"),
        ("zq348word", ((348,),), "zq word"),
        ("March 2012 12345", ((2012, 3),), "12345"),
    ],
)
def test_words_a_date_does_not_use_are_reported(text, parts, leftover):
    parsed = parse_date(text)
    assert (parsed.date.parts, parsed.leftover) == (parts, leftover)


def test_the_refer_reader_keeps_a_date_with_leftover_words():
    records, warnings = read_refer("%0 Book\n%T T\n%D 1987a\n")
    assert records[0].dates["issued"].parts == ((1987,),)
    assert records[0].extra == {"%D": ["1987a"]}
    assert warnings == ["t.enw:3: %D '1987a': 'a' is not part of a date; kept in custom"]
