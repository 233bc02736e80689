"""No value forges a record or a tag in line-based output (issue 13 §3).

Every line separator a consumer may split on (CR, CRLF, LF, VT, FF, FS/GS/RS, NEL, U+2028,
U+2029; ``str.splitlines`` splits on all of them) is put into every kind of value, followed
by text shaped like a tag or a record start (also behind U+FEFF, other format characters and
whitespace of every kind, which lenient readers such as bibutils skip), and the output is read
back by our readers, by rispy (RIS), by bibutils and by the strictest, most lenient splitter:
the same records, and exactly the tag lines the writer meant to write.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import unicodedata

import pytest
import rispy
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from refconv.cli import cli
from refconv.diagnostics import Diagnostics
from refconv.formats.csljson.write import CslJsonWriter
from refconv.formats.refer.read import ReferReader
from refconv.formats.refer.syntax import is_tag_line, split_flattened
from refconv.formats.refer.write import ReferWriter, refer_lines
from refconv.formats.ris.read import TAG_LINE, RisReader
from refconv.formats.ris.write import RisWriter, ris_lines
from refconv.io import iter_lines
from refconv.model import Date, Name, Record
from refconv.notes import note_line, parse_note_line
from refconv.values.text import LINE_BREAK, value_lines

from .conftest import require_tool

pytestmark = pytest.mark.slow  # every line separator through every reader and writer

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

#: Characters a lenient reader may skip at the start of a line before it looks for a tag or
#: decides the line is blank: bibutils skips U+FEFF; others strip whitespace of every kind,
#: format characters (Cf) or noncharacters. Listed here independently of the writers' own test.
WHITESPACE = [chr(c) for c in range(0x110000) if chr(c).isspace()]
NONCHARACTERS = [chr(c) for c in range(0xFDD0, 0xFDF0)] + [
    chr(plane << 16 | low) for plane in range(17) for low in (0xFFFE, 0xFFFF)
]
INVISIBLE_PREFIXES = [
    "\ufeff", "\ufeff\ufeff", "\u200b", "\u00a0", "\u3000", "\u2060", "\u180e", "\u00ad",
    "\ufffe", "\u200d\ufeff", "\u202e", "\U000e0001", "\u061c", "\t\ufeff", "\ufeff \ufeff",
]  # fmt: skip
invisible = st.text(
    st.one_of(
        st.just("\ufeff"),
        st.characters(categories=["Cf"]),
        st.sampled_from(WHITESPACE),
        st.sampled_from(NONCHARACTERS),
    ),
    min_size=1,
    max_size=3,
)
prefixed = st.builds(lambda a, b: a + b, invisible, st.sampled_from(PAYLOADS))
piece = st.one_of(
    st.sampled_from(SEPARATORS), st.sampled_from(PAYLOADS), st.text(max_size=4), prefixed
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


def _skip_invisible(line: str) -> str:
    """A line as bibutils and other lenient readers see it: format characters (Cf) and
    noncharacters at its start dropped (not spaces: bibutils reads " TY  - " as text)."""
    at = 0
    while (
        at < len(line)
        and not line[at].isspace()
        and (unicodedata.category(line[at]) == "Cf" or line[at] in NONCHARACTERS)
    ):
        at += 1
    return line[at:]


def _is_blank_to_someone(line: str) -> bool:
    """True for a line that a reader stripping whitespace and invisible characters of every
    kind takes for a blank line, the end of a Refer record."""
    kept = (c for c in line if unicodedata.category(c) != "Cf" and c not in NONCHARACTERS)
    return not "".join(kept).strip()


def _tags_seen(text: str, line_is_tag) -> list[str]:
    """The tags of the lines a strict consumer sees: split at every separator, with the
    invisible characters a lenient reader skips dropped, in upper case as some readers read."""
    lines = [_skip_invisible(line) for line in text.splitlines()]
    return [line[:2].upper() for line in lines if line_is_tag(line) or line_is_tag(line.upper())]


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
        # a one-line field's runs of spaces and tabs read as one space (issue 15)
        lines = [re.sub(r"[ \t]{2,}|\t", " ", line) for line in value_lines(before.fields["title"])]
        assert after.fields["title"] == "\n".join(lines).strip()
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
    blank = [line for line in text.split("\n") if _is_blank_to_someone(line)]
    assert all(line == "" for line in blank)  # blank only to a lenient reader: none written
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
        *[("ris", f"x\n{p}ER  - \n{p}TY  - BOOK\n{p}TI  - Forged") for p in INVISIBLE_PREFIXES],
        *[("refer", f"x\n{p}\n{p}%0 Book\n{p}%T Forged") for p in INVISIBLE_PREFIXES],
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
        ("DOI: 10.1/x", "DOI: 10.1/x"),  # would fill the DOI: quoted, read back as itself
        ("x (%T)", "x (%T)"),  # (a custom key; refconv.notes.CustomKey)
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
    forged = (
        "{0}{1}ER  - {0}{1}TY  - BOOK{0}{1}TI  - Forged{0}{1}AU  - Evil, E.{0}{1}{0}{1}%0 Book"
        "{0}{1}%T Forged %A X %D 2020 %0 Book{0}{1}%A Evil, E."
    )
    cases = [(sep, p) for sep in SEPARATORS for p in ["", *INVISIBLE_PREFIXES]]
    items = [
        {"id": f"r{i}", "type": "book", "title": f"Real {i} {forged.format(sep, p)}",
         "note": forged.format(sep, p),
         "author": [{"family": f"Doe{sep}{p}%A Forged", "given": "J."}]}
        for i, (sep, p) in enumerate(cases)
    ]  # fmt: skip
    args = ["convert", "-f", "csljson", "-t", target]
    written = CliRunner().invoke(cli, args, json.dumps(items))
    assert written.exit_code == 0, written.stderr
    path = tmp_path / f"in.{target}"
    path.write_text(written.stdout, encoding="utf-8")
    program = require_tool(program, "bibutils")
    mods = subprocess.run([program, str(path)], capture_output=True, text=True, check=True)
    assert mods.stdout.count("<mods ID=") == len(items)
    titles = re.findall(r"<title>([^<]*)", mods.stdout)
    assert len(titles) == len(items) and all(t.startswith("Real") for t in titles)
    assert mods.stdout.count("<name ") == len(items)  # the one author of each


def _visible_form_char_by_char(line: str) -> str:
    """A line's visible form as ``lenient_pattern`` states it, one character at a time."""
    from refconv.values.text import is_invisible

    return "".join(c for c in line if not is_invisible(c) or c.isspace()).lstrip()


