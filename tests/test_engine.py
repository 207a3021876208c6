"""The advisor's engine on a small hand-built catalog (no database).

Each rule is checked on entries built here, so a failure points at the rule, not at the
catalog's wording.
"""

from __future__ import annotations

import math
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from advisor.engine.features import FEATURES
from advisor.engine.model import default_model
from advisor.engine.scoring import Engine as _Engine
from advisor.engine.types import Answers, EntryDoc, StackDoc, StackMemberDoc
from advisor.engine.weights import DEFAULT_WEIGHTS, Weights

ROOT = Path(__file__).resolve().parent.parent


# What this small catalog calls its vocabulary terms (the real one: the database's names).
LABELS: dict[str, tuple[str, str]] = {
    # frameworks
    "tensorflow": ("TensorFlow", "TensorFlow"),
    "pytorch": ("PyTorch", "PyTorch"),
    "flink": ("Flink", "Flink"),
    "spark": ("Spark", "Spark"),
    "java": ("Java", "Java"),
    "javascript": ("JavaScript", "JavaScript"),
    "any": ("任意框架", "any framework"),
    # data types
    "text": ("文本", "text"),
    "image": ("图像", "images"),
    "video": ("视频", "video"),
    "speech": ("语音", "speech"),
    "document": ("文档", "documents"),
    "tabular": ("表格/特征数据", "tabular data"),
    "graph": ("图数据", "graph data"),
    "stream": ("流数据", "streams"),
    "vector": ("向量", "vectors"),
    # scales
    "single": ("单机", "one machine"),
    "cluster": ("小规模集群", "a small cluster"),
    "massive": ("超大规模", "massive scale"),
    # scenarios
    "recommendation": ("推荐", "recommendation"),
    "advertising": ("广告", "advertising"),
    "search": ("搜索", "search"),
    "nlp": ("自然语言处理", "NLP"),
    "computer-vision": ("计算机视觉", "computer vision"),
    "document-processing": ("文档处理", "document processing"),
    "risk-control": ("风控", "risk control"),
    "knowledge-graph": ("知识图谱", "knowledge graphs"),
    "social-network": ("社交网络", "social networks"),
    "dispatch-logistics": ("调度与物流", "dispatch and logistics"),
    "federated-privacy": ("联邦学习与隐私", "federated learning and privacy"),
    "distributed-training": ("分布式训练", "distributed training"),
    "model-deployment": ("模型部署", "model deployment"),
    "model-compression": ("模型压缩", "model compression"),
    "streaming-analytics": ("流式分析", "streaming analytics"),
    "microservices": ("微服务", "microservices"),
    "optimization": ("优化求解", "optimisation"),
    "llm-applications": ("大模型应用", "LLM applications"),
    "learning": ("学习", "learning"),
}

# Other names users type for the entries (the real catalog: ``Project.aliases``).
ALIASES: dict[str, tuple[str, ...]] = {
    "easyrec": ("easyrec",),
    "torcheasyrec": ("torcheasyrec", "torch easyrec", "tzrec"),
    "deeprec": ("deeprec",),
    "airec": ("airec", "智能推荐"),
    "easytransfer": ("easytransfer",),
    "easynlp": ("easynlp",),
    "tugraph-db": ("tugraph db", "tugraph-db", "tugraph"),
    "graphscope": ("graphscope",),
    "graph-learn": ("aligraph", "graphlearn", "graph-learn", "graph learn"),
    "g6": ("antv g6", "antv", "g6"),
    "pai": ("pai", "pai-dlc", "pai-eas", "pai-dsw", "机器学习平台pai"),
    "proxima": ("proxima",),
    "vineyard": ("v6d", "vineyard"),
}


def entry(slug: str, text: str, **fields) -> EntryDoc:
    defaults = dict(
        aliases=ALIASES.get(slug, ()),
        name=slug.title(),
        name_zh="",  # no Chinese name: Chinese text falls back to the name
        kind="open-source",
        category="test",
        maintenance="active",
    )
    defaults.update(fields)
    for key in ("frameworks", "data_types", "scales", "scenarios", "counterparts"):
        if key in defaults:
            defaults[key] = frozenset(defaults[key])
    return EntryDoc(slug=slug, text=text, **defaults)


