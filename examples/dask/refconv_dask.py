"""Convert a directory of Refer files, or one huge file, to CSL-JSON or BibTeX shards with a
Dask bag over refconv's library API.

    python examples/dask/refconv_dask.py refs/ --out-dir shards/ -t csljson --workers 2
    python examples/dask/refconv_dask.py huge.enw --out-dir shards/ -t bibtex \\
        --scheduler tcp://scheduler:8786 --part-size 64MB

The work is split into parts: every input file, and a Refer file larger than ``--part-size``
cut at blank lines (where Refer records end). Then:

1. in parallel, each part is read and the citation keys its records ask for are computed
   (``refconv.key_requests``);
2. on the client, the keys are made unique over all parts in input order
   (``refconv.assign_keys``) — exactly the keys one sequential ``refconv convert`` gives;
3. in parallel, each part is read again (or, with ``--persist``, taken from the workers'
   memory) and written as ``part-NNNNN.SUFFIX`` with its keys.

So the records of the shards, in order, are the records of the sequential output: the same
items for CSL-JSON, the same entries for BibTeX. Shards are written atomically by the workers,
which must therefore see ``--out-dir`` (a shared file system on a real cluster). The shard
paths are printed on stdout, in order. Diagnostics name the input file and, for a cut file,
the byte offset of the part (``huge.enw@1048576:12`` is line 12 of the part starting at that
byte).
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

import refconv
import refconv.plugins


@dataclass(frozen=True)
class Part:
    """A byte range of one input file, starting and ending at a record boundary."""

    path: str
    start: int
    end: int
    index: int

    @property
    def label(self) -> str:
        return self.path if self.start == 0 else f"{self.path}@{self.start}"

    @property
    def span(self) -> tuple[str, int, int, str]:
        """What a worker needs, as plain data."""
        return self.path, self.start, self.end, self.label


def split(paths: list[str], part_size: int, from_format: str | None = None) -> list[Part]:
    """Parts of the inputs: whole files, and big Refer files cut after a blank line (which
    ends a Refer record; in other formats a blank line may fall inside a record)."""
    parts: list[Part] = []
    for path in paths:
        size = os.path.getsize(path)
        limit = part_size if (from_format or _format_of(path)) == "refer" else size
        with open(path, "rb") as f:
            start = 0
            while start < size:
                end = _boundary(f, start + limit) if size - start > limit else size
                parts.append(Part(path, start, end, len(parts)))
                start = end
    return parts


def _boundary(f, target: int) -> int:
    """The offset just after the first blank line at or after ``target`` (or the end)."""
    f.seek(target)
    f.readline()  # finish the line the target falls in
    while line := f.readline():
        if not line.strip():
            return f.tell()
    return f.tell()


def _read(span: tuple[str, int, int, str], from_format: str | None, sink: refconv.Collected):
    path, start, end, label = span
    with open(path, "rb") as f:
        f.seek(start)
        data = f.read(end - start)
    return refconv.read(data, from_format or _format_of(path), diagnostics=sink, label=label)


def _format_of(path: str) -> str:
    """The reader for the file's suffix (a part's content may not start like the file)."""
    found = refconv.plugins.Registry(refconv.Collected()).reader_for_path(path)
    return found.name if found else "refer"


def requests_of(span: tuple[str, int, int, str], from_format: str | None) -> list:
    """Pass 1 (a worker): the keys the part's records ask for."""
    return refconv.key_requests(_read(span, from_format, refconv.Collected(quiet=True)))


def write_shard(job: tuple) -> tuple[str, list]:
    """Pass 2 (a worker): read the part again and write its shard with its keys; (path,
    diagnostics)."""
    span, target, keys, from_format, to = job
    sink = refconv.Collected()
    _write(_read(span, from_format, sink), target, to, keys, sink)
    return target, sink.messages


def read_part(span: tuple[str, int, int, str], from_format: str | None) -> tuple[list, list]:
    """Pass 1 with ``persist``: the part's records (kept on the worker) and diagnostics."""
    sink = refconv.Collected()
    try:
        return list(_read(span, from_format, sink)), sink.messages
    except refconv.RefconvError as exc:
        return [], [*sink.messages, refconv.Diagnostic("error", exc.message, exc.path, exc.line)]


def keys_of(part: tuple[list, list]) -> list:
    return refconv.key_requests(part[0])


