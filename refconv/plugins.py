"""The plugin registry: readers and writers found through entry points.

Built-in formats are registered as entry points in refconv's own ``pyproject.toml``, exactly
like a third-party package would do it (groups ``refconv.readers`` and ``refconv.writers``),
so there is one discovery path. ``register_reader``/``register_writer`` add a plugin at run
time (tests, scripts). A plugin that fails to load is reported as a warning and left out; it
never takes the CLI down. On a name clash the built-in plugin wins, with a warning.
"""

from __future__ import annotations

import importlib
import os
from typing import TYPE_CHECKING, NamedTuple, TypeVar

from refconv.diagnostics import Diagnostics
from refconv.formats.base import Reader, Writer

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

READER_GROUP = "refconv.readers"
WRITER_GROUP = "refconv.writers"


class Builtin(NamedTuple):
    """One built-in plugin: its group, ``module:Class``, name then aliases, and suffixes."""

    group: str
    target: str
    names: tuple[str, ...]
    suffixes: tuple[str, ...] = ()


#: The built-in formats, so that a conversion between them neither scans the installed
#: packages' entry points (~25 ms) nor imports the other formats. They are also entry points
#: (pyproject.toml); a test checks that this table, the entry points and the classes agree.
BUILTIN = (
    Builtin(READER_GROUP, "refconv.formats.refer.read:ReferReader",
            ("refer", "endnote", "enw"), (".enw", ".refer", ".ref", ".txt")),
    Builtin(READER_GROUP, "refconv.formats.ris.read:RisReader", ("ris",), (".ris",)),
    Builtin(READER_GROUP, "refconv.formats.bibtex.read:BibtexReader",
            ("bibtex", "bib", "biblatex"), (".bib",)),
    Builtin(READER_GROUP, "refconv.formats.csljson.read:CslJsonReader",
            ("csljson", "csl-json", "json"), (".json",)),
    Builtin(READER_GROUP, "refconv.formats.medline.read:MedlineReader",
            ("medline", "nbib", "pubmed"), (".nbib", ".medline")),
    Builtin(READER_GROUP, "refconv.formats.endnotexml.read:EndnoteXmlReader",
            ("endnote-xml", "endx")),
    Builtin(READER_GROUP, "refconv.formats.cslyaml.read:CslYamlReader",
            ("csl-yaml", "cslyaml", "yaml"), (".yaml", ".yml")),
    Builtin(READER_GROUP, "refconv.formats.mods.read:ModsReader", ("mods",), (".mods",)),
    Builtin(WRITER_GROUP, "refconv.formats.csljson.write:CslJsonWriter",
            ("csljson", "csl-json", "json"), (".json",)),
    Builtin(WRITER_GROUP, "refconv.formats.bibtex.write:BibtexWriter",
            ("bibtex", "bib"), (".bib",)),
    Builtin(WRITER_GROUP, "refconv.formats.bibtex.write:BiblatexWriter", ("biblatex",)),
    Builtin(WRITER_GROUP, "refconv.formats.ris.write:RisWriter", ("ris",), (".ris",)),
    Builtin(WRITER_GROUP, "refconv.formats.mods.write:ModsWriter", ("mods",), (".mods",)),
    Builtin(WRITER_GROUP, "refconv.formats.refer.write:ReferWriter",
            ("refer", "endnote", "enw"), (".enw", ".refer")),
    Builtin(WRITER_GROUP, "refconv.formats.endnotexml.write:EndnoteXmlWriter",
            ("endnote-xml", "endx")),
    Builtin(WRITER_GROUP, "refconv.formats.formatted.write:TextWriter",
            ("text", "txt", "plain"), (".txt",)),
    Builtin(WRITER_GROUP, "refconv.formats.formatted.write:HtmlWriter",
            ("html",), (".html", ".htm")),
    Builtin(WRITER_GROUP, "refconv.formats.formatted.write:MarkdownWriter",
            ("markdown", "md"), (".md",)),
    Builtin(WRITER_GROUP, "refconv.formats.formatted.write:RstWriter", ("rst",), (".rst",)),
    Builtin(WRITER_GROUP, "refconv.formats.cslyaml.write:CslYamlWriter",
            ("csl-yaml", "cslyaml", "yaml"), (".yaml", ".yml")),
)  # fmt: skip


