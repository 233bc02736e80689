"""BibTeX/BibLaTeX reader, built on bibtexparser 2.

bibtexparser splits the file and resolves ``@string`` macros; refconv does the rest: month
macros, names (a name braced whole, ``{World Health Organization}``, is an organisation),
LaTeX decoded to Unicode (``{\\'e}`` → é; ``url`` and ``doi`` are kept verbatim but for the
escapes ``\\% \\# \\& \\_`` that plainnat users and refconv's writer put there), the fields of
both dialects mapped to CSL, ``key: value`` note lines written by refconv put back, and every
other field kept in ``extra`` (with the shared "unknown field" warning when no table knows
it). A field given twice keeps its first value (BibTeX's rule). An entry bibtexparser cannot
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

from refconv.formats.base import Reader, ReadRules, date_trouble, shown
from refconv.formats.bibtex.latex import sort_key_field, unescape_verbatim
from refconv.formats.bibtex.tables import (
    BIBTEX_TO_CSL_TYPE,
    CONTAINER_FIELD,
    CSL_TO_BIBTEX_FIELD,
    ET_AL_TAGS,
    MONTH_MACROS,
    NAME_FIELDS,
    STATUS_TO_PUBSTATE,
    UNMAPPED_FIELDS,
)
from refconv.model import Date, Name, Record, SourcePos
from refconv.notes import restore_notes
from refconv.values.dates import date_problem, format_date, parse_date
from refconv.values.identifiers import find_doi
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
_DATES = {
    "date": "issued",
    "urldate": "accessed",
    "eventdate": "event-date",
    "origdate": "original-date",
}
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
        people.append(Name(
            family=decode_latex(" ".join(parts.last)), given=decode_latex(" ".join(parts.first)),
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
        if key in ("year", "month", "day") or key in _DATES:
            dates.setdefault(key, (value, where))
        elif key in _NOTE_FIELDS:
            var = _NOTE_FIELDS[key]
            if var in notes:  # annote and annotation: both BibLaTeX's annotation
                rules.keep(record, key, decode_latex(value), f"{var} is set already", where)
            else:
                notes[var] = decode_latex(value).split("; ")
        else:
            _place(record, kind, key, value, where, rules)
    # Notes after the other fields ("set already" is then known), before the dates: a date
    # the writer kept in a note is checked against the date fields as they are read.
    for var, pieces in notes.items():
        plain = [p for p in restore_notes(record, pieces) if p.strip()]
        if plain:
            rules.place(record, var, "; ".join(plain), var, line)
    _Dates(record, dates, rules).read()
    if record.fields.get("genre") in _DEFAULT_SUBTYPES.get(kind, ()):
        del record.fields["genre"]  # BibLaTeX's type key for the entry type: no genre
    if kind == "mastersthesis" and "genre" not in record.fields:
        record.fields["genre"] = "Master's thesis"  # the only trace of "masters" in CSL
    rules.no_title(record)
    return record


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


class _Dates:
    """The date fields of one entry into CSL dates (BibTeX manual §B; biblatex manual §2.3.8).

    ``year``/``month``/``day`` make ``issued`` unless a readable ``date`` does (then they must
    agree with it). Numbers are ASCII digits only (``str.isdigit`` accepts '²', which ``int``
    refuses), checked with ``date_problem`` before a ``Date`` is built. A value that makes no
    date, or says more than one, is kept whole (the literal date when nothing else gives
    one, else in custom under its field name) with a warning naming its line and field: the
    rule of the RIS and Refer readers.
    """

    def __init__(
        self, record: Record, fields: dict[str, tuple[str, int]], rules: ReadRules
    ) -> None:
        self.record, self.fields, self.rules = record, fields, rules
        self.unread: list[tuple[str, str]] = []  # (field, why) to keep in custom
        self.status = ""  # "in press" in the year field
        self.bad_year = ""  # why the year field is no year

    def read(self) -> None:
        for key, var in _DATES.items():
            if key != "date" and key in self.fields:
                date, why = self._field(key)
                known = self.record.dates.get(var)  # from a note refconv wrote
                if date is not None and known in (None, date):
                    self.record.dates[var] = date
                elif known is not None:
                    self._keep(key, why or f"{var} is {format_date(known)!r} already")
                else:
                    self._literal(key, why, var)
        ymd_keys = [k for k in ("year", "month", "day") if k in self.fields]
        date, why = self._field("date") if "date" in self.fields else (None, "")
        if "year" not in self.fields and date is not None and len(date.parts) == 1:
            self.fields["year"] = (str(date.parts[0][0]), 0)  # month/day are checked against it
            ymd_keys = [k for k in ymd_keys if k != "year"]
        if date is not None:
            before = len(self.unread)
            ymd = self._ymd() if "year" in self.fields else None
            disagree = f"does not agree with date {shown(self.fields['date'][0])}"
            if ymd is None and "year" in ymd_keys:
                self._keep("year", self.bad_year or disagree)
            elif ymd is not None and not _agrees(ymd, date):
                self.unread[before:] = [(k, disagree) for k in ymd_keys]
            self.record.dates["issued"] = date
        else:
            ymd = self._ymd() if "year" in self.fields else None
            if "year" not in self.fields:
                for key in ("month", "day"):
                    if key in self.fields:
                        self._keep(key, "no year to go with")
            if "date" in self.fields:
                if ymd is None and not self.status:
                    self._literal("date", why, "issued")
                else:
                    self._keep("date", why)
            if self.status:
                self.record.fields.setdefault("status", self.status)
            elif self.bad_year and "issued" not in self.record.dates:
                self._literal("year", self.bad_year, "issued")
            elif self.bad_year:
                self._keep("year", self.bad_year)
            if ymd is not None:
                self.record.dates["issued"] = ymd
        for key, why in self.unread:
            text, line = self.fields[key]
            self.rules.keep(self.record, key, text, why, line)

    def _field(self, key: str) -> tuple[Date | None, str]:
        """A date field: ISO 8601 / EDTF as biblatex wants, or text a person wrote."""
        text = self.fields[key][0]
        date, why = parse_edtf(text)
        if date is None and not why and (open_range := _OPEN_RANGE.fullmatch(text.strip())):
            known = open_range["start"] or open_range["end"]
            date, why = parse_edtf(known)
            if date is not None and len(date.parts) == 1:
                side = "start" if open_range["start"] else "end"
                self._keep(key, f"an open range; only its {side} is a date")
                return date, ""
            date, why = None, ""
        if date is None and not why:
            parsed = parse_date(text)
            if parsed.kind == "date" and parsed.leftover:  # the date is used, the text kept
                self._keep(key, date_trouble(parsed))
            if parsed.kind == "date":
                return parsed.date, ""
            why = date_trouble(parsed)
        return date, why

    def _literal(self, key: str, why: str, var: str) -> None:
        text, line = self.fields[key]
        self.record.dates[var] = self.rules.literal_date(key, text, why, line)

    def _keep(self, key: str, why: str) -> None:
        """Keep ``key`` in custom (once), with a warning: no date here says what it says."""
        if all(k != key for k, _ in self.unread):
            self.unread.append((key, why))

    def _ymd(self) -> Date | None:
        """``issued`` from ``year``, ``month`` and ``day``; None if the year is none."""
        text = self.fields["year"][0]
        year, why = _year(text)
        if year is None and not why:
            parsed = parse_date(text.replace("--", "-"))
            if parsed.kind == "status":
                self.status = parsed.status
            elif parsed.kind == "date":
                year = parsed.date
                if parsed.leftover:  # the year is used, the text kept
                    self._keep("year", date_trouble(parsed))
            else:
                why = date_trouble(parsed)
        if year is None:
            self.bad_year = why
            for key in ("month", "day"):
                if key in self.fields:
                    self._keep(key, "no year to go with")
            return None
        if "month" not in self.fields:
            if "day" in self.fields:
                self._keep("day", "no month to go with")
            return year
        if len(year.parts) != 1 or len(year.parts[0]) != 1 or year.season:
            for key in ("month", "day"):
                if key in self.fields:
                    self._keep(key, f"year {shown(text)} is more than one year")
            return year
        return self._month_day(year)

    def _month_day(self, year: Date) -> Date:
        y = year.parts[0][0]
        month, day, season, why = _month(self.fields["month"][0])
        if why:
            self._keep("month", why)
            if "day" in self.fields:
                self._keep("day", "no month to go with")
            return year
        if season or month is None:
            if "day" in self.fields:
                self._keep("day", "a season has no day")
            return Date(year.parts, season=season, circa=year.circa)
        if "day" in self.fields:
            number, why = _number(self.fields["day"][0], 2)
            if why:
                self._keep("day", why)
            elif day is not None and number != day:
                self._keep("day", f"the month says day {day}")
            else:
                day = number
        if day is not None and (why := date_problem(((y, month, day),))):
            self._keep("day" if "day" in self.fields else "month", why)
            day = None
        parts = (y, month) if day is None else (y, month, day)
        return Date((parts,), circa=year.circa)


_INTEGER = re.compile(r"-?[0-9]+")  # ASCII digits: str.isdigit also takes '²' and '٣'
_YEAR_RANGE = re.compile(r"(-?[0-9]+)--(-?[0-9]+)")  # "1996--2004", "-44--40"


def _number(text: str, digits: int) -> tuple[int, str]:
    """An integer of at most ``digits`` digits, or why it is none (no ``int`` of a long run:
    Python refuses more than 4300 digits)."""
    value = text.strip().strip("{}").strip()
    if not _INTEGER.fullmatch(value):
        return 0, "not a number"
    if len(value.lstrip("-").lstrip("0")) > digits:
        return 0, "out of range"
    return int(value), ""


def _year(text: str) -> tuple[Date | None, str]:
    """The BibTeX ``year`` as a signed whole number or a range "1996--2004" (CSL years: -44
    is 44 BC); (None, "") if it is no number (text for ``parse_date``), (None, why) if it is
    one out of range."""
    value = text.strip().replace("{", "").replace("}", "")  # "-44--{-40}", as written
    pieces = [value] if _INTEGER.fullmatch(value) else None
    if m := _YEAR_RANGE.fullmatch(value):
        pieces = [m[1], m[2]]
    if pieces is None:
        return None, ""
    years = []
    for piece in pieces:
        number, why = _number(piece, 4)
        if why:
            return None, why + " (-9999 to 9999)"
        years.append(number)
    parts = tuple((y,) for y in years)
    if why := date_problem(parts):
        return None, why
    if len(years) == 2 and years[1] <= years[0]:
        return None, "the range ends before it starts"
    return Date(parts), ""


def _month(text: str) -> tuple[int | None, int | None, int | None, str]:
    """(month, day, season, why not) of a ``month`` field: a number, a month macro or name,
    ``jan # "~15"`` (BibTeX's way to add a day), or a season word."""
    value = re.sub(r'[#"{}~]', " ", text).strip()
    if _INTEGER.fullmatch(value):
        number, why = _number(value, 2)
        if not why and not 1 <= number <= 12:
            why = f"month {number} is not 1-12"
        return (None, None, None, why) if why else (number, None, None, "")
    if value.lower() in MONTH_MACROS:
        return MONTH_MACROS.index(value.lower()) + 1, None, None, ""
    parsed = parse_date(value)
    if parsed.kind == "partial" and not parsed.leftover and (parsed.month or not parsed.day):
        return parsed.month, parsed.day, parsed.season if not parsed.month else None, ""
    return None, None, None, "not a month"


