"""``--dedupe doi|key|title``: records that are one work, merged into the first of them.

Two records are one work when they share (``identity``):

- ``doi``: a DOI, compared as ``normalise_doi`` gives it (case, ``doi:`` and doi.org
  prefixes, URL escapes), the function ``refconv check`` finds duplicate DOIs with;
- ``key``: the citation key given in the input (``citation-key``: a BibTeX key, ``%F``, an
  RIS ``ID``, a CSL-JSON id), compared as keys clash (``keys.clash_form``: ignoring case);
- ``title``: title, year and first person together (``title_identity``), each compared
  folded (``values.text.comparable``: case, punctuation, white space, diacritics, rich-text
  tags; a leading English article dropped). A record without one of the three, or whose
  title or name folds to nothing (punctuation alone), is never merged by title.

The first record stays where it is and gets what the later ones have and it lacks (text
fields, names, dates, keywords, the values readers kept in ``extra``); a value both have
and that differs is not dropped but kept in the first record's ``extra`` (CSL ``custom``)
under its variable, as a reader keeps a second value for a variable set already
(``formats.base.ReadRules.set_already``). Each merge is one note at the later record's
place, naming the first one's and what it added and kept. A note, not a warning:
``--strict`` lets it pass (a kept value then fails it where the writer puts it in a note).

Merging needs every record before any is written (the first of a pair may be the last
record of the input to receive a value), so ``dedupe`` holds the records of a run in
memory; the pipeline calls it only when ``--dedupe`` is given.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field

from refconv.diagnostics import Diagnostics, format_location
from refconv.formats.base import shown
from refconv.formats.csljson.tables import CSL_ID
from refconv.keys import clash_form, first_person
from refconv.model import Name, Record
from refconv.transforms import DEDUPE_BY
from refconv.values.dates import format_date
from refconv.values.identifiers import normalise_doi
from refconv.values.names import format_inverted
from refconv.values.text import RICH_TEXT_TAG, comparable

#: Where the ids of a merged CSL-JSON item go when the record it is merged into has no id
#: of its own from the input: under ``CSL_ID`` they would become that record's id.
MERGED_ID = "merged CSL id"
#: An English article, which library catalogues file titles without at their start.
_ARTICLE = re.compile(r"(?:the|an?)\s+(?=\S)", re.IGNORECASE)


def fold_title(title: str) -> str:
    """A title as ``--dedupe title`` and ``--sort`` compare it: without rich-text tags and a
    leading "The", "A" or "An", then ``comparable`` ("The <i>E. coli</i> genome." is
    ``ecoligenome``)."""
    if "<" in title:
        title = RICH_TEXT_TAG.sub("", title)
    title = title.lstrip()
    article = _ARTICLE.match(title)  # only at the start: "Cells of the brain" keeps its "the"
    return comparable(title[article.end() :] if article else title)


def fold_name(person: Name | None) -> str:
    """A person's name as ``--dedupe title`` and ``--sort author`` compare it: the family
    name with its particle (``van der Berg`` is ``vanderberg``), an organisation's whole
    name, or the given name alone, ``comparable``; "" for no name."""
    if person is None:
        return ""
    if person.literal:
        return comparable(person.literal)
    return comparable(person.particle + person.family) or comparable(person.given)


def year_of(record: Record) -> int | None:
    """The year ``issued`` starts in; None without one (a literal date has none)."""
    issued = record.dates.get("issued")
    return issued.year if issued is not None else None


def doi_identity(record: Record) -> str | None:
    """The record's DOI as ``normalise_doi`` gives it; None without one."""
    return normalise_doi(record.fields.get("DOI", "")) or None


def key_identity(record: Record) -> str | None:
    """The record's citation key from the input as ``clash_form`` gives it; None without."""
    return clash_form(record.fields.get("citation-key", "")) or None


def title_identity(record: Record) -> tuple[str, int, str] | None:
    """(folded title, year, folded first person) of the record; None when one is missing or
    folds to nothing: two titles of punctuation alone are no evidence of one work."""
    title = fold_title(record.fields.get("title", ""))
    year = year_of(record)
    person = fold_name(first_person(record))
    if not title or year is None or not person:
        return None
    return title, year, person


IDENTITIES: dict[str, Callable[[Record], Hashable | None]] = {
    "doi": doi_identity,
    "key": key_identity,
    "title": title_identity,
}


def check_dedupe(by: str) -> None:
    """Raise ``ValueError`` for a ``--dedupe`` that is none of ``DEDUPE_BY``."""
    if by not in IDENTITIES:
        raise ValueError(f"unknown --dedupe {by!r}; known: {', '.join(DEDUPE_BY)}")


