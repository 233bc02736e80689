"""Reader for Refer: classic refer(1) databases and EndNote's tagged export (``%0`` types).

Line syntax (refer-format.md §1): a tag line is ``%`` + one character + a space (or the end of
the line); other non-blank lines continue the previous field; blank lines end a record; text
outside records is skipped with a warning. A record copied out of a web page onto ONE line (the
"flattened" form, §6) is detected and split at its tags when that line starts a record; ``%``
inside running text ("30% of") stays text. Mapping the collected fields to the model lives in
``refer_map``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from ..mappings.refer import FLAT_TAG_CHARS, NAME_TAGS, NO_DATE_WORDS, REPEATABLE_TAGS
from ..mappings.refer import STATUS_WORDS as _STATUS
from ..model import Record
from ..values import find_doi
from . import Reader
from .refer_map import RawField, build_record, lookup_type

_FLAT_TAG = re.compile(r"(?<!\S)%([" + re.escape(FLAT_TAG_CHARS) + r"])(?=\s|$)")
_NUMBER_TOKEN = re.compile(r"[\d.,]+[%)\]]?")
_SENTENCE_END = re.compile(r"[a-z]{3,}[.!?]\s")
_MONTH_WORD = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)", re.IGNORECASE)
_SHORT_TAGS = frozenset({"%V", "%N", "%6", "%7"})
_STATUS_OR_NONE = _STATUS | NO_DATE_WORDS


def is_tag_line(line: str) -> bool:
    """True for ``%X value`` and a bare ``%X``: a percent sign, a tag character, a space or end."""
    return (
        len(line) >= 2
        and line[0] == "%"
        and not line[1].isspace()
        and (len(line) == 2 or line[2] in " \t\u00a0")
    )


class ReferReader(Reader):
    """Read Refer and EndNote tagged records (``.enw``, ``.refer``).

    Option ``dialect``: "auto" (default; per record, EndNote when the record has ``%0`` or any
    digit or punctuation tag), "refer" or "endnote" to force one.
    """

    name = "refer"
    aliases = ("endnote", "enw")
    suffixes = (".enw", ".refer", ".ref", ".txt")
    description = "Refer and EndNote tagged (%A author, %T title, %0 type)"

    @classmethod
    def sniff(cls, head: str) -> bool:
        """True when the first non-blank line of ``head`` is a tag line."""
        for line in head.lstrip("\ufeff").splitlines():
            if line.strip():
                return is_tag_line(line)
        return False

    def read(self, lines: Iterable[str], path: str) -> Iterator[Record]:
        """Yield one record per blank-line separated block (or per flattened record)."""
        dialect = self.options.get("dialect") or "auto"
        warn = self.diagnostics.warn
        fields: list[RawField] = []
        junk_line = junk_count = 0
        seen_any = False
        for lineno, line in enumerate(lines, 1):
            if not line or line.isspace():
                if fields:
                    yield build_record(fields, path, dialect, warn)
                    fields = []
                continue
            if not is_tag_line(line):
                if fields:
                    fields[-1].lines.append(line.strip())
                else:
                    junk_line = junk_line if junk_count else lineno
                    junk_count += 1
                continue
            if junk_count:
                self._report_junk(path, junk_line, junk_count)
                junk_count = 0
            seen_any = True
            # A flattened record is a whole record on one line (§6): a tag line inside a
            # record is one of its fields, whatever tags its value mentions.
            flat = split_flattened(line) if not fields and line.count("%") > 1 else None
            if flat is None:
                fields.append(RawField(line[:2], [line[3:].strip()], lineno))
                continue
            if fields:
                yield build_record(fields, path, dialect, warn)
                fields = []
            for record_fields in flat:
                raw = [RawField(tag, [value], lineno) for tag, value in record_fields]
                yield build_record(raw, path, dialect, warn)
        if fields:
            yield build_record(fields, path, dialect, warn)
        if junk_count:
            self._report_junk(path, junk_line, junk_count)
        if not seen_any:
            warn("no records found (a Refer record starts with a line like '%T Title')", path, 1)

    def _report_junk(self, path: str, line: int, count: int) -> None:
        what = "1 line" if count == 1 else f"{count} lines"
        self.diagnostics.warn(f"skipped {what} of text outside any record", path, line)


def split_flattened(line: str) -> list[list[tuple[str, str]]] | None:
    """Split a one-line record into records of (tag, value); None if it is an ordinary line.

    A line is flattened when it starts with a tag and holds at least three accepted tags (two
    when it starts with ``%0``). Candidates that fail the plausibility checks of §6.2 stay part
    of the previous value.
    """
    candidates = list(_FLAT_TAG.finditer(line))
    if not candidates or candidates[0].start() != 0:
        return None
    if len(candidates) < (2 if line.startswith("%0") else 3):
        return None
    accepted: list[tuple[str, int, int]] = []
    seen: set[str] = set()
    for i, m in enumerate(candidates):
        tag = "%" + m[1]
        end = candidates[i + 1].start() if i + 1 < len(candidates) else len(line)
        value = line[m.end() : end].strip()
        starts_record = tag == "%0" and line.startswith("%0") and lookup_type(value)[0]
        if starts_record:  # a further record on the same line (§6.1 rule 4)
            seen = set()
        if i == 0 or starts_record or _is_plausible(tag, value, line[: m.start()], seen):
            accepted.append((tag, m.start(), m.end()))
            seen.add(tag)
    if len(accepted) < (2 if line.startswith("%0") else 3):
        return None
    records: list[list[tuple[str, str]]] = [[]]
    for j, (tag, _, value_start) in enumerate(accepted):
        end = accepted[j + 1][1] if j + 1 < len(accepted) else len(line)
        value = line[value_start:end].strip()
        if tag == "%0" and records[-1]:
            records.append([])
        records[-1].append((tag, value))
    return records


def flattened_at(line: str) -> int:
    """Where a writer must break the tag line ``line`` so that this reader does not split it
    as a flattened record (a title "A %A B %D 2020 %0 Book" would forge a record): the start of
    its second tag; 0 when the line reads as one field."""
    if line.count("%") < 2 or split_flattened(line) is None:
        return 0
    return [m.start() for m in _FLAT_TAG.finditer(line)][1]


def _is_plausible(tag: str, value: str, before: str, seen: set[str]) -> bool:
    """Does a tag found inside a flattened line really start a field (refer-format.md §6.2)?"""
    if tag in seen and tag not in REPEATABLE_TAGS:
        return False
    previous = before.rsplit(None, 1)[-1] if before.strip() else ""
    if not tag[1].isalpha() and _NUMBER_TOKEN.fullmatch(previous):
        return False  # "(n = 12, 50 %) of": a spaced percent, not a tag
    if tag == "%0":
        return lookup_type(value)[0] is not None
    if tag == "%D":
        return bool(re.search(r"\d{2,4}", value)) or value.lower() in _STATUS_OR_NONE
    if tag == "%8":
        return bool(re.search(r"\d", value) or _MONTH_WORD.search(value))
    if tag == "%U":
        return "://" in value or value.startswith("www.")
    if tag == "%@":
        return len(re.findall(r"\d", value)) >= 8
    if tag == "%P":
        return len(value) <= 30 and any(c.isdigit() for c in value)
    if tag == "%R":
        return bool(find_doi(value)) or (len(value) <= 40 and len(value.split()) <= 3)
    if tag in _SHORT_TAGS:
        return len(value) <= 20 and ". " not in value
    if tag in NAME_TAGS:
        return _is_name_shaped(value)
    return True


def _is_name_shaped(value: str) -> bool:
    words = [w for w in value.split() if any(c.isalpha() for c in w)]
    if not words or len(words) > 8 or len(value) > 80 or _SENTENCE_END.search(value + " "):
        return False
    capitalised = sum(1 for w in words if not w[0].isalpha() or w[0].isupper() or not w.isascii())
    return capitalised * 2 >= len(words)
