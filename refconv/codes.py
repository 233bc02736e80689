"""The stable codes of refconv's diagnostics: one per kind of problem, the same from every
format (an unknown type is ``unknown-type`` in RIS, Refer, BibTeX and CSL-JSON alike).

A code names what went wrong, not how bad it is: a warning that ``--strict`` raises as an
error keeps its code. ``MEANINGS`` gives each code's usual level and meaning; the README's
"Diagnostic codes" table and the man page are made from it, and a test holds the table, this
list and the codes the sources use to one another. Codes are added, never renamed: editors,
CI filters and ``refconv check``'s counts rely on them.
"""

from __future__ import annotations

from typing import Literal

Code = Literal[
    # reading bytes and text
    "read-failed",
    "decode-failed",
    "decoded-cp1252",
    "byte-order-mark",
    "nul-replaced",
    "surrogate-replaced",
    "mojibake",
    "mojibake-repaired",
    # the syntax of a format
    "wrong-format",
    "invalid-json",
    "invalid-yaml",
    "invalid-xml",
    "xml-doctype",
    "invalid-entry",
    "invalid-item",
    "malformed-line",
    "unclosed-record",
    "stray-text",
    "skipped-comment",
    "skipped-preamble",
    "extra-document",
    "no-namespace",
    "no-records",
    "undefined-macro",
    "macro-too-long",
    "unknown-command",
    "xdata-loop",
    "unresolved-reference",
    "style-not-kept",
    # placing values (the loss policy: kept, never dropped)
    "unknown-type",
    "no-type",
    "unknown-field",
    "set-already",
    "repeated-field",
    "invalid-value",
    "invalid-date",
    "invalid-name",
    "invalid-doi",
    "invalid-isbn",
    "invalid-issn",
    "no-title",
    "no-year",
    "future-year",
    "replacement-character",
    "control-character",
    "html-entity",
    "duplicate-doi",
    # writing
    "no-field",
    "name-attribute-dropped",
    "invalid-key",
    "duplicate-key",
    "crossref-order",
    "suffix-mismatch",
    "format-failed",
    "empty-entry",
    "sort-failed",
    "kept-in-note",
    "url-encoded",
    "character-replaced",
    "write-failed",
    "records-skipped",
    "merged-duplicate",
    # the run
    "plugin-not-loaded",
    "worker-failed",
    "stopped",
    "unknown-format",
    "usage",
    "other",
]

#: Messages gathered before they can be reported (a writer's, for one record): (code, text).
Messages = list[tuple[Code, str]]

