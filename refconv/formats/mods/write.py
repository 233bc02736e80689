"""MODS writer: MODS 3.x records as the Library of Congress defines them and as bibutils'
xml2bib and xml2ris read them back (docs/mods-format.md §6).

Each record is one ``<mods>``: its titles, names with MARC relator roles, ``originInfo``,
genres that say its type the way bibutils does (a journal article's host is a
``periodical``, so xml2bib writes @article with journal, volume, number and pages), and
``<genre authority="local">`` with the exact CSL type, which refconv reads first. The host
(journal, book) is a ``relatedItem type="host"``, a series ``type="series"``; volume,
issue and pages are the record's ``part``. A variable MODS has no element for and every
value kept in custom go to ``<extension>``, in refconv's namespace, which other tools skip
and refconv reads back. Every value is escaped; characters XML 1.0 cannot hold become
U+FFFD with a warning. Output is UTF-8, indented by four spaces, the same bytes each run.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TextIO

from refconv.formats.base import Writer
from refconv.formats.mods.syntax import (
    date_points,
    escape_attribute,
    escape_text,
    name_parts,
    parts_read_back,
    points_read_back,
    xml_safe,
)
from refconv.formats.mods.tables import (
    CONSUMER_GENRES,
    CSL_TO_DETAIL,
    CSL_TO_IDENTIFIER,
    CSL_TO_MODS,
    CSL_TO_ROLE,
    EXTENSION_NS,
    GENRE_TO_CSL,
    HOST_EDITOR_TYPES,
    HOST_GENRE_TO_CSL,
    LEVEL_ROLES,
    MODS_NS,
    THESIS_GENRES,
    WEAK_GENRE_TO_CSL,
    ModsForm,
)
from refconv.model import Date, Name, Record
from refconv.values.dates import format_date
from refconv.values.names import format_inverted

PROLOGUE = f'<?xml version="1.0" encoding="UTF-8"?>\n<modsCollection xmlns="{MODS_NS}">\n'
EPILOGUE = "</modsCollection>\n"

#: An element: (tag, attributes, text or None, children).
Node = tuple[str, list[tuple[str, str]], str | None, list["Node"]]

#: Variables the writer gives an element of their own; the others go to <extension>.
_ELEMENT_VARS = frozenset(
    {"title", "title-short", "container-title", "container-title-short", "collection-title",
     "collection-number", "original-title", "reviewed-title", "original-publisher",
     "original-publisher-place", "event-title", "publisher", "publisher-place", "edition",
     "language", "medium", "dimensions", "abstract", "note", "annote", "call-number", "URL",
     "archive", "archive_location", "source", "page", "number-of-pages", "genre",
     *CSL_TO_DETAIL, *CSL_TO_IDENTIFIER}
)  # fmt: skip
#: Words bibutils or refconv read as a type when they stand in a <genre> (the CSL ``genre``
#: of a record is written there only when it is none of them).
_TYPE_WORDS = frozenset({*GENRE_TO_CSL, *HOST_GENRE_TO_CSL, *WEAK_GENRE_TO_CSL, *CONSUMER_GENRES})
_BCP47 = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")  # a language code, not a name
_NCNAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")
_RANGE = re.compile(r"([^-\s,]+)-([^-\s,]+)")
_HOST_VARS = ("container-title", "container-title-short", "container-author")
#: Date variables with a MODS element: (the originInfo's level, the element).
_DATE_ELEMENTS = {
    "issued": ("main", "dateIssued"),
    "accessed": ("main", "dateCaptured"),
    "original-date": ("original", "dateIssued"),
}


def node(tag: str, text: str | None = None, *children: Node, **attributes: str) -> Node:
    """One element (``type_`` and other trailing-underscore names drop the underscore)."""
    attrs = [(k.rstrip("_"), v) for k, v in attributes.items() if v]
    return (tag, attrs, text, list(children))


class _Record:
    """The element tree of one record while it is built, and what went to <extension>."""

    def __init__(self, record: Record) -> None:
        self.record = record
        self.form = CSL_TO_MODS.get(record.type, ModsForm("text"))
        self.main: list[Node] = []
        self.levels: dict[str, list[Node]] = {"host": [], "series": [], "original": [],
                                              "reviewOf": []}  # fmt: skip
        self.origin: dict[str, list[Node]] = {"main": [], "host": [], "original": []}
        self.extension: list[Node] = []
        self.moved: list[str] = []
        fields = record.fields
        self.has_host = bool(self.form.host_genres or self.form.host_issuance) or any(
            var in fields or var in record.names for var in _HOST_VARS
        )
        self.facts = "host" if self.has_host else "main"  # where publisher, ISBN... go

    def field(self, var: str) -> str:
        return self.record.fields.get(var, "")

    def keep(self, kind: str, key: str, value: str) -> None:
        """A value for <extension>: a CSL ``variable`` or a ``custom`` key."""
        attribute = {"variable": "name", "custom": "key"}[kind]
        self.extension.append((f"refconv:{kind}", [(attribute, key)], value, []))
        self.moved.append(key)

    def titles(self) -> None:
        for var, level, kind in (("title", "main", ""), ("title-short", "main", "abbreviated"),
                                 ("container-title", "host", ""),
                                 ("container-title-short", "host", "abbreviated"),
                                 ("collection-title", "series", ""),
                                 ("original-title", "original", ""),
                                 ("reviewed-title", "reviewOf", "")):  # fmt: skip
            if self.field(var):
                target = self.main if level == "main" else self.levels[level]
                target.append(node("titleInfo", None, node("title", self.field(var)), type_=kind))

    def names(self) -> None:
        record = self.record
        for role, people in record.names.items():
            level, as_role = "main", role
            if role in LEVEL_ROLES:
                level, as_role = LEVEL_ROLES[role]
            elif role == "editor" and record.type in HOST_EDITOR_TYPES:
                level = "host"
            target = self.main if level == "main" else self.levels[level]
            for person in people:
                if writable(person):
                    target.append(name_node(person, as_role))
                else:  # no namePart can say it: kept, as the other writers keep it
                    self.keep("custom", role, format_inverted(person))
        if self.field("event-title"):  # bibutils' role: not read as an author
            event = node("role", None, node("roleTerm", "event", type_="text"))
            self.main.append(node("name", None, node("namePart", self.field("event-title")),
                                  event, type_="conference"))  # fmt: skip
        if record.type == "thesis" and self.field("publisher"):
            grantor = node("role", None, node("roleTerm", "degree grantor",
                                              authority="marcrelator", type_="text"))  # fmt: skip
            self.main.append(node("name", None, node("namePart", self.field("publisher")),
                                  grantor, type_="corporate"))  # fmt: skip

    def dates(self) -> None:
        """issued, accessed and original-date as MODS date elements; the others, and any
        date the elements would read back as another ("n.d.", a reversed range), whole in
        <extension>. W3C-DTF has no season: a season's date is in the elements without it
        (xml2bib reads its year) and whole in <extension>, which refconv reads."""
        for var, date in self.record.dates.items():
            where = _DATE_ELEMENTS.get(var)
            plain = Date(date.parts, circa=date.circa, open_end=date.open_end)
            plain = plain if date.season else date
            if where is None or not points_read_back(plain, date_points(plain)):
                self.keep("variable", var, format_date(date))
                continue
            if date.season:
                self.keep("variable", var, format_date(date))
            level, tag = where
            self.origin[level] += date_nodes(tag, plain)

    def origin_info(self) -> None:
        form, facts = self.form, self.facts
        if form.issuance:
            self.origin["main"].insert(0, node("issuance", form.issuance))
        if self.has_host and form.host_issuance:
            self.origin["host"].insert(0, node("issuance", form.host_issuance))
        if self.field("publisher") and self.record.type != "thesis":
            self.origin[facts].append(node("publisher", self.field("publisher")))
        for var, level in (("publisher-place", facts), ("original-publisher-place", "original")):
            if self.field(var):
                term = node("placeTerm", self.field(var), type_="text")
                self.origin[level].append(node("place", None, term))
        if self.field("original-publisher"):
            self.origin["original"].insert(0, node("publisher", self.field("original-publisher")))
        if self.field("edition"):
            self.origin[facts].append(node("edition", self.field("edition")))
        for level, children in self.origin.items():
            if children:
                target = self.main if level == "main" else self.levels[level]
                target.append(node("originInfo", None, *children))

    def genres(self) -> None:
        record, form = self.record, self.form
        self.main.append(node("typeOfResource", form.resource))
        self.main.append(node("genre", record.type, authority="local"))
        genres, host_genres = form.genres, form.host_genres
        if record.type == "chapter" and "editor" in record.names:  # xml2bib: @incollection
            genres, host_genres = (), (("bibutilsgt", "collection"),)
        self.main += [node("genre", term, authority=auth) for auth, term in genres]
        genre = self.field("genre")
        if self.has_host:
            self.levels["host"] += [node("genre", t, authority=a) for a, t in host_genres]
        thesis = next((t for t in THESIS_GENRES if t.lower() == genre.lower()), None)
        if record.type == "thesis" and thesis:
            self.main.append(node("genre", genre, authority="bibutilsgt"))
        elif genre and genre.lower() not in _TYPE_WORDS and genre == " ".join(genre.split()):
            self.main.append(node("genre", genre))
        elif genre:
            self.keep("variable", "genre", genre)

    def description(self) -> None:
        language = self.field("language")
        if language:
            code = _BCP47.fullmatch(language) is not None
            term = (node("languageTerm", language, type_="code", authority="rfc5646") if code
                    else node("languageTerm", language, type_="text"))  # fmt: skip
            self.main.append(node("language", None, term))
        physical = [node(tag, self.field(var)) for tag, var in (("form", "medium"),
                    ("extent", "dimensions")) if self.field(var)]  # fmt: skip
        if physical:
            self.main.append(node("physicalDescription", None, *physical))
        for tag, var, kind in (("abstract", "abstract", ""), ("note", "note", ""),
                               ("note", "annote", "annotation")):  # fmt: skip
            if self.field(var):
                self.main.append(node(tag, self.field(var), type_=kind))
        self.main += [node("subject", None, node("topic", k)) for k in self.record.keywords]
        if self.field("call-number"):
            self.main.append(node("classification", self.field("call-number")))

    def part(self) -> None:
        details = [node("detail", None, node("number", self.field(var)), type_=kind)
                   for var, kind in CSL_TO_DETAIL.items() if self.field(var)]  # fmt: skip
        page, total = self.field("page"), self.field("number-of-pages")
        extent: list[Node] = []
        if page and (m := _RANGE.fullmatch(page)):
            extent += [node("start", m[1]), node("end", m[2])]
        elif page:
            extent.append(node("list", page))
        if total:
            extent.append(node("total", total))
        if extent:
            details.append(node("extent", None, *extent, unit="page"))
        if details:
            self.main.append(node("part", None, *details))
        if self.field("collection-number"):
            number = node("detail", None, node("number", self.field("collection-number")),
                          type_="volume")  # fmt: skip
            self.levels["series"].append(node("part", None, number))

    def related_items(self) -> None:
        levels = self.levels
        series = levels.pop("series")
        if series:  # a part's series is its host's; a book's its own
            item = node("relatedItem", None, *series, type_="series")
            (levels["host"] if self.has_host else self.main).append(item)
        for kind in ("host", "original", "reviewOf"):
            if kind == "host" and self.has_host:
                self.main.append(node("relatedItem", None, *self.identifiers("host"),
                                      type_="host"))  # fmt: skip
            elif kind != "host" and levels[kind]:
                self.main.append(node("relatedItem", None, *levels[kind], type_=kind))

    def identifiers(self, level: str) -> list[Node]:
        """The nodes of ``level`` (host) followed by its identifiers (ISBN and ISSN go with
        the host when there is one, as bibutils writes them)."""
        found = list(self.levels[level]) if level != "main" else []
        for var, kind in CSL_TO_IDENTIFIER.items():
            where = self.facts if var in ("ISBN", "ISSN") else "main"
            if where == level and self.field(var):
                found.append(node("identifier", self.field(var), type_=kind))
        return found

    def rest(self) -> None:
        record = self.record
        ids = [node("identifier", record.id, type_="citekey")] if record.id else []
        self.main += ids + self.identifiers("main")
        location = [node(tag, self.field(var)) for tag, var in (("url", "URL"),
                    ("physicalLocation", "archive"), ("shelfLocator", "archive_location"))
                    if self.field(var)]  # fmt: skip
        if location:
            self.main.append(node("location", None, *location))
        if self.field("source"):
            self.main.append(
                node("recordInfo", None, node("recordContentSource", self.field("source")))
            )
        for var, value in record.fields.items():
            if var not in _ELEMENT_VARS and var != "citation-key" and not record.derivable(var):
                self.keep("variable", var, value)
        for key, values in record.extra.items():
            for value in values:
                self.keep("custom", key, value)
        if self.extension:
            self.main.append(("extension", [("xmlns:refconv", EXTENSION_NS)], None,
                              self.extension))  # fmt: skip

    def build(self) -> Node:
        self.titles()
        self.names()
        self.dates()
        self.origin_info()
        self.genres()
        self.description()
        self.part()
        self.related_items()
        self.rest()
        key = self.record.id
        attrs = [("ID", key)] if key and _NCNAME.fullmatch(key) else []
        return ("mods", attrs, None, self.main)


def writable(person: Name) -> bool:
    """True when ``person`` is a literal or has a family or given name whose parts read back
    (``syntax.parts_read_back``)."""
    if person.literal:
        return True
    return bool(person.family or person.given) and parts_read_back(person)


def name_node(person: Name, role: str) -> Node:
    """A ``<name>`` with its parts and its role: the MARC relator term for CSL roles that
    have one, else the CSL role's name (``type="text"``, no authority)."""
    term, authority = (CSL_TO_ROLE[role][0], "marcrelator") if role in CSL_TO_ROLE else (role, "")
    role_node = node("role", None, node("roleTerm", term, authority=authority, type_="text"))
    if person.literal:
        return node("name", None, node("namePart", person.literal), role_node, type_="corporate")
    family, given, suffix = name_parts(person)
    parts = [node("namePart", text, type_=kind)
             for kind, text in (("given", given), ("family", family), ("termsOfAddress", suffix))
             if text]  # fmt: skip
    return node("name", None, *parts, role_node, type_="personal")


