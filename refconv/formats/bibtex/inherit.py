"""``crossref`` and ``xdata`` resolved as biber resolves them, on bibtexparser's entries
before their fields are mapped.

The rules are biblatex's (manual §2.4.1, §3.13.6 and Appendix B; ``biblatex.def``): a child
gets every field of its ``crossref`` parent that it lacks, except the fields never inherited;
for the parent and child types of :data:`TYPE_RULES` the parent's ``title`` becomes the
child's ``booktitle`` (``maintitle`` from an ``@mv*`` parent, ``journaltitle`` from a
``@periodical``), and so on. ``xdata`` copies every field of each ``@xdata`` entry named, in
order, unmapped; as biber 2.19 does (``Biber::Entry::resolve_xdata``), an ``@xdata`` value
wins over the entry's own, which refconv keeps as a repeated field (custom, with a warning).

Streaming (STYLE.md §5): an entry whose parent or ``@xdata`` has not been seen yet waits,
and is released, with every entry waiting on it, when that entry arrives, so the records
come out in file order among themselves, just before their parent. Memory holds the waiting
entries, the ``@xdata`` entries and the entries of the types biblatex inherits from
(:data:`PARENT_TYPES`), not the file. A crossref to an earlier entry of another type, or to
no entry, stays unresolved: the child keeps its ``crossref`` in custom with a warning.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from bibtexparser.model import Entry, Field

from refconv.formats.base import ReadRules

#: Fields a child never inherits (biblatex.def ``\DeclareDataInheritance{*}{*}``), and
#: ``xdata``, which biber consumes.
NEVER_INHERITED = frozenset({
    "ids", "crossref", "xref", "entryset", "entrysubtype", "execute", "label", "options",
    "presort", "related", "relatedoptions", "relatedstring", "relatedtype", "shorthand",
    "shorthandintro", "sortkey", "xdata",
})  # fmt: skip

_NO_TITLE_COPIES = {f: () for f in ("shorttitle", "sorttitle", "indextitle", "indexsorttitle")}


def _titles(prefix: str) -> dict[str, tuple[str, ...]]:
    """``title``/``subtitle``/``titleaddon`` → ``<prefix>title``..., and the title's other
    forms not inherited (biblatex.def)."""
    parts = {p: (prefix + p,) for p in ("title", "subtitle", "titleaddon")}
    return {**parts, **_NO_TITLE_COPIES}


_MV_BOOK_CHILDREN = ("book", "inbook", "bookinbook", "suppbook")
_MV_COLLECTION_CHILDREN = ("collection", "reference", "incollection", "inreference")
#: (parent types, child types, source field → child fields; () = not inherited), in
#: biblatex.def's order; rules for one pair add up.
_DECLARED: tuple[tuple[tuple[str, ...], tuple[str, ...], dict[str, tuple[str, ...]]], ...] = (
    (("mvbook", "book"), ("inbook", "bookinbook", "suppbook"),
     {"author": ("author", "bookauthor")}),
    (("mvbook",), _MV_BOOK_CHILDREN, _titles("main")),
    (("mvcollection", "mvreference"), (*_MV_COLLECTION_CHILDREN, "suppcollection"),
     _titles("main")),
    (("mvproceedings",), ("proceedings", "inproceedings"), _titles("main")),
    (("book",), ("inbook", "bookinbook", "suppbook"), _titles("book")),
    (("collection", "reference"), ("incollection", "inreference", "suppcollection"),
     _titles("book")),
    (("proceedings",), ("inproceedings",), _titles("book")),
    (("periodical",), ("article", "suppperiodical"), _titles("journal")),
)  # fmt: skip

#: (parent type, child type) → source field → the child fields it fills.
TYPE_RULES: dict[tuple[str, str], dict[str, tuple[str, ...]]] = {}
for _parents, _children, _fields in _DECLARED:
    for _parent in _parents:
        for _child in _children:
            TYPE_RULES.setdefault((_parent, _child), {}).update(_fields)

#: Types whose entries are kept after they are read, for a child that comes after them.
PARENT_TYPES = frozenset(parent for parent, _ in TYPE_RULES)

#: ``Entry.parser_metadata`` key: (field, value, message, line) to keep in custom.
KEEP = "refconv_keep"
#: ``Entry.parser_metadata`` key: the parent key of a resolved crossref.
CROSSREF = "refconv_crossref"


def inherited(parent: Entry, child_type: str) -> Iterator[Field]:
    """The fields a ``child_type`` child gets from ``parent`` before its own are counted:
    each parent field under its child names (``TYPE_RULES``), the never-inherited left out."""
    rules = TYPE_RULES.get((parent.entry_type.lower(), child_type.lower()), {})
    for field in parent.fields:
        key = field.key.lower()
        if key in NEVER_INHERITED:
            continue
        for target in rules.get(key, (key,)):
            yield Field(target, field.value, field.start_line)


def _keys(value: Any) -> list[str]:
    return [k.strip() for k in str(value).split(",") if k.strip()]


class Inheritance:
    """Resolve the entries of one input as they arrive: :meth:`add` each entry, then
    :meth:`finish`; both yield the entries ready to become records (never ``@xdata``)."""

    def __init__(self, rules: ReadRules):
        self.rules = rules
        self.xdata: dict[str, Entry] = {}  # lower key → resolved @xdata entry
        self.parents: dict[str, Entry] = {}  # lower key → resolved entry a child may need
        self.waiting: dict[str, list[Entry]] = {}  # lower key → entries waiting for it

    def add(self, entry: Entry) -> list[Entry]:
        """The entries ready once ``entry`` is read, in file order (none while it waits)."""
        return sorted(self._try(entry), key=lambda e: e.start_line or 0)

    def finish(self) -> list[Entry]:
        """The entries still waiting at the end of the input, resolved with what there is:
        a missing parent or ``@xdata`` entry is reported and its key kept."""
        out: list[Entry] = []
        while self.waiting:
            key, entry = min(
                ((k, e) for k, es in self.waiting.items() for e in es), key=lambda p: _line(p[1])
            )
            rest = [e for e in self.waiting[key] if e is not entry]
            if rest:
                self.waiting[key] = rest
            else:
                del self.waiting[key]
            out.extend(self._ready(entry))
        return sorted(out, key=_line)

    def _missing(self, entry: Entry) -> str | None:
        """The first key ``entry`` needs that is not resolved yet."""
        fields = _lower_fields(entry)
        for key in _keys(fields.get("xdata", "")):
            if key.lower() not in self.xdata:
                return key.lower()
        parent = str(fields.get("crossref", "")).strip().lower()
        return parent if parent and parent not in self.parents else None

    def _try(self, entry: Entry) -> list[Entry]:
        missing = self._missing(entry)
        if missing is not None:
            self.waiting.setdefault(missing, []).append(entry)
            return []
        return self._ready(entry)

    def _ready(self, entry: Entry) -> list[Entry]:
        """Resolve ``entry``, keep it if a later child may need it, release its waiters."""
        self._resolve(entry)
        key = entry.key.lower()
        kind = entry.entry_type.lower()
        if kind == "xdata":
            self.xdata[key] = entry
        elif kind in PARENT_TYPES or key in self.waiting:
            self.parents[key] = entry
        out = [] if kind == "xdata" else [entry]
        for child in self.waiting.pop(key, []):
            out.extend(self._try(child))
        return out

    def _resolve(self, entry: Entry) -> None:
        """Merge ``entry``'s ``@xdata`` entries and its crossref parent into it, with what
        is known; what is not is reported (xdata) or left for ``fields`` to keep (crossref)."""
        own = list(entry.fields)
        xdata = next((f for f in own if f.key.lower() == "xdata"), None)
        merged: list[Field] = []
        if xdata is not None:
            own.remove(xdata)
            missing: list[str] = []
            for key in reversed(_keys(xdata.value)):  # the last @xdata wins, as in biber
                source = self.xdata.get(key.lower())
                if source is None:
                    missing.insert(0, key)
                    continue
                merged.extend(
                    Field(f.key.lower(), f.value, f.start_line)
                    for f in source.fields
                    if f.key.lower() not in ("ids", "xdata")
                )
            if missing:
                value = ", ".join(missing)
                message = f"xdata {value!r} is not resolved (no @xdata entry has that key); kept"
                line = xdata.start_line or entry.start_line
                entry.parser_metadata.setdefault(KEEP, []).append(
                    ("xdata", value, message + " in custom", line)
                )
        fields = merged + own  # the entry's own value after xdata's: kept as "repeated"
        crossref = next((f for f in fields if f.key.lower() == "crossref"), None)
        parent = self.parents.get(str(crossref.value).strip().lower()) if crossref else None
        if crossref is not None and parent is not None:
            fields.remove(crossref)
            entry.parser_metadata[CROSSREF] = str(crossref.value).strip()
            have = {f.key.lower() for f in fields}
            for field in inherited(parent, entry.entry_type):
                if field.key not in have:
                    fields.append(field)
                    have.add(field.key)
        entry.fields = fields


def _line(entry: Entry) -> int:
    return entry.start_line or 0


def _lower_fields(entry: Entry) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for field in entry.fields:
        out.setdefault(field.key.lower(), field.value)
    return out
