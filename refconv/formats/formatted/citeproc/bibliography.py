"""Fixes to how citeproc-py (0.11.1) lays out, sorts and numbers a bibliography.

Like those of ``fixes`` (which installs these too), each function replaces a method of
citeproc-py and names the defect and the CSL 1.0.2 section or citeproc-js behaviour it follows.
"""

from __future__ import annotations

from typing import Any

# citeproc-py ships no type information (the mypy override in pyproject.toml makes it Any)
from citeproc import model

from refconv.formats.formatted.citeproc.installed import INSTALLED, SORT_FAILURES, memo
from refconv.formats.formatted.citeproc.protect import strip_marks


class Rendered(str):
    """An entry: its text, its two columns under ``second-field-align`` (else empty), and the
    text of its authors (for ``subsequent-author-substitute``)."""

    left: str
    right: str
    names: str | None

    def __new__(cls, text: Any, left: Any = "", right: Any = "", names: Any = None) -> Rendered:
        obj = super().__new__(cls, str(text) if text is not None else "")
        obj.left, obj.right = str(left), str(right)
        obj.names = str(names) if names else None
        return obj


def render_bibliography(self: Any, citation_items: Any) -> list[Rendered]:
    """``Layout.render_bibliography`` with ``second-field-align`` columns, and each entry's
    authors for ``subsequent-author-substitute``.

    citeproc-py glued the citation number to the entry (``[1]R. Nahta``); CSL 1.0.2
    "Whitespace" (``second-field-align``) puts the first field in its own column, which in text
    is a space (``[1] R. Nahta``). The layout's prefix opens the first column and its suffix
    closes the second, as in citeproc-js."""
    bibliography = self.getparent()
    align = bibliography.get_option("second-field-align")
    entry = INSTALLED.entry
    entry.explicit = has_explicit_year_suffix(self.get_root())
    output = []
    for item in citation_items:
        self.repressed = {}
        entry.item = entry.names = None
        if not align:
            text = self.format(self.wrap(self.render_children(item)))
            output.append(Rendered(text, names=entry.names))
            continue
        children = list(self.iterchildren())
        left = None
        while children and left is None:
            left = _render_child(children.pop(0), item)
        right = _render_rest(self, children, item)
        if left is None or right is None:
            text = self.format(self.wrap(left if right is None else right))
            output.append(Rendered(text, names=entry.names))
        else:
            text = self.format(self.wrap(left + " " + right))
            left = self.get("prefix", "") + left if self.get("prefix") else left
            right = right + self.get("suffix", "") if self.get("suffix") else right
            output.append(Rendered(text, left, right, entry.names))
    return output


def has_explicit_year_suffix(root: Any) -> bool:
    """Whether the style prints ``year-suffix`` itself (looked up once per style)."""
    expression = "//cs:text[@variable='year-suffix']"
    table = INSTALLED.table("explicit")
    return bool(memo(table, root, (), lambda: bool(root.xpath_search(expression))))


def _render_child(child: Any, item: Any) -> Any:
    try:
        return child.render(item)
    except model.VariableError:
        return None


def _render_rest(layout: Any, children: list[Any], item: Any) -> Any:
    parts = [p for p in (_render_child(c, item) for c in children) if p is not None]
    return model.join(parts, layout.get("delimiter", "")) if parts else None


def sort_keys(self: Any, items: list[Any], context: Any) -> list[Any]:
    """``Key.sort_keys`` that gives an item whose key cannot be computed no key.

    In citeproc-py one such item made the whole sort fail; now it sorts last, as an item
    without the key does (CSL 1.0.2 "Sorting"), and its error is kept on the bibliography
    (``SORT_FAILURES``) for the writer to report."""
    original = INSTALLED.originals["Key.sort_keys"]
    try:
        return list(original(self, items, context))
    except Exception:  # find the items at fault; they get no key and sort last
        pass
    keys = []
    for item in items:
        try:
            (key,) = original(self, [item], context)
        except Exception as exc:
            failures = item.bibliography.__dict__.setdefault(SORT_FAILURES, [])
            failures.append((item.key, f"{type(exc).__name__}: {exc}".rstrip(": ")))
            key = None
        keys.append(key)
    return keys


def sort(self: Any, items: list[Any], context: Any) -> list[Any]:
    """``Sort.sort`` with a total order, computing a key only where it decides.

    citeproc-py compares keys pairwise and crashed when two keys were not of one type (a name
    key that holds ``None`` next to a string: MLA with an editor who has no name). Each key
    becomes a string (or, when every key being compared is a whole number, an int), and empty
    keys go last in both directions (CSL 1.0.2 "Sorting"). citeproc-py renders every key of
    every item; a key after the first is needed only among items that tie on the keys before
    it (APA has ten keys and renders its title macro for one of them), so it is computed for
    those only: the order is the same."""
    keys = self.findall("cs:key", self.nsmap)
    return [items[i] for i in _ordered(keys, list(range(len(items))), items, context)]


def _ordered(keys: list[Any], group: list[int], items: list[Any], context: Any) -> list[int]:
    """``group`` (indexes into ``items``) in the order of ``keys``, the first most significant;
    ties on the first key are ordered by the rest, and so on (CSL 1.0.2 "Sorting")."""
    if not keys or len(group) < 2:
        return group
    key, rest = keys[0], keys[1:]
    column = _comparable(key.sort_keys([items[i] for i in group], context))
    present = [(value, i) for value, i in zip(column, group, strict=True) if value is not None]
    missing = [i for value, i in zip(column, group, strict=True) if value is None]
    descending = key.get("sort", "ascending").lower() == "descending"
    present.sort(key=lambda pair: pair[0], reverse=descending)  # stable: ties keep input order
    order: list[int] = []
    start = 0
    for end in range(1, len(present) + 1):
        if end == len(present) or present[end][0] != present[start][0]:
            order += _ordered(rest, [i for _, i in present[start:end]], items, context)
            start = end
    return order + _ordered(rest, missing, items, context)


def _comparable(keys: list[Any]) -> list[Any]:
    """Sort keys of one ``cs:key`` as lowercase strings, or ints when all are whole numbers;
    an empty key is None."""
    texts: list[str | None] = []
    for key in keys:
        if isinstance(key, list):  # a MixedString; a name with nothing to print is None in it
            key = "".join(str(part) for part in key if part is not None)
        texts.append(None if key is None or key == "" else strip_marks(str(key)).lower())
    numbers: list[int | None] = []
    for text in texts:
        if text is None:
            numbers.append(None)
            continue
        try:
            numbers.append(int(text))
        except ValueError:  # not a number, or more digits than int() converts
            return texts
    return numbers


def citation_number(self: Any) -> Any:
    """``CitationItem.number``: the number the writer gave the item (it numbers the whole
    bibliography before rendering it in chunks), else a dict lookup where citeproc-py searched
    the key list for every item (quadratic)."""
    given = self.reference.get("refconv_number")
    if given is not None:
        return given
    bibliography = self.bibliography
    numbers = getattr(bibliography, "_refconv_numbers", None)
    if numbers is None or len(numbers) != len(bibliography.keys):
        numbers = {key: i for i, key in enumerate(bibliography.keys, 1)}
        bibliography._refconv_numbers = numbers
    return numbers[self.key]
