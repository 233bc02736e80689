"""Issue 20, item 10: the package builds without warnings, its sdist carries the tests and
their data, and the tests pass from an unpacked sdist installed with pip.

One slow test does it all offline, with the test extra's ``build`` and ``setuptools>=77``: it
builds from a copy of the tracked files (``git ls-files``, so untracked local files cannot leak
in), reads both archives, builds the sdist again with a working tree's litter planted (which
must stay out), then installs the sdist into a new virtual environment that borrows this one's
packages (nothing is downloaded) and runs a subset of the tests from the unpacked sdist with
that environment's Python. It skips without git or the build tools on a developer machine and
fails under CI (``CI`` set), where ``.ci/run`` installs the test extra.
"""

from __future__ import annotations

import email.parser
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import venv
import zipfile
from importlib import metadata
from pathlib import Path

import pytest

from .conftest import ROOT

#: What a developer's working tree grows beside the tracked files; none of it may be shipped.
LITTER = (
    "tests/__pycache__/conftest.cpython-311.pyc",
    "tests/values/__pycache__/test_people_split.cpython-311.pyc",
    "tests/citeproc-js/node_modules/citeproc/package.json",
    "tests/citeproc-js/node_modules/citeproc/citeproc_commonjs.js",
    "tests/citeproc-js/node_modules/.package-lock.json",
    ".hypothesis/examples/0a1b2c/3d4e5f",
    "examples/out/nahta2012-flat.bib",
    "examples/plugin/refconv_tsv.egg-info/PKG-INFO",
    "examples/plugin/build/lib/refconv_tsv/__init__.py",
    "examples/dask/__pycache__/refconv_dask.cpython-311.pyc",
    "benchmarks/__pycache__/corpus.cpython-311.pyc",
    "refconv/__pycache__/cli.cpython-311.pyc",
    "build/lib/refconv/__init__.py",
    ".pytest_cache/v/cache/lastfailed",
)

#: Files setuptools writes into every sdist beside the tracked ones.
GENERATED = {"PKG-INFO", "setup.cfg"}

#: Run from the unpacked sdist: the goldens, the README's examples, the command line, the
#: entry points (read from the installed metadata), the man page and the docs' sections.
SUBSET = (
    "tests/test_golden.py",
    "tests/test_readme.py",
    "tests/test_cli.py",
    "tests/test_plugins.py",
    "tests/test_shell.py",
    "tests/test_docs.py",
)


def need(ok: bool, reason: str) -> None:
    """Skip with ``reason`` unless ``ok``; fail instead under CI, which has everything."""
    if not ok:
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)


def tracked_files() -> list[str]:
    """The repository's tracked files that exist in the working tree (git ls-files)."""
    git = shutil.which("git")
    need(git is not None, "git is not installed")
    done = subprocess.run(
        [str(git), "-C", str(ROOT), "ls-files", "-z"], capture_output=True, check=False
    )
    need(done.returncode == 0, f"{ROOT} is not a git work tree (an unpacked sdist?)")
    names = [name for name in done.stdout.decode("utf-8").split("\0") if name]
    return [name for name in names if (ROOT / name).is_file()]


def need_build_tools() -> None:
    """``build`` and setuptools>=77 (PEP 639's license fields), as the test extra installs."""
    for package in ("build", "setuptools"):
        try:
            metadata.version(package)
        except metadata.PackageNotFoundError:
            need(False, f"{package} is not installed (pip install -e '.[test]')")
    major = int(metadata.version("setuptools").split(".")[0])
    need(major >= 77, "setuptools>=77 is not installed (pip install -e '.[test]')")


def clean_env(**extra: str) -> dict[str, str]:
    """This environment without what would point a child at the working tree or change its
    output: PYTHONPATH (the worktree set-up), the goldens' update switch, and
    PYTHONDONTWRITEBYTECODE (it makes setuptools warn that it cannot byte-compile)."""
    drop = {"PYTHONPATH", "PYTHONDONTWRITEBYTECODE", "REFCONV_UPDATE_GOLDENS", "PYTEST_ADDOPTS"}
    return {**{k: v for k, v in os.environ.items() if k not in drop}, **extra}


