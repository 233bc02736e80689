"""Open-ended date ranges ("2018–"), end to end: ``Date.open_end``, what each reader takes for
one and what each writer makes of it (where a format cannot say it, the start in the date
field and the whole date kept, STYLE.md §4b). The formatted output is compared with
citeproc-js in tests/test_formatted_defects.py."""

from __future__ import annotations

import io
import json

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from refconv.diagnostics import Collected
from refconv.keys import KeyAssigner
from refconv.model import Date
from refconv.values.dates import format_date, parse_date

from .conftest import biber_tool
from .test_loss_policy import READERS, WRITERS, bib, read, refer


def csl_item(issued: object) -> str:
    return json.dumps([{"id": "k", "type": "book", "title": "T", "issued": issued}])


def issued_of(fmt: str, text: str) -> tuple[Date, list[str]]:
    diagnostics = Collected()
    (record,) = read(fmt, text, diagnostics)
    return record.dates["issued"], [str(m) for m in diagnostics.messages]


def write(fmt: str, text: str, src: str = "csljson") -> tuple[str, list[str]]:
    """``text`` read as ``src`` and written as ``fmt`` (keys assigned), and the warnings."""
    diagnostics = Collected()
    out = io.StringIO()
    records = KeyAssigner(diagnostics=diagnostics).assign(read(src, text))
    WRITERS[fmt](diagnostics=diagnostics).write(list(records), out)
    return out.getvalue(), [str(m) for m in diagnostics.messages]


OPEN_MONTH = Date(((2018, 2),), open_end=True)


# --- the model --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        pytest.param(Date(((2018, 2),), open_end=True), Date(((2018, 2),), open_end=True),
                     id="open-end"),
        pytest.param(Date(((2018,), (2019,)), open_end=True), Date(literal="2018/2019/.."),
                     id="two-parts-become-a-literal"),
        pytest.param(Date(((2018, 13),), open_end=True), Date(literal="2018-13/.."),
                     id="no-calendar-date-becomes-a-literal"),
        pytest.param(Date(((2018,),), season=9, open_end=True),
                     Date(literal="2018/.. (season 9)"), id="bad-season-becomes-a-literal"),
        pytest.param(Date(literal="2018-", open_end=True), Date(literal="2018-"),
                     id="a-literal-is-not-open"),
    ],
)  # fmt: skip
def test_a_date_is_open_only_with_one_calendar_date(date, expected):
    assert date == expected


# --- readers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("issued", "expected"),
    [
        pytest.param({"date-parts": [[2018], [0]]}, Date(((2018,),), open_end=True), id="year"),
        pytest.param({"date-parts": [[2018, 2], [0, 0]]}, OPEN_MONTH, id="month"),
        pytest.param({"date-parts": [[2018, 2], [0]]}, OPEN_MONTH, id="month-short-end"),
        pytest.param({"date-parts": [[2018, 2, 3], [0, 0, 0]]},
                     Date(((2018, 2, 3),), open_end=True), id="day"),
        pytest.param({"date-parts": [["2018", "2"], ["0", "0"]]}, OPEN_MONTH, id="strings"),
        pytest.param({"date-parts": [[2018], [0]], "season": 2, "circa": True},
                     Date(((2018,),), season=2, circa=True, open_end=True), id="season-circa"),
        pytest.param({"date-parts": [[2018, 14], [0, 0]]},
                     Date(((2018,),), season=2, open_end=True), id="season-as-month-14"),
        pytest.param({"date-parts": [[-44], [0]]}, Date(((-44,),), open_end=True), id="bc"),
    ],
)  # fmt: skip
def test_csljson_reads_citeproc_js_open_range(issued, expected):
    assert issued_of("csljson", csl_item(issued)) == (expected, [])


@pytest.mark.parametrize(
    ("issued", "literal", "why"),
    [
        pytest.param({"date-parts": [[0], [2018]]}, "0/2018",
                     "there is no year 0; CSL counts 1 BC as -1", id="open-start"),
        pytest.param({"date-parts": [[2018, 2, 30], [0, 0, 0]]}, "2018-2-30/0-0-0",
                     "day 30 is not in month 2 of 2018", id="no-such-start"),
    ],
)  # fmt: skip
def test_csljson_keeps_what_is_no_open_range_as_literal(issued, literal, why):
    date, messages = issued_of("csljson", csl_item(issued))
    assert date == Date(literal=literal)
    assert len(messages) == 1 and why in messages[0]


