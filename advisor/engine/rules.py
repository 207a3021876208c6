"""The advisor's rules: what the answers need, and how well one entry fits that need.

Pure functions over plain data. ``infer_need`` turns the questionnaire into a ``Need``
(structured answers win; what the free text says fills the gaps, marked as inferred).
``evaluate_entry`` returns the components of the score for one entry, each with the reason
that explains it; ``scoring`` combines them with the weights of ``weights.py``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache, partial

from textindex.lexicon import (
    CONCEPT_DATA_TYPES,
    CONCEPT_FRAMEWORKS,
    CONCEPT_SCENARIOS,
    GENERIC_NAMES,
    SCALE_HINTS,
    WEAK_SCENARIO_CONCEPTS,
)
from textindex.tokenizer import alias_pattern, concepts_in

from . import messages
from .types import Answers, EntryDoc, Reason
from .weights import Weights

ML_FRAMEWORKS = frozenset({"tensorflow", "pytorch"})
SCALE_ORDER = ("single", "cluster", "massive")
# Data types an entry handles in part when it handles the neighbour: documents are text once
# parsed (an LLM service that takes text can answer over documents, not parse their layout).
DATA_TYPE_NEAR: dict[str, frozenset[str]] = {"document": frozenset({"text"})}


@dataclass(frozen=True)
class Need:
    """The answers, normalised, with what the free text adds where a question was skipped."""

    text: str = ""
    scenarios: frozenset[str] = frozenset()
    scenario_inferred: bool = False
    framework: str = ""
    framework_inferred: bool = False
    data_types: frozenset[str] = frozenset()
    data_types_inferred: bool = False
    scale: str = ""
    scale_inferred: bool = False
    deployment: str = "any"
    deployment_inferred: bool = False
    # No entry that fits the need supports the framework: conflicts are stated, not swapped.
    framework_unavoidable: bool = False
    maintained_only: bool = False
    open_source_only: bool = False
    concepts: tuple[str, ...] = ()

    @property
    def inferred_anything(self) -> bool:
        return (
            self.scenario_inferred
            or self.framework_inferred
            or self.data_types_inferred
            or self.scale_inferred
        )


_SCALE_PATTERNS = {
    scale: tuple(alias_pattern(hint) for hint in hints) for scale, hints in SCALE_HINTS.items()
}


def _scale_in(text: str) -> str:
    lowered = text.lower()
    found = [
        scale
        for scale in SCALE_ORDER
        if any(pattern.search(lowered) for pattern in _SCALE_PATTERNS[scale])
    ]
    # The biggest scale mentioned wins ("from one machine to billions of samples").
    return found[-1] if found else ""


def infer_need(answers: Answers, *, infer: bool = True) -> Need:
    """Structured answers as given; gaps filled from the text when ``infer`` is on."""
    text = answers.text.strip()
    concepts = tuple(concepts_in(text)) if text else ()
    scenarios = frozenset({answers.scenario}) if answers.scenario else frozenset()
    framework = answers.framework if answers.framework not in ("", "any") else ""
    data_types = frozenset(d for d in answers.data_types if d and d != "any")
    scale = answers.scale
    deployment = answers.deployment or "any"
    scenario_inferred = framework_inferred = data_inferred = scale_inferred = False
    deployment_inferred = False
    if infer and text:
        if not scenarios:
            strong = [c for c in concepts if c not in WEAK_SCENARIO_CONCEPTS]
            for group in (strong, concepts):  # modifiers ("real-time") only when alone
                found = {s for c in group for s in CONCEPT_SCENARIOS.get(c, ())}
                if found:
                    scenarios, scenario_inferred = frozenset(found), True
                    break
        if not framework and not answers.framework:
            found_fw = {CONCEPT_FRAMEWORKS[c] for c in concepts if c in CONCEPT_FRAMEWORKS}
            if len(found_fw) == 1:  # "TensorFlow to PyTorch" names two: no guess
                framework, framework_inferred = found_fw.pop(), True
        if not data_types and not answers.data_types:
            found_dt = {d for c in concepts for d in CONCEPT_DATA_TYPES.get(c, ())}
            if found_dt:
                data_types, data_inferred = frozenset(found_dt), True
        if not scale:
            scale = _scale_in(text)
            scale_inferred = bool(scale)
        if deployment == "any":
            wants_managed = "managed" in concepts
            wants_self = "self-hosted" in concepts
            if wants_managed != wants_self:
                deployment = "managed" if wants_managed else "self-hosted"
                deployment_inferred = True
    return Need(
        text=text,
        scenarios=scenarios,
        scenario_inferred=scenario_inferred,
        framework=framework,
        framework_inferred=framework_inferred,
        data_types=data_types,
        data_types_inferred=data_inferred,
        scale=scale,
        scale_inferred=scale_inferred,
        deployment=deployment,
        deployment_inferred=deployment_inferred,
        maintained_only=answers.maintained_only,
        open_source_only=answers.open_source_only,
        concepts=concepts,
    )


# --- Components -----------------------------------------------------------------------------


class Component:
    """One part of the score: a fit in [0, 1], its weight, and the reason that explains it.

    ``reason`` may be given as a function that writes it: it is called only when the reason is
    read (for the entries listed), not for every entry of the catalog.
    """

    __slots__ = ("name", "value", "weight", "_reason", "penalty", "neutral")

    def __init__(
        self,
        name: str,
        value: float,
        weight: float,
        reason: Reason | Callable[[], Reason] | None = None,
        penalty: float = 1.0,  # multiplier on the whole score (1.0 = no penalty)
        neutral: bool = False,  # the entry does not say: the value is a midpoint, not a match
    ) -> None:
        self.name = name
        self.value = value
        self.weight = weight
        self._reason = reason
        self.penalty = penalty
        self.neutral = neutral

    @property
    def reason(self) -> Reason | None:
        if callable(self._reason):
            self._reason = self._reason()
        return self._reason

    @reason.setter
    def reason(self, value: Reason | None) -> None:
        self._reason = value

    def __repr__(self) -> str:
        return f"Component({self.name!r}, {self.value!r}, {self.weight!r}, {self.penalty!r})"


@dataclass
class Evaluation:
    components: list[Component] = field(default_factory=list)
    framework_conflict: bool = False
    unmaintained: bool = False

    def add(self, component: Component | None) -> None:
        if component is not None:
            self.components.append(component)


def framework_conflicts(entry: EntryDoc, framework: str) -> bool:
    """A TensorFlow-only entry for a PyTorch user (or the reverse): the two do not mix."""
    if framework not in ML_FRAMEWORKS or "any" in entry.frameworks:
        return False
    ml = entry.frameworks & ML_FRAMEWORKS
    return bool(ml) and framework not in ml


def scenario_component(entry: EntryDoc, need: Need, w: Weights) -> Component | None:
    if not need.scenarios:
        return None
    weight = w.scenario * (w.inferred if need.scenario_inferred else 1.0)
    hit = sorted(need.scenarios & entry.scenarios)
    if hit:
        reason = partial(messages.scenario_fit, hit, 0.0, inferred=need.scenario_inferred)
        return Component("scenario", 1.0, weight, reason)
    reason = partial(messages.scenario_miss, need.scenarios, inferred=need.scenario_inferred)
    return Component("scenario", 0.0, weight, reason)


def framework_component(entry: EntryDoc, need: Need, w: Weights) -> Component | None:
    framework = need.framework
    if not framework:
        return None
    weight = w.framework * (w.inferred if need.framework_inferred else 1.0)
    if not entry.frameworks:
        # Cloud services, databases, learning resources: neutral. No conflict penalty, but an
        # entry that supports the user's framework fits better than one that does not say.
        return Component(
            "framework", w.framework_neutral, weight,
            partial(messages.framework_neutral, framework), neutral=True,
        )
    if framework in entry.frameworks or "any" in entry.frameworks:
        via_any = framework not in entry.frameworks
        reason = partial(messages.framework_supported, framework, 0.0, via_any=via_any)
        return Component("framework", 1.0, weight, reason)
    if framework_conflicts(entry, framework):
        supported = sorted(entry.frameworks & ML_FRAMEWORKS)
        reason = partial(messages.framework_conflict, framework, supported, 0.0, replacement=None)
        return Component("framework", 0.0, weight, reason, penalty=w.framework_conflict)
    if framework in ML_FRAMEWORKS:
        # A PyTorch user and a Java / JavaScript / Flink entry: different layers, no conflict.
        return Component(
            "framework", w.framework_neutral, weight,
            partial(messages.framework_neutral, framework), neutral=True,
        )
    return Component(
        "framework", 0.0, weight,
        partial(messages.framework_other, framework, sorted(entry.frameworks)),
    )


def data_type_component(entry: EntryDoc, need: Need, w: Weights) -> Component | None:
    if not need.data_types:
        return None
    weight = w.data_type * (w.inferred if need.data_types_inferred else 1.0)
    if not entry.data_types:
        return Component("data-type", w.neutral, weight, None, neutral=True)
    if "any" in entry.data_types:
        return Component("data-type", 1.0, weight, partial(messages.data_types_any, 0.0))
    covered = need.data_types & entry.data_types
    missing = need.data_types - entry.data_types
    near = {d for d in missing if DATA_TYPE_NEAR.get(d, frozenset()) & entry.data_types}
    value = (len(covered) + w.data_type_near * len(near)) / len(need.data_types)
    # An entry that cannot handle the user's data is not a fit: a penalty on the whole score,
    # by the share it misses (milder when the data types were only read from the question).
    full = w.data_type_missing_inferred if need.data_types_inferred else w.data_type_missing
    penalty = 1.0 - (1.0 - full) * (1.0 - value)
    return Component(
        "data-type", value, weight, partial(messages.data_types_fit, covered, missing, 0.0),
        penalty=penalty,
    )


def purpose_concepts(entry: EntryDoc) -> frozenset[str]:
    """What the entry is for, as its name says it ("Machine Translation" -> translation,
    "视觉智能 人脸人体" -> computer-vision, face). Brand names ("EasyRec") say nothing."""
    return _purposes_in(f"{entry.name} {entry.name_zh}")


@lru_cache(maxsize=1 << 16)
def _purposes_in(names: str) -> frozenset[str]:
    """Kept per process: a catalog's next version reads only new names."""
    return frozenset(concepts_in(names)) - GENERIC_NAMES - {"managed", "self-hosted"}


