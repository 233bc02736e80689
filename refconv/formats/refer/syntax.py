"""Refer line syntax shared by the reader and the writer: tag lines, flattened one-line
records (refer-format.md §6) and ``%0`` type names (§3.1)."""

from __future__ import annotations

import re
from functools import cache

from refconv.formats.refer.tables import (
    ENDNOTE_TAGS,
    ENDNOTE_TYPE_ALIASES,
    ENDNOTE_TYPE_TAGS,
    ENDNOTE_TYPE_TO_CSL,
    FLAT_TAG_CHARS,
    NAME_TAGS,
    REPEATABLE_TAGS,
    Target,
)
from refconv.values.identifiers import find_doi
from refconv.values.vocabulary import NO_DATE_WORDS
from refconv.values.vocabulary import STATUS_WORDS as _STATUS

_TYPE_INDEX = {name.lower(): name for name in ENDNOTE_TYPE_TO_CSL} | {
    alias.lower(): name for alias, name in ENDNOTE_TYPE_ALIASES.items()
}
_TYPE_PREFIXES = sorted(_TYPE_INDEX, key=len, reverse=True)
_FLAT_TAG = re.compile(r"(?<!\S)%([" + re.escape(FLAT_TAG_CHARS) + r"])(?=\s|$)")
_NUMBER_TOKEN = re.compile(r"[\d.,]+[%)\]]?")
_SENTENCE_END = re.compile(r"[a-z]{3,}[.!?]\s")
_MONTH_WORD = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)", re.IGNORECASE)
_SHORT_TAGS = frozenset({"%V", "%N", "%6", "%7"})
_STATUS_OR_NONE = _STATUS | NO_DATE_WORDS


def lookup_type(value: str) -> tuple[str | None, str]:
    """Return (canonical EndNote type name or None, CSL type) for a ``%0`` value.

    Matching (§3.1): whitespace-collapsed, case-insensitive, exact against canonical names and
    known variants, then by prefix ("Conference Proceedings Paper" → Conference Proceedings).
    """
    key = " ".join(value.split()).lower()
    name = _TYPE_INDEX.get(key)
    if name is None:
        name = next((_TYPE_INDEX[p] for p in _TYPE_PREFIXES if key.startswith(p)), None)
    return name, ENDNOTE_TYPE_TO_CSL.get(name, "document") if name else "document"


def is_tag_line(line: str) -> bool:
    """True for ``%X value`` and a bare ``%X``: a percent sign, a tag character, a space or end."""
    return (
        len(line) >= 2
        and line[0] == "%"
        and not line[1].isspace()
        and (len(line) == 2 or line[2] in " \t\u00a0")
    )


def split_flattened(line: str) -> list[list[tuple[str, str]]] | None:
    """Split a one-line record into records of (tag, value); None if it is an ordinary line.

    A line is flattened when it starts with a tag and holds at least three accepted tags (two
    when it starts with ``%0``). Candidates that fail the plausibility checks of §6.2 stay part
    of the previous value.
    """
    candidates = list(_FLAT_TAG.finditer(line))
    if not candidates or candidates[0].start() != 0:
        return None
    if len(candidates) < (2 if line.startswith("%0") else 3):
        return None
    accepted: list[tuple[str, int, int]] = []
    seen: set[str] = set()
    for i, m in enumerate(candidates):
        tag = "%" + m[1]
        end = candidates[i + 1].start() if i + 1 < len(candidates) else len(line)
        value = line[m.end() : end].strip()
        starts_record = tag == "%0" and line.startswith("%0") and lookup_type(value)[0]
        if starts_record:  # a further record on the same line (§6.1 rule 4)
            seen = set()
        if i == 0 or starts_record or _is_plausible(tag, value, line[: m.start()], seen):
            accepted.append((tag, m.start(), m.end()))
            seen.add(tag)
    if len(accepted) < (2 if line.startswith("%0") else 3):
        return None
    records: list[list[tuple[str, str]]] = [[]]
    for j, (tag, _, value_start) in enumerate(accepted):
        end = accepted[j + 1][1] if j + 1 < len(accepted) else len(line)
        value = line[value_start:end].strip()
        if tag == "%0" and records[-1]:
            records.append([])
        records[-1].append((tag, value))
    return records


