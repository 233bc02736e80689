"""BibTeX and BibLaTeX dates: the year/month/day fields and biblatex's EDTF date fields
(biblatex manual §2.3.8, §2.3.9), and how they agree."""

from __future__ import annotations

import re

from refconv.formats.base import ReadRules, date_trouble, shown
from refconv.formats.bibtex.tables import (
    BIBLATEX_DATES,
    DATE_FIELDS,
    MONTH_MACROS,
)
from refconv.model import Date, Record
from refconv.values.dates import date_problem, parse_date
from refconv.values.edtf import (
    INTEGER,
    OPEN_RANGE,
    parse_edtf,
    qualified,
    whole_number,
)


class DateFields:
    """The date fields of one entry into CSL dates (BibTeX manual §B; biblatex manual §2.3.8).

    ``year``/``month``/``day`` make ``issued`` unless a readable ``date`` does (then they must
    agree with it). Numbers are ASCII digits only (``str.isdigit`` accepts '²', which ``int``
    refuses), checked with ``date_problem`` before a ``Date`` is built. A value that makes no
    date, or says more than one, is kept whole (the literal date when nothing else gives
    one, else in custom under its field name) with a warning naming its line and field: the
    rule of the RIS and Refer readers.
    """

    def __init__(
        self, record: Record, fields: dict[str, tuple[str, int]], rules: ReadRules
    ) -> None:
        self.record, self.fields, self.rules = record, fields, rules
        self.unread: list[tuple[str, str]] = []  # (field, why) to keep in custom
        self.status = ""  # "in press" in the year field
        self.bad_year = ""  # why the year field is no year

    def read(self) -> None:
        for key, var in BIBLATEX_DATES.items():
            if key != "date" and key in self.fields:
                date, why = self._field(key)
                if date is not None:
                    self.record.dates[var] = date
                else:
                    self._literal(key, why, var)
        ymd_keys = [k for k in ("year", "month", "day") if k in self.fields]
        date, why = self._field("date") if "date" in self.fields else (None, "")
        if "year" not in self.fields and date is not None and len(date.parts) == 1:
            self.fields["year"] = (str(date.parts[0][0]), 0)  # month/day are checked against it
            ymd_keys = [k for k in ymd_keys if k != "year"]
        if date is not None:
            before = len(self.unread)
            ymd = self._ymd() if "year" in self.fields else None
            disagree = f"does not agree with date {shown(self.fields['date'][0])}"
            if ymd is None and "year" in ymd_keys:
                self._keep("year", self.bad_year or disagree)
            elif ymd is not None and not _agrees(ymd, date):
                self.unread[before:] = [(k, disagree) for k in ymd_keys]
            self.record.dates["issued"] = date
        else:
            ymd = self._ymd() if "year" in self.fields else None
            if "year" not in self.fields:
                for key in ("month", "day"):
                    if key in self.fields:
                        self._keep(key, "no year to go with")
            if "date" in self.fields:
                if ymd is None and not self.status:
                    self._literal("date", why, "issued")
                else:
                    self._keep("date", why)
            if self.status:
                self.record.fields.setdefault("status", self.status)
            elif self.bad_year and "issued" not in self.record.dates:
                self._literal("year", self.bad_year, "issued")
            elif self.bad_year:
                self._keep("year", self.bad_year)
            if ymd is not None:
                self.record.dates["issued"] = ymd
        for key, why in self.unread:
            text, line = self.fields[key]
            self.rules.keep(self.record, key, text, why, line, code="invalid-date")

    def _field(self, key: str) -> tuple[Date | None, str]:
        """A date field: ISO 8601 / EDTF as biblatex wants, or text a person wrote."""
        text = self.fields[key][0]
        date, why = parse_edtf(text)
        if date is not None and (more := qualified(text)):
            self._keep(key, more)  # the date is used, the whole text kept
        if date is None and not why and (open_range := OPEN_RANGE.fullmatch(text.strip())):
            known = open_range["start"] or open_range["end"]
            date, why = parse_edtf(known)
            if date is not None and len(date.parts) == 1 and open_range["start"]:
                if more := qualified(known):
                    self._keep(key, more)  # the date is used, the whole text kept
                date.open_end = True
                return date, ""
            if date is not None and len(date.parts) == 1:
                self._keep(key, "an open range; only its end is a date")
                return date, ""
            date, why = None, ""
        if date is None and not why:
            parsed = parse_date(text)
            if parsed.kind == "date" and parsed.leftover:  # the date is used, the text kept
                self._keep(key, date_trouble(parsed))
            if parsed.kind == "date":
                return parsed.date, ""
            why = date_trouble(parsed)
        return date, why

    def _literal(self, key: str, why: str, var: str) -> None:
        text, line = self.fields[key]
        self.record.dates[var] = self.rules.literal_date(key, text, why, line)

    def _keep(self, key: str, why: str) -> None:
        """Keep ``key`` in custom (once), with a warning: no date here says what it says."""
        if all(k != key for k, _ in self.unread):
            self.unread.append((key, why))

    def _ymd(self) -> Date | None:
        """``issued`` from ``year``, ``month`` and ``day``; None if the year is none."""
        text = self.fields["year"][0]
        year, why = _year(text)
        if year is None and not why:
            parsed = parse_date(text.replace("--", "-"))
            if parsed.kind == "status":
                self.status = parsed.status
            elif parsed.kind == "date":
                year = parsed.date
                if parsed.leftover:  # the year is used, the text kept
                    self._keep("year", date_trouble(parsed))
            else:
                why = date_trouble(parsed)
        if year is None:
            self.bad_year = why
            for key in ("month", "day"):
                if key in self.fields:
                    self._keep(key, "no year to go with")
            return None
        if "month" not in self.fields:
            if "day" in self.fields:
                self._keep("day", "no month to go with")
            return year
        if len(year.parts) != 1 or len(year.parts[0]) != 1 or year.season or year.open_end:
            for key in ("month", "day"):
                if key in self.fields:
                    self._keep(key, f"year {shown(text)} is more than one year")
            return year
        return self._month_day(year)

    def _month_day(self, year: Date) -> Date:
        y = year.parts[0][0]
        month, day, season, why = _month(self.fields["month"][0])
        if why:
            self._keep("month", why)
            if "day" in self.fields:
                self._keep("day", "no month to go with")
            return year
        if season or month is None:
            if "day" in self.fields:
                self._keep("day", "a season has no day")
            return Date(year.parts, season=season, circa=year.circa)
        if "day" in self.fields:
            number, why = whole_number(self.fields["day"][0], 2)
            if why:
                self._keep("day", why)
            elif day is not None and number != day:
                self._keep("day", f"the month says day {day}")
            else:
                day = number
        if day is not None and (why := date_problem(((y, month, day),))):
            self._keep("day" if "day" in self.fields else "month", why)
            day = None
        parts = (y, month) if day is None else (y, month, day)
        return Date((parts,), circa=year.circa)


