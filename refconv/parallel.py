"""One big input in several processes (``convert -j N``, issue 18): the same bytes as one.

The parent cuts each input into parts of about ``PART_BYTES`` at places where a record starts
and a read from there gives exactly the records a whole read gives (``Reader.part_start``:
Refer after a blank line, RIS after ``ER  -``), counting lines as it goes so that every part
is read with its true line numbers (``Reader.first_line``). ``jobs`` worker processes take
the parts in turn. A part is converted in two steps, as the Dask recipe does across machines:

1. the worker reads the part (reader and transforms) and sends the key each record asks for
   (``KeyAssigner.request``), keeping the records;
2. the parent makes the keys unique in input order (``KeyAssigner.grant``, exactly the keys
   of one process) and sends them back; the worker writes the records with them and sends the
   text, which the parent writes in input order.

Diagnostics are collected per record and step, and printed by the parent in the order one
process prints them: a record's reader messages, its key messages, its writer messages. A
writer is framed (``Writer.frame``): the parent writes the prologue and epilogue once and the
parts' records between, joined by the separator. Output stays atomic (``open_output``); a
fatal error in a part is raised after the records before it are written, as one process does.

Not split (one process, as before): ``--strict`` (it stops at the first warning), ``--dedupe``
and ``--sort`` (they need every record in one place; ``Plan.holds_records``), formatted
output (``Writer.frame`` None: it sorts every record), a reader without ``part_start`` (BibTeX:
``@string`` and ``crossref`` reach across entries), a UTF-16 input or an encoding in which
ASCII bytes are not ASCII, standard input without ``-f``, and platforms without ``fork``.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import os
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, BinaryIO, TextIO

from refconv.diagnostics import Collected, Diagnostic, Diagnostics, RefconvError
from refconv.formats.base import Reader, Writer
from refconv.io import Source, iter_lines, open_sources, peek_text
from refconv.keys import KeyAssigner, KeyRequest
from refconv.model import Record
from refconv.output import DestLike, open_output
from refconv.transforms import apply_transforms

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

    from refconv.codes import Code
    from refconv.pipeline import Plan

#: Bytes per part: ~1,700 Refer records of 1.2 KB; a worker holds one part's records.
PART_BYTES = 2 << 20
#: A file with this many bytes where no part can start is converted by one process.
GAP_BYTES = 8 << 20
#: Worker processes at the most, whatever -j says (each holds a pipe and a part).
MAX_WORKERS = 64
#: Encodings in which a part boundary (ASCII line ends, ``%``, ``TY``) is found in the bytes.
_ASCII_SAFE = frozenset(
    {"utf-8", "ascii", "cp1252", "latin-1"} | {f"iso8859-{n}" for n in range(1, 17)}
)
_READ = 1 << 16
#: a fatal error as plain data: (message, path, line, code) of a ``RefconvError``
_Error = tuple[str, "str | None", "int | None", "Code"]


def workers(plan: Plan, names: Sequence[str], jobs: int) -> int:
    """How many processes convert ``names`` with the output of one: ``jobs`` at most, one per
    part at most, and 1 (one process, no workers) when they cannot be split: not regular files
    (a pipe, a FIFO, standard input: their bytes can be read once only), ``--strict``, a
    writer without ``frame``, a reader without ``part_start``, an encoding whose ASCII bytes
    are not ASCII, no ``fork``, or a file with a stretch of ``GAP_BYTES`` where no part can
    start (its records would be held in memory; one process streams them)."""
    import multiprocessing

    writer = plan.writer
    if jobs < 2 or writer is None or writer.frame is None or plan.diagnostics.strict:
        return 1
    if plan.holds_records:  # --dedupe, --sort: every record at once, in one process
        return 1
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    if plan.encoding is not None and codecs.lookup(plan.encoding).name not in _ASCII_SAFE:
        return 1
    total = 0
    for name in names:
        if name == "-" or not os.path.isfile(name):
            return 1
        cls = plan.reader or plan.registry.reader_for_path(name)
        with open(name, "rb") as stream:
            if cls is None:
                cls = plan.registry.sniff_reader(peek_text(stream)[1])
            if cls is None or cls.part_start is None or not _dense(stream, cls.part_start):
                return 1
        total += os.path.getsize(name)
    return min(jobs, -(-total // PART_BYTES), MAX_WORKERS)


def _dense(stream: BinaryIO, start: re.Pattern[bytes]) -> bool:
    """Does a part start in every ``GAP_BYTES`` of ``stream`` (a regular file, not UTF-16,
    which has no ASCII bytes to cut at)? Found with a search from each window's start in a
    memory map: only the pages near a match are read."""
    import mmap

    if stream.read(2) in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return False
    size = os.fstat(stream.fileno()).st_size
    if size <= GAP_BYTES:
        return True
    with mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ) as data:
        for window in range(0, size - GAP_BYTES, GAP_BYTES // 2):
            if start.search(data, window + 1, window + GAP_BYTES) is None:
                return False
    return True


def cut(
    stream: BinaryIO, start: re.Pattern[bytes], size: int = PART_BYTES
) -> Iterator[tuple[bytes, int]]:
    """Yield (bytes, number of its first line) of each part of ``stream``: every part but the
    last ends where ``start`` matches, at least ``size`` bytes after the part's start. Lines
    end at LF, CRLF or a lone CR, as ``io.iter_lines`` splits them."""
    buffer = b""
    line = 1
    eof, first, anchored, anchor = False, True, False, 1
    lowest = size  # the current part ends at the first match found from here on
    while True:
        if first and not anchored:  # the first part holds a record start: a reader's "no
            m0 = start.search(buffer, anchor)  # records" is about the input, not a banner
            if m0 is None and not eof:
                anchor = max(1, len(buffer) - 64)  # look at new bytes only
                buffer, eof = _more(stream, buffer, size)
                continue
            anchored = True
            lowest = max(lowest, m0.end()) if m0 is not None else lowest
        found = start.search(buffer, lowest) if len(buffer) > lowest else None
        if found is None and not eof:
            lowest = max(lowest, len(buffer) - 64)  # look at new bytes only (a boundary
            buffer, eof = _more(stream, buffer, size)  # missed at the seam leaves a later one)
            continue
        end = found.end() if found is not None else len(buffer)
        if end == 0 and not first:
            return
        part = buffer[:end]
        yield part, line  # an empty input is one empty part: its reader still reports it
        first = False
        line += part.count(b"\n")
        if b"\r" in part:  # old Mac line ends, or CRLF counted once
            line += part.count(b"\r") - part.count(b"\r\n")
        buffer = buffer[end:]
        lowest = size
        if not buffer and eof:
            return


def _more(stream: BinaryIO, buffer: bytes, size: int) -> tuple[bytes, bool]:
    """``buffer`` and the next bytes of ``stream``; whether it had none left."""
    chunk = stream.read(max(_READ, size - len(buffer)))
    return buffer + chunk, not chunk


@dataclass
class _Part:
    """A part in flight: its input, its worker and what its two steps sent back."""

    label: str
    worker: Connection
    source: int = 0  # which input: io warns once per input
    requests: list[KeyRequest] | None = None
    read_marks: list[int] = field(default_factory=list)
    read_messages: list[Diagnostic] = field(default_factory=list)
    fallback: bool = False
    references: list[str] = field(default_factory=list)
    error: _Error | None = None
    key_messages: list[list[Diagnostic]] = field(default_factory=list)
    key_warnings: int = 0
    key_codes: Counter[str] = field(default_factory=Counter)
    opening: bool = False
    text: str | bytes | None = None
    write_marks: list[int] = field(default_factory=list)
    write_messages: list[Diagnostic] = field(default_factory=list)
    counts: dict[str, Any] = field(default_factory=dict)


class _PartDiagnostics(Collected):
    """A worker's diagnostics: kept for the parent, which prints them in order; notes
    whether this part gave the once-per-input warning of ``io`` about Windows-1252."""

    fallback = False

    def warn(
        self,
        message: str,
        path: str | None = None,
        line: int | None = None,
        *,
        code: Code = "other",
    ) -> None:
        self.fallback = self.fallback or code == "decoded-cp1252"
        super().warn(message, path, line, code=code)


def run_parallel(plan: Plan, names: Sequence[str], dest: DestLike, jobs: int) -> str | None:
    """Convert the inputs ``names`` with ``jobs`` worker processes into ``dest``: the bytes,
    keys and diagnostics of ``pipeline.run`` in one process (see the module docstring).

    Returns the text when ``dest`` is None. Raises what ``pipeline.run`` raises:
    ``RefconvError`` for bad input (after writing the records before it), ``SkippedRecords``
    when records could not be converted."""
    import multiprocessing

    from refconv.batch import _init_worker, _stop
    from refconv.pipeline import SkippedRecords

    writer = plan.writer
    assert writer is not None and writer.frame is not None, "workers() checked"
    context = multiprocessing.get_context("fork")
    diagnostics = plan.diagnostics
    before = diagnostics.errors
    assigner = KeyAssigner(plan.key_format, Collected(quiet=diagnostics.quiet))
    frame = _Frame(writer.frame)
    processes: dict[Connection, BaseProcess] = {}
    idle: list[Connection] = []
    done = False
    try:
        for _ in range(jobs):
            parent_end, child_end = context.Pipe()
            inherited = [*idle, parent_end]  # the worker closes them: it sees EOF if we die
            process = context.Process(target=_work, args=(plan, child_end, _init_worker, inherited))
            process.start()
            child_end.close()
            processes[parent_end] = process
            idle.append(parent_end)
        with open_output(dest) as out:
            pending: dict[int, _Part] = {}  # by index, from ``written`` on
            granted = written = 0
            parts = _parts(plan, open_sources(list(names)))
            warned: set[int] = set()
            while True:
                while idle and len(pending) < 2 * jobs:  # texts held: at most 2 per worker
                    item = next(parts, None)
                    if item is None:
                        break
                    conn = idle.pop()
                    index = written + len(pending)
                    pending[index] = _Part(item[1], conn, source=item[-1])
                    _send(conn, ("read", *item[:-1]), processes, item[1])
                if not pending:
                    break
                for part in _receive(pending, processes):
                    if part.text is not None:
                        idle.append(part.worker)  # its records are written: free again
                while granted in pending and pending[granted].requests is not None:
                    part = pending[granted]
                    _send(part.worker, _grant(part, assigner), processes, part.label)
                    granted += 1
                while written in pending and pending[written].text is not None:
                    part = pending.pop(written)
                    written += 1
                    _emit(part, diagnostics, warned)
                    frame.write(out, part.text or "", opening=part.opening)
                    if part.error is not None:
                        message, path, line, code = part.error
                        raise RefconvError(message, path, line, code=code)
            frame.close(out)
            if diagnostics.errors > before:
                n = diagnostics.errors - before
                raise SkippedRecords(f"{n} record{'s' * (n != 1)} could not be converted")
            getvalue = getattr(out, "getvalue", None)  # dest None: the StringIO of open_output
            done = True
            return getvalue() if dest is None and getvalue is not None else None
    finally:  # every worker idle and told to stop when done; else stopped at once (SIGTERM)
        for conn in idle if done else ():
            with contextlib.suppress(OSError):
                conn.send(None)
        for worker in processes.values() if done else ():
            worker.join(10.0)
        _stop([worker for worker in processes.values() if worker.exitcode is None])


def _parts(
    plan: Plan, sources: Iterator[Source]
) -> Iterator[tuple[type[Reader], str, bytes, int, str | None, int]]:
    """(reader, label, bytes, first line, encoding, input number) of each part of each
    input, in order."""
    from refconv.pipeline import choose_reader

    for number, source in enumerate(sources):
        cls = plan.reader or choose_reader(plan.registry, source, None)
        start = cls.part_start
        assert start is not None, "workers() checked"
        encoding = plan.encoding
        for data, first_line in cut(source.stream, start, PART_BYTES):
            yield cls, source.label, data, first_line, encoding, number
            if encoding is None and data.startswith(codecs.BOM_UTF8):
                encoding = "utf-8"  # the mark at the start decides for the whole input


def _send(
    conn: Connection, message: object, processes: dict[Connection, BaseProcess], label: str
) -> None:
    """Send ``message`` to a worker; one that died is an error naming why, never the
    BrokenPipeError a closed standard output gives (which ends a run quietly)."""
    try:
        conn.send(message)
    except OSError:  # BrokenPipeError, ConnectionResetError
        raise _stopped(processes[conn], label) from None


def _stopped(process: BaseProcess, label: str) -> RefconvError:
    process.join(1.0)
    code = process.exitcode
    why = ""
    if code is not None and code < 0:
        why = f" (signal {-code}" + (": killed, perhaps for want of memory)" if code == -9 else ")")
    return RefconvError(f"a worker process stopped{why}", label, code="worker-failed")


def _receive(pending: dict[int, _Part], processes: dict[Connection, BaseProcess]) -> list[_Part]:
    """Wait for the next results of the parts in flight; the parts that got one."""
    from multiprocessing.connection import wait

    by_conn = {part.worker: part for part in pending.values()}
    got = []
    for ready in wait(list(by_conn)):
        part = by_conn[ready]  # type: ignore[index]
        try:
            kind, payload = part.worker.recv()
        except (EOFError, OSError):
            raise _stopped(processes[part.worker], part.label) from None
        if kind == "read":
            (part.requests, part.read_marks, part.read_messages, part.fallback,
             part.references, part.error) = payload  # fmt: skip
        else:
            (part.text, part.write_marks, part.write_messages, part.counts, error,
             part.opening) = payload  # fmt: skip
            part.error = part.error or error
        got.append(part)
    return got


def _grant(part: _Part, assigner: KeyAssigner) -> tuple[str, list[str], list[str]]:
    """Give ``part``'s records their keys, in input order: the message for its worker, with
    those of its references (``Writer.references``) that earlier parts wrote."""
    assert part.requests is not None
    earlier = [key for key in part.references if key in assigner.used]
    sink = assigner.diagnostics
    assert isinstance(sink, Collected)
    keys = []
    count, codes = sink.count, Counter(sink.by_code)
    for request in part.requests:
        sink.messages = []
        keys.append(assigner.grant(request))
        part.key_messages.append(sink.messages)
    part.key_warnings = sink.count - count
    part.key_codes = sink.by_code - codes
    return "write", keys, earlier


def _emit(part: _Part, diagnostics: Diagnostics, warned: set[int]) -> None:
    """Print ``part``'s messages in the order of one process, and add its counts."""
    diagnostics.add_counts(part.counts)  # records: the writer's count, 0 in a worker
    diagnostics.count += part.key_warnings
    diagnostics.by_code.update(part.key_codes)
    diagnostics.records += len(part.key_messages)
    repeated = part.fallback and part.source in warned  # io warns once per input
    if part.fallback:
        warned.add(part.source)
        diagnostics.count -= repeated
        diagnostics.by_code["decoded-cp1252"] -= repeated
    read, write = part.read_messages, part.write_messages
    marks = [*part.write_marks, len(write)]
    ordered = write[: marks[0]]  # none: a writer says nothing before its first record
    done = 0
    for j, keyed in enumerate(part.key_messages):
        ordered += read[done : part.read_marks[j]] + keyed + write[marks[j] : marks[j + 1]]
        done = part.read_marks[j]
    ordered += read[done:]  # after the last record: text outside records, an error
    for m in ordered:
        if not (repeated and m.code == "decoded-cp1252"):
            diagnostics.emit(m.kind, m.code, m.message, m.path, m.line)


