"""BibTeX and BibLaTeX writers.

Entries are built as bibtexparser ``Entry``/``Field`` objects and written one at a time (memory
stays flat) in bibtexparser's layout by ``format_entry``: values arrive already escaped and
enclosed, so nothing of bibtexparser's writing machinery is needed. Every value is escaped for
LaTeX (``latex``); ``url`` and ``doi``, which consumers read verbatim, are written so that no
TeX reading runs them (``escape_url``, ``escape_doi``): the same URL, percent- or
backslash-escaped, and a DOI that cannot be written so goes to the note with a warning. Keys
keep only characters that are ordinary in ``\\cite`` and ``\\bibitem``. Data with no field goes
into the ``refconv`` field (``KEPT_FIELD``) as ``key: value`` lines (``refconv.notes``), which
no style prints and biber skips silently, never into the printed ``note`` (issue 16). A child's
``crossref`` is written back as itself, a ``@preamble`` the reader kept only when it is inert
(``preamble_problem``). CSL rich text becomes LaTeX (``rich_text``), and characters pdfLaTeX
cannot take as UTF-8 their math form (``math_to_latex``); page ranges get ``--`` whatever dash
joined them. A language tag is ``langid``; BibLaTeX gets ``addendum`` and the eprint fields
back from custom. Field order is ``BIBTEX_FIELD_ORDER``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, ClassVar, TextIO

from bibtexparser.model import Entry, Field

from refconv.formats.base import Writer
from refconv.formats.bibtex.dates import held
from refconv.formats.bibtex.latex import (
    KEPT_FIELD,
    braces_balance,
    escape,
    escape_doi,
    escape_special,
    escape_url,
    join_kept,
    kept_line,
    math_to_latex,
    protect_title,
    rich_text,
    sort_key_field,
    to_latex_ascii,
    unescape_verbatim,
    url_changes,
)
from refconv.formats.bibtex.tables import (
    BIBLATEX_SUBTYPES,
    BIBTEX_FIELD_ORDER,
    BIBTEX_TO_CSL_TYPE,
    CONTAINER_FIELD,
    CSL_TO_BIBTEX_FIELD,
    CSL_TO_BIBTEX_TYPE,
    DATE_FIELDS,
    ET_AL_TAGS,
    EVENT_ENTRY_TYPES,
    EVENT_FALLBACK,
    IMPLIED_GENRE,
    KEY_UNSAFE,
    LANGID_OF_TAG,
    LIST_FIELDS,
    MAINTITLE_OF_CONTAINER,
    MAINTITLE_OF_TITLE,
    MONTH_MACROS,
    NAME_FIELDS,
    PUBLISHER_FIELD,
    STATUS_TO_PUBSTATE,
    VERBATIM_FIELDS,
)
from refconv.keys import ascii_key
from refconv.model import Date, Name, Record
from refconv.notes import CustomKey, name_notes, note_line
from refconv.values.dates import format_date, year_text
from refconv.values.names import is_et_al, split_dropping_particle
from refconv.values.text import join_keywords

if TYPE_CHECKING:
    from refconv.codes import Messages

_ORDER = {name: i for i, name in enumerate(BIBTEX_FIELD_ORDER)}
_AND = re.compile(r"\band\b", re.IGNORECASE)
_MASTERS = frozenset({"master", "masters", "master's", "ms", "msc", "ma", "mphil", "mres"})
_ENGLISH = frozenset({"en", "eng", "english", "en-us", "en-gb", "en_us", "en_gb"})


#: Room for the names in a label, in bytes. bibtex(1) truncates an entry string at its
#: entry-string-size, 500 bytes in TeX Live ("you've exceeded 500, the entry-string-size"),
#: mid-escape and with braces open; plainnat's label is "A and B(year" or "A et~al.(year"
#: (calc.label), the year at most 20 characters as refconv writes it.
LABEL_ROOM = 470


def _utf8_length(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))


def _unmarked_particle(person: Name) -> str:
    """The particle of ``person`` BibTeX's name syntax cannot mark as one, or ""."""
    if split_dropping_particle(person.dropping_particle)[0]:
        return person.dropping_particle
    if any(not word[:1].islower() for word in person.particle.split()):
        return person.particle
    return ""


def _over_long(e: _Entry, people: list[Name]) -> list[Name]:
    """The names to keep out of a BibTeX name field so that plainnat's label fits: the longer
    of the (at most two) names the label is made of, until it fits."""
    kept, out = list(people), []
    while kept:
        lengths = [e.label_length(p) for p in kept[:2]]
        room = sum(lengths) + 5 if len(kept) == 2 else lengths[0] + 8  # " and ", " et~al."
        if room <= LABEL_ROOM:
            break
        longest = kept[lengths.index(max(lengths))] if len(kept) == 2 else kept[0]
        kept.remove(longest)
        out.append(longest)
    return out


