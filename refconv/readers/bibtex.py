"""BibTeX/BibLaTeX reader, built on bibtexparser 2.

bibtexparser splits the file and resolves ``@string`` macros; refconv does the rest: month
macros, names (a name braced whole, ``{World Health Organization}``, is an organisation),
LaTeX decoded to Unicode (``{\\'e}`` → é; ``url`` and ``doi`` are kept verbatim but for the
escapes ``\\% \\# \\& \\_`` that plainnat users and refconv's writer put there), the fields of
both dialects mapped to CSL, ``key: value`` note lines written by refconv put back, and every
other field kept in ``extra``. An entry bibtexparser cannot parse is reported as an error with
its line and skipped; the others are read. bibtexparser parses whole strings, so this reader
holds one file in memory (the others stream).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

from ..dates import parse_date, parse_iso_date
from ..latex import unescape_verbatim
from ..mappings.bibtex import (
    BIBTEX_TO_CSL_TYPE,
    CONTAINER_FIELD,
    CSL_TO_BIBTEX_FIELD,
    ET_AL_TAGS,
    MONTH_MACROS,
    NAME_FIELDS,
    STATUS_TO_PUBSTATE,
)
from ..model import Date, Name, Record, SourcePos
from ..notes import parse_note_line, restore
from ..values import find_doi, normalize_pages
from . import Reader

_VERBATIM = frozenset({"url", "doi", "file", "eprint"})
_ESCAPES = {
    r"\textbraceleft{}": "\ue000", r"\textbraceright{}": "\ue001", r"\{": "\ue000",
    r"\}": "\ue001", r"\textbackslash{}": "\ue002", r"\textasciitilde{}": "\ue003",
    r"\textasciicircum{}": "\ue004", r"\$": "\ue005", r"\&": "\ue006", r"\%": "\ue007",
    r"\#": "\ue008", r"\_": "\ue009",
}  # fmt: skip
# Placeholders until pylatexenc is done: a bare % would start a LaTeX comment.
_RESTORE = str.maketrans({"\ue000": "{", "\ue001": "}", "\ue002": "\\", "\ue003": "~",
                          "\ue004": "^", "\ue005": "$", "\ue006": "&", "\ue007": "%",
                          "\ue008": "#", "\ue009": "_"})  # fmt: skip
_ESCAPE_RE = re.compile("|".join(re.escape(e) for e in sorted(_ESCAPES, key=len, reverse=True)))
_FIELD_TO_CSL = {}
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
_DATES = {
    "date": "issued",
    "urldate": "accessed",
    "eventdate": "event-date",
    "origdate": "original-date",
}
_PUBSTATE = {v: k for k, v in STATUS_TO_PUBSTATE.items()}
_DEFAULT_SUBTYPES = {"thesis": ("phdthesis",), "report": ("techreport",)}
_NOTE_FIELDS = {"note": "note", "annote": "annote", "annotation": "annote"}
_NAMES = {}
for _role, (_bibtex, _biblatex) in NAME_FIELDS.items():
    for _name in (_bibtex, _biblatex):
        if _name:
            _NAMES.setdefault(_name, _role)


@lru_cache(maxsize=1)
def _latex2text():
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
        text = _latex2text().latex_to_text(protected)
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

    people = []
    for raw in split_multiple_persons_names(value):
        raw = raw.strip()
        if raw.lower() == "others":
            people.append(None)
            continue
        if raw.startswith("{") and raw.endswith("}") and _encloses(raw):
            people.append(Name(literal=decode_latex(raw[1:-1])))
            continue
        try:
            parts = parse_single_name_into_parts(raw, strict=False)
        except Exception:
            people.append(Name(literal=decode_latex(raw)))
            continue
        people.append(Name(
            family=decode_latex(" ".join(parts.last)), given=decode_latex(" ".join(parts.first)),
            particle=decode_latex(" ".join(parts.von)), suffix=decode_latex(" ".join(parts.jr)),
        ))  # fmt: skip
    return people


def _encloses(text: str) -> bool:
    """True when the first brace of ``text`` closes at its last character."""
    depth = 0
    for i, ch in enumerate(text):
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth == 0:
            return i == len(text) - 1
    return False


def _month(value: str) -> int | None:
    text = value.strip().lower()[:3]
    if text.isdigit():
        return int(text) if 1 <= int(text) <= 12 else None
    return MONTH_MACROS.index(text) + 1 if text in MONTH_MACROS else None


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
        import bibtexparser
        from bibtexparser.library import Library
        from bibtexparser.model import DuplicateBlockKeyBlock

        logger = logging.getLogger("bibtexparser")
        level = logger.level
        logger.setLevel(logging.CRITICAL)  # failures are reported below, with their lines
        strings: list = []
        found = False
        try:
            for first, text in _chunks(lines):
                library = bibtexparser.parse_string(text, library=Library(strings))
                strings = list(library.strings)
                blocks = {(e.start_line or 0) + first: e for e in library.entries}
                for block in library.failed_blocks:
                    line = (block.start_line or 0) + first
                    if isinstance(block, DuplicateBlockKeyBlock):  # keys are made unique later
                        again = bibtexparser.parse_string(block.raw, library=Library(strings))
                        block = again.entries[0] if again.entries else block
                    blocks[line] = block
                for line in sorted(blocks):
                    found = True
                    block = blocks[line]
                    if hasattr(block, "error"):
                        self.diagnostics.error(_failure(block), path, line)
                    else:
                        yield self._record(block, path, line)
        finally:
            logger.setLevel(level)
        if not found:
            self.diagnostics.warn("no records found (a BibTeX entry starts with '@')", path, 1)

    def _record(self, entry, path: str, line: int) -> Record:
        kind = entry.entry_type.lower()
        record = Record(
            type=BIBTEX_TO_CSL_TYPE.get(kind, "document"),
            source=SourcePos(path, line),
            fields={"citation-key": entry.key},
        )
        if kind not in BIBTEX_TO_CSL_TYPE:
            self.diagnostics.warn(
                f"unknown entry type @{kind}; read as misc (kept in custom)", path, line
            )
            record.add_extra("entrytype", kind)
        date_parts: dict[str, str] = {}
        for field in entry.fields:
            key, value = field.key.lower(), str(field.value).strip()
            if value:
                self._place(record, kind, key, value, date_parts)
        _finish_date(record, date_parts)
        if record.fields.get("genre") in _DEFAULT_SUBTYPES.get(kind, ()):
            del record.fields["genre"]  # BibLaTeX's type key for the entry type: no genre
        if kind == "mastersthesis" and "genre" not in record.fields:
            record.fields["genre"] = "Master's thesis"  # the only trace of "masters" in CSL
        if "title" not in record.fields:
            self.diagnostics.warn("record has no title", path, line)
        return record

    def _place(self, record: Record, kind: str, key: str, value: str, date_parts) -> None:
        fields = record.fields
        if key in _NAMES:
            role = _NAMES[key]
            people = parse_names(value)
            record.names.setdefault(role, []).extend(p for p in people if p is not None)
            if None in people:  # "and others": kept as the Refer reader keeps "et al."
                record.add_extra(ET_AL_TAGS.get(role, role), "et al.")
        elif key in ("year", "month", "day"):
            date_parts[key] = value
        elif key in _DATES:
            date = parse_iso_date(value) or parse_date(value).date
            if date is not None:
                record.dates[_DATES[key]] = date
            else:
                record.add_extra(key, value)
        elif key in _VERBATIM:
            target = {"url": "URL", "doi": "DOI"}.get(key)
            if target:
                value = unescape_verbatim(value)
                fields.setdefault(target, find_doi(value) or value if key == "doi" else value)
            else:
                record.add_extra(key, value)
        elif key in _NOTE_FIELDS:
            self._note(record, _NOTE_FIELDS[key], decode_latex(value))
        elif key == "keywords":
            sep = ";" if ";" in value else ","
            record.keywords.extend(k.strip() for k in decode_latex(value).split(sep) if k.strip())
        elif key == "pubstate":
            fields.setdefault("status", _PUBSTATE.get(value, decode_latex(value)))
        elif key == "pages":
            fields.setdefault("page", normalize_pages(decode_latex(value)))
        elif key == "crossref":
            self.diagnostics.warn(
                f"crossref to {value!r} is not resolved; kept in custom",
                record.source.path,
                record.source.line,
            )
            record.add_extra(key, value)
        elif key in _FIELD_TO_CSL or key in ("howpublished", "organization"):
            var = _target(kind, key, record.type)
            text = decode_latex(value)
            if fields.setdefault(var, text) != text:
                record.add_extra(key, text)
        else:
            record.add_extra(key, decode_latex(value))

    @staticmethod
    def _note(record: Record, var: str, text: str) -> None:
        plain = []
        for piece in text.split("; "):
            keyed = parse_note_line(piece)
            if keyed:
                restore(record, *keyed)
            elif piece.strip():
                plain.append(piece)
        if plain:
            record.fields[var] = "; ".join(plain)


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


def _finish_date(record: Record, parts: dict[str, str]) -> None:
    if "issued" in record.dates or "year" not in parts:
        if "year" in parts and "issued" in record.dates:
            return
        if "month" in parts:
            record.add_extra("month", parts["month"])
        return
    parsed = parse_date(parts["year"].replace("--", "-"))
    if parsed.kind == "status":
        record.fields.setdefault("status", parsed.status)
        return
    if parsed.date is None or not parsed.date.parts:
        record.dates["issued"] = Date(literal=parts["year"])
        return
    month = _month(parts.get("month", ""))
    if month and len(parsed.date.parts) == 1:
        day = parts.get("day", "")
        date = (parsed.date.parts[0][0], month) + ((int(day),) if day.isdigit() else ())
        record.dates["issued"] = Date((date,))
    else:
        record.dates["issued"] = parsed.date


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


def _failure(block) -> str:
    reason = str(getattr(block, "error", "")) or type(block).__name__
    return f"cannot parse this BibTeX entry ({reason.splitlines()[0][:120]}); skipped"
