"""CSL-JSON items for the citeproc-js comparison (tests/test_citeproc_matrix.py): every CSL 1.0.2
item type, each filled, emptied and varied in every variable the styles use.

The variable and type lists are CSL 1.0.2's (https://docs.citationstyles.org/en/stable/
specification.html#appendix-iv-variables and #appendix-iii-types). The generator is
deterministic: the same call gives the same items, so a difference is reproducible by its id.
"""

from __future__ import annotations

import copy
from typing import Any

from refconv.model import CSL_TYPES

Item = dict[str, Any]

#: CSL 1.0.2 item types (Appendix III), in a stable order.
TYPES = sorted(CSL_TYPES)

#: Name variables (Appendix IV, "Name variables"), author first.
NAME_ROLES = [
    "author", "chair", "collection-editor", "compiler", "composer", "container-author",
    "contributor", "curator", "director", "editor", "editorial-director", "executive-producer",
    "guest", "host", "illustrator", "interviewer", "narrator", "organizer", "original-author",
    "performer", "producer", "recipient", "reviewed-author", "script-writer", "series-creator",
    "translator",
]  # fmt: skip

#: Date variables.
DATES = ["issued", "accessed", "available-date", "event-date", "original-date", "submitted"]

#: Number variables, with a plain value and a varied one (range, ordinal word, mixed).
NUMBERS: dict[str, tuple[str, str]] = {
    "chapter-number": ("4", "IV"),
    "collection-number": ("12", "12a"),
    "edition": ("2", "Second revised"),
    "issue": ("3", "3-4"),
    "number": ("17", "A-17/2"),
    "number-of-pages": ("320", "xii, 320"),
    "number-of-volumes": ("3", "3"),
    "page": ("101-115", "e1002"),
    "part-number": ("2", "B"),
    "printing-number": ("5", "5"),
    "section": ("B", "12"),
    "supplement-number": ("1", "S2"),
    "version": ("1.4.2", "2.0-beta"),
    "volume": ("42", "42-43"),
}

#: Standard (string) variables with a value each.
STRINGS: dict[str, str] = {
    "abstract": "An abstract that styles rarely print.",
    "archive": "National Archives",
    "archive_collection": "Papers of the Board",
    "archive_location": "Box 4, Folder 2",
    "archive-place": "Kew",
    "authority": "Supreme Court",
    "call-number": "QA76.9 .D3",
    "collection-title": "Studies in Examples",
    "container-title": "Journal of Examples",
    "container-title-short": "J. Ex.",
    "dimensions": "30 min",
    "division": "Civil Division",
    "DOI": "10.1234/example.5678",
    "event-place": "Rome",
    "event-title": "Small Meeting on Examples",
    "genre": "Doctoral dissertation",
    "ISBN": "978-3-16-148410-0",
    "ISSN": "1234-5679",
    "jurisdiction": "us",
    "language": "en-US",
    "medium": "Audio recording",
    "note": "A note the style may print.",
    "original-publisher": "Old House",
    "original-publisher-place": "Leipzig",
    "original-title": "Das Beispiel",
    "PMCID": "PMC1234567",
    "PMID": "12345678",
    "publisher": "Example Press",
    "publisher-place": "New York",
    "references": "Smith v. Jones",
    "reviewed-title": "The Reviewed Book",
    "scale": "1:50,000",
    "source": "Example Database",
    "status": "in press",
    "title-short": "Examples",
    "URL": "https://example.org/item",
    "volume-title": "The Middle Volume",
}

#: Names: plain, initials, particles (dropping and non-dropping), suffix, organisations,
#: a single (mononym) name, and non-Latin script.
PERSONS: list[dict[str, Any]] = [
    {"family": "Doe", "given": "Jane"},
    {"family": "Smith", "given": "John Ronald"},
    {"family": "Beethoven", "given": "Ludwig", "dropping-particle": "van"},
    {"family": "Gogh", "given": "Vincent", "non-dropping-particle": "van"},
    {"family": "Friedman", "given": "Daniel P.", "suffix": "Jr."},
    {"family": "Abdullah", "given": "Ahmad", "dropping-particle": "bin"},
    {"family": "Heyden", "given": "Anna", "non-dropping-particle": "van der"},
    {"family": "Lee", "given": "K."},
    {"family": "Mare", "given": "Walter", "non-dropping-particle": "de la"},
    {"family": "Müller", "given": "Jörg-Peter"},
    {"family": "毛", "given": "泽东"},
    {"literal": "Plato"},
]
ORGANISATIONS = [
    {"literal": "World Health Organization"},
    {"literal": "Food and Agriculture Organization of the United Nations"},
]

