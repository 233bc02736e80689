"""Formatted references: a bibliography rendered with a CSL style, as text, HTML, Markdown or rST.

citeproc-py does the rendering, with the fixes and caches of ``citeproc``. The
bibliography is sorted and numbered once, in this process; entries are then independent, so
with ``jobs > 1`` they are rendered by worker processes in order-preserving chunks, which gives
output identical to a single process. A record citeproc-py fails on is reported with its
``file:line`` and left out; the others still render.
"""

from __future__ import annotations

import html
import os
import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from functools import cache
from typing import Any, ClassVar, TextIO

from refconv.formats.base import Writer
from refconv.formats.csljson.write import record_to_csl
from refconv.formats.formatted.styles import find_style
from refconv.keys import letter_suffix
from refconv.model import Record

DEFAULT_STYLE = "apa"
CHUNK = 200  # entries per task when rendering in parallel


@cache
def _citeproc():
    """citeproc-py, imported on first use (it costs ~0.2 s) and patched once."""
    import citeproc
    from citeproc.source.json import CiteProcJSON

    from refconv.formats.formatted.citeproc import compat as citeproc_compat

    # REFCONV_SLOW_CITEPROC=1: fixes without caches, for the test that the caches change nothing
    citeproc_compat.install(fast=os.environ.get("REFCONV_SLOW_CITEPROC") != "1")
    return citeproc, CiteProcJSON, citeproc_compat


_STYLES: dict[tuple[str, str | None], Any] = {}


def load_style(name: str, locale: str | None = None):
    """A parsed citeproc-py style (cached per process). Raises ``LookupError``."""
    style = find_style(name)
    key = (str(style.path), locale or style.locale)
    if key not in _STYLES:
        citeproc, _, _ = _citeproc()
        if locale is not None:
            _check_locale(locale)
        try:
            parsed = citeproc.CitationStylesStyle(str(style.path), locale=key[1], validate=False)
        except ValueError as exc:  # an unknown locale
            raise LookupError(str(exc).strip("'")) from None
        except Exception as exc:  # a style file lxml or citeproc-py cannot read
            raise LookupError(f"cannot load style {name!r}: {exc}") from None
        if not parsed.has_bibliography():
            raise LookupError(f"style {name!r} has no bibliography (a note style?)")
        _STYLES[key] = parsed
    return _STYLES[key]


def known_locales() -> list[str]:
    """The locales citeproc-py has files for (``en-US``, ``de-DE``, ...)."""
    from citeproc import LOCALES_PATH

    return sorted(p[8:-4] for p in os.listdir(LOCALES_PATH) if p.startswith("locales-"))


def _check_locale(tag: str) -> None:
    """citeproc-py falls back to en-US for a locale it has no file for; we refuse instead,
    unless the language has a primary dialect (``de`` → ``de-DE``, as citeproc-js does)."""
    from citeproc import PRIMARY_DIALECTS

    known = known_locales()
    if tag in known or tag.split("-")[0] in PRIMARY_DIALECTS:
        return
    import difflib

    close = difflib.get_close_matches(tag, known, n=4)
    hint = f"; did you mean {', '.join(close)}?" if close else f" (known: {' '.join(known)})"
    raise LookupError(f"{tag!r} is not a known locale{hint}")


def _csl_item(record: Record, variables: frozenset[str]) -> dict[str, Any]:
    """The record as citeproc-py input: only the variables it knows (it warns on others and
    crashes on names it does not treat as names, e.g. ``director``), cleaned by
    ``citeproc_compat.normalise`` (no empty names or values, no line breaks)."""
    _, _, compat = _citeproc()
    item = record_to_csl(record)
    known = {k: v for k, v in item.items() if k == "type" or k.replace("-", "_") in variables}
    return compat.normalise(known)


class Entry(str):
    """One rendered entry; ``left``/``right`` are set for styles with ``second-field-align``,
    ``names`` is the text of its authors."""

    left: str = ""
    right: str = ""
    names: str | None = None

    def replaced(self, old: str, new: str) -> Entry:
        """This entry with its leading ``old`` (the authors) replaced by ``new``."""
        entry = Entry(self.replace(old, new, 1))
        entry.left, entry.names = self.left, self.names
        entry.right = self.right.replace(old, new, 1) if self.right else ""
        return entry


