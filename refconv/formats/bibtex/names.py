"""BibTeX name lists to CSL names (bibtexparser's splitting, BibTeX's "First von Last",
biblatex's extended name format), and biber's other lists."""

from __future__ import annotations

import re

from refconv.formats.bibtex.decode import decode_latex
from refconv.model import Name
from refconv.values.names import split_dropping_particle


def parse_names(value: str, problems: list[str] | None = None) -> list[Name | None]:
    """BibTeX name list → names; a name braced whole is an organisation (a literal); None
    stands for "others" (et al.). A name with more than two top-level commas (BibTeX knows
    "von Last, Jr, First" at most; bibtex(1): "Too many commas") is a literal as written,
    an empty one ("a and and b", "and ,") is left out: each with a line in ``problems``."""
    from bibtexparser.middlewares.names import (
        parse_single_name_into_parts,
        split_multiple_persons_names,
    )

    people: list[Name | None] = []
    for raw in split_multiple_persons_names(value):
        raw = raw.strip()
        if raw.lower() == "others":
            people.append(None)
            continue
        if _EXTENDED.match(raw):
            people.append(_extended_name(raw))
            continue
        if not raw.strip(" ,~") or not re.sub(r"[{}\s~]", "", raw):  # ",", "{}": "{,}" is ","
            if problems is not None:
                problems.append(f"an empty name {raw!r} in the list; left out")
            continue
        if raw.startswith("{") and raw.endswith("}") and _all_braced(raw):
            people.append(Name(literal=decode_latex(raw)))
            continue
        if _top_level_commas(raw) > 2:
            if problems is not None:
                problems.append(
                    f"name {raw!r} has more than two commas (BibTeX reads 'von Last, Jr, "
                    "First'); kept whole as written"
                )
            people.append(Name(literal=decode_latex(raw)))
            continue
        try:
            parts = parse_single_name_into_parts(raw, strict=False)
        except Exception:
            people.append(Name(literal=decode_latex(raw)))
            continue
        lower = [i for i, token in enumerate(parts.first) if token[:1].islower()]
        if lower and not parts.von and not _top_level_comma(raw):
            # BibTeX's "First von Last": von starts at the first lower-case word, also when
            # no First precedes it ("van Gogh"), which bibtexparser reads as a given name
            parts.von, parts.first = parts.first[lower[0] :], parts.first[: lower[0]]
        given, dropping = " ".join(parts.first), ""
        if _top_level_comma(raw):  # "Gaulle, Charles de": biber's given={Charles de}, CSL's
            # dropping particle (values/names.py); split as written, so a braced "{y}" stays
            given, dropping = split_dropping_particle(given)
        given, dropping = decode_latex(given), decode_latex(dropping)
        people.append(Name(
            family=decode_latex(" ".join(parts.last)), given=given, dropping_particle=dropping,
            particle=decode_latex(" ".join(parts.von)), suffix=decode_latex(" ".join(parts.jr)),
        ))  # fmt: skip
    return people


def _top_level_comma(text: str) -> bool:
    return _top_level_commas(text) > 0


def _top_level_commas(text: str) -> int:
    depth = commas = 0
    for ch in text:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        commas += ch == "," and depth == 0
    return commas


def _all_braced(text: str) -> bool:
    """True when every character of ``text`` is inside a brace group (``{OECD}``, or the
    writer's ``{Smith }{\\&}{ Co}``): BibTeX cannot split such a name, so it is a literal."""
    depth = 0
    for ch in text:
        if depth == 0 and ch != "{":
            return False
        depth += {"{": 1, "}": -1}.get(ch, 0)
    return depth == 0


#: ``\\noopsort{key}`` (and BibTeX's ``\\noopsort``-style sort prefixes braced with it):
#: a sort key for BibTeX that prints nothing (btxdoc §4's ``@preamble`` trick), so no text.
_NOOPSORT = re.compile(r"\{\s*\\noopsort\s*\{[^{}]*\}\s*\}|\\noopsort\s*\{[^{}]*\}")


def drop_sort_markup(value: str) -> str:
    """``value`` without its ``\\noopsort{...}`` sort keys (``{\\noopsort{b}}Alpha`` is
    Alpha sorted as b): biber and LaTeX print nothing of them."""
    return _NOOPSORT.sub("", value) if "noopsort" in value else value


def split_list(value: str) -> list[str]:
    """A biber literal list (``location = {Durham and London}``): its items, split at
    "and" between spaces outside braces (biblatex manual §2.3.3), as written."""
    items, depth, start = [], 0, 0
    i = 0
    while i < len(value):
        ch = value[i]
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth == 0 and ch.isspace():
            m = _AND.match(value, i)
            if m:
                items.append(value[start:i].strip())
                start = i = m.end()
                continue
        i += 1
    items.append(value[start:].strip())
    return [item for item in items if item]


_AND = re.compile(r"\s+and\s+", re.IGNORECASE)
#: biblatex's extended name format (manual §3.4): ``family=Goethe, given=Johann Wolfgang,
#: prefix=von, useprefix=false``: comma-separated ``key=value`` parts, values maybe braced.
_EXTENDED = re.compile(r"(family|given|prefix|suffix|useprefix)\s*=", re.IGNORECASE)


def _extended_name(raw: str) -> Name:
    """One name in biblatex's extended format. A ``prefix`` is CSL's dropping particle
    ("Goethe" cited alone: biblatex's default ``useprefix=false``), its non-dropping one
    with ``useprefix=true`` ("von Goethe", sorted under V). Other per-name options
    (``given-i``, name templates) say how to print and sort, not the name: not kept."""
    parts: dict[str, str] = {}
    for piece in _top_level_split(raw, ","):
        key, sep, text = piece.partition("=")
        if sep:
            text = text.strip()
            if text.startswith("{") and text.endswith("}") and _all_braced(text):
                text = text[1:-1]
            parts[key.strip().lower()] = decode_latex(text.strip())
    prefix = parts.get("prefix", "")
    useprefix = parts.get("useprefix", "false").lower() in ("true", "1", "yes")
    return Name(
        family=parts.get("family", ""), given=parts.get("given", ""),
        suffix=parts.get("suffix", ""), particle=prefix if useprefix else "",
        dropping_particle="" if useprefix else prefix,
    )  # fmt: skip


def _top_level_split(text: str, sep: str) -> list[str]:
    pieces, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if ch == sep and depth == 0:
            pieces.append(text[start:i])
            start = i + 1
    pieces.append(text[start:])
    return pieces
