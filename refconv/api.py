"""The library interface: ``read``, ``write``, ``convert`` and ``convert_batch``.

The command line is a thin layer over these functions, so a script gets exactly what the
``refconv`` command does: the same format detection, keys, notes, diagnostics and atomic
output files. Errors are exceptions: ``RefconvError`` (bad data or I/O, with ``path`` and
``line``), ``LookupError`` (an unknown format, style, locale or encoding) and ``ValueError``
(an output path that is one of the inputs, an unknown dialect).
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import re
import signal
import stat
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any, TextIO, Union

from refconv.diagnostics import Collected, Diagnostics, RefconvError, Stopped, UnknownFormat
from refconv.formats.base import Writer
from refconv.io import check_encoding
from refconv.keys import DEFAULT_KEY_FORMAT, KeyAssigner, KeyRequest
from refconv.model import Record
from refconv.pipeline import Source, read_records
from refconv.plugins import Registry

#: What ``read`` accepts: a path (``-`` is standard input), bytes, a binary or text stream,
#: or a list of those (read in turn).
SourceLike = Union[str, os.PathLike, bytes, IO[bytes], IO[str], "list[SourceLike]"]
#: What ``write`` accepts: a path (written atomically; ``-`` is standard output), a text or
#: binary stream, or None (``write`` returns the text).
DestLike = str | os.PathLike | IO[bytes] | IO[str] | None

#: The Refer dialects (refer-format.md): ``auto`` decides per record (EndNote with ``%0``).
DIALECTS = ("auto", "refer", "endnote")

STDIN_LABEL = "<stdin>"
STDOUT_LABEL = "<stdout>"


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
    if encoding is not None:
        check_encoding(encoding)
    if dialect not in DIALECTS:  # the reader would take any other as "auto", silently
        raise ValueError(f"unknown dialect {dialect!r}; known: {', '.join(DIALECTS)}")
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
    if isinstance(dest, (str, os.PathLike)):
        check_distinct_output(source, dest)
    records = read(source, from_, encoding=encoding, dialect=dialect, diagnostics=diagnostics,
                   fix_text=fix_text)  # fmt: skip
    return write(records, dest, to, diagnostics=diagnostics, key_format=key_format, **options)


def batch_targets(
    sources: Iterable[str | os.PathLike], out_dir: str | os.PathLike, to: str
) -> list[tuple[str, Path]]:
    """(input, output path) pairs of a batch: same stem, the writer's suffix, in ``out_dir``.

    Raises ``LookupError`` for an unknown format, ``RefconvError`` for an empty ``out_dir``
    (as for an empty ``-o``) and ``ValueError`` when two inputs would write the same output,
    an output would replace an input, an input is standard input or ``out_dir`` exists and
    is not a directory.
    """
    writer_cls = Registry(Collected()).find_writer(to)
    suffix = writer_cls.output_suffix()
    if not os.fspath(out_dir):  # as -o '': not the current directory by accident
        raise RefconvError("cannot write: the output path is empty")
    if os.path.exists(out_dir) and not os.path.isdir(out_dir):
        raise ValueError(f"--out-dir {os.fspath(out_dir)} exists and is not a directory")
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
    names = [name for name, _ in pairs]
    for _, target in pairs:
        check_distinct_output(names, target)
    return pairs


def check_distinct_output(sources: SourceLike, dest: str | os.PathLike) -> None:
    """Raise ``ValueError`` if the output ``dest`` is one of the input files ``sources``.

    The same file is found by device and inode, so links and hard links count (``cat`` does
    the same). Only a regular file is refused: reading /dev/null and writing it harms nothing.
    ``-`` is standard output, refused when it is a regular file that is an input
    (``refconv convert a.enw -t ris >> a.enw`` would read its own output). An input ``-``
    is standard input, compared by its descriptor: ``refconv convert - < a.enw >> a.enw``
    would read what it appends, for ever.
    """
    name = os.fspath(dest)
    try:
        if name == "-":
            if sys.stdout is None:
                return
            out = os.fstat(sys.stdout.fileno())
        else:
            out = os.stat(name)
    except (OSError, ValueError):  # no such file yet, or stdout in memory
        return
    if not stat.S_ISREG(out.st_mode):
        return
    for source, st in _input_stats(sources):
        if (st.st_dev, st.st_ino) == (out.st_dev, out.st_ino):
            where = STDOUT_LABEL if name == "-" else name
            raise ValueError(f"the output {where} is the input {source}; write elsewhere")


def _input_stats(sources: SourceLike) -> Iterator[tuple[str, os.stat_result]]:
    """(label, stat) of each input that is a file we can stat: paths, and ``-`` (stdin)."""
    if isinstance(sources, (list, tuple)):
        for one in sources:
            yield from _input_stats(one)
        return
    if not isinstance(sources, (str, os.PathLike)):
        return
    name = os.fspath(sources)
    try:
        if name == "-":
            if sys.stdin is None:
                return
            yield STDIN_LABEL, os.fstat(sys.stdin.fileno())
        else:
            yield name, os.stat(name)
    except (OSError, ValueError):  # missing (reported when read), or stdin in memory
        return


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
    try:
        Path(out_dir).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RefconvError(f"cannot create directory: {exc.strerror}", os.fspath(out_dir)) from None
    options = {**options, "strict": diagnostics.strict, "quiet": diagnostics.quiet}
    if "style" in options and options.get("jobs") is None:
        options["jobs"] = 1  # the processes are the inputs'
    tasks = [(name, str(target), to, options) for name, target in pairs]
    if jobs > 1 and len(tasks) > 1:
        results = _convert_in_processes(tasks, jobs)
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


def _convert_in_processes(tasks: list[tuple], jobs: int) -> list[tuple[list, int, bool]]:
    """``_convert_one`` of each task in its own process, at most ``jobs`` at a time; the
    results in task order. One process per input, not a ``multiprocessing.Pool``: on a stop
    signal or an error the running processes get SIGTERM (each removes its temporary file,
    see ``_init_worker``) and are waited for; a Pool replaced a stopped worker behind our
    back, and its terminate() then waited for the new one forever."""
    import multiprocessing  # ~30 ms: only when used
    from multiprocessing.connection import wait

    results: list[Any] = [None] * len(tasks)
    running: dict[Any, tuple[int, Any]] = {}
    pending = iter(enumerate(tasks))
    try:
        while True:
            while len(running) < jobs and (item := next(pending, None)) is not None:
                index, task = item
                receive, send = multiprocessing.Pipe(duplex=False)
                process = multiprocessing.Process(target=_worker, args=(task, send))
                process.start()
                send.close()
                running[receive] = (index, process)
            if not running:
                return results
            for ready in wait(list(running)):
                index, process = running.pop(ready)
                try:
                    results[index] = ready.recv()
                except EOFError:  # the process died without a word (killed)
                    message = _as_message(RefconvError("conversion stopped", tasks[index][0]))
                    results[index] = ([message], 0, False)
                ready.close()
                process.join()
    except BaseException:
        _stop([process for _, process in running.values()])
        raise


def _worker(task: tuple, send: Any) -> None:
    _init_worker()
    send.send(_convert_one(task))
    send.close()


def _stop(processes: list[Any], grace: float = 10.0) -> None:
    """SIGTERM each process and wait for it; SIGKILL one still there after ``grace`` s."""
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(grace)
        if process.exitcode is None:
            process.kill()
            process.join(grace)


def handle_stop_signals(stop=None) -> None:
    """Make SIGINT, SIGTERM, SIGHUP and the other signals that would end the process
    (``_STOP_SIGNALS``) raise ``Stopped`` (by default), so the run unwinds and removes its
    temporary files. A signal that was ignored (``nohup``, a background job's SIGINT, the
    SIGXFSZ Python ignores so that a too large file is a write error) stays ignored."""

    def handler(signum, frame):
        raise Stopped(signum)

    for signum in _STOP_SIGNALS:
        if signal.getsignal(signum) not in (signal.SIG_IGN, None):
            signal.signal(signum, stop or handler)


def _init_worker() -> None:
    """A batch worker: a stop signal (from the terminal, or the parent stopping it, see
    ``_stop``) ends it quietly with 128 + the signal's number, after its temporary file is
    removed."""

    def handler(signum, frame):
        raise SystemExit(128 + signum)  # multiprocessing ends a process on it without a trace

    handle_stop_signals(handler)


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
    except (RefconvError, UnknownFormat) as exc:
        error = exc if isinstance(exc, RefconvError) else RefconvError(str(exc))  # names it
        collected.messages.append(_as_message(error))
        ok = False
    return collected.messages, collected.records, ok


def _as_message(exc: RefconvError):
    from refconv.diagnostics import Diagnostic

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
        from refconv.formats.formatted.write import DEFAULT_STYLE, FormattedWriter, load_style

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
            if sys.stdin is None:  # started with fd 0 closed (refconv ... <&-)
                raise RefconvError("cannot read: standard input is closed", STDIN_LABEL)
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
    """Raise ``RefconvError`` (with the path) if ``name`` cannot be read as a file.

    Every ``OSError`` of looking at it (a directory on the way that we may not search, a
    link loop, a name too long, a file used as a directory) is named by its system message,
    as ``cat`` names it; a missing file or a directory keep their short wording."""
    try:
        st = os.stat(name)
    except FileNotFoundError:
        raise RefconvError("cannot read: no such file", name) from None
    except OSError as exc:
        raise RefconvError(f"cannot read: {exc.strerror}", name) from None
    if stat.S_ISDIR(st.st_mode):
        raise RefconvError("cannot read: is a directory", name)
    if not os.access(name, os.R_OK):
        raise RefconvError(f"cannot read: {os.strerror(errno.EACCES)}", name)


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

    A path that is (or links to) a regular file, or does not exist yet, is written to a
    temporary file in the real file's directory (symbolic links followed at every level; a
    dangling link creates the file it names). It replaces the file only when the block
    finishes without an exception, so a failed or interrupted run never leaves a partial or
    empty target (make relies on that) nor the temporary file. The new file keeps the old
    one's mode, group (and owner, as root); a new file gets 0666 less the umask. A path that
    exists and is not a regular file (a device such as /dev/null, a FIFO, a socket, or
    /dev/stdout and the other /proc/self/fd links) is written into directly: replacing it
    would destroy it. A link that another user planted in a sticky world-writable directory
    such as /tmp is not followed (see ``_resolve``). A failed write raises ``RefconvError``
    naming the path (``<stdout>``), except a closed pipe on standard output, which stays a
    ``BrokenPipeError``.
    """
    if dest is None:
        yield io.StringIO(newline="\n")
        return
    if isinstance(dest, (str, os.PathLike)) and os.fspath(dest) == "-":
        with _open_stdout() as out:
            yield out
        return
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
    label = os.fspath(dest)
    if not label:
        raise RefconvError("cannot write: the output path is empty")
    real, magic = _resolve(label)
    try:
        st = os.stat(real) if magic else os.lstat(real)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise RefconvError(f"cannot write: {exc.strerror}", label) from None
    if st is not None and (magic or not stat.S_ISREG(st.st_mode)):
        with _open_in_place(real, st, magic, label) as out:
            yield out
        return
    with _replace_atomically(real, st, label) as out:
        yield out


