import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from refconv.values.identifiers import classify_serials, find_doi, is_valid_isbn, is_valid_issn
from refconv.values.pages import normalize_extent, normalize_pages
from refconv.values.text import (
    NOCASE,
    join_keywords,
    split_keyword_text,
    split_keywords,
    strip_nocase,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("332-373", "332-373"),
        ("435–446", "435-446"),
        ("435 — 446", "435-446"),
        ("332--373", "332-373"),
        ("273-8", "273-278"),
        ("1234-56", "1234-1256"),
        ("94-98,93", "94-98,93"),
        ("e1234", "e1234"),
        ("S12–S20", "S12-S20"),
        ("C3-32--C3-35", "C3-32--C3-35"),
        ("107 111", "107 111"),
        ("12", "12"),
    ],
)
def test_normalize_pages(text, expected):
    assert normalize_pages(text) == expected


def test_normalize_pages_is_idempotent():
    for text in ("273-8", "435–446", "94-98,93", "C3-32--C3-35"):
        once = normalize_pages(text)
        assert normalize_pages(once) == once


@pytest.mark.parametrize(
    ("text", "expected"),
    [("173 s.", "173"), ("327 pp.", "327"), ("pp. 327", "327"), ("XX, 327", "XX, 327")],
)
def test_normalize_extent(text, expected):
    assert normalize_extent(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10.5402/2012/428062", "10.5402/2012/428062"),
        ("doi:10.1353/arq.1997.0020", "10.1353/arq.1997.0020"),
        ("DOI: 10.1353/arq.1997.0020", "10.1353/arq.1997.0020"),
        ("https://doi.org/10.1353/arq.1997.0020", "10.1353/arq.1997.0020"),
        ("http://dx.doi.org/10.1353/arq.1997.0020", "10.1353/arq.1997.0020"),
        (
            "10.1175/1520-0485(1996)026<2712:TEOIWU>2.0.CO;2",
            "10.1175/1520-0485(1996)026<2712:TEOIWU>2.0.CO;2",
        ),
        ("https://doi.org/10.1002/%28SICI%291097", "10.1002/(SICI)1097"),
        ("URN:NBN:no-nb_digibok_2016062048105", ""),
        ("Computing Science Technical Report No. 54", ""),
    ],
)
def test_find_doi(text, expected):
    assert find_doi(text) == expected


@pytest.mark.parametrize(
    ("text", "isbns", "issns", "other"),
    [
        ("1008-0821", [], ["1008-0821"], []),
        ("0926-9630 (Print)", [], ["0926-9630"], []),
        ("0926-9630 (Print); 1879-8365 (Electronic)", [], ["0926-9630", "1879-8365"], []),
        ("ISSN 1234-5678", [], ["1234-5678"], []),
        ("8203107354", ["8203107354"], [], []),
        ("978-3-86490-311-3", ["978-3-86490-311-3"], [], []),
        ("12345", [], [], ["12345"]),
        ("none given", [], [], ["none", "given"]),
    ],
)
def test_classify_serials(text, isbns, issns, other):
    assert classify_serials(text) == (isbns, issns, other)


def test_checksums():
    assert is_valid_isbn("0201896834")
    assert is_valid_isbn("978-92-4-000510-5")
    assert not is_valid_isbn("978-92-4-000510-4")
    assert is_valid_issn("0001-0782")
    assert not is_valid_issn("0001-0783")


