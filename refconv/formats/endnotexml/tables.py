"""EndNote XML mapping tables (data only).

EndNote XML is EndNote's own export (File > Export, "XML"): one ``<record>`` per reference
under ``<xml><records>``, each field an element named after EndNote's field, its text in
``<style face="normal" font="default" size="100%">`` runs. The elements and their order are
those of EndNote's DTD (``<!ELEMENT record (database?, source-app?, rec-number?, ...)>``,
the EndNote XML DTD RSXML shipped with EndNote 8 to X9); ``alt-periodical`` and ``custom8``
are written by later versions. Each element holds an EndNote field, so it means what that
field's tag means in the tagged export: ``ELEMENT_TO_TAG`` names the tag, and the Refer
tables (``formats.refer.tables``) say what the tag means in each reference type. Elements
that are no EndNote field of the tagged export have their own targets in
``ELEMENT_TARGETS``.

A *path* names an element: a child of ``<record>`` by its name (``pages``), the child of a
group by both (``titles/title``); the items of a list (``<author>`` in ``<authors>``,
``<keyword>``, ``<url>``, ``<date>``) are values of the list's path.
"""

from refconv.formats.refer.tables import Target

#: The EndNote field each element holds, named by its Refer tag (docs/refer-format.md §2.1:
#: EndNote's generic field per tag), so that the tagged and the XML export mean the same:
#: ``titles/secondary-title`` is Secondary Title, ``%B``, which EndNote's tagged export
#: writes as ``%J`` for the types whose Secondary Title is a journal (``syntax.
#: secondary_title_tag``). ``issue`` and ``web-urls`` are read as the fields EndNote writes
#: as ``number`` and ``related-urls`` (bibutils' endx2xml reads them so too).
ELEMENT_TO_TAG = {
    "ref-type": "%0",
    "contributors/authors": "%A",
    "contributors/secondary-authors": "%E",
    "contributors/tertiary-authors": "%Y",
    "contributors/subsidiary-authors": "%?",
    "contributors/translated-authors": "%H",
    "auth-address": "%+",
    "titles/title": "%T",
    "titles/secondary-title": "%B",
    "titles/tertiary-title": "%S",
    "titles/alt-title": "%O",
    "titles/short-title": "%!",
    "titles/translated-title": "%Q",
    "pages": "%P",
    "volume": "%V",
    "number": "%N",
    "issue": "%N",
    "num-vols": "%6",
    "edition": "%7",
    "section": "%&",
    "reprint-edition": "%)",
    "keywords": "%K",
    "dates/year": "%D",
    "dates/pub-dates": "%8",
    "pub-location": "%C",
    "publisher": "%I",
    "orig-pub": "%(",
    "isbn": "%@",
    "accession-num": "%M",
    "call-num": "%L",
    "electronic-resource-num": "%R",
    "abstract": "%X",
    "label": "%F",
    "caption": "%^",
    "notes": "%Z",
    "research-notes": "%<",
    "work-type": "%9",
    "reviewed-item": "%*",
    "remote-database-name": "%~",
    "remote-database-provider": "%W",
    "language": "%G",
    "urls/related-urls": "%U",
    "urls/web-urls": "%U",
    "urls/pdf-urls": "%>",
    "access-date": "%[",
    "modified-date": "%=",
    "custom1": "%1",
    "custom2": "%2",
    "custom3": "%3",
    "custom4": "%4",
    "custom5": "%#",
    "custom6": "%$",
    "custom7": "%]",
}

#: The element the writer uses for each tag (``ELEMENT_TO_TAG`` inverted; its aliases
#: ``issue`` and ``web-urls`` are read, never written). ``%J`` is Secondary Title too.
TAG_TO_ELEMENT = {
    **{
        tag: path
        for path, tag in ELEMENT_TO_TAG.items()
        if path not in ("issue", "urls/web-urls", "ref-type")
    },
    "%J": "titles/secondary-title",
}

