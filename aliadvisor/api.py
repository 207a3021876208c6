"""The JSON API: one django-ninja ``NinjaAPI`` under /api/, one router per app.

What every endpoint shares lives here: UTF-8 JSON with ``<``, ``>``, ``&`` escaped, a 400
``{"errors": {field: [messages]}}`` for bad parameters (messages as the pages' forms write
them, ``aliadvisor.parsing``), a JSON 405 with ``Allow`` for any other method (before any
CSRF check: ninja's views are CSRF-exempt), HEAD answered like GET, ``?lang=`` and
``Vary: Accept-Language, Cookie``. OpenAPI at /api/openapi.json, documentation at /api/docs
(ninja's bundled Swagger UI, served as static files).

Adding an endpoint: write it on the app's ``Router`` (``catalog/api.py``, ``advisor/api.py``);
a new app adds ``api.add_router("", "<app>.api.router")`` in ``build_api``. The instance is
made once, in ``aliadvisor.urls`` (the apps' routers import this module).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable
from typing import Any

import ninja
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.datastructures import MultiValueDict
from django.utils.log import log_response
from django.utils.translation import gettext as _
from ninja.errors import ValidationError
from ninja.operation import PathView
from ninja.parser import Parser
from ninja.renderers import BaseRenderer

from .http import LANGUAGE_VARY
from .parsing import LANGUAGE_CODES, validation_message

# --- JSON ----------------------------------------------------------------------------------

_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


class SafeJSONEncoder(json.JSONEncoder):
    """JSON with ``<``, ``>`` and ``&`` written as ``\\u003c`` etc., so echoed input can never
    be read as markup even if a client puts the body into a page."""

    def default(self, o: Any) -> Any:
        if hasattr(o, "isoformat"):
            return o.isoformat()
        if hasattr(o, "__html__") or type(o).__name__ == "__proxy__":  # lazy translations
            return str(o)
        return super().default(o)

    def encode(self, o: Any) -> str:
        return super().encode(o).translate(_ESCAPES)


def dumps(data: Any) -> str:
    """One line of UTF-8 JSON, escaped (the API's bodies and ``manage.py advise --json``)."""
    return json.dumps(data, cls=SafeJSONEncoder, ensure_ascii=False)


class SafeJSONRenderer(BaseRenderer):
    media_type = "application/json"
    charset = "utf-8"

    def render(self, request: HttpRequest, data: Any, *, response_status: int) -> str:
        return dumps(data)


def json_response(data: Any, *, status: int = 200) -> HttpResponse:
    return HttpResponse(dumps(data), status=status, content_type="application/json; charset=utf-8")


# --- Shared answer shapes ------------------------------------------------------------------


class ErrorsOut(ninja.Schema):
    errors: dict[str, list[str]] = ninja.Field(description="Parameter -> messages.")


class MethodNotAllowedOut(ninja.Schema):
    error: str
    allowed: list[str]


# --- Methods: a JSON 405 with Allow, HEAD like GET -------------------------------------------


def method_not_allowed(request: HttpRequest, *, allowed: Iterable[str]) -> HttpResponse:
    allowed = list(allowed)
    response = json_response({"error": _("Method not allowed"), "allowed": allowed}, status=405)
    response["Allow"] = ", ".join(allowed)
    log_response(
        "Method Not Allowed (%s): %s", request.method, request.path,
        response=response, request=request,
    )
    return response


# The order methods are listed in ``Allow`` and in the 405 body.
METHOD_ORDER = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


class JSONPathView(PathView):
    """ninja's view of one URL path, answering HEAD with the GET operation (the server drops
    the body) and any other unknown method with a JSON 405 (ninja's own is text)."""

    @property
    def allowed_methods(self) -> list[str]:
        methods = {method for operation in self.operations for method in operation.methods}
        if "GET" in methods:
            methods.add("HEAD")
        return sorted(methods, key=lambda m: (METHOD_ORDER + (m,)).index(m))

    def _find_operation(self, request: HttpRequest):
        method = "GET" if request.method == "HEAD" else request.method
        return next((op for op in self.operations if method in op.methods), None)

    def _sync_view(self, request: HttpRequest, *args: Any, **kwargs: Any):
        if self._find_operation(request) is None:
            return method_not_allowed(request, allowed=self.allowed_methods)
        return super()._sync_view(request, *args, **kwargs)

    def clone(self) -> JSONPathView:
        cloned = super().clone()
        cloned.__class__ = type(self)
        return cloned


class Router(ninja.Router):
    """A ninja ``Router`` whose paths answer like ``JSONPathView`` and whose operations run in
    ``?lang=``'s language (``in_requested_language``). Every app's API uses it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # "view": around parameter validation too, so its messages are in that language.
        self.add_decorator(in_requested_language, mode="view")

    def add_api_operation(self, path: str, methods: list[str], view_func: Callable, **kwargs):
        self.path_operations.setdefault(path, JSONPathView())
        return super().add_api_operation(path, methods, view_func, **kwargs)


def read_only(view: Callable[..., Any]) -> Callable[..., Any]:
    """GET and HEAD only, else the JSON 405 (the schema and docs views are plain views)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any):
        if request.method not in ("GET", "HEAD"):
            return method_not_allowed(request, allowed=["GET", "HEAD"])
        return view(request, *args, **kwargs)

    wrapper.csrf_exempt = True  # the 405 comes before any CSRF check
    return wrapper