def _codec(out: TextIO) -> str:
    try:
        return codecs.lookup(getattr(out, "encoding", None) or "ascii").name
    except LookupError:
        return ""


class _Frame:
    """The framing of the whole output around the parts' texts (``Writer.frame``)."""

    def __init__(self, frame: tuple[str, str, str, str]) -> None:
        self.prologue, self.separator, self.epilogue, self.empty = frame
        self.started = False

    def write(self, out: TextIO, text: str | bytes, *, opening: bool = False) -> None:
        """Write a part's records: ``text``, or its UTF-8 bytes (encoded by the worker, and
        written to the UTF-8 output's buffer: no decoding and encoding in this process).
        ``opening``: the text is what the writer writes before its first record (the input
        failed before one): written only if no record was."""
        if opening:  # the run stops after it: nothing is closed
            if not self.started:
                out.write(text if isinstance(text, str) else text.decode("utf-8"))
            return
        if not text:
            return
        head = self.separator if self.started else self.prologue
        self.started = True
        binary = getattr(out, "buffer", None)
        if isinstance(text, str) or binary is None or _codec(out) != "utf-8":
            out.write(head + (text if isinstance(text, str) else text.decode("utf-8")))
            return
        out.write(head)
        out.flush()
        binary.write(text)

    def close(self, out: TextIO) -> None:
        out.write(self.epilogue if self.started else self.empty)


