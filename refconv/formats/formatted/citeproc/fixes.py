"""Fixes where citeproc-py (0.11.1) renders differently from citeproc-js and the CSL spec.

citeproc-js is the reference CSL processor; ``tests/test_formatted.py`` compares our output with
it. Each fix is one function that replaces a method of a ``citeproc.model`` class (``FIXES``);
its docstring names the citeproc-py defect and the CSL 1.0.2 section or citeproc-js behaviour
it follows. The sorting fixes are in ``sorting``; what the fixes share while an entry renders
is ``INSTALLED.entry`` and ``INSTALLED.substituting`` (see ``installed``).
"""

from __future__ import annotations

import re
from typing import Any

# citeproc-py ships no type information (the mypy override in pyproject.toml makes it Any)
from citeproc import model, string
from citeproc.source import CitationItem, LiteralDate
from citeproc.string import MixedString, String

from refconv.formats.formatted.citeproc import bibliography
from refconv.formats.formatted.citeproc.installed import INSTALLED, Substitution
from refconv.formats.formatted.citeproc.protect import CLOSE_MARK, CLOSES, OPENS
from refconv.values.names import has_cjk

MARKS = OPENS + CLOSES

_INITIAL = re.compile(r"^([A-Z\u00c0-\u024f])\.?$")
#: CSL 1.0.2 "Terms", term forms: verb-short → verb → long, symbol → short → long
_TERM_FALLBACK = {"verb-short": "verb", "symbol": "short", "verb": None, "short": None}


def quote(self: Any, text: Any) -> Any:
    """``Quoted.quote`` that marks the closing quote the style adds (``CLOSE_MARK``).

    citeproc-py reads ``punctuation-in-quote`` but never applies it (``“Title”,`` where en-US
    wants ``“Title,”``); CSL 1.0.2 "Locale Options": a comma or period after a quote moves
    inside it. The writer moves it (``protect.apply_quote_punctuation``)."""
    if self.get("quotes", "false").lower() == "true":
        open_quote = self.get_single_term(name="open-quote")
        close_quote = self.get_single_term(name="close-quote")
        text = open_quote + text + close_quote + CLOSE_MARK
    return text


def initialize(self: Any, given: str, mark: str, context: Any) -> Any:
    """``Name.initialize`` that honours ``initialize="false"``.

    citeproc-py ignores it, so MLA and Chicago printed ``Nahta, R.`` for ``Rita``. CSL 1.0.2
    "Name" (``initialize``): with "false" given names stay whole and only the initials already
    in them get the ``initialize-with`` mark. citeproc-py's default becomes "true" to match.

    A lower-case word of a given name is a particle (CSL 1.0.2 "Name Particles"): it stays
    whole and gets no mark, as in citeproc-js. citeproc-py put the mark after the initials
    even when none followed the particle: "Ahmad bin" printed ``A. bin .``, "Maria de la"
    ``M. de . la .``."""
    if self.get_option("initialize", context) != "false":
        if self.get_option("initialize-with-hyphen", context):
            pieces = given.split("-")
        else:
            pieces = [given.replace("-", " ")]
        return "-".join(_initials(piece, mark) for piece in pieces)
    words = []
    for word in given.split():
        m = _INITIAL.match(word)
        words.append(m[1] + mark.rstrip() if m else word)
    return " ".join(words)


def _initials(given: str, mark: str) -> str:
    """The initials of the capitalised words of ``given``, each followed by ``mark``; its
    lower-case words (particles) kept whole."""
    pieces: list[str] = []
    group: list[str] = []
    for word in given.replace(".", " ").split():
        if word[0].isupper():
            group.append(word[0])
            continue
        if group:
            pieces.append(mark.join(group) + mark)
        group = []
        pieces.append(word)
    if group:
        pieces.append(mark.join(group) + mark)
    return " ".join(" ".join(pieces).split())


def text_variable(self: Any, item: Any, context: Any) -> Any:
    """``Text._variable`` that prints ``year-suffix`` and notes a text used as a substitute.

    citeproc-py never generates year suffixes (two works of one author in one year both print
    ``2012``); the writer assigns them (CSL 1.0.2 "Disambiguation", step
    ``disambiguate-add-year-suffix``) and this prints one where the style asks for the
    variable. A text printed inside ``cs:substitute`` (a title in the authors' place) is noted
    so that it is suppressed in the rest of the entry (CSL 1.0.2 "Substitute")."""
    if self.get("variable") == "year-suffix":
        return item.reference.get("year_suffix")
    text = INSTALLED.originals["Text._variable"](self, item, context)
    if text and INSTALLED.substituting:
        INSTALLED.substituting[-1].texts.append((self.tag, self.get("variable")))
    return text


