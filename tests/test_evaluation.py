"""The labelled evaluation set, the metrics, and the advisor's figures on the real catalog.

The thresholds sit a little below the figures measured when they were set (see the README's
advisor section); a change that makes the advice worse fails here.
"""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from advisor.catalog_source import (
    clear_engine_cache,
    get_engine,
    load_entries,
    load_labels,
    load_stacks,
)
from advisor.engine.evaluation import (
    CASES_PATH,
    REAL_CASES_PATH,
    VARIANTS,
    Case,
    Outcome,
    compute_metrics,
    evaluate,
    format_table,
    load_cases,
    metrics_by_group,
    parse_cases,
)
from advisor.engine.model import untrained_model
from advisor.engine.report import load_labelled, out_of_fold
from advisor.engine.scoring import Engine
from advisor.engine.types import Answers
from catalog.models import Category, Project

# Out of fold (5-fold grouped by source) on advisor/evaluation/real_cases.json, measured when
# set (README, "Measuring it"): the floors sit a little below; a change that makes the advice
# worse on questions it was not fitted on fails here.
FLOORS = {
    "all": {"hit_at_1": 0.75, "hit_at_3": 0.90, "mrr": 0.82, "stack_accuracy": 0.79},
    "zh": {"hit_at_1": 0.74, "hit_at_3": 0.90, "mrr": 0.82},
    "en": {"hit_at_1": 0.74, "hit_at_3": 0.88, "mrr": 0.81},
}
# Issue 7's targets, not met yet: strict xfails, so meeting one fails until it is moved up.
TARGETS = {"hit_at_1": 0.92, "hit_at_3": 0.98, "mrr": 0.95}


def outcome(case_id, ranking, expected, *, language="en", top_stack=None, stack=None):
    return Outcome(
        case_id=case_id,
        language=language,
        ranking=tuple(ranking),
        top_stack=top_stack,
        expected_projects=tuple(expected),
        expected_stack=stack,
    )


# --- Pure metrics --------------------------------------------------------------------------


def test_metrics_by_hand():
    outcomes = [
        outcome("a", ["x", "y", "z"], ["x"], top_stack="s", stack="s"),  # rank 1
        outcome("b", ["y", "x", "z"], ["x", "q"], language="zh", top_stack="t", stack="s"),
        outcome("c", ["y", "z", "w", "x"], ["x"]),  # rank 4: not in the top 3
        outcome("d", ["y"], ["x"], language="zh"),  # absent
    ]
    metrics = compute_metrics(outcomes)
    assert metrics.cases == 4
    assert metrics.hit_at_1 == 0.25
    assert metrics.hit_at_3 == 0.5
    assert metrics.mrr == round((1 + 1 / 2 + 1 / 4 + 0) / 4, 4)
    assert metrics.stack_cases == 2 and metrics.stack_accuracy == 0.5
    groups = metrics_by_group(outcomes)
    assert groups["zh"].cases == 2 and groups["zh"].hit_at_3 == 0.5
    assert groups["en"].hit_at_1 == 0.5


def test_any_expected_slug_counts_as_a_hit():
    assert outcome("a", ["b", "c"], ["c", "b"]).rank == 1


def test_metrics_of_nothing():
    metrics = compute_metrics([])
    assert metrics.cases == 0 and metrics.hit_at_1 == 0.0 and metrics.stack_accuracy == 0.0


def test_parse_cases_rejects_bad_input():
    good = {
        "id": "x",
        "language": "en",
        "answers": {"q": "graph", "data_type": "graph"},
        "expected_projects": ["a"],
        "expected_stack": None,
    }
    (case,) = parse_cases({"cases": [good]})
    assert case.answers == Answers(text="graph", data_types=frozenset({"graph"}), language="en")
    with pytest.raises(ValueError, match="duplicate"):
        parse_cases({"cases": [good, good]})
    with pytest.raises(ValueError, match="language"):
        parse_cases({"cases": [{**good, "language": "fr"}]})
    with pytest.raises(ValueError, match="no expected"):
        parse_cases({"cases": [{**good, "expected_projects": []}]})


def test_evaluate_runs_every_variant_with_its_switches():
    seen = []

    class Fake:
        def __init__(self, use_rules, use_synonyms):
            seen.append((use_rules, use_synonyms))

        def advise(self, answers, *, limit=10):
            from advisor.engine.types import Advice, ProjectResult

            return Advice(answers=answers, confidence=1, projects=(ProjectResult("a", "A", 1),))

    cases = [Case("c", "zh", Answers(text="x"), ("a",), None)]
    figures, outcomes = evaluate(Fake, cases)
    assert seen == list(VARIANTS.values())
    assert figures["full"]["all"].hit_at_1 == 1.0
    assert "| full | zh | 1 | 1.000 |" in format_table(figures)