def _work(
    plan: Plan, conn: Connection, init: Callable[[], None], inherited: list[Connection]
) -> None:
    """A worker process: reads and writes the parts it is sent until it is sent None (or the
    parent is gone: ``inherited``, the parent's ends of the pipes, are closed here)."""
    for end in inherited:
        end.close()
    init()
    while (order := _order(conn)) is not None:
        _, cls, label, data, first_line, encoding = order
        diagnostics = _PartDiagnostics(quiet=plan.diagnostics.quiet)
        assert plan.writer is not None
        writer = type(plan.writer)(diagnostics=diagnostics, **plan.writer.options)
        records: list[Record] = []
        requests: list[KeyRequest] = []
        marks: list[int] = []
        references: list[str] = []
        assigner = KeyAssigner(plan.key_format, diagnostics)
        error: _Error | None = None
        try:
            reader = cls(diagnostics=diagnostics, **plan.reader_options)
            reader.first_line = first_line
            lines = iter_lines(io.BytesIO(data), label, diagnostics, encoding, first_line)
            read = reader.read(lines, label)
            for record in apply_transforms(plan.transforms, read, diagnostics):
                records.append(record)
                requests.append(assigner.request(record))
                references += writer.references(record)
                marks.append(len(diagnostics.messages))
        except RefconvError as exc:
            error = (exc.message, exc.path, exc.line, exc.code)
        found = (requests, marks, diagnostics.messages, diagnostics.fallback, references, error)
        conn.send(("read", found))
        diagnostics.messages = []
        _, keys, earlier = conn.recv()
        for record, key in zip(records, keys, strict=True):
            record.id = key
        writer.earlier_keys = frozenset(earlier)
        conn.send(("write", _write(writer, records, diagnostics, error is not None)))
    conn.close()


