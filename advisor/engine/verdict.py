"""Whether the catalog answers the need at all: the advice's verdict (pure, no Django).

- ``fit``: confident advice;
- ``unsure``: advice, with the one follow-up question that would help most;
- ``no-fit``: nothing in the catalog meets the need; the closest entries are shown as "nearest",
  never as advice.

The verdict is a learned model (``model.RankingModel.verdict``): the chance that the question
is answerable, from what the engine measured for it (``VERDICT_FEATURES``, the scope word
model's chance among them); the two cut points are chosen on the labelled cases by
``training.py``. A vague question (``VerdictSignals.vague``) is never a confident fit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from .model import RankingModel, sigmoid


class Verdict(StrEnum):
    FIT = "fit"
    UNSURE = "unsure"
    NO_FIT = "no-fit"


@dataclass(frozen=True)
class VerdictSignals:
    """What the verdict is decided from, all measured by the engine for one question."""

    top_probability: float = 0.0  # the best entry's calibrated score
    margin: float = 0.0  # ... minus the second's
    # The best absolute TF-IDF cosine of the question with any entry (not scaled to the best
    # match): how much of the question the catalog speaks about.
    text_relevance: float = 0.0
    bm25: float = 0.0  # the best raw BM25 score
    coverage: float = 0.0  # share of the question's words the best-ranked entry has
    # Share of the question's words that no entry has: a vague question ("a good tool") uses
    # the catalog's own words; one about something else names what the catalog lacks.
    unknown_share: float = 0.0
    concepts: float = 0.0  # share of the question's concepts the best entry has
    # The same shares weighted by IDF (a rare word says more about the need than a common one):
    # of the best entry, and of the whole catalog.
    weighted_coverage: float = 0.0
    catalog_coverage: float = 0.0
    has_text: bool = False
    named: bool = False  # the question names a catalog entry
    # A structured answer (scenario, framework, data types, scale): the catalog's vocabulary.
    stated: bool = False
    scenario_inferred: bool = False  # a scenario was read from the question
    # The word model's chance that a question worded like this is one the catalog answers.
    scope: float = 0.5
    has_results: bool = True
    # Words of the question the catalog has (concept tokens aside), and whether it mentions a
    # concept of the synonym data: "a fast tool" says too little to advise on with confidence.
    known_words: int = 0
    mentions_concept: bool = False

    @property
    def vague(self) -> bool:
        """Too little to go on: free text only, no concept of the domain, no named entry, and
        fewer than ``MIN_KNOWN_WORDS`` words the catalog knows."""
        return (
            self.has_text
            and not (self.stated or self.named or self.mentions_concept)
            and self.known_words < MIN_KNOWN_WORDS
        )


MIN_KNOWN_WORDS = 3

VERDICT_FEATURES: tuple[str, ...] = (
    "top_probability",
    "margin",
    "text_relevance",
    "bm25",
    "coverage",
    "unknown_share",
    "concepts",
    "weighted_coverage",
    "catalog_coverage",
    "has_text",
    "named",
    "stated",
    "scenario_inferred",
    "scope",
)


def verdict_features(signals: VerdictSignals) -> np.ndarray:
    values = {
        "top_probability": signals.top_probability,
        "margin": signals.margin,
        "text_relevance": min(1.0, signals.text_relevance),
        "bm25": math.log1p(max(0.0, signals.bm25)) / 3.0,
        "coverage": signals.coverage,
        "unknown_share": signals.unknown_share,
        "concepts": signals.concepts,
        "weighted_coverage": signals.weighted_coverage,
        "catalog_coverage": signals.catalog_coverage,
        "has_text": float(signals.has_text),
        "named": float(signals.named),
        "stated": float(signals.stated),
        "scenario_inferred": float(signals.scenario_inferred),
        "scope": signals.scope,
    }
    return np.asarray([values[name] for name in VERDICT_FEATURES], dtype=float)


def answerable(*, signals: VerdictSignals, model: RankingModel) -> float:
    """The chance that the catalog answers the question, in [0, 1]."""
    if not signals.has_results:
        return 0.0
    row = verdict_features(signals)
    return sigmoid(float(model.verdict.score(row[None, :])[0]))


def decide(*, signals: VerdictSignals, model: RankingModel) -> tuple[Verdict, float]:
    """The verdict for one question and its answerable chance (the advice's confidence)."""
    chance = answerable(signals=signals, model=model)
    if not signals.has_results:
        # Nothing matched a free-text question: out of reach. With structured answers, the
        # catalog's own vocabulary, the answers are too narrow: unsure, asking for more.
        out_of_reach = signals.has_text and not (signals.stated or signals.named)
        return (Verdict.NO_FIT if out_of_reach else Verdict.UNSURE), chance
    if signals.vague:
        # A few words, none of the domain: out of reach when some of them are words no entry
        # has ("a password manager"), else too little to be sure ("a fast tool": ask).
        if signals.unknown_share > 0:
            return Verdict.NO_FIT, min(chance, model.no_fit_below)
        return Verdict.UNSURE, min(chance, model.unsure_below)
    # Structured answers and a named entry are the catalog's own vocabulary: at worst unsure.
    if chance < model.no_fit_below and signals.has_text and not (signals.stated or signals.named):
        return Verdict.NO_FIT, chance
    if chance < model.unsure_below:
        return Verdict.UNSURE, chance
    return Verdict.FIT, chance
