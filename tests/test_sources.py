"""Every fact of the shipped catalog says where it comes from, and GitHub entries have health.

The first part holds the rule (catalog/sources.py) on entries built here; the second holds the
shipped fixture (fixtures/catalog.json, loaded once for the session) to it.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.utils import timezone

from catalog.models import Fact, FactSource, Kind, Link, Project, Relation, Stack, StackMember
from catalog.sources import missing_facts, required_facts

pytestmark = pytest.mark.django_db

# A URL, or owner/repo:path@ref (a file) or owner/repo@ref, where the ref does not move: a
# commit or a tag, never a branch name such as main.
SOURCE_RE = re.compile(
    r"^(https?://[^\s/]+/?[^\s]*"
    r"|[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9._-]+(:[^\s@]+)?"
    r"@(?!(?:main|master|HEAD|develop|dev|trunk)$)[A-Za-z0-9][A-Za-z0-9._/+-]*)$"
)


# --- The rule ----------------------------------------------------------------------------------


def test_required_facts_of_an_open_source_entry():
    facts = required_facts(
        kind="open-source", has_frameworks=True, has_data_types=True, has_last_release=True,
        has_successor=True, relations=[("runs-on", "flink"), ("integrates-with", "deeprec")],
    )  # fmt: skip
    assert facts == [
        "repository", "license", "organisation", "frameworks", "data_types", "maintenance",
        "last_release", "successor", "relation:integrates-with:deeprec", "relation:runs-on:flink",
        "description",
    ]  # fmt: skip
    bare = required_facts(
        kind="open-source", has_frameworks=False, has_data_types=False, has_last_release=False,
        has_successor=False, relations=[],
    )  # fmt: skip
    assert bare == ["repository", "license", "organisation", "maintenance", "description"]


def test_required_facts_of_a_service():
    facts = required_facts(
        kind="cloud-service", has_frameworks=True, has_data_types=True, has_last_release=True,
        has_successor=False, relations=[("integrates-with", "easyrec")],
    )  # fmt: skip
    assert facts == [
        "organisation", "data_types", "maintenance", "relation:integrates-with:easyrec",
        "description",
    ]  # fmt: skip


def test_missing_facts_matches_relations_by_detail_and_others_by_name():
    required = ["license", "frameworks", "relation:runs-on:flink", "relation:part-of:pai"]
    sourced = [("license", ""), ("frameworks", "tensorflow"), ("relation", "runs-on:flink"),
               ("relation", "part-of:other")]  # fmt: skip
    assert missing_facts(required=required, sourced=sourced) == ["relation:part-of:pai"]


def test_entry_missing_sources_uses_its_facets_and_relations(small_catalog):
    alpha = small_catalog["alpha"]
    Relation.objects.create(source=alpha, target=small_catalog["beta"], type="alternative-to")
    Relation.objects.create(source=small_catalog["gamma"], target=alpha, type="runs-on")  # not its
    alpha.last_release_date = date(2024, 1, 2)
    alpha.save()
    assert alpha.missing_sources() == [
        "repository", "license", "organisation", "frameworks", "data_types", "maintenance",
        "last_release", "relation:alternative-to:beta", "description",
    ]  # fmt: skip
    for fact in ("repository", "license", "organisation", "frameworks", "data_types"):
        FactSource.objects.create(project=alpha, fact=fact, url="https://example.org",
                                  checked=date(2026, 12, 1))  # fmt: skip
    assert alpha.missing_sources() == [
        "maintenance", "last_release", "relation:alternative-to:beta", "description",
    ]


# --- The shipped catalog -----------------------------------------------------------------------


def missing_by_entry(*, kinds: set[str]) -> dict[str, list[str]]:
    entries = Project.objects.with_detail().filter(kind__in=kinds).order_by("slug")
    return {
        entry.slug: missing
        for entry in entries
        if (missing := entry.missing_sources())
    }


def test_every_open_source_entry_has_a_source_for_each_fact_that_applies(real_catalog):
    missing = missing_by_entry(kinds={Kind.OPEN_SOURCE})
    assert missing == {}, f"{len(missing)} open-source entries lack sources: {missing}"


def test_every_service_and_learning_resource_has_a_source_for_each_fact_that_applies(
    real_catalog,
):
    missing = missing_by_entry(kinds={Kind.CLOUD_SERVICE, Kind.LEARNING_RESOURCE})
    assert missing == {}, f"{len(missing)} services/learning resources lack sources: {missing}"


def test_every_open_source_entry_on_github_has_health_with_a_checked_date_and_last_commit(
    real_catalog,
):
    entries = [entry for entry in Project.objects.open_source() if entry.github_repo]
    assert entries, "no open-source entry on GitHub in the fixture"
    lacking = sorted(
        entry.slug for entry in entries if entry.health_checked is None or entry.last_commit is None
    )
    assert lacking == [], f"{len(lacking)} GitHub entries lack health (checked, commit): {lacking}"


def test_shipped_sources_are_well_formed(real_catalog):
    """Each source is a URL or owner/repo:path@ref (a commit or a tag), checked on a past date;
    a relation's source names a relation the entry has."""
    today = timezone.localdate()
    relations = {
        (source, f"{type_}:{target}")
        for source, type_, target in Relation.objects.values_list(
            "source__slug", "type", "target__slug"
        )
    }
    problems = []
    for source in FactSource.objects.select_related("project").order_by("project__slug", "id"):
        where = f"{source.project.slug} {source.label}"
        if not SOURCE_RE.match(source.url):
            problems.append(f"{where}: {source.url!r} is neither a URL nor owner/repo:path@ref")
        if source.checked > today:
            problems.append(f"{where}: checked in the future ({source.checked})")
        if source.fact not in Fact.values:
            problems.append(f"{where}: unknown fact")
        if source.fact == Fact.RELATION and (source.project.slug, source.detail) not in relations:
            problems.append(f"{where}: no such relation")
    assert problems == [], "\n".join(problems)


