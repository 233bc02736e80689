"""BibTeX/BibLaTeX writer: types, names, escaping, dates, notes, and read-back by bibtexparser."""

from __future__ import annotations

import io
import json
import re
import subprocess
from urllib.parse import unquote

import bibtexparser
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import refconv
from refconv.cli import cli
from refconv.formats.bibtex.decode import decode_latex
from refconv.formats.bibtex.latex import (
    TEX_CONTROLS,
    escape,
    protect_title,
    to_latex_ascii,
    unescape,
)
from refconv.formats.bibtex.write import BiblatexWriter, BibtexWriter, build_entry, entry_type
from refconv.keys import KeyAssigner
from refconv.model import Name, Record
from refconv.values.vocabulary import NAME_PARTICLES

from .conftest import EXAMPLES, SEED_WARNING, Collect, read_refer, require_tool


def bib(text: str, writer=BibtexWriter, **options) -> str:
    records, _ = read_refer(text)
    out = io.StringIO()
    writer(**options).write(KeyAssigner(diagnostics=Collect()).assign(records), out)
    return out.getvalue()


def fields_of(text: str) -> dict[str, str]:
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks, [b.error for b in library.failed_blocks]
    (entry,) = library.entries
    return {f.key: f.value for f in entry.fields}


def as_tex_text(text: str) -> str:
    """``text`` as TeX can print it: control characters and line separators as spaces."""
    return re.sub(f"[{TEX_CONTROLS}]", " ", text)


def braces_balance_as_bibtex_counts(text: str) -> bool:
    depth = 0
    for ch in text:  # BibTeX ignores backslashes when it counts braces
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0


def test_seed_record_acceptance():
    result = CliRunner().invoke(
        cli, ["convert", str(EXAMPLES / "nahta2012-flat.enw"), "-t", "bibtex"]
    )
    assert result.exit_code == 0 and result.stderr == SEED_WARNING
    text = result.stdout
    assert text.startswith("@article{nahta2012molecular,\n")
    assert text.count("@") == 1
    fields = fields_of(text)
    assert fields["author"] == "Nahta, Rita"
    assert fields["title"] == (
        "Molecular Mechanisms of Trastuzumab-Based Treatment in {HER2}-Overexpressing Breast Cancer"
    )
    assert fields["journal"] == "ISRN Oncology"
    assert fields["year"] == "2012"
    assert fields["doi"] == "10.5402/2012/428062"
    assert fields["url"] == "http://www.hindawi.com/journals/isrn.oncology/2012/428062/"
    assert "in 20¨C30\\% of metastatic" in fields["abstract"]


@pytest.mark.parametrize(
    ("csl", "extra", "bibtex", "biblatex"),
    [
        pytest.param("article-journal", {}, "article", "article", id="article"),
        pytest.param("book", {}, "book", "book", id="book"),
        pytest.param("chapter", {"editor": True}, "incollection", "incollection", id="chapter_ed"),
        pytest.param("chapter", {"container": True}, "incollection", "inbook", id="chapter"),
        pytest.param("paper-conference", {}, "inproceedings", "inproceedings", id="conference"),
        pytest.param("thesis", {"genre": "Ph.D. thesis"}, "phdthesis", "thesis", id="phd"),
        pytest.param("thesis", {"genre": "Masters thesis"}, "mastersthesis", "thesis", id="ms"),
        pytest.param("thesis", {"genre": "M.Sc."}, "mastersthesis", "thesis", id="msc"),
        pytest.param("report", {}, "techreport", "report", id="report"),
        pytest.param("manuscript", {}, "unpublished", "unpublished", id="unpublished"),
        pytest.param("webpage", {}, "misc", "online", id="webpage"),
        pytest.param("patent", {}, "misc", "patent", id="patent"),
        pytest.param("software", {}, "misc", "software", id="software"),
        pytest.param("dataset", {}, "misc", "dataset", id="dataset"),
        pytest.param("pamphlet", {}, "booklet", "booklet", id="pamphlet"),
        pytest.param("motion_picture", {}, "misc", "misc", id="film"),
        pytest.param("document", {}, "misc", "misc", id="document"),
    ],
)
def test_entry_types(csl, extra, bibtex, biblatex):
    record = Record(type=csl)
    if extra.get("editor"):
        record.names["editor"] = [Name("Roe", "R.")]
    if extra.get("container"):
        record.fields["container-title"] = "The Book"
    if "genre" in extra:
        record.fields["genre"] = extra["genre"]
    assert (entry_type(record, False), entry_type(record, True)) == (bibtex, biblatex)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param(Name("Berg", "Jan", "van der"), "van der Berg, Jan", id="particle"),
        pytest.param(Name("Della Porta", "Donatella"), "{Della Porta}, Donatella", id="compound"),
        pytest.param(
            Name("King", "Martin Luther", suffix="Jr."), "King, Jr., Martin Luther", id="suffix"
        ),
        pytest.param(
            Name(literal="Organization for Economic Cooperation and Development"),
            "{Organization for Economic Cooperation and Development}",
            id="org",
        ),
        pytest.param(Name("Plato"), "Plato", id="mononym"),
        pytest.param(Name("Smith", "Anna and Bob"), "Smith, {Anna and Bob}", id="and_in_given"),
        pytest.param(Name("Smith & Co", "J."), "{Smith }{\\&}{ Co}, J.", id="special_in_name"),
        pytest.param(Name("Doe,Evil", "John"), "Doe{\\symbol{44}}Evil, John", id="comma_in_family"),
        pytest.param(
            Name("F", "G", suffix="Jr, X"), "F, Jr{\\symbol{44}} X, G", id="comma_in_suffix"
        ),
        pytest.param(Name("Doe", "J, K"), "Doe, J{\\symbol{44}} K", id="comma_in_given"),
        pytest.param(
            Name("Berg", "J", "van, der"), "van{\\symbol{44}} der Berg, J", id="comma_in_particle"
        ),
        pytest.param(
            Name("{x", "y}"), "{\\textbraceleft\\/}x, y{\\textbraceright\\/}", id="unbalanced_parts"
        ),
        pytest.param(Name("ab%"), "ab{\\%}", id="escape_is_one_special_char"),
        pytest.param(Name("\\"), "{\\textbackslash\\/}", id="backslash"),
        pytest.param(
            Name(literal="A, B & {C"), "{A, B }{\\&}{ }{\\textbraceleft\\/}{C}", id="literal"
        ),
    ],
)
def test_name_format(name, expected):
    record = Record(type="book", names={"author": [name]}, id="k")
    (field,) = [f for f in build_entry(record).fields if f.key == "author"]
    assert field.value == "{" + expected + "}"


