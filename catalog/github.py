"""Read a repository's health from GitHub's REST API with httpx (no Django in here).

Only ``manage.py refresh_health`` uses this, never a request to the site. Every read is a
conditional request when an ETag is known: GitHub answers 304 and the stored body is reused.
Timeouts, 5xx answers and dropped connections are retried with exponential backoff; a rate
limit (403/429 with ``X-RateLimit-Remaining: 0`` or ``Retry-After``) is waited out when the
wait is short, and stops the run otherwise. Redirects are not followed: a moved repository
(301) is reported with its new home, never rewritten silently.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import httpx

API = "https://api.github.com"
API_VERSION = "2022-11-28"
USER_AGENT = "aliadvisor-refresh-health"
# Without a release, the newest of the first tags GitHub lists (it lists the highest versions
# first) by commit date: one extra request per candidate.
TAG_CANDIDATES = 5

def pause(seconds: float) -> None:
    """The client's default sleep (tests replace it to run without waiting)."""
    time.sleep(seconds)


class GitHubError(Exception):
    """This repository could not be read; the message says why. Nothing is written for it."""


class MalformedResponse(GitHubError):
    pass


class RepositoryMoved(GitHubError):
    def __init__(self, *, repo: str, new_home: str):
        self.repo = repo
        self.new_home = new_home
        super().__init__(f"{repo} has moved to {new_home}")


class RateLimited(GitHubError):
    """GitHub's rate limit is spent for longer than we wait: later reads would fail too."""


@dataclass(frozen=True)
class CachedResponse:
    etag: str
    body: str


@dataclass(frozen=True)
class RepoHealth:
    repo: str
    archived: bool
    stars: int
    open_issues: int  # GitHub's open_issues_count: open issues and pull requests
    default_branch: str
    last_commit: date | None
    last_release_tag: str
    last_release_date: date | None


@dataclass
class Reading:
    """One repository's health plus the conditional-request state to store with it."""

    health: RepoHealth | None = None
    cache_updates: dict[str, CachedResponse] = field(default_factory=dict)
    requests: int = 0
    not_modified: int = 0

    @property
    def unchanged(self) -> bool:
        """Every read that went to GitHub answered 304 Not Modified."""
        return self.requests > 0 and self.requests == self.not_modified


def parse_date(value: Any, *, what: str) -> date:
    """The UTC date of a GitHub timestamp such as ``2026-11-30T08:15:00Z``."""
    if not isinstance(value, str):
        raise MalformedResponse(f"{what}: expected a timestamp, got {type(value).__name__}")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as error:
        raise MalformedResponse(f"{what}: {value[:40]!r} is not a timestamp") from error
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).date()


def _get(body: Any, *path: str | int, kind: type | tuple[type, ...], what: str) -> Any:
    value = body
    for key in path:
        try:
            value = value[key]
        except (KeyError, IndexError, TypeError) as error:
            raise MalformedResponse(f"{what}: no {'.'.join(map(str, path))}") from error
    # bool is an int: a count must not be True.
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise MalformedResponse(f"{what}: {'.'.join(map(str, path))} has the wrong type")
    return value


