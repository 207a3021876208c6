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

import numpy as np
from scipy import sparse

from textindex.bm25 import BM25
from textindex.corpus import CorpusVectorizer, CountIndexBuilder
from textindex.index import TextIndex, query_weights
from textindex.lexicon import ANSWER_WORDS, GENERIC_NAMES
from textindex.store import DocumentStore, shared_memory_store
from textindex.tokenizer import CONCEPT_PREFIX, surface_forms

from . import messages, rules, stacks
from . import query as understanding
from .features import FEATURE_GROUPS, FEATURES, STAGE_ONE, QuerySignals, pair_features, scaled
from .model import RankingModel, default_model
from .rules import Component, Need
from .types import Advice, Answers, EntryDoc, FollowUp, ProjectResult, Reason, StackDoc
from .verdict import Verdict, VerdictSignals, decide
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
# Beyond this many entries the engine ranks a retrieved subset (``Engine._candidates``;
# bench/candidates.py measures what a smaller subset changes).
CANDIDATES = 200
GIVE_WAY_GAP = 0.01  # log-odds below the entry offered instead
NEAREST = 3  # entries shown as "nearest" when nothing fits
# The character n-grams of the entries' names and summaries, kept across catalog versions.
_CHAR_INDEXES = CountIndexBuilder()


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
    inherited: float = 0.0  # the fit it would inherit from the entry it replaces
    gives_way: bool = False  # ruled out, and an entry is offered instead of it
    learned: float = 0.0  # the ranker's score (the order); ``score`` is its calibration
    features: dict[str, float] | None = None

    @property
    def evidence(self) -> bool:
        """Something in the answers points at the entry (it may still be off-topic)."""
        return bool(self.named_as or self.replaces) or any(
            c.name in RELEVANCE_COMPONENTS and c.value > 0 and not c.neutral
            for c in self.components
        )

    @property
    def slug(self) -> str:
        return self.entry.slug

    @property
    def text_value(self) -> float:
        return next((c.value for c in self.components if c.name == "text"), 0.0)

    @property
    def relevant(self) -> bool:
        return not self.off_topic and self.evidence

    @property
    def listed(self) -> bool:
        """Worth listing: not removed by a hard filter, and relevant."""
        return self.filtered is None and self.relevant

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


