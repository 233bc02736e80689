"""One small record per tag, field or variable of every reader, and where its value lands.

Each ``Case`` is one record in one input format with one marked value. ``landing`` converts it
to every data writer and reads each output back with that format's reader: the value is
*found* when its marker is in the read-back CSL item (in a field, a note or ``custom``),
*warned* when a diagnostic of the three conversions names its field (or shows the marker),
and *LOST* otherwise, a silent loss (issue 14; STYLE.md §4b).

Markers are derived from a stable hash of the row, so adding rows does not renumber the
others: names get a unique family name, dates a year, numbers a number, words ``zqNNNword``.
"""

from __future__ import annotations

import dataclasses
import json
import re
import zlib
from dataclasses import dataclass
from functools import cache

import bibtexparser
from lxml import etree

from refconv import Collected, convert
from refconv.formats.bibtex.tables import (
    BIBTEX_TO_CSL_TYPE,
    CSL_TO_BIBTEX_FIELD,
    DATE_FIELDS,
    NAME_FIELDS,
)
from refconv.formats.refer.tables import CLASSIC_TAGS, ENDNOTE_TAGS, ENDNOTE_TYPE_TAGS
from refconv.formats.ris.tables import (
    ENDNOTE_TO_RIS_TYPE,
    RIS_OWN_TAGS,
    RIS_TAG_ORDER,
    RIS_TO_CSL_TYPE,
    RIS_TO_ENDNOTE_FIELD,
    RIS_TO_ENDNOTE_FIELD_BY_TYPE,
)
from refconv.model import CSL_TYPES, DATE_VARIABLES, NAME_VARIABLES, TEXT_VARIABLES

WRITERS = ("csljson", "bibtex", "biblatex", "ris", "refer", "mods")
#: The reader that reads each writer's output back.
READ_BACK = {"csljson": "csljson", "bibtex": "bibtex", "biblatex": "bibtex", "ris": "ris",
             "refer": "refer", "mods": "mods"}  # fmt: skip
#: Where a writer puts the key itself (not a place a value lands).
KEY_PLACES = ("(key)", "ID", "%F", "mods@ID", "identifier[citekey]")
KEY_CASES = {"%F", "%L", "ID", "LB", "citation-key"}  # the marker is the citation key itself


@dataclass(frozen=True)
class Case:
    """One record with one marked value: ``key`` holds ``value``; ``needle`` is looked for."""

    reader: str
    kind: str  # the record's type as the input writes it
    key: str  # tag, field or variable (``a+b`` for two inputs that meet in one variable)
    value: str  # the marked value as written in the golden table
    text: str  # the whole input record
    needles: tuple[str, ...]  # every one must be found (two for two inputs)

    @property
    def id(self) -> str:
        """The row's name in test ids and in ``KNOWN_SILENT_LOSSES``."""
        return f"{self.reader}:{self.kind}:{self.key}:{self.value}"


def number(*parts: str) -> int:
    """A stable number 100-999 for a row (crc32 of its identity), the stem of its marker."""
    return zlib.crc32("|".join(parts).encode()) % 900 + 100


def _issn(n: int) -> str:
    """A valid ISSN made of ``n``: seven digits and the mod-11 check digit (ISO 3297)."""
    digits = f"{1000000 + n * 7:07d}"
    check = -sum(int(d) * w for d, w in zip(digits, range(8, 1, -1), strict=True)) % 11
    return f"{digits[:4]}-{digits[4:]}{'X' if check == 10 else check}"


def _isbn(n: int) -> str:
    """A valid ISBN-13 made of ``n`` (the EAN-13 check digit)."""
    digits = f"978{100000000 + n * 13:09d}"
    check = -sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits)) % 10
    return f"{digits}{check}"


