"""Sniffing hostile heads (issue 19 review): every reader's ``sniff`` sees up to
``io.SNIFF_BYTES`` of any input before its format is known, so a pattern that backtracks on
it is a hang anyone can cause with a file of blank lines. Each head must be told in well under
a second; the bound is generous, it catches exponential backtracking, not slowness."""

from __future__ import annotations

import time

import pytest

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
