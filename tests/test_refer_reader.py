"""Refer reader behaviour, mostly the real-world cases of user-needs.md §3 (numbered C1-C30)."""

import pytest

from refconv.formats.refer.read import ReferReader
from refconv.formats.refer.syntax import is_tag_line, split_flattened
from refconv.model import Date, Name

from .conftest import EXAMPLES, read_one, read_refer


def test_seed_flattened_record():
    record = read_one((EXAMPLES / "nahta2012-flat.enw").read_text(encoding="utf-8"))
    assert record.type == "article-journal"
    assert record.fields["title"].startswith("Molecular Mechanisms of Trastuzumab")
    assert record.names["author"] == [Name("Nahta", "Rita")]
    assert record.fields["container-title"] == "ISRN Oncology"
    assert record.dates["issued"] == Date(((2012,),))
    assert record.fields["DOI"] == "10.5402/2012/428062"
    assert record.fields["URL"] == "http://www.hindawi.com/journals/isrn.oncology/2012/428062/"
    abstract = record.fields["abstract"]
    assert abstract.startswith("The past decade of research")
    assert "in 20¨C30% of metastatic breast cancers" in abstract
    assert abstract.endswith("disease progression on prior")
    assert record.extra == {}


def test_c1_classic_initials_first():
    assert read_one("%A J. A. Jones\n%T X\n").names["author"] == [Name("Jones", "J. A.")]


def test_c2_dialects_read_commas_differently():
    classic, warnings = read_refer("%A John Smith, Jr.\n%T X\n")
    assert classic[0].names["author"] == [Name("Smith", "John", suffix="Jr.")]
    assert warnings == []
    endnote = read_one("%0 Book\n%A Smith, John\n%T X\n")
    assert endnote.names["author"] == [Name("Smith", "John")]
    _, warnings = read_refer("%A Smith, John\n%T X\n")
    assert warnings == [
        "t.enw:1: name 'Smith, John' has a comma but no known suffix; read as 'Family, Given'"
    ]


def test_c3_c4_particles_and_compound_surnames():
    record = read_one("%0 Book\n%A van der Berg, Jan\n%A Della Porta, Donatella\n%T X\n")
    assert record.names["author"] == [
        Name("Berg", "Jan", "van der"),
        Name("Della Porta", "Donatella"),
    ]


def test_c5_classic_corporate_author_and_endnote_translated_title():
    classic = read_one("%Q Organization for Economic Cooperation and Development\n%T Outlook\n")
    assert classic.names["author"] == [
        Name(literal="Organization for Economic Cooperation and Development")
    ]
    endnote = read_one("%0 Book\n%A Smith, J.\n%Q Der Titel\n%T The Title\n")
    assert endnote.names["author"] == [Name("Smith", "J.")]
    assert endnote.extra == {"%Q": ["Der Titel"]}


def test_c5_classic_corporate_author_ignored_when_there_are_authors_but_kept():
    record = read_one("%A J. Smith\n%Q Acme Labs\n%T X\n")
    assert record.names["author"] == [Name("Smith", "J.")]
    assert record.extra == {"classic %Q": ["Acme Labs"]}  # not EndNote's Translated Title


# A classic letter whose EndNote meaning differs (refer-format.md §2.3), kept: a header comment
# (%H), an ignored %Y, a corporate author beside authors (%Q), a second label (%L)...
CLASSIC_KEPT = [
    pytest.param("%H A comment", id="H-comment-not-translated-author"),
    pytest.param("%Y Some Body", id="Y-ignored-not-tertiary-author"),
    pytest.param("%A J. Smith\n%Q Acme Labs", id="Q-corporate-not-translated-title"),
    pytest.param("%L k1\n%L Zq Label", id="L-label-not-call-number"),
    pytest.param("%M 12\n%M Zq 13", id="M-memo-not-accession"),
    pytest.param("%G English\n%G Zq GPO", id="G-order-number-not-language"),
    pytest.param("%X one\n%X Zq two", id="X-annotation-not-abstract"),
    pytest.param("%R R-1\n%R Zq R-2", id="R-report-number-not-DOI"),
]


