"""CSL YAML reader: the ``references:`` list of a YAML bibliography or of a document's
metadata block (a bare top-level list too), item by item, with line numbers.

The YAML is parsed as a stream of events (PyYAML's ``parse``, libyaml's C parser when it is
installed): one item is built at a time, so memory holds one item, whatever the file's
size, and each record carries the line where its item starts. Items are built by refconv,
never by PyYAML's constructors, so no tag runs code or makes an object, and YAML 1.1's
implicit typing does not apply: every scalar is the text written (``title: no`` is "no",
``volume: 012`` "012", ``issued: 2012-03-15`` a date string, ``id: 1e3`` "1e3"), except a
plain ``true``/``false`` (``yes``/``no``...) where CSL wants a boolean (``syntax.BOOLEAN_KEYS``).
Tags are ignored. Aliases are followed, with a budget: an item that would hold more than
``MAX_VALUES`` values once its aliases are expanded (a "billion laughs") is reported and
skipped, as is one nested deeper than ``MAX_DEPTH``.

Each string value is read as the pandoc Markdown it is to pandoc (``markdown.from_markdown``:
``*x*`` is ``<i>x</i>``, ``\\*`` a star, ``&amp;`` an ampersand). Then the item maps to a
record exactly as a CSL-JSON item does (``csljson.read.record_from_csl``: names, dates,
keyword, custom, the loss policy), after one rewrite of pandoc's own: a date given as
``{year: 2012, month: 3}`` or a list of such (pandoc-citeproc's form, which pandoc still
reads) becomes ``date-parts``.

A YAML syntax error stops the input with one ``file:line:`` error (the records before it are
converted); an item that is no mapping is reported and skipped. Only the first YAML
document is read (a Markdown file's body after its metadata block is no YAML).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import yaml

from refconv.diagnostics import RefconvError
from refconv.formats.base import Reader, ReadRules
from refconv.formats.csljson.read import record_from_csl, shown_json
from refconv.formats.csljson.syntax import Repeated
from refconv.formats.cslyaml.markdown import from_markdown
from refconv.formats.cslyaml.syntax import BOOLEAN_KEYS, BOOLEANS
from refconv.model import DATE_VARIABLES, Record, SourcePos

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
#: libyaml refuses a surrogate escape ("\\ud800"); PyYAML's own parser makes a lone one.
_MAY_HOLD_SURROGATES = _Loader is yaml.SafeLoader
_Scalar = yaml.ScalarEvent

#: The most values one item may hold with its aliases expanded: a CSL item has tens; a
#: "billion laughs" of nine levels of ten aliases would have 10^9.
MAX_VALUES = 100_000
#: The deepest nesting of one item (item, custom, a key, its list: four).
MAX_DEPTH = 64

#: Characters YAML allows in no file (YAML 1.1, 5.1: C0 and C1 controls but tab, line ends
#: and NEL; DEL; surrogates; U+FFFE/U+FFFF): libyaml refuses them with only a character
#: offset, so the reader finds them first and names the line.
_NOT_PRINTABLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]"
)
#: The start of a CSL YAML input, for sniffing: a document marker, a ``%YAML`` directive,
#: a ``references:`` key, or a bare list whose first item starts with a CSL key.
_HEAD = re.compile(
    r"(?:---[ \t]*(?:#.*)?|\.\.\.[ \t]*|%YAML[ \t]+1\.[0-9]+[ \t]*|references[ \t]*:.*"
    r"|- [ \t]*(?:id|type|title|author|issued)[ \t]*:.*)",
    re.ASCII,
)


class _Lines:
    """The reader's lines as the file object libyaml reads: ``read(size)`` gives whole
    lines, each checked for characters YAML does not allow."""

    def __init__(self, lines: Iterable[str], path: str):
        self.lines = iter(lines)
        self.path = path
        self.count = 0

    def read(self, size: int = -1) -> str:
        chunk: list[str] = []
        total = 0
        for line in self.lines:
            self.count += 1
            if (bad := _NOT_PRINTABLE.search(line)) is not None:
                raise RefconvError(
                    f"invalid YAML: character U+{ord(bad[0]):04X} is not allowed in YAML "
                    "(in a double-quoted string, write it as an escape)",
                    self.path,
                    self.count,
                    code="invalid-yaml",
                )
            chunk.append(line)
            total += len(line) + 1
            if total >= size > 0:
                break
        return "\n".join(chunk) + "\n" if chunk else ""


class _Skip(Exception):
    """An item that cannot be built: why, reported at the item's line."""


