"""Hostile input for fuzzing: hypothesis strategies that produce text in each input format
with the damage real files have (random and truncated records, control characters, huge
lines, deep braces, invalid UTF-8, NUL bytes) and the attacks of issue 13 (line separators
followed by record syntax, markup and ``javascript:`` in URLs and titles, TeX payloads,
JSON surrogate escapes, out-of-range numbers, odd names), and the invariants every
conversion must keep (STYLE.md §4c: output is inert).

Used by ``tests/test_fuzz.py`` (a modest example count, in CI) and by
``benchmarks/fuzz.py`` (long campaigns).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import bibtexparser
import html5lib
import yaml
from click.testing import CliRunner
from hypothesis import strategies as st
from lxml import etree

from refconv import Collected, read
from refconv.cli import cli

#: Output formats that are read back after a conversion (formatted text is not data).
READ_BACK = {"csljson": "csljson", "bibtex": "bibtex", "biblatex": "bibtex", "ris": "ris",
             "refer": "refer", "endnote-xml": "endnote-xml",
             "csl-yaml": "csl-yaml", "mods": "mods"}  # fmt: skip
#: The formatted outputs, each with these styles (author-date, numeric with a bracket label,
#: MLA, Chicago, and a "1." label, which Markdown reads as a list).
FORMATTED = ("text", "html", "markdown", "rst")
STYLES = ("apa", "ieee", "modern-language-association", "chicago-author-date", "vancouver-nlm")


@dataclass(frozen=True)
class Target:
    """One output of a conversion: a format and, for formatted output, its style."""

    format: str
    style: str | None = None
    standalone: bool = False

    def args(self) -> list[str]:
        """The CLI options that select this target."""
        style = ["--style", self.style] if self.style else []
        return ["-t", self.format, *style, *(["--standalone"] if self.standalone else [])]

    def __str__(self) -> str:
        return " ".join(self.args())


DATA_TARGETS = [Target(fmt) for fmt in READ_BACK]
FORMATTED_TARGETS = [Target(fmt, style) for fmt in FORMATTED for style in STYLES] + [
    Target("html", style, standalone=True) for style in STYLES
]
TARGETS = [*DATA_TARGETS, *FORMATTED_TARGETS]
#: Half the draws go to the data writers, where records can be forged and TeX can run.
target = st.one_of(st.sampled_from(DATA_TARGETS), st.sampled_from(FORMATTED_TARGETS))

# --- the attacks of issue 13 ----------------------------------------------------------------

#: Every character some reader takes for the end of a line: Python's str.splitlines() set
#: (https://docs.python.org/3/library/stdtypes.html#str.splitlines), CRLF included.
SEPARATORS = ["\r", "\r\n", "\n", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028",
              "\u2029"]  # fmt: skip
#: What would start, end or continue a record in each format if it arrived at a line start.
RECORD_SYNTAX = ["ER  - ", "TY  - BOOK", "TI  - Forged", "ER  -", "%0 Book", "%T Forged", "%0",
                 "PMID- 99", "      continued", "FAU - Forged, A",
                 "@article{forged,", "}", "@book{f, title = {Forged}}", "  title = {Forged},",
                 "}, {", '{"id": "forged"}', "", " ", "%", "@", "  "]  # fmt: skip
MARKUP = ['"><script>alert(1)</script>', "<script>alert(1)</script>",
          "<img src=x onerror=alert(1)>", "<svg onload=alert(1)>", "<iframe src=javascript:x>",
          '<a href="javascript:alert(1)">x</a>', "javascript:alert(1)", "JaVaScRiPt:alert(1)",
          "java\tscript:x", "](javascript:alert(1))", "[x](javascript:alert(1))",
          "![x](javascript:alert(1))", "<javascript:alert(1)>", "\n[x]: javascript:alert(1)",
          "' onmouseover='alert(1)", '" onmouseover="alert(1)', "&lt;script&gt;", "&#60;i&#62;",
          "<!-- x", "<style>*{}</style>", "<object data=x>", "</div>", "</i>",
          '<div class="csl-entry">', ":raw:`<script>`", "`x <javascript:alert(1)>`_",
          ".. raw:: html", "\n\n.. raw:: html\n\n   <script>alert(1)</script>\n",
          ".. |x| image:: javascript:x", "|x|_", "_`x`", "`x`__", "*", "**", "_", "\\", "<", ">",
          "&", "data:text/html,<script>alert(1)</script>", "vbscript:x", "<https://x.org>",
          "<b>x</b>", "\n# Forged", "\n\n1. Forged", "\n===", "\n> quote", "| a | b |"]  # fmt: skip
#: TeX that reads files, redefines the input syntax or breaks the .bbl: every spelling of a
#: backslash (``^^5c``, ``^^5C``, a catcode change), comments, unbalanced groups, parameters.
TEX = ["\\input ./secret\\relax ", "\\input{/etc/passwd}", "\\input /etc/passwd ",
       "^^5cinput /etc/passwd ", "^^5c^^5c", "^^5Cinput x", "\\^^5cinput", "^^M", "^^7b", "^^",
       "%", "%7D", "%5C", "100%", "}", "{", "}}", "{{", "\\catcode`\\%=12 ", "\\catcode92=12 ",
       "#", "#1", "\\csname input\\endcsname", "\\immediate\\write18{id}", "\\write18{id}",
       "\\openin5=/etc/passwd ", "\\read5to\\x", "\\def\\x{y}", "\\include{x}", "\\openout1=x ",
       "\\endinput", "\\\\input", "\\url{x}", "\\href{x}{y}", "~", "$", "$x$", "&", "_", "\\",
       "\\relax", "\\string\\input", "\\expandafter", "\\scantokens{x}", "\\lowercase{x}",
       "\\iffalse", "\\fi", "\\end", "@", "\x0c", "\\par", "}\\input{x}{", "\\\\", "\\{",
       "\\%"]  # fmt: skip
#: Lone and reversed surrogates, a valid pair, halves of pairs (split across values).
SURROGATES = ["\ud800", "\udfff", "\udc00", "\ud83d", "\ude00", "\ud83d\ude00",
              "\ude00\ud83d", "a\ud800b"]  # fmt: skip
#: Dates, months (citeproc-js's seasons 13-16 and beyond), days and other numbers out of range.
NUMBER_TEXT = ["0", "-1", "00", "13", "14", "15", "16", "17", "21", "24", "32", "99", "-0",
               "1" + "0" * 30, "9" * 25, "1e309", "NaN", "inf", "1.5", "0.0", "2020-13-32",
               "2020/13/32/", "2020/00/00/", "0000", "-0001", "2020-21", "2020-16", "2020-00",
               "13/2020", "2020 Month13", "32 Jan 2020", "2020-02-30", "10000-01-01", "2020/17",
               "1999-2000-2001", "true", "[2020]",
               # page ranges by page-range-format: longer end, equal ends, shorter end, letters
               "1-10", "3-3", "12-4", "321-28", "S12-S20", "1496-1504", "9" * 30 + "-1",
               "0-0", "10-1"]  # fmt: skip
#: Names that are empty, only particles, only a suffix or only punctuation.
NAME_TEXT = ["", ",", " , ", ", ,", "van der", "van der,", "de la", "von", ", Jr.", "Jr.", "and",
             " and ", "others", "{}", "{ }", "{van der}", "-", ", ", "van, J."]  # fmt: skip
URL_STARTS = ["http://x/", "https://example.org/a?b=1&c=2#f", "HTTPS://X.ORG/", "doi:", "10.1000/",
              "https://doi.org/10.1/", "javascript:", "data:", "ftp://x/", "", "//x/"]  # fmt: skip

_short = st.text(max_size=4)
forged = st.builds(
    lambda before, parts: before + "".join(sep + text for sep, text in parts),
    _short,
    st.lists(st.tuples(st.sampled_from(SEPARATORS), st.sampled_from(RECORD_SYNTAX)), min_size=1,
             max_size=4),
)  # fmt: skip
markup = st.builds(lambda a, m, b: a + m + b, _short, st.sampled_from(MARKUP), _short)
#: CSL rich text tags, paired, unpaired, crossed and nested (issue 17's formatted output reads
#: them as formatting), and case-protection spans
RICH_TAGS = ["<i>", "</i>", "<b>", "</b>", "<sup>", "</sup>", "<sub>", "</sub>", "</span>",
             '<span style="font-variant:small-caps;">', '<span class="nocase">']  # fmt: skip
rich_soup = st.one_of(
    st.lists(st.one_of(st.sampled_from(RICH_TAGS), _short), min_size=1, max_size=12).map(
        "".join
    ),
    st.builds(lambda tag, n: tag * n + "x" + "</i>" * n, st.sampled_from(RICH_TAGS),
              st.integers(1, 3000)),
)  # fmt: skip
tex = st.builds(
    lambda a, parts, b: a + "".join(parts) + b,
    _short,
    st.lists(st.sampled_from(TEX), min_size=1, max_size=4),
    _short,
)
url = st.builds(
    lambda start, rest: start + rest,
    st.sampled_from(URL_STARTS),
    st.one_of(tex, markup, forged, st.text(max_size=10)),
)
number_text = st.sampled_from(NUMBER_TEXT)
name_text = st.one_of(
    st.sampled_from(NAME_TEXT),
    st.builds(lambda a, b: f"{a} and {b}", st.sampled_from(NAME_TEXT), st.sampled_from(NAME_TEXT)),
)
surrogate = st.builds(lambda a, s, b: a + s + b, _short, st.sampled_from(SURROGATES), _short)
#: One value of any class of issue 13.
payload = st.one_of(forged, markup, tex, url, number_text, name_text, surrogate, rich_soup)

# --- pieces -----------------------------------------------------------------------------------

nasty_char = st.sampled_from(
    ["\x00", "\x01", "\x1b", "\x7f", "\x85", "\u2028", "\ufeff", "\ufffd", "\r", "\t", "\\",
     "{", "}", "%", "@", '"', "#", "&", "~", "^", "$", "é", "ß", "鲁", "\U0001f600", "Ã©",
     "20¨C30", "\u0301", "\u200b", "\x0b", "\x0c", "\x1c", "\u2029", "\ud800", "<", "`"]
)  # fmt: skip
value = st.one_of(
    st.text(max_size=30),
    st.lists(st.one_of(nasty_char, st.text(max_size=4)), max_size=12).map("".join),
    st.builds(lambda s, n: s * n, st.text(min_size=1, max_size=3), st.integers(2_000, 40_000)),
    st.builds(lambda n: "{" * n + "x" + "}" * n, st.integers(1, 400)),  # deep braces
    st.builds(lambda n: "{" * n, st.integers(1, 50)),  # unbalanced
    payload,
)

REFER_TAGS = [*"0ABCDEFGIJKLMNOPQRSTUVWXYZ@!#$&()*+=?[]^~8179", "", "%", "ZZ"]
REFER_TYPES = ["Journal Article", "Book", "Book Section", "Thesis", "Web Page", "Generic",
               "Cartoon", "", "Conference Proceedings", "Report", "Patent"]  # fmt: skip
RIS_TAGS = ["TY", "AU", "A1", "TI", "T1", "PY", "Y1", "DA", "JO", "JF", "VL", "IS", "SP", "EP",
            "DO", "UR", "KW", "AB", "N1", "SN", "ER", "ID", "XX", "", "T"]  # fmt: skip
RIS_TYPES = ["JOUR", "BOOK", "CHAP", "THES", "ELEC", "GEN", "XYZ", ""]
BIB_TYPES = ["article", "book", "inproceedings", "misc", "string", "comment", "preamble",
             "phdthesis", "", "ARTICLE", "weird"]  # fmt: skip
BIB_FIELDS = ["author", "title", "year", "journal", "pages", "doi", "editor", "month",
              "date", "crossref", "keywords", "url", "", "x y"]  # fmt: skip


def _refer_line(tag: str, text: str) -> str:
    if tag == "0" and text == "":
        return "%0 Journal Article"
    return f"%{tag} {text}"


refer_record = st.lists(
    st.one_of(
        st.builds(_refer_line, st.sampled_from(REFER_TAGS), value),
        st.builds(lambda t: f"%0 {t}", st.sampled_from(REFER_TYPES)),
        value,  # a continuation line, or junk
    ),
    max_size=15,
)
ris_record = st.lists(
    st.one_of(
        st.builds(lambda t, v: f"{t}  - {v}", st.sampled_from(RIS_TAGS), value),
        st.builds(lambda t: f"TY  - {t}", st.sampled_from(RIS_TYPES)),
        st.builds(lambda t, v: f"{t} -{v}", st.sampled_from(RIS_TAGS), value),  # bad spacing
        value,
    ),
    max_size=15,
)


#: MEDLINE tags: mapped, kept, person details, dates, an unknown one, and broken shapes.
MEDLINE_TAGS = ["PMID", "TI", "AB", "FAU", "AU", "CN", "AD", "FED", "ED", "DP", "DEP", "PHST",
                "PG", "VI", "IP", "IS", "LID", "AID", "LA", "PT", "MH", "BTI", "JT", "TA",
                "XYZ", "P", "TOOLONG", ""]  # fmt: skip
MEDLINE_TYPES = ["Journal Article", "Review", "Book", "Book Chapter", "Preprint", "Dataset",
                 "Nonsense", ""]  # fmt: skip


def _medline_line(tag: str, text: str) -> str:
    return f"{tag:<4}- {text}"


medline_record = st.lists(
    st.one_of(
        st.builds(_medline_line, st.sampled_from(MEDLINE_TAGS), value),
        st.builds(lambda t: f"PT  - {t}", st.sampled_from(MEDLINE_TYPES)),
        st.builds(lambda v: f"      {v}", value),  # a continuation line
        st.builds(lambda t, v: f"{t}-{v}", st.sampled_from(MEDLINE_TAGS), value),  # unpadded
        value,  # junk, or a continuation that lost its indentation
    ),
    max_size=15,
).map(lambda lines: ["PMID- 1", *lines])


#: EndNote XML: fields, lists, unknown elements, the structure's own names, and broken ones.
ENDX_PATHS = ["titles/title", "titles/secondary-title", "titles/alt-title",
              "contributors/authors", "contributors/secondary-authors", "dates/year",
              "dates/pub-dates", "periodical/full-title", "pages", "volume", "number", "notes",
              "abstract", "keywords", "urls/related-urls", "urls/pdf-urls",
              "electronic-resource-num", "isbn", "custom1", "custom8", "grant", "titles/sub",
              "record", "style", "ref-type"]  # fmt: skip
ENDX_TYPES = ['<ref-type name="Journal Article">17</ref-type>',
              '<ref-type name="Book">6</ref-type>', "<ref-type>43</ref-type>",
              '<ref-type name="Cartoon">99</ref-type>', '<ref-type name="">x</ref-type>',
              ""]  # fmt: skip
ENDX_LISTS = {"contributors/authors": "author", "contributors/secondary-authors": "author",
              "dates/pub-dates": "date", "keywords": "keyword", "urls/related-urls": "url",
              "urls/pdf-urls": "url"}  # fmt: skip
ENDX_FACES = ["normal", "italic", "bold italic", "superscript", "underline", "", "x"]
ENDX_PROLOGS = ['<?xml version="1.0" encoding="UTF-8"?>', "", "<!-- EndNote -->",
                '<!DOCTYPE xml [<!ENTITY e "&#38;#60;">]>', '<?xml version="1.1"?>',
                '<?xml version="1.0" encoding="UTF-16"?>']  # fmt: skip


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _endx_element(path: str, text: str, how: str, face: str) -> str:
    """One value in its element: escaped in a style run, as raw text (may break the XML),
    in a CDATA section, or escaped with no run."""
    styled = f'<style face="{face}" font="default" size="100%">{_xml_escape(text)}</style>'
    inner = {"styled": styled, "raw": text, "cdata": f"<![CDATA[{text}]]>",
             "plain": _xml_escape(text)}[how]  # fmt: skip
    top, _, sub = path.partition("/")
    if path in ENDX_LISTS:
        inner = f"<{ENDX_LISTS[path]}>{inner}</{ENDX_LISTS[path]}>"
    inner = f"<{sub or top}>{inner}</{sub or top}>"
    return f"<{top}>{inner}</{top}>" if sub else inner


endx_record = st.builds(
    lambda kind, parts: "<record>" + kind + "".join(parts) + "</record>",
    st.sampled_from(ENDX_TYPES),
    st.lists(
        st.builds(_endx_element, st.sampled_from(ENDX_PATHS), value,
                  st.sampled_from(["styled", "styled", "plain", "raw", "cdata"]),
                  st.sampled_from(ENDX_FACES)),
        max_size=12,
    ),
)  # fmt: skip


def _endx_file(prolog: str, records: list[str], sep: str, cut: int) -> str:
    text = f"{prolog}\n<xml><records>{sep}" + sep.join(records) + f"{sep}</records></xml>\n"
    return text[: len(text) - cut] if cut else text  # a truncated file


def _endx_payload(kind: str, fields: list[tuple[str, str]]) -> str:
    parts = [_endx_element(path, text, "styled", "normal") for path, text in fields]
    return (f'<record><ref-type name="{kind}">0</ref-type>'
            + _endx_element("titles/title", "Real", "styled", "normal") + "".join(parts)
            + "</record>")  # fmt: skip


DELIMITERS = {"braces": ("{", "}"), "quotes": ('"', '"'), "bare": ("", "")}


#: White space around an entry's type, which bibtex(1) reads ("@ article{", "@article" then
#: "{" on the next line): (after "@", between the type and "{").
ENTRY_SPACING = [("", ""), (" ", ""), ("", " "), ("", "\n"), ("\t", "\n  "), (" ", "\r\n")]


def _bib_entry(
    kind: str, key: str, fields: list[tuple[str, str, str]], spacing: tuple[str, str] = ("", "")
) -> str:
    body = []
    for name, text, how in fields:
        left, right = DELIMITERS[how]
        body.append(f"  {name} = {left}{text}{right}")
    return f"@{spacing[0]}{kind}{spacing[1]}{{{key},\n" + ",\n".join(body) + "\n}"


bib_entry = st.builds(
    _bib_entry,
    st.sampled_from(BIB_TYPES),
    st.text(max_size=10),
    st.lists(
        st.tuples(st.sampled_from(BIB_FIELDS), value, st.sampled_from(list(DELIMITERS))), max_size=8
    ),
    st.sampled_from(ENTRY_SPACING),
)
csl_item = st.fixed_dictionaries(
    {},
    optional={
        "id": st.one_of(st.text(max_size=10), st.integers()),
        "type": st.sampled_from(["article-journal", "book", "chapter", "", "nonsense", 3]),
        "title": st.one_of(value, st.integers(), st.none()),
        "author": st.lists(
            st.one_of(
                st.fixed_dictionaries(
                    {},
                    optional={"family": value, "given": value, "literal": value, "suffix": value},
                ),
                value,
                st.integers(),
            ),
            max_size=4,
        ),
        "issued": st.one_of(
            st.fixed_dictionaries(
                {
                    "date-parts": st.lists(
                        st.lists(st.one_of(st.integers(-5, 3000), value), max_size=4), max_size=3
                    )
                }
            ),
            st.fixed_dictionaries({"raw": value}),
            value,
        ),
        "page": value,
        "DOI": value,
        "container-title": value,
        "note": value,
        "custom": st.dictionaries(st.text(max_size=5), value, max_size=3),
    },
)


# MODS: elements of every kind (mapped, kept, unknown, of another namespace) with values
# escaped, raw (markup that breaks or forges structure), in CDATA sections, with character
# and entity references, comments, processing instructions and entity declarations.
MODS_NS = "http://www.loc.gov/mods/v3"
MODS_GENRES = ["journal article", "book", "periodical", "thesis", "article-journal",
               "bookSection", "nonsense", ""]  # fmt: skip
MODS_ROLES = ["aut", "edt", "author", "editor", "degree grantor", "nonsense", ""]


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


mods_text = st.one_of(
    value.map(_xml_escape),
    value,  # raw: may break the XML or forge elements
    value.map(lambda v: f"<![CDATA[{v}]]>"),
    st.sampled_from(["&amp;", "&#x1;", "&#0;", "&#xD800;", "&nbsp;", "&lol9;", "&#65;",
                     "<!-- c -->", "<?pi x?>", "]]>", "</title>", "</mods><mods>",
                     "<mods>", "</modsCollection>", '<!ENTITY x "y">']),
)  # fmt: skip
mods_element = st.one_of(
    st.builds(lambda v: f"<titleInfo><title>{v}</title></titleInfo>", mods_text),
    st.builds(
        lambda t, v, r: (
            f'<name type="{t}"><namePart type="family">{v}</namePart>'
            f'<namePart type="given">{v}</namePart><role><roleTerm type="text" '
            f'authority="marcrelator">{r}</roleTerm></role></name>'
        ),
        st.sampled_from(["personal", "corporate", "conference", "x"]),
        mods_text,
        st.sampled_from(MODS_ROLES),
    ),
    st.builds(
        lambda p, v: (
            f'<originInfo><dateIssued point="{p}">{v}</dateIssued>'
            f"<publisher>{v}</publisher><issuance>{v}</issuance></originInfo>"
        ),
        st.sampled_from(["start", "end", ""]),
        mods_text,
    ),
    st.builds(
        lambda a, g: f'<genre authority="{a}">{g}</genre>',
        st.sampled_from(["marcgt", "local", "bibutilsgt", ""]),
        st.sampled_from(MODS_GENRES),
    ),
    st.builds(
        lambda t, v: (
            f'<relatedItem type="{t}"><titleInfo><title>{v}</title>'
            f'</titleInfo><relatedItem type="series"><titleInfo><title>{v}</title>'
            "</titleInfo></relatedItem></relatedItem>"
        ),
        st.sampled_from(["host", "series", "original", "x"]),
        mods_text,
    ),
    st.builds(
        lambda d, v: (
            f'<part><detail type="{d}"><number>{v}</number></detail>'
            f'<extent unit="page"><start>{v}</start><end>{v}</end></extent>'
            f"<date>{v}</date></part>"
        ),
        st.sampled_from(["volume", "issue", "chapter", "x"]),
        mods_text,
    ),
    st.builds(
        lambda t, v: f'<identifier type="{t}">{v}</identifier>',
        st.sampled_from(["doi", "isbn", "uri", "citekey", "x"]),
        mods_text,
    ),
    st.builds(lambda v: f"<location><url>{v}</url></location>", mods_text),
    st.builds(lambda v: f"<subject><topic>{v}</topic></subject><note>{v}</note>", mods_text),
    st.builds(
        lambda k, v: (
            f'<extension><c:custom xmlns:c="urn:x-refconv:custom" key="{k}">'
            f"{v}</c:custom></extension>"
        ),
        st.sampled_from(["k", "DOI", "", "a b"]),
        mods_text,
    ),
    st.builds(
        lambda v: f'<x:unknown xmlns:x="urn:x">{v}</x:unknown><frobnicate>{v}</frobnicate>',
        mods_text,
    ),
    mods_text,  # text or markup between elements
)
mods_record = st.lists(mods_element, max_size=10).map(lambda els: "<mods>" + "".join(els)
                                                      + "</mods>")  # fmt: skip


def _mods_document(records: list[str], prolog: str, single: bool, cut: int) -> str:
    body = records[0] if single and records else "\n".join(records)
    if not single:
        body = f'<modsCollection xmlns="{MODS_NS}">\n{body}\n</modsCollection>\n'
    elif body:
        body = body.replace("<mods>", f'<mods xmlns="{MODS_NS}">', 1)
    text = prolog + body
    return text[: len(text) - cut] if cut else text  # a truncated file


MODS_PROLOGS = ['<?xml version="1.0" encoding="UTF-8"?>\n', "", "<!-- c -->\n",
                '<!DOCTYPE modsCollection [<!ENTITY a "b">]>\n',
                '<!DOCTYPE modsCollection SYSTEM "http://192.0.2.1/x.dtd">\n',
                '<?xml version="1.0" encoding="ISO-8859-1"?>\n']  # fmt: skip
mods_document = st.builds(
    _mods_document,
    st.lists(mods_record, max_size=4),
    st.sampled_from(MODS_PROLOGS),
    st.booleans(),
    st.one_of(st.just(0), st.integers(0, 30)),
)


# --- records that carry the attacks in the fields they target --------------------------------

#: Per format: the fields a payload goes into (URL and DOI, the text fields a consumer prints,
#: names, and every date or number field), each with the values to try there.
_TEXTUAL = st.one_of(payload, value)
_NUMERIC = st.one_of(number_text, payload)
_NAMES = st.one_of(name_text, payload)
REFER_FIELDS = {"%U": url, "%R": url, "%T": _TEXTUAL, "%Z": _TEXTUAL, "%K": _TEXTUAL,
                "%J": _TEXTUAL, "%X": _TEXTUAL, "%A": _NAMES, "%E": _NAMES, "%D": _NUMERIC,
                "%8": _NUMERIC, "%V": _NUMERIC, "%P": _NUMERIC, "%7": _NUMERIC,
                "%N": _NUMERIC}  # fmt: skip
RIS_FIELDS = {"UR": url, "DO": url, "TI": _TEXTUAL, "N1": _TEXTUAL, "KW": _TEXTUAL,
              "JO": _TEXTUAL, "AB": _TEXTUAL, "AU": _NAMES, "A2": _NAMES, "PY": _NUMERIC,
              "DA": _NUMERIC, "Y1": _NUMERIC, "VL": _NUMERIC, "SP": _NUMERIC, "EP": _NUMERIC,
              "ET": _NUMERIC, "IS": _NUMERIC}  # fmt: skip
MEDLINE_FIELDS = {"LID": url, "AID": url, "TI": _TEXTUAL, "AB": _TEXTUAL, "MH": _TEXTUAL,
                  "JT": _TEXTUAL, "GN": _TEXTUAL, "AD": _TEXTUAL, "FAU": _NAMES, "AU": _NAMES,
                  "CN": _NAMES, "FED": _NAMES, "DP": _NUMERIC, "DEP": _NUMERIC,
                  "PHST": _NUMERIC, "VI": _NUMERIC, "IP": _NUMERIC, "PG": _NUMERIC,
                  "IS": _NUMERIC}  # fmt: skip
ENDX_FIELDS = {"urls/related-urls": url, "electronic-resource-num": url, "titles/title": _TEXTUAL,
               "notes": _TEXTUAL, "keywords": _TEXTUAL, "titles/secondary-title": _TEXTUAL,
               "abstract": _TEXTUAL, "contributors/authors": _NAMES, "dates/year": _NUMERIC,
               "dates/pub-dates": _NUMERIC, "volume": _NUMERIC, "pages": _NUMERIC,
               "custom8": _TEXTUAL}  # fmt: skip
BIB_PAYLOAD_FIELDS = {"url": url, "doi": url, "title": _TEXTUAL, "note": _TEXTUAL,
                      "keywords": _TEXTUAL, "journal": _TEXTUAL, "author": _NAMES,
                      "editor": _NAMES, "year": _NUMERIC, "month": _NUMERIC, "day": _NUMERIC,
                      "date": _NUMERIC, "urldate": _NUMERIC, "volume": _NUMERIC,
                      "pages": _NUMERIC, "edition": _NUMERIC, "number": _NUMERIC}  # fmt: skip


def _field(fields: dict[str, st.SearchStrategy]) -> st.SearchStrategy[tuple[str, object]]:
    return st.sampled_from(sorted(fields)).flatmap(
        lambda name: st.tuples(st.just(name), fields[name])
    )


def _refer_payload(kind: str, fields: list[tuple[str, str]]) -> list[str]:
    return [f"%0 {kind}", "%T Real", *(f"{tag} {text}" for tag, text in fields)]


def _ris_payload(kind: str, fields: list[tuple[str, str]]) -> list[str]:
    return [f"TY  - {kind}", "TI  - Real", *(f"{tag}  - {text}" for tag, text in fields), "ER  - "]


def _medline_payload(kind: str, fields: list[tuple[str, str]]) -> list[str]:
    return ["PMID- 1", "TI  - Real", f"PT  - {kind}", *(_medline_line(*f) for f in fields)]


def _bib_payload(kind: str, key: str, fields: list[tuple[str, str]], how: list[str]) -> str:
    return _bib_entry(kind, key, [("title", "Real", "braces")] + [
        (name, text, delimiters) for (name, text), delimiters in zip(fields, how, strict=False)
    ])  # fmt: skip


endx_payload = st.builds(
    _endx_payload,
    st.sampled_from(["Journal Article", "Book", "Web Page", "Generic"]),
    st.lists(_field(ENDX_FIELDS), min_size=1, max_size=5),
)
refer_payload = st.builds(
    _refer_payload,
    st.sampled_from(["Book", "Journal Article", "Web Page", "Generic"]),
    st.lists(_field(REFER_FIELDS), min_size=1, max_size=5),
)
ris_payload = st.builds(
    _ris_payload,
    st.sampled_from(["BOOK", "JOUR", "ELEC", "GEN"]),
    st.lists(_field(RIS_FIELDS), min_size=1, max_size=5),
)
medline_payload = st.builds(
    _medline_payload,
    st.sampled_from(["Journal Article", "Book", "Preprint", "Letter"]),
    st.lists(_field(MEDLINE_FIELDS), min_size=1, max_size=5),
)
bib_payload = st.builds(
    _bib_payload,
    st.sampled_from(["article", "book", "misc", "online"]),
    st.sampled_from(["k", "k1", "x:y"]),
    st.lists(_field(BIB_PAYLOAD_FIELDS), min_size=1, max_size=5),
    st.lists(st.sampled_from(["braces", "braces", "quotes", "bare"]), min_size=5, max_size=5),
)

#: MODS: the elements a payload goes into, each with its value XML-escaped (so that it lands
#: as a value, not as markup).
MODS_TEMPLATES = {
    "title": "<titleInfo><title>{}</title></titleInfo>",
    "note": "<note>{}</note>",
    "topic": "<subject><topic>{}</topic></subject>",
    "abstract": "<abstract>{}</abstract>",
    "container": '<relatedItem type="host"><titleInfo><title>{}</title></titleInfo>'
                 "</relatedItem>",
    "url": "<location><url>{}</url></location>",
    "doi": '<identifier type="doi">{}</identifier>',
    "family": '<name type="personal"><namePart type="family">{}</namePart></name>',
    "given": '<name type="personal"><namePart type="given">{}</namePart></name>',
    "dateIssued": "<originInfo><dateIssued>{}</dateIssued></originInfo>",
    "volume": '<part><detail type="volume"><number>{}</number></detail></part>',
    "start": '<part><extent unit="page"><start>{}</start></extent></part>',
    "end": '<part><extent unit="page"><start>1</start><end>{}</end></extent></part>',
    "edition": "<originInfo><edition>{}</edition></originInfo>",
}  # fmt: skip
MODS_FIELDS = {"title": _TEXTUAL, "note": _TEXTUAL, "topic": _TEXTUAL, "abstract": _TEXTUAL,
               "container": _TEXTUAL, "url": url, "doi": url, "family": _NAMES,
               "given": _NAMES, "dateIssued": _NUMERIC, "volume": _NUMERIC, "start": _NUMERIC,
               "end": _NUMERIC, "edition": _NUMERIC}  # fmt: skip


def _mods_payload(kind: str, fields: list[tuple[str, str]]) -> str:
    escaped = [MODS_TEMPLATES[name].format(_xml_escape(text)) for name, text in fields]
    return (f'<mods><titleInfo><title>Real</title></titleInfo><genre authority="local">{kind}'
            "</genre>" + "".join(escaped) + "</mods>")  # fmt: skip


def _mods_collection(records: str) -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<modsCollection xmlns="{MODS_NS}">\n'
            f"{records}\n</modsCollection>\n")  # fmt: skip


mods_payload_record = st.builds(
    _mods_payload,
    st.sampled_from(["book", "article-journal", "webpage", "document"]),
    st.lists(_field(MODS_FIELDS), min_size=1, max_size=5),
)

# CSL-JSON: values of every JSON type where the schema wants a string, a number or a date.
_json_number = st.one_of(
    st.integers(-2, 40),
    st.sampled_from([0, -1, 13, 14, 15, 16, 17, 21, 24, 32, 10**30, -(10**30), 2**63, 2**64]),
    st.floats(),  # NaN and infinities too: Python's json writes and reads them
    st.booleans(),
    st.none(),
    number_text,
    st.lists(st.integers(0, 3000), max_size=2),  # a list where a number goes
    st.just({"x": 1}),
)
_date_parts = st.lists(st.lists(_json_number, min_size=1, max_size=3), min_size=1, max_size=2)
#: Months 13-16 are citeproc-js's seasons, 17+ and 0 are nothing; days 0 and 32; years 0, -1
#: and too large for any date type.
_month = st.one_of(st.sampled_from([0, 13, 14, 15, 16, 17, 21, 24, 99]), st.integers(1, 12))
_day = st.one_of(st.sampled_from([0, 32, 99]), st.integers(1, 31), st.none())
_year = st.one_of(st.integers(1900, 2030), st.sampled_from([0, -1, 10**30, -(10**30)]))


def _ymd(year: int, month: int, day: int | None) -> list[int]:
    return [year, month] if day is None else [year, month, day]


csl_date = st.one_of(
    st.builds(lambda *p: {"date-parts": [_ymd(*p)]}, _year, _month, _day),  # out of range
    st.builds(
        lambda a, b: {"date-parts": [a, b]},
        st.builds(_ymd, _year, _month, _day),
        st.builds(_ymd, _year, _month, _day),
    ),  # a range
    st.builds(
        lambda y, s: {"date-parts": [[y]], "season": s},
        _year,
        st.one_of(st.integers(-1, 8), _json_number),
    ),
    st.fixed_dictionaries(  # damaged shapes and types
        {"date-parts": _date_parts},
        optional={"season": _json_number, "circa": _json_number, "literal": _TEXTUAL},
    ),
    st.fixed_dictionaries({"date-parts": st.just([[[2020, 1]]])}),  # nested a level too deep
    st.fixed_dictionaries({"raw": number_text}),
    number_text,
    _json_number,
)
ODD_NAMES = [{"family": ""}, {"family": "", "given": ""}, {"literal": ""}, {"family": "van der"},
             {"non-dropping-particle": "van"}, {"dropping-particle": "de", "family": ""},
             {"given": "J"}, {}, {"family": "", "given": "A"}, {"suffix": "Jr."},
             {"family": None}, {"family": 3}, {"literal": []}, {"family": "  "},
             {"family": ",", "given": ","}]  # fmt: skip
csl_name = st.one_of(
    st.sampled_from(ODD_NAMES),
    st.fixed_dictionaries({}, optional={"family": _NAMES, "given": _NAMES, "literal": _NAMES}),
)
CSL_FIELDS = {
    "URL": st.one_of(url, _json_number), "DOI": st.one_of(url, _json_number),
    "title": _TEXTUAL, "note": _TEXTUAL, "keyword": _TEXTUAL, "container-title": _TEXTUAL,
    "abstract": _TEXTUAL, "publisher": _TEXTUAL, "title-short": _TEXTUAL,
    "author": st.lists(csl_name, min_size=1, max_size=3),
    "editor": st.lists(csl_name, min_size=1, max_size=3),
    "issued": csl_date, "accessed": csl_date, "original-date": csl_date,
    "volume": _json_number, "page": _json_number, "edition": _json_number,
    "issue": _json_number, "number-of-pages": _json_number, "number": _json_number,
    "custom": st.dictionaries(st.one_of(st.text(max_size=3), surrogate), _TEXTUAL, max_size=2),
}  # fmt: skip
csl_payload = st.builds(
    lambda kind, fields: {"id": "p", "type": kind, "title": "Real", **dict(fields)},
    st.sampled_from(["book", "article-journal", "webpage", "chapter", "report"]),
    st.lists(_field(CSL_FIELDS), min_size=1, max_size=5),
)


def _join(records: list[list[str]], sep: str, flatten: bool, crlf: bool, cut: int) -> str:
    lines = [" ".join(r) if flatten else "\n".join(r) for r in records]
    text = sep.join(lines)
    if crlf:
        text = text.replace("\n", "\r\n")
    return text[: len(text) - cut] if cut else text  # a truncated file


def _records(record, sep: str):
    return st.builds(_join, st.lists(record, max_size=6), st.just(sep), st.booleans(),
                     st.booleans(), st.integers(0, 20))  # fmt: skip


def _csljson_text(items: list, cut: int, single: bool, escape: str) -> str:
    """JSON text; with ``escape`` everything outside ASCII is a ``\\u`` escape, surrogates
    too (lone ones as ``\\ud800``, or ``\\uD800`` as JavaScript writes them)."""
    text = json.dumps(items[0] if single and items else items, ensure_ascii=escape != "raw")
    if escape == "upper":
        text = re.sub(r"\\u([0-9a-f]{4})", lambda m: "\\u" + m[1].upper(), text)
    return text[: len(text) - cut] if cut else text


def _files(record, sep: str):
    """Whole files of payload records, now and then with a damaged record among them."""
    return st.builds(
        lambda records, junk: sep.join([*records, *junk]),
        st.lists(record, min_size=1, max_size=4),
        st.lists(value, max_size=1),
    )


# CSL YAML: the CSL-JSON items in every YAML layout, and the attacks of YAML itself.
#: YAML that attacks a loader: alias bombs, nesting past any limit, tags that run code in an
#: unsafe loader, merge keys, repeated keys, directives, documents, tabs, controls.
YAML_ATTACKS = [
    "- &a [lol, lol]\n- &b [*a, *a, *a, *a, *a, *a, *a, *a]\n- &c [*b, *b, *b, *b, *b, *b, *b]\n"
    "- &d [*c, *c, *c, *c, *c, *c, *c, *c]\n- &e [*d, *d, *d, *d, *d, *d, *d, *d]\n",
    "- id: x\n  custom: &r {k: *r}\n", "- id: [" * 60 + "]" * 60 + "\n",
    "- " + "[" * 2000 + "\n", "- {" * 200 + "\n",
    "- id: x\n  title: !!python/object/apply:os.system [echo pwned]\n",
    "- !!python/object:builtins.dict {id: x}\n", "- id: !!binary aGk=\n",
    "- id: x\n  <<: {title: merged}\n", "- id: x\n  id: y\n  title: a\n  title: b\n",
    "%YAML 1.1\n%TAG ! tag:x,2000:\n---\n- id: x\n", "- id: x\n---\n- id: y\n...\n",
    "- id: x\n\ttitle: tab\n", "- id: x\n  title: \"\\ud800\"\n", "- id: \"\x07\"\n",
    "- id: x\n  title: |\n    block\n\n    text\n", "- ? [complex, key]\n  : value\n",
    "- *undefined\n", "- id: x\n  issued: [{year: 2012}, {year: [1]}]\n",
    "- id: x\n  author: [{family: a, comma-suffix: yes}, b, 3, ~]\n",
    "references: 5\n", "references:\n  id: x\n", "- ~\n- []\n- 3\n",
]  # fmt: skip


def _yaml_text(items: list, wrap: bool, flow: bool, width: int, cut: int, attack: str) -> str:
    """CSL items as YAML, written by PyYAML's emitter in one of its layouts (a document with
    ``references:`` or a bare list), with a YAML attack after them, perhaps truncated."""
    body: object = {"references": items} if wrap else items
    try:
        text = yaml.safe_dump(body, default_flow_style=flow, width=width, allow_unicode=True)
    except yaml.YAMLError:  # a value PyYAML will not write (lone surrogates): the repr
        text = json.dumps(body)
    text += attack  # after a references: list at column 0 too, its items continue that list
    return text[: len(text) - cut] if cut else text


TEXT = {
    "refer": st.one_of(
        _records(refer_record, "\n\n"), _files(refer_payload.map("\n".join), "\n\n")
    ),
    "ris": st.one_of(
        _records(ris_record.map(lambda r: [*r, "ER  - "]), "\n\n"),
        _files(ris_payload.map("\n".join), "\n\n"),
    ),
    "medline": st.one_of(
        _records(medline_record, "\n\n"), _files(medline_payload.map("\n".join), "\n\n")
    ),
    "endnote-xml": st.one_of(
        st.builds(
            _endx_file,
            st.sampled_from(ENDX_PROLOGS),
            st.lists(endx_record, max_size=5),
            st.sampled_from(["", "\n"]),
            st.one_of(st.just(0), st.integers(0, 40)),
        ),
        st.builds(
            _endx_file,
            st.just(ENDX_PROLOGS[0]),
            st.lists(endx_payload, min_size=1, max_size=4),
            st.just("\n"),
            st.just(0),
        ),
    ),
    "bibtex": st.one_of(
        st.builds(
            lambda es, cut: "\n\n".join(es)[: max(0, len("\n\n".join(es)) - cut)],
            st.lists(bib_entry, max_size=5),
            st.integers(0, 10),
        ),
        _files(bib_payload, "\n\n"),
    ),
    "csljson": st.builds(
        _csljson_text,
        st.one_of(st.lists(csl_item, max_size=4), st.lists(csl_payload, min_size=1, max_size=4)),
        st.one_of(st.just(0), st.integers(0, 5)),
        st.booleans(),
        st.sampled_from(["raw", "ascii", "upper"]),
    ),
    "csl-yaml": st.builds(
        _yaml_text,
        st.one_of(st.lists(csl_item, max_size=4), st.lists(csl_payload, min_size=1, max_size=4)),
        st.booleans(),
        st.booleans(),
        st.sampled_from([20, 80, 10_000]),
        st.one_of(st.just(0), st.integers(0, 5)),
        st.one_of(st.just(""), st.sampled_from(YAML_ATTACKS)),
    ),
    "mods": st.one_of(mods_document, _files(mods_payload_record, "\n").map(_mods_collection)),
}


def _encode(text: str, how: str, junk: bytes) -> bytes:
    if how == "utf-8":
        return text.encode("utf-8", "surrogatepass")
    if how == "bom":
        return b"\xef\xbb\xbf" + text.encode("utf-8", "surrogatepass")
    if how == "utf-16":
        return text.encode("utf-16", "surrogatepass")
    if how == "cp1252":
        return text.encode("cp1252", "replace")
    data = text.encode("utf-8", "surrogatepass")  # invalid UTF-8 spliced in
    middle = len(data) // 2
    return data[:middle] + junk + data[middle:]


def hostile(fmt: str) -> st.SearchStrategy[bytes]:
    """Bytes that look like ``fmt`` and are damaged in the ways real files are."""
    return st.builds(
        _encode,
        TEXT[fmt],
        st.sampled_from(["utf-8", "utf-8", "utf-8", "bom", "utf-16", "cp1252", "junk"]),
        st.binary(min_size=1, max_size=8),
    )


# --- the invariants --------------------------------------------------------------------------

DIAGNOSTIC = re.compile(r"^[^\n]*?: (warning|error|note): .+$|^Error: .+$|^report: .+$")
ERROR = re.compile(r"^[^\n]*?: error: |^Error: ")
WRITTEN = re.compile(r"^report: (\d+) records? written as ")


class Broken(AssertionError):
    """An invariant does not hold; ``kind`` names the class for the campaign's figures."""

    def __init__(self, kind: str, detail: object) -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind = kind


