"""The advisor's engine: answers in, ranked entries and stacks with reasons out.

Pure Python (no Django). Build one ``Engine`` per catalog version and call ``advise`` per
request; an engine is read-only after construction and safe to share between threads.

How an entry is scored (the weights and their meaning are in ``weights.py``):

1. Text relevance: TF-IDF cosine of the question with the entry's bilingual text (``text.py``),
   with the synonym map so an English question meets Chinese text; naming a project
   ("AliGraph", "EasyTransfer") counts as a perfect text match for it.
2. Rules (``rules.py``): scenario, framework, data types, scale, deployment and maintenance,
   each a component in [0, 1] with a reason; what the text says fills unanswered questions.
3. The score is the weighted mean of the components that apply, times the penalties of the
   rules that rule the entry out (framework conflict, unmaintained, wrong deployment).
4. A ruled-out entry hands its relevance to its counterpart or successor (EasyRec ->
   TorchEasyRec for a PyTorch user; EasyTransfer -> EasyNLP), which says so in its reasons.
5. Hard filters (maintained only, open source only) remove entries; ties sort by slug.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from . import messages, rules, stacks
from .rules import Component, Need
from .synonyms import ANSWER_WORDS, GENERIC_NAMES
from .text import TextIndex
from .types import Advice, Answers, EntryDoc, FollowUp, ProjectResult, Reason, StackDoc
from .weights import DEFAULT_WEIGHTS, Weights

# Components that describe the need (they pass from a ruled-out entry to its replacement);
# the others describe the entry itself (framework, deployment, maintenance).
NEED_COMPONENTS = frozenset({"text", "scenario", "data-type", "scale"})
# An entry is listed only when one of these fits at least a little (or it replaces one that
# does): an entry that only "is maintained" is not advice.
RELEVANCE_COMPONENTS = NEED_COMPONENTS | {"framework"}
FOLLOW_UP_TOP = 5
# Matched terms shown in reasons leave out words nearly every entry has ("数据", "model").
MIN_IDF_SHARE = 0.12


@dataclass
class Scored:
    """One entry's score while the engine works on it."""

    entry: EntryDoc
    components: list[Component]
    raw_text: float = 0.0
    matched: tuple[str, ...] = ()
    named_as: str = ""
    framework_conflict: bool = False
    unmaintained: bool = False
    filtered: str | None = None  # the hard filter that removes it
    deployment_conflict: bool = False
    score: float = 0.0
    base: float = 0.0  # weighted mean before penalties
    replaces: str | None = None
    replaced_because: str = ""
    replaced_by: str | None = None
    # Why the entry is not advice for this question although it may fit a facet: "learning"
    # (a course or competition for a need that is not about learning) or "no-text" (the
    # question has terms other entries match and this one matches none of them).
    off_topic: str = ""

    @property
    def slug(self) -> str:
        return self.entry.slug

    @property
    def text_value(self) -> float:
        return next((c.value for c in self.components if c.name == "text"), 0.0)

    @property
    def relevant(self) -> bool:
        if self.off_topic:
            return False
        return bool(self.named_as or self.replaces) or any(
            c.name in RELEVANCE_COMPONENTS and c.value > 0 and not c.neutral
            for c in self.components
        )

    @property
    def ruled_out(self) -> str:
        """Why the entry should give way to its counterpart or successor ("" if it should not)."""
        if self.framework_conflict:
            return "framework"
        if self.unmaintained:
            return "maintenance"
        if self.filtered == "open-source" or self.deployment_conflict:
            return "deployment"
        return ""


def weighted_mean(components: Sequence[Component]) -> float:
    total = sum(c.weight for c in components)
    if total <= 0:
        return 0.0
    return sum(c.value * c.weight for c in components) / total


def penalty_of(components: Sequence[Component]) -> float:
    result = 1.0
    for component in components:
        result *= component.penalty
    return result


def clamp(value: float) -> float:
    return max(0.0, min(1.0, value))


