"""Hostile but valid BibTeX that must not exhaust memory or the stack, nor lose fields
(refconv/formats/bibtex/read.py, inherit.py): @string macros that double at every level,
crossref and xdata chains thousands long, xdata loops, and % comments after a field or key,
checked against biber 2.18 (``biber --tool``)."""

from __future__ import annotations

import io
import tracemalloc

import bibtexparser
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from refconv.formats.bibtex import read as bibtex_read
from refconv.formats.bibtex.read import MAX_EXPANDED, BibtexReader
from refconv.io import iter_lines
from refconv.model import Record

from .conftest import Collect, biber_tool


def read(text: str, path: str = "t.bib") -> tuple[list[Record], list[str]]:
    diagnostics = Collect()
    lines = iter_lines(io.BytesIO(text.encode()), path, diagnostics)
    return list(BibtexReader(diagnostics=diagnostics).read(lines, path)), diagnostics.messages


def doubling(levels: int, use: str) -> str:
    """``s0`` of 8 characters, then ``s<i> = s<i-1> # s<i-1>``: s<i> is 8 * 2**i long."""
    lines = ['@string{s0 = "xxxxxxxx"}']
    lines += [f"@string{{s{i} = s{i - 1} # s{i - 1}}}" for i in range(1, levels + 1)]
    return "\n".join([*lines, f"@article{{k, title = {use}, year = 2000}}", ""])


LIMIT_WARNING = (
    "title: @string macros and # expand to more than 1,000,000 characters; kept as written "
    "(unexpanded)"
)


# --- @string expansion is bounded ------------------------------------------------------


@pytest.mark.parametrize(
    ("levels", "use", "length"),
    [
        pytest.param(16, "s16", 8 * 2**16, id="half_a_million"),
        pytest.param(16, "s16 # s15", 8 * (2**16 + 2**15), id="below_the_limit_by_hash"),
        pytest.param(16, "s16 # s15 # s15", None, id="just_past_by_hash"),
        pytest.param(17, "s17", None, id="macro_past_the_limit"),
        pytest.param(39, "s39", None, id="reproducer_40_levels"),
        pytest.param(60, "s59 # s60", None, id="sixty_levels_in_a_value"),
    ],
)
def test_expansion_is_bounded(levels: int, use: str, length: int | None) -> None:
    """A value expands in full up to MAX_EXPANDED characters; past it (by ``#`` or by a
    macro already past it) it is kept as written, with one warning at its line, and the
    reader's memory stays far below what the expansion would take (23 GB before)."""
    text = doubling(levels, use)
    tracemalloc.start()
    try:
        records, messages = read(text)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 40 * MAX_EXPANDED
    (record,) = records
    if length is None:
        assert record.fields["title"] == use
        assert messages == [f"t.bib:{levels + 2}: {LIMIT_WARNING}"]
    else:
        assert record.fields["title"] == "x" * length
        assert messages == []


