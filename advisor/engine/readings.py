"""Toneless pinyin readings of single Chinese characters: what homophone correction compares.

A character is read with its common readings (行: xing and hang; 言: yan, not its archaic
yin), so a typed character is a slip for a meant one when a pinyin input method offers both for one
sound in ordinary use. Which readings are common is counted once from pypinyin's phrase dictionary
(the readings a character has in its phrases, each in at least ``COMMON_SHARE`` of them) and
shipped in ``data/readings.json`` (``python -m advisor.engine.readings`` rewrites it after an
upgrade of pypinyin); a character not in it reads with pypinyin's first reading.

The phrase dictionary itself is most of pypinyin's memory (about 45 MB of a serving process):
pypinyin's documented memory options (``PYPINYIN_NO_PHRASES``, ``PYPINYIN_NO_DICT_COPY``, read
once when pypinyin is imported) leave it and the copies of the dictionaries out. They are set
for that import only and the environment is restored, so nothing else in the process sees them.
"""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from functools import lru_cache
from pathlib import Path

PATH = Path(__file__).with_name("data") / "readings.json"
COMMON_SHARE = 0.1  # a reading in fewer of a character's phrases than this is rare
_MEMORY_OPTIONS = ("PYPINYIN_NO_PHRASES", "PYPINYIN_NO_DICT_COPY")


def _import_pypinyin():
    if "pypinyin" in sys.modules:  # loaded by someone else: single characters read the same
        import pypinyin

        return pypinyin
    saved = {name: os.environ.get(name) for name in _MEMORY_OPTIONS}
    os.environ.update(dict.fromkeys(_MEMORY_OPTIONS, "1"))
    try:
        import pypinyin
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return pypinyin


_pypinyin = _import_pypinyin()
_COMMON: dict[str, tuple[str, ...]] = {
    char: tuple(values)
    for char, values in json.loads(PATH.read_text(encoding="utf-8"))["readings"].items()
}


def _first_reading(char: str) -> str:
    return _pypinyin.lazy_pinyin(char)[0]


@lru_cache(maxsize=8192)
def readings(char: str) -> frozenset[str]:
    """The common toneless readings of ``char`` ("行" -> {"xing", "hang"}); a character
    pypinyin does not know reads as itself."""
    return frozenset(_COMMON.get(char) or (_first_reading(char),))


def sound_alike(*, typed: str, meant: str) -> bool:
    """An input method offers ``typed`` for a sound of ``meant`` in ordinary use: they share a
    common reading of ``meant``, the typed character read commonly or with its first reading
    (似 is offered for "shi", though it is mostly "si" in phrases)."""
    offered = readings(typed) | {_first_reading(typed)}
    return not offered.isdisjoint(readings(meant))


def common_readings() -> dict[str, list[str]]:
    """The table of ``data/readings.json``, counted from pypinyin's phrase dictionary: every
    character with more than one reading in pypinyin and a common set of readings other than
    its first one, its common readings most frequent first. Loads the phrase dictionary (run
    offline, never by a serving process)."""
    from pypinyin.contrib.tone_convert import to_normal
    from pypinyin.phrases_dict import phrases_dict

    counts: dict[str, Counter] = {}
    for phrase, phrase_readings in phrases_dict.items():
        if len(phrase) != len(phrase_readings):
            continue
        for char, options in zip(phrase, phrase_readings, strict=True):
            counts.setdefault(char, Counter())[to_normal(options[0])] += 1
    table: dict[str, list[str]] = {}
    for char in sorted(counts):
        every = _pypinyin.pinyin(char, style=_pypinyin.Style.NORMAL, heteronym=True)[0]
        if len(every) < 2:
            continue
        total = sum(counts[char].values())
        common = [
            reading
            for reading, count in sorted(counts[char].items(), key=lambda item: (-item[1], item[0]))
            if count >= COMMON_SHARE * total
        ]
        if common != [_first_reading(char)]:
            table[char] = common
    return table


def _write(table: dict[str, list[str]]) -> None:
    lines = [
        "{",
        '"_comment": "Common toneless readings of polyphonic characters, counted from '
        "pypinyin's phrase dictionary by python -m advisor.engine.readings; a character not "
        'listed reads with pypinyin\'s first reading.",',
        f'"pypinyin": "{_pypinyin.__version__}",',
        '"readings": {',
        ",\n".join(
            f"{json.dumps(char, ensure_ascii=False)}: {json.dumps(values)}"
            for char, values in table.items()
        ),
        "}",
        "}",
    ]
    PATH.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    _write(common_readings())
