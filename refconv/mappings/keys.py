"""Data for citation keys (refconv.keys)."""

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
