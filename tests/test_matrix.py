"""Every reader × every writer from the command line, with the input format told by suffix and
by content; the output of each pair is read back with the same number of records."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from refconv.cli import cli

from .conftest import EXAMPLES

SOURCES = [EXAMPLES / n for n in ("endnote-sample.enw", "classic.refer", "nahta2012-flat.enw")]
SUFFIX = {"refer": ".enw", "ris": ".ris", "bibtex": ".bib", "csljson": ".json", "csl-yaml": ".yaml"}
WRITERS = ("refer", "ris", "bibtex", "biblatex", "csljson", "csl-yaml")


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
        invoke(*map(str, SOURCES), "-o", str(path))
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
