"""The library API (read, write, convert, convert_batch) and batch mode of the CLI."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import refconv
from refconv.cli import cli

from .conftest import EXAMPLES

SAMPLE = EXAMPLES / "endnote-sample.enw"
CLASSIC = EXAMPLES / "classic.refer"
SEED = EXAMPLES / "nahta2012-flat.enw"
ONE = b"%0 Book\n%A Doe, Jane\n%T A Title\n%D 2001\n"


def cli_output(*args: str) -> str:
    result = CliRunner().invoke(cli, ["convert", *args])
    assert result.exit_code == 0, result.stderr
    return result.stdout


# --- read -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make_source",
    [
        lambda: str(SAMPLE),
        lambda: SAMPLE,
        lambda: SAMPLE.read_bytes(),
        lambda: io.BytesIO(SAMPLE.read_bytes()),
        lambda: io.StringIO(SAMPLE.read_text(encoding="utf-8")),
    ],
    ids=["str path", "Path", "bytes", "binary stream", "text stream"],
)
def test_read_takes_paths_bytes_and_streams(make_source):
    records = list(refconv.read(make_source(), diagnostics=refconv.Collected()))
    assert len(records) == 8
    assert records[0].names["author"][0].family == "Watson"
    assert all(r.id == "" for r in records)  # keys come with write


def test_read_is_lazy_and_labels_its_sources():
    sink = refconv.Collected()
    records = refconv.read([ONE, b"%0 Book\n%T B\n%5 x\n"], diagnostics=sink)
    assert sink.messages == []  # nothing read yet
    assert [r.fields["title"] for r in records] == ["A Title", "B"]
    assert [str(m) for m in sink.messages] == ["<bytes>:3: warning: unknown tag %5; kept in custom"]


def test_read_with_a_format_and_errors():
    csl = json.dumps([{"id": "x", "type": "book", "title": "T"}]).encode()
    (record,) = refconv.read(csl, "csljson")
    assert record.type == "book" and record.fields["citation-key"] == "x"
    with pytest.raises(LookupError, match="unknown input format 'docx'"):
        refconv.read(ONE, "docx")
    with pytest.raises(refconv.RefconvError) as info:
        list(refconv.read("no/such/file.enw"))
    assert info.value.path == "no/such/file.enw" and "no such file" in str(info.value)


# --- write and convert -------------------------------------------------------------------------


@pytest.mark.parametrize("to", ["csljson", "bibtex", "biblatex", "ris", "refer", "text"])
def test_convert_gives_what_the_cli_gives(to):
    ours = refconv.convert([SAMPLE, CLASSIC], None, to=to, diagnostics=refconv.Collected())
    assert ours == cli_output(str(SAMPLE), str(CLASSIC), "-t", to, "-q")


def test_write_to_streams_and_paths(tmp_path):
    records = list(refconv.read(SEED))
    text = refconv.write(records, None, "ris")
    out = io.StringIO()
    assert refconv.write(records, out, "ris") is None and out.getvalue() == text
    raw = io.BytesIO()
    refconv.write(records, raw, "ris")
    assert raw.getvalue().decode("utf-8") == text
    target = tmp_path / "seed.ris"
    refconv.write(records, target)  # format from the suffix
    assert target.read_text(encoding="utf-8") == text
    assert [p.name for p in tmp_path.iterdir()] == ["seed.ris"]  # no temporary file left


def test_a_failed_write_leaves_the_target_untouched(tmp_path):
    target = tmp_path / "out.json"
    target.write_text("old", encoding="utf-8")

    def records():
        yield from refconv.read(ONE)
        raise refconv.RefconvError("broken input", "in.enw", 7, code="invalid-entry")

    with pytest.raises(refconv.RefconvError, match=r"in\.enw:7: broken input"):
        refconv.write(records(), target)
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_skipped_records_raise_after_the_others_are_written(tmp_path):
    bib = b"@article{good, title={Good}, year={2001}}\n@article{bad, title={Bad\n"
    sink = refconv.Collected()
    out = io.StringIO()
    with pytest.raises(refconv.SkippedRecords, match="1 record could not be converted"):
        refconv.convert(bib, out, "bibtex", "csljson", diagnostics=sink)
    assert '"title": "Good"' in out.getvalue()
    assert [m.kind for m in sink.messages] == ["error"]


def test_unknown_formats_and_styles_are_lookup_errors():
    with pytest.raises(LookupError, match="no output format"):
        refconv.convert(ONE, None)
    with pytest.raises(LookupError, match="unknown style 'apaa'"):
        refconv.convert(ONE, None, to="text", style="apaa")
    with pytest.raises(LookupError, match="apply to formatted output, not csljson"):
        refconv.convert(ONE, None, to="csljson", style="apa")


def test_record_csl_round_trip():
    for record in refconv.read([SAMPLE, CLASSIC, SEED], diagnostics=refconv.Collected()):
        item = refconv.to_csl(record)
        again = refconv.from_csl(item)
        assert refconv.to_csl(again) == item


# --- batch -------------------------------------------------------------------------------------


def test_batch_writes_one_output_per_input(tmp_path):
    sink = refconv.Collected()
    failed = refconv.convert_batch([SAMPLE, CLASSIC, SEED], tmp_path, "bibtex", diagnostics=sink)
    assert failed == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "classic.bib",
        "endnote-sample.bib",
        "nahta2012-flat.bib",
    ]
    for source in (SAMPLE, CLASSIC, SEED):
        expected = cli_output(str(source), "-t", "bibtex", "-q")
        assert (tmp_path / f"{source.stem}.bib").read_text(encoding="utf-8") == expected


def test_batch_in_parallel_equals_sequential(tmp_path):
    inputs = [str(SAMPLE), str(CLASSIC), str(SEED)]
    one, two = tmp_path / "one", tmp_path / "two"
    r1 = CliRunner().invoke(cli, ["convert", *inputs, "--out-dir", str(one), "-t", "ris", "-j1"])
    r2 = CliRunner().invoke(cli, ["convert", *inputs, "--out-dir", str(two), "-t", "ris", "-j2"])
    assert r1.exit_code == r2.exit_code == 0, r1.stderr + r2.stderr
    assert r1.stderr == r2.stderr
    names = sorted(p.name for p in one.iterdir())
    assert names == sorted(p.name for p in two.iterdir()) and len(names) == 3
    for name in names:
        assert (one / name).read_bytes() == (two / name).read_bytes()


def test_batch_reports_a_failing_input_and_writes_the_others(tmp_path):
    bad = tmp_path / "bad.bib"
    bad.write_text("@article{x, title={Unclosed\n", encoding="utf-8")
    good = tmp_path / "good.bib"
    good.write_text("@book{y, title={Fine}, year={1999}}\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "bad.json").write_text("old", encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["convert", str(bad), str(good), "--out-dir", str(out), "-t", "csljson", "-j2"]
    )
    assert result.exit_code == 1
    assert f"{bad}:1: error:" in result.stderr
    assert (out / "bad.json").read_text(encoding="utf-8") == "old"
    assert '"title": "Fine"' in (out / "good.json").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--out-dir", "d", "-t", "ris"], "needs input files"),
        ([str(SAMPLE), "--out-dir", "d"], "--out-dir needs -t FORMAT"),
        ([str(SAMPLE), "--out-dir", "d", "-t", "ris", "-o", "x.ris"], "exclude each other"),
        ([str(SAMPLE), "-", "--out-dir", "d", "-t", "ris"], "standard input cannot"),
        ([str(SAMPLE), str(SAMPLE), "--out-dir", "d", "-t", "ris"], "would both write"),
    ],
)
def test_batch_usage_errors(args, message, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["convert", *args])
    assert result.exit_code == 2 and message in result.stderr
    assert not Path("d").exists()


def test_batch_suffixes():
    assert refconv.api.batch_targets(["a/x.enw"], "o", "biblatex") == [("a/x.enw", Path("o/x.bib"))]
    assert refconv.api.batch_targets(["x.enw"], "o", "text")[0][1] == Path("o/x.txt")
    assert refconv.api.batch_targets(["x.bib"], "o", "csljson")[0][1] == Path("o/x.json")


@pytest.mark.parametrize("dialect", ["x", "", "Refer", "ENDNOTE", None])
def test_an_unknown_dialect_is_a_value_error_naming_the_known_ones(dialect):
    """The Refer reader took any unknown dialect as 'auto', silently."""
    message = r"unknown dialect .*; known: auto, refer, endnote"
    with pytest.raises(ValueError, match=message):
        refconv.read(ONE, "refer", dialect=dialect)
    with pytest.raises(ValueError, match=message):
        refconv.convert(ONE, None, "refer", "ris", dialect=dialect)


@pytest.mark.parametrize("dialect", ["auto", "refer", "endnote"])
def test_the_known_dialects_are_accepted(dialect):
    assert len(list(refconv.read(ONE, "refer", dialect=dialect))) == 1


def test_an_empty_out_dir_is_the_error_of_an_empty_output_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.enw").write_bytes(ONE)
    for call in (refconv.api.batch_targets, refconv.api.convert_batch):
        with pytest.raises(refconv.RefconvError, match=r"^cannot write: the output path is empty"):
            call(["a.enw"], "", "ris")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.enw"]
