"""Bilingual tokens: jieba for Chinese, lower-cased words for English, concept tokens.

No Django here. The catalog's search box and the advisor share it, so that "图数据库" and
"graph database" find the same entries in both places.

Tokens come in two layers:
- surface tokens: jieba words for runs of Chinese characters, lower-cased words for the rest;
  as index terms (``terms_of``) English words count by their Snowball stem, so
  "recommendations" and "recommended" are one term;
- concept tokens (``~recommendation``): added when a text mentions any alias of a concept in
  the bilingual synonym map (``lexicon.CONCEPTS``), so an English question meets Chinese text.
"""

from __future__ import annotations

import functools
import logging
import re
import threading
from collections.abc import Iterable

import jieba
import Stemmer

from . import dictionary
from .lexicon import CHINESE_STOPWORDS, CONCEPTS, DOMAIN_WORDS, ENGLISH_STOPWORDS, WHOLE_WORDS

jieba.setLogLevel(logging.WARNING)

CONCEPT_PREFIX = "~"

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN_RE = re.compile(rf"[{_CJK}]+|[a-z0-9][a-z0-9+#]*(?:[.\-][a-z0-9+#]+)*")
_CJK_RE = re.compile(rf"^[{_CJK}]+$")

# A PyStemmer stemmer is not safe to share between threads: one per thread.
_stemmers = threading.local()
# Each stem's English words as the indexed texts wrote them (``terms_of(..., remember=True)``),
# as tuples: a set per stem would take three times the memory.
_forms: dict[str, tuple[str, ...]] = {}
_forms_lock = threading.Lock()

_jieba_lock = threading.Lock()
_jieba_ready = False


def load_dictionary() -> None:
    """Load jieba's dictionary now (a second or more) rather than in the first query that
    needs it: index builders call it, since a warm token cache may spare them any jieba."""
    _ensure_jieba()


def _ensure_jieba() -> None:
    """Load jieba's dictionary once, with the domain words added so they stay whole: the
    compact one (``dictionary``), or else jieba's own."""
    global _jieba_ready
    if _jieba_ready:
        return
    with _jieba_lock:
        if _jieba_ready:
            return
        if not dictionary.install(dictionary.default_directory, DOMAIN_WORDS):
            jieba.initialize()
            for word in DOMAIN_WORDS:
                jieba.add_word(word, freq=dictionary.DOMAIN_WORD_FREQUENCY)
        _jieba_ready = True


def dictionary_segments(text: str) -> list[tuple[str, int, int]]:
    """(word, start, end) of ``text`` cut by jieba's dictionary alone (no guessing of new
    words): a character that forms no dictionary word with its neighbours stands alone, which
    is where a mistyped character shows."""
    _ensure_jieba()
    return list(jieba.tokenize(text, HMM=False))


def is_dictionary_word(word: str) -> bool:
    """Whether jieba's dictionary (plus the domain words) holds ``word``."""
    _ensure_jieba()
    return bool(jieba.dt.FREQ.get(word))


def surface_tokens(text: str) -> list[str]:
    """Chinese words (jieba) and lower-cased English words, stopwords removed."""
    _ensure_jieba()
    tokens: list[str] = []
    for run in _RUN_RE.findall(text.lower()):
        if _CJK_RE.match(run):
            # Search mode also yields the words inside long ones ("推荐算法" -> "推荐",
            # "算法", "推荐算法"), so a short query word meets a longer compound.
            for whole in jieba.cut(run, HMM=True):
                # Words whose parts mean something else stay whole ("机器人" is no "机器").
                parts = (whole,) if whole in WHOLE_WORDS else jieba.cut_for_search(whole, HMM=True)
                for word in parts:
                    if word and word not in CHINESE_STOPWORDS:
                        tokens.append(word)
        elif run not in ENGLISH_STOPWORDS and not run.isdigit():
            tokens.append(run)
    return tokens


# British -ise / -yse spellings as American -ize / -yze before stemming, which would keep the
# two apart ("visualisation" -> "visualis", "visualization" -> "visual").
_BRITISH_ISE = re.compile(r"is(ation|ations|ing|ed|es|e)$")
_BRITISH_YSE = re.compile(r"ys(ing|ed|es|e)$")


@functools.lru_cache(maxsize=1 << 14)
def stem(word: str) -> str:
    """The index term of a lower-cased English word: its Snowball stem when it is letters
    only ("databases" -> "databas"; a British "-ise" read as "-ize"); names with digits or
    marks ("node.js", "c++") stay."""
    if not word.isalpha() or not word.isascii():
        return word
    stemmer = getattr(_stemmers, "english", None)
    if stemmer is None:
        stemmer = _stemmers.english = Stemmer.Stemmer("english", 0)
    return stemmer.stemWord(_BRITISH_YSE.sub(r"yz\1", _BRITISH_ISE.sub(r"iz\1", word)))


def terms_of(surface: Iterable[str], *, remember: bool = False) -> list[str]:
    """Index terms of surface tokens: English words by their stem, the rest as they are.
    ``remember``: keep each stem's words (an indexed text's, never a question's), which
    ``surface_forms`` gives back."""
    surface = tuple(surface)
    terms = [stem(token) for token in surface]
    if remember:
        with _forms_lock:
            for token, term in zip(surface, terms, strict=True):
                if token.isascii() and token.isalpha():
                    known = _forms.get(term, ())
                    if token not in known:
                        _forms[term] = (*known, token)
    return terms


