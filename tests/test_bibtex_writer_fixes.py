"""The BibTeX/BibLaTeX writer fixes of issue 16's fresh-clone review, checked with the real
consumers (pdflatex -recorder, bibtex, biber, pdftotext):

1. a ``@preamble`` is written verbatim only when it is inert (``preamble_problem``);
2. a BCP 47 language tag is ``langid`` (babel's name), which no style prints;
3. BibLaTeX writes ``addendum`` and ``eprint``/``eprinttype``/``eprintclass`` back as fields;
4. a genre equal to the entry type's own (``@phdthesis``: "PhD thesis") is not written;
5. characters pdfLaTeX cannot take as UTF-8 that have a math form are written as it.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import refconv
from refconv.formats.bibtex.latex import MATH_BLOCKS, math_to_latex, to_latex_ascii
from refconv.formats.bibtex.tables import LANGID_OF_TAG, LANGUAGE_TAGS
from refconv.formats.bibtex.write import PREAMBLE, preamble_problem
from refconv.model import Date, Name, Record
from refconv.values.text import strip_nocase

from .conftest import Collect, require_tool
from .test_tex_safety import SECRET, _trees, is_distribution_file, typeset_forms

TOOLS = "texlive-latex-base, texlive-latex-extra, texlive-bibtex-extra, biber, poppler-utils"


def _tool(name: str) -> str:
    return require_tool(name, TOOLS)


def _read(text: str, reader: str = "bibtex") -> tuple[list[Record], list[str]]:
    diagnostics = Collect()
    records = list(refconv.read(io.StringIO(text), reader, diagnostics=diagnostics))
    return records, diagnostics.messages


def _write(records: list[Record], writer: str) -> tuple[str, list[str]]:
    diagnostics = Collect()
    text = refconv.write(records, None, writer, diagnostics=diagnostics)
    return text, diagnostics.messages


def _compile(directory: Path, bib: str, *, biber: bool, style: str = "plain") -> dict[str, str]:
    """Typeset every entry of ``bib`` (bibtex with ``style``, or biblatex authoryear with
    biber) with pdflatex -recorder beside a ``secret.tex`` decoy; return the files TeX read
    that are neither the document's nor the distribution's ("reads"), the errors of the log
    and bibliography run ("errors") and the text of the PDF ("text")."""
    directory.mkdir(exist_ok=True)
    (directory / "secret.tex").write_text(f"\\typeout{{{SECRET}}}{SECRET}\n", "ascii")
    (directory / "refs.bib").write_text(bib, "utf-8")
    if biber:
        head = "\\usepackage[backend=biber,style=authoryear]{biblatex}\\addbibresource{refs.bib}"
        body = "\\nocite{*}\\printbibliography"
    else:
        head = ""
        body = f"\\nocite{{*}}\\bibliographystyle{{{style}}}\\bibliography{{refs}}"
    (directory / "doc.tex").write_text(
        "\\documentclass{article}\\usepackage[T1]{fontenc}\n"
        + head
        + "\n\\begin{document}\n"
        + body
        + "\n\\end{document}\n",
        "ascii",
    )
    latex = [_tool("pdflatex"), "-recorder", "-interaction=nonstopmode", "-no-shell-escape"]
    errors: list[str] = []
    reads: set[str] = set()
    for command in (latex, [_tool("biber" if biber else "bibtex"), "doc"], latex, latex):
        result = subprocess.run(
            [*command, "doc.tex"] if command is latex else command,
            cwd=directory, capture_output=True, text=True, errors="replace", timeout=120,
            check=False,
        )  # fmt: skip
        if command is latex:
            fls = (directory / "doc.fls").read_text("utf-8", errors="replace")
            reads |= {line[6:] for line in fls.splitlines() if line.startswith("INPUT ")}
        elif result.returncode != 0 and not biber:
            errors.append(f"bibtex exited {result.returncode}")
    log = (directory / "doc.log").read_text("utf-8", errors="replace")
    errors += [line for line in log.splitlines() if line.startswith("!")]
    if SECRET in log:
        errors.append("secret.tex was typeset")
    trees = _trees()
    foreign = sorted(
        path
        for path in reads
        if not is_distribution_file(path, trees)
        and not Path(path).name.startswith("doc.")
        and Path(path).name != "refs.bib"  # biber's input, not TeX's (never in the .fls)
    )
    text = subprocess.run(
        [_tool("pdftotext"), "-layout", "doc.pdf", "-"],
        cwd=directory, capture_output=True, text=True, check=False,
    ).stdout  # fmt: skip
    return {"reads": "\n".join(foreign), "errors": "\n".join(errors), "text": text}


# 1. @preamble --------------------------------------------------------------------------------

#: Preambles that read a file or run a program if typeset, each a different way in.
HOSTILE_PREAMBLES = [
    "\\input{secret}",
    "\\input secret ",
    "\\input{/etc/hostname}",
    "\\include{secret}",
    "\\InputIfFileExists{secret}{}{}",
    "\\immediate\\write18{touch pwned}",
    "\\newwrite\\w\\immediate\\openout\\w=pwned.tex",
    "\\newread\\r\\openin\\r=secret \\read\\r to\\x",
    "^^5cinput secret ",
    "\\csname input\\endcsname secret ",
    "\\catcode`\\|=0 |input secret ",
    "\\makeatletter\\@@input secret \\makeatother",
    "\\def\\x{\\input}\\x secret ",
    "\\providecommand\\pdffiledump{}\\pdffiledump length 10{secret.tex}",
    "\\providecommand\\lstinputlisting[1]{}\\lstinputlisting{secret}",
    "\\expandafter\\input\\string secret ",
    "\\providecommand{\\noopsort}[1]{}\\special{x}",
    "\\newcommand\\jobnameX{}\\jobname",
    "\\scantokens{\\input secret }",
    "\\lowercase{\\input secret }",
]
#: Preambles of real .bib files (btxdoc §2.1, ACM, AMS): written verbatim as before.
INERT_PREAMBLES = [
    "\\providecommand{\\noopsort}[1]{}",
    "\\newcommand{\\noopsort}[1]{} \\newcommand{\\printfirst}[2]{#1}"
    " \\newcommand{\\singleletter}[1]{#1} \\newcommand{\\switchargs}[2]{#2#1}",
    "\\ifx\\undefined\\bysame \\newcommand{\\bysame}{\\leavevmode\\hbox to3em{\\hrulefill}\\,}\\fi",
    "\\providecommand{\\SortNoop}[1]{}\\providecommand{\\url}[1]{\\texttt{#1}}",
    "\\def\\Bbbk{k}\\let\\mkbibone\\relax \\providecommand{\\etalchar}[1]{$^{#1}$}",
]


@pytest.mark.parametrize("preamble", HOSTILE_PREAMBLES)
def test_hostile_preamble_is_kept_as_text(preamble):
    """From CSL-JSON custom or a .bib @preamble: never a @preamble; kept whole in the
    refconv field with a warning, and read back as the same extra."""
    record = Record(type="book", fields={"title": "T"}, extra={PREAMBLE: [preamble]}, id="a")
    for writer in ("bibtex", "biblatex"):
        text, messages = _write([record], writer)
        assert "@preamble" not in text.split("refconv")[0]
        assert any("@preamble: " in m and "kept in refconv" in m for m in messages), messages
        (back,), _ = _read(text)
        assert back.extra[PREAMBLE] == [preamble.strip()]


@pytest.mark.parametrize("preamble", INERT_PREAMBLES)
def test_inert_preamble_is_written_verbatim(preamble):
    assert preamble_problem(preamble) is None
    bib = f"@preamble{{{{{preamble}}}}}\n@misc{{a, title={{T}}}}\n"
    (record,), _ = _read(bib)
    text, messages = _write([record], "bibtex")
    assert text.startswith(f"@preamble{{{{{preamble}}}}}\n") and messages == []


def test_csl_json_preamble_is_not_run(tmp_path):
    """The review's reproducer: CSL-JSON ``custom`` with a @preamble that reads a file."""
    data = [{"id": "a", "type": "book", "title": "T", "custom": {"@preamble": ["\\input{secret}"]}}]
    (record,), _ = _read(json.dumps(data), "csl-json")
    text, _ = _write([record], "bibtex")
    assert not text.startswith("@preamble")


