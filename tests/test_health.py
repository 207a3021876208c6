"""The maintenance suggested by health signals (catalog/health.py) and how entries use it."""

from __future__ import annotations

from datetime import date

import pytest

from catalog import health
from catalog.health import github_repo, months_between, suggest_maintenance
from catalog.models import Maintenance, Project

AS_OF = date(2026, 12, 1)


def test_rule_values_are_the_maintenance_choices():
    assert {health.ACTIVE, health.LOW_ACTIVITY, health.UNMAINTAINED} == set(Maintenance.values)


@pytest.mark.parametrize(
    ("earlier", "later", "months"),
    [
        (date(2026, 11, 30), date(2026, 12, 1), 0),
        (date(2026, 6, 1), date(2026, 12, 1), 6),
        (date(2026, 6, 2), date(2026, 12, 1), 5),
        (date(2025, 6, 1), date(2026, 12, 1), 18),
        (date(2025, 6, 2), date(2026, 12, 1), 17),
        (date(2024, 1, 31), date(2024, 2, 29), 0),
        (date(2027, 1, 1), date(2026, 12, 1), 0),  # a commit "after" the check
    ],
)
def test_months_between_counts_whole_calendar_months(earlier, later, months):
    assert months_between(earlier, later) == months


@pytest.mark.parametrize(
    ("archived", "last_commit", "expected"),
    [
        (True, date(2026, 11, 30), "unmaintained"),  # archived wins over a recent commit
        (True, None, "unmaintained"),
        (False, None, None),
        (None, None, None),
        (None, date(2026, 11, 1), "active"),
        (False, date(2026, 6, 2), "active"),  # 5 months
        (False, date(2026, 6, 1), "low-activity"),  # 6 months
        (False, date(2025, 6, 2), "low-activity"),  # 17 months
        (False, date(2025, 6, 1), "unmaintained"),  # 18 months
        (False, date(2019, 1, 1), "unmaintained"),
    ],
)
def test_suggestion_rule(archived, last_commit, expected):
    assert suggest_maintenance(archived=archived, last_commit=last_commit, as_of=AS_OF) == expected


@pytest.mark.parametrize(
    ("url", "repo"),
    [
        ("https://github.com/alibaba/EasyRec", "alibaba/EasyRec"),
        ("https://github.com/alibaba/EasyRec/", "alibaba/EasyRec"),
        ("https://github.com/alibaba/EasyRec.git", "alibaba/EasyRec"),
        ("http://www.github.com/v6d-io/v6d/tree/main/docs", "v6d-io/v6d"),
        ("https://github.com/alibaba/GraphScope#readme", "alibaba/GraphScope"),
        ("https://github.com/TuGraph-family/tugraph-db", "TuGraph-family/tugraph-db"),
        ("https://github.com/alibaba", None),
        ("https://gitee.com/alibaba/EasyRec", None),
        ("https://github.com.evil.example/a/b", None),
        ("https://github.com/-bad/name", None),
        ("https://github.com/a/..", None),
        ("", None),
    ],
)
def test_github_repo(url, repo):
    assert github_repo(url) == repo


def entry(**fields) -> Project:
    base = {"slug": "x", "kind": "open-source", "repo_url": "https://github.com/a/b"}
    return Project(**{**base, **fields})


def test_entry_suggestion_is_as_of_the_check_and_only_with_health():
    assert entry().has_health is False and entry().suggested_maintenance is None
    quiet = entry(last_commit=date(2025, 3, 1), health_checked=date(2025, 9, 1))
    assert quiet.suggested_maintenance == "low-activity"  # 6 months as of the check
    assert entry(archived=True).suggested_maintenance == "unmaintained"
    assert entry(stars=10).has_health and entry(stars=10).suggested_maintenance is None


def test_disagreement_names_the_suggestion_only_when_it_differs():
    agreed = entry(maintenance="active", last_commit=date(2026, 11, 1),
                   health_checked=AS_OF)  # fmt: skip
    assert agreed.maintenance_disagreement == ""
    differs = entry(maintenance="active", last_commit=date(2024, 1, 1), health_checked=AS_OF)
    assert differs.maintenance_disagreement == str(Maintenance.UNMAINTAINED.label)
    assert differs.maintenance == "active"  # the editor's label stays the answer


def test_github_repo_only_for_open_source_entries():
    assert entry().github_repo == "a/b"
    assert entry(kind="cloud-service").github_repo is None
    assert entry(repo_url="").github_repo is None
