"""The learned model: the artifact matches the code, training is deterministic and bounded, the
command writes and reports, and the reasons add up to the score (advisor/engine/training.py,
model.py, features.py)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from django.core.management import call_command

from advisor.engine import training
from advisor.engine.evaluation import Case
from advisor.engine.features import FEATURE_GROUPS, FEATURES, SIGNS, STAGE_ONE
from advisor.engine.model import MODEL_PATH, RankingModel, load_model, untrained_model
from advisor.engine.scoring import Engine
from advisor.engine.training import (
    _scope_classifier,
    fit_model,
    fit_scope,
    folds,
    prepare,
    scope_chances,
)
from advisor.engine.types import Answers, EntryDoc
from advisor.engine.verdict import VERDICT_FEATURES
from textindex.tokenizer import tokenize


def test_the_shipped_artifact_matches_the_features_of_the_code():
    model = load_model()
    assert model.ranker.features == FEATURES
    assert model.stage_one.features == STAGE_ONE
    assert model.verdict.features == VERDICT_FEATURES
    assert model.trained["cases"] >= 240 and model.trained["no_fit_cases"] >= 24
    assert RankingModel.from_dict(json.loads(model.to_json())) == model  # round trip


def test_every_feature_has_a_reason_group_and_bounded_coefficients_keep_their_sign():
    assert set(FEATURE_GROUPS) == set(FEATURES)
    model = load_model()
    for name, value in zip(model.ranker.features, model.ranker.coefficients, strict=True):
        assert SIGNS.get(name, 0) * value >= 0, name


def test_a_model_of_another_format_is_refused():
    data = untrained_model().as_dict() | {"format": 99}
    with pytest.raises(ValueError, match="format"):
        RankingModel.from_dict(data)


def entry(slug: str, text: str, **extra) -> EntryDoc:
    return EntryDoc(slug=slug, name=slug.title(), name_zh="", kind="open-source",
                    category="c", maintenance="active", text=text, summary_en=text, **extra)


ENTRIES = [
    entry("graphdb", "graph database cypher queries storage"),
    entry("streams", "stream processing real-time events windows"),
    entry("vectors", "vector search embeddings similarity retrieval"),
    entry("speech", "speech recognition audio transcription"),
]
CASES = [
    Case("a", "en", Answers(text="store a graph and run cypher"), ("graphdb",), None),
    Case("b", "en", Answers(text="process events in real time"), ("streams",), None),
    Case("c", "en", Answers(text="similarity retrieval over embeddings"), ("vectors",), None),
    Case("d", "en", Answers(text="turn audio into text"), ("speech",), None),
    Case("e", "en", Answers(text="graph storage with queries"), ("graphdb",), None),
    Case("f", "en", Answers(text="windows over an event stream"), ("streams",), None),
    Case("g", "en", Answers(text="a newsletter mailing tool"), (), None),
]


def _fit():
    engine = Engine(ENTRIES, [], model=untrained_model())
    items = prepare(engine, CASES, groups=[c.id for c in CASES],
                    no_fit=[not c.expected_projects for c in CASES])
    return engine, items, fit_model(engine, items, version="t")


def test_training_is_deterministic_and_ranks_its_cases():
    _engine, _items, first = _fit()
    engine, _items, second = _fit()
    assert first == second
    trained = Engine(ENTRIES, [], model=first)
    for case in CASES[:-1]:
        advice = trained.advise(case.answers)
        # The ranking (a verdict fitted on seven cases may still call one "no-fit").
        ranked = advice.projects or advice.nearest
        assert ranked[0].slug == case.expected_projects[0], case.id


def test_folds_keep_one_source_together():
    engine = Engine(ENTRIES, [], model=untrained_model())
    items = prepare(engine, CASES, groups=["s1", "s1", "s2", "s2", "s3", "s4", "s5"],
                    no_fit=[False] * 6 + [True])
    for train, test in folds(items, k=3):
        assert not {items[i].group for i in train} & {items[i].group for i in test}


def test_reasons_add_up_to_the_score_on_the_log_odds_scale():
    _engine, _items, model = _fit()
    trained = Engine(ENTRIES, [], model=model)
    state = trained.analyse(Answers(text="graph database"))
    trained.rank(state)
    best = trained.ranking(state)[0]
    total = sum(model.ranker.contributions(best.features).values())
    assert np.isclose(total, best.learned)
    assert np.isclose(model.probability(best.learned), best.score)


@pytest.mark.django_db
def test_train_advisor_writes_the_model_and_prints_its_coefficients(real_catalog, tmp_path,
                                                                   capsys):
    output = tmp_path / "model.json"
    call_command("train_advisor", "--no-evaluate", "--output", str(output))
    out = capsys.readouterr().out
    assert "Training on" in out and "features: " in out and "verdict cut points" in out
    written = load_model(output)
    assert written.ranker.features == FEATURES
    shipped = load_model(MODEL_PATH)
    # The shipped model is what training gives now (else: run train_advisor and commit it).
    assert written.version == shipped.version
    for part in ("stage_one", "ranker", "verdict"):
        ours, theirs = getattr(written, part), getattr(shipped, part)
        assert np.allclose(ours.coefficients, theirs.coefficients, atol=1e-3), part
    assert abs(written.no_fit_below - shipped.no_fit_below) < 1e-3
    assert written.scope.terms.keys() == shipped.scope.terms.keys()
    assert np.allclose(
        [w for _, w in written.scope.terms.values()],
        [shipped.scope.terms[t][1] for t in written.scope.terms],
        atol=1e-3,
    )


def test_the_word_model_gives_scikit_learns_chance():
    _engine, items, _model = _fit()
    vectorizer, classifier = _scope_classifier(items)
    scope = fit_scope(items)
    for tokens in (["newslett", "mail"], ["graph", "graph", "cypher"], ["unknown"], []):
        expected = classifier.predict_proba(vectorizer.transform([tokens]))[0, 1]
        assert np.isclose(scope.chance(tokens), expected)
    assert scope.chance(tokenize("a newsletter mailing tool")) < 0.5
    assert scope.chance(tokenize("graph storage")) > 0.5


def test_the_verdict_learns_from_scope_chances_of_questions_the_word_model_never_saw(
    monkeypatch,
):
    _engine, items, model = _fit()
    newsletter = items[-1]  # the only no-fit case: without it, nothing to tell apart
    chances = scope_chances(items, k=7)
    assert chances[-1] == 0.5
    assert model.scope.chance(newsletter.state.tokens) < 0.5
    # fit_model fits the verdict on those chances, not on the shipped word model's own.
    seen = []

    def spy(items_, **kwargs):
        seen.append(len(items_))
        return scope_chances(items_, **kwargs)

    monkeypatch.setattr(training, "scope_chances", spy)
    _fit()
    assert seen == [len(items)]