class Engine:
    """Scores catalog entries and stacks against questionnaire answers."""

    def __init__(
        self,
        entries: Sequence[EntryDoc],
        stacks: Sequence[StackDoc],
        *,
        use_rules: bool = True,
        use_synonyms: bool = True,
        weights: Weights = DEFAULT_WEIGHTS,
        labels: messages.Labels | None = None,
    ) -> None:
        """``labels``: slug -> (Chinese, English) names of the catalog's vocabulary terms, as
        reasons say them (``catalog_source.load_labels``)."""
        self.labels: messages.Labels = dict(labels or {})
        self.use_rules = use_rules
        self.use_synonyms = use_synonyms
        self.weights = weights
        self.entries: tuple[EntryDoc, ...] = tuple(sorted(entries, key=lambda e: e.slug))
        self.by_slug: dict[str, EntryDoc] = {e.slug: e for e in self.entries}
        self.stacks: tuple[StackDoc, ...] = tuple(sorted(stacks, key=lambda s: s.slug))
        self.aliases = self._aliases() if use_synonyms else {}
        self.alias_patterns = rules.compile_aliases(self.aliases)
        documents = [(e.slug, self._document(e)) for e in self.entries]
        self.index = TextIndex(documents, synonyms=use_synonyms)
        self.stack_index = TextIndex(
            [(s.slug, stacks_document(s, self.by_slug)) for s in self.stacks],
            synonyms=use_synonyms,
        )

    # --- construction ---------------------------------------------------------------------

    def _aliases(self) -> dict[str, set[str]]:
        aliases: dict[str, set[str]] = {}
        for entry in self.entries:
            names = {a.lower() for a in entry.aliases}
            for candidate in (entry.name, entry.slug, entry.slug.replace("-", " ")):
                candidate = candidate.strip().lower()
                if len(candidate) >= 4 and candidate not in GENERIC_NAMES and " " not in candidate:
                    names.add(candidate)
            aliases[entry.slug] = {n for n in names if n not in GENERIC_NAMES or n == entry.slug}
            aliases[entry.slug] -= GENERIC_NAMES
        return aliases

    @staticmethod
    def _document(entry: EntryDoc) -> str:
        """The entry's text and its summaries once more: what the entry *is* outweighs the
        facet and category names that its neighbours share. (Aliases are matched separately:
        naming an entry scores it as a perfect text match.)"""
        parts = [entry.text, entry.summary_zh, entry.summary_en]
        return "\n".join(p for p in parts if p)

    # --- advice ---------------------------------------------------------------------------

    def advise(self, answers: Answers, *, limit: int = 10, stack_limit: int = 3) -> Advice:
        with messages.labels_in_use(self.labels):
            return self._advise(answers, limit=limit, stack_limit=stack_limit)

    def _advise(self, answers: Answers, *, limit: int, stack_limit: int) -> Advice:
        if answers.is_empty:
            return Advice(
                answers=answers,
                confidence=0.0,
                low_confidence=True,
                follow_up=messages.follow_up("scenario"),
            )
        # Reading scenarios, frameworks and data types out of the text uses the synonym map:
        # without the map (an ablation) the rules see the structured answers only.
        need = rules.infer_need(answers, infer=self.use_rules and self.use_synonyms)
        query = self._query(answers)
        scored = self._score_entries(need, query)
        by_slug = {s.slug: s for s in scored}
        notes: list[Reason] = []
        if self.use_rules:
            if self._framework_unavoidable(scored, need, by_slug):
                notes.append(messages.note_framework_unavoidable(need.framework))
                need = replace(need, framework_unavoidable=True)
            self._inherit(scored, by_slug, need)
            self._mark_off_topic(scored, need)
            for why in ("open-source", "maintained"):
                count = sum(1 for s in scored if s.filtered == why)
                if count:
                    notes.append(messages.note_filtered(count, why=why))
            if need.inferred_anything:
                notes.insert(
                    0,
                    messages.note_inferred(
                        sorted(need.scenarios) if need.scenario_inferred else (),
                        need.framework if need.framework_inferred else "",
                        sorted(need.data_types) if need.data_types_inferred else (),
                    ),
                )
        kept = [s for s in scored if s.filtered is None and s.relevant]
        kept.sort(key=lambda s: (-round(s.score, 6), s.slug))
        tokens = self.index.query_tokens(query) if query else []
        for item in kept[: max(0, limit)]:
            self._explain_text(item, query, tokens)
        results = tuple(self._project_result(s, need) for s in kept[: max(0, limit)])
        stack_results = stacks.score_stacks(
            self.stacks,
            by_slug=by_slug,
            entries=self.by_slug,
            need=need,
            query=query,
            index=self.stack_index,
            weights=self.weights,
            use_rules=self.use_rules,
            limit=stack_limit,
        )
        # Flatness is judged before the relevance cuts (learning resources, no matched term):
        # a vague question that many entries match alike is a flat, unsure ranking.
        field = [s for s in scored if s.filtered is None and (s.relevant or s.off_topic)]
        field.sort(key=lambda s: (-round(s.score, 6), s.slug))
        confidence, follow_up = self._confidence(need, kept, query, field=field)
        return Advice(
            answers=answers,
            confidence=round(confidence, 4),
            projects=results,
            stacks=stack_results,
            low_confidence=confidence < self.weights.confidence_threshold,
            follow_up=follow_up,
            notes=tuple(notes),
        )

    def _query(self, answers: Answers) -> str:
        """The text to match: the question, or the structured answers' words when there is none.

        Without rules the structured answers' words are always added: they are the only way
        plain TF-IDF can use them.
        """
        text = answers.text.strip()
        if self.use_rules and text:
            return text
        words = [text]
        slugs = [answers.scenario, *sorted(answers.data_types)]
        if not self.use_rules:
            slugs.append(answers.framework)
        for slug in slugs:
            if slug and slug != "any":
                zh, en = ANSWER_WORDS.get(slug) or messages.label_pair(slug)
                words.append(f"{en} {zh}")
        return " ".join(w for w in words if w)

    def _score_entries(self, need: Need, query: str) -> list[Scored]:
        w = self.weights
        raw = self.index.scores(query) if query else {}
        best_raw = max(raw.values(), default=0.0)
        scale = max(best_raw, w.text_floor)
        mentions = rules.find_mentions(query, self.alias_patterns) if query else {}
        scored: list[Scored] = []
        for entry in self.entries:
            components: list[Component] = []
            item = Scored(entry=entry, components=components)
            if query:
                item.raw_text = raw.get(entry.slug, 0.0)
                value = clamp(item.raw_text / scale)
                if entry.slug in mentions:
                    item.named_as = mentions[entry.slug]
                    value = 1.0
                weight = w.text if need.text else w.text * w.structured_text
                # The reason (matched terms) is written for the listed entries only.
                components.append(Component("text", value, weight, None))
            if self.use_rules:
                successor = self.by_slug.get(entry.successor or "")
                evaluation = rules.evaluate_entry(
                    entry,
                    need,
                    w,
                    successor_name=successor.name if successor else None,
                    successor_name_zh=(successor.name_zh or successor.name) if successor else "",
                    successor_frameworks=self._other_ml_frameworks(successor, entry),
                )
                components.extend(evaluation.components)
                item.framework_conflict = evaluation.framework_conflict
                item.unmaintained = evaluation.unmaintained
                item.filtered = rules.passes_filters(entry, need)
                item.deployment_conflict = any(
                    c.name == "deployment" and c.penalty < 1.0 for c in components
                )
            item.base = weighted_mean(components)
            item.score = clamp(item.base * penalty_of(components))
            scored.append(item)
        return scored

    @staticmethod
    def _other_ml_frameworks(successor: EntryDoc | None, entry: EntryDoc) -> tuple[str, ...]:
        """The successor's ML frameworks when they are not the entry's (EasyTransfer is
        TensorFlow, its successor EasyNLP PyTorch): a user moving over must know."""
        if successor is None:
            return ()
        theirs = successor.frameworks & rules.ML_FRAMEWORKS
        if not theirs or theirs == entry.frameworks & rules.ML_FRAMEWORKS:
            return ()
        return tuple(sorted(theirs))

    def _framework_unavoidable(
        self, scored: list[Scored], need: Need, by_slug: dict[str, Scored]
    ) -> bool:
        """When no entry that fits the question supports the user's framework, the conflict
        is unavoidable: the best entries are offered anyway (a milder penalty, the conflict
        still stated) rather than unrelated entries that merely do not conflict.

        A supporter names the framework itself (not "any"), is maintained, is not a learning
        resource, and fits the question: it is made for the user's scenario (when there is one)
        and, when there is a question, its text matches at least ``supporter_min_text`` of the
        best match or it is the counterpart of an entry that does (TorchEasyRec for EasyRec).
        With a question, the conflicting entries must also match it better than any maintained,
        non-learning entry without a conflict.
        """
        w = self.weights
        if need.framework not in rules.ML_FRAMEWORKS:
            return False
        if not any(s.framework_conflict for s in scored):
            return False
        for item in scored:
            entry = item.entry
            if (
                need.framework not in entry.frameworks
                or entry.maintenance == "unmaintained"
                or entry.kind == "learning-resource"
                or item.filtered is not None
            ):
                continue
            fits_scenario = not need.scenarios or bool(need.scenarios & entry.scenarios)
            fits_text = not need.text or any(
                by_slug[slug].text_value >= w.supporter_min_text
                for slug in {item.slug, *entry.counterparts}
                if slug in by_slug
            )
            if fits_scenario and fits_text:
                return False
        # ... and the conflicting entries must be what the question is about: they match it
        # better than every entry without a conflict (else those are the advice).
        if need.text:
            conflicting = max(s.text_value for s in scored if s.framework_conflict)
            others = max(
                (
                    s.text_value
                    for s in scored
                    if not s.framework_conflict
                    and s.entry.kind != "learning-resource"
                    and s.entry.maintenance != "unmaintained"
                ),
                default=0.0,
            )
            if conflicting <= others:
                return False
        for item in scored:
            if not item.framework_conflict:
                continue
            item.framework_conflict = False
            for component in item.components:
                if component.name == "framework":
                    component.penalty = w.framework_unavoidable
            item.score = clamp(item.base * penalty_of(item.components))
        return True

    def _mark_off_topic(self, scored: list[Scored], need: Need) -> None:
        """Learning resources only for a need about learning. With a question that entries
        match, an entry that matches none of its terms is cut when its other fits were only
        read from that question; when it fits what the user chose (scenario, data types) it
        stays, below the entries that match the text (``no_text_match``)."""
        wants_learning = "learning" in need.scenarios or "learning" in need.concepts
        text_matched = need.text and any(s.raw_text > 0 for s in scored)
        stated = {
            "scenario": bool(need.scenarios) and not need.scenario_inferred,
            "data-type": bool(need.data_types) and not need.data_types_inferred,
        }  # the framework is a constraint, not a need: supporting it is no relevance
        for item in scored:
            if item.named_as:
                continue
            if item.entry.kind == "learning-resource" and not wants_learning:
                item.off_topic = "learning"
            elif text_matched and item.raw_text <= 0 and not item.replaces:
                if any(
                    stated.get(c.name) and c.value >= 1.0 and not c.neutral
                    for c in item.components
                ):
                    item.score *= self.weights.no_text_match
                else:
                    item.off_topic = "no-text"

    def _inherit(self, scored: list[Scored], by_slug: dict[str, Scored], need: Need) -> None:
        """A ruled-out entry puts its counterpart or successor forward, with a reason.

        The replacement must not be ruled out for the same reason, and must fit positively:
        for a framework conflict it supports the user's framework; for an unmaintained entry
        it is maintained; for a cloud service that the user cannot use, it is open source.
        """
        w = self.weights
        for source in scored:
            why = source.ruled_out
            if not why or source.base <= 0:
                continue
            if need.text and not source.named_as and source.text_value < w.inherit_min_text:
                continue  # the question is not about it: it puts nothing forward
            targets = set(source.entry.counterparts)
            if source.entry.successor:
                targets.add(source.entry.successor)
            need_parts = [c for c in source.components if c.name in NEED_COMPONENTS]
            share = w.inherit if why != "deployment" else w.inherit_alternative
            best: Scored | None = None
            for slug in sorted(targets):
                target = by_slug.get(slug)
                if target is None or target.filtered is not None or target.ruled_out:
                    continue
                if why == "framework" and not any(
                    c.name == "framework" and c.value >= 1.0 for c in target.components
                ):
                    continue
                if why == "deployment" and not target.entry.open_source:
                    continue
                own = [c for c in target.components if c.name not in NEED_COMPONENTS]
                inherited = clamp(share * weighted_mean(need_parts + own) * penalty_of(own))
                if inherited > target.score + w.inherit_margin:
                    target.score = inherited
                    target.replaces = source.slug
                    target.replaced_because = why
                if best is None or target.score > best.score:
                    best = target
            if best is not None:
                source.replaced_by = best.slug
                if best.replaces == source.slug:
                    # "Offered instead of X" is advice only if it comes before X: an
                    # unmaintained TensorFlow EasyTransfer is listed below EasyNLP.
                    source.score = min(source.score, max(0.0, best.score - w.replaced_gap))

    def _explain_text(self, item: Scored, query: str, tokens: list[str]) -> None:
        """Fill in the text component's reason: the terms of the question the entry matched."""
        for component in item.components:
            if component.name == "text":
                terms = self.index.matched_terms(
                    query,
                    item.slug,
                    tokens=tokens,
                    min_idf_share=MIN_IDF_SHARE,
                    merge_nested=True,
                )
                item.matched = tuple(shown_terms(terms))
                component.reason = (
                    messages.text_matched(item.matched, 0.0)
                    if item.matched
                    else messages.text_unmatched()
                )

    def _project_result(self, item: Scored, need: Need) -> ProjectResult:
        total = sum(c.weight for c in item.components)
        penalty = penalty_of(item.components)
        reasons: list[Reason] = []
        if item.named_as:
            reasons.append(
                messages.named(item.entry.name, item.named_as, 0.0, name_zh=item.entry.name_zh)
            )
        if item.replaces:
            source = self.by_slug[item.replaces]
            reasons.append(
                messages.offered_instead(
                    source.name,
                    because=item.replaced_because,
                    successor=source.successor == item.slug,
                    name_zh=source.name_zh,
                )
            )
        for component in item.components:
            if component.reason is None:
                continue
            share = component.value * component.weight / total if total else 0.0
            loss = item.base * (1 - component.penalty) if component.penalty < 1 else 0.0
            reason = component.reason
            if component.name == "framework" and item.framework_conflict and item.replaced_by:
                supported = sorted(item.entry.frameworks & rules.ML_FRAMEWORKS)
                replacement = self.by_slug[item.replaced_by]
                reason = messages.framework_conflict(
                    need.framework,
                    supported,
                    0.0,
                    replacement=replacement.name,
                    replacement_zh=replacement.name_zh,
                )
            reasons.append(
                Reason(
                    code=reason.code,
                    message_zh=reason.message_zh,
                    message_en=reason.message_en,
                    contribution=round(share * penalty - loss, 4),
                    passed=reason.passed,
                )
            )
        return ProjectResult(
            slug=item.slug,
            name=item.entry.name,
            score=round(clamp(item.score), 4),
            reasons=tuple(reasons),
            matched_terms=item.matched,
            name_zh=item.entry.name_zh,
            kind=item.entry.kind,
            replaces=item.replaces,
        )

    def _confidence(
        self, need: Need, kept: list[Scored], query: str, *, field: list[Scored]
    ) -> tuple[float, FollowUp | None]:
        """How sure the advice is, in [0, 1], and the question that would help most.

        The best score, times how clearly the need is stated (a chosen scenario or a named
        project say most; a scenario read from the text, data types, or a question whose words
        the best entry covers say less), lowered when the top five are nearly as good as the
        first (a flat ranking means the answers do not tell entries apart).
        """
        w = self.weights
        top = kept[0].score if kept else 0.0
        clarity = 0.0
        if need.text and kept:
            clarity = w.clarity_text * self.index.coverage(query, kept[0].slug)
            if any(s.named_as for s in kept[:3]):
                clarity = 1.0
        if need.scenarios:
            clarity = max(clarity, w.clarity_inferred if need.scenario_inferred else 1.0)
        if need.data_types:
            clarity = max(clarity, w.clarity_data_types)
        flatness = field[4].score / top if len(field) >= 5 and top > 0 else 0.0
        confidence = clamp(top * (0.3 + 0.7 * clarity) * (1 - w.flatness * flatness))
        split = not need.framework and self._framework_split(kept)
        if split:
            confidence *= 0.85
        low = confidence < w.confidence_threshold
        follow: FollowUp | None = None
        if low:
            follow = messages.follow_up(self._follow_up_field(need, split))
        elif split:
            follow = messages.follow_up("framework")
        return confidence, follow

    @staticmethod
    def _framework_split(kept: list[Scored]) -> bool:
        if not kept:
            return False
        top = kept[0].score
        seen: set[str] = set()
        for item in kept[:FOLLOW_UP_TOP]:
            if item.score < 0.5 * top:
                break
            ml = item.entry.frameworks & rules.ML_FRAMEWORKS
            if len(ml) == 1 and "any" not in item.entry.frameworks:
                seen |= ml
        return len(seen) > 1

    @staticmethod
    def _follow_up_field(need: Need, split: bool) -> str:
        if not need.scenarios:
            return "scenario"
        if split:
            return "framework"
        if not need.text:
            return "q"
        if not need.data_types:
            return "data_type"
        if not need.scale:
            return "scale"
        if need.deployment == "any":
            return "deployment"
        return "q"


def shown_terms(terms: Sequence[str]) -> list[str]:
    """Matched terms worth showing: a single Chinese character ("字", "到", "端") is a piece of
    a word, not a reason, so it is left out, unless nothing else matched (then the reason
    stays honest about how thin the match is)."""
    kept = [t for t in terms if not (len(t) == 1 and _CJK_CHAR.match(t))]
    return kept or list(terms)


_CJK_CHAR = re.compile(r"[\u3400-\u9fff]")


def stacks_document(stack: StackDoc, entries: dict[str, EntryDoc]) -> str:
    parts = [stack.name_zh, stack.name_en, stack.description_zh, stack.description_en]
    for member in stack.members:
        entry = entries.get(member.slug)
        parts.append(f"{member.role_zh} {member.role_en}")
        if entry is not None:
            parts.append(f"{entry.name} {entry.name_zh}")
    return "\n".join(p for p in parts if p)
