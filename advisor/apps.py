import os
import sys

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def serving(argv: list[str] | None = None, environ=None) -> bool:
    """True in a server process (runserver's serving child, gunicorn), False in tests and
    management commands, which build the indexes only if they use them."""
    argv = sys.argv if argv is None else argv
    environ = os.environ if environ is None else environ
    if "runserver" in argv:
        return environ.get("RUN_MAIN") == "true" or "--noreload" in argv
    program = os.path.basename(argv[0]) if argv else ""
    return "gunicorn" in program or "gunicorn" in environ.get("SERVER_SOFTWARE", "")


class AdvisorConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "advisor"
    verbose_name = _("Advisor")

    def ready(self) -> None:
        from django.conf import settings

        if getattr(settings, "INDEX_WARM_AT_START", True) and serving():
            # The catalog texts and the engine are built in a background thread while the
            # server starts: the first request does not pay for jieba and the index.
            from .catalog_source import engine_cache

            engine_cache().warm()
