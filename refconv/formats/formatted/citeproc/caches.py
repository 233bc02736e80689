"""Caches for what citeproc-py looks up again on every render though it depends on the style only.

Every XPath search (macros, the ``cs:layout`` and ``cs:citation``/``cs:bibliography``
ancestors, terms, localized dates), ``get_root``, ``calls_variable`` and each item's reference
are computed again for each entry by citeproc-py 0.11.1; they are cached per element (see
``installed.memo`` for why each entry holds its element). APA renders about 3.5 times faster.
``install(fast=False)`` leaves them out, so that a test can show the output does not change.

The hottest lookups inline ``memo`` and keep their table and the original method in a closure
made at install time; the tables themselves are ``INSTALLED.memo``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

# citeproc-py ships no type information (the mypy override in pyproject.toml makes it Any)
from citeproc import model
from citeproc.source import CitationItem

from refconv.formats.formatted.citeproc.installed import INSTALLED, Memo, memo

Method = Callable[..., Any]

_MISSING = object()


def _get_macro(table: Memo, original: Method) -> Method:
    """``get_macro`` once per (style root, macro name)."""

    def get_macro(self: Any, name: str) -> Any:
        root = self.get_root()
        key = (id(root), name)  # memo, inlined
        entry = table.get(key)
        if entry is None or entry[0] is not root:
            entry = table[key] = (root, original(self, name))
        return entry[1]

    return get_macro


def _get_layout(table: Memo, original: Method) -> Method:
    """``get_layout`` once per element."""

    def get_layout(self: Any) -> Any:
        return memo(table, self, (), lambda: original(self))

    return get_layout


def _xpath_search(table: Memo, original: Method) -> Method:
    """Every XPath citeproc-py asks is a fact of the style (ancestors, macros, terms)."""

    def xpath_search(self: Any, expression: str) -> Any:
        key = (id(self), expression)  # memo, inlined: this is the hottest call
        entry = table.get(key)
        if entry is None or entry[0] is not self:
            entry = table[key] = (self, original(self, expression))
        return entry[1]

    return xpath_search


def _locale_get_term(table: Memo, original: Method) -> Method:
    """``Locale.get_term`` once per (locale, name, form, zero_padded), its IndexError too."""

    def get_term(self: Any, name: str, form: Any = None, zero_padded: bool = False) -> Any:
        def compute() -> Any:
            try:
                return original(self, name, form, zero_padded)
            except IndexError:
                return _MISSING

        term = memo(table, self, (name, form, zero_padded), compute)
        if term is _MISSING:
            raise IndexError
        return term

    return get_term


def _get_root(table: Memo, original: Method) -> Method:
    """The root of an element's tree, once per element."""

    def get_root(self: Any) -> Any:
        entry = table.get(id(self))  # memo, inlined
        if entry is None or entry[0] is not self:
            entry = table[id(self)] = (self, self.getroottree().getroot())
        return entry[1]

    return get_root


def _calls_variable(table: Memo, original: Method) -> Method:
    """``calls_variable`` depends only on the style's structure: compute it once per node."""

    def calls_variable(self: Any) -> Any:
        entry = table.get(id(self))  # memo, inlined
        if entry is None or entry[0] is not self:
            entry = table[id(self)] = (self, original(self))
        return entry[1]

    return calls_variable


def _reference(self: Any) -> Any:
    """The item's reference, looked up once (citeproc-py asks ~400 times per entry)."""
    reference = self.__dict__.get("_refconv_reference")
    if reference is None:
        reference = self.bibliography.source[self.key]
        object.__setattr__(self, "_refconv_reference", reference)
    return reference


#: citeproc-py methods we cache: "Class.method" in ``citeproc.model`` → (its table, the
#: original → the cached method)
CACHES: dict[str, Callable[[Memo, Method], Method]] = {
    "CitationStylesElement.get_macro": _get_macro,
    "CitationStylesElement.get_layout": _get_layout,
    "CitationStylesElement.xpath_search": _xpath_search,
    "CitationStylesElement.get_root": _get_root,
    "Locale.get_term": _locale_get_term,
}


def install() -> None:
    """Apply the caches to citeproc-py's classes (``install`` in the package calls this once)."""
    targets = [(dotted, make) for dotted, make in CACHES.items()]
    targets += [  # every class of citeproc.model that defines calls_variable
        (f"{name}.calls_variable", _calls_variable)
        for name, cls in vars(model).items()
        if isinstance(cls, type) and "calls_variable" in vars(cls)
    ]
    for dotted, make in targets:
        owner, attribute = dotted.split(".")
        table = INSTALLED.table(dotted)
        INSTALLED.wrap(getattr(model, owner), attribute, dotted, partial(make, table))
    CitationItem.reference = property(_reference)
