"""Formatted output is inert and never crashes (issue 13, STYLE.md §4c).

Every record value is escaped for its consumer: the HTML is parsed by html5lib (the HTML5
parsing algorithm browsers use), the Markdown by markdown-it-py (CommonMark) and its HTML
again by html5lib, the rST by docutils; no element, attribute, link, role, directive or
substitution may come from a value, and the value's text must come out as text. Odd records
(empty names, names of spaces, lone particles or suffixes, odd numbers and dates) give exit
0 and one entry each in the styles people use, as citeproc-js prints them.
"""

from __future__ import annotations

import importlib
import io
import json
import os
import re
import unicodedata
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from refconv.cli import cli
from refconv.formats.csljson.read import CslJsonReader
from refconv.formats.formatted import write as formatted
from refconv.formats.formatted.citeproc import protect as citeproc_protect

from .conftest import Collect

pytestmark = pytest.mark.slow  # hostile records in several styles, compared with citeproc-js

#: examples per hypothesis test: few, as each renders a bibliography in five styles;
#: REFCONV_SAFETY_EXAMPLES=200 for a longer search
EXAMPLES = int(os.environ.get("REFCONV_SAFETY_EXAMPLES", "5"))

#: the styles of the issue; "vancouver" is not a style name, Elsevier's is the common one
STYLES = [
    "apa",
    "ieee",
    "modern-language-association",
    "chicago-author-date",
    "elsevier-vancouver",
]
ALL_STYLES = [*STYLES, "harvard-cite-them-right", "nature"]

#: pieces of attacks on HTML, Markdown and rST, and text that only looks like them
FRAGMENTS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "' onmouseover='alert(1)' x='",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<b>x</b>",
    "file:///etc/passwd",
    "vbscript:x",
    "mailto:a@b.org",
    "a@b.org",
    "https://ok.example/a_b?c=d&e=f",
    "&amp;",
    "&lt;b&gt;",
    "&#60;i&#62;",
    "<!-- x -->",
    "\n",
    "\r\n",
    "\r",
    "\u2028",
    "\x85",
    "\x0b",
    "\x1b[31m",
    "[x](javascript:alert(1))",
    "<javascript:alert(1)>",
    "<https://ok.example>",
    "![i](x)",
    "[ref]: javascript:alert(1)",
    "`code`",
    "```",
    "*em*",
    "**strong**",
    "_u_",
    "~~s~~",
    "# ",
    "1. ",
    "- ",
    "> ",
    "| a | b |",
    ".. raw:: html",
    ".. image:: x",
    "`x <javascript:y>`_",
    "|sub|",
    "name_",
    "[1]_",
    ":raw:`<b>x</b>`",
    "__ javascript:x",
    "::",
    "\\",
    "(",
    ")",
    "]",
    "[",
    "é",
    "\u202e",
    "😀",
    "\ufdd1script\ufdd2",
    "\ue100",
]

_CHARS = st.characters(codec="utf-8", exclude_categories=("Cs",), exclude_characters="\x00")
HOSTILE = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(_CHARS, max_size=4)), min_size=1, max_size=5
).map("".join)
#: values hypothesis draws, each placed in many variables of one record
VALUES = st.lists(HOSTILE, min_size=4, max_size=8)

#: variables that styles print verbatim, or nearly (the issue's list), and the usual ones
PLAIN_VARIABLES = [
    "title",
    "container-title",
    "publisher",
    "publisher-place",
    "note",
    "title-short",
    "PMID",
    "PMCID",
    "ISBN",
    "ISSN",
    "archive",
    "archive_location",
    "call-number",
    "genre",
    "medium",
    "edition",
    "volume",
    "issue",
    "page",
    "number",
    "version",
    "collection-title",
]


def _item(n: int, value: str) -> dict:
    item = {"id": f"i{n}", "type": ["webpage", "article-journal", "book", "report"][n % 4]}
    item |= {var: value for var in PLAIN_VARIABLES}
    item["title"] = f"T{n} {value}"
    item["DOI"] = f"10.1/{value}"
    item["URL"] = value if n % 2 else f"https://example.org/{value}"
    item["author"] = [{"family": f"F{n} {value}", "given": value}, {"literal": value}]
    item["editor"] = [{"family": value}]
    item["issued"] = {"date-parts": [[2000 + n]]}
    return item


