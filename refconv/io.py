"""Turning input bytes into text lines, the one place that knows about encodings.

Order (refer-format.md §1.7): a BOM (UTF-8 or UTF-16) decides; otherwise each line is decoded
as strict UTF-8, and a line that is not valid UTF-8 is decoded as Windows-1252 with one
warning that names the first such line. ``encoding=`` overrides all of this. Line ends may be
LF, CRLF or a lone CR (classic Mac OS); readers see lines without them. Reading is chunked, so
memory does not grow with the input.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Iterator
from typing import AnyStr, BinaryIO

from .errors import Diagnostics, RefconvError

CHUNK_SIZE = 1 << 16
_BYTE_EOL = re.compile(rb"\r\n|\r|\n")
_TEXT_EOL = re.compile(r"\r\n|\r|\n")


def _split_lines(chunks: Iterable[AnyStr], eol: re.Pattern[AnyStr]) -> Iterator[AnyStr]:
    """Yield complete lines from a stream of chunks, splitting on LF, CRLF and lone CR."""
    for block in _line_blocks(chunks):
        yield from eol.split(block)


def _read_chunks(stream: BinaryIO, first: bytes) -> Iterator[bytes]:
    if first:
        yield first
    while chunk := stream.read(CHUNK_SIZE):
        yield chunk


def _decode_cp1252(line: bytes) -> str:
    try:
        return line.decode("cp1252")
    except UnicodeDecodeError:  # five bytes are undefined in cp1252; Latin-1 maps them all
        return line.decode("latin-1")


def iter_lines(
    stream: BinaryIO, path: str, diagnostics: Diagnostics, encoding: str | None = None
) -> Iterator[str]:
    """Yield the decoded lines of a byte stream, without line ends.

    Raises ``RefconvError`` for NUL bytes (binary input) and, with an explicit ``encoding``,
    for bytes that do not decode.
    """
    first = stream.read(max(CHUNK_SIZE, 4))  # room for a BOM whatever the chunk size
    if encoding is None:
        if first.startswith(codecs.BOM_UTF8):
            encoding = "utf-8"
            first = first[len(codecs.BOM_UTF8) :]
        elif first.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            encoding = "utf-16"
    chunks = _read_chunks(stream, first)
    if encoding is None:
        yield from _iter_utf8_or_cp1252(chunks, path, diagnostics)
    else:
        yield from _iter_decoded(chunks, path, encoding)


def _iter_utf8_or_cp1252(chunks: Iterable[bytes], path: str, diagnostics: Diagnostics):
    """Lines decoded as UTF-8, a line that is not as Windows-1252 (with one warning). The
    lines of a block are decoded at once while they are clean UTF-8 without NUL: the common
    case, and a third of the reading time when done line by line."""
    warned = False
    lineno = 0
    for block in _line_blocks(chunks):
        if b"\x00" not in block:
            try:
                lines = _TEXT_EOL.split(block.decode("utf-8"))
            except UnicodeDecodeError:
                pass
            else:
                yield from lines
                lineno += len(lines)
                continue
        for raw in _BYTE_EOL.split(block):
            lineno += 1
            if b"\x00" in raw:
                raise RefconvError("binary data (NUL byte); this is not a text file", path, lineno)
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError:
                if not warned:
                    warned = True
                    diagnostics.warn(
                        "not valid UTF-8; decoding such lines as Windows-1252 "
                        "(use --encoding to choose another encoding)",
                        path,
                        lineno,
                    )
                yield _decode_cp1252(raw)


def _line_blocks(chunks: Iterable[AnyStr]) -> Iterator[AnyStr]:
    """The input as blocks of whole lines joined by their line ends, however the chunks cut
    it: splitting each block at LF, CRLF and lone CR gives the lines."""
    pending = None
    for chunk in chunks:
        text = chunk if pending is None else pending + chunk
        lf, cr = ("\n", "\r") if isinstance(text, str) else (b"\n", b"\r")
        # The last line end; a trailing CR may be the first half of a CRLF split in two.
        end = max(text.rfind(lf), text.rfind(cr, 0, len(text) - 1))
        if end < 0:
            pending = text
            continue
        block, pending = text[:end], text[end + 1 :]
        if text[end : end + 1] == lf and text[end - 1 : end] == cr:  # CRLF
            block = text[: end - 1]
        yield block
    if pending:
        yield pending.rstrip("\r" if isinstance(pending, str) else b"\r")


def _iter_decoded(chunks: Iterable[bytes], path: str, encoding: str) -> Iterator[str]:
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    lineno = 0

    def texts() -> Iterator[str]:
        for chunk in chunks:
            try:
                yield decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                raise RefconvError(
                    f"cannot decode input as {encoding}: {exc.reason}", path, lineno + 1
                ) from None
        yield decoder.decode(b"", final=True)

    for lineno, line in enumerate(_split_lines(texts(), _TEXT_EOL), 1):
        if "\x00" in line:
            raise RefconvError("binary data (NUL character); this is not a text file", path, lineno)
        yield line.lstrip("\ufeff") if lineno == 1 else line
