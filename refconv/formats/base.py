"""The plugin interface: Reader and Writer bases, and the reader rules every format shares.

``ReadRules`` is the loss policy of STYLE.md §4b written once: a value is placed in its field
or kept (CSL ``custom``, under the input field or tag it came from) with one warning naming
file:line and the field; the second value for a variable that is set already is kept that
way; unknown types, repeated tags, records without a title and text outside records get the
same message from every reader.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, TextIO

from refconv.diagnostics import Diagnostics
from refconv.model import Date, Record
from refconv.notes import note_label
from refconv.values.dates import ParsedDate
from refconv.values.text import bom_message, strip_bom

if TYPE_CHECKING:
    from refconv.codes import Code


class Warn(Protocol):
    """A plain warning callback, ``warn(message, path, line, code=...)`` (``Diagnostics.warn``)."""

    def __call__(
        self, message: str, path: str | None = None, line: int | None = None, *, code: Code
    ) -> None: ...


def shown(text: str) -> str:
    """A value for a one-line message: quoted, escapes visible, at most 60 characters."""
    return repr(short(text))


def short(text: str) -> str:
    """``text`` cut to 60 characters (57 and "..."), as messages quote values and keys."""
    return text if len(text) <= 60 else text[:57] + "..."


def date_trouble(parsed: ParsedDate) -> str:
    """Why a date value is not placed as a date, in the words every reader uses."""
    if parsed.problem:
        return parsed.problem
    if parsed.kind == "none":
        return "says there is no date"
    if parsed.leftover:
        return f"{shown(parsed.leftover)} is not part of a date"
    return "not a date refconv can read"


def silent(message: str, path: str | None = None, line: int | None = None, *, code: Code) -> None:
    """A ``Warn`` that drops what it hears: the warnings of a writer's trial read."""


def kept_again(
    kept_under: Callable[[list[tuple[str, str]]], list[str]],
    lines: list[tuple[str, str]],
    tag: str,
    value: str,
) -> bool:
    """True when a format's reader, given the line ``tag value`` after ``lines``, keeps
    ``value`` under the extra ``tag`` again; ``kept_under(lines)`` is what that reader keeps
    under ``tag`` reading ``lines``. How a line writer asks its own reader whether a kept tag
    may be written back as that tag (or would fill a field), so the two cannot disagree."""
    before = kept_under(lines)
    return kept_under([*lines, (tag, value)]) == [*before, value]


