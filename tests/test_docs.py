"""Every section of the Refer format reference that refconv's code cites exists in
docs/refer-format.md, so a renumbered or dropped section breaks the build, not the comments.

A citation is ``refer-format.md §N`` or a bare ``§N`` (the code's short form); a ``§`` that
follows the name of another document on its line (``STYLE.md §6``, ``RFC 3986 §2.2``,
``btxdoc §4``, ``biblatex manual §2.3.8``, ``CommonMark 0.31: ..., §5.2``) cites that document.
``§6.1 rule 4`` also needs rule 4 in §6.1's numbered list.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "refer-format.md"
THIS_DOC = "refer-format.md"

#: "## 1. Record and line syntax", "### 1.1 What a tag line is".
_HEADING = re.compile(r"^(#{2,3}) (\d+(?:\.\d+)?)\.? ", re.MULTILINE)
_CITATION = re.compile(r"§(\d+(?:\.\d+)?)(?: rule (\d+))?")
#: Names of documents a "§" may belong to; the last one before a "§" on its line owns it.
_DOCUMENT = re.compile(r"[\w-]+\.md\b|\bRFC \d+|\bbtxdoc\b|\bmanual\b|\bCommonMark\b")
_RULE = re.compile(r"^(\d+)\. ", re.MULTILINE)


def sections(text: str) -> dict[str, str]:
    """Section number → its text (up to the next heading of any level)."""
    marks = list(_HEADING.finditer(text))
    return {
        m[2]: text[m.end() : marks[i + 1].start() if i + 1 < len(marks) else len(text)]
        for i, m in enumerate(marks)
    }


def citations(text: str) -> list[tuple[int, str, str | None]]:
    """(line number, section, rule or None) of every citation of this reference in ``text``."""
    found = []
    for lineno, line in enumerate(text.splitlines(), 1):
        for m in _CITATION.finditer(line):
            owners = _DOCUMENT.findall(line, 0, m.start())
            if owners and owners[-1] != THIS_DOC:
                continue
            found.append((lineno, m[1], m[2]))
    return found


def _code_citations() -> list[tuple[str, str, str | None]]:
    out = []
    for path in sorted((ROOT / "refconv").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        where = path.relative_to(ROOT).as_posix()
        out += [(f"{where}:{line}", section, rule) for line, section, rule in citations(text)]
    return out


CODE_CITATIONS = _code_citations()
SECTIONS = sections(DOC.read_text(encoding="utf-8"))


def test_the_reference_has_its_seven_chapters_and_their_sections():
    assert [s for s in SECTIONS if "." not in s] == [str(n) for n in range(1, 8)]
    for chapter, count in {"1": 8, "2": 3, "3": 2, "5": 6, "6": 3, "7": 3}.items():
        assert [s for s in SECTIONS if s.startswith(chapter + ".")] == [
            f"{chapter}.{n}" for n in range(1, count + 1)
        ]


def test_the_code_cites_the_reference():
    # The collector must see the citations the code is known to make; an empty list would make
    # the parametrized test below pass by having nothing to check.
    where = {(w.split(":")[0], section) for w, section, _ in CODE_CITATIONS}
    assert ("refconv/formats/refer/read.py", "1") in where
    assert ("refconv/formats/refer/syntax.py", "6.1") in where
    assert ("refconv/values/dates.py", "5.2") in where
    assert len(CODE_CITATIONS) >= 30


@pytest.mark.parametrize(("where", "section", "rule"), CODE_CITATIONS, ids=lambda v: str(v))
def test_every_cited_section_exists(where, section, rule):
    assert section in SECTIONS, f"{where} cites refer-format.md §{section}, which has no heading"
    if rule is not None:
        rules = _RULE.findall(SECTIONS[section])
        assert rule in rules, f"{where} cites §{section} rule {rule}; §{section} has {rules}"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("see refer-format.md §9.9", [(1, "9.9", None)]),
        (
            "flattened (§6.1 rule 4) and (§2.2 and §7.2)",
            [(1, "6.1", "4"), (1, "2.2", None), (1, "7.2", None)],
        ),
        ("mapping (refer-format.md §2-§5, §7)", [(1, "2", None), (1, "5", None), (1, "7", None)]),
        ("one error boundary (STYLE.md §6)", []),
        ("reserved characters (RFC 3986 §2.2)", []),
        ("as BibTeX splits names (btxdoc §4)", []),
        ("dates (BibTeX manual §B; biblatex manual §2.3.8)", []),
        ("(CommonMark 0.31: list items, §5.2-5.3)", []),
        ("RFC 3986 §2 says so, and so does refer-format.md §1.3", [(1, "1.3", None)]),
    ],
)
def test_citations_are_told_apart_from_other_documents(line, expected):
    assert citations(line) == expected


def test_a_missing_section_or_rule_is_found():
    text = "## 1. One\n\n### 1.1 Sub\n\n1. first\n2. second\n\n## 2. Two\n"
    found = sections(text)
    assert sorted(found) == ["1", "1.1", "2"]
    assert "3" not in found and "1.2" not in found
    assert _RULE.findall(found["1.1"]) == ["1", "2"]
