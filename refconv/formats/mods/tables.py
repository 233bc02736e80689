"""MODS mapping tables (data only; docs/mods-format.md).

Sources: the Library of Congress "MODS User Guidelines Version 3" (element and attribute
definitions), the MARC Code Lists for Relators (``authority="marcrelator"``) and for Genre
Terms (``authority="marcgt"``), and what bibutils 7.2 writes and reads (modsout/modsin, the
genre list of its bu_auth.c, the type rules of bibtexout/risout). Zotero's MODS translator
is the source of the ``authority="local"`` item types and of the series number's place.
"""

from __future__ import annotations

from typing import NamedTuple

#: The MODS namespace (MODS 3.x).
MODS_NS = "http://www.loc.gov/mods/v3"
#: refconv's namespace inside ``<extension>``: the variables MODS has no element for and the
#: values kept in custom, written so that refconv reads them back and other tools skip them.
EXTENSION_NS = "urn:x-refconv:custom"

#: MARC relator terms (text, lower-cased) and codes → CSL name variable. A name at the host
#: or series level means the host's or series' person (``LEVEL_ROLES``). Source: MARC Code
#: List for Relators; bibutils writes the text form ("author", "editor", "degree grantor").
ROLE_TO_CSL = {
    "author": "author", "aut": "author", "creator": "author", "cre": "author",
    "interviewee": "author", "ive": "author",
    "editor": "editor", "edt": "editor", "editor of compilation": "editor", "edc": "editor",
    "translator": "translator", "trl": "translator",
    "compiler": "compiler", "com": "compiler",
    "composer": "composer", "cmp": "composer",
    "director": "director", "drt": "director", "film director": "director", "fmd": "director",
    "producer": "producer", "pro": "producer", "film producer": "producer", "fmp": "producer",
    "performer": "performer", "prf": "performer",
    "addressee": "recipient", "rcp": "recipient",
    "interviewer": "interviewer", "ivr": "interviewer",
    "illustrator": "illustrator", "ill": "illustrator",
    "contributor": "contributor", "ctb": "contributor",
    "curator": "curator", "cur": "curator",
    "host": "host", "hst": "host",
    "narrator": "narrator", "nrt": "narrator",
    "organizer": "organizer", "orm": "organizer", "organizer of meeting": "organizer",
    "screenwriter": "script-writer", "aus": "script-writer",
    "editorial director": "editorial-director", "edd": "editorial-director",
    "publishing director": "editorial-director", "pbd": "editorial-director",
    "moderator": "chair", "mod": "chair",
}  # fmt: skip

#: The role of a thesis's university (MARC "degree granting institution"): CSL ``publisher``.
DEGREE_GRANTOR_ROLES = frozenset({"degree grantor", "degree granting institution", "dgg"})

#: CSL name variable → (MARC relator term, code) the writer gives it; a CSL role with no
#: MARC relator is written as its CSL name, ``type="text"`` with no authority (and read back
#: by that name). Variables of the host, series, original and reviewed item are in
#: ``LEVEL_ROLES``.
CSL_TO_ROLE = {
    "author": ("author", "aut"),
    "editor": ("editor", "edt"),
    "translator": ("translator", "trl"),
    "compiler": ("compiler", "com"),
    "composer": ("composer", "cmp"),
    "director": ("director", "drt"),
    "producer": ("producer", "pro"),
    "performer": ("performer", "prf"),
    "recipient": ("addressee", "rcp"),
    "interviewer": ("interviewer", "ivr"),
    "illustrator": ("illustrator", "ill"),
    "contributor": ("contributor", "ctb"),
    "curator": ("curator", "cur"),
    "host": ("host", "hst"),
    "narrator": ("narrator", "nrt"),
    "organizer": ("organizer", "orm"),
    "script-writer": ("screenwriter", "aus"),
    "editorial-director": ("editorial director", "edd"),
    "chair": ("moderator", "mod"),
}


class LevelRole(NamedTuple):
    """A CSL name variable that MODS says with a role at another level: ``level`` is the
    relatedItem ("host", "series", "original", "reviewOf") and ``role`` the CSL role the
    name has there ("editor" of the series is CSL ``collection-editor``)."""

    level: str
    role: str


#: CSL name variables of the related items.
LEVEL_ROLES = {
    "container-author": LevelRole("host", "author"),
    "collection-editor": LevelRole("series", "editor"),
    "original-author": LevelRole("original", "author"),
    "reviewed-author": LevelRole("reviewOf", "author"),
}

