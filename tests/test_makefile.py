"""examples/Makefile: refconv as a build step, and no partial target after a failure."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from .conftest import EXAMPLES

pytestmark = pytest.mark.slow  # runs make on the examples, in parallel too

MAKE = shutil.which("make")
REFCONV = os.path.join(os.path.dirname(sys.executable), "refconv")
needs_make = pytest.mark.skipif(
    (MAKE is None or not os.path.exists(REFCONV)) and not os.environ.get("CI"),
    reason="make or the installed refconv command is missing",
)


def make(cwd, *targets):
    return subprocess.run(
        [MAKE or "make", f"REFCONV={REFCONV}", *targets],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


@needs_make
@pytest.mark.parametrize("jobs", ["-j1", "-j4"])
def test_make_builds_the_examples(tmp_path, jobs):
    work = tmp_path / "examples"
    shutil.copytree(EXAMPLES, work, ignore=shutil.ignore_patterns("out", "plugin"))
    result = make(work, jobs)
    assert result.returncode == 0, result.stderr
    stems = sorted(p.stem for p in work.glob("*.enw"))
    assert stems == ["endnote-sample", "nahta2012-flat"]
    built = sorted(p.name for p in (work / "out").iterdir())
    expected = [f"{stem}.{suffix}" for stem in stems for suffix in ("bib", "json", "ris")]
    assert built == sorted([*expected, "references.json"])
    items = json.loads((work / "out" / "references.json").read_text("utf-8"))
    assert len(items) == 13
    seed = json.loads((work / "out" / "nahta2012-flat.json").read_text("utf-8"))
    assert seed[0]["id"] == "nahta2012molecular"
    assert (
        (work / "out" / "nahta2012-flat.bib")
        .read_text("utf-8")
        .startswith("@article{nahta2012molecular,")
    )
    ris = (work / "out" / "endnote-sample.ris").read_text("utf-8")
    assert ris.count("TY  - ") == ris.count("ER  - ") == 8
    again = make(work)
    assert "Nothing to be done" in again.stdout
    (work / "nahta2012-flat.enw").touch()  # make rebuilds only what depends on it
    os.utime(work / "nahta2012-flat.enw", (2e9, 2e9))
    rebuilt = make(work)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert rebuilt.stdout.count("convert") == 3 and "endnote-sample" not in rebuilt.stdout


@needs_make
def test_failed_conversion_leaves_no_target(tmp_path):
    work = tmp_path / "examples"
    shutil.copytree(EXAMPLES, work, ignore=shutil.ignore_patterns("out", "plugin"))
    (work / "classic.refer").write_bytes(b"%T broken\n\x00")
    result = make(work, "out/references.json")
    assert result.returncode != 0
    assert "classic.refer:2: error: binary data (NUL byte)" in result.stderr
    assert not (work / "out" / "references.json").exists()
    assert os.listdir(work / "out") == []