def surface_forms(terms: Iterable[str]) -> set[str]:
    """The words indexed texts wrote for these terms (a term without any stands for itself):
    the catalog's own words, as typo correction offers them."""
    words: set[str] = set()
    with _forms_lock:
        for term in terms:
            found = _forms.get(term)
            if found:
                words.update(found)
            else:
                words.add(term)
    return words


@functools.lru_cache(maxsize=1 << 16)
def alias_pattern(alias: str) -> re.Pattern[str]:
    """A pattern for one alias: whole words (plural s allowed) in English, substring in Chinese.

    Kept per process (compiling one takes a fraction of a millisecond, 10,000 of them seconds):
    a catalog's next version compiles only the new names."""
    alias = alias.lower()
    if re.search(rf"[{_CJK}]", alias):
        return re.compile(re.escape(alias))
    # English aliases match whole words (and an optional plural s).
    return re.compile(rf"(?<![a-z0-9]){re.escape(alias)}s?(?![a-z0-9])")


def concept_pattern(aliases: Iterable[str]) -> re.Pattern[str]:
    """One pattern for all aliases of a concept (one regex search per concept, not per alias).

    Longer aliases come first so a match shows the longest alias found.
    """
    english: list[str] = []
    chinese: list[str] = []
    for alias in sorted({a.lower() for a in aliases}, key=lambda a: (-len(a), a)):
        (chinese if re.search(rf"[{_CJK}]", alias) else english).append(re.escape(alias))
    parts = []
    if english:
        parts.append(rf"(?<![a-z0-9])(?:{'|'.join(english)})s?(?![a-z0-9])")
    if chinese:
        parts.append(f"(?:{'|'.join(chinese)})")
    return re.compile("|".join(parts))


_CONCEPT_PATTERNS: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...] = tuple(
    (concept, (concept_pattern(aliases),)) for concept, aliases in CONCEPTS.items()
)


_PATTERNS_BY_CONCEPT = dict(_CONCEPT_PATTERNS)


# The first two characters of every alias of each concept: a concept whose aliases' leading
# pairs are all absent from a text cannot match it, so its pattern is not run.
_CONCEPT_PREFIXES: tuple[frozenset[str], ...] = tuple(
    frozenset(alias.lower()[:2] for alias in aliases) for aliases in CONCEPTS.values()
)


def concepts_in(text: str) -> list[str]:
    """Concepts of the synonym map that ``text`` mentions, each once, in map order."""
    lowered = text.lower()
    pairs = {lowered[i : i + 2] for i in range(len(lowered))}
    return [
        concept
        for (concept, patterns), prefixes in zip(_CONCEPT_PATTERNS, _CONCEPT_PREFIXES, strict=True)
        if not prefixes.isdisjoint(pairs) and any(pattern.search(lowered) for pattern in patterns)
    ]


def remove_concepts(text: str, concepts: Iterable[str]) -> str:
    """``text`` without the aliases of the given concepts (e.g. framework names)."""
    wanted = set(concepts)
    lowered = text.lower()
    for concept, patterns in _CONCEPT_PATTERNS:
        if concept in wanted:
            for pattern in patterns:
                lowered = pattern.sub(" ", lowered)
    return lowered


def analyse(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(surface tokens, concepts mentioned): what ``tokenize`` is made of, for the token cache.

    Both are context-free per line: the tokens of texts joined with newlines are the tokens of
    each text, and the concepts their union, so a document's tokens can be assembled from its
    parts' cached tokens.
    """
    return tuple(surface_tokens(text)), tuple(concepts_in(text))


# A question is read by several indexes in one advice: short texts' analyses are remembered.
_REMEMBERED_LENGTH = 2000


@functools.lru_cache(maxsize=1024)
def _remembered(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return analyse(text)


def _analysed(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return _remembered(text) if len(text) <= _REMEMBERED_LENGTH else analyse(text)


def tokenize(text: str) -> list[str]:
    """Surface tokens plus one concept token per mentioned concept (the synonym layer)."""
    surface, concepts = _analysed(text)
    return [*terms_of(surface), *(CONCEPT_PREFIX + concept for concept in concepts)]


def tokenize_plain(text: str) -> list[str]:
    """Index terms of the surface tokens only: the baseline without the synonym map."""
    return terms_of(_analysed(text)[0])


def display_term(query: str, token: str) -> str:
    """How a matched token appears in the query (the alias for a concept token)."""
    if token.startswith(CONCEPT_PREFIX):
        concept = token.removeprefix(CONCEPT_PREFIX)
        for pattern in _PATTERNS_BY_CONCEPT.get(concept, ()):
            match = pattern.search(query.lower())
            if match:
                start, end = match.span()
                return query[start:end]
        return concept
    lowered = query.lower()
    for match in _RUN_RE.finditer(lowered):  # the query's word that has this stem
        if not _CJK_RE.match(match.group()) and stem(match.group()) == token:
            return query[match.start() : match.end()]
    index = lowered.find(token)
    return query[index : index + len(token)] if index >= 0 else token
