"""What the MODS reader and writer share: XML escaping, the parts of a personal name, the
text of a date and the element paths under which kept values are named."""

from __future__ import annotations

import re
from typing import Any

from refconv.formats.mods.tables import MODS_NS
from refconv.model import Date, Name
from refconv.values.dates import format_date, parse_date, year_text
from refconv.values.names import split_dropping_particle, split_particle

_MODS_PREFIX = "{" + MODS_NS + "}"
#: Characters XML 1.0 cannot hold (XML 1.0, section 2.2, "Char"): C0 controls but tab, LF
#: and CR, lone UTF-16 surrogates, U+FFFE and U+FFFF. No character reference may name them.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_LONE = re.compile("[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]")
#: Element content: ``&`` and ``<`` start markup, ``>`` ends a CDATA section (``]]>``), and a
#: CR would be read as LF (XML 1.0, section 2.11): written as a character reference.
_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
#: Attribute values (double-quoted): also ``"``, and tab and line ends, which a parser turns
#: into spaces (XML 1.0, section 3.3.3).
_ATTRIBUTE = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\r": "&#13;", "\n": "&#10;",
     "\t": "&#9;"}
)  # fmt: skip


def xml_safe(value: str) -> tuple[str, list[str]]:
    """``value`` with the characters XML 1.0 cannot hold replaced by U+FFFD, and those
    characters as ``U+0001`` (none: the value as it is). Two surrogates that make a pair are
    joined into their character first."""
    if _FORBIDDEN.search(value) is None:
        return value, []
    if _SURROGATE.search(value):
        found = {f"U+{ord(c):04X}" for c in _LONE.findall(value)}
        value = value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    else:
        found = set()
    found |= {f"U+{ord(c):04X}" for c in _FORBIDDEN.findall(value)}
    return _FORBIDDEN.sub("\ufffd", value), sorted(found)


def escape_text(value: str) -> str:
    """``value`` as element content (it must be ``xml_safe`` already)."""
    return value.translate(_TEXT)


def escape_attribute(value: str) -> str:
    """``value`` as a double-quoted attribute value (it must be ``xml_safe`` already)."""
    return value.translate(_ATTRIBUTE)


def local_name(tag: object) -> str | None:
    """The name of a MODS element (in the MODS namespace, or in none, as old files have it);
    None for a comment, a processing instruction or an element of another namespace."""
    if not isinstance(tag, str):
        return None
    if tag.startswith(_MODS_PREFIX):
        return tag[len(_MODS_PREFIX) :]
    return None if tag.startswith("{") else tag


def text_of(element: Any) -> str:
    """The text of an element and its descendants, white space runs made one space."""
    return " ".join(("".join(element.itertext()) if len(element) else element.text or "").split())


def block_of(element: Any) -> str:
    """The text of an element as written, lines kept, stripped at both ends."""
    return ("".join(element.itertext()) if len(element) else element.text or "").strip()


def step(name: str, kind: str | None) -> str:
    """One step of the path that names a kept value: ``identifier[lccn]``."""
    return f"{name}[{kind}]" if kind else name


# --- personal names ---------------------------------------------------------------------------


def name_parts(person: Name) -> tuple[str, str, str]:
    """(family, given, termsOfAddress) namePart texts of a person: the non-dropping particle
    before the family name ("van der Berg", as bibutils writes it), the dropping particle
    after the given name ("Charles de", CSL's inverted form)."""
    family = " ".join(p for p in (person.particle, person.family) if p)
    given = " ".join(p for p in (person.given, person.dropping_particle) if p)
    return family, given, person.suffix


def person_from_parts(family: str, given: str, suffix: str) -> Name:
    """The ``Name`` of a person's namePart texts: particles split off by the shared name rules
    (``values.names``), white space runs made one space."""
    particle, family = split_particle(family) if family.strip() else ("", "")
    given, dropping = split_dropping_particle(" ".join(given.split()))
    return Name(
        family=family,
        given=given,
        particle=particle,
        dropping_particle=dropping,
        suffix=" ".join(suffix.split()),
    )


def parts_read_back(person: Name) -> bool:
    """True when ``name_parts`` of ``person`` read back (``person_from_parts``) as the same
    parts, up to runs of white space; a writer keeps any other name in custom."""
    back = person_from_parts(*name_parts(person))
    return all(
        " ".join(getattr(person, part).split()) == getattr(back, part)
        for part in ("family", "given", "particle", "dropping_particle", "suffix")
    )


# --- dates --------------------------------------------------------------------------------------


def w3cdtf(part: tuple[int, ...]) -> str:
    """One date as W3C-DTF (ISO 8601) text: ``2012``, ``2012-03``, ``2012-03-15``; a year
    before 1000 keeps four digits, a year BC its sign (``-0044``)."""
    return "-".join(f"{n:02d}" if i else year_text(n) for i, n in enumerate(part))


def date_points(date: Date) -> list[tuple[str, str]]:
    """The (point, text) of the MODS date elements that say ``date``: one element with no
    point for a day, month or year; ``start`` and ``end`` for a range (MODS User Guidelines,
    ``point`` attribute), ``start`` alone for a range open at its end. A date with a season,
    or a literal, is one element with the text ``format_date`` gives (``Spring 2012``), which
    the reader parses back."""
    if not date.parts or date.season:
        return [("", format_date(date))]
    if date.open_end:
        return [("start", w3cdtf(date.parts[0]))]
    if len(date.parts) == 2:
        return [("start", w3cdtf(date.parts[0])), ("end", w3cdtf(date.parts[1]))]
    return [("", w3cdtf(date.parts[0]))]


def one_date(text: str) -> tuple[int, ...] | None:
    """The one date (year, month, day) a range's start or end point says, or None."""
    parsed = parse_date(text)
    date = parsed.date
    if parsed.kind != "date" or date is None or len(date.parts) != 1 or parsed.leftover:
        return None
    return None if date.season or date.circa or date.open_end else date.parts[0]


def range_date(start: str, end: str | None, circa: bool) -> Date | None:
    """The range of a ``point="start"`` and ``point="end"`` date (open-ended without an end),
    or None when the points make no range (one is no date, the end is before the start)."""
    first = one_date(start)
    last = one_date(end) if end is not None else None
    if first is None or (end is not None and (last is None or last < first)):
        return None
    parts = (first,) if last is None else (first, last)
    return Date(parts, circa=circa, open_end=end is None)


def points_read_back(date: Date, points: list[tuple[str, str]]) -> bool:
    """True when the date elements of ``points`` (``date_points``) read back as ``date``: a
    reversed range, a literal the reader would take for a date ("1850-1850") or for no date
    ("n.d."), or a status ("in press") does not, and goes to <extension> instead."""
    if points[0][0] == "start":
        end = points[1][1] if len(points) > 1 else None
        return range_date(points[0][1], end, date.circa) == date
    parsed = parse_date(points[0][1])
    if not date.parts:
        return parsed.kind == "literal" and parsed.date == date
    back = parsed.date
    if parsed.kind != "date" or back is None or parsed.leftover:
        return False
    return Date(back.parts, back.season, back.circa or date.circa, back.literal) == date