def check(condition: bool, kind: str, detail: object = "") -> None:
    """Raise ``Broken(kind)`` unless ``condition``."""
    if not condition:
        raise Broken(kind, detail)


def convert_cli(data: bytes, source: str, target: Target | str):
    """Run ``refconv convert`` on ``data`` with ``--report`` (which states how many records
    the writer was given), one process for formatting."""
    target = target if isinstance(target, Target) else Target(target)
    args = ["convert", "-f", source, *target.args(), "--report", "--jobs", "1"]
    return CliRunner().invoke(cli, args, input=data)


def check_conversion(data: bytes, source: str, target: Target | str) -> None:
    """Convert ``data`` from ``source`` to ``target`` with the CLI and assert the invariants:
    exit 0 or 1, every stderr line a diagnostic (never a traceback); when the run got to its
    end (exit 0, or 1 with records skipped and reported), output that reads back with the
    record count the writer was given, less the records the writer reported as skipped
    (no record forged, none lost), and that is inert for its consumer (``check_output``)."""
    target = target if isinstance(target, Target) else Target(target)
    result = convert_cli(data, source, target)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    check(result.exit_code in (0, 1), "exit status", (result.exit_code, result.stderr[-2000:]))
    lines = result.stderr.splitlines()
    for line in lines:
        check(bool(DIAGNOSTIC.match(line)), "not a diagnostic", line)
    written = [int(m[1]) for m in map(WRITTEN.match, lines) if m]
    if not written:  # stopped by an error (one diagnostic): the output is not complete
        check(result.exit_code == 1, "no report", result.stderr[-2000:])
        return
    records = written[0]
    errors = sum(bool(ERROR.match(line)) for line in lines)
    if errors and target.format != "csljson":  # the reader's errors are in both runs
        reader_errors = convert_cli(data, source, "csljson").stderr.splitlines()
        records -= errors - sum(bool(ERROR.match(line)) for line in reader_errors)
    if target.format in ("text", "html", "markdown", "rst"):  # left out, each with a warning
        records -= sum(line.endswith("the style prints nothing for this record") for line in lines)
    check_output(result.stdout, target, records)


