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
