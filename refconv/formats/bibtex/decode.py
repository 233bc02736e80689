"""LaTeX in BibTeX values to Unicode, one path for every value (issue 16 item 3).

pylatexenc parses the value and knows the accents, symbols and ligatures (``--``, ``'' ``);
refconv walks its nodes itself so that an unknown command keeps its argument and is reported,
quotes nest, math becomes Unicode only where all of it can, and braced case protection can
become CSL's ``<span class="nocase">``. Whitespace runs collapse to one space, as biber does;
a paragraph break (blank line, ``\\par``) is a line break.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from functools import lru_cache
from typing import Any

_ESCAPES = {
    r"\textbraceleft{}": "\ue000", r"\textbraceright{}": "\ue001", r"\{": "\ue000",
    r"\}": "\ue001", r"\textbackslash{}": "\ue002", r"\textasciitilde{}": "\ue003",
    r"\textasciicircum{}": "\ue004", r"\$": "\ue005", r"\&": "\ue006", r"\%": "\ue007",
    r"\#": "\ue008", r"\_": "\ue009",
}  # fmt: skip
# The same escapes braced as BibTeX special characters, as the writer puts them in names.
_ESCAPES |= {
    "{" + k.removesuffix("{}") + ("\\/" if k.endswith("{}") else "") + "}": v
    for k, v in _ESCAPES.items()
    if len(k) > 2
}
_ESCAPES[r"{\symbol{44}}"] = ","  # the writer's comma in a name part
# An accent on nothing prints the accent itself (LaTeX's usual way to write ^ and ~).
_ESCAPES[r"\^{}"] = "\ue004"
_ESCAPES[r"\~{}"] = "\ue003"
# Placeholders until the walk is done: a bare % would start a LaTeX comment (and lose the rest
# of the value), a bare & is an alignment tab for pylatexenc; both are text in a BibTeX value.
_BARE = str.maketrans({"%": "\ue007", "&": "\ue006"})
_RESTORE = str.maketrans({"\ue000": "{", "\ue001": "}", "\ue002": "\\", "\ue003": "~",
                          "\ue004": "^", "\ue005": "$", "\ue006": "&", "\ue007": "%",
                          "\ue008": "#", "\ue009": "_"})  # fmt: skip
_ESCAPE_RE = re.compile("|".join(re.escape(e) for e in sorted(_ESCAPES, key=len, reverse=True)))

#: CSL rich text (citeproc-js reads it in every string variable); placeholders during the walk.
NOCASE_OPEN, NOCASE_CLOSE = '<span class="nocase">', "</span>"
_OPEN, _CLOSE = "\ue010", "\ue011"
# citeproc-js reads <i>, <b>, <sup>, <sub>, <sc>, <span ...> as markup and prints entities such
# as &lt; as they are: a text "<" that starts a tag is wrapped in its own nocase span instead.
_TAG_START = re.compile(r"<(?=[A-Za-z/])")

_SPACES = re.compile(r"[ \t\n\r\f\v]+")  # ASCII whitespace only: ~'s no-break space stays
_LINE_BREAK = re.compile(r"[ \t\r\f\v]*\n[ \t\n\r\f\v]*")
_PARAGRAPH = re.compile(r"[ \t\r\f\v]*\n[ \t\r\f\v]*\n[ \t\n\r\f\v]*")

# Commands pylatexenc's text rules do not know (or print a placeholder for, like \cite's
# "<cit.>"), from the biblatex manual §3.13 and LaTeX's font commands: what each prints.
_SYMBOLS = {"TeX": "TeX", "LaTeX": "LaTeX", "LaTeXe": "LaTeX2ε", "BibTeX": "BibTeX",
            "slash": "/", "hyphen": "-", "textendash": "–", "textemdash": "—",
            "mkbibellipsis": "…", "bibrangedash": "–", "par": "\n\n"}  # fmt: skip
# Font and box commands whose argument is their text.
_KEEP_ARGS = {"mkbibemph": "{", "mkbibitalic": "{", "mkbibbold": "{", "mkbibacro": "{",
              "textsc": "{", "textup": "{", "textsl": "{", "textmd": "{", "textnormal": "{",
              "textsf": "{", "texttt": "{", "mbox": "{", "hbox": "{", "textsubscript": "{",
              "textsuperscript": "{", "mkbibsuperscript": "{", "mkbibsubscript": "{",
              "MakeUppercase": "{", "MakeLowercase": "{", "uppercase": "{", "lowercase": "{",
              "nocite": "{"}  # fmt: skip
# Sorts but prints nothing (the usual @preamble definition; issue 16 item 4).
_DISCARD_ARGS = {"noopsort": "{"}
# Known to pylatexenc but not text of a value: it reads \input's file, prints today's date.
_NOT_TEXT = frozenset({"input", "include", "today"})
# Font switches: no argument, no text.
_SWITCHES = ("em", "it", "bf", "sc", "rm", "sf", "tt", "sl", "itshape", "bfseries", "scshape",
             "upshape", "mdseries", "normalfont", "rmfamily", "sffamily", "ttfamily", "slshape",
             "relax", "protect", "nobreak", "break", "newblock")  # fmt: skip
# biblatex's quotes (and csquotes'): nested ones alternate, the starred form is an inner quote.
_QUOTES = ("enquote", "mkbibquote")
_QUOTE_MARKS = (("“", "”"), ("‘", "’"))
# Categories whose output stands for the argument instead of printing it (\cite gives
# "<cit.>", \ref "<ref>"): such commands are unknown here, so their argument is kept.
_PLACEHOLDERS = ("latex-placeholders", "latex-ethuebung", "nonstandard-qit")

_SUPERSCRIPT = dict(zip("0123456789+-=()ni", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱ", strict=True))
_SUBSCRIPT = dict(zip("0123456789+-=()aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ",
                      strict=True))  # fmt: skip
_SCRIPT = re.compile(r"([\^_])(?:\{([^{}\\]*)\}|([^\s{}\\$]))")
_LEFTOVER_MATH = re.compile(r"[\\^_{}]")


class _Parsers:
    """pylatexenc's parser rules (which arguments a command takes) and text rules (what it
    prints), both extended with the commands above; built once."""

    def __init__(self) -> None:
        from pylatexenc import latexwalker, macrospec
        from pylatexenc.latex2text import (
            LatexNodes2Text,
            MacroTextSpec,
            get_default_latex_context_db,
        )

        # pylatexenc logs its own rules' failures (\url given a command for a URL); refconv
        # reports what a user can act on itself (file:line: warning), never a stray stderr line.
        logging.getLogger("pylatexenc").addHandler(logging.NullHandler())
        self.walker = latexwalker
        walker_db = latexwalker.get_default_latex_context_db()
        walker_db.add_context_category(
            "refconv",
            macros=[macrospec.std_macro(name, "*{") for name in _QUOTES]
            + [macrospec.std_macro(name, args) for name, args in _KEEP_ARGS.items()]
            + [macrospec.std_macro(name, "") for name in (*_SYMBOLS, *_SWITCHES)]
            + [macrospec.std_macro(name, args) for name, args in _DISCARD_ARGS.items()]
            + [macrospec.std_macro("href", "{{")],  # pylatexenc's text rule wants both
            prepend=True,
        )
        self.walker_db = walker_db
        text_db = get_default_latex_context_db().filter_context(exclude_categories=_PLACEHOLDERS)
        text_db.add_context_category(
            "refconv",
            macros=[MacroTextSpec(name, simplify_repl=text) for name, text in _SYMBOLS.items()]
            + [MacroTextSpec(name, discard=False) for name in (*_KEEP_ARGS, *_QUOTES)]
            + [MacroTextSpec(name, discard=True) for name in (*_SWITCHES, *_DISCARD_ARGS)],
            prepend=True,
        )
        self.text_db = text_db
        self.to_text = LatexNodes2Text(
            latex_context=text_db, math_mode="text", strict_latex_spaces=True
        )
        # pylatexenc's ligatures (specials), for the path that needs no parser.
        ligatures = {
            s.specials_chars: s.simplify_repl
            for s in text_db.iter_specials_specs()
            if isinstance(s.simplify_repl, str) and s.specials_chars != "&"
        }
        self.ligatures = ligatures
        self.ligature_re = re.compile(
            "|".join(re.escape(k) for k in sorted(ligatures, key=len, reverse=True))
        )

    def parse(self, latex: str) -> list[Any]:
        """The nodes of ``latex``; pylatexenc's tolerant mode never raises on odd input."""
        walker = self.walker.LatexWalker(latex, latex_context=self.walker_db, tolerant_parsing=True)
        nodes: list[Any] = walker.get_latex_nodes()[0]
        return nodes


