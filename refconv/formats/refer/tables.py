"""Refer / EndNote-tagged mapping tables (data only; docs/refer-format.md §2, §3, §7).

A *target* is what a tag's value becomes:

* a CSL variable name: a name variable gets parsed names, a date variable a parsed date, any
  other variable the text (first value wins; later values are kept in ``extra``);
* a pseudo-target from ``PSEUDO_TARGETS``, handled by the reader (ISBN/ISSN split, accession);
* ``"?var"``: fill ``var`` only if nothing else filled it (a fallback, e.g. Start Page → page);
* a tuple of targets: the value goes to each;
* ``None``: no CSL variable; the value is kept in ``extra`` under its tag.
"""

#: Where a tag's value goes: a CSL variable, several (a tuple), "?var" for a fallback
#: taken only when no other tag fills it, or None (kept in custom under the tag).
Target = str | tuple[str, ...] | None


#: Targets that are not CSL variables but reader rules (docs/refer-format.md, as noted).
PSEUDO_TARGETS = frozenset(
    {
        "ISBN|ISSN",  # §5.4
        "report-number",  # §5.4
        "accession",  # §5.4
        "gov-number",  # §2.3
        "corporate-author",  # §5.1, §7.1
        "access-year",  # §2.2, §7.2
        "access-date",  # §2.2, §7.2
        "doi-tag",  # RIS DO: the DOI even when it is not DOI-shaped (formats/ris/tables.py)
    }
)

#: Tags whose repetition is normal (refer-format.md §1.4); any other repeated tag is warned.
REPEATABLE_TAGS = frozenset(
    {"%A", "%E", "%Y", "%?", "%H", "%K", "%Z", "%+", "%@", "%U", "%>", "%1", "%2", "%3", "%4",
     "%#", "%$", "%]"}
)  # fmt: skip

#: Tags whose continuation lines are joined with a newline rather than a space (§1.3).
NEWLINE_JOINED_TARGETS = frozenset({"abstract", "note", "annote"})

#: Tag characters accepted in the flattened one-line form (§6.1 rule 2): no lower case, no 5.
FLAT_TAG_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ!@#$^&*()+=?[]~<>".replace("5", "")

#: Tags that name people (validated as name-shaped in the flattened form).
NAME_TAGS = frozenset({"%A", "%E", "%Y", "%?", "%H"})

#: Classic refer(1) meanings (no %0 in the record). %Q is a corporate author, used only when
#: the record has no %A; %R is a report number unless it is DOI-shaped; %G a government
#: ordering number unless it looks like a language name.
CLASSIC_TAGS: dict[str, Target] = {
    "%A": "author",
    "%B": "container-title",
    "%C": "publisher-place",
    "%D": "issued",
    "%E": "editor",
    "%F": "citation-key",
    "%G": "gov-number",
    "%H": None,  # header commentary printed before the reference
    "%I": "publisher",
    "%J": "container-title",
    "%K": "keyword",
    "%L": "citation-key",
    "%M": "number",  # Bell Labs memorandum number
    "%N": "issue",
    "%O": "note",
    "%P": "page",
    "%Q": "corporate-author",
    "%R": "DOI",
    "%S": "collection-title",
    "%T": "title",
    "%U": "URL",
    "%V": "volume",
    "%X": "annote",
    "%Y": None,  # ignored by refer(1)
    "%Z": "note",
}

#: Classic letters that mean another thing in EndNote (refer-format.md §2.3; %Z is a note in
#: both, %R a DOI when it holds one). A value the classic reader keeps under one of them is
#: kept as "classic %H", never as "%H": every writer writes EndNote, where it would change
#: meaning (a comment would come back as a Translated Author).
CLASSIC_ONLY_LETTERS = frozenset({"%G", "%H", "%L", "%M", "%O", "%Q", "%R", "%X", "%Y"})

