"""EndNote XML writer: a file EndNote, Zotero and bibutils' endx2xml import.

``<?xml version="1.0" encoding="UTF-8"?>``, then ``<xml><records>``, one ``<record>`` per
line, ``</records></xml>``. A record is what the Refer writer would write for it
(``refer.write.refer_lines``: the EndNote type, each variable under the field the type reads
it from, values without a field as ``key: value`` lines of the notes), each field in its
element (``tables.TAG_TO_ELEMENT``), in the order of EndNote's DTD, its text in ``<style
face="normal" font="default" size="100%">`` runs. CSL rich text in a title, the abstract or
the notes becomes italic, bold, superscript and subscript runs. ``ref-type`` carries the
type's name and EndNote's number for it. For a journal, magazine or newspaper article the
``<periodical>`` entry EndNote writes beside the journal name is written too (the reader
passes over it).

The output is inert: every value is escaped (``& < >``, and ``"`` in attributes), so no
value can close an element or open one; characters XML 1.0 cannot hold (C0 controls but
tab and line feed, lone surrogates, U+FFFE, U+FFFF) are written as U+FFFD with a warning; a
vertical tab, form feed or other line separator of the ASCII controls is a line break, as
in the other line writers. Values kept in custom are written back under their element
only where refconv's reader keeps them there again (asked of the reader itself).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TextIO

from lxml import etree

from refconv.formats.base import ReadRules, Writer, kept_again, shown, silent
from refconv.formats.endnotexml.read import record_of  # the reader, for trial reads
from refconv.formats.endnotexml.syntax import (
    FACE_ORDER,
    is_path,
    join_notes,
    without_tags,
)
from refconv.formats.endnotexml.tables import (
    ELEMENT_TARGETS,
    FACE_TO_TAG,
    GENERIC_NUMBER,
    GROUP_ORDER,
    GROUPS,
    LIST_ITEMS,
    PERIODICAL_TYPES,
    RECORD_ORDER,
    REF_TYPE_NUMBERS,
    RICH_ELEMENTS,
    TAG_TO_ELEMENT,
)
from refconv.formats.refer.syntax import endnote_tags, lookup_type
from refconv.formats.refer.write import endnote_type, refer_lines
from refconv.model import Record
from refconv.values.richtext import RichNode, parse_rich_text

PROLOGUE = '<?xml version="1.0" encoding="UTF-8"?>\n<xml><records>\n'
EPILOGUE = "\n</records></xml>\n"
EMPTY = '<?xml version="1.0" encoding="UTF-8"?>\n<xml><records></records></xml>\n'

_ORDER = {name: i for i, name in enumerate(RECORD_ORDER)}
_TAG_TO_FACE = {tag: face for face, tag in FACE_TO_TAG.items()}
#: Line breaks the line writers split at that XML 1.0 cannot hold (VT, FF, FS, GS, RS), and
#: CR, which an XML parser turns into LF anyway.
_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x1c\x1d\x1e]")
#: What XML 1.0 §2.2 ``Char`` excludes (after ``_BREAKS``).
_NOT_XML = re.compile("[\x00-\x08\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_ATTRIBUTE_ESCAPES = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\n": "&#10;", "\t": "&#9;"}
)
#: The parser of the writer's trial reads: the reader's settings.
_TRIAL = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def xml_text(value: str, path: str, problems: list[str] | None) -> str:
    """``value`` as XML 1.0 can hold it (not yet escaped): line breaks as LF, what XML 1.0
    cannot hold as U+FFFD, with a warning in ``problems`` naming ``path``."""
    if value.isprintable():
        return value
    value = _BREAKS.sub("\n", value)
    bad = sorted({f"U+{ord(c):04X}" for c in _NOT_XML.findall(value)})
    if bad:
        if problems is not None:
            what = ", ".join(bad[:3]) + (" ..." if len(bad) > 3 else "")
            problems.append(
                f"{path} {shown(value)}: {what} cannot be written in XML 1.0; written as U+FFFD"
            )
        value = _NOT_XML.sub("\ufffd", value)
    return value


def style_runs(value: str, rich: bool) -> list[tuple[str, str]]:
    """(face, text) runs of a value: its CSL rich text as faces where ``rich`` and the markup
    is well formed and only of faces EndNote has; else one plain run of the text as it is."""
    tree = parse_rich_text(value) if rich and "<" in value else None
    if tree is not None:
        runs: list[tuple[str, str]] = []
        if _flatten(tree, frozenset(), runs):
            return runs
    return [("normal", value)]


def _flatten(tree: list[RichNode], faces: frozenset[str], runs: list[tuple[str, str]]) -> bool:
    """Append the runs of ``tree`` under ``faces``; False for markup EndNote has no face for
    (case protection, small caps) or an element with no text."""
    for node in tree:
        if isinstance(node, str):
            face = " ".join(f for f in FACE_ORDER if f in faces) or "normal"
            runs.append((face, node))
            continue
        tag, children = node
        if tag not in _TAG_TO_FACE or not children:
            return False
        if not _flatten(children, faces | {_TAG_TO_FACE[tag]}, runs):
            return False
    return True


def _styled(value: str, path: str, problems: list[str] | None) -> str:
    """The style runs of one value, escaped."""
    runs = style_runs(xml_text(value, path, problems), path in RICH_ELEMENTS)
    return "".join(
        f'<style face="{face}" font="default" size="100%">{text.translate(_ESCAPES)}</style>'
        for face, text in runs
    )


def _element(path: str, values: list[str], problems: list[str] | None) -> str:
    name = path.rsplit("/", 1)[-1]
    if path in LIST_ITEMS:
        item = LIST_ITEMS[path]
        inner = "".join(f"<{item}>{_styled(v, path, problems)}</{item}>" for v in values)
        return f"<{name}>{inner}</{name}>"
    return "".join(f"<{name}>{_styled(v, path, problems)}</{name}>" for v in values)


def render(type_name: str, pairs: Iterable[tuple[str, str]], problems: list[str] | None) -> str:
    """One ``<record>`` of ``type_name`` holding the (tag or path, value) pairs of
    ``refer_lines`` after ``%0``: each in its element, elements in EndNote's order, the notes
    in one element (``syntax.join_notes``); a field with several values (an ISBN and an
    ISSN, a Report's ISBN and number) repeats its element, as the tagged export its tag."""
    values: dict[str, list[str]] = {}
    for key, value in pairs:
        path = TAG_TO_ELEMENT.get(key) or (key if is_path(key) else None)
        if path is not None:  # never a %0 (the type) nor a name XML does not allow
            values.setdefault(path, []).append(value)
    if "notes" in values:
        values["notes"] = [join_notes(values["notes"])]
    if type_name in PERIODICAL_TYPES and not any(
        p.startswith(("periodical/", "alt-periodical/")) for p in values
    ):  # the journal term list entry EndNote writes; the reader passes over it
        for path, title in (("full-title", "secondary-title"), ("abbr-1", "alt-title")):
            text = values.get(f"titles/{title}", [""])[0]
            if text and "<" not in text:
                values[f"periodical/{path}"] = [text]
    number = REF_TYPE_NUMBERS.get(type_name, GENERIC_NUMBER)
    name = xml_text(type_name, "ref-type", problems).translate(_ATTRIBUTE_ESCAPES)
    out = [f'<record><ref-type name="{name}">{number}</ref-type>']
    tops: dict[str, list[str]] = {}
    for path in values:
        top, _, sub = path.partition("/")
        tops.setdefault(top, [])
        if sub:
            tops[top].append(sub)
    for top in sorted(tops, key=lambda t: _ORDER.get(t, len(_ORDER))):
        if top in GROUPS:
            order = {sub: i for i, sub in enumerate(GROUP_ORDER[top])}
            subs = sorted(tops[top], key=lambda s: order.get(s, len(order)))
            inner = "".join(_element(f"{top}/{s}", values[f"{top}/{s}"], problems) for s in subs)
            out.append(f"<{top}>{inner}</{top}>")
        else:
            out.append(_element(top, values[top], problems))
    out.append("</record>")
    return "".join(out)


def _kept_back(type_name: str, pairs: list[tuple[str, str]], key: str) -> list[str]:
    """What refconv's reader keeps under ``key`` reading the record ``pairs`` make."""
    element = etree.fromstring(render(type_name, pairs, None).encode("utf-8"), _TRIAL)
    return record_of(element, ReadRules(silent, "")).extra.get(key, [])


def kept_as_element(type_name: str, key: str, value: str, lines: list[tuple[str, str]]) -> bool:
    """True when the reader, given ``value`` in the element of ``key`` (a Refer tag or a
    path) beside ``lines``, keeps it under ``key`` again: asked of the reader itself, unless
    ``key`` is a field the type keeps by design (an Author Address, a Custom 8) and the
    value plain text written once. Any other key goes to the notes (``refer_lines``)."""
    if key == "%0" or not (key in TAG_TO_ELEMENT or is_path(key)):
        return False
    by_design = endnote_tags(type_name).get(key, "") is None or ELEMENT_TARGETS.get(key, "") is None
    if (
        by_design
        and value
        and value == value.strip()
        and value.isprintable()
        and "10." not in value
        and "<" not in value
        and not any(k == key for k, _ in lines)
    ):
        return True
    return kept_again(lambda trial: _kept_back(type_name, trial, key), lines, key, value)


def format_record(
    record: Record, moved: list[str] | None = None, problems: list[str] | None = None
) -> str:
    """One ``<record>`` element (one line unless a value holds line breaks)."""
    type_name = endnote_type(record)
    lines = refer_lines(record, moved, without=without_tags(type_name), kept_as=kept_as_element)
    return render(type_name, lines[1:], problems)


class EndnoteXmlWriter(Writer):
    """Write EndNote XML, which EndNote (File > Import, "EndNote generated XML"), Zotero and
    bibutils' endx2xml read."""

    name = "endnote-xml"
    aliases = ("endx",)
    suffixes = ()  # ".xml" names MODS as well: give -t endnote-xml
    out_suffix = ".xml"
    description = "EndNote XML (EndNote's XML export and import format)"
    frame = (PROLOGUE, "\n", EPILOGUE, EMPTY)

    def write(self, records: Iterable[Record], out: TextIO) -> None:
        """The declaration and ``<xml><records>``, one record per line, the end tags."""
        separator = PROLOGUE
        for record in records:
            moved: list[str] = []
            problems: list[str] = []
            out.write(separator + format_record(record, moved, problems))
            separator = "\n"
            for message in problems:
                self.diagnostics.warn(
                    message, record.source.path, record.source.line, code="character-replaced"
                )
            type_name = endnote_type(record)
            written = f"ref-type {type_name}"
            self.account(record, moved, "notes", written, lookup_type(type_name)[1])
        out.write(EMPTY if separator == PROLOGUE else EPILOGUE)
