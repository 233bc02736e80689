"""MODS ``<name>`` elements → CSL names (docs/mods-format.md §3).

A personal name's ``namePart`` types are ``given``, ``family``, ``termsOfAddress`` (a
suffix; bibutils writes ``suffix``) and ``date`` (life dates: kept in custom after the name);
an untyped part of a personal name is read with the shared name parser ("Smith, John"), or
as a given name beside a family part, as bibutils does. A corporate, family or untyped
name is kept whole as a literal (parts joined by ". ", MARC's order of a hierarchy); a
``conference`` name is the event's title. The role (``role/roleTerm``, MARC relator text
or code) gives the CSL variable; the level (host, series, original item, item reviewed)
refines it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from refconv.formats.mods.syntax import local_name, person_from_parts, step, text_of
from refconv.formats.mods.tables import DEGREE_GRANTOR_ROLES, LEVEL_ROLES, ROLE_TO_CSL
from refconv.model import NAME_VARIABLES, Name
from refconv.values.names import format_inverted, parse_name

if TYPE_CHECKING:
    from refconv.formats.mods.fields import Builder

#: (level, role) → CSL variable of a name in a related item; other roles there are kept.
_AT_LEVEL = {(lr.level, lr.role): var for var, lr in LEVEL_ROLES.items()}
_NAMES = frozenset(NAME_VARIABLES)
_SUFFIX_TYPES = ("termsOfAddress", "suffix")


def _role(element: Any) -> tuple[str, str]:
    """(CSL role, the role as written): the first roleTerm MARC or CSL names; "author"
    when the name has no role (MODS: the creator; bibutils reads it so)."""
    written = ""
    for role in element:
        if local_name(role.tag) != "role":
            continue
        for term in role:
            if local_name(term.tag) != "roleTerm":
                continue
            text = " ".join((term.text or "").split())
            key = text.lower()
            if key in ROLE_TO_CSL:
                return ROLE_TO_CSL[key], text
            if key in DEGREE_GRANTOR_ROLES:
                return "publisher", text
            if text in _NAMES:
                return text, text
            written = written or text
    return ("", written) if written else ("author", "")


def _person(kind: str | None, parts: list[tuple[str, str]]) -> tuple[Name | None, str]:
    """The name of the namePart (type, text) pairs, and the parser's doubt ("" if none)."""
    typed: dict[str, list[str]] = {}
    for part, text in parts:
        typed.setdefault(part, []).append(text)
    untyped = typed.pop("", [])
    family, given = " ".join(typed.get("family", [])), " ".join(typed.get("given", []))
    suffix = " ".join(t for s in _SUFFIX_TYPES for t in typed.get(s, []))
    if kind not in (None, "personal") or (kind is None and not (family or given)):
        return (Name(literal=". ".join(untyped)) if untyped else None), ""
    if family or given:  # bibutils: an untyped part beside typed ones is a given name
        given = " ".join([given, *untyped]).strip()
        return person_from_parts(family, given, suffix), ""
    if not untyped:
        return None, ""
    person, problem = parse_name(", ".join(untyped))
    if person is not None and suffix and not person.suffix:
        person.suffix = suffix
    return person, problem


def add_name(builder: Builder, element: Any, level: str, path: str) -> None:
    """Add one ``<name>`` at ``level`` to the record (see the module docstring)."""
    record, rules = builder.record, builder.rules
    kind, line = element.get("type"), element.sourceline
    parts: list[tuple[str, str]] = []
    details: list[tuple[str, Any]] = []
    for child in element:
        name = local_name(child.tag)
        if name == "namePart" and child.get("type") not in ("date",):
            text = " ".join("".join(child.itertext()).split())
            if text:
                parts.append((child.get("type") or "", text))
        elif name not in (None, "role"):
            details.append((f"{path}/{step(name, child.get('type'))}", child))
    if not parts:  # MODS: displayForm is the name unstructured
        parts = [("", text_of(c)) for c in element if local_name(c.tag) == "displayForm"]
        parts = [p for p in parts if p[1]]
        details = [d for d in details if not d[0].endswith("/displayForm")] if parts else details
    if kind == "conference" and level in ("main", "host"):
        builder.place("event-title", ". ".join(text for _, text in parts), path, line)
        for where, child in details:
            builder.keep(where, child)
        return
    person, problem = _person(kind, parts)
    if problem:
        rules.warn(problem, line, code="invalid-name")
    if person is None:
        if parts or details:
            rules.warn(
                "name without a family, given or whole name part; kept in custom",
                line,
                code="invalid-name",
            )
            for where, child in details:
                builder.keep(where, child)
        return
    role, written = _role(element)
    var = role if level == "main" else _AT_LEVEL.get((level, role), "")
    if (level == "host" and role in ("editor", "translator")) or role == "publisher":
        var = role
    if level == "series" and role == "editorial-director":  # Zotero's series editor: pbd
        var = "collection-editor"
    shown = format_inverted(person).rstrip(",")
    for where, child in details:  # life dates, affiliations, identifiers: after the name
        text = " ".join("".join(child.itertext()).split())
        if text:
            record.add_extra(where, f"{shown}: {text}")
    if var == "publisher":  # a thesis's degree-granting university
        builder.place("publisher", person.literal or shown, path, line)
    elif var:
        record.names.setdefault(var, []).append(person)
    else:
        what = f"role {written!r}" if written and level == "main" else f"{level} {role or written}"
        key = f"{path}[{written}]" if written else path
        rules.keep(record, key, shown, f"{what} has no CSL variable", line, code="unknown-field")
