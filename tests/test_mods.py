"""The MODS reader: its mapping tables row by row, content sniffing, safe parsing (no
entity is ever expanded, no file or URL read), one ``file:line:`` error for malformed XML
wherever a document is cut, and streaming in flat memory (issue 19 item 4)."""

from __future__ import annotations

import json
import time
import tracemalloc

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from refconv import Collected, read
from refconv.cli import cli
from refconv.diagnostics import RefconvError
from refconv.formats.mods.read import ModsReader, sniff_mods
from refconv.formats.mods.tables import (
    CSL_TO_IDENTIFIER,
    CSL_TO_MODS,
    CSL_TO_ROLE,
    DETAIL_TO_CSL,
    GENRE_TO_CSL,
    HOST_GENRE_TO_CSL,
    IDENTIFIER_TO_CSL,
    LEVEL_ROLES,
    RESOURCE_TO_CSL,
    ROLE_TO_CSL,
    WEAK_GENRE_TO_CSL,
    ZOTERO_TYPE_TO_CSL,
)
from refconv.io import declared_encoding
from refconv.model import CSL_TYPES, NAME_VARIABLES, TEXT_VARIABLES
from refconv.plugins import Registry

from .conftest import FORMATS

NS = "http://www.loc.gov/mods/v3"


def doc(*records: str, declaration: str = '<?xml version="1.0"?>\n') -> bytes:
    """A modsCollection of ``records`` (the children of each <mods>)."""
    body = "".join(f"<mods>{r}</mods>\n" for r in records)
    return f'{declaration}<modsCollection xmlns="{NS}">\n{body}</modsCollection>\n'.encode()


def read_one(*children: str, typed: bool = True):
    """The one record of a <mods> with a title and ``children`` (and, ``typed``, a local
    genre that says its type, so that no warning is about the type), with the messages."""
    sink = Collected()
    kind = '<genre authority="local">document</genre>' if typed else ""
    (record,) = read(doc("<titleInfo><title>T</title></titleInfo>" + kind + "".join(children)),
                     "mods", diagnostics=sink)  # fmt: skip
    return record, [str(m) for m in sink.messages]


# --- tables --------------------------------------------------------------------------------


def test_every_target_is_csl_vocabulary():
    types = [*GENRE_TO_CSL.values(), *HOST_GENRE_TO_CSL.values(), *WEAK_GENRE_TO_CSL.values(),
             *ZOTERO_TYPE_TO_CSL.values(), *RESOURCE_TO_CSL.values(), *CSL_TO_MODS]  # fmt: skip
    assert set(types) <= CSL_TYPES
    names = {*ROLE_TO_CSL.values(), *CSL_TO_ROLE, *LEVEL_ROLES} - {"publisher"}
    assert names <= set(NAME_VARIABLES)
    texts = {*DETAIL_TO_CSL.values(), *IDENTIFIER_TO_CSL.values(), *CSL_TO_IDENTIFIER}
    assert texts <= set(TEXT_VARIABLES)


def test_tables_meant_to_be_reversed_invert():
    for var, (text, code) in CSL_TO_ROLE.items():
        assert ROLE_TO_CSL[text] == var and ROLE_TO_CSL[code] == var
    for var, kind in CSL_TO_IDENTIFIER.items():
        assert IDENTIFIER_TO_CSL[kind] == var
    assert all(key == key.lower() for key in (*GENRE_TO_CSL, *HOST_GENRE_TO_CSL))


HOST = '<relatedItem type="host"><titleInfo><title>H</title></titleInfo>{}</relatedItem>'


