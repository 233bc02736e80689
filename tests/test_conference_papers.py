"""Conference papers in BibTeX and BibLaTeX (issue 15 item 5).

CSL keeps a conference's name in ``event-title``, its place in ``event-place`` and its date in
``event-date``, apart from the proceedings' ``container-title``, ``publisher-place`` and
``issued``. BibLaTeX has a field for each (``eventtitle``, ``venue``, ``eventdate``,
``booktitle``, ``location``, ``date``), so the variables come back as they were. BibTeX has no
event fields: in an ``@inproceedings`` the conference name, place and date are the
``booktitle``, ``address`` and ``year`` when the record has none of its own (bibutils'
xml2bib does the same) and are printed once when they equal them, with the value also in
the BibLaTeX field that BibTeX styles do not print (so that it reads back as the event's);
one that differs goes to the note. Read back, ``booktitle`` and ``year`` are the proceedings'
(so an event alone gives them too) and an ``address`` equal to the ``venue`` is the event's
only; any other ``address`` is the publisher's place, as biber reads it.

The goldens are ``tests/formats/bibtex/conference_papers.enw`` (EndNote Conference Paper and
Conference Proceedings records, with and without proceedings title, publisher place and
year published) and its BibTeX and BibLaTeX output, which test_golden also reads back.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import bibtexparser
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from refconv.api import convert as api_convert
from refconv.cli import cli
from refconv.diagnostics import Collected

from .conftest import FORMATS
from .test_golden import compare

SOURCE = FORMATS / "bibtex" / "conference_papers.enw"
GOLDENS = {"bibtex": "conference_papers.bib", "biblatex": "conference_papers_biblatex.bib"}


@pytest.mark.parametrize("writer", GOLDENS)
def test_refer_conference_records_golden(writer: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """EndNote conference records written by each BibTeX writer, exactly, without warnings."""
    monkeypatch.chdir(SOURCE.parent)
    result = CliRunner().invoke(cli, ["convert", SOURCE.name, "-f", "refer", "-t", writer])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    compare(SOURCE.parent / GOLDENS[writer], result.stdout)


def write(items: list[dict[str, Any]], to: str, *warned: str) -> str:
    """``items`` (CSL-JSON) written by the ``to`` writer, with the ``warned`` warnings only."""
    diagnostics = Collected()
    text = api_convert(json.dumps(items).encode(), None, "csljson", to, diagnostics=diagnostics)
    assert [m.message for m in diagnostics.messages] == list(warned)
    assert text is not None
    return text


def read_back(text: str) -> list[dict[str, Any]]:
    """BibTeX or BibLaTeX text read by refconv's reader, as CSL-JSON items."""
    diagnostics = Collected()
    items = api_convert(text.encode(), None, "bibtex", "csljson", diagnostics=diagnostics)
    assert not diagnostics.messages, diagnostics.messages
    assert items is not None
    return list(json.loads(items))


#: The fields a conference's variables can land in, and the variables they can come back as.
FIELDS = ("booktitle", "eventtitle", "address", "location", "venue", "year", "month", "date",
          "eventdate", "note", "annotation", "refconv")  # fmt: skip
VARIABLES = ("container-title", "event-title", "publisher-place", "event-place", "issued",
             "event-date", "note", "annote")  # fmt: skip


def fields_of(text: str) -> dict[str, str]:
    """The conference fields of the one entry in ``text``, as written."""
    (entry,) = bibtexparser.parse_string(text).entries
    return {f.key: f.value for f in entry.fields if f.key in FIELDS}


def year(y: int) -> dict[str, Any]:
    return {"date-parts": [[y]]}


