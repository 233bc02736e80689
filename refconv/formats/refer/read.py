"""Reader for Refer: classic refer(1) databases and EndNote's tagged export (``%0`` types).

Line syntax (refer-format.md §1): a tag line is ``%`` + one character + a space (or the end of
the line); other non-blank lines continue the previous field; blank lines end a record; text
outside records is skipped with a warning. Two more lines start a record (§1.2), both left by
``cat a.enw b.enw`` when ``a.enw`` ends without a blank line: a ``%0`` line once the open record
has its ``%0`` and another field (EndNote starts every record with ``%0``), and a tag line after
a byte-order mark (``strip_bom``: U+FEFF or a mis-decoded "ï»¿"), which is removed with a
warning. A record copied out of a web page onto ONE line (the "flattened" form, §6) is detected
and split at its tags when that line starts a record; ``%`` inside running text ("30% of")
stays text. Mapping the collected fields to the model lives in
``fields``; the line syntax the writer shares, in ``syntax``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from refconv.formats.base import Reader, ReadRules
from refconv.formats.refer.fields import RawField, build_record
from refconv.formats.refer.syntax import is_tag_line, split_flattened
from refconv.model import Record
from refconv.values.text import BOM_FIRSTS as _BOM_FIRSTS
from refconv.values.text import strip_bom

#: what follows the tag character of a tag line (``syntax.is_tag_line``)
_TAG_ENDS = " \t\u00a0"


class ReferReader(Reader):
    """Read Refer and EndNote tagged records (``.enw``, ``.refer``).

    Option ``dialect``: "auto" (default; per record, EndNote when the record has ``%0`` or any
    digit or punctuation tag), "refer" or "endnote" to force one.
    """

    name = "refer"
    aliases = ("endnote", "enw")
    suffixes = (".enw", ".refer", ".ref", ".txt")
    description = "Refer and EndNote tagged (%A author, %T title, %0 type)"
    #: a tag line (ASCII tag character) after a blank line: no record is open there, and
    #: text outside records before it was counted and reported when the tag line is read
    part_start = re.compile(rb"(?:\r\n|\n|\r(?!\n))[ \t]*(?:\r\n|\n|\r(?!\n))(?=%[!-~][ \t\r\n])")

    @classmethod
    def sniff(cls, head: str) -> bool:
        """True when the first non-blank line of ``head`` is a tag line."""
        for line in head.splitlines():
            if line.strip():
                return is_tag_line(strip_bom(line)[0])
        return False

    def read(self, lines: Iterable[str], path: str) -> Iterator[Record]:
        """Yield one record per blank-line separated block (or per flattened record)."""
        dialect = self.options.get("dialect") or "auto"
        rules = ReadRules(self.diagnostics, path)
        fields: list[RawField] = []
        junk_line = junk_count = 0
        seen_any = False
        # The loop is the reader's hot path (issue 18): the tag test of ``is_tag_line`` and
        # the BOM test of ``strip_bom`` are inlined for the common lines, which start with
        # "%" or a letter and are neither blank nor marked.
        for lineno, line in enumerate(lines, self.first_line):
            head = line[:1]
            if head in _BOM_FIRSTS:
                bare = rules.unmark(line, lineno, is_tag_line)
                if bare is not line:  # a marked tag line starts a record (§1.7)
                    line, head = bare, "%"
                    if fields:
                        yield build_record(fields, dialect, rules)
                        fields = []
            if not (
                head == "%"
                and len(line) >= 2
                and not line[1].isspace()
                and (len(line) == 2 or line[2] in _TAG_ENDS)
            ):
                if not line or line.isspace():
                    if fields:
                        yield build_record(fields, dialect, rules)
                        fields = []
                elif fields:
                    fields[-1].lines.append(line.strip())
                else:
                    junk_line = junk_line if junk_count else lineno
                    junk_count += 1
                continue
            if junk_count:
                rules.junk(junk_count, junk_line)
                junk_count = 0
            seen_any = True
            tag = line[:2]
            if fields:
                if tag == "%0" and _starts_next_record(line, fields):
                    yield build_record(fields, dialect, rules)
                    fields = []
                else:
                    fields.append(RawField(tag, [line[3:].strip()], lineno))
                    continue
            # A flattened record is a whole record on one line (§6): a tag line inside a
            # record is one of its fields, whatever tags its value mentions.
            flat = split_flattened(line) if line.count("%") > 1 else None
            if flat is None:
                fields.append(RawField(tag, [line[3:].strip()], lineno))
                continue
            for record_fields in flat:
                raw = [RawField(tag, [value], lineno) for tag, value in record_fields]
                yield build_record(raw, dialect, rules)
        if fields:
            yield build_record(fields, dialect, rules)
        rules.junk(junk_count, junk_line)
        if not seen_any:
            rules.no_records("a Refer record starts with a line like '%T Title'")


def _starts_next_record(line: str, fields: list[RawField]) -> bool:
    """Does the ``%0`` line ``line`` end the open record ``fields``? EndNote starts every record
    with ``%0`` (refer-format.md §1.2), so a ``%0`` line does once the record has its own
    ``%0`` and another field; a ``%0`` right after ``%0`` repeats it instead, and a flattened
    record (§6) stays one field of the record it is in, as every tag line there does."""
    return (
        any(f.tag == "%0" for f in fields)
        and any(f.tag != "%0" for f in fields)
        and (line.count("%") < 2 or split_flattened(line) is None)
    )
