"""``refconv check``: the problems of records that still convert, reported as a lint would.

The readers already warn about what they could not read (unknown types and tags, dates they
could not parse, encodings); this module adds what only a whole record or a whole file shows:
no title or year, a DOI, ISBN or ISSN that cannot be right, the same DOI or key twice, and text
that looks damaged (replacement characters, control characters, HTML entities; mojibake is
reported while reading, by ``refconv.transforms.textfix``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TextIO

from refconv.diagnostics import Diagnostics, format_location, render
from refconv.model import Record
from refconv.transforms.dedupe import doi_identity, key_identity
from refconv.transforms.textfix import excerpt
from refconv.values.identifiers import is_valid_isbn, is_valid_issn

if TYPE_CHECKING:
    from refconv.codes import Code

_DOI = re.compile(r"10\.[0-9]{4,9}/[^\s\"<>]+")
_SERIAL = re.compile(r"[0-9][0-9Xx-]{6,}[0-9Xx]")

#: Damaged text: pattern → its code and what it means. Each is reported once per field.
SUSPICIOUS_TEXT: tuple[tuple[re.Pattern[str], Code, str], ...] = (
    (
        re.compile("\ufffd"),
        "replacement-character",
        "holds U+FFFD replacement characters (text lost in decoding)",
    ),
    (
        re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"),
        "control-character",
        "holds control characters",
    ),
    (
        re.compile(r"&(?:amp|lt|gt|quot|apos|nbsp|#[0-9]+|#x[0-9a-fA-F]+);"),
        "html-entity",
        "holds HTML entities (&amp;, &#8211;, ...)",
    ),
)


def record_problems(record: Record) -> Iterator[tuple[Code, str]]:
    """The problems one record shows on its own: (code, message) of each diagnostic."""
    fields = record.fields
    if not fields.get("title"):
        yield "no-title", "record has no title"
    if "issued" not in record.dates and "status" not in fields:
        yield "no-year", "record has no year"
    for var, date in record.dates.items():
        if date.year is not None and date.year > 2100:
            yield "future-year", f"{var} year {date.year} is in the far future (a typo?)"
    doi = fields.get("DOI")
    if doi is not None and not _DOI.fullmatch(doi):
        yield "invalid-doi", f"DOI {doi!r} is not a DOI (10.NNNN/suffix)"
    serials: tuple[tuple[str, Code, Callable[[str], bool]], ...] = (
        ("ISBN", "invalid-isbn", is_valid_isbn),
        ("ISSN", "invalid-issn", is_valid_issn),
    )
    for var, code, valid in serials:
        for number in _SERIAL.findall(fields.get(var, "")):
            if not valid(number):
                yield code, f"{var} {number} has a wrong check digit or length"
    for var, text in _texts(record):
        for pattern, code, meaning in SUSPICIOUS_TEXT:
            found = pattern.search(text)
            if found:
                yield code, f"{var} {meaning}: {excerpt(text, found.start())!r}"


def _texts(record: Record) -> Iterator[tuple[str, str]]:
    yield from record.fields.items()
    for role, people in record.names.items():
        for person in people:
            yield role, " ".join(filter(None, (person.given, person.family, person.literal)))
    for keyword in record.keywords:
        yield "keyword", keyword


@dataclass
class _Seen:
    """First places of the DOIs and keys met so far, for the duplicate check: compared as
    ``convert --dedupe doi|key`` compares them (``doi_identity``, ``key_identity``: a DOI's
    case and doi.org prefix, a key's case do not count)."""

    dois: dict[str, str] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)

    def duplicates(self, record: Record) -> Iterator[tuple[Code, str]]:
        here = format_location(record.source.path, record.source.line)
        doi = doi_identity(record)
        if doi is not None:
            first = self.dois.setdefault(doi, here)
            if first != here:
                message = f"duplicate DOI {record.fields['DOI']}: same as the record at {first}"
                yield "duplicate-doi", message
        key = key_identity(record)
        if key is not None:
            first = self.keys.setdefault(key, here)
            if first != here:
                yield (
                    "duplicate-key",
                    (
                        f"duplicate key {record.fields['citation-key']!r}: first used by the "
                        f"record at {first}"
                    ),
                )


class CheckDiagnostics(Diagnostics):
    """Diagnostics that remember what the readers said since the last record, so ``check``
    does not say it again, and hold every message until ``flush`` prints them sorted by
    input (in the order of ``inputs``) and line: a reader reports text after a record when
    it meets the next one, a duplicate when it meets the second record."""

    def __init__(
        self,
        *,
        strict: bool = False,
        quiet: bool = False,
        stream: TextIO | None = None,
        inputs: Iterable[str] = (),
        form: str = "text",
    ) -> None:
        super().__init__(strict=strict, quiet=quiet, stream=stream, form=form)
        self.recent: set[str] = set()
        self.order = {name: n for n, name in enumerate(inputs)}
        self.held: list[tuple[int, int, int, str, str, str, str | None, int | None]] = []

    def warn(
        self,
        message: str,
        path: str | None = None,
        line: int | None = None,
        *,
        code: Code = "other",
    ) -> None:
        self.recent.add(message)
        super().warn(message, path, line, code=code)

    def emit(self, level: str, code: str, message: str, path: str | None, line: int | None) -> None:
        """Hold the message (see ``flush``)."""
        where = self.order.get(path or "", len(self.order))
        self.held.append((where, line or 0, len(self.held), level, code, message, path, line))

    def flush(self) -> None:
        """Print the held messages, by input and line (in arrival order on one line)."""
        for _, _, _, level, code, message, path, line in sorted(self.held):
            super().emit(level, code, message, path, line)
        self.held = []

    def check_summary(self, records: int, *, stopped: bool = False) -> None:
        """Print the summary: ``check: N problems in M records`` and the problems by code,
        most frequent first (``: 2 no-year, 1 invalid-doi``), then ``, then stopped by the
        error above`` when an error ended the check; with ``form`` "json" one object (level
        "summary", code "check") with ``records``, ``problems``, ``codes`` (code → count) and
        ``stopped`` as data."""
        problems = self.count + self.errors
        codes = sorted(self.by_code.items(), key=lambda item: (-item[1], item[0]))
        plural = ("" if problems == 1 else "s", "" if records == 1 else "s")
        text = f"check: {problems} problem{plural[0]} in {records} record{plural[1]}"
        if codes:
            text += ": " + ", ".join(f"{n} {code}" for code, n in codes)
        if stopped:
            text += ", then stopped by the error above"
        if self.form != "json":
            self.show(text)
            return
        data = {"records": records, "problems": problems, "codes": dict(codes),
                "stopped": stopped}  # fmt: skip
        self.show(render("json", "summary", "check", text, None, None, data))


def check(records: Iterable[Record], diagnostics: CheckDiagnostics) -> tuple[int, int]:
    """Report the problems of ``records`` as warnings; return (records, problems found).

    The count of problems includes what the readers reported while reading.
    """
    seen = _Seen()
    count = 0
    for record in records:
        count += 1
        said, diagnostics.recent = diagnostics.recent, set()
        for code, message in (*record_problems(record), *seen.duplicates(record)):
            if message not in said:
                diagnostics.warn(message, record.source.path, record.source.line, code=code)
        diagnostics.recent = set()
    return count, diagnostics.count + diagnostics.errors
