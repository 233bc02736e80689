"""The independent consumer of refconv's MODS: bibutils' ``xml2bib`` and ``xml2ris`` read
what refconv writes and give back, field by field, every value their formats have a field
for. The records (tests/data/mods/consumer.json) cover a journal article, a chapter with
editors and a series, a book with a series number and an original, a conference paper, a
thesis, a report, a web page, newspaper and magazine articles, an interview, software and
an open date range. Where bibutils differs on purpose, ``DIFFERENCES`` says how and why; a
difference not listed fails.

Also: bibutils' own MODS of the seed record (``end2xml`` of refconv's Refer output,
tests/formats/mods/nahta2012_bibutils.mods) reads as refconv's MODS of it does."""

from __future__ import annotations

import json
import re
import subprocess
from typing import Any

import pytest

from refconv import Collected, read
from refconv.api import convert

from .conftest import DATA, FORMATS, require_tool

ITEMS = json.loads((DATA / "mods" / "consumer.json").read_text(encoding="utf-8"))
BY_ID = {item["id"]: item for item in ITEMS}
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

#: CSL type → the entry type xml2bib gives (bibutils bibtexout's genre rules).
BIBTEX_TYPES = {
    "article-journal": "Article", "article-newspaper": "Article", "article-magazine": "Article",
    "book": "Book", "paper-conference": "InProceedings", "thesis": "PhdThesis",
    "report": "TechReport", "webpage": "Misc", "interview": "Misc", "software": "Electronic",
}  # fmt: skip
#: CSL type → the RIS type xml2ris gives (bibutils risout's genre rules).
RIS_TYPES = {
    "article-journal": "JOUR", "chapter": "CHAP", "book": "BOOK", "paper-conference": "CONF",
    "thesis": "THES", "report": "RPRT", "webpage": "CHAP", "article-newspaper": "NEWS",
    "article-magazine": "MGZN", "interview": "STD", "software": "COMP",
}  # fmt: skip

#: Variables bibutils gives otherwise or not at all, and why (the same for BibTeX and RIS
#: unless said). Every variable of the records not listed here is compared exactly.
DIFFERENCES = {
    "title-short": "BibTeX has no short title (xml2bib -sh would use it for the journal); "
                   "xml2ris writes the record's short title as T2",
    "container-title-short": "no field: xml2bib writes the full journal title",
    "accessed": "no access-date field in bibutils' BibTeX or RIS output",
    "PMID": "written as a PubMed URL (url/UR), not a field of its own",
    "PMCID": "written as a PubMed Central URL (url/UR)",
    "chapter-number": "bibutils writes no chapter field",
    "section": "bibutils writes no section field (a newspaper's section)",
    "number-of-pages": "bibutils reads part/extent/total but writes no field for it",
    "collection-number": "read as the volume: BibTeX's volume of a book in a series is its "
                         "number in the series (a record's own volume comes first)",
    "collection-editor": "written with the editors (BibTeX has no series editor; RIS: A3)",
    "event-title": "bibutils writes no event (a conference name with role 'event')",
    "event-place": "kept in refconv's <extension>, which other tools skip",
    "original-title": "bibutils reads relatedItem type='original' but writes none of it",
    "original-author": "as original-title",
    "original-date": "as original-title",
    "status": "kept in refconv's <extension>",
    "version": "kept in refconv's <extension>",
    "genre": "a thesis kind is the entry type (@phdthesis); others are in <genre>, which "
             "bibutils reads only as a type hint",
    "chair": "a role bibutils does not write (MARC 'moderator')",
    "interviewer": "a role bibutils does not write",
    "executive-producer": "a role with no MARC relator, written by its CSL name",
    "translator": "xml2ris writes no translator (xml2bib does)",
    "custom": "kept in refconv's <extension>",
}  # fmt: skip
#: How a value reads in bibutils when it reads differently (variable -> why).
REWRITTEN = {
    "author": "a suffix follows the family name without a comma (King Jr., Martin Luther); "
              "a one-letter given name gets a period (an initial)",
    "editor": "as author",
    "container-title": "the journal, book or proceedings; a web site's name has no field "
                       "in @misc (xml2ris: BT of a CHAP)",
    "abstract": "bibutils joins the lines of a value without a space",
    "issued": "BibTeX's year, month and day; a range is its start, a season or n.d. has no "
              "place (refconv keeps them in <extension>)",
    "DOI": "bibutils also writes the DOI as a doi.org URL",
}  # fmt: skip


