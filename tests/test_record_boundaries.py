"""Where Refer records start (refer-format.md §1.2): a ``%0`` line after a typed record, a
byte-order mark in any of its mis-decoded forms (``strip_bom``), and ``cat a.enw b.enw``
read like the files one by one. The goldens ``tests/formats/refer/records_*`` pin the
messages."""

from __future__ import annotations

import dataclasses
import io
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from refconv import read, write
from refconv.formats.refer.write import ReferWriter
from refconv.model import Name, Record, SourcePos
from refconv.values.text import BOM_FORMS, is_blank_to_readers, lenient_pattern, strip_bom

from .conftest import Collect, read_one, read_refer
from .hostile import nasty_char, payload

MOJIBAKE = {
    "cp1252": "\u00ef\u00bb\u00bf",  # ï»¿
    "cp1252_twice": "\u00c3\u00af\u00c2\u00bb\u00c2\u00bf",  # Ã¯Â»Â¿
    "mac_roman": "\u00d4\u00aa\u00f8",  # Ôªø
    "cp437": "\u2229\u2557\u2510",  # ∩╗┐
    "cp1251": "\u043f\u00bb\u0457",  # п»ї
}


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        pytest.param("\ufeff%0 Book", ("%0 Book", True), id="real_bom"),
        *(
            pytest.param(form + "%0 Journal Article", ("%0 Journal Article", True), id=name)
            for name, form in MOJIBAKE.items()
        ),
        pytest.param("\ufeff\u00ef\u00bb\u00bf%A x", ("%A x", True), id="bom_then_mojibake"),
        pytest.param("\ufeff\ufeff", ("", True), id="only_boms"),
        pytest.param("%0 Book", ("%0 Book", False), id="no_bom"),
        pytest.param("", ("", False), id="empty"),
        pytest.param(" \ufeff%0 Book", (" \ufeff%0 Book", False), id="not_at_start"),
        pytest.param("\u00ef\u00bb%0 Book", ("\u00ef\u00bb%0 Book", False), id="two_of_three"),
        pytest.param("\u00efle de France", ("\u00efle de France", False), id="i_diaeresis_word"),
        pytest.param("%T \ufeffx", ("%T \ufeffx", False), id="inside_value"),
    ],
)
def test_strip_bom(line, expected):
    assert strip_bom(line) == expected


def test_bom_forms_are_the_utf8_bom_misread():
    """Each listed form is EF BB BF read with one of the code pages named in BOM_FORMS."""
    assert set(BOM_FORMS) == {"\ufeff", *MOJIBAKE.values()}


@pytest.mark.parametrize("form", BOM_FORMS[1:])
def test_writer_pattern_sees_a_tag_behind_a_mojibake_bom(form):
    """The Refer and RIS writers indent a continuation that ``lenient_pattern`` matches, so a
    value line "ï»¿%0 Book" cannot become a record where the reader strips the BOM."""
    assert lenient_pattern("%").match(form + "%0 Book")
    assert lenient_pattern(r"\w{inv}\w{skip}-").match(form + "TY  - JOUR")
    assert not is_blank_to_readers(form)  # no reader ends a record at a line of "ï»¿"


@pytest.mark.parametrize(
    ("text", "titles"),
    [
        pytest.param("%0 Book\n%T A\n%0 Book\n%T B\n", ["A", "B"], id="no_blank_line"),
        pytest.param("%0 Book\n%T A\n%0 Book %T B %A Doe, J. %D 2020\n", ["A"], id="flat_inside"),
        pytest.param("%A Doe, J.\n%T A\n%0 Book\n%J X\n", ["A"], id="ojs_type_in_middle"),
        pytest.param("%0 Book\n%0 Report\n%T A\n", ["A"], id="repeated_type_line"),
        pytest.param("%T A\n%A Doe, J.\n%T B\n", ["A"], id="classic_no_split"),
        pytest.param("%0 Book\n%T A\n\ufeff%T B\n", ["A", "B"], id="bom_starts_record"),
        pytest.param("%0 Book\n%T A\n\ufeffB\n", ["A \ufeffB"], id="bom_before_text"),
        pytest.param("%0 Book\n%T A\n %0 Book\n", ["A %0 Book"], id="indented_type_line"),
        pytest.param("%0 Book\n%T A\n%0\n%T B\n", ["A", "B"], id="bare_type_line"),
    ],
)
def test_record_starts(text, titles):
    records, _ = read_refer(text)
    assert [r.fields.get("title") for r in records] == titles


def test_a_mojibake_bom_warns_once_with_its_line():
    records, warnings = read_refer("%0 Book\n%T A\n\n\u00ef\u00bb\u00bf%0 Book\n%T B\n")
    assert [r.fields["title"] for r in records] == ["A", "B"]
    assert warnings == [
        "t.enw:4: 'ï»¿' before the tag is a UTF-8 byte-order mark decoded with the wrong code "
        "page; removed (other text of this input may be mis-decoded too)"
    ]