# (CSL variables of a paper-conference item, BibTeX fields, what BibTeX gives back,
#  BibLaTeX fields, BibTeX's warnings; BibLaTeX always gives back the item's own variables.)
ROWS = [
    pytest.param(
        {"event-title": "Conf"},
        {"booktitle": "Conf", "eventtitle": "Conf"},
        {"container-title": "Conf", "event-title": "Conf"},
        {"eventtitle": "Conf"},
        (),
        id="event-title_alone_is_the_booktitle",
    ),
    pytest.param(
        {"event-title": "Conf", "container-title": "Proc"},
        {"booktitle": "Proc", "eventtitle": "Conf"},
        {"container-title": "Proc", "event-title": "Conf"},
        {"booktitle": "Proc", "eventtitle": "Conf"},
        (),
        id="event-title_beside_proceedings_title",
    ),
    pytest.param(
        {"event-title": "Conf", "container-title": "Conf"},
        {"booktitle": "Conf", "eventtitle": "Conf"},
        {"container-title": "Conf", "event-title": "Conf"},
        {"booktitle": "Conf", "eventtitle": "Conf"},
        (),
        id="event-title_equal_to_proceedings_title",
    ),
    pytest.param(
        {"event-place": "Rome"},
        {"address": "Rome", "venue": "Rome"},
        {"event-place": "Rome"},
        {"venue": "Rome"},
        (),
        id="event-place_alone_is_the_address",
    ),
    pytest.param(
        {"event-place": "Rome", "publisher-place": "Berlin"},
        {"address": "Berlin", "venue": "Rome"},
        {"publisher-place": "Berlin", "event-place": "Rome"},
        {"location": "Berlin", "venue": "Rome"},
        (),
        id="event-place_beside_publisher_place",
    ),
    pytest.param(
        {"event-place": "Rome", "publisher-place": "Rome"},
        {"address": "Rome", "venue": "Rome"},
        {"event-place": "Rome"},
        {"location": "Rome", "venue": "Rome"},
        (),
        id="event-place_equal_to_publisher_place",
    ),
    pytest.param(
        {"event-date": year(2018)},
        {"year": "2018", "eventdate": "2018"},
        {"issued": year(2018), "event-date": year(2018)},
        {"eventdate": "2018"},
        (),
        id="event-date_alone_is_the_year",
    ),
    pytest.param(
        {"event-date": year(2018), "issued": year(2019)},
        {"year": "2019", "eventdate": "2018"},
        {"issued": year(2019), "event-date": year(2018)},
        {"date": "2019", "eventdate": "2018"},
        (),
        id="event-date_beside_issued",
    ),
    pytest.param(
        {"event-date": year(2018), "issued": year(2018)},
        {"year": "2018", "eventdate": "2018"},
        {"issued": year(2018), "event-date": year(2018)},
        {"date": "2018", "eventdate": "2018"},
        (),
        id="event-date_equal_to_issued",
    ),
    pytest.param(
        {"event-date": {"date-parts": [[2018, 5, 3], [2018, 5, 5]]}},
        {"year": "2018", "month": "may", "refconv": "event-date: 2018/05/03 - 2018/05/05"},
        {"issued": {"date-parts": [[2018, 5]]},
         "event-date": {"date-parts": [[2018, 5, 3], [2018, 5, 5]]}},
        {"eventdate": "2018-05-03/2018-05-05"},
        ("event-date: '2018/05/03 - 2018/05/05' has no BibTeX form; kept whole in refconv",),
        id="event-date_range_BibTeX_cannot_hold",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("csl", "bibtex", "bibtex_back", "biblatex", "warned"), ROWS)
def test_conference_variables_to_fields_and_back(
    csl: dict[str, Any],
    bibtex: dict[str, str],
    bibtex_back: dict[str, Any],
    biblatex: dict[str, str],
    warned: tuple[str, ...],
) -> None:
    item = {"id": "k", "type": "paper-conference", "title": "T", **csl}
    written = write([item], "bibtex", *warned)
    assert fields_of(written) == bibtex
    (back,) = read_back(written)
    assert {v: back[v] for v in VARIABLES if v in back} == bibtex_back
    written = write([item], "biblatex")
    assert fields_of(written) == biblatex
    (back,) = read_back(written)
    assert {v: back[v] for v in VARIABLES if v in back} == csl


@pytest.mark.parametrize("csl_type", ["chapter", "article-journal", "speech"])
def test_outside_inproceedings_event_values_stay_in_the_refconv_field(csl_type: str) -> None:
    """Only an ``@inproceedings``' booktitle and address are the conference's: a chapter's
    address is its publisher's place, an article has no booktitle. Elsewhere the event is kept
    in the field no style prints (issue 16), not the printed note."""
    item = {"id": "k", "type": csl_type, "title": "T", "event-title": "Conf",
            "event-place": "Rome"}  # fmt: skip
    written = fields_of(write([item], "bibtex"))
    assert written == {"refconv": "event-title: Conf; event-place: Rome"}
    (back,) = read_back(write([item], "bibtex"))
    assert (back["event-title"], back["event-place"]) == ("Conf", "Rome")


#: What bibtex(1)'s styles print of the conference fields (not eventtitle, venue, eventdate).
PRINTED_FIELDS = ("booktitle", "address", "year")
#: BibLaTeX's event fields, which bibtex(1)'s styles do not print (issue 16: an event value
#: with no printed field goes there, never into the printed note).
EVENT_FIELDS = ("eventtitle", "venue", "eventdate")


def bibtex_reads_back(item: dict[str, Any]) -> dict[str, Any]:
    """The conference variables refconv reads back from its BibTeX of ``item``: BibTeX's
    booktitle and year are the proceedings', so an event without them gives them too; an
    address that is the venue is the event's only."""
    back = {v: item[v] for v in VARIABLES if v in item}
    for own, event in (("container-title", "event-title"), ("issued", "event-date")):
        if event in back:
            back.setdefault(own, back[event])
    if "event-place" in back and back.get("publisher-place") == back["event-place"]:
        del back["publisher-place"]
    return back


@settings(max_examples=100, deadline=None, derandomize=True)
@given(
    titles=st.dictionaries(st.sampled_from(["container-title", "event-title"]),
                           st.sampled_from(["Conf", "Proc"])),
    places=st.dictionaries(st.sampled_from(["publisher-place", "event-place"]),
                           st.sampled_from(["Rome", "Berlin"])),
    years=st.dictionaries(st.sampled_from(["issued", "event-date"]), st.integers(2000, 2001)),
)  # fmt: skip
def test_every_conference_value_is_printed_once_and_read_back(
    titles: dict[str, str], places: dict[str, str], years: dict[str, int]
) -> None:
    """Any mix of proceedings and event variables, equal or not: bibtex(1) prints each
    distinct value at most once (booktitle, address, year), one it does not print is in
    BibLaTeX's event field, nothing is in the note; refconv reads its BibTeX back
    as ``bibtex_reads_back`` says and its BibLaTeX back as the item was, and a second
    trip through BibTeX writes the same text."""
    dates = {var: year(y) for var, y in years.items()}
    item = {"id": "k", "type": "paper-conference", "title": "T", **titles, **places, **dates}
    written = write([item], "bibtex")
    fields = fields_of(written)
    printed = " ".join(fields[f] for f in PRINTED_FIELDS if f in fields)
    unprinted = [fields[f] for f in EVENT_FIELDS if f in fields]
    assert "note" not in fields and "refconv" not in fields
    for value in {*titles.values(), *places.values(), *map(str, years.values())}:
        assert printed.count(value) == 1 or value in unprinted, (value, printed)
        assert printed.count(value) <= 1, (value, printed)
    (back,) = read_back(written)
    assert {v: back[v] for v in VARIABLES if v in back} == bibtex_reads_back(item)
    assert write([back], "bibtex") == written
    (back,) = read_back(write([item], "biblatex"))
    assert {v: back[v] for v in VARIABLES if v in back} == {**titles, **places, **dates}


# --- the real consumers ------------------------------------------------------------------

#: Each golden record's conference name and place, as the consumer prints them.
PRINTED = [
    ("International Conference on Networked Systems", "Lisbon, Portugal"),
    ("Workshop on Mesh Routing", "Tromsø, Norway"),
    ("Symposium on Embedded Sensing", "Kyoto, Japan"),
]


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.slow  # runs bibtex
def test_bibtex_plain_prints_conference_name_and_place(tmp_path: Path) -> None:
    from .test_bibtex_consumers import _tool, run_bibtex

    _tool("bibtex")
    (tmp_path / "refs.bib").write_bytes((SOURCE.parent / GOLDENS["bibtex"]).read_bytes())
    bbl = run_bibtex(tmp_path, "plain").decode("utf-8")
    items = {m[1]: _flat(m[2]) for m in re.finditer(r"\\bibitem\{([^}]*)\}(.*?)(?=\\bibitem|\\end)",
                                                    bbl, re.S)}  # fmt: skip
    assert len(items) == 4
    for name, place in PRINTED:  # printed, or in eventtitle/venue beside the proceedings'
        assert any(name in text or place in text for text in items.values()), (name, bbl)
    # a conference with no proceedings title or publisher place: booktitle and address
    assert "In {\\em Workshop on Mesh Routing}, Tromsø, Norway, 2022." in items["okafor2022routing"]
    assert "event-" not in "".join(items.values())


@pytest.mark.slow  # runs latex and biber
def test_biblatex_prints_conference_name_and_place(tmp_path: Path) -> None:
    """biber reads the BibLaTeX golden without a warning and biblatex's standard style prints
    each conference's name and venue (read from the DVI with dvi2tty)."""
    from .test_bibtex_consumers import _tool

    latex, biber, dvi2tty = _tool("latex"), _tool("biber"), _tool("dvi2tty")
    (tmp_path / "refs.bib").write_bytes((SOURCE.parent / GOLDENS["biblatex"]).read_bytes())
    (tmp_path / "doc.tex").write_text(
        "\\documentclass{article}\n\\usepackage[utf8]{inputenc}\n"
        "\\usepackage[backend=biber,sorting=none]{biblatex}\n\\addbibresource{refs.bib}\n"
        "\\begin{document}\n\\nocite{*}\n\\printbibliography\n\\end{document}\n"
    )
    run: dict[str, Any] = {"cwd": tmp_path, "capture_output": True, "text": True, "check": False}
    subprocess.run([latex, "-interaction=nonstopmode", "doc.tex"], **run)
    checked = subprocess.run([biber, "doc"], **run)
    assert checked.returncode == 0, checked.stdout
    assert not re.search(r"^(ERROR|WARN) ", checked.stdout, re.M), checked.stdout
    subprocess.run([latex, "-interaction=nonstopmode", "doc.tex"], **run)
    text = _flat(subprocess.run([dvi2tty, "-w200", "doc.dvi"], **run).stdout)
    # dvi2tty prints ASCII and may hyphenate: compare without hyphens and with ø as o
    text = text.replace("- ", "").replace("-", "")
    for name, place in PRINTED:
        place = place.replace("ø", "o")
        assert f"{name} ({place}" in text, (name, place, text)
    assert "Proceedings of the 12th International Conference on Networked Systems" in text
    assert "Berlin: Springer" in text
