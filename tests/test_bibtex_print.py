"""What the BibTeX and BibLaTeX writers print (issue 16, items 8 and 9 and the writer halves of
2 and 4): nothing the user did not write, values with no field in the ``refconv`` field that no
style prints and refconv reads back exactly, CSL rich text as LaTeX, page ranges with ``--``,
a child's ``crossref`` and a kept ``@preamble`` written back.

The PDF test runs the real programs (bibtex with plain, alpha, plainnat and ieeetr; biber with
biblatex's authoryear; pdflatex; pdftotext) on one document and reads the PDF's text.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import unicodedata
from pathlib import Path

import bibtexparser
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from refconv.cli import cli
from refconv.formats.bibtex import latex
from refconv.formats.bibtex.latex import (
    join_kept,
    parse_rich_text,
    protect_title,
    rich_text,
    split_kept,
)
from refconv.formats.bibtex.write import BiblatexWriter, BibtexWriter, _double_dash
from refconv.model import Record

from .conftest import FORMATS, Collect, require_tool

UPDATE_GOLDENS = os.environ.get("REFCONV_UPDATE_GOLDENS") == "1"
GOLDEN_INPUT = FORMATS / "csljson" / "print_writer.json"


def write(items: list[dict], target: str = "bibtex", *options: str) -> tuple[str, str]:
    result = CliRunner().invoke(
        cli, ["convert", "-f", "csljson", "-t", target, *options], input=json.dumps(items)
    )
    assert result.exit_code == 0, result.stderr
    return result.stdout, result.stderr


def fields_of(text: str) -> dict[str, str]:
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks
    (entry,) = library.entries
    return {f.key: f.value for f in entry.fields}


def read_back(text: str) -> list[dict]:
    result = CliRunner().invoke(cli, ["convert", "-f", "bibtex", "-t", "csljson"], input=text)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


# --- rich text ----------------------------------------------------------------------------

MARKUP = [
    ("The <i>E. coli</i> genome", r"The \textit{E. coli} genome"),
    ("<b>Bold</b> and <i>it</i>", r"\textbf{Bold} and \textit{it}"),
    ("H<sub>2</sub>O at 10<sup>5</sup>", r"H\textsubscript{2}O at 10\textsuperscript{5}"),
    ('<span class="nocase">DNA</span> repair', "{DNA} repair"),
    ('<span style="font-variant:small-caps;">Cap</span>', r"\textsc{Cap}"),
    ("<i>nested <b>bold</b></i>", r"\textit{nested \textbf{bold}}"),
    ("<i>50% & $5</i>", r"\textit{50\% \& \$5}"),
    ("<i>open {brace</i>", r"\textit{open \textbraceleft{}brace}"),
    # not well formed: the text as written, every special escaped
    ("<i>unclosed", "<i>unclosed"),
    ("stray </i> end", "stray </i> end"),
    ("<i><b>crossed</i></b>", "<i><b>crossed</i></b>"),
    ('<span class="other">x</span>', '<span class="other">x</span>'),
    ("<I>upper</I>", "<I>upper</I>"),
    ("a < b > c", "a < b > c"),
    ("<script>x</script>", "<script>x</script>"),
    ("<i>x\\y</i>", r"\textit{x\textbackslash{}y}"),
    # nesting: LaTeX groups up to RICH_DEPTH (32), text beyond (5,000 raised RecursionError)
    ("<b>" * 32 + "x" + "</b>" * 32, r"\textbf{" * 32 + "x" + "}" * 32),
    ("<b>" * 33 + "x" + "</b>" * 33, "<b>" * 33 + "x" + "</b>" * 33),
    ("<i>" * 5000 + "x" + "</i>" * 5000, "<i>" * 5000 + "x" + "</i>" * 5000),
]


@pytest.mark.parametrize(("value", "latex"), MARKUP, ids=[m[0][:40] for m in MARKUP])
def test_rich_text_becomes_latex_only_when_well_formed(value, latex):
    assert rich_text(value) == latex


TITLES = [
    ("The <i>E. coli</i> and <span class=\"nocase\">DNA of Bob</span> story",
     r"The \textit{{E.} coli} and {DNA of Bob} story"),
    ("A <i>HER2</i> study", r"A \textit{{HER2}} study"),
    ("<i>Das</i> Buch", r"{{}\textit{Das} Buch}"),  # German: whole title braced, not special
    ("Plain HER2 title", "Plain {HER2} title"),
]  # fmt: skip


@pytest.mark.parametrize(("title", "latex"), TITLES, ids=[t[0] for t in TITLES])
def test_titles_with_markup_are_protected_like_titles(title, latex):
    assert protect_title(title, whole=title.startswith("<i>Das")) == latex


def test_rich_text_from_csl_json_is_written_as_latex_in_both_dialects():
    item = {"id": "a", "type": "book", "title": 'The <i>E. coli</i> and <span class="nocase">'
            'DNA</span>', "note": "see <b>p. 3</b>"}  # fmt: skip
    for target in ("bibtex", "biblatex"):
        fields = fields_of(write([item], target)[0])
        assert fields["title"] == r"The \textit{{E.} coli} and {DNA}"
        assert fields["note"] == r"see \textbf{p. 3}"


def test_a_nocase_span_is_braced_again_after_bibtex(tmp_path):
    """The BibTeX reader gives braced words back (as a nocase span, or as plain text until it
    does): either way the second BibTeX keeps ``{DNA}``, and a second pass is a fixed point."""
    item = {"id": "a", "type": "book", "title": '<span class="nocase">DNA</span> repair in cells'}
    first = write([item])[0]
    assert fields_of(first)["title"] == "{DNA} repair in cells"
    back = read_back(first)
    second = write(back)[0]
    assert fields_of(second)["title"] == "{DNA} repair in cells"
    assert write(read_back(second))[0] == second


@given(st.text(alphabet='<>/ibspuna ="clsx{}', max_size=30))
def test_any_tag_soup_is_escaped_text_or_balanced_latex(value):
    """Whatever the markup, the braces BibTeX counts balance (no value can end its field)."""
    latex = rich_text(value)
    depth = 0
    for ch in latex:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        assert depth >= 0
    assert depth == 0
    if parse_rich_text(value) is None:
        assert "\\text" not in latex.replace("\\textbrace", "")


# --- pages and dashes ---------------------------------------------------------------------

PAGES = [
    ("435–446", "435--446"),
    ("435 – 446", "435--446"),
    ("435—446", "435--446"),
    ("435\u2212446", "435--446"),
    ("435-446", "435--446"),
    ("435--446", "435--446"),
    ("1–3, 7–9", "1--3, 7--9"),
    ("A-1--A-5", "A-1--A-5"),
    ("e1234", "e1234"),
    ("12", "12"),
]


@pytest.mark.parametrize(("pages", "written"), PAGES, ids=[p[0] for p in PAGES])
def test_page_ranges_are_written_with_a_double_hyphen(pages, written):
    assert _double_dash(pages) == written
    item = {"id": "a", "type": "article-journal", "title": "T", "page": pages}
    assert fields_of(write([item])[0])["pages"] == written


@pytest.mark.parametrize("title", ["A–B and C—D", "A--B", "Range 1990--2000 --- and more"])
def test_titles_with_dashes_are_a_fixed_point_of_bibtex_to_bibtex(title):
    """``--``/``---`` are never doubled: the second BibTeX → BibTeX pass writes the first's."""
    first = write([{"id": "a", "type": "book", "title": title}])[0]
    assert "----" not in first
    result = CliRunner().invoke(cli, ["convert", "-f", "bibtex", "-t", "bibtex"], input=first)
    again = CliRunner().invoke(cli, ["convert", "-f", "bibtex", "-t", "bibtex"],
                               input=result.stdout)  # fmt: skip
    assert again.stdout == result.stdout


