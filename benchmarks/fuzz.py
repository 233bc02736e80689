"""Long fuzzing campaign: the strategies of tests/hostile.py with many more examples, plus
random mutations of real files in every format. Not part of the test suite.

    python benchmarks/fuzz.py --examples 5000 --mutations 20000 [--seed 1]

Every failure (a traceback, an exit status other than 0 or 1, a stderr line that is not a
diagnostic, output that does not read back) is printed with the input that caused it, and the
exit status is 1. Hypothesis shrinks its failures to a minimal input.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tests.hostile import TARGETS, TEXT, check_conversion, hostile  # noqa: E402

SEEDS = [ROOT / "examples" / name for name in
         ("endnote-sample.enw", "classic.refer", "nahta2012-flat.enw")]  # fmt: skip
SPLICE = b'{}[]"\\%@,:\n\r-TYER 0123456789\xc3\xa9\xff\x00\x1b'


def _campaign(source: str, examples: int):
    @settings(max_examples=examples, deadline=10_000, database=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(raw=hostile(source), target=st.sampled_from(TARGETS))
    def campaign(raw, target):
        check_conversion(raw, source, target)

    return campaign


def run_hypothesis(examples: int) -> int:
    failures = 0
    for source in TEXT:
        campaign = _campaign(source, examples)
        start = time.perf_counter()
        try:
            campaign()
            print(f"{source}: {examples} examples passed in {time.perf_counter() - start:.0f}s")
        except Exception:  # report every failure, go on with the next format
            failures += 1
            print(f"{source}: FAILED\n{traceback.format_exc()}")
    return failures


def seeds() -> dict[str, bytes]:
    """The example files converted to every input format, to mutate."""
    from click.testing import CliRunner

    from refconv.cli import cli

    paths = [str(p) for p in SEEDS]
    return {fmt: CliRunner().invoke(cli, ["convert", "-q", *paths, "-t", fmt]).stdout_bytes
            for fmt in TEXT}  # fmt: skip


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


def run_mutations(count: int, seed: int) -> int:
    rng = random.Random(seed)
    base = seeds()
    failures = 0
    start = time.perf_counter()
    for i in range(count):
        source = rng.choice(list(base))
        data, target = mutate(rng, base[source]), rng.choice(TARGETS)
        try:
            check_conversion(data, source, target)
        except Exception:  # report it, go on
            failures += 1
            print(f"mutation {i}: {source} -> {target}: FAILED on {data[:2000]!r}")
            print(traceback.format_exc())
    print(f"mutations: {count} in {time.perf_counter() - start:.0f}s, {failures} failed")
    return failures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=2000, help="hypothesis, per format")
    parser.add_argument("--mutations", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    failures = run_hypothesis(args.examples) if args.examples else 0
    failures += run_mutations(args.mutations, args.seed) if args.mutations else 0
    raise SystemExit(1 if failures else 0)


if __name__ == "__main__":
    main()
