"""@string macros and '#' concatenation (refconv/formats/bibtex/read.py ``Macros``), and
@preamble kept with a record: a table of value shapes, and hypothesis for the class of
values made of braced, quoted, numeric and macro pieces."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from refconv.formats.base import ReadRules
from refconv.formats.bibtex.read import BibtexReader, Macros, split_value
from refconv.io import iter_lines

from .conftest import Collect


def read(text: str, path: str = "t.bib"):
    diagnostics = Collect()
    lines = iter_lines(io.BytesIO(text.encode()), path, diagnostics)
    return list(BibtexReader(diagnostics=diagnostics).read(lines, path)), diagnostics.messages


def expand(raw: str, field: str = "note", **macros: str) -> tuple[str, list[str]]:
    warnings: list[str] = []
    expander = Macros(ReadRules(lambda m, p, n, code: warnings.append(f"{n}: {m}"), "t"))
    for name, value in macros.items():
        expander.define(name, value, 1)
    return expander.expand(raw, 7, field), warnings


@pytest.mark.parametrize(
    ("raw", "field", "expected", "warnings"),
    [
        pytest.param("{a} # {b}", "title", "ab", [], id="braced"),
        pytest.param('"a" # "b"', "title", "ab", [], id="quoted"),
        pytest.param('"Tidal " # {mixing} # " in fjords"', "title", "Tidal mixing in fjords", [],
                     id="mixed"),
        pytest.param("dtv # { and Walter de Gruyter}", "publisher", "dtv and Walter de Gruyter",
                     [], id="macro-and-braced"),
        pytest.param("DTV", "publisher", "dtv", [], id="macro-names-are-case-insensitive"),
        pytest.param('"M{\\"u}nchen"', "address", 'M{\\"u}nchen', [], id="quote-inside-braces"),
        pytest.param("{a \\} b}", "title", "a \\} b", [], id="escaped-brace"),
        pytest.param("{{DNA} repair}", "title", "{DNA} repair", [], id="inner-braces-kept"),
        pytest.param("{\\def\\a#1{#1}}", "title", "\\def\\a#1{#1}", [], id="hash-in-braces"),
        pytest.param("2011", "year", "2011", [], id="number"),
        pytest.param("1999 # {--} # 2000", "year", "1999--2000", [], id="numbers-joined"),
        pytest.param("jan", "month", "jan", [], id="month-macro-in-month"),
        pytest.param('jan # "~15"', "month", "jan~15", [], id="month-macro-with-day"),
        pytest.param('"Issued " # dec', "note", "Issued December", [], id="month-macro-in-note"),
        pytest.param("nosuch # { text}", "note", "nosuch text",
                     ["7: note: undefined @string macro 'nosuch'; kept as its name"],
                     id="undefined-macro"),
        pytest.param("{a} b", "note", "{a} b", [], id="not-bibtex-syntax-kept"),
        pytest.param("{a} #", "note", "{a} #", [], id="trailing-hash-kept"),
        pytest.param('"open', "note", '"open', [], id="unclosed-quote-kept"),
    ],
)  # fmt: skip
def test_value_shapes(raw: str, field: str, expected: str, warnings: list[str]) -> None:
    assert expand(raw, field, dtv='"dtv"') == (expected, warnings)


def test_a_macro_defined_later_is_undefined_as_in_bibtex() -> None:
    records, messages = read(
        '@misc{a, title = "Series " # later}\n@string{later = {Reihe}}\n'
        '@misc{b, title = "Series " # later}\n@string{LATER = "Neue " # later}\n'
        "@misc{c, title = later}\n"
    )
    assert [r.fields["title"] for r in records] == ["Series later", "Series Reihe", "Neue Reihe"]
    assert messages == ["t.bib:1: title: undefined @string macro 'later'; kept as its name"]


def test_a_user_macro_named_like_a_month_wins() -> None:
    records, _ = read('@string{jan = "Janvier"}\n@misc{a, title = {T}, note = jan, year = 2000}')
    assert records[0].fields["note"] == "Janvier"


#: Text that BibTeX's syntax can carry inside braces and quotes: no delimiters, no backslash
#: (an escape is another test's business).
def pieces(text: st.SearchStrategy[str]) -> st.SearchStrategy[list[tuple[str, str]]]:
    """(source, text) pieces of a value: braced, quoted, a number or a macro name."""
    return st.lists(
        st.one_of(
            text.map(lambda t: ("{" + t + "}", t)),
            text.map(lambda t: ('"' + t + '"', t)),
            st.integers(0, 10**6).map(lambda n: (str(n), str(n))),
            NAMES.map(lambda n: (n, MACROS[n.lower()])),
        ),
        min_size=1,
        max_size=6,
    )


#: Text that BibTeX's syntax can carry inside braces and quotes: no delimiters, no backslash
#: (an escape is another test's business).
TEXT = st.text(st.characters(blacklist_characters='{}"\\', blacklist_categories=("Cs",)))
#: The same on one line of a text file (no control or line-separator characters).
LINE_TEXT = st.text(
    st.characters(blacklist_characters='{}"\\', blacklist_categories=("Cs", "Cc", "Zl", "Zp"))
)
NAMES = st.sampled_from(["pub", "place", "Series", "x1"])
MACROS = {"pub": "Harbour Press", "place": "Bergen and Oslo", "series": "S # 1", "x1": ""}
PIECES = pieces(TEXT)
SPACES = st.sampled_from(["", " ", "\n  ", "\t"])


@given(PIECES, SPACES)
def test_concatenation_is_the_pieces_joined(parts: list[tuple[str, str]], space: str) -> None:
    raw = f"{space}#{space}".join(source for source, _ in parts)
    macros = {"pub": '"Harbour Press"', "place": "{Bergen and Oslo}", "Series": "{S # 1}",
              "x1": '""'}  # fmt: skip
    assert expand(raw, **macros) == ("".join(text for _, text in parts), [])
    assert split_value(raw) is not None


@settings(max_examples=40, deadline=None)
@given(pieces(LINE_TEXT))
def test_the_reader_expands_every_field(parts: list[tuple[str, str]]) -> None:
    """Through the reader, in a field kept verbatim (``eprint``): the same text."""
    value = " # ".join(source for source, _ in parts)
    expected = "".join(text for _, text in parts)
    text = (
        '@string{pub = "Harbour Press"}\n@string{place = {Bergen and Oslo}}\n'
        '@string{series = {S # 1}}\n@string{x1 = ""}\n'
        f"@misc{{k, title = {{T}}, eprint = {value}}}\n"
    )
    records, messages = read(text)
    assert messages == []
    assert records[0].extra.get("eprint", []) == ([expected.strip()] if expected.strip() else [])


def test_preambles_go_with_the_next_record_or_the_last() -> None:
    records, messages = read(
        '@preamble{"\\newcommand{\\noop}[1]{}"}\n@misc{a, title = {A}}\n'
        "@preamble{{\\def\\x#1{#1}}}\n@xdata{d, note = {N}}\n@misc{b, title = {B}, xdata = {d}}\n"
        '@preamble{"\\relax" # "\\relax"}\n'
    )
    assert records[0].extra == {"@preamble": ["\\newcommand{\\noop}[1]{}"]}
    assert records[1].extra == {"@preamble": ["\\def\\x#1{#1}", "\\relax\\relax"]}
    assert messages == []


def test_a_preamble_without_records_is_reported() -> None:
    records, messages = read('@preamble{"\\relax"}\n')
    assert records == []
    assert messages == [
        "t.bib:1: @preamble with no entry to go with; not carried (skipped)",
        "t.bib:1: no records found (a BibTeX entry starts with '@')",
    ]


@pytest.mark.parametrize(
    ("text", "comment_lines"),
    [
        pytest.param("@misc{k,\n%title = {old},\n title = {T}}\n", [2], id="field-commented"),
        pytest.param("@misc{k,\n  % a note\n title = {T}}\n", [2], id="indented-remark"),
        pytest.param("@misc{k, title = {T\n% inside braces\n}}\n", [], id="in-braced-value"),
        pytest.param('@misc{k, title = "T\n% inside quotes\n"}\n', [], id="in-quoted-value"),
        pytest.param('@misc{k, title = "T {"} x",\n% after a quote in braces\n}\n', [2],
                     id="quote-in-braces-is-text"),
        pytest.param("@comment{\n% nothing\n}\n@misc{k, title = {T}}\n", [], id="at-comment"),
        pytest.param("Text { before\n@misc{k,\n% c\n title = {T}}\n", [3],
                     id="braces-outside-blocks-do-not-count"),
        pytest.param("@misc{k, title = {T}}\n% between entries\n", [], id="between-entries"),
        pytest.param("@misc{k, title = {T}}}\n@misc{j,\n%x = {y},\n title = {U}}\n", [3],
                     id="stray-closing-brace"),
    ],
)  # fmt: skip
def test_percent_lines_inside_entries(text: str, comment_lines: list[int]) -> None:
    """A line starting with % between an entry's fields is skipped with a warning (biber's
    reading); inside a value, or outside entries, it is text as before."""
    records, messages = read(text)
    warned = [int(m.split(":")[1]) for m in messages if "a line starting with %" in m]
    assert warned == comment_lines
    assert all(not k.startswith("%") for r in records for k in r.extra)
    assert [m for m in messages if "a line starting with %" not in m] == []