#: Each code's usual level ("error", "warning", "note"; ``--strict`` makes every warning an
#: error) and meaning, in the order of ``Code``.
MEANINGS: dict[Code, tuple[str, str]] = {
    "read-failed": ("error", "an input that cannot be read: missing, a directory, no "
                    "permission, a closed standard input"),
    "decode-failed": ("error", "bytes that are not text: not in the --encoding given, a NUL "
                      "byte (binary data), a line longer than 64 MiB"),
    "decoded-cp1252": ("warning", "an input that is not UTF-8, read as Windows-1252 (once per "
                       "input, at the first such line)"),
    "byte-order-mark": ("warning", "a byte-order mark inside the input (files joined with cat, "
                        "or decoded with the wrong code page)"),
    "nul-replaced": ("warning", "NUL characters in a CSL-JSON or YAML value, replaced by U+FFFD"),
    "surrogate-replaced": ("warning", "a lone UTF-16 surrogate in a CSL-JSON value, replaced "
                           "by U+FFFD"),
    "mojibake": ("warning", "text that looks mis-decoded (CafÃ©, 20¨C30%); --fix-text "
                 "repairs it"),
    "mojibake-repaired": ("note", "--fix-text repaired a mis-decoded value"),
    "wrong-format": ("error", "the input is not of the format named with -f (its root "
                     "element or first character says so)"),
    "invalid-json": ("error", "CSL-JSON that is not well-formed JSON"),
    "invalid-yaml": ("error", "CSL YAML that is not well-formed YAML"),
    "invalid-xml": ("error", "EndNote XML or MODS that is not well-formed XML"),
    "xml-doctype": ("error", "a DOCTYPE or entity declaration in XML input: refused, as "
                    "refconv never expands entities"),
    "invalid-entry": ("error", "a BibTeX entry that could not be parsed: skipped, the others "
                      "converted"),
    "invalid-item": ("error", "a CSL-JSON or CSL YAML item that is not an object: skipped"),
    "malformed-line": ("warning", "a RIS or MEDLINE tag line not written as the format wants "
                       "it, read as well as it can be"),
    "unclosed-record": ("warning", "a RIS record not closed with ER, or a MEDLINE record with "
                        "no blank line before it"),
    "stray-text": ("warning", "text or elements outside any record: skipped"),
    "skipped-comment": ("warning", "a comment inside a BibTeX entry, skipped as biber does"),
    "skipped-preamble": ("warning", "a BibTeX @preamble with no entry to carry it"),
    "extra-document": ("warning", "a second YAML document in the input: not read"),
    "no-namespace": ("warning", "MODS without its namespace, read as MODS"),
    "no-records": ("warning", "an input without a single record"),
    "undefined-macro": ("warning", "a BibTeX @string macro that is not defined: kept as its "
                        "name"),
    "macro-too-long": ("warning", "BibTeX macros that expand beyond the limit: kept as written"),
    "unknown-command": ("warning", "a LaTeX command refconv does not know: its argument is "
                        "kept as text"),
    "xdata-loop": ("warning", "BibLaTeX xdata entries that refer to one another"),
    "unresolved-reference": ("warning", "a BibTeX crossref or xdata key that no entry has: "
                             "kept in custom"),
    "style-not-kept": ("warning", "an EndNote XML font refconv does not carry: its text is read "
                       "as written"),
    "unknown-type": ("warning", "a reference type the format does not define: read as the "
                     "generic type, kept in custom"),
    "no-type": ("warning", "a record that gives no type: read as the generic type"),
    "unknown-field": ("warning", "a tag, field, key or element with no CSL variable: kept in "
                      "custom"),
    "set-already": ("warning", "a second value for a variable an earlier field set: kept in "
                    "custom"),
    "repeated-field": ("warning", "a second value for a field that takes one: kept in custom"),
    "invalid-value": ("warning", "a value of the wrong shape (not text, not true or false) or "
                      "one that reads back as nothing: kept in custom"),
    "invalid-date": ("warning", "a date refconv cannot read (n.d., MMXX), or text beside one: "
                     "kept as literal text, or in custom when another field gives the date"),
    "invalid-name": ("warning", "a name refconv cannot split into its parts, or several names "
                     "in one field"),
    "invalid-doi": ("warning", "a DOI that is not 10.NNNN/suffix"),
    "invalid-isbn": ("warning", "an ISBN with a wrong check digit or length, or a number field "
                     "that is no ISBN or ISSN"),
    "invalid-issn": ("warning", "an ISSN with a wrong check digit or length"),
    "no-title": ("warning", "a record without a title"),
    "no-year": ("warning", "a record without a year (check)"),
    "future-year": ("warning", "a year after 2100 (check)"),
    "replacement-character": ("warning", "U+FFFD in a value: text lost in decoding (check)"),
    "control-character": ("warning", "control characters in a value (check)"),
    "html-entity": ("warning", "HTML entities in a value (check)"),
    "duplicate-doi": ("warning", "a DOI an earlier record has (check)"),
    "no-field": ("error", "--strict: a value the output format has no field for"),
    "name-attribute-dropped": ("warning", "a CSL name attribute (comma-suffix, "
                               "static-ordering, parse-names) the output format cannot hold"),
    "invalid-key": ("warning", "a citation key with characters a key may not hold: written "
                    "without them"),
    "duplicate-key": ("warning", "the same citation key twice: the second record gets another "
                      "(convert), or is reported (check)"),
    "crossref-order": ("warning", "a BibTeX crossref parent written before its child, which "
                       "bibtex(1) does not read"),
    "suffix-mismatch": ("warning", "the suffix of -o names another format than -t"),
    "format-failed": ("error", "a record the CSL processor could not format: skipped"),
    "empty-entry": ("warning", "the CSL style prints nothing for a record"),
    "sort-failed": ("warning", "a record the CSL style cannot compute a sort key for: sorted "
                    "last"),
    "kept-in-note": ("warning", "a value the output format cannot hold safely or exactly in "
                     "its own field: kept in the note field"),
    "url-encoded": ("warning", "URL characters percent-encoded so that every BibTeX style "
                    "reads the URL as itself"),
    "character-replaced": ("warning", "a character XML 1.0 cannot hold, written as U+FFFD"),
    "write-failed": ("error", "an output that cannot be written or created"),
    "records-skipped": ("error", "records were skipped by the errors reported before (the "
                        "Python API's exception)"),
    "merged-duplicate": ("note", "--dedupe merged a record into an earlier one"),
    "plugin-not-loaded": ("warning", "a plugin that failed to import, declares no name, or "
                          "clashes with a built-in format"),
    "worker-failed": ("error", "a worker process of -j or --out-dir stopped (killed, out of "
                      "memory)"),
    "stopped": ("error", "a signal stopped the run"),
    "unknown-format": ("error", "an input whose format neither its suffix nor its content "
                       "tells: a usage error (exit status 2) for convert; for check and "
                       "--out-dir, that input is not read"),
    "usage": ("error", "a command line refconv cannot run: an unknown option, format, style "
              "or encoding, no output format (exit status 2)"),
    "other": ("warning", "a diagnostic of a plugin that names no code (refconv's own always "
              "name one)"),
}  # fmt: skip
