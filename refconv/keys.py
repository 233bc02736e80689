"""Citation keys: deterministic, readable, unique within one output; generated ones ASCII.

The default is ``{author}{year}{word}`` lowercased and folded to ASCII (``nahta2012molecular``):
German umlauts fold to two letters (``Günther`` → ``guenther``), everything else through
anyascii (``Kovářík`` → ``kovarik``, ``余敏`` → ``yumin``). An organisation gives the initials
of its words (``World Health Organization`` → ``who``). A key given in the input (a BibTeX
key, EndNote ``%F``, classic ``%L``) wins, as written (``пункт3``: a pandoc document citing
``@пункт3`` finds it; biber, XeLaTeX, LuaLaTeX and pdfLaTeX's UTF-8 input take such keys):
only characters TeX or the .bib syntax would read as markup are dropped (``KEY_UNSAFE``).
On a clash the later record gets ``a``, ``b``, ... appended, in input order; clashes are
found case-insensitively, because citeproc-py lower-cases ids.
"""

from __future__ import annotations

import re
import string
from array import array
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import NamedTuple

from refconv.diagnostics import Diagnostics
from refconv.model import Name, Record
from refconv.values.vocabulary import (
    DEFAULT_KEY_FORMAT,
    GERMAN_FOLDS,
    KEY_PLACEHOLDERS,
    TITLE_STOPWORDS,
)

try:  # the module hashlib takes blake2b from, without loading OpenSSL (a few ms per start)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - an interpreter without it
    from hashlib import blake2b

_FOLDS = str.maketrans(GERMAN_FOLDS)
MAX_WORD = 20  # an unspaced CJK title folds to one long "word"
_NOT_KEY = re.compile(r"[^A-Za-z0-9_:.\-/+]")  # a generated key: ASCII only
#: What a key given in the input may not hold: all but letters and digits of any script
#: and ``_ : . - / +``, the characters ordinary in ``\\cite``, ``\\bibitem``, the .aux file
#: and the .bib syntax (biber, XeLaTeX, LuaLaTeX and pdfLaTeX's UTF-8 input write letters
#: to the .aux as they are; pandoc's ``@key`` takes them).
KEY_UNSAFE = re.compile(r"[^\w:.\-/+]")


_NOT_ALNUM = re.compile(r"[^a-z0-9]")
#: An item id that names a place, not a work: Zotero's ``http://zotero.org/users/1/items/AB``,
#: ``urn:``/``info:`` ids; or a record number (Zotero's and Mendeley's numeric ids).
_NOT_A_KEY = re.compile(r"\w+://.*|(?:urn|info):.*|\d+", re.IGNORECASE | re.DOTALL)


def usable_key(text: str) -> bool:
    """Can an item's id serve as its citation key? Not a URI or a bare number: ``\\cite``
    takes them, but no author would type them (issue 20: a Zotero CSL-JSON export)."""
    return bool(KEY_UNSAFE.sub("", text)) and not _NOT_A_KEY.fullmatch(text.strip())


def clash_form(key: str) -> str:
    """The form in which two citation keys given in the input clash (``KeyAssigner``): the
    characters a key may hold (``KEY_UNSAFE``), lower-cased, since citeproc-py lower-cases
    ids. ``refconv check`` and ``--dedupe key`` compare keys in it; "" for no key."""
    return KEY_UNSAFE.sub("", key).lower()


def fold(text: str) -> str:
    """Lower-case ASCII letters and digits only."""
    if not text.isascii():  # German folds (ü → ue) and transliteration only when needed
        text = _transliterate(text.translate(_FOLDS))
    text = text.lower()
    return text if text.isalnum() else _NOT_ALNUM.sub("", text)  # ASCII: [a-z0-9] already


def ascii_key(key: str) -> str:
    """``key`` folded to the ASCII a key of a classic BibTeX file for pdfLaTeX needs
    (``пункт3`` → ``punkt3``: pdfLaTeX cannot write most scripts to the .aux, and alpha.bst
    copies a key's first letters into the label), the German folds as for generated keys."""
    folded = _transliterate(key.translate(_FOLDS)) if not key.isascii() else key
    return _NOT_KEY.sub("", folded)


def _transliterate(text: str) -> str:
    """``text`` in ASCII letters (anyascii), imported on first use: an ASCII input never
    loads its tables (and the importlib.resources and tempfile machinery they come through)."""
    from anyascii import anyascii

    return anyascii(text)


