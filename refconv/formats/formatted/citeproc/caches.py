"""Caches for what citeproc-py looks up again on every render though it depends on the style
only, and shortcuts through its hottest calls; the output is the same (``install(fast=False)``
leaves all of this out, so that ``tests/test_formatted_speed.py`` can show it).

Every XPath search (macros, the ``cs:layout`` and ``cs:citation``/``cs:bibliography``
ancestors, terms, localized dates), ``get_root``, ``calls_variable`` and each item's reference
are computed again for each entry by citeproc-py 0.11.1; so are which formatting attributes an
element has, where its formatter lives, its children, the tests of a ``cs:if``, what a
``cs:text`` prints, its name options and its terms. They are cached per element (see
``installed.memo`` for why each entry holds its element). The shortcuts: a ``cs:choose`` finds
its branch without an exception per failing ``cs:if``, an empty ``cs:group`` returns None
instead of raising, ``cs:text`` runs only the markup steps it asks for, and no exception is
raised for an item without a language. APA renders about five times faster than without.

The hottest lookups inline ``memo`` and keep their table and the original method in a closure
made at install time; the tables themselves are ``INSTALLED.memo``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

# citeproc-py ships no type information (the mypy override in pyproject.toml makes it Any)
from citeproc import model
from citeproc.source import CitationItem, CustomDict, VariableError

from refconv.formats.formatted.citeproc.fixes import CONDITIONS, cased, group_text, holds
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


def _get_formatter(table: Memo, original: Method) -> Method:
    """The element whose ``formatter`` to use (the style, also for a locale's elements), found
    once per element; the formatter itself is read each time, since every bibliography sets
    its own on the style."""

    def get_formatter(self: Any) -> Any:
        entry = table.get(id(self))  # memo, inlined
        if entry is None or entry[0] is not self:
            root = self.get_root()
            entry = table[id(self)] = (self, root.style if isinstance(root, model.Locale) else root)
        return entry[1].formatter

    return get_formatter


#: CSL 1.0.2 §Formatting: each attribute, its default, and the formatter class of each value
#: (None: no markup), applied in citeproc-py's order (``Formatted.format``)
_FORMATTING = (
    ("font-style", "normal", {"normal": None, "italic": "Italic", "oblique": "Oblique"}),
    ("font-variant", "normal", {"normal": None, "small-caps": "SmallCaps"}),
    ("font-weight", "normal", {"normal": None, "bold": "Bold", "light": "Light"}),
    ("text-decoration", "none", {"none": None, "underline": "Underline"}),
    ("vertical-align", "baseline", {"baseline": None, "sup": "Superscript", "sub": "Subscript"}),
)


def _markup_of(element: Any) -> tuple[str, ...] | None:
    """The formatter classes ``element``'s formatting attributes apply, in order; None when an
    attribute has a value citeproc-py does not know (its own method then fails as before)."""
    names: list[str] = []
    for attribute, default, classes in _FORMATTING:
        value = element.get(attribute, default)
        if value not in classes:
            return None
        name = classes[value]
        if name is not None:
            names.append(name)
    return tuple(names)


def _format(table: Memo, original: Method) -> Method:
    """``Formatted.format`` reads five attributes and fetches the formatter five times per
    call; the attributes are the style's, so which markup applies is found once per element."""

    def format(self: Any, string: Any) -> Any:
        entry = table.get(id(self))  # memo, inlined
        if entry is None or entry[0] is not self:
            entry = table[id(self)] = (self, _markup_of(self))
        names = entry[1]
        if names is None:
            return original(self, string)
        if isinstance(string, (int, float)):
            string = str(string)
        if names:
            formatter = self.get_formatter()
            for name in names:
                string = getattr(formatter, name)(string)
        return string

    return format


def _render_children(table: Memo, original: Method) -> Method:
    """``Parent.render_children`` with each element's children (and which are ``cs:choose``)
    listed once; the list is made again if the element gained a child (``Names.process``
    inserts a ``cs:name`` into a ``cs:names`` that has none)."""

    def render_children(self: Any, item: Any, delimiter: str = "", **kwargs: Any) -> Any:
        entry = table.get(id(self))  # memo, inlined
        if entry is None or entry[0] is not self or len(entry[1]) != len(self):
            children = tuple((c, isinstance(c, model.Choose)) for c in self.iterchildren())
            entry = table[id(self)] = (self, children)
        output = []
        for child, is_choose in entry[1]:
            try:
                if is_choose:
                    text = child.render(item, delimiter=delimiter, **kwargs)
                else:
                    text = child.render(item, **kwargs)
                if text is not None:
                    output.append(text)
            except model.VariableError:
                pass
        if len(output) == 1:  # what join returns for one piece
            return output[0]
        return model.join(output, delimiter) if output else None

    return render_children


def _choose_branch(table: Memo, original: Method) -> Method:
    """``Choose.branch`` (``fixes.choose_branch``) with each branch's tests read once, and
    the type and variable tests, the common ones, run inline: ``If._type`` as the fix
    ``if_type`` does (any of the types), ``If._variable`` as citeproc-py does (each variable
    present, ``locator`` in the citation item). Other tests still call their methods."""

    def branch(self: Any, item: Any, context: Any = None) -> Any:
        entry = table.get(id(self))  # memo, inlined
        if entry is None or entry[0] is not self or len(entry[1]) != len(self):
            entry = table[id(self)] = (self, tuple(_plan(b) for b in self.iterchildren()))
        reference = item.reference
        for element, match, tests in entry[1]:
            if match is None:  # cs:else
                return element
            results: list[Any] = []
            for kind, data in tests:
                if kind == "type":
                    results.append(reference["type"] in data)
                elif kind == "variable":
                    results += [
                        ("locator" in item) if v == "locator" else (v in reference) for v in data
                    ]
                elif kind == "_position":
                    results += getattr(element, kind)(item, context)
                else:
                    results += getattr(element, kind)(item)
            if holds(match, results):
                return element
        return None

    return branch


def _plan(branch: Any) -> tuple[Any, str | None, tuple[tuple[str, Any], ...]]:
    """(the branch, its ``match`` ("all" unless set; None for ``cs:else``), its tests as
    (kind, data): ("type", the types), ("variable", the variables as citeproc-py names
    them), or (the citeproc-py method, None))."""
    if not isinstance(branch, model.If):
        return branch, None, ()
    tests: list[tuple[str, Any]] = []
    for attribute, method in CONDITIONS:
        value = branch.get(attribute)
        if value is None:
            continue
        if attribute == "type":
            tests.append(("type", frozenset(value.lower().split())))
        elif attribute == "variable":
            tests.append(("variable", tuple(v.replace("-", "_") for v in value.split())))
        else:
            tests.append((method, None))
    return branch, branch.get("match", "all"), tuple(tests)


def _name_get_option(table: Memo, original: Method) -> Method:
    """citeproc-py's ``Name.get_option`` (which the fix ``name_get_option`` calls) once per
    (element, option, context): an option is the style's (the ``cs:name``'s attribute, else
    the inheritable one of its ``cs:citation`` or ``cs:bibliography``, else the default).
    Sort keys pass their own options and are not cached."""

    def get_option(self: Any, name: str, context: Any = None, sort_options: Any = None) -> Any:
        if sort_options is not None:
            return original(self, name, context, sort_options)
        key = (id(self), name, id(context))
        entry = table.get(key)
        if entry is None or entry[0] is not self or entry[1][0] is not context:
            entry = table[key] = (self, (context, original(self, name, context)))
        return entry[1][1]

    return get_option


def _element_get_term(table: Memo, original: Method) -> Method:
    """citeproc-py's ``CitationStylesElement.get_term`` (which the fix ``get_term`` calls for
    each form it tries) once per (element, name, form, fallback_locale, zero_padded): a term
    is the style's locales', searched in order for each entry by citeproc-py."""

    def get_term(
        self: Any, name: str, form: Any = None, fallback_locale: bool = True,
        zero_padded: bool = False,
    ) -> Any:  # fmt: skip
        key = (id(self), name, form, fallback_locale, zero_padded)
        entry = table.get(key)
        if entry is None or entry[0] is not self:
            entry = table[key] = (self, original(self, name, form, fallback_locale, zero_padded))
        return entry[1]

    return get_term


def _group_render(table: Memo, original: Method) -> Method:
    """``Group.render`` (``markup(process(...))``) that returns None for a group with nothing
    to print, where ``Group.process`` (the fix ``group_process``) raises VariableError: every
    caller of a child's ``render`` takes the two alike (render_children, cs:group,
    cs:substitute), and half of APA's groups are empty for a given entry."""

    def render(self: Any, item: Any, context: Any = None, **kwargs: Any) -> Any:
        text = group_text(self, item, context, **kwargs)
        return self.wrap(self.format(text)) if text else None

    return render


def _text_render(table: Memo, original: Method) -> Method:
    """``Text.render`` with ``markup`` inlined and which of its steps apply read once per
    element (``strip-periods``, ``text-case``, ``quotes``): a step the element does not ask
    for is left out, except the fix ``text_case``'s conversion of ``str`` pieces, which it
    makes whether or not there is a case to apply."""

    def render(self: Any, *args: Any, **kwargs: Any) -> Any:
        text, language = self.process(*args, **kwargs)
        if not text:
            return None
        entry = table.get(id(self))  # memo, inlined
        if entry is None or entry[0] is not self:
            strip = self.get("strip-periods", "false").lower() == "true"
            quoted = self.get("quotes", "false").lower() == "true"
            entry = table[id(self)] = (self, (strip, self.get("text-case") is not None, quoted))
        strip, has_case, quoted = entry[1]
        if strip:
            text = text.replace(".", "")
        text = self.format(self.case(text, language) if has_case else cased(text))
        return self.wrap(self.quote(text) if quoted else text)

    return render


def _text_process(table: Memo, original: Method) -> Method:
    """``Text.process`` with what the element prints (variable, macro, term or value) and the
    style's default language read once; the item's own language is still asked each time."""

    def process(self: Any, item: Any, context: Any = None, **kwargs: Any) -> Any:
        entry = table.get(id(self))  # memo, inlined
        if entry is None or entry[0] is not self:
            kind = next(
                (k for k in ("variable", "macro", "term", "value") if k in self.attrib), None
            )
            default = self.get_root().get("default-locale", "en")[:2]
            entry = table[id(self)] = (self, (kind, self.get(kind) if kind else None, default))
        kind, value, default = entry[1]
        if kind is None:
            return original(self, item, context, **kwargs)
        if context is None:
            context = self
        # citeproc-py asks ``reference.language`` and catches the VariableError: an exception
        # for each cs:text of an item without a language (fifty per APA entry)
        language = item.reference.get("language", _MISSING)
        language = default if language is _MISSING else language[:2]
        if kind == "variable":
            text = self._variable(item, context)
        elif kind == "macro":
            text = self.get_macro(value).render(item, context)
        elif kind == "term":
            text = self._term(item)
        else:
            text = model.String(self.preformat(value))
        return text, language

    return process


def _wrap(table: Memo, original: Method) -> Method:
    """``Affixed.wrap`` with the element's ``prefix`` and ``suffix`` read once; the seams are
    still joined by ``model.normalize_seam`` (which ``fixes`` replaces) on each call."""

    def wrap(self: Any, string: Any) -> Any:
        if string is None:
            return None
        entry = table.get(id(self))  # memo, inlined
        if entry is None or entry[0] is not self:
            entry = table[id(self)] = (self, (self.get("prefix", ""), self.get("suffix", "")))
        prefix, suffix = entry[1]
        # an empty affix changes nothing (citeproc-py's String and MixedString discard it)
        text = prefix + model.normalize_seam(prefix, string) if prefix else string
        return text + model.normalize_seam(text, suffix) if suffix else text

    return wrap


class _Reference:
    """``CitationItem.reference``, looked up once (citeproc-py asks ~400 times per entry): a
    non-data descriptor that stores the reference in the item's ``__dict__``, where later
    lookups find it without a call."""

    def __get__(self, item: Any, owner: Any = None) -> Any:
        if item is None:
            return self
        reference = item.bibliography.source[item.key]
        item.__dict__["reference"] = reference
        return reference


def _variable_error(self: Any, key: Any) -> Any:
    """``CustomDict.__missing__``: a missing variable is citeproc-py's ``VariableError``."""
    raise VariableError


#: citeproc-py methods we cache: "Class.method" in ``citeproc.model`` → (its table, the
#: original → the cached method)
CACHES: dict[str, Callable[[Memo, Method], Method]] = {
    "CitationStylesElement.get_macro": _get_macro,
    "CitationStylesElement.get_layout": _get_layout,
    "CitationStylesElement.xpath_search": _xpath_search,
    "CitationStylesElement.get_root": _get_root,
    "CitationStylesElement.get_formatter": _get_formatter,
    "Formatted.format": _format,
    "Parent.render_children": _render_children,
    "Choose.branch": _choose_branch,
    "Group.render": _group_render,
    "Text.process": _text_process,
    "Text.render": _text_render,
    "Affixed.wrap": _wrap,
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
    # methods our fixes replace but call: cached where the fix finds them (``originals``)
    for dotted, make in (
        ("Name.get_option", _name_get_option),
        ("CitationStylesElement.get_term", _element_get_term),
    ):
        table = INSTALLED.table(f"{dotted} (citeproc-py's)")
        INSTALLED.originals[dotted] = make(table, INSTALLED.originals[dotted])
    CitationItem.reference = _Reference()
    # a hit is dict's own lookup; citeproc-py's __getitem__ caught the KeyError in Python
    CustomDict.__getitem__ = dict.__getitem__
    CustomDict.__missing__ = _variable_error
