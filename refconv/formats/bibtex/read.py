"""BibTeX/BibLaTeX reader, built on bibtexparser 2: the file's syntax.

bibtexparser splits the file into entries and resolves ``@string`` macros; an entry it cannot
parse is reported as an error with its line and skipped, the others are read; a ``@preamble``
is reported as not carried. bibtexparser parses whole strings, so this reader holds one chunk
of entries in memory (the others stream). What an entry's fields mean is ``fields``; LaTeX to
Unicode is ``decode``; names are ``names``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import Any

from refconv.formats.base import Reader, ReadRules
from refconv.formats.bibtex.fields import build_record
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
                        yield build_record(block, line, rules)
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