def _pandoc_date(value: Any) -> Any:
    """pandoc-citeproc's date forms, ``{year: 2012, month: 3, day: 15}`` and a list of one or
    two of them (a range), as ``date-parts`` (with the other keys of the first: ``circa``,
    ``season``, ``literal``); anything else as it is."""
    dates = value if isinstance(value, list) else [value]
    if not dates or not all(isinstance(d, dict) and "year" in d for d in dates):
        return value
    parts = []
    for one in dates:
        part = [one["year"]]
        for key in ("month", "day"):
            if key not in one:
                break
            part.append(one[key])
        parts.append(part)
    rest = {k: v for k, v in dates[0].items() if k not in ("year", "month", "day")}
    return {"date-parts": parts, **rest}


class _Builder:
    """Builds one YAML node from its events: mappings (a ``Repeated`` when a key is given
    twice), lists and strings, following aliases within the budget."""

    def __init__(self, next_event: Callable[[], yaml.Event]):
        self.next_event = next_event  # the parser's own (no generator between: 10% faster)
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.repeats = False  # a mapping gave a key twice
        self.nul = False  # a string held NUL (replaced by U+FFFD)

    def node(self, first: yaml.Event, key: str = "") -> tuple[Any, int]:
        """(value, number of values in it) of the node that starts with ``first``; raises
        ``_Skip`` (after reading to the node's end) for a node that cannot be built."""
        stack: list[tuple[Any, str | None, int, str | None]] = []  # container, key, size, anchor
        event = first
        problem = ""
        value: Any
        while True:
            if type(event) is _Scalar:
                size = 1
                value = event.value
                if "\x00" in value:  # as the CSL-JSON reader does
                    value, self.nul = value.replace("\x00", "\ufffd"), True
                if not event.style and key in BOOLEAN_KEYS and value in BOOLEANS:
                    value = BOOLEANS[value]
                elif not stack or type(stack[-1][0]) is list or stack[-1][1] is not None:
                    value = from_markdown(value)  # a value (a key is as written)
                if event.anchor:
                    self.anchors[event.anchor] = (value, size)
            elif isinstance(event, yaml.AliasEvent):
                if event.anchor not in self.anchors:
                    problem = problem or f"alias *{event.anchor} names no anchor before it"
                    value, size = "", 1
                else:
                    value, size = self.anchors[event.anchor]
            elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                container: Any = {} if isinstance(event, yaml.MappingStartEvent) else []
                stack.append((container, None, 1, event.anchor))
                if len(stack) > MAX_DEPTH:
                    problem = problem or f"nested deeper than {MAX_DEPTH} levels"
                event = self.next_event()
                key = ""
                continue
            else:  # the end of a mapping or a list
                value, _, size, anchor = stack.pop()
                if anchor:
                    self.anchors[anchor] = (value, size)
            if not stack:
                if problem:
                    raise _Skip(problem)
                return value, size
            container, pending, total, anchor = stack[-1]
            total += size
            if total > MAX_VALUES:
                problem = problem or f"more than {MAX_VALUES} values with its aliases expanded"
            if isinstance(container, list):
                container.append(value)
            elif pending is None:  # a key
                pending = value if isinstance(value, str) else json.dumps(value, default=str)
                key = pending
            else:
                if pending not in container:
                    container[pending] = value
                else:  # the first value is the item's (as in CSL-JSON); later ones kept
                    if not isinstance(container, Repeated):
                        container = Repeated(container)
                        container.repeats = []
                    container.repeats.append((pending, value))
                    self.repeats = True
                pending = None
                key = ""
            stack[-1] = (container, pending, total, anchor)
            event = self.next_event()


