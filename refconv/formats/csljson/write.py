"""CSL-JSON writer: a JSON array of CSL items, streamed item by item.

Output validates against the CSL-JSON 1.0.2 schema: names as family/given/particles/suffix or
``literal`` (with ``comma-suffix``, ``static-ordering`` and ``parse-names`` when set), dates as
``date-parts`` (or ``literal``), keywords joined into the one ``keyword`` string, and every
value without a CSL variable in ``custom``, keyed by its source tag. Keys come in the fixed
order of ``CSL_KEY_ORDER``; output is UTF-8, indented by two spaces, with every line separator
inside a string escaped (NEL, U+2028 and U+2029 too).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from json.encoder import encode_basestring
from typing import Any, TextIO

from refconv.formats.base import Writer
from refconv.formats.csljson.tables import CSL_ID, CSL_KEY_ORDER
from refconv.model import Date, Name, Record
from refconv.values.text import join_keywords

_ORDER = {key: i for i, key in enumerate(CSL_KEY_ORDER)}


def name_to_csl(name: Name, attributes: bool = True) -> dict[str, str | bool]:
    """One CSL name object, with its attributes (``comma-suffix``...) when they are set and
    ``attributes`` is true (citeproc-py supports none of them and warns on each)."""
    parts = {
        "family": name.family,
        "given": name.given,
        "non-dropping-particle": name.particle,
        "dropping-particle": name.dropping_particle,
        "suffix": name.suffix,
    }
    item: dict[str, str | bool] = (
        {"literal": name.literal} if name.literal else {k: v for k, v in parts.items() if v}
    )
    if not attributes:
        return item
    if name.comma_suffix:
        item["comma-suffix"] = True
    if name.static_ordering:
        item["static-ordering"] = True
    if name.parse_names is not None:
        item["parse-names"] = name.parse_names
    return item


def date_to_csl(date: Date) -> dict[str, Any]:
    """One CSL date object: ``date-parts`` plus season/circa, or ``literal``.

    An open-ended range (``Date.open_end``) ends in as many zeros as its start has parts,
    ``[[2018, 2], [0, 0]]``: citeproc-js prints it "2018–" and rejects a shorter end such as
    ``[0]`` ("element mismatch in date range input"); the schema allows any number there."""
    if not date.parts:
        return {"literal": date.literal}
    item: dict[str, Any] = {"date-parts": [list(p) for p in date.parts]}
    if date.open_end:
        item["date-parts"].append([0] * len(date.parts[0]))
    if date.season:
        item["season"] = date.season
    if date.circa:
        item["circa"] = True
    return item


def record_to_csl(
    record: Record, moved: list[str] | None = None, *, name_attributes: bool = True
) -> dict[str, Any]:
    """The CSL-JSON item of a record, keys in ``CSL_KEY_ORDER``; ``name_attributes=False``
    leaves out the name attributes (for a consumer that does not support them)."""
    custom: dict[str, list[str]] = {}
    item_id, *other_ids = record.extra.get(CSL_ID) or [record.id]
    item: dict[str, Any] = {"id": item_id, "type": record.type}
    for var, people in record.names.items():
        item[var] = [name_to_csl(p, name_attributes) for p in people]
    for var, date in record.dates.items():
        item[var] = date_to_csl(date)
    for var, value in record.fields.items():
        if var in _ORDER:
            item[var] = value
        else:  # not a CSL variable: the schema allows no unknown keys
            custom.setdefault(var, []).append(value)
    if record.keywords:
        item["keyword"] = join_keywords(record.keywords)
    for key, values in record.extra.items():
        custom.setdefault(key, []).extend(values if key != CSL_ID else other_ids)
    if not custom.get(CSL_ID, True):
        del custom[CSL_ID]
    if moved is not None:  # the EndNote type is kept for Refer output, not lost
        moved += [key for key, values in custom.items() if key != "%0" for _ in values]
    if custom:  # keys sorted: the order in which a reader met them is no data, and it
        # changes when a round trip moves a value through a note (refer -> csljson -> refer)
        item["custom"] = dict(sorted(custom.items()))
    return dict(sorted(item.items(), key=lambda kv: _ORDER.get(kv[0], len(_ORDER))))


_string = json.JSONEncoder(ensure_ascii=False).encode  # C-accelerated for scalars
#: what ``_string`` does for a ``str``, without the method's type checks: the C function
#: json's encoder calls for strings when ``ensure_ascii`` is off
_text: Callable[[str], str] = encode_basestring


def _pretty(value: Any, indent: str) -> str:
    """JSON with two-space indentation, like ``json.dumps(indent=2)`` (whose encoder is pure
    Python and slow), except that lists of numbers stay on one line: ``[[2012, 3, 15]]``."""
    if isinstance(value, dict):
        if not value:
            return "{}"
        inner = indent + "  "
        items = ",\n".join(
            [
                f"{inner}{_text(k)}: {_text(v) if type(v) is str else _pretty(v, inner)}"
                for k, v in value.items()
            ]
        )  # most values are strings: they take the short way
        return "{\n" + items + "\n" + indent + "}"
    if isinstance(value, list):
        if value and type(value[0]) is dict:  # names: no numbers to keep on one line
            pass
        elif all(
            isinstance(v, int) or (isinstance(v, list) and all(isinstance(x, int) for x in v))
            for v in value
        ):
            return json.dumps(value)
        inner = indent + "  "
        items = ",\n".join([inner + _pretty(v, inner) for v in value])
        return "[\n" + items + "\n" + indent + "]" if value else "[]"
    return _text(value) if type(value) is str else _string(value)


#: Line separators JSON leaves raw (it escapes only C0 controls): escaped, so the output has
#: no line break inside a string for ``str.splitlines`` or a JavaScript parser (before ES2019).
_RAW_BREAKS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def format_item(record: Record, moved: list[str] | None = None) -> str:
    """One item as indented JSON text, indented once more to sit inside the array."""
    text = _pretty(record_to_csl(record, moved), "  ")
    if "\x85" in text or "\u2028" in text or "\u2029" in text:
        text = text.translate(_RAW_BREAKS)
    return "  " + text


class CslJsonWriter(Writer):
    """Write CSL-JSON (the input format of citeproc, pandoc and Zotero)."""

    name = "csljson"
    aliases = ("csl-json", "json")
    suffixes = (".json",)
    description = "CSL-JSON array of items (citeproc, pandoc --citeproc)"
    name_attributes = True
    frame = ("[\n", ",\n", "\n]\n", "[]\n")

    def write(self, records: Iterable[Record], out: TextIO) -> None:
        """Write ``[``, the items separated by commas, ``]``; an empty input gives ``[]``."""
        out.write("[")
        separator = "\n"
        for record in records:
            moved: list[str] = []
            out.write(separator + format_item(record, moved))
            self.account(record, moved, "custom", record.type, record.type)
            separator = ",\n"
        out.write("\n]\n" if separator != "\n" else "]\n")