class ReadRules:
    """The shared rules of one input: place-or-keep, and the messages of every reader.

    ``sink`` is the run's ``Diagnostics`` (kept values are counted for --report and fail
    under --strict) or, from the Python API, a bare warning callback.
    """

    def __init__(self, sink: Diagnostics | Warn, path: str):
        self.path = path
        if isinstance(sink, Diagnostics):
            self.diagnostics: Diagnostics | None = sink
            self._warn: Warn = sink.warn
        else:
            self.diagnostics, self._warn = None, sink

    def unmark(self, line: str, lineno: int, is_tag: Callable[[str], object]) -> str:
        """``line`` without the byte-order marks it starts with, when a tag line follows them
        (``is_tag``); else ``line`` itself. A U+FEFF that starts the input is its encoding's
        mark, dropped silently as ``io`` does; any other one, or a mis-decoded form, tells of a
        file joined on (``cat``) or decoded with the wrong code page: a warning (refer-format.md
        §1.7, the rule of every tagged reader)."""
        bare, marked = strip_bom(line)
        if not marked or not is_tag(bare):
            return line
        mark = line[: len(line) - len(bare)]
        if lineno > 1 or mark.lstrip("\ufeff"):
            self.warn(bom_message(mark), lineno, code="byte-order-mark")
        return bare

    def warn(self, message: str, line: int | None, *, code: Code = "other") -> None:
        """A warning at ``line`` of this input."""
        self._warn(message, self.path, line, code=code)

    def keep(
        self,
        record: Record,
        key: str,
        value: str,
        why: str,
        line: int | None,
        *,
        code: Code = "other",
    ) -> None:
        """Keep ``value`` in the record's extra (CSL ``custom``) under ``key``, the input
        field or tag, with one warning ``key 'value': why; kept in custom``."""
        message = f"{key} {shown(value)}: {why}; kept in custom"
        self.kept(record, key, value, message, line, code=code)

    def kept(
        self,
        record: Record,
        key: str,
        value: str,
        message: str,
        line: int | None,
        *,
        code: Code = "other",
    ) -> None:
        """Keep ``value`` under ``key`` with the warning ``message`` (counted for --report)."""
        record.add_extra(key, value)
        if self.diagnostics is not None:
            self.diagnostics.kept(key, message, self.path, line, code=code)
        else:
            self._warn(message, self.path, line, code=code)

    def place(self, record: Record, var: str, value: str, key: str, line: int | None) -> bool:
        """Put ``value`` in the text field ``var``; if ``var`` holds another value already
        (an earlier input field mapped to it), keep this one under ``key`` with a warning.
        True when placed (a repeat of the same value counts as placed: nothing is lost)."""
        fields = record.fields
        if var not in fields:
            fields[var] = value
            return True
        if fields[var] == value:
            return True
        self.set_already(record, key, value, var, line)
        return False

    def set_already(self, record: Record, key: str, value: str, var: str, line: int | None) -> None:
        """Keep ``value`` of the input field ``key``, the second value for ``var``, which an
        earlier field set: ``key 'value': var is set already; kept in custom``."""
        self.keep(record, key, value, f"{var} is set already", line, code="set-already")

    def unknown_type(
        self, record: Record, key: str, value: str, what: str, fallback: str, line: int | None
    ) -> None:
        """An input type with no mapping (``what``: "RIS type"): read as ``fallback``, the
        type kept under ``key``."""
        message = f"unknown {what} {shown(value)}; read as {fallback} (kept in custom)"
        self.kept(record, key, value, message, line, code="unknown-type")

    def unknown_field(
        self, record: Record, key: str, value: str, what: str, line: int | None
    ) -> None:
        """A tag or key (``what``: "tag") the format does not define: kept under its name."""
        self.kept(record, key, value, f"unknown {what} {short(key)}; kept in custom", line,
                  code="unknown-field")  # fmt: skip

    def no_type(self, what: str, fallback: str, line: int | None) -> None:
        """A record that gives no type at all (``what``: "CSL type"): read as ``fallback``."""
        self.warn(f"record has no {what}; read as {fallback}", line, code="no-type")

    def repeated(self, record: Record, key: str, value: str, line: int | None) -> None:
        """A second value for a field that takes one: the first is used, this one kept."""
        message = f"repeated {key}; the first value is used, this one is kept in custom"
        self.kept(record, key, value, message, line, code="repeated-field")

    def literal_date(self, key: str, text: str, why: str, line: int | None) -> Date:
        """A date value that is no date ("MMXX", "n.d."), as the literal date of its record,
        with a warning; every reader does this when no other field gives the date.

        "n.d." (and the other words of ``NO_DATE_WORDS``) is kept so, as written, like any
        text that is no date: it round-trips through every format, and CSL styles print a
        literal date as it is. ``why`` is ``date_trouble`` of the parse, or the format's own
        reason.
        """
        self.warn(f"{key} {shown(text)}: {why}; kept as literal text", line, code="invalid-date")
        return Date(literal=" ".join(text.split()))

    def no_title(self, record: Record) -> None:
        """The warning for a record without a title (at the record's first line)."""
        if "title" not in record.fields:
            self.warn("record has no title", record.source.line, code="no-title")

    def junk(self, count: int, line: int) -> None:
        """Text outside any record (a database banner): skipped, with one warning."""
        if count:
            what = "1 line" if count == 1 else f"{count} lines"
            self.warn(f"skipped {what} of text outside any record", line, code="stray-text")

    def no_records(self, hint: str) -> None:
        """The warning for an input without a single record; ``hint`` says what one is."""
        self.warn(f"no records found ({hint})", 1, code="no-records")


class Reader:
    """Base class of reader plugins: text lines in, ``Record`` objects out, one at a time.

    A plugin declares ``name``, ``aliases``, ``suffixes`` and a one-line ``description``, and
    takes its options as keyword arguments (unknown options are ignored, so one CLI can pass
    the same option set to every plugin).
    """

    name: ClassVar[str] = ""
    aliases: ClassVar[tuple[str, ...]] = ()
    suffixes: ClassVar[tuple[str, ...]] = ()
    description: ClassVar[str] = ""
    #: Where a part of a big input may start (``convert -j N``, ``refconv.parallel``): a
    #: bytes pattern whose match ends at the first byte of a record such that reading from
    #: there gives exactly the records and messages a whole read gives from there on (no
    #: open record, no state carried over). None: the input is read by one process.
    part_start: ClassVar[re.Pattern[bytes] | None] = None
    #: True for an XML format: the encoding its declaration names is used (unless
    #: ``--encoding`` says otherwise); a BOM and the UTF-8 default decide otherwise.
    xml: ClassVar[bool] = False

    def __init__(self, *, diagnostics: Diagnostics | None = None, **options: Any):
        self.diagnostics = diagnostics or Diagnostics()
        self.options = options
        #: the number of the first line ``read`` is given (a part of a big input starts
        #: further on); readers with a ``part_start`` count from it
        self.first_line = 1

    @classmethod
    def sniff(cls, head: str) -> bool:
        """Return True if ``head`` (the first few KB of an input) looks like this format."""
        return False

    def read(self, lines: Iterable[str], path: str) -> Iterator[Record]:
        """Yield the records of ``lines`` (text without line ends); ``path`` names the input."""
        raise NotImplementedError


