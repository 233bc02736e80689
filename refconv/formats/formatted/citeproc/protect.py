"""Text protection: record text goes into citeproc-py as marks, and comes out escaped once.

Record text is protected before it enters citeproc-py (``protect``): characters that mean
something in the output format (``<`` and ``&`` in HTML, ``*`` in Markdown) become Unicode
noncharacters (U+FDD0-U+FDEF, which Unicode sets aside for a program's internal use) that no
case change or seam rule touches, and ``unprotect`` turns them into the output format's escapes
at the end. A noncharacter in a record becomes U+FFFD first (``normalise``), so no value can
forge a mark; private-use characters in records pass unchanged. citeproc-py itself escapes
nothing but the terms and ``<text value>`` its formatter's ``preformat`` sees; affixes,
delimiters and the other text a style adds reached HTML and Markdown raw (``prefix="&lt;"``:
162 bundled styles). So the formatter we give it (``formatter.MarkFormatter``) writes marks
(U+FDE2-U+FDEF) instead of markup, and ``finish`` escapes every other character of the entry,
the style's and the record's alike, before it turns the marks into the writer's markup: the one
escape step. A link a style spells out in its text (radiopaedia's ``<a href="``) is printed as
that text, as citeproc-js does. URLs and DOIs are protected too (they are printed verbatim, so
they were the way in for markup), only without the typographic apostrophe. Two more marks keep a
value from becoming a link in a consumer that links bare text (docutils for rST, GitHub's
Markdown): the colon after a URI scheme other than ``http``/``https`` (``javascript:``,
``data:``, ``file:``, ``mailto:``) and the ``@`` of an e-mail address; rST and Markdown print
them backslash-escaped, the other outputs as they are.

``normalise`` cleans the item first (citeproc-js agrees on each point, or prints nothing
useful): line separators and other control characters, which would break the one-entry-per-line
or one-paragraph layout, become a space or U+FFFD (as do noncharacters); string values are
trimmed and empty ones dropped; a name with nothing to print (no family, given or literal name:
only a suffix, a dropping particle, or spaces) is dropped, and a name with only a given name is
kept as a literal (citeproc-js prints it whole; citeproc-py rendered "None" or crashed in
sorting).

This module imports nothing of citeproc-py, so the writer can use it before citeproc-py loads.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

#: the mark after a closing quote the style adds (``punctuation-in-quote``)
CLOSE_MARK = "\ufdd0"
_PROTECTED = "<>&*_`[]\\#|~"
PROTECT = {ord(c): 0xFDD1 + i for i, c in enumerate(_PROTECTED)}
UNPROTECT = {0xFDD1 + i: c for i, c in enumerate(_PROTECTED)}
SCHEME_COLON = "\ufde0"  # ':' after a scheme that must not become a link
EMAIL_AT = "\ufde1"  # '@' of an address that must not become a mailto: link

#: formatting marks: citeproc-py's formatter wraps text in these instead of markup, so that
#: every other character of the entry, the style's own text included, can be escaped for the
#: output before the marks become the writer's markup (``formatter.MarkFormatter``)
FORMATS = ("italic", "bold", "light", "underline", "superscript", "subscript", "small-caps")
OPEN = {name: chr(0xFDE2 + 2 * i) for i, name in enumerate(FORMATS)}
CLOSE = {name: chr(0xFDE3 + 2 * i) for i, name in enumerate(FORMATS)}
OPENS = "".join(OPEN.values())
CLOSES = "".join(CLOSE.values())

_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")
_VERBATIM = frozenset({"date-parts", "id", "type"})
_LINKS = frozenset({"URL", "DOI"})

#: a URI scheme (RFC 3986 §3.1) not preceded by a scheme character, and its colon; also inside
#: an http URL, where docutils may end the URL early and link what follows
_SCHEME = re.compile(r"(?<![A-Za-z0-9.+-])([A-Za-z][A-Za-z0-9.+-]*):(?=\S)")
_EMAIL_AT = re.compile(r"(?<=[\w.+-])@(?=\w)")
_LINK_SCHEMES = frozenset({"http", "https"})
#: link schemes text from the style may keep; others get the scheme mark as in records
_STYLE_LINK_SCHEMES = frozenset({"http", "https", "doi"})

_LINE_BREAKS = re.compile(r"\s*[\r\n\v\f\x85\u2028\u2029]\s*")
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ufdd0-\ufdef]")
_STYLE_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")  # marks stay
_NAME_PARTS = ("family", "given", "literal", "non-dropping-particle", "dropping-particle")

_MARK = re.compile(f"[{chr(0xFDE2)}-{chr(0xFDEF)}]")
_SPACE_IN_OPEN = re.compile(f"([{OPENS}])(\\s+)")
_SPACE_IN_CLOSE = re.compile(f"(\\s+)([{CLOSES}])")
_EMPTY = re.compile("|".join(OPEN[n] + CLOSE[n] for n in FORMATS))
_AFTER_QUOTE = re.compile(f"(.?)(.){CLOSE_MARK}([.,])", re.DOTALL)


def protect(value: Any, *, formatted: bool = True) -> Any:
    """Record text → text with format-significant characters as noncharacters; lists and
    dicts (a CSL-JSON item) are protected value by value, ``date-parts``/``id``/``type`` kept
    as they are, ``URL``/``DOI`` without the typographic apostrophe. CSL rich text's tags
    become formatting marks (``rich``) in the item's own text values (``formatted``); in the
    parts of a name they are left out, as a mark before a given name would keep it from being
    initialised (citeproc-js prints "Doe, J. P." for ``<b>Doe</b>``, ``<i>John</i> Paul``
    in text; its HTML keeps the tags on the name, refconv's does not)."""
    if isinstance(value, str):
        text = rich(value) if formatted else strip_marks(rich(value))
        return _mark_links(_APOSTROPHE.sub("\u2019", text).translate(PROTECT))
    if isinstance(value, list):
        return [protect(v, formatted=False) for v in value]
    if isinstance(value, dict):
        return {
            k: (
                v if k in _VERBATIM
                else _protect_link(v) if k in _LINKS
                else protect(v, formatted=formatted)
            )
            for k, v in value.items()
        }  # fmt: skip
    return value


#: CSL rich text, the HTML-like tags citeproc-js reads in a value (CSL-JSON as Zotero exports
#: it: ``An <i>italic</i> title``, ``H<sub>2</sub>O``), and the format each one marks
_RICH = re.compile(
    r"<(i|b|sup|sub)>|</(i|b|sup|sub)>|<span style=\"font-variant:\s*small-caps;?\">|</span>"
)
_RICH_FORMAT = {"i": "italic", "b": "bold", "sup": "superscript", "sub": "subscript",
                "span": "small-caps"}  # fmt: skip
#: nesting beyond this is left as text: real titles nest two or three, and each level costs a
#: pass when the marks are tidied (``finish``)
_RICH_DEPTH = 4


def rich(text: str) -> str:
    """``text`` with CSL rich text's tags as formatting marks, where a tag pairs with the next
    closing tag of its kind at its depth (as citeproc-js pairs them); a tag that pairs with
    none, and nesting deeper than ``_RICH_DEPTH``, stay text (escaped later, never markup).
    citeproc-py prints the tags as text (``An <i>italic</i> title``)."""
    if "<" not in text:
        return text
    pieces: list[str] = []
    opened: list[tuple[str, int]] = []  # (tag name, index in pieces) of the open tags
    end = 0
    for tag in _RICH.finditer(text):
        pieces.append(text[end : tag.start()])
        end = tag.end()
        closing = tag[2] or (tag[0] == "</span>" and "span")
        if not closing:
            if len(opened) < _RICH_DEPTH:
                opened.append((tag[1] or "span", len(pieces)))
            pieces.append(tag[0])
        elif opened and opened[-1][0] == closing:
            _, i = opened.pop()
            pieces[i] = OPEN[_RICH_FORMAT[closing]]
            pieces.append(CLOSE[_RICH_FORMAT[closing]])
        else:
            pieces.append(tag[0])
    pieces.append(text[end:])
    return "".join(pieces)


def strip_marks(text: str) -> str:
    """``text`` without formatting marks (a sort key compares the words, not their fonts)."""
    return _MARK.sub("", text) if _MARK.search(text) else text


def _protect_link(value: Any) -> Any:
    """A URL or DOI keeps every character (no typographic apostrophe), but not its markup."""
    if isinstance(value, str):
        return _mark_links(value.translate(PROTECT))
    return protect(value, formatted=False)


def _mark_links(text: str) -> str:
    if ":" in text:
        text = _SCHEME.sub(_mark_scheme, text)
    if "@" in text:
        text = _EMAIL_AT.sub(EMAIL_AT, text)
    return text


def _mark_scheme(m: re.Match[str]) -> str:
    if m[1].lower() in _LINK_SCHEMES:
        return m[0]
    return m[1] + SCHEME_COLON


def _mark_style_scheme(m: re.Match[str]) -> str:
    if m[1].lower() in _STYLE_LINK_SCHEMES:
        return m[0]
    return m[1] + SCHEME_COLON


def normalise(value: Any) -> Any:
    """An item as citeproc-py can render it: see the module docstring (``normalise``)."""
    if isinstance(value, str):
        if not value.isprintable():
            value = _CONTROLS.sub("\ufffd", _LINE_BREAKS.sub(" ", value)).replace("\t", " ")
        return value.strip()
    if isinstance(value, list):
        out = [normalise(v) for v in value]
        if any(isinstance(v, dict) and _is_name(v) for v in value):
            out = [n for n in (_name(v) for v in out) if n is not None]
        return [v for v in out if v != "" and v != {}]
    if isinstance(value, dict):
        cleaned = {k: normalise(v) for k, v in value.items()}
        return {k: v for k, v in cleaned.items() if v != "" and v != [] and v != {}}
    return value


def _is_name(value: dict[str, Any]) -> bool:
    return any(k in value for k in (*_NAME_PARTS, "suffix")) or not value


def _name(name: Any) -> Any:
    """A name with something to print, else None; a lone given name is kept whole."""
    if not isinstance(name, dict):
        return name
    if name.get("family") or name.get("literal"):
        return name
    if name.get("given"):
        return {"literal": name["given"]}
    if name.get("non-dropping-particle"):
        return {"family": name["non-dropping-particle"]}
    return None


def unprotect(text: str, escapes: dict[str, str]) -> str:
    """Private-use code points → the characters, escaped as ``escapes`` says."""
    return text.translate(_unprotect_table(tuple(escapes.items())))


@cache
def _unprotect_table(escapes: tuple[tuple[str, str], ...]) -> dict[int, str]:
    table = dict(escapes)
    marks = UNPROTECT | {ord(SCHEME_COLON): ":", ord(EMAIL_AT): "@"}
    return {k: table.get(c, c) for k, c in marks.items()}


def finish(
    text: str, escapes: dict[str, str], markup: dict[str, tuple[str, str]], nested: bool = True
) -> str:
    """A rendered entry as output text: every character outside the marks (the style's text
    and the record's) escaped by ``escapes`` (``:``/``@`` only where marked), and the marks
    replaced by ``markup`` (name → (open, close); a name not in it prints nothing); without
    ``nested`` only the outermost marks (default: all). Line breaks and control characters
    the style's own text holds (``&#10;`` in an affix) become a space or U+FFFD, as in values."""
    if not text.isprintable():  # the marks are noncharacters: not printable either
        text = _STYLE_CONTROLS.sub("\ufffd", _LINE_BREAKS.sub(" ", text)).replace("\t", " ")
    if ":" in text:
        text = _SCHEME.sub(_mark_style_scheme, text)
    if "@" in text:
        text = _EMAIL_AT.sub(EMAIL_AT, text)
    if _MARK.search(text):
        text = _flip_nested(text)
    if nested is False:
        text = _outermost(text)
    if _MARK.search(text):
        text = _tighten(text)
    return text.translate(_finish_table(tuple(escapes.items()), tuple(markup.items())))


def _tighten(text: str) -> str:
    """Marks moved inside the spaces at the edges of their text, and empty pairs dropped:
    rST and CommonMark emphasis cannot end after a space (``:strong:`2000. ``` was no role)."""
    while True:
        moved = _SPACE_IN_CLOSE.sub(r"\2\1", _SPACE_IN_OPEN.sub(r"\2\1", text))
        moved = _EMPTY.sub("", moved)
        if moved == text:
            return text
        text = moved


#: formats that turn back to normal when nested in themselves (citeproc-js's "flip-flop":
#: an italic word in an italic title is roman); the others only hold once
_FLIPS = frozenset({"italic", "bold", "small-caps"})
_MARK_FORMAT = {**{OPEN[n]: (n, True) for n in FORMATS}, **{CLOSE[n]: (n, False) for n in FORMATS}}


def _flip_nested(text: str) -> str:
    """A format inside itself (rich text ``<i>`` in an italic title, a style's italics in
    italics): italic, bold and small caps turn back to normal there, as citeproc-js prints
    them, and the inner marks of the other formats are dropped. Each mark then opens or
    closes one run of its format, so no output gets ``<i><i>`` or Markdown's ``**``."""
    depth = dict.fromkeys(FORMATS, 0)
    out: list[str] = []
    last = 0
    for m in _MARK.finditer(text):
        name, opening = _MARK_FORMAT[m[0]]
        level = depth[name] + 1 if opening else depth[name]  # this pair's nesting level
        depth[name] = level if opening else max(0, level - 1)
        if level <= 1:
            continue
        out.append(text[last : m.start()])
        last = m.end()
        if name in _FLIPS:  # odd levels are on, even levels off
            on = level % 2 == 1
            out.append(OPEN[name] if on == opening else CLOSE[name])
    if not out:
        return text
    out.append(text[last:])
    return "".join(out)


def _outermost(text: str) -> str:
    """Only the outermost marks: rST cannot nest inline markup (docutils "Inline markup"),
    and ``:strong:`a :emphasis:`b`` `` ends the role early and opens a title reference."""
    out, depth, last = [], 0, 0
    for m in _MARK.finditer(text):
        opening = (ord(m[0]) - 0xFDE2) % 2 == 0
        keep = depth == 0 if opening else depth == 1
        depth = max(0, depth + (1 if opening else -1))
        if not keep:
            out.append(text[last : m.start()])
            last = m.end()
    out.append(text[last:])
    return "".join(out)


@cache
def _finish_table(
    escapes: tuple[tuple[str, str], ...], markup: tuple[tuple[str, tuple[str, str]], ...]
) -> dict[int, str]:
    table = {ord(c): e for c, e in escapes if c not in ":@"}
    table |= _unprotect_table(escapes)
    tags = dict(markup)
    for name in FORMATS:
        before, after = tags.get(name, ("", ""))
        table[ord(OPEN[name])], table[ord(CLOSE[name])] = before, after
    return table


def apply_quote_punctuation(text: str, inside: bool) -> str:
    """Move a comma or period that follows a style's closing quote inside it when ``inside``
    (the locale's ``punctuation-in-quote``, true in en-US), then drop the marks."""
    if inside:
        text = _AFTER_QUOTE.sub(_move_inside, text)
    return text.replace(CLOSE_MARK, "")


def _move_inside(m: re.Match[str]) -> str:
    """``Title”,`` → ``Title,”``; a period after ``.?!`` at the end of the quote is dropped."""
    last, quote, punct = m[1], m[2], m[3]
    if punct == "." and last in (".", "?", "!"):
        return last + quote
    return last + punct + quote
