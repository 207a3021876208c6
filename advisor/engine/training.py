"""Fitting the advisor's model on labelled cases, and measuring it out of fold (no Django).

- ``fit_model``: the pairwise ranker (logistic regression on feature differences of an
  acceptable entry and another candidate of the same question, every case weighing the same),
  its calibration, the stacks' second stage and the verdict model with its two cut points;
- ``cross_validate``: grouped k-fold (cases from one source in one fold): every case is ranked
  by a model fitted without its fold, so the figures are out of fold.

Deterministic: the same cases and features give the same model.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np
from scipy.optimize import minimize
from scipy.special import expit
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from .evaluation import Case
from .features import FEATURES, SIGNS, STAGE_ONE
from .model import LinearModel, RankingModel, WordModel, untrained_model
from .scoring import Analysis, Engine
from .verdict import VERDICT_FEATURES, verdict_features

FOLDS = 5
RANKER_C = 1.0
VERDICT_C = 1.0
SCOPE_C = 3.0  # the word model behind the verdict's "scope" feature
SECOND_CHOICE = 0.7  # weight of a case's second acceptable entry against its first
# The verdict's cut points: at most these shares of the answerable training cases are called
# "no-fit" / "unsure or no-fit".
NO_FIT_BUDGET = 0.04
UNSURE_BUDGET = 0.15


@dataclass
class Prepared:
    """A case with the engine's analysis of its answers (model-independent)."""

    case: Case
    group: str
    state: Analysis
    no_fit: bool = False


def prepare(
    engine: Engine,
    cases: Sequence[Case],
    *,
    groups: Sequence[str],
    no_fit: Sequence[bool],
    progress: Callable[[int, int], None] | None = None,
) -> list[Prepared]:
    out: list[Prepared] = []
    for number, (case, group, empty) in enumerate(zip(cases, groups, no_fit, strict=True), 1):
        out.append(Prepared(case, group, engine.analyse(case.answers), no_fit=empty))
        if progress:
            progress(number, len(cases))
    return out


def _candidates(state: Analysis) -> list[int]:
    return [i for i, s in enumerate(state.scored) if s.listed]


