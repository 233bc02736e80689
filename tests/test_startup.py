"""What a small conversion loads (issue 18, start-up): only the modules of the formats it
uses, and none of the heavy libraries another job needs. Deterministic, unlike a timed test;
``benchmarks/run.py`` measures the time (its one-record rows)."""

from __future__ import annotations

import os
import site
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

#: Run the command line in a fresh interpreter and list the modules it imported on stderr.
#: ``-S`` and this environment's site directories added by hand: no ``.pth`` file runs, so
#: an editable install's import hook (which loads pathlib and urllib) does not hide what
#: refconv loads.
_PROBE = """
import os, sys
sys.path.extend(sys.argv.pop(1).split(os.pathsep))
sys.argv = ["refconv", *sys.argv[1:]]
from refconv.cli import main
try:
    main()
except SystemExit as exc:
    assert not exc.code, exc.code
sys.stderr.write("\\n".join(sorted(sys.modules)))
"""

#: Libraries no Refer → CSL-JSON or Refer → RIS conversion of ASCII text needs: formatting
#: (citeproc-py, lxml), BibTeX (bibtexparser), transliteration of keys (anyascii and the
#: importlib.resources/tempfile machinery it loads), OpenSSL's hashes (hashlib), process pools.
HEAVY = [
    "citeproc",
    "lxml",
    "bibtexparser",
    "anyascii",
    "tempfile",
    "hashlib",
    "_hashlib",
    "multiprocessing",
    "concurrent",
    "csv",
    "pathlib",
    "urllib",
    "ipaddress",
    "calendar",
]
#: refconv's own modules a conversion does not need: the library API and --out-dir (which
#: load pathlib), the check command, the parallel machinery (one process for one record).
NOT_NEEDED = {"refconv.api", "refconv.batch", "refconv.check", "refconv.parallel"}


def imported(args: list[str], stdin: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-S", "-c", _PROBE, os.pathsep.join(site.getsitepackages()), *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    return set(done.stderr.split("\n"))


ONE_RECORD = "%0 Journal Article\n%A Doe, Jane\n%T A title\n%J Journal\n%D 2020\n"


@pytest.mark.parametrize(
    ("target", "own"),
    [("csljson", {"refconv.formats.csljson"}), ("ris", {"refconv.formats.ris"})],
)
def test_a_small_conversion_loads_only_its_formats(target, own):
    modules = imported(["convert", "-f", "refer", "-t", target, "-"], ONE_RECORD)
    formats = {m for m in modules if m.startswith("refconv.formats.")}
    wings = {".".join(m.split(".")[:3]) for m in formats} - {"refconv.formats.base"}
    assert wings == {"refconv.formats.refer"} | own
    assert not {m for m in modules if m.split(".")[0] in HEAVY}
    assert not modules & NOT_NEEDED


def test_the_probe_sees_a_heavy_module_when_one_is_used():
    """The probe itself works: a BibTeX job loads bibtexparser, a non-ASCII key anyascii."""
    modules = imported(["convert", "-f", "refer", "-t", "bibtex", "-"], ONE_RECORD)
    assert "bibtexparser" in modules and "refconv.formats.bibtex" in modules
    modules = imported(["convert", "-f", "refer", "-t", "csljson", "-"], "%A Dœ, Jan\n%D 2020\n")
    assert "anyascii" in modules