def load_builtin(group: str, name: str = "", *, suffix: str = "") -> type | None:
    """The built-in class in ``group`` called ``name`` (or an alias), or else the first whose
    suffixes include ``suffix``; imported on demand, so only that format's module loads."""
    wanted = name.lower()
    for entry in BUILTIN:
        if entry.group == group and (wanted in entry.names if wanted else suffix in entry.suffixes):
            module, _, attr = entry.target.partition(":")
            cls: type = getattr(importlib.import_module(module), attr)
            return cls
    return None


#: A plugin class: readers and writers declare the same ``name``, ``aliases`` and ``suffixes``.
PluginT = TypeVar("PluginT", Reader, Writer)
_BASES: dict[str, type[Reader] | type[Writer]] = {READER_GROUP: Reader, WRITER_GROUP: Writer}


class Registry:
    """The readers and writers available in this process, looked up by name, alias or suffix.

    A run makes one (``refconv.pipeline``): the entry points are scanned at most once, and
    only when a name or suffix is not a built-in one.
    """

    def __init__(self, diagnostics: Diagnostics | None = None):
        self.diagnostics = diagnostics or Diagnostics()
        self._plugins: dict[str, dict[str, type]] | None = None
        self._builtin: set[tuple[str, str]] = set()

    def _load(self) -> dict[str, dict[str, type]]:
        if self._plugins is None:
            self._plugins = {READER_GROUP: {}, WRITER_GROUP: {}}
            from importlib.metadata import entry_points

            for group, base in _BASES.items():
                found = sorted(entry_points(group=group), key=lambda ep: not _is_builtin(ep))
                for ep in found:
                    try:
                        cls = ep.load()
                        if not (isinstance(cls, type) and issubclass(cls, base)):
                            raise TypeError(f"{ep.value} is not a {base.__name__} subclass")
                    except Exception as exc:  # a broken third-party plugin must not stop us
                        self.diagnostics.warn(
                            f"plugin {ep.name!r} ({ep.value}) not loaded: {exc}",
                            code="plugin-not-loaded",
                        )
                        continue
                    self._add(group, cls, builtin=_is_builtin(ep))
            for group, cls in _RUNTIME:
                self._add(group, cls)
        return self._plugins

    def _add(self, group: str, cls: type, *, builtin: bool = False) -> None:
        plugins = self._plugins
        assert plugins is not None, "called from _load or after it"
        name = getattr(cls, "name", "")
        if not name:
            self.diagnostics.warn(
                f"plugin class {cls.__name__} declares no name; not loaded",
                code="plugin-not-loaded",
            )
            return
        if name in plugins[group] and (group, name) in self._builtin:
            if plugins[group][name] is not cls:
                self.diagnostics.warn(
                    f"plugin {name!r} clashes with a built-in format; ignored",
                    code="plugin-not-loaded",
                )
            return
        plugins[group][name] = cls
        if builtin:
            self._builtin.add((group, name))

    def register_reader(self, cls: type[Reader]) -> None:
        """Make a reader class available at run time."""
        self._load()
        self._add(READER_GROUP, cls)

    def register_writer(self, cls: type[Writer]) -> None:
        """Make a writer class available at run time."""
        self._load()
        self._add(WRITER_GROUP, cls)

    def readers(self) -> dict[str, type[Reader]]:
        """All readers by name, sorted."""
        return _sorted(self._load()[READER_GROUP], Reader)

    def writers(self) -> dict[str, type[Writer]]:
        """All writers by name, sorted."""
        return _sorted(self._load()[WRITER_GROUP], Writer)

    def find_reader(self, name: str) -> type[Reader]:
        """The reader called ``name`` (or an alias); ``LookupError`` lists the known names."""
        return self._named(READER_GROUP, Reader, name) or _find(self.readers(), name, "input")

    def find_writer(self, name: str) -> type[Writer]:
        """The writer called ``name`` (or an alias); ``LookupError`` lists the known names."""
        return self._named(WRITER_GROUP, Writer, name) or _find(self.writers(), name, "output")

    def _named(self, group: str, base: type[PluginT], name: str) -> type[PluginT] | None:
        """Fast path: load only the entry point called ``name`` (built-in first), so that
        ``-t csljson`` does not import every other format's dependencies."""
        if self._plugins is not None:
            return None
        builtin = _as_plugin(load_builtin(group, name), base)
        if builtin is not None:
            return builtin
        from importlib.metadata import entry_points

        found = [ep for ep in entry_points(group=group) if ep.name == name.lower()]
        for ep in sorted(found, key=lambda ep: not _is_builtin(ep)):
            try:
                cls = _as_plugin(ep.load(), base)
            except Exception:  # reported by the full load that follows
                return None
            if cls is not None and cls.name == ep.name:
                return cls
        return None

    def reader_for_path(self, path: str) -> type[Reader] | None:
        """The reader whose suffixes include the suffix of ``path``, if any (built-in first)."""
        return self._for_path(READER_GROUP, Reader, path) or _bysuffix_of(self.readers(), path)

    def writer_for_path(self, path: str) -> type[Writer] | None:
        """The writer whose suffixes include the suffix of ``path``, if any (built-in first)."""
        return self._for_path(WRITER_GROUP, Writer, path) or _bysuffix_of(self.writers(), path)

    def _for_path(self, group: str, base: type[PluginT], path: str) -> type[PluginT] | None:
        suffix = suffix_of(path)
        if not suffix or self._plugins is not None:
            return None
        return _as_plugin(load_builtin(group, suffix=suffix), base)

    def sniff_reader(self, head: str) -> type[Reader] | None:
        """The first reader (by name) whose ``sniff`` accepts the start of an input."""
        return next((cls for cls in self.readers().values() if cls.sniff(head)), None)


