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

from refconv.formats.base import Reader, ReadRules
from refconv.formats.refer.fields import RawField, fill, finish_record
from refconv.formats.refer.tables import CSL_TO_ENDNOTE_TYPE, REPEATABLE_TAGS
from refconv.formats.ris.dates import reductions
from refconv.formats.ris.meaning import endnote_field, meaning_type, ris_tags
from refconv.formats.ris.tables import (
    RIS_OWN_TAGS,
    RIS_REPEATABLE,
    RIS_TO_CSL_TYPE,
    RIS_TO_ENDNOTE_FIELD,
    RIS_TO_ENDNOTE_FIELD_BY_TYPE,
    RIS_TO_ENDNOTE_TYPE,
    RIS_TYPE_TAGS,
)
from refconv.model import Record, SourcePos
from refconv.values.text import strip_bom

TAG_LINE = re.compile(r"([A-Z][A-Z0-9]) {1,2}-(?: (.*))?")
_TIGHT_TAG_LINE = re.compile(r"([A-Z][A-Z0-9]) {1,2}-(\S.*)")  # "T2  -Journal": no space
#: Every tag this reader gives a meaning in some type: only these are read from a tag line
#: that lacks the space after its dash (an unknown "XY  -z" stays text of the field before it).
_KNOWN = frozenset(
    {"TY", "ER", *RIS_TO_ENDNOTE_FIELD, *RIS_OWN_TAGS}
    | {tag for table in RIS_TYPE_TAGS.values() for tag in table}
    | {tag for fields in RIS_TO_ENDNOTE_FIELD_BY_TYPE.values() for tag in fields}
)


class RisReader(Reader):
    """Read RIS (``.ris``) as written by EndNote, Zotero, PubMed, Web of Science, refconv."""

    name = "ris"
    aliases = ()
    suffixes = (".ris",)
    description = "RIS tagged records (TY  - JOUR ... ER  - )"
    #: a ``TY`` line after an ``ER`` line and blank lines only: no record is open there and
    #: no text outside records is pending
    part_start = re.compile(
        rb"(?<=[\r\n])ER {1,2}-(?: [^\r\n]*)?(?:\r\n|\n|\r(?!\n))"
        rb"(?:[ \t]*(?:\r\n|\n|\r(?!\n)))*(?=TY {1,2}-(?: |[ \t]*[\r\n]))"
    )

    @classmethod
    def sniff(cls, head: str) -> bool:
        """True when the first non-blank line is a ``TY  -`` line."""
        for line in head.splitlines():
            if line.strip():
                return bool(re.match(r"TY {1,2}- ", strip_bom(line)[0]))
        return False

    def read(self, lines: Iterable[str], path: str) -> Iterator[Record]:
        """Yield one record per TY ... ER block."""
        rules = ReadRules(self.diagnostics, path)
        fields: list[tuple[str, list[str], int]] = []
        junk_line = junk = 0
        seen_any = False
        for lineno, line in enumerate(lines, self.first_line):
            line = rules.unmark(line, lineno, lambda bare: TAG_LINE.fullmatch(bare.rstrip()))
            m = TAG_LINE.fullmatch(line.rstrip())
            if m is None and (m := _TIGHT_TAG_LINE.fullmatch(line.rstrip())):
                if m[1] in _KNOWN:
                    rules.warn(
                        f"{m[1]} has no space after '-'; read as a tag line",
                        lineno,
                        code="malformed-line",
                    )
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
                    rules.warn(
                        "record not closed with 'ER  - '; closed here",
                        lineno,
                        code="unclosed-record",
                    )
                    yield build_record(fields, rules)
                rules.junk(junk, junk_line)
                junk, seen_any = 0, True
                fields = [(tag, [value], lineno)]
            elif not fields:
                junk_line, junk = (junk_line if junk else lineno), junk + 1
            elif tag == "ER":
                yield build_record(fields, rules)
                fields = []
            else:
                fields.append((tag, [value], lineno))
        if fields:
            rules.warn(
                "record not closed with 'ER  - ' at the end of the input",
                fields[0][2],
                code="unclosed-record",
            )
            yield build_record(fields, rules)
        rules.junk(junk, junk_line)
        if not seen_any:
            rules.no_records("a RIS record starts with a line like 'TY  - JOUR'")


def build_record(fields: list[tuple[str, list[str], int]], rules: ReadRules) -> Record:
    """The record of one TY..ER block: ``fields`` are (tag, lines, line number), TY first.
    Public because the RIS writer asks it whether a kept tag would read back as kept.

    Each tag is the EndNote field it holds in the record's type (``meaning.ris_tags``) and
    goes through the EndNote field rules the Refer reader uses (``refer.fields.fill``); RIS's
    own rules are the type, one keyword per ``KW`` line, ``SP``/``EP`` and the order of dates.
    """
    _, type_lines, first_line = fields[0]
    code = type_lines[0].upper()
    record = Record(
        type=RIS_TO_CSL_TYPE.get(code, "document"), source=SourcePos(rules.path, first_line)
    )
    if code not in RIS_TO_CSL_TYPE:
        rules.unknown_type(record, "TY", code, "RIS type", "GEN", first_line)
    endnote = RIS_TO_ENDNOTE_TYPE.get(code)
    if endnote and endnote not in (CSL_TO_ENDNOTE_TYPE.get(record.type), "Edited Book"):
        record.add_extra("%0", endnote)  # EJOUR: an Electronic Article, kept for Refer
    tags = ris_tags(code)
    raws: list[RawField] = []
    pages: dict[str, tuple[str, int]] = {}
    for tag, values, line in fields[1:]:
        text = "\n".join(v for v in values if v).strip()
        if not text:
            continue
        if tag == "KW":  # one keyword per line, as every exporter writes them
            record.keywords.extend(k.strip() for k in text.split("\n") if k.strip())
        elif tag in ("SP", "EP") and tag not in pages:
            pages[tag] = (text, line)
        else:
            raws.append(RawField(tag, [text], line, tag, endnote_field(code, tag) or tag))
    raws += _pages(pages, code)
    # DA (the full date) ahead of PY, PY ahead of Y1: the first full date is the base the
    # others complete or, when they disagree, are kept beside (refer.fields resolve_date)
    raws.sort(key=lambda raw: _DATE_ORDER.get(raw.tag, 3))
    fill(record, raws, tags, rules, repeatable=_REPEATABLE, reductions=reductions(code))
    finish_record(record, meaning_type(code))
    rules.no_title(record)
    return record


_DATE_ORDER = {"DA": 0, "PY": 1, "Y1": 2}
#: Tags whose repetition is normal: the RIS tags of repeatable EndNote fields, and RIS's own.
_REPEATABLE = frozenset(
    {tag for tag, field in RIS_TO_ENDNOTE_FIELD.items() if field in REPEATABLE_TAGS}
    | RIS_REPEATABLE
)


def _pages(pages: dict[str, tuple[str, int]], code: str) -> list[RawField]:
    """``SP`` with ``EP`` is a page range, whatever the type; ``SP`` alone is what the type's
    SP field is (a Book's number of pages, a Film's running time); ``EP`` alone an end page."""
    if "SP" in pages and "EP" in pages:
        (start, line), (end, _) = pages["SP"], pages["EP"]
        return [RawField("EP", [f"{start}-{end}"], line, "SP")]
    return [
        RawField(tag, [text], line, tag, endnote_field(code, tag) or tag)
        for tag, (text, line) in pages.items()
    ]