@pytest.mark.parametrize("lines", CLASSIC_KEPT)
@pytest.mark.parametrize("via", ["refer", "ris"])
def test_a_kept_classic_letter_never_takes_its_endnote_meaning(lines, via):
    import io

    from refconv.diagnostics import Collected
    from refconv.formats.csljson.write import record_to_csl
    from refconv.formats.refer.write import ReferWriter
    from refconv.formats.ris.read import RisReader
    from refconv.formats.ris.write import RisWriter

    text = f"{lines}\n%T X\n"
    tag, value = text.splitlines()[len(lines.splitlines()) - 1].split(" ", 1)
    (record,) = ReferReader(diagnostics=Collected()).read(text.splitlines(), "t")
    assert record.extra == {f"classic {tag}": [value]}
    before = record_to_csl(record)
    out = io.StringIO()
    (ReferWriter if via == "refer" else RisWriter)(diagnostics=Collected()).write([record], out)
    reader = ReferReader if via == "refer" else RisReader
    (back,) = reader(diagnostics=Collected()).read(out.getvalue().splitlines(), "t")
    after = record_to_csl(back)
    assert f"classic {tag}: {value}" in after["note"].splitlines()  # as a note, as written
    # every other variable as it was (the key is the key assigner's business)
    ignored = ("note", "custom", "id", "citation-key")
    assert {k: v for k, v in after.items() if k not in ignored} == {
        k: v for k, v in before.items() if k not in ignored
    }


def test_c6_classic_editors_marker():
    record = read_one("%A J. Smith\n%A K. Lee, (eds)\n%T Volume\n%I Pub\n")
    assert "author" not in record.names
    assert record.names["editor"] == [Name("Smith", "J."), Name("Lee", "K.")]
    assert record.type == "book"


def test_c7_cjk_names_and_translated_authors_kept():
    record = read_one("%0 Journal Article\n%A 余敏\n%A 朱江\n%H Yu Min\n%H Zhu Jiang\n%T 标题\n")
    assert record.names["author"] == [Name(literal="余敏"), Name(literal="朱江")]
    assert record.extra == {"%H": ["Yu Min", "Zhu Jiang"]}


def test_c10_doi_forms():
    assert (
        read_one("%0 Journal Article\n%T X\n%R https://doi.org/10.1353/arq.1997.0020\n").fields[
            "DOI"
        ]
        == "10.1353/arq.1997.0020"
    )
    record = read_one("%0 Journal Article\n%T X\n%U http://dx.doi.org/10.1353/arq.1997.0020\n")
    assert record.fields["DOI"] == "10.1353/arq.1997.0020"
    assert record.fields["URL"] == "http://dx.doi.org/10.1353/arq.1997.0020"
    record = read_one("%0 Journal Article\n%T X\n%M doi:10.1353/arq.1997.0020\n")
    assert record.fields == {"title": "X", "DOI": "10.1353/arq.1997.0020"}


def test_c10_classic_non_doi_report_number():
    record = read_one("%T Bok\n%R URN:NBN:no-nb_digibok_2016062048105\n")
    assert record.fields["number"] == "URN:NBN:no-nb_digibok_2016062048105"
    assert "DOI" not in record.fields
    assert record.type == "report"


def test_endnote_non_doi_electronic_resource_number_is_kept():
    record = read_one("%0 Journal Article\n%T X\n%R S0140-6736(20)30183-5\n")
    assert "DOI" not in record.fields
    assert record.extra == {"%R": ["S0140-6736(20)30183-5"]}


