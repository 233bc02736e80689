"""BibTeX and CSL-JSON readers, and the Refer writer."""

from __future__ import annotations

import io
import json

import pytest
from click.testing import CliRunner

import refconv
from refconv.cli import cli
from refconv.formats.bibtex.read import BibtexReader
from refconv.formats.csljson.read import CslJsonReader
from refconv.io import iter_lines
from refconv.model import Date, Name

from .conftest import EXAMPLES, Collect


def read(reader_cls, text: str, path="t"):
    diagnostics = Collect()
    lines = iter_lines(io.BytesIO(text.encode()), path, diagnostics)
    return list(reader_cls(diagnostics=diagnostics).read(lines, path)), diagnostics.messages


BIB = r"""% a comment before the entries
@string{jtest = {Journal of Tests}}

@article{smith2012,
  author = {van der Berg, Jan and {World Health Organization} and King, Jr., Martin Luther
            and Kov{\'a}{\v{r}}{\'\i}k, Jarom{\'\i}r and others},
  title = {{HER2} and Caf{\'e} in 30\% of cases \& more},
  journal = jtest,
  year = 2012,
  month = mar,
  pages = {332--373},
  number = {4},
  doi = {10.1175/1520-0485(1996)026<2712:TEOIWU>2.0.CO;2},
  url = {https://example.org/a%20b},
  keywords = {alpha, beta},
  timestamp = {2020-01-01},
  note = {Translated Author (\%H): Yu Min; status: in press; A real note}
}

@incollection{chap,
  title = {Chapter},
  booktitle = {The Book},
  crossref = {thebook}
}
"""


def test_bibtex_reader_maps_fields_names_and_latex():
    records, warnings = read(BibtexReader, BIB, "t.bib")
    record = records[0]
    assert record.type == "article-journal"
    assert record.source.line == 4
    assert record.fields["citation-key"] == "smith2012"
    assert record.names["author"] == [
        Name("Berg", "Jan", "van der"),
        Name(literal="World Health Organization"),
        Name("King", "Martin Luther", suffix="Jr."),
        Name("Kovářík", "Jaromír"),
    ]
    # {HER2}: braces protect its case, CSL's nocase mark
    assert (
        record.fields["title"] == '<span class="nocase">HER2</span> and Café in 30% of cases & more'
    )
    assert record.fields["container-title"] == "Journal of Tests"
    assert record.dates["issued"] == Date(((2012, 3),))
    assert record.fields["page"] == "332-373"
    assert record.fields["issue"] == "4"
    assert record.fields["DOI"] == "10.1175/1520-0485(1996)026<2712:TEOIWU>2.0.CO;2"
    assert record.fields["URL"] == "https://example.org/a%20b"
    assert record.keywords == ["alpha", "beta"]
    assert record.fields["status"] == "in press"
    assert record.fields["note"] == "A real note"
    # "and others" is kept as the Refer reader keeps "%A et al."
    assert record.extra == {"%A": ["et al."], "%H": ["Yu Min"], "timestamp": ["2020-01-01"]}
    assert records[1].type == "chapter"
    assert records[1].extra == {"crossref": ["thebook"]}
    assert warnings == [  # timestamp: dblp's, in no BibTeX table
        "t.bib:16: unknown field timestamp; kept in custom",
        "t.bib:20: crossref to 'thebook' is not resolved; kept in custom",
    ]


