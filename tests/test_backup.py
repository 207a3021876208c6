"""`make backup` / `make restore`: every table, history included, survives a round trip into a
fresh database unchanged, and nothing is invented on the way."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys

import pytest

from .databases import ROOT, fresh_database_url, manage, run_script

pytestmark = pytest.mark.django_db


def read_backup(path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return json.load(handle)


def test_backup_restore_backup_is_identical(tmp_path):
    first, second = tmp_path / "first.json.gz", tmp_path / "second.json.gz"
    with fresh_database_url(tmp_path) as source:
        run_script(ROOT / "tests" / "scripts" / "editors_at_work.py", database_url=source)
        manage("backup_database", "--output", str(first), database_url=source)
    with fresh_database_url(tmp_path) as target:
        manage("migrate", "--noinput", "-v", "0", database_url=target)
        restored = manage("restore_database", str(first), database_url=target)
        manage("backup_database", "--output", str(second), database_url=target)
        refused = subprocess.run(  # a second restore would mix two states
            [sys.executable, "manage.py", "restore_database", str(first)],
            cwd=ROOT, capture_output=True, text=True, timeout=120,
            env={**os.environ, "DATABASE_URL": target},
        )  # fmt: skip
    rows = read_backup(first)
    assert read_backup(second) == rows  # byte for byte after decompression, too:
    with gzip.open(first) as a, gzip.open(second) as b:
        assert a.read() == b.read()
    assert f"Restored {len(rows):,} rows" in restored.stdout
    assert refused.returncode != 0 and "not empty" in refused.stderr

    models = {row["model"] for row in rows}
    # Every kind of table: content, history (with its many-to-many rows), users, admin log,
    # login attempts, sessions, the catalog's change log.
    for expected in (
        "catalog.project", "catalog.historicalproject", "catalog.historicalproject_frameworks",
        "catalog.historicallink", "auth.user", "admin.logentry", "axes.accessattempt",
        "axes.accesslog", "sessions.session", "catalog.catalogchange",
    ):  # fmt: skip
        assert expected in models, expected
    history = [r for r in rows if r["model"] == "catalog.historicalproject"]
    edited = [r for r in history if r["fields"]["summary_en"].startswith("Edited in the admin")]
    assert len(edited) >= 1 and all(r["fields"]["history_user"] for r in edited)
    # One version per row loaded plus the editor's: no version dated at the restore.
    loads = [r for r in history if r["fields"]["history_change_reason"] == "load_catalog"]
    projects = [r for r in rows if r["model"] == "catalog.project"]
    assert len(loads) == len(projects)