def purpose_asked(purposes: frozenset[str], need: Need) -> bool:
    """The question asks for what the entry is for: it names one of its purposes, or one of
    its broad purposes (not a specific task: WEAK_SCENARIO_CONCEPTS) is made for the need's
    scenarios or handles its data types ("NLP" for a customer-service bot, "graph" for a
    GNN question). Translation is a task within NLP: an NLP need does not ask for it."""
    if purposes & set(need.concepts):
        return True
    for purpose in purposes - WEAK_SCENARIO_CONCEPTS:
        if set(CONCEPT_SCENARIOS.get(purpose, ())) & need.scenarios:
            return True
        if set(CONCEPT_DATA_TYPES.get(purpose, ())) & need.data_types:
            return True
    return False


def purpose_component(
    entry: EntryDoc, need: Need, w: Weights, *, purposes: frozenset[str] | None = None
) -> Component | None:
    """An entry whose name says what it is for ("Machine Translation") is not a fit for a
    question that names its needs (it has concepts) but never what the entry is for: a voice
    customer-service bot does not ask for translation, a fraud question on a transaction
    graph does not ask for face recognition. A penalty only, no weight: the other components
    already measure the fit; this one says the fit came from secondary mentions."""
    if not need.text or not need.concepts:
        return None
    if purposes is None:
        purposes = purpose_concepts(entry)
    if not purposes or purpose_asked(purposes, need):
        return None
    return Component(
        "purpose", 0.0, 0.0, partial(messages.purpose_unasked, sorted(purposes)),
        penalty=w.purpose_unasked,
    )


