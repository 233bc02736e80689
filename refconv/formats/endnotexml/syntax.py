"""EndNote XML rules the reader and the writer share: which tag Secondary Title is, how the
one ``<notes>`` element holds several note entries, what a ``<periodical>`` that repeats the
titles is, which keys are element paths, and the text of style runs."""

from __future__ import annotations

from collections.abc import Iterable

from refconv.formats.endnotexml.tables import (
    ELEMENT_TARGETS,
    FACE_TO_TAG,
)
from refconv.formats.refer.tables import ENDNOTE_TYPE_TAGS
from refconv.notes import parse_note_line

#: The order of the faces in rich text, outermost first.
FACE_ORDER = tuple(FACE_TO_TAG)


def secondary_title_tag(type_name: str) -> str:
    """The Refer tag ``titles/secondary-title`` is in ``type_name``: ``%B`` where the type
    gives %B a meaning of its own (a Book's series, a Book Section's book), else ``%J``,
    which EndNote's tagged export writes for a journal and which means what %B means there
    (refer-format.md §2.2)."""
    return "%B" if "%B" in ENDNOTE_TYPE_TAGS.get(type_name, {}) else "%J"


def without_tags(type_name: str) -> frozenset[str]:
    """The Refer tags EndNote XML has no element for in ``type_name``: the one of %J and %B
    that Secondary Title is not."""
    return frozenset({"%J"} if secondary_title_tag(type_name) == "%B" else {"%B"})


def is_path(key: str) -> bool:
    """True when ``key`` (a key of the record's custom values) names an element of EndNote
    XML that holds no field of the tagged export (``custom8``, ``periodical/abbr-2``), which
    the writer writes back there. Any other key (an element refconv does not know, a custom
    value from another format) goes to the notes, which EndNote imports: an element EndNote
    does not know it drops."""
    return key in ELEMENT_TARGETS


def _starts_entry(line: str) -> bool:
    """Does this line of ``<notes>`` start a note entry: a ``key: value`` line refconv reads
    back (``refconv.notes``), not indented."""
    return bool(line) and not line[0].isspace() and parse_note_line(line) is not None


def split_notes(text: str) -> list[str]:
    """The note entries of a ``<notes>`` text (``join_notes`` writes them), as the Refer
    reader gets them from ``%Z`` lines: a ``key: value`` line (``refconv.notes``) is an
    entry, continued by the lines after it that start with a space (without that space);
    the first line that is neither starts the record's own note, which is the rest of the
    text as it is (a plain EndNote note is one entry, blank lines and all)."""
    entries: list[str] = []
    lines = text.split("\n")
    at = 0
    while at < len(lines):
        if not _starts_entry(lines[at]):
            entries.append("\n".join(lines[at:]))
            break
        entry = [lines[at]]
        at += 1
        while at < len(lines) and lines[at][:1] == " ":
            entry.append(lines[at][1:])
            at += 1
        entries.append("\n".join(entry))
    return entries


def join_notes(entries: Iterable[str]) -> str:
    """One ``<notes>`` text for the note entries of a record, for ``split_notes``: the
    later lines of a ``key: value`` entry indented by a space; the own note, which comes
    after them (``refconv.notes.arrange_notes``), as it is."""
    out: list[str] = []
    for entry in entries:
        first, *rest = entry.split("\n")
        out.append(first)
        out += [" " + line for line in rest] if _starts_entry(first) else rest
    return "\n".join(out)


def is_echo(text: str, titles: Iterable[str]) -> bool:
    """True when a ``<periodical>`` value repeats one of the record's titles (EndNote writes
    the journal term list entry of the Secondary Title beside it): compared without case
    and runs of spaces."""
    folded = " ".join(text.split()).casefold()
    return any(folded == " ".join(t.split()).casefold() for t in titles)


def rich_text(runs: list[tuple[str, frozenset[str]]]) -> str:
    """CSL rich text of style runs (text, faces): adjacent runs of the same faces joined,
    each wrapped in its faces' elements, outermost first (``FACE_ORDER``): bold italic
    "coli" is ``<b><i>coli</i></b>``."""
    out: list[str] = []
    merged: list[tuple[str, frozenset[str]]] = []
    for text, faces in runs:
        if merged and merged[-1][1] == faces:
            merged[-1] = (merged[-1][0] + text, faces)
        elif text:
            merged.append((text, faces))
    for text, faces in merged:
        tags = [FACE_TO_TAG[face] for face in FACE_ORDER if face in faces]
        out.append(
            "".join(f"<{t}>" for t in tags) + text + "".join(f"</{t}>" for t in reversed(tags))
        )
    return "".join(out)
