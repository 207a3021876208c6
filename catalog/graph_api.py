"""GET /api/graph/: the ecosystem graph as JSON (a plain view, easy to move into the API app).

``?category=`` (repeatable) limits it to those categories' entries; beyond
``catalog.graph.GRAPH_LIMIT`` entries the graph without a category is the per-category
overview. An unknown category is a 400 ``{"errors": {"category": [...]}}``.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import patch_vary_headers
from django.views.decorators.csrf import csrf_exempt

from .graph import graph_payload, load_graph, unknown_category_messages

ALLOWED = ("GET", "HEAD")


@csrf_exempt  # read-only: a POST reaches the method check and gets a JSON 405, not a CSRF 403
def graph_data(request: HttpRequest) -> HttpResponse:
    if request.method not in ALLOWED:
        response = JsonResponse(
            {"error": "Method not allowed", "allowed": list(ALLOWED)}, status=405
        )
        response["Allow"] = ", ".join(ALLOWED)
        return response
    graph = load_graph(categories=request.GET.getlist("category")[:50])
    if graph.unknown:
        response = JsonResponse({"errors": {"category": unknown_category_messages(graph)}},
                                status=400, json_dumps_params={"ensure_ascii": False})
    else:
        response = JsonResponse(graph_payload(graph), json_dumps_params={"ensure_ascii": False})
    # Labels follow the active language (cookie or Accept-Language).
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    return response
