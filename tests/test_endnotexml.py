"""EndNote XML: the tables, the agreement with the tagged export (every element of every
reference type reads as its Refer tag does), the writer's goldens, parsing safety (no DTD,
no entity, no network; ill-formed XML is one error) and the writer's escaping of hostile
values."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from refconv import Collected, RefconvError, convert, read
from refconv.cli import cli
from refconv.formats.csljson.write import record_to_csl
from refconv.formats.endnotexml.read import EndnoteXmlReader
from refconv.formats.endnotexml.syntax import (
    is_path,
    join_notes,
    secondary_title_tag,
    split_notes,
)
from refconv.formats.endnotexml.tables import (
    DROPPED,
    ELEMENT_TARGETS,
    ELEMENT_TO_TAG,
    GROUP_ORDER,
    GROUPS,
    LIST_ITEMS,
    RECORD_ORDER,
    REF_TYPE_NUMBERS,
    RICH_ELEMENTS,
    TAG_TO_ELEMENT,
)
from refconv.formats.endnotexml.write import EMPTY, EPILOGUE, PROLOGUE, EndnoteXmlWriter
from refconv.formats.refer.syntax import endnote_tags, lookup_type
from refconv.formats.refer.tables import ENDNOTE_TAGS, ENDNOTE_TYPE_TO_CSL
from refconv.model import CSL_TYPES, DATE_VARIABLES, NAME_VARIABLES, TEXT_VARIABLES
from refconv.plugins import Registry

from .conftest import FORMATS, SEED
from .test_golden import compare

CASES = FORMATS / "endnotexml"
_VARIABLES = set(TEXT_VARIABLES) | set(NAME_VARIABLES) | set(DATE_VARIABLES) | {"keyword"}


def xml_record(body: str, type_name: str | None = "Journal Article") -> bytes:
    """An EndNote XML file of one record: ``ref-type`` (its number when known) and ``body``."""
    kind = ""
    if type_name is not None:
        kind = f'<ref-type name="{type_name}">{REF_TYPE_NUMBERS.get(type_name, 13)}</ref-type>'
    text = f'<?xml version="1.0" encoding="UTF-8"?><xml><records><record>{kind}{body}'
    return (text + "</record></records></xml>\n").encode()


def element(path: str, value: str) -> str:
    """``value`` in the element at ``path`` (in its group, as an item of its list)."""
    top, _, sub = path.partition("/")
    leaf = sub or top
    inner = f'<style face="normal" font="default" size="100%">{value}</style>'
    if path in LIST_ITEMS:
        inner = f"<{LIST_ITEMS[path]}>{inner}</{LIST_ITEMS[path]}>"
    inner = f"<{leaf}>{inner}</{leaf}>"
    return f"<{top}>{inner}</{top}>" if sub else inner


def one(data: bytes, fmt: str = "endnote-xml") -> tuple[dict[str, object], list[str]]:
    """The CSL-JSON item (no id) of the one record of ``data``, and the warnings' texts."""
    sink = Collected()
    (record,) = read(data, fmt, diagnostics=sink)
    item = record_to_csl(record)
    del item["id"]
    return item, [m.message for m in sink.messages]


# --- tables -----------------------------------------------------------------------------------


def test_every_endnote_field_has_an_element() -> None:
    """Each tag of the tagged export has an element (Secondary Title is %J or %B), and each
    element's tag is an EndNote tag: the three EndNote exports hold the same fields."""
    assert set(ELEMENT_TO_TAG.values()) <= set(ENDNOTE_TAGS)
    assert set(ENDNOTE_TAGS) - {"%J"} <= set(ELEMENT_TO_TAG.values())
    assert set(TAG_TO_ELEMENT) == set(ENDNOTE_TAGS) - {"%0"}
    for tag, path in TAG_TO_ELEMENT.items():
        assert ELEMENT_TO_TAG[path] == ("%B" if tag == "%J" else tag)


def test_tables_agree_with_each_other() -> None:
    paths = set(ELEMENT_TO_TAG) | set(ELEMENT_TARGETS)
    assert not set(ELEMENT_TO_TAG) & set(ELEMENT_TARGETS)
    assert not set(DROPPED) & paths
    for path in paths | set(DROPPED):
        top, _, sub = path.partition("/")
        assert top in RECORD_ORDER, path
        assert (top in GROUPS) == bool(sub), path
        if sub:
            assert sub in GROUP_ORDER[top], path
    assert set(LIST_ITEMS) <= paths and set(RICH_ELEMENTS) <= paths
    assert len(set(RECORD_ORDER)) == len(RECORD_ORDER)
    for target in ELEMENT_TARGETS.values():
        assert target is None or (isinstance(target, str) and target[1:] in _VARIABLES)


