"""The formatted path's speed work changes no output: the caches (``citeproc/caches.py``) give
the uncached output byte for byte, and the ``--jobs`` default follows its rule."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from refconv.diagnostics import Diagnostics
from refconv.formats.formatted import write as formatted

ROOT = Path(__file__).parent.parent

#: styles whose layouts reach every cached method: author-date and numeric, year suffixes,
#: ``match="any"``/``"none"``, ``is-numeric``, formatting attributes, locale terms, a
#: dependent style (elsevier-harvard) and one whose default locale is not en-US (din-1505-2)
STYLES = [
    "apa",
    "ieee",
    "chicago-author-date",
    "modern-language-association",
    "elsevier-harvard",
    "nature",
    "din-1505-2",
]

_RENDER = """
import json, random, sys
sys.path.insert(0, sys.argv[1])
from tests.conftest import read_refer
from tests.corpus import record
from refconv.formats.formatted import write as formatted
from refconv.formats.formatted.citeproc import INSTALLED
rng = random.Random(17)
records, _ = read_refer("".join(record(rng, i) + "\\n\\n" for i in range(60)))
out = {}
for style in sys.argv[2:]:
    for output in ("text", "html"):
        entries = formatted.render(records, style, None, output, jobs=1)
        out[f"{style} {output}"] = [[str(e), e.left, e.right, e.names] for e in entries]
out["fast"] = INSTALLED.fast  # set by the first render
print(json.dumps(out))
"""


def _rendered(slow: bool) -> dict[str, object]:
    env = dict(os.environ, REFCONV_SLOW_CITEPROC="1" if slow else "0")
    done = subprocess.run(
        [sys.executable, "-c", _RENDER, str(ROOT), *STYLES],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout)
    return result


def test_caches_give_the_uncached_output_byte_for_byte():
    fast, slow = _rendered(slow=False), _rendered(slow=True)
    assert fast.pop("fast") is True and slow.pop("fast") is False  # both paths really ran
    assert list(fast) == list(slow)
    for case in fast:
        assert fast[case], case  # the corpus renders in every style
        assert fast[case] == slow[case], case


# --- the --jobs default -------------------------------------------------------------------------

P = formatted.PARALLEL_FROM


@pytest.mark.parametrize(
    ("entries", "cores", "jobs"),
    [
        pytest.param(0, 2, 1, id="empty"),
        pytest.param(1, 8, 1, id="one_entry"),
        pytest.param(1000, 2, 1, id="1k_two_cores"),
        pytest.param(P - 1, 2, 1, id="just_below"),
        pytest.param(P, 2, 2, id="at_the_threshold"),
        pytest.param(10_000, 2, 1, id="10k_two_cores"),
        pytest.param(30_000, 1, 1, id="30k_one_core"),
        pytest.param(P, 512, P // formatted.CHUNK, id="no_more_workers_than_chunks"),
        pytest.param(100_000, 64, 64, id="100k_many_cores"),
    ],
)
def test_default_jobs(entries, cores, jobs):
    assert formatted.default_jobs(entries, cores) == jobs


@given(st.integers(0, 10**6), st.integers(1, 256))
def test_default_jobs_is_between_one_and_the_cores_and_grows_with_size(entries, cores):
    jobs = formatted.default_jobs(entries, cores)
    assert 1 <= jobs <= cores
    assert jobs <= max(1, -(-entries // formatted.CHUNK))  # every worker gets a chunk
    assert formatted.default_jobs(entries + formatted.CHUNK, cores) >= jobs
    assert formatted.default_jobs(entries, cores + 1) >= jobs


@pytest.mark.parametrize(("option", "entries"), [(None, 3), (None, P), (5, 3)])
def test_the_writer_uses_the_default_unless_told(monkeypatch, option, entries):
    """``--jobs`` wins; without it the writer asks ``default_jobs`` with the record count."""
    seen: list[int] = []

    def render(records, *args, jobs=1, **kwargs):
        seen.append(jobs)
        return []

    monkeypatch.setattr(formatted, "render", render)
    monkeypatch.setattr(formatted.os, "cpu_count", lambda: 4)
    writer = formatted.TextWriter(diagnostics=Diagnostics(quiet=True), jobs=option)
    writer.write([object()] * entries, io.StringIO())  # type: ignore[list-item]
    assert seen == [option or formatted.default_jobs(entries, 4)]
    assert seen == [5 if option else (4 if entries >= P else 1)]


def test_the_help_states_the_threshold():
    from click.testing import CliRunner

    from refconv.cli import cli

    result = CliRunner().invoke(cli, ["convert", "--help"], terminal_width=200)
    assert result.exit_code == 0
    assert f"one process below {P:,} references" in " ".join(result.stdout.split())
