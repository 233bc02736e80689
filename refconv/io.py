"""Turning input bytes into text lines, the one place that knows about encodings.

Order (refer-format.md §1.7): a BOM (UTF-8 or UTF-16) decides; otherwise each line is decoded
as strict UTF-8, and a line that is not valid UTF-8 is decoded as Windows-1252 with one
warning that names the first such line. ``encoding=`` overrides all of this (text encodings
only: ``rot13`` or ``base64`` are not ways to store text). Line ends may be LF, CRLF or a lone
CR (classic Mac OS); readers see lines without them.

Reading is chunked and linear: each chunk is searched once, for line ends and for NUL (so
binary input such as ``/dev/zero`` is refused at its first chunk). A line longer than
``MAX_LINE`` (64 MiB: bytes, or characters when ``encoding=`` or a UTF-16 BOM decides) is
refused with one error naming it, so memory stays bounded by the longest allowed line
whatever the input; a minified CSL-JSON file is one line and may be that large.
"""

from __future__ import annotations

import codecs
import errno
import io
import itertools
import os
import re
import stat
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, AnyStr, BinaryIO, TypeGuard, Union

from refconv.diagnostics import Diagnostics, RefconvError

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

CHUNK_SIZE = 1 << 16
#: The longest line read (see the module docstring); longer ones are an error.
MAX_LINE = 64 << 20
#: How much of an input the format sniffers see.
SNIFF_BYTES = 8192
STDIN_LABEL = "<stdin>"
_BYTE_EOL = re.compile(rb"\r\n|\r|\n")
_TEXT_EOL = re.compile(r"\r\n|\r|\n")


class _BadChunk(Exception):
    """Raised by ``_line_blocks`` for input that is refused; the caller adds path and line."""


_NOT_FOR_INPUT = frozenset({"unicode-escape", "raw-unicode-escape", "undefined"})


def check_encoding(name: str) -> str:
    """Return ``name`` if it is a known text encoding; raise ``LookupError`` otherwise.

    Python's codec registry also holds bytes-to-bytes and text-to-text codecs (``hex``,
    ``base64``, ``zlib``, ``rot13``); ``CodecInfo._is_text_encoding`` is the flag the stdlib
    itself uses (``str.encode`` refuses those codecs by it).
    """
    try:
        info = codecs.lookup(name)
    except LookupError:
        raise LookupError(f"unknown encoding {name!r}") from None
    # The escape codecs decode text as well as bytes: "\\x41" in the input would become "A";
    # "undefined" refuses every byte.
    if info.name in _NOT_FOR_INPUT:
        raise LookupError(
            f"{name!r} is not an input encoding (it rewrites escapes or refuses every byte); "
            "give one such as utf-8, latin-1 or cp1252"
        )
    if not getattr(info, "_is_text_encoding", True):
        raise LookupError(
            f"{name!r} is not a text encoding (it does not decode bytes to text); "
            "give one such as utf-8, latin-1 or cp1252"
        )
    return name


def _split_lines(chunks: Iterable[AnyStr], eol: re.Pattern[AnyStr]) -> Iterator[AnyStr]:
    """Yield complete lines from a stream of chunks, splitting on LF, CRLF and lone CR."""
    for block in _line_blocks(chunks):
        yield from eol.split(block)


def _read_chunks(stream: BinaryIO, first: bytes) -> Iterator[bytes]:
    if first:
        yield first
    while chunk := stream.read(CHUNK_SIZE):
        yield chunk


#: The warning for the first line of an input that is not UTF-8 (one per input).
CP1252_FALLBACK = (
    "not valid UTF-8; decoding such lines as Windows-1252 "
    "(use --encoding to choose another encoding)"
)


def _decode_cp1252(line: bytes) -> str:
    try:
        return line.decode("cp1252")
    except UnicodeDecodeError:  # five bytes are undefined in cp1252; Latin-1 maps them all
        return line.decode("latin-1")