_YEAR_RANGE = re.compile(r"(-?[0-9]+)--(-?[0-9]+)")  # "1996--2004", "-44--40"


def _year(text: str) -> tuple[Date | None, str]:
    """The BibTeX ``year`` as a signed whole number or a range "1996--2004" (CSL years: -44
    is 44 BC); (None, "") if it is no number (text for ``parse_date``), (None, why) if it is
    one out of range."""
    value = text.strip().replace("{", "").replace("}", "")  # "-44--{-40}", as written
    pieces = [value] if INTEGER.fullmatch(value) else None
    if m := _YEAR_RANGE.fullmatch(value):
        pieces = [m[1], m[2]]
    if pieces is None:
        return None, ""
    years = []
    for piece in pieces:
        number, why = whole_number(piece, 4)
        if why:
            return None, why + " (-9999 to 9999)"
        years.append(number)
    parts = tuple((y,) for y in years)
    if why := date_problem(parts):
        return None, why
    if len(years) == 2 and years[1] < years[0]:
        return None, "the range ends before it starts"
    return Date(parts), ""


def _month(text: str) -> tuple[int | None, int | None, int | None, str]:
    """(month, day, season, why not) of a ``month`` field: a number, a month macro or name,
    ``jan # "~15"`` (BibTeX's way to add a day), or a season word."""
    value = re.sub(r'[#"{}~]', " ", text).strip()
    if INTEGER.fullmatch(value):
        number, why = whole_number(value, 2)
        if not why and not 1 <= number <= 12:
            why = f"month {number} is not 1-12"
        return (None, None, None, why) if why else (number, None, None, "")
    if value.lower() in MONTH_MACROS:
        return MONTH_MACROS.index(value.lower()) + 1, None, None, ""
    parsed = parse_date(value)
    if parsed.kind == "partial" and not parsed.leftover and (parsed.month or not parsed.day):
        return parsed.month, parsed.day, parsed.season if not parsed.month else None, ""
    return None, None, None, "not a month"


def held(var: str, date: Date, biblatex: bool) -> Date | None:
    """What the date fields of a BibTeX (``year``/``month``/``date``, ``urldate``) or
    BibLaTeX (EDTF ``date``, ``urldate``...) entry hold of ``date``; None when no field
    holds any of it (a literal; ``eventdate`` in BibTeX).

    EDTF has a season only on a single year (biblatex manual §2.3.8), and classic ``year``/
    ``month`` no range with months: a range across years is ``year = {1999--2000}``, one
    within a year its year, one within a month its year and month. The writer puts the
    whole date in the note when this is less (``refconv.notes``); the reader checks a note
    date against it.

    An open-ended range (``Date.open_end``) is EDTF ``2018-02/`` in a date field; classic
    ``year``/``month`` hold its start only.
    """
    if not date.parts or DATE_FIELDS.get(var, (None, None))[biblatex] is None:
        return None
    single_year = len(date.parts) == 1 and len(date.parts[0]) == 1
    edtf = Date(
        date.parts,
        season=date.season if single_year else None,
        circa=date.circa,
        open_end=date.open_end,
    )
    if date.open_end and not biblatex and var == "issued":
        return Date(date.parts, season=edtf.season, circa=date.circa)
    if biblatex or var != "issued" or len(date.parts) == 1:
        return edtf
    if all(len(p) == 1 for p in date.parts):
        return edtf
    first, last = date.parts
    if first > last:  # backwards: "1851--1850" would read back as no year at all
        return None
    if first[0] != last[0]:
        return Date(((first[0],), (last[0],)))
    return Date((first[:2],) if first[:2] == last[:2] else ((first[0],),))


def reductions(var: str, date: Date) -> tuple[Date, ...]:
    """What either dialect's writer puts in its date fields for ``date`` when they hold
    less than it (``refconv.notes.Reduce``): the reader does not know which one wrote."""
    forms = (held(var, date, biblatex=False), held(var, date, biblatex=True))
    return tuple(
        f for i, f in enumerate(forms) if f is not None and f != date and f not in forms[:i]
    )


def _agrees(ymd: Date, date: Date) -> bool:
    """True when year/month/day say no more than ``date`` does (the writer gives both)."""
    if not ymd.parts or not date.parts or len(ymd.parts) != len(date.parts):
        return False
    return all(full[: len(part)] == part for part, full in zip(ymd.parts, date.parts, strict=True))
