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
#: Control characters and line separators have no printed form and TeX does not take them as
#: text: DEL is an invalid character (TeX stops), ^^L an \outer \par, ^^@ is ignored, U+2028
#: is "not set up" in pdflatex. Each is written as a space, as BibTeX itself writes a newline.
TEX_CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029"
_SPECIAL_CHARS = re.compile(f"[\\\\&%$#_~^{{}}{TEX_CONTROLS}]")
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


_AS_SPACE = {c: " " for c in map(chr, range(0xA0)) if re.match(f"[{TEX_CONTROLS}]", c)}
_BALANCED = _SPECIALS | _AS_SPACE | {"{": r"\{", "}": r"\}", "\u2028": " ", "\u2029": " "}
_UNBALANCED = _BALANCED | {"{": r"\textbraceleft{}", "}": r"\textbraceright{}"}


def escape(text: str, *, balanced: bool | None = None) -> str:
    """Escape the LaTeX specials ``\\ & % $ # _ ~ ^ { }`` so that ``text`` prints as itself;
    control characters and line separators (but tab and newline) become spaces.

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
