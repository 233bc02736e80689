"""``INSTALLED``: the one process-global object of the citeproc layer, and why it is global.

The fixes and caches replace methods of citeproc-py's classes (``citeproc.model``), which every
style and every render in the process shares; citeproc-py calls them with its own arguments, so
nothing of ours can be passed down to them. What they share therefore lives in this one record:

* ``originals``: the methods we replaced, so that a fix can call the method it wraps and a
  second ``install`` changes nothing (patching twice would wrap our own fix);
* ``entry``: what the fixes learn while one entry renders and use further down the same call
  chain (``Name.get_option`` is not given the item, yet must know its names are CJK);
* ``substituting``: the ``cs:substitute`` elements being rendered, innermost last;
* ``memo``: the caches' tables (facts of a style's elements: see ``caches``).

Everything else is kept where it belongs: sort-key failures on the bibliography being sorted,
a style's parsed tree in the writer's per-process style cache.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

#: the attribute of a citeproc-py ``CitationStylesBibliography`` that collects (item key, error)
#: of the sort keys that could not be computed (``bibliography.sort_keys``); the writer reports
#: them. Kept on the bibliography being sorted, not in a global list.
SORT_FAILURES = "refconv_sort_failures"

#: a memo table: id of the element (and the arguments) → (the element, the value); see ``memo``
Memo = dict[Any, tuple[Any, Any]]


@dataclass
class Substitution:
    """A ``cs:substitute`` being rendered: its parent ``cs:names``, the name roles and the
    (tag, variable) of the texts its current child printed."""

    names: Any
    roles: list[str] = field(default_factory=list)
    texts: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class EntryState:
    """What the fixes share while citeproc-py renders one entry."""

    #: the style prints ``year-suffix`` itself (else the suffix follows the first year)
    explicit: bool = False
    #: the item whose year already got its implicit suffix
    item: Any = None
    #: the text of the entry's authors (the outermost ``cs:names``), for
    #: ``subsequent-author-substitute``
    names: Any = None
    #: how many ``cs:names`` are being rendered, one inside the other
    depth: int = 0
    #: the names being rendered are all in CJK scripts
    cjk: bool = False


@dataclass
class Installed:
    """The record of what ``install`` did to citeproc-py (see the module docstring)."""

    #: None until ``install``; then whether the caches were installed too
    fast: bool | None = None
    originals: dict[str, Any] = field(default_factory=dict)
    entry: EntryState = field(default_factory=EntryState)
    substituting: list[Substitution] = field(default_factory=list)
    memo: dict[str, Memo] = field(default_factory=dict)

    def replace(self, owner: Any, attribute: str, key: str, replacement: Any) -> None:
        """Set ``owner.attribute`` to ``replacement``, keeping the original as ``key``."""
        self.originals[key] = getattr(owner, attribute)
        setattr(owner, attribute, replacement)

    def wrap(self, owner: Any, attribute: str, key: str, make: Callable[[Any], Any]) -> None:
        """Set ``owner.attribute`` to ``make(original)``, keeping the original as ``key``."""
        self.replace(owner, attribute, key, make(getattr(owner, attribute)))

    def table(self, name: str) -> Memo:
        """The memo table ``name``, created empty on first use."""
        return self.memo.setdefault(name, {})


#: the only mutable module-level object of ``refconv.formats.formatted.citeproc``
INSTALLED = Installed()


def memo(table: Memo, element: Any, key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
    """``compute()`` for ``element`` and ``key``, computed once.

    lxml hands out a new Python proxy for a node once the old one is gone, so a cache keyed by
    ``id(element)`` could answer for another element that reused the id. Each entry therefore
    holds its element: the element stays alive, its id cannot be reused, and the entry is
    checked to be for the very same object."""
    full = (id(element), *key)
    entry = table.get(full)
    if entry is None or entry[0] is not element:
        entry = table[full] = (element, compute())
    return entry[1]
