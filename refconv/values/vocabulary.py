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

#: Words that mark a one-field name as an organisation (kept whole as a CSL literal): English
#: and the usual institutional nouns of French, German, Spanish, Portuguese and Italian names
#: ("Instituto Nacional de Estadística", whose "de" alone is also a particle of people's names).
#: None of them is a common family or given name ("Bank", "Press" and "Court" are, so they are
#: not here).
CORPORATE_WORDS = frozenset(
    {
        "academy", "agency", "association", "board", "bureau", "centre", "center", "college",
        "commission", "committee", "company", "consortium", "corporation", "council",
        "department", "foundation", "group", "inc", "inc.", "institute", "institution",
        "laboratory", "league", "ltd", "ltd.", "ministry", "network", "office", "organisation",
        "organization", "program", "programme", "project", "service", "society", "survey",
        "team", "trust", "union", "university", "working",
        "centres", "centers", "institutes", "laboratories", "nations", "world", "government",
        "parliament", "congress", "senate", "assembly", "secretariat", "directorate",
        "authority", "administration", "federation", "confederation", "observatory", "museum",
        "library", "archives", "hospital", "clinic", "publishers", "publishing", "publications",
        "industries", "llc", "gmbh", "plc",
        "instituto", "istituto", "institut", "ministerio", "ministero", "ministère",
        "universidad", "universidade", "università", "université", "universität", "universitat",
        "universiteit", "fundación", "fundação", "fondazione", "fondation", "stiftung",
        "gesellschaft", "verband", "verein", "akademie", "académie", "academia", "accademia",
        "sociedad", "sociedade", "société", "società", "asociación", "associação",
        "associazione", "comité", "comisión", "comissão", "commissione", "kommission",
        "consejo", "conselho", "consiglio", "conseil", "agencia", "agência", "agenzia", "agence",
        "servicio", "serviço", "servizio", "organización", "organização", "organizzazione",
        "federación", "fédération", "federazione", "observatorio", "observatoire", "hôpital",
        "ospedale", "krankenhaus", "klinikum", "museo", "musée", "biblioteca", "bibliothèque",
        "bibliothek", "archivo", "gobierno", "governo", "parlamento", "parlement", "banco",
        "banque", "centro",
    }
)  # fmt: skip

#: Endings of German compounds that name an institution ("Bundesministerium", "Umweltbundesamt",
#: "Robert-Koch-Institut" is one word with the ending): no German family name ends so.
CORPORATE_ENDINGS = (
    "ministerium", "institut", "gesellschaft", "verband", "stiftung", "zentrum", "anstalt",
    "behörde", "bundesamt", "landesamt",
)  # fmt: skip

#: Lower-case words that join the parts of an organisation's name and are never part of a
#: person's name, unlike the particles below ("de", "van", "y"): "Panel on Climate Change",
#: "Bundesministerium für Gesundheit", "Procter and Gamble". Checked against the particles of
#: Spanish, Portuguese, Italian, French, Dutch, German and Arabic names; "in" ("Sophie in 't
#: Veld") and "et" ("et al.") are left out.
ORGANISATION_JOINERS = frozenset(
    {
        "of", "on", "for", "and", "the", "to", "at", "&", "für", "fuer", "und", "über",
        "pour", "sur", "per", "para", "por", "för", "och", "og", "voor",
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
ET_AL_MARKERS = frozenset(
    {"et al", "et al.", "et. al", "et. al.", "et alia", "etal", "and others", "others"}
)

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

#: ISO 639-2 language codes (the MARC/bibliographic ones NLM writes in MEDLINE ``LA`` and
#: MODS uses, and their terminology twins) → the BCP 47 tag CSL's ``language`` wants (RFC 5646
#: §2.2.1: the shortest ISO 639 code). A code not listed is valid BCP 47 as it is, or kept so.
ISO_639_2_TO_BCP47 = {
    "afr": "af", "alb": "sq", "sqi": "sq", "ara": "ar", "arm": "hy", "hye": "hy", "aze": "az",
    "baq": "eu", "eus": "eu", "bel": "be", "ben": "bn", "bos": "bs", "bul": "bg", "cat": "ca",
    "chi": "zh", "zho": "zh", "hrv": "hr", "scr": "hr", "cze": "cs", "ces": "cs", "dan": "da",
    "dut": "nl", "nld": "nl", "eng": "en", "epo": "eo", "est": "et", "fin": "fi", "fre": "fr",
    "fra": "fr", "geo": "ka", "kat": "ka", "ger": "de", "deu": "de", "gre": "el", "ell": "el",
    "heb": "he", "hin": "hi", "hun": "hu", "ice": "is", "isl": "is", "ind": "id", "gle": "ga",
    "ita": "it", "jpn": "ja", "kor": "ko", "lat": "la", "lav": "lv", "lit": "lt", "mac": "mk",
    "mkd": "mk", "may": "ms", "msa": "ms", "mlt": "mt", "nor": "no", "per": "fa", "fas": "fa",
    "pol": "pl", "por": "pt", "pus": "ps", "rum": "ro", "ron": "ro", "rus": "ru", "srp": "sr",
    "scc": "sr", "slo": "sk", "slk": "sk", "slv": "sl", "spa": "es", "swe": "sv", "tha": "th",
    "tur": "tr", "ukr": "uk", "urd": "ur", "vie": "vi", "wel": "cy", "cym": "cy",
}  # fmt: skip