def thesis_type(record: Record) -> str:
    """``mastersthesis`` when the genre says master's (Zotero's rule), else ``phdthesis``."""
    genre = record.fields.get("genre", "").lower()
    key = re.sub(r"[\s.]|thesis|degree", "", genre)
    return "mastersthesis" if key in _MASTERS else "phdthesis"


def chapter_type(record: Record, biblatex: bool) -> str:
    """BibLaTeX ``inbook`` for a chapter of an authored book (no editor); otherwise, and always
    in BibTeX (whose ``inbook`` title is the book's title), ``incollection``."""
    if biblatex and "editor" not in record.names and "container-title" in record.fields:
        return "inbook"
    return "incollection"


def entry_type(record: Record, biblatex: bool) -> str:
    """The entry type of a record in one dialect."""
    bibtex_type, biblatex_type = CSL_TO_BIBTEX_TYPE.get(record.type, ("misc", "misc"))
    if record.type == "chapter":
        return chapter_type(record, biblatex)
    if record.type == "thesis" and not biblatex:
        return thesis_type(record)
    return biblatex_type if biblatex else bibtex_type


def is_english(record: Record) -> bool:
    """True unless the record names a language other than English."""
    language = record.fields.get("language", "").strip().lower()
    return not language or language in _ENGLISH or language.startswith("en-")


def edtf_year(year: int) -> str:
    """A CSL year in ISO 8601-2 / EDTF: four digits and a sign, astronomical, as biber reads
    it ("0000" is 1 BC, "-0043" is 44 BC: biblatex manual §2.3.8); CSL has no year 0, so its
    -44 is 44 BC. (``f"{-44:04d}"`` is "-044", which biber does not read.)"""
    return year_text(year if year > 0 else year + 1) if year != -1 else "0000"


def iso_date(date: Date) -> str:
    """BibLaTeX/EDTF form: ``2012-03-15``, ``1996/2004``, ``2012-21`` (spring), ``1850~``,
    ``-0043`` (44 BC), ``2018-02/`` (an open-ended range, ``1850~/`` with circa: EDTF level 1
    as biblatex reads it, manual §2.3.8; biber 2.18 reads "2018-02/.." and "2018-02/" alike
    and itself writes "2018-02/")."""

    def one(parts: tuple[int, ...]) -> str:
        return "-".join(edtf_year(p) if i == 0 else f"{p:02d}" for i, p in enumerate(parts))

    text = "/".join(one(p) for p in date.parts)
    if date.season and len(date.parts) == 1 and len(date.parts[0]) == 1:
        text += f"-{20 + date.season}"
    text += "~" if date.circa else ""
    return text + "/" if date.open_end else text


class _Entry:
    """The fields of one entry while it is being built."""

    def __init__(self, biblatex: bool, latex: bool):
        self.col = 1 if biblatex else 0
        self.latex = latex
        self.fields: dict[str, str] = {}
        self.notes: list[str] = []
        self.moved: list[str] = []  # the keys of the notes, for --report and --strict

    def text(self, value: str) -> str:
        """A text value as LaTeX: escaped, CSL rich text as LaTeX."""
        return self.latex_form(rich_text(value))

    def latex_form(self, escaped: str) -> str:
        """``escaped`` with non-ASCII as LaTeX (``--latex``), or only the characters pdfLaTeX
        cannot take as UTF-8 that have a math form (``math_to_latex``)."""
        return to_latex_ascii(escaped) if self.latex else math_to_latex(escaped)

    def put(self, field: str | None, value: str, label: str, *, raw: bool = False) -> None:
        """Set ``field`` to an enclosed value; without a free field, keep it in the note."""
        if field is None or field in self.fields:
            self.notes.append(note_line(label, value))
            self.moved.append(label)
            return
        self.fields[field] = value if raw else "{" + self.text(value) + "}"

    def name(self, person: Name) -> str:
        """One name in BibTeX's "von Last, Jr, First" form. Escapes are braced special
        characters (``escape_special``), so alpha.bst's three-character labels never cut one;
        a part with a comma or the word "and", and a family name with a space, is braced
        whole so that BibTeX splits neither the list nor the name there (btxdoc §4)."""
        if person.literal:
            return _braced(self.part(person.literal, brace=False))
        family = self.part(person.family, whole=" " in person.family)
        if person.particle:
            family = self.part(person.particle) + " " + family
        given, suffix = self.part(person.given), self.part(person.suffix)
        head, tail = split_dropping_particle(person.given)
        if tail:  # "x and y": a given name ending in a particle word is braced there, or it
            given = f"{self.part(head)} {{{self.part(tail)}}}".strip()  # reads as dropping
        if person.dropping_particle:  # "Gaulle, Charles de": in First, so bibtex and biber
            # print it before the family name and sort by the family name (CSL's dropping
            # particle), where "de Gaulle, Charles" would make it von, sorted with Gaulle
            given = f"{given} {self.part(person.dropping_particle)}".strip()
        if suffix:  # an empty First as "{}": bibtexparser drops a trailing ", "
            return f"{family}, {suffix}, {given or '{}'}"
        if given:
            return f"{family}, {given}"
        return "{" + family + "}" if family.lower() == "others" else family  # not "et al."

    def label_length(self, person: Name) -> int:
        """The length of what labels are made of: "{vv~}{ll}" (particle and family, or the
        literal), as written, in UTF-8 bytes: bibtex(1) counts its entry-string-size in bytes
        (300 × "é" overflowed it)."""
        if person.literal:
            return _utf8_length(self.name(person))
        return _utf8_length(self.part(person.particle)) + _utf8_length(
            self.part(person.family, whole=True)
        )

    def part(self, text: str, *, whole: bool = False, brace: bool = True) -> str:
        """A name part, escaped; braced when it holds the word "and" or only hyphens. A comma is
        written
        ``{\\symbol{44}}``, a special character that prints a comma: BibTeX splits
        "von Last, Jr, First" at commas outside braces, but biber counts braced commas too
        in a name with a suffix ("has too many commas") and decodes ``\\char44``."""
        if not text and not whole:  # most names have no particle, suffix or dropping one
            return ""
        escaped = self.latex_form(escape_special(text))
        if brace:
            escaped = escaped.replace(",", _COMMA)
        if brace and (whole or _AND.search(text) or (text and not text.strip(" -"))):
            # a part of hyphens only would be a separator to BibTeX: "Doe, -" ends in a comma
            return _braced(escaped)
        return escaped


