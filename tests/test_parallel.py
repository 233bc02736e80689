"""``convert -j N`` on one big input (issue 18, ``refconv.parallel``): the output bytes, the
diagnostics, their order and the exit status are those of ``-j 1``, wherever the parts are cut.

The part size is made tiny here so that hostile inputs of a few hundred bytes are cut in many
places: every record boundary a part can start at is exercised, with byte-order marks, junk
between records, CR and CRLF line ends, bytes that are not UTF-8, NUL bytes (a fatal error in
a later part), key clashes and records without a title.
"""

from __future__ import annotations

import io
import os
import re
from unittest.mock import patch

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from refconv import parallel
from refconv.cli import cli
from refconv.diagnostics import Diagnostics
from refconv.formats.base import Reader
from refconv.formats.medline.read import MedlineReader
from refconv.formats.refer.read import ReferReader
from refconv.formats.ris.read import RisReader
from refconv.io import iter_lines
from refconv.model import Record, SourcePos
from refconv.pipeline import plan_conversion, run_inputs
from refconv.plugins import Registry
from tests.hostile import hostile

WRITERS = ["csljson", "bibtex", "biblatex", "ris", "refer", "mods"]


def _convert(data: bytes, source: str, args: list[str]) -> tuple[int, bytes, str]:
    result = CliRunner().invoke(cli, ["convert", "-f", source, *args], input=data)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout_bytes, result.stderr


def _same(data: bytes, source: str, args: list[str], jobs: int = 2) -> None:
    one = _convert(data, source, [*args, "-j", "1"])
    with patch.object(parallel, "run_parallel", wraps=parallel.run_parallel) as spy:
        many = _convert(data, source, [*args, "-j", str(jobs)])
    assert spy.called  # the parts were really converted by worker processes
    assert many == one


def _records(n: int, shape: str = "refer") -> str:
    """``n`` well-formed records whose first authors and years clash (keys get suffixes)."""
    out = []
    for i in range(n):
        if shape == "refer":
            out.append(f"%0 Journal Article\n%A Smith, J{i % 3}\n%T Title {i}\n%D {2000 + i % 2}\n")
        elif shape == "medline":
            title = f"TI  - Title {i}\n      goes on"
            out.append(f"PMID- {1000 + i}\n{title}\nFAU - Smith, J{i % 3}\nDP  - 2000\n")
        else:
            out.append(f"TY  - JOUR\nAU  - Smith, J{i % 3}\nTI  - Title {i}\nPY  - 2000\nER  - \n")
    return "\n".join(out)


@pytest.fixture
def tiny_parts(monkeypatch: pytest.MonkeyPatch):
    def set_size(size: int) -> None:
        monkeypatch.setattr(parallel, "PART_BYTES", size)

    set_size(64)
    return set_size


