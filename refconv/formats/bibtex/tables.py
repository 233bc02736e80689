"""BibTeX and BibLaTeX mapping tables (data only; refer-format.md §3.2, §7.1)."""

import re

#: CSL type → (BibTeX entry type, BibLaTeX entry type). Chapters and theses are refined by
#: rules in the writer (incollection vs inbook; phdthesis vs mastersthesis).
CSL_TO_BIBTEX_TYPE = {
    "article": ("article", "article"),
    "article-journal": ("article", "article"),
    "article-magazine": ("article", "article"),
    "article-newspaper": ("article", "article"),
    "review": ("article", "article"),
    "review-book": ("article", "article"),
    "book": ("book", "book"),
    "classic": ("book", "book"),
    "collection": ("book", "collection"),
    "periodical": ("book", "periodical"),
    "chapter": ("incollection", "incollection"),
    "entry": ("misc", "inreference"),
    "entry-dictionary": ("misc", "inreference"),
    "entry-encyclopedia": ("misc", "inreference"),
    "paper-conference": ("inproceedings", "inproceedings"),
    "thesis": ("phdthesis", "thesis"),
    "report": ("techreport", "report"),
    "manuscript": ("unpublished", "unpublished"),
    "pamphlet": ("booklet", "booklet"),
    "patent": ("misc", "patent"),
    "dataset": ("misc", "dataset"),
    "software": ("misc", "software"),
    "webpage": ("misc", "online"),
    "post": ("misc", "online"),
    "post-weblog": ("misc", "online"),
    "standard": ("misc", "standard"),
}

#: CSL type → BibLaTeX ``type`` field value for entry types that carry it.
BIBLATEX_SUBTYPES = {"thesis": "phdthesis", "report": "techreport"}

#: CSL variable → (BibTeX field, BibLaTeX field). ``None`` means the variable has no field in
#: that dialect and goes to the note (BibTeX) or annotation (BibLaTeX) with its name.
CSL_TO_BIBTEX_FIELD = {
    "title": ("title", "title"),
    "title-short": ("shorttitle", "shorttitle"),
    "original-title": (None, "origtitle"),
    "collection-title": ("series", "series"),
    "collection-number": ("number", "number"),
    "volume-title": (None, "maintitle"),
    "event-title": (None, "eventtitle"),
    "event-place": (None, "venue"),
    "publisher": ("publisher", "publisher"),
    "publisher-place": ("address", "location"),
    "edition": ("edition", "edition"),
    "version": ("version", "version"),
    "volume": ("volume", "volume"),
    "number-of-volumes": ("volumes", "volumes"),
    "issue": ("number", "number"),
    "number": ("number", "number"),
    "chapter-number": ("chapter", "chapter"),
    "page": ("pages", "pages"),
    "number-of-pages": ("pagetotal", "pagetotal"),
    "genre": ("type", "type"),
    "language": ("language", "language"),
    "DOI": ("doi", "doi"),
    "ISBN": ("isbn", "isbn"),
    "ISSN": ("issn", "issn"),
    "URL": ("url", "url"),
    "PMID": ("pmid", "pmid"),
    "abstract": ("abstract", "abstract"),
    "note": ("note", "note"),
    "annote": ("annote", "annotation"),
    "container-title-short": ("shortjournal", "shortjournal"),
    "status": (None, "pubstate"),
    "medium": (None, None),
}

#: Where ``container-title`` goes, by entry type (default ``booktitle``; None: into the note).
CONTAINER_FIELD = {
    "article": ("journal", "journaltitle"),
    "misc": ("howpublished", "organization"),
    "online": ("howpublished", "organization"),
    "patent": ("howpublished", "organization"),
    "dataset": ("howpublished", "organization"),
    "software": ("howpublished", "organization"),
    "standard": ("howpublished", "organization"),
    "techreport": (None, None),
    "report": (None, None),
    "book": (None, None),
    "phdthesis": ("howpublished", "howpublished"),
    "mastersthesis": ("howpublished", "howpublished"),
    "thesis": ("howpublished", "howpublished"),
    "unpublished": ("howpublished", "howpublished"),
    "booklet": ("howpublished", "howpublished"),
}

#: BibTeX has no event fields. In an ``@inproceedings`` the conference name is the
#: ``booktitle``, its place the ``address`` and its date the ``year`` when the record has no
#: proceedings title, publisher place or date of publication of its own: CSL event variable →
#: (BibTeX field, the CSL variable that field is for). bibutils' xml2bib writes EndNote's
#: conference name (``%B``) and place (``%C``) so. Beside them, and when they equal the
#: record's own, the event's value is also in its BibLaTeX field (``eventtitle``, ``venue``,
#: ``eventdate``: biblatex manual §2.2.2), which BibTeX styles do not print and biber and the
#: reader give back as the event's; an event value that differs goes to the note.
EVENT_FALLBACK = {
    "event-title": ("booktitle", "container-title"),
    "event-place": ("address", "publisher-place"),
    "event-date": ("year", "issued"),
}
#: The BibTeX entry types whose event variables ``EVENT_FALLBACK`` places.
EVENT_ENTRY_TYPES = frozenset({"inproceedings"})

#: Where ``publisher`` goes, by BibTeX entry type (default: ``publisher``).
PUBLISHER_FIELD = {
    "phdthesis": "school",
    "mastersthesis": "school",
    "thesis": "institution",
    "techreport": "institution",
    "report": "institution",
}