def render(
    records: list[Record],
    style_name: str,
    locale: str | None,
    output: str,
    jobs: int = 1,
    diagnostics=None,
    progress=None,
) -> list[Entry]:
    """Render a bibliography of ``records``: entries in the style's order."""
    citeproc, _, compat = _citeproc()
    style = load_style(style_name, locale)
    variables = frozenset(citeproc.VARIABLES)
    protect = compat.protect
    items = []
    for i, record in enumerate(records):
        item = protect(_csl_item(record, variables))
        item["id"] = f"r{i}"
        items.append(item)
    order, suffixes = _sort_and_disambiguate(style, items, records, diagnostics)
    numbered = []
    for number, i in enumerate(order, 1):
        item = dict(items[i])
        numbered.append((i, number, suffixes.get(i), item))
    fmt = (style_name, locale, output)
    if jobs > 1 and len(numbered) > CHUNK:
        chunks = [numbered[k : k + CHUNK] for k in range(0, len(numbered), CHUNK)]
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            results: Iterator[list] = pool.map(_render_chunk, [fmt] * len(chunks), chunks)
            rendered = _progress(results, progress, [len(c) for c in chunks])
            done = [entry for chunk in rendered for entry in chunk]
    else:
        chunks = [numbered[k : k + CHUNK] for k in range(0, len(numbered), CHUNK)]
        results = (_render_chunk(fmt, chunk) for chunk in chunks)
        done = [
            e for chunk in _progress(results, progress, [len(c) for c in chunks]) for e in chunk
        ]
    entries = []
    for i, entry, error in done:
        if error is not None:
            if diagnostics is not None:
                src = records[i].source
                diagnostics.error(f"cannot format this record: {error}", src.path, src.line)
            continue
        if not entry and diagnostics is not None:  # kept as an empty entry: one per record
            src = records[i].source
            diagnostics.warn("the style prints nothing for this record", src.path, src.line)
        entries.append(entry)
    return _substitute_authors(style, entries)


def _substitute_authors(style, entries: list[Entry]) -> list[Entry]:
    """``subsequent-author-substitute`` (rule ``complete-all``): an entry whose authors are
    those of the entry before it shows the substitute ("———") instead."""
    bibliography = style.root.bibliography
    substitute = bibliography.get("subsequent-author-substitute")
    rule = bibliography.get("subsequent-author-substitute-rule", "complete-all")
    if substitute is None or rule != "complete-all":
        return entries
    out, previous = [], None
    for entry in entries:
        names = entry.names
        body = entry.right or entry
        if names and names == previous and body.startswith(names):
            entry = entry.replaced(names, substitute)
        out.append(entry)
        previous = names
    return out


def _progress(results, progress, sizes):
    for size, chunk in zip(sizes, results, strict=True):
        if progress is not None:
            progress(size)
        yield chunk


def _sort_and_disambiguate(style, items, records, diagnostics):
    """The bibliography order (indexes into ``items``) and year suffixes by index."""
    citeproc, CiteProcJSON, compat = _citeproc()
    source = CiteProcJSON(items)
    bibliography = citeproc.CitationStylesBibliography(style, source, _formatter("text"))
    cites = []
    for item in items:
        cite = citeproc.CitationItem(item["id"])
        bibliography.register(citeproc.Citation([cite]))
        cites.append(cite)
    compat.SORT_FAILURES.clear()
    bibliography.sort()
    if diagnostics is not None:
        for key, error in dict(compat.SORT_FAILURES).items():
            src = records[int(key[1:])].source
            diagnostics.warn(
                f"cannot compute a sort key ({error}); sorted last", src.path, src.line
            )
    order = [int(key[1:]) for key in bibliography.keys]
    suffixes: dict[int, str] = {}
    citation = style.root.citation
    if citation is not None and citation.get_option("disambiguate-add-year-suffix") == "true":
        groups: dict[tuple, list[int]] = {}
        for i in order:
            key = _collision_key(items[i])
            if key is not None:
                groups.setdefault(key, []).append(i)
        for members in groups.values():
            if len(members) > 1:
                for n, i in enumerate(members):
                    suffixes[i] = letter_suffix(n)
    return order, suffixes


