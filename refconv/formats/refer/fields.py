"""Mapping the raw fields of one Refer record to a ``Record`` (refer-format.md §2-§5, §7).

The tables are in ``tables``; this module holds the rules that need code: the
dialect and type decision, name/date/page/identifier handling, fallbacks and what to keep in
``extra`` so that nothing is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from refconv.formats.base import ReadRules, date_trouble, shown
from refconv.formats.refer.syntax import endnote_tags, lookup_type
from refconv.formats.refer.tables import (
    CLASSIC_ONLY_LETTERS,
    CLASSIC_TAGS,
    CSL_TO_ENDNOTE_TYPE,
    NEWLINE_JOINED_TARGETS,
    REPEATABLE_TAGS,
    Target,
)
from refconv.model import DATE_VARIABLES, NAME_VARIABLES, Date, Name, Record, SourcePos
from refconv.notes import Reduce, restore_notes
from refconv.values.dates import NO_YEAR, complete_date, parse_date
from refconv.values.identifiers import (
    classify_serials,
    doi_from_url,
    find_doi,
    is_valid_isbn,
    is_valid_issn,
)
from refconv.values.names import has_text, is_et_al, parse_name, split_people
from refconv.values.pages import normalize_extent, normalize_pages
from refconv.values.text import split_keywords
from refconv.values.vocabulary import CONFERENCE_WORDS, EDITOR_MARKERS

if TYPE_CHECKING:
    from refconv.codes import Code

_NAME_VARS = frozenset(NAME_VARIABLES)
_DATE_VARS = frozenset(DATE_VARIABLES)
_UNKNOWN = "<unknown>"
#: Targets whose own rules read a DOI (a DOI there is no misplaced value).
_DOI_HOMES = frozenset({"DOI", "doi-tag", "URL", "accession", "title"})  # a title stays one
_BLANKS = re.compile(r"[ \t]{2,}|\t")
_LANGUAGE = re.compile(r"[^\W\d_]{2,}(?:[ ()-]+[^\W\d_]+){0,2}\)?")
_EDITOR_MARK = re.compile(
    r",\s*(?:" + "|".join(re.escape(m) for m in EDITOR_MARKERS) + r")\s*$", re.IGNORECASE
)
_PUBMED_DB = re.compile(r"pubmed|medline|\bnlm\b", re.IGNORECASE)
_BROADCAST = re.compile(r"\b(?:tv|television|radio|broadcast)", re.IGNORECASE)


class RawField:
    """One tag occurrence: the tag (``%A``), its physical lines, and the line it started on.

    ``key`` is the key a kept value goes under: the tag, or for a classic letter whose EndNote
    meaning differs ("%H": a comment, not a Translated Author) "classic %H" (§2.3), so no
    writer gives it the EndNote meaning. ``field`` is the EndNote field a value with no
    variable is kept under, when the tag is another format's name for it (RIS ``C5`` is
    ``%#``): every writer then writes it under its own tag for that field. Values the loss
    policy keeps (repeated, not a date) use ``key``. A plain class, not a dataclass: one is
    made per field read (issue 18).
    """

    __slots__ = ("field", "key", "line", "lines", "tag")

    def __init__(self, tag: str, lines: list[str], line: int, key: str = "", field: str = ""):
        self.tag = tag
        self.lines = lines
        self.line = line
        self.key = key = key or tag
        self.field = field or key

    def __repr__(self) -> str:
        return f"RawField({self.tag!r}, {self.lines!r}, {self.line!r}, {self.key!r})"


def _is_endnote(fields: list[RawField]) -> bool:
    return any(f.tag == "%0" or not f.tag[1].isalpha() for f in fields)


@dataclass
class _Builder:
    """The state of one record while its fields are mapped."""

    record: Record
    classic: bool
    rules: ReadRules
    tags: dict[str, Target]
    notes: list[tuple[RawField, str]] = field(default_factory=list)
    conflict: str = ""  # the variable set_text found set already with another value
    #: fallbacks (the first variable still free takes the value), the field, its text, and
    #: whether another target of the tag placed it
    pending: list[tuple[tuple[str, ...], RawField, str, bool]] = field(default_factory=list)
    raw_dates: dict[str, list[tuple[RawField, str]]] = field(default_factory=dict)
    corporate: list[tuple[RawField, str]] = field(default_factory=list)
    access: list[tuple[RawField, str]] = field(default_factory=list)
    keyword_lines: list[str] = field(default_factory=list)  # of every %K, in order
    #: what a format's date tags hold of a date (RIS: PY holds a year), for note lines
    reductions: Reduce | None = None

    def keep(self, raw: RawField, text: str) -> None:
        self.record.add_extra(raw.field, text)

    def set_text(self, var: str, raw: RawField, text: str) -> bool:
        fields = self.record.fields
        if var not in fields:
            fields[var] = text
            return True
        if var in NEWLINE_JOINED_TARGETS:
            fields[var] += "\n" + text
            return True
        if fields[var] == text:  # a repeat of the same value is not a loss
            return True
        self.conflict = var
        return False

    def apply(self, target: Target, raw: RawField, text: str) -> None:
        """Put one value where ``target`` says; keep it in extra if it found no place.

        A value that is wholly a DOI (``10.x/y``, ``doi: 10.x/y``, a doi.org URL) is the DOI
        whatever its tag (EndNote and RIS exporters put DOIs in ``%M``/``AN``, ``M3``, ``N1``,
        custom fields...): read so, it is neither a type of work nor a note.
        """
        self.conflict = ""
        if "10." in text and target not in _DOI_HOMES and (doi := find_doi(text)):
            if self.record.fields.setdefault("DOI", doi) != doi:
                self.rules.set_already(self.record, raw.key, text, "DOI", raw.line)
            return
        if isinstance(target, str) and target[:1] != "?":  # the common case: one variable
            if self.place(target, raw, text):
                return
        else:
            targets = [one for one in (target if isinstance(target, tuple) else (target,)) if one]
            placed = False
            for one in targets:
                if not one.startswith("?"):
                    placed = self.place(one, raw, text) or placed
            fallbacks = tuple(one[1:] for one in targets if one.startswith("?"))
            if fallbacks:  # decided once every tag is read (finish_pending)
                self.pending.append((fallbacks, raw, text, placed))
                return
            if placed:
                return
        if self.conflict:  # a variable an earlier tag set: the loss policy keeps this one
            self.rules.set_already(self.record, raw.key, text, self.conflict, raw.line)
        else:  # a tag with no variable of its own (target None), kept by design
            self.keep(raw, text)

    def place(self, var: str, raw: RawField, text: str) -> bool:
        """Place ``text`` in ``var`` with that variable's rules; False if it found no place.

        The rules are a table (``_PLACE``) from variable to handler, plain text the default:
        one lookup per value instead of a chain of comparisons (issue 18)."""
        handler = _PLACE.get(var)
        if handler is None:
            return self.set_text(var, raw, text)
        return handler(self, var, raw, text)

    def _date(self, var: str, raw: RawField, text: str) -> bool:
        self.raw_dates.setdefault(var, []).append((raw, text))
        return True

    def _keyword(self, var: str, raw: RawField, text: str) -> bool:
        # split once all are read: only a lone %K line is cut at ";"
        self.keyword_lines.extend(raw.lines)
        return True

    def _page(self, var: str, raw: RawField, text: str) -> bool:
        return self.set_text("page", raw, normalize_pages(text))

    def _extent(self, var: str, raw: RawField, text: str) -> bool:
        return self.set_text(var, raw, normalize_extent(text))

    def _doi(self, var: str, raw: RawField, text: str) -> bool:
        doi = find_doi(text)
        if doi:
            return self.set_text("DOI", raw, doi)
        # classic %R: a report number; EndNote: an electronic resource number (extra).
        if self.classic:
            return self.set_text("number", raw, text)
        self.rules.keep(self.record, raw.key, text, "not a DOI", raw.line, code="invalid-doi")
        return True

    def _doi_tag(self, var: str, raw: RawField, text: str) -> bool:
        # RIS DO: a DOI tag by name, its value the DOI as written
        return self.set_text("DOI", raw, find_doi(text) or text)

    def _url(self, var: str, raw: RawField, text: str) -> bool:
        doi = doi_from_url(text)
        if doi and "DOI" not in self.record.fields:
            self.record.fields["DOI"] = doi
        return self.set_text("URL", raw, text)

    def _accession(self, var: str, raw: RawField, text: str) -> bool:
        fields = self.record.fields
        doi = find_doi(text)
        if doi and fields.get("DOI", doi) == doi:
            fields["DOI"] = doi
            return True
        return self.set_text("archive_location", raw, text)

    def _serials(self, var: str, raw: RawField, text: str) -> bool:
        return self.place_serials(raw, text)

    def _report_number(self, var: str, raw: RawField, text: str) -> bool:
        # Report %@: a report number, unless a valid ISBN/ISSN
        if is_valid_isbn(text) or is_valid_issn(text):
            return self.place_serials(raw, text)
        return self.set_text("number", raw, text)

    def _note(self, var: str, raw: RawField, text: str) -> bool:
        if self.classic:
            return self.set_text(var, raw, text)
        self.notes.append((raw, text))  # may hold "key: value" lines: restored last
        return True

    def _gov_number(self, var: str, raw: RawField, text: str) -> bool:
        # classic %G: an ordering number, unless it names a language
        return self.set_text("language" if _LANGUAGE.fullmatch(text) else "number", raw, text)

    def _access(self, var: str, raw: RawField, text: str) -> bool:
        # Web Page %V/%N: the date accessed, in two
        self.access.append((raw, text))
        return True

    def _corporate(self, var: str, raw: RawField, text: str) -> bool:
        self.corporate.append((raw, text))
        return True

    def place_names(self, var: str, raw: RawField, text: str) -> bool:
        # EndNote and RIS write one person per line; a line that can only be several people
        # (";", a list of natural-order names, PubMed pairs...) is split (values.names)
        values = [text] if self.classic else split_people(text)
        if len(values) > 1:
            people_count = sum(1 for value in values if not is_et_al(value))
            if people_count > 1:
                self.rules.warn(
                    f"{raw.tag} holds {people_count} names; split them",
                    raw.line,
                    code="invalid-name",
                )
        people = self.record.names.setdefault(var, [])
        for value in values:
            person, problem = parse_name(value, natural_order=self.classic)
            if problem:
                self.rules.warn(problem, raw.line, code="invalid-name")
            if person is None:  # "et al.": not a person; keep the marker
                self.keep(raw, value)
            elif not has_text(person):  # "%A ,": nothing to keep
                message = f"{raw.tag} {shown(value)}: a name with no text; left out"
                self.rules.warn(message, raw.line, code="invalid-name")
            else:
                people.append(person)
        if not people:
            del self.record.names[var]
        return True

    def place_serials(self, raw: RawField, text: str) -> bool:
        isbns, issns, other = classify_serials(text)
        for var, found in (("ISBN", isbns), ("ISSN", issns)):
            for number in found:
                if not self.set_text(var, raw, number):
                    self.rules.set_already(self.record, raw.key, number, var, raw.line)
        if other:  # the rest as one value, in its order ("3 (suppl)"); all of it when no
            # number was found ("ISBN pending" is no number, and not "pending")
            why = "not an ISBN or ISSN"
            rest = " ".join(other) if isbns or issns else text
            self.rules.keep(self.record, raw.key, rest, why, raw.line, code="invalid-isbn")
        return True

    def finish_pending(self) -> None:
        for fallbacks, raw, text, placed_elsewhere in self.pending:
            free = [v for v in fallbacks if v not in self.record.fields and v not in self.raw_dates]
            if free:
                self.place(free[0], raw, text)
            elif not placed_elsewhere:  # the fallback of a variable another tag set
                self.rules.set_already(self.record, raw.key, text, fallbacks[-1], raw.line)

    def finish_dates(self) -> None:
        if self.access:  # "%N June 2" + "%V 2023" → accessed 2023-06-02
            joined = " ".join(text for _, text in sorted(self.access, key=lambda a: a[0].tag))
            parsed = parse_date(joined)
            if parsed.kind == "date" and "accessed" not in self.raw_dates and not parsed.leftover:
                self.raw_dates["accessed"] = [(self.access[0][0], joined)]
            elif len(self.access) == 1 and "accessed" not in self.raw_dates:
                self.raw_dates["accessed"] = self.access  # the date rules keep what is no date
            else:
                tags = " and ".join(sorted(raw.tag for raw, _ in self.access))
                why = f"{tags} make no date refconv can read"
                code: Code = "invalid-date"
                if "accessed" in self.raw_dates:
                    why, code = "accessed is set already", "set-already"
                for raw, text in self.access:
                    self.rules.keep(self.record, raw.key, text, why, raw.line, code=code)
        for var, values in self.raw_dates.items():
            self.record.dates.update(self.resolve_date(var, values))

    def finish_notes(self) -> None:
        """Restore the ``key: value`` lines of the notes that round-trip exactly
        (``refconv.notes``), once every other tag is placed; the others stay notes."""
        texts = [text for _, text in self.notes]
        for text in restore_notes(self.record, texts, self.reductions):
            raw = next(raw for raw, t in self.notes if t == text)
            self.set_text("note", raw, text)

    def resolve_date(self, var: str, values: list[tuple[RawField, str]]) -> dict[str, Date]:
        """Combine the values of one date variable: the first full date is the base (§5.2).

        The loss policy for dates, as in every reader: text the parse cannot use wholly is
        kept in custom (its date is still used); text that is no date ("n.d.") is the
        literal date when no value gives one, else kept in custom; a warning either way.
        """
        rules, record = self.rules, self.record
        parsed = [(raw, text, parse_date(text)) for raw, text in values]
        base = next((p.date for _, _, p in parsed if p.kind == "date"), None)
        for raw, text, p in parsed:
            if p.kind == "partial" and (base is None or base.literal):
                # a month or season with no year to go with: the literal date when nothing
                # gives one ("Spring"), else kept; its whole text either way
                if base is None:
                    base = rules.literal_date(raw.key, text, NO_YEAR, raw.line)
                else:
                    rules.keep(record, raw.key, text, NO_YEAR, raw.line, code="invalid-date")
                continue
            if p.leftover and p.kind in ("date", "partial"):
                rules.keep(record, raw.key, text, date_trouble(p), raw.line, code="invalid-date")
            if p.kind == "status" and var == "issued":
                rules.place(record, "status", p.status, raw.key, raw.line)
            elif p.kind == "status" and any(r is raw for r, _ in self.raw_dates.get("issued", ())):
                continue  # Proceedings %D: the status of the issued date it also fills
            elif p.kind in ("literal", "none", "status"):  # "in press" as an access date too
                if base is None:
                    base = rules.literal_date(raw.key, text, date_trouble(p), raw.line)
                else:
                    rules.keep(
                        record, raw.key, text, date_trouble(p), raw.line, code="invalid-date"
                    )
            elif p.kind in ("date", "partial") and p.date is not base:
                refined = complete_date(base, p) if base and not base.literal else None
                if refined is None:
                    if not p.leftover:
                        why = "does not agree with the other dates"
                        rules.keep(record, raw.key, text, why, raw.line, code="invalid-date")
                else:
                    base = refined
        return {var: base} if base else {}


#: Variable (or reader rule) → the handler that places a value in it; the others are text.
_PLACE: dict[str, Callable[[_Builder, str, RawField, str], bool]] = {
    **dict.fromkeys(_NAME_VARS, _Builder.place_names),
    **dict.fromkeys(_DATE_VARS, _Builder._date),
    "keyword": _Builder._keyword,
    "page": _Builder._page,
    "number-of-pages": _Builder._extent,
    "DOI": _Builder._doi,
    "doi-tag": _Builder._doi_tag,
    "URL": _Builder._url,
    "accession": _Builder._accession,
    "ISBN|ISSN": _Builder._serials,
    "report-number": _Builder._report_number,
    "note": _Builder._note,
    "gov-number": _Builder._gov_number,
    "access-year": _Builder._access,
    "access-date": _Builder._access,
    "corporate-author": _Builder._corporate,
}


def _fix_classic_editors(fields: list[RawField]) -> bool:
    """Strip a classic ", (eds)" marker from the last %A; True if all %A are editors (§5.1)."""
    authors = [f for f in fields if f.tag == "%A"]
    if not authors:
        return False
    last = authors[-1]
    text = " ".join(last.lines)
    stripped = _EDITOR_MARK.sub("", text)
    if stripped == text:
        return False
    last.lines[:] = [stripped]
    return True


def infer_type(tags: set[str], record: Record) -> str:
    """Type of a record without %0, in groff refer's order with refconv's refinements (§4)."""
    container = record.fields.get("container-title", "").lower()
    conference = any(word in container for word in CONFERENCE_WORDS)
    if "%J" in tags:
        return "paper-conference" if conference else "article-journal"
    if "%B" in tags:
        return "paper-conference" if conference else "chapter"
    if "%R" in tags or "%G" in tags:
        return "report"
    if "%I" in tags or ("editor" in record.names and "author" not in record.names):
        return "book"
    if "%M" in tags:
        record.fields.setdefault("genre", "Technical Memorandum")
        return "report"
    if "%U" in tags:
        return "webpage"
    return "document"


def build_record(fields: list[RawField], dialect: str, rules: ReadRules) -> Record:
    """Map the raw fields of one record to a ``Record``."""
    classic = dialect == "refer" or (dialect == "auto" and not _is_endnote(fields))
    record = Record(source=SourcePos(rules.path, fields[0].line))
    type_field = next((f for f in fields if f.tag == "%0"), None)
    type_name: str | None = None
    if type_field is not None:
        raw_type = " ".join(type_field.lines)
        type_name, record.type = lookup_type(raw_type)
        if type_name is None:
            rules.unknown_type(record, "%0", raw_type, "reference type", "Generic", type_field.line)
        elif type_name not in (CSL_TO_ENDNOTE_TYPE.get(record.type), "Edited Book"):
            record.add_extra("%0", type_name)  # e.g. Electronic Article: not the CSL default
    if classic:
        for raw in fields:
            if raw.tag in CLASSIC_ONLY_LETTERS:
                raw.key = raw.field = f"classic {raw.tag}"
        tags: dict[str, Target] = dict(CLASSIC_TAGS)
        if _fix_classic_editors(fields):
            tags["%A"] = "editor"
    else:
        tags = endnote_tags(type_name or "")
    rest = [raw for raw in fields if raw is not type_field]
    builder = fill(record, rest, tags, rules, classic=classic, seen={"%0"} if type_field else None)
    _finish_classic(builder)
    finish_record(record, type_name)
    if type_field is None:
        record.type = infer_type({f.tag for f in fields}, record)
    rules.no_title(record)
    return record


def fill(
    record: Record,
    fields: list[RawField],
    tags: dict[str, Target],
    rules: ReadRules,
    *,
    classic: bool = False,
    repeatable: frozenset[str] = REPEATABLE_TAGS,
    reductions: Reduce | None = None,
    seen: set[str] | None = None,
) -> _Builder:
    """Place the values of ``fields`` in ``record`` by ``tags`` (tag → target), with the loss
    policy of ``ReadRules``: the EndNote field rules the Refer and RIS readers share (a RIS
    tag is an EndNote field, ``formats.ris.meaning``). ``repeatable`` are the tags whose
    repetition is normal; ``reductions`` what the format's date tags hold, for note lines.

    A one-line field's runs of spaces and tabs are one space (an indented continuation, a
    tab typed in EndNote); the multi-line fields (abstract, note) keep their layout."""
    builder = _Builder(record, classic, rules, tags, reductions=reductions)
    seen = set() if seen is None else seen
    for raw in fields:
        target = tags.get(raw.tag, _UNKNOWN)
        kept_raw = target is None or target in NEWLINE_JOINED_TARGETS
        lines = raw.lines
        if len(lines) == 1:  # most fields: one line, no join
            text = lines[0].strip()
        else:
            text = ("\n" if kept_raw else " ").join(line for line in lines if line).strip()
        if not text:
            continue
        if not kept_raw and ("\t" in text or "  " in text):
            text = _BLANKS.sub(" ", text)
        if target == _UNKNOWN:
            rules.unknown_field(record, raw.tag, text, "tag", raw.line)
        elif raw.tag in seen and raw.tag not in repeatable:
            rules.repeated(record, raw.key, text, raw.line)
        else:
            builder.apply(target, raw, text)
        seen.add(raw.tag)
    builder.finish_pending()
    # §5.5: line breaks separate keywords, a lone line is cut at ";" (the writer writes one
    # %K per keyword, so a keyword holding ";" beside others reads back whole)
    record.keywords.extend(split_keywords(builder.keyword_lines))
    builder.finish_dates()
    builder.finish_notes()
    return builder


def _finish_classic(builder: _Builder) -> None:
    record = builder.record
    for raw, text in builder.corporate:  # classic %Q: the author only when there is no %A
        if "author" in record.names:
            builder.rules.set_already(record, raw.key, text, "author", raw.line)
        else:
            record.names["author"] = [Name(literal=" ".join(text.split()))]


def finish_record(record: Record, type_name: str | None) -> None:
    """What the whole record tells (Refer and RIS alike): a number held by PubMed or
    MEDLINE as its accession number is the PMID; a Film or Broadcast whose medium or genre
    says television or radio is a broadcast."""
    location = record.fields.get("archive_location", "")
    if location.isdigit():
        database = record.fields.get("archive", "") + " " + record.fields.get("source", "")
        if _PUBMED_DB.search(database):
            record.fields["PMID"] = record.fields.pop("archive_location")
    if type_name == "Film or Broadcast":
        kind = record.fields.get("medium", "") + " " + record.fields.get("genre", "")
        if _BROADCAST.search(kind):
            record.type = "broadcast"
