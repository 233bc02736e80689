"""Benchmark runner: records/second, CPU seconds and peak RSS of whole `refconv convert` runs,
side by side with bibutils (`end2xml | xml2bib`, `end2xml | xml2ris`) and, for formatted
references, pandoc (`pandoc -f csljson -t plain --citeproc --csl STYLE.csl`, the same CSL-JSON
and the same .csl file) when they are installed.

    python benchmarks/run.py                      # 1k, 10k, 100k records; formatting at 1k
    python benchmarks/run.py --sizes 1000000 --only refer→csljson,refer→bibtex
    python benchmarks/run.py --sizes '' --format-sizes 1000,10000 --repeat 5
    python benchmarks/run.py --sizes 10000 --only refer→csljson,refer→bibtex,floor

The formatted jobs run `--repeat` times and the streaming ones (with the floor and bibutils)
`--stream-repeat` times, alternating (every job once, then again), because the machine may be
shared; the figures are medians. `cpu` is user + system time of the
process and the children it waited for (the --jobs workers), from wait4().

Each job runs the installed `refconv` (or bibutils) in child processes on a generated corpus
(see corpus.py), output to a file, and reads each child's peak RSS from wait4(); for a
pipeline the peaks of its processes are added. `out` is the number of records in the output,
so a tool that drops records shows it. Not part of the test suite.

Two corpora (``--corpus``): the project's own (the test suite's varied records) and an
independent one with issue 18's record shape (corpus.py ``independent``: 1.2 KB, about 14
tags and 4 names, long wrapped abstracts). On each, ``floor.py`` (split records and tags, dump
JSON: what any Python reader must at least do) runs beside refconv, and refconv's CPU time
for Refer → CSL-JSON and → BibTeX is printed as a multiple of the floor's. Every refconv job
runs with ``-j 1`` (one core) except the ``-j2`` rows (from 100k records, or named with
``--only``): one input in two processes, printed as a speed-up in wall time over ``-j 1`` and
a ratio of CPU time.

refconv runs as an installed package runs, with its modules' bytecode: the runner drops
PYTHONDONTWRITEBYTECODE from the children's environment and converts a one-record input with
each job before timing it (an editable install otherwise compiles refconv on every start).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from corpus import generate, independent

#: job → (input format, refconv arguments). Inputs other than Refer are the Refer corpus
#: converted by refconv itself before timing starts.
JOBS = {
    "refer→csljson": ("refer", ["-t", "csljson"]),
    "refer→bibtex": ("refer", ["-t", "bibtex"]),
    "refer→biblatex": ("refer", ["-t", "biblatex"]),
    "refer→ris": ("refer", ["-t", "ris"]),
    "ris→csljson": ("ris", ["-t", "csljson"]),
    "bibtex→csljson": ("bibtex", ["-t", "csljson"]),
    "csljson→ris": ("csljson", ["-t", "ris"]),
    # one input in two processes (issue 18): the rows above run with -j 1
    "refer→csljson -j2": ("refer", ["-t", "csljson", "-j", "2"]),
    "refer→bibtex -j2": ("refer", ["-t", "bibtex", "-j", "2"]),
}
#: jobs run only at the sizes where they matter (and when named with --only)
PARALLEL_MIN = 100_000
#: formatted-reference jobs, run at the --format-sizes only ("APA text": the default --jobs).
FORMAT_JOBS = {
    f"{label} text{jobs and ' -j'}{jobs}": ("csljson", ["-t", "text", "--style", style, *(
        ["--jobs", jobs] if jobs else [])])
    for label, style in (("APA", "apa"), ("IEEE", "ieee"))
    for jobs in ("", "1", "2")
}  # fmt: skip
#: pandoc jobs for the same bibliographies: (refconv job it compares with, style name).
PANDOC = {"pandoc APA": ("APA text", "apa"), "pandoc IEEE": ("IEEE text", "ieee")}
#: bibutils pipelines for the same jobs: (refconv job it compares with, commands).
END2XML = ["end2xml", "-i", "utf8"]
BIBUTILS = {
    "bibutils refer→bibtex": ("refer→bibtex", [END2XML, ["xml2bib", "-o", "utf8"]]),
    "bibutils refer→ris": ("refer→ris", [END2XML, ["xml2ris", "-o", "utf8"]]),
}
SUFFIX = {"refer": ".enw", "ris": ".ris", "bibtex": ".bib", "csljson": ".json"}
#: how to count the records of an output, by refconv target / bibutils output.
COUNT = {
    "csljson": re.compile(rb'    "id": '),
    "bibtex": re.compile(rb"@"),
    "biblatex": re.compile(rb"@"),
    "ris": re.compile(rb"TY  - "),
    "text": re.compile(rb"."),
}


def run_pipeline(
    commands: list[list[str]], source: Path, target: Path
) -> tuple[float, float, float]:
    """(seconds, peak RSS in MB, CPU seconds), the last two summed over the processes, of
    ``cmd1 < source | cmd2 > target``."""
    start = time.perf_counter()
    procs: list[subprocess.Popen] = []
    with source.open("rb") as stdin, target.open("wb") as stdout:
        for i, command in enumerate(commands):
            last = i == len(commands) - 1
            procs.append(subprocess.Popen(
                command, stdin=stdin if i == 0 else procs[-1].stdout,
                stdout=stdout if last else subprocess.PIPE, stderr=subprocess.DEVNULL,
            ))  # fmt: skip
            if i:
                procs[-2].stdout.close()  # type: ignore[union-attr]
        peak = cpu = 0.0
        for proc in procs:
            _, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = status
            if status and proc is procs[-1] and "refconv" in commands[-1][0]:
                raise SystemExit(f"refconv failed: {' '.join(commands[-1])}")
            peak += usage.ru_maxrss / 1024
            cpu += usage.ru_utime + usage.ru_stime
    return time.perf_counter() - start, peak, cpu


def count(target: Path, kind: str) -> int:
    """Records in an output, counted line by line: the runner must stay small, because a
    child's peak RSS as wait4() reports it is at least the runner's at the fork."""
    if kind not in COUNT:
        return 0
    with target.open("rb") as f:
        return sum(1 for line in f if COUNT[kind].match(line))


def make_inputs(
    refconv: str, tmp: Path, size: int, formats=("ris", "bibtex", "csljson"), corpus_name="own"
):
    """The corpus of ``size`` records in Refer (``corpus_name``: "own", the test suite's
    varied records, or "independent", issue 18's record shape), and converted to the other
    ``formats``."""
    corpus = tmp / f"{corpus_name}-{size}.enw"
    records = independent(size) if corpus_name == "independent" else generate(size)
    with corpus.open("wb") as out:
        for chunk in records:
            out.write(chunk.encode("utf-8"))
    inputs = {"refer": corpus}
    for fmt in formats:
        inputs[fmt] = corpus.with_suffix(SUFFIX[fmt])
        subprocess.run([refconv, "convert", str(corpus), "-q", "-o", str(inputs[fmt])],
                       check=True)  # fmt: skip
    return inputs


def one_record(refconv: str, tmp: Path) -> None:
    """Median wall time of converting one record (start-up included), 7 runs."""
    inputs = make_inputs(refconv, tmp, 1)
    for name in ("refer→csljson", "refer→bibtex", "refer→ris"):
        _, args = JOBS[name]
        times = [run_pipeline([[refconv, "convert", "-q", "-f", "refer", *args]],
                              inputs["refer"], tmp / "one.out")[0] for _ in range(7)]  # fmt: skip
        print(f"{name:<24} {'1':>9} {statistics.median(times) * 1000:>8.0f} ms (median of 7)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--format-sizes", default="1000", help="sizes for the CSL style jobs")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each formatted job")
    parser.add_argument(
        "--stream-repeat", type=int, default=1, help="runs of each streaming job, alternating"
    )
    parser.add_argument("--only", default="", help="comma-separated job names")
    parser.add_argument("--no-bibutils", action="store_true")
    parser.add_argument("--no-pandoc", action="store_true")
    parser.add_argument(
        "--corpus", default="own,independent", help="own, independent or both (comma-separated)"
    )
    args = parser.parse_args()
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # see the module docstring
    sizes = {int(n) for n in args.sizes.split(",") if n}
    format_sizes = {int(n) for n in args.format_sizes.split(",") if n}
    only = {n for n in args.only.split(",") if n}
    ONLY.update(only)
    refconv = shutil.which("refconv") or os.path.join(os.path.dirname(sys.executable), "refconv")
    bibutils = not args.no_bibutils and all(shutil.which(c) for c in ("end2xml", "xml2bib"))
    pandoc = None if args.no_pandoc else shutil.which("pandoc")
    print(f"{'job':<24} {'records':>9} {'seconds':>8} {'cpu':>7} {'records/s':>10} "
          f"{'peak MB':>8} {'out':>9} {'refconv/other':>14}")  # fmt: skip
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        if not only:
            one_record(refconv, tmp)
        corpora = [c for c in args.corpus.split(",") if c]
        for size, corpus in [(n, c) for n in sorted(sizes) for c in corpora[1:]]:
            stream_jobs(refconv, tmp, size, corpus, only, args.stream_repeat, bibutils)
        for size in sorted(sizes | format_sizes):
            jobs = dict(JOBS) if size in sizes else {}
            jobs = {job: spec for job, spec in jobs.items() if not only or job in only}
            formatting = FORMAT_JOBS if size in format_sizes else {}
            formatting = {job: spec for job, spec in formatting.items() if not only or job in only}
            formats = {source for source, _ in [*jobs.values(), *formatting.values()]} - {"refer"}
            inputs = make_inputs(refconv, tmp, size, sorted(formats))
            if jobs:
                stream_table(refconv, jobs, inputs, size, tmp, args.stream_repeat, bibutils,
                             not only or "floor" in only)  # fmt: skip
            if formatting:
                format_jobs(refconv, pandoc, formatting, inputs, size, args.repeat, tmp)


def stream_table(
    refconv: str,
    jobs: dict[str, tuple[str, list[str]]],
    inputs: dict[str, Path],
    size: int,
    tmp: Path,
    repeat: int,
    bibutils: bool,
    floor: bool,
    prefix: str = "",
) -> None:
    """refconv's streaming ``jobs``, the floor parser and bibutils' pipelines on the same
    inputs, ``repeat`` rounds alternating (every job once, then again); medians per job. The
    floor's rows give refconv's CPU time as a multiple of the floor's (``FLOOR_GOALS``), the
    bibutils rows refconv's wall time / bibutils'."""
    table: dict[str, tuple[list[list[str]], Path, str]] = {}
    for job, (source, job_args) in jobs.items():
        if "-j" in job_args and size < PARALLEL_MIN and job not in ONLY:
            continue
        kind = job_args[job_args.index("-t") + 1]
        jobs_args = [] if "-j" in job_args else ["-j", "1"]  # one core unless the job says
        command = [refconv, "convert", "-q", "-f", source, *jobs_args, *job_args]
        table[prefix + job] = ([command], inputs[source], kind)
    if floor:
        table[prefix + "floor refer→json"] = ([[sys.executable, str(FLOOR)]], inputs["refer"], "")
    for job, (compared, commands) in BIBUTILS.items():
        if bibutils and compared in jobs and size <= 100_000:
            table[prefix + job] = (commands, inputs["refer"], compared.split("→")[1])
    runs: dict[str, list[tuple[float, float, float]]] = {job: [] for job in table}
    counts: dict[str, int] = {}
    for _ in range(max(1, repeat)):
        for job, (commands, source, kind) in table.items():
            runs[job].append(run_pipeline(commands, source, tmp / "out"))
            counts[job] = count(tmp / "out", kind) if kind else size
    medians = {
        job: tuple(statistics.median(r[k] for r in figures) for k in range(3))
        for job, figures in runs.items()
    }
    for job, figures in medians.items():
        ratio = None
        name = job.removeprefix(prefix)
        if name in BIBUTILS and prefix + BIBUTILS[name][0] in medians:
            ratio = medians[prefix + BIBUTILS[name][0]][0] / figures[0]
        report(job, size, figures, counts[job], ratio)  # type: ignore[arg-type]
    for job in medians:
        one = job.removesuffix(" -j2")
        if one != job and one in medians:
            wall, cpu = medians[one][0] / medians[job][0], medians[job][2] / medians[one][2]
            print(f"  {job}: {wall:.2f}x the speed of -j 1 (wall), {cpu:.2f}x its CPU time")
    floor_figures = medians.get(prefix + "floor refer→json")
    for job, goal in FLOOR_GOALS.items():
        if floor_figures is not None and prefix + job in medians:
            multiple = medians[prefix + job][2] / floor_figures[2]
            print(f"  {prefix}{job} / floor (CPU): {multiple:.2f}x (goal {goal:.0f}x)", flush=True)


ONLY: set[str] = set()  # --only, for the jobs run at some sizes only
FLOOR = Path(__file__).resolve().parent / "floor.py"
#: refconv jobs compared with the floor (CPU time), and the goal of issue 18 for each
FLOOR_GOALS = {"refer→csljson": 3.0, "refer→bibtex": 4.0}


def stream_jobs(
    refconv: str, tmp: Path, size: int, corpus: str, only: set[str], repeat: int, bibutils: bool
) -> None:
    """The Refer jobs, the floor and bibutils on another corpus (its name prefixes the rows)."""
    inputs = make_inputs(refconv, tmp, size, (), corpus)
    jobs = {
        job: JOBS[job]
        for job in ("refer→csljson", "refer→bibtex", "refer→ris", "refer→csljson -j2",
                    "refer→bibtex -j2")
        if not only or job in only
    }  # fmt: skip
    stream_table(refconv, jobs, inputs, size, tmp, repeat, bibutils, not only or "floor" in only,
                 f"{corpus} ")  # fmt: skip


def report(
    job: str, size: int, figures: tuple[float, float, float], out: int, ratio: float | None = None
) -> None:
    """One row of the table; ``ratio`` is refconv's seconds (CPU for pandoc) / the other's."""
    seconds, peak, cpu = figures
    compared = f"{ratio:>13.2f}x" if ratio is not None else ""
    print(f"{job:<24} {size:>9} {seconds:>8.2f} {cpu:>7.2f} {size / seconds:>10,.0f} "
          f"{peak:>8.1f} {out:>9} {compared}", flush=True)  # fmt: skip


def format_jobs(
    refconv: str,
    pandoc: str | None,
    jobs: dict[str, tuple[str, list[str]]],
    inputs: dict[str, Path],
    size: int,
    repeat: int,
    tmp: Path,
) -> None:
    """The formatted jobs and pandoc's, ``repeat`` times alternating; medians per job. The
    pandoc rows give refconv's CPU time / pandoc's for the same style (default --jobs)."""
    commands = {
        job: [refconv, "convert", "-q", "-f", source, *job_args]
        for job, (source, job_args) in jobs.items()
    }
    if pandoc is not None:
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        from refconv.formats.formatted.styles import find_style

        for job, (compared, style) in PANDOC.items():
            if compared in jobs:
                csl = str(find_style(style).path)
                commands[job] = [pandoc, "-f", "csljson", "-t", "plain", "--wrap=none",
                                 "--citeproc", "--csl", csl]  # fmt: skip
    warm = make_inputs(refconv, tmp, 1, ["csljson"])["csljson"]
    for command in commands.values():  # bytecode written, caches warm: see the docstring
        run_pipeline([command], warm, tmp / "out")
    runs: dict[str, list[tuple[float, float, float]]] = {job: [] for job in commands}
    counts: dict[str, int] = {}
    for _ in range(repeat):
        for job, command in commands.items():
            runs[job].append(run_pipeline([command], inputs["csljson"], tmp / "out"))
            counts[job] = count(tmp / "out", "text")
    medians = {
        job: (
            statistics.median(r[0] for r in figures),
            statistics.median(r[1] for r in figures),
            statistics.median(r[2] for r in figures),
        )
        for job, figures in runs.items()
    }
    for job, figures in medians.items():
        ratio = None
        if job in PANDOC:
            ratio = medians[PANDOC[job][0]][2] / figures[2]
        report(job, size, figures, counts[job], ratio)


if __name__ == "__main__":
    main()
