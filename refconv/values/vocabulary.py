"""Vocabulary every format shares (data only): name and date words (refer-format.md §5),
and the data of citation keys (refconv.keys)."""

#: Folded before ASCII transliteration so that "Günther" gives "guenther", not "gunther".
GERMAN_FOLDS = {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}

#: Title words skipped when choosing the "first significant word".
TITLE_STOPWORDS = frozenset(
    {
        "a", "an", "the", "on", "of", "in", "for", "and", "to", "with", "at", "by", "from",
        "into", "is", "are", "be", "as", "or", "its", "it", "this", "that", "how", "what",
        "why", "when", "der", "die", "das", "ein", "eine", "le", "la", "les", "un", "une",
        "el", "los", "las", "il", "lo",
    }
)  # fmt: skip

#: Placeholders of --key-format templates and what they stand for.
KEY_PLACEHOLDERS = {
    "author": "family name of the first author (editor if none), folded to ASCII",
    "year": "year of publication",
    "word": "first significant title word",
    "title": "first three significant title words",
}

DEFAULT_KEY_FORMAT = "{author}{year}{word}"

#: Words that mark a one-field name as an organisation (kept whole as a CSL literal).
CORPORATE_WORDS = frozenset(
    {
        "academy", "agency", "association", "board", "bureau", "centre", "center", "college",
        "commission", "committee", "company", "consortium", "corporation", "council",
        "department", "foundation", "group", "inc", "inc.", "institute", "institution",
        "laboratory", "league", "ltd", "ltd.", "ministry", "network", "office", "organisation",
        "organization", "program", "programme", "project", "service", "society", "survey",
        "team", "trust", "union", "university", "working",
    }
)  # fmt: skip

#: Name particles pulled out of the family name (§5.1): lower case in the source.
NAME_PARTICLES = frozenset(
    {
        "van", "von", "der", "den", "de", "del", "della", "di", "da", "dos", "das", "do", "du",
        "la", "le", "lo", "ter", "ten", "zu", "zur", "af", "av", "al", "el", "bin", "ibn",
        "y", "e", "st.",
    }
)  # fmt: skip

#: Name suffixes recognised after a comma ("Smith, John, Jr." / "John Smith, Jr."). Matched
#: case-sensitively: "Iv" and "V" are given names or initials, not IV and V.
NAME_SUFFIXES = frozenset(
    {"Jr", "Jr.", "jr", "jr.", "JR", "JR.", "Sr", "Sr.", "sr", "sr.", "SR", "SR.", "II", "III",
     "IV", "2nd", "3rd", "Esq", "Esq."}
)  # fmt: skip

#: Markers on the last classic %A that turn all authors into editors (§5.1).
EDITOR_MARKERS = ("(eds.)", "(eds)", "(ed.)", "(ed)", "eds.", "ed.", "eds", "ed")

#: "more authors" markers (§5.1): not people.
ET_AL_MARKERS = frozenset({"et al", "et al.", "et alia", "etal", "and others", "others"})

#: Date words that mean a publication status, not a date (§5.2) → CSL ``status``.
STATUS_WORDS = frozenset(
    {"in press", "forthcoming", "submitted", "accepted", "epub ahead of print",
     "in preparation", "preprint", "in review", "under review"}
)  # fmt: skip

#: Date words that mean "no date" (§5.2).
NO_DATE_WORDS = frozenset({"n.d.", "n.d", "nd", "unknown", "s.d.", "o.j.", "no date", "undated"})

#: Conference words that turn an inferred article or chapter into a conference paper (§4).
CONFERENCE_WORDS = ("proceedings", "conference", "symposium", "workshop")

#: Human labels of Refer tags kept in ``extra``, for the notes of every format (refconv.notes):
#: ``Translated Author (%H): Yu, Min``.
TAG_LABELS = {
    "%0": "Reference Type",
    "%1": "Custom 1",
    "%2": "Custom 2",
    "%3": "Custom 3",
    "%4": "Custom 4",
    "%#": "Custom 5",
    "%$": "Custom 6",
    "%]": "Custom 7",
    "%H": "Translated Author",
    "%Q": "Translated Title",
    "%)": "Reprint Edition",
    "%+": "Author Address",
    "%^": "Caption",
    "%>": "File Attachments",
    "%<": "Research Notes",
    "%=": "Last Modified Date",
}
