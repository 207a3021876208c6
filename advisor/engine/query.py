"""Query understanding: what a free-text question says beyond its words.

Pure functions over plain data, no Django. ``understand`` reads one question and returns
``QueryFacts``: the text with typos corrected, the frameworks the user leaves and wants, the
deployment and scale it states, whether it compares named entries, and the role of each entry
it names (asked about, background, or something whose counterpart is wanted). Everything that
is language lives in data: the cue words in ``textindex/data/query_cues.json``, framework names,
deployment words, scale words and data types in the lexicon (``textindex/data/lexicon.json``).

For many questions against one catalog, build the context once (``prepare``) and call ``read``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from rapidfuzz import process
from rapidfuzz.distance import OSA

from textindex.lexicon import (
    CHINESE_STOPWORDS,
    CONCEPT_DATA_TYPES,
    CONCEPT_FRAMEWORKS,
    CONCEPTS,
    DOMAIN_WORDS,
    ENGLISH_STOPWORDS,
    SCALE_HINTS,
)
from textindex.lexicon import (
    PATH as LEXICON_PATH,
)
from textindex.tokenizer import (
    alias_pattern,
    concepts_in,
    dictionary_segments,
    is_dictionary_word,
    stem,
)

from .readings import sound_alike
from .words import english_words

CUES_PATH = LEXICON_PATH.with_name("query_cues.json")
CUES: dict = json.loads(CUES_PATH.read_text(encoding="utf-8"))

TARGET, CONTEXT, COUNTERPART = "target", "context", "counterpart"
SCALE_ORDER = ("single", "cluster", "massive")
DEPLOYMENTS = ("self-hosted", "managed")

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAS_CJK = re.compile(f"[{_CJK}]")
_LATIN_EDGE = re.compile(r"[a-z0-9]")


@dataclass(frozen=True)
class QueryFacts:
    """What one question says. Frameworks and entries are slugs; empty means not said."""

    text: str  # the question with typos corrected: what the engine matches
    corrections: tuple[tuple[str, str], ...] = ()  # (typed, corrected), in text order
    frameworks_avoided: frozenset[str] = frozenset()
    frameworks_wanted: frozenset[str] = frozenset()
    deployment: str = ""  # "managed" | "self-hosted" | ""
    scale: str = ""  # "single" | "cluster" | "massive" | ""
    comparison: bool = False
    named: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    # slug -> "target" | "context" | "counterpart"
    compared: tuple[str, ...] = ()  # the entries a comparison is between, in text order
    data_types: frozenset[str] = frozenset()  # read through the lexicon's concepts
    concepts: tuple[str, ...] = ()  # the lexicon concepts the corrected text mentions


@dataclass(frozen=True)
class QueryContext:
    """What ``read`` needs about one catalog: built once per catalog version by ``prepare``."""

    alias_patterns: Sequence[tuple[str, str, re.Pattern[str]]]  # longest alias first
    # The first two characters of each alias -> its positions in ``alias_patterns``: a text
    # is searched only for the aliases whose first two characters it holds.
    alias_prefixes: Mapping[str, tuple[int, ...]]
    entry_frameworks: Mapping[str, frozenset[str]]
    known: frozenset[str]  # words never corrected
    # Words a typo is corrected to, by length, and the names among them (entries and
    # frameworks). At equal distance a lower tier wins: names (0), the lexicon's concept
    # words (1), the index vocabulary (2).
    targets: Mapping[int, tuple[str, ...]]
    name_targets: Mapping[int, tuple[str, ...]]
    tiers: Mapping[str, int]
    # Chinese domain words (entry names, the lexicon's concepts and domain words): what a
    # homophone typed by a pinyin input method is corrected to. Each word is filed under
    # itself with one character masked (``_masked``), once per character: a typed window
    # finds the words it differs from in that one character only.
    homophones: Mapping[str, tuple[str, ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    kind: str  # "entry" | "framework"
    key: str  # slug


# --- patterns built from the data ------------------------------------------------------------


def _is_cjk(text: str) -> bool:
    return bool(_HAS_CJK.search(text))


def _bounded(text: str, escaped: str) -> str:
    """``escaped`` (a regex for ``text``) with word boundaries at its Latin ends."""
    left = r"(?<![a-z0-9])" if _LATIN_EDGE.match(text[:1]) else ""
    right = r"(?![a-z0-9])" if _LATIN_EDGE.match(text[-1:]) else ""
    return f"{left}{escaped}{right}"


def _framework_aliases() -> dict[str, tuple[str, ...]]:
    names: dict[str, set[str]] = {}
    for concept, framework in CONCEPT_FRAMEWORKS.items():
        names.setdefault(framework, set()).update(a.lower() for a in CONCEPTS.get(concept, ()))
    for framework, extra in CUES["framework_names"].items():
        names.setdefault(framework, set()).update(a.lower() for a in extra)
    return {fw: tuple(sorted(aliases, key=lambda a: (-len(a), a))) for fw, aliases in names.items()}


FRAMEWORK_ALIASES: dict[str, tuple[str, ...]] = _framework_aliases()


def _framework_regex(alias: str) -> str:
    if _is_cjk(alias):
        return re.escape(alias)
    body = re.escape(alias).replace(r"\ ", r"\s+")
    if len(alias) <= 3:
        # Short names stand alone: "tf" is not the "tf" of "tf-idf".
        return rf"(?<![a-z0-9\-_.]){body}(?![a-z0-9\-_])"
    return rf"(?<![a-z0-9]){body}s?(?![a-z0-9])"


@dataclass(frozen=True)
class _Matcher:
    """Names of one kind (frameworks, deployment words, scale words), longest first. A text
    is searched only for the names whose first two characters it holds."""

    names: tuple[tuple[str, re.Pattern[str]], ...]  # (key, pattern), longest name first
    prefixes: Mapping[str, tuple[int, ...]]  # first two characters -> positions in ``names``

    @classmethod
    def of(cls, items: Iterable[tuple[str, str, str]]) -> _Matcher:
        """``items``: (key, name, regex of the name)."""
        ordered = sorted(items, key=lambda item: (-len(item[1]), item[1], item[0]))
        prefixes: dict[str, list[int]] = {}
        for position, (_key, name, _regex) in enumerate(ordered):
            prefixes.setdefault(name[:2], []).append(position)
        return cls(
            tuple((key, re.compile(regex)) for key, _name, regex in ordered),
            MappingProxyType({k: tuple(v) for k, v in prefixes.items()}),
        )

    def spans(self, lowered: str, kind: str) -> list[_Mention]:
        keys = {lowered[i : i + 2] for i in range(len(lowered))} | set(lowered)
        positions = sorted(p for key in keys for p in self.prefixes.get(key, ()))
        return _spans(lowered, (self.names[p] for p in positions), kind)

    def keys_in(self, lowered: str) -> set[str]:
        return {m.key for m in self.spans(lowered, "")}


_FRAMEWORKS = _Matcher.of(
    (fw, alias, _framework_regex(alias))
    for fw, aliases in FRAMEWORK_ALIASES.items()
    for alias in aliases
)
_ALL_FRAMEWORK_NAMES = sorted(
    {a for aliases in FRAMEWORK_ALIASES.values() for a in aliases}, key=lambda a: (-len(a), a)
)
_ANY_FRAMEWORK = "(?:" + "|".join(_framework_regex(a) for a in _ALL_FRAMEWORK_NAMES) + ")"


def _cue_regex(cue: str) -> str:
    """A cue as a regex: spaces match any run of spaces, ``{framework}`` any framework name."""
    cue = cue.lower()
    parts = cue.split("{framework}")
    pieces: list[str] = []
    for index, part in enumerate(parts):
        if part.strip():
            pieces.append(_bounded(part.strip(), re.escape(part.strip()).replace(r"\ ", r"\s+")))
        if index < len(parts) - 1:
            pieces.append(_ANY_FRAMEWORK)
    return r"\s*".join(pieces)


def _alternation(words: Iterable[str]) -> str:
    ordered = sorted({w.lower() for w in words}, key=lambda w: (-len(w), w))
    return "|".join(_cue_regex(w) for w in ordered)


_FILLERS_BEFORE = _alternation(CUES["fillers_before"])
_FILLERS_AFTER = _alternation(CUES["fillers_after"])
_NOT_CUES = tuple(w.lower() for w in CUES["not_cues"])


def _before_patterns(cues: Iterable[str]) -> tuple[re.Pattern[str], ...]:
    """The cues as one pattern that ends a window (fillers allowed after the cue)."""
    return (re.compile(rf"(?P<cue>{_alternation(cues)})(?:\s*(?:{_FILLERS_BEFORE}))*\s*\Z"),)


def _after_patterns(cues: Iterable[str]) -> tuple[re.Pattern[str], ...]:
    """The cues as one pattern that starts a window (fillers allowed before the cue)."""
    return (re.compile(rf"\A(?:\s*(?:{_FILLERS_AFTER}))*?\s*(?P<cue>{_alternation(cues)})"),)


_LEAVE_BEFORE = _before_patterns(CUES["leave"]["before"])
_LEAVE_AFTER = _after_patterns(CUES["leave"]["after"])
_FRAME_SECONDS: dict[str, list[str]] = {}
for _first, _second in CUES["leave"]["frames"]:
    _FRAME_SECONDS.setdefault(_first, []).append(_second)
_FRAMES = tuple(
    (_before_patterns([first]), _after_patterns(seconds))
    for first, seconds in _FRAME_SECONDS.items()
)
_PAST = _before_patterns(CUES["past"])
_CHANGE = re.compile(_alternation(CUES["change_cues"]))
_COUNTERPART_BEFORE = _before_patterns(CUES["counterpart"]["before"])
_COUNTERPART_AFTER = _after_patterns(CUES["counterpart"]["after"])
_CONTEXT_BEFORE = _before_patterns(CUES["context"]["before"])
_CONTEXT_AFTER = _after_patterns(CUES["context"]["after"])
_NEGATION = _before_patterns(CUES["negation"])
_OUTGROWN_BEFORE = _before_patterns(CUES["outgrown"]["before"])
_OUTGROWN_AFTER = _after_patterns(CUES["outgrown"]["after"])

_CLAUSE = re.compile(
    "|".join(re.escape(m) for m in CUES["clause_marks"] if m != ".") + r"|\.(?=\s|\Z)"
)
_SENTENCE = re.compile(r"[。！？!?\n]|\.(?=\s|\Z)")
_COMPARISON = CUES["comparison"]


def _connector(words: Iterable[str]) -> re.Pattern[str]:
    return re.compile(rf"\A[\s,，、]*(?:{_alternation(words)})[\s]*(?:(?:the|a|an)\s+)?\Z")


_ALWAYS = _connector(_COMPARISON["always"])
_ALTERNATIVE = _connector(_COMPARISON["alternative"])
_CONJUNCTION = _connector(_COMPARISON["conjunction"])
_CHOICE = re.compile(_alternation(_COMPARISON["choice"]))
_QUESTION = re.compile("|".join(re.escape(m) for m in _COMPARISON["question_marks"]))

_DEPLOYMENT = _Matcher.of(
    (deployment, alias.lower(), alias_pattern(alias).pattern)
    for deployment in DEPLOYMENTS
    for alias in CONCEPTS.get(deployment, ())
)
_SCALE = _Matcher.of(
    (scale, hint.lower(), alias_pattern(hint).pattern)
    for scale, hints in SCALE_HINTS.items()
    for hint in hints
)

_WORD = re.compile(r"(?<![A-Za-z0-9_/@#+.])[A-Za-z]+(?![A-Za-z0-9_/@#+]|\.[A-Za-z0-9])")
_LATIN_WORDS = re.compile(r"[a-z]+")
MIN_TYPO_LENGTH = 5
NAME_TIER = 0


# --- cue matching ----------------------------------------------------------------------------


def _not_cue_before(window: str, start: int, end: int) -> bool:
    """The cue ending at ``end`` is the tail of a longer word that is no cue ('现在')."""
    cue = window[start:end]
    return any(
        len(word) > len(cue) and word.endswith(cue) and window[:end].endswith(word)
        for word in _NOT_CUES
    )


def _not_cue_after(window: str, start: int, end: int) -> bool:
    cue = window[start:end]
    return any(
        len(word) > len(cue) and word.startswith(cue) and window[start:].startswith(word)
        for word in _NOT_CUES
    )


def _ends_with(window: str, patterns: Iterable[re.Pattern[str]]) -> str:
    """The cue that ends ``window`` (before fillers), or ''."""
    for pattern in patterns:
        position = 0
        while True:
            match = pattern.search(window, position)
            if match is None:
                break
            if not _not_cue_before(window, match.start("cue"), match.end("cue")):
                return match.group("cue")
            position = match.start() + 1
    return ""


def _starts_with(window: str, patterns: Iterable[re.Pattern[str]]) -> str:
    """The cue that starts ``window`` (after fillers), or ''."""
    for pattern in patterns:
        match = pattern.search(window)
        if match and not _not_cue_after(window, match.start("cue"), match.end("cue")):
            return match.group("cue")
    return ""


def _clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    left = 0
    for match in _CLAUSE.finditer(text, 0, start):
        left = match.end()
    after = _CLAUSE.search(text, end)
    return left, after.start() if after else len(text)


# A cue and the fillers after it fit in this many characters: the windows searched for cues
# are no longer, so a long clause costs no more than a short one.
WINDOW = 48


def _windows(text: str, start: int, end: int, left: int, right: int) -> tuple[str, str]:
    """The clause before ``start`` and after ``end`` (within ``left``, ``right``), each at most
    ``WINDOW`` characters, cut at a space or a Chinese character, never inside a word."""
    before = text[max(left, start - WINDOW) : start]
    if start - WINDOW > left:
        before = re.sub(r"\A[a-z0-9]+", "", before)
    after = text[end : min(right, end + WINDOW)]
    if end + WINDOW < right:
        after = re.sub(r"[a-z0-9]+\Z", "", after)
    return before, after


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    left = 0
    for match in _SENTENCE.finditer(text, 0, start):
        left = match.end()
    after = _SENTENCE.search(text, end)
    return left, after.end() if after else len(text)


# --- typos -----------------------------------------------------------------------------------


def _words(texts: Iterable[str]) -> set[str]:
    return {w for text in texts for w in _LATIN_WORDS.findall(text.lower())}


def _cue_words() -> set[str]:
    found: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, str):
            found.update(_words([value.replace("{framework}", " ")]))
        elif isinstance(value, Mapping):
            for key, item in value.items():
                if not str(key).startswith("_"):
                    walk(item)
        elif isinstance(value, list | tuple):
            for item in value:
                walk(item)

    walk({k: v for k, v in CUES.items() if not k.startswith("_")})
    return found


def _max_distance(word: str) -> int:
    return 1 if len(word) <= 6 else 2


# Endings a known word takes (plural, past, -ing ...): "sandboxed" is "sandbox" + "ed".
_ENDINGS = (
    ("ies", "y"),
    ("es", ""),
    ("s", ""),
    ("ed", ""),
    ("ed", "e"),
    ("d", ""),
    ("ing", ""),
    ("ing", "e"),
    ("er", ""),
    ("ers", ""),
    ("ly", ""),
)
# British spellings of American dictionary words ("recognised", "optimisation").
_SPELLINGS = (
    ("isation", "ization"),
    ("ising", "izing"),
    ("ised", "ized"),
    ("ise", "ize"),
    ("yse", "yze"),
    ("our", "or"),
    ("tre", "ter"),
)


def _is_known(word: str, known: frozenset[str]) -> bool:
    dictionary = english_words()
    if word in known or word in dictionary or stem(word) in known:
        return True
    for ending, replacement in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            base = word[: -len(ending)] + replacement
            if base in known or base in dictionary:
                return True
    return any(
        british in word and word.replace(british, american) in dictionary
        for british, american in _SPELLINGS
    )


def _correction(word: str, context: QueryContext, *, names_only: bool = False) -> str:
    """The nearest target word within the allowed distance, or '' (optimal string alignment:
    a swap of two neighbouring letters is one edit, so "pytroch" is one from "pytorch"). A
    correction changes the length by one letter at most: "lmdeploy" is no "deploy"."""
    limit = _max_distance(word)
    candidates: list[tuple[int, int, bool, int, str]] = []
    by_length = context.name_targets if names_only else context.targets
    for length in range(len(word) - 1, len(word) + 2):
        bucket = by_length.get(length, ())
        if not bucket:
            continue
        for target, distance, _index in process.extract(
            word, bucket, scorer=OSA.distance, score_cutoff=limit, limit=None
        ):
            candidates.append(
                (
                    int(distance),
                    context.tiers[target],
                    target[0] != word[0],
                    abs(len(target) - len(word)),
                    target,
                )
            )
    if not candidates:
        return ""
    return min(candidates)[-1]


def _same_case(typed: str, word: str) -> str:
    if typed[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


_ALL_HAN = re.compile(f"[{_CJK}]+")


def _masked(word: str, position: int) -> str:
    """``word`` with the character at ``position`` left out (a mark no Chinese text holds)."""
    return f"{word[:position]}_{word[position + 1 :]}"


def _homophone(window: str, context: QueryContext) -> str:
    """The domain word that sounds like ``window`` and differs from it in one character
    ("联帮学习" -> "联邦学习"), or ''. The two characters share a reading (every reading of
    each: 行 is both xing and hang). The window must be no word itself."""
    if is_dictionary_word(window) or window.lower() in context.known:
        return ""
    found = [
        word
        for position, char in enumerate(window)
        for word in context.homophones.get(_masked(window, position), ())
        if word[position] != char and sound_alike(typed=char, meant=word[position])
    ]
    return min(found, default="")


def correct_homophones(
    text: str, *, context: QueryContext
) -> tuple[str, tuple[tuple[str, str], ...]]:
    """``text`` with Chinese homophone typos of domain words corrected, and the pairs.

    A pinyin input method offers every character of a sound, so "联邦" typed as "联帮" is a
    common slip. Candidates are runs of dictionary words that are no word together, longest
    first; two characters only around a lone one (a mistyped character forms no word with its
    neighbours), never around a lone function word. Only domain words are targets, one
    character off: ordinary Chinese is left as typed."""
    if not context.homophones or not _HAS_CJK.search(text):
        return text, ()
    corrections: list[tuple[str, str]] = []
    replaced: list[tuple[int, int, str]] = []
    for run in _ALL_HAN.finditer(text):
        segments = dictionary_segments(run.group())
        taken = [False] * len(segments)
        for width in range(6, 1, -1):
            for first in range(len(segments)):
                if taken[first]:
                    continue
                length = 0
                last = first
                while last < len(segments) and length < width and not taken[last]:
                    length += len(segments[last][0])
                    last += 1
                parts = [seg[0] for seg in segments[first:last]]
                lone = [part for part in parts if len(part) == 1]
                if length != width or not (lone or width >= 3):
                    continue
                if any(part in CHINESE_STOPWORDS for part in lone):
                    continue  # "于训练" is "for training", not a slip of "预训练"
                window = "".join(parts)
                fixed = _homophone(window, context)
                if fixed:
                    start = run.start() + segments[first][1]
                    replaced.append((start, start + width, fixed))
                    corrections.append((window, fixed))
                    for i in range(first, last):
                        taken[i] = True
    if not replaced:
        return text, ()
    pieces: list[str] = []
    last_end = 0
    for start, end, fixed in sorted(replaced):
        pieces.extend((text[last_end:start], fixed))
        last_end = end
    pieces.append(text[last_end:])
    order = {typed: text.find(typed) for typed, _ in corrections}
    return "".join(pieces), tuple(sorted(corrections, key=lambda pair: order[pair[0]]))


_SENTENCE_START = re.compile(r"(?:\A|[.!?。！？]\s*|\n)\s*\Z")


def correct_typos(text: str, *, context: QueryContext) -> tuple[str, tuple[tuple[str, str], ...]]:
    """``text`` with each unknown Latin word of 5 letters or more replaced by the nearest
    known word (distance 1 for 5-6 letters, 2 for longer), and the (typed, corrected) pairs.

    Names are left as typed: a word in capitals or with a capital inside ("RocketMQ",
    "NetworkX"); a capitalised word within a sentence ("Giraph") is corrected only to the
    name of an entry or a framework ("Pytroch")."""
    corrections: list[tuple[str, str]] = []
    pieces: list[str] = []
    last = 0
    for match in _WORD.finditer(text):
        typed = match.group()
        lowered = typed.lower()
        if len(lowered) < MIN_TYPO_LENGTH or typed.isupper() or not typed[1:].islower():
            continue
        if _is_known(lowered, context.known):
            continue
        capitalised = typed[0].isupper() and not _SENTENCE_START.search(text[: match.start()])
        fixed = _correction(lowered, context, names_only=capitalised)
        if not fixed or fixed == lowered:
            continue
        corrections.append((typed, fixed))
        pieces.extend((text[last : match.start()], _same_case(typed, fixed)))
        last = match.end()
    pieces.append(text[last:])
    return "".join(pieces), tuple(corrections)


# --- mentions and roles ----------------------------------------------------------------------


def _spans(
    lowered: str, patterns: Iterable[tuple[str, re.Pattern[str]]], kind: str
) -> list[_Mention]:
    """Non-overlapping matches, longest pattern first (patterns come longest first)."""
    taken: list[_Mention] = []
    for key, pattern in patterns:
        for match in pattern.finditer(lowered):
            start, end = match.span()
            if any(start < m.end and m.start < end for m in taken):
                continue
            taken.append(_Mention(start, end, kind, key))
    return sorted(taken, key=lambda m: (m.start, m.end))


def _leaves(lowered: str, mention: _Mention, *, changes: bool) -> bool:
    """The question leaves the mentioned framework or entry ("moving away from X", "从X迁移到Y",
    "以前用X，现在...")."""
    left, right = _clause_bounds(lowered, mention.start, mention.end)
    before, after = _windows(lowered, mention.start, mention.end, left, right)
    if _ends_with(before, _LEAVE_BEFORE) or _starts_with(after, _LEAVE_AFTER):
        return True
    if any(_ends_with(before, first) and _starts_with(after, second) for first, second in _FRAMES):
        return True
    return changes and bool(_ends_with(before, _PAST))


def _framework_in(text: str) -> set[str]:
    return _FRAMEWORKS.keys_in(text)


def _entry_role(
    lowered: str, mention: _Mention, *, changes: bool, supported: frozenset[str]
) -> str:
    if _leaves(lowered, mention, changes=changes):
        return COUNTERPART
    left, right = _clause_bounds(lowered, mention.start, mention.end)
    before, after = _windows(lowered, mention.start, mention.end, left, right)
    cue = _ends_with(before, _COUNTERPART_BEFORE) or _starts_with(after, _COUNTERPART_AFTER)
    # "X for PyTorch" asks for another version of X, unless X is made for PyTorch.
    if cue and not (_framework_in(cue) and _framework_in(cue) <= supported):
        return COUNTERPART
    if _ends_with(before, _CONTEXT_BEFORE) or _starts_with(after, _CONTEXT_AFTER):
        return CONTEXT
    return TARGET


def _merged(entries: list[_Mention], frameworks: list[_Mention]) -> list[list[_Mention]]:
    """All mentions in text order, an entry and a framework on the same words as one node."""
    nodes: list[list[_Mention]] = []
    for mention in sorted([*entries, *frameworks], key=lambda m: (m.start, -m.end)):
        if nodes and mention.start < max(m.end for m in nodes[-1]):
            nodes[-1].append(mention)
        else:
            nodes.append([mention])
    return nodes


def _comparisons(
    text: str, nodes: list[list[_Mention]], roles: Mapping[str, str]
) -> list[list[_Mention]]:
    """Groups of mentions the question compares ("A vs B", "A or B?", "A和B选哪个")."""
    groups: list[list[_Mention]] = []
    current: list[list[_Mention]] = []
    kinds: set[str] = set()

    def close() -> None:
        if len(current) >= 2:
            first, last = current[0][0], current[-1][0]
            s_left, s_right = _sentence_bounds(text, first.start, last.end)
            sentence = text[s_left:s_right]
            choice = bool(_CHOICE.search(sentence))
            backdrop = any(roles.get(m.key) == CONTEXT for node in current for m in node)
            if (
                "always" in kinds
                or ("alternative" in kinds and (choice or _QUESTION.search(sentence)))
                or (choice and not backdrop)
            ):
                groups.append([m for node in current for m in node])

    for node in nodes:
        if current:
            gap = text[max(m.end for m in current[-1]) : min(m.start for m in node)]
            kind = (
                "always"
                if _ALWAYS.match(gap)
                else "alternative"
                if _ALTERNATIVE.match(gap)
                else "conjunction"
                if _CONJUNCTION.match(gap)
                else ""
            )
            if kind:
                current.append(node)
                kinds.add(kind)
                continue
            close()
        current, kinds = [node], set()
    close()
    return groups


def _shared(
    text: str, mentions: list[_Mention], values: list, *, cued: Callable[[object], bool]
) -> list:
    """``values`` (one per mention, in text order) with an uncued mention taking the value of a
    cued neighbour it is joined to by a conjunction or an "or" ("A和B的替代", "off A and B")."""
    values = list(values)
    for order in (range(1, len(mentions)), range(len(mentions) - 2, -1, -1)):
        for index in order:
            other = index - 1 if order.step == 1 else index + 1
            first, second = sorted((mentions[index], mentions[other]), key=lambda m: m.start)
            gap = text[first.end : second.start]
            joined = _CONJUNCTION.match(gap) or _ALTERNATIVE.match(gap)
            if joined and cued(values[other]) and not cued(values[index]):
                values[index] = values[other]
    return values


# --- deployment and scale --------------------------------------------------------------------


def _negated(lowered: str, start: int) -> bool:
    left, _ = _clause_bounds(lowered, start, start)
    before, _after = _windows(lowered, start, start, left, start)
    return bool(_ends_with(before, _NEGATION))


def deployment_in(text: str) -> str:
    """The deployment the text asks for: "self-hosted", "managed", or "" (none, or both). The
    lexicon's deployment words, turned around after a negation ("不想自己部署" is managed)."""
    lowered = text.lower()
    votes: set[str] = set()
    for mention in _DEPLOYMENT.spans(lowered, "deployment"):
        wish = mention.key
        if _negated(lowered, mention.start):
            wish = "managed" if wish == "self-hosted" else "self-hosted"
        votes.add(wish)
    return votes.pop() if len(votes) == 1 else ""


