"""The command line: options, plugin lookup, opening streams, and the one error boundary.

Exit status: 0 success (warnings allowed), 1 bad data or I/O failure (or any warning under
--strict), 2 usage error, 128 + the signal's number when a signal stopped the run (SIGINT
130, SIGTERM 143, SIGHUP 129, SIGQUIT 131, ...). Diagnostics go to stderr as
``file:line: warning|error: message``, or with ``--diagnostics json`` as one JSON object a
line (``refconv.diagnostics.render``), usage errors and the summaries included.
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import IO, TYPE_CHECKING, Any

import click
from click.shell_completion import CompletionItem

from refconv import __version__
from refconv.diagnostics import (
    DIAGNOSTIC_FORMATS,
    Collected,
    Diagnostics,
    RefconvError,
    Stopped,
    UnknownFormat,
    one_line,
    render,
)
from refconv.io import STDIN_LABEL, SourceLike, check_encoding, check_readable, open_sources
from refconv.keys import check_key_format
from refconv.model import Record
from refconv.output import handle_stop_signals
from refconv.pipeline import (
    DEDUPE_BY,
    DIALECTS,
    SORT_BY,
    Plan,
    SkippedRecords,
    check_input_options,
    plan_conversion,
    read_sources,
    resolve_reader,
    run_inputs,
)
from refconv.plugins import Registry
from refconv.values.vocabulary import DEFAULT_KEY_FORMAT, KEY_PLACEHOLDERS


class _Skipped(Exception):
    """Bad records were reported and skipped: the run fails, and -o keeps its old target."""


class DataError(click.ClickException):
    """A ``RefconvError`` on its way out: printed as ``file:line: error: message`` (or its JSON
    object, ``form`` "json"), exit 1."""

    def __init__(self, error: RefconvError, form: str = "text"):
        super().__init__(error.describe(form))

    def show(self, file: IO[Any] | None = None) -> None:
        _echo_err(self.message)


class Refused(click.UsageError):
    """An output that would destroy what it should not (an input, a file named as the
    directory): exit 2 like any usage error, shown as one ``error:`` line."""

    def show(self, file: IO[Any] | None = None) -> None:
        _echo_err(one_line(f"error: {self.message}"))


class UnknownInput(click.UsageError):
    """An input whose format neither its suffix nor its content tells: a usage error (give
    ``-f``), exit 2, with the code ``unknown-format`` and the input as its path."""

    def __init__(self, error: UnknownFormat) -> None:
        super().__init__(str(error))
        self.diagnostic_code = "unknown-format"
        self.diagnostic_path = error.path


def _diagnostics_form(args: list[str]) -> str:
    """The ``--diagnostics`` form the command line asks for, the last one given as click
    takes it ("text" without one), looked at before click parses the line so that click's
    own usage errors come out in that form too."""
    form = "text"
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg.startswith("--diagnostics="):
            form = arg.partition("=")[2]
        elif arg == "--diagnostics" and i + 1 < len(args):
            form = args[i + 1]
    return form


class _Group(click.Group):
    """refconv's group: a usage error is one ``error:`` line (click's usage text in the text
    form, one JSON object with ``--diagnostics json``: code ``usage``, or ``unknown-format``
    with the input as its path), and a standard error that cannot take it changes nothing
    but that: the exit status is still 2."""

    def main(  # type: ignore[override]
        self,
        args: list[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        argv = sys.argv[1:] if args is None else list(args)
        if not standalone_mode:
            return super().main(argv, prog_name, complete_var, standalone_mode, **extra)
        try:
            status = super().main(argv, prog_name, complete_var, False, **extra)
        except click.ClickException as exc:
            if sys.stderr is None:  # started with fd 2 closed (2>&-): click would print the
                pass  # error on stdout, into the output; the status says it
            elif _diagnostics_form(argv) != "json" or isinstance(exc, DataError):
                with contextlib.suppress(OSError, ValueError):
                    exc.show()
            else:
                code = getattr(exc, "diagnostic_code", "usage")
                path = getattr(exc, "diagnostic_path", None)
                _echo_err(render("json", "error", code, exc.format_message(), path, None))
            sys.exit(exc.exit_code)
        except click.Abort:
            _echo_err("Aborted!")
            sys.exit(1)
        sys.exit(status if isinstance(status, int) else 0)


def _echo_err(line: str) -> None:
    """One line on stderr; a stderr that cannot take it (full, closed) changes nothing: the
    exit status still tells the failure, and the failure is not blamed on stdout (nor
    written into it: with fd 2 closed at start, click would fall back to stdout)."""
    if sys.stderr is None:
        return
    with contextlib.suppress(OSError, ValueError):
        click.echo(line, err=True)


def _validate_encoding(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None:
        try:
            check_encoding(value)
        except LookupError as exc:
            raise click.BadParameter(str(exc)) from None
    return value


def _complete_formats(
    group: str,
) -> Callable[[click.Context, click.Parameter, str], list[CompletionItem]]:
    """Shell completion of format names (``-f``/``-t``), with their descriptions."""

    def complete(
        ctx: click.Context, param: click.Parameter, incomplete: str
    ) -> list[CompletionItem]:
        registry = Registry(Collected())
        plugins = registry.readers() if group == "readers" else registry.writers()
        return [
            CompletionItem(name, help=cls.description)
            for name, cls in plugins.items()
            if name.startswith(incomplete.lower())
        ]

    return complete


def _complete_styles(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """Shell completion of ``--style``: installed style names (paths complete as files)."""
    if "/" in incomplete or incomplete.endswith(".csl"):
        return [CompletionItem(incomplete, type="file")]
    from refconv.formats.formatted.styles import style_names

    return [CompletionItem(name) for name in style_names() if name.startswith(incomplete)]


def _complete_locales(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    from refconv.formats.formatted.write import known_locales

    return [CompletionItem(tag) for tag in known_locales() if tag.startswith(incomplete)]


def _validate_key_format(ctx: click.Context, param: click.Parameter, value: str) -> str:
    try:
        check_key_format(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    return value


if TYPE_CHECKING:  # generic in click's type hints from 8.2 on, not at run time before
    _ParamType = click.ParamType[str]
else:
    _ParamType = click.ParamType


class _PathArgument(_ParamType):
    """A file or directory name, taken as written (refconv checks it and says what is wrong
    in its own words), that the shells complete from the file system: click's completion
    scripts fall back to bash's and zsh's file completion and fish's path completion for an
    item of type "file" or "dir" (their scripts give no other fallback)."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.name = kind

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        return str(value)

    def shell_complete(
        self, ctx: click.Context, param: click.Parameter, incomplete: str
    ) -> list[CompletionItem]:
        return [CompletionItem(incomplete, type=self.kind)]