def date_process(
    self: Any, item: Any, variable: Any = None, show_parts: Any = None, context: Any = None,
    **kwargs: Any,
) -> Any:  # fmt: skip
    """``Date.process`` that puts the year suffix after the first year of the entry when the
    style has no ``year-suffix`` variable, as citeproc-js does (CSL 1.0.2 "Disambiguation":
    by default the suffix follows the first year rendered through ``cs:date``); citeproc-py
    generates no suffix at all, so two works of one author in one year both printed ``2012``.
    A literal date prints only where the date shows its year, as in citeproc-js: Chicago's
    "month day" after the journal repeated "Spring term 2018" (CSL 1.0.2 "Date": ``literal``
    stands for the whole date)."""
    name = (variable or self.get("variable") or "").replace("-", "_")
    if isinstance(item.reference.get(name), LiteralDate) and not _shows_year(self, show_parts):
        return None
    text = INSTALLED.originals["Date.process"](self, item, variable, show_parts, context, **kwargs)
    suffix = item.reference.get("year_suffix") if text else None
    entry = INSTALLED.entry
    if (
        suffix
        and (variable or self.get("variable")) == "issued"
        and not entry.explicit
        and entry.item is not item
    ):
        # citeproc-py's dates are dicts whose missing attributes raise VariableError, not
        # AttributeError: getattr(date, "begin", date) raised it for every single date, and
        # the group of the date was left out ("Doe, J.,. Title" for "Doe, J., 2006a. Title")
        date = item.reference.get("issued")
        date = date.get("begin", date)
        year = str(abs(date["year"])) if date.get("year") is not None else ""
        if year and year in str(text):
            entry.item = item
            text = _with_suffix(self, text, year, suffix, _is_open(item.reference["issued"]))
    return text


def _is_open(date: Any) -> bool:
    """An open-ended range: citeproc-py reads citeproc-js's ``[[2018], [0]]`` end as year 0."""
    end = date.get("end") if isinstance(date, dict) else None
    return isinstance(end, dict) and not end.get("year")


def _with_suffix(self: Any, text: Any, year: str, suffix: str, open_end: bool) -> Any:
    """``text`` with the year suffix after ``year``; after the range delimiter that follows
    the year of an open-ended range, as citeproc-js prints it ("2018–a", not "2018a–")."""
    if open_end:  # the year and the delimiter may be two pieces of a MixedString
        flat, delimiter = str(text), _range_delimiter(self, None, ["year"])
        at = flat.find(year + delimiter)
        if at >= 0:
            at += len(year) + len(delimiter)
            return String(flat[:at] + suffix + flat[at:])
    return text.replace(year, year + suffix, 1)


def _shows_year(self: Any, show_parts: Any) -> bool:
    """Whether this ``cs:date`` renders the year (its ``date-parts``, or its children)."""
    if show_parts is not None and "year" not in show_parts:
        return False
    if self.get("form") is not None and not self.is_locale_date():
        return "year" in (self.get("date-parts") or "year-month-day").split("-")
    return any(part.get("name") == "year" for part in self.iterchildren())


#: the date parts from the largest to the smallest (CSL 1.0.2 "Date Ranges")
_LEVELS = ("year", "month", "day")


def date_join(self: Any, parts: list[Any], context: Any) -> Any:
    """The rendered date parts joined by the date's ``delimiter``: a localized date
    (``cs:date`` in ``cs:locale``) by its own, as citeproc-js does; citeproc-py joined it
    with the citing ``cs:date``'s, which has none, so vancouver-nlm printed ``2020Mar15`` for
    ``2020 Mar 15`` (CSL 1.0.2 "Date": a localized format is the locale's ``cs:date``)."""
    if self.is_locale_date() and context is not None and context is not self:
        if self.get("delimiter") is not None:
            return model.join(parts, self.get("delimiter"))
        return context.join(parts)
    return self.join(parts)


def render_single_date(self: Any, date: Any, show_parts: Any = None, context: Any = None) -> Any:
    """``Date.render_single_date`` whose parts ``date_join`` joins: citeproc-py joined a
    localized date's parts with the citing ``cs:date``'s delimiter, not the locale's
    (CSL 1.0.2 "Date"; citeproc-js prints vancouver-nlm's ``2020 Mar 15``)."""
    shown = list(_LEVELS) if show_parts is None else show_parts
    parts = self.parts(date, shown, context if context is not self else None)
    return date_join(self, parts, context) if parts else None


