"""The plugin registry: entry points, runtime registration, broken plugins."""

from __future__ import annotations

import importlib.metadata
import io
import os
import shutil
import subprocess
import sys
from pathlib import PurePath

import pytest
from hypothesis import given
from hypothesis import strategies as st

import refconv
from refconv import plugins
from refconv.formats.base import Reader, Writer
from refconv.plugins import Registry

from .conftest import EXAMPLES, Collect

ONE = b"%0 Book\n%T A Title\n%A Doe, Jane\n%D 2001\n"


class UpperWriter(Writer):
    name = "upper"
    aliases = ("up",)
    suffixes = (".up",)
    description = "Titles in upper case"

    def write(self, records, out):
        for record in records:
            out.write(record.fields.get("title", "").upper() + "\n")


def test_builtin_formats_come_from_entry_points():
    registry = Registry(Collect())
    assert "refer" in registry.readers()
    assert "csljson" in registry.writers()
    names = {ep.name for ep in importlib.metadata.entry_points(group=plugins.WRITER_GROUP)}
    assert "csljson" in names


@pytest.mark.parametrize("group", [plugins.READER_GROUP, plugins.WRITER_GROUP])
def test_builtin_table_agrees_with_the_entry_points_and_classes(group):
    """The fast path's table (no entry-point scan) says what the classes and pyproject say."""
    eps = {ep.name: ep.value for ep in importlib.metadata.entry_points(group=group)
           if ep.value.startswith("refconv.")}  # fmt: skip
    table = [entry for entry in plugins.BUILTIN if entry.group == group]
    assert {entry.names[0]: entry.target for entry in table} == eps
    for entry in table:
        module, _, attr = entry.target.partition(":")
        cls = getattr(importlib.import_module(module), attr)
        assert entry.names == (cls.name, *cls.aliases)
        assert entry.suffixes == cls.suffixes


def test_a_conversion_between_builtin_formats_scans_no_entry_points(monkeypatch):
    def refuse(group):
        raise AssertionError("entry points scanned")

    monkeypatch.setattr(importlib.metadata, "entry_points", refuse)
    assert "A Title" in refconv.convert(ONE, None, "refer", "csljson", diagnostics=Collect())
    assert Registry(Collect()).reader_for_path("x.enw").name == "refer"


@pytest.mark.parametrize("name", ["refer", "endnote", "enw", "REFER"])
def test_reader_aliases(name):
    assert Registry(Collect()).find_reader(name).name == "refer"


def test_every_plugin_converts_a_one_record_sample():
    registry = Registry(Collect())
    for name in registry.writers():
        out = refconv.convert(ONE, None, "refer", name, diagnostics=Collect())
        assert "A Title" in out


def test_runtime_registration(monkeypatch):
    monkeypatch.setattr(plugins, "_RUNTIME", [])
    diagnostics = Collect()
    assert refconv.register_writer(UpperWriter) is UpperWriter
    registry = Registry(diagnostics)
    assert registry.find_writer("up") is UpperWriter
    assert registry.writer_for_path("x.up") is UpperWriter
    assert refconv.convert(ONE, None, "refer", "up", diagnostics=diagnostics) == "A TITLE\n"
    out = io.StringIO()
    refconv.write(refconv.read(ONE, diagnostics=diagnostics), out, "upper")
    assert out.getvalue() == "A TITLE\n"
    assert diagnostics.messages == []
    with pytest.raises(TypeError):
        refconv.register_writer(str)


def test_builtin_wins_a_name_clash():
    diagnostics = Collect()
    registry = Registry(diagnostics)

    class FakeReader(Reader):
        name = "refer"

    registry.register_reader(FakeReader)
    assert registry.find_reader("refer") is not FakeReader
    assert diagnostics.messages == [
        "None:None: plugin 'refer' clashes with a built-in format; ignored"
    ]


def test_broken_entry_point_only_warns(monkeypatch):
    real = importlib.metadata.entry_points

    def fake_entry_points(group):
        found = list(real(group=group))
        if group == plugins.WRITER_GROUP:
            found.append(
                importlib.metadata.EntryPoint("broken", "refconv_no_such_module:Writer", group)
            )
            found.append(importlib.metadata.EntryPoint("notawriter", "os:path", group))
        return found

    monkeypatch.setattr(importlib.metadata, "entry_points", fake_entry_points)
    diagnostics = Collect()
    registry = Registry(diagnostics)
    assert set(registry.writers()) == {ep.name for ep in real(group=plugins.WRITER_GROUP)}
    assert diagnostics.messages == [
        "None:None: plugin 'broken' (refconv_no_such_module:Writer) not loaded: "
        "No module named 'refconv_no_such_module'",
        "None:None: plugin 'notawriter' (os:path) not loaded: os:path is not a Writer subclass",
    ]


def test_plugin_without_a_name_is_refused():
    diagnostics = Collect()
    Registry(diagnostics).register_writer(type("Nameless", (Writer,), {}))
    assert diagnostics.messages == ["None:None: plugin class Nameless declares no name; not loaded"]


def _install_plugin(site) -> None:
    """Install examples/plugin as pip would, offline: package plus dist-info with its entry
    points, both read from the plugin's own pyproject.toml."""
    tomllib = pytest.importorskip("tomllib")
    project = tomllib.loads((EXAMPLES / "plugin" / "pyproject.toml").read_text("utf-8"))
    meta = project["project"]
    shutil.copytree(EXAMPLES / "plugin" / "refconv_tsv", site / "refconv_tsv")
    info = site / f"refconv_tsv-{meta['version']}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {meta['name']}\nVersion: {meta['version']}\n", "utf-8"
    )
    groups = "".join(
        f"[{group}]\n" + "".join(f"{k} = {v}\n" for k, v in eps.items())
        for group, eps in meta["entry-points"].items()
    )
    (info / "entry_points.txt").write_text(groups, "utf-8")


def test_example_plugin_package_adds_a_format(tmp_path):
    """examples/plugin, installed beside refconv, adds `-t tsv` with no change to refconv."""
    _install_plugin(tmp_path)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "refconv",
            "convert",
            str(EXAMPLES / "nahta2012-flat.enw"),
            "-t",
            "tsv",
        ],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "id\ttype\tyear\ttitle",
        "nahta2012molecular\tarticle-journal\t2012\tMolecular Mechanisms of Trastuzumab-Based "
        "Treatment in HER2-Overexpressing Breast Cancer",
    ]


def test_naming_a_format_loads_only_that_plugin():
    code = (
        "import sys; from refconv.plugins import Registry; "
        "r = Registry(); r.find_writer('csljson'); r.find_reader('refer'); "
        "print('bibtexparser' in sys.modules, 'refconv.formats.bibtex.write' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["False", "False"]


@given(st.text(alphabet="ab./ E", max_size=12))
def test_suffix_is_pathlibs(path: str) -> None:
    """Suffix lookup without pathlib (start-up, issue 18) gives what ``PurePath`` gives."""
    assert plugins.suffix_of(path) == (PurePath(path).suffix.lower() if path else "")
