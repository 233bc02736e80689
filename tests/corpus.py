"""A deterministic corpus of varied, hostile Refer records for the consumer tests.

Non-ASCII names, particles, suffixes, organisations, every LaTeX special (``& % $ # _ { } ~ ^
\\``, also unbalanced braces and injection attempts) in titles and abstracts, all common types.
"""

from __future__ import annotations

import random

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
    "Ødegaard",
    "Łukasiewicz",
    "Çelik",
    "Þórsson",
    "Dvořák",
    "Saint-Exupéry",
    "Lévi-Strauss",
]
GIVENS = [
    "Jan",
    "Ana",
    "J. A.",
    "Rita",
    "Michał",
    "Simon",
    "François",
    "Jaromír",
    "Kirill",
    "Zoë",
    "Søren",
    "Björk",
    "José María",
]
ORGS = [
    "World Health Organization,",
    "Organization for Economic Cooperation and Development,",
    "Smith & Wesson Holding Corp.,",
    "R Core Team,",
]
TYPES = [
    "Journal Article",
    "Book",
    "Book Section",
    "Conference Paper",
    "Conference Proceedings",
    "Thesis",
    "Report",
    "Web Page",
    "Newspaper Article",
    "Edited Book",
    "Generic",
    "Magazine Article",
    "Computer Program",
    "Dataset",
    "Patent",
    "Unpublished Work",
    "Film or Broadcast",
    "Electronic Article",
    "Manuscript",
    "Map",
]
SPECIALS = [
    "&",
    "30%",
    "$x^2$",
    "#1",
    "snake_case",
    "{braced}",
    "~tilde",
    "a^b",
    "C:\\data",
    "unbalanced }",
    "{ open",
    "Foo}, note = {x",
    "\\input{/etc/passwd}",
    "100 %",
    "@article{evil,",
    "HER2",
    "DNA",
    "iPhone",
    "naïve",
    "“quoted”",
    "—",
    "‰",
    "½",
]
WORDS = [
    "molecular",
    "mechanisms",
    "of",
    "the",
    "treatment",
    "in",
    "systems",
    "theory",
    "analysis",
    "Zostera",
    "Baltic",
    "distributed",
    "clocks",
]


def record(rng: random.Random, i: int) -> str:
    kind = TYPES[i % len(TYPES)]
    title = " ".join(rng.choice(WORDS + SPECIALS) for _ in range(rng.randint(3, 10)))
    lines = [f"%0 {kind}", f"%T {title}"]
    if i % 7 == 0:
        lines.append(f"%A {rng.choice(ORGS)}")
    for _ in range(rng.randint(0 if i % 7 == 0 else 1, 4)):
        suffix = ", Jr." if rng.random() < 0.05 else ""
        lines.append(f"%A {rng.choice(FAMILIES)}, {rng.choice(GIVENS)}{suffix}")
    if kind in ("Book Section", "Conference Paper", "Edited Book") or rng.random() < 0.2:
        lines.append(f"%E {rng.choice(FAMILIES)}, {rng.choice(GIVENS)}")
    if kind in ("Journal Article", "Book Section", "Conference Paper", "Magazine Article"):
        lines.append("%J " if kind.endswith("Article") else "%B ")
        lines[-1] += " ".join(rng.choice(WORDS + SPECIALS[:4]) for _ in range(3)).title()
    date = rng.choice(
        [
            "2012",
            "2012 Mar 15",
            "1996-2004",
            "in press",
            "Spring 2019",
            "n.d.",
            "2001/07/04",
            "ca. 1850",
        ]
    )
    lines += [
        f"%D {date}",
        f"%V {i % 40 + 1}",
        f"%N {i % 12 + 1}",
        f"%P {rng.choice(['332-373', '435–446', 'e1234', '94-98,93', '12'])}",
        f"%I {rng.choice(['Springer & Co.', 'MIT Press', 'Éditions du Seuil'])}",
        f"%C {rng.choice(['Zürich', 'New York, NY', 'São Paulo'])}",
    ]
    if rng.random() < 0.5:
        lines.append(
            "%R 10.1175/1520-0485(1996)026<2712:TEOIWU>2.0.CO;2"
            if i % 5 == 0
            else f"%R 10.{1000 + i}/test_{i}%20x"
        )
    if rng.random() < 0.4:
        lines.append("%U https://example.org/o-que-%C3%A9?a=1&b=2#frag_1")
    lines.append("%X " + " ".join(rng.choice(WORDS + SPECIALS) for _ in range(30)))
    lines.append(" ".join(rng.choice(WORDS + SPECIALS) for _ in range(20)))
    if rng.random() < 0.5:
        lines += ["%K first & keyword", "second_keyword"]
    if rng.random() < 0.3:
        lines.append("%Z A note with 50% & {braces}")
    if rng.random() < 0.2:
        lines.append("%H Translated, Author")
    if kind == "Thesis":
        lines.append(rng.choice(["%9 Ph.D. thesis", "%9 Masters thesis", "%9 Diplomarbeit"]))
    if rng.random() < 0.1:
        lines.append("%G German")
    return "\n".join(lines)


def corpus(n: int = 300, seed: int = 1953) -> str:
    """``n`` records as Refer text."""
    rng = random.Random(seed)
    return "\n\n".join(record(rng, i) for i in range(n)) + "\n"