def _bib_fields(text: str) -> dict[str, tuple[str, dict[str, list[str]]]]:
    """key -> (entry type, field -> values) of xml2bib's output (``name="value"`` lines;
    a value runs to the line that ends its quotes)."""
    entries: dict[str, tuple[str, dict[str, list[str]]]] = {}
    for m in re.finditer(r"@(\w+)\{([^,]+),\n(.*?)\n\}\n", text, re.DOTALL):
        fields: dict[str, list[str]] = {}
        for f in re.finditer(r'^(\w+)="(.*?)"(?:,$|$)', m[3], re.DOTALL | re.MULTILINE):
            fields.setdefault(f[1].lower(), []).append(f[2])
        entries[m[2]] = (m[1], fields)
    return entries


def _ris_fields(text: str) -> dict[str, dict[str, list[str]]]:
    """ID -> tag -> values of xml2ris's output."""
    out: dict[str, dict[str, list[str]]] = {}
    for block in text.split("ER  - "):
        tags: dict[str, list[str]] = {}
        for line in block.splitlines():
            if m := re.match(r"([A-Z][A-Z0-9])  - (.*)", line.lstrip("\ufeff")):
                tags.setdefault(m[1], []).append(m[2])
        if "ID" in tags:
            out[tags["ID"][0]] = tags
    return out