def test_c11_c12_identifiers_verbatim():
    record = read_one(
        "%0 Journal Article\n%T X\n%R 10.1175/1520-0485(1996)026<2712:TEOIWU>2.0.CO;2\n"
        "%U https://medium.com/@eam.avelar/o-que-%C3%A9-auc-e-roc\n"
    )
    assert record.fields["DOI"] == "10.1175/1520-0485(1996)026<2712:TEOIWU>2.0.CO;2"
    assert record.fields["URL"] == "https://medium.com/@eam.avelar/o-que-%C3%A9-auc-e-roc"


@pytest.mark.parametrize(
    ("lines", "issued", "status"),
    [
        pytest.param("%D 2012 Mar 15", Date(((2012, 3, 15),)), None, id="c13"),
        pytest.param("%D in press", None, "in press", id="c14_in_press"),
        pytest.param("%D forthcoming", None, "forthcoming", id="c14_forthcoming"),
        pytest.param("%D n.d.", Date(literal="n.d."), None, id="c14_nd"),  # kept as written
        pytest.param("%D 1996-2004", Date(((1996,), (2004,))), None, id="c15_range"),
        pytest.param("%D 1814/1995", Date(((1814,), (1995,))), None, id="c15_two_years"),
        pytest.param("%D 2019\n%8 2019-08-12", Date(((2019, 8, 12),)), None, id="c16"),
        pytest.param("%8 Mar 15\n%D 2012", Date(((2012, 3, 15),)), None, id="c16_partial_first"),
        # what the less detailed of %D and %8 says besides is kept (it was dropped unsaid)
        pytest.param("%D 2001\n%8 Spring 2001", Date(((2001,),), season=1), None, id="c16_season"),
        pytest.param("%D 2001\n%8 ca. 2001", Date(((2001,),), circa=True), None, id="c16_circa"),
        pytest.param(
            "%D ca. 2001\n%8 June 2001", Date(((2001, 6),), circa=True), None, id="c16_circa_kept"
        ),
    ],
)
def test_c13_to_c16_dates(lines, issued, status):
    record = read_one(f"%0 Journal Article\n%T X\n{lines}\n")
    assert record.dates.get("issued") == issued
    assert record.fields.get("status") == status


def test_c16_disagreeing_dates_keep_both():
    records, warnings = read_refer("%0 Journal Article\n%T X\n%D 2019\n%8 2020-01-05\n")
    assert records[0].dates["issued"] == Date(((2019,),))
    assert records[0].extra == {"%8": ["2020-01-05"]}
    assert warnings == [
        "t.enw:4: %8 '2020-01-05': does not agree with the other dates; kept in custom"
    ]


def test_unparseable_date_is_literal_with_warning():
    records, warnings = read_refer("%0 Journal Article\n%T X\n%D the year of the flood\n")
    assert records[0].dates["issued"] == Date(literal="the year of the flood")
    assert warnings == [
        "t.enw:3: %D 'the year of the flood': not a date refconv can read; kept as literal text"
    ]


@pytest.mark.parametrize(
    ("type_name", "tag", "value", "var", "expected"),
    [
        pytest.param("Journal Article", "%P", "332-373", "page", "332-373", id="range"),
        pytest.param("Journal Article", "%P", "435–446", "page", "435-446", id="en_dash"),
        pytest.param("Journal Article", "%P", "94-98,93", "page", "94-98,93", id="list"),
        pytest.param("Journal Article", "%P", "e214", "page", "e214", id="article_number"),
        pytest.param("Book", "%P", "173 s.", "number-of-pages", "173", id="book_extent"),
        pytest.param("Journal Article", "%&", "12", "page-first", "12", id="start_page"),
        pytest.param("Newspaper Article", "%N", "B4", "page", "B4", id="news_start_page"),
    ],
)
def test_c17_pages(type_name, tag, value, var, expected):
    record = read_one(f"%0 {type_name}\n%T X\n{tag} {value}\n")
    assert record.fields[var] == expected


def test_start_page_only_fills_page_when_no_pages():
    record = read_one("%0 Journal Article\n%T X\n%& 12\n%P 12-19\n")
    assert record.fields["page"] == "12-19"
    assert record.fields["page-first"] == "12"


