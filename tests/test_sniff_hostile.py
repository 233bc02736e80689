"""Sniffing hostile heads (issue 19 review): every reader's ``sniff`` sees up to
``io.SNIFF_BYTES`` of any input before its format is known, so a pattern that backtracks on
it is a hang anyone can cause with a file of blank lines. Each head must be told in well under
a second; the bound is generous, it catches exponential backtracking, not slowness."""

from __future__ import annotations

import time

import pytest
from click.testing import CliRunner

from refconv.cli import cli
from refconv.diagnostics import Diagnostics
from refconv.io import SNIFF_BYTES
from refconv.plugins import Registry
from refconv.values.xml import prolog_end

UNITS = ["\n", " ", "\t", " \n", "\r\n", "<!-- -->", "<!--", "<?xml ?>", "<?x", "<!DOCTYPE x>",
         "<!DOCTYPE [", "- ", "---\n", "# c\n", "%", "%%\n", "@", "[", "{", "PMID-", "TY  -",
         "\ufeff", "<", "<<", "-->", "?>"]  # fmt: skip


@pytest.mark.parametrize("unit", UNITS)
def test_every_sniffer_is_fast_on_repeated_text(unit):
    readers = Registry(Diagnostics()).readers()
    head = (unit * (SNIFF_BYTES // len(unit) + 1))[:SNIFF_BYTES]
    for tail in ("", "%0 Book\n", "<xml><records>", "<mods"):
        for name, cls in readers.items():
            start = time.process_time()
            cls.sniff(head + tail)
            assert time.process_time() - start < 1.0, (name, unit, tail)


@pytest.mark.parametrize(
    ("text", "root"),
    [("<mods/>", 0), ("  \n<a>", 3), ('<?xml version="1.0"?>\n<a>', 22), ("<!-- c -->  <a>", 12),
     ("<!-- a -- b --><a>", 15), ("<?pi x?><!--c--><a>", 16), ("<!DOCTYPE a><a>", 12),
     ("<!DOCTYPE a [<!ENTITY x 'y>'>]><a>", 31), ("<!-- never closed <a>", None),
     ("<?xml", None), ("", None), ("text", 0)],
)  # fmt: skip
def test_prolog_end(text, root):
    assert prolog_end(text) == (len(text) if root is None else root)


@pytest.mark.parametrize(
    ("fmt", "document"),
    [("mods", '<modsCollection xmlns="http://www.loc.gov/mods/v3">{}</modsCollection>'),
     ("endnote-xml", "<xml><records>{}</records></xml>")],
)  # fmt: skip
def test_libxml2_limits_are_said_in_our_words(tmp_path, fmt, document):
    path = tmp_path / "deep.xml"
    path.write_text(document.format("<a>" * 300 + "</a>" * 300))
    result = CliRunner().invoke(cli, ["convert", str(path), "-f", fmt, "-t", "ris"])
    assert result.exit_code == 1
    assert "Excessive depth in document: 256 (a limit refconv keeps for untrusted XML)" in (
        result.stderr
    )
    assert "XML_PARSE_HUGE" not in result.stderr


def test_endnote_xml_named_for_another_xml_says_so(tmp_path):
    """-f endnote-xml on a MODS file: an error naming the root, as -f mods does for EndNote
    XML (it was only "no records found", exit 0)."""
    path = tmp_path / "m.xml"
    path.write_text('<modsCollection xmlns="http://www.loc.gov/mods/v3"><mods/></modsCollection>')
    result = CliRunner().invoke(cli, ["convert", str(path), "-f", "endnote-xml", "-t", "ris"])
    assert result.exit_code == 1
    assert result.stderr == (
        f"{path}:1: error: not EndNote XML: the root element is <modsCollection>; an EndNote "
        "XML file starts with <xml><records>\n"
    )


@pytest.mark.parametrize(
    ("head", "fmt"),
    [('<?xml version="1.0"?>\n<xml><!-- c --><records><record>', "endnote-xml"),
     ('<xml xmlns:foo="x"><records>', "endnote-xml"), ("<xml><records/><records>", "endnote-xml"),
     ("<xml>\n<records>", "endnote-xml"), ("<xmlx><records>", None), ("<xml><record>", None),
     ("<modsCollection>", "mods"), ('<mods version="3.7" xmlns:xlink="x">', "mods"),
     ('<modsCollection xmlns="http://www.loc.gov/mods/v3">', "mods"),
     ('<modsCollection xmlns="urn:other">', None), ("<m:mods>", None)],
)  # fmt: skip
def test_xml_heads_are_told_apart(head, fmt):
    """Valid heads the first sniffers missed (issue 19 review): comments or attributes beside
    EndNote XML's <xml><records>, MODS without its namespace (read with a warning)."""
    assert Registry(Diagnostics()).sniff_reader(head + "\n") is (
        None if fmt is None else Registry(Diagnostics()).find_reader(fmt)
    )