def test_ref_type_numbers() -> None:
    """Every numbered type is an EndNote type of the tagged export; numbers are unique."""
    assert set(REF_TYPE_NUMBERS) <= set(ENDNOTE_TYPE_TO_CSL)
    assert len(set(REF_TYPE_NUMBERS.values())) == len(REF_TYPE_NUMBERS)
    assert REF_TYPE_NUMBERS["Journal Article"] == 17 and REF_TYPE_NUMBERS["Book"] == 6


@pytest.mark.parametrize("name", sorted(ENDNOTE_TYPE_TO_CSL))
def test_ref_type_reads_as_the_tagged_type(name: str) -> None:
    """A ``ref-type`` name means what the same ``%0`` means (same CSL type, same kept type),
    and its number alone means the same."""
    title = "<titles><title>T</title></titles>"
    xml, warnings = one(xml_record(title, name))
    refer, _ = one(f"%0 {name}\n%T T\n".encode(), "refer")
    assert xml == refer and warnings == []
    assert xml["type"] == lookup_type(name)[1] == ENDNOTE_TYPE_TO_CSL[name]
    if name in REF_TYPE_NUMBERS:
        number = f"<ref-type>{REF_TYPE_NUMBERS[name]}</ref-type>{title}"
        assert one(xml_record(number, None)) == (xml, [])


#: A value each tag reads as something (a name for a name tag, a date for a date tag).
SAMPLE = {"%A": "Smith, John", "%E": "Doe, Jane", "%Y": "Roe, Rich", "%?": "Poe, Pat",
          "%H": "Yu, Min", "%D": "2001", "%8": "2001-03-04", "%[": "2020-01-02",
          "%U": "https://example.org/a", "%@": "0028-0836", "%R": "10.1000/xyz",
          "%K": "keyword"}  # fmt: skip


@pytest.mark.parametrize("type_name", sorted(REF_TYPE_NUMBERS))
def test_every_element_reads_as_its_tag(type_name: str) -> None:
    """For every type, each element alone gives the record the tagged export's field gives
    (the same variable, the same kept value, the same warnings)."""
    for path, tag in ELEMENT_TO_TAG.items():
        if tag == "%0":
            continue
        if path == "titles/secondary-title":
            tag = secondary_title_tag(type_name)
        value = SAMPLE.get(tag, "Sample 12")
        title = "" if path == "titles/title" else element("titles/title", "T")
        xml, xml_warnings = one(xml_record(title + element(path, value), type_name))
        text = f"%0 {type_name}\n" + ("" if tag == "%T" else "%T T\n") + f"{tag} {value}\n"
        refer, refer_warnings = one(text.encode(), "refer")
        assert xml == refer, (type_name, path)
        assert len(xml_warnings) == len(refer_warnings), (type_name, path)


