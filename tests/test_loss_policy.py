"""The loss policy (STYLE.md §4b), one row per measured case and per reader (issue 14).

Each row: a reader, its input, a fragment of the CSL-JSON item it must give, and the exact
warnings. The rules live once in ``refconv.formats.base.ReadRules`` (place-or-keep, repeated
field, unknown type, no title, junk lines), ``refconv.values.dates`` (a parse that cannot use
all of its text says what it left over) and ``refconv.notes`` (the note protocol never drops).
"""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from refconv import notes
from refconv.diagnostics import Collected, Diagnostics, RefconvError
from refconv.formats.base import Reader, Writer
from refconv.formats.bibtex.read import BibtexReader
from refconv.formats.bibtex.write import BiblatexWriter, BibtexWriter
from refconv.formats.csljson.read import CslJsonReader
from refconv.formats.csljson.write import CslJsonWriter, record_to_csl
from refconv.formats.refer.read import ReferReader
from refconv.formats.refer.write import ReferWriter
from refconv.formats.ris.read import RisReader
from refconv.formats.ris.write import RisWriter
from refconv.model import Record
from refconv.notes import note_label, restore

READERS: dict[str, type[Reader]] = {
    "ris": RisReader,
    "refer": ReferReader,
    "bibtex": BibtexReader,
    "biblatex": BibtexReader,
    "csljson": CslJsonReader,
}
WRITERS: dict[str, type[Writer]] = {
    "ris": RisWriter,
    "refer": ReferWriter,
    "bibtex": BibtexWriter,
    "biblatex": BiblatexWriter,
    "csljson": CslJsonWriter,
}


def read(fmt: str, text: str, diagnostics: Diagnostics | None = None) -> list[Record]:
    reader = READERS[fmt](diagnostics=diagnostics or Collected())
    return list(reader.read(text.splitlines(), "t"))


def convert(src: str, dst: str, text: str) -> str:
    out = io.StringIO()
    WRITERS[dst](diagnostics=Collected()).write(read(src, text), out)
    return out.getvalue()


def ris(*lines: str, ty: str = "JOUR") -> str:
    return "\n".join([f"TY  - {ty}", "TI  - T", *lines, "ER  - ", ""])


def refer(*lines: str, kind: str = "Journal Article") -> str:
    return "\n".join([f"%0 {kind}", "%T T", *lines, ""])


def bib(*fields: str, kind: str = "article") -> str:
    return "\n".join([f"@{kind}{{k,", "  title = {T},", *(f"  {f}," for f in fields), "}", ""])


CASES = [
    # dates: a parse that cannot use all of its text keeps the text
    pytest.param("ris", ris("PY  - n.d."), {"issued": {"literal": "n.d."}},
                 ["t:3: warning: PY 'n.d.': says there is no date; kept as literal text"],
                 id="ris-PY-n.d."),
    pytest.param("ris", ris("PY  - MMXX"), {"issued": {"literal": "MMXX"}},
                 ["t:3: warning: PY 'MMXX': not a date refconv can read; kept as literal text"],
                 id="ris-PY-MMXX"),
    pytest.param("ris", ris("Y2  - ref 2019"),
                 {"accessed": {"date-parts": [[2019]]}, "custom": {"Y2": ["ref 2019"]}},
                 ["t:3: warning: Y2 'ref 2019': 'ref' is not part of a date; kept in custom"],
                 id="ris-Y2-ref-2019"),
    pytest.param("ris", ris("PY  - 1999/12/31/Winter issue"),
                 {"issued": {"date-parts": [[1999, 12, 31]]},
                  "custom": {"PY": ["1999/12/31/Winter issue"]}},
                 ["t:3: warning: PY '1999/12/31/Winter issue': 'Winter issue' is not part of a "
                  "date; kept in custom"],
                 id="ris-PY-other-info"),
    pytest.param("ris", ris("PY  - n.d.", "DA  - 2020/01/02/"),
                 {"issued": {"date-parts": [[2020, 1, 2]]}, "custom": {"PY": ["n.d."]}},
                 ["t:3: warning: PY 'n.d.': says there is no date; kept in custom"],
                 id="ris-n.d.-beside-a-date"),
    pytest.param("refer", refer("%D n.d."), {"issued": {"literal": "n.d."}},
                 ["t:3: warning: %D 'n.d.': says there is no date; kept as literal text"],
                 id="refer-D-n.d."),
    pytest.param("refer", refer("%D 1987a"),
                 {"issued": {"date-parts": [[1987]]}, "custom": {"%D": ["1987a"]}},
                 ["t:3: warning: %D '1987a': 'a' is not part of a date; kept in custom"],
                 id="refer-D-leftover"),
    pytest.param("bibtex", bib("urldate = {checked 2019}"),
                 {"accessed": {"date-parts": [[2019]]}, "custom": {"urldate": ["checked 2019"]}},
                 ["t:3: warning: urldate 'checked 2019': 'checked' is not part of a date; kept "
                  "in custom"],
                 id="bibtex-urldate-checked"),
    pytest.param("bibtex", bib("year = {n.d.}"), {"issued": {"literal": "n.d."}},
                 ["t:3: warning: year 'n.d.': says there is no date; kept as literal text"],
                 id="bibtex-year-n.d."),
    pytest.param("csljson",
                 '[{"id": "k", "type": "book", "title": "T", "issued": {"literal": "n.d."}}]',
                 {"issued": {"literal": "n.d."}}, [], id="csljson-literal-n.d."),
    # the note protocol never drops: a line that does not round-trip stays as written
    pytest.param("bibtex", bib("number = {5}",
                               "note = {issue: 7; title: Originally published in German}"),
                 {"issue": "5", "note": "issue: 7; title: Originally published in German"}, [],
                 id="bibtex-note-key-set-already"),
    pytest.param("bibtex", bib("note = {issue: 7; title: Originally published in German}",
                               "number = {5}"),
                 {"issue": "5", "note": "issue: 7; title: Originally published in German"}, [],
                 id="bibtex-note-before-the-field"),
    pytest.param("refer", refer("%Z issue: 7", "%N 5"), {"issue": "5", "note": "issue: 7"}, [],
                 id="refer-Z-key-set-already"),
    pytest.param("ris", ris("N1  - issue: 7", "IS  - 5"), {"issue": "5", "note": "issue: 7"},
                 [], id="ris-N1-key-set-already"),
    pytest.param("ris", ris("N1  - accessed: 2019-05-04"),
                 {"note": "accessed: 2019-05-04"}, [], id="ris-N1-written-otherwise"),
    pytest.param("ris", ris("N1  - Remark: see p. 4"), {"note": "Remark: see p. 4"}, [],
                 id="ris-N1-unknown-key"),
    # two input fields for one variable: the second is kept, with a warning
    pytest.param("bibtex", bib("annote = {A1}", "annotation = {A2}", kind="misc"),
                 {"annote": "A1", "custom": {"annotation": ["A2"]}},
                 ["t:4: warning: annotation 'A2': annote is set already; kept in custom"],
                 id="bibtex-annote-annotation"),
    pytest.param("bibtex", bib("organization = {Org}", "publisher = {Pub}", kind="book"),
                 {"publisher": "Pub", "custom": {"organization": ["Org"]}},
                 ["t:3: warning: organization 'Org': publisher is set already; kept in custom"],
                 id="bibtex-organization-publisher"),
    pytest.param("ris", ris("UR  - https://a.example/", "UR  - https://b.example/"),
                 {"URL": "https://a.example/", "custom": {"UR": ["https://b.example/"]}},
                 ["t:4: warning: UR 'https://b.example/': URL is set already; kept in custom"],
                 id="ris-second-UR"),
    pytest.param("ris", ris("DO  - 10.1/a", "UR  - https://doi.org/10.1/b", "M3  - 10.1/c"),
                 {"DOI": "10.1/a"}, [], id="ris-DOI-from-a-URL-is-derived"),
    # the shared messages: repeated tag, unknown tag or type, no title, junk lines
    pytest.param("ris", ris("TI  - U"), {"title": "T", "custom": {"TI": ["U"]}},
                 ["t:3: warning: repeated TI; the first value is used, this one is kept in "
                  "custom"], id="ris-repeated"),
    pytest.param("refer", refer("%T U"), {"title": "T", "custom": {"%T": ["U"]}},
                 ["t:3: warning: repeated %T; the first value is used, this one is kept in "
                  "custom"], id="refer-repeated"),
    pytest.param("ris", ris("ZZ  - odd"), {"custom": {"ZZ": ["odd"]}},
                 ["t:3: warning: unknown tag ZZ; kept in custom"], id="ris-unknown-tag"),
    pytest.param("refer", refer("%5 odd"), {"custom": {"%5": ["odd"]}},
                 ["t:3: warning: unknown tag %5; kept in custom"], id="refer-unknown-tag"),
    pytest.param("csljson", '[{"id": "k", "type": "book", "title": "T", "odd": 1}]',
                 {"custom": {"odd": ["1"]}},
                 ["t:1: warning: CSL key 'odd' is not a CSL variable; kept in custom"],
                 id="csljson-unknown-key"),
    pytest.param("ris", ris(ty="WEIRD"), {"type": "document", "custom": {"TY": ["WEIRD"]}},
                 ["t:1: warning: unknown RIS type 'WEIRD'; read as GEN (kept in custom)"],
                 id="ris-unknown-type"),
    pytest.param("refer", refer(kind="Weird"), {"type": "document", "custom": {"%0": ["Weird"]}},
                 ["t:1: warning: unknown reference type 'Weird'; read as Generic (kept in "
                  "custom)"], id="refer-unknown-type"),
    pytest.param("bibtex", bib(kind="weird"), {"type": "document",
                                               "custom": {"entrytype": ["weird"]}},
                 ["t:1: warning: unknown entry type 'weird'; read as misc (kept in custom)"],
                 id="bibtex-unknown-type"),
    pytest.param("csljson", '[{"id": "k", "type": "weird", "title": "T"}]',
                 {"type": "document", "custom": {"type": ["weird"]}},
                 ["t:1: warning: unknown CSL type 'weird'; read as document (kept in custom)"],
                 id="csljson-unknown-type"),
    pytest.param("ris", "banner\nTY  - JOUR\nER  - \n", {},
                 ["t:1: warning: skipped 1 line of text outside any record",
                  "t:2: warning: record has no title"], id="ris-junk-no-title"),
    pytest.param("refer", "banner\nline\n%0 Book\n", {},
                 ["t:1: warning: skipped 2 lines of text outside any record",
                  "t:3: warning: record has no title"], id="refer-junk-no-title"),
    pytest.param("bibtex", "@book{k, year = 2000}\n", {},
                 ["t:1: warning: record has no title"], id="bibtex-no-title"),
    # a field given twice in one entry: read (BibTeX uses the first), the others kept
    pytest.param("bibtex", bib("title = {U}"), {"title": "T", "custom": {"title": ["U"]}},
                 ["t:3: warning: repeated title; the first value is used, this one is kept in "
                  "custom"], id="bibtex-repeated-field"),
    pytest.param("bibtex", bib("Title = {U}"), {"title": "T", "custom": {"title": ["U"]}},
                 ["t:3: warning: repeated title; the first value is used, this one is kept in "
                  "custom"], id="bibtex-repeated-field-other-case"),
    pytest.param("bibtex", bib("doi = {10.1/a}", "year = 2001", "doi = {10.1/b}", "year = 2002"),
                 {"DOI": "10.1/a", "issued": {"date-parts": [[2001]]},
                  "custom": {"doi": ["10.1/b"], "year": ["2002"]}},
                 ["t:5: warning: repeated doi; the first value is used, this one is kept in "
                  "custom",
                  "t:6: warning: repeated year; the first value is used, this one is kept in "
                  "custom"], id="bibtex-repeated-fields"),
    pytest.param("bibtex", "@string{jn = {Str}}\n" + bib("title = jn", "note = \"n\""),
                 {"title": "T", "note": "n", "custom": {"title": ["Str"]}},
                 ["t:4: warning: repeated title; the first value is used, this one is kept in "
                  "custom"], id="bibtex-repeated-field-with-macro"),
    # an open EDTF range: open at its end it is CSL's open range (citeproc-js's end of zeros),
    # no warning; open at its start, the known end is the date and the text is kept
    pytest.param("bibtex", bib("date = {1998/..}"),
                 {"issued": {"date-parts": [[1998], [0]]}, "custom": None}, [],
                 id="bibtex-date-open-end"),
    pytest.param("bibtex", bib("date = {../1998}"),
                 {"issued": {"date-parts": [[1998]]}, "custom": {"date": ["../1998"]}},
                 ["t:3: warning: date '../1998': an open range; only its end is a date; kept "
                  "in custom"], id="bibtex-date-open-start"),
    pytest.param("bibtex", bib("date = {/1998-05}"),
                 {"issued": {"date-parts": [[1998, 5]]}, "custom": {"date": ["/1998-05"]}},
                 ["t:3: warning: date '/1998-05': an open range; only its end is a date; kept "
                  "in custom"], id="bibtex-date-unknown-start"),
    pytest.param("bibtex", bib("date = {1998-05/..}"),
                 {"issued": {"date-parts": [[1998, 5], [0, 0]]}, "custom": None}, [],
                 id="bibtex-date-open-end-month"),
    pytest.param("bibtex", bib("urldate = {2001-02-03/}"),
                 {"accessed": {"date-parts": [[2001, 2, 3], [0, 0, 0]]}, "custom": None}, [],
                 id="bibtex-urldate-unknown-end"),
    pytest.param("bibtex", bib("date = {1998/..}", "year = {1998}"),
                 {"issued": {"date-parts": [[1998], [0]]}, "custom": None}, [],
                 id="bibtex-date-open-end-and-year"),
    pytest.param("bibtex", bib("date = {1998-05-04T10:00/..}"),
                 {"issued": {"date-parts": [[1998, 5, 4], [0, 0, 0]]},
                  "custom": {"date": ["1998-05-04T10:00/.."]}},
                 ["t:3: warning: date '1998-05-04T10:00/..': a time of day, which CSL dates do "
                  "not hold; kept in custom"], id="bibtex-date-open-end-time"),
    # fields: unknown ones warn (as unknown tags and keys do); BibLaTeX's own are carried
    pytest.param("bibtex", bib("shelfmark = {B1}", "x-rating = {4}"),
                 {"custom": {"shelfmark": ["B1"], "x-rating": ["4"]}},
                 ["t:3: warning: unknown field shelfmark; kept in custom",
                  "t:4: warning: unknown field x-rating; kept in custom"],
                 id="bibtex-unknown-field"),
    pytest.param("bibtex", bib("eprint = {55}", "eprinttype = {arxiv}", "addendum = {Add}"),
                 {"custom": {"addendum": ["Add"], "eprint": ["55"], "eprinttype": ["arxiv"]}},
                 [], id="bibtex-biblatex-field-without-csl-variable"),
    pytest.param("bibtex", '@preamble{"\\newcommand{\\noop}[1]{}"}\n' + bib(),
                 {"title": "T", "custom": {"@preamble": ["\\newcommand{\\noop}[1]{}"]}},
                 [], id="bibtex-preamble"),
    # CSL-JSON: an item without a type, name attributes, unknown keys in a name
    pytest.param("csljson", '[{"id": "k", "title": "T"}]', {"type": "document"},
                 ["t:1: warning: record has no CSL type; read as document"],
                 id="csljson-no-type"),
    pytest.param("csljson", '[{"id": "k", "type": "book", "title": "T", "author": [{"family": '
                 '"S", "suffix": "Jr.", "comma-suffix": true, "static-ordering": true, '
                 '"parse-names": false}, {"literal": "L", "parse-names": true}]}]',
                 {"author": [{"family": "S", "suffix": "Jr.", "comma-suffix": True,
                              "static-ordering": True, "parse-names": False},
                             {"literal": "L", "parse-names": True}]},
                 [], id="csljson-name-attributes"),
    pytest.param("csljson", '[{"id": "k", "type": "book", "title": "T", "author": [{"family": '
                 '"S", "comma-suffix": false, "static-ordering": false}]}]',
                 {"author": [{"family": "S"}]}, [], id="csljson-name-attributes-false"),
    pytest.param("csljson", '[{"id": "k", "type": "book", "title": "T", "editor": [{"family": '
                 '"A"}, {"family": "S", "odd": 1, "nick": "Sam"}]}]',
                 {"editor": [{"family": "A"}, {"family": "S"}],
                  "custom": {"editor[1].nick": ["Sam"], "editor[1].odd": ["1"]}},
                 ["t:1: warning: unknown CSL name key editor[1].odd; kept in custom",
                  "t:1: warning: unknown CSL name key editor[1].nick; kept in custom"],
                 id="csljson-unknown-name-key"),
    pytest.param("csljson", '[{"id": "k", "type": "book", "title": "T", "author": [{"family": '
                 '"S", "comma-suffix": "yes"}]}]',
                 {"author": [{"family": "S"}], "custom": {"author[0].comma-suffix": ["yes"]}},
                 ['t:1: warning: author[0].comma-suffix "yes": not true or false; kept in '
                  "custom"], id="csljson-name-attribute-not-boolean"),
]  # fmt: skip


