"""``convert -j N`` on one big input (issue 18, ``refconv.parallel``): the output bytes, the
diagnostics, their order and the exit status are those of ``-j 1``, wherever the parts are cut.

The part size is made tiny here so that hostile inputs of a few hundred bytes are cut in many
places: every record boundary a part can start at is exercised, with byte-order marks, junk
between records, CR and CRLF line ends, bytes that are not UTF-8, NUL bytes (a fatal error in
a later part), key clashes and records without a title.
"""

from __future__ import annotations

import codecs
import io
import os
import re
import tempfile
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

WRITERS = ["csljson", "bibtex", "biblatex", "ris", "refer", "endnote-xml", "mods"]


def _convert(data: bytes, source: str, args: list[str]) -> tuple[int, bytes, str]:
    """Convert ``data`` as a file (standard input is never split: its bytes come once)."""
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "input")
        with open(path, "wb") as f:
            f.write(data)
        result = CliRunner().invoke(cli, ["convert", path, "-f", source, *args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout_bytes, result.stderr.replace(path, "<input>")


def _same(data: bytes, source: str, args: list[str], jobs: int = 2) -> None:
    one = _convert(data, source, [*args, "-j", "1"])
    with patch.object(parallel, "run_parallel", wraps=parallel.run_parallel) as spy:
        many = _convert(data, source, [*args, "-j", str(jobs)])
    utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))  # no bytes to cut at
    assert spy.called != (utf16 or len(data) <= parallel.PART_BYTES)  # parts in workers
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
    form=st.sampled_from(["text", "json"]),
)
def test_refer_in_parts_is_refer_in_one(
    tiny_parts, data: bytes, size: int, target: str, quiet: bool, form: str
) -> None:
    tiny_parts(size)
    options = ["--report", "--diagnostics", form, *(["-q"] if quiet else [])]
    _same(data, "refer", ["-t", target, *options])  # JSON: the report counts codes too


@settings(
    max_examples=int(os.environ.get("REFCONV_PARALLEL_EXAMPLES", 30)),
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
@given(
    data=st.one_of(hostile("ris"), st.integers(1, 30).map(lambda n: _records(n, "ris").encode())),
    size=st.sampled_from([1, 40, 120, 400]),
    target=st.sampled_from(WRITERS),
    form=st.sampled_from(["text", "json"]),
)
def test_ris_in_parts_is_ris_in_one(
    tiny_parts, data: bytes, size: int, target: str, form: str
) -> None:
    tiny_parts(size)
    _same(data, "ris", ["-t", target, "--report", "--diagnostics", form])


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
    form=st.sampled_from(["text", "json"]),
)
def test_medline_in_parts_is_medline_in_one(
    tiny_parts, data: bytes, size: int, target: str, form: str
) -> None:
    tiny_parts(size)
    _same(data, "medline", ["-t", target, "--report", "--diagnostics", form])


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
def test_what_is_split(tiny_parts, tmp_path, name, target, options, expected) -> None:
    tiny_parts(1)  # a five-byte file in five parts
    plan, names = _plan(tmp_path, name, target, **options)
    assert (parallel.workers(plan, names, 2) == 2) is expected
    assert parallel.workers(plan, names, 1) == 1


def test_pipes_and_standard_input_are_not_split(tiny_parts, tmp_path) -> None:
    """Their bytes can be read once only: guessing the format would eat them."""
    plan, _ = _plan(tmp_path, "a.enw", "csljson")
    os.mkfifo(tmp_path / "fifo")
    assert parallel.workers(plan, ["-"], 2) == 1
    assert parallel.workers(plan, [str(tmp_path / "fifo")], 2) == 1