# --- The labelled set ----------------------------------------------------------------------


def test_the_labelled_set_is_balanced_and_covers_the_rules():
    cases = load_cases()
    assert len(cases) >= 60
    zh = [c for c in cases if c.language == "zh"]
    assert len(zh) * 2 == len(cases)
    structured_only = [c for c in cases if not c.answers.text]
    assert len(structured_only) >= 6
    assert any(c.answers.framework == "pytorch" and "torcheasyrec" in c.expected_projects
               and "EasyRec" not in c.answers.text for c in cases)
    assert any("EasyTransfer" in c.answers.text and c.expected_projects == ("easynlp",)
               for c in cases)
    assert any(c.answers.open_source_only for c in cases)
    assert any(c.answers.maintained_only for c in cases)
    raw = json.loads(CASES_PATH.read_text(encoding="utf-8"))
    for item in raw["cases"]:
        assert set(item["answers"]) == {
            "q", "scenario", "scale", "framework", "data_type", "deployment",
            "maintained_only", "open_source_only",
        }
        assert item["note"]


# --- The real catalog ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def catalog(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return load_entries(), load_stacks(), load_labels()


@pytest.fixture(scope="module")
def report(catalog):
    entries, stacks, labels = catalog
    if not entries:
        pytest.fail("the catalog fixture is empty")

    def build(ranking="learned", rules=True):
        return Engine(entries, stacks, labels=labels, model=untrained_model(),
                      use_rules=rules, use_synonyms=rules, ranking=ranking)

    return out_of_fold(
        engine=build(),
        baselines={"text": build("text", rules=False), "bm25": build("bm25", rules=False)},
        labelled=load_labelled(),
    )


def test_expected_slugs_exist_in_the_catalog(catalog):
    entries, stacks, _labels = catalog
    entry_slugs = {e.slug for e in entries}
    stack_slugs = {s.slug for s in stacks}
    for case in load_labelled().cases:
        assert set(case.expected_projects) <= entry_slugs, case.id
        assert case.expected_stack is None or case.expected_stack in stack_slugs, case.id


@pytest.mark.parametrize("group", ["all", "zh", "en"])
def test_out_of_fold_figures_stay_above_the_floors(report, group):
    measured = report.learned[group]
    for metric, minimum in FLOORS[group].items():
        assert getattr(measured, metric) >= minimum, (group, metric, measured)


def test_the_learned_ranker_beats_plain_tfidf_and_bm25_out_of_fold(report):
    learned = report.learned["all"]
    ranking = report.ranking["all"]
    for baseline in (report.text["all"], report.bm25["all"]):
        assert learned.hit_at_1 > baseline.hit_at_1
        assert learned.cases == baseline.cases == ranking.cases
        # Before the verdict empties some answers, the ranking also wins at hit@3 and MRR.
        assert ranking.hit_at_3 > baseline.hit_at_3 and ranking.mrr > baseline.mrr
    assert ranking.hit_at_1 >= learned.hit_at_1


def test_the_verdict_catches_some_no_fit_questions_and_keeps_most_advice(report):
    learned = report.learned["all"]
    assert learned.no_fit_cases >= 24
    assert learned.no_fit_verdicts >= 0.65
    assert learned.flagged <= 0.25


@pytest.mark.xfail(strict=True, reason="issue 7's out-of-fold targets are not met yet")
@pytest.mark.parametrize("metric", sorted(TARGETS))
def test_issue_7_targets(report, metric):
    assert getattr(report.learned["all"], metric) >= TARGETS[metric]


@pytest.mark.xfail(strict=True, reason="issue 7: hit@1 is not yet 0.08 above plain TF-IDF")
def test_issue_7_margin_over_plain_tfidf(report):
    assert report.learned["all"].hit_at_1 >= report.text["all"].hit_at_1 + 0.08


@pytest.fixture
def few_cases(tmp_path):
    """Real cases from six sources, so the command tests stay quick."""
    raw = json.loads(REAL_CASES_PATH.read_text(encoding="utf-8"))
    chosen = [c for c in raw["cases"] if c.get("kind") != "no-fit"][:5]
    chosen += [c for c in raw["cases"] if c.get("kind") == "no-fit"][:1]
    path = tmp_path / "cases.json"
    path.write_text(json.dumps({"cases": chosen}), "utf-8")
    return path


