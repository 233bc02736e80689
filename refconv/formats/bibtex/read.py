"""BibTeX/BibLaTeX reader, built on bibtexparser 2: the file's syntax.

bibtexparser splits the file into blocks (no middleware); this module expands ``@string``
macros and ``#`` in every value (``Macros``), keeps each ``@preamble`` with the next record
(extra ``@preamble``), skips ``%`` comments inside entries with a warning, and resolves
``crossref``/``xdata`` (``inherit``). An entry bibtexparser cannot parse is reported as an
error with its line and skipped, the others are read. bibtexparser parses whole strings, so
this reader holds one chunk of entries in memory, plus the entries waiting for a crossref
parent. What an entry's fields mean is ``fields``; LaTeX to Unicode is ``decode``; names are
``names``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from typing import Any

from refconv.formats.base import Reader, ReadRules, shown
from refconv.formats.bibtex.fields import build_record
from refconv.formats.bibtex.inherit import CROSSREF, KEEP, Inheritance
from refconv.model import Record


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
        """Yield one record per entry, parsing a chunk of entries at a time (memory holds one
        chunk and the entries waiting for a crossref parent, not the file); ``@string``
        macros carry over chunks. A record is yielded once the next one is read, so that a
        ``@preamble`` after the last entry still has a record to go with."""
        from bibtexparser.entrypoint import parse_string
        from bibtexparser.model import (
            Block,
            DuplicateBlockKeyBlock,
            DuplicateFieldKeyBlock,
            Entry,
            ImplicitComment,
            Preamble,
            String,
        )

        # Both libraries log to the root logger (stderr); their failures are reported below
        # as diagnostics with their lines, and pylatexenc's complaints about odd LaTeX
        # ("Expected exactly one argument for '\\input'") would be stray stderr lines.
        loggers = [logging.getLogger(name) for name in ("bibtexparser", "pylatexenc")]
        levels = [logger.level for logger in loggers]
        for logger in loggers:
            logger.setLevel(logging.CRITICAL)
        rules = ReadRules(self.diagnostics, path)
        macros = Macros(rules)
        inheritance = Inheritance(rules)
        preambles: list[str] = []  # waiting for the next entry
        preamble_line = 0
        held: Record | None = None
        found = False
        try:
            for first, text, comments in _chunks(lines):
                for line, comment, whole in comments:
                    what = "a line starting with %" if whole else "text after %"
                    rules.warn(
                        f"{shown(comment)}: {what} inside an entry is a "
                        "comment (as biber reads it); skipped",
                        line,
                        code="skipped-comment",
                    )
                # No middleware: '#' and @string are expanded by Macros, in file order.
                # bibtexparser takes any "@comment..." for a comment: an entry type that
                # only starts so (biblatex's @commentary) is renamed for it and back below
                text = _SPACED_ENTRY.sub(_join_entry_start, text)
                text = _COMMENT_LIKE.sub(r"\1@refconv_\2", text)
                library = parse_string(text, parse_stack=[])
                blocks: list[tuple[int, Block]] = []  # two entries may share a line
                for block in library.blocks:
                    line = (block.start_line or 0) + first
                    if isinstance(block, DuplicateBlockKeyBlock):  # keys are made unique later
                        again = parse_string(block.raw or "", parse_stack=[])
                        block = (again.entries or again.failed_blocks or [block])[0]
                        block = _shift(_repeated_fields(block), line)
                    elif isinstance(block, Entry | DuplicateFieldKeyBlock):
                        block = _shift(_repeated_fields(block), first)
                    blocks.append((line, block))
                for line, block in sorted(blocks, key=lambda pair: pair[0]):
                    if isinstance(block, Entry) and block.entry_type.startswith("refconv_"):
                        block.entry_type = block.entry_type.removeprefix("refconv_")
                    if isinstance(block, String):
                        macros.define(block.key, str(block.value), line)
                    elif isinstance(block, Preamble):
                        preambles.append(macros.expand(str(block.value), line, "@preamble"))
                        preamble_line = line
                    elif (
                        isinstance(block, ImplicitComment)
                        and block.comment.startswith("@")
                        and not block.comment[1:].lstrip().lower().startswith("comment")
                    ):
                        # text outside entries is a comment, but one that starts with "@" is
                        # an entry neither bibtexparser nor refconv could read ("@we ird{")
                        first_line = block.comment.split("\n", 1)[0]
                        rules.warn(
                            f"{shown(first_line)}: starts with '@' but is not an entry "
                            "refconv can read (a type, then '{' or '(' and a key); skipped",
                            line,
                            code="stray-text",
                        )
                    elif hasattr(block, "error"):
                        found = True
                        self.diagnostics.error(_failure(block), path, line, code="invalid-entry")
                    elif isinstance(block, Entry):
                        found = True
                        for field in block.fields:
                            where = field.start_line or line
                            field.value = macros.expand(str(field.value), where, field.key)
                        if preambles and block.entry_type.lower() != "xdata":
                            block.parser_metadata[PREAMBLE] = preambles
                            preambles = []
                        for entry in inheritance.add(block):
                            if held is not None:
                                yield held
                            held = _record(entry, rules)
            for entry in inheritance.finish():
                if held is not None:
                    yield held
                held = _record(entry, rules)
        finally:
            for logger, level in zip(loggers, levels, strict=True):
                logger.setLevel(level)
        if held is not None:
            if preambles:
                held.extra.setdefault(PREAMBLE, []).extend(preambles)
            yield held
        elif preambles:
            rules.warn(
                "@preamble with no entry to go with; not carried (skipped)",
                preamble_line,
                code="skipped-preamble",
            )
        if not found:
            rules.no_records("a BibTeX entry starts with '@'")


_COMMENT_LIKE = re.compile(r"(?im)^([ \t]*)@(comment\w+)(?=\s*[{(])")
#: "@ article{" and "@article" with its "{" on the next line, which bibtex(1) reads (white
#: space may stand around the type, btxdoc) and bibtexparser does not: the "@" is joined to
#: the type and the white space moved after the "{", so no line moves.
_SPACED_ENTRY = re.compile(
    r"(?m)^([ \t]*@)[ \t]+([A-Za-z][\w-]*)(\s*)([{(])|"
    r"^([ \t]*@)([A-Za-z][\w-]*)(\s*\n\s*)([{(])"
)


def _join_entry_start(m: re.Match[str]) -> str:
    """``@type{`` for a ``_SPACED_ENTRY`` match, its white space (and line ends) after it."""
    at, kind, space, brace = m.groups()[:4] if m[1] is not None else m.groups()[4:]
    return f"{at}{kind}{brace}{space}"


#: The extra key (CSL custom) of the ``@preamble`` texts read before a record (or after the
#: last one): the text between the delimiters, macros and ``#`` expanded.
PREAMBLE = "@preamble"


def _record(entry: Any, rules: ReadRules) -> Record:
    """``build_record`` of a resolved entry, then what reading the file adds to it: its
    ``@preamble`` texts, its resolved ``crossref`` key, its unresolved ``xdata`` keys."""
    line = entry.start_line or 0
    record = build_record(entry, line, rules)
    if PREAMBLE in entry.parser_metadata:
        record.extra.setdefault(PREAMBLE, []).extend(entry.parser_metadata[PREAMBLE])
    if CROSSREF in entry.parser_metadata:  # kept so that the BibTeX writer writes it back
        record.add_extra("crossref", entry.parser_metadata[CROSSREF])
    for key, value, message, where in entry.parser_metadata.get(KEEP, []):
        rules.kept(record, key, value, message, where, code="unresolved-reference")
    return record


def _repeated_fields(block: Any) -> Any:
    """The entry of a block that failed only for a field given twice (``build_record``
    uses the first value and keeps the others); other blocks as they are.

    Classic BibTeX does the same ("I'm ignoring k's extra "title" field": the first value is
    used, with a warning); biber (2.19, ``--tool``) silently uses the last. refconv follows
    BibTeX and keeps the later values in custom with the shared "repeated" warning.
    """
    from bibtexparser.model import DuplicateFieldKeyBlock

    if isinstance(block, DuplicateFieldKeyBlock) and block.ignore_error_block is not None:
        return block.ignore_error_block
    return block


def _shift(block: Any, first: int) -> Any:
    """An entry whose lines and its fields' lines are lines of the file (they count from
    the start of the parsed text, line 0), so an inherited field keeps its own line; other
    blocks as they are."""
    from bibtexparser.model import Entry, Field

    if not isinstance(block, Entry):
        return block
    fields = [
        Field(f.key, f.value, None if f.start_line is None else f.start_line + first)
        for f in block.fields
    ]
    return Entry(block.entry_type, block.key, fields, (block.start_line or 0) + first, block.raw)


class Macros:
    """``@string`` macros, defined in file order, and BibTeX's value syntax: pieces in
    braces or quotes, numbers and macro names joined by ``#`` (BibTeX's ``#`` concatenates;
    the BibTeXing manual §4). A macro must be defined before it is used, as in BibTeX and
    biber; an undefined one is warned about and its name kept as text. The month macros
    ``jan``...``dec`` of BibTeX's standard styles are predefined: the ``month`` field keeps
    the macro's name (read as the month by ``dates``), other fields get the English name
    (plain.bst's ``MACRO {jan} {"January"}``). Macro names are case-insensitive.

    Each macro may double the one before (``s2 = s1 # s1``), so forty lines would expand to
    terabytes: a macro whose expansion passes :data:`MAX_EXPANDED` characters is not
    expanded, and a value that uses it or expands past the limit itself is kept as written
    (unexpanded), with a warning; memory stays small."""

    def __init__(self, rules: ReadRules):
        self.rules = rules
        self.values: dict[str, str | None] = {}  # None: expands past MAX_EXPANDED

    def define(self, name: str, raw: str, line: int) -> None:
        """Define ``name`` as the expanded ``raw`` (later definitions win, as in BibTeX)."""
        self.values[name.lower()] = self._expand(raw, line, "@string")

    def expand(self, raw: str, line: int, field: str) -> str:
        """The text of the value ``raw`` of ``field`` at ``line``; a value that is not of
        BibTeX's syntax, or expands past :data:`MAX_EXPANDED`, is kept as written
        (stripped)."""
        text = self._expand(raw, line, field)
        if text is None:
            self.rules.warn(
                f"{field}: @string macros and # expand to more than {MAX_EXPANDED:,} "
                "characters; kept as written (unexpanded)",
                line,
                code="macro-too-long",
            )
            return raw.strip()
        return text

    def _expand(self, raw: str, line: int, field: str) -> str | None:
        """``expand`` without the limit's warning: None past :data:`MAX_EXPANDED`."""
        pieces = split_value(raw)
        if pieces is None:
            return raw.strip()
        out: list[str] = []
        size = 0
        for is_text, text in pieces:
            name = text.lower()
            if is_text:
                piece: str | None = text
            elif name in self.values:
                piece = self.values[name]
            elif name in MONTH_MACROS:
                piece = text if field.lower() == "month" else MONTH_MACROS[name]
            else:
                self.rules.warn(
                    f"{field}: undefined @string macro {text!r}; kept as its name",
                    line,
                    code="undefined-macro",
                )
                piece = text
            if piece is None:
                return None
            size += len(piece)
            if size > MAX_EXPANDED and len(pieces) > 1:  # one piece as written may be long
                return None
            out.append(piece)
        return "".join(out)


#: The most characters a value or ``@string`` macro may expand to (``Macros``): far above
#: any real value (a whole abstract is some thousands), small enough to hold many of.
MAX_EXPANDED = 1_000_000


#: BibTeX's predefined month macros (plain.bst), as their English names.
MONTH_MACROS = {
    name[:3].lower(): name
    for name in ("January", "February", "March", "April", "May", "June", "July", "August",
                 "September", "October", "November", "December")
}  # fmt: skip


def split_value(raw: str) -> list[tuple[bool, str]] | None:
    """The pieces of a BibTeX value: (True, text) for ``{text}``, ``"text"`` and numbers,
    (False, name) for a macro name; None when ``raw`` is not pieces joined by ``#``.
    Braces escaped with a backslash do not count, as in bibtexparser's splitter."""
    text = raw.strip()
    end = len(text) - 1
    if end > 0 and text[0] == "{" and text[end] == "}" and not _INNER.search(text, 1, end):
        return [(True, text[1:end])]  # the common value: one pair of braces, none inside
    pieces: list[tuple[bool, str]] = []
    i, n = 0, len(raw)
    while True:
        while i < n and raw[i].isspace():
            i += 1
        if i >= n:
            return None  # empty value or a trailing '#'
        if raw[i] in '{"':
            end = _closing(raw, i)
            if end < 0:
                return None
            pieces.append((True, raw[i + 1 : end]))
            i = end + 1
        else:
            match = _NAME.match(raw, i)
            if match is None:
                return None
            token = match.group()
            pieces.append((token.isdigit(), token))
            i = match.end()
        while i < n and raw[i].isspace():
            i += 1
        if i >= n:
            return pieces
        if raw[i] != "#":
            return None
        i += 1


#: A number or a macro name: BibTeX's identifiers have none of ``"#%'(),={}`` or spaces.
_NAME = re.compile(r"[^\s\"#%'(),={}]+")
#: What makes a braced value more than one pair of braces: a brace, a final backslash.
_INNER = re.compile(r"[{}]|\\$")
_DELIMITER = re.compile(r'(?<!\\)[{}"]')
#: Between an entry's fields a ``%`` also counts: it starts a comment (btparse).
_DELIMITER_OR_COMMENT = re.compile(r'(?<!\\)[{}"]|%')


def _closing(raw: str, start: int) -> int:
    """The index of the delimiter closing the one at ``start`` (``{`` or ``"``); -1 if none.
    In quotes, braces nest and a quote inside braces is text."""
    depth = 0
    quoted = raw[start] == '"'
    for match in _DELIMITER.finditer(raw, start + 1):
        char = match.group()
        if char == "{":
            depth += 1
        elif char == "}":
            if depth == 0:
                return -1 if quoted else match.start()
            depth -= 1
        elif quoted and depth == 0:
            return match.start()
    return -1


#: Lines per chunk handed to bibtexparser: big enough that its per-call cost does not show.
CHUNK_LINES = 5000


def _chunks(lines: Iterable[str]) -> Iterator[tuple[int, str, list[tuple[int, str, bool]]]]:
    """(first line number, text, comments) of runs of whole entries: a chunk ends before a
    line that starts with ``@`` outside braces, once it has ``CHUNK_LINES`` lines.
    Inside an entry, outside its values (between fields, after the key, after a value), a
    ``%`` starts a comment to the end of the line for biber (btparse's lexer; checked with
    biber 2.18 ``--tool``) and LaTeX users, not a field: it is cut off (line numbers stay)
    and returned as (line, text, whether it is the whole line). In a braced or quoted value
    ``%`` is text, as it is to BibTeX and biber."""
    chunk: list[str] = []
    comments: list[tuple[int, str, bool]] = []
    first = 0
    scanner = _Scanner()
    for number, line in enumerate(lines, 1):
        if len(chunk) >= CHUNK_LINES and scanner.depth == 0 and line.lstrip().startswith("@"):
            yield first, "\n".join(chunk), comments
            chunk, comments = [], []
        if not chunk:
            first = number
        cut = scanner.feed(line)
        if cut >= 0:
            comments.append((number, line[cut:].strip(), not line[:cut].strip()))
            line = line[:cut]
        chunk.append(line)
    if chunk:
        yield first, "\n".join(chunk), comments


class _Scanner:
    """Where a line starts in BibTeX's syntax: the brace depth, inside a quoted value or
    not, inside an entry (not ``@comment``/``@preamble``). Escaped braces do not count, as
    in bibtexparser's splitter."""

    _OPENING = re.compile(r"@\s*([A-Za-z]+)\s*\{")

    def __init__(self) -> None:
        self.depth = 0
        self.quoted = False
        self.is_entry = False

    def in_entry_fields(self) -> bool:
        """True between an entry's fields (depth 1, not in a quoted value)."""
        return self.depth == 1 and not self.quoted and self.is_entry

    def feed(self, line: str) -> int:
        """Move past ``line``; the index of the ``%`` that starts a comment in it (between
        an entry's fields), or -1. The scan stops there: a brace or quote in the comment
        does not count. Outside blocks only ``@type{`` starts one (BibTeX reads everything
        else there as a comment), so other braces there do not count."""
        if "{" not in line and "}" not in line and '"' not in line and "%" not in line:
            return -1
        pos = 0
        while True:
            if self.depth == 0:
                opening = self._OPENING.search(line, pos)
                if opening is None:
                    return -1
                self.is_entry = opening[1].lower() not in _NOT_ENTRIES
                self.depth, self.quoted, pos = 1, False, opening.end()
                continue
            pattern = _DELIMITER_OR_COMMENT if self.in_entry_fields() else _DELIMITER
            match = pattern.search(line, pos)
            if match is None:
                return -1
            pos = match.end()
            if match[0] == "%":
                return match.start()
            if match[0] == "{":
                self.depth += 1
            elif match[0] == "}":
                self.depth = max(self.depth - 1, 0)  # a stray "}" ends the block, no more
            elif self.depth == 1 and self.is_entry:
                self.quoted = not self.quoted


_NOT_ENTRIES = frozenset({"comment", "preamble"})


def _failure(block: Any) -> str:
    reason = str(getattr(block, "error", "")) or type(block).__name__
    return f"cannot parse this BibTeX entry ({reason.splitlines()[0][:120]}); skipped"
