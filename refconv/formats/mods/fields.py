"""Mapping one ``<mods>`` element to a ``Record`` (docs/mods-format.md §2).

The record's own elements are read at the "main" level; ``relatedItem type="host"`` (the
journal or book a part is in) at the "host" level, its series (``type="series"``, or a host
of the host, as bibutils writes it) at the "series" level, and ``type="original"`` /
``"reviewOf"`` at theirs. A value lands in its CSL variable or in custom under its element
path (``relatedItem[host]/identifier[lccn]``): silently for elements MODS defines that CSL
has no variable for, with a warning for anything else (the shared loss policy of
``ReadRules``). Names are read in ``people``, the type and dates in ``kinds``.
"""

from __future__ import annotations

from typing import Any

from refconv.formats.base import ReadRules
from refconv.formats.mods.kinds import Evidence, finish_dates, finish_type
from refconv.formats.mods.parts import (
    OTHER_NAMESPACE,
    add_extension,
    add_identifier,
    add_location,
    add_part,
    add_record_info,
    foreign,
    whole_dates,
)
from refconv.formats.mods.people import add_name
from refconv.formats.mods.syntax import block_of, local_name, step, text_of
from refconv.formats.mods.tables import (
    BCP47_AUTHORITIES,
    KNOWN_ELEMENTS,
    ORIGIN_DATES,
    PHYSICAL_TO_CSL,
    RELATED_LEVELS,
    SIMPLE_ELEMENTS,
)
from refconv.model import Record, SourcePos
from refconv.values.vocabulary import ISO_639_2_TO_BCP47

#: Title variables by level: (the title, the abbreviated title).
_TITLES = {
    "main": ("title", "title-short"),
    "host": ("container-title", "container-title-short"),
    "series": ("collection-title", ""),
    "original": ("original-title", ""),
    "reviewOf": ("reviewed-title", ""),
}
#: Values that run over lines (the others have their white space runs made one space).
_MULTILINE = frozenset({"abstract", "note", "annote"})


