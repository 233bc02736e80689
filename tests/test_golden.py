"""Golden files per reader: tests/formats/<format>/<case>.<input suffix> beside
<case>.expected.json (the CSL-JSON refconv writes) and <case>.err (the exact stderr, with
file:line). A case is named by its input file, which has no other dot in its name; the case
name is the test id. Refer cases also pin every data writer (<case>.bib, .biblatex.bib, .ris,
.enw.out).

An expected file that is missing fails the case. Set REFCONV_UPDATE_GOLDENS=1 to write the
expected files from the current output after a deliberate change, then review the diff.
"""

from __future__ import annotations

import difflib
import json
import os
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from refconv.cli import cli

from .conftest import FORMATS

#: format -> the suffixes of its inputs (the reader's own suffixes).
INPUTS = {
    "refer": (".enw", ".refer"),
    "ris": (".ris",),
    "bibtex": (".bib",),
    "csljson": (".json",),
    "medline": (".nbib",),
    "endnotexml": (".xml",),
    "cslyaml": (".yaml", ".yml"),
    "mods": (".mods",),
}
#: format folder -> the reader's name, where they differ.
READER_NAMES = {"endnotexml": "endnote-xml"}
UPDATE = os.environ.get("REFCONV_UPDATE_GOLDENS") == "1"


def find_cases(fmt: str) -> list[Path]:
    """The inputs of ``fmt``: files named ``<case><suffix>`` with no other dot."""
    return sorted(
        path
        for path in (FORMATS / fmt).iterdir()
        if path.suffix in INPUTS[fmt] and "." not in path.stem
    )


#: Cases whose expected files say what refconv should do and does not yet (a bug in refconv,
#: with its minimal reproducer). REFCONV_UPDATE_GOLDENS=1 leaves their expected files alone.
KNOWN_BUGS: dict[str, str] = {}


def case_param(fmt: str, path: Path) -> Any:
    """The pytest parameter of one case: id ``<format>/<case>``, strict xfail if known bad."""
    case_id = f"{fmt}/{path.stem}"
    marks = (
        [pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[case_id])]
        if case_id in KNOWN_BUGS
        else []
    )
    return pytest.param(fmt, path, id=case_id, marks=marks)


CASES = [case_param(fmt, path) for fmt in INPUTS for path in find_cases(fmt)]
REFER_CASES = [pytest.param(p, id=p.stem) for p in find_cases("refer")]


def expected(case: Path, suffix: str) -> Path:
    """The expected file of ``case`` with ``suffix`` (``.expected.json``, ``.err``, ...)."""
    return case.parent / (case.stem + suffix)


def compare(expected_path: Path, actual: str, update: bool = UPDATE) -> None:
    """Fail with a unified diff unless ``actual`` is the text of ``expected_path``."""
    if update:
        expected_path.write_text(actual, encoding="utf-8", newline="\n")
    if not expected_path.exists():
        pytest.fail(
            f"{expected_path.name} is missing; write it with REFCONV_UPDATE_GOLDENS=1 and review it"
        )
    text = expected_path.read_text(encoding="utf-8")
    if actual != text:
        diff = "".join(
            difflib.unified_diff(
                text.splitlines(True), actual.splitlines(True), expected_path.name, "actual"
            )
        )
        pytest.fail(f"output differs from {expected_path.name}:\n{diff}")


def convert(case: Path, fmt: str, to: str, monkeypatch: pytest.MonkeyPatch, *quiet: str):
    """``refconv convert <case> -f <fmt> -t <to>`` run in the case's folder, so file:line
    in the diagnostics is the bare file name."""
    monkeypatch.chdir(case.parent)
    reader = READER_NAMES.get(fmt, fmt)
    return CliRunner().invoke(cli, ["convert", case.name, "-f", reader, "-t", to, *quiet])


@pytest.mark.parametrize(("fmt", "case"), CASES)
def test_golden_csljson(fmt: str, case: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The CSL-JSON and the diagnostics; a case whose expected stderr has an ``error:``
    line must exit 1, every other 0, never with a traceback."""
    result = convert(case, fmt, "csljson", monkeypatch)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    update = UPDATE and f"{fmt}/{case.stem}" not in KNOWN_BUGS
    compare(expected(case, ".expected.json"), result.stdout, update)
    compare(expected(case, ".err"), result.stderr, update)
    has_error = ": error: " in expected(case, ".err").read_text(encoding="utf-8")
    assert result.exit_code == (1 if has_error else 0), result.stderr


WRITERS = {"bibtex": ".bib", "biblatex": ".biblatex.bib", "ris": ".ris", "refer": ".enw.out"}


@pytest.mark.parametrize("writer", WRITERS)
@pytest.mark.parametrize("case", REFER_CASES)
def test_golden_writers(case: Path, writer: str, monkeypatch: pytest.MonkeyPatch) -> None:
    result = convert(case, "refer", writer, monkeypatch, "-q")
    assert result.exit_code == 0, result.stderr
    compare(expected(case, WRITERS[writer]), result.stdout)


def test_every_format_has_goldens() -> None:
    """A format folder without cases (or one the glob misses) would pass silently."""
    for fmt in INPUTS:
        assert len(find_cases(fmt)) >= 8, fmt


def test_no_stray_files() -> None:
    """Every file in a format folder is a case's input or one of its expected files, so a
    renamed input does not leave its goldens unchecked."""
    for fmt in INPUTS:
        stems = {case.stem for case in find_cases(fmt)}
        for path in (FORMATS / fmt).iterdir():
            assert path.name.split(".")[0] in stems, path


def test_goldens_are_valid_csl(csl_schema: dict[str, object]) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    for case in (case for fmt in INPUTS for case in find_cases(fmt)):
        if ": error: " in expected(case, ".err").read_text("utf-8"):
            continue  # stopped by an error: what was written before it is no document
        text = expected(case, ".expected.json").read_text("utf-8")
        jsonschema.validate(json.loads(text), csl_schema)