def _need(module: str):
    """The consumer ``module`` (markdown-it-py, docutils: the test extra); a missing one
    skips locally and fails in CI, where the extra is installed."""
    try:
        return importlib.import_module(module)
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail(f"{module} is missing: pip install -e '.[test]'")
        pytest.skip(f"{module} not installed")


def _records(items: list[dict]) -> list:
    text = json.dumps(items)
    return list(CslJsonReader(diagnostics=Collect()).read(io.StringIO(text), "t.json"))


def _write(records, output: str, style: str, **options) -> tuple[str, list[str]]:
    writer_class = {
        "text": formatted.TextWriter,
        "html": formatted.HtmlWriter,
        "markdown": formatted.MarkdownWriter,
        "rst": formatted.RstWriter,
    }[output]
    diagnostics = Collect()
    out = io.StringIO()
    writer_class(diagnostics=diagnostics, style=style, jobs=1, **options).write(records, out)
    return out.getvalue(), diagnostics.messages


def _shown(value: str) -> str:
    """What must appear of a value: its cleaned text, compared without case (styles change
    case), typographic apostrophes or the trailing punctuation a seam may merge."""
    return _flat(citeproc_protect.normalise(value)).rstrip(".,;:?! ")


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).replace("'", "\u2019").casefold()


# --- the issue's reproducers ------------------------------------------------------------------

DOI_ITEM = {"id": "u", "type": "webpage", "title": "T", "DOI": '10.1/"><script>alert(1)</script>'}
URL_ITEM = {
    "id": "v",
    "type": "webpage",
    "title": "T",
    "URL": "http://x/<img src=x onerror=alert(1)>",
}


def convert(*args: str, input: str):
    return CliRunner().invoke(cli, ["convert", "-", "-f", "csljson", *args], input=input)


@pytest.mark.parametrize("standalone", [[], ["--standalone"]], ids=["fragment", "page"])
@pytest.mark.parametrize("style", ALL_STYLES)
def test_issue_reproducers_html(style, standalone):
    result = convert("-t", "html", "--style", style, *standalone, input=json.dumps([DOI_ITEM]))
    assert result.exit_code == 0, result.stderr
    assert "<script" not in result.stdout
    if "10.1/" in result.stdout or style == "apa":  # styles that print the DOI of a web page
        assert '10.1/"&gt;&lt;script&gt;alert(1)&lt;/script&gt;' in result.stdout
    result = convert("-t", "html", "--style", style, *standalone, input=json.dumps([URL_ITEM]))
    if "x/" in result.stdout or style == "ieee":  # styles that print the URL
        assert "http://x/&lt;img src=x onerror=alert(1)&gt;" in result.stdout
    assert "<img" not in result.stdout


def test_issue_reproducers_markdown_and_rst():
    items = json.dumps([DOI_ITEM, URL_ITEM])
    md = convert("-t", "markdown", "--style", "nature", input=items).stdout
    assert r'10.1/"\>\<script\>alert(1)\</script\>' in md
    assert r"http://x/\<img src=x onerror=alert(1)\>" in md
    rst = convert("-t", "rst", "--style", "ieee", input=json.dumps([URL_ITEM])).stdout
    assert rst == "[1] “T.” [Online]. Available: http://x/<img src=x onerror=alert(1)>\n"


def test_a_non_http_url_is_not_a_link_in_rst_or_markdown():
    item = {"id": "a", "type": "webpage", "title": "T", "URL": "javascript:alert(1)"}
    rst = convert("-t", "rst", "--style", "ieee", input=json.dumps([item])).stdout
    assert rst == "[1] “T.” [Online]. Available: javascript\\:alert(1)\n"
    md = convert("-t", "markdown", "--style", "ieee", input=json.dumps([item])).stdout
    assert md == "\\[1\\] “T.” \\[Online\\]. Available: javascript\\:alert(1)\n"
    html = convert("-t", "html", "--style", "ieee", input=json.dumps([item])).stdout
    assert "Available: javascript:alert(1)</div>" in html  # text, and HTML makes no links


