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
    # the rest of biblatex's data model (manual §2.1.1, §2.1.3 aliases) and the types its
    # standard styles treat as @misc (§2.1.2), to the CSL 1.0.2 type of the same kind of work
    "artwork": "graphic",
    "audio": "song",
    "bookinbook": "chapter",  # a book printed inside another (biblatex §2.1.1)
    "commentary": "book",  # biblatex §2.1.3: a commentary (no standard driver: @book's)
    "image": "graphic",
    "jurisdiction": "legal_case",
    "legal": "treaty",
    "legislation": "legislation",
    "letter": "personal_communication",
    "movie": "motion_picture",
    "music": "song",  # a recording (CSL "song": "recorded music or other audio")
    "mvproceedings": "book",
    "mvreference": "book",
    "performance": "performance",
    "review": "review",
    "set": "document",
    "suppbook": "chapter",
    "suppcollection": "chapter",
    "suppperiodical": "article-journal",
    "video": "motion_picture",
    **{f"custom{c}": "document" for c in "abcdef"},
}

#: Entry types whose ``type`` is implied (biblatex manual §2.1.2: ``@phdthesis`` is
#: ``@thesis`` with ``type = {phdthesis}``): the genre of an entry without ``type``, as
#: biblatex prints it (english.lbx), so APA's "[Doctoral dissertation]" has its genre. Not
#: ``@techreport``: a report's genre is no degree, and refconv's writer gives a CSL report
#: without genre that entry type, which would then read back with one.
IMPLIED_GENRE = {
    "phdthesis": "PhD thesis",
    "mastersthesis": "Master's thesis",
}

#: biblatex's localisation keys (manual §4.9.2) that the fields taking one hold (``type``,
#: ``series``): the English text biblatex prints for each (english.lbx, long forms).
BIBSTRINGS = {
    "mathesis": "Master's thesis",
    "phdthesis": "PhD thesis",
    "candthesis": "Candidate thesis",
    "techreport": "technical report",
    "resreport": "research report",
    "software": "computer software",
    "datacd": "CD-ROM",
    "audiocd": "audio CD",
    "patent": "patent",
    "patentde": "German patent",
    "patenteu": "European patent",
    "patentfr": "French patent",
    "patentuk": "British patent",
    "patentus": "U.S. patent",
    "patreq": "patent request",
    "patreqde": "German patent request",
    "patreqeu": "European patent request",
    "patreqfr": "French patent request",
    "patrequk": "British patent request",
    "patrequs": "U.S. patent request",
    "newseries": "new series",
    "oldseries": "old series",
}
#: The fields whose value may be a localisation key (biblatex manual §2.2.2, §4.9.2).
BIBSTRING_FIELDS = frozenset({"type", "series"})

#: babel and polyglossia language names (``langid``, ``hyphenation``; biblatex
#: manual §3.8, table 2) → BCP 47. A name for one country's variety (``american``,
#: ``ngerman``, ``brazil``) gives the region; English without one is ``en`` (babel's
#: ``english`` says no variety). Looked up case-insensitively (``USenglish``).
LANGUAGE_TAGS = {
    "english": "en", "american": "en-US", "usenglish": "en-US", "british": "en-GB",
    "ukenglish": "en-GB", "canadian": "en-CA", "australian": "en-AU", "newzealand": "en-NZ",
    "german": "de-DE", "ngerman": "de-DE", "austrian": "de-AT", "naustrian": "de-AT",
    "swissgerman": "de-CH", "nswissgerman": "de-CH", "french": "fr-FR", "francais": "fr-FR",
    "frenchb": "fr-FR", "acadian": "fr-CA", "canadien": "fr-CA", "swissfrench": "fr-CH",
    "spanish": "es-ES", "mexican": "es-MX", "portuguese": "pt-PT", "portuges": "pt-PT",
    "brazil": "pt-BR", "brazilian": "pt-BR", "catalan": "ca", "italian": "it", "dutch": "nl",
    "danish": "da", "norsk": "nb", "bokmal": "nb", "nynorsk": "nn", "norwegian": "no",
    "swedish": "sv", "finnish": "fi", "icelandic": "is", "polish": "pl", "czech": "cs",
    "slovak": "sk", "slovene": "sl", "slovenian": "sl", "croatian": "hr", "serbian": "sr-Latn",
    "serbianc": "sr-Cyrl", "russian": "ru", "ukrainian": "uk", "bulgarian": "bg",
    "macedonian": "mk", "greek": "el", "polutonikogreek": "el", "ancientgreek": "grc",
    "latin": "la", "hungarian": "hu", "magyar": "hu", "turkish": "tr", "estonian": "et",
    "latvian": "lv", "lithuanian": "lt", "romanian": "ro", "basque": "eu", "galician": "gl",
    "irish": "ga", "welsh": "cy", "scottish": "gd", "breton": "br", "hebrew": "he",
    "arabic": "ar", "persian": "fa", "farsi": "fa", "urdu": "ur", "hindi": "hi",
    "marathi": "mr", "sanskrit": "sa", "bengali": "bn", "tamil": "ta", "japanese": "ja",
    "chinese": "zh", "korean": "ko", "thai": "th", "vietnamese": "vi", "lao": "lo",
    "bahasa": "id", "indonesian": "id", "indon": "id", "malay": "ms", "bahasam": "ms",
    "afrikaans": "af", "albanian": "sq", "armenian": "hy", "belarusian": "be",
    "georgian": "ka", "esperanto": "eo", "interlingua": "ia", "friulan": "fur",
    "occitan": "oc", "romansh": "rm", "kurmanji": "kmr", "lsorbian": "dsb",
    "usorbian": "hsb", "northernsami": "se", "samin": "se",
}  # fmt: skip

