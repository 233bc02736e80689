"""``--dedupe`` (issue 20, item 8): what makes two records one work, and what merging gives.

The comparison forms are tables (DOI spellings, titles, names, keys); merges are tables of
(first record, later record) → (first record after, what the note lists). The properties
(nothing lost, idempotent) are in ``test_dedupe_properties.py``, the command line in
``test_dedupe_cli.py``.
"""

from __future__ import annotations

import pytest

from refconv.diagnostics import Collected
from refconv.formats.csljson.tables import CSL_ID
from refconv.keys import clash_form, first_person
from refconv.model import Date, Name, Record, SourcePos
from refconv.transforms.dedupe import (
    MERGED_ID,
    Deduplicator,
    check_dedupe,
    dedupe,
    fold_name,
    fold_title,
    identity,
    merge,
    title_identity,
)
from refconv.values.identifiers import normalise_doi
from refconv.values.text import comparable


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("10.1000/xyz", "10.1000/xyz", id="bare"),
        pytest.param("10.1000/XYZ", "10.1000/xyz", id="case"),
        pytest.param("doi:10.1000/XYZ", "10.1000/xyz", id="doi_prefix"),
        pytest.param("DOI: 10.1000/xyz", "10.1000/xyz", id="doi_prefix_space"),
        pytest.param("https://doi.org/10.1000/XYZ", "10.1000/xyz", id="https_url"),
        pytest.param("http://dx.doi.org/10.1000/xyz", "10.1000/xyz", id="dx_url"),
        pytest.param("doi.org/10.1000/xyz", "10.1000/xyz", id="host_only"),
        pytest.param("https://doi.org/10.1000/a%2Fb", "10.1000/a/b", id="url_escape"),
        pytest.param("doi:10.1000/a%2Fb", "10.1000/a/b", id="escape_after_prefix"),
        pytest.param("10.1000/a%2Fb", "10.1000/a/b", id="escape_bare"),
        pytest.param("https://doi.org/10.1000/a%252F", "10.1000/a%2f", id="decoded_once"),
        pytest.param("  10.1000/xyz\t", "10.1000/xyz", id="white_space"),
        pytest.param("https://doi.org/10.1000/xyz.", "10.1000/xyz", id="url_final_period"),
        pytest.param("10.1000", "", id="no_suffix"),
        pytest.param("doi 10.1000", "", id="malformed"),
        pytest.param("N/A", "", id="not_a_doi"),
        pytest.param("", "", id="empty"),
    ],
)
def test_normalise_doi(text, expected):
    assert normalise_doi(text) == expected


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        pytest.param("Watson1953", "watson1953", id="case"),
        pytest.param("watson:1953-a", "watson:1953-a", id="key_punctuation_kept"),
        pytest.param("a b{c}", "abc", id="unsafe_dropped_as_keys_are"),
        pytest.param("Пункт3", "пункт3", id="cyrillic"),
        pytest.param("{}", "", id="nothing_left"),
        pytest.param("", "", id="empty"),
    ],
)
def test_clash_form(key, expected):
    assert clash_form(key) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Molecular Structure", "molecularstructure", id="case_and_space"),
        pytest.param("molecular  structure.", "molecularstructure", id="period_and_spaces"),
        pytest.param("Cross-talk: a review!", "crosstalkareview", id="punctuation"),
        pytest.param("<i>E. coli</i> genomes", "ecoligenomes", id="csl_italic"),
        pytest.param('<span class="nocase">DNA</span>', "dna", id="csl_nocase"),
        pytest.param("x<sup>2</sup> < y > z", "x2yz", id="tags_only_csl_ones"),
        pytest.param("Salt &amp; pepper", "saltpepper", id="html_entity"),
        pytest.param("Schrödinger", "schrodinger", id="umlaut"),
        pytest.param("Straße", "strasse", id="sharp_s"),
        pytest.param("Łódź Ørsted", "lodzorsted", id="stroke_letters"),
        pytest.param("ﬁnal ＡＢ", "finalab", id="compatibility_forms"),
        pytest.param("机器学习", "机器学习", id="cjk_kept"),
        pytest.param("機械学習：入門", "機械学習入門", id="cjk_punctuation"),
        pytest.param("がくせい", "がくせい", id="kana_voicing_kept"),
        pytest.param("हिन्दी", "हिन्दी", id="devanagari_signs_kept"),
        pytest.param("—…!?", "", id="punctuation_only"),
        pytest.param("", "", id="empty"),
    ],
)
def test_comparable(text, expected):
    assert comparable(text) == expected


