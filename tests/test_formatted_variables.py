"""CSL 1.0.2 variables reach the style (issue 17, defect 2), checked against citeproc-js given
the same unfiltered item; the CSL-JSON reader's input aliases (``event``,
``journalAbbreviation``, ``shortTitle``) and trailing given-name particles (issue 17, item 7).
"""

from __future__ import annotations

import warnings

import pytest

from refconv.formats.csljson.read import CUSTOM_VARIABLES, record_from_csl
from refconv.formats.csljson.write import record_to_csl
from refconv.formats.formatted import write as formatted
from refconv.model import (
    CSL_TYPES,
    DATE_VARIABLES,
    NAME_VARIABLES,
    TEXT_VARIABLES,
    Name,
    Record,
    SourcePos,
)

from .test_formatted import _citeproc_js


def _record(item: dict, warnings: list[str] | None = None) -> Record:
    """A record read from one CSL-JSON item, its warnings appended to ``warnings``."""

    def warn(message: str, path: str | None = None, line: int | None = None, *, code: str) -> None:
        if warnings is not None:
            warnings.append(message)

    return record_from_csl(item, SourcePos("t.json", 1), warn)


def _both(items: list[dict], style: str) -> tuple[list[str], list[str]]:
    """(refconv's text entries, citeproc-js's) for ``items``; citeproc-js gets each record's
    whole CSL-JSON item, not the one refconv gives citeproc-py."""
    records = [_record(item) for item in items]
    ours = [str(e) for e in formatted.render(records, style, None, "text")]
    whole = []
    for i, record in enumerate(records):
        item = dict(record_to_csl(record), id=f"r{i}")
        formatted.lift_custom(item)  # CSL 1.0.2 variables the model keeps in custom
        whole.append(item)
    return ours, _citeproc_js(whole, [style])[style]


SPEECH = {
    "id": "talk",
    "type": "speech",
    "title": "A talk",
    "author": [{"family": "Doe", "given": "Jane"}],
    "issued": {"date-parts": [[2020, 3, 15]]},
    "event-title": "Small Meeting",
    "event-place": "Rome",
}
PAPER = {
    "id": "paper",
    "type": "paper-conference",
    "title": "Conference paper",
    "author": [{"family": "Roe", "given": "Rick"}],
    "issued": {"date-parts": [[2019]]},
    "event-title": "Big Conference",
    "event-place": "Paris",
    "publisher-place": "Paris",
}


@pytest.mark.parametrize(
    ("item", "style", "expected"),
    [
        pytest.param(SPEECH, "apa", "Doe, J. (2020, March 15). A talk. Small Meeting, Rome.",
                     id="apa_speech"),
        pytest.param(PAPER, "chicago-author-date",
                     "Roe, Rick. 2019. “Conference Paper.” Paper presented at Big Conference,"
                     " Paris.",
                     id="chicago_conference_paper"),
    ],
)  # fmt: skip
def test_event_reaches_the_style(item, style, expected):
    ours, theirs = _both([item], style)
    assert ours == theirs == [expected]