@pytest.mark.slow  # pdflatex
def test_no_preamble_reads_a_file(tmp_path):
    """Every hostile preamble, read from a .bib and written in both dialects, typeset with
    plain (bibtex) and biblatex (biber): TeX opens no file but the document's and the
    distribution's; the inert ones are typeset (their macros are used by the entries)."""
    for tool in ("pdflatex", "bibtex", "biber", "kpsewhich", "pdftotext"):
        _tool(tool)
    bib = "".join(f"@preamble{{{{{p}}}}}\n" for p in HOSTILE_PREAMBLES + INERT_PREAMBLES)
    bib += "@book{a, author={Doe, Jane}, title={\\noopsort{a}Title}, publisher={P}, year=2000}\n"
    records, _ = _read(bib)
    for writer, biber in (("bibtex", False), ("biblatex", True), ("bibtex", True)):
        text, _ = _write(records, writer)
        assert len(re.findall(r"^@preamble\{", text, re.MULTILINE)) == len(INERT_PREAMBLES)
        result = _compile(tmp_path / f"{writer}{biber}", text, biber=biber)
        assert result["reads"] == ""
        assert "secret.tex was typeset" not in result["errors"]
        assert "Title" in result["text"]


@pytest.mark.slow  # pdflatex
def test_the_preamble_check_sees_a_file_read(tmp_path):
    """The check is not blind: the verbatim @preamble refconv used to write reads secret.tex."""
    for tool in ("pdflatex", "bibtex", "kpsewhich", "pdftotext"):
        _tool(tool)
    bib = "@preamble{{\\input{secret}}}\n@misc{a, title={T}, year=2000}\n"
    result = _compile(tmp_path / "control", bib, biber=False)
    assert "secret.tex" in result["reads"]


