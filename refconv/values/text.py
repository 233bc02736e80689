"""Text shared by every format: line breaks, invisible characters, one-line values and keywords."""

from __future__ import annotations

import codecs
import re
import unicodedata
from functools import lru_cache

#: An HTML character reference: its ";" ends it and separates no keywords.
_REFERENCE = re.compile(r"&(#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def _references(text: str) -> list[tuple[int, int]]:
    """The spans of ``text``'s character references: numeric ones and HTML5's named ones
    (``html.entities.html5``), so "R&D; AT&T;" holds none ("&D;" is no entity)."""
    if "&" not in text:
        return []
    from html.entities import html5  # only for text with "&"

    return [m.span() for m in _REFERENCE.finditer(text)
            if m[1][0] == "#" or f"{m[1]};" in html5]  # fmt: skip


def split_keyword_text(text: str) -> list[str]:
    """The keywords of one text (a CSL ``keyword``, BibTeX ``keywords``, a %K line): split
    at ";" when it holds one, else at ","; not at the ";" that ends an HTML character
    reference ("Heart &amp; Lung" is one keyword, damaged as exported). Stripped, empty ones
    left out."""
    spans = _references(text)
    return _pieces(text, _cuts(text, ";", spans) or _cuts(text, ",", spans))


def _cuts(text: str, separator: str, spans: list[tuple[int, int]]) -> list[int]:
    """Where ``separator`` stands in ``text`` outside the character references ``spans``."""
    found = (i for i, c in enumerate(text) if c == separator)
    return [i for i in found if not any(a < i < b for a, b in spans)]


def _pieces(text: str, cuts: list[int]) -> list[str]:
    """``text`` cut at ``cuts``, each piece stripped, the empty ones left out."""
    words, start = [], 0
    for cut in [*cuts, len(text)]:
        words.append(text[start:cut].strip())
        start = cut + 1
    return [w for w in words if w]


def split_keywords(lines: list[str]) -> list[str]:
    """Keywords from the physical lines of a %K field: one per line; ";" splits a single line
    (not the ";" that ends an HTML entity: ``split_keyword_text``).

    Commas never split (MeSH headings such as "Quality Assurance, Health Care" contain them).
    """
    words = [line.strip() for line in lines if line.strip()]
    if len(words) == 1 and ";" in words[0]:
        # a line that is only separators (";;") is the keyword as written
        words = _pieces(words[0], _cuts(words[0], ";", _references(words[0]))) or words
    return words


def join_keywords(keywords: list[str]) -> str:
    """CSL ``keyword`` is one string: join with ", ", or "; " when a keyword holds a comma
    (a lone such keyword ends with ";", or readers would split it at its comma)."""
    if not any("," in k for k in keywords):
        return ", ".join(keywords)
    return "; ".join(keywords) + (";" if len(keywords) == 1 else "")


#: Every line separator a consumer may split on: LF, CR, CRLF (every reader), VT, FF, FS, GS,
#: RS, NEL, LINE and PARAGRAPH SEPARATOR (Python's ``str.splitlines``, Unicode's UAX #14).


LINE_BREAK = re.compile("\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


#: Default_Ignorable_Code_Point ranges that are not Cf (Unicode DerivedCoreProperties.txt):
#: combining grapheme joiner, Hangul fillers, Khmer inherent vowels, Mongolian and other
#: variation selectors, reserved ignorables. Renderers show nothing for them.
_IGNORABLE_RANGES = (
    (0x034F, 0x034F), (0x115F, 0x1160), (0x17B4, 0x17B5), (0x180B, 0x180F), (0x3164, 0x3164),
    (0xFE00, 0xFE0F), (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0xE0000, 0xE0FFF),
)  # fmt: skip


def is_invisible(char: str) -> bool:
    """True for a character a lenient reader may drop before it looks for a tag: whitespace
    of any kind (``str.isspace``), format characters (category Cf: U+FEFF, U+200B, U+2060...),
    other default-ignorable code points and noncharacters (U+FDD0-U+FDEF, U+xFFFE, U+xFFFF).
    bibutils, for one, skips a U+FEFF at the start of every line."""
    code = ord(char)
    return (
        char.isspace()
        or unicodedata.category(char) == "Cf"
        or 0xFDD0 <= code <= 0xFDEF
        or code & 0xFFFE == 0xFFFE
        or any(low <= code <= high for low, high in _IGNORABLE_RANGES)
    )


@lru_cache(maxsize=1)
def _invisible_class() -> str:
    """The invisible characters that are not whitespace (``is_invisible``), as the body of a
    regex character class, built on first use (~20 ms: Cf is only in the planes scanned; no
    invisible character is ASCII)."""
    category = unicodedata.category
    ranges = [(c, c) for c in (*range(0x80, 0x20000), *range(0xE0000, 0xE0080))
              if category(chr(c)) == "Cf" and not chr(c).isspace()]  # fmt: skip
    ranges += [(0xFDD0, 0xFDEF), *_IGNORABLE_RANGES]
    ranges += [(plane | 0xFFFE, plane | 0xFFFF) for plane in range(0, 0x110000, 0x10000)]
    return "".join(
        re.escape(chr(low)) + ("-" + re.escape(chr(high)) if high > low else "")
        for low, high in ranges
    )


def _misread(data: bytes, *encodings: str) -> str:
    """``data`` decoded with each of ``encodings`` in turn, re-encoded as UTF-8 in between:
    what a program that guessed the wrong code page, then saved as UTF-8, leaves of it."""
    text = data.decode(encodings[0])
    for encoding in encodings[1:]:
        text = text.encode("utf-8").decode(encoding)
    return text


#: A UTF-8 byte-order mark (EF BB BF) as text: the character U+FEFF, and the forms it takes
#: when a file was decoded with the wrong code page and saved again; each is found at the
#: start of files in public repositories: Windows-1252 or Latin-1 ("ï»¿"), that done twice
#: ("Ã¯Â»Â¿"), Mac OS Roman ("Ôªø"), DOS code page 437 ("∩╗┐") and Windows-1251 ("п»ї").
BOM_FORMS: tuple[str, ...] = (
    "\ufeff",
    _misread(codecs.BOM_UTF8, "cp1252"),
    _misread(codecs.BOM_UTF8, "cp1252", "cp1252"),
    _misread(codecs.BOM_UTF8, "mac_roman"),
    _misread(codecs.BOM_UTF8, "cp437"),
    _misread(codecs.BOM_UTF8, "cp1251"),
)
_BOM_RUN = re.compile("(?:" + "|".join(map(re.escape, BOM_FORMS)) + ")+")
#: the first characters of ``BOM_FORMS``: a line starting with none of them has no mark
BOM_FIRSTS = frozenset(form[0] for form in BOM_FORMS)


def strip_bom(line: str) -> tuple[str, bool]:
    """Return (``line`` without the byte-order marks it starts with, whether it had one).

    Every form of ``BOM_FORMS`` counts, in any run ("\ufeffï»¿%0 Book" gives "%0 Book"): a
    concatenated or mis-decoded file puts them at the start of its first line, where a reader
    must not take them for text. Only the start of the line is looked at."""
    if not line or line[0] not in BOM_FIRSTS:
        return line, False
    found = _BOM_RUN.match(line)
    return (line[found.end() :], True) if found else (line, False)


def bom_message(mark: str) -> str:
    """The warning for the byte-order mark(s) ``mark`` removed before a tag."""
    wrong = mark.replace("\ufeff", "")
    if wrong:
        return (
            f"{wrong!r} before the tag is a UTF-8 byte-order mark decoded with the wrong code "
            "page; removed (other text of this input may be mis-decoded too)"
        )
    return "byte-order mark U+FEFF before the tag removed (was a file joined on with cat?)"


@lru_cache(maxsize=16)
def lenient_pattern(template: str) -> re.Pattern[str]:
    """``template`` as the most lenient reader matches it at the start of a line: leading
    whitespace and invisible characters skipped; in the template ``{inv}`` stands for a run of
    invisible characters and ``{skip}`` for one of whitespace or invisible characters
    (``r"\\w{inv}\\w{skip}-"``: a RIS tag). It matches every line whose visible form (the
    line with its invisible characters dropped, ``is_invisible``, except whitespace after the
    first visible one: "\ufeff \u200bE\u2060R  - " is "ER  - ") matches the template without
    them, in time that does not grow with the line; a letter that is invisible too (U+3164)
    may make it match more, which errs towards caution. A byte-order mark in any form
    (``BOM_FORMS``: "ï»¿" too) is skipped there as well, since readers strip it before a tag
    (``strip_bom``); ``is_blank_to_readers`` does not, as no reader takes "ï»¿" for a blank."""
    invisible = _invisible_class()
    skip = f"[\\s{invisible}]*"
    # One alternation, each branch starting with its own character (U+FEFF is invisible
    # already): a line that fails is parsed one way only, so matching stays linear.
    lead = "(?:[\\s" + invisible + "]|" + "|".join(map(re.escape, BOM_FORMS[1:])) + ")*"
    return re.compile(lead + template.format(inv=f"[{invisible}]*", skip=skip))


@lru_cache(maxsize=1)
def _blank_pattern() -> re.Pattern[str]:
    return re.compile(f"[\\s{_invisible_class()}]*\\Z")


def is_blank_to_readers(line: str) -> bool:
    """True when the line's visible form (``lenient_pattern``) is empty: only whitespace and
    invisible characters."""
    if line.isascii():
        return not line.strip()
    return _blank_pattern().match(line) is not None


def value_lines(value: str) -> list[str]:
    """The non-blank lines of a value, split at every ``LINE_BREAK``, stripped; at least one
    (maybe empty), so a line-based writer never writes a separator or a blank line of its own.

    A line that is blank to a lenient reader (only U+FEFF, U+200B...: ``is_blank_to_readers``) would
    end a Refer record there: it is joined to the line before it with a space, which keeps its
    characters and writes no blank line."""
    if value.isprintable():  # no separator is printable: the common one-line value
        return [value.strip()]
    lines: list[str] = []
    for line in LINE_BREAK.split(value):
        line = line.strip()
        if not line:
            continue
        if lines and is_blank_to_readers(line):
            lines[-1] += " " + line
        else:
            lines.append(line)
    return lines or [""]


def one_line(value: str) -> str:
    """A value for a field that is one line: its lines joined by a space."""
    return " ".join(value_lines(value))


#: CSL rich text's case protection (CSL 1.0.2, "Rich text"), which the BibTeX reader gives a
#: braced word of a title: a mark for CSL processors, no text of the value.
NOCASE = re.compile(r'<span class="nocase">((?:(?!<span class="nocase">).)*?)</span>', re.DOTALL)


_NOCASE_TAG = re.compile(r'<span class="nocase">|</span>')


def strip_nocase(text: str) -> str:
    """``text`` without CSL's ``<span class="nocase">`` marks (their content kept), for the
    formats that have no case protection (RIS, Refer) and for citeproc-py, which prints them.

    Each mark pairs with the first ``</span>`` after it that no inner mark took (as ``NOCASE``
    finds them, innermost first); an unpaired mark or ``</span>`` stays as text. One pass
    with a stack: stripping one level per pass took quadratic time (20,000 nested marks: 12 s).
    """
    if "nocase" not in text:
        return text
    pieces: list[str] = []
    opened: list[int] = []  # indexes in ``pieces`` of the marks not yet closed
    end = 0
    for tag in _NOCASE_TAG.finditer(text):
        pieces.append(text[end : tag.start()])
        end = tag.end()
        if tag[0] != "</span>":
            opened.append(len(pieces))
            pieces.append(tag[0])
        elif opened:
            pieces[opened.pop()] = ""
        else:
            pieces.append(tag[0])
    pieces.append(text[end:])
    return "".join(pieces)


#: CSL rich-text markup (CSL 1.0.2, "Rich text": ``<i>``, ``<b>``, ``<sup>``, ``<sub>``,
#: ``<span style=...>``, ``<span class="nocase">``), as CrossRef and Zotero put it in titles:
#: marks, no text. Only these tags: "x <y and z> w" is text.
RICH_TEXT_TAG = re.compile(r"</?(?:i|b|sup|sub|span)(?:\s[^<>]*)?>", re.IGNORECASE)
#: Diacritics of the Latin, Greek and Cyrillic scripts (the combining blocks U+0300-036F,
#: U+1AB0-1AFF, U+1DC0-1DFF, U+20D0-20FF, U+FE20-FE2F): folded away. The marks of other
#: scripts (Devanagari vowel signs, the kana voicing marks) are letters of their words.
_DIACRITIC = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
#: Letters with a stroke or ligatures, which Unicode does not decompose, as their base letters.
_BASE_LETTERS = str.maketrans(
    {"ø": "o", "ł": "l", "đ": "d", "ħ": "h", "ı": "i", "ŧ": "t", "ƀ": "b", "æ": "ae",
     "œ": "oe", "þ": "th", "ð": "d"}
)  # fmt: skip
_NOT_ASCII_ALNUM = re.compile(r"[^a-z0-9]")


def comparable(text: str) -> str:
    """``text`` as two values are compared (``--dedupe title``, ``--sort``): rich-text tags
    dropped, HTML entities read, case folded (``casefold``: ß is ss), diacritics and
    compatibility forms folded (é is e, ﬁ is fi, full-width Ａ is a), then only letters,
    digits and the marks of scripts other than Latin, Greek and Cyrillic kept: punctuation
    and white space are gone. Other scripts are kept as they are, not transliterated
    (``keys.fold`` makes ASCII, where two Chinese titles of the same sounds would be one);
    a value of punctuation alone gives "".
    """
    if "<" in text:
        text = RICH_TEXT_TAG.sub("", text)
    if "&" in text:
        import html  # only for a value with an entity

        text = html.unescape(text)
    text = text.casefold()
    if text.isascii():
        return _NOT_ASCII_ALNUM.sub("", text)
    text = _DIACRITIC.sub("", unicodedata.normalize("NFKD", text))
    text = unicodedata.normalize("NFC", text).translate(_BASE_LETTERS)
    return "".join([c for c in text if unicodedata.category(c)[0] in "LNM"])
