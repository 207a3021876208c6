"""The advisor's questionnaire page: validation, partial vs full page, results and reasons.

Rendering tests use a hand-built ``Advice`` (the engine is tested on its own); the tests at the
end run the real engine over the whole catalog.
"""

from __future__ import annotations

import dataclasses
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils.html import escape

from advisor import presentation, services
from advisor.engine.types import (
    Advice,
    Answers,
    FollowUp,
    MemberResult,
    ProjectResult,
    Reason,
    StackResult,
)
from advisor.forms import AdviceForm
from catalog.models import DataType, Framework, Scale, Scenario

pytestmark = pytest.mark.django_db

URL = "/advisor/"

VOCABULARY = {
    Scenario: [
        ("recommendation", "推荐系统", "Recommendation"),
        ("risk-control", "风控", "Risk control"),
    ],
    Framework: [("tensorflow", "TensorFlow", "TensorFlow"), ("pytorch", "PyTorch", "PyTorch")],
    DataType: [("text", "文本", "Text"), ("tabular", "表格", "Tabular"), ("graph", "图", "Graph")],
    Scale: [("single", "单机", "Single machine"), ("massive", "超大规模", "Massive")],
}


@pytest.fixture
def vocabulary():
    """The slugs these tests use (already there when the catalog fixture is loaded)."""
    for model, terms in VOCABULARY.items():
        for slug, name_zh, name_en in terms:
            model.objects.get_or_create(
                slug=slug, defaults={"name_zh": name_zh, "name_en": name_en}
            )


def reason(code: str, zh: str, en: str, contribution: float = 0.1, passed: bool = True) -> Reason:
    return Reason(code=code, message_zh=zh, message_en=en, contribution=contribution, passed=passed)


def fake_advice(answers: Answers, *, limit: int = 10, low: bool = False) -> Advice:
    """A plausible advice for a recommendation question, with every kind of reason."""
    stacks = (
        StackResult(
            slug="tf-recsys",
            name_zh="TensorFlow 推荐系统栈",
            name_en="TensorFlow recommendation stack",
            score=0.82,
            members=(
                MemberResult(
                    slug="easyrec",
                    name="EasyRec",
                    role_zh="模型库",
                    role_en="model library",
                    optional=False,
                    adds=reason("adds", "提供推荐模型", "brings the recommendation models"),
                ),
                MemberResult(
                    slug="proxima",
                    name="Proxima",
                    name_zh="Proxima 向量检索",
                    role_zh="向量召回",
                    role_en="vector recall",
                    optional=True,
                ),
            ),
            reasons=(
                reason("framework", "框架匹配：TensorFlow", "framework matches: TensorFlow"),
                reason("scale", "不支持单机", "not meant for one machine", -0.1, passed=False),
            ),
            hidden_counterpart="torch-recsys",
        ),
        StackResult(
            slug="managed-recsys",
            name_zh="托管推荐",
            name_en="Managed recommendation",
            score=0.41,
            members=(
                MemberResult(
                    slug="airec",
                    name="AIRec",
                    role_zh="托管推荐",
                    role_en="managed",
                    optional=False,
                ),
            ),
            reasons=(reason("deployment", "托管服务", "a managed service"),),
        ),
    )
    projects = tuple(
        ProjectResult(
            slug=slug,
            name=name,
            score=score,
            reasons=(
                reason("text", "匹配：推荐", "matches: recommendation"),
                reason("framework", "框架不符：PyTorch", "framework differs: PyTorch", -0.2, False),
                reason("maintenance", "已停止维护", "no longer maintained", 0.0),
            ),
            matched_terms=("推荐", "recommendation"),
            name_zh=name_zh,
        )
        for slug, name, name_zh, score in (
            ("easyrec", "EasyRec", "", 0.78),
            ("deeprec", "DeepRec", "DeepRec 深度推荐", 0.6),
            ("airec", "AIRec", "", 0.5),
            ("easynlp", "EasyNLP", "", 0.2),
        )
    )[:limit]
    return Advice(
        answers=answers,
        confidence=0.3 if low else 0.8,
        projects=projects,
        stacks=stacks,
        low_confidence=low,
        follow_up=FollowUp(
            field="scale", message_zh="数据有多大？", message_en="How big is your data?"
        )
        if low
        else None,
    )


