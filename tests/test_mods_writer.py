"""The MODS writer: the seed record's golden bytes, every CSL type said so that it reads
back (with and without refconv's local genre), values that cannot change the XML's
structure whatever they hold, and round trips mods -> model -> mods that are fixed points
(issue 19 item 4)."""

from __future__ import annotations

import io
import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from refconv import Collected, read
from refconv.api import convert
from refconv.formats.mods.tables import CSL_TO_MODS
from refconv.formats.mods.write import ModsWriter
from refconv.model import CSL_TYPES, Date, Name, Record, SourcePos
from refconv.values.dates import format_date

from .conftest import FORMATS, SEED
from .test_fixed_points import csl_items

M = "{http://www.loc.gov/mods/v3}"
STRICT = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def written(*records: Record) -> tuple[str, list[str]]:
    sink = Collected()
    out = io.StringIO()
    ModsWriter(diagnostics=sink).write(records, out)
    return out.getvalue(), [str(m) for m in sink.messages]


def parsed(text: str):
    """The output parsed by lxml on its own (a strict, independent reading of the XML)."""
    return etree.fromstring(text.encode("utf-8"), STRICT)


def test_the_seed_record_as_refconv_writes_it():
    """The golden input tests/formats/mods/nahta2012.mods is the writer's output."""
    out = convert(str(SEED), None, "refer", "mods", diagnostics=Collected(), fix_text=True)
    assert out == (FORMATS / "mods" / "nahta2012.mods").read_text(encoding="utf-8")
    assert out == convert(str(SEED), None, "refer", "mods", diagnostics=Collected(),
                          fix_text=True)  # fmt: skip


def test_no_records_is_an_empty_collection():
    text, messages = written()
    assert parsed(text).tag == f"{M}modsCollection" and len(parsed(text)) == 0
    assert messages == []


@pytest.mark.parametrize("kind", sorted(CSL_TYPES))
def test_every_type_reads_back(kind):
    record = Record(type=kind, fields={"title": "T", "container-title": "C"}, id="k")
    text, _ = written(record)
    (back,) = read(text.encode(), "mods", diagnostics=Collected())
    assert back.type == kind
    assert back.fields == {"title": "T", "container-title": "C", "citation-key": "k"}


#: Types whose MODS form (without refconv's local genre) reads as another, and why.
FORM_READS_AS = {
    "figure": "graphic",  # MODS says "still image", as for any graphic
    "review-book": "review",  # MARC has one genre for reviews of any work
}


@pytest.mark.parametrize("kind", sorted(CSL_TO_MODS))
def test_the_form_alone_says_the_type(kind):
    """What other readers of MODS see: the genres, typeOfResource and issuance of a type
    (``CSL_TO_MODS``) say that type without refconv's ``<genre authority="local">``."""
    record = Record(type=kind, fields={"title": "T"}, id="k")
    text, _ = written(record)
    text = re.sub(r'\s*<genre authority="local">[^<]*</genre>', "", text)
    (back,) = read(text.encode(), "mods", diagnostics=Collected())
    assert back.type == FORM_READS_AS.get(kind, kind)


def test_names_that_name_parts_cannot_say_are_kept():
    people = [Name(family="Berg", particle="Van"), Name(suffix="Jr."), Name(family="van Berg")]
    record = Record(type="book", fields={"title": "T"}, names={"author": people}, id="k")
    (back,) = read(written(record)[0].encode(), "mods", diagnostics=Collected())
    assert "author" not in back.names
    assert back.extra == {"author": ["Van Berg", "Jr.", "van Berg"]}


HOSTILE = [
    "a < b & c > d",
    "]]> <![CDATA[ x ]]>",
    "</title></titleInfo><titleInfo><title>Forged",
    "\"quoted\" 'single'",
    "line\nbreak\r\nand\rcarriage",
    "tab\there",
    "&amp; &#0; &lt;",
    "<!-- comment --> <?pi x?>",
    "x" * 200_000,
]


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_no_value_changes_the_structure(value):
    record = Record(
        type="article-journal",
        fields={"title": value, "note": value, "container-title": value},
        names={"author": [Name(family=value, given=value)]},
        extra={value: [value]},
        id="k",
    )
    text, messages = written(record)
    root = parsed(text)
    (mods,) = root
    assert mods.find(f"{M}titleInfo/{M}title").text == value.replace("\r\n", "\r\n")
    assert mods.find(f"{M}note").text == value
    custom = mods.find(f"{M}extension/{{urn:x-refconv:custom}}custom")
    assert (custom.get("key"), custom.text) == (value, value)
    assert messages == []


