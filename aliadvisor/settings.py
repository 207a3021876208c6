"""Settings for AliAdvisor.

Everything that differs between machines comes from environment variables; the defaults
are safe for local development (DEBUG on, SQLite in the project folder, localhost only).
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    import os

    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    import os

    raw = os.environ.get(name)
    if not raw:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    import os

    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from None


def env_str(name: str, default: str) -> str:
    import os

    return os.environ.get(name) or default


DEBUG = env_bool("DJANGO_DEBUG", True)
_DEV_SECRET = "dev-only-insecure-secret-key-change-me"  # noqa: S105 - development default
SECRET_KEY = env_str("DJANGO_SECRET_KEY", _DEV_SECRET)
if not DEBUG and SECRET_KEY == _DEV_SECRET:
    raise ImproperlyConfigured("Set DJANGO_SECRET_KEY when DJANGO_DEBUG is off.")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_htmx",
    "template_partials",
    "simple_history",
    "axes",
    "ninja",  # its bundled Swagger UI (static files) for /api/docs: nothing from a CDN
    "catalog",
    "advisor",
]

MIDDLEWARE = [
    # First: probes answer before host validation and the HTTPS redirect.
    "aliadvisor.health.ProbeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "aliadvisor.headers.PermissionsPolicyMiddleware",
    "aliadvisor.headers.HeadWithoutBodyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "aliadvisor.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "aliadvisor.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several editors at once: WAL lets readers run beside the writer, IMMEDIATE takes the
    # write lock when a transaction starts (no deadlock-prone upgrade from a read lock, which
    # SQLite answers with "database is locked" at once), and writers queue for `timeout` s.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("DJANGO_SQLITE_TIMEOUT", 30),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [
    ("zh-hans", _("Simplified Chinese")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("DJANGO_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # With DEBUG off, collectstatic (make serve) writes hashed, compressed copies that
    # WhiteNoise serves with far-future caching; development serves the source files.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

FIXTURE_DIRS = [BASE_DIR / "fixtures"]
# make backup / make restore: JSON with datetimes to the microsecond.
SERIALIZATION_MODULES = {"backup-json": "catalog.backup_format"}

LOGIN_URL = "admin:login"
# The admin's address (without slashes); moving it off /admin/ keeps scanners off the login.
ADMIN_URL = env_str("DJANGO_ADMIN_URL", "admin").strip("/") or "admin"

# --- Login protection (django-axes) --------------------------------------------------------
# Failed logins are counted per username and address; at the limit that pair is locked out
# for the cool-off time (the lockout page says so, 429). Each failure is logged (logger "axes").
AXES_FAILURE_LIMIT = env_int("DJANGO_AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("DJANGO_AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "aliadvisor.lockout.lockout_response"
AXES_VERBOSE = True
# Failures are logged with the username and address tried (what an operator, or fail2ban,
# needs); passwords are never logged.
AXES_SENSITIVE_PARAMETERS: list[str] = []
BEHIND_TLS_PROXY = env_bool("DJANGO_BEHIND_TLS_PROXY", False)
if BEHIND_TLS_PROXY:
    # The client's address is the one the (single) proxy appends; never a client's own header.
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    AXES_IPWARE_PROXY_COUNT = 1
    AXES_IPWARE_PROXY_ORDER = "right-most"
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)

# --- Headers ---------------------------------------------------------------------------------
# Everything comes from this site: no inline scripts or styles (htmx's injected indicator
# style is turned off in base.html), no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Browser features the site never uses are denied to it and to anything it could embed.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer", "autoplay", "camera", "display-capture", "geolocation", "gyroscope",
        "magnetometer", "microphone", "midi", "payment", "publickey-credentials-get",
        "screen-wake-lock", "serial", "usb", "xr-spatial-tracking",
    )
}  # fmt: skip
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"without_traceback": {"()": "aliadvisor.log.WithoutTraceback"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "console_one_line": {
            "class": "logging.StreamHandler",
            "filters": ["without_traceback"],
        },
    },
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "WARNING")},
    "loggers": {
        # A request for a host not in ALLOWED_HOSTS: one line (the message names the host).
        "django.security.DisallowedHost": {
            "handlers": ["console_one_line"],
            "level": "ERROR",
            "propagate": False,
        },
    },
}

if not DEBUG:
    # Production defaults: HTTPS only, unless explicitly turned off (make serve does, to be
    # tried on http://127.0.0.1). Behind a TLS proxy keep them on.
    SECURE_COOKIES = env_bool("DJANGO_SECURE_COOKIES", True)
    SESSION_COOKIE_SECURE = SECURE_COOKIES
    CSRF_COOKIE_SECURE = SECURE_COOKIES
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    # Preloading is a commitment to browsers' lists, made by the operator, not by default.
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", False)
    if BEHIND_TLS_PROXY:
        # Only behind a proxy that sets this header itself (never trust it from clients).
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Text indexes (catalog search, the advisor's engine). Tokens are cached per text in a SQLite
# file in ALIADVISOR_TEXTINDEX_DIR, shared by every server process ("off": memory only). After a
# catalog change, requests keep the previous index while one background thread per process
# builds the next (ALIADVISOR_INDEX_BACKGROUND=0: the next request rebuilds, as tests do);
# ALIADVISOR_INDEX_WARM builds it when the server starts (runserver, gunicorn) rather than in
# the first request.
TEXTINDEX_CACHE_DIR = env_str("ALIADVISOR_TEXTINDEX_DIR", str(BASE_DIR / "var" / "textindex"))
if TEXTINDEX_CACHE_DIR.strip().lower() in {"off", "none", "0"}:
    TEXTINDEX_CACHE_DIR = ""
INDEX_BACKGROUND_REBUILD = env_bool("ALIADVISOR_INDEX_BACKGROUND", True)
INDEX_WARM_AT_START = env_bool("ALIADVISOR_INDEX_WARM", True)

# --- Cache: shared by every process (the feedback rate limit counts across workers) --------
# The database cache by default (`manage.py createcachetable`, run by `make migrate` and the
# tests); CACHE_URL=redis://host:6379/0 uses Redis instead (pip install ".[redis]").
CACHE_URL = env_str("CACHE_URL", "")
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    }
elif CACHE_URL:
    raise ImproperlyConfigured(f"CACHE_URL must be a redis:// URL, got {CACHE_URL!r}")
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "aliadvisor_cache",
        }
    }

# --- Advisor: query log and feedback -------------------------------------------------------
# Each advice people ask for (API GET, submitted questionnaire) is logged without IP address,
# user agent or user; 0 turns the log off. Records older than the retention are purged by
# `manage.py purge_queries` (run it daily, e.g. from cron).
ADVISOR_LOG_QUERIES = env_bool("ADVISOR_LOG_QUERIES", True)
ADVISOR_QUERY_RETENTION_DAYS = env_int("ADVISOR_QUERY_RETENTION_DAYS", 90)
ADVISOR_FEEDBACK_RATE_PER_HOUR = env_int("ADVISOR_FEEDBACK_RATE_PER_HOUR", 30)
# The client address for the rate limit comes from X-Forwarded-For only behind the TLS proxy.
BEHIND_TLS_PROXY = env_bool("DJANGO_BEHIND_TLS_PROXY", False)