#: Elements that hold no EndNote field of the tagged export, and what they fill (targets as
#: in ``refer.tables``: None keeps the value in custom under the path, without a warning,
#: as the Refer reader keeps an Author Address). ``periodical`` is EndNote's journal term
#: list entry for the journal in Secondary Title (its full name and abbreviations) and
#: ``alt-periodical`` the one for Alternate Title: each fills its variable only when the
#: record has no value of its own, and is not read at all when it repeats the record's
#: titles (``syntax.is_echo``).
ELEMENT_TARGETS: dict[str, Target] = {
    "auth-affiliaton": None,  # spelt so in EndNote's DTD; EndNote fills Author Address
    "periodical/full-title": "?container-title",
    "periodical/abbr-1": "?container-title-short",
    "periodical/abbr-2": None,
    "periodical/abbr-3": None,
    "alt-periodical/full-title": "?container-title-short",
    "alt-periodical/abbr-1": None,
    "alt-periodical/abbr-2": None,
    "alt-periodical/abbr-3": None,
    "secondary-volume": None,
    "secondary-issue": None,
    "dates/copyright-dates": None,
    "report-id": None,
    "coden": None,
    "image": None,
    "availability": None,
    "remote-source": None,
    "meeting-place": None,
    "work-location": None,
    "work-extent": None,
    "pack-method": None,
    "size": None,
    "repro-ratio": None,
    "urls/text-urls": None,
    "urls/image-urls": None,
    "custom8": None,  # EndNote 20's Custom 8: no tag is known for it (refer-format.md §2.1)
    "misc1": None,
    "misc2": None,
    "misc3": None,
}

#: Elements read and never kept: the exporting library's bookkeeping, no data of the
#: reference (the tagged export has no tag for any of them).
DROPPED = {
    "database": "the .enl file the record was exported from",
    "source-app": "the program that wrote the file",
    "rec-number": "the record's number in that library; refconv makes its own keys",
    "foreign-keys": "the library's internal ids of the record",
    "reprint-status": "the library's filing state (In File, Not in File, On Request)",
}

#: Groups of fields: the children of ``<record>`` whose own children are the fields.
GROUPS = ("contributors", "titles", "periodical", "alt-periodical", "dates", "urls")

#: Lists: path → the element of each item (``<authors><author>...``).
LIST_ITEMS = {
    "contributors/authors": "author",
    "contributors/secondary-authors": "author",
    "contributors/tertiary-authors": "author",
    "contributors/subsidiary-authors": "author",
    "contributors/translated-authors": "author",
    "keywords": "keyword",
    "dates/pub-dates": "date",
    "dates/copyright-dates": "date",
    "urls/web-urls": "url",
    "urls/pdf-urls": "url",
    "urls/text-urls": "url",
    "urls/related-urls": "url",
    "urls/image-urls": "url",
}

#: The order of ``<record>``'s children in EndNote's DTD (the writer's order); a group's
#: children follow ``GROUP_ORDER``. Elements of neither table come last, as read.
RECORD_ORDER = (
    "database", "source-app", "rec-number", "foreign-keys", "ref-type", "contributors",
    "auth-address", "auth-affiliaton", "titles", "periodical", "alt-periodical", "pages",
    "volume", "number", "issue", "secondary-volume", "secondary-issue", "num-vols",
    "edition", "section", "reprint-edition", "reprint-status", "keywords", "dates",
    "pub-location", "publisher", "orig-pub", "isbn", "accession-num", "call-num",
    "report-id", "coden", "electronic-resource-num", "abstract", "label", "image", "caption",
    "notes", "research-notes", "work-type", "reviewed-item", "availability", "remote-source",
    "meeting-place", "work-location", "work-extent", "pack-method", "size", "repro-ratio",
    "remote-database-name", "remote-database-provider", "language", "urls", "access-date",
    "modified-date", "custom1", "custom2", "custom3", "custom4", "custom5", "custom6",
    "custom7", "custom8", "misc1", "misc2", "misc3",
)  # fmt: skip
GROUP_ORDER = {
    "contributors": ("authors", "secondary-authors", "tertiary-authors", "subsidiary-authors",
                     "translated-authors"),
    "titles": ("title", "secondary-title", "tertiary-title", "alt-title", "short-title",
               "translated-title"),
    "periodical": ("full-title", "abbr-1", "abbr-2", "abbr-3"),
    "alt-periodical": ("full-title", "abbr-1", "abbr-2", "abbr-3"),
    "dates": ("year", "pub-dates", "copyright-dates"),
    "urls": ("web-urls", "pdf-urls", "text-urls", "related-urls", "image-urls"),
}  # fmt: skip

