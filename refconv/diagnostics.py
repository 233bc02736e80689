"""The one error type and the warning sink; both speak ``file:line: message``, or one JSON
object a line with ``--diagnostics json``, and every diagnostic has a stable code
(``refconv.codes``)."""

from __future__ import annotations

import json
import sys
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from refconv.codes import Code


#: Characters that would break a diagnostic into several lines or garble a terminal
#: (C0/C1 controls, line and paragraph separators), shown as escapes instead.
_UNPRINTABLE = {c: f"\\x{c:02x}" for c in [*range(0x20), *range(0x7F, 0xA0)]}
_UNPRINTABLE.update({0x2028: "\\u2028", 0x2029: "\\u2029"})
#: Bidirectional controls, which reorder what a terminal shows ("Trojan Source",
#: CVE-2021-42574): shown as escapes too.
_UNPRINTABLE.update(
    {
        c: f"\\u{c:04x}"
        for c in (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))
    }
)


def one_line(text: str) -> str:
    """``text`` with control characters escaped: one diagnostic is one line (a file name's
    undecodable bytes as ``\\xNN``, as the JSON form shows them)."""
    return text if text.isprintable() else _no_surrogates(text.translate(_UNPRINTABLE))


def format_location(path: str | None, line: int | None) -> str:
    """Return ``path:line`` (or just ``path``) as editors and make parse it."""
    if path is None:
        return ""
    return f"{path}:{line}" if line else path


def _no_surrogates(text: str) -> str:
    """``text`` with each lone surrogate written as an escape: JSON text must not hold them
    (RFC 8259 §8.2, I-JSON). One from an undecodable byte of a file name (``surrogateescape``,
    U+DC80-U+DCFF) is shown as ``\\xNN``, any other as ``\\uNNNN``."""
    if text.isascii():
        return text
    return "".join(_surrogate_escape(c) if "\ud800" <= c <= "\udfff" else c for c in text)


def _surrogate_escape(c: str) -> str:
    n = ord(c)
    return f"\\x{n - 0xDC00:02x}" if 0xDC80 <= n <= 0xDCFF else f"\\u{n:04x}"


#: The forms of ``--diagnostics``: ``path:line: level: message`` lines, or JSON Lines.
DIAGNOSTIC_FORMATS = ("text", "json")


def render(
    form: str,
    level: str,
    code: str,
    message: str,
    path: str | None,
    line: int | None,
    data: dict[str, Any] | None = None,
) -> str:
    """One diagnostic as one line of text: ``path:line: level: message`` (``form`` "text"),
    or a JSON object with the keys ``path``, ``line`` (null when unknown; lines count from 1),
    ``level`` ("error", "warning", "note", "summary"), ``code`` (``refconv.codes``) and
    ``message``, then those of ``data`` (a summary's counts) (``form`` "json"; ASCII, so no
    character of the data can break the line)."""
    if form == "json":
        fields = {"path": None if path is None else _no_surrogates(path),
                  "line": line or None, "level": level, "code": code,
                  "message": _no_surrogates(message), **(data or {})}  # fmt: skip
        return json.dumps(fields, ensure_ascii=True)
    loc = format_location(path, line)
    return one_line(f"{loc}: {level}: {message}" if loc else f"{level}: {message}")


class RefconvError(Exception):
    """Bad data or an I/O failure, with the place it was found.

    ``str()`` gives ``path:line: message``; the CLI prints it as ``path:line: error: message``
    and exits with status 1. ``code`` is the kind of problem (``refconv.codes``), e.g.
    ``invalid-json`` or ``read-failed``.
    """

    def __init__(
        self,
        message: str,
        path: str | None = None,
        line: int | None = None,
        *,
        code: Code = "other",
    ):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.code: Code = code

    def __str__(self) -> str:
        loc = format_location(self.path, self.line)
        return f"{loc}: {self.message}" if loc else self.message

    def describe(self, form: str = "text") -> str:
        """Return the diagnostic line shown to the user: ``path:line: error: message``, or
        its JSON object (``render``)."""
        return render(form, "error", self.code, self.message, self.path, self.line)


class UnknownFormat(LookupError):
    """No reader fits an input (its suffix and content name none): found while reading, yet
    a usage error (give ``-f``), unlike a ``LookupError`` raised by a bug in data code.
    ``path`` is the input's label; the code of its diagnostic is ``unknown-format``."""

    def __init__(self, message: str, path: str | None = None):
        super().__init__(message)
        self.path = path

    def as_error(self) -> RefconvError:
        """This problem as an error of its input (where one input of several is given up:
        ``--out-dir``, ``check``): ``a.dat: error: cannot tell the format; use -f ...``."""
        message = str(self).replace(f" of {self.path}", "", 1) if self.path else str(self)
        return RefconvError(message, self.path, code="unknown-format")


