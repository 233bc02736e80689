"""The README is the manual: its console examples run, and its set-up commands are marked."""

from __future__ import annotations

import doctest
import os
import re
import shutil
import subprocess
import sys

import pytest

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```console\n(.*?)```", README, re.DOTALL)


def examples():
    for block in BLOCKS:
        command, expected = None, []
        for line in block.splitlines():
            if line.startswith("$ "):
                if command:
                    yield command, "\n".join(expected)
                command, expected = line[2:], []
            else:
                expected.append(line)
        if command:
            yield command, "\n".join(expected)


EXAMPLES = list(examples())


@pytest.mark.parametrize(("command", "expected"), EXAMPLES, ids=[c[:50] for c, _ in EXAMPLES])
def test_console_example(command, expected):
    if "examples/dask/" in command:  # like tests/test_dask.py: the dask extra is optional
        pytest.importorskip("dask", reason="dask is not installed (pip install 'refconv[dask]')")
    env = {**os.environ, "PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"]}
    result = subprocess.run(
        ["bash", "-c", "set -o pipefail; " + command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (result.stdout + result.stderr).rstrip("\n") == expected.rstrip("\n")


def test_there_are_examples():
    assert len(EXAMPLES) >= 5


@pytest.mark.parametrize("marker", ["quickstart-command", "test-command"])
def test_setup_commands_are_marked_for_ci(marker):
    assert re.search(rf"<!-- {marker} -->\n```sh\n[^\n]+\n```", README)
    assert marker in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


PYTHON_BLOCKS = re.findall(r"```pycon\n(.*?)```", README, re.DOTALL)


@pytest.mark.parametrize("n", range(len(PYTHON_BLOCKS)))
def test_python_examples_run_as_doctests(n, monkeypatch):
    monkeypatch.chdir(ROOT)
    parser = doctest.DocTestParser()
    test = parser.get_doctest(PYTHON_BLOCKS[n], {}, f"README block {n}", "README.md", 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test)
    assert runner.failures == 0 and runner.tries > 3


def test_there_are_python_examples():
    assert len(PYTHON_BLOCKS) >= 2


def test_package_docstring_doctest():
    import refconv

    assert doctest.testmod(refconv).failed == 0


def test_the_test_command_goes_on_without_npm(tmp_path):
    """Issue 20, item 9: on a machine without node and npm the README's test command still
    runs the tests (the citeproc-js ones skip, named); its npm step cannot stop it."""
    command = re.search(r"<!-- test-command -->\n```sh\n([^\n]+)\n```", README)[1]
    npm_step = re.search(r"\{ npm ci [^}]*\}", command)
    assert npm_step, command
    bash = shutil.which("bash") or pytest.skip("no bash")
    done = subprocess.run([bash, "-c", npm_step[0]], env={"PATH": str(tmp_path)},
                          capture_output=True, text=True, cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0 and "its tests are skipped" in done.stdout


def test_citeproc_js_tests_skip_without_node_and_fail_in_ci(monkeypatch):
    from tests import citeproc_js

    monkeypatch.setattr(citeproc_js.shutil, "which", lambda name: None)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="citeproc-js not installed"):
        citeproc_js.need_node()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="citeproc-js is missing"):
        citeproc_js.need_node()