#: The kernel's limit on links followed in one path lookup (path_resolution(7): 40).
_MAX_LINKS = 40


def _resolve(label: str) -> tuple[str, bool]:
    """The real path of ``label``, each symbolic link on the way checked, and whether it ends
    in a /proc/PID/fd link (/dev/stdout, /dev/fd/N: an open descriptor, not a path).

    Links are read one level at a time (``os.readlink``) rather than by ``os.path.realpath``,
    so each can be checked by the kernel's ``fs.protected_symlinks`` rule (Linux
    Documentation/admin-guide/sysctl/fs.rst): a link in a sticky world-writable directory
    (/tmp) is followed only when its owner is the caller (euid) or the directory's owner.
    Otherwise another user's link could make root replace or create any file. A missing
    part ends the walk: the rest is created (a dangling link) or fails when opened.
    """
    pending = [part for part in os.path.abspath(label).split("/") if part]
    resolved = "/"
    links = 0
    while pending:
        part = pending.pop(0)
        if part == ".":
            continue
        if part == "..":
            resolved = os.path.dirname(resolved)
            continue
        candidate = os.path.join(resolved, part)
        try:
            st = os.lstat(candidate)
        except FileNotFoundError:
            return os.path.join(candidate, *pending), False
        except OSError as exc:
            raise RefconvError(f"cannot write: {exc.strerror}", label) from None
        if not stat.S_ISLNK(st.st_mode):
            resolved = candidate
            continue
        if re.fullmatch(r"/proc/[^/]+/fd", resolved):  # magic: only the kernel follows it
            return os.path.join(candidate, *pending), True
        links += 1
        if links > _MAX_LINKS:
            raise RefconvError(f"cannot write: {os.strerror(errno.ELOOP)}", label)
        _check_link(candidate, st, resolved)
        try:
            target = os.readlink(candidate)
        except OSError as exc:
            raise RefconvError(f"cannot write: {exc.strerror}", label) from None
        if target.startswith("/"):
            resolved = "/"
        pending[:0] = [p for p in target.split("/") if p]
    return resolved, False