# --- HTML, parsed as a browser does -----------------------------------------------------------

#: what the HTML writer itself makes: elements and (element, attribute) pairs
HTML_ELEMENTS = {"html", "head", "body", "meta", "title", "style", "div", "span", "i", "b"}
HTML_ELEMENTS |= {"sup", "sub", "p", "em", "strong"}  # the last two from Markdown's HTML
HTML_ATTRIBUTES = {("div", "class"), ("span", "style"), ("html", "lang"), ("meta", "charset")}
SAFE_HREF = re.compile(r"(?i)(https?://|https?://doi\.org/)")


def _check_html(document: str, page: bool) -> str:
    """The text of ``document`` after checking that every node is the writer's own."""
    import html5lib

    parse = html5lib.parse if page else html5lib.parseFragment
    tree = parse(document, treebuilder="etree", namespaceHTMLElements=False)
    for element in tree.iter():
        assert element.tag is not ElementTree.Comment, "a comment came from a value"
        if not isinstance(element.tag, str) or element.tag == "DOCUMENT_FRAGMENT":
            continue
        assert element.tag in HTML_ELEMENTS, f"<{element.tag}> in {document!r}"
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), name
            if element.tag == "a":
                assert name == "href" and SAFE_HREF.match(value), value
                continue
            assert (element.tag, name) in HTML_ATTRIBUTES, f"{element.tag} {name}={value!r}"
            if name == "class":
                assert value.startswith("csl-"), value
            if name == "style":
                assert value.rstrip(";") == "font-variant:small-caps", value
    styles = [e for e in tree.iter() if e.tag == "style"]
    assert len(styles) == (1 if page else 0)
    body = tree.find("body") if page else tree
    return "".join(body.itertext())


def _check_values_shown(text: str, values: list[str], style: str) -> None:
    flat = _flat(text)
    for value in values:
        assert _shown(value) in flat, (value, text)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values=VALUES)
def test_html_holds_no_markup_from_values(values):
    records = _records([_item(n, v) for n, v in enumerate(values)])
    for style in STYLES:
        fragment, messages = _write(records, "html", style)
        assert not [m for m in messages if "error" in m], messages
        text = _check_html(fragment, page=False)
        _check_values_shown(text, values, style)
        assert text.count("T") >= len(values)
        page, _ = _write(records, "html", style, standalone=True, title=values[0])
        _check_html(page, page=True)
        assert fragment.count('<div class="csl-entry">') == len(values)


# --- Markdown, parsed as CommonMark -----------------------------------------------------------

MD_HTML = {
    "<sup>",
    "</sup>",
    "<sub>",
    "</sub>",
    '<span style="font-variant:small-caps">',
    "</span>",
}
MD_TOKENS = {"paragraph_open", "paragraph_close", "inline", "text", "em_open", "em_close"}
MD_TOKENS |= {"strong_open", "strong_close", "html_inline"}


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values=VALUES)
def test_markdown_holds_no_markup_from_values(values):
    markdown_it = _need("markdown_it")
    md = markdown_it.MarkdownIt("commonmark")
    records = _records([_item(n, v) for n, v in enumerate(values)])
    for style in STYLES:
        document, _ = _write(records, "markdown", style)
        tokens = md.parse(document)
        assert sum(t.type == "paragraph_open" for t in tokens) == len(values)
        texts = []
        for token in tokens:
            assert token.type in MD_TOKENS, (token.type, document)
            for child in token.children or ():
                assert child.type in MD_TOKENS, (child.type, child.content, document)
                if child.type == "html_inline":
                    assert child.content in MD_HTML, child.content
                texts.append(child.content if child.type == "text" else "")
        _check_values_shown("".join(texts), values, style)
        _check_html(md.render(document), page=False)


