"""Differential test against pandoc's biblatex reader (issue 16): the generated corpus
(``tests/biblatex_corpus.py``, one feature of the biblatex data model per entry) is read by
``pandoc -f biblatex -t csljson`` and by refconv (``-f bibtex -t csljson``); items are paired
by ``id`` and compared per CSL variable after a normaliser that forgets what is only form:
whitespace runs, Unicode composition, the dash in a range (``12-34``, ``12--34``, ``12–34``),
which particle field a name's ``von`` is in, a date's ``raw`` vs ``date-parts``. ``custom``
(refconv's overflow, which pandoc drops), ``id`` and ``citation-key`` (the id again; pandoc
2.17 does not write it) are not compared.

Every disagreement must be explained by a row of ``tests/data/pandoc-differences.tsv``: a
CSL variable, a feature tag of the corpus (``field:maintitle``, ``date:open``, ``latex:emph``,
``type:video``, ...), the shape (``missing``: only pandoc has it; ``extra``: only refconv;
``differs``: both, not equal; ``lost``: an entry neither gives) and why. A row that no longer
explains any disagreement fails (``test_known_difference_still_occurs``): delete it. ``-s``
prints the agreement per variable (the pseudo-variable ``item`` is not in the overall rate).
The table is for pandoc 2.17 (Debian bookworm); another pandoc skips the comparison.
"""

from __future__ import annotations

import csv
import json
import re
import subprocess
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import refconv

from .biblatex_corpus import DATES, ENTRY_TYPES, LATEX, NAME_FORMS, PAGES, generate, render
from .conftest import DATA, require_tool

TABLE = DATA / "pandoc-differences.tsv"
#: The pandoc whose behaviour the table describes.
PANDOC_SERIES = "2.17"
#: Not compared: refconv's overflow, the key, and the key again (pandoc 2.17 has no
#: ``citation-key``).
IGNORED = {"id", "custom", "citation-key"}
#: Variables that hold a range or a number: ``-``, ``--`` and ``–`` are one dash there
#: (biblatex manual §2.3.10, ``\\bibrangedash``).
RANGES = {"page", "volume", "issue", "number", "chapter-number", "collection-number",
          "number-of-pages", "number-of-volumes", "page-first"}  # fmt: skip
NAME_PARTS = ("given", "dropping-particle", "non-dropping-particle", "family", "suffix")
#: The variables of every entry's plain base (``biblatex_corpus.base_entry``).
BASE = {"author", "title", "issued", "type"}
SHAPES = ("missing", "extra", "differs", "lost")


@dataclass(frozen=True)
class Known:
    """One row of the table: a category of differences and why we keep it."""

    variable: str
    tag: str
    shape: str
    reason: str

    @property
    def id(self) -> str:
        return f"{self.variable}|{self.tag}|{self.shape}"


@dataclass(frozen=True)
class Disagreement:
    """One CSL variable of one item on which pandoc and refconv differ."""

    key: str
    variable: str
    shape: str
    pandoc: Any
    refconv: Any
    tags: frozenset[str]

    def explained_by(self, known: Known) -> bool:
        return (
            known.variable == self.variable and known.shape == self.shape and known.tag in self.tags
        )

    def __str__(self) -> str:
        tags = " ".join(sorted(t for t in self.tags if t != "base"))
        return (
            f"{self.key}: {self.variable} ({self.shape}) pandoc={self.pandoc!r} "
            f"refconv={self.refconv!r} [{tags}]"
        )


def read_table() -> list[Known]:
    """The known differences (a TSV with a header: variable, tag, shape, reason)."""
    with TABLE.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream, delimiter="\t"))
    return [Known(row["variable"], row["tag"], row["shape"], row["reason"]) for row in rows]


def normalise_text(variable: str, value: Any) -> str:
    """A string value without what is only form: NFC, one space per run, the apostrophe
    (``'`` or ``’``), and in a range the dash and the space after a comma."""
    text = " ".join(unicodedata.normalize("NFC", str(value)).split()).replace("\u2019", "'")
    if variable in RANGES:
        text = re.sub(r"\s*(?:---?|[\u2013\u2014-])\s*", "-", text)
        text = re.sub(r"\s*,\s*", ", ", text)
    return text


def normalise_name(name: dict[str, Any]) -> str:
    """A name as it is read aloud: the particles in order, whichever CSL part holds them."""
    if "literal" in name:
        return normalise_text("name", name["literal"])
    return " ".join(normalise_text("name", name[p]) for p in NAME_PARTS if name.get(p))


