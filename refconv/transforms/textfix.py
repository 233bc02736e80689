"""Mojibake: text decoded with the wrong codec before it reached us, found and (on request)
repaired record by record.

Two kinds are common in exported references. UTF-8 bytes read as Windows-1252 ("CafÃ©" for
"Café", "â€“" for "–"), which ftfy's ``fix_encoding`` undoes reliably. And punctuation
written in GBK by a Chinese database and read as Latin-1: the en dash U+2013 is GBK ``A8 43``,
which Latin-1 shows as "¨C" (the seed record's "20¨C30%"). ftfy does not know that one, so a
small table maps the GBK punctuation marks back; only punctuation, whose two-byte forms are
rare in real text, never letters.

Text is never changed silently: without ``fix`` each damaged value is a warning, with ``fix``
each repair is a note with the before and after.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, fields
from functools import lru_cache
from typing import Any

from refconv.diagnostics import Diagnostics
from refconv.model import Name, Record

_UNDEFINED = {0x81, 0x8D, 0x8F, 0x90, 0x9D}  # bytes Windows-1252 has no character for
#: Windows-1252's characters for the bytes 0x80-0x9F (Latin-1 gives the rest).
_CP1252_BYTE = {bytes([b]).decode("cp1252"): b for b in range(0x80, 0xA0) if b not in _UNDEFINED}
#: What a UTF-8 continuation byte (0x80-0xBF) looks like read as Windows-1252 or Latin-1.
_CONTINUATION = "\\x80-\\xbf" + "".join(_CP1252_BYTE)

#: UTF-8 read as Windows-1252: the lead byte of a Latin letter (U+0080-U+017F: Western and
#: Central European) shown as Â/Ã/Ä/Å, then a continuation byte; "â€", the first two bytes of
#: General Punctuation (dashes, quotes); or "ðŸ", those of emoji. Other scripts are not
#: guessed at.
UTF8_AS_1252 = re.compile(f"[ÂÃÄÅ][{_CONTINUATION}]|â€|ðŸ")
#: One UTF-8 character's bytes shown as Windows-1252 or Latin-1: a lead byte and as many
#: continuation bytes as it announces.
_RUN = (
    f"[\\xc2-\\xdf][{_CONTINUATION}]|[\\xe0-\\xef][{_CONTINUATION}]{{2}}"
    f"|[\\xf0-\\xf4][{_CONTINUATION}]{{3}}"
)


@lru_cache(maxsize=1)
def _run() -> re.Pattern[str]:
    return re.compile(_RUN)  # 2.5 ms to compile: only when --fix-text repairs something


#: GBK punctuation read as Latin-1 → the punctuation mark (e.g. "¨C" → "–").
GBK_PUNCTUATION = {mark.encode("gbk").decode("latin-1"): mark for mark in "–—‘’“”…·、。，"}
GBK_AS_LATIN1 = re.compile("|".join(map(re.escape, GBK_PUNCTUATION)))

#: pattern → what it means, as the warnings say it.
KINDS = (
    (UTF8_AS_1252, "looks like UTF-8 read as Windows-1252 (mojibake)"),
    (GBK_AS_LATIN1, "looks like GBK punctuation read as Latin-1 (20¨C30 for 20–30)"),
)

_NAME_PARTS = tuple(f.name for f in fields(Name) if f.type == "str")  # not its flags


def problem(text: str) -> str | None:
    """The warning for ``text`` if it looks damaged (with an excerpt), else None."""
    if text.isascii():
        return None
    for pattern, meaning in KINDS:
        found = pattern.search(text)
        if found:
            return f"{meaning}: {excerpt(text, found.start())!r}"
    return None


def repair(text: str) -> str:
    """``text`` with both kinds of mojibake undone (unchanged when there is none)."""
    if text.isascii():
        return text
    for _ in range(3):  # text encoded twice comes back in two rounds
        if not UTF8_AS_1252.search(text):
            break
        text = _run().sub(_as_utf8, text)
    if UTF8_AS_1252.search(text):  # what is left is not clean UTF-8 bytes: ftfy's heuristics
        import ftfy  # only when needed: it costs ~40 ms to import

        text = ftfy.fix_encoding(text)
    return GBK_AS_LATIN1.sub(lambda m: GBK_PUNCTUATION[m.group()], text)


def _as_utf8(run: re.Match[str]) -> str:
    """A lead byte and its continuation bytes as the UTF-8 character they spell, if they do
    (bytes that do not decode are left as they are)."""
    data = bytes(_CP1252_BYTE.get(c, ord(c)) for c in run.group())
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return run.group()


def excerpt(text: str, at: int) -> str:
    """The 24 characters around ``at``: enough to find the place in the input."""
    return text[max(0, at - 12) : at + 12]


@dataclass(frozen=True)
class TextCheck:
    """The pipeline's text step (``refconv.transforms.Transform``): damaged text is a warning,
    or with ``fix`` (``--fix-text``) repaired with a note. Default: report only."""

    fix: bool = False

    def __call__(self, record: Record, diagnostics: Diagnostics, /) -> Record:
        """``check_record`` with this step's ``fix``."""
        return check_record(record, diagnostics, fix=self.fix)


def check_record(record: Record, diagnostics: Diagnostics, *, fix: bool = False) -> Record:
    """Warn about each damaged text value of ``record``, or repair it with a note if ``fix``;
    return ``record`` (repaired in place)."""
    for label, text, holder, key in _values(record):
        found = problem(text)
        if found is None:
            continue
        where = (record.source.path, record.source.line)
        if not fix:
            diagnostics.warn(f"{label} {found}; --fix-text repairs it", *where, code="mojibake")
            continue
        fixed = repair(text)
        if problem(fixed) is not None:
            diagnostics.warn(
                f"{label} {found}; --fix-text could not repair it all", *where, code="mojibake"
            )
        if fixed != text:
            _put(holder, key, fixed)
            diffs = (i for i, (a, b) in enumerate(zip(text, fixed, strict=False)) if a != b)
            at = next(diffs, min(len(text), len(fixed)))
            before, after = excerpt(text, at), excerpt(fixed, at)
            diagnostics.note(
                f"{label}: repaired {before!r} as {after!r}", *where, code="mojibake-repaired"
            )
    return record


def _values(record: Record) -> Iterator[tuple[str, str, Any, Any]]:
    """(label, text, holder, key) of every non-ASCII text value of ``record``: the value is
    ``holder[key]``, or the attribute ``key`` of a ``Name`` (see ``_put``)."""
    for var, text in record.fields.items():
        if not text.isascii():
            yield var, text, record.fields, var
    for role, people in record.names.items():
        for person in people:
            for part in _NAME_PARTS:
                text = getattr(person, part)
                if not text.isascii():
                    yield role, text, person, part
    for i, text in enumerate(record.keywords):
        if not text.isascii():
            yield "keyword", text, record.keywords, i
    for key, values in record.extra.items():
        for i, text in enumerate(values):
            if not text.isascii():
                yield key, text, values, i


def _put(holder: Any, key: Any, value: str) -> None:
    if isinstance(holder, Name):
        setattr(holder, key, value)
    else:
        holder[key] = value
