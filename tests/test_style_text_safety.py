"""The text a CSL style adds is escaped like record text (issue 13, STYLE.md §4c).

Affixes, ``<text value>``, delimiters and terms come from the style, and 162 bundled styles
put ``<``/``>`` in them (126 around the URL: "Available at: <URL>"); radiopaedia writes
``<a href="`` + URL + ``">``. citeproc-py adds affixes and delimiters without its formatter's
``preformat``, so they reached HTML and Markdown raw. Each style below renders records whose
every variable holds markup, in HTML, Markdown and rST, and the consumers (html5lib,
markdown-it-py, docutils) must find only the writer's own markup; the HTML's text must be the
plain-text rendering, so the style's "<" is shown, not dropped.

Rendering every independent style (~2,850) in three outputs takes minutes, so the test takes
every style whose XML has markup characters in an attribute (found by scanning the files at
test time), the common ones, and an evenly spaced sample of the rest; REFCONV_ALL_STYLES=1
takes them all.
"""

from __future__ import annotations

import io
import json
import os
import re
from functools import cache
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner

from refconv.cli import cli
from refconv.formats.csljson.read import CslJsonReader
from refconv.formats.formatted import write as formatted
from refconv.formats.formatted.styles import style_names

from .conftest import Collect
from .test_formatted_safety import MD_HTML, RST_NODES, SAFE_HREF, _need

pytestmark = pytest.mark.slow  # every installed style family with hostile records

COMMON = [
    "apa",
    "ieee",
    "modern-language-association",
    "chicago-author-date",
    "elsevier-vancouver",
    "harvard-cite-them-right",
    "nature",
]
SAMPLE = 40  # styles beyond those with markup in their text

#: an attribute value (prefix, suffix, value, delimiter, ...) with a character that is markup
#: in some output, or the start of a link
_MARKUP_ATTRIBUTE = re.compile(
    rb'(?:prefix|suffix|value|delimiter)="[^"]*(?:&lt;|&gt;|&quot;|href|&amp;\S)'
)


@cache
def _independent() -> list[str]:
    """Independent styles with a bibliography (note styles without one are refused)."""
    return [
        name
        for name, path in style_names().items()
        if path.parent.name == "styles" and b"<bibliography" in path.read_bytes()
    ]


@cache
def _with_markup() -> list[str]:
    """Independent styles whose attributes hold markup characters (read as bytes: fast)."""
    names = style_names()
    return [n for n in _independent() if _MARKUP_ATTRIBUTE.search(_layout(names[n]))]


def _layout(path) -> bytes:
    """The style without its ``<info>`` (links to documentation are not output)."""
    data = path.read_bytes()
    return re.sub(rb"<info>.*?</info>", b"", data, count=1, flags=re.DOTALL)


