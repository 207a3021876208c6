"""`make run` loads the catalog only into an empty database and never overwrites edits."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from catalog.models import Link, Project, Relation, Stack, StackMember
from tests.conftest import FIXTURE

pytestmark = pytest.mark.django_db


def empty_the_catalog() -> None:
    StackMember.objects.all().delete()
    Stack.objects.all().delete()
    Relation.objects.all().delete()
    Link.objects.all().delete()
    Project.objects.update(successor=None)
    Project.objects.all().delete()


def _shipped_entries() -> int:
    rows = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return sum(row["model"] == "catalog.project" for row in rows)


def test_loads_the_whole_catalog_into_an_empty_database():
    empty_the_catalog()
    out = StringIO()
    call_command("load_catalog", stdout=out)
    shipped = _shipped_entries()
    assert shipped >= 45
    assert Project.objects.count() == shipped
    assert Stack.objects.count() >= 19
    assert f"Loaded the catalog: {shipped} entries" in out.getvalue()


def test_does_not_overwrite_an_editors_change():
    easyrec = Project.objects.get(slug="easyrec")
    easyrec.summary_en = "Edited by an editor."
    easyrec.save()
    out = StringIO()
    call_command("load_catalog", stdout=out)
    easyrec.refresh_from_db()
    assert easyrec.summary_en == "Edited by an editor."
    assert "not loading" in out.getvalue()


def test_force_reloads_the_fixture_over_edits_without_duplicates():
    easyrec = Project.objects.get(slug="easyrec")
    easyrec.summary_en = "Edited by an editor."
    easyrec.save()
    links_before = Link.objects.count()
    call_command("load_catalog", force=True, stdout=StringIO())
    easyrec.refresh_from_db()
    assert easyrec.summary_en != "Edited by an editor."
    assert Project.objects.count() == _shipped_entries()
    assert Link.objects.count() == links_before


HISTORY_MODELS = (Project, Link, Relation, Stack, StackMember)


def history_count() -> int:
    return sum(model.history.count() for model in HISTORY_MODELS)


def test_every_loaded_row_gets_its_first_history_version():
    empty_the_catalog()
    for model in HISTORY_MODELS:
        model.history.all().delete()
    call_command("load_catalog", stdout=StringIO())
    for model in HISTORY_MODELS:
        rows = model.objects.count()
        assert model.history.count() == rows, model  # one each, nothing invented
        assert set(model.history.values_list("history_type", flat=True)) == {"+"}
        assert set(model.history.values_list("history_change_reason", flat=True)) == {
            "load_catalog"
        }
    # The first version states the facets too (simple-history keeps them per version).
    graph = Project.objects.get(slug="tugraph-db")
    first = graph.history.get()
    assert {row.scenario_id for row in first.scenarios.all()} == set(
        graph.scenarios.values_list("pk", flat=True)
    )
    assert first.summary_en == graph.summary_en


def test_force_writes_history_for_what_it_overwrites_and_nothing_else():
    empty_the_catalog()
    call_command("load_catalog", stdout=StringIO())
    easyrec = Project.objects.get(slug="easyrec")
    original = easyrec.summary_en
    easyrec.summary_en = "Edited by an editor."
    easyrec.save()
    easyrec.frameworks.clear()
    before = history_count()
    out = StringIO()
    call_command("load_catalog", force=True, stdout=out)
    easyrec.refresh_from_db()
    assert easyrec.summary_en == original
    newest = easyrec.history.order_by("-history_date", "-history_id").first()
    assert newest.summary_en == original  # history states the value the site shows
    assert newest.history_change_reason == "load_catalog --force"
    assert newest.history_type == "~"
    assert {row.framework_id for row in newest.frameworks.all()} == set(
        easyrec.frameworks.values_list("pk", flat=True)
    ) != set()
    assert history_count() == before + 1
    assert '1 history versions written (reason "load_catalog --force")' in out.getvalue()


def test_a_load_moves_the_catalog_version_once():
    from catalog.models import CatalogChange
    from catalog.versioning import get_catalog_version

    empty_the_catalog()
    before = get_catalog_version()
    call_command("load_catalog", stdout=StringIO())
    assert get_catalog_version() > before
    assert CatalogChange.objects.count() == 1  # pruned to the newest
