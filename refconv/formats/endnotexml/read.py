"""EndNote XML reader: ``<xml><records><record>...`` as EndNote exports it, record by record.

Parsing is lxml's pull parser with every dangerous feature off: no DTD is loaded, no entity
is expanded, nothing is fetched from the network, and libxml2's size and depth limits stay on
(``huge_tree=False``: a text node of more than 10 MB, or nesting deeper than 256, is an
error). A document type declaration is refused before it reaches the parser, so no entity is
ever declared (a "billion laughs" file, an external entity naming a local file). Each
``<record>`` is mapped when its end tag is read and then removed from the tree, so memory
does not grow with the file. Ill-formed XML stops the input with one ``file:line:`` error
(the records before it are read).

A record's elements are EndNote fields (``tables.ELEMENT_TO_TAG``): each becomes the Refer
field of its tag and is placed by the rules the Refer and RIS readers use
(``refer.fields.fill``), in the meanings the record's ``ref-type`` gives the tags
(``refer.syntax.endnote_tags``), so the three EndNote exports cannot disagree. Text is the
join of its ``<style>`` runs; in the titles, abstract and notes an italic, bold, superscript
or subscript run is CSL rich text (``<i>``...). A line break inside a value (EndNote writes
``&#xD;``) is a line break. Unknown elements are kept in custom under their path, with a
warning; the library's bookkeeping (``tables.DROPPED``) is not read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from lxml import etree

from refconv.diagnostics import RefconvError
from refconv.formats.base import Reader, ReadRules, shown
from refconv.formats.endnotexml.syntax import is_echo, rich_text, secondary_title_tag, split_notes
from refconv.formats.endnotexml.tables import (
    DROPPED,
    ELEMENT_TARGETS,
    ELEMENT_TO_TAG,
    FACE_TO_TAG,
    GROUPS,
    LIST_ITEMS,
    REF_TYPE_NUMBERS,
    RICH_ELEMENTS,
)
from refconv.formats.refer.fields import RawField, fill, finish_record
from refconv.formats.refer.syntax import endnote_tags, lookup_type
from refconv.formats.refer.tables import (
    CSL_TO_ENDNOTE_TYPE,
    NEWLINE_JOINED_TARGETS,
    REPEATABLE_TAGS,
    Target,
)
from refconv.model import Record, SourcePos
from refconv.values.xml import parser_message, prolog_end

#: ``<xml><records>`` at the start, after an XML declaration and comments.
_ROOT = re.compile(r"<xml(?:\s[^>]*)?>")  # after the prolog (values.xml)
_RECORDS = re.compile(r"<records(?:\s[^>]*)?/?>")  # after the root, comments or not
_DOCTYPE = re.compile(r"<!DOCTYPE", re.IGNORECASE)
_ELEMENT_START = re.compile(r"<[A-Za-z_]")
_NUMBER = re.compile(r"[0-9]{1,9}")
_NUMBER_TO_TYPE = {number: name for name, number in REF_TYPE_NUMBERS.items()}
#: Fonts whose letters stand for other characters (Symbol's "a" is an alpha).
_SYMBOL_FONTS = frozenset({"symbol", "wingdings", "webdings", "zapf dingbats"})
_UNKNOWN = "<unknown>"
#: How many bytes are given to the parser at once.
_CHUNK = 1 << 16

#: One value of a record: its element's path, its text, the line it starts on.
Item = tuple[str, str, int]


class EndnoteXmlReader(Reader):
    """Read EndNote XML (EndNote's XML export; also Reflib's, bibutils' and others')."""

    name = "endnote-xml"
    aliases = ("endx",)
    # No suffix: ".xml" is also MODS and every other XML; the content tells (``sniff``).
    suffixes = ()
    description = "EndNote XML export (<xml><records><record>...)"
    xml = True

    @classmethod
    def sniff(cls, head: str) -> bool:
        """True when ``head`` starts with ``<xml><records>`` (after a declaration; comments
        may stand between them, attributes in them)."""
        head = head.lstrip("\ufeff")
        root = _ROOT.match(head, prolog_end(head))
        return root is not None and bool(_RECORDS.match(head, prolog_end(head, root.end())))

    def read(self, lines: Iterable[str], path: str) -> Iterator[Record]:
        """Yield one record per ``<record>``; ill-formed XML raises ``RefconvError``."""
        rules = ReadRules(self.diagnostics, path)
        parser = etree.XMLPullParser(
            events=("end",),
            tag="record",
            encoding="utf-8",  # io decoded the bytes (by the declaration's encoding too)
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
            remove_comments=True,
            remove_pis=True,
        )
        count = 0
        seen = [self.first_line - 1]  # the number of the last line given to the parser
        for batch in _batches(lines, self.first_line, path, seen):
            error = _fed(parser, batch)
            for record in _records(parser, rules, count):  # those before an error too
                count += 1
                yield record
            if error is not None:
                raise _syntax_error(error, path, seen[0])
        root, error = None, None
        try:
            root = parser.close()
        except etree.XMLSyntaxError as exc:
            error = exc
        for record in _records(parser, rules, count):
            count += 1
            yield record
        if error is not None:
            raise _syntax_error(error, path, max(seen[0], 1))
        if not count and root is not None and root.tag != "xml":  # -f endnote-xml on MODS
            name = str(root.tag).rpartition("}")[2]
            raise RefconvError(
                f"not EndNote XML: the root element is <{name}>; an EndNote XML file starts "
                "with <xml><records>",
                path,
                root.sourceline or 1,
                code="wrong-format",
            )
        if root is not None:  # what follows the last record
            for child in [c for c in root if c.tag == "records"]:
                _sweep(child, None, rules)
            _sweep(root, None, rules)
        if not count:
            rules.no_records("an EndNote XML file holds <xml><records><record>...")


def _batches(lines: Iterable[str], first: int, path: str, seen: list[int]) -> Iterator[bytes]:
    """The input as UTF-8 bytes in pieces of about ``_CHUNK`` bytes, one ``\\n`` per line end
    (so the parser counts lines as the input has them), ``seen[0]`` the number of the last
    line given. EndNote writes its whole export on one line: a long line is given in pieces
    too, so the parser never holds more than a piece's records unread. A DOCTYPE before the
    first element is refused here, before the parser sees it."""
    prolog = True
    pending: list[bytes] = []
    size = 0
    for number, line in enumerate(lines, first):
        if prolog:
            doctype = _DOCTYPE.search(line)
            element = _ELEMENT_START.search(line)
            if doctype and (element is None or doctype.start() < element.start()):
                raise RefconvError(
                    "a DOCTYPE is not read in EndNote XML (entities are never expanded); remove it",
                    path,
                    number,
                    code="xml-doctype",
                )
            prolog = element is None
        seen[0] = number
        if len(line) > _CHUNK:  # encoded piece by piece: no second copy of the whole line
            if pending:
                yield b"".join(pending)
                pending, size = [], 0
            for start in range(0, len(line), _CHUNK):
                yield line[start : start + _CHUNK].encode("utf-8", "surrogatepass")
            pending, size = [b"\n"], 1
            continue
        data = (line + "\n").encode("utf-8", "surrogatepass")
        pending.append(data)
        size += len(data)
        if size >= _CHUNK:
            yield b"".join(pending)
            pending, size = [], 0
    if pending:
        yield b"".join(pending)


def _fed(parser: etree.XMLPullParser, data: bytes | None) -> etree.XMLSyntaxError | None:
    """Give ``data`` to the parser (None: the end of the input); the syntax error found, if
    any (the records the parser finished before it are still read)."""
    try:
        if data is None:
            parser.close()
        else:
            parser.feed(data)
    except etree.XMLSyntaxError as exc:
        return exc
    return None


_AT = re.compile(r",? line \d+, column \d+$")


def _syntax_error(exc: etree.XMLSyntaxError, path: str, last: int) -> RefconvError:
    """The one error of ill-formed XML: libxml2's fatal message (parsing stops at the first;
    the log may hold older ones), at its line (at most ``last``, the input's last line: the
    end of the input is found after it) and column."""
    fatal = exc.error_log.filter_from_fatals().last_error
    if fatal is not None:
        message, line, column = fatal.message, fatal.line, fatal.column
    else:
        message, (line, column) = exc.msg, exc.position or (exc.lineno, 0)
    message = parser_message(_AT.sub("", " ".join((message or "ill-formed").split())))
    where = f" (column {column})" if column else ""
    return RefconvError(
        f"not well-formed XML: {message}{where}", path, min(line, last) or last, code="invalid-xml"
    )


def _records(parser: etree.XMLPullParser, rules: ReadRules, count: int) -> Iterator[Record]:
    """The records whose end tags the parser has read (``count`` read before); each is
    removed from the tree once mapped (with the records before it), so the tree stays
    small."""
    for _, element in parser.read_events():
        if any(a.tag == "record" for a in element.iterancestors()):
            continue  # a <record> inside a record: an unknown element of the outer one
        if not count and element.getroottree().docinfo.doctype:  # after a comment: refused
            raise RefconvError(
                "a DOCTYPE is not read in EndNote XML (entities are never expanded); remove it",
                rules.path,
                1,
                code="xml-doctype",
            )
        parent = element.getparent()
        if parent is not None:  # what came before it: the records read, or stray content
            _sweep(parent, element, rules)
        yield record_of(element, rules)
        count += 1
        element.clear(keep_tail=True)  # removed with the next record (its tail read by then)


#: The elements that may stand where ``_sweep`` looks: records in <records>, in <xml>.
_EXPECTED = frozenset({"record", "records"})


def _sweep(parent: etree._Element, stop: etree._Element | None, rules: ReadRules) -> None:
    """Remove the children of ``parent`` before ``stop`` (None: all of them); an element that
    is not a record, or text that is not white space, among them is a warning: EndNote XML
    holds nothing else there, and what is skipped is said (STYLE.md §4b)."""
    if parent.text and not parent.text.isspace():
        _stray(f"text {shown(parent.text.strip())}", parent.sourceline, rules)
    parent.text = None
    while len(parent) and parent[0] is not stop:
        child = parent[0]
        if isinstance(child.tag, str) and child.tag not in _EXPECTED:
            _stray(f"element <{child.tag}>", child.sourceline, rules)
        if child.tail and not child.tail.isspace():
            _stray(f"text {shown(child.tail.strip())}", child.sourceline, rules)
        del parent[0]  # with its tail


def _stray(what: str, line: int | None, rules: ReadRules) -> None:
    rules.warn(f"{what} outside any <record>; skipped", line, code="stray-text")


def record_of(element: etree._Element, rules: ReadRules) -> Record:
    """The record of one ``<record>`` element."""
    line = element.sourceline or 0
    type_name, type_number, type_line = None, None, line
    items: list[Item] = []
    fonts: set[str] = set()
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in DROPPED:
            continue
        if tag == "ref-type":
            type_name, type_number = child.get("name"), (child.text or "").strip()
            type_line = child.sourceline or line
        elif tag in GROUPS:
            for sub in child:
                if isinstance(sub.tag, str):
                    _collect(f"{tag}/{sub.tag}", sub, items, fonts)
        else:
            _collect(tag, child, items, fonts)
    for font in sorted(fonts):
        rules.warn(
            f"style font {shown(font)} is not kept; its text is read as written",
            line,
            code="style-not-kept",
        )
    return build_record(type_name, type_number, type_line, items, rules, line)


def _collect(path: str, element: etree._Element, items: list[Item], fonts: set[str]) -> None:
    """Add the values of ``element`` at ``path``: one per item of a list, else its text."""
    rich = path in RICH_ELEMENTS
    if path in LIST_ITEMS:
        for entry in element:
            if isinstance(entry.tag, str):
                items.append((path, _text(entry, rich, fonts), entry.sourceline or 0))
    else:
        items.append((path, _text(element, rich, fonts), element.sourceline or 0))


def _text(element: etree._Element, rich: bool, fonts: set[str]) -> str:
    """The text of a value element: its ``<style>`` runs joined (CSL rich text where
    ``rich``), text outside runs as plain text (only whitespace there is layout, dropped when
    the element has runs). Line breaks (CR, CRLF, which EndNote writes as ``&#xD;``) are LF."""
    if len(element) == 1:  # the common case: one run, as EndNote writes most values
        (child,) = element
        outside = (element.text or "") + (child.tail or "")
        if child.tag == "style" and not len(child) and (not outside or outside.isspace()):
            text = child.text or ""
            font = child.get("font")
            if font is not None and font != "default" and font.casefold() in _SYMBOL_FONTS:
                fonts.add(font)
            if rich and text:
                marks = frozenset(child.get("face", "").split()) & FACE_TO_TAG.keys()
                text = rich_text([(text, marks)]) if marks else text
            return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text
    runs: list[tuple[str, frozenset[str]]] = []
    styled = any(child.tag == "style" for child in element)
    if element.text and not (styled and element.text.isspace()):
        runs.append((element.text, frozenset()))
    for child in element:
        if isinstance(child.tag, str):
            faces: frozenset[str] = frozenset()
            if child.tag == "style":
                faces = frozenset(child.get("face", "").split()) & FACE_TO_TAG.keys()
                font = child.get("font", "")
                if font.casefold() in _SYMBOL_FONTS:
                    fonts.add(font)
            text = "".join(t for t in _texts(child))
            runs.append((text, faces if rich else frozenset()))
        if child.tail and not (styled and child.tail.isspace()):
            runs.append((child.tail, frozenset()))
    text = rich_text(runs) if rich else "".join(text for text, _ in runs)
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _texts(element: etree._Element) -> Iterator[str]:
    """The character data inside ``element``, without entity references (never expanded)."""
    if element.text:
        yield element.text
    for child in element:
        if isinstance(child.tag, str):
            yield from _texts(child)
        if child.tail:
            yield child.tail


def build_record(
    type_name: str | None,
    type_number: str | None,
    type_line: int,
    items: list[Item],
    rules: ReadRules,
    line: int,
) -> Record:
    """Map one record's ``ref-type`` and values (``Item``: path, text, line) to a ``Record``
    with the Refer field rules (``refer.fields.fill``). Public because the writer asks it
    whether a kept value would read back as kept."""
    record = Record(source=SourcePos(rules.path, line))
    known = _resolve_type(record, type_name, type_number, type_line, rules)
    titles = [text for path, text, _ in items if path.startswith("titles/")]
    tags: dict[str, Target] = {**endnote_tags(known or ""), **ELEMENT_TARGETS}
    secondary = secondary_title_tag(known or "")
    raws: list[RawField] = []
    for path, text, at in items:
        if not text.strip():
            continue
        if path.startswith(("periodical/", "alt-periodical/")) and is_echo(text, titles):
            continue  # the journal term list entry of the record's own titles
        tag = secondary if path == "titles/secondary-title" else ELEMENT_TO_TAG.get(path, path)
        target = tags.get(tag, _UNKNOWN)
        if target == _UNKNOWN:
            rules.unknown_field(record, path, text.strip(), "element", at)
            continue
        if tag == "%Z":
            raws += [RawField(tag, [entry], at) for entry in split_notes(text)]
            continue
        # as the Refer reader: a one-line field's lines are joined with spaces, a multi-line
        # one (abstract, notes, a value kept in custom) keeps its text
        multi = target is None or target in NEWLINE_JOINED_TARGETS
        raws.append(RawField(tag, [text] if multi or "\n" not in text else text.split("\n"), at))
    fill(record, raws, tags, rules, repeatable=REPEATABLE_TAGS, seen={"%0"})
    finish_record(record, known)
    rules.no_title(record)
    return record


def _resolve_type(
    record: Record, name: str | None, number: str | None, line: int, rules: ReadRules
) -> str | None:
    """Set the record's CSL type from its ``ref-type``: the ``name`` as the tagged export's
    ``%0`` (``refer.syntax.lookup_type``), else the EndNote type of its number; return the
    EndNote type. A name not known is kept in custom under ``%0``, as the Refer reader keeps
    an unknown ``%0``; a type the CSL type does not pin down (Electronic Article) is kept
    there for the EndNote writers."""
    known: str | None = None
    if name and name.strip():
        known, record.type = lookup_type(name)
    by_number = _NUMBER_TO_TYPE.get(int(number)) if number and _NUMBER.fullmatch(number) else None
    if known is None and by_number is not None:
        known, record.type = lookup_type(by_number)
    if known is None and name and name.strip():
        rules.unknown_type(record, "%0", name.strip(), "reference type", "Generic", line)
    elif known is None and number:
        rules.unknown_type(record, "%0", number, "reference type number", "Generic", line)
    elif known is None:
        rules.no_type("ref-type", "Generic", line)
    elif name and name.strip() and lookup_type(name)[0] is None:
        message = f"unknown reference type {shown(name.strip())}; read as {known} (kept in custom)"
        rules.kept(record, "%0", name.strip(), message, line, code="unknown-type")
    if known and known not in (CSL_TO_ENDNOTE_TYPE.get(record.type), "Edited Book"):
        record.add_extra("%0", known)
    return known