def test_user_case_8_title_with_specials():
    fields = fields_of(bib("%0 Journal Article\n%T Thing & other thing: 10% of cases\n"))
    assert fields["title"] == "Thing \\& other thing: 10\\% of cases"


def test_user_case_9_title_protection():
    fields = fields_of(bib("%0 Journal Article\n%T DNA barcoding of Zostera in the Baltic\n"))
    assert fields["title"] == "{DNA} barcoding of {Zostera} in the {Baltic}"
    fields = fields_of(bib("%0 Journal Article\n%T Die Geschichte der DNA\n%G German\n"))
    assert fields["title"] == "{Die Geschichte der DNA}"


@pytest.mark.parametrize(
    "title",
    [
        "Foo}, note = {x",
        "\\input{/etc/passwd}",
        "}}}} @article{evil, title={x",
        "{{{",
        "a } b { c",
        "Gains of 15% ({sic} see C:\\data)",
        "~^_#$%&\\",
    ],
)
def test_no_input_can_escape_its_field(title):
    text = bib(f"%0 Journal Article\n%T {title}\n%A Doe, J.\n%D 2001\n")
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks
    (entry,) = library.entries
    assert [f.key for f in entry.fields] == ["author", "title", "year"]
    assert braces_balance_as_bibtex_counts(entry.fields_dict["title"].value)
    assert "\\input{" not in text
    assert unescape(entry.fields_dict["title"].value.replace("{C}", "C")) == title


MEDIUM = "https://medium.com/@eam.avelar/o-que-%C3%A9-auc-e-roc?a=1&b_c=2"
SICI = "10.1175/1520-0485(1996)026<2712:TEOIWU>2.0.CO;2"


@pytest.mark.parametrize(
    ("writer", "doi", "url"),
    [
        pytest.param(
            BibtexWriter, SICI, r"https://medium.com/@eam.avelar/o-que-\%C3\%A9-auc-e-roc?a=1\&b\_c=2",
            id="bibtex",
        ),
        pytest.param(BiblatexWriter, SICI, MEDIUM, id="biblatex"),
    ],
)  # fmt: skip
def test_user_case_11_12_identifiers_keep_their_meaning(writer, doi, url):
    """DOIs and URLs are not escaped as text; for bibtex(1) ``% # & _`` get a backslash that
    plainnat's ``\\texttt`` fallback and hyperref's ``\\url`` both drop (issue 13)."""
    text = bib(f"%0 Journal Article\n%T X\n%R {SICI}\n%U {MEDIUM}\n", writer)
    fields = fields_of(text)
    assert (fields["doi"], fields["url"]) == (doi, url)
    (record,) = refconv.read(io.StringIO(text), "bibtex")
    assert (record.fields["DOI"], record.fields["URL"]) == (SICI, MEDIUM)


@pytest.mark.parametrize(
    ("url", "bibtex", "biblatex"),
    [
        pytest.param("http://x/a}b{", r"http://x/a\%7Db\%7B", "http://x/a%7Db%7B", id="braces"),
        pytest.param("http://x/ \\input ./secret\\relax", r"http://x/\%20\%5Cinput\%20./secret\%5Crelax",
                     "http://x/%20%5Cinput%20./secret%5Crelax", id="input"),
        pytest.param("http://x/^^5cinput", r"http://x/\%5E\%5E5cinput", "http://x/%5E%5E5cinput",
                     id="hathat"),
        pytest.param("http://x/~u/$1", r"http://x/\%7Eu/\%241", "http://x/~u/$1",
                     id="tilde_dollar"),
        pytest.param("http://x/a#b%20c", r"http://x/a\#b\%20c", "http://x/a#b%20c", id="hash_pct"),
        pytest.param("http://x/é\n\r\x00", r"http://x/\%C3\%A9\%0A\%0D\%00", "http://x/%C3%A9%0A%0D%00",
                     id="controls_non_ascii"),
        pytest.param("http://x/\"<>|`", r"http://x/\%22\%3C\%3E\%7C\%60", "http://x/%22%3C%3E%7C%60",
                     id="not_uri"),
    ],
)  # fmt: skip
def test_urls_are_tex_inert_and_the_same_url(url, bibtex, biblatex):
    for writer, expected in ((BibtexWriter, bibtex), (BiblatexWriter, biblatex)):
        record = Record(type="webpage", id="k", fields={"title": "T", "URL": url})
        out = io.StringIO()
        writer().write([record], out)
        assert fields_of(out.getvalue())["url"] == expected
        (back,) = refconv.read(io.StringIO(out.getvalue()), "bibtex")
        assert unquote(back.fields["URL"]) == unquote(url)


