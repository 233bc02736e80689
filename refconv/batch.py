"""Batch mode (``--out-dir``): one output per input, in parallel processes with ``--jobs``.

Each input is one run of the pipeline (its own Plan, writer and diagnostics, collected and
replayed in input order), so the outputs and the order of the messages do not depend on the
number of processes.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

from refconv.diagnostics import Collected, Diagnostic, Diagnostics, RefconvError, UnknownFormat
from refconv.io import SourceLike, check_distinct_output, open_sources
from refconv.output import cannot_write, handle_stop_signals
from refconv.pipeline import SkippedRecords, plan_conversion, run
from refconv.plugins import Registry

if TYPE_CHECKING:  # multiprocessing costs ~30 ms to import: only when -j runs processes
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

#: One input of a batch: (input path, output path, output format, options of ``convert``,
#: its input format as ``from_``).
Task = tuple[str, str, str, dict[str, Any]]
#: What converting one input gives: (its diagnostics, its counts (``Diagnostics.counts``),
#: whether it succeeded).
Result = tuple[list[Diagnostic], dict[str, Any], bool]


def batch_targets(
    sources: Iterable[str | os.PathLike[str]],
    out_dir: str | os.PathLike[str],
    to: str,
    *,
    registry: Registry | None = None,
) -> list[tuple[str, Path]]:
    """(input, output path) pairs of a batch: same stem, the writer's suffix, in ``out_dir``.

    Raises ``LookupError`` for an unknown format, ``RefconvError`` for an empty ``out_dir``
    (as for an empty ``-o``) and ``ValueError`` when two inputs would write the same output,
    an output would replace an input, an input is standard input or ``out_dir`` exists and
    is not a directory. ``registry`` defaults to a new one that reports nothing.
    """
    writer_cls = (registry or Registry(Collected())).find_writer(to)
    suffix = writer_cls.output_suffix()
    if not os.fspath(out_dir):  # as -o '': not the current directory by accident
        raise cannot_write("the output path is empty")
    if os.path.exists(out_dir) and not os.path.isdir(out_dir):
        raise ValueError(f"--out-dir {os.fspath(out_dir)} exists and is not a directory")
    pairs: list[tuple[str, Path]] = []
    seen: dict[Path, str] = {}
    for source in sources:
        name = os.fspath(source)
        if name == "-":
            raise ValueError("standard input cannot be converted into a directory")
        target = Path(out_dir) / (Path(name).stem + suffix)
        if target in seen:
            raise ValueError(f"{seen[target]} and {name} would both write {target}")
        seen[target] = name
        pairs.append((name, target))
    names: list[SourceLike] = [name for name, _ in pairs]
    for _, target in pairs:
        check_distinct_output(names, target)
    return pairs


def convert_batch(
    sources: Iterable[str | os.PathLike[str]],
    out_dir: str | os.PathLike[str],
    to: str,
    *,
    jobs: int = 1,
    diagnostics: Diagnostics | None = None,
    registry: Registry | None = None,
    **options: Any,
) -> int:
    """Convert each input file to its own output in ``out_dir`` (see ``batch_targets``).

    With ``jobs > 1`` the inputs are converted by that many processes; the outputs and the
    order of the diagnostics are the same as with one. An input that fails is reported and
    its output left as it was; the others are still written. Returns how many failed.
    ``options`` are those of ``convert`` (``from_``, ``encoding``, ``key_format``, ...).
    """
    diagnostics = diagnostics if diagnostics is not None else Diagnostics()
    pairs = batch_targets(sources, out_dir, to, registry=registry)
    try:
        Path(out_dir).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RefconvError(
            f"cannot create directory: {exc.strerror}", os.fspath(out_dir), code="write-failed"
        ) from None
    options = {**options, "strict": diagnostics.strict, "quiet": diagnostics.quiet}
    if "style" in options and options.get("jobs") is None:
        options["jobs"] = 1  # the processes are the inputs'
    tasks: list[Task] = [(name, str(target), to, options) for name, target in pairs]
    if jobs > 1 and len(tasks) > 1:
        results = _convert_in_processes(tasks, jobs)
    else:
        results = [_convert_one(task) for task in tasks]
    failed = 0
    for messages, counts, ok in results:
        diagnostics.add_counts(counts)  # for --report and the exit status
        for message in messages:
            diagnostics.emit(message.kind, message.code, message.message, message.path,
                             message.line)  # fmt: skip
        failed += not ok
    return failed


def _convert_in_processes(tasks: list[Task], jobs: int) -> list[Result]:
    """``_convert_one`` of each task in its own process, at most ``jobs`` at a time; the
    results in task order. One process per input, not a ``multiprocessing.Pool``: on a stop
    signal or an error the running processes get SIGTERM (each removes its temporary file,
    see ``_init_worker``) and are waited for; a Pool replaced a stopped worker behind our
    back, and its terminate() then waited for the new one forever."""
    import multiprocessing  # ~30 ms: only when used
    from multiprocessing.connection import Connection, wait

    results: list[Result] = [([], Collected().counts(), False)] * len(tasks)
    running: dict[Connection, tuple[int, BaseProcess]] = {}
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
                assert isinstance(ready, Connection), "wait returns the connections given"
                index, finished = running.pop(ready)
                try:
                    results[index] = ready.recv()
                except EOFError:  # the process died without a word (killed)
                    name = tasks[index][0]
                    error = RefconvError("conversion stopped", name, code="worker-failed")
                    results[index] = _failed([], Collected().counts(), error)
                ready.close()
                finished.join()
    except BaseException:
        _stop([process for _, process in running.values()])
        raise


def _worker(task: Task, send: Connection) -> None:
    _init_worker()
    send.send(_convert_one(task))
    send.close()


def _stop(processes: list[BaseProcess], grace: float = 10.0, again: float = 0.1) -> None:
    """SIGTERM each process, again every ``again`` s while it runs; SIGKILL one still there
    after ``grace`` s.

    Again: a signal that lands after Python's last check for signals but before a blocking
    read starts (a worker waiting on a FIFO or its pipe) only sets Python's flag, and the
    read goes on waiting; the next SIGTERM interrupts the read (EINTR) and Python runs the
    handler, which raises once (``_init_worker``), so the worker still removes its files."""
    deadline = time.monotonic() + grace
    running = list(processes)
    while running and time.monotonic() < deadline:
        for process in running:
            process.terminate()
        for process in running:
            process.join(again / len(running))
        running = [process for process in running if process.exitcode is None]
    for process in running:
        process.kill()
        process.join(grace)


def _init_worker() -> None:
    """A batch worker: a stop signal (from the terminal, or the parent stopping it, see
    ``_stop``) ends it quietly with 128 + the signal's number, after its temporary file is
    removed."""

    stopping = False

    def handler(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        if not stopping:  # once: a later signal (``_stop`` sends again) must not cut short
            stopping = True  # the removal of the temporary file the first one started
            raise SystemExit(128 + signum)  # multiprocessing ends a process on it quietly

    handle_stop_signals(handler)


def _convert_one(task: Task) -> Result:
    """One input of a batch, in this or a worker process: (diagnostics, records, success).

    One run of the pipeline: one Registry and one writer for this input's output."""
    name, target, to, options = task
    options = dict(options)
    collected = Collected(strict=options.pop("strict"), quiet=options.pop("quiet"))
    from_ = options.pop("from_", None)
    try:
        plan = plan_conversion(Registry(collected), collected, name, target, from_, to, **options)
        run(plan, open_sources(name), target)
        ok = True
    except SkippedRecords:
        ok = False
    except (RefconvError, UnknownFormat) as exc:
        error = exc if isinstance(exc, RefconvError) else exc.as_error()
        return _failed(collected.messages, collected.counts(), error)
    return collected.messages, collected.counts(), ok


def _failed(messages: list[Diagnostic], counts: dict[str, Any], error: RefconvError) -> Result:
    """The result of an input that ``error`` stopped: its message last, and counted."""
    counts["errors"] += 1
    counts["by_code"][error.code] += 1
    message = Diagnostic("error", error.message, error.path, error.line, error.code)
    return [*messages, message], counts, False
