"""HTTP helpers every page and the API share."""

from __future__ import annotations

from django.views.decorators.vary import vary_on_headers

# Pages and API answers are in the active language, which LocaleMiddleware takes from the
# django_language cookie (the 中文/EN switch) before Accept-Language: a shared cache must key
# on both. LocaleMiddleware adds Accept-Language to Vary itself, the cookie it does not.
LANGUAGE_VARY = ("Accept-Language", "Cookie")

vary_on_language = vary_on_headers(*LANGUAGE_VARY)