def test_c18_every_continuation_line_is_kept():
    record = read_one(
        "%0 Journal Article\n%T A long\n  title\n%X First line\nsecond line\n"
        "third line\n%A Doe, J.\n"
    )
    assert record.fields["title"] == "A long title"
    assert record.fields["abstract"] == "First line\nsecond line\nthird line"


def test_c19_repeated_tags():
    records, warnings = read_refer(
        "%0 Journal Article\n%T X\n%J 中国出版\n%J China Publishing Journal\n"
        "%K one\ntwo\nthree\n%K a b c\n%G chi\n%G eng\n"
    )
    record = records[0]
    assert record.fields["container-title"] == "中国出版"
    assert record.keywords == ["one", "two", "three", "a b c"]
    assert record.fields["language"] == "chi"
    assert record.extra == {"%J": ["China Publishing Journal"], "%G": ["eng"]}
    assert warnings == [
        "t.enw:4: repeated %J; the first value is used, this one is kept in custom",
        "t.enw:10: repeated %G; the first value is used, this one is kept in custom",
    ]


def test_c20_classic_record_without_type():
    record = read_one(
        "%T Corn\n%A Newman, W. H.\n"
        "%I Uniontown, Ala. : Canebrake Agricultural Experiment Station\n%D 1891\n"
    )
    assert record.type == "book"
    assert record.fields["publisher"] == (
        "Uniontown, Ala. : Canebrake Agricultural Experiment Station"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("%J Nature\n", "article-journal", id="journal"),
        pytest.param("%J Proceedings of the IEEE Symposium\n", "paper-conference", id="conf"),
        pytest.param("%B Collected Works\n", "chapter", id="book_title"),
        pytest.param("%R TR-12\n", "report", id="report"),
        pytest.param("%I MIT Press\n", "book", id="publisher"),
        pytest.param("%M TM-80-1271-1\n", "report", id="bell_memo"),
        pytest.param("%U http://example.org\n", "webpage", id="url"),
        pytest.param("%D 1999\n", "document", id="other"),
    ],
)
def test_classic_type_inference(text, expected):
    assert read_one("%T X\n" + text).type == expected


def test_c21_unknown_and_double_type():
    records, warnings = read_refer("%0 Serial\n%0 Audio\n%T X\n\n%0 Audio\n%T Y\n")
    assert records[0].type == "periodical"
    assert records[0].extra == {"%0": ["Audio"]}
    assert records[1].type == "document"
    assert records[1].extra == {"%0": ["Audio"]}
    assert warnings == [
        "t.enw:2: repeated %0; the first value is used, this one is kept in custom",
        "t.enw:5: unknown reference type 'Audio'; read as Generic (kept in custom)",
    ]


@pytest.mark.parametrize(
    ("value", "csl"),
    [
        ("Journal Article", "article-journal"),
        ("journal article", "article-journal"),
        ("Electronic Source", "webpage"),
        ("Conference Proceeding", "paper-conference"),
        ("Book  Section", "chapter"),
        ("Thesis (PhD)", "thesis"),
    ],
)
def test_type_names_match_loosely(value, csl):
    assert read_one(f"%0 {value}\n%T X\n").type == csl


def test_c25_junk_outside_records():
    records, warnings = read_refer(
        "Record #1 of 784\nProvider: John Wiley & Sons\n\n"
        "%0 Journal Article\n%T X\n\nSearch strategy\n\n%T Y\n"
    )
    assert [r.fields["title"] for r in records] == ["X", "Y"]
    assert warnings == [
        "t.enw:1: skipped 2 lines of text outside any record",
        "t.enw:7: skipped 1 line of text outside any record",
    ]


def test_c26_empty_tag_does_not_swallow_the_next_line():
    record = read_one("%0 Journal Article\n%P\n%T Title\n%V \n%N 3\n")
    assert record.fields == {"title": "Title", "issue": "3"}


