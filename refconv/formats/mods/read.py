"""MODS reader: MODS 3.x XML (Library of Congress; bibutils, Zotero), record by record.

The XML is parsed safely and streamed: lxml's pull parser with entity substitution, DTD
loading and network access off (``resolve_entities=False, load_dtd=False,
no_network=True``), and a document that declares entities is refused before the parser
sees the declaration, so no entity is ever expanded (no "billion laughs", no file or URL
read through an external entity). Each ``<mods>`` of a ``<modsCollection>`` (or the one
``<mods>`` that is the document) is mapped to a record as soon as it ends and then cleared
from the tree, so memory holds one record, not the file. Malformed XML is one
``file:line:`` error. Mapping the elements to the model lives in ``fields``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from refconv.diagnostics import RefconvError
from refconv.formats.base import Reader, ReadRules
from refconv.formats.mods.fields import build_record
from refconv.formats.mods.syntax import local_name
from refconv.formats.mods.tables import MODS_NS
from refconv.model import Record
from refconv.values.xml import parser_message, prolog_end

#: Text fed to the parser at a time once the root element has started.
_CHUNK = 1 << 16
#: The start of a document, up to its root element's name and attributes: an XML
#: declaration, comments, processing instructions and a DOCTYPE (with an internal subset)
#: may come first.
_ROOT = re.compile(r"<(?:([A-Za-z_][\w.-]*):)?(modsCollection|mods)((?:\s[^>]*)?)/?>")
_PREDEFINED = frozenset({"amp", "lt", "gt", "quot", "apos"})
_ENTITY_REF = re.compile(r"&([A-Za-z_:][\w.:-]*);")


def sniff_mods(head: str) -> bool:
    """True when the root element of ``head`` is ``modsCollection`` or ``mods`` in the MODS
    namespace (``xmlns="http://www.loc.gov/mods/v3"``, or a prefix bound to it), or in no
    namespace at all (the reader reads it as MODS, with a warning)."""
    head = head.lstrip("\ufeff")
    m = _ROOT.match(head, prolog_end(head))  # after the prolog (values.xml)
    if m is None:
        return False
    prefix, attributes = m[1], m[3]
    declared = re.search(
        r"\sxmlns" + (":" + re.escape(prefix) if prefix else "") + r"\s*=\s*([\"'])(.*?)\1",
        attributes,
    )
    if declared is None:  # no default namespace: MODS without its namespace
        return not prefix
    return declared[2] == MODS_NS


class ModsReader(Reader):
    """Read MODS XML (``.mods``; an ``.xml`` file when its root element is MODS)."""

    name = "mods"
    aliases = ()
    suffixes = (".mods",)
    description = "MODS XML (Library of Congress; bibutils, Zotero)"
    xml = True

    @classmethod
    def sniff(cls, head: str) -> bool:
        """True when the root element is MODS's (``sniff_mods``)."""
        return sniff_mods(head)

    def read(self, lines: Iterable[str], path: str) -> Iterator[Record]:
        """Yield one record per ``<mods>`` element."""
        rules = ReadRules(self.diagnostics, path)
        for element in _mods_elements(lines, path, rules):
            yield build_record(element, rules)


