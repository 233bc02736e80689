"""Benchmark runner: records/second and peak RSS of whole `refconv convert` runs, side by side
with bibutils (`end2xml | xml2bib`, `end2xml | xml2ris`) when it is installed.

    python benchmarks/run.py                      # 1k, 10k, 100k records; formatting at 1k
    python benchmarks/run.py --sizes 1000000 --only refer→csljson,refer→bibtex
    python benchmarks/run.py --sizes '' --format-sizes 1000,10000

Each job runs the installed `refconv` (or bibutils) in child processes on a generated corpus
(see corpus.py), output to a file, and reads each child's peak RSS from wait4(); for a
pipeline the peaks of its processes are added. `out` is the number of records in the output,
so a tool that drops records shows it. Not part of the test suite.
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
from corpus import generate

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
}
#: formatted-reference jobs, run at the --format-sizes only.
FORMAT_JOBS = {
    "APA text -j1": ("refer", ["-t", "text", "--style", "apa", "--jobs", "1"]),
    "APA text -j2": ("refer", ["-t", "text", "--style", "apa", "--jobs", "2"]),
    "IEEE text -j1": ("refer", ["-t", "text", "--style", "ieee", "--jobs", "1"]),
    "IEEE text -j2": ("refer", ["-t", "text", "--style", "ieee", "--jobs", "2"]),
}
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


def run_pipeline(commands: list[list[str]], source: Path, target: Path) -> tuple[float, float]:
    """(seconds, peak RSS in MB summed over the processes) of ``cmd1 < source | cmd2 > target``."""
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
        peak = 0.0
        for proc in procs:
            _, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = status
            if status and proc is procs[-1] and "refconv" in commands[-1][0]:
                raise SystemExit(f"refconv failed: {' '.join(commands[-1])}")
            peak += usage.ru_maxrss / 1024
    return time.perf_counter() - start, peak


def count(target: Path, kind: str) -> int:
    """Records in an output, counted line by line: the runner must stay small, because a
    child's peak RSS as wait4() reports it is at least the runner's at the fork."""
    if kind not in COUNT:
        return 0
    with target.open("rb") as f:
        return sum(1 for line in f if COUNT[kind].match(line))


def make_inputs(refconv: str, tmp: Path, size: int, formats=("ris", "bibtex", "csljson")):
    """The corpus of ``size`` records in Refer, and converted to the other ``formats``."""
    corpus = tmp / f"corpus-{size}.enw"
    with corpus.open("wb") as out:
        for chunk in generate(size):
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
    parser.add_argument("--only", default="", help="comma-separated job names")
    parser.add_argument("--no-bibutils", action="store_true")
    args = parser.parse_args()
    sizes = {int(n) for n in args.sizes.split(",") if n}
    format_sizes = {int(n) for n in args.format_sizes.split(",") if n}
    only = {n for n in args.only.split(",") if n}
    refconv = shutil.which("refconv") or os.path.join(os.path.dirname(sys.executable), "refconv")
    bibutils = not args.no_bibutils and all(shutil.which(c) for c in ("end2xml", "xml2bib"))
    print(f"{'job':<24} {'records':>9} {'seconds':>8} {'records/s':>10} {'peak MB':>8} "
          f"{'out':>9} {'refconv/bibutils':>16}")  # fmt: skip
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        if not only:
            one_record(refconv, tmp)
        for size in sorted(sizes | format_sizes):
            jobs = dict(JOBS) if size in sizes else {}
            if size in format_sizes:
                jobs.update(FORMAT_JOBS)
            jobs = {job: spec for job, spec in jobs.items() if not only or job in only}
            formats = {source for source, _ in jobs.values()} - {"refer"}
            inputs = make_inputs(refconv, tmp, size, sorted(formats))
            speed: dict[str, float] = {}
            for job, (source, job_args) in jobs.items():
                target = tmp / "out"
                command = [refconv, "convert", "-q", "-f", source, *job_args]
                seconds, peak = run_pipeline([command], inputs[source], target)
                speed[job] = size / seconds
                kind = job_args[job_args.index("-t") + 1]
                print(f"{job:<24} {size:>9} {seconds:>8.2f} {size / seconds:>10,.0f} "
                      f"{peak:>8.1f} {count(target, kind):>9}")  # fmt: skip
            for job, (compared, commands) in BIBUTILS.items():
                if not bibutils or compared not in speed or size > 100_000:
                    continue
                target = tmp / "out"
                seconds, peak = run_pipeline(commands, inputs["refer"], target)
                kind = compared.split("→")[1]
                ratio = speed[compared] / (size / seconds)
                print(f"{job:<24} {size:>9} {seconds:>8.2f} {size / seconds:>10,.0f} "
                      f"{peak:>8.1f} {count(target, kind):>9} {ratio:>15.1f}x")  # fmt: skip


if __name__ == "__main__":
    main()