@pytest.mark.django_db
def test_evaluate_advisor_command_prints_json(capsys, few_cases):
    call_command("evaluate_advisor", "--json", "--misses", "--cases", str(few_cases),
                 "--folds", "3")
    payload = json.loads(capsys.readouterr().out)
    assert payload["folds"] == 3
    assert payload["learned"]["all"]["cases"] == 5
    assert payload["learned"]["all"]["no_fit_cases"] == 1
    assert set(payload["learned"]) == {"all", "zh", "en"}
    assert payload["text"]["all"]["cases"] == 5 and payload["bm25"]["all"]["cases"] == 5
    assert 0 <= payload["learned"]["all"]["hit_at_3"] <= 1
    assert isinstance(payload["misses"], list)


@pytest.mark.django_db
def test_evaluate_advisor_command_prints_a_table(capsys, few_cases):
    call_command("evaluate_advisor", "--cases", str(few_cases), "--authored", "")
    out = capsys.readouterr().out
    assert "| ranker | group | cases | hit@1 | hit@3 | MRR | not top 3 |" in out
    assert "| learned (out of fold) | all | 5 |" in out
    assert "| plain TF-IDF | en |" in out and "| BM25 | all | 5 |" in out


@pytest.mark.django_db
def test_evaluate_advisor_command_rejects_a_bad_cases_file(tmp_path):
    from django.core.management.base import CommandError

    bad = tmp_path / "bad.json"
    bad.write_text("{not json", "utf-8")
    with pytest.raises(CommandError, match="Cannot read the cases"):
        call_command("evaluate_advisor", "--cases", str(bad))


# --- The Django adapter (advisor.catalog_source) -------------------------------------------


@pytest.mark.django_db
def test_loading_takes_a_constant_number_of_queries(django_assert_num_queries):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            load_entries()
            load_stacks()
        return len(queries)

    before = count()
    category = Category.objects.first()
    for n in range(5):
        project = Project.objects.create(
            slug=f"extra-{n}", name=f"Extra {n}", name_zh=f"额外 {n}", kind="open-source",
            category=category, org="Test", license="MIT", summary_zh="测试", summary_en="test",
        )
        project.frameworks.add(*Project.objects.get(slug="easyrec").frameworks.all())
    assert count() == before
    with django_assert_num_queries(before):
        load_entries()
        load_stacks()


@pytest.mark.django_db
def test_entry_docs_carry_facets_counterparts_and_successors():
    entries = {e.slug: e for e in load_entries()}
    easyrec = entries["easyrec"]
    assert "tensorflow" in easyrec.frameworks
    assert "recommendation" in easyrec.scenarios
    assert "torcheasyrec" in easyrec.counterparts  # a relation, in both directions
    assert "easyrec" in entries["torcheasyrec"].counterparts
    assert entries["easytransfer"].successor == "easynlp"
    assert "easynlp" in entries["easytransfer"].counterparts
    assert "EasyRec" in "\n".join(easyrec.searchable_parts) and easyrec.summary_en


@pytest.mark.django_db
def test_get_engine_is_cached_and_rebuilt_when_the_catalog_changes():
    clear_engine_cache()
    first = get_engine()
    assert get_engine() is first
    Project.objects.filter(slug="easyrec").update(name="EasyRec")  # no signal: same version
    assert get_engine() is first
    project = Project.objects.get(slug="easyrec")
    project.summary_en = "A framework for zyxwv recommendation"
    project.save()  # signals bump the catalog version
    second = get_engine()
    assert second is not first
    assert second.advise(Answers(text="zyxwv")).projects[0].slug == "easyrec"
    clear_engine_cache()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "question",
    ["一个好的工具", "a fast tool", "a good tool", "best framework", "something fast",
     "有什么好的框架"],
)
def test_vague_questions_are_low_confidence_on_the_real_catalog(question):
    clear_engine_cache()
    advice = get_engine().advise(Answers(text=question))
    assert advice.low_confidence and advice.verdict == "unsure"
    if advice.verdict == "unsure":
        assert advice.follow_up is not None and advice.follow_up.field == "scenario"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "question",
    ["an email newsletter service", "a password manager for our team", "给网站做邮件营销订阅"],
)
def test_needs_outside_the_catalog_get_the_no_fit_verdict(question):
    clear_engine_cache()
    advice = get_engine().advise(Answers(text=question))
    assert advice.verdict == "no-fit" and advice.low_confidence
    assert advice.projects == () and advice.stacks == ()
    assert 0 < len(advice.nearest) <= 3
    assert advice.follow_up is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("answers", "top"),
    [
        (Answers(text="GeaFlow"), "tugraph-analytics"),
        (Answers(text="电商推荐的CTR模型训练", framework="pytorch"), "torcheasyrec"),
        (Answers(text="以前用EasyTransfer，现在用什么"), "easynlp"),
    ],
)
def test_clear_questions_are_answered_on_the_real_catalog(answers, top):
    advice = get_engine().advise(answers)
    assert advice.projects[0].slug == top
    assert advice.verdict != "no-fit"