def _outgrown(lowered: str, mention: _Mention) -> bool:
    """The text says the scale named is too small ("单卡放不下", "no longer fits on one GPU")."""
    left, right = _clause_bounds(lowered, mention.start, mention.end)
    before, after = _windows(lowered, mention.start, mention.end, left, right)
    return bool(_ends_with(before, _OUTGROWN_BEFORE) or _starts_with(after, _OUTGROWN_AFTER))


def scale_in(text: str) -> str:
    """The biggest scale the text states (lexicon scale hints). A negated hint says nothing;
    one the text says is too small stands for the next scale up."""
    lowered = text.lower()
    found: set[str] = set()
    for mention in _SCALE.spans(lowered, "scale"):
        if _outgrown(lowered, mention):
            position = SCALE_ORDER.index(mention.key)
            found.add(SCALE_ORDER[min(position + 1, len(SCALE_ORDER) - 1)])
        elif not _negated(lowered, mention.start):
            found.add(mention.key)
    return next((s for s in reversed(SCALE_ORDER) if s in found), "")


# --- entry points ----------------------------------------------------------------------------


class AliasPatterns(Sequence):
    """(alias, slug, pattern) of every alias, the pattern compiled when first read: a question
    reads the few whose first characters it holds, and a catalog of 10,000 entries is not
    made to wait for 10,000 compilations."""

    def __init__(self, items: Sequence[tuple[str, str]]) -> None:
        self._items = tuple(items)

    def __len__(self) -> int:
        return len(self._items)

    def __getitem__(self, position):
        if isinstance(position, slice):
            return [self[i] for i in range(*position.indices(len(self)))]
        alias, slug = self._items[position]
        return alias, slug, alias_pattern(alias)


