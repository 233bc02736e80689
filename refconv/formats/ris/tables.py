"""RIS mapping tables (data only; refer-format.md §3.2 and §7.1, RIS column).

The same tables serve the writer and the reader, so what refconv writes it reads back.
"""

#: EndNote ``%0`` type → the RIS code EndNote writes for it (§3.2), so a type the CSL type
#: does not pin down (Electronic Article, Edited Book, ...) survives a trip through RIS.
ENDNOTE_TO_RIS_TYPE = {
    "Aggregated Database": "AGGR",
    "Ancient Text": "ANCIENT",
    "Artwork": "ART",
    "Audiovisual Material": "ADVS",
    "Bill": "BILL",
    "Blog": "BLOG",
    "Book": "BOOK",
    "Book Section": "CHAP",
    "Case": "CASE",
    "Catalog": "CTLG",
    "Chart or Table": "CHART",
    "Classical Work": "CLSWK",
    "Computer Program": "COMP",
    "Conference Paper": "CPAPER",
    "Conference Proceedings": "CONF",
    "Dataset": "DATA",
    "Dictionary": "DICT",
    "Edited Book": "EDBOOK",
    "Electronic Article": "EJOUR",
    "Electronic Book": "EBOOK",
    "Electronic Book Section": "ECHAP",
    "Encyclopedia": "ENCYC",
    "Equation": "EQUA",
    "Figure": "FIGURE",
    "Film or Broadcast": "MPCT",
    "Generic": "GEN",
    "Government Document": "GOVDOC",
    "Grant": "GRANT",
    "Hearing": "HEAR",
    "Journal Article": "JOUR",
    "Legal Rule or Regulation": "LEGAL",
    "Magazine Article": "MGZN",
    "Manuscript": "MANSCPT",
    "Map": "MAP",
    "Music": "MUSIC",
    "Newspaper Article": "NEWS",
    "Online Database": "DBASE",
    "Online Multimedia": "MULTI",
    "Pamphlet": "PAMP",
    "Patent": "PAT",
    "Personal Communication": "PCOMM",
    "Report": "RPRT",
    "Serial": "SER",
    "Standard": "STAND",
    "Statute": "STAT",
    "Thesis": "THES",
    "Unpublished Work": "UNPB",
    "Web Page": "WEB",
}
RIS_TO_ENDNOTE_TYPE = {code: name for name, code in ENDNOTE_TO_RIS_TYPE.items()}

#: CSL type → RIS TY code, the codes EndNote itself writes.
CSL_TO_RIS_TYPE = {
    "article": "JOUR",
    "article-journal": "JOUR",
    "article-magazine": "MGZN",
    "article-newspaper": "NEWS",
    "bill": "BILL",
    "book": "BOOK",
    "broadcast": "MPCT",
    "chapter": "CHAP",
    "classic": "CLSWK",
    "dataset": "DATA",
    "document": "GEN",
    "entry-dictionary": "DICT",
    "entry-encyclopedia": "ENCYC",
    "figure": "FIGURE",
    "graphic": "ART",
    "hearing": "HEAR",
    "legal_case": "CASE",
    "legislation": "STAT",
    "manuscript": "UNPB",
    "map": "MAP",
    "motion_picture": "MPCT",
    "pamphlet": "PAMP",
    "paper-conference": "CPAPER",
    "patent": "PAT",
    "periodical": "SER",
    "personal_communication": "PCOMM",
    "post": "BLOG",
    "post-weblog": "BLOG",
    "regulation": "LEGAL",
    "report": "RPRT",
    "software": "COMP",
    "song": "MUSIC",
    "standard": "STAND",
    "thesis": "THES",
    "webpage": "WEB",
}

