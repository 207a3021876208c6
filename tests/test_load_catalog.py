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
