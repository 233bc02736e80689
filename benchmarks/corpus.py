"""Deterministic benchmark corpus: the test suite's varied, hostile records (tests/corpus.py),
plus the forms that stress the reader: some records flattened onto one line, some with CRLF.

    python benchmarks/corpus.py 10000 > /tmp/corpus.enw
"""

from __future__ import annotations

import random
import sys
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.corpus import record


def generate(n: int, seed: int = 2012) -> Iterator[str]:
    """Yield ``n`` records as text, separated by blank lines."""
    rng = random.Random(seed)
    for i in range(n):
        text = record(rng, i)
        if i % 20 == 7:  # the flattened one-line form
            text = " ".join(text.split("\n"))
        text += "\n\n"
        yield text.replace("\n", "\r\n") if i % 10 == 3 else text


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    out = sys.stdout.buffer
    for chunk in generate(count):
        out.write(chunk.encode("utf-8"))
