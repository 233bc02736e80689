"""--report and --strict: what a conversion put in note fields, by field and count."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from refconv.cli import cli

# A Conference Paper with an event title (no BibTeX field; RIS T2), a translated author (%H: no
# CSL variable) and a newspaper article (BibTeX has no newspaper type).
INPUT = """\
%0 Conference Paper
%T Paper
%A Doe, Jane
%H Yu, Min
%D 2017
%B NeurIPS 2017
%J Advances in Neural Information Processing Systems 30

%0 Newspaper Article
%T Headline
%A Reporter, Rita
%H Yu, Min
%D 2015
%J The Daily Paper
"""


def run(*args):
    return CliRunner().invoke(cli, ["convert", "-f", "refer", *args], input=INPUT)


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        (
            "bibtex",
            [
                "report: 2 records written as bibtex",
                "report: kept in refconv (no field of their own in bibtex):",
                "report:      2  Translated Author (%H)",
                "report: types bibtex cannot express (written as the nearest):",
                "report:      1  article-newspaper -> @article",
            ],
        ),
        (
            "ris",
            [
                "report: 2 records written as ris",  # T2 is a Conference Paper's event
            ],
        ),
        (
            "csljson",
            [
                "report: 2 records written as csljson",
                "report: kept in custom (no field of their own in csljson):",
                "report:      2  Translated Author (%H)",
            ],
        ),
        ("refer", ["report: 2 records written as refer"]),
    ],
)
def test_report_counts_what_went_to_notes(target, expected):
    result = run("-t", target, "--report")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines() == expected


def test_report_includes_warnings():
    result = CliRunner().invoke(
        cli,
        ["convert", "-f", "refer", "-t", "refer", "--report"],
        input="%0 Book\n%A Doe, J\n%D 2001\n",
    )
    assert result.stderr.splitlines()[-1] == "report: 1 warnings, 0 errors"


def test_without_report_a_conversion_is_quiet():
    result = run("-t", "bibtex")
    assert result.exit_code == 0
    assert result.stderr == ""
    assert "Translated Author (\\%H): Yu, Min" in result.stdout  # escaped for TeX


@pytest.mark.parametrize(
    ("target", "message"),
    [
        (
            "bibtex",
            "<stdin>:1: error: Translated Author (%H) has no field in bibtex; "
            "it would go to refconv",
        ),
        (
            "csljson",
            "<stdin>:1: error: Translated Author (%H) has no field in csljson; "
            "it would go to custom",
        ),
    ],
)
def test_strict_makes_an_unplaceable_field_an_error(target, message, tmp_path):
    out = tmp_path / "out"
    out.write_text("old\n")
    result = run("-t", target, "--strict", "-o", str(out))
    assert result.exit_code == 1
    assert result.stderr == message + ", which --strict forbids\n"
    assert out.read_text() == "old\n"  # the target is kept as it was


def test_strict_accepts_what_has_a_place():
    result = CliRunner().invoke(
        cli,
        ["convert", "-f", "refer", "-t", "ris", "--strict"],
        input="%0 Electronic Article\n%T T\n%A Doe, J\n%D 2012\n%J Journal\n",
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("TY  - EJOUR\n")  # the EndNote type needs no note


RIS_KEPT = "TY  - JOUR\nTI  - T\nPY  - 1999/12/31/Winter issue\nY2  - ref 2019\nER  - \n"


def test_report_counts_what_the_reader_kept_by_field():
    """The loss policy (issue 14): a value a reader kept instead of placing is counted."""
    result = CliRunner().invoke(
        cli, ["convert", "-f", "ris", "-t", "ris", "--report", "-q"], input=RIS_KEPT
    )
    assert result.exit_code == 0, result.stderr
    lines = result.stderr.splitlines()
    start = lines.index("report: kept by the reader, not placed in a field (2):")
    assert lines[start + 1 : start + 3] == ["report:      1  PY", "report:      1  Y2"]


def test_strict_fails_on_a_value_the_reader_kept():
    args = ["convert", "-f", "ris", "-t", "csljson", "--strict"]
    result = CliRunner().invoke(cli, args, input=RIS_KEPT)
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "<stdin>:3: error: PY '1999/12/31/Winter issue': 'Winter issue' is not part of a date;"
        " kept in custom (a warning, but --strict is set)"
    )
