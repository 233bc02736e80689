"""The MEDLINE reader: its tables row by row, its rules, content sniffing, and hypothesis
properties of the line syntax (record boundaries, continuation lines, never a traceback)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from refconv import Collected, RefconvError, read
from refconv.formats.medline.fields import (
    book_type,
    language_tag,
    publication_type,
    strip_title_period,
)
from refconv.formats.medline.read import TAG_LINE, MedlineReader
from refconv.formats.medline.tables import (
    CSL_TYPE_SAYS,
    DATE_TAGS,
    HISTORY_TO_DATE,
    IDENTIFIER_TYPES,
    JOINED_TAGS,
    KEPT_TAGS,
    KEYWORD_TAGS,
    NAME_TAGS,
    PERSON_DETAIL_TAGS,
    PUBLICATION_TYPE_TO_CSL,
    REPEATABLE_TAGS,
    TEXT_TAGS,
)
from refconv.model import CSL_TYPES, DATE_VARIABLES, NAME_VARIABLES, TEXT_VARIABLES
from refconv.plugins import Registry

from .conftest import FORMATS, Collect


def one(text: str) -> tuple[dict, list[str]]:
    """The CSL-JSON-like view of the one record of ``text``, and the warnings."""
    sink = Collected()
    records = list(read(text.encode(), "medline", diagnostics=sink))
    assert len(records) == 1
    return records[0], [str(m) for m in sink.messages]


# --- tables ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tag", "value", "var", "expected"),
    [
        pytest.param("PMID", "23227361", "PMID", "23227361", id="PMID"),
        pytest.param("PMC", "PMC3512309", "PMCID", "PMC3512309", id="PMC"),
        pytest.param("TI", "A title.", "title", "A title", id="TI"),
        pytest.param("TT", "Titre original", "original-title", "Titre original", id="TT"),
        pytest.param("AB", "Abstract text.", "abstract", "Abstract text.", id="AB"),
        pytest.param("JT", "ISRN oncology", "container-title", "ISRN oncology", id="JT"),
        pytest.param("TA", "ISRN Oncol", "container-title-short", "ISRN Oncol", id="TA"),
        pytest.param("VI", "12", "volume", "12", id="VI"),
        pytest.param("IP", "3 Suppl 1", "issue", "3 Suppl 1", id="IP"),
        pytest.param("PG", "123-9", "page", "123-129", id="PG_abbreviated"),
        pytest.param("PG", "e1234", "page", "e1234", id="PG_article_number"),
        pytest.param("EN", "2nd", "edition", "2nd", id="EN"),
        pytest.param("PB", "A Press", "publisher", "A Press", id="PB"),
        pytest.param("PL", "United States", "publisher-place", "United States", id="PL"),
        pytest.param("CTI", "A Series", "collection-title", "A Series", id="CTI"),
        pytest.param("VTI", "Volume One", "volume-title", "Volume One", id="VTI"),
        pytest.param("ISBN", "978-0-306-40615-7", "ISBN", "978-0-306-40615-7", id="ISBN"),
        pytest.param("LA", "eng", "language", "en", id="LA"),
        pytest.param("GN", "A general note.", "note", "A general note.", id="GN"),
        pytest.param("IS", "2090-5661 (Print)", "ISSN", "2090-5661", id="IS"),
        pytest.param("LID", "10.1000/x [doi]", "DOI", "10.1000/x", id="LID_doi"),
        pytest.param("AID", "10.1000/x [doi]", "DOI", "10.1000/x", id="AID_doi"),
        pytest.param("AID", "PMC7 [pmc]", "PMCID", "PMC7", id="AID_pmc"),
    ],
)
def test_tag_to_variable(tag, value, var, expected):
    first = "" if tag == "PMID" else "PMID- 1\n"
    record, warnings = one(f"{first}{tag:<4}- {value}\nPT  - Journal Article\n")
    if tag != "TI":
        assert warnings == ["<bytes>:1: warning: record has no title"]
    assert record.fields[var] == expected


@pytest.mark.parametrize(
    ("tag", "value", "var", "parts"),
    [
        pytest.param("DP", "2012 Mar 15", "issued", ((2012, 3, 15),), id="DP"),
        pytest.param("DEP", "20121127", "available-date", ((2012, 11, 27),), id="DEP"),
        pytest.param("PHST", "2012/08/07 00:00 [received]", "submitted", ((2012, 8, 7),),
                     id="PHST_received"),
        pytest.param("PHST", "2012/11/27 00:00 [epublish]", "available-date",
                     ((2012, 11, 27),), id="PHST_epublish"),
    ],
)  # fmt: skip
def test_date_tags(tag, value, var, parts):
    record, _ = one(f"PMID- 1\nTI  - T\nPT  - Journal Article\n{tag:<4}- {value}\n")
    assert record.dates[var].parts == parts


@pytest.mark.parametrize(
    ("lines", "role", "expected"),
    [
        pytest.param(["FAU - Nahta, Rita", "AU  - Nahta R"], "author", [("Nahta", "Rita", "")],
                     id="FAU_with_its_AU"),
        pytest.param(["AU  - Smith JW"], "author", [("Smith", "J. W.", "")], id="AU_alone"),
        pytest.param(["FAU - Smith, John W Jr"], "author", [("Smith", "John W", "Jr")],
                     id="FAU_suffix"),
        pytest.param(["FED - Adam, Margaret P", "ED  - Adam MP"], "editor",
                     [("Adam", "Margaret P", "")], id="FED_with_its_ED"),
        pytest.param(["CN  - HER2 Study Group"], "author", ["HER2 Study Group"], id="CN"),
        pytest.param(["AU  - Nahta R", "AU  - Esteva FJ"], "author",
                     [("Nahta", "R.", ""), ("Esteva", "F. J.", "")], id="two_AU"),
        pytest.param(["FAU - Nahta, Rita", "AD  - Emory", "AU  - Nahta R"], "author",
                     [("Nahta", "Rita", "")], id="AU_after_an_AD_is_still_paired"),
    ],
)  # fmt: skip
def test_name_tags(lines, role, expected):
    text = "\n".join(["PMID- 1", "TI  - T", "PT  - Journal Article", *lines]) + "\n"
    record, warnings = one(text)
    got = [p.literal or (p.family, p.given, p.suffix) for p in record.names[role]]
    assert got == expected
    assert warnings == []


def test_every_table_target_is_csl():
    assert set(TEXT_TAGS.values()) <= set(TEXT_VARIABLES)
    assert set(JOINED_TAGS.values()) <= set(TEXT_VARIABLES)
    assert set(DATE_TAGS.values()) | set(HISTORY_TO_DATE.values()) <= set(DATE_VARIABLES)
    assert {tag.role for tag in NAME_TAGS.values()} <= set(NAME_VARIABLES)
    assert {tag.form for tag in NAME_TAGS.values()} == {"full", "short", "corporate"}
    assert set(IDENTIFIER_TYPES.values()) <= set(TEXT_VARIABLES)
    assert set(PUBLICATION_TYPE_TO_CSL.values()) <= CSL_TYPES
    assert set(CSL_TYPE_SAYS) <= CSL_TYPES
    assert all(PUBLICATION_TYPE_TO_CSL[pt] == csl for csl, pt in CSL_TYPE_SAYS.items())


def test_no_tag_is_both_mapped_and_kept():
    mapped = [*TEXT_TAGS, *JOINED_TAGS, *NAME_TAGS, *DATE_TAGS, *KEYWORD_TAGS,
              *PERSON_DETAIL_TAGS, "PHST", "IS", "LID", "AID", "PT", "BTI"]  # fmt: skip
    assert len(mapped) == len(set(mapped))
    assert not set(mapped) & KEPT_TAGS
    assert {*mapped, *KEPT_TAGS} >= REPEATABLE_TAGS


@pytest.mark.parametrize(
    ("types", "expected"),
    [
        pytest.param(["Journal Article"], "article-journal", id="journal_article"),
        pytest.param(["Journal Article", "Review"], "article-journal", id="review_article"),
        pytest.param(["Letter"], "article-journal", id="letter"),
        pytest.param(["Editorial"], "article-journal", id="editorial"),
        pytest.param(["Comment", "Letter"], "article-journal", id="comment"),
        pytest.param(["Preprint"], "article", id="preprint"),
        pytest.param(["Book"], "book", id="book"),
        pytest.param(["Review", "Book Chapter"], "chapter", id="book_chapter"),
        pytest.param(["Dataset"], "dataset", id="dataset"),
        pytest.param(["Journal Article", "Congress"], "paper-conference", id="congress"),
        pytest.param(["Newspaper Article"], "article-newspaper", id="newspaper"),
        pytest.param(["Technical Report"], "report", id="technical_report"),
        pytest.param(["Patient Education Handout"], "pamphlet", id="handout"),
        pytest.param(["Holographic Poster"], None, id="unknown"),
        pytest.param([], None, id="none"),
    ],
)
def test_publication_type(types, expected):
    assert publication_type(types) == expected


@pytest.mark.parametrize(
    ("csl_type", "title", "book_title", "expected"),
    [
        pytest.param("article-journal", True, False, "article-journal", id="no_BTI"),
        pytest.param("book", False, True, "book", id="BTI_alone_is_the_book"),
        pytest.param("article-journal", True, True, "chapter", id="TI_and_BTI_a_chapter"),
        pytest.param("book", True, True, "chapter", id="PT_Book_with_TI_and_BTI"),
    ],
)
def test_book_type(csl_type, title, book_title, expected):
    assert book_type(csl_type, title, book_title) == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        pytest.param("Breast cancer.", "Breast cancer", id="period"),
        pytest.param("[Title in English].", "[Title in English]", id="translated"),
        pytest.param("Is it?", "Is it?", id="question"),
        pytest.param("Cancer in the U.S.", "Cancer in the U.S.", id="abbreviation"),
        pytest.param("Smith et al.", "Smith et al.", id="et_al"),
        pytest.param("To be continued...", "To be continued...", id="ellipsis"),
        pytest.param("Trastuzumab in Mice.", "Trastuzumab in Mice", id="short_word"),
        pytest.param("Made by Acme Inc.", "Made by Acme Inc.", id="inc"),
        pytest.param("The case of John F.", "The case of John F.", id="initial"),
    ],
)
def test_strip_title_period(title, expected):
    assert strip_title_period(title) == expected


@pytest.mark.parametrize(
    ("code", "tag"),
    [("eng", "en"), ("fre", "fr"), ("ger", "de"), ("chi", "zh"), ("ENG", "en"),
     ("haw", "haw"), ("und", "und")],
)  # fmt: skip
def test_language_tag(code, tag):
    assert language_tag(code) == tag


def test_affiliations_stay_with_their_author():
    record, _ = one(
        "PMID- 1\nTI  - T\nPT  - Journal Article\nFAU - A, Anna\nAU  - A A\nAD  - One.\n"
        "AD  - Two.\nCN  - A Group\nAD  - Three.\nFAU - B, Ben\nAU  - B B\n"
    )
    assert record.extra["AD"] == ["A, Anna: One.", "A, Anna: Two.", "A Group: Three."]


# --- sniffing --------------------------------------------------------------------------------

SNIFF = [
    pytest.param("PMID- 23227361\nTI  - T\n", "medline", id="medline"),
    pytest.param("\n\n\ufeffPMID- 23227361\nTI  - T\n", "medline", id="medline_bom_blanks"),
    pytest.param("TY  - JOUR\nTI  - T\nER  - \n", "ris", id="ris"),
    pytest.param("%0 Journal Article\n%T T\n", "refer", id="refer"),
    pytest.param("@article{k, title={T}}\n", "bibtex", id="bibtex"),
    pytest.param('[{"id": "k"}]', "csljson", id="csljson"),
    pytest.param("PMID 23227361\n", None, id="no_dash"),
    pytest.param("TI  - T\nPMID- 1\n", None, id="pmid_not_first"),
]


@pytest.mark.parametrize(("head", "expected"), SNIFF)
def test_sniffing_tells_medline_apart(head, expected):
    found = Registry(Collect()).sniff_reader(head)
    assert (found.name if found else None) == expected


def test_the_seed_record_is_told_by_content_and_suffix(tmp_path):
    seed = (FORMATS / "medline" / "nahta2012.nbib").read_bytes()
    assert MedlineReader.sniff(seed.decode())
    for suffix in (".nbib", ".medline"):
        assert Registry(Collect()).reader_for_path(f"x{suffix}") is MedlineReader


# --- the line syntax, by hypothesis -----------------------------------------------------------

TAGS = ["TI", "AB", "FAU", "AU", "AD", "DP", "PG", "MH", "XYZ", "PT", "IS", "LID"]
words = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")),
                min_size=1, max_size=30).map(str.strip).filter(bool)  # fmt: skip
field = st.tuples(st.sampled_from(TAGS), st.lists(words, min_size=1, max_size=4))


def medline_text(records: list[list[tuple[str, list[str]]]]) -> str:
    """Records as NLM writes them: PMID first, values wrapped onto six-space lines."""
    blocks = []
    for number, fields in enumerate(records, 1):
        lines = [f"PMID- {number}"]
        for tag, parts in fields:
            lines.append(f"{tag:<4}- {parts[0]}")
            lines += [f"      {part}" for part in parts[1:]]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


@settings(max_examples=150, deadline=None)
@given(records=st.lists(st.lists(field, max_size=8), min_size=1, max_size=5))
def test_one_record_per_block_and_continuations_join(records):
    """Every block is one record, at the line of its PMID; a value's continuation lines join
    its first line with single spaces (its title is exactly that text, less NLM's period)."""
    text = medline_text(records)
    sink = Collected()
    got = list(read(text.encode(), "medline", diagnostics=sink))
    assert [r.fields["PMID"] for r in got] == [str(n) for n in range(1, len(records) + 1)]
    starts = [n for n, line in enumerate(text.splitlines(), 1) if line.startswith("PMID-")]
    assert [r.source.line for r in got] == starts
    for record, fields in zip(got, records, strict=True):
        titles = [" ".join(parts) for tag, parts in fields if tag == "TI"]
        if titles:
            assert record.fields["title"] == strip_title_period(titles[0])


@settings(max_examples=150, deadline=None)
@given(records=st.lists(st.lists(field, max_size=6), min_size=2, max_size=4))
def test_records_without_blank_lines_still_split_at_pmid(records):
    text = medline_text(records).replace("\n\n", "\n")
    sink = Collected()
    got = list(read(text.encode(), "medline", diagnostics=sink))
    assert len(got) == len(records)
    assert (
        sum("no blank line before this record" in str(m) for m in sink.messages) == len(records) - 1
    )


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=400))
def test_any_text_reads_without_a_traceback(text):
    """Anything at all: records and warnings, or one error (a NUL byte: binary input), never
    another exception; every diagnostic has a line."""
    sink = Collected()
    try:
        for record in read(text.encode("utf-8", "surrogatepass"), "medline", diagnostics=sink):
            assert record.source.line >= 1
    except RefconvError as error:
        assert error.line is not None
    assert all(m.line is not None for m in sink.messages)


@pytest.mark.parametrize(
    ("line", "tag"),
    [("PMID- 1", "PMID"), ("TI  - x", "TI"), ("FAU - x", "FAU"), ("AB  -", "AB"),
     ("LID - x", "LID"), ("TI - x", None), ("TI   - x", None), ("ti  - x", None),
     ("PMID-1", None), ("      TI  - x", None)],
)  # fmt: skip
def test_tag_line_syntax(line, tag):
    m = TAG_LINE.fullmatch(line)
    assert (m[1] if m else None) == tag


def test_the_code_cites_sections_the_medline_reference_has():
    """Every "medline-format.md §N" in refconv names a heading of docs/medline-format.md."""
    root = FORMATS.parents[1]
    doc = (root / "docs" / "medline-format.md").read_text(encoding="utf-8")
    headings = set(re.findall(r"^#{2,3} (\d+(?:\.\d+)?)\.? ", doc, re.MULTILINE))
    cited = [
        (path.name, m[1])
        for path in (root / "refconv").rglob("*.py")
        for m in re.finditer(r"medline-format\.md §(\d+(?:\.\d+)?)", path.read_text("utf-8"))
    ]
    assert len(cited) >= 5
    assert [c for c in cited if c[1] not in headings] == []
