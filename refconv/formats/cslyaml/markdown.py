"""The pandoc Markdown of CSL YAML values, both ways.

pandoc reads every string of a YAML metadata block as Markdown (pandoc manual, "Metadata
blocks"; "Citations": a bibliography in YAML is read the same way), and its citeproc turns
what it read into CSL rich text: ``*E. coli*`` is ``<i>E. coli</i>``, ``\\*`` a star,
``&amp;`` an ampersand, and whitespace runs are one space. So the writer escapes every value
(``to_markdown``: the text means literally what the record holds, its CSL rich text becomes
the Markdown that pandoc reads as the same formatting) and the reader reads them back
(``from_markdown``). Checked against pandoc 2.17 (tests/test_cslyaml_pandoc.py).

The reader takes the inline Markdown that carries CSL formatting: backslash escapes, HTML
entities, ``*emphasis*``/``_emphasis_``, ``**strong**``/``__strong__``, ``^superscript^``,
``~subscript~``, ``[...]{.smallcaps}`` and ``[...]{.nocase}`` spans, code spans and
whitespace runs. Other Markdown stays text as written: raw HTML (so CSL rich text such as
``<i>`` keeps its meaning), links, citations, math and raw TeX (pandoc drops the last two
from CSL output), and pandoc's typography (its ``smart`` extension makes ``'`` a curly
apostrophe and ``--`` a dash: refconv keeps the characters the file holds).
"""

from __future__ import annotations

import html.entities
import re

from refconv.values.richtext import RICH_DEPTH, RichNode, parse_rich_text

# --- writing ------------------------------------------------------------------------------

#: Characters pandoc's Markdown may read as markup anywhere in a line: escaped always
#: (pandoc's all_symbols_escapable: any ASCII punctuation may be escaped).
_ALWAYS = frozenset("\\`*_[]<>$^~@&\"'{}")
#: Whitespace pandoc collapses or strips (a tab, a line end): written as character
#: references, as is a space that is not one between two other characters.
_ENTITIES = {"\t": "&#9;", "\n": "&#10;", "\r": "&#13;", " ": "&#32;"}
_WHITE = frozenset(" \t\n\r")
#: Control characters (but NUL: refconv reads ``&#0;`` as U+FFFD, as it reads NUL anywhere): as
#: character references, which pandoc reads as the character wherever it stands.
_CONTROLS = frozenset(map(chr, [*range(1, 32), *range(0x7F, 0xA0)])) - _WHITE
_ASCII_ALNUM = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
_ASCII_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
#: Nothing to escape: no markup character, no dash pair, no '.' before a dot or a space but
#: after an initial (an abbreviation "Dr. X" gets a no-break space in pandoc, "..." is an
#: ellipsis), no odd whitespace, and no list marker or punctuation at the start.
_NEEDS_ESCAPE = re.compile(
    r"[\\`*_\[\]<>$^~@&\"'{}\x01-\x1f\x7f-\x9f]|--|\.\.|(?<!(?<![^ -])[A-Z])\. |  "
    r"|^[ !-/:-@\[-`{-~]|^\w+[.)](?:\s|$)| $"
)


def _abbreviation(text: str, i: int) -> bool:
    """True when the '.' at ``i`` ends a word that pandoc's ``smart`` extension may take for
    an abbreviation ("Dr. No", "p. 5", "Ph.D. w": the space after it becomes a no-break
    space): any word before white space but an initial (one capital letter alone, "J. D.")."""
    if text[i + 1] not in _WHITE:
        return False
    initial = i >= 1 and "A" <= text[i - 1] <= "Z" and (i == 1 or text[i - 2] in " -")
    return not initial


