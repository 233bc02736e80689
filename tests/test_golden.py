"""Golden files: each tests/data/refer/<case>.(enw|refer) beside <case>.json and <case>.err.

The .err file pins the exact warnings (with line numbers). Set REFCONV_UPDATE_GOLDENS=1 to
rewrite the expected files after a deliberate change, then review the diff.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from refconv.cli import cli

from .conftest import DATA

CASES = sorted(p for p in (DATA / "refer").iterdir() if p.suffix in (".enw", ".refer"))
UPDATE = os.environ.get("REFCONV_UPDATE_GOLDENS") == "1"


def compare(expected_path: Path, actual: str) -> None:
    if UPDATE:
        expected_path.write_text(actual, encoding="utf-8", newline="\n")
    expected = expected_path.read_text(encoding="utf-8") if expected_path.exists() else ""
    if actual != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(True),
                actual.splitlines(True),
                str(expected_path.name),
                "actual",
            )
        )
        pytest.fail(f"output differs from {expected_path.name}:\n{diff}")


@pytest.mark.parametrize("case", CASES, ids=[p.stem for p in CASES])
def test_golden_csljson(case: Path, monkeypatch):
    monkeypatch.chdir(case.parent)
    result = CliRunner().invoke(cli, ["convert", case.name, "-t", "csljson"])
    assert result.exit_code == 0, result.stderr
    compare(case.with_suffix(".json"), result.stdout)
    compare(case.with_suffix(".err"), result.stderr)


WRITERS = {"bibtex": ".bib", "biblatex": ".biblatex.bib", "ris": ".ris", "refer": ".enw.out"}


@pytest.mark.parametrize("writer", WRITERS)
@pytest.mark.parametrize("case", CASES, ids=[p.stem for p in CASES])
def test_golden_writers(case: Path, writer: str, monkeypatch):
    monkeypatch.chdir(case.parent)
    result = CliRunner().invoke(cli, ["convert", case.name, "-t", writer, "-q"])
    assert result.exit_code == 0, result.stderr
    compare(case.parent / (case.stem + WRITERS[writer]), result.stdout)


def test_goldens_are_valid_csl(csl_schema):
    jsonschema = pytest.importorskip("jsonschema")
    import json

    for case in CASES:
        jsonschema.validate(json.loads(case.with_suffix(".json").read_text("utf-8")), csl_schema)
