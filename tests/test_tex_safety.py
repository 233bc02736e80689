"""No value refconv writes to BibTeX/BibLaTeX runs TeX: proved with the real consumers (issue 13).

A matrix of hostile payloads x fields (url, doi, title, author, note, keywords and the citation
key) x styles (plainnat without url.sty, with url.sty, with hyperref; unsrt; biblatex with
biber, fed both our BibLaTeX and our BibTeX) goes through ``bibtex``/``biber`` and ``pdflatex
-recorder -no-shell-escape`` in a directory that holds a ``secret.tex`` decoy. The ``.fls``
file lists every file TeX opened: besides the document's own files only the TeX distribution's
may appear, and every document must compile without an error. One document per style keeps the
matrix to a few seconds. The tools come from Debian's texlive-latex-base, -latex-recommended,
-bibtex-extra and biber; a missing tool skips these tests on a developer machine and fails
them under CI (the CI environment variable).
"""

from __future__ import annotations

import io
import os
import re
import subprocess
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote_to_bytes

import pytest
from hypothesis import given
from hypothesis import strategies as st

import refconv
from refconv.formats.bibtex.latex import (
    escape_doi,
    escape_url,
    to_latex_ascii,
    unescape_verbatim,
    url_changes,
)
from refconv.formats.bibtex.tables import KEY_UNSAFE
from refconv.formats.bibtex.write import citation_key
from refconv.model import Date, Name, Record

from .conftest import Collect, require_tool

pytestmark = pytest.mark.slow  # runs bibtex, biber and pdflatex on the attack matrix

SECRET = "SECRET-DECOY-WAS-READ"

#: (id, payload, printable as text by a default pdflatex). Each tries one way to run TeX, read
#: a file, end a field or comment out the rest of a .bbl line. CJK has no glyphs without a CJK
#: package: it goes only where it is not printed as text (url, key; a DOI with it goes to the
#: note as text).
PAYLOADS = [
    ("input_secret", "http://x/ \\input ./secret\\relax ", True),
    ("input_passwd", "\\input /etc/passwd", True),
    ("input_braced", "\\input{secret}", True),
    ("at_at_input", "\\makeatletter\\@@input secret ", True),
    ("hathat", "^^5cinput ./secret^^5crelax", True),
    ("hathat_hex", "^^5c^^5cinput{secret}^^M", True),
    ("csname", "\\csname input\\endcsname secret ", True),
    ("percent", "http://x/a%7Db%}\\input secret", True),
    ("close_brace", "a}\\input ./secret\\relax{", True),
    ("open_brace", "a{b", True),
    ("hash", "a#b##1#", True),
    ("catcode", "\\catcode`\\^^M=13 \\catcode92=12 \\input secret", True),
    ("write18", "\\immediate\\write18{touch pwned}", True),
    ("openout", "\\newwrite\\w\\immediate\\openout\\w=pwned.tex\\immediate\\write\\w{x}", True),
    ("openin", "\\newread\\r\\openin\\r=secret \\read\\r to\\x\\x", True),
    ("dollar", "$\\input ./secret$ $x^2$", True),
    ("ampersand", "a&b&&c", True),
    ("tilde", "~\\input~./secret~", True),
    ("underscore_caret", "a_b^c", True),
    ("crlf", "a\r\n\\input ./secret\\relax\n\r%", True),
    ("controls", "a\tb\x0cc\x7fd\x00e\x1bf", True),
    ("endverb", "x\n\\endverb\\input secret", True),
    ("end_bibliography", "\\end{thebibliography}\\input secret", True),
    ("at_line_start", "x\n@misc{forged, title={F}}", True),
    ("non_ascii", "Ødegaard – é ü ß", True),
    # alpha.bst's label takes 3 characters of a name or key: none may cut an escape in half
    ("cut_escape", "ab%", True),
    ("lone_backslash", "\\", True),
    ("leading_specials", "~^{}\\x", True),
    ("underscore_first", "_x", True),
    ("commas", "Doe,Evil, Jr, X", True),
    ("unbalanced_open", "{x", True),
    ("long_escapes", "\\%" * 120, True),  # longer than bibtex's 500-character labels
    ("long_plain", "x" * 600, True),
    ("long_utf8", "é" * 300, True),  # 600 bytes: bibtex(1) counts bytes (second review)
    ("hash_key", "C#", True),
    ("nobreak_hyphen", "Non\u2011breaking", True),  # --latex: no amsmath \nobreakdash
    ("cjk", "中文\u00a0\u2028", False),
]
FIELDS = ["url", "doi", "title", "author", "editor", "note", "keywords", "language", "key"]

