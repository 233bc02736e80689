"""LaTeX in BibTeX values to Unicode (refconv/formats/bibtex/decode.py, issue 16 item 3): one
path for every value, unknown commands kept and reported, math, and CSL's nocase spans checked
with citeproc-js, the consumer that reads them."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from refconv.formats.bibtex.decode import decode_latex, decode_report

from . import citeproc_js

SPAN = '<span class="nocase">'

# (input, plain text, unknown commands)
ROWS = [
    pytest.param("plain words", "plain words", [], id="nothing_to_decode"),
    pytest.param("pages 1--5", "pages 1–5", [], id="en_dash_without_backslash"),
    pytest.param("A---B", "A—B", [], id="em_dash_without_backslash"),
    pytest.param("``quoted''", "“quoted”", [], id="tex_quotes_without_backslash"),
    pytest.param(r"\'E 1--5 ``q''", "É 1–5 “q”", [], id="ligatures_with_backslash"),
    pytest.param("a\n        b\tc  d", "a b c d", [], id="whitespace_runs_collapse"),
    pytest.param("  padded  ", "padded", [], id="outer_whitespace"),
    pytest.param("a~b", "a\xa0b", [], id="tie_is_no_break_space"),
    pytest.param(r"\TeX\ and \LaTeX{} books", "TeX and LaTeX books", [], id="tex_logos"),
    pytest.param(r"input\slash output", "input/output", [], id="slash"),
    pytest.param(r"pre\hyphen war", "pre-war", [], id="hyphen"),
    pytest.param(r"\enquote{a \enquote{b}}", "“a ‘b’”", [], id="enquote_nested"),
    pytest.param(r"\mkbibquote{x}", "“x”", [], id="mkbibquote"),
    pytest.param(r"\enquote*{x}", "‘x’", [], id="enquote_starred_inner"),
    pytest.param(
        r"\mkbibquote{a \mkbibquote{b \mkbibquote{c}}}", "“a ‘b “c”’”", [], id="three_deep"
    ),
    pytest.param(r"\textit{x} \emph{y} \textbf{z} \textsc{w}", "x y z w", [], id="font_commands"),
    pytest.param(r"\mkbibemph{x} {\em y} {\bfseries z}", "x y z", [], id="biblatex_and_switches"),
    pytest.param(r"\foo{bar} baz", "bar baz", [r"\foo"], id="unknown_keeps_argument"),
    pytest.param(r"see \cite{other}", "see other", [r"\cite"], id="cite_is_not_a_placeholder"),
    pytest.param(r"\ref{fig} \ref{tab}", "fig tab", [r"\ref"], id="reported_once"),
    pytest.param(r"\unknown word", "word", [r"\unknown"], id="unknown_without_argument"),
    pytest.param(r"\begin{foo}x\end{foo}", "x", [r"\begin{foo}"], id="unknown_environment"),
    pytest.param(r"$\alpha$-helix", "α-helix", [], id="math_greek"),
    pytest.param(r"$x^2$ and $x^{n+1}$", "x² and xⁿ⁺¹", [], id="math_superscripts"),
    pytest.param(r"$H_2O$", "H₂O", [], id="math_subscript"),
    pytest.param(r"$\mathbf{P}^{1}$", "𝐏¹", [], id="math_bold_superscript"),
    pytest.param(r"$x^{\alpha}$ ok", r"$x^{\alpha}$ ok", [], id="math_kept_when_no_unicode"),
    pytest.param(r"$\foo{x}$", r"$\foo{x}$", [], id="math_unknown_kept_verbatim"),
    pytest.param(r"\textsuperscript{2}nd", "²nd", [], id="textsuperscript"),
    pytest.param(r"\textsuperscript{th}", "th", [], id="textsuperscript_without_unicode"),
    pytest.param(r"M{\"u}ller {\'e}t\'e \c{c} \ss{} \o", "Müller été ç ß ø", [], id="accents"),
    pytest.param(r"50\% \& 50% & more", "50% & 50% & more", [], id="bare_percent_and_amp"),
    pytest.param(r"\{x\} \$ \# \_ \^{} \~{}", "{x} $ # _ ^ ~", [], id="escapes"),
    pytest.param(r"a_b c^d e#f \'x", "a_b c^d e#f x́", [], id="plain_specials_kept"),
    pytest.param(r"{unbalanced \'e", "unbalanced é", [], id="unbalanced_open"),
    pytest.param(r"closing} \'e", "closing é", [], id="unbalanced_close"),
    pytest.param(r"cost $5 \'e", r"cost $5 é", [], id="unclosed_math"),
    pytest.param(r"\url{https://x.org/a_b}", "<https://x.org/a_b>", [], id="url_as_before"),
    pytest.param(r"cut \url", "cut", [], id="url_without_argument"),
    pytest.param(r"cut \href", "cut", [], id="href_without_argument"),
    pytest.param(r"\href{https://x.org}{site}", "site <https://x.org>", [], id="href"),
    pytest.param(r"\input{file} \input", "file", [r"\input"], id="input_is_not_read"),
    pytest.param(r"\today", "", [r"\today"], id="today_is_not_the_date_of_the_run"),
    pytest.param("{Whole Title}", "Whole Title", [], id="whole_value_braces"),
    pytest.param(r"{\noopsort{b}}Alpha", "Alpha", [], id="noopsort_sorts_only"),
    pytest.param("!`Hola! ?`Qu\\'e?", "¡Hola! ¿Qué?", [], id="spanish_ligatures"),
    pytest.param("-{}- {-}{-} `{}` '{}'", "-- -- `` ''", [], id="no_ligature_across_braces"),
    pytest.param("\\'e -{}- {-}{-}", "é -- --", [], id="no_ligature_across_braces_parsed"),
]


@pytest.mark.parametrize(("value", "text", "unknown"), ROWS)
def test_decode_table(value: str, text: str, unknown: list[str]) -> None:
    assert decode_report(value) == (text, unknown)
    assert decode_latex(value) == text


# (input, text with nocase=True)
NOCASE_ROWS = [
    pytest.param("The {DNA} of x", f"The {SPAN}DNA</span> of x", id="acronym"),
    pytest.param("On {ibn Bajja}", f"On {SPAN}ibn Bajja</span>", id="name"),
    pytest.param(r"{\'E}t{\'e} {\ss} {\"O}", "Été ß Ö", id="accent_groups_are_not_protection"),
    # the value without its field delimiters: title = {{Whole Title}} protects it (biber)
    pytest.param("{Whole Title}", f"{SPAN}Whole Title</span>", id="inner_whole_group_protects"),
    pytest.param("{{Whole Title}}", f"{SPAN}Whole Title</span>", id="double_braced_value"),
    pytest.param("A {{DNA}} B", f"A {SPAN}DNA</span> B", id="nested_groups_one_span"),
    pytest.param(r"{\TeX} and {\emph{RNA}}", f"{SPAN}TeX</span> and {SPAN}RNA</span>", id="cmd"),
    pytest.param("{1984} and {}", "1984 and", id="no_cased_letter_no_span"),
    pytest.param(r"\foo{DNA} x", "DNA x", id="unknown_command_argument_is_not_protection"),
    pytest.param(r"\emph{The {DNA}}", f"The {SPAN}DNA</span>", id="inside_an_argument"),
    pytest.param(r"a < b \& c > d", "a < b & c > d", id="lt_gt_amp_stay_text"),
    pytest.param(
        "x <i>y</i>", f"x {SPAN}<</span>i>y{SPAN}<</span>/i>", id="tag_like_text_is_not_markup"
    ),
    pytest.param("plain -- text", "plain – text", id="no_braces_no_span"),
]


@pytest.mark.parametrize(("value", "rich"), NOCASE_ROWS)
def test_nocase_table(value: str, rich: str) -> None:
    assert decode_latex(value, nocase=True) == rich
    # without the spans it is the plain text
    assert re.sub(r'<span class="nocase">|</span>', "", rich) == decode_latex(value)


@pytest.mark.parametrize(
    ("value", "lines"),
    [
        pytest.param("a\nb", "a\nb", id="line_break"),
        pytest.param("a  \n   b \t c\n", "a\nb c", id="runs_around_breaks"),
        pytest.param("issued: 1999\nReviewed by \\'E", "issued: 1999\nReviewed by É", id="parsed"),
    ],
)
def test_keep_lines(value: str, lines: str) -> None:
    assert decode_latex(value, keep_lines=True) == lines
    assert decode_latex(value) == lines.replace("\n", " ")


@pytest.mark.parametrize(
    "value",
    ["one\n\ntwo", "one \n  \n\n two", "one\\par two", "one\\par{}two", "{one}\n\n{two}"],
)
def test_a_paragraph_break_is_a_line_break(value: str) -> None:
    """LaTeX reads a blank line as \\par: the only whitespace that is not one space."""
    assert decode_latex(value) == "one\ntwo"


def test_keep_math() -> None:
    assert decode_report(r"$\alpha$ and \'e", keep_math=True) == (r"$\alpha$ and é", [])


# --- properties -------------------------------------------------------------------------------

WORDS = st.from_regex(r"[A-Za-z][a-z]{0,7}", fullmatch=True)
# the pieces of LaTeX-ish values: words, and the characters and commands that decoding handles
PIECES = [
    "{", "}", "\\", "$", "~", "--", "---", "``", "''", "%", "&", "#", "_", "^", "[", "]", "!`",
    "<", "*", "\n", " ", "\\'", '\\"', "\\c", "\\emph", "\\foo", "\\cite", "\\enquote*",
    "\\\\", "\\{", "\\}", "\\$", "\\&", "\\begin{x}", "\\end{x}", "\\TeX", "\\url",
]  # fmt: skip
LATEXISH = st.lists(st.one_of(WORDS, st.sampled_from(PIECES)), max_size=25).map(" ".join)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(value=LATEXISH, nocase=st.booleans())
@example(value=r"\foo{bar} \cite[p]{k} % rest", nocase=False)
@example(value=r"$x {y} \emph{z}", nocase=True)
@example(value=r"\url", nocase=False)
@example(value=r"\input", nocase=False)
@example(value=r"\url \url x", nocase=False)
def test_decoding_never_raises_and_keeps_every_word(
    value: str, nocase: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    """A word that is not a command name (nor the name of an environment, which its \\begin
    reports) is in the output: nothing vanishes."""
    text, unknown = decode_report(value, nocase=nocase)
    assert isinstance(text, str) and all(u.startswith("\\") for u in unknown)
    # words of the input outside command names and math (math is either rendered or verbatim)
    outside = re.sub(r"\\(?:begin|end)\{x\}|\\[A-Za-z]+", " ", value)
    # an accent command puts its mark on the next letter: compare the letters without marks
    # (and an undelimited argument is one letter: \\enquote* Aa gives ‘A’a): letters only
    bare = "".join(c for c in unicodedata.normalize("NFD", text) if c.isascii() and c.isalpha())
    for word in re.findall(r"[A-Za-z]+", outside):
        assert word in bare
    assert capsys.readouterr().err == ""  # pylatexenc's log lines are not refconv's stderr


BRACES_ONLY = st.lists(
    st.one_of(WORDS, st.sampled_from(["{", "}", "~", "--", "---", "``", "''", "!`", "?`", "%",
                                      "&", "#", "_", "^", " ", "\n  ", "-", "`", "'"])),
    max_size=20,
).map("".join)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(BRACES_ONLY)
@example("{-}{-}-{}-")
def test_fast_path_agrees_with_the_parser(value: str) -> None:
    """Values with no command or math skip the parser: a \\relax (no text) forces it, and the
    text must be the same."""
    assert decode_latex(value) == decode_latex("\\relax{}" + value)


def test_plain_values_are_returned_unchanged() -> None:
    value = "Journal of Things, vol. 3 (2001): 10-20; O'Brien's"
    assert decode_report(value) == (value, [])
    assert decode_latex(value) is value


# --- the consumer of nocase spans -------------------------------------------------------------

STYLE = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
<info><title>t</title><id>t</id><updated>2020-01-01T00:00:00+00:00</updated></info>
<citation><layout><text variable="title"/></layout></citation>
<bibliography><layout><group delimiter=" | "><text variable="title"/>
<text variable="title" text-case="lowercase"/></group></layout></bibliography></style>"""


def test_citeproc_js_reads_the_spans_and_no_other_markup() -> None:
    """citeproc-js keeps a nocase span's case, prints < > & as text, and a tag-like text stays
    text (it does not unescape entities, so escaping would print "&lt;")."""
    values = [r"The {DNA} of {\'E}mile", r"a < b \& c > d", "x <i>y</i> <b>z</b>"]
    items = [
        {"id": str(i), "type": "book", "title": decode_latex(v, nocase=True)}
        for i, v in enumerate(values)
    ]
    assert citeproc_js.render({"styles": {"t": STYLE}, "items": items})["t"] == [
        "The DNA of Émile | the DNA of émile",
        "a < b & c > d | a < b & c > d",
        "x <i>y</i> <b>z</b> | x <i>y</i> <b>z</b>",
    ]
