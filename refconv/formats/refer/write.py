"""Refer writer: EndNote tagged records, one tag per line, so ``refer -> refer`` normalises.

Each record gets ``%0`` (the EndNote type kept from the input, else the usual one for its CSL
type) and the tags that type gives each variable (the reader's tables, inverted: a Book's
number of pages is ``%P``, its pages ``%&``). Values with no tag in that type go to ``%Z`` as
``key: value`` lines that the Refer reader puts back. Multi-line values continue on untagged
lines; a continuation that would look like a tag is indented, and empty lines are dropped
(an empty line would end the record), both as a lenient reader sees the line: after dropping
U+FEFF, other format characters and whitespace (``refconv.values.text.lenient_pattern``). Every line
separator (CR, VT, FF, NEL, U+2028...) is a line break here, or a space in a one-line tag; a
tag line the reader would split as a flattened record ("%T A %A B %0 Book") continues on the
next line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache
from typing import TextIO

from refconv.formats.base import ReadRules, Writer, kept_again, silent
from refconv.formats.refer.fields import RawField, build_record
from refconv.formats.refer.syntax import (
    endnote_tags,
    flattened_at,
    invert_targets,
    is_tag_line,
    lookup_type,
)
from refconv.formats.refer.tables import (
    CSL_TO_ENDNOTE_TYPE,
    ENDNOTE_TAGS,
    ENDNOTE_TYPE_TAGS,
    ENDNOTE_TYPE_TO_CSL,
    NEWLINE_JOINED_TARGETS,
    REFER_TAG_ORDER,
    REPEATABLE_TAGS,
)
from refconv.model import Record
from refconv.notes import CustomKey, name_notes, with_notes
from refconv.values.dates import format_date, year_text
from refconv.values.identifiers import find_doi
from refconv.values.names import format_inverted, reads_back
from refconv.values.text import lenient_pattern, one_line, strip_nocase, value_lines

_ORDER = {tag: i for i, tag in enumerate(REFER_TAG_ORDER)}
#: Tags whose value is one line: the type, the key, and %K (one keyword per line, §5.5).
ONE_LINE_TAGS = frozenset({"%0", "%F", "%K"})


@cache
def tags_for(type_name: str, without: frozenset[str] = frozenset()) -> dict[str, str]:
    """CSL variable → tag for one EndNote type: the reader's table inverted
    (``syntax.invert_targets``), the type's own meanings first, then the generic ones with %J
    (EndNote's journal tag) ahead of %B. ``without``: tags a format cannot write (EndNote
    XML has one element for %J and %B), which give no variable a place."""
    overrides = ENDNOTE_TYPE_TAGS.get(type_name, {})
    generic = sorted(
        (item for item in ENDNOTE_TAGS.items() if item[0] not in overrides),
        key=lambda item: item[0] != "%J",
    )
    items = [item for item in (*overrides.items(), *generic) if item[0] not in without]
    return invert_targets(items)


def _eight_is_issued(type_name: str) -> bool:
    """%8 holds the publication date for most types, the access date for some (§2.2)."""
    return endnote_tags(type_name).get("%8") == "issued"


def kept_type(record: Record) -> int | None:
    """The index in ``extra["%0"]`` of the %0 name kept from a Refer input that names this
    record's CSL type (Electronic Article for an article-journal; an unknown name for a
    document), if any. Other kept %0 values (a repeated %0) are data for the note: taken for
    the type, they would change it."""
    default = (CSL_TO_ENDNOTE_TYPE.get(record.type), "Edited Book")
    for i, name in enumerate(record.extra.get("%0", ())):
        known, csl = lookup_type(name)
        if csl == record.type and known not in default:  # what the reader keeps as a marker
            return i
    return None


def endnote_type(record: Record) -> str:
    """The %0 name: the one kept from a Refer input, else the default for the CSL type."""
    kept = kept_type(record)
    if kept is not None:
        return record.extra["%0"][kept]
    if record.type == "book" and "editor" in record.names and "author" not in record.names:
        return "Edited Book"
    return CSL_TO_ENDNOTE_TYPE.get(record.type, "Generic")


def _also_fills(type_name: str, tag: str, var: str) -> bool:
    """True when ``tag`` gives ``var`` beside its first variable in ``type_name`` (a
    Conference Paper's %B: the event, and the container when no other tag names one)."""
    target = endnote_tags(type_name).get(tag)
    return isinstance(target, tuple) and (var in target or f"?{var}" in target)


def _extra_read_back(type_name: str, lines: list[tuple[str, str]], tag: str) -> list[str]:
    """The values the Refer reader keeps under ``tag`` reading ``lines`` (after ``%0``)."""
    fields = [RawField("%0", [type_name], 0)]
    fields += [RawField(t, value_lines(v), i) for i, (t, v) in enumerate(lines, 1)]
    return build_record(fields, "endnote", ReadRules(silent, "")).extra.get(tag, [])


def _kept_as_tag(type_name: str, tag: str, value: str, lines: list[tuple[str, str]]) -> bool:
    """True when the Refer reader, given the line ``tag value`` after ``lines``, keeps it as
    the extra ``tag`` again (an unknown tag, a repeat of a tag that takes one value, a %8
    that does not agree with %D, "et al." under %A): asked of the reader itself, on the
    record's lines, so writer and reader cannot disagree. Any other line would fill a field
    (%A, %K, %D, %9) or the note (%Z)."""
    if not (len(tag) == 2 and is_tag_line(tag) and tag[1].isprintable()) or tag == "%0":
        return False  # "%\r" is no tag
    return kept_again(lambda trial: _extra_read_back(type_name, trial, tag), lines, tag, value)


#: ``kept_as(type_name, tag, value, lines)``: does the format's reader, given ``tag value``
#: after ``lines``, keep ``value`` under the extra ``tag`` again (``_kept_as_tag``)?
KeptAs = Callable[[str, str, str, list[tuple[str, str]]], bool]


def refer_lines(
    record: Record,
    moved: list[str] | None = None,
    *,
    without: frozenset[str] = frozenset(),
    kept_as: KeptAs | None = None,
) -> list[tuple[str, str]]:
    """The (tag, value) pairs of one record, %0 first.

    Another format made of EndNote's fields (EndNote XML) passes the tags it has no place
    for (``without``: their values go to the note) and its own reader's answer to whether
    a kept value is written back under its key (``kept_as``, default the Refer reader's)."""
    type_name = endnote_type(record)
    tags = tags_for(type_name, without)
    kept_as = kept_as or _kept_as_tag
    lines: list[tuple[str, str]] = [("%0", type_name)]
    notes: list[tuple[str, str]] = []
    kept: list[tuple[str, str]] = []  # names kept custom: after the extras, as read back
    if record.id:
        lines.append(("%F", record.id))
    for role, people in record.names.items():
        tag = tags.get(role)
        if tag is None:
            plain, custom = name_notes(role, people)
            notes += plain
            kept += custom
        else:
            back = [(p, reads_back(p)) for p in people]
            lines += [(tag, format_inverted(p)) for p, ok in back if ok]
            # a name "Family, Given" cannot say (reads_back) is kept in the note as a custom
            # value (quoted key): read as a name it would be another name
            kept += [(CustomKey(role), format_inverted(p)) for p, ok in back if not ok]
    for var, date in record.dates.items():
        tag = tags.get(var)
        if (
            var == "issued"
            and tag == "%D"
            and len(date.parts) == 1
            and len(date.parts[0]) > 1
            and _eight_is_issued(type_name)
        ):  # EndNote style: the year in %D, the full date in %8
            lines += [("%D", year_text(date.parts[0][0])), ("%8", format_date(date))]
        elif tag:
            lines.append((tag, format_date(date)))
        else:
            notes.append((var, format_date(date)))
    for var, value in record.fields.items():
        if var == "citation-key":
            continue
        value = strip_nocase(value)  # CSL's case protection: no Refer form
        tag = tags.get(var)
        if var == "status" and "issued" not in record.dates:
            lines.append(("%D", value))
        elif tag is not None and (tag, value) in lines and _also_fills(type_name, tag, var):
            continue  # the line of another variable reads back as this one too
        elif tag is None or any(t == tag for t, _ in lines if t not in ("%@", "%U")):
            notes.append((var, value))
        elif var == "DOI" and find_doi(value) != value:  # the reader keeps such %R as
            notes.append((var, value))  # custom %R; the note line "DOI: ..." reads back
        else:
            lines.append((tag, value))
    lines += [("%K", keyword) for keyword in record.keywords]
    late: list[tuple[str, str]] = []
    meanings = endnote_tags(type_name)
    for key, values in record.extra.items():
        if key == "%0":  # the one written as the type; any other goes to the note
            used = kept_type(record)
            notes += [(key, value) for i, value in enumerate(values) if i != used]
            continue
        for value in values:
            # A value the reader kept because its variable was already filled comes after the
            # one that fills it, or reading back would swap them (late); one the reader kept
            # (an unknown tag, a repeated %8) is written back as that tag; any other extra
            # named like a tag (custom {"%A": ...}) would fill that tag's field: it goes to
            # the note under its key (CustomKey)
            lost = meanings.get(key) not in (None, "note") and key not in REPEATABLE_TAGS
            place = late if lost else lines
            ordered = [*_sorted(lines), *late]
            if key not in without and kept_as(type_name, key, value, ordered):
                place.append((key, value))
            else:
                notes.append((CustomKey(key), value))
    notes += kept
    lines = with_notes(lines, "%Z", notes, moved)
    return _sorted(lines) + late


def _sorted(lines: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return sorted(lines, key=lambda pair: _ORDER.get(pair[0], len(_ORDER)))


def format_record(record: Record, moved: list[str] | None = None) -> str:
    """One record as EndNote tagged text, followed by a blank line."""
    out = []
    # A continuation that starts with "%" once invisible characters are dropped (bibutils
    # skips a U+FEFF) is indented: no lenient reader takes it for a tag.
    tag_like = lenient_pattern("%")
    lines = refer_lines(record, moved)
    meanings = endnote_tags(lines[0][1])
    for tag, value in lines:
        # Split at every line separator a consumer may split at (CR, VT, NEL, U+2028...): no
        # separator is written inside a line, and a value cannot end the record. A field the
        # reader joins with spaces is written on one line: its line breaks are spaces to the
        # reader, and a U+2028 it keeps inside a line would otherwise come back as a space.
        joined = tag in meanings and meanings[tag] in (None, *NEWLINE_JOINED_TARGETS)
        whole = tag in ONE_LINE_TAGS or not joined
        first, *rest = [one_line(value)] if whole else value_lines(value)
        line = f"{tag} {first}".rstrip()
        if at := flattened_at(line):  # would read as a one-line record: break it
            line, rest = line[:at].rstrip(), [line[at:], *rest]
        out.append(line)
        out += [(" " + line if tag_like.match(line) else line) for line in rest]
    return "\n".join(out) + "\n\n"


class ReferWriter(Writer):
    """Write EndNote tagged Refer (``.enw``), which EndNote, Zotero and refconv import."""

    name = "refer"
    aliases = ("endnote", "enw")
    suffixes = (".enw", ".refer")
    description = "EndNote tagged Refer (%0 type, %A author, ...)"
    frame = ("", "", "", "")

    def write(self, records: Iterable[Record], out: TextIO) -> None:
        """One record after another, separated by blank lines."""
        for record in records:
            moved: list[str] = []
            out.write(format_record(record, moved))
            kind = endnote_type(record)
            self.account(
                record, moved, "%Z", f"%0 {kind}", ENDNOTE_TYPE_TO_CSL.get(kind, "document")
            )