def iter_lines(
    stream: BinaryIO,
    path: str,
    diagnostics: Diagnostics,
    encoding: str | None = None,
    first_line: int = 1,
) -> Iterator[str]:
    """Yield the decoded lines of a byte stream, without line ends.

    Raises ``RefconvError`` for NUL (binary input), a line longer than ``MAX_LINE`` and,
    with an explicit ``encoding``, for bytes that do not decode. ``first_line`` is the
    number of the stream's first line in its input (a part of a big one starts further on);
    messages name lines by it.
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
        yield from _iter_utf8_or_cp1252(chunks, path, diagnostics, first_line - 1)
    else:
        yield from _iter_decoded(chunks, path, check_encoding(encoding), first_line)


def _iter_utf8_or_cp1252(
    chunks: Iterable[bytes], path: str, diagnostics: Diagnostics, lineno: int = 0
) -> Iterator[str]:
    """Lines decoded as UTF-8, a line that is not as Windows-1252 (with one warning). The
    lines of a block are decoded at once while they are clean UTF-8: the common case, and a
    third of the reading time when done line by line. Blocks hold no NUL (``_line_blocks``)."""
    warned = False
    try:
        for block in _line_blocks(chunks):
            try:
                text = block.decode("utf-8")
                # str.split is ~10x the regex's speed; alone it serves LF-only text
                lines = _TEXT_EOL.split(text) if "\r" in text else text.split("\n")
            except UnicodeDecodeError:
                pass
            else:
                yield from lines
                lineno += len(lines)
                continue
            for raw in _BYTE_EOL.split(block):
                lineno += 1
                try:
                    yield raw.decode("utf-8")
                except UnicodeDecodeError:
                    if not warned:
                        warned = True
                        diagnostics.warn(CP1252_FALLBACK, path, lineno, code="decoded-cp1252")
                    yield _decode_cp1252(raw)
    except _BadChunk as exc:  # every line before the bad one was yielded and counted
        raise RefconvError(str(exc), path, lineno + 1, code="decode-failed") from None


def _line_blocks(chunks: Iterable[AnyStr]) -> Iterator[AnyStr]:
    """The input as blocks of whole lines joined by their line ends, however the chunks cut
    it: splitting each block at LF, CRLF and lone CR gives the lines.

    Linear in the input: only the new chunk is searched, and the start of an unfinished line
    is kept as a list of chunks until its end arrives. Raises ``_BadChunk`` for NUL (after
    yielding the lines before it) and for a line longer than ``MAX_LINE``.
    """
    pending: list[AnyStr] = []  # the unfinished last line, in pieces
    size = 0  # its length
    carry: AnyStr | None = None  # a CR that ended a chunk: it may be the first half of a CRLF
    limit = MAX_LINE
    for chunk in chunks:
        if isinstance(chunk, str):
            lf, cr, nul, what = "\n", "\r", "\x00", "character"
        else:
            lf, cr, nul, what = b"\n", b"\r", b"\x00", "byte"
        if carry is not None:
            chunk = carry + chunk
            carry = None
        binary = chunk.find(nul)
        if binary >= 0:  # the text before it is read as usual, then the error
            chunk = chunk[:binary]
        elif chunk.endswith(cr):
            carry, chunk = chunk[-1:], chunk[:-1]
        end = max(chunk.rfind(lf), chunk.rfind(cr))
        if end < 0:
            size += len(chunk)
            if chunk:
                pending.append(chunk)
        else:
            if pending:  # the line the pending pieces start ends in this chunk
                first = min(i for i in (chunk.find(lf), chunk.find(cr)) if i >= 0)
                if size + first > limit:
                    raise _BadChunk(_too_long(limit))
            block = _joined(pending, chunk, end, lf, cr)
            rest = chunk[end + 1 :]
            pending, size = ([rest], len(rest)) if rest else ([], 0)
            yield block
        if size > limit:
            raise _BadChunk(_too_long(limit))
        if binary >= 0:
            raise _BadChunk(f"binary data (NUL {what}); this is not a text file")
    if pending:  # a final CR ends the last line; it starts none
        block = pending[0][:0].join(pending)
        pending.clear()  # the pieces are not kept while the block is read
        yield block
    elif carry is not None:  # the input ends in a CR: one empty line before it
        yield carry[:0]


def _joined(pending: list[AnyStr], chunk: AnyStr, end: int, lf: AnyStr, cr: AnyStr) -> AnyStr:
    """The pending pieces and ``chunk`` up to the line end at ``end`` (a CRLF's CR dropped)."""
    stop = end - 1 if chunk[end : end + 1] == lf and chunk[end - 1 : end] == cr and end else end
    return chunk[:0].join(itertools.chain(pending, (chunk[:stop],)))


def _too_long(limit: int) -> str:
    size = f"{limit >> 20} MiB" if limit >= 1 << 20 else f"{limit} bytes"
    return (
        f"line longer than {size}; refconv does not read such lines "
        "(is this a text file of references?)"
    )


def _decoded_before(exc: UnicodeError, encoding: str) -> str:
    """The text of the bytes before those ``exc`` could not decode, where it decodes alone:
    not in UTF-16/32, whose decoder learned the byte order from the mark."""
    data, start = getattr(exc, "object", None), getattr(exc, "start", 0)
    if not isinstance(data, bytes) or codecs.lookup(encoding).name.startswith(("utf-16", "utf-32")):
        return ""
    try:
        return data[:start].decode(encoding)
    except UnicodeError:
        return ""


def _iter_decoded(
    chunks: Iterable[bytes], path: str, encoding: str, first_line: int = 1
) -> Iterator[str]:
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    lineno = first_line - 1

    def texts() -> Iterator[str]:
        try:
            for chunk in chunks:
                yield decoder.decode(chunk)
            yield decoder.decode(b"", final=True)
        except UnicodeError as exc:  # some codecs (idna) raise the base class
            reason = getattr(exc, "reason", None) or str(exc)
            good = _decoded_before(exc, encoding)
            if good:  # the lines before the bad bytes are read as usual, then the error
                yield good  # (its line, not that of the chunk's start: -j N cuts elsewhere)
            raise RefconvError(
                f"cannot decode input as {encoding}: {reason}",
                path,
                lineno + 1,
                code="decode-failed",
            ) from None

    try:
        for lineno, line in enumerate(_split_lines(texts(), _TEXT_EOL), first_line):
            yield line.lstrip("\ufeff") if lineno == 1 else line
    except _BadChunk as exc:
        raise RefconvError(str(exc), path, lineno + 1, code="decode-failed") from None


# --- inputs ----------------------------------------------------------------------------------

#: What ``refconv.read`` accepts: a path (``-`` is standard input), bytes, a binary or text
#: stream, or a list of those (read in turn).
SourceLike = Union[str, os.PathLike[str], bytes, IO[bytes], IO[str], "list[SourceLike]"]


@dataclass
class Source:
    """One input: a label for messages (path or ``<stdin>``) and its byte stream."""

    label: str
    stream: BinaryIO


def peek_text(stream: BinaryIO) -> tuple[BinaryIO, str]:
    """Return (a stream that still yields every byte, the decoded first few KB) for sniffing."""
    peek = getattr(stream, "peek", None)
    if peek is not None:
        head = bytes(peek(SNIFF_BYTES))[:SNIFF_BYTES]
    else:
        data = stream.read()
        stream, head = io.BytesIO(data), data[:SNIFF_BYTES]
    return stream, _text(head)


def _text(data: bytes) -> str:
    """``data`` decoded for sniffing: UTF-16 after its byte-order mark, else UTF-8."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="ignore")
    return data.decode("utf-8", errors="replace").lstrip("\ufeff")


_XML_DECLARATION = re.compile(r"""<\?xml\s[^>]*?\bencoding\s*=\s*["']([A-Za-z][\w.:-]*)["']""")


def declared_encoding(head: str) -> str | None:
    """The encoding an XML declaration at the start of ``head`` names (``<?xml version="1.0"
    encoding="windows-1251"?>``), when Python knows it as a text encoding; None when there is
    none, or UTF-8 or UTF-16 is declared (a byte-order mark and the UTF-8 default decide
    those, as XML 1.0, appendix F, has it)."""
    found = _XML_DECLARATION.match(head)
    if found is None:
        return None
    try:
        name = check_encoding(found[1])
    except LookupError:
        return None  # unknown: the default rule, whose warning says what it did
    return None if codecs.lookup(name).name.startswith(("utf-8", "utf-16")) else name


def blank_input(source: Source, head: str) -> bool:
    """True when ``source``, whose first few KB ``peek_text`` gave as ``head``, holds nothing
    but white space (an empty file, ``grep`` that matched nothing): zero records in any
    format. Only an input with a blank head is read further, to its end; it stays readable
    from its first byte."""
    if head.strip():
        return False
    data = source.stream.read()  # blank lines first: the rest decides (rare; held in memory)
    source.stream = io.BufferedReader(io.BytesIO(data))
    return not _text(data).strip()


def open_sources(source: SourceLike, label: str | None = None) -> Iterator[Source]:
    """Open each input in turn (so only one file is open at a time), with its label."""
    if isinstance(source, (list, tuple)):
        for one in source:
            yield from open_sources(one, label)
        return
    if isinstance(source, (str, os.PathLike)):
        name = os.fspath(source)
        if name == "-":
            if sys.stdin is None:  # started with fd 0 closed (refconv ... <&-)
                raise RefconvError(
                    "cannot read: standard input is closed", STDIN_LABEL, code="read-failed"
                )
            yield Source(STDIN_LABEL, sys.stdin.buffer)
            return
        check_readable(name)
        try:
            with open(name, "rb") as stream:
                yield Source(name, stream)
        except OSError as exc:
            raise RefconvError(f"cannot read: {exc.strerror}", name, code="read-failed") from None
        return
    if isinstance(source, (bytes, bytearray, memoryview)):
        yield Source(label or "<bytes>", io.BufferedReader(io.BytesIO(bytes(source))))
        return
    stream_name = getattr(source, "name", None)
    label = label or (stream_name if isinstance(stream_name, str) else "<stream>")
    if _is_text(source):
        yield Source(label, io.BufferedReader(_EncodedText(source)))
    else:
        yield Source(label, _as_binary(source))


def _is_text(stream: IO[bytes] | IO[str]) -> TypeGuard[IO[str]]:
    """True for a text stream (anything with an ``encoding``, as ``sys.stdin``)."""
    return isinstance(stream, io.TextIOBase) or hasattr(stream, "encoding")


def _as_binary(stream: IO[bytes] | IO[str]) -> BinaryIO:
    """``stream``, known not to be a text stream (``_is_text``), as the byte stream it is."""
    return stream  # type: ignore[return-value]  # narrowed by _is_text, which mypy cannot see


def check_readable(name: str) -> None:
    """Raise ``RefconvError`` (with the path) if ``name`` cannot be read as a file.

    Every ``OSError`` of looking at it (a directory on the way that we may not search, a
    link loop, a name too long, a file used as a directory) is named by its system message,
    as ``cat`` names it; a missing file or a directory keep their short wording."""
    try:
        st = os.stat(name)
    except FileNotFoundError:
        raise RefconvError("cannot read: no such file", name, code="read-failed") from None
    except OSError as exc:
        raise RefconvError(f"cannot read: {exc.strerror}", name, code="read-failed") from None
    if stat.S_ISDIR(st.st_mode):
        raise RefconvError("cannot read: is a directory", name, code="read-failed")
    if not os.access(name, os.R_OK):
        raise RefconvError(f"cannot read: {os.strerror(errno.EACCES)}", name, code="read-failed")


class _EncodedText(io.RawIOBase):
    """A text stream seen as UTF-8 bytes, read in chunks (readers take bytes)."""

    def __init__(self, text: IO[str]):
        self.text = text
        self.pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer, /) -> int:
        while not self.pending:
            chunk = self.text.read(1 << 16)
            if not chunk:
                return 0
            self.pending = chunk.encode("utf-8", "surrogatepass")
        view = memoryview(buffer).cast("B")
        n = min(len(view), len(self.pending))
        view[:n] = self.pending[:n]
        self.pending = self.pending[n:]
        return n


def check_distinct_output(sources: SourceLike, dest: str | os.PathLike[str]) -> None:
    """Raise ``ValueError`` if the output ``dest`` is one of the input files ``sources``.

    The same file is found by device and inode, so links and hard links count (``cat`` does
    the same). Only a regular file is refused: reading /dev/null and writing it harms nothing.
    ``-`` is standard output, refused when it is a regular file that is an input
    (``refconv convert a.enw -t ris >> a.enw`` would read its own output). An input ``-``
    is standard input, compared by its descriptor: ``refconv convert - < a.enw >> a.enw``
    would read what it appends, for ever.
    """
    name = os.fspath(dest)
    try:
        if name == "-":
            if sys.stdout is None:
                return
            out = os.fstat(sys.stdout.fileno())
        else:
            out = os.stat(name)
    except (OSError, ValueError):  # no such file yet, or stdout in memory
        return
    if not stat.S_ISREG(out.st_mode):
        return
    for source, st in _input_stats(sources):
        if (st.st_dev, st.st_ino) == (out.st_dev, out.st_ino):
            where = "<stdout>" if name == "-" else name
            raise ValueError(f"the output {where} is the input {source}; write elsewhere")


def _input_stats(sources: SourceLike) -> Iterator[tuple[str, os.stat_result]]:
    """(label, stat) of each input that is a file we can stat: paths, and ``-`` (stdin)."""
    if isinstance(sources, (list, tuple)):
        for one in sources:
            yield from _input_stats(one)
        return
    if not isinstance(sources, (str, os.PathLike)):
        return
    name = os.fspath(sources)
    try:
        if name == "-":
            if sys.stdin is None:
                return
            yield STDIN_LABEL, os.fstat(sys.stdin.fileno())
        else:
            yield name, os.stat(name)
    except (OSError, ValueError):  # missing (reported when read), or stdin in memory
        return