def prepare(
    *,
    aliases: Mapping[str, Iterable[str]],
    vocabulary: Iterable[str] = (),
    entry_frameworks: Mapping[str, Iterable[str]] | None = None,
) -> QueryContext:
    """The catalog side of query understanding, once per catalog version.

    ``aliases``: slug -> the entry's names in lower case (as the engine matches them);
    ``vocabulary``: the words of the indexed texts (``tokenizer.surface_forms`` of the text
    index's terms); ``entry_frameworks``: slug -> the frameworks
    the entry supports (so "X for PyTorch" about a PyTorch entry X is a plain mention)."""
    items = sorted(
        {(a.lower(), slug) for slug, names in aliases.items() for a in names if a},
        key=lambda item: (-len(item[0]), item[0], item[1]),
    )
    names = {a for a, _ in items if _LATIN_WORDS.fullmatch(a)}  # one-word names
    name_parts = _words(a for a, _ in items)  # "analytics" of a two-word name: no name
    concept_words = _words(a for values in CONCEPTS.values() for a in values)
    framework_names = {
        a for values in FRAMEWORK_ALIASES.values() for a in values if _LATIN_WORDS.fullmatch(a)
    }
    framework_words = _words(a for values in FRAMEWORK_ALIASES.values() for a in values)
    index_words = _words(vocabulary)
    domain = names | name_parts | concept_words | framework_words
    targets: dict[int, list[str]] = {}
    name_targets: dict[int, list[str]] = {}
    tiers: dict[str, int] = {}
    for word in sorted(domain | index_words):
        if len(word) >= MIN_TYPO_LENGTH - 1:
            tier = NAME_TIER if word in names | framework_names else 1 if word in domain else 2
            tiers[word] = tier
            targets.setdefault(len(word), []).append(word)
            if tier == NAME_TIER:
                name_targets.setdefault(len(word), []).append(word)
    known = frozenset(
        domain
        | index_words
        | {stem(word) for word in index_words}  # a word whose stem the catalog has is known
        | _cue_words()
        | {w.lower() for w in CUES["known_words"]}
        | set(ENGLISH_STOPWORDS)
        | _words(h for hints in SCALE_HINTS.values() for h in hints)
    )
    english_words()  # loaded now, not by the first question with an unknown word
    chinese = {a for a, _ in items} | {a for values in CONCEPTS.values() for a in values}
    chinese |= {a for values in FRAMEWORK_ALIASES.values() for a in values} | set(DOMAIN_WORDS)
    chinese |= {w for w in vocabulary if len(w) >= 3}  # two-character words: too many sound alike
    homophones: dict[str, list[str]] = {}
    for word in sorted(w for w in chinese if _ALL_HAN.fullmatch(w) and 2 <= len(w) <= 6):
        for position in range(len(word)):
            homophones.setdefault(_masked(word, position), []).append(word)
    prefixes: dict[str, list[int]] = {}
    for position, (alias, _slug) in enumerate(items):
        prefixes.setdefault(alias[:2], []).append(position)
    return QueryContext(
        alias_patterns=AliasPatterns(items),
        alias_prefixes=MappingProxyType({k: tuple(v) for k, v in prefixes.items()}),
        entry_frameworks=MappingProxyType(
            {slug: frozenset(fws) for slug, fws in (entry_frameworks or {}).items()}
        ),
        known=known,
        targets=MappingProxyType({n: tuple(words) for n, words in targets.items()}),
        name_targets=MappingProxyType({n: tuple(words) for n, words in name_targets.items()}),
        tiers=MappingProxyType(tiers),
        homophones=MappingProxyType({k: tuple(v) for k, v in homophones.items()}),
    )


