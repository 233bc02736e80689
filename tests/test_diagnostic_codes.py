"""Machine-readable diagnostics (issue 20, item 7): every diagnostic has a stable code from
``refconv.codes``, documented in the README and the man page; ``--diagnostics json`` prints
each as one JSON object (path, line, level, code, message) on stderr, usage errors and the
summaries included; ``check`` counts its problems by code."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import get_args

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from refconv.cli import cli
from refconv.codes import MEANINGS, Code
from refconv.diagnostics import render

from .conftest import EXAMPLES
from .hostile import TEXT, hostile

ROOT = Path(__file__).resolve().parent.parent
KEYS = ["path", "line", "level", "code", "message"]


def run(*args: str, input: bytes | str | None = None):
    result = CliRunner().invoke(cli, list(args), input=input)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def objects(stderr: str) -> list[dict]:
    """Each stderr line as a JSON object (a line that is not one fails)."""
    return [json.loads(line) for line in stderr.splitlines()]


# --- the codes ----------------------------------------------------------------------------------


def test_the_code_type_and_the_meanings_list_the_same_codes_in_order():
    assert list(get_args(Code)) == list(MEANINGS)
    for code, (level, meaning) in MEANINGS.items():
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", code), code
        assert level in ("error", "warning", "note") and meaning, code


def test_the_readme_table_is_the_list_of_codes():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text.split("| code | level | meaning |\n| --- | --- | --- |\n", 1)[1].split("\n\n")[0]
    rows = [re.fullmatch(r"\| `([^`]+)` \| (\w+) \| (.+) \|", row) for row in table.splitlines()]
    assert all(rows), table
    assert [(m[1], m[2], m[3]) for m in rows if m] == [(c, *v) for c, v in MEANINGS.items()]


def test_every_code_is_given_somewhere_in_the_sources():
    """No code is only documented: each is the ``code`` of some diagnostic (mypy holds every
    call to give one of them)."""
    sources = "".join(
        path.read_text(encoding="utf-8")
        for path in (ROOT / "refconv").rglob("*.py")
        if path.name != "codes.py"
    )
    unused = [code for code in MEANINGS if f'"{code}"' not in sources]
    assert unused == []


# --- the JSON form ------------------------------------------------------------------------------

REFER = "%0 Journal Article\n%T Title\n%5 odd\n%D 20xx\n"


def test_each_warning_is_one_object_with_five_keys():
    result = run("convert", "-f", "refer", "-t", "csljson", "--diagnostics", "json", input=REFER)
    assert result.exit_code == 0
    assert objects(result.stderr) == [
        {"path": "<stdin>", "line": 3, "level": "warning", "code": "unknown-field",
         "message": "unknown tag %5; kept in custom"},
        {"path": "<stdin>", "line": 4, "level": "warning", "code": "invalid-date",
         "message": "%D '20xx': not a date refconv can read; kept as literal text"},
    ]  # fmt: skip
    assert [list(o) for o in objects(result.stderr)] == [KEYS, KEYS]


def test_a_hostile_value_stays_in_its_line_and_its_string():
    """A tag that holds a line separator, a quote, a backslash or an escape sequence: one line
    of ASCII, and the message is the value as read (JSON escapes, not ``one_line``'s)."""
    odd = 'x\u2028y"\\\x1b[31m\u0085z'
    result = run("convert", "-f", "refer", "-t", "ris", "--diagnostics", "json",
                 input=f"%0 Book\n%T T\n%5 {odd}\n%Q{odd}\n".encode())  # fmt: skip
    lines = result.stderr.splitlines()
    assert lines and all(line.isascii() and line.isprintable() for line in lines)
    assert all(o["path"] == "<stdin>" and o["line"] for o in objects(result.stderr))


def test_notes_errors_and_strict_keep_their_codes(tmp_path):
    notes = run("convert", "-f", "refer", "-t", "ris", "--fix-text", "--diagnostics", "json",
                input="%0 Book\n%T CafÃ© society\n")  # fmt: skip
    assert [(o["level"], o["code"]) for o in objects(notes.stderr)] == [
        ("note", "mojibake-repaired")
    ]
    strict = run("convert", "-f", "refer", "-t", "ris", "--strict", "--diagnostics", "json",
                 input=REFER)  # fmt: skip
    assert strict.exit_code == 1
    assert objects(strict.stderr) == [
        {"path": "<stdin>", "line": 3, "level": "error", "code": "unknown-field",
         "message": "unknown tag %5; kept in custom (a warning, but --strict is set)"},
    ]  # fmt: skip
    missing = run("convert", str(tmp_path / "no.enw"), "-t", "ris", "--diagnostics", "json")
    assert missing.exit_code == 1
    assert objects(missing.stderr) == [
        {"path": str(tmp_path / "no.enw"), "line": None, "level": "error",
         "code": "read-failed", "message": "cannot read: no such file"},
    ]  # fmt: skip
    binary = run("convert", "-f", "refer", "-t", "ris", "--diagnostics", "json",
                 input=b"%0 Book\n%T a\x00b\n")  # fmt: skip
    assert [(o["line"], o["code"]) for o in objects(binary.stderr)] == [(2, "decode-failed")]


def test_quiet_hides_warnings_not_errors():
    quiet = run("convert", "-f", "bibtex", "-t", "ris", "-q", "--diagnostics", "json",
                input="@article{a, title={T}, year={2001}, zz={1}}\n@article{b,\n")  # fmt: skip
    assert [o["code"] for o in objects(quiet.stderr)] == ["invalid-entry"]
    assert quiet.exit_code == 1


@pytest.mark.parametrize(
    "args",
    [
        ["convert", "--bogus"],  # click's own error
        ["convert", "-t", "docx"],  # refconv's
        ["convert", "-t", "ris", "--out-dir", "x"],  # --out-dir needs input files
        ["convert", "-j", "0", "-t", "ris"],  # a bad value
        ["check", "-f", "nope"],
    ],
)
@pytest.mark.parametrize("spelling", ["--diagnostics=json", "--diagnostics json"])
def test_usage_errors_are_one_object_and_exit_2(args, spelling):
    result = run(*args, *spelling.split(), input="")
    assert result.exit_code == 2
    (error,) = objects(result.stderr)
    assert (error["path"], error["line"], error["level"], error["code"]) == (
        None, None, "error", "usage")  # fmt: skip
    assert "Usage:" not in error["message"] and error["message"]


def test_text_is_the_default_and_json_must_be_asked_for():
    """Input files named "--diagnostics" and "json" after ``--`` are no request for JSON."""
    result = run("convert", "--bogus", input="")
    assert result.stderr.startswith("Usage: ")
    files = run("convert", "-t", "ris", "--", "--diagnostics", "json")  # two input files
    assert (files.exit_code, files.stderr) == (
        1,
        "--diagnostics: error: cannot read: no such file\n",
    )


def test_report_is_one_summary_object_with_the_counts():
    result = run("convert", "-f", "refer", "-t", "bibtex", "--report", "--diagnostics", "json",
                 input=REFER)  # fmt: skip
    *warnings, report = objects(result.stderr)
    assert [w["code"] for w in warnings] == ["unknown-field", "invalid-date"]
    assert report == {
        "path": None, "line": None, "level": "summary", "code": "report",
        "message": "report: 1 record written as bibtex", "target": "bibtex", "records": 1,
        "merged": 0, "kept_in": {"refconv": {"%5": 1, "issued": 1}},
        "kept_by_reader": {"%5": 1}, "retyped": {}, "warnings": 2, "errors": 0,
        "codes": {"invalid-date": 1, "unknown-field": 1},
    }  # fmt: skip


def test_check_counts_by_code_in_both_forms(tmp_path):
    path = tmp_path / "t.enw"
    path.write_text("%0 Book\n%D 2001\n\n%0 Book\n%D 2002\n%5 x\n\n%0 Book\n%T T\n")
    text = run("check", str(path))
    assert text.stderr.splitlines()[-1] == (  # most frequent first, then by name
        "check: 4 problems in 3 records: 2 no-title, 1 no-year, 1 unknown-field"
    )
    json_run = run("check", str(path), "--diagnostics", "json")
    *problems, summary = objects(json_run.stderr)
    counted: dict[str, int] = {}
    for problem in problems:
        counted[problem["code"]] = counted.get(problem["code"], 0) + 1
    assert summary["codes"] == counted and summary["problems"] == len(problems)
    assert summary["message"] == text.stderr.splitlines()[-1]
    assert json_run.exit_code == text.exit_code == 1


def test_batch_messages_are_json_too(tmp_path):
    (tmp_path / "a.enw").write_text(REFER)
    (tmp_path / "b.enw").write_bytes(b"%0 Book\n%T \x00\n")
    inputs = [str(tmp_path / "a.enw"), str(tmp_path / "b.enw")]
    out = str(tmp_path / "out")
    result = run("convert", *inputs, "--out-dir", out, "-t", "ris", "-j", "2",
                 "--diagnostics", "json")  # fmt: skip
    assert result.exit_code == 1
    assert [(Path(o["path"]).name, o["code"]) for o in objects(result.stderr)] == [
        ("a.enw", "unknown-field"), ("a.enw", "invalid-date"), ("b.enw", "decode-failed"),
    ]  # fmt: skip


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_a_signal_is_one_object():
    process = subprocess.Popen(
        [sys.executable, "-m", "refconv", "convert", "-f", "refer", "-t", "ris",
         "--diagnostics", "json"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    time.sleep(1.0)  # reading standard input, which stays open
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 128 + signal.SIGTERM
    assert json.loads(stderr) == {"path": None, "line": None, "level": "error",
                                  "code": "stopped", "message": "stopped by SIGTERM"}  # fmt: skip


# --- every reader: JSON is the text form with codes ----------------------------------------------


@pytest.mark.parametrize("source", list(TEXT))
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_json_diagnostics_are_the_text_ones_with_a_code(source, data):
    """Hostile input in every input format: the same exit status and output with either
    form, and each JSON object, rendered as text, is the text line in its place."""
    raw = data.draw(hostile(source), label="input")
    target = data.draw(st.sampled_from(["csljson", "bibtex", "ris", "mods"]), label="target")
    args = ["convert", "-f", source, "-t", target, "-j", "1"]
    text = run(*args, input=raw)
    as_json = run(*args, "--diagnostics", "json", input=raw)
    assert (as_json.exit_code, as_json.stdout_bytes) == (text.exit_code, text.stdout_bytes)
    found = objects(as_json.stderr)
    for o in found:
        assert list(o) == KEYS and o["code"] in MEANINGS and o["level"] in ("error", "warning")
    shown = [render("text", o["level"], o["code"], o["message"], o["path"], o["line"])
             for o in found]  # fmt: skip
    assert shown == text.stderr.splitlines()


def test_the_examples_check_clean_in_json():
    result = run("check", str(EXAMPLES / "endnote-sample.enw"), "--diagnostics", "json")
    (summary,) = objects(result.stderr)
    assert (summary["problems"], summary["codes"], result.exit_code) == (0, {}, 0)


# --- the same problem, the same code, in every reader -------------------------------------------

MODS_HEAD = '<?xml version="1.0"?>\n<mods xmlns="http://www.loc.gov/mods/v3">'
ENDX_HEAD = '<?xml version="1.0"?>\n<xml><records><record>'

#: (reader, input, the code it must give): each problem in each format that can have it
SAME_PROBLEM = [
    ("refer", "%0 Cartoon\n%T T\n%D 2001\n", "unknown-type"),
    ("ris", "TY  - XYZ\nTI  - T\nPY  - 2001\nER  - \n", "unknown-type"),
    ("bibtex", "@weird{k, title={T}, year={2001}}\n", "unknown-type"),
    ("csljson", '[{"id": "k", "type": "weird", "title": "T"}]', "unknown-type"),
    ("csl-yaml", "- id: k\n  type: weird\n  title: T\n", "unknown-type"),
    ("medline", "PMID- 1\nTI  - T\nPT  - Weird Thing\nDP  - 2001\n", "unknown-type"),
    ("mods", f"{MODS_HEAD}<titleInfo><title>T</title></titleInfo><genre>weird</genre></mods>",
     "unknown-type"),
    ("endnote-xml", f'{ENDX_HEAD}<ref-type name="Weird">99</ref-type><titles><title>T</title>'
     "</titles></record></records></xml>", "unknown-type"),
    ("refer", "%0 Book\n%T T\n%5 x\n", "unknown-field"),
    ("ris", "TY  - BOOK\nTI  - T\nZZ  - x\nER  - \n", "unknown-field"),
    ("csljson", '[{"id": "k", "type": "book", "title": "T", "zzz": "x"}]', "unknown-field"),
    ("refer", "%0 Book\n%T T\n%D 20xx\n", "invalid-date"),
    ("ris", "TY  - BOOK\nTI  - T\nPY  - 20xx\nER  - \n", "invalid-date"),
    ("bibtex", "@book{k, title={T}, year={20xx}}\n", "invalid-date"),
    ("csljson", '[{"id": "k", "type": "book", "title": "T", "issued": "20xx"}]', "invalid-date"),
    ("csljson", '[{"id": "k", "type": "book", "title": "T", "issued": {"raw": "20xx"}}]',
     "invalid-date"),
    ("csljson", '[{"id": "k", "type": "book", "title": "T", "issued": {"date-parts": [["x"]]}}]',
     "invalid-date"),
    ("csl-yaml", "- id: k\n  type: book\n  title: T\n  issued: 20xx\n", "invalid-date"),
    ("medline", "PMID- 1\nTI  - T\nDP  - 20xx\n", "invalid-date"),
    ("bibtex", "@book{k, title={T}, author={Smith, J, K, L, M}}\n", "invalid-name"),
    ("bibtex", "@book{k, title={T}, author={A and {} and B}}\n", "invalid-name"),
    ("csljson", '[{"id": "k", "type": "book", "author": [{"given": ""}, {"family": "D"}]}]',
     "invalid-name"),
    ("refer", "%0 Book\n%T T\n%A ,\n", "invalid-name"),
    ("ris", "TY  - BOOK\nTI  - T\nAU  - ,\nER  - \n", "invalid-name"),
    ("medline", "PMID- 1\nTI  - T\nFAU - ,\nDP  - 2001\n", "invalid-name"),
    ("endnote-xml", f'{ENDX_HEAD}<ref-type name="Book">6</ref-type><contributors><authors>'
     "<author> , </author></authors></contributors><titles><title>T</title></titles>"
     "</record></records></xml>", "invalid-name"),
    ("refer", "%0 Book\n%D 2001\n", "no-title"),
    ("ris", "TY  - BOOK\nPY  - 2001\nER  - \n", "no-title"),
    ("csljson", '[{"id": "k", "type": "book"}]', "no-title"),
    ("csl-yaml", "- id: k\n  type: book\n", "no-title"),
    ("bibtex", "@book{k, year={2001}}\n", "no-title"),
    ("refer", "", "no-records"),
    ("ris", "\n\n", "no-records"),
    ("bibtex", "", "no-records"),
    ("csljson", "[]", "no-records"),
    ("csl-yaml", "references: []\n", "no-records"),
    ("medline", "", "no-records"),
    ("ris", "junk\nTY  - BOOK\nTI  - T\nER  - \n", "stray-text"),
    ("bibtex", "@we ird{k, title={T}}\n@book{b, title={T}, year={2001}}\n", "stray-text"),
    ("csljson", '[{"id": "k", "type": "book", "title": "T"}] junk', "stray-text"),
    ("endnote-xml", f'{ENDX_HEAD}<titles><title>T</title></titles></record><x/></records></xml>',
     "stray-text"),
    ("mods", '<?xml version="1.0"?>\n<modsCollection xmlns="http://www.loc.gov/mods/v3"><mods>'
     "<titleInfo><title>T</title></titleInfo></mods> junk</modsCollection>", "stray-text"),
    ("csljson", '{"id": "k", "type": "book", "title": "T"}\n{"id": "l"}\n3', "stray-text"),
]  # fmt: skip


@pytest.mark.parametrize(("reader", "text", "code"), SAME_PROBLEM)
def test_a_problem_has_its_code_in_every_reader(reader, text, code):
    result = run("convert", "-f", reader, "-t", "csljson", "--diagnostics", "json", input=text)
    assert code in [o["code"] for o in objects(result.stderr)], result.stderr
    for item in json.loads(result.stdout):  # an empty name is left out, never written as {}
        assert all(any(person.values()) for person in item.get("author", []))


# --- the review's findings ----------------------------------------------------------------------


@pytest.mark.parametrize("form", ["text", "json"])
def test_a_usage_error_on_a_full_stderr_is_still_status_2(form):
    with open("/dev/full", "w") as full:
        status = subprocess.run(
            [sys.executable, "-m", "refconv", "convert", "--nosuch", "--diagnostics", form],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=full, check=False,
        ).returncode  # fmt: skip
    assert status == 2


def test_the_last_diagnostics_option_counts():
    result = run("convert", "--diagnostics", "json", "--diagnostics", "text", "--bogus")
    assert result.exit_code == 2 and result.stderr.startswith("Usage: ")
    result = run("convert", "--diagnostics=text", "--diagnostics=json", "--bogus")
    assert objects(result.stderr)[0]["code"] == "usage"


def test_an_input_of_no_known_format_has_its_code_and_path(tmp_path):
    data = tmp_path / "data.dat"
    data.write_text("no format at all\n")
    single = run("convert", str(data), "-t", "ris", "--diagnostics", "json")
    (error,) = objects(single.stderr)
    assert (single.exit_code, error["code"], error["path"]) == (2, "unknown-format", str(data))
    batch = run("convert", str(data), "--out-dir", str(tmp_path / "o"), "-t", "ris",
                "--diagnostics", "json")  # fmt: skip
    (error,) = objects(batch.stderr)
    assert (batch.exit_code, error["code"], error["path"]) == (1, "unknown-format", str(data))
    assert error["message"].startswith("cannot tell the format; use -f FORMAT")


def test_a_suffix_that_names_another_format_is_about_the_output(tmp_path):
    target = tmp_path / "refs.bib"
    result = run("convert", "-f", "refer", "-t", "ris", "-o", str(target), "--diagnostics",
                 "json", input="%0 Book\n%T T\n%D 2001\n")  # fmt: skip
    (warning,) = objects(result.stderr)
    assert (warning["code"], warning["path"]) == ("suffix-mismatch", str(target))
    assert warning["message"] == ".bib is the suffix of bibtex, not ris"


def test_a_file_name_that_is_not_utf8_is_escaped_not_a_lone_surrogate(tmp_path):
    name = os.fsdecode(b"bad\xff.enw")
    (tmp_path / name).write_text("%0 Book\n%T T\n%5 x\n")
    result = subprocess.run(
        [sys.executable, "-m", "refconv", "check", name, "--diagnostics", "json"],
        cwd=tmp_path, capture_output=True, check=False,
    )  # fmt: skip
    first = result.stderr.decode("ascii").splitlines()[0]
    assert json.loads(first)["path"] == "bad\\xff.enw"
    assert "\\udc" not in first


def test_bidirectional_controls_are_escapes_in_the_text_form():
    result = run("convert", "-f", "refer", "-t", "ris", input="%0 Car\u202etoon\n%T T\n")
    assert "\u202e" not in result.stderr and "Car\\u202etoon" in result.stderr


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_report_sums_the_inputs_of_a_batch(tmp_path, jobs):
    (tmp_path / "a.enw").write_text("%0 Book\n%T T\n%D 2001\n%5 x\n")
    (tmp_path / "b.enw").write_text("%0 Book\n%T U\n%D 2002\n%5 y\n\n%0 Book\n%T V\n%D 2003\n")
    inputs = [str(tmp_path / "a.enw"), str(tmp_path / "b.enw")]
    out = str(tmp_path / "out")
    result = run("convert", *inputs, "--out-dir", out, "-t", "bibtex", "-j", jobs,
                 "--report", "--diagnostics", "json")  # fmt: skip
    *warnings, report = objects(result.stderr)
    assert [w["code"] for w in warnings] == ["unknown-field", "unknown-field"]
    assert (report["records"], report["warnings"], report["codes"]) == (
        3, 2, {"unknown-field": 2})  # fmt: skip
    assert report["kept_by_reader"] == {"%5": 2}
    text = run("convert", *inputs, "--out-dir", out, "-t", "bibtex", "-j", jobs, "--report")
    assert "report: 3 records written as bibtex" in text.stderr


@pytest.mark.parametrize(
    "text",
    [
        "@article\n{k, title={T}, year=2007}\n",  # the brace on the next line
        "@ article{k, title={T}, year=2007}\n",  # white space after "@"
        "  @ article\n  (k, title={T}, year=2007)\n",
    ],
)
def test_bibtex_reads_an_entry_with_white_space_around_its_type(text):
    """bibtex(1) reads these; bibtexparser did not, and they were lost (then said lost)."""
    result = run("convert", "-f", "bibtex", "-t", "csljson", input=text + "%\n@comment free\n")
    assert result.stderr == ""
    (item,) = json.loads(result.stdout)
    assert (item["id"], item["title"]) == ("k", "T")


def _calls_without_a_code() -> list[str]:
    """Calls in refconv's sources that report a diagnostic (``warn``, ``error``, ``note``,
    ``kept``, ``ReadRules.keep``, ``RefconvError``) without ``code=``."""
    import ast

    missing = []
    for path in sorted((ROOT / "refconv").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or any(k.arg == "code" for k in node.keywords):
                continue
            func = ast.unparse(node.func)
            name = func.rpartition(".")[2]
            reports = name in ("warn", "note", "kept", "RefconvError") or (
                name == "error" and func != "self.error"  # MODS's reader: an error factory
            ) or (name == "keep" and "rules" in func)  # fmt: skip
            if reports:
                missing.append(f"{path.relative_to(ROOT)}:{node.lineno}: {func}")
    return missing


def test_every_diagnostic_of_refconv_names_its_code():
    """The default code ``other`` is for plugins written before codes; refconv's own calls
    each name theirs."""
    assert _calls_without_a_code() == []


def test_a_plugin_that_names_no_code_still_works():
    from refconv.diagnostics import Collected, Diagnostics, RefconvError

    sink = Collected()
    sink.warn("a plugin's warning", "x.tsv", 3)
    assert [(m.code, str(m)) for m in sink.messages] == [
        ("other", "x.tsv:3: warning: a plugin's warning")
    ]
    assert RefconvError("a plugin's error", "x.tsv", 4).describe("json") == (
        '{"path": "x.tsv", "line": 4, "level": "error", "code": "other", '
        '"message": "a plugin\'s error"}'
    )
    assert Diagnostics().form == "text"


def test_a_usage_error_with_stderr_closed_stays_out_of_the_output(tmp_path):
    """With fd 2 closed at start (``2>&-``) click printed usage errors on stdout, that is
    into the output; now nothing is printed, and the status says it."""
    for args in (["--bogus"], ["-t", "docx"]):
        result = subprocess.run(
            [sys.executable, "-m", "refconv", "convert", *args], stdin=subprocess.DEVNULL,
            capture_output=True, check=False, preexec_fn=lambda: os.close(2),
        )  # fmt: skip
        assert (result.returncode, result.stdout) == (2, b"")


def test_a_file_name_that_is_not_utf8_reads_the_same_in_both_forms(tmp_path):
    name = os.fsdecode(b"bad\xff.enw")
    (tmp_path / name).write_text("%0 Book\n%T T\n%5 x\n")
    result = subprocess.run([sys.executable, "-m", "refconv", "check", name], cwd=tmp_path,
                            capture_output=True, check=False)  # fmt: skip
    assert "bad\\xff.enw:3: warning: unknown tag %5" in result.stderr.decode("ascii")


def test_a_long_key_is_shortened_in_its_message():
    item = {"id": "a", "type": "book", "title": "T", "k" * 5000: "x"}
    result = run("convert", "-f", "csljson", "-t", "csljson", input=json.dumps([item]))
    assert len(result.stderr) < 200 and "k" * 5000 in result.stdout  # kept whole in custom


A, B = (json.dumps({"id": key, "type": "book", "title": "T"}) for key in "ab")


@pytest.mark.parametrize(
    "text",
    [
        f"{A}\n{B}\n",  # JSON Lines
        f"[{A}]\n[{B}]",  # cat a.json b.json
        f"{A}, {B}",
    ],
)
def test_csljson_values_one_after_another_are_all_read(text):
    """Every item is read, not only the first value's (which lost the rest, exit 0)."""
    result = run("convert", "-f", "csljson", "-t", "csljson", input=text)
    assert result.stderr == ""
    assert [item["id"] for item in json.loads(result.stdout)] == ["a", "b"]


def test_an_empty_csljson_date_is_no_date():
    """ "issued": "" (or a raw or literal of nothing) was a literal date of nothing, written
    as an empty %D, RIS note or BibTeX field; it is no date, as pandoc reads it."""
    item = {"id": "a", "type": "book", "title": "T", "issued": " ", "accessed": {"raw": ""},
            "event-date": {"literal": ""}}  # fmt: skip
    result = run("convert", "-f", "csljson", "-t", "refer", input=json.dumps([item]))
    assert (result.stdout, result.stderr) == ("%0 Book\n%F a\n%T T\n\n", "")


def test_endnote_xml_content_between_records_is_said_where_it_stands():
    """The pull parser reads only records: text and elements around them went unsaid."""
    text = (
        '<?xml version="1.0"?>\n<xml><records>junk<record><ref-type name="Book">6</ref-type>'
        "<titles><title>T</title></titles></record>\n<bogus>x</bogus>more\n<record>"
        '<ref-type name="Book">6</ref-type><titles><title>U</title></titles></record> tail'
        "</records></xml>\n"
    )
    result = run("convert", "-f", "endnote-xml", "-t", "csljson", "--diagnostics", "json",
                 input=text)  # fmt: skip
    assert [item["title"] for item in json.loads(result.stdout)] == ["T", "U"]
    assert [(o["line"], o["message"]) for o in objects(result.stderr)] == [
        (2, "text 'junk' outside any <record>; skipped"),
        (3, "element <bogus> outside any <record>; skipped"),
        (3, "text 'more' outside any <record>; skipped"),
        (4, "text 'tail' outside any <record>; skipped"),
    ]