class BlankReader(Reader):
    """The reader of an input of white space only whose format nothing tells: no records,
    and the warning any reader gives an empty input. Not registered: ``pipeline.choose_reader``
    gives it."""

    name = "blank"
    description = "an input of white space only"

    def read(self, lines: Iterable[str], path: str) -> Iterator[Record]:
        """No records; one warning."""
        ReadRules(self.diagnostics, path).no_records("the input is empty")
        yield from ()


class Writer:
    """Base class of writer plugins: records in, text out, as prologue → records → epilogue.

    Each record is formatted into one complete string before a single ``out.write``, so a
    failure never leaves half a record. ``needs_all`` is True only for writers that must see
    every record before writing (formatted bibliographies sort and disambiguate).
    """

    name: ClassVar[str] = ""
    aliases: ClassVar[tuple[str, ...]] = ()
    suffixes: ClassVar[tuple[str, ...]] = ()
    description: ClassVar[str] = ""
    needs_all: ClassVar[bool] = False
    #: The suffix of batch outputs (``--out-dir``) when it is not the first of ``suffixes``.
    out_suffix: ClassVar[str] = ""
    #: The framing of the output (``convert -j N``, ``refconv.parallel``): (prologue,
    #: separator, epilogue, empty) such that ``write`` gives the prologue, its records' texts
    #: joined by the separator and the epilogue, or ``empty`` for no records; a record's text
    #: depends on no other record but through ``references``. None: one process writes.
    frame: ClassVar[tuple[str, str, str, str] | None] = None
    #: True when the format carries CSL's name attributes (``comma-suffix``,
    #: ``static-ordering``, ``parse-names``); other writers report each one they drop.
    name_attributes: ClassVar[bool] = False

    @classmethod
    def output_suffix(cls) -> str:
        """The suffix ``--out-dir`` gives this writer's files."""
        return cls.out_suffix or (cls.suffixes[0] if cls.suffixes else f".{cls.name}")

    def __init__(self, *, diagnostics: Diagnostics | None = None, **options: Any):
        self.diagnostics = diagnostics or Diagnostics()
        self.options = options

    def write(self, records: Iterable[Record], out: TextIO) -> None:
        """Write ``records`` to ``out``."""
        raise NotImplementedError

    def references(self, record: Record) -> Iterable[str]:
        """The keys (folded to lower case) whose records ``record``'s text depends on having
        been written before it (a BibTeX ``crossref``); the writer is told which of them
        earlier parts of the input wrote in ``earlier_keys``."""
        return ()

    #: the keys among ``references`` that records before the first one given to ``write``
    #: had (set by ``refconv.parallel`` for each part of a big input)
    earlier_keys: frozenset[str] = frozenset()

    def account(
        self,
        record: Record,
        moved: Iterable[str],
        where: str,
        written_as: str,
        reads_back_as: str | None,
    ) -> None:
        """Tell the diagnostics (for --report and --strict) what this record lost its own
        field for: the keys kept in ``where`` (the note field), and its type when the type
        written (``written_as``) reads back as another CSL type."""
        for key in moved:
            self.diagnostics.unplaced(
                note_label(key), where, self.name, record.source.path, record.source.line
            )
        if reads_back_as != record.type:
            self.diagnostics.changed_type(f"{record.type} -> {written_as}")
        if not self.name_attributes:
            for message in dropped_name_attributes(record, self.name):
                self.diagnostics.warn(
                    message, record.source.path, record.source.line, code="name-attribute-dropped"
                )


def dropped_name_attributes(record: Record, target: str) -> Iterator[str]:
    """One warning per CSL name attribute of ``record`` that ``target`` has no place for."""
    for role, people in record.names.items():
        for person in people:
            given = {
                "comma-suffix": person.comma_suffix,
                "static-ordering": person.static_ordering,
                "parse-names": person.parse_names is not None,
            }
            for attr in (a for a, present in given.items() if present):
                who = person.literal or person.family or person.given
                yield f"{role} {shown(who)}: {attr} has no place in {target}; dropped"
