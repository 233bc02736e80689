"""The one pipeline: source → reader → transforms → keys → writer, planned once per run.

A ``Plan`` holds what a run needs, looked up and checked before the first byte is read: one
``Registry``, the reader class (or None: one lookup per source, by suffix and then content),
the reader options, the transforms, one writer instance and the key options. ``run`` streams
records through it. The command line and the library API both build a Plan here, so they
cannot disagree; nothing here knows click.

``--dedupe`` and ``--sort`` (``Plan.dedupe``, ``Plan.sort``) need the whole input: with
either, the records are held in memory between the transforms and the writer, in this
order: duplicates merged (``transforms.dedupe``: a merged record takes no key), keys given
in input order (so they do not depend on ``--sort``), the records sorted
(``transforms.sort``), written. Without them nothing is held: the records stream.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from refconv.diagnostics import Diagnostics, RefconvError, UnknownFormat
from refconv.formats.base import BlankReader, Reader, Writer
from refconv.io import (
    Source,
    SourceLike,
    blank_input,
    check_distinct_output,
    check_encoding,
    declared_encoding,
    iter_lines,
    open_sources,
    peek_text,
)
from refconv.keys import KeyAssigner
from refconv.model import Record
from refconv.output import DestLike, open_output
from refconv.plugins import Registry, suffix_of
from refconv.transforms import DEDUPE_BY, SORT_BY, Transform, apply_transforms
from refconv.transforms.textfix import TextCheck
from refconv.values.vocabulary import DEFAULT_KEY_FORMAT

#: The Refer dialects (refer-format.md): ``auto`` decides per record (EndNote with ``%0``).
DIALECTS = ("auto", "refer", "endnote")


class SkippedRecords(RefconvError):
    """Some records could not be converted (each was reported); the others were written,
    except to a path, which is left as it was. Its code is ``records-skipped``."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code="records-skipped")


@dataclass(frozen=True)
class Plan:
    """A run's readers, transforms, keys and writer, resolved and validated once.

    ``reader`` None means: each source's reader is chosen by its suffix, then its content
    (``choose_reader``). ``writer`` None is a plan that only reads. Build one with
    ``resolve_reader``, ``check_input_options`` and ``resolve_writer``, which raise the
    usage errors (``LookupError``, ``ValueError``) before anything is read.
    """

    registry: Registry
    diagnostics: Diagnostics
    reader: type[Reader] | None = None
    reader_options: Mapping[str, Any] = field(default_factory=dict)
    encoding: str | None = None
    transforms: tuple[Transform, ...] = (TextCheck(),)
    writer: Writer | None = None
    key_format: str = DEFAULT_KEY_FORMAT
    #: ``--dedupe``: merge the records of one work (``doi``, ``key``, ``title``); None: not
    dedupe: str | None = None
    #: ``--sort``: the order of the output (``key``, ``author``, ``year``); ``none``: input
    sort: str = "none"

    @property
    def holds_records(self) -> bool:
        """True when the run needs every record before writing one (``dedupe``, ``sort``)."""
        return self.dedupe is not None or self.sort != "none"


def resolve_reader(registry: Registry, name: str | None) -> type[Reader] | None:
    """The reader called ``name``, or None without a name; ``LookupError`` for an unknown one."""
    return registry.find_reader(name) if name else None


def check_input_options(encoding: str | None, dialect: str) -> dict[str, Any]:
    """The reader options for ``dialect``; ``LookupError`` for an encoding that is no text
    encoding, ``ValueError`` for an unknown dialect."""
    if encoding is not None:
        check_encoding(encoding)
    if dialect not in DIALECTS:  # the reader would take any other as "auto", silently
        raise ValueError(f"unknown dialect {dialect!r}; known: {', '.join(DIALECTS)}")
    return {"dialect": dialect}


def check_arrangement(dedupe: str | None, sort: str) -> None:
    """Raise ``ValueError`` for a ``dedupe`` or ``sort`` the pipeline does not know."""
    from refconv.transforms.dedupe import check_dedupe
    from refconv.transforms.sort import check_sort

    if dedupe is not None:
        check_dedupe(dedupe)
    check_sort(sort)