def marker(kind: str, n: int, *, name_form: str = "text") -> tuple[str, str]:
    """(value to write, needle to look for) of a value of ``kind``.

    ``kind``: name, date, number, doi, url, issn, isbn, word, ``text`` (a word in a date or
    number field), ``mixed-date``/``mixed-number`` (a good value followed by a word the
    parser cannot use), or the words ``n.d.`` and ``in press`` that say there is no date yet.
    """
    word = f"zq{n:03d}word"
    if kind == "name":
        family = f"Zq{n:03d}x"
        return f"{family}, Quentin", family
    if kind == "date":
        return f"{1100 + n}", f"{1100 + n}"
    if kind == "number":
        return f"{8000 + n}", f"{8000 + n}"
    if kind == "doi":
        return f"10.9999/zq{n:03d}", f"10.9999/zq{n:03d}"
    if kind == "url":
        return f"https://example.org/zq{n:03d}", f"example.org/zq{n:03d}"
    if kind == "issn":
        return _issn(n), _issn(n)
    if kind == "isbn":
        return _isbn(n), _isbn(n)
    if kind == "mixed-date":
        return f"{1100 + n} {word}", word
    if kind == "mixed-number":
        return f"{8000 + n} {word}", word
    if kind in ("n.d.", "in press"):
        return kind, kind
    return word, word


def variants(value_kind: str) -> list[str]:
    """The values to try for a field of ``value_kind``: dates and numbers also get text a
    parser cannot read and a good value with text after it (issue 14: ``PY  - n.d.``)."""
    if value_kind == "date":
        return ["date", "text", "mixed-date", "n.d.", "in press"]
    if value_kind == "number":
        return ["number", "mixed-number"]
    return [value_kind]


# --- Refer -------------------------------------------------------------------------------
_REFER_NAMES = {"author", "editor", "collection-editor", "translator", "container-author",
                "reviewed-author", "composer", "director", "interviewer", "recipient",
                "illustrator", "original-author", "editorial-director"}  # fmt: skip
_NUMBERS = {"page", "page-first", "number-of-pages", "volume", "issue", "number", "edition",
            "collection-number", "chapter-number", "number-of-volumes", "?page", "part",
            "supplement", "printing", "locator"}  # fmt: skip


def _refer_kind(kind: str, tag: str) -> str:
    if kind == "(classic)":
        target = CLASSIC_TAGS[tag]
    else:
        target = ENDNOTE_TYPE_TAGS.get(kind, {}).get(tag, ENDNOTE_TAGS.get(tag))
    targets = set(target) if isinstance(target, tuple) else {target}
    if targets & _REFER_NAMES or (tag in ("%H", "%Q") and kind != "(classic)" and not target):
        return "name"
    if targets & set(DATE_VARIABLES) or tag in ("%8", "%=", "%["):
        return "date"
    if targets & _NUMBERS or tag in ("%6", "%7"):
        return "number"
    for var, kind_ in (("DOI", "doi"), ("URL", "url"), ("ISBN|ISSN", "issn")):
        if var in targets:
            return kind_
    return "word"


def refer_cases() -> list[Case]:
    """Every tag of the Refer tables, in Journal Article and Generic and in each type that
    gives it a meaning of its own, and every classic refer(1) tag."""
    pairs = {("Journal Article", t) for t in ENDNOTE_TAGS if t != "%0"}
    pairs |= {("Generic", t) for t in ENDNOTE_TAGS if t != "%0"}
    pairs |= {(kind, t) for kind, tags in ENDNOTE_TYPE_TAGS.items() for t in tags}
    pairs |= {("(classic)", t) for t in CLASSIC_TAGS}
    cases = []
    for kind, tag in sorted(pairs, key=lambda c: (c[0] != "Journal Article", c)):
        for variant in variants(_refer_kind(kind, tag)):
            n = number("refer", kind, tag, variant)
            value, needle = marker(variant, n)
            if tag == "%Q" and kind == "(classic)":
                value, needle = f"Zq{n:03d}x Laboratories", f"Zq{n:03d}x"
            lines = [] if kind == "(classic)" else [f"%0 {kind}"]
            lines += [] if tag == "%T" else ["%T Base title"]
            lines += ["%A Someone Else"] if kind == "(classic)" and tag != "%A" else []
            lines.append(f"{tag} {value}")
            cases.append(Case("refer", kind, tag, value, "\n".join(lines) + "\n", (needle,)))
    cases += _pairs("refer", _REFER_PAIRS)
    return cases