def test_workers_are_capped_by_parts(tmp_path) -> None:
    plan, names = _plan(tmp_path, "a.enw", "csljson")
    assert parallel.workers(plan, names, 8) == 1  # 5 bytes: one part
    (tmp_path / "a.enw").write_bytes(b"%T x\n\n" * (parallel.PART_BYTES // 2))  # 3 parts
    assert parallel.workers(plan, names, 8) == 3
    assert parallel.workers(plan, names, 10_000) == 3


def test_a_file_with_no_place_to_cut_is_one_process(tmp_path, monkeypatch) -> None:
    """Records with no blank line between them (the Refer reader reads them): no part
    could start for GAP_BYTES, so a worker would hold them all; one process streams them."""
    monkeypatch.setattr(parallel, "GAP_BYTES", 1000)
    monkeypatch.setattr(parallel, "PART_BYTES", 100)
    plan, names = _plan(tmp_path, "a.enw", "csljson")
    (tmp_path / "a.enw").write_text("%0 Book\n%T x\n" * 400)
    assert parallel.workers(plan, names, 2) == 1
    (tmp_path / "a.enw").write_text("%0 Book\n%T x\n\n" * 400)
    assert parallel.workers(plan, names, 2) == 2


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


@pytest.mark.parametrize("args", [[], ["--encoding", "utf-8"], ["--encoding", "ascii"]])
def test_bytes_that_do_not_decode_late_in_a_strict_input(tiny_parts, args):
    """A UTF-8 mark (or --encoding) makes decoding strict: the error names the line of the
    bad byte and comes after the records before it, in one process as in parts (the error
    was at the start of the 64 KB chunk holding the byte: line 1 in one process)."""
    mark = b"" if args else b"\xef\xbb\xbf"  # ASCII has no mark
    data = mark + _records(6).encode() + b"\n%T caf\xe9\n\n" + _records(2).encode()
    code, out, err = _convert(data, "refer", ["-t", "ris", "-j", "1", *args])
    assert code == 1 and out.count(b"TY  - ") == 6
    assert err.startswith("<input>:") and int(err.split(":")[1]) == 6 * 5 + 1
    _same(data, "refer", ["-t", "ris", *args])


def test_a_worker_that_dies_is_an_error_not_a_quiet_exit(tiny_parts, tmp_path, monkeypatch):
    """A worker killed (the kernel's out-of-memory killer) left the parent a BrokenPipeError,
    which the command line takes for a closed standard output: exit 0, nothing written."""
    import multiprocessing
    import signal
    import time

    grant = parallel._grant

    def kill_then_grant(part, assigner):
        for child in multiprocessing.active_children():
            os.kill(child.pid, signal.SIGKILL)
        time.sleep(0.2)
        return grant(part, assigner)

    monkeypatch.setattr(parallel, "_grant", kill_then_grant)
    path, target = tmp_path / "in.enw", tmp_path / "out.json"
    path.write_text(_records(30))
    target.write_text("old")
    result = CliRunner().invoke(cli, ["convert", str(path), "-t", "csljson", "-j", "2",
                                      "-o", str(target)])  # fmt: skip
    assert result.exit_code == 1, result.output
    assert "error: a worker process stopped (signal 9: killed" in result.stderr
    assert target.read_text() == "old"


def test_ris_text_outside_records_at_a_part_boundary(tiny_parts):
    """A stray ER and a TY line with a tab after its dash (no tag line to the reader) are
    text outside records: no part starts there, the run of them is one warning."""
    data = (b"TY  - JOUR\nTI  - z\nER  - \nTY  - JOUR\nTI  - a\nER  - \nER  - \n\n"
            b"TY  -\tJOUR\nTI  - b\nER  - \nTY  - JOUR\nTI  - c\nER  - \n")  # fmt: skip
    for size in (1, 20, 40):
        tiny_parts(size)
        _same(data, "ris", ["-t", "csljson"])


def test_the_same_file_twice_warns_for_each(tiny_parts, tmp_path):
    path = tmp_path / "l1.enw"
    path.write_bytes(b"".join(f"%T Caf\xe9 {i}\n\n".encode("latin-1") for i in range(20)))
    runs = [
        CliRunner().invoke(cli, ["convert", str(path), str(path), "-t", "ris", "-j", jobs])
        for jobs in ("1", "2")
    ]
    assert runs[0].stderr.count("not valid UTF-8") == 2
    assert (runs[1].stdout_bytes, runs[1].stderr) == (runs[0].stdout_bytes, runs[0].stderr)


def test_a_utf16_file_is_one_process(tiny_parts, tmp_path) -> None:
    plan, names = _plan(tmp_path, "a.enw", "csljson")
    (tmp_path / "a.enw").write_bytes(_records(5).encode("utf-16"))
    assert parallel.workers(plan, names, 2) == 1