def check_output(text: str, target: Target | str, records: int) -> None:
    """``text``, written as ``target`` from ``records`` records, holds exactly that many
    records by our own reader (and by the format's line or entry syntax) and nothing active
    for its consumer."""
    target = target if isinstance(target, Target) else Target(target)
    fmt = target.format
    if fmt in READ_BACK:
        sink = Collected(quiet=True)
        back = list(read(text.encode("utf-8", "surrogatepass"), READ_BACK[fmt],
                         diagnostics=sink))  # fmt: skip
        check(sink.errors == 0, "output does not read back", [str(m) for m in sink.messages])
        check(len(back) == records, "forged or lost records", (len(back), records))
    if fmt == "csljson":
        check(len(json.loads(text)) == records, "forged or lost records", "JSON items")
    elif fmt == "csl-yaml":
        check_yaml(text, records)
    elif fmt in ("bibtex", "biblatex"):
        check_bibtex(text, records, fmt)
    elif fmt in ("ris", "refer"):
        check_tag_lines(text, fmt, records)
    elif fmt == "endnote-xml":
        check_endnote_xml(text, records)
    elif fmt == "mods":
        check_mods(text, records)
    elif fmt == "text":
        check(len(text.splitlines()) == records, "forged or lost records", "text lines")
    elif fmt == "html":
        check_html(text, records, target.standalone)
    elif fmt == "markdown":
        check_markdown(text, records)
    elif fmt == "rst":
        check_rst(text, records)