def test_bibtex_reader_reports_a_broken_entry_and_goes_on(tmp_path):
    path = tmp_path / "broken.bib"
    path.write_text(
        "@article{good1, title = {One}}\n\n@article{bad, title = {x\n\n"
        "@book{good2, title = {Two}}\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.json"
    result = CliRunner().invoke(cli, ["convert", str(path), "-o", str(out)])
    assert result.exit_code == 1
    assert f"{path}:3: error: cannot parse this BibTeX entry" in result.stderr
    assert not out.exists()  # a run that skipped records does not replace the target
    result = CliRunner().invoke(cli, ["convert", str(path), "-t", "csljson"])
    assert result.exit_code == 1
    assert [item["title"] for item in json.loads(result.stdout)] == ["One", "Two"]


def test_bibtex_types_and_theses():
    records, _ = read(
        BibtexReader,
        "@phdthesis{a, title={A}}\n@mastersthesis{b, title={B}}\n"
        "@online{c, title={C}, urldate={2020-02-19}}\n",
    )
    assert [r.type for r in records] == ["thesis", "thesis", "webpage"]
    assert records[0].fields["genre"] == "PhD thesis"  # issue 16.6: APA's [Doctoral ...]
    assert records[1].fields["genre"] == "Master's thesis"
    assert records[2].dates["accessed"] == Date(((2020, 2, 19),))


CSL = """[
  {"id": "a", "type": "article-journal", "title": "A",
   "author": [{"family": "Berg", "given": "Jan", "non-dropping-particle": "van der"},
              {"literal": "WHO"}],
   "issued": {"date-parts": [[2012, 3, 15]]},
   "accessed": {"raw": "2019-08-12"},
   "keyword": "x, y",
   "custom": {"%H": ["Yu Min"]}},
  {"id": "b", "type": "nonsense", "title": "B", "volume": 3, "mystery": {"a": 1}}
]"""


def test_csljson_reader():
    records, warnings = read(CslJsonReader, CSL, "t.json")
    a, b = records
    assert a.names["author"] == [Name("Berg", "Jan", "van der"), Name(literal="WHO")]
    assert a.dates == {"issued": Date(((2012, 3, 15),)), "accessed": Date(((2019, 8, 12),))}
    assert a.keywords == ["x", "y"]
    assert a.extra == {"%H": ["Yu Min"]}
    assert a.fields["citation-key"] == "a"
    assert (a.source.line, b.source.line) == (2, 9)
    assert b.type == "document" and b.fields["volume"] == "3"
    assert b.extra == {"type": ["nonsense"], "mystery": ['{"a": 1}']}
    assert warnings == [
        "t.json:9: unknown CSL type 'nonsense'; read as document (kept in custom)",
        "t.json:9: CSL key 'mystery' is not a CSL variable; kept in custom",
    ]


def test_csljson_reader_errors(tmp_path):
    for text, message in [
        ('[{"id": "a"},\n{"id": ', "2: error: invalid JSON"),
        ('{"id": "a"}', None),
        ("[1]", "1: error: a CSL-JSON item must be"),
    ]:
        path = tmp_path / "x.json"
        path.write_text(text, encoding="utf-8")
        result = CliRunner().invoke(cli, ["convert", str(path), "-t", "csljson"])
        if message is None:
            assert result.exit_code == 0
        else:
            assert result.exit_code == 1 and f"{path}:{message}" in result.stderr


def test_refer_writer_normalises_and_round_trips():
    result = CliRunner().invoke(cli, ["convert", str(EXAMPLES / "classic.refer"), "-t", "refer"])
    text = result.stdout
    assert text.startswith("%0 Journal Article\n%F kernighan1975system\n%A Kernighan, Brian W.\n")
    assert "%A Friedman, Daniel P., Jr.\n" in text
    assert "%A National Aeronautics and Space Administration,\n" in text
    again = CliRunner().invoke(cli, ["convert", "-f", "refer", "-t", "refer"], input=text)
    assert again.stdout == text  # refer -> refer is idempotent


def test_refer_writer_keeps_endnote_type_and_protects_lines():
    text = "%0 Electronic Article\n%T T\n%8 2020-01-05\n"
    result = CliRunner().invoke(cli, ["convert", "-f", "refer", "-t", "refer"], input=text)
    assert result.stdout == "%0 Electronic Article\n%F t\n%T T\n%8 2020/01/05\n\n"
    csl = (
        '[{"id": "x", "type": "article-journal", "title": "T", '
        '"abstract": "One\\n%T two\\n\\nthree"}]'
    )
    result = CliRunner().invoke(cli, ["convert", "-f", "csljson", "-t", "refer"], input=csl)
    assert "%X One\n %T two\nthree\n" in result.stdout
    back = CliRunner().invoke(cli, ["convert", "-f", "refer", "-t", "csljson"], input=result.stdout)
    assert json.loads(back.stdout)[0]["abstract"] == "One\n%T two\nthree"


@pytest.mark.parametrize(
    ("item", "extra", "warning"),
    [
        (
            '{"id": "a", "type": "book", "title": "T", "issued": {"date-parts": [["x"]]}}',
            {"issued": ['{"date-parts": [["x"]]}']},
            'cannot read issued {"date-parts": [["x"]]}; kept in custom',
        ),
        (
            '{"id": "a", "type": "book", "title": "T", "author": [{"family": "Doe"}, 7]}',
            {"author": ["[7]"]},
            "cannot read author [7]; kept in custom",
        ),
        (
            '{"id": "a", "type": "book", "title": "T", "author": [], '
            '"issued": {"date-parts": [["2012", "3"]]}}',
            {},
            None,
        ),
    ],
)
def test_csljson_values_it_cannot_read_are_kept_with_a_warning(item, extra, warning):
    (record,), warnings = read(CslJsonReader, f"[{item}]", "t.json")
    assert record.extra == extra
    assert warnings == ([f"t.json:1: {warning}"] if warning else [])


@pytest.mark.parametrize(
    ("text", "date"),
    [
        pytest.param("sometime soon", Date(literal="sometime soon"), id="words"),
        pytest.param("Spring 2020/03", Date(((2020, 3),), season=1), id="season-and-month"),
        pytest.param("Spring 2020/3", None, id="season-written-otherwise-stays-a-note"),
        pytest.param("March", Date(literal="March"), id="month-without-year"),
        pytest.param("2020 zq", Date(literal="2020 zq"), id="leftover-word"),
        pytest.param("2020/03/15", Date(((2020, 3, 15),)), id="whole-date"),
        pytest.param("2020-03-15", None, id="written-otherwise-stays-a-note"),
    ],
)
def test_a_note_that_is_not_wholly_a_date_reads_back_as_a_literal_date(text, date):
    """A note's date is restored only when the parse used all of it; else its text stays;
    a date the writers would write as other text is no line of theirs: it stays a note."""
    from refconv.model import Record
    from refconv.notes import restore

    record = Record()
    assert restore(record, "issued", text) is (date is not None)
    assert record.dates == ({"issued": date} if date else {})


def test_csljson_lines_stay_right_past_the_buffer(tmp_path):
    """The reader drops what it has read; the lines it reports still count from the top."""
    items = [{"id": f"k{i}", "type": "book", "title": f"T{i}\nx"} for i in range(3000)]
    text = json.dumps(items, indent=2)
    lines = text.splitlines()
    target = next(i for i, line in enumerate(lines) if '"k2500"' in line)  # 0-based
    lines[target + 2] = lines[target + 2].replace('"title"', '"title" "oops"')
    path = tmp_path / "big.json"
    path.write_text("\n".join(lines), encoding="utf-8")
    result = CliRunner().invoke(cli, ["convert", str(path), "-t", "ris"])
    assert result.exit_code == 1
    assert f"{path}:{target + 3}: error: invalid JSON" in result.stderr
    head = "\n".join(lines[: target - 1]).rstrip(",") + "\n]"  # items k0 to k2499
    records = list(refconv.read(head.encode(), "csljson", diagnostics=refconv.Collected()))
    brace = next(i for i, line in enumerate(lines) if '"k2499"' in line)  # "{" is the line above
    assert (len(records), records[-1].source.line) == (2500, brace)