def resolve_writer(
    registry: Registry,
    name: str | None,
    dest: DestLike,
    diagnostics: Diagnostics,
    options: Mapping[str, Any],
) -> Writer:
    """The writer for ``name`` (or the suffix of a path ``dest``), made with ``options``.

    Raises ``LookupError`` for an unknown format, style or locale, or style options given to
    a writer that is not a formatted one.
    """
    writer_cls = registry.find_writer(name) if name else None
    path = os.fspath(dest) if isinstance(dest, (str, os.PathLike)) else "-"
    suffix = suffix_of(path) if path != "-" else ""
    if writer_cls is None and path != "-":
        writer_cls = registry.writer_for_path(path)
    if writer_cls is None:
        known = ", ".join(registry.writers())
        if suffix:  # -o refs.bibtex: say what is wrong with it
            suffixes = sorted({s for cls in registry.writers().values() for s in cls.suffixes})
            raise LookupError(
                f"{path}: the suffix {suffix} names no output format (known: "
                f"{', '.join(suffixes)}); give -t FORMAT ({known})"
            )
        raise LookupError(f"no output format; give -t FORMAT ({known})")

    if options.get("style") or options.get("locale"):
        from refconv.formats.formatted.write import DEFAULT_STYLE, FormattedWriter, load_style

        if not issubclass(writer_cls, FormattedWriter):
            raise LookupError(
                f"--style and --locale apply to formatted output, not {writer_cls.name}"
            )
        load_style(options.get("style") or DEFAULT_STYLE, options.get("locale"))
    return writer_cls(diagnostics=diagnostics, **options)


def check_suffix(
    registry: Registry, writer: type[Writer], path: str, diagnostics: Diagnostics
) -> None:
    """Warn when the suffix of the output ``path`` names another format than ``writer``
    (``-t ris -o refs.bib``); a kind of the named format (``-t biblatex -o refs.bib``) is not
    another."""
    suffix = suffix_of(path) if path != "-" else ""
    named = registry.writer_for_path(path) if suffix else None
    if named is not None and suffix not in writer.suffixes and not issubclass(writer, named):
        diagnostics.warn(
            f"{suffix} is the suffix of {named.name}, not {writer.name}",
            path,
            code="suffix-mismatch",
        )


def plan_conversion(
    registry: Registry,
    diagnostics: Diagnostics,
    source: SourceLike,
    dest: DestLike,
    from_: str | None,
    to: str | None,
    *,
    encoding: str | None = None,
    dialect: str = "auto",
    key_format: str = DEFAULT_KEY_FORMAT,
    fix_text: bool = False,
    reader: type[Reader] | None = None,
    dedupe: str | None = None,
    sort: str = "none",
    **options: Any,
) -> Plan:
    """The plan of ``convert``: the writer first (a wrong output fails before anything is
    read), an output that is one of the inputs refused, then the reader (``reader`` when the
    caller resolved it already, else ``from_`` or one sniff per source) and its options;
    ``dedupe`` and ``sort`` as ``Plan`` has them (``ValueError`` for unknown ones)."""
    if dedupe is not None or sort != "none":
        check_arrangement(dedupe, sort)
    writer = resolve_writer(registry, to, dest, diagnostics, options)
    if isinstance(dest, (str, os.PathLike)):
        check_distinct_output(source, dest)
        if to:
            check_suffix(registry, type(writer), os.fspath(dest), diagnostics)
    if reader is None:
        reader = resolve_reader(registry, from_)
    return Plan(
        registry,
        diagnostics,
        reader=reader,
        reader_options=check_input_options(encoding, dialect),
        encoding=encoding,
        transforms=(TextCheck(fix=fix_text),),
        writer=writer,
        key_format=key_format,
        dedupe=dedupe,
        sort=sort,
    )


def choose_reader(registry: Registry, source: Source, name: str | None) -> type[Reader]:
    """The reader for one source: ``name`` if given, else by suffix, else by content.

    An input of white space only is ``BlankReader``'s (zero records, in any output format:
    ``grep ... | refconv convert -t bibtex`` when nothing matched); raises ``UnknownFormat``
    (a ``LookupError``) when nothing fits: a usage error.
    """
    if name:
        return registry.find_reader(name)
    cls = registry.reader_for_path(source.label)
    if cls is not None:
        return cls
    source.stream, head = peek_text(source.stream)
    cls = registry.sniff_reader(head)
    if cls is None and blank_input(source, head):  # no format to tell, and none needed
        return BlankReader
    if cls is None:
        known = ", ".join(registry.readers())
        raise UnknownFormat(
            f"cannot tell the format of {source.label}; use -f FORMAT ({known})", source.label
        )
    return cls


def read_sources(plan: Plan, sources: Iterable[Source]) -> Iterator[Record]:
    """Yield the records of every source in turn, each through the plan's transforms."""
    for source in sources:
        cls = plan.reader or choose_reader(plan.registry, source, None)
        reader = cls(diagnostics=plan.diagnostics, **plan.reader_options)
        encoding = plan.encoding
        if encoding is None and cls.xml:  # an XML document says its own encoding
            source.stream, head = peek_text(source.stream)
            encoding = declared_encoding(head)
        lines = iter_lines(source.stream, source.label, plan.diagnostics, encoding)
        records = reader.read(lines, source.label)
        yield from apply_transforms(plan.transforms, records, plan.diagnostics)