@pytest.fixture
def fake_engine(monkeypatch, vocabulary):
    """Replace the engine with ``fake_advice``; records the answers it was asked."""
    calls: list[Answers] = []

    def advise(*, answers: Answers, limit: int = 10) -> Advice:
        calls.append(answers)
        return fake_advice(answers, limit=limit, low="low" in answers.text)

    monkeypatch.setattr(services, "advise", advise)
    return calls


# --- Form validation -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"scenario": "no-such-scenario"}, "scenario"),
        ({"framework": "cobol"}, "framework"),
        ({"scale": "galactic"}, "scale"),
        ({"data_type": ["text", "smells"]}, "data_type"),
        ({"deployment": "on-the-moon"}, "deployment"),
        ({"q": "x" * 2001}, "q"),
        ({"limit": "abc"}, "limit"),
        ({"limit": "0"}, "limit"),
        ({"limit": "51"}, "limit"),
        ({"maintained_only": "maybe"}, "maintained_only"),
        ({"open_source_only": "2"}, "open_source_only"),
    ],
)
def test_form_rejects_bad_input(vocabulary, data, field):
    form = AdviceForm(data)
    assert not form.is_valid()
    assert list(form.errors) == [field]


def test_form_normalises_valid_answers(vocabulary):
    form = AdviceForm(
        {
            "q": "  电商推荐  ",
            "scenario": "recommendation",
            "data_type": ["text", "tabular", "text"],
            "maintained_only": "true",
            "open_source_only": "0",
            "limit": "5",
        }
    )
    assert form.is_valid(), form.errors
    answers = services.answers_from_form(form=form, language="en")
    assert answers.text == "电商推荐"
    assert answers.scenario == "recommendation"
    assert answers.data_types == frozenset({"text", "tabular"})
    assert answers.deployment == "any"
    assert answers.maintained_only is True
    assert answers.open_source_only is False
    assert answers.language == "en"
    assert form.cleaned_data["limit"] == 5


def test_form_accepts_comma_separated_data_types_and_exactly_2000_characters(vocabulary):
    form = AdviceForm({"data_type": "text,graph,text", "q": "图" * 2000})
    assert form.is_valid(), form.errors
    in_vocabulary_order = [
        slug
        for slug in DataType.objects.values_list("slug", flat=True)
        if slug in {"text", "graph"}
    ]
    assert form.cleaned_data["data_type"] == in_vocabulary_order  # no repeats, stable order


def test_form_sees_a_vocabulary_term_added_in_the_admin(vocabulary):
    assert not AdviceForm({"scenario": "quantum-ml"}).is_valid()
    Scenario.objects.create(slug="quantum-ml", name_zh="量子机器学习", name_en="Quantum ML")
    assert AdviceForm({"scenario": "quantum-ml"}).is_valid()


# --- The page ------------------------------------------------------------------------------


def test_fresh_page_shows_the_questionnaire_and_what_to_fill_in(client, fake_engine):
    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<form id="advisor-form"' in html
    assert 'hx-get="/advisor/"' in html and 'hx-push-url="true"' in html
    assert 'name="q"' in html and 'name="scenario"' in html and 'name="data_type"' in html
    assert 'value="recommendation"' in html
    assert "Start with what you know" in html
    assert fake_engine == []  # nothing asked yet, nothing ranked


