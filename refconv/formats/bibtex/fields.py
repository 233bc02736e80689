"""One BibTeX/BibLaTeX entry to a ``Record``: the fields of both dialects mapped to CSL by
the entry type, names, dates, ``key: value`` note lines put back, and every other field kept
in ``extra`` (with the shared "unknown field" warning when no table knows it). An
``@inproceedings``' ``address`` is the publisher's place (biber's ``location``) unless it
equals the ``venue`` (the conference's place, where refconv's BibTeX and bibutils put it). A
field given twice keeps its first value (BibTeX's rule)."""

from __future__ import annotations

from typing import Any

from refconv.formats.base import ReadRules
from refconv.formats.bibtex.dates import DateFields, reductions
from refconv.formats.bibtex.decode import decode_latex
from refconv.formats.bibtex.latex import KEPT_FIELD, read_kept, sort_key_field, unescape_verbatim
from refconv.formats.bibtex.names import parse_names
from refconv.formats.bibtex.tables import (
    BIBLATEX_DATES,
    BIBTEX_TO_CSL_TYPE,
    CONTAINER_FIELD,
    CSL_TO_BIBTEX_FIELD,
    ET_AL_TAGS,
    EVENT_ENTRY_TYPES,
    NAME_FIELDS,
    STATUS_TO_PUBSTATE,
    UNMAPPED_FIELDS,
)
from refconv.model import Record, SourcePos
from refconv.notes import restore_notes
from refconv.values.identifiers import find_doi
from refconv.values.pages import normalize_pages

_VERBATIM = frozenset({"url", "doi", "file", "eprint"})
_FIELD_TO_CSL: dict[str, str] = {}
for _var, (_bibtex, _biblatex) in CSL_TO_BIBTEX_FIELD.items():
    for _name in (_bibtex, _biblatex):
        if _name:
            _FIELD_TO_CSL.setdefault(_name, _var)
_FIELD_TO_CSL.update({
    "journal": "container-title", "journaltitle": "container-title",
    "booktitle": "container-title", "school": "publisher", "institution": "publisher",
    "address": "publisher-place", "location": "publisher-place", "number": "number",
    "langid": "language", "eventtitle": "event-title", "venue": "event-place",
    "maintitle": "volume-title", "origtitle": "original-title", "chapter": "chapter-number",
})  # fmt: skip
_ISSUE_TYPES = frozenset({"article-journal", "article-magazine", "article-newspaper"})
_PUBSTATE = {v: k for k, v in STATUS_TO_PUBSTATE.items()}
_DEFAULT_SUBTYPES = {"thesis": ("phdthesis",), "report": ("techreport",)}
_NOTE_FIELDS = {"note": "note", "annote": "annote", "annotation": "annote"}
_NAMES: dict[str, str] = {}
for _role, (_bibtex, _biblatex) in NAME_FIELDS.items():
    for _name in (_bibtex, _biblatex):
        if _name:
            _NAMES.setdefault(_name, _role)


def _label_keys(key: str) -> tuple[str, ...]:
    """The ``key`` field the writer adds for ``key`` (``sort_key_field``), bare and braced."""
    field = sort_key_field(key)
    return (field, "{" + field + "}") if field else ()


#: Input fields read after the others: ``organization`` is the publisher only when there
#: is no ``publisher`` field (else it is kept, with a warning, under its own name).
_LAST = {"organization": 1}