#: CSL name variable → (BibTeX field, BibLaTeX field); other roles go to the note.
NAME_FIELDS = {
    "author": ("author", "author"),
    "editor": ("editor", "editor"),
    "translator": ("translator", "translator"),
    "director": ("author", "author"),
    "composer": ("author", "author"),
    "collection-editor": (None, "editora"),
    "container-author": (None, "bookauthor"),
    "original-author": (None, "origauthor"),
}

#: BibTeX month macros, unbraced in the output (``month = mar``).
MONTH_MACROS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

#: Output order of fields; fields not listed follow in alphabetical order.
BIBTEX_FIELD_ORDER = (
    "author", "editor", "translator", "editora", "bookauthor", "origauthor", "title",
    "shorttitle", "origtitle", "booktitle", "maintitle", "eventtitle", "journal", "journaltitle",
    "shortjournal", "series", "edition", "version", "volume", "volumes", "number", "chapter",
    "pages", "pagetotal", "type", "school", "institution", "organization", "howpublished",
    "publisher", "address", "location", "venue", "year", "month", "date", "urldate",
    "eventdate", "origdate", "pubstate", "langid", "language", "isbn", "issn", "doi", "pmid",
    "url", "keywords", "abstract", "note", "annote", "annotation",
)  # fmt: skip

#: Fields consumers read verbatim (url.sty, hyperref, biber): not escaped as text, but written
#: by ``refconv.formats.bibtex.latex.escape_url``/``escape_doi`` so that no TeX reading runs them.
VERBATIM_FIELDS = frozenset({"url", "doi"})

#: Characters a citation key may not hold: all but those ordinary in ``\\cite``, ``\\bibitem``,
#: the .aux file and the .bib syntax (the set ``refconv.keys`` makes keys from).
KEY_UNSAFE = re.compile(r"[^A-Za-z0-9_:.\-/+]")

#: Labels of CSL date variables when a dialect cannot hold them and they go to the note.
DATE_FIELDS = {
    "issued": ("year", "date"),
    "accessed": ("urldate", "urldate"),
    "event-date": (None, "eventdate"),
    "original-date": (None, "origdate"),
}

#: CSL ``status`` → BibLaTeX ``pubstate`` keys (localised by biblatex); others kept as text.
STATUS_TO_PUBSTATE = {
    "in press": "inpress",
    "forthcoming": "forthcoming",
    "submitted": "submitted",
    "in preparation": "inpreparation",
    "preprint": "prepublished",
}

#: BibTeX and BibLaTeX entry types → CSL type (the writer's table inverted, plus aliases).
BIBTEX_TO_CSL_TYPE = {
    "article": "article-journal",
    "book": "book",
    "mvbook": "book",
    "booklet": "pamphlet",
    "collection": "book",
    "mvcollection": "book",
    "conference": "paper-conference",
    "dataset": "dataset",
    "electronic": "webpage",
    "inbook": "chapter",
    "incollection": "chapter",
    "inproceedings": "paper-conference",
    "inreference": "entry-encyclopedia",
    "manual": "book",
    "mastersthesis": "thesis",
    "misc": "document",
    "online": "webpage",
    "patent": "patent",
    "periodical": "periodical",
    "phdthesis": "thesis",
    "proceedings": "book",
    "reference": "book",
    "report": "report",
    "software": "software",
    "standard": "standard",
    "techreport": "report",
    "thesis": "thesis",
    "unpublished": "manuscript",
    "www": "webpage",
}

#: Where readers keep an "et al." marker for a name list (the Refer tag of that list), which
#: BibTeX writes as "and others".
ET_AL_TAGS = {"author": "%A", "editor": "%E"}
#: Fields BibTeX or the BibLaTeX data model define (biblatex manual §2.2.2-2.2.5; the
#: ``archiveprefix``/``primaryclass`` aliases of arXiv's BibTeX, §2.2.5) that CSL has no
#: variable for: kept in custom under their name, as the RIS reader keeps the Refer tags it
#: carries, without a warning. A field in no table is unknown: kept, with a warning.
UNMAPPED_FIELDS = frozenset({
    "addendum", "afterword", "annotator", "archiveprefix", "bookeditor", "bookpagination",
    "booksubtitle", "booktitleaddon", "commentator", "editorb", "editorc", "editoratype",
    "editorbtype", "editorctype", "eid", "entryset", "entrysubtype", "eprint", "eprintclass",
    "eprinttype", "eventtitleaddon", "execute", "file", "foreword", "gender", "holder", "ids",
    "indexsorttitle", "indextitle", "introduction", "isan", "ismn", "isrn", "issuesubtitle",
    "issuetitle", "iswc", "journalsubtitle", "journaltitleaddon", "label", "library",
    "mainsubtitle", "maintitleaddon", "nameaddon", "options", "origlanguage", "origlocation",
    "origpublisher", "pagination", "part", "presort", "primaryclass", "related", "relatedoptions",
    "relatedstring", "relatedtype", "reprinttitle", "shortauthor", "shorteditor", "shorthand",
    "shorthandintro", "shortseries", "sortkey", "sortname", "sortshorthand", "sorttitle",
    "sortyear", "subtitle", "titleaddon", "usera", "userb", "userc", "userd", "usere", "userf",
    "verba", "verbb", "verbc", "xdata", "xref", "key",
})  # fmt: skip
#: biblatex's date fields (manual §2.3.8) and the CSL date each fills; ``year``/``month``/
#: ``day`` are the classic BibTeX spelling of ``date``.
BIBLATEX_DATES = {
    "date": "issued",
    "urldate": "accessed",
    "eventdate": "event-date",
    "origdate": "original-date",
}
