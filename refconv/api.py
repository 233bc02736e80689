"""The library interface: ``read``, ``write``, ``convert`` and ``convert_batch``.

The command line is a thin layer over these functions, so a script gets exactly what the
``refconv`` command does: the same format detection, keys, notes, diagnostics and atomic
output files. Errors are exceptions: ``RefconvError`` (bad data or I/O, with ``path`` and
``line``) and ``LookupError`` (an unknown format, style or locale).
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any, TextIO, Union

from .convert import Source, read_records
from .errors import Collected, Diagnostics, RefconvError
from .keys import DEFAULT_KEY_FORMAT, KeyAssigner, KeyRequest
from .model import Record
from .plugins import Registry
from .writers import Writer

#: What ``read`` accepts: a path (``-`` is standard input), bytes, a binary or text stream,
#: or a list of those (read in turn).
SourceLike = Union[str, os.PathLike, bytes, IO[bytes], IO[str], "list[SourceLike]"]
#: What ``write`` accepts: a path (written atomically; ``-`` is standard output), a text or
#: binary stream, or None (``write`` returns the text).
DestLike = str | os.PathLike | IO[bytes] | IO[str] | None

STDIN_LABEL = "<stdin>"


class SkippedRecords(RefconvError):
    """Some records could not be converted (each was reported); the others were written,
    except to a path, which is left as it was."""


def read(
    source: SourceLike,
    format: str | None = None,
    *,
    encoding: str | None = None,
    dialect: str = "auto",
    diagnostics: Diagnostics | None = None,
    label: str | None = None,
    fix_text: bool = False,
) -> Iterator[Record]:
    """Yield the records of ``source``, streaming (a file is read as records are asked for).

    ``format`` is a reader name or alias (``refer``, ``ris``, ``bibtex``, ``csljson``);
    without it the suffix, then the content decides. Records have no ``id`` yet: keys are
    given when they are written. Warnings go to ``diagnostics`` (default: printed on stderr);
    ``label`` names bytes or a stream in them (default ``<bytes>``, or the stream's name).
    Text that looks mis-decoded (mojibake) is a warning; ``fix_text=True`` repairs it.
    """
    diagnostics = diagnostics if diagnostics is not None else Diagnostics()
    registry = Registry(diagnostics)
    if format:
        registry.find_reader(format)  # an unknown name fails now, not at the first record
    return read_records(
        open_sources(source, label),
        registry,
        diagnostics,
        from_format=format,
        fix_text=fix_text,
        encoding=encoding,
        dialect=dialect,
    )


def write(
    records: Iterable[Record],
    dest: DestLike = None,
    format: str | None = None,
    *,
    diagnostics: Diagnostics | None = None,
    key_format: str = DEFAULT_KEY_FORMAT,
    keys: Iterable[str] | None = None,
    **options: Any,
) -> str | None:
    """Write ``records`` to ``dest`` in ``format`` (default: from the suffix of a path).

    Options are the writer's: ``latex=True`` (BibTeX), ``style``, ``locale``, ``jobs``,
    ``standalone`` (formatted output). Records get unique keys from ``key_format``, or the
    ``keys`` given (one per record, e.g. from ``assign_keys``). A path is replaced only when
    everything was written. Returns the text when ``dest`` is None.
    """
    diagnostics = diagnostics if diagnostics is not None else Diagnostics()
    writer = make_writer(Registry(diagnostics), format, dest, diagnostics, options)
    before = diagnostics.errors
    if keys is None:
        keyed = KeyAssigner(key_format, diagnostics).assign(records)
    else:
        keyed = _with_keys(records, keys)
    with open_output(dest) as out:
        writer.write(_counted(keyed, diagnostics), out)
        if diagnostics.errors > before:  # raised inside: a path target stays as it was
            n = diagnostics.errors - before
            raise SkippedRecords(f"{n} record{'s' * (n != 1)} could not be converted")
        if dest is None:
            return out.getvalue()  # type: ignore[attr-defined]
    return None


def convert(
    source: SourceLike,
    dest: DestLike = None,
    from_: str | None = None,
    to: str | None = None,
    *,
    encoding: str | None = None,
    dialect: str = "auto",
    diagnostics: Diagnostics | None = None,
    key_format: str = DEFAULT_KEY_FORMAT,
    fix_text: bool = False,
    **options: Any,
) -> str | None:
    """``write(read(source, from_), dest, to)``: one output from one or more inputs."""
    diagnostics = diagnostics if diagnostics is not None else Diagnostics()
    registry = Registry(diagnostics)
    make_writer(registry, to, dest, diagnostics, options)  # fail before reading anything
    records = read(source, from_, encoding=encoding, dialect=dialect, diagnostics=diagnostics,
                   fix_text=fix_text)  # fmt: skip
    return write(records, dest, to, diagnostics=diagnostics, key_format=key_format, **options)


def batch_targets(
    sources: Iterable[str | os.PathLike], out_dir: str | os.PathLike, to: str
) -> list[tuple[str, Path]]:
    """(input, output path) pairs of a batch: same stem, the writer's suffix, in ``out_dir``.

    Raises ``LookupError`` for an unknown format and ``ValueError`` when two inputs would
    write the same output or an input is standard input.
    """
    writer_cls = Registry(Collected()).find_writer(to)
    suffix = writer_cls.output_suffix()
    pairs, seen = [], {}
    for source in sources:
        name = os.fspath(source)
        if name == "-":
            raise ValueError("standard input cannot be converted into a directory")
        target = Path(out_dir) / (Path(name).stem + suffix)
        if target in seen:
            raise ValueError(f"{seen[target]} and {name} would both write {target}")
        seen[target] = name
        pairs.append((name, target))
    return pairs


def convert_batch(
    sources: Iterable[str | os.PathLike],
    out_dir: str | os.PathLike,
    to: str,
    *,
    jobs: int = 1,
    diagnostics: Diagnostics | None = None,
    **options: Any,
) -> int:
    """Convert each input file to its own output in ``out_dir`` (see ``batch_targets``).

    With ``jobs > 1`` the inputs are converted by that many processes; the outputs and the
    order of the diagnostics are the same as with one. An input that fails is reported and
    its output left as it was; the others are still written. Returns how many failed.
    """
    diagnostics = diagnostics if diagnostics is not None else Diagnostics()
    pairs = batch_targets(sources, out_dir, to)
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    options = {**options, "strict": diagnostics.strict, "quiet": diagnostics.quiet}
    if "style" in options and options.get("jobs") is None:
        options["jobs"] = 1  # the processes are the inputs'
    tasks = [(name, str(target), to, options) for name, target in pairs]
    if jobs > 1 and len(tasks) > 1:
        from concurrent.futures import ProcessPoolExecutor  # ~30 ms: only when used

        with ProcessPoolExecutor(max_workers=jobs) as pool:
            results = list(pool.map(_convert_one, tasks))
    else:
        results = [_convert_one(task) for task in tasks]
    failed = 0
    for messages, records, ok in results:
        diagnostics.records += records
        for message in messages:
            diagnostics.count += message.kind == "warning"
            diagnostics.errors += message.kind == "error"
            diagnostics.emit(message.kind, message.message, message.path, message.line)
        failed += not ok
    return failed


def _convert_one(task: tuple) -> tuple[list, int, bool]:
    """One input of a batch, in this or a worker process: (diagnostics, records, success)."""
    name, target, to, options = task
    options = dict(options)
    collected = Collected(strict=options.pop("strict"), quiet=options.pop("quiet"))
    try:
        convert(name, target, None, to, diagnostics=collected, **options)
        ok = True
    except SkippedRecords:
        ok = False
    except RefconvError as exc:
        collected.messages.append(_as_message(exc))
        ok = False
    return collected.messages, collected.records, ok


def _as_message(exc: RefconvError):
    from .errors import Diagnostic

    return Diagnostic("error", exc.message, exc.path, exc.line)


def make_writer(
    registry: Registry,
    format: str | None,
    dest: DestLike,
    diagnostics: Diagnostics,
    options: dict[str, Any],
) -> Writer:
    """The writer for ``format`` (or the suffix of ``dest``) with ``options``.

    Raises ``LookupError`` for an unknown format, style or locale, or style options given to
    a writer that is not a formatted one.
    """
    writer_cls = registry.find_writer(format) if format else None
    if writer_cls is None and isinstance(dest, (str, os.PathLike)) and os.fspath(dest) != "-":
        writer_cls = registry.writer_for_path(os.fspath(dest))
    if writer_cls is None:
        known = ", ".join(registry.writers())
        raise LookupError(f"no output format; give -t FORMAT ({known})")
    if options.get("style") or options.get("locale"):
        from .writers.formatted import DEFAULT_STYLE, FormattedWriter, load_style

        if not issubclass(writer_cls, FormattedWriter):
            raise LookupError(
                f"--style and --locale apply to formatted output, not {writer_cls.name}"
            )
        load_style(options.get("style") or DEFAULT_STYLE, options.get("locale"))
    return writer_cls(diagnostics=diagnostics, **options)


def open_sources(source: SourceLike, label: str | None = None) -> Iterator[Source]:
    """Open each input in turn (so only one file is open at a time), with its label."""
    if isinstance(source, (list, tuple)):
        for one in source:
            yield from open_sources(one, label)
        return
    if isinstance(source, (str, os.PathLike)):
        name = os.fspath(source)
        if name == "-":
            yield Source(STDIN_LABEL, sys.stdin.buffer)
            return
        check_readable(name)
        try:
            with open(name, "rb") as stream:
                yield Source(name, stream)
        except OSError as exc:
            raise RefconvError(f"cannot read: {exc.strerror}", name) from None
        return
    if isinstance(source, (bytes, bytearray, memoryview)):
        yield Source(label or "<bytes>", io.BufferedReader(io.BytesIO(bytes(source))))
        return
    name = getattr(source, "name", None)
    label = label or (name if isinstance(name, str) else "<stream>")
    if isinstance(source, io.TextIOBase) or hasattr(source, "encoding"):
        yield Source(label, io.BufferedReader(_EncodedText(source)))  # type: ignore[arg-type]
    else:
        yield Source(label, source)  # type: ignore[arg-type]


def check_readable(name: str) -> None:
    """Raise ``RefconvError`` (with the path) if ``name`` cannot be read as a file."""
    path = Path(name)
    if not path.exists():
        raise RefconvError("cannot read: no such file", name)
    if path.is_dir():
        raise RefconvError("cannot read: is a directory", name)
    if not os.access(path, os.R_OK):
        raise RefconvError("cannot read: permission denied", name)


class _EncodedText(io.RawIOBase):
    """A text stream seen as UTF-8 bytes, read in chunks (readers take bytes)."""

    def __init__(self, text: TextIO):
        self.text = text
        self.pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self.pending:
            chunk = self.text.read(1 << 16)
            if not chunk:
                return 0
            self.pending = chunk.encode("utf-8", "surrogatepass")
        n = min(len(buffer), len(self.pending))
        buffer[:n] = self.pending[:n]
        self.pending = self.pending[n:]
        return n


@contextlib.contextmanager
def open_output(dest: DestLike) -> Iterator[TextIO]:
    """A UTF-8 text stream for ``dest``; a path is written through a temporary file.

    The temporary file sits in the target's directory and replaces the target only when the
    block finishes without an exception, so a failed run never leaves a partial or empty
    target (make relies on that).
    """
    if dest is None:
        yield io.StringIO(newline="\n")
        return
    if isinstance(dest, (str, os.PathLike)) and os.fspath(dest) == "-":
        dest = sys.stdout.buffer
    if not isinstance(dest, (str, os.PathLike)):
        if isinstance(dest, io.TextIOBase) or hasattr(dest, "encoding"):
            yield dest  # type: ignore[misc]
            return
        out = io.TextIOWrapper(dest, encoding="utf-8", newline="\n")  # type: ignore[arg-type]
        try:
            yield out
            out.flush()
        finally:
            with contextlib.suppress(BrokenPipeError, ValueError):
                out.detach()
        return
    target = Path(dest)
    try:
        import tempfile  # ~15 ms: only for a path target

        fd, tmp = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or Path(".")
        )
    except OSError as exc:
        raise RefconvError(f"cannot write: {exc.strerror}", str(dest)) from None
    try:
        with open(fd, "w", encoding="utf-8", newline="\n") as out:
            yield out
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def key_requests(
    records: Iterable[Record], key_format: str = DEFAULT_KEY_FORMAT
) -> list[KeyRequest]:
    """The keys ``records`` ask for. Computing them needs no other record, so a parallel job
    can do it per part; ``assign_keys`` then makes them unique over all parts, in order."""
    assigner = KeyAssigner(key_format)
    return [assigner.request(record) for record in records]


def assign_keys(
    requests: Iterable[KeyRequest], diagnostics: Diagnostics | None = None
) -> list[str]:
    """Unique keys for ``requests`` in order: the keys a sequential conversion would give."""
    assigner = KeyAssigner(diagnostics=diagnostics if diagnostics is not None else Diagnostics())
    return [assigner.grant(request) for request in requests]


def _with_keys(records: Iterable[Record], keys: Iterable[str]) -> Iterator[Record]:
    keys = iter(keys)
    for record in records:
        key = next(keys, None)
        if key is None:
            raise ValueError("fewer keys than records")
        record.id = key
        yield record


def _counted(records: Iterable[Record], diagnostics: Diagnostics) -> Iterator[Record]:
    for record in records:
        diagnostics.records += 1
        yield record


__all__ = [
    "KeyRequest",
    "SkippedRecords",
    "assign_keys",
    "batch_targets",
    "convert",
    "convert_batch",
    "key_requests",
    "open_output",
    "read",
    "write",
]
