"""refconv check: one line per problem, exit 1 when there was any, 0 when the input is clean."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from refconv.cli import cli

from .conftest import EXAMPLES

GOOD = "%0 Journal Article\n%T Title\n%A Doe, Jane\n%D 2001\n%R 10.1000/xyz\n%@ 0028-0836\n"


def check(*args, input=None):
    return CliRunner().invoke(cli, ["check", *args], input=input)


def test_clean_input_says_so_and_exits_0(tmp_path):
    path = tmp_path / "good.enw"
    path.write_text(GOOD, encoding="utf-8")
    result = check(str(path))
    assert (result.exit_code, result.stderr, result.stdout) == (
        0, "check: 0 problems in 1 record\n", "")  # fmt: skip


#: (change to GOOD, the message, its code): one problem each
PROBLEMS = [
    (("%T Title\n", ""), "record has no title", "no-title"),
    (("%D 2001\n", ""), "record has no year", "no-year"),
    (("%D 2001\n", "%D 2201\n"), "issued year 2201 is in the far future (a typo?)", "future-year"),
    (
        ("%D 2001\n", "%D sometime\n"),
        "9: warning: %D 'sometime': not a date refconv can read; kept as literal text",
        "invalid-date",
    ),
    (
        ("%@ 0028-0836\n", "%@ 0028-0837\n"),
        "ISSN 0028-0837 has a wrong check digit or length",
        "invalid-issn",
    ),
    (
        ("%@ 0028-0836\n", "%@ 978-0-19-852663-7\n"),
        "ISBN 978-0-19-852663-7 has a wrong check digit or length",
        "invalid-isbn",
    ),
    (
        ("%0 Journal Article", "%0 Cartoon"),
        "unknown reference type 'Cartoon'; read as Generic",
        "unknown-type",
    ),
    (
        ("%T Title", "%T CafÃ© society"),
        "title looks like UTF-8 read as Windows-1252 (mojibake): 'CafÃ© society'; "
        "--fix-text repairs it",
        "mojibake",
    ),
    (
        ("%T Title", "%T 20¨C30% of cases"),
        "title looks like GBK punctuation read as Latin-1 (20¨C30 for 20–30): '20¨C30% of "
        "cas'; --fix-text repairs it",
        "mojibake",
    ),
    (
        ("%T Title", "%T Lost � text"),
        "title holds U+FFFD replacement characters (text lost in decoding): 'Lost � text'",
        "replacement-character",
    ),
    (
        ("%T Title", "%T Cats &amp; dogs"),
        "title holds HTML entities (&amp;, &#8211;, ...): 'Cats &amp; dogs'",
        "html-entity",
    ),
    (
        ("%A Doe, Jane", "%A Doe, Jos\x01"),
        "author holds control characters: 'Jos\\x01 Doe'",
        "control-character",
    ),
]


@pytest.mark.parametrize(("change", "message", "code"), PROBLEMS)
def test_each_problem_is_one_line_with_file_and_line(change, message, code):
    text = "%0 Book\n%T Other\n%A Roe, R\n%D 1999\n\n" + GOOD.replace(*change)
    result = check("-f", "refer", "-", input=text.encode("utf-8"))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    where = "" if message[0].isdigit() else "6: warning: "  # reader warnings: the tag's line
    assert lines[0].startswith(f"<stdin>:{where}{message}")
    assert lines[-1] == f"check: 1 problem in 2 records: 1 {code}"
    assert len(lines) == 2


@pytest.mark.parametrize(("change", "message", "code"), PROBLEMS)
def test_each_problem_is_one_json_object_with_its_code(change, message, code):
    """``--diagnostics json``: the problem is one object with its code, and the summary
    counts the problems by code (issue 20, item 7)."""
    text = "%0 Book\n%T Other\n%A Roe, R\n%D 1999\n\n" + GOOD.replace(*change)
    result = check("-f", "refer", "--diagnostics", "json", "-", input=text.encode("utf-8"))
    assert result.exit_code == 1
    problem, summary = (json.loads(line) for line in result.stderr.splitlines())
    line = int(message.split(":")[0]) if message[0].isdigit() else 6
    said = problem.pop("message")
    assert problem == {"path": "<stdin>", "line": line, "level": "warning", "code": code}
    assert said.startswith(message.split("warning: ", 1)[-1])
    assert summary == {
        "path": None, "line": None, "level": "summary", "code": "check",
        "message": f"check: 1 problem in 2 records: 1 {code}", "records": 2, "problems": 1,
        "codes": {code: 1}, "stopped": False,
    }  # fmt: skip


def test_malformed_doi_from_a_format_that_keeps_it_as_given():
    bib = "@article{a, title={T}, year={2001}, doi={doi 10.1000}}\n"
    result = check("-f", "bibtex", input=bib)
    assert result.stderr.splitlines()[0] == (
        "<stdin>:1: warning: DOI 'doi 10.1000' is not a DOI (10.NNNN/suffix)"
    )


def test_duplicates_by_doi_and_key_across_files(tmp_path):
    a = tmp_path / "a.enw"
    a.write_text(GOOD + "%F k1\n", encoding="utf-8")
    b = tmp_path / "b.bib"
    b.write_text("@article{k1,\n  title = {Other},\n  year = {2002},\n  doi = {10.1000/XYZ}\n}\n")
    result = check(str(a), str(b))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{b}:1: warning: duplicate DOI 10.1000/XYZ: same as the record at {a}:1",
        f"{b}:1: warning: duplicate key 'k1': first used by the record at {a}:1",
        "check: 2 problems in 2 records: 1 duplicate-doi, 1 duplicate-key",
    ]


def test_duplicates_are_found_as_dedupe_finds_them(tmp_path):
    """DOIs in other spellings and keys that differ in case are duplicates: ``check`` and
    ``convert --dedupe`` compare them with the same functions (issue 20, item 8)."""
    a = tmp_path / "a.enw"
    a.write_text(GOOD + "%F Watson1953\n", encoding="utf-8")
    b = tmp_path / "b.json"  # CSL-JSON keeps a DOI as written
    b.write_text(
        '[{"id": "watson1953", "type": "book", "title": "Other", "issued": {"date-parts": '
        '[[2002]]}, "DOI": "https://doi.org/10.1000/XYZ"}]',
        encoding="utf-8",
    )
    result = check(str(a), str(b))
    assert result.stderr.splitlines() == [
        f"{b}:1: warning: DOI 'https://doi.org/10.1000/XYZ' is not a DOI (10.NNNN/suffix)",
        f"{b}:1: warning: duplicate DOI https://doi.org/10.1000/XYZ: same as the record at {a}:1",
        f"{b}:1: warning: duplicate key 'watson1953': first used by the record at {a}:1",
        "check: 3 problems in 2 records: 1 duplicate-doi, 1 duplicate-key, 1 invalid-doi",
    ]


def test_reader_warnings_count_and_are_not_repeated(tmp_path):
    path = tmp_path / "t.enw"
    path.write_text("%0 Journal Article\n%A Doe, J\n%D 2001\n%5 odd\n", encoding="utf-8")
    result = check(str(path))
    assert result.stderr.splitlines() == [  # by line, though the reader spoke first
        f"{path}:1: warning: record has no title",
        f"{path}:4: warning: unknown tag %5; kept in custom",
        "check: 2 problems in 1 record: 1 no-title, 1 unknown-field",
    ]


def test_seed_record_has_the_mis_decoded_dash_flagged():
    result = check(str(EXAMPLES / "nahta2012-flat.enw"))
    assert result.exit_code == 1
    assert "abstract looks like GBK punctuation read as Latin-1" in result.stderr


@pytest.mark.parametrize("name", ["endnote-sample.enw", "classic.refer"])
def test_examples_are_clean(name):
    result = check(str(EXAMPLES / name))
    assert result.exit_code == 0 and result.stderr.startswith("check: 0 problems in ")


def test_usage_and_data_errors(tmp_path):
    assert check("-f", "nope", input="").exit_code == 2
    missing = check(str(tmp_path / "missing.enw"))
    assert missing.exit_code == 2  # could not check: not "problems found" (1)
    assert missing.stderr == (
        f"{tmp_path / 'missing.enw'}: error: cannot read: no such file\n"
        "check: 0 problems in 0 records, then stopped by the error above\n"
    )


def test_warnings_come_by_input_and_line(tmp_path):
    """Reader warnings about text after a record, record problems and duplicates arrive out of
    line order; check prints them sorted by input (in command-line order) and line."""
    a, b = tmp_path / "b.enw", tmp_path / "a.enw"  # named against the alphabet: input order
    dup = "%0 Book\n%T Dup\n%R 10.1000/x\n"
    a.write_text(f"%0 Book\n%D 2001\n%5 odd\n\n{dup}%D 2002\n\njunk\n\n{dup}%D 2003\n")
    b.write_text("%T Fine\n%D 2001\n\n%T No year\n", encoding="utf-8")
    result = check(str(a), str(b))
    lines = result.stderr.splitlines()
    places = [(line.split(":")[0], int(line.split(":")[1])) for line in lines[:-1]]
    assert places == sorted(places, key=lambda p: (p[0] != str(a), p[1]))
    assert [p[1] for p in places] == [1, 3, 10, 12, 4]  # the reader said 3 before 1
    assert lines[-1] == (
        "check: 5 problems in 5 records: 1 duplicate-doi, 1 no-title, 1 no-year, 1 stray-text, "
        "1 unknown-field"
    )
    assert result.exit_code == 1


def test_an_input_that_stops_the_check_keeps_what_came_before(tmp_path):
    path = tmp_path / "t.enw"
    path.write_bytes(b"%T One\n\n%T Two\n%D 2001\n\n%T bad\x00\n")
    result = check(str(path))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"{path}:1: warning: record has no year",
        f"{path}:6: error: binary data (NUL byte); this is not a text file",
        "check: 1 problem in 2 records: 1 no-year, then stopped by the error above",
    ]


def test_an_input_of_no_known_format_is_one_that_could_not_be_checked(tmp_path):
    """Status 2 and the summary, as for a missing file (not a bare usage error): what came
    before it was checked and is reported."""
    good, data = tmp_path / "t.enw", tmp_path / "data.dat"
    good.write_text("%0 Book\n%D 2001\n", encoding="utf-8")
    data.write_text("no format\n", encoding="utf-8")
    result = check(str(good), str(data))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"{good}:1: warning: record has no title",
        f"{data}: error: cannot tell the format; use -f FORMAT (bibtex, csl-yaml, csljson, "
        "endnote-xml, medline, mods, refer, ris)",
        "check: 1 problem in 1 record: 1 no-title, then stopped by the error above",
    ]