def test_keywords():
    assert split_keywords(["DNA", "Nucleic Acids"]) == ["DNA", "Nucleic Acids"]
    assert split_keywords(["a; b ;c"]) == ["a", "b", "c"]
    assert split_keywords(["Quality Assurance, Health Care"]) == ["Quality Assurance, Health Care"]
    assert split_keywords(["a b c"]) == ["a b c"]
    assert split_keywords(["Heart &amp; Lung; x &#8211; y;z"]) == [
        "Heart &amp; Lung", "x &#8211; y", "z"]  # fmt: skip
    assert split_keywords(["a &; b", ";;", "&"]) == ["a &; b", ";;", "&"]  # lines: as they are
    assert split_keywords(["a &; b"]) == ["a &", "b"]  # "&;" is no entity
    assert split_keywords(["R&D; innovation; AT&T; telecom"]) == [
        "R&D",
        "innovation",
        "AT&T",
        "telecom",
    ]  # fmt: skip  ("&D;", "&T;": no HTML entity)
    assert split_keywords([";;"]) == [";;"]  # only separators: the keyword as written
    assert split_keyword_text("alpha; beta &amp; gamma; delta") == [
        "alpha", "beta &amp; gamma", "delta"]  # fmt: skip
    assert split_keyword_text("Heart &amp; Lung, Kidney") == ["Heart &amp; Lung", "Kidney"]
    assert join_keywords(["a", "b"]) == "a, b"
    assert join_keywords(["a, b", "c"]) == "a, b; c"


@pytest.mark.parametrize(
    ("source", "text"),
    [
        pytest.param("refer", "%0 Journal Article\n%T T\n%P " + "1" * 4400 + "-2\n", id="page"),
        pytest.param("bibtex", "@article{k, title={T}, date={" + "0" * 4301 + "}}\n", id="edtf"),
        pytest.param("bibtex", "@article{k, title={T}, year={-" + "0" * 4301 + "1}}\n", id="year"),
    ],
)
def test_numbers_longer_than_python_converts_are_no_traceback(source, text):
    """Python's int() refuses more than 4,300 digits, leading zeros included."""
    from refconv import Collected, convert

    assert convert(text.encode(), None, source, "csljson", diagnostics=Collected(quiet=True))


# --- strip_nocase: one pass, the pairs the pass-by-pass definition finds ------------------------


def _strip_pass_by_pass(text: str) -> str:
    """The definition: remove the innermost marks (``NOCASE``) until none is left."""
    while (stripped := NOCASE.sub(r"\1", text)) != text:
        text = stripped
    return text


_PIECES = st.sampled_from(['<span class="nocase">', "</span>", '<span style="x">', "a", " ", "<"])


@settings(max_examples=500, deadline=None)
@given(st.lists(_PIECES, max_size=30).map("".join))
def test_strip_nocase_pairs_marks_as_the_definition_does(text):
    assert strip_nocase(text) == _strip_pass_by_pass(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('<span class="nocase">DNA</span> repair', "DNA repair"),
        (
            '<span class="nocase">a <span style="x">b</span> c</span>',
            'a <span style="x">b c</span>',
        ),
        ('<span class="nocase">open', '<span class="nocase">open'),
        ("close</span>", "close</span>"),
        ('<span class="nocase">' * 50_000 + "deep" + "</span>" * 50_000, "deep"),
    ],
    ids=["word", "inner-span", "unclosed", "unopened", "nested-50000"],
)
def test_strip_nocase(text, expected):
    assert strip_nocase(text) == expected


#: Real HTML character references, the only place a ";" stands in the words generated below.
_REFERENCES = ["&amp;", "&#8211;", "&#x2013;", "&eacute;", "&nbsp;"]
_KEYWORD_WORD = (
    st.lists(
        st.one_of(st.text("ab &#Dx", min_size=1, max_size=4), st.sampled_from(_REFERENCES)),
        min_size=1,
        max_size=4,
    )
    .map(lambda parts: "".join(parts).strip())
    .filter(bool)
)


@given(st.lists(_KEYWORD_WORD, min_size=2, max_size=5))
def test_keywords_joined_by_semicolons_split_back_whatever_references_they_hold(words):
    """A ";" ends a keyword unless it ends an HTML character reference; the words hold "&",
    "#", letters ("&D", "&#x") and real references, so every other ";" is a separator."""
    text = "; ".join(words)
    assert split_keyword_text(text) == words
    assert split_keywords([text]) == words