@pytest.mark.parametrize(
    ("children", "expected"),
    [
        pytest.param('<genre authority="bibutilsgt">journal article</genre>', "article-journal",
                     id="bibutils-journal-article"),
        pytest.param('<genre authority="bibutilsgt">book chapter</genre>', "chapter",
                     id="bibutils-book-chapter"),
        pytest.param('<genre authority="marcgt">thesis</genre>', "thesis", id="marcgt-thesis"),
        pytest.param("<genre>Masters thesis</genre>", "thesis", id="masters-thesis"),
        pytest.param('<genre authority="marcgt">technical report</genre>', "report",
                     id="technical-report"),
        pytest.param('<genre authority="marcgt">patent</genre>', "patent", id="patent"),
        pytest.param('<genre authority="marcgt">web site</genre>', "webpage", id="web-site"),
        pytest.param('<genre authority="marcgt">conference publication</genre>', "book",
                     id="proceedings"),
        pytest.param('<genre authority="marcgt">legal case and case notes</genre>', "legal_case",
                     id="legal-case"),
        pytest.param("<genre>preprint</genre>", "article", id="preprint"),
        pytest.param(HOST.format('<genre authority="marcgt">periodical</genre>'),
                     "article-journal", id="host-periodical"),
        pytest.param(HOST.format('<genre authority="marcgt">newspaper</genre>'),
                     "article-newspaper", id="host-newspaper"),
        pytest.param(HOST.format('<genre authority="bibutilsgt">magazine</genre>'),
                     "article-magazine", id="host-magazine"),
        pytest.param(HOST.format('<genre authority="marcgt">book</genre>'), "chapter",
                     id="host-book"),
        pytest.param(HOST.format('<genre authority="bibutilsgt">collection</genre>'), "chapter",
                     id="host-collection"),
        pytest.param(HOST.format('<genre authority="marcgt">conference publication</genre>'),
                     "paper-conference", id="host-conference"),
        pytest.param(HOST.format('<genre authority="marcgt">encyclopedia</genre>'),
                     "entry-encyclopedia", id="host-encyclopedia"),
        pytest.param('<genre authority="marcgt">article</genre>'
                     + HOST.format('<genre authority="marcgt">newspaper</genre>'),
                     "article-newspaper", id="article-in-newspaper"),
        pytest.param('<genre authority="marcgt">article</genre>', "article-journal",
                     id="article-alone"),
        pytest.param('<genre authority="local">post-weblog</genre>', "post-weblog",
                     id="local-csl-type"),
        pytest.param('<genre authority="local">bookSection</genre>', "chapter",
                     id="zotero-book-section"),
        pytest.param('<genre authority="local">computerProgram</genre>', "software",
                     id="zotero-program"),
        pytest.param('<genre authority="local">interview</genre>'
                     '<genre authority="marcgt">book</genre>', "interview", id="local-first"),
        pytest.param("<typeOfResource>cartographic</typeOfResource>", "map", id="cartographic"),
        pytest.param("<typeOfResource>software, multimedia</typeOfResource>", "software",
                     id="software"),
        pytest.param("<originInfo><issuance>monographic</issuance></originInfo>", "book",
                     id="monographic"),
        pytest.param(HOST.format("<originInfo><issuance>continuing</issuance></originInfo>"),
                     "article-journal", id="host-continuing"),
        pytest.param(HOST.format(""), "chapter", id="host-alone"),
    ],
)  # fmt: skip
def test_genre_to_type(children, expected):
    record, messages = read_one(children, typed=False)
    assert record.type == expected
    assert messages == []


def test_no_type_evidence_is_a_document_with_a_warning():
    record, messages = read_one("<typeOfResource>text</typeOfResource>", typed=False)
    assert record.type == "document"
    assert messages == ["<bytes>:3: warning: typeOfResource 'text' gives no CSL type, and no "
                        "genre or issuance does; read as document"]  # fmt: skip


def name(role: str = "", parts: str = '<namePart type="family">Doe</namePart>') -> str:
    return f'<name type="personal">{parts}<role>{role}</role></name>'


def term(text: str, kind: str = "text") -> str:
    return f'<roleTerm authority="marcrelator" type="{kind}">{text}</roleTerm>'