#: EndNote generic field meanings (§7.1); per-type changes are in ENDNOTE_TYPE_TAGS.
ENDNOTE_TAGS: dict[str, Target] = {
    "%0": None,
    "%A": "author",
    "%B": "container-title",
    "%C": "publisher-place",
    "%D": "issued",
    "%E": "editor",
    "%F": "citation-key",
    "%G": "language",
    "%H": None,  # Translated Author
    "%I": "publisher",
    "%J": "container-title",
    "%K": "keyword",
    "%L": "call-number",
    "%M": "accession",
    "%N": "issue",
    "%O": "container-title-short",
    "%P": "page",
    "%Q": None,  # Translated Title
    "%R": "DOI",
    "%S": "collection-title",
    "%T": "title",
    "%U": "URL",
    "%V": "volume",
    "%W": "source",
    "%X": "abstract",
    "%Y": "collection-editor",
    "%Z": "note",
    "%1": None,
    "%2": None,
    "%3": None,
    "%4": None,
    "%6": "number-of-volumes",
    "%7": "edition",
    "%8": "issued",
    "%9": "genre",
    "%?": "translator",
    "%@": "ISBN|ISSN",
    "%!": "title-short",
    "%#": None,
    "%$": None,
    "%&": "section",
    "%(": "original-title",
    "%)": None,  # Reprint Edition
    "%*": "reviewed-title",
    "%+": None,  # Author Address
    "%^": None,  # Caption
    "%>": None,  # Link to PDF (internal-pdf:// paths are meaningless outside EndNote)
    "%<": None,  # Research Notes
    "%[": "accessed",
    "%=": None,  # Last Modified Date
    "%~": "archive",
    "%]": None,
}

_BOOK = {"%B": "collection-title", "%N": "collection-number", "%P": "number-of-pages"}
_CHAPTER = {
    "%B": "container-title",
    "%E": "editor",
    "%Y": "collection-editor",
    "%N": "collection-number",
    "%&": "chapter-number",
}
_IMAGE: dict[str, Target] = {
    "%E": None,  # File, Name of
    "%B": None,  # Image Source Program
    "%V": "dimensions",
    "%N": "number",
    "%P": None,  # Description
    "%7": "version",
}

