"""``convert --dedupe`` and ``--sort`` through the command line and the library (issue 20,
item 8): whole outputs and notes, every writer, ``--strict``, ``-j``, keys, batch mode, and
the default path, which must stay a stream."""

from __future__ import annotations

import json
from unittest.mock import patch

import pytest
from click.testing import CliRunner

import refconv
from refconv import parallel, pipeline
from refconv.cli import cli
from refconv.diagnostics import Collected
from refconv.plugins import Registry

BIB = """\
@article{watson1953,
  author = {Watson, J. D. and Crick, F. H. C.},
  title = {Molecular structure of nucleic acids},
  journal = {Nature},
  year = {1953},
  doi = {10.1038/171737a0}
}

@book{doe2001,
  author = {Doe, Jane},
  title = {Gardens},
  year = {2001}
}
"""
RIS = """\
TY  - JOUR
AU  - Watson, J. D.
AU  - Crick, F. H. C.
TI  - Molecular structure of nucleic acids
JO  - Nature
PY  - 1953
VL  - 171
SP  - 737
EP  - 738
DO  - https://doi.org/10.1038/171737A0
KW  - DNA
ER  -

TY  - BOOK
AU  - Roe, Richard
TI  - Fields
PY  - 1999
ER  -
""".replace("ER  -\n", "ER  - \n")  # the tag's blank value keeps its space


@pytest.fixture
def inputs(tmp_path):
    bib, ris = tmp_path / "a.bib", tmp_path / "b.ris"
    bib.write_text(BIB, encoding="utf-8")
    ris.write_text(RIS, encoding="utf-8")
    return str(bib), str(ris)


def convert(*args, input=None):
    return CliRunner().invoke(cli, ["convert", *args], input=input)


def test_merged_output_and_note(inputs):
    bib, ris = inputs
    result = convert(bib, ris, "-t", "bibtex", "--dedupe", "doi")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "@article{watson1953,\n"
        "  author   = {Watson, J. D. and Crick, F. H. C.},\n"
        "  title    = {Molecular structure of nucleic acids},\n"
        "  journal  = {Nature},\n"
        "  volume   = {171},\n"
        "  pages    = {737--738},\n"
        "  year     = {1953},\n"
        "  doi      = {10.1038/171737a0},\n"
        "  keywords = {DNA}\n"
        "}\n\n"
        "@book{doe2001,\n"
        "  author = {Doe, Jane},\n"
        "  title  = {Gardens},\n"
        "  year   = {2001}\n"
        "}\n\n"
        "@book{roe1999fields,\n"
        "  author = {Roe, Richard},\n"
        "  title  = {Fields},\n"
        "  year   = {1999}\n"
        "}\n"
    )
    assert result.stderr == (
        f"{ris}:1: note: duplicate of the record at {bib}:1 (same DOI 10.1038/171737A0), "
        "merged into it: adds volume, page, keyword\n"
    )


def test_a_differing_value_is_kept_and_said(inputs, tmp_path):
    bib, _ = inputs
    ris = tmp_path / "c.ris"
    ris.write_text(RIS.replace("PY  - 1953", "PY  - 1954"), encoding="utf-8")
    result = convert(bib, str(ris), "-t", "csljson", "--dedupe", "doi")
    item = json.loads(result.stdout)[0]
    assert item["issued"] == {"date-parts": [[1953]]}
    assert item["custom"] == {"issued": ["1954"]}
    assert result.stderr.endswith(
        "merged into it: adds volume, page, keyword; its differing issued kept in custom\n"
    )


def test_strict_lets_a_merge_pass_and_fails_on_a_kept_value(inputs, tmp_path):
    bib, ris = inputs
    clean = convert(bib, ris, "-t", "bibtex", "--dedupe", "doi", "--strict")
    assert clean.exit_code == 0 and " note: duplicate of the record at " in clean.stderr
    other = tmp_path / "c.ris"
    other.write_text(RIS.replace("PY  - 1953", "PY  - 1954"), encoding="utf-8")
    target = tmp_path / "out.bib"
    target.write_text("old", encoding="utf-8")
    kept = convert(bib, str(other), "-o", str(target), "--dedupe", "doi", "--strict")
    assert kept.exit_code == 1
    assert kept.stderr.splitlines()[-1] == (
        f"{bib}:1: error: issued has no field in bibtex; it would go to refconv, which "
        "--strict forbids"
    )
    assert target.read_text(encoding="utf-8") == "old"


def _is_formatted(writer: str) -> bool:
    from refconv.formats.formatted.write import FormattedWriter

    return issubclass(Registry(Collected()).writers()[writer], FormattedWriter)


def _count(writer: str, text: str) -> int:
    """Records in ``text`` as ``writer`` wrote them: read back by the format's reader, or in
    a formatted bibliography the entries that name the duplicated paper's title."""
    if _is_formatted(writer):
        return text.count("Molecular structure of nucleic acids")
    reader = "bibtex" if writer == "biblatex" else writer
    return len(list(refconv.read(text.encode(), reader, diagnostics=Collected())))


@pytest.mark.parametrize("writer", sorted(Registry(Collected()).writers()))
def test_every_writer_gets_the_merged_records(inputs, writer):
    bib, ris = inputs
    once = convert(bib, ris, "-t", writer, "--dedupe", "doi", "-q")
    twice = convert(bib, ris, "-t", writer, "-q")
    assert once.exit_code == twice.exit_code == 0
    total = 1 if _is_formatted(writer) else 3  # the paper; all records
    assert (_count(writer, once.stdout), _count(writer, twice.stdout)) == (total, total + 1)


