"""The pipeline is planned once: one Registry, one writer per output, one reader lookup per
source (or one in all with -f), and the usage errors of a Plan with their exact text."""

from __future__ import annotations

import collections
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import refconv
from refconv import pipeline
from refconv.cli import cli
from refconv.formats.base import Writer
from refconv.model import Record
from refconv.plugins import Registry
from refconv.transforms import apply_transforms
from refconv.transforms.textfix import TextCheck

ONE = "%0 Book\n%A Doe, Jane\n%T A Title\n%D 2001\n"
USAGE = "Usage: cli convert [OPTIONS] [INPUT]...\nTry 'cli convert --help' for help.\n\nError: "


@pytest.fixture
def counts(monkeypatch: pytest.MonkeyPatch) -> collections.Counter[str]:
    """Counters of Registry constructions, writer instances and reader lookups."""
    found: collections.Counter[str] = collections.Counter()

    def spy(cls: type, name: str, key: str) -> None:
        original: Callable[..., Any] = getattr(cls, name)

        def counted(*args: Any, **kwargs: Any) -> Any:
            found[key] += 1
            return original(*args, **kwargs)

        monkeypatch.setattr(cls, name, counted)

    spy(Registry, "__init__", "registries")
    spy(Writer, "__init__", "writers")
    for lookup in ("find_reader", "reader_for_path", "sniff_reader"):
        spy(Registry, lookup, "reader lookups")
    return found


@pytest.fixture
def enw(tmp_path: Path) -> Path:
    path = tmp_path / "one.enw"
    path.write_text(ONE, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("args", "inputs", "lookups"),
    [
        pytest.param(["-t", "text", "--style", "apa"], 1, 1, id="style-apa"),
        pytest.param(["-f", "refer", "-t", "text", "--style", "apa"], 1, 1, id="style-apa-f"),
        pytest.param(["-t", "ris"], 2, 2, id="two-inputs-by-suffix"),
        pytest.param(["-f", "refer", "-t", "csljson"], 3, 1, id="three-inputs-f"),
        pytest.param(["-t", "bibtex", "-o", "out.bib"], 1, 1, id="to-a-file"),
    ],
)
def test_a_run_is_resolved_once(
    args: list[str],
    inputs: int,
    lookups: int,
    counts: collections.Counter[str],
    enw: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Before the Plan: 4-5 registries, 3 writers and 3 reader lookups for one input."""
    monkeypatch.chdir(enw.parent)
    result = CliRunner().invoke(cli, ["convert", *[str(enw)] * inputs, *args])
    assert result.exit_code == 0, result.stderr
    assert dict(counts) == {"registries": 1, "writers": 1, "reader lookups": lookups}


def test_the_api_is_resolved_once(counts: collections.Counter[str]) -> None:
    text = refconv.convert(
        [ONE.encode()] * 2, None, "refer", "ris", diagnostics=refconv.Collected()
    )
    assert text is not None and text.count("TY  - BOOK") == 2
    assert dict(counts) == {"registries": 1, "writers": 1, "reader lookups": 1}


def test_a_batch_plans_once_per_output(
    counts: collections.Counter[str], enw: Path, tmp_path: Path
) -> None:
    """--out-dir: the command's registry, then one registry and one writer per input."""
    other = tmp_path / "two.enw"
    other.write_text(ONE, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["convert", str(enw), str(other), "--out-dir", str(out),
                                      "-t", "ris", "-j", "1"])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["one.ris", "two.ris"]
    assert dict(counts) == {"registries": 3, "writers": 2, "reader lookups": 2}


# --- Plan validation: the message and exit status of each usage error -------------------------

KNOWN_READERS = "bibtex, csl-yaml, csljson, endnote-xml, medline, mods, refer, ris"
KNOWN_WRITERS = (
    "biblatex, bibtex, csl-yaml, csljson, endnote-xml, html, markdown, mods, refer, ris, rst, text"
)


@pytest.mark.parametrize(
    ("args", "stderr"),
    [
        pytest.param(["-f", "bogus", "-t", "ris"],
                     f"{USAGE}unknown input format 'bogus'; known: {KNOWN_READERS}\n",
                     id="unknown-reader"),
        pytest.param(["-t", "bogus"],
                     f"{USAGE}unknown output format 'bogus'; known: {KNOWN_WRITERS}\n",
                     id="unknown-writer"),
        pytest.param(["-f", "bogus", "-t", "bogus"],
                     f"{USAGE}unknown input format 'bogus'; known: {KNOWN_READERS}\n",
                     id="reader-checked-first"),
        pytest.param([], f"{USAGE}no output format; give -t FORMAT ({KNOWN_WRITERS})\n",
                     id="no-writer"),
        pytest.param(["-t", "ris", "--style", "apa"],
                     f"{USAGE}--style and --locale apply to formatted output, not ris\n",
                     id="style-for-data"),
        pytest.param(["-t", "csljson", "--locale", "de-DE"],
                     f"{USAGE}--style and --locale apply to formatted output, not csljson\n",
                     id="locale-for-data"),
        pytest.param(["--out-dir", "d", "-o", "x.ris", "-t", "ris"],
                     f"{USAGE}-o and --out-dir exclude each other\n", id="out-dir-and-o"),
        pytest.param(["--out-dir", "d"], f"{USAGE}--out-dir needs -t FORMAT\n",
                     id="out-dir-without-t"),
        pytest.param(["-t", "ris", "--encoding", "rot13"],
                     f"{USAGE}Invalid value for '--encoding': 'rot13' is not a text encoding (it "
                     "does not decode bytes to text); give one such as utf-8, latin-1 or cp1252\n",
                     id="encoding"),
    ],
)  # fmt: skip
def test_plan_usage_errors(
    args: list[str], stderr: str, enw: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(enw.parent)
    result = CliRunner().invoke(cli, ["convert", str(enw), *args])
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", stderr)
    assert sorted(p.name for p in enw.parent.iterdir()) == ["one.enw"]  # nothing written


def test_an_output_that_is_the_input_is_refused(enw: Path) -> None:
    result = CliRunner().invoke(cli, ["convert", str(enw), "-o", str(enw), "-t", "ris"])
    message = f"error: the output {enw} is the input {enw}; write elsewhere\n"
    assert (result.exit_code, result.stderr) == (2, message)
    assert enw.read_text(encoding="utf-8") == ONE


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        pytest.param({"from_": "bogus", "to": "bogus"}, LookupError,
                     "unknown output format 'bogus'", id="api-checks-the-writer-first"),
        pytest.param({"to": "ris", "dialect": "x"}, ValueError,
                     "unknown dialect 'x'; known: auto, refer, endnote", id="dialect"),
        pytest.param({"to": "ris", "encoding": "base64"}, LookupError,
                     "'base64' is not a text encoding", id="encoding"),
        pytest.param({"to": "ris", "style": "apa"}, LookupError,
                     "--style and --locale apply to formatted output, not ris", id="style"),
    ],
)  # fmt: skip
def test_api_plan_errors(kwargs: dict[str, Any], error: type[Exception], message: str) -> None:
    """The library raises before anything is read (a source that would fail is never read)."""
    with pytest.raises(error) as info:
        refconv.convert("/nonexistent/in.enw", None, **kwargs)
    assert str(info.value).startswith(message)