#: Every date shape CSL-JSON allows: year, month, day, ranges within a year, a month and a
#: day, across years, open ranges, seasons, circa, literal, and raw strings.
DATE_SHAPES: dict[str, dict[str, Any]] = {
    "year": {"date-parts": [[2006]]},
    "month": {"date-parts": [[2006, 3]]},
    "day": {"date-parts": [[2006, 3, 15]]},
    "range-years": {"date-parts": [[2004], [2006]]},
    "range-months": {"date-parts": [[2018, 2], [2018, 3]]},
    "range-days": {"date-parts": [[2018, 3, 2], [2018, 3, 5]]},
    "range-month-day": {"date-parts": [[2018, 2, 27], [2018, 3, 2]]},
    "range-open": {"date-parts": [[2018], [0]]},
    "season": {"date-parts": [[2006]], "season": 2},
    "season-month": {"date-parts": [[2006, 14]]},
    "circa": {"date-parts": [[1850]], "circa": True},
    "literal": {"literal": "Spring term, 2006"},
    "raw": {"raw": "2006-03-15"},
    "bc": {"date-parts": [[-350]]},
}


def _names(start: int, count: int) -> list[dict[str, Any]]:
    """`count` persons from PERSONS, rotating from `start`."""
    return [copy.deepcopy(PERSONS[(start + k) % len(PERSONS)]) for k in range(count)]


def full_item(kind: str, n: int) -> Item:
    """An item of type `kind` with every variable filled; `n` rotates names and number forms."""
    item: Item = {"type": kind, "title": f"A {kind.replace('_', ' ')} about examples"}
    item.update(STRINGS)
    for k, (plain, varied) in enumerate(NUMBERS.values()):
        item[list(NUMBERS)[k]] = varied if (n + k) % 3 == 0 else plain
    for k, role in enumerate(NAME_ROLES):
        item[role] = _names(n + k, 1 + (n + k) % 2)
    for k, var in enumerate(DATES):
        item[var] = {"date-parts": [[2006 - k, 1 + (n + k) % 12, 1 + (n * 7 + k) % 28]]}
    item["issued"] = {"date-parts": [[2006]]}
    return item


def sparse_item(kind: str, n: int) -> Item:
    """An item of type `kind` with only a title, an author and a year."""
    return {
        "type": kind,
        "title": f"Only the basics of a {kind.replace('_', ' ')}",
        "author": _names(n, 1),
        "issued": {"date-parts": [[2010 + n % 5]]},
    }


def _variants(kind: str, n: int) -> list[tuple[str, Item]]:
    """The varied shapes of one type: each takes the full item and changes one thing."""
    base = full_item(kind, n)
    date_shape = list(DATE_SHAPES)[n % len(DATE_SHAPES)]
    out: list[tuple[str, Item]] = []

    def variant(label: str, **changes: Any) -> None:
        item = copy.deepcopy(base)
        for key, value in changes.items():
            key = key.replace("__", "-")
            if value is None:
                item.pop(key, None)
            else:
                item[key] = value
        out.append((label, item))

    rotation = n % 6
    if rotation == 0:
        variant("no-author", author=None)
    elif rotation == 1:
        variant("no-date", issued=None)
    elif rotation == 2:
        variant("no-title", title=None, title__short=None)
    elif rotation == 3:
        variant("long-author-list", author=_names(n, 23))
    elif rotation == 4:
        variant("organisation", author=[ORGANISATIONS[n % 2]], editor=[ORGANISATIONS[1 - n % 2]])
    else:
        variant("no-author-no-date-no-editor", author=None, editor=None, issued=None)
    variant(f"date-{date_shape}", issued=copy.deepcopy(DATE_SHAPES[date_shape]))
    return out


def generate() -> list[Item]:
    """All items: per type a full, a sparse and two varied items, then pairs by the same
    author in the same year (year suffixes), each with a unique `id` that names its shape."""
    items: list[Item] = []
    for n, kind in enumerate(TYPES):
        items.append({"id": f"{kind}.full", **full_item(kind, n)})
        items.append({"id": f"{kind}.sparse", **sparse_item(kind, n)})
        for label, item in _variants(kind, n):
            items.append({"id": f"{kind}.{label}", **item})
    for k, kind in enumerate(["book", "article-journal", "chapter", "report"]):
        for suffix in ("first", "second"):
            items.append(
                {
                    "id": f"{kind}.same-year-{suffix}",
                    "type": kind,
                    "title": f"The {suffix} work of the year",
                    "author": _names(k, 1 + k % 2),
                    "issued": {"date-parts": [[2006]]},
                    "container-title": STRINGS["container-title"],
                    "publisher": STRINGS["publisher"],
                }
            )
    for shape, date in DATE_SHAPES.items():  # every date shape once on a plain journal article
        items.append(
            {
                "id": f"article-journal.date-{shape}.plain",
                "type": "article-journal",
                "title": f"Dated {shape}",
                "author": _names(len(items), 1),
                "issued": copy.deepcopy(date),
                "container-title": STRINGS["container-title"],
                "volume": "7",
                "page": "1-9",
            }
        )
    return items