# --- the refconv field ----------------------------------------------------------------------

_LINE = st.text(
    st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=20
).filter(lambda s: s.strip() == s)


@given(st.lists(_LINE, min_size=1, max_size=5))
def test_the_refconv_field_reads_back_exactly(lines):
    """``; ``, ``\\;``, backslashes and braces in a line: ``split_kept`` gives the lines back,
    and the written field is one BibTeX value whatever its braces."""
    joined = join_kept(lines)
    assert split_kept(joined) == lines
    entry = bibtexparser.parse_string("@misc{k, refconv = {" + joined + "}}").entries[0]
    assert entry.fields_dict["refconv"].value == joined


RECORD_WITH_BOOKKEEPING = {
    "id": "a", "type": "article-journal", "title": "T", "note": "Own note",
    "archive_location": "Box 3", "original-title": "Urtitel", "status": "in press",
    "custom": {"%0": ["Electronic Article"], "my key": ["v; w"], "DOI": ["not the doi"]},
}  # fmt: skip


@pytest.mark.parametrize("target", ["bibtex", "biblatex"])
def test_values_without_a_field_go_to_the_refconv_field_never_the_note(target):
    text, _ = write([RECORD_WITH_BOOKKEEPING], target)
    fields = fields_of(text)
    assert fields["note"] == "Own note"
    assert "annotation" not in fields
    kept = split_kept(fields["refconv"])
    assert "Reference Type (%0): Electronic Article" in kept
    assert '"my key": v; w' in kept and '"DOI": not the doi' in kept
    assert "archive_location: Box 3" in kept
    if target == "bibtex":
        assert {"original-title: Urtitel", "status: in press"} <= set(kept)
    else:
        assert (fields["origtitle"], fields["pubstate"]) == ("Urtitel", "inpress")