# --- transforms -------------------------------------------------------------------------------


def test_fix_text_is_a_transform_not_a_writer_option(counts: collections.Counter[str]) -> None:
    """--fix-text reaches the pipeline's TextCheck step; the writer never sees it."""
    seen: list[dict[str, Any]] = []
    original = Writer.__init__

    def record_options(self: Writer, **options: Any) -> None:
        seen.append(options)
        original(self, **options)

    mp = pytest.MonkeyPatch()
    mp.setattr(Writer, "__init__", record_options)
    try:
        result = CliRunner().invoke(
            cli, ["convert", "-f", "refer", "-t", "csljson", "--fix-text"],
            input="%0 Book\n%T CafÃ©\n",
        )  # fmt: skip
    finally:
        mp.undo()
    assert result.exit_code == 0, result.stderr
    assert '"title": "Café"' in result.stdout
    assert len(seen) == 1 and "fix_text" not in seen[0]


def test_transforms_run_in_order_on_each_record() -> None:
    calls: list[str] = []

    def step(name: str) -> Callable[[Record, refconv.Diagnostics], Record]:
        def run(record: Record, diagnostics: refconv.Diagnostics) -> Record:
            calls.append(f"{name}:{record.fields['title']}")
            record.fields["title"] += name
            return record

        return run

    records = [Record(fields={"title": "a"}), Record(fields={"title": "b"})]
    out = apply_transforms([step("1"), step("2")], records, refconv.Collected())
    assert [r.fields["title"] for r in out] == ["a12", "b12"]
    assert calls == ["1:a", "2:a1", "1:b", "2:b1"]  # record by record: still a stream


def test_a_plan_without_a_writer_cannot_write() -> None:
    plan = pipeline.Plan(Registry(refconv.Collected()), refconv.Collected())
    assert plan.transforms == (TextCheck(),)
    with pytest.raises(ValueError, match="no writer"):
        pipeline.write_records(plan, [], None)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_batch_plans_with_every_option_of_the_command(jobs: str, tmp_path: Path) -> None:
    """--out-dir took only the writer options: -f, --encoding and --key-format were lost
    (an RIS file named .txt was read as Refer, keys were the default template)."""
    (tmp_path / "a.txt").write_bytes(
        "TY  - BOOK\nTI  - Caf\xe9\nPY  - 2001\nER  - \n".encode("latin-1")
    )
    (tmp_path / "b.txt").write_bytes(b"TY  - JOUR\nTI  - Two\nPY  - 1999\nER  - \n")
    out = tmp_path / "out"
    args = ["convert", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--out-dir", str(out),
            "-t", "bibtex", "-f", "ris", "--encoding", "latin-1", "--key-format", "{year}x",
            "-j", jobs]  # fmt: skip
    result = CliRunner().invoke(cli, args)
    assert (result.exit_code, result.stderr) == (0, "")
    assert (out / "a.bib").read_text(encoding="utf-8").startswith("@book{2001x,\n  title")
    assert "Café" in (out / "a.bib").read_text(encoding="utf-8")
    assert (out / "b.bib").read_text(encoding="utf-8").startswith("@article{1999x,")