# --- Parameters ----------------------------------------------------------------------------


class QueryParser(Parser):
    """A parameter given more than once reaches the schema as a list, so a single-value field
    can tell "the same value twice" from "two different values" (``parsing``'s types)."""

    def parse_querydict(self, data: MultiValueDict, list_fields: list[str], request):
        result: dict[str, Any] = {}
        for key in data.keys():
            values = data.getlist(key)
            result[key] = values if key in list_fields or len(values) > 1 else values[-1]
        return result


def errors_from_validation(exc: ValidationError) -> dict[str, list[str]]:
    """ninja's (pydantic's) errors as ``{parameter: [messages]}``."""
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        loc = [part for part in error.get("loc", ()) if isinstance(part, str)]
        field = loc[1] if len(loc) > 1 else (loc[0] if loc else "__all__")
        message = validation_message(error)
        if message not in errors.setdefault(field, []):
            errors[field].append(message)
    return errors


# --- Pages -------------------------------------------------------------------------------


def page_url(request: HttpRequest, *, number: int) -> str:
    """The absolute URL of page ``number`` of this request's list: every other parameter kept
    as given (repeats included), ``page`` replaced."""
    params = request.GET.copy()
    params.setlist("page", [str(number)])
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")


# --- Language and Vary ---------------------------------------------------------------------


def requested_language(request: HttpRequest) -> str | None:
    """The language ``?lang=`` asks for, when valid (the schema reports it otherwise)."""
    values = {value.strip().lower() for value in request.GET.getlist("lang") if value.strip()}
    codes = {LANGUAGE_CODES.get(value) for value in values}
    return codes.pop() if len(codes) == 1 and None not in codes else None


def in_requested_language(view: Callable[..., Any]) -> Callable[..., Any]:
    """Run the view (parameter validation included) in ``?lang=``'s language; add Vary."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any):
        language = requested_language(request)
        if language is None:
            response = view(request, *args, **kwargs)
        else:
            with translation.override(language):
                response = view(request, *args, **kwargs)
        patch_vary_headers(response, LANGUAGE_VARY)
        return response

    return wrapper


# --- The API -------------------------------------------------------------------------------


def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return json_response({"errors": errors_from_validation(exc)}, status=400)


def build_api() -> ninja.NinjaAPI:
    api = ninja.NinjaAPI(
        title="AliAdvisor API",
        version="1",
        description=(
            "Read-only JSON API of the AliAdvisor catalog and advisor. Language-dependent "
            "fields follow Accept-Language (or the django_language cookie); `lang` overrides "
            "it. Bad parameters answer 400 `{\"errors\": {parameter: [messages]}}`; any "
            "method an endpoint does not offer answers a JSON 405 with `Allow`."
        ),
        urls_namespace="api",
        renderer=SafeJSONRenderer(),
        parser=QueryParser(),
        openapi_url="/openapi.json",
        docs_url="/docs",
        docs_decorator=read_only,
    )
    api.add_exception_handler(ValidationError, _validation_error)
    api.add_router("", "catalog.api.router")
    api.add_router("", "advisor.api.router")
    return api

