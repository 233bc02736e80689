"""The common record model: CSL vocabulary, plain dataclasses, no parsing and no I/O.

Every reader maps into this model and every writer maps out of it. The vocabulary is CSL's
(item types and variable names), because CSL-JSON is what citeproc consumes and is the richest
common schema. Data with no CSL variable is kept in ``Record.extra`` under its source tag, so a
writer can still place it (CSL ``custom``, a BibTeX note, an RIS ``N1``) and nothing is lost.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

#: CSL 1.0.2 item types.
CSL_TYPES = frozenset(
    {
        "article", "article-journal", "article-magazine", "article-newspaper", "bill", "book",
        "broadcast", "chapter", "classic", "collection", "dataset", "document", "entry",
        "entry-dictionary", "entry-encyclopedia", "event", "figure", "graphic", "hearing",
        "interview", "legal_case", "legislation", "manuscript", "map", "motion_picture",
        "musical_score", "pamphlet", "paper-conference", "patent", "performance", "periodical",
        "personal_communication", "post", "post-weblog", "regulation", "report", "review",
        "review-book", "software", "song", "speech", "standard", "thesis", "treaty", "webpage",
    }
)  # fmt: skip

#: CSL name variables (each holds a list of ``Name``).
NAME_VARIABLES = (
    "author", "editor", "translator", "collection-editor", "container-author", "composer",
    "director", "producer", "performer", "recipient", "interviewer", "illustrator",
    "original-author", "reviewed-author", "editorial-director", "chair", "compiler",
    "contributor", "curator", "executive-producer", "guest", "host", "narrator", "organizer",
    "script-writer", "series-creator",
)  # fmt: skip

#: CSL date variables (each holds one ``Date``).
DATE_VARIABLES = (
    "issued", "original-date", "event-date", "available-date", "submitted", "accessed",
)  # fmt: skip

#: CSL standard (text and number) variables, in the order writers emit them.
TEXT_VARIABLES = (
    "citation-key", "title", "title-short", "original-title", "reviewed-title",
    "container-title", "container-title-short", "collection-title", "collection-number",
    "volume-title", "event-title", "event-place", "publisher", "publisher-place",
    "original-publisher", "original-publisher-place", "authority", "jurisdiction", "division",
    "edition", "version", "volume", "number-of-volumes", "issue", "number", "chapter-number",
    "part", "supplement", "section", "page", "page-first", "number-of-pages", "locator",
    "genre", "medium", "status", "dimensions", "scale", "language", "DOI", "ISBN", "ISSN",
    "PMID", "PMCID", "URL", "call-number", "archive", "archive_collection",
    "archive_location", "archive-place", "source", "references", "printing",
    "abstract", "annote", "note", "keyword",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class SourcePos:
    """Where a record (or value) came from: a path (``<stdin>`` for standard input) and a line."""

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(slots=True)
class Name:
    """One person, or one organisation as a ``literal``; CSL's split of a name.

    ``particle`` is CSL's non-dropping particle ("van der" in "van der Berg"), which is sorted
    with the family name in most styles; ``dropping_particle`` is the one that is not.
    """

    family: str = ""
    given: str = ""
    particle: str = ""
    dropping_particle: str = ""
    suffix: str = ""
    literal: str = ""
    #: CSL's name attributes (CSL-JSON schema ``name-variable``), data only: a comma before
    #: the suffix ("Smith, Jr."), the name always in its written order, and ``parse-names``
    #: (None: not given; citeproc-js then parses particles out of family and given).
    comma_suffix: bool = field(default=False, repr=False)
    static_ordering: bool = field(default=False, repr=False)
    parse_names: bool | None = field(default=None, repr=False)

    def __repr__(self) -> str:
        """The text parts always, the attributes only when set (most names have none)."""
        shown = [f"{f.name}={getattr(self, f.name)!r}" for f in fields(self) if f.repr]
        shown += [
            f"{name}={value!r}"
            for name, value, unset in (
                ("comma_suffix", self.comma_suffix, False),
                ("static_ordering", self.static_ordering, False),
                ("parse_names", self.parse_names, None),
            )
            if value is not unset
        ]
        return f"Name({', '.join(shown)})"

    @property
    def is_literal(self) -> bool:
        """True for an organisation or any name that must never be split."""
        return bool(self.literal)


#: The years a date may have: CSL counts years before year 1 as negative (no year 0), and
#: every output format writes at most four digits (ISO 8601 / EDTF without extension).
YEAR_RANGE = range(-9999, 10000)


def date_problem(parts: tuple[tuple[int, ...], ...]) -> str:
    """Why CSL date-parts are no calendar date ("month 13 is not 1-12"), or "" when they are.

    Every writer may take the numbers of a ``Date`` as they are (``f"{p:04d}"``, month names,
    ``datetime``), so readers keep anything this rejects as literal text instead.
    """
    if not parts or len(parts) > 2:
        return "a date has one or two (range) parts"
    for part in parts:
        if not 1 <= len(part) <= 3 or any(type(n) is not int for n in part):
            return "a date part is year, month and day as whole numbers"
        year = part[0]
        if year == 0:
            return "there is no year 0; CSL counts 1 BC as -1"
        if year not in YEAR_RANGE:
            return f"year {_short(year)} is out of range (-9999 to 9999)"
        if len(part) > 1 and not 1 <= part[1] <= 12:
            return f"month {_short(part[1])} is not 1-12"
        if len(part) > 2 and not 1 <= part[2] <= days_in_month(year, part[1]):
            return f"day {_short(part[2])} is not in month {part[1]} of {year}"
    return ""


def days_in_month(year: int, month: int) -> int:
    """Days in a month of the proleptic Gregorian calendar; CSL's year -1 is 1 BC, a leap year
    (astronomical year 0)."""
    if month == 2:
        year = year + 1 if year < 0 else year  # (no ``calendar``: it loads datetime, locale)
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _short(number: object) -> str:
    """A number for a message; Python refuses ``str()`` of an int over 4300 digits."""
    if isinstance(number, int) and number.bit_length() >= 200:
        return f"of {number.bit_length()} bits"
    return str(number)


@dataclass(slots=True)
class Date:
    """A date as CSL date-parts: one (year, month, day) tuple, or two for a range.

    Month and day are optional (a tuple may hold only the year). ``season`` is 1-4 (spring,
    summer, autumn, winter). A value that could not be parsed is kept whole in ``literal``.

    ``open_end`` marks an open-ended range, "2018–": it starts at ``parts[0]`` (the only
    part) and has no end. Its sources are citeproc-js's end of zeros, CSL-JSON date-parts
    ``[[2018, 2], [0, 0]]`` (the end as long as the start: citeproc-js rejects a shorter one),
    and EDTF level 1 ``2018/..`` and ``2018/`` as biblatex reads them (biblatex manual
    §2.3.8). A writer that does not know it still finds the start date in ``parts``. A range
    open at its start ("../2018") has no such field: citeproc-js prints no date at all for
    ``[[0], [2018]]``, so the readers keep its known end and the text (STYLE.md §4b).

    ``parts`` always make a calendar date (``date_problem``) and ``season`` is 1-4, so a
    writer never fails on one: the readers turn other numbers into a literal with a warning,
    and a ``Date`` built with them anyway (the Python API) becomes that literal here, as
    does an ``open_end`` on two parts ("2018/2019/.."); ``open_end`` on a literal is unset
    (the text says what it says).
    """

    parts: tuple[tuple[int, ...], ...] = ()
    season: int | None = None
    circa: bool = False
    literal: str = ""
    open_end: bool = False

    def __post_init__(self) -> None:
        if self.parts and date_problem(self.parts):
            text = "/".join("-".join(_short(n) for n in part) for part in self.parts)
            self.literal, self.parts = self.literal or text + ("/.." if self.open_end else ""), ()
        if self.open_end and len(self.parts) > 1:
            text = "/".join("-".join(str(n) for n in part) for part in self.parts)
            self.literal, self.parts = self.literal or f"{text}/..", ()
        if self.season is not None and self.season not in (1, 2, 3, 4):
            if self.parts:
                text = "/".join("-".join(str(n) for n in part) for part in self.parts)
                text += "/.." if self.open_end else ""
                self.literal, self.parts = f"{text} (season {_short(self.season)})", ()
            self.season = None
        if not self.parts:
            self.open_end = False

    @property
    def year(self) -> int | None:
        """The first year, or None for a literal date."""
        return self.parts[0][0] if self.parts else None


@dataclass(slots=True)
class Record:
    """One bibliographic record in CSL terms.

    ``fields`` maps CSL text variables to strings; ``names`` maps CSL name variables (roles) to
    people in order; ``dates`` maps CSL date variables to dates; ``keywords`` is a list because
    every output format but CSL keeps keywords separate; ``extra`` keeps, under their source tag
    (e.g. ``%H``), the values that have no CSL variable. ``id`` is the citation key, assigned by
    ``refconv.keys`` when the record is written.
    """

    type: str = "document"
    fields: dict[str, str] = field(default_factory=dict)
    names: dict[str, list[Name]] = field(default_factory=dict)
    dates: dict[str, Date] = field(default_factory=dict)
    keywords: list[str] = field(default_factory=list)
    extra: dict[str, list[str]] = field(default_factory=dict)
    source: SourcePos = field(default_factory=lambda: SourcePos("<unknown>", 0))
    id: str = ""

    def add_extra(self, key: str, value: str) -> None:
        """Keep a value that has no CSL variable under its source key."""
        self.extra.setdefault(key, []).append(value)

    def derivable(self, var: str) -> bool:
        """True for a field a format without that variable need not carry: it follows from
        another (``page-first`` is the start of ``page``)."""
        if var == "page-first":
            page = self.fields.get("page", "")
            return page.split("-")[0].split("\u2013")[0].strip() == self.fields[var]
        return False
