"""Parsing the free-text dates of Refer/EndNote (refer-format.md §5.2) into CSL date parts.

Regular expressions here are anchored and free of nested quantifiers, so a long value cannot
make them backtrack; anything they do not match is scanned token by token (groff's rule: the
first 3-4 digit number is the year, the first month word the month, a 1-2 digit number the day).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from refconv.model import YEAR_RANGE, Date, date_problem, days_in_month
from refconv.values.vocabulary import NO_DATE_WORDS, STATUS_WORDS

__all__ = [
    "NO_YEAR", "YEAR_RANGE", "date_problem", "days_in_month", "format_date", "parse_date",
    "year_text",
]  # fmt: skip

MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip
#: Why a month or season alone ("partial") is no date: every reader's words for it.
NO_YEAR = "a month or season with no year to go with"
SEASONS = {"spring": 1, "summer": 2, "autumn": 3, "fall": 3, "winter": 4}

_YEAR = re.compile(r"-?\d{4}", re.ASCII)  # "-0044": 44 BC (CSL), as ``year_text`` writes it
# RIS dates are "YYYY/MM/DD/other info": the fourth part is text the parse leaves over.
_YMD = re.compile(r"(-?\d{4})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?(?:/([^/]*))?/?", re.ASCII)
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})", re.ASCII)
_RANGE = re.compile(r"(\d{4})\s*[-–—/_]\s*(\d{2,4})", re.ASCII)
_SIGNED_RANGE = re.compile(r"(-?\d{4})/(-?\d{4})", re.ASCII)  # how years BC are written
# A range with months or days, as ``format_date`` writes it: "1999/12 - 2000/01".
_YMD_PART = r"(-?\d{4})(?:/(\d{2})(?:/(\d{2}))?)?"
_YMD_RANGE = re.compile(_YMD_PART + r" - " + _YMD_PART, re.ASCII)
# An open-ended range, "2018-", "2018/02-" (``format_date``), "1985 –": the catalogue form of
# a date still running (ISBD and AACR2 for continuing resources), read as ``Date.open_end``.
_OPEN_END = re.compile(_YMD_PART + r" ?[-–—]", re.ASCII)
# NLM's ranges of months or days after the year (MEDLINE ``DP``, PubMed ``MedlineDate``):
# "2011 Dec-2012 Jan", "2012 Mar-Apr", "2012 Jan 5-12", "2012 Mar 15-Apr 2". The scan reads
# only their start (and would take "2012 Mar-2013 Apr" for March to April 2012).
_NLM_RANGE = re.compile(
    r"(\d{4}) ([A-Za-z]{3,9})\.?(?: (\d{1,2}))?"
    r" ?- ?(?:(\d{4}) )?(?:([A-Za-z]{3,9})\.? ?)?(\d{1,2})?",
    re.ASCII,
)
# "ca. " and a season in front of a date, as ``format_date`` writes them.
_PREFIX = re.compile(r"(ca\. )?(?:(spring|summer|autumn|winter) )?(.+)", re.IGNORECASE)
_NEGATIVE_YEAR = re.compile(r"(?<![\w-])-\d", re.ASCII)
_TOKEN = re.compile(r"[^\W\d_]+\.?|[0-9]+")  # letters of any script; ASCII digits
_CIRCA = frozenset({"c", "c.", "ca", "ca.", "circa", "approx", "approx."})


@dataclass(frozen=True, slots=True)
class ParsedDate:
    """What a date string turned out to be.

    ``kind`` is "date" (``date`` is set), "partial" (month/day/season without a year, to be
    completed from another tag), "status" ("in press": ``status`` is set), "none" ("n.d.") or
    "literal" (not understood: ``date`` holds the text as a literal).
    """

    kind: str
    date: Date | None = None
    month: int | None = None
    day: int | None = None
    season: int | None = None
    status: str = ""
    #: words and numbers the scan did not use ("zq" and "word" of "zq1987word"): the reader
    #: keeps the whole text when there are any, so nothing is lost to the parse.
    leftover: str = ""
    #: for a "literal" that looked like a date but is none: why ("month 13 is not 1-12").
    problem: str = ""


#: Words a date may carry that say nothing more than the date itself.
_FILLER = frozenset(
    {"of", "the", "on", "at", "in", "st", "nd", "rd", "th", "published", "accessed",
     "retrieved", "cited", "viewed", "updated", "date", "and", "de", "del", "le", "am", "el",
     "copyright"}
)  # fmt: skip


def _month(word: str) -> int | None:
    word = word.rstrip(".").lower()
    if len(word) < 3:
        return None
    if word == "sept":
        return 9
    for number, name in enumerate(MONTHS, 1):
        if name.startswith(word):
            return number
    return None


def _ymd(year: int, month: int | None, day: int | None) -> tuple[int, ...]:
    if month is None or not 1 <= month <= 12:
        return (year,)
    if day is None or not 1 <= day <= days_in_month(year, month):
        return (year, month)
    return (year, month, day)


def parse_date(text: str) -> ParsedDate:
    """Parse a Refer date value ("2012", "2012/03/15", "March 2012", "1996-2004", "in press")
    or an NLM one (MEDLINE ``DP``: "2012 Mar 15", "2012 Spring", "2011 Dec-2012 Jan",
    "2012 Jan 5-12").

    A date whose numbers are out of range ("2021/02/30", "0000", "20201399") is "literal".
    Words and numbers the parse did not use are in ``leftover`` (the readers keep the whole
    text then: the loss policy, STYLE.md §4b). "n.d." and the other ``NO_DATE_WORDS`` are
    "none": every reader keeps such a value as the literal date, as written, when nothing
    else gives the date (so it round-trips, and a style prints it as the user wrote it),
    else in custom, with a warning either way.
    """
    try:
        return _parse(text)
    except _OutOfRange as exc:
        literal = Date(literal=" ".join(text.split()).strip(" ,;"))
        return ParsedDate("literal", literal, problem=str(exc))


class _OutOfRange(ValueError):
    """Numbers that make no calendar date; the message says why."""


def _date(
    parts: tuple[tuple[int, ...], ...],
    season: int | None = None,
    circa: bool = False,
    open_end: bool = False,
) -> Date:
    """A ``Date`` from parsed numbers, checked first (``Date`` itself would turn bad ones
    into a literal of the numbers, not of the text)."""
    if problem := date_problem(parts):
        raise _OutOfRange(problem)
    return Date(parts, season=season, circa=circa, open_end=open_end)


def _parse(text: str) -> ParsedDate:
    value = " ".join(text.split()).strip(" ,;")
    lowered = value.lower()
    if not value or lowered in NO_DATE_WORDS:
        return ParsedDate("none")
    if lowered in STATUS_WORDS:
        return ParsedDate("status", status=value)
    if (m := _PREFIX.fullmatch(value)) and (m[1] or m[2]):
        # "ca. 1999/03", "Spring -0044/-0040": the date after them in one of the forms
        # below; the scan would drop "03" and the sign of a year BC
        inner = _parse(m[3])
        whole = inner.date if inner.kind == "date" and not inner.leftover else None
        if whole and whole.parts and not whole.circa and not (m[2] and whole.season):
            season = SEASONS[m[2].lower()] if m[2] else whole.season
            date = _date(whole.parts, season=season, circa=bool(m[1]), open_end=whole.open_end)
            return ParsedDate("date", date)
    if m := _OPEN_END.fullmatch(value):
        begin = tuple(int(g) for g in m.groups() if g)
        return ParsedDate("date", _date((begin,), open_end=True))
    if _YEAR.fullmatch(value.rstrip("/")):  # "-0044///": RIS's "YYYY/MM/DD/" with a year
        return ParsedDate("date", _date(((int(value.rstrip("/")),),)))
    if m := _YMD_RANGE.fullmatch(value):  # before _YMD, whose "/other info" takes "- 2013"
        first, last = (tuple(int(g) for g in m.groups()[i : i + 3] if g) for i in (0, 3))
        if first <= last:
            return ParsedDate("date", _date((first, last)))
    if m := _YMD.fullmatch(value):  # out of range: literal (parse_date), not a guess
        numbers = (int(m[1]), int(m[2])) + ((int(m[3]),) if m[3] else ())
        if 1 <= numbers[1] <= 12:  # else perhaps a range ("1996-97")
            return ParsedDate("date", _date((numbers,)), leftover=(m[4] or "").strip())
    if m := _COMPACT.fullmatch(value):
        return ParsedDate("date", _date(((int(m[1]), int(m[2]), int(m[3])),)))
    if m := _RANGE.fullmatch(value):
        start, end = m[1], m[2]
        end_year = int(start[: 4 - len(end)] + end)
        if end_year >= int(start):  # equal ends too: a range CSL-JSON may hold, as written
            return ParsedDate("date", _date(((int(start),), (end_year,))))
    if (m := _SIGNED_RANGE.fullmatch(value)) and int(m[2]) >= int(m[1]):
        return ParsedDate("date", _date(((int(m[1]),), (int(m[2]),))))
    if (m := _NLM_RANGE.fullmatch(value)) and (nlm := _nlm_range(m.groups())):
        return ParsedDate("date", _date(nlm))
    if _NEGATIVE_YEAR.search(value):  # the scan would drop the sign: 44 BC is no AD 44
        return ParsedDate("literal", Date(literal=value))
    return _scan(value)


def _nlm_range(groups: tuple[str | None, ...]) -> tuple[tuple[int, ...], ...] | None:
    """The two date-parts of an NLM range (the groups of ``_NLM_RANGE``), or None when the
    text is no such range: a month word that is no month, a day on one side only, an end
    before the start, nothing after the dash or a year alone. The end takes the start's year
    and month where it omits them (NLM's "2012 Jan 5-12" is 5 to 12 January 2012); a day out
    of its month raises ``_OutOfRange`` (the date is kept as literal text)."""
    year, month, day, end_year, end_month, end_day = groups
    first = _month(month or "")
    last = _month(end_month) if end_month else first
    if first is None or last is None or (day is None) != (end_day is None):
        return None
    if not (end_month or end_day) or (end_year and not end_month):
        return None
    start = (int(year or 0), first) + ((int(day),) if day else ())
    end = (int(end_year or year or 0), last) + ((int(end_day),) if end_day else ())
    return (start, end) if start < end else None


def _scan(value: str) -> ParsedDate:
    """groff-style token scan for everything the anchored forms did not match.

    A season goes with a range too ("Winter 1999/2000"): the CSL-JSON schema puts ``season``
    beside ``date-parts`` of one or two dates (csl-data.json, ``date-variable``).
    """
    year = month = day = season = None
    circa = False
    months: list[int] = []
    years: list[int] = []
    unused: list[str] = []
    for token in _TOKEN.findall(value):
        lowered = token.lower()
        if token[0] in "0123456789":  # not str.isdigit: that accepts '²'
            if len(token) in (3, 4):
                years.append(int(token))
            elif len(token) <= 2 and day is None and 1 <= int(token) <= 31:
                day = int(token)
            else:
                unused.append(token)
        elif lowered in _CIRCA:
            circa = True
        elif lowered in SEASONS and season is None:
            season = SEASONS[lowered]
        elif (found := _month(token)) is not None:
            months.append(found)
        elif lowered.rstrip(".") not in _FILLER:
            unused.append(token)
    leftover = " ".join(unused)
    if months:
        month = months[0]
    if not years:
        if month or season:  # one month: "Jan-Feb" keeps its "Feb" as text, said
            leftover = " ".join([*(MONTHS[m - 1] for m in months[1:]), leftover]).strip()
            return ParsedDate("partial", month=month, day=day, season=season, leftover=leftover)
        return ParsedDate("literal", Date(literal=value))
    year = years[0]
    if len(years) > 2 or (len(years) == 2 and (years[1] <= year or months)):
        leftover = " ".join([*map(str, years[1:]), leftover]).strip()
    if len(years) == 2 and years[1] > year and not months:
        if day is not None:  # a range of years has no day: "1850 - 1851/01" keeps its "01"
            leftover = " ".join([str(day), leftover]).strip()
        date = _date(((year,), (years[1],)), season=season, circa=circa)
        return ParsedDate("date", date, leftover=leftover)
    if len(months) > 2 or (len(months) == 2 and months[1] <= months[0]):
        leftover = " ".join([*(MONTHS[m - 1] for m in months[1:]), leftover]).strip()
    if len(months) == 2 and months[1] > months[0]:  # "Jan-Feb 2012"
        if day is not None:  # a range of months has no day: "2012 Mar 15-Apr" keeps its "15"
            leftover = " ".join([str(day), leftover]).strip()
        date = _date(((year, months[0]), (year, months[1])), season=season, circa=circa)
        return ParsedDate("date", date, leftover=leftover)
    parts = _ymd(year, month, day)
    if day is not None and len(parts) < 3:  # a day with no month, or not in that month
        leftover = " ".join([str(day), leftover]).strip()
    date = _date((parts,), season=season, circa=circa)
    return ParsedDate("date", date, leftover=leftover)


def complete_date(date: Date, refinement: ParsedDate) -> Date | None:
    """Refine ``date`` (from %D) with a second value (from %8); None if they disagree.

    A refinement without a year ("Mar 15") takes the year of ``date``; one with the same year
    and more detail replaces it; one with another year is a disagreement.
    """
    if refinement.kind == "partial" and date.parts and len(date.parts) == 1:
        year = date.parts[0][0]
        if refinement.month:
            parts = _ymd(year, refinement.month, refinement.day)
            if refinement.day is not None and len(parts) < 3:  # "Feb 30": no such day
                return None
            return Date((parts,), circa=date.circa, open_end=date.open_end)
        return Date(date.parts, season=refinement.season, circa=date.circa, open_end=date.open_end)
    if refinement.kind == "date" and refinement.date and refinement.date.year == date.year:
        better = refinement.date
        base, other = (better, date) if _detail(better) > _detail(date) else (date, better)
        # what the other says too is kept: "%D ca. 2001" + "%8 June 2001", "%8 Spring 2001"
        season = base.season or (other.season if len(base.parts[0]) == 1 else None)
        circa = base.circa or other.circa
        open_end = base.open_end or (other.open_end and len(base.parts) == 1)
        if (season, circa, open_end) == (base.season, base.circa, base.open_end):
            return base
        return Date(base.parts, season, circa, open_end=open_end)
    return None


def _detail(date: Date) -> int:
    return sum(len(p) for p in date.parts)


_SEASON_NAMES = {1: "Spring", 2: "Summer", 3: "Autumn", 4: "Winter"}


def year_text(year: int) -> str:
    """A year as the line formats write it: four digits at least, so "0050" and "-0044"
    read back as years ("50" would be a day, "-44" nothing)."""
    return f"{year:04d}" if year >= 0 else f"{year:05d}"


def _ymd_text(part: tuple[int, ...]) -> str:
    return "/".join(f"{v:02d}" if i else year_text(v) for i, v in enumerate(part))


def format_date(date: Date) -> str:
    """A date as text that ``parse_date`` reads back exactly: "2012/03/15", "1996-2004",
    "Spring 2012", "ca. 1850", "2018/02-" (an open-ended range, ``Date.open_end``), or the
    literal."""
    if not date.parts:
        return date.literal
    if date_problem(date.parts):  # built by hand (the readers never make one): kept as given
        return "/".join("-".join(str(n) for n in part) for part in date.parts)
    if len(date.parts) == 2 and all(len(p) == 1 for p in date.parts):
        sep = "/" if date.parts[0][0] < 0 else "-"  # "-0044/-0040"
        text = f"{year_text(date.parts[0][0])}{sep}{year_text(date.parts[1][0])}"
    elif (
        len(date.parts) == 2
        and [len(p) for p in date.parts] == [2, 2]
        and (date.parts[0][0] == date.parts[1][0])
        and date.parts[0] != date.parts[1]  # "Jan-Jan 2012" would read as January and text
    ):
        first, last = (MONTHS[p[1] - 1][:3].capitalize() for p in date.parts)
        text = f"{first}-{last} {year_text(date.parts[0][0])}"
    elif len(date.parts) == 2:
        text = " - ".join(_ymd_text(p) for p in date.parts)
    else:
        text = _ymd_text(date.parts[0]) + ("-" if date.open_end else "")
    if date.season in _SEASON_NAMES:
        text = f"{_SEASON_NAMES[date.season]} {text}"
    return f"ca. {text}" if date.circa else text