@pytest.mark.parametrize("target", ["bibtex", "biblatex"])
def test_the_refconv_field_reads_back_into_its_places(target):
    """Every value comes back where it was, and the second trip writes the first's text."""
    (back,) = read_back(write([RECORD_WITH_BOOKKEEPING], target)[0])
    item = {k: v for k, v in RECORD_WITH_BOOKKEEPING.items() if k != "id"}
    assert {k: back[k] for k in item} == item
    again = write([back], target)[0]
    assert write(read_back(again), target)[0] == again


# --- crossref and @preamble -------------------------------------------------------------------


@pytest.mark.parametrize("writer", [BibtexWriter, BiblatexWriter])
def test_a_child_keeps_its_crossref(writer):
    child = Record(type="chapter", id="child", fields={"title": "C"}, extra={"crossref": ["par"]})
    parent = Record(type="book", id="par", fields={"title": "P"})
    out, diagnostics = io.StringIO(), Collect()
    writer(diagnostics=diagnostics).write([child, parent], out)
    entries = bibtexparser.parse_string(out.getvalue()).entries
    assert entries[0].fields_dict["crossref"].value == "par"
    assert "refconv" not in entries[0].fields_dict
    assert diagnostics.messages == []


def test_a_parent_written_before_its_child_is_reported():
    """bibtex(1) takes fields only from a parent after its children; the writer keeps the
    order it is given (a stream) and says so."""
    child = Record(type="chapter", id="child", fields={"title": "C"}, extra={"crossref": ["Par"]})
    parent = Record(type="book", id="par", fields={"title": "P"})
    diagnostics = Collect()
    BibtexWriter(diagnostics=diagnostics).write([parent, child], io.StringIO())
    assert len(diagnostics.messages) == 1
    assert "crossref to 'Par', written before this entry" in diagnostics.messages[0]


@pytest.mark.parametrize("crossref", [["a", "b"], ["bad key"], ["x}y"]])
def test_a_crossref_that_is_no_single_key_is_kept(crossref):
    record = Record(type="book", id="k", fields={"title": "T"}, extra={"crossref": crossref})
    out = io.StringIO()
    BibtexWriter(diagnostics=Collect()).write([record], out)
    fields = fields_of(out.getvalue())
    assert "crossref" not in fields
    assert split_kept(fields["refconv"]) == [f'"crossref": {c}' for c in crossref]


PREAMBLE = "\\providecommand{\\noopsort}[1]{}\n\\newcommand{\\mysc}[1]{\\textsc{#1}}"


def test_a_preamble_is_written_verbatim_before_its_entry():
    records = [
        Record(type="book", id="a", fields={"title": "A"}),
        Record(type="book", id="b", fields={"title": "B"}, extra={"@preamble": [PREAMBLE]}),
    ]
    out, diagnostics = io.StringIO(), Collect()
    BibtexWriter(diagnostics=diagnostics).write(records, out)
    text = out.getvalue()
    assert "@preamble{{" + PREAMBLE + "}}\n@book{b," in text
    assert text.index("@book{a,") < text.index("@preamble")
    library = bibtexparser.parse_string(text)
    assert [p.value for p in library.preambles] == ["{" + PREAMBLE + "}"]
    assert "refconv" not in library.entries[1].fields_dict
    assert diagnostics.messages == []