def date_nodes(tag: str, date: Date) -> list[Node]:
    """The date elements of ``date`` (``syntax.date_points``): W3C-DTF with
    ``encoding="w3cdtf"``, ``qualifier="approximate"`` for circa."""
    points = date_points(date)
    encoded = "w3cdtf" if date.parts and not date.season else ""
    circa = "approximate" if date.circa and encoded else ""
    return [node(tag, text, encoding=encoded, point=point, qualifier=circa)
            for point, text in points]  # fmt: skip


def serialize(tree: Node, depth: int, out: list[str], problems: dict[str, list[str]]) -> None:
    """Append the lines of ``tree`` to ``out``: four spaces per level; every text and
    attribute value made ``xml_safe`` (what was replaced noted in ``problems`` by tag)."""
    tag, attrs, text, children = tree
    shown = ""
    for name, value in attrs:
        value, bad = xml_safe(value)
        if bad:
            problems.setdefault(f"{tag}@{name}", []).extend(bad)
        shown += f' {name}="{escape_attribute(value)}"'
    pad = "    " * depth
    if text is not None:
        value, bad = xml_safe(text)
        if bad:
            problems.setdefault(tag, []).extend(bad)
        out.append(f"{pad}<{tag}{shown}>{escape_text(value)}</{tag}>")
    elif children:
        out.append(f"{pad}<{tag}{shown}>")
        for child in children:
            serialize(child, depth + 1, out, problems)
        out.append(f"{pad}</{tag}>")
    else:
        out.append(f"{pad}<{tag}{shown}/>")


