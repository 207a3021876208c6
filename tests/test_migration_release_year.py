"""Migration 0009 (last_release_year derived from last_release_date) loses no year."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("catalog", "0008_health_longer_licence_notes")]
AFTER = [("catalog", "0009_scale2_last_release_year_derived")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def make(apps, slug: str, **fields):
    Category = apps.get_model("catalog", "Category")
    category, _ = Category.objects.get_or_create(slug="m-cat", defaults={
        "name_zh": "迁移", "name_en": "Migration"})
    return apps.get_model("catalog", "Project").objects.create(
        slug=slug, name=slug, name_zh=slug, kind="open-source", category=category,
        org="Alibaba", license="Apache-2.0", maintenance="active", **fields)


@pytest.fixture
def at_0008():
    apps = migrate(BEFORE)
    yield apps
    apps.get_model("catalog", "Project").objects.filter(slug__startswith="m-").delete()
    migrate([("catalog", leaf) for _app, leaf in latest()])


def latest():
    executor = MigrationExecutor(connection)
    return [key for key in executor.loader.graph.leaf_nodes() if key[0] == "catalog"]


def test_the_year_goes_when_the_date_says_it(at_0008):
    make(at_0008, "m-dated", last_release_year=2023, last_release_date=date(2023, 7, 1))
    make(at_0008, "m-none")
    apps = migrate(AFTER)
    Project = apps.get_model("catalog", "Project")
    assert Project.objects.filter(slug__startswith="m-").count() == 2
    apps = migrate(BEFORE)  # and back: the year comes from the date
    years = dict(apps.get_model("catalog", "Project").objects.filter(slug__startswith="m-")
                 .values_list("slug", "last_release_year"))
    assert years == {"m-dated": 2023, "m-none": None}


@pytest.mark.parametrize(
    "fields",
    [{"last_release_year": 2022},
     {"last_release_year": 2022, "last_release_date": date(2024, 1, 2)}],
)
def test_a_year_the_date_does_not_have_stops_the_migration(at_0008, fields):
    make(at_0008, "m-lost", **fields)
    with pytest.raises(RuntimeError, match=r"m-lost \(2022, "):
        migrate(AFTER)
