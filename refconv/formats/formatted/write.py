"""Formatted references: a bibliography rendered with a CSL style, as text, HTML, Markdown or rST.

citeproc-py does the rendering, with the fixes and caches of ``formatted.citeproc``; the
markup and escapes of each output are in ``markup``. The
bibliography is sorted and numbered once, in this process; entries are then independent, so
with ``jobs > 1`` they are rendered by worker processes in order-preserving chunks, which gives
output identical to a single process. A record citeproc-py fails on is reported with its
``file:line`` and left out; the others still render.
"""

from __future__ import annotations

import gc
import html
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from functools import cache
from types import ModuleType
from typing import Any, ClassVar, TextIO

from refconv.diagnostics import Diagnostics
from refconv.formats.base import Writer
from refconv.formats.csljson.read import CUSTOM_VARIABLES
from refconv.formats.csljson.write import record_to_csl
from refconv.formats.formatted import citeproc as layer
from refconv.formats.formatted.citeproc.protect import apply_quote_punctuation, finish, normalise
from refconv.formats.formatted.citeproc.protect import protect as protect_item
from refconv.formats.formatted.markup import ESCAPES, MARKUP, Entry, guard_start
from refconv.formats.formatted.styles import find_style
from refconv.keys import letter_suffix
from refconv.model import DATE_VARIABLES, NAME_VARIABLES, TEXT_VARIABLES, Record
from refconv.values.text import strip_nocase

DEFAULT_STYLE = "apa"
CHUNK = 200  # entries per task when rendering in parallel
#: the fewest entries for which ``--jobs`` defaults to more than one process (see
#: ``default_jobs``): above every size measured, since parallel rendering never paid there
PARALLEL_FROM = 20_000


#: one rendered entry of a chunk: (index of the record, entry or None, error or None)
Done = tuple[int, Entry | None, str | None]
#: one item to render: (index of the record, its number, its year suffix, the CSL item)
Numbered = tuple[int, int, str | None, dict[str, Any]]


@cache
def _citeproc() -> tuple[ModuleType, Any]:
    """citeproc-py and its CiteProcJSON source, imported on first use (it costs ~0.2 s), with
    our layer installed once."""
    import citeproc
    from citeproc.source.json import CiteProcJSON

    # REFCONV_SLOW_CITEPROC=1: fixes without caches, for the test that the caches change nothing
    layer.install(fast=os.environ.get("REFCONV_SLOW_CITEPROC") != "1")
    register_variables(citeproc)  # in every process that renders: workers too
    return citeproc, CiteProcJSON


_STYLES: dict[tuple[str, str | None], Any] = {}


def load_style(name: str, locale: str | None = None) -> Any:
    """A parsed citeproc-py style (cached per process). Raises ``LookupError``."""
    style = find_style(name)
    key = (str(style.path), locale or style.locale)
    if key not in _STYLES:
        citeproc, _ = _citeproc()
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
    """The record as citeproc-py input: the variables it knows once ``register_variables``
    has added CSL 1.0.2's (it warns on others), cleaned by ``citeproc.protect.normalise``
    (no empty names or values, no line breaks). A CSL 1.0.2 variable refconv's model has
    no field for (``part-number``...) comes from ``custom``, where readers keep it.
    ``event-title`` is not offered as CSL 1.0.1's ``event``: citeproc-js does not, and a 1.0.1
    style testing ``variable="event"`` (harvard-cite-them-right: any type with an event) would
    print what citeproc-js leaves out."""
    item = record_to_csl(record, name_attributes=False)  # citeproc-py warns on them
    lift_custom(item)
    known = {
        k: strip_nocase(v) if isinstance(v, str) else v  # citeproc-py would print the mark
        for k, v in item.items()
        if k == "type" or k.replace("-", "_") in variables
    }
    cleaned: dict[str, Any] = normalise(known)
    return cleaned


#: CSL 1.0.2 number variables (Appendix IV, "Number Variables") citeproc-py 1.0.1 lacks;
#: it sorts a number variable as a number only when it is on its list.
CSL_102_NUMBERS = ("part-number", "printing-number", "supplement-number")


