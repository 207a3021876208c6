"""Health signals and fact sources on the detail page and in the admin."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from catalog.health import compact_count
from catalog.models import FactSource, Project, Relation
from catalog.templatetags.catalog_extras import ago

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-CN,zh;q=0.9"}


def text(html: str) -> str:
    """The page's text, tags dropped and whitespace collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def alpha(small_catalog) -> Project:
    today = timezone.localdate()
    alpha = small_catalog["alpha"]
    alpha.repo_url = "https://github.com/example/alpha"
    alpha.last_commit = today - timedelta(days=95)
    alpha.last_release_tag, alpha.last_release_date = "v2.1.0", date(2025, 4, 30)
    alpha.stars, alpha.open_issues, alpha.archived = 1234, 56, False
    alpha.health_checked = date(2026, 12, 1)
    alpha.save()
    Relation.objects.create(source=alpha, target=small_catalog["gamma"], type="runs-on")
    for fact, detail, url in (
        ("license", "", "example/alpha:LICENSE@0a1b2c3"),
        ("relation", "runs-on:gamma", "https://example.org/alpha/docs/gamma"),
        ("description", "", "https://example.org/alpha/README"),
    ):
        FactSource.objects.create(
            project=alpha, fact=fact, detail=detail, url=url, checked=date(2026, 12, 1)
        )
    return alpha


def detail(client, slug: str, **headers) -> str:
    response = client.get(reverse("catalog:detail", args=[slug]), **headers)
    assert response.status_code == 200
    return response.content.decode()


def test_health_section_in_english(client, alpha):
    html = detail(client, "alpha", **EN)
    page = text(html)
    assert 'id="sec-health"' in html
    assert "as of 2026-12-01" in page
    last_commit = alpha.last_commit.isoformat()
    assert f"3 months ago ( {last_commit} )" in page
    assert f'<time datetime="{last_commit}">' in html
    assert "v2.1.0" in page and "2025-04-30" in page
    assert "★ 1.2k" in page and 'title="1234"' in html
    assert "56 (issues and pull requests)" in page
    assert "Archived no" in page


def test_health_section_in_chinese(client, alpha):
    page = text(detail(client, "alpha", **ZH))
    assert "健康状况" in page and "截至 2026-12-01" in page
    assert "最近提交 3 个月前" in page
    assert "★ 1.2k" in page and "归档 否" in page


def test_no_health_no_section(client, small_catalog):
    html = detail(client, "beta", **EN)
    assert 'id="sec-health"' not in html and 'id="sec-sources"' not in html


def test_unknown_values_are_left_out(client, small_catalog):
    Project.objects.filter(slug="beta").update(last_commit=date(2026, 11, 1))
    page = text(detail(client, "beta", **EN))
    assert "Last commit" in page
    assert "Stars" not in page and "Archived" not in page and "as of" not in page


def test_archived_says_so(client, alpha):
    Project.objects.filter(slug="alpha").update(archived=True)
    assert "yes: read-only on GitHub" in text(detail(client, "alpha", **EN))


def test_sources_list_each_fact_with_its_date_and_link(client, alpha):
    html = detail(client, "alpha", **EN)
    page = text(html)
    assert "Sources" in page
    assert "Licence — checked 2026-12-01, source" in page
    assert "Relation: Runs on Gamma — checked 2026-12-01, source" in page
    assert "Description — checked 2026-12-01, source" in page
    assert 'href="https://github.com/example/alpha/blob/0a1b2c3/LICENSE"' in html
    assert 'href="https://example.org/alpha/docs/gamma"' in html
    zh = text(detail(client, "alpha", **ZH))
    assert "来源" in zh and "核对于 2026-12-01" in zh


def test_sources_follow_the_facts_order_and_group_by_fact(client, alpha):
    FactSource.objects.create(project=alpha, fact="license", url="https://example.org/lic2",
                              checked=date(2026, 11, 3))  # fmt: skip
    FactSource.objects.create(project=alpha, fact="repository", url="https://example.org/repo",
                              checked=date(2026, 11, 4))  # fmt: skip
    html = detail(client, "alpha", **EN)
    page = text(html)
    assert ("Licence — checked 2026-12-01, source ; checked 2026-11-03, source") in page
    order = [page.index(label) for label in ("Repository —", "Licence —", "Relation:",
                                             "Description —")]  # fmt: skip
    assert order == sorted(order)
    zh = text(detail(client, "alpha", **ZH))
    assert "关系：运行于 Gamma-中文" in zh
    assert "许可证 — 核对于 2026-12-01， 来源 ；核对于 2026-11-03， 来源" in zh


def test_a_relation_source_without_the_relation_shows_its_detail(client, alpha):
    Relation.objects.filter(source=alpha).delete()
    assert "Relation: runs-on:gamma — checked" in text(detail(client, "alpha", **EN))


def test_a_source_cannot_inject_markup(client, alpha):
    FactSource.objects.create(project=alpha, fact="maintenance", url='"><script>x()</script>',
                              checked=date(2026, 12, 1))  # fmt: skip
    html = detail(client, "alpha", **EN)
    assert "<script>x()" not in html