def _escape(text: str, *, start: bool, end: bool, first: bool = False, spaces: bool = False) -> str:
    """``text`` as Markdown that pandoc reads as exactly ``text``. ``start``: ``text`` starts
    a value or a formatted span (a space there is a character reference); ``end`` likewise;
    ``first``: ``text`` starts the value (punctuation and a list marker there are escaped);
    ``spaces``: every space as a character reference (inside ``^...^`` and ``~...~``, which
    hold no spaces)."""
    out: list[str] = []
    last = len(text) - 1
    word_start = first
    for i, char in enumerate(text):
        if char in _ALWAYS:
            out.append("\\" + char)
        elif char in _WHITE:
            alone = (  # a space between two characters (a leaf's ends touch delimiters)
                char == " "
                and not spaces
                and (i > 0 or not start)
                and (i < last or not end)
                and (i == 0 or text[i - 1] not in _WHITE)
                and (i == last or text[i + 1] not in _WHITE)
            )
            out.append(" " if alone else _ENTITIES[char])
        elif char in _CONTROLS:
            out.append(f"&#{ord(char)};")  # pandoc reads a C1 control first as a quote mark
        elif char == "-" and i < last and text[i + 1] == "-":
            out.append("\\-")
        elif char == "." and i < last and (text[i + 1] == "." or _abbreviation(text, i)):
            out.append("\\.")
        elif i == 0 and first and char in _ASCII_PUNCT:
            out.append("\\" + char)  # a list marker, heading, quote, table, fence...
        elif char in ".)" and word_start and (i == last or text[i + 1] in _WHITE):
            out.append("\\" + char)  # "a) first", "1984. Orwell": a list marker
        else:
            out.append(char)
        word_start = word_start and char in _ASCII_ALNUM
    return "".join(out)


#: element -> (Markdown before, after); pandoc reads each as that CSL rich text.
_MARKS = {
    "i": ("*", "*"),
    "b": ("**", "**"),
    "sup": ("^", "^"),
    "sub": ("~", "~"),
    "smallcaps": ("[", "]{.smallcaps}"),
    "nocase": ("[", "]{.nocase}"),
}


def _plain_ends(nodes: list[RichNode]) -> bool:
    """True when formatting can be written as Markdown delimiters: every element holds text
    first and last, no element nests in one of its kind, and no two elements touch (``**``
    between two emphases would be read as strong)."""
    for i, node in enumerate(nodes):
        if isinstance(node, str):
            continue
        kind, children = node
        if not children or not isinstance(children[0], str) or not isinstance(children[-1], str):
            return False
        if i and not isinstance(nodes[i - 1], str):
            return False
        if any(_holds(child, kind) for child in children) or not _plain_ends(children):
            return False
    return True


def _holds(node: RichNode, kind: str) -> bool:
    if isinstance(node, str):
        return False
    return node[0] == kind or any(_holds(child, kind) for child in node[1])


def _render(nodes: list[RichNode], top: bool = True, spaces: bool = False) -> str:
    out = []
    for i, node in enumerate(nodes):
        start, end = i == 0, i == len(nodes) - 1
        if isinstance(node, str):
            out.append(_escape(node, start=start, end=end, first=top and start, spaces=spaces))
            continue
        kind, children = node
        before, after = _MARKS[kind]
        inner = _render(children, False, spaces or kind in ("sup", "sub"))
        out.append(before + inner + after)
    return "".join(out)


def to_markdown(value: str) -> str:
    """``value`` (text with CSL rich text) as pandoc Markdown that pandoc reads back as the
    same: its characters escaped, well-formed rich text as Markdown formatting. Formatting
    Markdown cannot say without changing the text (an empty ``<i></i>``, ``<i>`` inside
    ``<i>``, two formatted spans that touch) is written as its tags, escaped: pandoc then
    reads the tags as text, as a CSL processor reads CSL-JSON."""
    if not _NEEDS_ESCAPE.search(value):
        return value
    tree = parse_rich_text(value)
    if tree is not None and _plain_ends(tree):
        written = _render(tree)
        if from_markdown(written) == value:  # the reader is the judge of every formatting
            return written
    return _escape(value, start=True, end=True, first=True)


# --- reading ------------------------------------------------------------------------------

#: CSL rich text for each kind of span.
_TAGS = {
    "i": ("<i>", "</i>"),
    "b": ("<b>", "</b>"),
    "sup": ("<sup>", "</sup>"),
    "sub": ("<sub>", "</sub>"),
    "smallcaps": ('<span style="font-variant:small-caps;">', "</span>"),
    "nocase": ('<span class="nocase">', "</span>"),
}
#: Anything that can make Markdown differ from its text.
_MARKDOWN = re.compile(r"[\\`*_\[^~&\t\n\r]|  |^ | $")
_TOKEN = re.compile(
    r"\\(?P<escaped>[!-/:-@\[-`{-~ \n])"
    r"|&(?P<entity>#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{0,31};)"
    r"|(?P<code>`+)"
    r"|(?P<delims>\*+|_+|\^|~+)"
    r"|(?P<open>\[)"
    r"|(?P<white>[ \t\n\r]+)"
)
#: Markdown other than backslash escapes.
_FORMATTING = re.compile(r"[`*_\[^~&\t\n\r]|  |^ | $|\\[ \n]")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def _unescaped(match: re.Match[str]) -> str:
    return match[1]