_COMMA = r"{\symbol{44}}"


def _braced(escaped: str) -> str:
    """``escaped`` as one unsplittable name part: ``{Della Porta}``; when it holds special
    characters (``{\\&}``, ``{\\'e}``) each run of plain text is braced on its own
    (``{Smith }{\\&}{ Co}``), so that every special stays at brace depth 1: inside another
    group text.prefix$ would count its characters and could cut it (btxhak)."""
    if "{" not in escaped:
        return "{" + escaped + "}"
    out: list[str] = []
    plain: list[str] = []
    i = 0
    while i < len(escaped):
        if escaped.startswith("{\\", i):  # a special: copy through its matching brace
            depth, j = 0, i
            while True:
                depth += {"{": 1, "}": -1}.get(escaped[j], 0)
                j += 1
                if depth == 0:
                    break
            if plain:
                out.append("{" + "".join(plain) + "}")
                plain = []
            out.append(escaped[i:j])
            i = j
        else:
            plain.append(escaped[i])
            i += 1
    if plain:
        out.append("{" + "".join(plain) + "}")
    return "".join(out)


def build_entry(
    record: Record,
    *,
    biblatex: bool = False,
    latex: bool = False,
    moved: list[str] | None = None,
    warnings: Messages | None = None,
) -> Entry:
    """The bibtexparser ``Entry`` of a record, values escaped and enclosed; messages about
    values that could not be written where they belong are appended to ``warnings``."""
    problems: Messages = [] if warnings is None else warnings
    kind = entry_type(record, biblatex)
    e = _Entry(biblatex, latex)
    et_al: set[str] = set()  # extra keys whose "et al." became "and others"
    for role, people in record.names.items():
        field = NAME_FIELDS.get(role, (None, None))[e.col]
        if field is None or field in e.fields:  # (director after author: both are author)
            # into the note, in the form refconv.notes reads back, not in BibTeX's syntax
            for key, text in [entry for part in name_notes(role, people) for entry in part]:
                e.notes.append(note_line(key, text))
                e.moved.append(key)
        else:
            # a particle BibTeX cannot mark is kept in the note: a dropping particle is only
            # trailing lower-case particle words of First ("Doe, J. Van" reads back as given
            # "J. Van"), von only lower-case words (btxdoc §4: "Van Gogh" is all Last)
            unsaid = [p for p in people if _unmarked_particle(p)]
            for person in unsaid:
                problems.append(
                    (
                        "kept-in-note",
                        f"{role}: particle {_unmarked_particle(person)!r} would read back as"
                        " part of another name part; the name is kept in the note",
                    )
                )
                for key, text in [n for part in name_notes(role, [person]) for n in part]:
                    e.notes.append(note_line(key, text))
                    e.moved.append(key)
            people = [p for p in people if all(p is not u for u in unsaid)]
            if not people:
                continue
            written = [(p, e.name(p)) for p in people]
            if not biblatex:  # bibtex(1) cuts a label made of longer names mid-escape
                for person in _over_long(e, people):
                    problems.append(
                        (
                            "kept-in-note",
                            f"{role}: a name that makes a label longer than bibtex's entry strings"
                            f" ({LABEL_ROOM} characters) is kept in the note",
                        )
                    )
                    for key, text in [n for part in name_notes(role, [person]) for n in part]:
                        e.notes.append(note_line(key, text))
                        e.moved.append(key)
                    written = [(p, t) for p, t in written if p is not person]
                if not written:
                    continue
            names = " and ".join(text for _, text in written)
            tag = ET_AL_TAGS.get(role, role)
            if any(is_et_al(v) for v in record.extra.get(tag, ())):
                names += " and others"  # BibTeX's own "et al."
                et_al.add(tag)
            e.put(field, "{" + names + "}", role, raw=True)
    title = record.fields.get("title")
    # biblatex's maintitle is the multi-volume work, CSL's volume-title the volume's own title
    # (the reader's MAINTITLE_OF_*): a book's title is then its maintitle and its volume-title
    # its title; a chapter's container-title the maintitle and its volume-title the booktitle
    volume = record.fields.get("volume-title") if biblatex else None
    swap = ""
    if volume is not None and record.type in MAINTITLE_OF_TITLE and title is not None:
        swap = "title"
    elif (
        volume is not None
        and record.type in MAINTITLE_OF_CONTAINER
        and ("container-title" in record.fields)
    ):
        swap = "container-title"
    for field, text, var in (
        [("title", volume, "volume-title"), ("maintitle", title, "title")]
        if swap == "title" and volume is not None and title is not None
        else [("title", title, "title")]
        if title is not None
        else []
    ):
        protected = protect_title(text, whole=not is_english(record))
        e.put(field, "{" + e.latex_form(protected) + "}", var, raw=True)
    _put_dates(e, record, kind, biblatex, problems)
    for var, value in record.fields.items():
        if var in ("title", "citation-key") or record.derivable(var):
            continue
        if not biblatex and kind in EVENT_ENTRY_TYPES and var in EVENT_FALLBACK:
            for field in event_fields(record, var):
                e.put(field, value, var)
            continue
        if swap and var == "volume-title":
            if swap == "container-title":
                e.put("booktitle", value, var)
            continue
        field = (
            "maintitle"
            if swap == "container-title" and var == "container-title"
            else (_field_for(var, kind, e.col))
        )
        if field in LIST_FIELDS and field not in e.fields:
            # biber's literal lists (the reader splits at "and", joins with "; "): the items
            # joined with "and", an "and" inside an item braced ("Taylor {and} Francis")
            items = [_AND_WORD.sub(r"{\1}", e.text(item)) for item in value.split("; ")]
            e.put(field, "{" + " and ".join(items) + "}", var, raw=True)
            continue
        if field in VERBATIM_FIELDS:
            _put_verbatim(e, field, var, value, biblatex, problems)
        elif field == "pages":
            pages = escape(_double_dash(value), ligatures=False)
            e.put(field, "{" + (to_latex_ascii(pages) if latex else pages) + "}", var, raw=True)
        elif var == "genre" and not biblatex and IMPLIED_GENRE.get(kind) == value:
            continue  # @phdthesis says "PhD thesis" itself; plain.bst would print "Phd thesis"
        elif var == "language" and _LANGUAGE_TAG.fullmatch(value.strip()):
            _put_language_tag(e, value, problems)
        elif var == "language" and escape(value) != value:
            # biblatex looks each language up as a key inside \csname (\ifbibstring), where
            # an escape is "Missing \endcsname" (pubstate and type are tested safely); biber
            # reads BibTeX files too
            problems.append(
                (
                    "kept-in-note",
                    f"language {value!r} has characters biblatex cannot look up as a language key;"
                    f" kept in {KEPT_FIELD}",
                )
            )
            e.put(None, value, var)
        elif var == "status" and biblatex:
            e.put("pubstate", STATUS_TO_PUBSTATE.get(value.lower(), value), var)
        else:
            e.put(field, value, var)
    if biblatex and kind in ("thesis", "report"):
        _put_biblatex_subtype(e, record, kind)
    if record.keywords:
        e.put("keywords", join_keywords(record.keywords), "keywords")  # "; " if one has ","
    for tag, values in record.extra.items():
        if tag in et_al:  # one marker became "and others"; any other stays in the note
            first = next(i for i, v in enumerate(values) if is_et_al(v))
            values = values[:first] + values[first + 1 :]
        if tag == "crossref" and (parent := crossref_key(values)) is not None:
            e.fields["crossref"] = "{" + parent + "}"
            continue
        eprint = (
            _eprint_value(e, tag, values[0])
            if biblatex
            and tag in EPRINT_FIELDS
            and tag not in e.fields
            and values
            and (tag == "addendum" or _eprint_value(e, "eprint", _first(record, "eprint")))
            else None
        )  # an eprint's type and class only beside it
        if eprint is not None:  # the first value; any other stays in the refconv field
            e.fields[tag] = eprint
            values = values[1:]
        elif biblatex and tag == "eprint" and values:
            problems.append(
                (
                    "kept-in-note",
                    f"eprint {values[0]!r} has characters TeX would run or cannot print verbatim;"
                    f" kept in {KEPT_FIELD}",
                )
            )
        if tag == PREAMBLE:
            values = [v for v in values if preamble_problem(v) is not None]
            problems.extend(
                ("kept-in-note", f"@preamble: {preamble_problem(v)}; kept in {KEPT_FIELD}")
                for v in values
            )
        e.notes.extend(kept_line(CustomKey(tag), value) for value in values)
        e.moved += [tag] * len(values)
    if e.notes:  # never printed: styles and biber skip a field they do not know
        e.fields[KEPT_FIELD] = "{" + join_kept(e.notes) + "}"
    if moved is not None:
        moved += e.moved
    key = citation_key(record.id, problems)
    label_key = sort_key_field(key)
    if not biblatex and "author" not in e.fields and label_key and "key" not in e.fields:
        e.fields["key"] = "{" + label_key + "}"
    ordered = sorted(e.fields.items(), key=lambda kv: (_ORDER.get(kv[0], len(_ORDER)), kv[0]))
    return Entry(kind, key, [Field(k, _at_protected(v)) for k, v in ordered])


