"""Nothing lost: every tag of the Refer tables, read in every EndNote type that gives it a
meaning of its own (and in Journal Article and Generic for the common meanings), is written by
every data writer somewhere a reader finds it. Where it lands is the golden table
``tests/data/nothing-lost.tsv`` (one row per type and tag: CSL-JSON path, BibTeX field,
BibLaTeX field, RIS tag, Refer tag); ``REFCONV_UPDATE_GOLDENS=1`` rewrites it for review.

Formatted writers (text, html, ...) print what the style asks for and are not in the table.
"""

from __future__ import annotations

import json
import os
import re

import bibtexparser
import pytest

from refconv import Collected, convert
from refconv.formats.refer.tables import CLASSIC_TAGS, ENDNOTE_TAGS, ENDNOTE_TYPE_TAGS

from .conftest import DATA

GOLDEN = DATA / "nothing-lost.tsv"
WRITERS = ("csljson", "bibtex", "biblatex", "ris", "refer")
NAME_TARGETS = {"author", "editor", "collection-editor", "translator", "container-author",
                "reviewed-author", "composer", "director", "interviewer", "recipient",
                "illustrator", "original-author", "editorial-director"}  # fmt: skip
NUMBER_TARGETS = {"page", "page-first", "number-of-pages", "volume", "issue", "number",
                  "edition", "collection-number", "chapter-number", "number-of-volumes",
                  "?page"}  # fmt: skip
DATE_TARGETS = {"issued", "accessed", "event-date", "original-date", "available-date",
                "submitted"}  # fmt: skip


def _cases() -> list[tuple[str, str]]:
    cases = [("Journal Article", tag) for tag in ENDNOTE_TAGS if tag != "%0"]
    cases += [("Generic", tag) for tag in ENDNOTE_TAGS if tag != "%0"]
    cases += [(kind, tag) for kind, tags in ENDNOTE_TYPE_TAGS.items() for tag in tags]
    cases += [("(classic)", tag) for tag in CLASSIC_TAGS]
    return sorted(set(cases), key=lambda c: (c[0] != "Journal Article", c[0], c[1]))


CASES = _cases()


def _target(kind: str, tag: str):
    if kind == "(classic)":
        return CLASSIC_TAGS[tag]
    return ENDNOTE_TYPE_TAGS.get(kind, {}).get(tag, ENDNOTE_TAGS.get(tag))


def marker(kind: str, tag: str) -> tuple[str, str]:
    """(the value written after the tag, the text to look for in the outputs)."""
    target = _target(kind, tag)
    targets = set(target) if isinstance(target, tuple) else {target}
    n = CASES.index((kind, tag))
    if targets & NAME_TARGETS or (tag in ("%H", "%Q") and kind != "(classic)" and target is None):
        family = f"Zq{n:03d}x"
        if tag == "%Q" and kind == "(classic)":
            return f"Zq{n:03d}x Laboratories", family
        return f"{family}, Quentin", family
    if targets & DATE_TARGETS or tag in ("%8", "%=", "%["):
        return f"{1100 + n}", f"{1100 + n}"
    if targets & NUMBER_TARGETS or tag in ("%6", "%7"):
        return f"{8000 + n}", f"{8000 + n}"
    if "DOI" in targets:
        return f"10.9999/zq{n:03d}", f"10.9999/zq{n:03d}"
    if "URL" in targets:
        return f"https://example.org/zq{n:03d}", f"https://example.org/zq{n:03d}"
    if "ISBN|ISSN" in targets:
        return "0028-0836", "0028-0836"
    return f"zq{n:03d}word", f"zq{n:03d}word"


def record_text(kind: str, tag: str) -> str:
    value, _ = marker(kind, tag)
    if kind == "(classic)":
        base = "" if tag == "%T" else "%T Base title\n"
        extra = "" if tag == "%A" else "%A Someone Else\n"
        return f"{base}{extra}{tag} {value}\n"
    lines = [f"%0 {kind}"]
    if tag != "%T":
        lines.append("%T Base title")
    lines.append(f"{tag} {value}")
    return "\n".join(lines) + "\n"


def _csl_path(value, needle: str, path: str = "") -> str | None:
    if isinstance(value, dict):
        for key, item in value.items():
            found = _csl_path(item, needle, f"{path}.{key}" if path else key)
            if found:
                return found
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found = _csl_path(item, needle, f"{path}[{i}]")
            if found:
                return found
    elif needle in str(value):
        return path
    return None


def where(writer: str, text: str, needle: str) -> str:
    """Where ``needle`` is in ``writer``'s output: a path, field or tag; '-' if nowhere."""
    found: list[str] = []
    if writer == "csljson":
        (item,) = json.loads(text)
        key = item.pop("id")  # the key is made from the title, names, year: look elsewhere first
        return _csl_path([item], needle) or ("[0].id" if needle in key else "-")
    if writer in ("bibtex", "biblatex"):
        (entry,) = bibtexparser.parse_string(text).entries
        found = ["(key)"] if needle in entry.key else []
        found += [f.key for f in entry.fields if needle in re.sub(r"[{}\\]", "", str(f.value))]
    elif writer == "ris":
        found = [line[:2] for line in text.splitlines() if needle in line[6:]]
    elif writer == "refer":
        found = [line[:2] for line in text.splitlines() if needle in line[3:]]
    others = [place for place in found if place not in ("(key)", "ID", "%F")]
    return "+".join(dict.fromkeys(others or found)) or "-"


def row(kind: str, tag: str) -> list[str]:
    _, needle = marker(kind, tag)
    text = record_text(kind, tag)
    places = []
    for writer in WRITERS:
        out = convert(text.encode(), None, "refer", writer, diagnostics=Collected(quiet=True))
        places.append(where(writer, out, needle))
    return [kind, tag, *places]


def test_golden_table_is_complete_and_current():
    rows = [row(kind, tag) for kind, tag in CASES]
    text = "\t".join(["type", "tag", *WRITERS]) + "\n"
    text += "".join("\t".join(r) + "\n" for r in rows)
    if os.environ.get("REFCONV_UPDATE_GOLDENS"):
        GOLDEN.write_text(text, encoding="utf-8")
    assert GOLDEN.read_text(encoding="utf-8") == text


@pytest.mark.parametrize(("kind", "tag"), CASES, ids=[f"{k}-{t}" for k, t in CASES])
def test_every_value_reaches_every_writer(kind, tag):
    lost = [w for w, place in zip(WRITERS, row(kind, tag)[2:], strict=True) if place == "-"]
    assert not lost, f"{tag} of {kind} is lost by {lost}"
