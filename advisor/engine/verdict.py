"""Whether the catalog answers the need at all: the advice's verdict (pure, no Django).

- ``fit``: confident advice;
- ``unsure``: advice, with the one follow-up question that would help most;
- ``no-fit``: nothing in the catalog meets the need; the closest entries are shown as "nearest",
  never as advice.

A question is judged out of the catalog's reach only from what it says in free text: structured
answers (a scenario, a framework, data types, a scale) and a scenario read from the question are
the catalog's own vocabulary, and a question that names an entry is about that entry. The
thresholds live in ``weights.Weights``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .weights import Weights


class Verdict(StrEnum):
    FIT = "fit"
    UNSURE = "unsure"
    NO_FIT = "no-fit"


@dataclass(frozen=True)
class VerdictSignals:
    """What the verdict is decided from, all measured by the engine for one question."""

    confidence: float  # the advice's confidence, in [0, 1]
    # The best absolute TF-IDF cosine of the question with any entry (not scaled to the best
    # match, unlike the text component): how much of the question the catalog speaks about.
    text_relevance: float = 0.0
    coverage: float = 0.0  # share of the question's words the best-ranked entry has
    # Words of the question that no entry has: a vague question ("a good tool") uses the
    # catalog's own words and is unsure; one about something else names what the catalog lacks.
    unknown_words: int = 0
    has_text: bool = False
    named: bool = False  # the question names a catalog entry
    # A structured answer (scenario, framework, data types, scale) or a scenario read from the
    # question: the catalog's own vocabulary.
    stated: bool = False
    has_results: bool = True


def decide(*, signals: VerdictSignals, weights: Weights) -> Verdict:
    """The verdict for one question; see the module docstring."""
    unsure = signals.confidence < weights.confidence_threshold
    free_text_only = signals.has_text and not (signals.named or signals.stated)
    if free_text_only and (
        not signals.has_results
        or (
            signals.confidence < weights.no_fit_confidence
            and signals.unknown_words >= weights.no_fit_unknown_words
            and signals.text_relevance < weights.no_fit_relevance
            and signals.coverage < weights.no_fit_coverage
        )
    ):
        return Verdict.NO_FIT
    if unsure or not signals.has_results:
        return Verdict.UNSURE
    return Verdict.FIT