ENTRIES = [
    entry(
        "easyrec",
        "EasyRec 大规模推荐算法框架 recommendation CTR 点击率 预估 广告 电商 TensorFlow",
        name="EasyRec",
        frameworks={"tensorflow"},
        data_types={"tabular", "stream"},
        scales={"cluster", "massive"},
        scenarios={"recommendation", "advertising"},
        counterparts={"torcheasyrec", "airec"},
    ),
    entry(
        "torcheasyrec",
        "TorchEasyRec recommendation models on PyTorch TorchRec",
        name="TorchEasyRec",
        frameworks={"pytorch"},
        data_types={"tabular", "stream"},
        scales={"cluster", "massive"},
        scenarios={"recommendation", "advertising"},
        counterparts={"easyrec", "airec"},
    ),
    entry(
        "deeprec",
        "DeepRec 稀疏 sparse embedding training engine for recommendation, TensorFlow fork",
        name="DeepRec",
        frameworks={"tensorflow"},
        data_types={"tabular"},
        scales={"massive"},
        scenarios={"recommendation"},
        maintenance="low-activity",
    ),
    entry(
        "airec",
        "AIRec 智能推荐 托管 推荐服务 managed recommendation service",
        name="AIRec",
        kind="cloud-service",
        data_types={"tabular"},
        scenarios={"recommendation"},
        counterparts={"easyrec", "torcheasyrec"},
    ),
    entry(
        "easytransfer",
        "EasyTransfer 迁移学习 NLP text TensorFlow",
        name="EasyTransfer",
        frameworks={"tensorflow"},
        data_types={"text"},
        scenarios={"nlp"},
        maintenance="unmaintained",
        last_release_year=2022,
        successor="easynlp",
        counterparts={"easynlp"},
    ),
    entry(
        "easynlp",
        "EasyNLP 自然语言处理 工具包 文本分类 few-shot PyTorch",
        name="EasyNLP",
        frameworks={"pytorch"},
        data_types={"text"},
        scenarios={"nlp"},
        maintenance="low-activity",
        counterparts={"easytransfer"},
    ),
    entry(
        "tugraph-db",
        "TuGraph 高性能 图数据库 事务 OpenCypher 查询",
        name="TuGraph DB",
        data_types={"graph"},
        scales={"single"},
        scenarios={"knowledge-graph", "risk-control"},
    ),
    entry(
        "graphscope",
        "GraphScope one-stop graph computing: analytics, interactive queries, GNN learning",
        name="GraphScope",
        frameworks={"tensorflow", "pytorch"},
        data_types={"graph"},
        scales={"cluster", "massive"},
        scenarios={"knowledge-graph", "risk-control", "social-network"},
    ),
    entry(
        "graph-learn",
        "Graph-Learn (formerly AliGraph) distributed GNN training and sampling",
        name="Graph-Learn",
        frameworks={"tensorflow", "pytorch"},
        data_types={"graph"},
        scenarios={"recommendation", "risk-control"},
    ),
    entry(
        "g6",
        "AntV G6 graph visualisation in JavaScript 图可视化",
        name="AntV G6",
        frameworks={"javascript"},
        data_types={"graph"},
        scenarios={"risk-control", "social-network"},
    ),
    entry(
        "pai",
        "PAI 机器学习平台 managed training and model deployment platform",
        name="PAI",
        kind="cloud-service",
        frameworks={"any"},
        data_types={"any"},
        scenarios={"distributed-training", "model-deployment"},
    ),
    entry(
        "proxima",
        "Proxima vector retrieval engine 向量检索",
        name="Proxima",
        data_types={"vector"},
        scenarios={"search"},
        maintenance="unmaintained",
        last_release_year=2022,
    ),
    entry(
        "vineyard",
        "Vineyard in-memory immutable data manager, zero-copy sharing",
        name="Vineyard",
        data_types={"any"},
        scenarios={"distributed-training"},
    ),
]


def member(slug: str, role: str, **fields) -> StackMemberDoc:
    return StackMemberDoc(slug=slug, role_zh=role, role_en=role, **fields)


