"""Notes that carry data a format has no field for, in a form refconv can read back.

Writers put such a value into the format's note field as ``key: value``, where ``key`` is a
CSL variable (``event-title: ICML``) or, for values kept under a Refer tag, a human label with
the tag (``Translated Author (%H): Yu Min``). Readers split notes into such lines and put each
value back where it came from, so a round trip through BibTeX or RIS loses nothing.

The protocol never drops (STYLE.md §4b): a ``key: value`` line is put back only when it
round-trips exactly, i.e. the key is one refconv writes, the variable is not set already by
the record's own fields, and the value reads back as the same text (``2019/03/15`` does,
``sometime in 2019`` does as a literal date, ``Smith, J. and others`` does not). Any other
such line is an ordinary note and stays in the note as written, and so does every line after
the first one that is not restored: writers put the value lines first (``arrange_notes``),
so readers restore only that leading run (``restore_notes``). Readers restore notes after
every other field of the record, so "set already" does not depend on the order of fields.

A key that is no variable but is named like one (a CSL ``custom`` key ``DOI``, a name the
writer could not write so that it reads back as itself) is written quoted, ``"DOI": 10.1/x``,
and read back as that custom key (``CustomKey``): it never fills the variable. ``restore``
takes a DOI as the BibTeX and RIS readers do (any text of their doi/DO field), not only what
``find_doi`` accepts: the BibTeX writer keeps in the note a DOI TeX cannot print, which must
come back; the Refer writer, whose reader keeps a %R that is no DOI as custom, writes such a
DOI as a note line instead of %R.

One exception for dates: a writer whose date fields hold less than the date (BibTeX ``year``
for ``1999/12 - 2000/01``, RIS ``PY`` for a range) writes that reduced form in its fields and
the whole date in the note. The reader gives ``restore`` the same reduction (``Reduce``); a
note date replaces the fields' date only when that is exactly the note date's reduction, so
``year = {2000}`` with ``issued: 1999`` keeps both (the year is the date, the line a note).
A date is one line: a note line ``issued: 1999`` continued by more text is a note.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from refconv.formats.refer.tables import NEWLINE_JOINED_TARGETS
from refconv.model import DATE_VARIABLES, NAME_VARIABLES, TEXT_VARIABLES, Date, Name, Record
from refconv.values.dates import format_date, parse_date
from refconv.values.names import format_inverted, parse_name
from refconv.values.names import reads_back as name_reads_back
from refconv.values.text import one_line
from refconv.values.vocabulary import TAG_LABELS

_KEYED = re.compile(r"(?:[^:()\n]+ \((%.)\)|(%.)|([A-Za-z][A-Za-z_-]*)): (.*)", re.DOTALL)
_QUOTED = re.compile(r'"([^"\n]+)": (.*)', re.DOTALL)
#: A custom key named like an RIS tag (custom {"AU": ...}, which the RIS writer cannot write
#: as a tag line: it would fill the author): quoted, and read back as that custom key.
_TAG = re.compile(r"[A-Z][A-Z0-9]")
_CSL = frozenset(TEXT_VARIABLES) | frozenset(DATE_VARIABLES) | frozenset(NAME_VARIABLES)
_PLAIN_TEXT = frozenset(TEXT_VARIABLES) - frozenset(DATE_VARIABLES) - frozenset(NAME_VARIABLES)

#: What a format's writer puts in its date fields for a date variable's date when they hold
#: less than the date (it puts the whole date in the note then): none, one or (a reader of
#: two dialects) more forms.
Reduce = Callable[[str, Date], tuple[Date, ...]]


def note_label(key: str) -> str:
    """The key as a note shows it: a Refer tag gets its human label in front."""
    if key.startswith("%") and key in TAG_LABELS:
        return f"{TAG_LABELS[key]} ({key})"
    return key


class CustomKey(str):
    """A key of the record's extras (CSL ``custom``), not the CSL variable or Refer tag label
    it may be named like: writers pass their extras' keys as ``CustomKey`` to ``note_line``."""