def test_c30_semicolon_separated_authors():
    records, warnings = read_refer("%0 Journal Article\n%T X\n%A Smith, J.; Doe, K.; Lee, M.\n")
    assert records[0].names["author"] == [Name("Smith", "J."), Name("Doe", "K."), Name("Lee", "M.")]
    assert warnings == ["t.enw:3: %A holds 3 names; split them"]


def test_ojs_type_in_the_middle():
    record = read_one("%A Doe, Jane\n%D 2016\n%T Title\n%0 Journal Article\n%J Journal\n")
    assert record.type == "article-journal"
    assert record.names["author"] == [Name("Doe", "Jane")]


def test_unknown_tag_kept_and_warned():
    records, warnings = read_refer("%0 Book\n%T X\n%5 five\n%x lower\n")
    assert records[0].extra == {"%5": ["five"], "%x": ["lower"]}
    assert warnings == [
        "t.enw:3: unknown tag %5; kept in custom",
        "t.enw:4: unknown tag %x; kept in custom",
    ]


def test_record_without_title_warns():
    _, warnings = read_refer("%0 Book\n%A Doe, J.\n")
    assert warnings == ["t.enw:1: record has no title"]


def test_whitespace_only_line_ends_a_record():
    records, _ = read_refer("%T A\n \t\n%T B\n")
    assert len(records) == 2


@pytest.mark.parametrize("dialect", ["refer", "endnote"])
def test_dialect_can_be_forced(dialect):
    record = read_one("%0 Book\n%T X\n%R TR-7\n%G eng\n", dialect=dialect)
    if dialect == "refer":
        assert record.fields["number"] == "TR-7"
        assert record.fields["language"] == "eng"
    else:
        assert record.extra == {"%R": ["TR-7"]}
        assert record.fields["language"] == "eng"


def test_per_type_meanings():
    book = read_one("%0 Book\n%T X\n%E Series, Ed\n%Y Volume, Ed\n%N 12\n%B Series Title\n")
    assert book.names["collection-editor"] == [Name("Series", "Ed")]
    assert book.names["editor"] == [Name("Volume", "Ed")]
    assert book.fields["collection-number"] == "12"
    assert book.fields["collection-title"] == "Series Title"
    film = read_one("%0 Film or Broadcast\n%T X\n%A Kubrick, Stanley\n%9 Television series\n")
    assert film.names["director"] == [Name("Kubrick", "Stanley")]
    assert film.type == "broadcast"
    proc = read_one("%0 Conference Proceedings\n%T P\n%B Conf Name\n%D 2019\n%2 2020\n")
    assert proc.fields["event-title"] == "Conf Name"
    assert proc.fields["container-title"] == "Conf Name"
    assert proc.dates["event-date"] == Date(((2019,),))
    assert proc.dates["issued"] == Date(((2020,),))
    thesis = read_one("%0 Thesis\n%T T\n%V Ph.D.\n%Y Advisor, A.\n")
    assert thesis.fields["genre"] == "Ph.D."
    assert thesis.extra == {"%Y": ["Advisor, A."]}
    report = read_one("%0 Report\n%T R\n%@ TR-2020-01\n")
    assert report.fields["number"] == "TR-2020-01"
    assert read_one("%0 Report\n%T R\n%@ 978-92-4-000510-5\n").fields["ISBN"] == "978-92-4-000510-5"


def test_pmid_from_accession_number_with_pubmed_database():
    record = read_one("%0 Journal Article\n%T X\n%M 13054692\n%~ PubMed\n")
    assert record.fields["PMID"] == "13054692"
    record = read_one("%0 Journal Article\n%T X\n%M WOS:000123\n")
    assert record.fields["archive_location"] == "WOS:000123"


def test_nothing_is_lost_for_unmapped_endnote_tags():
    tags = ["%H", "%Q", "%)", "%+", "%^", "%>", "%<", "%=", "%1", "%3", "%4", "%#", "%$"]
    body = "".join(f"{tag} value {i}\n" for i, tag in enumerate(tags))
    record = read_one(f"%0 Journal Article\n%T X\n{body}")
    assert record.extra == {tag: [f"value {i}"] for i, tag in enumerate(tags)}


