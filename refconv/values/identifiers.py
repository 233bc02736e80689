"""DOIs, ISBNs and ISSNs found in values (refer-format.md §5)."""

from __future__ import annotations

import re

_DOI = re.compile(r"10\.[0-9]{4,9}/\S+")
_DOI_PREFIX = re.compile(
    r"(?:doi:\s*|https?://(?:dx\.)?doi\.org/|(?:dx\.)?doi\.org/)", re.IGNORECASE
)
_DOI_URL = re.compile(r"https?://(?:dx\.)?doi\.org/(10\.[0-9]{4,9}/\S+)", re.IGNORECASE)
_SERIAL_LABEL = re.compile(r"\b(ISSN|ISBN|eISSN|pISSN)\b[:\s]*", re.IGNORECASE)
_QUALIFIER = re.compile(r"\((?:[^()]{0,40})\)")
#: Qualifiers that only say which medium or binding a number is for (PubMed's "(Print)",
#: "(Linking)", a catalogue's "(pbk.)"): dropped. Any other "(...)" is text of the value.
MEDIUM_QUALIFIERS = frozenset(
    {"print", "electronic", "linking", "online", "pbk", "hbk", "paperback", "hardback",
     "hardcover", "softcover", "cloth", "ebook", "e-book", "alk. paper", "acid-free paper"}
)  # fmt: skip


def _drop_medium(match: re.Match[str]) -> str:
    inner = match[0][1:-1].strip().rstrip(".").lower()
    return " " if inner in MEDIUM_QUALIFIERS else match[0]


def _unquote(text: str) -> str:
    """``%2F`` → ``/``; urllib (and the ipaddress module it loads) only for a URL with a
    percent escape (issue 18: start-up)."""
    if "%" not in text:
        return text
    from urllib.parse import unquote

    return unquote(text)


def find_doi(text: str, *, anywhere: bool = False) -> str:
    """Return the DOI in a value that is a DOI ("10.x/y", "doi:10.x/y", a doi.org URL), or "".

    With ``anywhere`` the DOI may be embedded in longer text.
    """
    value = text.strip()
    if m := _DOI_URL.match(value):
        return _unquote(m[1]).rstrip(".")
    value = _DOI_PREFIX.sub("", value, count=1).strip()
    if anywhere:
        m = _DOI.search(value)
        return m[0].rstrip(".,;") if m else ""
    return value if _DOI.fullmatch(value) else ""


def normalise_doi(text: str) -> str:
    """The DOI of a DOI value (``find_doi``) in the one form two records' DOIs are compared
    in, or "" when the value is no DOI: lower case (the DOI system matches DOIs ignoring
    case, DOI Handbook 2.4), without its ``doi:`` or doi.org prefix, URL escapes decoded
    (``10.1000/A%2FB`` is ``10.1000/a/b``). ``refconv check`` and ``--dedupe doi`` use it."""
    doi = find_doi(text)
    if "%" in doi and not _DOI_URL.match(text.strip()):  # a doi.org URL is decoded already
        doi = _unquote(doi)
    return doi.lower()


def doi_from_url(url: str) -> str:
    """Return the DOI of a doi.org URL, or ""."""
    m = _DOI_URL.match(url.strip())
    return _unquote(m[1]) if m else ""


def classify_serials(text: str) -> tuple[list[str], list[str], list[str]]:
    """Split an EndNote %@ value into (ISBNs, ISSNs, unrecognised pieces).

    An explicit ISSN/ISBN label wins; otherwise the count of digits decides: 8 → ISSN,
    10 or 13 → ISBN. Medium qualifiers such as "(Print)" are dropped; any other "(...)" is
    an unrecognised piece, so the reader keeps it.
    """
    isbns: list[str] = []
    issns: list[str] = []
    other: list[str] = []
    for chunk in re.split(r"[;,]|\s{2,}", _QUALIFIER.sub(_drop_medium, text)):
        label = ""
        if m := _SERIAL_LABEL.search(chunk):
            label = m[1].upper()
            chunk = _SERIAL_LABEL.sub(" ", chunk)
        for token in chunk.split() if not re.search(r"[0-9] [0-9]", chunk) else [chunk]:
            digits = re.sub(r"[^0-9Xx]", "", token).upper()
            if not digits:
                other.append(token.strip())
                continue
            if "ISSN" in label or (not label and len(digits) == 8):
                if len(digits) == 8:
                    issns.append(f"{digits[:4]}-{digits[4:]}")
                    continue
            elif len(digits) in (10, 13):
                isbns.append(token.strip())
                continue
            other.append(token.strip())
    return isbns, issns, other


def is_valid_isbn(text: str) -> bool:
    """True for an ISBN-10 or ISBN-13 whose check digit is right."""
    digits = re.sub(r"[^0-9Xx]", "", text).upper()
    if len(digits) == 10 and digits[:9].isdigit():
        total = sum((10 - i) * (10 if c == "X" else int(c)) for i, c in enumerate(digits))
        return total % 11 == 0
    if len(digits) == 13 and digits.isdigit():
        return sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(digits)) % 10 == 0
    return False


def is_valid_issn(text: str) -> bool:
    """True for an ISSN whose check digit is right."""
    digits = re.sub(r"[^0-9Xx]", "", text).upper()
    if len(digits) != 8 or not digits[:7].isdigit():
        return False
    total = sum((8 - i) * (10 if c == "X" else int(c)) for i, c in enumerate(digits))
    return total % 11 == 0
