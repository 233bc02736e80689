"""Fuzzing in CI: hostile input in every format through the CLI to every writer (the
formatted ones in five styles). refconv exits 0 or 1 with diagnostics, never a traceback,
never a hang; its output reads back with as many records as it was given (none forged by a
line separator in a value) and is inert for its consumer: no element, attribute or link from
a value in HTML or Markdown, no TeX-active character in a BibTeX url or doi, no file-reading
TeX anywhere (hostile.check_output; STYLE.md §4c). An existing -o target (a file with its
mode, a symlink, a FIFO, a device) keeps its kind.

A long campaign with the same strategies: ``python benchmarks/fuzz.py``."""

from __future__ import annotations

import os
import stat
import tempfile
import threading
import time
from contextlib import suppress
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from refconv.cli import cli

from .hostile import (
    ATTACKS,
    DATA_TARGETS,
    FORMATTED_TARGETS,
    TEXT,
    Target,
    attack,
    check_conversion,
    hostile,
    target,
)

pytestmark = pytest.mark.slow  # hypothesis fuzzing of every reader and writer

#: a few seconds per format; deadline: a conversion of a small input taking more than 10 s is
#: a hang (catastrophic backtracking, an endless loop).
FUZZ = settings(
    max_examples=60, deadline=10_000,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)  # fmt: skip


@pytest.mark.parametrize("source", list(TEXT))
@FUZZ
@given(data=st.data())
def test_hostile_input_converts_or_fails_cleanly(source, data):
    raw = data.draw(hostile(source), label="input")
    check_conversion(raw, source, data.draw(target, label="target"))


@pytest.mark.parametrize("source", list(TEXT))
@FUZZ
@given(raw=st.binary(max_size=400), target=target)
def test_random_bytes_convert_or_fail_cleanly(source, raw, target):
    check_conversion(raw, source, target)


#: Every class of issue 13 in every reader where it applies (CSL-JSON and CSL YAML have no
#: field syntax for names or numbers as text: their classes are JSON types and shapes), each
#: run in every CI run whatever the draws of the mixed tests above.
CLASSES = [(source, kind) for kind, (fields, _) in ATTACKS.items() for source in TEXT
           if source in fields or source in ("csljson", "csl-yaml")]  # fmt: skip


@pytest.mark.parametrize(("source", "kind"), CLASSES, ids=[f"{s}-{k}" for s, k in CLASSES])
@settings(FUZZ, max_examples=12)
@given(data=st.data())
def test_each_attack_class_through_every_writer(source, kind, data):
    """Each input goes to every data writer (the one that breaks on a class is often one:
    month 13 only in BibTeX, a season only in RIS and Refer) and one formatted target."""
    raw = data.draw(attack(source, kind), label="input")
    for to in [*DATA_TARGETS, data.draw(st.sampled_from(FORMATTED_TARGETS), label="formatted")]:
        check_conversion(raw, source, to)


@pytest.mark.parametrize(
    ("source", "raw", "target"),
    [
        ("csljson", b'[{"id":"u","type":"webpage","title":"T",'
                    b'"DOI":"10.1/\\"><script>alert(1)</script>"}]', Target("html", "apa")),
        ("csljson", b'[{"id":"u","type":"webpage","title":"T",'
                    b'"URL":"http://x/<img src=x onerror=alert(1)>"}]', Target("markdown", "apa")),
        ("csljson", b'[{"id":"u","type":"webpage","title":"T",'
                    b'"URL":"http://x/<img src=x onerror=alert(1)>"}]',
         Target("html", "ieee", standalone=True)),
        ("csljson", b'[{"id":"a","type":"book","title":"Real",'
                    b'"note":"x\\rER  - \\rTY  - BOOK\\rTI  - Forged\\r"}]', Target("ris")),
        ("csljson", b'[{"id":"a","type":"book","title":"Real","note":"x\\r%0 Book\\r%T Forged"}]',
         Target("refer")),
        ("csljson", b'[{"id":"a","type":"book","title":"\\ud800"}]', Target("ris")),
        ("csljson", b'[{"id":"a","title":"Zed"},{"id":"b","title":"Alpha",'
                    b'"editor":[{"family":""}]}]', Target("text", "modern-language-association")),
        ("csljson", b'[{"id":"a","type":"book","title":"T","issued":{"date-parts":[[2020,13]]}}]',
         Target("bibtex")),
        ("csljson", b'[{"id":"a","type":"book","title":"T",'
                    b'"URL":"http://x/ \\\\input ./secret\\\\relax "}]', Target("bibtex")),
        ("refer", b"%0 Web Page\n%T T\n%U http://x/%7D^^5cinput x\n", Target("biblatex")),
        ("csljson", b'[{"id":"a","type":"book","title":"T\\n\\n.. raw:: html\\n\\n   <script>"}]',
         Target("rst", "apa")),
    ],
    ids=["doi-script-html", "url-img-markdown", "url-img-standalone", "cr-forges-ris",
         "cr-forges-refer", "lone-surrogate", "empty-family-mla", "month-13-bibtex",
         "url-input-bibtex", "url-percent-caret-biblatex", "rst-directive"],
)  # fmt: skip
def test_issue_13_reproducers(source, raw, target):
    """The reproducers of issue 13, each a member of a class the strategies draw."""
    check_conversion(raw, source, target)


