"""Splitting one author string into CSL name parts (refer-format.md §5.1).

Handles "Family, Given", "Given Family", particles ("van der Berg"), capitalised compound
surnames ("Della Porta" stays whole), suffixes ("Jr.", "III"), PubMed initials ("Nahta R"),
organisations (kept whole as a literal) and CJK names (kept whole, never split).

``format_inverted`` and ``parse_name`` agree: a name written is the name read back
(``reads_back`` says when it is not, and writers keep such a name elsewhere). CSL's dropping
particle is written after the given name, ``Gaulle, Charles de``: CSL's own inverted form
(citeproc-js sorts and inverts it so), and BibTeX's "Last, First" form, where a lower-case
word after the comma is part of First, so bibtex(1) and biber print it before the family name
and do not sort by it; ``de Gaulle, Charles`` would make "de" the von part (biblatex's
prefix), which CSL calls the non-dropping particle. Checked with biber 2.18: the first gives
given={Charles de} and no prefix, the second prefix={de}; the cost is an initial "d." where a
style abbreviates given names. Only the END of the given part is read as a dropping
particle, so a given name such as "Maria del Carmen" stays whole.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from refconv.model import Name
from refconv.values.vocabulary import (
    CORPORATE_ENDINGS,
    CORPORATE_WORDS,
    ET_AL_MARKERS,
    NAME_PARTICLES,
    NAME_SUFFIXES,
    ORGANISATION_JOINERS,
)

_INITIALS = re.compile(r"[A-Z]{2,3}")
_PUBMED_INITIALS = re.compile(r"[A-Z]{1,3}")


#: kana, ideographs, Hangul
_CJK = "[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]"


@lru_cache(maxsize=1)
def _cjk() -> re.Pattern[str]:
    return re.compile(_CJK)  # 2 ms to compile (its ranges): only for a non-ASCII name


def has_cjk(text: str) -> bool:
    """True when ``text`` holds kana, CJK ideographs or Hangul (a name never split at spaces)."""
    return not text.isascii() and _cjk().search(text) is not None


def is_suffix(text: str) -> bool:
    """True when ``text`` is a generational or honorific name suffix (Jr., Sr., III, ...)."""
    return text.strip() in NAME_SUFFIXES


def is_et_al(text: str) -> bool:
    """True for "et al." and its variants, which mark missing authors rather than a person."""
    first, last = text[:1], text[-1:]
    if len(text) > _ET_AL_LONGEST and not (
        first == "," or first.isspace() or last == "," or last.isspace()
    ):
        return False  # too long to be one, with nothing to strip: most names (issue 18)
    return text.strip().strip(",").strip().lower() in ET_AL_MARKERS


_ET_AL_LONGEST = max(map(len, ET_AL_MARKERS))


def is_corporate(text: str) -> bool:
    """True when a comma-free name of two words or more is an organisation, not a person.

    It is when a word is an institutional noun (``CORPORATE_WORDS``: "World Health
    Organization", "Instituto Nacional de Estadística"), a German compound ending in one
    ("Bundesministerium", ``CORPORATE_ENDINGS``), or when a lower-case joining word that no
    person's name holds (``ORGANISATION_JOINERS``: of, on, for, and, the, für, und, pour, ...)
    stands between two other words: "Intergovernmental Panel on Climate Change", "Procter and
    Gamble". The particles of people's names (de, da, van, von, der, y, al, ...) never decide
    it, so "Charles de Gaulle", "José Ortega y Gasset" and "Ursula von der Leyen" stay people.

    Limits: an organisation joined only by particles and without a listed noun ("Casa de
    Velázquez") is read as a person; a name with an epithet ("Hildegard of Bingen", "Alfred the
    Great") is kept whole as a literal, which is also how it sorts; an institutional noun used
    as a family name ("Anna Service") makes a literal too.
    """
    words = text.split()
    if len(words) < 2:
        return False
    for word in words:
        folded = word.strip("(),.").lower()
        if word.strip("(),").lower() in CORPORATE_WORDS or folded in CORPORATE_WORDS:
            return True
        if folded.endswith(CORPORATE_ENDINGS):
            return True
    return any(word in ORGANISATION_JOINERS for word in words[1:-1])


def _spell_initials(given: str) -> str:
    """ "HM" → "H. M." for the 2-3 capital runs PubMed writes (only used in comma form);
    ``given`` is whitespace-collapsed, as every caller has it."""
    if " " not in given and not given.isupper():  # one word, not initials: most names
        return given
    tokens = given.split()
    out = [" ".join(f"{c}." for c in tok) if _INITIALS.fullmatch(tok) else tok for tok in tokens]
    return " ".join(out)


def _split_particle(family: str) -> tuple[str, str]:
    """Split off leading lower-case particles: "van der Berg" → ("van der", "Berg");
    ``family`` is whitespace-collapsed, as every caller has it."""
    if " " not in family:  # one word: no particle can precede it (most names)
        return "", family
    tokens = family.split()
    n = 0
    while n < len(tokens) - 1 and tokens[n].lower() in NAME_PARTICLES and tokens[n].islower():
        n += 1
    return " ".join(tokens[:n]), " ".join(tokens[n:])


def split_particle(family: str) -> tuple[str, str]:
    """(non-dropping particle, family) of a family name given on its own, as a MODS
    ``namePart type="family"`` gives it: "van der Berg" → ("van der", "Berg"); only leading
    lower-case particle words count, the last word is always the family name; runs of white
    space are one space."""
    return _split_particle(" ".join(family.split()))


def _natural(tokens: list[str]) -> Name:
    """ "Given [particles] Family [Suffix]" → Name."""
    suffix = ""
    if len(tokens) >= 3 and is_suffix(tokens[-1]):
        suffix = tokens.pop()
    if len(tokens) == 1:
        return Name(family=tokens[0], suffix=suffix)
    particle, family = _split_particle(" ".join(tokens))
    if particle and " " not in family:  # "van Gogh": a family name and its particle only
        return Name(family=family, particle=particle, suffix=suffix)
    last = tokens[-1]
    if _PUBMED_INITIALS.fullmatch(last) and not all(_PUBMED_INITIALS.fullmatch(t) for t in tokens):
        # "Nahta R", "Mooers BHM": family first, initials last (PubMed/Google Scholar).
        particle, family = _split_particle(" ".join(tokens[:-1]))
        given = " ".join(f"{c}." for c in last)
        return Name(family=family, given=given, particle=particle, suffix=suffix)
    start = len(tokens) - 1
    while start > 1 and tokens[start - 1].islower() and tokens[start - 1] in NAME_PARTICLES:
        start -= 1
    return Name(
        family=last,
        given=" ".join(tokens[: min(start, len(tokens) - 1)]),
        particle=" ".join(tokens[start : len(tokens) - 1]),
        suffix=suffix,
    )


def split_dropping_particle(given: str) -> tuple[str, str]:
    """Split off trailing lower-case particles of the given part after the comma:
    "Charles de" → ("Charles", "de"). Only the trailing position counts, so a particle
    inside a given name ("Maria del Carmen") stays where it is."""
    tokens = given.split()
    n = len(tokens)
    while n > 0 and tokens[n - 1].lower() in NAME_PARTICLES and tokens[n - 1].islower():
        n -= 1
    return " ".join(tokens[:n]), " ".join(tokens[n:])


def _inverted(family: str, given: str, suffix: str = "") -> Name:
    particle, family = _split_particle(family)
    given, dropping = split_dropping_particle(given)
    return Name(
        family=family,
        given=_spell_initials(given),
        particle=particle,
        dropping_particle=dropping,
        suffix=suffix,
    )


def has_text(name: Name) -> bool:
    """Whether any part of ``name`` holds text: a name of empty parts (Refer "%A ,", CSL-JSON
    ``{"given": ""}``) is no name, and every reader leaves it out with a warning."""
    parts = (name.family, name.given, name.literal, name.particle, name.dropping_particle,
             name.suffix)  # fmt: skip
    return any(part.strip() for part in parts)


def parse_name(raw: str, *, natural_order: bool = False) -> tuple[Name | None, str]:
    """Parse one name; return ``(name, problem)``.

    ``name`` is None for an "et al." marker. ``problem`` is "" or a short description of a
    guess the caller should warn about. ``natural_order`` is classic refer's convention, where
    a comma introduces a suffix ("J. Smith, Jr.") rather than a given name.
    """
    text = " ".join(raw.split())
    if not text or is_et_al(text):
        return None, ""
    if ",," in text:  # EndNote's way to keep a multi-part corporate name whole
        return Name(literal=re.sub(r"\s*,,\s*", ", ", text).strip(", ")), ""
    if text.endswith(","):  # EndNote: a trailing comma marks an organisation
        return Name(literal=text[:-1].strip()), ""
    if has_cjk(text):  # never split on spaces; "余, 敏" is family and given
        family, comma, given = text.partition(",")
        if comma and family.strip() and given.strip() and "," not in given:
            return Name(family=family.strip(), given=given.strip()), ""
        return Name(literal=text), ""
    parts = [p.strip() for p in text.split(",")]
    if len(parts) == 1:
        if is_corporate(text):
            return Name(literal=text), ""
        return _natural(text.split()), ""
    if len(parts) == 2:
        first, second = parts
        if is_suffix(second) and first:  # "John Smith, Jr." (or a family name and a suffix)
            return replace(_natural(first.split()), suffix=second), ""
        if not first and second:  # ", Plato": a given name only
            given, dropping = split_dropping_particle(second)
            return Name(given=given, dropping_particle=dropping), ""
        if not first or not second:
            return Name(literal=text.strip(", ")), ""
        problem = ""
        if natural_order:
            problem = f"name {text!r} has a comma but no known suffix; read as 'Family, Given'"
        return _inverted(first, second), problem
    if len(parts) == 3 and all(parts):
        family, middle, last = parts
        if is_suffix(last):
            return _inverted(family, middle, last), ""
        if is_suffix(middle):  # BibTeX order: "King, Jr., Martin Luther"
            return _inverted(family, last, middle), ""
    return Name(literal=text), f"name {text!r} has several commas; kept whole"


def format_inverted(person: Name) -> str:
    """``Family, Given`` as EndNote and RIS write it, and as ``parse_name`` reads it back.

    ``van der Berg, Jan``; ``Smith, John, Jr.``; a dropping particle after the given name
    (``Gaulle, Charles de``: CSL's own inverted form of it, and BibTeX's too, where a
    lower-case word after the comma belongs to First and so is neither printed before nor
    sorted with the family name); a given name only after a comma (``, Plato``); an
    organisation ends with a comma (EndNote's mark of a name that must not be inverted) or,
    when it holds commas itself, joins its parts with ``,,``; a CJK literal is written as it is.
    """
    if person.literal:
        if "," in person.literal:
            return re.sub(r",\s*", ",,", person.literal)
        return person.literal if has_cjk(person.literal) else person.literal + ","
    family = f"{person.particle} {person.family}".strip()
    given = f"{person.given} {person.dropping_particle}".strip()
    if not given:  # "Smith, Jr." reads back as a family name and a suffix
        return ", ".join(filter(None, [family, person.suffix]))
    return ", ".join([family, given] + ([person.suffix] if person.suffix else []))


def reads_back(person: Name) -> bool:
    """True when ``format_inverted`` writes ``person`` so that ``parse_name`` reads back the
    same parts. A writer keeps a name for which this is False under a quoted key in its note
    (read back as a custom value, counted for --report) rather than write another name.

    Exact but for what only fills in what the name leaves empty or respells it: runs of white
    space (line breaks too) are one space, PubMed's "HM" is "H. M.", and a given name's
    trailing particle ("Charles de", as BibTeX reads "Gaulle, Charles de") is the dropping
    particle when the name has none, printed in the same place. A part the name has is never
    changed: a capitalised dropping particle ("Doe, J. Van" reads given "J. Van") or one
    beside a given name ending in a particle word ("Fontaine, Jean de la" reads given "Jean",
    dropping particle "de la", not "Jean de" and "la") does not read back.
    """
    return _reads_back(format_inverted(person), _parts(person))


@lru_cache(maxsize=8192)  # the same people recur across a bibliography
def _reads_back(written: str, parts: tuple[str, ...]) -> bool:
    back = parse_name(written)[0]
    spaced = [" ".join(part.split()) for part in parts]
    if not spaced[3]:
        spaced[1], spaced[3] = split_dropping_particle(spaced[1])
    spaced[1] = _spell_initials(spaced[1])
    return back is not None and _parts(back) == tuple(spaced)


def _parts(person: Name) -> tuple[str, ...]:
    return (
        person.family,
        person.given,
        person.particle,
        person.dropping_particle,
        person.suffix,
        person.literal,
    )


# "Smith, J., et al." / "Anna Berglund et al." / "Smith J; and others": a marker at the end.
_TRAILING_ET_AL = re.compile(
    r"(?P<head>.*?\S)(?:\s*[,;]\s*|\s+)(?P<mark>[Ee]t(?:\.\s?|\s)[Aa]l(?:ia)?\.?|and others)\s*",
)  # not "Etal": a family name may be spelled so
# "Procter &amp; Gamble": the ';' of an HTML entity separates nothing
_SEMICOLON_TOKEN = re.compile(r"&#?\w+;|;|[^&;]+|&")
_AND = re.compile(r",?\s+(?:and|&)\s+")


def _semicolon_parts(text: str) -> list[str]:
    parts = [""]
    for token in _SEMICOLON_TOKEN.findall(text):
        if token == ";":
            parts.append("")
        else:
            parts[-1] += token
    return parts


def _is_initial(token: str) -> bool:
    """ "J.", "J", "JR", "J.R.", "J.-P.": one to three capitals, dotted or not."""
    core = token.replace(".", "").replace("-", "")
    return 1 <= len(core) <= 3 and core.isalpha() and core.isupper()


def _is_word(token: str) -> bool:
    """A capitalised name word with a lower-case letter: "Berglund", "O'Brien", "McDonald",
    "Sanchez-Robledo", "al-Baghdadi" (a lower-case prefix before a hyphen)."""
    head, dash, rest = token.partition("-")
    if dash and head.islower() and len(head) <= 3:
        token = rest
    letters = [c for c in token if c.isalpha()]
    return (
        len(letters) >= 2
        and token[0].isupper()
        and any(c.islower() for c in letters)
        and all(c.isalpha() or c in "'’-" for c in token)
    )


def _is_particle(token: str) -> bool:
    return token.islower() and token in NAME_PARTICLES


def _is_natural(part: str) -> bool:
    """ "Anna Berglund", "J. R. Smith", "Ludwig van Beethoven", "Martin Luther King Jr.": given
    names or initials, then a family name word, and nothing an organisation or a PubMed pair has."""
    tokens = part.split()
    if len(tokens) >= 3 and is_suffix(tokens[-1]):
        tokens = tokens[:-1]
    if not 2 <= len(tokens) <= 8 or is_corporate(part) or not _is_word(tokens[-1]):
        return False
    inner = tokens[1:-1]
    first = tokens[0]
    return (_is_word(first) or _is_initial(first)) and all(
        _is_word(t) or _is_initial(t) or _is_particle(t) for t in inner
    )


def _is_pubmed(part: str) -> bool:
    """ "Berglund A", "Mooers BHM", "van Gogh V": a family name, then undotted initials."""
    tokens = part.split()
    last = tokens[-1] if tokens else ""
    family = tokens[:-1]
    return (
        1 <= len(family) <= 4
        and "." not in last
        and _is_initial(last)
        and _is_word(family[-1])
        and all(_is_word(t) or _is_particle(t) for t in family)
    )


def _is_family(part: str) -> bool:
    """The part before the comma of "Family, Given": name words and particles, no initials."""
    tokens = part.split()
    return (
        1 <= len(tokens) <= 4
        and _is_word(tokens[-1])
        and all(_is_word(t) or _is_particle(t) for t in tokens)
        and not is_corporate(part)
    )


def _is_given(part: str) -> bool:
    """The part after the comma of "Family, Given": names, initials, a dropping particle."""
    tokens = part.split()
    return (
        1 <= len(tokens) <= 4
        and not is_suffix(part)
        and all(_is_word(t) or _is_initial(t) or _is_particle(t) for t in tokens)
    )


def _inverted_people(parts: list[str]) -> list[str] | None:
    """ "Smith, J., Jones, K., Jr." → ["Smith, J.", "Jones, K., Jr."], or None unless every
    part falls into a (family, given[, suffix]) group."""
    people: list[str] = []
    at = 0
    while at < len(parts):
        if at + 1 >= len(parts) or not (_is_family(parts[at]) and _is_given(parts[at + 1])):
            return None
        group = parts[at : at + 2]
        at += 2
        if at < len(parts) and is_suffix(parts[at]):
            group.append(parts[at])
            at += 1
        people.append(", ".join(group))
    return people


def _natural_people(parts: list[str]) -> list[str]:
    """The natural-order people of ``parts``, a suffix part joined to the one before ("Kofi
    Mensah, Jr."), or [] unless every part is one."""
    people: list[str] = []
    for part in parts:
        if people and is_suffix(part):
            people[-1] += ", " + part
        elif _is_natural(part):
            people.append(part)
        else:
            return []
    return people


def _comma_people(text: str) -> list[str] | None:
    """The people of a ';'-free, 'and'-free ``text`` when its shape says so for certain,
    ``[text]`` when it is one person for certain, None when it is neither."""
    parts = [p.strip() for p in text.split(",")]
    if any(not p for p in parts):
        return None
    if len(parts) >= 2 and all(_is_pubmed(p) for p in parts):
        return parts
    groups = _natural_people(parts)
    if len(groups) >= 3:
        return groups
    if len(groups) == 2 and any(_is_initial(t) for t in parts[0].split()[:-1]):
        return groups  # "J. Smith, K. Jones": a family name holds no initial, so no inversion
    inverted = _inverted_people(parts)
    if inverted is not None:
        return inverted
    if len(parts) == 1 and (_is_natural(text) or _is_pubmed(text)):
        return [text]
    return None


#: Words that may join or end a list of people ("and", "et al.", "and others").
_LIST_WORD = re.compile(r"\b(?:and|et|others)\b", re.IGNORECASE)


def split_people(text: str) -> list[str]:
    """Return the people one creator value (EndNote ``%A``, RIS ``AU``) holds, in order;
    ``[text]`` when it holds one person or its shape does not say for certain that it holds
    more.

    EndNote and RIS write one person per line (the RIS specification of 2011: one ``AU`` per
    author, "Lastname, Firstname, Suffix"), so a value is one person unless its shape cannot be
    one. It is split, in this order, when:

    - it has ';' outside an HTML entity, between non-empty parts: each part is one person
      (the separator EndNote and Zotero users paste);
    - it ends with an "et al." or "and others" marker: the marker is a last item of its own
      (``parse_name`` reads it as no person, so the caller keeps it as a marker);
    - it is two or more PubMed pairs, family name then undotted initials, joined by ','
      ("Berglund A, Mensah K"): a family name never ends in a bare capital;
    - it is three or more natural-order names ("Anna Berglund, Kofi Mensah, Lena Vogt"; a
      suffix part joins the name before it), which no inverted name can be; two only when the
      first has an initial before its last word ("J. Smith, K. Jones"), because "Pérez García,
      María José" is one person of the same shape as "Anna Berglund, Kofi Mensah";
    - it is two or more inverted people, each a family part and a given part, with an optional
      suffix part ("Smith, J., Jones, K."), as bibutils reads such a value;
    - it joins such people, or one person each, with "and" or "&" ("Anna Berglund and Kofi
      Mensah", "Smith, J. and Jones, K.", a list's last "and" in "Anna Berglund, Kofi Mensah
      and Lena Vogt"), and no institutional noun is in it: every side must be a person with a
      given and a family name, so "Procter and Gamble" and "Bill and Melinda Gates" stay one
      value ("Procter and Gamble" is an organisation for ``parse_name``).

    Never split: a value with EndNote's organisation marks (a trailing comma, ",,"), a CJK
    value, one inverted person ("Smith, John, Jr.", "King, Jr., Martin Luther", "Gaulle,
    Charles de"), an organisation, or any shape not listed above.
    """
    if ";" not in text and "&" not in text and not _LIST_WORD.search(text):
        # the common shapes, which no list has: no comma; EndNote's organisation mark (a
        # trailing comma); one comma after a family part with no initial ("Della Porta, Jan")
        commas = text.count(",")
        if commas == 0 or text.rstrip().endswith(","):
            return [text]
        if commas == 1 and not any(_is_initial(t) for t in text.partition(",")[0].split()):
            return [text]
    flat = " ".join(text.split())
    pieces = [p.strip() for p in _semicolon_parts(flat) if p.strip()]
    if len(pieces) >= 2:
        return pieces
    marked = _TRAILING_ET_AL.fullmatch(flat)
    if marked and not marked["head"].endswith(","):
        return [*split_people(marked["head"]), marked["mark"]]
    if not flat or flat.endswith(",") or ",," in flat or has_cjk(flat):
        return [text]
    if _AND.search(flat) and not any(
        w.strip("(),.").lower() in CORPORATE_WORDS for w in flat.split()
    ):
        sides = _AND.split(flat)
        listed = _natural_people([p.strip() for side in sides for p in side.split(",")])
        if listed:  # "Anna Berglund, Kofi Mensah and Lena Vogt": 'and' ends a list
            return listed
        found: list[str] = []
        for side in sides:
            people = _comma_people(side)
            if people is None:
                return [text]
            found.extend(people)
        return found
    people = _comma_people(flat)
    return people if people is not None and len(people) >= 2 else [text]
