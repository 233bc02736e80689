"""Where an XML document's root element starts, for the readers that sniff XML (EndNote XML,
MODS): after white space, the XML declaration, processing instructions, comments and a
DOCTYPE (the "prolog" of the XML 1.0 recommendation, section 2.8). A scan, not a regular
expression: a pattern that lets a comment run into the next one backtracks exponentially on a
head of repeated comments, which anyone can write (the sniffers see 8 KB of every input)."""

from __future__ import annotations

import re

_SPACE = re.compile(r"\s*")


def prolog_end(text: str, start: int = 0) -> int:
    """The index in ``text`` after its prolog (from ``start``; also what may stand between
    two elements: white space, comments, processing instructions): where the root element's
    ``<`` should be; ``len(text)`` when the prolog does not end within ``text``. Linear in
    ``len(text)``."""
    i = _SPACE.match(text, start).end()  # type: ignore[union-attr]  # \s* always matches
    n = len(text)
    while i < n:
        if text.startswith("<?", i):
            end = text.find("?>", i + 2)
            i = end + 2 if end >= 0 else n
        elif text.startswith("<!--", i):
            end = text.find("-->", i + 4)
            i = end + 3 if end >= 0 else n
        elif text.startswith("<!DOCTYPE", i):
            close = text.find(">", i)
            subset = text.find("[", i, close if close >= 0 else n)
            if subset >= 0:  # an internal subset: its "]" first, then the ">"
                bracket = text.find("]", subset)
                close = text.find(">", bracket) if bracket >= 0 else -1
            i = close + 1 if close >= 0 else n
        else:
            return i
        i = _SPACE.match(text, i).end()  # type: ignore[union-attr]
    return n


_HUGE = re.compile(r",?\s*(?:use|try)\s+XML_PARSE_HUGE(?:\s+option)?", re.IGNORECASE)


def parser_message(message: str) -> str:
    """libxml2's message for a user: its advice to pass ``XML_PARSE_HUGE`` (an option refconv
    keeps off for untrusted input) becomes what the limit is."""
    return _HUGE.sub(" (a limit refconv keeps for untrusted XML)", message)
