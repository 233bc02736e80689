"""crossref and xdata resolved as biber resolves them (refconv/formats/bibtex/inherit.py):
biblatex's type rules as a table, the fields never inherited, and the streaming: children
before or after their parent, across chunks, memory held by waiting entries only."""

from __future__ import annotations

import io
import itertools

import pytest
from bibtexparser.entrypoint import parse_string
from bibtexparser.model import Entry

from refconv.formats.base import ReadRules
from refconv.formats.bibtex import read as bibtex_read
from refconv.formats.bibtex.inherit import NEVER_INHERITED, Inheritance
from refconv.formats.bibtex.read import BibtexReader, Macros
from refconv.io import iter_lines

from .conftest import Collect


def entries(text: str) -> list[Entry]:
    """The entries of ``text`` with their values expanded, as the reader hands them on."""
    macros = Macros(ReadRules(lambda m, p, n, code: None, "t"))
    out = list(parse_string(text, parse_stack=[]).entries)
    for entry in out:
        for field in entry.fields:
            field.value = macros.expand(field.value, 1, field.key)
    return out


def resolve(text: str) -> tuple[dict[str, dict[str, str]], list[str]]:
    """Key → {field: value} of the entries Inheritance gives for ``text``, and warnings."""
    warnings: list[str] = []
    inheritance = Inheritance(ReadRules(lambda m, p, n, code: warnings.append(m), "t"))
    out: list[Entry] = []
    for entry in entries(text):
        out.extend(inheritance.add(entry))
    out.extend(inheritance.finish())
    resolved = {}
    for entry in out:
        fields: dict[str, str] = {}
        for field in entry.fields:
            fields.setdefault(field.key.lower(), str(field.value))
        resolved[entry.key] = fields
    return resolved, warnings


def read(text: str, path: str = "t.bib"):
    diagnostics = Collect()
    lines = iter_lines(io.BytesIO(text.encode()), path, diagnostics)
    return list(BibtexReader(diagnostics=diagnostics).read(lines, path)), diagnostics.messages


#: (parent type, child type, parent field, the child fields it fills), biblatex.def.
TYPE_CASES = [
    ("book", "inbook", "title", {"booktitle"}),
    ("book", "inbook", "subtitle", {"booksubtitle"}),
    ("book", "inbook", "titleaddon", {"booktitleaddon"}),
    ("book", "inbook", "author", {"author", "bookauthor"}),
    ("book", "inbook", "shorttitle", set()),
    ("book", "inbook", "sorttitle", set()),
    ("book", "inbook", "publisher", {"publisher"}),
    ("book", "bookinbook", "title", {"booktitle"}),
    ("book", "bookinbook", "author", {"author", "bookauthor"}),
    ("book", "suppbook", "titleaddon", {"booktitleaddon"}),
    ("mvbook", "inbook", "title", {"maintitle"}),
    ("mvbook", "inbook", "author", {"author", "bookauthor"}),
    ("mvbook", "book", "title", {"maintitle"}),
    ("mvbook", "book", "subtitle", {"mainsubtitle"}),
    ("mvbook", "book", "author", {"author"}),
    ("mvbook", "bookinbook", "titleaddon", {"maintitleaddon"}),
    ("collection", "incollection", "title", {"booktitle"}),
    ("collection", "incollection", "editor", {"editor"}),
    ("collection", "incollection", "author", {"author"}),
    ("collection", "suppcollection", "subtitle", {"booksubtitle"}),
    ("reference", "inreference", "title", {"booktitle"}),
    ("mvcollection", "collection", "title", {"maintitle"}),
    ("mvcollection", "incollection", "title", {"maintitle"}),
    ("mvreference", "inreference", "subtitle", {"mainsubtitle"}),
    ("mvreference", "reference", "indextitle", set()),
    ("proceedings", "inproceedings", "title", {"booktitle"}),
    ("proceedings", "inproceedings", "eventtitle", {"eventtitle"}),
    ("proceedings", "inproceedings", "venue", {"venue"}),
    ("mvproceedings", "proceedings", "title", {"maintitle"}),
    ("mvproceedings", "inproceedings", "titleaddon", {"maintitleaddon"}),
    ("periodical", "article", "title", {"journaltitle"}),
    ("periodical", "article", "subtitle", {"journalsubtitle"}),
    ("periodical", "article", "titleaddon", {"journaltitleaddon"}),
    ("periodical", "suppperiodical", "title", {"journaltitle"}),
    ("periodical", "article", "issn", {"issn"}),
    # no type rule: every field under its own name (biblatex's default inheritance)
    ("book", "article", "title", {"title"}),
    ("misc", "misc", "title", {"title"}),
    ("article", "inbook", "title", {"title"}),
    ("online", "misc", "url", {"url"}),
]


