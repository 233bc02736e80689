"""A deterministic corpus of small biblatex entries for the differential test against pandoc
(``tests/test_pandoc_biblatex.py``, issue 16).

Every entry is a plain base (an author, a title, a year, in ASCII) plus ONE feature of the
biblatex data model (biblatex manual §2.1 entry types, §2.2 fields by type: literal fields,
name lists, literal lists, key fields, date fields, range fields, integer fields, verbatim
fields, special fields; §2.3 usage notes; §2.4 the file syntax: ``@string``, ``#``, comments).
One feature per entry lets a difference be explained by a category (variable + feature tag)
instead of by a list of entry keys. Entry ``i`` gets feature ``i mod len(FEATURES)``, so every
feature occurs once N reaches ``len(FEATURES)``; the variant of a feature (a name form, a date
shape, a LaTeX construct) is drawn from a seeded ``random.Random``.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field

#: biblatex manual §2.1.1 (regular types), §2.1.2 (unsupported-by-default types that the
#: standard styles still accept) and §2.1.3 (BibTeX aliases).
ENTRY_TYPES = [
    "article", "book", "mvbook", "inbook", "bookinbook", "suppbook", "booklet", "collection",
    "mvcollection", "incollection", "suppcollection", "dataset", "manual", "misc", "online",
    "patent", "periodical", "suppperiodical", "proceedings", "mvproceedings", "inproceedings",
    "reference", "mvreference", "inreference", "report", "software", "thesis", "unpublished",
    "artwork", "audio", "bibnote", "commentary", "image", "jurisdiction", "legislation", "legal",
    "letter", "movie", "music", "performance", "review", "standard", "video", "conference",
    "electronic", "mastersthesis", "phdthesis", "techreport", "www",
]  # fmt: skip

BASE_TYPES = ["article", "book", "incollection", "inproceedings", "report", "thesis", "misc"]
FAMILIES = ["Smith", "Jones", "Baker", "Clark", "Evans", "Moore", "Price", "Wood", "Hill"]
GIVENS = ["Anna", "Brian", "Carla", "David", "Ellen", "Frank", "Grace", "Henry"]
WORDS = [
    "river", "theory", "model", "study", "network", "history", "field", "method", "language",
    "system", "analysis", "power", "light", "city", "data", "design", "market", "growth",
]  # fmt: skip


@dataclass
class Entry:
    """One generated entry: its key, type, fields in order, and the tags that name its
    features (``type:book``, ``field:maintitle``, ``date:open``, ...)."""

    key: str
    type: str
    fields: list[tuple[str, str]]
    tags: set[str] = field(default_factory=set)
    #: Raw lines before the entry (``@string``, ``@comment``) and a comment line inside it.
    before: list[str] = field(default_factory=list)
    inside_comment: str | None = None
    #: Entries written before this one (the ``@xdata`` it names).
    before_entries: list[Entry] = field(default_factory=list)
    #: Entries written after this one (a ``crossref`` parent follows its child).
    after: list[Entry] = field(default_factory=list)

    def render(self) -> str:
        """The entry as biblatex source: one field a line, braces around literal values
        (a value given as ``=macro`` or ``#`` expression is written bare)."""
        lines = [*self.before, f"@{self.type}{{{self.key},"]
        if self.inside_comment is not None:
            lines.append(f"  % {self.inside_comment}")
        for name, value in self.fields:
            rendered = value[1:] if value.startswith("=") else f"{{{value}}}"
            lines.append(f"  {name} = {rendered},")
        lines.append("}")
        return "\n".join(lines) + "\n"


def words(rng: random.Random, n: int) -> str:
    """``n`` plain lowercase words, the first capitalised."""
    text = " ".join(rng.choice(WORDS) for _ in range(n))
    return text[:1].upper() + text[1:]


def person(rng: random.Random) -> str:
    """A plain ``Family, Given`` name."""
    return f"{rng.choice(FAMILIES)}, {rng.choice(GIVENS)}"


Feature = Callable[[random.Random, Entry], None]


def set_field(entry: Entry, name: str, value: str, *tags: str) -> None:
    """Add or replace field ``name``; tag the entry ``field:<name>`` and ``tags``."""
    entry.fields = [(n, v) for n, v in entry.fields if n != name]
    entry.fields.append((name, value))
    entry.tags.update({f"field:{name}", *tags})


def literal(name: str, make: Callable[[random.Random], str] | None = None) -> Feature:
    """A literal field (§2.2.1 ``literal``) with a plain value."""

    def feature(rng: random.Random, entry: Entry) -> None:
        set_field(entry, name, make(rng) if make else words(rng, rng.randint(1, 4)))

    return feature


def with_type(entry_type: str) -> Feature:
    """The entry's type (§2.1), with the fields its type usually has."""

    def feature(rng: random.Random, entry: Entry) -> None:
        entry.type = entry_type
        entry.tags = {tag for tag in entry.tags if not tag.startswith("type:")}
        entry.tags.add(f"type:{entry_type}")
        if entry_type not in {"article", "periodical", "suppperiodical", "review"}:
            entry.fields = [(n, v) for n, v in entry.fields if n != "journaltitle"]

    return feature


NAME_FORMS = [
    ("von Goethe, Johann Wolfgang", "name:von"),
    ("Johann Wolfgang von Goethe", "name:von-first-last"),
    ("de la Fontaine, Jean", "name:von"),
    ("Doe, Jr., John", "name:jr"),
    ("{Barnes and Noble, Inc.}", "name:corporate"),
    ("{World Health Organization}", "name:corporate"),
    ("Anna Smith and Brian Jones", "name:two"),
    ("Smith, Anna and others", "name:others"),
    ("family=Goethe, given=Johann Wolfgang, prefix=von, useprefix=false", "name:extended"),
    ("family=Beethoven, given=Ludwig, prefix=van, useprefix=true", "name:extended"),
    ('Ch{\\"u}, Nguy{\\^e}n', "name:accent"),
    ('M{\\"u}ller, J{\\"o}rg', "name:accent"),
    ("Grace Hopper", "name:first-last"),
    ("Smith, A. B.", "name:initials"),
    ("Smith, Anna-Maria", "name:hyphen"),
]

NAME_FIELDS = [
    "author", "editor", "translator", "bookauthor", "annotator", "commentator",
    "introduction", "foreword", "afterword", "holder", "shortauthor", "shorteditor",
]  # fmt: skip


def names(name: str) -> Feature:
    """A name list (§2.2.1 ``name``) in one of the forms of §3.4 and the extended format."""

    def feature(rng: random.Random, entry: Entry) -> None:
        value, tag = rng.choice(NAME_FORMS)
        set_field(entry, name, value, tag)

    return feature


def editora(rng: random.Random, entry: Entry) -> None:
    """``editora`` with its role (``editoratype``, a key field)."""
    set_field(entry, "editora", person(rng))
    set_field(entry, "editoratype", rng.choice(["compiler", "redactor", "founder"]))


def editortype(rng: random.Random, entry: Entry) -> None:
    """``editor`` with ``editortype`` (§2.2.2)."""
    set_field(entry, "editor", person(rng))
    set_field(entry, "editortype", rng.choice(["compiler", "director", "organizer"]))


def literal_list(name: str) -> Feature:
    """A literal list (§2.2.1 ``list``): items separated by ``and``."""
    places = ["Durham and London", "Berlin", "New York and Oxford", "Paris and {Lyon and Nice}"]
    publishers = ["MIT Press", 'Springer and Birkh{\\"a}user', "Oxford University Press"]

    def feature(rng: random.Random, entry: Entry) -> None:
        pool = places if name in {"location", "origlocation"} else publishers
        value = rng.choice(pool)
        set_field(entry, name, value, "list:several" if " and " in value else "list:one")

    return feature


LANGIDS = ["english", "american", "british", "ngerman", "german", "french", "spanish", "italian"]
#: §4.9.2 bibstring keys a ``type`` field may hold, and literal types.
TYPES = ["mathesis", "phdthesis", "candthesis", "techreport", "resreport", "software",
         "datacd", "audiocd", "Research Note"]  # fmt: skip
PUBSTATES = ["inpress", "forthcoming", "submitted", "prepublished", "inpreparation"]

DATES = [
    ("1999", "date:year"),
    ("2004-03", "date:month"),
    ("2004-03-15", "date:day"),
    ("1988/1992", "date:range"),
    ("2018-02/2018-03", "date:range-in-year"),
    ("2001-05-12/2001-06-03", "date:range"),
    ("1999-10-14/", "date:open"),
    ("/1999", "date:open-start"),
    ("../2002", "date:open-start"),
    ("1723~", "date:approximate"),
    ("1723?", "date:uncertain"),
    ("1723?~", "date:approximate-uncertain"),
    ("1850%", "date:approximate-uncertain"),
    ("2001-21", "date:season"),
    ("2001-22", "date:season"),
    ("2001-23", "date:season"),
    ("2001-24", "date:season"),
    ("2004-04-05T14:34:00", "date:time"),
    ("2004-04-05T14:34:00Z", "date:time"),
    ("-0044-03-15", "date:bce"),
    ("199X", "date:unspecified"),
]


def year_month(rng: random.Random, entry: Entry) -> None:
    """Legacy ``year`` + ``month`` (a month macro, a number, or a name)."""
    value, tag = rng.choice(
        [("=mar", "month:macro"), ("3", "month:number"), ("March", "month:name")]
    )
    set_field(entry, "month", value, tag)


PAGES = [
    ("12-34", "pages:hyphen"),
    ("12--34", "pages:double"),
    ("12\u201334", "pages:endash"),
    ("12", "pages:single"),
    ("12--34, 56--78", "pages:multi"),
    ("iv--xii", "pages:roman"),
    ("A12--A14", "pages:prefixed"),
]

URLS = [
    ("https://example.org/a_b%20c?x=1&y=2#frag", "url:query"),
    ("http://example.com/~user/page", "url:tilde"),
]
DOIS = [("10.1000/xyz123", "doi:plain"), ("10.1002/(SICI)1097-0258", "doi:parens"),
        ("https://doi.org/10.1000/abc", "doi:url")]  # fmt: skip
EPRINTS = [
    ("1234.5678", "arxiv", "eprint:arxiv"),
    ("hep-th/9901001", "arXiv", "eprint:arxiv"),
    ("12345678", "pubmed", "eprint:pubmed"),
    ("1721.1/12345", "hdl", "eprint:hdl"),
    ("2239101", "jstor", "eprint:jstor"),
    ("abc123", "googlebooks", "eprint:googlebooks"),
    ("X99", "", "eprint:no-type"),
]


TITLE_PARTS = [
    ("subtitle",), ("titleaddon",), ("subtitle", "titleaddon"),
    ("booktitle",), ("booktitle", "booksubtitle"), ("booktitle", "booktitleaddon"),
    ("maintitle",), ("maintitle", "mainsubtitle"), ("maintitle", "maintitleaddon"),
    ("journaltitle",), ("journaltitle", "journalsubtitle"), ("journal",),
    ("issuetitle",), ("issuetitle", "issuesubtitle"), ("shorttitle",), ("origtitle",),
    ("eventtitle",), ("eventtitle", "venue"), ("reprinttitle",), ("indextitle",),
    ("shortjournal",), ("shortseries",),
]  # fmt: skip


LATEX = [
    ("Caf\\'e in M\\\"unchen", "latex:accent"),
    ("{\\v{C}}esk{\\'y} {\\ss}tra{\\ss}e {\\o}re", "latex:accent-braced"),
    ("On \\emph{Drosophila} genes", "latex:emph"),
    ("A \\textbf{bold} and \\textit{italic} claim", "latex:textbf"),
    ("Cohomology of $\\mathbf{P}^{1}$ and $x^2$", "latex:math"),
    ("The $\\alpha$-helix", "latex:math"),
    ("The {DNA} of {ibn Bajja}", "latex:braces"),
    ("Pages 10--20 and a pause --- here", "latex:dashes"),
    ("He said ``hello'' and `bye'", "latex:quotes"),
    ("Fish \\& Chips at 50\\% off", "latex:escapes"),
    ("Typeset in \\TeX{} and \\LaTeX", "latex:logo"),
    ("Dr.~Who and Mr.\\ Smith", "latex:tie"),
    ("\\enquote{Quoted} and \\mkbibquote{this}", "latex:enquote"),
    ("Input\\slash output", "latex:slash"),
    ("A long title\n    that spans\n    lines", "latex:newlines"),
    ("Water H\\textsubscript{2}O and E=mc\\textsuperscript{2}", "latex:subsup"),
    ("See \\cite{other} here", "latex:unknown-command"),
    ("{\\sc Small Caps} text", "latex:smallcaps"),
]


def string_macro(rng: random.Random, entry: Entry) -> None:
    """``@string`` macros and ``#`` concatenation (§2.4, BibTeX file syntax)."""
    n = len(entry.fields)
    variant = rng.randrange(3)
    if variant == 0:
        entry.before.append(f"@string{{pub{n} = {{Deutscher Taschenbuch Verlag}}}}")
        set_field(entry, "publisher", f"=pub{n} # {{ and Walter de Gruyter}}", "string:concat")
    elif variant == 1:
        entry.before.append(f'@string{{jn{n} = "Journal of Plain Words"}}')
        set_field(entry, "journaltitle", f"=jn{n}", "string:macro")
    else:
        set_field(entry, "note", '={Part one} # " and " # {part two}', "string:literal-concat")


def comments(rng: random.Random, entry: Entry) -> None:
    """Comments (§2.4): ``@comment``, text between entries, ``%`` lines inside an entry."""
    variant = rng.randrange(3)
    if variant == 0:
        entry.inside_comment = "title = {Old title}"
        entry.tags.add("comment:inside")
    elif variant == 1:
        entry.before.append("@comment{This is not an entry, author = {Nobody}}")
        entry.tags.add("comment:at-comment")
    else:
        entry.before.append("Text between entries is a comment too.")
        entry.tags.add("comment:free-text")


def keywords(rng: random.Random, entry: Entry) -> None:
    """``keywords``: a comma-separated list (§2.2.3)."""
    set_field(entry, "keywords", rng.choice(["alpha, beta", "gamma", "delta,epsilon, zeta"]))


def options(rng: random.Random, entry: Entry) -> None:
    """``options``: per-entry biblatex options (§2.2.3), not data."""
    set_field(entry, "options", rng.choice(["useprefix=true", "skipbib", "dataonly=true"]))


def ids(rng: random.Random, entry: Entry) -> None:
    """``ids``: citation-key aliases (§2.2.3)."""
    set_field(entry, "ids", f"{entry.key}-alias")


def crossref(rng: random.Random, entry: Entry) -> None:
    """``crossref`` (§2.4.1): a parent book, written after the child as BibTeX requires."""
    parent = f"{entry.key}-parent"
    entry.type = rng.choice(["incollection", "inbook", "inproceedings"])
    entry.tags = {tag for tag in entry.tags if not tag.startswith("type:")}
    entry.tags.update({f"type:{entry.type}", "crossref:child"})
    entry.fields = [(n, v) for n, v in entry.fields if n != "year"]
    set_field(entry, "crossref", parent)
    set_field(entry, "pages", "5--9")
    parent_type = {"incollection": "collection", "inbook": "book"}.get(entry.type, "proceedings")
    extra = Entry(parent, parent_type, [], {"crossref:parent", f"type:{parent_type}"})
    set_field(extra, "editor", person(rng))
    set_field(extra, "title", words(rng, 3))
    set_field(extra, "publisher", "Plain Press")
    set_field(extra, "location", "Boston")
    set_field(extra, "year", str(rng.randint(1950, 2020)))
    entry.after.append(extra)


def xdata(rng: random.Random, entry: Entry) -> None:
    """``xdata`` (§3.13.6): fields from an ``@xdata`` entry, which is not itself a record."""
    source = Entry(f"{entry.key}-xdata", "xdata", [], {"type:xdata", "xdata:entry"})
    set_field(source, "publisher", "Xdata Press")
    set_field(source, "location", "Leiden")
    entry.before_entries.append(source)
    set_field(entry, "xdata", source.key)


def part(rng: random.Random, entry: Entry) -> None:
    """``volume`` + ``part`` (integer fields; §2.2.2: part of a volume)."""
    set_field(entry, "volume", str(rng.randint(1, 12)))
    set_field(entry, "part", str(rng.randint(1, 3)))


def fixed(value: str, tag: str, fields: list[str]) -> Feature:
    """``value`` (one variant, named by ``tag``) in one of ``fields``, drawn by the seed."""

    def feature(rng: random.Random, entry: Entry) -> None:
        name = rng.choice(fields)
        if name == "date":
            entry.fields = [(n, v) for n, v in entry.fields if n != "year"]
        set_field(entry, name, value, tag)

    return feature


def title_variant(parts: tuple[str, ...]) -> Feature:
    """The title parts ``parts`` with plain words (§2.2.2)."""

    def feature(rng: random.Random, entry: Entry) -> None:
        for name in parts:
            set_field(entry, name, words(rng, rng.randint(1, 3)))
        entry.tags.add("titles:" + "+".join(parts))

    return feature


def eprint_variant(value: str, kind: str, tag: str) -> Feature:
    """``eprint`` with ``eprinttype`` (§3.14.7); an arXiv one sometimes has ``eprintclass``."""

    def feature(rng: random.Random, entry: Entry) -> None:
        set_field(entry, "eprint", value, tag)
        if kind:
            set_field(entry, "eprinttype", kind)
        if kind.lower() == "arxiv" and rng.random() < 0.5:
            set_field(entry, "eprintclass", "math.AG", "eprint:class")

    return feature


DATE_FIELDS = ["date", "date", "urldate", "origdate", "eventdate"]
#: Literal fields only: a list field (``publisher``) would also split at ``and``.
LATEX_FIELDS = ["title", "title", "note", "series", "abstract"]
LITERALS = [
    "note", "addendum", "abstract", "annotation", "series", "howpublished", "edition",
    "version", "chapter", "eid", "number", "issue", "isbn", "issn", "isrn", "label",
    "library", "nameaddon", "origlanguage", "pagetotal", "volumes",
]  # fmt: skip
LISTS = ["location", "publisher", "institution", "organization", "origlocation", "origpublisher"]

#: Every feature once, in a fixed order; the index of an entry picks its feature. Each
#: variant of a value list (a name form, a date shape, a LaTeX construct) is a feature of its
#: own, so the default corpus has every one of them at least once.
FEATURES: list[tuple[str, Feature]] = [
    *[(f"type-{t}", with_type(t)) for t in ENTRY_TYPES],
    *[(f"literal-{f}", literal(f)) for f in LITERALS],
    *[(f"names-{f}", names(f)) for f in NAME_FIELDS],
    *[(tag.replace(":", "-"), fixed(v, tag, NAME_FIELDS[:3])) for v, tag in NAME_FORMS],
    ("editora", editora),
    ("editortype", editortype),
    *[(f"list-{f}", literal_list(f)) for f in LISTS],
    *[(f"langid-{v}", fixed(v, f"langid:{v}", ["langid", "langid", "hyphenation"]))
      for v in LANGIDS],
    ("language-key", fixed("english", "language:key", ["language"])),
    ("language-list", fixed("German and French", "language:list", ["language"])),
    *[(f"typefield-{v}", fixed(v, f"typefield:{v}", ["type"])) for v in TYPES],
    *[(f"pubstate-{v}", fixed(v, f"pubstate:{v}", ["pubstate"])) for v in PUBSTATES],
    ("pagination", fixed("section", "pagination:section", ["pagination", "bookpagination"])),
    *[(tag.replace(":", "-"), fixed(v, tag, DATE_FIELDS)) for v, tag in DATES],
    ("year-month", year_month),
    *[(tag.replace(":", "-"), fixed(v, tag, ["pages"])) for v, tag in PAGES],
    ("integer-volume", literal("volume", lambda rng: str(rng.randint(1, 99)))),
    ("integer-part", part),
    *[(tag.replace(":", "-"), fixed(v, tag, ["url"])) for v, tag in URLS],
    *[(tag.replace(":", "-"), fixed(v, tag, ["doi"])) for v, tag in DOIS],
    *[(tag.replace(":", "-"), eprint_variant(v, k, tag)) for v, k, tag in EPRINTS],
    ("special-crossref", crossref),
    ("special-xdata", xdata),
    ("special-keywords", keywords),
    ("special-options", options),
    ("special-ids", ids),
    *[("titles-" + "-".join(p), title_variant(p)) for p in TITLE_PARTS],
    *[(tag.replace(":", "-"), fixed(v, tag, LATEX_FIELDS)) for v, tag in LATEX],
    ("string-macro", string_macro),
    ("string-macro-again", string_macro),
    ("string-macro-third", string_macro),
    ("comments", comments),
    ("comments-again", comments),
    ("comments-third", comments),
]  # fmt: skip


def base_entry(rng: random.Random, index: int, feature: str) -> Entry:
    """The plain entry every feature starts from: a type, an author, a title, a year."""
    entry_type = rng.choice(BASE_TYPES)
    name = re.sub(r"[^A-Za-z0-9-]+", "-", feature)
    entry = Entry(f"e{index:03d}-{name}", entry_type, [], {f"type:{entry_type}"})
    set_field(entry, "author", person(rng))
    set_field(entry, "title", words(rng, rng.randint(2, 5)))
    if entry_type == "article":
        set_field(entry, "journaltitle", "Journal of " + words(rng, 1))
    set_field(entry, "year", str(rng.randint(1950, 2024)))
    entry.tags = {f"type:{entry_type}", "base"}
    return entry


def generate(n: int = 300, seed: int = 16) -> list[Entry]:
    """``n`` entries (and the ``@xdata`` and ``crossref`` parents they name), the same for
    the same seed."""
    rng = random.Random(seed)
    entries: list[Entry] = []
    for index in range(n):
        name, feature = FEATURES[index % len(FEATURES)]
        entry = base_entry(rng, index, name)
        feature(rng, entry)
        entries.extend(entry.before_entries)
        entries.append(entry)
        entries.extend(entry.after)
    return entries


def render(entries: list[Entry]) -> str:
    """The corpus as one ``.bib`` file."""
    return "\n".join(entry.render() for entry in entries)


if __name__ == "__main__":  # python -m tests.biblatex_corpus > corpus.bib
    print(render(generate()), end="")