def identity(record: Record, by: str) -> Hashable | None:
    """What ``record`` is compared by under ``--dedupe by``; None: it is merged with none."""
    return IDENTITIES[by](record)


def _same(why: str, record: Record) -> str:
    """The reason of a merge, as the note says it."""
    if why == "doi":
        return f"same DOI {record.fields['DOI']}"
    if why == "key":
        return f"same key {shown(record.fields['citation-key'])}"
    return "same title, year and first author"


@dataclass
class Merge:
    """What merging one record into another did: the variables (and ``extra`` keys) it
    added, and the (key, value) of each differing value kept in the first one's ``extra``."""

    added: list[str] = field(default_factory=list)
    kept: list[tuple[str, str]] = field(default_factory=list)

    def keep(self, record: Record, key: str, value: str) -> None:
        """Keep ``value`` in ``record``'s extra under ``key`` (once: a third record with the
        same differing value adds nothing), and say so."""
        if value not in record.extra.get(key, ()):
            record.add_extra(key, value)
        self.kept.append((key, value))


def _same_value(var: str, have: str, value: str) -> bool:
    """Is ``value`` what the first record has? A DOI in another spelling is the same DOI."""
    if have == value:
        return True
    return var == "DOI" and normalise_doi(have) == normalise_doi(value) != ""


def _names_text(people: list[Name]) -> str:
    """A list of names as text, as refconv's notes write a role (``Doe, J. and Roe, R.``)."""
    return " and ".join(format_inverted(person) for person in people)


def merge(kept: Record, other: Record) -> Merge:
    """Give ``kept`` what ``other`` has and it lacks; keep the values of ``other`` that
    differ from its own in its ``extra`` under their variable (a type under ``type``).
    ``other`` is spent: its names and dates may now be ``kept``'s."""
    done = Merge()
    if other.type != kept.type:
        done.keep(kept, "type", other.type)
    for var, value in other.fields.items():
        have = kept.fields.get(var)
        if have is None:
            kept.fields[var] = value
            done.added.append(var)
        elif not _same_value(var, have, value):
            done.keep(kept, var, value)
    for role, people in other.names.items():
        if not people:
            continue
        if not kept.names.get(role):
            kept.names[role] = people
            done.added.append(role)
        elif kept.names[role] != people:
            done.keep(kept, role, _names_text(people))
    for var, date in other.dates.items():
        if var not in kept.dates:
            kept.dates[var] = date
            done.added.append(var)
        elif kept.dates[var] != date:
            done.keep(kept, var, format_date(date))
    new = [word for word in dict.fromkeys(other.keywords) if word not in kept.keywords]
    if new:
        kept.keywords.extend(new)
        done.added.append("keyword")
    for key, values in other.extra.items():
        if key == CSL_ID and CSL_ID not in kept.extra:  # would become the kept record's id
            key = MERGED_ID
        have_values = kept.extra.get(key, [])
        fresh = [value for value in values if value not in have_values]
        if fresh:
            kept.extra.setdefault(key, []).extend(fresh)
            done.added.append(key)
    return done


def describe(done: Merge, into: Record, why: str) -> str:
    """The note of one merge (given at the merged record's place)."""
    where = format_location(into.source.path, into.source.line)
    added = ", ".join(dict.fromkeys(done.added)) or "nothing"
    message = f"duplicate of the record at {where} ({why}), merged into it: adds {added}"
    if done.kept:  # the values are in the output; their names say where to look
        keys = ", ".join(dict.fromkeys(key for key, _ in done.kept))
        message += f"; its differing {keys} kept in custom"
    return message


class Deduplicator:
    """Records in, the first of each work kept (``kept``, in input order), the others merged
    into it with a note each (``add``)."""

    def __init__(self, by: str, diagnostics: Diagnostics):
        check_dedupe(by)
        self.by = by
        self.diagnostics = diagnostics
        self.kept: list[Record] = []
        self.first: dict[Hashable, Record] = {}

    def add(self, record: Record) -> Record:
        """Take ``record``: keep it, or merge it into the first record of its work (with a
        note); return the record it now lives in."""
        found = identity(record, self.by)
        first = self.first.setdefault(found, record) if found is not None else record
        if first is record:
            self.kept.append(record)
            return record
        done = merge(first, record)
        self.diagnostics.merged += 1
        message = describe(done, first, _same(self.by, record))
        self.diagnostics.note(
            message, record.source.path, record.source.line, code="merged-duplicate"
        )
        return first


def dedupe(records: Iterable[Record], by: str, diagnostics: Diagnostics) -> list[Record]:
    """The records of one work merged into its first record (see the module); the others
    in input order. Raises ``ValueError`` for an unknown ``by``."""
    deduplicator = Deduplicator(by, diagnostics)
    for record in records:
        deduplicator.add(record)
    return deduplicator.kept
