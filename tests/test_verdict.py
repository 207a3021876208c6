"""The verdict as a pure function of the engine's signals and the model (advisor/engine/verdict.py),
and what the shipped model says on clear-cut signals."""

from __future__ import annotations

from dataclasses import replace

import pytest

from advisor.engine.model import LinearModel, default_model, untrained_model
from advisor.engine.types import Advice, Answers
from advisor.engine.verdict import (
    VERDICT_FEATURES,
    Verdict,
    VerdictSignals,
    answerable,
    decide,
    verdict_features,
)


def model_on(feature: str, *, weight: float = 10.0, intercept: float = -5.0):
    """A verdict model that reads one signal: chance 0.5 where it is 0.5."""
    coefficients = tuple(weight if f == feature else 0.0 for f in VERDICT_FEATURES)
    return replace(
        untrained_model(),
        verdict=LinearModel(VERDICT_FEATURES, coefficients, intercept),
        no_fit_below=0.2,
        unsure_below=0.6,
    )


@pytest.mark.parametrize(
    ("top", "expected"),
    [(0.1, Verdict.NO_FIT), (0.45, Verdict.UNSURE), (0.52, Verdict.UNSURE), (0.9, Verdict.FIT)],
)
def test_the_two_cut_points_split_the_answerable_chance(top, expected):
    model = model_on("top_probability")
    verdict, chance = decide(
        signals=VerdictSignals(top_probability=top, has_text=True, known_words=5), model=model
    )
    assert verdict is expected
    assert 0.0 <= chance <= 1.0


@pytest.mark.parametrize(
    ("signals", "expected"),
    [
        # Two words the catalog knows, nothing of the domain: too little to be sure.
        (VerdictSignals(top_probability=0.9, has_text=True, known_words=2), Verdict.UNSURE),
        # ... and a word no entry has: what it asks about is not in the catalog.
        (
            VerdictSignals(top_probability=0.9, has_text=True, known_words=1, unknown_share=0.5),
            Verdict.NO_FIT,
        ),
        # A concept of the domain, a named entry or a structured answer is enough to go on.
        (
            VerdictSignals(top_probability=0.9, has_text=True, known_words=1,
                           mentions_concept=True),
            Verdict.FIT,
        ),
        (VerdictSignals(top_probability=0.9, has_text=True, named=True), Verdict.FIT),
        (VerdictSignals(top_probability=0.9, has_text=True, stated=True), Verdict.FIT),
    ],
)
def test_a_vague_question_is_never_a_confident_fit(signals, expected):
    model = model_on("top_probability")
    verdict, chance = decide(signals=signals, model=model)
    assert verdict is expected
    if expected is not Verdict.FIT:
        assert chance <= model.unsure_below


def test_the_chance_grows_with_a_positive_signal():
    model = model_on("coverage")
    low = answerable(signals=VerdictSignals(coverage=0.1), model=model)
    high = answerable(signals=VerdictSignals(coverage=0.9), model=model)
    assert low < 0.5 < high


def test_no_result_for_a_free_text_question_is_no_fit_and_for_facets_unsure():
    model = model_on("top_probability")
    signals = VerdictSignals(has_text=True, has_results=False)
    assert decide(signals=signals, model=model) == (Verdict.NO_FIT, 0.0)
    stated = VerdictSignals(has_text=True, stated=True, has_results=False)
    assert decide(signals=stated, model=model)[0] is Verdict.UNSURE
    named = VerdictSignals(has_text=True, named=True, has_results=False)
    assert decide(signals=named, model=model)[0] is Verdict.UNSURE


def test_features_are_bounded_and_in_the_declared_order():
    row = verdict_features(
        VerdictSignals(top_probability=0.7, text_relevance=3.0, bm25=1e6, named=True)
    )
    assert len(row) == len(VERDICT_FEATURES)
    assert row[VERDICT_FEATURES.index("text_relevance")] == 1.0
    assert row[VERDICT_FEATURES.index("named")] == 1.0
    assert row[VERDICT_FEATURES.index("top_probability")] == 0.7


def test_the_shipped_model_tells_a_clear_match_from_a_foreign_question():
    model = default_model()
    assert 0.0 < model.no_fit_below <= model.unsure_below < 1.0
    clear = VerdictSignals(top_probability=0.9, margin=0.5, text_relevance=0.6, bm25=15.0,
                           coverage=0.9, concepts=1.0, has_text=True, named=True)
    foreign = VerdictSignals(top_probability=0.02, margin=0.0, text_relevance=0.02, bm25=0.5,
                             coverage=0.0, unknown_share=1.0, has_text=True, known_words=5,
                             scope=0.1)
    assert not foreign.vague  # the model decides, not the rule for vague questions
    assert decide(signals=clear, model=model)[0] is Verdict.FIT
    assert decide(signals=foreign, model=model)[0] is Verdict.NO_FIT


def test_advice_without_a_verdict_derives_it_from_low_confidence():
    assert Advice(answers=Answers(text="x"), confidence=0.2, low_confidence=True).verdict == (
        "unsure"
    )
    assert Advice(answers=Answers(text="x"), confidence=0.9).verdict == "fit"