# Refer and RIS: the silent losses and meaning changes found after the move (issue 14, the
# Refer/RIS hunt); each row is a class the readers now place or keep with one warning.
NO_YEAR = "a month or season with no year to go with"
REFER_RIS_CASES = [
    pytest.param("refer", refer("%8 Spring", "%D March"),
                 {"issued": {"literal": "Spring"}, "custom": {"%D": ["March"]}},
                 [f"t:3: warning: %8 'Spring': {NO_YEAR}; kept as literal text",
                  f"t:4: warning: %D 'March': {NO_YEAR}; kept in custom"],
                 id="refer-season-and-month-no-year"),
    pytest.param("refer", refer("%[ March"), {"accessed": {"literal": "March"}},
                 [f"t:3: warning: %[ 'March': {NO_YEAR}; kept as literal text"],
                 id="refer-accessed-month-no-year"),
    pytest.param("refer", refer("%N March", kind="Web Page"), {"accessed": {"literal": "March"}},
                 [f"t:3: warning: %N 'March': {NO_YEAR}; kept as literal text"],
                 id="refer-web-access-date-no-year"),
    pytest.param("refer", refer("%N June 2 x", "%V 2023", kind="Web Page"),
                 {"accessed": None, "custom": {"%N": ["June 2 x"], "%V": ["2023"]}},
                 ["t:3: warning: %N 'June 2 x': %N and %V make no date refconv can read; kept "
                  "in custom",
                  "t:4: warning: %V '2023': %N and %V make no date refconv can read; kept in "
                  "custom"], id="refer-web-access-no-date"),
    pytest.param("ris", ris("DA  - Spring"), {"issued": {"literal": "Spring"}},
                 [f"t:3: warning: DA 'Spring': {NO_YEAR}; kept as literal text"],
                 id="ris-DA-season-no-year"),
    pytest.param("ris", ris("PY  - ///Spring", "Y1  - //March"),
                 {"issued": {"literal": "///Spring"}, "custom": {"Y1": ["//March"]}},
                 [f"t:3: warning: PY '///Spring': {NO_YEAR}; kept as literal text",
                  f"t:4: warning: Y1 '//March': {NO_YEAR}; kept in custom"],
                 id="ris-PY-Y1-no-year"),
    pytest.param("ris", ris("Y1  - //March", "PY  - 2001"), {"issued": {"date-parts": [[2001, 3]]}},
                 [], id="ris-month-completed-by-a-year"),
    pytest.param("ris", ris("Y2  - March"), {"accessed": {"literal": "March"}},
                 [f"t:3: warning: Y2 'March': {NO_YEAR}; kept as literal text"],
                 id="ris-Y2-month-no-year"),
    pytest.param("ris", ris("T2  -Journal"), {"title": "T", "container-title": "Journal"},
                 ["t:3: warning: T2 has no space after '-'; read as a tag line"],
                 id="ris-known-tag-without-space"),
    pytest.param("ris", ris("AB  - a", "XY  -b"), {"abstract": "a\nXY  -b"}, [],
                 id="ris-unknown-tag-without-space-is-text"),
    pytest.param("ris", ris("SN  - 3 (suppl)"), {"number": None, "custom": {"SN": ["3 (suppl)"]}},
                 ["t:3: warning: SN '3 (suppl)': not an ISBN or ISSN; kept in custom"],
                 id="ris-SN-qualifier-kept"),
    pytest.param("ris", ris("SN  - ISBN pending"),
                 {"ISBN": None, "custom": {"SN": ["ISBN pending"]}},
                 ["t:3: warning: SN 'ISBN pending': not an ISBN or ISSN; kept in custom"],
                 id="ris-SN-no-number-kept-whole"),
    pytest.param("ris", ris("SN  - 0317-8471 (Print)"), {"ISSN": "0317-8471"}, [],
                 id="ris-SN-medium-qualifier"),
    pytest.param("refer", refer("%R R-1"), {"custom": {"%R": ["R-1"]}},
                 ["t:3: warning: %R 'R-1': not a DOI; kept in custom"], id="refer-R-not-a-DOI"),
    pytest.param("refer", refer("%@ R-1", "%N 45", kind="Report"),
                 {"number": "R-1", "custom": {"%N": ["45"]}},
                 ["t:4: warning: %N '45': number is set already; kept in custom"],
                 id="refer-fallback-of-a-set-variable"),
    pytest.param("refer", refer("%] Alpha", "%] Omega"),
                 {"number": "Alpha", "page": "Alpha", "custom": {"%]": ["Omega"]}},
                 ["t:4: warning: %] 'Omega': page is set already; kept in custom"],
                 id="refer-second-value-of-a-tag-with-a-fallback"),
    pytest.param("refer", refer("%D in press", "%8 forthcoming"),
                 {"status": "in press", "custom": {"%8": ["forthcoming"]}},
                 ["t:4: warning: %8 'forthcoming': status is set already; kept in custom"],
                 id="refer-second-status"),
    pytest.param("refer", refer("%[ in press"), {"status": None,
                                                 "accessed": {"literal": "in press"}},
                 ["t:3: warning: %[ 'in press': not a date refconv can read; kept as literal "
                  "text"], id="refer-status-in-another-date"),
    pytest.param("ris", ris("Y2  - in press"), {"status": None,
                                                "accessed": {"literal": "in press"}},
                 ["t:3: warning: Y2 'in press': not a date refconv can read; kept as literal "
                  "text"], id="ris-status-in-another-date"),
    pytest.param("refer", "%A J. Smith\n%Q Org\n%T T\n",
                 {"author": [{"family": "Smith", "given": "J."}],
                  "custom": {"classic %Q": ["Org"]}},
                 ["t:2: warning: classic %Q 'Org': author is set already; kept in custom"],
                 id="refer-classic-corporate-author-beside-authors"),
    pytest.param("refer", refer("%@ 3 (suppl)", kind="Book"), {"custom": {"%@": ["3 (suppl)"]}},
                 ["t:3: warning: %@ '3 (suppl)': not an ISBN or ISSN; kept in custom"],
                 id="refer-serial-that-is-none"),
    # one meaning per value, whichever reader: RIS tags read as the Refer reader reads their
    # Refer twins (C2 is EndNote's %2, AN its %M), Refer keywords as §5.5 says
    pytest.param("ris", ris("C2  - PMC123", "C7  - e5"),
                 {"PMCID": "PMC123", "number": "e5", "custom": None}, [],
                 id="ris-custom-tags-as-their-refer-twins"),
    pytest.param("ris", ris("C2  - 2001", ty="CONF"),
                 {"issued": {"date-parts": [[2001]]}, "custom": {"%0": ["Conference Proceedings"]}},
                 [], id="ris-custom-tag-read-by-the-refer-date-rules"),
    pytest.param("ris", ris("AN  - 10.1000/xyz"), {"DOI": "10.1000/xyz", "archive_location": None},
                 [], id="ris-DOI-shaped-accession-number"),
    pytest.param("refer", refer("%K alpha; beta", "%K gamma"), {"keyword": "alpha; beta, gamma"},
                 [], id="refer-keyword-lines-are-not-cut"),
    pytest.param("refer", refer("%K alpha; beta"), {"keyword": "alpha, beta"}, [],
                 id="refer-a-lone-keyword-line-is-cut"),
    pytest.param("refer", refer("%D in press", kind="Conference Proceedings"),
                 {"status": "in press", "event-date": None}, [],
                 id="refer-proceedings-status"),
]  # fmt: skip
CASES += REFER_RIS_CASES