def build_record(entry: Any, line: int, rules: ReadRules) -> Record:
    """The record of one parsed entry (bibtexparser's ``Entry``) that starts at ``line``."""
    kind = entry.entry_type.lower()
    record = Record(
        type=BIBTEX_TO_CSL_TYPE.get(kind, "document"),
        source=SourcePos(rules.path, line),
        fields={"citation-key": entry.key},
    )
    if kind not in BIBTEX_TO_CSL_TYPE:
        rules.unknown_type(record, "entrytype", kind, "entry type", "misc", line)
    dates: dict[str, tuple[str, int]] = {}  # date field → (text, line), read at the end
    notes: dict[str, list[str]] = {}  # note variable → pieces, restored at the end
    offset = line - (entry.start_line or 0)
    seen: set[str] = set()
    kept: tuple[str, int] | None = None
    for field in sorted(entry.fields, key=lambda f: _LAST.get(f.key.lower(), 0)):
        key, value = field.key.lower(), str(field.value).strip()
        if not value:
            continue
        where = (field.start_line or 0) + offset if field.start_line else line
        if key in seen:  # "title" twice, or "Title" and "title": BibTeX uses the first
            rules.repeated(record, key, value if key in _VERBATIM else decode_latex(value), where)
            continue
        seen.add(key)
        if key == "key" and value in _label_keys(entry.key):
            continue  # the label key refconv writes for a key starting with "_"
        if key == KEPT_FIELD:
            kept = (str(field.value).strip(), where)  # exact: no LaTeX decoding
            continue
        if key in ("year", "month", "day") or key in BIBLATEX_DATES:
            dates.setdefault(key, (value, where))
        elif key in _NOTE_FIELDS:
            var = _NOTE_FIELDS[key]
            if var in notes:  # annote and annotation: both BibLaTeX's annotation
                rules.set_already(record, key, decode_latex(value), var, where)
            else:
                notes[var] = decode_latex(value).split("; ")
        else:
            _place(record, kind, key, value, where, rules)
    if _address_is_venue(record, kind, seen):
        del record.fields["publisher-place"]
    DateFields(record, dates, rules).read()
    if kept is not None:  # refconv's values with no field, before the note's (old files)
        for piece in read_kept(record, kept[0], reductions):
            message = f"{KEPT_FIELD}: {piece!r} reads back as no value; kept"
            rules.kept(record, KEPT_FIELD, piece, message, kept[1])
    # Notes after every other field ("set already" is then known). A date the writer kept
    # whole in a note replaces the fields' date only when that is the part the fields hold
    # of it (``reductions``); any other such line stays in the note (refconv.notes).
    for var, pieces in notes.items():
        plain = [p for p in restore_notes(record, pieces, reductions) if p.strip()]
        if plain:
            rules.place(record, var, "; ".join(plain), var, line)
    if record.fields.get("genre") in _DEFAULT_SUBTYPES.get(kind, ()):
        del record.fields["genre"]  # BibLaTeX's type key for the entry type: no genre
    if kind == "mastersthesis" and "genre" not in record.fields:
        record.fields["genre"] = "Master's thesis"  # the only trace of "masters" in CSL
    rules.no_title(record)
    return record


def _address_is_venue(record: Record, kind: str, seen: set[str]) -> bool:
    """True when an ``@inproceedings``' ``address`` is its ``venue``: the conference's place,
    which BibTeX has no field for (refconv's writer and bibutils' put it there), not also a
    publisher's. Any other ``address`` is the publisher's place, as biber reads it."""
    return (
        kind in EVENT_ENTRY_TYPES | {"conference"}
        and {"address", "venue"} <= seen
        and "location" not in seen
        and record.fields.get("publisher-place") == record.fields.get("event-place")
    )


def _place(record: Record, kind: str, key: str, value: str, line: int, rules: ReadRules) -> None:
    if key in _NAMES:
        role = _NAMES[key]
        people = parse_names(value)
        record.names.setdefault(role, []).extend(p for p in people if p is not None)
        if None in people:  # "and others": kept as the Refer reader keeps "et al."
            record.add_extra(ET_AL_TAGS.get(role, role), "et al.")
    elif key in _VERBATIM:
        target = {"url": "URL", "doi": "DOI"}.get(key)
        if target:
            value = unescape_verbatim(value)
            value = find_doi(value) or value if key == "doi" else value
            rules.place(record, target, value, key, line)
        else:
            record.add_extra(key, value)  # file, eprint: no CSL variable, kept by design
    elif key in UNMAPPED_FIELDS:
        record.add_extra(key, decode_latex(value))  # a BibLaTeX field CSL has no variable for
    elif key == "keywords":
        sep = ";" if ";" in value else ","
        record.keywords.extend(k.strip() for k in decode_latex(value).split(sep) if k.strip())
    elif key == "pubstate":
        rules.place(record, "status", _PUBSTATE.get(value, decode_latex(value)), key, line)
    elif key == "pages":
        rules.place(record, "page", normalize_pages(decode_latex(value)), key, line)
    elif key == "crossref":
        message = f"crossref to {value!r} is not resolved; kept in custom"
        rules.kept(record, key, value, message, record.source.line)
    elif key in _FIELD_TO_CSL or key in ("howpublished", "organization"):
        rules.place(record, _target(kind, key, record.type), decode_latex(value), key, line)
    else:  # a field no table knows: kept under its name, like an unknown RIS or Refer tag
        rules.unknown_field(record, key, decode_latex(value), "field", line)


def _target(kind: str, key: str, csl_type: str) -> str:
    """The CSL variable of a field, where that depends on the entry type."""
    if key == "number":
        if csl_type in _ISSUE_TYPES:
            return "issue"
        return "collection-number" if kind in ("book", "inbook", "incollection") else "number"
    if key in CONTAINER_FIELD.get(kind, ("booktitle", "booktitle")):
        return "container-title"
    if key == "howpublished":
        return "medium"
    if key == "organization":
        return "publisher"
    return _FIELD_TO_CSL[key]
