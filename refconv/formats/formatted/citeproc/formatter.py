"""The formatters we give citeproc-py: they write the marks of ``protect``, never markup.

citeproc-py adds affixes, delimiters and the style's other attribute text without its
formatter's ``preformat`` (``Affixed.wrap``, ``Delimited.join``), so escaping in a formatter
could never reach them (``prefix="&lt;"`` made elements in 162 bundled styles). Our formatters
leave all text as it is and wrap the font styles in marks; ``protect.finish`` escapes the whole
entry at the end and turns the marks into the writer's markup.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# citeproc-py ships no type information (the mypy override in pyproject.toml makes it Any)
from citeproc.string import String

from refconv.formats.formatted.citeproc.protect import CLOSE, CLOSES, OPEN, OPENS

_MARKS = OPENS + CLOSES


class Marked(String):  # type: ignore[misc]  # String is Any: citeproc-py has no type stubs
    """Formatted text: a ``String``, as citeproc-py's text-case code expects of every piece
    of a ``MixedString`` (its formatters return ``str``, which has no ``words`` or
    ``capitalize_first``: "AttributeError ... capitalize_first" with iso690-numeric-lt);
    capitalizing skips the marks."""

    def capitalize_first(self) -> Marked:
        """This text with its first character after the opening marks upper-cased."""
        i = len(self) - len(self.lstrip(_MARKS))
        return self.__class__(self[:i] + self[i : i + 1].upper() + self[i + 1 :])


def _marker(name: str | None) -> Callable[[Any], Marked]:
    """A font wrapper: its text between the marks of ``name`` (None: no marks)."""

    def wrap(text: Any) -> Marked:
        text = str(text)
        if name is None or not text:
            return Marked(text)
        return Marked(f"{OPEN[name]}{text}{CLOSE[name]}")

    return wrap


class MarkFormatter:
    """A citeproc-py formatter (the interface of ``citeproc.formatter.html``) that writes no
    markup: ``preformat`` leaves the style's text (terms, ``<text value>``) as it is, the
    font wrappers put marks around their text (see the module docstring)."""

    preformat = staticmethod(str)
    Italic = Oblique = staticmethod(_marker("italic"))
    Bold = staticmethod(_marker("bold"))
    Light = staticmethod(_marker("light"))
    Underline = staticmethod(_marker("underline"))
    Superscript = staticmethod(_marker("superscript"))
    Subscript = staticmethod(_marker("subscript"))
    SmallCaps = staticmethod(_marker("small-caps"))


class PlainFormatter(MarkFormatter):
    """Plain text (and sort keys): no marks, but ``String`` pieces as above."""

    Italic = Oblique = Bold = Light = Underline = staticmethod(_marker(None))
    Superscript = Subscript = SmallCaps = staticmethod(_marker(None))
