"""Our layer over citeproc-py: fixes where it disagrees with citeproc-js, and caches for speed.

citeproc-js is the reference CSL processor; ``tests/test_formatted.py`` compares our output with
it. Each fix below names the difference it removes (citeproc-py 0.11.1):

* **second-field-align** — the citation number is glued to the entry (``[1]R. Nahta``); CSL
  puts the first field in its own column, which in text is a space (``[1] R. Nahta``).
* **initialize="false"** — ignored, so MLA and Chicago print ``Nahta, R.`` for ``Rita``. The
  spec: with ``initialize="false"`` given names stay whole and only existing initials get the
  ``initialize-with`` mark.
* **punctuation-in-quote** — read but never applied: ``“Title”,`` where en-US wants
  ``“Title,”``. Quotes the style adds are marked, and a comma or period after one moves inside.
* **year-suffix** — never generated: two works by the same authors in the same year both print
  ``2012``. We assign ``a``, ``b``, ... in bibliography order to works whose names and year
  collide when the style asks for ``disambiguate-add-year-suffix``, and print the suffix where
  the style has ``year-suffix``, else after the first year of the entry, as citeproc-js does.
* **groups and cs:choose** — a group is suppressed when every variable it calls is empty;
  citeproc-py counts the variables of *every* branch of a ``cs:choose``, so APA's thesis entry
  keeps a lone "(Publication)". Only the branch that was chosen counts.
* **substitution** — a names variable used as a substitute (editors for a missing author) must
  not print again; citeproc-py records it but never checks (APA: "Della Porta, D., & Diani, M.
  (Eds.). (2015). Title (D. Della Porta & M. Diani, eds.)"). A shorthand ``<names
  variable="editor"/>`` inside a substitute inherits the parent's ``cs:name`` and ``cs:label``
  even inside a ``cs:choose`` (Chicago), where citeproc-py used a bare default name.
  A text variable used as a substitute (the title in the authors' place) is suppressed in the
  rest of the entry too, as CSL 1.0.2 "Substitution" says; citeproc-py printed the title twice.
* **labels of empty variables** — ``<label variable="edition"/>`` prints "Edition" for an item
  without an edition (Chicago); a label is printed only with its variable.
* **demote-non-dropping-particle="sort-only"** — ignored when sorting by a macro, so
  "van der Berg" sorts under V instead of B (Harvard).
* **CJK names** — citeproc-js puts no delimiter before "and" between names in CJK scripts
  (``余敏 & 朱江``); citeproc-py follows the style's ``delimiter-precedes-last`` (``余敏, & 朱江``).
* **subsequent-author-substitute** — not implemented: MLA and Chicago print "———" for the
  authors of an entry that repeats the previous entry's authors (rule ``complete-all``).
* **title case of labels** — labels are never title-cased (``eds.`` for ``Eds.``): their
  language is taken as unknown, where CSL means "English unless the item says otherwise".
* **seams** — ``?`` or ``!`` followed by a period keeps only the ``?`` (``Why do we sleep?.``).
* **apostrophes** — citeproc-js prints a straight apostrophe inside a word as ’ (``User’s``).
* **seasons** — a date with a season (``"season": 2``) crashes a style whose month is
  numeric (``assert term == 'month'``); the season's term is printed instead.
* **type conditions** — ``<if type="thesis manuscript">`` is one test that holds when the
  item has any of the types, as in citeproc-js; citeproc-py tests each type and with the
  default ``match="all"`` requires the item to have every one, which never holds (ASA).
* **term forms** — a missing ``short``/``verb-short``/``symbol`` form of a term gives an
  empty string; the spec falls back to the next longer form (IEEE's "Spring 2012").
* **sort keys** — one item whose key cannot be computed made the whole sort fail; now that
  item sorts last (as an item without the key does) and is reported.
* **sort order** — ``Sort.sort`` compares keys pairwise and crashes when two keys are not of
  one type (a name key that holds ``None`` next to a string: MLA with an editor who has no
  name). Each key becomes a string (or, when every key of the column is a whole number, an
  int), empty keys go last in both directions as CSL 1.0.2 "Sorting" says, and the keys are
  applied by stable sorts from the last to the first.
* **citation numbers** — ``CitationItem.number`` searches the key list (quadratic); a dict.
* **plural labels** — ``Label._is_plural`` looks for two numbers with ``\\d+[^\\d.]+\\d+``,
  which backtracks quadratically on a long run of digits (an issue number of 40,000 digits
  took 30 s; found by fuzzing). ``\\d[^\\d.]+\\d`` matches the same strings in linear time.
* **Speed** (``install(fast=True)``) — every XPath search (macros, the ``cs:layout`` and
  ``cs:citation``/``cs:bibliography`` ancestors, terms, localized dates), ``get_root``,
  ``calls_variable`` and each item's reference are looked up again on every render, though
  they depend only on the style; they are cached per element (see ``_memo``). APA renders
  about 3.5 times faster. ``install(fast=False)`` leaves them out, so that a test can show
  the output does not change.

Record text is protected before it enters citeproc-py (``protect``): characters that mean
something in the output format (``<`` and ``&`` in HTML, ``*`` in Markdown) become Unicode
noncharacters (U+FDD0-U+FDEF, which Unicode sets aside for a program's internal use) that no
case change or seam rule touches, and ``unprotect`` turns them into the output format's escapes
at the end. A noncharacter in a record becomes U+FFFD first, so no value can forge a mark;
private-use characters in records pass unchanged. citeproc-py itself escapes nothing but
the terms and ``<text value>`` its formatter's ``preformat`` sees; affixes, delimiters and the
other text a style adds reached HTML and Markdown raw (``prefix="&lt;"``: 162 bundled styles).
So the formatter we give it (``MarkFormatter``) writes marks (U+FDE2-U+FDEF) instead of markup,
and ``finish`` escapes every other character of the entry, the style's and the record's alike,
before it turns the marks into the writer's markup; a link a style spells out in its text
(radiopaedia's ``<a href="``) is printed as that text, as citeproc-js does. URLs and
DOIs are protected too (they are printed verbatim, so they were the way in for markup), only
without the typographic apostrophe. Two more marks keep a value from becoming a link in a
consumer that links bare text (docutils for rST, GitHub's Markdown): the colon after a URI
scheme other than ``http``/``https`` (``javascript:``, ``data:``, ``file:``, ``mailto:``) and
the ``@`` of an e-mail address; rST and Markdown print them backslash-escaped, the other outputs
as they are.

``normalise`` cleans the item first (``citeproc-js`` agrees on each point, or prints nothing
useful): line separators and other control characters, which would break the one-entry-per-line
or one-paragraph layout, become a space or U+FFFD (as do noncharacters); string values are
trimmed and empty ones dropped; a name with nothing to print (no family, given or literal name:
only a suffix, a dropping particle, or spaces) is dropped, and a name with only a given name is
kept as a literal (citeproc-js prints it whole; citeproc-py rendered "None" or crashed in
sorting).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from citeproc import model
from citeproc.source import CitationItem
from citeproc.string import MixedString, String

CLOSE_MARK = "\ufdd0"  # after a closing quote the style adds
_PROTECTED = "<>&*_`[]\\#|~"
PROTECT = {ord(c): 0xFDD1 + i for i, c in enumerate(_PROTECTED)}
UNPROTECT = {0xFDD1 + i: c for i, c in enumerate(_PROTECTED)}
_INITIAL = re.compile(r"^([A-Z\u00c0-\u024f])\.?$")
_installed = False


_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")
_VERBATIM = frozenset({"date-parts", "id", "type"})
_LINKS = frozenset({"URL", "DOI"})


def protect(value: Any) -> Any:
    """Record text → text with format-significant characters as noncharacters."""
    if isinstance(value, str):
        return _mark_links(_APOSTROPHE.sub("\u2019", value).translate(PROTECT))
    if isinstance(value, list):
        return [protect(v) for v in value]
    if isinstance(value, dict):
        return {
            k: (v if k in _VERBATIM else _protect_link(v) if k in _LINKS else protect(v))
            for k, v in value.items()
        }
    return value


def _protect_link(value: Any) -> Any:
    """A URL or DOI keeps every character (no typographic apostrophe), but not its markup."""
    return _mark_links(value.translate(PROTECT)) if isinstance(value, str) else protect(value)


#: a URI scheme (RFC 3986 §3.1) not preceded by a scheme character, and its colon; also inside
#: an http URL, where docutils may end the URL early and link what follows
_SCHEME = re.compile(r"(?<![A-Za-z0-9.+-])([A-Za-z][A-Za-z0-9.+-]*):(?=\S)")
_EMAIL_AT = re.compile(r"(?<=[\w.+-])@(?=\w)")
SCHEME_COLON = "\ufde0"  # ':' after a scheme that must not become a link
EMAIL_AT = "\ufde1"  # '@' of an address that must not become a mailto: link
_LINK_SCHEMES = frozenset({"http", "https"})


def _mark_links(text: str) -> str:
    if ":" in text:
        text = _SCHEME.sub(_mark_scheme, text)
    if "@" in text:
        text = _EMAIL_AT.sub(EMAIL_AT, text)
    return text


def _mark_scheme(m: re.Match) -> str:
    if m[1].lower() in _LINK_SCHEMES:
        return m[0]
    return m[1] + SCHEME_COLON


_LINE_BREAKS = re.compile(r"\s*[\r\n\v\f\x85\u2028\u2029]\s*")
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ufdd0-\ufdef]")
_STYLE_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")  # marks stay
_NAME_PARTS = ("family", "given", "literal", "non-dropping-particle", "dropping-particle")


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
        out = {k: normalise(v) for k, v in value.items()}
        return {k: v for k, v in out.items() if v != "" and v != [] and v != {}}
    return value


def _is_name(value: dict) -> bool:
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


#: formatting marks: citeproc-py's formatter wraps text in these instead of markup, so that
#: every other character of the entry, the style's own text included, can be escaped for the
#: output before the marks become the writer's markup (``MarkFormatter``)
FORMATS = ("italic", "bold", "light", "underline", "superscript", "subscript", "small-caps")
OPEN = {name: chr(0xFDE2 + 2 * i) for i, name in enumerate(FORMATS)}
CLOSE = {name: chr(0xFDE3 + 2 * i) for i, name in enumerate(FORMATS)}


_MARKS = "".join(OPEN.values()) + "".join(CLOSE.values())


class Marked(String):
    """Formatted text: a ``String``, as citeproc-py's text-case code expects of every piece
    of a ``MixedString`` (its formatters return ``str``, which has no ``words`` or
    ``capitalize_first``: "AttributeError ... capitalize_first" with iso690-numeric-lt);
    capitalizing skips the marks."""

    def capitalize_first(self):
        i = len(self) - len(self.lstrip(_MARKS))
        return self.__class__(self[:i] + self[i : i + 1].upper() + self[i + 1 :])


def _marker(name: str | None):
    def wrap(text: Any) -> str:
        text = str(text)
        if name is None or not text:
            return Marked(text)
        return Marked(f"{OPEN[name]}{text}{CLOSE[name]}")

    return wrap


class MarkFormatter:
    """A citeproc-py formatter (the interface of ``citeproc.formatter.html``) that writes no
    markup: ``preformat`` leaves the style's text (terms, ``<text value>``) as it is, the
    font wrappers put marks around their text. citeproc-py adds affixes, delimiters and
    the style's other attribute text without ``preformat`` (``Affixed.wrap``,
    ``Delimited.join``), so escaping in the formatter could never reach them; the writer
    escapes the whole entry at the end instead (``finish``)."""

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


#: link schemes text from the style may keep; others get the scheme mark as in records
_STYLE_LINK_SCHEMES = frozenset({"http", "https", "doi"})


def finish(
    text: str, escapes: dict[str, str], markup: dict[str, tuple[str, str]], nested: bool = True
) -> str:
    """A rendered entry as output text: every character outside the marks (the style's text
    and the record's) escaped by ``escapes`` (``:``/``@`` only where marked), and the marks
    replaced by ``markup`` (name → (open, close); a name not in it prints nothing); without
    ``nested`` only the outermost marks. Line breaks and control characters the style's own
    text holds (``&#10;`` in an affix) become a space or U+FFFD, as in values."""
    if not text.isprintable():  # the marks are noncharacters: not printable either
        text = _STYLE_CONTROLS.sub("\ufffd", _LINE_BREAKS.sub(" ", text)).replace("\t", " ")
    if ":" in text:
        text = _SCHEME.sub(_mark_style_scheme, text)
    if "@" in text:
        text = _EMAIL_AT.sub(EMAIL_AT, text)
    if nested is False:
        text = _outermost(text)
    if _MARK.search(text):
        text = _tighten(text)
    return text.translate(_finish_table(tuple(escapes.items()), tuple(markup.items())))


_MARK = re.compile(f"[{chr(0xFDE2)}-{chr(0xFDEF)}]")


_OPENS = "".join(OPEN.values())
_CLOSES = "".join(CLOSE.values())
_SPACE_IN_OPEN = re.compile(f"([{_OPENS}])(\\s+)")
_SPACE_IN_CLOSE = re.compile(f"(\\s+)([{_CLOSES}])")
_EMPTY = re.compile("|".join(OPEN[n] + CLOSE[n] for n in FORMATS))


def _tighten(text: str) -> str:
    """Marks moved inside the spaces at the edges of their text, and empty pairs dropped:
    rST and CommonMark emphasis cannot end after a space (``:strong:`2000. ``` was no role)."""
    while True:
        moved = _SPACE_IN_CLOSE.sub(r"\2\1", _SPACE_IN_OPEN.sub(r"\2\1", text))
        moved = _EMPTY.sub("", moved)
        if moved == text:
            return text
        text = moved


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


def _mark_style_scheme(m: re.Match) -> str:
    if m[1].lower() in _STYLE_LINK_SCHEMES:
        return m[0]
    return m[1] + SCHEME_COLON


@cache
def _finish_table(escapes: tuple, markup: tuple) -> dict[int, str]:
    table = {ord(c): e for c, e in escapes if c not in ":@"}
    table |= _unprotect_table(escapes)
    tags = dict(markup)
    for name in FORMATS:
        before, after = tags.get(name, ("", ""))
        table[ord(OPEN[name])], table[ord(CLOSE[name])] = before, after
    return table


def apply_quote_punctuation(text: str, inside: bool) -> str:
    """Move a comma or period that follows a style's closing quote inside it (en-US), then
    drop the marks."""
    if inside:
        text = _AFTER_QUOTE.sub(_move_inside, text)
    return text.replace(CLOSE_MARK, "")


_AFTER_QUOTE = re.compile(f"(.?)(.){CLOSE_MARK}([.,])", re.DOTALL)


def _move_inside(m: re.Match) -> str:
    """``Title”,`` → ``Title,”``; a period after ``.?!`` at the end of the quote is dropped."""
    last, quote, punct = m[1], m[2], m[3]
    if punct == "." and last in (".", "?", "!"):
        return last + quote
    return last + punct + quote


# --- fixes -------------------------------------------------------------------------------


def _quote(self, string):
    if self.get("quotes", "false").lower() == "true":
        open_quote = self.get_single_term(name="open-quote")
        close_quote = self.get_single_term(name="close-quote")
        string = open_quote + string + close_quote + CLOSE_MARK
    return string


def _initialize(self, given, mark, context):
    if self.get_option("initialize", context) != "false":
        return _original["Name.initialize"](self, given, mark, context)
    words = []
    for word in given.split():
        m = _INITIAL.match(word)
        words.append(m[1] + mark.rstrip() if m else word)
    return " ".join(words)


def _variable(self, item, context):
    if self.get("variable") == "year-suffix":
        return item.reference.get("year_suffix")
    text = _original["Text._variable"](self, item, context)
    if text and _SUBSTITUTING:
        _SUBSTITUTING[-1][2].append((self.tag, self.get("variable")))
    return text


def _date_process(self, item, variable=None, show_parts=None, context=None, **kwargs):
    text = _original["Date.process"](self, item, variable, show_parts, context, **kwargs)
    suffix = item.reference.get("year_suffix") if text else None
    if (
        suffix
        and (variable or self.get("variable")) == "issued"
        and not _CURRENT.get("explicit")
        and _CURRENT.get("item") is not item
    ):  # no year-suffix in the style: after the first year of the entry
        date = item.reference.get("issued")
        date = getattr(date, "begin", date)
        year = str(abs(date.year)) if getattr(date, "year", None) is not None else ""
        if year and year in str(text):
            _CURRENT["item"] = item
            text = text.replace(year, year + suffix, 1)
    return text


_CURRENT: dict[str, Any] = {}  # the entry being rendered: for the implicit year suffix
_EXPLICIT: dict[tuple, bool] = {}


def _explicit_year_suffix(root) -> bool:
    expression = "//cs:text[@variable='year-suffix']"
    return _memo(_EXPLICIT, root, (), lambda: bool(root.xpath_search(expression)))


def _group_process(self, item, context=None, **kwargs):
    output = []
    called = rendered = False
    delimiter = self.get("delimiter", "")
    for child in self.iterchildren():
        if isinstance(child, model.Choose):
            branch, text = _chosen(child, item, context, delimiter, **kwargs)
            calls = branch is not None and branch.calls_variable()
        else:
            calls = child.calls_variable()
            try:
                text = child.render(item, context=context, **kwargs)
            except model.VariableError:
                text = None
        called = called or calls
        if text is not None:
            output.append(text)
            rendered = rendered or calls
    if output and (not called or rendered):
        return self.join(output)
    raise model.VariableError


def _chosen(choose, item, context, delimiter, **kwargs):
    """(the branch of ``choose`` whose condition holds, its rendering)."""
    for branch in choose.getchildren():
        try:
            return branch, branch.render(item, context=context, delimiter=delimiter, **kwargs)
        except model.ConditionFailed:
            continue
    return None, None


#: (parent cs:names, roles rendered, (tag, variable) of texts rendered) per open substitute
_SUBSTITUTING: list[tuple[Any, list[str], list[tuple[str, str]]]] = []


def _substitute_render(self, item, context=None, **kwargs):
    names = self.getparent()
    collected: list[str] = []
    texts: list[tuple[str, str]] = []
    _SUBSTITUTING.append((names, collected, texts))
    try:
        for child in self.getchildren():
            collected.clear()
            texts.clear()
            try:
                if isinstance(child, model.Names) and child.name is None:
                    text = child.render(item, names_context=names, context=context, **kwargs)
                else:
                    text = child.render(item, context=context, **kwargs)
            except model.VariableError:
                continue
            if text:
                self.add_to_repressed_list(child, context)
                layout = (context if context is not None else self).get_layout()
                layout.repressed.setdefault("names-roles", []).extend(collected)
                for tag, variable in texts:  # a title put in the authors' place
                    layout.repressed.setdefault(tag, []).append(variable)
                return text
        return None
    finally:
        _SUBSTITUTING.pop()


def _label_process(self, item, variable=None, plural=None, context=None, **kwargs):
    own = self.get("variable")
    missing = own and own != "locator" and own.replace("-", "_") not in item.reference
    if variable is None and missing:
        return None
    return _original["Label.process"](self, item, variable, plural, context, **kwargs)


def _name_process(self, item, variable, context=None, sort_options=None, **kwargs):
    people = item.reference.get(variable) or []
    _CURRENT["cjk"] = len(people) > 1 and all(_is_cjk(p) for p in people)
    try:
        return _original["Name.process"](self, item, variable, context, sort_options, **kwargs)
    finally:
        _CURRENT["cjk"] = False


_CJK = re.compile("[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def _is_cjk(person) -> bool:
    text = "".join(str(v) for v in person.values())
    return bool(_CJK.search(text))


def _name_get_option(self, name, context=None, sort_options=None):
    value = _original["Name.get_option"](self, name, context, sort_options)
    if name == "delimiter-precedes-last" and _CURRENT.get("cjk"):
        return "never"  # citeproc-js: no comma before "and" between CJK names
    if name == "demote-non-dropping-particle" and sort_options is not None:
        return "display-and-sort" if value == "sort-only" else value
    return value


def _names_process(self, item, names_context=None, context=None, **kwargs):
    if names_context is None and _SUBSTITUTING and self.name is None:
        names_context = _SUBSTITUTING[-1][0]  # shorthand names in a substitute: inherit
    if _SUBSTITUTING:
        roles = self.get("variable", "").split()
        _SUBSTITUTING[-1][1].extend(r for r in roles if r.replace("-", "_") in item.reference)
    _CURRENT["depth"] = _CURRENT.get("depth", 0) + 1
    try:
        text = _names_process_inner(self, item, names_context, context, **kwargs)
    finally:
        _CURRENT["depth"] -= 1
    if text and _CURRENT["depth"] == 0 and _CURRENT.get("names") is None:
        _CURRENT["names"] = text  # the entry's authors, for subsequent-author-substitute
    return text


def _names_process_inner(self, item, names_context, context, **kwargs):
    repressed = (context if context is not None else self).get_layout().repressed
    done = repressed.get("names-roles", ())
    roles = self.get("variable", "").split()
    if done and any(role in done for role in roles):
        kept = " ".join(role for role in roles if role not in done)
        if not kept:
            raise model.VariableError
        original = self.get("variable")
        self.set("variable", kept)
        try:
            return _original["Names.process"](self, item, names_context, context, **kwargs)
        finally:
            self.set("variable", original)
    return _original["Names.process"](self, item, names_context, context, **kwargs)


def _add_to_repressed_list(self, child, context):
    _original["Substitute.add_to_repressed_list"](self, child, context)
    if isinstance(child, model.Names):
        layout = context.get_layout()
        layout.repressed.setdefault("names-roles", []).extend(child.get("variable", "").split())


def _case(self, text, language=None):
    return _original["TextCased.case"](self, _cased(text), "en" if language is None else language)


def _capitalize_first(self):
    """``String.capitalize_first`` that accepts an empty string (IndexError: every record
    failed in 12 ABNT and ISO 690 styles when a name part was empty after a case change)."""
    return self.__class__(self[:1].upper() + self[1:])


def _cased(text: Any) -> Any:
    """``text`` with every piece a ``String``: citeproc-py's text-case calls ``words`` and
    ``capitalize_first`` on each, which a name part, a number or a locale's term given as
    ``str`` lacks (AttributeError: every record failed in iso690-numeric-lt)."""
    if type(text) is str:
        return String(text)
    if isinstance(text, MixedString) and not all(isinstance(p, String) for p in text):
        return MixedString([_cased(p) for p in text])
    return text


def _normalize_seam(left, other):
    left_text, other_text = str(left), str(other)
    if left_text[-1:] in _CLOSES:  # "*Title.*" + ". ": the seam is the text's, not the mark's
        left = left_text = left_text.rstrip(_CLOSES)
    if left_text[-1:] in ("?", "!") and other_text[:1] == ".":
        return _original["strip_first"](other)
    return _original["normalize_seam"](left, other)


def _render_bibliography(self, citation_items):
    bibliography = self.getparent()
    align = bibliography.get_option("second-field-align")
    _CURRENT["explicit"] = _explicit_year_suffix(self.get_root())
    output = []
    for item in citation_items:
        self.repressed = {}
        _CURRENT["item"] = _CURRENT["names"] = None
        if not align:
            text = self.format(self.wrap(self.render_children(item)))
            output.append(Rendered(text, names=_CURRENT["names"]))
            continue
        children = list(self.iterchildren())
        left = None
        while children and left is None:
            left = _render_child(children.pop(0), item)
        right = _render_rest(self, children, item)
        if left is None or right is None:
            text = self.format(self.wrap(left if right is None else right))
            output.append(Rendered(text, names=_CURRENT["names"]))
        else:
            text = self.format(self.wrap(left + " " + right))
            # the layout's prefix opens the first column and its suffix closes the second,
            # as in citeproc-js (the columns lost the final "." of every entry)
            left = self.get("prefix", "") + left if self.get("prefix") else left
            right = right + self.get("suffix", "") if self.get("suffix") else right
            output.append(Rendered(text, left, right, _CURRENT["names"]))
    return output


def _render_child(child, item):
    try:
        return child.render(item)
    except model.VariableError:
        return None


def _render_rest(layout, children, item):
    parts = [p for p in (_render_child(c, item) for c in children) if p is not None]
    return model.join(parts, layout.get("delimiter", "")) if parts else None


class Rendered(str):
    """An entry: its text, its two columns under ``second-field-align`` (else empty), and the
    text of its authors (for ``subsequent-author-substitute``)."""

    left: str
    right: str
    names: str | None

    def __new__(cls, text, left="", right="", names=None):
        obj = super().__new__(cls, str(text) if text is not None else "")
        obj.left, obj.right = str(left), str(right)
        obj.names = str(names) if names else None
        return obj


def _date_part_process(self, date, context=None):
    try:
        return _original["Date_Part.process"](self, date, context)
    except AssertionError:  # a season where the style wants a numeric month
        term = f"season-{date.season:02}"
        return (context if context is not None else self).get_single_term(name=term)


def _if_type(self, item):
    return [item.reference.type in self.get("type").lower().split()]


_TERM_FALLBACK = {"verb-short": "verb", "symbol": "short", "verb": None, "short": None}


def _get_term(self, name, form=None, fallback_locale=True, zero_padded=False):
    term = _original["CitationStylesElement.get_term"](
        self, name, form, fallback_locale, zero_padded
    )
    while term is None and form in _TERM_FALLBACK:  # CSL: verb-short → verb → long, ...
        form = _TERM_FALLBACK[form]
        term = _original["CitationStylesElement.get_term"](
            self, name, form, fallback_locale, zero_padded
        )
    return term


SORT_FAILURES: list[tuple[str, str]] = []  # (item key, error) of sort keys that failed


def _sort_keys(self, items, context):
    original = _original["Key.sort_keys"]
    try:
        return original(self, items, context)
    except Exception:  # find the items at fault; they get no key and sort last
        pass
    keys = []
    for item in items:
        try:
            (key,) = original(self, [item], context)
        except Exception as exc:
            SORT_FAILURES.append((item.key, f"{type(exc).__name__}: {exc}".rstrip(": ")))
            key = None
        keys.append(key)
    return keys


def _sort(self, items, context):
    """``Sort.sort`` with a total order: see the module docstring (sort order)."""
    order = list(range(len(items)))
    keys = self.findall("cs:key", self.nsmap)
    for key in reversed(keys):  # stable sorts, least significant key first
        column = _comparable(key.sort_keys(items, context))
        present = [i for i in order if column[i] is not None]
        missing = [i for i in order if column[i] is None]
        descending = key.get("sort", "ascending").lower() == "descending"
        present.sort(key=column.__getitem__, reverse=descending)
        order = present + missing
    return [items[i] for i in order]


def _comparable(keys: list) -> list:
    """Sort keys of one ``cs:key`` as lowercase strings, or ints when all are whole numbers;
    an empty key is None."""
    texts: list[str | None] = []
    for key in keys:
        if isinstance(key, list):  # a MixedString; a name with nothing to print is None in it
            key = "".join(str(part) for part in key if part is not None)
        texts.append(None if key is None or key == "" else str(key).lower())
    numbers = []
    for text in texts:
        if text is None:
            numbers.append(None)
            continue
        try:
            numbers.append(int(text))
        except ValueError:  # not a number, or more digits than int() converts
            return texts
    return numbers


# --- caches ------------------------------------------------------------------------------
#
# lxml hands out a new Python proxy for a node once the old one is gone, so a cache keyed by
# ``id(element)`` could answer for another element that reused the id. Each entry therefore
# holds its element: the element stays alive, its id cannot be reused, and the entry is
# checked to be for the very same object.

_MISSING = object()


def _memo(table: dict, element: Any, key: tuple, compute) -> Any:
    entry = table.get((id(element), *key))
    if entry is None or entry[0] is not element:
        entry = table[(id(element), *key)] = (element, compute())
    return entry[1]


_MACROS: dict[tuple, Any] = {}
_LAYOUTS: dict[tuple, Any] = {}
_XPATH: dict[tuple, Any] = {}
_TERMS: dict[tuple, Any] = {}
_ROOTS: dict[int, Any] = {}


def _get_macro(self, name):
    root = self.get_root()
    key = (id(root), name)  # _memo, inlined
    entry = _MACROS.get(key)
    if entry is None or entry[0] is not root:
        entry = _MACROS[key] = (root, _original["CitationStylesElement.get_macro"](self, name))
    return entry[1]


def _get_layout(self):
    return _memo(_LAYOUTS, self, (), lambda: _original["CitationStylesElement.get_layout"](self))


def _xpath_search(self, expression):
    """Every XPath citeproc-py asks is a fact of the style (ancestors, macros, terms)."""
    key = (id(self), expression)  # _memo, inlined: this is the hottest call
    entry = _XPATH.get(key)
    if entry is None or entry[0] is not self:
        entry = _XPATH[key] = (
            self,
            _original["CitationStylesElement.xpath_search"](self, expression),
        )
    return entry[1]


def _locale_get_term(self, name, form=None, zero_padded=False):
    def compute():
        try:
            return _original["Locale.get_term"](self, name, form, zero_padded)
        except IndexError:
            return _MISSING

    term = _memo(_TERMS, self, (name, form, zero_padded), compute)
    if term is _MISSING:
        raise IndexError
    return term


def _get_root(self):
    entry = _ROOTS.get(id(self))  # _memo, inlined
    if entry is None or entry[0] is not self:
        entry = _ROOTS[id(self)] = (self, self.getroottree().getroot())
    return entry[1]


def _cached_calls_variable(original):
    """``calls_variable`` depends only on the style's structure: compute it once per node."""
    table: dict[int, Any] = {}

    def calls_variable(self):
        entry = table.get(id(self))  # _memo, inlined
        if entry is None or entry[0] is not self:
            entry = table[id(self)] = (self, original(self))
        return entry[1]

    return calls_variable


def _reference(self):
    """The item's reference, looked up once (citeproc-py asks ~400 times per entry)."""
    reference = self.__dict__.get("_refconv_reference")
    if reference is None:
        reference = self.bibliography.source[self.key]
        object.__setattr__(self, "_refconv_reference", reference)
    return reference


def _number(self):
    given = self.reference.get("refconv_number")  # set by the renderer: the global number
    if given is not None:
        return given
    bibliography = self.bibliography
    numbers = getattr(bibliography, "_refconv_numbers", None)
    if numbers is None or len(numbers) != len(bibliography.keys):
        numbers = {key: i for i, key in enumerate(bibliography.keys, 1)}
        bibliography._refconv_numbers = numbers
    return numbers[self.key]


_original: dict[str, Any] = {}


def install(fast: bool = True) -> None:
    """Apply the fixes to citeproc-py's classes, and with ``fast`` the caches (once per
    process). The slow path exists so that tests can prove the caches change nothing."""
    global _installed
    if _installed:
        return
    _installed = True
    _install_fixes()
    if fast:
        _install_caches()


#: citeproc-py methods we replace: "Class.method" in citeproc.model → our function.
FIXES: dict[str, Any] = {
    "Name.initialize": _initialize,
    "Name.process": _name_process,
    "Name.get_option": _name_get_option,
    "Names.process": _names_process,
    "Substitute.render": _substitute_render,
    "Substitute.add_to_repressed_list": _add_to_repressed_list,
    "Label.process": _label_process,
    "TextCased.case": _case,
    "Group.process": _group_process,
    "Quoted.quote": _quote,
    "Text._variable": _variable,
    "Date.process": _date_process,
    "Date_Part.process": _date_part_process,
    "If._type": _if_type,
    "Layout.render_bibliography": _render_bibliography,
    "CitationStylesElement.get_term": _get_term,
    "Key.sort_keys": _sort_keys,
    "Sort.sort": _sort,
    "Label.RE_MULTIPLE_NUMBERS": re.compile(r"\d[^\d.]+\d"),
}
CACHES: dict[str, Any] = {
    "CitationStylesElement.get_macro": _get_macro,
    "CitationStylesElement.get_layout": _get_layout,
    "CitationStylesElement.xpath_search": _xpath_search,
    "CitationStylesElement.get_root": _get_root,
    "Locale.get_term": _locale_get_term,
}


def _patch(table: dict[str, Any]) -> None:
    for dotted, replacement in table.items():
        owner = getattr(model, dotted.split(".")[0])
        attribute = dotted.split(".")[1]
        _original[dotted] = getattr(owner, attribute)
        setattr(owner, attribute, replacement)


def _install_fixes() -> None:
    from citeproc import string

    model.CitationStylesElement._default_options["initialize"] = "true"
    _patch(FIXES)
    _original["normalize_seam"] = string.normalize_seam
    _original["strip_first"] = string._strip_first_char
    string.normalize_seam = model.normalize_seam = _normalize_seam
    _original["String.capitalize_first"] = String.capitalize_first
    String.capitalize_first = _capitalize_first
    CitationItem.number = property(_number)


def _install_caches() -> None:
    _patch(CACHES)
    CitationItem.reference = property(_reference)
    for cls in vars(model).values():
        if isinstance(cls, type) and "calls_variable" in vars(cls):
            cls.calls_variable = _cached_calls_variable(vars(cls)["calls_variable"])