#: relatedItem types the reader follows (``type`` → level); others (preceding, otherVersion,
#: isReferencedBy, ...) are kept in custom as their paths and texts.
RELATED_LEVELS = frozenset({"host", "series", "original", "reviewOf"})

#: Genre terms that give the CSL type when the record itself carries them. Sources: MARC
#: Genre Term List (marcgt), bibutils' own genres (bu_auth.c, ``authority="bibutilsgt"``),
#: CSL type words refconv writes for types neither list has. Matched case-insensitively.
GENRE_TO_CSL = {
    "journal article": "article-journal",
    "magazine article": "article-magazine",
    "newspaper article": "article-newspaper",
    "book chapter": "chapter",
    "book": "book",
    "collection": "book",
    "festschrift": "book",
    "multivolume monograph": "book",
    "handbook": "book",
    "yearbook": "book",
    "conference publication": "book",
    "thesis": "thesis",
    "ph.d. thesis": "thesis",
    "masters thesis": "thesis",
    "diploma thesis": "thesis",
    "doctoral thesis": "thesis",
    "licentiate thesis": "thesis",
    "habilitation thesis": "thesis",
    "technical report": "report",
    "report": "report",
    "patent": "patent",
    "map": "map",
    "legislation": "legislation",
    "legal case and case notes": "legal_case",
    "treaty": "treaty",
    "standard or specification": "standard",
    "motion picture": "motion_picture",
    "videorecording": "motion_picture",
    "television broadcast": "broadcast",
    "interview": "interview",
    "letter": "personal_communication",
    "communication": "personal_communication",
    "e-mail communication": "personal_communication",
    "speech": "speech",
    "hearing": "hearing",
    "review": "review",
    "web site": "webpage",
    "electronic": "webpage",
    "database": "dataset",
    "numeric data": "dataset",
    "periodical": "periodical",
    "academic journal": "periodical",
    "magazine": "periodical",
    "journal": "periodical",
    "newspaper": "periodical",
    "manuscript": "manuscript",
    "unpublished": "manuscript",
    "pamphlet": "pamphlet",
    "miscellaneous": "document",
    "graphic": "graphic",
    "picture": "graphic",
    "art original": "graphic",
    "art reproduction": "graphic",
    "preprint": "article",
    "blog post": "post-weblog",
    "forum post": "post",
    "software": "software",
    "dataset": "dataset",
}

#: Genre terms of the host (``relatedItem type="host"``) → the CSL type of the part in it.
HOST_GENRE_TO_CSL = {
    "periodical": "article-journal",
    "academic journal": "article-journal",
    "journal": "article-journal",
    "magazine": "article-magazine",
    "newspaper": "article-newspaper",
    "book": "chapter",
    "collection": "chapter",
    "festschrift": "chapter",
    "multivolume monograph": "chapter",
    "handbook": "chapter",
    "conference publication": "paper-conference",
    "encyclopedia": "entry-encyclopedia",
    "dictionary": "entry-dictionary",
    "web site": "webpage",
    "blog": "post-weblog",
}

#: Genre terms that say no more than the record's structure: "article" (MARC) is any part
#: of a host; the type comes from the host when it says more (a newspaper's article).
WEAK_GENRE_TO_CSL = {"article": "article-journal"}

#: Zotero's item types, which its MODS export writes as ``<genre authority="local">``.
ZOTERO_TYPE_TO_CSL = {
    "journalArticle": "article-journal", "magazineArticle": "article-magazine",
    "newspaperArticle": "article-newspaper", "book": "book", "bookSection": "chapter",
    "thesis": "thesis", "report": "report", "conferencePaper": "paper-conference",
    "webpage": "webpage", "blogPost": "post-weblog", "forumPost": "post",
    "letter": "personal_communication", "email": "personal_communication",
    "instantMessage": "personal_communication", "interview": "interview",
    "film": "motion_picture", "videoRecording": "motion_picture", "tvBroadcast": "broadcast",
    "radioBroadcast": "broadcast", "podcast": "broadcast", "audioRecording": "song",
    "artwork": "graphic", "map": "map", "patent": "patent", "statute": "legislation",
    "bill": "bill", "case": "legal_case", "hearing": "hearing", "manuscript": "manuscript",
    "presentation": "speech", "computerProgram": "software",
    "encyclopediaArticle": "entry-encyclopedia", "dictionaryEntry": "entry-dictionary",
    "document": "document", "dataset": "dataset", "standard": "standard",
    "preprint": "article",
}  # fmt: skip