def borrowing_venv(where: Path) -> Path:
    """A new virtual environment at ``where`` that sees this environment's packages; its python.

    ``--system-site-packages`` gives it the base interpreter's site-packages only; when this
    interpreter runs in a virtual environment (as the tests do), a .pth file in the new
    environment adds this one's site-packages after the new environment's own (so a refconv
    installed there comes first) and before the base interpreter's. Being plain paths, they
    do not run this environment's .pth files (its editable refconv stays out of sys.path)."""
    venv.EnvBuilder(system_site_packages=True, with_pip=False, symlinks=True).create(where)
    python = where / "bin" / "python"
    site = subprocess.run(
        [python, "-c", "import site; print(site.getsitepackages()[0])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    if sys.prefix != sys.base_prefix:
        import site as here

        borrowed = "\n".join(p for p in here.getsitepackages() if p.startswith(sys.prefix))
        (Path(site) / "_borrowed_test_env.pth").write_text(borrowed + "\n", "utf-8")
    return python


def build(source: Path, outdir: Path, *what: str) -> str:
    """``python -m build`` offline on ``source`` into ``outdir``; its output."""
    command = [sys.executable, "-m", "build", "--no-isolation", *what, "--outdir", str(outdir)]
    done = subprocess.run(
        command, cwd=source, env=clean_env(), capture_output=True, text=True, check=False,
        timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr


def sdist_files(sdist: Path, top: str) -> set[str]:
    """The files in ``sdist``, relative to its top folder ``top`` (which holds them all)."""
    with tarfile.open(sdist) as archive:
        members = [m.name for m in archive.getmembers() if m.isfile()]
    assert all(m.startswith(top) for m in members)
    return {m.removeprefix(top) for m in members}


@pytest.fixture
def public_dir():
    """A new directory others may search (0755), removed after the test: the environment the
    sdist is installed into, as test_cli runs refconv from it as user nobody (pytest's
    tmp_path is private to its owner)."""
    where = Path(tempfile.mkdtemp(prefix="refconv-packaging-"))
    where.chmod(0o755)
    yield where
    shutil.rmtree(where, ignore_errors=True)


@pytest.mark.slow
def test_build_sdist_and_wheel_then_test_from_the_sdist(tmp_path, public_dir):
    files = tracked_files()
    need_build_tools()

    source = tmp_path / "source"
    for name in files:
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, source / name)

    dist = tmp_path / "dist"
    log = build(source, dist, "--sdist", "--wheel")
    warnings = [line for line in log.splitlines() if "warning" in line.lower()]
    assert warnings == [], log
    # setuptools says an exclude line that finds nothing to exclude without the word.
    assert "previously-included" not in log, log

    (sdist,) = dist.glob("refconv-*.tar.gz")
    (wheel,) = dist.glob("refconv-*-py3-none-any.whl")
    assert sorted(p.name for p in dist.iterdir()) == sorted([sdist.name, wheel.name])
    version = wheel.name.split("-")[1]
    top = f"refconv-{version}/"
    shipped = sdist_files(sdist, top)
    egg_info = {m for m in shipped if m.startswith("refconv.egg-info/")}
    # Every tracked file but .gitignore, and nothing else but what setuptools generates.
    assert shipped - egg_info - GENERATED == set(files) - {".gitignore"}
    for wanted in ("LICENSE", "README.md", ".ci/run", "docs/refer-format.md",
                   "examples/nahta2012-flat.enw", "tests/citeproc-js/package-lock.json",
                   "tests/data/csl-data.json", "benchmarks/corpus.py"):  # fmt: skip
        assert wanted in shipped
    assert any(m.startswith("tests/formats/") and m.endswith(".expected.json") for m in shipped)

    # A developer's working tree: the same sdist, without the litter.
    for name in LITTER:
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_text("litter\n", "utf-8")
    build(source, tmp_path / "littered", "--sdist")
    assert sdist_files(tmp_path / "littered" / sdist.name, top) == shipped

    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        info, data = f"refconv-{version}.dist-info/", f"refconv-{version}.data/"
        meta = email.parser.HeaderParser().parsestr(archive.read(info + "METADATA").decode())
    assert {"refconv/py.typed", "refconv/man/refconv.1", info + "licenses/LICENSE",
            data + "data/share/man/man1/refconv.1"} <= names  # fmt: skip
    # The package, its metadata and the man page for share/man/man1: no tests/, no examples/.
    assert {n.split("/")[0] + "/" for n in names} == {"refconv/", info, data}
    assert meta["License-Expression"] == "MIT" and meta["License-File"] == "LICENSE"
    assert not [c for c in meta.get_all("Classifier", []) if c.startswith("License ::")]

    unpacked = tmp_path / "unpacked"
    with tarfile.open(sdist) as archive:
        archive.extractall(unpacked, filter="data")
    tree = unpacked / top

    python = borrowing_venv(public_dir / "venv")
    install = [python, "-m", "pip", "install", "--no-deps", "--no-build-isolation", "--no-index",
               "--no-cache-dir", "--ignore-installed", "--quiet", str(sdist)]  # fmt: skip
    # --ignore-installed: pip must not try to uninstall this environment's (editable) refconv,
    # which the new environment sees through the borrowed site-packages.
    done = subprocess.run(install, env=clean_env(), capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    where = subprocess.run(
        [python, "-c", "import refconv; print(refconv.__file__)"],
        cwd=tmp_path, env=clean_env(), capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert where.startswith(str(public_dir / "venv")), where
    assert (public_dir / "venv" / "share" / "man" / "man1" / "refconv.1").is_file()

    bin_dir = str(python.parent)
    tests = subprocess.run(
        [python, "-m", "pytest", "-q", "-m", "not slow", "-p", "no:randomly", "-p",
         "no:cacheprovider", *SUBSET],
        cwd=tree, env=clean_env(PATH=bin_dir + os.pathsep + os.environ["PATH"]),
        capture_output=True, text=True, check=False, timeout=600,
    )  # fmt: skip
    summary = tests.stdout.strip().splitlines()[-1] if tests.stdout.strip() else ""
    assert tests.returncode == 0, tests.stdout[-5000:] + tests.stderr[-3000:]
    assert re.search(r"\d{3,} passed", summary), summary


def test_the_project_metadata():
    """The metadata the packaging test cannot see from archives: valid classifiers (the
    trove-classifiers list PyPI checks uploads against) and the PEP 639 license fields."""
    tomllib = pytest.importorskip("tomllib")  # Python 3.11
    try:
        import trove_classifiers as trove
    except ImportError:
        need(False, "trove-classifiers is not installed (pip install -e '.[test]')")
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    project = pyproject["project"]
    unknown = [c for c in project["classifiers"] if c not in trove.classifiers]
    assert unknown == []
    assert project["license"] == "MIT" and project["license-files"] == ["LICENSE"]
    assert not [c for c in project["classifiers"] if c.startswith("License ::")]
    assert (ROOT / "LICENSE").read_text("utf-8").startswith("MIT License\n")
    assert "setuptools>=77" in pyproject["build-system"]["requires"]
    versions = [c.rsplit(" ", 1)[1] for c in project["classifiers"]
                if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)]  # fmt: skip
    assert versions and versions[0] == project["requires-python"].removeprefix(">=")