@pytest.mark.parametrize(
    ("doi", "bibtex", "biblatex"),
    [
        pytest.param("10.1007/978-3-319-24574-4_28", r"10.1007/978-3-319-24574-4\_28",
                     "10.1007/978-3-319-24574-4_28", id="underscore"),
        pytest.param("10.1/a%b#c&d", r"10.1/a\%b\#c\&d", "10.1/a%b#c&d", id="escaped"),
        pytest.param("10.1/a~b", None, "10.1/a~b", id="tilde"),
        pytest.param("10.1/a$b", None, "10.1/a$b", id="dollar"),
        pytest.param("10.1/\\input{x}", None, None, id="backslash"),
        pytest.param("10.1/^^5cinput", None, None, id="hathat"),
        pytest.param("10.1/a b", None, None, id="space"),
        pytest.param("10.1/é", None, None, id="non_ascii"),
    ],
)  # fmt: skip
def test_dois_are_inert_or_kept_in_the_note(doi, bibtex, biblatex):
    """A DOI is written as it is, with escapes only where they cannot change what prints;
    one that cannot be written so is kept in the refconv field (never printed) with a warning
    naming the field."""
    for writer, expected in ((BibtexWriter, bibtex), (BiblatexWriter, biblatex)):
        diagnostics = Collect()
        record = Record(type="article-journal", id="k", fields={"title": "T", "DOI": doi})
        out = io.StringIO()
        writer(diagnostics=diagnostics).write([record], out)
        fields = fields_of(out.getvalue())
        if expected is None:
            assert "doi" not in fields
            assert fields["refconv"] == "DOI: " + escape(doi)
            assert [m.split(": ", 1)[1] for m in diagnostics.messages] == [
                f"DOI {doi!r} has characters TeX would run or cannot print in the doi "
                "field; kept in refconv"
            ]
        else:
            assert fields["doi"] == expected
            assert diagnostics.messages == []
        (back,) = refconv.read(io.StringIO(out.getvalue()), "bibtex")
        assert back.fields["DOI"] == doi


@pytest.mark.parametrize(
    ("key", "written"),
    [
        pytest.param("smith2020", "smith2020", id="plain"),
        pytest.param("a_b:c.d-e/f+g", "a_b:c.d-e/f+g", id="ordinary"),
        pytest.param("k\\input{x}", "kinputx", id="backslash"),
        pytest.param("k%#~^$&, }", "k", id="specials"),
        pytest.param("^^5c", "5c", id="hathat"),
        pytest.param("{}", "ref", id="nothing_left"),
    ],
)  # fmt: skip
def test_keys_given_through_the_api_are_made_inert(key, written):
    diagnostics = Collect()
    record = Record(type="book", id=key, fields={"title": "T"})
    out = io.StringIO()
    BibtexWriter(diagnostics=diagnostics).write([record], out)
    assert out.getvalue().startswith("@book{" + written + ",\n")
    warned = [m.split(": ", 1)[1] for m in diagnostics.messages]
    assert warned == ([] if key == written else [
        f"citation key {key!r} has characters TeX would read as commands; "
        f"written as {written!r}"
    ])  # fmt: skip


def test_user_case_13_dates():
    text = bib("%0 Journal Article\n%T X\n%D 2012 Mar 15\n")
    assert "  month = mar,\n" in text
    fields = fields_of(text)
    assert (fields["year"], fields["month"], fields["date"]) == ("2012", "mar", "2012-03-15")
    fields = fields_of(bib("%0 Journal Article\n%T X\n%D 2012 Mar 15\n", BiblatexWriter))
    assert fields["date"] == "2012-03-15"
    assert "year" not in fields and "month" not in fields


def test_user_case_14_in_press():
    fields = fields_of(bib("%0 Journal Article\n%T X\n%D in press\n"))
    assert "year" not in fields and "note" not in fields
    assert fields["refconv"] == "status: in press"
    fields = fields_of(bib("%0 Journal Article\n%T X\n%D in press\n", BiblatexWriter))
    assert fields["pubstate"] == "inpress"


def test_user_case_15_ranges():
    assert fields_of(bib("%0 Book\n%T X\n%D 1996-2004\n"))["year"] == "1996--2004"
    assert fields_of(bib("%0 Book\n%T X\n%D 1996-2004\n", BiblatexWriter))["date"] == "1996/2004"


def test_user_case_17_pages():
    assert fields_of(bib("%0 Journal Article\n%T X\n%P 435–446\n"))["pages"] == "435--446"
    assert fields_of(bib("%0 Journal Article\n%T X\n%P 94-98,93\n"))["pages"] == "94--98,93"
    assert fields_of(bib("%0 Book\n%T X\n%P 173 s.\n"))["pagetotal"] == "173"


def test_user_case_27_abstract_with_braces_and_backslash():
    text = bib(
        "%0 Journal Article\n%T Alpha\n%X Gains of 15% ({sic} see C:\\data) and one {\n\n"
        "%0 Journal Article\n%T Beta\n"
    )
    library = bibtexparser.parse_string(text)
    assert [e.key for e in library.entries] == ["alpha", "beta"]
    abstract = library.entries[0].fields_dict["abstract"].value
    assert abstract == (
        "Gains of 15\\% (\\textbraceleft{}sic\\textbraceright{} see "
        "C:\\textbackslash{}data) and one \\textbraceleft{}"
    )


def test_user_case_28_latex_mode():
    text = bib(
        "%0 Book\n%T Slovník\n%A Kovářík, Jaromír\n%A Woźniak, Michał\n%A Hajič, Jan\n"
        "%A Lefèvre, François\n",
        latex=True,
    )
    fields = fields_of(text)
    assert fields["author"] == (
        "Kov{\\'a}{\\v{r}}{\\'\\i}k, Jarom{\\'\\i}r and "
        "Wo{\\'z}niak, Micha{\\l} and Haji{\\v{c}}, Jan and "
        "Lef{\\`e}vre, Fran{\\c{c}}ois"
    )
    assert fields["title"] == "Slovn{\\'\\i}k"
    assert text.isascii()
    unicode_text = bib("%0 Book\n%T Slovník\n%A Kovářík, Jaromír\n")
    assert "Kovářík, Jaromír" in unicode_text


def test_unmapped_data_goes_to_the_refconv_field_with_its_tag():
    """Issue 16: values with no field are never printed; the user's own note stays the note."""
    text = bib("%0 Journal Article\n%T X\n%H Yu Min\n%+ Peking University\n%Z Own note\n")
    assert fields_of(text)["refconv"] == (
        "Translated Author (\\%H): Yu Min; Author Address (\\%+): Peking University"
    )
    assert fields_of(text)["note"] == "Own note"
    text = bib("%0 Journal Article\n%T X\n%H Yu Min\n", BiblatexWriter)
    assert fields_of(text)["refconv"] == "Translated Author (\\%H): Yu Min"
    assert "annotation" not in fields_of(text)


