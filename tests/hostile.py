"""Hostile input for fuzzing: hypothesis strategies that produce text in each input format
with the damage real files have (random and truncated records, control characters, huge
lines, deep braces, invalid UTF-8, NUL bytes), and the invariant every conversion must keep.

Used by ``tests/test_fuzz.py`` (a modest example count, in CI) and by
``benchmarks/fuzz.py`` (long campaigns).
"""

from __future__ import annotations

import json
import re

import bibtexparser
from click.testing import CliRunner
from hypothesis import strategies as st

from refconv import Collected, read
from refconv.cli import cli

#: Output formats that are read back after a conversion (formatted text is not data).
READ_BACK = {"csljson": "csljson", "bibtex": "bibtex", "biblatex": "bibtex", "ris": "ris",
             "refer": "refer"}  # fmt: skip
TARGETS = [*READ_BACK, "text", "html"]

# --- pieces -----------------------------------------------------------------------------------

nasty_char = st.sampled_from(
    ["\x00", "\x01", "\x1b", "\x7f", "\x85", "\u2028", "\ufeff", "\ufffd", "\r", "\t", "\\",
     "{", "}", "%", "@", '"', "#", "&", "~", "^", "$", "é", "ß", "鲁", "\U0001f600", "Ã©",
     "20¨C30", "\u0301", "\u200b"]
)  # fmt: skip
value = st.one_of(
    st.text(max_size=30),
    st.lists(st.one_of(nasty_char, st.text(max_size=4)), max_size=12).map("".join),
    st.builds(lambda s, n: s * n, st.text(min_size=1, max_size=3), st.integers(2_000, 40_000)),
    st.builds(lambda n: "{" * n + "x" + "}" * n, st.integers(1, 400)),  # deep braces
    st.builds(lambda n: "{" * n, st.integers(1, 50)),  # unbalanced
)

REFER_TAGS = [*"0ABCDEFGIJKLMNOPQRSTUVWXYZ@!#$&()*+=?[]^~8179", "", "%", "ZZ"]
REFER_TYPES = ["Journal Article", "Book", "Book Section", "Thesis", "Web Page", "Generic",
               "Cartoon", "", "Conference Proceedings", "Report", "Patent"]  # fmt: skip
RIS_TAGS = ["TY", "AU", "A1", "TI", "T1", "PY", "Y1", "DA", "JO", "JF", "VL", "IS", "SP", "EP",
            "DO", "UR", "KW", "AB", "N1", "SN", "ER", "ID", "XX", "", "T"]  # fmt: skip
RIS_TYPES = ["JOUR", "BOOK", "CHAP", "THES", "ELEC", "GEN", "XYZ", ""]
BIB_TYPES = ["article", "book", "inproceedings", "misc", "string", "comment", "preamble",
             "phdthesis", "", "ARTICLE", "weird"]  # fmt: skip
BIB_FIELDS = ["author", "title", "year", "journal", "pages", "doi", "editor", "month",
              "date", "crossref", "keywords", "url", "", "x y"]  # fmt: skip


def _refer_line(tag: str, text: str) -> str:
    if tag == "0" and text == "":
        return "%0 Journal Article"
    return f"%{tag} {text}"


refer_record = st.lists(
    st.one_of(
        st.builds(_refer_line, st.sampled_from(REFER_TAGS), value),
        st.builds(lambda t: f"%0 {t}", st.sampled_from(REFER_TYPES)),
        value,  # a continuation line, or junk
    ),
    max_size=15,
)
ris_record = st.lists(
    st.one_of(
        st.builds(lambda t, v: f"{t}  - {v}", st.sampled_from(RIS_TAGS), value),
        st.builds(lambda t: f"TY  - {t}", st.sampled_from(RIS_TYPES)),
        st.builds(lambda t, v: f"{t} -{v}", st.sampled_from(RIS_TAGS), value),  # bad spacing
        value,
    ),
    max_size=15,
)


DELIMITERS = {"braces": ("{", "}"), "quotes": ('"', '"'), "bare": ("", "")}


def _bib_entry(kind: str, key: str, fields: list[tuple[str, str, str]]) -> str:
    body = []
    for name, text, how in fields:
        left, right = DELIMITERS[how]
        body.append(f"  {name} = {left}{text}{right}")
    return f"@{kind}{{{key},\n" + ",\n".join(body) + "\n}"


