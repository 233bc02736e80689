"""Record → record steps that the pipeline runs in order, after the reader and before keys.

A step takes a record and the run's diagnostics and returns the record (changed or not). It
sees one record at a time, so the stream stays a stream (STYLE.md §5). Today's step:
``textfix.TextCheck``, which reports mis-decoded text or, with ``--fix-text``, repairs it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Protocol

from refconv.diagnostics import Diagnostics
from refconv.model import Record


class Transform(Protocol):
    """One record → record step."""

    def __call__(self, record: Record, diagnostics: Diagnostics, /) -> Record:
        """Return ``record`` transformed; report what was changed or found to ``diagnostics``."""
        ...


def apply_transforms(
    steps: Sequence[Transform], records: Iterable[Record], diagnostics: Diagnostics
) -> Iterator[Record]:
    """Yield each of ``records`` after every step, in order."""
    for record in records:
        for step in steps:
            record = step(record, diagnostics)
        yield record
