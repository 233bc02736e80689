"""Record → record steps that the pipeline runs in order, after the reader and before keys.

A step takes a record and the run's diagnostics and returns the record (changed or not). It
sees one record at a time, so the stream stays a stream (STYLE.md §5). Today's step:
``textfix.TextCheck``, which reports mis-decoded text or, with ``--fix-text``, repairs it.

Two steps see every record at once, and run only when asked for: ``dedupe`` (``--dedupe``,
before keys are given) and ``sort`` (``--sort``, after). Their choices are named here, so
the command line lists them without importing the modules.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Protocol

from refconv.diagnostics import Diagnostics
from refconv.model import Record

#: What ``--dedupe`` may compare records by (``dedupe.IDENTITIES``).
DEDUPE_BY = ("doi", "key", "title")
#: The orders ``--sort`` knows (``sort.SORT_VALUES``); ``none`` keeps the input order.
SORT_BY = ("none", "key", "author", "year")


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
