"""CSL YAML writer: a YAML document ``---`` ... ``...`` with a ``references:`` list of CSL
items, as pandoc reads a bibliography file or a document's metadata block.

The items are the CSL-JSON writer's (``record_to_csl``: the same keys in the same order,
names, ``date-parts``, ``keyword``, ``custom``), laid out as pandoc writes metadata: a block
list of block mappings, ``date-parts`` as a flow list (``[[2012, 3, 15]]``, which pandoc reads
back as the same date, season and circa beside it). Output is inert: every string is
escaped for pandoc's Markdown (``markdown.to_markdown``: pandoc reads every metadata string
as Markdown, so ``*`` would be emphasis and ``[@key]`` a citation; CSL rich text becomes the
Markdown for the same formatting) and then written as a YAML scalar that no YAML parser can
read as anything else (``syntax.scalar``: plain only when that is a string to YAML 1.1 and
1.2 alike, else double-quoted with escapes), so no value adds a key, an item, an anchor, a
tag or a document. A lone surrogate (no character; only the Python API can pass one) is
written as U+FFFD. Bytes are deterministic: one layout, keys in ``CSL_KEY_ORDER``, custom
keys sorted.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TextIO

from refconv.formats.base import Writer
from refconv.formats.csljson.write import record_to_csl
from refconv.formats.cslyaml.markdown import to_markdown
from refconv.formats.cslyaml.syntax import scalar
from refconv.model import Record

#: The longest key written as ``key:``; a longer one is an explicit key (``? key``, then
#: ``: value``): YAML 1.2 (7.4.2) lets an implicit key span at most 1024 characters.
MAX_KEY = 1000


def _value(value: Any) -> str:
    """A scalar or flow value: text as escaped Markdown, numbers and booleans as YAML."""
    if isinstance(value, str):
        return scalar(to_markdown(value))
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):  # date-parts: lists of numbers
        return "[" + ", ".join(_value(v) for v in value) + "]"
    return scalar(to_markdown(str(value)))


def _block(key: str, value: Any, indent: str, out: list[str], lead: str = "") -> None:
    """``key: value`` at ``indent`` (``lead`` replaces the indent of the first line: ``- ``),
    nested mappings and lists of mappings as blocks."""
    written = scalar(key)
    if len(written) > MAX_KEY:  # YAML's implicit keys end within 1024 characters
        out.append((lead or indent) + "? " + written)
        lead, written = "", ""
    head = (lead or indent) + written + ":"
    if isinstance(value, dict):
        if not value:
            out.append(head + " {}")
            return
        out.append(head)
        for k, v in value.items():
            _block(k, v, indent + "  ", out)
    elif isinstance(value, list) and value and not _is_flow(key, value):
        out.append(head)
        for item in value:
            _item(item, indent, out)
    else:
        out.append(head + " " + (_value(value) if value != [] else "[]"))


def _is_flow(key: str, value: list[Any]) -> bool:
    return key == "date-parts" or all(isinstance(v, int) for v in value)


def _item(item: Any, indent: str, out: list[str]) -> None:
    """One list element at ``indent``: a mapping as a block (``- key: value`` then its other
    keys indented under it), anything else on one line."""
    if isinstance(item, dict) and item:
        lead = indent + "- "
        for k, v in item.items():
            _block(k, v, indent + "  ", out, lead)
            lead = ""
    elif isinstance(item, dict):
        out.append(indent + "- {}")
    else:
        out.append(indent + "- " + _value(item))


def format_item(record: Record, moved: list[str] | None = None) -> str:
    """One record as an element of the ``references:`` list, with its line end."""
    lines: list[str] = []
    _item(record_to_csl(record, moved), "", lines)
    return "\n".join(lines) + "\n"


class CslYamlWriter(Writer):
    """Write CSL YAML (a ``references:`` list, pandoc's YAML bibliography)."""

    name = "csl-yaml"
    aliases = ("cslyaml", "yaml")
    suffixes = (".yaml", ".yml")
    description = "CSL YAML references list (pandoc bibliography, metadata block)"
    name_attributes = True

    def write(self, records: Iterable[Record], out: TextIO) -> None:
        """Write ``---``, ``references:`` and one list element per record, then ``...``; an
        empty input gives ``references: []``."""
        out.write("---\n")
        first = True
        for record in records:
            moved: list[str] = []
            text = format_item(record, moved)
            out.write("references:\n" + text if first else text)
            self.account(record, moved, "custom", record.type, record.type)
            first = False
        out.write("references: []\n...\n" if first else "...\n")
