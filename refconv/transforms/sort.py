"""``--sort key|author|year|none``: the order of the output's records.

``key`` sorts by the citation key the record is written with (ignoring case, as keys
clash); ``author`` by the first person's family name (``dedupe.fold_name``), then the
year, then the title (``dedupe.fold_title``: a leading "The" is not filed under T);
``year`` by the year, then the first person, then the title. A record without the value
sorted by comes after those with it (among them by the next values); ties keep their input
order (``sorted`` is stable). ``none`` (the default) is the input order.

Sorting needs every record before the first is written, so the pipeline holds them in
memory only when ``--sort`` is given; keys are given before, in input order, so they do
not depend on the order chosen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from refconv.keys import first_person
from refconv.model import Record
from refconv.transforms import SORT_BY
from refconv.transforms.dedupe import fold_name, fold_title, year_of

#: A value sorted by: (missing?, value), so that records without it come last.
_Part = tuple[bool, str] | tuple[bool, int]


def _author(record: Record) -> _Part:
    name = fold_name(first_person(record))
    return not name, name


def _year(record: Record) -> _Part:
    year = year_of(record)
    return year is None, year if year is not None else 0


def _title(record: Record) -> _Part:
    title = fold_title(record.fields.get("title", ""))
    return not title, title


def by_key(record: Record) -> tuple[_Part, ...]:
    """The sort value of ``--sort key``: the record's citation key (``id``), case folded."""
    return ((not record.id, record.id.lower()),)


def by_author(record: Record) -> tuple[_Part, ...]:
    """The sort value of ``--sort author``: first person, year, title."""
    return _author(record), _year(record), _title(record)


def by_year(record: Record) -> tuple[_Part, ...]:
    """The sort value of ``--sort year``: year, first person, title."""
    return _year(record), _author(record), _title(record)


SORT_VALUES: dict[str, Callable[[Record], tuple[_Part, ...]]] = {
    "key": by_key,
    "author": by_author,
    "year": by_year,
}


def check_sort(by: str) -> None:
    """Raise ``ValueError`` for an order ``--sort`` does not know."""
    if by not in SORT_BY:
        raise ValueError(f"unknown --sort {by!r}; known: {', '.join(SORT_BY)}")


def sort_records(records: Iterable[Record], by: str) -> list[Record]:
    """``records`` in the order ``by`` (see the module), ties in input order; ``none``
    keeps the input order. Raises ``ValueError`` for an unknown ``by``."""
    check_sort(by)
    if by == "none":
        return list(records)
    return sorted(records, key=SORT_VALUES[by])