def test_characters_xml_cannot_hold_are_replaced_with_a_warning():
    record = Record(
        type="book",
        fields={"title": "bell\x07 nul\x00 \ud800 pair \ud83d\ude00 \ufffe"},
        extra={"k\x01": ["v"]},
        id="k",
        source=SourcePos("in.json", 3),
    )
    text, messages = written(record)
    (mods,) = parsed(text)
    assert mods.find(f"{M}titleInfo/{M}title").text == (
        "bell\ufffd nul\ufffd \ufffd pair \U0001f600 \ufffd"
    )
    assert messages == [
        "in.json:3: warning: <title>: U+0000, U+0007, U+D800, U+FFFE cannot be written in "
        "XML 1.0; replaced by U+FFFD",
        "in.json:3: warning: <refconv:custom@key>: U+0001 cannot be written in XML 1.0; "
        "replaced by U+FFFD",
    ]


def test_dates_as_mods_says_them():
    record = Record(
        type="book",
        fields={"title": "T"},
        dates={
            "issued": Date(((1996,), (2004,)), circa=True),
            "accessed": Date(((2019, 8, 12),)),
            "original-date": Date(((1985, 3),), open_end=True),
            "event-date": Date(((2019, 6, 1),)),
        },
        id="k",
    )
    (mods,) = parsed(written(record)[0])
    issued = mods.findall(f"{M}originInfo/{M}dateIssued")
    assert [(d.get("point"), d.get("qualifier"), d.text) for d in issued] == [
        ("start", "approximate", "1996"),
        ("end", "approximate", "2004"),
    ]
    assert mods.find(f"{M}originInfo/{M}dateCaptured").text == "2019-08-12"
    original = mods.find(f"{M}relatedItem[@type='original']/{M}originInfo/{M}dateIssued")
    assert (original.get("point"), original.text) == ("start", "1985-03")
    (back,) = read(written(record)[0].encode(), "mods", diagnostics=Collected())
    assert back.dates == record.dates


# --- properties -------------------------------------------------------------------------------

any_text = st.text(min_size=1, max_size=40)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=any_text, note=any_text, key=any_text, family=any_text)
def test_any_value_gives_one_well_formed_record(title, note, key, family):
    record = Record(type="book", fields={"title": title, "note": note},
                    names={"author": [Name(family=family)]}, extra={key: [note]},
                    id="k")  # fmt: skip
    text, _ = written(record, record)
    root = parsed(text)
    assert [child.tag for child in root] == [f"{M}mods", f"{M}mods"]
    (back, _again) = read(text.encode(), "mods", diagnostics=Collected(quiet=True))
    expected = " ".join(title.split()) if title.isprintable() else None
    if expected and "\ufffd" not in expected:
        assert back.fields.get("title") == expected


def _csljson(items: list) -> str:
    return json.dumps(items)


def readable(dates: dict[str, Date]) -> dict[str, Date]:
    """``dates`` as any format reads them back: a range that ends before it starts is the
    literal text of the range (``format_date``), as no reader takes it for a range."""
    return {
        var: Date(literal=format_date(d)) if len(d.parts) == 2 and d.parts[1] < d.parts[0] else d
        for var, d in dates.items()
    }


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(csl_items())
def test_mods_model_mods_is_a_fixed_point(items):
    """Records written as MODS read back as the same model (but the citation key, which MODS
    carries as an identifier), and writing them again gives the same bytes."""
    sink = Collected()
    data = _csljson(items).encode()
    original = list(read(data, "csljson", diagnostics=sink))
    text = convert(data, None, "csljson", "mods", diagnostics=sink)
    assert text is not None
    back = list(read(text.encode(), "mods", diagnostics=Collected(quiet=True)))
    for before, after in zip(original, back, strict=True):
        after.fields.pop("citation-key", None)
        before.fields.pop("citation-key", None)
        assert (after.type, after.fields, after.names, after.dates, after.keywords) == (
            before.type, before.fields, before.names, readable(before.dates), before.keywords
        )  # fmt: skip
        assert after.extra == before.extra
    again = convert(text.encode(), None, "mods", "mods", diagnostics=Collected(quiet=True))
    assert again == text