# 2. langid ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(LANGUAGE_TAGS))
def test_babel_language_reads_back_through_langid(name):
    """Every babel name the reader knows: its tag is written as a langid whose tag is the
    same, in both dialects, never as a printed ``language``."""
    bib = f"@book{{a, title={{T}}, langid={{{name}}}}}\n"
    (record,), _ = _read(bib)
    tag = LANGUAGE_TAGS[name]
    assert record.fields["language"] == tag
    for writer in ("bibtex", "biblatex"):
        text, messages = _write([record], writer)
        assert re.search(rf"\n  langid\s+= \{{{LANGID_OF_TAG[tag.lower()]}\}}", text)
        assert "language" not in text and messages == []
        (back,), _ = _read(text)
        assert back.fields["language"] == tag


@pytest.mark.parametrize(
    ("tag", "langid"),
    [("de-DE", "ngerman"), ("en-US", "american"), ("en", "english"), ("fr-FR", "french"),
     ("pt-BR", "brazil"), ("hu", "magyar"), ("sr-Cyrl", "serbianc"), ("ja", "japanese")],
)  # fmt: skip
def test_tag_is_biblatex_name(tag, langid):
    record = Record(type="book", fields={"title": "T", "language": tag}, id="a")
    text, _ = _write([record], "biblatex")
    assert re.search(rf"langid\s+= \{{{langid}\}}", text)


@pytest.mark.parametrize("tag", ["de", "zz-QQ", "en-IN"])
def test_tag_without_babel_name_is_kept_unprinted(tag):
    record = Record(type="book", fields={"title": "T", "language": tag}, id="a")
    for writer in ("bibtex", "biblatex"):
        text, messages = _write([record], writer)
        assert "language " not in text and "langid" not in text
        assert any("no babel name" in m for m in messages)
        (back,), _ = _read(text)
        assert back.fields["language"] == tag


def test_language_name_stays_printed():
    record = Record(type="book", fields={"title": "T", "language": "Deutsch"}, id="a")
    text, messages = _write([record], "biblatex")
    assert re.search(r"language\s+= \{Deutsch\}", text) and messages == []


# 3. addendum and eprint ---------------------------------------------------------------------