@pytest.mark.parametrize(
    ("source", "raw"),
    [
        ("bibtex", b"@article{k, title = {" + b"{" * 5000 + b"x" + b"}" * 5000 + b"}}"),
        ("bibtex", b"@article{k, title = {" + b"{" * 5000),
        ("refer", b"%T " + b"a" * 2_000_000),
        ("ris", b"TY  - JOUR\nTI  - " + b"x " * 1_000_000 + b"\nER  - \n"),
        ("csljson", b"[" * 100_000),
        ("csljson", b'[{"title": "' + b"\\" * 100_001 + b'"}]'),
        ("refer", b"%A " + b"van der " * 50_000 + b"Berg"),
        ("refer", b"%D " + b"1 " * 100_000),
        ("refer", b"%P " + b"1-" * 100_000),
        ("csljson", b'[{"title": "a\\u0000b", "custom": {"": "\\u0000"}}]'),  # fuzz campaign
        ("ris", b"TY  - RPRT\nTI  - NROT{\n@{E8FF}/TROFF\nER  - \n"),  # fuzz campaign
        ("csljson", b'[{"custom": {"\xc2 \x80\xc3\x85\xc3\x9d": "\xc2\x80"}}]'),  # NEL
        ("bibtex", b"@misc{k,\n  title = {\\input}\n}"),  # pylatexenc logged to stderr
    ],
    ids=["deep-braces", "unclosed-braces", "huge-line", "huge-ris-line", "deep-json",
         "backslashes", "long-name", "long-date", "long-pages", "json-nul", "at-first-on-a-line",
         "nel-in-a-message", "latex-macro-without-argument"],
)  # fmt: skip
@pytest.mark.parametrize("to", ["csljson", "bibtex"])
def test_pathological_inputs(source, raw, to):
    check_conversion(raw, source, Target(to))


@pytest.mark.parametrize("target", ["text", "html"])
def test_a_huge_number_formats_in_linear_time(target):
    """citeproc-py's plural-label test backtracked quadratically on a long run of digits (an
    issue number of 40,000 digits took 30 s); refconv.formats.formatted.citeproc.fixes
    replaces its regex."""
    raw = b"TY  - JOUR\nTI  - T\nIS  - " + b"4" * 40_000 + b"\nER  - \n"
    start = time.perf_counter()
    check_conversion(raw, "ris", target)
    assert time.perf_counter() - start < 5


@given(st.text(alphabet="12.a -", max_size=30))
def test_the_plural_label_regex_matches_what_citeproc_py_s_did(text):
    import re

    from citeproc.model import Label

    from refconv.formats.formatted.citeproc import install

    install()
    original = re.compile(r"\d+[^\d.]+\d+")
    assert bool(Label.RE_MULTIPLE_NUMBERS.search(text)) == bool(original.search(text))


def _make_target(directory: Path, kind: str) -> tuple[Path, Path]:
    """(the path given to -o, the file that holds the output) for one kind of existing
    target; the old content is ``old``."""
    real = directory / "real.out"
    if kind == "file-600":
        real.write_text("old")
        real.chmod(0o600)
        return real, real
    if kind == "symlink":
        real.write_text("old")
        (directory / "link.out").symlink_to(real)
        return directory / "link.out", real
    if kind == "fifo":
        os.mkfifo(real)
        return real, real
    os.mknod(real, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # a /dev/null of our own
    return real, real


def _drain(fifo: Path, into: list[bytes]) -> threading.Thread:
    thread = threading.Thread(target=lambda: into.append(fifo.read_bytes()), daemon=True)
    thread.start()
    return thread


KINDS = ["file-600", "symlink", "fifo", "char-device"]


@pytest.mark.parametrize("kind", KINDS)
@settings(FUZZ, max_examples=5)
@given(raw=hostile("refer"), to=st.sampled_from(DATA_TARGETS))
def test_an_existing_output_target_keeps_its_kind(kind, raw, to):
    """-o onto an existing file keeps its mode and gets the output (or its old content when
    the run fails); a symlink stays a link and its real file gets the output; a FIFO or a
    device is written into and stays what it was; no temporary file is left."""
    if kind == "char-device" and os.geteuid() != 0:
        pytest.skip("mknod needs root (CI runs as root)")
    expected = CliRunner().invoke(cli, ["convert", "-f", "refer", *to.args()], input=raw)
    with tempfile.TemporaryDirectory() as name:
        directory = Path(name)
        given_path, real = _make_target(directory, kind)
        before = os.lstat(given_path)
        read: list[bytes] = []
        reader = _drain(real, read) if kind == "fifo" else None
        args = ["convert", "-f", "refer", *to.args(), "-o", str(given_path)]
        result = CliRunner().invoke(cli, args, input=raw)
        if reader is not None:  # let the reader end if refconv never opened the FIFO
            with suppress(OSError):
                os.close(os.open(real, os.O_WRONLY | os.O_NONBLOCK))
            reader.join(10)
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert result.exit_code == expected.exit_code, result.stderr
        after = os.lstat(given_path)
        assert stat.S_IFMT(after.st_mode) == stat.S_IFMT(before.st_mode)
        if kind == "file-600":
            assert stat.S_IMODE(after.st_mode) == 0o600
        if kind in ("file-600", "symlink"):
            want = expected.stdout_bytes if result.exit_code == 0 else b"old"
            assert real.read_bytes() == want
            assert os.path.realpath(given_path) == str(real)
        if kind == "fifo" and result.exit_code == 0:
            assert read == [expected.stdout_bytes]
        assert sorted(p.name for p in directory.iterdir()) == sorted(
            {given_path.name, real.name}
        ), "a temporary file was left"
