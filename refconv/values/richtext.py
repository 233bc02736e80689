"""CSL rich text: the HTML-like tags a CSL processor reads in a value (CSL 1.0.2
specification, "Rich text"), parsed into a tree for the writers that turn them into their own
markup (LaTeX, pandoc Markdown). A value whose tags do not nest or close is no markup: it is
written as text, every "<" as itself."""

from __future__ import annotations

import re

#: One tag of CSL rich text: groups 1 and 2 an element's start and end, 3 a nocase span, 4 a
#: small-caps span.
RICH_TAG = re.compile(
    r"<(?:(i|b|sup|sub)|/(i|b|sup|sub|span)|span class=\"(nocase)\""
    r"|span style=\"(font-variant:\s*small-caps;?)\")>"
)

#: A node of parsed rich text: plain text, or an element and its children.
RichNode = str | tuple[str, list["RichNode"]]


#: How deep rich-text tags may nest to be written as LaTeX groups: titles nest two or three;
#: the tree is walked recursively (1,000 nested ``<i>`` raised RecursionError, found by the
#: hostile tests' rich-text class)
RICH_DEPTH = 32


def parse_rich_text(value: str) -> list[RichNode] | None:
    """The element tree of ``value``'s CSL rich text; None when it has no markup or its tags
    are not well formed (an unclosed ``<i>``, ``</b>`` without its start, crossed tags) or
    nest deeper than ``RICH_DEPTH`` (then the value is escaped text, as an ill-formed one)."""
    if "<" not in value:
        return None
    root: list[RichNode] = []
    stack: list[tuple[str, list[RichNode]]] = []
    children = root
    position = 0
    found = False
    for match in RICH_TAG.finditer(value):
        if match.start() > position:
            children.append(value[position : match.start()])
        position = match.end()
        found = True
        start = match[1] or ("nocase" if match[3] else "smallcaps" if match[4] else None)
        if start is not None:
            node: tuple[str, list[RichNode]] = (start, [])
            children.append(node)
            stack.append(node)
            if len(stack) > RICH_DEPTH:
                return None
            children = node[1]
            continue
        if not stack:
            return None
        name = stack[-1][0]
        closing = match[2]
        if closing != (name if name in ("i", "b", "sup", "sub") else "span"):
            return None
        stack.pop()
        children = stack[-1][1] if stack else root
    if stack or not found:
        return None
    if position < len(value):
        children.append(value[position:])
    return root