EPRINT_BIB = (
    "@article{a, author={Roe, Rita}, title={Strings}, journaltitle={J}, date={2001},"
    " addendum={Also in print}, eprint={2101.00001}, eprinttype={arxiv},"
    " eprintclass={hep-th}}\n"
)


def test_biblatex_writes_addendum_and_eprint():
    (record,), _ = _read(EPRINT_BIB)
    text, messages = _write([record], "biblatex")
    for field, value in [("addendum", "Also in print"), ("eprint", "2101.00001"),
                         ("eprinttype", "arxiv"), ("eprintclass", "hep-th")]:  # fmt: skip
        assert re.search(rf"\n  {field}\s+= \{{{re.escape(value)}\}}", text), field
    assert "refconv" not in text and messages == []
    (back,), _ = _read(text)
    assert back.extra == record.extra and back.fields == record.fields


@pytest.mark.slow  # pdflatex
def test_biber_prints_addendum_and_eprint(tmp_path):
    for tool in ("pdflatex", "biber", "kpsewhich", "pdftotext"):
        _tool(tool)
    (record,), _ = _read(EPRINT_BIB)
    text, _ = _write([record], "biblatex")
    result = _compile(tmp_path / "eprint", text, biber=True)
    printed = " ".join(result["text"].split())
    assert "Also in print" in printed
    assert "arXiv: 2101.00001 [hep-th]" in printed
    assert result["errors"] == ""


@pytest.mark.parametrize("eprint", ["a b", "x\\input{secret}", "a{b}", "é1", "^^5c"])
def test_unsafe_eprint_stays_in_refconv(eprint):
    record = Record(
        type="article", fields={"title": "T"}, id="a",
        extra={"eprint": [eprint], "eprinttype": ["arxiv"], "addendum": ["More"]},
    )  # fmt: skip
    text, messages = _write([record], "biblatex")
    assert "\n  eprint" not in text and "\n  eprinttype" not in text
    assert re.search(r"\n  addendum\s+= \{More\}", text)
    assert any("eprint" in m and "kept in refconv" in m for m in messages)
    (back,), _ = _read(text)
    assert back.extra["eprint"] == [eprint]


# 4. implied genre ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["phdthesis", "mastersthesis"])
@pytest.mark.parametrize("style", ["plain", "alpha"])
def test_implied_genre_is_not_written(kind, style, tmp_path):
    """``@phdthesis`` without ``type`` reads with genre "PhD thesis" (the reader's implied
    genre); written back it has no ``type``, so plain.bst prints its own "PhD thesis", not
    the lower-cased "Phd thesis"."""
    _tool("bibtex")
    bib = f"@{kind}{{t, author={{Doe, Jane}}, title={{T}}, school={{MIT}}, year=2000}}\n"
    (record,), _ = _read(bib)
    text, _ = _write([record], "bibtex")
    assert text.startswith(f"@{kind}{{") and "type" not in text
    (back,), _ = _read(text)
    assert back.fields == record.fields
    directory = tmp_path / style
    directory.mkdir()
    (directory / "refs.bib").write_text(text, "utf-8")
    (directory / "doc.aux").write_text(
        f"\\citation{{*}}\n\\bibstyle{{{style}}}\n\\bibdata{{refs}}\n", "ascii"
    )
    subprocess.run([_tool("bibtex"), "doc"], cwd=directory, capture_output=True, check=False)
    bbl = (directory / "doc.bbl").read_text("utf-8")
    assert ("PhD thesis" if kind == "phdthesis" else "Master's thesis") in bbl
    assert "Phd" not in bbl


def test_other_genre_is_written():
    record = Record(type="thesis", fields={"title": "T", "genre": "Doctoral dissertation"}, id="a")
    text, _ = _write([record], "bibtex")
    assert re.search(r"type\s+= \{Doctoral dissertation\}", text)


# 5. math characters -------------------------------------------------------------------------

MATH_TITLES = [
    "$\\alpha$-helices",
    "$\\mathbf{P}^{1}$ and H$_2$O",
    "$\\infty \\leq \\Omega$ and x$^{-2}$",
]


