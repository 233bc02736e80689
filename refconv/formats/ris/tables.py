"""RIS mapping tables (data only; refer-format.md §3.2 and §7.1, RIS column).

The same tables serve the writer and the reader, so what refconv writes it reads back. A RIS
tag means what EndNote's field under that tag means in the record's type (``RIS_TO_ENDNOTE_FIELD``
and the Refer tables); ``formats.ris.meaning`` merges them per type.
"""

from refconv.formats.refer.tables import Target

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

#: The EndNote field each RIS tag holds in EndNote's RIS export, named by its Refer tag: a tag
#: means in a type what that field means there (``refer.tables.ENDNOTE_TYPE_TAGS``), so RIS and
#: Refer read and write one table of meanings. Source: EndNote's RIS export of one record per
#: reference type with every field holding its own label (EndNote X6 tag map; the import test
#: in Zotero's RIS translator), joined label by label with the Refer tags of
#: docs/refer-format.md §2.2. ``LB`` (Label) is ``%F``; ``ID`` is no field (see RIS_OWN_TAGS).
RIS_TO_ENDNOTE_FIELD = {
    "AU": "%A", "A2": "%E", "A3": "%Y", "A4": "%?", "TI": "%T", "T2": "%B", "T3": "%S",
    "J2": "%O", "ST": "%!", "PY": "%D", "DA": "%8", "CY": "%C", "PB": "%I", "VL": "%V",
    "NV": "%6", "M1": "%N", "SV": "%N", "SP": "%P", "SE": "%&", "ET": "%7", "M3": "%9",
    "SN": "%@", "OP": "%(", "RP": "%)", "RI": "%*", "C1": "%1", "C2": "%2",
    "C3": "%3", "C4": "%4", "C5": "%#", "C6": "%$", "C7": "%]", "AB": "%X", "AD": "%+",
    "AN": "%M", "CA": "%^", "CN": "%L", "DB": "%~", "DP": "%W", "KW": "%K", "L1": "%>",
    "LA": "%G", "LB": "%F", "N1": "%Z", "RN": "%<", "TA": "%H", "TT": "%Q", "UR": "%U",
    "Y2": "%[", "A1": "%A", "Y1": "%D", "N2": "%X", "T1": "%T",
}  # fmt: skip

#: Where the labelled export puts a field under another tag than the table above: a Journal
#: Article's issue is ``IS``; a Book Section's ``M1`` is the Number of Volumes and ``SV`` its
#: Series Volume; a Case's ``SV`` the Docket Number (``%N``); a Pamphlet's ``M2`` its Number
#: of Pages (the one cell §2.2 marks "(?)"). A Blog's export writes its Number as ``Y2``:
#: read as the access date nonetheless, as Zotero and every other exporter write ``Y2``.
RIS_TO_ENDNOTE_FIELD_BY_TYPE = {
    "JOUR": {"IS": "%N"},
    "CHAP": {"M1": "%6", "SV": "%N"},
    "CASE": {"SV": "%N"},
    "PAMP": {"M2": "%&"},
}

#: RIS types that are no EndNote type (Zotero's, the RIS specification's, bibutils') and the
#: EndNote type whose field meanings they take.
RIS_STAND_IN_TYPE = {
    "ABST": "Journal Article",
    "INPR": "Journal Article",
    "JFULL": "Serial",
    "ELEC": "Web Page",
    "ICOMM": "Personal Communication",
    "UNPD": "Unpublished Work",
    "GRNT": "Grant",
    "VIDEO": "Film or Broadcast",
    "SOUND": "Music",
    "SLIDE": "Generic",
}

#: RIS tags that are no EndNote field, with their meaning in every type (RIS specification
#: 2011; Zotero's translator; Citavi's ``H1``/``H2``): the same targets as the Refer tables.
RIS_OWN_TAGS: dict[str, Target] = {
    "ID": "citation-key",  # the record's id in the exporting library
    "DO": "doi-tag",  # the DOI by name: kept as written when it has no DOI shape
    "CT": "title",
    "JF": "container-title",
    "BT": "container-title",
    # JO is the journal's full name in the specification and its abbreviation for PubMed and
    # Web of Science exports: the journal when no other tag names it, else its short form
    "JO": ("?container-title", "?container-title-short"),
    "JA": "container-title-short",
    "J1": "container-title-short",
    "ED": "editor",
    "IS": "issue",
    "EP": "page",  # with SP: the range (the reader joins them)
    "AV": "archive_location",  # availability: where a copy is held
    "H1": "archive",  # Citavi: library
    "H2": "call-number",  # Citavi: call number
}

#: RIS meanings for tags a type's EndNote export leaves empty: what Zotero writes there.
RIS_TYPE_TAGS: dict[str, dict[str, Target]] = {
    "CHAP": {"C2": "container-author"},  # Zotero: the book's author
    "CPAPER": {"C3": "container-title"},  # proceedings title: Zotero's C3, as in CONF
    "PAT": {"C1": "submitted"},  # Zotero: filing date
    "SOUND": {"A2": "performer"},  # Zotero audio recording: A2 performer, not editor
    "SLIDE": {"T2": "event-title", "A2": None},  # Zotero presentation: meeting name, presenter
}

#: RIS tags that repeat by nature besides the Refer ones (one link or one person per line).
RIS_REPEATABLE = frozenset({"L2", "L3", "L4", "ED", "A1", "N2"})

#: Output order of the tags after TY (ER closes every record).
RIS_TAG_ORDER = (
    "ID", "AU", "A1", "A2", "A3", "A4", "ED", "TA", "TI", "T1", "CT", "TT", "ST", "T2", "J2",
    "JF", "JO", "JA", "J1", "BT", "T3", "OP", "RI", "PY", "Y1", "DA", "Y2", "CY", "PB", "ET",
    "VL", "NV", "IS", "M1", "SV", "M2", "SE", "SP", "EP", "M3", "SN", "DO", "UR", "L1", "LA",
    "LB", "AN", "CN", "DB", "DP", "AV", "H1", "H2", "AD", "CA", "RP", "C1", "C2", "C3", "C4",
    "C5", "C6", "C7", "C8", "KW", "AB", "N2", "N1", "RN",
)  # fmt: skip

#: CSL types whose lone ``SP`` is the number of pages of the whole work, not a page (RIS
#: spec: ``SP`` is "Pages" for BOOK, EBOOK, EDBOOK, THES). One table for the reader and the
#: writer, which asks it about the type its TY reads back as: two copies once disagreed, and
#: a collection (TY GEN) wrote its number-of-pages as an SP that read back as a page.
BOOK_TYPES = frozenset({"book", "classic", "thesis", "periodical"})