@lru_cache(maxsize=1)
def _parsers() -> _Parsers:
    return _Parsers()


def _is_plain(value: str) -> bool:
    """Whether a value has nothing to decode: no command, group, math, tie, ligature, or
    whitespace run. A chain of substring tests: 4 times faster than one regex (issue 18)."""
    return not (
        "\\" in value or "{" in value or "}" in value or "$" in value or "~" in value
        or "--" in value or "``" in value or "''" in value or "!`" in value or "?`" in value
        or "  " in value or "\n" in value or "\t" in value or "\r" in value or "\f" in value
        or "\v" in value or value[:1] == " " or value[-1:] == " "
    )  # fmt: skip


def _scripts(text: str, table: dict[str, str]) -> str | None:
    """``text`` in Unicode super- or subscript letters, or None where one has none."""
    if not text or any(c not in table for c in text):
        return None
    return "".join(table[c] for c in text)


def _script_source(math: str) -> str:
    """``x^2``, ``x^{n+1}``, ``H_2`` in math source with Unicode scripts where all of it has one."""

    def replace(m: re.Match[str]) -> str:
        table = _SUPERSCRIPT if m[1] == "^" else _SUBSCRIPT
        return _scripts(m[2] if m[2] is not None else m[3], table) or m[0]

    return _SCRIPT.sub(replace, math)


