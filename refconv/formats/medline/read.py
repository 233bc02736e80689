"""MEDLINE reader: PubMed's tagged export (``.nbib``, "Save as MEDLINE"), record by record.

Line syntax (docs/medline-format.md §1): a tag line is a tag of two to four capitals or
digits padded with spaces to four characters, then ``-`` and a space (``PMID- 23227361``,
``TI  - Title``, ``AB  - ``); a line indented by spaces continues the value before it (NLM
indents by six); a blank line ends a record. A ``PMID`` line in a record that has its PMID
starts the next record (two records with no blank line between them, as ``cat`` leaves
them), with a warning. Text outside records is skipped with one warning per run; a line
inside a record that is neither a tag line nor indented is read as a continuation, with one
warning per record. Mapping the tag lines to the model lives in ``fields``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from refconv.formats.base import Reader, ReadRules
from refconv.formats.medline.fields import Line, build_record
from refconv.model import Record
from refconv.values.text import strip_bom

#: A tag padded to four characters, the dash in the fifth column, a space or the line's end.
TAG_LINE = re.compile(r"(?=[A-Z][A-Z0-9 ]{3}-)([A-Z][A-Z0-9]{1,3}) *-(?: (.*))?")
#: The start of a MEDLINE input (after blank lines and a byte-order mark).
_FIRST_LINE = re.compile(r"PMID- ?\d")


class MedlineReader(Reader):
    """Read PubMed/MEDLINE tagged records (``.nbib``, ``.medline``)."""

    name = "medline"
    aliases = ("nbib", "pubmed")
    suffixes = (".nbib", ".medline")
    description = "PubMed/MEDLINE tagged records (PMID- 123, TI  - title)"
    #: a ``PMID-`` line after a blank line: no record is open there, and text outside
    #: records before it was counted and is reported when a tag line is read
    part_start = re.compile(rb"(?:\r\n|\n|\r(?!\n))[ \t]*(?:\r\n|\n|\r(?!\n))(?=PMID- )")

    @classmethod
    def sniff(cls, head: str) -> bool:
        """True when the first non-blank line of ``head`` is a ``PMID-`` line."""
        for line in head.splitlines():
            if line.strip():
                return bool(_FIRST_LINE.match(strip_bom(line)[0]))
        return False

    def read(self, lines: Iterable[str], path: str) -> Iterator[Record]:
        """Yield one record per blank-line separated block."""
        rules = ReadRules(self.diagnostics, path)
        record: list[tuple[str, list[str], int]] = []  # (tag, its lines, line) of the open one
        junk_line = junk = stray_line = strays = 0
        seen_any = False
        for lineno, line in enumerate(lines, self.first_line):
            line = rules.unmark(line, lineno, lambda bare: TAG_LINE.fullmatch(bare.rstrip()))
            if not line or line.isspace():
                if record:
                    yield _finish(record, rules, strays, stray_line)
                    record, strays = [], 0
                continue
            m = TAG_LINE.fullmatch(line.rstrip())
            if m is None:
                if not record:
                    junk_line, junk = (junk_line if junk else lineno), junk + 1
                    continue
                if not line[0].isspace():
                    stray_line, strays = (stray_line if strays else lineno), strays + 1
                record[-1][1].append(line.strip())
                continue
            tag, value = m[1], (m[2] or "").strip()
            if record and tag == "PMID" and any(raw[0] == "PMID" for raw in record):
                rules.warn(
                    "no blank line before this record; a new record starts here",
                    lineno,
                    code="unclosed-record",
                )
                yield _finish(record, rules, strays, stray_line)
                record, strays = [], 0
            if not record:
                rules.junk(junk, junk_line)
                junk, seen_any = 0, True
            record.append((tag, [value], lineno))
        if record:
            yield _finish(record, rules, strays, stray_line)
        rules.junk(junk, junk_line)
        if not seen_any:
            rules.no_records("a MEDLINE record starts with a line like 'PMID- 23227361'")


def _finish(
    record: list[tuple[str, list[str], int]], rules: ReadRules, strays: int, line: int
) -> Record:
    """The ``Record`` of the collected tag lines, with the warning for the lines in it that
    were neither tag lines nor indented."""
    if strays:
        what = "1 line" if strays == 1 else f"{strays} lines"
        rules.warn(
            f"{what} neither a tag line ('TAG - value') nor indented; read as continuation",
            line,
            code="malformed-line",
        )
    lines = [Line(tag, " ".join(part for part in parts if part), n) for tag, parts, n in record]
    return build_record(lines, rules)
