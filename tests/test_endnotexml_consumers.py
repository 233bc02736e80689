"""An independent reader of what refconv writes: bibutils' endx2xml reads refconv's EndNote
XML (the seed record and the realistic export, each written by refconv) and converts it to
MODS; every field refconv wrote is compared with what bibutils read, record by record. The
differences are deliberate or bibutils' own limits; each is listed with its reason, and a
difference that is not listed fails, as does a listed one that is gone."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from refconv import Collected, convert, read
from refconv.model import Record

from .conftest import FORMATS, SEED, require_tool

MODS = "{http://www.loc.gov/mods/v3}"
CASES = FORMATS / "endnotexml"
_TAGS = re.compile(r"</?(?:i|b|sup|sub)>")

_INITIALS = "bibutils writes an initial without its period; the same name"
_CORPORATE = (
    "EndNote marks a name that is no person with a trailing comma, which refconv writes and "
    "reads; bibutils' EndNote XML reader splits it as a person"
)
_TYPE = "bibutils' endx2xml has no {} type: it reads the record as a {}, without this field"
#: (record, field): (refconv's value, bibutils' value, why they differ).
DIFFERENCES: dict[tuple[str, str], tuple[Any, Any, str]] = {
    ("nahta2012", "authors"): ([("Nahta", "Rita"), ("O'Regan", "Ruth M.")],
                               [("Nahta", "Rita"), ("O'Regan", "Ruth M")], _INITIALS),
    ("ashburner2000culturing", "editors"): (
        [("Sullivan", "William"), ("Ashburner", "Michael"), ("Hawley", "R. Scott")],
        [("Sullivan", "William"), ("Ashburner", "Michael"), ("Hawley", "R Scott")], _INITIALS),
    ("nahta2012", "place"): (
        None,
        "Department of Pharmacology, Emory University School of Medicine, Atlanta, GA 30322, USA.",
        "bibutils reads <auth-address> as the place of publication (%C); it is EndNote's Author "
        "Address (%+), which refconv keeps in custom",
    ),
    ("darwin1859origin", "url"): (
        "https://doi.org/10.5962/bhl.title.82303", None,
        "bibutils takes a doi.org URL for the DOI, which it has already, and keeps no URL",
    ),
    ("garciaperez2015resistance", "volume"): (
        None, "Ph.D.",
        "a Thesis's Volume is EndNote's Degree: refconv reads it as the genre when no Type of "
        "Work gives one (here one does: the degree is kept in custom); bibutils as a volume",
    ),
    ("nci2023her2", "authors"): ([("National Cancer Institute", "")],
                                 [("Institute", "National Cancer")], _CORPORATE),
    ("who2023global", "authors"): ([("World Health Organization", "")],
                                   [("Organization", "World Health")], _CORPORATE),
    ("nci2023her2", "host"): (
        "Cancer.gov", None, "bibutils reads no Secondary Title (the website) of a Web Page"
    ),
    ("who2023global", "host"): (
        "WHO Technical Report Series", None,
        "bibutils reads no Secondary Title (the series) of a Report",
    ),
    ("dupont2021mesure", "host"): ("Physique Aujourd'hui", None,
                                   _TYPE.format("Electronic Article", "generic record")),
    ("dupont2021mesure", "issue"): ("3", None,
                                    _TYPE.format("Electronic Article", "generic record")),
}  # fmt: skip


def ours(record: Record) -> dict[str, Any]:
    """The fields of a record refconv read, as the comparison names them."""
    fields = record.fields
    people = [(p.family, p.given) if not p.literal else (p.literal, "")
              for p in record.names.get("author", [])]  # fmt: skip
    editors = [(p.family, p.given) for p in record.names.get("editor", [])]
    issued = record.dates.get("issued")
    return {
        "title": _TAGS.sub("", fields.get("title", "")) or None,
        "authors": people or None,
        "editors": editors or None,
        "year": str(issued.parts[0][0]) if issued and issued.parts else None,
        "host": _TAGS.sub("", fields.get("container-title") or fields.get("collection-title") or "")
        or None,
        "publisher": fields.get("publisher"),
        "place": fields.get("publisher-place") or fields.get("event-place"),
        "volume": fields.get("volume"),
        "issue": fields.get("issue"),
        "pages": fields.get("page") or fields.get("number-of-pages"),
        "doi": fields.get("DOI"),
        "isbn": sorted(
            [v for v in (fields.get("ISBN"), fields.get("ISSN")) if v] + record.extra.get("%@", [])
        )
        or None,
        "url": fields.get("URL"),
        "abstract": fields.get("abstract"),
        "language": fields.get("language"),
        "keywords": record.keywords or None,
        "edition": fields.get("edition"),
        "key": fields.get("citation-key") or record.id,
    }


def theirs(mods: etree._Element) -> dict[str, Any]:
    """The same fields of one MODS record bibutils wrote."""

    def first(path: str) -> str | None:
        found = mods.find(path.replace("m:", MODS))
        return found.text if found is not None else None

    def names(path: str, role: str) -> list[tuple[str, str]] | None:
        out = []
        for name in mods.findall(path.replace("m:", MODS)):
            if name.findtext(f"{MODS}role/{MODS}roleTerm") != role:
                continue
            family = " ".join(p.text or "" for p in name.findall(f"{MODS}namePart[@type='family']"))
            given = " ".join(p.text or "" for p in name.findall(f"{MODS}namePart[@type='given']"))
            whole = name.findtext(f"{MODS}namePart[@type!='family']") if not family else None
            out.append((family or whole or "", given))
        return out or None

    ids = {i.get("type"): i.text for i in mods.iter(f"{MODS}identifier")}
    start, end = first(".//m:part/m:extent/m:start"), first(".//m:part/m:extent/m:end")
    pages = f"{start}-{end}" if start and end else None
    return {
        "title": first("m:titleInfo/m:title"),
        "authors": names("m:name", "author"),
        "editors": names(".//m:name", "editor"),
        "year": first(".//m:dateIssued"),
        "host": first("m:relatedItem[@type='host']/m:titleInfo/m:title"),
        "publisher": first(".//m:originInfo/m:publisher"),
        "place": first(".//m:originInfo/m:place/m:placeTerm"),
        "volume": first(".//m:part/m:detail[@type='volume']/m:number"),
        "issue": first(".//m:part/m:detail[@type='issue']/m:number"),
        "pages": pages
        or first(".//m:part/m:detail[@type='page']/m:number")
        or first(".//m:part/m:extent/m:total"),
        "doi": ids.get("doi"),
        "isbn": sorted(
            i.text or ""
            for i in mods.iter(f"{MODS}identifier")
            if i.get("type") in ("isbn", "issn")
        )
        or None,
        "url": first("m:location/m:url"),
        "abstract": first("m:abstract"),
        "language": first("m:language/m:languageTerm[@type='text']"),
        "keywords": [t.text for t in mods.findall(f"{MODS}subject/{MODS}topic")] or None,
        "edition": first(".//m:originInfo/m:edition"),
        "key": ids.get("citekey"),
    }


def bibutils_read(xml: str, tmp_path: Path) -> list[etree._Element]:
    program = require_tool("endx2xml", "bibutils")
    path = tmp_path / "refconv.xml"
    path.write_text(xml, encoding="utf-8")
    run = subprocess.run([program, str(path)], capture_output=True, check=True)
    root = etree.fromstring(run.stdout.lstrip(b"\xef\xbb\xbf"))
    return root.findall(f"{MODS}mods")


SOURCES = {"seed": (SEED, "refer"), "export": (CASES / "endnote_export.xml", "endnote-xml")}


@pytest.fixture(scope="module")
def compared(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[dict, dict]]:
    """Record key -> (refconv's fields, bibutils' fields) for every record of the sources,
    each written as EndNote XML by refconv, read back by refconv and by bibutils."""
    out: dict[str, tuple[dict, dict]] = {}
    for name, (path, fmt) in SOURCES.items():
        xml = convert(
            path.read_bytes(), None, fmt, "endnote-xml", diagnostics=Collected(quiet=True)
        )
        assert xml is not None
        records = list(read(xml.encode(), "endnote-xml", diagnostics=Collected(quiet=True)))
        mods = bibutils_read(xml, tmp_path_factory.mktemp(name))
        assert len(mods) == len(records) == {"seed": 1, "export": 8}[name]
        for record, entry in zip(records, mods, strict=True):
            mine = ours(record)
            out[mine["key"]] = (mine, theirs(entry))
    return out


FIELDS = ["title", "authors", "editors", "year", "host", "publisher", "place", "volume", "issue",
          "pages", "doi", "isbn", "url", "abstract", "language", "keywords", "edition",
          "key"]  # fmt: skip


@pytest.mark.parametrize("field", FIELDS)
def test_bibutils_reads_every_field_refconv_wrote(field: str, compared) -> None:
    """Field by field, record by record: the same value, or the listed difference."""
    found = 0
    for key, (mine, other) in compared.items():
        if (key, field) in DIFFERENCES:
            expected_mine, expected_other, _why = DIFFERENCES[(key, field)]
            assert (mine[field], other[field]) == (expected_mine, expected_other), key
        else:
            assert mine[field] == other[field], (key, field)
        found += mine[field] is not None
    assert found, f"no record has {field}: the comparison checks nothing"


def test_every_listed_difference_is_a_record_of_the_sources(compared) -> None:
    assert {key for key, _ in DIFFERENCES} <= set(compared)
