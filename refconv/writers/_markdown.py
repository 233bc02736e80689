"""A citeproc-py formatter for Markdown (CommonMark): emphasis with ``*``, HTML for the rest.

Text that comes from the style (terms, affixes) passes through ``preformat``, which escapes
Markdown's specials; record text is escaped by ``refconv.citeproc_compat.unprotect``.
"""

from __future__ import annotations

_SPECIALS = str.maketrans({c: "\\" + c for c in "\\`*_[]<>#|~"})


def preformat(text):
    return str(text).translate(_SPECIALS)


def _wrapper(before: str, after: str) -> type:
    class Wrapped(str):
        def __new__(cls, text):
            return super().__new__(cls, f"{before}{text}{after}" if str(text) else "")

    return Wrapped


Italic = _wrapper("*", "*")
Oblique = Italic
Bold = _wrapper("**", "**")
Light = str
Underline = str
Superscript = _wrapper("<sup>", "</sup>")
Subscript = _wrapper("<sub>", "</sub>")
SmallCaps = _wrapper('<span style="font-variant:small-caps">', "</span>")
