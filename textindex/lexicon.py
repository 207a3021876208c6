"""The bilingual concept and synonym map and the advisor's hint maps, read from
``data/lexicon.json`` (pure data; see the ``_about`` notes in the file).

- ``CONCEPTS``: concept -> aliases; a text mentioning an alias gets the concept token, so
  "recommendation" in a question meets "推荐" in an entry;
- ``DOMAIN_WORDS`` / ``WHOLE_WORDS``: words jieba keeps whole / without sub-words;
- ``ANSWER_WORDS``: the words a structured answer searches for;
- ``CONCEPT_SCENARIOS`` / ``CONCEPT_DATA_TYPES`` / ``CONCEPT_FRAMEWORKS``: what a concept in a
  free-text question says about the structured answers the user did not give;
- ``SCALE_HINTS``: words that say how big the workload is.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

PATH = Path(__file__).resolve().parent / "data" / "lexicon.json"

_RAW = PATH.read_bytes()
_DATA = json.loads(_RAW)

# Changes whenever the data changes: token caches key on it.
DIGEST = hashlib.sha1(_RAW).hexdigest()[:12]


def _tuples(name: str) -> dict[str, tuple[str, ...]]:
    return {key: tuple(values) for key, values in _DATA[name].items()}


CONCEPTS: dict[str, tuple[str, ...]] = _tuples("concepts")
DOMAIN_WORDS: tuple[str, ...] = tuple(_DATA["domain_words"])
WHOLE_WORDS: frozenset[str] = frozenset(_DATA["whole_words"])
ENGLISH_STOPWORDS: frozenset[str] = frozenset(_DATA["english_stopwords"])
CHINESE_STOPWORDS: frozenset[str] = frozenset(_DATA["chinese_stopwords"])
ANSWER_WORDS: dict[str, tuple[str, str]] = {
    key: (zh, en) for key, (zh, en) in _DATA["answer_words"].items()
}
GENERIC_NAMES: frozenset[str] = frozenset(_DATA["generic_names"])
CONCEPT_SCENARIOS: dict[str, tuple[str, ...]] = _tuples("concept_scenarios")
WEAK_SCENARIO_CONCEPTS: frozenset[str] = frozenset(_DATA["weak_scenario_concepts"])
CONCEPT_DATA_TYPES: dict[str, tuple[str, ...]] = _tuples("concept_data_types")
CONCEPT_FRAMEWORKS: dict[str, str] = dict(_DATA["concept_frameworks"])
SCALE_HINTS: dict[str, tuple[str, ...]] = _tuples("scale_hints")
