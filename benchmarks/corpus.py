"""Deterministic benchmark corpus: the test suite's varied, hostile records (tests/corpus.py),
plus the forms that stress the reader: some records flattened onto one line, some with CRLF.

    python benchmarks/corpus.py 10000 > /tmp/corpus.enw
    python benchmarks/corpus.py 10000 independent > /tmp/independent.enw   # issue 18's shape
"""

from __future__ import annotations

import random
import sys
import textwrap
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


#: the independent corpus (issue 18's record shape, not the test suite's): EndNote records of
#: about 1.2 KB with 14 tags and 4 names on average (1-12), long abstracts wrapped onto
#: continuation lines, plain text as databases export it
_TYPES = ["Journal Article"] * 6 + ["Book", "Book Section", "Conference Paper", "Thesis", "Report"]
_FAMILIES = [
    "Smith",
    "Nguyen",
    "García",
    "Müller",
    "Kowalski",
    "Okafor",
    "Tanaka",
    "Rossi",
    "Johansson",
    "O'Brien",
    "van Dijk",
    "Dubois",
    "Ivanova",
    "Kim",
    "Silva",
    "Cohen",
]
_GIVEN = [
    "Anna",
    "Peter J.",
    "María",
    "Jörg",
    "Li",
    "Ngozi",
    "Hiroshi",
    "Giulia",
    "Erik",
    "Siobhan",
    "Pieter",
    "Claire",
    "Olga",
    "Min-Jun",
    "João",
    "David",
]
_WORDS = [
    "analysis",
    "of",
    "the",
    "effects",
    "model",
    "data",
    "study",
    "patients",
    "results",
    "treatment",
    "clinical",
    "cell",
    "protein",
    "expression",
    "network",
    "learning",
    "method",
    "system",
    "response",
    "growth",
    "climate",
    "risk",
    "population",
    "quality",
    "evidence",
    "review",
    "trial",
    "outcomes",
    "structure",
    "dynamics",
    "signal",
]


def independent(n: int, seed: int = 18) -> Iterator[str]:
    """Yield ``n`` records of the independent corpus as text, separated by blank lines."""
    rng = random.Random(seed)

    def words(count: int) -> str:
        return " ".join(rng.choice(_WORDS) for _ in range(count))

    for i in range(n):
        kind = rng.choice(_TYPES)
        lines = [f"%0 {kind}"]
        lines += [f"%A {rng.choice(_FAMILIES)}, {rng.choice(_GIVEN)}"
                  for _ in range(min(12, 1 + int(rng.expovariate(1 / 3.2))))]  # fmt: skip
        lines.append(f"%T {words(rng.randint(6, 16)).capitalize()}")
        lines.append(f"%D {rng.randint(1950, 2025)}")
        if kind in ("Journal Article", "Conference Paper"):
            lines.append(f"%J {words(3).title()}")
            lines.append(f"%V {rng.randint(1, 120)}")
            lines.append(f"%N {rng.randint(1, 12)}")
            start = rng.randint(1, 2000)
            lines.append(f"%P {start}-{start + rng.randint(2, 30)}")
        else:
            lines.append(f"%I {words(2).title()} Press")
            lines.append(f"%C {rng.choice(['New York', 'London', 'Berlin', 'Tokyo'])}")
        lines.append(f"%R 10.{rng.randint(1000, 9999)}/{rng.randint(10**5, 10**6)}.{i}")
        lines.append(f"%K {words(1)}\n%K {words(2)}")
        abstract = words(rng.randint(70, 160)).capitalize() + "."
        lines.append("%X " + "\n".join(textwrap.wrap(abstract, 76)))  # continuation lines
        lines.append(f"%U https://example.org/{i}")
        lines.append(f"%@ {rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}")
        yield "\n".join(lines) + "\n\n"


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    kind = sys.argv[2] if len(sys.argv) > 2 else "own"
    out = sys.stdout.buffer
    for chunk in (independent if kind == "independent" else generate)(count):
        out.write(chunk.encode("utf-8"))