class _Document:
    """The state of one parse: the pull parser, the depth of the open element, what the root
    is, and the lines of the text last fed (for the line of an error)."""

    def __init__(self, path: str, rules: ReadRules) -> None:
        from lxml import etree  # imported here: a conversion from another format never pays

        self.etree: Any = etree
        self.parser = etree.XMLPullParser(
            events=("start", "end"),
            resolve_entities=False,
            load_dtd=False,
            no_network=True,
            huge_tree=False,
        )
        self.path, self.rules = path, rules
        self.depth = 0
        self.root: str | None = None  # "modsCollection" or "mods" once the root started
        self.records = 0
        self.pending: list[str] = []  # lines not fed yet (without their line ends)
        self.first = 1  # the number of pending[0]
        self.fed: tuple[int, list[str]] = (1, [])  # the lines fed last, and the first's number
        self.blank = True  # nothing but white space fed so far

    def feed(self, lineno: int) -> Iterator[Any]:
        """Feed the pending lines (the last is ``lineno``) and yield the ended records."""
        lines, self.pending = self.pending, []
        self.fed, self.first = (self.first, lines), lineno + 1
        text = "\n".join(lines) + "\n" if lines else ""
        self.blank = self.blank and not text.strip()
        try:
            self.parser.feed(text)
        except self.etree.XMLSyntaxError as exc:
            raise self.error(exc, lineno) from None
        yield from self.events(lineno)

    def close(self, lineno: int) -> Iterator[Any]:
        """End the document: a truncated one is an error at its last line."""
        try:
            self.parser.close()
        except self.etree.XMLSyntaxError as exc:
            if self.root is None and self.blank:
                return  # no element at all: an empty input, reported by the caller
            raise self.error(exc, lineno) from None
        yield from self.events(lineno)

    def error(self, exc: Any, lineno: int) -> RefconvError:
        """The ``file:line:`` error for a parse error: libxml2's message, at its line (or
        at the first reference to an undeclared entity, which it reports confusingly)."""
        first, lines = self.fed
        for number, line in enumerate(lines, first):
            for name in _ENTITY_REF.findall(line):
                if name not in _PREDEFINED:
                    return RefconvError(f"invalid XML: undeclared entity &{name};",
                                        self.path, number, code="invalid-xml")  # fmt: skip
        message = parser_message(str(exc.msg).split(", line ")[0].strip())
        # libxml2 counts the line end refconv adds after the last line: never past it
        at: int = min(exc.lineno, lineno) if exc.lineno and exc.lineno > 0 else lineno
        return RefconvError(f"invalid XML: {message}", self.path, at, code="invalid-xml")

    def events(self, lineno: int) -> Iterator[Any]:
        for event, element in self.parser.read_events():
            if event == "start":
                self.depth += 1
                if self.depth == 1:
                    self.start_root(element)
                elif self.depth == 2 and self.root == "modsCollection":
                    self.text_before(element)
                continue
            self.depth -= 1
            if self.depth == 0 and self.root == "modsCollection" and len(element):
                self.text_before(None, element[-1])
            if self.depth == 1 and self.root == "modsCollection":
                name = local_name(element.tag)
                if name == "mods":
                    self.records += 1
                    yield element
                elif isinstance(element.tag, str):
                    what = name or element.tag
                    self.rules.warn(f"element <{what}> outside any <mods> record; skipped",
                                    element.sourceline, code="stray-text")  # fmt: skip
                element.clear(keep_tail=True)  # text after it: see text_before
                parent = element.getparent()
                while element.getprevious() is not None:
                    del parent[0]
            elif self.depth == 0 and self.root == "mods":
                self.records += 1
                yield element

    def text_before(self, element: Any, last: Any = None) -> None:
        """Warn about text between the records of a collection (before ``element``, or after
        ``last``, the last child): it is outside any record, skipped."""
        before = last if element is None else element.getprevious()
        text = before.tail if before is not None else element.getparent().text
        if text and text.strip():
            if element is not None:  # the line the text ends on, counted back from the next
                line = element.sourceline - text[len(text.rstrip()) :].count("\n")
            else:  # after the last record: its first line (lxml does not give its last)
                line = last.sourceline
            self.rules.warn("text outside any <mods> record; skipped", line, code="stray-text")

    def start_root(self, element: Any) -> None:
        """Check the root element: ``modsCollection`` or ``mods`` of MODS."""
        tag = element.tag
        name = local_name(tag)
        if name not in ("modsCollection", "mods"):
            raise RefconvError(
                f"not MODS: the root element is <{name or tag}>; a MODS document starts with "
                f"<modsCollection> or <mods> in the namespace {MODS_NS}",
                self.path,
                element.sourceline,
                code="wrong-format",
            )
        if not tag.startswith("{"):
            self.rules.warn(f"<{name}> has no namespace; read as MODS ({MODS_NS})",
                            element.sourceline, code="no-namespace")  # fmt: skip
        self.root = name


def _mods_elements(lines: Iterable[str], path: str, rules: ReadRules) -> Iterator[Any]:
    """The ``<mods>`` elements of a document, each cleared once the next one is asked for."""
    doc = _Document(path, rules)
    size = lineno = 0
    for lineno, line in enumerate(lines, 1):
        if lineno == 1:
            line = line.lstrip("\ufeff")
        if doc.root is None and "<!ENTITY" in line:
            raise RefconvError(
                "entity declarations are not allowed: refconv expands no entities in MODS "
                "(internal entities can blow up memory, external ones read files)",
                path,
                lineno,
                code="xml-doctype",
            )
        doc.pending.append(line)
        size += len(line)
        if doc.root is None or size >= _CHUNK:  # the prolog line by line (see above)
            yield from doc.feed(lineno)
            size = 0
    yield from doc.feed(lineno)
    yield from doc.close(lineno)
    if doc.root is None:
        rules.no_records("a MODS document starts with <modsCollection> or <mods>")
    elif doc.records == 0:
        rules.no_records("a MODS record is a <mods> element")