#: RIS TY codes (EndNote's, Zotero's, bibutils' and the RIS spec's spellings) → CSL type.
RIS_TO_CSL_TYPE = {code: csl for csl, code in CSL_TO_RIS_TYPE.items()} | {
    "JOUR": "article-journal",
    "BOOK": "book",
    "MPCT": "motion_picture",
    "UNPB": "manuscript",
    "BLOG": "post-weblog",
    "ABST": "article-journal",
    "ADVS": "motion_picture",
    "AGGR": "document",
    "ANCIENT": "classic",
    "CONF": "paper-conference",
    "CTLG": "book",
    "CHART": "figure",
    "EBOOK": "book",
    "ECHAP": "chapter",
    "EDBOOK": "book",
    "EJOUR": "article-journal",
    "ELEC": "webpage",
    "EQUA": "figure",
    "GOVDOC": "report",
    "GRANT": "document",
    "GRNT": "document",
    "ICOMM": "personal_communication",
    "INPR": "article-journal",
    "JFULL": "periodical",
    "LEGAL": "regulation",
    "MANSCPT": "manuscript",
    "MULTI": "webpage",
    "DBASE": "webpage",
    "SLIDE": "graphic",
    "SOUND": "song",
    "UNPD": "manuscript",
    "VIDEO": "motion_picture",
}

#: CSL text variable → RIS tag (one value each).
CSL_TO_RIS_FIELD = {
    "title": "TI",
    "container-title": "T2",
    "collection-title": "T3",
    "container-title-short": "J2",
    "title-short": "ST",
    "original-title": "OP",
    "reviewed-title": "RI",
    "publisher-place": "CY",
    "publisher": "PB",
    "volume": "VL",
    "number-of-volumes": "NV",
    "issue": "IS",
    "number": "M1",
    "section": "SE",
    "edition": "ET",
    "genre": "M3",
    "DOI": "DO",
    "URL": "UR",
    "abstract": "AB",
    "note": "N1",
    "call-number": "CN",
    "archive_location": "AN",
    "language": "LA",
    "source": "DP",
    "archive": "DB",
    "citation-key": "ID",
}

#: CSL name variable → RIS tag, one line per person.
NAME_TO_RIS = {
    "author": "AU",
    "editor": "A2",
    "collection-editor": "A3",
    "translator": "A4",
}

#: Refer extras that have an RIS tag of their own (EndNote's own correspondence, §2.2).
REFER_EXTRA_TO_RIS = {
    "%H": "TA",
    "%Q": "TT",
    "%+": "AD",
    "%^": "CA",
    "%>": "L1",
    "%<": "RN",
    "%)": "RP",
    "%1": "C1",
    "%2": "C2",
    "%3": "C3",
    "%4": "C4",
    "%#": "C5",
    "%$": "C6",
    "%]": "C7",
}

#: Extra RIS spellings accepted on input → CSL variable (first value wins, others kept).
RIS_FIELD_ALIASES = {
    "T1": "title",
    "CT": "title",
    "JO": "container-title",
    "JF": "container-title",
    "BT": "container-title",
    "JA": "container-title-short",
    "N2": "abstract",
}

#: RIS name tags accepted on input → CSL name variable.
RIS_NAME_ALIASES = {"A1": "author", "ED": "editor"}

#: Output order of the tags after TY (ER closes every record).
RIS_TAG_ORDER = (
    "ID", "AU", "A2", "A3", "A4", "TA", "TI", "TT", "ST", "T2", "J2", "T3", "OP", "RI", "PY",
    "DA", "Y2", "CY", "PB", "ET", "VL", "NV", "IS", "M1", "SE", "SP", "EP", "M3", "SN", "DO",
    "UR", "L1", "LA", "AN", "CN", "DB", "DP", "AD", "CA", "RP", "C1", "C2", "C3", "C4", "C5",
    "C6", "C7", "KW", "AB", "N1", "RN",
)  # fmt: skip

#: CSL types whose lone ``SP`` is the number of pages of the whole work, not a page (RIS
#: spec: ``SP`` is "Pages" for BOOK, EBOOK, EDBOOK, THES). One table for the reader and the
#: writer, which asks it about the type its TY reads back as: two copies once disagreed, and
#: a collection (TY GEN) wrote its number-of-pages as an SP that read back as a page.
BOOK_TYPES = frozenset({"book", "classic", "thesis", "periodical"})