# --- reStructuredText, parsed by docutils ------------------------------------------------------

RST_NODES = {"document", "paragraph", "Text", "emphasis", "strong", "superscript", "subscript"}


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values=VALUES)
def test_rst_holds_no_markup_from_values(values):
    core = _need("docutils.core")
    records = _records([_item(n, v) for n, v in enumerate(values)])
    for style in STYLES:
        document, _ = _write(records, "rst", style)
        warnings = io.StringIO()
        tree = core.publish_doctree(
            document,
            settings_overrides={
                "report_level": 1,
                "halt_level": 5,
                "warning_stream": warnings,
                "raw_enabled": False,
                "file_insertion_enabled": False,
            },
        )
        assert warnings.getvalue() == "", (warnings.getvalue(), document)
        paragraphs = 0
        for node in tree.findall():
            kind = type(node).__name__
            paragraphs += kind == "paragraph"
            if kind == "reference":  # a bare http(s) URL, which docutils links
                assert SAFE_HREF.match(node["refuri"]), node["refuri"]
                continue
            assert kind in RST_NODES, (kind, node.astext(), document)
        assert paragraphs == len(values)
        _check_values_shown(tree.astext(), values, style)


# --- text: nothing but text -----------------------------------------------------------------


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values=VALUES)
def test_text_is_one_line_of_printable_text_per_record(values):
    records = _records([_item(n, v) for n, v in enumerate(values)])
    for style in STYLES:
        document, _ = _write(records, "text", style)
        lines = document.split("\n")
        assert lines[-1] == "" and len(lines) - 1 == len(values), document
        controls = [c for c in document if unicodedata.category(c) == "Cc" and c != "\n"]
        assert controls == [], document
        assert [line for line in lines if line != line.strip()] == []
        _check_values_shown(document, values, style)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("a\r\nb\rc\nd\x0be\x0cf\x85g\u2028h\u2029i", "a b c d e f g h i", id="breaks"),
        pytest.param("  a \n\n  b  ", "a b", id="around_breaks"),
        pytest.param("a\tb", "a b", id="tab"),
        pytest.param("\x1b[31mred\x07", "\ufffd[31mred\ufffd", id="escape_sequence"),
        pytest.param("\x9bx\x7f", "\ufffdx\ufffd", id="c1_and_del"),
        pytest.param("a\u00a0b\u202e", "a\u00a0b\u202e", id="printable_kept"),
        pytest.param("\ufdd0\ufdd1x\ufdef", "\ufffd\ufffdx\ufffd", id="noncharacters"),
        pytest.param("\ue011\ue100", "\ue011\ue100", id="private_use_kept"),
    ],
)
def test_normalise_cleans_text(text, expected):
    assert citeproc_protect.normalise(text) == expected


@pytest.mark.parametrize(
    ("value", "output", "expected"),
    [
        pytest.param("javascript:x", "rst", "javascript\\:x", id="scheme_rst"),
        pytest.param("javascript:x", "markdown", "javascript\\:x", id="scheme_md"),
        pytest.param("javascript:x", "html", "javascript:x", id="scheme_html"),
        pytest.param("javascript:x", "text", "javascript:x", id="scheme_text"),
        pytest.param("HTTPS://a.b/c", "rst", "HTTPS://a.b/c", id="https_links"),
        pytest.param(
            "https://a.b/(javascript:x)", "rst", "https://a.b/(javascript\\:x)", id="in_url"
        ),
        pytest.param("see a@b.org", "rst", "see a\\@b.org", id="email_rst"),
        pytest.param("see a@b.org", "markdown", "see a\\@b.org", id="email_md"),
        pytest.param("Title: Sub", "rst", "Title: Sub", id="colon_then_space"),
        pytest.param("10:30", "rst", "10:30", id="time"),
        pytest.param("x-doi:1", "rst", "x-doi\\:1", id="scheme_with_dash"),
    ],
)
def test_link_marks(value, output, expected):
    text = citeproc_protect.protect({"note": value})["note"]
    assert citeproc_protect.unprotect(text, formatted.ESCAPES[output]) == expected


