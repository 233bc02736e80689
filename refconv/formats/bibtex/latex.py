"""Making text safe for BibTeX and LaTeX, and protecting title capitals.

BibTeX counts braces without regard to backslashes, so an escaped ``\\}`` still closes a field.
Literal braces are therefore written as ``\\{``/``\\}`` only when the input's braces balance,
and as ``\\textbraceleft{}``/``\\textbraceright{}`` otherwise: either way the braces BibTeX sees
balance, and no input can end a field, start an entry or run a command.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING

from refconv.model import Record
from refconv.notes import CustomKey, Reduce, note_line, parse_note_line, restore
from refconv.values.richtext import RichNode, parse_rich_text

if TYPE_CHECKING:
    from pylatexenc.latexencode import UnicodeToLatexEncoder

_SPECIALS = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
#: Control characters and line separators have no printed form and TeX does not take them as
#: text: DEL is an invalid character (TeX stops), ^^L an \outer \par, ^^@ is ignored, U+2028
#: is "not set up" in pdflatex. Each is written as a space, as BibTeX itself writes a newline.
TEX_CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029"
_SPECIAL_CHARS = re.compile(f"[\\\\&%$#_~^{{}}{TEX_CONTROLS}]")
_UNESCAPE = re.compile(
    r"\{\\(?:(?:textbackslash|textasciitilde|textasciicircum|textbraceleft|textbraceright)\\/"
    r"|[&%$#_])\}"
    r"|\\textbackslash\{\}|\\textasciitilde\{\}|\\textasciicircum\{\}|\\textbraceleft\{\}"
    r"|\\textbraceright\{\}|\\[&%$#_{}]|\{@\}"
)
_UNESCAPES = {v: k for k, v in _SPECIALS.items()} | {
    r"\{": "{",
    r"\}": "}",
    r"\textbraceleft{}": "{",
    r"\textbraceright{}": "}",
    "{@}": "@",  # "@" first on a line, which the BibTeX writer braces
}
_UNESCAPES |= {
    "{" + k.removesuffix("{}") + ("\\/" if k.endswith("{}") else "") + "}": v
    for k, v in _UNESCAPES.items()
    if "\\" in k
}
_WORD = re.compile(r"[^\W_][\w'’.]*", re.UNICODE)
_LIGATURE = re.compile(r"-(?=-)|`(?=`)|'(?=')|[!?](?=`)")
_LIGATURE_GROUP = re.compile(r"(?<=[-`'!?])\{\}(?=[-`'])")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def braces_balance(text: str) -> bool:
    """True when every ``}`` closes a ``{`` and all close, as bibtex counts them."""
    if "{" not in text and "}" not in text:  # most values: no walk through them
        return True
    depth = 0
    for ch in text:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


_AS_SPACE = {c: " " for c in map(chr, range(0xA0)) if re.match(f"[{TEX_CONTROLS}]", c)}
_BALANCED = _SPECIALS | _AS_SPACE | {"{": r"\{", "}": r"\}", "\u2028": " ", "\u2029": " "}
_UNBALANCED = _BALANCED | {"{": r"\textbraceleft{}", "}": r"\textbraceright{}"}


def escape(text: str, *, balanced: bool | None = None, ligatures: bool = True) -> str:
    """Escape the LaTeX specials ``\\ & % $ # _ ~ ^ { }`` so that ``text`` prints as itself;
    control characters and line separators (but tab and newline) become spaces. With
    ``ligatures``, TeX's input ligatures (``--``, ``---``, two backquotes or quotes, ``!```
    and ``?```) are broken by an empty group, so they print and read back as typed (biber and
    refconv's reader make ``--`` an en dash; a page range wants it, and says so).

    ``balanced`` says whether the braces of the whole value balance (computed from ``text``
    when None); a fragment of a value must be told.
    """
    if _SPECIAL_CHARS.search(text):
        whole = braces_balance(text) if balanced is None else balanced
        table = _BALANCED if whole else _UNBALANCED
        text = _SPECIAL_CHARS.sub(lambda m: table[m[0]], text)
    if ligatures and _LIGATURE.search(text):  # "a--b" stays two hyphens: "a-{}-b"
        text = _LIGATURE.sub(r"\g<0>{}", text)
    return text


#: Each escape as one BibTeX "special character": a brace group at depth 1 that starts with a
#: backslash, which ``text.prefix$``, ``purify$`` and name splitting take as one character
#: (btxhak, "special characters"). alpha.bst's label takes the first three characters of a
#: name, which would otherwise cut ``\\%`` in half; braces are always the unbalanced form,
#: as a name part is a fragment whose braces must balance on their own. A word macro ends in
#: the italic correction ``\\/`` (no effect upright): biber's name initials of a part that
#: starts with ``{\\textbackslash}`` come out with a brace too many ("Extra }"), of
#: ``{\\textbackslash\\/}`` balanced.
_AS_SPECIAL = (
    {
        c: "{" + v.removesuffix("{}") + ("\\/" if v[1:].removesuffix("{}").isalpha() else "") + "}"
        for c, v in (_SPECIALS | {"{": r"\textbraceleft", "}": r"\textbraceright"}).items()
    }
    | _AS_SPACE
    | {"\u2028": " ", "\u2029": " "}
)


def escape_special(text: str) -> str:
    """Like ``escape``, each escape braced as one BibTeX special character (for names)."""
    if _SPECIAL_CHARS.search(text):
        text = _SPECIAL_CHARS.sub(lambda m: _AS_SPECIAL[m[0]], text)
    return _LIGATURE.sub(r"\g<0>{}", text) if _LIGATURE.search(text) else text


def sort_key_field(key: str) -> str | None:
    """The ``key`` field for an entry without author whose citation key starts with a TeX
    special (``_``): alpha.bst and plainnat then make the label from the key's first three
    characters, copied raw into ``\\bibitem[...]`` ("Missing $"); the ``key`` field, which
    they use first (btxdoc §3.2), holds the same three characters escaped as special
    characters, so every label looks as before and is safe. None when no field is needed."""
    prefix = key[:3]
    return escape_special(prefix) if escape_special(prefix) != prefix else None


def unescape(text: str) -> str:
    """Invert ``escape`` (used by tests and readers of our own output)."""
    if "{}" in text:  # the empty groups that break TeX's input ligatures (``a-{}-b``)
        text = _LIGATURE_GROUP.sub("", text)
    return _UNESCAPE.sub(lambda m: _UNESCAPES[m[0]], text)


#: Code points whose pylatexenc form uses a macro that a plain ``article`` with the kernel's
#: defaults and ``fontenc`` T1 does not define or cannot typeset in text (``\\nobreakdash``
#: is amsmath's, ``\\cyrchar`` needs T2A, ``\\mathbb`` amssymb, ``\\flat`` math mode). Found by
#: typesetting the encoder's form of every BMP character once (tests/test_tex_safety.py keeps
#: checking it); ranges are inclusive.
_NO_KERNEL_FORM: tuple[int | tuple[int, int], ...] = (
    0x0149,
    0x0195,
    0x019E,
    0x0259,
    0x025B,
    0x0278,
    0x0294,
    0x029E,
    0x0344,
    0x0390,
    0x03D2,
    0x03F0,
    0x03F6,
    (0x0400, 0x0482),
    (0x0488, 0x0489),
    (0x048C, 0x04C8),
    (0x04CB, 0x04CE),
    (0x04D0, 0x04E9),
    (0x04EC, 0x04FF),
    0x1FD3,
    0x2011,
    0x2035,
    0x2102,
    (0x210B, 0x210D),
    (0x2110, 0x2112),
    0x2115,
    (0x2119, 0x211D),
    0x2124,
    0x2128,
    (0x212C, 0x212D),
    (0x2130, 0x2131),
    0x2133,
    (0x2136, 0x2138),
    (0x2153, 0x215E),
    (0x219A, 0x219E),
    0x21A0,
    (0x21A2, 0x21A3),
    (0x21AB, 0x21AE),
    (0x21B0, 0x21B1),
    (0x21B6, 0x21B7),
    (0x21BA, 0x21BB),
    (0x21BE, 0x21BF),
    (0x21C2, 0x21CB),
    (0x21CD, 0x21CF),
    (0x21DA, 0x21DB),
    0x21DD,
    0x21F5,
    0x2201,
    (0x2204, 0x2205),
    0x220E,
    0x2214,
    0x2216,
    0x221F,
    (0x2221, 0x2222),
    0x2224,
    0x2226,
    (0x222C, 0x222D),
    (0x222F, 0x2231),
    (0x2234, 0x2235),
    0x223B,
    (0x223D, 0x223E),
    0x2246,
    (0x224A, 0x224C),
    (0x224E, 0x224F),
    (0x2251, 0x2253),
    (0x2256, 0x2257),
    0x2259,
    (0x225B, 0x225C),
    (0x2266, 0x2269),
    0x226C,
    (0x226E, 0x2279),
    (0x227E, 0x2281),
    (0x2288, 0x228B),
    (0x228F, 0x2290),
    (0x229A, 0x229B),
    (0x229D, 0x22A1),
    (0x22A7, 0x22AF),
    (0x22B2, 0x22BB),
    0x22BE,
    0x22C7,
    (0x22C9, 0x22D4),
    (0x22D6, 0x22DB),
    (0x22DE, 0x22DF),
    (0x22E6, 0x22ED),
    0x22F0,
    (0x2305, 0x2306),
    0x2315,
    (0x231C, 0x231F),
    (0x25A0, 0x25A1),
    0x25AA,
    (0x25B4, 0x25B5),
    0x25B8,
    (0x25BE, 0x25BF),
    0x25C2,
    0x25CA,
    0x2669,
    (0x266D, 0x266F),
    0x27FF,
    0x29EB,
    0x2A0F,
    0x2A16,
    (0x2A7D, 0x2A7E),
    (0x2A85, 0x2A8C),
    (0x2A95, 0x2A96),
    (0x2AB5, 0x2ABA),
    (0x2AC5, 0x2AC6),
    (0x2ACB, 0x2ACC),
)
#: Plain-text forms for some of them (NFKD's compatibility form, where that is ASCII once the
#: fraction slash and the hyphen are): U+2011 → ``-``, U+2153 → ``1/3``.
_PLAIN = str.maketrans({"\u2044": "/", "\u2010": "-"})


def _no_kernel_form(code: int) -> bool:
    for item in _NO_KERNEL_FORM:
        low, high = item if isinstance(item, tuple) else (item, item)
        if low <= code <= high:
            return True
    return False


#: Math alphabets a plain ``article`` lacks (amssymb's ``\\mathbb`` and ``\\mathfrak``,
#: mathrsfs' ``\\mathscr``, amsmath's ``\\boldsymbol``): pylatexenc's forms of U+1D400..
#: use them (``_NO_KERNEL_FORM`` covers the BMP only). ``--latex`` writes such a character's
#: NFKD form (𝔸 → A, as ℂ → C); the UTF-8 output keeps it as it is.
_PACKAGE_MATH = re.compile(r"\\(?:mathbb|mathfrak|mathscr|boldsymbol)\b")


@lru_cache(maxsize=4096)
def _char_to_latex(char: str) -> str:
    """The LaTeX form of one character; one that needs a package is written as plain text
    when it has an ASCII compatibility form, else kept as it is (as CJK is)."""
    latex: str = "" if _no_kernel_form(ord(char)) else _encoder().unicode_to_latex(char)
    if not latex or _PACKAGE_MATH.search(latex):  # (U+1D538 was amssymb's \mathbb{A})
        plain = unicodedata.normalize("NFKD", char).translate(_PLAIN)
        return plain if plain.isascii() and plain.isprintable() else char
    return latex


@lru_cache(maxsize=1)
def _encoder() -> UnicodeToLatexEncoder:
    """pylatexenc's encoder, built once; imported only when --latex is used."""
    from pylatexenc.latexencode import UnicodeToLatexEncoder

    return UnicodeToLatexEncoder(
        non_ascii_only=True,
        replacement_latex_protection="braces-all",
        unknown_char_policy="keep",
        unknown_char_warning=False,
    )


def to_latex_ascii(text: str) -> str:
    """Replace non-ASCII characters by braced LaTeX macros (``é`` → ``{\\'e}``, ``ł`` → ``{\\l}``).

    The braced form is the one BibTeX treats as one "special character" when it splits,
    abbreviates and sorts names. Characters with no LaTeX form (CJK), or none a plain
    ``article`` defines (Cyrillic, most math), are kept; U+2011 is written ``-``.
    """
    return _NON_ASCII.sub(lambda m: _char_to_latex(m[0]), text)


#: Blocks of characters that pdfLaTeX's UTF-8 input (the kernel's ``utf8`` with T1 and TS1)
#: does not set up but that have a math form: Greek and Coptic, super- and subscripts,
#: letterlike symbols, arrows, mathematical operators and symbols, and the mathematical
#: alphanumerics (Unicode blocks; "Unicode character α (U+03B1) not set up" otherwise).
MATH_BLOCKS = (
    (0x0370, 0x03FF),
    (0x2070, 0x209F),
    (0x2100, 0x214F),
    (0x2190, 0x21FF),
    (0x2200, 0x22FF),
    (0x27C0, 0x27EF),
    (0x2980, 0x2AFF),
    (0x1D400, 0x1D7FF),
)
_MATH_CHAR = re.compile(
    "[" + "".join(f"\\U{low:08x}-\\U{high:08x}" for low, high in MATH_BLOCKS) + "]"
)


@lru_cache(maxsize=4096)
def _math_form(char: str) -> str:
    """The math form of ``char`` (``{\\ensuremath{\\alpha}}``) when pylatexenc has one that a
    plain ``article`` typesets (``_char_to_latex``), a super- or subscript as
    ``\\textsuperscript``/``\\textsubscript`` of its base (kernel commands), when refconv's
    reader decodes it back to ``char``; else ``char`` itself, as before."""
    kind, _, base = unicodedata.decomposition(char).partition(" ")
    base = "".join(chr(int(c, 16)) for c in base.split()).replace("\u2212", "-")
    if kind in ("<super>", "<sub>") and base.isascii() and escape(base) == base:
        form = "{\\text" + kind[1:-1] + "script{" + base + "}}"  # ² is \textsuperscript{2}
    else:
        form = _char_to_latex(char)
        if "\\ensuremath" not in form or _PACKAGE_MATH.search(form):
            return char
    from refconv.formats.bibtex.decode import decode_latex  # decode imports this module

    return form if decode_latex(form) == char else char


def math_to_latex(text: str) -> str:
    """``text`` (escaped) with the characters of ``MATH_BLOCKS`` that have a math form written
    as that form (``α`` → ``{\\ensuremath{\\alpha}}``, ``𝐏`` → ``{\\ensuremath{\\mathbf{P}}}``),
    braced as one BibTeX special character; other scripts stay UTF-8 (issue 16)."""
    return _MATH_CHAR.sub(lambda m: _math_form(m[0]), text) if not text.isascii() else text


def _needs_protection(word: str, first: bool, sentence_case: bool) -> bool:
    rest = word[1:]
    if rest.islower():  # no capital after the first letter (the common word): no generators
        if word[0].isupper() and any(c.isdigit() for c in rest):
            return True  # Covid19
    elif any(c.isupper() for c in rest) or (
        any(c.isdigit() for c in rest) and any(c.isupper() for c in word)
    ):
        return True  # acronyms and mixed case: DNA, HER2, iPhone, LaTeX
    return sentence_case and not first and word[:1].isupper()  # proper nouns: Zostera


def protect_title(title: str, *, whole: bool = False) -> str:
    """Escape a title and brace what a lower-casing style must not touch.

    Acronyms and mixed-case words are always braced (``{HER2}``). In a sentence-case title
    (most words lower case) capitalised words after the first are proper nouns and are braced
    too; in a title-case title they are not. ``whole`` braces the entire title (used for
    non-English titles, which styles must never re-case). CSL rich text is written as LaTeX
    (``rich_text``); the words of a nocase span are braced once, as a whole.
    """
    tree = parse_rich_text(title)
    plain = title if tree is None else _plain(tree)
    balanced = braces_balance(plain)
    if whole:
        inner = (
            escape(title, balanced=balanced)
            if tree is None
            else _render(tree, lambda t: escape(t, balanced=balanced))
        )
        # "{\textit..." would be one BibTeX special character, whose letters styles re-case
        return "{" + ("{}" if inner.startswith("\\") else "") + inner + "}"
    words = _WORD.findall(plain)
    # Title case: every longer word capitalised. Otherwise the title is in sentence case, and
    # a capital after the first word marks a proper noun.
    sentence_case = any(w[:1].islower() for w in words[1:] if len(w) > 3)
    seen = [0]  # words so far: only the title's first word is exempt

    def protect(text: str) -> str:
        # a text with no special character and no ligature has none in any piece of it
        # either: its words and gaps need no escape (most titles)
        verbatim = _SPECIAL_CHARS.search(text) is None and _LIGATURE.search(text) is None
        out: list[str] = []
        position = 0
        for match in _WORD.finditer(text):
            gap, word = text[position : match.start()], match[0]
            if not verbatim:
                gap, word = escape(gap, balanced=balanced), escape(word, balanced=balanced)
            out.append(gap)
            needs = _needs_protection(match[0], seen[0] == 0, sentence_case)
            out.append("{" + word + "}" if needs else word)
            seen[0] += 1
            position = match.end()
        out.append(text[position:] if verbatim else escape(text[position:], balanced=balanced))
        return "".join(out)

    if tree is None:
        return protect(title)
    return _render(tree, protect, lambda t: escape(t, balanced=balanced))


# CSL rich text as the LaTeX that prints the same (the tree: ``parse_rich_text``).
#: element → (LaTeX before, after).
RICH_TEXT_LATEX = {
    "i": ("\\textit{", "}"),
    "b": ("\\textbf{", "}"),
    "sup": ("\\textsuperscript{", "}"),
    "sub": ("\\textsubscript{", "}"),
    "nocase": ("{", "}"),
    "smallcaps": ("\\textsc{", "}"),
}


def _plain(tree: list[RichNode]) -> str:
    return "".join(n if isinstance(n, str) else _plain(n[1]) for n in tree)


def _render(
    tree: list[RichNode], leaf: Callable[[str], str], nocase: Callable[[str], str] | None = None
) -> str:
    """LaTeX of a rich-text tree: ``leaf`` writes plain text; inside a nocase span
    ``nocase`` does (a title's words need no braces of their own there)."""
    out: list[str] = []
    for node in tree:
        if isinstance(node, str):
            out.append(leaf(node))
        else:
            before, after = RICH_TEXT_LATEX[node[0]]
            inner = nocase if node[0] == "nocase" and nocase is not None else leaf
            out.append(before + _render(node[1], inner, nocase) + after)
    return "".join(out)


def rich_text(value: str) -> str:
    """``value`` escaped (``escape``), its well-formed CSL rich text as LaTeX:
    ``<i>E. coli</i>`` → ``\\textit{E. coli}``, a nocase span → ``{DNA}``."""
    tree = parse_rich_text(value)
    if tree is None:
        return escape(value)
    balanced = braces_balance(_plain(tree))
    return _render(tree, lambda text: escape(text, balanced=balanced))


#: The field of a BibTeX entry for values with no field of their own (refconv's bookkeeping):
#: no style or biber prints or warns about a field it does not know.
KEPT_FIELD = "refconv"
_KEPT_SEPARATOR = re.compile(r"(?<!\\); ")


def join_kept(lines: list[str]) -> str:
    """The ``KEPT_FIELD`` value of ``note_line`` lines: each escaped (``escape``, no other
    change: it is read back exactly, never printed), ``;`` as ``\\;``, joined by ``; ``."""
    return "; ".join(escape(line, ligatures=False).replace(";", "\\;") for line in lines)


def split_kept(value: str) -> list[str]:
    """The lines of a ``KEPT_FIELD`` value, exactly as ``join_kept`` was given them."""
    return [unescape(p.replace("\\;", ";")) for p in _KEPT_SEPARATOR.split(value)]


_QUOTED_KEY = re.compile(r'"([^"\n]+)": (.*)', re.DOTALL)


def kept_line(key: str, value: str) -> str:
    """A ``KEPT_FIELD`` line: ``note_line``'s ``key: value``, or ``"key": value`` for an
    extra whose key ``parse_note_line`` does not read (``@preamble``, ``my key``)."""
    line = note_line(key, value)
    if (
        parse_note_line(line) is None
        and isinstance(key, CustomKey)
        and _QUOTED_KEY.fullmatch(f'"{key}": {value}')
    ):
        return f'"{key}": {value}'
    return line


def read_kept(record: Record, value: str, reduce: Reduce | None = None) -> list[str]:
    """Put the values of a ``KEPT_FIELD`` value back into ``record`` (``refconv.notes.restore``;
    a quoted key as that extra); return the lines that do not go back, for the reader to keep
    with a warning. Every line is tried: the field holds only refconv's lines."""
    left: list[str] = []
    for line in split_kept(value):
        keyed = parse_note_line(line)
        if keyed is None and (quoted := _QUOTED_KEY.fullmatch(line.strip())):
            keyed = CustomKey(quoted[1]), quoted[2]
        if keyed is None or not restore(record, *keyed, reduce=reduce):
            left.append(line)
    return left


# URLs and DOIs. They cannot be escaped like text: url.sty and hyperref read ``\url`` verbatim
# and biber passes ``url``/``doi`` through untouched, yet plainnat without url.sty defines
# ``\url{#1}`` as ``\texttt{#1}`` and ``\doi{#1}`` as plain text, where every TeX special is
# live (``\input``, ``^^5c`` for a backslash, ``%`` commenting out the rest of the .bbl line).
# So a URL keeps only characters that are ordinary in every one of these readings.

#: Printable ASCII allowed in a URI (RFC 3986 §2: unreserved, reserved and "%") that TeX
#: (plain LaTeX catcodes) treats as ordinary. Babel shorthands (``:;!?`` in French) only
#: change spacing, and encoding a reserved character would change the URI (RFC 3986 §2.2).
_URI_ORDINARY = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-./:?@[]!'()*+,;="
)
#: Reserved or unreserved URI characters that are TeX specials but whose backslash escape
#: prints the character under a plain-macro ``\url``/``\doi`` and that hyperref's ``\url``
#: turns back into the character (its ``\hyper@normalise`` maps ``\% \# \& \_``).
_URI_TEX_ESCAPED = frozenset("%#&_")


def _percent(char: str) -> str:
    return "".join(f"%{byte:02X}" for byte in char.encode("utf-8", "surrogatepass"))


@lru_cache(maxsize=256)
def _url_char(char: str, biber: bool) -> str:
    if char in _URI_ORDINARY:
        return char
    if char in _URI_TEX_ESCAPED:
        return char if biber else "\\" + char
    if biber and char in "~$":
        return char
    encoded = _percent(char)
    return encoded if biber else encoded.replace("%", "\\%")


def escape_url(url: str, *, biber: bool = False) -> str:
    """A URL written so that no TeX reading of it runs anything; it stays the same URL.

    Percent-encoded as UTF-8 (RFC 3986 §2.1, RFC 3987 §3.1): characters a URI may not hold
    (controls, space, non-ASCII, ``" < > \\ ^ { } |`` and the backtick), ``~`` (unreserved,
    so ``%7E`` is the same URI, RFC 3986 §2.3; a bare ``~`` is a TeX active character) and
    ``$`` (hyperref's ``\\url`` loops on ``\\$``). ``% # & _`` are written ``\\% \\# \\& \\_``:
    encoding them would change the URI, and the escape prints the character both under
    plainnat's ``\\texttt`` fallback and under hyperref. With url.sty alone the backslash
    shows: url.sty prints its argument verbatim. ``biber=True`` is for BibLaTeX, whose
    ``url`` biber copies verbatim into a line-delimited ``\\verb`` of the .bbl: there only
    what is not a URI character is encoded and ``% # & _ ~ $`` stay as they are.
    """
    if all(c in _URI_ORDINARY for c in url):
        return url
    return "".join(_url_char(c, biber) for c in url)


#: RFC 3986 §2.2 reserved characters: percent-encoding one makes another URI.
_URI_RESERVED = frozenset(":/?#[]@!$&'()*+,;=")


def url_changes(url: str, *, biber: bool = False) -> str:
    """The reserved characters of ``url`` that ``escape_url`` has to percent-encode (``$`` for
    bibtex(1): no spelling of it is inert under plainnat's ``\\texttt`` and prints ``$``
    under url.sty and hyperref), so that the written URL is not the same URI; "" if none."""
    return "".join(
        sorted(
            {c for c in url if c in _URI_RESERVED and _url_char(c, biber).lstrip("\\")[:1] == "%"}
        )
    )


#: DOI characters that cannot be written so that every consumer prints them and none runs
#: them: no escape is right for an identifier (a DOI is not a URI; ``%7E`` is another DOI).
_DOI_IMPOSSIBLE = re.compile(r"[^\x21-\x7e]|[\\{}^]")
_DOI_IMPOSSIBLE_BIBTEX = re.compile(r"[^\x21-\x7e]|[\\{}^~$]")


def escape_doi(doi: str, *, biber: bool = False) -> str | None:
    """A DOI written inertly, or None when it holds a character that cannot be (keep it
    elsewhere). For bibtex(1) ``% # & _`` get a backslash (plainnat prints ``\\doi{#1}`` as
    text without url.sty); for biber (``biber=True``) the DOI is written as it is. Either way
    whitespace, controls, non-ASCII, ``\\ { } ^``, and for bibtex(1) also ``~ $``, make it
    None: TeX would read them as commands, groups, active or math characters.
    """
    if (_DOI_IMPOSSIBLE if biber else _DOI_IMPOSSIBLE_BIBTEX).search(doi):
        return None
    if biber:
        return doi
    return re.sub(r"[%#&_]", r"\\\g<0>", doi)


_VERBATIM_ESCAPE = re.compile(r"\\([%#&_])")


def unescape_verbatim(value: str) -> str:
    """Invert the backslash escapes of ``escape_url``/``escape_doi`` (``\\_`` → ``_``); the
    percent-escapes stay, as a URL with ``%7E`` is the same URL as with ``~``."""
    return _VERBATIM_ESCAPE.sub(r"\1", value) if "\\" in value else value