STACKS = [
    StackDoc(
        slug="tf-recsys",
        name_zh="TensorFlow 推荐栈",
        name_en="TensorFlow recommendation stack",
        description_zh="TensorFlow 推荐",
        description_en="Recommendation on TensorFlow with EasyRec and DeepRec",
        members=(
            member("easyrec", "model library"),
            member("deeprec", "training engine for huge sparse embeddings"),
            member("proxima", "vector recall", optional=True),
        ),
        scenarios=frozenset({"recommendation", "advertising"}),
        counterpart="torch-recsys",
    ),
    StackDoc(
        slug="torch-recsys",
        name_zh="PyTorch 推荐栈",
        name_en="PyTorch recommendation stack",
        description_zh="PyTorch 推荐",
        description_en="Recommendation on PyTorch with TorchEasyRec",
        members=(
            member("torcheasyrec", "model library"),
            member("graph-learn", "graph sampling", optional=True, choice_group="sampling"),
            member("graphscope", "graph sampling", optional=True, choice_group="sampling"),
        ),
        scenarios=frozenset({"recommendation", "advertising"}),
        counterpart="tf-recsys",
    ),
    StackDoc(
        slug="managed-recsys",
        name_zh="托管推荐",
        name_en="Managed recommendation",
        description_zh="托管推荐服务",
        description_en="Managed recommendation service",
        members=(member("airec", "managed recommendation"),),
        scenarios=frozenset({"recommendation"}),
    ),
    StackDoc(
        slug="graph-risk-control",
        name_zh="图风控",
        name_en="Graph risk control",
        description_zh="图风控",
        description_en="Risk control on graphs",
        members=(
            member("tugraph-db", "graph store", choice_group="engine"),
            member("graphscope", "graph store", choice_group="engine"),
            member("g6", "visualisation"),
        ),
        scenarios=frozenset({"risk-control"}),
    ),
]


# The shipped ranker with its verdict off: these tests are about the ranking and the reasons on a
# small made-up catalog, whose text statistics are not the real catalog's the verdict was fitted
# on (the verdict has its own tests, and the real catalog's in test_evaluation).
RANKING_ONLY = replace(default_model(), no_fit_below=0.0, unsure_below=0.0)


def Engine(*args, **kwargs) -> _Engine:  # noqa: N802 - stands in for the class
    kwargs.setdefault("model", RANKING_ONLY)
    return _Engine(*args, **kwargs)


@pytest.fixture(scope="module")
def engine() -> _Engine:
    return Engine(ENTRIES, STACKS, labels=LABELS)


def slugs(advice) -> list[str]:
    return [p.slug for p in advice.projects]


def result(advice, slug: str):
    return next(p for p in advice.projects if p.slug == slug)


def reason(project, code: str):
    return next(r for r in project.reasons if r.code == code)


# --- Framework -------------------------------------------------------------------------------


def test_pytorch_user_gets_torcheasyrec_not_easyrec(engine):
    advice = engine.advise(Answers(text="recommendation with CTR models", framework="pytorch"))
    ranking = slugs(advice)
    assert ranking[0] == "torcheasyrec"
    assert ranking.index("easyrec") > ranking.index("torcheasyrec")
    conflict = reason(result(advice, "easyrec"), "framework")
    assert not conflict.passed
    assert conflict.contribution < 0
    assert "TensorFlow only: you use PyTorch" in conflict.message_en
    assert "TorchEasyRec offered instead" in conflict.message_en
    assert "仅支持 TensorFlow" in conflict.message_zh


def test_counterpart_is_promoted_even_when_its_own_text_is_weak(engine):
    # The Chinese question only matches EasyRec's Chinese text; TorchEasyRec is offered instead.
    advice = engine.advise(Answers(text="电商广告点击率预估", framework="pytorch"))
    top = advice.projects[0]
    assert top.slug == "torcheasyrec"
    assert top.replaces == "easyrec"
    assert reason(top, "replaces").message_en == (
        "offered instead of EasyRec, which does not fit your framework"
    )


def test_tensorflow_user_keeps_easyrec(engine):
    advice = engine.advise(Answers(text="recommendation with CTR models", framework="tensorflow"))
    assert slugs(advice)[0] == "easyrec"
    assert reason(result(advice, "easyrec"), "framework").message_en == "supports TensorFlow"
    assert not reason(result(advice, "torcheasyrec"), "framework").passed