# --- RIS -----------------------------------------------------------------------------------
#: The tags of the RIS specification (RIS Format Specifications, Research Information Systems,
#: 2011 revision, "Reference Type Field Tags"), TY and ER aside.
RIS_SPEC_TAGS = (
    "A1", "A2", "A3", "A4", "AU", "AB", "AD", "AN", "AV", "BT", "C1", "C2", "C3", "C4", "C5", "C6",
    "C7", "C8", "CA", "CN", "CP", "CT", "CY", "DA", "DB", "DO", "DP", "ED", "EP", "ET", "ID", "IS",
    "J1", "J2", "JA", "JF", "JO", "KW", "L1", "L2", "L3", "L4", "LA", "LB", "LK", "M1", "M2", "M3",
    "N1", "N2", "NV", "OP", "PB", "PP", "PY", "RI", "RN", "RP", "SE", "SN", "SP", "ST", "T1", "T2",
    "T3", "TA", "TI", "TT", "U1", "U2", "U3", "U4", "U5", "UR", "VL", "VO", "Y1", "Y2",
)  # fmt: skip
RIS_TAGS = sorted(
    set(RIS_SPEC_TAGS) | set(RIS_TO_ENDNOTE_FIELD) | set(RIS_OWN_TAGS) | set(RIS_TAG_ORDER)
    | {tag for table in RIS_TO_ENDNOTE_FIELD_BY_TYPE.values() for tag in table}
)  # fmt: skip
#: Tags whose meaning depends on the type (pages or extent, issue or number, container...).
RIS_TYPE_TAGS = ("SP", "EP", "T2", "T3", "A2", "A3", "M1", "IS", "VL", "NV", "PB", "M3", "ET")


def _ris_kind(tag: str) -> str:
    if tag in ("AU", "A1", "A2", "A3", "A4", "ED", "TA"):
        return "name"
    if tag in ("PY", "Y1", "DA", "Y2"):
        return "date"
    if tag in ("VL", "IS", "NV", "SP", "EP", "ET", "M1", "CP"):
        return "number"
    return {"DO": "doi", "UR": "url", "L1": "url", "L2": "url", "L3": "url", "L4": "url",
            "LK": "url", "SN": "issn"}.get(tag, "word")  # fmt: skip


def ris_cases() -> list[Case]:
    """Every RIS tag (refconv's tables and the spec) in JOUR and GEN, and the tags whose
    meaning depends on the type in every TY code refconv knows."""
    codes = sorted(set(RIS_TO_CSL_TYPE) | set(ENDNOTE_TO_RIS_TYPE.values()))
    pairs = {(code, tag) for code in ("JOUR", "GEN") for tag in RIS_TAGS}
    pairs |= {(code, tag) for code in codes for tag in RIS_TYPE_TAGS}
    cases = []
    for code, tag in sorted(pairs, key=lambda c: (c[0] != "JOUR", c)):
        for variant in variants(_ris_kind(tag)):
            value, needle = marker(variant, number("ris", code, tag, variant))
            lines = [f"TY  - {code}"] + ([] if tag == "TI" else ["TI  - Base title"])
            text = "\n".join([*lines, f"{tag}  - {value}", "ER  - ", ""])
            cases.append(Case("ris", code, tag, value, text, (needle,)))
    cases += _pairs("ris", _RIS_PAIRS)
    return cases


# --- BibTeX / BibLaTeX -------------------------------------------------------------------
#: Fields of the BibTeX manual (Patashnik, BibTeXing, §4) and the biblatex manual's data model
#: (§2.2.2, §2.2.3, §2.2.5) besides those refconv's tables name.
BIBTEX_EXTRA_FIELDS = (
    "addendum", "afterword", "annotation", "annotator", "annote", "bookpagination",
    "booksubtitle", "booktitleaddon", "commentator", "crossref", "day", "editora", "editorb",
    "editorc", "editoratype", "entryset", "eprint", "eprintclass", "eprinttype", "eventdate",
    "eventtitle", "eventtitleaddon", "file", "foreword", "holder", "howpublished", "indextitle",
    "institution", "introduction", "isan", "ismn", "isrn", "issue", "issuesubtitle",
    "issuetitle", "iswc", "journalsubtitle", "key", "keywords", "label", "langid", "library",
    "location", "mainsubtitle", "maintitle", "maintitleaddon", "month", "nameaddon",
    "options", "organization", "origdate", "origlanguage", "origlocation", "origpublisher",
    "origtitle", "pagination", "part", "pubstate", "related", "relatedtype", "reprinttitle",
    "school", "shortauthor", "shorteditor", "shorthand", "shortseries", "sortkey", "sortname",
    "subtitle", "titleaddon", "urldate", "usera", "userf", "venue", "verba", "xdata", "xref",
    "year", "date", "address", "booktitle", "journal", "journaltitle", "chapter",
)  # fmt: skip
BIBTEX_FIELDS = sorted(
    {f for pair in CSL_TO_BIBTEX_FIELD.values() for f in pair if f}
    | {f for pair in NAME_FIELDS.values() for f in pair if f}
    | {f for pair in DATE_FIELDS.values() for f in pair if f}
    | set(BIBTEX_EXTRA_FIELDS)
)
_BIBTEX_NAMES = {f for pair in NAME_FIELDS.values() for f in pair if f} | {
    "annotator", "commentator", "editorb", "editorc", "afterword", "foreword", "holder",
    "introduction", "shortauthor", "shorteditor", "sortname",
}  # fmt: skip
_BIBTEX_DATES = {"year", "date", "urldate", "eventdate", "origdate"}
_BIBTEX_NUMBERS = {"volume", "volumes", "number", "pages", "pagetotal", "chapter", "edition",
                   "part", "issue"}  # fmt: skip