def render_date_range(
    self: Any, date_range: Any, show_parts: Any = None, context: Any = None
) -> Any:
    """``Date.render_date_range`` as CSL 1.0.2 "Date Ranges" and citeproc-js: the parts the
    two dates share print once, the span of shown parts from the largest that differs to the
    smallest as "begin–end" with the ``range-delimiter`` of the largest differing part (an en
    dash by default); an open range ("2018–") ends with the delimiter.

    citeproc-py joined the pieces with the ``join`` of whatever element called it (None in
    a macro: "TypeError: 'NoneType' object is not callable" in APA's and IEEE's dates
    within one year), and removed the year from the parts to show even when the style
    showed only the year, so Chicago's and APA's year of "2018-02/2018-03" vanished."""
    shown = list(_LEVELS) if show_parts is None else list(show_parts)
    begin, end = date_range["begin"], date_range.get("end")
    order = [p.get("name") for p in self.iterchildren() if p.get("name") in shown]
    if end is None or end.is_nil():
        return _open_range(self, begin, order, shown, context)
    has = [n for n in order if _part_value(begin, n) is not None or _part_value(end, n) is not None]
    order = has
    first = next((k for k in _LEVELS if _part_value(begin, k) != _part_value(end, k)), None)
    differ = [
        name
        for name in (_LEVELS[_LEVELS.index(first) :] if first else ())
        if name != "month" or not _same_season(begin, end)  # one season of the whole range
    ]
    span = [i for i, name in enumerate(order) if name in differ]
    if all(_part_value(begin, name) == _part_value(end, name) for name in order):
        span = []  # the parts shown are the same (a season of two years, shown without them)
    if not span:
        return render_single_date(self, begin, shown, context)
    low, high = span[0], span[-1] + 1
    own = context if context is not self else None
    start = self.parts(begin, order[low:high], own)
    stop = self.parts(end, order[low:high], own)
    if not start or not stop:
        return render_single_date(self, begin, shown, context)
    delimiter = _range_delimiter(self, context, [n for n in _LEVELS if n in order[low:high]])
    # the affixes at the seam give way to the delimiter ("February 3–5", not "3,– 5")
    prefix, suffix = _affix(self, order[low], "prefix"), _affix(self, order[high - 1], "suffix")
    opening = date_join(self, start, context)
    if suffix and str(opening).endswith(suffix):
        opening = _cut(opening, len(suffix), at_end=True)
    closing = date_join(self, stop, context)
    if prefix and str(closing).startswith(prefix):
        closing = _cut(closing, len(prefix), at_end=False)
    ranged = opening.rstrip() + delimiter + _lstrip(closing)
    before = self.parts(begin, order[:low], own)
    after = self.parts(begin, order[high:], own)
    if not before and not after:
        return ranged
    return date_join(self, [*before, ranged, *after], context)


def _open_range(self: Any, begin: Any, order: list[str], shown: list[str], context: Any) -> Any:
    """An open-ended range, citeproc-js's date-parts ending in zeros: the delimiter follows
    the last shown part the start has a number for ("Feb. 2018–", "2018 Feb 3–"); a season
    belongs to the whole date and follows it ("2018– Summer"), and a date that shows none of
    those parts (Chicago's season alone) has no delimiter, as in citeproc-js. The delimiter
    goes inside the last part's suffix, "(2018–)", as on a closed range, "(2017–2018)";
    citeproc-js 2.4 drops that suffix of an open range, "(2018–" (citeproc-differences.tsv)."""
    numbered = [name for name in order if begin.get(name) is not None]
    if not numbered:
        return render_single_date(self, begin, shown, context)
    last = order.index(numbered[-1]) + 1
    own = context if context is not self else None
    start = self.parts(begin, order[:last], own)
    if not start:
        return render_single_date(self, begin, shown, context)
    delimiter = _range_delimiter(self, context, [n for n in _LEVELS if n in numbered])
    opening = date_join(self, start, context)
    # the delimiter goes inside the last part's suffix: "(2018–)", not "(2018)–"
    suffix = _affix(self, order[last - 1], "suffix")
    if suffix and str(opening).endswith(suffix):
        opening = _cut(opening, len(suffix), at_end=True)
    else:
        suffix = ""
    ranged = opening.rstrip() + delimiter + suffix
    after = self.parts(begin, order[last:], own)
    return date_join(self, [ranged, *after], context) if after else ranged


def _affix(self: Any, name: str, affix: str) -> str:
    """The ``prefix`` or ``suffix`` of the date part ``name`` (after citeproc-py merged the
    citing date's attributes into it)."""
    for part in self.iterchildren():
        if part.get("name") == name:
            return str(part.get(affix) or "")
    return ""


def _cut(text: Any, count: int, at_end: bool) -> Any:
    """``text`` without ``count`` characters at its end (or start), through the pieces of a
    ``MixedString``."""
    if not isinstance(text, MixedString):
        return text.__class__(text[:-count] if at_end else text[count:])
    pieces = list(text)
    while count and pieces:
        index = -1 if at_end else 0
        piece = pieces[index]
        size = len(str(piece))
        if size <= count:
            pieces.pop(index)
            count -= size
        else:
            pieces[index] = _cut(piece, count, at_end)
            count = 0
    return MixedString(pieces)


def _lstrip(text: Any) -> Any:
    """``text`` without its leading spaces (a ``MixedString`` has no ``lstrip``, and its
    indexing is its string's)."""
    if isinstance(text, MixedString):
        pieces = list(text)
        while pieces and not str(pieces[0]).strip():
            pieces.pop(0)
        if pieces:
            pieces[0] = _lstrip(pieces[0])
        return MixedString(pieces)
    return text.__class__(text.lstrip()) if isinstance(text, str) else text