#: Classes given to ``register_reader``/``register_writer``: every registry made after the
#: call knows them (the CLI's included), in this process.
_RUNTIME: list[tuple[str, type]] = []


def register_reader(cls: type[Reader]) -> type[Reader]:
    """Make a reader class available to every later ``read``/``convert`` (usable as a
    class decorator)."""
    if not (isinstance(cls, type) and issubclass(cls, Reader)):
        raise TypeError(f"{cls!r} is not a Reader subclass")
    _RUNTIME.append((READER_GROUP, cls))
    return cls


def register_writer(cls: type[Writer]) -> type[Writer]:
    """Make a writer class available to every later ``write``/``convert`` (usable as a
    class decorator)."""
    if not (isinstance(cls, type) and issubclass(cls, Writer)):
        raise TypeError(f"{cls!r} is not a Writer subclass")
    _RUNTIME.append((WRITER_GROUP, cls))
    return cls


def _is_builtin(ep: EntryPoint) -> bool:
    return ep.value.startswith("refconv.")


def _as_plugin(cls: object, base: type[PluginT]) -> type[PluginT] | None:
    """``cls`` if it is a subclass of ``base``, else None."""
    return cls if isinstance(cls, type) and issubclass(cls, base) else None


def _sorted(plugins: dict[str, type], base: type[PluginT]) -> dict[str, type[PluginT]]:
    """The classes of ``plugins`` (all checked against ``base`` when added), sorted by name."""
    checked = {name: _as_plugin(cls, base) for name, cls in sorted(plugins.items())}
    return {name: cls for name, cls in checked.items() if cls is not None}


def _find(plugins: dict[str, type[PluginT]], name: str, kind: str) -> type[PluginT]:
    wanted = name.lower()
    for plugin_name, cls in plugins.items():
        if wanted == plugin_name or wanted in cls.aliases:
            return cls
    known = ", ".join(plugins)
    raise LookupError(f"unknown {kind} format {name!r}; known: {known}")


def suffix_of(path: str) -> str:
    """The suffix of ``path``'s last component, lower case, as ``PurePath.suffix`` gives it
    ("" for ".bashrc" or "a."), without loading pathlib (issue 18: start-up)."""
    parts = [part for part in path.split(os.sep) if part not in ("", ".")]
    name = parts[-1] if parts else ""  # PurePath drops "." parts and trailing slashes
    dot = name.rfind(".")
    return name[dot:].lower() if 0 < dot < len(name) - 1 else ""


def _bysuffix_of(plugins: dict[str, type[PluginT]], path: str) -> type[PluginT] | None:
    suffix = suffix_of(path)
    if not suffix:
        return None
    return next((cls for cls in plugins.values() if suffix in cls.suffixes), None)
