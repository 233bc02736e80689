"""What the RIS date tags hold of a CSL date, for the writer and for the reader's note lines:
``PY``/``Y1`` a year (with ``DA`` beside it for a full date when ``DA`` means the same date
in the type), ``DA`` and ``Y2`` one date ("YYYY/MM/DD/", RIS specification 2011); none holds
a range (an open-ended one neither), a season or circa. A type that reads a date from another
tag (Conference Proceedings' ``C2``, Year Published) gets refconv's ISO form there, which holds
any date."""

from __future__ import annotations

from collections.abc import Callable

from refconv.formats.ris.meaning import ris_tags, writer_tags
from refconv.model import Date
from refconv.values.dates import format_date, year_text

#: The tags RIS gives dates in "YYYY/MM/DD/" form.
RIS_DATE_TAGS = frozenset({"PY", "Y1", "DA", "Y2"})


def ris_date(date_parts: tuple[int, ...]) -> str:
    """RIS ``DA``/``Y2`` form: ``2012/03/15/``, ``2012/03//``."""
    padded = [f"{p:02d}" if i else year_text(p) for i, p in enumerate(date_parts)]
    padded += [""] * (3 - len(padded))
    return "/".join(padded) + "/"


def _is_single(date: Date) -> bool:
    return len(date.parts) == 1 and not date.season and not date.circa and not date.open_end


def date_lines(code: str, var: str, date: Date) -> tuple[list[tuple[str, str]], bool]:
    """The (tag, value) lines of one date in RIS type ``code``, and whether they hold less
    than the date (the writer then keeps the whole date in a note)."""
    tag = writer_tags(code).get(var)
    if tag is None or not date.parts:
        return [], True
    if tag not in RIS_DATE_TAGS:
        return [(tag, format_date(date))], False
    single = _is_single(date)
    if tag in ("DA", "Y2"):
        return ([(tag, ris_date(date.parts[0]))], False) if single else ([], True)
    out = [(tag, year_text(date.parts[0][0]))]
    if not single:
        return out, True
    if len(date.parts[0]) == 1:
        return out, False
    if ris_tags(code).get("DA") != var:  # DA means another date here (Date Accessed)
        return out, True
    return [*out, ("DA", ris_date(date.parts[0]))], False


def reductions(code: str) -> Callable[[str, Date], tuple[Date, ...]]:
    """For ``refconv.notes.restore``: what the tags of type ``code`` hold of a date whose
    whole the writer keeps in a note (its year in ``PY``), so such a note replaces them."""

    def reduce(var: str, date: Date) -> tuple[Date, ...]:
        written, whole = date_lines(code, var, date)
        if whole and written:
            return (Date(((date.parts[0][0],),)),)
        return ()

    return reduce