#: What the styles load (Debian: texlive-base, -latex-base, -latex-recommended, -bibtex-extra).
TEX_FILES = (
    "plainnat.bst", "unsrt.bst", "alpha.bst", "natbib.sty", "url.sty", "hyperref.sty",
    "biblatex.sty", "etoolbox.sty",
)  # fmt: skip

#: style id → (writer, preamble, bibliography commands, runs biber)
STYLES = {
    "plainnat": ("bibtex", "\\usepackage{natbib}", "\\bibliographystyle{plainnat}", False),
    "plainnat_url": (
        "bibtex",
        "\\usepackage{natbib}\\usepackage{url}",
        "\\bibliographystyle{plainnat}",
        False,
    ),
    "plainnat_hyperref": (
        "bibtex",
        "\\usepackage{natbib}\\usepackage{hyperref}",
        "\\bibliographystyle{plainnat}",
        False,
    ),
    "unsrt": ("bibtex", "", "\\bibliographystyle{unsrt}", False),
    # bibtex(1) counts bytes: alpha's label cuts a UTF-8 character in half; --latex writes
    # non-ASCII as special characters, which it counts as one
    "alpha": ("bibtex --latex", "", "\\bibliographystyle{alpha}", False),
    "plainnat_latex": (
        "bibtex --latex",
        "\\usepackage{natbib}",
        "\\bibliographystyle{plainnat}",
        False,
    ),
    "biblatex": ("biblatex", "\\usepackage[backend=biber]{biblatex}", "", True),
    "biblatex_bibtex_file": ("bibtex", "\\usepackage[backend=biber]{biblatex}", "", True),
}


def _tool(name: str) -> str:
    return require_tool(name, "texlive-latex-base, texlive-bibtex-extra, biber")


def _needs(*files: str) -> None:
    result = subprocess.run(
        [_tool("kpsewhich"), *files], capture_output=True, text=True, check=False
    )
    found = {Path(line).name for line in result.stdout.split()}
    missing = [f for f in files if f not in found]
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"TeX files {missing} are missing; .ci/run must install them")
        pytest.skip(f"TeX files {missing} are missing (texlive-latex-base, -bibtex-extra)")


def matrix_records() -> tuple[list[Record], list[str]]:
    """One record per payload and field, with the other fields a style needs; their keys."""
    records, keys = [], []
    for i, (name, payload, printable) in enumerate(PAYLOADS):
        for field in FIELDS:
            if field not in ("url", "key") and not printable:
                continue
            if name.startswith("long_") and field not in ("author", "editor"):
                continue  # only names make labels; biber decodes such fields slowly
            record = Record(
                type="article-journal",
                source=refconv.model.SourcePos(f"{name}.{field}", i),
                fields={"title": f"Title {name}", "container-title": "Journal"},
                names={"author": [Name(family="Doe", given="Jane")]},
                dates={"issued": Date(((1000 + len(keys),),))},  # no a, b, ... labels
            )
            key = f"r{len(keys)}"
            if field == "url":
                record.fields["URL"] = payload
            elif field == "doi":
                record.fields["DOI"] = "10.1000/" + payload
            elif field == "title":
                record.fields["title"] = payload
            elif field == "author":
                people = [
                    Name(family=payload, given=payload),
                    Name(literal=payload),
                    Name(family=payload, given=payload, particle="van", suffix=payload),
                    Name(family="Roe", given="R."),  # left when the long ones go to the note
                ]
                record.names["author"] = people
            elif field == "editor":  # no author: labels come from the editor, or the key
                record.type = "book"
                record.fields["publisher"] = "P"
                del record.names["author"]
                record.names["editor"] = [Name(family=payload, given=payload), Name("Roe")]
                if name == "underscore_first":  # @misc: alpha labels it by its key
                    record.type = "webpage"
                    del record.names["editor"]
            elif field == "language":
                record.fields["language"] = payload
            elif field == "note":
                record.fields["note"] = payload
            elif field == "keywords":
                record.keywords = [payload, "safe"]
            else:  # through the API, which does not clean keys; no author: alpha's label
                key = payload[:50] + str(len(keys))  # is made of the key's first letters
                record.type = "webpage"  # @misc: no field is required
                del record.names["author"]
            records.append(record)
            keys.append(key)
    return records, keys