def _missing(node: Any, walker_db: Any) -> bool:
    """Whether a command lacks one of its mandatory arguments (the value ended first)."""
    spec = walker_db.get_macro_spec(node.macroname)
    specs = getattr(getattr(spec, "args_parser", None), "argspec", "") or ""
    argd = node.nodeargd
    args = argd.argnlist if argd is not None and argd.argnlist else []
    return any(c == "{" and (i >= len(args) or args[i] is None) for i, c in enumerate(specs))


def _solid(walker: Any, nodes: list[Any]) -> list[Any]:
    """``nodes`` without the ones that are only whitespace."""
    return [n for n in nodes if not (n.isNodeType(walker.LatexCharsNode) and not n.chars.strip())]


class _Walk:
    """One value's walk over pylatexenc's nodes: the text, and the unknown commands met."""

    def __init__(self, parsers: _Parsers, nocase: bool, keep_math: bool) -> None:
        self.p = parsers
        self.nocase = nocase
        self.keep_math = keep_math
        self.unknown: list[str] = []
        self.quote_level = 0
        self.in_span = False

    def nodes(self, nodes: list[Any] | None) -> str:
        out: list[str] = []
        after_unknown = False  # a group after an unknown command is its argument
        for node in nodes or ():
            if node is None:
                continue
            if after_unknown and node.isNodeType(self.p.walker.LatexGroupNode):
                out.append(self.nodes(node.nodelist))
                continue
            after_unknown = False
            if node.isNodeType(self.p.walker.LatexMacroNode):
                text, after_unknown = self.macro(node)
                out.append(text)
            else:
                out.append(self.node(node))
        return "".join(out)

    def node(self, node: Any) -> str:
        w = self.p.walker
        if node.isNodeType(w.LatexCharsNode):
            return str(node.chars)
        if node.isNodeType(w.LatexGroupNode):
            return self.group(node)
        if node.isNodeType(w.LatexMathNode):
            return self.math(node)
        if node.isNodeType(w.LatexEnvironmentNode):
            spec = self.p.text_db.get_environment_spec(node.environmentname)
            if spec is not None and spec.simplify_repl:
                return str(self.p.to_text.node_to_text(node))
            if spec is None:
                self.report(f"\\begin{{{node.environmentname}}}")
            return self.nodes(node.nodelist)
        if node.isNodeType(w.LatexSpecialsNode):
            return str(self.p.to_text.node_to_text(node))
        return ""  # comments: every % was made text before parsing

    def args(self, node: Any) -> list[str]:
        """The text of each argument given, a star (``\\enquote*``) not among them."""
        argd = node.nodeargd
        if argd is None or not argd.argnlist:
            return []
        specs = getattr(argd, "argspec", "") or ""
        return [
            self.arg(a)
            for i, a in enumerate(argd.argnlist)
            if a is not None and not (i < len(specs) and specs[i] == "*")
        ]

    def arg(self, arg: Any) -> str:
        if arg.isNodeType(self.p.walker.LatexGroupNode):
            return self.nodes(arg.nodelist)
        return self.nodes([arg])

    def macro(self, node: Any) -> tuple[str, bool]:
        """The text of a command, and whether it was unknown with no argument parsed."""
        name = node.macroname
        if name in _QUOTES:
            star = bool(node.nodeargd and node.nodeargd.argnlist and node.nodeargd.argnlist[0])
            level, outer = (1 if star else self.quote_level), self.quote_level
            self.quote_level = level + 1
            try:
                inner = "".join(self.args(node))
            finally:
                self.quote_level = outer
            left, right = _QUOTE_MARKS[level % 2]
            return left + inner + right, False
        if name in ("textsuperscript", "mkbibsuperscript", "textsubscript", "mkbibsubscript"):
            inner = "".join(self.args(node))
            table = _SUPERSCRIPT if "super" in name else _SUBSCRIPT
            return _scripts(inner, table) or inner, False
        spec = None if name in _NOT_TEXT else self.p.text_db.get_macro_spec(name)
        if spec is None:
            self.report("\\" + name)
            args = [a for a in self.args(node) if a]
            return " ".join(args), not node.nodeargd or not node.nodeargd.argnlist
        no_args = node.nodeargd is None or not node.nodeargd.argnlist
        if spec.simplify_repl is not None and (
            _missing(node, self.p.walker_db) or (callable(spec.simplify_repl) and no_args)
        ):
            # "\url", "\href" cut short: pylatexenc's formatters need their arguments
            return "".join(self.args(node)), False
        if spec.simplify_repl is not None or spec.discard:
            if self.hides_unknown(node):  # pylatexenc would drop it: keep the text, report it
                return "".join(self.args(node)), False
            return str(self.p.to_text.node_to_text(node)), False  # accents, symbols, \url
        return "".join(self.args(node)), False

    def hides_unknown(self, node: Any) -> bool:
        """Whether an argument of ``node`` holds a command pylatexenc's text rules drop."""
        argd = node.nodeargd
        if argd is None or not argd.argnlist:
            return False
        chars = self.p.walker.LatexCharsNode
        if all(a is None or a.isNodeType(chars) for a in argd.argnlist):
            return False  # \'e: the common case, nothing to look into
        probe = _Walk(self.p, nocase=False, keep_math=True)
        probe.args(node)
        return bool(probe.unknown)

    def group(self, node: Any) -> str:
        if not self.nocase or self.in_span or not self.protects(node):
            return self.nodes(node.nodelist)
        self.in_span = True
        try:
            return _OPEN + self.nodes(node.nodelist) + _CLOSE
        finally:
            self.in_span = False

    def protects(self, node: Any) -> bool:
        """Whether a brace group protects case: it has a cased letter and is more than one
        accented letter or symbol (``{\\'e}``, ``{\\ss}``, BibTeX's special characters)."""
        w = self.p.walker
        inner = _solid(w, node.nodelist)
        text = self.p.to_text.nodelist_to_text(inner)
        if not any(c.lower() != c.upper() for c in text):
            return False
        is_one_macro = len(inner) == 1 and inner[0].isNodeType(w.LatexMacroNode)
        return not (is_one_macro and len(unicodedata.normalize("NFC", text.strip())) == 1)

    def math(self, node: Any) -> str:
        """Math as Unicode when all of it has a Unicode form, else kept as written."""
        verbatim = str(node.latex_verbatim())
        left, right = (str(d) for d in node.delimiters)
        if not verbatim.endswith(right) or len(verbatim) < len(left) + len(right):
            # no closing dollar (tolerant parsing ran to the end): a dollar sign, then text
            return left + self.nodes(node.nodelist)
        if self.keep_math:
            return verbatim
        source = verbatim[len(left) : len(verbatim) - len(right)]
        walk = _Walk(self.p, nocase=False, keep_math=True)
        text = walk.nodes(self.p.parse(_script_source(source))).strip()
        if walk.unknown or not text or _LEFTOVER_MATH.search(text):
            return verbatim
        return text

    def report(self, name: str) -> None:
        if name not in self.unknown:
            self.unknown.append(name)


