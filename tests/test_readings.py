"""Readings of Chinese characters for homophone correction (advisor/engine/readings.py)."""

import os

import pytest

from advisor.engine import readings
from advisor.engine.readings import common_readings, sound_alike


def test_a_polyphonic_character_has_its_common_readings_only():
    assert readings.readings("行") == {"xing", "hang"}
    assert readings.readings("言") == {"yan"}  # not its archaic yin
    assert readings.readings("邦") == {"bang"}


@pytest.mark.parametrize(
    ("typed", "meant", "alike"),
    [
        ("帮", "邦", True),
        ("航", "行", True),  # 银行: a reading of 行 other than its first
        ("似", "式", True),  # the typed character's first reading
        ("是", "似", False),  # 似 meant is si (相似), not shi
        ("音", "言", False),
        ("溢", "听", False),
    ],
)
def test_two_characters_sound_alike_when_an_input_method_offers_both(typed, meant, alike):
    assert sound_alike(typed=typed, meant=meant) is alike


def test_pypinyin_memory_options_do_not_leak_into_the_environment():
    assert "PYPINYIN_NO_PHRASES" not in os.environ
    assert "PYPINYIN_NO_DICT_COPY" not in os.environ


def test_the_shipped_table_is_the_one_counted_from_the_installed_pypinyin():
    """After an upgrade of pypinyin: ``python -m advisor.engine.readings`` rewrites it."""
    assert common_readings() == {k: list(v) for k, v in readings._COMMON.items()}