class Compiled:
    """What one style made of the matrix: TeX's file reads and writes, and its logs."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.reads: set[str] = set()
        self.writes: set[str] = set()
        self.errors: list[str] = []
        self.entries = 0


@lru_cache(maxsize=1)
def _trees() -> tuple[str, ...]:
    """The TeX distribution's trees (kpathsea's variables, and Debian's fixed places)."""
    names = "TEXMFROOT TEXMFDIST TEXMFMAIN TEXMFVAR TEXMFSYSVAR TEXMFCONFIG TEXMFSYSCONFIG"
    trees = ["/usr/share/texlive", "/usr/share/texmf", "/var/lib/texmf", "/etc/texmf"]
    for name in (*names.split(), "TEXMFLOCAL", "TEXMFHOME"):
        result = subprocess.run(
            [_tool("kpsewhich"), f"-var-value={name}"], capture_output=True, text=True, check=False
        )
        trees += [p for p in result.stdout.strip().split(":") if p.startswith("/")]
    return tuple(os.path.realpath(t) + os.sep for t in trees)


def is_distribution_file(path: str, trees: tuple[str, ...]) -> bool:
    real = os.path.realpath(path)
    return any(real.startswith(tree) for tree in trees)


def _own(path: str, directory: Path) -> bool:
    """The document's own files: doc.* in its directory (tex, aux, bbl, bcf, out, run.xml...)."""
    real = Path(os.path.realpath(directory / path))
    return real.parent == directory.resolve() and real.name.startswith("doc.")


def _record_fls(compiled: Compiled) -> None:
    directory = compiled.directory
    for line in (directory / "doc.fls").read_text("utf-8", errors="replace").splitlines():
        kind, _, path = line.partition(" ")
        if kind == "INPUT":
            compiled.reads.add(path)
        elif kind == "OUTPUT":
            compiled.writes.add(path)


def _run(compiled: Compiled, *command: str) -> None:
    result = subprocess.run(
        command,
        cwd=compiled.directory,
        capture_output=True,
        text=True,
        errors="replace",
        check=False,
        timeout=120,
    )
    if result.returncode != 0:
        compiled.errors.append(f"{command[0]} exited {result.returncode}")


def compile_style(style: str, records: list[Record], keys: list[str], directory: Path) -> Compiled:
    """Write the matrix in the style's dialect, run the consumers, collect what they did."""
    writer, preamble, bibliography, biber = STYLES[style]
    directory.mkdir()
    (directory / "secret.tex").write_text(f"\\typeout{{{SECRET}}}{SECRET}\n", "ascii")
    writer, _, option = writer.partition(" --")
    refconv.write(
        records, str(directory / "refs.bib"), writer, keys=keys, diagnostics=Collect(),
        **({option: True} if option else {}),
    )  # fmt: skip
    if biber:
        body = "\\nocite{*}\\printbibliography"
        preamble += "\\addbibresource{refs.bib}"
    else:
        body = f"\\nocite{{*}}{bibliography}\\bibliography{{refs}}"
    (directory / "doc.tex").write_text(
        "\\documentclass{article}\n" + preamble + "\n\\begin{document}\n" + body + "\n"
        "\\end{document}\n",
        "ascii",
    )
    compiled = Compiled(directory)
    latex = [
        _tool("pdflatex"),
        "-recorder",
        "-interaction=nonstopmode",
        "-halt-on-error",
        "-no-shell-escape",
        "doc.tex",
    ]
    _run(compiled, *latex)
    _record_fls(compiled)
    if biber:
        _run(compiled, _tool("biber"), "doc")
        log = (directory / "doc.blg").read_text("utf-8", errors="replace")
        compiled.errors += re.findall(r"^.*\b(?:ERROR|WARN) .*$", log, re.MULTILINE)
        compiled.entries = (directory / "doc.bbl").read_text("utf-8").count("\\entry{")
    else:
        _run(compiled, _tool("bibtex"), "doc")
        log = (directory / "doc.blg").read_text("utf-8", errors="replace")
        compiled.errors += [line for line in log.splitlines() if "error message" in line]
        # "to sort, need author or key": the records with no author, labelled by their key
        compiled.errors += re.findall(r"^Warning--(?!to sort, need).*$", log, re.MULTILINE)
        bbl = (directory / "doc.bbl").read_text("utf-8", errors="replace")
        compiled.entries = bbl.count("\\bibitem")
    for _ in range(2):
        _run(compiled, *latex)
        _record_fls(compiled)
    log = (directory / "doc.log").read_text("utf-8", errors="replace")
    compiled.errors += [line for line in log.splitlines() if line.startswith("!")]
    if SECRET in log:
        compiled.errors.append("secret.tex was typeset")
    return compiled


def foreign_files(compiled: Compiled, trees: tuple[str, ...]) -> list[str]:
    """Files TeX read or wrote that are neither the document's own nor the distribution's."""
    reads = [
        p
        for p in compiled.reads
        if not _own(p, compiled.directory) and not is_distribution_file(p, trees)
    ]
    writes = [p for p in compiled.writes if not _own(p, compiled.directory)]
    return sorted(reads + writes)