#: Fields whose meaning depends on the entry type.
BIBTEX_TYPE_FIELDS = ("journal", "journaltitle", "booktitle", "howpublished", "organization",
                      "number", "publisher", "school", "institution", "type", "pages",
                      "series", "chapter")  # fmt: skip


def _bibtex_kind(field: str) -> str:
    if field in _BIBTEX_NAMES:
        return "name"
    if field in _BIBTEX_DATES:
        return "date"
    if field in ("month", "day"):
        return "text"  # no marker can be a month; text there must be kept
    if field in _BIBTEX_NUMBERS:
        return "number"
    return {"doi": "doi", "url": "url", "issn": "issn", "isbn": "isbn"}.get(field, "word")


def bibtex_cases() -> list[Case]:
    """Every BibTeX/BibLaTeX field of refconv's tables and of the two manuals in @article and
    @misc, and the fields whose meaning depends on the entry type in every type refconv
    knows (and one it does not)."""
    pairs = {(kind, f) for kind in ("article", "misc") for f in BIBTEX_FIELDS}
    pairs |= {(k, f) for k in [*BIBTEX_TO_CSL_TYPE, "zqtype"] for f in BIBTEX_TYPE_FIELDS}
    cases = []
    for kind, field in sorted(pairs, key=lambda c: (c[0] != "article", c)):
        for variant in variants(_bibtex_kind(field)):
            value, needle = marker(variant, number("bibtex", kind, field, variant))
            base = "" if field == "title" else "  title = {Base title},\n"
            text = f"@{kind}{{base,\n{base}  {field} = {{{value}}}\n}}\n"
            cases.append(Case("bibtex", kind, field, value, text, (needle,)))
    cases += _pairs("bibtex", _BIBTEX_PAIRS)
    return cases


# --- CSL-JSON ------------------------------------------------------------------------------
#: Variables whose meaning in other formats depends on the type.
CSL_TYPE_VARIABLES = ("container-title", "collection-title", "publisher", "number", "issue",
                      "page", "number-of-pages", "genre", "collection-number", "event-title",
                      "event-place", "archive")  # fmt: skip
#: Keys CSL-JSON files carry that are no CSL 1.0.2 variables (Zotero's, citeproc-js's).
CSL_OTHER_KEYS = ("journalAbbreviation", "shortTitle", "zq-unknown")


def _csl_kind(var: str) -> str:
    if var in NAME_VARIABLES:
        return "name"
    if var in DATE_VARIABLES:
        return "date"
    if var in _NUMBERS | {"PMID"}:
        return "number"
    return {"DOI": "doi", "URL": "url", "ISSN": "issn", "ISBN": "isbn"}.get(var, "word")


def _csl_value(variant: str, n: int) -> tuple[object, str]:
    value, needle = marker(variant, n)
    if variant == "name":
        return [{"family": needle, "given": "Quentin"}], needle
    if variant == "date":
        return {"date-parts": [[int(value)]]}, needle
    if variant in ("text", "mixed-date", "n.d.", "in press"):
        return {"raw": value}, needle
    return value, needle