#: The writer's ``langid`` of a BCP 47 tag (lower case): the babel name biblatex has a
#: language module (.lbx, biblatex 3.x) for, the current spelling first (``ngerman``, not
#: ``german``: biblatex manual §3.8 ``langid``), else the first of ``LANGUAGE_TAGS``.
_LANGID_PREFERRED = str.split(
    "english american british canadian australian newzealand ngerman naustrian nswissgerman"
    " french spanish portuguese brazil catalan italian dutch danish norsk nynorsk swedish"
    " finnish icelandic polish czech slovak slovene croatian serbian serbianc russian"
    " ukrainian bulgarian greek magyar turkish estonian latvian lithuanian romanian basque"
    " galician marathi"
)
LANGID_OF_TAG: dict[str, str] = {}
for _name in (*_LANGID_PREFERRED, *LANGUAGE_TAGS):
    LANGID_OF_TAG.setdefault(LANGUAGE_TAGS[_name].lower(), _name)

#: ``eprinttype`` (and arXiv's ``archiveprefix``) → the URL of an ``eprint`` (biblatex
#: manual §3.14.7; the resolvers biblatex's standard styles link) and the CSL variable that
#: holds the identifier itself, if CSL has one.
EPRINT_URLS = {
    "arxiv": ("https://arxiv.org/abs/{}", None),
    "pubmed": ("https://www.ncbi.nlm.nih.gov/pubmed/{}", "PMID"),
    "hdl": ("https://hdl.handle.net/{}", None),
    "jstor": ("https://www.jstor.org/stable/{}", None),
    "doi": ("https://doi.org/{}", "DOI"),
    "googlebooks": ("https://books.google.com/books?id={}", None),
}

#: A title and the pieces biblatex prints after it (manual §2.2.2: ``subtitle``,
#: ``titleaddon``; the same for the book, the multi-volume work and the journal).
TITLE_PARTS = {
    "title": ("subtitle", "titleaddon"),
    "booktitle": ("booksubtitle", "booktitleaddon"),
    "maintitle": ("mainsubtitle", "maintitleaddon"),
    "journaltitle": ("journalsubtitle", "journaltitleaddon"),
}
#: The BibLaTeX list fields (manual §2.2.1, "literal list"; ``address`` and ``school`` are
#: biber's aliases of ``location`` and ``institution``): items split at a top-level "and".
LIST_FIELDS = frozenset({"location", "address", "publisher", "institution", "school",
                         "organization"})  # fmt: skip

#: Where readers keep an "et al." marker for a name list (the Refer tag of that list), which
#: BibTeX writes as "and others".
ET_AL_TAGS = {"author": "%A", "editor": "%E"}
#: Fields BibTeX or the BibLaTeX data model define (biblatex manual §2.2.2-2.2.5; the
#: ``archiveprefix``/``primaryclass`` aliases of arXiv's BibTeX, §2.2.5) that CSL has no
#: variable for: kept in custom under their name, as the RIS reader keeps the Refer tags it
#: carries, without a warning. A field in no table is unknown: kept, with a warning.
UNMAPPED_FIELDS = frozenset({
    "addendum", "afterword", "annotator", "archiveprefix", "bookeditor", "bookpagination",
    "commentator", "editorb", "editorc", "editoratype", "editorbtype", "editorctype", "eid",
    "entryset", "entrysubtype", "eprint", "eprintclass", "eprinttype", "eventtitleaddon",
    "execute", "file", "foreword", "gender", "holder", "ids", "indexsorttitle", "indextitle",
    "introduction", "isan", "ismn", "isrn", "issuesubtitle", "issue", "issuetitle", "iswc",
    "label", "library", "nameaddon", "options", "origlanguage", "origlocation",
    "origpublisher", "pagination", "presort", "primaryclass", "related", "relatedoptions",
    "relatedstring", "relatedtype", "reprinttitle", "shortauthor", "shorteditor", "shorthand",
    "shorthandintro", "shortseries", "sortkey", "sortname", "sortshorthand", "sorttitle",
    "sortyear", "usera", "userb", "userc", "userd", "usere", "userf", "verba", "verbb",
    "verbc", "xdata", "xref", "key",
})  # fmt: skip
#: biblatex's date fields (manual §2.3.8) and the CSL date each fills; ``year``/``month``/
#: ``day`` are the classic BibTeX spelling of ``date``.
BIBLATEX_DATES = {
    "date": "issued",
    "urldate": "accessed",
    "eventdate": "event-date",
    "origdate": "original-date",
}


#: CSL types whose ``container-title`` is a book: a ``maintitle`` is that book's whole work
#: (the ``container-title``; the ``booktitle`` is CSL's ``volume-title``).
MAINTITLE_OF_CONTAINER = frozenset(
    {"chapter", "paper-conference", "entry", "entry-dictionary", "entry-encyclopedia"}
)
#: CSL types of the volumes of a multi-volume work (biblatex's drivers that print maintitle:
#: @book, @collection, @proceedings, @reference, @manual, @periodical): a ``maintitle`` is the
#: ``title``; the entry's own title is CSL's ``volume-title`` (CSL 1.0.2, Appendix IV).
MAINTITLE_OF_TITLE = frozenset({"book", "classic", "collection", "periodical"})