ROWS = [
    ("Journal Article", "titles/secondary-title", "Nature", "container-title", "Nature"),
    ("Book", "titles/secondary-title", "Lecture Notes", "collection-title", "Lecture Notes"),
    ("Book Section", "titles/secondary-title", "Handbook", "container-title", "Handbook"),
    ("Conference Paper", "titles/secondary-title", "ICML", "event-title", "ICML"),
    ("Journal Article", "titles/alt-title", "Nat.", "container-title-short", "Nat."),
    ("Journal Article", "titles/short-title", "Short", "title-short", "Short"),
    ("Book", "titles/tertiary-title", "Series", "collection-title", "Series"),
    ("Journal Article", "electronic-resource-num", "doi:10.1000/x", "DOI", "10.1000/x"),
    ("Journal Article", "isbn", "0028-0836", "ISSN", "0028-0836"),
    ("Book", "isbn", "978-3-16-148410-0", "ISBN", "978-3-16-148410-0"),
    ("Report", "isbn", "TR-7", "number", "TR-7"),
    ("Journal Article", "custom2", "PMC123", "PMCID", "PMC123"),
    ("Journal Article", "custom7", "e12", "number", "e12"),
    ("Journal Article", "section", "101", "page-first", "101"),
    ("Journal Article", "number", "4", "issue", "4"),
    ("Book", "number", "4", "collection-number", "4"),
    ("Book", "pages", "320", "number-of-pages", "320"),
    ("Thesis", "work-type", "PhD thesis", "genre", "PhD thesis"),
    ("Journal Article", "edition", "2020-01-05", "available-date", {"date-parts": [[2020, 1, 5]]}),
    ("Journal Article", "access-date", "2021-02-03", "accessed", {"date-parts": [[2021, 2, 3]]}),
    ("Journal Article", "dates/pub-dates", "2019-05-06", "issued", {"date-parts": [[2019, 5, 6]]}),
    ("Journal Article", "label", "key1", "citation-key", "key1"),
    ("Journal Article", "call-num", "QA76", "call-number", "QA76"),
    ("Journal Article", "language", "German", "language", "German"),
    ("Journal Article", "remote-database-name", "Scopus", "archive", "Scopus"),
    ("Journal Article", "remote-database-provider", "Elsevier", "source", "Elsevier"),
    ("Journal Article", "accession-num", "WOS:1", "archive_location", "WOS:1"),
    ("Book", "pub-location", "Paris", "publisher-place", "Paris"),
    ("Book", "publisher", "Gallimard", "publisher", "Gallimard"),
    ("Book", "num-vols", "3", "number-of-volumes", "3"),
    ("Journal Article", "abstract", "Text.", "abstract", "Text."),
    ("Journal Article", "urls/related-urls", "https://x.org/", "URL", "https://x.org/"),
    ("Journal Article", "urls/web-urls", "https://x.org/", "URL", "https://x.org/"),
    ("Journal Article", "orig-pub", "First 1869", "original-title", "First 1869"),
    ("Journal Article", "reviewed-item", "A book", "reviewed-title", "A book"),
    ("Journal Article", "contributors/authors", "Nahta, Rita", "author",
     [{"family": "Nahta", "given": "Rita"}]),
    ("Book Section", "contributors/secondary-authors", "Doe, J", "editor",
     [{"family": "Doe", "given": "J"}]),
    ("Book", "contributors/subsidiary-authors", "Roe, R", "translator",
     [{"family": "Roe", "given": "R"}]),
    ("Journal Article", "keywords", "HER2", "keyword", "HER2"),
    # kept in custom: a field without a CSL variable, under its Refer tag or element path
    ("Journal Article", "urls/pdf-urls", "internal-pdf://1/a.pdf", "%>", ["internal-pdf://1/a.pdf"]),
    ("Journal Article", "auth-address", "Emory", "%+", ["Emory"]),
    ("Journal Article", "research-notes", "Read", "%<", ["Read"]),
    ("Journal Article", "titles/translated-title", "Titre", "%Q", ["Titre"]),
    ("Journal Article", "contributors/translated-authors", "Yu, Min", "%H", ["Yu, Min"]),
    ("Journal Article", "custom5", "c5", "%#", ["c5"]),
    ("Journal Article", "custom8", "c8", "custom8", ["c8"]),
    ("Journal Article", "misc1", "m1", "misc1", ["m1"]),
    ("Journal Article", "secondary-volume", "2", "secondary-volume", ["2"]),
    ("Journal Article", "periodical/abbr-2", "N.", "periodical/abbr-2", ["N."]),
    ("Journal Article", "dates/copyright-dates", "1999", "dates/copyright-dates", ["1999"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("type_name", "path", "value", "key", "expected"),
    [pytest.param(*row, id=f"{row[0]}:{row[1]}") for row in ROWS],
)
def test_element_to_variable(type_name, path, value, key, expected) -> None:
    item, warnings = one(xml_record(element("titles/title", "T") + element(path, value), type_name))
    found = item.get(key, item.get("custom", {}).get(key))
    assert found == expected
    assert warnings == []


def test_periodical_is_read_only_when_it_says_something_new() -> None:
    """The term list entry that repeats the journal (in any case) is passed over; one that
    names the journal when no title does fills it; one that disagrees is kept."""
    echo = element("titles/secondary-title", "ISRN Oncology") + element(
        "periodical/full-title", "isrn  oncology"
    )
    item, warnings = one(xml_record(echo))
    assert (item, warnings) == (
        {"type": "article-journal", "container-title": "ISRN Oncology"},
        ["record has no title"],
    )
    alone = element("periodical/full-title", "Cell") + element("periodical/abbr-1", "Cell.")
    item, _ = one(xml_record(alone))
    assert (item["container-title"], item["container-title-short"]) == ("Cell", "Cell.")
    other = element("titles/secondary-title", "Cell") + element("periodical/full-title", "Nature")
    item, warnings = one(xml_record(other))
    assert item["custom"] == {"periodical/full-title": ["Nature"]}
    assert "periodical/full-title 'Nature': container-title is set already; kept in custom" in (
        warnings
    )


# --- style runs -------------------------------------------------------------------------------


def _runs(*runs: tuple[str, str], font: str = "default") -> str:
    return "".join(f'<style face="{f}" font="{font}" size="100%">{t}</style>' for f, t in runs)


@pytest.mark.parametrize(
    ("runs", "expected"),
    [
        pytest.param([("normal", "A "), ("normal", "B")], "A B", id="joined"),
        pytest.param([("italic", "E. "), ("italic", "coli")], "<i>E. coli</i>", id="merged"),
        pytest.param([("bold italic", "x")], "<b><i>x</i></b>", id="bold_italic"),
        pytest.param([("italic bold", "x")], "<b><i>x</i></b>", id="face_order"),
        pytest.param([("normal", "CO"), ("subscript", "2")], "CO<sub>2</sub>", id="subscript"),
        pytest.param([("normal", "Ca"), ("superscript", "2+")], "Ca<sup>2+</sup>", id="sup"),
        pytest.param([("underline", "u")], "u", id="underline_plain"),
        pytest.param([("normal", "&lt;i&gt;")], "<i>", id="escaped_text"),
    ],
)
def test_style_runs_of_a_title(runs, expected) -> None:
    item, _ = one(xml_record(f"<titles><title>{_runs(*runs)}</title></titles>"))
    assert item["title"] == expected


def test_style_faces_are_plain_outside_titles_abstract_notes() -> None:
    item, _ = one(
        xml_record(element("titles/title", "T") + f"<volume>{_runs(('italic', '3'))}</volume>")
    )
    assert item["volume"] == "3"


def test_a_symbol_font_is_reported() -> None:
    body = f"<titles><title>{_runs(('normal', 'a'), font='Symbol')}-helix</title></titles>"
    item, warnings = one(xml_record(body))
    assert item["title"] == "a-helix"
    assert warnings == ["style font 'Symbol' is not kept; its text is read as written"]


# --- notes ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "entries",
    [
        pytest.param(["issue: 7", "own note"], id="value_then_note"),
        pytest.param(["annote: a\nissue: 7\n  b", "own\n\n issue: 8\nx"], id="continued"),
        pytest.param(["own first\nDOI: 10.1/x"], id="own_only"),
        pytest.param(["DOI: see\n\nlater"], id="keyed_own"),
    ],
)
def test_notes_entries_survive_one_element(entries) -> None:
    assert split_notes(join_notes(entries)) == entries


# --- the writer -------------------------------------------------------------------------------

WRITER_CASES = ["endnote_export", "style_runs", "notes", "types", "unknown_elements", "dates"]


@pytest.mark.parametrize("case", WRITER_CASES)
def test_writer_golden(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each golden written as EndNote XML (``<case>.out.xml``), and that output a fixed point."""
    monkeypatch.chdir(CASES)
    args = ["convert", "-q", f"{case}.xml", "-f", "endnote-xml", "-t", "endnote-xml"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.stderr
    compare(CASES / f"{case}.out.xml", result.stdout)
    again = CliRunner().invoke(cli, [*args[:2], "-", *args[3:]], input=result.stdout)
    assert again.stdout == result.stdout


def test_the_seed_record_as_endnote_xml() -> None:
    """The seed record (tagged EndNote) written as EndNote XML is the golden
    ``nahta2012.xml``, which reads back as the seed does."""
    result = CliRunner().invoke(cli, ["convert", "-q", str(SEED), "-t", "endnote-xml"])
    assert result.exit_code == 0
    compare(CASES / "nahta2012.xml", result.stdout)
    back = CliRunner().invoke(cli, ["convert", "-q", "-", "-t", "csljson"], input=result.stdout)
    refer = CliRunner().invoke(cli, ["convert", "-q", str(SEED), "-t", "refer"])
    seed = CliRunner().invoke(cli, ["convert", "-q", "-", "-t", "csljson"], input=refer.stdout)
    assert back.stdout == seed.stdout


def test_a_type_name_with_control_characters() -> None:
    """A %0 name kept from a Refer input (an unknown type) is the ref-type's name attribute:
    escaped, and what XML cannot hold replaced, with a warning (found by the fuzz tests)."""
    sink = Collected()
    out = convert(b"%0 Cartoon\x1b\n%T T\n", None, "refer", "endnote-xml", diagnostics=sink)
    assert out is not None and '<ref-type name="Cartoon\ufffd">13</ref-type>' in out
    assert etree.fromstring(out.encode()) is not None
    assert "ref-type 'Cartoon\\x1b': U+001B cannot be written in XML 1.0; written as U+FFFD" in [
        m.message for m in sink.messages
    ]


def test_writer_frame_and_empty_output() -> None:
    assert EndnoteXmlWriter.frame == (PROLOGUE, "\n", EPILOGUE, EMPTY)
    assert convert(b"[]", None, "csljson", "endnote-xml") == EMPTY
    sink = Collected()
    assert list(read(EMPTY.encode(), "endnote-xml", diagnostics=sink)) == []
    assert next(m.message for m in sink.messages).startswith("no records found")


HOSTILE = [
    "a</title></titles></record><record><titles><title>forged",
    "x & y < z > w",
    "]]><![CDATA[",
    "<!DOCTYPE x [<!ENTITY e 'e'>]>&e;",
    '" name="forged',
    "ctl\x01\x02\x1f end",
    "lone \ud800 surrogate",
    "vt\x0bff\x0cline",
    "long " + "é" * 200_000,
    "<i>rich</i> and <b>bold</b>",
    "<i>unclosed",
]


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_values_cannot_change_the_structure(value: str) -> None:
    """Every value in a title, a note, a custom key and a type name: the output parses, holds
    one record per input record, and the value reads back as itself, or with what XML 1.0
    cannot hold as U+FFFD (with a warning) and its line breaks as LF."""
    item = {"id": "k", "type": "book", "title": value, "note": value, "publisher": value,
            "custom": {value[:20]: [value], "record": [value], "xml": [value]}}  # fmt: skip
    items = [item, {"id": "k2", "type": "book", "title": "Second"}]
    sink = Collected()
    out = convert(json.dumps(items).encode(), None, "csljson", "endnote-xml", diagnostics=sink)
    assert out is not None
    root = etree.fromstring(out.encode())
    assert [e.tag for e in root] == ["records"]
    assert len(root[0]) == 2 and all(r.tag == "record" for r in root[0])
    expected = re.sub("[\x00-\x08\x0e-\x1f\ud800-\udfff]", "\ufffd", value)
    expected = re.sub("[\x0b\x0c]", "\n", expected)
    (back, second) = read(out.encode(), "endnote-xml", diagnostics=Collected())
    assert second.fields["title"] == "Second"
    title = back.fields["title"]
    assert title == (" ".join(expected.split("\n")) if "\n" in expected else expected)
    assert back.fields["publisher"] == title
    # (a lone surrogate is U+FFFD already: the CSL-JSON reader replaced it, with its warning)
    bad = re.search("[\x00-\x08\x0e-\x1f]", value) is not None
    assert any("cannot be written in XML 1.0" in m.message for m in sink.messages) == bad


# --- parsing safety ---------------------------------------------------------------------------


def run_cli(data: bytes, *args: str):
    result = CliRunner().invoke(cli, ["convert", "-f", "endnote-xml", "-t", "csljson", *args],
                                input=data)  # fmt: skip
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result


def test_external_entities_are_never_read(tmp_path: Path) -> None:
    """A DOCTYPE is refused, wherever it hides, so no entity (general or parameter) that
    names a local file is read."""
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    uri = secret.as_uri()
    record = "<xml><records><record><titles><title>&s;</title></titles></record></records></xml>"
    for prolog in (
        f'<!DOCTYPE xml [<!ENTITY s SYSTEM "{uri}">]>',
        f'<!-- <b> --><!DOCTYPE xml [<!ENTITY s SYSTEM "{uri}">]>',
        f'<!DOCTYPE xml [<!ENTITY % p SYSTEM "{uri}"> %p;]>',
        f'<!DOCTYPE xml SYSTEM "{uri}">',
    ):
        result = run_cli(f'<?xml version="1.0"?>\n{prolog}\n{record}\n'.encode())
        assert result.exit_code == 1
        assert "TOPSECRET" not in result.stdout + result.stderr
        assert re.fullmatch(r"<stdin>:\d: error: a DOCTYPE is not read in EndNote XML[^\n]*\n",
                            result.stderr)  # fmt: skip


def test_billion_laughs_is_refused_at_once() -> None:
    result = run_cli((CASES / "billion_laughs.xml").read_bytes())
    assert result.exit_code == 1 and "lol" not in result.stdout
    assert result.stderr.startswith("<stdin>:2: error: a DOCTYPE is not read")


@pytest.mark.parametrize(
    ("data", "line"),
    [
        pytest.param(b"<xml><records><record><titles><title>x</titl>", 1, id="mismatch"),
        pytest.param(b"<xml><records>\n<record>\n<titles>", 3, id="truncated"),
        pytest.param(b"<xml><records>\n<record>\n<titles>\n", 3, id="truncated_eol"),
        pytest.param(b"<xml><records><record>" + b"<a>" * 5000, 1, id="too_deep"),
        pytest.param(b"<xml><records><record>&nbsp;</record></records></xml>", 1, id="entity"),
        pytest.param(b"<xml><records></records></xml><xml/>", 1, id="two_roots"),
        pytest.param(b"\x00\x01 not xml", 1, id="binary"),
    ],
)
def test_ill_formed_xml_is_one_error(data: bytes, line: int) -> None:
    result = run_cli(data)
    assert result.exit_code == 1
    errors = result.stderr.splitlines()
    assert len(errors) == 1 and errors[0].startswith(f"<stdin>:{line}: error: ")


def test_a_value_over_libxml2s_limit_is_an_error() -> None:
    """huge_tree stays off: a text node over 10 MB is refused, not read into memory whole."""
    big = b"x" * (10_000_001)
    result = run_cli(b"<xml><records><record><titles><title>" + big + b"</title></titles>"
                     b"</record></records></xml>")  # fmt: skip
    assert result.exit_code == 1 and ": error: not well-formed XML" in result.stderr


def test_records_before_an_error_are_read() -> None:
    records = read((CASES / "malformed.xml").read_bytes(), "endnote-xml", diagnostics=Collected())
    assert next(records).fields["title"] == "Read before the error"
    with pytest.raises(RefconvError) as caught:
        next(records)
    assert (caught.value.line, caught.value.message) == (
        4,
        "not well-formed XML: EntityRef: expecting ';' (column 81)",
    )


# --- content detection ------------------------------------------------------------------------

HEADS = {
    '<?xml version="1.0" encoding="UTF-8" ?><xml><records><record>': True,
    "\ufeff<?xml version='1.0'?>\n<!-- export -->\n<xml>\n  <records>\n": True,
    "<xml><records>": True,
    '<?xml version="1.0"?><modsCollection xmlns="http://www.loc.gov/mods/v3">': False,
    "<xml><record>": False,
    "<records><record>": False,
    "[{}]": False,
    "%0 Book": False,
}


@pytest.mark.parametrize(("head", "expected"), HEADS.items())
def test_sniff(head: str, expected: bool) -> None:
    assert EndnoteXmlReader.sniff(head) is expected
    if expected:  # no other reader claims it
        found = [c.name for c in Registry().readers().values() if c.sniff(head)]
        assert found == ["endnote-xml"]


def test_xml_suffix_is_told_by_content(tmp_path: Path) -> None:
    """``.xml`` is no suffix of the reader (MODS shares it): an EndNote file is found by its
    content, and ``-o x.xml`` names no writer."""
    path = tmp_path / "refs.xml"
    path.write_bytes((CASES / "types.xml").read_bytes())
    result = CliRunner().invoke(cli, ["convert", "-q", str(path), "-t", "csljson"])
    assert result.exit_code == 0 and result.stdout.count('"id"') == 12
    assert Registry().reader_for_path("refs.xml") is None
    assert Registry().writer_for_path("refs.xml") is None


def test_paths_the_writer_may_use() -> None:
    """Only EndNote's own elements: an unknown one (read from a file, or a custom key of
    another format) goes to the notes, which EndNote imports."""
    assert is_path("custom8") and is_path("periodical/abbr-2") and is_path("misc1")
    for bad in ("titles/subtitle", "grant-number", "record", "xml", "a b", "%A", "", "shelf"):
        assert not is_path(bad), bad


def test_unknown_elements_are_written_to_the_notes() -> None:
    out = convert((CASES / "unknown_elements.xml").read_bytes(), None, "endnote-xml",
                  "endnote-xml", diagnostics=Collected(quiet=True))  # fmt: skip
    assert out is not None
    (record, _) = read(out.encode(), "endnote-xml", diagnostics=Collected(quiet=True))
    assert record.fields["note"].splitlines() == [
        "titles/subtitle: An unknown title element",
        "grant-number: R01-CA123456",
    ]


def test_tags_of_each_type_are_carried() -> None:
    """Secondary Title is the type's %B where the type gives %B its own meaning, else %J."""
    assert secondary_title_tag("Journal Article") == "%J"
    assert secondary_title_tag("Book") == "%B"
    assert secondary_title_tag("Book Section") == "%B"
    for name in ENDNOTE_TYPE_TO_CSL:
        tag = secondary_title_tag(name)
        kept = ("Thesis", "Standard", "Chart or Table", "Equation", "Figure")
        assert endnote_tags(name)[tag] is not None or name in kept
        assert ENDNOTE_TYPE_TO_CSL[name] in CSL_TYPES


@pytest.mark.parametrize("case", [c for c in WRITER_CASES if c != "unknown_elements"])
def test_writing_loses_nothing_the_reader_read(case: str) -> None:
    """A golden read, written as EndNote XML and read again, gives the same records (the
    key, which the writer writes as the Label, is the only field more)."""
    first = json.loads(convert((CASES / f"{case}.xml").read_bytes(), None, "endnote-xml",
                               "csljson", diagnostics=Collected(quiet=True)) or "")  # fmt: skip
    again = json.loads(convert((CASES / f"{case}.out.xml").read_bytes(), None, "endnote-xml",
                               "csljson", diagnostics=Collected(quiet=True)) or "")  # fmt: skip
    for before, after in zip(first, again, strict=True):
        if "citation-key" not in before:
            after.pop("citation-key", None)
        assert after == before


# --- the tagged and the XML export agree --------------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402

from .test_fixed_points import csl_items  # noqa: E402


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(items=csl_items())
def test_refer_and_endnote_xml_keep_the_same_records(items) -> None:
    """Records written as tagged EndNote and as EndNote XML read back as the same records:
    the two exports hold the same fields, so they cannot disagree.

    One listed difference: EndNote XML has one element for %J and %B, so a conference
    paper's proceedings title (which the tagged export writes as %J) is written as its
    Secondary Title, EndNote's Conference Name, and reads back as the event's title too."""
    data = json.dumps(items).encode()
    back = {}
    for fmt in ("refer", "endnote-xml"):
        text = convert(data, None, "csljson", fmt, diagnostics=Collected(quiet=True))
        assert text is not None
        out = convert(text.encode(), None, fmt, "csljson", diagnostics=Collected(quiet=True))
        back[fmt] = json.loads(out or "")
    for xml, refer in zip(back["endnote-xml"], back["refer"], strict=True):
        if xml["type"] == "paper-conference" and "event-title" not in refer:
            assert xml.pop("event-title", None) in (None, refer.get("container-title"))
        assert xml == refer


_PEAK = """
import resource, sys
from refconv import Collected, read
records = read(sys.argv[1], "endnote-xml", diagnostics=Collected(quiet=True))
count = sum(1 for _ in records)
print(count, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


@pytest.mark.slow
def test_memory_does_not_grow_with_the_records(tmp_path: Path) -> None:
    """Reading 40 times as many records (one per line, as ``-j``-friendly files have them)
    peaks at about the same memory: each record leaves the tree once mapped."""
    import subprocess
    import sys

    record = (CASES / "endnote_export.xml").read_text().split("<records>")[1].split("</records>")[0]
    records = re.findall(r"<record>.*?</record>", record)

    def peak(count: int) -> int:
        path = tmp_path / f"{count}.xml"
        with path.open("w", encoding="utf-8") as out:
            out.write('<?xml version="1.0" encoding="UTF-8"?><xml><records>\n')
            for i in range(count):
                out.write(records[i % len(records)] + "\n")
            out.write("</records></xml>\n")
        run = subprocess.run([sys.executable, "-c", _PEAK, str(path)], capture_output=True,
                             text=True, check=True)  # fmt: skip
        read_count, kilobytes = map(int, run.stdout.split())
        assert read_count == count
        return kilobytes

    small, large = peak(1_000), peak(40_000)
    assert large - small < 12_000, (small, large)