#: One CSL 1.0.2 variable citeproc-py 1.0.1 does not list, a style that prints it, an item of
#: a type where it does, and the text that must appear.
VARIABLES = [
    ("event-title", "modern-language-association",
     {"type": "speech", "title": "Talk", "event-title": "Spring Forum"}, "Spring Forum"),
    ("volume-title", "apa",
     {"type": "book", "title": "Set", "volume": "2", "volume-title": "The Middle Ages"},
     "The Middle Ages"),
    ("reviewed-title", "apa",
     {"type": "review", "title": "On it", "container-title": "Rev", "reviewed-title": "Big Book"},
     "Big Book"),
    ("part-number", "apa", {"type": "book", "title": "Set", "part-number": "3"}, "Pt. 3"),
    ("part-title", "chicago-author-date",
     {"type": "book", "title": "Set", "part-number": "3", "part-title": "The Last Part"},
     "The Last Part"),
    ("supplement-number", "american-medical-association",
     {"type": "article-journal", "title": "Art", "container-title": "J", "volume": "5",
      "issue": "2", "supplement-number": "4", "issued": {"date-parts": [[2001]]}}, "4"),
    ("available-date", "chicago-author-date",
     {"type": "article-journal", "title": "Early", "container-title": "J",
      "available-date": {"date-parts": [[2017, 5, 2]]}}, "2017"),
    ("archive_collection", "apa",
     {"type": "manuscript", "title": "Letter", "archive": "State Archive",
      "archive_collection": "Smith Papers"}, "Smith Papers"),
    ("director", "apa",
     {"type": "motion_picture", "title": "Film", "director": [{"family": "Lee", "given": "Ang"}]},
     "Lee, A. (Director)"),
    ("host", "chicago-author-date",
     {"type": "broadcast", "title": "Show", "container-title": "Radio",
      "host": [{"family": "Gross", "given": "Terry"}]}, "Gross, Terry, host"),
    ("division", "harvard-university-of-bath",
     {"type": "legal_case", "title": "A v B", "authority": "High Court", "number": "12",
      "division": "Chancery Division", "issued": {"date-parts": [[2010]]}},
     "Chancery Division"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("style", "item", "expected"), [pytest.param(*row[1:], id=row[0]) for row in VARIABLES]
)
def test_csl_102_variable_is_printed(style, item, expected):
    item = {"id": "x", **item}
    if not any(var in item for var in NAME_VARIABLES):
        item["author"] = [{"family": "Poe", "given": "Al"}]
    ours, theirs = _both([item], style)
    assert expected in ours[0]
    assert ours == theirs


@pytest.mark.parametrize("style", ["apa", "chicago-author-date", "modern-language-association"])
def test_every_variable_reaches_citeproc_py_without_a_warning(style):
    """An item of each type with every CSL variable refconv has, names of every role, dates of
    every kind: citeproc-py takes them all (no "unsupported" warning, no crash)."""
    item: dict = {"id": "all", "title": "Everything"}
    for i, var in enumerate(TEXT_VARIABLES + CUSTOM_VARIABLES):
        item[var] = str(i + 1)
    for var in NAME_VARIABLES:
        item[var] = [{"family": f"N{var}", "given": "Al"}]
    for var in DATE_VARIABLES:
        item[var] = {"date-parts": [[2001, 2, 3]]}
    records = [_record(dict(item, type=t)) for t in CSL_TYPES]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        entries = formatted.render(records, style, None, "text")
    assert len(entries) == len(records)
    item = formatted._csl_item(records[0], frozenset(__import__("citeproc").VARIABLES))
    assert {*NAME_VARIABLES, *DATE_VARIABLES, "event-title", "part-number"} <= set(item)


# --- the CSL-JSON reader: input aliases -------------------------------------------------------


@pytest.mark.parametrize(
    ("item", "fields", "kept", "warned"),
    [
        pytest.param({"event": "Meet"}, {"event-title": "Meet"}, {}, False, id="event_alone"),
        pytest.param({"journalAbbreviation": "J. Ab."}, {"container-title-short": "J. Ab."}, {},
                     False, id="journal_abbreviation_alone"),
        pytest.param({"shortTitle": "Short"}, {"title-short": "Short"}, {}, False,
                     id="short_title_alone"),
        pytest.param({"event": 2020}, {"event-title": "2020"}, {}, False, id="number_alias"),
        pytest.param({"event": "Old", "event-title": "New"}, {"event-title": "New"},
                     {"event": ["Old"]}, True, id="variable_wins_alias_kept"),
        pytest.param({"event-title": "New", "event": "Old"}, {"event-title": "New"},
                     {"event": ["Old"]}, True, id="variable_wins_in_any_order"),
        pytest.param({"event": "Same", "event-title": "Same"}, {"event-title": "Same"}, {},
                     False, id="same_value_no_noise"),
        pytest.param({"journalAbbreviation": "A", "container-title-short": "B"},
                     {"container-title-short": "B"}, {"journalAbbreviation": ["A"]}, True,
                     id="journal_abbreviation_beside_variable"),
    ],
)  # fmt: skip
def test_reader_aliases(item, fields, kept, warned):
    warnings: list[str] = []
    record = _record({"id": "k", "type": "paper-conference", **item}, warnings)
    assert {k: v for k, v in record.fields.items() if k != "citation-key"} == fields
    assert record.extra == kept
    assert bool(warnings) == warned
    if warned:
        (message,) = warnings
        assert "is used; kept in custom" in message


def test_alias_round_trip_is_a_fixed_point():
    """The alias is read as its variable, and written back as the variable (nothing in custom):
    read → write → read gives the same record."""
    first = _record({"id": "k", "type": "speech", "event": "Old", "event-title": "New"})
    again = _record(record_to_csl(first))
    assert (again.fields, again.extra) == (first.fields, first.extra)


def test_event_alias_renders_like_citeproc_js():
    item = {k: v for k, v in SPEECH.items() if k != "event-title"} | {"event": "Small Meeting"}
    ours, theirs = _both([item], "apa")
    assert ours == theirs == ["Doe, J. (2020, March 15). A talk. Small Meeting, Rome."]


# --- the CSL-JSON reader: particles at the end of a given name --------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param({"family": "Abdullah", "given": "Ahmad bin"},
                     Name(family="Abdullah", given="Ahmad", dropping_particle="bin"), id="bin"),
        pytest.param({"family": "Graaf", "given": "Jan van der"},
                     Name(family="Graaf", given="Jan", dropping_particle="van der"),
                     id="van_der"),
        pytest.param({"family": "Gogh", "given": "Vincent van", "dropping-particle": ""},
                     Name(family="Gogh", given="Vincent van"), id="dropping_particle_given"),
        pytest.param({"family": "Gogh", "given": "Vincent van", "dropping-particle": "de"},
                     Name(family="Gogh", given="Vincent van", dropping_particle="de"),
                     id="dropping_particle_kept"),
        pytest.param({"family": "Gogh", "given": "Vincent van", "parse-names": False},
                     Name(family="Gogh", given="Vincent van", parse_names=False),
                     id="parse_names_false"),
        pytest.param({"family": "Carmen", "given": "Maria del Carmen"},
                     Name(family="Carmen", given="Maria del Carmen"), id="inner_particle"),
        pytest.param({"family": "Bin", "given": "Van"}, Name(family="Bin", given="Van"),
                     id="capitalised_is_a_name"),
        pytest.param({"family": "X", "given": "de"}, Name(family="X", given="de"),
                     id="only_a_particle"),
        pytest.param({"literal": "Ahmad bin"}, Name(literal="Ahmad bin"), id="literal"),
    ],
)  # fmt: skip
def test_given_name_particle(name, expected):
    record = _record({"id": "k", "type": "book", "author": [name]})
    assert record.names["author"] == [expected]


def test_given_name_particle_renders_like_citeproc_js():
    authors = [{"family": "Abdullah", "given": "Ahmad bin"}, {"family": "Lee", "given": "Kim"}]
    item = {"id": "b", "type": "book", "title": "Book", "author": authors}
    ours, theirs = _both([item], "chicago-author-date")
    assert ours == theirs
    assert "Abdullah, Ahmad bin" in ours[0]