def _check_link(link: str, st: os.stat_result, directory: str) -> None:
    """Refuse ``link`` (lstat ``st``) if ``fs.protected_symlinks`` would (see ``_resolve``)."""
    try:
        dst = os.stat(directory)
    except OSError as exc:
        raise RefconvError(f"cannot write: {exc.strerror}", link) from None
    sticky_public = dst.st_mode & stat.S_ISVTX and dst.st_mode & stat.S_IWOTH
    if sticky_public and st.st_uid not in (os.geteuid(), dst.st_uid):
        raise RefconvError(
            f"cannot write: not following a symbolic link owned by another user (uid "
            f"{st.st_uid}) in the sticky world-writable directory {directory}",
            link,
        )


@contextlib.contextmanager
def _open_in_place(real: str, st: os.stat_result, magic: bool, label: str) -> Iterator[TextIO]:
    """Write into a device, FIFO, socket or open descriptor: replacing it would destroy it.

    ``O_NOFOLLOW`` (except for a /proc fd link, which must be followed): a link put in the
    place of the checked file since is refused by the kernel, not followed."""
    flags = os.O_WRONLY | getattr(os, "O_CLOEXEC", 0)
    flags |= os.O_APPEND if stat.S_ISREG(st.st_mode) else 0
    flags |= 0 if magic else getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(real, flags)
    except OSError as exc:
        raise RefconvError(f"cannot write: {exc.strerror}", label) from None
    with _text_output(fd, label) as out:
        yield out


