"""Running in production: headers, probes, login protection, HEAD, history ids, logging, and
the settings `check --deploy` sees with DEBUG off."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.django_db

PAGES = ["/", "/catalog/", "/catalog/?q=graph", "/advisor/", "/advisor/?q=recommendation"]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- Headers ---------------------------------------------------------------------------------


@pytest.mark.parametrize("url", PAGES)
def test_pages_send_a_strict_content_security_policy(client, small_catalog, url):
    response = client.get(url)
    assert response.status_code == 200
    policy = {
        directive.split()[0]: directive.split()[1:]
        for directive in response["Content-Security-Policy"].split(";")
        if directive.strip()
    }
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert not any("unsafe" in value for values in policy.values() for value in values)
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("url", PAGES)
def test_pages_have_no_inline_script_or_style(client, small_catalog, url):
    import re

    html = client.get(url).content.decode()
    assert not re.search(r"\sstyle\s*=", html), "inline style attribute"
    assert "<style" not in html
    assert not re.search(r"\son[a-z]+\s*=", html), "inline event handler"
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag, tag  # every script is a file
    assert '"includeIndicatorStyles": false' in html


def test_the_admin_sends_the_same_policy(admin_client):
    response = admin_client.get(reverse("admin:index"))
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


# --- HEAD ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/catalog/",
        "/catalog/compare/?p=t-one",
        "/advisor/",
        "/advisor/decision-record.md?q=graph",
    ],
)
def test_head_answers_like_get_without_a_body(client, small_catalog, url):
    get = client.get(url)
    head = client.head(url)
    assert head.status_code == get.status_code == 200
    assert head["Content-Type"] == get["Content-Type"]
    assert head.content == b""


def test_head_on_a_detail_page_answers_like_get(client, small_catalog):
    slug = next(iter(small_catalog.values())).slug
    url = reverse("catalog:detail", args=[slug])
    assert client.head(url).status_code == client.get(url).status_code == 200
    assert client.head("/catalog/no-such-entry/").status_code == 404


# --- History ids -----------------------------------------------------------------------------

HISTORY_MODELS = [
    "project", "link", "relation", "stack", "stackmember",
    "category", "framework", "datatype", "scale", "scenario",
]  # fmt: skip


@pytest.mark.parametrize("model", HISTORY_MODELS)
@pytest.mark.parametrize("bad", ["abc", "1.5", "-1", "１", "9" * 40, "1%20OR%201=1"])
def test_non_integer_history_ids_are_404(admin_client, model, bad):
    assert admin_client.get(f"/admin/catalog/{model}/{bad}/history/").status_code == 404
    assert admin_client.get(f"/admin/catalog/{model}/1/history/{bad}/").status_code == 404
    assert admin_client.get(f"/admin/catalog/{model}/{bad}/history/1/").status_code == 404


def test_a_real_history_version_still_opens(admin_client, small_catalog):
    project = next(iter(small_catalog.values()))
    project.summary_en = "Changed for the history test."
    project.save()
    version = project.history.first()
    url = f"/admin/catalog/project/{project.pk}/history/"
    assert admin_client.get(url).status_code == 200
    assert admin_client.get(f"{url}{version.history_id}/").status_code == 200


# --- Probes ----------------------------------------------------------------------------------


def test_healthz_answers_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz", HTTP_HOST="10.0.0.7:8000")  # not an allowed host
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


def test_readyz_checks_the_database_and_builds_the_indexes(client, small_catalog, monkeypatch):
    from advisor import catalog_source
    from catalog import search, textstore

    search.clear_search_index()
    catalog_source.clear_engine_cache()
    response = client.get("/readyz", HTTP_HOST="10.0.0.7")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "indexes": "ok"}
    # Built: a page's search now reuses them.
    assert textstore.texts_cache()._entry is not None
    assert catalog_source.engine_cache()._entry is not None

    def broken():
        raise RuntimeError("index build failed")

    monkeypatch.setattr(textstore.texts_cache(), "_builder", broken)
    search.clear_search_index()
    failed = client.get("/readyz")
    assert failed.status_code == 503
    assert failed.json()["indexes"] == "failed"


def test_readyz_is_503_when_the_database_is_unreachable(client, monkeypatch):
    from django.db import connections

    def refuse(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr(connections["default"], "cursor", refuse)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unreachable"}


# --- Logging ---------------------------------------------------------------------------------


def test_a_disallowed_host_is_one_log_line(client):
    from io import StringIO

    handler = logging.getLogger("django.security.DisallowedHost").handlers[0]
    stream = handler.stream
    captured = StringIO()
    handler.setStream(captured)
    try:
        response = client.get("/catalog/", HTTP_HOST="evil.example.com")
    finally:
        handler.setStream(stream)
    assert response.status_code == 400
    lines = captured.getvalue().splitlines()
    assert lines == [
        "Invalid HTTP_HOST header: 'evil.example.com'. "
        "You may need to add 'evil.example.com' to ALLOWED_HOSTS."
    ]


# --- Login protection ------------------------------------------------------------------------


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user(
        username="editor", password="right-password-123", is_staff=True
    )


def login(client, password: str, *, language: str = "en", address: str = "203.0.113.5"):
    return client.post(
        reverse("admin:login"),
        {"username": "editor", "password": password, "next": "/admin/"},
        HTTP_ACCEPT_LANGUAGE=language,
        REMOTE_ADDR=address,
    )


def test_five_failures_lock_the_username_at_that_address(client, editor, caplog):
    caplog.set_level(logging.WARNING, logger="axes")
    for attempt in range(1, 5):
        response = login(client, f"wrong-{attempt}")
        assert response.status_code == 200, attempt  # the login form again, with its error
    locked = login(client, "wrong-5")
    assert locked.status_code == 429
    assert "Too many failed logins" in locked.content.decode()
    assert "5 times" in locked.content.decode() and "15 minutes" in locked.content.decode()
    assert locked["Retry-After"] == "900"
    # The right password no longer logs in from there...
    assert login(client, "right-password-123").status_code == 429
    assert "_auth_user_id" not in client.session
    # ...but the same username from another address, and another username, are not locked.
    assert login(client, "right-password-123", address="198.51.100.9").status_code == 302
    failures = [r for r in caplog.records if r.name.startswith("axes") and "fail" in r.message]
    assert len(failures) >= 5
    assert any("editor" in r.getMessage() for r in failures)


def test_the_lockout_page_speaks_chinese(client, editor):
    for attempt in range(5):
        response = login(client, f"wrong-{attempt}", language="zh-hans")
    assert response.status_code == 429
    text = response.content.decode()
    assert "登录失败次数过多" in text and "15 分钟" in text and 'lang="zh-hans"' in text


def test_the_lockout_lifts_after_the_cool_off(client, editor, settings):
    from datetime import timedelta

    from axes.models import AccessAttempt
    from django.utils import timezone

    for attempt in range(5):
        login(client, f"wrong-{attempt}")
    assert login(client, "right-password-123").status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert login(client, "right-password-123").status_code == 302


def test_a_success_before_the_limit_resets_the_count(client, editor):
    for attempt in range(4):
        login(client, f"wrong-{attempt}")
    assert login(client, "right-password-123").status_code == 302
    client.logout()
    for attempt in range(4):
        assert login(client, f"again-{attempt}").status_code == 200
    assert login(client, "right-password-123").status_code == 302


# --- Settings in other processes -------------------------------------------------------------


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"
    }
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "k" * 20 + "J8#fq@0x!vQz-2LmWp&c9RtY^b3Nd$hS",
    "DJANGO_ALLOWED_HOSTS": "advisor.example.com",
}


def test_check_deploy_reports_only_hsts_preload():
    result = run_manage("check", "--deploy", **PRODUCTION)
    output = result.stdout + result.stderr
    assert "security.W021" in output, output
    codes = set(__import__("re").findall(r"\(([a-z_.]+\.[WE]\d+)\)", output))
    assert codes == {"security.W021"}, output


def test_production_defaults_can_be_turned_off_explicitly():
    probe = (
        "from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS)"
    )
    on = run_manage("shell", "-v", "0", "-c", probe, **PRODUCTION)
    assert on.stdout.split() == ["True", "True", "True", "31536000", "True"], on.stderr
    off = run_manage(
        "shell", "-v", "0", "-c", probe, **PRODUCTION,
        DJANGO_SECURE_SSL_REDIRECT="0", DJANGO_SECURE_COOKIES="0",
    )  # fmt: skip
    assert off.stdout.split() == ["False", "False", "False", "31536000", "True"], off.stderr


def test_admin_url_moves_the_admin():
    probe = "from django.urls import reverse; print(reverse('admin:index'))"
    assert run_manage("shell", "-v", "0", "-c", probe).stdout.strip() == "/admin/"
    moved = run_manage("shell", "-v", "0", "-c", probe, DJANGO_ADMIN_URL="/editors-7f3a/")
    assert moved.stdout.strip() == "/editors-7f3a/", moved.stderr