INVISIBLE_SAMPLES = "\ufeff\u200b\u2060\u180e\xad\ufffe\U0001fffe\U0010ffff\U000e0001\u034f"
INVISIBLE_SAMPLES += "\ufe0f\u3164\x85\u2028\xa0\u3000 \t\ufdd0\U0001d173\U000e007f\U000110bd"


@settings(max_examples=500)
@given(st.text(alphabet=st.one_of(st.sampled_from(INVISIBLE_SAMPLES + "ER-%T é中"),
                                  st.characters()), max_size=20))  # fmt: skip
def test_lenient_patterns_miss_no_line_visible_form_flags(line):
    """The writers match ``lenient_pattern`` on the raw line (its cost does not grow with the
    line, where rewriting each line cost whole abstracts): every line whose visible form is a
    tag, a Refer tag or blank is caught (a few more may be: U+3164 is a letter too)."""
    from refconv.formats.ris.write import _LOOKS_LIKE_TAG
    from refconv.values.text import is_blank_to_readers, lenient_pattern

    seen = _visible_form_char_by_char(line)
    assert is_blank_to_readers(line) == (seen == "")
    if re.match(r"\w\w\s*-", seen):
        assert lenient_pattern(_LOOKS_LIKE_TAG).match(line)
    if seen.startswith("%"):
        assert lenient_pattern("%").match(line)