class GitHubClient:
    """A small reader of GitHub's REST API; use as a context manager (it owns a connection pool).

    ``etags`` maps a request URL to its last ETag and body (from the database); new ones are
    returned with each ``Reading`` so the caller stores them with the values they produced.
    """

    def __init__(
        self,
        *,
        token: str | None = None,
        etags: Mapping[str, CachedResponse] | None = None,
        timeout: float = 10.0,
        max_retries: int = 3,
        backoff: float = 1.0,
        max_wait: float = 300.0,
        sleep: Callable[[float], None] | None = None,
        clock: Callable[[], float] = time.time,
        base_url: str = API,
    ):
        headers = {
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": API_VERSION,
            "User-Agent": USER_AGENT,
        }
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self._http = httpx.Client(
            base_url=base_url, headers=headers, timeout=timeout, follow_redirects=False
        )
        self._base_url = base_url.rstrip("/")
        self._etags = dict(etags or {})
        self._seen: dict[str, Any] = {}  # this run's answers (two entries may share a repo)
        self.requested: set[str] = set()  # every URL read this run (stored ETags to keep)
        self.max_retries = max_retries
        self.backoff = backoff
        self.max_wait = max_wait
        self._sleep = sleep or pause
        self._clock = clock

    def __enter__(self) -> GitHubClient:
        return self

    def __exit__(self, *exc_info) -> None:
        self._http.close()

    # --- One repository ----------------------------------------------------------------------
    def read_health(self, repo: str) -> Reading:
        reading = Reading()
        what = repo
        body = self._read(f"/repos/{repo}", reading=reading, repo=repo)
        if body is None:
            raise GitHubError(f"{repo}: not found (404): deleted, renamed long ago or private")
        full_name = _get(body, "full_name", kind=str, what=what)
        if full_name.lower() != repo.lower():
            raise RepositoryMoved(
                repo=repo, new_home=_html_url(body, fallback=f"https://github.com/{full_name}")
            )
        branch = _get(body, "default_branch", kind=str, what=what)
        tag, released = self._last_release(repo, reading=reading)
        reading.health = RepoHealth(
            repo=repo,
            archived=_get(body, "archived", kind=bool, what=what),
            stars=_get(body, "stargazers_count", kind=int, what=what),
            open_issues=_get(body, "open_issues_count", kind=int, what=what),
            default_branch=branch,
            last_commit=self._last_commit(repo, branch=branch, reading=reading),
            last_release_tag=tag,
            last_release_date=released,
        )
        return reading

    def _last_commit(self, repo: str, *, branch: str, reading: Reading) -> date | None:
        commits = self._read(
            f"/repos/{repo}/commits",
            params={"sha": branch, "per_page": "1"},
            reading=reading,
            repo=repo,
            absent=(404, 409),  # 409: the repository is empty
        )
        if not commits:
            return None
        what = f"{repo} last commit"
        return parse_date(_get(commits, 0, "commit", "committer", "date", kind=str, what=what),
                          what=what)  # fmt: skip

    def _last_release(self, repo: str, *, reading: Reading) -> tuple[str, date | None]:
        release = self._read(f"/repos/{repo}/releases/latest", reading=reading, repo=repo)
        if release is not None:
            what = f"{repo} latest release"
            tag = _get(release, "tag_name", kind=str, what=what)
            published = release.get("published_at") if isinstance(release, dict) else None
            stamp = published or _get(release, "created_at", kind=str, what=what)
            return tag, parse_date(stamp, what=what)
        tags = self._read(
            f"/repos/{repo}/tags", params={"per_page": str(TAG_CANDIDATES)},
            reading=reading, repo=repo,
        )  # fmt: skip
        if not tags:
            return "", None
        if not isinstance(tags, list):
            raise MalformedResponse(f"{repo} tags: expected a list")
        newest: tuple[date, str] | None = None
        for index in range(min(len(tags), TAG_CANDIDATES)):
            what = f"{repo} tags"
            name = _get(tags, index, "name", kind=str, what=what)
            sha = _get(tags, index, "commit", "sha", kind=str, what=what)
            commit = self._read(f"/repos/{repo}/git/commits/{sha}", reading=reading, repo=repo)
            if commit is None:
                continue
            when = parse_date(
                _get(commit, "committer", "date", kind=str, what=f"{repo} tag {name}"),
                what=f"{repo} tag {name}",
            )
            if newest is None or when > newest[0]:
                newest = (when, name)
        return (newest[1], newest[0]) if newest else ("", None)

    # --- Requests ----------------------------------------------------------------------------
    def _read(
        self,
        path: str,
        *,
        reading: Reading,
        repo: str,
        params: Mapping[str, str] | None = None,
        absent: tuple[int, ...] = (404,),
    ) -> Any | None:
        """The JSON body at ``path`` (None for an ``absent`` status), conditionally."""
        url = str(self._http.build_request("GET", path, params=params).url)
        self.requested.add(url)
        if url in self._seen:
            return self._seen[url]
        cached = self._etags.get(url) or reading.cache_updates.get(url)
        headers = {"If-None-Match": cached.etag} if cached else {}
        response = self._send(path, params=params, headers=headers)
        reading.requests += 1
        status = response.status_code
        if status == 304 and cached is not None:
            reading.not_modified += 1
            text = cached.body
        elif status == 200:
            text = response.text
            etag = response.headers.get("ETag")
            if etag:
                reading.cache_updates[url] = CachedResponse(etag=etag, body=text)
        elif status in absent:
            self._seen[url] = None
            return None
        elif status in (301, 302, 307, 308):
            raise RepositoryMoved(repo=repo, new_home=self._new_home(response))
        else:
            raise GitHubError(f"{repo}: GitHub answered {status}{_message(response)}")
        try:
            body = json.loads(text)
        except ValueError as error:
            raise MalformedResponse(f"{repo}: {path} did not answer JSON") from error
        self._seen[url] = body
        return body

    def _new_home(self, response: httpx.Response) -> str:
        """A moved repository's page, read from where GitHub redirects (one extra request)."""
        location = response.headers.get("Location", "")
        if not location.startswith(self._base_url + "/"):
            return location or "an unknown place"
        try:
            moved = self._send(location[len(self._base_url):], params=None, headers={})
            return _html_url(moved.json(), fallback=location)
        except (GitHubError, ValueError):
            return location

    def _send(
        self, path: str, *, params: Mapping[str, str] | None, headers: Mapping[str, str]
    ) -> httpx.Response:
        """One GET, retried on timeouts, dropped connections, 5xx and short rate limits."""
        attempts = self.max_retries + 1
        problem = ""
        for attempt in range(attempts):
            try:
                response = self._http.get(path, params=params, headers=headers)
            except httpx.TimeoutException:
                problem = "timed out"
            except httpx.TransportError as error:
                problem = f"connection failed ({type(error).__name__})"
            else:
                if response.status_code >= 500:
                    problem = f"GitHub answered {response.status_code}"
                elif _rate_limited(response):
                    wait = self._rate_limit_wait(response)
                    if wait > self.max_wait or attempt == attempts - 1:
                        raise RateLimited(_rate_limit_message(response, wait=wait))
                    self._sleep(wait)
                    continue
                else:
                    return response
            if attempt < attempts - 1:
                self._sleep(self.backoff * 2**attempt)
        raise GitHubError(f"{path}: {problem} ({attempts} attempts)")

    def _rate_limit_wait(self, response: httpx.Response) -> float:
        retry_after = response.headers.get("Retry-After", "")
        if retry_after.isdigit():
            return float(retry_after)
        reset = response.headers.get("X-RateLimit-Reset", "")
        if reset.isdigit():
            return max(float(reset) - self._clock(), 0.0) + 1.0
        return 60.0  # GitHub's advice for a secondary limit without a header


def _rate_limited(response: httpx.Response) -> bool:
    if response.status_code == 429:
        return True
    return response.status_code == 403 and (
        response.headers.get("X-RateLimit-Remaining") == "0" or "Retry-After" in response.headers
    )


def _rate_limit_message(response: httpx.Response, *, wait: float) -> str:
    hint = "" if response.request.headers.get("Authorization") else (
        "; set GITHUB_TOKEN for a higher limit"
    )
    return f"GitHub's rate limit is spent for another {wait:.0f} s{hint}"


def _message(response: httpx.Response) -> str:
    try:
        message = response.json().get("message")
    except (ValueError, AttributeError):
        return ""
    return f": {str(message)[:200]}" if message else ""


def _html_url(body: Any, *, fallback: str) -> str:
    url = body.get("html_url") if isinstance(body, dict) else None
    return url if isinstance(url, str) and url.startswith("https://github.com/") else fallback