class _Stopped(Exception):
    """Raised to the writer where the reader of one process raised its error."""


def _order(conn: Connection) -> Any:
    try:
        return conn.recv()
    except EOFError:  # the parent died: nothing to do
        return None


def _write(
    writer: Writer, records: list[Record], diagnostics: _PartDiagnostics, stopped: bool
) -> tuple[str | bytes, list[int], list[Diagnostic], dict[str, Any], _Error | None, bool]:
    """(text without the frame, as UTF-8 bytes if it encodes; where each record's messages
    start; the messages; the counts; an error; whether the text is what the writer writes
    before a first record) of writing ``records``, interrupted after them if ``stopped``."""
    marks: list[int] = []

    def marked() -> Iterator[Record]:
        for record in records:
            marks.append(len(diagnostics.messages))
            yield record
        if stopped:  # the reader's error, where one process meets it
            raise _Stopped

    buffer = io.StringIO()
    error: _Error | None = None
    try:
        writer.write(marked(), buffer)
    except _Stopped:
        pass
    except RefconvError as exc:
        error = (exc.message, exc.path, exc.line, exc.code)
    text = buffer.getvalue()
    prologue, _, epilogue, _ = writer.frame or ("", "", "", "")
    opening = not records and (stopped or error is not None)
    if not opening and records:
        assert text.startswith(prologue), "Writer.frame is how it frames its records"
        text = text[len(prologue) :]
        if not stopped and error is None:
            assert text.endswith(epilogue), "Writer.frame is how it frames its records"
            text = text[: len(text) - len(epilogue)]
    elif not opening:
        text = ""
    counts = diagnostics.counts()
    try:  # the parent writes bytes to its UTF-8 output as they are
        data: str | bytes = text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: the output's own error, as in one process
        data = text
    return data, marks, diagnostics.messages, counts, error, opening