def test_field_order_is_stable():
    text = bib("%0 Book\n%U http://x.org\n%D 2001\n%T T\n%I P\n%A Doe, J.\n%C Place\n")
    keys = [f.key for f in bibtexparser.parse_string(text).entries[0].fields]
    assert keys == ["author", "title", "publisher", "address", "year", "url"]


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_escape_is_safe_and_reversible(text):
    """Reversible but for control characters and line separators, which become spaces."""
    escaped = escape(text)
    assert braces_balance_as_bibtex_counts(escaped)
    assert unescape(escaped) == as_tex_text(text)
    assert not re.search(f"[{TEX_CONTROLS}]", escaped)
    assert not re.search(r"(?<!\\)[&%$#_]", escaped)
    latex = to_latex_ascii(escaped)
    assert braces_balance_as_bibtex_counts(latex)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_protected_titles_stay_balanced(title):
    assert braces_balance_as_bibtex_counts(protect_title(title))
    assert braces_balance_as_bibtex_counts(protect_title(title, whole=True))


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.text(
            alphabet=st.characters(
                blacklist_categories=("Cs",),
                blacklist_characters="\x00\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029",
            ),
            min_size=1,
            max_size=30,
        ).filter(str.strip),
        min_size=1,
        max_size=4,
    )
)
def test_any_title_survives_a_bibtex_round_trip(titles):
    text = "\n\n".join(f"%0 Journal Article\n%T {t}\n%X {t}" for t in titles) + "\n"
    records, _ = read_refer(text)
    out = io.StringIO()
    BibtexWriter().write(KeyAssigner(diagnostics=Collect()).assign(records), out)
    library = bibtexparser.parse_string(out.getvalue())
    assert not library.failed_blocks
    assert len(library.entries) == len(records)
    for entry, record in zip(library.entries, records, strict=True):
        assert entry.key == record.id
        # read back as refconv's reader reads it (a math symbol is written as
        # {\ensuremath{\nabla}}, which ``unescape``, the inverse of ``escape`` only, keeps);
        # runs of white space are one space to TeX and to the reader
        back = decode_latex(entry.fields_dict["abstract"].value)
        assert back.split() == as_tex_text(record.fields["abstract"]).split()


CHUNKED = """@string{jn = "Journal of Tests"}

@article{a,
  title = {First},
  journal = jn,
  year = 2001
}

@article{broken,
  title = {No end,
  year = 2002

@article{a,
  title = {Same key},
  journal = jn,
  year = 2003
}
@book{c, title = {Third}, year = 2004}
"""


@pytest.mark.parametrize("chunk_lines", [1, 3, 5000])
def test_chunked_reading_gives_the_same_records(monkeypatch, chunk_lines):
    """Entries are parsed a chunk at a time; macros, lines, duplicate keys do not notice."""
    from refconv.formats.bibtex import read as bibtex

    monkeypatch.setattr(bibtex, "CHUNK_LINES", chunk_lines)
    sink = refconv.Collected()
    records = list(refconv.read(CHUNKED.encode(), "bibtex", diagnostics=sink))
    assert [(r.fields["title"], r.source.line) for r in records] == [
        ("First", 3), ("Same key", 13), ("Third", 18),
    ]  # fmt: skip
    assert records[1].fields["container-title"] == "Journal of Tests"
    assert [(m.kind, m.line) for m in sink.messages] == [("error", 9)]


def read_bib(text: str) -> tuple[list[dict], list[str]]:
    """BibTeX text → (CSL-JSON items, warnings as ``path:line: message``)."""
    sink = Collect()
    records = list(refconv.read(text.encode(), "bibtex", diagnostics=sink))
    return [refconv.to_csl(r) for r in records], sink.messages


def _entry(*fields: str) -> str:
    """An entry with one field a line (line 2 onwards), so warnings can name the line."""
    return "@book{k,\n  title = {T},\n" + "".join(f"  {f},\n" for f in fields) + "}\n"