def test_any_framework_fits_and_no_framework_is_neutral(engine):
    advice = engine.advise(Answers(text="机器学习平台", framework="pytorch"))
    pai = reason(result(advice, "pai"), "framework")
    assert pai.passed and pai.contribution > 0
    assert "works with PyTorch" in pai.message_en
    twins = [
        entry("db-neutral", "graph database"),
        entry("db-tf", "graph database", frameworks={"tensorflow"}),
    ]
    advice = Engine(twins, [], labels=LABELS).advise(
        Answers(text="graph database", framework="pytorch")
    )
    assert slugs(advice) == ["db-neutral", "db-tf"]
    neutral, conflicting = advice.projects
    # Not saying which framework it runs is less than supporting it, a conflict less still.
    assert reason(conflicting, "framework").contribution < reason(neutral, "framework").contribution
    assert not reason(conflicting, "framework").passed
    assert conflicting.score < neutral.score


def test_framework_inferred_from_the_text(engine):
    advice = engine.advise(Answers(text="用PyTorch做推荐"))
    assert slugs(advice)[0] == "torcheasyrec"
    assert any("framework PyTorch" in note.message_en for note in advice.notes)


def test_a_corrected_typo_is_said_in_a_note(engine):
    advice = engine.advise(Answers(text="pytroch recommendation"))
    notes = [note for note in advice.notes if note.code == "corrected"]
    assert [note.message_en for note in notes] == [
        "read with corrected spelling: pytroch → pytorch"
    ]
    assert "pytroch → pytorch" in notes[0].message_zh
    assert not [n for n in engine.advise(Answers(text="pytorch")).notes if n.code == "corrected"]


def test_without_rules_text_alone_decides(engine):
    plain = Engine(ENTRIES, STACKS, use_rules=False, labels=LABELS)
    advice = plain.advise(Answers(text="电商广告点击率预估", framework="pytorch"))
    assert slugs(advice)[0] == "easyrec"


# --- Data type, scale, scenario, deployment -----------------------------------------------


def test_data_type_fit(engine):
    advice = engine.advise(Answers(text="risk control", data_types=frozenset({"graph"})))
    graph = reason(result(advice, "graphscope"), "data-type")
    assert graph.passed and graph.message_en == "handles graph data"
    advice = engine.advise(Answers(text="recommendation", data_types=frozenset({"graph"})))
    miss = reason(result(advice, "easyrec"), "data-type")
    assert not miss.passed and miss.message_en == "does not handle graph data"
    assert miss.contribution < 0  # an entry that cannot handle the user's data is penalised
    assert reason(result(advice, "graph-learn"), "data-type").passed


def test_scale_fit(engine):
    advice = engine.advise(Answers(scenario="knowledge-graph", scale="massive"))
    assert slugs(advice)[0] == "graphscope"
    assert reason(result(advice, "graphscope"), "scale").message_en == "fits massive scale"
    small = reason(result(advice, "tugraph-db"), "scale")
    assert not small.passed
    assert small.message_en == "made for one machine; yours is massive scale"


def test_scenario_fit_orders_equal_texts():
    twins = [
        entry("alpha", "graph engine", scenarios={"social-network"}),
        entry("beta", "graph engine", scenarios={"risk-control"}),
    ]
    advice = Engine(twins, [], labels=LABELS).advise(
        Answers(text="graph engine", scenario="risk-control")
    )
    assert slugs(advice) == ["beta", "alpha"]
    assert reason(advice.projects[0], "scenario").message_en == "made for risk control"
    assert not reason(advice.projects[1], "scenario").passed


def test_scenario_inferred_from_chinese_text(engine):
    advice = engine.advise(Answers(text="风控"))
    top = advice.projects[0]
    assert reason(top, "scenario").message_en == (
        "made for risk control (inferred from your question)"
    )


def test_deployment_managed_prefers_cloud_services(engine):
    advice = engine.advise(Answers(text="推荐", deployment="managed", framework=""))
    assert slugs(advice)[0] == "airec"
    assert reason(result(advice, "airec"), "deployment").passed
    assert not reason(result(advice, "easyrec"), "deployment").passed


def test_deployment_self_hosted_prefers_open_source(engine):
    advice = engine.advise(Answers(text="智能推荐 托管 推荐服务", deployment="self-hosted"))
    ranking = slugs(advice)
    assert ranking[0] in ("easyrec", "torcheasyrec")
    airec = result(advice, "airec")
    assert not reason(airec, "deployment").passed
    assert "cannot be self-hosted" in reason(airec, "deployment").message_en


# --- Maintenance and hard filters --------------------------------------------------------