class Builder:
    """The state of one record while its elements are mapped."""

    def __init__(self, record: Record, rules: ReadRules) -> None:
        self.record, self.rules = record, rules
        self.evidence = Evidence()
        self.dates: list[tuple[str, int, str, list[Any]]] = []  # (variable, rank, path, elements)
        self.whole_dates: list[tuple[str, str, int | None]] = []  # <extension>'s (var, text, line)

    # --- kept values ---------------------------------------------------------------------

    def keep(self, path: str, element: Any, *, warn: str = "") -> None:
        """Keep the texts of ``element`` (each leaf under its path) in custom; with ``warn``
        (what the element is: "MODS element") each gets the "unknown ..." warning."""
        leaves = [element] if not len(element) else list(_leaves(element, path))
        for leaf in leaves:
            key = path if leaf is element else leaf[0]
            value = text_of(leaf) if leaf is element else leaf[1]
            if not value:
                continue
            if warn:
                self.rules.unknown_field(self.record, key, value, warn, element.sourceline)
            else:
                self.record.add_extra(key, value)

    def place(self, var: str, value: str, path: str, line: int | None) -> None:
        """Put ``value`` in ``var`` (a second, different value is kept with a warning)."""
        if value:
            self.rules.place(self.record, var, value, path, line)

    # --- levels --------------------------------------------------------------------------------

    def add_level(self, element: Any, level: str, prefix: str) -> None:
        """Map the children of the record (``level`` "main") or of one of its related items."""
        for child in element:
            name = local_name(child.tag)
            if name is None:
                if isinstance(child.tag, str):  # an element of another namespace
                    self.keep(prefix + foreign(child), child, warn=OTHER_NAMESPACE)
                continue
            path = prefix + step(name, child.get("type"))
            handler = _HANDLERS.get(name)
            if handler is not None and (level == "main" or name in _AT_EVERY_LEVEL):
                handler(self, child, level, path)
            else:
                self.keep(path, child, warn="" if name in KNOWN_ELEMENTS else "MODS element")

    def related_item(self, element: Any, level: str, path: str) -> None:
        kind = element.get("type")
        inner = "series" if kind in ("host", "series") and level == "host" else kind
        if (
            level not in ("main", "host")
            or inner not in RELATED_LEVELS
            or (level == "host" and inner != "series")
        ):
            self.keep(path, element)
            return
        if inner == "host":
            self.evidence.has_host = True
        self.add_level(element, inner or "", path + "/")

    # --- elements ------------------------------------------------------------------------------

    def title_info(self, element: Any, level: str, path: str) -> None:
        kind = element.get("type")
        whole, short = _TITLES[level]
        var = whole if kind is None else short if kind == "abbreviated" else ""
        parts: dict[str, list[Any]] = {}
        for child in element:
            name = local_name(child.tag)
            if name is not None:
                parts.setdefault(name, []).append(child)
        title = _compose_title(parts)
        line = element.sourceline
        if var and title:
            self.place(var, title, path, line)
        elif title:
            self.record.add_extra(path, title)
        for name, children in parts.items():
            if name in ("title", "subTitle", "nonSort"):
                for extra in children[1:]:  # a second title of one titleInfo
                    self.keep(f"{path}/{name}", extra)
                continue
            for child in children:
                if name == "partNumber" and kind is None and level in ("main", "series"):
                    var = "part" if level == "main" else "collection-number"
                    self.place(var, text_of(child), f"{path}/{name}", child.sourceline)
                else:
                    self.keep(f"{path}/{name}", child,
                              warn="" if name in _TITLE_PARTS else "MODS element")  # fmt: skip

    def name(self, element: Any, level: str, path: str) -> None:
        add_name(self, element, level, path)

    def origin_info(self, element: Any, level: str, path: str) -> None:
        publisher = {"original": "original-publisher"}.get(level, "publisher")
        place = {"original": "original-publisher-place"}.get(level, "publisher-place")
        groups: dict[str, list[Any]] = {}
        for child in element:
            name = local_name(child.tag)
            if name is None:
                continue
            line = child.sourceline
            if name in ("dateIssued", "dateCaptured", "dateCreated", "copyrightDate"):
                groups.setdefault(name, []).append(child)
            elif name == "publisher" and level != "series":
                self.place(publisher, text_of(child), f"{path}/publisher", line)
            elif name == "place" and level != "series":
                self.place_terms(child, place, f"{path}/place")
            elif name == "edition" and level in ("main", "host"):
                self.place("edition", text_of(child), f"{path}/edition", line)
            elif name == "issuance" and level in ("main", "host"):
                self.evidence.issuance.append((level, text_of(child), f"{path}/issuance"))
            else:
                self.keep(f"{path}/{step(name, child.get('type'))}", child)
        for name, elements in groups.items():
            var = ORIGIN_DATES.get(name, "issued") if level != "original" else "original-date"
            if level == "series" or (level == "original" and name != "dateIssued"):
                for child in elements:
                    self.keep(f"{path}/{name}", child)
                continue
            rank = {"main": 0, "host": 1}.get(level, 0) + (0 if name in ORIGIN_DATES else 3)
            rank += 1 if name == "copyrightDate" else 0
            self.dates.append((var, rank, f"{path}/{name}", elements))

    def place_terms(self, element: Any, var: str, path: str) -> None:
        for term in element:
            if local_name(term.tag) == "placeTerm" and term.get("type") in (None, "text"):
                self.place(var, text_of(term), f"{path}/placeTerm", term.sourceline)
            elif isinstance(term.tag, str):
                self.keep(f"{path}/{step(local_name(term.tag) or 'x', term.get('type'))}", term)

    def genre(self, element: Any, level: str, path: str) -> None:
        term = text_of(element)
        if term:
            self.evidence.genres.append((level, element.get("authority") or "", term, path))

    def type_of_resource(self, element: Any, level: str, path: str) -> None:
        if text_of(element):
            self.evidence.resources.append(text_of(element))

    def language(self, element: Any, level: str, path: str) -> None:
        line = element.sourceline
        terms = [t for t in element if local_name(t.tag) == "languageTerm"]
        codes = [t for t in terms if t.get("type") == "code" and text_of(t)]
        texts = [t for t in terms if t.get("type") != "code" and text_of(t)]
        if codes:
            code = text_of(codes[0])
            authority = (codes[0].get("authority") or "").lower()
            bcp47 = authority in BCP47_AUTHORITIES
            self.place("language", code if bcp47 else ISO_639_2_TO_BCP47.get(code.lower(), code),
                       f"{path}/languageTerm", line)  # fmt: skip
            for extra in texts:  # the language's name beside its code
                self.record.add_extra(f"{path}/languageTerm[text]", text_of(extra))
        elif texts:  # Zotero writes its language field so: "eng", "en", "English"
            text = text_of(texts[0])
            self.place("language", ISO_639_2_TO_BCP47.get(text, text), f"{path}/languageTerm",
                       line)  # fmt: skip
        elif not len(element) and text_of(element):  # MODS 2: <language>English</language>
            self.place("language", text_of(element), path, line)
        for child in element:
            if isinstance(child.tag, str) and local_name(child.tag) != "languageTerm":
                self.keep(f"{path}/{local_name(child.tag)}", child)
        for extra in codes[1:]:
            self.record.add_extra(f"{path}/languageTerm[code]", text_of(extra))

    def physical_description(self, element: Any, level: str, path: str) -> None:
        for child in element:
            name = local_name(child.tag)
            if name in PHYSICAL_TO_CSL:
                self.place(PHYSICAL_TO_CSL[name], text_of(child), f"{path}/{name}",
                           child.sourceline)  # fmt: skip
            elif name is not None:
                self.keep(f"{path}/{step(name, child.get('type'))}", child)

    def simple(self, element: Any, level: str, path: str) -> None:
        var = SIMPLE_ELEMENTS[local_name(element.tag) or ""]
        value = block_of(element) if var in _MULTILINE else text_of(element)
        if var == "call-number" and "call-number" in self.record.fields:
            self.record.add_extra(path, value)  # LC and Dewey numbers side by side
        else:
            self.place(var, value, path, element.sourceline)

    def note(self, element: Any, level: str, path: str) -> None:
        var = "annote" if element.get("type") == "annotation" else "note"
        value = block_of(element)
        if value:
            fields = self.record.fields
            fields[var] = f"{fields[var]}\n{value}" if var in fields else value

    def subject(self, element: Any, level: str, path: str) -> None:
        terms: list[str] = []
        for child in element:
            name = local_name(child.tag)
            if name in ("topic", "geographic", "temporal", "occupation", "genre") and not len(
                child
            ):
                if text_of(child):
                    terms.append(text_of(child))
            elif name is not None:
                self.keep(f"{path}/{step(name, child.get('type'))}", child)
        if terms:  # LCSH's display form joins the parts of one heading: Cancer--Treatment
            self.record.keywords.append("--".join(terms))


