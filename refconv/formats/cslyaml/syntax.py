"""The YAML syntax of CSL YAML, shared by the reader and the writer: which plain scalars are
booleans, which text may be written without quotes, and double-quoted strings (the YAML 1.2
spec, section 7.3.1) that every YAML 1.1 and 1.2 parser reads as the same string."""

from __future__ import annotations

import re

#: The keys whose values CSL wants as true or false (the CSL-JSON schema's name attributes
#: and a date's circa): only there is a plain ``true`` a boolean; everywhere else a scalar is
#: text, as written.
BOOLEAN_KEYS = frozenset({"comma-suffix", "static-ordering", "parse-names", "circa"})

#: Plain scalars that are booleans: YAML 1.2's core schema and YAML 1.1's ``yes``/``no``/
#: ``on``/``off`` (pandoc's YAML library reads ``circa: yes`` as true).
BOOLEANS = {
    **dict.fromkeys(("true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"), True),
    **dict.fromkeys(("false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF"), False),
}

#: Text a YAML 1.1 or 1.2 parser reads as itself when it is written plain: a letter first
#: (no number, date, indicator or ``.inf``), no ``:`` or ``#`` (a key, a comment), no flow or
#: quote characters, no space at either end, only characters YAML may hold unescaped.
_PLAIN = re.compile(
    r"[^\W\d_][^:#{}\[\],&*!|>'\"%@`\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]*"
)
#: Words YAML 1.1 reads as a boolean or null even in a letter-first plain scalar.
_SPECIAL_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})
#: Characters a double-quoted string holds only as an escape: controls (C0, DEL, C1), line
#: breaks a YAML 1.1 parser folds (NEL, LS, PS), the BOM, non-characters U+FFFE/U+FFFF, and
#: the quote and backslash themselves.
_ESCAPE = re.compile('[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff"\\\\\ud800-\udfff]')
_SHORT_ESCAPES = {
    "\x00": "\\0", "\x07": "\\a", "\x08": "\\b", "\t": "\\t", "\n": "\\n", "\x0b": "\\v",
    "\x0c": "\\f", "\r": "\\r", "\x1b": "\\e", '"': '\\"', "\\": "\\\\", "\x85": "\\N",
    "\u2028": "\\L", "\u2029": "\\P",
}  # fmt: skip


def _escaped(match: re.Match[str]) -> str:
    char = match[0]
    if char in _SHORT_ESCAPES:
        return _SHORT_ESCAPES[char]
    if "\ud800" <= char <= "\udfff":  # a lone surrogate is no character: no YAML holds it
        return "\\uFFFD"
    code = ord(char)
    return f"\\x{code:02X}" if code < 0x100 else f"\\u{code:04X}"


def is_plain(text: str) -> bool:
    """True when ``text`` may be written as a plain YAML scalar and read back as the same
    string by any YAML 1.1 or 1.2 parser (PyYAML, libyaml, pandoc's)."""
    return (
        bool(_PLAIN.fullmatch(text))
        and text[-1] != " "
        and "  " not in text
        and text.lower() not in _SPECIAL_WORDS
    )


def quoted(text: str) -> str:
    """``text`` as a double-quoted YAML string on one line (every line break and control
    character escaped, a lone surrogate as U+FFFD)."""
    return '"' + _ESCAPE.sub(_escaped, text) + '"'


def scalar(text: str) -> str:
    """``text`` as a YAML scalar: plain when that reads back as the same string, else
    double-quoted."""
    return text if is_plain(text) else quoted(text)