#: (date fields, issued (or the variable given), custom, warnings): each out-of-range or
#: unreadable value is kept whole (custom, or a literal date when nothing else is one) and
#: named with its line and field; a value that is read is read exactly.
DATE_CASES = [
    (["year = 2020", "month = 3", "day = {²}"], {"date-parts": [[2020, 3]]}, {"day": ["²"]},
     ["5: day '²': not a number; kept in custom"]),
    (["year = 2020", "month = {٣}"], {"date-parts": [[2020]]}, {"month": ["٣"]},
     ["4: month '٣': not a month; kept in custom"]),
    (["year = {２０２０}"], {"literal": "２０２０"}, {},
     ["3: year '２０２０': not a date refconv can read; kept as literal text"]),
    (["year = 2020", "month = 13"], {"date-parts": [[2020]]}, {"month": ["13"]},
     ["4: month '13': month 13 is not 1-12; kept in custom"]),
    (["year = 2020", "month = 0"], {"date-parts": [[2020]]}, {"month": ["0"]},
     ["4: month '0': month 0 is not 1-12; kept in custom"]),
    (["year = 2020", "month = {999999999999999999999}"], {"date-parts": [[2020]]},
     {"month": ["999999999999999999999"]},
     ["4: month '999999999999999999999': out of range; kept in custom"]),
    (["year = 2020", "month = 3", "day = 99"], {"date-parts": [[2020, 3]]}, {"day": ["99"]},
     ["5: day '99': day 99 is not in month 3 of 2020; kept in custom"]),
    (["year = 2021", "month = feb", "day = 30"], {"date-parts": [[2021, 2]]}, {"day": ["30"]},
     ["5: day '30': day 30 is not in month 2 of 2021; kept in custom"]),
    (["year = 2020", "month = feb", "day = 29"], {"date-parts": [[2020, 2, 29]]}, {}, []),
    (["year = 0"], {"literal": "0"}, {},
     ["3: year '0': there is no year 0; CSL counts 1 BC as -1; kept as literal text"]),
    (["year = {10000000000000000000000000}"], {"literal": "10000000000000000000000000"}, {},
     ["3: year '10000000000000000000000000': out of range (-9999 to 9999); kept as literal"
      " text"]),
    (["year = {1" + "0" * 5000 + "}"], {"literal": "1" + "0" * 5000}, {},
     ["3: year '1" + "0" * 56 + "...': out of range (-9999 to 9999); kept as literal text"]),
    (["year = {n.d.}"], {"literal": "n.d."}, {},
     ["3: year 'n.d.': says there is no date; kept as literal text"]),
    (["year = {circa 1850s}"], {"date-parts": [[1850]], "circa": True},
     {"year": ["circa 1850s"]},  # the loss policy: the date is used, its text kept
     ["3: year 'circa 1850s': 's' is not part of a date; kept in custom"]),
    (["date = {2020-13-01}"], {"literal": "2020-13-01"}, {},
     ["3: date '2020-13-01': month 13 is not 1-12; kept as literal text"]),
    (["date = {2021-02-29}", "year = 2021"], {"date-parts": [[2021]]}, {"date": ["2021-02-29"]},
     ["3: date '2021-02-29': day 29 is not in month 2 of 2021; kept in custom"]),
    (["date = {10000-01-01}"], {"literal": "10000-01-01"}, {},
     ["3: date '10000-01-01': out of range (-9999 to 9999); kept as literal text"]),
    (["year = {in press}", "month = 3"], None, {"month": ["3"]},
     ["4: month '3': no year to go with; kept in custom"]),
    (["month = 3", "day = 3"], None, {"month": ["3"], "day": ["3"]},
     ["3: month '3': no year to go with; kept in custom",
      "4: day '3': no year to go with; kept in custom"]),
    (["year = 2019", "date = {2020-03-01}"], {"date-parts": [[2020, 3, 1]]}, {"year": ["2019"]},
     ["3: year '2019': does not agree with date '2020-03-01'; kept in custom"]),
    (["year = 2020", "month = {3rd}"], {"date-parts": [[2020]]}, {"month": ["3rd"]},
     ["4: month '3rd': not a month; kept in custom"]),
    # what is read: BibTeX's own forms, the writer's, biblatex's
    (["year = 2020", 'month = jan # "~15"'], {"date-parts": [[2020, 1, 15]]}, {}, []),
    (["year = 2020", "month = {March}", "day = {05}"], {"date-parts": [[2020, 3, 5]]}, {}, []),
    (["year = 2020", "month = {spring}"], {"date-parts": [[2020]], "season": 1}, {}, []),
    (["date = {2020-21}"], {"date-parts": [[2020]], "season": 1}, {}, []),
    (["date = {2020-24}"], {"date-parts": [[2020]], "season": 4}, {}, []),
    (["year = 850"], {"date-parts": [[850]]}, {}, []),
    (["year = 5"], {"date-parts": [[5]]}, {}, []),
    (["year = {-44}", "month = mar", "date = {-0043-03-15}"], {"date-parts": [[-44, 3, 15]]},
     {}, []),
    (["year = {-44--{-40}}"], {"date-parts": [[-44], [-40]]}, {}, []),
    (["year = {1996--2004}"], {"date-parts": [[1996], [2004]]}, {}, []),
    (["date = {0000}"], {"date-parts": [[-1]]}, {}, []),
    (["date = {1850~}"], {"circa": True, "date-parts": [[1850]]}, {}, []),
]  # fmt: skip


@pytest.mark.parametrize(
    ("fields", "issued", "custom", "warnings"),
    DATE_CASES,
    ids=[", ".join(case[0])[:40] for case in DATE_CASES],
)
def test_date_fields_are_read_exactly_or_kept_with_a_warning(fields, issued, custom, warnings):
    (item,), messages = read_bib(_entry(*fields))
    assert item.get("issued") == issued
    assert item.get("custom", {}) == custom
    assert messages == [f"<bytes>:{w}" for w in warnings]


@pytest.mark.parametrize(
    ("field", "var", "value", "expected", "warning"),
    [
        ("urldate", "accessed", "2020-00-00", {"literal": "2020-00-00"}, "month 0 is not 1-12"),
        ("eventdate", "event-date", "2021-02-30", {"literal": "2021-02-30"},
         "day 30 is not in month 2 of 2021"),
        ("origdate", "original-date", "-0043", {"date-parts": [[-44]]}, ""),
        ("urldate", "accessed", "2019-05-04", {"date-parts": [[2019, 5, 4]]}, ""),
    ],
)  # fmt: skip
def test_other_date_fields(field, var, value, expected, warning):
    (item,), messages = read_bib(_entry(f"{field} = {{{value}}}"))
    assert item[var] == expected
    kept = f"<bytes>:3: {field} {value!r}: {warning}; kept as literal text"
    assert messages == ([kept] if warning else [])


def test_a_note_date_that_disagrees_with_a_date_field_stays_in_the_note():
    """The record's own field is the date; the note line is a note (review 14, no. 1)."""
    (item,), messages = read_bib(_entry("note = {accessed: 2020}", "urldate = {2021-01-01}"))
    assert item["accessed"] == {"date-parts": [[2021, 1, 1]]}
    assert item["note"] == "accessed: 2020"
    assert "custom" not in item
    assert messages == []


def _calendar_date(year: int, month: int, day: int) -> bool:
    import calendar

    if not 1 <= month <= 12:
        return False
    leap = calendar.isleap(year + 1 if year < 0 else year)  # CSL -1 is astronomical 0
    return 1 <= day <= [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]


def _whole(value: int | str | None) -> int | None:
    """A value as BibTeX's reader should take it as a number: ASCII digits, a minus sign."""
    if isinstance(value, str) and re.fullmatch(r"-?[0-9]{1,50}", value.strip()):
        return int(value)
    return value if isinstance(value, int) else None


_NUMERAL = st.one_of(
    st.integers(-20000, 20000), st.integers(0, 40), st.integers(min_value=10**15, max_value=10**40)
)  # fmt: skip
_JUNK = st.sampled_from(["²", "٣", "3rd", "", "x", "-", "1e3", "0x10", "+5", " 7 ", "１２"])