#: ``typeOfResource`` values (MODS enumeration) that give a CSL type when no genre does.
RESOURCE_TO_CSL = {
    "cartographic": "map",
    "notated music": "musical_score",
    "sound recording": "song",
    "sound recording-musical": "song",
    "sound recording - musical": "song",
    "still image": "graphic",
    "moving image": "motion_picture",
    "software, multimedia": "software",
    "mixed material": "collection",
}


class ModsForm(NamedTuple):
    """How the writer says a CSL type in MODS: ``resource`` (typeOfResource), the record's
    own genres and issuance, and the host's genres and issuance (a type with
    ``host_genres`` or ``host_issuance`` is a part: the writer always gives it a host).
    A genre is (authority, term); authority "" writes none."""

    resource: str
    genres: tuple[tuple[str, str], ...] = ()
    issuance: str = ""
    host_genres: tuple[tuple[str, str], ...] = ()
    host_issuance: str = ""


_PERIODICAL = (("marcgt", "periodical"), ("bibutilsgt", "academic journal"))
#: CSL type → its MODS form, as bibutils writes the types it knows (so that xml2bib and
#: xml2ris give @article/JOUR for a journal article, @inproceedings/CONF for a conference
#: paper, ...). Besides these, every record gets ``<genre authority="local">`` with its CSL
#: type, which refconv reads back first. A type not listed is written as "text" only.
CSL_TO_MODS = {
    "article-journal": ModsForm(
        "text", (("bibutilsgt", "journal article"),), "", _PERIODICAL, "continuing"
    ),
    "article-magazine": ModsForm(
        "text", (("bibutilsgt", "magazine article"),), "",
        (("marcgt", "periodical"), ("bibutilsgt", "magazine")), "continuing",
    ),
    "article-newspaper": ModsForm(
        "text", (("bibutilsgt", "newspaper article"),), "", (("marcgt", "newspaper"),),
        "continuing",
    ),
    "chapter": ModsForm("text", (("bibutilsgt", "book chapter"),), "", (("marcgt", "book"),),
                        "monographic"),
    "paper-conference": ModsForm("text", (), "", (("marcgt", "conference publication"),),
                                 "monographic"),
    "entry-encyclopedia": ModsForm("text", (), "", (("marcgt", "encyclopedia"),), "monographic"),
    "entry-dictionary": ModsForm("text", (), "", (("marcgt", "dictionary"),), "monographic"),
    "post-weblog": ModsForm("text", (("", "blog post"),), "", (("", "blog"),), "continuing"),
    "webpage": ModsForm("text", (("marcgt", "web site"),)),
    "book": ModsForm("text", (("marcgt", "book"),), "monographic"),
    "thesis": ModsForm("text", (("marcgt", "thesis"),)),
    "report": ModsForm("text", (("marcgt", "technical report"),)),
    "patent": ModsForm("text", (("marcgt", "patent"),)),
    "map": ModsForm("cartographic", (("marcgt", "map"),)),
    "legislation": ModsForm("text", (("marcgt", "legislation"),)),
    "legal_case": ModsForm("text", (("marcgt", "legal case and case notes"),)),
    "treaty": ModsForm("text", (("marcgt", "treaty"),)),
    "standard": ModsForm("text", (("marcgt", "standard or specification"),)),
    "motion_picture": ModsForm("moving image", (("marcgt", "motion picture"),)),
    "broadcast": ModsForm("moving image", (("bibutilsgt", "television broadcast"),)),
    "interview": ModsForm("text", (("marcgt", "interview"),)),
    "personal_communication": ModsForm("text", (("bibutilsgt", "communication"),)),
    "speech": ModsForm("text", (("marcgt", "speech"),)),
    "hearing": ModsForm("text", (("bibutilsgt", "hearing"),)),
    "review": ModsForm("text", (("marcgt", "review"),)),
    "review-book": ModsForm("text", (("marcgt", "review"),)),
    "dataset": ModsForm("software, multimedia", (("marcgt", "numeric data"),)),
    "software": ModsForm("software, multimedia"),
    "periodical": ModsForm("text", (("marcgt", "periodical"),), "continuing"),
    "manuscript": ModsForm("text", (("bibutilsgt", "manuscript"),)),
    "pamphlet": ModsForm("text", (("bibutilsgt", "pamphlet"),)),
    "article": ModsForm("text", (("", "preprint"),)),
    "graphic": ModsForm("still image", (("marcgt", "graphic"),)),
    "figure": ModsForm("still image"),
    "song": ModsForm("sound recording"),
    "musical_score": ModsForm("notated music"),
    "collection": ModsForm("mixed material"),
}  # fmt: skip