def note_line(key: str, value: str) -> str:
    """``key: value``, in the form ``parse_note_line`` reads back.

    The key is one line (line breaks in it become spaces). A key that would read back as
    another one, or a ``CustomKey`` named like a variable (``custom: {"DOI": "10.1/x"}``
    would fill the DOI), is quoted: ``"DOI": 10.1/x`` forges no field and reads back as the
    custom key again.
    """
    label = note_label(key)
    if not label.isprintable():
        label = one_line(label)
    line = f"{label}: {value}"
    keyed = parse_note_line(line)
    custom = isinstance(key, CustomKey) and not key.startswith("%")
    if (keyed is not None and (keyed[0] != key or custom)) or (custom and _TAG.fullmatch(key)):
        return f'"{label}": {value}'
    return line


def name_notes(
    role: str, people: list[Name]
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The note entries of a role's names that have no field: one ``role: A and B`` entry
    for the names ``restore`` reads back as themselves, and (second list: a writer puts them
    after its extras, where they are when read back) one entry under a quoted key
    (``CustomKey``, read back as a custom value) for each name it would read as other names
    (one "Family, Given" cannot say, or one with the word " and " in it or at an end, which
    would read as other names)."""
    # " and " joins the names: one that holds it, or starts or ends with the word "and"
    # ("余 and"), would split elsewhere when read back
    plain: list[str] = []
    kept: list[str] = []
    for person in people:
        text = format_inverted(person)
        ok = name_reads_back(person) and " and " not in f" {text} "
        (plain if ok else kept).append(text)
    joined: list[tuple[str, str]] = [(role, " and ".join(plain))] if plain else []
    return joined, [(CustomKey(role), text) for text in kept]


def parse_note_line(text: str) -> tuple[str, str] | None:
    """(key, value) of a line written by ``note_line``; None for an ordinary note. The key of
    a quoted line (``"DOI": x``, only when unquoted it would be a key, or ``"AU": x``, a key
    named like an RIS tag) is a ``CustomKey``."""
    quoted = _QUOTED.fullmatch(text.strip())
    if quoted and (
        _TAG.fullmatch(quoted[1]) or parse_note_line(f"{quoted[1]}: {quoted[2]}") is not None
    ):
        return CustomKey(quoted[1]), quoted[2]
    m = _KEYED.fullmatch(text.strip())
    if not m:
        return None
    key = m[1] or m[2] or m[3]
    if key.startswith("%") or key in _CSL:
        return key, m[4]
    return None


def restore(record: Record, key: str, value: str, reduce: Reduce | None = None) -> bool:
    """Put a value read from a note back into the record, if it round-trips exactly.

    False (and the record unchanged) when the variable is set already, the value would be
    written back as other text, or it holds a line break and the variable is one line (all
    but abstract, note and annote, which every writer keeps multi-line: the Refer reader's
    ``NEWLINE_JOINED_TARGETS``): the caller keeps the line in the note as written. A date set
    already is replaced only when it is exactly a ``reduce`` form of the note's date, less
    than that date (what the format's writer writes in its fields for it).
    """
    value = value.strip()
    if isinstance(key, CustomKey) or key.startswith("%"):  # back into the extras
        record.add_extra(key, value)
        return True
    if key not in _CSL:  # no key of refconv's notes
        return False
    if key in DATE_VARIABLES:
        if "\n" in value or (key in record.dates and reduce is None):
            return False
        parsed = parse_date(value)
        whole = parsed.date if parsed.kind == "date" and not parsed.leftover else None
        date = whole or Date(literal=value)
        if format_date(date) != value:
            return False
        if key in record.dates:
            forms = reduce(key, date) if reduce is not None else ()
            if record.dates[key] == date or record.dates[key] not in forms:
                return False
        record.dates[key] = date
        return True
    if key in NAME_VARIABLES:
        # A role in the note and in a field of its own is one list (the BibTeX writer keeps
        # a name too long for bibtex's labels in the note, beside the others).
        people = []
        for part in value.split(" and "):
            person = parse_name(part)[0]
            if person is None or format_inverted(person) != part.strip():
                return False  # "et al.", or a name that would be written otherwise
            people.append(person)
        record.names.setdefault(key, []).extend(people)
        return True
    if key == "keyword":
        words = [k.strip() for k in value.split(",") if k.strip()]
        if record.keywords or ", ".join(words) != value:
            return False
        record.keywords.extend(words)
        return True
    if key in record.fields or not _is_text_value(key, value):
        return False
    record.fields[key] = value
    return True


def _is_text_value(key: str, value: str) -> bool:
    """Does the stripped ``value`` go back into the text variable ``key``? Not when empty, nor
    when it runs over lines and ``key`` is one line ("issue: 7" continued by the user's own
    text is a note, as written)."""
    return bool(value) and (key in NEWLINE_JOINED_TARGETS or len(value.splitlines()) == 1)


def restore_notes(record: Record, lines: list[str], reduce: Reduce | None = None) -> list[str]:
    """Restore the LEADING run of ``key: value`` lines of ``lines`` that round-trip exactly
    (``restore``, with the format's ``reduce`` for dates its fields hold in part); return the
    lines from the first one that does not, in their order and as written, to stay in the note.

    Every writer puts its value lines first (``arrange_notes``), so a ``key: value`` line
    after a line of the record's own note is the user's text (``see p. 3; DOI: 10.1/zz``,
    ``N1 - plain`` then ``N1 - issue: 7``) and is never taken as a value."""
    for at, line in enumerate(lines):
        if not _restored(record, line, reduce):
            return lines[at:]
    return []


def _restored(record: Record, line: str, reduce: Reduce | None) -> bool:
    keyed = parse_note_line(line)
    return keyed is not None and restore(record, *keyed, reduce=reduce)


def reads_back(line: str) -> bool:
    """True when ``line`` reads back as a value of its own (``restore`` on a record that
    lacks it takes it), False when it reads back as note text."""
    keyed = parse_note_line(line)
    if keyed is None:
        return False
    key, value = keyed
    if key.startswith("%") or isinstance(key, CustomKey):
        return True  # what restore decides for these on an empty record, without its parsing
    if key in _PLAIN_TEXT and key != "keyword":
        return _is_text_value(key, value.strip())
    return restore(Record(), key, value)  # dates, names and keywords must parse back as written


def arrange_notes(own: list[str], kept: list[str]) -> list[str]:
    """The note lines of a record as a writer puts them: the ``kept`` lines (values with no
    field, as ``note_line`` writes them) that read back as values, then the record's ``own``
    note lines, then the kept lines that read back as note text.

    A reader restores the values first, so a line of the own note that looks like
    ``key: value`` finds its key set and stays in the note, and joins the rest, in order,
    into the note: the second pass writes the same lines in the same order (a fixed point).
    """
    back = [(line, reads_back(line)) for line in kept]
    return [line for line, b in back if b] + own + [line for line, b in back if not b]


def with_notes(
    lines: list[tuple[str, str]], tag: str, notes: list[tuple[str, str]], moved: list[str] | None
) -> list[tuple[str, str]]:
    """A line writer's ``(tag, value)`` lines with the record's own note lines (``tag``: RIS
    ``N1``, Refer ``%Z``) and the kept ``notes`` (key, value) in ``arrange_notes`` order, at
    the end; the keys of ``notes`` are added to ``moved`` (for --report and --strict)."""
    own = [value for key, value in lines if key == tag]
    arranged = arrange_notes(own, [note_line(*note) for note in notes])
    if moved is not None:
        moved += [key for key, _ in notes]
    return [line for line in lines if line[0] != tag] + [(tag, line) for line in arranged]