#: Per-type tag meanings that differ from ENDNOTE_TAGS (§2.2 and §7.2), keyed by the canonical
#: EndNote type name.
ENDNOTE_TYPE_TAGS: dict[str, dict[str, Target]] = {
    "Journal Article": {
        "%&": ("page-first", "?page"),
        "%7": "available-date",
        "%]": ("number", "?page"),
        "%2": "PMCID",
    },
    "Electronic Article": {
        "%8": "accessed",
        "%&": "available-date",
        "%6": "number",
        "%]": ("number", "?page"),
        "%3": "PMCID",
    },
    "Magazine Article": {"%&": ("page-first", "?page"), "%6": None},
    "Newspaper Article": {"%N": ("page-first", "?page"), "%2": "issue", "%6": None},
    "Book": {**_BOOK, "%E": "collection-editor", "%Y": "editor", "%&": "?page"},
    "Edited Book": {**_BOOK, "%A": "editor", "%E": "collection-editor"},
    "Electronic Book": {
        "%8": "accessed",
        "%6": "version",
        "%P": "number-of-pages",
        "%9": "medium",
        "%Y": "collection-editor",
        "%]": "PMCID",
    },
    "Classical Work": {**_BOOK, "%E": "collection-editor"},
    "Ancient Text": {"%S": "volume-title", "%N": "number"},
    "Catalog": {**_BOOK, "%P": "page", "%&": "number-of-pages", "%6": "number", "%E": None},
    "Serial": {"%N": "collection-number", "%&": "chapter-number", "%?": None, "%2": "number"},
    "Book Section": {**_CHAPTER},
    "Electronic Book Section": {**_CHAPTER, "%P": "number-of-pages", "%]": "PMCID"},
    "Conference Paper": {
        # %B names the conference, and is the container only when no %J names proceedings.
        "%B": ("event-title", "?container-title"),
        "%C": "event-place",
        "%1": "publisher-place",
    },
    "Conference Proceedings": {
        "%B": ("event-title", "?container-title"),
        "%3": "container-title",
        "%C": "event-place",
        "%1": "publisher-place",
        "%D": ("event-date", "?issued"),
        "%2": "issued",
        "%?": None,  # Sponsor
    },
    "Thesis": {
        "%Y": None,  # Advisor: CSL has no such role
        "%B": None,  # Academic Department
        "%V": "?genre",  # Degree
        "%N": "number",
        "%P": "number-of-pages",
    },
    "Report": {
        "%@": "report-number",
        "%N": "?number",
        "%B": "collection-title",
        "%E": "collection-editor",
        "%Y": None,  # Publisher (as a person)
        "%?": None,  # Department/Division
        "%6": None,  # Series Volume
    },
    "Government Document": {"%E": None, "%N": "number", "%1": "authority"},
    "Unpublished Work": {"%B": "collection-title", "%S": None, "%N": "number"},
    "Web Page": {"%V": "access-year", "%N": "access-date", "%9": "medium", "%P": None},
    "Blog": {"%V": "access-year", "%9": "medium", "%&": "number", "%P": None, "%Y": "illustrator"},
    "Online Multimedia": {"%8": "accessed", "%N": None, "%9": "medium"},
    "Aggregated Database": {"%7": "issued", "%8": "accessed", "%N": "number", "%&": None},
    "Online Database": {"%7": "issued", "%8": "accessed", "%@": "report-number"},
    "Film or Broadcast": {
        "%A": "director",
        "%E": None,  # Director, Series
        "%Y": "producer",
        "%?": "performer",
        "%B": "collection-title",
        "%P": "dimensions",
        "%9": "medium",
        "%4": "genre",
    },
    "Audiovisual Material": {"%E": "performer", "%6": "dimensions", "%9": "medium", "%N": "number"},
    "Computer Program": {"%7": "version", "%V": "edition", "%1": "medium", "%P": None},
    "Patent": {
        "%@": "number",
        "%C": "jurisdiction",
        "%I": None,  # Assignee: CSL has no such variable
        "%E": "authority",
        "%N": "call-number",
        "%Y": None,
        "%V": "version",
        "%&": None,
        "%7": None,
        "%6": None,
    },
    "Case": {
        "%E": "container-title",  # the law Reporter, a publication
        "%I": "authority",
        "%N": "number",
        "%8": "accessed",
        "%O": None,  # Parallel Citation
        "%Y": None,
        "%?": None,
        "%S": None,
        "%6": None,
        "%&": None,
        "%7": None,
        "%9": None,
    },
    "Bill": {"%E": None, "%N": "number", "%7": "chapter-number", "%S": "authority"},
    "Statute": {
        "%C": "jurisdiction",
        "%N": "number",
        "%7": "chapter-number",
        "%S": None,
        "%I": None,
        "%6": None,
        "%*": None,
    },
    "Legal Rule or Regulation": {
        "%E": "authority",
        "%V": "number",
        "%N": ("page-first", "?page"),
        "%S": None,
        "%6": None,
        "%8": None,
    },
    "Hearing": {"%B": "section", "%S": "authority", "%N": "number", "%7": "chapter-number"},
    "Map": {
        "%1": "scale",
        "%3": "dimensions",
        "%P": None,
        "%E": "collection-editor",
        "%B": "collection-title",
    },
    "Artwork": {"%9": "medium", "%3": "dimensions", "%N": None, "%P": None},
    "Personal Communication": {"%E": "recipient", "%6": "number", "%N": None, "%7": None},
    "Manuscript": {
        "%I": "archive",
        "%B": "archive_collection",
        "%V": "archive_location",
        "%6": "number",
        "%N": None,
        "%&": None,
        "%7": None,
    },
    "Dataset": {
        "%7": "version",
        "%6": "number",
        "%3": "genre",
        "%8": None,
        "%E": "producer",
        "%?": None,
        "%&": None,
    },
    "Music": {"%A": "composer", "%?": "producer", "%9": "medium"},
    "Standard": {"%@": "number", "%B": None, "%S": None, "%V": None, "%6": None, "%N": None},
    "Pamphlet": {"%E": None, "%N": "collection-number"},
    "Grant": {"%V": None, "%6": None, "%N": None, "%&": None, "%7": None},
    "Chart or Table": _IMAGE,
    "Equation": _IMAGE,
    "Figure": _IMAGE,
}

