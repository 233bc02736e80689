"""EDTF (ISO 8601-2) dates as biblatex and pandoc's citeproc read them: the shared parser of
the BibTeX reader's date fields and of CSL date strings (CSL-JSON, CSL YAML)."""

from __future__ import annotations

import re

from refconv.model import Date, date_problem

INTEGER = re.compile(r"-?[0-9]+")  # ASCII digits: str.isdigit also takes '²' and '٣'


def whole_number(text: str, digits: int) -> tuple[int, str]:
    """An integer of at most ``digits`` digits, or why it is none (no ``int`` of a long run:
    Python refuses more than 4300 digits)."""
    value = text.strip().strip("{}").strip()
    if not INTEGER.fullmatch(value):
        return 0, "not a number"
    body = value.lstrip("-").lstrip("0")  # int() counts leading zeros against its limit too
    if len(body) > digits:
        return 0, "out of range"
    number = int(body or "0")
    return (-number if value.startswith("-") else number), ""


#: EDTF level 0/1 as biblatex reads it: years of four digits or more with a sign, "/" ranges,
#: seasons 21-24, "~" circa (biblatex manual §2.3.8).
_EDTF = re.compile(r"(-?[0-9]{4,})(?:-([0-9]{2}))?(?:-([0-9]{2}))?", re.ASCII)


#: An EDTF range open (``..``) or unknown (empty) at one end: "1998/..", "../1998", "1998-05/"
#: (EDTF level 1, which biblatex reads: manual §2.3.8; biber 2.18 reads "1998/.." and
#: "1998/" alike and writes "1998/"). An open end is ``Date.open_end`` (CSL-JSON's
#: ``[[1998], [0]]``, which citeproc-js prints "1998–"). An open start has no CSL form:
#: citeproc-js prints no date at all for ``[[0], [1998]]``, so the known end is the date and
#: the field's text is kept in custom, with a warning (STYLE.md §4b).
OPEN_RANGE = re.compile(r"(?:\.\.|)/(?P<end>[^/]+)|(?P<start>[^/]+)/(?:\.\.|)")


#: A time of day after an ISO 8601 date (``2004-04-05T14:34:00``, ``...Z``, ``...+02:00``),
#: which biblatex reads (manual §2.3.8) and CSL dates cannot hold.
_TIME = re.compile(
    r"T[0-9]{2}(?::[0-9]{2}(?::[0-9]{2})?)?(?:Z|[+-][0-9]{2}(?::?[0-9]{2})?)?(?=[?~%]*$)"
)


def qualified(text: str) -> str:
    """Why the EDTF date ``text`` says more than a CSL date can (a time of day; ``?``, an
    uncertain date, which CSL can only call circa); "" if nothing."""
    if any(_TIME.search(piece.strip()) for piece in text.split("/")):
        return "a time of day, which CSL dates do not hold"
    if "?" in text or "%" in text:
        return "an uncertain date (? or %), read as circa"
    return ""


def parse_edtf(text: str) -> tuple[Date | None, str]:
    """(date, "") for an ISO 8601-2 / EDTF date; (None, why) if it has that form but is no
    date (``2020-13``, ``2021-02-30``, year 10000); (None, "") if it is not of that form.
    A time of day is left out, and ``?`` (uncertain), ``~`` (approximate) and ``%`` (both)
    after a date make it circa, CSL's only qualifier (see ``qualified``).

    EDTF years are astronomical, as biber reads them: "0000" is 1 BC, "-0043" 44 BC (biblatex
    manual §2.3.8, table "Date Specifications"); CSL has no year 0, so -1 is 1 BC.
    """
    value = text.strip()
    parts: list[tuple[int, ...]] = []
    season = None
    circa = False
    for piece in value.split("/"):
        piece = _TIME.sub("", piece.strip())
        qualifiers = piece[len(piece.rstrip("?~%")) :]
        circa = circa or bool(qualifiers)
        m = _EDTF.fullmatch(piece[: len(piece) - len(qualifiers)])
        if not m:
            return None, ""
        year, why = whole_number(m[1], 4)
        if why:
            return None, why + " (-9999 to 9999)"
        numbers = [year if year > 0 else year - 1] + [int(g) for g in (m[2], m[3]) if g]
        if len(numbers) == 2 and 21 <= numbers[1] <= 24:
            if len(parts) or ("/" in value and not value.endswith(("/", "/.."))):
                return None, "a season in a range"  # an open-ended range may have one
            season, numbers = numbers[1] - 20, numbers[:1]
        parts.append(tuple(numbers))
    if why := date_problem(tuple(parts)):
        return None, why
    return Date(tuple(parts), season=season, circa=circa), ""
