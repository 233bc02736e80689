"""Properties of ``--dedupe`` (issue 20, item 8), with hypothesis: a merge never loses a value
(each value of each input record is in the record it ended in: in its field, or kept in its
``extra``, which every writer carries), and deduplicating twice changes nothing, in the model
and through whole conversions (the output of ``--dedupe`` converted again with it is the
same bytes); hostile input through both options converts or fails cleanly."""

from __future__ import annotations

import copy

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import refconv
from refconv.cli import cli
from refconv.diagnostics import Collected
from refconv.formats.csljson.tables import CSL_ID
from refconv.model import Date, Name, Record
from refconv.transforms import DEDUPE_BY, SORT_BY
from refconv.transforms.dedupe import MERGED_ID, Deduplicator, dedupe, identity
from refconv.values.dates import format_date
from refconv.values.identifiers import normalise_doi
from refconv.values.names import format_inverted

from .hostile import DATA_TARGETS, DIAGNOSTIC, TEXT, WRITTEN, check_output, hostile

pytestmark = pytest.mark.slow  # hypothesis runs whole conversions

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_text = st.text(alphabet="abcXYZ 12-.", min_size=1, max_size=8).map(str.strip).filter(bool)
_PEOPLE = [
    Name(family="Müller", given="J."),
    Name(family="Muller", given="Jo"),
    Name(family="Berg", given="A.", particle="van der"),
    Name(literal="ACME Corp"),
    Name(family="余", given="敏"),
]
_people = st.lists(st.sampled_from(_PEOPLE), min_size=1, max_size=3)
_dates = st.sampled_from(
    [Date(((2001,),)), Date(((2001, 3),)), Date(((2002,),)), Date(literal="n.d.")]
)


@st.composite
def records(draw: st.DrawFn) -> Record:
    """A record whose DOI, key, title, year and first author often match another's."""
    record = Record(draw(st.sampled_from(["book", "article-journal", "chapter"])))
    choices = {  # "": no such field
        "title": ["The Cell", "cell.", "<i>Cell</i>", "机器学习", "…", "Zeta", ""],
        "DOI": ["10.1000/a", "https://doi.org/10.1000/A", "doi:10.1000/b", "n/a", "", ""],
        "citation-key": ["k1", "K1", "k2", "", ""],
    }
    for var, values in choices.items():
        if value := draw(st.sampled_from(values)):
            record.fields[var] = value
    for var in ("volume", "publisher", "note"):
        if draw(st.booleans()):
            record.fields[var] = draw(_text)
    roles = draw(st.sampled_from([["author"], ["author", "editor"], ["editor"], []]))
    for role in roles:
        record.names[role] = draw(_people)
    for var in draw(st.sampled_from([["issued"], ["issued", "accessed"], ["accessed"], []])):
        record.dates[var] = draw(_dates)
    record.keywords = draw(st.lists(st.sampled_from(["dna", "DNA", "cells"]), max_size=2))
    for key in draw(st.lists(st.sampled_from(["%H", CSL_ID]), max_size=2, unique=True)):
        record.extra[key] = draw(st.lists(_text, min_size=1, max_size=2))
    return record


def values_are_in(original: Record, home: Record) -> None:
    """Every value of ``original`` is in ``home``: in its place, or kept in its extra."""
    assert original.type == home.type or original.type in home.extra["type"]
    for var, value in original.fields.items():
        have = home.fields.get(var, "")
        same_doi = var == "DOI" and normalise_doi(have) == normalise_doi(value) != ""
        assert have == value or same_doi or value in home.extra[var]
    for role, people in original.names.items():
        text = " and ".join(format_inverted(p) for p in people)
        assert home.names.get(role) == people or text in home.extra[role]
    for var, date in original.dates.items():
        assert home.dates.get(var) == date or format_date(date) in home.extra[var]
    assert set(original.keywords) <= set(home.keywords)
    for key, values in original.extra.items():
        for value in values:
            assert value in home.extra.get(key, []) + home.extra.get(MERGED_ID, [])


@SETTINGS
@given(inputs=st.lists(records(), max_size=8), by=st.sampled_from(DEDUPE_BY))
def test_a_merge_loses_no_value(inputs, by):
    originals = copy.deepcopy(inputs)
    deduplicator = Deduplicator(by, Collected())
    homes = [deduplicator.add(record) for record in inputs]
    for original, home in zip(originals, homes, strict=True):
        values_are_in(original, home)
    kept = [identity(r, by) for r in deduplicator.kept]
    found = [one for one in kept if one is not None]
    assert len(found) == len(set(found))  # no two records left of one work


@SETTINGS
@given(inputs=st.lists(records(), max_size=8), by=st.sampled_from(DEDUPE_BY))
def test_dedupe_twice_is_dedupe_once_in_the_model(inputs, by):
    once = dedupe(inputs, by, Collected())
    before = copy.deepcopy(once)
    sink = Collected()
    assert dedupe(once, by, sink) == before
    assert sink.messages == [] and sink.merged == 0


@SETTINGS
@given(
    inputs=st.lists(records(), max_size=6),
    by=st.sampled_from(DEDUPE_BY),
    target=st.sampled_from(["csljson", "ris", "bibtex", "refer"]),
)
def test_converting_the_output_again_changes_nothing(inputs, by, target):
    """The second ``--dedupe`` merges nothing: its output is that of a plain conversion,
    and in CSL-JSON, which carries every value as it is, the first output itself. (The
    tagged formats need one more pass for a custom key beside the record's own note: RIS
    ``N1  - 1`` and ``N1  - type: book`` read back as one note of two lines.)"""

    def convert(text: str, sink: Collected, **options: str) -> str:
        out = refconv.convert(text.encode(), None, target, target, diagnostics=sink, **options)
        assert out is not None
        return out

    text = refconv.write(inputs, None, target, diagnostics=Collected())
    assert text is not None
    once = convert(text, Collected(), dedupe=by)
    sink = Collected()
    twice = convert(once, sink, dedupe=by)
    assert sink.merged == 0
    assert twice == convert(once, Collected())
    if target == "csljson":
        assert twice == once


@pytest.mark.parametrize("source", list(TEXT))
@settings(max_examples=25, deadline=10_000,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])  # fmt: skip
@given(data=st.data())
def test_hostile_input_with_dedupe_and_sort(source, data):
    """Hostile input (``tests/hostile.py``) through ``--dedupe`` and ``--sort``: exit 0 or 1
    with diagnostics only, never a traceback or a hang, and output that reads back with the
    records the writer was given (no record forged by a merged value, none lost)."""
    raw = data.draw(hostile(source), label="input")
    by = data.draw(st.sampled_from(DEDUPE_BY), label="dedupe")
    order = data.draw(st.sampled_from(SORT_BY), label="sort")
    target = data.draw(st.sampled_from(DATA_TARGETS), label="target")
    args = ["convert", "-f", source, *target.args(), "--report", "--dedupe", by, "--sort", order]
    result = CliRunner().invoke(cli, args, input=raw)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code in (0, 1), result.stderr[-2000:]
    lines = result.stderr.splitlines()
    assert all(DIAGNOSTIC.match(line) for line in lines), result.stderr[-2000:]
    written = [int(m[1]) for m in map(WRITTEN.match, lines) if m]
    if result.exit_code == 0:
        check_output(result.stdout, target, written[0])