def _collision_key(item: dict[str, Any]) -> tuple:
    """Works whose author-date citations would read alike: same names, same year. Taken from
    the item citeproc-py renders, so that a name with nothing to print counts as none."""
    issued = item.get("issued") or {}
    parts = issued.get("date-parts") or [[None]]
    year = parts[0][0] if parts and parts[0] else None
    for role in ("author", "editor", "translator"):
        people = item.get(role)
        if people:
            names = tuple(tuple(sorted((k, str(v).lower()) for k, v in p.items())) for p in people)
            return role, names, year
    return ("title", str(item.get("title", "")).lower(), year)


def _render_chunk(fmt: tuple, chunk: list) -> list[tuple[int, Entry | None, str | None]]:
    """Render numbered items one by one: (index, entry or None, error or None)."""
    citeproc, CiteProcJSON, _ = _citeproc()
    style_name, locale, output = fmt
    style = load_style(style_name, locale)
    formatter = _formatter(output)
    items = [item for _, _, _, item in chunk]
    source = CiteProcJSON(items)
    bibliography = citeproc.CitationStylesBibliography(style, source, formatter)
    layout = style.root.bibliography.layout
    inside = _punctuation_in_quote(style)
    escapes, markup = ESCAPES[output], MARKUP[output]
    out = []
    for i, number, suffix, item in chunk:
        cite = citeproc.CitationItem(item["id"])
        bibliography.register(citeproc.Citation([cite]))
        reference = source[cite.key]
        reference.refconv_number = number
        if suffix:
            reference.year_suffix = suffix
        try:
            (text,) = layout.render_bibliography([cite])
        except Exception as exc:  # citeproc-py's own failure: report, go on
            out.append((i, None, f"{type(exc).__name__}: {exc}".rstrip(": ")))
            continue
        out.append((i, _guard_start(_finish(text, inside, escapes, markup), output), None))
    return out


def _finish(
    text: Any, inside: bool, escapes: dict[str, str], markup: dict[str, tuple[str, str]]
) -> Entry:
    """The rendered entry escaped for its output, with the writer's own markup."""
    _, _, compat = _citeproc()

    def clean(s: str) -> str:
        text = compat.apply_quote_punctuation(str(s), inside)
        return compat.finish(text, escapes, markup, nested=markup is not MARKUP["rst"]).strip()

    entry = Entry(clean(text))
    if getattr(text, "left", ""):
        entry.left, entry.right = clean(text.left), clean(text.right)
    if getattr(text, "names", None):
        entry.names = clean(text.names)
    return entry


def _punctuation_in_quote(style) -> bool:
    value = style.root.get_locale_option("punctuation-in-quote")
    return str(value).lower() == "true"


@cache
def _formatter(output: str):
    """Plain text for ``text`` (and sort keys); for the markup outputs a formatter that
    writes marks, not markup (``citeproc_compat.MarkFormatter``), so that ``_finish`` can
    escape everything else, the style's own text included (``prefix="&lt;"`` made elements)."""
    _, _, compat = _citeproc()
    return compat.PlainFormatter if output == "text" else compat.MarkFormatter


#: The only markup a formatted entry holds: the font styles citeproc-py applies, as its HTML
#: and rST formatters write them (Markdown: CommonMark emphasis, HTML for the rest); a
#: style's "light" or "underline" prints as plain text where the output has no such markup.
MARKUP: dict[str, dict[str, tuple[str, str]]] = {
    "text": {},
    "html": {
        "italic": ("<i>", "</i>"),
        "bold": ("<b>", "</b>"),
        "underline": ("<u>", "</u>"),
        "superscript": ("<sup>", "</sup>"),
        "subscript": ("<sub>", "</sub>"),
        "small-caps": ('<span style="font-variant:small-caps;">', "</span>"),
    },
    "markdown": {
        "italic": ("*", "*"),
        "bold": ("**", "**"),
        "superscript": ("<sup>", "</sup>"),
        "subscript": ("<sub>", "</sub>"),
        "small-caps": ('<span style="font-variant:small-caps">', "</span>"),
    },
    "rst": {
        "italic": (":emphasis:`", "`"),
        "bold": (":strong:`", "`"),
        "superscript": (":superscript:`", "`"),
        "subscript": (":subscript:`", "`"),
    },
}