def check_yaml(text: str, records: int) -> None:
    """PyYAML's safe loader (YAML 1.1 implicit typing on) reads one document: a mapping of
    ``references`` alone to a list of as many mappings, with no alias, anchor or tag (an item
    that makes any of them is an item a value broke out of)."""
    events = list(yaml.parse(text, Loader=yaml.SafeLoader))
    found = [e for e in events if isinstance(e, yaml.AliasEvent) or getattr(e, "anchor", None)]
    found += [e for e in events if getattr(e, "tag", None) and not getattr(e, "implicit", True)]
    check(not found, "YAML structure from a value", found[:3])
    document = yaml.load(text, Loader=yaml.SafeLoader)
    check(isinstance(document, dict) and list(document) == ["references"],
          "YAML structure from a value", list(document or ()))  # fmt: skip
    items = document["references"]
    check(len(items) == records, "forged or lost records", "YAML items")
    check(all(isinstance(item, dict) for item in items), "YAML structure from a value", "item")


def check_mods(text: str, records: int) -> None:
    """Well-formed XML by lxml's own strict parse: a ``modsCollection`` of exactly
    ``records`` ``mods`` elements, no DOCTYPE, entity, processing instruction or comment (no
    value made markup), and no element outside MODS and refconv's extension namespace."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(text.encode("utf-8"), parser)
    except etree.XMLSyntaxError as exc:
        raise Broken("output is no XML", exc) from None
    check(root.tag == f"{{{MODS_NS}}}modsCollection", "not MODS", root.tag)
    check(not root.getroottree().docinfo.doctype, "forged markup", "a DOCTYPE")
    check(len(root) == records, "forged or lost records", (len(root), records))
    allowed = (f"{{{MODS_NS}}}", "{urn:x-refconv:custom}")
    for node in root.iter():
        check(isinstance(node.tag, str), "forged markup", type(node).__name__)
        check(node.tag.startswith(allowed), "forged markup", node.tag)


#: Lines that start a record, as a reader that splits lines at every separator of
#: str.splitlines() sees them (rispy and Python readers in general do).
RECORD_START = {"ris": re.compile(r"^TY  - "), "refer": re.compile(r"^%0(?:[ \t\u00a0]|$)")}
RECORD_END = {"ris": re.compile(r"^ER  -"), "refer": None}


def check_tag_lines(text: str, fmt: str, records: int) -> None:
    """One record-start line (and, in RIS, one end line) per record: a value never starts a
    line with a tag, whichever characters end lines for the consumer."""
    lines = text.splitlines()
    starts = sum(bool(RECORD_START[fmt].match(line)) for line in lines)
    check(starts == records, "forged or lost records", f"{starts} record starts, {records}")
    end = RECORD_END[fmt]
    if end is not None:
        ends = sum(bool(end.match(line)) for line in lines)
        check(ends == records, "forged or lost records", f"{ends} record ends, {records}")


def check_endnote_xml(text: str, records: int) -> None:
    """A well-formed document (lxml, every feature off) of one ``<record>`` per record under
    ``<xml><records>``, with no DOCTYPE: a value never opens or closes an element."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(text.encode("utf-8"), parser)
    except etree.XMLSyntaxError as exc:
        raise Broken("output does not read back", exc) from None
    check(root.tag == "xml" and [e.tag for e in root] == ["records"], "forged or lost records",
          "document structure")  # fmt: skip
    found = root.findall("records/record")
    check(len(found) == records and len(root[0]) == records, "forged or lost records",
          f"{len(found)} records, {records}")  # fmt: skip
    check(not root.getroottree().docinfo.doctype, "forged or lost records", "a DOCTYPE")


