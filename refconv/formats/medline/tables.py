"""MEDLINE (PubMed ``.nbib``) mapping tables (data only; docs/medline-format.md).

Each table names the elements of NLM's "MEDLINE/PubMed Data Element (Field) Descriptions"
it covers (medline-format.md §2 lists them all with what refconv does). A tag in none of the
tables below is unknown: its value is kept in custom with a warning.
"""

from __future__ import annotations

from typing import NamedTuple

#: Tags whose value is one CSL text variable (medline-format.md §2). A second value for a
#: variable that is set already is kept in custom with a warning (the shared loss policy).
TEXT_TAGS = {
    "PMID": "PMID",  # PubMed Unique Identifier
    "PMC": "PMCID",  # PubMed Central Identifier
    "TI": "title",  # Title (NLM ends it with a period: see TITLE_TAGS)
    "TT": "original-title",  # Transliterated Title: the title in the article's language
    "AB": "abstract",
    "JT": "container-title",  # Journal Title
    "TA": "container-title-short",  # Journal Title Abbreviation (NLM's, e.g. ISRN Oncol)
    "VI": "volume",
    "IP": "issue",
    "PG": "page",  # Pagination: "123-9" is the abbreviated range 123-129
    "EN": "edition",  # Edition (books)
    "PB": "publisher",  # Publisher (books)
    "PL": "publisher-place",  # Place of Publication (a journal's country, a book's city)
    "CTI": "collection-title",  # Collection Title (a book's series)
    "VTI": "volume-title",  # Volume Title (books)
    "ISBN": "ISBN",
    "LA": "language",  # Language: ISO 639-2 codes, written as BCP 47 (values.vocabulary)
}

#: Tags whose value is a title NLM closes with a period it adds itself: one final "." is
#: removed, unless it ends an abbreviation ("U.S.", "et al."); medline-format.md §2.1.
TITLE_TAGS = frozenset({"TI", "BTI"})

#: Tags whose repeated values are joined with a line break (several General Notes).
JOINED_TAGS = {"GN": "note"}  # General Note


class NameTag(NamedTuple):
    """What a name tag gives: the CSL ``role``, and its ``form``: "full" (FAU: "Nahta,
    Rita"), "short" (AU: "Nahta R", read only where no full form came just before it) or
    "corporate" (CN: an organisation, kept whole as a literal name)."""

    role: str
    form: str


#: Name tags (medline-format.md §3), in the order PubMed writes an author: FAU, AU, then
#: the author's AD and AUID lines.
NAME_TAGS = {
    "FAU": NameTag("author", "full"),
    "AU": NameTag("author", "short"),
    "CN": NameTag("author", "corporate"),
    "FED": NameTag("editor", "full"),
    "ED": NameTag("editor", "short"),
}

#: Lines that belong to the person named just before them (medline-format.md §3): kept in
#: custom under their tag, as "<name as written>: <value>" once a name precedes them.
PERSON_DETAIL_TAGS = frozenset({"AD", "AUID"})  # Affiliation, Author Identifier (ORCID)

#: Keyword tags: MeSH headings (as written, "Receptor, ErbB-2/*metabolism") and Other Terms.
KEYWORD_TAGS = frozenset({"MH", "OT"})

#: Date tags with a CSL date variable (medline-format.md §4).
DATE_TAGS = {
    "DP": "issued",  # Date of Publication: "2012 Mar 15", "2012 Spring", "2011 Dec-2012 Jan"
    "DEP": "available-date",  # Date of Electronic Publication, YYYYMMDD
}

#: Publication history statuses (``PHST- 2012/08/07 00:00 [received]``) that are a CSL date
#: (medline-format.md §4); the other statuses (accepted, revised, pubmed, medline, entrez,
#: pmc-release, aheadofprint, ...) are kept in custom as written.
HISTORY_TO_DATE = {
    "received": "submitted",
    "epublish": "available-date",  # the date DEP gives: used when there is no DEP
}

#: Article identifier types (``LID``/``AID`` ``value [type]``) with a CSL variable; any other
#: (pii, bookaccession, mid, ...) is kept in custom under its tag, as written.
IDENTIFIER_TYPES = {"doi": "DOI", "pmc": "PMCID", "pmcid": "PMCID"}

#: ISSN media in the order one is chosen as CSL's one ``ISSN`` (``IS  - 2090-5661 (Print)``);
#: every other IS line is kept in custom as written (medline-format.md §2.2).
ISSN_MEDIA = ("Print", "Electronic", "Linking")

#: MEDLINE elements with no CSL variable: kept in custom under their tag, as written, with no
#: warning (they are known, not lost: CSL-JSON keeps them in ``custom``, the line formats in
#: their notes). Source: NLM's element descriptions (medline-format.md §2.3).
KEPT_TAGS = frozenset(
    {
        "OWN", "STAT", "DCOM", "LR", "DA", "CRDT", "EDAT", "MHDA", "PST", "SO",
        "JID", "GR", "CI", "COIS", "OCI", "OAB", "OABL", "RN", "NM", "SI", "GS", "SB",
        "SFM", "OTO", "OID", "MID", "RF", "PS", "FPS", "IR", "FIR", "IRAD", "PUBM", "PMCR",
        "CTDT", "DRDT", "CDAT", "EID",
        # Comments and Corrections: links to other citations, "Journal. Year;Vol:Pages"
        "CON", "CIN", "EIN", "EFR", "CRI", "CRF", "ECI", "ECF", "RPI", "RPF", "RIN", "ROF",
        "UIN", "UOF", "SPIN", "ORI", "DDIN", "DRIN", "RRI", "RRF", "CPI",
    }
)  # fmt: skip

