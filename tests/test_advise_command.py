"""`manage.py advise`: the same answers, validation and JSON as the API."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.test_advisor_web import fake_engine, vocabulary  # noqa: F401 - pytest fixtures

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("advise", *args, stdout=out)
    return out.getvalue()


def test_json_output_equals_the_api(client, fake_engine):  # noqa: F811
    printed = run(
        "电商推荐 <b>&",  # echoed in "query": both must escape markup the same way
        "--framework",
        "tensorflow",
        "--scenario",
        "recommendation",
        "--data-type",
        "tabular",
        "--data-type",
        "text",
        "--scale",
        "massive",
        "--deployment",
        "self-hosted",
        "--maintained-only",
        "--open-source-only",
        "--limit",
        "3",
        "--json",
        "--lang",
        "en",
    )
    api = client.get(
        "/api/advise/",
        {
            "q": "电商推荐 <b>&",
            "framework": "tensorflow",
            "scenario": "recommendation",
            "data_type": ["tabular", "text"],
            "scale": "massive",
            "deployment": "self-hosted",
            "maintained_only": "1",
            "open_source_only": "1",
            "limit": "3",
            "lang": "en",
        },
    )
    assert api.status_code == 200
    # Byte for byte the API's body (one serializer), plus the line end every command prints.
    assert printed == api.content.decode("utf-8") + "\n"
    assert json.loads(printed)["projects"]  # and it is real advice, not an empty answer
    assert "电商推荐 \\u003cb\\u003e\\u0026" in printed  # readable UTF-8; markup escaped
    assert fake_engine[0] == fake_engine[1]  # the engine was asked the same question


def test_json_defaults_to_chinese(fake_engine):  # noqa: F811
    payload = json.loads(run("--scenario", "recommendation", "--json"))
    assert payload["query"]["lang"] == "zh-hans"
    assert payload["stacks"][0]["name"] == "TensorFlow 推荐系统栈"


def test_text_summary(fake_engine):  # noqa: F811
    printed = run("low recommendation", "--lang", "en")
    assert "Confidence: 0.30 (low)" in printed
    assert "To sharpen the advice: How big is your data?" in printed
    assert "1. TensorFlow recommendation stack [tf-recsys] 82%" in printed
    assert "+ proxima: vector recall (optional)" in printed
    assert "1. EasyRec [easyrec] 78%" in printed
    assert "- matches: recommendation" in printed


def test_empty_answers_print_the_helpful_message(fake_engine):  # noqa: F811
    printed = run("--lang", "en")
    assert "describe your use case" in printed
    assert fake_engine == []


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--scenario", "nope"], "scenario"),
        (["--data-type", "smells"], "data_type"),
        (["--limit", "abc"], "limit"),
        (["--limit", "99"], "limit"),
        (["x" * 2001], "q"),
        (["--lang", "fr"], "fr"),
    ],
)
def test_invalid_input_is_a_command_error(fake_engine, args, expected):  # noqa: F811
    with pytest.raises(CommandError) as error:
        run(*args, "--lang", "en") if "--lang" not in args else run(*args)
    assert expected in str(error.value)
    assert fake_engine == []