#: EDTF level 0/1 as biblatex reads it: years of four digits or more with a sign, "/" ranges,
#: seasons 21-24, "~" circa (biblatex manual §2.3.8).
_EDTF = re.compile(r"(-?[0-9]{4,})(?:-([0-9]{2}))?(?:-([0-9]{2}))?", re.ASCII)


#: An EDTF range open (``..``) or unknown (empty) at one end: "1998/..", "../1998", "1998-05/"
#: (EDTF level 1, which biblatex reads). CSL-JSON has no open range: citeproc-js prints
#: date-parts ``[[1998], [0]]`` as "1998–", but that is its own convention, outside the CSL
#: schema, and year 0 is no date to refconv's model and to every other writer. So the known
#: end is the date and the field's text is kept in custom, with a warning (STYLE.md §4b).
_OPEN_RANGE = re.compile(r"(?:\.\.|)/(?P<end>[^/]+)|(?P<start>[^/]+)/(?:\.\.|)")


def parse_edtf(text: str) -> tuple[Date | None, str]:
    """(date, "") for an ISO 8601-2 / EDTF date; (None, why) if it has that form but is no
    date (``2020-13``, ``2021-02-30``, year 10000); (None, "") if it is not of that form.

    EDTF years are astronomical, as biber reads them: "0000" is 1 BC, "-0043" 44 BC (biblatex
    manual §2.3.8, table "Date Specifications"); CSL has no year 0, so -1 is 1 BC.
    """
    value = text.strip()
    circa = value.endswith("~")
    parts: list[tuple[int, ...]] = []
    season = None
    for piece in value.rstrip("~").split("/"):
        m = _EDTF.fullmatch(piece.strip())
        if not m:
            return None, ""
        year, why = _number(m[1], 4)
        if why:
            return None, why + " (-9999 to 9999)"
        numbers = [year if year > 0 else year - 1] + [int(g) for g in (m[2], m[3]) if g]
        if len(numbers) == 2 and 21 <= numbers[1] <= 24:
            if len(parts) or "/" in value:
                return None, "a season in a range"
            season, numbers = numbers[1] - 20, numbers[:1]
        parts.append(tuple(numbers))
    if why := date_problem(tuple(parts)):
        return None, why
    return Date(tuple(parts), season=season, circa=circa), ""


def _agrees(ymd: Date, date: Date) -> bool:
    """True when year/month/day say no more than ``date`` does (the writer gives both)."""
    if not ymd.parts or not date.parts or len(ymd.parts) != len(date.parts):
        return False
    return all(full[: len(part)] == part for part, full in zip(ymd.parts, date.parts, strict=True))


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