#: Tags that repeat by nature (every other repeated tag keeps its first value and the rest in
#: custom, with the shared "repeated" warning).
REPEATABLE_TAGS = frozenset(
    {*NAME_TAGS, *PERSON_DETAIL_TAGS, *KEYWORD_TAGS, *JOINED_TAGS, "PHST", "IS", "LID", "AID",
     "PT", "GR", "RN", "NM", "SI", "GS", "SB", "OTO", "OID", "IR", "FIR", "IRAD", "PS", "FPS",
     "OAB", "OABL", "CON", "CIN", "EIN", "EFR", "CRI", "CRF", "ECI", "ECF", "RPI", "RPF",
     "RIN", "ROF", "UIN", "UOF", "SPIN", "ORI", "DDIN", "DRIN", "RRI", "RRF", "CPI", "ISBN",
     "LA", "CI", "COIS"}
)  # fmt: skip

#: PubMed publication types (``PT``; NLM's Publication Types list) → CSL type. Most describe
#: a journal article (a review article, a letter to the editor and an editorial are all
#: articles in a journal: CSL ``review`` is a review OF a work, not a review article). The
#: record's type is that of its first PT that is not ``article-journal``, else
#: ``article-journal``; BTI refines it (``book_type`` in ``fields``).
PUBLICATION_TYPE_TO_CSL = {
    "Journal Article": "article-journal",
    "Review": "article-journal",
    "Systematic Review": "article-journal",
    "Meta-Analysis": "article-journal",
    "Letter": "article-journal",
    "Editorial": "article-journal",
    "Comment": "article-journal",
    "News": "article-journal",
    "Case Reports": "article-journal",
    "Clinical Trial": "article-journal",
    "Clinical Trial, Phase I": "article-journal",
    "Clinical Trial, Phase II": "article-journal",
    "Clinical Trial, Phase III": "article-journal",
    "Clinical Trial, Phase IV": "article-journal",
    "Clinical Trial Protocol": "article-journal",
    "Clinical Study": "article-journal",
    "Controlled Clinical Trial": "article-journal",
    "Randomized Controlled Trial": "article-journal",
    "Pragmatic Clinical Trial": "article-journal",
    "Adaptive Clinical Trial": "article-journal",
    "Equivalence Trial": "article-journal",
    "Multicenter Study": "article-journal",
    "Observational Study": "article-journal",
    "Comparative Study": "article-journal",
    "Evaluation Study": "article-journal",
    "Validation Study": "article-journal",
    "Twin Study": "article-journal",
    "Guideline": "article-journal",
    "Practice Guideline": "article-journal",
    "Consensus Development Conference": "article-journal",
    "Clinical Conference": "article-journal",
    "Historical Article": "article-journal",
    "Classical Article": "article-journal",
    "Biography": "article-journal",
    "Autobiography": "article-journal",
    "Portrait": "article-journal",
    "Personal Narrative": "article-journal",
    "Introductory Journal Article": "article-journal",
    "English Abstract": "article-journal",
    "Published Erratum": "article-journal",
    "Retracted Publication": "article-journal",
    "Retraction of Publication": "article-journal",
    "Expression of Concern": "article-journal",
    "Duplicate Publication": "article-journal",
    "Corrected and Republished Article": "article-journal",
    "Scientific Integrity Review": "article-journal",
    "Research Support, N.I.H., Extramural": "article-journal",
    "Research Support, N.I.H., Intramural": "article-journal",
    "Research Support, Non-U.S. Gov't": "article-journal",
    "Research Support, U.S. Gov't, Non-P.H.S.": "article-journal",
    "Research Support, U.S. Gov't, P.H.S.": "article-journal",
    "Research Support, American Recovery and Reinvestment Act": "article-journal",
    "Research Support, U.S. Gov't": "article-journal",
    "Bibliography": "article-journal",
    "Interview": "article-journal",
    "Lecture": "article-journal",
    "Address": "article-journal",
    "Legal Case": "article-journal",
    "Legislation": "article-journal",
    "Video-Audio Media": "article-journal",
    "Webcast": "article-journal",
    "Interactive Tutorial": "article-journal",
    "Directory": "article-journal",
    "Preprint": "article",  # CSL 1.0.2: article is "a preprint, working paper, or similar"
    "Book": "book",  # NCBI Bookshelf: a whole book (BTI, no TI)
    "Book Chapter": "chapter",  # NCBI Bookshelf: a chapter (TI of the chapter, BTI)
    "Collected Work": "book",
    "Festschrift": "book",
    "Dictionary": "book",
    "Congress": "paper-conference",  # a conference's proceedings or a paper in them
    "Dataset": "dataset",
    "Newspaper Article": "article-newspaper",
    "Technical Report": "report",
    "Government Publication": "report",
    "Patient Education Handout": "pamphlet",
}

#: The publication type the CSL type says on its own: not kept in custom beside it.
CSL_TYPE_SAYS = {
    "article-journal": "Journal Article",
    "article": "Preprint",
    "book": "Book",
    "chapter": "Book Chapter",
    "dataset": "Dataset",
    "article-newspaper": "Newspaper Article",
    "pamphlet": "Patient Education Handout",
}
