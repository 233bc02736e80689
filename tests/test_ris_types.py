"""Every tag of every RIS type, read and written in its type's meaning (issue 15).

One labelled record per RIS type is generated from ``ris.meaning.ris_tags``: every tag the type
gives a meaning holds a distinct marker shaped for its target (a name, a date, a number, a DOI,
a URL, a word). The reader must put each marker where the table says, the writer must give it
back under its tag, and trips through CSL-JSON and Refer must keep the record. rispy and
bibutils' ris2xml (independent readers) must read our output.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from dataclasses import dataclass

import pytest

import refconv
from refconv.diagnostics import Collected
from refconv.formats.refer.tables import Target
from refconv.formats.ris.meaning import endnote_field, ris_tags
from refconv.formats.ris.tables import ENDNOTE_TO_RIS_TYPE
from refconv.model import DATE_VARIABLES, NAME_VARIABLES, Record

CODES = sorted({*ENDNOTE_TO_RIS_TYPE.values(), "ELEC", "VIDEO", "SOUND"})

#: Targets whose values are numbers (volume, pages...): their markers are digits.
NUMBER_TARGETS = frozenset(
    {"chapter-number", "collection-number", "edition", "issue", "number", "number-of-pages",
     "number-of-volumes", "page", "page-first", "volume", "report-number", "version", "section"}
)  # fmt: skip

#: Reader rules (``refer.tables.PSEUDO_TARGETS``) → the CSL variables they may fill.
PSEUDO_HOMES = {
    "ISBN|ISSN": ("ISBN", "ISSN"),
    "report-number": ("number", "ISBN", "ISSN"),
    "accession": ("archive_location", "DOI"),
    "doi-tag": ("DOI",),
    "gov-number": ("number", "language"),
    "access-year": ("accessed",),
    "access-date": ("accessed",),
    "corporate-author": ("author",),
}


def variables(target: Target) -> tuple[str, ...]:
    """The CSL variables a target may fill (a fallback ``?var`` fills ``var``)."""
    if target is None:
        return ()
    names = target if isinstance(target, tuple) else (target,)
    homes: list[str] = []
    for name in names:
        name = name.lstrip("?")
        homes.extend(PSEUDO_HOMES.get(name, (name,)))
    return tuple(homes)


def isbn13(n: int) -> str:
    """A valid ISBN-13 with ``n`` in it (ISBN check digit: weights 1, 3)."""
    digits = f"978000{n:06d}"
    check = -sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits)) % 10
    return digits + str(check)


@dataclass(frozen=True)
class Marker:
    """The value written under one tag and the part of it that identifies it once read."""

    tag: str
    value: str
    probe: str


def marker(tag: str, target: Target, n: int) -> Marker:
    homes = variables(target)
    if any(var in NAME_VARIABLES for var in homes):
        return Marker(tag, f"Zq{n:03d}, Given", f"Zq{n:03d}")
    if any(var in DATE_VARIABLES for var in homes):
        if "access-year" in variables(target if isinstance(target, tuple) else (target or ())):
            return Marker(tag, str(1900 + n), str(1900 + n))
        return Marker(tag, f"{1900 + n}/02/03/", str(1900 + n))
    if "DOI" in homes and "archive_location" not in homes:
        return Marker(tag, f"10.1234/zq{n:03d}", f"10.1234/zq{n:03d}")
    if "URL" in homes:
        return Marker(tag, f"https://example.org/zq{n:03d}", f"example.org/zq{n:03d}")
    if "ISBN" in homes:
        value = isbn13(n)
        return Marker(tag, value, value)
    if any(var in NUMBER_TARGETS for var in homes):
        return Marker(tag, str(7000 + n), str(7000 + n))
    return Marker(tag, f"zq{n:03d}word", f"zq{n:03d}word")


def labelled(code: str) -> tuple[str, list[Marker]]:
    """The RIS text of one record of type ``code`` with every tag of ``ris_tags(code)``."""
    markers = [marker(tag, target, n) for n, (tag, target) in enumerate(ris_tags(code).items())]
    lines = [f"TY  - {code}", *(f"{m.tag}  - {m.value}" for m in markers), "ER  - ", ""]
    return "\n".join(lines), markers


def read(text: str, fmt: str) -> list[Record]:
    diagnostics = Collected()
    return list(refconv.read(text.encode(), fmt, diagnostics=diagnostics))


def write(records: list[Record], fmt: str) -> str:
    text = refconv.write(records, None, fmt, diagnostics=Collected())
    assert text is not None
    return text


def tag_lines(text: str) -> list[tuple[str, str]]:
    """(tag, value) of every RIS line, continuation lines aside."""
    return [(m[1], m[2]) for m in re.finditer(r"^([A-Z][A-Z0-9])  - ?(.*)$", text, re.M)]


def csl_text(csl: dict[str, object], var: str) -> str:
    return repr(csl.get(var, ""))


def homes(code: str, tag: str) -> tuple[str, ...]:
    """Where ``tag``'s value may be read: its target's variables; ``SP`` and ``EP`` also the
    page range the reader joins them into (RIS spec: start and end page)."""
    return variables(ris_tags(code)[tag]) + (("page",) if tag in ("SP", "EP") else ())


def aliases(code: str, tag: str) -> set[str]:
    """The other tags of ``code`` that fill a variable ``tag`` fills (``PY`` and ``DA``) or
    hold the same EndNote field (``M1`` and ``SV``, both ``%N``)."""
    mine = set(homes(code, tag))
    field = endnote_field(code, tag)
    return {
        other
        for other in ris_tags(code)
        if other != tag
        and (mine & set(homes(code, other)) or (field and endnote_field(code, other) == field))
    }


@pytest.mark.parametrize("code", CODES)
def test_reader_places_every_tag(code: str) -> None:
    """Each marker is in the variable ``ris_tags`` names, or kept in custom: for a ``None``
    target, and for a second tag of the same variable (first value wins, refer-format.md §1.4)."""
    text, markers = labelled(code)
    (record,) = read(text, "ris")
    csl = refconv.to_csl(record)
    kept = repr(record.extra)
    for m in markers:
        target = ris_tags(code)[m.tag]
        if any(m.probe in csl_text(csl, var) for var in homes(code, m.tag)):
            continue
        assert m.probe in kept, (m, target, "neither in its variable nor kept")
        assert target is None or aliases(code, m.tag), (
            m,
            target,
            "kept though its variable is free",
        )


#: Types written back under another code: ELEC, VIDEO, SOUND are no EndNote types, written as
#: the type they stand in for (``RIS_STAND_IN_TYPE``); SOUND -> MUSIC drops SOUND's own A2
#: (performer, RIS_TYPE_TAGS) into an N1 note.
TYPE_LOST = frozenset({"SOUND"})
WRITTEN_TYPE = {"ELEC": "WEB", "VIDEO": "MPCT", "SOUND": "MUSIC"}


@pytest.mark.parametrize("code", CODES)
def test_ris_to_ris_keeps_every_tag(code: str) -> None:
    """Written back, every tag line comes back under its own tag; a tag whose variable another
    tag of the type also fills (``T1`` beside ``TI``, ``EP`` joined into ``SP``) comes back
    under some tag, its value intact."""
    text, markers = labelled(code)
    out = write(read(text, "ris"), "ris")
    lines = tag_lines(out)
    assert lines[0] == ("TY", WRITTEN_TYPE.get(code, code))
    for m in markers:
        same = [value for tag, value in lines if tag == m.tag]
        if any(m.probe in value for value in same):
            continue
        if code not in TYPE_LOST:
            assert aliases(code, m.tag) or m.tag in ("EP", "ID"), (m, "lost its tag", out)
        assert m.probe in out, (m, "lost", out)  # N2 joins AB's abstract on a new line


#: CSL keys two trips may change without losing anything: the key (``id``) is assigned
#: anew by every writer.
IGNORED = frozenset({"id"})


def comparable(record: Record) -> dict[str, object]:
    return {k: v for k, v in refconv.to_csl(record).items() if k not in IGNORED}


@pytest.mark.parametrize("via", ["csljson", "refer"])
@pytest.mark.parametrize("code", CODES)
def test_ris_via_other_format_to_ris(code: str, via: str) -> None:
    """``ris -> X -> ris`` reads as the same CSL record as the first read."""
    text, _ = labelled(code)
    (first,) = read(text, "ris")
    (back,) = read(write(read(write([first], via), via), "ris"), "ris")
    assert comparable(back) == comparable(first)


def our_output() -> str:
    return write([r for code in CODES for r in read(labelled(code)[0], "ris")], "ris")


def test_rispy_reads_our_output() -> None:
    """rispy, an independent RIS reader, sees the same records: TY, title, DOI, authors."""
    rispy = pytest.importorskip("rispy")
    text = our_output()
    entries = rispy.load(io.StringIO(text))
    ours = read(text, "ris")
    assert len(entries) == len(ours) == len(CODES)
    for entry, code, record in zip(entries, CODES, ours, strict=True):
        assert entry["type_of_reference"] == WRITTEN_TYPE.get(code, code)
        title = entry.get("title") or entry.get("primary_title")
        assert title == record.fields["title"], code
        if "doi" in entry or "DOI" in record.fields:
            assert entry.get("doi") == record.fields.get("DOI"), code
        if ris_tags(code).get("AU") == "author":
            assert len(entry.get("authors", [])) == len(record.names.get("author", [])), code


def test_ris2xml_reads_our_output(tmp_path) -> None:
    """bibutils' ris2xml (Debian bibutils) reads as many records and the same titles."""
    tool = shutil.which("ris2xml")
    if tool is None:
        pytest.skip("ris2xml (Debian package bibutils) is not installed")
    path = tmp_path / "all.ris"
    path.write_text(our_output(), encoding="utf-8")
    result = subprocess.run([tool, str(path)], capture_output=True, text=True, check=True)
    ET = pytest.importorskip("xml.etree.ElementTree")
    root = ET.fromstring(result.stdout)
    ns = {"m": "http://www.loc.gov/mods/v3"}
    mods = root.findall("m:mods", ns)
    assert len(mods) == len(CODES)
    titles = [m.find("m:titleInfo/m:title", ns) for m in mods]
    expected = [r.fields["title"] for r in read(path.read_text("utf-8"), "ris")]
    assert [t.text if t is not None else None for t in titles] == expected