#: How each output escapes text, the record's and the style's alike (``:`` and ``@`` stand for
#: the marked ones only: a URI scheme's colon and an e-mail address's at sign).
ESCAPES: dict[str, dict[str, str]] = {
    "text": {},
    "html": {"<": "&lt;", ">": "&gt;", "&": "&amp;"},
    "markdown": {c: "\\" + c for c in "<>*_`[]\\#|~:@"} | {"&": "&amp;"},
    "rst": {c: "\\" + c for c in "*_`|\\:@"},
}

#: Record text at the start of a line that Markdown (CommonMark 0.31: list items, §5.2-5.3)
#: or rST (docutils: bullet and enumerated lists, field lists, explicit markup ``..``,
#: doctest blocks, line blocks: all start with punctuation or an enumerator) would read as
#: the start of a block; its last character gets a backslash.
_BLOCK_START = {
    "markdown": re.compile(r"\d{0,9}[.)](?=\s|$)|[-+](?=\s|$)"),
    "rst": re.compile(r"[!-/:-@\[\]-`{-~]|(?:\d+|[A-Za-z]|[ivxlcdmIVXLCDM]+)[.)](?=\s|$)"),
}

#: an entry that starts with the formatter's own role (its text cannot open a block)
_STYLE_ROLE = re.compile(r":(?:emphasis|strong|superscript|subscript):`")


#: a role citeproc-py's rST formatter writes (record text in it has its backticks escaped)
_ROLE = re.compile(r":(?:emphasis|strong|superscript|subscript):`(?:[^`\\]|\\.)*`")


def _separate_roles(text: str) -> str:
    """rST text whose roles docutils recognises: inline markup must follow whitespace or
    an opening/dash/other punctuation and be followed by whitespace or closing/dash/other
    punctuation (docutils "Inline markup recognition rules"); APA's italic volume before
    "(3)" broke that. An escaped space, which docutils removes, separates them."""
    out, last = [], 0
    for m in _ROLE.finditer(text):
        start, end = m.span()
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        out.append(text[last:start])
        if not _may_open(before):
            out.append("\\ ")
        out.append(m[0])
        if not _may_close(after):
            out.append("\\ ")
        last = end
    out.append(text[last:])
    return "".join(out)


_CLOSERS = ("Pe", "Pi", "Pf", "Pd", "Po")


def _may_open(c: str) -> bool:
    """docutils: inline markup may follow whitespace, one of ``- : / ' " < ( [ {``, or
    similar non-ASCII punctuation (a "." before ``:strong:`` made a title reference)."""
    if c.isspace() or c in "-:/'\"<([{":
        return True
    return not c.isascii() and unicodedata.category(c) in ("Ps", "Pi", "Pf", "Pd", "Po")


def _may_close(c: str) -> bool:
    """docutils: inline markup may precede whitespace, one of ``- . , : ; ! ? / ' " ) ] } >``
    or similar non-ASCII punctuation (the backslash is not: it would escape the space)."""
    if c.isspace() or c in "-.,:;!?/'\")]}>":
        return True
    return not c.isascii() and unicodedata.category(c) in _CLOSERS


def _guard_start(entry: Entry, output: str) -> Entry:
    """The entry as a paragraph of its output: in rST its roles separated from the text around
    them and a closing "::" escaped (it would make the next entry a literal block); in both
    rST and Markdown a block marker at its start escaped (a title "1984. A novel" is not an
    ordered list), or at the start of its right column (the style's number in the left one
    makes a list item of the rest)."""
    if output == "rst" and ":`" in entry:
        separated = Entry(_separate_roles(entry))
        separated.names = entry.names
        if entry.left:
            separated.left, separated.right = entry.left, _separate_roles(entry.right)
        entry = separated
    if output == "rst" and entry.endswith("::"):  # would make the next entry a literal block
        entry = entry.replaced(entry, entry[:-1] + "\\:")
    pattern = _BLOCK_START.get(output)
    if pattern is None:
        return entry
    # with a left column the right one starts where a list item's text would ("2. - E.")
    start = entry.right if entry.left else str(entry)
    m = None if _STYLE_ROLE.match(start) else pattern.match(start)
    if m:
        cut = m.end() - 1
        entry = entry.replaced(start, start[:cut] + "\\" + start[cut:])
    return entry
    m = pattern.match(entry)
    if m:
        cut = m.end() - 1
        entry = entry.replaced(entry, entry[:cut] + "\\" + entry[cut:])
    return entry
    m = pattern.match(entry)
    if m:
        cut = m.end() - 1 if output == "rst" else m.start() + len(m[0].rstrip()) - 1
        entry = entry.replaced(entry, entry[:cut] + "\\" + entry[cut:])
    if output == "rst" and entry.endswith("::"):  # "Title::" would make the next a literal
        entry = entry.replaced(entry, entry[:-1] + "\\:")
    return entry