@contextlib.contextmanager
def _replace_atomically(real: str, st: os.stat_result | None, label: str) -> Iterator[TextIO]:
    """Write a temporary file in the directory of ``real`` and rename it over ``real``.

    The directory is opened once and the temporary file made and renamed relative to that
    descriptor, so the file replaced is the one in the directory checked, even if a
    directory on the path is swapped meanwhile. What is left: between the check and the
    rename another user may put something else at the name in a directory they can write;
    the rename then replaces that entry (a link is replaced, never followed), and it is
    refused when it is no longer the file that was looked at.
    """
    directory, base = os.path.split(real)
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        dir_fd = os.open(directory, flags | getattr(os, "O_NOFOLLOW", 0))
    except OSError as exc:
        raise RefconvError(f"cannot write: {exc.strerror}", label) from None
    try:
        # No signal between creating the temporary file and the try that removes it.
        blocked = _block_signals()
        try:
            fd, tmp = _create_temp(dir_fd, base)
        except OSError as exc:
            raise RefconvError(f"cannot write: {exc.strerror}", label) from None
        finally:
            _unblock_signals(blocked)
        try:
            _copy_mode(fd, st)
            with _text_output(fd, label) as out:
                yield out
            _check_unchanged(dir_fd, base, st, label)
            try:
                os.replace(tmp, base, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
            except OSError as exc:
                raise RefconvError(f"cannot write: {exc.strerror}", label) from None
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp, dir_fd=dir_fd)
            raise
    finally:
        os.close(dir_fd)


def _create_temp(dir_fd: int, base: str) -> tuple[int, str]:
    """A new file ``.BASE.XXXXXXXX.tmp`` (mode 0600, never through a link) in ``dir_fd``."""
    import secrets

    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    flags |= getattr(os, "O_NOFOLLOW", 0)
    for _ in range(100):
        name = f".{base}.{secrets.token_hex(4)}.tmp"
        try:
            return os.open(name, flags, 0o600, dir_fd=dir_fd), name
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST))


def _check_unchanged(dir_fd: int, base: str, st: os.stat_result | None, label: str) -> None:
    """Refuse to rename over ``base`` when it is no longer what was checked (``st``; None:
    nothing was there): another process put a different file or a link there meanwhile."""
    try:
        now = os.stat(base, dir_fd=dir_fd, follow_symlinks=False)
    except FileNotFoundError:
        return  # removed meanwhile: creating it harms nothing
    except OSError as exc:
        raise RefconvError(f"cannot write: {exc.strerror}", label) from None
    if st is None and stat.S_ISLNK(now.st_mode):
        return  # a dangling link made meanwhile: the rename replaces the link itself
    if st is None or (now.st_dev, now.st_ino) != (st.st_dev, st.st_ino):
        raise RefconvError("cannot write: the target was replaced by another file meanwhile", label)