bib_entry = st.builds(
    _bib_entry,
    st.sampled_from(BIB_TYPES),
    st.text(max_size=10),
    st.lists(
        st.tuples(st.sampled_from(BIB_FIELDS), value, st.sampled_from(list(DELIMITERS))), max_size=8
    ),
)
csl_item = st.fixed_dictionaries(
    {},
    optional={
        "id": st.one_of(st.text(max_size=10), st.integers()),
        "type": st.sampled_from(["article-journal", "book", "chapter", "", "nonsense", 3]),
        "title": st.one_of(value, st.integers(), st.none()),
        "author": st.lists(
            st.one_of(
                st.fixed_dictionaries(
                    {},
                    optional={"family": value, "given": value, "literal": value, "suffix": value},
                ),
                value,
                st.integers(),
            ),
            max_size=4,
        ),
        "issued": st.one_of(
            st.fixed_dictionaries(
                {
                    "date-parts": st.lists(
                        st.lists(st.one_of(st.integers(-5, 3000), value), max_size=4), max_size=3
                    )
                }
            ),
            st.fixed_dictionaries({"raw": value}),
            value,
        ),
        "page": value,
        "DOI": value,
        "container-title": value,
        "note": value,
        "custom": st.dictionaries(st.text(max_size=5), value, max_size=3),
    },
)


def _join(records: list[list[str]], sep: str, flatten: bool, crlf: bool, cut: int) -> str:
    lines = [" ".join(r) if flatten else "\n".join(r) for r in records]
    text = sep.join(lines)
    if crlf:
        text = text.replace("\n", "\r\n")
    return text[: len(text) - cut] if cut else text  # a truncated file


def _records(record, sep: str):
    return st.builds(_join, st.lists(record, max_size=6), st.just(sep), st.booleans(),
                     st.booleans(), st.integers(0, 20))  # fmt: skip


def _csljson_text(items: list, cut: int, single: bool) -> str:
    text = json.dumps(items[0] if single and items else items, ensure_ascii=False)
    return text[: len(text) - cut] if cut else text


TEXT = {
    "refer": _records(refer_record, "\n\n"),
    "ris": _records(ris_record.map(lambda r: [*r, "ER  - "]), "\n\n"),
    "bibtex": st.builds(
        lambda es, cut: "\n\n".join(es)[: max(0, len("\n\n".join(es)) - cut)],
        st.lists(bib_entry, max_size=5),
        st.integers(0, 10),
    ),
    "csljson": st.builds(
        _csljson_text, st.lists(csl_item, max_size=4), st.integers(0, 5), st.booleans()
    ),
}


def _encode(text: str, how: str, junk: bytes) -> bytes:
    if how == "utf-8":
        return text.encode("utf-8", "surrogatepass")
    if how == "bom":
        return b"\xef\xbb\xbf" + text.encode("utf-8", "surrogatepass")
    if how == "utf-16":
        return text.encode("utf-16", "surrogatepass")
    if how == "cp1252":
        return text.encode("cp1252", "replace")
    data = text.encode("utf-8", "surrogatepass")  # invalid UTF-8 spliced in
    middle = len(data) // 2
    return data[:middle] + junk + data[middle:]


def hostile(fmt: str) -> st.SearchStrategy[bytes]:
    """Bytes that look like ``fmt`` and are damaged in the ways real files are."""
    return st.builds(
        _encode,
        TEXT[fmt],
        st.sampled_from(["utf-8", "utf-8", "utf-8", "bom", "utf-16", "cp1252", "junk"]),
        st.binary(min_size=1, max_size=8),
    )


# --- the invariant ----------------------------------------------------------------------------

DIAGNOSTIC = re.compile(r"^[^\n]*?: (warning|error|note): .+$|^Error: .+$")


def check_conversion(data: bytes, source: str, target: str) -> None:
    """Convert ``data`` from ``source`` to ``target`` with the CLI and assert the invariant:
    exit 0 or 1, every stderr line a diagnostic (never a traceback), and output that our
    reader of the target format (and bibtexparser, for BibTeX) reads back without error."""
    result = CliRunner().invoke(cli, ["convert", "-f", source, "-t", target], input=data)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code in (0, 1), (result.exit_code, result.stderr)
    for line in result.stderr.splitlines():
        assert DIAGNOSTIC.match(line), line
    if result.exit_code != 0 or target not in READ_BACK:
        return
    sink = Collected(quiet=True)
    back = list(read(result.stdout_bytes, READ_BACK[target], diagnostics=sink))
    assert sink.errors == 0, [str(m) for m in sink.messages]
    if target == "csljson":
        assert len(back) == len(json.loads(result.stdout))
    if target in ("bibtex", "biblatex"):
        library = bibtexparser.parse_string(result.stdout)
        assert not library.failed_blocks, [b.error for b in library.failed_blocks]