def test_a_real_bom_warns_only_after_the_start():
    """A U+FEFF that starts a text input is its encoding's mark, silent; after cat it warns."""
    records, warnings = read_refer("\ufeff%0 Book\n%T A\n")  # io drops the UTF-8 BOM bytes
    assert warnings == [] and records[0].fields["title"] == "A"
    diagnostics = Collect()
    text = io.BytesIO("\ufeff%0 Book\n%T A\n\ufeff%0 Book\n%T B\n".encode("utf-16"))
    got = list(read(text, "refer", diagnostics=diagnostics, label="u.enw"))
    assert [r.fields["title"] for r in got] == ["A", "B"]
    assert [m.split(": ", 1)[0] for m in diagnostics.messages] == ["u.enw:3"]


def test_sniff_sees_a_tag_behind_a_mojibake_bom():
    from refconv.formats.refer.read import ReferReader

    assert ReferReader.sniff("\u00ef\u00bb\u00bf%0 Journal Article\n%T x\n")
    assert not ReferReader.sniff("\u00ef\u00bb\u00bfTY  - JOUR\n")


def test_a_value_line_with_a_bom_and_a_tag_reads_back():
    """Written by refconv, a line of a value that starts with a mis-decoded BOM and a tag
    is indented: it stays text of its field, not a record."""
    abstract = "First line.\n\u00ef\u00bb\u00bf%0 Journal Article\n\ufeff%A Forged, X."
    record = Record("article-journal", {"title": "T", "abstract": abstract})
    out = io.StringIO()
    ReferWriter(diagnostics=Collect()).write([record], out)
    assert read_one(out.getvalue()).fields["abstract"] == abstract


# --- cat: N records written by refconv read back the same, joined or one by one ---------------

#: What no reader puts in a record (NUL and lone surrogates become U+FFFD as they are read).
_NOT_READ = re.compile("[\x00\ud800-\udfff]")
_text = st.one_of(
    st.text(max_size=20),
    payload,
    st.lists(st.one_of(nasty_char, st.sampled_from(["\n%0 Book", "\n\ufeff%A X", "\n"]),
                       st.sampled_from(BOM_FORMS), st.text(max_size=4)), max_size=8).map("".join),
).map(lambda text: _NOT_READ.sub("\ufffd", text))  # fmt: skip
_csl_type = st.sampled_from(["article-journal", "book", "chapter", "report", "thesis", "webpage"])


@st.composite
def _records(draw: st.DrawFn) -> Record:
    fields = {"title": draw(_text)}
    for var in draw(st.sets(st.sampled_from(["abstract", "note", "container-title", "volume"]))):
        fields[var] = draw(_text)
    people = draw(st.lists(st.tuples(_text, _text), max_size=3))
    names = {"author": [Name(family=f, given=g) for f, g in people]} if people else {}
    return Record(draw(_csl_type), fields, names)


def _written(record: Record) -> bytes:
    """One .enw file as refconv writes it (NUL and lone surrogates replaced, UTF-8)."""
    out = io.BytesIO()
    write([record], out, "refer", diagnostics=Collect())
    return out.getvalue()


def _comparable(record: Record) -> Record:
    return dataclasses.replace(record, source=SourcePos("", 0))


_LINE = re.compile(r"^t\.enw:\d+: ")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(_records(), st.booleans(), st.sampled_from(["", "\ufeff", *BOM_FORMS[1:]])),
        min_size=1,
        max_size=5,
    )
)
def test_cat_reads_like_the_files_one_by_one(files):
    """``cat`` of N files of one record each, written by refconv, each ending with or without
    its blank line and each after the first maybe starting with a byte-order mark (a real or
    a mis-decoded one), reads as N records equal to the files read one by one; the only extra
    warnings are one per byte-order mark."""
    texts = [_written(record) for record, _, _ in files]
    separate = [read_refer(text) for text in texts]
    assert all(len(records) == 1 for records, _ in separate)
    joined = b"".join(
        (bom.encode() if i else b"") + (text if blank else text[:-1])
        for i, (text, (_, blank, bom)) in enumerate(zip(texts, files, strict=True))
    )
    records, warnings = read_refer(joined)
    assert [_comparable(r) for r in records] == [_comparable(r[0]) for r, _ in separate]
    boms = sum(1 for i, (_, _, bom) in enumerate(files) if i and bom)
    marked = [w for w in warnings if "byte-order mark" in w]
    assert len(marked) == boms
    rest = sorted(_LINE.sub("", w) for w in warnings if w not in marked)
    assert rest == sorted(_LINE.sub("", w) for _, ws in separate for w in ws)