@pytest.mark.slow  # pdflatex
@pytest.mark.parametrize("writer", ["bibtex", "biblatex"])
def test_math_compiles_and_prints(writer, tmp_path):
    """The review's titles: read as Unicode (α, 𝐏¹, H₂O), written with their math forms,
    typeset by pdflatex (T1, UTF-8) without "not set up", and read back as the same Unicode."""
    for tool in ("pdflatex", "bibtex", "biber", "kpsewhich", "pdftotext"):
        _tool(tool)
    bib = "".join(
        f"@article{{m{i}, author={{Doe, J.}}, title={{{t}}}, journal={{J}}, year={2000 + i}}}\n"
        for i, t in enumerate(MATH_TITLES)
    )
    records, _ = _read(bib)
    assert records[0].fields["title"] == "α-helices"
    assert records[1].fields["title"].startswith("𝐏¹")
    text, _ = _write(records, writer)
    assert "α" not in text and "𝐏" not in text and "₂" not in text
    back, _ = _read(text)
    titles = [strip_nocase(r.fields["title"]) for r in back]  # H₂O is braced: nocase
    assert titles == [r.fields["title"] for r in records]
    result = _compile(tmp_path / writer, text, biber=writer == "biblatex")
    assert result["errors"] == ""
    printed = result["text"]
    assert "α-helices" in printed or "α-helices".upper() in printed
    assert "P1" in printed.replace(" ", "") or "P¹" in printed


def _math_chars() -> list[str]:
    return [
        chr(c)
        for low, high in MATH_BLOCKS
        for c in range(low, high + 1)
        if math_to_latex(chr(c)) != chr(c)
    ]


@pytest.mark.slow  # pdflatex
def test_every_math_form_compiles(tmp_path):
    """Each character ``math_to_latex`` rewrites, typeset in a plain T1 article."""
    _tool("pdflatex")
    chars = _math_chars()
    assert len(chars) > 300
    lines, log = typeset_forms(tmp_path, [math_to_latex(c) for c in chars], "utf-8")
    assert [f"U+{ord(chars[i]):04X}" for i in lines] == []
    assert "Output written" in log


@pytest.mark.slow  # pdflatex
def test_latex_option_math_alphanumerics_compile(tmp_path):
    """``--latex`` forms of U+1D400..1D7FF (outside the BMP that test_tex_safety checks):
    none needs amssymb or mathrsfs (``\\mathbb``, ``\\mathfrak``, ``\\mathscr``)."""
    _tool("pdflatex")
    forms = [(c, to_latex_ascii(chr(c))) for c in range(0x1D400, 0x1D800)]
    forms = [(c, f) for c, f in forms if f != chr(c)]
    assert len(forms) > 400
    lines, _ = typeset_forms(tmp_path, [f for _, f in forms], "utf-8")
    assert [f"U+{forms[i][0]:04X} {forms[i][1]}" for i in lines] == []


@pytest.mark.parametrize(("char", "written"), [("𝔸", "A"), ("𝔄", "A"), ("𝒜", "A")])
def test_latex_option_package_alphabets_are_plain(char, written):
    assert to_latex_ascii(char) == written


def test_text_scripts_stay_utf8():
    assert math_to_latex("Привет 中文 é ß Ø") == "Привет 中文 é ß Ø"


@settings(max_examples=200, deadline=None)
@given(
    st.text(st.sampled_from(_math_chars() + list("ab -Ж中é")), min_size=1, max_size=12).filter(
        lambda t: t.strip() == t and "  " not in t
    )
)
def test_math_title_is_a_fixed_point(title):
    """Unicode math in a title: BibTeX → BibTeX → BibTeX gives the same text each time."""
    record = Record(
        type="book", fields={"title": title}, names={"author": [Name("Doe", "J.")]},
        dates={"issued": Date(((2000,),))}, id="a",
    )  # fmt: skip
    first, _ = _write([record], "bibtex")
    (back,), _ = _read(first)
    assert strip_nocase(back.fields["title"]) == title  # a braced word reads as nocase
    second, _ = _write([back], "bibtex")
    (again,), _ = _read(second)
    assert second == _write([again], "bibtex")[0]
    assert again.fields == back.fields
