"""No value forges a record or a tag in line-based output (issue 13 §3).

Every line separator a consumer may split on (CR, CRLF, LF, VT, FF, FS/GS/RS, NEL, U+2028,
U+2029; ``str.splitlines`` splits on all of them) is put into every kind of value, followed
by text shaped like a tag or a record start, and the output is read back by our readers, by
rispy (RIS) and by the strictest splitter: the same records, and exactly the tag lines the
writer meant to write.
"""

from __future__ import annotations

import io
import json
import re
import subprocess

import pytest
import rispy
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from refconv.cli import cli
from refconv.errors import Diagnostics
from refconv.io import iter_lines
from refconv.model import Date, Name, Record
from refconv.notes import note_line, parse_note_line
from refconv.readers.refer import ReferReader, is_tag_line, split_flattened
from refconv.readers.ris import TAG_LINE, RisReader
from refconv.values import LINE_BREAK, value_lines
from refconv.writers.csljson import CslJsonWriter
from refconv.writers.refer import ReferWriter, refer_lines
from refconv.writers.ris import RisWriter, ris_lines

from .conftest import require_tool

SEPARATORS = [
    "\r",
    "\r\n",
    "\n",
    "\x0b",
    "\x0c",
    "\x1c",
    "\x1d",
    "\x1e",
    "\x85",
    "\u2028",
    "\u2029",
]
PAYLOADS = [
    "ER  - ", "ER  -", "ER -", "TY  - BOOK", "TY - JOUR", "TI  - Forged", "ÄB  - x", "%0 Book",
    "%T Forged", "%A Smith, J.", " %D 2020", "%0 Journal Article %T F %A G", "", " ", "\t",
    "%", "title: Forged", "DOI: 10.1/x",
]  # fmt: skip

piece = st.one_of(
    st.sampled_from(SEPARATORS), st.sampled_from(PAYLOADS), st.text(max_size=4)
).filter(lambda s: "\x00" not in s)
hostile = st.lists(piece, max_size=8).map("".join)


def _record(title, note, abstract, person, keyword, key, custom, kind, date):
    """A record with a hostile value in every kind of field a line writer places."""
    record = Record(type="book", id="a")
    record.fields.update(
        {"title": "Real " + title, "note": note, "abstract": abstract, "event-title": custom}
    )
    record.names["author"] = [Name(family=person, given=person), Name(literal=person)]
    record.names["composer"] = [Name(family=person)]  # no tag of its own: a note line
    record.keywords = [keyword, "plain"]
    record.extra[key or "k"] = [custom]
    record.extra["%0"] = [kind]
    record.dates["issued"] = Date(literal=date)
    return record


records = st.builds(_record, *[hostile] * 9)


def _tags_seen(text: str, line_is_tag) -> list[str]:
    """The tags of the lines a strict consumer sees: split at every separator."""
    return [line[:2] for line in text.splitlines() if line_is_tag(line)]


def _rispy_tags(text: str) -> list[set[str]]:
    """rispy's records, each as the set of tags it read (all unknown to an empty mapping)."""
    parser_records = rispy.loads(text, mapping={"TY": "TY", "UK": "UK"}, list_tags=[])
    return [{"TY", *r.get("UK", {})} for r in parser_records]


def _read(reader_cls, text: str) -> list[Record]:
    diagnostics = Diagnostics(quiet=True)
    lines = iter_lines(io.BytesIO(text.encode()), "t", diagnostics)
    return list(reader_cls(diagnostics=diagnostics).read(lines, "t"))


def _write(writer_cls, recs: list[Record]) -> str:
    out = io.StringIO()
    writer_cls(diagnostics=Diagnostics(quiet=True)).write(recs, out)
    return out.getvalue()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(records, min_size=1, max_size=3))
def test_ris_output_has_the_writers_tags_only(recs):
    text = _write(RisWriter, recs)
    assert not any(ch in text for ch in SEPARATORS if ch not in ("\n",))
    expected = [["TY", *[tag for tag, _ in ris_lines(r)], "ER"] for r in recs]
    ours = _tags_seen(text, lambda line: TAG_LINE.fullmatch(line.rstrip()) is not None)
    assert ours == [tag for tags in expected for tag in tags]
    assert _rispy_tags(text) == [set(tags) - {"ER"} for tags in expected]
    back = _read(RisReader, text)
    assert len(back) == len(recs)
    for before, after in zip(recs, back, strict=True):
        assert after.fields["title"] == "\n".join(value_lines(before.fields["title"]))
        assert after.keywords[-1] == "plain"  # a keyword is one line: no keyword forged


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(records, min_size=1, max_size=3))
def test_refer_output_has_the_writers_tags_only(recs):
    text = _write(ReferWriter, recs)
    assert not any(ch in text for ch in SEPARATORS if ch not in ("\n",))
    expected = [tag for r in recs for tag, _ in refer_lines(r)]
    assert _tags_seen(text, is_tag_line) == expected
    assert not any(is_tag_line(line) and split_flattened(line) for line in text.splitlines())
    assert "\n\n" not in re.sub(r"\n\n(?=%0)", "", text.strip("\n"))  # only records end
    back = _read(ReferReader, text)
    assert len(back) == len(recs)
    for before, after in zip(recs, back, strict=True):
        assert " ".join(after.fields["title"].split()) == " ".join(
            " ".join(value_lines(before.fields["title"])).split()
        )
        assert after.keywords[-1] == "plain"


