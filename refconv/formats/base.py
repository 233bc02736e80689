"""The plugin interface: Reader and Writer bases."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, ClassVar, TextIO

from refconv.diagnostics import Diagnostics
from refconv.model import Record
from refconv.notes import note_label


class Reader:
    """Base class of reader plugins: text lines in, ``Record`` objects out, one at a time.

    A plugin declares ``name``, ``aliases``, ``suffixes`` and a one-line ``description``, and
    takes its options as keyword arguments (unknown options are ignored, so one CLI can pass
    the same option set to every plugin).
    """

    name: ClassVar[str] = ""
    aliases: ClassVar[tuple[str, ...]] = ()
    suffixes: ClassVar[tuple[str, ...]] = ()
    description: ClassVar[str] = ""

    def __init__(self, *, diagnostics: Diagnostics | None = None, **options: Any):
        self.diagnostics = diagnostics or Diagnostics()
        self.options = options

    @classmethod
    def sniff(cls, head: str) -> bool:
        """Return True if ``head`` (the first few KB of an input) looks like this format."""
        return False

    def read(self, lines: Iterable[str], path: str) -> Iterator[Record]:
        """Yield the records of ``lines`` (text without line ends); ``path`` names the input."""
        raise NotImplementedError


class Writer:
    """Base class of writer plugins: records in, text out, as prologue → records → epilogue.

    Each record is formatted into one complete string before a single ``out.write``, so a
    failure never leaves half a record. ``needs_all`` is True only for writers that must see
    every record before writing (formatted bibliographies sort and disambiguate).
    """

    name: ClassVar[str] = ""
    aliases: ClassVar[tuple[str, ...]] = ()
    suffixes: ClassVar[tuple[str, ...]] = ()
    description: ClassVar[str] = ""
    needs_all: ClassVar[bool] = False
    #: The suffix of batch outputs (``--out-dir``) when it is not the first of ``suffixes``.
    out_suffix: ClassVar[str] = ""

    @classmethod
    def output_suffix(cls) -> str:
        """The suffix ``--out-dir`` gives this writer's files."""
        return cls.out_suffix or (cls.suffixes[0] if cls.suffixes else f".{cls.name}")

    def __init__(self, *, diagnostics: Diagnostics | None = None, **options: Any):
        self.diagnostics = diagnostics or Diagnostics()
        self.options = options

    def write(self, records: Iterable[Record], out: TextIO) -> None:
        """Write ``records`` to ``out``."""
        raise NotImplementedError

    def account(
        self,
        record: Record,
        moved: Iterable[str],
        where: str,
        written_as: str,
        reads_back_as: str | None,
    ) -> None:
        """Tell the diagnostics (for --report and --strict) what this record lost its own
        field for: the keys kept in ``where`` (the note field), and its type when the type
        written (``written_as``) reads back as another CSL type."""
        for key in moved:
            self.diagnostics.unplaced(
                note_label(key), where, self.name, record.source.path, record.source.line
            )
        if reads_back_as != record.type:
            self.diagnostics.changed_type(f"{record.type} -> {written_as}")