def test_other_scripts_are_not_transliterated():
    # keys.fold makes both "jiqi": the same sounds are not the same title
    assert comparable("机器") != comparable("基奇")
    assert comparable("かき") != comparable("がき")


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        pytest.param("The Cell", "Cell.", True, id="leading_the"),
        pytest.param("A study of keys", "Study of Keys", True, id="leading_a"),
        pytest.param("An essay", "essay", True, id="leading_an"),
        pytest.param("<i>The</i> Cell", "cell", True, id="article_in_tags"),
        pytest.param("Theory of cells", "ory of cells", False, id="the_only_as_a_word"),
        pytest.param("Cells of the brain", "Cells of brain", False, id="the_inside_kept"),
        pytest.param("  the  cell", "Cell", True, id="white_space_first"),
        pytest.param("The", "the.", True, id="article_alone_is_the_title"),
        pytest.param("Cell", "Cells", False, id="other_word"),
        pytest.param("Die Zelle", "Zelle", False, id="english_articles_only"),
    ],
)
def test_fold_title(a, b, same):
    assert (fold_title(a) == fold_title(b)) is same


@pytest.mark.parametrize(
    ("person", "expected"),
    [
        pytest.param(Name(family="Müller", given="J."), "muller", id="family"),
        pytest.param(Name(family="Berg", particle="van der"), "vanderberg", id="particle"),
        pytest.param(
            Name(literal="World Health Organization"), "worldhealthorganization", id="organisation"
        ),
        pytest.param(Name(given="Plato"), "plato", id="given_only"),
        pytest.param(Name(family="余", given="敏"), "余", id="cjk"),
        pytest.param(Name(family="…"), "", id="punctuation"),
        pytest.param(None, "", id="nobody"),
    ],
)
def test_fold_name(person, expected):
    assert fold_name(person) == expected


def work(title="The Cell", year=2001, family="Müller", role="author", given="J.", key=""):
    record = Record("article-journal", {"citation-key": key} if key else {})
    if title is not None:
        record.fields["title"] = title
    if year is not None:
        record.dates["issued"] = Date(((year,),))
    if family is not None:
        record.names[role] = [Name(family=family, given=given)]
    return record


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        pytest.param(work(), work(title="cell.", family="Muller"), True, id="folded"),
        pytest.param(work(), work(family="Mueller"), False, id="transliteration_differs"),
        pytest.param(work(), work(year=2002), False, id="other_year"),
        pytest.param(work(), work(family="Smith"), False, id="other_author"),
        pytest.param(work(), work(role="editor"), True, id="editor_when_no_author"),
        pytest.param(
            work(title="机器学习", family="余"),
            work(title="机器学习。", family="余"),
            True,
            id="cjk",
        ),
        pytest.param(
            work(title="机器", family="余"),
            work(title="基奇", family="余"),
            False,
            id="cjk_same_sounds",
        ),
        pytest.param(work(title="???"), work(title="!!!"), False, id="titles_fold_to_nothing"),
        pytest.param(
            work(family="…", given=""),
            work(family="…", given=""),
            False,
            id="names_fold_to_nothing",
        ),
        pytest.param(work(title=None), work(title=None), False, id="no_titles"),
        pytest.param(work(year=None), work(year=None), False, id="no_years"),
        pytest.param(work(family=None), work(family=None), False, id="no_authors"),
    ],
)
def test_title_identity(a, b, same):
    one, other = title_identity(a), title_identity(b)
    assert (one is not None and one == other) is same


def test_a_literal_date_has_no_year():
    record = work(year=None)
    record.dates["issued"] = Date(literal="n.d.")
    assert title_identity(record) is None


