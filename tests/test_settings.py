"""Settings come from environment variables with safe development defaults."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PRINT_SETTINGS = (
    "import json, django; from django.conf import settings; django.setup(); "
    "print(json.dumps({'engine': settings.DATABASES['default']['ENGINE'], "
    "'name': str(settings.DATABASES['default']['NAME']), 'debug': settings.DEBUG, "
    "'hosts': settings.ALLOWED_HOSTS, 'languages': [c for c, _ in settings.LANGUAGES], "
    "'fixture_dirs': [str(p) for p in settings.FIXTURE_DIRS]}))"
)


def read_settings(**env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("DJANGO_") and k != "DATABASE_URL"
    }
    clean["DJANGO_SETTINGS_MODULE"] = "aliadvisor.settings"
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_defaults_are_sqlite_debug_and_localhost():
    result = read_settings()
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["name"].endswith("db.sqlite3")
    assert values["debug"] is True
    assert "127.0.0.1" in values["hosts"]
    assert values["languages"] == ["zh-hans", "en"]
    assert values["fixture_dirs"] == [str(ROOT / "fixtures")]


def test_database_url_switches_to_postgresql():
    result = read_settings(
        DATABASE_URL="postgres://advisor:secret@db.internal:5432/aliadvisor",
        DJANGO_ALLOWED_HOSTS="advisor.example.com, www.advisor.example.com",
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["name"] == "aliadvisor"
    assert values["hosts"] == ["advisor.example.com", "www.advisor.example.com"]


def test_production_without_secret_key_refuses_to_start():
    result = read_settings(DJANGO_DEBUG="0")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_with_secret_key_starts_with_debug_off():
    result = read_settings(DJANGO_DEBUG="false", DJANGO_SECRET_KEY="x" * 50)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["debug"] is False


def test_production_security_settings_come_from_the_environment():
    probe = (
        "import json, django; from django.conf import settings; django.setup(); "
        "print(json.dumps({'redirect': settings.SECURE_SSL_REDIRECT, "
        "'hsts': settings.SECURE_HSTS_SECONDS, 'proxy': settings.SECURE_PROXY_SSL_HEADER, "
        "'cookies': settings.SESSION_COOKIE_SECURE}))"
    )
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"
    }
    env.update(
        DJANGO_SETTINGS_MODULE="aliadvisor.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="y" * 50,
        DJANGO_SECURE_SSL_REDIRECT="1",
        DJANGO_SECURE_HSTS_SECONDS="3600",
        DJANGO_BEHIND_TLS_PROXY="true",
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values == {
        "redirect": True,
        "hsts": 3600,
        "proxy": ["HTTP_X_FORWARDED_PROTO", "https"],
        "cookies": True,
    }
    env["DJANGO_SECURE_HSTS_SECONDS"] = "a year"
    bad = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=60,
    )
    assert bad.returncode != 0 and "DJANGO_SECURE_HSTS_SECONDS must be an integer" in bad.stderr


def test_malformed_boolean_is_a_clear_error():
    result = read_settings(DJANGO_DEBUG="maybe")
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be a boolean" in result.stderr
