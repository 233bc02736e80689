"""Decoding: BOMs, UTF-16, Windows-1252 fallback, line ends, chunk boundaries."""

import codecs
import encodings.aliases
import io
import os
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

import refconv.io as rio
from refconv.diagnostics import RefconvError

from .conftest import Collect

TEXT = "%A Müller, K.\n%T Über — x\n"


def lines(data: bytes, encoding=None):
    diagnostics = Collect()
    return list(rio.iter_lines(io.BytesIO(data), "f", diagnostics, encoding)), diagnostics.messages


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(TEXT.encode(), id="utf8"),
        pytest.param(b"\xef\xbb\xbf" + TEXT.encode(), id="utf8_bom"),
        pytest.param(TEXT.encode("utf-16"), id="utf16_bom"),
        pytest.param(TEXT.encode("utf-16-be").join([b"\xfe\xff", b""]), id="utf16be_bom"),
        pytest.param(TEXT.replace("\n", "\r\n").encode(), id="crlf"),
        pytest.param(TEXT.replace("\n", "\r").encode(), id="cr"),
        pytest.param(TEXT.encode("cp1252"), id="cp1252"),
    ],
)
def test_same_lines_whatever_the_bytes(data):
    got, _ = lines(data)
    assert got == ["%A Müller, K.", "%T Über — x"]


def test_cp1252_fallback_warns_once_at_the_first_bad_line():
    got, warnings = lines(b"%T ok\n%A M\xfcller\n%X \x97\n")
    assert got == ["%T ok", "%A Müller", "%X —"]
    assert warnings == [
        "f:2: not valid UTF-8; decoding such lines as Windows-1252 "
        "(use --encoding to choose another encoding)"
    ]


def test_bytes_undefined_in_cp1252_fall_back_to_latin1():
    assert lines(b"%T \x81\n")[0] == ["%T \x81"]


@pytest.mark.parametrize("size", [1, 2, 3, 5, 7])
def test_chunk_boundaries(monkeypatch, size):
    monkeypatch.setattr(rio, "CHUNK_SIZE", size)
    data = "a\r\nb\rc\n\r\nü€\r".encode()
    assert lines(data)[0] == ["a", "b", "c", "", "ü€"]
    assert lines("a\r\nü€".encode("utf-16"))[0] == ["a", "ü€"]


def test_nul_byte_is_an_error():
    with pytest.raises(RefconvError, match="binary data") as info:
        lines(b"%T a\n%T b\x00\n")
    assert (info.value.path, info.value.line) == ("f", 2)


@given(
    st.lists(st.sampled_from([b"a", b"\r", b"\n", b"\r\n", "é".encode(), b" "]), max_size=40),
    st.integers(1, 7),
)
def test_lines_do_not_depend_on_where_the_chunks_are_cut(pieces, size):
    """Read in chunks of any size, the input gives the lines it gives read whole (the UTF-8
    reader decodes blocks of lines at once, so blocks must hold whole lines)."""
    from refconv.io import _BYTE_EOL, _split_lines

    data = b"".join(pieces)
    whole = _BYTE_EOL.split(data)
    if whole[-1] == b"":  # a final line end ends the last line, it starts none
        whole.pop()
    chunks = [data[i : i + size] for i in range(0, len(data), size)]
    assert list(_split_lines(chunks, _BYTE_EOL)) == whole
    text_chunks = [c.decode("latin-1") for c in chunks]
    assert list(_split_lines(text_chunks, rio._TEXT_EOL)) == [w.decode("latin-1") for w in whole]


class CountedChunk(bytes):
    """A chunk that counts the bytes searched or copied through it: a reader that re-joins
    and re-searches the pending text for each new chunk counts far more than the input."""

    touched = 0

    def _count(self, n: int) -> None:
        CountedChunk.touched += n

    def find(self, *args):
        self._count(len(self))
        return super().find(*args)

    def rfind(self, *args):
        self._count(len(self))
        return super().rfind(*args)

    def __radd__(self, other):  # pending + chunk
        self._count(len(other) + len(self))
        return bytes(other) + bytes(self)

    def __add__(self, other):  # chunk + chunk
        self._count(len(other) + len(self))
        return bytes(self) + bytes(other)


@pytest.mark.parametrize("tail", [b"", b"\n", b"\r", b"\r\nx"])
def test_reading_a_line_without_end_is_linear(monkeypatch, tail):
    """2 MB without a line end, in 8 KiB chunks: each byte is searched a few times, not once
    per chunk that follows it (the quadratic reader touched ~128 times the input)."""
    size, chunk = 2_000_000, 8192
    data = b"%T " + b"a" * size + tail
    chunks = [CountedChunk(data[i : i + chunk]) for i in range(0, len(data), chunk)]
    CountedChunk.touched = 0
    blocks = list(rio._line_blocks(chunks))
    assert b"\n".join(blocks).rstrip(b"\n") == data.rstrip(b"\r\n").replace(b"\r\n", b"\n")
    assert CountedChunk.touched < 8 * len(data)