@pytest.mark.parametrize(
    ("children", "variable"),
    [
        pytest.param(name(term("author")), "author", id="author"),
        pytest.param(name(term("aut", "code")), "author", id="aut"),
        pytest.param(name(term("Editor")), "editor", id="Editor"),
        pytest.param(name(term("edt", "code")), "editor", id="edt"),
        pytest.param(name(term("trl", "code")), "translator", id="trl"),
        pytest.param(name(term("ivr", "code")), "interviewer", id="ivr"),
        pytest.param(name(term("addressee")), "recipient", id="addressee"),
        pytest.param(name(term("screenwriter")), "script-writer", id="screenwriter"),
        pytest.param(name(term("composer") + term("cmp", "code")), "composer", id="text-and-code"),
        pytest.param(name('<roleTerm type="text">guest</roleTerm>'), "guest", id="csl-name"),
        pytest.param(name(), "author", id="no-role"),
        pytest.param(HOST.format(name(term("editor"))), "editor", id="host-editor"),
        pytest.param(HOST.format(name(term("author"))), "container-author", id="host-author"),
        pytest.param('<relatedItem type="series">' + name(term("editor")) + "</relatedItem>",
                     "collection-editor", id="series-editor"),
        pytest.param('<relatedItem type="original">' + name() + "</relatedItem>",
                     "original-author", id="original-author"),
        pytest.param('<relatedItem type="reviewOf">' + name() + "</relatedItem>",
                     "reviewed-author", id="reviewed-author"),
    ],
)  # fmt: skip
def test_role_to_name_variable(children, variable):
    record, messages = read_one(children)
    assert list(record.names) == [variable]
    assert messages == []


@pytest.mark.parametrize(
    ("kind", "value", "variable", "expected"),
    [
        ("doi", "doi:10.1000/182", "DOI", "10.1000/182"),
        ("DOI", "https://doi.org/10.1000/182", "DOI", "10.1000/182"),
        ("isbn", "978-3-16-148410-0", "ISBN", "978-3-16-148410-0"),
        ("issn", "0317-8471", "ISSN", "0317-8471"),
        ("pmid", "23227361", "PMID", "23227361"),
        ("pubmed", "23227361", "PMID", "23227361"),
        ("pmc", "PMC3512309", "PMCID", "PMC3512309"),
        ("uri", "https://x.org/a", "URL", "https://x.org/a"),
        ("citekey", "nahta2012", "citation-key", "nahta2012"),
        ("lccn", "2007938421", None, "2007938421"),
    ],
)
def test_identifier_types(kind, value, variable, expected):
    record, messages = read_one(f'<identifier type="{kind}">{value}</identifier>')
    if variable:
        assert record.fields[variable] == expected
    else:
        assert record.extra == {f"identifier[{kind}]": [expected]}
    assert messages == []


@pytest.mark.parametrize(
    ("detail", "variable"),
    [(kind, var) for kind, var in DETAIL_TO_CSL.items() if kind != "page"],
)
def test_detail_types(detail, variable):
    record, _ = read_one(f'<part><detail type="{detail}"><number>7</number></detail></part>')
    assert record.fields[variable] == "7"


@pytest.mark.parametrize(
    ("extent", "fields"),
    [
        ("<start>273</start><end>8</end>", {"page": "273-278"}),
        ("<start>e1234</start>", {"page": "e1234"}),
        ("<list>94-98, 93</list>", {"page": "94-98,93"}),
        ("<total>300</total>", {"number-of-pages": "300"}),
    ],
)
def test_page_extents(extent, fields):
    record, _ = read_one(f'<part><extent unit="pages">{extent}</extent></part>')
    assert record.fields == {"title": "T", **fields}


@pytest.mark.parametrize(
    ("children", "language"),
    [
        ('<languageTerm type="code" authority="iso639-2b">ger</languageTerm>', "de"),
        ('<languageTerm type="code" authority="iso639-2b">haw</languageTerm>', "haw"),
        ('<languageTerm type="code" authority="rfc5646">pt-BR</languageTerm>', "pt-BR"),
        ('<languageTerm type="text">English</languageTerm>', "English"),
        ("English", "English"),
    ],
)
def test_languages(children, language):
    record, _ = read_one(f"<language>{children}</language>")
    assert record.fields["language"] == language


def test_title_parts():
    record, _ = read_one(
        "<titleInfo><nonSort>L'</nonSort><title>avenir:</title><subTitle>essai</subTitle>"
        "<partNumber>2</partNumber><partName>La suite</partName></titleInfo>"
    )
    assert record.fields["part"] == "2"
    assert record.extra == {"titleInfo": ["L'avenir: essai"], "titleInfo/partName": ["La suite"]}