@pytest.mark.parametrize(
    ("by", "a", "b", "same"),
    [
        ("doi", {"DOI": "10.1000/X"}, {"DOI": "https://doi.org/10.1000/x"}, True),
        ("doi", {"DOI": "10.1000/x"}, {"DOI": "10.1000/y"}, False),
        ("doi", {"DOI": "n/a"}, {"DOI": "n/a"}, False),  # no DOI at all
        ("doi", {}, {}, False),
        ("key", {"citation-key": "Watson1953"}, {"citation-key": "watson1953"}, True),
        ("key", {"citation-key": "a"}, {"citation-key": "b"}, False),
        ("key", {}, {}, False),  # made keys are not the input's
    ],
)
def test_doi_and_key_identity(by, a, b, same):
    one, other = identity(Record(fields=a), by), identity(Record(fields=b), by)
    assert (one is not None and one == other) is same


def test_first_person_is_the_one_keys_use():
    record = Record(names={"translator": [Name(family="T")], "editor": [Name(family="E")]})
    assert first_person(record) == Name(family="E")
    record.names["author"] = [Name(family="A")]
    assert first_person(record) == Name(family="A")
    assert first_person(Record()) is None


def test_unknown_dedupe():
    with pytest.raises(ValueError, match="unknown --dedupe 'isbn'; known: doi, key, title"):
        check_dedupe("isbn")
    with pytest.raises(ValueError):
        Deduplicator("isbn", Collected())


def rec(**parts):
    """A record from keyword parts: fields, and names/dates/keywords/extra/type by name."""
    record = Record(parts.pop("type", "book"))
    record.names = parts.pop("names", {})
    record.dates = parts.pop("dates", {})
    record.keywords = parts.pop("keywords", [])
    record.extra = parts.pop("extra", {})
    record.fields = {key.replace("_", "-"): value for key, value in parts.items()}
    return record


J = [Name(family="Doe", given="J.")]
R = [Name(family="Roe", given="R."), Name(literal="ACME, Inc.")]
Y1, Y2 = Date(((2001,),)), Date(((2002, 3),))


@pytest.mark.parametrize(
    ("kept", "other", "after", "added", "kept_values"),
    [
        pytest.param(rec(title="T"), rec(title="T", volume="3"), rec(title="T", volume="3"),
                     ["volume"], [], id="field_lacking"),
        pytest.param(rec(title="T"), rec(title="T"), rec(title="T"), [], [], id="same_field"),
        pytest.param(rec(title="T"), rec(title="Other"),
                     rec(title="T", extra={"title": ["Other"]}), [], [("title", "Other")],
                     id="field_differs"),
        pytest.param(rec(title="T"), rec(title="t"), rec(title="T", extra={"title": ["t"]}),
                     [], [("title", "t")], id="case_is_other_text"),
        pytest.param(rec(DOI="10.1000/X"), rec(DOI="https://doi.org/10.1000/x"),
                     rec(DOI="10.1000/X"), [], [], id="doi_spelling_is_the_same_doi"),
        pytest.param(rec(), rec(names={"author": J}), rec(names={"author": J}), ["author"],
                     [], id="names_lacking"),
        pytest.param(rec(names={"author": J}), rec(names={"author": R}),
                     rec(names={"author": J}, extra={"author": ["Roe, R. and ACME,,Inc."]}),
                     [], [("author", "Roe, R. and ACME,,Inc.")], id="names_differ"),
        pytest.param(rec(names={"author": []}), rec(names={"author": J}),
                     rec(names={"author": J}), ["author"], [], id="empty_role_lacks"),
        pytest.param(rec(names={"author": J}), rec(names={"author": []}),
                     rec(names={"author": J}), [], [], id="empty_role_gives_nothing"),
        pytest.param(rec(), rec(dates={"issued": Y1}), rec(dates={"issued": Y1}), ["issued"],
                     [], id="date_lacking"),
        pytest.param(rec(dates={"issued": Y1}), rec(dates={"issued": Y2}),
                     rec(dates={"issued": Y1}, extra={"issued": ["2002/03"]}), [],
                     [("issued", "2002/03")], id="date_differs"),
        pytest.param(rec(keywords=["a", "b"]), rec(keywords=["b", "c", "c", "A"]),
                     rec(keywords=["a", "b", "c", "A"]), ["keyword"], [], id="keywords_joined"),
        pytest.param(rec(extra={"%H": ["x"]}), rec(extra={"%H": ["x", "y"], "%+": ["z"]}),
                     rec(extra={"%H": ["x", "y"], "%+": ["z"]}), ["%H", "%+"], [],
                     id="extra_joined"),
        pytest.param(rec(type="book"), rec(type="chapter"),
                     rec(type="book", extra={"type": ["chapter"]}), [], [("type", "chapter")],
                     id="type_differs"),
        pytest.param(rec(citation_key="k1"), rec(citation_key="K1"),
                     rec(citation_key="k1", extra={"citation-key": ["K1"]}), [],
                     [("citation-key", "K1")], id="key_spelling_kept"),
        pytest.param(rec(), rec(citation_key="k2"), rec(citation_key="k2"), ["citation-key"],
                     [], id="key_lacking_taken"),
        pytest.param(rec(extra={CSL_ID: ["a"]}), rec(extra={CSL_ID: ["b"]}),
                     rec(extra={CSL_ID: ["a", "b"]}), [CSL_ID], [], id="csl_ids_joined"),
        pytest.param(rec(), rec(extra={CSL_ID: ["http://zotero.org/users/1/items/B"]}),
                     rec(extra={MERGED_ID: ["http://zotero.org/users/1/items/B"]}),
                     [MERGED_ID], [], id="csl_id_never_becomes_the_id"),
    ],
)  # fmt: skip
def test_merge(kept, other, after, added, kept_values):
    done = merge(kept, other)
    assert kept == after
    assert done.added == added
    assert done.kept == kept_values