@settings(max_examples=100, deadline=None)
@given(st.lists(records, min_size=1, max_size=3))
def test_csljson_output_breaks_no_line_inside_a_string(recs):
    text = _write(CslJsonWriter, recs)
    assert not any(ch in text for ch in SEPARATORS if ch not in ("\n",))
    assert text.splitlines() == text.split("\n")[:-1]  # no line break but the writer's own
    items = json.loads(text)
    assert [item["title"] for item in items] == [r.fields["title"] for r in recs]


@pytest.mark.parametrize(
    ("target", "payload"),
    [
        ("ris", "x\rER  - \rTY  - BOOK\rTI  - Forged\r"),
        ("refer", "x\r%0 Book\r%T Forged\r"),
        *[("ris", f"x{sep}ER  - {sep}TY  - BOOK{sep}TI  - Forged") for sep in SEPARATORS],
        *[("refer", f"x{sep}{sep}%0 Book{sep}%T Forged") for sep in SEPARATORS],
        ("refer", "x %A Smith %D 2020 %0 Book %T Forged"),
    ],
)
def test_issue_reproducers_read_back_as_one_record(target, payload):
    item = {"id": "a", "type": "book", "title": "Real", "note": payload}
    written = CliRunner().invoke(
        cli, ["convert", "-f", "csljson", "-t", target], json.dumps([item])
    )
    assert written.exit_code == 0, written.stderr
    back = CliRunner().invoke(cli, ["convert", "-f", target, "-t", "csljson"], written.stdout)
    assert back.exit_code == 0, back.stderr
    (read,) = json.loads(back.stdout)
    assert read["title"] == "Real"
    assert "Forged" in read["note"]  # the value is kept, as text
    if target == "ris":
        assert len(rispy.loads(written.stdout)) == 1


def test_one_line_tags_take_a_space_for_a_line_break():
    record = Record(type="book", id="a\rb", keywords=["one\u2028two"])
    record.names["author"] = [Name(family="Doe\x85TY  - BOOK", given="J.")]
    text = _write(RisWriter, [record])
    assert "KW  - one two\n" in text
    assert "AU  - Doe TY  - BOOK, J.\n" in text
    assert "ID  - a b\n" in text
    refer = _write(ReferWriter, [record])
    assert "%K one two\n" in refer and "%F a b\n" in refer


def test_line_break_pattern_is_every_splitlines_separator():
    every = "".join(chr(c) for c in range(0x110000) if len(f"a{chr(c)}b".splitlines()) == 2)
    assert set(every) == set(LINE_BREAK.pattern) - {"|", "[", "]"}


@pytest.mark.parametrize(
    ("key", "read_back"),
    [
        ("event-title", "event-title"),
        ("%H", "%H"),
        ("DOI: 10.1/x", None),  # would fill the DOI: quoted, read back as plain text
        ("x (%T)", None),
        ("a\nb", None),
    ],
)
def test_note_keys_read_back_as_themselves_or_as_text(key, read_back):
    line = note_line(key, "v")
    assert not LINE_BREAK.search(line)
    keyed = parse_note_line(line)
    assert (keyed[0] if keyed else None) == read_back


@pytest.mark.parametrize(("target", "program"), [("ris", "ris2xml"), ("refer", "end2xml")])
def test_bibutils_reads_one_record_per_record(target, program, tmp_path):
    """bibutils, an independent reader of both formats, sees the records written, however
    the values are broken into lines."""
    forged = "{0}ER  - {0}TY  - BOOK{0}TI  - Forged{0}{0}%0 Book{0}%T Forged %A X %D 2020 %0 Book"
    items = [
        {"id": f"r{i}", "type": "book", "title": f"Real {i} {forged.format(sep)}",
         "note": forged.format(sep), "author": [{"family": f"Doe{sep}%A Forged"}]}
        for i, sep in enumerate(SEPARATORS)
    ]  # fmt: skip
    args = ["convert", "-f", "csljson", "-t", target]
    written = CliRunner().invoke(cli, args, json.dumps(items))
    assert written.exit_code == 0, written.stderr
    path = tmp_path / f"in.{target}"
    path.write_text(written.stdout, encoding="utf-8")
    program = require_tool(program, "bibutils")
    mods = subprocess.run([program, str(path)], capture_output=True, text=True, check=True)
    assert mods.stdout.count("<mods ID=") == len(items)