def _same_season(begin: Any, end: Any) -> bool:
    """Both ends of a range have the same season and no month: CSL-JSON gives a season
    to the whole date, and citeproc-js prints it once ("Winter 2018–2019")."""
    no_month = begin.get("month") is None and end.get("month") is None
    return no_month and begin.get("season") == end.get("season")


def _part_value(date: Any, name: str) -> Any:
    """The value of one date part (a season stands for the month), None if it has none."""
    if name == "month" and date.get("month") is None and date.get("season") is not None:
        return ("season", date["season"])
    return date.get(name)


def _range_delimiter(self: Any, context: Any, names: list[str]) -> str:
    """The ``range-delimiter`` of the largest of ``names``: the citing ``cs:date``'s part
    overrides the locale's (CSL 1.0.2 "Date-part"); an en dash by default."""
    if not names:
        return "\u2013"
    for element in (context, self) if self.is_locale_date() and context is not None else (self,):
        for part in element.iterchildren():
            if part.get("name") == names[0] and part.get("range-delimiter") is not None:
                return str(part.get("range-delimiter"))
    return "\u2013"


def group_process(self: Any, item: Any, context: Any = None, **kwargs: Any) -> Any:
    """``Group.process`` that counts only the chosen branch of a ``cs:choose``.

    CSL 1.0.2 "Group": a group is suppressed when it calls variables and all of them are empty.
    citeproc-py counts the variables of every branch of a ``cs:choose``, so APA's thesis entry
    kept a lone "(Publication)"; citeproc-js counts the branch that was chosen."""
    text = group_text(self, item, context, **kwargs)
    if text is None:
        raise model.VariableError
    return text


def group_text(self: Any, item: Any, context: Any = None, **kwargs: Any) -> Any:
    """What ``group_process`` returns, None where it raises ``VariableError``."""
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
        return output[0] if len(output) == 1 else self.join(output)  # join returns one as is
    return None


def _chosen(choose: Any, item: Any, context: Any, delimiter: str, **kwargs: Any) -> Any:
    """(the branch of ``choose`` whose condition holds, its rendering)."""
    branch = choose.branch(item, context)
    if branch is None:
        return None, None
    return branch, branch.render_children(item, context=context, delimiter=delimiter, **kwargs)


def choose_render(
    self: Any, item: Any, context: Any = None, delimiter: str = "", **kwargs: Any
) -> Any:
    """``Choose.render`` that asks ``branch`` which branch holds, then renders it.

    citeproc-py let each ``cs:if`` test itself and raise ``ConditionFailed`` when it did not
    hold, seventy exceptions per APA entry; CSL 1.0.2 "Choose": the first branch whose
    condition holds is rendered (``cs:else`` when none does), nothing when there is none."""
    return _chosen(self, item, context, delimiter, **kwargs)[1]


def choose_branch(self: Any, item: Any, context: Any = None) -> Any:
    """``Choose.branch`` (new): the first ``cs:if``/``cs:else-if`` whose tests hold by its
    ``match`` (CSL 1.0.2 "Choose"), else the ``cs:else``, else None. The tests are
    citeproc-py's methods (and the fixes that replace them), run as ``If.render`` runs them."""
    for branch in self.iterchildren():
        if not isinstance(branch, model.If):  # cs:else
            return branch
        results: list[Any] = []
        for attribute, method in CONDITIONS:
            if attribute in branch.attrib:
                test = getattr(branch, method)
                results += test(item, context) if method == "_position" else test(item)
        if holds(branch.get("match"), results):
            return branch
    return None


def holds(match: str | None, results: list[Any]) -> bool:
    """Whether a condition holds: its tests' ``results`` under its ``match`` ("all" when
    unset; CSL 1.0.2 "Choose")."""
    if match == "any":
        return any(results)
    if match == "none":
        return not any(results)
    return all(results)


#: the tests of ``cs:if``/``cs:else-if`` (CSL 1.0.2 "Choose"), as attribute → citeproc-py's
#: method, in the order ``If.render`` runs them
CONDITIONS = (
    ("type", "_type"),
    ("variable", "_variable"),
    ("is-numeric", "_is_numeric"),
    ("is-uncertain-date", "_is_uncertain_date"),
    ("locator", "_locator"),
    ("position", "_position"),
)


def substitute_render(self: Any, item: Any, context: Any = None, **kwargs: Any) -> Any:
    """``Substitute.render`` that suppresses what it substituted in the rest of the entry.

    CSL 1.0.2 "Substitute": substituted variables are suppressed in the rest of the output.
    citeproc-py records a names variable but never checks it (APA printed the editors twice:
    "Della Porta, D., & Diani, M. (Eds.). (2015). Title (D. Della Porta & M. Diani, eds.)"),
    and printed a substituted title twice. A shorthand ``<names variable="editor"/>`` inherits
    the parent's ``cs:name`` and ``cs:label``, also inside a ``cs:choose`` (Chicago), where
    citeproc-py used a bare default name."""
    names = self.getparent()
    substitution = Substitution(names)
    INSTALLED.substituting.append(substitution)
    try:
        for child in self.getchildren():
            substitution.roles.clear()
            substitution.texts.clear()
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
                layout.repressed.setdefault("names-roles", []).extend(substitution.roles)
                for tag, variable in substitution.texts:  # a title put in the authors' place
                    layout.repressed.setdefault(tag, []).append(variable)
                return text
        return None
    finally:
        INSTALLED.substituting.pop()