def scale_component(entry: EntryDoc, need: Need, w: Weights) -> Component | None:
    if not need.scale or not entry.scales or need.scale not in SCALE_ORDER:
        return None
    weight = w.scale * (w.inferred if need.scale_inferred else 1.0)
    if need.scale in entry.scales:
        return Component("scale", 1.0, weight, partial(messages.scale_fit, need.scale, 0.0))
    position = SCALE_ORDER.index(need.scale)
    near = any(
        abs(SCALE_ORDER.index(s) - position) == 1 for s in entry.scales if s in SCALE_ORDER
    )
    value = w.scale_near if near else 0.0
    return Component(
        "scale", value, weight, partial(messages.scale_miss, need.scale, sorted(entry.scales), 0.0)
    )


def deployment_component(entry: EntryDoc, need: Need, w: Weights) -> Component | None:
    if need.deployment not in ("managed", "self-hosted"):
        return None
    if entry.kind not in ("open-source", "cloud-service"):
        return None  # learning resources: neutral
    weight = w.deployment * (w.inferred if need.deployment_inferred else 1.0)
    wants_managed = need.deployment == "managed"
    if entry.managed == wants_managed:
        reason = partial(
            messages.deployment_fit, need.deployment, managed=entry.managed, contribution=0
        )
        return Component("deployment", 1.0, weight, reason)
    reason = partial(
        messages.deployment_conflict, need.deployment, managed=entry.managed, contribution=0
    )
    if need.deployment_inferred:
        penalty = 1.0
    elif wants_managed:
        penalty = w.managed_open_source
    else:
        penalty = w.deployment_conflict
    return Component("deployment", 0.0, weight, reason, penalty=penalty)