def test_empty_answers_get_a_helpful_message_not_a_ranking(client, fake_engine):
    response = client.get(URL, {"q": "   ", "deployment": "any"}, HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nothing to rank yet" in html
    assert "describe your use case" in html
    assert "Top projects" not in html
    assert fake_engine == []


@pytest.mark.parametrize(
    "query",
    [
        {"scenario": "no-such-scenario"},
        {"q": "x" * 5000},
        {"limit": "abc"},
        {"data_type": "smells"},
        {"maintained_only": "maybe"},
    ],
)
def test_bad_input_is_a_form_error_on_the_page(client, fake_engine, query):
    response = client.get(URL, query, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Please check your answers" in html
    assert 'class="callout callout-bad" role="alert"' in html
    assert "Top projects" not in html
    assert fake_engine == []


def test_script_tags_in_the_text_are_escaped(client, fake_engine):
    response = client.get(URL, {"q": "<script>alert(1)</script> recommendation"})
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_sql_fragments_are_just_text(client, fake_engine):
    response = client.get(URL, {"q": "'; DROP TABLE catalog_project; --"})
    assert response.status_code == 200
    assert fake_engine[0].text == "'; DROP TABLE catalog_project; --"


def test_results_show_stacks_members_reasons_and_projects_in_english(client, fake_engine):
    response = client.get(
        URL,
        {"q": "recommendation", "scenario": "recommendation", "framework": "tensorflow"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    html = response.content.decode()
    assert fake_engine[0].language == "en"
    assert "TensorFlow recommendation stack" in html
    assert "model library" in html and "brings the recommendation models" in html
    assert "optional" in html
    assert "framework matches: TensorFlow" in html
    assert "not meant for one machine" in html
    assert "swap-note" not in html  # the engine's reason says it; no second note
    assert 'href="/catalog/easyrec/"' in html
    assert "matches: recommendation" in html and "framework differs: PyTorch" in html
    assert "reason--pass" in html and "reason--fail" in html
    assert 'role="meter"' in html and 'aria-valuenow="78"' in html and "78%" in html
    assert "High confidence" in html


def test_results_are_in_chinese_by_default(client, fake_engine):
    response = client.get(URL, {"q": "电商推荐", "scenario": "recommendation"})
    html = response.content.decode()
    assert fake_engine[0].language == "zh"
    assert "TensorFlow 推荐系统栈" in html
    assert "框架匹配：TensorFlow" in html
    assert "模型库" in html
    assert "framework matches" not in html


def test_low_confidence_shows_the_follow_up_question_with_a_link_to_its_field(client, fake_engine):
    response = client.get(URL, {"q": "low confidence please"}, HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert "Low confidence" in html
    assert "How big is your data?" in html
    assert 'href="#field-scale"' in html
    assert 'id="field-scale"' in html
    assert "field--ask" in html  # the field is highlighted in the full page


def compare_link(html: str) -> dict[str, list[str]] | None:
    match = re.search(r'href="(/catalog/compare/\?[^"]+)"', html)
    return parse_qs(urlsplit(match.group(1).replace("&amp;", "&")).query) if match else None


def test_compare_link_takes_the_top_projects_close_to_the_best(client, fake_engine):
    html = client.get(URL, {"scenario": "recommendation"}).content.decode()
    # 0.78, 0.6 and 0.5 are all within 60% of the best; 0.2 would not be.
    assert compare_link(html) == {"p": ["easyrec", "deeprec", "airec"]}
    assert "(3)</a>" in html


def with_project_scores(monkeypatch, scores: list[float]) -> None:
    def advise(*, answers: Answers, limit: int = 10) -> Advice:
        advice = fake_advice(answers, limit=limit)
        projects = tuple(
            dataclasses.replace(project, score=score)
            for project, score in zip(advice.projects, scores, strict=False)
        )
        return dataclasses.replace(advice, projects=projects)

    monkeypatch.setattr(services, "advise", advise)


def test_compare_link_leaves_out_projects_far_below_the_best(client, vocabulary, monkeypatch):
    with_project_scores(monkeypatch, [0.9, 0.6, 0.3, 0.2])
    html = client.get(URL, {"scenario": "recommendation"}, HTTP_ACCEPT_LANGUAGE="en").content
    assert compare_link(html.decode()) == {"p": ["easyrec", "deeprec"]}
    assert "Compare these (2)</a>" in html.decode()


def test_no_compare_link_when_only_one_project_is_close_to_the_best(
    client, vocabulary, monkeypatch
):
    with_project_scores(monkeypatch, [0.9, 0.5, 0.4, 0.2])
    html = client.get(URL, {"scenario": "recommendation"}, HTTP_ACCEPT_LANGUAGE="en").content
    assert compare_link(html.decode()) is None
    assert "Compare these" not in html.decode()
    assert "EasyRec" in html.decode() and "DeepRec" in html.decode()  # the results are shown


def test_export_link_keeps_the_same_answers(client, fake_engine):
    params = {"q": "电商推荐", "scenario": "recommendation", "data_type": ["text", "tabular"]}
    response = client.get(URL, params)
    match = re.search(r'href="(/advisor/decision-record\.md\?[^"]+)"', response.content.decode())
    assert match
    query = parse_qs(urlsplit(match.group(1).replace("&amp;", "&")).query)
    assert query == {
        "q": ["电商推荐"],
        "scenario": ["recommendation"],
        "data_type": ["text", "tabular"],
    }


def test_answers_stay_filled_in(client, fake_engine):
    response = client.get(
        URL,
        {
            "q": "电商推荐",
            "scenario": "recommendation",
            "data_type": "tabular",
            "deployment": "self-hosted",
            "maintained_only": "1",
        },
    )
    html = response.content.decode()
    assert '<option value="recommendation" selected>' in html
    assert re.search(r'value="tabular" checked', html)
    assert re.search(r'value="self-hosted" checked', html)
    assert re.search(r'name="maintained_only" value="1" id="id_maintained_only" checked', html)
    assert ">电商推荐</textarea>" in html


def test_htmx_request_gets_only_the_results_partial(client, fake_engine):
    response = client.get(URL, {"scenario": "recommendation"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and "<form" not in html
    assert "TensorFlow 推荐系统栈" in html
    assert "HX-Request" in response["Vary"]


def test_full_page_varies_on_hx_request_too(client, fake_engine):
    response = client.get(URL, {"scenario": "recommendation"})
    html = response.content.decode()
    assert "<html" in html and '<form id="advisor-form"' in html
    assert "HX-Request" in response["Vary"]


def test_htmx_history_restore_gets_the_full_page(client, fake_engine):
    response = client.get(
        URL,
        {"scenario": "recommendation"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_HISTORY_RESTORE_REQUEST="true",
    )
    assert "<html" in response.content.decode()


def test_htmx_partial_shows_form_errors(client, fake_engine):
    response = client.get(URL, {"scenario": "nope"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<form" not in html
    assert 'href="#field-scenario"' in html


def test_catalog_ask_the_advisor_params_are_accepted(client, fake_engine):
    response = client.get(
        URL,
        {"scenario": "recommendation", "framework": "tensorflow", "data_type": "tabular", "q": "x"},
    )
    assert response.status_code == 200
    answers = fake_engine[0]
    assert (answers.scenario, answers.framework, answers.data_types) == (
        "recommendation",
        "tensorflow",
        frozenset({"tabular"}),
    )


def test_post_is_not_allowed(client, fake_engine):
    response = client.post(URL, {"q": "x"})
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


@pytest.mark.parametrize("url", [URL, "/advisor/decision-record.md"])
def test_head_is_allowed_on_the_page_and_the_record(client, fake_engine, url):
    response = client.head(url, {"scenario": "recommendation"})
    assert response.status_code == 200
    assert response.content == b""


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"scenario": ["recommendation", "risk-control"]}, "scenario"),
        ({"q": ["a", "b"]}, "q"),
        ({"limit": ["2", "3"]}, "limit"),
        ({"open_source_only": ["1", "0"]}, "open_source_only"),
    ],
)
def test_a_repeated_single_value_answer_is_a_form_error(client, fake_engine, query, field):
    response = client.get(URL, query, HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Please check your answers" in html
    assert f'href="#field-{field}"' in html
    assert "Give one value: 2 different values were given." in html
    assert fake_engine == []


def test_a_repeated_answer_is_reported_in_chinese_too(client, fake_engine):
    html = client.get(URL, {"scenario": ["recommendation", "risk-control"]}).content.decode()
    assert "只能给一个值" in html


def test_identical_repeats_and_several_data_types_are_fine(client, fake_engine):
    response = client.get(
        URL,
        {"scenario": ["recommendation", "recommendation"], "data_type": ["text", "tabular"]},
    )
    assert "Please check your answers" not in response.content.decode()
    assert fake_engine[0].scenario == "recommendation"
    assert fake_engine[0].data_types == frozenset({"text", "tabular"})


def test_form_reports_every_conflicting_field(vocabulary):
    from django.http import QueryDict

    form = AdviceForm(QueryDict("scale=single&scale=massive&framework=tensorflow&q=a&q=b"))
    assert not form.is_valid()
    assert set(form.errors) == {"scale", "q"}


def vary_of(response) -> set[str]:
    return {value.strip() for value in response["Vary"].split(",")}


@pytest.mark.parametrize("htmx", [False, True])
def test_page_varies_on_htmx_and_every_source_of_the_language(client, fake_engine, htmx):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = client.get(URL, {"scenario": "recommendation"}, **headers)
    assert {"HX-Request", "Accept-Language", "Cookie"} <= vary_of(response)


def test_the_language_cookie_picks_the_page_language(client, fake_engine):
    client.cookies["django_language"] = "en"
    html = client.get(
        URL, {"scenario": "recommendation"}, HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert "TensorFlow recommendation stack" in html and "TensorFlow 推荐系统栈" not in html


def test_member_names_follow_the_language(client, fake_engine):
    chinese = client.get(URL, {"scenario": "recommendation"}).content.decode()
    english = client.get(
        URL, {"scenario": "recommendation"}, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert 'class="member-name">Proxima 向量检索</a>' in chinese
    assert 'class="member-name">EasyRec</a>' in chinese  # no Chinese name: the English one
    assert 'class="member-name">Proxima</a>' in english and "向量检索" not in english


def test_page_query_count_is_constant(client, fake_engine, django_assert_max_num_queries):
    client.get(URL, {"scenario": "recommendation"})  # warm the caches
    with django_assert_max_num_queries(4):
        client.get(URL, {"scenario": "recommendation"})


# --- Decision record -----------------------------------------------------------------------

RECORD_URL = "/advisor/decision-record.md"


def test_decision_record_is_a_markdown_download(client, fake_engine):
    response = client.get(
        RECORD_URL,
        {
            "q": "e-commerce | recommendation",
            "scenario": "recommendation",
            "framework": "tensorflow",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="aliadvisor-decision-record.md"'
    text = response.content.decode()
    assert text.startswith("# AliAdvisor decision record")
    assert re.search(r"\*\*Date:\*\* \d{4}-\d{2}-\d{2}", text)
    assert "e-commerce \\| recommendation" in text  # user text cannot break the Markdown
    assert "**Scenario:** Recommendation" in text
    assert "### Recommended stack: TensorFlow recommendation stack (score 82%)" in text
    assert "| [EasyRec](http://testserver/catalog/easyrec/) | model library |" in text
    assert "vector recall (optional)" in text
    assert "- ✓ framework matches: TensorFlow" in text
    assert "- ✗ not meant for one machine" in text
    assert "### Other stacks" in text and "Managed recommendation" in text
    assert (
        "### Top projects" in text
        and "1. **[EasyRec](http://testserver/catalog/easyrec/)**" in text
    )
    assert "## Confidence" in text and "High confidence: 0.80" in text


def test_decision_record_follows_the_language_and_includes_the_follow_up(client, fake_engine):
    response = client.get(RECORD_URL, {"q": "low 推荐"})
    text = response.content.decode()
    assert text.startswith("# AliAdvisor 决策记录")
    assert "数据有多大？" in text


def test_decision_record_varies_on_the_language_sources(client, fake_engine):
    response = client.get(RECORD_URL, {"scenario": "recommendation"})
    assert {"Accept-Language", "Cookie"} <= vary_of(response)
    for refused in (client.get(RECORD_URL), client.get(RECORD_URL, {"scale": "huge"})):
        assert refused.status_code == 400  # its message is translated too
        assert {"Accept-Language", "Cookie"} <= vary_of(refused)
    client.cookies["django_language"] = "en"
    text = client.get(RECORD_URL, {"scenario": "recommendation"}).content.decode()
    assert text.startswith("# AliAdvisor decision record")


def test_decision_record_names_members_in_the_language(client, fake_engine):
    chinese = client.get(RECORD_URL, {"scenario": "recommendation"}).content.decode()
    english = client.get(
        RECORD_URL, {"scenario": "recommendation"}, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    proxima = "| [Proxima 向量检索](http://testserver/catalog/proxima/) | 向量召回（可选） |"
    assert proxima in chinese
    assert "| [Proxima](http://testserver/catalog/proxima/) |" in english


def test_low_confidence_record_says_it_is_a_starting_point(client, fake_engine):
    text = client.get(RECORD_URL, {"q": "low please"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "**Low confidence: treat this as a starting point.**" in text
    assert "### Tentative stack: TensorFlow recommendation stack (score 82%)" in text
    assert "Recommended stack" not in text and "Best fit" not in text
    assert text.index("Low confidence: treat") < text.index("### Tentative stack")
    chinese = client.get(RECORD_URL, {"q": "low please"}).content.decode()
    assert "**低置信度：请仅将以下内容作为起点。**" in chinese
    assert "### 初步建议的技术栈：TensorFlow 推荐系统栈" in chinese
    assert "推荐技术栈" not in chinese


def test_confident_record_has_no_starting_point_line(client, fake_engine):
    text = client.get(RECORD_URL, {"q": "sure"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "starting point" not in text
    assert "### Recommended stack: TensorFlow recommendation stack" in text


@pytest.mark.parametrize("query", [{"scenario": "nope"}, {"limit": "abc"}, {"q": "x" * 2001}])
def test_decision_record_rejects_invalid_answers(client, fake_engine, query):
    response = client.get(RECORD_URL, query, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert "cannot be recorded" in response.content.decode()
    assert fake_engine == []


def test_decision_record_needs_some_answers(client, fake_engine):
    response = client.get(RECORD_URL, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "nothing to record" in response.content.decode()


# --- With the real engine over the whole catalog -------------------------------------------

RECSYS = {"q": "电商推荐，数十亿样本", "scenario": "recommendation", "framework": "tensorflow"}


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= char <= "\u9fff" for char in text)


@pytest.mark.parametrize(("language", "other"), [("zh-hans", "en"), ("en", "zh-hans")])
def test_real_results_page_shows_the_engines_stacks_and_reasons(client, language, other):
    api = client.get("/api/advise/", {**RECSYS, "lang": language}).json()
    other_api = client.get("/api/advise/", {**RECSYS, "lang": other}).json()
    html = client.get(URL, RECSYS, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert api["stacks"] and api["projects"]
    assert "tf-recsys" in [stack["slug"] for stack in api["stacks"]]
    for stack in api["stacks"][:3]:
        assert f'id="stack-{stack["slug"]}"' in html
        assert escape(stack["name"]) in html
        for stack_reason in stack["reasons"]:
            assert escape(stack_reason) in html
    for project in api["projects"][:3]:
        assert f'href="/catalog/{project["slug"]}/"' in html
        for project_reason in project["reasons"]:
            assert escape(project_reason) in html
    # The reasons are in the page's language, not the other one.
    own = set(api["projects"][0]["reasons"])
    foreign = set(other_api["projects"][0]["reasons"]) - own
    assert foreign
    assert not any(escape(text) in html for text in foreign)
    assert has_chinese(api["stacks"][0]["name"]) == (language == "zh-hans")


def test_real_decision_record_names_the_chosen_stack_and_the_projects(client):
    api = client.get("/api/advise/", {**RECSYS, "lang": "en"}).json()
    response = client.get(RECORD_URL, RECSYS, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    text = response.content.decode()
    heading = "Tentative stack" if api["low_confidence"] else "Recommended stack"
    assert f"### {heading}: {api['stacks'][0]['name']}" in text
    assert ("starting point" in text) == api["low_confidence"]
    for project in api["projects"][:3]:
        assert f"/catalog/{project['slug']}/" in text
    assert "**Framework:** TensorFlow" in text


def test_real_follow_up_question_when_the_answers_are_vague(client):
    response = client.get(URL, {"q": "something fast"}, HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    api = client.get("/api/advise/", {"q": "something fast", "lang": "en"}).json()
    assert api["low_confidence"] is True and api["follow_up"]
    assert escape(api["follow_up"]["message"]) in html
    assert f'href="#field-{api["follow_up"]["field"]}"' in html


def test_real_chinese_page_and_record_name_members_in_chinese(client):
    """Graph-Learn's Chinese name is shown on a Chinese page, its English name on an English one."""
    query = {"q": "图神经网络训练", "data_type": "graph", "limit": "50"}
    api = client.get("/api/advise/", {**query, "lang": "zh-hans"}).json()
    members = {
        member["slug"]: member["name"] for stack in api["stacks"] for member in stack["members"]
    }
    assert members.get("graph-learn") == "Graph-Learn（原 AliGraph）"
    chinese = client.get(URL, query).content.decode()
    english = client.get(URL, query, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'class="member-name">Graph-Learn（原 AliGraph）</a>' in chinese
    assert 'class="member-name">Graph-Learn (formerly AliGraph)</a>' not in chinese
    assert 'class="member-name">Graph-Learn (formerly AliGraph)</a>' in english


def test_member_card_does_not_repeat_the_name_and_role():
    member = MemberResult(
        slug="easyrec",
        name="EasyRec",
        role_zh="模型库",
        role_en="Model library",
        optional=False,
        adds=reason(
            "adds",
            "EasyRec：模型库（覆盖 推荐、TensorFlow）",
            "EasyRec: Model library (covers recommendation, TensorFlow)",
            0.0,
        ),
    )
    english = presentation._member_adds(member, language="en")
    chinese = presentation._member_adds(member, language="zh")
    assert english is not None and chinese is not None
    assert english.text == "covers recommendation, TensorFlow"
    assert chinese.text == "覆盖 推荐、TensorFlow"
    bare = dataclasses.replace(
        member, adds=reason("adds", "EasyRec：模型库", "EasyRec: Model library")
    )
    assert presentation._member_adds(bare, language="en") is None


def test_every_ask_the_advisor_link_of_the_catalog_is_valid(client):
    """The detail pages' "Ask the advisor" links pre-fill the questionnaire; none may fail."""
    from catalog.models import Project

    projects = list(Project.objects.with_facets())
    assert len(projects) >= 40
    for project in projects:
        html = client.get(f"/catalog/{project.slug}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
        match = re.search(r'href="(/advisor/\?[^"]+)"', html)
        assert match, project.slug
        response = client.get(match.group(1).replace("&amp;", "&"), HTTP_ACCEPT_LANGUAGE="en")
        page = response.content.decode()
        assert response.status_code == 200
        assert "Please check your answers" not in page, project.slug
        assert 'id="projects-title"' in page, project.slug
