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
        a missing parent or ``@xdata`` entry is reported and its key kept. ``@xdata``
        entries go first, so that the entries using them get all they can."""
        out: list[Entry] = []
        while self.waiting:
            borrowed: dict[str, Entry] = {}
            entry = self._next_xdata(borrowed)
            if entry is None:
                entry = min((e for es in self.waiting.values() for e in es), key=_line)
            for key, entries in list(self.waiting.items()):
                rest = [e for e in entries if e is not entry]
                if rest:
                    self.waiting[key] = rest
                else:
                    del self.waiting[key]
            out.extend(self._ready(entry, borrowed))
        return sorted(out, key=_line)

    def _next_xdata(self, borrowed: dict[str, Entry]) -> Entry | None:
        """The waiting ``@xdata`` entry to resolve next: the first one's first waiting
        ``@xdata``, and so on, to one that needs no waiting entry; None if none waits.

        A loop (x1 names x2, x2 names x1) has no such entry: biber 2.18 drops its fields
        from the entries using it. refconv warns and resolves the loop's first entry with the
        own fields of every waiting ``@xdata`` entry it reaches (put in ``borrowed``), so
        every entry of the loop, and every entry using one, gets them all."""
        pending = {
            e.key.lower(): e
            for es in self.waiting.values()
            for e in es
            if e.entry_type.lower() == "xdata"
        }
        if not pending:
            return None
        path = [min(pending.values(), key=_line)]
        while True:
            names = [k.lower() for k in _keys(_lower_fields(path[-1]).get("xdata", ""))]
            after = next((pending[k] for k in names if k in pending), None)
            if after is None:
                return path[-1]
            if after in path:
                break
            path.append(after)
        loop = path[path.index(after) :]
        entry = loop[0]
        shown = " -> ".join(e.key for e in [*loop, entry])
        xdata = next(f for f in entry.fields if f.key.lower() == "xdata")
        self.rules.warn(
            f"xdata loop {shown}: each entry of it gets the fields of the others "
            "(biber drops them)",
            xdata.start_line or entry.start_line,
            code="xdata-loop",
        )
        for name in _keys(xdata.value):
            fields: list[Field] = []
            seen = {entry.key.lower()}
            queue = [name.lower()]
            while queue:
                key = queue.pop(0)
                if key in seen:
                    continue
                seen.add(key)
                member = self.xdata.get(key) or pending.get(key)
                if member is None:
                    continue
                fields.extend(f for f in member.fields if f.key.lower() not in ("ids", "xdata"))
                if key in pending:
                    queue.extend(k.lower() for k in _keys(_lower_fields(member).get("xdata", "")))
            if name.lower() in pending and name.lower() != entry.key.lower():
                borrowed[name.lower()] = Entry("xdata", name, fields)
        return entry

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

    def _ready(self, entry: Entry, borrowed: dict[str, Entry] | None = None) -> list[Entry]:
        """Resolve ``entry``, keep it if a later child may need it, release its waiters,
        theirs, and so on. A loop, not recursion: a chain of crossrefs thousands long,
        read child first, releases thousands of entries at once. ``borrowed``: ``@xdata``
        entries of a loop for ``entry`` (``_next_xdata``)."""
        out: list[Entry] = []
        todo = [entry]
        while todo:
            entry = todo.pop()
            self._resolve(entry, borrowed or {})
            borrowed = None
            key = entry.key.lower()
            kind = entry.entry_type.lower()
            if kind == "xdata":
                self.xdata[key] = entry
            elif kind in PARENT_TYPES or key in self.waiting:
                self.parents[key] = entry
            if kind != "xdata":
                out.append(entry)
            for child in self.waiting.pop(key, []):
                missing = self._missing(child)
                if missing is None:
                    todo.append(child)
                else:
                    self.waiting.setdefault(missing, []).append(child)
        return out

    def _resolve(self, entry: Entry, borrowed: dict[str, Entry]) -> None:
        """Merge ``entry``'s ``@xdata`` entries (resolved, or ``borrowed``) and its crossref
        parent into it, with what is known; what is not is reported (xdata) or left for
        ``fields`` to keep (crossref). A field that arrives twice by different ``@xdata``
        paths (the same field of the same entry: key, value, line) is merged once; an
        ``@xdata`` entry's unresolved keys go on to the entries using it, which keep them."""
        own = list(entry.fields)
        xdata = next((f for f in own if f.key.lower() == "xdata"), None)
        merged: list[Field] = []
        if xdata is not None:
            own.remove(xdata)
            missing: list[str] = []
            for key in reversed(_keys(xdata.value)):  # the last @xdata wins, as in biber
                source = self.xdata.get(key.lower()) or borrowed.get(key.lower())
                if source is None:
                    missing.insert(0, key)
                    continue
                merged.extend(
                    Field(f.key.lower(), f.value, f.start_line)
                    for f in source.fields
                    if f.key.lower() not in ("ids", "xdata")
                )
                for kept in source.parser_metadata.get(KEEP, []):
                    if kept not in entry.parser_metadata.get(KEEP, []):
                        entry.parser_metadata.setdefault(KEEP, []).append(kept)
            if missing:
                value = ", ".join(missing)
                message = f"xdata {value!r} is not resolved (no @xdata entry has that key); kept"
                line = xdata.start_line or entry.start_line
                entry.parser_metadata.setdefault(KEEP, []).append(
                    ("xdata", value, message + " in custom", line)
                )
        seen: set[tuple[str, str, int | None]] = set()
        fields: list[Field] = []
        for field in merged + own:  # the entry's own value after xdata's: kept as "repeated"
            same = (field.key.lower(), str(field.value), field.start_line)
            if same not in seen:
                seen.add(same)
                fields.append(field)
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