def flattened_at(line: str) -> int:
    """Where a writer must break the tag line ``line`` so that this reader does not split it
    as a flattened record (a title "A %A B %D 2020 %0 Book" would forge a record): the start of
    its second tag; 0 when the line reads as one field."""
    if line.count("%") < 2 or split_flattened(line) is None:
        return 0
    return [m.start() for m in _FLAT_TAG.finditer(line)][1]


def _is_plausible(tag: str, value: str, before: str, seen: set[str]) -> bool:
    """Does a tag found inside a flattened line really start a field (refer-format.md §6.2)?"""
    if tag in seen and tag not in REPEATABLE_TAGS:
        return False
    previous = before.rsplit(None, 1)[-1] if before.strip() else ""
    if not tag[1].isalpha() and _NUMBER_TOKEN.fullmatch(previous):
        return False  # "(n = 12, 50 %) of": a spaced percent, not a tag
    if tag == "%0":
        return lookup_type(value)[0] is not None
    if tag == "%D":
        return bool(re.search(r"\d{2,4}", value)) or value.lower() in _STATUS_OR_NONE
    if tag == "%8":
        return bool(re.search(r"\d", value) or _MONTH_WORD.search(value))
    if tag == "%U":
        return "://" in value or value.startswith("www.")
    if tag == "%@":
        return len(re.findall(r"\d", value)) >= 8
    if tag == "%P":
        return len(value) <= 30 and any(c.isdigit() for c in value)
    if tag == "%R":
        return bool(find_doi(value)) or (len(value) <= 40 and len(value.split()) <= 3)
    if tag in _SHORT_TAGS:
        return len(value) <= 20 and ". " not in value
    if tag in NAME_TAGS:
        return _is_name_shaped(value)
    return True


def _is_name_shaped(value: str) -> bool:
    words = [w for w in value.split() if any(c.isalpha() for c in w)]
    if not words or len(words) > 8 or len(value) > 80 or _SENTENCE_END.search(value + " "):
        return False
    capitalised = sum(1 for w in words if not w[0].isalpha() or w[0].isupper() or not w.isascii())
    return capitalised * 2 >= len(words)


@cache
def endnote_tags(type_name: str) -> dict[str, Target]:
    """The tag meanings of one EndNote type (§7.1 and the type's own, §2.2), merged once per
    type for the reader and the writer alike. Shared: never change the dict returned."""
    return ENDNOTE_TAGS | ENDNOTE_TYPE_TAGS.get(type_name, {})


# Pseudo-targets of the reader and the variables they fill.
_PSEUDO = {
    "ISBN|ISSN": ("ISBN", "ISSN"),
    "report-number": ("number", "ISBN", "ISSN"),
    "accession": ("archive_location", "PMID"),
    "doi-tag": ("DOI",),
}


def invert_targets(items: list[tuple[str, Target]]) -> dict[str, str]:
    """CSL variable → tag from (tag, target) pairs in order of preference: the writer's view
    of a reader's table (Refer per EndNote type, RIS per RIS type).

    A variable a tag fills only as a fallback (``?page``), or as the second of several, gets
    that tag only when no other tag fills it (Conference Paper: %B the event, %J the
    container); a pseudo-target names the variables it fills (``ISBN|ISSN``)."""
    reverse: dict[str, str] = {}
    fallbacks: dict[str, str] = {}
    for tag, target in items:
        for i, one in enumerate(target if isinstance(target, tuple) else (target,)):
            if one is None or tag == "%0":
                continue
            place = fallbacks if one.startswith("?") or i > 0 else reverse
            for var in _PSEUDO.get(one.lstrip("?"), (one.lstrip("?"),)):
                place.setdefault(var, tag)
    return fallbacks | reverse
