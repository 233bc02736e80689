"""Nothing lost (issue 14, STYLE.md §4b): one record per tag, field or variable of every reader
(Refer, RIS, BibTeX/BibLaTeX, CSL-JSON; see ``tests/nothing_lost_cases.py``) is written by
every data writer and read back by that format's reader. Each value must be found in the
read-back record (a field, a note, ``custom``) or be named by a warning or the ``--report``
counters of the step that dropped it; a value that is neither is a silent loss.

Where each value lands is the golden table ``tests/data/nothing-lost-<reader>.tsv``: one row
per type, key and value; per writer ``place in the output>place after reading it back`` (a CSL
path, or ``warned``/``LOST``). ``REFCONV_UPDATE_GOLDENS=1`` rewrites the tables for review.

Known silent losses are listed in ``KNOWN_SILENT_LOSSES`` and expected to fail (strict): when
a fix lands their test passes, fails as XPASS, and the row must go. Formatted writers print
what a style asks for and are not tested here.
"""

from __future__ import annotations

import os

import pytest

from .conftest import DATA
from .nothing_lost_cases import ALL_CASES, WRITERS, Case, landing, reproducer

#: Row id → why it is lost today. Each row is ``xfail(strict=True)``: remove it once fixed.
KNOWN_SILENT_LOSSES: dict[str, str] = {}


def golden_path(reader: str):
    """The golden table of one reader."""
    return DATA / f"nothing-lost-{reader}.tsv"


def table(reader: str) -> str:
    """The golden table's text for ``reader``: header, then one line per case."""
    lines = ["\t".join(["type", "key", "value", *WRITERS])]
    for case in ALL_CASES[reader]:
        value = case.value.replace("\t", " ").replace("\n", " ")
        lines.append("\t".join([case.kind, case.key, value, *map(str, landing(case))]))
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("reader", list(ALL_CASES))
def test_golden_table_is_complete_and_current(reader):
    path = golden_path(reader)
    text = table(reader)
    if os.environ.get("REFCONV_UPDATE_GOLDENS"):
        path.write_text(text, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == text


def _params() -> list:
    params = []
    for cases in ALL_CASES.values():
        for case in cases:
            reason = KNOWN_SILENT_LOSSES.get(case.id)
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            params.append(pytest.param(case, id=case.id, marks=marks))
    return params


@pytest.mark.parametrize("case", _params())
def test_no_value_is_lost_silently(case: Case):
    lost = [w for w, place in zip(WRITERS, landing(case), strict=True) if place.back == "LOST"]
    assert not lost, "silent loss; reproduce with:\n" + "\n".join(reproducer(case, w) for w in lost)


def test_known_losses_name_existing_rows():
    ids = {case.id for cases in ALL_CASES.values() for case in cases}
    assert not set(KNOWN_SILENT_LOSSES) - ids


def test_markers_are_unique_within_a_record():
    """A marker found in the read-back record must be the case's value, not the base record
    (the title 'Base title', the type) or another marker."""
    for cases in ALL_CASES.values():
        for case in cases:
            rest = case.text.replace(case.value, "") if case.value in case.text else None
            if rest is not None:
                assert not any(n in rest for n in case.needles), case.id


def test_every_reader_has_cases_for_its_tables():
    """The cases cover each reader's whole vocabulary (a new table row gets a case)."""
    from refconv.formats.bibtex.tables import CSL_TO_BIBTEX_FIELD
    from refconv.formats.csljson.read import NAME_FLAGS
    from refconv.formats.ris.tables import RIS_OWN_TAGS, RIS_TO_ENDNOTE_FIELD
    from refconv.model import DATE_VARIABLES, NAME_VARIABLES, TEXT_VARIABLES

    keys = {reader: {case.key for case in cases} for reader, cases in ALL_CASES.items()}
    ris = {*RIS_TO_ENDNOTE_FIELD, *RIS_OWN_TAGS}
    assert ris <= keys["ris"]
    assert {f for pair in CSL_TO_BIBTEX_FIELD.values() for f in pair if f} <= keys["bibtex"]
    assert {*TEXT_VARIABLES, *DATE_VARIABLES, *NAME_VARIABLES} <= keys["csljson"]
    assert set(NAME_FLAGS) <= keys["csljson"]  # CSL's name attributes
