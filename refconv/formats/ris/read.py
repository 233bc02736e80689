"""RIS reader: ``TY  - JOUR`` ... ``ER  - `` records, with file:line diagnostics.

Lenient where real files are: one or two spaces before the dash, an empty tag without its
trailing space (``EP  -``) never swallows the next line, untagged lines continue the previous
field (all of them), text between records (database banners) is skipped with a warning, a
missing ``ER`` is closed at the next ``TY``. Dates: ``DA`` wins over ``PY`` over ``Y1``; ``Y2``
is the access date and never the publication date.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from refconv.formats.base import Reader
from refconv.formats.refer.tables import CSL_TO_ENDNOTE_TYPE
from refconv.formats.ris.tables import (
    CSL_TO_RIS_FIELD,
    NAME_TO_RIS,
    REFER_EXTRA_TO_RIS,
    RIS_FIELD_ALIASES,
    RIS_NAME_ALIASES,
    RIS_TO_CSL_TYPE,
    RIS_TO_ENDNOTE_TYPE,
)
from refconv.model import Date, Record, SourcePos
from refconv.notes import parse_note_line, restore
from refconv.values.dates import ParsedDate, complete_date, parse_date
from refconv.values.identifiers import classify_serials, doi_from_url, find_doi
from refconv.values.names import parse_name
from refconv.values.pages import normalize_extent, normalize_pages

TAG_LINE = re.compile(r"([A-Z][A-Z0-9]) {1,2}-(?: (.*))?")
_FIELDS = {tag: var for var, tag in CSL_TO_RIS_FIELD.items()} | RIS_FIELD_ALIASES
_NAMES = {tag: var for var, tag in NAME_TO_RIS.items()} | RIS_NAME_ALIASES
_EXTRAS = {tag: refer for refer, tag in REFER_EXTRA_TO_RIS.items()}
_REPEATABLE = frozenset({"AU", "A1", "A2", "A3", "A4", "ED", "KW", "N1", "UR", "SN", "TA",
                         "AD", "L1", "L2", "L3", "L4"})  # fmt: skip
BOOK_TYPES = frozenset({"book", "classic", "thesis", "periodical"})


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
        warn = self.diagnostics.warn
        fields: list[tuple[str, list[str], int]] = []
        junk_line = junk = 0
        for lineno, line in enumerate(lines, 1):
            m = TAG_LINE.fullmatch(line.rstrip())
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
                    warn("record not closed with 'ER  - '; closed here", path, lineno)
                    yield self._build(fields, path)
                if junk:
                    warn(
                        f"skipped {junk} line{'s' if junk > 1 else ''} of text outside any record",
                        path,
                        junk_line,
                    )
                    junk = 0
                fields = [(tag, [value], lineno)]
            elif not fields:
                junk_line, junk = (junk_line if junk else lineno), junk + 1
            elif tag == "ER":
                yield self._build(fields, path)
                fields = []
            else:
                fields.append((tag, [value], lineno))
        if fields:
            warn("record not closed with 'ER  - ' at the end of the input", path, fields[0][2])
            yield self._build(fields, path)
        if junk:
            warn(
                f"skipped {junk} line{'s' if junk > 1 else ''} of text outside any record",
                path,
                junk_line,
            )

    def _build(self, fields: list[tuple[str, list[str], int]], path: str) -> Record:
        warn = self.diagnostics.warn
        _, type_lines, first_line = fields[0]
        code = type_lines[0].upper()
        record = Record(
            type=RIS_TO_CSL_TYPE.get(code, "document"), source=SourcePos(path, first_line)
        )
        if code not in RIS_TO_CSL_TYPE:
            warn(f"unknown RIS type {code!r}; read as GEN (kept in custom)", path, first_line)
            record.add_extra("TY", code)
        endnote = RIS_TO_ENDNOTE_TYPE.get(code)
        if endnote and endnote not in (CSL_TO_ENDNOTE_TYPE.get(record.type), "Edited Book"):
            record.add_extra("%0", endnote)  # EJOUR: an Electronic Article, kept for Refer
        dates: dict[str, str] = {}
        pages: dict[str, str] = {}
        seen: set[str] = set()
        for tag, values, line in fields[1:]:
            text = "\n".join(v for v in values if v).strip()
            if not text:
                continue
            if tag in seen and tag not in _REPEATABLE:
                warn(
                    f"repeated {tag}; the first value is used, this one is kept in custom",
                    path,
                    line,
                )
                record.add_extra(tag, text)
                continue
            seen.add(tag)
            self._place(record, tag, text, dates, pages, line)
        _finish_pages(record, pages)
        _finish_dates(record, dates, warn)
        if "title" not in record.fields:
            warn("record has no title", path, first_line)
        return record

    def _place(
        self, record: Record, tag: str, text: str, dates: dict, pages: dict, line: int
    ) -> None:
        fields = record.fields
        if tag in _NAMES:
            person, _ = parse_name(text)
            if person is None:
                record.add_extra(tag, text)
            else:
                record.names.setdefault(_NAMES[tag], []).append(person)
        elif tag in ("PY", "Y1", "DA", "Y2"):
            dates[tag] = (text, line)
        elif tag in ("SP", "EP"):
            pages[tag] = text
        elif tag == "KW":
            record.keywords.extend(k.strip() for k in text.split("\n") if k.strip())
        elif tag == "N1":
            self._note(record, text)
        elif tag == "SN":
            isbns, issns, other = classify_serials(text)
            for var, values in (("ISBN", isbns), ("ISSN", issns), ("number", other)):
                for value in values:
                    if fields.setdefault(var, value) != value:
                        record.add_extra(tag, value)
        elif tag == "DO":
            fields.setdefault("DOI", find_doi(text) or text)
        elif tag == "UR":
            if fields.setdefault("URL", text) != text:
                record.add_extra(tag, text)
            if doi := doi_from_url(text):
                fields.setdefault("DOI", doi)
        elif tag in _EXTRAS:
            record.add_extra(_EXTRAS[tag], text)
        elif tag in _FIELDS:
            var = _FIELDS[tag]
            if fields.setdefault(var, text) != text:
                record.add_extra(tag, text)
        else:
            record.add_extra(tag, text)

    @staticmethod
    def _note(record: Record, text: str) -> None:
        keyed = parse_note_line(text)  # each N1 is one note: "key: value" or plain text
        if keyed:
            restore(record, *keyed)
        elif "note" in record.fields:
            record.fields["note"] += "\n" + text
        else:
            record.fields["note"] = text


def _finish_pages(record: Record, pages: dict[str, str]) -> None:
    start, end = pages.get("SP", ""), pages.get("EP", "")
    if start and not end and record.type in BOOK_TYPES and "page" not in record.fields:
        record.fields.setdefault("number-of-pages", normalize_extent(start))
    elif start or end:
        record.fields.setdefault(
            "page", normalize_pages(f"{start}-{end}" if start and end else start or end)
        )


def _finish_dates(record: Record, dates: dict[str, tuple[str, int]], warn) -> None:
    """DA (full date) wins over PY over Y1; Y2 is the access date (user-needs case 16).

    A value that is no date or says more than one ("2020/02/30", "1999 zq") is kept: as the
    literal date when no tag has a date, else in custom, with a warning either way.
    """
    path = record.source.path
    issued: Date | None = record.dates.get("issued")
    unread: list[tuple[str, str, int, ParsedDate]] = []
    for tag in ("DA", "PY", "Y1"):
        if tag not in dates:
            continue
        text, line = dates[tag]
        parsed = parse_date(text)
        if parsed.kind == "status":
            record.fields.setdefault("status", parsed.status)
        elif parsed.kind == "literal" or parsed.leftover:
            unread.append((tag, text, line, parsed))
        elif issued is None and parsed.kind == "date":
            issued = parsed.date
        elif issued is not None and parsed.kind in ("date", "partial"):
            refined = complete_date(issued, parsed)
            if refined is None and parsed.date != issued:
                warn(f"{tag} {text!r} does not agree with the other dates; kept in custom",
                     path, line)  # fmt: skip
                record.add_extra(tag, text)
            issued = refined or issued
    for tag, text, line, parsed in unread:
        literal = issued is None and parsed.kind == "literal"
        why = _why(parsed)
        warn(f"{tag} {text!r}: {why}; kept {'as literal text' if literal else 'in custom'}",
             path, line)  # fmt: skip
        if literal:
            issued = parsed.date
        else:
            record.add_extra(tag, text)
    if issued is not None:
        record.dates["issued"] = issued
    if "Y2" in dates:
        text, line = dates["Y2"]
        accessed = parse_date(text)
        if accessed.kind == "date" and not accessed.leftover:
            record.dates.setdefault("accessed", accessed.date)
        elif accessed.kind != "none":
            warn(f"Y2 {text!r}: {_why(accessed)}; kept in custom", path, line)
            record.add_extra("Y2", text)


def _why(parsed: ParsedDate) -> str:
    if parsed.problem:
        return parsed.problem
    if parsed.leftover:
        return f"{parsed.leftover!r} is not part of a date"
    return "not a date refconv can read"