def test_a_differing_value_is_kept_once():
    first = rec(title="T")
    for _ in range(2):
        done = merge(first, rec(title="Other"))
        assert done.kept == [("title", "Other")]  # said each time
    assert first.extra == {"title": ["Other"]}


def at(record, path, line):
    record.source = SourcePos(path, line)
    return record


def test_notes_name_both_places_what_was_added_and_kept():
    sink = Collected()
    records = [
        at(rec(title="A", DOI="10.1000/X", names={"author": J}), "a.bib", 3),
        at(rec(title="B"), "a.bib", 9),
        at(rec(title="A.", DOI="doi:10.1000/x", volume="7", keywords=["k"]), "b.ris", 1),
        at(rec(title="A", DOI="10.1000/x"), "b.ris", 12),
    ]
    kept = dedupe(records, "doi", sink)
    assert kept == records[:2]
    assert [str(m) for m in sink.messages] == [
        "b.ris:1: note: duplicate of the record at a.bib:3 (same DOI doi:10.1000/x), merged into "
        "it: adds volume, keyword; its differing title kept in custom",
        "b.ris:12: note: duplicate of the record at a.bib:3 (same DOI 10.1000/x), merged into "
        "it: adds nothing",
    ]
    assert sink.count == 0 and sink.merged == 2  # notes, not warnings


@pytest.mark.parametrize(
    ("by", "why"),
    [
        ("key", "same key 'Watson'"),
        ("title", "same title, year and first author"),
    ],
)
def test_notes_say_why(by, why):
    sink = Collected()
    first = at(work(key="watson"), "a", 1)
    dedupe([first, at(work(key="Watson"), "b", 2)], by, sink)
    assert sink.messages[0].message.startswith(f"duplicate of the record at a:1 ({why}), ")


def test_the_first_record_is_kept_in_place_and_order():
    records = [work(title=f"T{i % 3}") for i in range(7)]
    kept = dedupe(records, "title", Collected())
    assert kept == records[:3]
    assert [r is s for r, s in zip(kept, records, strict=False)] == [True] * 3


def test_add_says_where_a_record_went():
    deduplicator = Deduplicator("doi", Collected())
    a, b, c = rec(DOI="10.1000/a"), rec(DOI="10.1000/b"), rec(DOI="10.1000/A")
    assert [deduplicator.add(r) for r in (a, b, c)] == [a, b, a]
    assert [id(r) for r in deduplicator.kept] == [id(a), id(b)]
    assert deduplicator.add(c) is a
