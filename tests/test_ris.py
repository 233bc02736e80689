"""RIS writer and reader; the writer's output is also read by rispy, an independent reader."""

from __future__ import annotations

import io

import pytest
import rispy
from click.testing import CliRunner

from refconv.cli import cli
from refconv.formats.ris.meaning import ris_tags
from refconv.formats.ris.read import RisReader
from refconv.io import iter_lines
from refconv.model import Date, Name

from .conftest import EXAMPLES, Collect
from .corpus import corpus


def read_ris(text: str):
    diagnostics = Collect()
    lines = iter_lines(io.BytesIO(text.encode()), "t.ris", diagnostics)
    return list(RisReader(diagnostics=diagnostics).read(lines, "t.ris")), diagnostics.messages


def to_ris(*args, input=None) -> str:
    result = CliRunner().invoke(cli, ["convert", *args, "-t", "ris", "-q"], input=input)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_record_shape():
    text = to_ris(str(EXAMPLES / "nahta2012-flat.enw"))
    lines = text.split("\n")
    assert lines[0] == "TY  - JOUR"
    assert "ER  - " in lines
    assert text.endswith("ER  - \n\n")
    body = text[: text.index("ER  - ")]
    assert "\n\n" not in body
    assert "AU  - Nahta, Rita" in lines
    assert "DO  - 10.5402/2012/428062" in lines


def test_user_case_13_and_17():
    text = to_ris("-f", "refer", input="%0 Journal Article\n%T X\n%D 2012 Mar 15\n%P 332-373\n")
    assert "PY  - 2012\nDA  - 2012/03/15/" in text
    assert "SP  - 332\nEP  - 373" in text


def test_one_line_per_person_and_keyword():
    text = to_ris(
        "-f",
        "refer",
        input="%0 Book Section\n%T X\n%A Doe, J.\n%A Roe, R.\n%E Ed, E.\n"
        "%K one\ntwo\n%A World Health Organization,\n",
    )
    assert "AU  - Doe, J.\nAU  - Roe, R.\nAU  - World Health Organization," in text
    assert "A2  - Ed, E." in text
    assert "KW  - one\nKW  - two" in text


def test_rispy_reads_every_record_and_field(tmp_path):
    """The generated corpus and the examples, written by refconv, read by rispy."""
    path = tmp_path / "corpus.enw"
    path.write_text(corpus(200), encoding="utf-8")
    files = [
        str(path),
        *(str(p) for p in sorted(EXAMPLES.glob("*.enw"))),
        str(EXAMPLES / "classic.refer"),
    ]
    text = to_ris(*files)
    entries = rispy.loads(text)
    ours, warnings = read_ris(text)
    assert warnings == []
    assert len(entries) == len(ours) == text.count("TY  - ")
    for entry, record in zip(entries, ours, strict=True):
        assert entry["id"] == record.fields["citation-key"]
        assert entry.get("title") == record.fields.get("title")
        # AU is the type's first creator: the director of a film (EndNote's per-type meaning)
        role = ris_tags(entry["type_of_reference"])["AU"]
        assert isinstance(role, str)
        people = record.names.get(role, [])
        markers = record.extra.get("%A", [])  # "et al." kept as written, read by rispy as a name
        assert len(entry.get("authors", [])) == len(people) + len(markers)
        assert entry.get("doi") == record.fields.get("DOI")
        assert entry.get("keywords", []) == record.keywords
        if "abstract" in record.fields:
            # rispy joins continuation lines with a space, refconv with a newline
            assert entry["abstract"].split() == record.fields["abstract"].split()


def test_reader_user_case_16_dates():
    records, _ = read_ris(
        "TY  - JOUR\nTI  - X\nY1  - 2013/05/28/\nPY  - 2013\nDA  - 2014/04/01\n"
        "Y2  - 2020/02/19\nER  - \n"
    )
    assert records[0].dates == {"issued": Date(((2014, 4, 1),)), "accessed": Date(((2020, 2, 19),))}


def test_reader_user_case_26_empty_tag_and_continuations():
    records, warnings = read_ris(
        "TY  - JOUR\nTI  - A title\nSP  - 0082\nEP  -\nAB  - line one\n"
        "line two\nline three\nER  - \n"
    )
    assert records[0].fields["page"] == "0082"
    assert records[0].fields["abstract"] == "line one\nline two\nline three"
    assert warnings == []


def test_reader_junk_unknown_type_missing_er():
    records, warnings = read_ris(
        "Record #1 of 2\nProvider: Ovid\n\nTY  - WEIRD\nTI  - A\nTY  - JOUR\nTI  - B\n"
    )
    assert [r.fields["title"] for r in records] == ["A", "B"]
    assert records[0].type == "document"
    assert records[0].extra == {"TY": ["WEIRD"]}
    assert warnings == [
        "t.ris:1: skipped 2 lines of text outside any record",
        "t.ris:6: record not closed with 'ER  - '; closed here",
        "t.ris:4: unknown RIS type 'WEIRD'; read as GEN (kept in custom)",
        "t.ris:6: record not closed with 'ER  - ' at the end of the input",
    ]


def test_reader_aliases_and_identifiers():
    records, _ = read_ris(
        "TY  - JOUR\nT1  - Title\nA1  - Smith, John\nED  - Roe, R.\n"
        "JF  - Journal\nUR  - http://dx.doi.org/10.1353/arq.1997.0020\n"
        "SN  - 0001-0782\nSN  - 978-3-86490-311-3\nER  - \n"
    )
    record = records[0]
    assert record.names == {"author": [Name("Smith", "John")], "editor": [Name("Roe", "R.")]}
    assert record.fields["container-title"] == "Journal"
    assert record.fields["DOI"] == "10.1353/arq.1997.0020"
    assert (record.fields["ISSN"], record.fields["ISBN"]) == ("0001-0782", "978-3-86490-311-3")


@pytest.mark.parametrize("code", ["JOUR", "BOOK", "CHAP", "CPAPER", "THES", "RPRT", "WEB", "GEN"])
def test_type_codes_round_trip(code):
    records, _ = read_ris(f"TY  - {code}\nTI  - X\nER  - \n")
    text = to_ris("-f", "csljson", input=_csl(records[0].type))
    assert text.startswith(f"TY  - {code}\n")


def _csl(kind: str) -> str:
    return f'[{{"id": "x", "type": "{kind}", "title": "X"}}]'


# A page of a book-like record without a range: SP alone is the book's number of pages to
# the reader, so the writer keeps such a page in the note, where it reads back as the page.
BOOK_PAGES = [
    pytest.param("book", {"page": "12"}, id="book-page"),
    pytest.param("thesis", {"page": "xii"}, id="thesis-roman-page"),
    pytest.param("book", {"page": "12-14", "number-of-pages": "300"}, id="book-range-and-extent"),
    pytest.param("book", {"number-of-pages": "300"}, id="book-extent"),
    pytest.param("article-journal", {"page": "e5"}, id="article-page"),
]


@pytest.mark.parametrize(("kind", "fields"), BOOK_PAGES)
def test_pages_of_every_type_read_back_as_written(kind, fields):
    import json

    item = {"id": "k", "type": kind, "title": "T", **fields}
    (record,), _ = read_ris(to_ris("-f", "csljson", "-", input=json.dumps([item])))
    assert {k: record.fields.get(k) for k in ("page", "number-of-pages")} == {
        "page": fields.get("page"),
        "number-of-pages": fields.get("number-of-pages"),
    }
