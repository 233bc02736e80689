"""One BibTeX/BibLaTeX entry to a ``Record``: the fields of both dialects mapped to CSL by
the entry type, names, dates, ``key: value`` note lines put back, and every other field kept
in ``extra`` (with the shared "unknown field" warning when no table knows it). An
``@inproceedings``' ``address`` is the publisher's place (biber's ``location``) unless it
equals the ``venue`` (the conference's place, where refconv's BibTeX and bibutils put it). A
field given twice keeps its first value (BibTeX's rule).

Read as biber reads them (issue 16): titles joined with their subtitle and addon, a
``maintitle`` as the multi-volume work, ``part`` with the volume, babel language names as
BCP 47, localisation keys as their English text, biber's literal lists split, an ``eprint``
linked, the genre an entry type implies."""

from __future__ import annotations

from typing import Any

from refconv.formats.base import ReadRules
from refconv.formats.bibtex.dates import DateFields, reductions
from refconv.formats.bibtex.decode import decode_report
from refconv.formats.bibtex.latex import KEPT_FIELD, read_kept, sort_key_field, unescape_verbatim
from refconv.formats.bibtex.names import drop_sort_markup, parse_names, split_list
from refconv.formats.bibtex.tables import (
    BIBLATEX_DATES,
    BIBSTRING_FIELDS,
    BIBSTRINGS,
    BIBTEX_TO_CSL_TYPE,
    CONTAINER_FIELD,
    CSL_TO_BIBTEX_FIELD,
    EPRINT_URLS,
    ET_AL_TAGS,
    EVENT_ENTRY_TYPES,
    IMPLIED_GENRE,
    LANGUAGE_TAGS,
    LIST_FIELDS,
    MAINTITLE_OF_CONTAINER,
    MAINTITLE_OF_TITLE,
    NAME_FIELDS,
    STATUS_TO_PUBSTATE,
    TITLE_PARTS,
    UNMAPPED_FIELDS,
)
from refconv.model import Record, SourcePos
from refconv.notes import restore_notes
from refconv.values.identifiers import find_doi
from refconv.values.pages import normalize_pages
from refconv.values.text import split_keyword_text

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
    "langid": "language", "hyphenation": "language", "eventtitle": "event-title",
    "venue": "event-place",
    "origtitle": "original-title", "chapter": "chapter-number",
})  # fmt: skip
_ISSUE_TYPES = frozenset({"article-journal", "article-magazine", "article-newspaper"})
_PUBSTATE = {v: k for k, v in STATUS_TO_PUBSTATE.items()}
#: Title pieces: each field → (the title it belongs to, its place: 0 main, 1 sub, 2 addon);
#: ``journal`` is BibTeX's name of ``journaltitle``.
_TITLE_PIECES = {
    piece: (main, i)
    for main, parts in TITLE_PARTS.items()
    for i, piece in enumerate((main, *parts))
}
_TITLE_PIECES["journal"] = ("journaltitle", 0)
_NOTE_FIELDS = {"note": "note", "annote": "annote", "annotation": "annote"}
_NAMES: dict[str, str] = {}
for _role, (_bibtex, _biblatex) in NAME_FIELDS.items():
    for _name in (_bibtex, _biblatex):
        if _name:
            _NAMES.setdefault(_name, _role)


#: Fields whose case a CSL style may change: a braced word there is case protection, kept
#: for CSL as ``<span class="nocase">`` (decode.py); the title pieces get it in _place_titles.
_NOCASE = frozenset({"series", "eventtitle", "origtitle", "shorttitle", "issuetitle",
                     "reprinttitle", "indextitle"})  # fmt: skip
#: Fields whose line breaks are the user's (the writer writes a multi-line value as lines).
_MULTI_LINE = frozenset({"abstract", "addendum"})


