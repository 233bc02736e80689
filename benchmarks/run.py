"""Benchmark runner: records/second and peak RSS of whole `refconv convert` runs.

    python benchmarks/run.py [--sizes 1000,10000,100000]

Each job runs the installed `refconv` command in a child process on a generated corpus (see
corpus.py) and reads the child's peak RSS from getrusage. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from corpus import generate

#: job → (input format, output format). Inputs other than Refer are the Refer corpus
#: converted by refconv itself before timing starts.
JOBS = {
    "refer→csljson": ("refer", "csljson"),
    "refer→bibtex": ("refer", "bibtex"),
    "refer→biblatex": ("refer", "biblatex"),
    "refer→ris": ("refer", "ris"),
    "refer→refer": ("refer", "refer"),
    "ris→csljson": ("ris", "csljson"),
    "bibtex→csljson": ("bibtex", "csljson"),
    "csljson→ris": ("csljson", "ris"),
}
#: formatted-reference jobs: (style, --jobs); run at the --format-sizes only.
FORMAT_JOBS = {
    "APA text -j1": ("apa", "1"),
    "APA text -j2": ("apa", "2"),
    "IEEE text -j1": ("ieee", "1"),
    "IEEE text -j2": ("ieee", "2"),
}
SUFFIX = {"refer": ".enw", "ris": ".ris", "bibtex": ".bib", "csljson": ".json"}


def run_job(refconv: str, corpus: Path, args: list[str]) -> tuple[float, float]:
    """Return (seconds, peak RSS in MB) of one conversion to /dev/null."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [refconv, "convert", str(corpus), "-q", *args], stdout=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if status:
        raise SystemExit(f"refconv failed on {corpus}")
    return elapsed, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--format-sizes", default="1000,10000", help="sizes for the CSL jobs")
    args = parser.parse_args()
    sizes = {int(n) for n in args.sizes.split(",") if n}
    format_sizes = {int(n) for n in args.format_sizes.split(",") if n}
    refconv = shutil.which("refconv") or os.path.join(os.path.dirname(sys.executable), "refconv")
    print(f"{'job':<16} {'records':>9} {'seconds':>8} {'records/s':>10} {'peak MB':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for size in sorted(sizes | format_sizes):
            corpus = Path(tmp) / f"corpus-{size}.enw"
            with corpus.open("wb") as out:
                for chunk in generate(size):
                    out.write(chunk.encode("utf-8"))
            inputs = {"refer": corpus}
            for fmt in {source for source, _ in JOBS.values()} - {"refer"}:
                inputs[fmt] = corpus.with_suffix(SUFFIX[fmt])
                subprocess.run([refconv, "convert", str(corpus), "-q", "-o", str(inputs[fmt])],
                               check=True)  # fmt: skip
            jobs = {name: ["-t", target, "-f", source] for name, (source, target) in JOBS.items()}
            if size not in sizes:
                jobs = {}
            if size in format_sizes:
                for name, (style, n) in FORMAT_JOBS.items():
                    jobs[name] = ["-t", "text", "--style", style, "--jobs", n, "-f", "refer"]
            for name, job in jobs.items():
                source = job[job.index("-f") + 1]
                seconds, peak = run_job(refconv, inputs[source], job)
                print(f"{name:<16} {size:>9} {seconds:>8.2f} {size / seconds:>10,.0f} {peak:>8.1f}")


if __name__ == "__main__":
    main()