_FILE = _PathArgument("file")
_DIRECTORY = _PathArgument("dir")


def _validate_jobs(ctx: click.Context, param: click.Parameter, value: int | None) -> int | None:
    """``-j N``: a number of processes, 1 or more (an IntRange would print "[x>=1]" in the
    help)."""
    if value is not None and value < 1:
        raise click.BadParameter(f"{value} is not a number of processes (1 or more)")
    return value


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="refconv")
def cli() -> None:
    """Convert bibliographic records between Refer/EndNote, CSL-JSON and other formats.

    Run 'refconv formats' for the formats installed, 'refconv convert --help' for examples.
    """


def _diagnostics_option(command: Callable[..., None]) -> Callable[..., None]:
    """``--diagnostics text|json``, shared by ``convert`` and ``check``."""
    return click.option(
        "--diagnostics",
        "diagnostics_form",
        type=click.Choice(DIAGNOSTIC_FORMATS),
        default="text",
        show_default=True,
        help="How warnings, errors and notes are printed on stderr: 'file:line: level: "
        "message' lines, or one JSON object a line (path, line, level, code, message) for "
        "editors and CI. The codes are listed in refconv(1) and the README.",
    )(command)


@cli.command("convert", short_help="Convert INPUT files (default: stdin) to one output.")
@click.argument("inputs", nargs=-1, metavar="[INPUT]...", type=_FILE)
@click.option(
    "-f",
    "--from",
    "from_format",
    metavar="FORMAT",
    shell_complete=_complete_formats("readers"),
    help="Input format. Default: from each input's suffix, then from its content.",
)
@click.option(
    "-t",
    "--to",
    "to_format",
    metavar="FORMAT",
    shell_complete=_complete_formats("writers"),
    help="Output format. Default: from the suffix of -o.",
)
@click.option(
    "-o",
    "--output",
    metavar="PATH",
    type=_FILE,
    help="Write here instead of stdout: a regular file is replaced atomically (links "
    "followed, but not another user's in a sticky directory such as /tmp; mode kept); a "
    "device or FIFO is written into.",
)
@click.option(
    "--out-dir",
    metavar="DIR",
    type=_DIRECTORY,
    help="Batch mode: write one output per input into DIR (same stem, the format's suffix).",
)
@click.option(
    "--dialect",
    type=click.Choice(DIALECTS),
    default="auto",
    show_default=True,
    help="Refer dialect: auto decides per record (EndNote when it has %0).",
)
@click.option(
    "--encoding",
    metavar="NAME",
    callback=_validate_encoding,
    help="Input encoding. Default: BOM, else UTF-8 with a Windows-1252 fallback.",
)
@click.option(
    "--fix-text",
    is_flag=True,
    help="Repair mis-decoded text (mojibake: 'CafÃ©', '20¨C30%'); each repair is noted on "
    "stderr. Without it such text is a warning.",
)
@click.option(
    "--key-format",
    default=DEFAULT_KEY_FORMAT,
    show_default=True,
    metavar="TEMPLATE",
    callback=_validate_key_format,
    help="Citation key template; placeholders: "
    + ", ".join("{" + k + "}" for k in KEY_PLACEHOLDERS)
    + ".",
)
@click.option(
    "--dedupe",
    type=click.Choice(DEDUPE_BY),
    help="Merge records that share a DOI, an input citation key, or title + year + first "
    "author into the first of them: it gets the fields it lacks from the others, differing "
    "values go to its custom, and each merge is a note. Holds every record in memory.",
)
@click.option(
    "--sort",
    type=click.Choice(SORT_BY),
    default="none",
    show_default=True,
    help="Order of the output: by citation key; by first author, year, title; by year, "
    "author, title (records without the value last, ties in input order). Keys are given "
    "in input order first. Holds every record in memory.",
)
@click.option(
    "--latex",
    is_flag=True,
    help="BibTeX/BibLaTeX: write non-ASCII as LaTeX macros ({\\'e}) instead of UTF-8.",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Treat every warning, and every value the output format has no field for (that "
    "would go to its note), as an error (exit 1).",
)
@click.option(
    "--style",
    metavar="NAME|PATH.csl",
    shell_complete=_complete_styles,
    help="Formatted output (text, html, markdown, rst): the CSL style. Default: apa.",
)
@click.option(
    "--locale",
    metavar="TAG",
    shell_complete=_complete_locales,
    help="Formatted output: the locale (en-US, de-DE, ...). Default: the style's.",
)
@click.option("--standalone", is_flag=True, help="HTML: a complete page instead of a fragment.")
@click.option(
    "-j",
    "--jobs",
    type=int,
    callback=_validate_jobs,
    metavar="N",
    help="Processes: one big Refer, RIS or MEDLINE input is cut at record boundaries and "
    "its parts converted in parallel (default: all cores from 16 MB of input, else one); "
    "with --out-dir, inputs converted in parallel (default: all cores); formatted output, "
    "references rendered in parallel (default: one process below 20,000 references, else "
    "all cores). The output does not depend on N. With --dedupe or --sort, inputs are not cut.",
)
@click.option(
    "--report",
    is_flag=True,
    help="Print on stderr what the conversion kept in note fields and which types the "
    "output format could not express, by field and count.",
)
@click.option(
    "-q", "--quiet", is_flag=True, help="Do not print warnings or notes (errors still print)."
)
@_diagnostics_option
def convert_command(
    inputs: tuple[str, ...],
    from_format: str | None,
    to_format: str | None,
    output: str | None,
    out_dir: str | None,
    dialect: str,
    encoding: str | None,
    fix_text: bool,
    key_format: str,
    dedupe: str | None,
    sort: str,
    latex: bool,
    style: str | None,
    locale: str | None,
    standalone: bool,
    jobs: int | None,
    strict: bool,
    report: bool,
    quiet: bool,
    diagnostics_form: str,
) -> None:
    """Convert INPUT files (default: stdin; '-' is stdin) to one output.

    Several inputs are concatenated into one output with unique keys.

    \b
    Examples:
      refconv convert paper.enw -t csljson
      refconv convert a.enw b.refer -o refs.json
      refconv convert paper.enw -t bibtex --latex > refs.bib
      cat paper.enw | refconv convert -f refer -t csljson > refs.json
      refconv convert paper.enw -t text --style ieee
      refconv convert zotero.json pubmed.nbib -t bibtex --dedupe doi --sort author
      refconv convert *.enw --out-dir bib/ -t bibtex --jobs 4
    """
    diagnostics = Diagnostics(strict=strict, quiet=quiet, form=diagnostics_form)
    registry = Registry(diagnostics)  # the run's one registry
    options: dict[str, Any] = {"latex": latex, "style": style, "locale": locale,
                               "standalone": standalone}  # fmt: skip
    sources: list[SourceLike] = [*inputs] or ["-"]
    dest = "-" if output is None else output
    try:  # names and paths given on the command line: usage errors, before reading anything
        reader = resolve_reader(registry, from_format)
        if out_dir is not None:
            batch_options = {
                **options, "fix_text": fix_text, "from_": from_format, "encoding": encoding,
                "dialect": dialect, "key_format": key_format, "dedupe": dedupe, "sort": sort,
            }  # fmt: skip
            return _convert_batch(
                inputs, out_dir, to_format, output, jobs, registry, batch_options, report
            )
        plan = plan_conversion(
            registry, diagnostics, sources, dest, from_format, to_format, reader=reader,
            encoding=encoding, dialect=dialect, key_format=key_format, fix_text=fix_text,
            dedupe=dedupe, sort=sort, **options, jobs=jobs,
        )  # fmt: skip
    except LookupError as exc:
        raise click.UsageError(str(exc)) from None
    except ValueError as exc:
        raise Refused(str(exc)) from None
    except RefconvError as exc:
        raise DataError(exc, diagnostics_form) from None
    try:  # the one error boundary around reading and writing (STYLE.md §6)
        for name in inputs:
            if name != "-":
                check_readable(name)
        run_inputs(plan, [str(s) for s in sources], dest, jobs)
    except SkippedRecords:  # each was reported; an -o target is left as it was
        _report(report, diagnostics, to_format or output)
        raise SystemExit(1) from None
    except RefconvError as exc:
        raise DataError(exc, diagnostics_form) from None
    except UnknownFormat as exc:  # an input whose format nothing tells: give -f
        raise UnknownInput(exc) from None
    except BrokenPipeError:
        _silence_stdout()
        return
    _report(report, diagnostics, plan.writer.name if plan.writer else to_format)


def _report(report: bool, diagnostics: Diagnostics, target: str | None) -> None:
    if report:
        diagnostics.report(target or "output")


def _convert_batch(
    inputs: tuple[str, ...],
    out_dir: str,
    to_format: str | None,
    output: str | None,
    jobs: int | None,
    registry: Registry,
    options: dict[str, Any],
    report: bool,
) -> None:
    """``--out-dir``: one output per input, in parallel with ``--jobs``; ``--report`` sums
    the inputs'."""
    if output is not None:
        raise click.UsageError("-o and --out-dir exclude each other")
    if not to_format:
        raise click.UsageError("--out-dir needs -t FORMAT")
    if not inputs:
        raise click.UsageError("--out-dir needs input files (not standard input)")
    from refconv.batch import batch_targets, convert_batch  # (pathlib) only for --out-dir

    batch_targets(inputs, out_dir, to_format, registry=registry)  # usage errors: see caller
    try:
        failed = convert_batch(
            inputs, out_dir, to_format, jobs=jobs or os.cpu_count() or 1,
            diagnostics=registry.diagnostics, registry=registry, **options,
        )  # fmt: skip
    except RefconvError as exc:
        raise DataError(exc, registry.diagnostics.form) from None
    _report(report, registry.diagnostics, to_format)
    if failed:
        raise SystemExit(1)


@cli.command("check", short_help="Report the problems of INPUT files; exit 1 if any.")
@click.argument("inputs", nargs=-1, metavar="[INPUT]...", type=_FILE)
@click.option(
    "-f",
    "--from",
    "from_format",
    metavar="FORMAT",
    shell_complete=_complete_formats("readers"),
    help="Input format. Default: from each input's suffix, then from its content.",
)
@click.option(
    "--dialect",
    type=click.Choice(DIALECTS),
    default="auto",
    show_default=True,
    help="Refer dialect (see 'convert --help').",
)
@click.option(
    "--encoding",
    metavar="NAME",
    callback=_validate_encoding,
    help="Input encoding. Default: BOM, else UTF-8 with a Windows-1252 fallback.",
)
@_diagnostics_option
def check_command(
    inputs: tuple[str, ...],
    from_format: str | None,
    dialect: str,
    encoding: str | None,
    diagnostics_form: str,
) -> None:
    """Report every problem of INPUT files (default: stdin) as file:line: warning lines (or
    JSON objects with --diagnostics json), with a summary that counts them by code.

    Problems: what the reader could not read (unknown type or tag, a date it could not
    parse, bad encoding), no title, no year, a malformed DOI, an ISBN or ISSN with a wrong
    check digit, the same DOI or key twice, damaged text (mojibake, control characters).
    The problems come sorted by input and line, then a summary line. Exit 0 when the input
    is clean, 1 when there was any problem, 2 when an input could not be checked (missing,
    unreadable, not text, of no format refconv can tell) or the command line is wrong: a
    Makefile lint step.

    \b
    Examples:
      refconv check refs.enw
      refconv check *.bib *.ris
    """
    from refconv.check import CheckDiagnostics, check  # only this command needs it

    diagnostics = CheckDiagnostics(
        inputs=[STDIN_LABEL if n == "-" else n for n in inputs], form=diagnostics_form
    )
    registry = Registry(diagnostics)
    try:
        reader = resolve_reader(registry, from_format)
    except LookupError as exc:
        raise click.UsageError(str(exc)) from None
    plan = Plan(
        registry,
        diagnostics,
        reader=reader,
        reader_options=check_input_options(encoding, dialect),
        encoding=encoding,
    )
    records = _Counted()
    failure: RefconvError | None = None
    try:
        for name in inputs:
            if name != "-":
                check_readable(name)
        check(records.count(read_sources(plan, open_sources(list(inputs) or ["-"]))), diagnostics)
    except RefconvError as exc:
        failure = exc
    except UnknownFormat as exc:  # this input cannot be checked: as an unreadable one
        failure = exc.as_error()
    diagnostics.flush()
    if failure is not None:  # the input could not be checked to its end: status 2
        _echo_err(failure.describe(diagnostics_form))
    diagnostics.check_summary(records.n, stopped=failure is not None)
    if failure is not None:
        raise SystemExit(2)
    if diagnostics.count + diagnostics.errors:
        raise SystemExit(1)


class _Counted:
    """The records that pass, counted (``check`` has no count when reading stops)."""

    n = 0

    def count(self, records: Iterable[Record]) -> Iterator[Record]:
        for record in records:
            self.n += 1
            yield record


@cli.command("styles", short_help="List the installed CSL styles matching TEXT.")
@click.argument("text", required=False, default="")
def styles_command(text: str) -> None:
    """List the installed CSL styles whose name or title contains TEXT (all without TEXT).

    \b
    Examples:
      refconv styles vancouver
      refconv styles "American Psychological"
    """
    from refconv.formats.formatted.styles import search_styles

    found = search_styles(text)
    try:
        click.echo("".join(f"{name}\t{title}\n" for name, title in found), nl=False)
    except BrokenPipeError:  # refconv styles | head
        _silence_stdout()
    if not found:
        _echo_err(f"no style matches {text!r}")
        raise SystemExit(1)


@cli.command("formats", short_help="List the installed readers and writers.")
def formats_command() -> None:
    """List the installed readers and writers with their aliases and file suffixes."""
    registry = Registry(Diagnostics())
    groups = (("readers", registry.readers()), ("writers", registry.writers()))
    width = max([10, *(len(name) for _, plugins in groups for name in plugins)])
    for title, plugins in groups:
        click.echo(f"{title}:")
        for name, cls in plugins.items():
            aliases = ", ".join(cls.aliases) or "-"
            suffixes = " ".join(cls.suffixes) or "-"
            click.echo(f"  {name:<{width}} {cls.description}")
            click.echo(f"  {'':<{width}} aliases: {aliases}; suffixes: {suffixes}")


def _silence_stdout() -> None:
    """After the reader of our stdout went away (``refconv ... | head``): stop quietly.

    Pointing stdout at /dev/null keeps Python's final flush from printing a second error.
    """
    with contextlib.suppress(OSError, ValueError, io.UnsupportedOperation):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def main() -> None:
    """Console entry point (``refconv`` and ``python -m refconv``).

    SIGINT, SIGTERM, SIGHUP and every other signal that would end the process (SIGQUIT,
    SIGUSR1, SIGALRM, ...; ``refconv.output.STOP_SIGNALS``) remove the temporary files of
    ``-o`` and ``--out-dir``, print one line and exit with 128 + the signal's number (130,
    143, 129, ...), as a shell reports a command killed by it.
    """
    handle_stop_signals()
    try:
        cli.main(prog_name="refconv")
    except Stopped as exc:
        message = _stop_message(exc.signum)
        if _diagnostics_form(sys.argv[1:]) == "json":
            line = render("json", "error", "stopped", message, None, None)
        else:
            line = f"refconv: {message}"
        _echo_err(line)
        os._exit(128 + exc.signum)  # temporary files are gone; nothing else is to be done
    finally:
        _flush_stderr()


def _stop_message(signum: int) -> str:
    if signum == signal.SIGINT:
        return "interrupted"
    try:
        return f"stopped by {signal.Signals(signum).name}"
    except ValueError:  # a real-time signal between SIGRTMIN and SIGRTMAX has no name
        return f"stopped by signal {signum}"


def _flush_stderr() -> None:
    """A stderr that could not take a diagnostic (2>/dev/full) would fail Python's final
    flush and turn the exit status into 120: drop what is left by pointing it at /dev/null."""
    if sys.stderr is None:
        return
    try:
        sys.stderr.flush()
    except (OSError, ValueError):
        with contextlib.suppress(OSError, ValueError, io.UnsupportedOperation):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stderr.fileno())
            sys.stderr.flush()