def add_to_repressed_list(self: Any, child: Any, context: Any) -> None:
    """``Substitute.add_to_repressed_list`` that also records the roles of a ``cs:names``
    substitute, which ``names_process`` then leaves out: citeproc-py records the element but
    never checks it, so substituted editors printed again (CSL 1.0.2 "Substitute")."""
    INSTALLED.originals["Substitute.add_to_repressed_list"](self, child, context)
    if isinstance(child, model.Names):
        layout = context.get_layout()
        layout.repressed.setdefault("names-roles", []).extend(child.get("variable", "").split())


def names_process(
    self: Any, item: Any, names_context: Any = None, context: Any = None, **kwargs: Any
) -> Any:
    """``Names.process`` that skips substituted roles, lets a shorthand ``cs:names`` in a
    substitute inherit (CSL 1.0.2 "Substitute"), and keeps the text of the entry's authors
    for ``subsequent-author-substitute`` (CSL 1.0.2 "Reference Grouping"), which citeproc-py
    does not implement; the writer applies it."""
    substituting = INSTALLED.substituting
    if names_context is None and substituting and self.name is None:
        names_context = substituting[-1].names  # shorthand names in a substitute: inherit
    if substituting:
        roles = self.get("variable", "").split()
        substituting[-1].roles.extend(r for r in roles if r.replace("-", "_") in item.reference)
    entry = INSTALLED.entry
    entry.depth += 1
    try:
        text = _names_without_repressed(self, item, names_context, context, **kwargs)
    finally:
        entry.depth -= 1
    if text and entry.depth == 0 and entry.names is None:
        entry.names = text
    return text


def _names_without_repressed(
    self: Any, item: Any, names_context: Any, context: Any, **kwargs: Any
) -> Any:
    """The original ``Names.process`` for the roles no substitute has printed yet.

    A role whose CSL name has a hyphen (``container-author``, ``reviewed-author``,
    ``series-creator``...) is also put in the reference under that name: citeproc-py's
    ``Names.process`` asks ``role in item.reference`` with the CSL name while ``CiteProcJSON``
    keeps ``container_author``, so these names printed nothing (citeproc-js prints them)."""
    process = INSTALLED.originals["Names.process"]
    repressed = (context if context is not None else self).get_layout().repressed
    done = repressed.get("names-roles", ())
    roles = self.get("variable", "").split()
    _alias_hyphenated(item.reference, roles)
    if done and any(role in done for role in roles):
        kept = " ".join(role for role in roles if role not in done)
        if not kept:
            raise model.VariableError
        original = self.get("variable")
        self.set("variable", kept)
        try:
            return process(self, item, names_context, context, **kwargs)
        finally:
            self.set("variable", original)
    return process(self, item, names_context, context, **kwargs)


def _alias_hyphenated(reference: Any, variables: Any) -> None:
    """Put each variable whose CSL name has a hyphen in ``reference`` under that name too
    (``CiteProcJSON`` keeps ``number_of_volumes``), for the citeproc-py methods that look a
    variable up as the style writes it."""
    for variable in variables:
        if "-" in variable and variable not in reference:
            stored = reference.get(variable.replace("-", "_"))
            if stored is not None:
                dict.__setitem__(reference, variable, stored)


def number_process(self: Any, item: Any, context: Any = None, **kwargs: Any) -> Any:
    """``Number.process`` that finds a variable whose CSL name has a hyphen: citeproc-py
    asked the reference for ``number-of-volumes`` where ``CiteProcJSON`` keeps
    ``number_of_volumes``, so a ``cs:number`` of number-of-volumes, number-of-pages,
    collection-number, part-number... printed nothing (CSL 1.0.2 "Number"; citeproc-js prints
    Springer's "Vols. 1-3")."""
    _alias_hyphenated(item.reference, (self.get("variable") or "",))
    return INSTALLED.originals["Number.process"](self, item, context, **kwargs)


def name_process(
    self: Any, item: Any, variable: Any, context: Any = None, sort_options: Any = None,
    **kwargs: Any,
) -> Any:  # fmt: skip
    """``Name.process`` that notes whether every name is in a CJK script: citeproc-py's
    ``Name.get_option`` is not given the item, and ``name_get_option`` needs to know for the
    citeproc-js behaviour it follows (no delimiter before "and" between CJK names)."""
    people = item.reference.get(variable) or []
    INSTALLED.entry.cjk = len(people) > 1 and all(_is_cjk(p) for p in people)
    try:
        process = INSTALLED.originals["Name.process"]
        return process(self, item, variable, context, sort_options, **kwargs)
    finally:
        INSTALLED.entry.cjk = False


