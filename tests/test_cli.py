"""The command line: formats, streams, exit codes and exact diagnostics."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from refconv import __version__
from refconv.cli import cli

from .conftest import EXAMPLES, SEED, SEED_NOTE, SEED_WARNING

ONE = "%0 Journal Article\n%T Title\n%A Doe, Jane\n%D 2001\n"


def run(args, input=None):
    return CliRunner().invoke(cli, args, input=input)


@pytest.mark.parametrize("source", ["path", "stdin_dash", "stdin_implicit"])
def test_stdin_and_path_give_the_same_output(source, tmp_path):
    path = tmp_path / "one.enw"
    path.write_text(ONE, encoding="utf-8")
    args = {"path": [str(path)], "stdin_dash": ["-", "-f", "refer"], "stdin_implicit": []}[source]
    result = run(["convert", *args, "-t", "csljson"], input=ONE)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)[0]["id"] == "doe2001title"
    assert result.stderr == ""


def test_stdin_format_is_detected_from_content():
    result = run(["convert", "-t", "csljson"], input=ONE)
    assert result.exit_code == 0
    assert json.loads(result.stdout)[0]["title"] == "Title"


def test_seed_record_acceptance():
    result = run(["convert", str(SEED), "-t", "csljson"])
    assert result.exit_code == 0
    assert result.stderr == SEED_WARNING  # the text is kept as it is, and said to be damaged
    (item,) = json.loads(result.stdout)
    assert item["id"] == "nahta2012molecular"
    assert item["author"] == [{"family": "Nahta", "given": "Rita"}]
    assert item["container-title"] == "ISRN Oncology"
    assert item["issued"] == {"date-parts": [[2012]]}
    assert item["DOI"] == "10.5402/2012/428062"
    assert item["URL"].startswith("http://www.hindawi.com/")
    assert "20¨C30% of metastatic" in item["abstract"]


@pytest.mark.parametrize("strict", [[], ["--strict"]])
def test_fix_text_repairs_the_seed_dash_with_a_note(strict):
    result = run(["convert", "--fix-text", str(SEED), "-t", "csljson", *strict])
    assert result.exit_code == 0  # a note is not a warning: --strict lets it pass
    assert result.stderr == SEED_NOTE
    (item,) = json.loads(result.stdout)
    assert "20–30% of metastatic" in item["abstract"]
    assert "¨" not in result.stdout


def test_several_inputs_are_concatenated_with_unique_keys(tmp_path):
    a = tmp_path / "a.enw"
    a.write_text(ONE, encoding="utf-8")
    result = run(["convert", str(a), str(a), "-t", "csljson"])
    assert [i["id"] for i in json.loads(result.stdout)] == ["doe2001title", "doe2001titlea"]


def test_output_format_from_suffix_and_atomic_write(tmp_path):
    out = tmp_path / "refs.json"
    result = run(["convert", str(SEED), "-o", str(out)])
    assert result.exit_code == 0
    assert result.stdout == ""
    assert json.loads(out.read_text("utf-8"))[0]["id"] == "nahta2012molecular"
    assert oct(out.stat().st_mode & 0o777) != oct(0o600)
    assert [p.name for p in tmp_path.iterdir()] == ["refs.json"]


def test_failed_run_leaves_the_target_untouched(tmp_path):
    out = tmp_path / "refs.json"
    out.write_text("OLD", encoding="utf-8")
    bad = tmp_path / "bad.enw"
    bad.write_bytes(b"%T ok\n\n\x00\x01binary")
    result = run(["convert", str(bad), "-o", str(out)])
    assert result.exit_code == 1
    assert result.stderr == f"{bad}:3: error: binary data (NUL byte); this is not a text file\n"
    assert out.read_text("utf-8") == "OLD"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.enw", "refs.json"]


def test_missing_output_format_is_a_usage_error():
    result = run(["convert", str(SEED)])
    assert result.exit_code == 2
    assert (
        "no output format; give -t FORMAT (biblatex, bibtex, csl-yaml, csljson, endnote-xml, "
        "html, markdown, mods, refer, ris, rst, text)" in result.stderr
    )


def test_unknown_format_is_a_usage_error():
    result = run(["convert", str(SEED), "-t", "bibtext"])
    assert result.exit_code == 2
    assert (
        "unknown output format 'bibtext'; known: biblatex, bibtex, csl-yaml, csljson, "
        "endnote-xml, html, markdown, mods, refer, ris, rst, text" in result.stderr
    )
    result = run(["convert", str(SEED), "-f", "nope", "-t", "csljson"])
    assert result.exit_code == 2
    known = "bibtex, csl-yaml, csljson, endnote-xml, medline, mods, refer, ris"
    assert f"unknown input format 'nope'; known: {known}" in result.stderr


def test_undetectable_input_is_a_usage_error(tmp_path):
    path = tmp_path / "data"
    path.write_text("hello world\n", encoding="utf-8")
    result = run(["convert", str(path), "-t", "csljson"])
    assert result.exit_code == 2
    assert (
        f"cannot tell the format of {path}; use -f FORMAT "
        "(bibtex, csl-yaml, csljson, endnote-xml, medline, mods, refer, ris)" in result.stderr
    )


def test_missing_file_is_a_data_error(tmp_path):
    result = run(["convert", str(tmp_path / "nope.enw"), "-t", "csljson"])
    assert result.exit_code == 1
    assert result.stderr == f"{tmp_path / 'nope.enw'}: error: cannot read: no such file\n"
    assert result.stdout == ""


def test_empty_file_warns_and_gives_an_empty_array(tmp_path):
    path = tmp_path / "empty.enw"
    path.write_bytes(b"")
    result = run(["convert", str(path), "-t", "csljson"])
    assert result.exit_code == 0
    assert result.stdout == "[]\n"
    assert result.stderr == (
        f"{path}:1: warning: no records found (a Refer record starts with a line like '%T Title')\n"
    )


def test_binary_garbage_is_a_data_error(tmp_path):
    path = tmp_path / "garbage.enw"
    path.write_bytes(bytes(range(256)) * 4)
    result = run(["convert", str(path), "-t", "csljson"])
    assert result.exit_code == 1
    assert result.stderr == f"{path}:1: error: binary data (NUL byte); this is not a text file\n"
    assert "Traceback" not in result.output


def test_truncated_record(tmp_path):
    path = tmp_path / "cut.enw"
    path.write_bytes(b"%0 Journal Article\n%T A complete record\n\n%0 Unpubli")
    result = run(["convert", str(path), "-t", "csljson"])
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)) == 2
    assert result.stderr == (
        f"{path}:4: warning: unknown reference type 'Unpubli'; read as Generic "
        "(kept in custom)\n"
        f"{path}:4: warning: record has no title\n"
    )


def test_stray_continuation_line_before_any_tag(tmp_path):
    path = tmp_path / "stray.enw"
    path.write_text("continued from nowhere\n%T Title\n", encoding="utf-8")
    result = run(["convert", str(path), "-t", "csljson"])
    assert result.exit_code == 0
    assert result.stderr == f"{path}:1: warning: skipped 1 line of text outside any record\n"


def test_latin1_warns_and_strict_fails(tmp_path):
    path = tmp_path / "l1.enw"
    path.write_bytes(b"%0 Book\n%T M\xfcller\n")
    result = run(["convert", str(path), "-t", "csljson"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)[0]["title"] == "Müller"
    assert result.stderr == (
        f"{path}:2: warning: not valid UTF-8; decoding such lines as "
        "Windows-1252 (use --encoding to choose another encoding)\n"
    )
    result = run(["convert", str(path), "-t", "csljson", "--strict"])
    assert result.exit_code == 1
    assert result.stderr == (
        f"{path}:2: error: not valid UTF-8; decoding such lines as "
        "Windows-1252 (use --encoding to choose another encoding) "
        "(a warning, but --strict is set)\n"
    )
    result = run(["convert", str(path), "-t", "csljson", "--encoding", "latin-1", "--strict"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)[0]["title"] == "Müller"


def test_bad_encoding_option(tmp_path):
    result = run(["convert", str(SEED), "-t", "csljson", "--encoding", "klingon"])
    assert result.exit_code == 2
    assert "unknown encoding 'klingon'" in result.stderr
    path = tmp_path / "x.enw"
    path.write_bytes(b"%T \xff\n")
    result = run(["convert", str(path), "-t", "csljson", "--encoding", "ascii"])
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"{path}:1: error: cannot decode input as ascii: ordinal not in range(128)\n"
    )


def test_quiet_hides_warnings(tmp_path):
    path = tmp_path / "u.enw"
    path.write_text("%0 Book\n%T X\n%5 y\n", encoding="utf-8")
    result = run(["convert", str(path), "-t", "csljson", "-q"])
    assert result.exit_code == 0
    assert result.stderr == ""


def test_one_megabyte_line(tmp_path):
    path = tmp_path / "big.enw"
    path.write_text("%0 Journal Article\n%T Big\n%X " + "word " * 200_000 + "\n", encoding="utf-8")
    result = run(["convert", str(path), "-t", "csljson"])
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)[0]["abstract"]) == 999_999
    junk = tmp_path / "junk.enw"
    junk.write_text("x" * 1_000_000 + "\n%T Y\n", encoding="utf-8")
    result = run(["convert", str(junk), "-t", "csljson"])
    assert result.exit_code == 0
    assert result.stderr == f"{junk}:1: warning: skipped 1 line of text outside any record\n"


def test_key_format_option():
    result = run(["convert", str(SEED), "-t", "csljson", "--key-format", "{author}:{year}"])
    assert json.loads(result.stdout)[0]["id"] == "nahta:2012"
    result = run(["convert", str(SEED), "-t", "csljson", "--key-format", "{journal}"])
    assert result.exit_code == 2
    assert "unknown placeholder {journal}" in result.stderr


def test_dialect_option():
    text = "%A Smith, John\n%T X\n"
    result = run(["convert", "-f", "refer", "-t", "csljson", "--dialect", "endnote"], input=text)
    assert result.stderr == ""
    result = run(["convert", "-f", "refer", "-t", "csljson", "--dialect", "refer"], input=text)
    assert "no known suffix" in result.stderr


def test_formats_and_version_and_help():
    result = run(["formats"])
    assert result.exit_code == 0
    assert "refer " in result.stdout and "aliases: endnote, enw" in result.stdout
    assert "csljson " in result.stdout
    assert run(["--version"]).stdout == f"refconv, version {__version__}\n"
    for args in (["--help"], ["convert", "--help"], ["formats", "-h"]):
        result = run(args)
        assert result.exit_code == 0 and "Usage:" in result.stdout


def test_output_is_deterministic():
    first = run(["convert", str(EXAMPLES / "endnote-sample.enw"), "-t", "csljson"]).stdout_bytes
    second = run(["convert", str(EXAMPLES / "endnote-sample.enw"), "-t", "csljson"]).stdout_bytes
    assert first == second


def _installed_refconv() -> str | None:
    beside = os.path.join(os.path.dirname(sys.executable), "refconv")
    found = beside if os.path.exists(beside) else shutil.which("refconv")
    if found is None and os.environ.get("CI"):
        pytest.fail("refconv is not installed, but CI must run the subprocess tests")
    return found


REFCONV = _installed_refconv()


@pytest.mark.skipif(REFCONV is None, reason="refconv is not installed on PATH")
def test_installed_command_in_a_real_pipe():
    cat = subprocess.Popen(["cat", str(SEED)], stdout=subprocess.PIPE)
    result = subprocess.run(
        [REFCONV, "convert", "-f", "refer", "-t", "csljson"],
        stdin=cat.stdout,
        capture_output=True,
        check=False,
    )
    cat.wait()
    assert result.returncode == 0
    assert result.stderr.decode() == SEED_WARNING.replace(str(SEED), "<stdin>")
    assert json.loads(result.stdout)[0]["id"] == "nahta2012molecular"


@pytest.mark.skipif(REFCONV is None, reason="refconv is not installed on PATH")
def test_closed_pipe_is_quiet(tmp_path):
    big = tmp_path / "big.enw"
    big.write_text(
        "".join(f"%0 Book\n%T Title {i}\n%D 2000\n\n" for i in range(20000)), encoding="utf-8"
    )
    result = subprocess.run(
        f"'{REFCONV}' convert '{big}' -t csljson | head -n 1",
        shell=True,
        capture_output=True,
        check=False,
    )
    assert result.stdout == b"[\n"
    assert result.stderr == b""


def test_python_dash_m():
    result = subprocess.run(
        [sys.executable, "-m", "refconv", "convert", str(SEED), "-t", "json"],
        capture_output=True,
        check=False,
        env={**os.environ},
    )
    assert result.returncode == 0
    assert json.loads(result.stdout)[0]["id"] == "nahta2012molecular"


@pytest.mark.parametrize(
    "error", [KeyError("month"), IndexError("tuple index out of range"), LookupError("x")]
)
def test_a_lookup_error_in_data_code_is_not_a_usage_error(monkeypatch, error):
    """A bug while converting is not the user's usage: no 'Usage:' text and no exit 2 (the
    traceback shows, STYLE.md §6); only the names looked up before reading are usage errors."""
    from refconv.formats.ris.write import RisWriter

    def broken(self, records, out):
        for _ in records:
            raise error

    monkeypatch.setattr(RisWriter, "write", broken)
    result = run(["convert", "-f", "refer", "-t", "ris"], input=ONE)
    assert result.exit_code == 1
    assert result.exception is error
    assert "Usage:" not in result.stderr


@pytest.mark.parametrize("name", ["rot13", "hex", "base64", "zlib", "uu", "bz2", "quopri"])
@pytest.mark.parametrize("command", ["convert", "check"])
def test_non_text_encodings_are_usage_errors(name, command):
    result = run(
        [command, str(SEED), "--encoding", name, *(["-t", "ris"] * (command == "convert"))]
    )
    assert result.exit_code == 2
    assert f"'{name}' is not a text encoding" in result.stderr
    assert "Traceback" not in result.stderr


def test_undetectable_input_in_a_batch_is_reported_and_the_others_written(tmp_path):
    data = tmp_path / "data"
    data.write_text("hello world\n", encoding="utf-8")
    good = tmp_path / "good.enw"
    good.write_text(ONE, encoding="utf-8")
    out = tmp_path / "out"
    result = run(["convert", str(data), str(good), "--out-dir", str(out), "-t", "ris"])
    assert result.exit_code == 1
    assert result.stderr == (
        f"{data}: error: cannot tell the format; "
        "use -f FORMAT (bibtex, csl-yaml, csljson, endnote-xml, medline, mods, refer, ris)\n"
    )
    assert (out / "good.ris").exists() and not (out / "data.ris").exists()


def test_a_minified_csljson_file_is_one_long_line(tmp_path):
    """A minified CSL-JSON file has no line end: one line of megabytes is read (up to
    refconv.io.MAX_LINE)."""
    items = [{"id": f"i{n}", "type": "book", "title": "t" * 200} for n in range(15000)]
    path = tmp_path / "min.json"
    path.write_text(json.dumps(items, separators=(",", ":")), encoding="utf-8")
    assert path.stat().st_size > 3_000_000 and b"\n" not in path.read_bytes()
    result = run(["convert", str(path), "-t", "csljson"])
    assert (result.exit_code, result.stderr) == (0, "")
    assert len(json.loads(result.stdout)) == 15000


def test_out_dir_that_cannot_be_made_is_one_line(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    result = run(["convert", str(SEED), "--out-dir", str(blocker / "sub"), "-t", "ris"])
    assert result.exit_code == 1
    assert result.stderr == f"{blocker / 'sub'}: error: cannot create directory: Not a directory\n"


def test_report_lines_are_one_line_each(tmp_path):
    """Types and keys that come from the data with a line end stay inside their report line."""
    path = tmp_path / "t.json"
    path.write_text(
        '[{"id": "k", "type": "article-journal", "title": "T",'
        ' "custom": {"%0": ["Electronic Article\\n0"], "a\\nb": ["x"]}}]'
    )
    for target, expected in [
        ("refer", "report:      1  article-journal -> %0 Electronic Article\\x0a0\n"),
        ("ris", "report:      1  a\\x0ab\n"),
    ]:
        result = run(["convert", str(path), "-f", "csljson", "-t", target, "--report", "-q"])
        assert result.exit_code == 0
        assert expected in result.stderr
        assert all(line.startswith("report: ") for line in result.stderr.splitlines())


# -- inputs that cannot be read: one line each, never a traceback --------------------------

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
#: ``check`` could not check: status 2, the error, and the summary of what it checked before
_CHECK_STOPPED = "check: 0 problems in 0 records, then stopped by the error above\n"


def failed(command: str, error: str) -> tuple[int, str]:
    """The status and stderr of ``command`` when an input cannot be read (``error``)."""
    if command == "check":
        return 2, error + _CHECK_STOPPED
    return 1, error


@pytest.mark.parametrize("command", ["convert", "check"])
@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("missing.enw", "cannot read: no such file"),
        ("dir", "cannot read: is a directory"),
        ("loop", "cannot read: Too many levels of symbolic links"),
        ("loop/x.enw", "cannot read: Too many levels of symbolic links"),
        ("file.enw/x.enw", "cannot read: Not a directory"),
        ("link-to-file/x.enw", "cannot read: Not a directory"),
        ("x" * 300 + ".enw", "cannot read: File name too long"),
        ("x" * 300 + "/a.enw", "cannot read: File name too long"),
        ("/".join(["d"] * 2100) + "/a.enw", "cannot read: File name too long"),
    ],
    ids=lambda v: v[:24],
)
def test_inputs_that_cannot_be_looked_at_are_one_line(tmp_path, command, name, message):
    (tmp_path / "dir").mkdir()
    (tmp_path / "loop").symlink_to("loop")
    (tmp_path / "file.enw").write_text(ONE, encoding="utf-8")
    (tmp_path / "link-to-file").symlink_to("file.enw")
    path = tmp_path / name
    args = [command, str(path)] + (["-t", "ris"] if command == "convert" else [])
    result = run(args)
    assert (result.exit_code, result.stderr) == failed(command, f"{path}: error: {message}\n")


@pytest.mark.skipif(not IS_ROOT or not shutil.which("setpriv"), reason="needs root and setpriv")
@pytest.mark.parametrize("command", ["convert", "check"])
@pytest.mark.parametrize("how", ["dir_not_searchable", "file_not_readable"])
def test_an_input_we_may_not_read_is_one_line(tmp_path, command, how):
    """As another user: a PermissionError from the stat was a traceback (EACCES)."""
    if how == "dir_not_searchable":
        (tmp_path / "x.enw").write_text(ONE, encoding="utf-8")  # tmp_path: root's, 0700
        path = tmp_path / "x.enw"
    else:
        path = Path(tempfile.mkdtemp(dir="/tmp")) / "x.enw"
        path.parent.chmod(0o755)
        path.write_text(ONE, encoding="utf-8")
        path.chmod(0o600)
    try:
        args = [command, str(path)] + (["-t", "ris"] if command == "convert" else [])
        result = subprocess.run(
            ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
             sys.executable, "-m", "refconv", *args],
            capture_output=True, timeout=60, cwd="/",
        )  # fmt: skip
    finally:
        if how == "file_not_readable":
            shutil.rmtree(path.parent)
    error = f"{path}: error: cannot read: Permission denied\n"
    assert (result.returncode, result.stderr.decode()) == failed(command, error)
    assert result.stdout == b""


@pytest.mark.parametrize(
    "args", [["convert", "-t", "ris"], ["convert", "-", "-f", "refer", "-t", "ris"], ["check"]]
)
def test_a_closed_stdin_is_one_line(args):
    """refconv ... <&-: sys.stdin is None ('NoneType' object has no attribute 'buffer')."""
    result = subprocess.run(
        [sys.executable, "-m", "refconv", *args],
        capture_output=True,
        timeout=60,
        preexec_fn=lambda: os.close(0),
    )
    error = "<stdin>: error: cannot read: standard input is closed\n"
    assert (result.returncode, result.stderr.decode()) == failed(args[0], error)
    assert result.stdout == b""


# Output suffixes (issue 20, item 3): -o's suffix picks the format, says when it names none,
# and warns when -t names another format than the suffix does.
@pytest.mark.parametrize(
    ("name", "args", "start", "warning"),
    [
        ("refs.txt", [], "Doe, J. (2001). Title.", ""),
        ("refs.bib", [], "@article{doe2001title,", ""),
        ("refs.bib", ["-t", "biblatex"], "@article{doe2001title,", ""),  # a kind of BibTeX
        ("refs.htm", ["-t", "html"], "<div", ""),
        ("refs.bib", ["-t", "ris"], "TY  - JOUR", ".bib is the suffix of bibtex, not ris"),
        ("refs.md", ["-t", "text"], "Doe, J. (2001).", ".md is the suffix of markdown, not text"),
        ("refs", ["-t", "ris"], "TY  - JOUR", ""),
    ],
)
def test_output_suffix_picks_or_checks_the_format(tmp_path, name, args, start, warning):
    target = tmp_path / name
    result = CliRunner().invoke(
        cli, ["convert", "-f", "refer", "-o", str(target), *args], input=ONE
    )
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8").startswith(start)
    assert result.stderr == (f"{target}: warning: {warning}\n" if warning else "")


@pytest.mark.parametrize("name", ["refs.bibtex", "refs.yml2", "refs.TXT2"])
def test_an_unknown_output_suffix_names_itself_and_the_known_ones(tmp_path, name):
    target = tmp_path / name
    result = CliRunner().invoke(cli, ["convert", "-f", "refer", "-o", str(target)], input=ONE)
    assert result.exit_code == 2 and not target.exists()
    suffix = "." + name.split(".")[1].lower()
    assert f"the suffix {suffix} names no output format (known: .bib, " in result.stderr
    assert ".txt" in result.stderr and "give -t FORMAT" in result.stderr


# Empty input (issue 20, item 2): zero records and exit 0 in any format, -f or not, so that
# `grep ... | refconv convert -t bibtex` in a Makefile does not fail when nothing matched.
EMPTY_OUTPUT = {"csljson": "[]\n", "bibtex": "", "biblatex": "", "ris": "", "refer": "",
                "text": "", "html": '<div class="csl-bib-body">\n</div>\n', "markdown": "",
                "rst": ""}  # fmt: skip


@pytest.mark.parametrize("target", sorted(EMPTY_OUTPUT))
@pytest.mark.parametrize("data", ["", "\n", " \n\t\n\n", "\ufeff\n"])
def test_empty_standard_input_is_zero_records(target, data):
    result = CliRunner().invoke(cli, ["convert", "-t", target], input=data.encode())
    assert (result.exit_code, result.stdout) == (0, EMPTY_OUTPUT[target]), result.output
    assert result.stderr == "<stdin>:1: warning: no records found (the input is empty)\n"


def test_blank_lines_before_records_still_tell_the_format():
    data = "\n" * 5000 + ONE  # more than the head refconv sniffs
    result = CliRunner().invoke(cli, ["convert", "-t", "ris"], input=data.encode())
    assert result.exit_code == 0 and result.stdout.startswith("TY  - JOUR"), result.output


# Help (issue 20, item 6)
def test_the_command_list_is_not_cut_short():
    result = CliRunner().invoke(cli, ["--help"])
    commands = result.output.split("Commands:\n")[1].splitlines()
    assert len(commands) == 4 and not any(line.rstrip().endswith("...") for line in commands)


def test_convert_help_says_what_quiet_hides_and_shows_no_range_syntax():
    text = " ".join(CliRunner().invoke(cli, ["convert", "--help"]).output.split())
    assert "Do not print warnings or notes (errors still print)." in text
    assert "[x>=1]" not in text


@pytest.mark.parametrize("value", ["0", "-2"])
def test_jobs_must_be_a_number_of_processes(value):
    result = CliRunner().invoke(cli, ["convert", "-t", "ris", "-j", value], input=ONE)
    assert result.exit_code == 2
    assert f"{value} is not a number of processes (1 or more)" in result.stderr
