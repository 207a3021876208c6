"""Throwaway databases for tests that need real files or several processes: a SQLite file
(WAL does not apply to the in-memory test database), or a new database on the PostgreSQL
server the suite runs on (`make test-postgres`)."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def fresh_database_url(directory: Path) -> Iterator[str]:
    """A DATABASE_URL naming an empty database of the suite's engine, dropped afterwards."""
    from django.conf import settings

    config = settings.DATABASES["default"]
    if config["ENGINE"] != "django.db.backends.postgresql":
        yield f"sqlite:///{directory / f'db-{uuid.uuid4().hex[:8]}.sqlite3'}"
        return
    import psycopg

    name = f"aliadvisor_t_{uuid.uuid4().hex[:10]}"
    server = {
        "host": config["HOST"] or None,
        "port": config["PORT"] or None,
        "user": config["USER"] or None,
        "password": config["PASSWORD"] or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        auth = server["user"] or ""
        if server["password"]:
            auth += f":{server['password']}"
        host = f"{server['host'] or '127.0.0.1'}:{server['port'] or 5432}"
        yield f"postgres://{auth}@{host}/{name}"
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(*args: str, database_url: str, timeout: int = 300, **env: str):
    """Run manage.py in its own process on ``database_url``; returns the CompletedProcess."""
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"
    }
    clean.update(env, DATABASE_URL=database_url)
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT, env=clean, capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip
    assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stdout}{result.stderr}"
    return result


def run_script(path: Path, *args: str, database_url: str, timeout: int = 300):
    """Run a Python script of tests/ in its own process on ``database_url``."""
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"
    }
    clean.update(DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="aliadvisor.settings")
    clean["PYTHONPATH"] = str(ROOT)
    result = subprocess.run(
        [sys.executable, str(path), *args],
        cwd=ROOT, env=clean, capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip
    assert result.returncode == 0, f"{path.name}:\n{result.stdout}{result.stderr}"
    return result