class CslYamlReader(Reader):
    """Read CSL YAML (``.yaml``, ``.yml``): pandoc's YAML bibliography or metadata block."""

    name = "csl-yaml"
    aliases = ("cslyaml", "yaml")
    suffixes = (".yaml", ".yml")
    description = "CSL YAML references list (pandoc bibliography, metadata block)"

    @classmethod
    def sniff(cls, head: str) -> bool:
        """True when the first line that is neither blank nor a ``#`` comment is a YAML
        document marker (``---``), a ``%YAML`` directive, a ``references:`` key or a list
        item that starts with a CSL key (``- id:``)."""
        for line in head.lstrip("\ufeff").splitlines():
            stripped = line.rstrip()
            if stripped and not stripped.startswith("#"):
                return bool(_HEAD.fullmatch(stripped))
        return False

    def read(self, lines: Iterable[str], path: str) -> Iterator[Record]:
        """Yield one record per item of the ``references:`` list (or of a top-level list),
        holding only the item being read."""
        source = _Lines(lines, path)
        loader = _Loader(source)
        rules = ReadRules(self.diagnostics, path)
        builder = _Builder(loader.get_event)
        found = False
        try:
            for event in _items(_events(loader), builder, rules):
                found = True
                line = event.start_mark.line + 1 if event.start_mark else source.count
                builder.repeats = builder.nul = False
                try:
                    item, _ = builder.node(event)
                except _Skip as why:
                    self.diagnostics.error(
                        f"CSL YAML item skipped: {why}", path, line, code="invalid-item"
                    )
                    continue
                if not isinstance(item, dict):
                    what = "a list" if isinstance(item, list) else shown_json(item)
                    self.diagnostics.error(
                        f"a CSL YAML item must be a mapping, not {what}; skipped",
                        path,
                        line,
                        code="invalid-item",
                    )
                    continue
                if builder.nul:
                    self.diagnostics.warn(
                        "NUL characters (\\0) replaced by U+FFFD", path, line, code="nul-replaced"
                    )
                for var in DATE_VARIABLES:
                    if var in item:
                        item[var] = _pandoc_date(item[var])
                record = record_from_csl(
                    item,
                    SourcePos(path, line),
                    self.diagnostics,
                    surrogates=_MAY_HOLD_SURROGATES,
                    repeats=builder.repeats,
                )
                rules.no_title(record)  # as every reader says it
                yield record
        except yaml.YAMLError as exc:
            raise _syntax_error(exc, path, source.count) from None
        finally:
            loader.dispose()
        if not found:
            rules.no_records("a YAML document with a references: list of CSL items")


def _events(loader: Any) -> Iterator[yaml.Event]:
    """The events of ``loader`` (for the few read outside an item)."""
    while (event := loader.get_event()) is not None:
        yield event


def _syntax_error(exc: yaml.YAMLError, path: str, line: int) -> RefconvError:
    """A YAML syntax error as one ``RefconvError`` at its line (``line`` when it has none:
    the characters a reader error is about are checked before the parser sees them)."""
    if not isinstance(exc, yaml.MarkedYAMLError):
        return RefconvError(f"invalid YAML: {exc}", path, line, code="invalid-yaml")
    mark = exc.problem_mark or exc.context_mark
    where = f" (column {mark.column + 1})" if mark is not None else ""
    context = f"{exc.context}: " if exc.context else ""
    at = mark.line + 1 if mark is not None else line
    return RefconvError(
        f"invalid YAML: {context}{exc.problem}{where}", path, at, code="invalid-yaml"
    )


def _items(
    events: Iterator[yaml.Event], builder: _Builder, rules: ReadRules
) -> Iterator[yaml.Event]:
    """The first event of each item: of the ``references:`` list of the first document's
    top-level mapping (its other keys are skipped), or of a top-level list."""
    for event in events:
        if isinstance(event, yaml.SequenceStartEvent):
            yield from _list(events)
            _after(events, rules)
            return
        if isinstance(event, yaml.MappingStartEvent):
            break
        if isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent, yaml.DocumentEndEvent)):
            return  # a document that is no mapping or list: no references
    else:
        return
    for event in events:
        if isinstance(event, yaml.MappingEndEvent):
            break
        key, _ = _skip_node(builder, event)
        value = next(events)
        if key == "references" and isinstance(value, yaml.SequenceStartEvent):
            yield from _list(events)
        else:
            _skip_node(builder, value)
    _after(events, rules)


def _list(events: Iterator[yaml.Event]) -> Iterator[yaml.Event]:
    """The first event of each element of the list whose start was just read (the caller
    reads each element before asking for the next)."""
    for event in events:
        if isinstance(event, yaml.SequenceEndEvent):
            return
        yield event


def _skip_node(builder: _Builder, event: yaml.Event) -> tuple[Any, int]:
    """Read past the node that starts with ``event`` (its value if it is a scalar)."""
    try:
        return builder.node(event)
    except _Skip:
        return None, 0


def _after(events: Iterator[yaml.Event], rules: ReadRules) -> None:
    """After the first document: a warning if another one follows that holds references (a
    list, or a mapping that starts with ``references``); anything else, a Markdown body
    included, is no YAML bibliography and is not read."""
    try:
        for event in events:
            if isinstance(event, yaml.DocumentStartEvent):
                line = event.start_mark.line + 1 if event.start_mark else None
                first = next(events)
                key = next(events) if isinstance(first, yaml.MappingStartEvent) else None
                if isinstance(first, yaml.SequenceStartEvent) or (
                    isinstance(key, yaml.ScalarEvent) and key.value == "references"
                ):
                    rules.warn(
                        "only the first YAML document is read; the next is skipped",
                        line,
                        code="extra-document",
                    )
                return
            if isinstance(event, yaml.StreamEndEvent):
                return
    except (RefconvError, yaml.YAMLError, StopIteration):
        return
