"""Feedback (API and page form), the rate limit, the query log, the gap report and its export."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from advisor import gaps, querylog
from advisor.engine.evaluation import parse_cases
from advisor.models import Feedback, QueryRecord, Source
from tests.conftest import ROOT

pytestmark = pytest.mark.django_db

API = "/api/feedback/"
PAGE = "/advisor/feedback/"
ADVISE = "/api/advise/"
ADVISOR = "/advisor/"

GOOD = {
    "query": {"q": "电商推荐 CTR", "framework": "tensorflow", "lang": "en", "no_such_key": 1},
    "helpful": False,
    "expected": "easyrec",
    "comment": "I expected EasyRec first",
}


def post(client, body, **extra):
    raw = body if isinstance(body, bytes | str) else json.dumps(body)
    return client.post(API, raw, content_type="application/json", **extra)


@pytest.fixture
def query_log(settings):
    settings.ADVISOR_LOG_QUERIES = True


# --- POST /api/feedback/ -------------------------------------------------------------------


def test_feedback_is_recorded_without_a_csrf_token(real_catalog):
    client = Client(enforce_csrf_checks=True)  # no session, no token: a JSON API
    response = post(client, GOOD)
    assert response.status_code == 201
    assert response["Content-Type"] == "application/json; charset=utf-8"
    record = Feedback.objects.get(pk=response.json()["id"])
    assert response.json() == {"id": record.pk}
    assert record.helpful is False and record.expected.slug == "easyrec"
    assert record.comment == "I expected EasyRec first"
    assert record.text == "电商推荐 ctr"
    assert record.source == Source.API
    assert record.query["framework"] == "tensorflow" and "no_such_key" not in record.query
    assert record.verdict in {"fit", "unsure", "no-fit"} and record.top_entries


def test_markup_and_sql_in_a_comment_are_stored_as_text(client, real_catalog):
    comment = "<script>alert(1)</script>'; DROP TABLE advisor_feedback; --"
    response = post(client, {**GOOD, "comment": comment})
    assert response.status_code == 201
    assert Feedback.objects.get().comment == comment


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ("{not json", "body"),
        (b"\xff\xfe", "body"),
        ("[1, 2]", "body"),
        ('"text"', "body"),
        ({"helpful": True}, "query"),
        ({"query": "q=推荐", "helpful": True}, "query"),
        ({"query": {}, "helpful": True}, "query"),
        ({"query": {"q": "推荐"}}, "helpful"),
        ({"query": {"q": "推荐"}, "helpful": "yes"}, "helpful"),
        ({"query": {"q": "推荐"}, "helpful": 1}, "helpful"),
        ({"query": {"q": "推荐"}, "helpful": True, "expected": "no-such-entry"}, "expected"),
        ({"query": {"q": "推荐"}, "helpful": True, "expected": 7}, "expected"),
        ({"query": {"q": "推荐"}, "helpful": True, "comment": ["a"]}, "comment"),
        ({"query": {"q": "推荐"}, "helpful": True, "comment": "x" * 1001}, "comment"),
        ({"query": {"scenario": "no-such-scenario"}, "helpful": True}, "query.scenario"),
        ({"query": {"q": "推荐", "limit": 0}, "helpful": True}, "query.limit"),
        ({"query": {"q": "推荐", "limit": "many"}, "helpful": True}, "query.limit"),
        ({"query": {"q": "x" * 2001}, "helpful": True}, "query.q"),
        ({"query": {"q": ["a", "b"]}, "helpful": True}, "query.q"),
        ({"query": {"q": {"nested": 1}}, "helpful": True}, "query.q"),
        ({"query": {"q": "推荐", "maintained_only": "maybe"}, "helpful": True},
         "query.maintained_only"),
    ],
)
def test_bad_feedback_is_a_400_naming_the_field(client, real_catalog, body, field):
    response = post(client, body)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert field in errors and all(isinstance(m, str) and m for m in errors[field])
    assert not Feedback.objects.exists()


def test_a_body_over_16_kb_is_refused(client, real_catalog):
    body = json.dumps({**GOOD, "comment": "x" * 17_000})
    response = post(client, body)
    assert response.status_code == 400
    assert "16 KB" in response.json()["errors"]["body"][0]
    assert not Feedback.objects.exists()


def test_a_comment_of_exactly_1000_characters_is_fine(client, real_catalog):
    assert post(client, {**GOOD, "comment": "好" * 1000}).status_code == 201


def test_errors_follow_the_language(client, real_catalog):
    response = post(client, {"query": {"q": "推荐"}, "helpful": "yes"}, HTTP_ACCEPT_LANGUAGE="zh")
    assert response.json()["errors"]["helpful"] == ["请给出 true 或 false。"]


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_other_methods_get_a_json_405(client, method):
    response = getattr(client, method)(API)
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert response.json()["allowed"] == ["POST"]


# --- Rate limit ----------------------------------------------------------------------------


def test_feedback_is_rate_limited_per_address(client, real_catalog, settings):
    settings.ADVISOR_FEEDBACK_RATE_PER_HOUR = 3
    for _ in range(3):
        assert post(client, GOOD, REMOTE_ADDR="203.0.113.5").status_code == 201
    response = post(client, GOOD, REMOTE_ADDR="203.0.113.5")
    assert response.status_code == 429
    assert "3" in response.json()["errors"]["rate"][0]
    assert 0 < int(response["Retry-After"]) <= 3600
    assert Feedback.objects.count() == 3
    # Another address has its own count; a forged X-Forwarded-For does not reset it.
    assert post(client, GOOD, REMOTE_ADDR="203.0.113.6").status_code == 201
    forged = post(client, GOOD, REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="198.51.100.9")
    assert forged.status_code == 429


def test_behind_the_tls_proxy_the_forwarded_address_counts(client, real_catalog, settings):
    settings.ADVISOR_FEEDBACK_RATE_PER_HOUR = 1
    settings.BEHIND_TLS_PROXY = True
    proxy = "10.0.0.1"
    first = post(client, GOOD, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="1.1.1.1, 198.51.100.1")
    assert first.status_code == 201
    again = post(client, GOOD, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert again.status_code == 429
    other = post(client, GOOD, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert other.status_code == 201


def test_the_rate_limit_lives_in_the_shared_database_cache(settings):
    assert settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache")


@pytest.mark.parametrize(
    ("url", "backend"),
    [("redis://cache.internal:6379/1", "RedisCache"), ("", "DatabaseCache")],
)
def test_cache_url_selects_redis(url, backend):
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    env = {"DJANGO_SETTINGS_MODULE": "aliadvisor.settings", "CACHE_URL": url, "PATH": ""}
    out = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip().endswith(backend)


# --- The page's form -----------------------------------------------------------------------


def page_form(client, **params):
    html = client.get(ADVISOR, params).content.decode()
    token = client.cookies["csrftoken"].value
    return html, token


def test_the_advice_page_offers_feedback_with_the_question(real_catalog):
    client = Client(enforce_csrf_checks=True)
    html, _ = page_form(client, q="电商推荐", framework="tensorflow")
    assert 'id="advisor-feedback"' in html and f'action="{PAGE}"' in html
    assert 'name="query-q" value="电商推荐"' in html
    assert 'name="query-framework" value="tensorflow"' in html
    assert '<option value="easyrec">EasyRec</option>' in html
    assert 'name="helpful" value="yes"' in html and 'name="helpful" value="no"' in html


def test_the_expected_entry_list_follows_edits_and_escapes_names(real_catalog):
    from catalog.models import Project

    client = Client()
    project = Project.objects.get(slug="easyrec")
    project.name_zh = "EasyRec <推荐>"
    project.save()
    html, _ = page_form(client, q="电商推荐")
    assert '<option value="easyrec">EasyRec &lt;推荐&gt;</option>' in html  # Chinese name
    english = client.get(ADVISOR, {"q": "recommendation"}, HTTP_ACCEPT_LANGUAGE="en")
    assert '<option value="easyrec">EasyRec</option>' in english.content.decode()


def test_a_large_catalog_has_the_expected_entry_typed_by_name_or_slug(
    client, real_catalog, monkeypatch
):
    from advisor import feedback

    monkeypatch.setattr(feedback, "PICK_LIST_MAX", 10)  # the real catalog is "large" now
    feedback._pick_list.clear()
    html = client.get(ADVISOR, {"q": "电商推荐"}).content.decode()
    assert '<input type="text" name="expected" id="feedback-expected"' in html
    assert '<option value="easyrec">' not in html  # no list of every entry
    for typed, slug in (("  torcheasyrec ", "torcheasyrec"), ("EASYREC", "easyrec")):
        data = {"query-q": "电商推荐", "helpful": "no", "expected": typed}
        assert client.post(PAGE, data, HTTP_HX_REQUEST="true").status_code == 200
        assert Feedback.objects.latest("pk").expected.slug == slug
    unknown = {"query-q": "电商推荐", "helpful": "no", "expected": "A <b>manager</b>",
               "comment": "kept <i>"}
    response = client.post(PAGE, unknown, HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert "No catalog entry has the slug A &lt;b&gt;manager&lt;/b&gt;." in html
    # What was typed comes back in the form, escaped: nothing is lost.
    assert 'value="A &lt;b&gt;manager&lt;/b&gt;"' in html and ">kept &lt;i&gt;</textarea>" in html
    assert Feedback.objects.count() == 2


def test_an_exact_slug_wins_over_another_entrys_name(client, real_catalog):
    from catalog.models import Project

    Project.objects.filter(slug="deeprec").update(name="EASYREC")  # a name that is a slug
    data = {"query-q": "电商推荐", "helpful": "no", "expected": "easyrec"}
    assert client.post(PAGE, data, HTTP_HX_REQUEST="true").status_code == 200
    assert Feedback.objects.get().expected.slug == "easyrec"


def test_a_chinese_name_names_the_expected_entry(client, real_catalog):
    from django.db.models import F

    from catalog.models import Project

    named = Project.objects.exclude(name_zh="").exclude(name_zh=F("name")).first()
    data = {"query-q": "电商推荐", "helpful": "no", "expected": named.name_zh}
    assert client.post(PAGE, data, HTTP_HX_REQUEST="true").status_code == 200
    assert Feedback.objects.get().expected == named


def test_the_plain_form_posts_with_a_csrf_token(real_catalog):
    client = Client(enforce_csrf_checks=True)
    _, token = page_form(client, q="电商推荐")
    data = {"query-q": "电商推荐", "helpful": "no", "expected": "easyrec", "comment": "hm"}
    assert client.post(PAGE, data).status_code == 403  # no token: CSRF-checked
    response = client.post(PAGE, {**data, "csrfmiddlewaretoken": token})
    assert response.status_code == 200
    assert "<html" in response.content.decode()  # a full page without JavaScript
    record = Feedback.objects.get()
    assert (record.helpful, record.expected.slug, record.source) == (False, "easyrec", "page")
    assert 'href="/advisor/?q=' in response.content.decode()  # back to the same advice


def test_the_htmx_form_gets_the_box_back(client, real_catalog):
    data = {"query-q": "电商推荐", "query-data_type": ["tabular", "text"], "helpful": "yes"}
    response = client.post(PAGE, data, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert "feedback-thanks" in html
    assert set(Feedback.objects.get().query["data_type"]) == {"tabular", "text"}


def test_a_bad_page_form_shows_the_error(client, real_catalog):
    data = {"query-q": "电商推荐", "helpful": "perhaps", "expected": "no-such-entry"}
    plain = client.post(PAGE, data, HTTP_ACCEPT_LANGUAGE="en")
    assert plain.status_code == 400
    assert "No catalog entry has the slug no-such-entry." in plain.content.decode()
    htmx = client.post(PAGE, data, HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="en")
    assert htmx.status_code == 200 and "Give true or false." in htmx.content.decode()
    assert 'name="query-q" value="电商推荐"' in htmx.content.decode()  # the form stays usable
    assert not Feedback.objects.exists()


def test_the_page_form_only_takes_posts(client):
    assert client.get(PAGE).status_code == 405


@pytest.mark.parametrize(
    ("language", "text"),
    [("en", "No IP address, browser or account is stored."), ("zh-hans", "不保存 IP 地址")],
)
def test_the_advisor_page_says_what_is_stored_and_for_how_long(client, settings, language, text):
    settings.ADVISOR_QUERY_RETENTION_DAYS = 30
    html = client.get(ADVISOR, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert text in html
    assert ("30 days" if language == "en" else "30 天") in html


# --- Query log -----------------------------------------------------------------------------


def test_tests_do_not_log_unless_they_ask(client, real_catalog):
    client.get(ADVISE, {"q": "电商推荐"})
    assert not QueryRecord.objects.exists()


def test_an_api_question_is_logged_once_and_counted(client, real_catalog, query_log):
    client.get(ADVISE, {"q": "电商推荐  CTR", "lang": "en"})
    client.get(ADVISE, {"q": "电商推荐 ctr？", "lang": "zh-hans", "limit": "3"})  # same question
    record = QueryRecord.objects.get()
    assert record.times == 2 and record.text == "电商推荐 ctr"
    assert record.source == Source.API and record.top_entries
    assert set(record.params) >= {"q", "scenario", "framework", "data_type", "lang"}
    client.get(ADVISE, {"q": "电商推荐", "framework": "pytorch"})  # another question
    assert QueryRecord.objects.count() == 2


def test_what_is_not_logged(client, real_catalog, query_log):
    client.head(ADVISE, {"q": "电商推荐"})
    client.get(ADVISE, {"scenario": "no-such-scenario"})  # a 400
    client.get(ADVISE, {})  # nothing to rank
    client.get(ADVISOR, {"q": "电商推荐"}, HTTP_HX_REQUEST="true")  # a live update while typing
    client.get(
        ADVISOR,
        {"q": "电商推荐"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_HISTORY_RESTORE_REQUEST="true",
        HTTP_X_ADVISOR_SUBMIT="1",
    )
    call_command("advise", "电商推荐", stdout=StringIO())  # the CLI
    assert not QueryRecord.objects.exists()


def test_submitted_questionnaires_are_logged(client, real_catalog, query_log):
    client.get(ADVISOR, {"q": "电商推荐"})  # a full page (no JavaScript, or a permalink)
    client.get(ADVISOR, {"q": "电商推荐"}, HTTP_HX_REQUEST="true", HTTP_X_ADVISOR_SUBMIT="1")
    record = QueryRecord.objects.get()
    assert record.times == 2 and record.source == Source.PAGE


def test_the_log_can_be_turned_off(client, real_catalog, settings):
    settings.ADVISOR_LOG_QUERIES = False
    client.get(ADVISE, {"q": "电商推荐"})
    client.get(ADVISOR, {"q": "电商推荐"})
    assert not QueryRecord.objects.exists()


def test_logging_is_one_statement(client, real_catalog, query_log, django_assert_num_queries):
    params = {"q": "推荐", "scenario": "recommendation", "limit": "50"}
    client.get(ADVISE, params)  # warm the caches
    with django_assert_num_queries(3):  # the catalog version per cache, and the upsert
        client.get(ADVISE, {**params, "q": "推荐系统"})
    with django_assert_num_queries(3):  # the same question again: the same single statement
        client.get(ADVISE, {**params, "q": "推荐系统"})
    assert QueryRecord.objects.get(text="推荐系统").times == 2


def test_a_question_after_its_window_gets_a_new_row(client, real_catalog, query_log):
    client.get(ADVISE, {"q": "电商推荐"})
    QueryRecord.objects.update(window=models_window() - 1)
    client.get(ADVISE, {"q": "电商推荐"})
    assert sorted(QueryRecord.objects.values_list("times", flat=True)) == [1, 1]


def models_window() -> int:
    return int(timezone.now().timestamp()) // querylog.WINDOW_SECONDS


def make_record(text: str, *, verdict: str, days_ago: int = 0, times: int = 1, **params):
    when = timezone.now() - dt.timedelta(days=days_ago)
    params = {"q": text, "deployment": "any", "data_type": [], "lang": "en", **params}
    return QueryRecord.objects.create(
        fingerprint=querylog.fingerprint(params),
        window=int(when.timestamp()) // querylog.WINDOW_SECONDS,
        params=params,
        text=querylog.normalise_text(text),
        verdict=verdict,
        source=Source.API,
        times=times,
        created=when,
        last_seen=when,
    )


def test_purge_removes_what_is_older_than_the_retention(settings):
    settings.ADVISOR_QUERY_RETENTION_DAYS = 90
    make_record("old", verdict="fit", days_ago=91)
    kept = make_record("recent", verdict="fit", days_ago=89)
    old_feedback = Feedback.objects.create(query={"q": "old"}, helpful=True, verdict="fit")
    Feedback.objects.filter(pk=old_feedback.pk).update(
        created=timezone.now() - dt.timedelta(days=100)
    )
    Feedback.objects.create(query={"q": "new"}, helpful=True, verdict="fit")
    out = StringIO()
    call_command("purge_queries", stdout=out)
    assert "Deleted 1 query records and 1 feedback entries older than 90 days." in out.getvalue()
    assert list(QueryRecord.objects.all()) == [kept]
    assert Feedback.objects.count() == 1
    with pytest.raises(CommandError):
        call_command("purge_queries", "--days", "0")


# --- Gap report and export -----------------------------------------------------------------


@pytest.fixture
def gap_data(real_catalog):
    make_record("A password manager?", verdict="no-fit", times=3)
    make_record("a  password manager", verdict="unsure", days_ago=1)  # same normalised text
    make_record("电商推荐", verdict="fit", times=9)  # answered: not a gap
    make_record("", verdict="unsure", scenario="recommendation")  # structured only
    make_record("old question", verdict="no-fit", days_ago=40)
    from catalog.models import Project

    Feedback.objects.create(
        query={"q": "推荐系统冷启动"},
        text="推荐系统冷启动",
        helpful=False,
        expected=Project.objects.get(slug="airec"),
        comment="<script>x</script>",
        verdict="fit",
    )
    Feedback.objects.create(query={"q": "fine"}, text="fine", helpful=True, verdict="fit")


def test_gap_report_groups_by_normalised_text_with_counts(gap_data):
    report = {gap.key: gap for gap in gaps.gap_report()}
    password = report["a password manager"]
    assert password.asked == 4 and password.verdicts == {"no-fit": 3, "unsure": 1}
    cold = report["推荐系统冷启动"]
    assert cold.unhelpful == 1 and cold.expected == {"airec": 1} and cold.language == "zh"
    assert "电商推荐" not in report and "fine" not in report
    assert "old question" in report
    assert "old question" not in {gap.key for gap in gaps.gap_report(since_days=30)}
    assert next(iter(gaps.gap_report())).key == "a password manager"  # most frequent first


def test_export_gap_cases_prints_evaluation_cases(gap_data):
    out = StringIO()
    call_command("export_gap_cases", "--since", "30", stdout=out)
    cases = json.loads(out.getvalue())
    assert {case["answers"]["q"] for case in cases} >= {"A password manager?", "推荐系统冷启动"}
    assert "old question" not in {case["answers"]["q"] for case in cases}
    labelled = [case for case in cases if case["expected_projects"]]
    assert [case["expected_projects"] for case in labelled] == [["airec"]]
    # The evaluation's own parser reads them: labelled ones as cases, the rest as no-fit.
    parse_cases({"cases": labelled})
    parse_cases({"cases": [c for c in cases if not c["expected_projects"]]}, no_fit=True)
    structured = next(case for case in cases if not case["answers"]["q"])
    assert structured["answers"]["scenario"] == "recommendation"
    with pytest.raises(CommandError):
        call_command("export_gap_cases", "--since", "0")


def test_admin_lists_and_the_gap_view(admin_client, gap_data):
    for url in (
        "/admin/advisor/queryrecord/",
        "/admin/advisor/queryrecord/?verdict__exact=no-fit",
        f"/admin/advisor/queryrecord/?last_seen__year={timezone.now().year}",
        "/admin/advisor/feedback/",
        "/admin/advisor/feedback/?helpful__exact=0",
        "/admin/advisor/feedback/?verdict__exact=fit",
        f"/admin/advisor/queryrecord/{QueryRecord.objects.first().pk}/change/",
        f"/admin/advisor/feedback/{Feedback.objects.first().pk}/change/",
    ):
        assert admin_client.get(url).status_code == 200, url
    html = admin_client.get("/admin/advisor/queryrecord/gaps/").content.decode()
    assert "a password manager" in html and "推荐系统冷启动" in html and "airec 1" in html
    assert "<script>x</script>" not in html and "&lt;script&gt;x&lt;/script&gt;" in html
    recent = admin_client.get("/admin/advisor/queryrecord/gaps/?since=30").content.decode()
    assert "old question" not in recent
    assert "/admin/advisor/queryrecord/gaps/" in admin_client.get(
        "/admin/advisor/queryrecord/"
    ).content.decode()


def test_the_gap_view_is_for_staff_only(client):
    response = client.get("/admin/advisor/queryrecord/gaps/")
    assert response.status_code == 302 and "/login/" in response["Location"]


# --- The verdict as people see it ----------------------------------------------------------

NO_FIT_QUESTION = "an email newsletter service"


def test_api_no_fit_lists_no_advice_only_the_nearest(client, real_catalog):
    body = client.get(ADVISE, {"q": NO_FIT_QUESTION, "lang": "en"}).json()
    assert body["verdict"] == "no-fit" and body["low_confidence"] is True
    assert body["projects"] == [] and body["stacks"] == []
    assert 1 <= len(body["nearest"]) <= 3 and body["follow_up"] is None
    assert set(body["nearest"][0]) == {"slug", "name", "score", "reasons", "matched_terms", "url"}


def test_api_fit_and_unsure(client, real_catalog):
    fit = client.get(ADVISE, {"q": "电商推荐CTR", "framework": "tensorflow"}).json()
    assert fit["verdict"] == "fit" and fit["low_confidence"] is False
    assert fit["follow_up"] is None and fit["nearest"] == [] and fit["projects"]
    unsure = client.get(ADVISE, {"q": "a fast tool"}).json()
    assert unsure["verdict"] == "unsure" and unsure["low_confidence"] is True
    assert unsure["follow_up"] and unsure["projects"] and unsure["nearest"] == []
    empty = client.get(ADVISE, {}).json()
    assert empty["verdict"] == "unsure" and empty["nearest"] == []


@pytest.mark.parametrize(
    ("language", "heading", "nearest"),
    [
        ("en", "Nothing in the catalog fits this need", "Nearest entries (not recommended)"),
        ("zh-hans", "目录中没有符合这个需求的项目", "最接近的条目（非推荐）"),
    ],
)
def test_page_says_plainly_that_nothing_fits(client, real_catalog, language, heading, nearest):
    response = client.get(ADVISOR, {"q": NO_FIT_QUESTION}, HTTP_ACCEPT_LANGUAGE=language)
    html = response.content.decode()
    assert heading in html and nearest in html
    assert 'class="project project--nearest card"' in html
    assert "badge-best" not in html and 'id="projects-title"' not in html
    assert 'id="stacks-title"' not in html


def test_record_and_cli_say_nothing_fits(client, real_catalog):
    record = client.get(
        "/advisor/decision-record.md", {"q": NO_FIT_QUESTION}, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "**Nothing in the catalog fits this need." in record
    assert "### Nearest entries (not recommended)" in record
    assert "Recommended stack" not in record and "Top projects" not in record
    out = StringIO()
    call_command("advise", NO_FIT_QUESTION, "--lang", "en", stdout=out)
    text = out.getvalue()
    assert text.startswith("Nothing in the catalog fits this need.")
    assert "Nearest entries (not recommended):" in text and "Projects:" not in text
    zh = StringIO()
    call_command("advise", NO_FIT_QUESTION, stdout=zh)
    assert zh.getvalue().startswith("目录中没有符合这个需求的项目。")