def _finish(text: str, nocase: bool, keep_lines: bool = False) -> str:
    """Placeholders back to characters; whitespace runs to one space, except a paragraph
    break (a blank line, LaTeX's ``\\par``), which is one line break (with ``keep_lines``,
    every run holding a line break is one); spans to CSL's."""
    text = text.translate(_RESTORE)
    breaks = _LINE_BREAK if keep_lines else _PARAGRAPH
    lines = (_SPACES.sub(" ", line).strip(" ") for line in breaks.split(text))
    text = "\n".join(line for line in lines if line)
    if nocase:
        text = _TAG_START.sub(_OPEN + "<" + _CLOSE, text)
        text = text.replace(_OPEN + _CLOSE, "").replace(_OPEN, NOCASE_OPEN)
        text = text.replace(_CLOSE, NOCASE_CLOSE)
    return text


def decode_report(
    value: str, *, nocase: bool = False, keep_math: bool = False, keep_lines: bool = False
) -> tuple[str, list[str]]:
    """A BibTeX value's text, and the unknown commands in it (``\\foo``, ``\\begin{env}``) whose
    arguments were kept as text, in order of first use.

    Ligatures (``--`` ``---`` ````` ``''``), accents, escapes and biblatex's quotes
    (``\\enquote``, ``\\mkbibquote``, nested: ‘ ’) become Unicode; whitespace runs become one
    space. Math becomes Unicode where every part of it has a form (``$\\alpha$`` → α, ``$x^2$``
    → x²), else stays as written with its dollars; ``keep_math=True`` (default False) keeps all
    of it. ``nocase=True`` (default False, for title-like CSL fields) gives CSL rich text:
    each outermost brace group that protects case becomes ``<span class="nocase">``.
    Whitespace runs are one space, a paragraph break (blank line, ``\\par``) one line break;
    ``keep_lines=True`` (default False) keeps one line break wherever a run holds one, for
    notes that refconv's writer puts one item a line.
    """
    if _is_plain(value) and not (nocase and "<" in value):
        return value, []
    protected = _ESCAPE_RE.sub(lambda m: _ESCAPES[m[0]], value).translate(_BARE)
    parsers = _parsers()
    if not nocase and "\\" not in protected and "$" not in protected:
        # Only braces, ties and ligatures are left, and braces only group: pylatexenc's own
        # ligature table without its parser (the tests check both give the same text).
        # TeX makes no ligature across a brace (-{}- prints two hyphens): each piece alone.
        pieces = re.split("[{}]", protected)
        text = "".join(
            parsers.ligature_re.sub(lambda m: parsers.ligatures[m[0]], p) for p in pieces
        )
        return _finish(text, nocase, keep_lines), []
    walk = _Walk(parsers, nocase, keep_math)
    try:
        nodes = parsers.parse(protected)
        text = walk.nodes(nodes)  # the value comes without its field delimiters: a group
        # around all of it ("title = {{DNA}}") protects it, as biber reads it
    except parsers.walker.LatexWalkerError:  # tolerant parsing should not raise: keep the text
        return _finish(protected, False, keep_lines), []
    except RecursionError:  # braces nested thousands deep: they only group, as on the fast path
        flat = "".join(re.split("[{}]", protected))
        return _finish(flat, False, keep_lines), []
    return _finish(text, nocase, keep_lines), walk.unknown


def decode_latex(value: str, *, nocase: bool = False, keep_lines: bool = False) -> str:
    """LaTeX to Unicode: the text of ``decode_report`` (see there); ``nocase`` and
    ``keep_lines`` default to False (plain text on one line)."""
    return decode_report(value, nocase=nocase, keep_lines=keep_lines)[0]
