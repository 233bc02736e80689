"""Shared test helpers: paths, a reader helper and the CSL schema."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import typing
from pathlib import Path

import pytest

from refconv.codes import Code
from refconv.diagnostics import Diagnostics
from refconv.formats.refer.read import ReferReader
from refconv.io import iter_lines

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
#: The goldens per reader: tests/formats/<format>/ (test_golden.py).
FORMATS = Path(__file__).resolve().parent / "formats"
EXAMPLES = ROOT / "examples"
SEED = EXAMPLES / "nahta2012-flat.enw"
#: What every conversion of the seed says about its mis-decoded en dash, and --fix-text's note.
SEED_WARNING = (
    f"{SEED}:1: warning: abstract looks like GBK punctuation read as Latin-1 (20¨C30 for "
    "20–30): ' level in 20¨C30% of met'; --fix-text repairs it\n"
)
SEED_NOTE = (
    f"{SEED}:1: note: abstract: repaired ' level in 20¨C30% of met' as ' level in 20–30% of meta'\n"
)
SHARED = ROOT.parent / "shared"
SCHEMA_PATH = DATA / "csl-data.json"


def require_tool(name: str, package: str) -> str:
    """The path of program ``name``; skip without it on a developer machine, fail under CI
    (the ``CI`` variable), where .ci/run must have installed Debian ``package``."""
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is not installed; .ci/run must install Debian {package}")
        pytest.skip(f"{name} is not installed (Debian package {package})")
    return path


def biber_tool(
    directory: Path, source: str, target: str, package: str = "biber"
) -> subprocess.CompletedProcess[str]:
    """``biber --tool`` on ``source`` in ``directory``, writing what it read to ``target``: the
    other consumer of BibLaTeX files, as judge (skips or fails as ``require_tool``)."""
    biber = require_tool("biber", package)
    command = [biber, "--tool", "--output-file", target, source]
    return subprocess.run(command, cwd=directory, capture_output=True, text=True, check=False)


class Collect(Diagnostics):
    """Diagnostics that remember the warnings instead of printing them: ``messages`` as
    ``path:line: message``, ``codes`` their codes (each one of ``refconv.codes.Code``)."""

    def __init__(self, **kw):
        super().__init__(**kw)
        self.messages: list[str] = []
        self.codes: list[str] = []

    def warn(self, message, path=None, line=None, *, code):
        assert code in typing.get_args(Code), code
        self.count += 1
        self.by_code[code] += 1
        if self.strict:
            super().warn(message, path, line, code=code)
        self.messages.append(f"{path}:{line}: {message}")
        self.codes.append(code)


def read_refer(text: str | bytes, **options):
    """Parse Refer text; return (records, warnings)."""
    diagnostics = Collect()
    data = text.encode("utf-8") if isinstance(text, str) else text
    lines = iter_lines(io.BytesIO(data), "t.enw", diagnostics, options.pop("encoding", None))
    records = list(ReferReader(diagnostics=diagnostics, **options).read(lines, "t.enw"))
    return records, diagnostics.messages


def read_one(text: str, **options):
    records, _ = read_refer(text, **options)
    assert len(records) == 1, records
    return records[0]


@pytest.fixture(scope="session")
def csl_schema():
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
