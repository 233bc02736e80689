"""What the RIS date tags hold of a CSL date: ``PY``/``DA`` and ``Y2`` take one date
("YYYY/MM/DD/", RIS specification 2011), with no range, season or circa."""

from __future__ import annotations

from refconv.model import Date


def held(var: str, date: Date) -> Date | None:
    """What ``PY``/``DA`` (issued) or ``Y2`` (accessed) hold of ``date``: a single date, else
    only the first year in ``PY``; None when no tag holds any of it. The writer keeps the
    whole date in a note when this is less, and the reader checks a note date against it
    (``refconv.notes.Reduce``)."""
    if not date.parts or var not in ("issued", "accessed"):
        return None
    if len(date.parts) == 1 and not date.season and not date.circa:
        return date
    return Date(((date.parts[0][0],),)) if var == "issued" else None


def reductions(var: str, date: Date) -> tuple[Date, ...]:
    """``held`` when it is less than ``date``, as ``refconv.notes.restore`` wants it."""
    reduced = held(var, date)
    return (reduced,) if reduced is not None and reduced != date else ()