def csljson_cases() -> list[Case]:
    """Every CSL variable of the model, ``custom`` entries and keys CSL does not define, in
    article-journal and document, and the variables whose meaning depends on the type in
    every CSL type."""
    variables = [*TEXT_VARIABLES, *DATE_VARIABLES, *NAME_VARIABLES, *CSL_OTHER_KEYS]
    pairs = {(t, v) for t in ("article-journal", "document") for v in variables}
    pairs |= {(t, v) for t in CSL_TYPES for v in CSL_TYPE_VARIABLES}
    cases = []
    for kind, var in sorted(pairs, key=lambda c: (c[0] != "article-journal", c)):
        for variant in variants(_csl_kind(var)):
            value, needle = _csl_value(variant, number("csljson", kind, var, variant))
            cases.append(_csl_case(kind, var, {var: value}, needle))
    for shape in ("string", "list"):
        n = number("csljson", "custom", shape)
        word = f"zq{n:03d}word"
        custom = {f"zqkey{n}": word if shape == "string" else [word, "other"]}
        cases.append(_csl_case("article-journal", f"custom ({shape})", {"custom": custom}, word))
    cases += _pairs("csljson", _CSL_PAIRS)
    for attr, value in NAME_ATTRIBUTES.items():  # the marker is the attribute's key
        name = {"family": "Zqnamed", "given": "Ann", "suffix": "Jr.", attr: value}
        case = _csl_case("article-journal", attr, {"author": [name]}, attr)
        cases.append(dataclasses.replace(case, value=f"{json.dumps(attr)}: {json.dumps(value)}"))
    return cases


#: CSL's name attributes (``refconv.model.Name`` flags), each with a value that is no default.
NAME_ATTRIBUTES = {"comma-suffix": True, "static-ordering": True, "parse-names": False}


def _csl_case(kind: str, key: str, item: dict, needle: str) -> Case:
    full = {"id": "base", "type": kind, **({} if "title" in item else {"title": "Base title"})}
    full |= item
    value = json.dumps(next(iter(item.values())), ensure_ascii=False)
    return Case("csljson", kind, key, value, json.dumps([full], ensure_ascii=False), (needle,))


