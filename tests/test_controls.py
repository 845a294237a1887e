"""Control characters escaped for terminals and other tools (animekg.controls)."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from animekg.controls import CONTROL_CHARACTERS, escape_controls, escape_controls_in_serialized


def test_visible_escapes_keep_newline_tab_and_letters():
    assert escape_controls("Tank\x1b[31m!\x00\x7f\x85\r\ufffe") == "Tank\\x1b[31m!\\x00\\x7f\\x85\\x0d\\ufffe"
    assert escape_controls("菅野よう子\n\tTank!") == "菅野よう子\n\tTank!"


@given(st.recursive(st.text() | st.integers(), lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner)))
def test_serialized_json_stays_the_same_data_with_no_control_character(value):
    text = escape_controls_in_serialized(json.dumps(value, indent=2, ensure_ascii=False))
    assert not CONTROL_CHARACTERS.search(text)
    assert json.loads(text) == value
