"""Logging helpers referenced from ``settings.LOGGING``."""

from __future__ import annotations

import logging


class WithoutTraceback(logging.Filter):
    """Drops the traceback from a record: for expected errors whose message says it all (a
    request with a Host header not in ALLOWED_HOSTS is one line, not forty)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        return True
