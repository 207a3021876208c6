"""The API's OpenAPI schema and documentation, and the method rules on every endpoint."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from openapi_spec_validator import validate

ROOT = Path(__file__).resolve().parent.parent
METHODS = ["POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "PURGE"]

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def readme_endpoints() -> list[str]:
    """The endpoints the README documents (its "### `GET /api/...`" headings), as OpenAPI
    paths (``<slug>`` -> ``{slug}``)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    paths = re.findall(r"^### `GET (/api/\S+)`", text, flags=re.MULTILINE)
    return [re.sub(r"<(\w+)>", r"{\1}", path) for path in paths]


def test_the_schema_is_valid_openapi(schema):
    validate(schema)  # raises on any error
    assert schema["openapi"].startswith("3.")


def test_every_endpoint_the_readme_documents_is_in_the_schema(schema):
    documented = readme_endpoints()
    assert len(documented) == 4
    for path in documented:
        assert "get" in schema["paths"].get(path, {}), path
    # ... and the schema has nothing the README does not document.
    assert set(schema["paths"]) == set(documented)


def test_the_schema_types_the_parameters(schema):
    def params(path: str) -> dict[str, dict]:
        return {p["name"]: p for p in schema["paths"][path]["get"]["parameters"]}

    advise = params("/api/advise/")
    assert set(advise) == {
        "q", "scenario", "framework", "scale", "data_type", "deployment", "maintained_only",
        "open_source_only", "limit", "lang",
    }
    limit = advise["limit"]["schema"]["anyOf"][0]
    assert limit["type"] == "integer" and limit["minimum"] == 1 and limit["maximum"] == 50
    assert advise["q"]["schema"]["maxLength"] == 2000
    assert advise["data_type"]["schema"]["type"] == "array"
    assert advise["maintained_only"]["schema"]["type"] == "boolean"
    lang = advise["lang"]["schema"]
    assert {"en", "zh-hans"} <= set(lang["anyOf"][0]["enum"])
    projects = params("/api/projects/")
    assert projects["framework"]["schema"]["type"] == "array"
    assert projects["q"]["schema"]["maxLength"] == 200
    page_size = projects["page_size"]["schema"]["anyOf"][0]
    assert page_size == {"type": "integer", "minimum": 1, "maximum": 100}
    page = projects["page"]["schema"]["anyOf"][0]
    assert page["type"] == "integer" and page["minimum"] == 1
    assert "default 20" in projects["page_size"]["description"]
    listed = schema["paths"]["/api/projects/"]["get"]["responses"]
    assert {"200", "400", "405"} <= set(listed)
    body = schema["components"]["schemas"]["ProjectListOut"]
    assert {"count", "next", "previous", "results"} <= set(body["required"])
    assert {"type": "null"} in body["properties"]["next"]["anyOf"]
    responses = schema["paths"]["/api/projects/{slug}/"]["get"]["responses"]
    assert {"200", "400", "404", "405"} <= set(responses)


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/api/advise/", "scenario=recommendation&limit=&deployment=&lang=&maintained_only="),
        ("/api/projects/", "sort=&maintained=&stack=&lang=&q=&framework=&page=&page_size="),
    ],
)
def test_a_blank_parameter_means_not_given(client, small_catalog, path, query):
    assert client.get(f"{path}?{query}").status_code == 200


@pytest.mark.parametrize("path", ["/api/projects/", "/api/projects/alpha/", "/api/stacks/",
                                  "/api/advise/"])
@pytest.mark.parametrize("method", METHODS)
def test_every_other_method_on_every_endpoint_is_a_json_405_before_csrf(
    small_catalog, path, method
):
    client = Client(enforce_csrf_checks=True)  # a real API client: no CSRF token
    response = client.generic(method, path, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 405, (method, path)
    assert response["Allow"] == "GET, HEAD"
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == {"error": "Method not allowed", "allowed": ["GET", "HEAD"]}


@pytest.mark.parametrize("path", ["/api/openapi.json", "/api/docs"])
def test_the_schema_and_the_docs_are_read_only_too(path):
    client = Client(enforce_csrf_checks=True)
    assert client.head(path).status_code == 200
    response = client.post(path)
    assert response.status_code == 405 and response["Allow"] == "GET, HEAD"


def test_the_endpoints_in_the_schema_are_the_ones_checked_for_405s(schema):
    checked = {"/api/projects/", "/api/projects/{slug}/", "/api/stacks/", "/api/advise/"}
    assert set(schema["paths"]) == checked


def test_the_docs_page_uses_only_local_static_files_and_no_inline_script(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.DOTALL)
    assert scripts
    for attributes, body in scripts:
        # A script either loads a file or is a JSON data block (never executed).
        assert "src=" in attributes or 'type="application/json"' in attributes, attributes
        if "src=" in attributes:
            assert not body.strip()
    assert "swagger-ui-bundle.js" in html and "/api/openapi.json" in html
    for url in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert not url.startswith(("http:", "https:", "//")), url
        if url.startswith("/static/"):
            assert finders.find(url.removeprefix("/static/")), url
