"""The Atom feed of catalog changes (/catalog/changes.atom), built from entries' history."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest
from django.contrib.auth import get_user_model

from catalog.models import Project

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def _entries(client) -> list[ElementTree.Element]:
    response = client.get("/catalog/changes.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ElementTree.fromstring(response.content).findall(f"{ATOM}entry")


def test_an_edit_is_listed_with_what_changed_in_both_languages_and_no_editor(client):
    editor = get_user_model().objects.create_user("editor-alice", password="x" * 12)
    project = Project.objects.get(slug="easyrec")
    project._history_user = editor
    project.save()  # the base version the next one is compared with
    project.maintenance_note = "Maintenance mode; see TorchEasyRec."
    project.license = "Apache-2.0"
    project._history_user = editor
    project.save()
    entries = _entries(client)
    first = entries[0]
    title = first.find(f"{ATOM}title").text
    assert title.startswith("EasyRec：更新了")
    assert "maintenance note (English) changed" in title
    assert first.find(f"{ATOM}link").get("href").endswith("/catalog/easyrec/")
    assert "Maintenance mode; see TorchEasyRec." in first.find(f"{ATOM}summary").text
    body = ElementTree.tostring(ElementTree.fromstring(client.get("/catalog/changes.atom").content))
    assert b"editor-alice" not in body


def test_a_new_entry_is_listed_as_added(client):
    project = Project.objects.get(slug="zvec")
    clone = Project.objects.create(
        slug="feed-test-entry",
        name="Feed Test",
        name_zh="订阅测试",
        kind=project.kind,
        category=project.category,
        org="Alibaba",
        license="Apache-2.0",
        summary_zh="测试条目。",
        summary_en="A test entry.",
    )
    titles = [e.find(f"{ATOM}title").text for e in _entries(client)]
    assert f"订阅测试：新增条目 / {clone.name}: entry added" in titles


def test_deleted_entries_are_not_items(client):
    project = Project.objects.create(
        slug="feed-gone",
        name="Gone",
        name_zh="已删除",
        kind="open-source",
        category=Project.objects.get(slug="zvec").category,
        org="Alibaba",
        license="Apache-2.0",
        summary_zh="测试。",
        summary_en="Test.",
    )
    project.delete()
    links = [e.find(f"{ATOM}link").get("href") for e in _entries(client)]
    assert links
    assert not any("feed-gone" in link for link in links)
