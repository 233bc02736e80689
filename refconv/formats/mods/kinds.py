"""A MODS record's CSL type (from its genres, typeOfResource and issuance) and its dates
(docs/mods-format.md §4)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from refconv.formats.base import ReadRules, date_trouble, shown
from refconv.formats.mods.syntax import range_date
from refconv.formats.mods.tables import (
    CSL_TO_MODS,
    GENRE_TO_CSL,
    HOST_GENRE_TO_CSL,
    RESOURCE_TO_CSL,
    THESIS_GENRES,
    WEAK_GENRE_TO_CSL,
    ZOTERO_TYPE_TO_CSL,
)
from refconv.model import CSL_TYPES, Date, Record
from refconv.values.dates import NO_YEAR, parse_date

_THESIS_KINDS = {kind.lower(): kind for kind in THESIS_GENRES}
#: A W3C-DTF (ISO 8601) date and time: 2019-08-12T10:30:00Z, Zotero's 2024-01-05 10:12:33.
_DATETIME = re.compile(
    r"(-?\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?"
)


@dataclass
class Evidence:
    """What a record says about its type: genres as (level, authority, term, path), the
    typeOfResource values, the issuance values as (level, value, path), and whether it has
    a host."""

    genres: list[tuple[str, str, str, str]] = field(default_factory=list)
    resources: list[str] = field(default_factory=list)
    issuance: list[tuple[str, str, str]] = field(default_factory=list)
    has_host: bool = False


#: MODS's typeOfResource values (MODS User Guidelines 3, <typeOfResource>): "text" and the
#: others that ``RESOURCE_TO_CSL`` lacks are known, they just give no CSL type.
TYPES_OF_RESOURCE = frozenset(
    {"text", "cartographic", "notated music", "sound recording", "sound recording-musical",
     "sound recording-nonmusical", "sound recording - musical", "sound recording - nonmusical",
     "still image", "moving image", "three dimensional object", "software, multimedia",
     "mixed material"}
)  # fmt: skip


def local_type(authority: str, term: str) -> str | None:
    """The CSL type of a ``<genre authority="local">``: a CSL type (refconv writes them) or
    a Zotero item type (its MODS export does)."""
    if authority != "local":
        return None
    return term if term in CSL_TYPES else ZOTERO_TYPE_TO_CSL.get(term)


def csl_type(evidence: Evidence) -> str | None:
    """The CSL type the evidence gives, in this order: a local genre; a genre of the record
    (``GENRE_TO_CSL``); a genre of its host (``HOST_GENRE_TO_CSL``: a periodical's part is
    a journal article); a genre that only says "part" ("article"); the typeOfResource;
    issuance (monographic: a book, or a chapter in a monographic host; continuing host: a
    journal article); a host with nothing said (a chapter). None when nothing says."""
    genres = evidence.genres
    tables = (
        [local_type(a, t) for level, a, t, _ in genres if level == "main"],
        [GENRE_TO_CSL.get(t.lower()) for level, _, t, _ in genres if level == "main"],
        [HOST_GENRE_TO_CSL.get(t.lower()) for level, _, t, _ in genres if level == "host"],
        [WEAK_GENRE_TO_CSL.get(t.lower()) for level, _, t, _ in genres if level == "main"],
        [RESOURCE_TO_CSL.get(r.lower()) for r in evidence.resources],
    )
    for found in tables:
        chosen = next((t for t in found if t), None)
        if chosen:
            return chosen
    issued = {(level, value.lower()) for level, value, _ in evidence.issuance}
    if ("host", "continuing") in issued or ("host", "serial") in issued:
        return "article-journal"
    if evidence.has_host:
        return "chapter"
    if ("main", "monographic") in issued or ("main", "single unit") in issued:
        return "book"
    return None


def _no_type(evidence: Evidence, rules: ReadRules, line: int | None) -> None:
    """The warning for a record no genre, typeOfResource or issuance gives a CSL type: an
    unknown word among them (kept: the first genre as CSL genre, the rest in custom), a
    known typeOfResource that gives none ("text"), or none of them at all."""
    unknown = [t for level, _, t, _ in evidence.genres if level == "main"]
    unknown += [r for r in evidence.resources if r.strip().lower() not in TYPES_OF_RESOURCE]
    if unknown:
        message = f"unknown genre or typeOfResource {shown(unknown[0])}; read as document"
        rules.warn(message, line, code="unknown-type")
    elif evidence.resources:
        message = (f"typeOfResource {shown(evidence.resources[0])} gives no CSL type, and no "
                   "genre or issuance does; read as document")  # fmt: skip
        rules.warn(message, line, code="no-type")
    else:
        rules.no_type("genre, typeOfResource or issuance", "document", line)


def finish_type(evidence: Evidence, rules: ReadRules, record: Record) -> None:
    """Set the record's type; keep the genres, typeOfResource and issuance values that its
    MODS form (``CSL_TO_MODS``) does not say. A genre that is no type word is CSL ``genre``
    (the first; the others are kept), as is a bibutils thesis kind ("Ph.D. thesis")."""
    found = csl_type(evidence)
    if found is None:
        _no_type(evidence, rules, record.source.line)
    record.type = found or "document"
    form = CSL_TO_MODS.get(record.type)
    said = {term.lower() for _, term in (form.genres + form.host_genres)} if form else set()
    for level, authority, term, path in evidence.genres:
        lowered = term.lower()
        if local_type(authority, term) == record.type:
            continue
        if record.type == "thesis" and lowered in _THESIS_KINDS and "genre" not in record.fields:
            record.fields["genre"] = term
            continue
        typed = (GENRE_TO_CSL if level == "main" else HOST_GENRE_TO_CSL).get(lowered)
        weak = WEAK_GENRE_TO_CSL.get(lowered) if level == "main" else None
        if lowered in said or typed == record.type or weak == record.type:
            continue
        if (
            level == "main"
            and not typed
            and authority != "local"
            and ("genre" not in record.fields)
        ):
            record.fields["genre"] = term
        else:
            record.add_extra(path, term)
    resource = form.resource if form else "text"
    for value in evidence.resources:
        if value.lower() not in (resource, "text") and RESOURCE_TO_CSL.get(value) != record.type:
            record.add_extra("typeOfResource", value)
    # issuance: monographic and continuing say what every part or whole says (LC writes
    # them on nearly every record); another value (serial, integrating resource, multipart
    # monograph) is kept unless the type's form says it
    said_issuance = {"main": form.issuance, "host": form.host_issuance} if form else {}
    for level, value, path in evidence.issuance:
        lowered = value.lower()
        if lowered not in ("monographic", "continuing", said_issuance.get(level)):
            record.add_extra(path, value)


def read_date(
    rules: ReadRules, record: Record, key: str, text: str, line: int | None
) -> Date | None:
    """A date with the shared loss policy: text the parse leaves over is kept (the date is
    still used); text that is no date is the literal date, with a warning; "in press" is
    CSL ``status``."""
    if m := _DATETIME.fullmatch(text.strip()):  # W3C-DTF with a time, which CSL lacks
        record.add_extra(key, text)
        text = m[1]
    parsed = parse_date(text)
    if parsed.kind == "date" and parsed.date is not None:
        if parsed.leftover:
            rules.keep(record, key, text, date_trouble(parsed), line, code="invalid-date")
        return parsed.date
    if parsed.kind == "status":
        rules.place(record, "status", parsed.status, key, line)
        return None
    if not text.strip():
        return None
    why = NO_YEAR if parsed.kind == "partial" else date_trouble(parsed)
    return rules.literal_date(key, text, why, line)


def _group_date(rules: ReadRules, record: Record, path: str, elements: list[Any]) -> Date | None:
    """The date of one group of date elements (the dateIssued of one originInfo): a range
    from ``point="start"``/``"end"`` (a start alone is open-ended), else the element marked
    ``keyDate="yes"``, else one with an ``encoding``, else the first; the others are kept in
    custom when they say something else. ``qualifier="approximate"`` is circa."""
    attribute = path.endswith("@dateLastAccessed")  # a URL's access date
    texts = [(e, " ".join((e.get("dateLastAccessed") or "" if attribute else
                           "".join(e.itertext())).split())) for e in elements]  # fmt: skip
    texts = [(e, t) for e, t in texts if t]
    if not texts:
        return None
    points = {e.get("point"): (e, t) for e, t in reversed(texts) if e.get("point")}
    circa = any(e.get("qualifier") == "approximate" for e, _ in texts)
    date: Date | None = None
    used: set[int] = set()
    if "start" in points:
        start_el, start = points["start"]
        end = points.get("end")
        date = range_date(start, end[1] if end else None, circa)
        if date is not None:
            used = {id(start_el)} | ({id(end[0])} if end else set())
    if date is None:
        ranked = sorted(texts, key=lambda et: (et[0].get("keyDate") != "yes",
                                               et[0].get("encoding") is None))  # fmt: skip
        element, text = ranked[0]
        date = read_date(rules, record, path, text, element.sourceline)
        if date is not None and circa and date.parts:
            date = Date(date.parts, season=date.season, circa=True, open_end=date.open_end)
        used = {id(element)}
    for element, text in texts:
        other = parse_date(text).date
        if id(element) not in used and (other is None or other != date):
            record.add_extra(path, text)
    return date


def finish_dates(
    dates: list[tuple[str, int, str, list[Any]]], rules: ReadRules, record: Record
) -> None:
    """Give each date variable the date of its best source (lowest rank: the record's own
    dateIssued before the host's, before part/date, before dateCreated and copyrightDate);
    a source that says another date is kept in custom."""
    for var, _, path, elements in sorted(dates, key=lambda d: d[1]):
        date = _group_date(rules, record, path, elements)
        if date is None:
            continue
        known = record.dates.get(var)
        if known is None:
            record.dates[var] = date
        elif not _agrees(date, known):
            record.add_extra(path, date.literal or _shown(path, elements))


def _agrees(other: Date, date: Date) -> bool:
    """True when ``other`` is ``date`` or says less of it (part/date "2012" beside
    dateIssued "2012-11-27", as bibutils and LC write them)."""
    if other == date:
        return True
    if len(other.parts) != 1 or len(date.parts) != 1 or other.circa or other.season:
        return False
    return date.parts[0][: len(other.parts[0])] == other.parts[0]


def _shown(path: str, elements: list[Any]) -> str:
    if path.endswith("@dateLastAccessed"):
        return " / ".join(e.get("dateLastAccessed") or "" for e in elements)
    return " / ".join(" ".join("".join(e.itertext()).split()) for e in elements)