def _fragment_of(item: dict[str, Any], fragment: dict[str, Any]) -> dict[str, Any]:
    return {key: item.get(key) for key in fragment}


@pytest.mark.parametrize(("fmt", "text", "fragment", "warnings"), CASES)
def test_each_reader_places_or_keeps_with_one_warning(fmt, text, fragment, warnings):
    diagnostics = Collected()
    (record,) = read(fmt, text, diagnostics)
    assert _fragment_of(record_to_csl(record), fragment) == fragment
    assert [str(m) for m in diagnostics.messages] == warnings


KEPT = [case for case in CASES if "kept in custom" in " ".join(case.values[3])]


@pytest.mark.parametrize(("fmt", "text", "fragment", "warnings"), KEPT)
def test_strict_fails_on_every_kept_value(fmt, text, fragment, warnings):
    with pytest.raises(RefconvError, match="--strict"):
        read(fmt, text, Collected(strict=True))


@pytest.mark.parametrize(("fmt", "text", "fragment", "warnings"), KEPT)
def test_report_counts_every_kept_value(fmt, text, fragment, warnings):
    diagnostics = Collected()
    read(fmt, text, diagnostics)
    kept = sum("kept in custom" in w for w in warnings)
    assert sum(diagnostics.kept_values.values()) == kept
    summary = diagnostics.summary("csljson")
    assert f"report: kept by the reader, not placed in a field ({kept}):" in summary


@pytest.mark.parametrize(
    ("key", "value", "placed"),
    [
        pytest.param("issue", "7", False, id="key-set-already"),
        pytest.param("Remark", "x", False, id="unknown-key"),
        pytest.param("issued", "2019-05-04", False, id="written-otherwise"),
        pytest.param("issued", "2019/05/04", True, id="exact-date"),
        pytest.param("issued", "sometime", True, id="literal-date"),
        pytest.param("volume", "3", True, id="free-text-variable"),
        pytest.param("keyword", "a,b", False, id="keywords-written-otherwise"),
        pytest.param("%H", "Yu Min", True, id="refer-tag"),
    ],
)
def test_the_note_protocol_restores_only_exact_round_trips(key, value, placed):
    record = Record(fields={"issue": "5"})
    before = record_to_csl(record)
    assert restore(record, key, value) is placed
    assert (record_to_csl(record) != before) is placed


FIXED_POINTS = [
    pytest.param("bibtex", "bibtex", "@misc{k, title = {T}, date = {sometime}, eprint = {55}}\n",
                 id="bibtex-note-order"),
    pytest.param("bibtex", "bibtex", bib("number = {5}", "note = {Own; issue: 7}", "doi = {x}"),
                 id="bibtex-own-note-and-kept-lines"),
    pytest.param("refer", "csljson", "%0 Journal Article\n%0 Book\n%T T\n%Z hello\n%H Yu\n",
                 id="refer-several-%0"),
    pytest.param("ris", "ris", ris("PY  - 1999/12/31/Winter issue", "N1  - issue: 7"),
                 id="ris-other-info"),
    pytest.param("bibtex", "ris", bib("organization = {Org}", "publisher = {Pub}", kind="book"),
                 id="bibtex-organization-via-ris"),
    pytest.param("refer", "bibtex", "%0 Journal Article\n%A Cc\n%T T\n%Z director: Aa, Bb\n",
                 id="role-whose-bibtex-field-is-taken"),
    pytest.param("csljson", "ris", '[{"id": "k", "type": "book", "title": "T", '
                 '"issued": {"date-parts": [[1850], [1850]]}}]', id="ris-tag-kept-in-custom"),
    pytest.param("refer", "csljson", "%0 Book\n%T T\n%0 Book\n%0 Book\n",
                 id="repeated-default-type-lines"),
    pytest.param("refer", "biblatex", "%0 Book\n%T T\n%0 Edited Book\n",
                 id="second-type-line-via-biblatex"),
    pytest.param("refer", "csljson", "%0 Book\n%T T\n%Z issue: 7\n%Z issue: 7\n%Z shelf: B1\n",
                 id="keyed-lines-in-the-own-note"),
]  # fmt: skip


@pytest.mark.parametrize(("src", "dst", "text"), FIXED_POINTS)
def test_round_trips_are_fixed_points_after_the_first_pass(src, dst, text):
    """X -> Y -> X -> Y -> X equals X -> Y -> X (the issue's definition)."""
    once = convert(dst, src, convert(src, dst, text))
    twice = convert(dst, src, convert(src, dst, once))
    assert twice == once


def test_a_collection_keeps_its_number_of_pages_through_ris():
    text = '[{"id": "k", "type": "collection", "title": "T", "number-of-pages": "300"}]'
    (record,) = read("ris", convert("csljson", "ris", text))
    assert record.fields.get("number-of-pages") == "300"
    assert "page" not in record.fields


@pytest.mark.parametrize("fmt", ["ris", "refer", "bibtex"])
def test_a_note_that_is_no_line_of_refconv_survives_every_writer(fmt):
    text = bib("number = {5}", "note = {issue: 7; title: Originally published in German}")
    (record,) = read(fmt, convert("bibtex", fmt, text))
    note = record.fields.get("note", "").replace("\n", "; ")
    assert "issue: 7" in note and "title: Originally published in German" in note
    assert record.fields["issue"] == "5"


