"""The fuzzers' invariants catch what they are for: each checker of tests/hostile.py rejects a
hand-made output with the defect of its class (the shapes issue 13 found in refconv's output)
and accepts the writer's own output for the same records."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from refconv.cli import cli

from .hostile import Broken, Target, check_output

ONE = b'[{"id":"a","type":"webpage","title":"Real","author":[{"family":"Smith","given":"J"}],'
ONE += b'"URL":"https://example.org/a?b=1&c=2","DOI":"10.1/x","issued":{"date-parts":[[2020]]}}]'


@pytest.mark.parametrize(
    ("target", "text", "kind"),
    [
        pytest.param("ris", "TY  - BOOK\nTI  - R\nN1  - x\rER  - \rTY  - BOOK\rTI  - F\rER  - \n",
                     "forged or lost records", id="ris-cr"),
        pytest.param("ris", "TY  - BOOK\nN1  - x\x1cER  - \nER  - \n", "forged or lost records",
                     id="ris-file-separator"),
        pytest.param("refer", "%0 Book\n%T Real\n%Z x\u2028%0 Book\u2028%T F\n",
                     "forged or lost records", id="refer-line-separator"),
        pytest.param("csljson", '[{"id": "a"}, {"id": "b"}]', "forged or lost records",
                     id="csljson-extra-item"),
        pytest.param("bibtex", "@misc{a,\n  url = {http://x/ \\input ./secret\\relax }\n}\n",
                     "TeX-active url/doi", id="bibtex-url-input"),
        pytest.param("bibtex", "@misc{a,\n  doi = {10.1/a%7Db}\n}\n", "TeX-active url/doi",
                     id="bibtex-doi-percent"),
        pytest.param("biblatex", "@misc{a,\n  url = {http://x/^^5cinput}\n}\n",
                     "TeX-active url/doi", id="biblatex-url-caret"),
        pytest.param("bibtex", "@misc{a,\n  note = {^^5cinput x}\n}\n", "dangerous TeX",
                     id="bibtex-note-caret"),
        pytest.param("bibtex", "@misc{a,\n  title = {\\csname input\\endcsname x}\n}\n",
                     "dangerous TeX", id="bibtex-title-csname"),
        pytest.param("bibtex", "@misc{a,\n  title = {T}\n}\n@misc{b,\n  title = {F}\n}\n",
                     "forged or lost records", id="bibtex-extra-entry"),
        pytest.param(Target("html", "apa"),
                     '<div class="csl-bib-body">\n  <div class="csl-entry">10.1/"><script>x'
                     "</script></div>\n</div>\n", "unescaped HTML", id="html-script"),
        pytest.param(Target("html", "apa"),
                     '<div class="csl-bib-body">\n  <div class="csl-entry"><img src=x '
                     "onerror=alert(1)></div>\n</div>\n", "unescaped HTML", id="html-img"),
        pytest.param(Target("html", "apa"),
                     '<div class="csl-bib-body">\n  <div class="csl-entry"><i onclick="x">T</i>'
                     "</div>\n</div>\n", "unescaped HTML", id="html-on-attribute"),
        pytest.param(Target("html", "apa"),
                     '<div class="csl-bib-body">\n  <div class="csl-entry"><a href="java\tscript'
                     ':x">T</a></div>\n</div>\n', "unsafe link", id="html-javascript-link"),
        pytest.param(Target("html", "apa"),
                     '<div class="csl-bib-body">\n  <div class="csl-entry">T <!-- x</div>\n'
                     "</div>\n", "unescaped HTML", id="html-comment"),
        pytest.param(Target("html", "apa", standalone=True),
                     "<!DOCTYPE html>\n<html><head><title>R</title></head><body>"
                     '<div class="csl-bib-body"><div class="csl-entry">T<style>*{}</style></div>'
                     "</div></body></html>", "unescaped HTML", id="html-style-in-body"),
        pytest.param(Target("markdown", "apa"), "Smith, J. [x](javascript:alert(1)).\n",
                     "unsafe link", id="markdown-link"),
        pytest.param(Target("markdown", "apa"), "Smith, J. <javascript:alert(1)>.\n",
                     "unsafe link", id="markdown-autolink"),
        pytest.param(Target("markdown", "apa"), 'Smith. "><script>alert(1)</script>\n',
                     "unescaped HTML", id="markdown-script"),
        pytest.param(Target("markdown", "apa"), "Smith. ![x](https://x/y.png)\n",
                     "unescaped HTML", id="markdown-image"),
        pytest.param(Target("markdown", "apa"), "Smith. T\n\n# Forged\n", "unescaped HTML",
                     id="markdown-heading"),
        pytest.param(Target("rst", "apa"), "Smith. T\n\n.. raw:: html\n\n   <script>\n",
                     "unescaped reStructuredText", id="rst-directive"),
        pytest.param(Target("rst", "apa"), "Smith. :raw-html:`<script>`\n",
                     "unescaped reStructuredText", id="rst-role"),
        pytest.param(Target("text", "apa"), "Smith. T\rForged\n", "forged or lost records",
                     id="text-cr"),
    ],
)  # fmt: skip
def test_a_checker_rejects_the_defect_of_its_class(target, text, kind):
    with pytest.raises(Broken) as caught:
        check_output(text, target, 1)
    assert caught.value.kind == kind


@pytest.mark.parametrize("target", ["csljson", "bibtex", "biblatex", "ris", "refer",
    *(Target(fmt, style) for fmt in ("text", "html", "markdown", "rst")
      for style in ("apa", "ieee", "vancouver-nlm")),
    Target("html", "apa", standalone=True)], ids=str)  # fmt: skip
def test_the_writers_own_output_passes(target):
    target = target if isinstance(target, Target) else Target(target)
    two = ONE[:-1] + b',{"id":"b","type":"book","title":"Second","issued":{"date-parts":[[1999]]}}]'
    result = CliRunner().invoke(cli, ["convert", "-f", "csljson", *target.args()], input=two)
    assert result.exit_code == 0, result.stderr
    check_output(result.stdout, target, 2)
    with pytest.raises(Broken, match="forged or lost records"):
        check_output(result.stdout, target, 1)