def check_key_format(template: str) -> None:
    """Raise ``ValueError`` naming the problem if ``template`` is not a usable key format."""
    try:
        fields = [(f, c, s) for _, f, s, c in string.Formatter().parse(template) if f is not None]
    except ValueError as exc:
        raise ValueError(f"bad key format {template!r}: {exc}") from None
    for field, conversion, spec in fields:  # "{year:x}" raised at the first record; a
        if conversion or spec:  # "{title:>300000000}" padded every key to 300 MB
            shown = "{" + field + (f"!{conversion}" if conversion else "") + f":{spec}" * bool(spec)
            raise ValueError(
                f"key format {template!r}: {shown + '}'} has a conversion or format spec; "
                "write placeholders bare, as {author}{year}"
            )
    names = [field for field, _, _ in fields]
    unknown = sorted(set(names) - set(KEY_PLACEHOLDERS))
    if unknown:
        known = ", ".join("{" + k + "}" for k in KEY_PLACEHOLDERS)
        raise ValueError(f"unknown placeholder {{{unknown[0]}}} in key format; known: {known}")


def _name_part(name: Name) -> str:
    if name.literal:
        words = [w for w in re.split(r"[\s,]+", name.literal) if w[:1].isupper()]
        if len(words) >= 2:
            return fold("".join(w[0] for w in words))
        return fold(name.literal.split()[0]) if name.literal.split() else ""
    return fold(name.particle + name.family) or fold(name.given)


_TITLE_SPLIT = re.compile(r"[\s\-–—:;,.!?/()\[\]\"']+")


def _title_words(record: Record, count: int = 3) -> list[str]:
    """The first ``count`` significant words of the title, folded (the key uses no more)."""
    words = (fold(w) for w in _TITLE_SPLIT.split(record.fields.get("title", "")))
    return list(islice((w for w in words if w and w not in TITLE_STOPWORDS), count))


def first_person(record: Record) -> Name | None:
    """The person a record is known by: its first author, else its first editor, else the
    first name of any role (the ``{author}`` of keys, ``--sort author``, ``--dedupe title``)."""
    people = next((record.names[r] for r in ("author", "editor") if record.names.get(r)), None)
    if people is None:
        people = next(iter(record.names.values()), [])
    return people[0] if people else None


def key_parts(record: Record) -> dict[str, str]:
    """The values of the key placeholders for one record."""
    person = first_person(record)
    issued = record.dates.get("issued")
    words = _title_words(record)
    return {
        "author": _name_part(person) if person is not None else "",
        "year": str(issued.year) if issued and issued.year else "",
        "word": words[0][:MAX_WORD] if words else "",
        "title": "".join(words[:3]),
    }


def letter_suffix(n: int) -> str:
    """0 → a, 25 → z, 26 → aa, ... (key suffixes, and year suffixes as citeproc-js makes)."""
    letters = ""
    n += 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(97 + rem) + letters
    return letters


class KeyRequest(NamedTuple):
    """The key a record asks for (``given`` when the input named it), and where it is: the
    part of key assignment that needs no other record, so it can run in parallel. A named
    tuple: one is made per record, three times faster than a frozen dataclass."""

    key: str
    given: bool
    path: str
    line: int
    #: the input's key when characters a citation key may not hold were dropped from it
    dropped_from: str = ""
    #: ``FingerprintTable.fingerprint(key)`` when known (0: not yet): computed where the
    #: request is made, in parallel, so that granting does not hash the key again
    fingerprint: int = 0


