"""An independent reading of the seed article: bibutils' med2xml reads the same record as
PubMed XML (``nahta2012.pubmed.xml``, written for this test from NLM's element descriptions
to hold what ``nahta2012.nbib`` holds), and every value it gives is compared with refconv's
reading of the MEDLINE record. The differences are deliberate; each is listed with its
reason (docs/medline-format.md §6), and a difference that is not listed fails."""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET

import pytest

from refconv import Collected, read

from .conftest import FORMATS, require_tool

MODS = "{http://www.loc.gov/mods/v3}"
SEED = FORMATS / "medline" / "nahta2012"

TITLE = "Molecular mechanisms of trastuzumab-based treatment in HER2-overexpressing breast cancer"
TEXT_FIELDS = ("title", "container-title", "container-title-short", "volume", "page", "ISSN",
               "DOI", "PMID", "PMCID", "abstract", "language")  # fmt: skip
#: Field: (refconv's value, bibutils' value, why they differ).
DIFFERENCES = {
    "title": (
        TITLE,
        TITLE + ".",
        "NLM closes every title with a period of its own; refconv removes it, so that a style "
        "does not print two (bibutils keeps it)",
    ),
    "issued": (
        "2012",
        "2012-11-27",
        "bibutils takes the electronic publication date (ArticleDate) as the date issued; "
        "refconv takes DP, the date the journal gives (PubDate), and the electronic date as "
        "CSL available-date",
    ),
    "affiliation": (
        "Nahta, Rita: Department of Pharmacology, School of Medicine, Emory University, "
        "Atlanta, GA 30322, USA.",
        None,
        "bibutils drops affiliations; refconv keeps each in custom, after its author",
    ),
    "language": (
        "en",
        "eng",
        "the same language: CSL wants a BCP 47 tag, bibutils writes MARC's code",
    ),
}


def mods_values(mods: ET.Element) -> dict[str, str | None]:
    """The values of the one MODS record med2xml wrote, by refconv's field names."""

    def text(path: str) -> str | None:
        found = mods.find(path.replace("m:", MODS))
        return found.text if found is not None else None

    ids = {i.get("type"): i.text for i in mods.findall(f"{MODS}identifier")}
    host = "m:relatedItem[@type='host']/"
    return {
        "title": text("m:titleInfo/m:title"),
        "family": text("m:name/m:namePart[@type='family']"),
        "given": text("m:name/m:namePart[@type='given']"),
        "issued": text("m:originInfo/m:dateIssued"),
        "container-title": text(host + "m:titleInfo/m:title"),
        "container-title-short": text(host + "m:titleInfo[@type='abbreviated']/m:title"),
        "volume": text(host + "m:part/m:detail[@type='volume']/m:number"),
        "page": text(host + "m:part/m:detail[@type='page']/m:number"),
        "ISSN": text(host + "m:identifier[@type='issn']"),
        "DOI": ids.get("doi"),
        "PMID": ids.get("pubmed"),
        "PMCID": ids.get("pmc"),
        "abstract": text("m:abstract"),
        "language": text("m:language/m:languageTerm[@type='code']"),
        "affiliation": None,
    }


@pytest.fixture(scope="module")
def bibutils() -> dict[str, str | None]:
    program = require_tool("med2xml", "bibutils")
    run = subprocess.run(
        [program, str(SEED.with_suffix(".pubmed.xml"))], capture_output=True, check=True
    )
    root = ET.fromstring(run.stdout.decode("utf-8").lstrip("\ufeff"))
    (mods,) = root.findall(f"{MODS}mods")
    return mods_values(mods)


@pytest.fixture(scope="module")
def ours() -> dict[str, str | None]:
    sink = Collected()
    (record,) = read(SEED.with_suffix(".nbib").read_bytes(), "medline", diagnostics=sink)
    assert sink.messages == []
    (author,) = record.names["author"]
    issued = record.dates["issued"]
    return {
        **{var: record.fields.get(var) for var in TEXT_FIELDS},
        "family": author.family,
        "given": author.given,
        "issued": "-".join(f"{p:02d}" for p in issued.parts[0]),
        "affiliation": record.extra["AD"][0],
    }


FIELDS = ["title", "family", "given", "issued", "container-title", "container-title-short",
          "volume", "page", "ISSN", "DOI", "PMID", "PMCID", "abstract", "language",
          "affiliation"]  # fmt: skip


@pytest.mark.parametrize("field", FIELDS)
def test_refconv_and_bibutils_read_the_same_article(field, ours, bibutils):
    if field in DIFFERENCES:
        mine, theirs, _why = DIFFERENCES[field]
        assert (ours[field], bibutils[field]) == (mine, theirs)
    else:
        assert ours[field] is not None
        assert ours[field] == bibutils[field]


def test_the_electronic_date_bibutils_issues_is_our_available_date(bibutils):
    sink = Collected()
    (record,) = read(SEED.with_suffix(".nbib").read_bytes(), "medline", diagnostics=sink)
    assert record.dates["available-date"].parts == ((2012, 11, 27),)
    assert bibutils["issued"] == "2012-11-27"
