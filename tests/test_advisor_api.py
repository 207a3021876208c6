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
    assert response["Content-Type"] == "application/json"
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


def test_limit_bounds_are_accepted(client, fake_engine):  # noqa: F811
    assert (
        len(client.get(URL, {"scenario": "recommendation", "limit": "1"}).json()["projects"]) == 1
    )
    assert client.get(URL, {"scenario": "recommendation", "limit": "50"}).status_code == 200


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_only_get_is_allowed(fake_engine, method):  # noqa: F811
    client = Client(enforce_csrf_checks=True)  # as a real API client: no CSRF token
    response = getattr(client, method)(URL)
    assert response.status_code == 405
    assert response["Allow"] == "GET"


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