def test_unmaintained_entry_is_demoted_and_its_successor_promoted(engine):
    advice = engine.advise(Answers(text="EasyTransfer"))
    ranking = slugs(advice)
    assert ranking[0] == "easynlp"
    assert ranking.index("easytransfer") > 0
    easynlp = advice.projects[0]
    assert easynlp.replaces == "easytransfer"
    assert "successor of EasyTransfer" in reason(easynlp, "replaces").message_en
    old = result(advice, "easytransfer")
    note = reason(old, "maintenance")
    assert note.message_en == (
        "unmaintained (last release 2022); successor EasyNLP (built on PyTorch)"
    )
    assert note.message_zh == "已停止维护（最近发布于 2022 年）；后继项目 EasyNLP（基于 PyTorch）"
    assert note.contribution < 0
    assert reason(old, "name").message_en.startswith("you named EasyTransfer")


def test_maintained_only_removes_unmaintained_but_keeps_successor(engine):
    advice = engine.advise(Answers(text="EasyTransfer 迁移学习", maintained_only=True))
    assert "easytransfer" not in slugs(advice)
    assert slugs(advice)[0] == "easynlp"
    assert any("unmaintained" in note.message_en for note in advice.notes)


def test_open_source_only_removes_cloud_services(engine):
    advice = engine.advise(Answers(text="智能推荐 AIRec 托管推荐服务", open_source_only=True))
    assert advice.projects
    assert "airec" not in slugs(advice)
    assert "pai" not in slugs(advice)
    assert slugs(advice)[0] in ("easyrec", "torcheasyrec")
    assert any("not open source" in note.message_en for note in advice.notes)


# --- Text and synonyms -------------------------------------------------------------------


def test_english_question_matches_chinese_only_text():
    docs = [entry("zh-only", "高性能图数据库"), entry("other", "向量检索引擎")]
    advice = Engine(docs, [], labels=LABELS).advise(Answers(text="graph database"))
    assert slugs(advice) == ["zh-only"]
    assert "graph database" in advice.projects[0].matched_terms
    without = Engine(docs, [], use_synonyms=False, labels=LABELS).advise(
        Answers(text="graph database")
    )
    assert without.projects == ()


def test_chinese_question_matches_english_only_text():
    docs = [entry("en-only", "federated learning framework"), entry("other", "image toolbox")]
    advice = Engine(docs, [], labels=LABELS).advise(Answers(text="联邦学习"))
    assert slugs(advice) == ["en-only"]
    assert reason(advice.projects[0], "text").message_zh.startswith("匹配词：")


@pytest.mark.parametrize(
    ("question", "expected"),
    [("AliGraph", "graph-learn"), ("v6d", "vineyard"), ("TorchEasyRec", "torcheasyrec")],
)
def test_project_aliases(engine, question, expected):
    advice = engine.advise(Answers(text=f"what replaced {question}?"))
    assert slugs(advice)[0] == expected


def test_matched_terms_are_reported(engine):
    advice = engine.advise(Answers(text="推荐 CTR"))
    terms = result(advice, "easyrec").matched_terms
    assert "CTR" in terms and "推荐" in terms  # as the user wrote them
    message = reason(result(advice, "easyrec"), "text").message_en
    assert message.startswith("matched: ") and "CTR" in message


# --- Stacks ------------------------------------------------------------------------------


def test_covering_stack_wins(engine):
    advice = engine.advise(Answers(scenario="recommendation", framework="tensorflow"))
    listed = [s.slug for s in advice.stacks]
    assert "tf-recsys" in listed[:2]  # the managed stack may lead: it runs any framework
    assert "torch-recsys" not in listed
    top = advice.stacks[listed.index("tf-recsys")]
    deeprec = next(m for m in top.members if m.slug == "deeprec")
    assert deeprec.adds.message_en.startswith(
        "DeepRec: training engine for huge sparse embeddings"
    )
    assert any(r.code == "stack-coverage" and r.passed for r in top.reasons)