def parse_raw(raw: str) -> list[list[int]]:
    """``date-parts`` of a raw EDTF date (``1999-10-14/``; an open end is ``[]``)."""
    parts = []
    for end in raw.split("/"):
        found = re.match(r"^(-?\d{1,4})(?:-(\d\d))?(?:-(\d\d))?", end.strip())
        parts.append([int(x) for x in found.groups() if x] if found else [])
    return parts


def normalise_date(date: dict[str, Any]) -> tuple[Any, ...]:
    """A date as (parts, circa, season, literal). An end of zeros (``[0]``, pandoc's, or
    ``[0, 0, 0]``, refconv's: citeproc-js wants one as long as the start) and an empty raw end
    are one open end (an open range is not a single date); month 21-24 (pandoc's season) is
    ``season``."""
    parts = date.get("date-parts") or (parse_raw(date["raw"]) if "raw" in date else [])
    parts = [[int(x) for x in p] for p in parts]
    parts = [[] if not any(p) else p for p in parts]
    season = date.get("season")
    if parts and len(parts[0]) == 2 and 21 <= parts[0][1] <= 24:
        season, parts[0] = parts[0][1] - 20, parts[0][:1]
    return (
        tuple(tuple(p) for p in parts),
        bool(date.get("circa")),
        str(season) if season else None,
        date.get("literal"),
    )


def normalise(variable: str, value: Any) -> Any:
    """The comparable form of one CSL variable's value."""
    if isinstance(value, list) and all(isinstance(x, dict) for x in value):
        return tuple(normalise_name(n) for n in value)
    if isinstance(value, dict):
        return normalise_date(value)
    return normalise_text(variable, value)


def compare(
    pandoc: dict[str, dict[str, Any]],
    mine: dict[str, dict[str, Any]],
    tags: dict[str, frozenset[str]],
) -> tuple[Counter[str], Counter[str], list[Disagreement]]:
    """Per variable: how many were compared and how many agreed; and the disagreements.
    Whether an entry of the corpus is an item at all is the pseudo-variable ``item``: ``lost``
    when neither reader gives it (an ``@xdata`` entry is not a record, biblatex §3.13.6)."""
    compared: Counter[str] = Counter()
    equal: Counter[str] = Counter()
    found = []
    for key in sorted(pandoc.keys() | mine.keys() | tags.keys()):
        left, right = pandoc.get(key), mine.get(key)
        tagged = tags.get(key, frozenset())
        if left is None or right is None:
            if left is None and right is None and "xdata:entry" in tagged:
                continue
            compared["item"] += 1
            shape = "lost" if left is right else "missing" if right is None else "extra"
            found.append(Disagreement(key, "item", shape, left is not None, right is not None,
                                      tagged))  # fmt: skip
            continue
        compared["item"] += 1
        equal["item"] += 1
        for variable in sorted((left.keys() | right.keys()) - IGNORED):
            compared[variable] += 1
            a = normalise(variable, left[variable]) if variable in left else None
            b = normalise(variable, right[variable]) if variable in right else None
            if a == b:
                equal[variable] += 1
                continue
            shape = "missing" if b is None else "extra" if a is None else "differs"
            found.append(Disagreement(key, variable, shape, a, b, tagged))
    return compared, equal, found


@dataclass
class Run:
    """Both readers' items and their comparison."""

    compared: Counter[str]
    equal: Counter[str]
    disagreements: list[Disagreement]
    version: str