# --- two inputs that meet in one variable, and notes that look like refconv's own ----------
#: (kind, key, record template): ``{a}`` and ``{w}`` are marked words; both must survive.
_REFER_PAIRS = (
    ("Journal Article", "%Z issue: + %N", "%0 Journal Article\n%T Base\n%N {a}\n%Z issue: {w}\n"),
    ("Journal Article", "%Z title: + %T", "%0 Journal Article\n%T {a}\n%Z title: {w}\n"),
    ("Journal Article", "%B+%J", "%0 Journal Article\n%T Base title\n%J {a}\n%B {w}\n"),
    ("Generic", "%D n.d.", "%0 Generic\n%T Base title\n%D n.d. {w}\n"),
)  # fmt: skip
_RIS_PAIRS = (
    ("JOUR", "N1 issue: + IS", "TY  - JOUR\nTI  - Base\nIS  - {a}\nN1  - issue: {w}\nER  - \n"),
    ("JOUR", "N1 title: + TI", "TY  - JOUR\nTI  - {a}\nN1  - title: {w}\nER  - \n"),
    ("JOUR", "TI+T1", "TY  - JOUR\nTI  - {a}\nT1  - {w}\nER  - \n"),
    ("JOUR", "T2+JO", "TY  - JOUR\nTI  - Base title\nT2  - {a}\nJO  - {w}\nER  - \n"),
    ("JOUR", "AB+N2", "TY  - JOUR\nTI  - Base title\nAB  - {a}\nN2  - {w}\nER  - \n"),
    ("JOUR", "PY+Y1", "TY  - JOUR\nTI  - Base title\nPY  - {a}\nY1  - {w}\nER  - \n"),
    ("JOUR", "PY n.d.", "TY  - JOUR\nTI  - Base title\nPY  - n.d. {w}\nER  - \n"),
    ("JOUR", "Y2 ref", "TY  - JOUR\nTI  - Base title\nY2  - {w} 2019\nER  - \n"),
    ("JOUR", "PY season", "TY  - JOUR\nTI  - Base title\nPY  - 1999/12/31/{w} issue\nER  - \n"),
    ("BOOK", "SP (extent)", "TY  - BOOK\nTI  - Base title\nSP  - 3{n}\nER  - \n"),
    ("EDBOOK", "SP (extent)", "TY  - EDBOOK\nTI  - Base title\nSP  - 3{n}\nER  - \n"),
    ("CHAP", "SP (extent)", "TY  - CHAP\nTI  - Base title\nSP  - 3{n}\nER  - \n"),
)  # fmt: skip
_BIBTEX_PAIRS = (
    ("misc", "number+note issue:",
     "@misc{{k,\n  title = {{T}},\n  number = {{{a}}},\n  note = {{issue: 7; title: {w}}}\n}}\n"),
    ("article", "number+note issue:",
     "@article{{k,\n  title = {{T}},\n  number = {{{a}}},\n  note = {{issue: {w}}}\n}}\n"),
    ("misc", "annote+annotation",
     "@misc{{k,\n  title = {{T}},\n  annote = {{{a}}},\n  annotation = {{{w}}}\n}}\n"),
    ("misc", "organization+publisher",
     "@misc{{k,\n  title = {{T}},\n  organization = {{{a}}},\n  publisher = {{{w}}}\n}}\n"),
    ("techreport", "institution+publisher",
     "@techreport{{k,\n  title = {{T}},\n  institution = {{{a}}},\n  publisher = {{{w}}}\n}}\n"),
    ("phdthesis", "school+publisher",
     "@phdthesis{{k,\n  title = {{T}},\n  school = {{{a}}},\n  publisher = {{{w}}}\n}}\n"),
    ("article", "journal+journaltitle",
     "@article{{k,\n  title = {{T}},\n  journal = {{{a}}},\n  journaltitle = {{{w}}}\n}}\n"),
    ("book", "address+location",
     "@book{{k,\n  title = {{T}},\n  address = {{{a}}},\n  location = {{{w}}}\n}}\n"),
    ("misc", "language+langid",
     "@misc{{k,\n  title = {{T}},\n  language = {{{a}}},\n  langid = {{{w}}}\n}}\n"),
    ("misc", "urldate checked",
     "@misc{{k,\n  title = {{T}},\n  urldate = {{{w} 2019}}\n}}\n"),
    ("misc", "date sometime",
     "@misc{{k,\n  title = {{T}},\n  date = {{{w}}},\n  eprint = {{55}}\n}}\n"),
)  # fmt: skip
_CSL_PAIRS = (
    ("article-journal", "issue+note issue:",
     '[{{"id": "k", "type": "article-journal", "title": "T", "issue": "{a}", '
     '"note": "issue: {w}"}}]'),
    ("document", "title+note title:",
     '[{{"id": "k", "type": "document", "title": "{a}", "note": "title: {w}"}}]'),
    ("document", "annote+custom annote",
     '[{{"id": "k", "type": "document", "title": "T", "annote": "{a}", '
     '"custom": {{"annote": "{w}"}}}}]'),
)  # fmt: skip


def _pairs(reader: str, rows: tuple[tuple[str, str, str], ...]) -> list[Case]:
    cases = []
    for kind, key, template in rows:
        n = number(reader, kind, key)
        first, word = f"zq{n:03d}first", f"zq{n:03d}word"
        text = template.format(a=first, w=word, n=n)
        needles = (f"3{n}",) if "{n}" in template else (word,)
        needles = (first, *needles) if "{a}" in template else needles
        cases.append(Case(reader, kind, key, " & ".join(needles), text, needles))
    return cases


# --- where a value lands --------------------------------------------------------------------
def csl_path(value: object, needle: str, path: str = "") -> str | None:
    """The first path in a CSL item that holds ``needle``, e.g. ``custom.%H[0]``; a name
    attribute (``comma-suffix``) is its own needle, found as a key."""
    if isinstance(value, dict):
        if needle in NAME_ATTRIBUTES and needle in value:
            return f"{path}.{needle}"
        for key, item in value.items():
            found = csl_path(item, needle, f"{path}.{key}" if path else key)
            if found:
                return found
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found = csl_path(item, needle, f"{path}[{i}]")
            if found:
                return found
    elif needle in str(value):
        return path
    return None


def find_in_item(item: dict, case: Case) -> str | None:
    """Where every marker is in a CSL item (``a&b`` for two), None if one is missing; the
    key (made from title, names and year) only counts for a value that is a key."""
    item = dict(item)
    item.pop("id", None)
    key = item.pop("citation-key", "")
    places = []
    for needle in case.needles:
        place = csl_path(item, needle)
        if place is None and case.key in KEY_CASES and needle in key:
            place = "citation-key"
        if place is None:
            return None
        places.append(place)
    return "&".join(places)