#: What a url or doi field may not hold: characters TeX treats specially (catcodes 0-4, 6-8,
#: 13-15 in plain TeX and LaTeX), controls and spaces. plainnat without url.sty makes \\url a
#: plain macro, so for bibtex(1) ``% # & _`` may appear only as ``\\% \\# \\& \\_`` (which that
#: macro and hyperref's \\url both print as the character); biber copies BibLaTeX's url into a
#: \\verb of the .bbl, where ``% # & _ ~ $`` are inert (refconv.formats.bibtex.latex.escape_url).
URL_TEX_ACTIVE = {
    "bibtex": re.compile(r"\\(?![%#&_])|(?<!\\)[%#&_]|[{}^~$\s\x00-\x1f\x7f-\x9f]"),
    "biblatex": re.compile(r"[\\{}^\s\x00-\x1f\x7f-\x9f]"),
}
#: Primitives and macros that read or write files or change how TeX reads its input.
TEX_DANGEROUS = {"input", "include", "openin", "read", "readline", "write", "openout",
                 "immediate", "csname", "catcode", "def", "edef", "gdef", "xdef", "let",
                 "scantokens", "endinput", "special", "everyjob", "everypar", "lccode",
                 "uccode", "expandafter", "usepackage", "InputIfFileExists", "IfFileExists",
                 "jobname", "string", "detokenize", "newread", "newwrite"}  # fmt: skip