def _is_cjk(person: Any) -> bool:
    text = "".join(str(v) for v in person.values())
    return has_cjk(text)


def name_get_option(self: Any, name: str, context: Any = None, sort_options: Any = None) -> Any:
    """``Name.get_option`` with two citeproc-js behaviours.

    CJK names: citeproc-js puts no delimiter before "and" between names in CJK scripts
    (``余敏 & 朱江``), where citeproc-py follows ``delimiter-precedes-last`` (``余敏, & 朱江``).
    ``demote-non-dropping-particle="sort-only"``: citeproc-py ignores it when sorting by a
    macro, so "van der Berg" sorted under V instead of B (Harvard); CSL 1.0.2 "Name Particles"
    demotes the particle in sort keys."""
    value = INSTALLED.originals["Name.get_option"](self, name, context, sort_options)
    if name == "delimiter-precedes-last" and INSTALLED.entry.cjk:
        return "never"
    if name == "demote-non-dropping-particle" and sort_options is not None:
        return "display-and-sort" if value == "sort-only" else value
    return value


def label_process(
    self: Any, item: Any, variable: Any = None, plural: Any = None, context: Any = None,
    **kwargs: Any,
) -> Any:  # fmt: skip
    """``Label.process`` that prints nothing for an empty variable, and the label of a
    number-of-pages or number-of-volumes.

    citeproc-py printed "Edition" for an item without an edition (Chicago's
    ``<label variable="edition"/>``); CSL 1.0.2 "Label": the term is only rendered if the
    selected variable is non-empty. For ``number-of-*`` citeproc-py looked the value up on the
    citation item instead of the reference, so the label failed and printed nothing (APA's
    "(Vols. 1–3)" came out "(1–3)"); CSL 1.0.2 "Label": such a label is plural when the
    number is larger than 1 or there are several numbers, as citeproc-js has it."""
    own = self.get("variable")
    missing = own and own != "locator" and own.replace("-", "_") not in item.reference
    if variable is None and missing:
        return None
    if variable is None and plural is None and own and own.startswith("number-of"):
        numbers = _NUMBERS.findall(str(item.reference[own.replace("-", "_")]))
        plural = len(numbers) > 1 or (bool(numbers) and int(numbers[0]) > 1)
    return INSTALLED.originals["Label.process"](self, item, variable, plural, context, **kwargs)


_NUMBERS = re.compile(r"\d+")


def text_case(self: Any, text: Any, language: Any = None) -> Any:
    """``TextCased.case`` that takes an item without a language as English, and accepts text
    whose pieces are ``str``.

    citeproc-py takes a missing language as unknown, so labels were never title-cased
    (``eds.`` for ``Eds.``); CSL 1.0.2 "Text-case", "Non-English Items": in a style whose
    ``default-locale`` is English or unset, an item without a ``language`` is English, as in
    citeproc-js. ``cased`` avoids citeproc-py's AttributeError on ``str`` pieces. Title case
    reads a word without its formatting marks (rich text: ``<i>of</i>`` is still a stop word;
    citeproc-py saw ``\ufde2of`` and capitalised it)."""
    language = "en" if language is None else language
    if language == "en" and self.get("text-case") == "title" and _MARK_CHARS.search(str(text)):
        return _title_case(cased(text), self._stop_words)
    return INSTALLED.originals["TextCased.case"](self, cased(text), language)


def _title_case(text: Any, stop_words: list[str]) -> str:
    """citeproc-py's title case (``TextCased.case``), with each word's stop-word test and the
    word before it read without formatting marks."""
    output = []
    before = ":"  # the first word is capitalised
    for word in text.words():
        bare = str(word).strip(MARKS)
        if word.islower() and (bare not in stop_words or before in (":", ".")):
            word = word.capitalize_first()
        elif word.islower():
            word = word.soft_lower()
        before = bare[-1:] or before
        output.append(word)
    return " ".join(output)


_MARK_CHARS = re.compile(f"[{MARKS}]")


def cased(text: Any) -> Any:
    """``text`` with every piece a ``String``: citeproc-py's text-case calls ``words`` and
    ``capitalize_first`` on each, which a name part, a number or a locale's term given as
    ``str`` lacks (AttributeError: every record failed in iso690-numeric-lt)."""
    if type(text) is str:
        return String(text)
    if isinstance(text, MixedString) and not all(isinstance(p, String) for p in text):
        return MixedString([cased(p) for p in text])
    return text


def capitalize_first(self: Any) -> Any:
    """``String.capitalize_first`` that accepts an empty string (IndexError: every record
    failed in 12 ABNT and ISO 690 styles when a name part was empty after a case change), and
    capitalises the first letter after formatting marks (a rich-text ``<i>`` word in a
    title-cased title, as citeproc-js does)."""
    i = len(self) - len(self.lstrip(MARKS))
    return self.__class__(self[:i] + self[i : i + 1].upper() + self[i + 1 :])


