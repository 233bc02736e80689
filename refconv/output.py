"""Atomic output files: every byte refconv writes goes through ``open_output``.

A path is written through a temporary file renamed over it only after success, so a failed
or stopped run leaves the target as it was (make relies on that). Stop signals are blocked
while a temporary file is created, and unwind the run (``handle_stop_signals``) so it is
removed. Every failure to write is one ``RefconvError`` made by ``cannot_write``.
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
from collections.abc import Callable, Iterator
from types import FrameType
from typing import IO, TYPE_CHECKING, TextIO, TypeGuard

from refconv.diagnostics import RefconvError, Stopped

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

#: What an output may be: a path (written atomically; ``-`` is standard output), a text or
#: binary stream, or None (the text is returned).
DestLike = str | os.PathLike[str] | IO[bytes] | IO[str] | None

STDOUT_LABEL = "<stdout>"


def cannot_write(reason: str | None, label: str | None = None) -> RefconvError:
    """The one error for an output that cannot be written: ``cannot write: REASON``."""
    return RefconvError(f"cannot write: {reason}", label, code="write-failed")


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
        if _is_text(dest):
            yield dest
            return
        out = io.TextIOWrapper(_as_binary(dest), encoding="utf-8", newline="\n")
        try:
            yield out
            out.flush()
        finally:
            with contextlib.suppress(BrokenPipeError, ValueError):
                out.detach()
        return
    label = os.fspath(dest)
    if not label:
        raise cannot_write("the output path is empty")
    real, magic = _resolve(label)
    try:
        st = os.stat(real) if magic else os.lstat(real)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise cannot_write(exc.strerror, label) from None
    if st is not None and (magic or not stat.S_ISREG(st.st_mode)):
        with _open_in_place(real, st, magic, label) as out:
            yield out
        return
    with _replace_atomically(real, st, label) as out:
        yield out


def _is_text(stream: IO[bytes] | IO[str]) -> TypeGuard[TextIO]:
    """True for a text stream (anything with an ``encoding``, as ``sys.stdout``)."""
    return isinstance(stream, io.TextIOBase) or hasattr(stream, "encoding")


def _as_binary(stream: IO[bytes] | IO[str]) -> IO[bytes]:
    """``stream``, known not to be a text stream (``_is_text``), as the byte stream it is."""
    return stream  # type: ignore[return-value]  # narrowed by _is_text, which mypy cannot see


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
            raise cannot_write(exc.strerror, label) from None
        if not stat.S_ISLNK(st.st_mode):
            resolved = candidate
            continue
        if re.fullmatch(r"/proc/[^/]+/fd", resolved):  # magic: only the kernel follows it
            return os.path.join(candidate, *pending), True
        links += 1
        if links > _MAX_LINKS:
            raise cannot_write(os.strerror(errno.ELOOP), label)
        _check_link(candidate, st, resolved)
        try:
            target = os.readlink(candidate)
        except OSError as exc:
            raise cannot_write(exc.strerror, label) from None
        if target.startswith("/"):
            resolved = "/"
        pending[:0] = [p for p in target.split("/") if p]
    return resolved, False


def _check_link(link: str, st: os.stat_result, directory: str) -> None:
    """Refuse ``link`` (lstat ``st``) if ``fs.protected_symlinks`` would (see ``_resolve``)."""
    try:
        dst = os.stat(directory)
    except OSError as exc:
        raise cannot_write(exc.strerror, link) from None
    sticky_public = dst.st_mode & stat.S_ISVTX and dst.st_mode & stat.S_IWOTH
    if sticky_public and st.st_uid not in (os.geteuid(), dst.st_uid):
        raise cannot_write(
            f"not following a symbolic link owned by another user (uid "
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
        raise cannot_write(exc.strerror, label) from None
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
        raise cannot_write(exc.strerror, label) from None
    try:
        # No signal between creating the temporary file and the try that removes it: they
        # are unblocked INSIDE that try, so a stop signal that came meanwhile (it is delivered
        # the moment they are unblocked) unwinds through the unlink below
        blocked = _block_signals()
        try:
            fd, tmp = _create_temp(dir_fd, base)
        except BaseException as exc:
            _unblock_signals(blocked)
            if isinstance(exc, OSError):
                raise cannot_write(exc.strerror, label) from None
            raise
        try:
            _unblock_signals(blocked)
            _copy_mode(fd, st)
            with _text_output(fd, label) as out:
                yield out
            _check_unchanged(dir_fd, base, st, label)
            try:
                os.replace(tmp, base, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
            except OSError as exc:
                raise cannot_write(exc.strerror, label) from None
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
        raise cannot_write(exc.strerror, label) from None
    if st is None and stat.S_ISLNK(now.st_mode):
        return  # a dangling link made meanwhile: the rename replaces the link itself
    if st is None or (now.st_dev, now.st_ino) != (st.st_dev, st.st_ino):
        raise cannot_write("the target was replaced by another file meanwhile", label)


_STOP_NAMES = (
    "SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGALRM",
    "SIGVTALRM", "SIGPROF", "SIGXCPU", "SIGXFSZ", "SIGIO", "SIGPWR", "SIGSTKFLT",
    "SIGABRT", "SIGSYS", "SIGTRAP",  # sent by others too: systemd's watchdog sends SIGABRT
)  # fmt: skip
STOP_SIGNALS = tuple(
    getattr(signal, name) for name in _STOP_NAMES if hasattr(signal, name)
) + tuple(range(signal.SIGRTMIN, signal.SIGRTMAX + 1) if hasattr(signal, "SIGRTMIN") else ())
"""Signals whose default action ends the process (signal(7)) and that can be caught: they
unwind the run so its temporary files are removed. Not SIGPIPE (Python ignores it; a write
then fails with EPIPE) nor the faults the processor raises (SIGSEGV, SIGBUS, SIGFPE, SIGILL),
after which Python code cannot run safely."""


def _block_signals() -> object:
    if hasattr(signal, "pthread_sigmask"):
        return signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
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

    def write(self, data: ReadableBuffer, /) -> int:
        try:
            return super().write(data)
        except BrokenPipeError:
            if self.label == STDOUT_LABEL:  # refconv ... | head: the caller stops quietly
                raise
            raise cannot_write("Broken pipe", self.label) from None
        except OSError as exc:
            raise cannot_write(exc.strerror, self.label) from None

    def close(self) -> None:
        try:
            super().close()  # NFS reports a full disk here
        except OSError as exc:
            raise cannot_write(exc.strerror, self.label) from None


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
        raise cannot_write("standard output is closed", STDOUT_LABEL)
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


def handle_stop_signals(stop: Callable[[int, FrameType | None], None] | None = None) -> None:
    """Make SIGINT, SIGTERM, SIGHUP and the other signals that would end the process
    (``STOP_SIGNALS``) raise ``Stopped`` (by default), so the run unwinds and removes its
    temporary files. A signal that was ignored (``nohup``, a background job's SIGINT, the
    SIGXFSZ Python ignores so that a too large file is a write error) stays ignored."""

    stopped = False

    def handler(signum: int, frame: FrameType | None) -> None:
        nonlocal stopped
        if not stopped:  # once: a second signal (^C^C) must not cut short the removal of
            stopped = True  # the temporary files the first one started
            raise Stopped(signum)

    for signum in STOP_SIGNALS:
        if signal.getsignal(signum) not in (signal.SIG_IGN, None):
            signal.signal(signum, stop or handler)
