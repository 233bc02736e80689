"""``--sort key|author|year|none`` (issue 20, item 8): every order, its ties and the records
without the value sorted by; hypothesis: a sort is a permutation, ordered, stable."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from refconv.model import Date, Name, Record
from refconv.transforms import SORT_BY
from refconv.transforms.sort import SORT_VALUES, check_sort, sort_records


def rec(label, family=None, year=None, title=None, key="", literal=""):
    """A record called ``label`` (in ``extra``, so tests can name it)."""
    record = Record("book", extra={"label": [label]}, id=key)
    if family is not None or literal:
        record.names["author"] = [Name(family=family or "", literal=literal)]
    if year is not None:
        record.dates["issued"] = Date(((year,),))
    if title is not None:
        record.fields["title"] = title
    return record


def labels(records):
    return [r.extra["label"][0] for r in records]


RECORDS = [
    rec("a", "Zhou", 2001, "Beta", key="zhou2001beta"),
    rec("b", None, 1999, "Alpha", key="ref1999alpha"),  # no author
    rec("c", "Ångström", 2005, "Gamma", key="angstrom2005gamma"),
    rec("d", "Adams", None, "Delta", key="adams"),  # no year
    rec("e", "adams", 2001, "The Epsilon", key="Adams2001"),
    rec("f", "Adams", 2001, "Alpha", key="adams2001a"),
    rec("g", "Adams", 2001, "alpha.", key="adams2001b"),  # ties f in everything
    rec("h", None, None, None, key="ref"),  # nothing at all
    rec("i", "Berg", -44, "Commentarii", key="berg-44"),  # a year BC
    rec("j", "", 2001, "Zeta", literal="ACME", key="acme"),  # an organisation
]


@pytest.mark.parametrize(
    ("by", "expected"),
    [
        pytest.param("none", "abcdefghij", id="input_order"),
        # ignoring case ("Adams2001" between "adams" and "adams2001a"); "ref" before
        # "ref1999alpha"
        pytest.param("key", "jdefgcihba", id="key"),
        # ACME (an organisation by its name), Adams (2001: f and g tie in everything, so
        # input order, then "The Epsilon" filed under E; d without a year after them),
        # Ångström as angstrom, Berg, Zhou; then no author: b (1999), h (nothing at all)
        pytest.param("author", "jfgedciabh", id="author"),
        # -44, 1999, 2001 (ACME, Adams f g e, Zhou), 2005; then no year: Adams, nothing
        pytest.param("year", "ibjfgeacdh", id="year"),
    ],
)
def test_orders(by, expected):
    assert "".join(labels(sort_records(RECORDS, by))) == expected


def test_the_input_is_not_changed():
    records = list(RECORDS)
    sort_records(records, "author")
    assert records == RECORDS


def test_unknown_sort():
    with pytest.raises(ValueError, match="unknown --sort 'title'; known: none, key, author, year"):
        check_sort("title")


def test_every_order_has_its_sort_value():
    assert set(SORT_VALUES) == set(SORT_BY) - {"none"}


_people = st.sampled_from(["Adams", "adams", "Ådams", "Berg", "", "…", "余"])
_titles = st.sampled_from(["The Cell", "cell", "A cell", "Zeta", "", "<i>Cell</i>", "细胞"])
_years = st.sampled_from([None, -1, 1999, 2001, 2001])
_records = st.lists(
    st.builds(
        lambda n, family, year, title, key: rec(str(n), family or None, year, title or None, key),
        st.integers(0, 10**6),
        _people,
        _years,
        _titles,
        st.sampled_from(["", "a", "A1", "b", "b2"]),
    ),
    max_size=30,
)


@settings(max_examples=300, deadline=None)
@given(records=_records, by=st.sampled_from(SORT_BY))
def test_a_sort_is_a_stable_permutation(records, by):
    out = sort_records(records, by)
    assert sorted(map(id, out)) == sorted(map(id, records))  # every record, once
    if by == "none":
        assert [id(r) for r in out] == [id(r) for r in records]
        return
    value = SORT_VALUES[by]
    position = {id(r): n for n, r in enumerate(records)}
    for one, two in pairwise(out):
        assert value(one) <= value(two)
        if value(one) == value(two):  # ties keep their input order
            assert position[id(one)] < position[id(two)]
    missing = [value(r)[0][0] for r in out]  # without the value sorted by: last
    assert missing == sorted(missing)
