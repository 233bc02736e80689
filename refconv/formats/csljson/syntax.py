"""The JSON syntax of CSL-JSON input, streamed: one item at a time from a buffer of lines,
numbers kept as written, repeated keys noticed (RFC 8259 §4 leaves their meaning open)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

from refconv.diagnostics import RefconvError


def _integer(text: str) -> int | str:
    """A JSON integer; one too long for ``int()`` (Python refuses over 4300 digits) stays its
    text, so it is kept as a value, not a crash."""
    return int(text) if len(text) < 4300 else text


def _fraction(text: str) -> int | str:
    """A JSON number with a fraction or exponent as JavaScript (citeproc-js, Zotero) reads
    it: a whole number is that integer (``2020.0``, ``1E2``: 100); any other (``1.5``,
    ``1e400``) is kept as written, which a Python float would print as ``inf``."""
    value = float(text)
    return int(value) if value.is_integer() and abs(value) < 1e21 else text


def _as_written(text: str) -> str:
    """Python's ``NaN``/``Infinity`` extension of JSON, kept as its text."""
    return text


class Repeated(dict[str, Any]):
    """A JSON object that gave a key more than once: the first value is the object's (JSON
    leaves repeated names to the reader, RFC 8259 §4; Python's ``json`` would keep the last),
    the later ones are in ``repeats``, so the reader can keep them with a warning."""

    repeats: list[tuple[str, Any]]


#: How many objects with a repeated key were decoded (in any thread: a false alarm only costs
#: a walk through one item).
REPEATS_MET = [0]


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object from its pairs; only an object with a repeated key pays for more than
    one ``dict()``."""
    value = dict(pairs)
    if len(value) == len(pairs):
        return value
    REPEATS_MET[0] += 1  # the reader walks an item for repeats only when this moved
    first = Repeated()
    first.repeats = []
    for key, one in pairs:
        if key in first:
            first.repeats.append((key, one))
        else:
            first[key] = one
    return first


_DECODER = json.JSONDecoder(
    parse_float=_fraction, parse_constant=_as_written, object_pairs_hook=_object
)


_LONG_NUMBERS = json.JSONDecoder(  # only when _DECODER refused an integer
    parse_int=_integer, parse_float=_fraction, parse_constant=_as_written, object_pairs_hook=_object
)


def next_item(buf: Buffer) -> None:
    """Move past the comma after an item (and forget the text read)."""
    if buf.skip() and buf.char() == ",":
        buf.pos += 1
    buf.drop()


def without_nul(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, dict):
        return rebuilt(value, lambda k, v: without_nul(v), without_nul)
    if isinstance(value, list):
        return [without_nul(v) for v in value]
    return value


class Buffer:
    """The part of the input being parsed: lines are added as an item needs them and dropped
    once read, so memory holds one item, not the file."""

    def __init__(self, lines: Iterator[str]):
        self.lines = lines
        self.text = ""
        self.pos = 0
        self.line = 1  # the line of text[0]
        self.mark, self.mark_line = 0, 1  # a position whose line is known, and that line
        self.exhausted = False

    def fill(self, count: int) -> bool:
        """Add up to ``count`` lines; False when there were none left."""
        added = []
        for line in self.lines:
            added.append(line)
            if len(added) >= count:
                break
        else:
            self.exhausted = True
        if added:
            self.text += "\n".join(added) + "\n"
        return bool(added)

    def skip(self) -> bool:
        """Move past white space (reading on as needed); False at the end of the input."""
        while True:
            self.pos = _skip(self.text, self.pos)
            if self.pos < len(self.text):
                return True
            if self.exhausted or not self.fill(256):
                return False

    def char(self) -> str:
        return self.text[self.pos]

    def line_at(self, pos: int | None = None) -> int:
        """The line of ``pos`` (default: the current position), counting on from the last
        position asked about."""
        pos = self.pos if pos is None else pos
        if pos < self.mark:
            return self.line + self.text.count("\n", 0, pos)
        self.mark_line += self.text.count("\n", self.mark, pos)
        self.mark = pos
        return self.mark_line

    def drop(self) -> None:
        """Forget the text before ``pos`` (once there is enough of it to be worth a copy)."""
        if self.pos < 1 << 15:
            return
        cut = self.text.rfind("\n", 0, self.pos) + 1  # whole lines: a column stays right
        if cut == 0:
            return
        self.line = self.mark_line = self.line_at(cut)
        self.text, self.pos, self.mark = self.text[cut:], self.pos - cut, 0

    def decode(self, path: str) -> Any:
        """The JSON value at ``pos``, reading more lines (twice as many each time) while the
        value is incomplete."""
        more = 256
        while True:
            try:
                value, self.pos = _DECODER.raw_decode(self.text, self.pos)
                return value
            except json.JSONDecodeError as exc:
                end = len(self.text.rstrip())
                incomplete = exc.pos >= end or exc.msg.startswith("Unterminated string")
                if not (incomplete and not self.exhausted and self.fill(more)):
                    at = self.line_at(min(exc.pos, end))  # not the line after the last
                    raise RefconvError(
                        f"invalid JSON: {_json_problem(exc)}", path, at, code="invalid-json"
                    ) from None
                more *= 2
            except RecursionError:
                raise RefconvError(
                    "invalid JSON: nested too deeply", path, self.line_at(), code="invalid-json"
                ) from None
            except ValueError:  # an integer too long for int(): it is kept as its text
                value, self.pos = _LONG_NUMBERS.raw_decode(self.text, self.pos)
                return value


def _json_problem(exc: json.JSONDecodeError) -> str:
    """The decoder's message as a whole sentence, with the column (the line is the
    diagnostic's): Python ends some messages with a dangling "at" ("Invalid control
    character at") that its ``str()`` completes with the position."""
    message = exc.msg.removesuffix(" at").rstrip(":")
    return f"{message[:1].lower()}{message[1:]} (column {exc.colno})"


_WHITE = re.compile(r"[ \t\r\n\ufeff]*")


def _skip(text: str, pos: int) -> int:
    return _WHITE.match(text, pos).end()  # type: ignore[union-attr]


def rebuilt(
    value: dict[str, Any], fix: Callable[[str, Any], Any], fix_key: Callable[[str], Any]
) -> dict[str, Any]:
    """``value`` with each key and value fixed; the repeats of a ``Repeated`` too."""
    pairs = [(fix_key(k), fix(k, v)) for k, v in value.items()]
    if not isinstance(value, Repeated):
        return dict(pairs)
    again = Repeated(pairs)
    again.repeats = [(fix_key(k), fix(k, v)) for k, v in value.repeats]
    return again
