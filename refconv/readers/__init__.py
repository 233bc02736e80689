"""The reader plugin interface."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, ClassVar

from ..errors import Diagnostics
from ..model import Record


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
