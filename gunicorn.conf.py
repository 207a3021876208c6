"""gunicorn settings for `make serve` and production:
`gunicorn -c gunicorn.conf.py aliadvisor.wsgi`.

Every value can be overridden from the environment (GUNICORN_BIND, GUNICORN_WORKERS,
GUNICORN_THREADS, GUNICORN_TIMEOUT, GUNICORN_GRACEFUL_TIMEOUT) or on the command line.
"""

from __future__ import annotations

import logging
import os

from gunicorn.glogging import Logger
from gunicorn.http import wsgi as _gunicorn_wsgi


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the CPUs this container may use
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw else default


CPUS = _cpus()

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Requests are mostly CPU (scoring, rendering): one process per CPU and one spare, each with a
# few threads to overlap database waits. Capped so a large host does not multiply the memory.
workers = _env_int("GUNICORN_WORKERS", min(2 * CPUS + 1, 17))
threads = _env_int("GUNICORN_THREADS", min(max(2, CPUS), 8))
# Load Django, jieba and the indexes once in the master (see when_ready); workers fork warm.
preload_app = True
timeout = _env_int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _env_int("GUNICORN_GRACEFUL_TIMEOUT", 30)  # in-flight requests finish
keepalive = 5
max_requests = 5000  # recycle workers now and then (a new one forks warm from the master)
max_requests_jitter = 500
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"  # heartbeat files off a possibly slow container disk

# No control socket (~/.gunicorn/gunicorn.ctl): unused here, and two servers would share it.
control_socket_disable = True

accesslog = "-"  # stdout
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'


class QuietProbesLogger(Logger):
    """The access log without successful /healthz and /readyz probes (a proxy or orchestrator
    asks every few seconds); failed probes are still logged."""

    PROBES = frozenset({"/healthz", "/readyz"})

    def access(self, resp, req, environ, request_time):
        if environ.get("PATH_INFO") in self.PROBES and str(resp.status).startswith("200"):
            return
        super().access(resp, req, environ, request_time)


logger_class = QuietProbesLogger


# No "Server: gunicorn" header: the server's name and version tell an attacker what to try.
_default_headers = _gunicorn_wsgi.Response.default_headers


def _default_headers_without_server(self):
    return [line for line in _default_headers(self) if not line.lower().startswith("server:")]


_gunicorn_wsgi.Response.default_headers = _default_headers_without_server


def when_ready(server):
    """In the master, before any worker forks: build the per-process indexes so the first
    request of every worker is as fast as the next; then close the database connection so
    no worker inherits it."""
    from django.db import connections

    from aliadvisor.health import prepare_to_serve

    try:
        prepare_to_serve()
        server.log.info("Warmed up: jieba, search index, vocabularies, advisor engine")
    except Exception as error:  # noqa: BLE001 - an unmigrated database must not stop serving
        logging.getLogger("gunicorn.error").warning(
            "Warm-up skipped (%s); workers build the indexes on first use", error
        )
    finally:
        connections.close_all()