def write_records(
    plan: Plan, records: Iterable[Record], dest: DestLike, keys: Iterable[str] | None = None
) -> str | None:
    """Give ``records`` keys (``plan.key_format``, or ``keys`` in order) and write them with
    the plan's writer to ``dest``; a path is replaced only when everything was written.
    With ``plan.dedupe`` or ``plan.sort`` the records are merged before the keys are given
    and sorted after (see the module).

    Returns the text when ``dest`` is None. Raises ``SkippedRecords`` when the writer reported
    records it could not convert.
    """
    diagnostics = plan.diagnostics
    if plan.writer is None:
        raise ValueError("this plan has no writer")
    before = diagnostics.errors
    if plan.holds_records:
        keyed: Iterable[Record] = _arranged(plan, records, keys)
    elif keys is None:
        keyed = KeyAssigner(plan.key_format, diagnostics).assign(records)
    else:
        keyed = _with_keys(records, keys)
    with open_output(dest) as out:
        plan.writer.write(_counted(keyed, diagnostics), out)
        if diagnostics.errors > before:  # raised inside: a path target stays as it was
            n = diagnostics.errors - before
            raise SkippedRecords(f"{n} record{'s' * (n != 1)} could not be converted")
        getvalue = getattr(out, "getvalue", None)  # dest None: the StringIO of open_output
        if dest is None and getvalue is not None:
            text: str = getvalue()
            return text
    return None


def run(plan: Plan, sources: Iterable[Source], dest: DestLike) -> str | None:
    """Stream ``sources`` through the whole plan into ``dest`` (see ``write_records``)."""
    return write_records(plan, read_sources(plan, sources), dest)


#: Without ``-j``, inputs of at least this many bytes in all are split over every core
#: (``refconv.parallel``; measured with ``benchmarks/run.py``: below it the processes cost
#: more than they save).
PARALLEL_BYTES = 16 << 20


def run_inputs(
    plan: Plan, names: Sequence[str], dest: DestLike, jobs: int | None = None
) -> str | None:
    """``run`` over the inputs ``names`` (paths, ``-`` for standard input) with ``jobs``
    processes (default: one per core from ``PARALLEL_BYTES`` of input on, else one) when
    they give the output of one (``refconv.parallel.workers``), else in this process."""
    if jobs is None:
        size = sum(os.path.getsize(name) for name in names if name != "-" and os.path.isfile(name))
        jobs = usable_cores() if size >= PARALLEL_BYTES else 1
    if jobs > 1:
        from refconv import parallel

        jobs = parallel.workers(plan, names, jobs)
        if jobs > 1:
            return parallel.run_parallel(plan, names, dest, jobs)
    return run(plan, open_sources(list(names)), dest)


def usable_cores() -> int:
    """The cores this process may run on (its affinity mask, not the machine's count)."""
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity is not None else os.cpu_count() or 1


def _arranged(plan: Plan, records: Iterable[Record], keys: Iterable[str] | None) -> list[Record]:
    """Every record, merged (``plan.dedupe``), keyed in input order, then sorted
    (``plan.sort``): held in memory, as --dedupe and --sort need."""
    from refconv.transforms.dedupe import dedupe
    from refconv.transforms.sort import sort_records

    if plan.dedupe is not None:
        if keys is not None:  # the keys given are one per input record
            raise ValueError("keys cannot be given for records that --dedupe may merge")
        records = dedupe(records, plan.dedupe, plan.diagnostics)
    if keys is None:
        keyed = list(KeyAssigner(plan.key_format, plan.diagnostics).assign(records))
    else:
        keyed = list(_with_keys(records, keys))
    return sort_records(keyed, plan.sort)


def _with_keys(records: Iterable[Record], keys: Iterable[str]) -> Iterator[Record]:
    given = iter(keys)
    for record in records:
        key = next(given, None)
        if key is None:
            raise ValueError("fewer keys than records")
        record.id = key
        yield record


def _counted(records: Iterable[Record], diagnostics: Diagnostics) -> Iterator[Record]:
    for record in records:
        diagnostics.records += 1
        yield record


__all__ = [
    "DEDUPE_BY",
    "DIALECTS",
    "SORT_BY",
    "Plan",
    "SkippedRecords",
    "Source",
    "check_arrangement",
    "check_input_options",
    "choose_reader",
    "plan_conversion",
    "read_sources",
    "resolve_reader",
    "resolve_writer",
    "run",
    "run_inputs",
    "write_records",
]