def test_disagreeing_suggestion_shows_both_labels(client, alpha):
    Project.objects.filter(slug="alpha").update(last_commit=date(2024, 11, 1))
    html = detail(client, "alpha", **EN)
    page = text(html)
    assert ("The health signals suggest “Unmaintained” (last commit 25 months before the "
            "check); the editors' label “Active” stays the answer.") in page  # fmt: skip
    assert 'class="badge badge-active"' in html  # the editor's label is still the answer
    zh = text(detail(client, "alpha", **ZH))
    assert "健康信号提示“已停止维护”（核对时距最近提交已 25 个月）" in zh
    assert "以编辑标注的“活跃维护”为准" in zh


def test_agreeing_suggestion_shows_nothing_more(client, alpha):
    assert "health signals suggest" not in text(detail(client, "alpha", **EN))


def test_archived_suggestion_says_why(client, alpha):
    Project.objects.filter(slug="alpha").update(archived=True)
    assert "(the repository is archived)" in text(detail(client, "alpha", **EN))


def warm_queries(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_detail_queries_do_not_grow_with_sources(client, alpha):
    url = reverse("catalog:detail", args=["alpha"])
    before = warm_queries(client, url)
    FactSource.objects.bulk_create(
        FactSource(project=alpha, fact="frameworks", url=f"https://example.org/{i}",
                   checked=date(2026, 12, 1))
        for i in range(25)
    )  # fmt: skip
    assert warm_queries(client, url) == before


# --- Filters -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "shown"),
    [(0, "0"), (999, "999"), (1000, "1k"), (1234, "1.2k"), (1299, "1.2k"), (9999, "9.9k"),
     (12_345, "12k"), (999_999, "999k"), (1_000_000, "1M"), (2_560_000, "2.5M")],
)  # fmt: skip
def test_compact_count(count, shown):
    assert compact_count(count) == shown


@pytest.mark.parametrize(
    ("days", "en", "zh"),
    [(0, "today", "今天"), (-3, "today", "今天"), (1, "1 day ago", "1 天前"),
     (20, "20 days ago", "20 天前"), (95, "3 months ago", "3 个月前"),
     (400, "1 year ago", "1 年前"), (800, "2 years ago", "2 年前")],
)  # fmt: skip
def test_ago(days, en, zh):
    when = timezone.localdate() - timedelta(days=days)
    with translation.override("en"):
        assert ago(when) == en
    with translation.override("zh-hans"):
        assert ago(when) == zh
    assert ago(None) == ""


# --- Admin -------------------------------------------------------------------------------------


@pytest.fixture
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def change_url(project: Project) -> str:
    return reverse("admin:catalog_project_change", args=[project.pk])


def test_admin_change_form_shows_health_and_sources(admin_client, fast_password_hashing, alpha):
    Project.objects.filter(slug="alpha").update(last_commit=date(2024, 11, 1))
    response = admin_client.get(change_url(alpha), **EN)
    html = response.content.decode()
    assert "Health (read from GitHub by refresh_health)" in html
    assert ("Unmaintained, differs from the label Active, which stays the answer") in html
    formsets = {inline.formset.prefix: inline.formset
                for inline in response.context["inline_admin_formsets"]}  # fmt: skip
    assert formsets["sources"].queryset.count() == 3
    # The health fields are editable (an editor may correct one), the suggestion is not.
    form = response.context["adminform"].form
    assert {"last_commit", "stars", "health_checked", "license_note_en"} <= set(form.fields)
    assert "health_suggestion" not in form.fields


def test_admin_suggestion_when_agreeing_or_unknown(admin_client, fast_password_hashing, alpha):
    html = admin_client.get(change_url(alpha), **EN).content.decode()
    assert "Active (agrees with the label)" in html
    beta = Project.objects.get(slug="beta")
    assert "No suggestion: no health signals yet." in admin_client.get(
        change_url(beta), **EN
    ).content.decode()


def posted(response) -> dict:
    """The change form's data as the browser would send it back."""
    data: dict = {}

    def add(form):
        for bound in form:
            value = bound.field.prepare_value(bound.value())
            if value in (None, False):
                continue
            if isinstance(value, list | tuple):
                data[bound.html_name] = [str(v) for v in value]
            else:
                data[bound.html_name] = "on" if value is True else str(value)

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = value
        for form in formset.forms:
            add(form)
    return data


def test_admin_adds_a_source_inline_and_history_records_it(
    admin_client, fast_password_hashing, admin_user, alpha
):
    data = posted(admin_client.get(change_url(alpha)))
    total = int(data["sources-TOTAL_FORMS"])
    data["sources-TOTAL_FORMS"] = str(total + 1)
    data.update({
        f"sources-{total}-fact": "organisation",
        f"sources-{total}-url": "https://example.org/about",
        f"sources-{total}-checked": "2026-12-01",
        f"sources-{total}-project": str(alpha.pk),
    })  # fmt: skip
    response = admin_client.post(change_url(alpha), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    source = alpha.sources.get(fact="organisation")
    record = source.history.get()
    assert record.history_type == "+" and record.history_user == admin_user