@pytest.mark.parametrize(
    ("preamble", "why"),
    [("\\def\\x{", "its braces do not balance"), ("}@comment{", "its braces do not balance"),
     ("ok\n @article{x}", 'a line starts with "@", which would start another entry')],
)  # fmt: skip
def test_a_preamble_that_would_break_out_is_kept_with_a_warning(preamble, why):
    record = Record(type="book", id="b", fields={"title": "B"}, extra={"@preamble": [preamble]})
    out, diagnostics = io.StringIO(), Collect()
    BibtexWriter(diagnostics=diagnostics).write([record], out)
    library = bibtexparser.parse_string(out.getvalue())
    assert not library.failed_blocks and not library.preambles
    (entry,) = library.entries
    assert split_kept(entry.fields_dict["refconv"].value) == [f'"@preamble": {preamble}']
    assert [m.split(": ", 1)[1] for m in diagnostics.messages] == [
        f"@preamble: {why}{', so it cannot be written as a @preamble' if 'brace' in why else ''}"
        "; kept in refconv"
    ]


# --- goldens ----------------------------------------------------------------------------------


@pytest.mark.parametrize("target", ["bibtex", "biblatex"])
def test_golden_print_writer(target):
    """CSL-JSON with markup, dashes, bookkeeping, a crossref and a preamble, as each dialect."""
    result = CliRunner().invoke(cli, ["convert", str(GOLDEN_INPUT), "-t", target])
    assert result.exit_code == 0, result.stderr
    golden = GOLDEN_INPUT.with_suffix(f".{target}.bib")
    if UPDATE_GOLDENS:
        golden.write_text(result.stdout, "utf-8")
    assert result.stdout == golden.read_text("utf-8")


# --- the real consumers -----------------------------------------------------------------------

#: style → (writer, preamble, bibliography commands).
STYLES = {
    "plain": ("bibtex", "", "\\bibliographystyle{plain}\\bibliography{refs}"),
    "alpha": ("bibtex", "", "\\bibliographystyle{alpha}\\bibliography{refs}"),
    "plainnat": ("bibtex", "\\usepackage{natbib}", "\\bibliographystyle{plainnat}"
                 "\\bibliography{refs}"),
    "ieeetr": ("bibtex", "", "\\bibliographystyle{ieeetr}\\bibliography{refs}"),
    "authoryear": ("biblatex", "\\usepackage[backend=biber,style=authoryear]{biblatex}"
                   "\\addbibresource{refs.bib}", "\\printbibliography"),
}  # fmt: skip

#: Records with values that have a printed field in every style, and bookkeeping.
PRINT_ITEMS = [
    {"id": "okafor", "type": "article-journal", "author": [{"family": "Okafor", "given": "Ngozi"}],
     "title": "Sparse routing in <i>mesh</i> networks", "container-title": "Journal of Meshes",
     "volume": "12", "page": "435–446", "issued": {"date-parts": [[2021]]},
     "note": "Preprint seen by the author", "archive_location": "Shelf QX9",
     "custom": {"%0": ["Electronic Article"], "Notes": ["zzbookkeeping"]}},
    {"id": "marsh", "type": "paper-conference", "author": [{"family": "Marsh", "given": "Alan"}],
     "title": "Energy budgets for sensor fleets", "event-title": "Workshop on Sensing",
     "event-place": "Tromsø", "publisher": "ACM", "page": "7–19",
     "issued": {"date-parts": [[2019]]}, "event-date": {"date-parts": [[2018, 5, 3]]},
     "custom": {"%0": ["Conference Proceedings"]}},
]  # fmt: skip
PRINTED = ["Okafor", "Sparse routing in mesh networks", "Journal of Meshes", "12", "435–446",
           "2021", "Preprint seen by the author", "Marsh", "Energy budgets for sensor fleets",
           "Workshop on Sensing", "Tromsø", "ACM", "7–19", "2019"]  # fmt: skip
BOOKKEEPING = ["refconv", "event-", "Reference Type", "%0", "Electronic Article",
               "Conference Proceedings", "archive", "Shelf QX9", "zzbookkeeping",
               "Notes"]  # fmt: skip


def _run(command: list[str], cwd: Path) -> str:
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    log = result.stdout + result.stderr
    assert result.returncode == 0, log
    return log


