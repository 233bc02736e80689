import pytest
from hypothesis import given
from hypothesis import strategies as st

from refconv.keys import KeyAssigner, check_key_format, fold, usable_key
from refconv.model import Date, Name, Record

from .conftest import Collect


def rec(family="", year=None, title="", key="", literal=""):
    r = Record(fields={"title": title} if title else {})
    if family or literal:
        r.names["author"] = [Name(family=family, literal=literal)]
    if year:
        r.dates["issued"] = Date(((year,),))
    if key:
        r.fields["citation-key"] = key
    return r


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Günther", "guenther"),
        ("Müller", "mueller"),
        ("Kovářík", "kovarik"),
        ("Woźniak", "wozniak"),
        ("余敏", "yumin"),
        ("O'Brien-Smith", "obriensmith"),
    ],
)
def test_fold(text, expected):
    assert fold(text) == expected


def keys(records, template="{author}{year}{word}"):
    diagnostics = Collect()
    out = [r.id for r in KeyAssigner(template, diagnostics).assign(records)]
    return out, diagnostics.messages


def test_default_key_and_suffixes_in_input_order():
    ids, warnings = keys(
        [
            rec("Günther", 2005, "The Theory"),
            rec("Günther", 2005, "The Theory"),
            rec("Müller", 2019, "A study of keys"),
            rec("Günther", 2005, "The Theory"),
        ]
    )
    assert ids == [
        "guenther2005theory",
        "guenther2005theorya",
        "mueller2019study",
        "guenther2005theoryb",
    ]
    assert warnings == []


def test_keys_are_deterministic():
    make = lambda: [rec("Smith", 2000, "Same"), rec("Smith", 2000, "Same")]  # noqa: E731
    assert keys(make()) == keys(make())


def test_given_key_wins_and_clash_warns():
    ids, warnings = keys(
        [rec("Smith", 2000, "X", key="Smith2000"), rec("Jones", 2001, "Y", key="smith2000")]
    )
    assert ids == ["Smith2000", "smith2000a"]
    assert warnings == [
        "<unknown>:0: citation key 'smith2000' is used twice; this record gets 'smith2000a'"
    ]


@pytest.mark.parametrize(
    ("given", "key", "warned"),
    [
        pytest.param("Müller, {2019}#1", "Müller20191", True, id="punctuation-dropped"),
        pytest.param("u\\input x", "uinputx", True, id="tex-command"),
        pytest.param("Müller2019", "Müller2019", False, id="letters-kept-as-written"),
        pytest.param("пункт3", "пункт3", False, id="cyrillic-as-written"),
        pytest.param("李2019〔注〕", "李2019注", True, id="cjk-brackets-dropped"),
        pytest.param(
            "http://zotero.org/users/1/items/AB",
            "http://zotero.org/users/1/items/AB",
            False,
            id="zotero-uri",
        ),
        pytest.param("ok_1:2.3-4/5+6", "ok_1:2.3-4/5+6", False, id="every-allowed-character"),
    ],
)
def test_given_key_loses_forbidden_characters_with_a_warning(given, key, warned):
    """Characters a key may not hold are dropped, and said so (the input's key stays in
    CSL-JSON's citation-key); letters of any script are kept as written (issue 16.7)."""
    ids, warnings = keys([rec(key=given)])
    assert ids == [key]
    expected = (
        f"<unknown>:0: citation key {given!r} has characters a key may not hold "
        f"(only letters, digits and _ : . - / +); written as {key!r}"
    )
    assert warnings == ([expected] if warned else [])


def test_organisation_gives_initials():
    ids, _ = keys(
        [
            rec(
                literal="Organization for Economic Cooperation and Development",
                year=2001,
                title="Outlook",
            )
        ]
    )
    assert ids == ["oecd2001outlook"]


def test_no_author_no_year():
    assert keys([rec(title="On Growth and Form")])[0] == ["growth"]
    assert keys([Record()])[0] == ["ref"]


def test_templates():
    assert keys([rec("Smith", 2000, "Deep learning of things")], "{title}-{year}")[0] == [
        "deeplearningthings-2000"
    ]
    with pytest.raises(ValueError, match=r"unknown placeholder \{journal\}"):
        check_key_format("{journal}")
    with pytest.raises(ValueError, match="bad key format"):
        check_key_format("{author")


@pytest.mark.parametrize(
    "template",
    ["{year:x}", "{title:%}", "{title:>99999999999999999999}", "{title:>300000000}",
     "{author!r}", "{author!r:>9}", "{author}{year:04}"],
)  # fmt: skip
def test_a_conversion_or_format_spec_is_refused_before_any_record(template):
    """They raised at the first record ("Unknown format code") or built huge keys."""
    with pytest.raises(ValueError, match="has a conversion or format spec"):
        check_key_format(template)


def _naive_keys(requests):
    """The rule, written the slow way: the base, else the first free a, b, ..., aa, ..."""
    from refconv.keys import letter_suffix

    used, keys = set(), []
    for base in requests:
        key, n = base, 0
        while key.lower() in used:
            key, n = f"{base}{letter_suffix(n)}", n + 1
        used.add(key.lower())
        keys.append(key)
    return keys


@given(st.lists(st.sampled_from(["a", "b", "ab", "aa", "B", "ba", "bb", "aab"]), max_size=120))
def test_fast_key_assignment_gives_the_naive_rule_s_keys(bases):
    from refconv.keys import KeyAssigner, KeyRequest

    assigner = KeyAssigner(diagnostics=Collect())
    keys = [assigner.grant(KeyRequest(b, True, "t", 1)) for b in bases]
    assert keys == _naive_keys(bases)
    assert len({k.lower() for k in keys}) == len(keys)


def test_a_thousand_clashes_stay_fast_and_small():
    from refconv.keys import KeyAssigner, KeyRequest, letter_suffix

    assigner = KeyAssigner(diagnostics=Collect(quiet=True))
    keys = [assigner.grant(KeyRequest("smith2001", False, "t", 1)) for _ in range(3000)]
    assert keys[:3] == ["smith2001", "smith2001a", "smith2001b"]
    assert keys[-1] == "smith2001" + letter_suffix(2998)
    assert len(set(keys)) == 3000
    assert assigner.used.size == 3000 and len(assigner.used.slots) == 8192


@pytest.mark.parametrize(
    ("text", "usable"),
    [("doe2001", True), ("Doe:2001/x", True), ("10.1000/xyz", True), ("a1", True),
     ("http://zotero.org/users/1/items/AB12", False), ("https://x.org/1", False),
     ("urn:isbn:123", False), ("INFO:doi/10.1/x", False), ("12345", False), (" 42 ", False),
     ("", False), ("***", False)],
)  # fmt: skip
def test_usable_key(text, usable):
    assert usable_key(text) is usable


def test_a_made_key_is_never_a_bare_number():
    record = Record(type="book", fields={"title": "&"}, dates={"issued": Date(parts=((1800,),))})
    assert KeyAssigner().key_for(record) == "ref1800"
    assert usable_key("ref1800")