def test_is_tag_line():
    assert is_tag_line("%A Smith")
    assert is_tag_line("%P")
    assert is_tag_line("%P\tx")
    assert not is_tag_line("% of the cases")
    assert not is_tag_line("%ABC")
    assert not is_tag_line("A %T")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        pytest.param(
            "%0 Book %T A Title %A Doe, J. %D 2001",
            [[("%0", "Book"), ("%T", "A Title"), ("%A", "Doe, J."), ("%D", "2001")]],
            id="basic",
        ),
        pytest.param(
            "%0 Book %T A %0 Journal Article %T B",
            [[("%0", "Book"), ("%T", "A")], [("%0", "Journal Article"), ("%T", "B")]],
            id="two_records",
        ),
        pytest.param(
            "%T Growth in 20–30% of cases %A Doe, J. %D 2001",
            [[("%T", "Growth in 20–30% of cases"), ("%A", "Doe, J."), ("%D", "2001")]],
            id="percent_in_text",
        ),
        pytest.param(
            "%0 Book %T Yields (n = 12, 50 %) of 3 %D 2001",
            [[("%0", "Book"), ("%T", "Yields (n = 12, 50 %) of 3"), ("%D", "2001")]],
            id="spaced_percent",
        ),
        pytest.param(
            "%0 Journal Article %T Films %X The %T of the film was high. %D 2001",
            [
                [
                    ("%0", "Journal Article"),
                    ("%T", "Films"),
                    ("%X", "The %T of the film was high."),
                    ("%D", "2001"),
                ]
            ],
            id="repeated_tag_in_abstract",
        ),
        pytest.param(
            "%0 Journal Article %T T %X Found %A grade was lower than expected in the "
            "cohort. %D 2001",
            [
                [
                    ("%0", "Journal Article"),
                    ("%T", "T"),
                    ("%X", "Found %A grade was lower than expected in the cohort."),
                    ("%D", "2001"),
                ]
            ],
            id="not_name_shaped",
        ),
        pytest.param(
            "%A Doe, J.\u00a0%T Title %D 2001",
            [[("%A", "Doe, J."), ("%T", "Title"), ("%D", "2001")]],
            id="nbsp",
        ),
    ],
)
def test_split_flattened(line, expected):
    assert split_flattened(line) == expected


@pytest.mark.parametrize("line", ["%T Only one %A tag", "%X 30% of 50% cases", "%T a %b c %d e"])
def test_ordinary_lines_are_not_flattened(line):
    assert split_flattened(line) is None


def test_sniff():
    assert ReferReader.sniff("\n\n%0 Book\n")
    assert ReferReader.sniff("\ufeff%A x")
    assert not ReferReader.sniff("@article{x,\n")
    assert not ReferReader.sniff("TY  - JOUR\n")


@pytest.mark.parametrize(
    "text",
    [
        "%0 Book\n%T Real\n%Z Title %A Smith %D 2020 %0 Book %T Forged\n",
        "%T Real\n%X Abstract %A Smith %J Journal %D 2020\n",
        "%0 Book\n%T Real\n%0 Journal Article %T Forged %A Smith %D 2020\n",
    ],
    ids=["note", "classic_abstract", "second_type_line"],
)
def test_a_line_inside_a_record_is_never_a_flattened_record(text):
    """§6: a flattened record is a whole record on one line; inside a record a tag line that
    mentions other tags is one field, so the value cannot forge a record (issue 13)."""
    record = read_one(text)
    assert record.fields["title"] == "Real"


def test_a_flattened_record_after_a_record_still_splits():
    records, _ = read_refer("%0 Book\n%T Real\n\n%0 Journal Article %T Flat %A Smith %D 2020\n")
    assert [r.fields["title"] for r in records] == ["Real", "Flat"]
