"""Notes that carry data a format has no field for, in a form refconv can read back.

Writers put such a value into the format's note field as ``key: value``, where ``key`` is a
CSL variable (``event-title: ICML``) or, for values kept under a Refer tag, a human label with
the tag (``Translated Author (%H): Yu Min``). Readers split notes into such lines and put each
value back where it came from, so a round trip through BibTeX or RIS loses nothing.
"""

from __future__ import annotations

import re

from refconv.formats.refer.tables import TAG_LABELS
from refconv.model import DATE_VARIABLES, NAME_VARIABLES, TEXT_VARIABLES, Date, Record
from refconv.values.dates import parse_date
from refconv.values.names import parse_name
from refconv.values.text import one_line

_KEYED = re.compile(r"(?:[^:()\n]+ \((%.)\)|(%.)|([A-Za-z][A-Za-z_-]*)): (.*)", re.DOTALL)
_CSL = frozenset(TEXT_VARIABLES) | frozenset(DATE_VARIABLES) | frozenset(NAME_VARIABLES)


def note_label(key: str) -> str:
    """The key as a note shows it: a Refer tag gets its human label in front."""
    if key.startswith("%") and key in TAG_LABELS:
        return f"{TAG_LABELS[key]} ({key})"
    return key


def note_line(key: str, value: str) -> str:
    """``key: value``, in the form ``parse_note_line`` reads back.

    The key is one line (line breaks in it become spaces). A key that would read back as
    another one (a custom key ``DOI: 10.1/x`` would fill the DOI) is quoted, so its note reads
    back as plain text and forges no field.
    """
    label = note_label(key)
    if not label.isprintable():
        label = one_line(label)
    line = f"{label}: {value}"
    keyed = parse_note_line(line)
    if keyed is not None and keyed[0] != key:
        return f'"{label}": {value}'
    return line


def parse_note_line(text: str) -> tuple[str, str] | None:
    """(key, value) of a line written by ``note_line``; None for an ordinary note."""
    m = _KEYED.fullmatch(text.strip())
    if not m:
        return None
    key = m[1] or m[2] or m[3]
    if key.startswith("%") or key in _CSL:
        return key, m[4]
    return None


def restore(record: Record, key: str, value: str) -> None:
    """Put a value read from a note back into the record."""
    if key.startswith("%"):
        record.add_extra(key, value)
    elif key in DATE_VARIABLES:
        parsed = parse_date(value)
        if parsed.kind == "status":
            record.fields.setdefault("status", parsed.status)
        elif key not in record.dates:  # text that is no date, or more, stays as a literal
            whole = parsed.date if parsed.kind == "date" and not parsed.leftover else None
            record.dates[key] = whole or Date(literal=value)
    elif key in NAME_VARIABLES:
        for part in value.split(" and "):
            person = parse_name(part)[0]
            if person is None:  # "et al.": kept as a marker, as the readers keep it
                record.add_extra(key, part.strip())
            else:
                record.names.setdefault(key, []).append(person)
    elif key == "keyword":
        record.keywords.extend(k.strip() for k in value.split(",") if k.strip())
    else:
        record.fields.setdefault(key, value)