@pytest.mark.parametrize(
    ("parent", "child", "field", "targets"),
    [pytest.param(*case, id=f"{case[0]}-{case[1]}-{case[2]}") for case in TYPE_CASES],
)
def test_type_rules(parent: str, child: str, field: str, targets: set[str]) -> None:
    """The parent's field lands in exactly the child fields biblatex.def names; the child
    has a field of its own (``pages``) the parent does not touch. The parent comes after
    the child, as BibTeX wants it."""
    text = f"@{child}{{c, pages = {{1--2}}, crossref = {{p}}}}\n@{parent}{{p, {field} = {{V}}}}\n"
    resolved, warnings = resolve(text)
    got = {k for k, v in resolved["c"].items() if v == "V"}
    assert got == targets
    assert resolved["c"]["pages"] == "1--2"
    assert "crossref" not in resolved["c"]  # read.py keeps the key in custom
    assert warnings == []


@pytest.mark.parametrize("field", sorted(NEVER_INHERITED))
def test_never_inherited(field: str) -> None:
    resolved, _ = resolve(f"@book{{p, {field} = {{V}}}}\n@inbook{{c, crossref = {{p}}}}\n")
    assert field not in resolved["c"] or resolved["c"][field] != "V"


def test_child_fields_win_over_the_parent() -> None:
    resolved, _ = resolve(
        "@inbook{c, booktitle = {Own}, publisher = {Own P}, crossref = {p}}\n"
        "@book{p, title = {T}, publisher = {P}, year = {2000}}\n"
    )
    assert resolved["c"]["booktitle"] == "Own"
    assert resolved["c"]["publisher"] == "Own P"
    assert resolved["c"]["year"] == "2000"


def test_nested_crossref_in_any_order() -> None:
    """inbook → book → mvbook, in each of the six orders: the same fields every time."""
    blocks = [
        "@inbook{c, title = {Ch}, crossref = {b}}",
        "@book{b, title = {Vol}, volume = {2}, crossref = {m}}",
        "@mvbook{m, title = {Works}, publisher = {P}, author = {A, B}}",
    ]
    results = []
    for order in itertools.permutations(blocks):
        resolved, warnings = resolve("\n".join(order))
        assert warnings == []
        results.append(resolved["c"])
    assert all(r == results[0] for r in results)
    assert results[0] == {
        "title": "Ch",
        "booktitle": "Vol",
        "volume": "2",
        "maintitle": "Works",
        "publisher": "P",
        "author": "A, B",
        "bookauthor": "A, B",
    }


def test_xdata_is_merged_last_wins_and_no_record() -> None:
    """biber 2.19 (``biber --tool --output-resolve``): the @xdata value wins over the
    entry's own, the last @xdata over earlier ones; refconv keeps the losers after it, so
    ``build_record`` keeps them as repeated fields."""
    text = (
        "@book{k, location = {Own}, xdata = {x1, x2}}\n"
        "@xdata{x1, location = {L1}, note = {N1}, xdata = {x0}}\n"
        "@xdata{x2, note = {N2}}\n"
        "@xdata{x0, series = {S0}, ids = {alias}}\n"
    )
    resolved, warnings = resolve(text)
    assert list(resolved) == ["k"]
    assert resolved["k"] == {"location": "L1", "note": "N2", "series": "S0"}
    assert warnings == []
    records, messages = read(text)
    assert [r.fields["citation-key"] for r in records] == ["k"]
    assert records[0].fields["note"] == "N2"
    assert records[0].fields["publisher-place"] == "L1"
    assert records[0].extra == {"note": ["N1"], "location": ["Own"]}
    assert messages == [
        "t.bib:2: repeated note; the first value is used, this one is kept in custom",
        "t.bib:1: repeated location; the first value is used, this one is kept in custom",
        "t.bib:1: record has no title",
    ]