@pytest.mark.parametrize("size", [1, 2, 3])
def test_the_limit_is_exact(size: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the limit at 2 characters: 'a' # 'b' (2) expands, 'a' # 'b' # 'c' (3) is kept
    as written; a macro past it is not expanded where it is used either."""
    monkeypatch.setattr(bibtex_read, "MAX_EXPANDED", 2)
    value = " # ".join(f'"{c}"' for c in "abc"[:size])
    text = f"@string{{m = {value}}}\n@misc{{k, title = {value}, note = m}}\n"
    (record,), messages = read(text)
    if size <= 2:
        assert (record.fields["title"], record.fields["note"]) == ("abc"[:size],) * 2
        assert messages == []
    else:
        assert (record.fields["title"], record.fields["note"]) == (value, "m")
        assert [m.split(": ")[1] for m in messages] == ["title", "note"]


def test_a_long_value_as_written_is_not_limited() -> None:
    """The limit is on expansion: one braced piece longer than it is a value as any other."""
    title = "y" * (MAX_EXPANDED + 10)
    (record,), messages = read(f"@misc{{k, title = {{{title}}}}}\n")
    assert record.fields["title"] == title
    assert messages == []


def test_preamble_past_the_limit_is_kept_as_written() -> None:
    text = doubling(20, "{T}").replace("@article", "@preamble{s20}\n@article")
    (record,), messages = read(text)
    assert record.extra["@preamble"] == ["s20"]
    assert len(messages) == 1 and "@preamble: @string macros" in messages[0]


# --- chains thousands long ----------------------------------------------------------------


@pytest.mark.parametrize("child_first", [True, False], ids=["child_first", "parent_first"])
def test_a_crossref_chain_of_5000(child_first: bool) -> None:
    """n0 -> n1 -> ... -> n5000: every entry is read, each gets the root's publisher, no
    RecursionError (which a chain of 500, read child first, gave before)."""
    n = 5000
    entries = [f"@book{{n{i}, crossref = {{n{i + 1}}}, title = {{T{i}}}}}" for i in range(n)]
    root = f"@book{{n{n}, title = {{Root}}, publisher = {{P}}}}"
    entries = [*entries, root] if child_first else [root, *reversed(entries)]
    records, messages = read("\n".join(entries) + "\n")
    assert messages == []
    assert len(records) == n + 1
    assert {r.fields.get("publisher") for r in records} == {"P"}
    assert sorted(r.fields["title"] for r in records) == sorted(
        [f"T{i}" for i in range(n)] + ["Root"]
    )


def test_an_xdata_chain_of_1000() -> None:
    """x0 names x1, ..., x999 names x1000, read first to last (500 gave a RecursionError):
    the entry using x0 gets every @xdata entry's field. (Each @xdata entry holds the fields
    of those it names, so a chain's fields grow with the square of its length: 1000.)"""
    n = 1000
    text = "@misc{k, title = {T}, xdata = {x0}}\n" + "".join(
        f"@xdata{{x{i}, xdata = {{x{i + 1}}}, custom{i} = {{v{i}}}}}\n" for i in range(n)
    )
    text += f"@xdata{{x{n}, publisher = {{P}}}}\n"
    (record,), messages = read(text)
    assert record.fields["publisher"] == "P"
    assert len(record.extra) == n  # custom0...: unknown fields, each kept (and warned)
    assert len(messages) == n and all("unknown field custom" in m for m in messages)


# --- xdata loops ---------------------------------------------------------------------------

LOOPS = [
    pytest.param(
        "@xdata{x1, xdata = {x2}, publisher = {P1}}\n"
        "@xdata{x2, xdata = {x1}, location = {L2}}\n"
        "@book{e, xdata = {x1}, title = {E}}\n"
        "@book{f, xdata = {x2}, title = {F}}\n",
        [
            "t.bib:1: xdata loop x1 -> x2 -> x1: each entry of it gets the fields of "
            "the others (biber drops them)"
        ],
        id="two",
    ),
    pytest.param(
        "@book{e, xdata = {x1}, title = {E}}\n"
        "@xdata{x1, xdata = {x2}, publisher = {P1}}\n"
        "@xdata{x2, xdata = {x3}, location = {L2}}\n"
        "@xdata{x3, xdata = {x1}, note = {N3}}\n"
        "@book{f, xdata = {x3}, title = {F}}\n",
        [
            "t.bib:2: xdata loop x1 -> x2 -> x3 -> x1: each entry of it gets the "
            "fields of the others (biber drops them)"
        ],
        id="three_user_first",
    ),
    pytest.param(
        "@xdata{x0, xdata = {x1}, series = {S0}}\n"
        "@xdata{x1, xdata = {x2}, publisher = {P1}}\n"
        "@xdata{x2, xdata = {x1, x9}, location = {L2}}\n"
        "@xdata{x9, note = {N9}}\n"
        "@book{e, xdata = {x0}, title = {E}}\n"
        "@book{f, xdata = {x2}, title = {F}}\n",
        [
            "t.bib:2: xdata loop x1 -> x2 -> x1: each entry of it gets the fields of "
            "the others (biber drops them)"
        ],
        id="loop_behind_a_chain",
    ),
]


@pytest.mark.parametrize(("text", "warnings"), LOOPS)
def test_xdata_loops_are_warned_and_every_field_kept(text: str, warnings: list[str]) -> None:
    """Every field of every @xdata entry of a loop reaches every entry using one of them
    (biber 2.18 drops them with no record of it); one warning per loop."""
    records, messages = read(text)
    wanted = {
        "publisher": "P1",
        "publisher-place": "L2",
        **({"note": "N3"} if "N3" in text else {}),
        **({"note": "N9"} if "N9" in text else {}),
    }
    for record in records:
        assert {k: record.fields.get(k) for k in wanted} == wanted, record.fields
        assert "xdata" not in record.extra
    if "S0" in text:
        assert records[0].fields["collection-title"] == "S0"
    assert messages == warnings


def test_an_unresolved_key_of_an_xdata_entry_is_kept_by_its_users() -> None:
    """An @xdata entry is no record: its own unresolved xdata key goes to the entries using
    it (it was dropped silently)."""
    records, messages = read(
        "@xdata{x1, xdata = {gone}, publisher = {P}}\n@book{e, xdata = {x1}, title = {E}}\n"
    )
    (record,) = records
    assert record.fields["publisher"] == "P"
    assert record.extra == {"xdata": ["gone"]}
    assert messages == [
        "t.bib:1: xdata 'gone' is not resolved (no @xdata entry has that key); kept in custom"
    ]


# --- % comments after a field or key -----------------------------------------------------

#: (entry text, CSL fields read, comments warned as (line, text, whole line)).
COMMENTS = [
    pytest.param(
        "@article{k, title = {T},%trailing\n  year = 2000}\n",
        {"title": "T", "issued": "2000"}, [(1, "%trailing", False)], id="after_a_field",
    ),
    pytest.param(
        "@article{k, % comment after key\n  title = {T2}}\n",
        {"title": "T2"}, [(1, "% comment after key", False)], id="after_the_key",
    ),
    pytest.param(
        "@article{%c\nk, title = {T}}\n",
        {"title": "T"}, [(1, "%c", False)], id="after_the_brace",
    ),
    pytest.param(
        "@article{k, title = {T}, % a { and a \" in it\n  note = {N}}\n",
        {"title": "T", "note": "N"}, [(1, '% a { and a " in it', False)], id="delimiters_in_it",
    ),
    pytest.param(
        "@article{k, title = {50% of it}, note = \"a % b\",\n  % whole\n  series = {c}}\n",
        {"title": "50% of it", "note": "a % b", "collection-title": "c"}, [(2, "% whole", True)],
        id="in_values_it_is_text",
    ),
    pytest.param(
        "@article{k, title = {T}, month = jan%x\n, year = 2000}\n",
        {"title": "T", "issued": "2000-01"}, [(1, "%x", False)], id="after_a_macro",
    ),
    pytest.param(
        '@article{k, title = "T\n  % in a quoted value",\n  note = {a\n% in braces\n}}\n',
        {"title": "T % in a quoted value", "note": "a % in braces"}, [], id="multiline_values",
    ),
    pytest.param(
        "@comment{k, % text}\n@preamble{\"%\"}\n@article{k, title = {T}}\n",
        {"title": "T"}, [], id="not_in_comment_or_preamble",
    ),
]  # fmt: skip


def _issued(record: Record) -> str | None:
    issued = record.dates.get("issued")
    if issued is None:
        return None
    return "-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(issued.parts[0]))


@pytest.mark.parametrize(("text", "fields", "comments"), COMMENTS)
def test_percent_comments_between_fields(
    text: str, fields: dict[str, str], comments: list[tuple[int, str, bool]]
) -> None:
    """A % outside an entry's values starts a comment to the end of the line, wherever on
    the line: after a field, the key, the opening brace or a macro name (biber 2.18 reads
    the same fields); in a braced or quoted value it is text."""
    records, messages = read(text)
    record = records[-1]
    got = {
        k: (_issued(record) if k == "issued" else " ".join(str(record.fields[k]).split()))
        for k in fields
        if k in record.fields or k in record.dates
    }
    assert got == {k: " ".join(v.split()) for k, v in fields.items()}
    assert not any(k.startswith("%") or "\n" in k for k in record.extra)
    assert messages == [
        f"t.bib:{line}: {comment!r}: "
        f"{'a line starting with %' if whole else 'text after %'} inside an entry is a comment "
        "(as biber reads it); skipped"
        for line, comment, whole in comments
    ]


FIELD_NAMES = ["title", "note", "series", "addendum"]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.text(st.sampled_from("ab %,=@#"), min_size=1, max_size=8).filter(str.strip),
            st.sampled_from(["brace", "quote"]),
            st.none() | st.text(st.sampled_from('cd {}"%,=@ '), max_size=8),
        ),
        min_size=1,
        max_size=4,
    ),
    st.none() | st.text(st.sampled_from('cd {}"% '), max_size=8),
)
def test_any_comment_after_any_field_is_skipped(
    fields: list[tuple[str, str, str | None]], after_key: str | None
) -> None:
    """For any values with % in them, and any comment text (braces and quotes included)
    after the key or a field: the record has exactly the values, one warning per comment."""
    lines = ["@misc{k," + ("" if after_key is None else f" %{after_key}")]
    for (value, delimiter, comment), name in zip(fields, FIELD_NAMES, strict=False):
        quoted = f"{{{value}}}" if delimiter == "brace" else f'"{value}"'
        lines.append(f"  {name} = {quoted}," + ("" if comment is None else f" %{comment}"))
    records, messages = read("\n".join(lines) + "\n}\n")
    (record,) = records
    mapped = {"title": "title", "note": "note", "series": "collection-title"}
    for (value, _, _), name in zip(fields, FIELD_NAMES, strict=False):
        if name in mapped:
            assert record.fields[mapped[name]] == " ".join(value.split()), name
    expected = (after_key is not None) + sum(c is not None for _, _, c in fields)
    assert len([m for m in messages if "inside an entry is a comment" in m]) == expected
    assert not any(k.startswith("%") or "\n" in k for k in record.extra)


BIBER_CASE = """\
@misc{k1, title = {T1},%trailing {
  note = {N1}}
@misc{k2, % comment after key "
  title = {T2}}
@misc{k3, title = {50% of it}, note = "a % b", % c
  % whole line
  series = {S3}}
@misc{%after the brace
k4, title = {T4}}
"""


def test_biber_reads_the_same_fields(tmp_path) -> None:
    """biber (``--tool``) and refconv read the same fields and values from the comments
    table's shapes: the other consumer of these files is the judge."""
    (tmp_path / "in.bib").write_text(BIBER_CASE, "utf-8")
    result = biber_tool(tmp_path, "in.bib", "out.bib")
    assert result.returncode == 0, result.stdout + result.stderr
    checked = bibtexparser.parse_string((tmp_path / "out.bib").read_text("utf-8"))
    by_biber = {e.key: {f.key.lower(): str(f.value) for f in e.fields} for e in checked.entries}
    records, _ = read(BIBER_CASE)
    names = {"title": "title", "note": "note", "collection-title": "series"}
    by_refconv = {
        str(r.fields["citation-key"]): {names[k]: str(v) for k, v in r.fields.items() if k in names}
        for r in records
    }
    assert by_refconv == by_biber
    assert all(not r.extra for r in records)