def normalize_seam(left: Any, other: Any) -> Any:
    """``normalize_seam`` that keeps only the ``?`` or ``!`` before a period, as citeproc-js
    does (citeproc-py printed ``Why do we sleep?.``), and looks through closing marks.

    It reads only the two characters at the seam: citeproc-py joined both sides into strings
    (a ``MixedString`` piece by piece) on every affix and delimiter, a sixth of APA's time."""
    first = _first_char(other)
    if first not in _SEAM:  # the empty string too: nothing to normalise
        return other
    last = _last_char(left)
    if (last == first and first in _SEAM) or (last in ("?", "!") and first == "."):
        return INSTALLED.originals["strip_first"](other)
    return other


#: the characters a seam drops when both sides have them (citeproc-py's SEAM_PUNCTUATION and
#: the space)
_SEAM = frozenset(" .,;:!?")


def _first_char(text: Any) -> str:
    """The first character of ``str(text)``, without joining a ``MixedString``'s pieces."""
    if isinstance(text, list):
        for piece in text:
            first = _first_char(piece)
            if first:
                return first
        return ""
    return str(text)[:1]


def _last_char(text: Any) -> str:
    """The last character of ``str(text)`` that is no closing mark ("" if none)."""
    if isinstance(text, list):
        for piece in reversed(text):
            last = _last_char(piece)
            if last:
                return last
        return ""
    return str(text).rstrip(CLOSES)[-1:]


def format_last_page(self: Any, first: str, last: str) -> str:
    """``FormatNumber._format_last_page`` by the rules of CSL 1.0.2 "Appendix V: Page Range
    Formats", as citeproc-js applies them.

    citeproc-py dropped the digits the two pages share *as characters* whatever their length,
    so Vancouver's ``minimal`` printed ``1-10`` as "1–0", ``1-100`` as "1–00" and ``3-3`` as
    "3–". A last page shorter than the first is first completed from it (``321-28`` is
    321–328, as citeproc-js reads it); then ``expanded`` prints it whole, ``minimal`` leaves
    out the leading digits it shares with a first page of as many digits, ``minimal-two``
    keeps at least two, and ``chicago-16`` (and ``chicago``/``chicago-15``) follows the Chicago
    Manual: all digits below 100 and for multiples of 100, the changed part after 101–109,
    at least two digits after 110–199; ``chicago-15`` also prints four-digit pages whole when
    three digits change (1496–1504). A page with letters, or a range that does not go up, is
    printed as written."""
    if not (first.isdigit() and last.isdigit() and first.isascii() and last.isascii()):
        return last
    if len(last) < len(first):
        last = first[: len(first) - len(last)] + last
    if int(last) <= int(first) or len(last) != len(first):
        return last
    common = next((i for i, (a, b) in enumerate(zip(first, last, strict=True)) if a != b), 0)
    style = self.get_root().get_option("page-range-format")
    if style in ("chicago", "chicago-15", "chicago-16"):
        number = int(first)
        whole = number < 100 or number % 100 == 0  # 3–10, 100–104, 1100–1123
        whole = whole or (style != "chicago-16" and len(first) == 4 and common < 2)
        style = "expanded" if whole else "minimal" if number % 100 < 10 else "minimal-two"
    if style == "minimal":
        return last[common:]
    if style == "minimal-two":
        return last[min(common, len(last) - 2) :]
    return last


def to_ordinal(number: Any, context: Any) -> str:
    """``to_ordinal`` that takes a number's ordinal suffix from the first locale that defines
    ordinal terms, all of them from that one (CSL 1.0.2 "Ordinal Suffixes": a locale's
    ordinal terms replace those of the locales it falls back to, as in citeproc-js).

    citeproc-py looked each term up through every locale in turn, so a German bibliography
    found English ``ordinal-02`` ("nd") in en-US before German ``ordinal`` (".") in de-DE:
    APA printed "2nd Aufl." where citeproc-js prints "2. Aufl.". Within the locale the
    terms are tried as citeproc-py tries them: the whole number, its last digit, ``ordinal``."""
    root = context.get_root()
    style = root.style if isinstance(root, model.Locale) and hasattr(root, "style") else root
    text = str(number)
    names = ((f"ordinal-{int(text):02}" if len(text) == 1 else f"ordinal-{text}", False),
             (f"ordinal-{int(text[-1]):02}", True), ("ordinal", False))  # fmt: skip
    for locale in getattr(style, "locales", None) or [root]:
        if not locale.xpath_search(_ORDINAL_TERMS):
            continue
        for name, padded in names:
            try:
                term = locale.get_term(name, None, zero_padded=padded)
            except IndexError:
                continue
            if term is not None and term.single:
                return text + str(term.single)
        return text
    return text


_ORDINAL_TERMS = "./cs:terms/cs:term[starts-with(@name, 'ordinal')]"


