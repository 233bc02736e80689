"""The citeproc-js oracle (tests/citeproc-js/render.js, npm ``citeproc``), shared by the tests
that compare refconv's formatted output with the reference CSL processor."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import pytest

ORACLE = Path(__file__).parent / "citeproc-js"


def need_node() -> None:
    """Skip locally when node or citeproc-js is missing; fail in CI (README: ``npm ci``)."""
    if shutil.which("node") is None or not (ORACLE / "node_modules" / "citeproc").is_dir():
        if os.environ.get("CI"):
            pytest.fail("citeproc-js is missing: run 'npm ci --prefix tests/citeproc-js'")
        pytest.skip("citeproc-js not installed (npm ci --prefix tests/citeproc-js)")


@cache
def locales() -> dict[str, str]:
    """citeproc-py's locale files by tag (``en-US``), the ones refconv renders with."""
    import citeproc

    directory = Path(citeproc.__file__).parent / "data" / "locales"
    return {
        p.stem.removeprefix("locales-"): p.read_text(encoding="utf-8")
        for p in directory.glob("locales-*.xml")
    }


def render(job: dict[str, Any]) -> Any:
    """render.js's answer to ``job`` (see its header: styles, locales, items, format, lang,
    ids); the locales are citeproc-py's unless the job gives its own."""
    need_node()
    done = subprocess.run(
        ["node", str(ORACLE / "render.js")],
        input=json.dumps({"locales": locales(), **job}),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)