NON_OBJECTS = [
    pytest.param("5", "5", id="number"),
    pytest.param('"x"', '"x"', id="string"),
    pytest.param("null", "null", id="null"),
    pytest.param("true", "true", id="boolean"),
    pytest.param('[{"id": "n"}]', "an array", id="array"),
    pytest.param('"' + "w" * 70 + '"', '"' + "w" * 56 + "...", id="long-string"),
]


@pytest.mark.parametrize(("value", "shown"), NON_OBJECTS)
def test_a_csljson_item_that_is_no_object_is_skipped_and_the_next_items_read(value, shown):
    text = '[{"id": "a", "type": "book", "title": "A"},\n ' + value + ",\n"
    text += ' {"id": "b", "type": "book", "title": "B"}\n]\n'
    diagnostics = Collected()
    records = read("csljson", text, diagnostics)
    assert [r.fields["title"] for r in records] == ["A", "B"]
    message = f"t:2: error: a CSL-JSON item must be an object, not {shown}; skipped"
    assert [str(m) for m in diagnostics.messages] == [message]
    assert diagnostics.errors == 1


def test_a_csljson_file_with_a_bad_item_gives_well_formed_output_and_exit_1(tmp_path):
    from click.testing import CliRunner

    from refconv.cli import cli

    path = tmp_path / "in.json"
    path.write_text(
        '[{"id": "a", "type": "book", "title": "A"}, 5, "x",\n'
        ' {"id": "b", "type": "book", "title": "B"}]\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["convert", str(path), "-t", "csljson"])
    assert result.exit_code == 1
    assert [item["id"] for item in json.loads(result.stdout)] == ["a", "b"]
    assert result.stderr.count("error: a CSL-JSON item must be an object") == 2


INVALID_JSON = [
    pytest.param('[{"id": "a", "title": "x\ty"}]', 1,
                 "invalid control character (column 25)", id="control-character"),
    pytest.param('[\n {"id": "a" "title": "x"}]', 2,
                 "expecting ',' delimiter (column 13)", id="missing-comma"),
    pytest.param('[\n {"id": "a",}]', 2,
                 "expecting property name enclosed in double quotes (column 13)",
                 id="trailing-comma"),
    pytest.param('[{"id": "a", "title": "x\\q"}]', 1, "invalid \\escape (column 25)",
                 id="bad-escape"),
    pytest.param('[{"id": "a", "title": x}]', 1, "expecting value (column 23)",
                 id="bare-word"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "line", "message"), INVALID_JSON)
def test_invalid_json_names_line_column_and_a_whole_message(text, line, message):
    with pytest.raises(RefconvError) as caught:
        read("csljson", text)
    assert str(caught.value) == f"t:{line}: invalid JSON: {message}"


def test_the_column_of_invalid_json_is_right_after_memory_is_freed():
    """The reader forgets text it has read (whole lines only, so the column stays right)."""
    items = ",\n".join(
        f'  {{"id": "i{n}", "type": "book", "title": "{"t" * 60}"}}' for n in range(2000)
    )
    text = "[\n" + items + ',\n  {"id": "bad", "title": "x\ty"}\n]\n'
    with pytest.raises(RefconvError) as caught:
        read("csljson", text)
    assert str(caught.value) == "t:2002: invalid JSON: invalid control character (column 28)"


NAME_ATTRIBUTES = (
    '[{"id": "k", "type": "book", "title": "T", "author": [{"family": "S", '
    '"given": "J", "suffix": "Jr.", "comma-suffix": true, "static-ordering": true}]}]'
)


@pytest.mark.parametrize("fmt", ["bibtex", "biblatex", "ris", "refer"])
def test_a_writer_without_name_attributes_reports_each_one_it_drops(fmt):
    diagnostics = Collected()
    WRITERS[fmt](diagnostics=diagnostics).write(read("csljson", NAME_ATTRIBUTES), io.StringIO())
    assert [str(m) for m in diagnostics.messages] == [
        f"t:1: warning: author 'S': comma-suffix has no place in {fmt}; dropped",
        f"t:1: warning: author 'S': static-ordering has no place in {fmt}; dropped",
    ]


def test_csljson_carries_name_attributes_through_a_round_trip():
    once = convert("csljson", "csljson", NAME_ATTRIBUTES)
    assert json.loads(once)[0]["author"] == [
        {"family": "S", "given": "J", "suffix": "Jr.", "comma-suffix": True,
         "static-ordering": True}
    ]  # fmt: skip
    assert convert("csljson", "csljson", once) == once


@given(
    year=st.integers(1, 9999),
    month=st.none() | st.integers(1, 12),
    side=st.sampled_from(["start", "end"]),
    mark=st.sampled_from(["..", ""]),
    field=st.sampled_from(
        [("date", "issued"), ("urldate", "accessed"), ("origdate", "original-date")]
    ),
)
@settings(max_examples=60, deadline=None)
def test_every_open_edtf_range_is_read(year, month, side, mark, field):
    """Any EDTF date open (``..``) or unknown (empty) at one end (biblatex manual §2.3.8).
    Open at its end it is an open-ended range (``Date.open_end``), with no warning; open at
    its start the known end is the date and the text is kept under its field, with one
    warning naming it (citeproc-js prints no date for an open start, ``[[0], [1998]]``)."""
    known = f"{year:04d}" + (f"-{month:02d}" if month else "")
    text = f"{known}/{mark}" if side == "start" else f"{mark}/{known}"
    key, var = field
    diagnostics = Collected()
    (record,) = read("biblatex", bib(f"{key} = {{{text}}}"), diagnostics)
    item = record_to_csl(record)
    parts = [year, month] if month else [year]
    messages = [str(m) for m in diagnostics.messages]
    if side == "start":
        assert item[var] == {"date-parts": [parts, [0] * len(parts)]}
        assert "custom" not in item
        assert messages == []
    else:
        assert item[var] == {"date-parts": [parts]}
        assert item["custom"] == {key: [text]}
        assert messages == [
            f"t:3: warning: {key} {text!r}: an open range; only its end is a date; kept in custom"
        ]


# CSL-JSON: the reader's silent losses found by the fresh-clone review (issue 14, review
# items 6-9); each row is a class of items the reader now places or keeps with one warning.


def csl(fragment: str) -> str:
    """One CSL-JSON item: id k, a book titled T (a title in ``fragment`` comes first), plus
    the members in ``fragment`` (raw JSON text: repeated keys stay repeated)."""
    return '[{"id": "k", "type": "book", ' + fragment + ', "title": "T"}]'


CSLJSON_CASES = [
    # citeproc-js's open range, an end of zeros, is one (tests/test_open_ranges.py)
    pytest.param(csl('"issued": {"date-parts": [[2018, 2], [0]]}'),
                 {"issued": {"date-parts": [[2018, 2], [0, 0]]}, "custom": None}, [],
                 id="open-end"),
    # 6: a date object: what the date does not carry is kept, what agrees is no noise
    pytest.param(csl('"issued": {"raw": "c. 1900"}'),
                 {"issued": {"date-parts": [[1900]], "circa": True}}, [], id="raw-circa"),
    pytest.param(csl('"issued": {"raw": "c. 1900", "circa": false}'),
                 {"issued": {"date-parts": [[1900]], "circa": True}}, [], id="raw-circa-false"),
    pytest.param(csl('"issued": {"date-parts": [[2000]], "raw": "2000"}'),
                 {"issued": {"date-parts": [[2000]]}, "custom": None}, [], id="raw-agrees"),
    pytest.param(csl('"issued": {"date-parts": [[2000]], "season": 4, "raw": "Winter 2000"}'),
                 {"issued": {"date-parts": [[2000]], "season": 4}, "custom": None}, [],
                 id="raw-with-season-agrees"),
    pytest.param(csl('"issued": {"date-parts": [[2000]], "raw": "Winter 2000 x"}'),
                 {"issued": {"date-parts": [[2000]]}, "custom": {"issued.raw": ["Winter 2000 x"]}},
                 ["t:1: warning: issued.raw \"Winter 2000 x\": is not the date read; kept in"
                  " custom"], id="raw-says-more"),
    pytest.param(csl('"issued": {"date-parts": [[2000]], "literal": "sometime"}'),
                 {"issued": {"date-parts": [[2000]]}, "custom": {"issued.literal": ["sometime"]}},
                 ["t:1: warning: issued.literal \"sometime\": is not the date read; kept in"
                  " custom"], id="literal-beside-parts"),
    pytest.param(csl('"issued": {"raw": "2000", "literal": "2000 or so"}'),
                 {"issued": {"date-parts": [[2000]]}, "custom": {"issued.literal": ["2000 or so"]}},
                 ["t:1: warning: issued.literal \"2000 or so\": is not the date read; kept in"
                  " custom"], id="literal-beside-raw"),
    pytest.param(csl('"issued": {"date-parts": "x", "raw": "2000"}'),
                 {"issued": {"date-parts": [[2000]]}, "custom": {"issued.date-parts": ["x"]}},
                 ["t:1: warning: issued.date-parts \"x\": is not the date read; kept in custom"],
                 id="unusable-parts-beside-raw"),
    pytest.param(csl('"issued": {"date-parts": [[2000]], "foo": {"a": 1}}'),
                 {"issued": {"date-parts": [[2000]]}, "custom": {"issued.foo": ['{"a": 1}']}},
                 ["t:1: warning: unknown CSL date key issued.foo; kept in custom"],
                 id="unknown-date-key"),
    # 7: a key given twice: the first value is used, the later kept (as BibTeX does)
    pytest.param('[{"id": "k", "type": "book", "title": "A", "title": "B"}]',
                 {"title": "A", "custom": {"title": ["B"]}},
                 ["t:1: warning: repeated title; the first value is used, this one is kept in"
                  " custom"], id="repeated-title"),
    pytest.param('[{"id": "k", "type": "book", "title": "A", "title": "A"}]',
                 {"title": "A", "custom": None}, [],
                 id="repeated-same-value"),
    pytest.param(csl('"volume": 3, "volume": [1]'), {"volume": "3", "custom": {"volume": ["[1]"]}},
                 ["t:1: warning: repeated volume; the first value is used, this one is kept in"
                  " custom"], id="repeated-other-shape"),
    pytest.param(csl('"custom": {"n": "1", "n": ["2", "3"]}'), {"custom": {"n": ["1", "2", "3"]}},
                 ["t:1: warning: repeated n; the first value is used, this one is kept in"
                  " custom"] * 2, id="repeated-in-custom"),
    pytest.param(csl('"author": [{"family": "X", "family": "Y"}]'),
                 {"author": [{"family": "X"}], "custom": {"author[0].family": ["Y"]}},
                 ["t:1: warning: repeated author[0].family; the first value is used, this one is"
                  " kept in custom"], id="repeated-in-name"),
    pytest.param(csl('"issued": {"raw": "2000", "raw": "2001"}'),
                 {"issued": {"date-parts": [[2000]]}, "custom": {"issued.raw": ["2001"]}},
                 ["t:1: warning: repeated issued.raw; the first value is used, this one is kept"
                  " in custom"], id="repeated-in-date"),
    # 8: the item's id stays its id; a differing citation-key is the CSL variable
    pytest.param('[{"id": "qqid", "citation-key": "qqck", "type": "book", "title": "T"}]',
                 {"id": "qqid", "citation-key": "qqck", "custom": None}, [], id="id-and-key"),
    pytest.param('[{"id": "qq", "citation-key": "qq", "type": "book", "title": "T"}]',
                 {"citation-key": "qq", "custom": None}, [], id="id-is-key"),
    # a record number or a Zotero URI is no citation key (issue 20): the id stays the id, a
    # key is made
    pytest.param('[{"id": 12, "type": "book", "title": "T"}]',
                 {"id": "12", "citation-key": None, "custom": None}, [], id="numeric-id"),
    pytest.param('[{"id": "http://zotero.org/users/1/items/AB", "type": "book", "title": "T"}]',
                 {"id": "http://zotero.org/users/1/items/AB", "citation-key": None,
                  "custom": None}, [], id="zotero-uri-id"),
    pytest.param('[{"id": true, "type": "book", "title": "T"}]',
                 {"citation-key": None, "custom": {"id": ["true"]}},
                 ["t:1: warning: cannot read id true; kept in custom"], id="boolean-id"),
    # 9: each shape as what it is: never Python's repr
    pytest.param(csl('"keyword": ["a", "b"]'), {"keyword": "a, b", "custom": None}, [],
                 id="keyword-list"),
    pytest.param(csl('"keyword": ["a", 1]'), {"keyword": None, "custom": {"keyword": ['["a", 1]']}},
                 ['t:1: warning: keyword ["a", 1]: not text; kept in custom'],
                 id="keyword-list-not-strings"),
    pytest.param(csl('"issue": true'), {"issue": None, "custom": {"issue": ["true"]}},
                 ["t:1: warning: issue true: not text; kept in custom"], id="boolean-variable"),
    pytest.param(csl('"note": null'), {"note": None, "custom": {"note": ["null"]}},
                 ["t:1: warning: note null: not text; kept in custom"], id="null-variable"),
    pytest.param(csl('"volume": 3, "page": 2.0, "issue": 1.5'),
                 {"volume": "3", "page": "2", "issue": "1.5", "custom": None}, [],
                 id="numbers-as-written"),
    pytest.param(csl('"ISBN": ["1", "2"]'), {"ISBN": None, "custom": {"ISBN": ['["1", "2"]']}},
                 ['t:1: warning: ISBN ["1", "2"]: not text; kept in custom'], id="list-isbn"),
    pytest.param(csl('"author": "Smith, J."'), {"custom": {"author": ["Smith, J."]}},
                 ['t:1: warning: author "Smith, J.": not a list of names; kept in custom'],
                 id="names-not-a-list"),
    pytest.param(csl('"author": [{"family": null, "given": "A"}]'),
                 {"author": [{"given": "A"}], "custom": {"author[0].family": ["null"]}},
                 ["t:1: warning: author[0].family null: not text; kept in custom"],
                 id="name-part-null"),
    pytest.param(csl('"custom": {"l": ["a", "b"], "c": 2}'),
                 {"custom": {"c": ["2"], "l": ["a", "b"]}}, [], id="custom-strings-and-number"),
    pytest.param(csl('"custom": {"n": null, "o": {"b": 1, "a": 1}, "f": false}'),
                 {"custom": {"f": ["false"], "n": ["null"], "o": ['{"a": 1, "b": 1}']}},
                 ["t:1: warning: custom n null: not text; kept in custom as JSON text",
                  't:1: warning: custom o {"a": 1, "b": 1}: not text; kept in custom as JSON text',
                  "t:1: warning: custom f false: not text; kept in custom as JSON text"],
                 id="custom-other-shapes"),
]  # fmt: skip


def _csl_item(text: str, diagnostics: Diagnostics) -> dict[str, Any]:
    (record,) = read("csljson", text, diagnostics)
    return record_to_csl(record)


@pytest.mark.parametrize(("text", "fragment", "warnings"), CSLJSON_CASES)
def test_csljson_places_or_keeps_each_shape_with_one_warning(text, fragment, warnings):
    diagnostics = Collected()
    item = _csl_item(text, diagnostics)
    assert {key: item.get(key) for key in fragment} == fragment
    assert [str(m) for m in diagnostics.messages] == warnings


CSLJSON_KEPT = [case for case in CSLJSON_CASES if case.values[2]]


@pytest.mark.parametrize(("text", "fragment", "warnings"), CSLJSON_KEPT)
def test_csljson_kept_values_fail_strict_and_are_counted(text, fragment, warnings):
    with pytest.raises(RefconvError, match="--strict"):
        read("csljson", text, Collected(strict=True))
    diagnostics = Collected()
    read("csljson", text, diagnostics)
    assert sum(diagnostics.kept_values.values()) == len(warnings)


@pytest.mark.parametrize("text", [case.values[0] for case in CSLJSON_CASES])
def test_csljson_kept_shapes_are_fixed_points(text):
    once = convert("csljson", "csljson", text)
    assert convert("csljson", "csljson", once) == once


_CSL_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=5)  # NUL: U+FFFD
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**6), 10**6) | _CSL_TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_CSL_TEXT, inner, max_size=3),
    max_leaves=6,
)  # fmt: skip