def register_variables(citeproc: ModuleType) -> None:
    """Add the CSL 1.0.2 variables to citeproc-py's 1.0.1 lists, in place: its ``Reference``
    warns on a key not on ``VARIABLES``, ``CiteProcJSON`` reads names and dates only for
    keys on ``NAMES`` and ``DATES`` (a ``director`` list crashed it), and the sort reads
    ``NUMBERS``. Its locales have the CSL 1.0.2 role terms ("dir."). Idempotent."""
    lists: list[tuple[list[str], Iterable[str]]] = [
        (citeproc.VARIABLES, (*TEXT_VARIABLES, *CUSTOM_VARIABLES, *DATE_VARIABLES)),
        (citeproc.VARIABLES, NAME_VARIABLES),
        (citeproc.NAMES, NAME_VARIABLES),
        (citeproc.DATES, DATE_VARIABLES),
        (citeproc.NUMBERS, CSL_102_NUMBERS),
    ]
    for known, names in lists:
        for name in names:
            key = name.replace("-", "_")
            if key not in known:
                known.append(key)


def lift_custom(item: dict[str, Any]) -> None:
    """Move a CSL 1.0.2 variable the model keeps in ``custom`` (one value) into the item."""
    custom = item.get("custom")
    if not isinstance(custom, dict):
        return
    for var in CUSTOM_VARIABLES:
        values = custom.get(var)
        if var not in item and isinstance(values, list) and len(values) == 1:
            item[var] = values[0]


