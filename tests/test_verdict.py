"""The verdict as a pure function of the engine's signals (advisor/engine/verdict.py)."""

from __future__ import annotations

import pytest

from advisor.engine.types import Advice, Answers
from advisor.engine.verdict import Verdict, VerdictSignals, decide
from advisor.engine.weights import DEFAULT_WEIGHTS as W

# A question the catalog does not speak about: low confidence, weak match, unknown words.
OFF = dict(
    confidence=W.no_fit_confidence - 0.01,
    text_relevance=W.no_fit_relevance - 0.05,
    coverage=W.no_fit_coverage - 0.1,
    unknown_words=W.no_fit_unknown_words,
    has_text=True,
)


def test_a_question_the_catalog_does_not_speak_about_is_no_fit():
    assert decide(signals=VerdictSignals(**OFF), weights=W) is Verdict.NO_FIT


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"confidence": W.confidence_threshold}, Verdict.FIT),
        ({"confidence": W.no_fit_confidence}, Verdict.UNSURE),
        ({"text_relevance": W.no_fit_relevance}, Verdict.UNSURE),
        ({"coverage": W.no_fit_coverage}, Verdict.UNSURE),
        ({"unknown_words": W.no_fit_unknown_words - 1}, Verdict.UNSURE),
        ({"named": True}, Verdict.UNSURE),  # naming an entry: the question is about it
        ({"stated": True}, Verdict.UNSURE),  # structured answers are the catalog's vocabulary
        ({"has_text": False}, Verdict.UNSURE),
    ],
)
def test_each_signal_can_keep_the_advice(change, expected):
    assert decide(signals=VerdictSignals(**{**OFF, **change}), weights=W) is expected


def test_no_result_for_a_free_text_question_is_no_fit_and_for_facets_unsure():
    signals = VerdictSignals(confidence=0.0, has_text=True, has_results=False)
    assert decide(signals=signals, weights=W) is Verdict.NO_FIT
    stated = VerdictSignals(confidence=0.0, has_text=True, stated=True, has_results=False)
    assert decide(signals=stated, weights=W) is Verdict.UNSURE


def test_confidence_alone_tells_fit_from_unsure():
    assert decide(signals=VerdictSignals(confidence=W.confidence_threshold), weights=W) is (
        Verdict.FIT
    )
    below = VerdictSignals(confidence=W.confidence_threshold - 0.01)
    assert decide(signals=below, weights=W) is Verdict.UNSURE


def test_advice_without_a_verdict_derives_it_from_low_confidence():
    assert Advice(answers=Answers(text="x"), confidence=0.2, low_confidence=True).verdict == (
        "unsure"
    )
    assert Advice(answers=Answers(text="x"), confidence=0.9).verdict == "fit"