# pdflatex twice and bibtex or biber per style: about 5 s for the five, so not marked slow
@pytest.mark.parametrize("style", list(STYLES))
def test_the_pdf_prints_every_value_and_no_bookkeeping(style, tmp_path):
    writer, preamble, bibliography = STYLES[style]
    pdflatex = require_tool("pdflatex", "texlive-latex-base")
    pdftotext = require_tool("pdftotext", "poppler-utils")
    backend = require_tool("biber" if writer == "biblatex" else "bibtex",
                           "biber" if writer == "biblatex" else "texlive-binaries")  # fmt: skip
    text, _ = write(PRINT_ITEMS, writer)
    (tmp_path / "refs.bib").write_text(text, "utf-8")
    (tmp_path / "doc.tex").write_text(
        "\\documentclass{article}\n\\usepackage[utf8]{inputenc}\n"  # OT1: Type 1 fonts
        "\\input{glyphtounicode}\\pdfgentounicode=1\n"  # dashes, quotes, ligatures as text
        f"{preamble}\n\\hyphenpenalty=10000\\exhyphenpenalty=10000\\sloppy\n"
        "\\begin{document}\n\\nocite{*}\n" + bibliography + "\n\\end{document}\n",
        "utf-8",
    )
    latex = [pdflatex, "-interaction=nonstopmode", "-halt-on-error", "doc.tex"]
    _run(latex, tmp_path)
    log = _run([backend, "doc"], tmp_path)
    if writer == "biblatex":
        assert not re.search(r"^(ERROR|WARN) ", log, re.MULTILINE), log
    else:
        assert "Warning--" not in (tmp_path / "doc.blg").read_text("utf-8"), log
    _run(latex, tmp_path)
    printed = _run([pdftotext, "-enc", "UTF-8", "doc.pdf", "-"], tmp_path)
    printed = " ".join(unicodedata.normalize("NFKC", printed).split())
    for value in PRINTED:
        assert value in printed, (value, printed)
    for mark in BOOKKEEPING:
        assert mark not in printed, (mark, printed)
    # refconv reads the same file back: every value, the bookkeeping in its place (the title's
    # markup and the page range's dash as the BibTeX reader gives them)
    back = read_back(text)
    for item, again in zip(PRINT_ITEMS, back, strict=True):
        assert {k: _plain(again.get(k)) for k in item if k != "id"} == {
            k: _plain(v) for k, v in item.items() if k != "id"
        }


def _plain(value: object) -> object:
    if not isinstance(value, str):
        return value
    return re.sub(r"</?i>", "", value).replace("\u2013", "-")


# issue 18's fast paths of protect_title against the plain rules they shortcut
_TITLE_TEXT = st.text(alphabet="aZé9 -`'!?&%_{}$~^\\.,:ǅİ", max_size=30)


def _needs_protection_plain(word: str, first: bool, sentence_case: bool) -> bool:
    if any(c.isupper() for c in word[1:]) or (
        any(c.isdigit() for c in word[1:]) and any(c.isupper() for c in word)
    ):
        return True
    return sentence_case and not first and word[:1].isupper()


@given(st.text(alphabet="aZé9ǅİ'.", min_size=1, max_size=8), st.booleans(), st.booleans())
def test_needs_protection_fast_path(word: str, first: bool, sentence_case: bool) -> None:
    assert latex._needs_protection(word, first, sentence_case) == _needs_protection_plain(
        word, first, sentence_case
    )


@given(_TITLE_TEXT)
def test_protect_title_escapes_as_piece_by_piece(title: str) -> None:
    balanced = latex.braces_balance(title)
    words = latex._WORD.findall(title)
    sentence_case = any(w[:1].islower() for w in words[1:] if len(w) > 3)
    out, position = [], 0
    for n, match in enumerate(latex._WORD.finditer(title)):
        out.append(latex.escape(title[position : match.start()], balanced=balanced))
        word = latex.escape(match[0], balanced=balanced)
        needs = _needs_protection_plain(match[0], n == 0, sentence_case)
        out.append("{" + word + "}" if needs else word)
        position = match.end()
    out.append(latex.escape(title[position:], balanced=balanced))
    if "<" not in title:  # no rich text: the plain path
        assert latex.protect_title(title) == "".join(out)