CONTROL_SEQUENCE = re.compile(r"\\([A-Za-z]+|.)", re.DOTALL)


def check_bibtex(text: str, records: int, fmt: str = "bibtex") -> None:
    """bibtexparser reads as many entries; url and doi hold no TeX-active character for the
    program that reads ``fmt`` (bibtex or biber); no field
    holds a dangerous control sequence or a ``^^`` escape (TeX's other way to write any
    character, a backslash included)."""
    library = bibtexparser.parse_string(text)
    check(not library.failed_blocks, "output does not read back",
          [b.error for b in library.failed_blocks])  # fmt: skip
    check(len(library.entries) == records, "forged or lost records", "bibtexparser entries")
    for entry in library.entries:
        for field in entry.fields:
            value = str(field.value)
            if field.key.lower() in ("url", "doi"):
                found = URL_TEX_ACTIVE[fmt].search(value)
                check(found is None, "TeX-active url/doi", (field.key, value))
    names = {m[1] for m in CONTROL_SEQUENCE.finditer(text)}
    check(not names & TEX_DANGEROUS, "dangerous TeX", sorted(names & TEX_DANGEROUS))
    check("^^" not in text, "dangerous TeX", "^^")


#: What the HTML writer produces: element -> allowed attributes (citeproc-py's html
#: formatter, refconv's csl-bib-body layout and its --standalone page).
HTML_ELEMENTS = {"div": {"class"}, "i": set(), "b": set(), "l": set(), "u": set(),
                 "sup": set(), "sub": set(), "span": {"style", "class"}, "a": {"href"}}  # fmt: skip
