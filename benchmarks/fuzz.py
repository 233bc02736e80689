"""Long fuzzing campaign: the strategies and invariants of tests/hostile.py with many more
examples, plus mutations of real files (examples/) in every input format with the attacks of
issue 13 spliced into their values. Not part of the test suite.

    python benchmarks/fuzz.py --examples 5000 --mutations 20000 --workers 2 [--seed 1]

Every input goes to one target drawn from every writer (text, html, markdown and rst in five
styles). A failure is a traceback, an exit status other than 0 or 1, a stderr line that is
not a diagnostic, a conversion slower than --time-limit (a hang), or a broken invariant of
``tests.hostile.check_output`` (forged records, unescaped HTML, a TeX-active url or doi...).
The campaign goes on after a failure; at the end it prints the figures (inputs per reader
and per target, failures per class, inputs per second) and the shortest input of each kind
of failure, and exits 1 if there was any.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import re
import signal
import sys
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402

from tests.hostile import (  # noqa: E402
    DATA_TARGETS,
    FORMATTED_TARGETS,
    MARKUP,
    NAME_TEXT,
    NUMBER_TEXT,
    RECORD_SYNTAX,
    SEPARATORS,
    SURROGATES,
    TEX,
    TEXT,
    Broken,
    check_conversion,
    hostile,
    target,
)

SEEDS = [ROOT / "examples" / name for name in
         ("endnote-sample.enw", "classic.refer", "nahta2012-flat.enw")]  # fmt: skip
SPLICE = b'{}[]"\\%@,:\n\r-TYER 0123456789\xc3\xa9\xff\x00\x1b'
#: Where a value starts in each format (the pretty CSL-JSON and BibTeX refconv writes).
VALUE_START = {"refer": re.compile(rb"^%\S ", re.M),
               "ris": re.compile(rb"^[A-Z][A-Z0-9]  - ", re.M),
               "bibtex": re.compile(rb"= \{"), "csljson": re.compile(rb'": "')}  # fmt: skip
#: The figures' classes, from the kind of a ``Broken`` (see tests/hostile.py).
CLASSES = {"forged or lost records": "forged records", "unescaped HTML": "unescaped HTML",
           "unsafe link": "unescaped HTML", "TeX-active url/doi": "TeX-active url/doi",
           "dangerous TeX": "TeX-active url/doi", "exit status": "tracebacks"}  # fmt: skip
FIGURES = ["tracebacks", "hangs", "forged records", "unescaped HTML", "TeX-active url/doi",
           "unescaped reStructuredText", "other failures"]  # fmt: skip


class Hang(BaseException):
    """A conversion ran past --time-limit (a BaseException: no ``except Exception`` in the
    code under test swallows it)."""


@dataclass
class Tally:
    """What one worker saw; tallies add up."""

    inputs: Counter = field(default_factory=Counter)  # by reader
    targets: Counter = field(default_factory=Counter)  # by target
    failures: Counter = field(default_factory=Counter)  # by figure
    shortest: dict = field(default_factory=dict)  # (figure, kind, reader, format) -> example
    seconds: float = 0.0

    def add(self, other: Tally) -> None:
        self.inputs += other.inputs
        self.targets += other.targets
        self.failures += other.failures
        self.seconds += other.seconds
        for key, example in other.shortest.items():
            if key not in self.shortest or len(example[0]) < len(self.shortest[key][0]):
                self.shortest[key] = example


def _on_alarm(signum, frame):
    raise Hang


def classify(error: BaseException) -> tuple[str, str]:
    """(figure, kind) of a failure."""
    if isinstance(error, Hang):
        return "hangs", "hang"
    if isinstance(error, Broken):
        if error.kind == "exit status" and "Traceback" not in str(error):
            return "other failures", "exit status"
        if error.kind == "unescaped reStructuredText":
            return "unescaped reStructuredText", error.kind
        return CLASSES.get(error.kind, "other failures"), error.kind
    return "tracebacks", type(error).__name__


def try_one(tally: Tally, data: bytes, source: str, to, limit: float) -> None:
    """Convert one input with the invariants; count it and any failure."""
    tally.inputs[source] += 1
    tally.targets[str(to)] += 1
    start = time.perf_counter()
    signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        check_conversion(data, source, to)
    except (Exception, Hang) as error:  # every failure is counted, the campaign goes on
        signal.setitimer(signal.ITIMER_REAL, 0)
        figure, kind = classify(error)
        tally.failures[figure] += 1
        key = (figure, kind, source, to.format)
        detail = "".join(traceback.format_exception_only(error)).strip()[:600]
        if figure == "tracebacks":
            detail = traceback.format_exc()[-1500:]
        if key not in tally.shortest or len(data) < len(tally.shortest[key][0]):
            tally.shortest[key] = (data, str(to), detail)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        tally.seconds += time.perf_counter() - start


def run_hypothesis(job: tuple[str, int, int, float]) -> Tally:
    """``examples`` inputs of one reader from the hostile strategies (no shrinking: every
    failure is counted and the shortest kept)."""
    source, examples, seed_value, limit = job
    tally = Tally()

    @seed(seed_value)
    @settings(max_examples=examples, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(raw=hostile(source), to=target)
    def campaign(raw, to):
        try_one(tally, raw, source, to, limit)

    campaign()
    return tally


def seeds() -> dict[str, bytes]:
    """The example files converted to every input format, to mutate."""
    from click.testing import CliRunner

    from refconv.cli import cli

    paths = [str(p) for p in SEEDS]
    return {fmt: CliRunner().invoke(cli, ["convert", "-q", *paths, "-t", fmt]).stdout_bytes
            for fmt in TEXT}  # fmt: skip


PAYLOADS = [*MARKUP, *TEX, *NUMBER_TEXT, *NAME_TEXT, *SURROGATES]


def payload(rng: random.Random) -> str:
    """A value of one class of issue 13 (line separators followed by record syntax, markup,
    TeX, a number out of range, an odd name, a surrogate)."""
    if rng.random() < 0.3:
        return "".join(rng.choice(SEPARATORS) + rng.choice(RECORD_SYNTAX)
                       for _ in range(rng.randint(1, 3)))  # fmt: skip
    return "".join(rng.choice(PAYLOADS) for _ in range(rng.randint(1, 3)))


def splice(rng: random.Random, data: bytes, source: str) -> bytes:
    """``data`` with payloads put where values start (JSON-escaped in CSL-JSON, as
    ``\\ud800`` escapes now and then)."""
    starts = [m.end() for m in VALUE_START[source].finditer(data)]
    out = bytearray(data)
    for at in sorted(rng.sample(starts, min(len(starts), rng.randint(1, 4))), reverse=True):
        text = payload(rng)
        if source == "csljson":
            raw = json.dumps(text, ensure_ascii=rng.random() < 0.5)[1:-1].encode(
                "utf-8", "surrogatepass"
            )
        else:
            raw = text.encode("utf-8", "surrogatepass")
        out[at:at] = raw
    return bytes(out)


def mutate(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 20)):
        at = rng.randrange(len(out) + 1)
        op = rng.random()
        if op < 0.35 and out:
            del out[at : at + rng.randint(1, 40)]
        elif op < 0.7:
            out[at:at] = bytes(rng.choice(SPLICE) for _ in range(rng.randint(1, 6)))
        else:  # repeat a slice: duplicated fields, records, deep nesting
            src = rng.randrange(len(out)) if out else 0
            out[at:at] = out[src : src + rng.randint(1, 80)] * rng.randint(1, 50)
    return bytes(out)


def run_mutations(job: tuple[int, int, float]) -> Tally:
    """``count`` real files with payloads spliced into their values, half of them also
    damaged at random."""
    count, seed_value, limit = job
    rng = random.Random(seed_value)
    base = seeds()
    tally = Tally()
    for _ in range(count):
        source = rng.choice(list(base))
        data = splice(rng, base[source], source)
        if rng.random() < 0.5:
            data = mutate(rng, data)
        to = rng.choice(DATA_TARGETS if rng.random() < 0.5 else FORMATTED_TARGETS)
        try_one(tally, data, source, to, limit)
    return tally


def _init_worker() -> None:
    signal.signal(signal.SIGALRM, _on_alarm)


def _chunks(total: int, parts: int) -> list[int]:
    return [n for n in (total // parts + (i < total % parts) for i in range(parts)) if n]


def save(tally: Tally, directory: Path) -> None:
    """Write the shortest failing input of each kind to ``directory`` (to replay with
    ``refconv convert -f READER -t ...``); file names say the kind, reader and target."""
    directory.mkdir(parents=True, exist_ok=True)
    for i, ((figure, kind, source, _), (data, to, _)) in enumerate(sorted(tally.shortest.items())):
        name = re.sub(r"[^\w.-]+", "_", f"{i:03}-{figure}-{kind}-{source}-{to}")
        (directory / f"{name}.{source}").write_bytes(data)


def report(tally: Tally, wall: float, workers: int) -> int:
    """Print the figures and the shortest failing inputs; return the number of failures."""
    total = sum(tally.inputs.values())
    print(f"\n{total} inputs in {wall:.0f} s with {workers} worker(s): "
          f"{total / max(wall, 1e-9):.1f} inputs/s, "
          f"{total / max(tally.seconds, 1e-9):.1f} inputs/s per worker")  # fmt: skip
    print("inputs per reader: " + ", ".join(f"{k} {v}" for k, v in sorted(tally.inputs.items())))
    print("inputs per target:")
    for name, n in sorted(tally.targets.items()):
        print(f"  {n:7}  {name}")
    print("failures:")
    for figure in FIGURES:
        print(f"  {tally.failures[figure]:7}  {figure}")
    for (figure, kind, source, _), (data, to, detail) in sorted(tally.shortest.items()):
        print(f"\n--- {figure} ({kind}): {source} {to}\n    input: {data[:600]!r}\n    {detail}")
    return sum(tally.failures.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=2000, help="hypothesis, per reader")
    parser.add_argument("--mutations", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=1, help="processes (default 1)")
    parser.add_argument("--save", type=Path, help="write the shortest failing inputs here")
    parser.add_argument("--time-limit", type=float, default=10.0,
                        help="seconds one conversion may take: more is a hang")  # fmt: skip
    args = parser.parse_args()
    jobs: list = []
    parts = max(1, args.workers)
    for i, source in enumerate(TEXT):
        for j, n in enumerate(_chunks(args.examples, parts)):
            jobs.append(
                (run_hypothesis, (source, n, args.seed * 1000 + i * 100 + j, args.time_limit))
            )
    for j, n in enumerate(_chunks(args.mutations, parts)):
        jobs.append((run_mutations, (n, args.seed * 1000 + j, args.time_limit)))
    tally = Tally()
    start = time.perf_counter()
    if args.workers <= 1:
        _init_worker()
        for function, job in jobs:
            tally.add(function(job))
    else:
        with multiprocessing.get_context("fork").Pool(args.workers, _init_worker) as pool:
            results = [pool.apply_async(function, (job,)) for function, job in jobs]
            for result in results:
                tally.add(result.get())
    failures = report(tally, time.perf_counter() - start, args.workers)
    if args.save and failures:
        save(tally, args.save)
    raise SystemExit(1 if failures else 0)


if __name__ == "__main__":
    main()
