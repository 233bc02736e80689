"""examples/dask: the Dask-bag recipe on a 2-worker LocalCluster gives, shard by shard, the
records of one sequential ``refconv convert``. Skipped without dask, except in CI."""

from __future__ import annotations

import importlib.util
import itertools
import json
import os
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from refconv.cli import cli

from .conftest import ROOT
from .corpus import corpus

pytestmark = pytest.mark.slow  # starts a Dask cluster

if importlib.util.find_spec("distributed") is None and not os.environ.get("CI"):
    pytest.skip("dask is not installed (pip install 'refconv[dask]')", allow_module_level=True)

RECIPE = ROOT / "examples" / "dask" / "refconv_dask.py"


@pytest.fixture(scope="module")
def recipe():
    spec = importlib.util.spec_from_file_location("refconv_dask", RECIPE)
    module = importlib.util.module_from_spec(spec)
    sys.modules["refconv_dask"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def client():
    from dask.distributed import Client, LocalCluster

    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster, Client(cluster) as client:  # fmt: skip
        yield client


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    """Three Refer files; the last big enough to be cut into several parts."""
    root = tmp_path_factory.mktemp("refs")
    sizes = {"a.enw": (40, 1), "b.enw": (25, 2), "c.enw": (400, 3)}
    for name, (n, seed) in sizes.items():
        (root / name).write_text(corpus(n, seed=seed), encoding="utf-8")
    return root


def sequential(paths, to):
    result = CliRunner().invoke(cli, ["convert", *map(str, paths), "-t", to, "-q"])
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_split_cuts_at_record_boundaries(recipe, inputs):
    path = str(inputs / "c.enw")
    parts = recipe.split([path], 20_000)
    assert len(parts) > 3
    assert parts[0].start == 0 and parts[-1].end == os.path.getsize(path)
    assert all(a.end == b.start for a, b in itertools.pairwise(parts))
    data = (inputs / "c.enw").read_bytes()
    for part in parts[1:]:
        assert data[part.start - 2 : part.start] == b"\n\n"  # right after a blank line


def test_csljson_shards_equal_the_sequential_output(recipe, client, inputs, tmp_path):
    shards = recipe.run(
        [str(inputs)], str(tmp_path), "csljson", client, part_size=20_000, timeout=120
    )
    assert len(shards) > 5
    items = [
        item for shard in shards for item in json.loads(Path(shard).read_text(encoding="utf-8"))
    ]
    expected = json.loads(sequential(sorted(inputs.iterdir()), "csljson"))
    assert len(items) == 465
    assert items == expected


def test_bibtex_shards_joined_equal_the_sequential_output(recipe, client, inputs, tmp_path):
    shards = recipe.run(
        [str(inputs)], str(tmp_path), "bibtex", client, part_size=20_000, timeout=120
    )
    text = "\n".join(Path(shard).read_text(encoding="utf-8") for shard in shards)
    assert text == sequential(sorted(inputs.iterdir()), "bibtex")


def test_the_script_as_documented(inputs, tmp_path):
    """The README command: its own 2-worker LocalCluster, shards named in order."""
    import subprocess

    out = tmp_path / "shards"
    done = subprocess.run(
        [sys.executable, str(RECIPE), str(inputs), "--out-dir", str(out), "-t", "ris",
         "--workers", "2", "--part-size", "20KB"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    shards = sorted(out.iterdir())
    assert done.stdout.split() == [str(shard) for shard in shards]
    text = "".join(shard.read_text(encoding="utf-8") for shard in shards)
    assert text == sequential(sorted(inputs.iterdir()), "ris")


def test_persisted_records_give_the_same_shards(recipe, client, inputs, tmp_path):
    """--persist keeps pass 1's records on the workers: same shards, one read."""
    plain = recipe.run([str(inputs)], str(tmp_path / "a"), "bibtex", client, part_size=20_000)
    kept = recipe.run(
        [str(inputs)], str(tmp_path / "b"), "bibtex", client, part_size=20_000, persist=True
    )
    assert [Path(p).read_bytes() for p in kept] == [Path(p).read_bytes() for p in plain]