_STOP_NAMES = (
    "SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGALRM",
    "SIGVTALRM", "SIGPROF", "SIGXCPU", "SIGXFSZ", "SIGIO", "SIGPWR", "SIGSTKFLT",
    "SIGABRT", "SIGSYS", "SIGTRAP",  # sent by others too: systemd's watchdog sends SIGABRT
)  # fmt: skip
_STOP_SIGNALS = tuple(
    getattr(signal, name) for name in _STOP_NAMES if hasattr(signal, name)
) + tuple(range(signal.SIGRTMIN, signal.SIGRTMAX + 1) if hasattr(signal, "SIGRTMIN") else ())
"""Signals whose default action ends the process (signal(7)) and that can be caught: they
unwind the run so its temporary files are removed. Not SIGPIPE (Python ignores it; a write
then fails with EPIPE) nor the faults the processor raises (SIGSEGV, SIGBUS, SIGFPE, SIGILL),
after which Python code cannot run safely."""


def _block_signals() -> object:
    if hasattr(signal, "pthread_sigmask"):
        return signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
    return None


def _unblock_signals(previous: object) -> None:
    if previous is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)  # type: ignore[arg-type]


def _copy_mode(fd: int, old: os.stat_result | None) -> None:
    """Give the new file the old one's mode, group and (as root) owner, as ``sed -i`` does;
    a new file gets 0666 less the umask, as ``open()`` would give it."""
    if old is None:
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        return
    if hasattr(os, "fchown"):
        uid = old.st_uid if os.geteuid() == 0 else -1
        with contextlib.suppress(OSError):  # a group we are not in: the file keeps ours
            os.fchown(fd, uid, old.st_gid)
    os.fchmod(fd, stat.S_IMODE(old.st_mode))


class _OutputFile(io.FileIO):
    """A file descriptor whose write errors are ``RefconvError`` naming the output, so a full
    disk or EIO is one diagnostic line; reading input can fail with other ``OSError``."""

    def __init__(self, fd: int, label: str, closefd: bool = True):
        super().__init__(fd, "w", closefd=closefd)
        self.label = label

    def write(self, data) -> int:  # type: ignore[override]
        try:
            return super().write(data)  # type: ignore[return-value]
        except BrokenPipeError:
            if self.label == STDOUT_LABEL:  # refconv ... | head: the caller stops quietly
                raise
            raise RefconvError("cannot write: Broken pipe", self.label) from None
        except OSError as exc:
            raise RefconvError(f"cannot write: {exc.strerror}", self.label) from None

    def close(self) -> None:
        try:
            super().close()  # NFS reports a full disk here
        except OSError as exc:
            raise RefconvError(f"cannot write: {exc.strerror}", self.label) from None


@contextlib.contextmanager
def _text_output(fd: int, label: str, closefd: bool = True) -> Iterator[TextIO]:
    """UTF-8 text onto ``fd``; everything is written (or the error raised) when the block ends."""
    raw = _OutputFile(fd, label, closefd)
    out = io.TextIOWrapper(io.BufferedWriter(raw), encoding="utf-8", newline="\n")
    try:
        yield out
        out.close()
    except BaseException:
        with contextlib.suppress(Exception):  # the data that did not fit is dropped
            out.close()
        with contextlib.suppress(Exception):
            raw.close()
        raise


@contextlib.contextmanager
def _open_stdout() -> Iterator[TextIO]:
    """Standard output: its descriptor written directly when it has one, so a write error is
    ours to report and nothing stays buffered in ``sys.stdout`` to fail again at exit."""
    if sys.stdout is None:  # started with fd 1 closed (refconv ... >&-)
        raise RefconvError("cannot write: standard output is closed", STDOUT_LABEL)
    try:
        sys.stdout.flush()
        fd = sys.stdout.fileno()
    except (OSError, ValueError):  # io.UnsupportedOperation is both: a stream in memory
        fd = None
    if fd is None:
        with open_output(sys.stdout.buffer) as out:
            yield out
        return
    with _text_output(fd, STDOUT_LABEL, closefd=False) as out:
        yield out


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
    "DIALECTS",
    "KeyRequest",
    "SkippedRecords",
    "assign_keys",
    "batch_targets",
    "check_distinct_output",
    "convert",
    "convert_batch",
    "handle_stop_signals",
    "key_requests",
    "open_output",
    "read",
    "write",
]