_SPAN_END = re.compile(r"\]\{\.(smallcaps|nocase)\}")


class _Space:
    """Whitespace as written (not a character reference): one space in the text, and what
    ends a superscript or subscript."""

    __slots__ = ()


_SPACE = _Space()


class _Delim:
    """A run of ``*``, ``_``, ``^`` or ``~`` in the token list, and what it may do."""

    __slots__ = ("char", "closes", "count", "opens")

    def __init__(self, char: str, count: int, opens: bool, closes: bool):
        self.char, self.count, self.opens, self.closes = char, count, opens, closes


_Piece = str | _Space | _Delim | tuple[str, list["_Piece"]]


def _entity(name: str) -> str:
    """The text of an HTML character reference (``#38;``, ``#x26;``, ``amp;``), as pandoc
    reads it: NUL and surrogates are U+FFFD, an unknown name or a number past U+10FFFF is
    the reference as written."""
    if name.startswith("#"):
        code = int(name[2:-1], 16) if name[1] in "xX" else int(name[1:-1])
        if code > 0x10FFFF:
            return "&" + name
        return "\ufffd" if code == 0 or 0xD800 <= code <= 0xDFFF else chr(code)
    return html.entities.html5.get(name, "&" + name)


class _Memo:
    """What a search found missing, so that it is not searched for again (each search
    would read to the end of the text: quadratic time on ``[[[[`` or ``` `a`a`a ```)."""

    __slots__ = ("no_code", "no_span_before")

    def __init__(self) -> None:
        self.no_span_before = 0  # no span starts at a '[' before this position
        self.no_code: set[int] = set()  # backtick runs of these lengths close nowhere later


def _tokens(text: str, pos: int, stop: str | None, memo: _Memo) -> tuple[list[_Piece], int]:
    """The pieces of ``text`` from ``pos``: text, delimiter runs and spans; with ``stop``
    (``]``), up to the ``]`` that closes a span (returned position after it)."""
    pieces: list[_Piece] = []
    plain: list[str] = []
    end = len(text)
    while pos < end:
        m = _TOKEN.search(text, pos)
        found = m.start() if m else end
        if stop is not None:
            close = text.find(stop, pos, found)
            if close >= 0:
                plain.append(text[pos:close])
                pieces.append("".join(plain))
                return pieces, close
        plain.append(text[pos:found])
        if m is None:
            break
        pos = m.end()
        if m["escaped"] is not None:
            char = m["escaped"]
            plain.append("\u00a0" if char == " " else char)
        elif m["entity"] is not None:
            plain.append(_entity(m["entity"]))
        elif m["code"] is not None:
            run = m["code"]
            close = -1 if len(run) in memo.no_code else text.find(run, pos)
            while close >= 0 and text[close + len(run) : close + len(run) + 1] == "`":
                close = text.find(run, close + len(run) + 1)
            if close < 0:
                memo.no_code.add(len(run))
                plain.append(run)
            else:
                code = text[pos:close]
                plain.append(code[1:-1] if code.startswith(" ") and code.endswith(" ") else code)
                pos = close + len(m["code"])
        elif m["white"] is not None:
            if m.start() and pos < end:  # pandoc strips the value's ends
                pieces.append("".join(plain))
                plain = []
                pieces.append(_SPACE)
        elif m["open"] is not None:
            inner: list[_Piece] = []
            close = -1
            if stop is None and pos >= memo.no_span_before:
                inner, close = _tokens(text, pos, "]", memo)
            span = _SPAN_END.match(text, close) if close >= 0 else None
            if span is None:  # no '[' before that ']' starts a span either
                memo.no_span_before = max(memo.no_span_before, close if close >= 0 else end)
                plain.append("[")
                continue
            pieces.append("".join(plain))
            plain = []
            pieces.append((span[1], inner))
            pos = span.end()
        else:
            run = m["delims"]
            before = text[m.start() - 1] if m.start() else " "
            after = text[pos] if pos < end else " "
            opens, closes = after not in " \t\n\r", before not in " \t\n\r"
            if run[0] == "_":  # pandoc's intraword_underscores
                opens = opens and not before.isalnum()
                closes = closes and not after.isalnum()
            pieces.append("".join(plain))
            plain = []
            pieces.append(_Delim(run[0], len(run), opens, closes))
    pieces.append("".join(plain))
    return pieces, -1


