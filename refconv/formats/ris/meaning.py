"""What each RIS tag means in each RIS type: the tables of ``formats.ris.tables`` merged with
the EndNote field meanings of ``formats.refer.tables``, once per type, for the reader and the
writer alike (so ``X -> ris -> X`` keeps every field the type has a tag for)."""

from __future__ import annotations

from functools import cache

from refconv.formats.refer.syntax import endnote_tags, invert_targets
from refconv.formats.refer.tables import CSL_TO_ENDNOTE_TYPE, Target
from refconv.formats.ris.tables import (
    RIS_OWN_TAGS,
    RIS_STAND_IN_TYPE,
    RIS_TAG_ORDER,
    RIS_TO_CSL_TYPE,
    RIS_TO_ENDNOTE_FIELD,
    RIS_TO_ENDNOTE_FIELD_BY_TYPE,
    RIS_TO_ENDNOTE_TYPE,
    RIS_TYPE_TAGS,
)


def meaning_type(code: str) -> str:
    """The EndNote type whose field meanings the RIS type ``code`` has: its own (``JOUR``:
    Journal Article), a stand-in for a type EndNote lacks (``ELEC``: Web Page), else the
    EndNote type of its CSL type (Generic for an unknown code)."""
    name = RIS_TO_ENDNOTE_TYPE.get(code) or RIS_STAND_IN_TYPE.get(code)
    return name or CSL_TO_ENDNOTE_TYPE.get(RIS_TO_CSL_TYPE.get(code, "document"), "Generic")


def endnote_field(code: str, tag: str) -> str | None:
    """The EndNote field (its Refer tag) ``tag`` holds in type ``code``, or None for a tag
    that is no EndNote field (``ID``, ``JF``, ``IS`` outside a journal article...)."""
    return RIS_TO_ENDNOTE_FIELD_BY_TYPE.get(code, {}).get(tag) or RIS_TO_ENDNOTE_FIELD.get(tag)


@cache
def ris_tags(code: str) -> dict[str, Target]:
    """Tag → target (``refer.tables.Target``) for one RIS type: every tag the type gives a
    meaning, ``None`` for a field refconv keeps in custom. Shared: never change the dict."""
    meanings = endnote_tags(meaning_type(code))
    table: dict[str, Target] = {}
    for tag in (*RIS_TO_ENDNOTE_FIELD, *RIS_TO_ENDNOTE_FIELD_BY_TYPE.get(code, {}), *RIS_OWN_TAGS):
        field = endnote_field(code, tag)
        if field is not None:
            table[tag] = meanings.get(field)
        elif tag in RIS_OWN_TAGS:
            table[tag] = RIS_OWN_TAGS[tag]
    table.update(RIS_TYPE_TAGS.get(code, {}))
    return table


_ORDER = {tag: i for i, tag in enumerate(RIS_TAG_ORDER)}


@cache
def writer_tags(code: str) -> dict[str, str]:
    """CSL variable → the RIS tag the writer uses for it in type ``code``: ``ris_tags``
    inverted, preferring the tags EndNote writes (``RIS_TAG_ORDER``) over aliases."""
    table = ris_tags(code)
    ordered = sorted(table.items(), key=lambda item: (item[0] in _ALIASES, _ORDER.get(item[0], 99)))
    return invert_targets([(tag, target) for tag, target in ordered if tag not in _READ_ONLY])


#: Spellings read from other exporters, written only when the type has no tag of its own for
#: the variable (a Conference Paper's proceedings title is C3, not JF).
_ALIASES = frozenset({"A1", "ED", "T1", "CT", "JF", "JO", "JA", "J1", "BT", "Y1", "N2"})
#: Tags read but never written: the page end is written with SP by its own rule; ID carries
#: the key by the writer's own rule too.
_READ_ONLY = frozenset({"EP", "ID"})


@cache
def ris_by_field(code: str) -> dict[str, str]:
    """EndNote field (Refer tag) → the RIS tag type ``code`` writes it under, for values
    kept under their EndNote field (a Custom 5 is ``C5``; a Book Section's Series Volume
    ``SV``). The first tag in ``RIS_TAG_ORDER`` wins; aliases (``A1``, ``T1``) never do."""
    tags = sorted(
        {*RIS_TO_ENDNOTE_FIELD, *RIS_TO_ENDNOTE_FIELD_BY_TYPE.get(code, {})} & set(_ORDER),
        key=_ORDER.__getitem__,
    )
    by_field: dict[str, str] = {}
    for tag in tags:
        field = endnote_field(code, tag)
        if field is not None:
            by_field.setdefault(field, tag)
    return by_field