def _candidate_aliases(lowered: str, context: QueryContext) -> list[tuple[str, re.Pattern[str]]]:
    """(slug, pattern) of the aliases that may occur in ``lowered``, longest first."""
    keys = {lowered[i : i + 2] for i in range(len(lowered))} | set(lowered)
    positions = sorted(p for key in keys for p in context.alias_prefixes.get(key, ()))
    return [context.alias_patterns[p][1:] for p in positions]


def read(text: str, *, context: QueryContext) -> QueryFacts:
    """``understand`` with a prepared catalog context."""
    corrected, corrections = correct_typos(text, context=context)
    corrected, homophones = correct_homophones(corrected, context=context)
    corrections += homophones
    lowered = corrected.lower()
    changes = bool(_CHANGE.search(lowered))
    frameworks = _FRAMEWORKS.spans(lowered, "framework")
    entries = _spans(lowered, _candidate_aliases(lowered, context), "entry")
    leaving = [_leaves(lowered, m, changes=changes) for m in frameworks]
    roles_of = [
        _entry_role(
            lowered,
            m,
            changes=changes,
            supported=context.entry_frameworks.get(m.key, frozenset()),
        )
        for m in entries
    ]
    # A cue reaches the names joined to its own by "and" / "或" ("不想再用TF和Keras").
    leaving = _shared(lowered, frameworks, leaving, cued=lambda left: left)
    roles_of = _shared(lowered, entries, roles_of, cued=lambda role: role != TARGET)
    avoided = {m.key for m, left in zip(frameworks, leaving, strict=True) if left}
    wanted = {m.key for m, left in zip(frameworks, leaving, strict=True) if not left}
    roles: dict[str, str] = {}
    rank = {TARGET: 0, CONTEXT: 1, COUNTERPART: 2}
    for mention, role in zip(entries, roles_of, strict=True):
        if rank[role] >= rank[roles.get(mention.key, TARGET)]:
            roles[mention.key] = role
    groups = _comparisons(lowered, _merged(entries, frameworks), roles)
    compared: list[str] = []
    for group in groups:
        for mention in group:
            if mention.kind == "entry":
                roles[mention.key] = TARGET
                if mention.key not in compared:
                    compared.append(mention.key)
    concepts = tuple(concepts_in(corrected)) if corrected.strip() else ()
    return QueryFacts(
        text=corrected,
        corrections=corrections,
        frameworks_avoided=frozenset(avoided),
        frameworks_wanted=frozenset(wanted - avoided),
        deployment=deployment_in(corrected),
        scale=scale_in(corrected),
        comparison=bool(groups),
        named=MappingProxyType(roles),
        compared=tuple(compared),
        data_types=frozenset(d for c in concepts for d in CONCEPT_DATA_TYPES.get(c, ())),
        concepts=concepts,
    )


def understand(
    text: str,
    *,
    aliases: Mapping[str, Iterable[str]],
    vocabulary: Iterable[str] = (),
    entry_frameworks: Mapping[str, Iterable[str]] | None = None,
) -> QueryFacts:
    """What ``text`` says (see ``QueryFacts``). Builds the catalog context for this one call:
    the engine prepares it once (``prepare``) and calls ``read``."""
    context = prepare(aliases=aliases, vocabulary=vocabulary, entry_frameworks=entry_frameworks)
    return read(text, context=context)