def _chosen() -> list[str]:
    if os.environ.get("REFCONV_ALL_STYLES") == "1":
        return _independent()
    marked = set(_with_markup())
    rest = [n for n in _independent() if n not in marked and n not in COMMON]
    step = max(1, len(rest) // SAMPLE)
    return sorted(marked | set(COMMON) | set(rest[::step]))


HOSTILE = "<img src=x onerror=alert(1)>\"'&lt;[l](javascript:y)*e*_u_`c`|s|#~\\"
STRING_VARIABLES = [
    "title",
    "container-title",
    "collection-title",
    "publisher",
    "publisher-place",
    "event",
    "event-place",
    "genre",
    "medium",
    "note",
    "archive",
    "archive_location",
    "call-number",
    "ISBN",
    "ISSN",
    "PMID",
    "PMCID",
    "version",
    "edition",
    "volume",
    "issue",
    "number",
    "page",
    "number-of-pages",
    "section",
    "source",
    "status",
    "dimensions",
    "references",
    "original-title",
    "original-publisher",
    "original-publisher-place",
    "jurisdiction",
    "authority",
]
NAME_VARIABLES = ["author", "editor", "translator", "container-author", "collection-editor"]


def _item(n: int, kind: str) -> dict:
    item: dict = {"id": f"i{n}", "type": kind}
    item |= {var: f"{var[:2]}{n} {HOSTILE}" for var in STRING_VARIABLES}
    for var in NAME_VARIABLES:
        item[var] = [{"family": f"F{n}{HOSTILE}", "given": f"G{HOSTILE}"}, {"literal": HOSTILE}]
    item["URL"] = HOSTILE if n % 2 else f'http://ok/" onmouseover="alert(1)<b>{HOSTILE}'
    item["DOI"] = f"10.1/{HOSTILE}"
    item["issued"] = {"date-parts": [[2000 + n, 1, 2]]}
    item["accessed"] = {"date-parts": [[2020, 3, 4]]}
    return item


@cache
def _records() -> list:
    kinds = ["webpage", "article-journal", "book", "chapter", "report", "thesis"]
    text = json.dumps([_item(n, kind) for n, kind in enumerate(kinds)])
    return list(CslJsonReader(diagnostics=Collect()).read(io.StringIO(text), "t.json"))


def _write(output: str, style: str) -> str:
    writer = {
        "text": formatted.TextWriter,
        "html": formatted.HtmlWriter,
        "markdown": formatted.MarkdownWriter,
        "rst": formatted.RstWriter,
    }[output]
    out = io.StringIO()
    writer(diagnostics=Collect(), style=style, jobs=1).write(_records(), out)
    return out.getvalue()


#: the writer's own HTML: (element, attribute) → allowed values
HTML_ELEMENTS = {"div", "i", "b", "u", "sup", "sub", "span"}
HTML_ATTRIBUTES = {
    ("div", "class"): {"csl-bib-body", "csl-entry", "csl-left-margin", "csl-right-inline"},
    ("span", "style"): {"font-variant:small-caps;", "font-variant:small-caps"},
}


def _html_text(document: str, elements=HTML_ELEMENTS) -> str:
    """The text of an HTML fragment, after checking every node is the writer's own."""
    import html5lib

    tree = html5lib.parseFragment(document, treebuilder="etree", namespaceHTMLElements=False)
    for element in tree.iter():
        assert element.tag is not ElementTree.Comment, document
        if not isinstance(element.tag, str) or element.tag == "DOCUMENT_FRAGMENT":
            continue
        assert element.tag in elements, f"<{element.tag}> in {document!r}"
        for name, value in element.attrib.items():
            assert value in HTML_ATTRIBUTES.get((element.tag, name), ()), (name, value, document)
    return "".join(tree.itertext())


def _words(text: str) -> str:
    return "".join(text.split())  # the HTML's columns have no space between them


@pytest.fixture(scope="module", autouse=True)
def _forget_styles():
    """Parsed styles are cached per process; hundreds of them would stay in memory."""
    yield
    formatted._STYLES.clear()


@pytest.mark.parametrize("style", _chosen())
def test_style_text_is_escaped(style):
    text = _write("text", style)
    formatted._STYLES.clear()  # one style at a time in memory
    if not text.strip():
        pytest.skip("the style prints nothing for these records")
    html = _write("html", style)
    shown = _html_text(html)
    assert _words(shown) == _words(text)  # every "<" of the style shown as text

    markdown_it = _need("markdown_it")
    md = _write("markdown", style)
    parser = markdown_it.MarkdownIt("commonmark")
    for token in parser.parse(md):
        assert token.type in {"paragraph_open", "paragraph_close", "inline"} or (
            token.type in {"ordered_list_open", "list_item_open", "list_item_close"}
            or token.type == "ordered_list_close"
        ), (token.type, md)  # the style's "1. " makes a list item, the writer's markup
        for child in token.children or ():
            assert child.type in {"text", "em_open", "em_close", "strong_open", "strong_close"} or (
                child.type == "html_inline" and child.content in MD_HTML
            ), (child.type, child.content, md)
    _html_text(parser.render(md), HTML_ELEMENTS | {"p", "em", "strong", "ol", "li"})

    core = _need("docutils.core")
    rst = _write("rst", style)
    warnings = io.StringIO()
    tree = core.publish_doctree(
        rst,
        settings_overrides={
            "report_level": 2,
            "halt_level": 5,
            "warning_stream": warnings,
            "raw_enabled": False,
            "file_insertion_enabled": False,
        },
    )
    for node in tree.findall():
        kind = type(node).__name__
        if kind == "reference":
            assert SAFE_HREF.match(node["refuri"]), (node["refuri"], rst)
            continue
        assert kind in RST_NODES | {"enumerated_list", "list_item"}, (kind, rst)
    assert warnings.getvalue() == "", (warnings.getvalue(), rst)


def test_the_sample_holds_the_styles_with_markup_in_their_text():
    """The scan finds the styles the issue names; a change of the bundle shows here."""
    marked = _with_markup()
    assert {"harvard-anglia-ruskin-university", "radiopaedia"} <= set(marked)
    assert len(marked) >= 126
    assert set(marked) <= set(_chosen())


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        pytest.param(
            ["-t", "html", "--style", "harvard-anglia-ruskin-university"],
            "Available at: &lt;img src=x onerror=alert(1)&gt; [Accessed 1 January 2020].</div>",
            id="anglia_html",
        ),
        pytest.param(
            ["-t", "markdown", "--style", "harvard-anglia-ruskin-university"],
            "Available at: \\<img src=x onerror=alert(1)\\> \\[Accessed 1 January 2020\\].\n",
            id="anglia_markdown",
        ),
        pytest.param(
            ["-t", "html", "--style", "radiopaedia"],
            '&lt;a href="img src=x onerror=alert(1)" target="_blank"&gt;[Link]&lt;/a&gt;',
            id="radiopaedia_html",
        ),
    ],
)
def test_the_issue_reproducers(args, expected):
    item = {
        "id": "a",
        "type": "webpage",
        "title": "T",
        "issued": {"date-parts": [[2000]]},
        "URL": "img src=x onerror=alert(1)",
        "accessed": {"date-parts": [[2020, 1, 1]]},
    }
    result = CliRunner().invoke(
        cli, ["convert", "-", "-f", "csljson", *args], input=json.dumps([item])
    )
    assert result.exit_code == 0, result.stderr
    assert expected in result.stdout
    assert "<img" not in result.stdout.replace("\\<", "") and "<a " not in result.stdout


