"""Ranking details found by looking at real advice."""

import pytest

from advisor.engine.text import TextIndex
from advisor.engine.types import Answers


def test_a_long_document_on_the_topic_is_not_drowned_by_a_short_passing_mention():
    long_doc = " ".join(
        [
            "recommendation framework for large-scale recommendation models",
            "retrieval ranking multi-task models feature configuration",
            "parameter server embeddings online learning kafka streams",
            "distributed training evaluation export serving hyper-parameter search",
        ]
    )
    short_doc = "managed recommendation service"
    unrelated = "graph database with cypher queries"
    pivoted = TextIndex([("long", long_doc), ("short", short_doc), ("other", unrelated)])
    plain = TextIndex(
        [("long", long_doc), ("short", short_doc), ("other", unrelated)], pivot_slope=1.0
    )
    query = "recommendation models"
    assert plain.scores(query)["short"] > 0
    # Plain cosine gives the short mention almost the same weight; pivoting favours the
    # document that is about the topic.
    pivoted_gap = pivoted.scores(query)["long"] - pivoted.scores(query)["short"]
    plain_gap = plain.scores(query)["long"] - plain.scores(query)["short"]
    assert pivoted_gap > plain_gap
    assert pivoted.search(query)[0].key == "long"
    assert "other" not in {hit.key for hit in pivoted.search(query)}


@pytest.mark.django_db
def test_a_tensorflow_user_gets_easyrec_on_its_own_merit_not_as_a_stand_in():
    from advisor.catalog_source import get_engine

    advice = get_engine().advise(
        Answers(text="电商推荐", framework="tensorflow", language="en"), limit=5
    )
    slugs = [p.slug for p in advice.projects]
    assert "easyrec" in slugs[:3]
    easyrec = advice.projects[slugs.index("easyrec")]
    assert easyrec.replaces is None
    assert not any("instead" in r.message_en for r in easyrec.reasons)
    # Entries that do not run TensorFlow models (managed services) do not lead a TF user's list.
    top = advice.projects[0]
    assert top.kind == "open-source"
    assert advice.stacks[0].slug == "tf-recsys"


@pytest.mark.django_db
def test_low_confidence_results_are_not_called_a_best_fit(client):
    response = client.get("/advisor/?q=something+fast", HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Low confidence" in html
    assert "Best fit" not in html
    assert "Tentative stacks" in html and "Tentative matches" in html

    clear = client.get(
        "/advisor/?q=e-commerce+recommendation&scenario=recommendation&framework=tensorflow",
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()
    assert "Best fit" in clear and "Recommended stacks" in clear

    zh = client.get("/advisor/?q=something+fast", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "初步的技术栈" in zh and "初步匹配" in zh