def maintenance_component(
    entry: EntryDoc,
    w: Weights,
    *,
    successor_name: str | None,
    successor_name_zh: str = "",
    successor_frameworks: tuple[str, ...] = (),
) -> Component:
    if entry.maintenance == "unmaintained":
        reason = partial(
            messages.maintenance_unmaintained,
            entry.last_release_year,
            successor_name,
            0.0,
            successor_zh=successor_name_zh,
            successor_frameworks=successor_frameworks,
        )
        return Component("maintenance", 0.0, w.maintenance, reason, penalty=w.unmaintained)
    if entry.maintenance == "low-activity":
        reason = partial(messages.maintenance_low, entry.last_release_year, 0.0)
        return Component(
            "maintenance", w.low_activity, w.maintenance, reason, penalty=w.low_activity_penalty
        )
    return Component("maintenance", 1.0, w.maintenance, partial(messages.maintenance_active, 0.0))


def evaluate_entry(
    entry: EntryDoc,
    need: Need,
    w: Weights,
    *,
    successor_name: str | None,
    successor_name_zh: str = "",
    successor_frameworks: tuple[str, ...] = (),
    purposes: frozenset[str] | None = None,
) -> Evaluation:
    """The rule components of one entry (text relevance is added by the engine).

    ``purposes``: the entry's ``purpose_concepts`` when the caller has them (the engine reads
    them once per catalog version)."""
    evaluation = Evaluation()
    evaluation.add(scenario_component(entry, need, w))
    fw = framework_component(entry, need, w)
    evaluation.add(fw)
    evaluation.framework_conflict = fw is not None and fw.penalty < 1.0
    evaluation.add(data_type_component(entry, need, w))
    evaluation.add(scale_component(entry, need, w))
    evaluation.add(purpose_component(entry, need, w, purposes=purposes))
    evaluation.add(deployment_component(entry, need, w))
    evaluation.add(
        maintenance_component(
            entry,
            w,
            successor_name=successor_name,
            successor_name_zh=successor_name_zh,
            successor_frameworks=successor_frameworks,
        )
    )
    evaluation.unmaintained = entry.maintenance == "unmaintained"
    return evaluation


def passes_filters(entry: EntryDoc, need: Need) -> str | None:
    """None when the entry passes the hard filters, else the filter that removes it."""
    if need.open_source_only and not entry.open_source:
        return "open-source"
    if need.maintained_only and entry.maintenance == "unmaintained":
        return "maintained"
    return None


class AliasIndex:
    """Every entry's names, found in a question with a few regex searches, not one per alias.

    The aliases are kept longest first (so "tugraph analytics" beats "tugraph") and indexed by
    their first two characters: a question is searched only for the aliases whose first two
    characters occur in it (an alias that matches must), each pattern compiled on first use.
    The result is the one of trying every alias in that order (``find_mentions``).
    """

    def __init__(self, aliases: dict[str, set[str]]) -> None:
        items = [(alias, slug) for slug, names in aliases.items() for alias in names if alias]
        items.sort(key=lambda item: (-len(item[0]), item[0], item[1]))
        self._items = items
        self._by_prefix: dict[str, list[int]] = {}
        for position, (alias, _slug) in enumerate(items):
            self._by_prefix.setdefault(alias[:2], []).append(position)
        self._patterns: dict[str, re.Pattern[str]] = {}

    def __len__(self) -> int:
        return len(self._items)

    def _pattern(self, alias: str) -> re.Pattern[str]:
        pattern = self._patterns.get(alias)
        if pattern is None:
            pattern = self._patterns[alias] = alias_pattern(alias)
        return pattern

    def find(self, text: str) -> dict[str, str]:
        """Entries the text names: slug -> the alias found (see ``find_mentions``)."""
        lowered = text.lower()
        keys = {lowered[i : i + 2] for i in range(len(lowered))} | set(lowered)
        positions = sorted(p for key in keys for p in self._by_prefix.get(key, ()))
        candidates = [
            (alias, slug, self._pattern(alias))
            for alias, slug in (self._items[p] for p in positions)
        ]
        return find_mentions(text, candidates)


def compile_aliases(aliases: dict[str, set[str]]) -> list[tuple[str, str, re.Pattern[str]]]:
    """(alias, slug, pattern), longest alias first, so "tugraph analytics" beats "tugraph"."""
    items = [(alias, slug) for slug, names in aliases.items() for alias in names if alias]
    items.sort(key=lambda item: (-len(item[0]), item[0], item[1]))
    return [(alias, slug, alias_pattern(alias)) for alias, slug in items]


def find_mentions(
    text: str, patterns: list[tuple[str, str, re.Pattern[str]]]
) -> dict[str, str]:
    """Entries the text names: slug -> the alias found. Overlapping shorter names are skipped."""
    lowered = text.lower()
    taken: list[tuple[int, int]] = []
    found: dict[str, str] = {}
    for alias, slug, pattern in patterns:
        for match in pattern.finditer(lowered):
            start, end = match.span()
            if any(start < e and s < end for s, e in taken):
                continue
            taken.append((start, end))
            found.setdefault(slug, alias)
    return found