@given(value=_JSON, where=st.sampled_from(["note", "ISBN", "keyword", "custom"]))
@settings(max_examples=150, deadline=None)
def test_csljson_no_value_becomes_python_syntax(value, where):
    """Any JSON value in a text variable, ``keyword`` or a custom entry is read as what it
    is: a string or number as written, a list of strings as a list; any other shape is kept
    whole as JSON text (a warning says so) that reads back as the same value."""
    member = {"custom": {"x": value}} if where == "custom" else {where: value}
    diagnostics = Collected()
    item = _csl_item(json.dumps([{"id": "k", "type": "book", "title": "T", **member}]),
                     diagnostics)  # fmt: skip
    key = "x" if where == "custom" else where
    found = item.get(key) if where != "custom" else None
    kept = item.get("custom", {}).get(key)
    if isinstance(value, str) and where == "keyword" and value.strip():
        # CSL-JSON's keyword string is a list: split at ";" (or ","), separators no data; one
        # that is only separators is the keyword as written
        sep = ";" if ";" in value else ","
        pieces = [k.strip() for k in value.split(sep) if k.strip()] or [value.strip()]
        assert found is not None
        out_sep = ";" if ";" in found else ","
        assert ([k.strip() for k in found.split(out_sep) if k.strip()] or [found]) == pieces
    elif isinstance(value, str) and (value.strip() or where != "keyword"):
        assert (found if found is not None else kept) in ([value], value, value.strip())
    elif isinstance(value, int) and not isinstance(value, bool):
        assert str(value) in (found, *(kept or ()))
    elif (
        where in ("keyword", "custom")
        and isinstance(value, list)
        and all(isinstance(v, str) for v in value)
    ):
        assert diagnostics.messages == []
    elif not isinstance(value, str):
        assert kept == [json.dumps(value, ensure_ascii=False, sort_keys=True)]
        assert json.loads(kept[0]) == value
        assert len(diagnostics.messages) == 1
    for text in [found or "", *(kept or ())]:
        assert "None" not in text.replace("null", "") or "None" in json.dumps(value)


@pytest.mark.parametrize(
    ("dst", "shown"),
    [
        pytest.param("csljson", '"id": "qqid"', id="csljson-id-stays"),
        pytest.param("bibtex", "@book{qqck,", id="bibtex-key-is-citation-key"),
        pytest.param("ris", "ID  - qqck", id="ris-id-is-citation-key"),
        pytest.param("refer", "%F qqck", id="refer-label-is-citation-key"),
    ],
)
def test_csljson_id_and_a_differing_citation_key_both_survive(dst, shown):
    """The item's id is what documents cite a CSL-JSON file by; ``citation-key`` is the key
    of BibTeX and co. (Zotero and Better BibTeX export it so). Through every writer both are
    kept: the key written, the other in the note (or the CSL-JSON item)."""
    from refconv.api import convert as api_convert

    text = '[{"id": "qqid", "citation-key": "qqck", "type": "book", "title": "T"}]'
    out = api_convert(io.StringIO(text), None, "csljson", dst, diagnostics=Collected())
    assert out is not None and shown in out
    # BibTeX: in the refconv field, the key quoted so that it reads back as the custom key
    shown_id = {"csljson": "qqck", "bibtex": '"CSL id": qqid'}.get(dst, "CSL id: qqid")
    assert shown_id in out
    back = api_convert(io.StringIO(out), None, dst, "csljson", diagnostics=Collected())
    assert back is not None and "qqid" in back and "qqck" in back


# Dates in notes and date fields that hold less than the date (issue 14, review items 1-4
# and the repeated RIS tags of 11): the fields hold what they can, the note the whole date;
# a note date replaces the fields' date only when that is its reduction, else stays a note.