PAGE_ELEMENTS = {"html": {"lang"}, "head": set(), "meta": {"charset"}, "title": set(),
                 "style": set(), "body": set()}  # fmt: skip
LINK_SCHEMES = {"http", "https", "doi"}
SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")


def _check_link(href: str) -> None:
    """A link goes to http, https or doi. Browsers drop tabs and newlines anywhere in a URL
    and leading/trailing C0 controls and spaces (WHATWG URL), so the check does too."""
    clean = re.sub(r"[\t\n\r]", "", href).strip("".join(map(chr, range(33))))
    scheme = SCHEME.match(clean)
    check(scheme is not None and scheme[1].lower() in LINK_SCHEMES, "unsafe link", href)


def _check_elements(root, allowed: dict[str, set[str]]) -> None:
    for element in root.iter():
        if not isinstance(element.tag, str) or element.tag == "DOCUMENT_FRAGMENT":
            continue  # comments are Comment functions in ElementTree
        check(element.tag in allowed, "unescaped HTML", f"<{element.tag}>")
        for name, attribute in element.attrib.items():
            check(name in allowed[element.tag] and not name.lower().startswith("on"),
                  "unescaped HTML", f"<{element.tag} {name}={attribute!r}>")  # fmt: skip
            if name == "href":
                _check_link(attribute)
    check(not any(callable(e.tag) for e in root.iter()), "unescaped HTML", "a comment")


def check_html(text: str, records: int, standalone: bool) -> None:
    """Parsed as a browser does (html5lib), the output has only the writer's elements and
    attributes, links only to http/https/doi, and one ``csl-entry`` per record."""
    if standalone:
        root = html5lib.parse(text, namespaceHTMLElements=False)
        check(len(root.findall(".//style")) == 1 and root.find("head/style") is not None,
              "unescaped HTML", "<style>")  # fmt: skip
        _check_elements(root, HTML_ELEMENTS | PAGE_ELEMENTS)
    else:
        root = html5lib.parseFragment(text, namespaceHTMLElements=False)
        _check_elements(root, HTML_ELEMENTS)
    entries = [d for d in root.iter("div") if d.get("class") == "csl-entry"]
    check(len(entries) == records, "forged or lost records", f"{len(entries)} csl-entry divs")


#: Markdown rendered to HTML holds paragraphs (lists where a label reads as one) and the
#: writer's inline HTML.
MARKDOWN_ELEMENTS = {"p": set(), "ol": {"start"}, "li": set(), "em": set(), "strong": set(),
                     "sup": set(), "sub": set(), "span": {"style"}, "a": {"href"}}  # fmt: skip


def check_markdown(text: str, records: int) -> None:
    """Rendered by a CommonMark parser that lets every link through (markdown-it-py refuses
    ``javascript:`` itself; other renderers do not), the output has no raw HTML but the
    writer's, links only to http/https/doi, and at most one paragraph or list item per
    record."""
    from markdown_it import MarkdownIt

    renderer = MarkdownIt("commonmark")
    renderer.validateLink = lambda url: True
    root = html5lib.parseFragment(renderer.render(text), namespaceHTMLElements=False)
    _check_elements(root, MARKDOWN_ELEMENTS)
    items = sum(1 for _ in root.iter("li"))
    paragraphs = sum(1 for _ in root.findall("p"))
    # an entry can be empty (a record with nothing the style prints): no paragraph then
    check(items + paragraphs <= records, "forged or lost records", "Markdown blocks")