def _leaves(element: Any, path: str) -> Any:
    """(path, text) of each element under ``element`` that holds text of its own."""
    for child in element:
        name = local_name(child.tag) if isinstance(child.tag, str) else None
        if not isinstance(child.tag, str):
            continue
        where = f"{path}/{step(name or foreign(child), child.get('type'))}"
        if len(child):
            yield from _leaves(child, where)
        elif text_of(child):
            yield where, text_of(child)
    if element.text and element.text.strip() and len(element):
        yield path, " ".join(element.text.split())


_TITLE_PARTS = frozenset({"partNumber", "partName", "title", "subTitle", "nonSort"})


def _compose_title(parts: dict[str, list[Any]]) -> str:
    """nonSort + title + ": " + subTitle, as a citation prints a MODS title."""
    title = text_of(parts["title"][0]) if "title" in parts else ""
    if "subTitle" in parts and text_of(parts["subTitle"][0]):
        sub = text_of(parts["subTitle"][0])
        title = f"{title.rstrip(':').rstrip()}: {sub}" if title else sub
    if "nonSort" in parts and text_of(parts["nonSort"][0]):
        article = text_of(parts["nonSort"][0])
        title = article + ("" if article.endswith(("'", "\u2019", "-")) else " ") + title
    return title


_HANDLERS = {
    "titleInfo": Builder.title_info,
    "name": Builder.name,
    "originInfo": Builder.origin_info,
    "genre": Builder.genre,
    "typeOfResource": Builder.type_of_resource,
    "language": Builder.language,
    "physicalDescription": Builder.physical_description,
    "abstract": Builder.simple,
    "classification": Builder.simple,
    "note": Builder.note,
    "subject": Builder.subject,
    "identifier": add_identifier,
    "location": add_location,
    "part": add_part,
    "relatedItem": Builder.related_item,
    "recordInfo": add_record_info,
    "extension": add_extension,
}
#: Elements read at every level (each knows what it means there); the others only in the
#: record itself, and kept in custom in a related item.
_AT_EVERY_LEVEL = frozenset(
    {"titleInfo", "name", "originInfo", "genre", "identifier", "part", "relatedItem"}
)


#: Types that are no part of a host: a "host" bibutils writes for one is its series.
_WHOLE_TYPES = frozenset({"book", "report", "thesis"})


def _host_as_series(evidence: Evidence, record: Record) -> None:
    """bibutils writes the series of a book, report or thesis (BibTeX ``series``) as a
    ``relatedItem type="host"`` with a title only: read it as the series, unless the record
    says its type exactly (refconv's local genre) or the host has a genre."""
    fields = record.fields
    if (
        record.type in _WHOLE_TYPES
        and "container-title" in fields
        and "collection-title" not in fields
        and not any(level == "host" or a == "local" for level, a, _, _ in evidence.genres)
    ):
        fields["collection-title"] = fields.pop("container-title")


def build_record(element: Any, rules: ReadRules) -> Record:
    """The record of one ``<mods>`` element (its ``ID`` attribute is the citation key when
    no ``identifier type="citekey"`` gives one)."""
    record = Record(source=SourcePos(rules.path, element.sourceline or 0))
    builder = Builder(record, rules)
    builder.add_level(element, "main", "")
    if element.get("ID") and "citation-key" not in record.fields:
        record.fields["citation-key"] = element.get("ID")
    finish_dates(builder.dates, rules, record)
    whole_dates(builder, record)
    finish_type(builder.evidence, rules, record)
    _host_as_series(builder.evidence, record)
    rules.no_title(record)
    return record