def test_missing_and_looping_parents_are_kept_with_a_warning() -> None:
    records, messages = read(
        "@incollection{a, title = {A}, crossref = {none}}\n"
        "@book{b1, title = {B1}, crossref = {b2}}\n"
        "@book{b2, title = {B2}, crossref = {b1}}\n"
        "@book{x, title = {X}, xdata = {gone}}\n"
    )
    assert [r.fields["citation-key"] for r in records] == ["a", "b1", "b2", "x"]
    assert records[0].extra == {"crossref": ["none"]}
    assert records[3].extra == {"xdata": ["gone"]}
    assert messages == [
        "t.bib:1: crossref to 'none' is not resolved; kept in custom",
        "t.bib:2: crossref to 'b2' is not resolved; kept in custom",
        "t.bib:4: xdata 'gone' is not resolved (no @xdata entry has that key); kept in custom",
    ]


def test_records_keep_file_order_and_the_crossref_key() -> None:
    records, messages = read(
        "@inproceedings{p1, title = {P1}, crossref = {conf}}\n"
        "@article{a, title = {A}, journal = {J}}\n"
        "@inproceedings{p2, title = {P2}, crossref = {CONF}}\n"
        "@proceedings{conf, title = {Conf}, year = {2010}}\n"
    )
    assert [r.fields["citation-key"] for r in records] == ["a", "p1", "p2", "conf"]
    for record in records[1:3]:
        assert record.fields["container-title"] == "Conf"
        assert record.dates["issued"].parts == ((2010,),)
    assert records[1].extra == {"crossref": ["conf"]}
    assert records[2].extra == {"crossref": ["CONF"]}  # as written; keys match any case
    assert messages == []


def test_an_inherited_field_is_reported_at_its_own_line() -> None:
    _, messages = read(
        "@inbook{c,\n  title = {C},\n  crossref = {p}\n}\n"
        "@book{p,\n  title = {P},\n  shelfmark = {B1}\n}\n"
    )
    assert messages == [
        "t.bib:7: unknown field shelfmark; kept in custom",  # the child's copy
        "t.bib:7: unknown field shelfmark; kept in custom",  # the parent's own
    ]


def test_memory_holds_waiting_children_and_parent_types_only() -> None:
    """1000 articles and a child whose parent never comes: nothing else is kept."""
    text = "".join(f"@article{{a{i}, title = {{T}}}}\n" for i in range(1000))
    text += "@inbook{c, crossref = {late}}\n@book{b, title = {B}}\n"
    inheritance = Inheritance(ReadRules(lambda m, p, n, code: None, "t"))
    released = 0
    for entry in entries(text):
        released += len(inheritance.add(entry))
    assert released == 1001  # the articles and the book; the child waits
    assert set(inheritance.parents) == {"b"}
    assert {k: [e.key for e in v] for k, v in inheritance.waiting.items()} == {"late": ["c"]}
    assert [e.key for e in inheritance.finish()] == ["c"]
    assert inheritance.waiting == {}


@pytest.mark.parametrize("chunk_lines", [1, 2, 5, 5000])
def test_chunks_do_not_change_the_result(chunk_lines: int, monkeypatch) -> None:
    """crossref, xdata, @string, @preamble and % comment lines across chunk boundaries."""
    text = (
        "@string{pub = {Harbour Press}}\n"
        '@preamble{"\\relax"}\n'
        "@inproceedings{p,\n  % title = {old},\n  title = {T},\n  crossref = {c}\n}\n"
        "@xdata{x, location = {Bergen}}\n"
        "@proceedings{c,\n  title = {Conf},\n  publisher = pub,\n  xdata = {x}\n}\n"
    )
    monkeypatch.setattr(bibtex_read, "CHUNK_LINES", 5000)
    expected = read(text)
    monkeypatch.setattr(bibtex_read, "CHUNK_LINES", chunk_lines)
    records, messages = read(text)
    assert (
        messages
        == expected[1]
        == [
            "t.bib:4: '% title = {old},': a line starting with % inside an entry is a comment "
            "(as biber reads it); skipped"
        ]
    )
    assert records == expected[0]
    assert records[0].fields["publisher"] == "Harbour Press"
    assert records[0].fields["publisher-place"] == "Bergen"
    assert records[0].extra == {"@preamble": ["\\relax"], "crossref": ["c"]}
