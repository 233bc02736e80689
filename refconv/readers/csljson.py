"""CSL-JSON reader: an array of CSL items (or one item), item by item, with line numbers.

Items are decoded one at a time with ``JSONDecoder.raw_decode``, so a diagnostic names the
line where the item starts. Names, dates (``date-parts``, ``literal``, ``raw``, EDTF strings),
``keyword`` (split on commas or semicolons) and ``custom`` (back into ``extra``) are understood;
a key CSL does not define is kept in ``extra`` with a warning.
"""

from __future__ import annotations

import json
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
        """Yield one record per item of the array."""
        text = "\n".join(lines)
        warn = self.diagnostics.warn
        pos = _skip(text, 0)
        if pos == len(text):
            warn("no records found (empty input)", path, 1)
            return
        single = text[pos] == "{"
        if not single:
            if text[pos] != "[":
                raise RefconvError(
                    "not CSL-JSON: expected '[' or '{'", path, text.count("\n", 0, pos) + 1
                )
            pos = _skip(text, pos + 1)
        line = text.count("\n", 0, pos) + 1
        while pos < len(text) and text[pos] != "]":
            try:
                item, end = _DECODER.raw_decode(text, pos)
            except json.JSONDecodeError as exc:
                raise RefconvError(f"invalid JSON: {exc.msg}", path, exc.lineno) from None
            if not isinstance(item, dict):
                raise RefconvError("a CSL-JSON item must be an object", path, line)
            yield record_from_csl(item, SourcePos(path, line), warn)
            next_pos = _skip(text, end)
            if single:
                break
            if next_pos < len(text) and text[next_pos] == ",":
                next_pos = _skip(text, next_pos + 1)
            line += text.count("\n", pos, next_pos)
            pos = next_pos
        if not single and (pos >= len(text) or text[pos] != "]"):
            raise RefconvError(
                "invalid JSON: the array is not closed with ']'", path, text.count("\n") + 1
            )


def _skip(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\r\n\ufeff":
        pos += 1
    return pos