#: The extra under which the BibTeX reader keeps the ``@preamble`` text before an entry.
PREAMBLE = "@preamble"


def preamble_problem(text: str) -> str | None:
    """Why ``text`` cannot be written verbatim as ``@preamble{{text}}``, or None: unbalanced
    braces would end the block early (bibtex counts braces, backslash or not: btxdoc §2.1),
    and an "@" that starts a line starts a new block for bibtexparser."""
    if not braces_balance(text):
        return "its braces do not balance, so it cannot be written as a @preamble"
    if _LINE_START_AT.search("\n" + text):
        return 'a line starts with "@", which would start another entry'
    if "^^" in text:  # TeX's ^^5c is a backslash: any command could be spelled so
        return "it has TeX's ^^ notation, which could spell any command"
    defined = {  # user macros: the preamble defines them, and no package reads files with one
        m[1]
        for m in _DEFINES.finditer(text)
        if m[1] not in PREAMBLE_FORBIDDEN and not _FILE_WORDS.search(m[1])
    }
    unsafe = sorted(
        {
            "\\" + name
            for name in _CONTROL_WORD.findall(text)
            if name not in PREAMBLE_COMMANDS and name not in defined
        }
    )
    if unsafe:
        return (
            f"it uses {', '.join(unsafe[:5])}, not among the definition and formatting commands"
            " refconv writes verbatim (one could read a file or run a program)"
        )
    return None


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Commands a ``@preamble`` written verbatim may use (the README's "Safe output": none can
#: read or write a file or run a program): defining, conditionals, and the formatting and
#: character commands of .bib preambles (btxdoc §2.1's ``\noopsort``; publishers' macros).
#: A command the preamble defines itself is allowed too (``_DEFINES``) unless forbidden.
PREAMBLE_COMMANDS = _words(
    """providecommand newcommand renewcommand DeclareRobustCommand def gdef let relax
    ifx ifdefined ifmmode else fi protect ignorespaces unskip space nobreak allowbreak
    textit emph textbf textsc textrm textsf texttt textup textsl textmd textnormal em it bf
    sc rm sf tt sl upshape itshape bfseries scshape mdseries normalfont small footnotesize
    scriptsize large mbox hbox url urlprefix newblock hyphenation hskip hspace kern penalty
    textsuperscript textsubscript ensuremath mathrm mathit mathbf mathsf mathtt mathcal
    MakeUppercase MakeLowercase TeX LaTeX BibTeX ldots dots textendash textemdash
    textquoteleft textquoteright textquotedblleft textquotedblright ss ae AE oe OE aa AA o O
    l L i j c v u H d b t r k natexlab bibinfo bibnamefont bibfnamefont citenamefont undefined
    leavevmode hrulefill hfill quad qquad enspace thinspace
    """
)
#: Names a preamble may never use or (re)define: file and shell access, and the catcode and
#: ``\csname`` tricks that spell any other command (TeX, pdfTeX, LuaTeX and LaTeX).
PREAMBLE_FORBIDDEN = _words(
    """input endinput include includeonly InputIfFileExists IfFileExists openin openout read
    readline write immediate closein closeout special jobname csname endcsname catcode
    lccode uccode scantokens everyeof everyjob shipout string meaning detokenize expandafter
    noexpand futurelet afterassignment lowercase uppercase usepackage RequirePackage
    documentclass includegraphics ShellEscape directlua latelua luaexec primitive
    """
)
#: ``\providecommand`` keeps, and ``\newcommand`` (after its error) leaves, a command that
#: the engine or a package defined, and a definition inside a conditional or a macro may
#: never run: so a name that says it reads a file or is an engine's (``\pdffiledump``,
#: listings' ``\lstinputlisting``, ``\verbatiminput``, ``\includepdf``, pgfplots'
#: ``\addplot table``) is never taken for the preamble's own macro.
_FILE_WORDS = re.compile(
    "input|include|import|file|read|write|open|load|verbatim|listing|minted|graphic|image"
    "|plot|table|shell|exec|pdf|lua|tex|dump|md5|mdfive|system|escape|catcode|csname",
    re.IGNORECASE,
)
_CONTROL_WORD = re.compile(r"\\([A-Za-z@]+)")
_DEFINES = re.compile(
    r"\\(?:[gex]?def|let|(?:new|renew|provide)command\*?|DeclareRobustCommand\*?)\s*\{?\s*"
    r"\\([A-Za-z]+)"
)


def crossref_key(values: list[str]) -> str | None:
    """The parent key of a child's ``crossref`` extra (the reader keeps it there), when it is
    one key that ``\\cite`` and the .bib syntax read as itself; else None (kept as a value)."""
    if len(values) != 1:
        return None
    key = values[0].strip()
    return key if key and not KEY_UNSAFE.search(key) else None


#: "and" between spaces, which biber splits a literal list at (bibtex.names.split_list).
_AND_WORD = re.compile(r"(?<=\s)(and)(?=\s)", re.IGNORECASE)


def citation_key(key: str, warnings: Messages) -> str:
    """``key`` without the characters that are not ordinary in ``\\cite``, ``\\bibitem`` and
    the .bib syntax (``refconv.keys`` gives only ordinary ones; a key read from BibTeX or passed
    in through the API may hold anything), folded to ASCII (``refconv.keys.ascii_key``: pdfLaTeX
    cannot write most scripts to the .aux); ``ref`` when nothing is left of a key."""
    folded = ascii_key(key) if not key.isascii() else key
    safe = KEY_UNSAFE.sub("", folded)
    if safe != key:
        safe = safe or "ref"
        why = "TeX would read as commands" if folded == key else "pdfLaTeX cannot write"
        warnings.append(
            ("invalid-key", f"citation key {key!r} has characters {why}; written as {safe!r}")
        )
    return safe


def _put_verbatim(
    e: _Entry, field: str, var: str, value: str, biblatex: bool, warnings: Messages
) -> None:
    """``url`` and ``doi``: read verbatim by url.sty, hyperref and biber, but as plain macro
    arguments by plainnat without url.sty, so written with ``escape_url``/``escape_doi``."""
    if field == "url":
        written = escape_url(value, biber=biblatex)
        changed = url_changes(value, biber=biblatex)
        if changed:
            warnings.append(
                (
                    "url-encoded",
                    f"url: {' '.join(changed)} cannot be written so that every BibTeX style reads"
                    f" it as itself; percent-encoded, which some servers read as another URL:"
                    f" {value!r} became {unescape_verbatim(written)!r}",
                )
            )
        e.put(field, "{" + written + "}", var, raw=True)
        return
    doi = escape_doi(value, biber=biblatex)
    if doi is None:
        warnings.append(
            (
                "kept-in-note",
                f"DOI {value!r} has characters TeX would run or cannot print in the doi field; "
                f"kept in {KEPT_FIELD}",
            )
        )
        e.put(None, value, var)
    else:
        e.put(field, "{" + doi + "}", var, raw=True)


#: "@" first on a line inside a value: bibtexparser (and so our reader) takes it for the start
#: of the next entry; "{@}" prints the same and is not.
_LINE_START_AT = re.compile(r"(\n[ \t]*)@")


def _at_protected(value: str) -> str:
    return _LINE_START_AT.sub(r"\1{@}", value) if "\n" in value else value


#: A BCP 47 tag (RFC 5646 §2.1, the shape of it: a 2-3 letter language and subtags), not a
#: language's name ("English", "Deutsch"), which biblatex prints as written.
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")


def _put_language_tag(e: _Entry, value: str, warnings: Messages) -> None:
    """A BCP 47 tag as ``langid``, babel's name (``LANGID_OF_TAG``), which biblatex uses for
    hyphenation and its strings and prints nowhere (``language = {de-DE}`` printed
    "de-DE."), and BibTeX styles ignore; a tag with no babel name in the ``refconv`` field,
    read back exactly, with a warning."""
    name = LANGID_OF_TAG.get(value.strip().lower())
    if name is not None and "langid" not in e.fields:
        e.put("langid", name, "language")
        return
    warnings.append(
        (
            "kept-in-note",
            f"language {value!r} is a language tag with no babel name for langid, which styles"
            f" would print as written; kept in {KEPT_FIELD}",
        )
    )
    e.put(None, value, "language")


#: biblatex's eprint fields (manual §3.14.7), which the reader keeps in custom; a style prints
#: them ("arXiv: 2101.00001 [hep-th]"), so BibLaTeX writes them back.
EPRINT_FIELDS = ("addendum", "eprint", "eprinttype", "eprintclass")
#: ``eprinttype`` is looked up as ``\csname`` part (``eprint:arxiv`` formats), like langid.
_EPRINT_TYPE = re.compile(r"[A-Za-z][A-Za-z0-9.-]*")


def _first(record: Record, tag: str) -> str:
    return next(iter(record.extra.get(tag, ())), "")


def _eprint_value(e: _Entry, field: str, value: str) -> str | None:
    """The enclosed BibLaTeX value of an ``EPRINT_FIELDS`` extra, or None when it cannot be
    written inertly (it stays in the ``refconv`` field): ``eprint`` is verbatim for biber, so
    written as a DOI is (``escape_doi``); ``eprinttype`` only as a plain name."""
    if field == "eprint":
        written = escape_doi(value.strip(), biber=True)
        return None if written is None or not written else "{" + written + "}"
    if field == "eprinttype":
        return "{" + value.strip() + "}" if _EPRINT_TYPE.fullmatch(value.strip()) else None
    return "{" + e.text(value) + "}"


def _put_biblatex_subtype(e: _Entry, record: Record, kind: str) -> None:
    """BibLaTeX theses and reports need a ``type``: the genre's text, else the localised key
    (``mathesis`` for a master's thesis, ``phdthesis``, ``techreport``)."""
    if "type" in e.fields:
        return
    if kind == "thesis" and thesis_type(record) == "mastersthesis":
        e.put("type", "mathesis", "type")
    else:
        e.put("type", BIBLATEX_SUBTYPES[kind], "type")


def event_fields(record: Record, var: str) -> tuple[str | None, ...]:
    """The BibTeX fields of an event's name or place in an ``@inproceedings``
    (``EVENT_FALLBACK``): the ``booktitle`` or ``address`` when the record has no proceedings
    title or publisher place (bibutils' rule), and the BibLaTeX field (``eventtitle``,
    ``venue``), which BibTeX styles do not print and biber and refconv read back as the event's;
    only the latter when the record has a value of its own there (issue 16: never a printed
    note line)."""
    field, own = EVENT_FALLBACK[var]
    event = CSL_TO_BIBTEX_FIELD[var][1]
    return (field, event) if own not in record.fields else (event,)


def _field_for(var: str, kind: str, col: int) -> str | None:
    if var == "container-title":
        return CONTAINER_FIELD.get(kind, ("booktitle", "booktitle"))[col]
    if var == "publisher":
        return PUBLISHER_FIELD.get(kind, "publisher")
    if var == "issue" and kind != "article":  # elsewhere "number" means a report or series
        return None  # number, so an issue would not read back as an issue

    return CSL_TO_BIBTEX_FIELD.get(var, (None, None))[col]


def _put_dates(e: _Entry, record: Record, kind: str, biblatex: bool, warnings: Messages) -> None:
    """Each date in its fields as far as they hold it (``held``: EDTF in BibLaTeX; year,
    month and an EDTF ``date`` in BibTeX) and, when they hold less (a range with months in
    BibTeX, a season beside a month or a range), the whole date as a ``refconv`` line the reader
    puts back in its place (``refconv.notes``), with a warning. A BibTeX ``@inproceedings``
    has no event date: one without a date of publication is also the ``year``
    (``EVENT_FALLBACK``), one equal to it is printed once; both are kept in ``eventdate``,
    which BibTeX styles do not print, when EDTF holds them; an event date beside another date
    of publication is only there (issue 16: no printed note line)."""
    for var, date in record.dates.items():
        as_var = var
        if not biblatex and kind in EVENT_ENTRY_TYPES and var in EVENT_FALLBACK:
            own = EVENT_FALLBACK[var][1]
            as_var = var if own in record.dates else own
            if held(var, date, True) == date and (
                own in record.dates or held(own, date, False) == date
            ):  # whole in BibLaTeX's eventdate, which BibTeX styles do not print
                e.put(DATE_FIELDS[var][1], "{" + iso_date(date) + "}", var, raw=True)
                if own in record.dates:
                    continue  # the date of publication: printed once, as that
        reduced = held(as_var, date, biblatex)
        if reduced is None:  # a literal, or no field: the note's own form
            e.put(None, date.literal if not date.parts else format_date(date), var)
            continue
        if reduced != date:
            warnings.append(
                (
                    "kept-in-note",
                    f"{var}: {format_date(date)!r} has no {'BibLaTeX' if biblatex else 'BibTeX'}"
                    f" form; kept whole in {KEPT_FIELD}",
                )
            )
            e.put(None, format_date(date), var)
        if DATE_FIELDS[as_var][e.col] == "year":
            first = reduced.parts[0]
            # "-44--{-40}": braced so TeX does not make "---" an em dash of "--" and "-"
            year = "--".join(f"{{{p[0]}}}" if i and p[0] < 0 else str(p[0])
                             for i, p in enumerate(reduced.parts))  # fmt: skip
            e.put("year", "{" + year + "}", var, raw=True)
            if len(reduced.parts) == 1 and len(first) >= 2:
                e.put("month", MONTH_MACROS[first[1] - 1], var, raw=True)
            if len(first) == 3 or reduced.season or reduced.circa:
                e.put("date", "{" + iso_date(reduced) + "}", var, raw=True)
        else:
            e.put(DATE_FIELDS[as_var][e.col], "{" + iso_date(reduced) + "}", var, raw=True)


#: Dashes that join a page range: hyphen, non-breaking hyphen, figure dash, en and em dash,
#: horizontal bar, minus sign.
_PAGE_DASH = re.compile("\\s*[\u2010-\u2015\u2212]\\s*")


def _double_dash(pages: str) -> str:
    """BibTeX ranges use ``--`` (btxdoc §3.2, ``pages``): "332-373" and "435–446" become
    "332--373" and "435--446"; when the value has a "--" already, its single hyphens are
    part of the page numbers ("A-1--A-5") and are left alone."""
    doubled = "--" in pages
    pages = _PAGE_DASH.sub("--", pages)
    return pages if doubled else re.sub("(?<!-)-(?!-)", "--", pages)


class BibtexWriter(Writer):
    """Write BibTeX for bibtex(1) and the classic styles (plain, alpha, natbib's)."""

    name = "bibtex"
    aliases: ClassVar[tuple[str, ...]] = ("bib",)
    suffixes: ClassVar[tuple[str, ...]] = (".bib",)
    description = "BibTeX database (UTF-8; --latex for ASCII with LaTeX accents)"
    biblatex: ClassVar[bool] = False
    frame = ("", "\n", "", "")

    def references(self, record: Record) -> list[str]:
        """The parent key of a ``crossref`` (folded), whose place before or after this entry
        decides a warning."""
        parent = crossref_key(record.extra.get("crossref", []))
        return [parent.lower()] if parent is not None else []

    def write(self, records: Iterable[Record], out: TextIO) -> None:
        """One entry per record, separated by blank lines."""
        latex = bool(self.options.get("latex"))
        separator = ""
        written = set(self.earlier_keys)  # keys so far, folded as bibtex(1) matches a crossref
        for record in records:
            moved: list[str] = []
            warnings: Messages = []
            entry = build_entry(
                record, biblatex=self.biblatex, latex=latex, moved=moved, warnings=warnings
            )
            for code, message in warnings:
                self.diagnostics.warn(message, record.source.path, record.source.line, code=code)
            self.account(
                record,
                moved,
                KEPT_FIELD,
                f"@{entry.entry_type}",
                BIBTEX_TO_CSL_TYPE.get(entry.entry_type),
            )
            if entry.fields_dict.get("crossref") is not None:
                parent = entry.fields_dict["crossref"].value[1:-1]
                if parent.lower() in written:
                    self.diagnostics.warn(
                        f"crossref to {parent!r}, written before this entry: bibtex(1) takes"
                        " fields only from a parent that comes after its children (biber does"
                        " not mind); put it after them to print them with bibtex",
                        record.source.path,
                        record.source.line,
                        code="crossref-order",
                    )
            written.add(entry.key.lower())
            preambles = "".join(
                "@preamble{{" + text + "}}\n"
                for text in record.extra.get(PREAMBLE, ())
                if preamble_problem(text) is None
            )  # verbatim: LaTeX the user wrote for the document (btxdoc §2.1)
            out.write(separator + preambles + format_entry(entry))
            separator = "\n"


def format_entry(entry: Entry) -> str:
    """``entry`` as text, in the layout bibtexparser 2's writer gives it with a two-space
    indent and the values aligned one column after the longest field name (``@type{key,``,
    ``  field = value,`` per field, no comma after the last, ``}``). Written directly: the
    writer's ``Library`` and middleware machinery for one entry at a time cost 5 % of a
    Refer → BibTeX run; ``tests/test_bibtex.py`` checks the text is bibtexparser's."""
    fields = entry.fields
    width = max((len(f.key) for f in fields), default=0)
    last = len(fields) - 1
    lines = [f"@{entry.entry_type}{{{entry.key},\n"]
    lines += [
        f"  {f.key}{' ' * (width - len(f.key))} = {f.value}{',' if i < last else ''}\n"
        for i, f in enumerate(fields)
    ]
    lines.append("}\n")
    return "".join(lines)


class BiblatexWriter(BibtexWriter):
    """Write BibLaTeX for biber: ISO ``date``, ``location``, ``journaltitle``, ``pubstate``."""

    name = "biblatex"
    aliases: ClassVar[tuple[str, ...]] = ()
    suffixes: ClassVar[tuple[str, ...]] = ()
    out_suffix = ".bib"
    description = "BibLaTeX database for biber (ISO dates, biblatex entry types)"
    biblatex = True
