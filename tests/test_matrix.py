"""Every reader × every writer from the command line, with the input format told by suffix and
by content; the output of each pair is read back with the same number of records."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from refconv.cli import cli

from .conftest import EXAMPLES, FORMATS

SOURCES = [EXAMPLES / n for n in ("endnote-sample.enw", "classic.refer", "nahta2012-flat.enw")]
#: reader -> the suffix of its files (EndNote XML's ``.xml`` is told by content: no reader
#: or writer claims it, so the examples are written with ``-t``)
SUFFIX = {"refer": ".enw", "ris": ".ris", "bibtex": ".bib", "csljson": ".json",
          "endnote-xml": ".xml", "csl-yaml": ".yaml", "mods": ".mods"}  # fmt: skip
WRITERS = ("refer", "ris", "bibtex", "biblatex", "csljson", "endnote-xml", "csl-yaml", "mods")


def invoke(*args, input=None):
    result = CliRunner().invoke(cli, ["convert", "-q", *args], input=input)
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    """The examples in each input format, written by refconv itself."""
    base = tmp_path_factory.mktemp("matrix")
    files = {}
    for fmt, suffix in SUFFIX.items():
        path = base / f"refs{suffix}"
        invoke(*map(str, SOURCES), "-t", fmt, "-o", str(path))
        files[fmt] = path
    return files


def count(text: str, fmt: str) -> int:
    back = invoke("-f", "bibtex" if fmt == "biblatex" else fmt, "-t", "csljson", input=text)
    return back.count('\n    "id": ')


@pytest.mark.parametrize("writer", WRITERS)
@pytest.mark.parametrize("reader", sorted(SUFFIX))
def test_reader_writer_pair_by_suffix(inputs, reader, writer):
    out = invoke(str(inputs[reader]), "-t", writer)
    assert count(out, writer) == 14


@pytest.mark.parametrize("reader", sorted(SUFFIX))
def test_format_told_by_content_on_stdin(inputs, reader):
    out = invoke("-t", "csljson", input=inputs[reader].read_bytes())
    assert out.count('\n    "id": ') == 14


@pytest.mark.parametrize("reader", sorted(SUFFIX))
def test_every_reader_gives_the_same_records(inputs, reader):
    """refer -> X -> refer is the identity on the examples, for every format X."""
    reference = invoke(str(inputs["refer"]), "-t", "refer")
    assert invoke(str(inputs[reader]), "-t", "refer") == reference


@pytest.mark.parametrize("suffix", [".refer", ".ref", ".txt"])
def test_refer_suffixes(inputs, suffix, tmp_path):
    path = tmp_path / f"refs{suffix}"
    path.write_bytes(inputs["refer"].read_bytes())
    assert invoke(str(path), "-t", "refer") == invoke(str(inputs["refer"]), "-t", "refer")


#: Readers with no writer of their own: their golden inputs go to every writer.
READ_ONLY = {"medline": FORMATS / "medline"}
ALL_WRITERS = (*WRITERS, "text", "html", "markdown", "rst")


@pytest.mark.parametrize("writer", ALL_WRITERS)
@pytest.mark.parametrize("reader", sorted(READ_ONLY))
def test_read_only_reader_to_every_writer(reader, writer, tmp_path):
    """Every golden input of a reader that has no writer (told by its suffix), converted to
    every writer: the data outputs read back with as many records as the reader gives."""
    inputs = sorted(p for p in READ_ONLY[reader].iterdir() if p.suffix == ".nbib")
    records = invoke(*map(str, inputs), "-t", "csljson").count('\n    "id": ')
    assert records >= 35
    out = invoke(*map(str, inputs), "-t", writer)
    if writer in WRITERS:
        assert count(out, writer) == records
    else:
        assert out.strip()


@pytest.mark.parametrize("reader", sorted(READ_ONLY))
def test_read_only_reader_told_by_content(reader):
    seed = READ_ONLY[reader] / "nahta2012.nbib"
    out = invoke("-t", "csljson", input=seed.read_bytes())
    assert '"PMID": "23227361"' in out


#: The MODS goldens that read without an error (the others test the refusals).
MODS_INPUTS = sorted(
    p
    for p in (FORMATS / "mods").iterdir()
    if p.suffix == ".mods" and ": error: " not in p.with_suffix(".err").read_text("utf-8")
)


@pytest.mark.parametrize("writer", ALL_WRITERS)
def test_mods_goldens_to_every_writer(writer):
    """Every MODS golden that reads cleanly, told by its suffix, to every writer (the
    formatted ones too): the data outputs read back with as many records."""
    records = invoke(*map(str, MODS_INPUTS), "-t", "csljson").count('\n    "id": ')
    assert records >= 20
    out = invoke(*map(str, MODS_INPUTS), "-t", writer)
    if writer in WRITERS:
        assert count(out, writer) == records
    else:
        assert out.strip()
