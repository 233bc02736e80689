"""BibTeX name lists to CSL names (bibtexparser's splitting, BibTeX's "First von Last")."""

from __future__ import annotations

from refconv.formats.bibtex.decode import decode_latex
from refconv.model import Name
from refconv.values.names import split_dropping_particle


def parse_names(value: str) -> list[Name | None]:
    """BibTeX name list → names; a name braced whole is an organisation (a literal); None
    stands for "others" (et al.)."""
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
        if raw.startswith("{") and raw.endswith("}") and _all_braced(raw):
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
    depth = 0
    for ch in text:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if ch == "," and depth == 0:
            return True
    return False


def _all_braced(text: str) -> bool:
    """True when every character of ``text`` is inside a brace group (``{OECD}``, or the
    writer's ``{Smith }{\\&}{ Co}``): BibTeX cannot split such a name, so it is a literal."""
    depth = 0
    for ch in text:
        if depth == 0 and ch != "{":
            return False
        depth += {"{": 1, "}": -1}.get(ch, 0)
    return depth == 0