# --- sniffing --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "is_mods"),
    [
        (f'\ufeff<?xml version="1.0"?>\n<modsCollection xmlns="{NS}">', True),
        (f"<mods xmlns='{NS}' version='3.7'>", True),
        (f'<!-- c --><!DOCTYPE m [<!ELEMENT a ANY>]><m:mods xmlns:m="{NS}">', True),
        (f'<modsCollection xmlns:xsi="x" xmlns="{NS}" >', True),
        ("<modsCollection>", True),  # no namespace: read as MODS, with a warning
        ('<modsCollection xmlns="http://www.loc.gov/mods/">', False),
        (f'<m:mods xmlns="{NS}">', False),
        ('<?xml version="1.0"?><xml><records><record>', False),
        ("%0 Journal Article\n%T <mods>", False),
    ],
)
def test_sniffing(head, is_mods):
    assert sniff_mods(head) is is_mods


def test_an_xml_file_is_told_by_its_root_element(tmp_path):
    path = tmp_path / "export.xml"
    path.write_bytes(doc("<titleInfo><title>T</title></titleInfo>"))
    (record,) = read(str(path), diagnostics=Collected())
    assert record.fields["title"] == "T"
    registry = Registry()
    assert registry.reader_for_path(str(path)) is None  # .xml is no MODS suffix
    assert registry.sniff_reader(path.read_text()) is ModsReader


# --- safety ---------------------------------------------------------------------------------


def errors_of(data: bytes) -> list[str]:
    sink = Collected()
    with pytest.raises(RefconvError) as caught:
        list(read(data, "mods", diagnostics=sink))
    return [str(caught.value)]


def test_billion_laughs_is_refused_at_once():
    start = time.perf_counter()
    message = errors_of((FORMATS / "mods" / "entities.mods").read_bytes())
    assert time.perf_counter() - start < 1
    assert message == ["<bytes>:4: entity declarations are not allowed: refconv expands no "
                       "entities in MODS (internal entities can blow up memory, external ones "
                       "read files)"]  # fmt: skip


def test_parameter_entities_are_refused_too():
    data = (b'<!DOCTYPE m [\n<!ENTITY % p "<!ENTITY x \'y\'>">\n%p;\n]>\n<modsCollection xmlns="'
            + NS.encode() + b'"/>')  # fmt: skip
    assert errors_of(data)[0].startswith("<bytes>:2: entity declarations are not allowed")


def test_external_entities_and_dtds_are_never_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET", encoding="utf-8")
    dtd = tmp_path / "evil.dtd"
    dtd.write_text(
        f'<!ENTITY leak SYSTEM "{secret.as_uri()}">\n<!ATTLIST titleInfo type CDATA "abbreviated">',
        encoding="utf-8",
    )
    entity = (f'<!DOCTYPE m [<!ENTITY leak SYSTEM "{secret.as_uri()}">]>\n'.encode()
              + doc("<titleInfo><title>&leak;</title></titleInfo>", declaration=""))  # fmt: skip
    assert "TOP SECRET" not in errors_of(entity)[0]
    # an external DTD is not loaded (its default attribute would make the title an
    # abbreviated one): a reference to an entity it would declare stays the reference as
    # written (XML lets a parser that reads no external subset do so)
    external = (f'<!DOCTYPE modsCollection SYSTEM "{dtd.as_uri()}">\n'.encode()
                + doc("<titleInfo><title>&leak;</title></titleInfo>", declaration=""))  # fmt: skip
    (record,) = read(external, "mods", diagnostics=Collected())
    assert record.fields["title"] == "&leak;"
    # nor one on the network: the document reads without it (no_network, load_dtd off)
    remote = b'<!DOCTYPE modsCollection SYSTEM "http://192.0.2.1/mods.dtd">\n' + doc(
        "<titleInfo><title>T</title></titleInfo>", declaration=""
    )
    start = time.perf_counter()
    (record,) = read(remote, "mods", diagnostics=Collected())
    assert record.fields["title"] == "T" and time.perf_counter() - start < 1


