import pytest

from refconv.dates import complete_date, parse_date
from refconv.model import Date


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