def test_dev_zero_stops_at_the_first_chunk():
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero on this system")
    with open("/dev/zero", "rb") as stream:
        with pytest.raises(RefconvError, match="binary data") as info:
            list(rio.iter_lines(stream, "/dev/zero", Collect()))
        assert stream.tell() <= 2 * rio.CHUNK_SIZE
    assert (info.value.path, info.value.line) == ("/dev/zero", 1)


def test_dev_zero_through_the_command(tmp_path):
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero on this system")
    result = subprocess.run(
        [sys.executable, "-m", "refconv", "convert", "/dev/zero", "-f", "refer", "-t", "csljson"],
        capture_output=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr == b"/dev/zero:1: error: binary data (NUL byte); this is not a text file\n"


LINES = st.lists(st.text(st.sampled_from("ab\x00é"), max_size=12), min_size=1, max_size=8)


@given(LINES, st.integers(4, 12), st.integers(4, 12), st.sampled_from(["\n", "\r\n", "\r"]),
       st.sampled_from([None, "utf-16"]))  # fmt: skip
def test_line_limit_and_nul_are_found_at_their_line(lines, limit, chunk, eol, encoding):
    """Any lines, limit and chunk size (chunks no longer than the limit, as in use): the
    first line with NUL or longer than the limit is refused with its number; the lines
    before it were read; without one, all lines come out. (The first read is at least 4
    bytes, for a BOM.)"""
    chunk = min(chunk, limit)
    bad = next(
        (n for n, line in enumerate(lines, 1) if "\x00" in line or _length(line, encoding) > limit),
        None,
    )
    data = eol.join(lines).encode(encoding or "utf-8")
    read: list[str] = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(rio, "MAX_LINE", limit)
        patch.setattr(rio, "CHUNK_SIZE", chunk)
        stream = io.BytesIO(data)
        try:
            for line in rio.iter_lines(stream, "f", Collect(), encoding):
                read.append(line)
        except RefconvError as exc:
            assert bad is not None, exc
            assert exc.line == bad
            line = lines[bad - 1]
            expected = []  # a long line with NUL: whichever the reading reaches first
            if "\x00" in line:
                expected.append("binary data")
            if _length(line, encoding) > limit:
                expected.append("line longer than")
            assert exc.message.startswith(tuple(expected)), exc.message
            assert read == lines[: bad - 1]
        else:
            assert bad is None
            assert read == lines[:-1] if lines[-1] == "" and len(lines) > 1 else lines


def _length(line: str, encoding: str | None) -> int:
    return len(line) if encoding else len(line.encode())


def test_line_limit_message(monkeypatch):
    monkeypatch.setattr(rio, "MAX_LINE", 5 << 20)
    with pytest.raises(RefconvError) as info:
        lines(b"%T a\n%T " + b"x" * (6 << 20) + b"\n")
    assert str(info.value) == (
        "f:2: line longer than 5 MiB; refconv does not read such lines "
        "(is this a text file of references?)"
    )


NON_TEXT = ["rot13", "hex", "base64", "zlib", "uu", "bz2", "quopri"]


@pytest.mark.parametrize("name", NON_TEXT)
def test_only_text_encodings_are_accepted(name):
    with pytest.raises(LookupError, match="is not a text encoding"):
        rio.check_encoding(name)
    with pytest.raises(LookupError, match="unknown encoding"):
        rio.check_encoding("klingon")


@pytest.mark.parametrize("name", ["unicode_escape", "raw_unicode_escape", "undefined"])
def test_codecs_that_rewrite_or_refuse_the_text_are_no_input_encoding(name):
    """unicode_escape reads the text "\\x41" as "A": the input would not be read as written."""
    with pytest.raises(LookupError, match="is not an input encoding"):
        rio.check_encoding(name)


def _text_codecs() -> list[str]:
    names = set()
    for name in set(encodings.aliases.aliases.values()):
        try:
            if codecs.lookup(name)._is_text_encoding and name not in rio._NOT_FOR_INPUT:
                names.add(codecs.lookup(name).name)
        except LookupError:
            pass
    return sorted(names)


@pytest.mark.parametrize("name", _text_codecs())
def test_every_text_encoding_reads_or_fails_with_one_error(name):
    """Whatever the codec makes of these bytes, the result is lines or a RefconvError (idna
    raises UnicodeError, not UnicodeDecodeError)."""
    for data in (b"%T Caf\xc3\xa9\n%A x\n", b"\xff\xfe\x00\xd8\n\x80xn--\n", b"\x1b$B\n"):
        try:
            got = list(rio.iter_lines(io.BytesIO(data), "f", Collect(), name))
        except RefconvError as exc:
            assert exc.message.startswith(("cannot decode input as", "binary data"))
        else:
            assert all(isinstance(line, str) for line in got)
