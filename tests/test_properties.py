"""Property-based tests (hypothesis) for the Refer reader, values, keys and CSL-JSON output."""

from __future__ import annotations

import io
import json

import jsonschema
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from refconv.diagnostics import RefconvError
from refconv.formats.csljson.write import CslJsonWriter
from refconv.keys import KeyAssigner
from refconv.model import Name
from refconv.values.dates import parse_date
from refconv.values.names import is_suffix
from refconv.values.pages import normalize_pages

from .conftest import Collect, read_refer

pytestmark = pytest.mark.slow  # hypothesis properties of the parsers and writers

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

TAG_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ!@#$^&*()+=?[]~<>abc%-_"
refer_line = st.one_of(
    st.builds(lambda t, v: f"%{t} {v}", st.sampled_from(TAG_CHARS), st.text(max_size=40)),
    st.text(max_size=40),
    st.just(""),
)
refer_text = st.lists(refer_line, max_size=25).map("\n".join)


@SETTINGS
@given(refer_text)
def test_reader_never_raises_on_text(text):
    try:
        records, _ = read_refer(text)
    except RefconvError as exc:  # only a NUL character is fatal: binary input
        assert "\x00" in text and "binary data" in exc.message
        return
    for record in records:
        assert record.source.line >= 1


@SETTINGS
@given(st.binary(max_size=300))
def test_reader_raises_only_refconv_errors_on_bytes(data):
    try:
        read_refer(data)
    except RefconvError as exc:
        assert exc.path == "t.enw" and exc.line >= 1


@SETTINGS
@given(refer_text)
def test_csljson_output_is_always_valid(csl_schema, text):
    records, _ = read_refer(text.replace("\x00", ""))
    out = io.StringIO()
    CslJsonWriter().write(KeyAssigner(diagnostics=Collect()).assign(records), out)
    items = json.loads(out.getvalue())
    jsonschema.validate(items, csl_schema)
    ids = [item["id"] for item in items]
    assert len({i.lower() for i in ids}) == len(ids)


word = st.text(alphabet=st.characters(whitelist_categories=("Lu", "Ll")), min_size=2, max_size=9)
family = word.map(str.capitalize).filter(lambda w: not is_suffix(w))
title = st.lists(word, min_size=1, max_size=8).map(" ".join)


@st.composite
def records(draw):
    return {
        "title": draw(title),
        "authors": draw(st.lists(st.tuples(family, family), min_size=1, max_size=5)),
        "year": draw(st.integers(1500, 2100)),
        "journal": draw(title),
        "volume": str(draw(st.integers(1, 999))),
        "pages": draw(st.tuples(st.integers(1, 500), st.integers(0, 99))),
    }


def as_refer_lines(rec) -> list[str]:
    first, extra = rec["pages"]
    return [
        "%0 Journal Article",
        f"%T {rec['title']}",
        *(f"%A {f}, {g}" for f, g in rec["authors"]),
        f"%J {rec['journal']}",
        f"%D {rec['year']}",
        f"%V {rec['volume']}",
        f"%P {first}-{first + extra}",
    ]


@SETTINGS
@given(st.lists(records(), min_size=1, max_size=4))
def test_generated_records_read_back_exactly(recs):
    text = "\n\n".join("\n".join(as_refer_lines(r)) for r in recs) + "\n"
    got, warnings = read_refer(text)
    assert warnings == []
    assert len(got) == len(recs)
    for record, rec in zip(got, recs, strict=True):
        assert record.type == "article-journal"
        assert record.fields["title"] == rec["title"]
        assert record.names["author"] == [Name(f, g) for f, g in rec["authors"]]
        assert record.dates["issued"].parts == ((rec["year"],),)
        assert record.fields["container-title"] == rec["journal"]
        first, extra = rec["pages"]
        assert record.fields["page"] == f"{first}-{first + extra}"


@SETTINGS
@given(records())
def test_flattened_form_reads_like_the_line_form(rec):
    lines = as_refer_lines(rec)
    by_lines, _ = read_refer("\n".join(lines) + "\n")
    flat, _ = read_refer(" ".join(lines))
    for a, b in zip(by_lines, flat, strict=True):
        a.source = b.source
    assert by_lines == flat


@SETTINGS
@given(st.text(max_size=60))
@example("\u2012\u2012")  # two figure dashes were two range dashes, then one
def test_value_parsers_never_raise(text):
    parse_date(text)
    once = normalize_pages(text)
    assert normalize_pages(once) == once