def test_framework_conflict_swaps_the_stack(engine):
    advice = engine.advise(Answers(scenario="recommendation", framework="pytorch"))
    stack_slugs = [s.slug for s in advice.stacks]
    assert "tf-recsys" not in stack_slugs
    torch = next(s for s in advice.stacks if s.slug == "torch-recsys")
    assert torch.hidden_counterpart == "tf-recsys"
    swap = next(r for r in torch.reasons if r.code == "stack-framework")
    # torch-recsys fits on its own: the swap is a note on the hidden stack, not its reason.
    assert swap.message_en == (
        "the counterpart TensorFlow recommendation stack is not shown: its core members do not "
        "support PyTorch"
    )
    assert swap.message_zh == "未列出对应的“TensorFlow 推荐栈”：其核心成员不支持 PyTorch"


def test_hard_filters_drop_optional_members_and_unusable_stacks(engine):
    advice = engine.advise(
        Answers(scenario="recommendation", framework="tensorflow", open_source_only=True,
                maintained_only=True)
    )
    stack_slugs = [s.slug for s in advice.stacks]
    assert "managed-recsys" not in stack_slugs  # its only member is a cloud service
    tf = next(s for s in advice.stacks if s.slug == "tf-recsys")
    assert "proxima" not in [m.slug for m in tf.members]
    assert any(r.code == "stack-member-dropped" for r in tf.reasons)


def test_choice_group_puts_the_better_alternative_first(engine):
    advice = engine.advise(Answers(text="graph risk control", scale="massive"))
    stack = next(s for s in advice.stacks if s.slug == "graph-risk-control")
    group = [m for m in stack.members if m.choice_group == "engine"]
    assert [m.slug for m in group] == ["graphscope", "tugraph-db"]
    assert group[0].score >= group[1].score


# --- Confidence and follow-up --------------------------------------------------------------


def test_empty_answers_ask_for_a_scenario(engine):
    advice = engine.advise(Answers())
    assert advice.projects == () and advice.stacks == ()
    assert advice.low_confidence and advice.confidence == 0
    assert advice.follow_up.field == "scenario"
    assert advice.follow_up.message_zh and advice.follow_up.message_en


def test_nothing_matches_means_no_fit(engine):
    advice = engine.advise(Answers(text="qwertyuiop zxcvbnm"))
    assert advice.low_confidence and advice.verdict == "no-fit"
    assert advice.projects == () and advice.nearest == ()
    assert advice.follow_up is None


def test_nothing_matches_structured_answers_is_unsure_not_no_fit():
    shipped = _Engine(ENTRIES, STACKS, labels=LABELS)  # with its verdict
    advice = shipped.advise(Answers(text="qwertyuiop", scenario="recommendation"))
    assert advice.verdict == "unsure" and advice.low_confidence
    assert advice.follow_up is not None


def test_split_between_frameworks_asks_for_the_framework_when_unsure():
    answers = Answers(text="recommendation models", scenario="recommendation")
    confident = Engine(ENTRIES, STACKS).advise(answers)
    assert confident.verdict == "fit" and confident.follow_up is None  # only when unsure
    unsure = replace(RANKING_ONLY, unsure_below=1.01)  # every chance is below: unsure
    advice = Engine(ENTRIES, STACKS, model=unsure).advise(answers)
    assert advice.verdict == "unsure" and advice.low_confidence
    assert advice.follow_up is not None
    assert advice.follow_up.field == "framework"
    assert "TensorFlow or PyTorch" in advice.follow_up.message_en


def test_clear_question_is_confident(engine):
    advice = engine.advise(
        Answers(text="CTR 推荐", scenario="recommendation", framework="tensorflow")
    )
    assert not advice.low_confidence
    assert advice.follow_up is None
    assert 0.5 < advice.confidence <= 1


# --- Invariants --------------------------------------------------------------------------

MANY_ANSWERS = [
    Answers(text="recommendation with CTR models", framework="pytorch"),
    Answers(text="EasyTransfer", maintained_only=True),
    Answers(scenario="risk-control", data_types=frozenset({"graph", "text"}), scale="single"),
    Answers(text="图数据库 风控", deployment="managed", open_source_only=True),
    Answers(text="<script>alert(1)</script>' OR 1=1 --"),
    Answers(text="推荐 " * 2000),
    Answers(framework="javascript"),
]


@pytest.mark.parametrize("answers", MANY_ANSWERS)
def test_scores_and_confidence_stay_in_range(engine, answers):
    advice = engine.advise(answers)
    assert 0 <= advice.confidence <= 1
    for project in advice.projects:
        assert 0 <= project.score <= 1
        for why in project.reasons:
            assert math.isfinite(why.contribution)
            assert why.message_zh and why.message_en
    for stack in advice.stacks:
        assert 0 <= stack.score <= 1
        assert all(m.adds is not None for m in stack.members)
    scores = [p.score for p in advice.projects]
    assert scores == sorted(scores, reverse=True)


