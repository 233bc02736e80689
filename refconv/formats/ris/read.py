"""RIS reader: ``TY  - JOUR`` ... ``ER  - `` records, with file:line diagnostics.

Lenient where real files are: one or two spaces before the dash, an empty tag without its
trailing space (``EP  -``) never swallows the next line, untagged lines continue the previous
field (all of them), text between records (database banners) is skipped with a warning, a
missing ``ER`` is closed at the next ``TY``.

A tag this reader knows followed by its dash and no space (``T2  -Journal``) is read as a tag
line, with a warning. The RIS specification and every exporter write ``TAG  - value``, so
such a line is a damaged tag line, not running text: read as continuation it would change
the previous field (the title would end in "T2  -Journal") and lose the journal. Other
readers disagree: rispy takes it as a tag but cuts the first letter of the value
("ournal"), bibutils' ris2xml appends it to the previous field. An unknown two-letter tag
written so stays text of the field before it. Dates: ``DA`` wins over ``PY`` over ``Y1``; ``Y2``
is the access date and never the publication date.

A value means what it means in Refer: a tag that is EndNote's Refer tag in RIS form (``C2`` is
``%2``) is placed as the Refer reader places it in the record's type (a Journal Article's
``C2`` is its PMCID), a DOI-shaped ``AN`` is the DOI as a DOI-shaped ``%M`` is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from refconv.formats.base import Reader, ReadRules, date_trouble
from refconv.formats.refer.syntax import endnote_tags
from refconv.formats.refer.tables import (
    CSL_TO_ENDNOTE_TYPE,
    PSEUDO_TARGETS,
    Target,
)
from refconv.formats.ris.dates import reductions
from refconv.formats.ris.tables import (
    BOOK_TYPES,
    CSL_TO_RIS_FIELD,
    NAME_TO_RIS,
    REFER_EXTRA_TO_RIS,
    RIS_FIELD_ALIASES,
    RIS_NAME_ALIASES,
    RIS_TO_CSL_TYPE,
    RIS_TO_ENDNOTE_TYPE,
)
from refconv.model import DATE_VARIABLES, NAME_VARIABLES, Record, SourcePos
from refconv.notes import restore_notes
from refconv.values.dates import NO_YEAR, ParsedDate, complete_date, parse_date
from refconv.values.identifiers import classify_serials, doi_from_url, find_doi
from refconv.values.names import parse_name
from refconv.values.pages import normalize_extent, normalize_pages

TAG_LINE = re.compile(r"([A-Z][A-Z0-9]) {1,2}-(?: (.*))?")
_TIGHT_TAG_LINE = re.compile(r"([A-Z][A-Z0-9]) {1,2}-(\S.*)")  # "T2  -Journal": no space
_FIELDS = {tag: var for var, tag in CSL_TO_RIS_FIELD.items()} | RIS_FIELD_ALIASES
_NAMES = {tag: var for var, tag in NAME_TO_RIS.items()} | RIS_NAME_ALIASES
_EXTRAS = {tag: refer for refer, tag in REFER_EXTRA_TO_RIS.items()}
_DATES = frozenset({"PY", "Y1", "DA", "Y2"})
#: Refer meanings a custom tag (C1-C7...) is not placed by: they need the Refer reader's rules.
_NOT_PLAIN = frozenset(
    {*NAME_VARIABLES, *DATE_VARIABLES, *PSEUDO_TARGETS, "keyword", "page", "number-of-pages",
     "DOI", "URL", "note"}
)  # fmt: skip
#: Every tag this reader gives a meaning: only these are read from a tag line that lacks the
#: space after its dash (an unknown "XY  -z" stays text of the field before it).
_KNOWN = frozenset(
    {"TY", "ER", "SP", "EP", "N1", "KW", "SN", "DO", "UR", *_DATES, *_FIELDS, *_NAMES, *_EXTRAS}
)
REPEATABLE = frozenset({"AU", "A1", "A2", "A3", "A4", "ED", "KW", "N1", "UR", "SN", "TA",
                         "AD", "L1", "L2", "L3", "L4"})  # fmt: skip


class RisReader(Reader):
    """Read RIS (``.ris``) as written by EndNote, Zotero, PubMed, Web of Science, refconv."""

    name = "ris"
    aliases = ()
    suffixes = (".ris",)
    description = "RIS tagged records (TY  - JOUR ... ER  - )"

    @classmethod
    def sniff(cls, head: str) -> bool:
        """True when the first non-blank line is a ``TY  -`` line."""
        for line in head.splitlines():
            if line.strip():
                return bool(re.match(r"TY {1,2}- ", line.lstrip("\ufeff")))
        return False

    def read(self, lines: Iterable[str], path: str) -> Iterator[Record]:
        """Yield one record per TY ... ER block."""
        rules = ReadRules(self.diagnostics, path)
        fields: list[tuple[str, list[str], int]] = []
        junk_line = junk = 0
        for lineno, line in enumerate(lines, 1):
            m = TAG_LINE.fullmatch(line.rstrip())
            if m is None and (m := _TIGHT_TAG_LINE.fullmatch(line.rstrip())):
                if m[1] in _KNOWN:
                    rules.warn(f"{m[1]} has no space after '-'; read as a tag line", lineno)
                else:
                    m = None
            if m is None:
                if not line.strip():
                    continue
                if fields:
                    fields[-1][1].append(line.strip())
                else:
                    junk_line, junk = (junk_line if junk else lineno), junk + 1
                continue
            tag, value = m[1], (m[2] or "").strip()
            if tag == "TY":
                if fields:
                    rules.warn("record not closed with 'ER  - '; closed here", lineno)
                    yield build_record(fields, rules)
                rules.junk(junk, junk_line)
                junk = 0
                fields = [(tag, [value], lineno)]
            elif not fields:
                junk_line, junk = (junk_line if junk else lineno), junk + 1
            elif tag == "ER":
                yield build_record(fields, rules)
                fields = []
            else:
                fields.append((tag, [value], lineno))
        if fields:
            rules.warn("record not closed with 'ER  - ' at the end of the input", fields[0][2])
            yield build_record(fields, rules)
        rules.junk(junk, junk_line)


def build_record(fields: list[tuple[str, list[str], int]], rules: ReadRules) -> Record:
    """The record of one TY..ER block: ``fields`` are (tag, lines, line number), TY first.
    Public because the RIS writer asks it whether a kept tag would read back as kept."""
    _, type_lines, first_line = fields[0]
    code = type_lines[0].upper()
    record = Record(
        type=RIS_TO_CSL_TYPE.get(code, "document"), source=SourcePos(rules.path, first_line)
    )
    if code not in RIS_TO_CSL_TYPE:
        rules.unknown_type(record, "TY", code, "RIS type", "GEN", first_line)
    endnote = RIS_TO_ENDNOTE_TYPE.get(code)
    meanings = endnote_tags(endnote or CSL_TO_ENDNOTE_TYPE.get(record.type, ""))
    if endnote and endnote not in (CSL_TO_ENDNOTE_TYPE.get(record.type), "Edited Book"):
        record.add_extra("%0", endnote)  # EJOUR: an Electronic Article, kept for Refer
    dates: dict[str, tuple[str, int]] = {}
    pages: dict[str, str] = {}
    notes: list[str] = []
    seen: set[str] = set()
    for tag, values, line in fields[1:]:
        text = "\n".join(v for v in values if v).strip()
        if not text:
            continue
        if tag in seen and tag not in REPEATABLE:
            rules.repeated(record, tag, text, line)
            continue
        seen.add(tag)
        if tag in _DATES:
            dates[tag] = (text, line)
        elif tag in ("SP", "EP"):
            pages[tag] = text
        elif tag == "N1":
            notes.append(text)  # each N1 is one note: restored last (refconv.notes)
        else:
            _place(record, tag, text, line, rules, meanings)
    _finish_pages(record, pages)
    _finish_dates(record, dates, rules)
    # Notes after every other field ("set already" is then known). The writer keeps in a
    # note the date PY cannot carry ("1996-2004" beside PY 1996): it replaces the date of
    # the tags only when that is what they hold of it (``reductions``), else stays a note.
    for text in restore_notes(record, notes, reductions):
        record.fields["note"] = (
            record.fields["note"] + "\n" + text if "note" in record.fields else text
        )
    rules.no_title(record)
    return record


def _place(
    record: Record, tag: str, text: str, line: int, rules: ReadRules, meanings: dict[str, Target]
) -> None:
    if tag in _NAMES:
        person, _ = parse_name(text)
        if person is None:
            record.add_extra(tag, text)  # "et al.": a marker, kept for the writers
        else:
            record.names.setdefault(_NAMES[tag], []).append(person)
    elif tag == "KW":
        record.keywords.extend(k.strip() for k in text.split("\n") if k.strip())
    elif tag == "SN":
        isbns, issns, other = classify_serials(text)
        rest = [" ".join(other)] if other else []  # "3 (suppl)": one number, as written
        for var, values in (("ISBN", isbns), ("ISSN", issns), ("number", rest)):
            for value in values:
                rules.place(record, var, value, tag, line)
    elif tag == "DO":
        rules.place(record, "DOI", find_doi(text) or text, tag, line)
    elif tag == "UR":
        rules.place(record, "URL", text, tag, line)
        if (doi := doi_from_url(text)) and "DOI" not in record.fields:
            record.fields["DOI"] = doi
    elif tag == "AN" and (doi := find_doi(text)) and record.fields.get("DOI", doi) == doi:
        record.fields["DOI"] = doi  # a DOI-shaped accession number, as the Refer reader's %M
    elif tag in _EXTRAS:
        # A Refer tag RIS carries (C2 is EndNote's %2): placed as the Refer reader places it
        # in this type (a Journal Article's C2 is its PMCID), so the value means the same
        # read from RIS or from Refer; kept for Refer when that takes the Refer rules.
        twin = _plain_meaning(meanings.get(_EXTRAS[tag]))
        if twin is None:
            record.add_extra(_EXTRAS[tag], text)
        else:
            rules.place(record, twin, text, tag, line)
    elif tag in _FIELDS:
        rules.place(record, _FIELDS[tag], text, tag, line)
    else:
        rules.unknown_field(record, tag, text, "tag", line)


def _plain_meaning(target: Target) -> str | None:
    """The CSL text variable a Refer tag fills, if it needs no rule of the Refer reader
    (the first of several; a "?var" fallback is the Refer reader's business)."""
    for one in target if isinstance(target, tuple) else (target,):
        if one and not one.startswith("?"):
            return one if one not in _NOT_PLAIN else None
    return None


def _finish_pages(record: Record, pages: dict[str, str]) -> None:
    start, end = pages.get("SP", ""), pages.get("EP", "")
    if start and not end and record.type in BOOK_TYPES and "page" not in record.fields:
        record.fields.setdefault("number-of-pages", normalize_extent(start))
    elif start or end:
        record.fields.setdefault(
            "page", normalize_pages(f"{start}-{end}" if start and end else start or end)
        )


def _finish_dates(record: Record, dates: dict[str, tuple[str, int]], rules: ReadRules) -> None:
    """DA (full date) wins over PY over Y1; Y2 is the access date (user-needs case 16).

    The loss policy for dates (also the Refer and BibTeX readers'): a value the parse uses
    wholly is the date; one that says more ("1999/12/31/Winter issue", "ref 2019") gives its
    date and its whole text is kept in custom; one that is no date ("MMXX", "n.d.") is the
    literal date when no tag gives a date, else kept in custom; a warning either way.
    """
    found: list[tuple[str, str, int, ParsedDate]] = [
        (tag, *dates[tag], parse_date(dates[tag][0])) for tag in ("DA", "PY", "Y1") if tag in dates
    ]
    issued = next((p.date for _, _, _, p in found if p.kind == "date"), None)
    unread: list[tuple[str, str, int, str]] = []  # no date: literal or kept, with why
    for tag, text, line, parsed in found:
        if parsed.kind == "partial" and (issued is None or issued.literal):
            unread.append((tag, text, line, NO_YEAR))  # "DA  - Spring", "Y1  - //March"
            continue
        if parsed.kind == "status":
            rules.place(record, "status", parsed.status, tag, line)
        elif parsed.kind in ("literal", "none"):
            unread.append((tag, text, line, date_trouble(parsed)))
        elif parsed.leftover:  # its date is used below, its whole text kept
            rules.keep(record, tag, text, date_trouble(parsed), line)
        if parsed.kind not in ("date", "partial") or parsed.date is issued:
            continue
        refined = complete_date(issued, parsed) if issued is not None else None
        if refined is None and not parsed.leftover and parsed.date != issued:
            rules.keep(record, tag, text, "does not agree with the other dates", line)
        issued = refined or issued
    for tag, text, line, why in unread:
        if issued is None:
            issued = rules.literal_date(tag, text, why, line)
        else:
            rules.keep(record, tag, text, why, line)
    if issued is not None:
        record.dates["issued"] = issued
    if "Y2" in dates:
        text, line = dates["Y2"]
        accessed = parse_date(text)
        if accessed.kind == "date" and accessed.date is not None:
            if record.dates.setdefault("accessed", accessed.date) != accessed.date:
                why = "does not agree with the other dates"
                rules.keep(record, "Y2", text, why, line)
                return
            if accessed.leftover:
                rules.keep(record, "Y2", text, date_trouble(accessed), line)
        else:
            why = NO_YEAR if accessed.kind == "partial" else date_trouble(accessed)
            if "accessed" not in record.dates:
                record.dates["accessed"] = rules.literal_date("Y2", text, why, line)
            else:
                rules.keep(record, "Y2", text, why, line)
