"""Editors saving through the admin at the same moment, each in its own thread with its own
database connection, on the database DATABASE_URL names (migrated here). Prints one JSON line:
saves attempted, saved, failed (with the first failures), and the saved versions history holds.

Usage: concurrent_editors.py EDITORS SAVES_EACH
"""

from __future__ import annotations

import json
import sys
import threading

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from catalog.models import Project  # noqa: E402
from tests.admin_forms import change_form_data  # noqa: E402
from tests.helpers import build_small_catalog  # noqa: E402


def main(editors: int, saves_each: int) -> dict:
    call_command("migrate", verbosity=0)
    projects = list(build_small_catalog().values())[:3]  # editors share entries: real contention
    users = [
        get_user_model().objects.create_superuser(f"editor{n}", f"e{n}@example.com", None)
        for n in range(editors)
    ]
    connection.close()
    start = threading.Barrier(editors)
    lock = threading.Lock()
    outcome = {"attempted": 0, "saved": 0, "failed": 0, "failures": []}

    def edit(number: int) -> None:
        client = Client(raise_request_exception=False)
        client.force_login(users[number])
        start.wait()  # every editor starts together
        try:
            for save in range(saves_each):
                project = projects[(number + save) % len(projects)]
                url = f"/admin/catalog/project/{project.pk}/change/"
                page = client.get(url)
                ok = page.status_code == 200
                if ok:
                    data = change_form_data(page.content.decode(), form_id="project_form")
                    data["summary_en"] = f"editor {number} save {save}"
                    response = client.post(url, data)
                    ok = response.status_code == 302
                    status = response.status_code
                else:
                    status = page.status_code
                with lock:
                    outcome["attempted"] += 1
                    outcome["saved" if ok else "failed"] += 1
                    if not ok and len(outcome["failures"]) < 5:
                        outcome["failures"].append(f"editor {number} save {save}: {status}")
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=edit, args=(n,)) for n in range(editors)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    saved_values = set(
        Project.history.filter(summary_en__startswith="editor ").values_list(
            "summary_en", flat=True
        )
    )
    outcome["versions_in_history"] = len(saved_values)
    outcome["engine"] = connection.vendor
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            outcome["journal_mode"] = cursor.execute("PRAGMA journal_mode").fetchone()[0]
    return outcome


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]), int(sys.argv[2]))))