def _match(pieces: list[_Piece]) -> list[_Piece]:
    """Pair the delimiter runs (a closer with the nearest opener of its character, as
    CommonMark's delimiter stack does; strong before emphasis) into spans; the runs left
    over are text. Linear in the number of runs for input without pairs."""
    out: list[_Piece] = []
    openers: dict[str, list[int]] = {c: [] for c in "*_^~"}  # where runs that may open are
    depth: dict[int, int] = {}  # id of a span -> how deep spans nest in it
    deep = False  # spans nest RICH_DEPTH deep: no more are made (hostile input)
    for piece in pieces:
        if isinstance(piece, tuple):
            inner = _match(piece[1])
            span = (piece[0], inner)
            depth[id(span)] = 1 + max(
                (depth.get(id(p), 1) for p in inner if isinstance(p, tuple)), default=0
            )
            out.append(span)
            continue
        if not isinstance(piece, _Delim):
            out.append(piece)
            continue
        stack = openers[piece.char]
        while piece.closes and piece.count and stack and not deep:
            at = stack[-1]
            opener = out[at]
            assert isinstance(opener, _Delim)
            if piece.char in "^~" and piece.count != opener.count:
                break
            if piece.char in "^~" and any(isinstance(p, _Space) for p in out[at + 1 :]):
                stack.clear()  # a space stays between every opener left and any later closer
                break  # pandoc's superscript and subscript hold no space
            if all(p == "" for p in out[at + 1 :]):
                break  # no empty span
            use = min(opener.count, piece.count, 3)
            kind = _KIND[piece.char] if use == 1 else "b"
            inner = [_as_text(p) for p in out[at + 1 :]]
            level = 1 + max((depth.get(id(p), 1) for p in inner if isinstance(p, tuple)), default=0)
            if level + (use == 3) > RICH_DEPTH:
                deep = True
                break
            if use == 3:  # "***x***" is pandoc's Strong [Emph]
                inner, use = [("i", inner)], 3
            elif piece.char == "~" and use == 2:  # "~~x~~", pandoc's strikeout: CSL has none
                kind = "strike"
            del out[at + 1 :]
            for positions in openers.values():  # runs inside the span open nothing now
                while positions and positions[-1] > at:
                    positions.pop()
            opener.count -= use
            piece.count -= use
            span = (kind, inner)
            depth[id(span)] = level + (use == 3)
            if opener.count:
                out.append(span)
            else:
                stack.pop()
                out[at] = span
        if piece.count:
            if piece.opens:
                stack.append(len(out))
            out.append(piece)
    return out


_KIND = {"*": "i", "_": "i", "^": "sup", "~": "sub"}


def _as_text(piece: _Piece) -> _Piece:
    if isinstance(piece, _Delim):
        return piece.char * piece.count
    return piece


def _rich(pieces: list[_Piece]) -> str:
    out = []
    for piece in pieces:
        if isinstance(piece, str):
            out.append(piece)
        elif isinstance(piece, _Space):
            out.append(" ")
        elif isinstance(piece, _Delim):
            out.append(piece.char * piece.count)
        else:
            before, after = _TAGS.get(piece[0], ("", ""))
            out.append(before + _rich(piece[1]) + after)
    return "".join(out)


def from_markdown(text: str) -> str:
    """The CSL rich text pandoc reads in the Markdown ``text`` (see the module docstring for
    what is read as formatting and what stays text); leading and trailing whitespace is
    dropped and runs of it are one space, as in pandoc."""
    if not _MARKDOWN.search(text):
        return text
    if not _FORMATTING.search(text):  # escapes only: what the writer makes of most values
        return _ESCAPE.sub(_unescaped, text)
    pieces, _ = _tokens(text, 0, None, _Memo())
    return _rich(_match(pieces))
