"""`make serve`'s stack in a real process: collectstatic with WhiteNoise's manifest storage, then
gunicorn with gunicorn.conf.py, DEBUG off, on a fresh database."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from .databases import ROOT, fresh_database_url, manage

pytestmark = pytest.mark.django_db

GUNICORN = Path(sys.executable).with_name("gunicorn")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_gunicorn_serves_pages_and_hashed_static_files(tmp_path):
    static_root = tmp_path / "static"
    env = {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "serve-test-" + "x" * 40,
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_STATIC_ROOT": str(static_root),
    }
    with fresh_database_url(tmp_path) as url:
        manage("migrate", "--noinput", "-v", "0", database_url=url)
        manage("collectstatic", "--noinput", "-v", "0", database_url=url, **env)
        assert (static_root / "staticfiles.json").exists()
        assert list(static_root.glob("css/site.*.css.gz"))  # compressed copies too
        port = free_port()
        server_env = {
            k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")
        } | env | {"DATABASE_URL": url, "GUNICORN_WORKERS": "1", "GUNICORN_THREADS": "2"}
        log = (tmp_path / "gunicorn.log").open("w+")
        server = subprocess.Popen(
            [str(GUNICORN), "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}",
             "aliadvisor.wsgi"],
            cwd=ROOT, env=server_env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 90
            while True:
                try:
                    if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert server.poll() is None, (tmp_path / "gunicorn.log").read_text()
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.5)
            assert httpx.get(f"{base}/readyz", timeout=30).status_code == 200
            home = httpx.get(f"{base}/", timeout=30)
            assert home.status_code == 200
            assert "server" not in home.headers  # no "Server: gunicorn"
            assert "content-security-policy" in home.headers
            css = next(
                part.split('"')[0]
                for part in home.text.split('href="')[1:]
                if part.startswith("/static/css/site.")
            )
            assert css.count(".") == 2  # site.<hash>.css from the manifest
            sheet = httpx.get(base + css, headers={"Accept-Encoding": "gzip"}, timeout=10)
            assert sheet.status_code == 200
            assert "immutable" in sheet.headers["cache-control"]
            assert sheet.headers.get("content-encoding") == "gzip"
            head = httpx.head(f"{base}/", timeout=30)
            assert head.status_code == 200 and head.content == b""
            assert head.headers["content-length"] == home.headers["content-length"]
        finally:
            server.send_signal(signal.SIGTERM)
            code = server.wait(timeout=60)  # graceful: in-flight requests end, then it stops
            log.seek(0)
            output = log.read()
            log.close()
    assert code == 0, output
    assert "Warmed up" in output  # the master built the indexes before forking (preload)
    assert '"GET / HTTP/1.1" 200' in output  # the access log, on stdout
    assert "/healthz" not in output and "/readyz" not in output  # probes leave no log line
    assert "body bytes on a no-body response" not in output
