"""Decoding: BOMs, UTF-16, Windows-1252 fallback, line ends, chunk boundaries."""

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

import refconv.io as rio
from refconv.errors import RefconvError

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