def _pairs(
    items: Sequence[Prepared], columns: list[int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rows: list[np.ndarray] = []
    labels: list[int] = []
    weights: list[float] = []
    for item in items:
        if item.no_fit:
            continue
        expected = item.case.expected_projects
        candidates = _candidates(item.state)
        slugs = [item.state.scored[i].slug for i in candidates]
        positives = [
            (i, 1.0 if slug == expected[0] else SECOND_CHOICE)
            for i, slug in zip(candidates, slugs, strict=True)
            if slug in expected
        ]
        negatives = [i for i, slug in zip(candidates, slugs, strict=True) if slug not in expected]
        if not positives or not negatives:
            continue
        share = 1.0 / (len(positives) * len(negatives))
        matrix = item.state.rows[:, columns]
        for p, weight in positives:
            differences = matrix[p] - matrix[negatives]
            rows.extend([differences, -differences])
            labels.extend([1] * len(negatives) + [0] * len(negatives))
            weights.extend([share * weight] * (2 * len(negatives)))
    if not rows:
        return np.zeros((0, len(columns))), np.zeros(0), np.zeros(0)
    return np.vstack(rows), np.asarray(labels), np.asarray(weights)


def _fit_ranker(items: Sequence[Prepared], features: tuple[str, ...]) -> LinearModel:
    """Pairwise logistic regression (L2, ``RANKER_C``) with each coefficient's sign bounded
    as ``features.SIGNS`` says, by L-BFGS-B."""
    columns = [FEATURES.index(f) for f in features]
    x, y, w = _pairs(items, columns)
    if not len(y):
        return LinearModel(features, tuple(0.0 for _ in features))
    w = w * len(y) / w.sum()
    sign = 2.0 * y - 1.0

    def loss(beta: np.ndarray) -> tuple[float, np.ndarray]:
        margins = sign * (x @ beta)
        value = float(np.sum(w * np.logaddexp(0.0, -margins))) + beta @ beta / (2 * RANKER_C)
        slope = -sign * w * expit(-margins)
        return value, x.T @ slope + beta / RANKER_C

    bounds = [
        (0.0, None) if SIGNS.get(f, 0) > 0 else (None, 0.0) if SIGNS.get(f, 0) < 0 else (None, None)
        for f in features
    ]
    result = minimize(
        loss,
        np.zeros(len(features)),
        jac=True,
        method="L-BFGS-B",
        bounds=bounds,
        options={"maxiter": 5000},
    )
    return LinearModel(features, tuple(float(round(c, 6)) for c in result.x))


def _fit_calibration(items: Sequence[Prepared], ranker: LinearModel) -> tuple[float, float]:
    columns = [FEATURES.index(f) for f in ranker.features]
    scores: list[float] = []
    labels: list[int] = []
    for item in items:
        if item.no_fit:
            continue
        candidates = _candidates(item.state)
        values = ranker.score(item.state.rows[candidates][:, columns])
        for i, value in zip(candidates, values, strict=True):
            scores.append(float(value))
            labels.append(int(item.state.scored[i].slug in item.case.expected_projects))
    if len(set(labels)) < 2:
        return (1.0, 0.0)
    model = LogisticRegression(C=100.0, max_iter=5000)
    model.fit(np.asarray(scores)[:, None], np.asarray(labels))
    return (float(model.coef_[0][0]), float(model.intercept_[0]))


def _cut(values: np.ndarray, budget: float) -> float:
    """A cut point with at most ``budget`` of ``values`` below it."""
    if not len(values):
        return 0.0
    ordered = np.sort(values)
    allowed = int(np.floor(budget * len(ordered)))
    return float(ordered[allowed]) if allowed < len(ordered) else float(ordered[-1])


def _tokens(tokens: Sequence[str]) -> Sequence[str]:
    return tokens


def _scope_classifier(items: Sequence[Prepared]) -> tuple[TfidfVectorizer, LogisticRegression]:
    vectorizer = TfidfVectorizer(analyzer=_tokens, lowercase=False, sublinear_tf=True)
    x = vectorizer.fit_transform([item.state.tokens for item in items])
    y = [0 if item.no_fit else 1 for item in items]
    classifier = LogisticRegression(C=SCOPE_C, class_weight="balanced", max_iter=5000)
    return vectorizer, classifier.fit(x, y)


def fit_scope(items: Sequence[Prepared]) -> WordModel:
    """The word model: answerable versus no-fit questions by their tokens (empty when the
    items hold only one kind)."""
    if len({item.no_fit for item in items}) < 2:
        return WordModel()
    vectorizer, classifier = _scope_classifier(items)
    idf, weights = vectorizer.idf_, classifier.coef_[0]
    return WordModel(
        terms={t: (float(idf[i]), float(weights[i])) for t, i in vectorizer.vocabulary_.items()},
        intercept=float(classifier.intercept_[0]),
    )


def scope_chances(items: Sequence[Prepared], *, k: int = FOLDS) -> list[float]:
    """Each item's scope chance from a word model fitted without its group's fold, so that
    the verdict is fitted on values like those of questions the word model never saw."""
    groups = [item.group for item in items]
    k = min(k, len(set(groups)))
    if k < 2:
        return [0.5] * len(items)
    chances = [0.5] * len(items)
    for train, test in GroupKFold(n_splits=k).split(np.arange(len(items)), groups=groups):
        model = fit_scope([items[i] for i in train])
        for i in test:
            chances[i] = model.chance(items[i].state.tokens)
    return chances


def fit_model(engine: Engine, items: Sequence[Prepared], *, version: str = "") -> RankingModel:
    """The whole model fitted on ``items`` (their analyses are re-ranked in place)."""
    stage_one = _fit_ranker(items, STAGE_ONE)
    calibration_one = _fit_calibration(items, stage_one)
    base = untrained_model()
    partial = RankingModel(
        version=version,
        stage_one=stage_one,
        ranker=base.ranker,
        calibration=base.calibration,
        calibration_one=calibration_one,
        verdict=base.verdict,
        no_fit_below=0.0,
        unsure_below=0.0,
    )
    for item in items:  # the stacks from stage one fill ``stack_core``
        engine.rank(item.state, model=partial)
    ranker = _fit_ranker(items, FEATURES)
    calibration = _fit_calibration(items, ranker)
    ranked = RankingModel(
        version=version,
        stage_one=stage_one,
        ranker=ranker,
        calibration=calibration,
        calibration_one=calibration_one,
        verdict=base.verdict,
        no_fit_below=0.0,
        unsure_below=0.0,
    )
    rows: list[np.ndarray] = []
    labels: list[int] = []
    for item, scope in zip(items, scope_chances(items), strict=True):
        engine.rank(item.state, model=ranked)
        signals = engine.verdict_signals(item.state, engine.ranking(item.state))
        rows.append(verdict_features(replace(signals, scope=scope)))
        labels.append(0 if item.no_fit else 1)
    verdict = LinearModel(VERDICT_FEATURES, tuple(0.0 for _ in VERDICT_FEATURES), 1.0)
    no_fit_below = unsure_below = 0.0
    if len(set(labels)) == 2:
        classifier = LogisticRegression(C=VERDICT_C, class_weight="balanced", max_iter=5000)
        x, y = np.vstack(rows), np.asarray(labels)
        classifier.fit(x, y)
        verdict = LinearModel(
            VERDICT_FEATURES,
            tuple(float(c) for c in classifier.coef_[0]),
            float(classifier.intercept_[0]),
        )
        chances = classifier.predict_proba(x)[:, 1]
        answerable = chances[y == 1]
        no_fit_below = _cut(answerable, NO_FIT_BUDGET)
        unsure_below = max(no_fit_below, _cut(answerable, UNSURE_BUDGET))
    return RankingModel(
        version=version,
        stage_one=stage_one,
        ranker=ranker,
        calibration=calibration,
        calibration_one=calibration_one,
        verdict=verdict,
        no_fit_below=no_fit_below,
        unsure_below=unsure_below,
        trained={
            "cases": sum(1 for i in items if not i.no_fit),
            "no_fit_cases": sum(1 for i in items if i.no_fit),
        },
        scope=fit_scope(items),
    )


def folds(items: Sequence[Prepared], *, k: int = FOLDS) -> list[tuple[list[int], list[int]]]:
    """Grouped k-fold: (train, test) positions; one source's cases share a fold."""
    groups = [item.group for item in items]
    splitter = GroupKFold(n_splits=k)
    positions = np.arange(len(items))
    return [
        (train.tolist(), test.tolist()) for train, test in splitter.split(positions, groups=groups)
    ]


def cross_validate(
    engine: Engine,
    items: Sequence[Prepared],
    *,
    k: int = FOLDS,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, RankingModel]:
    """case id -> the model fitted without that case's fold."""
    out: dict[str, RankingModel] = {}
    splits = folds(items, k=k)
    for number, (train, test) in enumerate(splits, 1):
        model = fit_model(engine, [items[i] for i in train], version=f"fold-{number}")
        for i in test:
            out[items[i].case.id] = model
        if progress:
            progress(number, len(splits))
    return out