@settings(max_examples=400, deadline=None)
@given(
    st.one_of(_NUMERAL, _JUNK),
    st.one_of(st.none(), st.integers(-2, 20), _JUNK),
    st.one_of(st.none(), st.integers(-2, 40), _JUNK),
)
def test_any_year_month_day_is_read_as_the_calendar_says_or_kept(year, month, day):
    """Oracle: whole numbers make the date the calendar has (CSL years: no year 0, at most
    four digits), month and day only where the parts before them were read; every other value
    is kept, as text, in custom or a literal date; warnings are one line each; never a crash."""
    fields = {"year": year, "month": month, "day": day}
    given_fields = {k: str(v) for k, v in fields.items() if v is not None and str(v).strip()}
    (item,), messages = read_bib(_entry(*(f"{k} = {{{v}}}" for k, v in given_fields.items())))
    assert all("\n" not in m for m in messages)
    y, m, d = (_whole(v) for v in (year, month, day))
    parts: list[int] = []
    if y is not None and y != 0 and abs(y) <= 9999:
        parts = [y]
        if m is not None and 1 <= m <= 12:
            parts.append(m)
            if d is not None and _calendar_date(y, m, d):
                parts.append(d)
    issued = item.get("issued", {})
    assert issued.get("date-parts", [[]])[0] == parts or (not parts and "date-parts" not in issued)
    kept = [v for values in item.get("custom", {}).values() for v in values]
    kept += [issued["literal"]] if "literal" in issued else []
    for key, text in given_fields.items():
        read = len(parts) > ("year", "month", "day").index(key)
        assert read or text.strip() in " ".join(kept), (key, text, item)
        assert read or any(f": {key} " in m for m in messages) or "year" in given_fields


@pytest.mark.parametrize(
    ("year", "edtf"),
    [(2020, "2020"), (850, "0850"), (5, "0005"), (1, "0001"), (-1, "0000"), (-2, "-0001"),
     (-44, "-0043"), (-9999, "-9998")],
)  # fmt: skip
def test_edtf_years_are_astronomical(year, edtf):
    """biblatex manual §2.3.8: ISO 8601-2 has a year 0 (1 BC); CSL has none (-1 is 1 BC)."""
    from refconv.formats.bibtex.dates import parse_edtf
    from refconv.formats.bibtex.write import edtf_year

    assert edtf_year(year) == edtf
    assert parse_edtf(edtf) == (refconv.model.Date(((year,),)), "")


BC_AND_EARLY = [
    [[5]], [[50, 3, 2]], [[850]], [[-1]], [[-44]], [[-44, 3, 15]], [[5], [10]], [[-44], [-40]],
    [[-44], [40]], [[9999, 12, 31]], [[-9999]],
]  # fmt: skip


@pytest.mark.parametrize("parts", BC_AND_EARLY, ids=str)
@pytest.mark.parametrize("target", ["bibtex", "biblatex"])
def test_early_and_bc_years_read_back(parts, target):
    text = json.dumps([{"id": "a", "type": "book", "title": "T", "issued": {"date-parts": parts}}])
    written = CliRunner().invoke(cli, ["convert", "-f", "csljson", "-t", target], input=text)
    back = CliRunner().invoke(cli, ["convert", "-f", "bibtex", "-t", "csljson"], written.stdout)
    assert written.stderr == back.stderr == ""
    assert json.loads(back.stdout)[0]["issued"] == {"date-parts": parts}


def test_bc_years_in_bibtex_and_biblatex_fields():
    """BibTeX's ``year`` holds the CSL number ("-44": the classic styles print it as written,
    alpha takes its last digits); biblatex's ``date`` holds EDTF ("-0043")."""
    text = json.dumps([{"id": "a", "type": "book", "title": "T",
                        "issued": {"date-parts": [[-44, 3, 15]]}}])  # fmt: skip
    bibtex = fields_of(CliRunner().invoke(cli, ["convert", "-f", "csljson", "-t", "bibtex"],
                                          input=text).stdout)  # fmt: skip
    assert (bibtex["year"], bibtex["month"], bibtex["date"]) == ("-44", "mar", "-0043-03-15")
    biblatex = fields_of(CliRunner().invoke(cli, ["convert", "-f", "csljson", "-t", "biblatex"],
                                            input=text).stdout)  # fmt: skip
    assert biblatex["date"] == "-0043-03-15"


def test_dates_without_a_field_go_to_the_note_as_the_note_reader_reads_them():
    """A season or a BC year in ``event-date`` (no BibTeX field) comes back from the note."""
    item = {"id": "a", "type": "book", "title": "T",
            "event-date": {"date-parts": [[2020]], "season": 1},
            "original-date": {"date-parts": [[-44, 3, 15]]}}  # fmt: skip
    written = CliRunner().invoke(cli, ["convert", "-f", "csljson", "-t", "bibtex"],
                                 input=json.dumps([item]))  # fmt: skip
    back = json.loads(CliRunner().invoke(cli, ["convert", "-f", "bibtex", "-t", "csljson"],
                                         written.stdout).stdout)[0]  # fmt: skip
    assert back["event-date"] == item["event-date"]
    assert back["original-date"] == item["original-date"]


BC_RECORDS = [
    ({"date-parts": [[-44, 3, 15]]}, "Mar. 15, 44 BCE"),
    ({"date-parts": [[-44], [-40]]}, "44 BCE--40 BCE"),
    ({"date-parts": [[-1]]}, "1 BCE"),
    ({"date-parts": [[5]]}, "5"),
    ({"date-parts": [[850, 6]]}, "June 850"),
    ({"date-parts": [[2020]], "season": 1}, "Spr. 2020"),
]


