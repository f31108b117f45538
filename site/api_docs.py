"""A readable page of the API description, rendered on the server from the OpenAPI schema.

Swagger UI or Redoc would need their scripts from a CDN (no external requests here) or an
inline start-up script (the CSP forbids it): a plain page is accessible, works without
JavaScript and cannot drift from /api/v1/schema/, since both come from the same generator.
"""

from http import HTTPStatus

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.generators import SchemaGenerator
from rest_framework.exceptions import MethodNotAllowed

from core.api_errors import error_response
from core.api_language import api_language_activate

METHODS = ("get", "post", "put", "patch", "delete")
# What this page answers to; anything else is refused as every endpoint of the API refuses it.
ALLOWED_METHODS = ("GET", "HEAD")
TAG_LABELS = {
    "booking": "Réservation",
    "policies": "Documents en vigueur (conditions générales, confidentialité)",
}


def _resolve(schema: dict, node: dict | None) -> dict:
    """Follow one "$ref" to components/schemas (enough for the bodies described here)."""
    node = node or {}
    ref = node.get("$ref", "")
    if ref.startswith("#/components/schemas/"):
        return schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    return node


def _type_label(schema: dict, node: dict | None) -> str:
    node = node or {}
    if "$ref" in node:
        target = _resolve(schema, node)
        # Objects are listed under their name at the end of the page; enums are spelt out.
        if "properties" in target:
            return node["$ref"].rsplit("/", 1)[-1]
        return _type_label(schema, target)
    if "allOf" in node:  # how OpenAPI 3.0 marks a reference as nullable
        label = _type_label(schema, node["allOf"][0])
        return f"{label}, ou null" if node.get("nullable") else label
    label = node.get("type", "objet")
    if label == "array":
        label = f"liste de {_type_label(schema, node.get('items'))}"
    if node.get("format"):
        label = f"{label} ({node['format']})"
    if node.get("enum"):
        label = f"{label} : {', '.join(str(v) for v in node['enum'] if v is not None)}"
    if node.get("nullable"):
        label = f"{label}, ou null"
    return label


def _fields(schema: dict, node: dict | None) -> list[dict]:
    node = _resolve(schema, node)
    required = set(node.get("required", []))
    return [
        {
            "name": name,
            "type": _type_label(schema, field),
            "required": name in required,
            "description": _resolve(schema, field).get("description", "")
            or field.get("description", ""),
        }
        for name, field in node.get("properties", {}).items()
    ]


def _body(schema: dict, response: dict) -> dict:
    """The response body's type, and the anchor of its description on the page if it has one."""
    body = response.get("content", {}).get("application/json", {}).get("schema")
    if not body:
        return {"label": "", "anchor": ""}
    target = body.get("items", body) if body.get("type") == "array" else body
    named = "properties" in _resolve(schema, target) and "$ref" in target
    return {
        "label": _type_label(schema, body),
        "anchor": f"schema-{target['$ref'].rsplit('/', 1)[-1]}" if named else "",
    }


def _operations(schema: dict) -> list[dict]:
    operations = []
    for path, item in schema.get("paths", {}).items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            body = operation.get("requestBody", {}).get("content", {})
            body_schema = body.get("application/json", {}).get("schema")
            operations.append(
                {
                    "id": operation.get("operationId", f"{method}-{path}"),
                    "method": method.upper(),
                    "path": path,
                    "tag": (operation.get("tags") or ["autres"])[0],
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": [
                        {
                            "name": parameter["name"],
                            "in": parameter["in"],
                            "type": _type_label(schema, parameter.get("schema")),
                            "required": parameter.get("required", False),
                            "description": parameter.get("description", ""),
                        }
                        for parameter in operation.get("parameters", [])
                    ],
                    "body": _fields(schema, body_schema) if body_schema else [],
                    "responses": [
                        {
                            "code": code,
                            "description": response.get("description", ""),
                            "body": _body(schema, response),
                        }
                        for code, response in operation.get("responses", {}).items()
                    ],
                    "signed_in": bool(operation.get("security"))
                    and {} not in operation.get("security", []),
                }
            )
    return operations


def _method_not_allowed(request: HttpRequest) -> HttpResponse:
    api_language_activate(request)
    # DRF's own wording, so that the page refuses a method as the endpoints beside it do.
    message = str(MethodNotAllowed(request.method or "").detail)
    response = error_response(request, HTTPStatus.METHOD_NOT_ALLOWED, message)
    response["Allow"] = ", ".join(ALLOWED_METHODS)
    return response


@csrf_exempt  # it reads and writes nothing: another method is a 405, not a CSRF refusal
def api_docs(request: HttpRequest) -> HttpResponse:
    if request.method not in ALLOWED_METHODS:
        return _method_not_allowed(request)
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = _operations(schema)
    tags = []
    for operation in operations:
        if operation["tag"] not in tags:
            tags.append(operation["tag"])
    return render(
        request,
        "api/docs.html",
        {
            "info": schema["info"],
            "sections": [
                {
                    "tag": tag,
                    "label": TAG_LABELS.get(tag, tag),
                    "operations": [o for o in operations if o["tag"] == tag],
                }
                for tag in tags
            ],
            "components": [
                {"name": name, "fields": _fields(schema, component)}
                for name, component in schema.get("components", {}).get("schemas", {}).items()
                if component.get("properties")
            ],
            "schema_url": reverse("api:schema"),
        },
    )
