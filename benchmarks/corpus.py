"""Deterministic corpus generator: varied EndNote and classic refer records.

python benchmarks/corpus.py 10000 > /tmp/corpus.enw
"""

from __future__ import annotations

import random
import sys
from collections.abc import Iterator

FAMILIES = [
    "Smith",
    "van der Berg",
    "Della Porta",
    "Müller",
    "Kovářík",
    "O'Brien",
    "Nguyen",
    "García Márquez",
    "Peyton Jones",
    "Woźniak",
    "de la Fuente",
    "Hajič",
]
GIVENS = ["Jan", "Ana", "J. A.", "Rita", "Michał", "Simon", "François", "Jaromír", "Kirill"]
TYPES = [
    "Journal Article",
    "Book",
    "Book Section",
    "Conference Paper",
    "Thesis",
    "Report",
    "Web Page",
    "Newspaper Article",
    "Edited Book",
    "Generic",
]
WORDS = [
    "molecular",
    "mechanisms",
    "treatment",
    "cancer",
    "analysis",
    "of",
    "the",
    "&",
    "in",
    "30%",
    "{braces}",
    "$math$",
    "systems",
    "distributed",
    "clocks",
    "ordering",
    "events",
    "theory",
    "practice",
    "HER2",
    "DNA",
]


def record(rng: random.Random, i: int) -> str:
    kind = rng.choice(TYPES)
    lines = [f"%0 {kind}", "%T " + " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 12)))]
    for _ in range(rng.randint(1, 12)):
        lines.append(f"%A {rng.choice(FAMILIES)}, {rng.choice(GIVENS)}")
    if rng.random() < 0.1:
        lines.append("%A World Health Organization,")
    lines += [
        f"%D {rng.randint(1900, 2025)}",
        f"%J Journal {i % 97}",
        f"%V {i % 50}",
        f"%P {i % 400}-{i % 400 + rng.randint(1, 30)}",
        f"%R 10.{1000 + i % 9000}/x.{i}",
    ]
    if rng.random() < 0.5:
        abstract = " ".join(rng.choice(WORDS) for _ in range(rng.randint(20, 120)))
        lines.append("%X " + abstract[:80])
        lines += [abstract[k : k + 80] for k in range(80, len(abstract), 80)]
    if rng.random() < 0.3:
        lines += ["%K first keyword", "second keyword"]
    if rng.random() < 0.05:  # the flattened one-line form
        return " ".join(lines)
    return "\n".join(lines)


def generate(n: int, seed: int = 2012) -> Iterator[str]:
    """Yield ``n`` records as text, separated by blank lines (some with CRLF line ends)."""
    rng = random.Random(seed)
    for i in range(n):
        text = record(rng, i) + "\n\n"
        yield text.replace("\n", "\r\n") if i % 10 == 3 else text


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    out = sys.stdout.buffer
    for chunk in generate(count):
        out.write(chunk.encode("utf-8"))
