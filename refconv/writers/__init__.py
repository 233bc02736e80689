"""The writer plugin interface."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar, TextIO

from ..errors import Diagnostics
from ..model import Record


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

    def __init__(self, *, diagnostics: Diagnostics | None = None, **options: Any):
        self.diagnostics = diagnostics or Diagnostics()
        self.options = options

    def write(self, records: Iterable[Record], out: TextIO) -> None:
        """Write ``records`` to ``out``."""
        raise NotImplementedError
