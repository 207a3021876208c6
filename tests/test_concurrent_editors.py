"""Several editors saving in the admin at once: none of their saves fails (on SQLite that needs
WAL, IMMEDIATE transactions and a lock timeout; on PostgreSQL it is checked the same way)."""

from __future__ import annotations

import json

import pytest

from .databases import ROOT, fresh_database_url, run_script

EDITORS = 10
SAVES_EACH = 12


@pytest.mark.django_db
def test_ten_editors_saving_at_once_lose_nothing(tmp_path):
    with fresh_database_url(tmp_path) as url:
        result = run_script(
            ROOT / "tests" / "scripts" / "concurrent_editors.py",
            str(EDITORS), str(SAVES_EACH),
            database_url=url,
        )  # fmt: skip
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    print(outcome)
    assert outcome["attempted"] == EDITORS * SAVES_EACH
    assert outcome["failed"] == 0, outcome["failures"]
    assert outcome["saved"] == EDITORS * SAVES_EACH
    # Every save is in history: none was silently lost.
    assert outcome["versions_in_history"] == EDITORS * SAVES_EACH
    if outcome["engine"] == "sqlite":
        assert outcome["journal_mode"] == "wal"
