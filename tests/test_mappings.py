"""The mapping tables only name things the model knows."""

import pytest

from refconv.formats.csljson.tables import CSL_KEY_ORDER
from refconv.formats.refer import tables as m
from refconv.model import CSL_TYPES, DATE_VARIABLES, NAME_VARIABLES, TEXT_VARIABLES

VOCABULARY = set(NAME_VARIABLES) | set(DATE_VARIABLES) | set(TEXT_VARIABLES) | m.PSEUDO_TARGETS


def _targets(table):
    for tag, target in table.items():
        for one in target if isinstance(target, tuple) else (target,):
            yield tag, one


@pytest.mark.parametrize(
    "table",
    [m.CLASSIC_TAGS, m.ENDNOTE_TAGS, *m.ENDNOTE_TYPE_TAGS.values()],
    ids=["classic", "endnote", *m.ENDNOTE_TYPE_TAGS],
)
def test_every_target_is_in_the_vocabulary(table):
    for tag, target in _targets(table):
        assert len(tag) == 2 and tag[0] == "%", tag
        if target is not None:
            assert target.lstrip("?") in VOCABULARY, (tag, target)


def test_type_tables_agree():
    assert set(m.ENDNOTE_TYPE_TAGS) <= set(m.ENDNOTE_TYPE_TO_CSL)
    assert set(m.ENDNOTE_TYPE_TO_CSL.values()) <= CSL_TYPES
    assert set(m.ENDNOTE_TYPE_ALIASES.values()) <= set(m.ENDNOTE_TYPE_TO_CSL)
    assert not set(m.ENDNOTE_TYPE_ALIASES) & set(m.ENDNOTE_TYPE_TO_CSL)


def test_per_type_tags_are_known_tags():
    for overrides in m.ENDNOTE_TYPE_TAGS.values():
        assert set(overrides) <= set(m.ENDNOTE_TAGS)


def test_csl_key_order_is_complete_and_unique():
    assert len(CSL_KEY_ORDER) == len(set(CSL_KEY_ORDER))
    assert set(NAME_VARIABLES) | set(DATE_VARIABLES) | set(TEXT_VARIABLES) <= set(CSL_KEY_ORDER)


def test_model_variables_exist_in_the_csl_schema(csl_schema):
    properties = set(csl_schema["items"]["properties"])
    assert set(CSL_KEY_ORDER) <= properties
    assert set(csl_schema["items"]["properties"]["type"]["enum"]) == set(CSL_TYPES)


def test_flat_tag_characters_exclude_lower_case_and_5():
    assert "5" not in m.FLAT_TAG_CHARS
    assert not any(c.islower() for c in m.FLAT_TAG_CHARS)
    assert "%" not in m.FLAT_TAG_CHARS
