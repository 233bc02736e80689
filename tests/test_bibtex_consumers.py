"""Our BibTeX is read by the real programs: bibtex(1) with plain and alpha, and biber --tool.

These tests need Debian's texlive-binaries, texlive-base and biber (.ci/run installs them).
They are skipped, with the reason, only on a developer machine without the tools; under CI
(the CI environment variable) a missing tool fails.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from urllib.parse import unquote

import bibtexparser
import pytest
from click.testing import CliRunner

from refconv.cli import cli

from .conftest import EXAMPLES, biber_tool, require_tool
from .corpus import corpus

pytestmark = pytest.mark.slow  # runs bibtex and biber

CORPUS_SIZE = 300
EXAMPLE_FILES = sorted(str(p) for p in EXAMPLES.iterdir() if p.suffix in (".enw", ".refer"))
# Warnings that only say a field is genuinely missing or a style cannot use two fields together.
ALLOWED_WARNING = re.compile(
    r"Warning--(empty \w+ in |can't use both volume and number fields in "
    r"|to sort, need (author|editor), organization, or key in |to sort, need author or key in"
    r"|can't use both author and editor fields in |there's a number but no series in )"
)


def _tool(name: str) -> str:
    return require_tool(name, "texlive-binaries, biber")


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> list[str]:
    path = tmp_path_factory.mktemp("corpus") / "corpus.enw"
    path.write_text(corpus(CORPUS_SIZE), encoding="utf-8")
    return [*EXAMPLE_FILES, str(path)]


def convert(inputs: list[str], to: str, target: Path, *options: str) -> list:
    result = CliRunner().invoke(
        cli, ["convert", *inputs, "-t", to, "-o", str(target), "-q", *options]
    )
    assert result.exit_code == 0, result.stderr
    library = bibtexparser.parse_string(target.read_text("utf-8"))
    assert not library.failed_blocks
    return library.entries


def run_bibtex(tmp_path: Path, style: str) -> bytes:
    """Run bibtex over an .aux citing every entry; return the .bbl bytes after checking the log.

    Bytes, because 8-bit BibTeX cuts UTF-8 characters in half where alpha builds labels
    ("Ødegaard" → a lone 0xC3 byte): a limitation of bibtex(1) that --latex avoids.
    """
    (tmp_path / "doc.aux").write_text(
        f"\\relax\n\\citation{{*}}\n\\bibstyle{{{style}}}\n\\bibdata{{refs}}\n", "ascii"
    )
    result = subprocess.run(
        [_tool("bibtex"), "doc"], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    log = (tmp_path / "doc.blg").read_text("utf-8", errors="replace")
    assert result.returncode in (0, 1), log
    assert "error message" not in log, log
    assert "I was expecting" not in log and "I'm skipping" not in log, log
    bad = [
        line
        for line in log.splitlines()
        if line.startswith("Warning--") and not ALLOWED_WARNING.match(line)
    ]
    assert bad == []
    return (tmp_path / "doc.bbl").read_bytes()


@pytest.mark.parametrize("style", ["plain", "alpha"])
def test_bibtex_accepts_the_output(style, inputs, tmp_path):
    _tool("bibtex")
    entries = convert(inputs, "bibtex", tmp_path / "refs.bib")
    assert len(entries) > CORPUS_SIZE
    bbl = run_bibtex(tmp_path, style)
    assert bbl.count(b"\\bibitem") == len(entries)


@pytest.mark.parametrize("style", ["plain", "alpha"])
def test_bibtex_with_latex_accents_gives_clean_labels(style, inputs, tmp_path):
    _tool("bibtex")
    entries = convert(inputs, "bibtex", tmp_path / "refs.bib", "--latex")
    bbl = run_bibtex(tmp_path, style)
    assert bbl.count(b"\\bibitem") == len(entries)
    labels = re.findall(rb"\\bibitem\[([^\]]*)\]\{([^}]*)\}", bbl)
    # only the CJK authors of the example (no LaTeX form) still give a non-ASCII label
    assert {key for label, key in labels if not label.isascii()} <= {b"yumin2001chubanjituanyanjiu"}
    text = bbl.decode("utf-8", errors="replace")  # a CJK label may be cut, see above
    non_ascii = {ch for ch in text if not ch.isascii()}
    assert non_ascii <= set("余敏朱江出版集团研究中国北京大学社\ufffd")  # CJK has no LaTeX form


def test_biber_accepts_the_output(inputs, tmp_path):
    entries = convert(inputs, "biblatex", tmp_path / "refs.bib")
    result = biber_tool(tmp_path, "refs.bib", "checked.bib", "texlive-binaries, biber")
    log = result.stdout + result.stderr
    assert result.returncode == 0, log
    assert not re.search(r"^(ERROR|WARN) ", log, re.MULTILINE), log
    checked = bibtexparser.parse_string((tmp_path / "checked.bib").read_text("utf-8"))
    assert len(checked.entries) == len(entries)


def strip_protection(value: str) -> str:
    """Remove the braces we add around protected words, keeping escapes such as ``\\{``."""
    return re.sub(r"(\\text\w+\{\}|\\[{}])|[{}]", lambda m: m[1] or "", value)


@pytest.mark.parametrize("writer", ["bibtex", "biblatex"])
def test_every_entry_reads_back_with_its_fields(writer, inputs, tmp_path):
    from refconv.formats.bibtex.latex import escape_doi, unescape, unescape_verbatim
    from refconv.formats.bibtex.write import entry_type
    from refconv.keys import KeyAssigner

    from .conftest import Collect, read_refer

    entries = convert(inputs, writer, tmp_path / "refs.bib")
    records = []
    for path in inputs:
        records += read_refer(Path(path).read_bytes())[0]
    records = list(KeyAssigner(diagnostics=Collect()).assign(records))
    assert [e.key for e in entries] == [r.id for r in records]
    biblatex = writer == "biblatex"
    for entry, record in zip(entries, records, strict=True):
        fields = entry.fields_dict
        assert entry.entry_type == entry_type(record, biblatex)
        title = record.fields.get("title")
        if title and record.fields.get("language", "English") == "English":
            assert unescape(strip_protection(fields["title"].value)) == title
        if "abstract" in record.fields:
            assert unescape(fields["abstract"].value) == record.fields["abstract"]
        if "DOI" in record.fields:  # the same DOI, or kept in the note (escape_doi)
            doi = fields["doi"].value if "doi" in fields else None
            assert doi == escape_doi(record.fields["DOI"], biber=biblatex)
        if "URL" in record.fields:  # the same URL: only escapes added
            url = unescape_verbatim(fields["url"].value)
            assert unquote(url) == unquote(record.fields["URL"])
        if "author" in record.names:
            others = "et al." in record.extra.get("%A", [])  # written as "and others"
            assert count_names(fields["author"].value) == len(record.names["author"]) + others


def count_names(value: str) -> int:
    """Names in a BibTeX name list: " and " at brace depth 0, as BibTeX splits them."""
    depth, count = 0, 1
    for i, ch in enumerate(value):
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth == 0 and value.startswith(" and ", i):
            count += 1
    return count
