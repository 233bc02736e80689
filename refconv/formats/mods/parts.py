"""MODS ``part``, ``identifier``, ``location``, ``recordInfo`` and ``extension`` elements →
the model (docs/mods-format.md §2): where a part sits in its host (volume, issue, pages),
the identifiers, links and holdings, and the values refconv itself kept in <extension>."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from refconv.formats.mods.syntax import block_of, local_name, step, text_of
from refconv.formats.mods.tables import (
    DETAIL_TO_CSL,
    EXTENSION_NS,
    IDENTIFIER_TO_CSL,
    LOCATION_TO_CSL,
)
from refconv.model import DATE_VARIABLES, TEXT_VARIABLES, Date, Record
from refconv.values.dates import format_date, parse_date
from refconv.values.identifiers import find_doi
from refconv.values.pages import normalize_pages

if TYPE_CHECKING:
    from refconv.formats.mods.fields import Builder

_EXTENSION = "{" + EXTENSION_NS + "}"
_TEXT = frozenset(TEXT_VARIABLES)
OTHER_NAMESPACE = "element of another namespace"


def foreign(element: Any) -> str:
    """A path step for an element of another namespace: ``prefix:name`` as written."""
    name = str(element.tag).rpartition("}")[2]
    return f"{element.prefix}:{name}" if element.prefix else name


def add_identifier(builder: Builder, element: Any, level: str, path: str) -> None:
    """An ``identifier``: DOI, ISBN, ISSN, PMID, PMCID, a URI, the citation key (at the
    record or its host); any other type, an ``invalid="yes"`` one, another ISBN or ISSN is
    kept in custom."""
    kind = (element.get("type") or "").lower()
    var = IDENTIFIER_TO_CSL.get(kind)
    value, line = text_of(element), element.sourceline
    if not value:
        return
    if var is None or element.get("invalid") == "yes" or level not in ("main", "host"):
        builder.record.add_extra(path + ("/invalid" if element.get("invalid") else ""), value)
    elif var == "DOI" and not find_doi(value):
        builder.rules.keep(builder.record, path, value, "not a DOI", line, code="invalid-doi")
    elif var in ("ISBN", "ISSN", "URL") and builder.record.fields.get(var, value) != value:
        builder.record.add_extra(path, value)  # another medium's number, another link
    else:
        builder.place(var, find_doi(value) if var == "DOI" else value, path, line)


def add_location(builder: Builder, element: Any, level: str, path: str) -> None:
    """``location``: the first ``url`` is the URL (its ``dateLastAccessed`` the access
    date), ``physicalLocation`` the archive, ``shelfLocator`` the archive location."""
    for child in element:
        name = local_name(child.tag)
        if name == "url" and child.get("access") != "raw object":
            value = text_of(child)
            if "URL" in builder.record.fields and builder.record.fields["URL"] != value:
                builder.record.add_extra(f"{path}/url", value)
            elif value:
                builder.record.fields["URL"] = value
            if child.get("dateLastAccessed"):
                builder.dates.append(("accessed", 1, f"{path}/url/@dateLastAccessed", [child]))
        elif name in LOCATION_TO_CSL:
            builder.place(LOCATION_TO_CSL[name], text_of(child), f"{path}/{name}",
                       child.sourceline)  # fmt: skip
        elif name is not None:
            builder.keep(f"{path}/{step(name, child.get('access') or child.get('type'))}", child)


def add_part(builder: Builder, element: Any, level: str, path: str) -> None:
    """``part``: its details (volume, issue, ...), page extent and date; in a series, the
    series number."""
    for child in element:
        name = local_name(child.tag)
        kind = child.get("type") or child.get("unit")
        where = f"{path}/{step(name or 'x', kind)}"
        if name == "detail":
            add_detail(builder, child, level, where)
        elif name == "extent" and kind in ("page", "pages") and level != "series":
            add_extent(builder, child, where)
        elif name == "date" and level != "series":
            builder.dates.append(("issued", 2, where, [child]))
        elif name is not None:
            builder.keep(where, child)


def add_detail(builder: Builder, element: Any, level: str, path: str) -> None:
    """One ``part/detail``: its ``number`` is the variable of its type (``DETAIL_TO_CSL``;
    in a series: ``collection-number``); captions and titles are kept."""
    kind = (element.get("type") or "").lower()
    var = DETAIL_TO_CSL.get(kind)
    if level == "series":
        var = "collection-number" if kind in ("volume", "number", "issue") else None
    for child in element:
        name = local_name(child.tag)
        if name == "number" and var is not None:
            value = text_of(child)
            value = normalize_pages(value) if var == "page" and value else value
            builder.place(var, value, f"{path}/number", child.sourceline)
        elif name is not None:
            builder.keep(f"{path}/{name}", child)


def add_extent(builder: Builder, element: Any, path: str) -> None:
    """``extent unit="page"``: start and end (or a list) are ``page``, total is
    ``number-of-pages``."""
    found = {local_name(c.tag): text_of(c) for c in element if local_name(c.tag)}
    line = element.sourceline
    start, end, listed = found.pop("start", ""), found.pop("end", ""), found.pop("list", "")
    if start and end:
        builder.place("page", normalize_pages(f"{start}-{end}"), path, line)
    elif start or end or listed:
        builder.place("page", normalize_pages(start or end or listed), path, line)
        if listed and (start or end):
            builder.record.add_extra(f"{path}/list", listed)
    if found.get("total"):
        builder.place("number-of-pages", found.pop("total"), f"{path}/total", line)
    for name, value in found.items():
        if value:
            builder.record.add_extra(f"{path}/{name}", value)


def add_record_info(builder: Builder, element: Any, level: str, path: str) -> None:
    """``recordInfo``: its content source is CSL ``source``; the rest is kept."""
    for child in element:
        name = local_name(child.tag)
        if name == "recordContentSource":
            builder.place("source", text_of(child), f"{path}/{name}", child.sourceline)
        elif name is not None:
            builder.keep(f"{path}/{step(name, child.get('type'))}", child)


def add_extension(builder: Builder, element: Any, level: str, path: str) -> None:
    """refconv's own values (``EXTENSION_NS``): a CSL variable MODS has no element
    for (``variable name=``) or a value kept in custom (``custom key=``)."""
    for child in element:
        tag, line = child.tag, child.sourceline
        if not isinstance(tag, str):
            continue
        value = block_of(child)
        if tag == _EXTENSION + "custom" and child.get("key"):
            builder.record.add_extra(child.get("key"), value)
        elif tag == _EXTENSION + "variable" and child.get("name") in _TEXT:
            builder.place(child.get("name"), value, f"{path}/variable", line)
        elif tag == _EXTENSION + "variable" and child.get("name") in DATE_VARIABLES:
            builder.whole_dates.append((child.get("name"), value, line))
        elif tag == _EXTENSION + "variable":
            key = f"{path}/variable[{child.get('name')}]"
            builder.rules.unknown_field(builder.record, key, value, "CSL variable", line)
        else:
            builder.keep(f"{path}/{foreign(child)}", child, warn=OTHER_NAMESPACE)


def restore_date(text: str) -> Date:
    """A date as the writer put it in <extension> (``format_date``): the date it reads as
    when all of it is read ("1999/12/04", "Winter 1999"), else the literal date of the text
    ("1850-1850", "n.d.", "in press": never a status or a kept leftover)."""
    parsed = parse_date(text)
    if parsed.kind == "date" and parsed.date and not parsed.leftover:
        return parsed.date
    return Date(literal=text)


def whole_dates(builder: Builder, record: Record) -> None:
    """The dates refconv keeps whole in <extension>: a date MODS has no element for, or one
    whose element holds it without its season (the element's date is replaced when it is
    that date without the season; another is kept beside it)."""
    for var, text, _line in builder.whole_dates:
        known = record.dates.get(var)
        seasoned = [
            Date(known.parts, season, known.circa, open_end=known.open_end)
            for season in (1, 2, 3, 4)
            if known is not None and known.parts and not known.season
        ]
        date = next((d for d in seasoned if format_date(d) == text), None) or restore_date(text)
        if known is None or (known.parts == date.parts and not known.season):
            record.dates[var] = date
        elif known != date:
            record.add_extra(var, text)