class FormattedWriter(Writer):
    """Base of the formatted-reference writers: renders, then lays the entries out."""

    needs_all = True
    output: ClassVar[str] = "text"

    def write(self, records: Iterable[Record], out: TextIO) -> None:
        """Render every record with ``--style``/``--locale`` and write the bibliography."""
        records = list(records)
        options = self.options
        jobs = int(options.get("jobs") or os.cpu_count() or 1)
        bar = _progress_bar(len(records)) if len(records) >= 500 else None
        try:
            entries = render(
                records,
                options.get("style") or DEFAULT_STYLE,
                options.get("locale"),
                self.output,
                jobs=jobs,
                diagnostics=self.diagnostics,
                progress=bar.update if bar else None,
            )
        finally:
            if bar is not None:
                bar.render_finish()
        out.write(self.document(entries))

    def document(self, entries: list[Entry]) -> str:
        """The entries laid out as a whole document of this format."""
        return "".join(e + "\n" for e in entries)


def _progress_bar(total: int):
    """A progress bar on stderr when it is a terminal, else None."""
    if not sys.stderr.isatty():
        return None
    import click

    bar = click.progressbar(length=total, label="formatting", file=sys.stderr)
    bar.__enter__()
    return bar


class TextWriter(FormattedWriter):
    """Plain text, one entry per line."""

    name = "text"
    aliases = ("txt", "plain")
    suffixes = ()
    out_suffix = ".txt"
    description = "formatted references, plain text (--style, default apa)"
    output = "text"


class _ParagraphWriter(FormattedWriter):
    """A lightweight markup: entries separated by blank lines, so each is a paragraph."""

    def document(self, entries: list[Entry]) -> str:
        """Entries separated by blank lines."""
        return "\n".join(e + "\n" for e in entries)


class MarkdownWriter(_ParagraphWriter):
    """Markdown, one paragraph per entry, record text escaped."""

    name = "markdown"
    aliases = ("md",)
    suffixes = (".md",)
    description = "formatted references, Markdown (--style)"
    output = "markdown"


class RstWriter(_ParagraphWriter):
    """reStructuredText, one paragraph per entry, record text escaped."""

    name = "rst"
    aliases = ()
    suffixes = (".rst",)
    description = "formatted references, reStructuredText (--style)"
    output = "rst"


class HtmlWriter(FormattedWriter):
    """HTML: a ``csl-bib-body`` fragment as citeproc-js makes it, or a page (--standalone)."""

    name = "html"
    aliases = ()
    suffixes = (".html", ".htm")
    description = "formatted references, HTML fragment or page (--style, --standalone)"
    output = "html"

    def document(self, entries: list[Entry]) -> str:
        """The fragment, wrapped in a minimal valid page with ``--standalone``."""
        lines = ['<div class="csl-bib-body">']
        for entry in entries:
            if entry.left:
                lines.append(
                    f'  <div class="csl-entry"><div class="csl-left-margin">{entry.left}</div>'
                    f'<div class="csl-right-inline">{entry.right}</div></div>'
                )
            else:
                lines.append(f'  <div class="csl-entry">{entry}</div>')
        lines.append("</div>")
        body = "\n".join(lines) + "\n"
        if not self.options.get("standalone"):
            return body
        title = html.escape(str(self.options.get("title") or "References"))
        return (
            "<!DOCTYPE html>\n"
            '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{title}</title>\n"
            "<style>\n"
            ".csl-entry { margin: 0 0 0.6em 2em; text-indent: -2em; }\n"
            ".csl-left-margin { float: left; width: 2.5em; text-indent: 0; }\n"
            ".csl-right-inline { margin-left: 2.5em; text-indent: 0; }\n"
            "</style>\n</head>\n<body>\n"
            f"{body}"
            "</body>\n</html>\n"
        )