def where_written(writer: str, text: str, case: Case) -> str:
    """Where the markers are in ``writer``'s output: a path, field or tag (``a&b`` for two);
    '-' if one is nowhere."""
    if writer == "csljson":
        items = json.loads(text)
        return (find_in_item(items[0], case) or "-") if items else "-"
    places = []
    for needle in case.needles:
        found: list[str] = []
        if writer in ("bibtex", "biblatex"):
            for entry in bibtexparser.parse_string(text).entries:
                found += ["(key)"] if needle in entry.key else []
                found += [
                    f.key for f in entry.fields if needle in re.sub(r"[{}\\]", "", str(f.value))
                ]
        elif writer == "ris":
            found = [line[:2] for line in text.splitlines() if needle in line[6:]]
        elif writer == "refer":
            found = [line[:2] for line in text.splitlines() if needle in line[3:]]
        elif writer == "mods":
            found = mods_places(text, needle)
        others = [place for place in found if place not in KEY_PLACES]
        if case.key not in KEY_CASES:
            found = others
        place = "+".join(dict.fromkeys(others or found))
        if not place:
            return "-"
        places.append(place)
    return "&".join(places)


def mods_places(text: str, needle: str) -> list[str]:
    """The MODS elements (``identifier[doi]``) and attributes (``custom@key``) that hold
    ``needle``, as lxml reads the output."""
    places = []
    for element in etree.fromstring(text.encode("utf-8")).iter():
        if not isinstance(element.tag, str):
            continue
        name = element.tag.rpartition("}")[2]
        kind = element.get("type")
        if element.text and needle in element.text:
            places.append(f"{name}[{kind}]" if kind else name)
        places += [f"{name}@{key}" for key, value in element.attrib.items() if needle in value]
    return places


def mentions(case: Case, diagnostics: Collected) -> bool:
    """True when a warning or error names the case's field (or shows a marker), or the
    ``--report`` counters list the field."""
    words = [k.split(" ")[0] for k in case.key.split("+")]
    pattern = re.compile(
        "|".join(
            [rf"(?<![\w%-]){re.escape(w)}(?![\w-])" for w in words]
            + [re.escape(n) for n in case.needles]
        )
    )
    if any(pattern.search(m.message) for m in diagnostics.messages if m.kind != "note"):
        return True
    return any(key in words for _, key in diagnostics.moved)


@dataclass(frozen=True)
class Landing:
    """Where one value went through one writer and back."""

    written: str  # place in the writer's output, '-' if none
    back: str  # place in the read-back CSL item, or "warned" / "LOST"

    def __str__(self) -> str:
        return f"{self.written}>{self.back}"


@cache
def landing(case: Case) -> tuple[Landing, ...]:
    """Where ``case``'s value lands in each of ``WRITERS`` and after reading it back.

    A value missing after the round trip counts as reported only by the diagnostics of the
    step that lost it: the reader and writer when the output lacks it, else the reader that
    read the output back (a warning on input that it was kept in custom does not excuse a
    loss on the way back).
    """
    result = []
    for writer in WRITERS:
        first = Collected()
        out = convert(case.text.encode(), None, case.reader, writer, diagnostics=first) or ""
        written = where_written(writer, out, case)
        again = Collected()
        back = convert(out.encode(), None, READ_BACK[writer], "csljson", diagnostics=again)
        items = json.loads(back or "[]")
        place = find_in_item(items[0], case) if items else None
        if place is None:
            place = "warned" if mentions(case, first if written == "-" else again) else "LOST"
        result.append(Landing(written, place))
    return tuple(result)


def reproducer(case: Case, writer: str) -> str:
    """A shell line that shows the loss: the record through ``writer`` and back to CSL-JSON."""
    quoted = case.text.replace("\\", "\\\\").replace("'", "'\\''").replace("%", "%%")
    quoted = quoted.replace("\n", "\\n")
    return (
        f"printf '{quoted}' | refconv convert -f {case.reader} -t {writer}"
        f" | refconv convert -f {READ_BACK[writer]} -t csljson"
    )


ALL_CASES = {
    "refer": refer_cases(),
    "ris": ris_cases(),
    "bibtex": bibtex_cases(),
    "csljson": csljson_cases(),
}
