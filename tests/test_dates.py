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
        # NLM's ranges (MEDLINE DP, PubMed MedlineDate): docs/medline-format.md §4
        pytest.param("2012 Mar-Apr", ((2012, 3), (2012, 4)), id="nlm_months"),
        pytest.param("2011 Dec-2012 Jan", ((2011, 12), (2012, 1)), id="nlm_across_years"),
        pytest.param("2012 Mar-2013 Apr", ((2012, 3), (2013, 4)), id="nlm_year_and_a_month"),
        pytest.param("2012 Jan 5-12", ((2012, 1, 5), (2012, 1, 12)), id="nlm_days"),
        pytest.param("2012 Mar 15-Apr 2", ((2012, 3, 15), (2012, 4, 2)), id="nlm_days_months"),
        pytest.param("1998 Dec 28-1999 Jan 3", ((1998, 12, 28), (1999, 1, 3)), id="nlm_days_years"),
        pytest.param("2012 Sept-Oct", ((2012, 9), (2012, 10)), id="nlm_sept"),
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


@pytest.mark.parametrize(
    ("text", "parts", "leftover"),
    [
        pytest.param("2012 Apr-Mar", ((2012, 4),), "march", id="end_before_start"),
        pytest.param("2012 Mar-2013", ((2012, 3),), "2013", id="year_alone_after_the_dash"),
        pytest.param("2012 Mar 15-Apr", ((2012, 3), (2012, 4)), "15", id="day_on_one_side"),
        pytest.param("2012 Summer-Fall", ((2012,),), "Fall", id="season_range"),
    ],
)
def test_nlm_ranges_that_are_none_keep_their_text(text, parts, leftover):
    """What no NLM range is reads as before: its start, and the rest left over (kept)."""
    parsed = parse_date(text)
    assert (parsed.date.parts, parsed.leftover) == (parts, leftover)


def test_an_nlm_range_with_a_day_out_of_its_month_is_literal():
    parsed = parse_date("2012 Feb 28-30")
    assert parsed.kind == "literal"
    assert parsed.problem == "day 30 is not in month 2 of 2012"


def test_a_partial_date_of_two_months_keeps_the_second_as_text():
    """ "Jan-Feb" has no year to make a range of: January, and "Feb" left over (the reader
    keeps the value with a warning; it was dropped unsaid)."""
    parsed = parse_date("Jan-Feb")
    assert (parsed.kind, parsed.month, parsed.leftover) == ("partial", 1, "february")
