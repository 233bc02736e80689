"""CSL-JSON reader: an array of CSL items (or one item), item by item, with line numbers.

Items are decoded one at a time with ``JSONDecoder.raw_decode``, so a diagnostic names the
line where the item starts. Names, dates (``date-parts``, ``literal``, ``raw``, EDTF strings),
``keyword`` (split on commas or semicolons) and ``custom`` (back into ``extra``) are understood;
a key CSL does not define is kept in ``extra`` with a warning.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

from ..dates import parse_date
from ..errors import RefconvError
from ..model import (
    CSL_TYPES,
    DATE_VARIABLES,
    NAME_VARIABLES,
    TEXT_VARIABLES,
    Date,
    Name,
    Record,
    SourcePos,
)
from . import Reader

_DECODER = json.JSONDecoder()
_NAME_KEYS = {
    "family": "family",
    "given": "given",
    "non-dropping-particle": "particle",
    "dropping-particle": "dropping_particle",
    "suffix": "suffix",
    "literal": "literal",
}
_TEXT = frozenset(TEXT_VARIABLES)


def name_from_csl(value: Any) -> Name | None:
    """A ``Name`` from a CSL name object (or a bare string, kept as a literal)."""
    if isinstance(value, str):
        return Name(literal=value)
    if not isinstance(value, dict):
        return None
    return Name(**{attr: str(value[key]) for key, attr in _NAME_KEYS.items() if key in value})


def date_from_csl(value: Any) -> Date | None:
    """A ``Date`` from a CSL date object (``date-parts``, ``literal``, ``raw``) or string."""
    if isinstance(value, str):
        return parse_date(value.replace("/", "-") if "-" in value else value).date
    if not isinstance(value, dict):
        return None
    parts = value.get("date-parts")
    if isinstance(parts, list) and parts and all(isinstance(p, list) for p in parts):
        try:
            clean = tuple(tuple(int(x) for x in p[:3]) for p in parts[:2] if p)
        except (TypeError, ValueError):
            clean = ()
        if clean:
            season = value.get("season")
            return Date(
                clean,
                season=int(season) if str(season).isdigit() else None,
                circa=bool(value.get("circa")),
            )
    for key in ("raw", "literal"):
        if isinstance(value.get(key), str):
            parsed = parse_date(value[key])
            return parsed.date if parsed.date is not None else Date(literal=value[key])
    return None


def _unreadable(record: Record, key: str, value: Any, source: SourcePos, warn) -> None:
    text = json.dumps(value, ensure_ascii=False)
    warn(f"cannot read {key} {text}; kept in custom", source.path, source.line)
    record.add_extra(key, text)


def record_from_csl(item: dict[str, Any], source: SourcePos, warn) -> Record:
    """The inverse of ``writers.csljson.record_to_csl``."""
    record = Record(type=str(item.get("type", "document")), source=source)
    if record.type not in CSL_TYPES:
        warn(
            f"unknown CSL type {record.type!r}; read as document (kept in custom)",
            source.path,
            source.line,
        )
        record.add_extra("type", record.type)
        record.type = "document"
    for key, value in item.items():
        if key in ("type", "id"):
            continue
        if key in NAME_VARIABLES and isinstance(value, list):
            people = [name_from_csl(v) for v in value]
            record.names[key] = [p for p in people if p is not None]
            bad = [v for v, p in zip(value, people, strict=True) if p is None]
            if bad:
                _unreadable(record, key, bad, source, warn)
            if not record.names[key]:
                del record.names[key]
        elif key in DATE_VARIABLES:
            date = date_from_csl(value)
            if date is not None:
                record.dates[key] = date
            else:
                _unreadable(record, key, value, source, warn)
        elif key == "keyword":
            text = str(value)
            sep = ";" if ";" in text else ","
            record.keywords = [k.strip() for k in text.split(sep) if k.strip()]
        elif key == "custom" and isinstance(value, dict):
            for tag, values in value.items():
                for one in values if isinstance(values, list) else [values]:
                    record.add_extra(str(tag), str(one))
        elif key in _TEXT and isinstance(value, (str, int, float)):
            record.fields[key] = str(value)
        else:
            warn(f"CSL key {key!r} is not a CSL variable; kept in custom", source.path, source.line)
            record.add_extra(
                key, json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
            )
    if item.get("id") not in (None, "") and "citation-key" not in record.fields:
        record.fields["citation-key"] = str(item["id"])
    return record


class CslJsonReader(Reader):
    """Read CSL-JSON (``.json``), the format of citeproc, pandoc and Zotero's export."""

    name = "csljson"
    aliases = ("csl-json", "json")
    suffixes = (".json",)
    description = "CSL-JSON array of items"

    @classmethod
    def sniff(cls, head: str) -> bool:
        """True when the input starts with ``[`` or ``{``."""
        return head.lstrip("\ufeff \t\r\n")[:1] in ("[", "{")

    def read(self, lines: Iterable[str], path: str) -> Iterator[Record]:
        """Yield one record per item of the array, holding only the item being read."""
        warn = self.diagnostics.warn
        buf = _Buffer(iter(lines))
        if not buf.skip():
            warn("no records found (empty input)", path, 1)
            return
        single = buf.char() == "{"
        if not single:
            if buf.char() != "[":
                raise RefconvError("not CSL-JSON: expected '[' or '{'", path, buf.line_at())
            buf.pos += 1
        while buf.skip() and buf.char() != "]":
            line, start = buf.line_at(), buf.pos
            item = buf.decode(path)
            if not isinstance(item, dict):
                raise RefconvError("a CSL-JSON item must be an object", path, line)
            if buf.text.find("\\u0000", start, buf.pos) >= 0:  # no other format carries NUL
                warn("NUL characters (\\u0000) replaced by U+FFFD", path, line)
                item = _without_nul(item)
            yield record_from_csl(item, SourcePos(path, line), warn)
            if single:
                return
            if buf.skip() and buf.char() == ",":
                buf.pos += 1
            buf.drop()
        if not buf.skip():
            raise RefconvError(
                "invalid JSON: the array is not closed with ']'", path, buf.line_at()
            )


def _without_nul(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, dict):
        return {_without_nul(k): _without_nul(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_nul(v) for v in value]
    return value


class _Buffer:
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
        self.line = self.line_at()
        self.text, self.pos, self.mark = self.text[self.pos :], 0, 0

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
                    raise RefconvError(f"invalid JSON: {exc.msg}", path, at) from None
                more *= 2
            except RecursionError:
                raise RefconvError(
                    "invalid JSON: nested too deeply", path, self.line_at()
                ) from None


_WHITE = re.compile(r"[ \t\r\n\ufeff]*")


def _skip(text: str, pos: int) -> int:
    return _WHITE.match(text, pos).end()  # type: ignore[union-attr]
