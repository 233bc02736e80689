"""Making text safe for BibTeX and LaTeX, and protecting title capitals.

BibTeX counts braces without regard to backslashes, so an escaped ``\\}`` still closes a field.
Literal braces are therefore written as ``\\{``/``\\}`` only when the input's braces balance,
and as ``\\textbraceleft{}``/``\\textbraceright{}`` otherwise: either way the braces BibTeX sees
balance, and no input can end a field, start an entry or run a command.
"""

from __future__ import annotations

import re
from functools import lru_cache

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
_SPECIAL_CHARS = re.compile(r"[\\&%$#_~^{}]")
_UNESCAPE = re.compile(
    r"\\textbackslash\{\}|\\textasciitilde\{\}|\\textasciicircum\{\}|\\textbraceleft\{\}"
    r"|\\textbraceright\{\}|\\[&%$#_{}]|\{@\}"
)
_UNESCAPES = {v: k for k, v in _SPECIALS.items()} | {
    r"\{": "{",
    r"\}": "}",
    r"\textbraceleft{}": "{",
    r"\textbraceright{}": "}",
    "{@}": "@",  # "@" first on a line, which the BibTeX writer braces
}
_WORD = re.compile(r"[^\W_][\w'’.]*", re.UNICODE)
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _braces_balance(text: str) -> bool:
    depth = 0
    for ch in text:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


_BALANCED = _SPECIALS | {"{": r"\{", "}": r"\}"}
_UNBALANCED = _SPECIALS | {"{": r"\textbraceleft{}", "}": r"\textbraceright{}"}


def escape(text: str, *, balanced: bool | None = None) -> str:
    """Escape the LaTeX specials ``\\ & % $ # _ ~ ^ { }`` so that ``text`` prints as itself.

    ``balanced`` says whether the braces of the whole value balance (computed from ``text``
    when None); a fragment of a value must be told.
    """
    if not _SPECIAL_CHARS.search(text):
        return text
    table = _BALANCED if (_braces_balance(text) if balanced is None else balanced) else _UNBALANCED
    return _SPECIAL_CHARS.sub(lambda m: table[m[0]], text)


def unescape(text: str) -> str:
    """Invert ``escape`` (used by tests and readers of our own output)."""
    return _UNESCAPE.sub(lambda m: _UNESCAPES[m[0]], text)


@lru_cache(maxsize=4096)
def _char_to_latex(char: str) -> str:
    from pylatexenc.latexencode import UnicodeToLatexEncoder  # only when --latex is used

    encoder = _encoder(UnicodeToLatexEncoder)
    return encoder.unicode_to_latex(char)


@lru_cache(maxsize=1)
def _encoder(cls):
    return cls(
        non_ascii_only=True,
        replacement_latex_protection="braces-all",
        unknown_char_policy="keep",
        unknown_char_warning=False,
    )


def to_latex_ascii(text: str) -> str:
    """Replace non-ASCII characters by braced LaTeX macros (``é`` → ``{\\'e}``, ``ł`` → ``{\\l}``).

    The braced form is the one BibTeX treats as one "special character" when it splits,
    abbreviates and sorts names. Characters with no LaTeX form (CJK) are kept.
    """
    return _NON_ASCII.sub(lambda m: _char_to_latex(m[0]), text)


def _needs_protection(word: str, first: bool, sentence_case: bool) -> bool:
    if any(c.isupper() for c in word[1:]) or (
        any(c.isdigit() for c in word[1:]) and any(c.isupper() for c in word)
    ):
        return True  # acronyms and mixed case: DNA, HER2, iPhone, LaTeX
    return sentence_case and not first and word[:1].isupper()  # proper nouns: Zostera


def protect_title(title: str, *, whole: bool = False) -> str:
    """Escape a title and brace what a lower-casing style must not touch.

    Acronyms and mixed-case words are always braced (``{HER2}``). In a sentence-case title
    (most words lower case) capitalised words after the first are proper nouns and are braced
    too; in a title-case title they are not. ``whole`` braces the entire title (used for
    non-English titles, which styles must never re-case).
    """
    balanced = _braces_balance(title)
    if whole:
        return "{" + escape(title, balanced=balanced) + "}"
    words = _WORD.findall(title)
    # Title case: every longer word capitalised. Otherwise the title is in sentence case, and
    # a capital after the first word marks a proper noun.
    sentence_case = any(w[:1].islower() for w in words[1:] if len(w) > 3)
    out: list[str] = []
    position = 0
    for i, match in enumerate(_WORD.finditer(title)):
        out.append(escape(title[position : match.start()], balanced=balanced))
        word = escape(match[0], balanced=balanced)
        out.append("{" + word + "}" if _needs_protection(match[0], i == 0, sentence_case) else word)
        position = match.end()
    out.append(escape(title[position:], balanced=balanced))
    return "".join(out)