@pytest.mark.parametrize(
    ("text", "expected", "kept"),
    [
        pytest.param("2018/..", Date(((2018,),), open_end=True), None, id="open"),
        pytest.param("2018/", Date(((2018,),), open_end=True), None, id="unknown"),
        pytest.param("2018-05/..", Date(((2018, 5),), open_end=True), None, id="month"),
        pytest.param("2018-05-04/", Date(((2018, 5, 4),), open_end=True), None, id="day"),
        pytest.param("2018~/..", Date(((2018,),), circa=True, open_end=True), None, id="circa"),
        pytest.param("2018-22/", Date(((2018,),), season=2, open_end=True), None, id="season"),
        pytest.param("-0043/", Date(((-44,),), open_end=True), None, id="bc"),
        pytest.param("../2018", Date(((2018,),)), "../2018", id="open-start-kept"),
        pytest.param("/2018-05", Date(((2018, 5),)), "/2018-05", id="unknown-start-kept"),
    ],
)  # fmt: skip
def test_biblatex_reads_an_edtf_open_range(text, expected, kept):
    diagnostics = Collected()
    (record,) = read("biblatex", bib(f"date = {{{text}}}"), diagnostics)
    assert record.dates["issued"] == expected
    assert record.extra.get("date") == ([text] if kept else None)
    assert len(diagnostics.messages) == (1 if kept else 0)


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        pytest.param(["%D 2018-"], Date(((2018,),), open_end=True), id="year"),
        pytest.param(["%D 1985 –"], Date(((1985,),), open_end=True), id="catalogue-dash"),
        pytest.param(["%D 2018/02/15-"], Date(((2018, 2, 15),), open_end=True), id="day"),
        pytest.param(["%D 2018", "%8 2018/02-"], OPEN_MONTH, id="year-and-%8"),
        pytest.param(["%D 2018-", "%8 Feb"], OPEN_MONTH, id="open-year-and-month"),
        pytest.param(["%D ca. 2018-"], Date(((2018,),), circa=True, open_end=True), id="circa"),
        pytest.param(["%D 1996-2004"], Date(((1996,), (2004,))), id="closed-range-unchanged"),
    ],
)  # fmt: skip
def test_refer_reads_a_date_still_running(lines, expected):
    assert issued_of("refer", refer(*lines)) == (expected, [])


@given(
    start=st.one_of(
        st.tuples(st.integers(-9999, 9999).filter(bool)),
        st.tuples(st.integers(1, 9999), st.integers(1, 12)),
        st.tuples(st.integers(1, 9999), st.integers(1, 12), st.integers(1, 28)),
    ),
    season=st.none() | st.integers(1, 4),
    circa=st.booleans(),
)
def test_the_text_form_of_an_open_range_reads_back(start, season, circa):
    """``format_date`` writes what ``parse_date`` reads back (the RIS and BibTeX notes, Refer)."""
    date = Date((start,), season=season, circa=circa, open_end=True)
    parsed = parse_date(format_date(date))
    assert (parsed.kind, parsed.date, parsed.leftover) == ("date", date, "")


# --- writers ----------------------------------------------------------------------------------

OPEN = csl_item({"date-parts": [[2018, 2], [0, 0]]})


@pytest.mark.parametrize(
    ("fmt", "lines", "warnings"),
    [
        pytest.param("csljson", ['"date-parts": [[2018, 2], [0, 0]]'], [], id="csljson"),
        pytest.param("biblatex", ["  date  = {2018-02/}"], [], id="biblatex"),
        pytest.param("bibtex", ["  year    = {2018},", "  month   = feb,",
                                "  refconv = {issued: 2018/02-}"],
                     ["t:1: warning: issued: '2018/02-' has no BibTeX form; kept whole in "
                      "refconv"], id="bibtex"),
        pytest.param("ris", ["PY  - 2018", "N1  - issued: 2018/02-"], [], id="ris"),
        pytest.param("refer", ["%D 2018", "%8 2018/02-"], [], id="refer"),
    ],
)  # fmt: skip
def test_each_writer_writes_an_open_range(fmt, lines, warnings):
    """Where the date field cannot say it (BibTeX ``year``, RIS ``PY``), the start is there
    and the whole date in the note refconv reads back (RIS keeps a range there the same way,
    and warns for neither)."""
    text, messages = write(fmt, OPEN)
    assert all(line in text for line in lines), text
    assert messages == warnings