@pytest.fixture(scope="module")
def mods_file(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("mods") / "consumer.mods"
    convert(json.dumps(ITEMS).encode(), str(path), "csljson", "mods",
            diagnostics=Collected())  # fmt: skip
    return str(path)


def _run(program: str, path: str) -> str:
    tool = require_tool(program, "bibutils")
    done = subprocess.run([tool, path], capture_output=True, check=True)
    return done.stdout.decode("utf-8").lstrip("\ufeff")


@pytest.fixture(scope="module")
def bibtex(mods_file):
    return _bib_fields(_run("xml2bib", mods_file))


@pytest.fixture(scope="module")
def ris(mods_file):
    return _ris_fields(_run("xml2ris", mods_file))


def inverted(name: dict[str, Any], braces: bool) -> str:
    if "literal" in name:
        return "{" + name["literal"] + "}" if braces else name["literal"]
    family = " ".join(p for p in (name.get("non-dropping-particle"), name["family"]) if p)
    given = " ".join(p for p in (name.get("given"), name.get("dropping-particle")) if p)
    family += f" {name['suffix']}" if name.get("suffix") else ""
    given += "." if len(given) == 1 else ""  # bibutils: an initial
    return f"{family}, {given}"


def bibtex_type(item: dict[str, Any]) -> str:
    if item["type"] == "chapter":
        return "InCollection" if "editor" in item else "Inbook"
    return BIBTEX_TYPES[item["type"]]


def expected_bibtex(item: dict[str, Any]) -> dict[str, list[str]]:
    """The fields xml2bib gives for ``item``: every variable of it, as bibutils writes it
    (``REWRITTEN``), but those in ``DIFFERENCES``."""
    want: dict[str, list[str]] = {"title": [item["title"]]}
    container = {"Article": "journal", "InCollection": "booktitle", "Inbook": "booktitle",
                 "InProceedings": "booktitle", "Book": "series", "TechReport": "series",
                 "PhdThesis": "series"}.get(bibtex_type(item), "")  # fmt: skip
    simple = {"container-title": container, "collection-title": "series", "volume": "volume",
              "issue": "number", "number": "number", "publisher": "publisher",
              "publisher-place": "address", "edition": "edition", "ISBN": "isbn",
              "ISSN": "issn", "note": "note", "language": "language", "DOI": "doi"}  # fmt: skip
    for var, field in simple.items():
        if var in item and field:
            want.setdefault(field, []).append(str(item[var]))
    if item["type"] == "thesis":
        want["school"] = want.pop("publisher")
    for role in ("author", "editor", "translator"):
        people = item.get(role, []) + (item.get("collection-editor", []) if role == "editor"
                                       else [])  # fmt: skip
        if people:
            want[role] = ["\nand ".join(inverted(p, braces=True) for p in people)]
    if "page" in item:
        want["pages"] = [item["page"].replace("-", "--")]
    if "keyword" in item:
        want["keywords"] = [item["keyword"].replace(", ", "; ")]
    if "abstract" in item:
        want["abstract"] = [item["abstract"].replace("\n", "")]
    parts = item.get("issued", {}).get("date-parts")
    if parts:
        start = parts[0]
        want["year"] = [str(start[0])]
        if len(start) > 1 and start[1]:
            want["month"] = [MONTHS[start[1] - 1]]
        if len(start) > 2:
            want["day"] = [f"{start[2]:02d}"]
    urls = [item["URL"]] if "URL" in item else []
    urls += [f"https://doi.org/{item['DOI']}"] if "DOI" in item else []
    urls += [f"http://www.ncbi.nlm.nih.gov/pubmed/{item['PMID']}"] if "PMID" in item else []
    urls += ([f"http://www.ncbi.nlm.nih.gov/pmc/articles/{item['PMCID']}"] if "PMCID" in item
             else [])  # fmt: skip
    if urls:
        want["url"] = urls
    if "collection-number" in item and "volume" not in item:
        want["volume"] = [item["collection-number"]]
    return want


def test_every_variable_is_compared_or_listed():
    compared = {"id", "type", "title", "author", "editor", "translator", "container-title",
                "collection-title", "volume", "issue", "number", "publisher",
                "publisher-place", "edition", "ISBN", "ISSN", "note", "language", "DOI",
                "page", "keyword", "abstract", "issued", "URL"}  # fmt: skip
    seen = {var for item in ITEMS for var in item}
    assert seen <= compared | set(DIFFERENCES), seen - compared - set(DIFFERENCES)
    assert set(REWRITTEN) <= compared


@pytest.mark.parametrize("key", sorted(BY_ID))
def test_xml2bib_reads_every_field_we_wrote(bibtex, key):
    item = BY_ID[key]
    kind, fields = bibtex[key]
    assert kind == bibtex_type(item)
    assert fields == expected_bibtex(item)


def expected_ris(item: dict[str, Any]) -> dict[str, list[str]]:
    """The tags xml2ris gives for ``item`` (as ``expected_bibtex``, in RIS's tags)."""
    bib = expected_bibtex(item)
    container = {"JOUR": "JO", "MGZN": "JO"}.get(RIS_TYPES[item["type"]], "BT")
    want = {"TY": [RIS_TYPES[item["type"]]], "ID": [item["id"]], "TI": bib["title"]}
    if "title-short" in item:
        want["T2"] = [item["title-short"]]
    if "container-title" in item:
        want[container] = [item["container-title"]]
    if "collection-title" in item:
        want["T3"] = [item["collection-title"]]
    names = {"author": "AU", "editor": "ED", "collection-editor": "A3"}
    for role, tag in names.items():
        if role in item:
            want[tag] = [inverted(p, braces=False) for p in item[role]]
    simple = {"volume": "VL", "issue": "IS", "number": "IS", "publisher": "PB",
              "publisher-place": "CY", "edition": "ET", "ISBN": "SN", "ISSN": "SN",
              "DOI": "DO", "language": "LA", "note": "N1"}  # fmt: skip
    for var, tag in simple.items():
        if var in item:
            want.setdefault(tag, []).append(str(item[var]))
    if "collection-number" in item and "volume" not in item:
        want["VL"] = [item["collection-number"]]
    if "page" in item:
        start, _, end = item["page"].partition("-")
        want["SP"] = [start]
        if end:
            want["EP"] = [end]
    if "keyword" in item:
        want["KW"] = item["keyword"].split(", ")
    if "abstract" in item:
        want["AB"] = bib["abstract"]
    if "url" in bib:
        want["UR"] = bib["url"]
    parts = item.get("issued", {}).get("date-parts")
    if parts:
        start = parts[0] + [None, None]
        want["PY"] = [str(start[0])]
        want["DA"] = ["/".join([str(start[0]), *(f"{n:02d}" if n else "" for n in start[1:3])])]
    if item["type"] == "thesis":
        want["U1"] = [item["genre"]]
    return want


@pytest.mark.parametrize("key", sorted(BY_ID))
def test_xml2ris_reads_every_field_we_wrote(ris, key):
    assert ris[key] == expected_ris(BY_ID[key])


def test_bibutils_mods_of_the_seed_reads_as_ours():
    """end2xml's MODS of the seed record and refconv's give the same record, but the DOI:
    bibutils' end2xml drops EndNote's %R (its DOI field) of a Journal Article."""
    sink = Collected()
    (theirs,) = read(str(FORMATS / "mods" / "nahta2012_bibutils.mods"), diagnostics=sink)
    (ours,) = read(str(FORMATS / "mods" / "nahta2012.mods"), diagnostics=sink)
    assert sink.messages == []
    assert ours.fields.pop("DOI") == "10.5402/2012/428062"
    assert (theirs.type, theirs.fields, theirs.names, theirs.dates) == (
        ours.type, ours.fields, ours.names, ours.dates,
    )  # fmt: skip