def default_jobs(entries: int, cores: int) -> int:
    """The ``--jobs`` default for a bibliography of ``entries`` on ``cores`` cores.

    One process below ``PARALLEL_FROM`` entries: with ``--jobs 2`` on 2 cores, APA and IEEE
    at 1k and 10k references took 2-12 % more CPU time (the forked workers copy the parent's
    pages, the items and entries are pickled), and saved wall time only when the second core
    was idle (``benchmarks/run.py``).
    From there on, one worker per core, never more workers than chunks of ``CHUNK`` entries."""
    if entries < PARALLEL_FROM or cores < 2:
        return 1
    return min(cores, -(-entries // CHUNK))


def render(
    records: list[Record],
    style_name: str,
    locale: str | None,
    output: str,
    jobs: int = 1,
    diagnostics: Diagnostics | None = None,
    progress: Callable[[int], Any] | None = None,
) -> list[Entry]:
    """Render a bibliography of ``records``: entries in the style's order (``jobs``: worker
    processes, default 1; ``progress`` is called with the number of entries of each chunk)."""
    citeproc, _ = _citeproc()
    style = load_style(style_name, locale)
    variables = frozenset(citeproc.VARIABLES)
    items = []
    for i, record in enumerate(records):
        item = protect_item(_csl_item(record, variables))
        item["id"] = f"r{i}"
        items.append(item)
    with _frozen_heap():
        order, suffixes, source = _sort_and_disambiguate(style, items, records, diagnostics)
        numbered: list[Numbered] = []
        for number, i in enumerate(order, 1):
            numbered.append((i, number, suffixes.get(i), items[i]))
        fmt = (style_name, locale, output)
        chunks = [numbered[k : k + CHUNK] for k in range(0, len(numbered), CHUNK)]
        done: list[Done]
        if jobs > 1 and len(numbered) > CHUNK:
            with ProcessPoolExecutor(max_workers=jobs) as pool:
                results: Iterator[list[Done]] = pool.map(_render_chunk, [fmt] * len(chunks), chunks)
                rendered = _progress(results, progress, [len(c) for c in chunks])
                done = [entry for chunk in rendered for entry in chunk]
        else:
            results = (_render_chunk(fmt, chunk, source) for chunk in chunks)
            done = [
                e for chunk in _progress(results, progress, [len(c) for c in chunks]) for e in chunk
            ]
        entries: list[Entry] = []
        for i, entry, error in done:
            if error is not None:
                if diagnostics is not None:
                    src = records[i].source
                    diagnostics.error(
                        f"cannot format this record: {error}",
                        src.path,
                        src.line,
                        code="format-failed",
                    )
                continue
            if not entry and diagnostics is not None:  # rendered empty: warned, left out
                src = records[i].source
                diagnostics.warn(
                    "the style prints nothing for this record",
                    src.path,
                    src.line,
                    code="empty-entry",
                )
            if entry is not None:
                entries.append(entry)
        return _substitute_authors(style, entries)


@contextmanager
def _frozen_heap() -> Iterator[None]:
    """Leave what exists now (the parsed style, the records and items) out of the garbage
    collector's full passes while a bibliography renders: each pass walked every object of the
    heap, 5 % of the CPU time of 10,000 APA references. Cycles among these objects are
    collected again once the render ends (``gc.unfreeze``)."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _substitute_authors(style: Any, entries: list[Entry]) -> list[Entry]:
    """``subsequent-author-substitute`` (rule ``complete-all``): an entry whose authors are
    those of the entry before it shows the substitute ("———") instead."""
    bibliography = style.root.bibliography
    substitute = bibliography.get("subsequent-author-substitute")
    rule = bibliography.get("subsequent-author-substitute-rule", "complete-all")
    if substitute is None or rule != "complete-all":
        return entries
    out: list[Entry] = []
    previous = None
    for entry in entries:
        names = entry.names
        body = entry.right or entry
        if names and names == previous and body.startswith(names):
            entry = entry.replaced(names, substitute)
        out.append(entry)
        previous = names
    return out


def _progress(
    results: Iterable[list[Done]], progress: Callable[[int], Any] | None, sizes: list[int]
) -> Iterator[list[Done]]:
    """The chunks of ``results``, telling ``progress`` the size of each as it arrives."""
    for size, chunk in zip(sizes, results, strict=True):
        if progress is not None:
            progress(size)
        yield chunk


def _sort_and_disambiguate(
    style: Any,
    items: list[dict[str, Any]],
    records: list[Record],
    diagnostics: Diagnostics | None,
) -> tuple[list[int], dict[int, str], Any]:
    """The bibliography order (indexes into ``items``), year suffixes by index, and the
    items as citeproc-py references (a ``CiteProcJSON``), for rendering in this process."""
    citeproc, CiteProcJSON = _citeproc()
    source = CiteProcJSON(items)
    bibliography = citeproc.CitationStylesBibliography(style, source, _formatter("text"))
    for item in items:
        _register(bibliography, citeproc.CitationItem(item["id"]))
    bibliography.sort()
    failures = getattr(bibliography, layer.SORT_FAILURES, [])  # see bibliography.sort_keys
    if diagnostics is not None:
        for key, error in dict(failures).items():
            src = records[int(key[1:])].source
            diagnostics.warn(
                f"cannot compute a sort key ({error}); sorted last",
                src.path,
                src.line,
                code="sort-failed",
            )
    order = [int(key[1:]) for key in bibliography.keys]
    suffixes: dict[int, str] = {}
    citation = style.root.citation
    if citation is not None and citation.get_option("disambiguate-add-year-suffix") == "true":
        groups: dict[tuple[Any, ...], list[int]] = {}
        for i in order:
            key = _collision_key(items[i])
            if key is not None:
                groups.setdefault(key, []).append(i)
        for members in groups.values():
            if len(members) > 1:
                for n, i in enumerate(members):
                    suffixes[i] = letter_suffix(n)
    return order, suffixes, source


def _register(bibliography: Any, cite: Any) -> Any:
    """``bibliography.register(Citation([cite]))`` for an item whose id is new (ours are
    ``r0``, ``r1``...): citeproc-py searched its list of keys for every item it registered,
    a quadratic cost (a second of 10,000 references)."""
    citeproc, _ = _citeproc()
    citeproc.Citation([cite]).bibliography = bibliography
    bibliography.keys.append(cite.key)
    bibliography.items.append(cite)
    return cite


def _collision_key(item: dict[str, Any]) -> tuple[Any, ...]:
    """Works whose author-date citations would read alike: same names, same year. Taken from
    the item citeproc-py renders, so that a name with nothing to print counts as none. An
    open-ended range ("2018–", an end of zeros) reads unlike its year alone, as in
    citeproc-js, which gives "2018–" no year suffix beside a "2018"."""
    issued = item.get("issued") or {}
    parts = issued.get("date-parts") or [[None]]
    year: Any = parts[0][0] if parts and parts[0] else None
    if len(parts) == 2 and parts[1] and not any(parts[1]):
        year = (year, "–")
    for role in ("author", "editor", "translator"):
        people = item.get(role)
        if people:
            names = tuple(tuple(sorted((k, str(v).lower()) for k, v in p.items())) for p in people)
            return role, names, year
    return ("title", str(item.get("title", "")).lower(), year)


def _render_chunk(
    fmt: tuple[str, str | None, str], chunk: list[Numbered], parsed: Any = None
) -> list[Done]:
    """Render numbered items one by one: (index, entry or None, error or None). ``parsed``:
    the items already read by citeproc-py in this process (a worker reads its chunk)."""
    citeproc, CiteProcJSON = _citeproc()
    style_name, locale, output = fmt
    style = load_style(style_name, locale)
    formatter = _formatter(output)
    source = CiteProcJSON([item for _, _, _, item in chunk]) if parsed is None else parsed
    bibliography = citeproc.CitationStylesBibliography(style, source, formatter)
    layout = style.root.bibliography.layout
    inside = _punctuation_in_quote(style)
    escapes, markup = ESCAPES[output], MARKUP[output]
    out: list[Done] = []
    for i, number, suffix, item in chunk:
        cite = _register(bibliography, citeproc.CitationItem(item["id"]))
        reference = source[cite.key]
        reference.refconv_number = number
        if suffix:
            reference.year_suffix = suffix
        try:
            (text,) = layout.render_bibliography([cite])
        except Exception as exc:  # citeproc-py's own failure: report, go on
            out.append((i, None, f"{type(exc).__name__}: {exc}".rstrip(": ")))
            continue
        out.append((i, guard_start(_finish(text, inside, escapes, markup), output), None))
    return out


def _finish(
    text: Any, inside: bool, escapes: dict[str, str], markup: dict[str, tuple[str, str]]
) -> Entry:
    """The rendered entry escaped for its output, with the writer's own markup."""

    def clean(s: str) -> str:
        text = apply_quote_punctuation(str(s), inside)
        return finish(text, escapes, markup, nested=markup is not MARKUP["rst"]).strip()

    entry = Entry(clean(text))
    if getattr(text, "left", ""):
        entry.left, entry.right = clean(text.left), clean(text.right)
    if getattr(text, "names", None):
        entry.names = clean(text.names)
    return entry


def _punctuation_in_quote(style: Any) -> bool:
    value = style.root.get_locale_option("punctuation-in-quote")
    return str(value).lower() == "true"


def _formatter(output: str) -> type[Any]:
    """Plain text for ``text`` (and sort keys); for the markup outputs a formatter that
    writes marks, not markup (``formatter.MarkFormatter``), so that ``_finish`` can escape
    everything else, the style's own text included (``prefix="&lt;"`` made elements)."""
    from refconv.formats.formatted.citeproc.formatter import MarkFormatter, PlainFormatter

    return PlainFormatter if output == "text" else MarkFormatter


class FormattedWriter(Writer):
    """Base of the formatted-reference writers: renders, then lays the entries out."""

    needs_all = True
    output: ClassVar[str] = "text"

    def write(self, records: Iterable[Record], out: TextIO) -> None:
        """Render every record with ``--style``/``--locale`` and write the bibliography."""
        records = list(records)
        options = self.options
        jobs = int(options.get("jobs") or default_jobs(len(records), os.cpu_count() or 1))
        text = self.diagnostics.form == "text"  # JSON Lines on stderr: no bar among them
        bar = _progress_bar(len(records)) if len(records) >= 500 and text else None
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


def _progress_bar(total: int) -> Any:
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
    suffixes = (".txt",)
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
