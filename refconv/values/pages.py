"""Page ranges and extents (refer-format.md §5)."""

from __future__ import annotations

import re

_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_STRONG_RANGE = re.compile(  # one range dash, however many characters it is made of
    r"\s*(?:--|[\u2012\u2013\u2014\u2015\u2212])[-\u2012\u2013\u2014\u2015\u2212]*\s*"
)
_SIMPLE_RANGE = re.compile(
    r"([A-Za-z]{0,3}\d+[A-Za-z]{0,3})\s*-\s*([A-Za-z]{0,3}\d+[A-Za-z]{0,3})", re.ASCII
)
_EXTENT = re.compile(
    r"(?:pp?\.?|pages?)?\s*(\d+)\s*(?:pp?\.|pages?|s\.|S\.|ff\.)?", re.IGNORECASE | re.ASCII
)


def normalize_pages(text: str) -> str:
    """Return a CSL page value: dashes between page tokens become "-", "273-8" → "273-278".

    Lists ("94-98,93"), article numbers ("e1234") and anything else unusual are kept as given,
    apart from the dash normalisation.
    """
    value = " ".join(text.split())
    if _STRONG_RANGE.search(value):
        pieces = _STRONG_RANGE.split(value)
        # Tokens that contain hyphens themselves ("C3-32--C3-35") must keep the strong dash.
        if any("-" in p for p in pieces):
            return value
        value = "-".join(pieces)
    parts = []
    for part in value.split(","):
        part = part.strip()
        m = _SIMPLE_RANGE.fullmatch(part)
        if m:
            first, last = m[1], m[2]
            if first.isdigit() and last.isdigit() and len(last) < len(first):
                expanded = first[: len(first) - len(last)] + last
                if expanded > first:  # digit strings of one length: no int() of 5,000 digits
                    last = expanded
            part = f"{first}-{last}"
        parts.append(part)
    return ",".join(parts) if len(parts) > 1 else parts[0]


def normalize_extent(text: str) -> str:
    """Return the page count of "327 pp.", "173 s.", "p. 12"; other text unchanged."""
    value = " ".join(text.split())
    m = _EXTENT.fullmatch(value)
    return m[1] if m else value
