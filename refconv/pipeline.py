"""Reading sources: format detection and the record stream (``refconv.api`` builds on it)."""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from refconv.diagnostics import Diagnostics, UnknownFormat
from refconv.formats.base import Reader
from refconv.io import iter_lines
from refconv.model import Record
from refconv.plugins import Registry
from refconv.transforms.textfix import check_text

SNIFF_BYTES = 8192


@dataclass
class Source:
    """One input: a label for messages (path or ``<stdin>``) and its byte stream."""

    label: str
    stream: BinaryIO


def peek_text(stream: BinaryIO) -> tuple[BinaryIO, str]:
    """Return (a stream that still yields every byte, the decoded first few KB) for sniffing."""
    if hasattr(stream, "peek"):
        head = stream.peek(SNIFF_BYTES)[:SNIFF_BYTES]
    else:
        data = stream.read()
        stream, head = io.BytesIO(data), data[:SNIFF_BYTES]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return stream, head.decode("utf-16", errors="ignore")
    return stream, head.decode("utf-8", errors="replace").lstrip("\ufeff")


def choose_reader(registry: Registry, source: Source, name: str | None) -> type[Reader]:
    """The reader for one source: ``name`` if given, else by suffix, else by content.

    Raises ``UnknownFormat`` (a ``LookupError``) when nothing fits: a usage error.
    """
    if name:
        return registry.find_reader(name)
    cls = registry.reader_for_path(source.label)
    if cls is None:
        source.stream, head = peek_text(source.stream)
        cls = registry.sniff_reader(head)
    if cls is None:
        known = ", ".join(registry.readers())
        raise UnknownFormat(f"cannot tell the format of {source.label}; use -f FORMAT ({known})")
    return cls


def read_records(
    sources: Iterable[Source],
    registry: Registry,
    diagnostics: Diagnostics,
    *,
    from_format: str | None = None,
    encoding: str | None = None,
    fix_text: bool = False,
    **options: object,
) -> Iterator[Record]:
    """Yield the records of every source in turn, with damaged text reported (or repaired
    with ``fix_text``; see ``refconv.transforms.textfix``)."""
    for source in sources:
        cls = choose_reader(registry, source, from_format)
        reader = cls(diagnostics=diagnostics, **options)
        lines = iter_lines(source.stream, source.label, diagnostics, encoding)
        yield from check_text(reader.read(lines, source.label), diagnostics, fix=fix_text)