CUSTOM = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>t</title><id>t</id><updated>2020-01-01T00:00:00+00:00</updated></info>
  <citation><layout><text variable="title"/></layout></citation>
  <bibliography>
    <layout prefix="&lt;p&gt;" suffix="&lt;/p&gt;">
      <group delimiter="&lt;b&gt;">
        <text variable="title" prefix="&lt;" suffix="&gt;" font-style="italic"/>
        <text value="&lt;script&gt;x&amp;amp;"/>
        <text variable="URL" prefix="javascript:"/>
      </group>
    </layout>
  </bibliography>
</style>
"""


@pytest.mark.parametrize(
    ("output", "expected"),
    [
        pytest.param(
            "html",
            '<div class="csl-entry">&lt;p&gt;&lt;<i>T</i>&gt;&lt;b&gt;&lt;script&gt;x&amp;amp;'
            "&lt;b&gt;javascript:http:&lt;/p&gt;</div>",
            id="html",
        ),
        pytest.param(
            "markdown",
            "\\<p\\>\\<*T*\\>\\<b\\>\\<script\\>x&amp;amp;\\<b\\>javascript\\:http:",
            id="markdown",
        ),
        pytest.param("rst", "javascript\\:http:", id="rst"),
    ],
)
def test_a_custom_style_file(tmp_path, output, expected):
    """``--style path.csl`` with markup in every kind of style text (the review's ``<http:>``)."""
    style = tmp_path / "custom.csl"
    style.write_text(CUSTOM, encoding="utf-8")
    item = {"id": "a", "type": "webpage", "title": "T", "URL": "http:"}
    result = CliRunner().invoke(
        cli,
        ["convert", "-", "-f", "csljson", "-t", output, "--style", str(style)],
        input=json.dumps([item]),
    )
    assert result.exit_code == 0, result.stderr
    assert expected in result.stdout, result.stdout


BLOCKS = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>t</title><id>t</id><updated>2020-01-01T00:00:00+00:00</updated></info>
  <citation><layout><text variable="title"/></layout></citation>
  <bibliography>
    <layout suffix="&#10;&#10;    code&#13;&#10;----">
      <text variable="title" suffix="&#10;===&#10;"/>
      <text value="1. ol&#10;+ y&#x2028;.. _t: http://x/&#10;:field: v&#10;&#10;::"/>
      <text value="&#10;&#10;  lit&#9;x"/>
    </layout>
  </bibliography>
</style>
"""


@pytest.mark.parametrize("output", ["text", "html", "markdown", "rst"])
def test_line_breaks_in_style_text_are_spaces(tmp_path, output):
    """A style's own line breaks (``&#10;`` in an affix or text value) would make headings,
    lists, code and literal blocks in Markdown and rST (second review): they are spaces, as
    in values, so an entry stays one line and one paragraph."""
    style = tmp_path / "blocks.csl"
    style.write_text(BLOCKS, encoding="utf-8")
    items = [{"id": "a", "type": "book", "title": "Tt"}, {"id": "b", "type": "book", "title": "Uu"}]
    args = ["convert", "-", "-f", "csljson", "-t", output, "--style", str(style)]
    result = CliRunner().invoke(cli, args, input=json.dumps(items))
    assert result.exit_code == 0, result.stderr
    entries = [line for line in result.stdout.splitlines() if "Tt" in line or "Uu" in line]
    assert len(entries) == 2 and all("1. ol + y" in line for line in entries), result.stdout
    assert not re.search(r"[\t\x0b\x0c\r\x85\u2028\u2029]", result.stdout)