def pandoc_version(pandoc: str) -> str:
    """``2.17.1.1`` from ``pandoc --version``."""
    out = subprocess.run([pandoc, "--version"], capture_output=True, text=True, check=True)
    return out.stdout.split()[1]


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    """Read the corpus with pandoc and refconv once and compare them."""
    pandoc = require_tool("pandoc", "pandoc")
    version = pandoc_version(pandoc)
    if not version.startswith(PANDOC_SERIES + "."):
        pytest.skip(f"the known differences are for pandoc {PANDOC_SERIES}, this is {version}")
    entries = generate()
    path: Path = tmp_path_factory.mktemp("pandoc") / "corpus.bib"
    path.write_text(render(entries), encoding="utf-8")
    out = subprocess.run(
        [pandoc, "-f", "biblatex", "-t", "csljson", str(path)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    theirs = {item["id"]: item for item in json.loads(out.stdout)}
    # Warnings are the reader's own business here (tests/formats/bibtex goldens pin them).
    text = refconv.convert(str(path), None, "bibtex", "csljson",
                           diagnostics=refconv.Diagnostics(quiet=True))  # fmt: skip
    assert text is not None
    mine = {item["id"]: item for item in json.loads(text)}
    tags = {e.key: frozenset(e.tags) for e in entries}
    return Run(*compare(theirs, mine, tags), version)


def agreement_table(result: Run) -> str:
    """The agreement per variable and overall, as printed with ``-s``."""
    total_compared = sum(n for v, n in result.compared.items() if v != "item")
    total_equal = sum(n for v, n in result.equal.items() if v != "item")
    items = result.compared["item"]
    # Every entry has an author, a title, a year and a type: the rate without them is the
    # rate on the features the corpus is about.
    rest = [v for v in result.compared if v not in {"item", *BASE}]
    rest_compared = sum(result.compared[v] for v in rest)
    rest_equal = sum(result.equal[v] for v in rest)
    lines = [f"pandoc {result.version} vs refconv: {total_equal}/{total_compared} fields agree "
             f"({100 * total_equal / total_compared:.1f}%)",
             f"without the base {'/'.join(sorted(BASE))}: {rest_equal}/{rest_compared} "
             f"({100 * rest_equal / rest_compared:.1f}%)",
             f"{items - len({d.key for d in result.disagreements})}/{items} "
             "items agree in every variable",
             f"{'variable':<24}{'equal':>7}{'compared':>10}{'rate':>8}"]  # fmt: skip
    for variable, n in sorted(result.compared.items()):
        ok = result.equal[variable]
        lines.append(f"{variable:<24}{ok:>7}{n:>10}{100 * ok / n:>7.1f}%")
    return "\n".join(lines)


def test_every_difference_is_known(run: Run) -> None:
    print("\n" + agreement_table(run))
    known = read_table()
    unexplained = [d for d in run.disagreements if not any(d.explained_by(k) for k in known)]
    counts = Counter(k.id for d in run.disagreements for k in known if d.explained_by(k))
    for row in known:
        print(f"{counts[row.id]:>4}  {row.id}")
    assert not unexplained, (
        f"{len(unexplained)} differences from pandoc are not in {TABLE.name} "
        "(fix the reader, or add a row with the reason):\n" + "\n".join(map(str, unexplained))
    )


@pytest.mark.parametrize("row", [pytest.param(k, id=k.id) for k in read_table()])
def test_known_difference_still_occurs(run: Run, row: Known) -> None:
    """A listed difference that no longer happens is a stale row (the reader was fixed)."""
    assert any(d.explained_by(row) for d in run.disagreements), (
        f"{row.id} no longer differs from pandoc: delete its row from {TABLE.name}"
    )


def test_table_rows_are_well_formed() -> None:
    """Each row names a shape, a tag the corpus has, a reason; no row twice."""
    rows = read_table()
    tags = set().union(*(e.tags for e in generate()))
    for row in rows:
        assert row.shape in SHAPES, row
        assert row.tag in tags, f"{row.id}: the corpus has no tag {row.tag!r}"
        assert len(row.reason) > 20, row
    assert len({r.id for r in rows}) == len(rows)


def test_corpus_covers_the_data_model() -> None:
    """Every entry type, name form, date shape, page form and LaTeX construct occurs, and
    the corpus is the same for the same seed (the table relies on it)."""
    entries = generate()
    tags = set().union(*(e.tags for e in entries))
    wanted = {f"type:{t}" for t in ENTRY_TYPES} | {
        tag for table in (NAME_FORMS, DATES, PAGES, LATEX) for _, tag in table
    }
    assert wanted <= tags, sorted(wanted - tags)
    assert len({e.key for e in entries}) == len(entries)
    assert render(entries) == render(generate())
    assert render(entries) != render(generate(seed=17))


def test_normaliser_keeps_meaning() -> None:
    """The normaliser forgets form, never content (so an agreement is a real one)."""
    assert normalise("page", "12--34") == normalise("page", "12\u201334") == "12-34"
    assert normalise("title", "A -- B") != normalise("title", "A \u2013 B")
    assert normalise("title", " A\n  B ") == "A B"
    von = [{"family": "Goethe", "given": "J.", "non-dropping-particle": "von"}]
    assert normalise("author", von) == normalise(
        "author", [{"family": "Goethe", "given": "J.", "dropping-particle": "von"}]
    )
    assert normalise("author", von) != normalise("author", [{"family": "von Goethe"}])
    open_end = {"date-parts": [[1999, 10, 14], [0]]}
    assert normalise("issued", open_end) == normalise("issued", {"raw": "1999-10-14/"})
    assert normalise("issued", open_end) != normalise("issued", {"date-parts": [[1999, 10, 14]]})
    assert normalise("issued", {"date-parts": [[2001, 21]]}) == normalise(
        "issued", {"date-parts": [[2001]], "season": 1}
    )
    assert normalise("issued", {"date-parts": [[1723]], "circa": True}) != normalise(
        "issued", {"date-parts": [[1723]]}
    )
