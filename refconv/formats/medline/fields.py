"""Mapping the tag lines of one MEDLINE record to a ``Record`` (docs/medline-format.md §2-§5).

The tables are in ``tables``; this module holds the rules that need code: an author's full
and short forms, the lines that belong to the author before them, the type from the
publication types and a book title, the one ISSN, the identifiers and the dates. Every
value lands in a CSL variable or in custom (the shared loss policy of ``ReadRules``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from refconv.formats.base import ReadRules, date_trouble, shown
from refconv.formats.medline.tables import (
    CSL_TYPE_SAYS,
    DATE_TAGS,
    HISTORY_TO_DATE,
    IDENTIFIER_TYPES,
    ISSN_MEDIA,
    JOINED_TAGS,
    KEPT_TAGS,
    KEYWORD_TAGS,
    NAME_TAGS,
    PERSON_DETAIL_TAGS,
    PUBLICATION_TYPE_TO_CSL,
    REPEATABLE_TAGS,
    TEXT_TAGS,
    TITLE_TAGS,
)
from refconv.model import Date, Name, Record, SourcePos
from refconv.values.dates import NO_YEAR, parse_date
from refconv.values.identifiers import find_doi
from refconv.values.names import has_text, is_suffix, parse_name
from refconv.values.pages import normalize_pages
from refconv.values.vocabulary import ISO_639_2_TO_BCP47

#: ``value [type]`` of LID and AID lines.
_IDENTIFIER = re.compile(r"(.*?)\s*\[([A-Za-z][A-Za-z-]*)\]")
#: ``2090-5661 (Print)`` of IS lines.
_ISSN = re.compile(r"(\S+)\s*\(([A-Za-z]+)\)")
#: ``2012/08/07 00:00 [received]`` of PHST lines.
_HISTORY = re.compile(r"(\d{4}/\d{2}/\d{2}) (\d{2}:\d{2}) \[([A-Za-z-]+)\]")
#: A title that ends in an abbreviation keeps its final period ("U.S.", "et al.", "Inc.",
#: an initial); one that ends in a word ("in Mice.") loses NLM's.
_ABBREVIATION_END = re.compile(
    r"(?:\b[A-Za-z]\.){2,}$|\b(?:et al|etc|vs|[A-Z]|Vol|No|Inc|Ltd|Co|Corp|Jr|Sr|St|Dr)\.$"
)


@dataclass(frozen=True, slots=True)
class Line:
    """One tag occurrence of a record: the tag, its text (continuation lines joined with one
    space, as NLM wraps long values) and the line it starts on."""

    tag: str
    text: str
    line: int


def strip_title_period(title: str) -> str:
    """A TI/BTI value without the period NLM closes every title with: "Breast cancer." →
    "Breast cancer"; "[Title in English]." → "[Title in English]"; a title ending in an
    abbreviation ("in the U.S.") or in "..." keeps it (medline-format.md §2.1)."""
    if title.endswith(".") and not title.endswith("..") and not _ABBREVIATION_END.search(title):
        return title[:-1].rstrip()
    return title


def _comma_suffix(name: str) -> str:
    """NLM writes a suffix after the given name with no comma ("Smith, John W Jr", "Smith
    JW 3rd"); the shared name parser finds one after a comma: "Smith, John W, Jr"."""
    family, comma, given = name.rpartition(",")
    words = given.split()
    if comma and len(words) > 1 and is_suffix(words[-1]):
        return f"{family}, {' '.join(words[:-1])}, {words[-1]}"
    return name


def book_type(csl_type: str, has_title: bool, has_book_title: bool) -> str:
    """The CSL type once a book title (BTI) is known: a record with BTI is a chapter when it
    has its own title (TI) and the book itself when it has none (NCBI Bookshelf's records,
    medline-format.md §5); without BTI, ``csl_type`` as the publication types gave it."""
    if not has_book_title:
        return csl_type
    return "chapter" if has_title else "book"


def publication_type(types: list[str]) -> str | None:
    """The CSL type of a record's PT values (``PUBLICATION_TYPE_TO_CSL``): that of the first
    one that is not ``article-journal``, else ``article-journal``; None when no PT is known."""
    known = [PUBLICATION_TYPE_TO_CSL[pt] for pt in types if pt in PUBLICATION_TYPE_TO_CSL]
    if not known:
        return None
    return next((csl for csl in known if csl != "article-journal"), "article-journal")


def language_tag(code: str) -> str:
    """CSL's BCP 47 tag for a MEDLINE ``LA`` code ("eng" → "en", "fre" → "fr"); a code
    with no shorter form stays as written ("haw", "und")."""
    return ISO_639_2_TO_BCP47.get(code.lower(), code)


@dataclass
class _Builder:
    """The state of one record while its lines are mapped."""

    record: Record
    rules: ReadRules
    seen: set[str] = field(default_factory=set)
    person: str = ""  # the last name as written: AD and AUID lines belong to it
    unpaired: str = ""  # the role of a full name (FAU/FED) whose short form may follow
    types: list[Line] = field(default_factory=list)
    book_titles: list[Line] = field(default_factory=list)
    issns: list[Line] = field(default_factory=list)
    history: list[Line] = field(default_factory=list)
    identifiers: set[str] = field(default_factory=set)

    def add(self, raw: Line) -> None:
        """Map one tag line."""
        tag, text, rules, record = raw.tag, raw.text, self.rules, self.record
        if tag in NAME_TAGS:
            self.add_name(raw)
        elif tag in PERSON_DETAIL_TAGS:
            record.add_extra(tag, f"{self.person}: {text}" if self.person else text)
        elif tag in self.seen and tag not in REPEATABLE_TAGS:
            rules.repeated(record, tag, text, raw.line)
        elif tag in TEXT_TAGS:
            var, value = TEXT_TAGS[tag], self.text_value(tag, text)
            if record.fields.get(var, value) != value:  # kept as written ("fre", not "fr")
                rules.set_already(record, tag, text, var, raw.line)
            else:
                record.fields[var] = value
        elif tag in KEYWORD_TAGS:
            record.keywords.append(text)
        elif tag in JOINED_TAGS:
            var = JOINED_TAGS[tag]
            fields = record.fields
            fields[var] = f"{fields[var]}\n{text}" if var in fields else text
        elif tag in DATE_TAGS:
            self.add_date(DATE_TAGS[tag], raw)
        elif tag in ("LID", "AID"):
            self.add_identifier(raw)
        elif tag == "PT":
            self.types.append(raw)
        elif tag == "BTI":
            self.book_titles.append(raw)
        elif tag == "IS":
            self.issns.append(raw)
        elif tag == "PHST":
            self.history.append(raw)
        elif tag in KEPT_TAGS:
            record.add_extra(tag, text)
        else:
            rules.unknown_field(record, tag, text, "MEDLINE tag", raw.line)
        self.seen.add(tag)

    @staticmethod
    def text_value(tag: str, text: str) -> str:
        if tag == "PG":
            return normalize_pages(text)
        if tag == "LA":
            return language_tag(text)
        return strip_title_period(text) if tag in TITLE_TAGS else text

    def add_name(self, raw: Line) -> None:
        """FAU/FED is the name; the AU/ED just after it is its short form ("Nahta R"), read
        only where no full form came before it; CN is an organisation, kept whole."""
        role, form = NAME_TAGS[raw.tag]
        paired, self.unpaired = self.unpaired == role and form == "short", ""
        if paired:
            return
        self.person = raw.text
        if form == "corporate":
            person: Name | None = Name(literal=" ".join(raw.text.split()))
        else:
            person, problem = parse_name(_comma_suffix(raw.text))
            if problem:
                self.rules.warn(problem, raw.line, code="invalid-name")
            if form == "full":
                self.unpaired = role
        if person is None:  # "et al.": no person; the marker is kept
            self.record.add_extra(raw.tag, raw.text)
        elif not has_text(person):  # "FAU - ,": nothing to keep
            message = f"{raw.tag} {shown(raw.text)}: a name with no text; left out"
            self.rules.warn(message, raw.line, code="invalid-name")
        else:
            self.record.names.setdefault(role, []).append(person)

    def add_date(self, var: str, raw: Line) -> None:
        if var in self.record.dates:
            self.rules.repeated(self.record, raw.tag, raw.text, raw.line)
            return
        date = self.read_date(raw.tag, raw.text, raw.line)
        if date is not None:
            self.record.dates[var] = date

    def read_date(self, tag: str, text: str, line: int) -> Date | None:
        """A date with the shared loss policy: text the parse leaves over is kept (the date
        is still used); text that is no date is the literal date, with a warning."""
        parsed = parse_date(text)
        if parsed.kind == "date" and parsed.date is not None:
            if parsed.leftover:
                self.rules.keep(
                    self.record, tag, text, date_trouble(parsed), line, code="invalid-date"
                )
            return parsed.date
        if parsed.kind == "status" and tag == "DP":
            self.rules.place(self.record, "status", parsed.status, tag, line)
            return None
        why = NO_YEAR if parsed.kind == "partial" else date_trouble(parsed)
        return self.rules.literal_date(tag, text, why, line)

    def add_identifier(self, raw: Line) -> None:
        """``10.5402/2012/428062 [doi]`` is the DOI; ``PMC123 [pmc]`` the PMCID; any other
        type (pii, bookaccession, ...) is kept under its tag, once (AID repeats LID)."""
        m = _IDENTIFIER.fullmatch(raw.text)
        var = IDENTIFIER_TYPES.get(m[2].lower()) if m else None
        if m is None or var is None:
            if raw.text not in self.identifiers:
                self.record.add_extra(raw.tag, raw.text)
            self.identifiers.add(raw.text)
            return
        value = m[1]
        if var == "DOI":
            value = find_doi(value)
            if not value:
                self.rules.keep(
                    self.record, raw.tag, raw.text, "not a DOI", raw.line, code="invalid-doi"
                )
                return
        if self.record.fields.setdefault(var, value) != value:
            self.rules.set_already(self.record, raw.tag, raw.text, var, raw.line)

    def finish(self) -> None:
        self.finish_type()
        self.finish_issn()
        self.finish_history()
        self.rules.no_title(self.record)

    def finish_type(self) -> None:
        """The type from the PT lines and BTI; the PTs the type does not say are kept."""
        record, rules = self.record, self.rules
        names = [raw.text for raw in self.types]
        found = publication_type(names)
        if not self.types:
            rules.no_type("publication type (PT)", "Journal Article", record.source.line)
        elif found is None:
            first = self.types[0]
            rules.unknown_type(record, "PT", first.text, "publication type", "Journal Article",
                               first.line)  # fmt: skip
            names = names[1:]
        has_title = "title" in record.fields
        record.type = book_type(found or "article-journal", has_title, bool(self.book_titles))
        for name in names:
            if name != CSL_TYPE_SAYS.get(record.type):
                record.add_extra("PT", name)
        for raw in self.book_titles:
            title = strip_title_period(raw.text)
            var = "container-title" if record.type == "chapter" else "title"
            rules.place(record, var, title, raw.tag, raw.line)

    def finish_issn(self) -> None:
        """One ISSN, by medium (``ISSN_MEDIA``: print first); every other IS line is kept."""

        def rank(raw: Line) -> int:
            m = _ISSN.fullmatch(raw.text)
            medium = m[2].capitalize() if m else ""
            return ISSN_MEDIA.index(medium) if medium in ISSN_MEDIA else len(ISSN_MEDIA)

        chosen = min(self.issns, key=rank, default=None)
        for raw in self.issns:
            m = _ISSN.fullmatch(raw.text)
            if raw is chosen:
                self.rules.place(self.record, "ISSN", m[1] if m else raw.text, "IS", raw.line)
            else:
                self.record.add_extra("IS", raw.text)

    def finish_history(self) -> None:
        """``PHST`` lines of a status with a CSL date (``HISTORY_TO_DATE``) give that date
        unless another tag gave it (DEP: the same date); the others are kept as written."""
        for raw in self.history:
            m = _HISTORY.fullmatch(raw.text)
            var = HISTORY_TO_DATE.get(m[3].lower()) if m else None
            if m is None or var is None or m[2] != "00:00":
                self.record.add_extra("PHST", raw.text)
                continue
            date = parse_date(m[1]).date
            known = self.record.dates.get(var)
            if date is None or not date.parts or (known is not None and known != date):
                self.record.add_extra("PHST", raw.text)
            elif known is None:
                self.record.dates[var] = date


def build_record(lines: list[Line], rules: ReadRules) -> Record:
    """The record of one MEDLINE block: ``lines`` in file order, the first one (PMID) where
    the record starts."""
    record = Record(type="article-journal", source=SourcePos(rules.path, lines[0].line))
    builder = _Builder(record, rules)
    for raw in lines:
        if raw.text:
            builder.add(raw)
    builder.finish()
    return record