def test_ties_are_broken_by_slug_and_advice_is_deterministic():
    twins = [entry(slug, "graph engine") for slug in ("zeta", "alpha", "mid")]
    engine = Engine(twins, [], labels=LABELS)
    first = engine.advise(Answers(text="graph engine"))
    assert slugs(first) == ["alpha", "mid", "zeta"]
    reversed_engine = Engine(list(reversed(twins)), [], labels=LABELS)
    assert reversed_engine.advise(Answers(text="graph engine")) == first
    assert engine.advise(Answers(text="graph engine")) == first


def test_limit_is_respected(engine):
    assert len(engine.advise(Answers(text="graph"), limit=2).projects) == 2


def test_weights_are_one_documented_frozen_object():
    assert isinstance(DEFAULT_WEIGHTS, Weights)
    with pytest.raises(AttributeError):
        DEFAULT_WEIGHTS.text = 1.0  # type: ignore[misc]
    assert "framework_conflict" in Weights.__doc__


def test_engine_imports_no_django():
    code = (
        "import sys; import advisor.engine.scoring, advisor.engine.evaluation; "
        "bad = [m for m in sys.modules if m.split('.')[0] == 'django']; "
        "assert not bad, bad"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert completed.returncode == 0, completed.stderr


@pytest.mark.parametrize(
    "answers",
    [
        Answers(text="recommendation with CTR models", framework="tensorflow"),
        Answers(text="graph database"),
        Answers(scenario="recommendation", framework="pytorch"),
        Answers(text="EasyTransfer"),
    ],
)
def test_a_large_catalog_ranks_a_retrieved_subset_with_the_same_top(monkeypatch, answers):
    import advisor.engine.scoring as scoring

    engine = Engine(ENTRIES, STACKS, labels=LABELS)
    full = [p.slug for p in engine.advise(answers).projects[:3]]
    monkeypatch.setattr(scoring, "CANDIDATES", 3)  # every catalog is "large" now
    state = engine.analyse(answers)
    assert len(state.scored) < len(ENTRIES) or not answers.text
    assert [p.slug for p in engine.advise(answers).projects[:3]] == full



@pytest.fixture(scope="module")
def cored() -> _Engine:
    """The test catalog with EasyRec as the core of the TensorFlow recommendation stack."""
    first = STACKS[0]
    members = tuple(
        replace(m, core=True) if m.slug == "easyrec" else m for m in first.members
    )
    return Engine(ENTRIES, [replace(first, members=members), *STACKS[1:]], labels=LABELS)


def _stack_core(engine: _Engine, answers: Answers) -> dict[str, float]:
    state = engine.analyse(answers)
    engine.rank(state)
    column = FEATURES.index("stack_core")
    return {item.slug: float(state.rows[i, column]) for i, item in enumerate(state.scored)}


def test_the_best_stacks_core_is_marked_when_the_question_names_nothing(cored):
    marked = _stack_core(cored, Answers(text="TensorFlow 推荐 训练", framework="tensorflow"))
    assert marked["easyrec"] > 0
    assert all(value == 0 for slug, value in marked.items() if slug != "easyrec")


def test_a_question_naming_what_it_asks_about_marks_no_stack_core(cored):
    # "Is DeepRec right for ...?" is answered about DeepRec, not with the best stack's core.
    marked = _stack_core(
        cored, Answers(text="DeepRec 适合 TensorFlow 推荐训练吗", framework="tensorflow")
    )
    assert marked and all(value == 0 for value in marked.values())


@pytest.mark.parametrize(
    ("text", "options"),
    [
        ("做推荐训练，Proxima 还是 DeepRec？", {"proxima", "deeprec"}),
        ("recommendation training: Proxima or DeepRec?", {"proxima", "deeprec"}),
        # One option is no entry (a framework): the other is the catalog's answer.
        ("recommendation recall: Proxima or Spark?", {"proxima"}),
    ],
)
def test_a_comparison_is_answered_with_its_options_first(engine, text, options):
    advice = engine.advise(Answers(text=text))
    assert set(slugs(advice)[: len(options)]) == options
