"""How a rendered entry becomes text of its output: the markup, the escapes, and the guards
that keep record text from starting a Markdown or rST block (README "Safe output")."""

from __future__ import annotations

import re
import unicodedata


class Entry(str):
    """One rendered entry; ``left``/``right`` are set for styles with ``second-field-align``,
    ``names`` is the text of its authors."""

    left: str = ""
    right: str = ""
    names: str | None = None

    def replaced(self, old: str, new: str) -> Entry:
        """This entry with its leading ``old`` (the authors) replaced by ``new``."""
        entry = Entry(self.replace(old, new, 1))
        entry.left, entry.names = self.left, self.names
        entry.right = self.right.replace(old, new, 1) if self.right else ""
        return entry


#: The only markup a formatted entry holds: the font styles citeproc-py applies, as its HTML
#: and rST formatters write them (Markdown: CommonMark emphasis, HTML for the rest); a
#: style's "light" or "underline" prints as plain text where the output has no such markup.
MARKUP: dict[str, dict[str, tuple[str, str]]] = {
    "text": {},
    "html": {
        "italic": ("<i>", "</i>"),
        "bold": ("<b>", "</b>"),
        "underline": ("<u>", "</u>"),
        "superscript": ("<sup>", "</sup>"),
        "subscript": ("<sub>", "</sub>"),
        "small-caps": ('<span style="font-variant:small-caps;">', "</span>"),
    },
    "markdown": {
        "italic": ("*", "*"),
        "bold": ("**", "**"),
        "superscript": ("<sup>", "</sup>"),
        "subscript": ("<sub>", "</sub>"),
        "small-caps": ('<span style="font-variant:small-caps">', "</span>"),
    },
    "rst": {
        "italic": (":emphasis:`", "`"),
        "bold": (":strong:`", "`"),
        "superscript": (":superscript:`", "`"),
        "subscript": (":subscript:`", "`"),
    },
}

#: How each output escapes text, the record's and the style's alike (``:`` and ``@`` stand for
#: the marked ones only: a URI scheme's colon and an e-mail address's at sign).
ESCAPES: dict[str, dict[str, str]] = {
    "text": {},
    "html": {"<": "&lt;", ">": "&gt;", "&": "&amp;"},
    "markdown": {c: "\\" + c for c in "<>*_`[]\\#|~:@"} | {"&": "&amp;"},
    "rst": {c: "\\" + c for c in "*_`|\\:@"},
}

#: Record text at the start of a line that Markdown (CommonMark 0.31: list items, §5.2-5.3)
#: or rST (docutils: bullet and enumerated lists, field lists, explicit markup ``..``,
#: doctest blocks, line blocks: all start with punctuation or an enumerator) would read as
#: the start of a block; its last character gets a backslash.
_BLOCK_START = {
    "markdown": re.compile(r"\d{0,9}[.)](?=\s|$)|[-+](?=\s|$)"),
    "rst": re.compile(r"[!-/:-@\[\]-`{-~]|(?:\d+|[A-Za-z]|[ivxlcdmIVXLCDM]+)[.)](?=\s|$)"),
}

#: an entry that starts with the formatter's own role (its text cannot open a block)
_STYLE_ROLE = re.compile(r":(?:emphasis|strong|superscript|subscript):`")


#: a role citeproc-py's rST formatter writes (record text in it has its backticks escaped)
_ROLE = re.compile(r":(?:emphasis|strong|superscript|subscript):`(?:[^`\\]|\\.)*`")


def _separate_roles(text: str) -> str:
    """rST text whose roles docutils recognises: inline markup must follow whitespace or
    an opening/dash/other punctuation and be followed by whitespace or closing/dash/other
    punctuation (docutils "Inline markup recognition rules"); APA's italic volume before
    "(3)" broke that. An escaped space, which docutils removes, separates them."""
    out, last = [], 0
    for m in _ROLE.finditer(text):
        start, end = m.span()
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        out.append(text[last:start])
        if not _may_open(before):
            out.append("\\ ")
        out.append(m[0])
        if not _may_close(after):
            out.append("\\ ")
        last = end
    out.append(text[last:])
    return "".join(out)


_CLOSERS = ("Pe", "Pi", "Pf", "Pd", "Po")


def _may_open(c: str) -> bool:
    """docutils: inline markup may follow whitespace, one of ``- : / ' " < ( [ {``, or
    similar non-ASCII punctuation (a "." before ``:strong:`` made a title reference)."""
    if c.isspace() or c in "-:/'\"<([{":
        return True
    return not c.isascii() and unicodedata.category(c) in ("Ps", "Pi", "Pf", "Pd", "Po")


def _may_close(c: str) -> bool:
    """docutils: inline markup may precede whitespace, one of ``- . , : ; ! ? / ' " ) ] } >``
    or similar non-ASCII punctuation (the backslash is not: it would escape the space)."""
    if c.isspace() or c in "-.,:;!?/'\")]}>":
        return True
    return not c.isascii() and unicodedata.category(c) in _CLOSERS


def guard_start(entry: Entry, output: str) -> Entry | None:
    """The entry as a paragraph of its output: in rST its roles separated from the text around
    them and a closing "::" escaped (it would make the next entry a literal block); in both
    rST and Markdown a block marker at its start escaped (a title "1984. A novel" is not an
    ordered list), or at the start of its right column (the style's number in the left one
    makes a list item of the rest).

    None for an entry the style renders empty (APA and Chicago leave personal communications
    out of the reference list): citeproc-js leaves it out of the bibliography, where it was a
    blank line or an empty ``<div>``; the writer warns that the style prints nothing."""
    if not entry.strip():
        return None
    if output == "rst" and ":`" in entry:
        separated = Entry(_separate_roles(entry))
        separated.names = entry.names
        if entry.left:
            separated.left, separated.right = entry.left, _separate_roles(entry.right)
        entry = separated
    if output == "rst" and entry.endswith("::"):  # would make the next entry a literal block
        entry = entry.replaced(entry, entry[:-1] + "\\:")
    pattern = _BLOCK_START.get(output)
    if pattern is None:
        return entry
    # with a left column the right one starts where a list item's text would ("2. - E.")
    start = entry.right if entry.left else str(entry)
    m = None if _STYLE_ROLE.match(start) else pattern.match(start)
    if m:
        cut = m.end() - 1
        entry = entry.replaced(start, start[:cut] + "\\" + start[cut:])
    return entry