def date_part_process(self: Any, date: Any, context: Any = None) -> Any:
    """``Date_Part.process`` that prints the season's term (CSL 1.0.2 Appendix II, "Seasons")
    where the style wants a numeric month, as citeproc-js does; citeproc-py crashed
    (``assert term == 'month'``) on a date with ``"season": 2``.

    A style's ``cs:date-part`` that overrides a localized date's part applies to that
    ``cs:date`` only (CSL 1.0.2 "Localized Date Formats"): citeproc-py copied the override
    into the locale's own ``cs:date-part`` for good, so after Begell House's
    ``<date-part name="month" form="short"/>`` every localized date printed "Mar." where
    citeproc-js prints the locale's "March"; the locale's part is restored."""
    attrib = self.attrib
    saved = dict(attrib)
    try:
        return INSTALLED.originals["Date_Part.process"](self, date, context)
    except AssertionError:
        term = f"season-{date.season:02}"
        return (context if context is not None else self).get_single_term(name=term)
    finally:
        if len(attrib) != len(saved) or dict(attrib) != saved:
            attrib.clear()
            attrib.update(saved)


def if_type(self: Any, item: Any) -> list[bool]:
    """``If._type`` as one test that holds when the item has any of the types, as in
    citeproc-js, which the styles rely on (ASA's ``<if type="thesis manuscript">``).
    citeproc-py tests each type, and under the default ``match="all"`` (CSL 1.0.2 "Choose")
    an item would need every type, which never holds."""
    return [item.reference.type in self.get("type").lower().split()]


def get_term(
    self: Any, name: str, form: Any = None, fallback_locale: bool = True, zero_padded: bool = False
) -> Any:
    """``CitationStylesElement.get_term`` that falls back to the next longer form (CSL 1.0.2
    "Terms": verb-short → verb → long, symbol → short → long) where citeproc-py gave an
    empty string (IEEE's "Spring 2012")."""
    original = INSTALLED.originals["CitationStylesElement.get_term"]
    term = original(self, name, form, fallback_locale, zero_padded)
    while term is None and form in _TERM_FALLBACK:
        form = _TERM_FALLBACK[form]
        term = original(self, name, form, fallback_locale, zero_padded)
    return term


#: citeproc-py methods we replace: "Class.attribute" in ``citeproc.model`` → our function.
FIXES: dict[str, Any] = {
    "Name.initialize": initialize,
    "Name.process": name_process,
    "Name.get_option": name_get_option,
    "Names.process": names_process,
    "Number.process": number_process,
    "Substitute.render": substitute_render,
    "Substitute.add_to_repressed_list": add_to_repressed_list,
    "Label.process": label_process,
    "TextCased.case": text_case,
    "Group.process": group_process,
    "Quoted.quote": quote,
    "Text._variable": text_variable,
    "Date.process": date_process,
    "Date_Part.process": date_part_process,
    "Date.render_single_date": render_single_date,
    "Date.render_date_range": render_date_range,
    "If._type": if_type,
    "FormatNumber._format_last_page": format_last_page,
    "Choose.render": choose_render,
    "Layout.render_bibliography": bibliography.render_bibliography,
    "CitationStylesElement.get_term": get_term,
    "Key.sort_keys": bibliography.sort_keys,
    "Sort.sort": bibliography.sort,
    # citeproc-py's ``\d+[^\d.]+\d+`` (two numbers: a plural label) backtracks quadratically
    # on a long run of digits (an issue number of 40,000 digits took 30 s; found by fuzzing);
    # this matches the same strings in linear time
    "Label.RE_MULTIPLE_NUMBERS": re.compile(r"\d[^\d.]+\d"),
    # CSL 1.0.2 "is-numeric": numbers with prefixes and suffixes ("D2", "2b") separated by a
    # comma, hyphen or ampersand ("2, 3", "2-4", "2 & 4") are numeric, as in citeproc-js;
    # citeproc-py took one number only, so a volume "42-43" lost its label ("Vols.") in MLA
    "If.re_numeric": re.compile(r"[a-z]*\d+[a-z]*(?:\s*[-–,&]\s*[a-z]*\d+[a-z]*)*\Z", re.I),
}


def install() -> None:
    """Apply the fixes to citeproc-py's classes (``install`` in the package calls this once)."""
    model.CitationStylesElement._default_options["initialize"] = "true"  # see ``initialize``
    for dotted, replacement in FIXES.items():
        owner, attribute = dotted.split(".")
        INSTALLED.replace(getattr(model, owner), attribute, dotted, replacement)
    INSTALLED.replace(string, "normalize_seam", "normalize_seam", normalize_seam)
    model.normalize_seam = normalize_seam  # citeproc.model imported the function itself
    INSTALLED.replace(model, "to_ordinal", "to_ordinal", to_ordinal)
    INSTALLED.originals["strip_first"] = string._strip_first_char
    INSTALLED.replace(String, "capitalize_first", "String.capitalize_first", capitalize_first)
    CitationItem.number = property(bibliography.citation_number)
    model.Choose.branch = choose_branch  # a method citeproc-py lacks: ``caches`` may wrap it