def test_dropped_records_take_no_key_and_keys_do_not_follow_sort(tmp_path):
    path = tmp_path / "a.enw"
    records = [
        ("Smith", 2001, "Title", "10.1000/b"),
        ("Smith", 2001, "Title", "10.1000/B"),
        ("Smith", 2001, "Title", "10.1000/c"),
        ("Abel", 2002, "Zeta", "10.1000/d"),
    ]
    path.write_text(
        "\n".join(f"%0 Book\n%A {a}\n%D {y}\n%T {t}\n%R {d}\n" for a, y, t, d in records),
        encoding="utf-8",
    )

    def keys(*args):
        out = json.loads(convert(str(path), "-t", "csljson", "-q", *args).stdout)
        return [(item["id"], item["DOI"]) for item in out]

    assert keys() == [("smith2001title", "10.1000/b"), ("smith2001titlea", "10.1000/B"),
                      ("smith2001titleb", "10.1000/c"), ("abel2002zeta", "10.1000/d")]  # fmt: skip
    merged = [("smith2001title", "10.1000/b"), ("smith2001titlea", "10.1000/c"),
              ("abel2002zeta", "10.1000/d")]  # fmt: skip
    assert keys("--dedupe", "doi") == merged
    assert keys("--dedupe", "doi", "--sort", "author") == [merged[2], *merged[:2]]
    assert keys("--dedupe", "doi", "--sort", "key") == [merged[2], *merged[:2]]
    assert keys("--dedupe", "doi", "--sort", "year") == merged


def test_jobs_run_in_one_process_with_the_output_of_one(tmp_path, monkeypatch):
    monkeypatch.setattr(parallel, "PART_BYTES", 64)  # a part per record or two
    path = tmp_path / "big.enw"
    path.write_text(
        "\n".join(f"%0 Book\n%A Smith{i % 7}\n%D {2000 + i % 3}\n%T T{i % 5}\n%R 10.1000/{i % 11}\n"
                  for i in range(60)),
        encoding="utf-8",
    )  # fmt: skip
    for options in (
        ["--dedupe", "doi"],
        ["--sort", "author"],
        ["--dedupe", "title", "--sort", "year"],
    ):
        args = [str(path), "-t", "ris", *options]
        one = convert(*args, "-j", "1")
        with patch.object(parallel, "run_parallel", wraps=parallel.run_parallel) as spy:
            two = convert(*args, "-j", "2")
        assert not spy.called
        assert (two.exit_code, two.stdout, two.stderr) == (one.exit_code, one.stdout, one.stderr)
    with patch.object(parallel, "run_parallel", wraps=parallel.run_parallel) as spy:
        convert(str(path), "-t", "ris", "-j", "2")
    assert spy.called  # without them the input is split: the spy sees it


def test_the_default_path_holds_nothing(inputs):
    bib, ris = inputs
    with patch.object(pipeline, "_arranged", side_effect=AssertionError("held")):
        result = convert(bib, ris, "-t", "ris")
    assert result.exit_code == 0 and result.stdout.count("ER  - ") == 4
    plan = pipeline.plan_conversion(Registry(Collected()), Collected(), bib, None, None, "ris")
    assert not plan.holds_records


def test_report_counts_merges(inputs):
    result = convert(*inputs, "-t", "ris", "--dedupe", "doi", "-q", "--report")
    assert result.stderr.splitlines()[:2] == [
        "report: 3 records written as ris",
        "report: 1 duplicate merged into earlier records (--dedupe)",
    ]


def test_batch_dedupes_each_output(inputs, tmp_path):
    ris = inputs[1]
    both = tmp_path / "both.bib"
    both.write_text(BIB + BIB.replace("@book{doe2001", "@book{Doe2001"), encoding="utf-8")
    out = tmp_path / "out"
    result = convert(str(both), ris, "--out-dir", str(out), "-t", "ris", "--dedupe", "key")
    assert result.exit_code == 0, result.stderr
    assert (out / "both.ris").read_text(encoding="utf-8").count("ER  - ") == 2
    assert (out / "b.ris").read_text(encoding="utf-8").count("ER  - ") == 2
    assert result.stderr.count("note: duplicate of the record at") == 2


def test_api(inputs):
    bib, ris = inputs
    sink = Collected()
    text = refconv.convert([bib, ris], None, to="csljson", diagnostics=sink, dedupe="doi",
                           sort="year")  # fmt: skip
    assert [item["id"] for item in json.loads(text)] == ["watson1953", "roe1999fields", "doe2001"]
    assert [m.kind for m in sink.messages] == ["note"]
    with pytest.raises(ValueError, match="unknown --dedupe 'isbn'"):
        refconv.convert(bib, None, to="ris", dedupe="isbn")
    with pytest.raises(ValueError, match="unknown --sort 'title'"):
        refconv.convert(bib, None, to="ris", sort="title")


@pytest.mark.parametrize(
    ("option", "value"), [("--dedupe", "isbn"), ("--sort", "title"), ("--dedupe", "")]
)
def test_usage_errors(inputs, option, value):
    result = convert(inputs[0], "-t", "ris", option, value)
    assert result.exit_code == 2 and f"Invalid value for '{option}'" in result.stderr


def test_standard_input_and_a_file_are_deduped_alike(inputs):
    bib, ris = inputs
    with open(ris, encoding="utf-8") as stream:
        piped = convert(bib, "-", "-t", "ris", "--dedupe", "doi", "-q", input=stream.read())
    named = convert(bib, ris, "-t", "ris", "--dedupe", "doi", "-q")
    assert piped.stdout == named.stdout and piped.stdout.count("ER  - ") == 3