_DATE_FIELD = {  # variable -> (BibTeX field and value, RIS tag line) that give it 2000
    "issued": ("year = {2000}", "PY  - 2000"),
    "accessed": ("urldate = {2000}", "Y2  - 2000///"),
    "event-date": ("eventdate = {2000}", None),
    "original-date": ("origdate = {2000}", None),
}
NOTE_BESIDE_FIELD = [
    pytest.param(fmt, var, line, id=f"{fmt}-{var}-{line.split(': ')[1].replace(' ', '_')}")
    for var, (bib, ris_tag) in _DATE_FIELD.items()
    for fmt, field in (("bibtex", bib), ("ris", ris_tag))
    if field is not None
    for line in (f"{var}: 1999", f"{var}: 2000/03", f"{var}: 1999-2000", f"{var}: Winter 1999")
]


def _with_note(fmt: str, var: str, line: str) -> str:
    bib, ris_tag = _DATE_FIELD[var]
    if fmt == "bibtex":
        return f"@article{{k, title = {{T}}, {bib}, note = {{{line}}}}}\n"
    return ris(ris_tag or "", f"N1  - {line}")


@pytest.mark.parametrize(("fmt", "var", "line"), NOTE_BESIDE_FIELD)
def test_a_note_date_beside_the_records_own_date_field_is_kept_as_written(fmt, var, line):
    """Review item 1/4: ``year = {2000}`` with the note ``issued: 1999`` (and every date
    variable, BibTeX and RIS): the field is the date, the line stays in the note as written,
    no warning (nothing is lost), unless the field holds exactly what the writer writes in it
    for the note's date (``issued: 1999-2000`` beside ``PY 1999`` would be; 2000 is not)."""
    diagnostics = Collected()
    (record,) = read(fmt, _with_note(fmt, var, line), diagnostics)
    item = record_to_csl(record)
    assert item[var] == ({"date-parts": [[2000]]})
    assert item["note"] == line
    assert "custom" not in item and diagnostics.messages == []


REDUCED_IN_FIELDS = [
    # (fmt, input, the date the note restores): the field holds the writer's reduction
    pytest.param("bibtex", "year = {2005}, note = {issued: Mar-Apr 2005}",
                 {"date-parts": [[2005, 3], [2005, 4]]}, id="bibtex-months-of-a-year"),
    pytest.param("bibtex", "year = {1999--2000}, note = {issued: 1999/12 - 2000/01}",
                 {"date-parts": [[1999, 12], [2000, 1]]}, id="bibtex-months-across-years"),
    pytest.param("bibtex", "year = {2005}, month = mar,"
                 " note = {issued: 2005/03/01 - 2005/03/15}",
                 {"date-parts": [[2005, 3, 1], [2005, 3, 15]]}, id="bibtex-days-of-a-month"),
    pytest.param("bibtex", "date = {1999/2000}, note = {issued: Winter 1999-2000}",
                 {"date-parts": [[1999], [2000]], "season": 4}, id="biblatex-season-range"),
    pytest.param("bibtex", "urldate = {2019-03}, note = {accessed: Spring 2019/03}",
                 {"date-parts": [[2019, 3]], "season": 1}, id="biblatex-season-month"),
    pytest.param("ris", "PY  - 1996\nN1  - issued: 1996-2004",
                 {"date-parts": [[1996], [2004]]}, id="ris-range"),
    pytest.param("ris", "PY  - 2000\nN1  - issued: Winter 2000",
                 {"date-parts": [[2000]], "season": 4}, id="ris-season"),
    pytest.param("ris", "PY  - 1996\nN1  - issued: ca. 1996/05",
                 {"date-parts": [[1996, 5]], "circa": True}, id="ris-circa"),
]  # fmt: skip


@pytest.mark.parametrize(("fmt", "fields", "date"), REDUCED_IN_FIELDS)
def test_a_note_date_whose_reduction_the_fields_hold_replaces_it(fmt, fields, date):
    text = f"@misc{{k, title = {{T}}, {fields}}}\n" if fmt == "bibtex" else ris(fields)
    diagnostics = Collected()
    (record,) = read(fmt, text, diagnostics)
    item = record_to_csl(record)
    var = "accessed" if "accessed" in fields else "issued"
    assert item[var] == date
    assert "note" not in item and "custom" not in item and diagnostics.messages == []


@pytest.mark.parametrize("fmt", ["ris", "bibtex"])
def test_a_date_note_line_with_more_lines_is_a_note(fmt):
    """Review item 4: only one line is a date; "issued: 1999" continued by "Reviewed by X"
    is a note, with or without a date field beside it."""
    for dated in (True, False):
        if fmt == "ris":
            text = ris(*(["PY  - 2000"] if dated else []), "N1  - issued: 1999", "Reviewed by X")
        else:
            year = "year = {2000}, " if dated else ""
            text = f"@misc{{k, title = {{T}}, {year}note = {{issued: 1999\nReviewed by X}}}}\n"
        (record,) = read(fmt, text)
        item = record_to_csl(record)
        assert item.get("issued") == ({"date-parts": [[2000]]} if dated else None)
        assert item["note"].split() == ["issued:", "1999", "Reviewed", "by", "X"]


# Every date shape through each writer that cannot hold all of it, for every date variable:
# read back exactly, with no note or custom left, and a fixed point (review item 2).
DATE_SHAPES = [
    {"date-parts": parts, **extra}
    for parts in ([[1999]], [[1999, 3]], [[1999, 3, 5]], [[1999], [2000]],
                  [[1999, 12], [2000, 1]], [[2005, 3], [2005, 4]], [[2005, 3, 1], [2005, 3, 15]],
                  [[2005, 3, 1], [2005, 4, 2]], [[1999], [2000, 1]], [[-44]], [[-44], [-40]],
                  [[-44, 3]])
    for extra in ({}, {"season": 4}, {"circa": True}, {"season": 1, "circa": True})
] + [{"literal": "sometime soon"}]  # fmt: skip


@pytest.mark.parametrize("dst", ["bibtex", "biblatex", "ris", "refer"])
@pytest.mark.parametrize("var", ["issued", "accessed", "event-date", "original-date"])
def test_every_date_shape_reads_back_exactly_from_every_writer(dst, var):
    for date in DATE_SHAPES:
        item = {"id": "k", "type": "book", "title": "T", var: date}
        once = convert("csljson", dst, json.dumps([item]))
        (back,) = read(dst, once)
        got = record_to_csl(back)
        assert got[var] == date, (date, once)
        assert "note" not in got and "custom" not in got, (date, once)
        assert convert(dst, dst, once) == once, (date, once)


@pytest.mark.parametrize(
    ("text", "date"),
    [
        pytest.param("%D Winter 1999/2000", {"date-parts": [[1999], [2000]], "season": 4},
                     id="refer-season-year-range"),
        pytest.param("%D 1999/2000 Winter", {"date-parts": [[1999], [2000]], "season": 4},
                     id="refer-year-range-season"),
        pytest.param("%D Spring Mar-Apr 2005",
                     {"date-parts": [[2005, 3], [2005, 4]], "season": 1},
                     id="refer-season-month-range"),
        pytest.param("%D ca. Winter 1999-2000",
                     {"date-parts": [[1999], [2000]], "season": 4, "circa": True},
                     id="refer-circa-season-range"),
    ],
)  # fmt: skip
def test_a_season_beside_a_range_is_carried(text, date):
    """Review item 3: the CSL-JSON schema has ``season`` beside one or two date-parts
    (csl-data.json, date-variable), so a season next to a range is part of the date."""
    diagnostics = Collected()
    (record,) = read("refer", f"%0 Journal Article\n%T T\n{text}\n", diagnostics)
    assert record_to_csl(record)["issued"] == date
    assert diagnostics.messages == []
    for fmt, shown in (("ris", "PY  - Winter 1999/2000"), ("bibtex", "date = {Winter 1999/2000}"),
                       ("csljson", '"raw": "Winter 1999/2000"')):  # fmt: skip
        if fmt == "csljson":
            source = '[{"id": "k", "type": "book", "title": "T", "issued": {' + shown + "}}]"
        elif fmt == "bibtex":
            source = f"@misc{{k, title = {{T}}, {shown}}}\n"
        else:
            source = ris(shown)
        (other,) = read(fmt, source)
        assert record_to_csl(other)["issued"] == {"date-parts": [[1999], [2000]], "season": 4}


def test_repeated_ris_tags_are_a_fixed_point_and_keep_each_value():
    """Review item 11: VL 1, VL 2, IS 3, IS 4 keep the first values in fields, the others in
    custom under their tags, and RIS → CSL-JSON → RIS writes them back under those tags."""
    text = ris("VL  - 1", "VL  - 2", "IS  - 3", "IS  - 4")
    (record,) = read("ris", text)
    item = record_to_csl(record)
    assert (item["volume"], item["issue"]) == ("1", "3")
    assert item["custom"] == {"VL": ["2"], "IS": ["4"]}
    once = convert("csljson", "ris", convert("ris", "csljson", text))
    assert [line for line in once.splitlines() if line[:2] in ("VL", "IS", "N1")] == [
        "VL  - 1", "VL  - 2", "IS  - 3", "IS  - 4"
    ]  # fmt: skip
    assert convert("csljson", "ris", convert("ris", "csljson", once)) == once


# --- names, custom keys named like variables, line separators (review 14: 5, 10, 11, 12) ----

DROPPING = (
    '[{"id": "k", "type": "book", "title": "T", "author": [{"family": "Gaulle", '
    '"given": "Charles", "dropping-particle": "de"}]}]'
)


@pytest.mark.parametrize(
    ("dst", "written"),
    [
        ("ris", "AU  - Gaulle, Charles de"),
        ("refer", "%A Gaulle, Charles de"),
        ("bibtex", "author = {Gaulle, Charles de}"),
        ("biblatex", "author = {Gaulle, Charles de}"),
        ("csljson", '"dropping-particle": "de"'),
    ],
)
def test_a_dropping_particle_is_written_after_the_given_name(dst, written):
    """CSL's dropping particle goes where CSL's own inverted form and BibTeX's "Last, First"
    put it: after the given name (in First, so bibtex and biber print it before the family
    name and sort by the family name, unlike "de Gaulle, Charles", whose "de" is von)."""
    assert written in convert("csljson", dst, DROPPING)


