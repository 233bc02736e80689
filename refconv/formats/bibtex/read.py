"""BibTeX/BibLaTeX reader, built on bibtexparser 2.

bibtexparser splits the file and resolves ``@string`` macros; refconv does the rest: month
macros, names (a name braced whole, ``{World Health Organization}``, is an organisation),
LaTeX decoded to Unicode (``{\\'e}`` → é; ``url`` and ``doi`` are kept verbatim but for the
escapes ``\\% \\# \\& \\_`` that plainnat users and refconv's writer put there), the fields of
both dialects mapped to CSL, ``key: value`` note lines written by refconv put back, and every
other field kept in ``extra`` (with the shared "unknown field" warning when no table knows
it). An ``@inproceedings``' ``address`` is the publisher's place (biber's ``location``)
unless it equals the ``venue`` (the conference's place, where refconv's BibTeX and bibutils
put it). A field given twice keeps its first value (BibTeX's rule). An entry bibtexparser cannot
parse is reported as an error with its line and skipped; the others are read; a ``@preamble``
is reported as not carried. bibtexparser parses whole strings, so this reader holds one chunk
of entries in memory (the others stream).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from refconv.formats.base import Reader, ReadRules
from refconv.formats.bibtex.dates import DateFields, reductions
from refconv.formats.bibtex.latex import sort_key_field, unescape_verbatim
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
from refconv.model import Name, Record, SourcePos
from refconv.notes import restore_notes
from refconv.values.identifiers import find_doi
from refconv.values.names import split_dropping_particle
from refconv.values.pages import normalize_pages

if TYPE_CHECKING:
    from pylatexenc.latex2text import LatexNodes2Text

_VERBATIM = frozenset({"url", "doi", "file", "eprint"})
_ESCAPES = {
    r"\textbraceleft{}": "\ue000", r"\textbraceright{}": "\ue001", r"\{": "\ue000",
    r"\}": "\ue001", r"\textbackslash{}": "\ue002", r"\textasciitilde{}": "\ue003",
    r"\textasciicircum{}": "\ue004", r"\$": "\ue005", r"\&": "\ue006", r"\%": "\ue007",
    r"\#": "\ue008", r"\_": "\ue009",
}  # fmt: skip
# The same escapes braced as BibTeX special characters, as the writer puts them in names.
_ESCAPES |= {
    "{" + k.removesuffix("{}") + ("\\/" if k.endswith("{}") else "") + "}": v
    for k, v in _ESCAPES.items()
    if len(k) > 2
}
_ESCAPES[r"{\symbol{44}}"] = ","  # the writer's comma in a name part
# Placeholders until pylatexenc is done: a bare % would start a LaTeX comment.
_RESTORE = str.maketrans({"\ue000": "{", "\ue001": "}", "\ue002": "\\", "\ue003": "~",
                          "\ue004": "^", "\ue005": "$", "\ue006": "&", "\ue007": "%",
                          "\ue008": "#", "\ue009": "_"})  # fmt: skip
_ESCAPE_RE = re.compile("|".join(re.escape(e) for e in sorted(_ESCAPES, key=len, reverse=True)))
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


@lru_cache(maxsize=1)
def _latex2text() -> LatexNodes2Text:
    from pylatexenc.latex2text import LatexNodes2Text

    return LatexNodes2Text(math_mode="verbatim", strict_latex_spaces=True)


def decode_latex(value: str) -> str:
    """LaTeX to Unicode: accents, escapes (refconv's own among them), protective braces."""
    if "\\" not in value and "{" not in value and "$" not in value and "~" not in value:
        return value
    protected = _ESCAPE_RE.sub(lambda m: _ESCAPES[m[0]], value)
    if "\\" not in protected and "$" not in protected and "~" not in protected:
        # Only braces are left, and braces only group: the same result as pylatexenc's
        # (checked on the 300-record hostile corpus), at a hundredth of the time.
        return protected.replace("{", "").replace("}", "").translate(_RESTORE)
    try:
        text: str = _latex2text().latex_to_text(protected)
    except Exception:  # pylatexenc gives up on odd input: keep the text as it was
        text = protected
    return text.translate(_RESTORE)


def parse_names(value: str) -> list[Name | None]:
    """BibTeX name list → names; a name braced whole is an organisation (a literal); None
    stands for "others" (et al.)."""
    from bibtexparser.middlewares.names import (
        parse_single_name_into_parts,
        split_multiple_persons_names,
    )

    people: list[Name | None] = []
    for raw in split_multiple_persons_names(value):
        raw = raw.strip()
        if raw.lower() == "others":
            people.append(None)
            continue
        if raw.startswith("{") and raw.endswith("}") and _all_braced(raw):
            people.append(Name(literal=decode_latex(raw)))
            continue
        try:
            parts = parse_single_name_into_parts(raw, strict=False)
        except Exception:
            people.append(Name(literal=decode_latex(raw)))
            continue
        lower = [i for i, token in enumerate(parts.first) if token[:1].islower()]
        if lower and not parts.von and not _top_level_comma(raw):
            # BibTeX's "First von Last": von starts at the first lower-case word, also when
            # no First precedes it ("van Gogh"), which bibtexparser reads as a given name
            parts.von, parts.first = parts.first[lower[0] :], parts.first[: lower[0]]
        given, dropping = " ".join(parts.first), ""
        if _top_level_comma(raw):  # "Gaulle, Charles de": biber's given={Charles de}, CSL's
            # dropping particle (values/names.py); split as written, so a braced "{y}" stays
            given, dropping = split_dropping_particle(given)
        given, dropping = decode_latex(given), decode_latex(dropping)
        people.append(Name(
            family=decode_latex(" ".join(parts.last)), given=given, dropping_particle=dropping,
            particle=decode_latex(" ".join(parts.von)), suffix=decode_latex(" ".join(parts.jr)),
        ))  # fmt: skip
    return people


def _top_level_comma(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if ch == "," and depth == 0:
            return True
    return False


def _label_keys(key: str) -> tuple[str, ...]:
    """The ``key`` field the writer adds for ``key`` (``sort_key_field``), bare and braced."""
    field = sort_key_field(key)
    return (field, "{" + field + "}") if field else ()


def _all_braced(text: str) -> bool:
    """True when every character of ``text`` is inside a brace group (``{OECD}``, or the
    writer's ``{Smith }{\\&}{ Co}``): BibTeX cannot split such a name, so it is a literal."""
    depth = 0
    for ch in text:
        if depth == 0 and ch != "{":
            return False
        depth += {"{": 1, "}": -1}.get(ch, 0)
    return depth == 0


class BibtexReader(Reader):
    """Read BibTeX and BibLaTeX (``.bib``)."""

    name = "bibtex"
    aliases = ("bib", "biblatex")
    suffixes = (".bib",)
    description = "BibTeX and BibLaTeX databases"

    @classmethod
    def sniff(cls, head: str) -> bool:
        """True when the first line that is not blank or a % comment starts with ``@``."""
        for line in head.splitlines():
            stripped = line.strip().lstrip("\ufeff")
            if stripped and not stripped.startswith("%"):
                return stripped.startswith("@")
        return False

    def read(self, lines: Iterable[str], path: str) -> Iterator[Record]:
        """Yield one record per entry, in file order, parsing a chunk of entries at a time
        (memory holds one chunk, not the file); ``@string`` macros carry over chunks."""
        from bibtexparser.entrypoint import parse_string
        from bibtexparser.library import Library
        from bibtexparser.model import Block, DuplicateBlockKeyBlock, Preamble

        # Both libraries log to the root logger (stderr); their failures are reported below
        # as diagnostics with their lines, and pylatexenc's complaints about odd LaTeX
        # ("Expected exactly one argument for '\\input'") would be stray stderr lines.
        loggers = [logging.getLogger(name) for name in ("bibtexparser", "pylatexenc")]
        levels = [logger.level for logger in loggers]
        for logger in loggers:
            logger.setLevel(logging.CRITICAL)
        rules = ReadRules(self.diagnostics, path)
        strings: list[Any] = []
        found = False
        try:
            for first, text in _chunks(lines):
                library = parse_string(text, library=Library(strings))
                strings = list(library.strings)
                blocks: dict[int, Block] = {(e.start_line or 0) + first: e for e in library.entries}
                for failed in library.failed_blocks:
                    line = (failed.start_line or 0) + first
                    block: Block = failed
                    if isinstance(failed, DuplicateBlockKeyBlock):  # keys are made unique later
                        again = parse_string(failed.raw or "", library=Library(strings))
                        block = (again.entries or again.failed_blocks or [failed])[0]
                    blocks[line] = _with_repeated_fields(block, strings)
                for preamble in library.preambles:
                    blocks[(preamble.start_line or 0) + first] = preamble
                for line in sorted(blocks):
                    block = blocks[line]
                    if isinstance(block, Preamble):
                        # Not a record: no CSL item can hold it. Keeping it for BibTeX output
                        # is issue 16's job; until then it is reported, not dropped silently.
                        rules.warn("@preamble is not a record; not carried (skipped)", line)
                        continue
                    found = True
                    if hasattr(block, "error"):
                        self.diagnostics.error(_failure(block), path, line)
                    else:
                        yield _record(block, line, rules)
        finally:
            for logger, level in zip(loggers, levels, strict=True):
                logger.setLevel(level)
        if not found:
            rules.no_records("a BibTeX entry starts with '@'")


def _with_repeated_fields(block: Any, strings: list[Any]) -> Any:
    """The entry of a block that failed only for a field given twice, read as bibtexparser
    reads any entry (``@string`` macros resolved, enclosing braces removed); other blocks as
    they are. ``_record`` then uses the first value and keeps the others.

    Classic BibTeX does the same ("I'm ignoring k's extra "title" field": the first value is
    used, with a warning); biber (2.19, ``--tool``) silently uses the last. refconv follows
    BibTeX and keeps the later values in custom with the shared "repeated" warning.
    """
    from bibtexparser.library import Library
    from bibtexparser.middlewares import (
        RemoveEnclosingMiddleware,
        ResolveStringReferencesMiddleware,
    )
    from bibtexparser.model import DuplicateFieldKeyBlock

    if not isinstance(block, DuplicateFieldKeyBlock) or block.ignore_error_block is None:
        return block
    library = Library([*strings, block.ignore_error_block])
    for middleware in (
        ResolveStringReferencesMiddleware(allow_inplace_modification=True),
        RemoveEnclosingMiddleware(allow_inplace_modification=True),
    ):
        library = middleware.transform(library)
    return library.entries[0] if library.entries else block


#: Input fields read after the others: ``organization`` is the publisher only when there
#: is no ``publisher`` field (else it is kept, with a warning, under its own name).
_LAST = {"organization": 1}


def _record(entry: Any, line: int, rules: ReadRules) -> Record:
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


#: Lines per chunk handed to bibtexparser: big enough that its per-call cost does not show.
CHUNK_LINES = 5000


def _chunks(lines: Iterable[str]) -> Iterator[tuple[int, str]]:
    """(first line number, text) of runs of whole entries: a chunk ends before a line that
    starts with ``@`` outside braces, once it has ``CHUNK_LINES`` lines."""
    chunk: list[str] = []
    first = depth = 0
    for number, line in enumerate(lines, 1):
        if len(chunk) >= CHUNK_LINES and depth <= 0 and line.lstrip().startswith("@"):
            yield first, "\n".join(chunk)
            chunk, depth = [], 0
        if not chunk:
            first = number
        chunk.append(line)
        if "{" in line or "}" in line:
            depth += line.count("{") - line.count("\\{") - line.count("}") + line.count("\\}")
            depth = max(depth, 0)  # a stray "}" must not make the next "{" look closed
    if chunk:
        yield first, "\n".join(chunk)


def _failure(block: Any) -> str:
    reason = str(getattr(block, "error", "")) or type(block).__name__
    return f"cannot parse this BibTeX entry ({reason.splitlines()[0][:120]}); skipped"