def _decode(
    value: str,
    rules: ReadRules,
    line: int,
    field: str,
    *,
    nocase: bool = False,
    keep_lines: bool = False,
) -> str:
    """``value`` decoded from LaTeX (``decode.decode_report``); each command refconv does
    not know gets a warning: its argument is kept as text, its meaning is lost."""
    text, unknown = decode_report(value, nocase=nocase, keep_lines=keep_lines)
    for command in unknown:
        rules.warn(
            f"{field}: unknown LaTeX command {command}; its argument is kept as text",
            line,
            code="unknown-command",
        )
    return text


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
    titles: dict[str, list[tuple[str, int] | None]] = {}  # main → [main, sub, addon]
    later: list[tuple[str, str, int]] = []  # fields placed after the titles
    for field in sorted(entry.fields, key=lambda f: _LAST.get(f.key.lower(), 0)):
        key, value = field.key.lower(), str(field.value).strip()
        if not value:
            continue
        where = (field.start_line or 0) + offset if field.start_line else line
        if key in seen:  # "title" twice, or "Title" and "title": BibTeX uses the first
            text = value if key in _VERBATIM else _decode(value, rules, where, key)
            rules.repeated(record, key, text, where)
            continue
        seen.add(key)
        if key == "key" and value in _label_keys(entry.key):
            continue  # the label key refconv writes for a key starting with "_"
        if key == KEPT_FIELD:
            kept = (str(field.value).strip(), where)  # exact: no LaTeX decoding
            continue
        if key in _TITLE_PIECES:
            main, i = _TITLE_PIECES[key]
            parts = titles.setdefault(main, [None, None, None])
            if parts[i] is None:
                parts[i] = (value, where)
            else:  # journal and journaltitle: the second is "set already"
                later.append((key, value, where))
        elif key in ("part", "issue"):
            later.append((key, value, where))
        elif key in ("year", "month", "day") or key in BIBLATEX_DATES:
            dates.setdefault(key, (value, where))
        elif key in _NOTE_FIELDS:
            var = _NOTE_FIELDS[key]
            if var in notes:  # annote and annotation: both BibLaTeX's annotation
                text = _decode(value, rules, where, key, keep_lines=True)
                rules.set_already(record, key, text, var, where)
            else:
                notes[var] = _decode(value, rules, where, key, keep_lines=True).split("; ")
        else:
            _place(record, kind, key, value, where, rules)
    _place_titles(record, kind, titles, rules)
    for key, value, where in later:
        if key == "part" and "volume" in record.fields:  # biblatex prints "7.2"
            record.fields["volume"] += "." + _decode(value, rules, where, key)
        elif key == "issue" and record.type in _ISSUE_TYPES:
            # biblatex's issue of a journal ("Spring") beside its number: CSL has one issue
            issue = _decode(value, rules, where, key)
            number = record.fields.get("issue")
            record.fields["issue"] = f"{number}, {issue}" if number else issue
        elif key in ("part", "issue"):
            record.add_extra(key, _decode(value, rules, where, key))  # CSL has no "part"
        else:
            _place(record, kind, key, value, where, rules)
    _eprint_url(record)
    if _address_is_venue(record, kind, seen):
        del record.fields["publisher-place"]
    DateFields(record, dates, rules).read()
    if kept is not None:  # refconv's values with no field, before the note's (old files)
        for piece in read_kept(record, kept[0], reductions):
            message = f"{KEPT_FIELD}: {piece!r} reads back as no value; kept"
            rules.kept(record, KEPT_FIELD, piece, message, kept[1], code="invalid-value")
    # Notes after every other field ("set already" is then known). A date the writer kept
    # whole in a note replaces the fields' date only when that is the part the fields hold
    # of it (``reductions``); any other such line stays in the note (refconv.notes).
    for var, pieces in notes.items():
        plain = [p for p in restore_notes(record, pieces, reductions) if p.strip()]
        if plain:
            rules.place(record, var, "; ".join(plain), var, line)
    if kind == "report" and record.fields.get("genre") == BIBSTRINGS["techreport"]:
        del record.fields["genre"]  # @report with type techreport is @techreport: no genre
    if kind in IMPLIED_GENRE and "genre" not in record.fields:
        record.fields["genre"] = IMPLIED_GENRE[kind]  # @phdthesis: APA's "[Doctoral ...]"
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


def _join_title(main: str, sub: str, addon: str) -> str:
    """A title as biblatex prints it with its subtitle and addon (``Main: Sub. Addon``):
    biblatex's colon (``\\subtitlepunct``) is not printed after a ``?``, ``!`` or ``:``
    that ends the main title, nor its period (``\\newunitpunct``) after any end
    punctuation (biblatex's punctuation tracker, manual §4.7.4). Pieces are decoded text."""
    text = main
    for piece, punct in ((sub, ":"), (addon, ".")):
        if not piece:
            continue
        if not text:
            text = piece
        elif text.rstrip()[-1:] in ("?", "!", ":") or (punct == "." and text[-1:] == "."):
            text = f"{text.rstrip()} {piece}"
        else:
            text = f"{text.rstrip()}{punct} {piece}"
    return text