@pytest.mark.parametrize(
    "dst",
    [
        "ris",
        "refer",
        "csljson",
        "bibtex",
        "biblatex",
    ],
)  # fmt: skip
def test_a_dropping_particle_reads_back_through_every_writer(dst):
    back = json.loads(convert(dst, "csljson", convert("csljson", dst, DROPPING)))
    assert back[0]["author"] == [
        {"family": "Gaulle", "given": "Charles", "dropping-particle": "de"}
    ]


NAMES_BACK = [
    pytest.param({"family": "余", "given": "敏"}, id="cjk-family-given"),
    pytest.param({"given": "Plato"}, id="given-only"),
    pytest.param({"family": "Gogh", "non-dropping-particle": "van"}, id="family-and-particle"),
    pytest.param({"literal": "Qqorg, Inc."}, id="literal-with-comma"),
    pytest.param({"family": "Gaulle", "given": "C.", "dropping-particle": "de", "suffix": "Jr."},
                 id="dropping-particle-and-suffix"),
    pytest.param({"family": "Carmen", "given": "Maria del Carmen"}, id="particle-inside-given"),
]  # fmt: skip


@pytest.mark.parametrize("dst", ["ris", "refer"])
@pytest.mark.parametrize("person", NAMES_BACK)
def test_every_name_ris_and_refer_write_reads_back_equal(person, dst):
    item = json.dumps([{"id": "k", "type": "book", "title": "T", "author": [person]}])
    back = json.loads(convert(dst, "csljson", convert("csljson", dst, item)))
    assert back[0]["author"] == [person]
    assert "note" not in back[0]


@pytest.mark.parametrize(
    ("src", "text"),
    [("ris", ris("AU  - Qqorg, Inc.,")), ("refer", "%0 Book\n%T T\n%A Qqorg, Inc.,\n")],
)
def test_a_trailing_comma_organisation_with_a_comma_is_read_without_it(src, text):
    """EndNote's trailing comma marks an organisation; it is no part of the name."""
    (record,) = read(src, text)
    assert [p.literal for p in record.names["author"]] == ["Qqorg, Inc."]
    once = convert(src, src, text)
    assert convert(src, src, once) == once


@pytest.mark.parametrize("dst", ["ris", "refer"])
def test_a_name_family_given_cannot_say_is_kept_custom_and_counted(dst):
    """Read as a name it would be another name, so it is kept under a quoted key."""
    item = (
        '[{"id": "k", "type": "book", "title": "T", "author": [{"family": "Smith", '
        '"given": "Ann"}, {"family": "Della Porta"}]}]'
    )
    diagnostics = Collected()
    out = io.StringIO()
    WRITERS[dst](diagnostics=diagnostics).write(read("csljson", item), out)
    assert '"author": Della Porta' in out.getvalue()
    assert diagnostics.moved[({"ris": "N1", "refer": "%Z"}[dst], "author")] == 1
    back = json.loads(convert(dst, "csljson", out.getvalue()))[0]
    assert back["author"] == [{"family": "Smith", "given": "Ann"}]
    assert back["custom"] == {"author": ["Della Porta"]}
    assert "note" not in back
    with pytest.raises(RefconvError, match="author has no field"):
        WRITERS[dst](diagnostics=Collected(strict=True)).write(read("csljson", item), out)


@pytest.mark.parametrize("dst", ["ris", "refer", "bibtex", "biblatex"])
def test_a_role_note_never_splits_one_name_into_two(dst):
    """A role without a field is one "role: A and B" note line; a name with " and " in it
    would read back as two, so it is kept under a quoted key instead."""
    role = "interviewer"  # no field in any of these formats
    item = json.dumps(
        [{"id": "k", "type": "book", "title": "T",
          role: [{"literal": "Ann and Bob"}, {"family": "Smith", "given": "J."}]}]
    )  # fmt: skip
    back = json.loads(convert(dst, "csljson", convert("csljson", dst, item)))[0]
    assert back[role] == [{"family": "Smith", "given": "J."}]
    assert back["custom"] == {role: ["Ann and Bob,"]}  # as the note wrote it


_NAME_PART = st.lists(
    st.sampled_from(["Ann", "de", "van", "Della", "Porta", "J.", "余", "敏", "Inc.", "and", ","]),
    max_size=3,
).map(lambda words: " ".join(" ".join(words).split()))
_CSL_NAME = st.one_of(
    st.builds(lambda lit: {"literal": lit or "Org"}, _NAME_PART),
    st.fixed_dictionaries(
        {},
        optional={
            k: _NAME_PART.filter(bool)
            for k in ("family", "given", "non-dropping-particle", "dropping-particle", "suffix")
        },
    ).filter(bool),
)


@given(
    people=st.lists(_CSL_NAME, min_size=1, max_size=3),
    dst=st.sampled_from(["ris", "refer", "bibtex", "biblatex"]),
    role=st.sampled_from(["author", "director", "translator", "interviewer"]),
)
@example(people=[{"literal": "余 and"}, {"family": "Ann"}], dst="ris", role="director")
@settings(max_examples=150, deadline=None)
def test_every_name_comes_back_as_itself_or_kept_and_is_a_fixed_point(people, dst, role):
    item = json.dumps([{"id": "k", "type": "book", "title": "T", role: people}])
    once = convert(dst, "csljson", convert("csljson", dst, item))
    assert convert(dst, "csljson", convert("csljson", dst, once)) == once
    if dst in ("ris", "refer"):  # BibTeX's own name syntax is checked by test_bibtex
        back = json.loads(once)[0]
        came = back.get(role, []) + back.get("custom", {}).get(role, [])
        assert len(came) == len(people)  # each name once: as a name or kept (custom)
        assert "note" not in back


CUSTOM_NAMED_LIKE_A_VARIABLE = (
    '[{"id": "k", "type": "book", "title": "T", "custom": {"DOI": "10.1/qqx", '
    '"Translated Author (%H)": "Yu Min", "issue": "7"}}]'
)  # in the order the CSL-JSON writer gives custom keys (sorted)


@pytest.mark.parametrize("dst", ["ris", "refer", "bibtex", "biblatex"])
def test_a_custom_key_named_like_a_variable_reads_back_as_custom(dst):
    """Quoted in the note ("DOI": 10.1/qqx), so it forges no DOI and comes back custom."""
    written = convert("csljson", dst, CUSTOM_NAMED_LIKE_A_VARIABLE)
    assert '"DOI": 10.1/qqx' in written
    back = json.loads(convert(dst, "csljson", written))[0]
    assert "DOI" not in back and "issue" not in back and "note" not in back
    assert back["custom"] == {
        "DOI": ["10.1/qqx"],
        "Translated Author (%H)": ["Yu Min"],
        "issue": ["7"],
    }
    assert convert("csljson", dst, json.dumps([back])) == written


@pytest.mark.parametrize(
    ("line", "keyed"),
    [
        ('"DOI": 10.1/x', ("DOI", "10.1/x")),  # a quoted key that is a variable: custom
        ('"Translated Author (%H)": Yu', ("Translated Author (%H)", "Yu")),
        ('"shelf": B1', None),  # quoted, but unquoted no key either: an ordinary note
        ('"DOI: 10.1/x"', None),
        ("DOI: 10.1/x", ("DOI", "10.1/x")),
    ],
)
def test_parse_note_line_reads_a_quoted_key_as_a_custom_key(line, keyed):
    from refconv.notes import CustomKey, parse_note_line

    got = parse_note_line(line)
    assert got == keyed
    assert isinstance(got[0], CustomKey) is line.startswith('"') if got else True


def test_a_one_line_note_doi_the_refer_reader_refuses_is_a_fixed_point():
    """A restored DOI that is no DOI to the Refer reader (it keeps such a %R as custom) is
    written by the Refer writer as the note line it came from."""
    item = '[{"id": "k", "type": "book", "title": "T", "note": "DOI: 10.1/x"}]'
    once = convert("refer", "csljson", convert("csljson", "refer", item))
    assert json.loads(once)[0]["DOI"] == "10.1/x"
    assert "%Z DOI: 10.1/x" in convert("csljson", "refer", once)
    assert convert("refer", "csljson", convert("csljson", "refer", once)) == once


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85", "\x0b"])
def test_a_line_separator_in_a_refer_field_joined_by_spaces_is_a_fixed_point(separator):
    text = f"%0 Book\n%T T{separator}U\n%I A{separator}B\n%X a{separator}b\n"
    once = convert("refer", "refer", text)
    assert "%T T U\n%I A B\n" in once  # the reader joins these with a space
    assert "%X a\nb\n" in once  # and the abstract with a line break
    assert convert("refer", "refer", once) == once


# R3: writers put the value lines first (notes.arrange_notes), so readers restore only the
# leading run of note lines that restore exactly; from the first line that does not, the
# note stays as written.
LEADING_RUN = [
    pytest.param("bibtex", bib("note = {see p. 3; DOI: 10.1/zz}"),
                 {"note": "see p. 3; DOI: 10.1/zz"}, ("DOI",), id="bibtex-own-note-first"),
    pytest.param("bibtex", bib("note = {Reprint; issued: 1999; edition: 2}", kind="book"),
                 {"note": "Reprint; issued: 1999; edition: 2"}, ("issued", "edition"),
                 id="bibtex-nothing-after-own-note"),
    pytest.param("bibtex", bib("note = {issued: 1999; Reprint; edition: 2}", kind="book"),
                 {"issued": {"date-parts": [[1999]]}, "note": "Reprint; edition: 2"},
                 ("edition",), id="bibtex-leading-value-restored"),
    pytest.param("bibtex", bib("year = {2000}", "note = {issued: 1999; edition: 2}",
                               kind="book"),
                 {"issued": {"date-parts": [[2000]]}, "note": "issued: 1999; edition: 2"},
                 ("edition",), id="bibtex-first-line-refused-stops-the-run"),
    pytest.param("ris", ris("N1  - plain", "N1  - issue: 7"), {"note": "plain\nissue: 7"},
                 ("issue",), id="ris-N1-value-after-plain"),
    pytest.param("ris", ris("N1  - issue: 7", "N1  - plain", "N1  - volume: 2"),
                 {"issue": "7", "note": "plain\nvolume: 2"}, ("volume",),
                 id="ris-N1-leading-value-restored"),
    pytest.param("refer", refer("%Z plain", "%Z issue: 7"), {"note": "plain\nissue: 7"},
                 ("issue",), id="refer-Z-value-after-plain"),
    pytest.param("refer", refer("%Z issue: 7", "%Z plain", "%Z volume: 2"),
                 {"issue": "7", "note": "plain\nvolume: 2"}, ("volume",),
                 id="refer-Z-leading-value-restored"),
]  # fmt: skip


