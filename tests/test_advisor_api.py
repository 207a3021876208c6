"""GET /api/advise/: shapes, languages, 400s; and, with the real engine, freshness and cost."""

from __future__ import annotations

import pytest
from django.test import Client

from advisor.engine.types import Answers
from tests.test_advisor_web import fake_engine, vocabulary  # noqa: F401 - pytest fixtures

pytestmark = pytest.mark.django_db

URL = "/api/advise/"

PROJECT_KEYS = {"slug", "name", "score", "reasons", "matched_terms", "url"}
STACK_KEYS = {"slug", "name", "score", "members", "reasons", "swapped_from"}


def test_advice_shape(client, fake_engine):  # noqa: F811
    response = client.get(
        URL,
        {
            "q": "电商推荐",
            "scenario": "recommendation",
            "framework": "tensorflow",
            "data_type": ["tabular", "text"],
            "scale": "massive",
            "deployment": "self-hosted",
            "maintained_only": "1",
            "open_source_only": "true",
            "limit": "3",
            "lang": "en",
        },
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    assert body["query"] == {
        "q": "电商推荐",
        "scenario": "recommendation",
        "scale": "massive",
        "framework": "tensorflow",
        "data_type": ["tabular", "text"],
        "deployment": "self-hosted",
        "maintained_only": True,
        "open_source_only": True,
        "limit": 3,
        "lang": "en",
    }
    assert body["confidence"] == 0.8 and body["low_confidence"] is False
    assert body["follow_up"] is None and body["message"] is None
    assert [project["slug"] for project in body["projects"]] == ["easyrec", "deeprec", "airec"]
    project = body["projects"][0]
    assert PROJECT_KEYS <= set(project)
    assert project == {
        "slug": "easyrec",
        "name": "EasyRec",
        "score": 0.78,
        "reasons": [
            "matches: recommendation",
            "framework differs: PyTorch",
            "no longer maintained",
        ],
        "matched_terms": ["推荐", "recommendation"],
        "url": "/catalog/easyrec/",
    }
    stack = body["stacks"][0]
    assert STACK_KEYS <= set(stack)
    assert stack["slug"] == "tf-recsys" and stack["name"] == "TensorFlow recommendation stack"
    assert stack["swapped_from"] == "torch-recsys"
    assert stack["members"][0] == {
        "slug": "easyrec",
        "name": "EasyRec",
        "role": "model library",
        "optional": False,
        "adds": "brings the recommendation models",
    }
    assert stack["members"][1]["optional"] is True
    scores = [stack["score"] for stack in body["stacks"]]
    assert scores == sorted(scores, reverse=True)
    answers: Answers = fake_engine[0]
    assert answers.maintained_only and answers.open_source_only and answers.language == "en"


def test_reasons_follow_accept_language_and_default_to_chinese(client, fake_engine):  # noqa: F811
    chinese = client.get(URL, {"scenario": "recommendation"}).json()
    assert chinese["query"]["lang"] == "zh-hans"
    assert chinese["stacks"][0]["name"] == "TensorFlow 推荐系统栈"
    assert chinese["projects"][0]["reasons"][0] == "匹配：推荐"
    english = client.get(URL, {"scenario": "recommendation"}, HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["projects"][0]["reasons"][0] == "matches: recommendation"
    forced = client.get(
        URL, {"scenario": "recommendation", "lang": "zh-hans"}, HTTP_ACCEPT_LANGUAGE="en"
    ).json()
    assert forced["projects"][0]["reasons"][0] == "匹配：推荐"


def test_low_confidence_carries_the_follow_up(client, fake_engine):  # noqa: F811
    body = client.get(URL, {"q": "low", "lang": "en"}).json()
    assert body["low_confidence"] is True
    assert body["follow_up"] == {"field": "scale", "message": "How big is your data?"}


def test_empty_answers_get_a_message_and_empty_lists(client, fake_engine):  # noqa: F811
    response = client.get(URL, {"q": "  ", "lang": "en"})
    assert response.status_code == 200
    body = response.json()
    assert body["projects"] == [] and body["stacks"] == []
    assert "describe your use case" in body["message"]
    assert fake_engine == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"scenario": "no-such-scenario"}, "scenario"),
        ({"framework": "cobol"}, "framework"),
        ({"data_type": "smells"}, "data_type"),
        ({"scale": "huge"}, "scale"),
        ({"deployment": "moon"}, "deployment"),
        ({"q": "x" * 5000}, "q"),
        ({"limit": "abc"}, "limit"),
        ({"limit": "0"}, "limit"),
        ({"limit": "51"}, "limit"),
        ({"maintained_only": "perhaps"}, "maintained_only"),
        ({"lang": "fr"}, "lang"),
    ],
)
def test_invalid_input_is_a_400_with_field_errors(client, fake_engine, query, field):  # noqa: F811
    response = client.get(URL, query, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    body = response.json()
    assert list(body["errors"]) == [field]
    assert all(isinstance(message, str) and message for message in body["errors"][field])
    assert fake_engine == []


def test_errors_are_translated(client, fake_engine):  # noqa: F811
    body = client.get(URL, {"limit": "abc"}).json()
    assert body["errors"]["limit"] == ["输入整数。"]


@pytest.mark.parametrize("digits", [3, 5000])
def test_a_limit_of_many_digits_is_over_the_bound(client, fake_engine, digits):  # noqa: F811
    body = client.get(URL, {"limit": "9" * digits, "lang": "en"}).json()
    assert body["errors"] == {"limit": ["Ensure this value is less than or equal to 50."]}


def test_limit_bounds_are_accepted(client, fake_engine):  # noqa: F811
    assert (
        len(client.get(URL, {"scenario": "recommendation", "limit": "1"}).json()["projects"]) == 1
    )
    assert client.get(URL, {"scenario": "recommendation", "limit": "50"}).status_code == 200


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options"])
def test_only_get_and_head_are_allowed_with_a_json_405(fake_engine, method):  # noqa: F811
    client = Client(enforce_csrf_checks=True)  # as a real API client: no CSRF token
    response = getattr(client, method)(URL, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    assert body["allowed"] == ["GET", "HEAD"]
    assert isinstance(body["error"], str) and body["error"]
    assert fake_engine == []


def test_head_is_answered_like_get_without_a_body(client, fake_engine):  # noqa: F811
    response = client.head(URL, {"q": "x"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.content == b""


def test_markup_in_the_echoed_query_is_escaped(client, fake_engine):  # noqa: F811
    response = client.get(URL, {"q": "<script>x</script> & more"})
    raw = response.content.decode()
    assert response.status_code == 200
    assert "<script>" not in raw and "</script>" not in raw and " & " not in raw
    assert "\\u003cscript\\u003ex\\u003c/script\\u003e \\u0026 more" in raw
    assert response.json()["query"]["q"] == "<script>x</script> & more"  # same value, once parsed


@pytest.mark.parametrize(
    "query",
    [
        {"scenario": "<script>alert(1)</script>"},
        {"limit": "<b>1</b>"},
        {"lang": "<img src=x onerror=alert(1)>"},
    ],
)
def test_bad_values_in_400_messages_are_escaped(client, fake_engine, query):  # noqa: F811
    response = client.get(URL, query, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    raw = response.content.decode()
    assert "<" not in raw and ">" not in raw
    assert response.json()["errors"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"scenario": ["recommendation", "risk-control"]}, "scenario"),
        ({"q": ["a", "b"]}, "q"),
        ({"framework": ["tensorflow", "pytorch"]}, "framework"),
        ({"scale": ["single", "massive"]}, "scale"),
        ({"deployment": ["managed", "self-hosted"]}, "deployment"),
        ({"limit": ["2", "3"]}, "limit"),
        ({"maintained_only": ["1", "0"]}, "maintained_only"),
        ({"open_source_only": ["true", "false"]}, "open_source_only"),
        ({"q": "x", "lang": ["en", "zh-hans"]}, "lang"),
    ],
)
def test_a_single_value_parameter_given_twice_differently_is_a_400(
    client,
    fake_engine,  # noqa: F811
    query,
    field,
):
    response = client.get(URL, query, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    messages = response.json()["errors"][field]
    assert any(message.startswith("Give one value") for message in messages)
    assert fake_engine == []


def test_identical_repeats_are_accepted_and_data_type_stays_multi_valued(
    client,
    fake_engine,  # noqa: F811
):
    response = client.get(
        URL,
        {"scenario": ["recommendation", "recommendation"], "data_type": ["text", "graph"]},
    )
    assert response.status_code == 200
    query = response.json()["query"]
    assert query["scenario"] == "recommendation"
    assert query["data_type"] == ["graph", "text"]


def test_responses_vary_on_the_language_sources(client, fake_engine):  # noqa: F811
    for response in (
        client.get(URL, {"scenario": "recommendation"}),
        client.get(URL, {"scenario": "nope"}),
    ):
        vary = {value.strip() for value in response["Vary"].split(",")}
        assert {"Accept-Language", "Cookie"} <= vary


def test_the_language_cookie_picks_the_language(client, fake_engine):  # noqa: F811
    client.cookies["django_language"] = "en"
    body = client.get(URL, {"scenario": "recommendation"}, HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert body["query"]["lang"] == "en"
    assert body["projects"][0]["reasons"][0] == "matches: recommendation"


def test_member_and_project_names_follow_the_language(client, fake_engine):  # noqa: F811
    chinese = client.get(URL, {"scenario": "recommendation"}).json()
    english = client.get(URL, {"scenario": "recommendation", "lang": "en"}).json()
    assert chinese["stacks"][0]["members"][1]["name"] == "Proxima 向量检索"
    assert english["stacks"][0]["members"][1]["name"] == "Proxima"
    assert chinese["stacks"][0]["members"][0]["name"] == "EasyRec"  # no Chinese name: English
    assert chinese["projects"][1]["name"] == "DeepRec 深度推荐"
    assert english["projects"][1]["name"] == "DeepRec"
    assert set(chinese["stacks"][0]["members"][1]) == set(english["stacks"][0]["members"][1])


# --- With the real engine over the whole catalog -------------------------------------------


def test_an_admin_edit_shows_up_in_the_next_advice(client):
    """Editing an entry bumps the catalog version; the engine's index is rebuilt from it."""
    from catalog.models import Project

    term = "zorblaxification"
    before = client.get(URL, {"q": term, "lang": "en"}).json()
    assert "easyrec" not in [project["slug"] for project in before["projects"]]
    easyrec = Project.objects.get(slug="easyrec")
    easyrec.summary_en = f"{easyrec.summary_en} Supports {term} of sparse features."
    easyrec.save()
    after = client.get(URL, {"q": term, "lang": "en"}).json()
    assert after["projects"][0]["slug"] == "easyrec"
    assert term in after["projects"][0]["matched_terms"]


def test_an_admin_edit_through_the_admin_site_shows_up_too(admin_client):
    from catalog.models import Stack

    stack = Stack.objects.get(slug="tf-recsys")
    before = admin_client.get(URL, {"scenario": "recommendation", "lang": "en"}).json()
    assert stack.name_en in [item["name"] for item in before["stacks"]]
    stack.name_en = "Renamed TensorFlow recsys"
    stack.save()
    after = admin_client.get(URL, {"scenario": "recommendation", "lang": "en"}).json()
    assert "Renamed TensorFlow recsys" in [item["name"] for item in after["stacks"]]


def test_query_count_does_not_grow_with_the_catalog(client, django_assert_num_queries):
    from catalog.models import Category, Kind, Project

    params = {"q": "推荐", "scenario": "recommendation", "limit": "50"}
    client.get(URL, params)  # warm: engine and vocabularies built once per catalog version
    with django_assert_num_queries(2):  # the catalog version, read by each cache
        assert client.get(URL, params).status_code == 200
    category = Category.objects.first()
    for number in range(20):
        Project.objects.create(
            slug=f"extra-{number}",
            name=f"Extra recommender {number}",
            name_zh=f"额外推荐 {number}",
            kind=Kind.OPEN_SOURCE,
            category=category,
            org="Test",
            license="MIT",
            summary_zh="推荐系统",
            summary_en="A recommendation system.",
        )
    client.get(URL, params)  # rebuild after the change
    with django_assert_num_queries(2):
        body = client.get(URL, params).json()
    assert any(project["slug"].startswith("extra-") for project in body["projects"])