def test_shipped_health_is_plausible(real_catalog):
    """Dates read from repositories are not in the future, a release is not after the check,
    and health is only on open-source entries."""
    today = timezone.localdate()
    problems = []
    for entry in Project.objects.order_by("slug"):
        if entry.has_health and entry.kind != Kind.OPEN_SOURCE:
            problems.append(f"{entry.slug}: health on a {entry.kind}")
        checked = entry.health_checked or today
        for name in ("last_commit", "last_release_date"):
            value = getattr(entry, name)
            if value is not None and value > checked:
                problems.append(f"{entry.slug}: {name} {value} after the check {checked}")
        if entry.health_checked and entry.health_checked > today:
            problems.append(f"{entry.slug}: checked in the future")
        if entry.last_release_date and not entry.last_release_tag:
            problems.append(f"{entry.slug}: a release date without its tag")
    assert problems == [], "\n".join(problems)


def test_shipped_text_fits_its_columns(real_catalog):
    """SQLite stores a too long value, PostgreSQL refuses the whole fixture: check here."""
    problems = []
    for model in (Project, FactSource, Relation, Link, Stack, StackMember):
        limits = {
            field.attname: field.max_length
            for field in model._meta.concrete_fields
            if getattr(field, "max_length", None) and field.get_internal_type() != "ForeignKey"
        }
        for row in model.objects.values("pk", *limits):
            problems += [
                f"{model.__name__} {row['pk']} {name}: {len(row[name])} > {limit}"
                for name, limit in limits.items()
                if isinstance(row[name], str) and len(row[name]) > limit
            ]
    assert problems == [], "\n".join(problems)


def test_source_pattern():
    for good in ("https://github.com/alibaba/EasyRec/blob/master/README.md",
                 "alibaba/EasyRec:README.md@0123abc", "alibaba/EasyRec@0123abcdef",
                 "v6d-io/v6d:docs/index.rst@89abcdef0123", "antvis/G6@5.0.48",
                 "alibaba/nacos@v3.0.3", "alibaba/TinyNeuralNetwork@llm_0.0.1"):  # fmt: skip
        assert SOURCE_RE.match(good), good
    for bad in ("", "README.md", "alibaba/EasyRec", "alibaba/EasyRec:README.md",
                "javascript:alert(1)", "alibaba/EasyRec:README.md@main", "https://",
                "alibaba/EasyRec@master", "alibaba/EasyRec@HEAD"):  # fmt: skip
        assert not SOURCE_RE.match(bad), bad