@pytest.mark.parametrize(
    ("title", "output", "expected"),
    [
        pytest.param("1984. A novel", "markdown", "1984\\. A novel", id="md_ordered"),
        pytest.param("1) A", "markdown", "1\\) A", id="md_ordered_paren"),
        pytest.param("- A", "markdown", "\\- A", id="md_bullet"),
        pytest.param("+ A", "markdown", "\\+ A", id="md_plus"),
        pytest.param("1984 A", "markdown", "1984 A", id="md_number_only"),
        pytest.param(".. raw:: html", "rst", "\\.. raw\\:: html", id="rst_directive"),
        pytest.param("__ javascript:x", "rst", "\\_\\_ javascript\\:x", id="rst_anonymous"),
        pytest.param("A. Tale", "rst", "A\\. Tale", id="rst_enumerator"),
        pytest.param("iv) Tale", "rst", "iv\\) Tale", id="rst_roman"),
        pytest.param(">>> 1", "rst", "\\>>> 1", id="rst_doctest"),
        pytest.param("Smith. Tale", "rst", "Smith. Tale", id="rst_word"),
    ],
)
def test_block_markers_at_the_start_are_escaped(title, output, expected):
    item = {"id": "a", "type": "article-journal", "title": title}
    document = convert("-t", output, "--style", "ieee", input=json.dumps([item])).stdout
    # the style's brackets are escaped as a record's are ("[1](x)" would be a link)
    assert document.startswith("\\[1\\]" if output == "markdown" else "[1]"), document
    first = convert("-t", output, "--style", "nature", input=json.dumps([item])).stdout
    assert first.startswith("1. ")
    text, _ = _write(_records([item]), output, "american-sociological-association")
    assert text.startswith(expected), text


# --- odd records: exit 0, one entry each, as citeproc-js prints them -------------------------

ODD_NAMES = [
    {"family": ""},
    {"given": ""},
    {"literal": ""},
    {"family": " "},
    {"given": "  "},
    {"literal": " \t "},
    {"family": "\u00a0"},
    {},
    {"family": "", "given": ""},
    {"non-dropping-particle": "van"},
    {"dropping-particle": "de"},
    {"suffix": "Jr."},
    {"dropping-particle": "de", "suffix": "III"},
    {"family": "", "given": "John Paul"},
    {"family": "Smith", "given": "", "suffix": "Jr."},
    {"family": "O'Neil", "given": "\n"},
]

ODD_FIELDS = [
    {"title": ""},
    {"title": "   "},
    {"title": None},
    {"page": "99999999999999999999999"},
    {"page": "1-99999999999999999999"},
    {"page": "9" * 5000},
    {"page": "12-3"},
    {"page": "-"},
    {"page": "--"},
    {"page": "5-"},
    {"page": "-5"},
    {"page": "iii-ix"},
    {"page": "0"},
    {"volume": "007"},
    {"volume": "1e5"},
    {"volume": "\u0663"},
    {"volume": "\u00bd"},
    {"issue": "\u00b2"},
    {"edition": "0"},
    {"edition": "-1"},
    {"edition": "99999999999999999999"},
    {"edition": "2nd"},
    {"number": "1.5"},
    {"volume": "1-2"},
    {"number-of-pages": "0"},
    {"number-of-volumes": "99999999999999999999"},
    {"issued": {"season": 2, "date-parts": [[2020]]}},
    {"issued": {"season": "Spring", "date-parts": [[2020]]}},
    {"issued": {"date-parts": [[2020, 13]]}},
    {"issued": {"date-parts": [[2020, 16]]}},
    {"issued": {"date-parts": [[2020, 2, 31]]}},
    {"issued": {"date-parts": [[0]]}},
    {"issued": {"date-parts": [[-50]]}},
    {"issued": {"date-parts": [[99999]]}},
    {"issued": {"date-parts": [[2020], [2019]]}},
    {"issued": {"literal": ""}},
    {"issued": {"date-parts": [["2020", "5"]]}},
    {"issued": {"raw": "spring 2020"}},
    {"accessed": {"date-parts": [[2020, 12, 40]]}},
    {"container-title": ""},
    {"DOI": ""},
    {"URL": " "},
    {"collection-number": "-0"},
    {"chapter-number": "1/2"},
]