def _place_titles(
    record: Record, kind: str, titles: dict[str, list[tuple[str, int] | None]], rules: ReadRules
) -> None:
    """Each title with its subtitle and addon; a ``maintitle`` is the multi-volume work.

    CSL's ``volume-title`` is the title of the volume cited of a multi-volume work (CSL 1.0.2
    appendix IV): so in a ``@book`` with ``maintitle`` the main title is the ``title`` and
    the book's own title the ``volume-title``; in an ``@inbook``/``@incollection`` the
    main title is the ``container-title`` and the ``booktitle`` the ``volume-title``
    (pandoc's biblatex reader reads them so too)."""
    text: dict[str, tuple[str, int]] = {}
    for main, pieces in titles.items():
        line = next(p[1] for p in pieces if p)
        decoded = [
            _decode(drop_sort_markup(p[0]), rules, p[1], main, nocase=True) if p else ""
            for p in pieces
        ]
        text[main] = (_join_title(*decoded), line)
    if "maintitle" in text:
        whole, line = text.pop("maintitle")
        if "booktitle" in text or record.type in MAINTITLE_OF_CONTAINER:
            volume = text.pop("booktitle", None)
            rules.place(record, "container-title", whole, "maintitle", line)
            key = "booktitle"
        elif record.type in MAINTITLE_OF_TITLE:
            volume = text.pop("title", None)
            rules.place(record, "title", whole, "maintitle", line)
            key = "title"
        else:  # biblatex prints no maintitle for an @article, @misc, ...: kept as written
            volume, key = None, ""
            record.add_extra("maintitle", whole)
        if volume:
            rules.place(record, "volume-title", volume[0], key, volume[1])
    for main, (value, line) in text.items():
        rules.place(record, _target(kind, main, record.type), value, main, line)


def _eprint_url(record: Record) -> None:
    """An ``eprint`` with its ``eprinttype`` (or arXiv's ``archiveprefix``) as the URL
    biblatex links it to, when the entry has no ``url``; the identifier also in its CSL
    variable (PMID, DOI) when it has one. The ``eprint`` itself stays in custom."""
    eprints = record.extra.get("eprint")
    kinds = record.extra.get("eprinttype") or record.extra.get("archiveprefix")
    if not eprints or not kinds or kinds[0].strip().lower() not in EPRINT_URLS:
        return
    url, var = EPRINT_URLS[kinds[0].strip().lower()]
    eprint = eprints[0].strip()
    record.fields.setdefault("URL", url.format(eprint))
    if var:
        record.fields.setdefault(var, eprint)


def _place(record: Record, kind: str, key: str, value: str, line: int, rules: ReadRules) -> None:
    if key not in _VERBATIM:
        value = drop_sort_markup(value)
    if key in _NAMES:
        role = _NAMES[key]
        if "\\" in value:  # names decode their parts: the unknown commands warned once here
            _decode(value, rules, line, key)
        problems: list[str] = []
        people = parse_names(value, problems)
        for problem in problems:
            rules.warn(f"{key}: {problem}", line, code="invalid-name")
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
        record.add_extra(key, _decode(value, rules, line, key))  # no CSL variable
    elif key == "keywords":
        record.keywords.extend(split_keyword_text(_decode(value, rules, line, key)))
    elif key == "pubstate":
        status = _PUBSTATE.get(value) or _decode(value, rules, line, key)
        rules.place(record, "status", status, key, line)
    elif key == "pages":
        rules.place(record, "page", normalize_pages(_decode(value, rules, line, key)), key, line)
    elif key == "crossref":
        message = f"crossref to {value!r} is not resolved; kept in custom"
        rules.kept(record, key, value, message, record.source.line, code="unresolved-reference")
    elif key in _FIELD_TO_CSL or key in ("howpublished", "organization"):
        text = _decode(
            value, rules, line, key, nocase=key in _NOCASE, keep_lines=key in _MULTI_LINE
        )
        if key in LIST_FIELDS:  # biber's literal lists: "Durham and London" is two places
            text = "; ".join(_decode(item, rules, line, key) for item in split_list(value))
        elif key in BIBSTRING_FIELDS:  # a localisation key: the text biblatex prints
            text = BIBSTRINGS.get(text.strip().lower(), text)
        elif key in ("langid", "hyphenation"):  # babel's names as BCP 47; ``language``
            # is the text biblatex prints ("English"), kept as written
            tag = LANGUAGE_TAGS.get(text.strip().lower(), text)
            if record.fields.setdefault("language", tag) != tag:
                rules.set_already(record, key, text, "language", line)  # kept as written
            return
        rules.place(record, _target(kind, key, record.type), text, key, line)
    else:  # a field no table knows: kept under its name, like an unknown RIS or Refer tag
        rules.unknown_field(record, key, _decode(value, rules, line, key), "field", line)


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