@pytest.mark.slow  # runs biber and pdflatex
def test_biber_and_biblatex_print_bc_years_as_written(tmp_path):
    """Real biber + LaTeX (biblatex, ``dateera=secular``): each date prints as CSL means it;
    the text is read from the DVI with dvi2tty."""
    from .test_bibtex_consumers import _tool

    latex, biber, dvi2tty = _tool("latex"), _tool("biber"), _tool("dvi2tty")
    items = [{"id": f"r{i}", "type": "book", "title": f"Title{i}", "issued": issued}
             for i, (issued, _) in enumerate(BC_RECORDS)]  # fmt: skip
    result = CliRunner().invoke(
        cli,
        ["convert", "-f", "csljson", "-t", "biblatex", "-o", str(tmp_path / "refs.bib")],
        input=json.dumps(items),
    )
    assert result.exit_code == 0 and result.stderr == ""
    (tmp_path / "doc.tex").write_text(
        "\\documentclass{article}\n\\usepackage[backend=biber,dateera=secular,sorting=none]"
        "{biblatex}\n\\addbibresource{refs.bib}\n\\begin{document}\n\\nocite{*}\n"
        "\\printbibliography\n\\end{document}\n"
    )
    run = {"cwd": tmp_path, "capture_output": True, "text": True, "check": False}
    subprocess.run([latex, "-interaction=nonstopmode", "doc.tex"], **run)
    checked = subprocess.run([biber, "doc"], **run)
    assert checked.returncode == 0 and not re.search(r"^(ERROR|WARN) ", checked.stdout, re.M)
    subprocess.run([latex, "-interaction=nonstopmode", "doc.tex"], **run)
    text = " ".join(subprocess.run([dvi2tty, "-w200", "doc.dvi"], **run).stdout.split())
    for i, (_, printed) in enumerate(BC_RECORDS):
        assert re.search(rf"Title{i}\. {re.escape(printed)}\.", text), text


@pytest.mark.parametrize("style", ["plain", "alpha"])
def test_bibtex_prints_bc_and_early_years(style, tmp_path):
    from .test_bibtex_consumers import run_bibtex

    items = [{"id": f"r{i}", "type": "book", "title": "T", "publisher": "P",
              "author": [{"family": "Caesar", "given": "G. J."}], "issued": issued}
             for i, (issued, _) in enumerate(BC_RECORDS)]  # fmt: skip
    result = CliRunner().invoke(
        cli,
        ["convert", "-f", "csljson", "-t", "bibtex", "-o", str(tmp_path / "refs.bib")],
        input=json.dumps(items),
    )
    assert result.exit_code == 0 and result.stderr == ""
    bbl = run_bibtex(tmp_path, style).decode()
    assert bbl.count("\\bibitem") == len(items)
    for year in ("March -44", "-44--{-40}", "-1", " 5", "June 850", "2020"):
        assert year in " ".join(bbl.split()), bbl


@pytest.mark.parametrize("target", ["bibtex", "biblatex"])
@pytest.mark.parametrize(
    ("parts", "text"),
    [([[2020, 3]], "Autumn 2020/03"), ([[2020], [2021]], "Autumn 2020-2021"),
     ([[2020, 3, 1]], "Autumn 2020/03/01")],
    ids=str,
)  # fmt: skip
def test_a_season_edtf_cannot_hold_is_kept_in_the_note(target, parts, text):
    """EDTF puts a season where the month goes (2020-21), so a date with a season beside a
    month or in a range is kept whole in the note, with a warning, beside the fields that
    hold the rest; the reader puts the whole date back in its place."""
    item = {"id": "a", "type": "book", "title": "T",
            "issued": {"date-parts": parts, "season": 3}}  # fmt: skip
    written = CliRunner().invoke(cli, ["convert", "-f", "csljson", "-t", target],
                                 input=json.dumps([item]))  # fmt: skip
    dialect = "BibLaTeX" if target == "biblatex" else "BibTeX"
    assert written.stderr == (
        f"<stdin>:1: warning: issued: {text!r} has no {dialect} form; kept whole in refconv\n"
    )
    assert fields_of(written.stdout)["refconv"] == f"issued: {text}"
    back = CliRunner().invoke(cli, ["convert", "-f", "bibtex", "-t", "csljson"], written.stdout)
    assert json.loads(back.stdout)[0]["issued"] == {"date-parts": parts, "season": 3}
    assert "note" not in json.loads(back.stdout)[0]


# Names survive BibTeX: every part of hostile text reads back as it was written, and bibtex(1)
# splits each name where refconv meant it to.

_NAME_CHARS = "abcXYZé ,,&%$#_~^{}\\-.'@"
_WORDS = st.text(_NAME_CHARS, min_size=1, max_size=8).map(lambda t: " ".join(t.split()))
_PART = st.one_of(
    _WORDS, st.sampled_from(["and", "AND x", "x and y", "others", "Jr, X", "{x", "y}", ","])
).filter(bool)
_PARTICLE = st.lists(st.sampled_from(["van", "de", "la", "d'", "von"]), max_size=2).map(" ".join)
_NAMES = st.one_of(
    st.builds(
        Name,
        family=_PART,
        given=st.one_of(st.just(""), _PART),
        particle=_PARTICLE,
        suffix=st.one_of(st.just(""), _PART),
    ),
    st.builds(Name, literal=_PART),
)


def _expected(name: Name, written: str) -> Name:
    """The intended normalisation: a family-only name written wholly in brace groups (a
    family with a space, "and", or made only of escapes) is, to BibTeX, one unsplittable
    token: an organisation's name, read back as a literal."""
    bare = not (name.given or name.particle or name.suffix or name.literal)
    depth, braced = 0, True
    for ch in written:
        braced &= depth > 0 or ch == "{"
        depth += {"{": 1, "}": -1}.get(ch, 0)
    return Name(literal=name.family) if bare and braced else name


@settings(max_examples=300, deadline=None)
@given(st.lists(_NAMES, min_size=1, max_size=4))
def test_names_read_back_as_written(names):
    record = Record(type="book", fields={"title": "T"}, names={"author": names}, id="k")
    text = refconv.write([record], None, "bibtex", keys=["k"], diagnostics=Collect())
    (back,) = refconv.read(io.StringIO(text), "bibtex", diagnostics=Collect())
    written = [
        next(f.value for f in build_entry(Record(names={"author": [n]})).fields)[1:-1]
        for n in names
    ]
    assert back.names["author"] == [_expected(n, w) for n, w in zip(names, written, strict=True)]


