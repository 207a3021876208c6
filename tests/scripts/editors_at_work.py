"""Fill a fresh database as a site in use would be: the catalog loaded, editors saving through
the admin (history with their names, the admin log), a failed and a good login (django-axes'
records, a session). Usage: editors_at_work.py (DATABASE_URL names the database)."""

from __future__ import annotations

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from catalog.models import Framework, Project  # noqa: E402
from tests.admin_forms import change_form_data  # noqa: E402


def main() -> None:
    from django.contrib.auth import get_user_model

    call_command("migrate", verbosity=0)
    call_command("load_catalog", verbosity=0)
    get_user_model().objects.create_superuser("editor", "editor@example.com", "a-long-password-1")
    client = Client(REMOTE_ADDR="192.0.2.10")
    for username in ("editor", "intruder"):  # the editor's is forgotten on success
        failed = client.post("/admin/login/", {"username": username, "password": "wrong"})
        assert failed.status_code == 200
    login = client.post(
        "/admin/login/?next=/admin/", {"username": "editor", "password": "a-long-password-1"}
    )
    assert login.status_code == 302, login.status_code
    project = Project.objects.get(slug="easyrec")
    url = f"/admin/catalog/project/{project.pk}/change/"
    data = change_form_data(client.get(url).content.decode(), form_id="project_form")
    data["summary_en"] = "Edited in the admin before the backup."
    data["frameworks"] = [str(pk) for pk in Framework.objects.values_list("pk", flat=True)[:2]]
    saved = client.post(url, data)
    assert saved.status_code == 302, saved.content.decode()[:2000]
    project.refresh_from_db()
    assert project.summary_en == "Edited in the admin before the backup."
    print("ok")


main()