def format_record(record: Record, moved: list[str] | None = None) -> tuple[str, list[str]]:
    """One ``<mods>`` element as text (with its line end), and the warnings about characters
    XML cannot hold; ``moved`` gets the keys that went to <extension>."""
    built = _Record(record)
    tree = built.build()
    if moved is not None:
        moved += built.moved
    lines: list[str] = []
    problems: dict[str, list[str]] = {}
    serialize(tree, 0, lines, problems)
    warnings = [
        f"<{where}>: {', '.join(sorted(set(chars)))} cannot be written in XML 1.0; "
        "replaced by U+FFFD"
        for where, chars in problems.items()
    ]
    return "\n".join(lines) + "\n", warnings


class ModsWriter(Writer):
    """Write MODS XML (Library of Congress; bibutils' xml2bib, Zotero import)."""

    name = "mods"
    aliases = ()
    suffixes = (".mods",)
    description = "MODS XML records (Library of Congress; bibutils xml2bib, Zotero)"
    frame = (PROLOGUE, "", EPILOGUE, PROLOGUE + EPILOGUE)

    def write(self, records: Iterable[Record], out: TextIO) -> None:
        """The XML declaration and ``<modsCollection>``, one ``<mods>`` per record, the end
        tag; no records give an empty collection."""
        out.write(PROLOGUE)
        for record in records:
            moved: list[str] = []
            text, warnings = format_record(record, moved)
            for message in warnings:
                self.diagnostics.warn(
                    message, record.source.path, record.source.line, code="character-replaced"
                )
            out.write(text)
            self.account(record, moved, "extension", record.type, record.type)
        out.write(EPILOGUE)
