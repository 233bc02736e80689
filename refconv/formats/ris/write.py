"""RIS writer: records as reference managers import them.

``TY`` first, ``ER  - `` (with its trailing space) last, no blank line inside a record, one
``AU`` per person as ``Family, Given``, one ``KW`` per keyword, ``PY`` plus ``DA YYYY/MM/DD/``,
``SP``/``EP`` for page ranges. Values with no RIS tag go to ``N1`` as ``key: value`` lines
that refconv's RIS reader puts back (``refconv.notes``). A line break of any kind in a value
(CR, VT, NEL, U+2028...) continues it on an untagged line, or is a space in a one-line tag
(``ONE_LINE_TAGS``): no value can end a record or start a tag, even for a reader that skips
U+FEFF or other invisible characters at the start of a line.

Hand-written rather than rispy's writer: RIS lines are trivial to format, and our tag choice
and note lines are refconv's own mapping; rispy serves the tests as an independent reader.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TextIO

from refconv.formats.base import ReadRules, Writer, kept_again, silent
from refconv.formats.refer.tables import CSL_TO_ENDNOTE_TYPE
from refconv.formats.ris.dates import date_lines
from refconv.formats.ris.meaning import ris_by_field, ris_tags, writer_tags
from refconv.formats.ris.read import build_record  # the reader, for trial reads
from refconv.formats.ris.tables import (
    CSL_TO_RIS_TYPE,
    ENDNOTE_TO_RIS_TYPE,
    RIS_TAG_ORDER,
    RIS_TO_CSL_TYPE,
)
from refconv.model import Record
from refconv.notes import CustomKey, name_notes, with_notes
from refconv.values.dates import format_date
from refconv.values.identifiers import find_doi
from refconv.values.names import format_inverted, reads_back
from refconv.values.text import lenient_pattern, one_line, strip_nocase, value_lines

_ORDER = {tag: i for i, tag in enumerate(RIS_TAG_ORDER)}
_OWN_TAG = re.compile(r"[A-Z][A-Z0-9]")  # the reader's TAG_LINE
_NOT_KEPT = frozenset({"TY", "ER", "ID", "N1"})  # record structure, or the note itself
_RANGE = re.compile(r"([^-\s,]+)-([^-\s,]+)")
_MULTI = frozenset({"SN", "UR"})  # tags several variables share (ISBN and ISSN; URLs)
# A line some reader takes for a tag: ours reads ``[A-Z][A-Z0-9] {1,2}-``, rispy any two
# upper-case letters and "  -", bibutils skips a U+FEFF first, others take lower case too; a
# continuation line of this shape, as the most lenient reader sees it (``lenient_pattern``), is
# indented (readers strip continuation lines; bibutils reads " \ufeffTY  - " as text).
_LOOKS_LIKE_TAG = r"\w{inv}\w{skip}-"  # a lenient_pattern template
#: Tags whose value is one line (RIS has no continuation there, or our reader would split it:
#: one KW line is one keyword): line breaks in the value become spaces.
ONE_LINE_TAGS = frozenset(
    {"TY", "ID", "AU", "A1", "A2", "A3", "A4", "ED", "TA", "PY", "DA", "Y1", "Y2", "SP", "EP",
     "SN", "DO", "UR", "L1", "L2", "L3", "L4", "KW", "ER"}
)  # fmt: skip


def _is_type_marker(record: Record, name: str) -> bool:
    """True for a kept %0 name that TY can carry: one the reader keeps as the exact EndNote
    type (EJOUR's Electronic Article), not the default name of the record's type, which is
    a repeated %0 line (data for the note)."""
    code = ENDNOTE_TO_RIS_TYPE.get(name)
    default = (CSL_TO_ENDNOTE_TYPE.get(record.type), "Edited Book")
    return code is not None and RIS_TO_CSL_TYPE.get(code) == record.type and name not in default


def ris_type(record: Record) -> tuple[str, bool]:
    """The TY code, and whether it carries the EndNote type kept from a Refer input (EJOUR
    for an Electronic Article), so that type needs no note."""
    for kept in record.extra.get("%0", ()):
        if _is_type_marker(record, kept):
            return ENDNOTE_TO_RIS_TYPE[kept], True
    if record.type == "book" and "editor" in record.names and "author" not in record.names:
        return "EDBOOK", False  # as the Refer writer's Edited Book: AU are its editors
    return CSL_TO_RIS_TYPE.get(record.type, "GEN"), False


def _extra_read_back(code: str, lines: list[tuple[str, str]], key: str) -> list[str]:
    """The values the RIS reader keeps under ``key`` reading ``lines`` (after ``TY``), in the
    order the writer writes them."""
    ordered = sorted(lines, key=lambda pair: _ORDER.get(pair[0], len(_ORDER)))
    fields = [("TY", [code], 0)] + [(t, value_lines(v), i) for i, (t, v) in enumerate(ordered, 1)]
    return build_record(fields, ReadRules(silent, "")).extra.get(key, [])


def kept_as_tag(code: str, tag: str, key: str, value: str, lines: list[tuple[str, str]]) -> bool:
    """True when the RIS reader, given the line ``tag  - value`` among ``lines``, keeps it as
    the extra ``key`` again (an EndNote field the type gives no variable, under its Refer
    tag; an unknown tag; a repeat of a tag that takes one value; "et al." under AU): asked of
    the reader itself, on the record's lines, so writer and reader cannot disagree. Any other
    tag line would fill a field (AU, PY, KW) or end the record (ER)."""
    if not _OWN_TAG.fullmatch(tag) or tag in _NOT_KEPT:
        return False
    return kept_again(lambda trial: _extra_read_back(code, trial, key), lines, tag, value)


def _kept_by_design(
    code: str, tag: str, key: str, value: str, lines: list[tuple[str, str]]
) -> bool:
    """The fast answer of ``kept_as_tag`` for the common case: an EndNote field the type
    gives no variable (an author address, a Custom field), written once under its tag,
    reads back kept under that field, unless its value is one the reader reads otherwise
    (a DOI, blank edges); anything else asks the reader."""
    return (
        tag != key
        and ris_tags(code).get(tag, "") is None
        and bool(value)
        and value == value.strip() == one_line(value)
        and "10." not in value
        and not any(t == tag for t, _ in lines)
    )


def ris_lines(record: Record, moved: list[str] | None = None) -> list[tuple[str, str]]:
    """The (tag, value) pairs of one record, without TY and ER, in ``RIS_TAG_ORDER``: each
    variable under the tag its type reads it from (``meaning.writer_tags``)."""
    code, carried = ris_type(record)
    tags = writer_tags(code)
    lines: list[tuple[str, str]] = []
    notes: list[tuple[str, str]] = []
    kept: list[tuple[str, str]] = []  # names kept custom: after the extras, as read back
    if record.id:
        lines.append(("ID", record.id))
    for role, people in record.names.items():
        tag = tags.get(role)
        if tag is not None:
            back = [(p, reads_back(p)) for p in people]
            lines += [(tag, format_inverted(p)) for p, ok in back if ok]
            # a name "Family, Given" cannot say (reads_back) is kept in the note as a custom
            # value (quoted key): read as a name it would be another name
            kept += [(CustomKey(role), format_inverted(p)) for p, ok in back if not ok]
        else:
            plain, custom = name_notes(role, people)
            notes += plain
            kept += custom
    for var, date in record.dates.items():
        written, whole = date_lines(code, var, date)
        lines += written
        if whole:
            notes.append((var, format_date(date)))
    page_tag = tags.get("page")
    for var, value in record.fields.items():
        if var == "citation-key" or record.derivable(var):
            continue
        value = strip_nocase(value)  # CSL's case protection: no RIS form
        tag = tags.get(var)
        if var == "page" and page_tag == "SP" and (m := _RANGE.fullmatch(value)):
            lines += [("SP", m[1]), ("EP", m[2])]
        elif tag is None or any(t == tag for t, _ in lines if t not in _MULTI):
            notes.append((var, value))
        elif var == "DOI" and find_doi(value) != value:  # the reader keeps such DO as
            notes.append((var, value))  # custom; the note line "DOI: ..." reads back
        else:
            lines.append((tag, value))
    lines += [("KW", keyword) for keyword in record.keywords]
    by_field = ris_by_field(code)
    for key, values in record.extra.items():
        if key == "%0" and carried:  # the one TY carries; others to the note
            used = next(i for i, v in enumerate(values) if _is_type_marker(record, v))
            values = values[:used] + values[used + 1 :]
        tag = by_field.get(key, key)  # an EndNote field kept: under its RIS tag
        for value in values:
            # A tag the reader kept (a PY beside the date it could not agree with, an
            # unknown tag, a repeated VL) is written back under its tag, after the tag's own
            # line; any other extra named like a tag (custom {"AU": ...}) would read back as
            # that tag's field: it goes to the note under its quoted key (CustomKey)
            if _kept_by_design(code, tag, key, value, lines) or kept_as_tag(
                code, tag, key, value, lines
            ):
                lines.append((tag, value))
            else:
                notes.append((CustomKey(key), value))
    notes += kept
    lines = with_notes(lines, "N1", notes, moved)
    return sorted(lines, key=lambda pair: _ORDER.get(pair[0], len(_ORDER)))


def format_record(record: Record, moved: list[str] | None = None) -> str:
    """One RIS record as text, ending with ``ER  - `` and a blank line."""
    out = [f"TY  - {one_line(ris_type(record)[0])}"]
    tag_like = lenient_pattern(_LOOKS_LIKE_TAG)
    for tag, value in ris_lines(record, moved):
        if tag in ONE_LINE_TAGS:
            out.append(f"{tag}  - {one_line(value)}")
            continue
        # Split at every line separator a consumer may split at (CR, VT, NEL, U+2028...), so
        # no separator is written inside a line; continuation lines are never empty (that
        # would end the record for some readers) and never shaped like a tag line.
        first, *rest = value_lines(value)
        out.append(f"{tag}  - {first}")
        out += [(" " + line if tag_like.match(line) else line) for line in rest]
    out.append("ER  - ")
    return "\n".join(out) + "\n\n"


class RisWriter(Writer):
    """Write RIS for EndNote, Zotero, Mendeley and other reference managers."""

    name = "ris"
    aliases = ()
    suffixes = (".ris",)
    description = "RIS tagged records (EndNote, Zotero, Mendeley import)"
    frame = ("", "", "", "")

    def write(self, records: Iterable[Record], out: TextIO) -> None:
        """One record after another, each closed by ``ER  - `` and a blank line."""
        for record in records:
            moved: list[str] = []
            out.write(format_record(record, moved))
            code = ris_type(record)[0]
            self.account(record, moved, "N1", f"TY {code}", RIS_TO_CSL_TYPE.get(code))