def write_part(part: tuple[list, list], job: tuple) -> tuple[str, list]:
    """Pass 2 with ``persist``: write the records kept from pass 1."""
    (records, messages), (target, keys, to) = part, job
    sink = refconv.Collected()
    sink.messages.extend(messages)
    _write(records, target, to, keys, sink)
    return target, sink.messages


def _write(records, target: str, to: str, keys: list[str], sink: refconv.Collected) -> None:
    try:
        refconv.write(records, target, to, keys=keys, diagnostics=sink)
    except refconv.RefconvError as exc:
        sink.messages.append(refconv.Diagnostic("error", exc.message, exc.path, exc.line))


def run(
    inputs: list[str],
    out_dir: str,
    to: str,
    client,
    *,
    from_format: str | None = None,
    part_size: int = 64 << 20,
    persist: bool = False,
    timeout: float | None = None,
) -> list[str]:
    """Convert ``inputs`` into shards in ``out_dir`` on the Dask ``client``; the shard paths
    in order. Diagnostics are printed on stderr in input order.

    ``persist`` keeps the records read in pass 1 in the workers' memory (about five times
    the input size) instead of reading the inputs again. ``timeout`` (seconds) bounds each
    pass, so a cluster that cannot run the tasks fails instead of waiting forever."""
    import dask.bag as db

    if __name__ != "__main__":  # imported: the workers need this module to call its functions
        client.upload_file(__file__)
    paths = [str(p) for d in inputs for p in _files(d)]
    parts = split(paths, part_size, from_format)
    os.makedirs(out_dir, exist_ok=True)
    n = max(1, len(parts))
    spans = db.from_sequence([p.span for p in parts], npartitions=n)
    if persist:
        records = client.persist(spans.map(read_part, from_format))
        requests = client.compute(records.map(keys_of)).result(timeout)
    else:
        requests = client.compute(spans.map(requests_of, from_format)).result(timeout)
    keys = refconv.assign_keys((r for rs in requests for r in rs), refconv.Diagnostics())
    bounds = [0, *accumulate(len(rs) for rs in requests)]
    suffix = refconv.api.batch_targets(["x"], out_dir, to)[0][1].suffix
    targets = [os.path.join(out_dir, f"part-{part.index:05d}{suffix}") for part in parts]
    if persist:
        jobs = [(target, keys[bounds[i] : bounds[i + 1]], to) for i, target in enumerate(targets)]
        done = db.map(write_part, records, db.from_sequence(jobs, npartitions=n))
    else:
        jobs = [
            (part.span, targets[i], keys[bounds[i] : bounds[i + 1]], from_format, to)
            for i, part in enumerate(parts)
        ]
        done = db.from_sequence(jobs, npartitions=n).map(write_shard)
    for _, messages in client.compute(done).result(timeout):
        for message in messages:
            print(message, file=sys.stderr)
    return targets


def _files(path: str) -> list[Path]:
    p = Path(path)
    if p.is_dir():
        return sorted(f for f in p.iterdir() if f.suffix in (".enw", ".refer", ".ris", ".bib"))
    return [p]


def _size(text: str) -> int:
    units = {"KB": 1 << 10, "MB": 1 << 20, "GB": 1 << 30}
    for unit, factor in units.items():
        if text.upper().endswith(unit):
            return int(float(text[: -len(unit)]) * factor)
    return int(text)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("inputs", nargs="+", help="Refer files or directories of them")
    parser.add_argument("--out-dir", required=True)
    parser.add_argument("-t", "--to", default="csljson", help="csljson, bibtex, ris, ...")
    parser.add_argument("-f", "--from", dest="from_format", help="input format (default refer)")
    parser.add_argument("--scheduler", help="address of a running Dask scheduler")
    parser.add_argument("--workers", type=int, default=2, help="LocalCluster workers")
    parser.add_argument("--part-size", type=_size, default=64 << 20, help="e.g. 64MB")
    parser.add_argument("--persist", action="store_true", help="keep records in worker memory")
    args = parser.parse_args(argv)

    from dask.distributed import Client, LocalCluster

    if args.scheduler:
        cluster = None
        client = Client(args.scheduler)
    else:
        cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                               dashboard_address=None)  # fmt: skip
        client = Client(cluster)
    try:
        options = {"part_size": args.part_size, "persist": args.persist}
        shards = run(args.inputs, args.out_dir, args.to, client, from_format=args.from_format,
                     **options)  # fmt: skip
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    print("\n".join(shards))


if __name__ == "__main__":
    main()