@settings(max_examples=8, deadline=None)
@given(st.lists(_NAMES, min_size=5, max_size=10))
def test_bibtex_splits_names_where_refconv_meant(tmp_path_factory, names):
    """bibtex(1) itself: no "Too many commas" and the same number of names in every entry."""
    bibtex = require_tool("bibtex", "texlive-bibtex-extra")
    directory = tmp_path_factory.mktemp("names")
    records = [
        Record(type="book", fields={"title": "T", "publisher": "P"}, names={"author": [n]})
        for n in names
    ]
    refconv.write(records, str(directory / "refs.bib"), "bibtex", diagnostics=Collect())
    (directory / "doc.aux").write_text(
        "\\citation{*}\n\\bibdata{refs}\n\\bibstyle{plain}\n", "ascii"
    )
    subprocess.run([bibtex, "doc"], cwd=directory, capture_output=True, check=False)
    log = (directory / "doc.blg").read_text("utf-8", errors="replace")
    assert "Too many commas" not in log and "error message" not in log, log


@pytest.mark.parametrize(
    ("key", "names", "key_field"),
    [
        pytest.param("_x", {}, "{\\_}x", id="underscore_first"),
        pytest.param("a_b", {}, "a{\\_}b", id="underscore_second"),
        pytest.param("abc_d", {}, None, id="underscore_after_the_label"),
        pytest.param("_x", {"author": [Name("Doe")]}, None, id="author_labels_it"),
        pytest.param("smith2020", {}, None, id="ordinary"),
    ],
)
def test_key_field_when_the_label_comes_from_the_key(key, names, key_field):
    """alpha.bst and plainnat label an entry without author by the first three characters of
    its key, copied raw: a ``key`` field gives them the same characters, escaped; our reader
    drops it again."""
    record = Record(type="webpage", fields={"title": "T"}, names=names, id=key)
    fields = {f.key: f.value for f in build_entry(record).fields}
    assert fields.get("key") == (None if key_field is None else "{" + key_field + "}")
    text = refconv.write([record], None, "bibtex", keys=[key], diagnostics=Collect())
    (back,) = refconv.read(io.StringIO(text), "bibtex", diagnostics=Collect())
    assert back.extra == {} and "note" not in back.fields


@pytest.mark.parametrize(
    ("language", "kept"),
    [("Deutsch", True), ("Français", True), ("English", True), ("C#", False), ("a~b", False)],
)
@pytest.mark.parametrize("writer", ["bibtex", "biblatex"])
def test_language_with_tex_specials_goes_to_the_note(writer, language, kept):
    """biblatex looks a language up inside ``\\csname``: a TeX special there stops LaTeX.
    (Language tags are ``langid``: tests/test_bibtex_writer_fixes.py.)"""
    diagnostics = Collect()
    record = Record(type="book", fields={"title": "T", "language": language})
    text = refconv.write([record], None, writer, keys=["a"], diagnostics=diagnostics)
    assert ("language " in text) == kept
    assert (diagnostics.messages == []) == kept
    (back,) = refconv.read(io.StringIO(text), "bibtex", diagnostics=Collect())
    assert back.fields["language"] == language


_DROPPING = st.lists(st.sampled_from(["de", "la", "Van", "De", "von", "d'"]), max_size=2)


@settings(max_examples=150, deadline=None)
@given(
    given_name=st.sampled_from(["J.", "Jean de", "Maria del", "Ann"]),
    dropping=_DROPPING.map(" ".join),
    writer=st.sampled_from(["bibtex", "biblatex"]),
)
def test_a_dropping_particle_reads_back_or_the_name_is_kept(given_name, dropping, writer):
    """BibTeX's First marks a dropping particle only by trailing lower-case particle words:
    a name whose particle reads back otherwise ("Doe, J. Van": given "J. Van") is kept in the
    note with a warning, never changed; every other name reads back as itself."""
    person = Name("Doe", given_name, dropping_particle=dropping)
    record = Record(type="book", fields={"title": "T"}, names={"author": [person]}, id="k")
    warned = Collect()
    text = refconv.write([record], None, writer, keys=["k"], diagnostics=warned)
    (back,) = refconv.read(io.StringIO(text), writer, diagnostics=Collect())
    if all(w.islower() and w in NAME_PARTICLES for w in dropping.split()):
        assert back.names["author"] == [person]  # BibTeX can say it: written, not kept
    if back.names.get("author") == [person]:
        assert not warned.messages
    else:
        assert "author" not in back.names
        assert back.extra["author"] == [f"Doe, {given_name} {dropping}".strip()]
        assert any("kept in the note" in str(m) for m in warned.messages)


@pytest.mark.parametrize(
    ("particle", "kept"),
    [("van", None), ("van der", None), ("Van", "Van Gogh, V."), ("van Der", "van Der Gogh, V.")],
)
def test_a_particle_bibtex_reads_as_the_family_name_is_kept(particle, kept):
    """von is only lower-case words (btxdoc §4): "Van Gogh, V." is all Last to BibTeX."""
    person = Name("Gogh", "V.", particle)
    record = Record(type="book", fields={"title": "T"}, names={"author": [person]}, id="k")
    text = refconv.write([record], None, "bibtex", keys=["k"], diagnostics=Collect())
    (back,) = refconv.read(io.StringIO(text), "bibtex", diagnostics=Collect())
    assert back.names.get("author") == (None if kept else [person])
    assert back.extra.get("author") == ([kept] if kept else None)


@pytest.mark.parametrize("biblatex", [False, True])
def test_entries_are_written_in_bibtexparser_s_layout(biblatex):
    """``format_entry`` writes what bibtexparser's writer writes for the same entry (the
    writer formats directly; bibtexparser stays the oracle), for every record of the test
    corpus and the examples."""
    from bibtexparser.entrypoint import write_string
    from bibtexparser.library import Library
    from bibtexparser.writer import BibtexFormat

    from refconv.formats.bibtex.write import format_entry

    from .corpus import corpus

    records, _ = read_refer(corpus(300))
    records += read_refer((EXAMPLES / "endnote-sample.enw").read_text(encoding="utf-8"))[0]
    layout = BibtexFormat()
    layout.indent = "  "
    assigned = KeyAssigner(diagnostics=Collect()).assign(records)
    for record in assigned:
        entry = build_entry(record, biblatex=biblatex)
        layout.value_column = max((len(f.key) for f in entry.fields), default=0) + 3
        expected = write_string(Library([entry]), unparse_stack=[], bibtex_format=layout)
        assert format_entry(entry) == expected