def test_csljson_output_is_valid_and_rendered_by_citeproc_js_shape(csl_schema):
    text, _ = write("csljson", csl_item({"date-parts": [[2018, 2, 3], [0]], "circa": True}))
    items = json.loads(text)
    jsonschema.validate(items, csl_schema)
    assert items[0]["issued"] == {"date-parts": [[2018, 2, 3], [0, 0, 0]], "circa": True}


@pytest.mark.parametrize("fmt", ["csljson", "biblatex", "bibtex", "ris", "refer"])
@pytest.mark.parametrize(
    "issued",
    [
        {"date-parts": [[2018], [0]]},
        {"date-parts": [[2018, 2], [0, 0]]},
        {"date-parts": [[2018, 2, 3], [0, 0, 0]], "circa": True},
        {"date-parts": [[2018], [0]], "season": 3},
    ],
    ids=["year", "month", "day-circa", "season"],
)
def test_an_open_range_survives_a_round_trip(fmt, issued):
    """CSL-JSON → ``fmt`` → CSL-JSON keeps the open range, and ``fmt`` → ``fmt`` is a fixed
    point (CSL-JSON → CSL-JSON and BibLaTeX → BibLaTeX keep it in the format itself)."""
    once, _ = write(fmt, csl_item(issued))
    back, _ = write("csljson", once, src=fmt)
    expected = dict(issued, **{"date-parts": [issued["date-parts"][0],
                                              [0] * len(issued["date-parts"][0])]})  # fmt: skip
    assert json.loads(back)[0]["issued"] == expected
    assert write(fmt, once, src=fmt)[0] == once


def test_biber_reads_the_biblatex_open_range(tmp_path):
    """biber 2.x reads EDTF ``2018-02/`` (and writes it so: ``2018-02/..`` comes back as it)."""
    text, _ = write("biblatex", OPEN)
    (tmp_path / "refs.bib").write_text(text, "utf-8")
    done = biber_tool(tmp_path, "refs.bib", "checked.bib")
    log = done.stdout + done.stderr
    assert done.returncode == 0 and "WARN" not in log and "ERROR" not in log, log
    checked = (tmp_path / "checked.bib").read_text("utf-8")
    assert "DATE = {2018-02/}" in checked
    assert issued_of("biblatex", checked)[0] == OPEN_MONTH


def test_every_reader_and_writer_is_covered():
    assert set(READERS) == set(WRITERS) == {"ris", "refer", "bibtex", "biblatex", "csljson"}


def test_a_bibtex_year_still_running_keeps_its_month():
    """``year = {2018-}`` (read as Refer reads "2018-") is an open range; a month beside it
    cannot refine it without dropping the open end, so the month is kept with a warning."""
    diagnostics = Collected()
    (record,) = read("bibtex", bib("year = {2018-}", "month = feb"), diagnostics)
    assert record.dates["issued"] == Date(((2018,),), open_end=True)
    assert record.extra["month"] == ["feb"]
    assert len(diagnostics.messages) == 1


@st.composite
def _closed_range(draw: st.DrawFn) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Two date-parts, each of a year, a month or a day, the start not after the end."""
    bounds = [(1, 9999), (1, 12), (1, 28)]
    a = tuple(draw(st.integers(*b)) for b in bounds[: draw(st.integers(1, 3))])
    b = tuple(draw(st.integers(*b)) for b in bounds[: draw(st.integers(1, 3))])
    return (min(a, b), max(a, b))


@given(ends=_closed_range(), season=st.none() | st.integers(1, 4), circa=st.booleans())
def test_the_text_form_of_a_closed_range_reads_back(ends, season, circa):
    """``format_date`` writes a range that ``parse_date`` reads back, ends that are equal
    included ("1850-1850", which CSL-JSON may hold: a MODS round trip turned it into text),
    and ends of another precision ("2012/03/15 - 2013": RIS's "/other info" took its end)."""
    date = Date(ends, season=season, circa=circa)
    parsed = parse_date(format_date(date))
    assert (parsed.kind, parsed.date, parsed.leftover) == ("date", date, "")