class Stopped(BaseException):
    """SIGINT, SIGTERM or SIGHUP arrived (see ``refconv.api.handle_stop_signals``).

    A ``BaseException``, like ``KeyboardInterrupt``, so no ``except Exception`` stops it on
    its way out while every ``finally`` removes its temporary files.
    """

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


class Diagnostics:
    """Collects warnings and prints them to a stream (stderr by default).

    With ``strict=True`` the first warning is raised as a ``RefconvError`` instead; with
    ``quiet=True`` warnings are counted but not printed. ``form`` is "text" (``path:line:
    level: message``) or "json" (one JSON object a line, see ``render``). Every message
    carries its ``code``; ``by_code`` counts warnings and errors by it. Passed to readers and
    writers explicitly, so there is no global state.
    """

    def __init__(
        self,
        *,
        strict: bool = False,
        quiet: bool = False,
        stream: TextIO | None = None,
        form: str = "text",
    ):
        self.strict = strict
        self.quiet = quiet
        self.stream = stream
        self.form = form
        self.count = 0
        self.errors = 0
        #: warnings and errors by code (``check`` summarises them so)
        self.by_code: Counter[str] = Counter()
        # For --report: values a writer put in a catch-all field, and types it had to change.
        self.moved: Counter[tuple[str, str]] = Counter()
        self.retyped: Counter[str] = Counter()
        #: For --report: values a reader kept (CSL custom, the note) instead of placing them,
        #: by the input field they came from.
        self.kept_values: Counter[str] = Counter()
        self.records = 0
        #: For --report: records merged into an earlier one (``--dedupe``).
        self.merged = 0
        #: Diagnostics that could not be printed (stderr full or closed): they do not fail
        #: the run, which succeeded; under ``strict`` a warning fails it before printing.
        self.unprinted = 0

    def error(
        self,
        message: str,
        path: str | None = None,
        line: int | None = None,
        *,
        code: Code = "other",
    ) -> None:
        """Report bad data that was skipped (the run goes on, and ends with status 1)."""
        self.errors += 1
        self.by_code[code] += 1
        if self.strict:
            raise RefconvError(message, path, line, code=code)
        self.emit("error", code, message, path, line)

    def warn(
        self,
        message: str,
        path: str | None = None,
        line: int | None = None,
        *,
        code: Code = "other",
    ) -> None:
        """Report a warning at ``path:line``; raise it under ``strict``."""
        self.count += 1
        self.by_code[code] += 1
        if self.strict:
            message = f"{message} (a warning, but --strict is set)"
            raise RefconvError(message, path, line, code=code)
        if self.quiet:
            return
        self.emit("warning", code, message, path, line)

    def note(
        self,
        message: str,
        path: str | None = None,
        line: int | None = None,
        *,
        code: Code = "other",
    ) -> None:
        """Report what refconv did on request (e.g. a --fix-text repair): neither a warning
        nor an error, so ``strict`` lets it pass; ``quiet`` hides it."""
        if not self.quiet:
            self.emit("note", code, message, path, line)

    def emit(self, level: str, code: str, message: str, path: str | None, line: int | None) -> None:
        """Show one diagnostic on the stream (stderr), in this sink's ``form``."""
        self.show(render(self.form, level, code, message, path, line))

    def show(self, text: str) -> None:
        """Print one line on the stream (stderr); a stream that cannot take it is counted."""
        stream = self.stream or sys.stderr
        if stream is None:  # started with fd 2 closed (2>&-); print(file=None) is stdout
            self.unprinted += 1
            return
        try:
            print(text, file=stream)
        except (OSError, ValueError):  # stderr full or closed (2>/dev/full)
            self.unprinted += 1  # the output is still good; under strict the warning raised

    def unplaced(
        self, key: str, where: str, target: str, path: str | None, line: int | None
    ) -> None:
        """Count a value a writer had no field for and kept in ``where`` (its note field).

        ``key`` is the label the note uses (a CSL variable, or a Refer tag's label). Under
        ``strict`` this is an error: the user asked that every value land in a field of its own.
        """
        self.moved[(where, key)] += 1
        if self.strict:
            raise RefconvError(
                f"{key} has no field in {target}; it would go to {where}, which --strict forbids",
                path,
                line,
                code="no-field",
            )

    def kept(
        self, field: str, message: str, path: str | None, line: int | None, *, code: Code = "other"
    ) -> None:
        """Report a value a reader kept (in custom, or in the note) instead of placing it in a
        field: a warning at ``path:line`` (so ``strict`` fails on it), counted for --report
        under ``field``, the input field or tag it came from (the loss policy, STYLE.md §4b)."""
        self.kept_values[field] += 1
        self.warn(message, path, line, code=code)

    def changed_type(self, description: str) -> None:
        """Count a type the output format cannot express, e.g. ``article-newspaper -> @article``."""
        self.retyped[description] += 1

    def report(self, target: str) -> None:
        """Print ``summary`` on the stream: its lines, or with ``form`` "json" one object
        (level "summary", code "report") with the counts as data: ``records``, ``merged``,
        ``kept_in`` (note field → key → count), ``kept_by_reader`` (input field → count),
        ``retyped`` (type change → count), ``warnings``, ``errors``, ``codes``."""
        if self.form != "json":
            for line in self.summary(target):
                self.show(line)
            return
        kept_in: dict[str, dict[str, int]] = {}
        for (where, key), n in sorted(self.moved.items()):
            kept_in.setdefault(where, {})[key] = n
        data: dict[str, Any] = {
            "target": target, "records": self.records, "merged": self.merged,
            "kept_in": kept_in, "kept_by_reader": dict(sorted(self.kept_values.items())),
            "retyped": dict(sorted(self.retyped.items())), "warnings": self.count,
            "errors": self.errors, "codes": dict(sorted(self.by_code.items())),
        }  # fmt: skip
        first = self.summary(target)[0]
        self.show(render("json", "summary", "report", first, None, None, data))

    def counts(self) -> dict[str, Any]:
        """What this sink counted, as plain data (for a worker process to send its parent):
        warnings, errors, records, merged, and the counters by key."""
        return {
            "count": self.count, "errors": self.errors, "records": self.records,
            "merged": self.merged, "moved": Counter(self.moved),
            "retyped": Counter(self.retyped), "kept_values": Counter(self.kept_values),
            "by_code": Counter(self.by_code),
        }  # fmt: skip

    def add_counts(self, counts: dict[str, Any]) -> None:
        """Add ``counts`` (another sink's ``counts()``) to this sink's."""
        self.count += counts["count"]
        self.errors += counts["errors"]
        self.records += counts["records"]
        self.merged += counts["merged"]
        for name in ("moved", "retyped", "kept_values", "by_code"):
            getattr(self, name).update(counts[name])

    def summary(self, target: str) -> list[str]:
        """The lines ``--report`` prints: records, duplicates merged, catch-all fields by
        key, type changes."""
        noun = "record" if self.records == 1 else "records"
        lines = [f"report: {self.records} {noun} written as {target}"]
        if self.merged:
            noun = "duplicate" if self.merged == 1 else "duplicates"
            lines.append(f"report: {self.merged} {noun} merged into earlier records (--dedupe)")
        for where in sorted({where for where, _ in self.moved}):
            counts = [(key, n) for (w, key), n in self.moved.items() if w == where]
            lines.append(f"report: kept in {where} (no field of their own in {target}):")
            lines += [f"report: {n:6}  {key}" for key, n in sorted(counts, key=_by_count)]
        if self.kept_values:
            total = sum(self.kept_values.values())
            lines.append(f"report: kept by the reader, not placed in a field ({total}):")
            lines += [
                f"report: {n:6}  {key}"
                for key, n in sorted(self.kept_values.items(), key=_by_count)
            ]
        if self.retyped:
            lines.append(f"report: types {target} cannot express (written as the nearest):")
            lines += [
                f"report: {n:6}  {what}" for what, n in sorted(self.retyped.items(), key=_by_count)
            ]
        if self.count or self.errors:
            lines.append(f"report: {self.count} warnings, {self.errors} errors")
        return [one_line(line) for line in lines]  # keys and types come from the data


def _by_count(item: tuple[str, int]) -> tuple[int, str]:
    return -item[1], item[0]


@dataclass(frozen=True)
class Diagnostic:
    """One warning, error or note, as kept by ``Collected``."""

    kind: str  # "warning", "error" or "note"
    message: str
    path: str | None
    line: int | None
    code: str  # refconv.codes.Code

    def __str__(self) -> str:
        return render("text", self.kind, self.code, self.message, self.path, self.line)


class Collected(Diagnostics):
    """A diagnostics sink that keeps every warning and error in ``messages`` instead of
    printing it: for scripts and notebooks, and for worker processes whose messages the
    parent prints in order."""

    def __init__(self, *, strict: bool = False, quiet: bool = False):
        super().__init__(strict=strict, quiet=quiet)
        self.messages: list[Diagnostic] = []

    def emit(self, level: str, code: str, message: str, path: str | None, line: int | None) -> None:
        """Keep the diagnostic."""
        self.messages.append(Diagnostic(level, message, path, line, code))
