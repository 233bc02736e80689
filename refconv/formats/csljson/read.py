"""CSL-JSON reader: an array of CSL items (or one item), item by item, with line numbers.

Items are decoded one at a time with ``JSONDecoder.raw_decode``, so a diagnostic names the line
where the item starts. Names, dates (``date-parts``, ``literal``, ``raw``, EDTF strings),
``keyword`` (split on commas or semicolons) and ``custom`` (back into ``extra``) are understood;
a key CSL does not define is kept in ``extra`` with a warning, and so is a key a name object
does not define (under ``author[0].key``); the name attributes of the CSL schema
(``comma-suffix``, ``static-ordering``, ``parse-names``) are read into ``Name``. An item that is
no object is reported as an error and skipped; the next items are read. Dates are checked: month
13-16 is a season (citeproc-js), numbers that make no date are kept as literal text; lone
surrogates (``\\ud800``, no character) become U+FFFD; nothing in an item raises.

The loss policy (``ReadRules``) as CSL-JSON needs it: a key given twice in an item, a name, a
date or ``custom`` uses its first value and keeps the later ones ("repeated"); a date object
keeps what its date does not carry (a ``raw`` or ``literal`` that reads as another date, an
unknown key) under ``issued.raw``...; a value of the wrong shape (``true``, ``null``, an object
where text is expected) is kept as JSON text, never as Python's ``repr``; an ``id`` that
differs from ``citation-key`` is kept (``CSL_ID``) and written back as the item's id; so is an
``id`` that is no usable key (a Zotero item URI, a bare number: ``keys.usable_key``), and the
record gets a key made like any other.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from refconv.diagnostics import Diagnostics, RefconvError
from refconv.formats.base import Reader, ReadRules, Warn
from refconv.formats.base import shown as shown_text
from refconv.formats.csljson.syntax import (
    REPEATS_MET,
    Buffer,
    next_item,
    rebuilt,
    without_nul,
)
from refconv.formats.csljson.tables import CSL_ID
from refconv.keys import usable_key
from refconv.model import (
    CSL_TYPES,
    DATE_VARIABLES,
    NAME_VARIABLES,
    TEXT_VARIABLES,
    Date,
    Name,
    Record,
    SourcePos,
)
from refconv.values.dates import date_problem, parse_date
from refconv.values.edtf import OPEN_RANGE, parse_edtf, qualified
from refconv.values.names import has_text, split_dropping_particle
from refconv.values.text import split_keyword_text

if TYPE_CHECKING:
    from refconv.codes import Code

_NAME_KEYS = {
    "family": "family",
    "given": "given",
    "non-dropping-particle": "particle",
    "dropping-particle": "dropping_particle",
    "suffix": "suffix",
    "literal": "literal",
}
_TEXT = frozenset(TEXT_VARIABLES)

#: CSL 1.0.2 variables (spec appendix IV, CSL-JSON schema) with no field in refconv's model:
#: kept in custom, where the formatted writers still find them for the style.
CUSTOM_VARIABLES = (
    "part-number", "part-title", "printing-number", "supplement-number", "reviewed-genre",
    "volume-title-short", "license",
)  # fmt: skip

#: Input keys citeproc-js reads as a CSL variable: CSL 1.0.1's ``event`` (renamed
#: ``event-title`` in CSL 1.0.2) and Zotero's ``journalAbbreviation`` and ``shortTitle``.
ALIASES = {
    "event": "event-title",
    "journalAbbreviation": "container-title-short",
    "shortTitle": "title-short",
}


#: The CSL schema's true/false name attributes, as ``Name`` fields.
NAME_FLAGS = {
    "comma-suffix": "comma_suffix",
    "static-ordering": "static_ordering",
    "parse-names": "parse_names",
}


def name_from_csl(value: Any, rest: dict[str, Any] | None = None) -> Name | None:
    """A ``Name`` from a CSL name object (or a bare string, kept as a literal).

    ``rest`` gets the keys the name cannot hold: a key the CSL schema does not define, and a
    flag (``comma-suffix``...) that is not ``true`` or ``false`` (citeproc-js would take
    "false" as true), so the caller can keep them.
    """
    if isinstance(value, str):
        return Name(literal=value)
    if not isinstance(value, dict):
        return None
    name = Name()
    for key, item in value.items():
        if key in _NAME_KEYS and isinstance(item, str):
            setattr(name, _NAME_KEYS[key], item)
        elif key in _NAME_KEYS and _is_number(item):
            setattr(name, _NAME_KEYS[key], _number_text(item))
        elif key in NAME_FLAGS and isinstance(item, bool):
            setattr(name, NAME_FLAGS[key], item)
        elif rest is not None:
            rest[key] = item
    if not name.literal and "dropping-particle" not in value and name.parse_names is not False:
        # "given": "Ahmad bin": trailing lower-case particles are CSL's dropping-particle,
        # as citeproc-js parses them (CSL-JSON schema: parse-names false turns this off)
        given, dropping = split_dropping_particle(name.given)
        if given and dropping:
            name.given, name.dropping_particle = given, dropping
    return name


#: citeproc-js's seasons in the month place: 13-16 spring to winter; EDTF's 21-24 likewise.
_SEASON_MONTHS = {13: 1, 14: 2, 15: 3, 16: 4, 21: 1, 22: 2, 23: 3, 24: 4}
_SEASON_WORDS = {"spring": 1, "summer": 2, "autumn": 3, "fall": 3, "winter": 4}
_INTEGER = re.compile(r"-?[0-9]{1,6}", re.ASCII)


def _whole(value: Any) -> int | None:
    """A date number as CSL-JSON writes it (2012, "2012", 2012.0), in range or not; None for
    anything else (true, 2012.5, "12a", null)."""
    if type(value) is int:
        return value
    if type(value) is float and value.is_integer():  # not inf or nan
        return int(value)
    if isinstance(value, str) and _INTEGER.fullmatch(value.strip()):
        return int(value)
    return None


def _is_number(value: Any) -> bool:
    """A JSON number (``true`` and ``false`` are no numbers, though Python's bool is an int)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _scalar_text(value: Any) -> str:
    """A value as text: a string as it is, anything else as JSON text (keys sorted), never
    Python's own syntax (``None``, ``True``, ``{'a': 1}``)."""
    if isinstance(value, str):
        return value
    try:
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    except ValueError:  # an int beyond Python's 4300-digit str() limit (from the Python API)
        return "<a value with an integer of over 4300 digits>"


def _number_text(value: int | float) -> str:
    try:
        return str(value)
    except ValueError:  # over 4300 digits: only the Python API can pass one
        return _scalar_text(value)


def _parts_text(parts: list[Any]) -> str:
    """Date-parts as literal text: ``2020-17``, ranges joined by ``/``."""
    return "/".join("-".join(_scalar_text(x) for x in p) for p in parts)


def _season(value: Any) -> int | None:
    if value is None or value == "":
        return None
    number = _whole(value)
    if number is not None:
        return number if 1 <= number <= 4 else _SEASON_MONTHS.get(number, 0)
    if isinstance(value, str):
        return _SEASON_WORDS.get(value.strip().lower(), 0)
    return 0


def _from_parts(parts: Any, problem: Callable[[str], None]) -> Date | None:
    """A ``Date`` from ``date-parts``; out-of-range numbers give a literal (``problem`` says
    why); None when the value is not a list of lists of numbers at all.

    An end of zeros after a start, ``[[2018, 2], [0, 0]]`` (``[0]``, ``[0, 0]``, ``[0, 0, 0]``,
    numbers or strings), is citeproc-js's open-ended range "2018–" (``Date.open_end``); a
    start of zeros (``[[0], [2018]]``) is none: citeproc-js prints no date for it, so it stays
    a literal with "there is no year 0"."""
    if not (isinstance(parts, list) and all(isinstance(p, list) for p in parts)):
        return None
    parts = [p for p in parts if p]
    if not parts or not all(
        x is None or isinstance(x, (str, int, float)) for p in parts for x in p
    ):
        return None
    if len(parts) == 2 and len(parts[1]) <= 3 and all(_whole(x) == 0 for x in parts[1]):
        start = _from_parts(parts[:1], problem)
        if start is not None and start.parts:
            return Date(start.parts, season=start.season, open_end=True)
        return start if start is None else Date(literal=_parts_text(parts))
    clean: list[tuple[int, ...]] = []
    seasons: set[int] = set()
    for part in parts:
        numbers = [_whole(x) for x in part]
        if None in numbers:  # no number at all: kept in custom as it is
            return None
        if len(part) > 3:
            problem("a date part is at most year, month and day")
            return Date(literal=_parts_text(parts))
        if len(numbers) > 1 and numbers[1] in _SEASON_MONTHS:
            seasons.add(_SEASON_MONTHS[numbers[1]])
            if len(numbers) > 2:
                problem(f"a season has no day; day {numbers[2]} dropped")
            numbers = numbers[:1]
        clean.append(tuple(numbers))  # type: ignore[arg-type]
    why = date_problem(tuple(clean)) or (
        "a range with two different seasons" if len(seasons) > 1 else ""
    )
    if why or len(parts) > 2:
        problem(why or "a date has one or two (range) parts")
        return Date(literal=_parts_text(parts))
    return Date(tuple(clean), season=seasons.pop() if seasons else None)


def _no_problem(message: str) -> None:
    pass


#: The keys of a CSL date object (CSL-JSON schema 1.0.2).
DATE_KEYS = ("date-parts", "season", "circa", "literal", "raw")


def date_from_csl(
    value: Any,
    problem: Callable[[str], None] | None = None,
    rest: dict[str, Any] | None = None,
) -> Date | None:
    """A ``Date`` from a CSL date object (``date-parts``, ``literal``, ``raw``) or string.

    Numbers that make no calendar date (month 17, day 32, year 0, 10^30, true, "x") give a
    literal date holding the text, and ``problem`` is told why; month 13-16 is a season
    (citeproc-js). None when the value is no date at all (it is kept in custom). ``rest``
    gets the keys the date does not carry: a ``raw`` or ``literal`` beside the one used that
    reads as another date, a ``date-parts`` that was not used, a key CSL does not define.
    """
    problem = problem or _no_problem
    if isinstance(value, str):
        return _date_from_string(value, problem)
    if not isinstance(value, dict):
        return None
    date, used = None, {k for k in ("season", "circa") if value.get(k) in (None, False, "")}
    if "date-parts" in value:
        date = _from_parts(value["date-parts"], problem)
        if date is not None and not date.literal:
            used.add("date-parts")
    if date is None or date.literal:
        for key in ("raw", "literal"):
            if isinstance(value.get(key), str):  # a literal may be anything: no warning
                if key == "literal":
                    date = _date_from_text(value[key], value[key], _no_problem)
                else:
                    date = _date_from_string(value[key], problem)
                used.add(key)
                break
        else:
            used.add("date-parts")  # a date-parts literal (or nothing) is the date
    if date is not None and not date.literal:
        season = _season(value.get("season"))
        if season == 0:
            problem(f"season {_scalar_text(value['season'])} is not 1-4 (spring-winter)")
        elif season and not date.season:
            date.season = season
        date.circa = date.circa or bool(value.get("circa"))  # "c. 1900" in raw is circa too
        used.update(("season", "circa"))
    if rest is not None and date is not None:
        for key, one in value.items():
            if key not in used and not (
                key in ("raw", "literal") and date_from_csl(one) == date  # agrees: no noise
            ):
                rest[key] = one
    return date


#: A CSL month 13-16 (a season, citeproc-js) in a date string, "2012-13": pandoc writes a
#: season date so in CSL YAML and reads it back as one.
_SEASON_STRING = re.compile(r"([0-9]{4})-(1[3-6])", re.ASCII)


def _date_from_string(value: str, problem: Callable[[str], None]) -> Date | None:
    """A date string (or ``raw``): EDTF first, as pandoc (citeproc) reads it, so that
    ``2012-03-15/2013``, ``2012~`` (circa), ``2012-21`` (spring), ``2012/..`` (open end) and
    ``2012-03-15T10:00:00`` mean what EDTF says; any other text as a person writes a date
    (``parse_date``: "March 2012", "1996-97"). A year of 0 or below is not read as EDTF
    (astronomical years: "-0044" would be 45 BC). A time of day, ``?``/``%`` and an open
    start ("../2012": its end is the date) are told to ``problem`` (the text is kept)."""
    text = value.strip()
    if m := _SEASON_STRING.fullmatch(text):
        return _from_parts([[m[1], m[2]]], problem)
    date, why = parse_edtf(text)
    known, more = text, ""
    if date is None and not why and (open_range := OPEN_RANGE.fullmatch(text)):
        known = open_range["start"] or open_range["end"]
        date, why = parse_edtf(known)
        if date is None or len(date.parts) != 1:
            date = None
        elif open_range["start"]:
            date.open_end = True
        else:  # citeproc-js prints no date for CSL's open start, [[0], [2012]]
            more = "an open range; only its end is a date"
    if date is not None and all(part[0] > 0 for part in date.parts):
        if more := more or qualified(known):
            problem(more)
        return date
    return _date_from_text(value, value.replace("/", "-") if "-" in value else value, problem)


def _date_from_text(text: str, cleaned: str, problem: Callable[[str], None]) -> Date | None:
    parsed = parse_date(cleaned)
    if parsed.problem:
        problem(parsed.problem)
    elif parsed.leftover and parsed.kind == "date":
        problem(f"{parsed.leftover!r} is not part of a date")
        return Date(literal=text)
    if parsed.kind == "literal":  # text that is no date: the literal as written, with the
        problem("not a date refconv can read")  # warning of every reader ("literal": none)
    if parsed.kind in ("literal", "none"):  # "n.d." says it has none: kept as written
        return Date(literal=text)
    return parsed.date


def shown_json(value: Any) -> str:
    """A JSON value for a one-line message, as written (a string quoted), at most 60
    characters."""
    text = json.dumps(value, ensure_ascii=False) if isinstance(value, str) else _scalar_text(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(one, str) for one in value)


def _read_custom(record: Record, tag: str, values: Any, rules: ReadRules, line: int) -> None:
    """One ``custom`` entry back into ``extra``: a string or a list of strings as it is (the
    writer's shape), a number as written, anything else as JSON text with a warning."""
    if isinstance(values, str):
        record.add_extra(tag, values)
    elif _is_number(values):
        record.add_extra(tag, _number_text(values))
    elif _strings(values):
        for one in values:
            record.add_extra(tag, one)
    else:
        text = _scalar_text(values)
        why = f"custom {tag} {shown_json(values)}: not text; kept in custom as JSON text"
        rules.kept(record, tag, text, why, line, code="invalid-value")


def _keep_date_key(record: Record, where: str, value: Any, rules: ReadRules, line: int) -> None:
    """A key of a date object that the date does not carry, kept under ``issued.raw``."""
    text = _scalar_text(value)
    if where.rpartition(".")[2] not in DATE_KEYS:
        rules.unknown_field(record, where, text, "CSL date key", line)
    else:
        why = f"{where} {shown_json(value)}: is not the date read; kept in custom"
        rules.kept(record, where, text, why, line, code="invalid-date")


def _unreadable(
    record: Record, key: str, value: Any, rules: ReadRules, line: int, code: Code
) -> None:
    text = _scalar_text(value) if not isinstance(value, str) else json.dumps(value)
    rules.kept(record, key, text, f"cannot read {key} {text}; kept in custom", line, code=code)


_SURROGATE = re.compile("[\ud800-\udfff]")
#: A JSON escape of a UTF-16 surrogate (the reader looks for these before walking an item).
SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _valid_text(text: str) -> str:
    """``text`` with surrogate pairs joined and lone surrogates (no character at all; no
    encoder writes them) replaced by U+FFFD."""
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def _keep_repeats(record: Record, value: Any, where: str, rules: ReadRules, line: int) -> None:
    """Every later value of a key given twice in ``value`` (an item, a name, a date, custom),
    kept under its place (``title``, ``author[0].family``, ``issued.raw``, a custom tag) with
    the shared "repeated" warning: the first value is used, as the BibTeX reader does. The
    same value again loses nothing and is no noise."""
    if isinstance(value, dict):
        for key, one in getattr(value, "repeats", ()):
            if one == value[key]:  # the same value again: nothing is lost
                continue
            at = key if where in ("", "custom") else f"{where}.{key}"
            if where == "custom" and isinstance(one, list):
                for each in one:
                    rules.repeated(record, at, _scalar_text(each), line)
            else:
                rules.repeated(record, at, _scalar_text(one), line)
        for key, one in value.items():
            _keep_repeats(record, one, f"{where}.{key}" if where else key, rules, line)
    elif isinstance(value, list):
        for i, one in enumerate(value):
            _keep_repeats(record, one, f"{where}[{i}]", rules, line)


def _without_surrogates(value: Any, where: str, found: list[str]) -> Any:
    """``value`` with every string made valid; ``found`` gets the place of each repair."""
    if isinstance(value, str):
        if value.isascii() or not _SURROGATE.search(value):
            return value
        fixed = _valid_text(value)
        if fixed.count("\ufffd") > value.count("\ufffd"):
            found.append(where)
        return fixed
    if isinstance(value, dict):
        return rebuilt(
            value, lambda k, v: _without_surrogates(v, where or _valid_text(str(k)), found),
            lambda k: _without_surrogates(k, where or _valid_text(str(k)), found),
        )  # fmt: skip
    if isinstance(value, list):
        return [_without_surrogates(v, where, found) for v in value]
    return value


def record_from_csl(
    item: dict[str, Any],
    source: SourcePos,
    warn: Diagnostics | Warn,
    *,
    surrogates: bool = True,
    repeats: bool = True,
) -> Record:
    """The inverse of ``refconv.formats.csljson.write.record_to_csl``.

    Lone surrogates (JSON ``\\ud800`` escapes, which decode to no character) are replaced by
    U+FFFD with a warning naming the field; ``surrogates=False`` skips the check when the
    caller knows there are none; ``repeats=False`` likewise skips the search for keys given
    twice (``Repeated`` objects from the reader's decoder).
    """
    rules = ReadRules(warn, source.path)
    if surrogates:
        found: list[str] = []
        item = _without_surrogates(item, "", found)
        for where in dict.fromkeys(found):
            rules.warn(
                f"{where or 'a key'}: lone UTF-16 surrogate (invalid Unicode) replaced by U+FFFD;"
                " the rest of the value is kept",
                source.line,
                code="surrogate-replaced",
            )
    record = Record(type=str(item.get("type", "document")), source=source)
    if "type" not in item:
        rules.no_type("CSL type", "document", source.line)
    elif record.type not in CSL_TYPES:
        rules.unknown_type(record, "type", record.type, "CSL type", "document", source.line)
        record.type = "document"
    for key, value in item.items():
        if key in ("type", "id"):
            continue
        if key in ALIASES and ALIASES[key] in item:  # the variable wins; see _keep_alias
            continue
        key = ALIASES.get(key, key)
        if key in NAME_VARIABLES and isinstance(value, list):
            rests: list[dict[str, Any]] = [{} for _ in value]
            people = [name_from_csl(v, rest) for v, rest in zip(value, rests, strict=True)]
            for i, rest in enumerate(rests):
                for attr, one in rest.items():  # kept under "author[2].attr", with a warning
                    where, text = f"{key}[{i}].{attr}", _scalar_text(one)
                    if attr in NAME_FLAGS:
                        why = f"{where} {shown_json(one)}: not true or false; kept in custom"
                        rules.kept(record, where, text, why, source.line, code="invalid-value")
                    elif attr in _NAME_KEYS:
                        why = f"{where} {shown_json(one)}: not text; kept in custom"
                        rules.kept(record, where, text, why, source.line, code="invalid-value")
                    else:
                        rules.unknown_field(record, where, text, "CSL name key", source.line)
            for i, person in enumerate(people):
                if person is not None and not has_text(person):  # {}, {"given": ""}
                    message = f"{key}[{i}] {shown_json(value[i])}: a name with no text; left out"
                    rules.warn(message, source.line, code="invalid-name")
            record.names[key] = [p for p in people if p is not None and has_text(p)]
            bad = [v for v, p in zip(value, people, strict=True) if p is None]
            if bad:
                _unreadable(record, key, bad, rules, source.line, "invalid-name")
            if not record.names[key]:
                del record.names[key]
        elif key in DATE_VARIABLES:
            problems: list[str] = []
            unused: dict[str, Any] = {}
            date = date_from_csl(value, problems.append, unused)
            if date is not None and not date.parts and not date.literal.strip() and not unused:
                continue  # "", {"raw": ""}: no date (as pandoc reads it), nothing to keep
            if problems:
                shown = _scalar_text(value) if not isinstance(value, str) else json.dumps(value)
                kept = "; kept as literal text" if date is not None and date.literal else ""
                message = f"{key} {shown[:80]}: {'; '.join(problems)}"
                if date is not None and not kept and isinstance(value, (dict, str)):
                    what = "text" if isinstance(value, str) else "date object"
                    message += f"; the {what} is kept in custom"
                    whole = (
                        value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                    )
                    rules.kept(record, key, whole, message, source.line, code="invalid-date")
                    unused = {}
                else:
                    rules.warn(message + kept, source.line, code="invalid-date")
            for part, one in unused.items():
                _keep_date_key(record, f"{key}.{part}", one, rules, source.line)
            if date is not None:
                record.dates[key] = date
            else:
                _unreadable(record, key, value, rules, source.line, "invalid-date")
        elif key == "keyword" and (isinstance(value, str) or _is_number(value)):
            text = value if isinstance(value, str) else _number_text(value)
            # a keyword that is only separators (";") is the keyword as written, not none
            record.keywords = split_keyword_text(text) or ([text.strip()] if text.strip() else [])
        elif key == "keyword" and _strings(value):  # refconv's own shape: a list
            record.keywords = [k.strip() for k in value if k.strip()]
        elif key == "custom" and isinstance(value, dict):
            for tag, values in value.items():
                _read_custom(record, tag, values, rules, source.line)
        elif key in _TEXT and isinstance(value, str):
            record.fields[key] = value
        elif key in _TEXT and _is_number(value):  # numbers as written (1e400 stays its text)
            record.fields[key] = _number_text(value)
        elif key in _TEXT or key == "keyword" or key in NAME_VARIABLES:
            what = "a list of names" if key in NAME_VARIABLES else "text"
            message = f"{key} {shown_json(value)}: not {what}; kept in custom"
            rules.kept(record, key, _scalar_text(value), message, source.line, code="invalid-value")
        else:
            text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
            message = f"CSL key {shown_text(key)} is not a CSL variable; kept in custom"
            if key in CUSTOM_VARIABLES:
                message = f"CSL variable {key!r} has no field in refconv; kept in custom"
            rules.kept(record, key, text, message, source.line, code="unknown-field")
    for alias, var in ALIASES.items():
        if alias in item and var in item:
            _keep_alias(record, alias, item[alias], var, rules, source.line)
    if repeats:
        _keep_repeats(record, item, "", rules, source.line)
    given = item.get("id")
    if given in (None, "") or not isinstance(given, (str, int)) or given is True or given is False:
        if given not in (None, ""):  # an object, a list, true: no id a document can cite
            _unreadable(record, "id", given, rules, source.line, "invalid-value")
        return record
    given = given if isinstance(given, str) else _number_text(given)
    if "citation-key" not in record.fields and not usable_key(given):
        record.extra[CSL_ID] = [given, *record.extra.get(CSL_ID, ())]  # a key is made
        return record
    key = record.fields.setdefault("citation-key", given)
    if key != given:  # the item's id stays its id; citation-key is the key for BibTeX & co.
        record.extra[CSL_ID] = [given, *record.extra.get(CSL_ID, ())]
    return record


def _keep_alias(
    record: Record, alias: str, value: Any, var: str, rules: ReadRules, line: int
) -> None:
    """An alias (``event``) beside its variable (``event-title``): the variable is used; a
    different alias value is kept in custom under the alias, with a warning."""
    text = _number_text(value) if _is_number(value) else _scalar_text(value)
    if text == record.fields.get(var):
        return
    why = f"{alias} {shown_json(value)}: the item's {var} is used; kept in custom"
    rules.kept(record, alias, text, why, line, code="set-already")


class CslJsonReader(Reader):
    """Read CSL-JSON (``.json``), the format of citeproc, pandoc and Zotero's export."""

    name = "csljson"
    aliases = ("csl-json", "json")
    suffixes = (".json",)
    description = "CSL-JSON array of items"

    @classmethod
    def sniff(cls, head: str) -> bool:
        """True when the input starts with ``[`` or ``{``."""
        return head.lstrip("\ufeff \t\r\n")[:1] in ("[", "{")

    def read(self, lines: Iterable[str], path: str) -> Iterator[Record]:
        """Yield one record per item of the array, holding only the item being read; arrays
        and objects one after another (JSON Lines, files joined with ``cat``) are read in
        turn. Text after them that starts neither is a warning."""
        rules = ReadRules(self.diagnostics, path)
        buf = Buffer(iter(lines))
        if not buf.skip():
            rules.no_records("empty input")
            return
        items = values = 0
        while buf.skip():
            opening = buf.char()
            if opening == "{":
                items += 1
                yield from self._item(buf, rules)
                next_item(buf)
            elif opening == "[":
                buf.pos += 1
                while buf.skip() and buf.char() != "]":
                    items += 1
                    yield from self._item(buf, rules)
                    next_item(buf)
                if not buf.skip():
                    raise RefconvError(
                        "invalid JSON: the array is not closed with ']'",
                        path,
                        buf.line_at(),
                        code="invalid-json",
                    )
                buf.pos += 1  # the "]"
            elif not values:
                raise RefconvError(
                    "not CSL-JSON: expected '[' or '{'", path, buf.line_at(), code="wrong-format"
                )
            else:  # JSON ends with its value: what follows is no item of it
                rules.warn(
                    "text after the CSL-JSON items, neither an array nor an object; skipped",
                    buf.line_at(),
                    code="stray-text",
                )
                return
            values += 1
        if not items:  # "[]", as an empty Zotero collection exports: said as for ""
            rules.no_records("the array has no items")

    def _item(self, buf: Buffer, rules: ReadRules) -> Iterator[Record]:
        """The record of the item at ``buf``'s place (none when it is not an object: an
        error, and the next items are read)."""
        path = rules.path
        line, start = buf.line_at(), buf.pos
        met = REPEATS_MET[0]
        item = buf.decode(path)
        if not isinstance(item, dict):
            what = "an array" if isinstance(item, list) else shown_json(item)
            self.diagnostics.error(
                f"a CSL-JSON item must be an object, not {what}; skipped",
                path,
                line,
                code="invalid-item",
            )
            return
        if buf.text.find("\\u0000", start, buf.pos) >= 0:  # no other format carries NUL
            self.diagnostics.warn(
                "NUL characters (\\u0000) replaced by U+FFFD", path, line, code="nul-replaced"
            )
            item = without_nul(item)
        escaped = SURROGATE_ESCAPE.search(buf.text, start, buf.pos) is not None
        repeated = REPEATS_MET[0] != met
        record = record_from_csl(
            item, SourcePos(path, line), self.diagnostics, surrogates=escaped, repeats=repeated
        )
        rules.no_title(record)  # as every reader says it
        yield record