@dataclass
class Analysis:
    """One question on its way through the engine: the rule stage, the features, the scores."""

    answers: Answers
    need: Need
    query: str
    tokens: list[str]
    scored: list[Scored]
    by_slug: dict[str, Scored]
    notes: list[Reason]
    rows: np.ndarray  # one row of ``FEATURES`` per entry of ``scored``
    signals: QuerySignals
    stacks: tuple = ()
    model: RankingModel | None = None
    compared: tuple[str, ...] = ()  # the entries a comparison question weighs


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
        store: DocumentStore | None = None,
        model: RankingModel | None = None,
        ranking: str = "learned",
    ) -> None:
        """``labels``: slug -> (Chinese, English) names of the catalog's vocabulary terms, as
        reasons say them (``catalog_source.load_labels``). ``store``: where the entries' texts
        are tokenised (the catalog's store of this version, so the advisor and the search
        share tokens); a process-wide in-memory one when not given."""
        self.labels: messages.Labels = dict(labels or {})
        self.use_rules = use_rules
        # "learned": the model's ranker; "text" / "bm25": the plain baselines, ranked by the
        # raw TF-IDF cosine or the BM25 score alone.
        self.ranking_mode = ranking
        self.use_synonyms = use_synonyms
        self.weights = weights
        self.entries: tuple[EntryDoc, ...] = tuple(sorted(entries, key=lambda e: e.slug))
        self.by_slug: dict[str, EntryDoc] = {e.slug: e for e in self.entries}
        self.stacks: tuple[StackDoc, ...] = tuple(sorted(stacks, key=lambda s: s.slug))
        self.stack_by_slug: dict[str, StackDoc] = {s.slug: s for s in self.stacks}
        self.stack_members = frozenset(
            m.slug for s in self.stacks for m in s.members if m.slug in self.by_slug
        )
        self.aliases = self._aliases() if use_synonyms else {}
        self.alias_index = rules.AliasIndex(self.aliases)
        # What each entry's name says it is for: read once per catalog version.
        self.purposes = {e.slug: rules.purpose_concepts(e) for e in self.entries}
        texts = store if store is not None else shared_memory_store()
        keys = [e.slug for e in self.entries]
        # Each index from its documents' counts (``DocumentStore.corpus``): the tokens of a
        # text are counted once per process, not once per index and version.
        documents = [self._document_parts(e) for e in self.entries]
        entry_corpus = texts.corpus(documents, synonyms=use_synonyms)
        # The catalog search's index when these are its documents (one index, not two).
        self.index = texts.index_for(keys, documents, corpus=entry_corpus, synonyms=use_synonyms)
        # The learned ranker's further text signals, built once per catalog version.
        self.model = model if model is not None else default_model()
        self.position = {slug: i for i, slug in enumerate(keys)}
        self.names_index = TextIndex.from_corpus(
            keys,
            texts.corpus([self.name_parts(e) for e in self.entries], synonyms=use_synonyms),
            synonyms=use_synonyms,
        )
        self.summary_index = TextIndex.from_corpus(
            keys,
            texts.corpus(
                [(e.summary_zh, e.summary_en) for e in self.entries], synonyms=use_synonyms
            ),
            synonyms=use_synonyms,
        )
        self.bm25 = BM25(entry_corpus)
        self.bm25_vocabulary = frozenset(self.bm25.vocabulary)
        self.chars = CorpusVectorizer(analyzer="char_wb", ngram_range=(3, 4), sublinear_tf=True)
        self._char_analyzer = self.chars.build_analyzer()
        char_texts = [
            " ".join([*self.name_parts(e), e.summary_en]).lower() for e in self.entries
        ]
        # By columns, as counts: a query weighs its n-grams' columns only.
        self.char_index = _CHAR_INDEXES.build(char_texts, self.chars) if self.entries else None
        # Entries by scenario and by data type (positions in ``entries``): for ``_candidates``.
        self.facet_positions: dict[str, dict[str, tuple[int, ...]]] = {}
        for facet in ("scenarios", "data_types"):
            positions: dict[str, list[int]] = {}
            for i, entry in enumerate(self.entries):
                for value in getattr(entry, facet):
                    positions.setdefault(value, []).append(i)
            self.facet_positions[facet] = {k: tuple(v) for k, v in positions.items()}
        # Query understanding (typos, frameworks left, roles of named entries): a rule, so
        # the plain baselines go without it.
        self.query_context = (
            understanding.prepare(
                aliases=self.aliases,
                vocabulary=surface_forms(self.index.vocabulary),
                entry_frameworks={e.slug: e.frameworks for e in self.entries},
            )
            if use_rules and use_synonyms
            else None
        )
        # Entries by the concept tokens their text mentions (one column per concept).
        self.concept_columns: dict[str, int] = {}
        rows, columns = [], []
        for row, concepts in enumerate(entry_corpus.concepts):
            for concept in concepts:
                rows.append(row)
                columns.append(self.concept_columns.setdefault(concept, len(self.concept_columns)))
        self.entry_concepts = sparse.csc_matrix(
            (np.ones(len(rows), dtype=np.float32), (rows, columns)),
            shape=(len(self.entries), len(self.concept_columns)),
        )
        self.stack_index = TextIndex.from_corpus(
            [s.slug for s in self.stacks],
            texts.corpus(
                [stack_document_parts(s, self.by_slug) for s in self.stacks],
                synonyms=use_synonyms,
            ),
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
    def name_parts(entry: EntryDoc) -> list[str]:
        names = [entry.name, entry.name_zh, entry.slug.replace("-", " "), *entry.aliases]
        return [n for n in names if n]

    @staticmethod
    def _document_parts(entry: EntryDoc) -> list[str]:
        """The entry's searchable text as parts (lines): each is tokenised once and cached.
        (Aliases are matched separately: naming an entry scores it as a perfect text match.)"""
        return [p for p in entry.searchable_parts if p]

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
        state = self.analyse(answers)
        self.rank(state, stack_limit=stack_limit)
        return self.finish(state, limit=limit)

    def analyse(self, answers: Answers) -> Analysis:
        """The rule stage and the features of every entry for these answers (no model yet)."""
        # Reading scenarios, frameworks and data types out of the text uses the synonym map:
        # without the map (an ablation) the rules see the structured answers only.
        facts = (
            understanding.read(answers.text, context=self.query_context)
            if self.query_context is not None and answers.text.strip()
            else None
        )
        if facts is not None and facts.text != answers.text:
            answers = replace(answers, text=facts.text)  # typos corrected
        need = rules.infer_need(answers, infer=self.use_rules and self.use_synonyms)
        if facts is not None:
            need = understood_need(need, facts, answers)
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
        if facts is not None and facts.corrections:
            notes.insert(0, messages.note_corrected(facts.corrections))
        tokens = self.index.query_tokens(query) if query else []
        signals = self._signals(query, tokens, need, scored, facts)
        wants_learning = "learning" in need.scenarios or "learning" in need.concepts
        stated_scenario = bool(need.scenarios) and not need.scenario_inferred
        rows = np.zeros((len(scored), len(FEATURES)))
        for position, item in enumerate(scored):
            item.features = pair_features(
                item,
                position=self.position[item.slug],
                slug=item.slug,
                kind=item.entry.kind,
                signals=signals,
                wants_learning=wants_learning,
                stated_scenario=stated_scenario,
                unavoidable_penalty=self.weights.framework_unavoidable,
            )
            rows[position] = list(item.features.values())  # in FEATURES order
        return Analysis(
            answers=answers,
            need=need,
            query=query,
            tokens=tokens,
            scored=scored,
            by_slug=by_slug,
            notes=notes,
            rows=rows,
            signals=signals,
            compared=tuple(facts.compared) if facts is not None and facts.comparison else (),
        )

    def _char_similarity(self, query: str) -> np.ndarray:
        """Cosine of the query's character n-grams with each entry's (what
        ``linear_kernel(self.chars.transform([query.lower()]), <the fitted matrix>)`` gives,
        without scikit-learn's per-call checks)."""
        columns, weights = query_weights(self.chars, self._char_analyzer(query.lower()))
        if not len(columns):
            return np.zeros(len(self.entries))
        return self.char_index.scores(columns, weights)

    def _signals(
        self,
        query: str,
        tokens: list[str],
        need: Need,
        scored: list[Scored],
        facts: understanding.QueryFacts | None = None,
    ) -> QuerySignals:
        n = len(self.entries)
        context: set[str] = set()
        counterparts: set[str] = set()
        avoided: set[str] = set()
        if facts is not None:
            for slug, role in facts.named.items():
                if role in (understanding.CONTEXT, understanding.COUNTERPART):
                    context.add(slug)
                entry = self.by_slug.get(slug)
                if role == understanding.COUNTERPART and entry is not None:
                    counterparts |= set(entry.counterparts)
                    if entry.successor:
                        counterparts.add(entry.successor)
            if facts.frameworks_avoided:
                for entry in self.entries:
                    ml = entry.frameworks & rules.ML_FRAMEWORKS
                    if ml and "any" not in entry.frameworks and ml <= facts.frameworks_avoided:
                        avoided.add(entry.slug)
        if not query or not n:
            empty = np.zeros(n)
            return QuerySignals(
                empty, empty, empty, empty, empty,
                named_context=frozenset(context),
                counterpart_wanted=frozenset(counterparts - context),
                avoided_only=frozenset(avoided),
            )
        known = [t for t in tokens if t in self.bm25_vocabulary]
        bm25 = (
            np.asarray(self.bm25.get_scores(known), dtype=float) if known else np.zeros(n)
        )
        chars = self._char_similarity(query) if self.char_index is not None else np.zeros(n)
        wanted = {t for t in tokens if t.startswith(CONCEPT_PREFIX)}
        concepts = np.zeros(n)  # the share of the question's concepts each entry mentions
        columns = [self.concept_columns[t] for t in wanted if t in self.concept_columns]
        if columns:
            mentioned = np.asarray(self.entry_concepts[:, columns].sum(axis=1)).ravel()
            concepts = mentioned.astype(np.float64) / len(wanted)
        return QuerySignals(
            bm25=scaled(bm25),
            chars=scaled(chars),
            names=self.names_index.score_array(query, tokens=tokens),
            summary=self.summary_index.score_array(query, tokens=tokens),
            concepts=concepts,
            named_context=frozenset(context),
            counterpart_wanted=frozenset(counterparts - context),
            avoided_only=frozenset(avoided),
            bm25_top=float(bm25.max()) if n else 0.0,
            text_matched=bool(need.text) and any(s.raw_text > 0 for s in scored),
        )

    def rank(
        self, state: Analysis, *, stack_limit: int = 3, model: RankingModel | None = None
    ) -> None:
        """Score the analysed entries with the model: stage one, the stacks, the final ranker."""
        model = model or self.model
        scored, rows = state.scored, state.rows
        one = [FEATURES.index(f) for f in STAGE_ONE]
        first = model.stage_one.score(rows[:, one]) if len(scored) else np.zeros(0)
        for item, value in zip(scored, model.probabilities(first, stage_one=True), strict=True):
            item.score = float(value)
        state.stacks = stacks.score_stacks(
            self.stacks,
            by_slug=state.by_slug,
            entries=self.by_slug,
            need=state.need,
            query=state.query,
            index=self.stack_index,
            weights=self.weights,
            use_rules=self.use_rules,
            limit=max(stack_limit, 1),
        )
        core = FEATURES.index("stack_core")
        rows[:, core] = 0.0
        for item in scored:
            if item.features is not None:
                item.features["stack_core"] = 0.0
        # A question that names what it asks about ("Flink or Spark?") is answered about that,
        # not with the best stack's core.
        asks_about_named = any(
            item.named_as and item.slug not in state.signals.named_context for item in scored
        )
        if state.stacks and not asks_about_named:
            top = state.stacks[0]
            cores = {m.slug for m in self.stack_by_slug[top.slug].members if m.core}
            for position, item in enumerate(scored):
                if item.slug in cores:
                    rows[position, core] = top.score
                    if item.features is not None:
                        item.features["stack_core"] = top.score
        final = model.ranker.score(rows) if len(scored) else np.zeros(0)
        if self.ranking_mode != "learned":
            final = rows[:, FEATURES.index("text_raw" if self.ranking_mode == "text" else "bm25")]
        else:
            final = self._give_way(scored, final, state.by_slug)
            final = self._options_first(scored, final, state.compared)
        for item, value, chance in zip(scored, final, model.probabilities(final), strict=True):
            item.learned = float(value)
            item.score = float(chance)
        state.model = model
        state.stacks = state.stacks[: max(0, stack_limit)]

    @staticmethod
    def _give_way(
        scored: list[Scored], final: np.ndarray, by_slug: dict[str, Scored]
    ) -> np.ndarray:
        """"Offered instead" is advice only when it comes first: an entry that is ruled out
        (unmaintained, a framework conflict, a deployment the user cannot use) ranks just
        below the entry offered instead of it."""
        final = final.copy()
        position = {item.slug: i for i, item in enumerate(scored)}
        for i, item in enumerate(scored):
            if item.gives_way and item.replaced_by in position:
                j = position[item.replaced_by]
                if final[i] >= final[j]:
                    final[i] = final[j] - GIVE_WAY_GAP
        return final

    @staticmethod
    def _options_first(
        scored: list[Scored], final: np.ndarray, compared: tuple[str, ...]
    ) -> np.ndarray:
        """A comparison ("A or B?", "A和B选哪个") is answered with its options first, in the
        order of their fit; an option outside the catalog simply is not among them."""
        if not compared:
            return final
        options = [i for i, item in enumerate(scored) if item.slug in compared]
        chosen = set(options)
        others = [i for i in range(len(scored)) if i not in chosen]
        if not options or not others:
            return final
        lowest, highest_other = final[options].min(), final[others].max()
        if lowest > highest_other:
            return final
        final = final.copy()
        final[options] += highest_other - lowest + GIVE_WAY_GAP
        return final

    def finish(self, state: Analysis, *, limit: int = 10) -> Advice:
        need, query, tokens = state.need, state.query, state.tokens
        model = state.model or self.model
        kept = self.ranking(state)
        for item in kept[: max(0, limit)]:
            self._explain_text(item, query, tokens)
        results = tuple(
            self._project_result(s, need, model=model) for s in kept[: max(0, limit)]
        )
        signals = self.verdict_signals(state, kept)
        verdict, confidence = decide(signals=signals, model=model)
        follow_up: FollowUp | None = None
        if verdict is Verdict.UNSURE:
            split = not need.framework and self._framework_split(kept)
            follow_up = messages.follow_up(self._follow_up_field(need, split))
        nearest: tuple[ProjectResult, ...] = ()
        stack_results = state.stacks
        listed = [r.slug for r in results]
        compared = tuple(s for s in listed if s in state.compared)
        if verdict is Verdict.NO_FIT:
            nearest, results, stack_results = results[:NEAREST], (), ()
            compared = ()
        return Advice(
            answers=state.answers,
            confidence=round(confidence, 4),
            projects=results,
            stacks=stack_results,
            low_confidence=verdict is not Verdict.FIT,
            follow_up=follow_up,
            notes=tuple(state.notes),
            verdict=verdict.value,
            nearest=nearest,
            compared=compared if len(compared) >= 2 else (),
        )

    @staticmethod
    def ranking(state: Analysis) -> list[Scored]:
        """The entries worth listing, best first: not filtered out, relevant (with evidence,
        and not a course for a practical need or an entry sharing no term with the question)."""
        kept = [s for s in state.scored if s.listed]
        kept.sort(key=lambda s: (-round(s.learned, 9), s.slug))
        return kept

    def verdict_signals(self, state: Analysis, kept: list[Scored]) -> VerdictSignals:
        answers, need, query, tokens = state.answers, state.need, state.query, state.tokens
        top = kept[0] if kept else None
        second = kept[1].score if len(kept) > 1 else 0.0
        words = {t for t in tokens if not t.startswith(CONCEPT_PREFIX)}
        unknown = self.index.unknown_words(query, tokens=tokens)
        return VerdictSignals(
            top_probability=top.score if top else 0.0,
            margin=(top.score - second) if top else 0.0,
            text_relevance=max((s.raw_text for s in state.scored), default=0.0),
            bm25=state.signals.bm25_top,
            coverage=self.index.coverage(query, top.slug, tokens=tokens) if top else 0.0,
            unknown_share=unknown / len(words) if words else 0.0,
            concepts=float(top.features.get("concepts", 0.0)) if top and top.features else 0.0,
            weighted_coverage=(
                self.index.weighted_coverage(query, top.slug, tokens=tokens) if top else 0.0
            ),
            catalog_coverage=self.index.weighted_coverage(query, tokens=tokens) if query else 0.0,
            has_text=bool(need.text),
            named=any(s.named_as for s in state.scored),
            stated=bool(
                answers.scenario or answers.framework or answers.data_types or answers.scale
            ),
            scenario_inferred=need.scenario_inferred,
            scope=(state.model or self.model).scope.chance(tokens),
            has_results=bool(kept),
            known_words=len(words) - unknown,
            mentions_concept=any(t.startswith(CONCEPT_PREFIX) for t in tokens),
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

    def _candidates(
        self, need: Need, values: np.ndarray, mentions: dict[str, str]
    ) -> list[EntryDoc]:
        """The entries the rules and the ranker look at: all of a catalog up to
        ``CANDIDATES``; beyond, the best text matches, the named entries, those made for a
        stated scenario or data type (best text first), their counterparts and successors,
        and the stacks' members (retrieve, then rank)."""
        if len(self.entries) <= CANDIDATES:
            return list(self.entries)
        order = np.argsort(-values, kind="stable")[:CANDIDATES]
        chosen = {self.entries[i].slug for i in order if values[i] > 0}
        chosen |= set(mentions)
        for facet, wanted in (("scenarios", need.scenarios), ("data_types", need.data_types)):
            by_value = self.facet_positions[facet]
            fitting = sorted({i for value in wanted for i in by_value.get(value, ())})
            fitting.sort(key=lambda i: -values[i])
            chosen |= {self.entries[i].slug for i in fitting[:CANDIDATES]}
        for slug in list(chosen):
            entry = self.by_slug[slug]
            chosen |= set(entry.counterparts) | ({entry.successor} if entry.successor else set())
        chosen |= self.stack_members
        return [e for e in self.entries if e.slug in chosen]

    def _score_entries(self, need: Need, query: str) -> list[Scored]:
        w = self.weights
        values = self.index.score_array(query) if query else np.zeros(len(self.entries))
        best_raw = float(values.max()) if len(values) else 0.0
        scale = max(best_raw, w.text_floor)
        mentions = self.alias_index.find(query) if query else {}
        scored: list[Scored] = []
        for entry in self._candidates(need, values, mentions):
            components: list[Component] = []
            item = Scored(entry=entry, components=components)
            if query:
                item.raw_text = float(values[self.position[entry.slug]])
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
                    purposes=self.purposes[entry.slug],
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
                    target.inherited = inherited
                    target.replaces = source.slug
                    target.replaced_because = why
                if best is None or target.score > best.score:
                    best = target
            if best is not None:
                source.replaced_by = best.slug
                if best.replaces == source.slug:
                    source.gives_way = True  # and ranks below it (``_give_way``)

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

    def _project_result(
        self, item: Scored, need: Need, *, model: RankingModel
    ) -> ProjectResult:
        """The listed entry with its reasons; each reason's contribution is what its features
        added to the ranker's score (log-odds), so the reasons add up to the score."""
        contributions: dict[str, float] = {}
        for name, value in model.ranker.contributions(item.features or {}).items():
            group = FEATURE_GROUPS.get(name, "")
            contributions[group] = contributions.get(group, 0.0) + value

        def with_contribution(reason: Reason, group: str) -> Reason:
            return Reason(
                code=reason.code,
                message_zh=reason.message_zh,
                message_en=reason.message_en,
                contribution=round(contributions.get(group, 0.0), 4),
                passed=reason.passed,
            )

        reasons: list[Reason] = []
        if item.named_as:
            reasons.append(
                with_contribution(
                    messages.named(
                        item.entry.name, item.named_as, 0.0, name_zh=item.entry.name_zh
                    ),
                    "named",
                )
            )
        if item.replaces:
            source = self.by_slug[item.replaces]
            reasons.append(
                with_contribution(
                    messages.offered_instead(
                        source.name,
                        because=item.replaced_because,
                        successor=source.successor == item.slug,
                        name_zh=source.name_zh,
                    ),
                    "offered",
                )
            )
        for component in item.components:
            if component.reason is None:
                continue
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
            reasons.append(with_contribution(reason, component.name))
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

    @staticmethod
    def _framework_split(kept: list[Scored]) -> bool:
        """The first answers run on different ML frameworks: asking which one helps most."""
        seen: set[str] = set()
        for item in kept[:FOLLOW_UP_TOP]:
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


def understood_need(need: Need, facts: understanding.QueryFacts, answers: Answers) -> Need:
    """What query understanding adds to the need read from the answers: the framework the user
    moves to (not the one left), and the deployment and scale the question states. A
    deployment not answered is the question's, read with its negations ("而不是本地部署" is
    managed), not the deployment words' alone."""
    changes: dict[str, object] = {}
    if not answers.framework:
        wanted = facts.frameworks_wanted & rules.ML_FRAMEWORKS
        if need.framework in facts.frameworks_avoided:
            changes.update(framework="", framework_inferred=False)
        if len(wanted) == 1 and not (need.framework and not need.framework_inferred):
            changes.update(framework=next(iter(wanted)), framework_inferred=True)
    if need.deployment == "any" or need.deployment_inferred:
        if facts.deployment:
            changes.update(deployment=facts.deployment, deployment_inferred=True)
        elif need.deployment_inferred:  # the question's words disagree, or are negated away
            changes.update(deployment="any", deployment_inferred=False)
    if not need.scale and facts.scale:
        changes.update(scale=facts.scale, scale_inferred=True)
    return replace(need, **changes) if changes else need


def shown_terms(terms: Sequence[str]) -> list[str]:
    """Matched terms worth showing: a single Chinese character ("字", "到", "端") is a piece of
    a word, not a reason, so it is left out, unless nothing else matched (then the reason
    stays honest about how thin the match is)."""
    kept = [t for t in terms if not (len(t) == 1 and _CJK_CHAR.match(t))]
    return kept or list(terms)


_CJK_CHAR = re.compile(r"[\u3400-\u9fff]")


def stack_document_parts(stack: StackDoc, entries: dict[str, EntryDoc]) -> list[str]:
    parts = [stack.name_zh, stack.name_en, stack.description_zh, stack.description_en]
    for member in stack.members:
        entry = entries.get(member.slug)
        parts.append(f"{member.role_zh} {member.role_en}")
        if entry is not None:
            parts.append(f"{entry.name} {entry.name_zh}")
    return [p for p in parts if p]