@settings(
    max_examples=int(os.environ.get("REFCONV_PARALLEL_EXAMPLES", 40)),
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
@given(
    data=st.one_of(hostile("refer"), st.integers(1, 30).map(lambda n: _records(n).encode())),
    size=st.sampled_from([1, 40, 120, 400]),
    target=st.sampled_from(WRITERS),
    quiet=st.booleans(),
)
def test_refer_in_parts_is_refer_in_one(
    tiny_parts, data: bytes, size: int, target: str, quiet: bool
) -> None:
    tiny_parts(size)
    _same(data, "refer", ["-t", target, "--report", *(["-q"] if quiet else [])])


@settings(
    max_examples=int(os.environ.get("REFCONV_PARALLEL_EXAMPLES", 30)),
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
@given(
    data=st.one_of(hostile("ris"), st.integers(1, 30).map(lambda n: _records(n, "ris").encode())),
    size=st.sampled_from([1, 40, 120, 400]),
    target=st.sampled_from(WRITERS),
)
def test_ris_in_parts_is_ris_in_one(tiny_parts, data: bytes, size: int, target: str) -> None:
    tiny_parts(size)
    _same(data, "ris", ["-t", target, "--report"])


@settings(
    max_examples=int(os.environ.get("REFCONV_PARALLEL_EXAMPLES", 30)),
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
@given(
    data=st.one_of(
        hostile("medline"), st.integers(1, 30).map(lambda n: _records(n, "medline").encode())
    ),
    size=st.sampled_from([1, 40, 120, 400]),
    target=st.sampled_from(WRITERS),
)
def test_medline_in_parts_is_medline_in_one(
    tiny_parts, data: bytes, size: int, target: str
) -> None:
    tiny_parts(size)
    _same(data, "medline", ["-t", target, "--report"])


@pytest.mark.parametrize("eol", ["\n", "\r\n", "\r"])
@pytest.mark.parametrize("jobs", [2, 3])
def test_line_ends_bom_junk_and_fix_text(tiny_parts, eol: str, jobs: int) -> None:
    text = "\ufeff" + _records(12) + "\nbanner line\n\n" + _records(5).replace("Title 1", "TÃ©l")
    data = text.replace("\n", eol).encode("utf-8")
    _same(data, "refer", ["-t", "csljson", "--fix-text"], jobs)
    _same(data, "refer", ["-t", "bibtex"], jobs)


def test_windows_1252_lines_warn_once_per_input(tiny_parts) -> None:
    data = b"".join(f"%T Caf\xe9 {i}\n%A Doe, J\n\n".encode("latin-1") for i in range(20))
    one = _convert(data, "refer", ["-t", "ris", "-j", "1", "--report"])
    assert one[2].count("not valid UTF-8") == 1
    assert _convert(data, "refer", ["-t", "ris", "-j", "2", "--report"]) == one


def test_a_fatal_error_in_a_later_part_writes_what_one_process_writes(tiny_parts, tmp_path) -> None:
    data = _records(20).encode() + b"\n%T bad\x00byte\n\n" + _records(3).encode()
    one = _convert(data, "refer", ["-t", "csljson", "-j", "1"])
    assert one[0] == 1 and ("NUL" in one[2] or "binary" in one[2])
    assert _convert(data, "refer", ["-t", "csljson", "-j", "2"]) == one
    target = tmp_path / "out.json"
    target.write_text("old")
    code, _, _ = _convert(data, "refer", ["-t", "csljson", "-j", "2", "-o", str(target)])
    assert code == 1 and target.read_text() == "old"  # a path is never half written


def test_files_are_split_and_joined_in_order(tmp_path, tiny_parts) -> None:
    tiny_parts(300)
    a, b = tmp_path / "a.enw", tmp_path / "b.ris"
    a.write_text(_records(15))
    b.write_text(_records(9, "ris"))
    for target in WRITERS:
        one = CliRunner().invoke(cli, ["convert", str(a), str(b), "-t", target, "-j", "1"])
        two = CliRunner().invoke(cli, ["convert", str(a), str(b), "-t", target, "-j", "2"])
        assert (two.exit_code, two.stdout_bytes, two.stderr) == (0, one.stdout_bytes, one.stderr)


def test_an_empty_input_is_the_empty_output(tiny_parts) -> None:
    for target in WRITERS:
        _same(b"", "refer", ["-t", target])
        _same(b"\n\n\n", "refer", ["-t", target])


def _plan(tmp_path, name: str, target: str, encoding: str | None = None, **options):
    registry = Registry(Diagnostics())
    path = tmp_path / name
    path.write_text("%T x\n")
    diagnostics = Diagnostics(**options)
    plan = plan_conversion(registry, diagnostics, str(path), "-", None, target, encoding=encoding)
    return plan, [str(path)]


@pytest.mark.parametrize(
    ("name", "target", "options", "expected"),
    [
        ("a.enw", "csljson", {}, True),
        ("a.ris", "bibtex", {}, True),
        ("a.enw", "csljson", {"strict": True}, False),  # stops at the first warning
        ("a.enw", "text", {}, False),  # a bibliography sorts every record
        ("a.bib", "csljson", {}, False),  # @string and crossref reach across entries
        ("a.json", "ris", {}, False),
        ("a.nbib", "refer", {}, True),
        ("a.enw", "ris", {"encoding": "cp1252"}, True),
        ("a.enw", "ris", {"encoding": "utf-16"}, False),  # no ASCII bytes to cut at
        ("a.enw", "ris", {"encoding": "utf-7"}, False),
    ],
)
def test_what_is_split(tmp_path, name, target, options, expected) -> None:
    plan, names = _plan(tmp_path, name, target, **options)
    assert parallel.splittable(plan, names, 2) is expected
    assert parallel.splittable(plan, names, 1) is False


def test_standard_input_is_split_only_with_its_format(tmp_path) -> None:
    plan, _ = _plan(tmp_path, "a.enw", "csljson")
    assert parallel.splittable(plan, ["-"], 2) is False


_LINES = st.lists(
    st.one_of(
        st.sampled_from(
            ["", " ", "\t", "%A Doe", "%0 Book", "%T x", "TY  - JOUR", "ER  - ", "junk"]
        ),
        st.text(alphabet="%AT Y-ER\t x", max_size=8),
    ),
    max_size=40,
)


@given(
    lines=_LINES,
    eols=st.lists(st.sampled_from(["\n", "\r\n", "\r"]), min_size=1),
    size=st.integers(1, 50),
)
@pytest.mark.parametrize("reader", [ReferReader, RisReader, MedlineReader])
def test_cut_keeps_every_byte_and_counts_lines(reader, lines, eols, size) -> None:
    text = "".join(line + eols[i % len(eols)] for i, line in enumerate(lines))
    data = text.encode()
    parts = list(parallel.cut(io.BytesIO(data), reader.part_start, size))
    assert b"".join(p for p, _ in parts) == data
    seen = 0
    for part, first_line in parts:
        assert first_line == 1 + len(list(iter_lines(io.BytesIO(data[:seen]), "x", Diagnostics())))
        seen += len(part)
    for part, _ in parts[1:]:  # every part but the first starts a record after a blank line
        assert re.match(rb"%[!-~]|TY {1,2}-|PMID- ", part)


class _KeyedLines(Reader):
    """A splittable test format: one record per line, ``key parent title``; a record whose
    parent is not ``-`` has a ``crossref`` (as the BibTeX reader keeps an unresolved one)."""

    name = "keyed-lines"
    part_start = re.compile(rb"(?<=\n)(?=\S)")

    def read(self, lines, path):
        for number, line in enumerate(lines, self.first_line):
            if line.strip():
                key, parent, title = line.split(" ", 2)
                record = Record(type="book", source=SourcePos(path, number))
                record.fields.update({"citation-key": key, "title": title})
                if parent != "-":
                    record.extra["crossref"] = [parent]
                yield record


@pytest.mark.parametrize("size", [1, 20, 60])
def test_crossref_warnings_see_the_keys_of_earlier_parts(tmp_path, size, monkeypatch) -> None:
    """The BibTeX writer warns about a crossref to an entry written before the child; in
    parts, the parent may be in an earlier part (``Writer.references``)."""
    monkeypatch.setattr(parallel, "PART_BYTES", size)
    lines = ["p1 - Parent one", "c1 p1 Child after", "c2 p3 Child before", "p3 - Parent three",
             "c3 P1 Child, case folded", "c4 nowhere Child of none"]  # fmt: skip
    path = tmp_path / "in.txt"
    path.write_text("\n".join(lines * 3) + "\n")
    outputs = []
    for jobs in (1, 2):
        stream = io.StringIO()
        diagnostics = Diagnostics(stream=stream)
        plan = plan_conversion(Registry(diagnostics), diagnostics, str(path), None, None,
                               "bibtex", reader=_KeyedLines)  # fmt: skip
        outputs.append((run_inputs(plan, [str(path)], None, jobs), stream.getvalue()))
    assert outputs[0][1].count("written before this entry") == 8  # 2 in the first copy
    assert outputs[0][0].count("@book") == 18
    assert outputs[1] == outputs[0]