@pytest.fixture(scope="module")
def matrix() -> tuple[list[Record], list[str]]:
    return matrix_records()


@pytest.mark.parametrize("style", list(STYLES))
def test_no_payload_runs_tex(style, matrix, tmp_path):
    """Every payload in every field: the document compiles, every entry is in the .bbl, and
    TeX opens no file but the document's own and the distribution's."""
    for tool in ("pdflatex", "kpsewhich", "biber" if STYLES[style][3] else "bibtex"):
        _tool(tool)
    _needs(*TEX_FILES)
    records, keys = matrix
    compiled = compile_style(style, records, keys, tmp_path / style)
    assert foreign_files(compiled, _trees()) == []
    assert compiled.errors == []
    assert compiled.entries == len(records)


def test_the_check_sees_a_file_read(tmp_path):
    """The check is not blind: the verbatim URL refconv used to write makes plainnat's
    ``\\url`` (no url.sty) read secret.tex, and the .fls shows it."""
    for tool in ("pdflatex", "kpsewhich", "bibtex"):
        _tool(tool)
    compiled = Compiled(tmp_path / "doc")
    directory = compiled.directory
    directory.mkdir()
    (directory / "secret.tex").write_text(f"\\typeout{{{SECRET}}}\n", "ascii")
    (directory / "refs.bib").write_text(
        "@misc{a, title={T}, url={http://x/ \\input ./secret\\relax }}\n", "ascii"
    )
    (directory / "doc.tex").write_text(
        "\\documentclass{article}\\usepackage{natbib}\\begin{document}\\nocite{*}"
        "\\bibliographystyle{plainnat}\\bibliography{refs}\\end{document}\n",
        "ascii",
    )
    latex = [_tool("pdflatex"), "-recorder", "-interaction=nonstopmode", "doc.tex"]
    for command in (latex, [_tool("bibtex"), "doc"], latex):
        _run(compiled, *command)
    _record_fls(compiled)
    assert foreign_files(compiled, _trees()) == ["./secret.tex"]


# The encoders, for every string: nothing TeX reads as special survives, and the URL decodes
# to the same bytes (RFC 3986 §2.1: percent-escapes of the same octets are the same URI).

_URI_CHARS = st.sampled_from(
    "ABCXYZabcxyz0189-._~:/?#[]@!$&'()*+,;=%"
)  # RFC 3986 §2.2-2.3, and "%"
_BIBTEX_URL = re.compile(r"(?:[A-Za-z0-9\-./:?@\[\]!'()*+,;=]|\\[%#&_])*")
_BIBER_URL = re.compile(r"[A-Za-z0-9\-./:?@\[\]!'()*+,;=%#&_~$]*")


@given(st.text())
def test_url_encoding_leaves_nothing_for_tex(url):
    for biber, allowed in ((False, _BIBTEX_URL), (True, _BIBER_URL)):
        written = escape_url(url, biber=biber)
        assert allowed.fullmatch(written), written
        decoded = unquote_to_bytes(unescape_verbatim(written).encode("ascii"))
        assert decoded == unquote_to_bytes(url.encode("utf-8", "surrogatepass"))


@given(st.text(_URI_CHARS))
def test_url_characters_that_need_no_encoding_are_kept(url):
    """A URI of RFC 3986 characters only changes by the escapes (``~`` and ``$`` excepted in
    the bibtex(1) form: see ``escape_url``)."""
    assert escape_url(url, biber=True) == url
    if "~" not in url and "$" not in url:
        assert unescape_verbatim(escape_url(url)) == url


@given(st.text())
def test_doi_encoding_is_inert_or_refuses(doi):
    for biber in (False, True):
        written = escape_doi(doi, biber=biber)
        if written is None:
            assert re.search(r"[^\x21-\x7e]|[\\{}^]" + ("" if biber else "|[~$]"), doi)
            continue
        assert unescape_verbatim(written) == doi
        assert re.fullmatch(r"(?:[\x21-\x7e]|\\[%#&_])*", written)
        if not biber:
            assert not re.search(r"[{}^~$]|(?<!\\)[%#&_]|\\(?![%#&_])", written)


@given(st.text())
def test_keys_keep_only_ordinary_characters(key):
    warnings: list[str] = []
    written = citation_key(key, warnings)
    assert not KEY_UNSAFE.search(written)
    assert (written == key) == (warnings == [])


