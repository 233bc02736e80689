"""CSL-JSON output order (data only)."""

from refconv.model import DATE_VARIABLES, NAME_VARIABLES, TEXT_VARIABLES

#: Key order of every CSL-JSON item: identity, title, people, dates, then the other
#: variables in the model's order, and ``custom`` (the fields without a CSL variable) last.
CSL_KEY_ORDER = (
    "id",
    "type",
    "title",
    *NAME_VARIABLES,
    *DATE_VARIABLES,
    *(v for v in TEXT_VARIABLES if v != "title"),
    "custom",
)

#: The ``extra`` key of an item's ``id`` that differs from its ``citation-key``: refconv's
#: key (BibTeX, RIS, Refer) is the citation key, as Zotero and Better BibTeX mean it (their
#: web API's ids are database ids, "12047273/KC6WFG78"), while documents cite a CSL-JSON
#: file by ``id``, so the CSL-JSON writer writes this back as the item's ``id``; other
#: formats keep it in their note.
CSL_ID = "CSL id"