def _odd_items() -> list[dict]:
    items = []
    for i, name in enumerate(ODD_NAMES):
        for role in ("author", "editor"):
            items.append({"id": f"n{i}{role}", "type": "chapter", "title": "T", role: [name]})
            two = [{"family": "Real", "given": "A"}, name]
            items.append({"id": f"m{i}{role}", "type": "book", "title": "T", role: two})
    for j, fields in enumerate(ODD_FIELDS):
        for kind in ("article-journal", "chapter", "webpage"):
            item = {"id": f"f{j}{kind}", "type": kind, "title": "T", **fields}
            items.append({k: v for k, v in item.items() if v is not None})
    return items


@pytest.mark.parametrize(
    ("style", "output"),
    [(s, "text") for s in ALL_STYLES] + [("modern-language-association", "html")],
)
def test_odd_records_give_one_entry_each_and_no_traceback(style, output):
    items = _odd_items()
    result = convert("-t", output, "--style", style, "-j", "1", input=json.dumps(items))
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.stderr
    assert all(
        re.match(r"<stdin>:\d+: (warning|error|note): ", m) for m in result.stderr.splitlines()
    )
    assert "error" not in result.stderr and result.exit_code == 0, result.stderr
    if output == "html":
        entries = result.stdout.count('<div class="csl-entry">')
        assert '<div class="csl-entry"></div>' not in result.stdout
    else:
        entries = len(result.stdout.splitlines())
        assert "" not in result.stdout.splitlines()
    # a record with no title, names or date has nothing to print in some styles: reported
    # and left out, as citeproc-js leaves it out
    nothing = result.stderr.count("warning: the style prints nothing for this record")
    assert entries + nothing == len(items)
    assert "None" not in result.stdout


ZED = {"id": "a", "type": "book", "title": "Zed"}


def test_editors_without_a_name_sort_and_render_as_citeproc_js_does():
    """The issue's MLA/Chicago/Harvard crash: one bibliography with an "Alpha" for each odd
    name, all compared with citeproc-js (given the same cleaned items)."""
    import citeproc

    from .test_formatted import _citeproc_js

    # citeproc-js drops the period of "Jr." in Vancouver: a known difference (test_formatted)
    names = [n for n in ODD_NAMES if "suffix" not in n or "family" not in n]
    alphas = [
        {"id": f"b{i}", "type": "book", "title": f"Alpha {chr(65 + i)}", "editor": [name]}
        for i, name in enumerate(names)
    ]
    records = _records([ZED, *alphas])
    ours = {s: [str(e) for e in formatted.render(records, s, None, "text")] for s in ALL_STYLES}
    variables = frozenset(citeproc.VARIABLES)
    items = [formatted._csl_item(r, variables) | {"id": f"r{i}"} for i, r in enumerate(records)]
    assert _citeproc_js(items, ALL_STYLES) == ours
    assert ours["modern-language-association"][0] == "Alpha A."
    assert ours["modern-language-association"][-1] == "Zed."


def test_the_issue_reproducer_sorts():
    items = [
        {"id": "a", "type": "book", "title": "Zed"},
        {"id": "b", "type": "book", "title": "Alpha", "editor": [{"family": ""}]},
    ]
    for style in ("modern-language-association", "chicago-author-date", "harvard-cite-them-right"):
        result = convert("-t", "text", "--style", style, input=json.dumps(items))
        assert result.exit_code == 0, result.stderr  # the empty editor is said, and left out
        assert result.stderr == (
            '<stdin>:1: warning: editor[0] {"family": ""}: a name with no text; left out\n'
        )
        assert result.stdout.index("Alpha") < result.stdout.index("Zed")


