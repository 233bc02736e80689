"""Round trips are fixed points after the first pass (issue 14, STYLE.md §4b).

For every ordered pair of data formats (X, Y), hypothesis builds plausible records as CSL-JSON
items, writes them in X, and converts X → Y → X → Y → X. The text of X after the second pass
must equal the text after the first: whatever X → Y → X lost or moved, it does once, and a
second trip changes nothing (for Y = X the trip is one pass: X -> X -> X equals X -> X).
``biblatex`` is the BibTeX reader with the biblatex writer. Records only Refer can write
(several ``%0`` lines, keyed notes) get a strategy of their own, and every bug found has its
minimal reproducer in REPRODUCERS.

Examples are derandomized (and the example database is off), so a pair marked
``xfail(strict=True)`` fails the same way on every run; ``REFCONV_EXAMPLES`` raises the count.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from refconv.api import convert
from refconv.diagnostics import Collected

pytestmark = pytest.mark.slow  # hypothesis round trips for 25 format pairs

#: format -> (reader, writer): the name refconv reads the text back with, and writes it with.
FORMATS = {
    "refer": ("refer", "refer"),
    "ris": ("ris", "ris"),
    "bibtex": ("bibtex", "bibtex"),
    "biblatex": ("bibtex", "biblatex"),
    "csljson": ("csljson", "csljson"),
    "endnote-xml": ("endnote-xml", "endnote-xml"),
    "mods": ("mods", "mods"),
}
EXAMPLES = int(os.environ.get("REFCONV_EXAMPLES", "60"))

# --- plausible records, as CSL-JSON items -------------------------------------------------

_letters = st.characters(whitelist_categories=("Lu", "Ll"), max_codepoint=0x24F)
word = st.text(alphabet=_letters, min_size=2, max_size=8)
cap = word.map(str.capitalize)
odd_word = st.sampled_from(["&", "50%", "O'Brien", "é", "Ærø", "HER2", "(2nd)", "α-helix", "x/y"])
text = st.lists(st.one_of(word, word, odd_word), min_size=1, max_size=6).map(" ".join)

TYPES = [
    "article-journal", "book", "chapter", "thesis", "report", "paper-conference", "webpage",
    "article-newspaper", "article-magazine", "dataset", "software", "patent", "motion_picture",
    "legal_case", "manuscript", "map", "personal_communication", "entry-encyclopedia", "document",
]  # fmt: skip

name = st.one_of(
    st.builds(lambda f, g: {"family": f, "given": g}, cap, cap),
    st.builds(
        lambda f, g, p: {"family": f, "given": g, "non-dropping-particle": p},
        cap,
        cap,
        st.sampled_from(["van", "de", "van der", "von", "da"]),
    ),
    st.builds(lambda f, g: {"family": f, "given": g, "dropping-particle": "de"}, cap, cap),
    st.builds(
        lambda f, g, s: {"family": f, "given": g, "suffix": s},
        cap,
        cap,
        st.sampled_from(["Jr.", "III", "Sr."]),
    ),
    st.builds(lambda w: {"literal": f"{w} Institute of Technology"}, cap),
    st.builds(lambda f: {"family": f}, cap),
)
year = st.integers(1850, 2030)
month = st.integers(1, 12)
day = st.integers(1, 28)
date_parts = st.one_of(
    st.tuples(year).map(list),
    st.tuples(year, month).map(list),
    st.tuples(year, month, day).map(list),
)
date = st.one_of(
    date_parts.map(lambda p: {"date-parts": [p]}),
    st.tuples(date_parts, date_parts).map(lambda r: {"date-parts": [r[0], r[1]]}),
    st.sampled_from(["in press", "n.d.", "Spring 2019", "circa 1900"]).map(
        lambda s: {"literal": s}
    ),
    st.sampled_from(["2019-05-01", "1998/2002", "May 2020", "Winter 1999/2000"]).map(
        lambda s: {"raw": s}
    ),
    st.tuples(date_parts, date_parts, st.integers(1, 4), st.booleans()).map(
        lambda r: {"date-parts": [r[0], r[1]], "season": r[2], "circa": r[3]}
    ),
    # an open-ended range: citeproc-js's end of zeros, as long as the start or just [0]
    st.tuples(date_parts, st.booleans(), st.booleans()).map(
        lambda r: {"date-parts": [r[0], [0] * (len(r[0]) if r[1] else 1)], "circa": r[2]}
    ),
)
number = st.one_of(st.integers(1, 999), st.integers(1, 999).map(str), st.just("3a"))
page = st.one_of(
    st.integers(1, 900).map(str),
    st.tuples(st.integers(1, 400), st.integers(401, 900)).map(lambda p: f"{p[0]}-{p[1]}"),
    st.just("e1234"),
)
OPTIONAL: dict[str, st.SearchStrategy[Any]] = {
    "container-title": text,
    "collection-title": text,
    "publisher": text,
    "publisher-place": cap,
    "volume": number,
    "issue": number,
    "number": number,
    "edition": st.one_of(st.integers(1, 9), st.just("2nd")),
    "page": page,
    "number-of-pages": st.integers(10, 900),
    "DOI": st.integers(1000, 9999).map(lambda n: f"10.{n}/abc.{n}"),
    "URL": word.map(lambda w: f"https://example.org/{w}"),
    "ISBN": st.just("978-3-16-148410-0"),
    "ISSN": st.just("0317-8471"),
    "abstract": text,
    "note": st.one_of(text, st.tuples(word, text).map(lambda p: f"{p[0]}: {p[1]}")),
    "language": st.sampled_from(["en", "de", "fr-CA"]),
    "genre": text,
    "medium": word,
    "keyword": st.lists(cap, min_size=1, max_size=3).map(", ".join),
    "editor": st.lists(name, min_size=1, max_size=2),
    "translator": st.lists(name, min_size=1, max_size=1),
    "director": st.lists(name, min_size=1, max_size=1),
    "accessed": date_parts.map(lambda p: {"date-parts": [p]}),
    "original-date": date,
    "event-date": date,
    # eprint: a key the BibTeX writer also keeps in its note
    "custom": st.dictionaries(st.sampled_from(["shelf", "rating", "eprint"]), word, min_size=1),
}


@st.composite
def csl_item(draw: st.DrawFn, index: int) -> dict[str, Any]:
    """One CSL item: a type, a title, authors and a date, and a few optional variables."""
    item: dict[str, Any] = {
        "id": f"item{index}",
        "type": draw(st.sampled_from(TYPES)),
        "title": draw(text),
        "author": draw(st.lists(name, min_size=1, max_size=3)),
    }
    if draw(st.booleans()):
        item["issued"] = draw(date)
    for key in draw(st.lists(st.sampled_from(sorted(OPTIONAL)), unique=True, max_size=6)):
        item[key] = draw(OPTIONAL[key])
    return item


@st.composite
def csl_items(draw: st.DrawFn) -> list[dict[str, Any]]:
    """One or two items with distinct ids."""
    count = draw(st.integers(1, 2))
    return [draw(csl_item(i)) for i in range(count)]


# --- the conversions ----------------------------------------------------------------------


def run(data: str, reader: str, writer: str) -> str:
    """The text of ``data`` read with ``reader`` and written with ``writer``; no errors."""
    diagnostics = Collected()
    out = convert(data.encode("utf-8"), None, reader, writer, diagnostics=diagnostics)
    errors = [m for m in diagnostics.messages if m.kind == "error"]
    assert not errors, errors
    assert out is not None
    return out


def trip(text_x: str, x: str, y: str) -> str:
    """X -> Y -> X, or one pass X -> X when Y is X."""
    if x == y:
        return run(text_x, FORMATS[x][0], FORMATS[x][1])
    text_y = run(text_x, FORMATS[x][0], FORMATS[y][1])
    return run(text_y, FORMATS[y][0], FORMATS[x][1])


def check_fixed_point(text_x: str, x: str, y: str) -> None:
    """X -> Y -> X -> Y -> X gives the text of X -> Y -> X."""
    once = trip(text_x, x, y)
    twice = trip(once, x, y)
    assert twice == once, f"second trip {x}->{y}->{x} changed:\n{once}\n---\n{twice}"


def prove(
    strategy: st.SearchStrategy[Any],
    check: Callable[[Any], None],
    examples: list[Any],
    *,
    known_bad: bool,
) -> None:
    """Run ``check`` on ``examples`` (each bug found so far, so a pair it affects fails on
    every run, not only when the draw finds it), then on ``EXAMPLES`` derandomized examples
    of ``strategy``. A case known to fail is not shrunk: its minimal reproducer is in
    REPRODUCERS, and shrinking a known failure costs a minute."""
    phases = [Phase.explicit, Phase.generate] if known_bad else list(Phase)

    def run_examples(drawn: Any) -> None:
        check(drawn)

    test = given(strategy)(run_examples)
    for known in reversed(examples):
        test = example(known)(test)
    settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=phases,
        suppress_health_check=[HealthCheck.too_slow],
    )(test)()


#: Records that showed a bug once (issue 14), run first for every pair.
BUG_ITEMS: list[list[dict[str, Any]]] = [
    [{"id": "k", "type": "article-journal", "title": "T", "author": [{"family": "Cc"}],
      "director": [{"family": "Aa", "given": "Bb"}]}],
    [{"id": "k", "type": "book", "title": "T", "issued": {"date-parts": [[1850], [1850]]},
      "original-date": {"date-parts": [[1850], [1851, 1]]}}],
]  # fmt: skip
BUG_LINES: list[list[str]] = [
    ["%0 Book", "%0 Book"],
    ["%0 Book", "%0 Book", "%0 Book"],
    ["%0 Edited Book"],
    ["%Z issue: 7", "%Z issue: 7", "%Z shelf: B1"],
]
#: Pairs (and Refer targets) known not to reach a fixed point, with the reason: none today.
KNOWN: dict[tuple[str, str], str] = {}
KNOWN_REFER: dict[str, str] = {}


def xfail_if(reason: str | None) -> list[pytest.MarkDecorator]:
    """A strict xfail mark when ``reason`` is given: the day the bug is fixed, the test says so."""
    return [pytest.mark.xfail(strict=True, reason=reason)] if reason else []


PAIRS = [
    pytest.param(x, y, id=f"{x}-{y}", marks=xfail_if(KNOWN.get((x, y))))
    for x in FORMATS
    for y in FORMATS
]


@pytest.mark.parametrize(("x", "y"), PAIRS)
def test_round_trip_is_a_fixed_point(x: str, y: str) -> None:
    """Records built as CSL-JSON, written in X, make a fixed point through Y."""
    prove(
        csl_items(),
        lambda items: check_fixed_point(run(json.dumps(items), "csljson", FORMATS[x][1]), x, y),
        BUG_ITEMS,
        known_bad=(x, y) in KNOWN,
    )


# --- records only Refer writes: several %0 lines, keyed note lines, unknown tags -----------

REFER_TYPES = ["Book", "Journal Article", "Thesis", "Edited Book", "Generic"]
REFER_LINES = [
    "%5 odd", "%Z shelf: B1", "%Z issue: 7", "%Z plain note", "%N 5", "%D sometime", "%D 2001",
    "%A Smith, J", "%E Doe, K", "%Y Series, Ed", "%V 3", "%9 thesis",
]  # fmt: skip
refer_line = st.one_of(
    st.sampled_from(REFER_TYPES).map(lambda kind: f"%0 {kind}"), st.sampled_from(REFER_LINES)
)


def check_refer_lines(lines: list[str], y: str) -> None:
    """refer -> Y -> refer, and Y -> refer -> Y from there, are fixed points."""
    text = "%0 Book\n%T T\n" + "\n".join(lines) + "\n"
    check_fixed_point(text, "refer", y)
    check_fixed_point(run(text, "refer", FORMATS[y][1]), y, "refer")


@pytest.mark.parametrize(
    "y", [pytest.param(y, marks=xfail_if(KNOWN_REFER.get(y))) for y in FORMATS if y != "refer"]
)
def test_refer_records_reach_a_fixed_point(y: str) -> None:
    """Refer records with more than one ``%0`` line, keyed ``%Z`` notes and unknown tags."""
    prove(
        st.lists(refer_line, min_size=1, max_size=6),
        lambda lines: check_refer_lines(lines, y),
        BUG_LINES,
        known_bad=y in KNOWN_REFER,
    )


# --- minimal reproducers, one per bug found -----------------------------------------------

#: (text in X, X, Y): one minimal reproducer per bug these tests found (issue 14), each fixed.
REPRODUCERS = [
    pytest.param(
        "%0 Journal Article\n%A Cc\n%T T\n%Z director: Aa, Bb\n", "refer", "bibtex",
        id="name-role-in-bibtex-note",
    ),
    pytest.param(
        '[{"id": "k", "type": "book", "title": "T", "issued": {"date-parts": [[1850], [1850]]}}]',
        "csljson", "ris",
        id="ris-custom-comes-back-as-note",
    ),
    pytest.param(
        "%0 Book\n%T T\n%Z issue: 7\n%Z issue: 7\n%Z shelf: B1\n", "refer", "csljson",
        id="keyed-note-continuation",
    ),
    pytest.param(
        "@misc{k, title = {T}, date = {sometime}, eprint = {55}}\n", "bibtex", "bibtex",
        id="bibtex-note-item-order",
    ),
    pytest.param(
        "%0 Book\n%T T\n%0 Book\n%0 Book\n", "refer", "csljson",
        id="refer-repeated-type-line",
    ),
    pytest.param(
        "%0 Book\n%T T\n%0 Edited Book\n", "refer", "biblatex",
        id="refer-second-type-line-via-biblatex",
    ),
    pytest.param(
        '[{"id": "k", "type": "book", "title": "A", "title": "B", "issued": {"raw": "c. 1900",'
        ' "foo": 1}, "custom": {"n": null, "n": ["x"]}}]', "csljson", "bibtex",
        id="csljson-repeated-keys-and-date-keys",
    ),
    pytest.param(
        '[{"id": "qqid", "citation-key": "qqck", "type": "book", "title": "T"}]',
        "csljson", "ris", id="csljson-id-and-citation-key",
    ),
    pytest.param(
        '[{"id": "k", "type": "book", "title": "T", "keyword": ["a", "b"], "issue": true,'
        ' "custom": {"o": {"a": 1}, "b": false}}]', "csljson", "refer",
        id="csljson-non-text-values",
    ),
    # review 14, items 1-4 and 11: dates the fields hold in part, notes beside date fields
    pytest.param("%0 Journal Article\n%T T\n%D March-April 2005\n", "refer", "bibtex",
                 id="refer-month-range-via-bibtex"),
    pytest.param('[{"id": "k", "type": "book", "title": "T", "issued": {"date-parts":'
                 ' [[1999, 12], [2000, 1]]}}]', "csljson", "bibtex",
                 id="csljson-range-across-years-via-bibtex"),
    pytest.param('[{"id": "k", "type": "book", "title": "T", "issued": {"date-parts":'
                 ' [[1999], [2000]], "season": 4}, "accessed": {"date-parts": [[2019, 3]],'
                 ' "season": 1}}]', "csljson", "biblatex", id="csljson-seasons-via-biblatex"),
    pytest.param("%0 Journal Article\n%T T\n%D Winter 1999/2000\n", "refer", "ris",
                 id="refer-season-range-via-ris"),
    pytest.param("@article{k, title = {T}, year = {2000}, note = {issued: 1999}}\n", "bibtex",
                 "csljson", id="bibtex-note-date-beside-year"),
    pytest.param("@article{k, title = {T}, urldate = {2000-01-01}, note = {accessed: 1999}}\n",
                 "bibtex", "ris", id="bibtex-note-date-beside-urldate"),
    pytest.param("TY  - JOUR\nTI  - T\nPY  - 2000\nN1  - issued: 1999\nReviewed by X\nER  - \n",
                 "ris", "csljson", id="ris-multiline-note-date-beside-py"),
    pytest.param("TY  - JOUR\nTI  - T\nVL  - 1\nVL  - 2\nIS  - 3\nIS  - 4\nER  - \n", "ris",
                 "csljson", id="ris-repeated-tags-via-csljson"),
    pytest.param(
        '[{"id": "k", "type": "book", "title": "T", "author": [{"family": "Gaulle", '
        '"given": "Charles", "dropping-particle": "de"}, {"family": "余", "given": "敏"}, '
        '{"given": "Plato"}]}]', "csljson", "ris",
        id="names-dropping-particle-cjk-given-only",
    ),
    pytest.param("TY  - BOOK\nTI  - T\nAU  - Qqorg, Inc.,\nER  - \n", "ris", "csljson",
                 id="ris-organisation-trailing-comma"),
    pytest.param(
        '[{"id": "k", "type": "book", "title": "T", "custom": {"DOI": "10.1/qqx"}}]',
        "csljson", "refer", id="custom-key-named-like-a-variable",
    ),
    pytest.param('[{"id": "k", "type": "book", "title": "T", "note": "DOI: 10.1/x"}]',
                 "csljson", "refer", id="note-doi-refer-refuses"),
    pytest.param("%0 Book\n%T T\u2028U\n%I A\u2028B\n", "refer", "csljson",
                 id="refer-line-separator"),
    pytest.param('[{"id": "k", "type": "book", "title": "T", "custom": {"AU": "Smith, J.", '
                 '"PY": "1999", "UR": "http://a", "KW": "kw", "DO": "10.1/x", "TY": "JOUR", '
                 '"ER": "x", "N1": "n"}}]', "csljson", "ris", id="custom-named-like-ris-tags"),
    pytest.param('[{"id": "k", "type": "book", "title": "T", "custom": {"%A": "Smith, J.", '
                 '"%K": "kw", "%9": "nine", "%Z": "zn", "%0": "Journal Article", "%D": "1999"}}]',
                 "csljson", "refer", id="custom-named-like-refer-tags"),
    pytest.param('[{"id": "k", "type": "book", "title": "T", "custom": {"AU": "Smith, J.", '
                 '"%A": "Doe, J.", "VL": "3"}, "volume": "2"}]', "csljson", "ris",
                 id="custom-tags-via-ris-beside-a-field"),
    pytest.param("TY  - JOUR\nTI  - T\nN1  - issue: 7\nsecond line of my note\nER  - \n",
                 "ris", "refer", id="ris-note-value-continued-by-text"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "x", "y"), REPRODUCERS)
def test_reproducer_is_a_fixed_point(text: str, x: str, y: str) -> None:
    check_fixed_point(text, x, y)