#: EndNote ``%0`` type names (canonical) → CSL type (§3.2).
ENDNOTE_TYPE_TO_CSL = {
    "Aggregated Database": "document",
    "Ancient Text": "classic",
    "Artwork": "graphic",
    "Audiovisual Material": "motion_picture",
    "Bill": "bill",
    "Blog": "post-weblog",
    "Book": "book",
    "Book Section": "chapter",
    "Case": "legal_case",
    "Catalog": "book",
    "Chart or Table": "figure",
    "Classical Work": "classic",
    "Computer Program": "software",
    "Conference Paper": "paper-conference",
    "Conference Proceedings": "paper-conference",
    "Dataset": "dataset",
    "Dictionary": "entry-dictionary",
    "Edited Book": "book",
    "Electronic Article": "article-journal",
    "Electronic Book": "book",
    "Electronic Book Section": "chapter",
    "Encyclopedia": "entry-encyclopedia",
    "Equation": "figure",
    "Figure": "figure",
    "Film or Broadcast": "motion_picture",
    "Generic": "document",
    "Government Document": "report",
    "Grant": "document",
    "Hearing": "hearing",
    "Journal Article": "article-journal",
    "Legal Rule or Regulation": "regulation",
    "Magazine Article": "article-magazine",
    "Manuscript": "manuscript",
    "Map": "map",
    "Music": "song",
    "Newspaper Article": "article-newspaper",
    "Online Database": "webpage",
    "Online Multimedia": "webpage",
    "Pamphlet": "pamphlet",
    "Patent": "patent",
    "Personal Communication": "personal_communication",
    "Report": "report",
    "Serial": "periodical",
    "Standard": "standard",
    "Statute": "legislation",
    "Thesis": "thesis",
    "Unpublished Work": "manuscript",
    "Web Page": "webpage",
    "Unused 1": "document",
    "Unused 2": "document",
    "Unused 3": "document",
    # Newer EndNote names that refer-format.md §3.1 could not verify from a primary source.
    "Interview": "interview",
    "Podcast": "broadcast",
    "Television Episode": "broadcast",
    "Press Release": "report",
    "Social Media": "post",
    "Discussion Forum": "post",
    "Multimedia Application": "software",
}

#: Older or variant spellings of type names (§3.1) → canonical name.
ENDNOTE_TYPE_ALIASES = {
    "Electronic Source": "Web Page",
    "Conference Proceeding": "Conference Proceedings",
    "Legal Rule/Regulation": "Legal Rule or Regulation",
    "Serial Publication": "Serial",
    "Journal": "Journal Article",
    "Electronic Journal Article": "Electronic Article",
}

#: CSL type → the EndNote type the Refer writer uses (a book with editors but no authors is
#: written as Edited Book). A record read from Refer with another %0 name keeps that name.
CSL_TO_ENDNOTE_TYPE = {
    "article": "Journal Article",
    "article-journal": "Journal Article",
    "article-magazine": "Magazine Article",
    "article-newspaper": "Newspaper Article",
    "bill": "Bill",
    "book": "Book",
    "broadcast": "Film or Broadcast",
    "chapter": "Book Section",
    "classic": "Classical Work",
    "dataset": "Dataset",
    "document": "Generic",
    "entry-dictionary": "Dictionary",
    "entry-encyclopedia": "Encyclopedia",
    "figure": "Figure",
    "graphic": "Artwork",
    "hearing": "Hearing",
    "interview": "Interview",
    "legal_case": "Case",
    "legislation": "Statute",
    "manuscript": "Unpublished Work",
    "map": "Map",
    "motion_picture": "Film or Broadcast",
    "pamphlet": "Pamphlet",
    "paper-conference": "Conference Paper",
    "patent": "Patent",
    "periodical": "Serial",
    "personal_communication": "Personal Communication",
    "post": "Blog",
    "post-weblog": "Blog",
    "regulation": "Legal Rule or Regulation",
    "report": "Report",
    "software": "Computer Program",
    "song": "Music",
    "standard": "Standard",
    "thesis": "Thesis",
    "webpage": "Web Page",
}

#: The Refer writer's tag order (EndNote's export order); tags not listed follow.
REFER_TAG_ORDER = (
    "%0", "%F", "%A", "%E", "%Y", "%?", "%H", "%T", "%Q", "%!", "%J", "%B", "%S", "%O", "%D",
    "%8", "%7", "%C", "%I", "%V", "%6", "%N", "%P", "%&", "%9", "%@", "%R", "%M", "%L", "%U",
    "%[", "%=", "%>", "%G", "%W", "%~", "%(", "%)", "%*", "%+", "%^", "%1", "%2", "%3", "%4",
    "%#", "%$", "%]", "%K", "%X", "%<", "%Z",
)  # fmt: skip