class FingerprintTable:
    """Keys seen, each with a number: an open-addressing hash table of 64-bit fingerprints
    in arrays, 8 bytes a slot (16 with numbers), at most half full. A set of a million key
    strings takes ~100 MB; this takes 16 MB. Two different keys with the same fingerprint
    (odds about 1 in 10^7 for a million keys) only cost an unneeded suffix: a key is never
    given twice."""

    def __init__(self, *, values: bool = True) -> None:
        self.slots = array("Q", [0]) * 1024
        self.values = array("Q", [0]) * (1024 if values else 0)  # a set needs none
        self.size = 0

    @staticmethod
    def fingerprint(key: str) -> int:
        digest = blake2b(key.lower().encode("utf-8", "surrogatepass"), digest_size=8).digest()
        return int.from_bytes(digest, "little") or 1  # 0 marks an empty slot

    def _slot(self, fp: int) -> int:
        mask = len(self.slots) - 1
        i = fp & mask
        while self.slots[i] not in (0, fp):
            i = (i + 1) & mask
        return i

    def get(self, key: str, fp: int = 0) -> int | None:
        """The number stored for ``key``, None if it was never put; ``fp`` is its
        fingerprint when the caller has it."""
        fp = fp or self.fingerprint(key)
        i = self._slot(fp)
        if not self.slots[i]:
            return None
        return self.values[i] if self.values else 0

    def put(self, key: str, value: int = 0, fp: int = 0) -> None:
        fp = fp or self.fingerprint(key)
        i = self._slot(fp)
        if not self.slots[i]:
            self.slots[i] = fp
            self.size += 1
        if self.values:
            self.values[i] = value
        if 2 * self.size > len(self.slots):  # keep probes short: at most half full
            self._grow()

    def add(self, key: str, fp: int = 0) -> bool:
        """Put ``key`` unless it is there; True if it was new (one fingerprint, not two)."""
        fp = fp or self.fingerprint(key)
        i = self._slot(fp)
        if self.slots[i]:
            return False
        self.slots[i] = fp
        self.size += 1
        if 2 * self.size > len(self.slots):
            self._grow()
        return True

    def __contains__(self, key: str) -> bool:
        return self.get(key) is not None

    def _grow(self) -> None:
        """Double the table, moving the entries one by one (no list of them: at a million
        keys that list alone would take 130 MB)."""
        slots, values = self.slots, self.values
        self.slots = array("Q", [0]) * (2 * len(slots))
        self.values = array("Q", [0]) * (2 * len(values))
        for i, fp in enumerate(slots):
            if fp:
                j = self._slot(fp)
                self.slots[j] = fp
                if values:
                    self.values[j] = values[i]


class KeyAssigner:
    """Gives each record of one output a unique ``id``."""

    def __init__(self, template: str = DEFAULT_KEY_FORMAT, diagnostics: Diagnostics | None = None):
        check_key_format(template)
        self.template = template
        self.diagnostics = diagnostics or Diagnostics()
        self.used = FingerprintTable(values=False)  # every key given
        self.next = FingerprintTable()  # a base key that clashed → the first suffix to try

    def _take(self, base: str, fp: int = 0) -> str:
        """``base``, or its first free suffixed form, now marked as used; ``fp`` is the
        fingerprint of ``base`` when known."""
        fp = fp or FingerprintTable.fingerprint(base)
        if self.used.add(base, fp):
            return base
        n = self.next.get(base, fp) or 0  # the suffixes before it are taken: no need to look
        while not self.used.add(f"{base}{letter_suffix(n)}"):
            n += 1
        self.next.put(base, n + 1, fp)
        return f"{base}{letter_suffix(n)}"

    def request(self, record: Record) -> KeyRequest:
        """The key ``record`` asks for, before clashes are resolved (no state changes)."""
        raw = record.fields.get("citation-key", "")
        given = KEY_UNSAFE.sub("", raw)
        if given:
            dropped = raw if given != raw else ""
            fp = FingerprintTable.fingerprint(given)
            return KeyRequest(given, True, record.source.path, record.source.line, dropped, fp)
        key = _NOT_KEY.sub("", self.template.format(**key_parts(record)))
        if not usable_key(key):  # no author or title word: "" or "1800" is no key
            key = "ref" + key
        fp = FingerprintTable.fingerprint(key)
        return KeyRequest(key, False, record.source.path, record.source.line, "", fp)

    def grant(self, request: KeyRequest) -> str:
        """The unique key for ``request``, in order: a clash gets ``a``, ``b``, ..."""
        key = self._take(request.key, request.fingerprint)
        if request.dropped_from:  # the original stays in CSL-JSON's citation-key
            self.diagnostics.warn(
                f"citation key {request.dropped_from!r} has characters a key may not hold "
                f"(only letters, digits and _ : . - / +); written as {request.key!r}",
                request.path, request.line, code="invalid-key",
            )  # fmt: skip
        if request.given and key != request.key:
            self.diagnostics.warn(
                f"citation key {request.key!r} is used twice; this record gets {key!r}",
                request.path, request.line, code="duplicate-key",
            )  # fmt: skip
        return key

    def key_for(self, record: Record) -> str:
        """Return a new unique key for ``record`` and remember it."""
        return self.grant(self.request(record))

    def assign(self, records: Iterable[Record]) -> Iterator[Record]:
        """Yield the records with ``id`` set, in order (streaming)."""
        for record in records:
            record.id = self.key_for(record)
            yield record
