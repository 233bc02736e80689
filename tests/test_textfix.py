"""Mojibake: found in every value, repaired only on request, never silently."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from refconv import Collected, read
from refconv.transforms.textfix import GBK_PUNCTUATION, problem, repair


@pytest.mark.parametrize(
    ("damaged", "repaired"),
    [
        ("CafÃ© society", "Café society"),
        ("MÃ¼ller", "Müller"),
        ("cafÃ©»", "café»"),
        ("CafÃƒÂ©", "Café"),  # encoded twice
        ("ðŸ˜€ emoji", "😀 emoji"),
        ("Ã…ngstrÃ¶m", "Ångström"),
        ("Å\x81Ã³dÅº", "Łódź"),
        ("ÄŒapek", "Čapek"),
        ("pages 20â€“30", "pages 20–30"),
        ("â€œquotedâ€\x9d", "“quoted”"),
        ("20¨C30% of cases", "20–30% of cases"),
        ("¡°quoted¡±", "“quoted”"),
        ("it¡¯s", "it’s"),
        ("a¡ªb", "a—b"),
        ("Beijing£¬China", "Beijing，China"),
    ],
)
def test_each_kind_is_found_and_repaired(damaged, repaired):
    assert problem(damaged) is not None
    assert repair(damaged) == repaired
    assert problem(repaired) is None


@pytest.mark.parametrize(
    "clean",
    ["SÃO PAULO", "Âge d'or", "ÅSA", "Äpfel", "Zürich – Genève", "naïve café", "¿Qué?",
     "¡Hola!", "© 2012", "鲁迅", "Ελληνικά", "20–30%", "1¨"],
)  # fmt: skip
def test_real_text_is_left_alone(clean):
    assert problem(clean) is None
    assert repair(clean) == clean


LATIN = st.text(st.characters(min_codepoint=0xC0, max_codepoint=0x17F), min_size=1, max_size=20)


@given(st.text(st.characters(max_codepoint=0x7F)))
def test_ascii_is_never_touched(text):
    assert problem(text) is None and repair(text) == text


@given(LATIN)
def test_utf8_read_as_windows_1252_comes_back(text):
    assume(problem(text) is None)  # "ÂŠ" is itself what mojibake looks like: ambiguous
    try:
        damaged = text.encode("utf-8").decode("cp1252")
    except UnicodeDecodeError:  # bytes cp1252 leaves undefined (0x81, 0x8d, ...)
        return
    assert problem(damaged) is not None
    assert repair(damaged) == text


@given(st.lists(st.sampled_from(sorted(GBK_PUNCTUATION.values())), min_size=1), st.text("ab1 "))
def test_gbk_punctuation_read_as_latin1_comes_back(marks, filler):
    text = filler.join(marks)
    damaged = text.encode("gbk").decode("latin-1")
    assert repair(damaged) == text


RECORD = (
    b"%0 Book\n%A M\xc3\x83\xc2\xbcller, J\n%T 20\xc2\xa8C30%\n%K caf\xc3\x83\xc2\xa9\n%D 2001\n"
)


def test_reading_warns_once_per_value_and_keeps_the_text():
    sink = Collected()
    (record,) = read(RECORD, "refer", diagnostics=sink)
    assert record.names["author"][0].family == "MÃ¼ller"
    assert [(m.kind, m.message.split(" looks")[0], m.line) for m in sink.messages] == [
        ("warning", "title", 1),
        ("warning", "author", 1),
        ("warning", "keyword", 1),
    ]
    assert all(m.message.endswith("; --fix-text repairs it") for m in sink.messages)


def test_fix_text_repairs_names_fields_and_keywords_with_notes():
    sink = Collected(strict=True)  # notes are not warnings
    (record,) = read(RECORD, "refer", diagnostics=sink, fix_text=True)
    assert record.names["author"][0].family == "Müller"
    assert record.fields["title"] == "20–30%"
    assert record.keywords == ["café"]
    assert [m.kind for m in sink.messages] == ["note"] * 3
    assert sink.messages[0].message == "title: repaired '20¨C30%' as '20–30%'"


def test_quiet_hides_notes():
    sink = Collected(quiet=True)
    list(read(RECORD, "refer", diagnostics=sink, fix_text=True))
    assert sink.messages == []