#: Elements whose style runs are read as CSL rich text (italic ``<i>``, bold ``<b>``,
#: superscript ``<sup>``, subscript ``<sub>``): the titles, the abstract and the notes, where
#: a species name or a formula is set so. Elsewhere (names, dates, numbers, identifiers,
#: URLs) the runs are joined as plain text.
RICH_ELEMENTS = frozenset(
    {"titles/title", "titles/secondary-title", "titles/tertiary-title", "titles/alt-title",
     "titles/short-title", "titles/translated-title", "abstract", "notes", "research-notes"}
)  # fmt: skip

#: EndNote's style faces (the ``face`` attribute, several separated by spaces) → the CSL
#: rich text element, outermost first. ``normal`` and ``underline`` (no CSL markup) are none.
FACE_TO_TAG = {"bold": "b", "italic": "i", "superscript": "sup", "subscript": "sub"}

#: The reference types whose Secondary Title is a periodical, for which the writer adds the
#: ``<periodical>`` term list entry EndNote writes (and EndNote reads for its journal lists).
PERIODICAL_TYPES = frozenset(
    {"Journal Article", "Electronic Article", "Magazine Article", "Newspaper Article"}
)

#: EndNote's reference type numbers (the text of ``<ref-type>``, beside its ``name``), as
#: EndNote X-21 write them; the same numbers are in Reflib's and other EndNote XML tools'
#: tables. Types without a known number (the newer ones of ``ENDNOTE_TYPE_TO_CSL``) are
#: written with their name and Generic's number (``GENERIC_NUMBER``).
REF_TYPE_NUMBERS = {
    "Aggregated Database": 55,
    "Ancient Text": 51,
    "Artwork": 2,
    "Audiovisual Material": 3,
    "Bill": 4,
    "Blog": 56,
    "Book": 6,
    "Book Section": 5,
    "Case": 7,
    "Catalog": 8,
    "Chart or Table": 38,
    "Classical Work": 49,
    "Computer Program": 9,
    "Conference Paper": 47,
    "Conference Proceedings": 10,
    "Dataset": 59,
    "Dictionary": 52,
    "Edited Book": 28,
    "Electronic Article": 43,
    "Electronic Book": 44,
    "Electronic Book Section": 60,
    "Encyclopedia": 53,
    "Equation": 39,
    "Figure": 37,
    "Film or Broadcast": 21,
    "Generic": 13,
    "Government Document": 46,
    "Grant": 54,
    "Hearing": 14,
    "Journal Article": 17,
    "Legal Rule or Regulation": 50,
    "Magazine Article": 19,
    "Manuscript": 36,
    "Map": 20,
    "Music": 61,
    "Newspaper Article": 23,
    "Online Database": 45,
    "Online Multimedia": 48,
    "Pamphlet": 24,
    "Patent": 25,
    "Personal Communication": 26,
    "Report": 27,
    "Serial": 57,
    "Standard": 58,
    "Statute": 31,
    "Thesis": 32,
    "Unpublished Work": 34,
    "Web Page": 12,
}
GENERIC_NUMBER = 13
