"""manage.py refresh_health, offline: GitHub's answers are recorded shapes served by respx."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import date
from io import StringIO

import httpx
import pytest
import respx
from django.core.management import CommandError, call_command
from django.utils import timezone

from catalog import github
from catalog.github import GitHubClient, GitHubError, RateLimited
from catalog.models import GitHubResponse, Project
from tests.conftest import ROOT

pytestmark = pytest.mark.django_db

API = "https://api.github.com"


# --- Recorded shapes (trimmed to the fields we read plus a few neighbours) --------------------


def repo_body(full_name: str, **overrides) -> dict:
    owner, name = full_name.split("/")
    body = {
        "id": 123456, "node_id": "R_kgDOABCDEF", "name": name, "full_name": full_name,
        "private": False, "owner": {"login": owner, "type": "Organization"},
        "html_url": f"https://github.com/{full_name}", "fork": False,
        "url": f"{API}/repos/{full_name}", "created_at": "2019-03-01T02:00:00Z",
        "updated_at": "2026-11-30T10:00:00Z", "pushed_at": "2026-11-29T09:00:00Z",
        "stargazers_count": 1234, "watchers_count": 1234, "forks_count": 321,
        "open_issues_count": 56, "archived": False, "disabled": False,
        "license": {"key": "apache-2.0", "spdx_id": "Apache-2.0"},
        "default_branch": "main", "visibility": "public",
    }  # fmt: skip
    body.update(overrides)
    return body


def commits_body(when: str, sha: str = "a1b2c3d4") -> list:
    return [{
        "sha": sha, "url": f"{API}/repos/x/y/commits/{sha}",
        "commit": {
            "author": {"name": "Dev", "date": "2026-10-01T00:00:00Z"},
            "committer": {"name": "GitHub", "date": when},
            "message": "Fix the build",
        },
    }]  # fmt: skip


def release_body(tag: str, published: str) -> dict:
    return {
        "url": f"{API}/repos/x/y/releases/1", "id": 1, "tag_name": tag, "name": tag,
        "draft": False, "prerelease": False, "created_at": "2026-09-01T00:00:00Z",
        "published_at": published,
    }  # fmt: skip


NOT_FOUND = {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"}


def mock_repo(router, full_name: str, *, branch="main", commit="2026-11-20T08:00:00Z",
              release=("v1.4.0", "2026-09-15T12:30:00Z"), etag_prefix="e"):
    """Routes for one healthy repository; returns them by name for call assertions."""
    base = f"/repos/{full_name}"
    etag = {"ETag": f'W/"{etag_prefix}-{full_name}"'}
    routes = {
        "repo": router.get(base).respond(200, json=repo_body(full_name, default_branch=branch),
                                         headers=etag),
        "commits": router.get(f"{base}/commits").respond(200, json=commits_body(commit),
                                                         headers=etag),
    }
    if release:
        routes["release"] = router.get(f"{base}/releases/latest").respond(
            200, json=release_body(*release), headers=etag
        )
    else:
        routes["release"] = router.get(f"{base}/releases/latest").respond(404, json=NOT_FOUND)
    return routes


@pytest.fixture
def repos(small_catalog):
    """alpha and beta on GitHub, delta elsewhere, epsilon a cloud service."""
    for slug, url in (
        ("alpha", "https://github.com/acme/alpha"),
        ("beta", "https://github.com/acme/beta.git"),
        ("delta", "https://gitee.com/acme/delta"),
        ("epsilon", "https://github.com/acme/epsilon"),  # a cloud service: never read
    ):
        Project.objects.filter(slug=slug).update(repo_url=url)
    return small_catalog


@pytest.fixture
def waits(monkeypatch):
    """Sleeps recorded instead of slept."""
    recorded: list[float] = []
    monkeypatch.setattr(github, "pause", recorded.append)
    return recorded


@pytest.fixture
def router():
    with respx.mock(base_url=API, assert_all_called=False) as mocked:
        yield mocked


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("refresh_health", *args, "--no-progress", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_failing(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as error:
        call_command("refresh_health", *args, "--no-progress", stdout=out, stderr=err)
    return str(error.value), err.getvalue()


def health(slug: str) -> dict:
    return Project.objects.filter(slug=slug).values(*Project.HEALTH_FIELDS).get()


UNREAD = {
    "last_commit": None, "last_release_tag": "", "last_release_date": None, "archived": None,
    "stars": None, "open_issues": None, "health_checked": None,
}  # fmt: skip


# --- Success -----------------------------------------------------------------------------------


def test_success_writes_every_signal_through_the_model(repos, router, waits):
    alpha = mock_repo(router, "acme/alpha")
    beta_routes = mock_repo(router, "acme/beta", branch="master",
                            commit="2025-01-05T07:30:00+08:00",
                            release=("2.0", "2024-12-31T20:00:00Z"))
    out, err = run()
    assert "Read 2 of 2 repositories: 2 read afresh, 0 unchanged (304), 0 failed." in out
    assert err == ""
    today = timezone.localdate()
    assert health("alpha") == {
        "last_commit": date(2026, 11, 20), "last_release_tag": "v1.4.0",
        "last_release_date": date(2026, 9, 15), "archived": False, "stars": 1234,
        "open_issues": 56, "health_checked": today,
    }  # fmt: skip
    beta = health("beta")
    # A timestamp with an offset is dated in UTC (23:30 on the 4th).
    assert beta["last_commit"] == date(2025, 1, 4) and beta["last_release_tag"] == "2.0"
    # The default branch is what the commits are read from.
    commits_request = beta_routes["commits"].calls.last.request
    assert commits_request.url.params["sha"] == "master"
    assert commits_request.url.params["per_page"] == "1"
    assert alpha["repo"].calls.last.request.headers["Accept"] == "application/vnd.github+json"
    assert "Authorization" not in alpha["repo"].calls.last.request.headers
    # Saved through the model: the history has the change, with its reason.
    record = Project.objects.get(slug="alpha").history.first()
    assert record.stars == 1234 and record.history_change_reason == "refresh_health"
    # The cloud service and the entry on another host were not read; no sleep was needed.
    assert not any("epsilon" in str(call.request.url) for call in router.calls)
    assert health("delta") == UNREAD and health("epsilon") == UNREAD
    assert waits == []
    # ETags are kept per request for the next run.
    assert GitHubResponse.objects.filter(url=f"{API}/repos/acme/alpha").get().etag == (
        'W/"e-acme/alpha"'
    )
    assert GitHubResponse.objects.count() == 6


def test_without_a_release_the_newest_of_the_first_tags_by_commit_date(repos, router, waits):
    mock_repo(router, "acme/alpha", release=None)
    commit_url = f"{API}/repos/acme/alpha/commits"
    router.get("/repos/acme/alpha/tags").respond(200, json=[
        {"name": "v0.9.1", "commit": {"sha": "aaa1", "url": f"{commit_url}/aaa1"}},
        {"name": "v0.10.0", "commit": {"sha": "bbb2", "url": f"{commit_url}/bbb2"}},
    ])  # fmt: skip
    router.get("/repos/acme/alpha/git/commits/aaa1").respond(
        200, json={"sha": "aaa1", "committer": {"date": "2023-02-01T00:00:00Z"}}
    )
    router.get("/repos/acme/alpha/git/commits/bbb2").respond(
        200, json={"sha": "bbb2", "committer": {"date": "2023-06-30T00:00:00Z"}}
    )
    run("alpha")
    values = health("alpha")
    assert (values["last_release_tag"], values["last_release_date"]) == (
        "v0.10.0", date(2023, 6, 30),
    )  # fmt: skip


def test_no_release_and_no_tag_leaves_the_release_empty(repos, router, waits):
    mock_repo(router, "acme/alpha", release=None)
    router.get("/repos/acme/alpha/tags").respond(200, json=[])
    run("alpha")
    values = health("alpha")
    assert values["last_release_tag"] == "" and values["last_release_date"] is None
    assert values["stars"] == 1234


def test_an_empty_repository_has_no_last_commit(repos, router, waits):
    mock_repo(router, "acme/alpha")
    router.get("/repos/acme/alpha/commits").respond(
        409, json={"message": "Git Repository is empty."}
    )
    run("alpha")
    assert health("alpha")["last_commit"] is None


def test_refreshed_values_stay_out_of_the_changes_feed(repos, router, waits, client):
    mock_repo(router, "acme/alpha")
    run("alpha")
    body = client.get("/catalog/changes.atom").content.decode()
    assert "stars" not in body and "Alpha: updated" not in body
    alpha = Project.objects.get(slug="alpha")
    alpha.summary_en = "An edited summary."
    alpha.save()
    assert "Alpha: English summary changed" in client.get("/catalog/changes.atom").content.decode()


def test_two_entries_on_one_repository_read_it_once(repos, router, waits):
    Project.objects.filter(slug="beta").update(repo_url="https://github.com/acme/alpha/tree/main/b")
    routes = mock_repo(router, "acme/alpha")
    run()
    assert routes["repo"].call_count == 1
    assert health("alpha")["stars"] == health("beta")["stars"] == 1234


def test_token_is_sent_when_set(repos, router, waits, monkeypatch):
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_example")
    routes = mock_repo(router, "acme/alpha")
    run("alpha")
    assert routes["repo"].calls.last.request.headers["Authorization"] == "Bearer ghp_example"


# --- 304 Not Modified --------------------------------------------------------------------------


def test_not_modified_keeps_the_values_and_dates_the_check(repos, router, waits):
    # A first run stores values and ETags...
    mock_repo(router, "acme/alpha")
    run("alpha")
    Project.objects.filter(slug="alpha").update(health_checked=date(2026, 1, 1))
    # ...the second sends them back and GitHub answers 304 to each.
    router.routes.clear()
    seen = []

    def not_modified(request):
        seen.append(request.headers.get("If-None-Match"))
        return httpx.Response(304, headers={"ETag": request.headers.get("If-None-Match", "")})

    router.route(host="api.github.com").mock(side_effect=not_modified)
    out, _err = run("alpha")
    assert seen == ['W/"e-acme/alpha"'] * 3
    assert "1 of 1 repositories: 0 read afresh, 1 unchanged (304)" in out
    values = health("alpha")
    assert values["stars"] == 1234 and values["last_release_tag"] == "v1.4.0"
    assert values["last_commit"] == date(2026, 11, 20)
    assert values["health_checked"] == timezone.localdate()


def test_a_full_run_drops_etags_no_longer_requested(repos, router, waits):
    GitHubResponse.objects.create(url=f"{API}/repos/acme/gone", etag='"x"', body="{}")
    kept = GitHubResponse.objects.create(url=f"{API}/repos/acme/alpha", etag='"old"', body="{}")
    mock_repo(router, "acme/alpha")
    mock_repo(router, "acme/beta")
    run()
    urls = set(GitHubResponse.objects.values_list("url", flat=True))
    assert f"{API}/repos/acme/gone" not in urls and kept.url in urls
    assert len(urls) == 6
    # A run for some entries keeps the others' ETags.
    GitHubResponse.objects.create(url=f"{API}/repos/acme/other", etag='"y"', body="{}")
    run("alpha")
    assert GitHubResponse.objects.filter(url=f"{API}/repos/acme/other").exists()


# --- Rate limits and server errors -------------------------------------------------------------


def test_rate_limit_is_waited_out_then_read(repos, router, waits):
    reset = int(time.time()) + 5
    limited = httpx.Response(
        403, json={"message": "API rate limit exceeded for 203.0.113.9."},
        headers={"X-RateLimit-Limit": "60", "X-RateLimit-Remaining": "0",
                 "X-RateLimit-Reset": str(reset)},
    )  # fmt: skip
    routes = mock_repo(router, "acme/alpha")
    routes["repo"].side_effect = [limited, httpx.Response(200, json=repo_body("acme/alpha"))]
    out, err = run("alpha")
    assert "1 read afresh" in out and err == ""
    assert len(waits) == 1 and 4 <= waits[0] <= 7  # until the reset, plus a second
    assert health("alpha")["stars"] == 1234


def test_secondary_rate_limit_honours_retry_after(repos, router, waits):
    routes = mock_repo(router, "acme/alpha")
    routes["commits"].side_effect = [
        httpx.Response(429, headers={"Retry-After": "7"}),
        httpx.Response(200, json=commits_body("2026-11-02T00:00:00Z")),
    ]
    run("alpha")
    assert waits == [7.0]
    assert health("alpha")["last_commit"] == date(2026, 11, 2)


def test_a_long_rate_limit_stops_the_run_and_names_what_was_not_read(repos, router, waits):
    router.get("/repos/acme/alpha").respond(
        403, json={"message": "API rate limit exceeded"},
        headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(int(time.time()) + 3600)},
    )  # fmt: skip
    beta = mock_repo(router, "acme/beta")
    message, err = run_failing("--max-wait", "60")
    assert "rate limit" in err and "set GITHUB_TOKEN" in err
    assert "stopped, not read: alpha, beta" in err
    assert "2 failed" in message and "Not read: alpha, beta." in message
    assert beta["repo"].call_count == 0 and waits == []
    assert health("alpha") == UNREAD


def test_forbidden_without_rate_limit_headers_is_not_retried(repos, router, waits):
    route = router.get("/repos/acme/alpha").respond(
        403, json={"message": "Repository access blocked"}
    )
    message, err = run_failing("alpha")
    assert route.call_count == 1 and waits == []
    assert "GitHub answered 403: Repository access blocked" in err


def test_server_errors_are_retried_with_backoff_until_exhausted(repos, router, waits):
    route = router.get("/repos/acme/alpha").respond(502, text="<html>Bad gateway</html>")
    mock_repo(router, "acme/beta")
    message, err = run_failing()
    assert route.call_count == 4  # one try and three retries
    assert waits == [1.0, 2.0, 4.0]
    assert "alpha: /repos/acme/alpha: GitHub answered 502 (4 attempts); skipped" in err
    assert "Not read: alpha." in message
    assert health("alpha") == UNREAD and health("beta")["stars"] == 1234


def test_a_timeout_is_retried(repos, router, waits):
    routes = mock_repo(router, "acme/alpha")
    routes["repo"].side_effect = [
        httpx.ConnectTimeout("timed out"), httpx.Response(200, json=repo_body("acme/alpha"))
    ]
    run("alpha")
    assert waits == [1.0] and health("alpha")["stars"] == 1234


def test_timeouts_exhausted_are_reported(repos, router, waits):
    router.get("/repos/acme/alpha").mock(side_effect=httpx.ReadTimeout("slow"))
    _message, err = run_failing("alpha", "--retries", "1")
    assert "timed out (2 attempts)" in err and waits == [1.0]


# --- Failures: nothing written -----------------------------------------------------------------


def test_not_found_is_reported_and_skipped(repos, router, waits):
    router.get("/repos/acme/alpha").respond(404, json=NOT_FOUND)
    mock_repo(router, "acme/beta")
    message, err = run_failing()
    assert "alpha: acme/alpha: not found (404)" in err and "skipped, nothing written" in err
    assert "Read 1 of 2 repositories" in message and "1 failed" in message
    assert health("alpha") == UNREAD
    assert health("beta")["health_checked"] == timezone.localdate()


def test_moved_repository_is_reported_with_its_new_home_and_not_rewritten(repos, router, waits):
    router.get("/repos/acme/alpha").respond(
        301,
        json={"message": "Moved Permanently", "url": f"{API}/repositories/123456",
              "documentation_url": "https://docs.github.com/rest"},
        headers={"Location": f"{API}/repositories/123456"},
    )  # fmt: skip
    router.get("/repositories/123456").respond(200, json=repo_body("acme-labs/alpha-ng"))
    _message, err = run_failing("alpha")
    assert "alpha: acme/alpha has moved to https://github.com/acme-labs/alpha-ng" in err
    assert "update its repository URL" in err
    alpha = Project.objects.get(slug="alpha")
    assert alpha.repo_url == "https://github.com/acme/alpha"
    assert health("alpha") == UNREAD


@pytest.mark.parametrize(
    "body",
    [
        "<html>Unicorn!</html>",  # not JSON
        json.dumps(["a", "list"]),  # JSON of another shape
        json.dumps({k: v for k, v in repo_body("acme/alpha").items() if k != "stargazers_count"}),
        json.dumps(repo_body("acme/alpha", stargazers_count="many")),
        json.dumps(repo_body("acme/alpha", archived=None)),
    ],
)
def test_malformed_body_is_reported_and_nothing_written(repos, router, waits, body):
    mock_repo(router, "acme/alpha")
    router.get("/repos/acme/alpha").respond(200, text=body, headers={"ETag": '"bad"'})
    _message, err = run_failing("alpha")
    assert "alpha:" in err and "skipped, nothing written" in err
    assert health("alpha") == UNREAD and GitHubResponse.objects.count() == 0


def test_a_failure_after_good_reads_writes_nothing_either(repos, router, waits):
    mock_repo(router, "acme/alpha")
    router.get("/repos/acme/alpha/commits").respond(
        200, json=[{"sha": "x", "commit": {"committer": {"date": "yesterday"}}}]
    )
    _message, err = run_failing("alpha")
    assert "'yesterday' is not a timestamp" in err
    assert health("alpha") == UNREAD
    assert GitHubResponse.objects.count() == 0  # not even the repository's ETag


# --- Choosing entries --------------------------------------------------------------------------


def test_unknown_slug_is_an_error_before_any_request(repos, router, waits):
    message, _err = run_failing("alpha", "nope", "<script>")
    assert "No catalog entry has the slug(s): <script>, nope." in message
    assert router.calls.call_count == 0


def test_named_entries_not_on_github_are_reported(repos, router, waits):
    mock_repo(router, "acme/alpha")
    out, err = run("alpha", "delta", "epsilon")
    assert "delta: not an open-source entry on GitHub; skipped" in err
    assert "epsilon: not an open-source entry on GitHub; skipped" in err
    assert "Read 1 of 1 repositories" in out


def test_bad_options_are_errors(repos):
    for args in (["--timeout", "0"], ["--retries", "-1"]):
        with pytest.raises(CommandError):
            call_command("refresh_health", *args, stdout=StringIO(), stderr=StringIO())


# --- The client on its own ----------------------------------------------------------------------


def test_client_redirect_without_api_location_reports_the_location(router):
    router.get("/repos/acme/alpha").respond(301, headers={"Location": "https://elsewhere.example/x"})
    with GitHubClient(sleep=lambda s: None) as client, pytest.raises(GitHubError) as error:
        client.read_health("acme/alpha")
    assert "moved to https://elsewhere.example/x" in str(error.value)


def test_client_rate_limit_on_the_last_attempt_is_rate_limited(router):
    router.get("/repos/acme/alpha").respond(429, headers={"Retry-After": "1"})
    slept = []
    with GitHubClient(max_retries=2, sleep=slept.append) as client:
        with pytest.raises(RateLimited):
            client.read_health("acme/alpha")
    assert slept == [1.0, 1.0]


def test_refresh_health_is_never_loaded_to_serve_requests():
    """The site's URLconf and views never import the GitHub client (or httpx)."""
    code = (
        "import django, sys; django.setup(); "
        "from django.urls import get_resolver; "
        "[p for p in get_resolver().url_patterns]; "
        "import catalog.views, catalog.api, advisor.views; "
        "print('catalog.github' in sys.modules, 'httpx' in sys.modules)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "aliadvisor.settings"}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
        check=True,
    )  # fmt: skip
    assert result.stdout.split() == ["False", "False"]