@pytest.mark.parametrize(("fmt", "text", "fragment", "absent"), LEADING_RUN)
def test_readers_restore_only_the_leading_run_of_value_lines(fmt, text, fragment, absent):
    diagnostics = Collected()
    (item,) = json.loads(convert(fmt, "csljson", text))
    assert _fragment_of(item, fragment) == fragment
    assert not any(key in item for key in absent)
    read(fmt, text, diagnostics)
    assert diagnostics.messages == []


@pytest.mark.parametrize("dst", ["ris", "refer", "bibtex", "biblatex"])
@pytest.mark.parametrize(("fmt", "text", "fragment", "absent"), LEADING_RUN)
def test_a_note_value_line_after_its_text_is_a_fixed_point(fmt, text, fragment, absent, dst):
    once = convert(dst, "csljson", convert("csljson", dst, convert(fmt, "csljson", text)))
    assert not any(key in json.loads(once)[0] for key in absent)  # still the note's text
    assert convert(dst, "csljson", convert("csljson", dst, once)) == once


# R2: a custom key named like a tag of the writer's format is written as that tag only when
# the reader keeps the tag line as the same custom value again; any other goes to the note
# under its quoted key, is counted by --report, fails --strict and reads back as custom.
TAG_NAMED_CUSTOM = [
    *[pytest.param("ris", key, value, id=f"ris-{key}") for key, value in (
        ("AU", "Smith, J."), ("PY", "1999"), ("UR", "http://a.example"), ("KW", "kw"),
        ("DO", "10.1/x"), ("TY", "JOUR"), ("ER", "x"), ("N1", "n"), ("DA", "1999/03/05/"),
        ("C2", "PMC1"), ("VL", "3"), ("JO", "J"))],
    *[pytest.param("refer", key, value, id=f"refer-{key}") for key, value in (
        ("%A", "Smith, J."), ("%K", "kw"), ("%9", "nine"), ("%Z", "zn"), ("%0", "Journal Article"),
        ("%D", "1999"), ("%8", "1999-03-05"), ("%V", "3"), ("%J", "J"))],
]  # fmt: skip


def _custom_item(key: str, value: str) -> str:
    return json.dumps([{"id": "k", "type": "book", "title": "T", "custom": {key: value}}])


@pytest.mark.parametrize(("dst", "key", "value"), TAG_NAMED_CUSTOM)
def test_a_custom_key_named_like_a_tag_is_kept_custom_and_counted(dst, key, value):
    item = _custom_item(key, value)
    diagnostics = Collected()
    out = io.StringIO()
    WRITERS[dst](diagnostics=diagnostics).write(read("csljson", item), out)
    assert diagnostics.moved[({"ris": "N1", "refer": "%Z"}[dst], note_label(key))] == 1
    back = json.loads(convert(dst, "csljson", out.getvalue()))[0]
    assert back["custom"] == {key: [value]}
    assert set(back) <= {"id", "type", "title", "citation-key", "custom"}  # no field filled
    with pytest.raises(RefconvError, match="--strict"):
        WRITERS[dst](diagnostics=Collected(strict=True)).write(read("csljson", item), out)
    once = convert(dst, "csljson", convert("csljson", dst, item))
    assert convert(dst, "csljson", convert("csljson", dst, once)) == once


# The tags the readers keep themselves still go back as those tags, nothing counted: an
# unknown tag, a repeat of a tag that takes one value, an alias beside the tag that set its
# variable, a date that does not agree with the record's date.
KEPT_TAGS = [
    pytest.param("ris", ris("U9  - zq1"), "U9  - zq1", id="ris-unknown-tag"),
    pytest.param("ris", ris("PY  - 1999", "PY  - 2001"), "PY  - 2001", id="ris-repeated-PY"),
    pytest.param("ris", ris("T2  - A", "JF  - B"), "JF  - B", id="ris-alias-beside-T2"),
    pytest.param("ris", ris("AU  - et al."), "AU  - et al.", id="ris-no-person"),
    pytest.param("refer", refer("%D 2021", "%8 Feb 30"), "%8 Feb 30", id="refer-8-disagrees"),
    pytest.param("refer", refer("%V 1", "%V 2"), "%V 2", id="refer-repeated-V"),
    pytest.param("refer", refer("%A et al."), "%A et al.", id="refer-no-person"),
]  # fmt: skip


@pytest.mark.parametrize(("fmt", "text", "line"), KEPT_TAGS)
def test_a_tag_the_reader_kept_is_written_back_as_that_tag(fmt, text, line):
    diagnostics = Collected()
    out = io.StringIO()
    WRITERS[fmt](diagnostics=diagnostics).write(read(fmt, text), out)
    assert line in out.getvalue().splitlines()
    assert not diagnostics.moved
    once = convert(fmt, "csljson", out.getvalue())
    assert once == convert(fmt, "csljson", text)
    assert convert(fmt, "csljson", convert("csljson", fmt, once)) == once


# R4: a note line of a one-line variable continued by more text is the user's note: it stays
# as written; abstract, note and annote, which the writers keep multi-line, are restored.
@pytest.mark.parametrize("brk", ["\n", "\r", "\u2028", "\x85"])
@pytest.mark.parametrize(("key", "placed"), [("issue", False), ("title-short", False),
                                             ("publisher", False), ("abstract", True),
                                             ("annote", True)])  # fmt: skip
def test_restore_refuses_a_line_break_in_a_one_line_variable(key, placed, brk):
    record = Record()
    assert restore(record, key, f"7{brk}second line") is placed
    assert record.fields == ({key: f"7{brk}second line"} if placed else {})


@pytest.mark.parametrize(
    ("fmt", "text"),
    [
        ("ris", ris("N1  - issue: 7", "second line of my note")),
        ("refer", refer("%Z issue: 7", "second line of my note")),
    ],
)
def test_a_note_value_continued_by_text_stays_in_the_note(fmt, text):
    diagnostics = Collected()
    (record,) = read(fmt, text, diagnostics)
    item = record_to_csl(record)
    assert "issue" not in item
    assert item["note"] == "issue: 7\nsecond line of my note"
    assert diagnostics.messages == []
    for dst in ("ris", "refer", "bibtex", "csljson"):
        once = convert(dst, "csljson", convert(fmt, dst, text))
        assert "issue" not in json.loads(once)[0]
        assert convert(dst, "csljson", convert("csljson", dst, once)) == once


@pytest.mark.parametrize("dst", ["ris", "refer", "bibtex", "biblatex"])
def test_a_multi_line_annote_kept_in_the_note_reads_back(dst):
    item = '[{"id": "k", "type": "book", "title": "T", "annote": "a\\nb"}]'
    back = json.loads(convert(dst, "csljson", convert("csljson", dst, item)))[0]
    assert back["annote"] == "a\nb"


# R6: values.names.reads_back is exact, so a name whose written form reads back as another
# name ("Doe, J. Van": given "J. Van"; "Fontaine, Jean de la": given "Jean", particle "de la")
# is kept in the note as a custom value by every writer that cannot say it, with a warning.
CHANGED_NAMES = [
    pytest.param({"family": "Doe", "given": "J.", "dropping-particle": "Van"},
                 ["ris", "refer", "bibtex", "biblatex"], id="capitalised-dropping-particle"),
    pytest.param({"family": "Fontaine", "given": "Jean de", "dropping-particle": "la"},
                 ["ris", "refer"], id="given-particle-beside-dropping-particle"),
]  # fmt: skip


@pytest.mark.parametrize("dst", ["ris", "refer", "bibtex", "biblatex"])
@pytest.mark.parametrize(("person", "kept_by"), CHANGED_NAMES)
def test_a_name_that_reads_back_changed_is_kept_not_changed(person, kept_by, dst):
    item = json.dumps([{"id": "k", "type": "book", "title": "T", "author": [person]}])
    written = convert("csljson", dst, item)
    back = json.loads(convert(dst, "csljson", written))[0]
    if dst in kept_by:
        assert "author" not in back
        assert len(back["custom"]["author"]) == 1  # as the note wrote it
        with pytest.raises(RefconvError):  # --strict fails on it
            WRITERS[dst](diagnostics=Collected(strict=True)).write(
                read("csljson", item), io.StringIO()
            )
    else:  # BibTeX braces the given name's particle word: "Fontaine, Jean {de} la"
        assert back["author"] == [person]
    once = convert(dst, "csljson", written)
    assert convert(dst, "csljson", convert("csljson", dst, once)) == once  # a fixed point


# --- the note protocol's shortcut agrees with the protocol ---------------------------------

_NOTE_KEYS = st.sampled_from(
    ["issue", "event-place", "abstract", "note", "keyword", "issued", "accessed", "author",
     "editor", "DOI", "%H", "%Z", '"DOI"', '"AU"', "shelf", "Translated Author (%H)"]
)  # fmt: skip
_NOTE_VALUES = st.lists(
    st.sampled_from([*"ab 7,.-/:;&\n\r\u2028", " and ", "1999", "Smith, J.", "2001/03"]),
    max_size=8,
).map("".join)


@given(_NOTE_KEYS, _NOTE_VALUES)
def test_reads_back_is_what_restore_does_on_an_empty_record(key, value):
    """``notes.reads_back`` decides tags and plain text without a trial restore (speed);
    it must give exactly ``restore``'s answer on a record that lacks the value, or
    ``arrange_notes`` puts a line among the values that the reader then stops at."""
    line = f"{key}: {value}"
    keyed = notes.parse_note_line(line)
    expected = keyed is not None and notes.restore(Record(), *keyed)
    assert notes.reads_back(line) == expected