#: Types whose editors are the host's (a chapter's editor edits the book): the writer puts
#: them in the host, as bibutils does; the reader takes an editor at either level.
HOST_EDITOR_TYPES = frozenset(
    {"chapter", "paper-conference", "entry", "entry-dictionary", "entry-encyclopedia"}
)

#: bibutils' thesis genres (its bu_auth.c list): a thesis whose CSL ``genre`` is one of them
#: is written with it, so xml2bib writes @phdthesis or @mastersthesis.
THESIS_GENRES = ("Ph.D. thesis", "Masters thesis", "Diploma thesis", "Doctoral thesis",
                 "Licentiate thesis", "Habilitation thesis")  # fmt: skip

#: ``part/detail`` types → CSL variable (MODS User Guidelines: volume, part, issue, chapter,
#: section, paragraph, track; bibutils also writes number and page).
DETAIL_TO_CSL = {
    "volume": "volume",
    "issue": "issue",
    "number": "number",
    "chapter": "chapter-number",
    "section": "section",
    "part": "part",
    "supplement": "supplement",
    "page": "page",
}

#: CSL variable → the ``detail`` type the writer uses (``DETAIL_TO_CSL`` inverted).
CSL_TO_DETAIL = {var: kind for kind, var in DETAIL_TO_CSL.items() if kind != "page"}

#: Identifier types (``identifier type="..."``, case-insensitive) → CSL variable. Sources:
#: the MODS identifier type list and what bibutils reads (modsin.c: citekey, pubmed, pmc).
IDENTIFIER_TO_CSL = {
    "doi": "DOI",
    "isbn": "ISBN",
    "issn": "ISSN",
    "pmid": "PMID",
    "pubmed": "PMID",
    "pmc": "PMCID",
    "pmcid": "PMCID",
    "uri": "URL",
    "url": "URL",
    "citekey": "citation-key",
}

#: CSL variable → identifier type the writer uses.
CSL_TO_IDENTIFIER = {
    "DOI": "doi",
    "ISBN": "isbn",
    "ISSN": "issn",
    "PMID": "pmid",
    "PMCID": "pmc",
}

#: Language authorities whose codes are BCP 47 already (RFC 3066, 4646, 5646).
BCP47_AUTHORITIES = frozenset({"rfc3066", "rfc4646", "rfc5646"})

#: One-value elements of the record and where they go: element → CSL variable.
SIMPLE_ELEMENTS = {"abstract": "abstract", "classification": "call-number"}

#: ``physicalDescription`` children with a CSL variable.
PHYSICAL_TO_CSL = {"extent": "dimensions", "form": "medium"}

#: ``location`` children with a CSL variable.
LOCATION_TO_CSL = {"physicalLocation": "archive", "shelfLocator": "archive_location"}

#: ``originInfo`` date elements: dateIssued is the date; dateCaptured (and a URL's
#: dateLastAccessed) the access date. Others are kept in custom.
ORIGIN_DATES = {"dateIssued": "issued", "dateCaptured": "accessed"}

#: Elements of the MODS 3.x schema refconv knows but has no CSL variable for: their texts are
#: kept in custom under their paths without a warning (they are data, not damage).
KNOWN_ELEMENTS = frozenset(
    {
        "titleInfo", "name", "typeOfResource", "genre", "originInfo", "language",
        "physicalDescription", "abstract", "tableOfContents", "targetAudience", "note",
        "subject", "classification", "relatedItem", "identifier", "location",
        "accessCondition", "part", "extension", "recordInfo",
    }
)  # fmt: skip

#: Genre words bibutils' xml2bib or xml2ris read as a type that refconv's tables do not (its
#: "abstract or summary" is RIS ABST, "instruction" BibTeX @manual): a record's CSL
#: ``genre`` with such a value is not written as a <genre>.
CONSUMER_GENRES = frozenset({"abstract or summary", "instruction"})