def test_warnings_name_the_record(tmp_path):
    """The writer reports a DOI it had to keep in the refconv field and a key it cleaned, with the
    record's file and line."""
    diagnostics = Collect()
    record = Record(
        type="article-journal",
        source=refconv.model.SourcePos("in.json", 3),
        fields={"title": "T", "DOI": "10.1/\\input x"},
    )
    refconv.write([record], io.StringIO(), "bibtex", keys=["a\\b"], diagnostics=diagnostics)
    assert diagnostics.messages == [
        "in.json:3: DOI '10.1/\\\\input x' has characters TeX would run or cannot print in the "
        "doi field; kept in refconv",
        "in.json:3: citation key 'a\\\\b' has characters TeX would read as commands; written as "
        "'ab'",
    ]


def test_latex_encoding_needs_no_package(tmp_path):
    """``--latex`` writes no macro a plain ``article`` (kernel, T1 and textcomp defaults)
    lacks: the form of every BMP character that gets one (U+2011 was amsmath's
    ``\\nobreakdash-``) is typeset, one per line, and the log shows no error."""
    _tool("pdflatex")
    forms = []
    for code in range(0xA0, 0x10000):
        if 0xD800 <= code < 0xE000:
            continue
        written = to_latex_ascii(chr(code))
        if written != chr(code) and "\\" in written:
            forms.append((code, written))
    assert len(forms) > 500  # the encoder's table is there
    lines, log = typeset_forms(tmp_path, [written for _, written in forms], "ascii")
    assert [f"U+{forms[i][0]:04X} {forms[i][1]}" for i in lines] == []
    assert "Fatal error" not in log and "Output written" in log


@pytest.mark.parametrize(
    ("char", "written"),
    [
        ("\u2011", "-"),  # was {\nobreakdash-} (amsmath)
        ("\u2153", "1/3"),  # was {\textfrac{1}{3}} (undefined)
        ("\u0416", "\u0416"),  # was {\CYRZH} (T2A): kept, as CJK is
        ("\u2102", "C"),  # was {\ensuremath{\mathbb{C}}} (amssymb); NFKD's form
        ("\u2260", "{\\ensuremath{\\neq}}"),  # defined in the kernel: unchanged
        ("\u00e9", "{\\'e}"),
        ("\u00ab", "{\\guillemotleft}"),  # T1
    ],
)
def test_latex_forms_that_need_a_package_are_replaced(char, written):
    assert to_latex_ascii(char) == written


def test_url_dollar_is_reported(tmp_path):
    """``$`` (reserved, RFC 3986 §2.2) has no inert spelling for bibtex(1): it is written
    ``%24`` with a warning naming both forms; ``~`` becomes the equivalent ``%7E`` silently,
    and biber keeps both."""
    record = Record(
        type="webpage",
        source=refconv.model.SourcePos("in.json", 2),
        fields={"title": "T", "URL": "http://x/$a~b"},
    )
    diagnostics = Collect()
    text = refconv.write([record], None, "bibtex", keys=["a"], diagnostics=diagnostics)
    assert "url   = {http://x/\\%24a\\%7Eb}" in text
    assert diagnostics.messages == [
        "in.json:2: url: $ cannot be written so that every BibTeX style reads it as itself;"
        " percent-encoded, which some servers read as another URL: 'http://x/$a~b' became"
        " 'http://x/%24a%7Eb'"
    ]
    diagnostics = Collect()
    text = refconv.write([record], None, "biblatex", keys=["a"], diagnostics=diagnostics)
    assert "http://x/$a~b" in text and diagnostics.messages == []


@given(st.text(_URI_CHARS))
def test_only_reserved_characters_changed_are_reported(url):
    for biber in (False, True):
        changed = url_changes(url, biber=biber)
        assert changed == ("$" if "$" in url and not biber else "")


def typeset_forms(tmp_path: Path, forms: list[str], encoding: str) -> tuple[list[int], str]:
    """Typeset each form between two letters, one per line, in a plain T1 article; return
    the indexes of the forms pdflatex reported an error on, and the log."""
    body = "".join(f"x{form}x\\par\n" for form in forms)
    (tmp_path / "doc.tex").write_text(
        "\\documentclass{article}\\usepackage[T1]{fontenc}\n\\begin{document}\n"
        + body
        + "\\end{document}\n",
        encoding,
    )
    subprocess.run(
        [_tool("pdflatex"), "-interaction=nonstopmode", "-no-shell-escape", "doc.tex"],
        cwd=tmp_path, capture_output=True, check=False, timeout=300,
    )  # fmt: skip
    log = (tmp_path / "doc.log").read_text("utf-8", errors="replace")
    return sorted({int(n) - 3 for n in re.findall(r"^l\.(\d+)", log, re.MULTILINE)}), log