SAMPLE = (FORMATS / "mods" / "loc_record.mods").read_bytes()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, len(SAMPLE) - 1))
def test_a_document_cut_anywhere_reads_or_fails_with_one_error(cut):
    """Truncated XML: the records before the damage, then one ``file:line:`` error (or none
    when only the collection's end tag is lost and nothing was started); never a
    traceback."""
    sink = Collected()
    records = []
    try:
        records.extend(read(SAMPLE[:cut], "mods", diagnostics=sink, label="cut.mods"))
    except RefconvError as exc:
        assert str(exc).startswith("cut.mods:")
        line = int(str(exc).split(":")[1])
        assert 1 <= line <= SAMPLE[:cut].count(b"\n") + 1
    assert len(records) <= 2


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (b"hello", "<bytes>:1: invalid XML: Start tag expected, '<' not found"),
        (b"<a>", "<bytes>:1: not MODS: the root element is <a>; a MODS document starts with "
                 "<modsCollection> or <mods> in the namespace " + NS),
        (f'<modsCollection xmlns="{NS}"><mods></modsCollection>'.encode(),
         "<bytes>:1: invalid XML: Opening and ending tag mismatch: mods line 1 and "
         "modsCollection"),
    ],
)  # fmt: skip
def test_malformed_input_is_one_error(text, message):
    assert errors_of(text) == [message]


def test_empty_input_is_a_warning_not_an_error():
    sink = Collected()
    assert list(read(b"\n  \n", "mods", diagnostics=sink)) == []
    assert [str(m) for m in sink.messages] == [
        "<bytes>:1: warning: no records found (a MODS document starts with <modsCollection> "
        "or <mods>)"
    ]


# --- streaming ------------------------------------------------------------------------------


def _peak(path, count: int) -> int:
    record = ('<mods><titleInfo><title>Title {n}</title></titleInfo><name type="personal">'
              '<namePart type="family">Doe</namePart></name><genre authority="marcgt">book'
              '</genre><abstract>' + "x" * 400 + "</abstract></mods>\n")  # fmt: skip
    with path.open("w", encoding="utf-8") as out:
        out.write(f'<?xml version="1.0"?>\n<modsCollection xmlns="{NS}">\n')
        for n in range(count):
            out.write(record.format(n=n))
        out.write("</modsCollection>\n")
    tracemalloc.start()
    seen = sum(1 for _ in read(str(path), "mods", diagnostics=Collected()))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert seen == count
    return peak


def test_records_are_cleared_as_they_are_read(tmp_path):
    """Ten times the records take about the memory of a tenth: each <mods> is dropped from
    the tree once its record is built (a 100k-record file's figure is in the README)."""
    small, large = _peak(tmp_path / "small.mods", 500), _peak(tmp_path / "large.mods", 5000)
    assert large < 1.5 * small


@pytest.mark.parametrize("encoding", ["windows-1251", "ISO-8859-5", "koi8-r"])
def test_the_encoding_an_xml_declaration_names_is_used(tmp_path, encoding):
    """XML 1.0 (appendix F): a document without a byte-order mark says its encoding in its
    declaration (issue 19 review: it was read as UTF-8 with the Windows-1252 fallback)."""
    text = (f'<?xml version="1.0" encoding="{encoding}"?>\n'
            '<modsCollection xmlns="http://www.loc.gov/mods/v3"><mods><titleInfo><title>'
            "Война и мир</title></titleInfo></mods></modsCollection>\n")  # fmt: skip
    path = tmp_path / "m.xml"
    path.write_bytes(text.encode(encoding))
    result = CliRunner().invoke(cli, ["convert", str(path), "-t", "csljson"])
    assert result.exit_code == 0 and "UTF-8" not in result.stderr, result.output
    assert json.loads(result.stdout)[0]["title"] == "Война и мир"


@pytest.mark.parametrize(
    ("head", "expected"),
    [('<?xml version="1.0" encoding="windows-1251"?>', "windows-1251"),
     ("<?xml version='1.0' encoding='Shift_JIS' ?>", "Shift_JIS"),
     ('<?xml version="1.0" encoding="UTF-8"?>', None), ('<?xml version="1.0"?>', None),
     ('<?xml version="1.0" encoding="no-such"?>', None), ('<mods encoding="cp1251">', None),
     (' <?xml version="1.0" encoding="cp1251"?>', None)],
)  # fmt: skip
def test_declared_encoding(head, expected):
    assert declared_encoding(head) == expected
