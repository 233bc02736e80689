"""The plugin registry: readers and writers found through entry points.

Built-in formats are registered as entry points in refconv's own ``pyproject.toml``, exactly
like a third-party package would do it (groups ``refconv.readers`` and ``refconv.writers``),
so there is one discovery path. ``register_reader``/``register_writer`` add a plugin at run
time (tests, scripts). A plugin that fails to load is reported as a warning and left out; it
never takes the CLI down. On a name clash the built-in plugin wins, with a warning.
"""

from __future__ import annotations

import importlib
from pathlib import PurePath

from refconv.diagnostics import Diagnostics
from refconv.formats.base import Reader, Writer

READER_GROUP = "refconv.readers"
WRITER_GROUP = "refconv.writers"

#: The built-in formats, so that a conversion between them neither scans the installed
#: packages' entry points (~25 ms) nor imports the other formats: "module:Class" → (name and
#: aliases, suffixes). They are also entry points (pyproject.toml); a test checks that these,
#: the entry points and the classes agree.
BUILTIN = {
    READER_GROUP: {
        "refconv.formats.refer.read:ReferReader": ("refer endnote enw", ".enw .refer .ref .txt"),
        "refconv.formats.ris.read:RisReader": ("ris", ".ris"),
        "refconv.formats.bibtex.read:BibtexReader": ("bibtex bib biblatex", ".bib"),
        "refconv.formats.csljson.read:CslJsonReader": ("csljson csl-json json", ".json"),
    },
    WRITER_GROUP: {
        "refconv.formats.csljson.write:CslJsonWriter": ("csljson csl-json json", ".json"),
        "refconv.formats.bibtex.write:BibtexWriter": ("bibtex bib", ".bib"),
        "refconv.formats.bibtex.write:BiblatexWriter": ("biblatex", ""),
        "refconv.formats.ris.write:RisWriter": ("ris", ".ris"),
        "refconv.formats.refer.write:ReferWriter": ("refer endnote enw", ".enw .refer"),
        "refconv.formats.formatted.write:TextWriter": ("text txt plain", ""),
        "refconv.formats.formatted.write:HtmlWriter": ("html", ".html .htm"),
        "refconv.formats.formatted.write:MarkdownWriter": ("markdown md", ".md"),
        "refconv.formats.formatted.write:RstWriter": ("rst", ".rst"),
    },
}
BUILTIN_NAMES = {
    group: {name: target for target, (names, _) in classes.items() for name in names.split()}
    for group, classes in BUILTIN.items()
}
BUILTIN_SUFFIXES = {
    group: {suffix: names.split()[0] for names, suffixes in classes.values()
            for suffix in suffixes.split()}
    for group, classes in BUILTIN.items()
}  # fmt: skip


def load_builtin(group: str, name: str) -> type | None:
    """The built-in class called ``name`` (or an alias) in ``group``, imported on demand."""
    target = BUILTIN_NAMES[group].get(name.lower())
    if target is None:
        return None
    module, _, attr = target.partition(":")
    return getattr(importlib.import_module(module), attr)


class Registry:
    """The readers and writers available in this process, looked up by name, alias or suffix."""

    def __init__(self, diagnostics: Diagnostics | None = None):
        self.diagnostics = diagnostics or Diagnostics()
        self._plugins: dict[str, dict[str, type]] | None = None
        self._builtin: set[tuple[str, str]] = set()

    def _load(self) -> dict[str, dict[str, type]]:
        if self._plugins is None:
            self._plugins = {READER_GROUP: {}, WRITER_GROUP: {}}
            from importlib.metadata import entry_points

            for group, base in ((READER_GROUP, Reader), (WRITER_GROUP, Writer)):
                found = sorted(entry_points(group=group), key=lambda ep: not _is_builtin(ep))
                for ep in found:
                    try:
                        cls = ep.load()
                        if not (isinstance(cls, type) and issubclass(cls, base)):
                            raise TypeError(f"{ep.value} is not a {base.__name__} subclass")
                    except Exception as exc:  # a broken third-party plugin must not stop us
                        self.diagnostics.warn(f"plugin {ep.name!r} ({ep.value}) not loaded: {exc}")
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
            self.diagnostics.warn(f"plugin class {cls.__name__} declares no name; not loaded")
            return
        if name in plugins[group] and (group, name) in self._builtin:
            if plugins[group][name] is not cls:
                self.diagnostics.warn(f"plugin {name!r} clashes with a built-in format; ignored")
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
        return dict(sorted(self._load()[READER_GROUP].items()))

    def writers(self) -> dict[str, type[Writer]]:
        """All writers by name, sorted."""
        return dict(sorted(self._load()[WRITER_GROUP].items()))

    def find_reader(self, name: str) -> type[Reader]:
        """The reader called ``name`` (or an alias); ``LookupError`` lists the known names."""
        return self._named(READER_GROUP, Reader, name) or _find(self.readers(), name, "input")

    def find_writer(self, name: str) -> type[Writer]:
        """The writer called ``name`` (or an alias); ``LookupError`` lists the known names."""
        return self._named(WRITER_GROUP, Writer, name) or _find(self.writers(), name, "output")

    def _named(self, group: str, base: type, name: str):
        """Fast path: load only the entry point called ``name`` (built-in first), so that
        ``-t csljson`` does not import every other format's dependencies."""
        if self._plugins is not None:
            return None
        builtin = load_builtin(group, name)
        if builtin is not None:
            return builtin
        from importlib.metadata import entry_points

        found = [ep for ep in entry_points(group=group) if ep.name == name.lower()]
        for ep in sorted(found, key=lambda ep: not _is_builtin(ep)):
            try:
                cls = ep.load()
            except Exception:  # reported by the full load that follows
                return None
            if isinstance(cls, type) and issubclass(cls, base) and cls.name == ep.name:
                return cls
        return None

    def reader_for_path(self, path: str) -> type[Reader] | None:
        """The reader whose suffixes include the suffix of ``path``, if any (built-in first)."""
        return self._for_path(READER_GROUP, path) or _by_suffix(self.readers(), path)

    def writer_for_path(self, path: str) -> type[Writer] | None:
        """The writer whose suffixes include the suffix of ``path``, if any (built-in first)."""
        return self._for_path(WRITER_GROUP, path) or _by_suffix(self.writers(), path)

    def _for_path(self, group: str, path: str) -> type | None:
        name = BUILTIN_SUFFIXES[group].get(PurePath(path).suffix.lower())
        return load_builtin(group, name) if name and self._plugins is None else None

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


def _is_builtin(ep) -> bool:
    return ep.value.startswith("refconv.")


def _find(plugins: dict[str, type], name: str, kind: str):
    wanted = name.lower()
    for plugin_name, cls in plugins.items():
        if wanted == plugin_name or wanted in cls.aliases:
            return cls
    known = ", ".join(plugins)
    raise LookupError(f"unknown {kind} format {name!r}; known: {known}")


def _by_suffix(plugins: dict[str, type], path: str):
    suffix = PurePath(path).suffix.lower()
    if not suffix:
        return None
    return next((cls for cls in plugins.values() if suffix in cls.suffixes), None)