RST_ROLES = {"emphasis", "strong", "superscript", "subscript"}
RST_ROLE = re.compile(r"(?<![\\\w]):([A-Za-z][\w+.:-]*):`")
RST_EXPLICIT = re.compile(r"^\s*\.\.(?:\s|$)")


def check_rst(text: str, records: int) -> None:
    """No explicit markup (``.. raw::``, ``.. image::``, comments, targets) and no role but the
    writer's; at most one paragraph per record (an empty entry makes none)."""
    for line in text.splitlines():
        check(not RST_EXPLICIT.match(line), "unescaped reStructuredText", line)
    roles = {m[1] for m in RST_ROLE.finditer(text)}
    check(roles <= RST_ROLES, "unescaped reStructuredText", sorted(roles - RST_ROLES))
    paragraphs = [p for p in re.split(r"\n[ \t]*\n", text) if p.strip()]
    check(len(paragraphs) <= records, "forged or lost records", "reStructuredText paragraphs")


# --- one class at a time ----------------------------------------------------------------------

#: The classes of issue 13, each as (the fields it goes into, the values to try there).
_TEXT_FIELDS = {"refer": ["%T", "%Z", "%K", "%J", "%X", "%U", "%R", "%A"],
                "endnote-xml": ["titles/title", "notes", "keywords", "titles/secondary-title",
                                "abstract", "urls/related-urls", "custom8",
                                "contributors/authors"],
                "medline": ["TI", "AB", "MH", "JT", "GN", "AD", "LID", "FAU"],
                "ris": ["TI", "N1", "KW", "JO", "AB", "UR", "DO", "AU"],
                "bibtex": ["title", "note", "keywords", "journal", "url", "doi", "author"],
                "csljson": ["title", "note", "keyword", "container-title", "URL", "DOI"],
                "csl-yaml": ["title", "note", "keyword", "container-title", "URL",
                             "DOI"],
                "mods": ["title", "note", "topic", "abstract", "container", "url", "doi",
                         "family"]}  # fmt: skip
_NAME_FIELDS = {
    "refer": ["%A", "%E"],
    "endnote-xml": ["contributors/authors", "contributors/secondary-authors"],
    "ris": ["AU", "A2"],
    "bibtex": ["author", "editor"],
    "medline": ["FAU", "AU", "CN", "FED", "ED"],
    "mods": ["family", "given"],
}
_NUMBER_FIELDS = {"refer": ["%D", "%8", "%V", "%P", "%7", "%N"],
                  "endnote-xml": ["dates/year", "dates/pub-dates", "volume", "pages", "edition",
                                  "number", "access-date"],
                  "medline": ["DP", "DEP", "PHST", "VI", "IP", "PG", "IS"],
                  "ris": ["PY", "DA", "Y1", "VL", "SP", "EP", "ET", "IS"],
                  "bibtex": ["year", "month", "day", "date", "urldate", "volume", "pages",
                             "edition", "number"],
                  "mods": ["dateIssued", "volume", "start", "end", "edition"]}  # fmt: skip
_URL_FIELDS = {"refer": ["%U", "%R"], "ris": ["UR", "DO"], "bibtex": ["url", "doi"],
               "endnote-xml": ["urls/related-urls", "electronic-resource-num"],
               "medline": ["LID", "AID"], "mods": ["url", "doi"],
               "csljson": ["URL", "DOI"], "csl-yaml": ["URL", "DOI"]}  # fmt: skip
ATTACKS = {
    "line separators": (_TEXT_FIELDS, forged),
    "markup": (_TEXT_FIELDS, markup),
    "rich text": (_TEXT_FIELDS, rich_soup),
    "tex": (_TEXT_FIELDS, tex),
    "surrogates": (_TEXT_FIELDS, surrogate),
    "urls": (_URL_FIELDS, url),
    "numbers": (_NUMBER_FIELDS, number_text),
    "names": (_NAME_FIELDS, name_text),
}
_CSL_ATTACK_FIELDS = {
    "dates": {"issued": csl_date, "accessed": csl_date, "original-date": csl_date},
    "numbers": {"volume": _json_number, "page": _json_number, "edition": _json_number,
                "issue": _json_number, "number-of-pages": _json_number},
    "names": {"author": st.lists(csl_name, min_size=1, max_size=3),
              "editor": st.lists(csl_name, min_size=1, max_size=3)},
}  # fmt: skip


def _markdown_items(items: list, escape: bool) -> list:
    """``items`` with every string escaped for pandoc's Markdown (as refconv writes it), or
    as they are (Markdown a person wrote)."""
    from refconv.formats.cslyaml.markdown import to_markdown

    def walk(value: object) -> object:
        if isinstance(value, str):
            return to_markdown(value) if escape else value
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        return value

    return [walk(item) for item in items]


def attack(fmt: str, kind: str) -> st.SearchStrategy[bytes]:
    """Files of ``fmt`` whose records carry values of one class of ``ATTACKS`` in the
    fields that class targets (a CSL-JSON file with its escapes in every spelling)."""
    tables, values = ATTACKS[kind]
    if fmt in ("csljson", "csl-yaml"):
        if kind == "numbers":  # half of the values a date
            chosen = st.one_of(*(_field(_CSL_ATTACK_FIELDS[k]) for k in ("dates", "numbers")))
        else:
            fields = _CSL_ATTACK_FIELDS.get(kind) or {name: values for name in tables["csljson"]}
            chosen = _field(fields)
        items = st.lists(
            st.builds(
                lambda kind, chosen: {"id": "p", "type": kind, "title": "Real", **dict(chosen)},
                st.sampled_from(["book", "article-journal", "webpage"]),
                st.lists(chosen, min_size=1, max_size=4),
            ),
            min_size=1,
            max_size=3,
        )
        if fmt == "csl-yaml":  # as Markdown (escaped) or as written, in any layout
            items = st.builds(_markdown_items, items, st.booleans())
            text = st.builds(_yaml_text, items, st.booleans(), st.booleans(),
                             st.sampled_from([20, 80]), st.just(0), st.just(""))  # fmt: skip
        else:
            text = st.builds(_csljson_text, items, st.just(0), st.just(False),
                             st.sampled_from(["raw", "ascii", "upper"]))  # fmt: skip
        return text.map(lambda t: t.encode("utf-8", "surrogatepass"))
    chosen = _field({name: values for name in tables[fmt]})
    if fmt == "bibtex":
        record = st.builds(_bib_payload, st.sampled_from(["article", "book", "misc"]),
                           st.just("k"), st.lists(chosen, min_size=1, max_size=4),
                           st.lists(st.sampled_from(list(DELIMITERS)), min_size=4,
                                    max_size=4))  # fmt: skip
    elif fmt == "medline":
        record = st.builds(_medline_payload, st.just("Journal Article"),
                           st.lists(chosen, min_size=1, max_size=4)).map("\n".join)  # fmt: skip
    elif fmt == "refer":
        record = st.builds(_refer_payload, st.just("Book"), st.lists(chosen, min_size=1,
                           max_size=4)).map("\n".join)  # fmt: skip
    elif fmt == "endnote-xml":
        records = st.lists(st.builds(_endx_payload, st.just("Journal Article"),
                                     st.lists(chosen, min_size=1, max_size=4)),
                           min_size=1, max_size=3)  # fmt: skip
        text = st.builds(_endx_file, st.just(ENDX_PROLOGS[0]), records, st.just("\n"),
                         st.just(0))  # fmt: skip
        return text.map(lambda t: t.encode("utf-8", "surrogatepass"))
    elif fmt == "mods":
        record = st.builds(_mods_payload, st.just("book"), st.lists(chosen, min_size=1,
                           max_size=4))  # fmt: skip
        files = st.lists(record, min_size=1, max_size=3).map("\n".join).map(_mods_collection)
        return files.map(lambda t: t.encode("utf-8", "surrogatepass"))
    else:
        record = st.builds(_ris_payload, st.just("BOOK"), st.lists(chosen, min_size=1,
                           max_size=4)).map("\n".join)  # fmt: skip
    files = st.lists(record, min_size=1, max_size=3).map("\n\n".join)
    return files.map(lambda t: t.encode("utf-8", "surrogatepass"))