NAME_PARTS = st.sampled_from(["", " ", "\u00a0", "van", "de", "Jr.", "J.", "Smith", "李", "O'Neil"])
NAME = st.dictionaries(
    st.sampled_from(
        ["family", "given", "literal", "non-dropping-particle", "dropping-particle", "suffix"]
    ),
    NAME_PARTS,
    max_size=4,
)
NUMBERISH = st.sampled_from(["", "0", "-1", "007", "1e5", "12-3", "-", "iii", "٣", "½", "9" * 30])
ODD_ITEM = st.fixed_dictionaries(
    {"type": st.sampled_from(["book", "chapter", "article-journal", "webpage", "thesis"])},
    optional={
        "title": st.sampled_from(["", " ", "Alpha", "Zed", "10", "9"]),
        "author": st.lists(NAME, max_size=3),
        "editor": st.lists(NAME, max_size=3),
        "page": NUMBERISH,
        "volume": NUMBERISH,
        "edition": NUMBERISH,
        "issued": st.fixed_dictionaries(
            {
                "date-parts": st.lists(st.integers(-3000, 99999), min_size=1, max_size=3).map(
                    lambda p: [p]
                )
            },
            optional={"season": st.integers(1, 4)},
        ),
    },
)


@settings(max_examples=EXAMPLES + 3, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(items=st.lists(ODD_ITEM, min_size=2, max_size=12))
def test_odd_records_never_crash_the_sort_or_the_render(items):
    records = _records([item | {"id": f"i{n}"} for n, item in enumerate(items)])
    for style in ALL_STYLES:
        diagnostics = Collect()
        entries = formatted.render(records, style, None, "text", diagnostics=diagnostics)
        nothing = [m for m in diagnostics.messages if "prints nothing" in m]
        assert len(entries) + len(nothing) == len(records), diagnostics.messages
        assert not [m for m in diagnostics.messages if "error" in m or "sort key" in m]
        assert not any("None" in e for e in entries), entries


@pytest.mark.parametrize("style", ["nature", "vancouver-nlm"])
@pytest.mark.parametrize("family", ["-", "+", "1.", "2)", ">", "#", "*", "..", "iv."])
def test_a_value_after_the_styles_number_is_not_a_nested_block(style, family):
    """The style's "1." makes a list item; a value at the start of its text must not open a
    list or quote inside it (found by the fuzz campaign: "2. - E." was a nested list)."""
    markdown_it = _need("markdown_it")
    core = _need("docutils.core")
    items = [
        {"id": f"i{n}", "type": "book", "author": [{"family": family, "given": "E"}]}
        for n in (1, 2)
    ]
    records = _records(items)
    md, _ = _write(records, "markdown", style)
    kinds = [t.type for t in markdown_it.MarkdownIt("commonmark").parse(md)]
    assert kinds.count("list_item_open") == 2, md  # one item per entry, nothing nested
    assert not {"bullet_list_open", "blockquote_open", "heading_open"} & set(kinds), md
    rst, _ = _write(records, "rst", style)
    tree = core.publish_doctree(rst, settings_overrides={"report_level": 5})
    kinds = [type(n).__name__ for n in tree.findall()]
    assert kinds.count("list_item") == 2, rst
    assert not any(type(n).__name__ in ("bullet_list", "block_quote") for n in tree.findall())


@pytest.mark.parametrize("output", ["text", "html", "markdown", "rst"])
def test_urls_and_dois_keep_their_case_and_characters(output):
    url = "https://EXAMPLE.org/A_b~c'd?x=1&y=[2]"
    doi = "10.1000/AbC_d'E(1)"
    item = {"id": "a", "type": "webpage", "title": "Mixed case", "URL": url, "DOI": doi}
    # ':' and '@' stand for marked ones only (a non-http scheme, an e-mail address)
    escapes = {c: e for c, e in formatted.ESCAPES[output].items() if c not in ":@"}
    shown = {value: "".join(escapes.get(c, c) for c in value) for value in (url, doi)}
    for style in ALL_STYLES:
        document, _ = _write(_records([item]), output, style)
        printed = [value for value in (url, doi) if shown[value] in document]
        assert printed, (style, document)  # each style prints one or both, unchanged
