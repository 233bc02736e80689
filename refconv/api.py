"""The library interface: ``read``, ``write``, ``convert``, ``convert_batch``, and
``to_csl``/``from_csl`` between a ``Record`` and one CSL-JSON item.

The command line and these functions build the same ``refconv.pipeline.Plan``, so a script
gets exactly what the ``refconv`` command does: the same format detection, keys, notes,
diagnostics and atomic output files. Errors are exceptions: ``RefconvError`` (bad data or
I/O, with ``path`` and ``line``), ``LookupError`` (an unknown format, style, locale or
encoding) and ``ValueError`` (an output path that is one of the inputs, an unknown dialect).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from typing import Any

from refconv import batch, pipeline
from refconv.batch import batch_targets
from refconv.diagnostics import Diagnostics, RefconvError
from refconv.io import SourceLike, check_distinct_output, check_readable, open_sources
from refconv.keys import KeyAssigner, KeyRequest
from refconv.model import Record
from refconv.output import DestLike, handle_stop_signals, open_output
from refconv.pipeline import DIALECTS, Plan, SkippedRecords
from refconv.plugins import Registry
from refconv.transforms.textfix import TextCheck
from refconv.values.vocabulary import DEFAULT_KEY_FORMAT


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
    plan = Plan(
        registry,
        diagnostics,
        reader=pipeline.resolve_reader(registry, format),  # an unknown name fails now
        reader_options=pipeline.check_input_options(encoding, dialect),
        encoding=encoding,
        transforms=(TextCheck(fix=fix_text),),
    )
    return pipeline.read_sources(plan, open_sources(source, label))


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
    registry = Registry(diagnostics)
    writer = pipeline.resolve_writer(registry, format, dest, diagnostics, options)
    plan = Plan(registry, diagnostics, writer=writer, key_format=key_format)
    return pipeline.write_records(plan, records, dest, keys)


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
    dedupe: str | None = None,
    sort: str = "none",
    **options: Any,
) -> str | None:
    """``write(read(source, from_), dest, to)``: one output from one or more inputs.

    ``dedupe`` (``"doi"``, ``"key"``, ``"title"``; default None: none) merges the records
    of one work into the first, as ``--dedupe`` does; ``sort`` (``"key"``, ``"author"``,
    ``"year"``; default ``"none"``: input order) orders the output, as ``--sort`` does.
    Either holds every record in memory. An unknown one raises ``ValueError``.
    """
    diagnostics = diagnostics if diagnostics is not None else Diagnostics()
    plan = pipeline.plan_conversion(
        Registry(diagnostics), diagnostics, source, dest, from_, to, encoding=encoding,
        dialect=dialect, key_format=key_format, fix_text=fix_text, dedupe=dedupe, sort=sort,
        **options,
    )  # fmt: skip
    return pipeline.run(plan, open_sources(source), dest)


def convert_batch(
    sources: Iterable[str | os.PathLike[str]],
    out_dir: str | os.PathLike[str],
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
    return batch.convert_batch(sources, out_dir, to, jobs=jobs, diagnostics=diagnostics, **options)


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


__all__ = [
    "DIALECTS",
    "KeyRequest",
    "RefconvError",
    "SkippedRecords",
    "assign_keys",
    "batch_targets",
    "check_distinct_output",
    "check_readable",
    "convert",
    "convert_batch",
    "handle_stop_signals",
    "key_requests",
    "open_output",
    "read",
    "write",
]


def to_csl(record: Record) -> dict[str, Any]:
    """The CSL-JSON item of ``record``, exactly as ``-t csljson`` writes it: a dict with
    ``id``, ``type`` and the CSL variables; values with no CSL variable go to ``custom``."""
    from refconv.formats.csljson.write import record_to_csl

    return record_to_csl(record)


def from_csl(item: dict[str, Any], diagnostics: Diagnostics | None = None) -> Record:
    """The ``Record`` of one CSL-JSON item (the inverse of ``to_csl``). What cannot be read
    is kept in ``Record.extra`` and reported to ``diagnostics`` (default: a new
    ``Diagnostics``, printing on stderr), with the source ``<csl>:0``."""
    from refconv.formats.csljson.read import record_from_csl
    from refconv.model import SourcePos

    warn = (diagnostics if diagnostics is not None else Diagnostics()).warn
    return record_from_csl(item, SourcePos("<csl>", 0), warn)
